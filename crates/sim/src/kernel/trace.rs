//! A portable running hash of the event trace.
//!
//! `std`'s `Hash` is fed through this hasher, which writes every integer as
//! fixed-width little-endian bytes (`usize` as 64 bits), so the digest of the
//! same events is the same on 64-bit hosts and on wasm32.

use std::hash::{Hash, Hasher};

/// FNV-1a, 64-bit.
#[derive(Clone, Copy, Debug)]
pub struct PortableHasher(u64);

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

impl PortableHasher {
    pub fn new() -> Self {
        PortableHasher(FNV_OFFSET)
    }

    /// Continue from an earlier digest (the trace hash is a chain).
    pub fn resume(state: u64) -> Self {
        PortableHasher(state)
    }
}

impl Default for PortableHasher {
    fn default() -> Self {
        Self::new()
    }
}

impl Hasher for PortableHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(FNV_PRIME);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write(&[i]);
    }
    fn write_u16(&mut self, i: u16) {
        self.write(&i.to_le_bytes());
    }
    fn write_u32(&mut self, i: u32) {
        self.write(&i.to_le_bytes());
    }
    fn write_u64(&mut self, i: u64) {
        self.write(&i.to_le_bytes());
    }
    fn write_u128(&mut self, i: u128) {
        self.write(&i.to_le_bytes());
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn write_i8(&mut self, i: i8) {
        self.write_u8(i as u8);
    }
    fn write_i16(&mut self, i: i16) {
        self.write_u16(i as u16);
    }
    fn write_i32(&mut self, i: i32) {
        self.write_u32(i as u32);
    }
    fn write_i64(&mut self, i: i64) {
        self.write_u64(i as u64);
    }
    fn write_i128(&mut self, i: i128) {
        self.write_u128(i as u128);
    }
    fn write_isize(&mut self, i: isize) {
        self.write_i64(i as i64);
    }
}

/// Fold one value into a running digest.
pub fn chain<T: Hash>(state: u64, value: &T) -> u64 {
    let mut h = PortableHasher::resume(state);
    value.hash(&mut h);
    h.finish()
}

/// The starting digest of an empty trace.
pub const EMPTY: u64 = FNV_OFFSET;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usize_hashes_like_u64_so_wasm32_and_x86_64_agree() {
        assert_eq!(chain(EMPTY, &5usize), chain(EMPTY, &5u64));
        assert_eq!(chain(EMPTY, &vec![1usize, 2]), chain(EMPTY, &vec![1u64, 2]));
    }

    #[test]
    fn fnv1a_matches_the_reference_vector() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (the published test vector).
        let mut h = PortableHasher::new();
        h.write(b"a");
        assert_eq!(h.finish(), 0xaf63_dc4c_8601_ec8c);
    }
}

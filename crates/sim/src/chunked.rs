//! [`ChunkedVec`]: a vector whose copies share what they have in common.
//!
//! A timeline keeps a copy of the run every few thousand events, and a
//! checker keeps what it saw of every log; with plain `Vec`s each copy of a
//! long run's history is as long as the run. Here the elements live in full
//! chunks of [`CHUNK`] elements behind an `Arc`, plus one owned, partly filled
//! tail: a copy copies the chunk pointers and the tail (at most `CHUNK`
//! elements), so copies of a growing history share all but its last few
//! elements. A write to a shared chunk copies that chunk first
//! (`Arc::make_mut`). Histories grow and are cut at the end (a log appends and
//! truncates a conflicting suffix), which touches the tail only.
//!
//! Two copies of one history that have only grown and been cut since share
//! a prefix of their chunks, so the chunks they share are found by
//! bisection (a checker comparing its copy of a log with the log after every
//! event pays for what changed, not for the log's length). A write into a
//! full chunk breaks that (the copy it makes stands among shared chunks):
//! the vector remembers it, and from then on is compared chunk by chunk.
//!
//! It reads like a slice, but is not one: elements are reached by index,
//! `iter` or `iter_from`. It serializes as a plain sequence, compares and
//! hashes like a `Vec` of the same elements, and debug-prints as a list.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Elements per shared chunk: small enough that copying a tail or a chunk
/// written to is cheap, large enough that a copy of 15,000 elements is a few
/// hundred pointers.
pub const CHUNK: usize = 64;

pub struct ChunkedVec<T> {
    /// Full chunks, each of exactly `CHUNK` elements, shared between copies.
    chunks: Vec<Arc<[T]>>,
    /// The last `len % CHUNK` elements, owned (fewer than `CHUNK`).
    tail: Vec<T>,
    /// A full chunk was written to (copied, if shared) since this vector's
    /// history began: the chunks it shares with a copy may not be a prefix.
    rewritten: bool,
}

impl<T> ChunkedVec<T> {
    pub const fn new() -> Self {
        ChunkedVec {
            chunks: Vec::new(),
            tail: Vec::new(),
            rewritten: false,
        }
    }

    pub fn len(&self) -> usize {
        self.chunks.len() * CHUNK + self.tail.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty() && self.tail.is_empty()
    }

    /// Where element `i` is: (chunk, offset), the chunk `chunks.len()` being the tail.
    fn locate(i: usize) -> (usize, usize) {
        (i / CHUNK, i % CHUNK)
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        let (chunk, offset) = Self::locate(i);
        match self.chunks.get(chunk) {
            Some(c) => Some(&c[offset]),
            None if chunk == self.chunks.len() => self.tail.get(offset),
            None => None,
        }
    }

    pub fn last(&self) -> Option<&T> {
        self.tail
            .last()
            .or_else(|| self.chunks.last().map(|c| &c[CHUNK - 1]))
    }

    pub fn push(&mut self, value: T) {
        if self.tail.capacity() == 0 {
            self.tail.reserve_exact(CHUNK);
        }
        self.tail.push(value);
        if self.tail.len() == CHUNK {
            let full = std::mem::replace(&mut self.tail, Vec::with_capacity(CHUNK));
            self.chunks.push(Arc::from(full));
        }
    }

    /// Every element, in order.
    pub fn iter(&self) -> Iter<'_, T> {
        self.iter_from(0)
    }

    /// The elements from position `start` on (none if `start >= len`),
    /// reached without walking the ones before.
    pub fn iter_from(&self, start: usize) -> Iter<'_, T> {
        let (chunk, offset) = Self::locate(start);
        let (current, rest): (&[T], &[Arc<[T]>]) = match self.chunks.get(chunk) {
            Some(c) => (&c[offset..], &self.chunks[chunk + 1..]),
            None if chunk == self.chunks.len() => (self.tail.get(offset..).unwrap_or(&[]), &[]),
            None => (&[], &[]),
        };
        let in_tail = chunk >= self.chunks.len();
        Iter {
            current: current.iter(),
            chunks: rest.iter(),
            tail: if in_tail { &[] } else { &self.tail },
        }
    }

    /// How many chunks, from the first, `self` and `other` share (hold the
    /// very same ones of). Unless one was written into, the shared ones are
    /// a prefix and are counted by bisection.
    fn shared_chunks(&self, other: &Self) -> usize {
        let n = self.chunks.len().min(other.chunks.len());
        let same = |k: usize| Arc::ptr_eq(&self.chunks[k], &other.chunks[k]);
        if self.rewritten || other.rewritten {
            return (0..n).take_while(|&k| same(k)).count();
        }
        if n == 0 || same(n - 1) {
            return n;
        }
        // Chunks before `low` are shared; chunk `high` is not.
        let (mut low, mut high) = (0, n - 1);
        while low < high {
            let mid = (low + high) / 2;
            if same(mid) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        low
    }

    /// How many elements, from the first, `self` and `other` have in common.
    /// Chunks the two share are skipped without looking at their elements.
    pub fn common_prefix_len(&self, other: &Self) -> usize
    where
        T: PartialEq,
    {
        let start = self.shared_chunks(other) * CHUNK;
        start
            + self
                .iter_from(start)
                .zip(other.iter_from(start))
                .take_while(|(a, b)| a == b)
                .count()
    }

    pub fn to_vec(&self) -> Vec<T>
    where
        T: Clone,
    {
        self.iter().cloned().collect()
    }

    /// True when every full chunk of `self` is the very chunk `other` holds
    /// at that place (not merely equal to it): what a copy costs in memory.
    pub fn shares_chunks_with(&self, other: &Self) -> bool {
        self.chunks.len() == other.chunks.len()
            && self
                .chunks
                .iter()
                .zip(&other.chunks)
                .all(|(a, b)| Arc::ptr_eq(a, b))
    }
}

impl<T: Clone> ChunkedVec<T> {
    /// The element at `i`, to change; a chunk shared with a copy is copied first.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        let (chunk, offset) = Self::locate(i);
        if chunk < self.chunks.len() {
            self.rewritten = true;
            Some(&mut Arc::make_mut(&mut self.chunks[chunk])[offset])
        } else if chunk == self.chunks.len() {
            self.tail.get_mut(offset)
        } else {
            None
        }
    }

    /// Keeps the first `len` elements. Cutting into a full chunk makes its
    /// first elements the new tail (a copy of them: the chunk may be shared).
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len() {
            return;
        }
        let (full, rest) = Self::locate(len);
        if full < self.chunks.len() {
            let mut tail = Vec::with_capacity(CHUNK);
            tail.extend_from_slice(&self.chunks[full][..rest]);
            self.chunks.truncate(full);
            self.tail = tail;
        } else {
            self.tail.truncate(rest);
        }
    }
}

impl<T> Default for ChunkedVec<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Clone> Clone for ChunkedVec<T> {
    fn clone(&self) -> Self {
        ChunkedVec {
            chunks: self.chunks.clone(),
            tail: self.tail.clone(),
            rewritten: self.rewritten,
        }
    }

    /// Becomes a copy of `source`, keeping the chunks already shared with it:
    /// following a growing history costs its new elements, not its length.
    fn clone_from(&mut self, source: &Self) {
        let shared = self.shared_chunks(source);
        self.chunks.truncate(shared);
        self.chunks.extend(source.chunks[shared..].iter().cloned());
        self.tail.clone_from(&source.tail);
        self.rewritten = source.rewritten;
    }
}

impl<T> FromIterator<T> for ChunkedVec<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut v = ChunkedVec::new();
        v.extend(iter);
        v
    }
}

impl<T> Extend<T> for ChunkedVec<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for x in iter {
            self.push(x);
        }
    }
}

impl<T> From<Vec<T>> for ChunkedVec<T> {
    fn from(v: Vec<T>) -> Self {
        v.into_iter().collect()
    }
}

/// The elements of a [`ChunkedVec`] in order: its chunks', then its tail's.
pub struct Iter<'a, T> {
    current: std::slice::Iter<'a, T>,
    chunks: std::slice::Iter<'a, Arc<[T]>>,
    /// The tail, until `current` reaches it.
    tail: &'a [T],
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        loop {
            if let Some(x) = self.current.next() {
                return Some(x);
            }
            self.current = match self.chunks.next() {
                Some(c) => c.iter(),
                None if !self.tail.is_empty() => std::mem::take(&mut self.tail).iter(),
                None => return None,
            };
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.current.len() + self.chunks.len() * CHUNK + self.tail.len();
        (n, Some(n))
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}

impl<'a, T> IntoIterator for &'a ChunkedVec<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T> std::ops::Index<usize> for ChunkedVec<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        match self.get(i) {
            Some(x) => x,
            None => panic!("index {i} out of range for a ChunkedVec of {}", self.len()),
        }
    }
}

impl<T: PartialEq> PartialEq for ChunkedVec<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.common_prefix_len(other) == self.len()
    }
}

impl<T: Eq> Eq for ChunkedVec<T> {}

impl<T: PartialEq> PartialEq<[T]> for ChunkedVec<T> {
    fn eq(&self, other: &[T]) -> bool {
        self.len() == other.len() && self.iter().eq(other)
    }
}

impl<T: PartialEq> PartialEq<Vec<T>> for ChunkedVec<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        *self == other[..]
    }
}

/// Hashes as a `Vec` of the same elements does (length, then the elements).
impl<T: Hash> Hash for ChunkedVec<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.len());
        for c in &self.chunks {
            T::hash_slice(c, state);
        }
        T::hash_slice(&self.tail, state);
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for ChunkedVec<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A plain sequence, as a `Vec` serializes.
impl<T: Serialize> Serialize for ChunkedVec<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ChunkedVec<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<T>::deserialize(deserializer).map(ChunkedVec::from)
    }
}

/// A map from small, dense `u64` keys (slot numbers) to values, kept as a
/// [`ChunkedVec`] indexed by key, so copies share it as a `ChunkedVec` is
/// shared. Iteration is in key order, as a `BTreeMap`'s. It serializes,
/// compares, hashes and debug-prints as a `BTreeMap<u64, V>` of the same
/// entries. Its size follows the largest key, not the number of entries:
/// for keys handed out one after another.
#[derive(Clone)]
pub struct DenseMap<V> {
    /// `values[k]` is the value at key `k`.
    values: ChunkedVec<Option<V>>,
    len: usize,
}

impl<V> DenseMap<V> {
    pub const fn new() -> Self {
        DenseMap {
            values: ChunkedVec::new(),
            len: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, key: &u64) -> Option<&V> {
        self.values.get(usize::try_from(*key).ok()?)?.as_ref()
    }

    pub fn contains_key(&self, key: &u64) -> bool {
        self.get(key).is_some()
    }

    /// The entries from key `from` on, in key order.
    pub fn iter_from(&self, from: u64) -> impl Iterator<Item = (u64, &V)> + '_ {
        let from = usize::try_from(from).unwrap_or(usize::MAX);
        (from as u64..)
            .zip(self.values.iter_from(from))
            .filter_map(|(k, v)| Some((k, v.as_ref()?)))
    }

    /// Every entry, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &V)> + '_ {
        self.iter_from(0)
    }

    pub fn values(&self) -> impl Iterator<Item = &V> + '_ {
        self.iter().map(|(_, v)| v)
    }

    /// The largest key with a value.
    pub fn last_key(&self) -> Option<u64> {
        (0..self.values.len() as u64)
            .rev()
            .find(|&k| self.contains_key(&k))
    }
}

impl<V: Clone> DenseMap<V> {
    /// Sets the value at `key`; returns the one it replaces.
    pub fn insert(&mut self, key: u64, value: V) -> Option<V> {
        let at = usize::try_from(key).expect("a dense key fits in memory");
        while self.values.len() <= at {
            self.values.push(None);
        }
        let old = self.values.get_mut(at).expect("just grown").replace(value);
        if old.is_none() {
            self.len += 1;
        }
        old
    }

    pub fn get_mut(&mut self, key: &u64) -> Option<&mut V> {
        self.values.get_mut(usize::try_from(*key).ok()?)?.as_mut()
    }
}

impl<V> Default for DenseMap<V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<V: Clone> FromIterator<(u64, V)> for DenseMap<V> {
    fn from_iter<I: IntoIterator<Item = (u64, V)>>(iter: I) -> Self {
        let mut map = DenseMap::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl<V: PartialEq> PartialEq for DenseMap<V> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<V: Eq> Eq for DenseMap<V> {}

/// Hashes as a `BTreeMap<u64, V>` of the same entries does.
impl<V: Hash> Hash for DenseMap<V> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.len);
        for (k, v) in self.iter() {
            k.hash(state);
            v.hash(state);
        }
    }
}

impl<V: std::fmt::Debug> std::fmt::Debug for DenseMap<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// A map, as a `BTreeMap<u64, V>` serializes.
impl<V: Serialize> Serialize for DenseMap<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de, V: Deserialize<'de> + Clone> Deserialize<'de> for DenseMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        std::collections::BTreeMap::<u64, V>::deserialize(deserializer)
            .map(|map| map.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upto(n: usize) -> ChunkedVec<usize> {
        (0..n).collect()
    }

    #[test]
    fn it_holds_what_a_vec_holds_in_the_same_order() {
        for n in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5] {
            let v = upto(n);
            let plain: Vec<usize> = (0..n).collect();
            assert_eq!(v.len(), n);
            assert_eq!(v.is_empty(), n == 0);
            assert_eq!(v, plain);
            assert_eq!(v.to_vec(), plain);
            assert_eq!(v.last(), plain.last());
            assert_eq!(v.get(n), None);
            for i in 0..n {
                assert_eq!((v[i], v.get(i)), (i, Some(&i)));
            }
            for start in [0, 1, CHUNK, n.saturating_sub(1), n, n + CHUNK + 1] {
                let from: Vec<usize> = v.iter_from(start).copied().collect();
                assert_eq!(
                    from,
                    plain.get(start..).unwrap_or(&[]),
                    "from {start} of {n}"
                );
            }
            assert_eq!(v.iter().len(), n);
            assert_eq!(v.iter_from(1).len(), n.saturating_sub(1));
        }
    }

    #[test]
    fn a_copy_shares_every_full_chunk_and_copies_only_the_tail() {
        let v = upto(200 * CHUNK + 7);
        let copy = v.clone();
        assert!(copy.shares_chunks_with(&v));
        // Each chunk is held by the original and the copy, and no more.
        assert!(v.chunks.iter().all(|c| Arc::strong_count(c) == 2));
        assert_eq!(copy.tail.len(), 7);
        // A hundred copies of a long history still hold one set of chunks.
        let copies: Vec<ChunkedVec<usize>> = (0..100).map(|_| v.clone()).collect();
        assert!(v.chunks.iter().all(|c| Arc::strong_count(c) == 102));
        assert!(copies.iter().all(|c| c.shares_chunks_with(&v)));
    }

    #[test]
    fn growing_a_copy_leaves_the_original_and_the_shared_chunks_alone() {
        let v = upto(3 * CHUNK + 2);
        let mut grown = v.clone();
        grown.extend(1000..1000 + 2 * CHUNK);
        assert_eq!(v, upto(3 * CHUNK + 2));
        assert_eq!(grown.len(), 5 * CHUNK + 2);
        let first_three_shared = v
            .chunks
            .iter()
            .zip(&grown.chunks)
            .all(|(a, b)| Arc::ptr_eq(a, b));
        assert!(first_three_shared);
    }

    #[test]
    fn a_write_to_a_shared_chunk_copies_that_chunk_only() {
        let v = upto(4 * CHUNK);
        let mut w = v.clone();
        *w.get_mut(CHUNK + 3).unwrap() = 7777;
        assert_eq!(v[CHUNK + 3], CHUNK + 3, "the original is unchanged");
        assert_eq!(w[CHUNK + 3], 7777);
        let shared: Vec<bool> = v
            .chunks
            .iter()
            .zip(&w.chunks)
            .map(|(a, b)| Arc::ptr_eq(a, b))
            .collect();
        assert_eq!(shared, [true, false, true, true]);
        assert_eq!(w.get_mut(4 * CHUNK), None);
    }

    #[test]
    fn truncating_into_a_shared_chunk_keeps_the_original_whole() {
        let v = upto(5 * CHUNK + 9);
        for len in [
            0,
            1,
            CHUNK,
            2 * CHUNK + 17,
            5 * CHUNK,
            5 * CHUNK + 3,
            9 * CHUNK,
        ] {
            let mut t = v.clone();
            t.truncate(len);
            let want: Vec<usize> = (0..len.min(v.len())).collect();
            assert_eq!(t, want, "truncated to {len}");
            assert_eq!(v, upto(5 * CHUNK + 9));
            // And it grows again from there like a vec.
            t.push(42);
            assert_eq!(t.last(), Some(&42));
            assert_eq!(t.len(), want.len() + 1);
        }
    }

    #[test]
    fn the_common_prefix_is_found_through_shared_and_unshared_chunks() {
        let v = upto(6 * CHUNK + 4);
        assert_eq!(v.common_prefix_len(&v.clone()), v.len());
        let mut w = v.clone();
        w.truncate(4 * CHUNK + 10);
        w.push(9999);
        assert_eq!(v.common_prefix_len(&w), 4 * CHUNK + 10);
        assert_eq!(w.common_prefix_len(&v), 4 * CHUNK + 10);
        // Equal elements in different chunks still count.
        let rebuilt = upto(6 * CHUNK + 4);
        assert_eq!(v.common_prefix_len(&rebuilt), v.len());
        assert_eq!(v, rebuilt);
        let mut early = v.clone();
        *early.get_mut(5).unwrap() = 0;
        assert_eq!(early.common_prefix_len(&v), 5);
        assert_ne!(early, v);
    }

    #[test]
    fn following_a_history_with_clone_from_keeps_the_chunks_shared() {
        let mut history = upto(3 * CHUNK + 1);
        let mut seen = ChunkedVec::new();
        seen.clone_from(&history);
        assert!(seen.shares_chunks_with(&history));
        history.extend(0..2 * CHUNK);
        history.truncate(4 * CHUNK - 3);
        seen.clone_from(&history);
        assert_eq!(seen, history);
        assert!(seen.shares_chunks_with(&history));
        history.truncate(CHUNK);
        seen.clone_from(&history);
        assert_eq!(seen, history);
    }

    #[test]
    fn a_chunk_written_among_shared_ones_is_still_found_to_differ() {
        let v = upto(8 * CHUNK + 1);
        for written in [0, 3 * CHUNK + 1, 7 * CHUNK + 63, 8 * CHUNK] {
            let mut w = v.clone();
            *w.get_mut(written).unwrap() = usize::MAX;
            w.push(1);
            assert_eq!(w.common_prefix_len(&v), written, "written at {written}");
            assert_eq!(v.common_prefix_len(&w), w.common_prefix_len(&v));
            let mut follower = v.clone();
            follower.clone_from(&w);
            assert_eq!(follower, w);
            assert!(follower.shares_chunks_with(&w));
            follower.clone_from(&v);
            assert_eq!(follower, v);
        }
        // Grown and cut copies share a prefix of chunks, found by bisection.
        let mut grown = v.clone();
        grown.truncate(5 * CHUNK + 2);
        grown.extend(0..10 * CHUNK);
        assert_eq!(grown.shared_chunks(&v), 5);
        assert_eq!(v.shared_chunks(&grown), 5);
    }

    #[test]
    fn a_dense_map_holds_what_a_btreemap_holds_and_reads_like_one() {
        let entries = [(3u64, 'c'), (1, 'a'), (200, 'z'), (64, 'm'), (3, 'C')];
        let mut map = DenseMap::new();
        let mut plain = std::collections::BTreeMap::new();
        for (k, v) in entries {
            assert_eq!(map.insert(k, v), plain.insert(k, v));
        }
        let pairs = |m: &DenseMap<char>| m.iter().map(|(k, v)| (k, *v)).collect::<Vec<_>>();
        assert_eq!(
            pairs(&map),
            plain.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>()
        );
        assert_eq!((map.len(), map.last_key()), (plain.len(), Some(200)));
        assert_eq!(map.get(&3), Some(&'C'));
        assert!(!map.contains_key(&2) && !map.contains_key(&u64::MAX));
        let from_64: Vec<u64> = map.iter_from(64).map(|(k, _)| k).collect();
        assert_eq!(from_64, [64, 200]);
        *map.get_mut(&1).unwrap() = 'A';
        plain.insert(1, 'A');
        let json = serde_json::to_string(&map).unwrap();
        assert_eq!(json, serde_json::to_string(&plain).unwrap());
        assert_eq!(serde_json::from_str::<DenseMap<char>>(&json).unwrap(), map);
        assert_eq!(format!("{map:?}"), format!("{plain:?}"));
        let digest = |x: &dyn Fn(&mut crate::trace::PortableHasher)| {
            let mut h = crate::trace::PortableHasher::new();
            x(&mut h);
            h.finish()
        };
        assert_eq!(digest(&|h| map.hash(h)), digest(&|h| plain.hash(h)));
        assert_eq!(DenseMap::<char>::new().last_key(), None);
    }

    #[test]
    fn a_copy_of_a_dense_map_shares_its_chunks() {
        let map: DenseMap<u64> = (1..5_000).map(|k| (k, k)).collect();
        let copy = map.clone();
        assert!(copy.values.shares_chunks_with(&map.values));
    }

    #[test]
    fn it_serializes_hashes_and_prints_as_a_vec() {
        let plain: Vec<usize> = (0..CHUNK * 2 + 3).collect();
        let v = ChunkedVec::from(plain.clone());
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            serde_json::to_string(&plain).unwrap()
        );
        let back: ChunkedVec<usize> =
            serde_json::from_str(&serde_json::to_string(&v).unwrap()).unwrap();
        assert_eq!(back, v);
        let digest = |x: &dyn Fn(&mut crate::trace::PortableHasher)| {
            let mut h = crate::trace::PortableHasher::new();
            x(&mut h);
            h.finish()
        };
        assert_eq!(digest(&|h| v.hash(h)), digest(&|h| plain.hash(h)));
        assert_eq!(format!("{v:?}"), format!("{plain:?}"));
    }
}

//! The small key-value state machine that committed entries are applied to,
//! and the client requests that carry its operations.

use crate::chunked::ChunkedVec;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// One operation on the key-value store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KvOp {
    /// `key ← value`
    Set { key: char, value: u32 },
    /// `key ← key + by` (a missing key counts as 0)
    Add { key: char, by: u32 },
}

impl std::fmt::Display for KvOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KvOp::Set { key, value } => write!(f, "{key}←{value}"),
            KvOp::Add { key, by } => write!(f, "{key}+={by}"),
        }
    }
}

/// A client's request: the operation plus a unique id, so that a request a
/// client retries is applied at most once (Raft paper, section 8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ClientRequest {
    pub id: u64,
    pub op: KvOp,
}

/// The replicated state machine. (Hashed only inside a Raft snapshot,
/// which a run without snapshots never has.)
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct KvStore {
    pub data: BTreeMap<char, u32>,
    /// Ids of requests already applied: a retried duplicate is skipped (section 8).
    pub applied_requests: RequestIds,
}

/// A set of request ids. Ids are handed out in order (`Sim::new_request`),
/// so most are small and dense: they are bits of a [`ChunkedVec`], which the
/// copies a timeline keeps share; the rare large id is kept in a sorted list.
/// It serializes as the ascending ids, as a `BTreeSet` does.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct RequestIds {
    /// Bit `id % 64` of word `id / 64` is set for each id below `DENSE_IDS`.
    dense: ChunkedVec<u64>,
    /// Ids from `DENSE_IDS` on, ascending.
    sparse: Vec<u64>,
}

/// Ids below this are bits (at most 128 KB of them); a larger one is listed.
const DENSE_IDS: u64 = 1 << 20;

impl RequestIds {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn contains(&self, id: &u64) -> bool {
        let id = *id;
        if id < DENSE_IDS {
            self.dense
                .get((id / 64) as usize)
                .is_some_and(|w| w & (1 << (id % 64)) != 0)
        } else {
            self.sparse.binary_search(&id).is_ok()
        }
    }

    /// Adds `id`; false if it was already there.
    pub fn insert(&mut self, id: u64) -> bool {
        if id >= DENSE_IDS {
            return match self.sparse.binary_search(&id) {
                Ok(_) => false,
                Err(at) => {
                    self.sparse.insert(at, id);
                    true
                }
            };
        }
        let (word, bit) = ((id / 64) as usize, 1 << (id % 64));
        while self.dense.len() <= word {
            self.dense.push(0);
        }
        let w = self.dense.get_mut(word).expect("just grown");
        let new = *w & bit == 0;
        *w |= bit;
        new
    }

    /// The ids, ascending.
    pub fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        let dense = self.dense.iter().enumerate().flat_map(|(i, &w)| {
            (0..64)
                .filter(move |b| w & (1 << b) != 0)
                .map(move |b| i as u64 * 64 + b)
        });
        dense.chain(self.sparse.iter().copied())
    }

    pub fn len(&self) -> usize {
        let dense: u32 = self.dense.iter().map(|w| w.count_ones()).sum();
        dense as usize + self.sparse.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl FromIterator<u64> for RequestIds {
    fn from_iter<I: IntoIterator<Item = u64>>(iter: I) -> Self {
        let mut ids = RequestIds::new();
        for id in iter {
            ids.insert(id);
        }
        ids
    }
}

impl std::fmt::Debug for RequestIds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl Serialize for RequestIds {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for RequestIds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<u64>::deserialize(deserializer).map(|ids| ids.into_iter().collect())
    }
}

impl KvStore {
    /// Applies a request; returns false if it was a duplicate and was skipped.
    pub fn apply(&mut self, request: &ClientRequest) -> bool {
        if !self.applied_requests.insert(request.id) {
            return false;
        }
        match request.op {
            KvOp::Set { key, value } => {
                self.data.insert(key, value);
            }
            KvOp::Add { key, by } => {
                let v = self.data.entry(key).or_insert(0);
                *v = v.wrapping_add(by);
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_request_is_applied_once_section_8() {
        let mut kv = KvStore::default();
        let r = ClientRequest {
            id: 1,
            op: KvOp::Add { key: 'x', by: 2 },
        };
        assert!(kv.apply(&r));
        assert!(!kv.apply(&r));
        assert_eq!(kv.data[&'x'], 2);
    }

    #[test]
    fn request_ids_hold_small_and_large_ids_and_serialize_as_an_ordered_set() {
        let ids = [5, 1, 64, 63, 900, DENSE_IDS + 7, u64::MAX, DENSE_IDS - 1, 0];
        let mut set = RequestIds::new();
        let mut plain = std::collections::BTreeSet::new();
        for id in ids {
            assert_eq!(set.insert(id), plain.insert(id), "first insert of {id}");
            assert!(!set.insert(id), "second insert of {id}");
        }
        assert!(ids.iter().all(|id| set.contains(id)));
        assert!(!set.contains(&2) && !set.contains(&(DENSE_IDS + 8)));
        assert!(!set.contains(&(DENSE_IDS - 2)));
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            plain.iter().copied().collect::<Vec<_>>()
        );
        assert_eq!(set.len(), plain.len());
        let json = serde_json::to_string(&set).unwrap();
        assert_eq!(json, serde_json::to_string(&plain).unwrap());
        assert_eq!(serde_json::from_str::<RequestIds>(&json).unwrap(), set);
        assert_eq!(format!("{set:?}"), format!("{plain:?}"));
    }

    #[test]
    fn a_copy_of_many_request_ids_shares_them() {
        let set: RequestIds = (1..20_000).collect();
        let copy = set.clone();
        assert!(copy.dense.shares_chunks_with(&set.dense));
    }
}

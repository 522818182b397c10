//! The small key-value state machine that committed entries are applied to,
//! and the client requests that carry its operations.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

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

/// The replicated state machine.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KvStore {
    pub data: BTreeMap<char, u32>,
    /// Ids of requests already applied: a retried duplicate is skipped (section 8).
    pub applied_requests: BTreeSet<u64>,
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
}

//! Who counts as a quorum, as a type (after raft-rs `src/quorum/majority.rs`).
//!
//! Today every protocol asks a [`Majority`] of one set of voters: the Raft
//! cluster, Paxos's acceptors, Multi-Paxos's servers. The protocols and their
//! checkers ask only through [`Quorum`], so a joint configuration (Raft's
//! C_old,new, where a decision needs a majority of both the old and the new
//! servers, raft-rs `joint.rs`) can implement it later and they need not
//! change how they count.

use crate::NodeId;
use serde::{Deserialize, Serialize};

/// What a protocol asks of the servers whose agreement it needs.
pub trait Quorum {
    /// Do the voters for which `votes` is true make a quorum?
    fn is_quorum(&self, votes: impl Fn(NodeId) -> bool) -> bool;

    /// The highest index a quorum of voters has reached, given each voter's
    /// own (for Raft, its `matchIndex`; the leader's is its last log index):
    /// every index up to it is stored on a quorum. 0 with no voters.
    fn committed_index(&self, matched: impl Fn(NodeId) -> u64) -> u64;
}

/// More than half of a set of voters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Majority {
    /// In increasing order, each once.
    voters: Vec<NodeId>,
}

impl Majority {
    pub fn new(voters: impl IntoIterator<Item = NodeId>) -> Self {
        let mut voters: Vec<NodeId> = voters.into_iter().collect();
        voters.sort_unstable();
        voters.dedup();
        Majority { voters }
    }

    /// Every server of a cluster of `nodes`.
    pub fn of_cluster(nodes: usize) -> Self {
        Majority {
            voters: (0..nodes).collect(),
        }
    }

    /// The voters, in increasing order.
    pub fn voters(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.voters.iter().copied()
    }

    pub fn contains(&self, id: NodeId) -> bool {
        self.voters.binary_search(&id).is_ok()
    }

    pub fn len(&self) -> usize {
        self.voters.len()
    }

    pub fn is_empty(&self) -> bool {
        self.voters.is_empty()
    }

    /// How many voters make a majority: more than half of them.
    pub fn threshold(&self) -> usize {
        self.voters.len() / 2 + 1
    }
}

impl Quorum for Majority {
    fn is_quorum(&self, votes: impl Fn(NodeId) -> bool) -> bool {
        self.voters().filter(|&v| votes(v)).count() >= self.threshold()
    }

    fn committed_index(&self, matched: impl Fn(NodeId) -> u64) -> u64 {
        if self.voters.is_empty() {
            return 0;
        }
        let mut indexes: Vec<u64> = self.voters().map(matched).collect();
        // Highest first: the threshold-th highest is on `threshold` voters.
        indexes.sort_unstable_by(|a, b| b.cmp(a));
        indexes[self.threshold() - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_majority_is_more_than_half_of_the_voters() {
        let thresholds: Vec<usize> = (1..=7)
            .map(|n| Majority::of_cluster(n).threshold())
            .collect();
        assert_eq!(thresholds, [1, 2, 2, 3, 3, 4, 4]);
        let q = Majority::of_cluster(5);
        assert!(q.is_quorum(|v| v < 3));
        assert!(!q.is_quorum(|v| v < 2));
    }

    #[test]
    fn only_voters_count_towards_a_quorum() {
        // Paxos's acceptors S3..S5 of six servers.
        let acceptors = Majority::new([4, 2, 3, 3]);
        assert_eq!(acceptors.voters().collect::<Vec<_>>(), [2, 3, 4]);
        assert!(acceptors.contains(3) && !acceptors.contains(0));
        assert!(
            !acceptors.is_quorum(|v| v != 2 && v != 3),
            "S1, S2, S5, S6: one acceptor"
        );
        assert!(acceptors.is_quorum(|v| v == 2 || v == 4));
    }

    #[test]
    fn fig2_the_committed_index_is_the_highest_one_a_majority_has_matched() {
        let q = Majority::of_cluster(5);
        let matched = [7, 5, 5, 2, 0];
        assert_eq!(q.committed_index(|v| matched[v]), 5);
        let matched = [7, 6, 2, 2, 0];
        assert_eq!(q.committed_index(|v| matched[v]), 2);
        assert_eq!(Majority::of_cluster(1).committed_index(|_| 4), 4);
        assert_eq!(Majority::new([]).committed_index(|_| 4), 0);
    }
}

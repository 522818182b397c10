//! A leader's view of one follower's log (Figure 2, "Volatile state on leaders").
//!
//! As in raft-rs, a follower is first *probed*: one AppendEntries at a time
//! (re-sent with each heartbeat), `nextIndex` stepping back by one on each
//! failed consistency check, until one succeeds. From then on the leader
//! *replicates*: it sends new entries as they arrive and moves `nextIndex`
//! past what it has sent, so that `nextIndex` is, as Figure 2 defines it, the
//! index of the next entry to send. Without this, every reply to a follower
//! that is behind would trigger another request, and requests would pile up.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReplicationState {
    /// Where the follower's log matches is not known yet.
    Probe,
    /// The follower's log matches up to `match_index`; entries stream to it.
    Replicate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Progress {
    /// Index of the next log entry to send to that server.
    pub next_index: u64,
    /// Index of the highest log entry known to be replicated on that server.
    pub match_index: u64,
    pub state: ReplicationState,
}

impl Progress {
    /// Reinitialized after election: `nextIndex` = leader's last log index + 1, `matchIndex` = 0.
    pub fn new(leader_last_index: u64) -> Self {
        Progress {
            next_index: leader_last_index + 1,
            match_index: 0,
            state: ReplicationState::Probe,
        }
    }

    /// A successful AppendEntries stored everything up to `index`. Late or
    /// duplicated replies never move either index backwards.
    pub fn acknowledge(&mut self, index: u64) {
        self.match_index = self.match_index.max(index);
        self.next_index = self.next_index.max(self.match_index + 1);
        self.state = ReplicationState::Replicate;
    }

    /// Entries up to `last_sent` went out in an AppendEntries.
    pub fn sent(&mut self, last_sent: u64) {
        if self.state == ReplicationState::Replicate {
            self.next_index = self.next_index.max(last_sent + 1);
        }
    }

    /// The consistency check failed for the request that followed
    /// `prev_log_index`: "decrement nextIndex and retry" (Figure 2), from the
    /// `nextIndex` that request was sent with, and probe again. Returns false for
    /// a stale reply (about an older request), which is ignored.
    pub fn back_off(&mut self, prev_log_index: u64) -> bool {
        if prev_log_index <= self.match_index || prev_log_index >= self.next_index {
            return false;
        }
        self.next_index = prev_log_index;
        self.state = ReplicationState::Probe;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fig2_leader_reinitializes_next_index_after_election() {
        assert_eq!(
            Progress::new(7),
            Progress {
                next_index: 8,
                match_index: 0,
                state: ReplicationState::Probe
            }
        );
    }

    #[test]
    fn fig2_failed_consistency_check_decrements_next_index_once_per_probe() {
        let mut p = Progress::new(5);
        assert!(p.back_off(5));
        assert_eq!(p.next_index, 5);
        assert!(
            !p.back_off(5),
            "a duplicate failure for the old probe is ignored"
        );
        assert!(p.back_off(4));
        assert_eq!(p.next_index, 4);
    }

    #[test]
    fn probing_sends_do_not_advance_next_index_but_replicating_ones_do() {
        let mut p = Progress::new(5);
        p.sent(6);
        assert_eq!(p.next_index, 6, "a probe waits for its answer");
        p.acknowledge(5);
        p.sent(9);
        assert_eq!((p.match_index, p.next_index), (5, 10));
    }

    #[test]
    fn a_broken_pipeline_falls_back_to_probing_from_the_failed_request() {
        let mut p = Progress::new(3);
        p.acknowledge(3);
        p.sent(8);
        assert!(p.back_off(6), "the request after entry 6 failed");
        assert_eq!((p.next_index, p.state), (6, ReplicationState::Probe));
        assert!(!p.back_off(3), "nothing at or below matchIndex can fail");
    }

    #[test]
    fn late_success_reply_never_moves_indexes_back() {
        let mut p = Progress::new(5);
        p.acknowledge(5);
        p.acknowledge(3);
        assert_eq!((p.next_index, p.match_index), (6, 5));
        assert!(
            !p.back_off(5),
            "next_index never falls to or below match_index"
        );
    }
}

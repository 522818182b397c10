//! A leader's view of one follower's log (Figure 2, "Volatile state on leaders").

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Progress {
    /// Index of the next log entry to send to that server.
    pub next_index: u64,
    /// Index of the highest log entry known to be replicated on that server.
    pub match_index: u64,
}

impl Progress {
    /// Reinitialized after election: `nextIndex` = leader's last log index + 1, `matchIndex` = 0.
    pub fn new(leader_last_index: u64) -> Self {
        Progress {
            next_index: leader_last_index + 1,
            match_index: 0,
        }
    }

    /// A successful AppendEntries stored everything up to `index`. Late or
    /// duplicated replies never move either index backwards.
    pub fn acknowledge(&mut self, index: u64) {
        self.match_index = self.match_index.max(index);
        self.next_index = self.next_index.max(self.match_index + 1);
    }

    /// The consistency check failed for the request that followed
    /// `prev_log_index`: step `nextIndex` back by one and retry (Figure 2).
    /// Returns false for a stale reply (one about an older probe), which is ignored.
    pub fn back_off(&mut self, prev_log_index: u64) -> bool {
        if prev_log_index + 1 != self.next_index || self.next_index <= self.match_index + 1 {
            return false;
        }
        self.next_index -= 1;
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
                match_index: 0
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
    fn late_success_reply_never_moves_indexes_back() {
        let mut p = Progress::new(5);
        p.acknowledge(5);
        p.acknowledge(3);
        assert_eq!(
            p,
            Progress {
                next_index: 6,
                match_index: 5
            }
        );
        assert!(
            !p.back_off(5),
            "next_index never falls to or below match_index"
        );
    }
}

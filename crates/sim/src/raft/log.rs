//! The Raft log: entries indexed from 1, and the small operations Figure 2 uses.

use crate::kv::ClientRequest;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entry {
    /// The term of the leader that created the entry.
    pub term: u64,
    pub request: ClientRequest,
}

/// What [`Log::append_after`] did to the log.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AppendOutcome {
    /// Conflicting entries from this index on were deleted (Figure 2, AppendEntries rule 3).
    pub truncated_from: Option<u64>,
    /// Entries that were new and got appended (rule 4).
    pub appended: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Log {
    entries: Vec<Entry>,
}

impl Log {
    pub fn last_index(&self) -> u64 {
        self.entries.len() as u64
    }

    /// Term of the last entry, 0 for an empty log.
    pub fn last_term(&self) -> u64 {
        self.entries.last().map_or(0, |e| e.term)
    }

    /// Term of the entry at `index`; index 0 is the empty prefix, of term 0.
    pub fn term_at(&self, index: u64) -> Option<u64> {
        if index == 0 {
            Some(0)
        } else {
            self.entry(index).map(|e| e.term)
        }
    }

    pub fn entry(&self, index: u64) -> Option<&Entry> {
        index
            .checked_sub(1)
            .and_then(|i| self.entries.get(i as usize))
    }

    /// All entries, index 1 first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Up to `max` entries starting at `index`.
    pub fn entries_from(&self, index: u64, max: usize) -> Vec<Entry> {
        let start = (index.max(1) - 1) as usize;
        self.entries.iter().skip(start).take(max).copied().collect()
    }

    /// The consistency check of AppendEntries (Figure 2, receiver rule 2):
    /// does the log contain an entry at `prev_log_index` whose term is `prev_log_term`?
    pub fn matches(&self, prev_log_index: u64, prev_log_term: u64) -> bool {
        self.term_at(prev_log_index) == Some(prev_log_term)
    }

    /// Section 5.4.1: is a log ending in (`last_log_term`, `last_log_index`) at least as
    /// up-to-date as this one? Later last term wins; with equal terms, the longer log.
    pub fn is_up_to_date(&self, last_log_term: u64, last_log_index: u64) -> bool {
        (last_log_term, last_log_index) >= (self.last_term(), self.last_index())
    }

    /// A leader appends a new entry; returns its index.
    pub fn append(&mut self, entry: Entry) -> u64 {
        self.entries.push(entry);
        self.last_index()
    }

    /// Figure 2, AppendEntries receiver rules 3 and 4, for entries that follow
    /// `prev_log_index` (which the caller has already matched): an existing entry
    /// that conflicts with a new one (same index, different term) is deleted with
    /// all that follow it; new entries not already in the log are appended.
    /// Entries that already match are left alone, so a delayed or duplicated
    /// AppendEntries never truncates entries it does not conflict with.
    pub fn append_after(&mut self, prev_log_index: u64, new: &[Entry]) -> AppendOutcome {
        let mut outcome = AppendOutcome::default();
        for (offset, entry) in new.iter().enumerate() {
            let index = prev_log_index + 1 + offset as u64;
            match self.term_at(index) {
                Some(term) if term == entry.term => continue,
                Some(_) => {
                    self.entries.truncate((index - 1) as usize);
                    outcome.truncated_from = Some(index);
                }
                None => {}
            }
            self.entries.push(*entry);
            outcome.appended += 1;
        }
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kv::KvOp;

    fn e(term: u64, id: u64) -> Entry {
        Entry {
            term,
            request: ClientRequest {
                id,
                op: KvOp::Set {
                    key: 'x',
                    value: id as u32,
                },
            },
        }
    }

    fn log(terms: &[u64]) -> Log {
        let mut l = Log::default();
        for (i, t) in terms.iter().enumerate() {
            l.append(e(*t, i as u64 + 1));
        }
        l
    }

    #[test]
    fn index_zero_is_the_empty_prefix_of_term_zero() {
        let l = Log::default();
        assert!(l.matches(0, 0));
        assert_eq!(l.term_at(1), None);
        assert_eq!((l.last_index(), l.last_term()), (0, 0));
    }

    #[test]
    fn fig2_append_entries_rule_2_consistency_check() {
        let l = log(&[1, 1, 2]);
        assert!(l.matches(3, 2));
        assert!(!l.matches(3, 1), "wrong term at prev_log_index");
        assert!(!l.matches(4, 2), "no entry at prev_log_index");
    }

    #[test]
    fn fig2_append_entries_rule_3_conflict_truncates_the_suffix() {
        let mut l = log(&[1, 1, 2, 2]);
        let out = l.append_after(2, &[e(3, 9)]);
        assert_eq!(out.truncated_from, Some(3));
        assert_eq!(
            l.entries().iter().map(|e| e.term).collect::<Vec<_>>(),
            vec![1, 1, 3]
        );
    }

    #[test]
    fn fig2_append_entries_rule_4_stale_request_does_not_truncate_matching_entries() {
        let mut l = log(&[1, 1, 1, 1]);
        // A delayed AppendEntries carrying only entry 2 must not delete 3 and 4.
        let out = l.append_after(1, &[*log(&[1, 1]).entry(2).unwrap()]);
        assert_eq!(
            out,
            AppendOutcome {
                truncated_from: None,
                appended: 0
            }
        );
        assert_eq!(l.last_index(), 4);
    }

    #[test]
    fn section_5_4_1_up_to_date_compares_last_term_then_length() {
        let l = log(&[1, 2, 2]);
        assert!(
            l.is_up_to_date(3, 1),
            "a later last term wins even if shorter"
        );
        assert!(
            !l.is_up_to_date(1, 9),
            "an earlier last term loses even if longer"
        );
        assert!(l.is_up_to_date(2, 3), "equal is up to date");
        assert!(!l.is_up_to_date(2, 2), "same last term, shorter loses");
    }
}

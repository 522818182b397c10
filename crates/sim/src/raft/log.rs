//! The Raft log: entries indexed from 1, and the small operations Figure 2 uses.
//!
//! Callers address entries by their index only (`entry`, `term_at`,
//! `iter_from`, `first_index`, `last_index`), never by a position in the
//! entries held. Log compaction (section 7, Figure 12) replaces a prefix by a
//! [`Snapshot`]: the log then starts after the snapshot's lastIncludedIndex
//! and knows that entry's term, lastIncludedTerm (`Log::prefix`), so the
//! consistency check at prevLogIndex == lastIncludedIndex still works. The
//! snapshot is part of the log and so of what persists across a crash.
//!
//! The entries are a [`ChunkedVec`]: a timeline's snapshots and the safety
//! checker keep copies of every log, which share all but the last few
//! entries instead of each holding the whole history.

use crate::chunked::ChunkedVec;
use crate::kv::{ClientRequest, KvStore};
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};

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

/// A snapshot of the state machine (section 7, Figure 12): it replaces the
/// log's entries through `last_included_index`, the last of which has term
/// `last_included_term`, by the key-value state they produced.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Snapshot {
    pub last_included_index: u64,
    pub last_included_term: u64,
    /// The state machine after applying entries `1..=last_included_index`
    /// (the ids of the requests applied included, section 8).
    pub state: KvStore,
}

#[derive(Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Log {
    /// The entries held, the one at `first_index()` first.
    entries: ChunkedVec<Entry>,
    /// What replaced the entries before `first_index()`, if anything did.
    /// Left out of a log without one, so a run without snapshots reads and
    /// writes as it did before they existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    snapshot: Option<Snapshot>,
}

/// As `#[derive(Hash)]` would hash it, except that the snapshot is hashed
/// only when there is one: a log without one hashes as it did before
/// snapshots existed.
impl Hash for Log {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.entries.hash(state);
        if let Some(snapshot) = &self.snapshot {
            snapshot.hash(state);
        }
    }
}

impl Clone for Log {
    fn clone(&self) -> Self {
        Log {
            entries: self.entries.clone(),
            snapshot: self.snapshot.clone(),
        }
    }

    /// Keeps the entries already shared with `source` (see [`ChunkedVec`]).
    fn clone_from(&mut self, source: &Self) {
        self.entries.clone_from(&source.entries);
        if self.snapshot != source.snapshot {
            self.snapshot.clone_from(&source.snapshot);
        }
    }
}

impl Log {
    /// The index and term of the last entry before the ones held: the empty
    /// prefix (index 0, term 0) until a snapshot replaces a prefix of the
    /// log, then the snapshot's lastIncludedIndex and lastIncludedTerm.
    pub fn prefix(&self) -> (u64, u64) {
        self.snapshot
            .as_ref()
            .map_or((0, 0), |s| (s.last_included_index, s.last_included_term))
    }

    /// The snapshot that replaced the log's prefix, if one has.
    pub fn snapshot(&self) -> Option<&Snapshot> {
        self.snapshot.as_ref()
    }

    /// Section 7: the entries through `index` (held, and applied to `state`)
    /// are replaced by a snapshot of `state`; the entries after it stay.
    /// Returns the snapshot's lastIncludedTerm.
    pub fn compact(&mut self, index: u64, state: KvStore) -> u64 {
        let term = self.term_at(index).expect("a snapshot of a held entry");
        let kept: Vec<Entry> = self.iter_from(index + 1).map(|(_, e)| *e).collect();
        self.entries = kept.into_iter().collect();
        self.snapshot = Some(Snapshot {
            last_included_index: index,
            last_included_term: term,
            state,
        });
        term
    }

    /// Figure 13, InstallSnapshot receiver rules 6 and 7: "If existing log
    /// entry has same index and term as snapshot's last included entry,
    /// retain log entries following it"; otherwise "discard the entire log".
    /// The log then starts after the snapshot. Returns how many entries were
    /// kept.
    pub fn install(&mut self, snapshot: Snapshot) -> u64 {
        let (index, term) = (snapshot.last_included_index, snapshot.last_included_term);
        let kept: Vec<Entry> = if self.entry(index).is_some_and(|e| e.term == term) {
            self.iter_from(index + 1).map(|(_, e)| *e).collect()
        } else {
            Vec::new()
        };
        let count = kept.len() as u64;
        self.entries = kept.into_iter().collect();
        self.snapshot = Some(snapshot);
        count
    }

    /// Where the entry at `index` is in `entries`, if the log holds it.
    fn position(&self, index: u64) -> Option<usize> {
        let position = index.checked_sub(self.first_index())?;
        (position < self.entries.len() as u64).then_some(position as usize)
    }

    /// The index of the first entry the log holds (1: nothing is compacted).
    pub fn first_index(&self) -> u64 {
        self.prefix().0 + 1
    }

    /// The index of the last entry, 0 for an empty log.
    pub fn last_index(&self) -> u64 {
        self.prefix().0 + self.entries.len() as u64
    }

    /// Term of the last entry, 0 for an empty log.
    pub fn last_term(&self) -> u64 {
        self.entries.last().map_or(self.prefix().1, |e| e.term)
    }

    /// How many entries the log holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Term of the entry at `index`; index 0 is the empty prefix, of term 0,
    /// and a snapshot's lastIncludedIndex has its lastIncludedTerm (the
    /// consistency check at the boundary, section 7). Entries compacted
    /// before that have no term here.
    pub fn term_at(&self, index: u64) -> Option<u64> {
        if index == self.prefix().0 {
            Some(self.prefix().1)
        } else {
            self.entry(index).map(|e| e.term)
        }
    }

    /// The entry at `index`, if the log holds one there.
    pub fn entry(&self, index: u64) -> Option<&Entry> {
        self.entries.get(self.position(index)?)
    }

    /// The entries from `index` on (from the first one held, if `index` is
    /// before it), each with its index.
    pub fn iter_from(&self, index: u64) -> impl Iterator<Item = (u64, &Entry)> + '_ {
        let start = index.max(self.first_index());
        let skip = (start - self.first_index()) as usize;
        (start..).zip(self.entries.iter_from(skip))
    }

    /// Every entry the log holds, each with its index.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &Entry)> + '_ {
        self.iter_from(self.first_index())
    }

    /// The last index up to which this log and `other` hold the same
    /// entries (0 if they differ at the first). Entries still shared with a
    /// copy the other log was made from are not compared one by one, so a
    /// checker that keeps a copy of each log finds what changed since in
    /// time that does not grow with the log.
    ///
    /// A snapshot stands for the entries it replaced: where the log with the
    /// later snapshot ends its prefix, the other must hold an entry of that
    /// index and term (else the logs are the same only up to the earlier
    /// prefix), and the entries after it are compared one by one.
    pub fn common_prefix(&self, other: &Log) -> u64 {
        if self.prefix() == other.prefix() {
            return self.prefix().0 + self.entries.common_prefix_len(&other.entries) as u64;
        }
        let (later, earlier) = if self.prefix().0 >= other.prefix().0 {
            (self, other)
        } else {
            (other, self)
        };
        let (index, term) = later.prefix();
        if earlier.term_at(index) != Some(term) {
            return earlier.prefix().0.min(index);
        }
        let same = later
            .iter_from(index + 1)
            .zip(earlier.iter_from(index + 1))
            .take_while(|((_, a), (_, b))| a == b)
            .count();
        index + same as u64
    }

    /// Up to `max` entries starting at `index`.
    pub fn entries_from(&self, index: u64, max: usize) -> Vec<Entry> {
        self.iter_from(index).take(max).map(|(_, e)| *e).collect()
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

    /// True when `other` holds this log's entries in the very chunks this
    /// one does (a copy that has not diverged), not merely equal ones.
    #[cfg(test)]
    pub(crate) fn shares_entries_with(&self, other: &Log) -> bool {
        self.entries.shares_chunks_with(&other.entries)
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
                    let position = self.position(index).expect("a term of a held entry");
                    self.entries.truncate(position);
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
    fn entries_are_addressed_by_index_from_the_first_one_held() {
        let l = log(&[1, 1, 2, 3]);
        assert_eq!((l.first_index(), l.last_index(), l.len()), (1, 4, 4));
        assert_eq!(l.entry(3).map(|e| e.term), Some(2));
        assert_eq!(
            l.entry(0),
            None,
            "index 0 is the empty prefix, not an entry"
        );
        assert_eq!(l.entry(5), None);
        let from_3: Vec<(u64, u64)> = l.iter_from(3).map(|(i, e)| (i, e.term)).collect();
        assert_eq!(from_3, [(3, 2), (4, 3)]);
        assert_eq!(
            l.iter_from(0).count(),
            4,
            "from before the first: from the first"
        );
        assert_eq!(l.iter_from(9).count(), 0);
        let sent: Vec<u64> = l.entries_from(2, 2).iter().map(|e| e.term).collect();
        assert_eq!(sent, [1, 2]);
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
            l.iter().map(|(_, e)| e.term).collect::<Vec<_>>(),
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
    fn the_common_prefix_ends_before_the_first_entry_that_differs() {
        let l = log(&[1, 1, 2, 2]);
        let mut m = l.clone();
        m.append_after(2, &[e(3, 9)]);
        assert_eq!(l.common_prefix(&m), 2);
        assert_eq!(m.common_prefix(&l), 2);
        assert_eq!(l.common_prefix(&l.clone()), 4);
        assert_eq!(l.common_prefix(&log(&[1, 1, 2, 2, 2])), 4);
        assert_eq!(l.common_prefix(&Log::default()), 0);
    }

    #[test]
    fn section_7_compacting_keeps_the_boundary_term_and_the_entries_after_it() {
        let mut l = log(&[1, 1, 2, 2, 3]);
        assert_eq!(l.compact(3, KvStore::default()), 2);
        assert_eq!((l.first_index(), l.last_index(), l.len()), (4, 5, 2));
        assert_eq!(
            (l.term_at(3), l.term_at(2), l.entry(3)),
            (Some(2), None, None)
        );
        assert!(
            l.matches(3, 2) && !l.matches(3, 1),
            "the check at lastIncludedIndex"
        );
        assert_eq!(l.iter_from(1).map(|(i, _)| i).collect::<Vec<_>>(), [4, 5]);
        // Compacting everything leaves the snapshot's index and term as the log's last.
        l.compact(5, KvStore::default());
        assert!(l.is_empty());
        assert_eq!((l.last_index(), l.last_term(), l.first_index()), (5, 3, 6));
        assert_eq!(l.append(e(4, 9)), 6);
    }

    #[test]
    fn fig13_install_keeps_what_follows_a_matching_entry_and_discards_a_log_without_one() {
        let snapshot = |index, term| Snapshot {
            last_included_index: index,
            last_included_term: term,
            state: KvStore::default(),
        };
        let mut l = log(&[1, 1, 2, 2]);
        assert_eq!(l.install(snapshot(2, 1)), 2, "rule 6");
        assert_eq!((l.first_index(), l.last_index()), (3, 4));
        let mut l = log(&[1, 1, 2, 2]);
        assert_eq!(l.install(snapshot(2, 3)), 0, "rule 7: term differs");
        assert_eq!((l.last_index(), l.last_term()), (2, 3));
        let mut l = log(&[1]);
        assert_eq!(l.install(snapshot(4, 1)), 0, "rule 7: too short");
        assert_eq!((l.first_index(), l.last_index()), (5, 4));
    }

    #[test]
    fn the_common_prefix_of_a_log_and_its_compacted_self_is_the_whole_log() {
        let l = log(&[1, 1, 2, 2]);
        let mut m = l.clone();
        m.compact(2, KvStore::default());
        assert_eq!((m.common_prefix(&l), l.common_prefix(&m)), (4, 4));
        m.append(e(3, 9));
        assert_eq!(m.common_prefix(&l), 4);
        // A snapshot of an entry the other log does not hold: same only up to its own prefix.
        let other = log(&[1, 3, 3]);
        assert_eq!(m.common_prefix(&other), 0);
        // A log and its copy with no snapshot yet agree as before.
        assert_eq!(l.common_prefix(&l.clone()), 4);
    }

    #[test]
    fn a_log_without_a_snapshot_hashes_and_serializes_as_before_snapshots_existed() {
        let l = log(&[1, 2]);
        let json = serde_json::to_value(&l).unwrap();
        assert_eq!(json.as_object().unwrap().len(), 1, "only entries: {json}");
        let digest = |l: &Log| crate::kernel::trace::chain(0, l);
        let entries = crate::kernel::trace::chain(0, &l.entries);
        assert_eq!(digest(&l), entries);
        let mut m = l.clone();
        m.compact(1, KvStore::default());
        assert_ne!(digest(&m), crate::kernel::trace::chain(0, &m.entries));
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

//! The safety properties of Raft (Figure 3 of the paper), as code.
//!
//! [`RaftSafety`] watches a run event by event and checks, after each one:
//!
//! - **Election Safety**: at most one leader is elected in a given term, over
//!   the whole history (not just among the leaders alive at one instant).
//! - **Leader Append-Only**: a leader never overwrites or deletes entries in
//!   its log; it only appends.
//! - **Log Matching**: if two logs contain an entry with the same index and
//!   term, the logs are identical in all entries up through that index. It is
//!   checked over history: every (index, term) ever seen must always stand on
//!   the same prefix.
//! - **Leader Completeness**: if an entry is committed in a term, it is in the
//!   log of every leader of every later term.
//! - **State Machine Safety**: no two servers ever commit or apply a different
//!   entry at the same index.
//!
//! Over compacted logs (section 7) the checker still knows every committed
//! entry: its own record of them, kept as they are committed, holds those a
//! server has since replaced by a snapshot (and the entries a server applied
//! and compacted within one step are taken from its Applied events). A
//! snapshot must end in the committed entry of its lastIncludedIndex, carry
//! exactly the state the committed entries through it produce, and a log
//! goes on from it as from any entry: Log Matching's digest of the prefix a
//! snapshot ends is the one remembered for that (index, term).
//!
//! The checks are incremental (each node's log is compared with what the
//! checker saw of it last time, and only what changed is examined), so a
//! thousand runs of thousands of events can be checked after every event.
//! What the checker remembers grows with the run, and a timeline keeps a
//! copy of it with every snapshot: it is kept in [`ChunkedVec`]s (the copy of
//! each log a copy of the log itself), so copies share all but the newest.

use super::Log;
use super::{Message, Raft, RaftEvent, RaftTimer, Role};
use crate::check::{Checked, Violation};
use crate::chunked::ChunkedVec;
use crate::kernel::trace;
use crate::kernel::{EventOf, NodeState, SimEvent};
use crate::kv::{ClientRequest, KvOp, KvStore};
use crate::{node_name, NodeId, Sim, Time};
use std::collections::BTreeMap;

/// The five properties of Figure 3.
pub const RAFT_PROPERTIES: [&str; 5] = [
    "Election Safety",
    "Leader Append-Only",
    "Log Matching",
    "Leader Completeness",
    "State Machine Safety",
];

/// An entry's identity for the checks: its term and the request it carries.
type EntryKey = (u64, ClientRequest);

impl Checked for Raft {
    type Safety = RaftSafety;
    const PROPERTIES: &'static [&'static str] = &RAFT_PROPERTIES;

    fn check_safety(
        safety: &mut RaftSafety,
        sim: &Sim<Raft>,
        events: &[EventOf<Raft>],
    ) -> Result<(), Violation> {
        safety.check(sim, events)
    }
}

/// What broke a property, as data (the page words it in each language;
/// its `Display` is the violation's English detail).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RaftBreach {
    /// `node` is leader of `term`, which `first` won before.
    TwoLeaders {
        node: NodeId,
        term: u64,
        first: NodeId,
    },
    /// `node`, leader of `term`, changed or removed its entry at `index`.
    Overwrote { node: NodeId, term: u64, index: u64 },
    /// `node` has an entry at `index` of `term` on a prefix another log has differently.
    PrefixDiffers { node: NodeId, index: u64, term: u64 },
    /// `node`'s commitIndex or lastApplied passes the end of its log (or each other).
    CommitPastLog {
        node: NodeId,
        commit_index: u64,
        last_applied: u64,
        entries: u64,
    },
    /// `node` committed an entry of `term` at `index`, where one of `other_term` was committed.
    CommittedOther {
        node: NodeId,
        index: u64,
        term: u64,
        other_term: u64,
    },
    /// `node` applied an entry of `term` carrying `request` at `index`, which is not the
    /// committed one (`committed`: the term and request of that one, if any).
    AppliedOther {
        node: NodeId,
        index: u64,
        term: u64,
        request: KvOp,
        committed: Option<(u64, KvOp)>,
    },
    /// `node`, leader of `term`, lacks the entry of `entry_term` at `index` committed in `commit_term`.
    LeaderLacks {
        node: NodeId,
        term: u64,
        index: u64,
        entry_term: u64,
        commit_term: u64,
    },
    /// `node`'s snapshot ends at `index` in an entry of `term`, where the committed
    /// entry is of `committed` (or none is committed there).
    SnapshotEndsOther {
        node: NodeId,
        index: u64,
        term: u64,
        committed: Option<u64>,
    },
    /// `node`'s snapshot goes to `index`, past its `last_applied`.
    SnapshotPastApplied {
        node: NodeId,
        index: u64,
        last_applied: u64,
    },
    /// `node`'s snapshot through `index` holds a state the committed entries do not produce.
    SnapshotState { node: NodeId, index: u64 },
}

impl RaftBreach {
    /// The property it breaks, as [`RAFT_PROPERTIES`] names it.
    pub fn property(&self) -> &'static str {
        match self {
            RaftBreach::TwoLeaders { .. } => RAFT_PROPERTIES[0],
            RaftBreach::Overwrote { .. } => RAFT_PROPERTIES[1],
            RaftBreach::PrefixDiffers { .. } => RAFT_PROPERTIES[2],
            RaftBreach::LeaderLacks { .. } => RAFT_PROPERTIES[3],
            RaftBreach::CommitPastLog { .. }
            | RaftBreach::CommittedOther { .. }
            | RaftBreach::AppliedOther { .. }
            | RaftBreach::SnapshotEndsOther { .. }
            | RaftBreach::SnapshotPastApplied { .. }
            | RaftBreach::SnapshotState { .. } => RAFT_PROPERTIES[4],
        }
    }
}

impl std::fmt::Display for RaftBreach {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            RaftBreach::TwoLeaders { node, term, first } => write!(
                f,
                "{} is leader of term {term}, which {} won before",
                node_name(node),
                node_name(first)
            ),
            RaftBreach::Overwrote { node, term, index } => write!(
                f,
                "{}, leader of term {term}, changed or removed its entry at index {index}",
                node_name(node)
            ),
            RaftBreach::PrefixDiffers { node, index, term } => write!(
                f,
                "{} has an entry at index {index} of term {term} whose preceding entries differ from another log's",
                node_name(node)
            ),
            RaftBreach::CommitPastLog {
                node,
                commit_index,
                last_applied,
                entries,
            } => write!(
                f,
                "{} has commitIndex {commit_index} and lastApplied {last_applied} with only {entries} entries",
                node_name(node)
            ),
            RaftBreach::CommittedOther {
                node,
                index,
                term,
                other_term,
            } => write!(
                f,
                "{} committed entry {index} of term {term}, but another server committed one of term {other_term} there",
                node_name(node)
            ),
            RaftBreach::AppliedOther {
                node,
                index,
                term,
                request,
                committed,
            } => {
                write!(
                    f,
                    "{} applied entry {index} (term {term}, {request}), but ",
                    node_name(node)
                )?;
                match committed {
                    Some((t, r)) => write!(f, "the entry committed there is (term {t}, {r})"),
                    None => f.write_str("no entry is committed there"),
                }
            }
            RaftBreach::LeaderLacks {
                node,
                term,
                index,
                entry_term,
                commit_term,
            } => write!(
                f,
                "{}, leader of term {term}, lacks entry {index} (term {entry_term}) committed in term {commit_term}",
                node_name(node)
            ),
            RaftBreach::SnapshotEndsOther {
                node,
                index,
                term,
                committed,
            } => {
                write!(
                    f,
                    "{}'s snapshot ends at index {index} in an entry of term {term}, but the committed entry there is ",
                    node_name(node)
                )?;
                match committed {
                    Some(t) => write!(f, "of term {t}"),
                    None => f.write_str("none"),
                }
            }
            RaftBreach::SnapshotPastApplied {
                node,
                index,
                last_applied,
            } => write!(
                f,
                "{}'s snapshot goes to index {index}, past its lastApplied {last_applied}",
                node_name(node)
            ),
            RaftBreach::SnapshotState { node, index } => write!(
                f,
                "{}'s snapshot through index {index} holds a state the committed entries up to there do not produce",
                node_name(node)
            ),
        }
    }
}

/// What the checker remembers of one node's log. (The digest of each of
/// its prefixes is the one [`EntriesSeen`] remembers for its entries.)
#[derive(Clone, Debug, Default)]
struct SeenLog {
    /// The log as last seen: a copy, sharing its entries with the log.
    log: Log,
    /// The term in which the node was leader when last seen, if it was.
    leader_term: Option<u64>,
    /// Entries `1..=verified_committed` are known to equal the committed ones.
    verified_committed: usize,
    /// As leader of `leader_term`: committed entries `1..=completeness_checked` were checked present.
    completeness_checked: usize,
}

/// Every (index, term) ever seen in a log, with the digest of the prefix it
/// ended then (Log Matching's memory); `at[i]` is about index `i + 1`.
#[derive(Clone, Debug, Default)]
struct EntriesSeen {
    at: ChunkedVec<TermsAt>,
}

/// The (term, digest) pairs seen at one index: almost always one; more where
/// leaders of different terms wrote different entries there.
#[derive(Clone, Debug)]
struct TermsAt {
    first: (u64, u64),
    others: Vec<(u64, u64)>,
}

impl EntriesSeen {
    /// The digest of the prefix (index, term) ended when first seen.
    fn digest(&self, index: u64, term: u64) -> Option<u64> {
        let at = self.at.get(index.checked_sub(1)? as usize)?;
        let mut seen = std::iter::once(&at.first).chain(&at.others);
        seen.find(|(t, _)| *t == term).map(|&(_, digest)| digest)
    }

    /// The digest first seen for (index, term): `digest` itself if the pair
    /// is new. A log's entries are seen in index order, so a new index is
    /// always the next one.
    fn remember(&mut self, index: u64, term: u64, digest: u64) -> u64 {
        if let Some(before) = self.digest(index, term) {
            return before;
        }
        let i = (index - 1) as usize;
        match self.at.get_mut(i) {
            Some(at) => at.others.push((term, digest)),
            None => {
                debug_assert_eq!(i, self.at.len(), "an index seen before those below it");
                self.at.push(TermsAt {
                    first: (term, digest),
                    others: Vec::new(),
                });
            }
        }
        digest
    }
}

#[derive(Clone, Debug)]
struct Committed {
    key: EntryKey,
    /// The term of the leader that first marked it committed.
    commit_term: u64,
}

/// What Figure 3 is checked over: the history of a Raft run so far. Run it
/// with a [`crate::check::Checker`]`<Raft>`.
#[derive(Clone, Debug, Default)]
pub struct RaftSafety {
    leaders: BTreeMap<u64, NodeId>,
    seen: Vec<SeenLog>,
    entries: EntriesSeen,
    /// `committed[i]` is the entry committed at index `i + 1`.
    committed: ChunkedVec<Committed>,
    /// What broke a property, once something has.
    breach: Option<RaftBreach>,
    /// The state the committed entries through an index produce, for the
    /// indexes snapshots were checked at (none without snapshots).
    states: BTreeMap<u64, KvStore>,
}

impl RaftSafety {
    /// Leaders elected so far, by term (the history Election Safety is checked over).
    pub fn leaders_by_term(&self) -> &BTreeMap<u64, NodeId> {
        &self.leaders
    }

    fn check(&mut self, sim: &Sim<Raft>, events: &[EventOf<Raft>]) -> Result<(), Violation> {
        let now = sim.now();
        if self.seen.len() != sim.nodes().len() {
            self.seen = vec![SeenLog::default(); sim.nodes().len()];
            for slot in sim.nodes() {
                if let NodeState::Up(node) = &slot.state {
                    self.check_node(node, &[], now)?;
                }
            }
        }
        // Only a node named by an event ran a handler; only its state can have changed.
        let mut touched: Vec<NodeId> = events
            .iter()
            .filter_map(|e| touched_node(&e.event))
            .collect();
        touched.sort_unstable();
        touched.dedup();
        let committed_before = self.committed.len();
        for id in touched {
            if let Some(NodeState::Up(node)) = sim.node(id).map(|s| &s.state) {
                self.check_node(node, events, now)?;
            }
        }
        for e in events {
            if let SimEvent::Protocol {
                node,
                event: RaftEvent::Applied { index, entry, .. },
            } = &e.event
            {
                let committed = self.committed.get(*index as usize - 1).map(|c| c.key);
                if committed != Some((entry.term, entry.request)) {
                    let breach = RaftBreach::AppliedOther {
                        node: *node,
                        index: *index,
                        term: entry.term,
                        request: entry.request.op,
                        committed: committed.map(|(t, r)| (t, r.op)),
                    };
                    return Err(self.fail(e.time, breach));
                }
            }
        }
        // New commitments must already be in the log of every leader of a later term.
        if self.committed.len() > committed_before {
            for slot in sim.nodes() {
                if let NodeState::Up(node) = &slot.state {
                    if node.role == Role::Leader {
                        self.check_completeness(node, now)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// What broke a property, if anything has.
    pub fn breach(&self) -> Option<&RaftBreach> {
        self.breach.as_ref()
    }

    /// Keeps `breach` and reports it.
    fn fail(&mut self, time: Time, breach: RaftBreach) -> Violation {
        self.breach = Some(breach);
        Violation {
            property: breach.property(),
            time,
            detail: breach.to_string(),
        }
    }

    /// Entries `node` applied in `events` that no server was seen to commit
    /// before (it committed, applied and compacted them within one step),
    /// added to the record of committed entries, their prefixes' digests
    /// remembered as if seen in a log.
    fn commit_applied(
        &mut self,
        node: &Raft,
        events: &[EventOf<Raft>],
        now: Time,
    ) -> Result<(), Violation> {
        for e in events {
            let SimEvent::Protocol {
                node: id,
                event: RaftEvent::Applied { index, entry, .. },
            } = &e.event
            else {
                continue;
            };
            if *id != node.id || *index != self.committed.len() as u64 + 1 {
                continue;
            }
            let before = match index - 1 {
                0 => Some(trace::EMPTY),
                i => {
                    let term = self.committed.get(i as usize - 1).map(|c| c.key.0);
                    term.and_then(|t| self.entries.digest(i, t))
                }
            }
            .expect("a committed entry has its digest remembered");
            let digest = trace::chain(before, &(entry.term, entry.request));
            if self.entries.remember(*index, entry.term, digest) != digest {
                let breach = RaftBreach::PrefixDiffers {
                    node: node.id,
                    index: *index,
                    term: entry.term,
                };
                return Err(self.fail(now, breach));
            }
            self.committed.push(Committed {
                key: (entry.term, entry.request),
                commit_term: node.current_term,
            });
        }
        Ok(())
    }

    /// The state machine after the committed entries `1..=index`, from the
    /// nearest state computed before.
    fn state_at(&mut self, index: u64) -> KvStore {
        let (from, mut kv) = self
            .states
            .range(..=index)
            .next_back()
            .map_or((0, KvStore::default()), |(i, kv)| (*i, kv.clone()));
        for c in self
            .committed
            .iter_from(from as usize)
            .take((index - from) as usize)
        {
            kv.apply(&c.key.1);
        }
        self.states.insert(index, kv.clone());
        kv
    }

    /// State Machine Safety for a compacted log: its snapshot stands for the
    /// committed entries through lastIncludedIndex, ends in the committed
    /// one there, and holds the state they produce.
    fn check_snapshot(
        &mut self,
        node: &Raft,
        events: &[EventOf<Raft>],
        now: Time,
    ) -> Result<(), Violation> {
        let Some(snapshot) = node.log.snapshot() else {
            return Ok(());
        };
        let (index, term) = (snapshot.last_included_index, snapshot.last_included_term);
        if (self.committed.len() as u64) < index {
            self.commit_applied(node, events, now)?;
        }
        let committed = index
            .checked_sub(1)
            .and_then(|i| self.committed.get(i as usize))
            .map(|c| c.key.0);
        if committed != Some(term) {
            let breach = RaftBreach::SnapshotEndsOther {
                node: node.id,
                index,
                term,
                committed,
            };
            return Err(self.fail(now, breach));
        }
        if node.last_applied < index {
            let breach = RaftBreach::SnapshotPastApplied {
                node: node.id,
                index,
                last_applied: node.last_applied,
            };
            return Err(self.fail(now, breach));
        }
        if self.seen[node.id].log.snapshot() != Some(snapshot)
            && self.state_at(index) != snapshot.state
        {
            let breach = RaftBreach::SnapshotState {
                node: node.id,
                index,
            };
            return Err(self.fail(now, breach));
        }
        Ok(())
    }

    fn check_node(
        &mut self,
        node: &Raft,
        events: &[EventOf<Raft>],
        now: Time,
    ) -> Result<(), Violation> {
        let id = node.id;
        let is_leader = node.role == Role::Leader;
        let term = node.current_term;
        self.check_snapshot(node, events, now)?;

        // Election Safety, over the whole history.
        if is_leader {
            match self.leaders.get(&term) {
                Some(&first) if first != id => {
                    let breach = RaftBreach::TwoLeaders {
                        node: id,
                        term,
                        first,
                    };
                    return Err(self.fail(now, breach));
                }
                Some(_) => {}
                None => {
                    self.leaders.insert(term, id);
                }
            }
        }

        // Where does the log differ from what was seen of it last time?
        // A snapshot's entries were checked above, as committed ones.
        let log = &node.log;
        let compacted = log.prefix().0 as usize;
        let seen = &self.seen[id];
        let same = (log.common_prefix(&seen.log) as usize).max(compacted);

        // Leader Append-Only: as leader of the same term, the old log must be a prefix of the new.
        if is_leader && seen.leader_term == Some(term) && same < seen.log.last_index() as usize {
            let index = same as u64 + 1;
            return Err(self.fail(
                now,
                RaftBreach::Overwrote {
                    node: id,
                    term,
                    index,
                },
            ));
        }

        let seen = &mut self.seen[id];
        seen.verified_committed = seen.verified_committed.min(same).max(compacted);
        if seen.leader_term != Some(term).filter(|_| is_leader) {
            seen.completeness_checked = 0;
        }
        seen.completeness_checked = seen.completeness_checked.min(same);
        seen.leader_term = Some(term).filter(|_| is_leader);

        // Log Matching: each new (index, term) must end the same prefix it always has.
        // The entries up to `same` were seen and passed: their digests are remembered.
        let mut before = match same as u64 {
            0 => Some(trace::EMPTY),
            index => log
                .term_at(index)
                .and_then(|term| self.entries.digest(index, term)),
        }
        .expect("an entry seen before has its digest remembered");
        for (index, e) in log.iter_from(same as u64 + 1) {
            let digest = trace::chain(before, &(e.term, e.request));
            if self.entries.remember(index, e.term, digest) != digest {
                let term = e.term;
                return Err(self.fail(
                    now,
                    RaftBreach::PrefixDiffers {
                        node: id,
                        index,
                        term,
                    },
                ));
            }
            before = digest;
        }
        seen.log.clone_from(log);

        // State Machine Safety: what this node holds committed equals what is committed.
        let commit = node.commit_index;
        if commit > log.last_index() || node.last_applied > node.commit_index {
            let breach = RaftBreach::CommitPastLog {
                node: id,
                commit_index: commit,
                last_applied: node.last_applied,
                entries: log.last_index(),
            };
            return Err(self.fail(now, breach));
        }
        for (index, e) in log
            .iter_from(seen.verified_committed as u64 + 1)
            .take_while(|(index, _)| *index <= commit)
        {
            // `self.committed[i]` is the entry committed at index i + 1.
            let i = (index - 1) as usize;
            let key = (e.term, e.request);
            match self.committed.get(i) {
                Some(c) if c.key != key => {
                    let breach = RaftBreach::CommittedOther {
                        node: id,
                        index,
                        term: key.0,
                        other_term: c.key.0,
                    };
                    return Err(self.fail(now, breach));
                }
                Some(_) => {}
                None => self.committed.push(Committed {
                    key,
                    commit_term: term,
                }),
            }
        }
        seen.verified_committed = seen.verified_committed.max(commit as usize);

        if is_leader {
            self.check_completeness(node, now)?;
        }
        Ok(())
    }

    /// Leader Completeness for one leader: every entry committed in an earlier term is in its log.
    fn check_completeness(&mut self, leader: &Raft, now: Time) -> Result<(), Violation> {
        let seen = &mut self.seen[leader.id];
        let from = seen.completeness_checked;
        let (compacted, compacted_term) = leader.log.prefix();
        for (i, c) in (from..).zip(self.committed.iter_from(from)) {
            if c.commit_term < leader.current_term {
                let index = i as u64 + 1;
                // A snapshot holds the committed entries up to the one it
                // ends in (checked in `check_snapshot`): that one must match.
                let has = if index < compacted {
                    Some(c.key)
                } else if index == compacted {
                    (compacted_term == c.key.0).then_some(c.key)
                } else {
                    leader.log.entry(index).map(|e| (e.term, e.request))
                };
                if has != Some(c.key) {
                    let breach = RaftBreach::LeaderLacks {
                        node: leader.id,
                        term: leader.current_term,
                        index: i as u64 + 1,
                        entry_term: c.key.0,
                        commit_term: c.commit_term,
                    };
                    return Err(self.fail(now, breach));
                }
            }
            seen.completeness_checked = i + 1;
        }
        Ok(())
    }
}

/// The node whose handler ran for this event, if any.
fn touched_node(event: &SimEvent<Message, RaftTimer, RaftEvent>) -> Option<NodeId> {
    match event {
        SimEvent::MessageDelivered { to, .. } => Some(*to),
        SimEvent::TimerFired { node, .. }
        | SimEvent::NodeRestarted { node }
        | SimEvent::ClientRequestSubmitted { node, .. }
        | SimEvent::Protocol { node, .. } => Some(*node),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Checker;
    use crate::kv::KvOp;
    use crate::{Command, SimConfig, MS};

    #[test]
    fn a_copy_of_what_the_checker_remembers_shares_the_history_it_grew_from() {
        let mut sim = Sim::<Raft>::new(SimConfig::new(5, 1)).unwrap();
        let mut checker = Checker::<Raft>::new();
        checker.observe(&sim, &[]).unwrap();
        for tick in 1..=400u64 {
            while sim.next_event_time().is_some_and(|t| t <= tick * 20 * MS) {
                let events = sim.step().unwrap();
                checker.observe(&sim, &events).unwrap();
            }
            let leader = sim
                .nodes()
                .iter()
                .filter_map(|s| s.up())
                .find(|r| r.role == Role::Leader);
            if let Some(node) = leader.map(|r| r.id) {
                let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
                let events = sim.apply(Command::ClientRequest { node, request }).unwrap();
                checker.observe(&sim, &events).unwrap();
            }
        }
        let safety = checker.safety();
        assert!(safety.committed.len() > 5 * crate::chunked::CHUNK);
        // What the checker holds of each log is the log's own chunks.
        for slot in sim.nodes() {
            let log = &slot.up().unwrap().log;
            assert!(safety.seen[slot.id].log.shares_entries_with(log));
        }
        // And a copy of it (as every snapshot of a timeline takes) shares all of it.
        let copy = safety.clone();
        assert!(copy.committed.shares_chunks_with(&safety.committed));
        assert!(copy.entries.at.shares_chunks_with(&safety.entries.at));
        for (a, b) in copy.seen.iter().zip(&safety.seen) {
            assert!(a.log.shares_entries_with(&b.log));
        }
    }
}

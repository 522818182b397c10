//! Multi-Paxos safety, per slot and over the whole history of a run:
//!
//! - **Only one value is chosen per slot**: no two proposals for one slot with
//!   different commands are each accepted by a majority.
//! - **Acceptors keep their promises**: an acceptor never accepts a proposal
//!   numbered below a number it promised; its promise never goes back, not
//!   even across a crash.
//! - **A chosen value never changes** (P2b, per slot): once a command is
//!   chosen in a slot with number `n`, every proposal for that slot with a
//!   higher number carries the same command.
//! - **Replicas learn only chosen values, and apply them in slot order**.

use super::{Ballot, Cmd, MpEvent, MultiPaxos, Slot};
use crate::check::{Checked, Violation};
use crate::chunked::DenseMap;
use crate::kernel::Position;
use crate::kernel::{EventOf, NodeState, SimEvent};
use crate::quorum::{Majority, Quorum};
use crate::{node_name, NodeId, Sim, Time};
use std::collections::BTreeMap;

pub const MULTIPAXOS_PROPERTIES: [&str; 4] = [
    "Only one value is chosen per slot",
    "Acceptors keep their promises",
    "A chosen value never changes",
    "Replicas apply only chosen values, in slot order",
];

/// What broke a property, as data (the page words it in each language;
/// its `Display` is the violation's English detail).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MultiPaxosBreach {
    /// `node` promised `ballot` after promising the higher `before`.
    PromisedLower {
        node: NodeId,
        ballot: Ballot,
        before: Ballot,
    },
    /// `node` accepted `ballot` in `slot` after promising the higher `before`.
    AcceptedLower {
        node: NodeId,
        ballot: Ballot,
        slot: Slot,
        before: Ballot,
    },
    /// `node`'s promise on stable storage went back below `promise`.
    ForgotPromise { node: NodeId, promise: Ballot },
    /// Proposal `ballot` in `slot` was accepted with `first` and with `second`.
    TwoCommands {
        ballot: Ballot,
        slot: Slot,
        first: Cmd,
        second: Cmd,
    },
    /// In `slot`, `first` was chosen with `first_ballot`, then `cmd` with `ballot`.
    TwoChosen {
        slot: Slot,
        first_ballot: Ballot,
        first: Cmd,
        ballot: Ballot,
        cmd: Cmd,
    },
    /// `node` proposed `cmd` for `slot` with `ballot` after `chosen` was chosen there with `chosen_ballot`.
    ProposedOther {
        node: NodeId,
        slot: Slot,
        ballot: Ballot,
        cmd: Cmd,
        chosen_ballot: Ballot,
        chosen: Cmd,
    },
    /// `node` learned `cmd` for `slot`, which was not chosen.
    LearnedUnchosen { node: NodeId, slot: Slot, cmd: Cmd },
    /// `node` applied `slot` right after `last`.
    AppliedOutOfOrder {
        node: NodeId,
        slot: Slot,
        last: Slot,
    },
    /// `node` applied `cmd` in `slot`, which was not chosen there.
    AppliedUnchosen { node: NodeId, slot: Slot, cmd: Cmd },
}

impl MultiPaxosBreach {
    /// The property it breaks, as [`MULTIPAXOS_PROPERTIES`] names it.
    pub fn property(&self) -> &'static str {
        use MultiPaxosBreach::*;
        match self {
            TwoCommands { .. } | TwoChosen { .. } => MULTIPAXOS_PROPERTIES[0],
            PromisedLower { .. } | AcceptedLower { .. } | ForgotPromise { .. } => {
                MULTIPAXOS_PROPERTIES[1]
            }
            ProposedOther { .. } => MULTIPAXOS_PROPERTIES[2],
            LearnedUnchosen { .. } | AppliedOutOfOrder { .. } | AppliedUnchosen { .. } => {
                MULTIPAXOS_PROPERTIES[3]
            }
        }
    }
}

impl std::fmt::Display for MultiPaxosBreach {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use MultiPaxosBreach::*;
        match *self {
            PromisedLower {
                node,
                ballot,
                before,
            } => write!(
                f,
                "{} promised {ballot} after promising {before}",
                node_name(node)
            ),
            AcceptedLower {
                node,
                ballot,
                slot,
                before,
            } => write!(
                f,
                "{} accepted {ballot} in slot {slot} after promising {before}",
                node_name(node)
            ),
            ForgotPromise { node, promise } => {
                write!(f, "{} forgot its promise {promise}", node_name(node))
            }
            TwoCommands {
                ballot,
                slot,
                first,
                second,
            } => write!(
                f,
                "proposal {ballot} in slot {slot} was accepted with {first} and with {second}"
            ),
            TwoChosen {
                slot,
                first_ballot,
                first,
                ballot,
                cmd,
            } => write!(
                f,
                "slot {slot}: {first} was chosen with {first_ballot}, and {cmd} with {ballot}"
            ),
            ProposedOther {
                node,
                slot,
                ballot,
                cmd,
                chosen_ballot,
                chosen,
            } => write!(
                f,
                "{} proposed {cmd} for slot {slot} with {ballot} after {chosen} was chosen with {chosen_ballot}",
                node_name(node)
            ),
            LearnedUnchosen { node, slot, cmd } => write!(
                f,
                "{} learned {cmd} for slot {slot}, which was not chosen",
                node_name(node)
            ),
            AppliedOutOfOrder { node, slot, last } => {
                write!(f, "{} applied slot {slot} after slot {last}", node_name(node))
            }
            AppliedUnchosen { node, slot, cmd } => write!(
                f,
                "{} applied {cmd} in slot {slot}, which was not chosen",
                node_name(node)
            ),
        }
    }
}

/// What the properties above are checked over: the history of a run so far.
/// Run it with a [`crate::check::Checker`]`<MultiPaxos>`.
///
/// What grows with the run is kept by slot in [`DenseMap`]s, which the
/// copies a timeline keeps with its snapshots share.
#[derive(Clone, Debug, Default)]
pub struct MultiPaxosSafety {
    /// Per slot: each proposal accepted in it, with its command and the
    /// acceptors that accepted it (bit `n` for server `n`).
    accepted_by: DenseMap<Vec<(Ballot, Cmd, u64)>>,
    /// Per slot: the first proposal a majority accepted, and when.
    chosen: DenseMap<(Ballot, Cmd, Time)>,
    /// Per chosen slot: where in the run it was chosen (events processed,
    /// commands applied); finer than its time, which several events share.
    chosen_at: DenseMap<Position>,
    promised: BTreeMap<NodeId, Ballot>,
    /// Per server: the last slot it applied (a restart starts it over).
    applied: BTreeMap<NodeId, Slot>,
    /// What broke a property, once something has.
    breach: Option<MultiPaxosBreach>,
}

impl MultiPaxosSafety {
    /// Slots chosen so far: their command, the proposal and when.
    pub fn chosen(&self) -> &DenseMap<(Ballot, Cmd, Time)> {
        &self.chosen
    }

    /// The slots chosen by the moment `at` (events processed, commands
    /// applied) of this run.
    pub fn chosen_by(
        &self,
        at: Position,
    ) -> impl Iterator<Item = (Slot, &(Ballot, Cmd, Time))> + '_ {
        self.chosen
            .iter()
            .filter(move |(s, _)| self.chosen_at.get(s).is_some_and(|p| *p <= at))
    }

    /// What broke a property, if anything has.
    pub fn breach(&self) -> Option<&MultiPaxosBreach> {
        self.breach.as_ref()
    }

    /// Keeps `breach` and reports it.
    fn fail(&mut self, time: Time, breach: MultiPaxosBreach) -> Result<(), Violation> {
        self.breach = Some(breach);
        Err(Violation {
            property: breach.property(),
            time,
            detail: breach.to_string(),
        })
    }

    /// Notes that `node` accepted proposal `ballot` with `cmd` in `slot`;
    /// returns the command the proposal was first accepted with there and
    /// every acceptor that has accepted it.
    fn accept(&mut self, slot: Slot, ballot: Ballot, cmd: Cmd, node: NodeId) -> (Cmd, u64) {
        if !self.accepted_by.contains_key(&slot) {
            self.accepted_by.insert(slot, Vec::new());
        }
        let proposals = self.accepted_by.get_mut(&slot).expect("just made");
        let at = match proposals.iter().position(|p| p.0 == ballot) {
            Some(at) => at,
            None => {
                proposals.push((ballot, cmd, 0));
                proposals.len() - 1
            }
        };
        let proposal = &mut proposals[at];
        proposal.2 |= 1 << node;
        (proposal.1, proposal.2)
    }

    fn check(
        &mut self,
        sim: &Sim<MultiPaxos>,
        events: &[EventOf<MultiPaxos>],
    ) -> Result<(), Violation> {
        let acceptors = Majority::of_cluster(sim.nodes().len());
        for e in events {
            let (node, event) = match &e.event {
                SimEvent::NodeRestarted { node } => {
                    self.applied.insert(*node, 0);
                    continue;
                }
                SimEvent::Protocol { node, event } => (*node, event),
                _ => continue,
            };
            match *event {
                MpEvent::Promised { ballot } => {
                    if let Some(&before) = self.promised.get(&node) {
                        if ballot < before {
                            let breach = MultiPaxosBreach::PromisedLower {
                                node,
                                ballot,
                                before,
                            };
                            return self.fail(e.time, breach);
                        }
                    }
                    self.promised.insert(node, ballot);
                }
                MpEvent::Accepted { ballot, slot, cmd } => {
                    if let Some(&before) = self.promised.get(&node) {
                        if ballot < before {
                            let breach = MultiPaxosBreach::AcceptedLower {
                                node,
                                ballot,
                                slot,
                                before,
                            };
                            return self.fail(e.time, breach);
                        }
                    }
                    self.promised.insert(node, ballot);
                    let (first, who) = self.accept(slot, ballot, cmd, node);
                    if first != cmd {
                        let breach = MultiPaxosBreach::TwoCommands {
                            ballot,
                            slot,
                            first,
                            second: cmd,
                        };
                        return self.fail(e.time, breach);
                    }
                    if acceptors.is_quorum(|n| who & (1 << n) != 0) {
                        match self.chosen.get(&slot) {
                            Some(&(first_ballot, first, _)) if first != cmd => {
                                let breach = MultiPaxosBreach::TwoChosen {
                                    slot,
                                    first_ballot,
                                    first,
                                    ballot,
                                    cmd,
                                };
                                return self.fail(e.time, breach);
                            }
                            Some(_) => {}
                            None => {
                                self.chosen.insert(slot, (ballot, cmd, e.time));
                                self.chosen_at.insert(slot, sim.position());
                            }
                        }
                    }
                }
                MpEvent::Proposed {
                    ballot, slot, cmd, ..
                } => {
                    if let Some(&(chosen_ballot, chosen, _)) = self.chosen.get(&slot) {
                        if ballot > chosen_ballot && chosen != cmd {
                            let breach = MultiPaxosBreach::ProposedOther {
                                node,
                                slot,
                                ballot,
                                cmd,
                                chosen_ballot,
                                chosen,
                            };
                            return self.fail(e.time, breach);
                        }
                    }
                }
                MpEvent::Learned { slot, cmd } => match self.chosen.get(&slot) {
                    Some((_, chosen, _)) if *chosen == cmd => {}
                    _ => {
                        let breach = MultiPaxosBreach::LearnedUnchosen { node, slot, cmd };
                        return self.fail(e.time, breach);
                    }
                },
                MpEvent::Applied { slot, cmd } => {
                    let last = self.applied.entry(node).or_insert(0);
                    if slot != *last + 1 {
                        let last = *last;
                        let breach = MultiPaxosBreach::AppliedOutOfOrder { node, slot, last };
                        return self.fail(e.time, breach);
                    }
                    *last = slot;
                    if self.chosen.get(&slot).map(|c| c.1) != Some(cmd) {
                        let breach = MultiPaxosBreach::AppliedUnchosen { node, slot, cmd };
                        return self.fail(e.time, breach);
                    }
                }
                _ => {}
            }
        }
        for slot in sim.nodes() {
            // The promise on the server's disk, read in place: its whole
            // persistent state would be a copy of every slot it accepted.
            let disk = match &slot.state {
                NodeState::Up(p) => p.promised,
                NodeState::Crashed(disk) => disk.promised,
            };
            if let Some(&promise) = self.promised.get(&slot.id) {
                if disk.is_none_or(|p| p < promise) {
                    let node = slot.id;
                    let breach = MultiPaxosBreach::ForgotPromise { node, promise };
                    return self.fail(sim.now(), breach);
                }
            }
        }
        Ok(())
    }
}
impl Checked for MultiPaxos {
    type Safety = MultiPaxosSafety;
    const PROPERTIES: &'static [&'static str] = &MULTIPAXOS_PROPERTIES;

    fn check_safety(
        safety: &mut MultiPaxosSafety,
        sim: &Sim<MultiPaxos>,
        events: &[EventOf<MultiPaxos>],
    ) -> Result<(), Violation> {
        safety.check(sim, events)
    }
}

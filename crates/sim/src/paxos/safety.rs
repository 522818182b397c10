//! Paxos's safety properties ("Paxos Made Simple", section 2), as code,
//! checked over the whole history of a run:
//!
//! - **Only one value is chosen**: no two proposals with different values
//!   are ever each accepted by a majority of acceptors.
//! - **Acceptors keep their promises** (P1a): an acceptor never accepts a
//!   proposal numbered below a number it promised, and its promise never goes
//!   back, not even across a crash.
//! - **A chosen value never changes** (P2b): once `v` is chosen with number
//!   `n`, every proposal issued with a higher number has value `v`.
//! - **Learners learn only chosen values**.

use super::{Ballot, Paxos, PaxosEvent, PaxosRole, Value};
use crate::check::{Checked, Violation};
use crate::kernel::{EventOf, SimEvent};
use crate::kv::KvOp;
use crate::quorum::Quorum;
use crate::{node_name, NodeId, Sim, Time};
use std::collections::{BTreeMap, BTreeSet};

pub const PAXOS_PROPERTIES: [&str; 4] = [
    "Only one value is chosen",
    "Acceptors keep their promises",
    "A chosen value never changes",
    "Learners learn only chosen values",
];

/// What broke a property, as data (the page words it in each language;
/// its `Display` is the violation's English detail).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaxosBreach {
    /// Acceptor `node` promised `ballot` after promising the higher `before`.
    PromisedLower {
        node: NodeId,
        ballot: Ballot,
        before: Ballot,
    },
    /// Acceptor `node` accepted `ballot` after promising the higher `before`.
    AcceptedLower {
        node: NodeId,
        ballot: Ballot,
        before: Ballot,
    },
    /// Acceptor `node`'s promise on stable storage went back below `promise`.
    ForgotPromise { node: NodeId, promise: Ballot },
    /// Proposal `ballot` was accepted with `first` and with `second`.
    TwoValues {
        ballot: Ballot,
        first: KvOp,
        second: KvOp,
    },
    /// `first` was chosen with `first_ballot`, then `value` with `ballot`.
    TwoChosen {
        first_ballot: Ballot,
        first: KvOp,
        ballot: Ballot,
        value: KvOp,
    },
    /// Proposer `node` proposed `value` with `ballot` after `chosen` was chosen with `chosen_ballot`.
    ProposedOther {
        node: NodeId,
        ballot: Ballot,
        value: KvOp,
        chosen_ballot: Ballot,
        chosen: KvOp,
    },
    /// `node` learned `value`, which was not chosen.
    LearnedUnchosen { node: NodeId, value: KvOp },
}

impl PaxosBreach {
    /// The property it breaks, as [`PAXOS_PROPERTIES`] names it.
    pub fn property(&self) -> &'static str {
        match self {
            PaxosBreach::TwoValues { .. } | PaxosBreach::TwoChosen { .. } => PAXOS_PROPERTIES[0],
            PaxosBreach::PromisedLower { .. }
            | PaxosBreach::AcceptedLower { .. }
            | PaxosBreach::ForgotPromise { .. } => PAXOS_PROPERTIES[1],
            PaxosBreach::ProposedOther { .. } => PAXOS_PROPERTIES[2],
            PaxosBreach::LearnedUnchosen { .. } => PAXOS_PROPERTIES[3],
        }
    }
}

impl std::fmt::Display for PaxosBreach {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            PaxosBreach::PromisedLower {
                node,
                ballot,
                before,
            } => write!(
                f,
                "{} promised {ballot} after promising {before}",
                node_name(node)
            ),
            PaxosBreach::AcceptedLower {
                node,
                ballot,
                before,
            } => write!(
                f,
                "{} accepted {ballot} after promising {before}",
                node_name(node)
            ),
            PaxosBreach::ForgotPromise { node, promise } => {
                write!(f, "{} forgot its promise {promise}", node_name(node))
            }
            PaxosBreach::TwoValues {
                ballot,
                first,
                second,
            } => write!(
                f,
                "proposal {ballot} was accepted with two values, {first} and {second}"
            ),
            PaxosBreach::TwoChosen {
                first_ballot,
                first,
                ballot,
                value,
            } => write!(
                f,
                "{first} was chosen with proposal {first_ballot}, and {value} with proposal {ballot}"
            ),
            PaxosBreach::ProposedOther {
                node,
                ballot,
                value,
                chosen_ballot,
                chosen,
            } => write!(
                f,
                "{} proposed {value} with {ballot} after {chosen} was chosen with {chosen_ballot}",
                node_name(node)
            ),
            PaxosBreach::LearnedUnchosen { node, value } => write!(
                f,
                "{} learned {value}, which was not chosen",
                node_name(node)
            ),
        }
    }
}

/// What the properties above are checked over: the history of a run so far.
/// Run it with a [`crate::check::Checker`]`<Paxos>`.
#[derive(Clone, Debug, Default)]
pub struct PaxosSafety {
    /// Every proposal ever accepted, with the acceptors that accepted it.
    accepted_by: BTreeMap<Ballot, (Value, BTreeSet<NodeId>)>,
    /// The first proposal accepted by a majority, and when.
    chosen: Option<(Ballot, Value, Time)>,
    /// The highest number each acceptor has promised, as seen so far.
    promised: BTreeMap<NodeId, Ballot>,
    /// What broke a property, once something has.
    breach: Option<PaxosBreach>,
}

impl PaxosSafety {
    /// The chosen proposal, once a majority has accepted one, and when that happened.
    pub fn chosen(&self) -> Option<(Ballot, Value, Time)> {
        self.chosen
    }

    /// What broke a property, if anything has.
    pub fn breach(&self) -> Option<&PaxosBreach> {
        self.breach.as_ref()
    }

    /// Keeps `breach` and reports it.
    fn fail(&mut self, time: Time, breach: PaxosBreach) -> Result<(), Violation> {
        self.breach = Some(breach);
        Err(Violation {
            property: breach.property(),
            time,
            detail: breach.to_string(),
        })
    }

    fn check(&mut self, sim: &Sim<Paxos>, events: &[EventOf<Paxos>]) -> Result<(), Violation> {
        let acceptors = sim.config().protocol.acceptor_quorum();
        for e in events {
            let SimEvent::Protocol { node, event } = &e.event else {
                continue;
            };
            let node = *node;
            match event {
                PaxosEvent::Promised { ballot, .. } => {
                    let ballot = *ballot;
                    if let Some(&before) = self.promised.get(&node) {
                        if ballot < before {
                            let breach = PaxosBreach::PromisedLower {
                                node,
                                ballot,
                                before,
                            };
                            return self.fail(e.time, breach);
                        }
                    }
                    self.promised.insert(node, ballot);
                }
                PaxosEvent::Accepted { ballot, value } => {
                    let (ballot, value) = (*ballot, *value);
                    if let Some(&before) = self.promised.get(&node) {
                        if ballot < before {
                            let breach = PaxosBreach::AcceptedLower {
                                node,
                                ballot,
                                before,
                            };
                            return self.fail(e.time, breach);
                        }
                    }
                    self.promised.insert(node, ballot);
                    let (v, who) = self
                        .accepted_by
                        .entry(ballot)
                        .or_insert_with(|| (value, BTreeSet::new()));
                    if *v != value {
                        let breach = PaxosBreach::TwoValues {
                            ballot,
                            first: v.op,
                            second: value.op,
                        };
                        return self.fail(e.time, breach);
                    }
                    who.insert(node);
                    if acceptors.is_quorum(|a| who.contains(&a)) {
                        match self.chosen {
                            Some((first_ballot, chosen, _)) if chosen != value => {
                                let breach = PaxosBreach::TwoChosen {
                                    first_ballot,
                                    first: chosen.op,
                                    ballot,
                                    value: value.op,
                                };
                                return self.fail(e.time, breach);
                            }
                            Some(_) => {}
                            None => self.chosen = Some((ballot, value, e.time)),
                        }
                    }
                }
                PaxosEvent::AcceptSent { ballot, value, .. } => {
                    if let Some((chosen_ballot, chosen, _)) = self.chosen {
                        if *ballot > chosen_ballot && *value != chosen {
                            let breach = PaxosBreach::ProposedOther {
                                node,
                                ballot: *ballot,
                                value: value.op,
                                chosen_ballot,
                                chosen: chosen.op,
                            };
                            return self.fail(e.time, breach);
                        }
                    }
                }
                PaxosEvent::Learned { value } => match self.chosen {
                    Some((_, chosen, _)) if chosen == *value => {}
                    _ => {
                        let value = value.op;
                        return self.fail(e.time, PaxosBreach::LearnedUnchosen { node, value });
                    }
                },
                _ => {}
            }
        }
        // A promise survives a crash: what an acceptor has on disk never goes back.
        for slot in sim.nodes() {
            if sim.config().protocol.role_of(slot.id) != PaxosRole::Acceptor {
                continue;
            }
            let disk = slot.persistent().promised;
            if let Some(&promise) = self.promised.get(&slot.id) {
                if disk.is_none_or(|p| p < promise) {
                    let node = slot.id;
                    return self.fail(sim.now(), PaxosBreach::ForgotPromise { node, promise });
                }
            }
        }
        Ok(())
    }
}
impl Checked for Paxos {
    type Safety = PaxosSafety;
    const PROPERTIES: &'static [&'static str] = &PAXOS_PROPERTIES;

    fn check_safety(
        safety: &mut PaxosSafety,
        sim: &Sim<Paxos>,
        events: &[EventOf<Paxos>],
    ) -> Result<(), Violation> {
        safety.check(sim, events)
    }
}

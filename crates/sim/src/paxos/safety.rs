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
use crate::quorum::Quorum;
use crate::{node_name, NodeId, Sim, Time};
use std::collections::{BTreeMap, BTreeSet};

pub const PAXOS_PROPERTIES: [&str; 4] = [
    "Only one value is chosen",
    "Acceptors keep their promises",
    "A chosen value never changes",
    "Learners learn only chosen values",
];

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
}

impl PaxosSafety {
    /// The chosen proposal, once a majority has accepted one, and when that happened.
    pub fn chosen(&self) -> Option<(Ballot, Value, Time)> {
        self.chosen
    }

    fn check(&mut self, sim: &Sim<Paxos>, events: &[EventOf<Paxos>]) -> Result<(), Violation> {
        let acceptors = sim.config().protocol.acceptor_quorum();
        for e in events {
            let SimEvent::Protocol { node, event } = &e.event else {
                continue;
            };
            let fail = |property: &'static str, detail: String| {
                Err(Violation {
                    property,
                    time: e.time,
                    detail,
                })
            };
            match event {
                PaxosEvent::Promised { ballot, .. } => {
                    if let Some(&before) = self.promised.get(node) {
                        if *ballot < before {
                            return fail(
                                PAXOS_PROPERTIES[1],
                                format!(
                                    "{} promised {ballot} after promising {before}",
                                    node_name(*node)
                                ),
                            );
                        }
                    }
                    self.promised.insert(*node, *ballot);
                }
                PaxosEvent::Accepted { ballot, value } => {
                    if let Some(&before) = self.promised.get(node) {
                        if *ballot < before {
                            return fail(
                                PAXOS_PROPERTIES[1],
                                format!(
                                    "{} accepted {ballot} after promising {before}",
                                    node_name(*node)
                                ),
                            );
                        }
                    }
                    self.promised.insert(*node, *ballot);
                    let (v, who) = self
                        .accepted_by
                        .entry(*ballot)
                        .or_insert_with(|| (*value, BTreeSet::new()));
                    if v != value {
                        return fail(
                            PAXOS_PROPERTIES[0],
                            format!(
                                "proposal {ballot} was accepted with two values, {} and {}",
                                v.op, value.op
                            ),
                        );
                    }
                    who.insert(*node);
                    if acceptors.is_quorum(|a| who.contains(&a)) {
                        match self.chosen {
                            Some((b, chosen, _)) if chosen != *value => {
                                return fail(
                                    PAXOS_PROPERTIES[0],
                                    format!(
                                        "{} was chosen with proposal {b}, and {} with proposal {ballot}",
                                        chosen.op, value.op
                                    ),
                                );
                            }
                            Some(_) => {}
                            None => self.chosen = Some((*ballot, *value, e.time)),
                        }
                    }
                }
                PaxosEvent::AcceptSent { ballot, value, .. } => {
                    if let Some((b, chosen, _)) = self.chosen {
                        if *ballot > b && *value != chosen {
                            return fail(
                                PAXOS_PROPERTIES[2],
                                format!(
                                    "{} proposed {} with {ballot} after {} was chosen with {b}",
                                    node_name(*node),
                                    value.op,
                                    chosen.op
                                ),
                            );
                        }
                    }
                }
                PaxosEvent::Learned { value } => match self.chosen {
                    Some((_, chosen, _)) if chosen == *value => {}
                    _ => {
                        return fail(
                            PAXOS_PROPERTIES[3],
                            format!(
                                "{} learned {}, which was not chosen",
                                node_name(*node),
                                value.op
                            ),
                        )
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
            if let Some(&seen) = self.promised.get(&slot.id) {
                if disk.is_none_or(|p| p < seen) {
                    return Err(Violation {
                        property: PAXOS_PROPERTIES[1],
                        time: sim.now(),
                        detail: format!("{} forgot its promise {seen}", node_name(slot.id)),
                    });
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

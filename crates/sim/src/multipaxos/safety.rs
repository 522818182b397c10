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
    promised: BTreeMap<NodeId, Ballot>,
    /// Per server: the last slot it applied (a restart starts it over).
    applied: BTreeMap<NodeId, Slot>,
}

impl MultiPaxosSafety {
    /// Slots chosen so far: their command, the proposal and when.
    pub fn chosen(&self) -> &DenseMap<(Ballot, Cmd, Time)> {
        &self.chosen
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
            let fail = |property: &'static str, detail: String| {
                Err(Violation {
                    property,
                    time: e.time,
                    detail,
                })
            };
            let (node, event) = match &e.event {
                SimEvent::NodeRestarted { node } => {
                    self.applied.insert(*node, 0);
                    continue;
                }
                SimEvent::Protocol { node, event } => (*node, event),
                _ => continue,
            };
            match event {
                MpEvent::Promised { ballot } => {
                    if let Some(&before) = self.promised.get(&node) {
                        if *ballot < before {
                            return fail(
                                MULTIPAXOS_PROPERTIES[1],
                                format!(
                                    "{} promised {ballot} after promising {before}",
                                    node_name(node)
                                ),
                            );
                        }
                    }
                    self.promised.insert(node, *ballot);
                }
                MpEvent::Accepted { ballot, slot, cmd } => {
                    if let Some(&before) = self.promised.get(&node) {
                        if *ballot < before {
                            return fail(
                                MULTIPAXOS_PROPERTIES[1],
                                format!(
                                    "{} accepted {ballot} in slot {slot} after promising {before}",
                                    node_name(node)
                                ),
                            );
                        }
                    }
                    self.promised.insert(node, *ballot);
                    let (c, who) = self.accept(*slot, *ballot, *cmd, node);
                    if c != *cmd {
                        return fail(
                            MULTIPAXOS_PROPERTIES[0],
                            format!("proposal {ballot} in slot {slot} was accepted with {c} and with {cmd}"),
                        );
                    }
                    if acceptors.is_quorum(|n| who & (1 << n) != 0) {
                        match self.chosen.get(slot) {
                            Some((b, chosen, _)) if chosen != cmd => {
                                return fail(
                                    MULTIPAXOS_PROPERTIES[0],
                                    format!("slot {slot}: {chosen} was chosen with {b}, and {cmd} with {ballot}"),
                                );
                            }
                            Some(_) => {}
                            None => {
                                self.chosen.insert(*slot, (*ballot, *cmd, e.time));
                            }
                        }
                    }
                }
                MpEvent::Proposed {
                    ballot, slot, cmd, ..
                } => {
                    if let Some((b, chosen, _)) = self.chosen.get(slot) {
                        if ballot > b && chosen != cmd {
                            return fail(
                                MULTIPAXOS_PROPERTIES[2],
                                format!(
                                    "{} proposed {cmd} for slot {slot} with {ballot} after {chosen} was chosen with {b}",
                                    node_name(node)
                                ),
                            );
                        }
                    }
                }
                MpEvent::Learned { slot, cmd } => match self.chosen.get(slot) {
                    Some((_, chosen, _)) if chosen == cmd => {}
                    _ => {
                        return fail(
                            MULTIPAXOS_PROPERTIES[3],
                            format!(
                                "{} learned {cmd} for slot {slot}, which was not chosen",
                                node_name(node)
                            ),
                        )
                    }
                },
                MpEvent::Applied { slot, cmd } => {
                    let last = self.applied.entry(node).or_insert(0);
                    if *slot != *last + 1 {
                        return fail(
                            MULTIPAXOS_PROPERTIES[3],
                            format!("{} applied slot {slot} after slot {last}", node_name(node)),
                        );
                    }
                    *last = *slot;
                    if self.chosen.get(slot).map(|c| c.1) != Some(*cmd) {
                        return fail(
                            MULTIPAXOS_PROPERTIES[3],
                            format!(
                                "{} applied {cmd} in slot {slot}, which was not chosen",
                                node_name(node)
                            ),
                        );
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
            if let Some(&seen) = self.promised.get(&slot.id) {
                if disk.is_none_or(|p| p < seen) {
                    return Err(Violation {
                        property: MULTIPAXOS_PROPERTIES[1],
                        time: sim.now(),
                        detail: format!("{} forgot its promise {seen}", node_name(slot.id)),
                    });
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

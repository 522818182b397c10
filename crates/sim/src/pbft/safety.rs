//! PBFT's safety properties (section 4 of the paper; the checker watches
//! only the correct replicas, those never turned Byzantine):
//!
//! - **Commit agreement**: correct replicas never commit different requests
//!   at the same sequence number, in any views (the invariant of 4.2 and 4.4).
//! - **Execution prefix**: correct replicas execute in sequence order, and
//!   what they executed are prefixes of one sequence.
//! - **Client result**: a client accepts only a result some correct replica
//!   computed for its request.

use super::{Digest, Pbft, PbftEvent, Request, SeqNo};
use crate::check::{Checked, Violation};
use crate::kernel::{EventOf, SimEvent};
use crate::{node_name, NodeId, Sim, Time};
use std::collections::{BTreeMap, BTreeSet};

pub const PBFT_PROPERTIES: [&str; 3] = ["Commit agreement", "Execution prefix", "Client result"];

/// What broke a property, as data (the page words it in each language;
/// its `Display` is the violation's English detail).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PbftBreach {
    /// Correct `node` committed `digest` at `n`, where correct `other` committed `theirs`.
    CommittedTwice {
        n: SeqNo,
        node: NodeId,
        digest: Digest,
        other: NodeId,
        theirs: Digest,
    },
    /// Correct `node` executed `n` after `last`, not `last + 1`.
    OutOfOrder { node: NodeId, n: SeqNo, last: SeqNo },
    /// Correct `node` executed `digest` at `n`, where correct `other` executed `theirs`.
    Diverged {
        n: SeqNo,
        node: NodeId,
        digest: Digest,
        other: NodeId,
        theirs: Digest,
    },
    /// Client `c` accepted `r` for its request `t`, which no correct replica computed.
    Uncomputed { c: NodeId, t: u64, r: u32 },
}

impl PbftBreach {
    /// The property it breaks, as [`PBFT_PROPERTIES`] names it.
    pub fn property(&self) -> &'static str {
        PBFT_PROPERTIES[match self {
            PbftBreach::CommittedTwice { .. } => 0,
            PbftBreach::OutOfOrder { .. } | PbftBreach::Diverged { .. } => 1,
            PbftBreach::Uncomputed { .. } => 2,
        }]
    }
}

impl std::fmt::Display for PbftBreach {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            PbftBreach::CommittedTwice {
                n,
                node,
                digest,
                other,
                theirs,
            } => write!(
                f,
                "{} committed request {digest} at sequence number {n}, where {} committed {theirs}",
                node_name(node),
                node_name(other)
            ),
            PbftBreach::OutOfOrder { node, n, last } => write!(
                f,
                "{} executed sequence number {n} after {last}",
                node_name(node)
            ),
            PbftBreach::Diverged {
                n,
                node,
                digest,
                other,
                theirs,
            } => write!(
                f,
                "{} executed request {digest} at sequence number {n}, where {} executed {theirs}",
                node_name(node),
                node_name(other)
            ),
            PbftBreach::Uncomputed { c, t, r } => write!(
                f,
                "client {} accepted {r} for its request {t}, which no correct replica computed",
                node_name(c)
            ),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct PbftSafety {
    /// Replicas turned Byzantine: what they do is not checked.
    liars: BTreeSet<NodeId>,
    /// Per sequence number: what a correct replica committed first, and which.
    committed: BTreeMap<SeqNo, (Digest, NodeId)>,
    /// Per sequence number: what a correct replica executed first, and which.
    executed: BTreeMap<SeqNo, (Digest, NodeId)>,
    /// Per correct replica: the last sequence number it executed (or took the state of).
    last_executed: BTreeMap<NodeId, SeqNo>,
    /// Results correct replicas computed, by client and timestamp.
    computed: BTreeMap<(NodeId, u64), BTreeSet<u32>>,
    /// Results clients accepted.
    accepted: Vec<(NodeId, u64, u32)>,
    breach: Option<PbftBreach>,
}

impl PbftSafety {
    /// What broke a property, if anything has.
    pub fn breach(&self) -> Option<&PbftBreach> {
        self.breach.as_ref()
    }

    /// The replicas known to lie.
    pub fn liars(&self) -> &BTreeSet<NodeId> {
        &self.liars
    }

    /// What correct replicas executed, by sequence number.
    pub fn executed(&self) -> impl Iterator<Item = (SeqNo, Digest)> + '_ {
        self.executed.iter().map(|(&n, &(d, _))| (n, d))
    }

    /// Every result a client accepted: client, timestamp, result.
    pub fn accepted(&self) -> &[(NodeId, u64, u32)] {
        &self.accepted
    }

    fn fail(&mut self, time: Time, breach: PbftBreach) -> Result<(), Violation> {
        self.breach = Some(breach);
        Err(Violation {
            property: breach.property(),
            time,
            detail: breach.to_string(),
        })
    }

    /// One event of `node`: what it breaks, if anything.
    pub fn step(&mut self, node: NodeId, event: &PbftEvent) -> Option<PbftBreach> {
        if let PbftEvent::TurnedByzantine { .. } = event {
            self.liars.insert(node);
        }
        if self.liars.contains(&node) {
            return None;
        }
        match *event {
            PbftEvent::CommittedLocal { n, d, .. } => {
                let &mut (theirs, other) = self.committed.entry(n).or_insert((d, node));
                if theirs != d {
                    return Some(PbftBreach::CommittedTwice {
                        n,
                        node,
                        digest: d,
                        other,
                        theirs,
                    });
                }
            }
            PbftEvent::Executed {
                n,
                d,
                request,
                result,
            } => {
                let last = self.last_executed.entry(node).or_insert(0);
                if n != *last + 1 {
                    return Some(PbftBreach::OutOfOrder {
                        node,
                        n,
                        last: *last,
                    });
                }
                *last = n;
                let &mut (theirs, other) = self.executed.entry(n).or_insert((d, node));
                if theirs != d {
                    return Some(PbftBreach::Diverged {
                        n,
                        node,
                        digest: d,
                        other,
                        theirs,
                    });
                }
                if let (Some(Request { c, t, .. }), Some(r)) = (request, result) {
                    self.computed.entry((c, t)).or_default().insert(r);
                }
            }
            PbftEvent::StateFetched { n, .. } => {
                self.last_executed.insert(node, n);
            }
            PbftEvent::Accepted { c, t, r } => {
                self.accepted.push((c, t, r));
                if !self.computed.get(&(c, t)).is_some_and(|s| s.contains(&r)) {
                    return Some(PbftBreach::Uncomputed { c, t, r });
                }
            }
            _ => {}
        }
        None
    }

    fn check(&mut self, sim: &Sim<Pbft>, events: &[EventOf<Pbft>]) -> Result<(), Violation> {
        let mut touched = BTreeSet::new();
        for e in events {
            let SimEvent::Protocol { node, event } = &e.event else {
                continue;
            };
            touched.insert(*node);
            if let Some(breach) = self.step(*node, event) {
                return self.fail(e.time, breach);
            }
        }
        // The state agrees with the events: what a correct replica holds as
        // committed is what was committed there.
        for node in touched {
            if self.liars.contains(&node) {
                continue;
            }
            let Some(r) = sim
                .node(node)
                .and_then(|s| s.up())
                .and_then(|p| p.replica())
            else {
                continue;
            };
            for (&n, slot) in &r.log {
                let Some((d, _)) = slot.committed else {
                    continue;
                };
                if let Some(&(theirs, other)) = self.committed.get(&n) {
                    if theirs != d {
                        let breach = PbftBreach::CommittedTwice {
                            n,
                            node,
                            digest: d,
                            other,
                            theirs,
                        };
                        return self.fail(sim.now(), breach);
                    }
                }
            }
        }
        Ok(())
    }
}

impl Checked for Pbft {
    type Safety = PbftSafety;
    const PROPERTIES: &'static [&'static str] = &PBFT_PROPERTIES;

    fn check_safety(
        safety: &mut PbftSafety,
        sim: &Sim<Pbft>,
        events: &[EventOf<Pbft>],
    ) -> Result<(), Violation> {
        safety.check(sim, events)
    }
}

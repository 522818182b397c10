//! VR's safety properties, checked after every event (the list):
//!
//! - **A committed operation is in every later primary's log**: when a
//!   replica becomes primary of a view, its log holds every operation
//!   committed so far, at its op-number (the point of section 4.2's choice of
//!   the largest v′, then the largest n).
//! - **A committed operation is never lost**: after a crash or a log cut
//!   back, some running replica that is not recovering still holds it.
//! - **Committed prefixes agree**: no two replicas commit different
//!   operations at one op-number.
//! - **At most one primary per view**: only replica `v mod n` becomes primary
//!   of view `v`, once, and only it assigns op-numbers in `v`, each once.
//! - **Replicas execute the same operations in the same order**: every
//!   replica executes op-numbers 1, 2, 3 ... each the committed operation (a
//!   restarted replica, whose memory is gone, starts again from 1).

use super::{primary_of, OpNumber, Status, View, Vr, VrEvent};
use crate::check::{Checked, Violation};
use crate::chunked::DenseMap;
use crate::kernel::Position;
use crate::kernel::{EventOf, SimEvent};
use crate::kv::{ClientRequest, KvOp};
use crate::{node_name, NodeId, Sim, Time};
use std::collections::BTreeMap;

pub const VR_PROPERTIES: [&str; 5] = [
    "A committed operation is in every later primary's log",
    "A committed operation is never lost",
    "Committed prefixes agree",
    "At most one primary per view",
    "Replicas execute the same operations in the same order",
];

/// What broke a property, as data (the page words it in each language;
/// its `Display` is the violation's English detail).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VrBreach {
    /// `node` became primary of `view`, which is `owner`'s (`view mod n`).
    NotItsView {
        node: NodeId,
        view: View,
        owner: NodeId,
    },
    /// `node` became primary of `view` after `first` had.
    PrimaryTwice {
        node: NodeId,
        view: View,
        first: NodeId,
    },
    /// `node` became primary of `view` without the committed `op`.
    PrimaryLacks {
        node: NodeId,
        view: View,
        op: OpNumber,
        request: KvOp,
    },
    /// `node` assigned `op` in `view` without being its primary.
    AssignedByOther {
        node: NodeId,
        view: View,
        op: OpNumber,
    },
    /// `op` was assigned twice in `view`.
    AssignedTwice { view: View, op: OpNumber },
    /// `node` committed `request` at `op`, where `first` was committed.
    CommittedTwo {
        node: NodeId,
        op: OpNumber,
        request: KvOp,
        first: KvOp,
    },
    /// `node` executed `op` after `last`.
    ExecutedOutOfOrder {
        node: NodeId,
        op: OpNumber,
        last: OpNumber,
    },
    /// `node` executed `request` as `op`, which is not what was committed there.
    ExecutedUncommitted {
        node: NodeId,
        op: OpNumber,
        request: KvOp,
    },
    /// No running replica holds the committed `op`.
    Lost { op: OpNumber, request: KvOp },
}

impl VrBreach {
    /// The property it breaks, as [`VR_PROPERTIES`] names it.
    pub fn property(&self) -> &'static str {
        match self {
            VrBreach::PrimaryLacks { .. } => VR_PROPERTIES[0],
            VrBreach::Lost { .. } => VR_PROPERTIES[1],
            VrBreach::CommittedTwo { .. } => VR_PROPERTIES[2],
            VrBreach::NotItsView { .. }
            | VrBreach::PrimaryTwice { .. }
            | VrBreach::AssignedByOther { .. }
            | VrBreach::AssignedTwice { .. } => VR_PROPERTIES[3],
            VrBreach::ExecutedOutOfOrder { .. } | VrBreach::ExecutedUncommitted { .. } => {
                VR_PROPERTIES[4]
            }
        }
    }
}

impl std::fmt::Display for VrBreach {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = |n: &NodeId| node_name(*n);
        match self {
            VrBreach::NotItsView { node, view, owner } => write!(
                f,
                "{} became primary of view {view}, which is {}'s",
                name(node),
                name(owner)
            ),
            VrBreach::PrimaryTwice { node, view, first } => write!(
                f,
                "{} became primary of view {view} a second time (first {})",
                name(node),
                name(first)
            ),
            VrBreach::PrimaryLacks {
                node,
                view,
                op,
                request,
            } => write!(
                f,
                "{} became primary of view {view} without op {op} ({request}), which was committed",
                name(node)
            ),
            VrBreach::AssignedByOther { node, view, op } => write!(
                f,
                "{} assigned op {op} in view {view} without being its primary",
                name(node)
            ),
            VrBreach::AssignedTwice { view, op } => {
                write!(f, "op {op} was assigned twice in view {view}")
            }
            VrBreach::CommittedTwo {
                node,
                op,
                request,
                first,
            } => write!(
                f,
                "{} committed {request} at op {op}, where {first} was committed",
                name(node)
            ),
            VrBreach::ExecutedOutOfOrder { node, op, last } => {
                write!(f, "{} executed op {op} after op {last}", name(node))
            }
            VrBreach::ExecutedUncommitted { node, op, request } => write!(
                f,
                "{} executed {request} as op {op}, which is not what was committed there",
                name(node)
            ),
            VrBreach::Lost { op, request } => write!(
                f,
                "no running replica holds op {op} ({request}), which was committed"
            ),
        }
    }
}

/// What the properties are checked over: the history of a run so far.
#[derive(Clone, Debug, Default)]
pub struct VrSafety {
    /// Every operation committed anywhere, by op-number.
    committed: DenseMap<ClientRequest>,
    /// Per committed op-number: where in the run it was first committed
    /// (events processed, commands applied), so a page showing an earlier
    /// moment shows only what was committed by then.
    committed_at: DenseMap<Position>,
    /// The replica that became primary of each view.
    primaries: BTreeMap<View, NodeId>,
    /// The last op-number assigned in each view.
    prepared: BTreeMap<View, OpNumber>,
    /// Per replica: the last op-number it executed.
    executed: BTreeMap<NodeId, OpNumber>,
    /// What broke a property, once something has.
    breach: Option<VrBreach>,
}

impl VrSafety {
    /// Every operation committed so far, by op-number.
    pub fn committed(&self) -> &DenseMap<ClientRequest> {
        &self.committed
    }

    /// The operations committed by the moment `at` (events processed,
    /// commands applied) of this run, by op-number.
    pub fn committed_by(
        &self,
        at: Position,
    ) -> impl Iterator<Item = (OpNumber, &ClientRequest)> + '_ {
        self.committed
            .iter()
            .filter(move |(n, _)| self.committed_at.get(n).is_some_and(|p| *p <= at))
    }

    /// What broke a property, if anything has.
    pub fn breach(&self) -> Option<&VrBreach> {
        self.breach.as_ref()
    }

    /// Keeps `breach` and reports it.
    fn fail(&mut self, time: Time, breach: VrBreach) -> Result<(), Violation> {
        self.breach = Some(breach);
        Err(Violation {
            property: breach.property(),
            time,
            detail: breach.to_string(),
        })
    }

    /// The first committed operation `log` lacks, if any.
    fn missing_from(&self, log: &super::Log) -> Option<(OpNumber, ClientRequest)> {
        self.committed
            .iter()
            .find(|(n, r)| log.get(*n as usize - 1) != Some(r))
            .map(|(n, r)| (n, *r))
    }

    fn check(&mut self, sim: &Sim<Vr>, events: &[EventOf<Vr>]) -> Result<(), Violation> {
        let n = sim.nodes().len();
        for e in events {
            let (node, event) = match &e.event {
                SimEvent::NodeRestarted { node } => {
                    self.executed.insert(*node, 0);
                    continue;
                }
                SimEvent::NodeCrashed { .. } => {
                    self.check_not_lost(sim, e.time)?;
                    continue;
                }
                SimEvent::Protocol { node, event } => (*node, event),
                _ => continue,
            };
            match event {
                VrEvent::BecamePrimary { view, .. } => {
                    let view = *view;
                    if primary_of(view, n) != node {
                        let owner = primary_of(view, n);
                        return self.fail(e.time, VrBreach::NotItsView { node, view, owner });
                    }
                    if let Some(&first) = self.primaries.get(&view) {
                        return self.fail(e.time, VrBreach::PrimaryTwice { node, view, first });
                    }
                    self.primaries.insert(view, node);
                    let Some(primary) = sim.nodes()[node].up() else {
                        continue;
                    };
                    if let Some((op, request)) = self.missing_from(&primary.log) {
                        let request = request.op;
                        return self.fail(
                            e.time,
                            VrBreach::PrimaryLacks {
                                node,
                                view,
                                op,
                                request,
                            },
                        );
                    }
                }
                VrEvent::Prepared {
                    view, op_number, ..
                } => {
                    let (view, op) = (*view, *op_number);
                    // View 0's primary is primary from the start, without a view change.
                    let primary = match (view, self.primaries.get(&view)) {
                        (0, None) => Some(primary_of(0, n)),
                        (_, p) => p.copied(),
                    };
                    if primary != Some(node) {
                        return self.fail(e.time, VrBreach::AssignedByOther { node, view, op });
                    }
                    let last = self.prepared.entry(view).or_insert(0);
                    if op <= *last {
                        return self.fail(e.time, VrBreach::AssignedTwice { view, op });
                    }
                    *last = op;
                }
                VrEvent::Committed {
                    op_number, request, ..
                } => match self.committed.get(op_number) {
                    Some(first) if first != request => {
                        let breach = VrBreach::CommittedTwo {
                            node,
                            op: *op_number,
                            request: request.op,
                            first: first.op,
                        };
                        return self.fail(e.time, breach);
                    }
                    Some(_) => {}
                    None => {
                        self.committed.insert(*op_number, *request);
                        let at = sim.position();
                        self.committed_at.insert(*op_number, at);
                    }
                },
                VrEvent::Executed { op_number, request } => {
                    let op = *op_number;
                    let last = self.executed.entry(node).or_insert(0);
                    if op != *last + 1 {
                        let last = *last;
                        return self.fail(e.time, VrBreach::ExecutedOutOfOrder { node, op, last });
                    }
                    *last = op;
                    if self.committed.get(op_number) != Some(request) {
                        let request = request.op;
                        return self
                            .fail(e.time, VrBreach::ExecutedUncommitted { node, op, request });
                    }
                }
                VrEvent::LogTruncated { .. } => self.check_not_lost(sim, e.time)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// Every committed operation is still held by a running replica that is
    /// not recovering.
    fn check_not_lost(&mut self, sim: &Sim<Vr>, time: Time) -> Result<(), Violation> {
        let holders: Vec<&Vr> = sim
            .nodes()
            .iter()
            .filter_map(|s| s.up())
            .filter(|r| r.status != Status::Recovering)
            .collect();
        let lost = self.committed.iter().find(|(op, request)| {
            !holders
                .iter()
                .any(|r| r.log.get(*op as usize - 1) == Some(*request))
        });
        match lost {
            Some((op, request)) => {
                let request = request.op;
                self.fail(time, VrBreach::Lost { op, request })
            }
            None => Ok(()),
        }
    }
}

impl Checked for Vr {
    type Safety = VrSafety;
    const PROPERTIES: &'static [&'static str] = &VR_PROPERTIES;

    fn check_safety(
        safety: &mut VrSafety,
        sim: &Sim<Vr>,
        events: &[EventOf<Vr>],
    ) -> Result<(), Violation> {
        safety.check(sim, events)
    }
}

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
use crate::kernel::{EventOf, SimEvent};
use crate::kv::ClientRequest;
use crate::{node_name, NodeId, Sim, Time};
use std::collections::BTreeMap;

pub const VR_PROPERTIES: [&str; 5] = [
    "A committed operation is in every later primary's log",
    "A committed operation is never lost",
    "Committed prefixes agree",
    "At most one primary per view",
    "Replicas execute the same operations in the same order",
];

/// What the properties are checked over: the history of a run so far.
#[derive(Clone, Debug, Default)]
pub struct VrSafety {
    /// Every operation committed anywhere, by op-number.
    committed: DenseMap<ClientRequest>,
    /// The replica that became primary of each view.
    primaries: BTreeMap<View, NodeId>,
    /// The last op-number assigned in each view.
    prepared: BTreeMap<View, OpNumber>,
    /// Per replica: the last op-number it executed.
    executed: BTreeMap<NodeId, OpNumber>,
}

impl VrSafety {
    /// Every operation committed so far, by op-number.
    pub fn committed(&self) -> &DenseMap<ClientRequest> {
        &self.committed
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
            let fail = |property: &'static str, detail: String| {
                Err(Violation {
                    property,
                    time: e.time,
                    detail,
                })
            };
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
                    if primary_of(*view, n) != node {
                        return fail(
                            VR_PROPERTIES[3],
                            format!(
                                "{} became primary of view {view}, which is {}'s",
                                node_name(node),
                                node_name(primary_of(*view, n))
                            ),
                        );
                    }
                    if let Some(&before) = self.primaries.get(view) {
                        return fail(
                            VR_PROPERTIES[3],
                            format!(
                                "{} became primary of view {view} a second time (first {})",
                                node_name(node),
                                node_name(before)
                            ),
                        );
                    }
                    self.primaries.insert(*view, node);
                    let Some(primary) = sim.nodes()[node].up() else {
                        continue;
                    };
                    if let Some((op, request)) = self.missing_from(&primary.log) {
                        return fail(
                            VR_PROPERTIES[0],
                            format!(
                                "{} became primary of view {view} without op {op} ({}), which was committed",
                                node_name(node),
                                request.op
                            ),
                        );
                    }
                }
                VrEvent::Prepared {
                    view, op_number, ..
                } => {
                    // View 0's primary is primary from the start, without a view change.
                    let primary = match (view, self.primaries.get(view)) {
                        (0, None) => Some(primary_of(0, n)),
                        (_, p) => p.copied(),
                    };
                    if primary != Some(node) {
                        return fail(
                            VR_PROPERTIES[3],
                            format!(
                                "{} assigned op {op_number} in view {view} without being its primary",
                                node_name(node)
                            ),
                        );
                    }
                    let last = self.prepared.entry(*view).or_insert(0);
                    if *op_number <= *last {
                        return fail(
                            VR_PROPERTIES[3],
                            format!("op {op_number} was assigned twice in view {view}"),
                        );
                    }
                    *last = *op_number;
                }
                VrEvent::Committed {
                    op_number, request, ..
                } => match self.committed.get(op_number) {
                    Some(first) if first != request => {
                        return fail(
                            VR_PROPERTIES[2],
                            format!(
                                "{} committed {} at op {op_number}, where {} was committed",
                                node_name(node),
                                request.op,
                                first.op
                            ),
                        );
                    }
                    Some(_) => {}
                    None => {
                        self.committed.insert(*op_number, *request);
                    }
                },
                VrEvent::Executed { op_number, request } => {
                    let last = self.executed.entry(node).or_insert(0);
                    if *op_number != *last + 1 {
                        return fail(
                            VR_PROPERTIES[4],
                            format!(
                                "{} executed op {op_number} after op {last}",
                                node_name(node)
                            ),
                        );
                    }
                    *last = *op_number;
                    if self.committed.get(op_number) != Some(request) {
                        return fail(
                            VR_PROPERTIES[4],
                            format!(
                                "{} executed {} as op {op_number}, which is not what was committed there",
                                node_name(node),
                                request.op
                            ),
                        );
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
    fn check_not_lost(&self, sim: &Sim<Vr>, time: Time) -> Result<(), Violation> {
        let holders: Vec<&Vr> = sim
            .nodes()
            .iter()
            .filter_map(|s| s.up())
            .filter(|r| r.status != Status::Recovering)
            .collect();
        for (op, request) in self.committed.iter() {
            let held = holders
                .iter()
                .any(|r| r.log.get(op as usize - 1) == Some(request));
            if !held {
                return Err(Violation {
                    property: VR_PROPERTIES[1],
                    time,
                    detail: format!(
                        "no running replica holds op {op} ({}), which was committed",
                        request.op
                    ),
                });
            }
        }
        Ok(())
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

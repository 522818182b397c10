//! What the randomized fault driver ([`crate::chaos`]) needs of VR.
//!
//! **The failure bound.** VR keeps nothing on disk, so it is correct only
//! while at most `f` replicas are failed at once (section 2), and a replica
//! that restarted is failed until its recovery completes: it has no state.
//! The driver crashes a replica only while fewer than `f` others are crashed
//! or recovering ([`failed_replicas`]); without that bound the checker would
//! rightly find committed operations lost.
//!
//! Once the faults stop, the replicas must settle in one view with a primary,
//! and a last request must be committed and executed on every replica, whose
//! logs and state then equal the primary's.

use super::{Status, Vr, VrConfig};
use crate::chaos::{Chaos, Run};
use crate::kernel::{Command, NodeStatus, Sim};
use crate::kv::KvOp;
use crate::{node_name, NodeId, Time, MS};

/// Replicas failed now: crashed, or restarted and still recovering.
pub fn failed_replicas(sim: &Sim<Vr>) -> usize {
    sim.nodes()
        .iter()
        .filter(|s| match s.up() {
            None => true,
            Some(r) => r.status == Status::Recovering,
        })
        .count()
}

/// A primary that every running replica follows in its view: settled.
fn settled_primary(sim: &Sim<Vr>) -> Option<NodeId> {
    if sim
        .nodes()
        .iter()
        .any(|s| s.status() == NodeStatus::Crashed)
    {
        return None;
    }
    let up: Vec<&Vr> = sim.nodes().iter().filter_map(|s| s.up()).collect();
    let primary = up.iter().find(|r| r.is_primary())?;
    up.iter()
        .all(|r| r.status == Status::Normal && r.view == primary.view)
        .then_some(primary.id)
}

fn run_until_settled(run: &mut Run<Vr>, limit: Time) -> Result<Option<NodeId>, String> {
    let end = run.sim().now() + limit;
    while run.sim().now() < end {
        if let Some(p) = settled_primary(run.sim()) {
            return Ok(Some(p));
        }
        let next = (run.sim().now() + 10 * MS).min(end);
        run.run_until(next)?;
    }
    Ok(settled_primary(run.sim()))
}

impl Chaos for Vr {
    type Memory = ();

    const PROGRESS: &'static str = "operations committed";

    fn cluster(seed: u64) -> (usize, VrConfig) {
        (3 + (seed % 5) as usize, VrConfig::default())
    }

    fn may_crash(sim: &Sim<Vr>, node: NodeId) -> bool {
        let recovering = sim.nodes()[node]
            .up()
            .is_some_and(|r| r.status == Status::Recovering);
        recovering || failed_replicas(sim) < VrConfig::failure_bound(sim.nodes().len())
    }

    fn converge(run: &mut Run<Vr>, _: &mut ()) -> Result<u64, String> {
        let describe = |run: &Run<Vr>| {
            let states: Vec<String> = run
                .sim()
                .nodes()
                .iter()
                .filter_map(|s| s.up())
                .map(|r| {
                    format!(
                        "{} {} view {} v' {} op {} commit {}",
                        node_name(r.id),
                        r.status.as_str(),
                        r.view,
                        r.last_normal_view,
                        r.op_number,
                        r.commit_number
                    )
                })
                .collect();
            states.join("\n")
        };
        let primary = run_until_settled(run, 20_000 * MS)?.ok_or_else(|| {
            format!(
                "no settled primary 20 s after the faults stopped:\n{}",
                describe(run)
            )
        })?;
        let last = run.sim().new_request(KvOp::Add { key: 'x', by: 1 });
        run.apply(Command::ClientRequest {
            node: primary,
            request: last,
        })?;
        run.run_for(2_000 * MS)?;
        let lead = run.up(primary)?;
        if !lead.kv.applied_requests.contains(&last.id) {
            return Err(format!(
                "the last request was not executed by the primary:\n{}",
                describe(run)
            ));
        }
        for id in 0..run.sim().nodes().len() {
            let r = run.up(id)?;
            if r.log != lead.log
                || r.commit_number != lead.commit_number
                || r.executed != r.commit_number
                || r.kv != lead.kv
            {
                return Err(format!(
                    "{} differs from the primary {}:\n{}",
                    node_name(id),
                    node_name(primary),
                    describe(run)
                ));
            }
        }
        Ok(run.checker().safety().committed().len() as u64)
    }
}

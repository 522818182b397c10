//! What the randomized fault driver ([`crate::chaos`]) needs of Zab: once
//! the faults stop, one leader must be established with every server
//! following it in broadcast, and a last request must be delivered by every
//! server, each holding the same state.

use super::{Zab, ZabConfig, ZabPhase, ZabRole};
use crate::chaos::{Chaos, Run};
use crate::kernel::Command;
use crate::kv::KvOp;
use crate::{node_name, NodeId, Time, MS};

/// The established leader every running server follows in broadcast, if any.
pub fn settled_leader(run: &Run<Zab>) -> Option<NodeId> {
    let up: Vec<&Zab> = run.sim().nodes().iter().filter_map(|s| s.up()).collect();
    let leader = up.iter().find(|z| z.established_epoch().is_some())?;
    up.iter()
        .all(|z| {
            z.id == leader.id
                || (z.role == ZabRole::Following
                    && z.phase == ZabPhase::Broadcast
                    && z.link.as_ref().is_some_and(|l| l.leader == leader.id))
        })
        .then_some(leader.id)
}

fn run_until_settled(run: &mut Run<Zab>, limit: Time) -> Result<Option<NodeId>, String> {
    let end = run.sim().now() + limit;
    while run.sim().now() < end {
        if let Some(l) = settled_leader(run) {
            return Ok(Some(l));
        }
        let next = (run.sim().now() + 10 * MS).min(end);
        run.run_until(next)?;
    }
    Ok(settled_leader(run))
}

impl Chaos for Zab {
    type Memory = ();

    const PROGRESS: &'static str = "transactions delivered";

    fn cluster(seed: u64) -> (usize, ZabConfig) {
        (3 + (seed % 5) as usize, ZabConfig::default())
    }

    fn converge(run: &mut Run<Zab>, _: &mut ()) -> Result<u64, String> {
        let describe = |run: &Run<Zab>| {
            run.sim()
                .nodes()
                .iter()
                .filter_map(|s| s.up())
                .map(|z| {
                    format!(
                        "{} {:?} {:?} p={} a={} round {} vote {:?} history {} delivered {}",
                        node_name(z.id),
                        z.role,
                        z.phase,
                        z.accepted_epoch,
                        z.current_epoch,
                        z.round,
                        z.vote,
                        z.history.len(),
                        z.delivered
                    ) + &z
                        .sessions
                        .iter()
                        .map(|(f, s)| {
                            format!(
                                "\n   {}: {:?} in {} out {} heard {} pending {}",
                                node_name(*f),
                                s.state,
                                s.next_in,
                                s.next_out,
                                s.last_heard,
                                s.pending.len()
                            )
                        })
                        .collect::<String>()
                        + &z.link
                            .as_ref()
                            .map(|l| {
                                format!(
                                    " link in {} out {} pending {:?}",
                                    l.next_in,
                                    l.next_out,
                                    l.pending.keys().collect::<Vec<_>>()
                                )
                            })
                            .unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let leader = run_until_settled(run, 20_000 * MS)?.ok_or_else(|| {
            format!(
                "no settled leader 20 s after the faults stopped:\n{}",
                describe(run)
            )
        })?;
        let last = run.sim().new_request(KvOp::Add { key: 'x', by: 1 });
        run.apply(Command::ClientRequest {
            node: leader,
            request: last,
        })?;
        run.run_for(2_000 * MS)?;
        let lead = run.up(leader)?;
        if !lead.kv.applied_requests.contains(&last.id) {
            return Err(format!(
                "the last request was not delivered by the leader:\n{}",
                describe(run)
            ));
        }
        for id in 0..run.sim().nodes().len() {
            let z = run.up(id)?;
            if z.delivered != lead.delivered || z.kv != lead.kv {
                return Err(format!(
                    "{} did not deliver what the leader did:\n{}",
                    node_name(id),
                    describe(run)
                ));
            }
        }
        Ok(run.checker().safety().delivered().len() as u64)
    }
}

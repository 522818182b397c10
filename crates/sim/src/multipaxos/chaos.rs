//! What the randomized fault driver ([`crate::chaos`]) needs of Multi-Paxos:
//! once the faults stop, a leader must emerge and a last request must be
//! chosen and applied on every replica, each replica that applied as far as
//! the leader holding the leader's state.

use super::{Cmd, MpRole, MultiPaxos, MultiPaxosConfig};
use crate::chaos::{Chaos, Run};
use crate::kernel::{Command, Sim};
use crate::kv::KvOp;
use crate::{node_name, NodeId, MS};

/// The running leader with the highest ballot, if there is one.
fn leader(sim: &Sim<MultiPaxos>) -> Option<NodeId> {
    sim.nodes()
        .iter()
        .filter_map(|s| s.up())
        .filter(|n| n.role == MpRole::Leader)
        .max_by_key(|n| n.ballot)
        .map(|n| n.id)
}

impl Chaos for MultiPaxos {
    type Memory = ();

    const PROGRESS: &'static str = "slots chosen";

    fn cluster(seed: u64) -> (usize, MultiPaxosConfig) {
        (3 + (seed % 5) as usize, MultiPaxosConfig::default())
    }

    fn converge(run: &mut Run<MultiPaxos>, _: &mut ()) -> Result<u64, String> {
        run.run_for(3_000 * MS)?;
        let leader = leader(run.sim()).ok_or("no leader 3 s after the faults stopped")?;
        let last = run.sim().new_request(KvOp::Add { key: 'x', by: 1 });
        run.apply(Command::ClientRequest {
            node: leader,
            request: last,
        })?;
        run.run_for(3_000 * MS)?;
        let chosen = run.checker().safety().chosen();
        let slot = run
            .up(leader)?
            .chosen
            .iter()
            .find(|(_, c)| **c == Cmd::Request(last))
            .map(|(s, _)| s)
            .or_else(|| {
                chosen
                    .iter()
                    .find(|(_, c)| c.1 == Cmd::Request(last))
                    .map(|(s, _)| s)
            })
            .ok_or("the last request was never chosen")?;
        let lead = run.up(leader)?;
        for id in 0..run.sim().nodes().len() {
            let node = run.up(id)?;
            if node.applied < slot {
                return Err(format!(
                    "{} applied only {} of {slot} slots",
                    node_name(id),
                    node.applied
                ));
            }
            if node.applied == lead.applied && node.kv.data != lead.kv.data {
                return Err(format!("{} differs from the leader", node_name(id)));
            }
        }
        Ok(chosen.len() as u64)
    }
}

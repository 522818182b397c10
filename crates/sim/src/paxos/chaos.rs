//! What the randomized fault driver ([`crate::chaos`]) needs of basic Paxos:
//! clusters of 1 to 3 proposers, 3 to 7 acceptors and 0 to 2 learners;
//! clients ask proposers; once the faults stop and every proposer is asked
//! once more, a value must be chosen and learned by every proposer and learner.

use super::{Paxos, PaxosConfig, PaxosRole};
use crate::chaos::{pick, Chaos, Run};
use crate::kernel::rng::SimRng;
use crate::kernel::{Command, EventOf, NodeStatus, Sim};
use crate::kv::KvOp;
use crate::{node_name, NodeId, MS};

/// Asks proposer `node` to propose a new value.
fn propose(run: &mut Run<Paxos>, node: NodeId) -> Result<Vec<EventOf<Paxos>>, String> {
    let request = run.sim().new_request(KvOp::Set {
        key: 'v',
        value: node as u32,
    });
    run.apply(Command::ClientRequest { node, request })
}

impl Chaos for Paxos {
    type Memory = ();

    const PROGRESS: &'static str = "values chosen and learned everywhere";

    fn cluster(seed: u64) -> (usize, PaxosConfig) {
        let proposers = 1 + (seed % 3) as usize;
        let acceptors = 3 + (seed % 5) as usize;
        let learners = (seed % 3) as usize;
        let config = PaxosConfig {
            proposers,
            acceptors,
            ..PaxosConfig::default()
        };
        (proposers + acceptors + learners, config)
    }

    /// Clients ask a running proposer.
    fn request_target(sim: &Sim<Paxos>, up: &[NodeId], rng: &mut SimRng) -> Option<NodeId> {
        let config = &sim.config().protocol;
        let proposers: Vec<NodeId> = up
            .iter()
            .copied()
            .filter(|&n| config.role_of(n) == PaxosRole::Proposer)
            .collect();
        pick(rng, &proposers)
    }

    /// Every server is idle once every proposer and learner knows the chosen
    /// value: a proposer crashes, restarts and is asked again, so it must
    /// find out (and propose) the chosen value afresh.
    fn when_quiet(run: &mut Run<Paxos>, rng: &mut SimRng) -> Result<Vec<EventOf<Paxos>>, String> {
        let proposers = run.sim().config().protocol.proposers;
        let p = rng.range_inclusive(0, proposers as u64 - 1) as usize;
        let mut events = Vec::new();
        if run.sim().nodes()[p].status() == NodeStatus::Up {
            events.extend(run.apply(Command::Crash { node: p })?);
        }
        events.extend(run.apply(Command::Restart { node: p })?);
        events.extend(propose(run, p)?);
        Ok(events)
    }

    fn converge(run: &mut Run<Paxos>, _: &mut ()) -> Result<u64, String> {
        let config = run.sim().config().protocol.clone();
        for p in 0..config.proposers {
            propose(run, p)?;
        }
        run.run_for(10_000 * MS)?;
        let (_, chosen, _) = run
            .checker()
            .safety()
            .chosen()
            .ok_or("nothing chosen 10 s after the faults stopped")?;
        let learners = config.proposers + config.acceptors..run.sim().nodes().len();
        for id in (0..config.proposers).chain(learners) {
            if run.up(id)?.learned != Some(chosen) {
                return Err(format!("{} did not learn the chosen value", node_name(id)));
            }
        }
        Ok(1)
    }
}

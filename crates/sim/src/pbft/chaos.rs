//! What the randomized fault driver ([`crate::chaos`]) needs of PBFT.
//!
//! Besides the driver's crashes and network faults, up to `f` replicas are
//! turned Byzantine, each with a behaviour drawn from all of them; they stay
//! liars to the end. Once the faults stop (the network healed, every node
//! running), the client's last request must be accepted: the view changes
//! until its primary is correct, and `2f + 1` correct replicas order it.

use super::{failure_bound, Pbft, PbftConfig, PbftEvent};
use crate::chaos::{pick, Chaos, Run};
use crate::kernel::rng::SimRng;
use crate::kernel::{Behaviour, Command, EventOf, NodeState, Sim};
use crate::kv::KvOp;
use crate::{node_name, NodeId, Time, MS};

/// The client node of a cluster of `nodes` (the last one).
fn client(sim: &Sim<Pbft>) -> NodeId {
    sim.nodes().len() - 1
}

/// Replicas turned Byzantine so far, running or crashed.
pub fn liars(sim: &Sim<Pbft>) -> usize {
    sim.nodes()
        .iter()
        .filter(|s| match &s.state {
            NodeState::Up(p) | NodeState::Crashed(p) => p.byzantine().is_some(),
        })
        .count()
}

fn describe(sim: &Sim<Pbft>) -> String {
    sim.nodes()
        .iter()
        .filter_map(|s| s.up())
        .map(|p| match p {
            Pbft::Replica(r) => format!(
                "{} {:?} view {} seq {} executed {} h {} pending {} liar {:?} vcs {:?}",
                node_name(r.i),
                r.status,
                r.view,
                r.seq,
                r.last_executed,
                r.h,
                r.pending.len(),
                r.byzantine,
                r.view_changes
                    .iter()
                    .map(|(v, m)| (*v, m.keys().copied().collect::<Vec<_>>()))
                    .collect::<Vec<_>>()
            ),
            Pbft::Client(c) => format!(
                "client {} view {} outstanding {:?} queue {} accepted {}",
                node_name(c.c),
                c.view,
                c.outstanding.map(|r| r.t),
                c.queue.len(),
                c.accepted.len()
            ),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn request(sim: &Sim<Pbft>, value: u32) -> Command {
    Command::ClientRequest {
        node: client(sim),
        request: sim.new_request(KvOp::Add {
            key: 'x',
            by: value,
        }),
    }
}

impl Chaos for Pbft {
    type Memory = ();

    const PROGRESS: &'static str = "requests accepted by the client";

    /// `f = 1` (4 replicas) for two seeds in three, `f = 2` (7) for the
    /// third; one client.
    fn cluster(seed: u64) -> (usize, PbftConfig) {
        let f = if seed % 3 == 2 { 2 } else { 1 };
        (3 * f + 1 + 1, PbftConfig::default())
    }

    fn request_target(sim: &Sim<Pbft>, up: &[NodeId], _rng: &mut SimRng) -> Option<NodeId> {
        let c = client(sim);
        up.contains(&c).then_some(c)
    }

    /// A replica starts lying, while fewer than `f` do.
    fn own_fault(sim: &Sim<Pbft>, up: &[NodeId], rng: &mut SimRng) -> Option<Command> {
        let n = PbftConfig::default().replicas(sim.nodes().len());
        if liars(sim) >= failure_bound(n) {
            return None;
        }
        let honest: Vec<NodeId> = up
            .iter()
            .copied()
            .filter(|&i| i < n && sim.nodes()[i].up().is_some_and(|p| p.byzantine().is_none()))
            .collect();
        let node = pick(rng, &honest)?;
        let behaviour = pick(rng, &Behaviour::ALL)?;
        Some(Command::MakeByzantine { node, behaviour })
    }

    fn notable(event: &PbftEvent) -> Option<&'static str> {
        match event {
            PbftEvent::TurnedByzantine { behaviour } => Some(behaviour.as_str()),
            PbftEvent::NewViewSent { .. } => Some("new view"),
            PbftEvent::CheckpointStable { .. } => Some("stable checkpoint"),
            PbftEvent::StateFetched { .. } => Some("state fetched"),
            PbftEvent::Refused { .. } => Some("refused"),
            _ => None,
        }
    }

    fn note(_: &mut (), _: &[EventOf<Pbft>]) {}

    /// The client is idle (replicas with nothing to do have no timer): it
    /// sends another request.
    fn when_quiet(run: &mut Run<Pbft>, _rng: &mut SimRng) -> Result<Vec<EventOf<Pbft>>, String> {
        let command = request(run.sim(), 1);
        run.apply(command)
    }

    fn converge(run: &mut Run<Pbft>, _: &mut ()) -> Result<u64, String> {
        let last = run.sim().next_request_id();
        let command = request(run.sim(), 1);
        run.apply(command)?;
        let limit: Time = 60_000 * MS;
        let end = run.sim().now() + limit;
        let c = client(run.sim());
        let accepted = |run: &Run<Pbft>| {
            run.up(c)
                .ok()
                .and_then(|p| p.client())
                .is_some_and(|cl| cl.accepted.contains_key(&last))
        };
        while run.sim().now() < end && !accepted(run) {
            let next = (run.sim().now() + 50 * MS).min(end);
            run.run_until(next)?;
        }
        if !accepted(run) {
            return Err(format!(
                "the client's last request was not accepted 60 s after the faults stopped:\n{}",
                describe(run.sim())
            ));
        }
        Ok(run.checker().safety().accepted().len() as u64)
    }
}

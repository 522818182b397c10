//! What the randomized fault driver ([`crate::chaos`]) needs of Raft: once
//! the faults stop, the cluster must settle on one leader, and every request
//! a leader ever accepted must be committed and applied once on every
//! server. A client retries a request lost with a deposed leader, with the
//! same id (section 8), so the state machine applies it once.

use super::{Raft, RaftConfig, RaftEvent, Role};
use crate::chaos::{pick, Chaos, Run};
use crate::kernel::rng::SimRng;
use crate::kernel::Sim;
use crate::kernel::{Command, EventOf, SimEvent};
use crate::kv::{ClientRequest, KvOp};
use crate::{node_name, NodeId, Time, MS};
use std::collections::BTreeMap;

impl Chaos for Raft {
    /// Every request a leader accepted, by id.
    type Memory = BTreeMap<u64, ClientRequest>;

    const PROGRESS: &'static str = "accepted requests all committed";

    fn cluster(seed: u64) -> (usize, RaftConfig) {
        (3 + (seed % 5) as usize, RaftConfig::default())
    }

    /// With leadership transfer on: a running leader asked to hand over to
    /// another server, at random (thesis 3.10).
    fn own_fault(sim: &Sim<Raft>, up: &[NodeId], rng: &mut SimRng) -> Option<Command> {
        if !sim.config().protocol.leadership_transfer {
            return None;
        }
        let leaders: Vec<NodeId> = up
            .iter()
            .copied()
            .filter(|&n| sim.nodes()[n].up().is_some_and(|r| r.role == Role::Leader))
            .collect();
        let node = pick(rng, &leaders)?;
        let others: Vec<NodeId> = (0..sim.nodes().len()).filter(|&n| n != node).collect();
        pick(rng, &others).map(|to| Command::TransferLeadership { node, to })
    }

    /// Snapshots taken, installed and ignored (section 7), when the switch is on.
    fn notable(event: &RaftEvent) -> Option<&'static str> {
        match event {
            RaftEvent::SnapshotTaken { .. } => Some("snapshot taken"),
            RaftEvent::SnapshotInstalled { .. } => Some("InstallSnapshot installed"),
            RaftEvent::SnapshotIgnored { .. } => Some("InstallSnapshot ignored"),
            _ => None,
        }
    }

    fn note(accepted: &mut Self::Memory, events: &[EventOf<Raft>]) {
        for e in events {
            if let SimEvent::Protocol {
                event: RaftEvent::RequestAccepted { request, .. },
                ..
            } = &e.event
            {
                accepted.insert(request.id, *request);
            }
        }
    }

    fn converge(run: &mut Run<Raft>, accepted: &mut Self::Memory) -> Result<u64, String> {
        let nodes = run.sim().nodes().len();
        let mut rounds = 0u32;
        loop {
            let leader = run_until_settled(run, 20_000 * MS)?
                .ok_or("no settled leader 20 s after the faults stopped")?;
            // The client retries whatever the leader has not applied, with the same id.
            let missing: Vec<ClientRequest> = accepted
                .values()
                .filter(|r| {
                    !run.up(leader)
                        .is_ok_and(|l| l.kv.applied_requests.contains(&r.id))
                })
                .copied()
                .collect();
            for request in missing {
                run.apply(Command::ClientRequest {
                    node: leader,
                    request,
                })?;
            }
            // And it carries on with a new request. An entry of an older term
            // commits only once one of the leader's own term does (section 5.4.2),
            // and a follower's extraneous entries go only when a leader's entries
            // conflict with them (Figure 2, rule 3): this request settles both.
            let fresh = run.sim().new_request(KvOp::Set {
                key: 'w',
                value: rounds,
            });
            run.apply(Command::ClientRequest {
                node: leader,
                request: fresh,
            })?;
            accepted.insert(fresh.id, fresh);
            run.run_for(2_000 * MS)?;
            let lead = run.up(leader)?;
            let mut all_done = true;
            for n in 0..nodes {
                let r = run.up(n)?;
                all_done &= accepted.keys().all(|id| r.kv.applied_requests.contains(id))
                    && r.commit_index == lead.log.last_index()
                    && r.log == lead.log
                    && r.last_applied == r.commit_index;
            }
            if all_done {
                break;
            }
            rounds += 1;
            if rounds == 5 {
                let mut states = Vec::new();
                for n in 0..nodes {
                    let r = run.up(n)?;
                    let missing: Vec<u64> = accepted
                        .keys()
                        .filter(|id| !r.kv.applied_requests.contains(id))
                        .copied()
                        .collect();
                    states.push(format!(
                        "{} {:?} term {} log {} (last term {}) commit {} applied {} missing {missing:?}",
                        node_name(n),
                        r.role,
                        r.current_term,
                        r.log.last_index(),
                        r.log.last_term(),
                        r.commit_index,
                        r.last_applied
                    ));
                }
                return Err(format!(
                    "the cluster did not converge after {rounds} retries:\n{}",
                    states.join("\n")
                ));
            }
        }
        let reference = &run.up(0)?.kv;
        for n in 1..nodes {
            if &run.up(n)?.kv != reference {
                return Err(format!("{} and S1 applied different states", node_name(n)));
            }
        }
        Ok(accepted.len() as u64)
    }
}

/// A leader that every running server follows in its own term: the cluster is settled.
pub fn settled_leader(run: &Run<Raft>) -> Option<NodeId> {
    let up: Vec<&Raft> = run.sim().nodes().iter().filter_map(|s| s.up()).collect();
    let leader = up.iter().find(|r| r.role == Role::Leader)?;
    up.iter()
        .all(|r| r.current_term == leader.current_term && r.leader_id == Some(leader.id))
        .then_some(leader.id)
}

/// Runs until the cluster is settled on one leader, for at most `limit`.
pub fn run_until_settled(run: &mut Run<Raft>, limit: Time) -> Result<Option<NodeId>, String> {
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

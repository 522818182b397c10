//! What a Multi-Paxos scenario can claim about the servers at a moment.

use super::{Cmd, MpRole, MultiPaxos, Slot};
use crate::quorum::{Majority, Quorum};
use crate::scenario::Scripted;
use crate::{node_name, NodeId, Sim};
use serde::{Deserialize, Serialize};

/// A slot's command in a claim: a client request by its id, or a no-op.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SlotCmd {
    Request(u64),
    NoOp,
}

impl SlotCmd {
    fn of(cmd: &Cmd) -> SlotCmd {
        match cmd {
            Cmd::Request(r) => SlotCmd::Request(r.id),
            Cmd::NoOp => SlotCmd::NoOp,
        }
    }
}

fn say(cmd: Option<SlotCmd>) -> String {
    match cmd {
        None => "nothing".to_string(),
        Some(SlotCmd::NoOp) => "a no-op".to_string(),
        Some(SlotCmd::Request(id)) => format!("request {id}"),
    }
}

/// A claim about a Multi-Paxos cluster at one moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum MpClaim {
    /// `node` is running as leader with a ballot of round `round`
    /// (any round when `None`).
    Leader {
        node: NodeId,
        #[serde(default)]
        round: Option<u64>,
    },
    /// `node` is running in role `role`.
    Role { node: NodeId, role: MpRole },
    /// No running server is a leader.
    NoLeader,
    /// `node` is crashed.
    Crashed { node: NodeId },
    /// `node`'s acceptor holds `cmd` accepted in `slot` (`None`: nothing),
    /// read from what it persisted while it is crashed.
    Accepted {
        node: NodeId,
        slot: Slot,
        cmd: Option<SlotCmd>,
    },
    /// A majority of acceptors hold the same proposal for `slot`, carrying `cmd`.
    Chosen { slot: Slot, cmd: SlotCmd },
    /// No proposal for `slot` is held by a majority of acceptors (crashed
    /// ones counted by what they persisted). Like `Chosen`, it reads what the
    /// acceptors hold now, so it shows nothing was ever chosen in `slot` only
    /// while no acceptor there has replaced a proposal by a higher-numbered one.
    NotChosen { slot: Slot },
    /// Running `node` knows `slot` is chosen with `cmd` (`None`: it does not know).
    Knows {
        node: NodeId,
        slot: Slot,
        cmd: Option<SlotCmd>,
    },
    /// Running `node` has applied slots `1..=slot` and no more.
    Applied { node: NodeId, slot: Slot },
}

fn slot_of(sim: &Sim<MultiPaxos>, node: NodeId) -> Result<&crate::NodeSlot<MultiPaxos>, String> {
    sim.node(node)
        .ok_or_else(|| format!("there is no server {}", node_name(node)))
}

fn running(sim: &Sim<MultiPaxos>, node: NodeId) -> Result<&MultiPaxos, String> {
    slot_of(sim, node)?
        .up()
        .ok_or_else(|| format!("{} is crashed", node_name(node)))
}

/// The command of the proposal a majority of acceptors hold in `slot`, if one is.
fn majority_cmd(sim: &Sim<MultiPaxos>, slot: Slot) -> Option<SlotCmd> {
    // What each server's acceptor holds in `slot`, by server.
    let held: Vec<_> = sim
        .nodes()
        .iter()
        .map(|n| n.persistent().accepted.get(&slot).copied())
        .collect();
    let acceptors = Majority::of_cluster(sim.nodes().len());
    held.iter()
        .flatten()
        .find(|p| acceptors.is_quorum(|n| held[n] == Some(**p)))
        .map(|(_, c)| SlotCmd::of(c))
}

impl Scripted for MultiPaxos {
    type Claim = MpClaim;

    fn check(claim: &MpClaim, sim: &Sim<MultiPaxos>) -> Result<(), String> {
        let expect = |ok: bool, actual: String| if ok { Ok(()) } else { Err(actual) };
        match claim {
            MpClaim::Leader { node, round } => {
                let s = running(sim, *node)?;
                let have_round = s.ballot.map(|b| b.round);
                expect(
                    s.role == MpRole::Leader && (round.is_none() || have_round == *round),
                    format!(
                        "{} is {}{}",
                        node_name(*node),
                        s.role.as_str(),
                        s.ballot.map_or(String::new(), |b| format!(" with {b}"))
                    ),
                )
            }
            MpClaim::Role { node, role } => {
                let s = running(sim, *node)?;
                expect(
                    s.role == *role,
                    format!("{} is {}", node_name(*node), s.role.as_str()),
                )
            }
            MpClaim::NoLeader => {
                let leaders: Vec<String> = sim
                    .nodes()
                    .iter()
                    .filter(|n| n.up().is_some_and(|s| s.role == MpRole::Leader))
                    .map(|n| format!("{} leads", node_name(n.id)))
                    .collect();
                expect(leaders.is_empty(), leaders.join(", "))
            }
            MpClaim::Crashed { node } => expect(
                slot_of(sim, *node)?.up().is_none(),
                format!("{} is running", node_name(*node)),
            ),
            MpClaim::Accepted { node, slot, cmd } => {
                let have = slot_of(sim, *node)?
                    .persistent()
                    .accepted
                    .get(slot)
                    .map(|(_, c)| SlotCmd::of(c));
                expect(
                    have == *cmd,
                    format!("{} accepted {} in slot {slot}", node_name(*node), say(have)),
                )
            }
            MpClaim::Chosen { slot, cmd } => {
                let have = majority_cmd(sim, *slot);
                expect(
                    have == Some(*cmd),
                    format!("a majority holds {} in slot {slot}", say(have)),
                )
            }
            MpClaim::NotChosen { slot } => {
                let have = majority_cmd(sim, *slot);
                expect(
                    have.is_none(),
                    format!("a majority holds {} in slot {slot}", say(have)),
                )
            }
            MpClaim::Knows { node, slot, cmd } => {
                let have = running(sim, *node)?.chosen.get(slot).map(SlotCmd::of);
                expect(
                    have == *cmd,
                    format!(
                        "{} knows {} chosen in slot {slot}",
                        node_name(*node),
                        say(have)
                    ),
                )
            }
            MpClaim::Applied { node, slot } => {
                let have = running(sim, *node)?.applied;
                let name = node_name(*node);
                expect(
                    have == *slot,
                    match have {
                        0 => format!("{name} has applied no slot yet"),
                        1 => format!("{name} has applied slot 1"),
                        _ => format!("{name} has applied slots 1 to {have}"),
                    },
                )
            }
        }
    }
}

//! What a Multi-Paxos scenario can claim about the servers at a moment.

use super::{Ballot, Cmd, MpRole, MultiPaxos, Slot};
use crate::quorum::{Majority, Quorum};
use crate::scenario::{running, server, Scripted, ServerFact};
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

/// What is the case instead of a false Multi-Paxos claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MpFact {
    Server(ServerFact),
    /// Running `node`'s role and the ballot it runs with, if any.
    Role {
        node: NodeId,
        role: MpRole,
        ballot: Option<Ballot>,
    },
    /// These running servers lead (never empty).
    Leaders(Vec<NodeId>),
    /// What `node`'s acceptor holds accepted in `slot`.
    Accepted {
        node: NodeId,
        slot: Slot,
        cmd: Option<SlotCmd>,
    },
    /// The command a majority of acceptors hold in `slot` (`None`: none is).
    MajorityHolds {
        slot: Slot,
        cmd: Option<SlotCmd>,
    },
    /// What running `node` knows chosen in `slot` (`None`: nothing).
    Knows {
        node: NodeId,
        slot: Slot,
        cmd: Option<SlotCmd>,
    },
    /// Running `node` has applied slots `1..=slot`.
    Applied {
        node: NodeId,
        slot: Slot,
    },
}

impl From<ServerFact> for MpFact {
    fn from(f: ServerFact) -> Self {
        MpFact::Server(f)
    }
}

fn say(cmd: &Option<SlotCmd>) -> String {
    match cmd {
        None => "nothing".to_string(),
        Some(SlotCmd::NoOp) => "a no-op".to_string(),
        Some(SlotCmd::Request(id)) => format!("request {id}"),
    }
}

/// In English, for the authoring tool and the tests (the page words it itself).
impl std::fmt::Display for MpFact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = |n: &NodeId| node_name(*n);
        match self {
            MpFact::Server(s) => write!(f, "{s}"),
            MpFact::Role { node, role, ballot } => {
                write!(f, "{} is {}", n(node), role.as_str())?;
                match ballot {
                    Some(b) => write!(f, " with {b}"),
                    None => Ok(()),
                }
            }
            MpFact::Leaders(leaders) => {
                let each: Vec<String> = leaders.iter().map(|l| format!("{} leads", n(l))).collect();
                f.write_str(&each.join(", "))
            }
            MpFact::Accepted { node, slot, cmd } => {
                write!(f, "{} accepted {} in slot {slot}", n(node), say(cmd))
            }
            MpFact::MajorityHolds { slot, cmd } => {
                write!(f, "a majority holds {} in slot {slot}", say(cmd))
            }
            MpFact::Knows { node, slot, cmd } => {
                write!(f, "{} knows {} chosen in slot {slot}", n(node), say(cmd))
            }
            MpFact::Applied { node, slot } => match slot {
                0 => write!(f, "{} has applied no slot yet", n(node)),
                1 => write!(f, "{} has applied slot 1", n(node)),
                _ => write!(f, "{} has applied slots 1 to {slot}", n(node)),
            },
        }
    }
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
    type Fact = MpFact;

    fn check(claim: &MpClaim, sim: &Sim<MultiPaxos>) -> Result<(), MpFact> {
        let expect = |ok: bool, actual: MpFact| if ok { Ok(()) } else { Err(actual) };
        let role = |node: NodeId, s: &MultiPaxos| MpFact::Role {
            node,
            role: s.role,
            ballot: s.ballot,
        };
        match claim {
            MpClaim::Leader { node, round } => {
                let s = running(sim, *node)?;
                let have_round = s.ballot.map(|b| b.round);
                expect(
                    s.role == MpRole::Leader && (round.is_none() || have_round == *round),
                    role(*node, s),
                )
            }
            MpClaim::Role { node, role: want } => {
                let s = running(sim, *node)?;
                expect(s.role == *want, role(*node, s))
            }
            MpClaim::NoLeader => {
                let leaders: Vec<NodeId> = sim
                    .nodes()
                    .iter()
                    .filter(|n| n.up().is_some_and(|s| s.role == MpRole::Leader))
                    .map(|n| n.id)
                    .collect();
                expect(leaders.is_empty(), MpFact::Leaders(leaders))
            }
            MpClaim::Crashed { node } => expect(
                server(sim, *node)?.up().is_none(),
                ServerFact::Running(*node).into(),
            ),
            MpClaim::Accepted { node, slot, cmd } => {
                let have = server(sim, *node)?
                    .persistent()
                    .accepted
                    .get(slot)
                    .map(|(_, c)| SlotCmd::of(c));
                expect(
                    have == *cmd,
                    MpFact::Accepted {
                        node: *node,
                        slot: *slot,
                        cmd: have,
                    },
                )
            }
            MpClaim::Chosen { slot, cmd } => {
                let have = majority_cmd(sim, *slot);
                expect(
                    have == Some(*cmd),
                    MpFact::MajorityHolds {
                        slot: *slot,
                        cmd: have,
                    },
                )
            }
            MpClaim::NotChosen { slot } => {
                let have = majority_cmd(sim, *slot);
                expect(
                    have.is_none(),
                    MpFact::MajorityHolds {
                        slot: *slot,
                        cmd: have,
                    },
                )
            }
            MpClaim::Knows { node, slot, cmd } => {
                let have = running(sim, *node)?.chosen.get(slot).map(SlotCmd::of);
                expect(
                    have == *cmd,
                    MpFact::Knows {
                        node: *node,
                        slot: *slot,
                        cmd: have,
                    },
                )
            }
            MpClaim::Applied { node, slot } => {
                let have = running(sim, *node)?.applied;
                expect(
                    have == *slot,
                    MpFact::Applied {
                        node: *node,
                        slot: have,
                    },
                )
            }
        }
    }
}

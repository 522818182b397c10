//! What a basic Paxos scenario can claim about the servers at a moment.

use super::{Ballot, Paxos, ProposerPhase};
use crate::quorum::Quorum;
use crate::scenario::Scripted;
use crate::{node_name, NodeId, Sim};
use serde::{Deserialize, Serialize};

/// Where a proposer is, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhaseName {
    Idle,
    Preparing,
    Accepting,
}

/// A claim about a Paxos cluster at one moment. Values are named by the id
/// of the client request that carries them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum PaxosClaim {
    /// Acceptor `node` has promised `ballot` (`None`: nothing yet). Read
    /// from what it persisted while it is crashed.
    Promised {
        node: NodeId,
        ballot: Option<Ballot>,
    },
    /// Acceptor `node`'s accepted proposal: `(ballot, request id)`, or `None`.
    Accepted {
        node: NodeId,
        proposal: Option<(Ballot, u64)>,
    },
    /// A majority of the acceptors now hold the same accepted proposal
    /// carrying request `value`: the value is chosen (section 2.1).
    Chosen { value: u64 },
    /// No proposal is now held by a majority of the acceptors.
    NothingChosen,
    /// Running proposer or learner `node` has learned `value` (`None`: nothing yet).
    Learned { node: NodeId, value: Option<u64> },
    /// Running proposer `node` is in this phase; with a ballot, working on it.
    Phase {
        node: NodeId,
        phase: PhaseName,
        #[serde(default)]
        ballot: Option<Ballot>,
    },
    /// Running proposer `node` is in phase 2, asking the acceptors to accept
    /// request `value`: its own, or the one it adopted from the promises.
    Proposing { node: NodeId, value: u64 },
    /// `node` is crashed.
    Crashed { node: NodeId },
}

fn slot(sim: &Sim<Paxos>, node: NodeId) -> Result<&crate::NodeSlot<Paxos>, String> {
    sim.node(node)
        .ok_or_else(|| format!("there is no server {}", node_name(node)))
}

fn running(sim: &Sim<Paxos>, node: NodeId) -> Result<&Paxos, String> {
    slot(sim, node)?
        .up()
        .ok_or_else(|| format!("{} is crashed", node_name(node)))
}

fn proposal(p: Option<(Ballot, u64)>) -> String {
    p.map_or("nothing".to_string(), |(b, v)| {
        format!("({b}, request {v})")
    })
}

/// The proposal a majority of acceptors hold, if one is.
fn majority_proposal(sim: &Sim<Paxos>) -> Option<(Ballot, u64)> {
    let acceptors = sim.config().protocol.acceptor_quorum();
    let held = |a: NodeId| {
        let (b, v) = sim.node(a)?.persistent().accepted?;
        Some((b, v.id))
    };
    let found = acceptors
        .voters()
        .filter_map(held)
        .find(|p| acceptors.is_quorum(|a| held(a) == Some(*p)));
    found
}

impl Scripted for Paxos {
    type Claim = PaxosClaim;

    fn check(claim: &PaxosClaim, sim: &Sim<Paxos>) -> Result<(), String> {
        let expect = |ok: bool, actual: String| if ok { Ok(()) } else { Err(actual) };
        match claim {
            PaxosClaim::Promised { node, ballot } => {
                let have = slot(sim, *node)?.persistent().promised;
                expect(
                    have == *ballot,
                    format!(
                        "{} promised {}",
                        node_name(*node),
                        have.map_or("nothing".to_string(), |b| b.to_string())
                    ),
                )
            }
            PaxosClaim::Accepted { node, proposal: p } => {
                let have = slot(sim, *node)?
                    .persistent()
                    .accepted
                    .map(|(b, v)| (b, v.id));
                expect(
                    have == *p,
                    format!("{} accepted {}", node_name(*node), proposal(have)),
                )
            }
            PaxosClaim::Chosen { value } => {
                let have = majority_proposal(sim);
                expect(
                    have.is_some_and(|(_, v)| v == *value),
                    format!("a majority holds {}", proposal(have)),
                )
            }
            PaxosClaim::NothingChosen => {
                let have = majority_proposal(sim);
                expect(
                    have.is_none(),
                    format!("a majority holds {}", proposal(have)),
                )
            }
            PaxosClaim::Learned { node, value } => {
                let have = running(sim, *node)?.learned.map(|v| v.id);
                expect(
                    have == *value,
                    format!(
                        "{} learned {}",
                        node_name(*node),
                        have.map_or("nothing".to_string(), |v| format!("request {v}"))
                    ),
                )
            }
            PaxosClaim::Phase {
                node,
                phase,
                ballot,
            } => {
                let p = running(sim, *node)?;
                let have = match &p.phase {
                    ProposerPhase::Idle => PhaseName::Idle,
                    ProposerPhase::Preparing { .. } => PhaseName::Preparing,
                    ProposerPhase::Accepting { .. } => PhaseName::Accepting,
                };
                let ok = have == *phase && (ballot.is_none() || p.ballot() == *ballot);
                expect(
                    ok,
                    format!(
                        "{} is {}{}",
                        node_name(*node),
                        match have {
                            PhaseName::Idle => "idle",
                            PhaseName::Preparing => "in phase 1",
                            PhaseName::Accepting => "in phase 2",
                        },
                        p.ballot().map_or(String::new(), |b| format!(" with {b}"))
                    ),
                )
            }
            PaxosClaim::Proposing { node, value } => {
                let p = running(sim, *node)?;
                let have = match &p.phase {
                    ProposerPhase::Accepting {
                        ballot, value: v, ..
                    } => Some((*ballot, v.id)),
                    _ => None,
                };
                expect(
                    have.is_some_and(|(_, v)| v == *value),
                    match have {
                        Some(p) => format!("{} proposes {}", node_name(*node), proposal(Some(p))),
                        None => format!("{} is not in phase 2", node_name(*node)),
                    },
                )
            }
            PaxosClaim::Crashed { node } => expect(
                slot(sim, *node)?.up().is_none(),
                format!("{} is running", node_name(*node)),
            ),
        }
    }
}

//! What a basic Paxos scenario can claim about the servers at a moment.

use super::{Ballot, Paxos, ProposerPhase};
use crate::quorum::Quorum;
use crate::scenario::{running, server, Scripted, ServerFact};
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

/// What is the case instead of a false Paxos claim. Values are named by the
/// id of the client request that carries them, as in the claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaxosFact {
    Server(ServerFact),
    /// Acceptor `node`'s promise (`None`: it has promised nothing).
    Promised {
        node: NodeId,
        ballot: Option<Ballot>,
    },
    /// Acceptor `node`'s accepted proposal, `(ballot, request id)`.
    Accepted {
        node: NodeId,
        proposal: Option<(Ballot, u64)>,
    },
    /// The proposal a majority of the acceptors hold (`None`: none is).
    MajorityHolds {
        proposal: Option<(Ballot, u64)>,
    },
    /// What running `node` has learned.
    Learned {
        node: NodeId,
        value: Option<u64>,
    },
    /// Running proposer `node`'s phase and the ballot it works on.
    Phase {
        node: NodeId,
        phase: PhaseName,
        ballot: Option<Ballot>,
    },
    /// Running proposer `node` is in phase 2 proposing `(ballot, request id)`.
    Proposes {
        node: NodeId,
        proposal: (Ballot, u64),
    },
}

impl From<ServerFact> for PaxosFact {
    fn from(f: ServerFact) -> Self {
        PaxosFact::Server(f)
    }
}

fn proposal(p: Option<(Ballot, u64)>) -> String {
    p.map_or("nothing".to_string(), |(b, v)| {
        format!("({b}, request {v})")
    })
}

/// In English, for the authoring tool and the tests (the page words it itself).
impl std::fmt::Display for PaxosFact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = |n: &NodeId| node_name(*n);
        match self {
            PaxosFact::Server(s) => write!(f, "{s}"),
            PaxosFact::Promised { node, ballot } => match ballot {
                Some(b) => write!(f, "{} promised {b}", n(node)),
                None => write!(f, "{} promised nothing", n(node)),
            },
            PaxosFact::Accepted { node, proposal: p } => {
                write!(f, "{} accepted {}", n(node), proposal(*p))
            }
            PaxosFact::MajorityHolds { proposal: p } => {
                write!(f, "a majority holds {}", proposal(*p))
            }
            PaxosFact::Learned { node, value } => match value {
                Some(v) => write!(f, "{} learned request {v}", n(node)),
                None => write!(f, "{} learned nothing", n(node)),
            },
            PaxosFact::Phase {
                node,
                phase,
                ballot,
            } => {
                let phase = match phase {
                    PhaseName::Idle => "idle",
                    PhaseName::Preparing => "in phase 1",
                    PhaseName::Accepting => "in phase 2",
                };
                write!(f, "{} is {phase}", n(node))?;
                match ballot {
                    Some(b) => write!(f, " with {b}"),
                    None => Ok(()),
                }
            }
            PaxosFact::Proposes { node, proposal: p } => {
                write!(f, "{} proposes {}", n(node), proposal(Some(*p)))
            }
        }
    }
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

/// Where running proposer `p` is, by name.
fn phase_of(node: NodeId, p: &Paxos) -> PaxosFact {
    PaxosFact::Phase {
        node,
        phase: match &p.phase {
            ProposerPhase::Idle => PhaseName::Idle,
            ProposerPhase::Preparing { .. } => PhaseName::Preparing,
            ProposerPhase::Accepting { .. } => PhaseName::Accepting,
        },
        ballot: p.ballot(),
    }
}

impl Scripted for Paxos {
    type Claim = PaxosClaim;
    type Fact = PaxosFact;

    fn check(claim: &PaxosClaim, sim: &Sim<Paxos>) -> Result<(), PaxosFact> {
        let expect = |ok: bool, actual: PaxosFact| if ok { Ok(()) } else { Err(actual) };
        match claim {
            PaxosClaim::Promised { node, ballot } => {
                let have = server(sim, *node)?.persistent().promised;
                expect(
                    have == *ballot,
                    PaxosFact::Promised {
                        node: *node,
                        ballot: have,
                    },
                )
            }
            PaxosClaim::Accepted { node, proposal: p } => {
                let have = server(sim, *node)?
                    .persistent()
                    .accepted
                    .map(|(b, v)| (b, v.id));
                expect(
                    have == *p,
                    PaxosFact::Accepted {
                        node: *node,
                        proposal: have,
                    },
                )
            }
            PaxosClaim::Chosen { value } => {
                let have = majority_proposal(sim);
                expect(
                    have.is_some_and(|(_, v)| v == *value),
                    PaxosFact::MajorityHolds { proposal: have },
                )
            }
            PaxosClaim::NothingChosen => {
                let have = majority_proposal(sim);
                expect(have.is_none(), PaxosFact::MajorityHolds { proposal: have })
            }
            PaxosClaim::Learned { node, value } => {
                let have = running(sim, *node)?.learned.map(|v| v.id);
                expect(
                    have == *value,
                    PaxosFact::Learned {
                        node: *node,
                        value: have,
                    },
                )
            }
            PaxosClaim::Phase {
                node,
                phase,
                ballot,
            } => {
                let p = running(sim, *node)?;
                let have = phase_of(*node, p);
                let ok = matches!(&have, PaxosFact::Phase { phase: h, .. } if h == phase)
                    && (ballot.is_none() || p.ballot() == *ballot);
                expect(ok, have)
            }
            PaxosClaim::Proposing { node, value } => {
                let p = running(sim, *node)?;
                match &p.phase {
                    ProposerPhase::Accepting {
                        ballot, value: v, ..
                    } => expect(
                        v.id == *value,
                        PaxosFact::Proposes {
                            node: *node,
                            proposal: (*ballot, v.id),
                        },
                    ),
                    _ => Err(phase_of(*node, p)),
                }
            }
            PaxosClaim::Crashed { node } => expect(
                server(sim, *node)?.up().is_none(),
                ServerFact::Running(*node).into(),
            ),
        }
    }
}

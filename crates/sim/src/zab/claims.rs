//! What a Zab scenario can claim about the servers at a moment.

use super::{Zab, ZabPhase, ZabRole, Zxid};
use crate::scenario::{running, server, Scripted, ServerFact};
use crate::{node_name, NodeId, Sim};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum ZabClaim {
    /// Running `node` is in `role`, and in `phase` when one is given.
    Role {
        node: NodeId,
        role: ZabRole,
        #[serde(default)]
        phase: Option<ZabPhase>,
    },
    /// Running `node` is the established leader of `epoch`.
    Established { node: NodeId, epoch: u64 },
    /// `node` is crashed.
    Crashed { node: NodeId },
    /// `node`'s acceptedEpoch and currentEpoch (from its disk while crashed).
    Epochs {
        node: NodeId,
        accepted: u64,
        current: u64,
    },
    /// `node`'s history holds these zxids (from its disk while crashed).
    History { node: NodeId, zxids: Vec<Zxid> },
    /// Running `node` has delivered the first `count` transactions of its history.
    Delivered { node: NodeId, count: usize },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZabFact {
    Server(ServerFact),
    Role {
        node: NodeId,
        role: ZabRole,
        phase: ZabPhase,
        epoch: u64,
    },
    Epochs {
        node: NodeId,
        accepted: u64,
        current: u64,
    },
    History {
        node: NodeId,
        zxids: Vec<Zxid>,
    },
    Delivered {
        node: NodeId,
        count: usize,
    },
}

impl From<ServerFact> for ZabFact {
    fn from(f: ServerFact) -> Self {
        ZabFact::Server(f)
    }
}

impl std::fmt::Display for ZabFact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ZabFact::Server(s) => write!(f, "{s}"),
            ZabFact::Role {
                node,
                role,
                phase,
                epoch,
            } => write!(
                f,
                "{} is {role:?} in {phase:?}, current epoch {epoch}",
                node_name(*node)
            ),
            ZabFact::Epochs {
                node,
                accepted,
                current,
            } => write!(
                f,
                "{} has acceptedEpoch {accepted} and currentEpoch {current}",
                node_name(*node)
            ),
            ZabFact::History { node, zxids } => {
                let each: Vec<String> = zxids.iter().map(|z| z.to_string()).collect();
                write!(f, "{}'s history is [{}]", node_name(*node), each.join(" "))
            }
            ZabFact::Delivered { node, count } => {
                write!(f, "{} has delivered {count} transactions", node_name(*node))
            }
        }
    }
}

impl Scripted for Zab {
    type Claim = ZabClaim;
    type Fact = ZabFact;

    fn check(claim: &ZabClaim, sim: &Sim<Zab>) -> Result<(), ZabFact> {
        let expect = |ok: bool, fact: ZabFact| if ok { Ok(()) } else { Err(fact) };
        let role = |s: &Zab| ZabFact::Role {
            node: s.id,
            role: s.role,
            phase: s.phase,
            epoch: s.current_epoch,
        };
        match claim {
            ZabClaim::Role {
                node,
                role: want,
                phase,
            } => {
                let s = running(sim, *node)?;
                expect(
                    s.role == *want && phase.is_none_or(|p| p == s.phase),
                    role(s),
                )
            }
            ZabClaim::Established { node, epoch } => {
                let s = running(sim, *node)?;
                expect(s.established_epoch() == Some(*epoch), role(s))
            }
            ZabClaim::Crashed { node } => expect(
                server(sim, *node)?.up().is_none(),
                ServerFact::Running(*node).into(),
            ),
            ZabClaim::Epochs {
                node,
                accepted,
                current,
            } => {
                let disk = server(sim, *node)?.persistent();
                expect(
                    disk.accepted_epoch == *accepted && disk.current_epoch == *current,
                    ZabFact::Epochs {
                        node: *node,
                        accepted: disk.accepted_epoch,
                        current: disk.current_epoch,
                    },
                )
            }
            ZabClaim::History { node, zxids } => {
                let have: Vec<Zxid> = server(sim, *node)?
                    .persistent()
                    .history
                    .iter()
                    .map(|t| t.zxid)
                    .collect();
                expect(
                    have == *zxids,
                    ZabFact::History {
                        node: *node,
                        zxids: have,
                    },
                )
            }
            ZabClaim::Delivered { node, count } => {
                let s = running(sim, *node)?;
                expect(
                    s.delivered == *count,
                    ZabFact::Delivered {
                        node: *node,
                        count: s.delivered,
                    },
                )
            }
        }
    }
}

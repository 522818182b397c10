//! What a PBFT scenario can claim about the cluster at a moment.

use super::{Pbft, Replica, SeqNo, Status, View};
use crate::kernel::Behaviour;
use crate::scenario::{running, Scripted, ServerFact};
use crate::{node_name, NodeId, Sim};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum PbftClaim {
    /// Running replica `node` is in `view` with `status`.
    View {
        node: NodeId,
        view: View,
        status: Status,
    },
    /// Running replica `node` has committed sequence number `n`, to the
    /// request with timestamp `t` (`None`: the null request).
    Committed {
        node: NodeId,
        n: SeqNo,
        t: Option<u64>,
    },
    /// Running replica `node` has executed up to `n`.
    Executed { node: NodeId, n: SeqNo },
    /// Running replica `node`'s low water mark `h` is `h`.
    Stable { node: NodeId, h: SeqNo },
    /// Running client `client` accepted result `r` for its request `t`.
    Accepted { client: NodeId, t: u64, r: u32 },
    /// Running client `client` has accepted nothing for request `t`.
    NotAccepted { client: NodeId, t: u64 },
    /// `node` lies with `behaviour` (`None`: it is correct).
    Lies {
        node: NodeId,
        behaviour: Option<Behaviour>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PbftFact {
    Server(ServerFact),
    /// `node` is a client, not a replica, or the other way round.
    NotA {
        node: NodeId,
        replica: bool,
    },
    Replica {
        node: NodeId,
        view: View,
        status: Status,
        last_executed: SeqNo,
        h: SeqNo,
    },
    /// What `node` committed at `n`: `None` if nothing, `Some(None)` if the null request.
    Committed {
        node: NodeId,
        n: SeqNo,
        t: Option<Option<u64>>,
    },
    Accepted {
        client: NodeId,
        t: u64,
        r: Option<u32>,
    },
    Lies {
        node: NodeId,
        behaviour: Option<Behaviour>,
    },
}

impl From<ServerFact> for PbftFact {
    fn from(f: ServerFact) -> Self {
        PbftFact::Server(f)
    }
}

impl std::fmt::Display for PbftFact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PbftFact::Server(s) => write!(f, "{s}"),
            PbftFact::NotA { node, replica } => write!(
                f,
                "{} is not a {}",
                node_name(*node),
                if *replica { "replica" } else { "client" }
            ),
            PbftFact::Replica {
                node,
                view,
                status,
                last_executed,
                h,
            } => write!(
                f,
                "{} is {status:?} in view {view}, executed up to {last_executed}, h = {h}",
                node_name(*node)
            ),
            PbftFact::Committed { node, n, t } => match t {
                None => write!(f, "{} has not committed {n}", node_name(*node)),
                Some(None) => write!(f, "{} committed the null request at {n}", node_name(*node)),
                Some(Some(t)) => write!(f, "{} committed request {t} at {n}", node_name(*node)),
            },
            PbftFact::Accepted { client, t, r } => match r {
                None => write!(f, "{} accepted nothing for {t}", node_name(*client)),
                Some(r) => write!(f, "{} accepted {r} for {t}", node_name(*client)),
            },
            PbftFact::Lies { node, behaviour } => match behaviour {
                None => write!(f, "{} is correct", node_name(*node)),
                Some(b) => write!(f, "{} lies: {}", node_name(*node), b.as_str()),
            },
        }
    }
}

fn replica(sim: &Sim<Pbft>, node: NodeId) -> Result<&Replica, PbftFact> {
    running(sim, node)?.replica().ok_or(PbftFact::NotA {
        node,
        replica: true,
    })
}

impl Scripted for Pbft {
    type Claim = PbftClaim;
    type Fact = PbftFact;

    fn check(claim: &PbftClaim, sim: &Sim<Pbft>) -> Result<(), PbftFact> {
        let expect = |ok: bool, fact: PbftFact| if ok { Ok(()) } else { Err(fact) };
        let state = |r: &Replica| PbftFact::Replica {
            node: r.i,
            view: r.view,
            status: r.status,
            last_executed: r.last_executed,
            h: r.h,
        };
        match claim {
            PbftClaim::View { node, view, status } => {
                let r = replica(sim, *node)?;
                expect(r.view == *view && r.status == *status, state(r))
            }
            PbftClaim::Committed { node, n, t } => {
                let r = replica(sim, *node)?;
                let have = r
                    .log
                    .get(n)
                    .and_then(|s| s.committed)
                    .map(|(_, req)| req.map(|q| q.t));
                expect(
                    have == Some(*t),
                    PbftFact::Committed {
                        node: *node,
                        n: *n,
                        t: have,
                    },
                )
            }
            PbftClaim::Executed { node, n } => {
                let r = replica(sim, *node)?;
                expect(r.last_executed == *n, state(r))
            }
            PbftClaim::Stable { node, h } => {
                let r = replica(sim, *node)?;
                expect(r.h == *h, state(r))
            }
            PbftClaim::Accepted { client, t, r } => {
                let c = running(sim, *client)?.client().ok_or(PbftFact::NotA {
                    node: *client,
                    replica: false,
                })?;
                let have = c.accepted.get(t).copied();
                expect(
                    have == Some(*r),
                    PbftFact::Accepted {
                        client: *client,
                        t: *t,
                        r: have,
                    },
                )
            }
            PbftClaim::NotAccepted { client, t } => {
                let c = running(sim, *client)?.client().ok_or(PbftFact::NotA {
                    node: *client,
                    replica: false,
                })?;
                let have = c.accepted.get(t).copied();
                expect(
                    have.is_none(),
                    PbftFact::Accepted {
                        client: *client,
                        t: *t,
                        r: have,
                    },
                )
            }
            PbftClaim::Lies { node, behaviour } => {
                let have = match &crate::scenario::server(sim, *node)?.state {
                    crate::kernel::NodeState::Up(p) | crate::kernel::NodeState::Crashed(p) => {
                        p.byzantine()
                    }
                };
                expect(
                    have == *behaviour,
                    PbftFact::Lies {
                        node: *node,
                        behaviour: have,
                    },
                )
            }
        }
    }
}

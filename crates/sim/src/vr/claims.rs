//! What a VR scenario can claim about the replicas at a moment.

use super::{client_of, OpNumber, Status, View, Vr};
use crate::scenario::{running, server, Scripted, ServerFact};
use crate::{node_name, NodeId, Sim};
use serde::{Deserialize, Serialize};

/// A claim about a VR cluster at one moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum VrClaim {
    /// Running `node` acts as primary: normal, and the primary of its view
    /// (of view `view`, unless `None`).
    Primary {
        node: NodeId,
        #[serde(default)]
        view: Option<View>,
    },
    /// Running `node` has status `status` in view `view` (any view when `None`).
    Status {
        node: NodeId,
        status: Status,
        #[serde(default)]
        view: Option<View>,
    },
    /// Running `node`'s v′, the last view in which it was normal.
    LastNormalView { node: NodeId, view: View },
    /// Running `node`'s log, as the ids of its requests in op-number order.
    Log { node: NodeId, requests: Vec<u64> },
    /// Running `node`'s commit-number.
    CommitNumber { node: NodeId, commit: OpNumber },
    /// Running `node` has executed operations `1..=op_number` and no more.
    Executed { node: NodeId, op_number: OpNumber },
    /// Running `node`'s client table has the request `request` of its
    /// client as the latest one, executed or not.
    ClientTable {
        node: NodeId,
        request: u64,
        executed: bool,
    },
    /// `node` is crashed.
    Crashed { node: NodeId },
}

/// What is the case instead of a false VR claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VrFact {
    Server(ServerFact),
    /// Running `node`'s status and view, and whether it acts as primary.
    Status {
        node: NodeId,
        status: Status,
        view: View,
        primary: bool,
    },
    LastNormalView {
        node: NodeId,
        view: View,
    },
    Log {
        node: NodeId,
        requests: Vec<u64>,
    },
    CommitNumber {
        node: NodeId,
        commit: OpNumber,
    },
    Executed {
        node: NodeId,
        op_number: OpNumber,
    },
    /// The client's row in running `node`'s table (`None`: no row).
    ClientTable {
        node: NodeId,
        row: Option<(u64, bool)>,
    },
}

impl From<ServerFact> for VrFact {
    fn from(f: ServerFact) -> Self {
        VrFact::Server(f)
    }
}

/// In English, for the authoring tool and the tests (the page words it itself).
impl std::fmt::Display for VrFact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = |n: &NodeId| node_name(*n);
        match self {
            VrFact::Server(s) => write!(f, "{s}"),
            VrFact::Status {
                node,
                status,
                view,
                primary,
            } => {
                write!(f, "{} is {} in view {view}", n(node), status.as_str())?;
                if *primary {
                    f.write_str(", as primary")?;
                }
                Ok(())
            }
            VrFact::LastNormalView { node, view } => {
                write!(f, "{} was last normal in view {view}", n(node))
            }
            VrFact::Log { node, requests } => {
                let ids: Vec<String> = requests.iter().map(|r| r.to_string()).collect();
                write!(f, "{}'s log holds requests [{}]", n(node), ids.join(", "))
            }
            VrFact::CommitNumber { node, commit } => {
                write!(f, "{}'s commit-number is {commit}", n(node))
            }
            VrFact::Executed { node, op_number } => match op_number {
                0 => write!(f, "{} has executed no operation yet", n(node)),
                1 => write!(f, "{} has executed operation 1", n(node)),
                _ => write!(f, "{} has executed operations 1 to {op_number}", n(node)),
            },
            VrFact::ClientTable { node, row } => match row {
                None => write!(f, "{}'s client table has no row", n(node)),
                Some((request, executed)) => write!(
                    f,
                    "{}'s client table has request {request}, {}",
                    n(node),
                    if *executed {
                        "executed"
                    } else {
                        "not executed"
                    }
                ),
            },
        }
    }
}

impl Scripted for Vr {
    type Claim = VrClaim;
    type Fact = VrFact;

    fn check(claim: &VrClaim, sim: &Sim<Vr>) -> Result<(), VrFact> {
        let expect = |ok: bool, actual: VrFact| if ok { Ok(()) } else { Err(actual) };
        let status = |r: &Vr| VrFact::Status {
            node: r.id,
            status: r.status,
            view: r.view,
            primary: r.is_primary(),
        };
        match claim {
            VrClaim::Primary { node, view } => {
                let r = running(sim, *node)?;
                expect(
                    r.is_primary() && view.is_none_or(|v| v == r.view),
                    status(r),
                )
            }
            VrClaim::Status {
                node,
                status: want,
                view,
            } => {
                let r = running(sim, *node)?;
                expect(
                    r.status == *want && view.is_none_or(|v| v == r.view),
                    status(r),
                )
            }
            VrClaim::LastNormalView { node, view } => {
                let r = running(sim, *node)?;
                expect(
                    r.last_normal_view == *view,
                    VrFact::LastNormalView {
                        node: *node,
                        view: r.last_normal_view,
                    },
                )
            }
            VrClaim::Log { node, requests } => {
                let r = running(sim, *node)?;
                let have: Vec<u64> = r.log.iter().map(|q| q.id).collect();
                expect(
                    have == *requests,
                    VrFact::Log {
                        node: *node,
                        requests: have,
                    },
                )
            }
            VrClaim::CommitNumber { node, commit } => {
                let r = running(sim, *node)?;
                expect(
                    r.commit_number == *commit,
                    VrFact::CommitNumber {
                        node: *node,
                        commit: r.commit_number,
                    },
                )
            }
            VrClaim::Executed { node, op_number } => {
                let r = running(sim, *node)?;
                expect(
                    r.executed == *op_number,
                    VrFact::Executed {
                        node: *node,
                        op_number: r.executed,
                    },
                )
            }
            VrClaim::ClientTable {
                node,
                request,
                executed,
            } => {
                let r = running(sim, *node)?;
                let (client, _) = client_of(&crate::kv::ClientRequest {
                    id: *request,
                    op: crate::kv::KvOp::Add { key: 'x', by: 0 },
                });
                let row = r
                    .client_table
                    .get(&client)
                    .map(|row| (row.request_number, row.executed));
                expect(
                    row == Some((*request, *executed)),
                    VrFact::ClientTable { node: *node, row },
                )
            }
            VrClaim::Crashed { node } => expect(
                server(sim, *node)?.up().is_none(),
                ServerFact::Running(*node).into(),
            ),
        }
    }
}

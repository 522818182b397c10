//! What a Raft scenario can claim about the cluster at a moment.

use super::{Log, Raft, Role};
use crate::scenario::{running, server, Scripted, ServerFact};
use crate::{node_name, NodeId, Sim};
use serde::{Deserialize, Serialize};

/// A claim about a Raft cluster at one moment. Servers are numbered from 0
/// here (`S1` is node 0), as everywhere in the core.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum RaftClaim {
    /// `node` is running and is the leader of `term`.
    Leader { node: NodeId, term: u64 },
    /// `node` is running in role `role`.
    Role { node: NodeId, role: Role },
    /// No running server is a leader.
    NoLeader,
    /// No running server is the leader of `term`.
    NoLeaderOfTerm { term: u64 },
    /// `node` is running with `currentTerm` = `term`.
    Term { node: NodeId, term: u64 },
    /// `node` is crashed.
    Crashed { node: NodeId },
    /// `node`'s `votedFor` (persistent, so also read while it is crashed).
    VotedFor {
        node: NodeId,
        candidate: Option<NodeId>,
    },
    /// The terms of `node`'s log entries, index 1 first (read from what it
    /// persisted while it is crashed).
    Log { node: NodeId, terms: Vec<u64> },
    /// `node` is running with `commitIndex` = `index`.
    CommitIndex { node: NodeId, index: u64 },
    /// Every listed server has the same log (terms and requests).
    LogsMatch { nodes: Vec<NodeId> },
    /// `node` is running and has applied `key ← value` last for `key`
    /// (`None`: the key was never written).
    Value {
        node: NodeId,
        key: char,
        value: Option<u32>,
    },
    /// `leader` is running as leader with `nextIndex[follower]` = `index`.
    NextIndex {
        leader: NodeId,
        follower: NodeId,
        index: u64,
    },
}

/// What is the case instead of a false Raft claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RaftFact {
    Server(ServerFact),
    /// Running `node` is in `role` in term `term`.
    Role {
        node: NodeId,
        role: Role,
        term: u64,
    },
    /// These running servers lead, each its term (never empty).
    Leaders(Vec<(NodeId, u64)>),
    /// Running `node`'s `currentTerm`.
    Term {
        node: NodeId,
        term: u64,
    },
    /// `node`'s `votedFor`.
    VotedFor {
        node: NodeId,
        candidate: Option<NodeId>,
    },
    /// The terms of `node`'s log entries, index 1 first.
    Log {
        node: NodeId,
        terms: Vec<u64>,
    },
    /// Running `node`'s `commitIndex`.
    CommitIndex {
        node: NodeId,
        index: u64,
    },
    /// Two logs that should match differ from `index` on (their terms shown).
    LogsDiffer {
        logs: [(NodeId, Vec<u64>); 2],
        index: u64,
    },
    /// Running `node`'s last applied value for `key` (`None`: never written).
    Value {
        node: NodeId,
        key: char,
        value: Option<u32>,
    },
    /// Leader `leader`'s `nextIndex` for `follower` (`None`: it keeps none).
    NextIndex {
        leader: NodeId,
        follower: NodeId,
        index: Option<u64>,
    },
}

impl From<ServerFact> for RaftFact {
    fn from(f: ServerFact) -> Self {
        RaftFact::Server(f)
    }
}

/// In English, for the authoring tool and the tests (the page words it itself).
impl std::fmt::Display for RaftFact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = |n: &NodeId| node_name(*n);
        match self {
            RaftFact::Server(s) => write!(f, "{s}"),
            RaftFact::Role { node, role, term } => {
                write!(f, "{} is {} of term {term}", n(node), role.as_str())
            }
            RaftFact::Leaders(leaders) => {
                let each: Vec<String> = leaders
                    .iter()
                    .map(|(l, t)| format!("{} leads term {t}", n(l)))
                    .collect();
                f.write_str(&each.join(", "))
            }
            RaftFact::Term { node, term } => write!(f, "{} is in term {term}", n(node)),
            RaftFact::VotedFor { node, candidate } => match candidate {
                Some(c) => write!(f, "{} voted for {}", n(node), n(c)),
                None => write!(f, "{} voted for nobody", n(node)),
            },
            RaftFact::Log { node, terms } => write!(f, "{}'s log has terms {terms:?}", n(node)),
            RaftFact::CommitIndex { node, index } => {
                write!(f, "{}'s commitIndex is {index}", n(node))
            }
            RaftFact::LogsDiffer {
                logs: [(a, ta), (b, tb)],
                index,
            } => write!(
                f,
                "{}'s log has terms {ta:?}, {}'s {tb:?}: they differ from index {index}",
                n(a),
                n(b)
            ),
            RaftFact::Value { node, key, value } => match value {
                Some(v) => write!(f, "{} has {key} = {v}", n(node)),
                None => write!(f, "{} has {key} = nothing", n(node)),
            },
            RaftFact::NextIndex {
                leader,
                follower,
                index,
            } => match index {
                Some(i) => write!(f, "{}'s nextIndex for {} is {i}", n(leader), n(follower)),
                None => write!(
                    f,
                    "{}'s nextIndex for {} is unknown",
                    n(leader),
                    n(follower)
                ),
            },
        }
    }
}

fn terms(log: &Log) -> Vec<u64> {
    log.iter().map(|(_, e)| e.term).collect()
}

impl Scripted for Raft {
    type Claim = RaftClaim;
    type Fact = RaftFact;

    fn check(claim: &RaftClaim, sim: &Sim<Raft>) -> Result<(), RaftFact> {
        let expect = |ok: bool, actual: RaftFact| if ok { Ok(()) } else { Err(actual) };
        let role = |node: NodeId, r: &Raft| RaftFact::Role {
            node,
            role: r.role,
            term: r.current_term,
        };
        match claim {
            RaftClaim::Leader { node, term } => {
                let r = running(sim, *node)?;
                expect(
                    r.role == Role::Leader && r.current_term == *term,
                    role(*node, r),
                )
            }
            RaftClaim::Role { node, role: want } => {
                let r = running(sim, *node)?;
                expect(r.role == *want, role(*node, r))
            }
            RaftClaim::NoLeader | RaftClaim::NoLeaderOfTerm { .. } => {
                let leaders: Vec<(NodeId, u64)> = sim
                    .nodes()
                    .iter()
                    .filter_map(|s| s.up().map(|r| (s.id, r)))
                    .filter(|(_, r)| r.role == Role::Leader)
                    .filter(|(_, r)| match claim {
                        RaftClaim::NoLeaderOfTerm { term } => r.current_term == *term,
                        _ => true,
                    })
                    .map(|(id, r)| (id, r.current_term))
                    .collect();
                expect(leaders.is_empty(), RaftFact::Leaders(leaders))
            }
            RaftClaim::Term { node, term } => {
                let r = running(sim, *node)?;
                expect(
                    r.current_term == *term,
                    RaftFact::Term {
                        node: *node,
                        term: r.current_term,
                    },
                )
            }
            RaftClaim::Crashed { node } => expect(
                server(sim, *node)?.up().is_none(),
                ServerFact::Running(*node).into(),
            ),
            RaftClaim::VotedFor { node, candidate } => {
                let voted = server(sim, *node)?.persistent().voted_for;
                expect(
                    voted == *candidate,
                    RaftFact::VotedFor {
                        node: *node,
                        candidate: voted,
                    },
                )
            }
            RaftClaim::Log { node, terms: want } => {
                let have = terms(&server(sim, *node)?.persistent().log);
                expect(
                    have == *want,
                    RaftFact::Log {
                        node: *node,
                        terms: have,
                    },
                )
            }
            RaftClaim::CommitIndex { node, index } => {
                let r = running(sim, *node)?;
                expect(
                    r.commit_index == *index,
                    RaftFact::CommitIndex {
                        node: *node,
                        index: r.commit_index,
                    },
                )
            }
            RaftClaim::LogsMatch { nodes } => {
                let mut logs = Vec::new();
                for &n in nodes {
                    logs.push((n, server(sim, n)?.persistent().log));
                }
                match logs.iter().find(|(_, l)| *l != logs[0].1) {
                    None => Ok(()),
                    Some((n, l)) => {
                        let first = &logs[0].1;
                        // The first index at which the two differ (an entry
                        // there in only one, or different in each).
                        let index = first.common_prefix(l) + 1;
                        Err(RaftFact::LogsDiffer {
                            logs: [(logs[0].0, terms(first)), (*n, terms(l))],
                            index,
                        })
                    }
                }
            }
            RaftClaim::Value { node, key, value } => {
                let r = running(sim, *node)?;
                let have = r.kv.data.get(key).copied();
                expect(
                    have == *value,
                    RaftFact::Value {
                        node: *node,
                        key: *key,
                        value: have,
                    },
                )
            }
            RaftClaim::NextIndex {
                leader,
                follower,
                index,
            } => {
                let r = running(sim, *leader)?;
                if r.role != Role::Leader {
                    return Err(role(*leader, r));
                }
                let have = r.progress.get(follower).map(|p| p.next_index);
                expect(
                    have == Some(*index),
                    RaftFact::NextIndex {
                        leader: *leader,
                        follower: *follower,
                        index: have,
                    },
                )
            }
        }
    }
}

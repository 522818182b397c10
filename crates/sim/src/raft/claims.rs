//! What a Raft scenario can claim about the cluster at a moment.

use super::{Log, Raft, Role};
use crate::scenario::Scripted;
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

fn running(sim: &Sim<Raft>, node: NodeId) -> Result<&Raft, String> {
    let slot = sim
        .node(node)
        .ok_or_else(|| format!("there is no server {}", node_name(node)))?;
    slot.up()
        .ok_or_else(|| format!("{} is crashed", node_name(node)))
}

fn terms(log: &Log) -> Vec<u64> {
    log.iter().map(|(_, e)| e.term).collect()
}

impl Scripted for Raft {
    type Claim = RaftClaim;

    fn check(claim: &RaftClaim, sim: &Sim<Raft>) -> Result<(), String> {
        let expect = |ok: bool, actual: String| if ok { Ok(()) } else { Err(actual) };
        match claim {
            RaftClaim::Leader { node, term } => {
                let r = running(sim, *node)?;
                expect(
                    r.role == Role::Leader && r.current_term == *term,
                    format!(
                        "{} is {} of term {}",
                        node_name(*node),
                        r.role.as_str(),
                        r.current_term
                    ),
                )
            }
            RaftClaim::Role { node, role } => {
                let r = running(sim, *node)?;
                expect(
                    r.role == *role,
                    format!("{} is {}", node_name(*node), r.role.as_str()),
                )
            }
            RaftClaim::NoLeader | RaftClaim::NoLeaderOfTerm { .. } => {
                let leaders: Vec<String> = sim
                    .nodes()
                    .iter()
                    .filter_map(|s| s.up().map(|r| (s.id, r)))
                    .filter(|(_, r)| r.role == Role::Leader)
                    .filter(|(_, r)| match claim {
                        RaftClaim::NoLeaderOfTerm { term } => r.current_term == *term,
                        _ => true,
                    })
                    .map(|(id, r)| format!("{} leads term {}", node_name(id), r.current_term))
                    .collect();
                expect(leaders.is_empty(), leaders.join(", "))
            }
            RaftClaim::Term { node, term } => {
                let r = running(sim, *node)?;
                expect(
                    r.current_term == *term,
                    format!("{} is in term {}", node_name(*node), r.current_term),
                )
            }
            RaftClaim::Crashed { node } => {
                let slot = sim
                    .node(*node)
                    .ok_or_else(|| format!("there is no server {}", node_name(*node)))?;
                expect(
                    slot.up().is_none(),
                    format!("{} is running", node_name(*node)),
                )
            }
            RaftClaim::VotedFor { node, candidate } => {
                let slot = sim
                    .node(*node)
                    .ok_or_else(|| format!("there is no server {}", node_name(*node)))?;
                let voted = slot.persistent().voted_for;
                expect(
                    voted == *candidate,
                    format!(
                        "{} voted for {}",
                        node_name(*node),
                        voted.map_or("nobody".to_string(), node_name)
                    ),
                )
            }
            RaftClaim::Log { node, terms: want } => {
                let slot = sim
                    .node(*node)
                    .ok_or_else(|| format!("there is no server {}", node_name(*node)))?;
                let have = terms(&slot.persistent().log);
                expect(
                    have == *want,
                    format!("{}'s log has terms {have:?}", node_name(*node)),
                )
            }
            RaftClaim::CommitIndex { node, index } => {
                let r = running(sim, *node)?;
                expect(
                    r.commit_index == *index,
                    format!("{}'s commitIndex is {}", node_name(*node), r.commit_index),
                )
            }
            RaftClaim::LogsMatch { nodes } => {
                let mut logs = Vec::new();
                for &n in nodes {
                    let slot = sim
                        .node(n)
                        .ok_or_else(|| format!("there is no server {}", node_name(n)))?;
                    logs.push((n, slot.persistent().log));
                }
                match logs.iter().find(|(_, l)| *l != logs[0].1) {
                    None => Ok(()),
                    Some((n, l)) => Err(format!(
                        "{}'s log has terms {:?}, {}'s {:?}",
                        node_name(logs[0].0),
                        terms(&logs[0].1),
                        node_name(*n),
                        terms(l)
                    )),
                }
            }
            RaftClaim::Value { node, key, value } => {
                let r = running(sim, *node)?;
                let have = r.kv.data.get(key).copied();
                expect(
                    have == *value,
                    format!(
                        "{} has {key} = {}",
                        node_name(*node),
                        have.map_or("nothing".to_string(), |v| v.to_string())
                    ),
                )
            }
            RaftClaim::NextIndex {
                leader,
                follower,
                index,
            } => {
                let r = running(sim, *leader)?;
                if r.role != Role::Leader {
                    return Err(format!("{} is {}", node_name(*leader), r.role.as_str()));
                }
                let have = r.progress.get(follower).map(|p| p.next_index);
                expect(
                    have == Some(*index),
                    format!(
                        "{}'s nextIndex for {} is {}",
                        node_name(*leader),
                        node_name(*follower),
                        have.map_or("unknown".to_string(), |i| i.to_string())
                    ),
                )
            }
        }
    }
}

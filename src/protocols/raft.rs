//! Raft on the page: Figure 3's checker, the leader, and its events in words.

use super::Viewed;
use quorum_sim::invariants::{RaftSafety, Violation, RAFT_PROPERTIES};
use quorum_sim::raft::{AppendRefusal, Raft, RaftEvent, RequestRefusal, Role, VoteRefusal};
use quorum_sim::sim::{EventOf, SimEvent};
use quorum_sim::{node_name, NodeId, Sim};
use std::collections::BTreeMap;

/// What the feed remembers to word Raft's events.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RaftFeedMemory {
    /// Nodes that are leader, by the term they lead (to tell a leader stepping
    /// down from the many followers that merely move to a newer term).
    leaders: BTreeMap<NodeId, u64>,
    /// A user forced this node's timeout; its next election is their doing.
    forced: Option<NodeId>,
}

impl Viewed for Raft {
    type Safety = RaftSafety;
    type FeedMemory = RaftFeedMemory;

    const PROPERTIES: &'static [&'static str] = &RAFT_PROPERTIES;

    fn observe(safety: &mut RaftSafety, sim: &Sim<Raft>, events: &[EventOf<Raft>]) {
        // A violation is kept in the checker and shown on the page.
        let _ = safety.observe(sim, events);
    }

    fn violation(safety: &RaftSafety) -> Option<&Violation> {
        safety.violation()
    }

    fn events_checked(safety: &RaftSafety) -> u64 {
        safety.events_checked()
    }

    /// The leader of the highest term, should an old one not know it was replaced.
    fn leader(sim: &Sim<Raft>) -> Option<NodeId> {
        sim.nodes()
            .iter()
            .filter_map(|slot| slot.up())
            .filter(|raft| raft.role == Role::Leader)
            .max_by_key(|raft| raft.current_term)
            .map(|raft| raft.id)
    }

    fn message_fields(msg: &quorum_sim::raft::Message) -> Vec<(&'static str, String)> {
        crate::components::inspect::message_fields(msg)
    }

    fn note(
        memory: &mut RaftFeedMemory,
        event: &SimEvent<quorum_sim::raft::Message, quorum_sim::raft::RaftTimer, RaftEvent>,
    ) {
        match event {
            SimEvent::TimerFired {
                node, forced: true, ..
            } => memory.forced = Some(*node),
            SimEvent::NodeCrashed { node } => {
                memory.leaders.remove(node);
            }
            _ => {}
        }
    }

    fn describe(memory: &mut RaftFeedMemory, node: NodeId, event: &RaftEvent) -> Option<String> {
        let name = node_name(node);
        let text = match event {
            RaftEvent::Started {
                term,
                recovered: true,
            } => format!("{name} restarted from its persisted state, at term {term}"),
            RaftEvent::BecameCandidate { term } => {
                let how = if memory.forced.take() == Some(node) {
                    "was made to time out"
                } else {
                    "timed out"
                };
                format!("{name} {how} and started an election for term {term}")
            }
            RaftEvent::BecameLeader { term } => {
                memory.leaders.insert(node, *term);
                format!("{name} became leader for term {term}")
            }
            RaftEvent::BecameFollower { term } => {
                memory.leaders.remove(&node)?;
                format!("{name} stepped down: it saw term {term}")
            }
            RaftEvent::VoteGranted { candidate, term } => {
                format!("{name} voted for {} in term {term}", node_name(*candidate))
            }
            // A refusal because the vote went to someone else is the common
            // case of a split vote; the grants already tell that story.
            RaftEvent::VoteRefused {
                reason: VoteRefusal::AlreadyVoted { .. },
                ..
            } => return None,
            RaftEvent::VoteRefused {
                candidate,
                term,
                reason,
            } => {
                let why = match reason {
                    VoteRefusal::LogBehind => "its log is behind (§5.4.1)".to_string(),
                    _ => format!("term {term} is stale"),
                };
                format!("{name} refused {} a vote: {why}", node_name(*candidate))
            }
            RaftEvent::AppendRefused { leader, reason } => {
                let why = match reason {
                    AppendRefusal::StaleTerm => format!("{} has a stale term", node_name(*leader)),
                    AppendRefusal::MissingEntry {
                        prev_log_index,
                        prev_log_term,
                    } => format!("no entry at index {prev_log_index} (term {prev_log_term})"),
                    AppendRefusal::TermMismatch {
                        prev_log_index,
                        prev_log_term,
                        found_term,
                    } => format!(
                        "entry {prev_log_index} has term {found_term}, not {prev_log_term}"
                    ),
                };
                format!("{name} refused AppendEntries: {why}")
            }
            RaftEvent::EntriesAppended {
                leader,
                first_index,
                truncated_from: Some(from),
                ..
            } => format!(
                "{name} deleted conflicting entries from index {from} and took {}'s from {first_index}",
                node_name(*leader)
            ),
            RaftEvent::NextIndexDecremented {
                follower,
                next_index,
            } => format!(
                "{name} moved nextIndex for {} back to {next_index}",
                node_name(*follower)
            ),
            RaftEvent::RequestAccepted {
                request,
                index,
                term,
            } => format!("{name} appended {} at index {index} (term {term})", request.op),
            RaftEvent::RequestForwarded { request, to } => {
                format!("{name} forwarded {} to leader {}", request.op, node_name(*to))
            }
            RaftEvent::RequestRefused { request, reason } => match reason {
                RequestRefusal::NoLeaderKnown => {
                    format!("{name} refused {}: it knows no leader", request.op)
                }
                RequestRefusal::NotLeader { .. } => {
                    format!("{name} refused {}: it is not the leader", request.op)
                }
            },
            RaftEvent::Committed { index, term } if memory.leaders.contains_key(&node) => {
                format!("{name} committed entries up to index {index} (term {term})")
            }
            _ => return None,
        };
        Some(text)
    }
}

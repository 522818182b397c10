//! Multi-Paxos on the page: its per-slot checker, the leader, its events in words.

use super::Viewed;
use quorum_sim::invariants::Violation;
use quorum_sim::multipaxos::{
    MpEvent, MpMessage, MpRole, MultiPaxos, MultiPaxosSafety, ProposalReason, Slot,
    MULTIPAXOS_PROPERTIES,
};
use quorum_sim::sim::EventOf;
use quorum_sim::{node_name, NodeId, Sim};

impl Viewed for MultiPaxos {
    type Safety = MultiPaxosSafety;
    /// Slots each server proposed: its learning them is worth a line, the
    /// other replicas' learning the same slot is not.
    type FeedMemory = std::collections::BTreeSet<(NodeId, Slot)>;

    const PROPERTIES: &'static [&'static str] = &MULTIPAXOS_PROPERTIES;

    fn observe(
        safety: &mut MultiPaxosSafety,
        sim: &Sim<MultiPaxos>,
        events: &[EventOf<MultiPaxos>],
    ) {
        // A violation is kept in the checker and shown on the page.
        let _ = safety.observe(sim, events);
    }

    fn violation(safety: &MultiPaxosSafety) -> Option<&Violation> {
        safety.violation()
    }

    fn events_checked(safety: &MultiPaxosSafety) -> u64 {
        safety.events_checked()
    }

    /// The leader with the highest number, should an old one not know it was replaced.
    fn leader(sim: &Sim<MultiPaxos>) -> Option<NodeId> {
        sim.nodes()
            .iter()
            .filter_map(|slot| slot.up())
            .filter(|n| n.role == MpRole::Leader)
            .max_by_key(|n| n.ballot)
            .map(|n| n.id)
    }

    fn message_fields(msg: &MpMessage) -> Vec<(&'static str, String)> {
        match msg {
            MpMessage::Prepare { ballot, from_slot } => {
                vec![
                    ("n", ballot.to_string()),
                    ("from slot", from_slot.to_string()),
                ]
            }
            MpMessage::Promise { ballot, accepted } => {
                let list: Vec<String> = accepted
                    .iter()
                    .map(|(s, b, c)| format!("{s}: ({b}, {c})"))
                    .collect();
                vec![
                    ("n", ballot.to_string()),
                    (
                        "accepted",
                        if list.is_empty() {
                            "none".to_string()
                        } else {
                            list.join("; ")
                        },
                    ),
                ]
            }
            MpMessage::Accept { ballot, slot, cmd } => vec![
                ("n", ballot.to_string()),
                ("slot", slot.to_string()),
                ("command", cmd.to_string()),
            ],
            MpMessage::Accepted { ballot, slot } => {
                vec![("n", ballot.to_string()), ("slot", slot.to_string())]
            }
            MpMessage::Nack { ballot, promised } => {
                vec![
                    ("n", ballot.to_string()),
                    ("promised", promised.to_string()),
                ]
            }
            MpMessage::Chosen { slot, cmd } => {
                vec![("slot", slot.to_string()), ("command", cmd.to_string())]
            }
            MpMessage::Heartbeat {
                ballot,
                chosen_through,
            } => vec![
                ("n", ballot.to_string()),
                ("chosen through slot", chosen_through.to_string()),
            ],
            MpMessage::HeartbeatReply {
                ballot,
                next_needed,
            } => vec![
                ("n", ballot.to_string()),
                ("needs from slot", next_needed.to_string()),
            ],
            MpMessage::Forward { request } => vec![
                ("request id", request.id.to_string()),
                ("command", request.op.to_string()),
            ],
        }
    }

    fn describe(
        proposed: &mut std::collections::BTreeSet<(NodeId, Slot)>,
        node: NodeId,
        event: &MpEvent,
    ) -> Option<String> {
        let name = node_name(node);
        if let MpEvent::Proposed { slot, .. } = event {
            proposed.insert((node, *slot));
        }
        Some(match event {
            MpEvent::Started { recovered: true } => {
                format!("{name} restarted from what it persisted; it must learn the log again")
            }
            MpEvent::BecameCandidate { ballot, from_slot } => format!(
                "{name} heard no leader and sent Prepare({ballot}) for every slot from {from_slot}"
            ),
            MpEvent::BecameLeader { ballot } => {
                format!("{name} had a majority of promises and leads with {ballot}")
            }
            MpEvent::SteppedDown { ballot, by } => {
                format!("{name} stepped down: {by} is above its {ballot}")
            }
            MpEvent::Refused { ballot, promised } => {
                format!("{name} refused {ballot}: it promised {promised}")
            }
            MpEvent::Proposed {
                ballot,
                slot,
                cmd,
                reason,
            } => match reason {
                ProposalReason::Fresh => {
                    format!("{name} proposed {cmd} for slot {slot} ({ballot})")
                }
                ProposalReason::Recovered => format!(
                    "{name} finished slot {slot} with {cmd}, the value an earlier leader left there"
                ),
                ProposalReason::Gap => {
                    format!("{name} filled the gap at slot {slot} with a no-op")
                }
            },
            MpEvent::Learned { slot, cmd } => {
                if !proposed.remove(&(node, *slot)) {
                    return None;
                }
                format!("{name} had slot {slot} accepted by a majority: {cmd} is chosen")
            }
            MpEvent::RequestForwarded { request, to } => {
                format!(
                    "{name} forwarded {} to leader {}",
                    request.op,
                    node_name(*to)
                )
            }
            MpEvent::RequestRefused { request } => {
                format!("{name} knows no leader and dropped {}", request.op)
            }
            MpEvent::Started { .. }
            | MpEvent::Promised { .. }
            | MpEvent::Accepted { .. }
            | MpEvent::Applied { .. } => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::feed::Feed;
    use quorum_sim::kv::KvOp;
    use quorum_sim::multipaxos::{MpRole, MultiPaxos, MultiPaxosConfig};
    use quorum_sim::{Command, Sim, SimConfig, MS};

    #[test]
    fn a_chosen_slot_is_one_line_from_its_proposer_not_one_per_replica() {
        let mut sim = Sim::<MultiPaxos>::new(SimConfig::<MultiPaxosConfig>::new(5, 42)).unwrap();
        let mut feed = Feed::<MultiPaxos>::default();
        feed.record(&sim.advance_to(1_000 * MS));
        let leader = sim
            .nodes()
            .iter()
            .filter_map(|s| s.up())
            .find(|n| n.role == MpRole::Leader)
            .map(|n| n.id)
            .expect("a leader");
        let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
        feed.record(
            &sim.apply(Command::ClientRequest {
                node: leader,
                request,
            })
            .unwrap(),
        );
        feed.record(&sim.advance_to(1_300 * MS));
        let lines: Vec<String> = feed.lines().map(|l| l.text.clone()).collect();
        let chosen: Vec<&String> = lines.iter().filter(|l| l.contains("is chosen")).collect();
        assert_eq!(chosen.len(), 1, "{lines:?}");
        assert!(
            chosen[0].contains("slot 1") && chosen[0].contains("x←1"),
            "{chosen:?}"
        );
        assert!(
            lines.iter().any(|l| l.contains("proposed x←1 for slot 1")),
            "{lines:?}"
        );
    }
}

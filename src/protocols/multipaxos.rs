//! Multi-Paxos on the page: its per-slot checker, the leader, its events in words.

use super::{MessageField, Viewed};
use crate::i18n::{text, Lang, Text};
use quorum_sim::multipaxos::{MpEvent, MpMessage, MpRole, MultiPaxos, ProposalReason, Slot};
use quorum_sim::{node_name, NodeId, Sim};

impl Viewed for MultiPaxos {
    /// Slots each server proposed: its learning them is worth a line, the
    /// other replicas' learning the same slot is not.
    type FeedMemory = std::collections::BTreeSet<(NodeId, Slot)>;

    /// The leader with the highest number, should an old one not know it was replaced.
    fn leader(sim: &Sim<MultiPaxos>) -> Option<NodeId> {
        sim.nodes()
            .iter()
            .filter_map(|slot| slot.up())
            .filter(|n| n.role == MpRole::Leader)
            .max_by_key(|n| n.ballot)
            .map(|n| n.id)
    }

    fn message_fields(msg: &MpMessage, lang: Lang) -> Vec<MessageField> {
        let slot_label = lang.t("slot", "槽位");
        let command_label = lang.t("command", "命令");
        match msg {
            MpMessage::Prepare { ballot, from_slot } => vec![
                MessageField::paper("n", ballot),
                MessageField::named("from slot", lang.t("from slot", "起始槽位"), from_slot),
            ],
            MpMessage::Promise { ballot, accepted } => {
                let list: Vec<String> = accepted
                    .iter()
                    .map(|(s, b, c)| format!("{s}: ({b}, {c})"))
                    .collect();
                let accepted = if list.is_empty() {
                    lang.t("none", "无").to_string()
                } else {
                    list.join("; ")
                };
                vec![
                    MessageField::paper("n", ballot),
                    MessageField::named("accepted", lang.t("accepted", "已接受"), accepted),
                ]
            }
            MpMessage::Accept {
                ballot,
                slot,
                cmd: c,
            } => vec![
                MessageField::paper("n", ballot),
                MessageField::named("slot", slot_label, slot),
                MessageField::named("command", command_label, c),
            ],
            MpMessage::Accepted { ballot, slot } => vec![
                MessageField::paper("n", ballot),
                MessageField::named("slot", slot_label, slot),
            ],
            MpMessage::Nack { ballot, promised } => vec![
                MessageField::paper("n", ballot),
                MessageField::named("promised", lang.t("promised", "已承诺"), promised),
            ],
            MpMessage::Chosen { slot, cmd: c } => vec![
                MessageField::named("slot", slot_label, slot),
                MessageField::named("command", command_label, c),
            ],
            MpMessage::Heartbeat {
                ballot,
                chosen_through,
            } => vec![
                MessageField::paper("n", ballot),
                MessageField::named(
                    "chosen through slot",
                    lang.t("chosen through slot", "已选定至槽位"),
                    chosen_through,
                ),
            ],
            MpMessage::HeartbeatReply {
                ballot,
                next_needed,
            } => vec![
                MessageField::paper("n", ballot),
                MessageField::named(
                    "needs from slot",
                    lang.t("needs from slot", "需要的起始槽位"),
                    next_needed,
                ),
            ],
            MpMessage::Forward { request } => vec![
                MessageField::named("request id", lang.t("request id", "请求编号"), request.id),
                MessageField::named("command", command_label, request.op),
            ],
        }
    }

    fn describe(
        proposed: &mut std::collections::BTreeSet<(NodeId, Slot)>,
        node: NodeId,
        event: &MpEvent,
    ) -> Option<Text> {
        let name = node_name(node);
        if let MpEvent::Proposed { slot, .. } = event {
            proposed.insert((node, *slot));
        }
        Some(match event {
            MpEvent::Started { recovered: true } => text(
                format!("{name} restarted from what it persisted; it must learn the log again"),
                format!("{name} 从持久化的状态重启；它必须重新学习日志"),
            ),
            MpEvent::BecameCandidate { ballot, from_slot } => text(
                format!(
                    "{name} heard no leader and sent Prepare({ballot}) for every slot from {from_slot}"
                ),
                format!(
                    "{name} 没有收到领导者的消息，为从 {from_slot} 起的所有槽位发送了 Prepare({ballot})"
                ),
            ),
            MpEvent::BecameLeader { ballot } => text(
                format!("{name} had a majority of promises and leads with {ballot}"),
                format!("{name} 获得了多数承诺，以 {ballot} 成为领导者"),
            ),
            MpEvent::SteppedDown { ballot, by } => text(
                format!("{name} stepped down: {by} is above its {ballot}"),
                format!("{name} 退为跟随者：{by} 高于它的 {ballot}"),
            ),
            MpEvent::Refused { ballot, promised } => text(
                format!("{name} refused {ballot}: it promised {promised}"),
                format!("{name} 拒绝了 {ballot}：它已承诺 {promised}"),
            ),
            MpEvent::Proposed {
                ballot,
                slot,
                cmd: c,
                reason,
            } => match reason {
                ProposalReason::Fresh => text(
                    format!("{name} proposed {c} for slot {slot} ({ballot})"),
                    format!("{name} 为槽位 {slot} 提议了 {c}（{ballot}）"),
                ),
                ProposalReason::Recovered => text(
                    format!(
                        "{name} finished slot {slot} with {c}, the value an earlier leader left there"
                    ),
                    format!("{name} 用 {c} 完成了槽位 {slot}：这是之前的领导者留在那里的值"),
                ),
                ProposalReason::Gap => text(
                    format!("{name} filled the gap at slot {slot} with a no-op"),
                    format!("{name} 用空操作（no-op）填补了槽位 {slot} 的空缺"),
                ),
            },
            MpEvent::Learned { slot, cmd: c } => {
                if !proposed.remove(&(node, *slot)) {
                    return None;
                }
                text(
                    format!("{name} had slot {slot} accepted by a majority: {c} is chosen"),
                    format!("{name} 的槽位 {slot} 已被多数接受：{c} 被选定"),
                )
            }
            MpEvent::RequestForwarded { request, to } => {
                let (op, to) = (request.op, node_name(*to));
                text(
                    format!("{name} forwarded {op} to leader {to}"),
                    format!("{name} 把 {op} 转发给领导者 {to}"),
                )
            }
            MpEvent::RequestRefused { request } => {
                let op = request.op;
                text(
                    format!("{name} knows no leader and dropped {op}"),
                    format!("{name} 不知道谁是领导者，丢弃了 {op}"),
                )
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
        let lines: Vec<String> = feed.lines().map(|l| l.text.en.clone()).collect();
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
        let zh: Vec<String> = feed.lines().map(|l| l.text.zh.clone()).collect();
        assert!(
            zh.iter()
                .any(|l| l.ends_with("的槽位 1 已被多数接受：x←1 被选定")),
            "{zh:?}"
        );
    }
}

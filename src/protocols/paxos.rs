//! Basic Paxos on the page: its checker, and its events in plain words.

use super::{MessageField, Viewed};
use crate::i18n::{text, Lang, Text};
use quorum_sim::paxos::{Paxos, PaxosConfig, PaxosEvent, PaxosMessage, PaxosRole};
use quorum_sim::{node_name, NodeId, Sim};

impl Viewed for Paxos {
    type FeedMemory = ();

    /// Basic Paxos has no leader; the keys that act on "the leader" act on
    /// the first running proposer.
    fn leader(sim: &Sim<Paxos>) -> Option<NodeId> {
        sim.nodes()
            .iter()
            .filter_map(|slot| slot.up())
            .find(|p| p.role == PaxosRole::Proposer)
            .map(|p| p.id)
    }

    fn share_params(config: &PaxosConfig) -> Vec<u64> {
        vec![config.proposers as u64, config.acceptors as u64]
    }

    fn config_from_params(params: &[u64]) -> Result<PaxosConfig, String> {
        use crate::url::{ACCEPTORS, PROPOSERS};
        match params {
            [p, a]
                if (PROPOSERS.0 as u64..=PROPOSERS.1 as u64).contains(p)
                    && (ACCEPTORS.0 as u64..=ACCEPTORS.1 as u64).contains(a) =>
            {
                Ok(PaxosConfig {
                    proposers: *p as usize,
                    acceptors: *a as usize,
                    ..PaxosConfig::default()
                })
            }
            _ => Err(format!(
                "the link's Paxos roles {params:?} are not 1-3 proposers and 3-7 acceptors"
            )),
        }
    }

    fn message_fields(msg: &PaxosMessage, lang: Lang) -> Vec<MessageField> {
        let proposal = |p: &Option<(quorum_sim::paxos::Ballot, quorum_sim::paxos::Value)>| {
            p.map_or_else(
                || lang.t("none", "无").to_string(),
                |(b, v)| format!("({b}, {})", v.op),
            )
        };
        match msg {
            PaxosMessage::Prepare { ballot } => vec![MessageField::paper("n", ballot)],
            PaxosMessage::Promise { ballot, accepted } => vec![
                MessageField::paper("n", ballot),
                MessageField::named(
                    "highest accepted",
                    lang.t("highest accepted", "已接受的最高提案"),
                    proposal(accepted),
                ),
            ],
            PaxosMessage::Accept { ballot, value } | PaxosMessage::Accepted { ballot, value } => {
                vec![
                    MessageField::paper("n", ballot),
                    MessageField::paper("v", value.op),
                ]
            }
            PaxosMessage::Nack { ballot, promised } => vec![
                MessageField::paper("n", ballot),
                MessageField::named("promised", lang.t("promised", "已承诺"), promised),
            ],
            PaxosMessage::Query => vec![],
        }
    }

    fn describe(_: &mut (), node: NodeId, event: &PaxosEvent) -> Option<Text> {
        let name = node_name(node);
        Some(match event {
            PaxosEvent::Started {
                recovered: true, ..
            } => text(
                format!("{name} restarted from what it persisted"),
                format!("{name} 从持久化的状态重启"),
            ),
            PaxosEvent::Started { .. } => return None,
            PaxosEvent::ValueReceived { value } => {
                let op = value.op;
                text(
                    format!("A client asked {name} to propose {op}"),
                    format!("客户端请 {name} 提议 {op}"),
                )
            }
            PaxosEvent::Prepared { ballot } => text(
                format!("{name} sent Prepare({ballot}) to the acceptors (phase 1)"),
                format!("{name} 向接受者发送了 Prepare({ballot})（阶段 1）"),
            ),
            PaxosEvent::Promised { ballot, accepted } => match accepted {
                Some((b, v)) => {
                    let op = v.op;
                    text(
                        format!("{name} promised {ballot}, reporting it accepted {op} with {b}"),
                        format!("{name} 承诺了 {ballot}，并报告它曾以 {b} 接受过 {op}"),
                    )
                }
                None => text(
                    format!("{name} promised {ballot}, having accepted nothing"),
                    format!("{name} 承诺了 {ballot}，此前没有接受过任何提案"),
                ),
            },
            PaxosEvent::Refused { ballot, promised } => text(
                format!("{name} refused {ballot}: it promised {promised}"),
                format!("{name} 拒绝了 {ballot}：它已承诺 {promised}"),
            ),
            PaxosEvent::AcceptSent {
                ballot,
                value,
                adopted,
            } => {
                let (whose, whose_zh) = if *adopted {
                    (
                        "the value an acceptor had accepted",
                        "沿用某个接受者已接受的值",
                    )
                } else {
                    ("its own value", "使用自己的值")
                };
                let op = value.op;
                text(
                    format!(
                        "{name} had a majority of promises and sent Accept({ballot}, {op}), {whose} (phase 2)"
                    ),
                    format!(
                        "{name} 获得了多数承诺，发送了 Accept({ballot}, {op})，{whose_zh}（阶段 2）"
                    ),
                )
            }
            PaxosEvent::Accepted { ballot, value } => {
                let op = value.op;
                text(
                    format!("{name} accepted ({ballot}, {op})"),
                    format!("{name} 接受了 ({ballot}, {op})"),
                )
            }
            PaxosEvent::Preempted { ballot, by } => text(
                format!("{name} was pre-empted: {ballot} lost to {by}; it backs off"),
                format!("{name} 被抢占：{ballot} 输给了 {by}；它退避后再试"),
            ),
            PaxosEvent::Learned { value } => {
                let op = value.op;
                text(
                    format!("{name} learned that {op} was chosen"),
                    format!("{name} 得知 {op} 已被选定"),
                )
            }
            PaxosEvent::RequestRefused { value } => {
                let op = value.op;
                text(
                    format!("{name} is not a proposer and ignored {op}"),
                    format!("{name} 不是提议者，忽略了 {op}"),
                )
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::feed::Feed;
    use quorum_sim::kv::KvOp;
    use quorum_sim::paxos::{Paxos, PaxosConfig};
    use quorum_sim::{Command, Sim, SimConfig, MS};

    #[test]
    fn a_run_reads_phase_by_phase() {
        let mut sim = Sim::<Paxos>::new(SimConfig::<PaxosConfig>::new(6, 1)).unwrap();
        let mut feed = Feed::<Paxos>::default();
        let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
        feed.record(
            &sim.apply(Command::ClientRequest { node: 0, request })
                .unwrap(),
        );
        feed.record(&sim.advance_to(500 * MS));
        let lines: Vec<String> = feed.lines().map(|l| l.text.en.clone()).collect();
        assert_eq!(lines[0], "S6 learned that x←1 was chosen", "{lines:?}");
        assert!(
            lines.iter().any(|l| l.starts_with(
                "S1 had a majority of promises and sent Accept(1.1, x←1), its own value"
            )),
            "{lines:?}"
        );
        let zh: Vec<String> = feed.lines().map(|l| l.text.zh.clone()).collect();
        assert_eq!(zh[0], "S6 得知 x←1 已被选定", "{zh:?}");
        assert!(
            zh.contains(
                &"S1 获得了多数承诺，发送了 Accept(1.1, x←1)，使用自己的值（阶段 2）".to_string()
            ),
            "{zh:?}"
        );
    }
}

//! Multi-Paxos's words: its state variables, its messages' fields and
//! types, its events, its properties in Chinese and its claims.

use crate::i18n::{text, Lang, Text};
use crate::run::narration::Requests;
use crate::run::view::*;
use quorum_sim::multipaxos::{Ballot, CampaignReason, Cmd, MpClaim, MpFact, SlotCmd};
use quorum_sim::multipaxos::{MpEvent, MpMessage, MpRole, MultiPaxos, ProposalReason, Slot};
use quorum_sim::sim::NodeSlot;
use quorum_sim::{node_name, NodeId, Sim};

/// A message's type as the page says it: the paper's names stay.
pub fn kind_text(msg: &MpMessage, lang: Lang) -> &'static str {
    match msg {
        MpMessage::Prepare { .. } => "Prepare",
        MpMessage::Promise { .. } => "Promise",
        MpMessage::Accept { .. } => "Accept",
        MpMessage::Accepted { .. } => "Accepted",
        MpMessage::Nack { .. } => "Nack",
        MpMessage::Chosen { .. } => lang.t("Chosen", "选定通知"),
        MpMessage::Heartbeat { .. } => lang.t("Heartbeat", "心跳"),
        MpMessage::HeartbeatReply { .. } => lang.t("HeartbeatReply", "心跳回复"),
        MpMessage::Forward { .. } => lang.t("ClientRequest", "客户端请求"),
    }
}

/// The properties in Chinese.
pub fn property_zh(name: &str) -> &'static str {
    match name {
        "Only one value is chosen per slot" => "每个槽位只有一个值被选定",
        "Acceptors keep their promises" => "接受者遵守承诺",
        "A chosen value never changes" => "选定的值永不改变",
        "Replicas apply only chosen values, in slot order" => "副本只按槽位顺序应用被选定的值",
        _ => "安全性",
    }
}

/// A message's fields, under the paper's names where it has them.
pub fn message_fields(msg: &MpMessage, lang: Lang) -> Vec<Field> {
    let slot_label = lang.t("slot", "槽位");
    let command_label = lang.t("command", "命令");
    match msg {
        MpMessage::Prepare { ballot, from_slot } => vec![
            Field::glossed("n", "提案编号", lang, ballot),
            Field::named("from slot", lang.t("from slot", "起始槽位"), from_slot),
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
                Field::glossed("n", "提案编号", lang, ballot),
                Field::named("accepted", lang.t("accepted", "已接受"), accepted),
            ]
        }
        MpMessage::Accept {
            ballot,
            slot,
            cmd: c,
        } => vec![
            Field::glossed("n", "提案编号", lang, ballot),
            Field::named("slot", slot_label, slot),
            Field::named("command", command_label, cmd_in(lang, c)),
        ],
        MpMessage::Accepted { ballot, slot } => vec![
            Field::glossed("n", "提案编号", lang, ballot),
            Field::named("slot", slot_label, slot),
        ],
        MpMessage::Nack { ballot, promised } => vec![
            Field::glossed("n", "提案编号", lang, ballot),
            Field::named("promised", lang.t("promised", "已承诺"), promised),
        ],
        MpMessage::Chosen { slot, cmd: c } => vec![
            Field::named("slot", slot_label, slot),
            Field::named("command", command_label, cmd_in(lang, c)),
        ],
        MpMessage::Heartbeat {
            ballot,
            chosen_through,
        } => vec![
            Field::glossed("n", "提案编号", lang, ballot),
            Field::named(
                "chosen through slot",
                lang.t("chosen through slot", "已选定至槽位"),
                chosen_through,
            ),
        ],
        MpMessage::HeartbeatReply {
            ballot,
            next_needed,
        } => vec![
            Field::glossed("n", "提案编号", lang, ballot),
            Field::named(
                "needs from slot",
                lang.t("needs from slot", "需要的起始槽位"),
                next_needed,
            ),
        ],
        MpMessage::Forward { request } => vec![
            Field::named("request id", lang.t("request id", "请求编号"), request.id),
            Field::named("command", command_label, request.op),
        ],
    }
}

/// What the feed remembers to word Multi-Paxos's events.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MpFeedMemory {
    /// The slots each leader proposed in, to say when its proposal is chosen.
    proposed: std::collections::BTreeSet<(NodeId, Slot)>,
    /// The person forced this server's timeout: its next phase 1 is their doing.
    pub forced: Option<NodeId>,
}

/// A Multi-Paxos event in plain words, or `None` if it is not worth a line.
pub fn describe(memory: &mut MpFeedMemory, node: NodeId, event: &MpEvent) -> Option<Text> {
    let name = node_name(node);
    let proposed = &mut memory.proposed;
    if let MpEvent::Proposed { slot, .. } = event {
        proposed.insert((node, *slot));
    }
    Some(match event {
        MpEvent::Started { recovered: true } => text(
            format!("{name} restarted from what it persisted; it must learn the log again"),
            format!("{name} 从持久化的状态重启；它必须重新得知日志中已选定的内容"),
        ),
        MpEvent::BecameCandidate {
            ballot,
            from_slot,
            why,
        } => campaign(
            &name,
            *ballot,
            *from_slot,
            *why,
            memory.forced.take() == Some(node),
        ),
        MpEvent::BecameLeader { ballot } => text(
            format!("{name} had a majority of promises and leads with {ballot}"),
            format!("{name} 获得了多数派的承诺，以 {ballot} 成为领导者"),
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
                format!(
                    "{name} 为槽位 {slot} 提议了 {}（{ballot}）",
                    cmd_in(Lang::Zh, c)
                ),
            ),
            ProposalReason::Recovered => text(
                format!(
                    "{name} finished slot {slot} with {c}, the value an earlier leader left there"
                ),
                format!(
                    "{name} 用 {} 完成了槽位 {slot}：这是之前的领导者留在那里的值",
                    cmd_in(Lang::Zh, c)
                ),
            ),
            ProposalReason::Gap => text(
                format!("{name} filled the gap at slot {slot} with a no-op"),
                format!("{name} 用空操作填补了槽位 {slot} 的空缺"),
            ),
        },
        MpEvent::Learned { slot, cmd: c } => {
            if !proposed.remove(&(node, *slot)) {
                return None;
            }
            text(
                format!("{name} had slot {slot} accepted by a majority: {c} is chosen"),
                format!(
                    "{name} 在槽位 {slot} 的提议已被多数派接受：{} 被选定",
                    cmd_in(Lang::Zh, c)
                ),
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

/// A request by what it does (`y←4`), or by its id if the scenario does not send it.
fn request(lang: Lang, requests: &Requests, id: u64) -> String {
    match requests.get(&id) {
        Some(op) => op.clone(),
        None => lang.t(format!("request {id}"), format!("请求 {id}")),
    }
}

/// A slot's command as the page says it: a no-op is 空操作 in Chinese.
pub fn cmd_in(lang: Lang, c: &Cmd) -> String {
    match c {
        Cmd::NoOp => lang.t("no-op", "空操作").to_string(),
        Cmd::Request(r) => r.op.to_string(),
    }
}

fn slot_cmd(lang: Lang, requests: &Requests, cmd: &SlotCmd) -> String {
    match cmd {
        SlotCmd::Request(id) => request(lang, requests, *id),
        SlotCmd::NoOp => lang.t("a no-op", "空操作").into(),
    }
}

fn mp_role(lang: Lang, role: MpRole) -> &'static str {
    match role {
        MpRole::Follower => lang.t("a follower", "跟随者"),
        MpRole::Candidate => lang.t("a candidate", "候选人"),
        MpRole::Leader => lang.t("the leader", "领导者"),
    }
}

/// A claim of a Multi-Paxos scenario in words.
pub fn claim(claim: &MpClaim, lang: Lang, requests: &Requests) -> String {
    match claim {
        MpClaim::Leader { node, round } => {
            let n = node_name(*node);
            match round {
                Some(r) => lang.t(
                    format!("{n} leads, in round {r}"),
                    format!("{n} 是领导者（轮次 {r}）"),
                ),
                None => lang.t(format!("{n} leads"), format!("{n} 是领导者")),
            }
        }
        MpClaim::Role { node, role } => {
            let n = node_name(*node);
            lang.t(
                format!("{n} is {}", mp_role(lang, *role)),
                format!("{n} 是{}", mp_role(lang, *role)),
            )
        }
        MpClaim::NoLeader => lang.t("No server leads", "没有服务器是领导者").into(),
        MpClaim::Crashed { node } => {
            let n = node_name(*node);
            lang.t(format!("{n} is crashed"), format!("{n} 已崩溃"))
        }
        MpClaim::Accepted { node, slot, cmd } => {
            let n = node_name(*node);
            match cmd {
                Some(c) => lang.t(
                    format!(
                        "{n} accepted {} in slot {slot}",
                        slot_cmd(lang, requests, c)
                    ),
                    format!(
                        "{n} 在槽位 {slot} 接受的命令：{}",
                        slot_cmd(lang, requests, c)
                    ),
                ),
                None => lang.t(
                    format!("{n} accepted nothing in slot {slot}"),
                    format!("{n} 在槽位 {slot} 没有接受任何提案"),
                ),
            }
        }
        MpClaim::Chosen { slot, cmd } => lang.t(
            format!("Slot {slot} is chosen: {}", slot_cmd(lang, requests, cmd)),
            format!("槽位 {slot} 已选定：{}", slot_cmd(lang, requests, cmd)),
        ),
        MpClaim::NotChosen { slot } => lang.t(
            format!("Nothing is chosen in slot {slot} yet"),
            format!("槽位 {slot} 尚未选定任何值"),
        ),
        MpClaim::Knows { node, slot, cmd } => {
            let n = node_name(*node);
            match cmd {
                Some(c) => lang.t(
                    format!(
                        "{n} knows slot {slot} holds {}",
                        slot_cmd(lang, requests, c)
                    ),
                    format!(
                        "{n} 已得知槽位 {slot} 选定的命令：{}",
                        slot_cmd(lang, requests, c)
                    ),
                ),
                None => lang.t(
                    format!("{n} does not know slot {slot} yet"),
                    format!("{n} 还不知道槽位 {slot} 的结果"),
                ),
            }
        }
        MpClaim::Applied { node, slot } => applied_words(&node_name(*node), *slot, lang),
    }
}

/// How far a replica has applied, an empty range as nothing applied:
/// "S1 has applied no slot yet", "S1 has applied slot 1", "slots 1 to 3".
pub fn applied_words(n: &str, slot: Slot, lang: Lang) -> String {
    match slot {
        0 => lang.t(
            format!("{n} has applied no slot yet"),
            format!("{n} 还没有应用任何槽位"),
        ),
        1 => lang.t(
            format!("{n} has applied slot 1"),
            format!("{n} 已应用槽位 1"),
        ),
        _ => lang.t(
            format!("{n} has applied slots 1 to {slot}"),
            format!("{n} 已应用槽位 1 到 {slot}"),
        ),
    }
}

fn or_none<T: ToString>(v: Option<T>, lang: Lang) -> String {
    v.map_or_else(|| lang.t("none", "无").to_string(), |v| v.to_string())
}

fn slot_list<'a>(items: impl Iterator<Item = (Slot, String)> + 'a, empty: String) -> Value {
    Value::List {
        items: items
            .map(|(slot, text)| ListItem {
                index: slot,
                text: format!("{slot}: {text}"),
                tag: None,
            })
            .collect(),
        empty,
    }
}

/// Every variable of a server: acceptor, proposer and replica at once.
pub fn inspect(
    sim: &Sim<MultiPaxos>,
    slot: &NodeSlot<MultiPaxos>,
    lang: Lang,
) -> (Option<String>, Vec<Section>) {
    let disk = slot.persistent();
    let stable = |promised,
                  accepted: &quorum_sim::chunked::DenseMap<(
        quorum_sim::paxos::Ballot,
        quorum_sim::multipaxos::Cmd,
    )>,
                  round| Section {
        heading: lang
            .t("Acceptor, on stable storage", "接受者（稳定存储上）")
            .to_string(),
        body: SectionBody::Fields(vec![
            Field::named(
                "promised",
                lang.t("promised", "已承诺"),
                or_none(promised, lang),
            ),
            Field {
                key: "accepted",
                label: lang.t("accepted, by slot", "已接受（按槽位）").to_string(),
                value: slot_list(
                    accepted
                        .iter()
                        .map(|(s, (b, c))| (s, format!("({b}, {c})"))),
                    lang.t("nothing", "无").to_string(),
                ),
            },
            Field::named(
                "round",
                lang.t("highest round used", "用过的最高轮次"),
                round,
            ),
        ]),
    };
    let Some(p) = slot.up() else {
        return (
            Some(lang.t(
                "Crashed: its promise and accepted slots are on stable storage; what it knew was chosen, its state machine and its leadership are lost.",
                "已崩溃：它的承诺和已接受的槽位保存在稳定存储上；它所知道的已选定槽位、状态机和领导身份都已丢失。",
            ).to_string()),
            vec![stable(disk.promised, &disk.accepted, disk.round)],
        );
    };
    let majority = sim.nodes().len() / 2 + 1;
    let mut proposer = vec![
        Field::named(
            "ballot",
            lang.t("number it runs with", "所用的提案编号"),
            or_none(p.ballot, lang),
        ),
        Field::named(
            "leader",
            lang.t("leader heard from", "所知的领导者"),
            or_none(p.leader.map(node_name), lang),
        ),
    ];
    match p.role {
        MpRole::Candidate => {
            let list: Vec<String> = p
                .promises
                .iter()
                .map(|(n, acc)| format!("{} ({})", node_name(*n), acc.len()))
                .collect();
            proposer.push(Field::named(
                "prepare from",
                lang.t("phase 1 from slot", "阶段 1 的起始槽位"),
                p.prepare_from,
            ));
            proposer.push(Field::named(
                "promises",
                lang.t("promises (slots each reported)", "承诺（各自报告的槽位数）"),
                lang.t(
                    format!("{} of {majority} needed: {}", list.len(), list.join(", ")),
                    format!(
                        "已有 {} 个，需要 {majority} 个：{}",
                        list.len(),
                        list.join("、")
                    ),
                ),
            ));
        }
        MpRole::Leader => {
            proposer.push(Field::named(
                "next slot",
                lang.t("next free slot", "下一个空闲槽位"),
                p.next_slot,
            ));
            proposer.push(Field {
                key: "proposals",
                label: lang
                    .t("proposals not yet chosen", "尚未选定的提案")
                    .to_string(),
                value: slot_list(
                    p.proposals.iter().map(|(s, (c, by))| {
                        let by: Vec<String> = by.iter().map(|&n| node_name(n)).collect();
                        (
                            *s,
                            lang.t(
                                format!("{c}, accepted by {}", by.join(", ")),
                                format!("{c}，已被 {} 接受", by.join("、")),
                            ),
                        )
                    }),
                    lang.t("none", "无").to_string(),
                ),
            });
        }
        MpRole::Follower => {}
    }
    let kv: Vec<String> = p.kv.data.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let sections = vec![
        stable(p.promised, &p.accepted, p.round),
        Section {
            heading: lang.t("Proposer (volatile)", "提议者（易失）").to_string(),
            body: SectionBody::Fields(proposer),
        },
        Section {
            heading: lang.t("Replica (volatile)", "副本（易失）").to_string(),
            body: SectionBody::Fields(vec![
                Field {
                    key: "chosen",
                    label: lang
                        .t("known chosen, by slot", "已知选定（按槽位）")
                        .to_string(),
                    value: slot_list(
                        p.chosen.iter().map(|(s, c)| (s, c.to_string())),
                        lang.t("nothing yet", "还没有").to_string(),
                    ),
                },
                Field::named(
                    "applied",
                    lang.t("slots applied", "已应用的槽位"),
                    p.applied,
                ),
                Field::named(
                    "kv",
                    lang.t("state machine", "状态机"),
                    if kv.is_empty() {
                        lang.t("empty", "空").to_string()
                    } else {
                        kv.join(" ")
                    },
                ),
            ]),
        },
    ];
    (None, sections)
}

/// What a server's menu says of it.
pub fn facts(slot: &NodeSlot<MultiPaxos>, lang: Lang) -> Vec<(String, String)> {
    let fact = |t: &str, v: String| (t.to_string(), v);
    match slot.up() {
        Some(p) => vec![
            fact(
                lang.t("round", "轮次"),
                p.promised.map_or(0, |b| b.round).to_string(),
            ),
            fact(
                lang.t("applied", "已应用"),
                match p.applied {
                    0 => lang.t("none yet", "还没有").to_string(),
                    1 => lang.t("slot 1", "槽位 1").to_string(),
                    n => lang.t(format!("slots 1 to {n}"), format!("槽位 1 到 {n}")),
                },
            ),
            fact(
                lang.t("leader", "当前领导者"),
                p.leader
                    .map_or_else(|| lang.t("unknown", "未知").to_string(), node_name),
            ),
        ],
        None => vec![fact(
            lang.t("on disk", "磁盘上"),
            lang.t("its promise and accepted slots", "它的承诺和已接受的槽位")
                .to_string(),
        )],
    }
}

/// A server runs phase 1 for every slot from `from`, and why it does now:
/// it heard no leader, its last ballot was refused or overtaken, its timer
/// ran out as candidate, or the person forced its timeout.
fn campaign(name: &str, ballot: Ballot, from: Slot, why: CampaignReason, forced: bool) -> Text {
    let (why, why_zh) = match why {
        _ if forced => {
            return text(
                format!("{name} was made to time out and sent Prepare({ballot}) for every slot from {from}"),
                format!("{name} 被强制超时，为从 {from} 起的所有槽位发送了 Prepare({ballot})"),
            )
        }
        CampaignReason::NoLeader => {
            return text(
                format!("{name} heard no leader and sent Prepare({ballot}) for every slot from {from}"),
                format!("{name} 没有收到领导者的消息，为从 {from} 起的所有槽位发送了 Prepare({ballot})"),
            )
        }
        CampaignReason::Refused { ballot: old, by } => (
            format!("its {old} was refused, an acceptor had promised {by}, and no leader was heard since"),
            format!("它的 {old} 被拒绝（有接受者已承诺 {by}），此后也没有收到领导者的消息"),
        ),
        CampaignReason::Overtaken { ballot: old, by } => (
            format!("it gave up {old} for the higher {by}, and no leader was heard since"),
            format!("它因更高的 {by} 放弃了 {old}，此后也没有收到领导者的消息"),
        ),
        CampaignReason::NoPromises { ballot: old } => (
            format!("its timer ran out before a majority promised {old}"),
            format!("计时器到期时，{old} 仍未获得多数派的承诺"),
        ),
    };
    text(
        format!("{name} retried with Prepare({ballot}) for every slot from {from}: {why}"),
        format!("{name} 以 Prepare({ballot}) 为从 {from} 起的所有槽位重试：{why_zh}"),
    )
}

/// What is the case instead of a false claim, in words: mostly said as the
/// claim that holds instead.
pub fn fact(fact: &MpFact, lang: Lang, requests: &Requests) -> String {
    let say = |c: MpClaim| claim(&c, lang, requests);
    match fact {
        MpFact::Server(s) => crate::run::narration::server_fact(s, lang),
        &MpFact::Role {
            node,
            role: MpRole::Leader,
            ballot,
        } => say(MpClaim::Leader {
            node,
            round: ballot.map(|b| b.round),
        }),
        &MpFact::Role { node, role, .. } => say(MpClaim::Role { node, role }),
        MpFact::Leaders(leaders) => {
            let each: Vec<String> = leaders
                .iter()
                .map(|&node| say(MpClaim::Leader { node, round: None }))
                .collect();
            each.join(lang.t(", ", "，"))
        }
        &MpFact::Accepted { node, slot, cmd } => say(MpClaim::Accepted { node, slot, cmd }),
        MpFact::MajorityHolds { slot, cmd: Some(c) } => lang.t(
            format!("slot {slot} is chosen: {}", slot_cmd(lang, requests, c)),
            format!("槽位 {slot} 已选定：{}", slot_cmd(lang, requests, c)),
        ),
        MpFact::MajorityHolds { slot, cmd: None } => lang.t(
            format!("no proposal in slot {slot} is accepted by a majority"),
            format!("槽位 {slot} 没有提案被过半数的接受者接受"),
        ),
        &MpFact::Knows { node, slot, cmd } => say(MpClaim::Knows { node, slot, cmd }),
        &MpFact::Applied { node, slot } => applied_words(&node_name(node), slot, lang),
    }
}

/// What broke a property, in Chinese (the core words it in English).
pub fn breach_zh(breach: &quorum_sim::multipaxos::MultiPaxosBreach) -> String {
    use quorum_sim::multipaxos::MultiPaxosBreach::*;
    let cmd = |c: &Cmd| cmd_in(Lang::Zh, c);
    match breach {
        PromisedLower {
            node,
            ballot,
            before,
        } => format!(
            "{} 已承诺 {before}，之后又承诺了更小的 {ballot}",
            node_name(*node)
        ),
        AcceptedLower {
            node,
            ballot,
            slot,
            before,
        } => format!(
            "{} 已承诺 {before}，之后却在槽位 {slot} 接受了更小的 {ballot}",
            node_name(*node)
        ),
        ForgotPromise { node, promise } => format!(
            "{} 忘记了它的承诺 {promise}：稳定存储上的承诺变小了",
            node_name(*node)
        ),
        TwoCommands {
            ballot,
            slot,
            first,
            second,
        } => format!(
            "槽位 {slot} 的提案 {ballot} 以两个不同的命令被接受：{} 和 {}",
            cmd(first),
            cmd(second)
        ),
        TwoChosen {
            slot,
            first_ballot,
            first,
            ballot,
            cmd: c,
        } => format!(
            "槽位 {slot}：先以 {first_ballot} 选定的命令：{}；后以 {ballot} 又选定的命令：{}",
            cmd(first),
            cmd(c)
        ),
        ProposedOther {
            node,
            slot,
            ballot,
            cmd: c,
            chosen_ballot,
            chosen,
        } => format!(
            "槽位 {slot} 已以 {chosen_ballot} 选定的命令：{}；之后 {} 却用 {ballot} 为它提议的命令：{}",
            cmd(chosen),
            node_name(*node),
            cmd(c)
        ),
        LearnedUnchosen { node, slot, cmd: c } => format!(
            "{} 得知槽位 {slot} 的命令：{}，但它并没有在那里被选定",
            node_name(*node),
            cmd(c)
        ),
        AppliedOutOfOrder { node, slot, last } => format!(
            "{} 在槽位 {last} 之后应用了槽位 {slot}，没有按槽位顺序",
            node_name(*node)
        ),
        AppliedUnchosen { node, slot, cmd: c } => format!(
            "{} 在槽位 {slot} 应用的命令：{}，但它并没有在那里被选定",
            node_name(*node),
            cmd(c)
        ),
    }
}

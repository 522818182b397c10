//! Basic Paxos's words: what each server shows, its state variables, its
//! events, its messages' types, its properties in Chinese and its claims.

use crate::i18n::{text, Lang, Text};
use crate::run::narration::Requests;
use crate::run::view::*;
use quorum_sim::paxos::{Ballot, Paxos, PaxosEvent, PaxosMessage, PaxosRole, ProposerPhase, Value};
use quorum_sim::paxos::{PaxosClaim, PaxosFact, PhaseName, PrepareReason};
use quorum_sim::sim::NodeSlot;
use quorum_sim::{node_name, NodeId, Sim};

/// What a server shows, in words (also its screen-reader label).
pub fn summary(slot: &NodeSlot<Paxos>, role: PaxosRole, lang: Lang) -> String {
    let nothing = || lang.t("nothing", "无").to_string();
    let Some(p) = slot.up() else {
        let disk = slot.persistent();
        return match role {
            PaxosRole::Acceptor => {
                let promised = disk.promised.map_or_else(nothing, |b| b.to_string());
                let accepted = disk
                    .accepted
                    .map_or_else(nothing, |(b, v)| format!("({b}, {})", v.op));
                lang.t(
                    format!("crashed; on disk: promised {promised}, accepted {accepted}"),
                    format!("已崩溃；磁盘上：已承诺 {promised}，已接受 {accepted}"),
                )
            }
            _ => lang.t("crashed", "已崩溃").to_string(),
        };
    };
    match role {
        PaxosRole::Acceptor => {
            let promised = p.promised.map_or_else(nothing, |b| b.to_string());
            let accepted = p
                .accepted
                .map_or_else(nothing, |(b, v)| format!("({b}, {})", v.op));
            lang.t(
                format!("promised {promised}; accepted {accepted}"),
                format!("已承诺 {promised}；已接受 {accepted}"),
            )
        }
        PaxosRole::Proposer => {
            let phase = match &p.phase {
                // Done: say what was chosen, and that its own client's value
                // lost if it did (a later proposer adopts the chosen value, P2c).
                ProposerPhase::Idle if p.learned.is_some() => {
                    let chosen = p.learned.map(|v| v.op.to_string()).unwrap_or_default();
                    match p.value.filter(|v| Some(*v) != p.learned) {
                        Some(own) => lang.t(
                            format!("done: {chosen} is chosen, not its client's {}", own.op),
                            format!("已完成：选定的是 {chosen}，不是它的客户端的 {}", own.op),
                        ),
                        None => lang.t(
                            format!("done: {chosen} is chosen"),
                            format!("已完成：{chosen} 已被选定"),
                        ),
                    }
                }
                ProposerPhase::Idle if p.value.is_some() => {
                    lang.t("backing off", "退避中").to_string()
                }
                ProposerPhase::Idle => lang.t("idle", "空闲").to_string(),
                ProposerPhase::Preparing { ballot, promises } => {
                    let n = promises.len();
                    lang.t(
                        format!(
                            "phase 1, {ballot}: {n} {}",
                            if n == 1 { "promise" } else { "promises" }
                        ),
                        format!("阶段 1，{ballot}：{n} 个承诺"),
                    )
                }
                ProposerPhase::Accepting {
                    ballot,
                    value,
                    accepted,
                } => {
                    let (op, n) = (value.op, accepted.len());
                    lang.t(
                        format!("phase 2, proposes ({ballot}, {op}): {n} accepted"),
                        format!("阶段 2，提议 ({ballot}, {op})：{n} 个已接受"),
                    )
                }
            };
            if p.learned.is_some() {
                // Done: the phase already says whose value was chosen.
                return phase;
            }
            format!(
                "{phase}{}{}",
                lang.t("; ", "；"),
                client_words(p.value, lang)
            )
        }
        PaxosRole::Learner => match p.learned {
            Some(v) => lang.t(format!("learned {}", v.op), format!("已得知 {}", v.op)),
            None => lang.t("has not learned", "尚未得知").to_string(),
        },
    }
}

/// What a proposer proposes, for its caption: the value of its phase-2
/// Accept request once it has sent one ("Paxos Made Simple", P2c: the value
/// of the highest-numbered proposal the promises reported, else its client's),
/// before that where it is.
pub fn proposing_words(p: &Paxos, lang: Lang) -> String {
    match &p.phase {
        ProposerPhase::Accepting { value, .. } => lang.t(
            format!("proposes {}", value.op),
            format!("提议 {}", value.op),
        ),
        ProposerPhase::Preparing { .. } => lang
            .t("phase 1: no value yet", "阶段 1：尚无提议值")
            .to_string(),
        ProposerPhase::Idle => match (p.learned, p.value) {
            (Some(v), _) => lang.t(format!("learned {}", v.op), format!("已得知 {}", v.op)),
            (None, Some(_)) => lang.t("backing off", "退避中").to_string(),
            (None, None) => lang.t("no request yet", "尚无请求").to_string(),
        },
    }
}

/// The client's request a proposer holds: "client's request x←2".
pub fn client_words(value: Option<Value>, lang: Lang) -> String {
    value.map_or_else(
        || {
            lang.t("no client request yet", "尚无客户端请求")
                .to_string()
        },
        |v| {
            lang.t(
                format!("client's request {}", v.op),
                format!("客户端请求 {}", v.op),
            )
        },
    )
}

/// What a proposer has learned from the promises of its current attempt:
/// the highest-numbered proposal they reported accepted, which it must
/// propose instead of its client's value (section 2.2). `None` outside
/// phases 1 and 2.
pub fn from_promises(p: &Paxos, lang: Lang) -> Option<String> {
    match &p.phase {
        ProposerPhase::Idle => None,
        ProposerPhase::Preparing { promises, .. } => {
            let highest = promises.values().flatten().max_by_key(|(b, _)| *b);
            Some(match highest {
                Some(&(b, v)) => lang.t(
                    format!("({b}, {}): it must propose {}", v.op, v.op),
                    format!("({b}, {})：它必须提议 {}", v.op, v.op),
                ),
                None if promises.is_empty() => lang.t("no promise yet", "还没有承诺").to_string(),
                None => lang
                    .t(
                        "nothing accepted so far: its client's value is free to propose",
                        "目前没有已接受的提案：可以提议客户端的值",
                    )
                    .to_string(),
            })
        }
        ProposerPhase::Accepting { value, .. } if Some(*value) != p.value => {
            let op = value.op;
            Some(lang.t(
                format!("{op}, accepted earlier: it proposes {op}, not its client's value"),
                format!("{op}，此前已被接受：它提议 {op}，而不是客户端的值"),
            ))
        }
        ProposerPhase::Accepting { .. } => Some(
            lang.t(
                "nothing else accepted: it proposes its client's value",
                "没有其他已接受的值：它提议客户端的值",
            )
            .to_string(),
        ),
    }
}

/// A message's type as the page says it: the paper's names stay.
pub fn kind_text(msg: &PaxosMessage, lang: Lang) -> &'static str {
    match msg {
        PaxosMessage::Prepare { .. } => "Prepare",
        PaxosMessage::Promise { .. } => "Promise",
        PaxosMessage::Accept { .. } => "Accept",
        PaxosMessage::Accepted { .. } => "Accepted",
        PaxosMessage::Nack { .. } => "Nack",
        PaxosMessage::Query => lang.t("Query", "查询"),
    }
}

/// The four properties in Chinese.
pub fn property_zh(name: &str) -> &'static str {
    match name {
        "Only one value is chosen" => "只有一个值被选定",
        "Acceptors keep their promises" => "接受者遵守承诺",
        "A chosen value never changes" => "选定的值永不改变",
        "Learners learn only chosen values" => "学习者只得知被选定的值",
        _ => "安全性",
    }
}

/// A Paxos event in plain words, or `None` if it is not worth a line;
/// `forced` is the proposer whose timeout the person forced, if any.
pub fn describe(forced: &mut Option<NodeId>, node: NodeId, event: &PaxosEvent) -> Option<Text> {
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
        PaxosEvent::Prepared { ballot, why } => {
            prepared(&name, *ballot, *why, forced.take() == Some(node))
        }
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
                    "{name} 获得了多数派的承诺，发送了 Accept({ballot}, {op})，{whose_zh}（阶段 2）"
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

fn ballot(b: &Ballot) -> String {
    b.to_string()
}

/// A request by what it does (`y←4`), or by its id if the scenario does not send it.
fn request(lang: Lang, requests: &Requests, id: u64) -> String {
    match requests.get(&id) {
        Some(op) => op.clone(),
        None => lang.t(format!("request {id}"), format!("请求 {id}")),
    }
}

/// A claim of a Paxos scenario in words.
pub fn claim(claim: &PaxosClaim, lang: Lang, requests: &Requests) -> String {
    match claim {
        PaxosClaim::Promised { node, ballot: b } => {
            let n = node_name(*node);
            match b {
                Some(b) => lang.t(
                    format!("{n} promised {}", ballot(b)),
                    format!("{n} 承诺了 {}", ballot(b)),
                ),
                None => lang.t(
                    format!("{n} has promised nothing"),
                    format!("{n} 还没有做出承诺"),
                ),
            }
        }
        PaxosClaim::Accepted { node, proposal } => {
            let n = node_name(*node);
            match proposal {
                Some((b, v)) => lang.t(
                    format!(
                        "{n} accepted ({}, {})",
                        ballot(b),
                        request(lang, requests, *v)
                    ),
                    format!(
                        "{n} 接受了 ({}, {})",
                        ballot(b),
                        request(lang, requests, *v)
                    ),
                ),
                None => lang.t(
                    format!("{n} has accepted nothing"),
                    format!("{n} 还没有接受任何提案"),
                ),
            }
        }
        PaxosClaim::Chosen { value } => lang.t(
            format!(
                "A majority of acceptors accepted {}: it is chosen",
                request(lang, requests, *value)
            ),
            format!(
                "过半数的接受者接受了 {}：它已被选定",
                request(lang, requests, *value)
            ),
        ),
        PaxosClaim::NothingChosen => lang
            .t(
                "No proposal is accepted by a majority",
                "没有提案被过半数的接受者接受",
            )
            .into(),
        PaxosClaim::Learned { node, value } => {
            let n = node_name(*node);
            match value {
                Some(v) => lang.t(
                    format!("{n} learned {}", request(lang, requests, *v)),
                    format!("{n} 得知 {} 已被选定", request(lang, requests, *v)),
                ),
                None => lang.t(
                    format!("{n} has learned nothing"),
                    format!("{n} 还不知道选定的值"),
                ),
            }
        }
        PaxosClaim::Phase {
            node,
            phase,
            ballot: b,
        } => {
            let n = node_name(*node);
            let with = b
                .map(|b| {
                    lang.t(
                        format!(" ({})", ballot(&b)),
                        format!("（提案编号 {}）", ballot(&b)),
                    )
                })
                .unwrap_or_default();
            match phase {
                PhaseName::Idle => lang.t(format!("{n} is idle"), format!("{n} 处于空闲状态")),
                PhaseName::Preparing => lang.t(
                    format!("{n} is in phase 1{with}"),
                    format!("{n} 处于阶段 1{with}"),
                ),
                PhaseName::Accepting => lang.t(
                    format!("{n} is in phase 2{with}"),
                    format!("{n} 处于阶段 2{with}"),
                ),
            }
        }
        PaxosClaim::Proposing { node, value } => {
            let n = node_name(*node);
            lang.t(
                format!(
                    "{n} asks the acceptors to accept {}",
                    request(lang, requests, *value)
                ),
                format!("{n} 请求接受者接受 {}", request(lang, requests, *value)),
            )
        }
        PaxosClaim::Crashed { node } => {
            let n = node_name(*node);
            lang.t(format!("{n} is crashed"), format!("{n} 已崩溃"))
        }
    }
}

fn ballot_or_none(b: Option<Ballot>, lang: Lang) -> String {
    b.map_or_else(|| lang.t("none", "无").to_string(), |b| b.to_string())
}

/// An acceptor's accepted proposal, or that it has accepted none (not a
/// bare "none", which could read as "no acceptor").
pub(crate) fn proposal_or_none(
    p: &Option<(Ballot, quorum_sim::paxos::Value)>,
    lang: Lang,
) -> String {
    p.as_ref().map_or_else(
        || lang.t("none accepted", "尚未接受").to_string(),
        super::proposal,
    )
}

/// How many of a majority have answered, and who: "1 of 2 needed: S1" /
/// "已有 1 个，需要 2 个：S1"; with nobody yet, only the count.
pub(crate) fn tally(n: usize, majority: usize, who: &[String], names: bool, lang: Lang) -> String {
    let (en, zh) = if names { (", ", "、") } else { ("; ", "；") };
    match (who.is_empty(), lang) {
        (true, Lang::En) => format!("{n} of {majority} needed: none yet"),
        (true, Lang::Zh) => format!("已有 {n} 个，需要 {majority} 个"),
        (false, Lang::En) => format!("{n} of {majority} needed: {}", who.join(en)),
        (false, Lang::Zh) => format!("已有 {n} 个，需要 {majority} 个：{}", who.join(zh)),
    }
}

fn servers(ids: impl Iterator<Item = NodeId>, lang: Lang) -> String {
    let names: Vec<String> = ids.map(node_name).collect();
    if names.is_empty() {
        lang.t("none yet", "还没有").to_string()
    } else {
        names.join(lang.t(", ", "、"))
    }
}

/// Every variable of a server, by its role ("Paxos Made Simple", section 2).
pub fn inspect(
    sim: &Sim<Paxos>,
    slot: &NodeSlot<Paxos>,
    lang: Lang,
) -> (Option<String>, Vec<Section>) {
    let config = &sim.config().protocol;
    let role = config.role_of(slot.id);
    let disk = slot.persistent();
    let stable = lang.t("On stable storage", "稳定存储上");
    let Some(p) = slot.up() else {
        let note = lang.t(
            "Crashed: only what it keeps on stable storage survives; the rest is lost.",
            "已崩溃：只有稳定存储上的状态保留了下来，其余都已丢失。",
        );
        let fields = match role {
            PaxosRole::Acceptor => vec![
                Field::named(
                    "promised",
                    lang.t("promised", "已承诺"),
                    ballot_or_none(disk.promised, lang),
                ),
                Field::named(
                    "accepted",
                    lang.t("accepted", "已接受"),
                    proposal_or_none(&disk.accepted, lang),
                ),
            ],
            PaxosRole::Proposer => vec![Field::named(
                "round",
                lang.t("highest round used", "用过的最高轮次"),
                disk.round,
            )],
            PaxosRole::Learner => vec![],
        };
        let sections = if fields.is_empty() {
            vec![Section {
                heading: stable.to_string(),
                body: SectionBody::Hint(
                    lang.t(
                        "A learner keeps nothing: it learns again when it restarts.",
                        "学习者不保存任何状态：重启后重新向接受者询问。",
                    )
                    .to_string(),
                ),
            }]
        } else {
            vec![Section {
                heading: stable.to_string(),
                body: SectionBody::Fields(fields),
            }]
        };
        return (Some(note.to_string()), sections);
    };
    let majority = config.majority();
    let sections = match role {
        PaxosRole::Acceptor => vec![Section {
            heading: stable.to_string(),
            body: SectionBody::Fields(vec![
                Field::named(
                    "promised",
                    lang.t(
                        "promised (highest Prepare answered)",
                        "已承诺（回应过的最高 Prepare）",
                    ),
                    ballot_or_none(p.promised, lang),
                ),
                Field::named(
                    "accepted",
                    lang.t("accepted (highest proposal)", "已接受（最高编号的提案）"),
                    proposal_or_none(&p.accepted, lang),
                ),
            ]),
        }],
        PaxosRole::Proposer => {
            let mut volatile = vec![
                Field::named(
                    "value",
                    lang.t("client's request it holds", "它持有的客户端请求"),
                    p.value.map_or_else(
                        || lang.t("none yet", "还没有").to_string(),
                        |v| v.op.to_string(),
                    ),
                ),
                Field::named(
                    "phase",
                    lang.t("phase", "阶段"),
                    match &p.phase {
                        ProposerPhase::Idle if p.learned.is_some() => lang.t("done", "已完成"),
                        ProposerPhase::Idle if p.value.is_some() => lang.t("backing off", "退避中"),
                        ProposerPhase::Idle => lang.t("idle", "空闲"),
                        ProposerPhase::Preparing { .. } => {
                            lang.t("1: Prepare sent", "1：已发送 Prepare")
                        }
                        ProposerPhase::Accepting { .. } => {
                            lang.t("2: Accept sent", "2：已发送 Accept")
                        }
                    },
                ),
                Field::glossed("n", "提案编号", lang, ballot_or_none(p.ballot(), lang)),
            ];
            match &p.phase {
                ProposerPhase::Preparing { promises, .. } => {
                    let list: Vec<String> = promises
                        .iter()
                        .map(|(a, acc)| {
                            format!("{} {}", node_name(*a), proposal_or_none(acc, lang))
                        })
                        .collect();
                    let n = promises.len();
                    volatile.push(Field::named(
                        "promises",
                        lang.t(
                            "promises (with what each accepted)",
                            "承诺（及各自已接受的提案）",
                        ),
                        tally(n, majority, &list, false, lang),
                    ));
                }
                ProposerPhase::Accepting {
                    value, accepted, ..
                } => {
                    volatile.push(Field::named(
                        "v",
                        lang.t("v (the value it proposes)", "v（它提议的值）"),
                        value.op,
                    ));
                    let n = accepted.len();
                    volatile.push(Field::named(
                        "accepted by",
                        lang.t("accepted by", "接受了它的接受者"),
                        tally(
                            n,
                            majority,
                            &accepted.iter().map(|a| node_name(*a)).collect::<Vec<_>>(),
                            true,
                            lang,
                        ),
                    ));
                }
                ProposerPhase::Idle => {}
            }
            if let Some(heard) = from_promises(p, lang) {
                volatile.push(Field::named(
                    "from promises",
                    lang.t(
                        "highest accepted proposal the promises reported",
                        "承诺所报告的最高提案",
                    ),
                    heard,
                ));
            }
            volatile.push(Field::named(
                "learned",
                lang.t("learned", "已得知"),
                p.learned.map_or_else(
                    || lang.t("nothing yet", "还没有").to_string(),
                    |v| v.op.to_string(),
                ),
            ));
            vec![
                Section {
                    heading: stable.to_string(),
                    body: SectionBody::Fields(vec![Field::named(
                        "round",
                        lang.t("highest round used", "用过的最高轮次"),
                        p.round,
                    )]),
                },
                Section {
                    heading: lang.t("Volatile", "易失状态").to_string(),
                    body: SectionBody::Fields(volatile),
                },
            ]
        }
        PaxosRole::Learner => {
            let mut sections = vec![Section {
                heading: lang.t("Volatile", "易失状态").to_string(),
                body: SectionBody::Fields(vec![Field::named(
                    "learned",
                    lang.t("learned", "已得知"),
                    p.learned.map_or_else(
                        || lang.t("nothing yet", "还没有").to_string(),
                        |v| v.op.to_string(),
                    ),
                )]),
            }];
            if !p.tallies.is_empty() {
                let rows = p
                    .tallies
                    .iter()
                    .map(|(b, (v, by))| Row {
                        key: ("data-proposal", b.to_string()),
                        header: b.to_string(),
                        cells: vec![
                            (Some("v"), v.op.to_string()),
                            (Some("accepted by"), servers(by.iter().copied(), lang)),
                        ],
                    })
                    .collect();
                sections.push(Section {
                    heading: lang
                        .t(
                            "Accepted messages heard, by proposal",
                            "收到的 Accepted（按提案分列）",
                        )
                        .to_string(),
                    body: SectionBody::Table(Table {
                        head: vec![
                            "n".into(),
                            "v".into(),
                            lang.t("accepted by", "接受了它的接受者").to_string(),
                        ],
                        rows,
                    }),
                });
            }
            sections
        }
    };
    (None, sections)
}

/// A proposer begins phase 1, and why it does now: a client's request, or a
/// retry after a refusal, after its timer ran out, or because the person
/// forced its timeout.
fn prepared(name: &str, ballot: Ballot, why: PrepareReason, forced: bool) -> Text {
    let (why, why_zh) = match why {
        _ if forced => {
            return text(
                format!("{name} was made to time out and retried with Prepare({ballot})"),
                format!("{name} 被强制超时，以 Prepare({ballot}) 重试"),
            )
        }
        PrepareReason::Request => {
            return text(
                format!("{name} sent Prepare({ballot}) to the acceptors (phase 1)"),
                format!("{name} 向接受者发送了 Prepare({ballot})（阶段 1）"),
            )
        }
        PrepareReason::Refused { ballot: old, by } => (
            format!("its {old} was refused: an acceptor had promised {by}"),
            format!("它的 {old} 被拒绝：有接受者已承诺 {by}"),
        ),
        PrepareReason::NoPromises { ballot: old } => (
            format!("its timer ran out before a majority promised {old}"),
            format!("计时器到期时，{old} 仍未获得多数派的承诺"),
        ),
        PrepareReason::NoAccepts { ballot: old } => (
            format!("its timer ran out before a majority accepted {old}"),
            format!("计时器到期时，{old} 的提案仍未被过半数的接受者接受"),
        ),
    };
    text(
        format!("{name} retried with Prepare({ballot}): {why}"),
        format!("{name} 以 Prepare({ballot}) 重试：{why_zh}"),
    )
}

/// What is the case instead of a false claim, in words: mostly said as the
/// claim that holds instead.
pub fn fact(fact: &PaxosFact, lang: Lang, requests: &Requests) -> String {
    let say = |c: PaxosClaim| claim(&c, lang, requests);
    match *fact {
        PaxosFact::Server(s) => crate::run::narration::server_fact(&s, lang),
        PaxosFact::Promised { node, ballot } => say(PaxosClaim::Promised { node, ballot }),
        PaxosFact::Accepted { node, proposal } => say(PaxosClaim::Accepted { node, proposal }),
        PaxosFact::MajorityHolds {
            proposal: Some((b, v)),
        } => {
            let v = request(lang, requests, v);
            lang.t(
                format!("a majority of acceptors accepted ({b}, {v})"),
                format!("过半数的接受者接受了 ({b}, {v})"),
            )
        }
        PaxosFact::MajorityHolds { proposal: None } => lang
            .t(
                "no proposal is accepted by a majority",
                "没有提案被过半数的接受者接受",
            )
            .into(),
        PaxosFact::Learned { node, value } => say(PaxosClaim::Learned { node, value }),
        PaxosFact::Phase {
            node,
            phase,
            ballot,
        } => say(PaxosClaim::Phase {
            node,
            phase,
            ballot,
        }),
        PaxosFact::Proposes {
            node,
            proposal: (_, value),
        } => say(PaxosClaim::Proposing { node, value }),
    }
}

/// What broke a property, in Chinese (the core words it in English).
pub fn breach_zh(breach: &quorum_sim::paxos::PaxosBreach) -> String {
    use quorum_sim::paxos::PaxosBreach::*;
    match *breach {
        PromisedLower {
            node,
            ballot,
            before,
        } => format!(
            "{} 已承诺 {before}，之后又承诺了更小的 {ballot}",
            node_name(node)
        ),
        AcceptedLower {
            node,
            ballot,
            before,
        } => format!(
            "{} 已承诺 {before}，之后却接受了更小的 {ballot}",
            node_name(node)
        ),
        ForgotPromise { node, promise } => format!(
            "{} 忘记了它的承诺 {promise}：稳定存储上的承诺变小了",
            node_name(node)
        ),
        TwoValues {
            ballot,
            first,
            second,
        } => format!("提案 {ballot} 以两个不同的值被接受：{first} 和 {second}"),
        TwoChosen {
            first_ballot,
            first,
            ballot,
            value,
        } => format!(
            "{first} 已通过提案 {first_ballot} 被选定，之后 {value} 又通过提案 {ballot} 被选定"
        ),
        ProposedOther {
            node,
            ballot,
            value,
            chosen_ballot,
            chosen,
        } => format!(
            "{chosen} 已通过提案 {chosen_ballot} 被选定，之后 {} 却用 {ballot} 提议了 {value}",
            node_name(node)
        ),
        LearnedUnchosen { node, value } => {
            format!("{} 得知了 {value}，但它并没有被选定", node_name(node))
        }
    }
}

//! VR's words: its state variables and messages under the paper's names
//! (section 4's state, the messages of 4.1 to 4.3 and 5.2), its events, its
//! properties in Chinese and its claims.

use crate::i18n::{text, Lang, Text};
use crate::run::narration::Requests;
use crate::run::view::*;
use quorum_sim::kv::ClientRequest;
use quorum_sim::sim::NodeSlot;
use quorum_sim::vr::{
    client_of, Log, Status, View, ViewChangeReason, Vr, VrBreach, VrClaim, VrEvent, VrFact,
    VrMessage,
};
use quorum_sim::{node_name, NodeId, Sim};

/// A message's type: the paper's names, in every language.
pub fn kind_text(msg: &VrMessage) -> &'static str {
    match msg {
        VrMessage::Request { .. } => "REQUEST",
        VrMessage::Prepare { .. } => "PREPARE",
        VrMessage::PrepareOk { .. } => "PREPAREOK",
        VrMessage::Commit { .. } => "COMMIT",
        VrMessage::StartViewChange { .. } => "STARTVIEWCHANGE",
        VrMessage::DoViewChange { .. } => "DOVIEWCHANGE",
        VrMessage::StartView { .. } => "STARTVIEW",
        VrMessage::Recovery { .. } => "RECOVERY",
        VrMessage::RecoveryResponse { .. } => "RECOVERYRESPONSE",
        VrMessage::GetState { .. } => "GETSTATE",
        VrMessage::NewState { .. } => "NEWSTATE",
    }
}

/// The properties in Chinese.
pub fn property_zh(name: &str) -> &'static str {
    match name {
        "A committed operation is in every later primary's log" => {
            "已提交的操作出现在此后每个主副本的日志中"
        }
        "A committed operation is never lost" => "已提交的操作永不丢失",
        "Committed prefixes agree" => "各副本已提交的前缀一致",
        "At most one primary per view" => "每个视图至多一个主副本",
        "Replicas execute the same operations in the same order" => {
            "各副本以相同顺序执行相同的操作"
        }
        _ => "安全性",
    }
}

/// A status under the paper's name (section 4), in words.
pub fn status_text(lang: Lang, status: Status) -> &'static str {
    match status {
        Status::Normal => lang.t("normal", "正常"),
        Status::ViewChange => lang.t("view-change", "视图变更"),
        Status::Recovering => lang.t("recovering", "恢复中"),
        Status::StateTransfer => lang.t(
            "state transfer (waiting for NEWSTATE)",
            "状态转移（等待 NEWSTATE）",
        ),
    }
}

/// A variable of the paper: its letter or name, and what it is, in both
/// languages: `v, view-number` / `v（视图号）`.
fn var(key: &'static str, en: &str, zh: &str, lang: Lang, value: impl ToString) -> Field {
    Field {
        key,
        label: lang.t(format!("{key}, {en}"), format!("{key}（{zh}）")),
        value: Value::Text(value.to_string()),
    }
}

/// A request as the paper's ⟨op, c, s⟩: what it does, its client, its request-number.
fn request_words(request: &ClientRequest, lang: Lang) -> String {
    let (client, number) = client_of(request);
    lang.t(
        format!("{}, client {client}, request-number {number}", request.op),
        format!("{}，客户端 {client}，请求号 {number}", request.op),
    )
}

/// A log (or part of one) as a list by op-number, from `first`.
fn log_list<'a>(
    entries: impl Iterator<Item = &'a ClientRequest>,
    first: u64,
    committed: u64,
    lang: Lang,
) -> Value {
    Value::List {
        items: entries
            .enumerate()
            .map(|(i, r)| {
                let n = first + i as u64;
                ListItem {
                    index: n,
                    text: format!("{n}: {}", r.op),
                    tag: (n <= committed).then(|| lang.t(" committed", " 已提交").to_string()),
                }
            })
            .collect(),
        empty: lang.t("empty", "空").to_string(),
    }
}

fn log_field(key: &'static str, log: &Log, committed: u64, lang: Lang) -> Field {
    Field {
        key,
        label: lang.t(format!("{key}, log"), format!("{key}（日志）")),
        value: log_list(log.iter(), 1, committed, lang),
    }
}

/// A message's fields, under the paper's letters.
pub fn message_fields(msg: &VrMessage, lang: Lang) -> Vec<Field> {
    let v = |view: &View| var("v", "view-number", "视图号", lang, view);
    let n = |op: &u64| var("n", "op-number", "操作号", lang, op);
    let k = |commit: &u64| var("k", "commit-number", "提交号", lang, commit);
    match msg {
        VrMessage::Request { request } => {
            let (client, number) = client_of(request);
            vec![
                var("op", "operation", "操作", lang, request.op),
                var("c", "client-id", "客户端编号", lang, client),
                var("s", "request-number", "请求号", lang, number),
            ]
        }
        VrMessage::Prepare {
            view,
            request,
            op_number,
            commit_number,
        } => vec![
            v(view),
            var(
                "m",
                "the client's request",
                "客户端的请求",
                lang,
                request_words(request, lang),
            ),
            n(op_number),
            k(commit_number),
        ],
        VrMessage::PrepareOk { view, op_number } => vec![v(view), n(op_number)],
        VrMessage::Commit {
            view,
            commit_number,
        } => vec![v(view), k(commit_number)],
        VrMessage::StartViewChange { view } => vec![v(view)],
        VrMessage::DoViewChange {
            view,
            log,
            last_normal_view,
            op_number,
            commit_number,
        } => vec![
            v(view),
            log_field("l", log, *commit_number, lang),
            var(
                "v′",
                "the last view in which its sender was normal",
                "发送者最后处于正常状态的视图",
                lang,
                last_normal_view,
            ),
            n(op_number),
            k(commit_number),
        ],
        VrMessage::StartView {
            view,
            log,
            op_number,
            commit_number,
        } => vec![
            v(view),
            log_field("l", log, *commit_number, lang),
            n(op_number),
            k(commit_number),
        ],
        VrMessage::Recovery { nonce } => vec![var("x", "nonce", "随机数", lang, nonce)],
        VrMessage::RecoveryResponse {
            view,
            nonce,
            primary,
        } => {
            let mut fields = vec![v(view), var("x", "nonce", "随机数", lang, nonce)];
            match primary {
                Some(p) => {
                    fields.push(log_field("l", &p.log, p.commit_number, lang));
                    fields.push(n(&p.op_number));
                    fields.push(k(&p.commit_number));
                }
                None => fields.push(Field::named(
                    "l",
                    lang.t("l, n, k", "l、n、k"),
                    lang.t(
                        "none: only the primary sends its log",
                        "无：只有主副本发送它的日志",
                    ),
                )),
            }
            fields
        }
        VrMessage::GetState { view, after } => vec![
            v(view),
            var(
                "n′",
                "its op-number: send what follows",
                "它的操作号：请发送其后的操作",
                lang,
                after,
            ),
        ],
        VrMessage::NewState {
            view,
            after,
            log,
            op_number,
            commit_number,
        } => vec![
            v(view),
            Field {
                key: "l",
                label: lang.t(
                    format!("l, the log after op {after}"),
                    format!("l（操作 {after} 之后的日志）"),
                ),
                value: log_list(log.iter(), after + 1, *commit_number, lang),
            },
            n(op_number),
            k(commit_number),
        ],
    }
}

/// What the feed remembers to word VR's events.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VrFeedMemory {
    /// The replica that acted as primary of each view: its commits are
    /// worth a line, every backup's commit of the same operation is not.
    primaries: std::collections::BTreeMap<View, NodeId>,
    /// The person forced this replica's timeout: its next view change is their doing.
    pub forced: Option<NodeId>,
}

/// A VR event in plain words, or `None` if it is not worth a line.
pub fn describe(memory: &mut VrFeedMemory, node: NodeId, event: &VrEvent) -> Option<Text> {
    let name = node_name(node);
    Some(match event {
        VrEvent::Started {
            recovering: true,
            nonce,
        } => text(
            format!("{name} restarted with nothing (a replica keeps nothing on disk): it is recovering and sent RECOVERY with nonce {nonce}"),
            format!("{name} 重启时一无所有（副本在磁盘上什么也不保存）：它进入恢复状态，发送了带随机数 {nonce} 的 RECOVERY"),
        ),
        VrEvent::Started { .. } => return None,
        VrEvent::Prepared {
            view,
            op_number,
            request,
        } => {
            memory.primaries.insert(*view, node);
            let op = request.op;
            text(
                format!("{name} assigned op-number {op_number} to {op} and sent PREPARE (view {view})"),
                format!("{name} 为 {op} 分配了操作号 {op_number}，并发送了 PREPARE（视图 {view}）"),
            )
        }
        VrEvent::Committed {
            view,
            op_number,
            request,
        } => {
            if memory.primaries.get(view) != Some(&node) {
                return None;
            }
            let op = request.op;
            text(
                format!("{name} committed op {op_number} ({op}): f + 1 replicas have it"),
                format!("{name} 提交了操作 {op_number}（{op}）：f + 1 个副本已持有它"),
            )
        }
        VrEvent::Replied {
            request_number,
            resent: true,
            ..
        } => text(
            format!("{name} answered request {request_number} again from its client-table, without executing it twice"),
            format!("{name} 根据客户端表再次回复了请求 {request_number}，没有重复执行"),
        ),
        VrEvent::RequestDropped { request, latest } => text(
            format!("{name} dropped request {}: its client-table already has request {latest}", request.id),
            format!("{name} 丢弃了请求 {}：它的客户端表中已有请求 {latest}", request.id),
        ),
        VrEvent::RequestForwarded { request, to } => {
            let (op, to) = (request.op, node_name(*to));
            text(
                format!("{name} passed {op} to primary {to}"),
                format!("{name} 把 {op} 转交给主副本 {to}"),
            )
        }
        VrEvent::RequestRefused { request } => {
            let op = request.op;
            text(
                format!("{name} is not normal and knows no primary: {op} dropped"),
                format!("{name} 不处于正常状态，也不知道主副本：{op} 被丢弃"),
            )
        }
        VrEvent::ViewChangeStarted { view, why } => {
            let forced = memory.forced.take() == Some(node);
            match why {
                _ if forced => text(
                    format!("{name} was made to time out: it moved to view {view} and sent STARTVIEWCHANGE"),
                    format!("{name} 被强制超时：它进入视图 {view}，并发送了 STARTVIEWCHANGE"),
                ),
                ViewChangeReason::Timeout => text(
                    format!("{name} heard nothing from its primary in time: it moved to view {view} and sent STARTVIEWCHANGE"),
                    format!("{name} 没有按时收到主副本的消息：它进入视图 {view}，并发送了 STARTVIEWCHANGE"),
                ),
                ViewChangeReason::Heard { from } => {
                    let from = node_name(*from);
                    text(
                        format!("{name} heard of view {view} from {from} and joined its view change"),
                        format!("{name} 从 {from} 得知视图 {view}，加入了这次视图变更"),
                    )
                }
            }
        }
        VrEvent::DoViewChangeSent {
            view,
            last_normal_view,
        } => text(
            format!("{name} had f STARTVIEWCHANGEs for view {view} and sent DOVIEWCHANGE to its new primary (v′ = {last_normal_view})"),
            format!("{name} 收到了视图 {view} 的 f 条 STARTVIEWCHANGE，向新的主副本发送了 DOVIEWCHANGE（v′ = {last_normal_view}）"),
        ),
        VrEvent::BecamePrimary {
            view,
            op_number,
            commit_number,
            chosen_from,
        } => {
            memory.primaries.insert(*view, node);
            let from = node_name(*chosen_from);
            text(
                format!("{name} is primary of view {view}: it took {from}'s log (the largest v′, then the largest n), op-number {op_number}, commit-number {commit_number}, and sent STARTVIEW"),
                format!("{name} 成为视图 {view} 的主副本：它采用了 {from} 的日志（v′ 最大，其次 n 最大），操作号 {op_number}，提交号 {commit_number}，并发送了 STARTVIEW"),
            )
        }
        VrEvent::StartedView { view, op_number } => text(
            format!("{name} took STARTVIEW: normal in view {view}, op-number {op_number}"),
            format!("{name} 收到 STARTVIEW：在视图 {view} 中恢复正常，操作号 {op_number}"),
        ),
        VrEvent::Recovered {
            view,
            op_number,
            commit_number,
            primary,
        } => {
            let primary = node_name(*primary);
            text(
                format!("{name} recovered: f + 1 answers carried its nonce, and it took primary {primary}'s log (view {view}, op-number {op_number}, commit-number {commit_number})"),
                format!("{name} 恢复完成：f + 1 条回复带有它的随机数，它采用了主副本 {primary} 的日志（视图 {view}，操作号 {op_number}，提交号 {commit_number}）"),
            )
        }
        VrEvent::StateRequested { view, after, to } => {
            let to = node_name(*to);
            text(
                format!("{name} is behind and asked {to} for everything after op {after} (GETSTATE, view {view})"),
                format!("{name} 落后了，向 {to} 请求操作 {after} 之后的全部内容（GETSTATE，视图 {view}）"),
            )
        }
        VrEvent::LogTruncated { view, to } => text(
            format!("{name} cut its log back to op {to} and took view {view} at once, as section 5.2 reads literally"),
            format!("{name} 照第 5.2 节的字面规则把日志截断到操作 {to}，并立即进入视图 {view}"),
        ),
        VrEvent::StateTransferred {
            view,
            after,
            op_number,
        } => text(
            format!("{name} took NEWSTATE: the log after op {after} replaced, op-number {op_number}, view {view}"),
            format!("{name} 收到 NEWSTATE：替换了操作 {after} 之后的日志，操作号 {op_number}，视图 {view}"),
        ),
        VrEvent::PrepareOk { .. } | VrEvent::Executed { .. } | VrEvent::Replied { .. } => {
            return None
        }
    })
}

/// A request by what it does (`y←4`), or by its id if the scenario does not send it.
fn request(lang: Lang, requests: &Requests, id: u64) -> String {
    match requests.get(&id) {
        Some(op) => op.clone(),
        None => lang.t(format!("request {id}"), format!("请求 {id}")),
    }
}

/// A claim of a VR scenario in words.
pub fn claim(claim: &VrClaim, lang: Lang, requests: &Requests) -> String {
    match claim {
        VrClaim::Primary { node, view } => {
            let n = node_name(*node);
            match view {
                Some(v) => lang.t(
                    format!("{n} is the primary of view {v}"),
                    format!("{n} 是视图 {v} 的主副本"),
                ),
                None => lang.t(format!("{n} is the primary"), format!("{n} 是主副本")),
            }
        }
        VrClaim::Status { node, status, view } => {
            let n = node_name(*node);
            let s = status_text(lang, *status);
            match view {
                Some(v) => lang.t(
                    format!("{n}'s status is {s}, in view {v}"),
                    format!("{n} 处于视图 {v}，状态为{s}"),
                ),
                None => lang.t(format!("{n}'s status is {s}"), format!("{n} 的状态为{s}")),
            }
        }
        VrClaim::LastNormalView { node, view } => {
            let n = node_name(*node);
            lang.t(
                format!("{n} was last normal in view {view} (v′ = {view})"),
                format!("{n} 最后处于正常状态的视图是 {view}（v′ = {view}）"),
            )
        }
        VrClaim::Log {
            node,
            requests: ids,
        } => log_words(*node, ids, lang, requests),
        VrClaim::CommitNumber { node, commit } => {
            let n = node_name(*node);
            lang.t(
                format!("{n}'s commit-number is {commit}"),
                format!("{n} 的提交号是 {commit}"),
            )
        }
        VrClaim::Executed { node, op_number } => executed_words(*node, *op_number, lang),
        VrClaim::ClientTable {
            node,
            request: id,
            executed,
        } => {
            let n = node_name(*node);
            let r = request(lang, requests, *id);
            match executed {
                true => lang.t(
                    format!("{n}'s client-table has {r} as the latest request, executed"),
                    format!("{n} 的客户端表中最新的请求是 {r}，已执行"),
                ),
                false => lang.t(
                    format!("{n}'s client-table has {r} as the latest request, not yet executed"),
                    format!("{n} 的客户端表中最新的请求是 {r}，尚未执行"),
                ),
            }
        }
        VrClaim::Crashed { node } => {
            let n = node_name(*node);
            lang.t(format!("{n} is crashed"), format!("{n} 已崩溃"))
        }
    }
}

fn log_words(node: NodeId, ids: &[u64], lang: Lang, requests: &Requests) -> String {
    let n = node_name(node);
    if ids.is_empty() {
        return lang.t(format!("{n}'s log is empty"), format!("{n} 的日志为空"));
    }
    let each: Vec<String> = ids.iter().map(|id| request(lang, requests, *id)).collect();
    lang.t(
        format!("{n}'s log holds {}", each.join(", ")),
        format!("{n} 的日志依次是 {}", each.join("、")),
    )
}

/// How far a replica has executed, an empty range as nothing executed.
pub fn executed_words(node: NodeId, op: u64, lang: Lang) -> String {
    let n = node_name(node);
    match op {
        0 => lang.t(
            format!("{n} has executed no operation yet"),
            format!("{n} 还没有执行任何操作"),
        ),
        1 => lang.t(
            format!("{n} has executed operation 1"),
            format!("{n} 已执行操作 1"),
        ),
        _ => lang.t(
            format!("{n} has executed operations 1 to {op}"),
            format!("{n} 已执行操作 1 到 {op}"),
        ),
    }
}

/// What is the case instead of a false claim, in words.
pub fn fact(fact: &VrFact, lang: Lang, requests: &Requests) -> String {
    match fact {
        VrFact::Server(s) => crate::run::narration::server_fact(s, lang),
        &VrFact::Status {
            node,
            status,
            view,
            primary,
        } => {
            if primary {
                claim(
                    &VrClaim::Primary {
                        node,
                        view: Some(view),
                    },
                    lang,
                    requests,
                )
            } else {
                claim(
                    &VrClaim::Status {
                        node,
                        status,
                        view: Some(view),
                    },
                    lang,
                    requests,
                )
            }
        }
        &VrFact::LastNormalView { node, view } => {
            claim(&VrClaim::LastNormalView { node, view }, lang, requests)
        }
        VrFact::Log {
            node,
            requests: ids,
        } => log_words(*node, ids, lang, requests),
        &VrFact::CommitNumber { node, commit } => {
            claim(&VrClaim::CommitNumber { node, commit }, lang, requests)
        }
        &VrFact::Executed { node, op_number } => executed_words(node, op_number, lang),
        VrFact::ClientTable { node, row: None } => {
            let n = node_name(*node);
            lang.t(
                format!("{n}'s client-table has no row for the client"),
                format!("{n} 的客户端表中没有这个客户端的记录"),
            )
        }
        &VrFact::ClientTable {
            node,
            row: Some((id, executed)),
        } => claim(
            &VrClaim::ClientTable {
                node,
                request: id,
                executed,
            },
            lang,
            requests,
        ),
    }
}

fn replicas(ids: impl Iterator<Item = NodeId>, lang: Lang) -> String {
    let names: Vec<String> = ids.map(node_name).collect();
    if names.is_empty() {
        lang.t("none", "无").to_string()
    } else {
        names.join(lang.t(", ", "、"))
    }
}

/// Every variable of a replica: section 4's state, then what the view
/// change, recovery and state transfer keep while they run.
pub fn inspect(sim: &Sim<Vr>, slot: &NodeSlot<Vr>, lang: Lang) -> (Option<String>, Vec<Section>) {
    let n = sim.nodes().len();
    let Some(r) = slot.up() else {
        return (
            Some(lang.t(
                "Crashed. A VR replica keeps nothing on disk (section 4.3): its view-number, log, commit-number and client-table are gone. Restart it and it comes back recovering: it sends RECOVERY with a fresh nonce and takes the primary's state from f + 1 answers. What this buys: no disk write before a PREPAREOK. What it costs: at most f replicas may be down or recovering at once, or a committed operation can be lost.",
                "已崩溃。VR 副本在磁盘上什么也不保存（第 4.3 节）：它的视图号、日志、提交号和客户端表都已丢失。重启后它进入恢复状态：发送带新随机数的 RECOVERY，并从 f + 1 条回复中取得主副本的状态。好处：发出 PREPAREOK 前无需写磁盘。代价：同时崩溃或恢复中的副本至多 f 个，否则已提交的操作可能丢失。",
            ).to_string()),
            vec![Section {
                heading: lang.t("On disk", "磁盘上").to_string(),
                body: SectionBody::Hint(lang.t("nothing", "什么也没有").to_string()),
            }],
        );
    };
    let f = quorum_sim::vr::VrConfig::failure_bound(n);
    let configuration = replicas(0..n, lang);
    let client_table = Field {
        key: "client-table",
        label: lang
            .t("client-table", "client-table（客户端表）")
            .to_string(),
        value: Value::List {
            items: r
                .client_table
                .iter()
                .map(|(c, row)| ListItem {
                    index: *c,
                    text: lang.t(
                        format!(
                            "client {c}: request-number {} (op {}), {}",
                            row.request_number,
                            row.op_number,
                            if row.executed {
                                "executed"
                            } else {
                                "not yet executed"
                            }
                        ),
                        format!(
                            "客户端 {c}：请求号 {}（操作 {}），{}",
                            row.request_number,
                            row.op_number,
                            if row.executed {
                                "已执行"
                            } else {
                                "尚未执行"
                            }
                        ),
                    ),
                    tag: None,
                })
                .collect(),
            empty: lang.t("no client yet", "还没有客户端").to_string(),
        },
    };
    let glossed = |key: &'static str, zh: &str, value: String| Field::glossed(key, zh, lang, value);
    let state = vec![
        Field::named(
            "configuration",
            lang.t("configuration", "配置"),
            lang.t(
                format!("{configuration} ({n} replicas, f = {f})"),
                format!("{configuration}（{n} 个副本，f = {f}）"),
            ),
        ),
        Field::named(
            "replica number",
            lang.t("replica number", "副本编号"),
            lang.t(
                format!("{} (the primary of view v is replica v mod {n})", r.id),
                format!("{}（视图 v 的主副本是副本 v mod {n}）", r.id),
            ),
        ),
        glossed("view-number", "视图号", r.view.to_string()),
        Field::named(
            "status",
            lang.t("status", "状态"),
            status_text(lang, r.status),
        ),
        glossed("op-number", "操作号", r.op_number.to_string()),
        Field {
            key: "log",
            label: lang.t("log", "日志").to_string(),
            value: log_list(r.log.iter(), 1, r.commit_number, lang),
        },
        glossed("commit-number", "提交号", r.commit_number.to_string()),
        client_table,
    ];
    let mut sections = vec![Section {
        heading: lang
            .t(
                "Replica state (section 4), in memory only",
                "副本状态（第 4 节），只在内存中",
            )
            .to_string(),
        body: SectionBody::Fields(state),
    }];
    let primary = node_name(r.primary());
    let mut view_change = vec![
        Field::named(
            "v′",
            lang.t(
                "v′, the last view it was normal in",
                "v′（它最后处于正常状态的视图）",
            ),
            r.last_normal_view,
        ),
        Field::named(
            "primary",
            lang.t("primary of its view", "它所在视图的主副本"),
            primary,
        ),
    ];
    if r.status == Status::ViewChange {
        view_change.push(Field::named(
            "startviewchange from",
            lang.t("STARTVIEWCHANGE from", "收到 STARTVIEWCHANGE 自"),
            lang.t(
                format!(
                    "{} ({} of f = {f} needed)",
                    replicas(r.start_view_changes.iter().copied(), lang),
                    r.start_view_changes.len()
                ),
                format!(
                    "{}（已有 {} 条，需要 f = {f} 条）",
                    replicas(r.start_view_changes.iter().copied(), lang),
                    r.start_view_changes.len()
                ),
            ),
        ));
        view_change.push(Field::named(
            "doviewchange sent",
            lang.t("DOVIEWCHANGE sent", "已发送 DOVIEWCHANGE"),
            lang.t(
                if r.sent_do_view_change {
                    "yes"
                } else {
                    "not yet"
                },
                if r.sent_do_view_change {
                    "是"
                } else {
                    "还没有"
                },
            ),
        ));
        if r.primary() == r.id {
            let held: Vec<String> = r
                .do_view_changes
                .iter()
                .map(|(from, d)| {
                    lang.t(
                        format!(
                            "{}: v′ {}, n {}, k {}",
                            node_name(*from),
                            d.last_normal_view,
                            d.op_number,
                            d.commit_number
                        ),
                        format!(
                            "{}：v′ {}，n {}，k {}",
                            node_name(*from),
                            d.last_normal_view,
                            d.op_number,
                            d.commit_number
                        ),
                    )
                })
                .collect();
            view_change.push(Field::named(
                "doviewchange from",
                lang.t(
                    "DOVIEWCHANGE held (f + 1 needed)",
                    "已收到的 DOVIEWCHANGE（需要 f + 1 条）",
                ),
                if held.is_empty() {
                    lang.t("none", "无").to_string()
                } else {
                    held.join(lang.t("; ", "；"))
                },
            ));
        }
    }
    sections.push(Section {
        heading: lang
            .t("View change (section 4.2)", "视图变更（第 4.2 节）")
            .to_string(),
        body: SectionBody::Fields(view_change),
    });
    if r.is_primary() {
        sections.push(Section {
            heading: lang
                .t("PREPAREOK received, per backup", "各备份副本的 PREPAREOK")
                .to_string(),
            body: SectionBody::Table(Table {
                head: vec![
                    lang.t("backup", "备份副本").to_string(),
                    lang.t("acknowledged up to op", "已确认到操作").to_string(),
                ],
                rows: (0..n)
                    .filter(|&b| b != r.id)
                    .map(|b| Row {
                        key: ("data-peer", b.to_string()),
                        header: node_name(b),
                        cells: vec![(
                            Some("acked"),
                            r.acked.get(&b).copied().unwrap_or(0).to_string(),
                        )],
                    })
                    .collect(),
            }),
        });
    }
    if r.status == Status::Recovering {
        sections.push(Section {
            heading: lang.t("Recovery (section 4.3)", "恢复（第 4.3 节）").to_string(),
            body: SectionBody::Fields(vec![
                Field::named("x", lang.t("x, its nonce", "x（它的随机数）"), r.nonce),
                Field::named(
                    "recovery responses",
                    lang.t(
                        "RECOVERYRESPONSE with its nonce from (f + 1 needed, the primary's among them)",
                        "带有它的随机数的 RECOVERYRESPONSE 来自（需要 f + 1 条，其中要有主副本的）",
                    ),
                    replicas(r.recovery_responses.keys().copied(), lang),
                ),
            ]),
        });
    }
    if let Some(asked) = r.asked {
        sections.push(Section {
            heading: lang
                .t("State transfer (section 5.2)", "状态转移（第 5.2 节）")
                .to_string(),
            body: SectionBody::Fields(vec![Field::named(
                "getstate",
                lang.t("GETSTATE awaiting NEWSTATE", "等待 NEWSTATE 的 GETSTATE"),
                lang.t(
                    format!(
                        "view {}, everything after op {}, asked of {}",
                        asked.view,
                        asked.after,
                        node_name(asked.to)
                    ),
                    format!(
                        "视图 {}，操作 {} 之后的全部内容，向 {} 请求",
                        asked.view,
                        asked.after,
                        node_name(asked.to)
                    ),
                ),
            )]),
        });
    }
    let kv: Vec<String> = r.kv.data.iter().map(|(k, v)| format!("{k}={v}")).collect();
    sections.push(Section {
        heading: lang.t("The service", "服务").to_string(),
        body: SectionBody::Fields(vec![
            Field::named(
                "executed",
                lang.t("operations executed", "已执行的操作"),
                r.executed,
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
    });
    let note = (r.status == Status::Recovering).then(|| {
        lang.t(
            "Recovering: it lost everything in the crash and takes part in nothing until f + 1 replicas have answered its RECOVERY, the primary among them.",
            "恢复中：它在崩溃中失去了一切，在 f + 1 个副本（其中包括主副本）回复它的 RECOVERY 之前，它不参与任何事。",
        )
        .to_string()
    });
    (note, sections)
}

/// What a replica's menu says of it.
pub fn facts(slot: &NodeSlot<Vr>, lang: Lang) -> Vec<(String, String)> {
    let fact = |t: &str, v: String| (t.to_string(), v);
    match slot.up() {
        Some(r) => vec![
            fact(lang.t("view-number", "视图号"), r.view.to_string()),
            fact(
                lang.t("status", "状态"),
                status_text(lang, r.status).to_string(),
            ),
            fact(
                lang.t("op-number, commit-number", "操作号、提交号"),
                format!("{}, {}", r.op_number, r.commit_number),
            ),
            fact(
                lang.t("on disk", "磁盘上"),
                lang.t("nothing: all of it is in memory", "什么也没有：全在内存中")
                    .to_string(),
            ),
        ],
        None => vec![
            fact(
                lang.t("on disk", "磁盘上"),
                lang.t(
                    "nothing: everything it knew is gone",
                    "什么也没有：它知道的一切都已丢失",
                )
                .to_string(),
            ),
            fact(
                lang.t("restart", "重启"),
                lang.t(
                    "a recovery: RECOVERY to the others, with a fresh nonce",
                    "即恢复：带新随机数向其他副本发送 RECOVERY",
                )
                .to_string(),
            ),
        ],
    }
}

/// What broke a property, in Chinese (the core words it in English).
pub fn breach_zh(breach: &VrBreach) -> String {
    let name = |n: &NodeId| node_name(*n);
    match breach {
        VrBreach::NotItsView { node, view, owner } => format!(
            "{} 成为了视图 {view} 的主副本，而该视图属于 {}",
            name(node),
            name(owner)
        ),
        VrBreach::PrimaryTwice { node, view, first } => format!(
            "{} 第二次成为视图 {view} 的主副本（第一次是 {}）",
            name(node),
            name(first)
        ),
        VrBreach::PrimaryLacks {
            node,
            view,
            op,
            request,
        } => format!(
            "{} 成为视图 {view} 的主副本，但其日志中没有已提交的操作 {op}（{request}）",
            name(node)
        ),
        VrBreach::AssignedByOther { node, view, op } => format!(
            "{} 不是视图 {view} 的主副本，却分配了操作号 {op}",
            name(node)
        ),
        VrBreach::AssignedTwice { view, op } => {
            format!("视图 {view} 中操作号 {op} 被分配了两次")
        }
        VrBreach::CommittedTwo {
            node,
            op,
            request,
            first,
        } => format!(
            "{} 在操作 {op} 提交了 {request}，而那里已提交的是 {first}",
            name(node)
        ),
        VrBreach::ExecutedOutOfOrder { node, op, last } => {
            format!("{} 在操作 {last} 之后执行了操作 {op}", name(node))
        }
        VrBreach::ExecutedUncommitted { node, op, request } => format!(
            "{} 把 {request} 当作操作 {op} 执行，但那里提交的不是它",
            name(node)
        ),
        VrBreach::Lost { op, request } => {
            format!("没有运行中的副本持有已提交的操作 {op}（{request}）")
        }
    }
}

//! Inspectors: every variable of a server (Figure 2 of the Raft paper) and
//! every field of a message, under the paper's names, with the actions on a
//! message (drop, duplicate, delay).
//!
//! Values carry `data-field` with the paper's name, so tests read them the
//! way a person does.

use super::format_time;
use crate::i18n::{message_kind, role, use_lang, Lang};
use crate::protocols::{MessageField, Viewed};
use crate::state::{Action, Dispatch, SimView};
use quorum_sim::raft::{Entry, Message, Raft, RaftTimer, ReplicationState};
use quorum_sim::{node_name, Command, MessageMeta, MsgId, NodeId, Time, MS};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The delays a message can be given, in milliseconds.
pub const DELAYS_MS: [u64; 7] = [10, 20, 50, 100, 200, 500, 1000];
pub const DEFAULT_DELAY_MS: u64 = 50;

/// Figure 2's "or null if none".
fn opt_node(n: Option<NodeId>, lang: Lang) -> String {
    n.map_or_else(|| lang.t("null", "无").to_string(), node_name)
}

fn entry_text(index: u64, e: &Entry, lang: Lang) -> String {
    let (term, op, id) = (e.term, e.request.op, e.request.id);
    match lang {
        Lang::En => format!("{index}: term {term}, {op} (#{id})"),
        Lang::Zh => format!("{index}：任期 {term}，{op}（#{id}）"),
    }
}

fn yes_no(b: bool, lang: Lang) -> String {
    match lang {
        Lang::En => b.to_string(),
        Lang::Zh => if b { "是" } else { "否" }.to_string(),
    }
}

/// A log as a list; long logs scroll. The newest entry comes first in the
/// markup: the list is `column-reverse`, so it is drawn oldest at the top and
/// starts scrolled to the bottom, where the newest entry is.
fn log_list(entries: &[Entry], commit_index: Option<u64>, lang: Lang) -> Html {
    if entries.is_empty() {
        return html! { <span class="empty">{ lang.t("[] (empty)", "[]（空）") }</span> };
    }
    let items = entries.iter().enumerate().rev().map(|(i, e)| {
        let index = i as u64 + 1;
        let committed = commit_index.is_some_and(|c| index <= c);
        html! {
            <li class={classes!(committed.then_some("committed"))} data-index={index.to_string()}>
                { entry_text(index, e, lang) }
                if committed { <span class="tag">{ lang.t(" committed", " 已提交") }</span> }
            </li>
        }
    });
    html! { <ol class="entries">{ for items }</ol> }
}

#[derive(Properties, PartialEq)]
pub struct NodeInspectorProps {
    pub sim: SimView<Raft>,
    pub node: NodeId,
    /// The virtual time shown, in µs.
    pub now: f64,
}

#[component]
pub fn NodeInspector(props: &NodeInspectorProps) -> Html {
    let NodeInspectorProps { sim, node, now } = props;
    let lang = use_lang();
    let node = *node;
    let Some(slot) = sim.node(node) else {
        return html! {};
    };
    let name = node_name(node);
    let field = |label: &'static str, key: &'static str, value: Html| {
        html! {
            <>
                <dt>{ label }</dt>
                <dd data-field={key}>{ value }</dd>
            </>
        }
    };
    let body = match slot.up() {
        None => {
            let disk = slot.persistent();
            html! {
                <>
                    <p class="hint">{ lang.t(
                        "Crashed: only what it persisted survives. Its volatile state (commitIndex, lastApplied, role, leader state) is lost.",
                        "已崩溃：只有持久化的状态保留了下来。它的易失状态（commitIndex、lastApplied、角色、领导者状态）都已丢失。",
                    ) }</p>
                    <h3>{ lang.t("Persistent state (on disk)", "持久状态（磁盘上）") }</h3>
                    <dl>
                        { field("currentTerm", "currentTerm", html! { disk.current_term }) }
                        { field("votedFor", "votedFor", html! { opt_node(disk.voted_for, lang) }) }
                        { field("log[]", "log", log_list(disk.log.entries(), None, lang)) }
                    </dl>
                </>
            }
        }
        Some(raft) => running(raft, slot.timers.iter(), *now, sim.nodes().len(), lang),
    };
    let shown_role = role(lang, slot.up().map_or("crashed", |r| r.role.as_str()));
    html! {
        <section class="panel inspector" data-inspector="node" data-node-id-inspected={node.to_string()}
            aria-label={lang.t(format!("{name} inspector"), format!("{name} 检查器"))}>
            <h2>{ format!("{name} — {shown_role}") }</h2>
            { body }
        </section>
    }
}

fn running<'a>(
    raft: &Raft,
    timers: impl Iterator<Item = (&'a RaftTimer, &'a quorum_sim::sim::ArmedTimer)>,
    now: f64,
    n: usize,
    lang: Lang,
) -> Html {
    let field = |label: &'static str, key: &'static str, value: Html| {
        html! {
            <>
                <dt>{ label }</dt>
                <dd data-field={key}>{ value }</dd>
            </>
        }
    };
    let timers: Vec<Html> = timers
        .map(|(timer, armed)| {
            let (what, what_zh) = match timer {
                RaftTimer::Election => ("election timeout", "选举超时"),
                RaftTimer::Heartbeat => ("heartbeat", "心跳"),
            };
            let at = format_time(armed.deadline as f64);
            let left = format_time((armed.deadline as f64 - now).max(0.0));
            html! {
                <li data-timer={what}>
                    { lang.t(format!("{what} at {at} (in {left})"), format!("{what_zh}：{at}（还剩 {left}）")) }
                </li>
            }
        })
        .collect();
    let kv: Vec<String> = raft
        .kv
        .data
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let kv_text = if kv.is_empty() {
        lang.t("empty", "空").to_string()
    } else {
        kv.join(" ")
    };
    let leader_state = (!raft.progress.is_empty()).then(|| {
        let rows = raft.progress.iter().map(|(peer, p)| {
            let mode = match p.state {
                ReplicationState::Probe => lang.t("probe", "探测"),
                ReplicationState::Replicate => lang.t("replicate", "复制"),
            };
            html! {
                <tr data-peer={peer.to_string()}>
                    <th scope="row">{ node_name(*peer) }</th>
                    <td data-field="nextIndex">{ p.next_index }</td>
                    <td data-field="matchIndex">{ p.match_index }</td>
                    <td>{ mode }</td>
                </tr>
            }
        });
        html! {
            <>
                <h3>{ lang.t("Volatile state on leaders", "领导者上的易失状态") }</h3>
                <table class="progress">
                    <thead><tr><th>{ lang.t("peer", "对端") }</th><th>{ "nextIndex[]" }</th><th>{ "matchIndex[]" }</th><th>{ lang.t("mode", "模式") }</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </>
        }
    });
    let votes = (raft.role == quorum_sim::raft::Role::Candidate).then(|| {
        let held: Vec<String> = raft.votes.iter().map(|&v| node_name(v)).collect();
        let (count, needed) = (held.len(), n / 2 + 1);
        let value = match lang {
            Lang::En => format!("{count} of {needed} needed: {}", held.join(", ")),
            Lang::Zh => format!("已得 {count} 票，需要 {needed} 票：{}", held.join("、")),
        };
        html! {
            <dl>
                { field(lang.t("votes", "选票"), "votes", html! { value }) }
            </dl>
        }
    });
    html! {
        <>
            <h3>{ lang.t("Persistent state on all servers", "所有服务器上的持久状态") }</h3>
            <dl>
                { field("currentTerm", "currentTerm", html! { raft.current_term }) }
                { field("votedFor", "votedFor", html! { opt_node(raft.voted_for, lang) }) }
                { field("log[]", "log", log_list(raft.log.entries(), Some(raft.commit_index), lang)) }
            </dl>
            <h3>{ lang.t("Volatile state on all servers", "所有服务器上的易失状态") }</h3>
            <dl>
                { field("commitIndex", "commitIndex", html! { raft.commit_index }) }
                { field("lastApplied", "lastApplied", html! { raft.last_applied }) }
                { field("leaderId", "leaderId", html! { opt_node(raft.leader_id, lang) }) }
                { field(lang.t("state machine", "状态机"), "kv", html! { kv_text }) }
            </dl>
            { votes }
            { leader_state.unwrap_or_default() }
            <h3>{ lang.t("Timers", "计时器") }</h3>
            if timers.is_empty() {
                <p class="hint">{ lang.t("none armed", "没有设置计时器") }</p>
            } else {
                <ul class="timers">{ for timers }</ul>
            }
        </>
    }
}

/// A message's fields under the paper's names (Figure 2).
pub fn message_fields(msg: &Message, lang: Lang) -> Vec<MessageField> {
    match msg {
        Message::RequestVote {
            term,
            candidate_id,
            last_log_index,
            last_log_term,
        } => vec![
            MessageField::paper("term", term),
            MessageField::paper("candidateId", node_name(*candidate_id)),
            MessageField::paper("lastLogIndex", last_log_index),
            MessageField::paper("lastLogTerm", last_log_term),
        ],
        Message::RequestVoteReply { term, vote_granted } => vec![
            MessageField::paper("term", term),
            MessageField::paper("voteGranted", yes_no(*vote_granted, lang)),
        ],
        Message::AppendEntries {
            term,
            leader_id,
            prev_log_index,
            prev_log_term,
            entries,
            leader_commit,
        } => {
            let list: Vec<String> = entries
                .iter()
                .enumerate()
                .map(|(i, e)| entry_text(prev_log_index + 1 + i as u64, e, lang))
                .collect();
            let entries = if list.is_empty() {
                lang.t("[] (heartbeat)", "[]（心跳）").to_string()
            } else {
                list.join(lang.t("; ", "；"))
            };
            vec![
                MessageField::paper("term", term),
                MessageField::paper("leaderId", node_name(*leader_id)),
                MessageField::paper("prevLogIndex", prev_log_index),
                MessageField::paper("prevLogTerm", prev_log_term),
                MessageField::paper("entries[]", entries),
                MessageField::paper("leaderCommit", leader_commit),
            ]
        }
        Message::AppendEntriesReply {
            term,
            success,
            prev_log_index,
            entry_count,
        } => vec![
            MessageField::paper("term", term),
            MessageField::paper("success", yes_no(*success, lang)),
            MessageField::named(
                "prevLogIndex (echoed)",
                lang.t("prevLogIndex (echoed)", "prevLogIndex（回显）"),
                prev_log_index,
            ),
            MessageField::named(
                "entry count (echoed)",
                lang.t("entry count (echoed)", "条目数（回显）"),
                entry_count,
            ),
        ],
        Message::ClientRequest { request } => vec![
            MessageField::named("request id", lang.t("request id", "请求编号"), request.id),
            MessageField::named("command", lang.t("command", "命令"), request.op),
        ],
    }
}

#[derive(Properties)]
pub struct MessageInspectorProps<P: Viewed> {
    pub sim: SimView<P>,
    pub id: MsgId,
    pub now: f64,
    pub dispatch: Dispatch,
}

// By hand: a derived PartialEq would ask the protocol itself to be PartialEq.
impl<P: Viewed> PartialEq for MessageInspectorProps<P> {
    fn eq(&self, other: &Self) -> bool {
        self.sim == other.sim
            && self.id == other.id
            && self.now == other.now
            && self.dispatch == other.dispatch
    }
}

/// Any protocol's message: its type, its fields, when it was sent and
/// arrives, and the network's actions on it.
#[component]
pub fn MessageInspector<P: Viewed>(props: &MessageInspectorProps<P>) -> Html {
    let MessageInspectorProps {
        sim,
        id,
        now,
        dispatch,
    } = props;
    let id = *id;
    let lang = use_lang();
    let delay_ms = use_state(|| DEFAULT_DELAY_MS);
    let close = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Deselect))
    };
    let body = match sim.message(id) {
        None => html! {
            <p class="hint">{ lang.t(
                format!("Message #{id} is no longer in flight: it arrived or was lost."),
                format!("消息 #{id} 已不在传输途中：它已送达或已丢失。"),
            ) }</p>
        },
        Some(env) => {
            let act = |command: Command| {
                let dispatch = dispatch.clone();
                Callback::from(move |_: MouseEvent| dispatch.emit(Action::Apply(command.clone())))
            };
            let by: Time = *delay_ms * MS;
            let on_delay_choice = {
                let delay_ms = delay_ms.clone();
                Callback::from(move |e: Event| {
                    let v = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
                        .and_then(|s| s.value().parse::<u64>().ok());
                    if let Some(v) = v {
                        delay_ms.set(v);
                    }
                })
            };
            let options = DELAYS_MS.iter().map(|&ms| {
                html! { <option value={ms.to_string()} selected={ms == *delay_ms}>{ format!("{ms} ms") }</option> }
            });
            let fields = P::message_fields(&env.payload, lang).into_iter().map(|f| {
                html! { <><dt>{ f.label }</dt><dd data-field={f.key}>{ f.value }</dd></> }
            });
            let arrives = format_time(env.deliver_at as f64);
            let left = format_time((env.deliver_at as f64 - now).max(0.0));
            html! {
                <>
                    <dl>
                        <dt>{ lang.t("type", "类型") }</dt><dd data-field="type">{ message_kind(lang, env.payload.kind()) }</dd>
                        <dt>{ lang.t("from → to", "发送方 → 接收方") }</dt><dd>{ format!("{} → {}", node_name(env.from), node_name(env.to)) }</dd>
                        { for fields }
                        <dt>{ lang.t("sent", "发送于") }</dt><dd data-field="sentAt">{ format_time(env.sent_at as f64) }</dd>
                        <dt>{ lang.t("arrives", "到达于") }</dt>
                        <dd data-field="deliverAt" data-deliver-at={env.deliver_at.to_string()}>
                            { lang.t(format!("{arrives} (in {left})"), format!("{arrives}（还剩 {left}）")) }
                        </dd>
                    </dl>
                    <div class="actions">
                        <button type="button" onclick={act(Command::DropMessage { id })}>{ lang.t("Drop", "丢弃") }</button>
                        <button type="button" onclick={act(Command::DuplicateMessage { id })}
                            title={lang.t("The network delivers a second copy, with its own latency", "网络再投递一份副本，其延迟单独计算")}>{ lang.t("Duplicate", "复制") }</button>
                        <label class="delay">
                            <span>{ lang.t("by", "时长") }</span>
                            <select aria-label={lang.t("Delay by", "推迟时长")} onchange={on_delay_choice}>{ for options }</select>
                        </label>
                        <button type="button" onclick={act(Command::DelayMessage { id, by })}
                            title={lang.t("Hold it back; later messages on the same link can overtake it", "推迟送达；同一链路上后发的消息可以超过它")}>{ lang.t("Delay", "推迟") }</button>
                    </div>
                </>
            }
        }
    };
    html! {
        <section class="panel inspector msg-inspector" data-inspector="message" data-msg-panel={id.to_string()}
            aria-label={lang.t(format!("Message #{id}"), format!("消息 #{id}"))}>
            <header>
                <h2>{ lang.t(format!("Message #{id}"), format!("消息 #{id}")) }</h2>
                <button type="button" class="close" aria-label={lang.t("Close", "关闭")} onclick={close}>{ "×" }</button>
            </header>
            { body }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_fields_use_the_papers_names() {
        let m = Message::RequestVote {
            term: 3,
            candidate_id: 1,
            last_log_index: 7,
            last_log_term: 2,
        };
        let names: Vec<_> = message_fields(&m, Lang::En)
            .into_iter()
            .map(|f| f.key)
            .collect();
        assert_eq!(
            names,
            ["term", "candidateId", "lastLogIndex", "lastLogTerm"]
        );
        let m = Message::AppendEntries {
            term: 2,
            leader_id: 0,
            prev_log_index: 4,
            prev_log_term: 1,
            entries: vec![],
            leader_commit: 4,
        };
        let fields = message_fields(&m, Lang::En);
        assert_eq!(
            fields[4],
            MessageField::paper("entries[]", "[] (heartbeat)")
        );
        assert_eq!(fields[1].value, "S1");
        let zh = message_fields(&m, Lang::Zh);
        assert_eq!(zh[4], MessageField::paper("entries[]", "[]（心跳）"));
        let keys =
            |fields: Vec<MessageField>| fields.into_iter().map(|f| f.key).collect::<Vec<_>>();
        assert_eq!(
            keys(zh),
            keys(fields),
            "data-field is the same in every language"
        );
    }
}

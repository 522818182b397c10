//! Inspectors: every variable of a server (Figure 2 of the Raft paper) and
//! every field of a message, under the paper's names, with the actions on a
//! message (drop, duplicate, delay).
//!
//! Values carry `data-field` with the paper's name, so tests read them the
//! way a person does.

use super::format_time;
use crate::protocols::Viewed;
use crate::state::{Action, Dispatch, SimView};
use quorum_sim::raft::{Entry, Message, Raft, RaftTimer, ReplicationState};
use quorum_sim::{node_name, Command, MessageMeta, MsgId, NodeId, Time, MS};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The delays a message can be given, in milliseconds.
pub const DELAYS_MS: [u64; 7] = [10, 20, 50, 100, 200, 500, 1000];
pub const DEFAULT_DELAY_MS: u64 = 50;

fn opt_node(n: Option<NodeId>) -> String {
    n.map_or_else(|| "null".to_string(), node_name)
}

fn entry_text(index: u64, e: &Entry) -> String {
    format!(
        "{index}: term {}, {} (#{})",
        e.term, e.request.op, e.request.id
    )
}

/// A log as a list; long logs scroll. The newest entry comes first in the
/// markup: the list is `column-reverse`, so it is drawn oldest at the top and
/// starts scrolled to the bottom, where the newest entry is.
fn log_list(entries: &[Entry], commit_index: Option<u64>) -> Html {
    if entries.is_empty() {
        return html! { <span class="empty">{ "[] (empty)" }</span> };
    }
    let items = entries.iter().enumerate().rev().map(|(i, e)| {
        let index = i as u64 + 1;
        let committed = commit_index.is_some_and(|c| index <= c);
        html! {
            <li class={classes!(committed.then_some("committed"))} data-index={index.to_string()}>
                { entry_text(index, e) }
                if committed { <span class="tag">{ " committed" }</span> }
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
                    <p class="hint">{ "Crashed: only what it persisted survives. Its volatile state (commitIndex, lastApplied, role, leader state) is lost." }</p>
                    <h3>{ "Persistent state (on disk)" }</h3>
                    <dl>
                        { field("currentTerm", "currentTerm", html! { disk.current_term }) }
                        { field("votedFor", "votedFor", html! { opt_node(disk.voted_for) }) }
                        { field("log[]", "log", log_list(disk.log.entries(), None)) }
                    </dl>
                </>
            }
        }
        Some(raft) => running(raft, slot.timers.iter(), *now, sim.nodes().len()),
    };
    html! {
        <section class="panel inspector" data-inspector="node" data-node-id-inspected={node.to_string()}
            aria-label={format!("{name} inspector")}>
            <h2>{ format!("{name} — {}", slot.up().map_or("crashed", |r| r.role.as_str())) }</h2>
            { body }
        </section>
    }
}

fn running<'a>(
    raft: &Raft,
    timers: impl Iterator<Item = (&'a RaftTimer, &'a quorum_sim::sim::ArmedTimer)>,
    now: f64,
    n: usize,
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
            let what = match timer {
                RaftTimer::Election => "election timeout",
                RaftTimer::Heartbeat => "heartbeat",
            };
            let left = armed.deadline as f64 - now;
            html! {
                <li data-timer={what}>
                    { format!("{what} at {} (in {})", format_time(armed.deadline as f64), format_time(left.max(0.0))) }
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
        "empty".to_string()
    } else {
        kv.join(" ")
    };
    let leader_state = (!raft.progress.is_empty()).then(|| {
        let rows = raft.progress.iter().map(|(peer, p)| {
            let mode = match p.state {
                ReplicationState::Probe => "probe",
                ReplicationState::Replicate => "replicate",
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
                <h3>{ "Volatile state on leaders" }</h3>
                <table class="progress">
                    <thead><tr><th>{ "peer" }</th><th>{ "nextIndex[]" }</th><th>{ "matchIndex[]" }</th><th>{ "mode" }</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </>
        }
    });
    let votes = (raft.role == quorum_sim::raft::Role::Candidate).then(|| {
        let held: Vec<String> = raft.votes.iter().map(|&v| node_name(v)).collect();
        html! {
            <dl>
                { field("votes", "votes", html! { format!("{} of {} needed: {}", held.len(), n / 2 + 1, held.join(", ")) }) }
            </dl>
        }
    });
    html! {
        <>
            <h3>{ "Persistent state on all servers" }</h3>
            <dl>
                { field("currentTerm", "currentTerm", html! { raft.current_term }) }
                { field("votedFor", "votedFor", html! { opt_node(raft.voted_for) }) }
                { field("log[]", "log", log_list(raft.log.entries(), Some(raft.commit_index))) }
            </dl>
            <h3>{ "Volatile state on all servers" }</h3>
            <dl>
                { field("commitIndex", "commitIndex", html! { raft.commit_index }) }
                { field("lastApplied", "lastApplied", html! { raft.last_applied }) }
                { field("leaderId", "leaderId", html! { opt_node(raft.leader_id) }) }
                { field("state machine", "kv", html! { kv_text }) }
            </dl>
            { votes }
            { leader_state.unwrap_or_default() }
            <h3>{ "Timers" }</h3>
            if timers.is_empty() {
                <p class="hint">{ "none armed" }</p>
            } else {
                <ul class="timers">{ for timers }</ul>
            }
        </>
    }
}

/// A message's fields under the paper's names: (name, value).
pub fn message_fields(msg: &Message) -> Vec<(&'static str, String)> {
    match msg {
        Message::RequestVote {
            term,
            candidate_id,
            last_log_index,
            last_log_term,
        } => vec![
            ("term", term.to_string()),
            ("candidateId", node_name(*candidate_id)),
            ("lastLogIndex", last_log_index.to_string()),
            ("lastLogTerm", last_log_term.to_string()),
        ],
        Message::RequestVoteReply { term, vote_granted } => vec![
            ("term", term.to_string()),
            ("voteGranted", vote_granted.to_string()),
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
                .map(|(i, e)| entry_text(prev_log_index + 1 + i as u64, e))
                .collect();
            vec![
                ("term", term.to_string()),
                ("leaderId", node_name(*leader_id)),
                ("prevLogIndex", prev_log_index.to_string()),
                ("prevLogTerm", prev_log_term.to_string()),
                (
                    "entries[]",
                    if list.is_empty() {
                        "[] (heartbeat)".to_string()
                    } else {
                        list.join("; ")
                    },
                ),
                ("leaderCommit", leader_commit.to_string()),
            ]
        }
        Message::AppendEntriesReply {
            term,
            success,
            prev_log_index,
            entry_count,
        } => vec![
            ("term", term.to_string()),
            ("success", success.to_string()),
            ("prevLogIndex (echoed)", prev_log_index.to_string()),
            ("entry count (echoed)", entry_count.to_string()),
        ],
        Message::ClientRequest { request } => vec![
            ("request id", request.id.to_string()),
            ("command", request.op.to_string()),
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
    let delay_ms = use_state(|| DEFAULT_DELAY_MS);
    let close = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Deselect))
    };
    let body = match sim.message(id) {
        None => html! {
            <p class="hint">{ format!("Message #{id} is no longer in flight: it arrived or was lost.") }</p>
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
            let fields = P::message_fields(&env.payload).into_iter().map(|(k, v)| {
                html! { <><dt>{ k }</dt><dd data-field={k}>{ v }</dd></> }
            });
            let left = env.deliver_at as f64 - now;
            html! {
                <>
                    <dl>
                        <dt>{ "type" }</dt><dd data-field="type">{ env.payload.kind() }</dd>
                        <dt>{ "from → to" }</dt><dd>{ format!("{} → {}", node_name(env.from), node_name(env.to)) }</dd>
                        { for fields }
                        <dt>{ "sent" }</dt><dd data-field="sentAt">{ format_time(env.sent_at as f64) }</dd>
                        <dt>{ "arrives" }</dt>
                        <dd data-field="deliverAt" data-deliver-at={env.deliver_at.to_string()}>
                            { format!("{} (in {})", format_time(env.deliver_at as f64), format_time(left.max(0.0))) }
                        </dd>
                    </dl>
                    <div class="actions">
                        <button type="button" onclick={act(Command::DropMessage { id })}>{ "Drop" }</button>
                        <button type="button" onclick={act(Command::DuplicateMessage { id })}
                            title="The network delivers a second copy, with its own latency">{ "Duplicate" }</button>
                        <label class="delay">
                            <span>{ "by" }</span>
                            <select aria-label="Delay by" onchange={on_delay_choice}>{ for options }</select>
                        </label>
                        <button type="button" onclick={act(Command::DelayMessage { id, by })}
                            title="Hold it back; later messages on the same link can overtake it">{ "Delay" }</button>
                    </div>
                </>
            }
        }
    };
    html! {
        <section class="panel inspector msg-inspector" data-inspector="message" data-msg-panel={id.to_string()}
            aria-label={format!("Message #{id}")}>
            <header>
                <h2>{ format!("Message #{id}") }</h2>
                <button type="button" class="close" aria-label="Close" onclick={close}>{ "×" }</button>
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
        let names: Vec<_> = message_fields(&m).into_iter().map(|(k, _)| k).collect();
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
        let fields = message_fields(&m);
        assert_eq!(fields[4], ("entries[]", "[] (heartbeat)".to_string()));
        assert_eq!(fields[1].1, "S1");
    }
}

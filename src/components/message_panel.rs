//! What a selected message carries, and the button to drop it.

use super::format_time;
use crate::state::{Action, SimView, State};
use quorum_sim::raft::Message;
use quorum_sim::{node_name, Command, MessageMeta, MsgId};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct MessagePanelProps {
    pub sim: SimView,
    pub id: MsgId,
    pub dispatch: UseReducerDispatcher<State>,
}

#[component]
pub fn MessagePanel(props: &MessagePanelProps) -> Html {
    let MessagePanelProps { sim, id, dispatch } = props;
    let id = *id;
    let close = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Deselect))
    };
    let body = match sim.message(id) {
        Some(env) => {
            let drop = {
                let dispatch = dispatch.clone();
                Callback::from(move |_: MouseEvent| {
                    dispatch.dispatch(Action::Apply(Command::DropMessage { id }))
                })
            };
            html! {
                <>
                    <p class="title">
                        <strong>{ env.payload.kind() }</strong>
                        { format!(" {} → {}", node_name(env.from), node_name(env.to)) }
                    </p>
                    <p class="detail">{ describe(&env.payload) }</p>
                    <p class="detail">
                        { format!("sent {}, arrives {}", format_time(env.sent_at as f64), format_time(env.deliver_at as f64)) }
                    </p>
                    <button type="button" onclick={drop}>{ "Drop" }</button>
                </>
            }
        }
        None => html! {
            <p class="detail">{ format!("Message #{id} is no longer in flight: it arrived or was lost.") }</p>
        },
    };
    html! {
        <div class="popover msg-panel" data-popover="" data-msg-panel={id.to_string()}
            role="dialog" aria-label={format!("Message #{id}")}>
            <header>
                <span>{ format!("Message #{id}") }</span>
                <button type="button" class="close" aria-label="Close" onclick={close}>{ "×" }</button>
            </header>
            { body }
        </div>
    }
}

/// The message's fields in the paper's words.
fn describe(msg: &Message) -> String {
    match msg {
        Message::RequestVote {
            term,
            last_log_index,
            last_log_term,
            ..
        } => format!(
            "term {term}; candidate's last log entry: index {last_log_index}, term {last_log_term}"
        ),
        Message::RequestVoteReply { term, vote_granted } => {
            format!(
                "term {term}; vote {}",
                if *vote_granted { "granted" } else { "refused" }
            )
        }
        Message::AppendEntries {
            term,
            prev_log_index,
            prev_log_term,
            entries,
            leader_commit,
            ..
        } => {
            let carried = if entries.is_empty() {
                "no entries (heartbeat)".to_string()
            } else {
                let ops: Vec<String> = entries.iter().map(|e| e.request.op.to_string()).collect();
                format!("{} entries: {}", entries.len(), ops.join(", "))
            };
            format!("term {term}; after index {prev_log_index} (term {prev_log_term}); {carried}; leader commit {leader_commit}")
        }
        Message::AppendEntriesReply {
            term,
            success,
            prev_log_index,
            entry_count,
        } => format!(
            "term {term}; {} for {entry_count} entries after index {prev_log_index}",
            if *success { "success" } else { "refused" }
        ),
        Message::ClientRequest { request } => {
            format!("forwarded client request #{}: {}", request.id, request.op)
        }
    }
}

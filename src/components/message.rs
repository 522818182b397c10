//! One message in flight. Requests are filled, replies hollow; each kind has
//! its own shape and colour (votes round, AppendEntries square, client
//! requests triangular); a refusal carries a cross.

use super::cluster::fmt;
use crate::i18n::{message_kind, use_lang, Lang};
use crate::state::{Action, Dispatch};
use quorum_sim::{node_name, MsgId, NodeId};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct MessageProps {
    pub id: MsgId,
    pub kind: &'static str,
    pub from: NodeId,
    pub to: NodeId,
    pub x: f64,
    pub y: f64,
    pub is_reply: bool,
    /// A reply that refuses (vote not granted, consistency check failed).
    pub failed: bool,
    /// Entries an AppendEntries carries.
    pub entries: usize,
    pub term: Option<u64>,
    pub selected: bool,
    pub dispatch: Dispatch,
}

#[component]
pub fn MessageView(props: &MessageProps) -> Html {
    let MessageProps {
        id,
        kind,
        from,
        to,
        x,
        y,
        is_reply,
        failed,
        entries,
        term,
        selected,
        dispatch,
    } = props;
    let id = *id;
    let lang = use_lang();
    let (from_name, to_name) = (node_name(*from), node_name(*to));
    let shown_kind = message_kind(lang, kind);
    let mut aria = match lang {
        Lang::En => format!("{shown_kind} from {from_name} to {to_name}"),
        Lang::Zh => format!("{shown_kind}：{from_name} → {to_name}"),
    };
    if let Some(term) = term {
        aria.push_str(&lang.t(format!(", term {term}"), format!("，任期 {term}")));
    }
    if *entries > 0 {
        aria.push_str(&lang.t(
            format!(", {entries} entries"),
            format!("，{entries} 个条目"),
        ));
    }
    if *failed {
        aria.push_str(lang.t(", refused", "，已拒绝"));
    }

    let onclick = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            dispatch.emit(Action::SelectMessage(id))
        })
    };
    let onkeydown = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                e.stop_propagation();
                dispatch.emit(Action::SelectMessage(id));
            }
        })
    };

    // Phase 1 of either protocol is round, phase 2 square; the rest triangles.
    let shape = match *kind {
        "RequestVote" | "RequestVoteReply" | "Prepare" | "Promise" | "Nack" => {
            html! { <circle class="shape" r="6.5" /> }
        }
        "AppendEntries" | "AppendEntriesReply" | "Accept" | "Accepted" => {
            html! { <rect class="shape" x="-6" y="-6" width="12" height="12" rx="1.5" /> }
        }
        _ => html! { <path class="shape" d="M0,-8 L7.5,5.5 L-7.5,5.5 Z" /> },
    };
    let cross = failed.then(|| {
        html! {
            <g class="refused">
                <line x1="-3.5" y1="-3.5" x2="3.5" y2="3.5" />
                <line x1="-3.5" y1="3.5" x2="3.5" y2="-3.5" />
            </g>
        }
    });
    let count = (*entries > 0).then(|| {
        html! { <text class="count" x="9" y="-7">{ format!("+{entries}") }</text> }
    });
    let kind_class = format!("kind-{}", kind.to_ascii_lowercase());
    html! {
        <g class={classes!("msg", kind_class, if *is_reply { "reply" } else { "request" }, selected.then_some("selected"))}
            transform={format!("translate({} {})", fmt(*x), fmt(*y))}
            data-msg-id={id.to_string()} data-msg-kind={*kind}
            data-from={from.to_string()} data-to={to.to_string()}
            role="button" tabindex="0" aria-label={aria}
            {onclick} {onkeydown}>
            // A generous invisible target, so a moving message is easy to click.
            <circle class="hit" r="12" />
            { selected.then(|| html! { <circle class="halo" r="11" /> }) }
            { shape }
            { cross }
            { count }
        </g>
    }
}

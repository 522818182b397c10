//! The messages in flight, as one layer.
//!
//! Each message is drawn once, when it is sent, with where it leaves, where
//! it arrives and when (as CSS custom properties); the layer carries only
//! the moment shown, `--now`, and the browser's style engine places every
//! message from it (`static/style.css`, `.msg`). So a frame costs one
//! attribute for all messages in flight, not a diff and a layout per
//! message, and a message that did not change is never touched again.
//! Requests are filled, replies hollow; each kind has its own shape and
//! colour; a refusal carries a cross.

use super::ring::message_path;
use super::{fmt, Shared};
use crate::i18n::{use_lang, Lang};
use crate::run::view::{MessageGlyph, Shape};
use crate::state::{Action, Dispatch};
use quorum_sim::{node_name, MsgId};
use yew::prelude::*;

/// Virtual microseconds as the layer's clock counts them: milliseconds, so
/// that an hour-long run stays well inside what CSS numbers hold exactly.
pub fn css_ms(micros: f64) -> String {
    format!("{:.3}", micros / 1000.0)
}

#[derive(Properties, PartialEq)]
pub struct MessageLayerProps {
    pub messages: Shared<Vec<MessageGlyph>>,
    /// The ring's size.
    pub n: usize,
    /// The moment shown, in virtual µs.
    pub now: f64,
    pub selected: Option<MsgId>,
    pub dispatch: Dispatch,
}

#[component]
pub fn MessageLayer(props: &MessageLayerProps) -> Html {
    let MessageLayerProps {
        messages,
        n,
        now,
        selected,
        dispatch,
    } = props;
    html! {
        <g class="messages" style={format!("--now:{}", css_ms(*now))}>
            <MessageList messages={messages.clone()} n={*n} selected={*selected} dispatch={dispatch.clone()} />
        </g>
    }
}

#[derive(Properties, PartialEq)]
struct MessageListProps {
    messages: Shared<Vec<MessageGlyph>>,
    n: usize,
    selected: Option<MsgId>,
    dispatch: Dispatch,
}

/// The messages themselves: drawn again only when the set in flight changes,
/// and then only the messages that changed.
#[component]
fn MessageList(props: &MessageListProps) -> Html {
    let messages = props.messages.iter().map(|glyph| {
        html! {
            <MessageView key={glyph.id} glyph={*glyph} n={props.n}
                selected={props.selected == Some(glyph.id)} dispatch={props.dispatch.clone()} />
        }
    });
    html! { <>{ for messages }</> }
}

#[derive(Properties, PartialEq)]
struct MessageViewProps {
    glyph: MessageGlyph,
    n: usize,
    selected: bool,
    dispatch: Dispatch,
}

/// What a screen reader says of a message.
pub fn message_label(g: &MessageGlyph, lang: Lang) -> String {
    let (from, to) = (node_name(g.from), node_name(g.to));
    let mut label = match lang {
        Lang::En => format!("{} from {from} to {to}", g.kind_text),
        Lang::Zh => format!("{}：{from} → {to}", g.kind_text),
    };
    if let Some((word, number)) = g.number {
        label.push_str(&lang.t(format!(", {word} {number}"), format!("，{word} {number}")));
    }
    if g.carries > 0 {
        let n = g.carries;
        label.push_str(&lang.t(format!(", {n} entries"), format!("，{n} 个条目")));
    }
    if g.refused {
        label.push_str(lang.t(", refused", "，已拒绝"));
    }
    label
}

#[component]
fn MessageView(props: &MessageViewProps) -> Html {
    let MessageViewProps {
        glyph,
        n,
        selected,
        dispatch,
    } = props;
    let id = glyph.id;
    let lang = use_lang();
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
    let shape = match glyph.shape {
        Shape::Circle => html! { <circle class="shape" r="6.5" /> },
        Shape::Square => {
            html! { <rect class="shape" x="-6" y="-6" width="12" height="12" rx="1.5" /> }
        }
        Shape::Diamond => html! { <path class="shape" d="M0,-8 L8,0 L0,8 L-8,0 Z" /> },
        Shape::Triangle => html! { <path class="shape" d="M0,-8 L7.5,5.5 L-7.5,5.5 Z" /> },
    };
    let cross = glyph.refused.then(|| {
        html! {
            <g class="refused">
                <line x1="-3.5" y1="-3.5" x2="3.5" y2="3.5" />
                <line x1="-3.5" y1="3.5" x2="3.5" y2="-3.5" />
            </g>
        }
    });
    let count = (glyph.carries > 0).then(|| {
        html! { <text class="count" x="9" y="-7">{ format!("+{}", glyph.carries) }</text> }
    });
    let ((x0, y0), (x1, y1)) = message_path(glyph.from, glyph.to, *n);
    let span = (glyph.deliver_at.saturating_sub(glyph.sent_at) as f64).max(1.0);
    let style = format!(
        "--s:{};--d:{};--x0:{};--y0:{};--x1:{};--y1:{}",
        css_ms(glyph.sent_at as f64),
        css_ms(span),
        fmt(x0),
        fmt(y0),
        fmt(x1),
        fmt(y1)
    );
    let classes = classes!(
        "msg",
        format!("fam-{}", glyph.family),
        format!("kind-{}", glyph.kind.to_ascii_lowercase()),
        if glyph.reply { "reply" } else { "request" },
        selected.then_some("selected"),
    );
    html! {
        <g class={classes} {style}
            data-msg-id={id.to_string()} data-msg-kind={glyph.kind}
            data-from={glyph.from.to_string()} data-to={glyph.to.to_string()}
            role="button" tabindex="0" aria-label={message_label(glyph, lang)}
            {onclick} {onkeydown}>
            // A generous invisible target, so a moving message is easy to click.
            <circle class="hit" r="12" />
            if *selected { <circle class="halo" r="11" /> }
            { shape }
            { cross }
            { count }
        </g>
    }
}

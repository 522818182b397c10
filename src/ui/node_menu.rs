//! The menu a click on a server opens: what it knows, and what can be done
//! to it (crash or restart, isolate or rejoin, time out, a client request),
//! each refusal said next to its button.
//!
//! Where it stands: beside the ring (the first thing of the column next to
//! it), or below the ring where the page is one column (a phone), never on
//! top of the servers and messages it acts on. Opened, it scrolls itself
//! into view if it is not ([`use_into_view`]); the message inspector does
//! the same.

use super::Shared;
use crate::i18n::use_lang;
use crate::run::view::{Act, Menu};
use crate::state::{Action, Dispatch};
use quorum_sim::node_name;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NodeMenuProps {
    pub menu: Shared<Menu>,
    /// The run is paused because this menu opened (it plays again on close).
    pub held: bool,
    pub dispatch: Dispatch,
}

/// Brings the element into view when `key` (what it shows) changes, by as
/// little as it takes: on a wide page, beside the ring, it already is.
#[hook]
pub fn use_into_view<K: PartialEq + 'static>(key: K) -> NodeRef {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(key, move |_| {
            let Some(el) = node.cast::<web_sys::Element>() else {
                return;
            };
            let height = web_sys::window()
                .and_then(|w| w.inner_height().ok())
                .and_then(|h| h.as_f64())
                .unwrap_or(0.0);
            let r = el.get_bounding_client_rect();
            if r.top() < 0.0 || (r.bottom() > height && r.height() > height) {
                el.scroll_into_view_with_bool(true);
            } else if r.bottom() > height {
                el.scroll_into_view_with_bool(false);
            }
        });
    }
    node
}

/// What a menu or an inspector says while it holds the run paused, with a
/// button that closes it and plays on (what was done from the menu, a
/// request or a crash, is only seen to unfold once the run plays).
pub fn held_note(held: bool, lang: crate::i18n::Lang, dispatch: &Dispatch) -> Html {
    if !held {
        return html! {};
    }
    let dispatch = dispatch.clone();
    let onclick = Callback::from(move |_: MouseEvent| dispatch.emit(Action::Deselect));
    html! {
        <p class="held-note" data-held="">
            <span>{ lang.t(
                "Paused while this is open. What you choose here happens at once; the messages it sends travel when the run plays again.",
                "打开期间运行暂停。你在这里选的操作会立即生效；它发出的消息要等继续播放时才会送达。",
            ) }</span>
            <button type="button" class="play-on" data-play-on="" {onclick}>
                { lang.t("Close and play ▶", "关闭并继续 ▶") }
            </button>
        </p>
    }
}

#[component]
pub fn NodeMenu(props: &NodeMenuProps) -> Html {
    let NodeMenuProps {
        menu,
        held,
        dispatch,
    } = props;
    let lang = use_lang();
    let node = menu.node;
    let into_view = use_into_view(node);
    let facts = menu.facts.iter().map(|(term, value)| {
        html! { <><dt>{ term }</dt><dd>{ value }</dd></> }
    });
    let buttons = menu.actions.iter().map(|a| {
        let action = match &a.act {
            Act::Command(c) => Action::Apply(c.clone()),
            Act::ClientRequest(node) => Action::ClientRequest { node: *node },
        };
        let dispatch = dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| dispatch.emit(action.clone()));
        html! {
            <li>
                <button type="button" disabled={a.refusal.is_some()} {onclick}
                    title={a.refusal.clone()}>{ &a.label }</button>
                if let Some(reason) = &a.refusal {
                    <span class="reason">{ reason }</span>
                }
            </li>
        }
    });
    let close = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Deselect))
    };
    let name = node_name(node);
    html! {
        <div class={classes!("panel", "popover", "node-menu")} data-popover="" data-node-menu={node.to_string()}
            ref={into_view}
            role="dialog" aria-label={lang.t(format!("{name} actions"), format!("{name} 的操作"))}>
            <header>
                <strong>{ &menu.title }</strong>
                <button type="button" class="close" aria-label={lang.t("Close", "关闭")} onclick={close}>{ "×" }</button>
            </header>
            { held_note(*held, lang, dispatch) }
            <dl>{ for facts }</dl>
            <ul class="actions">{ for buttons }</ul>
        </div>
    }
}

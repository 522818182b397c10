//! The menu a click on a server opens: what it knows, and what can be done
//! to it (crash or restart, isolate or rejoin, time out, a client request),
//! each refusal said next to its button.

use super::ring::as_percent;
use super::Shared;
use crate::i18n::use_lang;
use crate::run::view::{Act, Menu};
use crate::state::{Action, Dispatch};
use quorum_sim::node_name;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NodeMenuProps {
    pub menu: Shared<Menu>,
    /// The server's position in the ring's view box.
    pub x: f64,
    pub y: f64,
    /// The view box's half side.
    pub half: f64,
    pub dispatch: Dispatch,
}

#[component]
pub fn NodeMenu(props: &NodeMenuProps) -> Html {
    let NodeMenuProps {
        menu,
        x,
        y,
        half,
        dispatch,
    } = props;
    let lang = use_lang();
    let node = menu.node;
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
    // Open towards the centre of the ring, so the menu stays inside the drawing.
    let (left, top) = as_percent(*x, *y, *half);
    let side = if *x > 1.0 { "to-left" } else { "to-right" };
    let vertical = if *y < -100.0 {
        "below"
    } else if *y > 100.0 {
        "above"
    } else {
        "middle"
    };
    let name = node_name(node);
    html! {
        <div class={classes!("popover", "node-menu", side, vertical)} data-popover="" data-node-menu={node.to_string()}
            role="dialog" aria-label={lang.t(format!("{name} actions"), format!("{name} 的操作"))}
            style={format!("left:{}%;top:{}%", super::num::fixed(left, 2), super::num::fixed(top, 2))}>
            <header>
                <strong>{ &menu.title }</strong>
                <button type="button" class="close" aria-label={lang.t("Close", "关闭")} onclick={close}>{ "×" }</button>
            </header>
            <dl>{ for facts }</dl>
            <ul class="actions">{ for buttons }</ul>
        </div>
    }
}

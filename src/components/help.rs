//! The keyboard help (`?`): every key the page answers to.

use crate::state::{Action, Dispatch};
use yew::prelude::*;

/// Each key and what it does, in the order the help lists them.
pub const KEYS: [(&str, &str); 11] = [
    ("Space or .", "Play / pause (presenter remotes send .)"),
    ("→", "Step one event forward"),
    ("←", "Step one event back"),
    ("C", "Client request to the leader"),
    ("R", "Restart the leader (crash it and start it again)"),
    ("B", "Bring back every crashed server"),
    (
        "T",
        "Spread the election timers: one server times out first",
    ),
    ("A", "Align the election timers: a split vote"),
    ("1 – 9", "Select a server"),
    ("?", "Show or hide these keys"),
    ("Esc", "Close menus and this help"),
];

#[derive(Properties, PartialEq)]
pub struct HelpProps {
    pub dispatch: Dispatch,
}

#[component]
pub fn Help(props: &HelpProps) -> Html {
    let close = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::ToggleHelp))
    };
    let rows = KEYS.iter().map(|(key, what)| {
        html! { <tr><th scope="row"><kbd>{ *key }</kbd></th><td>{ *what }</td></tr> }
    });
    html! {
        <div class="help" data-help="" role="dialog" aria-label="Keyboard shortcuts">
            <header>
                <strong>{ "Keyboard shortcuts" }</strong>
                <button type="button" class="close" aria-label="Close" onclick={close}>{ "×" }</button>
            </header>
            <table>{ for rows }</table>
            <p class="hint">{ "Click a server for its menu and inspector; click a message to inspect, drop, duplicate or delay it." }</p>
        </div>
    }
}

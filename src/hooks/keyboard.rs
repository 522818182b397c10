//! Page-wide keys, as RaftScope has them and more: Space or `.` (what
//! presenter remotes send) plays and pauses; PageDown / PageUp (a remote's
//! other two buttons) go to a scenario's next / previous step; `P` enters or
//! leaves presenter mode; ← / → step one event; `C` sends
//! a client request to the leader; `R` restarts the leader; `B` restarts
//! every crashed server; `T` spreads and
//! `A` aligns the election timers; `1`-`9` select a server; `?` shows the
//! keys; Escape closes whatever is open.

use crate::state::{Action, Dispatch};
use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[hook]
pub fn use_keyboard(dispatch: Dispatch) {
    use_effect_with(dispatch, move |dispatch| {
        let dispatch = dispatch.clone();
        let listener = web_sys::window().and_then(|w| w.document()).map(|doc| {
            EventListener::new_with_options(
                &doc,
                "keydown",
                EventListenerOptions::enable_prevent_default(),
                move |event| {
                    let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    if event.ctrl_key() || event.meta_key() || event.alt_key() {
                        return;
                    }
                    let target = event
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                    let key = event.key();
                    let action = match key.as_str() {
                        // Space on a button, a link or a node activates that instead.
                        " " if target.as_ref().is_some_and(handles_space) => None,
                        "Escape" => Some(Action::Deselect),
                        _ if target.as_ref().is_some_and(takes_text) => None,
                        "ArrowLeft" | "ArrowRight" if target.as_ref().is_some_and(takes_arrows) => {
                            None
                        }
                        _ => key_action(&key),
                    };
                    if let Some(action) = action {
                        if action != Action::Deselect {
                            event.prevent_default();
                        }
                        if action == Action::TogglePresent {
                            // Full screen needs the key press itself; it follows presenter mode.
                            let presenting = web_sys::window()
                                .and_then(|w| w.document())
                                .and_then(|d| d.query_selector("[data-app]").ok().flatten())
                                .and_then(|app| app.get_attribute("data-present"))
                                .is_some_and(|p| p == "true");
                            crate::app::set_fullscreen(!presenting);
                        }
                        dispatch.emit(action);
                    }
                },
            )
        });
        move || drop(listener)
    });
}

/// What a key does when nothing focused wants it.
pub fn key_action(key: &str) -> Option<Action> {
    Some(match key {
        " " | "." => Action::TogglePlay,
        "PageDown" => Action::NextStep,
        "PageUp" => Action::PrevStep,
        "p" | "P" => Action::TogglePresent,
        "ArrowRight" => Action::Step,
        "ArrowLeft" => Action::StepBack,
        "c" | "C" => Action::RequestToLeader,
        "r" | "R" => Action::RestartLeader,
        "b" | "B" => Action::RestartAll,
        "t" | "T" => Action::SpreadTimers,
        "a" | "A" => Action::AlignTimers,
        "?" => Action::ToggleHelp,
        _ => {
            let digit = key.parse::<usize>().ok().filter(|d| (1..=9).contains(d))?;
            Action::SelectNode(digit - 1)
        }
    })
}

fn handles_space(el: &web_sys::Element) -> bool {
    el.closest("button, a, select, textarea, input:not([type=range]), [role=button]")
        .ok()
        .flatten()
        .is_some()
}

/// Elements that take typing: every key but Escape is theirs.
fn takes_text(el: &web_sys::Element) -> bool {
    el.closest("textarea, input:not([type=range]):not([type=button]):not([type=checkbox]), [contenteditable]")
        .ok()
        .flatten()
        .is_some()
}

/// Sliders and lists move with the arrow keys; other keys still reach the page.
fn takes_arrows(el: &web_sys::Element) -> bool {
    el.closest("select, input[type=range]")
        .ok()
        .flatten()
        .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raftscope_keys_and_presenter_keys_map_to_actions() {
        assert_eq!(key_action("."), Some(Action::TogglePlay));
        assert_eq!(key_action(" "), Some(Action::TogglePlay));
        assert_eq!(key_action("ArrowLeft"), Some(Action::StepBack));
        assert_eq!(key_action("C"), Some(Action::RequestToLeader));
        assert_eq!(key_action("b"), Some(Action::RestartAll));
        assert_eq!(key_action("3"), Some(Action::SelectNode(2)));
        assert_eq!(key_action("PageDown"), Some(Action::NextStep));
        assert_eq!(key_action("PageUp"), Some(Action::PrevStep));
        assert_eq!(key_action("p"), Some(Action::TogglePresent));
        assert_eq!(key_action("0"), None);
        assert_eq!(key_action("x"), None);
    }
}

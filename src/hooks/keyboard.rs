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
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[hook]
pub fn use_keyboard(dispatch: Dispatch) {
    use_effect_with(dispatch, move |dispatch| {
        let dispatch = dispatch.clone();
        let doc = web_sys::window().and_then(|w| w.document());
        // The control last pressed with a pointer: it keeps the focus, but
        // Space is then play / pause, not a second press (see `space_is_theirs`).
        let pressed: Rc<RefCell<Option<web_sys::Element>>> = Rc::default();
        let on_pointer = doc.as_ref().map(|doc| {
            let pressed = pressed.clone();
            let options = EventListenerOptions::run_in_capture_phase();
            EventListener::new_with_options(doc, "pointerdown", options, move |event| {
                let control = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .and_then(|el| el.closest(BUTTONS).ok().flatten());
                *pressed.borrow_mut() = control;
            })
        });
        // Space first, before the focused element's own handler can take it.
        let on_space = doc.as_ref().map(|doc| {
            let pressed = pressed.clone();
            let dispatch = dispatch.clone();
            let options = EventListenerOptions {
                phase: gloo_events::EventListenerPhase::Capture,
                passive: false,
            };
            EventListener::new_with_options(doc, "keydown", options, move |event| {
                let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                    return;
                };
                if event.key() == "Tab" {
                    // Focus moves by the keyboard now: Space presses what it reaches.
                    *pressed.borrow_mut() = None;
                    return;
                }
                if event.key() != " " || event.ctrl_key() || event.meta_key() || event.alt_key() {
                    return;
                }
                let target = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                let theirs = target
                    .as_ref()
                    .is_some_and(|el| space_is_theirs(el, pressed.borrow().as_ref()));
                if !theirs {
                    event.prevent_default();
                    event.stop_propagation();
                    dispatch.emit(Action::TogglePlay);
                }
            })
        });
        let listener = doc.map(|doc| {
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
                        // Space is played and paused above, or is the element's own.
                        " " => None,
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
        move || drop((listener, on_space, on_pointer))
    });
}

/// What Space presses when the keyboard reached it.
const BUTTONS: &str = "button, a, [role=button]";

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

/// Whether Space belongs to the focused element rather than to play / pause:
/// typing, opening a list, ticking a box, opening a disclosure; and pressing
/// a button (a server, a message) the person reached with the keyboard. A
/// button just clicked or tapped (`pressed`) keeps the focus, but Space then
/// still means play / pause, as on RaftScope, not pressing "Crash" again.
fn space_is_theirs(el: &web_sys::Element, pressed: Option<&web_sys::Element>) -> bool {
    let within = |selector: &str| el.closest(selector).ok().flatten();
    if within(
        "select, textarea, input:not([type=range]):not([type=button]), summary, [contenteditable]",
    )
    .is_some()
    {
        return true;
    }
    match within(BUTTONS) {
        Some(button) => pressed != Some(&button),
        None => false,
    }
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

//! Page-wide keys: Space or `.` plays and pauses; Escape closes a popover.

use crate::state::{Action, State};
use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[hook]
pub fn use_keyboard(dispatch: UseReducerDispatcher<State>) {
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
                    match event.key().as_str() {
                        // Space on a button, a link or a node activates that instead.
                        " " if !target.as_ref().is_some_and(handles_space) => {
                            event.prevent_default();
                            dispatch.dispatch(Action::TogglePlay);
                        }
                        "." if !target.as_ref().is_some_and(takes_text) => {
                            event.prevent_default();
                            dispatch.dispatch(Action::TogglePlay);
                        }
                        "Escape" => dispatch.dispatch(Action::Deselect),
                        _ => {}
                    }
                },
            )
        });
        move || drop(listener)
    });
}

fn handles_space(el: &web_sys::Element) -> bool {
    el.closest("button, a, select, textarea, input:not([type=range]), [role=button]")
        .ok()
        .flatten()
        .is_some()
}

fn takes_text(el: &web_sys::Element) -> bool {
    el.closest("textarea, input:not([type=range]):not([type=button]), [contenteditable]")
        .ok()
        .flatten()
        .is_some()
}

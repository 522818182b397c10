//! Clicking anywhere but a node, a message, an open popover, the inspector or
//! the time controls closes the popover and the inspector. Scrubbing the
//! timeline or stepping while inspecting keeps the inspector open.

use crate::state::{Action, Dispatch};
use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// What a click may land on without closing the node menu or message panel.
const KEEPS_SELECTION: &str =
    "[data-node-id], [data-msg-id], [data-popover], [data-inspector], [data-timeline], .controls, [data-help], [data-glossary], [data-tour]";

#[hook]
pub fn use_dismiss_on_outside_click(open: bool, dispatch: Dispatch) {
    use_effect_with((open, dispatch), move |(open, dispatch)| {
        let dispatch = dispatch.clone();
        let listener = open
            .then(|| web_sys::window().and_then(|w| w.document()))
            .flatten()
            .map(|doc| {
                // In the capture phase, before the click's own handler can
                // re-render and detach the element that was clicked.
                let options = EventListenerOptions::run_in_capture_phase();
                EventListener::new_with_options(&doc, "click", options, move |event| {
                    let inside = event
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .and_then(|el| el.closest(KEEPS_SELECTION).ok().flatten())
                        .is_some();
                    if !inside {
                        dispatch.emit(Action::Deselect);
                    }
                })
            });
        move || drop(listener)
    });
}

//! A file dropped anywhere on the page is read and handed over (to import a run).

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Calls `on_file` with the bytes of a file dropped on the page; `dragging`
/// says whether a file is being dragged over it (to show where to drop).
#[hook]
pub fn use_file_drop(on_file: Callback<Vec<u8>>) -> bool {
    let dragging = use_state(|| false);
    {
        let dragging = dragging.clone();
        use_effect_with(on_file, move |on_file| {
            let doc = web_sys::window().and_then(|w| w.document());
            let listeners = doc.map(|doc| {
                let opts = EventListenerOptions::enable_prevent_default();
                let over = {
                    let dragging = dragging.clone();
                    EventListener::new_with_options(&doc, "dragover", opts, move |e| {
                        let Some(e) = e.dyn_ref::<web_sys::DragEvent>() else {
                            return;
                        };
                        let has_file = e
                            .data_transfer()
                            .is_some_and(|d| d.types().includes(&"Files".into(), 0));
                        if has_file {
                            // Without this the browser opens the file instead.
                            e.prevent_default();
                            if !*dragging {
                                dragging.set(true);
                            }
                        }
                    })
                };
                let leave = {
                    let dragging = dragging.clone();
                    EventListener::new(&doc, "dragleave", move |e| {
                        // Leaving the window, not moving between elements.
                        let out = e
                            .dyn_ref::<web_sys::DragEvent>()
                            .is_some_and(|e| e.related_target().is_none());
                        if out {
                            dragging.set(false);
                        }
                    })
                };
                let drop = {
                    let on_file = on_file.clone();
                    EventListener::new_with_options(&doc, "drop", opts, move |e| {
                        let Some(e) = e.dyn_ref::<web_sys::DragEvent>() else {
                            return;
                        };
                        let file = e
                            .data_transfer()
                            .and_then(|d| d.files())
                            .and_then(|files| files.get(0));
                        if let Some(file) = file {
                            e.prevent_default();
                            crate::ui::run_file::read_file(&file, on_file.clone());
                        }
                        dragging.set(false);
                    })
                };
                [over, leave, drop]
            });
            move || drop(listeners)
        });
    }
    *dragging
}

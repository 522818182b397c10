//! Whether the page is on screen at all: an embedded view scrolled out of
//! sight runs nothing (an `IntersectionObserver` on the page's root).

use wasm_bindgen::prelude::*;
use yew::prelude::*;

/// True while any part of the document's body is inside the viewport, as
/// seen from the top-level page (an iframe scrolled away is not in view).
/// Without `IntersectionObserver` the page counts as always in view.
#[hook]
pub fn use_in_view() -> bool {
    let in_view = use_state(|| true);
    {
        let in_view = in_view.clone();
        use_effect_with((), move |_| {
            let observer = observe(move |visible| in_view.set(visible));
            move || {
                if let Some((observer, _callback)) = observer {
                    observer.disconnect();
                }
            }
        });
    }
    *in_view
}

type Observer = (
    web_sys::IntersectionObserver,
    Closure<dyn FnMut(js_sys::Array)>,
);

fn observe(on_change: impl Fn(bool) + 'static) -> Option<Observer> {
    let body = web_sys::window()?.document()?.body()?;
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        // The newest entry says how things stand now.
        if let Some(last) = entries.iter().last() {
            let entry: web_sys::IntersectionObserverEntry = last.unchecked_into();
            on_change(entry.is_intersecting());
        }
    });
    let observer = web_sys::IntersectionObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    observer.observe(&body);
    Some((observer, callback))
}

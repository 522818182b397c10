//! The run's identity and health: seed, size, trace hash, safety.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StatusBarProps {
    pub seed: u64,
    pub nodes: usize,
    pub trace_hash: String,
    pub events: u64,
    /// The first broken safety property, if any.
    pub violation: Option<String>,
    /// The safety properties checked, and after how many events.
    pub properties: &'static [&'static str],
    pub checked: u64,
    /// The address that opens a new run with this seed.
    pub link: String,
    /// The address that reopens this very run at the moment shown, once asked for.
    pub share: Option<String>,
    pub on_share: Callback<()>,
}

#[component]
pub fn StatusBar(props: &StatusBarProps) -> Html {
    let StatusBarProps {
        seed,
        nodes,
        trace_hash,
        events,
        violation,
        properties,
        checked,
        link,
        share,
        on_share,
    } = props;
    // A new link goes to the clipboard too, where the browser allows it.
    use_effect_with(share.clone(), |share| {
        if let Some(url) = share {
            copy_to_clipboard(url);
        }
    });
    let copy = {
        let on_share = on_share.clone();
        Callback::from(move |_: MouseEvent| on_share.emit(()))
    };
    let safety = match violation {
        None => html! {
            <span class="safety ok" data-safety="ok"
                title={format!("Checked after every event ({checked} so far): {}", properties.join(", "))}>
                { "✓ safety holds" }
            </span>
        },
        Some(v) => html! {
            <span class="safety violated" data-safety="violated" role="alert">{ format!("✗ {v}") }</span>
        },
    };
    html! {
        <footer class="status">
            <span>{ "seed " }<code data-seed-value="">{ seed }</code></span>
            <span>{ format!("{nodes} servers") }</span>
            <span>{ "trace " }<code>{ trace_hash }</code></span>
            <span>{ format!("{events} events") }</span>
            { safety }
            <a href={link.clone()} title="A new run with this seed and size">{ "same seed" }</a>
            <button type="button" class="share" onclick={copy}
                title="A link to this run, every action and the moment shown included">{ "Copy link" }</button>
            if let Some(url) = share {
                <input class="share-link" type="text" readonly=true value={url.clone()}
                    aria-label="Link to this run" data-share-link={url.clone()} />
            }
        </footer>
    }
}

fn copy_to_clipboard(text: &str) {
    use wasm_bindgen::prelude::*;
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = window.navigator().clipboard().write_text(text);
    // Refused (no permission, page not focused): the link is still shown to copy by hand.
    let ignore = Closure::<dyn FnMut(JsValue)>::new(|_| {});
    let _ = promise.catch(&ignore);
    ignore.forget();
}

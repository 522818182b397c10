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
    /// The address that reopens this run.
    pub link: String,
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
    } = props;
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
            <a href={link.clone()}>{ "link to this run" }</a>
        </footer>
    }
}

//! The page: reads the run's parameters, owns the state, wires the clock and
//! the keyboard, and lays out the components.

use crate::components::cluster::Cluster;
use crate::components::controls::Controls;
use crate::components::event_feed::EventFeed;
use crate::components::log_table::{log_rows, LogTable};
use crate::components::status_bar::StatusBar;
use crate::hooks::{use_animation_clock, use_dismiss_on_outside_click, use_keyboard};
use crate::state::{Action, Selection, State};
use crate::url::{parse_query, RunParams};
use yew::prelude::*;

/// The run's parameters, with a seed picked now if the address has none.
#[derive(Clone, Debug, PartialEq)]
struct Run {
    params: RunParams,
    seed: u64,
}

fn read_run() -> Run {
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let params = parse_query(&query);
    // Small enough to read out and type back in.
    let seed = params
        .seed
        .unwrap_or_else(|| (js_sys::Math::random() * 1_000_000_000.0) as u64);
    Run { params, seed }
}

#[component]
pub fn App() -> Html {
    let run = use_memo((), |_| read_run());
    let state = {
        let run = run.clone();
        use_reducer(move || {
            State::new(run.params.nodes, run.seed)
                .expect("the page offers only cluster sizes the simulation accepts")
        })
    };
    let dispatch = state.dispatcher();
    if run.params.debug_panic {
        panic!("the address asked for a panic (debug=panic)");
    }

    let on_frame = {
        let dispatch = dispatch.clone();
        Callback::from(move |real_ms: f64| dispatch.dispatch(Action::Tick { real_ms }))
    };
    use_animation_clock(state.playing, on_frame);
    use_keyboard(dispatch.clone());
    use_dismiss_on_outside_click(state.selection != Selection::None, dispatch.clone());

    let sim = &state.sim;
    let url_error = (!run.params.errors.is_empty()).then(|| {
        let items = run.params.errors.iter().map(|e| html! { <li>{ e }</li> });
        html! {
            <div class="url-error" data-url-error="" role="alert">
                <strong>{ "Some of the address's parameters were not usable:" }</strong>
                <ul>{ for items }</ul>
            </div>
        }
    });
    let notice = state.notice.as_ref().map(|text| {
        let dismiss = {
            let dispatch = dispatch.clone();
            Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::DismissNotice))
        };
        html! {
            <div class="notice" data-notice="" role="status">
                <span>{ text }</span>
                <button type="button" class="close" aria-label="Dismiss" onclick={dismiss}>{ "×" }</button>
            </div>
        }
    });

    html! {
        <div class="app" data-app=""
            data-trace-hash={sim.trace_hash_hex()}
            data-virtual-time={sim.now().to_string()}
            data-seed={run.seed.to_string()}
            data-nodes={sim.nodes().len().to_string()}
            data-playing={state.playing.to_string()}>
            <header class="top">
                <h1>{ "Quorum — Raft" }</h1>
                <Controls playing={state.playing} speed_pos={state.speed_pos}
                    now={state.display_now} dispatch={dispatch.clone()} />
            </header>
            { url_error }
            <main>
                <section class="stage" aria-label="Cluster">
                    { notice }
                    <Cluster sim={state.shared_sim()} now={state.display_now}
                        selection={state.selection} dispatch={dispatch.clone()} />
                    if !matches!(state.selection, Selection::Message(_)) {
                        <Legend />
                    }
                </section>
                <div class="side">
                    <LogTable rows={log_rows(sim)} />
                    <EventFeed feed={state.feed.clone()} />
                </div>
            </main>
            <StatusBar seed={run.seed} nodes={sim.nodes().len()}
                trace_hash={sim.trace_hash_hex()} events={sim.events_processed()}
                violation={state.violation().map(|v| v.to_string())} />
        </div>
    }
}

/// What the shapes on the ring mean.
#[component]
fn Legend() -> Html {
    html! {
        <ul class="legend-ring" aria-label="Legend">
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><circle class="lg vote" r="5.5" /></svg>{ "RequestVote" }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><rect class="lg append" x="-5" y="-5" width="10" height="10" /></svg>{ "AppendEntries" }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><path class="lg client" d="M0,-6.5 L6,4.5 L-6,4.5 Z" /></svg>{ "client request" }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><circle class="lg vote reply" r="5" /></svg>{ "hollow: a reply" }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><circle class="lg timer" r="6" /></svg>{ "ring: election timer" }</li>
        </ul>
    }
}

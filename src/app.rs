//! The page: reads the run's parameters, picks the protocol's page, owns the
//! state, wires the clock and the keyboard, and lays out the components.

use crate::components::cluster::Cluster;
use crate::components::controls::Controls;
use crate::components::event_feed::EventFeed;
use crate::components::faults::Faults;
use crate::components::help::Help;
use crate::components::inspect::{MessageInspector, NodeInspector};
use crate::components::legend::{Legend, MpLegend, PaxosLegend};
use crate::components::log_table::{log_rows, LogTable};
use crate::components::multipaxos_view::{chosen_slots, MpLog, MpRing};
use crate::components::paxos_view::{chosen_of, PaxosPanel, PaxosRing};
use crate::components::status_bar::StatusBar;
use crate::components::timeline_bar::TimelineBar;
use crate::hooks::{use_animation_clock, use_dismiss_on_outside_click, use_keyboard};
use crate::i18n::{browser_lang, use_lang, Lang, LangSwitch, SetLang};
use crate::protocols::Viewed;
use crate::state::{Action, Dispatch, Selection, State};
use crate::url::{parse_query, paxos_query, query_for, Algo, RunParams};
use quorum_sim::multipaxos::MultiPaxos;
use quorum_sim::paxos::{Paxos, PaxosConfig};
use quorum_sim::raft::Raft;
use quorum_sim::SimConfig;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The run's parameters, with a seed picked now if the address has none.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
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
    if run.params.debug_panic {
        panic!("the address asked for a panic (debug=panic)");
    }
    let lang = {
        let chosen = run.params.lang;
        use_state(move || chosen.or_else(browser_lang).unwrap_or_default())
    };
    let set_lang = {
        let lang = lang.clone();
        use_callback((), move |l: Lang, _| {
            lang.set(l);
            set_query_param("lang", l.code());
        })
    };
    // The document says which language it is in (screen readers, fonts, hyphenation).
    use_effect_with(*lang, |lang| {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", lang.tag());
        }
    });
    let run = (*run).clone();
    let page = match run.params.algo {
        Algo::Raft => html! { <RaftPage {run} /> },
        Algo::Paxos => html! { <PaxosPage {run} /> },
        Algo::MultiPaxos => html! { <MultiPaxosPage {run} /> },
    };
    html! {
        <ContextProvider<Lang> context={*lang}>
            <ContextProvider<SetLang> context={SetLang(set_lang)}>
                { page }
            </ContextProvider<SetLang>>
        </ContextProvider<Lang>>
    }
}

/// Sets one parameter of the address in place (no reload, no history entry).
fn set_query_param(key: &str, value: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(search) = window.location().search() else {
        return;
    };
    let query = crate::url::with_param(&search, key, value);
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&query));
    }
}

#[derive(Properties, PartialEq)]
pub struct PageProps {
    pub run: Run,
}

/// What every protocol's page does: the state, a dispatch callback, the
/// animation clock, the keys, closing popovers on an outside click, and the
/// address following the run.
#[hook]
fn use_run<P: Viewed>(
    shared: Option<String>,
    make: impl FnOnce() -> State<P> + 'static,
    address: impl Fn(usize) -> String + 'static,
) -> (UseReducerHandle<State<P>>, Dispatch) {
    // A shared run if the address carries one that works; else a new run, saying why.
    let state = use_reducer(move || match shared {
        None => make(),
        Some(link) => State::from_shared(&link).unwrap_or_else(|e| State {
            notice: Some(crate::i18n::text(
                format!("The run in the link could not be used: {e}. This is a new run."),
                format!("链接中的运行无法使用：{e}。这是一次新的运行。"),
            )),
            ..make()
        }),
    });
    // Components get a callback, not the reducer: they do not depend on the protocol's state.
    let dispatch: Dispatch = {
        let reducer = state.dispatcher();
        use_callback((), move |action: Action, _| reducer.dispatch(action))
    };
    let on_frame = {
        let dispatch = dispatch.clone();
        Callback::from(move |real_ms: f64| dispatch.emit(Action::Tick { real_ms }))
    };
    use_animation_clock(state.playing, on_frame);
    use_keyboard(dispatch.clone());
    use_dismiss_on_outside_click(state.selection != Selection::None, dispatch.clone());
    // A new cluster size is a new run: the address follows, so a reload keeps it.
    let nodes = state.sim().nodes().len();
    let first = use_mut_ref(|| true);
    use_effect_with(nodes, move |&nodes| {
        // An address carrying a shared run stays as it is until the size changes.
        let keep = std::mem::replace(&mut *first.borrow_mut(), false)
            && web_sys::window()
                .and_then(|w| w.location().search().ok())
                .is_some_and(|q| q.contains("run="));
        if keep {
            return;
        }
        let url = address(nodes);
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    });
    (state, dispatch)
}

#[derive(Properties, PartialEq)]
struct AlgoPickerProps {
    current: Algo,
    seed: u64,
}

/// Switches protocol: a new page for the same seed.
#[component]
fn AlgoPicker(props: &AlgoPickerProps) -> Html {
    let seed = props.seed;
    let lang = use_lang();
    let onchange = Callback::from(move |e: Event| {
        let value = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .map(|s| s.value());
        let query = match value.as_deref() {
            Some("paxos") => {
                use crate::url::{ACCEPTORS, LEARNERS, PROPOSERS};
                paxos_query(PROPOSERS.2, ACCEPTORS.2, LEARNERS.2, seed)
            }
            Some("multipaxos") => query_for(Algo::MultiPaxos, crate::url::DEFAULT_NODES, seed),
            _ => query_for(Algo::Raft, crate::url::DEFAULT_NODES, seed),
        };
        let query = crate::url::with_param(&query, "lang", lang.code());
        if let Some(location) = web_sys::window().map(|w| w.location()) {
            let _ = location.set_search(&query);
        }
    });
    let options = [
        (Algo::Raft, "Raft"),
        (Algo::Paxos, "Paxos"),
        (Algo::MultiPaxos, "Multi-Paxos"),
    ]
    .into_iter()
    .map(|(algo, label)| {
        html! { <option value={algo.as_str()} selected={algo == props.current}>{ label }</option> }
    });
    html! {
        <select class="algo-picker" aria-label={lang.t("Algorithm", "算法")} {onchange} data-algo-picker="">{ for options }</select>
    }
}

/// The full address of a shared run.
fn share_url(algo: Algo, text: &str) -> String {
    let base = web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
        })
        .unwrap_or_default();
    format!("{base}?algo={}&run={text}", algo.as_str())
}

fn share_action(dispatch: &Dispatch) -> Callback<()> {
    let dispatch = dispatch.clone();
    Callback::from(move |_| dispatch.emit(Action::Share))
}

/// The address's mistakes, named.
fn url_errors(run: &Run) -> Option<Html> {
    (!run.params.errors.is_empty()).then(|| {
        let items = run.params.errors.iter().map(|e| html! { <li>{ e }</li> });
        html! {
            <div class="url-error" data-url-error="" role="alert">
                <strong>{ "Some of the address's parameters were not usable:" }</strong>
                <ul>{ for items }</ul>
            </div>
        }
    })
}

/// Why the last command could not be carried out, dismissable.
fn notice_of<P: Viewed>(state: &State<P>, dispatch: &Dispatch, lang: Lang) -> Option<Html> {
    state.notice.as_ref().map(|text| {
        let dismiss = {
            let dispatch = dispatch.clone();
            Callback::from(move |_: MouseEvent| dispatch.emit(Action::DismissNotice))
        };
        html! {
            <div class="notice" data-notice="" role="status">
                <span>{ lang.of(text) }</span>
                <button type="button" class="close" aria-label={lang.t("Dismiss", "关闭")} onclick={dismiss}>{ "×" }</button>
            </div>
        }
    })
}

/// The selected message's inspector, if a message is selected.
fn message_inspector<P: Viewed>(state: &State<P>, dispatch: &Dispatch) -> Html {
    match state.selection {
        Selection::Message(id) => html! {
            <MessageInspector<P> sim={state.shared_sim()} {id} now={state.display_now} dispatch={dispatch.clone()} />
        },
        _ => html! {},
    }
}

#[component]
fn PaxosPage(props: &PageProps) -> Html {
    let run = props.run.clone();
    let seed = run.seed;
    let (p, a, l) = (
        run.params.proposers,
        run.params.acceptors,
        run.params.learners,
    );
    let (state, dispatch) = use_run::<Paxos>(
        run.params.shared.clone(),
        move || {
            let mut config = SimConfig::<PaxosConfig>::new(p + a + l, seed);
            config.protocol.proposers = p;
            config.protocol.acceptors = a;
            State::with_config(config)
                .expect("the page offers only role counts the simulation accepts")
        },
        move |_| paxos_query(p, a, l, seed),
    );
    let sim = state.sim();
    let lang = use_lang();
    html! {
        <div class="app paxos" data-app="" data-algo="paxos"
            data-trace-hash={sim.trace_hash_hex()}
            data-virtual-time={sim.now().to_string()}
            data-seed={seed.to_string()}
            data-nodes={sim.nodes().len().to_string()}
            data-playing={state.playing.to_string()}
            data-events={sim.events_processed().to_string()}
            data-in-past={state.in_past().to_string()}
            data-end-time={state.timeline.end_time().to_string()}>
            <header class="top">
                <h1>{ "Quorum — Paxos" }</h1>
                <LangSwitch />
                <AlgoPicker current={Algo::Paxos} {seed} />
                <Controls playing={state.playing} speed_pos={state.speed_pos}
                    now={state.display_now} dispatch={dispatch.clone()} />
            </header>
            <TimelineBar now={state.display_now} end={state.timeline.end_time()}
                in_past={state.in_past()} events={sim.events_processed()}
                end_events={state.timeline.end_events()} dispatch={dispatch.clone()} />
            { url_errors(&run) }
            if state.help_open {
                <Help dispatch={dispatch.clone()} />
            }
            <main>
                <section class="stage" aria-label="Cluster">
                    { notice_of(&state, &dispatch, lang) }
                    <PaxosRing sim={state.shared_sim()} now={state.display_now}
                        selection={state.selection} dispatch={dispatch.clone()} />
                    <PaxosLegend />
                </section>
                <div class="side">
                    { message_inspector(&state, &dispatch) }
                    <PaxosPanel sim={state.shared_sim()} chosen={chosen_of(&state.safety)} />
                    <EventFeed lines={state.feed.lines_at(crate::state::position(sim)).cloned().collect::<Vec<_>>()} />
                </div>
                <div class="below">
                    <Faults nodes={sim.nodes().len()} network={sim.network().clone()} sizes={false}
                        cut={sim.links().cut_links().collect::<Vec<_>>()} dispatch={dispatch.clone()} />
                </div>
            </main>
            <StatusBar seed={seed} nodes={sim.nodes().len()}
                trace_hash={sim.trace_hash_hex()} events={sim.events_processed()}
                violation={state.violation().map(|v| v.to_string())}
                properties={<Paxos as Viewed>::PROPERTIES}
                checked={<Paxos as Viewed>::events_checked(&state.safety)}
                link={paxos_query(p, a, l, seed)}
                share={state.share.as_deref().map(|t| share_url(Algo::Paxos, t))}
                on_share={share_action(&dispatch)} />
        </div>
    }
}

#[component]
fn MultiPaxosPage(props: &PageProps) -> Html {
    let run = props.run.clone();
    let seed = run.seed;
    let nodes = run.params.nodes;
    let (state, dispatch) = use_run::<MultiPaxos>(
        run.params.shared.clone(),
        move || {
            State::new(nodes, seed)
                .expect("the page offers only cluster sizes the simulation accepts")
        },
        move |nodes| query_for(Algo::MultiPaxos, nodes, seed),
    );
    let sim = state.sim();
    let lang = use_lang();
    html! {
        <div class="app multipaxos" data-app="" data-algo="multipaxos"
            data-trace-hash={sim.trace_hash_hex()}
            data-virtual-time={sim.now().to_string()}
            data-seed={seed.to_string()}
            data-nodes={sim.nodes().len().to_string()}
            data-playing={state.playing.to_string()}
            data-events={sim.events_processed().to_string()}
            data-in-past={state.in_past().to_string()}
            data-end-time={state.timeline.end_time().to_string()}
            data-leader={state.leader().map(|l| l.to_string()).unwrap_or_default()}>
            <header class="top">
                <h1>{ "Quorum — Multi-Paxos" }</h1>
                <LangSwitch />
                <AlgoPicker current={Algo::MultiPaxos} {seed} />
                <Controls playing={state.playing} speed_pos={state.speed_pos}
                    now={state.display_now} dispatch={dispatch.clone()} />
            </header>
            <TimelineBar now={state.display_now} end={state.timeline.end_time()}
                in_past={state.in_past()} events={sim.events_processed()}
                end_events={state.timeline.end_events()} dispatch={dispatch.clone()} />
            { url_errors(&run) }
            if state.help_open {
                <Help dispatch={dispatch.clone()} />
            }
            <main>
                <section class="stage" aria-label="Cluster">
                    { notice_of(&state, &dispatch, lang) }
                    <MpRing sim={state.shared_sim()} now={state.display_now}
                        selection={state.selection} dispatch={dispatch.clone()} />
                    <MpLegend />
                </section>
                <div class="side">
                    { message_inspector(&state, &dispatch) }
                    <MpLog sim={state.shared_sim()} chosen={chosen_slots(&state.safety)} />
                    <EventFeed lines={state.feed.lines_at(crate::state::position(sim)).cloned().collect::<Vec<_>>()} />
                </div>
                <div class="below">
                    <Faults nodes={sim.nodes().len()} network={sim.network().clone()}
                        cut={sim.links().cut_links().collect::<Vec<_>>()} dispatch={dispatch.clone()} />
                </div>
            </main>
            <StatusBar seed={seed} nodes={sim.nodes().len()}
                trace_hash={sim.trace_hash_hex()} events={sim.events_processed()}
                violation={state.violation().map(|v| v.to_string())}
                properties={<MultiPaxos as Viewed>::PROPERTIES}
                checked={<MultiPaxos as Viewed>::events_checked(&state.safety)}
                link={query_for(Algo::MultiPaxos, sim.nodes().len(), seed)}
                share={state.share.as_deref().map(|t| share_url(Algo::MultiPaxos, t))}
                on_share={share_action(&dispatch)} />
        </div>
    }
}

#[component]
fn RaftPage(props: &PageProps) -> Html {
    let run = props.run.clone();
    let seed = run.seed;
    let nodes = run.params.nodes;
    let (state, dispatch) = use_run::<Raft>(
        run.params.shared.clone(),
        move || {
            State::new(nodes, seed)
                .expect("the page offers only cluster sizes the simulation accepts")
        },
        move |nodes| query_for(Algo::Raft, nodes, seed),
    );

    let sim = state.sim();
    let lang = use_lang();
    let url_error = url_errors(&run);
    let notice = notice_of(&state, &dispatch, lang);
    let inspector = match state.selection {
        Selection::Node(node) => html! {
            <NodeInspector sim={state.shared_sim()} {node} now={state.display_now} />
        },
        Selection::Message(id) => html! {
            <MessageInspector<Raft> sim={state.shared_sim()} {id} now={state.display_now} dispatch={dispatch.clone()} />
        },
        Selection::None => html! {},
    };

    html! {
        <div class="app" data-app=""
            data-trace-hash={sim.trace_hash_hex()}
            data-virtual-time={sim.now().to_string()}
            data-seed={seed.to_string()}
            data-algo="raft"
            data-nodes={sim.nodes().len().to_string()}
            data-playing={state.playing.to_string()}
            data-events={sim.events_processed().to_string()}
            data-in-past={state.in_past().to_string()}
            data-end-time={state.timeline.end_time().to_string()}
            data-leader={state.leader().map(|l| l.to_string()).unwrap_or_default()}>
            <header class="top">
                <h1>{ "Quorum — Raft" }</h1>
                <LangSwitch />
                <AlgoPicker current={Algo::Raft} {seed} />
                <Controls playing={state.playing} speed_pos={state.speed_pos}
                    now={state.display_now} dispatch={dispatch.clone()} />
            </header>
            <TimelineBar now={state.display_now} end={state.timeline.end_time()}
                in_past={state.in_past()} events={sim.events_processed()}
                end_events={state.timeline.end_events()} dispatch={dispatch.clone()} />
            { url_error }
            if state.help_open {
                <Help dispatch={dispatch.clone()} />
            }
            <main>
                <section class="stage" aria-label="Cluster">
                    { notice }
                    <Cluster sim={state.shared_sim()} now={state.display_now}
                        selection={state.selection} dispatch={dispatch.clone()} />
                    <Legend />
                </section>
                <div class="side">
                    { inspector }
                    <LogTable rows={log_rows(sim)} />
                    <EventFeed lines={state.feed.lines_at(crate::state::position(sim)).cloned().collect::<Vec<_>>()} />
                </div>
                <div class="below">
                    <Faults nodes={sim.nodes().len()} network={sim.network().clone()}
                        cut={sim.links().cut_links().collect::<Vec<_>>()} dispatch={dispatch.clone()} />
                </div>
            </main>
            <StatusBar seed={seed} nodes={sim.nodes().len()}
                trace_hash={sim.trace_hash_hex()} events={sim.events_processed()}
                violation={state.violation().map(|v| v.to_string())}
                properties={<Raft as Viewed>::PROPERTIES}
                checked={<Raft as Viewed>::events_checked(&state.safety)}
                link={query_for(Algo::Raft, sim.nodes().len(), seed)}
                share={state.share.as_deref().map(|t| share_url(Algo::Raft, t))}
                on_share={share_action(&dispatch)} />
        </div>
    }
}

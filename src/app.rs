//! The page: reads the run's parameters, picks the protocol's page, owns the
//! state, wires the clock and the keyboard, and lays out the components.
//!
//! One layout serves every protocol ([`frame`]); each protocol's page adds
//! its ring, its panel and its legend. The same layout is shown three ways:
//! the full page, embedded in an iframe (`embed=1`, with `controls=none`,
//! `minimal` or `full`), and presenting (`present=1` or the Present button:
//! large type and lines, high contrast, full screen).

use crate::claims::ClaimText;
use crate::components::cluster::Cluster;
use crate::components::controls::Controls;
use crate::components::event_feed::EventFeed;
use crate::components::faults::Faults;
use crate::components::help::Help;
use crate::components::inspect::{MessageInspector, NodeInspector};
use crate::components::legend::{Legend, MpLegend, PaxosLegend};
use crate::components::log_table::{log_rows, LogTable};
use crate::components::multipaxos_view::{MpLog, MpRing};
use crate::components::narration::Narration;
use crate::components::paxos_view::{chosen_of, PaxosPanel, PaxosRing};
use crate::components::run_file::{download, RunFileButtons};
use crate::components::scenario_menu::ScenarioMenu;
use crate::components::status_bar::StatusBar;
use crate::components::timeline_bar::TimelineBar;
use crate::hooks::{
    use_animation_clock, use_dismiss_on_outside_click, use_file_drop, use_in_view, use_keyboard,
};
use crate::i18n::{browser_lang, text, use_lang, Lang, LangSwitch, SetLang, Text};
use crate::protocols::Viewed;
use crate::runfile::{import_query, RunFile};
use crate::state::{Action, Dispatch, Selection, State};
use crate::url::{parse_query, paxos_query, query_for, Algo, ControlsLevel, RunParams, Theme};
use quorum_sim::check::Checked;
use quorum_sim::multipaxos::MultiPaxos;
use quorum_sim::paxos::{Paxos, PaxosConfig};
use quorum_sim::raft::Raft;
use quorum_sim::{NodeId, SimConfig, Time};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The run's parameters, with a seed picked now if the address has none.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    params: RunParams,
    seed: u64,
}

impl Run {
    /// The parameters every link the page writes keeps: how it is shown,
    /// not what runs (`&lang=zh&theme=dark&embed=1...`).
    fn keep(&self, lang: Lang) -> String {
        format!("&lang={}{}", lang.code(), self.keep_view())
    }

    /// The controls shown: an embed's choice, all of them on the full page.
    fn controls(&self) -> ControlsLevel {
        if self.params.embed {
            self.params.controls
        } else {
            ControlsLevel::Full
        }
    }

    /// [`Run::keep`] without the language.
    fn keep_view(&self) -> String {
        let p = &self.params;
        let mut keep = String::new();
        if p.theme != Theme::Light {
            keep += &format!("&theme={}", p.theme.as_str());
        }
        if p.embed {
            keep += &format!("&embed=1&controls={}", p.controls.as_str());
        }
        if let Some(autoplay) = p.autoplay {
            keep += &format!("&autoplay={}", u8::from(autoplay));
        }
        if let Some(pause) = p.pause_at_steps {
            keep += &format!("&pause={}", u8::from(pause));
        }
        if p.present {
            keep += "&present=1";
        }
        keep
    }
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
    // The document says which language it is in (screen readers, fonts,
    // hyphenation) and wears the theme (the page behind the app too).
    let algo = run.params.algo;
    let embed = run.params.embed;
    use_effect_with((*lang, run.params.theme), move |(lang, theme)| {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", lang.tag());
            let _ = root.set_attribute("data-theme", theme.as_str());
            let _ = root.set_attribute("data-embed", &embed.to_string());
        }
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            let name = match algo {
                Algo::Raft => "Raft",
                Algo::Paxos => "Paxos",
                Algo::MultiPaxos => "Multi-Paxos",
            };
            document.set_title(&lang.t(
                format!("Quorum — {name}, running in your browser"),
                format!("Quorum —— 在浏览器中运行的 {name}"),
            ));
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

/// Opens another address (a reload).
fn navigate(query: &str) {
    if let Some(location) = web_sys::window().map(|w| w.location()) {
        let _ = location.set_search(query);
    }
}

#[derive(Properties, PartialEq)]
pub struct PageProps {
    pub run: Run,
}

/// The page's first state: a shared run (with its scenario's narration if
/// the link names one), a scenario, or a new run; a link or scenario that
/// cannot be used says why and gives way to a new run.
fn first_state<P: Viewed>(run: &Run, make: impl FnOnce() -> State<P>) -> State<P> {
    let params = &run.params;
    let scenario = params.scenario.as_deref().map(crate::scenarios::load::<P>);
    let (shared, link_error) = match params.shared.as_deref().map(State::<P>::from_shared) {
        Some(Ok(state)) => (Some(state), None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, None),
    };
    let mut state = match (shared, scenario) {
        (Some(state), None) => state,
        (Some(state), Some(Err(e))) => State {
            notice: Some(e),
            ..state
        },
        (Some(state), Some(Ok(scenario))) => {
            let plain = state.clone();
            state.narrate(scenario).unwrap_or_else(|e| State {
                notice: Some(text(
                    format!(
                        "The run in the link is shown without its narration: {}.",
                        e.en
                    ),
                    format!("链接中的运行无法配上解说：{}。", e.zh),
                )),
                ..plain
            })
        }
        (None, Some(Ok(scenario))) => State::with_scenario(scenario).unwrap_or_else(|e| State {
            notice: Some(text(
                format!(
                    "The scenario could not be played: {}. This is a new run.",
                    e.en
                ),
                format!("场景无法播放：{}。这是一次新的运行。", e.zh),
            )),
            ..make()
        }),
        (None, Some(Err(e))) => State {
            notice: Some(e),
            ..make()
        },
        (None, None) => make(),
    };
    // A broken link says why; what is shown instead is the scenario it
    // named, from its start, or else a new run.
    if let Some(e) = link_error {
        let (en, zh) = if state.narration.is_some() {
            (
                "This is the scenario from its start.",
                "这是从头开始的场景。",
            )
        } else {
            ("This is a new run.", "这是一次新的运行。")
        };
        state.notice = Some(text(
            format!("The run in the link could not be used: {}. {en}", e.en),
            format!("链接中的运行无法使用：{}。{zh}", e.zh),
        ));
    }
    // An embed waits to be asked to play (unless it has no button to ask
    // with); a page plays a new run at once; a shared moment or a scenario waits.
    let default_play = if params.embed {
        run.controls() == ControlsLevel::None
    } else {
        state.playing
    };
    state.playing = params.autoplay.unwrap_or(default_play);
    if let (Some(pause), Some(narration)) = (params.pause_at_steps, state.narration.as_mut()) {
        narration.pause_at_steps = pause;
    }
    state.present = params.present;
    state
}

/// What every protocol's page does: the state, a dispatch callback, the
/// animation clock (running only while the page is visible and in view),
/// the keys, closing popovers on an outside click, and the address
/// following the run.
#[hook]
fn use_run<P: Viewed>(
    run: Run,
    make: impl FnOnce() -> State<P> + 'static,
    address: impl Fn(usize) -> String + 'static,
) -> (UseReducerHandle<State<P>>, Dispatch) {
    let state = {
        let run = run.clone();
        use_reducer(move || first_state(&run, make))
    };
    // Components get a callback, not the reducer: they do not depend on the protocol's state.
    let dispatch: Dispatch = {
        let reducer = state.dispatcher();
        use_callback((), move |action: Action, _| reducer.dispatch(action))
    };
    let on_frame = {
        let dispatch = dispatch.clone();
        Callback::from(move |real_ms: f64| dispatch.emit(Action::Tick { real_ms }))
    };
    let in_view = use_in_view();
    use_animation_clock(state.playing && in_view, on_frame);
    use_keyboard(dispatch.clone());
    use_dismiss_on_outside_click(state.selection != Selection::None, dispatch.clone());
    // A new cluster size is a new run: the address follows, so a reload keeps it.
    let nodes = state.sim().nodes().len();
    let first = use_mut_ref(|| true);
    let keeps_run = run.params.shared.is_some() || run.params.scenario.is_some();
    let view = run.keep_view();
    use_effect_with(nodes, move |&nodes| {
        // An address carrying a shared run or a scenario stays as it is until the size changes.
        if std::mem::replace(&mut *first.borrow_mut(), false) && keeps_run {
            return;
        }
        // The language stays as the address has it (the switch keeps it there).
        let lang = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .and_then(|q| parse_query(&q).lang)
            .map(|l| format!("&lang={}", l.code()))
            .unwrap_or_default();
        let url = format!("{}{lang}{}", address(nodes), view);
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
    /// Parameters to keep across the switch (`&lang=zh...`).
    keep: String,
}

/// Switches protocol: a new page for the same seed.
#[component]
fn AlgoPicker(props: &AlgoPickerProps) -> Html {
    let seed = props.seed;
    let lang = use_lang();
    let keep = props.keep.clone();
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
        navigate(&format!("{query}{keep}"));
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

/// The full address of a shared run (and its scenario).
fn share_url(algo: Algo, link: &str, scenario: Option<&str>, keep: &str) -> String {
    let base = web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
        })
        .unwrap_or_default();
    let scenario = scenario
        .map(|s| format!("&scenario={s}"))
        .unwrap_or_default();
    format!("{base}?algo={}{scenario}&run={link}{keep}", algo.as_str())
}

/// The address's mistakes, named.
fn url_errors(run: &Run, lang: Lang) -> Option<Html> {
    (!run.params.errors.is_empty()).then(|| {
        let items = run
            .params
            .errors
            .iter()
            .map(|e| html! { <li>{ lang.of(e) }</li> });
        html! {
            <div class="url-error" data-url-error="" role="alert">
                <strong>{ lang.t("Some of the address's parameters were not usable:", "地址中有些参数无法使用：") }</strong>
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

/// Enters or leaves full screen with presenter mode (a user's key or click
/// allows it; refused, e.g. in an iframe without `allow="fullscreen"`,
/// presenter mode still applies).
pub fn set_fullscreen(on: bool) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let full = document.fullscreen_element().is_some();
    if on && !full {
        if let Some(root) = document.document_element() {
            // A refusal is a rejected promise, with nothing to show.
            let _ = root.request_fullscreen();
        }
    } else if !on && full {
        document.exit_fullscreen();
    }
}

/// The Present button.
#[component]
fn PresentButton(props: &PresentProps) -> Html {
    let lang = use_lang();
    let on = props.present;
    let onclick = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            set_fullscreen(!on);
            dispatch.emit(Action::TogglePresent);
        })
    };
    html! {
        <button type="button" class="present-button" aria-pressed={on.to_string()} {onclick}
            data-present-button=""
            title={lang.t("Presenter mode: large type, high contrast, full screen (P). PageDown / PageUp step through a scenario, . pauses",
                "演示模式：大字号、高对比度、全屏（P）。PageDown / PageUp 切换场景步骤，. 暂停")}>
            { if on { lang.t("Leave presenter mode", "退出演示") } else { lang.t("Present", "演示") } }
        </button>
    }
}

#[derive(Properties, PartialEq)]
struct PresentProps {
    present: bool,
    dispatch: Dispatch,
}

/// What a protocol's page puts in the shared layout.
struct Parts {
    algo: Algo,
    title: Text,
    ring: Html,
    legend: Html,
    /// The protocol's table (log matrix, decree, slot log).
    panel: Html,
    inspector: Html,
    /// Whether the faults panel offers cluster sizes.
    sizes: bool,
    /// The address of a new run with this seed.
    link: String,
}

/// What the shared layout shows of a run, gathered from the protocol's
/// state so that drawing it ([`render`]) is one function for every protocol.
struct Layout {
    parts: Parts,
    seed: u64,
    nodes: usize,
    trace_hash: String,
    now: Time,
    display_now: f64,
    events: u64,
    end_time: Time,
    end_events: u64,
    in_past: bool,
    /// The future ahead of the moment shown is a scenario's script.
    scripted: bool,
    playing: bool,
    speed_pos: i32,
    present: bool,
    help_open: bool,
    leader: Option<NodeId>,
    network: quorum_sim::NetworkConfig,
    cut: Vec<(NodeId, NodeId)>,
    violation: Option<String>,
    properties: &'static [&'static str],
    checked: u64,
    share: Option<String>,
    scenario: Option<String>,
    narration: Option<Html>,
    notice: Option<Html>,
    feed: Vec<crate::feed::FeedLine>,
    on_export: Callback<()>,
}

/// The layout every protocol's page shares, in every mode.
fn frame<P: Viewed>(
    run: &Run,
    state: &UseReducerHandle<State<P>>,
    dispatch: &Dispatch,
    lang: Lang,
    parts: Parts,
) -> Layout
where
    P::Claim: ClaimText,
{
    let sim = state.sim();
    let controls = run.controls();
    let on_export = {
        let state = state.clone();
        Callback::from(move |_: ()| {
            let file = RunFile::new(
                state.shared_run(),
                state.scenario_name().map(str::to_string),
            );
            download(&file.file_name(), &file.to_json());
        })
    };
    let narration = state.narration.as_ref().map(|n| {
        let step = state.step_shown();
        let claims: Vec<String> = step
            .map(|i| {
                n.scenario.steps[i]
                    .claims
                    .iter()
                    .map(|c| c.text(lang, &n.view.requests))
                    .collect()
            })
            .unwrap_or_default();
        html! {
            <Narration script={n.view.clone()} {step} {claims}
                checks={n.checks.clone()} pause_at_steps={n.pause_at_steps}
                off_script_from={state.off_script_from()} now={state.display_now}
                controls={controls != ControlsLevel::None} dispatch={dispatch.clone()} />
        }
    });
    Layout {
        parts,
        seed: sim.config().seed,
        nodes: sim.nodes().len(),
        trace_hash: sim.trace_hash_hex(),
        now: sim.now(),
        display_now: state.display_now,
        events: sim.events_processed(),
        end_time: state.timeline.end_time(),
        end_events: state.timeline.end_events(),
        in_past: state.in_past(),
        scripted: state.narration.is_some() && state.off_script_from().is_none(),
        playing: state.playing,
        speed_pos: state.speed_pos,
        present: state.present,
        help_open: state.help_open,
        leader: P::leader(sim),
        network: sim.network().clone(),
        cut: sim.links().cut_links().collect(),
        violation: state.violation().map(|v| v.to_string()),
        properties: <P as Checked>::PROPERTIES,
        checked: state.safety.events_checked(),
        share: state.share.clone(),
        scenario: state.scenario_name().map(str::to_string),
        narration,
        notice: notice_of(state, dispatch, lang),
        feed: state
            .feed
            .lines_at(crate::state::position(sim))
            .cloned()
            .collect(),
        on_export,
    }
}

/// Draws the layout: the header, the timeline, the stage, the side column,
/// the faults and the status line, as much of each as the mode shows.
fn render(
    run: &Run,
    l: Layout,
    dispatch: &Dispatch,
    lang: Lang,
    dragging: bool,
    on_import: Callback<Vec<u8>>,
) -> Html {
    let params = &run.params;
    let keep = run.keep(lang);
    let embed = params.embed;
    let controls = run.controls();
    let full = controls == ControlsLevel::Full;
    let parts = l.parts;
    let header = match controls {
        ControlsLevel::None => html! {},
        ControlsLevel::Minimal => html! {
            <header class="top compact">
                <Controls playing={l.playing} speed_pos={l.speed_pos}
                    now={l.display_now} dispatch={dispatch.clone()} />
            </header>
        },
        ControlsLevel::Full => html! {
            <header class="top">
                <h1>{ lang.of(&parts.title) }</h1>
                <AlgoPicker current={parts.algo} seed={run.seed} keep={keep.clone()} />
                <ScenarioMenu current={l.scenario.clone()} algo={parts.algo} keep={keep.clone()} />
                <LangSwitch />
                if !embed {
                    <PresentButton present={l.present} dispatch={dispatch.clone()} />
                }
                <Controls playing={l.playing} speed_pos={l.speed_pos}
                    now={l.display_now} dispatch={dispatch.clone()} />
            </header>
        },
    };
    let timeline = (controls != ControlsLevel::None).then(|| {
        html! {
            <TimelineBar now={l.display_now} end={l.end_time} in_past={l.in_past}
                scripted={l.scripted} events={l.events} end_events={l.end_events}
                dispatch={dispatch.clone()} />
        }
    });
    let faults = full.then(|| {
        html! {
            <div class="below">
                <Faults nodes={l.nodes} network={l.network} sizes={parts.sizes}
                    retry_timers={parts.algo == Algo::Paxos}
                    cut={l.cut} dispatch={dispatch.clone()} />
            </div>
        }
    });
    let status = full.then(|| {
        html! {
            <>
                <StatusBar seed={run.seed} nodes={l.nodes}
                    trace_hash={l.trace_hash.clone()} events={l.events}
                    violation={l.violation}
                    properties={l.properties}
                    checked={l.checked}
                    link={format!("{}{keep}", parts.link)}
                    share={l.share.as_deref().map(|t| share_url(parts.algo, t, l.scenario.as_deref(), &keep))}
                    on_share={dispatch.reform(|_| Action::Share)} />
                if !embed {
                    <div class="run-file-bar">
                        <RunFileButtons on_export={l.on_export} on_import={on_import.clone()} />
                    </div>
                }
            </>
        }
    });
    let classes = classes!(
        "app",
        (parts.algo != Algo::Raft).then_some(parts.algo.as_str()),
        embed.then_some("embed"),
        embed.then(|| format!("controls-{}", controls.as_str())),
        l.present.then_some("present"),
        (params.theme == Theme::Dark).then_some("theme-dark"),
        l.narration.is_some().then_some("has-narration"),
        dragging.then_some("dragging"),
    );
    html! {
        <div class={classes} data-app="" data-algo={parts.algo.as_str()}
            data-trace-hash={l.trace_hash}
            data-virtual-time={l.now.to_string()}
            data-seed={l.seed.to_string()}
            data-nodes={l.nodes.to_string()}
            data-playing={l.playing.to_string()}
            data-events={l.events.to_string()}
            data-in-past={l.in_past.to_string()}
            data-end-time={l.end_time.to_string()}
            data-leader={l.leader.map(|n| n.to_string()).unwrap_or_default()}
            data-embed={embed.to_string()}
            data-controls={controls.as_str()}
            data-present={l.present.to_string()}
            data-theme={params.theme.as_str()}>
            { header }
            { timeline }
            if full { { url_errors(run, lang) } }
            if l.help_open {
                <Help dispatch={dispatch.clone()} />
            }
            <main>
                <section class="stage" aria-label={lang.t("Cluster", "集群")}>
                    { l.notice }
                    { parts.ring }
                    if !embed { { parts.legend } }
                </section>
                <div class="side">
                    { l.narration.unwrap_or_default() }
                    { parts.inspector }
                    { parts.panel }
                    <EventFeed lines={l.feed} />
                </div>
                { faults }
            </main>
            { status }
            if dragging {
                <div class="drop-hint" aria-hidden="true">
                    { lang.t("Drop a run file (JSON) to open it", "松开鼠标以打开运行文件（JSON）") }
                </div>
            }
        </div>
    }
}

/// What a dropped or picked run file does: opens its run, or says why not.
#[hook]
fn use_import(run: &Run, dispatch: &Dispatch) -> Callback<Vec<u8>> {
    let lang = use_lang();
    let keep = run.keep(lang);
    let dispatch = dispatch.clone();
    use_callback(keep, move |bytes: Vec<u8>, keep| {
        match import_query(&bytes, keep) {
            Ok(query) => navigate(&query),
            Err(why) => dispatch.emit(Action::Notice(text(
                format!("The file could not be opened: {}", why.en),
                format!("无法打开该文件：{}", why.zh),
            ))),
        }
    })
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
        run.clone(),
        move || {
            let mut config = SimConfig::<PaxosConfig>::new(p + a + l, seed);
            config.protocol.proposers = p;
            config.protocol.acceptors = a;
            State::with_config(config)
                .expect("the page offers only role counts the simulation accepts")
        },
        move |_| paxos_query(p, a, l, seed),
    );
    let lang = use_lang();
    let on_import = use_import(&run, &dispatch);
    let dragging = use_file_drop(on_import.clone());
    let now = state.sim().now();
    // The moment a value was chosen, if that is not after the moment shown.
    let chosen = chosen_of(state.safety.safety()).filter(|c| c.2 <= now as f64);
    let config = &state.sim().config().protocol;
    let parts = Parts {
        algo: Algo::Paxos,
        title: text("Quorum — Paxos", "Quorum —— Paxos"),
        ring: html! {
            <PaxosRing sim={state.shared_sim()} now={state.display_now}
                selection={state.selection} dispatch={dispatch.clone()} />
        },
        legend: html! { <PaxosLegend /> },
        panel: html! { <PaxosPanel sim={state.shared_sim()} {chosen} /> },
        inspector: message_inspector(&state, &dispatch),
        sizes: false,
        link: paxos_query(
            config.proposers,
            config.acceptors,
            state.sim().nodes().len() - config.proposers - config.acceptors,
            state.sim().config().seed,
        ),
    };
    let layout = frame(&run, &state, &dispatch, lang, parts);
    render(&run, layout, &dispatch, lang, dragging, on_import)
}

#[component]
fn MultiPaxosPage(props: &PageProps) -> Html {
    let run = props.run.clone();
    let seed = run.seed;
    let nodes = run.params.nodes;
    let (state, dispatch) = use_run::<MultiPaxos>(
        run.clone(),
        move || {
            State::new(nodes, seed)
                .expect("the page offers only cluster sizes the simulation accepts")
        },
        move |nodes| query_for(Algo::MultiPaxos, nodes, seed),
    );
    let lang = use_lang();
    let on_import = use_import(&run, &dispatch);
    let dragging = use_file_drop(on_import.clone());
    let now = state.sim().now();
    // The slots chosen by the moment shown.
    let chosen: std::collections::BTreeMap<_, _> = state
        .safety
        .safety()
        .chosen()
        .iter()
        .filter(|(_, (_, _, t))| *t <= now)
        .map(|(&s, (b, cmd, _))| (s, (cmd.to_string(), b.to_string())))
        .collect();
    let parts = Parts {
        algo: Algo::MultiPaxos,
        title: text("Quorum — Multi-Paxos", "Quorum —— Multi-Paxos"),
        ring: html! {
            <MpRing sim={state.shared_sim()} now={state.display_now}
                selection={state.selection} dispatch={dispatch.clone()} />
        },
        legend: html! { <MpLegend /> },
        panel: html! { <MpLog sim={state.shared_sim()} {chosen} /> },
        inspector: message_inspector(&state, &dispatch),
        sizes: true,
        link: query_for(
            Algo::MultiPaxos,
            state.sim().nodes().len(),
            state.sim().config().seed,
        ),
    };
    let layout = frame(&run, &state, &dispatch, lang, parts);
    render(&run, layout, &dispatch, lang, dragging, on_import)
}

#[component]
fn RaftPage(props: &PageProps) -> Html {
    let run = props.run.clone();
    let seed = run.seed;
    let nodes = run.params.nodes;
    let (state, dispatch) = use_run::<Raft>(
        run.clone(),
        move || {
            State::new(nodes, seed)
                .expect("the page offers only cluster sizes the simulation accepts")
        },
        move |nodes| query_for(Algo::Raft, nodes, seed),
    );
    let lang = use_lang();
    let on_import = use_import(&run, &dispatch);
    let dragging = use_file_drop(on_import.clone());
    let inspector = match state.selection {
        Selection::Node(node) => html! {
            <NodeInspector sim={state.shared_sim()} {node} now={state.display_now} />
        },
        Selection::Message(id) => html! {
            <MessageInspector<Raft> sim={state.shared_sim()} {id} now={state.display_now} dispatch={dispatch.clone()} />
        },
        Selection::None => html! {},
    };
    let parts = Parts {
        algo: Algo::Raft,
        title: text("Quorum — Raft", "Quorum —— Raft"),
        ring: html! {
            <Cluster sim={state.shared_sim()} now={state.display_now}
                selection={state.selection} dispatch={dispatch.clone()} />
        },
        legend: html! { <Legend /> },
        panel: html! { <LogTable rows={log_rows(state.sim())} /> },
        inspector,
        sizes: true,
        link: query_for(
            Algo::Raft,
            state.sim().nodes().len(),
            state.sim().config().seed,
        ),
    };
    let layout = frame(&run, &state, &dispatch, lang, parts);
    render(&run, layout, &dispatch, lang, dragging, on_import)
}

//! The layout every protocol's page shares, shown three ways: the full page,
//! embedded in an iframe (`embed=1`, with `controls=none`, `minimal` or
//! `full`), and presenting (`present=1` or the Present button: large type
//! and lines, high contrast, full screen).
//!
//! What it draws of the run comes from the run's view models, built again
//! only when the run changed ([`use_views`]); between events a frame only
//! moves the clock, the messages and the timer arcs.

use super::address::{share_url, Address, SetTheme};
use super::set_fullscreen;
use crate::i18n::{use_lang, Lang, LangSwitch};
use crate::registry::PROTOCOLS;
use crate::run::view::{
    Highlights, Inspector, LegendItem, Menu, MessageDetail, MessageGlyph, Safety, ServerGlyph,
};
use crate::run::Run;
use crate::runfile::RunFile;
use crate::state::{Action, Dispatch, Selection, State};
use crate::ui::controls::Controls;
use crate::ui::event_feed::EventFeed;
use crate::ui::faults::Faults;
use crate::ui::help::Help;
use crate::ui::inspector::{MessageInspector, NodeInspector};
use crate::ui::legend::{Legend, StartHint};
use crate::ui::narration::Narration;
use crate::ui::node_menu::NodeMenu;
use crate::ui::ring::{Ring, LABEL_PX, ROOM_LABEL_PX};
use crate::ui::run_file::{download, RunFileButtons};
use crate::ui::scenario_menu::ScenarioMenu;
use crate::ui::status_bar::StatusBar;
use crate::ui::switches::switches;
use crate::ui::timeline_bar::TimelineBar;
use crate::ui::tour::{OnrampHost, TourCard};
use crate::ui::Shared;
use crate::url::{ControlsLevel, Theme};
use quorum_sim::NodeId;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// What the page draws of the run, each built again only when its inputs
/// changed (the run, the language, the selection).
pub struct Views {
    pub servers: Shared<Vec<ServerGlyph>>,
    pub messages: Shared<Vec<MessageGlyph>>,
    pub cut: Shared<Vec<(NodeId, NodeId)>>,
    pub menu: Option<Shared<Menu>>,
    pub inspector: Option<Shared<Inspector>>,
    pub message: Option<Shared<MessageDetail>>,
    pub legend: Rc<Vec<LegendItem>>,
    pub start_hint: Option<AttrValue>,
    pub safety: Rc<Safety>,
    /// What the narration points at (the ring and the log table read it as a context).
    pub highlights: Rc<Highlights>,
}

#[hook]
pub fn use_views(state: &State, lang: Lang) -> Views {
    let version = state.version;
    let selection = state.selection;
    let run = state.run_cell();
    let servers = {
        let run = run.clone();
        use_memo((version, lang), move |_| {
            Shared::new(run.borrow().servers(lang))
        })
    };
    let messages = {
        let run = run.clone();
        use_memo((version, lang), move |_| {
            Shared::new(run.borrow().messages(lang))
        })
    };
    let cut = {
        let run = run.clone();
        use_memo(version, move |_| Shared::new(run.borrow().cut_links()))
    };
    let menu = {
        let run = run.clone();
        use_memo((version, lang, selection), move |_| match selection {
            Selection::Node(node) => run.borrow().menu(node, lang).map(Shared::new),
            _ => None,
        })
    };
    let inspector = {
        let run = run.clone();
        use_memo((version, lang, selection), move |_| match selection {
            Selection::Node(node) => run.borrow().inspector(node, lang).map(Shared::new),
            _ => None,
        })
    };
    let message = {
        let run = run.clone();
        use_memo((version, lang, selection), move |_| match selection {
            Selection::Message(id) => run.borrow().message(id, lang).map(Shared::new),
            _ => None,
        })
    };
    let legend = {
        let run = run.clone();
        use_memo(lang, move |_| run.borrow().legend(lang))
    };
    let start_hint = {
        let run = run.clone();
        use_memo((version, lang), move |_| {
            run.borrow().start_hint(lang).map(AttrValue::from)
        })
    };
    let safety = {
        let run = run.clone();
        use_memo((version, lang), move |_| run.borrow().safety(lang))
    };
    let highlights = use_memo((version, state.hovered_claim), move |(_, hovered)| {
        run.borrow().highlights(*hovered)
    });
    Views {
        servers: (*servers).clone(),
        messages: (*messages).clone(),
        cut: (*cut).clone(),
        menu: (*menu).clone(),
        inspector: (*inspector).clone(),
        message: (*message).clone(),
        legend,
        start_hint: (*start_hint).clone(),
        safety,
        highlights,
    }
}

#[derive(Properties)]
struct PanelProps {
    run: Rc<RefCell<Box<dyn Run>>>,
    version: u64,
}

impl PartialEq for PanelProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.run, &other.run) && self.version == other.version
    }
}

/// The protocol's table, drawn again only when the run changed.
#[component]
fn Panel(props: &PanelProps) -> Html {
    let lang = use_lang();
    props.run.borrow().panel(lang)
}

#[derive(Properties, PartialEq)]
struct ProtocolPickerProps {
    current: &'static str,
    seed: u64,
    /// Parameters to keep across the switch (`&lang=zh...`).
    keep: String,
}

/// Switches protocol: a new page for the same seed.
#[component]
fn ProtocolPicker(props: &ProtocolPickerProps) -> Html {
    let seed = props.seed;
    let lang = use_lang();
    let keep = props.keep.clone();
    let onchange = Callback::from(move |e: Event| {
        let value = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .map(|s| s.value());
        let info = value
            .as_deref()
            .and_then(crate::registry::find)
            .unwrap_or(PROTOCOLS[0]);
        super::navigate(&format!(
            "{}{keep}",
            info.query(&info.default_shape(), seed)
        ));
    });
    let options = PROTOCOLS.iter().map(|p| {
        html! { <option value={p.name} selected={p.name == props.current}>{ p.title }</option> }
    });
    html! {
        <select class="algo-picker" aria-label={lang.t("Algorithm", "算法")} {onchange} data-algo-picker="">{ for options }</select>
    }
}

#[derive(Properties, PartialEq)]
struct PresentProps {
    present: bool,
    dispatch: Dispatch,
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
                "演示模式：大字号、高对比度、全屏（P）。PageDown / PageUp 切换场景步骤，按“.”键暂停")}>
            { if on { lang.t("Leave presenter mode", "退出演示") } else { lang.t("Present", "演示") } }
        </button>
    }
}

#[derive(Properties, PartialEq)]
struct ThemeSwitchProps {
    theme: Theme,
}

/// The header's switch between light and dark colours (kept in the
/// address as `theme=`, as the language is).
#[component]
fn ThemeSwitch(props: &ThemeSwitchProps) -> Html {
    let lang = use_lang();
    let set = use_context::<SetTheme>();
    let theme = props.theme;
    let onclick = set.map(|s| Callback::from(move |_: MouseEvent| s.0.emit(theme.other())));
    let dark = theme == Theme::Dark;
    html! {
        <button type="button" class="theme-switch" aria-pressed={dark.to_string()} {onclick}
            data-theme-switch={theme.as_str()}
            title={lang.t("Dark colours (kept in the page's address)", "深色配色（记在页面地址中）")}>
            <span aria-hidden="true">{ if dark { "☾" } else { "☀" } }</span>
            <span class="sr-only">{ lang.t("Dark theme", "深色主题") }</span>
        </button>
    }
}

/// The address's mistakes, named.
fn url_errors(address: &Address, lang: Lang) -> Option<Html> {
    (!address.params.errors.is_empty()).then(|| {
        let items = address
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
fn notice_of(state: &State, dispatch: &Dispatch, lang: Lang) -> Option<Html> {
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

/// Draws the page: the header, the timeline, the stage, the side column,
/// the faults and the status line, as much of each as the mode shows.
pub fn render(
    state: &State,
    views: &Views,
    address: &Address,
    dispatch: &Dispatch,
    lang: Lang,
    dragging: bool,
    on_import: Callback<Vec<u8>>,
) -> Html {
    let run = state.run();
    let info = run.info();
    let params = &address.params;
    let keep = address.keep(lang, state.speed_pos);
    let embed = params.embed;
    let controls = address.controls();
    let full = controls == ControlsLevel::Full;
    let scenario = run.scenario_name();
    let (_, end_time) = run.end();
    // Events and commands, at the moment shown and at the run's end: the
    // timeline and the status bar both count them.
    let happened = run.happenings();
    let in_past = run.in_past();
    let off_script_from = run.off_script_from();
    let trace_hash = format!("{:016x}", run.trace_hash());
    let header = match controls {
        ControlsLevel::None => html! {},
        ControlsLevel::Minimal => html! {
            <header class="top compact">
                <Controls playing={state.playing} speed_pos={state.speed_pos}
                    now={state.display_now} dispatch={dispatch.clone()} />
            </header>
        },
        ControlsLevel::Full => html! {
            <header class="top">
                <h1>{ format!("Quorum · {}", info.title) }</h1>
                <ProtocolPicker current={info.name} seed={address.seed} keep={keep.clone()} />
                <ScenarioMenu current={scenario.clone()} protocol={info.name} keep={keep.clone()} />
                <LangSwitch />
                <ThemeSwitch theme={address.theme} />
                if !embed {
                    <PresentButton present={state.present} dispatch={dispatch.clone()} />
                }
                <Controls playing={state.playing} speed_pos={state.speed_pos}
                    now={state.display_now} dispatch={dispatch.clone()} />
            </header>
        },
    };
    let timeline = (controls != ControlsLevel::None).then(|| {
        html! {
            <TimelineBar now={state.display_now} end={end_time} {in_past}
                scripted={run.script().is_some() && off_script_from.is_none()}
                {happened}
                dispatch={dispatch.clone()} />
        }
    });
    let timer_words = run.timer_words();
    // Presenting a scenario, the narration needs the room: the faults fold
    // behind their heading, one click away.
    let fold_faults = state.present && run.script().is_some();
    let faults = full.then(|| {
        let shape = run.shape();
        let on: Vec<bool> = shape.get(info.shape.len()..).unwrap_or_default().iter().map(|&v| v == 1).collect();
        let panel = html! {
            <>
                <Faults nodes={run.nodes()} network={run.network()} sizes={info.sized()}
                    timers={timer_words.clone()} noun={run.noun()}
                    cut={(*views.cut).clone()} dispatch={dispatch.clone()} />
                if !info.switches.is_empty() {
                    { switches(info.switches, &on, lang, dispatch) }
                }
            </>
        };
        if fold_faults {
            html! {
                <details class="below faults-fold" data-faults-fold="">
                    <summary>{ lang.t("Faults: crash, cut, split, loss…", "故障：崩溃、切断、分区、丢失…") }</summary>
                    { panel }
                </details>
            }
        } else {
            html! { <div class="below">{ panel }</div> }
        }
    });
    let on_export = {
        // The run is read when the button is pressed, not copied every frame.
        let run = state.run_cell();
        let scenario = scenario.clone();
        Callback::from(move |_: ()| {
            let shared = run.borrow().shared_run();
            let file = RunFile::new(shared, scenario.clone());
            download(&file.file_name(), &file.to_json());
        })
    };
    let status = full.then(|| {
        html! {
            <>
                <StatusBar seed={run.seed()} nodes={run.nodes()} noun={run.noun()}
                    trace_hash={trace_hash.clone()} events={happened.0}
                    safety={(*views.safety).clone()}
                    link={format!("{}{keep}", info.query(&run.shape(), run.seed()))}
                    share={state.share.as_deref().map(|t| share_url(info.name, t, scenario.as_deref(),
                        &address.keep_shared(lang, state.speed_pos, state.present)))}
                    shares={state.shares}
                    on_share={dispatch.reform(|_| Action::Share)} />
                if !embed {
                    <div class="run-file-bar">
                        <RunFileButtons {on_export} on_import={on_import.clone()} />
                    </div>
                }
            </>
        }
    });
    let narration = run.script().map(|script| {
        let step = run.step_shown();
        let claims = step.map(|i| run.claims(i, lang)).unwrap_or_default();
        html! {
            <Narration {script} {step} {claims}
                checks={run.step_checks()} pause_at_steps={state.pause_at_steps}
                {off_script_from} now={state.display_now}
                controls={controls != ControlsLevel::None} dispatch={dispatch.clone()}
                unfold={state.present && !embed} />
        }
    });
    let inspector = match state.selection {
        Selection::Node(node) => views.inspector.clone().map(|inspector| {
            html! { <NodeInspector {node} {inspector} now={state.display_now} /> }
        }),
        Selection::Message(id) => Some(html! {
            <MessageInspector {id} detail={views.message.clone()} now={state.display_now}
                held={state.held} dropped={state.dropped == Some(id)} dispatch={dispatch.clone()} />
        }),
        Selection::None => None,
    };
    // Beside the ring, not over it (see `node_menu`).
    let menu = views.menu.clone().map(|menu| {
        html! { <NodeMenu {menu} held={state.held} dispatch={dispatch.clone()} /> }
    });
    let classes = classes!(
        "app",
        (info.name != PROTOCOLS[0].name).then_some(info.name),
        embed.then_some("embed"),
        embed.then(|| format!("controls-{}", controls.as_str())),
        state.present.then_some("present"),
        (address.theme == Theme::Dark).then_some("theme-dark"),
        narration.is_some().then_some("has-narration"),
        dragging.then_some("dragging"),
    );
    let leader = run.leader();
    // The switches on, by key, for tests: `prevote checkquorum`.
    let switches_on: Vec<&str> = info
        .switches
        .iter()
        .zip(run.shape().get(info.shape.len()..).unwrap_or_default())
        .filter(|(_, &on)| on == 1)
        .map(|(s, _)| s.key)
        .collect();
    // The guided start is for a page of its own: no embed, no presenting, no
    // scenario, shared run or run file under it.
    let tour_available =
        !embed && !state.present && run.script().is_none() && params.shared.is_none();
    let busy = state.selection != Selection::None || state.help_open;
    let refused = views.messages.iter().any(|m| m.refused);
    html! {
        <ContextProvider<Rc<Highlights>> context={views.highlights.clone()}>
        <div class={classes} data-app="" data-algo={info.name}
            data-trace-hash={trace_hash}
            data-virtual-time={run.now().to_string()}
            data-seed={run.seed().to_string()}
            data-nodes={run.nodes().to_string()}
            data-playing={state.playing.to_string()}
            data-events={run.events().to_string()}
            data-in-past={in_past.to_string()}
            data-end-time={end_time.to_string()}
            data-leader={leader.map(|n| n.to_string()).unwrap_or_default()}
            data-switches-on={switches_on.join(" ")}
            data-embed={embed.to_string()}
            data-controls={controls.as_str()}
            data-present={state.present.to_string()}
            data-theme={address.theme.as_str()}>
            <OnrampHost steps={run.tour()} glossary={run.glossary()} available={tour_available}>
            { header }
            { timeline }
            if full { { url_errors(address, lang) } }
            if state.help_open {
                <Help timers={timer_words} dispatch={dispatch.clone()} />
            }
            <main>
                <section class="stage" aria-label={lang.t("Cluster", "集群")}>
                    { notice_of(state, dispatch, lang) }
                    <Ring servers={views.servers.clone()} messages={views.messages.clone()}
                        cut={views.cut.clone()} now={state.display_now} playing={state.playing}
                        selection={state.selection} dispatch={dispatch.clone()}
                        label_px={if state.present && !embed { ROOM_LABEL_PX } else { LABEL_PX }} />
                    // An embed that can be acted on says how to start too.
                    if controls != ControlsLevel::None { <StartHint text={views.start_hint.clone()} /> }
                    if embed {
                        // A frame has no room to spare: the legend folds behind a small button.
                        <details class="legend-fold" data-legend-fold="">
                            <summary>{ lang.t("Key", "图例") }</summary>
                            <Legend items={(*views.legend).clone()} cuts={!views.cut.is_empty()} {refused} />
                        </details>
                    } else {
                        <Legend items={(*views.legend).clone()} cuts={!views.cut.is_empty()} {refused} />
                    }
                </section>
                <div class="side">
                    <TourCard run={state.run_cell()} version={state.version} busy={busy} playing={state.playing} dispatch={dispatch.clone()} />
                    { menu.unwrap_or_default() }
                    { inspector.unwrap_or_default() }
                    { narration.unwrap_or_default() }
                    <Panel run={state.run_cell()} version={state.version} />
                    <EventFeed run={state.run_cell()} version={state.version} present={state.present} />
                </div>
                { faults }
            </main>
            { status }
            if dragging {
                <div class="drop-hint" aria-hidden="true">
                    { lang.t("Drop a run file (JSON) to open it", "松开鼠标以打开运行文件（JSON）") }
                </div>
            }
            </OnrampHost>
        </div>
        </ContextProvider<Rc<Highlights>>>
    }
}

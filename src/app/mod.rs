//! The page: reads the address, starts the run (a new one, a shared one, a
//! scenario fetched for it), owns the state, wires the clock, the keys and
//! dropped files, keeps the address following the run, and lays the page
//! out ([`layout`]). It is compiled once: everything it knows of the
//! protocol comes through [`Page`] and [`crate::run::Run`].

mod address;
mod layout;

pub use address::{navigate, set_query_param, Address, SetTheme};

use crate::fetch::fetch_bytes;
use crate::hooks::{
    use_animation_clock, use_dismiss_on_outside_click, use_file_drop, use_in_view, use_keyboard,
};
use crate::i18n::{browser_lang, text, use_lang, Lang, SetLang, Text};
use crate::run::Page;
use crate::runfile::import_query;
use crate::state::{Action, Dispatch, Selection, State};
use crate::url::ControlsLevel;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties)]
pub struct AppProps {
    /// The protocol this bundle runs.
    pub page: &'static dyn Page,
}

impl PartialEq for AppProps {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.page.info(), other.page.info())
    }
}

/// How far the page is from showing its run.
#[derive(Clone)]
enum Boot {
    /// The scenario the address names is being fetched.
    Fetching,
    Ready(Rc<RefCell<Option<State>>>),
}

impl PartialEq for Boot {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Boot::Fetching, Boot::Fetching) => true,
            (Boot::Ready(a), Boot::Ready(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

fn ready(state: State) -> Boot {
    Boot::Ready(Rc::new(RefCell::new(Some(state))))
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let page = props.page;
    let opened = use_memo((), |_| Address::read());
    let (address, set_theme) = address::use_themed(&opened);
    if address.params.debug_panic {
        panic!("the address asked for a panic (debug=panic)");
    }
    let lang = {
        let chosen = address.params.lang;
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
    let title = page.info().title;
    let embed = address.params.embed;
    use_effect_with((*lang, address.theme), move |(lang, theme)| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            if let Some(root) = document.document_element() {
                let _ = root.set_attribute("lang", lang.tag());
                let _ = root.set_attribute("data-theme", theme.as_str());
                let _ = root.set_attribute("data-embed", &embed.to_string());
            }
            // The protocol's name, the same in both languages: a tab is narrow.
            document.set_title(&format!("Quorum · {title}"));
        }
    });
    let boot = {
        let address = address.clone();
        use_state(move || match &address.params.scenario {
            Some(_) => Boot::Fetching,
            None => ready(first_state(page, &address, None)),
        })
    };
    {
        let boot = boot.clone();
        let address = address.clone();
        use_effect_with((), move |_| {
            if let Some(name) = address.params.scenario.clone() {
                fetch_bytes(&crate::scenarios::url_of(&name), move |got| {
                    boot.set(ready(first_state(page, &address, Some(got))));
                });
            }
        });
    }
    let body = match &*boot {
        Boot::Fetching => html! {
            <div class="app booting" data-booting="">
                <p class="hint">{ lang.t("Loading the scenario…", "正在加载场景…") }</p>
            </div>
        },
        Boot::Ready(first) => html! {
            <Running {page} first={first.clone()} address={address.clone()} />
        },
    };
    html! {
        <ContextProvider<Lang> context={*lang}>
            <ContextProvider<SetLang> context={SetLang(set_lang)}>
                <ContextProvider<SetTheme> context={SetTheme(set_theme)}>
                    { body }
                </ContextProvider<SetTheme>>
            </ContextProvider<SetLang>>
        </ContextProvider<Lang>>
    }
}

/// The page's first state: a shared run (with its scenario's narration if
/// the link names one), a scenario, or a new run; a link or scenario that
/// cannot be used says why and gives way to a new run.
fn first_state(
    page: &'static dyn Page,
    address: &Address,
    scenario: Option<Result<Vec<u8>, Text>>,
) -> State {
    let params = &address.params;
    let fresh = || {
        let shape = if std::ptr::eq(params.protocol, page.info()) {
            params.shape.clone()
        } else {
            page.info().default_shape()
        };
        let run = page
            .new_run(&shape, address.seed)
            .expect("the page offers only shapes the simulation accepts");
        State::new(page, run)
    };
    let mut notices: Vec<Text> = Vec::new();
    if !std::ptr::eq(params.protocol, page.info()) {
        // The loader fell back to this page (another protocol's could not load).
        notices.push(text(
            format!(
                "{} could not be loaded here; this is {}.",
                params.protocol.title,
                page.info().title
            ),
            format!(
                "无法在此加载 {}；这里运行的是 {}。",
                params.protocol.title,
                page.info().title
            ),
        ));
    }
    let scenario = scenario.map(|got| {
        got.map_err(|e| {
            text(
                format!("The scenario could not be loaded: {}", e.en),
                format!("无法加载场景：{}", e.zh),
            )
        })
    });
    let scenario_bytes = scenario.as_ref().and_then(|s| s.as_ref().ok());
    let shared = params
        .shared
        .as_deref()
        .map(|link| page.shared(link, scenario_bytes.map(Vec::as_slice)));
    let mut link_error = None;
    let mut state = match (shared, scenario) {
        (Some(Ok((run, notice))), scenario) => {
            if let Some(Err(e)) = scenario {
                notices.push(e);
            }
            notices.extend(notice);
            let mut state = State::new(page, run);
            state.playing = false;
            state
        }
        (shared, Some(Ok(bytes))) => {
            if let Some(Err(e)) = shared {
                link_error = Some(e);
            }
            match page.scenario(&bytes) {
                Ok(run) => {
                    let mut state = State::new(page, run);
                    state.playing = false;
                    state
                }
                Err(e) => {
                    notices.push(text(
                        format!(
                            "The scenario could not be played: {}. This is a new run.",
                            e.en
                        ),
                        format!("场景无法播放：{}。这是一次新的运行。", e.zh),
                    ));
                    fresh()
                }
            }
        }
        (shared, Some(Err(e))) => {
            if let Some(Err(e)) = shared {
                link_error = Some(e);
            }
            notices.push(e);
            fresh()
        }
        (Some(Err(e)), None) => {
            link_error = Some(e);
            fresh()
        }
        (None, None) => fresh(),
    };
    // A broken link says why; what is shown instead is the scenario it
    // named, from its start, or else a new run.
    if let Some(e) = link_error {
        let (en, zh) = if state.run().script().is_some() {
            (
                "This is the scenario from its start.",
                "这是从头开始的场景。",
            )
        } else {
            ("This is a new run.", "这是一次新的运行。")
        };
        notices.insert(
            0,
            text(
                format!("The run in the link could not be used: {}. {en}", e.en),
                format!("链接中的运行无法使用：{}。{zh}", e.zh),
            ),
        );
    }
    // `step=`: a scenario opens at that step, as if its dot were pressed.
    if let Some(n) = params.step.filter(|_| params.shared.is_none()) {
        let steps = state.run().script().map(|s| s.steps.len());
        match steps {
            Some(count) if n <= count => {
                state = (*Rc::new(state).reduce(crate::state::Action::GoToStep(n - 1))).clone();
            }
            Some(count) => notices.push(crate::url::refused(
                "step",
                &n.to_string(),
                (
                    &format!("the scenario has {count} steps"),
                    &format!("这个场景只有 {count} 步"),
                ),
                ("showing its first", "显示第 1 步"),
            )),
            None => notices.push(crate::url::refused(
                "step",
                &n.to_string(),
                (
                    "only a scenario (scenario=…) has steps, and this run has none",
                    "只有场景（scenario=…）才有步，这次运行没有场景",
                ),
                ("ignoring it", "忽略它"),
            )),
        }
    }
    if !notices.is_empty() {
        state.notice = Some(text(
            notices
                .iter()
                .map(|t| t.en.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            notices
                .iter()
                .map(|t| t.zh.as_str())
                .collect::<Vec<_>>()
                .join(""),
        ));
    }
    // An embed waits to be asked to play (unless it has no button to ask
    // with); a page plays a new run at once; a shared moment or a scenario waits.
    let default_play = if params.embed {
        address.controls() == ControlsLevel::None
    } else {
        state.playing
    };
    state.playing = params.autoplay.unwrap_or(default_play);
    if let Some(pause) = params.pause_at_steps {
        state.pause_at_steps = pause;
    }
    state.present = params.present;
    if let Some(pos) = params.speed_pos {
        state.speed_pos = pos;
    }
    state
}

#[derive(Properties)]
struct RunningProps {
    page: &'static dyn Page,
    /// The first state, taken once by the reducer.
    first: Rc<RefCell<Option<State>>>,
    address: Address,
}

impl PartialEq for RunningProps {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.page.info(), other.page.info())
            && Rc::ptr_eq(&self.first, &other.first)
            && self.address == other.address
    }
}

/// The running page: the state, a dispatch callback, the animation clock
/// (running only while the page is visible and in view), the keys, closing
/// popovers on an outside click, dropped files, and the address following
/// the run.
#[component]
fn Running(props: &RunningProps) -> Html {
    let page = props.page;
    let address = &props.address;
    let state = {
        let first = props.first.clone();
        use_reducer(move || {
            first.borrow_mut().take().unwrap_or_else(|| {
                State::new(
                    page,
                    page.new_run(&page.info().default_shape(), 0)
                        .expect("a run"),
                )
            })
        })
    };
    // Components get a callback, not the reducer.
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
    use_address_following(&state, address, page);
    let lang = use_lang();
    let on_import = {
        let keep = address.keep(lang, state.speed_pos);
        let dispatch = dispatch.clone();
        use_callback(keep, move |bytes: Vec<u8>, keep| {
            match import_query(&bytes, keep, page) {
                Ok(query) => navigate(&query),
                Err(why) => dispatch.emit(Action::Notice(text(
                    format!("The file could not be opened: {}", why.en),
                    format!("无法打开该文件：{}", why.zh),
                ))),
            }
        })
    };
    let dragging = use_file_drop(on_import.clone());
    let views = layout::use_views(&state, lang);
    layout::render(
        &state, &views, address, &dispatch, lang, dragging, on_import,
    )
}

/// A new cluster size is a new run: the address follows, so a reload keeps it.
#[hook]
fn use_address_following(state: &State, address: &Address, page: &'static dyn Page) {
    let shape = state.run().shape();
    let seed = state.run().seed();
    let first = use_mut_ref(|| true);
    let keeps_run = address.params.shared.is_some() || address.params.scenario.is_some();
    let view = address.keep_view();
    let speed = address::speed_kept(state.speed_pos);
    // The speed chosen on the slider stays in the address, as the language does.
    let speed_pos = state.speed_pos;
    let first_speed = use_mut_ref(|| true);
    use_effect_with(speed_pos, move |pos| {
        if !std::mem::replace(&mut *first_speed.borrow_mut(), false) {
            set_query_param("speed", &crate::state::speed_param(*pos));
        }
    });
    use_effect_with((shape, seed), move |(shape, seed)| {
        // An address carrying a shared run or a scenario stays as it is until the size changes.
        if std::mem::replace(&mut *first.borrow_mut(), false) && keeps_run {
            return;
        }
        let url = format!(
            "{}{}{speed}{view}",
            page.info().query(shape, *seed),
            address::current_lang_param()
        );
        address::replace_query(&url);
    });
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

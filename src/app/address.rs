//! The page's address: what it asks for (its parameters, with a seed picked
//! now if it has none), the parameters every link keeps, and changing it.

use crate::i18n::Lang;
use crate::url::{parse_query, ControlsLevel, RunParams, Theme};
use yew::prelude::*;

/// The run's parameters, with a seed picked now if the address has none.
#[derive(Clone, Debug, PartialEq)]
pub struct Address {
    pub params: RunParams,
    pub seed: u64,
    /// The colours shown: `params.theme` (the address's, or the switch's
    /// since), else the system's setting.
    pub theme: Theme,
}

impl Address {
    /// The address of the page as it was opened.
    pub fn read() -> Address {
        let query = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        let params = parse_query(&query);
        // Small enough to read out and type back in.
        let seed = params
            .seed
            .unwrap_or_else(|| (js_sys::Math::random() * 1_000_000_000.0) as u64);
        let theme = params.theme.unwrap_or_else(system_theme);
        Address {
            params,
            seed,
            theme,
        }
    }

    /// The parameters every link the page writes keeps: how it is shown,
    /// not what runs (`&lang=zh&speed=1/100&theme=dark&embed=1...`).
    pub fn keep(&self, lang: Lang, speed_pos: i32) -> String {
        self.keep_shared(lang, speed_pos, self.params.present)
    }

    /// The controls shown: an embed's choice, all of them on the full page.
    pub fn controls(&self) -> ControlsLevel {
        if self.params.embed {
            self.params.controls
        } else {
            ControlsLevel::Full
        }
    }

    /// What a copied link keeps: as [`Address::keep`], with presenter mode
    /// as the page is now (entered with `P`, or left), not as it opened.
    pub fn keep_shared(&self, lang: Lang, speed_pos: i32, present: bool) -> String {
        format!(
            "&lang={}{}{}",
            lang.code(),
            speed_kept(speed_pos),
            self.keep_view_presenting(present)
        )
    }

    /// [`Address::keep`] without the language.
    pub fn keep_view(&self) -> String {
        self.keep_view_presenting(self.params.present)
    }

    fn keep_view_presenting(&self, present: bool) -> String {
        let p = &self.params;
        let mut keep = String::new();
        // Only a theme someone chose: without one, each reader's system decides.
        if let Some(theme) = p.theme {
            keep += &format!("&theme={}", theme.as_str());
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
        if present {
            keep += "&present=1";
        }
        keep
    }
}

/// `&speed=...` when the speed is not the default one.
pub fn speed_kept(speed_pos: i32) -> String {
    if speed_pos == crate::state::DEFAULT_SPEED_POS {
        String::new()
    } else {
        format!("&speed={}", crate::state::speed_param(speed_pos))
    }
}

/// Sets one parameter of the address in place (no reload, no history entry).
pub fn set_query_param(key: &str, value: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(search) = window.location().search() else {
        return;
    };
    let query = crate::url::with_param(&search, key, value);
    replace_query(&query);
}

/// Puts `query` (or a whole address) in the address bar without a reload.
pub fn replace_query(url: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
}

/// Opens another address (a reload).
pub fn navigate(query: &str) {
    if let Some(location) = web_sys::window().map(|w| w.location()) {
        let _ = location.set_search(query);
    }
}

/// The full address of a shared run (and its scenario).
pub fn share_url(protocol: &str, link: &str, scenario: Option<&str>, keep: &str) -> String {
    let base = web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
        })
        .unwrap_or_default();
    let scenario = scenario
        .map(|s| format!("&scenario={s}"))
        .unwrap_or_default();
    format!("{base}?algo={protocol}{scenario}&run={link}{keep}")
}

/// The language the address names now (the switch keeps it there).
pub fn current_lang_param() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|q| parse_query(&q).lang)
        .map(|l| format!("&lang={}", l.code()))
        .unwrap_or_default()
}

/// What the system asks for (`prefers-color-scheme`).
fn dark_query() -> Option<web_sys::MediaQueryList> {
    web_sys::window()?
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
}

fn system_theme() -> Theme {
    match dark_query() {
        Some(q) if q.matches() => Theme::Dark,
        _ => Theme::Light,
    }
}

/// The header's theme switch: turns to the theme given and keeps it in the address.
#[derive(Clone, PartialEq)]
pub struct SetTheme(pub Callback<Theme>);

/// The address as opened, with the theme shown now: the one chosen (the
/// address's `theme=`, or the switch's since), else the system's, followed
/// when it changes. The switch's callback, for [`SetTheme`].
#[hook]
pub fn use_themed(address: &Address) -> (Address, Callback<Theme>) {
    let chosen = use_state(|| address.params.theme);
    let system = use_state(system_theme);
    {
        let system = system.setter();
        use_effect_with((), move |_| {
            let listener = dark_query().map(|query| {
                let target = query.clone();
                gloo_events::EventListener::new(&target, "change", move |_| {
                    system.set(if query.matches() {
                        Theme::Dark
                    } else {
                        Theme::Light
                    });
                })
            });
            move || drop(listener)
        });
    }
    let set = {
        let chosen = chosen.setter();
        use_callback((), move |theme: Theme, _| {
            chosen.set(Some(theme));
            set_query_param("theme", theme.as_str());
        })
    };
    let mut shown = address.clone();
    shown.params.theme = *chosen;
    shown.theme = chosen.unwrap_or(*system);
    (shown, set)
}

//! The run's identity and health: seed, size, trace hash, safety.

use crate::i18n::{use_lang, Lang};
use crate::run::view::{Noun, Safety};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StatusBarProps {
    pub seed: u64,
    pub nodes: usize,
    /// What the protocol calls its nodes: "5 servers", "5 replicas".
    #[prop_or(Noun::SERVERS)]
    pub noun: Noun,
    pub trace_hash: String,
    pub events: u64,
    /// The safety properties checked, how often, and the first broken one.
    pub safety: Safety,
    /// The address that opens a new run with this seed.
    pub link: String,
    /// The address that reopens this very run at the moment shown, once asked for.
    pub share: Option<String>,
    /// How many times it was asked for: each time it is copied again.
    pub shares: u64,
    pub on_share: Callback<()>,
}

#[component]
pub fn StatusBar(props: &StatusBarProps) -> Html {
    let StatusBarProps {
        seed,
        nodes,
        noun,
        trace_hash,
        events,
        safety,
        link,
        share,
        shares,
        on_share,
    } = props;
    let lang = use_lang();
    // A new link goes to the clipboard too, where the browser allows it,
    // and says for a moment whether it did.
    let copied = use_state(|| None::<bool>);
    {
        let copied = copied.clone();
        use_effect_with((share.clone(), *shares), move |(share, _)| {
            if let Some(url) = share {
                copy_to_clipboard(url, copied);
            }
        });
    }
    let copy = {
        let on_share = on_share.clone();
        Callback::from(move |_: MouseEvent| on_share.emit(()))
    };
    let checked = safety.checked;
    let safety = match &safety.violation {
        None => {
            let title = match lang {
                Lang::En => format!(
                    "Checked after every event ({checked} so far): {}",
                    safety.properties.join(", ")
                ),
                Lang::Zh => format!(
                    "每个事件之后都会检查（至今 {checked} 次）：{}",
                    safety.properties.join("、")
                ),
            };
            html! {
                <span class="safety ok" data-safety="ok" {title}>
                    { lang.t("✓ safety holds", "✓ 安全性成立") }
                </span>
            }
        }
        Some(v) => html! {
            <span class="safety violated" data-safety="violated" role="alert">{ format!("✗ {v}") }</span>
        },
    };
    html! {
        <footer class="status">
            <span>{ lang.t("seed ", "种子 ") }<code data-seed-value="">{ seed }</code></span>
            <span>{ lang.t(format!("{nodes} {}", noun.en), format!("{nodes} {}{}", noun.measure_zh, noun.zh)) }</span>
            <span>{ lang.t("trace ", "轨迹哈希 ") }<code>{ trace_hash }</code></span>
            <span>{ lang.t(format!("{events} events"), format!("{events} 个事件")) }</span>
            { safety }
            <a href={link.clone()} title={lang.t("A new run with this seed and size", "用同样的种子和规模开始新的运行")}>{ lang.t("same seed", "用同一种子重新运行") }</a>
            <button type="button" class="share" onclick={copy}
                title={lang.t("A link to this run, every action and the moment shown included", "指向本次运行的链接，包含每一步操作和当前所示的时刻")}>{ lang.t("Copy link", "拷贝链接") }</button>
            // Each press says it again, a new line that fades (static/style.css).
            <span class="copied" role="status" aria-live="polite">
                if let Some(ok) = *copied {
                    <span key={shares.to_string()} data-copied={ok.to_string()}>{ if ok {
                        lang.t("Copied", "已拷贝")
                    } else {
                        lang.t("Copy it from the box", "请从框中手动拷贝")
                    } }</span>
                }
            </span>
            if let Some(url) = share {
                <input class="share-link" type="text" readonly=true value={url.clone()}
                    aria-label={lang.t("Link to this run", "本次运行的链接")} data-share-link={url.clone()} />
            }
        </footer>
    }
}

/// Writes `text` to the clipboard and sets `copied` to whether it could.
/// Refused (no permission, page not focused), the link is still shown to
/// copy by hand, and the note says so.
fn copy_to_clipboard(text: &str, copied: UseStateHandle<Option<bool>>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::spawn_local(async move {
        let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        copied.set(Some(ok));
    });
}

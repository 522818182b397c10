//! The keyboard help (`?`): every key the page answers to.

use super::glossary;
use super::tour::{Onramp, Tour};
use crate::i18n::use_lang;
use crate::run::view::TimerWords;
use crate::state::{Action, Dispatch};
use yew::prelude::*;

/// Each key and what it does, in the order the help lists them: the key as
/// English and Chinese keyboards label it, then what it does in each language.
pub const KEYS: [(&str, &str, &str, &str); 13] = [
    (
        "Space or .",
        "空格键或 .",
        "Play / pause (presenter remotes send .)",
        "播放 / 暂停（翻页笔发送的是 .）",
    ),
    (
        "PageDown / PageUp",
        "PageDown / PageUp",
        "A scenario's next / previous step (presenter remotes send these)",
        "场景的下一步 / 上一步（翻页笔发送的就是这两个键）",
    ),
    (
        "P",
        "P",
        "Presenter mode: large type, high contrast, full screen",
        "演示模式：大字号、高对比度、全屏",
    ),
    ("→", "→", "Step one event forward", "前进一个事件"),
    ("←", "←", "Step one event back", "后退一个事件"),
    (
        "C",
        "C",
        "Client request to the leader",
        "向领导者发送客户端请求",
    ),
    (
        "R",
        "R",
        "Restart the leader (crash it and start it again)",
        "重启领导者（先使其崩溃，再重新启动）",
    ),
    (
        "B",
        "B",
        "Bring back every crashed server",
        "恢复所有已崩溃的服务器",
    ),
    // T and A move the protocol's own timers: their words come with it.
    ("T", "T", "", ""),
    ("A", "A", "", ""),
    ("1 – 9", "1 – 9", "Select a server", "选择一台服务器"),
    ("?", "?", "Show or hide these keys", "显示或隐藏这些快捷键"),
    (
        "Esc",
        "Esc",
        "Close menus and this help",
        "关闭菜单和本帮助",
    ),
];

#[derive(Properties, PartialEq)]
pub struct HelpProps {
    /// What T and A move, in the protocol's words.
    pub timers: TimerWords,
    pub dispatch: Dispatch,
}

#[component]
pub fn Help(props: &HelpProps) -> Html {
    let lang = use_lang();
    let close = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::ToggleHelp))
    };
    let onramp = use_context::<Onramp>();
    let tour = onramp.as_ref().map(|o| o.tour.clone()).filter(Tour::offered).map(|tour| {
        let dispatch = props.dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::ToggleHelp);
            tour.start();
        });
        html! {
            <button type="button" data-tour-open="" {onclick}>{ lang.t("Guided start", "入门导览") }</button>
        }
    });
    let close_help = props.dispatch.reform(|_: ()| Action::ToggleHelp);
    let leaderless = props.timers.align_with_leader.is_none();
    let rows = KEYS.iter().filter_map(|&(key, key_zh, what, what_zh)| {
        let (key, key_zh, what) = match key {
            "T" => (key, key_zh, lang.of(&props.timers.spread)),
            "A" => (key, key_zh, lang.of(&props.timers.align)),
            // A protocol without a leader (basic Paxos) says so once for both
            // keys that would act on one, rather than name one.
            "R" if leaderless => return None,
            "C" if leaderless => (
                "C, R",
                "C、R",
                lang.t(
                    "No leader in this protocol: click a server for its menu instead",
                    "这个协议没有领导者：请点击服务器，在它的菜单里操作",
                ),
            ),
            _ => (key, key_zh, lang.t(what, what_zh)),
        };
        Some(html! { <tr><th scope="row"><kbd>{ lang.t(key, key_zh) }</kbd></th><td>{ what }</td></tr> })
    });
    html! {
        <div class="help" data-help="" role="dialog" aria-label={lang.t("Keyboard shortcuts", "键盘快捷键")}>
            <header>
                <strong>{ lang.t("Keyboard shortcuts", "键盘快捷键") }</strong>
                <button type="button" class="close" aria-label={lang.t("Close", "关闭")} onclick={close}>{ "×" }</button>
            </header>
            <p class="onramp-links">
                { tour }
                { glossary::open_button(onramp.as_ref().map(|o| &o.glossary), lang, "help", Some(close_help)) }
            </p>
            <table>{ for rows }</table>
            <p class="hint">{ lang.t(
                "Click a server for its menu and inspector; click a message to inspect, drop, duplicate or delay it.",
                "点击服务器可打开它的菜单和检查器；点击消息可查看、丢弃、重复投递或推迟它。",
            ) }</p>
        </div>
    }
}

//! Play / pause, speed, the virtual clock and the keyboard help.

use super::format_time;
use crate::i18n::use_lang;
use crate::state::{speed_at, speed_label, Action, Dispatch, SPEED_STEPS};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub playing: bool,
    pub speed_pos: i32,
    /// Virtual time shown, in microseconds.
    pub now: f64,
    pub dispatch: Dispatch,
}

#[component]
pub fn Controls(props: &ControlsProps) -> Html {
    let ControlsProps {
        playing,
        speed_pos,
        now,
        dispatch,
    } = props;
    let lang = use_lang();
    let toggle = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::TogglePlay))
    };
    let help = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::ToggleHelp))
    };
    let on_speed = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let value = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| input.value().parse::<i32>().ok());
            if let Some(pos) = value {
                dispatch.emit(Action::SetSpeed(pos));
            }
        })
    };
    let (label, icon) = if *playing {
        (
            lang.t("Pause", "暂停"),
            html! { <svg class="icon" viewBox="0 0 10 10" aria-hidden="true"><rect x="1.5" y="1" width="2.5" height="8"/><rect x="6" y="1" width="2.5" height="8"/></svg> },
        )
    } else {
        (
            lang.t("Play", "播放"),
            html! { <svg class="icon" viewBox="0 0 10 10" aria-hidden="true"><path d="M2,1 L9,5 L2,9 Z"/></svg> },
        )
    };
    let speed = speed_label(speed_at(*speed_pos));
    html! {
        <div class="controls">
            <button type="button" class="play" aria-label={label}
                title={lang.t(format!("{label} (Space)"), format!("{label}（空格键）"))} onclick={toggle}>
                { icon }<span>{ label }</span>
            </button>
            <label class="speed">
                <span>{ lang.t("Speed", "速度") }</span>
                <input type="range" aria-label={lang.t("Speed", "速度")} aria-valuetext={speed.clone()}
                    min="0" max={SPEED_STEPS.to_string()} step="1"
                    value={speed_pos.to_string()} oninput={on_speed} />
                <output>{ speed }</output>
            </label>
            <span class="clock" title={lang.t("Virtual time since the start of the run", "自本次运行开始以来的虚拟时间")}>
                { "t = " }<output>{ format_time(*now) }</output>
            </span>
            <button type="button" class="help-button" aria-label={lang.t("Keyboard shortcuts", "键盘快捷键")}
                title={lang.t("Keyboard shortcuts (?)", "键盘快捷键（?）")}
                onclick={help}>{ "?" }</button>
        </div>
    }
}

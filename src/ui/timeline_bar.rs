//! The timeline: a slider over the whole run, one event back and forward,
//! and the way back to the run's furthest point.
//!
//! The slider counts milliseconds of virtual time; the moment shown can be
//! any microsecond (after a step), so it is rounded down for the thumb.

use super::format_time;
use crate::i18n::use_lang;
use crate::state::{Action, Dispatch};
use quorum_sim::{Time, MS};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TimelineBarProps {
    /// The moment shown, in virtual µs.
    pub now: f64,
    /// The furthest the run has reached, in virtual µs.
    pub end: Time,
    pub in_past: bool,
    /// The future ahead is a scenario's script (not a past the person left).
    #[prop_or(false)]
    pub scripted: bool,
    /// What has happened (events and commands) by the moment shown, and by
    /// the run's furthest point: [`crate::run::Run::happenings`].
    pub happened: (u64, u64),
    pub dispatch: Dispatch,
}

/// The slider's position for a moment: whole milliseconds, rounded down.
pub fn slider_value(micros: f64) -> u64 {
    (micros.max(0.0) / MS as f64).floor() as u64
}

/// The slider's right end: the run's end, rounded up so the end is reachable.
pub fn slider_max(end: Time) -> u64 {
    end.div_ceil(MS)
}

/// The moment a slider position stands for, never past the end of the run.
pub fn slider_moment(value: u64, end: Time) -> Time {
    value.saturating_mul(MS).min(end)
}

#[component]
pub fn TimelineBar(props: &TimelineBarProps) -> Html {
    let TimelineBarProps {
        now,
        end,
        in_past,
        scripted,
        happened,
        dispatch,
    } = props;
    let (events, end_events) = *happened;
    let end = *end;
    let lang = use_lang();
    let on_input = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let value = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| input.value().parse::<u64>().ok());
            if let Some(value) = value {
                dispatch.emit(Action::Seek(slider_moment(value, end)));
            }
        })
    };
    let button = |label: &'static str, key: &'static str, action: Action, icon: Html| {
        let dispatch = dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| dispatch.emit(action.clone()));
        html! {
            <button type="button" class="tl-button" aria-label={label}
                title={lang.t(format!("{label} ({key})"), format!("{label}（{key}）"))} {onclick}>{ icon }</button>
        }
    };
    let back = button(
        lang.t("Step back", "后退一步"),
        "←",
        Action::StepBack,
        html! { <svg class="icon" viewBox="0 0 10 10" aria-hidden="true"><rect x="1" y="1" width="1.6" height="8"/><path d="M9,1 L3.5,5 L9,9 Z"/></svg> },
    );
    let forward = button(
        lang.t("Step", "前进一步"),
        "→",
        Action::Step,
        html! { <svg class="icon" viewBox="0 0 10 10" aria-hidden="true"><path d="M1,1 L6.5,5 L1,9 Z"/><rect x="7.4" y="1" width="1.6" height="8"/></svg> },
    );
    // The way back and the note are always there, only hidden at the live
    // end: the slider keeps its element and its width when the past is
    // entered, so a drag or a key press that enters it goes on.
    let go_live = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::GoLive))
    };
    let note = match (*in_past, *scripted) {
        (false, _) => "",
        (true, true) => lang.t(
            "Viewing the past: the scenario goes on from here; acting now leaves its script.",
            "正在查看过去：场景会从这里接着演下去；现在动手就会离开场景的脚本。",
        ),
        (true, false) => lang.t(
            "Viewing the past: acting here starts a new future from this moment.",
            "正在查看过去：在这里动手，就会从此刻走出另一种结果。",
        ),
    };
    let (shown, furthest) = (format_time(*now), format_time(end as f64));
    let text = lang.t(
        format!("{shown} of {furthest}"),
        format!("{shown} / {furthest}"),
    );
    html! {
        <div class={classes!("timeline", in_past.then_some("past"))} data-timeline=""
            data-in-past={in_past.to_string()} data-end-time={end.to_string()}>
            { back }
            <input type="range" class="tl-slider" aria-label={lang.t("Timeline", "时间线")} aria-valuetext={text.clone()}
                min="0" max={slider_max(end).to_string()} step="1"
                value={slider_value(*now).to_string()} oninput={on_input} />
            { forward }
            <span class="tl-readout" title={lang.t("The moment shown, and the run's furthest point", "所示的时刻，以及运行已到达的最远时刻")}>
                <output>{ text }</output>
                <span class="tl-events" data-happened={events.to_string()}
                    title={lang.t(
                        "Everything that happened, counted one by one: each message delivered, each timer that fired and each command (a client request, a crash, a cut link)",
                        "逐一计数已发生的事：每条送达的消息、每个到期的计时器、每条命令（客户端请求、崩溃、切断链路）",
                    )}>{ lang.t(
                    format!("event {events} of {end_events}"),
                    format!("第 {events} / {end_events} 个事件"),
                ) }</span>
            </span>
            <button type="button" class="go-live" data-go-live="" onclick={go_live}
                disabled={!*in_past} aria-hidden={(!*in_past).then_some("true")}
                title={lang.t("Jump to the furthest point the run has reached", "跳到运行已到达的最远时刻")}>{ lang.t("Back to live", "回到实时") }</button>
            <span class="past-note" role="status" title={note}>{ note }</span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slider_reaches_the_end_and_never_past_it() {
        assert_eq!(slider_max(1_500), 2);
        assert_eq!(slider_moment(2, 1_500), 1_500);
        assert_eq!(slider_max(2_000), 2);
        assert_eq!(slider_value(1_999.0), 1);
        assert_eq!(slider_moment(1, 1_500), 1_000);
    }
}

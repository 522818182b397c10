//! A scenario's narration: the step shown, what it claims and whether that
//! holds, the way to the next and previous steps, and whether playing
//! pauses at each.

use super::format_time;
use crate::i18n::use_lang;
use crate::run::{ScriptView, StepChecks};
use crate::state::{Action, Dispatch};
use quorum_sim::Time;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NarrationProps {
    pub script: Rc<ScriptView>,
    /// The step shown (the last one begun), if any.
    pub step: Option<usize>,
    /// The step's claims in words, in the page's language.
    pub claims: Vec<String>,
    pub checks: Option<Rc<StepChecks>>,
    pub pause_at_steps: bool,
    /// From this moment the run no longer follows the script (someone acted).
    pub off_script_from: Option<Time>,
    /// The moment shown, in µs.
    pub now: f64,
    /// Whether the step buttons and the checkbox are shown (`controls=none` hides them).
    #[prop_or(true)]
    pub controls: bool,
    pub dispatch: Dispatch,
}

#[component]
pub fn Narration(props: &NarrationProps) -> Html {
    let lang = use_lang();
    let script = &props.script;
    let steps = script.steps.len();
    let step = props.step;
    let emit = |action: Action| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(action.clone()))
    };
    let on_pause = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let checked = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .is_some_and(|i| i.checked());
            dispatch.emit(Action::SetPauseAtSteps(checked));
        })
    };
    let shown = step.map(|i| &script.steps[i]);
    let checks = props.checks.as_ref().filter(|c| c.step == step);
    let claims = match (shown, checks.and_then(|c| c.results.as_ref())) {
        (Some(shown), Some(results)) => {
            let items = props.claims.iter().zip(results).map(|(claim, result)| {
                let ok = result.is_ok();
                let why = result.as_ref().err().map(|actual| {
                    html! { <span class="claim-actual">{ lang.t(" — but ", " —— 然而 ") }{ actual }</span> }
                });
                html! {
                    <li class={classes!("claim", if ok { "ok" } else { "false" })} data-claim-ok={ok.to_string()}>
                        <span class="claim-mark" aria-hidden="true">{ if ok { "✓" } else { "✗" } }</span>
                        <span class="sr-only">{ if ok { lang.t("holds: ", "成立：") } else { lang.t("does not hold: ", "不成立：") } }</span>
                        { claim }{ why }
                    </li>
                }
            });
            let at = format_time(shown.0 as f64);
            html! {
                <div class="claims">
                    <h3>{ lang.t(format!("Checked at {at}"), format!("在 {at} 检查")) }</h3>
                    <ul>{ for items }</ul>
                </div>
            }
        }
        _ => html! {},
    };
    let off_script = props
        .off_script_from
        .filter(|&t| shown.is_some_and(|s| s.0 >= t) || props.now >= t as f64)
        .map(|t| {
            let at = format_time(t as f64);
            html! {
                <p class="off-script" data-off-script="" role="status">
                    { lang.t(
                        format!("You acted at {at}: from there the run is yours, and the narration no longer describes it."),
                        format!("你在 {at} 做了操作：从那一刻起，运行由你掌控，解说不再描述它。"),
                    ) }
                    <button type="button" onclick={emit(Action::RestartScenario)}>
                        { lang.t("Restart the scenario", "重新开始场景") }
                    </button>
                </p>
            }
        });
    let dots = script.steps.iter().enumerate().map(|(i, (at, _))| {
        let current = Some(i) == step;
        let label = lang.t(
            format!("Step {} of {steps}, at {}", i + 1, format_time(*at as f64)),
            format!("第 {} 步（共 {steps} 步），{}", i + 1, format_time(*at as f64)),
        );
        html! {
            <li>
                <button type="button" class={classes!("step-dot", current.then_some("current"), (Some(i) < step).then_some("done"))}
                    aria-label={label.clone()} title={label} aria-current={current.then_some("step")}
                    data-step-dot={i.to_string()} onclick={emit(Action::GoToStep(i))}>
                    { i + 1 }
                </button>
            </li>
        }
    });
    let counter = match step {
        Some(i) => lang.t(
            format!("Step {} of {steps}", i + 1),
            format!("第 {} 步，共 {steps} 步", i + 1),
        ),
        None => lang.t(format!("{steps} steps"), format!("共 {steps} 步")),
    };
    let controls = props.controls.then(|| {
        html! {
            <div class="narration-controls">
                <button type="button" onclick={emit(Action::PrevStep)} disabled={step.is_none_or(|i| i == 0 && props.now <= script.steps[0].0 as f64)}
                    title={lang.t("Previous step (PageUp)", "上一步（PageUp）")}>
                    { lang.t("◀ Previous", "◀ 上一步") }
                </button>
                <button type="button" class="next-step" onclick={emit(Action::NextStep)}
                    disabled={step.is_some_and(|i| i + 1 == steps)}
                    title={lang.t("Next step (PageDown)", "下一步（PageDown）")}>
                    { lang.t("Next ▶", "下一步 ▶") }
                </button>
                <label class="pause-at-steps">
                    <input type="checkbox" checked={props.pause_at_steps} onchange={on_pause} data-pause-at-steps="" />
                    { lang.t("Pause at each step", "每一步暂停") }
                </label>
                <ol class="step-dots" aria-label={lang.t("Steps", "步骤")}>{ for dots }</ol>
            </div>
        }
    });
    let all_hold = checks.is_some_and(|c| c.all_hold());
    let on_script = checks.is_some_and(|c| c.results.is_some());
    html! {
        <section class="narration" aria-label={lang.t("Scenario", "场景")}
            data-scenario={script.name.clone()}
            data-step={step.map(|s| s.to_string()).unwrap_or_default()}
            data-steps={steps.to_string()}
            data-claims-met={all_hold.to_string()}
            data-on-script={on_script.to_string()}>
            <header>
                <h2>{ lang.t("Scenario", "场景") }</h2>
                <strong class="scenario-title">{ lang.of(&script.title) }</strong>
                <span class="step-counter">{ counter }</span>
            </header>
            if step == Some(0) || step.is_none() {
                <p class="scenario-summary">{ lang.of(&script.summary) }</p>
            }
            if let Some(shown) = shown {
                <p class="narration-text" aria-live="polite">{ lang.of(&shown.1) }</p>
            }
            { claims }
            { off_script }
            { controls }
        </section>
    }
}

//! A scenario's narration: the step shown, what it claims and whether that
//! holds, the way to the next and previous steps, and whether playing
//! pauses at each.

use super::format_time;
use crate::i18n::{use_lang, Lang, Text};
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
    /// Every claim shown, none folded: presenting on a full page, where a
    /// room reads them and nobody scrolls.
    #[prop_or(false)]
    pub unfold: bool,
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
    let claims = match (shown, checks) {
        (Some(_), Some(checks)) => {
            claim_list(checks, &props.claims, props.unfold, &props.dispatch, lang)
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
                        format!("You acted at {at}: from there the run is yours. The narration still tells the scenario as written, and its claims are checked against your run: ✓ still holds, ✗ no longer does."),
                        format!("你在 {at} 做了操作：从那一刻起，运行由你掌控。解说讲的仍是原来的脚本，其中的陈述改为对照你的运行检查：✓ 仍然成立，✗ 不再成立。"),
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
    let on_script = checks.is_some_and(|c| c.scripted && c.results.is_some());
    html! {
        <section class="narration" aria-label={lang.t("Scenario", "场景")}
            data-scenario={script.name.clone()}
            data-step={step.map(|s| s.to_string()).unwrap_or_default()}
            data-steps={steps.to_string()}
            data-claims-met={all_hold.to_string()}
            data-on-script={on_script.to_string()}
            data-scenario-breaks={script.breaks.clone()}>
            <header>
                <h2>{ lang.t("Scenario", "场景") }</h2>
                <strong class="scenario-title" title={lang.of(&script.title).to_string()} data-scenario-title="">{ lang.of(&script.title) }</strong>
                <span class="step-counter">{ counter }</span>
            </header>
            if step == Some(0) || step.is_none() {
                <Summary text={lang.of(&script.summary).to_string()} />
            }
            if let Some(shown) = shown {
                <p class="narration-text" aria-live="polite">{ lang.of(&shown.1) }</p>
            }
            // The way to the next step right under its text, before the claims
            // (a phone shows the ring, the text and the buttons together).
            { controls }
            { off_script }
            { claims }
        </section>
    }
}

/// Claims shown before the rest fold away under "Show all".
const CLAIMS_SHOWN: usize = 4;

/// A claim of the step shown: its place, its words and whether it holds.
type ClaimItem<'a> = (usize, (&'a String, &'a Result<(), Text>));

/// The claims of the step shown, each ✓ or ✗, where they were checked, and
/// (past a few) the rest folded. The pointer over a claim highlights only
/// what it names.
fn claim_list(
    checks: &StepChecks,
    claims: &[String],
    unfold: bool,
    dispatch: &Dispatch,
    lang: Lang,
) -> Html {
    let Some(results) = checks.results.as_ref() else {
        return html! {};
    };
    let item = |(i, (claim, result)): ClaimItem| {
        let ok = result.is_ok();
        // What is the case instead, worded by the protocol in both languages.
        let why = result.as_ref().err().map(|actual| {
            html! { <span class="claim-actual">{ lang.t(" — but ", "——然而 ") }{ lang.of(actual) }</span> }
        });
        // A mouse or a pen points at a claim; a finger taps it, which turns
        // the same highlight on and off (a touch screen has no pointing).
        let on = |touch: bool, action: Action| {
            let dispatch = dispatch.clone();
            Callback::from(move |e: PointerEvent| {
                if (e.pointer_type() == "touch") == touch {
                    dispatch.emit(action.clone());
                }
            })
        };
        html! {
            <li class={classes!("claim", if ok { "ok" } else { "false" })} data-claim-ok={ok.to_string()}
                data-claim-index={i.to_string()} onpointerenter={on(false, Action::HoverClaim(Some(i)))}
                onpointerleave={on(false, Action::HoverClaim(None))} onpointerup={on(true, Action::TapClaim(i))}>
                <span class="claim-mark" aria-hidden="true">{ if ok { "✓" } else { "✗" } }</span>
                <span class="sr-only">{ if ok { lang.t("holds: ", "成立：") } else { lang.t("does not hold: ", "不成立：") } }</span>
                { claim }{ why }
            </li>
        }
    };
    let all: Vec<ClaimItem> = claims.iter().zip(results).enumerate().collect();
    // Folding one claim away would hide it for nothing.
    let shown = if all.len() > CLAIMS_SHOWN + 1 && !unfold {
        CLAIMS_SHOWN
    } else {
        all.len()
    };
    let (first, rest) = all.split_at(shown);
    let more = (!rest.is_empty()).then(|| {
        let (n, hidden) = (all.len(), rest.len());
        let failing = rest.iter().filter(|(_, (_, r))| r.is_err()).count();
        let summary = match failing {
            0 => lang.t(
                format!("Show all {n} claims ({hidden} more)"),
                format!("显示全部 {n} 条陈述（还有 {hidden} 条）"),
            ),
            f => lang.t(
                format!("Show all {n} claims ({hidden} more, {f} of them do not hold)"),
                format!("显示全部 {n} 条陈述（还有 {hidden} 条，其中 {f} 条不成立）"),
            ),
        };
        html! {
            <details class="more-claims" data-more-claims={hidden.to_string()}>
                <summary>{ summary }</summary>
                <ul>{ for rest.iter().cloned().map(item) }</ul>
            </details>
        }
    });
    let at = format_time(checks.checked_at as f64);
    let heading = if checks.scripted {
        lang.t(format!("Checked at {at}"), format!("{at} 时的检查结果"))
    } else {
        lang.t(
            format!("Checked against your run at {at}"),
            format!("对照你的运行，{at} 时的检查结果"),
        )
    };
    html! {
        <div class={classes!("claims", (!checks.scripted).then_some("yours"))}
            data-claims-of={if checks.scripted { "script" } else { "your-run" }}
            data-checked-at={checks.checked_at.to_string()}>
            <h3>{ heading }</h3>
            <ul>{ for first.iter().cloned().map(item) }</ul>
            { more }
            <p class="claims-hint">{ lang.t(
                "The servers, messages and log entries they name are outlined in ",
                "这些陈述提到的服务器、消息和日志条目用",
            ) }<span class="pink">{ lang.t("pink", "粉色") }</span>{ lang.t(
                ". Point at or tap a claim to see what it names.",
                "框出。指向或轻点某条陈述，只框出它提到的对象。",
            ) }</p>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct SummaryProps {
    text: String,
}

/// The scenario's summary. A phone shows two lines of it; where it is cut
/// there, "More" shows the rest (and "Less" folds it again).
#[component]
fn Summary(props: &SummaryProps) -> Html {
    let lang = use_lang();
    let node = use_node_ref();
    let open = use_state(|| false);
    let cut = use_state(|| false);
    {
        let node = node.clone();
        let cut = cut.clone();
        let open = *open;
        use_effect_with((props.text.clone(), open), move |_| {
            if !open {
                if let Some(el) = node.cast::<web_sys::Element>() {
                    cut.set(el.scroll_height() > el.client_height() + 1);
                }
            }
        });
    }
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    html! {
        <>
            <p ref={node} class={classes!("scenario-summary", (*open).then_some("open"))}
                data-summary-open={open.to_string()}>{ &props.text }</p>
            if *cut || *open {
                <button type="button" class="link summary-more" aria-expanded={open.to_string()} onclick={toggle}
                    data-summary-more="">
                    { if *open { lang.t("Less", "收起") } else { lang.t("More", "展开") } }
                </button>
            }
        </>
    }
}

//! What the shapes on the ring mean, drawn from what the protocol declares,
//! with the very classes the ring draws with, so the two cannot disagree.

use super::glossary;
use super::tour::Onramp;
use crate::i18n::use_lang;
use crate::run::view::{LegendItem, LegendMark, Shape};
use crate::ui::term_colour;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LegendProps {
    pub items: Vec<LegendItem>,
    /// Whether the network has cut links now: then the key says what a cut
    /// and a split look like (the ring draws them for every protocol).
    #[prop_or(false)]
    pub cuts: bool,
    /// Whether a refused reply is on the ring: then its key is shown.
    #[prop_or(false)]
    pub refused: bool,
}

fn mark(m: &LegendMark) -> Html {
    match *m {
        LegendMark::Message {
            shape,
            family,
            reply,
        } => {
            let class = classes!(
                "lg",
                "msg-mark",
                format!("fam-{family}"),
                if reply { "reply" } else { "request" }
            );
            match shape {
                Shape::Circle => html! { <circle class={class} r="5.5" /> },
                Shape::Square => {
                    html! { <rect class={class} x="-5" y="-5" width="10" height="10" rx="1" /> }
                }
                Shape::Diamond => {
                    html! { <path class={class} d="M0,-6.5 L6.5,0 L0,6.5 L-6.5,0 Z" /> }
                }
                Shape::Triangle => html! { <path class={class} d="M0,-6.5 L6,4.5 L-6,4.5 Z" /> },
            }
        }
        LegendMark::Server(shape) => match shape {
            Shape::Diamond => html! { <path class="lg role" d="M0,-7 L7,0 L0,7 L-7,0 Z" /> },
            Shape::Square | Shape::Triangle => {
                html! { <rect class="lg role" x="-6" y="-6" width="12" height="12" rx="2" /> }
            }
            Shape::Circle => html! { <circle class="lg role" r="6" /> },
        },
        LegendMark::Timer => html! { <circle class="lg timer" r="6" /> },
        // What is left of the ring, its last quarter, in red.
        LegendMark::TimerUrgent => html! {
            <>
                <circle class="lg timer-track" r="6" />
                <path class="lg timer urgent" d="M0,-6 A6,6 0 0,1 6,0" />
            </>
        },
        LegendMark::TermColours => {
            let bars = (1..=3u64).map(|term| {
                html! {
                    <rect x={(-7 + 5 * (term as i32 - 1)).to_string()} y="-6" width="4" height="12" rx="1"
                        style={format!("fill:{}", term_colour(term))} />
                }
            });
            html! { <>{ for bars }</> }
        }
        LegendMark::Crashed(shape) => match shape {
            Shape::Diamond => {
                html! { <path class="lg role crashed" d="M0,-7 L7,0 L0,7 L-7,0 Z" /> }
            }
            Shape::Square | Shape::Triangle => {
                html! { <rect class="lg role crashed" x="-6" y="-6" width="12" height="12" rx="2" /> }
            }
            Shape::Circle => html! { <circle class="lg role crashed" r="6" /> },
        },
        // The ring's mark: the hollow reply, crossed in red.
        LegendMark::Refused { shape, family } => html! {
            <>
                { mark(&LegendMark::Message { shape, family, reply: true }) }
                <path class="fl refused" d="M-3.5,-3.5l7,7M3.5,-3.5l-7,7" />
            </>
        },
    }
}

#[component]
pub fn Legend(props: &LegendProps) -> Html {
    let lang = use_lang();
    let onramp = use_context::<Onramp>();
    let links = onramp.as_ref().map(|o| &o.glossary);
    let items = props.items.iter().filter_map(|item| {
        let refused = matches!(item.mark, LegendMark::Refused { .. });
        (props.refused || !refused).then(|| html! {
            <li data-legend-refused={refused.then_some("")}><svg viewBox="-8 -8 16 16" aria-hidden="true">{ mark(&item.mark) }</svg>{ glossary::term(links, lang, &item.text, &item.text) }</li>
        })
    });
    let network = props.cuts.then(|| {
        html! {
            <>
                <li data-legend-network="region">
                    <svg viewBox="-8 -8 16 16" aria-hidden="true"><circle class="partition-group side-0" r="7" style="opacity:0.35" /></svg>
                    { lang.t(
                        "shaded: one side of a split network; messages between sides are lost",
                        "阴影：网络分区的一侧；两侧之间的消息会丢失",
                    ) }
                </li>
                <li data-legend-network="cut">
                    <svg viewBox="-8 -8 16 16" aria-hidden="true">
                        <line class="link one-way" x1="-7" y1="0" x2="7" y2="0" />
                        <g class="cut-mark one-way"><path class="bar" d="M2,-4 L2,4" /></g>
                    </svg>
                    { lang.t(
                        "red dashes: a cut link; a bar: messages stop there, in that direction only",
                        "红色虚线：被切断的链路；短竖线：消息在此被拦下，只拦这一个方向",
                    ) }
                </li>
            </>
        }
    });
    html! {
        <ul class="legend-ring" aria-label={lang.t("Legend", "图例")} data-legend="">{ for items }{ network }<li class="legend-glossary">{ glossary::open_button(links, lang, "legend", None) }</li></ul>
    }
}

#[derive(Properties, PartialEq)]
pub struct StartHintProps {
    /// The protocol's hint, while the run waits for the person.
    pub text: Option<AttrValue>,
}

/// How to get the run going, near the ring, until the person hides it or
/// the run no longer waits for them.
#[component]
pub fn StartHint(props: &StartHintProps) -> Html {
    let lang = use_lang();
    let hidden = use_state(|| false);
    let Some(text) = props.text.clone().filter(|_| !*hidden) else {
        return Html::default();
    };
    let hide = {
        let hidden = hidden.clone();
        Callback::from(move |_: MouseEvent| hidden.set(true))
    };
    html! {
        <p class="start-hint" data-start-hint="" role="note">
            <span>{ text }</span>
            <button type="button" class="close" aria-label={lang.t("Hide this hint", "隐藏提示")} onclick={hide}>{ "×" }</button>
        </p>
    }
}

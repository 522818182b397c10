//! One server on the ring, from its glyph. Its role shows in shape as well
//! as colour: the protocol's shape for the server (a Paxos proposer is a
//! diamond), a leader's double ring and crown, a candidate's dashed ring and
//! vote pips, a crashed server grey, dashed and crossed out.

use super::ring::{label_place, node_position, LABEL_FONT, NODE_RADIUS};
use super::{fmt, Shared};
use crate::i18n::{use_lang, Lang};
use crate::run::view::{Emphasis, Highlights, ServerGlyph, Shape};
use crate::state::{Action, Dispatch};
use quorum_sim::node_name;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ServerProps {
    pub glyph: ServerGlyph,
    pub x: f64,
    pub y: f64,
    /// How much larger than at its usual size the label is drawn (see `ring::label_fit`).
    pub label_scale: f64,
    /// How much larger than usual the server is drawn (see `ring::node_fit`).
    #[prop_or(1.0)]
    pub node_scale: f64,
    pub selected: bool,
    pub dispatch: Dispatch,
}

#[component]
pub fn ServerView(props: &ServerProps) -> Html {
    let ServerProps {
        glyph,
        x,
        y,
        label_scale,
        node_scale,
        selected,
        dispatch,
    } = props;
    let (x, y) = (*x, *y);
    let id = glyph.id;
    let lang = use_lang();
    // Named by the claims the narration shows: outlined with a halo.
    let highlighted =
        use_context::<std::rc::Rc<Highlights>>().is_some_and(|h| h.nodes.contains(&id));
    let r = NODE_RADIUS;
    let name = node_name(id);
    let aria = match lang {
        Lang::En => format!("{name}, {}, {}", glyph.role_text, glyph.summary),
        Lang::Zh => format!("{name}，{}，{}", glyph.role_text, glyph.summary),
    };
    let onclick = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::SelectNode(id)))
    };
    let onkeydown = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                e.stop_propagation();
                dispatch.emit(Action::SelectNode(id));
            }
        })
    };

    // The name and role sit outside the ring, away from the centre.
    let k = *label_scale;
    let (lx, first_line, anchor, step) = label_place(x, y, 2 + glyph.detail.len(), k, *node_scale);

    let body = match glyph.shape {
        Shape::Diamond => {
            let d = r * 1.15;
            html! { <path class="body" d={format!("M0,{} L{},0 L0,{} L{},0 Z", fmt(-d), fmt(d), fmt(d), fmt(-d))} /> }
        }
        Shape::Square | Shape::Triangle => {
            let s = r * 0.85;
            html! { <rect class="body" x={fmt(-s)} y={fmt(-s)} width={fmt(2.0 * s)} height={fmt(2.0 * s)} rx="6" /> }
        }
        Shape::Circle => html! { <circle class="body" r={fmt(r)} /> },
    };
    let decoration = if glyph.crashed {
        let k = r * 0.55;
        html! {
            <g class="crossed">
                <line x1={fmt(-k)} y1={fmt(-k)} x2={fmt(k)} y2={fmt(k)} />
                <line x1={fmt(-k)} y1={fmt(k)} x2={fmt(k)} y2={fmt(-k)} />
            </g>
        }
    } else {
        let emphasis = match glyph.emphasis {
            Emphasis::Leads => html! {
                <>
                    <circle class="outer-ring" r={fmt(r + 6.0)} />
                    <g class="crown" transform={format!("translate({} {})", fmt(r * 0.86), fmt(-r * 0.86))}>
                        <circle r="12" />
                        <path d="M-7,4 L-7,-4 L-3.5,0 L0,-6 L3.5,0 L7,-4 L7,4 Z" />
                    </g>
                </>
            },
            Emphasis::Campaigns | Emphasis::Plain => html! {},
        };
        let pips = glyph.votes.map(|(held, needed)| {
            let total = needed.max(1);
            let spacing = 9.0;
            let start = -(total as f64 - 1.0) * spacing / 2.0;
            let pips = (0..total).map(|i| {
                html! {
                    <circle class={classes!("pip", (i < held).then_some("held"))}
                        cx={fmt(start + i as f64 * spacing)} cy={fmt(r * 0.6)} r="3.5" />
                }
            });
            html! {
                <g class="pips" aria-hidden="true">
                    <title>{ lang.t(
                        format!("{held} of {needed} needed"),
                        format!("已得 {held} 票，需要 {needed} 票"),
                    ) }</title>
                    { for pips }
                </g>
            }
        });
        html! { <>{ emphasis }{ pips }</> }
    };
    let number_y = if glyph.votes.is_some() && !glyph.crashed {
        5.0
    } else {
        9.0
    };
    let small = glyph.number.chars().count() > 3;
    let translate = format!("translate({} {})", fmt(x), fmt(y));
    let emphasis_class = match glyph.emphasis {
        Emphasis::Leads => Some("leads"),
        Emphasis::Campaigns => Some("campaigns"),
        Emphasis::Plain => None,
    };
    let classes = classes!(
        "node",
        format!("role-{}", glyph.role),
        format!("shape-{}", shape_class(glyph.shape)),
        emphasis_class,
        glyph.crashed.then_some("crashed"),
        glyph.done.then_some("done"),
        selected.then_some("selected"),
        highlighted.then_some("highlighted"),
    );
    // A paper's variable in brackets ("number (n)") keeps its own case.
    let (word, var) = glyph.caption.split_at(
        glyph
            .caption
            .find(['(', '（'])
            .unwrap_or(glyph.caption.len()),
    );
    let mut node = html! {
        <g class={classes} transform={format!("{translate} scale({})", fmt(*node_scale))}
            data-node-id={id.to_string()}
            data-role={glyph.role}
            data-status={if glyph.crashed { "crashed" } else { "up" }}
            data-highlight={highlighted.then_some("true")}
            role="button" tabindex="0" aria-label={aria}
            aria-haspopup="dialog" aria-expanded={selected.to_string()}
            {onclick} {onkeydown}>
            <circle class="hit" r={fmt(r + 10.0)} />
            if highlighted {
                <circle class="highlight-halo" r={fmt(r + 13.0)} aria-hidden="true" />
            }
            { body }
            { decoration }
            <text class="term-caption" y={fmt(number_y - 20.0)} text-anchor="middle">{ word }<tspan class="var">{ var }</tspan></text>
            <text class={classes!("term", small.then_some("small"))} y={fmt(number_y)} text-anchor="middle">{ &glyph.number }</text>
            if glyph.done && !glyph.crashed {
                <text class="tick" text-anchor="middle" y={fmt(r * 0.72)}>{ "✓" }</text>
            }
        </g>
    };
    // The protocol's own data-* pairs of the DOM contract.
    if let Html::VTag(tag) = &mut node {
        for (key, value) in &glyph.data {
            std::rc::Rc::make_mut(tag).add_attribute(key, value.clone());
        }
    }
    let details = glyph.detail.iter().enumerate().map(|(i, line)| {
        html! {
            <text class="role-label detail" x={fmt(lx)} y={fmt(first_line + step * (i as f64 + 2.0) - 1.0)} text-anchor={anchor}>{ line }</text>
        }
    });
    // The labels stay outside the clickable group, so the group is centred on
    // the server and a click at its centre lands on it.
    html! {
        <>
            { node }
            <g class={classes!("node-label", glyph.crashed.then_some("crashed"), format!("role-{}", glyph.role))}
                transform={translate} aria-hidden="true"
                style={format!("font-size:{}px", fmt(LABEL_FONT * k))}>
                <text class="name" x={fmt(lx)} y={fmt(first_line)} text-anchor={anchor}>{ name }</text>
                <text class="role-label" x={fmt(lx)} y={fmt(first_line + step)} text-anchor={anchor}>{ &glyph.role_text }</text>
                { for details }
            </g>
        </>
    }
}

fn shape_class(shape: Shape) -> &'static str {
    match shape {
        Shape::Circle => "circle",
        Shape::Square => "square",
        Shape::Diamond => "diamond",
        Shape::Triangle => "triangle",
    }
}

#[derive(Properties, PartialEq)]
pub struct TimersProps {
    pub servers: Shared<Vec<ServerGlyph>>,
    /// Virtual time shown, in µs (each arc shrinks with it).
    pub now: f64,
    /// How much larger than usual the servers are drawn.
    #[prop_or(1.0)]
    pub node_scale: f64,
}

/// The servers' timers, as rings that empty clockwise until they fire (red
/// in their last quarter): a layer of their own under the servers, the one
/// part of a server drawn again every frame.
#[component]
pub fn Timers(props: &TimersProps) -> Html {
    let n = props.servers.len();
    let r = (NODE_RADIUS + 8.0) * props.node_scale;
    let rings = props.servers.iter().filter(|g| !g.crashed).filter_map(|g| {
        let left = g.timer?.left(props.now);
        let (x, y) = node_position(g.id, n);
        Some(html! {
            <g class={classes!("timer", (left < 0.25).then_some("urgent"))}
                transform={format!("translate({} {})", fmt(x), fmt(y))}>
                <circle class="timer-track" r={fmt(r)} />
                <path class="timer-arc" d={arc(r, left)} />
            </g>
        })
    });
    html! { <g class="timers" aria-hidden="true">{ for rings }</g> }
}

/// An arc of radius `r` starting at the top and running clockwise over `fraction` of the circle.
fn arc(r: f64, fraction: f64) -> String {
    let f = fraction.clamp(0.0, 1.0);
    if f >= 0.9995 {
        // A full circle as two half arcs (one arc cannot end where it starts).
        let r = fmt(r);
        return format!("M 0 -{r} A {r} {r} 0 1 1 0 {r} A {r} {r} 0 1 1 0 -{r}");
    }
    let angle = f * std::f64::consts::TAU;
    let (sin, cos) = super::num::sin_cos(angle);
    let (ex, ey) = (r * sin, -r * cos);
    let large = if f > 0.5 { 1 } else { 0 };
    let (ex, ey) = (fmt(ex), fmt(ey));
    let r = fmt(r);
    format!("M 0 -{r} A {r} {r} 0 {large} 1 {ex} {ey}")
}

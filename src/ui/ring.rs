//! The ring: every protocol's servers, the links between them, the cut
//! links and the groups a partition leaves, and the messages in flight.
//! (The menu of the server selected stands beside it: see `node_menu`.)

use super::messages::{hit, MessageLayer, HIT_RADIUS};
use super::server::{ServerView, Timers};
use super::{fmt, Shared};
use crate::i18n::use_lang;
use crate::run::view::{MessageGlyph, ServerGlyph};
use crate::state::{Action, Dispatch, Selection};
use quorum_sim::{node_name, NodeId};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The SVG's view box is `-HALF..HALF` in both directions.
pub const HALF: f64 = 300.0;
const RING_RADIUS: f64 = 185.0;
pub const NODE_RADIUS: f64 = 32.0;

/// Where node `i` of `n` sits: S1 at the top, the rest clockwise.
pub fn node_position(i: NodeId, n: usize) -> (f64, f64) {
    let angle = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n as f64;
    let (sin, cos) = super::num::sin_cos(angle);
    (RING_RADIUS * cos, RING_RADIUS * sin)
}

/// Where a message leaves its sender's edge and reaches its receiver's, on a ring of `n`.
pub fn message_path(from: NodeId, to: NodeId, n: usize) -> ((f64, f64), (f64, f64)) {
    let (fx, fy) = node_position(from, n);
    let (tx, ty) = node_position(to, n);
    let (dx, dy) = (tx - fx, ty - fy);
    let len = super::num::length(dx, dy).max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    (
        (fx + ux * NODE_RADIUS, fy + uy * NODE_RADIUS),
        (tx - ux * NODE_RADIUS, ty - uy * NODE_RADIUS),
    )
}

/// A point of the view box as a percentage of the drawing's width and height.
pub fn as_percent(x: f64, y: f64) -> (f64, f64) {
    (
        (x + HALF) / (2.0 * HALF) * 100.0,
        (y + HALF) / (2.0 * HALF) * 100.0,
    )
}

#[derive(Properties, PartialEq)]
pub struct RingProps {
    pub servers: Shared<Vec<ServerGlyph>>,
    pub messages: Shared<Vec<MessageGlyph>>,
    pub cut: Shared<Vec<(NodeId, NodeId)>>,
    /// Virtual time to draw, in microseconds (between events, messages move on).
    pub now: f64,
    /// Whether the run plays (messages are then found under a click by position).
    pub playing: bool,
    pub selection: Selection,
    pub dispatch: Dispatch,
}

#[component]
pub fn Ring(props: &RingProps) -> Html {
    let RingProps {
        servers,
        messages,
        cut,
        now,
        playing,
        selection,
        dispatch,
    } = props;
    let n = servers.len();
    let svg = use_node_ref();
    // What a click while the run plays is tested against: the messages where
    // they are drawn now (their own elements keep still then).
    let flying = use_mut_ref(|| (Shared::new(Vec::new()), 0usize, 0.0f64, false));
    *flying.borrow_mut() = (messages.clone(), n, *now, *playing);
    {
        let svg = svg.clone();
        let flying = flying.clone();
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            let listener = svg.cast::<web_sys::Element>().map(|el| {
                let target = el.clone();
                let options = gloo_events::EventListenerOptions::run_in_capture_phase();
                gloo_events::EventListener::new_with_options(&el, "click", options, move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::MouseEvent>() else {
                        return;
                    };
                    let (messages, n, now, playing) = &*flying.borrow();
                    if !*playing {
                        return;
                    }
                    // preserveAspectRatio "xMidYMid meet": one scale, centred.
                    let r = target.get_bounding_client_rect();
                    let scale = r.width().min(r.height()) / (2.0 * HALF);
                    if scale <= 0.0 {
                        return;
                    }
                    let x = (f64::from(e.client_x()) - (r.left() + r.width() / 2.0)) / scale;
                    let y = (f64::from(e.client_y()) - (r.top() + r.height() / 2.0)) / scale;
                    // At least a 24-pixel square under a finger, however small the ring.
                    let radius = HIT_RADIUS.max(12.0 / scale);
                    if let Some(id) = hit(messages, *n, *now, (x, y), radius) {
                        e.stop_propagation();
                        dispatch.emit(Action::SelectMessage(id));
                    }
                })
            });
            move || drop(listener)
        });
    }
    let on_background = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Deselect))
    };
    let selected_node = match selection {
        Selection::Node(id) => Some(*id),
        _ => None,
    };
    let selected_message = match selection {
        Selection::Message(id) => Some(*id),
        _ => None,
    };
    let view_box = format!("{0} {0} {1} {1}", fmt(-HALF), fmt(2.0 * HALF));
    let lang = use_lang();
    let nodes = servers.iter().map(|glyph| {
        let (x, y) = node_position(glyph.id, n);
        html! {
            <ServerView key={glyph.id} glyph={glyph.clone()} {x} {y}
                selected={selected_node == Some(glyph.id)} dispatch={dispatch.clone()} />
        }
    });
    html! {
        <div class="cluster">
            <svg class="ring" ref={svg} viewBox={view_box} role="group"
                aria-label={lang.t(
                    "The cluster: servers on a ring, messages in flight between them",
                    "集群：环上的服务器，以及它们之间传输中的消息",
                )}>
                <rect class="background" x={fmt(-HALF)} y={fmt(-HALF)}
                    width={fmt(2.0 * HALF)} height={fmt(2.0 * HALF)} onclick={on_background} />
                <Links {n} cut={cut.clone()} />
                <Timers servers={servers.clone()} now={*now} />
                <g class="nodes">{ for nodes }</g>
                <MessageLayer messages={messages.clone()} {n} now={*now} playing={*playing}
                    selected={selected_message} dispatch={dispatch.clone()} />
            </svg>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct LinksProps {
    n: usize,
    cut: Shared<Vec<(NodeId, NodeId)>>,
}

/// The links between servers, a cut one dashed, a half-cut one lighter, and
/// a cross on the receiver's side of each cut direction: what is sent that
/// way dies there. Drawn again only when the links change.
#[component]
fn Links(props: &LinksProps) -> Html {
    let LinksProps { n, cut } = props;
    let n = *n;
    let lang = use_lang();
    let is_cut = |a: NodeId, b: NodeId| cut.contains(&(a, b));
    let links = (0..n)
        .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
        .map(|(a, b)| {
            let (x1, y1) = node_position(a, n);
            let (x2, y2) = node_position(b, n);
            let class = match (is_cut(a, b), is_cut(b, a)) {
                (false, false) => None,
                (true, true) => Some("cut"),
                _ => Some("half-cut"),
            };
            html! {
                <line class={classes!("link", class)}
                    x1={fmt(x1)} y1={fmt(y1)} x2={fmt(x2)} y2={fmt(y2)} />
            }
        });
    let marks = cut.iter().filter(|&&(a, b)| a < n && b < n).map(|&(a, b)| {
        let (x1, y1) = node_position(a, n);
        let (x2, y2) = node_position(b, n);
        let (x, y) = (x1 + (x2 - x1) * 0.62, y1 + (y2 - y1) * 0.62);
        let (from, to) = (node_name(a), node_name(b));
        let label = lang.t(
            format!("The link {from} → {to} is cut"),
            format!("链路 {from} → {to} 已被切断"),
        );
        html! {
            <g class="cut-mark" data-cut-link={format!("{a}-{b}")} transform={format!("translate({},{})", fmt(x), fmt(y))}
                role="img" aria-label={label.clone()}>
                <title>{ label }</title>
                <circle r="9" />
                <path d="M-4.5,-4.5 L4.5,4.5 M4.5,-4.5 L-4.5,4.5" />
            </g>
        }
    });
    html! {
        <>
            <g class="links">{ for links }</g>
            <g class="cuts">{ for marks }</g>
        </>
    }
}

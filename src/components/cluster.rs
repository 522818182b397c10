//! The ring of servers, the links between them and the messages in flight.

use super::message::MessageView;
use super::node::NodeView;
use super::node_menu::NodeMenu;
use crate::i18n::use_lang;
use crate::state::{Action, Dispatch, Selection, SimView};
use quorum_sim::raft::{Message, Raft, RaftTimer, Role};
use quorum_sim::{node_name, MessageMeta, NodeId, NodeStatus};
use yew::prelude::*;

/// The SVG's view box is `-HALF..HALF` in both directions.
pub const HALF: f64 = 300.0;
const RING_RADIUS: f64 = 185.0;
pub const NODE_RADIUS: f64 = 32.0;

/// Where node `i` of `n` sits: S1 at the top, the rest clockwise.
pub fn node_position(i: NodeId, n: usize) -> (f64, f64) {
    let angle = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n as f64;
    (RING_RADIUS * angle.cos(), RING_RADIUS * angle.sin())
}

/// Where a message is, `progress` of the way from its sender's edge to its
/// receiver's edge, on a ring of `n`.
pub fn message_position(from: NodeId, to: NodeId, n: usize, progress: f64) -> (f64, f64) {
    let (fx, fy) = node_position(from, n);
    let (tx, ty) = node_position(to, n);
    let (dx, dy) = (tx - fx, ty - fy);
    let len = dx.hypot(dy).max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    let (sx, sy) = (fx + ux * NODE_RADIUS, fy + uy * NODE_RADIUS);
    let (ex, ey) = (tx - ux * NODE_RADIUS, ty - uy * NODE_RADIUS);
    (sx + (ex - sx) * progress, sy + (ey - sy) * progress)
}

/// A point of the view box as a percentage of the drawing's width and height.
pub fn as_percent(x: f64, y: f64) -> (f64, f64) {
    (
        (x + HALF) / (2.0 * HALF) * 100.0,
        (y + HALF) / (2.0 * HALF) * 100.0,
    )
}

#[derive(Properties, PartialEq)]
pub struct ClusterProps {
    pub sim: SimView<Raft>,
    /// Virtual time to draw, in microseconds (interpolated between events).
    pub now: f64,
    pub selection: Selection,
    pub dispatch: Dispatch,
}

#[component]
pub fn Cluster(props: &ClusterProps) -> Html {
    let ClusterProps {
        sim,
        now,
        selection,
        dispatch,
    } = props;
    let lang = use_lang();
    let n = sim.nodes().len();
    let majority = n / 2 + 1;

    let links = (0..n)
        .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
        .map(|(a, b)| {
            let (x1, y1) = node_position(a, n);
            let (x2, y2) = node_position(b, n);
            let cut = match (sim.links().is_cut(a, b), sim.links().is_cut(b, a)) {
                (false, false) => None,
                (true, true) => Some("cut"),
                _ => Some("half-cut"),
            };
            html! {
                <line class={classes!("link", cut)}
                    x1={fmt(x1)} y1={fmt(y1)} x2={fmt(x2)} y2={fmt(y2)} />
            }
        });
    // A cut direction is a cross on the line, on the receiver's side: what is
    // sent that way dies there.
    let cuts = sim.links().cut_links().filter(|&(a, b)| a < n && b < n).map(|(a, b)| {
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

    let nodes = sim.nodes().iter().map(|slot| {
        let (x, y) = node_position(slot.id, n);
        let (role, term, votes) = match slot.up() {
            Some(raft) => (raft.role, raft.current_term, raft.votes.len()),
            None => (Role::Follower, slot.persistent().current_term, 0),
        };
        let timer_left = slot.timers.get(&RaftTimer::Election).map(|t| {
            let span = t.deadline.saturating_sub(t.set_at) as f64;
            if span <= 0.0 {
                0.0
            } else {
                ((t.deadline as f64 - now) / span).clamp(0.0, 1.0)
            }
        });
        html! {
            <NodeView key={slot.id} id={slot.id} {x} {y}
                crashed={slot.status() == NodeStatus::Crashed}
                {role} {term} {votes} {majority} {timer_left}
                selected={*selection == Selection::Node(slot.id)}
                dispatch={dispatch.clone()} />
        }
    });

    let messages = sim.in_flight().map(|env| {
        let (x, y) = message_position(env.from, env.to, n, env.progress(*now));
        let (entries, failed) = match &env.payload {
            Message::AppendEntries { entries, .. } => (entries.len(), false),
            Message::RequestVoteReply { vote_granted, .. } => (0, !vote_granted),
            Message::AppendEntriesReply { success, .. } => (0, !success),
            _ => (0, false),
        };
        html! {
            <MessageView key={env.id} id={env.id} kind={env.payload.kind()}
                from={env.from} to={env.to}
                {x} {y}
                is_reply={env.payload.is_reply()} {failed} {entries}
                term={env.payload.term()}
                selected={*selection == Selection::Message(env.id)}
                dispatch={dispatch.clone()} />
        }
    });

    let on_background = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Deselect))
    };

    let popover = match *selection {
        Selection::Node(id) if id < n => {
            let (x, y) = node_position(id, n);
            html! { <NodeMenu sim={sim.clone()} node={id} {x} {y} dispatch={dispatch.clone()} /> }
        }
        _ => html! {},
    };

    let view_box = format!("{} {} {} {}", -HALF, -HALF, 2.0 * HALF, 2.0 * HALF);
    html! {
        <div class="cluster">
            <svg class="ring" viewBox={view_box} role="group"
                aria-label={lang.t(
                    "The cluster: servers on a ring, messages in flight between them",
                    "集群：环上的服务器，以及它们之间传输中的消息",
                )}>
                <rect class="background" x={fmt(-HALF)} y={fmt(-HALF)}
                    width={fmt(2.0 * HALF)} height={fmt(2.0 * HALF)} onclick={on_background} />
                <g class="links">{ for links }</g>
                <g class="cuts">{ for cuts }</g>
                <g class="nodes">{ for nodes }</g>
                <g class="messages">{ for messages }</g>
            </svg>
            { popover }
        </div>
    }
}

/// SVG coordinates with one decimal: enough for the eye, short in the DOM.
pub fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

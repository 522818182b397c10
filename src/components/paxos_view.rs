//! Basic Paxos drawn: proposers, acceptors and learners on the ring, each role
//! its own shape (proposer a diamond, acceptor a circle, learner a square);
//! each acceptor's promise and accepted proposal; each proposer's phase,
//! number, promises counted and value; the moment a value is chosen, and when
//! each server learns it.

use super::cluster::{fmt, message_position, node_position, HALF, NODE_RADIUS};
use super::format_time;
use super::message::MessageView;
use crate::state::{Action, Dispatch, Selection, SimView};
use quorum_sim::paxos::{Paxos, PaxosMessage, PaxosRole, PaxosSafety, ProposerPhase};
use quorum_sim::{node_name, Command, MessageMeta, NodeId, NodeSlot, NodeStatus};
use yew::prelude::*;

/// What a server shows, in words (also its screen-reader label).
fn summary(slot: &NodeSlot<Paxos>, role: PaxosRole) -> String {
    let Some(p) = slot.up() else {
        let disk = slot.persistent();
        return match role {
            PaxosRole::Acceptor => format!(
                "crashed; on disk: promised {}, accepted {}",
                disk.promised
                    .map_or_else(|| "nothing".into(), |b| b.to_string()),
                disk.accepted
                    .map_or_else(|| "nothing".into(), |(b, v)| format!("({b}, {})", v.op))
            ),
            _ => "crashed".to_string(),
        };
    };
    match role {
        PaxosRole::Acceptor => format!(
            "promised {}; accepted {}",
            p.promised
                .map_or_else(|| "nothing".into(), |b| b.to_string()),
            p.accepted
                .map_or_else(|| "nothing".into(), |(b, v)| format!("({b}, {})", v.op))
        ),
        PaxosRole::Proposer => {
            let phase = match &p.phase {
                ProposerPhase::Idle if p.learned.is_some() => "done".to_string(),
                ProposerPhase::Idle if p.value.is_some() => "backing off".to_string(),
                ProposerPhase::Idle => "idle".to_string(),
                ProposerPhase::Preparing { ballot, promises } => {
                    format!("phase 1, {ballot}: {} promises", promises.len())
                }
                ProposerPhase::Accepting {
                    ballot,
                    value,
                    accepted,
                } => format!(
                    "phase 2, ({ballot}, {}): {} accepted",
                    value.op,
                    accepted.len()
                ),
            };
            let value = p
                .value
                .map_or_else(|| "no value".into(), |v| format!("value {}", v.op));
            format!("{phase}; {value}")
        }
        PaxosRole::Learner => match p.learned {
            Some(v) => format!("learned {}", v.op),
            None => "has not learned".to_string(),
        },
    }
}

#[derive(Properties, PartialEq)]
pub struct PaxosRingProps {
    pub sim: SimView<Paxos>,
    pub now: f64,
    pub selection: Selection,
    pub dispatch: Dispatch,
}

#[component]
pub fn PaxosRing(props: &PaxosRingProps) -> Html {
    let PaxosRingProps {
        sim,
        now,
        selection,
        dispatch,
    } = props;
    let n = sim.nodes().len();
    let config = &sim.config().protocol;
    let links = (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b))).map(|(a, b)| {
        let (x1, y1) = node_position(a, n);
        let (x2, y2) = node_position(b, n);
        let cut = sim.links().is_cut(a, b) || sim.links().is_cut(b, a);
        html! { <line class={classes!("link", cut.then_some("cut"))} x1={fmt(x1)} y1={fmt(y1)} x2={fmt(x2)} y2={fmt(y2)} /> }
    });
    let nodes = sim.nodes().iter().map(|slot| {
        let id = slot.id;
        let role = config.role_of(id);
        let (x, y) = node_position(id, n);
        let crashed = slot.status() == NodeStatus::Crashed;
        let r = NODE_RADIUS;
        let body = match role {
            PaxosRole::Proposer => {
                let d = r * 1.15;
                html! { <path class="body" d={format!("M0,{} L{},0 L0,{} L{},0 Z", fmt(-d), fmt(d), fmt(d), fmt(-d))} /> }
            }
            PaxosRole::Acceptor => html! { <circle class="body" r={fmt(r)} /> },
            PaxosRole::Learner => {
                let s = r * 0.85;
                html! { <rect class="body" x={fmt(-s)} y={fmt(-s)} width={fmt(2.0 * s)} height={fmt(2.0 * s)} rx="6" /> }
            }
        };
        let up = slot.up();
        let disk = slot.persistent();
        let (promised, accepted) = match role {
            PaxosRole::Acceptor => (disk.promised, disk.accepted),
            _ => (None, None),
        };
        let center = match (role, up) {
            (PaxosRole::Proposer, Some(p)) => p.ballot().map(|b| b.to_string()).unwrap_or_else(|| "–".into()),
            (PaxosRole::Acceptor, _) => promised.map(|b| b.to_string()).unwrap_or_else(|| "–".into()),
            (PaxosRole::Learner, Some(p)) => p.learned.map(|v| v.op.to_string()).unwrap_or_else(|| "?".into()),
            _ => "–".into(),
        };
        let caption = match role {
            PaxosRole::Proposer => "BALLOT",
            PaxosRole::Acceptor => "PROMISED",
            PaxosRole::Learner => "LEARNED",
        };
        let learned = up.and_then(|p| p.learned).is_some();
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
        let text = summary(slot, role);
        let len = x.hypot(y).max(1.0);
        let (lx, ly) = (x / len * (r + 26.0), y / len * (r + 26.0));
        let anchor = if x / len > 0.35 { "start" } else if x / len < -0.35 { "end" } else { "middle" };
        let first = if y / len < -0.35 { ly - 16.0 } else if y / len > 0.35 { ly + 8.0 } else { ly - 4.0 };
        let detail = match (role, accepted) {
            (PaxosRole::Acceptor, Some((b, v))) => format!("acc. ({b}, {})", v.op),
            (PaxosRole::Acceptor, None) => "acc. nothing".to_string(),
            (PaxosRole::Proposer, _) => up
                .and_then(|p| p.value)
                .map_or_else(|| "no value".into(), |v| format!("value {}", v.op)),
            (PaxosRole::Learner, _) => String::new(),
        };
        html! {
            <>
                <g class={classes!("node", "paxos", format!("role-{}", role.as_str()), crashed.then_some("crashed"),
                        learned.then_some("learned"), (*selection == Selection::Node(id)).then_some("selected"))}
                    transform={format!("translate({} {})", fmt(x), fmt(y))}
                    data-node-id={id.to_string()} data-role={role.as_str()}
                    data-status={if crashed { "crashed" } else { "up" }}
                    data-promised={promised.map(|b| b.to_string())}
                    data-accepted-ballot={accepted.map(|(b, _)| b.to_string())}
                    data-accepted-value={accepted.map(|(_, v)| v.op.to_string())}
                    data-learned={up.and_then(|p| p.learned).map(|v| v.op.to_string())}
                    data-phase={up.map(|p| match p.phase { ProposerPhase::Idle => "idle", ProposerPhase::Preparing { .. } => "prepare", ProposerPhase::Accepting { .. } => "accept" })}
                    role="button" tabindex="0"
                    aria-label={format!("{}, {}, {text}", node_name(id), role.as_str())}
                    aria-haspopup="dialog" {onclick} {onkeydown}>
                    <circle class="hit" r={fmt(r + 10.0)} />
                    { body }
                    if crashed {
                        <g class="crossed">
                            <line x1={fmt(-r * 0.55)} y1={fmt(-r * 0.55)} x2={fmt(r * 0.55)} y2={fmt(r * 0.55)} />
                            <line x1={fmt(-r * 0.55)} y1={fmt(r * 0.55)} x2={fmt(r * 0.55)} y2={fmt(-r * 0.55)} />
                        </g>
                    }
                    <text class="term-caption" text-anchor="middle" y="-9">{ caption }</text>
                    <text class="term small" text-anchor="middle" y="10">{ center }</text>
                    if learned { <text class="tick" text-anchor="middle" y={fmt(r * 0.72)}>{ "✓" }</text> }
                </g>
                <g class={classes!("node-label", crashed.then_some("crashed"))} aria-hidden="true">
                    <text class="name" x={fmt(x + lx)} y={fmt(y + first)} text-anchor={anchor}>{ node_name(id) }</text>
                    <text class="role-label" x={fmt(x + lx)} y={fmt(y + first + 14.0)} text-anchor={anchor}>{ role.as_str() }</text>
                    <text class="role-label" x={fmt(x + lx)} y={fmt(y + first + 27.0)} text-anchor={anchor}>{ detail }</text>
                </g>
            </>
        }
    });
    let messages = sim.in_flight().map(|env| {
        let (x, y) = message_position(env.from, env.to, n, env.progress(*now));
        let failed = matches!(env.payload, PaxosMessage::Nack { .. });
        html! {
            <MessageView key={env.id} id={env.id} kind={env.payload.kind()}
                from={env.from} to={env.to} {x} {y}
                is_reply={env.payload.is_reply()} {failed} entries={0}
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
            html! { <PaxosMenu sim={sim.clone()} node={id} dispatch={dispatch.clone()} /> }
        }
        _ => html! {},
    };
    html! {
        <div class="cluster">
            <svg class="ring" viewBox={format!("{} {} {} {}", -HALF, -HALF, 2.0 * HALF, 2.0 * HALF)} role="group"
                aria-label="Proposers, acceptors and learners on a ring, messages in flight between them">
                <rect class="background" x={fmt(-HALF)} y={fmt(-HALF)} width={fmt(2.0 * HALF)} height={fmt(2.0 * HALF)} onclick={on_background} />
                <g class="links">{ for links }</g>
                <g class="nodes">{ for nodes }</g>
                <g class="messages">{ for messages }</g>
            </svg>
            { popover }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct PaxosMenuProps {
    pub sim: SimView<Paxos>,
    pub node: NodeId,
    pub dispatch: Dispatch,
}

/// A server's actions: crash or restart, time out (a proposer retries now), propose.
#[component]
pub fn PaxosMenu(props: &PaxosMenuProps) -> Html {
    let PaxosMenuProps {
        sim,
        node,
        dispatch,
    } = props;
    let node = *node;
    let Some(slot) = sim.node(node) else {
        return html! {};
    };
    let role = sim.config().protocol.role_of(node);
    let crash = if slot.up().is_some() {
        ("Crash", Action::Apply(Command::Crash { node }), None)
    } else {
        ("Restart", Action::Apply(Command::Restart { node }), None)
    };
    let timeout = (
        "Time out",
        Action::Apply(Command::Timeout { node }),
        sim.check(&Command::Timeout { node })
            .err()
            .map(|e| e.to_string()),
    );
    let propose = (
        "Client request",
        Action::ClientRequest { node },
        match (role, slot.up()) {
            (PaxosRole::Proposer, Some(_)) => None,
            (PaxosRole::Proposer, None) => Some(format!("{} is crashed", node_name(node))),
            _ => Some("only a proposer takes a client's value".to_string()),
        },
    );
    let buttons = [crash, timeout, propose].into_iter().map(|(label, action, refusal)| {
        let dispatch = dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| dispatch.emit(action.clone()));
        html! {
            <li>
                <button type="button" disabled={refusal.is_some()} title={refusal.clone()} {onclick}>{ label }</button>
                if let Some(reason) = refusal { <span class="reason">{ reason }</span> }
            </li>
        }
    });
    let close = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Deselect))
    };
    let (x, y) = node_position(node, sim.nodes().len());
    let (left, top) = super::cluster::as_percent(x, y);
    let side = if x > 1.0 { "to-left" } else { "to-right" };
    let vertical = if y < -100.0 {
        "below"
    } else if y > 100.0 {
        "above"
    } else {
        "middle"
    };
    html! {
        <div class={classes!("popover", "node-menu", side, vertical)} data-popover="" data-node-menu={node.to_string()}
            role="dialog" aria-label={format!("{} actions", node_name(node))}
            style={format!("left:{left:.2}%;top:{top:.2}%")}>
            <header>
                <strong>{ format!("{} — {}", node_name(node), role.as_str()) }</strong>
                <button type="button" class="close" aria-label="Close" onclick={close}>{ "×" }</button>
            </header>
            <p class="detail">{ summary(slot, role) }</p>
            <ul class="actions">{ for buttons }</ul>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct PaxosPanelProps {
    pub sim: SimView<Paxos>,
    /// The checker's view of the run: when a value was chosen.
    pub chosen: Option<(String, String, f64)>,
}

/// The decree: the chosen value and the moment it was chosen, then every
/// server's state in a table.
#[component]
pub fn PaxosPanel(props: &PaxosPanelProps) -> Html {
    let PaxosPanelProps { sim, chosen } = props;
    let config = &sim.config().protocol;
    let decree = match chosen {
        Some((value, ballot, at)) => html! {
            <p class="decree chosen" data-chosen-value={value.clone()} data-chosen-ballot={ballot.clone()}>
                <strong>{ format!("Chosen: {value}") }</strong>
                { format!(" — a majority of acceptors accepted proposal {ballot} at {}, whether or not anyone knew yet.", format_time(*at)) }
            </p>
        },
        None => html! {
            <p class="decree" data-chosen-none="">{ "Nothing chosen yet: no proposal has been accepted by a majority of acceptors." }</p>
        },
    };
    let rows = sim.nodes().iter().map(|slot| {
        let role = config.role_of(slot.id);
        html! {
            <tr data-row-node={slot.id.to_string()}>
                <th scope="row">{ node_name(slot.id) }</th>
                <td>{ role.as_str() }</td>
                <td>{ summary(slot, role) }</td>
            </tr>
        }
    });
    html! {
        <section class="panel paxos-panel" aria-label="The decree and every server's state">
            <h2>{ "Single-decree Paxos" }</h2>
            { decree }
            <table class="paxos-table">
                <thead><tr><th>{ "server" }</th><th>{ "role" }</th><th>{ "state" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <p class="hint">{ format!("A majority is {} of {} acceptors. Proposal numbers read round.proposer.", config.majority(), config.acceptors) }</p>
        </section>
    }
}

/// The chosen value as the panel shows it: (value, proposal, time in µs).
pub fn chosen_of(safety: &PaxosSafety) -> Option<(String, String, f64)> {
    safety
        .chosen()
        .map(|(b, v, t)| (v.op.to_string(), b.to_string(), t as f64))
}

//! Multi-Paxos drawn: the same ring as Raft's (a leader crowned, a candidate
//! dashed with a pip per promise), each server's round, and the slot log: per
//! replica, what its acceptor accepted in each slot and which slots it knows
//! to be chosen; above them, the slots the run has chosen.

use super::cluster::{as_percent, fmt, message_position, node_position, HALF};
use super::message::MessageView;
use super::node::NodeView;
use crate::i18n::{role, sim_error, use_lang};
use crate::state::{Action, Dispatch, Selection, SimView};
use quorum_sim::multipaxos::{Cmd, MpMessage, MpRole, MpTimer, MultiPaxos, Slot};
use quorum_sim::raft::Role;
use quorum_sim::{node_name, Command, MessageMeta, NodeId, NodeStatus};
use std::collections::BTreeMap;
use yew::prelude::*;

fn as_role(role: MpRole) -> Role {
    match role {
        MpRole::Follower => Role::Follower,
        MpRole::Candidate => Role::Candidate,
        MpRole::Leader => Role::Leader,
    }
}

#[derive(Properties, PartialEq)]
pub struct MpRingProps {
    pub sim: SimView<MultiPaxos>,
    pub now: f64,
    pub selection: Selection,
    pub dispatch: Dispatch,
}

#[component]
pub fn MpRing(props: &MpRingProps) -> Html {
    let MpRingProps {
        sim,
        now,
        selection,
        dispatch,
    } = props;
    let lang = use_lang();
    let n = sim.nodes().len();
    let links = (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b))).map(|(a, b)| {
        let (x1, y1) = node_position(a, n);
        let (x2, y2) = node_position(b, n);
        let cut = sim.links().is_cut(a, b) || sim.links().is_cut(b, a);
        html! { <line class={classes!("link", cut.then_some("cut"))} x1={fmt(x1)} y1={fmt(y1)} x2={fmt(x2)} y2={fmt(y2)} /> }
    });
    let nodes = sim.nodes().iter().map(|slot| {
        let (x, y) = node_position(slot.id, n);
        let disk = slot.persistent();
        let round = disk.promised.map_or(0, |b| b.round);
        let (role, votes) = match slot.up() {
            Some(p) => (as_role(p.role), p.promises.len()),
            None => (Role::Follower, 0),
        };
        let timer_left = slot.timers.get(&MpTimer::Leader).map(|t| {
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
                {role} term={round} caption="round" {votes} majority={n / 2 + 1} {timer_left}
                selected={*selection == Selection::Node(slot.id)}
                dispatch={dispatch.clone()} />
        }
    });
    let messages = sim.in_flight().map(|env| {
        let (x, y) = message_position(env.from, env.to, n, env.progress(*now));
        let failed = matches!(env.payload, MpMessage::Nack { .. });
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
            html! { <MpMenu sim={sim.clone()} node={id} dispatch={dispatch.clone()} /> }
        }
        _ => html! {},
    };
    html! {
        <div class="cluster">
            <svg class="ring" viewBox={format!("{} {} {} {}", -HALF, -HALF, 2.0 * HALF, 2.0 * HALF)} role="group"
                aria-label={lang.t(
                    "The replicas on a ring, messages in flight between them",
                    "环上的副本，以及它们之间传输中的消息",
                )}>
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
pub struct MpMenuProps {
    pub sim: SimView<MultiPaxos>,
    pub node: NodeId,
    pub dispatch: Dispatch,
}

#[component]
pub fn MpMenu(props: &MpMenuProps) -> Html {
    let MpMenuProps {
        sim,
        node,
        dispatch,
    } = props;
    let node = *node;
    let lang = use_lang();
    let Some(slot) = sim.node(node) else {
        return html! {};
    };
    let detail = match slot.up() {
        Some(p) => {
            let shown_role = role(lang, p.role.as_str());
            let round = p.promised.map_or(0, |b| b.round);
            let applied = p.applied;
            let leader = p
                .leader
                .map_or_else(|| lang.t("unknown", "未知").to_string(), node_name);
            lang.t(
                format!("{shown_role}; round {round}; {applied} slots applied; leader {leader}"),
                format!("{shown_role}；轮次 {round}；已应用 {applied} 个槽位；领导者 {leader}"),
            )
        }
        None => lang
            .t(
                "crashed: its promise and accepted slots are on disk",
                "已崩溃：它的承诺和已接受的槽位保存在磁盘上",
            )
            .to_string(),
    };
    let refusal = |e: quorum_sim::sim::SimError| lang.of(&sim_error(&e)).to_string();
    let request_check = sim
        .check(&Command::ClientRequest {
            node,
            request: sim.new_request(quorum_sim::kv::KvOp::Set { key: 'x', value: 0 }),
        })
        .err()
        .map(refusal);
    let actions = [
        if slot.up().is_some() {
            (
                lang.t("Crash", "崩溃"),
                Action::Apply(Command::Crash { node }),
                None,
            )
        } else {
            (
                lang.t("Restart", "重启"),
                Action::Apply(Command::Restart { node }),
                None,
            )
        },
        (
            lang.t("Time out", "超时"),
            Action::Apply(Command::Timeout { node }),
            sim.check(&Command::Timeout { node }).err().map(refusal),
        ),
        (
            lang.t("Client request", "客户端请求"),
            Action::ClientRequest { node },
            request_check,
        ),
    ];
    let buttons = actions.into_iter().map(|(label, action, refusal)| {
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
    let (left, top) = as_percent(x, y);
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
            role="dialog" aria-label={lang.t(format!("{} actions", node_name(node)), format!("{} 的操作", node_name(node)))}
            style={format!("left:{left:.2}%;top:{top:.2}%")}>
            <header>
                <strong>{ node_name(node) }</strong>
                <button type="button" class="close" aria-label={lang.t("Close", "关闭")} onclick={close}>{ "×" }</button>
            </header>
            <p class="detail">{ detail }</p>
            <ul class="actions">{ for buttons }</ul>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct MpLogProps {
    pub sim: SimView<MultiPaxos>,
    /// The slots the run has chosen: (command, proposal), from the checker.
    pub chosen: BTreeMap<Slot, (String, String)>,
}

/// Per replica and slot: known chosen (solid), accepted only (hatched, with
/// its proposal number), or nothing; the run's chosen slots on top.
#[component]
pub fn MpLog(props: &MpLogProps) -> Html {
    let MpLogProps { sim, chosen } = props;
    let lang = use_lang();
    let last = sim
        .nodes()
        .iter()
        .flat_map(|slot| {
            let disk = slot.persistent();
            let known = slot.up().and_then(|p| p.chosen.keys().next_back().copied());
            [disk.accepted.keys().next_back().copied(), known]
        })
        .flatten()
        .chain(chosen.keys().next_back().copied())
        .max()
        .unwrap_or(0)
        .max(6);
    let header = (1..=last).map(|s| html! { <th scope="col" class="index">{ s }</th> });
    let chosen_row = (1..=last).map(|s| match chosen.get(&s) {
        Some((cmd, ballot)) => html! {
            <td class="slot chosen-slot" data-slot={s.to_string()} data-chosen-value={cmd.clone()}
                title={lang.t(
                    format!("slot {s}: {cmd} chosen with proposal {ballot}"),
                    format!("槽位 {s}：{cmd} 以提案 {ballot} 被选定"),
                )}>{ cmd }</td>
        },
        None => html! { <td class="slot empty"></td> },
    });
    let rows = sim.nodes().iter().map(|slot| {
        let id = slot.id;
        let up = slot.up();
        let disk = slot.persistent();
        let cells = (1..=last).map(|s| {
            let known: Option<Cmd> = up.and_then(|p| p.chosen.get(&s).copied());
            let accepted = disk.accepted.get(&s);
            let (class, text, state, title) = match (known, accepted) {
                (Some(cmd), _) => (
                    "known",
                    cmd.to_string(),
                    "chosen",
                    lang.t(
                        format!("slot {s}: {cmd}, known chosen"),
                        format!("槽位 {s}：{cmd}，已知被选定"),
                    ),
                ),
                (None, Some((b, cmd))) => (
                    "accepted",
                    cmd.to_string(),
                    "accepted",
                    lang.t(
                        format!("slot {s}: accepted {cmd} with {b}, not known chosen"),
                        format!("槽位 {s}：以 {b} 接受了 {cmd}，尚不知是否已被选定"),
                    ),
                ),
                (None, None) => (
                    "empty",
                    String::new(),
                    "empty",
                    lang.t(format!("slot {s}: nothing"), format!("槽位 {s}：空")),
                ),
            };
            html! {
                <td class={classes!("slot", class)} data-mp-slot="" data-node-id={id.to_string()}
                    data-slot={s.to_string()} data-state={state} {title}>{ text }</td>
            }
        });
        let applied = up.map_or_else(
            || role(lang, "crashed").to_string(),
            |p| lang.t(format!("applied {}", p.applied), format!("已应用 {}", p.applied)),
        );
        let kv = up
            .map(|p| {
                p.kv.data
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
        html! {
            <tr key={id} class={classes!(up.is_none().then_some("crashed"))}>
                <th scope="row" class="who">
                    <span class="name">{ node_name(id) }</span>
                    <span class="role">{ role(lang, up.map_or("crashed", |p| p.role.as_str())) }</span>
                </th>
                { for cells }
                <td class="sm">{ applied }<span class="kv">{ kv }</span></td>
            </tr>
        }
    });
    html! {
        <section class="panel logs mp-log" aria-labelledby="mp-log-title">
            <h2 id="mp-log-title">{ lang.t("Slots", "槽位") }</h2>
            <div class="table-scroll">
                <table class="log-table mp-table">
                    <thead>
                        <tr><th scope="col" class="who">{ lang.t("slot", "槽位") }</th>{ for header }<th class="sm"></th></tr>
                        <tr class="chosen-row"><th scope="row" class="who">{ lang.t("chosen", "已选定") }</th>{ for chosen_row }<th class="sm"></th></tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            <p class="legend">{ lang.t(
                "Solid: the replica knows the slot is chosen. Hatched: its acceptor accepted this, not known chosen. Top row: chosen in this run (a majority accepted), whether anyone knows yet.",
                "实心：副本知道该槽位已被选定。斜线：它的接受者接受了这个值，但尚不知是否已被选定。顶行：本次运行中已被选定的值（多数已接受），无论是否有人知道。",
            ) }</p>
        </section>
    }
}

//! Basic Paxos drawn: proposers, acceptors and learners on the ring, each role
//! its own shape (proposer a diamond, acceptor a circle, learner a square);
//! each acceptor's promise and accepted proposal; each proposer's phase,
//! number, promises counted and value; the moment a value is chosen, and when
//! each server learns it.

use super::cluster::{fmt, message_position, node_position, HALF, NODE_RADIUS};
use super::format_time;
use super::message::MessageView;
use crate::i18n::{role as role_word, sim_error, use_lang, Lang};
use crate::state::{Action, Dispatch, Selection, SimView};
use quorum_sim::paxos::{Paxos, PaxosMessage, PaxosRole, PaxosSafety, ProposerPhase};
use quorum_sim::{node_name, Command, MessageMeta, NodeId, NodeSlot, NodeStatus};
use yew::prelude::*;

/// What a server shows, in words (also its screen-reader label).
fn summary(slot: &NodeSlot<Paxos>, role: PaxosRole, lang: Lang) -> String {
    let nothing = || lang.t("nothing", "无").to_string();
    let Some(p) = slot.up() else {
        let disk = slot.persistent();
        return match role {
            PaxosRole::Acceptor => {
                let promised = disk.promised.map_or_else(nothing, |b| b.to_string());
                let accepted = disk
                    .accepted
                    .map_or_else(nothing, |(b, v)| format!("({b}, {})", v.op));
                lang.t(
                    format!("crashed; on disk: promised {promised}, accepted {accepted}"),
                    format!("已崩溃；磁盘上：已承诺 {promised}，已接受 {accepted}"),
                )
            }
            _ => role_word(lang, "crashed").to_string(),
        };
    };
    match role {
        PaxosRole::Acceptor => {
            let promised = p.promised.map_or_else(nothing, |b| b.to_string());
            let accepted = p
                .accepted
                .map_or_else(nothing, |(b, v)| format!("({b}, {})", v.op));
            lang.t(
                format!("promised {promised}; accepted {accepted}"),
                format!("已承诺 {promised}；已接受 {accepted}"),
            )
        }
        PaxosRole::Proposer => {
            let phase = match &p.phase {
                ProposerPhase::Idle if p.learned.is_some() => lang.t("done", "已完成").to_string(),
                ProposerPhase::Idle if p.value.is_some() => {
                    lang.t("backing off", "退避中").to_string()
                }
                ProposerPhase::Idle => lang.t("idle", "空闲").to_string(),
                ProposerPhase::Preparing { ballot, promises } => {
                    let n = promises.len();
                    lang.t(
                        format!("phase 1, {ballot}: {n} promises"),
                        format!("阶段 1，{ballot}：{n} 个承诺"),
                    )
                }
                ProposerPhase::Accepting {
                    ballot,
                    value,
                    accepted,
                } => {
                    let (op, n) = (value.op, accepted.len());
                    lang.t(
                        format!("phase 2, ({ballot}, {op}): {n} accepted"),
                        format!("阶段 2，({ballot}, {op})：{n} 个已接受"),
                    )
                }
            };
            format!(
                "{phase}{}{}",
                lang.t("; ", "；"),
                value_words(p.value, lang)
            )
        }
        PaxosRole::Learner => match p.learned {
            Some(v) => lang.t(format!("learned {}", v.op), format!("已学习 {}", v.op)),
            None => lang.t("has not learned", "尚未学习").to_string(),
        },
    }
}

/// A proposer's value: "value x←1", "no value".
fn value_words(value: Option<quorum_sim::paxos::Value>, lang: Lang) -> String {
    value.map_or_else(
        || lang.t("no value", "无值").to_string(),
        |v| lang.t(format!("value {}", v.op), format!("值 {}", v.op)),
    )
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
    let lang = use_lang();
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
            PaxosRole::Proposer => lang.t("BALLOT", "提案编号"),
            PaxosRole::Acceptor => lang.t("PROMISED", "已承诺"),
            PaxosRole::Learner => lang.t("LEARNED", "已学习"),
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
        let text = summary(slot, role, lang);
        let shown_role = role_word(lang, role.as_str());
        let len = x.hypot(y).max(1.0);
        let (lx, ly) = (x / len * (r + 26.0), y / len * (r + 26.0));
        let anchor = if x / len > 0.35 { "start" } else if x / len < -0.35 { "end" } else { "middle" };
        let first = if y / len < -0.35 { ly - 16.0 } else if y / len > 0.35 { ly + 8.0 } else { ly - 4.0 };
        let detail = match (role, accepted) {
            (PaxosRole::Acceptor, Some((b, v))) => {
                lang.t(format!("acc. ({b}, {})", v.op), format!("已接受 ({b}, {})", v.op))
            }
            (PaxosRole::Acceptor, None) => lang.t("acc. nothing", "未接受").to_string(),
            (PaxosRole::Proposer, _) => value_words(up.and_then(|p| p.value), lang),
            (PaxosRole::Learner, _) => String::new(),
        };
        let aria = match lang {
            Lang::En => format!("{}, {shown_role}, {text}", node_name(id)),
            Lang::Zh => format!("{}，{shown_role}，{text}", node_name(id)),
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
                    aria-label={aria}
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
                    <text class="role-label" x={fmt(x + lx)} y={fmt(y + first + 14.0)} text-anchor={anchor}>{ shown_role }</text>
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
                aria-label={lang.t(
                    "Proposers, acceptors and learners on a ring, messages in flight between them",
                    "环上的提议者、接受者和学习者，以及它们之间传输中的消息",
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
    let lang = use_lang();
    let Some(slot) = sim.node(node) else {
        return html! {};
    };
    let role = sim.config().protocol.role_of(node);
    let crash = if slot.up().is_some() {
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
    };
    let timeout = (
        lang.t("Time out", "超时"),
        Action::Apply(Command::Timeout { node }),
        sim.check(&Command::Timeout { node })
            .err()
            .map(|e| lang.of(&sim_error(&e)).to_string()),
    );
    let propose = (
        lang.t("Client request", "客户端请求"),
        Action::ClientRequest { node },
        match (role, slot.up()) {
            (PaxosRole::Proposer, Some(_)) => None,
            (PaxosRole::Proposer, None) => {
                let crashed = quorum_sim::sim::SimErrorKind::Crashed { node };
                Some(lang.of(&sim_error(&crashed.into())).to_string())
            }
            _ => Some(
                lang.t(
                    "only a proposer takes a client's value",
                    "只有提议者才接收客户端的值",
                )
                .to_string(),
            ),
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
            role="dialog" aria-label={lang.t(format!("{} actions", node_name(node)), format!("{} 的操作", node_name(node)))}
            style={format!("left:{left:.2}%;top:{top:.2}%")}>
            <header>
                <strong>{ format!("{} — {}", node_name(node), role_word(lang, role.as_str())) }</strong>
                <button type="button" class="close" aria-label={lang.t("Close", "关闭")} onclick={close}>{ "×" }</button>
            </header>
            <p class="detail">{ summary(slot, role, lang) }</p>
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
    let lang = use_lang();
    let config = &sim.config().protocol;
    let decree = match chosen {
        Some((value, ballot, at)) => {
            let at = format_time(*at);
            html! {
                <p class="decree chosen" data-chosen-value={value.clone()} data-chosen-ballot={ballot.clone()}>
                    <strong>{ lang.t(format!("Chosen: {value}"), format!("已选定：{value}")) }</strong>
                    { lang.t(
                        format!(" — a majority of acceptors accepted proposal {ballot} at {at}, whether or not anyone knew yet."),
                        format!("——多数接受者在 {at} 接受了提案 {ballot}，无论当时是否有人知道。"),
                    ) }
                </p>
            }
        }
        None => html! {
            <p class="decree" data-chosen-none="">{ lang.t(
                "Nothing chosen yet: no proposal has been accepted by a majority of acceptors.",
                "尚未选定任何值：还没有提案被多数接受者接受。",
            ) }</p>
        },
    };
    let rows = sim.nodes().iter().map(|slot| {
        let role = config.role_of(slot.id);
        html! {
            <tr data-row-node={slot.id.to_string()}>
                <th scope="row">{ node_name(slot.id) }</th>
                <td>{ role_word(lang, role.as_str()) }</td>
                <td>{ summary(slot, role, lang) }</td>
            </tr>
        }
    });
    let (majority, acceptors) = (config.majority(), config.acceptors);
    html! {
        <section class="panel paxos-panel" aria-label={lang.t("The decree and every server's state", "决议与每台服务器的状态")}>
            <h2>{ lang.t("Single-decree Paxos", "单决议 Paxos") }</h2>
            { decree }
            <table class="paxos-table">
                <thead><tr><th>{ lang.t("server", "服务器") }</th><th>{ lang.t("role", "角色") }</th><th>{ lang.t("state", "状态") }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <p class="hint">{ lang.t(
                format!("A majority is {majority} of {acceptors} acceptors. Proposal numbers read round.proposer."),
                format!("多数派是 {acceptors} 个接受者中的 {majority} 个。提案编号的格式是“轮次.提议者”。"),
            ) }</p>
        </section>
    }
}

/// The chosen value as the panel shows it: (value, proposal, time in µs).
pub fn chosen_of(safety: &PaxosSafety) -> Option<(String, String, f64)> {
    safety
        .chosen()
        .map(|(b, v, t)| (v.op.to_string(), b.to_string(), t as f64))
}

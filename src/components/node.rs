//! One server on the ring. Its role shows in shape as well as colour: a leader
//! has a double ring and a crown badge, a candidate a dashed ring and vote
//! pips, a crashed server is grey, dashed and crossed out.

use super::cluster::{fmt, NODE_RADIUS};
use crate::i18n::{role as role_word, use_lang, Lang};
use crate::state::{Action, Dispatch};
use quorum_sim::raft::Role;
use quorum_sim::{node_name, NodeId};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NodeProps {
    pub id: NodeId,
    pub x: f64,
    pub y: f64,
    pub crashed: bool,
    pub role: Role,
    pub term: u64,
    /// What the number in the middle is: Raft's `term`, a Paxos `round`.
    #[prop_or("term")]
    pub caption: &'static str,
    /// Votes a candidate holds, its own included.
    pub votes: usize,
    pub majority: usize,
    /// The fraction of the election timeout still to run, if the timer is armed.
    pub timer_left: Option<f64>,
    pub selected: bool,
    pub dispatch: Dispatch,
}

#[component]
pub fn NodeView(props: &NodeProps) -> Html {
    let NodeProps {
        id,
        x,
        y,
        crashed,
        role,
        term,
        caption,
        votes,
        majority,
        timer_left,
        selected,
        dispatch,
    } = props;
    let (id, crashed) = (*id, *crashed);
    let lang = use_lang();
    let r = NODE_RADIUS;
    let name = node_name(id);
    let shown_role = role_word(lang, if crashed { "crashed" } else { role.as_str() });
    let caption = caption_word(lang, caption);
    let aria = match lang {
        Lang::En => format!("{name}, {shown_role}, {caption} {term}"),
        Lang::Zh => format!("{name}，{shown_role}，{caption} {term}"),
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
    let len = x.hypot(*y).max(1.0);
    let (ux, uy) = (x / len, y / len);
    let (lx, ly) = (ux * (r + 24.0), uy * (r + 24.0));
    let anchor = if ux > 0.35 {
        "start"
    } else if ux < -0.35 {
        "end"
    } else {
        "middle"
    };
    // Two lines of label; above the node they stack upwards.
    let first_line = if uy < -0.35 {
        ly - 14.0
    } else if uy > 0.35 {
        ly + 8.0
    } else {
        ly - 3.0
    };

    let timer = match (timer_left, crashed) {
        (Some(left), false) => {
            let urgent = *left < 0.25;
            html! {
                <g class={classes!("timer", urgent.then_some("urgent"))}>
                    <circle class="timer-track" r={fmt(r + 8.0)} />
                    <path class="timer-arc" d={arc(r + 8.0, *left)} />
                </g>
            }
        }
        _ => html! {},
    };

    let decoration = if crashed {
        let k = r * 0.55;
        html! {
            <g class="crossed">
                <line x1={fmt(-k)} y1={fmt(-k)} x2={fmt(k)} y2={fmt(k)} />
                <line x1={fmt(-k)} y1={fmt(k)} x2={fmt(k)} y2={fmt(-k)} />
            </g>
        }
    } else {
        match role {
            Role::Leader => html! {
                <>
                    <circle class="outer-ring" r={fmt(r + 6.0)} />
                    <g class="crown" transform={format!("translate({} {})", fmt(r * 0.86), fmt(-r * 0.86))}>
                        <circle r="12" />
                        <path d="M-7,4 L-7,-4 L-3.5,0 L0,-6 L3.5,0 L7,-4 L7,4 Z" />
                    </g>
                </>
            },
            Role::Candidate => {
                let total = (*majority).max(1);
                let spacing = 9.0;
                let start = -(total as f64 - 1.0) * spacing / 2.0;
                let pips = (0..total).map(|i| {
                    html! {
                        <circle class={classes!("pip", (i < *votes).then_some("held"))}
                            cx={fmt(start + i as f64 * spacing)} cy={fmt(r * 0.6)} r="3.5" />
                    }
                });
                html! {
                    <g class="pips" aria-hidden="true">
                        <title>{ lang.t(
                            format!("{votes} of {majority} votes needed"),
                            format!("已得 {votes} 票，需要 {majority} 票"),
                        ) }</title>
                        { for pips }
                    </g>
                }
            }
            Role::Follower => html! {},
        }
    };

    let term_y = if !crashed && *role == Role::Candidate {
        5.0
    } else {
        9.0
    };
    let translate = format!("translate({} {})", fmt(*x), fmt(*y));
    // The labels stay outside the clickable group, so the group is centred on
    // the server and a click at its centre lands on it.
    html! {
        <>
            <g class={classes!("node", format!("role-{}", role.as_str()), crashed.then_some("crashed"), selected.then_some("selected"))}
                transform={translate.clone()}
                data-node-id={id.to_string()}
                data-role={role.as_str()}
                data-term={term.to_string()}
                data-status={if crashed { "crashed" } else { "up" }}
                role="button" tabindex="0" aria-label={aria}
                aria-haspopup="dialog" aria-expanded={selected.to_string()}
                {onclick} {onkeydown}>
                <circle class="hit" r={fmt(r + 10.0)} />
                { timer }
                <circle class="body" r={fmt(r)} />
                { decoration }
                <text class="term-caption" y={fmt(term_y - 20.0)} text-anchor="middle">{ caption }</text>
                <text class="term" y={fmt(term_y)} text-anchor="middle">{ term }</text>
            </g>
            <g class={classes!("node-label", crashed.then_some("crashed"), format!("role-{}", role.as_str()))}
                transform={translate} aria-hidden="true">
                <text class="name" x={fmt(lx)} y={fmt(first_line)} text-anchor={anchor}>{ name }</text>
                <text class="role-label" x={fmt(lx)} y={fmt(first_line + 14.0)} text-anchor={anchor}>{ shown_role }</text>
            </g>
        </>
    }
}

/// The caption's word: Raft's term, a Multi-Paxos round.
fn caption_word(lang: Lang, caption: &'static str) -> &'static str {
    match (lang, caption) {
        (Lang::Zh, "term") => "任期",
        (Lang::Zh, "round") => "轮次",
        _ => caption,
    }
}

/// An arc of radius `r` starting at the top and running clockwise over `fraction` of the circle.
fn arc(r: f64, fraction: f64) -> String {
    let f = fraction.clamp(0.0, 1.0);
    if f >= 0.9995 {
        // A full circle as two half arcs (one arc cannot end where it starts).
        return format!(
            "M 0 {} A {r} {r} 0 1 1 0 {} A {r} {r} 0 1 1 0 {}",
            fmt(-r),
            fmt(r),
            fmt(-r)
        );
    }
    let angle = f * std::f64::consts::TAU;
    let (ex, ey) = (r * angle.sin(), -r * angle.cos());
    let large = if f > 0.5 { 1 } else { 0 };
    format!(
        "M 0 {} A {r} {r} 0 {large} 1 {} {}",
        fmt(-r),
        fmt(ex),
        fmt(ey)
    )
}

//! The slot log: per replica and slot, known chosen (solid), accepted only
//! (hatched, with its proposal number), or nothing; the run's chosen slots
//! on top.

use crate::i18n::use_lang;
use quorum_sim::chunked::DenseMap;
use quorum_sim::multipaxos::{Cmd, MultiPaxos, Slot};
use quorum_sim::paxos::Ballot;
use quorum_sim::{node_name, NodeId, Sim};
use std::collections::BTreeMap;
use yew::prelude::*;

/// One replica's row: what it knows chosen, what its acceptor accepted, and its state machine.
#[derive(Clone, Debug, PartialEq)]
pub struct SlotRow {
    pub id: NodeId,
    pub role: &'static str,
    pub crashed: bool,
    pub known: DenseMap<Cmd>,
    pub accepted: DenseMap<(Ballot, Cmd)>,
    pub applied: Slot,
    pub kv: String,
}

pub fn rows(sim: &Sim<MultiPaxos>) -> Vec<SlotRow> {
    sim.nodes()
        .iter()
        .map(|slot| {
            let up = slot.up();
            SlotRow {
                id: slot.id,
                role: up.map_or("crashed", |p| p.role.as_str()),
                crashed: up.is_none(),
                known: up.map(|p| p.chosen.clone()).unwrap_or_default(),
                accepted: slot.persistent().accepted,
                applied: up.map_or(0, |p| p.applied),
                kv: up
                    .map(|p| {
                        p.kv.data
                            .iter()
                            .map(|(k, v)| format!("{k}={v}"))
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .unwrap_or_default(),
            }
        })
        .collect()
}

fn role_word(lang: crate::i18n::Lang, role: &str) -> &'static str {
    match role {
        "leader" => lang.t("leader", "领导者"),
        "candidate" => lang.t("candidate", "候选人"),
        "follower" => lang.t("follower", "跟随者"),
        _ => lang.t("crashed", "已崩溃"),
    }
}

#[derive(Properties, PartialEq)]
pub struct MpLogProps {
    pub rows: Vec<SlotRow>,
    /// The slots the run has chosen: (command, proposal), from the checker.
    pub chosen: BTreeMap<Slot, (Cmd, String)>,
}

/// Per replica and slot: known chosen (solid), accepted only (hatched, with
/// its proposal number), or nothing; the run's chosen slots on top.
#[component]
pub fn MpLog(props: &MpLogProps) -> Html {
    let MpLogProps { rows, chosen } = props;
    let lang = use_lang();
    // What the narration's claims name: slots of replicas, and replicas.
    let lit = use_context::<std::rc::Rc<crate::run::view::Highlights>>().unwrap_or_default();
    let last = rows
        .iter()
        .flat_map(|r| [r.accepted.last_key(), r.known.last_key()])
        .flatten()
        .chain(chosen.keys().next_back().copied())
        .max()
        .unwrap_or(0)
        .max(6);
    let header = (1..=last).map(|s| html! { <th scope="col" class="index">{ s }</th> });
    let chosen_row = (1..=last).map(|s| match chosen.get(&s) {
        Some((value, ballot)) => {
            let cmd = super::words::cmd_in(lang, value);
            html! {
            <td class="slot chosen-slot" data-slot={s.to_string()} data-chosen-value={value.to_string()}
                title={lang.t(
                    format!("slot {s}: {cmd} chosen with proposal {ballot}"),
                    format!("槽位 {s}：{cmd} 以提案 {ballot} 被选定"),
                )}>{ cmd }</td>
            }
        }
        None => html! { <td class="slot empty"></td> },
    });
    let rows = rows.iter().map(|row| {
        let id = row.id;
        let cells = (1..=last).map(|s| {
            let (class, text, state, title) = match (row.known.get(&s), row.accepted.get(&s)) {
                (Some(value), _) => {
                    let cmd = super::words::cmd_in(lang, value);
                    (
                    "known",
                    cmd.to_string(),
                    "chosen",
                    lang.t(
                        format!("slot {s}: {cmd}, known chosen"),
                        format!("槽位 {s}：{cmd}，已知被选定"),
                    ),
                    )
                }
                (None, Some((b, value))) => {
                    let cmd = super::words::cmd_in(lang, value);
                    (
                    "accepted",
                    cmd.to_string(),
                    "accepted",
                    lang.t(
                        format!("slot {s}: accepted {cmd} with {b}, not known chosen"),
                        format!("槽位 {s}：以 {b} 接受了 {cmd}，尚不知是否已被选定"),
                    ),
                    )
                }
                (None, None) => (
                    "empty",
                    String::new(),
                    "empty",
                    lang.t(format!("slot {s}: nothing"), format!("槽位 {s}：空")),
                ),
            };
            let highlighted = lit.entries.contains(&(id, s));
            html! {
                <td class={classes!("slot", class, highlighted.then_some("highlighted"))} data-mp-slot="" data-node-id={id.to_string()}
                    data-slot={s.to_string()} data-state={state} {title}
                    data-highlight={highlighted.then_some("true")}>{ text }</td>
            }
        });
        let applied = if row.crashed {
            role_word(lang, "crashed").to_string()
        } else {
            lang.t(
                format!("applied {}", row.applied),
                format!("已应用 {}", row.applied),
            )
        };
        html! {
            <tr key={id} class={classes!(row.crashed.then_some("crashed"))}>
                <th scope="row" class={classes!("who", lit.nodes.contains(&id).then_some("highlighted"))}>
                    <span class="name">{ node_name(id) }</span>
                    <span class="role">{ role_word(lang, row.role) }</span>
                </th>
                { for cells }
                <td class="sm">{ applied }<span class="kv">{ &row.kv }</span></td>
            </tr>
        }
    });
    html! {
        <section class="panel logs mp-log" data-table="slots" aria-labelledby="mp-log-title">
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
                "实心：副本知道该槽位已被选定。斜线：它的接受者接受了这个值，但尚不知是否已被选定。顶行：本次运行中已被选定的值（多数派已接受），无论是否有人知道。",
            ) }</p>
        </section>
    }
}

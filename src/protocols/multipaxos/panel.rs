//! The slot log: per replica and slot, known chosen (solid), accepted only
//! (hatched, with its proposal number), or nothing; the run's chosen slots
//! on top.

use crate::i18n::use_lang;
use crate::ui::slot_table::{kv_text, Cell, Row, SlotTable};
use quorum_sim::chunked::DenseMap;
use quorum_sim::multipaxos::{Cmd, MultiPaxos, Slot};
use quorum_sim::paxos::Ballot;
use quorum_sim::{NodeId, Sim};
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
                kv: up.map(|p| kv_text(&p.kv.data)).unwrap_or_default(),
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

/// The top row: the slots chosen by the moment shown, by its event (the
/// checker has seen the run up to its furthest point, which may lie ahead;
/// a time is shared by the events before and after the moment).
pub fn chosen_shown(
    sim: &Sim<MultiPaxos>,
    safety: &quorum_sim::multipaxos::MultiPaxosSafety,
) -> BTreeMap<Slot, (Cmd, String)> {
    safety
        .chosen_by(sim.position())
        .map(|(s, (b, cmd, _))| (s, (*cmd, b.to_string())))
        .collect()
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
    let top: Vec<_> = (1..=last)
        .map(|s| {
            chosen.get(&s).map(|(value, ballot)| {
                let cmd = super::words::cmd_in(lang, value);
                Cell {
                    class: "known",
                    text: cmd.to_string(),
                    title: lang.t(
                        format!("slot {s}: {cmd} chosen with proposal {ballot}"),
                        format!("槽位 {s}：{cmd} 以提案 {ballot} 被选定"),
                    ),
                    highlighted: false,
                    data: vec![
                        ("data-slot", s.to_string()),
                        ("data-chosen-value", value.to_string()),
                    ],
                }
            })
        })
        .collect();
    let body: Vec<_> =
        rows.iter()
            .map(|row| {
                let id = row.id;
                let cells = (1..=last)
                    .map(|s| {
                        let (class, text, state, title) =
                            match (row.known.get(&s), row.accepted.get(&s)) {
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
                        Cell {
                            class,
                            text,
                            title,
                            highlighted: lit.entries.contains(&(id, s)),
                            data: vec![
                                ("data-mp-slot", String::new()),
                                ("data-node-id", id.to_string()),
                                ("data-slot", s.to_string()),
                                ("data-state", state.to_string()),
                            ],
                        }
                    })
                    .collect();
                Row {
                    id,
                    crashed: row.crashed,
                    role: row.role,
                    role_text: role_word(lang, row.role).to_string(),
                    highlighted: lit.nodes.contains(&id),
                    cells,
                    state: if row.crashed {
                        role_word(lang, "crashed").to_string()
                    } else {
                        lang.t(
                            format!("applied {}", row.applied),
                            format!("已应用 {}", row.applied),
                        )
                    },
                    kv: row.kv.clone(),
                }
            })
            .collect();
    html! {
        <SlotTable table="slots" title={lang.t("Slots", "槽位")}
            index_label={lang.t("slot", "槽位")}
            columns={(1..=last).map(|s| s.to_string()).collect::<Vec<_>>()}
            top_label={lang.t("chosen", "已选定")} {top} rows={body}
            legend={lang.t(
                "Solid: the replica knows the slot is chosen. Hatched: its acceptor accepted this, not known chosen. Top row: chosen in this run (a majority accepted), whether anyone knows yet.",
                "实心：副本知道该槽位已被选定。斜线：它的接受者接受了这个值，但尚不知是否已被选定。顶行：本次运行中已被选定的值（多数派已接受），无论是否有人知道。",
            )} />
    }
}

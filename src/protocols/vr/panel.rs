//! The log by op-number: per replica, its log's operations, those up to its
//! commit-number solid and the rest hatched (prepared, not known
//! committed); the run's committed operations on top. A crashed replica's
//! row is empty: it kept nothing.

use crate::i18n::use_lang;
use crate::ui::slot_table::{kv_text, Cell, Row, SlotTable};
use quorum_sim::vr::Vr;
use quorum_sim::{NodeId, Sim};
use yew::prelude::*;

/// One replica's row.
#[derive(Clone, Debug, PartialEq)]
pub struct LogRow {
    pub id: NodeId,
    pub role: &'static str,
    pub crashed: bool,
    /// Its log's operations by op-number, from 1.
    pub ops: Vec<String>,
    pub commit_number: u64,
    pub view: u64,
    pub kv: String,
}

pub fn rows(sim: &Sim<Vr>) -> Vec<LogRow> {
    sim.nodes()
        .iter()
        .map(|slot| {
            let up = slot.up();
            LogRow {
                id: slot.id,
                role: up.map_or("crashed", super::role_of),
                crashed: up.is_none(),
                ops: up
                    .map(|r| r.log.iter().map(|q| q.op.to_string()).collect())
                    .unwrap_or_default(),
                commit_number: up.map_or(0, |r| r.commit_number),
                view: up.map_or(0, |r| r.view),
                kv: up.map(|r| kv_text(&r.kv.data)).unwrap_or_default(),
            }
        })
        .collect()
}

/// The top row: what was committed by the moment shown (the checker has
/// seen the run up to its furthest point, which may lie ahead).
pub fn committed_shown(sim: &Sim<Vr>, safety: &quorum_sim::vr::VrSafety) -> Vec<String> {
    safety
        .committed_by(sim.position())
        .map(|(_, r)| r.op.to_string())
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct VrLogProps {
    pub rows: Vec<LogRow>,
    /// The run's committed operations by op-number, from the checker.
    pub committed: Vec<String>,
}

#[component]
pub fn VrLog(props: &VrLogProps) -> Html {
    let VrLogProps { rows, committed } = props;
    let lang = use_lang();
    // What the narration's claims name: operations of replicas, and replicas.
    let lit = use_context::<std::rc::Rc<crate::run::view::Highlights>>().unwrap_or_default();
    let last = rows
        .iter()
        .map(|r| r.ops.len())
        .chain([committed.len(), 6])
        .max()
        .unwrap_or(6) as u64;
    let top: Vec<_> = (1..=last)
        .map(|n| {
            committed.get(n as usize - 1).map(|op| Cell {
                class: "known",
                text: op.clone(),
                title: lang.t(
                    format!("op {n}: {op}, committed"),
                    format!("操作 {n}：{op}，已提交"),
                ),
                highlighted: false,
                data: vec![
                    ("data-op-number", n.to_string()),
                    ("data-committed-op", op.clone()),
                ],
            })
        })
        .collect();
    let body: Vec<_> = rows
        .iter()
        .map(|row| {
            let id = row.id;
            let cells = (1..=last)
                .map(|n| {
                    let (class, text, state, title) = match row.ops.get(n as usize - 1) {
                        Some(op) if n <= row.commit_number => (
                            "known",
                            op.clone(),
                            "committed",
                            lang.t(
                                format!("op {n}: {op}, committed"),
                                format!("操作 {n}：{op}，已提交"),
                            ),
                        ),
                        Some(op) => (
                            "accepted",
                            op.clone(),
                            "prepared",
                            lang.t(
                                format!("op {n}: {op}, in the log, not known committed"),
                                format!("操作 {n}：{op}，在日志中，尚不知已提交"),
                            ),
                        ),
                        None => (
                            "empty",
                            String::new(),
                            "empty",
                            lang.t(format!("op {n}: nothing"), format!("操作 {n}：空")),
                        ),
                    };
                    let mut data = vec![
                        ("data-node-id", id.to_string()),
                        ("data-index", n.to_string()),
                        ("data-state", state.to_string()),
                    ];
                    if state != "empty" {
                        data.push(("data-log-entry", String::new()));
                        data.push(("data-committed", (state == "committed").to_string()));
                    }
                    Cell {
                        class,
                        text,
                        title,
                        highlighted: lit.entries.contains(&(id, n)),
                        data,
                    }
                })
                .collect();
            Row {
                id,
                crashed: row.crashed,
                role: row.role,
                role_text: super::role_text(lang, row.role).to_string(),
                highlighted: lit.nodes.contains(&id),
                cells,
                state: if row.crashed {
                    lang.t("nothing kept", "什么也没保留").to_string()
                } else {
                    format!("v {} · k {}", row.view, row.commit_number)
                },
                kv: row.kv.clone(),
            }
        })
        .collect();
    html! {
        <SlotTable table="vr-log" title={lang.t("Logs, by op-number", "日志（按操作号）")}
            index_label={lang.t("op-number", "操作号")}
            columns={(1..=last).map(|n| n.to_string()).collect::<Vec<_>>()}
            top_label={lang.t("committed", "已提交")} {top} rows={body}
            legend={lang.t(
                "Solid: up to the replica's commit-number (k), committed. Hatched: in its log, not known committed yet. Top row: committed in this run (f + 1 replicas had it). v is the view-number. Nothing is on disk: a crashed replica's row is empty.",
                "实心：不超过该副本提交号（k）的操作，已提交。斜线：在它的日志中，尚不知已提交。顶行：本次运行中已提交的操作（f + 1 个副本持有）。v 是视图号。磁盘上什么也没有：崩溃副本的一行是空的。",
            )} />
    }
}

//! The history by zxid: one column per zxid ⟨e, c⟩ any server holds, in
//! zxid order (the order Zab delivers in); per server, the transactions of
//! its history, delivered ones solid and the rest hatched (logged, not yet
//! committed for it); the run's delivered sequence on top. A crashed
//! server's row still shows its history: it is on stable storage.

use crate::i18n::use_lang;
use crate::ui::slot_table::{kv_text, Cell, Row, SlotTable};
use quorum_sim::zab::{Txn, Zab, Zxid};
use quorum_sim::{NodeId, Sim};
use std::collections::BTreeSet;
use yew::prelude::*;

/// One server's row.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryRow {
    pub id: NodeId,
    pub role: &'static str,
    pub crashed: bool,
    /// Its history (from stable storage while it is crashed).
    pub history: Vec<Txn>,
    /// How many of it it delivered (none while crashed).
    pub delivered: usize,
    pub current_epoch: u64,
    pub kv: String,
}

pub fn rows(sim: &Sim<Zab>) -> Vec<HistoryRow> {
    sim.nodes()
        .iter()
        .map(|slot| {
            let up = slot.up();
            HistoryRow {
                id: slot.id,
                role: up.map_or("crashed", super::role_of),
                crashed: up.is_none(),
                history: match up {
                    Some(z) => z.history.clone(),
                    None => slot.persistent().history,
                },
                delivered: up.map_or(0, |z| z.delivered),
                current_epoch: up
                    .map_or_else(|| slot.persistent().current_epoch, |z| z.current_epoch),
                kv: up.map(|z| kv_text(&z.kv.data)).unwrap_or_default(),
            }
        })
        .collect()
}

/// The top row: what was delivered by the moment shown (the checker has
/// seen the run up to its furthest point, which may lie ahead).
pub fn delivered_shown(
    sim: &Sim<Zab>,
    safety: &quorum_sim::zab::ZabSafety,
) -> Vec<(String, String)> {
    safety
        .delivered_by(sim.position())
        .iter()
        .map(|t| (t.zxid.to_string(), t.request.op.to_string()))
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct ZabHistoryProps {
    pub rows: Vec<HistoryRow>,
    /// The run's delivered sequence: (zxid, transaction), from the checker.
    pub delivered: Vec<(String, String)>,
}

#[component]
pub fn ZabHistory(props: &ZabHistoryProps) -> Html {
    let ZabHistoryProps { rows, delivered } = props;
    let lang = use_lang();
    // What the narration's claims name: transactions of servers (by their place in its history), and servers.
    let lit = use_context::<std::rc::Rc<crate::run::view::Highlights>>().unwrap_or_default();
    let zxids: Vec<Zxid> = rows
        .iter()
        .flat_map(|r| r.history.iter().map(|t| t.zxid))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let columns: Vec<String> = zxids
        .iter()
        .map(|z| format!("{},{}", z.epoch, z.counter))
        .collect();
    let top: Vec<_> = zxids
        .iter()
        .map(|z| {
            let zs = z.to_string();
            delivered
                .iter()
                .find(|(d, _)| *d == zs)
                .map(|(_, op)| Cell {
                    class: "known",
                    text: op.clone(),
                    title: lang.t(
                        format!("{zs}: {op}, delivered"),
                        format!("{zs}：{op}，已交付"),
                    ),
                    highlighted: false,
                    data: vec![("data-zxid", zs.clone()), ("data-delivered-op", op.clone())],
                })
        })
        .collect();
    let body: Vec<_> = rows
        .iter()
        .map(|row| {
            let id = row.id;
            let cells = zxids
                .iter()
                .map(|z| {
                    let zs = z.to_string();
                    let at = row.history.iter().position(|t| t.zxid == *z);
                    let (class, text, state, title) = match at {
                        Some(i) => {
                            let op = row.history[i].request.op.to_string();
                            if i < row.delivered {
                                (
                                    "known",
                                    op.clone(),
                                    "delivered",
                                    lang.t(
                                        format!("{zs}: {op}, delivered"),
                                        format!("{zs}：{op}，已交付"),
                                    ),
                                )
                            } else {
                                (
                                    "accepted",
                                    op.clone(),
                                    "logged",
                                    lang.t(
                                        format!("{zs}: {op}, in its history, not delivered"),
                                        format!("{zs}：{op}，在它的历史中，尚未交付"),
                                    ),
                                )
                            }
                        }
                        None => (
                            "empty",
                            String::new(),
                            "empty",
                            lang.t(
                                format!("{zs}: not in its history"),
                                format!("{zs}：不在它的历史中"),
                            ),
                        ),
                    };
                    let mut data = vec![
                        ("data-node-id", id.to_string()),
                        ("data-zxid", zs),
                        ("data-state", state.to_string()),
                    ];
                    if let Some(i) = at {
                        data.push(("data-history-entry", String::new()));
                        data.push(("data-index", (i + 1).to_string()));
                    }
                    Cell {
                        class,
                        text,
                        title,
                        highlighted: at.is_some_and(|i| lit.entries.contains(&(id, i as u64 + 1))),
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
                    lang.t("on disk", "磁盘上").to_string()
                } else {
                    format!("f.a {} · {}", row.current_epoch, row.delivered)
                },
                kv: row.kv.clone(),
            }
        })
        .collect();
    html! {
        <SlotTable table="zab-history" title={lang.t("Histories, by zxid", "历史（按 zxid）")}
            index_label={lang.t("zxid ⟨e, c⟩", "zxid ⟨e, c⟩")}
            {columns}
            top_label={lang.t("delivered", "已交付")} {top} rows={body}
            legend={lang.t(
                "Columns: every zxid ⟨epoch, counter⟩ a server holds, in the order Zab delivers them. Solid: delivered by that server. Hatched: in its history, not delivered yet. Top row: delivered in this run. The last column: currentEpoch f.a and how many it delivered. The history is on stable storage: a crashed server's row keeps it.",
                "列：各服务器持有的每个 zxid ⟨纪元, 计数⟩，按 Zab 交付的顺序排列。实心：该服务器已交付。斜线：在它的历史中，尚未交付。顶行：本次运行中已交付的事务。最后一列：currentEpoch f.a 和它已交付的个数。历史保存在稳定存储中：崩溃服务器的一行仍然保留它。",
            )} />
    }
}

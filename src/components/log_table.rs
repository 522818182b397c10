//! Every server's log side by side: one row a server, one cell an index.
//! An entry is coloured by its term and shows the term's number; committed
//! entries are solid, uncommitted ones hatched with a dashed outline.

use super::term_colour;
use quorum_sim::kv::KvOp;
use quorum_sim::raft::Raft;
use quorum_sim::{node_name, NodeId, NodeStatus, Sim};
use yew::prelude::*;

/// Columns the table shows even before the logs reach them, so it reads as a table.
const MIN_COLUMNS: u64 = 8;
/// More than one column's width in pixels (cell, borders and spacing are 33).
const COLUMN_PX: i32 = 40;

#[derive(Clone, Debug, PartialEq)]
pub struct LogRow {
    pub id: NodeId,
    pub crashed: bool,
    pub role: &'static str,
    /// Entries up to this index are committed (0 for a crashed server: it does not know).
    pub commit_index: u64,
    /// Each entry's term and operation, index 1 first.
    pub entries: Vec<(u64, KvOp)>,
    /// The key-value state machine, e.g. `x=3 y=5`.
    pub state_machine: String,
}

/// The rows for the current state of `sim`.
pub fn log_rows(sim: &Sim<Raft>) -> Vec<LogRow> {
    sim.nodes()
        .iter()
        .map(|slot| {
            let persisted;
            let (log, commit_index, role, state_machine) = match slot.up() {
                Some(raft) => {
                    let kv: Vec<String> = raft
                        .kv
                        .data
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect();
                    (
                        &raft.log,
                        raft.commit_index,
                        raft.role.as_str(),
                        kv.join(" "),
                    )
                }
                None => {
                    persisted = slot.persistent();
                    (&persisted.log, 0, "crashed", String::new())
                }
            };
            LogRow {
                id: slot.id,
                crashed: slot.status() == NodeStatus::Crashed,
                role,
                commit_index,
                entries: log
                    .entries()
                    .iter()
                    .map(|e| (e.term, e.request.op))
                    .collect(),
                state_machine,
            }
        })
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct LogTableProps {
    pub rows: Vec<LogRow>,
}

#[component]
pub fn LogTable(props: &LogTableProps) -> Html {
    let rows = &props.rows;
    let columns = rows
        .iter()
        .map(|r| r.entries.len() as u64)
        .max()
        .unwrap_or(0)
        .max(MIN_COLUMNS);
    let empty = rows.iter().all(|r| r.entries.is_empty());
    let scroller = use_node_ref();
    use_follow_new_columns(scroller.clone(), columns);

    let header = (1..=columns).map(|i| html! { <th scope="col" class="index">{ i }</th> });
    let body = rows.iter().map(|row| {
        let cells = (1..=columns).map(|index| {
            match row.entries.get(index as usize - 1) {
                Some((term, op)) => {
                    let committed = index <= row.commit_index;
                    html! {
                        <td class={classes!("entry", if committed { "committed" } else { "uncommitted" })}
                            style={format!("--term:{}", term_colour(*term))}
                            data-log-entry="" data-node-id={row.id.to_string()}
                            data-index={index.to_string()} data-term={term.to_string()}
                            data-committed={committed.to_string()}
                            title={format!("index {index}, term {term}: {op}{}", if committed { ", committed" } else { ", not committed" })}>
                            { term }
                        </td>
                    }
                }
                None => html! { <td class="empty"></td> },
            }
        });
        html! {
            <tr key={row.id} class={classes!(row.crashed.then_some("crashed"))}>
                <th scope="row" class="who">
                    <span class="name">{ node_name(row.id) }</span>
                    <span class={classes!("role", row.role)}>{ row.role }</span>
                </th>
                { for cells }
                <td class="sm" title="commit index; the state machine">
                    if row.crashed {
                        { "on disk only" }
                    } else {
                        { format!("commit {}", row.commit_index) }
                        <span class="kv">{ &row.state_machine }</span>
                    }
                </td>
            </tr>
        }
    });
    html! {
        <section class="panel logs" aria-labelledby="logs-title">
            <h2 id="logs-title">{ "Logs" }</h2>
            <div class="table-scroll" ref={scroller}>
                <table class="log-table">
                    <thead>
                        <tr>
                            <th scope="col" class="who">{ "index" }</th>
                            { for header }
                            <th scope="col" class="sm">{ "state" }</th>
                        </tr>
                    </thead>
                    <tbody>{ for body }</tbody>
                </table>
            </div>
            <p class="legend">
                <span class="swatch committed" style={format!("--term:{}", term_colour(1))}>{ "1" }</span>{ " committed " }
                <span class="swatch uncommitted" style={format!("--term:{}", term_colour(1))}>{ "1" }</span>{ " not yet committed; the number is the entry's term" }
                if empty {
                    <br /><em>{ "No entries yet: click a server and send a client request." }</em>
                }
            </p>
        </section>
    }
}

/// When new columns arrive and the table was scrolled to its end, keep showing
/// the end; someone who scrolled back to read old entries is left where they are.
#[hook]
fn use_follow_new_columns(scroller: NodeRef, columns: u64) {
    let previous = use_mut_ref(|| columns);
    use_effect_with(columns, move |columns| {
        let added = columns.saturating_sub(*previous.borrow());
        *previous.borrow_mut() = *columns;
        if let Some(el) = scroller.cast::<web_sys::Element>() {
            let slack = el.scroll_width() - el.client_width() - el.scroll_left();
            let was_at_end = i64::from(slack) <= added as i64 * i64::from(COLUMN_PX) + 8;
            if added > 0 && was_at_end {
                el.set_scroll_left(el.scroll_width());
            }
        }
    });
}

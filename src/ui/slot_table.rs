//! One table of numbered positions per server, with what the run has
//! decided on top: Multi-Paxos's slots, VR's log by op-number, Zab's
//! history by zxid. The protocol's folder says what each cell holds and
//! how it is worded; this draws them, one way for all.

use quorum_sim::{node_name, NodeId};
use yew::prelude::*;

/// A cell: solid (`known`: decided, as far as this server knows), hatched
/// (`accepted`: held, not known decided) or `empty`.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub class: &'static str,
    pub text: String,
    pub title: String,
    pub highlighted: bool,
    /// Its `data-*` attributes, for the tests.
    pub data: Vec<(&'static str, String)>,
}

/// A server's row.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub id: NodeId,
    pub crashed: bool,
    /// Its part, as a class (`leader`, `primary`, `crashed`, ...), and in words.
    pub role: &'static str,
    pub role_text: String,
    pub highlighted: bool,
    pub cells: Vec<Cell>,
    /// The last column: where the server is, and its state machine.
    pub state: String,
    pub kv: String,
}

#[derive(Properties, PartialEq)]
pub struct SlotTableProps {
    /// Its `data-table`.
    pub table: &'static str,
    pub title: String,
    /// The first column's head, over the positions' numbers.
    pub index_label: String,
    /// Each column's head.
    pub columns: Vec<String>,
    /// The top row's head and its cells, one per column (`None`: nothing decided there).
    pub top_label: String,
    pub top: Vec<Option<Cell>>,
    pub rows: Vec<Row>,
    /// What solid, hatched and the top row mean.
    pub legend: String,
}

fn cell(class: Classes, c: &Cell) -> Html {
    let mut td = html! {
        <td class={class} title={c.title.clone()}
            data-highlight={c.highlighted.then_some("true")}>{ &c.text }</td>
    };
    if let Html::VTag(tag) = &mut td {
        for (key, value) in &c.data {
            std::rc::Rc::make_mut(tag).add_attribute(key, value.clone());
        }
    }
    td
}

#[component]
pub fn SlotTable(props: &SlotTableProps) -> Html {
    let title_id = format!("{}-title", props.table);
    let header = props
        .columns
        .iter()
        .map(|c| html! { <th scope="col" class="index">{ c }</th> });
    let top = props.top.iter().map(|c| match c {
        Some(c) => cell(classes!("slot", "chosen-slot"), c),
        None => html! { <td class="slot empty"></td> },
    });
    let body = props.rows.iter().map(|row| {
        let cells = row.cells.iter().map(|c| {
            cell(
                classes!("slot", c.class, c.highlighted.then_some("highlighted")),
                c,
            )
        });
        html! {
            <tr key={row.id} class={classes!(row.crashed.then_some("crashed"))}>
                <th scope="row" class={classes!("who", row.highlighted.then_some("highlighted"))}>
                    <span class="name">{ node_name(row.id) }</span>
                    <span class={classes!("role", row.role)}>{ &row.role_text }</span>
                </th>
                { for cells }
                <td class="sm">{ &row.state }<span class="kv">{ &row.kv }</span></td>
            </tr>
        }
    });
    html! {
        <section class="panel logs mp-log" data-table={props.table} aria-labelledby={title_id.clone()}>
            <h2 id={title_id}>{ &props.title }</h2>
            <div class="table-scroll">
                <table class="log-table mp-table">
                    <thead>
                        <tr><th scope="col" class="who">{ &props.index_label }</th>{ for header }<th class="sm"></th></tr>
                        <tr class="chosen-row"><th scope="row" class="who">{ &props.top_label }</th>{ for top }<th class="sm"></th></tr>
                    </thead>
                    <tbody>{ for body }</tbody>
                </table>
            </div>
            <p class="legend">{ &props.legend }</p>
        </section>
    }
}

/// A state machine's keys and values, as a row's last column shows them.
pub fn kv_text<K: std::fmt::Display, V: std::fmt::Display>(
    data: impl IntoIterator<Item = (K, V)>,
) -> String {
    data.into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

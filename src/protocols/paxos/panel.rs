//! The decree: the chosen value and the moment it was chosen (whether or
//! not anyone knew yet), then every server's state in a table.

use crate::i18n::use_lang;
use crate::ui::format_time;
use quorum_sim::{node_name, NodeId, Time};
use yew::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub id: NodeId,
    pub role: String,
    pub state: String,
}

#[derive(Properties, PartialEq)]
pub struct PaxosPanelProps {
    /// The chosen value, the proposal that chose it and when, if by the moment shown.
    pub chosen: Option<(String, String, Time)>,
    pub rows: Vec<Row>,
    pub majority: usize,
    pub acceptors: usize,
}

#[component]
pub fn PaxosPanel(props: &PaxosPanelProps) -> Html {
    let lang = use_lang();
    let decree = match &props.chosen {
        Some((value, ballot, at)) => {
            let at = format_time(*at as f64);
            html! {
                <p class="decree chosen" data-chosen-value={value.clone()} data-chosen-ballot={ballot.clone()}>
                    <strong>{ lang.t(format!("Chosen: {value}"), format!("已选定：{value}")) }</strong>
                    { lang.t(
                        format!(" — a majority of acceptors accepted proposal {ballot} at {at}, whether or not anyone knew yet."),
                        format!("——过半数的接受者在 {at} 接受了提案 {ballot}（当时未必有服务器知道这一点）。"),
                    ) }
                </p>
            }
        }
        None => html! {
            <p class="decree" data-chosen-none="">{ lang.t(
                "Nothing chosen yet: no proposal has been accepted by a majority of acceptors.",
                "尚未选定任何值：还没有提案被过半数的接受者接受。",
            ) }</p>
        },
    };
    let rows = props.rows.iter().map(|r| {
        html! {
            <tr data-row-node={r.id.to_string()}>
                <th scope="row">{ node_name(r.id) }</th>
                <td>{ &r.role }</td>
                <td>{ &r.state }</td>
            </tr>
        }
    });
    let (majority, acceptors) = (props.majority, props.acceptors);
    html! {
        <section class="panel paxos-panel" data-table="paxos" aria-label={lang.t("The decree and every server's state", "决议与每台服务器的状态")}>
            <h2>{ lang.t("Single-decree Paxos", "单值 Paxos") }</h2>
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

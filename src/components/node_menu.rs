//! The menu a click on a server opens: what it knows, and what can be done to it.

use super::cluster::as_percent;
use crate::i18n::{role, sim_error, use_lang, Lang};
use crate::state::{Action, Dispatch, SimView};
use quorum_sim::raft::Raft;
use quorum_sim::{node_name, Command, NodeId};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NodeMenuProps {
    pub sim: SimView<Raft>,
    pub node: NodeId,
    /// The server's position in the ring's view box.
    pub x: f64,
    pub y: f64,
    pub dispatch: Dispatch,
}

#[component]
pub fn NodeMenu(props: &NodeMenuProps) -> Html {
    let NodeMenuProps {
        sim,
        node,
        x,
        y,
        dispatch,
    } = props;
    let node = *node;
    let lang = use_lang();
    let Some(slot) = sim.node(node) else {
        return html! {};
    };
    let name = node_name(node);
    let persisted = slot.persistent();
    let nobody = || lang.t("nobody", "无").to_string();

    let facts = match slot.up() {
        Some(raft) => {
            let leader = raft
                .leader_id
                .map_or_else(|| lang.t("none known", "未知").to_string(), node_name);
            let (count, committed) = (entries(raft.log.last_index(), lang), raft.commit_index);
            html! {
                <dl>
                    <dt>{ lang.t("role", "角色") }</dt><dd>{ role(lang, raft.role.as_str()) }</dd>
                    <dt>{ lang.t("term", "任期") }</dt><dd>{ raft.current_term }</dd>
                    <dt>{ lang.t("voted for", "投票给") }</dt><dd>{ raft.voted_for.map_or_else(nobody, node_name) }</dd>
                    <dt>{ lang.t("leader", "领导者") }</dt><dd>{ leader }</dd>
                    <dt>{ lang.t("log", "日志") }</dt><dd>{ lang.t(format!("{count}, {committed} committed"), format!("{count}，已提交 {committed} 个")) }</dd>
                </dl>
            }
        }
        None => {
            let count = entries(persisted.log.last_index(), lang);
            html! {
                <dl>
                    <dt>{ lang.t("status", "状态") }</dt><dd>{ role(lang, "crashed") }</dd>
                    <dt>{ lang.t("term", "任期") }</dt><dd>{ persisted.current_term }</dd>
                    <dt>{ lang.t("voted for", "投票给") }</dt><dd>{ persisted.voted_for.map_or_else(nobody, node_name) }</dd>
                    <dt>{ lang.t("log", "日志") }</dt><dd>{ lang.t(format!("{count} on disk"), format!("磁盘上有 {count}")) }</dd>
                </dl>
            }
        }
    };

    let crash_or_restart = if slot.up().is_some() {
        (
            lang.t("Crash", "崩溃"),
            Action::Apply(Command::Crash { node }),
        )
    } else {
        (
            lang.t("Restart", "重启"),
            Action::Apply(Command::Restart { node }),
        )
    };
    // The request itself is made when the button is pressed; any request checks the same.
    let request_check = Command::ClientRequest {
        node,
        request: sim.new_request(quorum_sim::kv::KvOp::Set { key: 'x', value: 0 }),
    };
    let links = sim.links();
    let connected = (0..sim.nodes().len())
        .filter(|&other| other != node)
        .all(|other| !links.is_cut(node, other) && !links.is_cut(other, node));
    let isolate_or_rejoin = if connected {
        (lang.t("Isolate", "隔离"), Command::Isolate { node })
    } else {
        (lang.t("Rejoin", "重新接入"), Command::Rejoin { node })
    };
    let isolate_check = sim.check(&isolate_or_rejoin.1).err();
    let actions = [
        (crash_or_restart.0, crash_or_restart.1, None),
        (
            isolate_or_rejoin.0,
            Action::Apply(isolate_or_rejoin.1),
            isolate_check,
        ),
        (
            lang.t("Time out", "超时"),
            Action::Apply(Command::Timeout { node }),
            sim.check(&Command::Timeout { node }).err(),
        ),
        (
            lang.t("Client request", "客户端请求"),
            Action::ClientRequest { node },
            sim.check(&request_check).err(),
        ),
    ];
    let buttons = actions.into_iter().map(|(label, action, refusal)| {
        let dispatch = dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| dispatch.emit(action.clone()));
        let reason = refusal.as_ref().map(|e| lang.of(&sim_error(e)).to_string());
        html! {
            <li>
                <button type="button" disabled={reason.is_some()} {onclick}
                    title={reason.clone()}>{ label }</button>
                if let Some(reason) = reason {
                    <span class="reason">{ reason }</span>
                }
            </li>
        }
    });

    let close = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Deselect))
    };

    // Open towards the centre of the ring, so the menu stays inside the drawing.
    let (left, top) = as_percent(*x, *y);
    let side = if *x > 1.0 { "to-left" } else { "to-right" };
    let vertical = if *y < -100.0 {
        "below"
    } else if *y > 100.0 {
        "above"
    } else {
        "middle"
    };
    html! {
        <div class={classes!("popover", "node-menu", side, vertical)} data-popover="" data-node-menu={node.to_string()}
            role="dialog" aria-label={lang.t(format!("{name} actions"), format!("{name} 的操作"))}
            style={format!("left:{left:.2}%;top:{top:.2}%")}>
            <header>
                <strong>{ name }</strong>
                <button type="button" class="close" aria-label={lang.t("Close", "关闭")} onclick={close}>{ "×" }</button>
            </header>
            { facts }
            <ul class="actions">{ for buttons }</ul>
        </div>
    }
}

/// "1 entry", "3 entries"; "3 个条目".
fn entries(n: u64, lang: Lang) -> String {
    match lang {
        Lang::En if n == 1 => "1 entry".to_string(),
        Lang::En => format!("{n} entries"),
        Lang::Zh => format!("{n} 个条目"),
    }
}

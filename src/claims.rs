//! A scenario's claims in words, in both languages, for the narration's
//! checklist ("S3 leads term 1 ✓").

use crate::i18n::Lang;
use quorum_sim::multipaxos::MpRole;
use quorum_sim::node_name;
use quorum_sim::paxos::Ballot;
use quorum_sim::raft::Role;
use quorum_sim::scenario::{MpClaim, PaxosClaim, PhaseName, RaftClaim, ScriptedCommand, SlotCmd};
use quorum_sim::Command;
use std::collections::BTreeMap;

/// What the page calls each client request of a scenario, by id (`y←4`).
pub type Requests = BTreeMap<u64, String>;

/// The requests a scenario's commands send, by id.
pub fn requests_of(commands: &[ScriptedCommand]) -> Requests {
    commands
        .iter()
        .filter_map(|c| match &c.command {
            Command::ClientRequest { request, .. } => Some((request.id, request.op.to_string())),
            _ => None,
        })
        .collect()
}

/// A claim as a person reads it.
pub trait ClaimText {
    fn text(&self, lang: Lang, requests: &Requests) -> String;
}

fn role(lang: Lang, role: Role) -> &'static str {
    match role {
        Role::Follower => lang.t("a follower", "跟随者"),
        Role::Candidate => lang.t("a candidate", "候选者"),
        Role::Leader => lang.t("the leader", "领导者"),
    }
}

fn terms(terms: &[u64]) -> String {
    if terms.is_empty() {
        "[]".to_string()
    } else {
        terms
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn names(nodes: &[usize]) -> String {
    nodes
        .iter()
        .map(|&n| node_name(n))
        .collect::<Vec<_>>()
        .join(", ")
}

impl ClaimText for RaftClaim {
    fn text(&self, lang: Lang, _requests: &Requests) -> String {
        let en = lang == Lang::En;
        match self {
            RaftClaim::Leader { node, term } => {
                let n = node_name(*node);
                lang.t(
                    format!("{n} is the leader of term {term}"),
                    format!("{n} 是任期 {term} 的领导者"),
                )
            }
            RaftClaim::Role { node, role: r } => {
                let n = node_name(*node);
                if en {
                    format!("{n} is {}", role(lang, *r))
                } else {
                    format!("{n} 是{}", role(lang, *r))
                }
            }
            RaftClaim::NoLeader => lang.t("No server leads", "没有服务器是领导者").into(),
            RaftClaim::NoLeaderOfTerm { term } => lang.t(
                format!("Nobody leads term {term}"),
                format!("任期 {term} 没有领导者"),
            ),
            RaftClaim::Term { node, term } => {
                let n = node_name(*node);
                lang.t(
                    format!("{n}'s currentTerm is {term}"),
                    format!("{n} 的 currentTerm 为 {term}"),
                )
            }
            RaftClaim::Crashed { node } => {
                let n = node_name(*node);
                lang.t(format!("{n} is crashed"), format!("{n} 已崩溃"))
            }
            RaftClaim::VotedFor { node, candidate } => {
                let n = node_name(*node);
                match candidate {
                    Some(c) => lang.t(
                        format!("{n} voted for {}", node_name(*c)),
                        format!("{n} 投票给了 {}", node_name(*c)),
                    ),
                    None => lang.t(
                        format!("{n} has not voted in its term"),
                        format!("{n} 在当前任期还没有投票"),
                    ),
                }
            }
            RaftClaim::Log { node, terms: t } => {
                let n = node_name(*node);
                lang.t(
                    format!("{n}'s log, by term: {}", terms(t)),
                    format!("{n} 的日志（按任期）：{}", terms(t)),
                )
            }
            RaftClaim::CommitIndex { node, index } => {
                let n = node_name(*node);
                lang.t(
                    format!("{n}'s commitIndex is {index}"),
                    format!("{n} 的 commitIndex 为 {index}"),
                )
            }
            RaftClaim::LogsMatch { nodes } => {
                let n = names(nodes);
                lang.t(
                    format!("{n} have the same log"),
                    format!("{n} 的日志完全相同"),
                )
            }
            RaftClaim::Value { node, key, value } => {
                let n = node_name(*node);
                match value {
                    Some(v) => lang.t(
                        format!("{n} has applied {key} = {v}"),
                        format!("{n} 已应用 {key} = {v}"),
                    ),
                    None => lang.t(
                        format!("{n} has no value for {key}"),
                        format!("{n} 还没有 {key} 的值"),
                    ),
                }
            }
            RaftClaim::NextIndex {
                leader,
                follower,
                index,
            } => {
                let (l, f) = (node_name(*leader), node_name(*follower));
                lang.t(
                    format!("{l}'s nextIndex for {f} is {index}"),
                    format!("{l} 给 {f} 的 nextIndex 为 {index}"),
                )
            }
        }
    }
}

fn ballot(b: &Ballot) -> String {
    b.to_string()
}

/// A request by what it does (`y←4`), or by its id if the scenario does not send it.
fn request(lang: Lang, requests: &Requests, id: u64) -> String {
    match requests.get(&id) {
        Some(op) => op.clone(),
        None => lang.t(format!("request {id}"), format!("请求 {id}")),
    }
}

impl ClaimText for PaxosClaim {
    fn text(&self, lang: Lang, requests: &Requests) -> String {
        match self {
            PaxosClaim::Promised { node, ballot: b } => {
                let n = node_name(*node);
                match b {
                    Some(b) => lang.t(
                        format!("{n} promised {}", ballot(b)),
                        format!("{n} 承诺了 {}", ballot(b)),
                    ),
                    None => lang.t(
                        format!("{n} has promised nothing"),
                        format!("{n} 还没有做出承诺"),
                    ),
                }
            }
            PaxosClaim::Accepted { node, proposal } => {
                let n = node_name(*node);
                match proposal {
                    Some((b, v)) => lang.t(
                        format!(
                            "{n} accepted ({}, {})",
                            ballot(b),
                            request(lang, requests, *v)
                        ),
                        format!(
                            "{n} 接受了（{}，{}）",
                            ballot(b),
                            request(lang, requests, *v)
                        ),
                    ),
                    None => lang.t(
                        format!("{n} has accepted nothing"),
                        format!("{n} 还没有接受任何提案"),
                    ),
                }
            }
            PaxosClaim::Chosen { value } => lang.t(
                format!(
                    "A majority of acceptors accepted {}: it is chosen",
                    request(lang, requests, *value)
                ),
                format!(
                    "多数接受者接受了{}：它已被选定",
                    request(lang, requests, *value)
                ),
            ),
            PaxosClaim::NothingChosen => lang
                .t(
                    "No proposal is accepted by a majority",
                    "没有提案被多数接受者接受",
                )
                .into(),
            PaxosClaim::Learned { node, value } => {
                let n = node_name(*node);
                match value {
                    Some(v) => lang.t(
                        format!("{n} learned {}", request(lang, requests, *v)),
                        format!("{n} 得知{}已被选定", request(lang, requests, *v)),
                    ),
                    None => lang.t(
                        format!("{n} has learned nothing"),
                        format!("{n} 还不知道选定的值"),
                    ),
                }
            }
            PaxosClaim::Phase {
                node,
                phase,
                ballot: b,
            } => {
                let n = node_name(*node);
                let with = b.map(|b| format!(" ({})", ballot(&b))).unwrap_or_default();
                match phase {
                    PhaseName::Idle => lang.t(format!("{n} is idle"), format!("{n} 处于空闲")),
                    PhaseName::Preparing => lang.t(
                        format!("{n} is in phase 1{with}"),
                        format!("{n} 处于阶段 1{with}"),
                    ),
                    PhaseName::Accepting => lang.t(
                        format!("{n} is in phase 2{with}"),
                        format!("{n} 处于阶段 2{with}"),
                    ),
                }
            }
            PaxosClaim::Proposing { node, value } => {
                let n = node_name(*node);
                lang.t(
                    format!(
                        "{n} asks the acceptors to accept {}",
                        request(lang, requests, *value)
                    ),
                    format!("{n} 请求接受者接受{}", request(lang, requests, *value)),
                )
            }
            PaxosClaim::Crashed { node } => {
                let n = node_name(*node);
                lang.t(format!("{n} is crashed"), format!("{n} 已崩溃"))
            }
        }
    }
}

fn slot_cmd(lang: Lang, requests: &Requests, cmd: &SlotCmd) -> String {
    match cmd {
        SlotCmd::Request(id) => request(lang, requests, *id),
        SlotCmd::NoOp => lang.t("a no-op", "空操作（no-op）").into(),
    }
}

fn mp_role(lang: Lang, role: MpRole) -> &'static str {
    match role {
        MpRole::Follower => lang.t("a follower", "跟随者"),
        MpRole::Candidate => lang.t("a candidate", "候选者"),
        MpRole::Leader => lang.t("the leader", "领导者"),
    }
}

impl ClaimText for MpClaim {
    fn text(&self, lang: Lang, requests: &Requests) -> String {
        match self {
            MpClaim::Leader { node, round } => {
                let n = node_name(*node);
                match round {
                    Some(r) => lang.t(
                        format!("{n} leads, in round {r}"),
                        format!("{n} 是领导者（轮次 {r}）"),
                    ),
                    None => lang.t(format!("{n} leads"), format!("{n} 是领导者")),
                }
            }
            MpClaim::Role { node, role } => {
                let n = node_name(*node);
                lang.t(
                    format!("{n} is {}", mp_role(lang, *role)),
                    format!("{n} 是{}", mp_role(lang, *role)),
                )
            }
            MpClaim::NoLeader => lang.t("No server leads", "没有服务器是领导者").into(),
            MpClaim::Crashed { node } => {
                let n = node_name(*node);
                lang.t(format!("{n} is crashed"), format!("{n} 已崩溃"))
            }
            MpClaim::Accepted { node, slot, cmd } => {
                let n = node_name(*node);
                match cmd {
                    Some(c) => lang.t(
                        format!(
                            "{n} accepted {} in slot {slot}",
                            slot_cmd(lang, requests, c)
                        ),
                        format!("{n} 在槽位 {slot} 接受了{}", slot_cmd(lang, requests, c)),
                    ),
                    None => lang.t(
                        format!("{n} accepted nothing in slot {slot}"),
                        format!("{n} 在槽位 {slot} 没有接受任何提案"),
                    ),
                }
            }
            MpClaim::Chosen { slot, cmd } => lang.t(
                format!("Slot {slot} is chosen: {}", slot_cmd(lang, requests, cmd)),
                format!("槽位 {slot} 已选定：{}", slot_cmd(lang, requests, cmd)),
            ),
            MpClaim::NotChosen { slot } => lang.t(
                format!("Nothing is chosen in slot {slot} yet"),
                format!("槽位 {slot} 尚未选定任何值"),
            ),
            MpClaim::Knows { node, slot, cmd } => {
                let n = node_name(*node);
                match cmd {
                    Some(c) => lang.t(
                        format!(
                            "{n} knows slot {slot} holds {}",
                            slot_cmd(lang, requests, c)
                        ),
                        format!("{n} 知道槽位 {slot} 选定了{}", slot_cmd(lang, requests, c)),
                    ),
                    None => lang.t(
                        format!("{n} does not know slot {slot} yet"),
                        format!("{n} 还不知道槽位 {slot} 的结果"),
                    ),
                }
            }
            MpClaim::Applied { node, slot } => {
                let n = node_name(*node);
                lang.t(
                    format!("{n} has applied slots 1 to {slot}"),
                    format!("{n} 已应用槽位 1 到 {slot}"),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_read_in_both_languages() {
        let c = RaftClaim::Leader { node: 2, term: 1 };
        let none = Requests::new();
        assert_eq!(c.text(Lang::En, &none), "S3 is the leader of term 1");
        assert_eq!(c.text(Lang::Zh, &none), "S3 是任期 1 的领导者");
        let c = RaftClaim::Log {
            node: 0,
            terms: vec![1, 1, 4],
        };
        assert_eq!(c.text(Lang::En, &none), "S1's log, by term: 1 1 4");
        let c = PaxosClaim::Accepted {
            node: 3,
            proposal: Some((
                Ballot {
                    round: 1,
                    proposer: 0,
                },
                7,
            )),
        };
        assert_eq!(c.text(Lang::En, &none), "S4 accepted (1.1, request 7)");
        assert_eq!(c.text(Lang::Zh, &none), "S4 接受了（1.1，请求 7）");
        let named = Requests::from([(7, "x←3".to_string())]);
        assert_eq!(c.text(Lang::En, &named), "S4 accepted (1.1, x←3)");
        let c = MpClaim::Chosen {
            slot: 2,
            cmd: SlotCmd::NoOp,
        };
        assert_eq!(c.text(Lang::Zh, &none), "槽位 2 已选定：空操作（no-op）");
    }
}

//! Raft's words: its events in the feed, its message types, its safety
//! properties in Chinese, and its scenarios' claims.

use crate::i18n::{text, Lang, Text};
use quorum_sim::node_name;
use quorum_sim::raft::{
    AppendRefusal, Message, RaftEvent, RequestRefusal, Role, SnapshotRefusal, TransferEnd,
    VoteRefusal,
};
use quorum_sim::raft::{RaftClaim, RaftFact};
use quorum_sim::sim::SimEvent;
use quorum_sim::NodeId;
use std::collections::BTreeMap;

/// What the feed remembers to word Raft's events.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RaftFeedMemory {
    /// Nodes that are leader, by the term they lead (to tell a leader stepping
    /// down from the many followers that merely move to a newer term).
    leaders: BTreeMap<NodeId, u64>,
    /// A user forced this node's timeout; its next election is their doing.
    forced: Option<NodeId>,
}

pub fn note(
    memory: &mut RaftFeedMemory,
    event: &SimEvent<quorum_sim::raft::Message, quorum_sim::raft::RaftTimer, RaftEvent>,
) {
    match event {
        SimEvent::TimerFired {
            node, forced: true, ..
        } => memory.forced = Some(*node),
        SimEvent::NodeCrashed { node } => {
            memory.leaders.remove(node);
        }
        _ => {}
    }
}

pub fn describe(memory: &mut RaftFeedMemory, node: NodeId, event: &RaftEvent) -> Option<Text> {
    let name = node_name(node);
    let line = match event {
        RaftEvent::Started {
            term,
            recovered: true,
        } => text(
            format!("{name} restarted from its persisted state, at term {term}"),
            format!("{name} 从持久化的状态重启，任期为 {term}"),
        ),
        RaftEvent::BecameCandidate { term } => {
            if memory.forced.take() == Some(node) {
                text(
                    format!("{name} was made to time out and started an election for term {term}"),
                    format!("{name} 被强制超时，发起了任期 {term} 的选举"),
                )
            } else {
                text(
                    format!("{name} timed out and started an election for term {term}"),
                    format!("{name} 超时，发起了任期 {term} 的选举"),
                )
            }
        }
        RaftEvent::BecameLeader { term } => {
            memory.leaders.insert(node, *term);
            text(
                format!("{name} became leader for term {term}"),
                format!("{name} 成为任期 {term} 的领导者"),
            )
        }
        RaftEvent::BecameFollower { term } => {
            memory.leaders.remove(&node)?;
            text(
                format!("{name} stepped down: it saw term {term}"),
                format!("{name} 退为跟随者：它看到了任期 {term}"),
            )
        }
        RaftEvent::VoteGranted { candidate, term } => {
            let candidate = node_name(*candidate);
            text(
                format!("{name} voted for {candidate} in term {term}"),
                format!("{name} 在任期 {term} 投票给 {candidate}"),
            )
        }
        // A refusal because the vote went to someone else is the common
        // case of a split vote; the grants already tell that story.
        RaftEvent::VoteRefused {
            reason: VoteRefusal::AlreadyVoted { .. },
            ..
        } => return None,
        RaftEvent::VoteRefused {
            candidate,
            term,
            reason,
        } => {
            let candidate = node_name(*candidate);
            let (why, why_zh) = match reason {
                VoteRefusal::LogBehind => (
                    "its log is behind (§5.4.1)".to_string(),
                    format!("{candidate} 的日志不如 {name} 的新（§5.4.1）"),
                ),
                VoteRefusal::LeaderHeard { leader } => {
                    let leader = node_name(*leader);
                    (
                        format!("it heard from leader {leader} within the minimum election timeout (thesis §4.2.3)"),
                        format!("它在最短选举超时之内收到过领导者 {leader} 的消息（论文 §4.2.3）"),
                    )
                }
                _ => (
                    format!("term {term} is stale"),
                    format!("任期 {term} 已过时"),
                ),
            };
            text(
                format!("{name} refused {candidate} a vote: {why}"),
                format!("{name} 拒绝投票给 {candidate}：{why_zh}"),
            )
        }
        RaftEvent::AppendRefused { leader, reason } => {
            let (why, why_zh) = match reason {
                AppendRefusal::StaleTerm => {
                    let leader = node_name(*leader);
                    (
                        format!("{leader} has a stale term"),
                        format!("{leader} 的任期已过时"),
                    )
                }
                AppendRefusal::MissingEntry {
                    prev_log_index,
                    prev_log_term,
                } => (
                    format!("no entry at index {prev_log_index} (term {prev_log_term})"),
                    format!("索引 {prev_log_index} 处没有条目（任期 {prev_log_term}）"),
                ),
                AppendRefusal::TermMismatch {
                    prev_log_index,
                    prev_log_term,
                    found_term,
                } => (
                    format!("entry {prev_log_index} has term {found_term}, not {prev_log_term}"),
                    format!("条目 {prev_log_index} 的任期是 {found_term}，而不是 {prev_log_term}"),
                ),
            };
            text(
                format!("{name} refused AppendEntries: {why}"),
                format!("{name} 拒绝了 AppendEntries：{why_zh}"),
            )
        }
        RaftEvent::EntriesAppended {
            leader,
            first_index,
            truncated_from: Some(from),
            ..
        } => {
            let leader = node_name(*leader);
            text(
                format!(
                    "{name} deleted conflicting entries from index {from} and took {leader}'s from {first_index}"
                ),
                format!(
                    "{name} 删除了从索引 {from} 起的冲突条目，并从索引 {first_index} 起改用 {leader} 的条目"
                ),
            )
        }
        RaftEvent::NextIndexDecremented {
            follower,
            next_index,
        } => {
            let follower = node_name(*follower);
            text(
                format!("{name} moved nextIndex for {follower} back to {next_index}"),
                format!("{name} 把 {follower} 的 nextIndex 回退到 {next_index}"),
            )
        }
        RaftEvent::RequestAccepted {
            request,
            index,
            term,
        } => {
            let op = request.op;
            text(
                format!("{name} appended {op} at index {index} (term {term})"),
                format!("{name} 在索引 {index} 处追加了 {op}（任期 {term}）"),
            )
        }
        RaftEvent::RequestForwarded { request, to } => {
            let (op, to) = (request.op, node_name(*to));
            text(
                format!("{name} forwarded {op} to leader {to}"),
                format!("{name} 把 {op} 转发给领导者 {to}"),
            )
        }
        RaftEvent::RequestRefused { request, reason } => {
            let op = request.op;
            match reason {
                RequestRefusal::TransferInProgress { target } => {
                    let target = node_name(*target);
                    text(
                        format!("{name} refused {op}: it is handing its leadership to {target}"),
                        format!("{name} 拒绝了 {op}：它正在把领导权移交给 {target}"),
                    )
                }
                RequestRefusal::NoLeaderKnown => text(
                    format!("{name} refused {op}: it knows no leader"),
                    format!("{name} 拒绝了 {op}：它不知道谁是领导者"),
                ),
                RequestRefusal::NotLeader { .. } => text(
                    format!("{name} refused {op}: it is not the leader"),
                    format!("{name} 拒绝了 {op}：它不是领导者"),
                ),
            }
        }
        RaftEvent::PreVoteStarted { term } => {
            let (how, how_zh) = if memory.forced.take() == Some(node) {
                ("was made to time out", "被强制超时")
            } else {
                ("timed out", "超时")
            };
            text(
                format!(
                    "{name} {how} and asked for pre-votes for term {term}, its own term unchanged"
                ),
                format!("{name} {how_zh}，请求任期 {term} 的预投票，自己的任期不变"),
            )
        }
        RaftEvent::PreVoteGranted { candidate, term } => {
            let candidate = node_name(*candidate);
            text(
                format!("{name} would vote for {candidate} in term {term}: a pre-vote"),
                format!("{name} 同意在任期 {term} 投票给 {candidate}：预投票"),
            )
        }
        RaftEvent::PreVoteRefused {
            candidate, reason, ..
        } => {
            let candidate = node_name(*candidate);
            let (why, why_zh) = match reason {
                VoteRefusal::LeaderHeard { leader } => {
                    let leader = node_name(*leader);
                    (
                        format!("it hears from leader {leader}"),
                        format!("它仍收到领导者 {leader} 的消息"),
                    )
                }
                VoteRefusal::LogBehind => (
                    "its log is behind (§5.4.1)".to_string(),
                    format!("{candidate} 的日志不如 {name} 的新（§5.4.1）"),
                ),
                VoteRefusal::AlreadyVoted { voted_for } => {
                    let v = node_name(*voted_for);
                    (format!("it voted for {v}"), format!("它已投票给 {v}"))
                }
                VoteRefusal::StaleTerm => {
                    ("its term is stale".to_string(), "任期已过时".to_string())
                }
            };
            text(
                format!("{name} refused {candidate} a pre-vote: {why}"),
                format!("{name} 拒绝给 {candidate} 预投票：{why_zh}"),
            )
        }
        RaftEvent::QuorumLost { term, heard } => {
            memory.leaders.remove(&node);
            text(
                format!("{name} stepped down as leader of term {term}: it heard from only {heard} servers, no majority (CheckQuorum)"),
                format!("{name} 不再担任任期 {term} 的领导者：它只收到 {heard} 台服务器的消息，构不成多数派（CheckQuorum）"),
            )
        }
        RaftEvent::TransferStarted { target } => {
            let target = node_name(*target);
            text(
                format!(
                    "{name} starts handing its leadership to {target} and takes no new requests"
                ),
                format!("{name} 开始把领导权移交给 {target}，不再接受新请求"),
            )
        }
        RaftEvent::TimeoutNowSent { target } => {
            let target = node_name(*target);
            text(
                format!("{target}'s log matches {name}'s: {name} sends it TimeoutNow"),
                format!("{target} 的日志已与 {name} 的一致：{name} 向它发送 TimeoutNow"),
            )
        }
        RaftEvent::TransferEnded {
            target,
            reason: TransferEnd::TimedOut,
        } => {
            let target = node_name(*target);
            text(
                format!(
                    "{name} gave up handing its leadership to {target}: an election timeout passed"
                ),
                format!("{name} 放弃把领导权移交给 {target}：已过了一个选举超时"),
            )
        }
        RaftEvent::TimeoutNowReceived { leader, term } => {
            let leader = node_name(*leader);
            text(
                format!("{name} got TimeoutNow from {leader} (term {term}) and starts an election at once"),
                format!("{name} 收到 {leader} 的 TimeoutNow（任期 {term}），立即发起选举"),
            )
        }
        RaftEvent::SnapshotTaken {
            last_included_index: i,
            last_included_term: t,
        } => text(
            format!("{name} took a snapshot of its state machine through index {i} (term {t}) and discarded its log up to there"),
            format!("{name} 为状态机做了快照，截至索引 {i}（任期 {t}），并丢弃了此前的日志"),
        ),
        RaftEvent::SnapshotInstalled {
            leader,
            last_included_index: i,
            kept,
            ..
        } => {
            let leader = node_name(*leader);
            if *kept > 0 {
                text(
                    format!("{name} installed {leader}'s snapshot through index {i}, kept the {kept} entries after it and reset its state machine from the snapshot"),
                    format!("{name} 安装了 {leader} 截至索引 {i} 的快照，保留其后的 {kept} 个条目，并用快照重置了状态机"),
                )
            } else {
                text(
                    format!("{name} installed {leader}'s snapshot through index {i}, discarded its whole log and reset its state machine from the snapshot"),
                    format!("{name} 安装了 {leader} 截至索引 {i} 的快照，丢弃了整个日志，并用快照重置了状态机"),
                )
            }
        }
        RaftEvent::SnapshotIgnored {
            leader,
            last_included_index: i,
            reason,
        } => {
            let leader = node_name(*leader);
            match reason {
                SnapshotRefusal::StaleTerm => text(
                    format!("{name} ignored {leader}'s snapshot through index {i}: its term is stale"),
                    format!("{name} 忽略了 {leader} 截至索引 {i} 的快照：任期已过时"),
                ),
                SnapshotRefusal::AlreadyCommitted { commit_index } => text(
                    format!("{name} ignored {leader}'s snapshot through index {i}: it has committed up to {commit_index} already"),
                    format!("{name} 忽略了 {leader} 截至索引 {i} 的快照：它已提交至 {commit_index}"),
                ),
            }
        }
        RaftEvent::Committed { index, term } if memory.leaders.contains_key(&node) => text(
            format!("{name} committed entries up to index {index} (term {term})"),
            format!("{name} 提交了索引 {index} 及之前的条目（任期 {term}）"),
        ),
        _ => return None,
    };
    Some(line)
}

/// A message's type as the page says it. The paper's RPC names stay as the
/// paper writes them; the rest are said in Chinese.
pub fn kind_text(msg: &Message, lang: Lang) -> &'static str {
    match msg {
        Message::RequestVote { .. } => "RequestVote",
        Message::AppendEntries { .. } => "AppendEntries",
        Message::RequestVoteReply { .. } => lang.t("RequestVoteReply", "RequestVote 回复"),
        Message::AppendEntriesReply { .. } => lang.t("AppendEntriesReply", "AppendEntries 回复"),
        Message::ClientRequest { .. } => lang.t("ClientRequest", "客户端请求"),
        Message::PreVote { .. } => "PreVote",
        Message::PreVoteReply { .. } => lang.t("PreVoteReply", "PreVote 回复"),
        Message::TimeoutNow { .. } => "TimeoutNow",
        Message::InstallSnapshot { .. } => "InstallSnapshot",
        Message::InstallSnapshotReply { .. } => {
            lang.t("InstallSnapshotReply", "InstallSnapshot 回复")
        }
    }
}

/// Figure 3's properties in Chinese.
pub fn property_zh(name: &str) -> &'static str {
    match name {
        "Election Safety" => "选举安全性",
        "Leader Append-Only" => "领导者只追加",
        "Log Matching" => "日志匹配",
        "Leader Completeness" => "领导者完整性",
        "State Machine Safety" => "状态机安全性",
        _ => "安全性",
    }
}

fn role(lang: Lang, role: Role) -> &'static str {
    match role {
        Role::Follower => lang.t("a follower", "跟随者"),
        Role::Candidate => lang.t("a candidate", "候选人"),
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

/// A claim of a Raft scenario in words.
pub fn claim(claim: &RaftClaim, lang: Lang) -> String {
    let en = lang == Lang::En;
    match claim {
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
                format!("{n} 日志各条目的任期：{}", terms(t)),
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
                format!("{l} 为 {f} 记录的 nextIndex 为 {index}"),
            )
        }
    }
}

/// What is the case instead of a false claim, in words: mostly said as the
/// claim that holds instead.
pub fn fact(fact: &RaftFact, lang: Lang) -> String {
    let say = |c: RaftClaim| claim(&c, lang);
    match fact {
        RaftFact::Server(s) => crate::run::narration::server_fact(s, lang),
        &RaftFact::Role {
            node,
            role: Role::Leader,
            term,
        } => say(RaftClaim::Leader { node, term }),
        RaftFact::Role {
            node,
            role: r,
            term,
        } => {
            let n = node_name(*node);
            lang.t(
                format!("{n} is {} in term {term}", role(lang, *r)),
                format!("{n} 是任期 {term} 的{}", role(lang, *r)),
            )
        }
        RaftFact::Leaders(leaders) => {
            let each: Vec<String> = leaders
                .iter()
                .map(|&(node, term)| say(RaftClaim::Leader { node, term }))
                .collect();
            each.join(lang.t(", ", "，"))
        }
        &RaftFact::Term { node, term } => say(RaftClaim::Term { node, term }),
        &RaftFact::VotedFor { node, candidate } => say(RaftClaim::VotedFor { node, candidate }),
        RaftFact::Log { node, terms } => say(RaftClaim::Log {
            node: *node,
            terms: terms.clone(),
        }),
        &RaftFact::CommitIndex { node, index } => say(RaftClaim::CommitIndex { node, index }),
        RaftFact::LogsDiffer {
            logs: [(a, ta), (b, tb)],
            index,
        } => {
            let (a, b, ta, tb) = (node_name(*a), node_name(*b), terms(ta), terms(tb));
            lang.t(
                format!("{a}'s and {b}'s logs differ from index {index} (by term: {ta} and {tb})"),
                format!("{a} 和 {b} 的日志从索引 {index} 起不同（各条目的任期：{ta} 与 {tb}）"),
            )
        }
        &RaftFact::Value { node, key, value } => say(RaftClaim::Value { node, key, value }),
        &RaftFact::NextIndex {
            leader,
            follower,
            index,
        } => match index {
            Some(index) => say(RaftClaim::NextIndex {
                leader,
                follower,
                index,
            }),
            None => {
                let (l, f) = (node_name(leader), node_name(follower));
                lang.t(
                    format!("{l} keeps no nextIndex for {f}"),
                    format!("{l} 没有为 {f} 记录 nextIndex"),
                )
            }
        },
    }
}

/// What broke a property, in Chinese (the core words it in English).
pub fn breach_zh(breach: &quorum_sim::raft::RaftBreach) -> String {
    use quorum_sim::raft::RaftBreach::*;
    match *breach {
        TwoLeaders { node, term, first } => format!(
            "{} 成了任期 {term} 的领导者，而 {} 早已赢得这个任期",
            node_name(node),
            node_name(first)
        ),
        Overwrote { node, term, index } => format!(
            "{} 作为任期 {term} 的领导者，改动或删除了自己在索引 {index} 的条目",
            node_name(node)
        ),
        PrefixDiffers { node, index, term } => format!(
            "{} 在索引 {index} 有一个任期 {term} 的条目，但它前面的条目和另一台服务器的日志不同",
            node_name(node)
        ),
        CommitPastLog {
            node,
            commit_index,
            last_applied,
            entries,
        } => format!(
            "{} 的 commitIndex 是 {commit_index}，lastApplied 是 {last_applied}，日志里却只有 {entries} 个条目",
            node_name(node)
        ),
        CommittedOther {
            node,
            index,
            term,
            other_term,
        } => format!(
            "{} 在索引 {index} 提交了任期 {term} 的条目，而另一台服务器在那里提交的是任期 {other_term} 的条目",
            node_name(node)
        ),
        AppliedOther {
            node,
            index,
            term,
            request,
            committed,
        } => {
            let there = match committed {
                Some((t, r)) => format!("那里已提交的是（任期 {t}，{r}）"),
                None => "那里还没有已提交的条目".to_string(),
            };
            format!(
                "{} 应用了索引 {index} 的条目（任期 {term}，{request}），但{there}",
                node_name(node)
            )
        }
        LeaderLacks {
            node,
            term,
            index,
            entry_term,
            commit_term,
        } => format!(
            "{} 是任期 {term} 的领导者，却没有在任期 {commit_term} 已提交的条目 {index}（任期 {entry_term}）",
            node_name(node)
        ),
        SnapshotEndsOther {
            node,
            index,
            term,
            committed,
        } => {
            let there = match committed {
                Some(t) => format!("那里已提交的是任期 {t} 的条目"),
                None => "那里还没有已提交的条目".to_string(),
            };
            format!(
                "{} 的快照止于索引 {index} 的一个任期 {term} 的条目，但{there}",
                node_name(node)
            )
        }
        SnapshotPastApplied {
            node,
            index,
            last_applied,
        } => format!(
            "{} 的快照到了索引 {index}，超过了它的 lastApplied {last_applied}",
            node_name(node)
        ),
        SnapshotState { node, index } => format!(
            "{} 到索引 {index} 的快照里的状态，不是到那里为止已提交的条目所产生的状态",
            node_name(node)
        ),
    }
}

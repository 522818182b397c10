//! Raft's state and messages under Figure 2's names.

use crate::i18n::Lang;
use crate::run::view::*;
use quorum_sim::raft::{Entry, Log, Message, Raft, ReplicationState, Role, Snapshot};
use quorum_sim::sim::NodeSlot;
use quorum_sim::{node_name, NodeId, Sim, MS};

/// Figure 2's "or null if none".
fn opt_node(n: Option<NodeId>, lang: Lang) -> String {
    n.map_or_else(|| lang.t("null", "无").to_string(), node_name)
}

/// votedFor's value: the paper's `S2` / `null` in English; in Chinese what
/// it means, 投票给 S2 / 尚未投票 (a bare 无 read as "no vote cast ever").
pub fn voted_for(n: Option<NodeId>, lang: Lang) -> String {
    match (lang, n) {
        (Lang::Zh, Some(n)) => format!("投票给 {}", node_name(n)),
        (Lang::Zh, None) => "尚未投票".to_string(),
        (Lang::En, n) => opt_node(n, lang),
    }
}

pub fn entry_text(index: u64, e: &Entry, lang: Lang) -> String {
    let (term, op, id) = (e.term, e.request.op, e.request.id);
    match lang {
        Lang::En => format!("{index}: term {term}, {op} (#{id})"),
        Lang::Zh => format!("{index}：任期 {term}，{op}（#{id}）"),
    }
}

fn yes_no(b: bool, lang: Lang) -> String {
    match lang {
        Lang::En => b.to_string(),
        Lang::Zh => if b { "是" } else { "否" }.to_string(),
    }
}

/// What a snapshot holds, as the inspector writes a state machine.
pub fn snapshot_text(snapshot: &Snapshot, lang: Lang) -> String {
    let (i, t) = (snapshot.last_included_index, snapshot.last_included_term);
    let kv: Vec<String> = (snapshot.state.data.iter())
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let kv = kv.join(" ");
    lang.t(
        format!("snapshot ≤ {i}: lastIncludedTerm {t}, {kv}"),
        format!("快照 ≤ {i}：lastIncludedTerm {t}，{kv}"),
    )
}

/// A log as a list, committed entries tagged; a snapshot that replaced its
/// prefix (section 7) first, as one item.
fn log_list(log: &Log, commit_index: Option<u64>, lang: Lang) -> Value {
    let snapshot = log.snapshot().map(|s| ListItem {
        index: s.last_included_index,
        text: snapshot_text(s, lang),
        tag: Some(lang.t(" committed", " 已提交").to_string()),
    });
    Value::List {
        items: snapshot
            .into_iter()
            .chain(log.iter().map(|(index, e)| {
                let committed = commit_index.is_some_and(|c| index <= c);
                ListItem {
                    index,
                    text: entry_text(index, e, lang),
                    tag: committed.then(|| lang.t(" committed", " 已提交").to_string()),
                }
            }))
            .collect(),
        empty: lang.t("[] (empty)", "[]（空）").to_string(),
    }
}

fn log_field(log: &Log, commit_index: Option<u64>, lang: Lang) -> Field {
    Field {
        key: "log",
        label: "log[]".to_string(),
        value: log_list(log, commit_index, lang),
    }
}

/// Every variable of Figure 2, in its groups.
pub fn inspect(
    sim: &Sim<Raft>,
    slot: &NodeSlot<Raft>,
    lang: Lang,
) -> (Option<String>, Vec<Section>) {
    let Some(raft) = slot.up() else {
        let disk = slot.persistent();
        return (
            Some(match disk.log.snapshot().map(|s| s.last_included_index) {
                // Section 7: a restart starts from the snapshot, not from 0.
                Some(i) => lang.t(
                    format!("Crashed: only what it persisted survives: its log, whose entries up to {i} a snapshot replaced, currentTerm and votedFor, on disk. commitIndex and lastApplied are volatile: on restart they start at the snapshot's lastIncludedIndex, {i}, and the state machine is loaded from the snapshot (section 7)."),
                    format!("已崩溃。只有持久化的状态保留了下来：磁盘上的日志（索引 {i} 及之前的条目已由快照取代）、currentTerm 和 votedFor。commitIndex 和 lastApplied 是易失的：重启后它们从快照的 lastIncludedIndex {i} 开始，状态机从快照载入（第 7 节）。"),
                ),
                None => lang.t(
                "Crashed: only what it persisted survives: its log, currentTerm and votedFor, on disk (Figure 2's persistent state). commitIndex and lastApplied are volatile: they are lost and restart at 0, so its entries show as not committed until a leader tells it again how far the log is committed.",
                "已崩溃。只有持久化的状态保留了下来：磁盘上的日志、currentTerm 和 votedFor（图 2 中的持久状态）。commitIndex 和 lastApplied 是易失的：它们已丢失，重启后从 0 开始，所以在领导者再次告诉它日志提交到哪里之前，它的条目都显示为未提交。",
            ).to_string(),
            }),
            vec![Section {
                heading: lang.t("Persistent state (on disk)", "持久状态（磁盘上）").to_string(),
                body: SectionBody::Fields(vec![
                    Field::paper("currentTerm", disk.current_term),
                    Field::paper("votedFor", voted_for(disk.voted_for, lang)),
                    log_field(&disk.log, None, lang),
                ]),
            }],
        );
    };
    let kv: Vec<String> = raft
        .kv
        .data
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let kv_text = if kv.is_empty() {
        lang.t("empty", "空").to_string()
    } else {
        kv.join(" ")
    };
    let mut sections = vec![
        Section {
            heading: lang
                .t("Persistent state on all servers", "所有服务器上的持久状态")
                .to_string(),
            body: SectionBody::Fields(vec![
                Field::paper("currentTerm", raft.current_term),
                Field::paper("votedFor", voted_for(raft.voted_for, lang)),
                log_field(&raft.log, Some(raft.commit_index), lang),
            ]),
        },
        Section {
            heading: lang
                .t("Volatile state on all servers", "所有服务器上的易失状态")
                .to_string(),
            body: SectionBody::Fields(vec![
                Field::paper("commitIndex", raft.commit_index),
                Field::paper("lastApplied", raft.last_applied),
                Field::paper("leaderId", opt_node(raft.leader_id, lang)),
                Field::named("kv", lang.t("state machine", "状态机"), kv_text),
            ]),
        },
    ];
    if raft.role == Role::Candidate {
        let held: Vec<String> = raft.votes.iter().map(|&v| node_name(v)).collect();
        let (count, needed) = (held.len(), sim.nodes().len() / 2 + 1);
        let value = match lang {
            Lang::En => format!("{count} of {needed} needed: {}", held.join(", ")),
            Lang::Zh => format!("已得 {count} 票，需要 {needed} 票：{}", held.join("、")),
        };
        sections.push(Section {
            heading: lang
                .t("Volatile state on candidates", "候选人上的易失状态")
                .to_string(),
            body: SectionBody::Fields(vec![Field::named("votes", lang.t("votes", "选票"), value)]),
        });
    }
    if !raft.progress.is_empty() {
        let rows = raft
            .progress
            .iter()
            .map(|(peer, p)| Row {
                key: ("data-peer", peer.to_string()),
                header: node_name(*peer),
                cells: vec![
                    (Some("nextIndex"), p.next_index.to_string()),
                    (Some("matchIndex"), p.match_index.to_string()),
                    (
                        None,
                        match p.state {
                            ReplicationState::Probe => lang.t("probe", "探测"),
                            ReplicationState::Replicate => lang.t("replicate", "复制"),
                        }
                        .to_string(),
                    ),
                ],
            })
            .collect();
        sections.push(Section {
            heading: lang
                .t("Volatile state on leaders", "领导者上的易失状态")
                .to_string(),
            body: SectionBody::Table(Table {
                head: vec![
                    lang.t("peer", "对端").to_string(),
                    "nextIndex[]".to_string(),
                    "matchIndex[]".to_string(),
                    lang.t("mode", "模式").to_string(),
                ],
                rows,
            }),
        });
    }
    if let Some(section) = extensions(sim, raft, lang) {
        sections.push(section);
    }
    (None, sections)
}

/// What the thesis's extensions keep, for those switched on, under the
/// names etcd gives them where the thesis gives none.
fn extensions(sim: &Sim<Raft>, raft: &Raft, lang: Lang) -> Option<Section> {
    let config = &sim.config().protocol;
    let majority = sim.nodes().len() / 2 + 1;
    let names = |set: &std::collections::BTreeSet<NodeId>| {
        let names: Vec<String> = set.iter().map(|&n| node_name(n)).collect();
        names.join(lang.t(", ", "、"))
    };
    let mut fields = Vec::new();
    if config.pre_vote && raft.role != Role::Leader {
        let value = if raft.pre_votes.is_empty() {
            lang.t("none under way", "没有进行中的预投票").to_string()
        } else {
            let (count, next) = (raft.pre_votes.len(), raft.current_term + 1);
            lang.t(
                format!(
                    "for term {next}: {count} of {majority} needed: {}",
                    names(&raft.pre_votes)
                ),
                format!(
                    "为任期 {next}：已得 {count} 票，需要 {majority} 票：{}",
                    names(&raft.pre_votes)
                ),
            )
        };
        fields.push(Field::named(
            "preVotes",
            lang.t("pre-votes (9.6)", "预投票（9.6）"),
            value,
        ));
    }
    if config.pre_vote || config.check_quorum {
        let value = match (raft.leader_heard_at, raft.leader_id) {
            (Some(at), leader) if raft.role != Role::Leader => {
                let ago = crate::ui::num::fixed(sim.now().saturating_sub(at) as f64 / MS as f64, 1);
                let leader = opt_node(leader, lang);
                let within = sim.now().saturating_sub(at) < config.election_timeout_min;
                let min = config.election_timeout_min / MS;
                // What hearing from a leader so lately stops, by switch.
                let stops = match (config.pre_vote, config.check_quorum) {
                    (true, false) => lang.t("grants no pre-vote", "不投预投票"),
                    (false, _) => lang.t("ignores RequestVote", "不理会 RequestVote"),
                    (true, true) => lang.t(
                        "grants no pre-vote and ignores RequestVote",
                        "不投预投票，也不理会 RequestVote",
                    ),
                };
                match (lang, within) {
                    (Lang::En, true) => {
                        format!("{leader}, {ago} ms ago: within {min} ms, so it {stops}")
                    }
                    (Lang::En, false) => format!("{leader}, {ago} ms ago: more than {min} ms"),
                    (Lang::Zh, true) => {
                        format!("{leader}，{ago} 毫秒前：不到 {min} 毫秒，所以{stops}")
                    }
                    (Lang::Zh, false) => format!("{leader}，{ago} 毫秒前：已超过 {min} 毫秒"),
                }
            }
            _ if raft.role == Role::Leader => lang
                .t("itself (it leads)", "它自己（它是领导者）")
                .to_string(),
            _ => lang.t("never, this term", "本任期内从未").to_string(),
        };
        fields.push(Field::named(
            "leaderHeardAt",
            lang.t(
                "last heard from a leader (4.2.3)",
                "上次收到领导者消息（4.2.3）",
            ),
            value,
        ));
    }
    if config.check_quorum && raft.role == Role::Leader {
        let mut heard = raft.heard_since_check.clone();
        heard.insert(raft.id);
        let count = heard.len();
        fields.push(Field::named(
            "recentActive",
            lang.t(
                "heard from since the last check (6.2)",
                "自上次检查以来有回应的（6.2）",
            ),
            lang.t(
                format!(
                    "{count} of {majority} needed, itself included: {}",
                    names(&heard)
                ),
                format!(
                    "{count} 台，需要 {majority} 台（含自己）：{}",
                    names(&heard)
                ),
            ),
        ));
    }
    if config.leadership_transfer && raft.role == Role::Leader {
        let value = match raft.transfer_target {
            None => lang.t("none", "无").to_string(),
            Some(t) if raft.timeout_now_sent => lang.t(
                format!("{}, TimeoutNow sent", node_name(t)),
                format!("{}，已发送 TimeoutNow", node_name(t)),
            ),
            Some(t) => lang.t(
                format!("{}, catching its log up", node_name(t)),
                format!("{}，正在让它的日志追上", node_name(t)),
            ),
        };
        fields.push(Field::named(
            "leadTransferee",
            lang.t("transfer target (3.10)", "移交目标（3.10）"),
            value,
        ));
    }
    (!fields.is_empty()).then(|| Section {
        heading: lang.t("Thesis extensions", "博士论文中的扩展").to_string(),
        body: SectionBody::Fields(fields),
    })
}

/// "1 entry", "3 entries"; "3 个条目".
fn entries(n: u64, lang: Lang) -> String {
    match lang {
        Lang::En if n == 1 => "1 entry".to_string(),
        Lang::En => format!("{n} entries"),
        Lang::Zh => format!("{n} 个条目"),
    }
}

/// What a server's menu says of it.
pub fn facts(slot: &NodeSlot<Raft>, lang: Lang) -> Vec<(String, String)> {
    let nobody = || lang.t("nobody", "无").to_string();
    let fact = |t: &str, v: String| (t.to_string(), v);
    match slot.up() {
        Some(raft) => {
            let leader = raft
                .leader_id
                .map_or_else(|| lang.t("none known", "未知").to_string(), node_name);
            let (count, committed) = (entries(raft.log.last_index(), lang), raft.commit_index);
            vec![
                fact(lang.t("term", "任期"), raft.current_term.to_string()),
                fact(
                    // The label says the verb (已投给 S2 / 无), so the value is the bare name.
                    lang.t("voted for", "已投给"),
                    raft.voted_for.map_or_else(nobody, node_name),
                ),
                fact(lang.t("leader", "当前领导者"), leader),
                fact(
                    lang.t("log", "日志"),
                    lang.t(
                        format!("{count}, {committed} committed"),
                        format!("{count}，已提交 {committed} 个"),
                    ),
                ),
            ]
        }
        None => {
            let disk = slot.persistent();
            let count = entries(disk.log.last_index(), lang);
            vec![
                fact(lang.t("term", "任期"), disk.current_term.to_string()),
                fact(
                    // The label says the verb (已投给 S2 / 无), so the value is the bare name.
                    lang.t("voted for", "已投给"),
                    disk.voted_for.map_or_else(nobody, node_name),
                ),
                fact(
                    lang.t("log", "日志"),
                    lang.t(format!("{count} on disk"), format!("磁盘上有 {count}")),
                ),
            ]
        }
    }
}

/// A message's fields under the paper's names (Figure 2).
pub fn message_fields(msg: &Message, lang: Lang) -> Vec<Field> {
    match msg {
        Message::RequestVote {
            term,
            candidate_id,
            last_log_index,
            last_log_term,
            leadership_transfer,
        } => {
            let mut fields = vec![
                Field::glossed("term", "任期", lang, term),
                Field::glossed("candidateId", "候选人", lang, node_name(*candidate_id)),
                Field::glossed("lastLogIndex", "最后条目的索引", lang, last_log_index),
                Field::glossed("lastLogTerm", "最后条目的任期", lang, last_log_term),
            ];
            if *leadership_transfer {
                fields.push(Field::named(
                    "leadership transfer",
                    lang.t("leadership transfer", "领导权移交"),
                    yes_no(true, lang),
                ));
            }
            fields
        }
        Message::PreVote {
            term,
            candidate_id,
            last_log_index,
            last_log_term,
        } => vec![
            Field::named(
                "term (asked for)",
                lang.t("term (asked for)", "任期（所问的）"),
                term,
            ),
            Field::glossed("candidateId", "候选人", lang, node_name(*candidate_id)),
            Field::glossed("lastLogIndex", "最后条目的索引", lang, last_log_index),
            Field::glossed("lastLogTerm", "最后条目的任期", lang, last_log_term),
        ],
        Message::PreVoteReply { term, vote_granted } => vec![
            Field::glossed("term", "任期", lang, term),
            Field::glossed("voteGranted", "是否投票", lang, yes_no(*vote_granted, lang)),
        ],
        Message::TimeoutNow { term, leader_id } => vec![
            Field::glossed("term", "任期", lang, term),
            Field::glossed("leaderId", "领导者", lang, node_name(*leader_id)),
        ],
        Message::RequestVoteReply { term, vote_granted } => vec![
            Field::glossed("term", "任期", lang, term),
            Field::glossed("voteGranted", "是否投票", lang, yes_no(*vote_granted, lang)),
        ],
        Message::AppendEntries {
            term,
            leader_id,
            prev_log_index,
            prev_log_term,
            entries,
            leader_commit,
        } => {
            let list: Vec<String> = entries
                .iter()
                .enumerate()
                .map(|(i, e)| entry_text(prev_log_index + 1 + i as u64, e, lang))
                .collect();
            let entries = if list.is_empty() {
                lang.t("[] (heartbeat)", "[]（心跳）").to_string()
            } else {
                list.join(lang.t("; ", "；"))
            };
            vec![
                Field::glossed("term", "任期", lang, term),
                Field::glossed("leaderId", "领导者", lang, node_name(*leader_id)),
                Field::glossed("prevLogIndex", "前一条目的索引", lang, prev_log_index),
                Field::glossed("prevLogTerm", "前一条目的任期", lang, prev_log_term),
                Field::glossed("entries[]", "条目", lang, entries),
                Field::glossed("leaderCommit", "领导者的提交索引", lang, leader_commit),
            ]
        }
        Message::AppendEntriesReply {
            term,
            success,
            prev_log_index,
            entry_count,
        } => vec![
            Field::glossed("term", "任期", lang, term),
            Field::glossed("success", "是否成功", lang, yes_no(*success, lang)),
            Field::named(
                "prevLogIndex (echoed)",
                lang.t("prevLogIndex (echoed)", "prevLogIndex（原样带回）"),
                prev_log_index,
            ),
            Field::named(
                "entry count (echoed)",
                lang.t("entry count (echoed)", "条目数（原样带回）"),
                entry_count,
            ),
        ],
        Message::InstallSnapshot {
            term,
            leader_id,
            last_included_index,
            last_included_term,
            data,
        } => {
            let state: Vec<String> = data.data.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let state = if state.is_empty() {
                lang.t("(empty)", "（空）").to_string()
            } else {
                state.join(" ")
            };
            vec![
                Field::glossed("term", "任期", lang, term),
                Field::glossed("leaderId", "领导者", lang, node_name(*leader_id)),
                Field::glossed(
                    "lastIncludedIndex",
                    "快照包含的最后条目的索引",
                    lang,
                    last_included_index,
                ),
                Field::glossed(
                    "lastIncludedTerm",
                    "快照包含的最后条目的任期",
                    lang,
                    last_included_term,
                ),
                Field::glossed(
                    "data[]",
                    "快照数据",
                    lang,
                    lang.t(
                        format!(
                            "{state}; {} requests applied (sent whole)",
                            data.applied_requests.len()
                        ),
                        format!(
                            "{state}；已应用 {} 个请求（整份发送）",
                            data.applied_requests.len()
                        ),
                    ),
                ),
            ]
        }
        Message::InstallSnapshotReply {
            term,
            last_included_index,
        } => vec![
            Field::glossed("term", "任期", lang, term),
            Field::named(
                "lastIncludedIndex (echoed)",
                lang.t(
                    "lastIncludedIndex (echoed)",
                    "lastIncludedIndex（原样带回）",
                ),
                last_included_index,
            ),
        ],
        Message::ClientRequest { request } => vec![
            Field::named("request id", lang.t("request id", "请求编号"), request.id),
            Field::named("command", lang.t("command", "命令"), request.op),
        ],
    }
}

//! Raft on the page: its glyphs (a leader crowned, a candidate dashed with a
//! pip per vote), every Figure 2 variable in the inspector, its messages'
//! fields, its events and claims in words, and the log matrix.

mod fields;
mod glossary;
mod switches;
mod tour;
mod words;

#[cfg(test)]
mod live_tests;
#[cfg(test)]
mod reason_tests;
#[cfg(test)]
mod tests;

use crate::i18n::{text, Lang, Text};
use crate::registry::{Info, Param};
use crate::run::live::{glyph_of, light_messages_between};
use crate::run::view::*;
use crate::run::{Drawn, PageOf};
use crate::ui::log_matrix::{Compacted, LogRow, LogTable};
use quorum_sim::network::Envelope;
use quorum_sim::raft::{Message, Raft, RaftClaim, RaftConfig, RaftTimer, Role};
use quorum_sim::registry::Registered;
use quorum_sim::sim::NodeSlot;
use quorum_sim::{node_name, Command, NodeId, Sim, SimConfig};
use yew::{html, Html};

pub static INFO: Info = Info {
    name: <Raft as Registered>::LISTING.name,
    title: "Raft",
    shape: &[Param {
        key: "nodes",
        min: 3,
        max: 9,
        default: 5,
        counts: ("servers", "台服务器"),
    }],
    scenarios: <Raft as Registered>::LISTING.scenarios,
    switches: switches::SWITCHES,
};

/// What Raft's bundle hands the page.
pub static PAGE: PageOf<Raft> = PageOf::NEW;

fn role_text(lang: Lang, role: Role) -> &'static str {
    match role {
        Role::Follower => lang.t("follower", "跟随者"),
        Role::Candidate => lang.t("candidate", "候选人"),
        Role::Leader => lang.t("leader", "领导者"),
    }
}

fn crashed(lang: Lang) -> &'static str {
    lang.t("crashed", "已崩溃")
}

impl Drawn for Raft {
    const INFO: &'static Info = &INFO;
    const TOUR: &'static [TourStep] = &tour::TOUR;
    const GLOSSARY: &'static [GlossaryEntry] = &glossary::GLOSSARY;
    type FeedMemory = words::RaftFeedMemory;

    fn config(shape: &[usize], seed: u64) -> Result<SimConfig<RaftConfig>, Text> {
        match shape {
            [nodes, on @ ..] => {
                let mut config = SimConfig::new(*nodes, seed);
                let on: Vec<u64> = on.iter().map(|&v| v as u64).collect();
                config.protocol = switches::config(&on)?;
                Ok(config)
            }
            [] => Err(text(
                "a Raft run is shaped by its number of servers and its switches",
                "Raft 的运行由服务器数量和各开关决定",
            )),
        }
    }

    fn shape(config: &SimConfig<RaftConfig>) -> Vec<usize> {
        let mut shape = vec![config.nodes];
        shape.extend(switches::of(&config.protocol));
        shape
    }

    fn share_params(config: &RaftConfig) -> Vec<u64> {
        switches::params(config)
    }

    fn config_from_params(params: &[u64]) -> Result<RaftConfig, Text> {
        switches::config(params)
    }

    /// The leader of the highest term, should an old one not know it was replaced.
    fn leader(sim: &Sim<Raft>) -> Option<NodeId> {
        sim.nodes()
            .iter()
            .filter_map(|slot| slot.up())
            .filter(|raft| raft.role == Role::Leader)
            .max_by_key(|raft| raft.current_term)
            .map(|raft| raft.id)
    }

    fn server(sim: &Sim<Raft>, slot: &NodeSlot<Raft>, lang: Lang) -> ServerGlyph {
        let majority = sim.nodes().len() / 2 + 1;
        let (role, term, votes) = match slot.up() {
            Some(raft) => (raft.role, raft.current_term, raft.votes.len()),
            None => (Role::Follower, slot.persistent().current_term, 0),
        };
        let crashed = slot.up().is_none();
        let caption = lang.t("term", "任期");
        ServerGlyph {
            id: slot.id,
            crashed,
            shape: Shape::Circle,
            role: role.as_str(),
            role_text: if crashed {
                self::crashed(lang)
            } else {
                role_text(lang, role)
            }
            .to_string(),
            emphasis: match (crashed, role) {
                (false, Role::Leader) => Emphasis::Leads,
                (false, Role::Candidate) => Emphasis::Campaigns,
                _ => Emphasis::Plain,
            },
            caption: caption.to_string(),
            number: term.to_string(),
            detail: Vec::new(),
            votes: (!crashed && role == Role::Candidate).then_some((votes, majority)),
            done: false,
            timer: slot.timers.get(&RaftTimer::Election).map(|t| Arc {
                set_at: t.set_at,
                deadline: t.deadline,
            }),
            data: vec![("data-term", term.to_string())],
            summary: format!("{caption} {term}"),
        }
    }

    fn message(env: &Envelope<Message>, lang: Lang) -> MessageGlyph {
        let (shape, family) = match env.payload {
            Message::RequestVote { .. }
            | Message::RequestVoteReply { .. }
            | Message::PreVote { .. }
            | Message::PreVoteReply { .. }
            | Message::TimeoutNow { .. } => (Shape::Circle, "vote"),
            Message::AppendEntries { .. }
            | Message::AppendEntriesReply { .. }
            | Message::InstallSnapshot { .. }
            | Message::InstallSnapshotReply { .. } => (Shape::Square, "append"),
            Message::ClientRequest { .. } => (Shape::Triangle, "client"),
        };
        let mut glyph = glyph_of(env, words::kind_text(&env.payload, lang), shape, family);
        match &env.payload {
            Message::AppendEntries { entries, .. } => glyph.carries = entries.len(),
            Message::RequestVoteReply { vote_granted, .. }
            | Message::PreVoteReply { vote_granted, .. } => glyph.refused = !vote_granted,
            Message::AppendEntriesReply { success, .. } => glyph.refused = !success,
            _ => {}
        }
        glyph.number =
            quorum_sim::MessageMeta::term(&env.payload).map(|t| (lang.t("term", "任期"), t));
        glyph
    }

    fn message_fields(msg: &Message, lang: Lang) -> Vec<Field> {
        fields::message_fields(msg, lang)
    }

    fn inspect(
        sim: &Sim<Raft>,
        slot: &NodeSlot<Raft>,
        lang: Lang,
    ) -> (Option<String>, Vec<Section>) {
        fields::inspect(sim, slot, lang)
    }

    fn timer_name(timer: &RaftTimer, lang: Lang) -> (&'static str, &'static str) {
        match timer {
            RaftTimer::Election => ("election timeout", lang.t("election timeout", "选举超时")),
            RaftTimer::Heartbeat => ("heartbeat", lang.t("heartbeat", "心跳")),
            RaftTimer::CheckQuorum => ("CheckQuorum", "CheckQuorum"),
            RaftTimer::TransferTimeout => (
                "leadership transfer timeout",
                lang.t("leadership transfer timeout", "领导权移交超时"),
            ),
        }
    }

    fn facts(_sim: &Sim<Raft>, slot: &NodeSlot<Raft>, lang: Lang) -> Vec<(String, String)> {
        fields::facts(slot, lang)
    }

    fn no_timeout(_sim: &Sim<Raft>, _slot: &NodeSlot<Raft>) -> Text {
        text("a leader has no election timer", "领导者没有选举计时器")
    }

    /// With leadership transfer on and a leader: "Transfer leadership to
    /// S2" in every other server's menu (thesis 3.10).
    fn menu_commands(sim: &Sim<Raft>, slot: &NodeSlot<Raft>, lang: Lang) -> Vec<(String, Command)> {
        match Self::leader(sim) {
            Some(leader) if sim.config().protocol.leadership_transfer && leader != slot.id => {
                let to = node_name(slot.id);
                vec![(
                    lang.t(
                        format!("Transfer leadership to {to}"),
                        format!("把领导权移交给 {to}"),
                    ),
                    Command::TransferLeadership {
                        node: leader,
                        to: slot.id,
                    },
                )]
            }
            _ => Vec::new(),
        }
    }

    fn no_transfer(sim: &Sim<Raft>, slot: &NodeSlot<Raft>, _to: NodeId) -> Option<Text> {
        let raft = slot.up()?;
        Some(if !sim.config().protocol.leadership_transfer {
            text(
                "leadership transfer is off (turn it on under Extensions)",
                "领导权移交未开启（可在“扩展”中打开）",
            )
        } else if raft.role != Role::Leader {
            text(
                format!(
                    "it is a {}, and only a leader can hand its leadership over",
                    raft.role.as_str()
                ),
                format!(
                    "它是{}，只有领导者才能移交领导权",
                    role_text(Lang::Zh, raft.role)
                ),
            )
        } else if let Some(target) = raft.transfer_target {
            let t = node_name(target);
            text(
                format!("it is already handing its leadership to {t}, one transfer at a time (thesis 3.10)"),
                format!("它正在把领导权移交给 {t}，一次只能进行一次移交（博士论文 3.10 节）"),
            )
        } else {
            return None;
        })
    }

    fn legend(lang: Lang) -> Vec<LegendItem> {
        let message = |shape, family, reply, t: &str| LegendItem {
            mark: LegendMark::Message {
                shape,
                family,
                reply,
            },
            text: t.to_string(),
        };
        vec![
            message(Shape::Circle, "vote", false, "RequestVote"),
            message(Shape::Square, "append", false, "AppendEntries"),
            message(
                Shape::Triangle,
                "client",
                false,
                lang.t("client request", "客户端请求"),
            ),
            message(
                Shape::Circle,
                "vote",
                true,
                lang.t("hollow: a reply", "空心：回复"),
            ),
            LegendItem {
                mark: LegendMark::Refused {
                    shape: Shape::Circle,
                    family: "vote",
                },
                text: lang
                    .t(
                        "red cross: refused (a vote not granted, or entries that did not match the log or had a stale term)",
                        "红叉：拒绝（没有投出的选票，或与日志对不上、任期已过时的条目）",
                    )
                    .to_string(),
            },
            LegendItem {
                mark: LegendMark::Timer,
                text: lang
                    .t("ring: election timer", "外圈：选举计时器")
                    .to_string(),
            },
            LegendItem {
                mark: LegendMark::TimerUrgent,
                text: lang
                    .t(
                        "red: its last quarter, the election timeout is near",
                        "红色：最后四分之一，选举超时即将到来",
                    )
                    .to_string(),
            },
            LegendItem {
                mark: LegendMark::TermColours,
                text: lang
                    .t(
                        "log entries: colour and number are the entry's term",
                        "日志条目：颜色和数字表示条目的任期",
                    )
                    .to_string(),
            },
            LegendItem {
                mark: LegendMark::Crashed(Shape::Circle),
                text: lang
                    .t(
                        "dashed: crashed; its log stays on disk, but commitIndex is volatile (0 again on restart), so its entries show as not committed",
                        "虚线：已崩溃；日志保存在磁盘上，但 commitIndex 是易失的（重启后从 0 开始），所以它的条目显示为未提交",
                    )
                    .to_string(),
            },
        ]
    }

    fn panel(sim: &Sim<Raft>, _safety: &Self::Safety, lang: Lang) -> Html {
        html! { <LogTable rows={log_rows(sim, lang)} /> }
    }

    fn timer_words() -> TimerWords {
        TimerWords {
            spread: text(
                "Space the election timers apart: one server times out first and wins",
                "把各选举计时器的到期时间错开：一台服务器最先超时并胜出",
            ),
            align: text(
                "Give the election timers one deadline: a split vote",
                "让所有选举计时器同时到期：造成选票瓜分",
            ),
            align_with_leader: Some(text(
                "each of its heartbeats restarts a follower's election timer, so the aligned timeouts are put off before they fire (unless heartbeats are lost or late). Crash or isolate the leader first to see a split vote.",
                "它的每次心跳都会重置跟随者的选举计时器，所以对齐的超时在到期前就被推迟了（除非心跳丢失或迟到）。先让领导者崩溃或将其隔离，才能看到选票瓜分。",
            )),
        }
    }

    fn property_zh(name: &str) -> &'static str {
        words::property_zh(name)
    }

    fn violation_zh(safety: &Self::Safety) -> Option<String> {
        safety.breach().map(words::breach_zh)
    }

    fn note(
        memory: &mut Self::FeedMemory,
        event: &quorum_sim::sim::SimEvent<Message, RaftTimer, quorum_sim::raft::RaftEvent>,
    ) {
        words::note(memory, event)
    }

    fn describe(
        memory: &mut Self::FeedMemory,
        node: NodeId,
        event: &quorum_sim::raft::RaftEvent,
    ) -> Option<Text> {
        words::describe(memory, node, event)
    }

    fn claim(
        claim: &quorum_sim::raft::RaftClaim,
        lang: Lang,
        _requests: &crate::run::narration::Requests,
    ) -> String {
        words::claim(claim, lang)
    }

    fn fact(
        fact: &quorum_sim::raft::RaftFact,
        lang: Lang,
        _requests: &crate::run::narration::Requests,
    ) -> String {
        words::fact(fact, lang)
    }

    fn highlights(claim: &RaftClaim, sim: &Sim<Raft>, out: &mut Highlights) {
        // A server's whole log, as it has it (on disk, if crashed).
        let whole_log = |node: NodeId, out: &mut Highlights| {
            out.node(node);
            if let Some(slot) = sim.node(node) {
                for (index, _) in slot.persistent().log.iter() {
                    out.entry(node, index);
                }
            }
        };
        match claim {
            RaftClaim::Leader { node, .. }
            | RaftClaim::Role { node, .. }
            | RaftClaim::Term { node, .. }
            | RaftClaim::Crashed { node }
            | RaftClaim::Value { node, .. } => out.node(*node),
            RaftClaim::VotedFor { node, candidate } => {
                out.node(*node);
                if let Some(c) = candidate {
                    out.node(*c);
                    light_messages_between(sim, *node, *c, out);
                }
            }
            RaftClaim::Log { node, .. } => whole_log(*node, out),
            RaftClaim::CommitIndex { node, index } => {
                out.node(*node);
                out.entry(*node, *index);
            }
            RaftClaim::LogsMatch { nodes } => nodes.iter().for_each(|&n| whole_log(n, out)),
            RaftClaim::NextIndex {
                leader,
                follower,
                index,
            } => {
                out.node(*leader);
                out.node(*follower);
                out.entry(*follower, *index);
                light_messages_between(sim, *leader, *follower, out);
            }
            // They name no server: nothing to point at.
            RaftClaim::NoLeader | RaftClaim::NoLeaderOfTerm { .. } => {}
        }
    }
}

/// The log matrix's rows for the moment shown.
pub fn log_rows(sim: &Sim<Raft>, lang: Lang) -> Vec<LogRow> {
    // The leader of the highest term, should an old one not know it yet.
    let leader = sim
        .nodes()
        .iter()
        .filter_map(|slot| slot.up())
        .filter(|raft| raft.role == Role::Leader)
        .max_by_key(|raft| raft.current_term);
    sim.nodes()
        .iter()
        .map(|slot| {
            let persisted;
            let (log, commit_index, role, role_word, state_machine) = match slot.up() {
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
                        role_text(lang, raft.role),
                        kv.join(" "),
                    )
                }
                None => {
                    persisted = slot.persistent();
                    (&persisted.log, 0, "crashed", crashed(lang), String::new())
                }
            };
            let progress = leader.and_then(|l| l.progress.get(&slot.id));
            LogRow {
                next_index: progress.map(|p| p.next_index),
                match_index: progress.map(|p| p.match_index),
                id: slot.id,
                crashed: slot.up().is_none(),
                role,
                role_text: role_word.to_string(),
                commit_index,
                entries: log.iter().map(|(_, e)| (e.term, e.request.op)).collect(),
                compacted: log.snapshot().map(|s| Compacted {
                    last_included_index: s.last_included_index,
                    last_included_term: s.last_included_term,
                    title: fields::snapshot_text(s, lang),
                }),
                state_machine,
            }
        })
        .collect()
}

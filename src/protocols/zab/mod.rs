//! Zab (Junqueira, Reed and Serafini, "Zab: High-performance broadcast for
//! primary-backup systems", DSN 2011) on the page: the ring shows each
//! server by its state as ZooKeeper names it (LOOKING, FOLLOWING, LEADING)
//! and its phase (election, discovery, synchronization, broadcast), the
//! number in the middle is its currentEpoch (f.a), and the inspector lists
//! the paper's variables, what is on stable storage first. The table is the
//! history by zxid ⟨e, c⟩, delivered transactions solid. A crashed server
//! keeps acceptedEpoch, currentEpoch and its history: the page says so.

mod glossary;
mod panel;
mod words;

#[cfg(test)]
mod tests;

use crate::i18n::{text, Lang, Text};
use crate::registry::{Info, Param};
use crate::run::live::glyph_of;
use crate::run::view::*;
use crate::run::{Drawn, PageOf};
use quorum_sim::network::Envelope;
use quorum_sim::registry::Registered;
use quorum_sim::sim::NodeSlot;
use quorum_sim::zab::{SessionMsg, Zab, ZabConfig, ZabMessage, ZabPhase, ZabRole, ZabTimer};
use quorum_sim::{NodeId, Sim, SimConfig};
use yew::{html, Html};

pub static INFO: Info = Info {
    name: <Zab as Registered>::LISTING.name,
    // Short: the protocol menu is as wide as its longest title (P4's 700×450 embed).
    title: "Zab",
    shape: &[Param {
        key: "nodes",
        min: 3,
        max: 9,
        default: 5,
        counts: ("servers", "台服务器"),
    }],
    scenarios: <Zab as Registered>::LISTING.scenarios,
    switches: &[],
};

/// What Zab's bundle hands the page.
pub static PAGE: PageOf<Zab> = PageOf::NEW;

/// A server's part as the ring draws it: its `data-role`, from its state.
pub fn role_of(z: &Zab) -> &'static str {
    match z.role {
        ZabRole::Looking => "looking",
        ZabRole::Following => "following",
        ZabRole::Leading => "leading",
    }
}

/// The role as the page says it: ZooKeeper's state names.
pub fn role_text(lang: Lang, role: &str) -> &'static str {
    match role {
        "looking" => "LOOKING",
        "following" => "FOLLOWING",
        "leading" => "LEADING",
        _ => lang.t("crashed", "已崩溃"),
    }
}

impl Drawn for Zab {
    const INFO: &'static Info = &INFO;
    const GLOSSARY: &'static [GlossaryEntry] = &glossary::GLOSSARY;
    type FeedMemory = words::ZabFeedMemory;

    fn config(shape: &[usize], seed: u64) -> Result<SimConfig<ZabConfig>, Text> {
        match shape {
            [nodes] => Ok(SimConfig::new(*nodes, seed)),
            _ => Err(text(
                "a Zab run is shaped by its number of servers only",
                "Zab 的运行只由服务器数量决定",
            )),
        }
    }

    fn shape(config: &SimConfig<ZabConfig>) -> Vec<usize> {
        vec![config.nodes]
    }

    /// The established leader of the highest epoch (an old one may not
    /// know yet that its epoch is over).
    fn leader(sim: &Sim<Zab>) -> Option<NodeId> {
        sim.nodes()
            .iter()
            .filter_map(|slot| slot.up())
            .filter_map(|z| z.established_epoch().map(|e| (e, z.id)))
            .max()
            .map(|(_, id)| id)
    }

    fn server(sim: &Sim<Zab>, slot: &NodeSlot<Zab>, lang: Lang) -> ServerGlyph {
        let caption = lang.t("epoch", "纪元");
        let Some(z) = slot.up() else {
            let disk = slot.persistent();
            return ServerGlyph {
                id: slot.id,
                crashed: true,
                shape: Shape::Circle,
                role: "crashed",
                role_text: role_text(lang, "crashed").to_string(),
                emphasis: Emphasis::Plain,
                caption: caption.to_string(),
                // Its currentEpoch is on stable storage: it survives.
                number: disk.current_epoch.to_string(),
                detail: vec![lang.t(
                    format!("kept: f.p, f.a, {} txns", disk.history.len()),
                    format!("保留：f.p、f.a、{} 个事务", disk.history.len()),
                )],
                votes: None,
                done: false,
                timer: None,
                data: vec![
                    ("data-term", disk.current_epoch.to_string()),
                    ("data-accepted-epoch", disk.accepted_epoch.to_string()),
                    ("data-current-epoch", disk.current_epoch.to_string()),
                    ("data-history-len", disk.history.len().to_string()),
                ],
                summary: lang.t(
                    format!(
                        "on stable storage: acceptedEpoch {}, currentEpoch {}, a history of {}",
                        disk.accepted_epoch,
                        disk.current_epoch,
                        disk.history.len()
                    ),
                    format!(
                        "稳定存储中：acceptedEpoch {}，currentEpoch {}，历史中 {} 个事务",
                        disk.accepted_epoch,
                        disk.current_epoch,
                        disk.history.len()
                    ),
                ),
            };
        };
        let role = role_of(z);
        let quorum = sim.nodes().len() / 2 + 1;
        // A looking server's pips: the votes of its round that agree with its own.
        let agreeing = z
            .votes
            .values()
            .filter(|v| v.leader == z.vote.leader)
            .count();
        let phase = words::phase_text(lang, z.phase);
        ServerGlyph {
            id: slot.id,
            crashed: false,
            shape: Shape::Circle,
            role,
            role_text: role_text(lang, role).to_string(),
            emphasis: match (z.role, z.phase) {
                (ZabRole::Leading, ZabPhase::Broadcast) => Emphasis::Leads,
                (ZabRole::Leading, _) | (ZabRole::Looking, _) => Emphasis::Campaigns,
                _ => Emphasis::Plain,
            },
            caption: caption.to_string(),
            number: z.current_epoch.to_string(),
            detail: vec![format!("{phase} · {}", z.last_zxid())],
            votes: (z.role == ZabRole::Looking).then_some((agreeing, quorum)),
            done: false,
            timer: [ZabTimer::LeaderSilent, ZabTimer::Election]
                .iter()
                .find_map(|t| slot.timers.get(t))
                .map(|t| Arc {
                    set_at: t.set_at,
                    deadline: t.deadline,
                }),
            data: vec![
                ("data-term", z.current_epoch.to_string()),
                ("data-zab-state", words::role_name(z.role).to_string()),
                ("data-zab-phase", format!("{:?}", z.phase).to_lowercase()),
                ("data-accepted-epoch", z.accepted_epoch.to_string()),
                ("data-current-epoch", z.current_epoch.to_string()),
                ("data-history-len", z.history.len().to_string()),
                ("data-delivered", z.delivered.to_string()),
                ("data-round", z.round.to_string()),
            ],
            summary: lang.t(
                format!(
                    "{}, {phase}, currentEpoch {}, acceptedEpoch {}, last zxid {}",
                    words::role_name(z.role),
                    z.current_epoch,
                    z.accepted_epoch,
                    z.last_zxid()
                ),
                format!(
                    "{}，{phase}阶段，currentEpoch {}，acceptedEpoch {}，最后的 zxid {}",
                    words::role_name(z.role),
                    z.current_epoch,
                    z.accepted_epoch,
                    z.last_zxid()
                ),
            ),
        }
    }

    fn message(env: &Envelope<ZabMessage>, lang: Lang) -> MessageGlyph {
        let (shape, family) = match &env.payload {
            ZabMessage::Notification { .. } => (Shape::Circle, "vote"),
            ZabMessage::Session { body, .. } => match body {
                SessionMsg::CEpoch { .. }
                | SessionMsg::NewEpoch { .. }
                | SessionMsg::AckEpoch { .. } => (Shape::Diamond, "vote"),
                SessionMsg::NewLeader { .. }
                | SessionMsg::AckLeader { .. }
                | SessionMsg::CommitLeader { .. } => (Shape::Diamond, "append"),
                SessionMsg::Propose { .. } | SessionMsg::Ack { .. } => (Shape::Square, "append"),
                SessionMsg::Commit { .. } => (Shape::Square, "chosen"),
                SessionMsg::Ping | SessionMsg::PingAck => (Shape::Triangle, "heartbeat"),
                SessionMsg::Forward { .. } => (Shape::Triangle, "client"),
            },
        };
        let mut glyph = glyph_of(env, words::kind_text(&env.payload), shape, family);
        glyph.carries = match &env.payload {
            ZabMessage::Session { body, .. } => match body {
                SessionMsg::AckEpoch { history, .. } | SessionMsg::NewLeader { history, .. } => {
                    history.len()
                }
                SessionMsg::Propose { .. } => 1,
                _ => 0,
            },
            ZabMessage::Notification { .. } => 0,
        };
        glyph.number = match &env.payload {
            ZabMessage::Notification { round, .. } => Some((lang.t("round", "轮次"), *round)),
            other => quorum_sim::MessageMeta::term(other).map(|e| (lang.t("epoch", "纪元"), e)),
        };
        glyph
    }

    fn message_fields(msg: &ZabMessage, lang: Lang) -> Vec<Field> {
        words::message_fields(msg, lang)
    }

    fn channel_note(msg: &ZabMessage, lang: Lang) -> Option<String> {
        Some(words::channel_note(msg, lang))
    }

    fn inspect(sim: &Sim<Zab>, slot: &NodeSlot<Zab>, lang: Lang) -> (Option<String>, Vec<Section>) {
        words::inspect(sim, slot, lang)
    }

    fn timer_name(timer: &ZabTimer, lang: Lang) -> (&'static str, &'static str) {
        match timer {
            ZabTimer::Election => ("election", lang.t("vote sent again", "再次发送选票")),
            ZabTimer::LeaderSilent => (
                "leader-silent",
                lang.t(
                    "leader timeout (back to election)",
                    "领导者超时（回到选举）",
                ),
            ),
            ZabTimer::FollowerSilent => (
                "follower-silent",
                lang.t("a follower's timeout", "跟随者超时"),
            ),
            ZabTimer::Tick => (
                "tick",
                lang.t("next ping, quorum check", "下一次 PING 与多数派检查"),
            ),
        }
    }

    fn facts(_sim: &Sim<Zab>, slot: &NodeSlot<Zab>, lang: Lang) -> Vec<(String, String)> {
        words::facts(slot, lang)
    }

    fn refuses_requests(_sim: &Sim<Zab>, slot: &NodeSlot<Zab>, lang: Lang) -> Option<String> {
        let z = slot.up()?;
        (z.phase != ZabPhase::Broadcast).then(|| {
            lang.t(
                "not in broadcast (phase 3): only an established leader and its synchronized followers take requests",
                "不在广播阶段（第 3 阶段）：只有已确立的领导者和与它同步完的跟随者才接受请求",
            )
            .to_string()
        })
    }

    fn no_timeout(_sim: &Sim<Zab>, _slot: &NodeSlot<Zab>) -> Text {
        text(
            "the leader pings its followers and counts their answers: it has no timeout of its own to fire",
            "领导者向跟随者发送 PING 并清点回复：它没有可以触发的超时",
        )
    }

    fn legend(lang: Lang) -> Vec<LegendItem> {
        let message = |shape, family, t: &str| LegendItem {
            mark: LegendMark::Message {
                shape,
                family,
                reply: false,
            },
            text: t.to_string(),
        };
        vec![
            message(
                Shape::Circle,
                "vote",
                lang.t(
                    "phase 0, election: FLE notifications (a vote, its round)",
                    "第 0 阶段，选举：FLE 通知（选票及其轮次）",
                ),
            ),
            message(
                Shape::Diamond,
                "vote",
                lang.t(
                    "phase 1, discovery: CEPOCH, NEWEPOCH, ACK-E",
                    "第 1 阶段，发现：CEPOCH、NEWEPOCH、ACK-E",
                ),
            ),
            message(
                Shape::Diamond,
                "append",
                lang.t(
                    "phase 2, synchronization: NEWLEADER, ACK-LD, COMMIT-LD",
                    "第 2 阶段，同步：NEWLEADER、ACK-LD、COMMIT-LD",
                ),
            ),
            message(
                Shape::Square,
                "append",
                lang.t("phase 3, broadcast: PROPOSE, ACK", "第 3 阶段，广播：PROPOSE、ACK"),
            ),
            message(
                Shape::Square,
                "chosen",
                lang.t("COMMIT: deliver up to this zxid", "COMMIT：交付到这个 zxid 为止"),
            ),
            message(
                Shape::Triangle,
                "heartbeat",
                lang.t("PING: the leader is alive", "PING：领导者还在"),
            ),
            message(
                Shape::Triangle,
                "client",
                lang.t(
                    "a request a follower passes to its leader",
                    "跟随者转交给领导者的请求",
                ),
            ),
            LegendItem {
                mark: LegendMark::Message {
                    shape: Shape::Square,
                    family: "append",
                    reply: true,
                },
                text: lang.t("hollow: a reply", "空心：回复").to_string(),
            },
            LegendItem {
                mark: LegendMark::Timer,
                text: lang
                    .t(
                        "ring: a follower's leader timeout (back to election), or a looking server's next vote",
                        "外圈：跟随者的领导者超时（回到选举），或寻找领导者的服务器下一次发送选票",
                    )
                    .to_string(),
            },
            LegendItem {
                mark: LegendMark::TimerUrgent,
                text: lang
                    .t("red: its last quarter", "红色：最后四分之一")
                    .to_string(),
            },
            LegendItem {
                mark: LegendMark::Crashed(Shape::Circle),
                text: lang
                    .t(
                        "crashed: acceptedEpoch, currentEpoch and the history stay on stable storage",
                        "已崩溃：acceptedEpoch、currentEpoch 和历史保留在稳定存储中",
                    )
                    .to_string(),
            },
        ]
    }

    fn start_hint(sim: &Sim<Zab>, lang: Lang) -> Option<String> {
        let empty = sim
            .nodes()
            .iter()
            .all(|slot| slot.up().is_none_or(|z| z.history.is_empty()));
        let leader = Self::leader(sim);
        empty.then(|| match leader {
            Some(l) => lang.t(
                format!("{} is the established leader. Press C, or click a server and choose Client request, to broadcast the first transaction.", quorum_sim::node_name(l)),
                format!("{} 是已确立的领导者。按 C，或点击一台服务器并选择“客户端请求”，就能广播第一个事务。", quorum_sim::node_name(l)),
            ),
            None => lang.t(
                "Every server starts LOOKING: watch the election (phase 0), then discovery and synchronization, until one leader is established.",
                "每台服务器一开始都是 LOOKING：先看选举（第 0 阶段），再看发现和同步，直到一个领导者被确立。",
            ).to_string(),
        })
    }

    fn panel(sim: &Sim<Zab>, safety: &Self::Safety, _lang: Lang) -> Html {
        let delivered = panel::delivered_shown(sim, safety);
        html! { <panel::ZabHistory rows={panel::rows(sim)} {delivered} /> }
    }

    fn timer_words() -> TimerWords {
        TimerWords {
            spread: text(
                "Space the followers' leader timeouts apart: one goes back to election first",
                "把各跟随者的领导者超时错开：一台先回到选举",
            ),
            align: text(
                "Give the followers' leader timeouts one deadline: they go back to election together",
                "让各跟随者的领导者超时同时到期：它们一起回到选举",
            ),
            align_with_leader: Some(text(
                "each PING of the leader restarts its followers' timeouts, so the aligned timeouts are put off before they fire. Crash or isolate the leader first.",
                "领导者的每个 PING 都会重置跟随者的超时，所以对齐的超时在到期前就被推迟了。先让领导者崩溃或将其隔离。",
            )),
        }
    }

    fn property_zh(name: &str) -> &'static str {
        words::property_zh(name)
    }

    fn violation_zh(safety: &Self::Safety) -> Option<String> {
        safety.breach().map(words::breach_zh)
    }

    fn describe(
        memory: &mut Self::FeedMemory,
        node: NodeId,
        event: &quorum_sim::zab::ZabEvent,
    ) -> Option<Text> {
        words::describe(memory, node, event)
    }

    fn claim(
        claim: &quorum_sim::zab::ZabClaim,
        lang: Lang,
        requests: &crate::run::narration::Requests,
    ) -> String {
        words::claim(claim, lang, requests)
    }

    fn fact(
        fact: &quorum_sim::zab::ZabFact,
        lang: Lang,
        requests: &crate::run::narration::Requests,
    ) -> String {
        words::fact(fact, lang, requests)
    }

    fn highlights(claim: &quorum_sim::zab::ZabClaim, sim: &Sim<Zab>, out: &mut Highlights) {
        use quorum_sim::zab::ZabClaim as C;
        match claim {
            C::Role { node, .. }
            | C::Established { node, .. }
            | C::Crashed { node }
            | C::Epochs { node, .. } => out.node(*node),
            C::History { node, zxids } => {
                out.node(*node);
                let history = sim
                    .node(*node)
                    .map(|s| s.persistent().history)
                    .unwrap_or_default();
                for (i, t) in history.iter().enumerate() {
                    if zxids.contains(&t.zxid) {
                        out.entry(*node, i as u64 + 1);
                    }
                }
            }
            C::Delivered { node, count } => {
                out.node(*node);
                for i in 1..=*count as u64 {
                    out.entry(*node, i);
                }
            }
        }
    }
}

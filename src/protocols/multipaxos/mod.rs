//! Multi-Paxos on the page: the ring as Raft's (a leader crowned, a
//! candidate dashed with a pip per promise), each server's round, every
//! variable of its three roles in the inspector, and the slot log: per
//! replica what its acceptor accepted in each slot and which slots it knows
//! are chosen, with the run's chosen slots on top.

mod glossary;
mod panel;
mod words;

#[cfg(test)]
mod reason_tests;
#[cfg(test)]
mod tests;

use crate::i18n::{text, Lang, Text};
use crate::registry::{Info, Param};
use crate::run::live::glyph_of;
use crate::run::view::*;
use crate::run::{Drawn, PageOf};
use quorum_sim::multipaxos::{MpMessage, MpRole, MpTimer, MultiPaxos, MultiPaxosConfig};
use quorum_sim::network::Envelope;
use quorum_sim::registry::Registered;
use quorum_sim::sim::NodeSlot;
use quorum_sim::{NodeId, Sim, SimConfig};
use yew::{html, Html};

pub static INFO: Info = Info {
    name: <MultiPaxos as Registered>::LISTING.name,
    title: "Multi-Paxos",
    shape: &[Param {
        key: "nodes",
        min: 3,
        max: 9,
        default: 5,
        counts: ("servers", "台服务器"),
    }],
    scenarios: <MultiPaxos as Registered>::LISTING.scenarios,
    switches: &[],
};

/// What Multi-Paxos's bundle hands the page.
pub static PAGE: PageOf<MultiPaxos> = PageOf::NEW;

fn role_text(lang: Lang, role: MpRole) -> &'static str {
    match role {
        MpRole::Follower => lang.t("follower", "跟随者"),
        MpRole::Candidate => lang.t("candidate", "候选人"),
        MpRole::Leader => lang.t("leader", "领导者"),
    }
}

impl Drawn for MultiPaxos {
    const INFO: &'static Info = &INFO;
    const GLOSSARY: &'static [GlossaryEntry] = &glossary::GLOSSARY;
    /// Slots each server proposed: its learning them is worth a line, the
    /// other replicas' learning the same slot is not.
    type FeedMemory = words::MpFeedMemory;

    fn config(shape: &[usize], seed: u64) -> Result<SimConfig<MultiPaxosConfig>, Text> {
        match shape {
            [nodes] => Ok(SimConfig::new(*nodes, seed)),
            _ => Err(text(
                "a Multi-Paxos run is shaped by its number of servers only",
                "Multi-Paxos 的运行只由服务器数量决定",
            )),
        }
    }

    fn shape(config: &SimConfig<MultiPaxosConfig>) -> Vec<usize> {
        vec![config.nodes]
    }

    /// The leader with the highest number, should an old one not know it was replaced.
    fn leader(sim: &Sim<MultiPaxos>) -> Option<NodeId> {
        sim.nodes()
            .iter()
            .filter_map(|slot| slot.up())
            .filter(|n| n.role == MpRole::Leader)
            .max_by_key(|n| n.ballot)
            .map(|n| n.id)
    }

    fn server(sim: &Sim<MultiPaxos>, slot: &NodeSlot<MultiPaxos>, lang: Lang) -> ServerGlyph {
        let disk = slot.persistent();
        let round = disk.promised.map_or(0, |b| b.round);
        let (role, promises) = match slot.up() {
            Some(p) => (p.role, p.promises.len()),
            None => (MpRole::Follower, 0),
        };
        let crashed = slot.up().is_none();
        let caption = lang.t("round", "轮次");
        ServerGlyph {
            id: slot.id,
            crashed,
            shape: Shape::Circle,
            role: role.as_str(),
            role_text: if crashed {
                lang.t("crashed", "已崩溃")
            } else {
                role_text(lang, role)
            }
            .to_string(),
            emphasis: match (crashed, role) {
                (false, MpRole::Leader) => Emphasis::Leads,
                (false, MpRole::Candidate) => Emphasis::Campaigns,
                _ => Emphasis::Plain,
            },
            caption: caption.to_string(),
            number: round.to_string(),
            detail: Vec::new(),
            votes: (!crashed && role == MpRole::Candidate)
                .then_some((promises, sim.nodes().len() / 2 + 1)),
            done: false,
            timer: slot.timers.get(&MpTimer::Leader).map(|t| Arc {
                set_at: t.set_at,
                deadline: t.deadline,
            }),
            data: vec![("data-term", round.to_string())],
            summary: format!("{caption} {round}"),
        }
    }

    fn message(env: &Envelope<MpMessage>, lang: Lang) -> MessageGlyph {
        let (shape, family) = match env.payload {
            MpMessage::Prepare { .. } | MpMessage::Promise { .. } | MpMessage::Nack { .. } => {
                (Shape::Circle, "vote")
            }
            MpMessage::Accept { .. } | MpMessage::Accepted { .. } => (Shape::Square, "append"),
            MpMessage::Chosen { .. } => (Shape::Triangle, "chosen"),
            MpMessage::Heartbeat { .. } | MpMessage::HeartbeatReply { .. } => {
                (Shape::Triangle, "heartbeat")
            }
            MpMessage::Forward { .. } => (Shape::Triangle, "client"),
        };
        let mut glyph = glyph_of(env, words::kind_text(&env.payload, lang), shape, family);
        glyph.refused = matches!(env.payload, MpMessage::Nack { .. });
        if let MpMessage::Promise { accepted, .. } = &env.payload {
            glyph.carries = accepted.len();
        }
        glyph.number = quorum_sim::MessageMeta::term(&env.payload)
            .map(|round| (lang.t("round", "轮次"), round));
        glyph
    }

    fn message_fields(msg: &MpMessage, lang: Lang) -> Vec<Field> {
        words::message_fields(msg, lang)
    }

    fn inspect(
        sim: &Sim<MultiPaxos>,
        slot: &NodeSlot<MultiPaxos>,
        lang: Lang,
    ) -> (Option<String>, Vec<Section>) {
        words::inspect(sim, slot, lang)
    }

    fn timer_name(timer: &MpTimer, lang: Lang) -> (&'static str, &'static str) {
        match timer {
            MpTimer::Leader => ("leader timeout", lang.t("leader timeout", "领导者超时")),
            MpTimer::Heartbeat => ("heartbeat", lang.t("heartbeat", "心跳")),
        }
    }

    fn facts(
        _sim: &Sim<MultiPaxos>,
        slot: &NodeSlot<MultiPaxos>,
        lang: Lang,
    ) -> Vec<(String, String)> {
        words::facts(slot, lang)
    }

    fn no_timeout(_sim: &Sim<MultiPaxos>, _slot: &NodeSlot<MultiPaxos>) -> Text {
        text(
            "the leader sends the heartbeats, so it has no timeout waiting for them",
            "领导者自己发送心跳，所以没有等待心跳的超时",
        )
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
            message(
                Shape::Circle,
                "vote",
                false,
                lang.t("phase 1: Prepare, Promise", "阶段 1：Prepare、Promise"),
            ),
            message(
                Shape::Square,
                "append",
                false,
                lang.t("phase 2: Accept, Accepted", "阶段 2：Accept、Accepted"),
            ),
            message(
                Shape::Triangle,
                "chosen",
                false,
                lang.t("Chosen", "选定通知"),
            ),
            message(
                Shape::Triangle,
                "heartbeat",
                false,
                lang.t("heartbeat", "心跳"),
            ),
            message(
                Shape::Triangle,
                "client",
                false,
                lang.t(
                    "a client request a follower passes to the leader",
                    "跟随者转交给领导者的客户端请求",
                ),
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
                        "red cross: Nack, a Prepare or Accept refused, with the number the acceptor promised",
                        "红叉：Nack，接受者拒绝了 Prepare 或 Accept，并带回它承诺的编号",
                    )
                    .to_string(),
            },
            LegendItem {
                mark: LegendMark::Timer,
                text: lang
                    .t("ring: leader timeout", "外圈：领导者超时")
                    .to_string(),
            },
            LegendItem {
                mark: LegendMark::TimerUrgent,
                text: lang
                    .t(
                        "red: its last quarter, the leader timeout is near",
                        "红色：最后四分之一，领导者超时即将到来",
                    )
                    .to_string(),
            },
        ]
    }

    /// The servers elect a leader by themselves; slots fill only with
    /// clients' requests.
    fn start_hint(sim: &Sim<MultiPaxos>, lang: Lang) -> Option<String> {
        let empty = sim.nodes().iter().all(|slot| match slot.up() {
            Some(p) => p.accepted.is_empty(),
            None => slot.persistent().accepted.is_empty(),
        });
        empty.then(|| {
            lang.t(
                "A leader is elected by itself; then press C, or click a server and choose Client request, to fill the next slot.",
                "领导者会自动选出；之后按 C，或点击一台服务器并选择“客户端请求”，就能填充下一个槽位。",
            )
            .to_string()
        })
    }

    fn panel(sim: &Sim<MultiPaxos>, safety: &Self::Safety, lang: Lang) -> Html {
        let _ = lang;
        let chosen = panel::chosen_shown(sim, safety);
        html! { <panel::MpLog rows={panel::rows(sim)} {chosen} /> }
    }

    fn timer_words() -> TimerWords {
        TimerWords {
            spread: text(
                "Space the leader timeouts apart: one server runs phase 1 first, alone, and leads",
                "把各领导者超时错开：一台服务器最先、单独运行阶段 1，并成为领导者",
            ),
            align: text(
                "Give the leader timeouts one deadline: the servers run phase 1 at once and pre-empt each other",
                "让所有领导者超时同时到期：各服务器同时运行阶段 1，相互抢占",
            ),
            align_with_leader: Some(text(
                "each of its heartbeats restarts the other servers' leader timeouts, so the aligned timeouts are put off before they fire (unless heartbeats are lost or late). Crash or isolate the leader first to see the servers pre-empt each other.",
                "它的每次心跳都会重置其他服务器的领导者超时，所以对齐的超时在到期前就被推迟了（除非心跳丢失或迟到）。先让领导者崩溃或将其隔离，才能看到各服务器相互抢占。",
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
        event: &quorum_sim::sim::SimEvent<
            quorum_sim::multipaxos::MpMessage,
            quorum_sim::multipaxos::MpTimer,
            quorum_sim::multipaxos::MpEvent,
        >,
    ) {
        if let quorum_sim::sim::SimEvent::TimerFired {
            node, forced: true, ..
        } = event
        {
            memory.forced = Some(*node);
        }
    }

    fn describe(
        memory: &mut Self::FeedMemory,
        node: NodeId,
        event: &quorum_sim::multipaxos::MpEvent,
    ) -> Option<Text> {
        words::describe(memory, node, event)
    }

    fn claim(
        claim: &quorum_sim::multipaxos::MpClaim,
        lang: Lang,
        requests: &crate::run::narration::Requests,
    ) -> String {
        words::claim(claim, lang, requests)
    }

    fn fact(
        fact: &quorum_sim::multipaxos::MpFact,
        lang: Lang,
        requests: &crate::run::narration::Requests,
    ) -> String {
        words::fact(fact, lang, requests)
    }

    fn highlights(
        claim: &quorum_sim::multipaxos::MpClaim,
        sim: &Sim<MultiPaxos>,
        out: &mut Highlights,
    ) {
        use quorum_sim::multipaxos::MpClaim as C;
        match claim {
            C::Leader { node, .. } | C::Role { node, .. } | C::Crashed { node } => out.node(*node),
            C::Applied { node, slot } => {
                out.node(*node);
                out.entry(*node, *slot);
            }
            C::Accepted { node, slot, .. } | C::Knows { node, slot, .. } => {
                out.node(*node);
                out.entry(*node, *slot);
            }
            // A slot chosen or not: that slot on every replica.
            C::Chosen { slot, .. } | C::NotChosen { slot } => {
                for n in 0..sim.nodes().len() {
                    out.entry(n, *slot);
                }
            }
            C::NoLeader => {}
        }
    }
}

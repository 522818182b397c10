//! Basic Paxos on the page: proposers, acceptors and learners on the same
//! ring, each role its own shape (proposer a diamond, acceptor a circle,
//! learner a square); each acceptor's promise and accepted proposal; each
//! proposer's phase, number, promises counted and value; every variable of
//! each in the inspector; the moment a value is chosen, and when each server
//! learns it.

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
use quorum_sim::network::Envelope;
use quorum_sim::paxos::{
    Ballot, Paxos, PaxosConfig, PaxosMessage, PaxosRole, PaxosTimer, ProposerPhase, Value,
};
use quorum_sim::registry::Registered;
use quorum_sim::sim::{NodeSlot, SimEvent};
use quorum_sim::{NodeId, Sim, SimConfig};
use yew::{html, Html};

pub static INFO: Info = Info {
    name: <Paxos as Registered>::LISTING.name,
    title: "Paxos",
    shape: &[
        Param {
            key: "proposers",
            min: 1,
            max: 3,
            default: 2,
            counts: ("proposers", "个提议者"),
        },
        Param {
            key: "acceptors",
            min: 3,
            max: 7,
            default: 3,
            counts: ("acceptors", "个接受者"),
        },
        Param {
            key: "learners",
            min: 0,
            max: 3,
            default: 1,
            counts: ("learners", "个学习者"),
        },
    ],
    scenarios: <Paxos as Registered>::LISTING.scenarios,
    switches: &[],
};

/// What basic Paxos's bundle hands the page.
pub static PAGE: PageOf<Paxos> = PageOf::NEW;

fn role_text(lang: Lang, role: PaxosRole) -> &'static str {
    match role {
        PaxosRole::Proposer => lang.t("proposer", "提议者"),
        PaxosRole::Acceptor => lang.t("acceptor", "接受者"),
        PaxosRole::Learner => lang.t("learner", "学习者"),
    }
}

/// A proposal as the page writes it: `(1.2, x←1)`.
pub fn proposal(p: &(Ballot, Value)) -> String {
    format!("({}, {})", p.0, p.1.op)
}

/// Where a proposer is, in a word.
fn phase_key(phase: &ProposerPhase) -> &'static str {
    match phase {
        ProposerPhase::Idle => "idle",
        ProposerPhase::Preparing { .. } => "prepare",
        ProposerPhase::Accepting { .. } => "accept",
    }
}

impl Drawn for Paxos {
    const INFO: &'static Info = &INFO;
    const GLOSSARY: &'static [GlossaryEntry] = &glossary::GLOSSARY;
    const REQUEST_FIRST: bool = true;
    /// The proposer whose timeout the person forced: its next Prepare is their doing.
    type FeedMemory = Option<NodeId>;

    fn config(shape: &[usize], seed: u64) -> Result<SimConfig<PaxosConfig>, Text> {
        let [proposers, acceptors, learners] = *shape else {
            return Err(text(
                "a Paxos run is shaped by its numbers of proposers, acceptors and learners",
                "Paxos 的运行由提议者、接受者和学习者的数量决定",
            ));
        };
        let mut config = SimConfig::<PaxosConfig>::new(proposers + acceptors + learners, seed);
        config.protocol.proposers = proposers;
        config.protocol.acceptors = acceptors;
        Ok(config)
    }

    fn shape(config: &SimConfig<PaxosConfig>) -> Vec<usize> {
        let p = &config.protocol;
        vec![
            p.proposers,
            p.acceptors,
            config.nodes - p.proposers - p.acceptors,
        ]
    }

    fn share_params(config: &PaxosConfig) -> Vec<u64> {
        vec![config.proposers as u64, config.acceptors as u64]
    }

    fn config_from_params(params: &[u64]) -> Result<PaxosConfig, Text> {
        let range = |i: usize| INFO.shape[i].min as u64..=INFO.shape[i].max as u64;
        match params {
            [p, a] if range(0).contains(p) && range(1).contains(a) => Ok(PaxosConfig {
                proposers: *p as usize,
                acceptors: *a as usize,
                ..PaxosConfig::default()
            }),
            [p, a] => Err(text(
                format!(
                    "the run's {p} proposers and {a} acceptors are not 1 to 3 proposers and 3 to 7 acceptors"
                ),
                format!("这次运行有 {p} 个提议者和 {a} 个接受者，超出了允许的范围（提议者 1 到 3 个，接受者 3 到 7 个）"),
            )),
            _ => Err(text(
                format!(
                    "the run has {} Paxos settings, not two (its numbers of proposers and acceptors)",
                    params.len()
                ),
                format!(
                    "这次运行有 {} 项 Paxos 设置，而不是两项（提议者和接受者的数量）",
                    params.len()
                ),
            )),
        }
    }

    /// Basic Paxos has no leader (a distinguished proposer is an optimization
    /// the paper mentions, not part of the algorithm).
    fn leader(_sim: &Sim<Paxos>) -> Option<NodeId> {
        None
    }

    fn server(sim: &Sim<Paxos>, slot: &NodeSlot<Paxos>, lang: Lang) -> ServerGlyph {
        let id = slot.id;
        let role = sim.config().protocol.role_of(id);
        let up = slot.up();
        let disk = slot.persistent();
        let crashed = up.is_none();
        let (promised, accepted) = match role {
            PaxosRole::Acceptor => (disk.promised, disk.accepted),
            _ => (None, None),
        };
        let dash = || "–".to_string();
        let number = match (role, up) {
            (PaxosRole::Proposer, Some(p)) => p.ballot().map_or_else(dash, |b| b.to_string()),
            (PaxosRole::Acceptor, _) => promised.map_or_else(dash, |b| b.to_string()),
            (PaxosRole::Learner, Some(p)) => {
                p.learned.map_or("?".to_string(), |v| v.op.to_string())
            }
            _ => dash(),
        };
        let caption = match role {
            // The paper's name for it: a proposal number n (as the messages' field).
            PaxosRole::Proposer => lang.t("number (n)", "编号(n)"),
            PaxosRole::Acceptor => lang.t("PROMISED", "已承诺"),
            PaxosRole::Learner => lang.t("LEARNED", "已得知"),
        };
        let detail = match (role, accepted) {
            (PaxosRole::Acceptor, Some(a)) => {
                let a = proposal(&a);
                lang.t(format!("accepted {a}"), format!("已接受 {a}"))
            }
            (PaxosRole::Acceptor, None) => lang.t("none accepted", "尚未接受").to_string(),
            (PaxosRole::Proposer, _) => {
                up.map_or_else(String::new, |p| words::proposing_words(p, lang))
            }
            (PaxosRole::Learner, _) => String::new(),
        };
        let mut data = Vec::new();
        let mut put = |key, value: Option<String>| {
            if let Some(v) = value {
                data.push((key, v));
            }
        };
        put("data-promised", promised.map(|b| b.to_string()));
        put("data-accepted-ballot", accepted.map(|(b, _)| b.to_string()));
        put(
            "data-accepted-value",
            accepted.map(|(_, v)| v.op.to_string()),
        );
        put(
            "data-learned",
            up.and_then(|p| p.learned).map(|v| v.op.to_string()),
        );
        put("data-phase", up.map(|p| phase_key(&p.phase).to_string()));
        put(
            "data-proposing",
            up.and_then(|p| match &p.phase {
                ProposerPhase::Accepting { value, .. } => Some(value.op.to_string()),
                _ => None,
            }),
        );
        let timer = slot.timers.get(&PaxosTimer::Retry).map(|t| Arc {
            set_at: t.set_at,
            deadline: t.deadline,
        });
        ServerGlyph {
            id,
            crashed,
            shape: match role {
                PaxosRole::Proposer => Shape::Diamond,
                PaxosRole::Acceptor => Shape::Circle,
                PaxosRole::Learner => Shape::Square,
            },
            role: role.as_str(),
            role_text: if crashed {
                lang.t("crashed", "已崩溃")
            } else {
                role_text(lang, role)
            }
            .to_string(),
            emphasis: Emphasis::Plain,
            caption: caption.to_string(),
            number,
            detail: if detail.is_empty() {
                Vec::new()
            } else {
                vec![detail]
            },
            votes: None,
            done: up.and_then(|p| p.learned).is_some(),
            timer,
            data,
            summary: words::summary(slot, role, lang),
        }
    }

    fn message(env: &Envelope<PaxosMessage>, lang: Lang) -> MessageGlyph {
        let (shape, family) = match env.payload {
            PaxosMessage::Prepare { .. }
            | PaxosMessage::Promise { .. }
            | PaxosMessage::Nack { .. } => (Shape::Circle, "vote"),
            PaxosMessage::Accept { .. } | PaxosMessage::Accepted { .. } => {
                (Shape::Square, "append")
            }
            PaxosMessage::Query => (Shape::Triangle, "client"),
        };
        let mut glyph = glyph_of(env, words::kind_text(&env.payload, lang), shape, family);
        glyph.refused = matches!(env.payload, PaxosMessage::Nack { .. });
        glyph.number = quorum_sim::MessageMeta::term(&env.payload)
            .map(|round| (lang.t("round", "轮次"), round));
        glyph
    }

    fn message_fields(msg: &PaxosMessage, lang: Lang) -> Vec<Field> {
        let accepted = |p: &Option<(Ballot, Value)>| words::proposal_or_none(p, lang);
        match msg {
            PaxosMessage::Prepare { ballot } => vec![Field::glossed("n", "提案编号", lang, ballot)],
            PaxosMessage::Promise {
                ballot,
                accepted: a,
            } => vec![
                Field::glossed("n", "提案编号", lang, ballot),
                Field::named(
                    "highest accepted",
                    lang.t("highest accepted", "已接受的最高提案"),
                    accepted(a),
                ),
            ],
            PaxosMessage::Accept { ballot, value } | PaxosMessage::Accepted { ballot, value } => {
                vec![
                    Field::glossed("n", "提案编号", lang, ballot),
                    Field::glossed("v", "值", lang, value.op),
                ]
            }
            PaxosMessage::Nack { ballot, promised } => vec![
                Field::glossed("n", "提案编号", lang, ballot),
                Field::named("promised", lang.t("promised", "已承诺"), promised),
            ],
            PaxosMessage::Query => vec![],
        }
    }

    fn inspect(
        sim: &Sim<Paxos>,
        slot: &NodeSlot<Paxos>,
        lang: Lang,
    ) -> (Option<String>, Vec<Section>) {
        words::inspect(sim, slot, lang)
    }

    fn timer_name(timer: &PaxosTimer, lang: Lang) -> (&'static str, &'static str) {
        match timer {
            PaxosTimer::Retry => (
                "retry",
                lang.t("retry (phase 1 again)", "重试（重新开始阶段 1）"),
            ),
            PaxosTimer::Poll => ("poll", lang.t("ask the acceptors", "询问接受者")),
        }
    }

    fn facts(sim: &Sim<Paxos>, slot: &NodeSlot<Paxos>, lang: Lang) -> Vec<(String, String)> {
        let role = sim.config().protocol.role_of(slot.id);
        let mut facts = vec![
            (
                lang.t("role", "角色").to_string(),
                role_text(lang, role).to_string(),
            ),
            (
                lang.t("state", "状态").to_string(),
                words::summary(slot, role, lang),
            ),
        ];
        // A proposer's client request and what it proposes are two things
        // (P2c): the promises may make it propose another's value.
        if let (PaxosRole::Proposer, Some(p)) = (role, slot.up()) {
            let proposes = match &p.phase {
                ProposerPhase::Accepting { value, .. } => value.op.to_string(),
                _ => words::proposing_words(p, lang),
            };
            facts.push((lang.t("proposes", "提议").to_string(), proposes));
            if let Some(heard) = words::from_promises(p, lang) {
                facts.push((lang.t("from promises", "承诺中报告").to_string(), heard));
            }
        }
        facts
    }

    fn refuses_requests(sim: &Sim<Paxos>, slot: &NodeSlot<Paxos>, lang: Lang) -> Option<String> {
        (sim.config().protocol.role_of(slot.id) != PaxosRole::Proposer).then(|| {
            lang.t(
                "only a proposer takes a client's value",
                "只有提议者才接收客户端的值",
            )
            .to_string()
        })
    }

    fn no_timeout(sim: &Sim<Paxos>, slot: &NodeSlot<Paxos>) -> Text {
        let learned = slot.up().and_then(|p| p.learned).is_some();
        match sim.config().protocol.role_of(slot.id) {
            PaxosRole::Acceptor => text(
                "an acceptor has no timer: it only answers proposers",
                "接受者没有计时器，只负责回应提议者",
            ),
            PaxosRole::Proposer if learned => text(
                "this proposer has learned the chosen value and is done",
                "这个提议者已经得知选定的值，工作已完成",
            ),
            PaxosRole::Proposer => text(
                "this proposer has no value to propose yet (send it a client request)",
                "这个提议者还没有要提议的值（先给它发一个客户端请求）",
            ),
            PaxosRole::Learner => text(
                "this learner has learned the chosen value and stopped asking",
                "这个学习者已经得知选定的值，不再询问",
            ),
        }
    }

    fn legend(lang: Lang) -> Vec<LegendItem> {
        let server = |shape, t: &str| LegendItem {
            mark: LegendMark::Server(shape),
            text: t.to_string(),
        };
        let message = |shape, family, reply, t: &str| LegendItem {
            mark: LegendMark::Message {
                shape,
                family,
                reply,
            },
            text: t.to_string(),
        };
        vec![
            server(Shape::Diamond, lang.t("proposer", "提议者")),
            server(Shape::Circle, lang.t("acceptor", "接受者")),
            server(Shape::Square, lang.t("learner", "学习者")),
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
                "client",
                false,
                lang.t(
                    "Query: a learner asks an acceptor what it accepted (clients are not drawn)",
                    "查询：学习者询问接受者接受了什么（图中未画出客户端）",
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
                    .t("ring: a proposer's retry timer", "外圈：提议者的重试计时器")
                    .to_string(),
            },
            LegendItem {
                mark: LegendMark::TimerUrgent,
                text: lang
                    .t(
                        "red: its last quarter, the retry is near",
                        "红色：最后四分之一，即将重试",
                    )
                    .to_string(),
            },
        ]
    }

    /// Basic Paxos has nothing to do until a proposer holds a client's value.
    fn start_hint(sim: &Sim<Paxos>, lang: Lang) -> Option<String> {
        let waiting = sim
            .nodes()
            .iter()
            .filter_map(|slot| slot.up())
            .filter(|p| p.role == PaxosRole::Proposer)
            .all(|p| p.value.is_none() && p.learned.is_none() && p.phase == ProposerPhase::Idle);
        waiting.then(|| {
            lang.t(
                "Nothing happens until a client sends a proposer a request: click a proposer (a diamond) and choose Client request.",
                "在客户端向提议者发送请求之前，什么都不会发生：点击一个提议者（菱形），选择“客户端请求”。",
            )
            .to_string()
        })
    }

    fn panel(sim: &Sim<Paxos>, safety: &Self::Safety, lang: Lang) -> Html {
        let now = sim.now();
        // The moment a value was chosen, if that is not after the moment shown.
        let chosen = safety
            .chosen()
            .filter(|c| c.2 <= now)
            .map(|(b, v, t)| (v.op.to_string(), b.to_string(), t));
        let config = &sim.config().protocol;
        let rows: Vec<panel::Row> = sim
            .nodes()
            .iter()
            .map(|slot| {
                let role = config.role_of(slot.id);
                panel::Row {
                    id: slot.id,
                    role: role_text(lang, role).to_string(),
                    state: words::summary(slot, role, lang),
                }
            })
            .collect();
        html! {
            <panel::PaxosPanel {chosen} {rows} majority={config.majority()} acceptors={config.acceptors} />
        }
    }

    fn timer_words() -> TimerWords {
        TimerWords {
            spread: text(
                "Space the proposers' retry timers apart: one proposer retries first, alone",
                "把各提议者的重试计时器错开：一个提议者最先、单独重试",
            ),
            align: text(
                "Give the proposers' retry timers one deadline: they retry at once and duel",
                "让各提议者的重试计时器同时到期：它们同时重试、相互抢占",
            ),
            align_with_leader: None,
        }
    }

    fn property_zh(name: &str) -> &'static str {
        words::property_zh(name)
    }

    fn violation_zh(safety: &Self::Safety) -> Option<String> {
        safety.breach().map(words::breach_zh)
    }

    fn note(
        forced: &mut Option<NodeId>,
        event: &SimEvent<
            quorum_sim::paxos::PaxosMessage,
            quorum_sim::paxos::PaxosTimer,
            quorum_sim::paxos::PaxosEvent,
        >,
    ) {
        if let SimEvent::TimerFired {
            node, forced: true, ..
        } = event
        {
            *forced = Some(*node);
        }
    }

    fn describe(
        forced: &mut Option<NodeId>,
        node: NodeId,
        event: &quorum_sim::paxos::PaxosEvent,
    ) -> Option<Text> {
        words::describe(forced, node, event)
    }

    fn claim(
        claim: &quorum_sim::paxos::PaxosClaim,
        lang: Lang,
        requests: &crate::run::narration::Requests,
    ) -> String {
        words::claim(claim, lang, requests)
    }

    fn fact(
        fact: &quorum_sim::paxos::PaxosFact,
        lang: Lang,
        requests: &crate::run::narration::Requests,
    ) -> String {
        words::fact(fact, lang, requests)
    }

    fn highlights(claim: &quorum_sim::paxos::PaxosClaim, sim: &Sim<Paxos>, out: &mut Highlights) {
        use quorum_sim::paxos::PaxosClaim as C;
        match claim {
            C::Promised { node, .. }
            | C::Accepted { node, .. }
            | C::Learned { node, .. }
            | C::Crashed { node } => out.node(*node),
            // A proposer's phase is its messages: its requests and their answers.
            C::Phase { node, .. } | C::Proposing { node, .. } => {
                out.node(*node);
                crate::run::live::light_messages_of(sim, *node, out);
            }
            // The acceptors that hold the value chosen.
            C::Chosen { value } => {
                for slot in sim.nodes() {
                    if slot
                        .persistent()
                        .accepted
                        .is_some_and(|(_, v)| v.id == *value)
                    {
                        out.node(slot.id);
                    }
                }
            }
            C::NothingChosen => {}
        }
    }
}

//! Viewstamped Replication (Liskov and Cowling, "Viewstamped Replication
//! Revisited") on the page: the ring shows each replica by its status (the
//! primary of a normal view crowned, a backup plain, a replica in a view
//! change dashed, one recovering or behind marked so), the number in the
//! middle is its view-number, and the inspector lists every variable of
//! section 4 under the paper's names. The table is the log by op-number,
//! committed operations solid. A VR replica keeps nothing on disk: the page
//! says so wherever a crash or a restart is, and a restart is a recovery.

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
use quorum_sim::vr::{Status, Vr, VrConfig, VrMessage, VrTimer};
use quorum_sim::{NodeId, Sim, SimConfig};
use yew::{html, Html};

pub static INFO: Info = Info {
    name: <Vr as Registered>::LISTING.name,
    // As the paper abbreviates it: the protocol menu is as wide as its
    // longest title, and "Viewstamped Replication" widened the header of
    // every page (a 700×450 embed's log matrix was pushed out of its frame).
    title: "VR",
    shape: &[Param {
        key: "nodes",
        min: 3,
        max: 9,
        default: 5,
        counts: ("replicas", "个副本"),
    }],
    scenarios: <Vr as Registered>::LISTING.scenarios,
    switches: &[],
};

/// What VR's bundle hands the page.
pub static PAGE: PageOf<Vr> = PageOf::NEW;

/// A replica's part as the ring draws it: its `data-role`, from its status.
pub fn role_of(r: &Vr) -> &'static str {
    match r.status {
        Status::Normal if r.is_primary() => "primary",
        Status::Normal => "backup",
        Status::ViewChange => "view-change",
        Status::Recovering => "recovering",
        Status::StateTransfer => "state-transfer",
    }
}

/// The role as the page says it: the paper's status names.
pub fn role_text(lang: Lang, role: &str) -> &'static str {
    match role {
        "primary" => lang.t("primary", "主副本"),
        "backup" => lang.t("backup", "备份副本"),
        "view-change" => lang.t("view change", "视图变更中"),
        "recovering" => lang.t("recovering", "恢复中"),
        "state-transfer" => lang.t("state transfer", "状态转移中"),
        _ => lang.t("crashed", "已崩溃"),
    }
}

impl Drawn for Vr {
    const INFO: &'static Info = &INFO;
    const GLOSSARY: &'static [GlossaryEntry] = &glossary::GLOSSARY;
    type FeedMemory = words::VrFeedMemory;

    fn config(shape: &[usize], seed: u64) -> Result<SimConfig<VrConfig>, Text> {
        match shape {
            [nodes] => Ok(SimConfig::new(*nodes, seed)),
            _ => Err(text(
                "a Viewstamped Replication run is shaped by its number of replicas only",
                "Viewstamped Replication 的运行只由副本数量决定",
            )),
        }
    }

    fn shape(config: &SimConfig<VrConfig>) -> Vec<usize> {
        vec![config.nodes]
    }

    /// The replica acting as primary in the highest view, should an old
    /// primary not know yet that its view is over.
    fn leader(sim: &Sim<Vr>) -> Option<NodeId> {
        sim.nodes()
            .iter()
            .filter_map(|slot| slot.up())
            .filter(|r| r.is_primary())
            .max_by_key(|r| r.view)
            .map(|r| r.id)
    }

    fn server(sim: &Sim<Vr>, slot: &NodeSlot<Vr>, lang: Lang) -> ServerGlyph {
        let caption = lang.t("view", "视图");
        let Some(r) = slot.up() else {
            return ServerGlyph {
                id: slot.id,
                crashed: true,
                shape: Shape::Circle,
                role: "crashed",
                role_text: role_text(lang, "crashed").to_string(),
                emphasis: Emphasis::Plain,
                caption: caption.to_string(),
                // Nothing is on disk: not even its view-number survives.
                number: "–".to_string(),
                detail: vec![lang.t("nothing on disk", "磁盘上什么也没有").to_string()],
                votes: None,
                done: false,
                timer: None,
                data: Vec::new(),
                summary: lang
                    .t("it keeps nothing on disk", "它在磁盘上什么也不保存")
                    .to_string(),
            };
        };
        let role = role_of(r);
        let f_plus_one = sim.nodes().len() / 2 + 1;
        // The new primary of a view change counts DOVIEWCHANGEs, its own among them.
        let gathering = r.status == Status::ViewChange && r.primary() == r.id;
        ServerGlyph {
            id: slot.id,
            crashed: false,
            shape: Shape::Circle,
            role,
            role_text: role_text(lang, role).to_string(),
            emphasis: match r.status {
                Status::Normal if r.is_primary() => Emphasis::Leads,
                Status::ViewChange => Emphasis::Campaigns,
                _ => Emphasis::Plain,
            },
            caption: caption.to_string(),
            number: r.view.to_string(),
            // The paper's n and k: how far its log goes and what it knows committed.
            detail: vec![format!("n {} · k {}", r.op_number, r.commit_number)],
            votes: gathering.then_some((r.do_view_changes.len(), f_plus_one)),
            done: false,
            timer: slot.timers.get(&VrTimer::ViewChange).map(|t| Arc {
                set_at: t.set_at,
                deadline: t.deadline,
            }),
            data: vec![
                ("data-term", r.view.to_string()),
                ("data-view", r.view.to_string()),
                ("data-vr-status", r.status.as_str().to_string()),
                ("data-op-number", r.op_number.to_string()),
                ("data-commit-number", r.commit_number.to_string()),
            ],
            summary: lang.t(
                format!(
                    "{caption} {}, op-number {}, commit-number {}",
                    r.view, r.op_number, r.commit_number
                ),
                format!(
                    "{caption} {}，操作号 {}，提交号 {}",
                    r.view, r.op_number, r.commit_number
                ),
            ),
        }
    }

    fn message(env: &Envelope<VrMessage>, lang: Lang) -> MessageGlyph {
        let (shape, family) = match env.payload {
            VrMessage::Prepare { .. } | VrMessage::PrepareOk { .. } => (Shape::Square, "append"),
            VrMessage::Commit { .. } => (Shape::Triangle, "heartbeat"),
            VrMessage::StartViewChange { .. }
            | VrMessage::DoViewChange { .. }
            | VrMessage::StartView { .. } => (Shape::Circle, "vote"),
            VrMessage::Recovery { .. } | VrMessage::RecoveryResponse { .. } => {
                (Shape::Diamond, "chosen")
            }
            VrMessage::GetState { .. } | VrMessage::NewState { .. } => (Shape::Diamond, "append"),
            VrMessage::Request { .. } => (Shape::Triangle, "client"),
        };
        let mut glyph = glyph_of(env, words::kind_text(&env.payload), shape, family);
        glyph.carries = match &env.payload {
            VrMessage::Prepare { .. } => 1,
            VrMessage::DoViewChange { log, .. } | VrMessage::StartView { log, .. } => log.len(),
            VrMessage::RecoveryResponse {
                primary: Some(p), ..
            } => p.log.len(),
            VrMessage::NewState { log, .. } => log.len(),
            _ => 0,
        };
        glyph.number =
            quorum_sim::MessageMeta::term(&env.payload).map(|view| (lang.t("view", "视图"), view));
        glyph
    }

    fn message_fields(msg: &VrMessage, lang: Lang) -> Vec<Field> {
        words::message_fields(msg, lang)
    }

    fn inspect(sim: &Sim<Vr>, slot: &NodeSlot<Vr>, lang: Lang) -> (Option<String>, Vec<Section>) {
        words::inspect(sim, slot, lang)
    }

    fn timer_name(timer: &VrTimer, lang: Lang) -> (&'static str, &'static str) {
        match timer {
            VrTimer::ViewChange => (
                "view-change timeout",
                lang.t("view-change timeout", "视图变更超时"),
            ),
            VrTimer::Commit => ("commit", lang.t("next COMMIT", "下一次 COMMIT")),
            VrTimer::Recovery => (
                "recovery",
                lang.t("RECOVERY sent again", "再次发送 RECOVERY"),
            ),
            VrTimer::GetState => (
                "get-state",
                lang.t("GETSTATE sent again", "再次发送 GETSTATE"),
            ),
        }
    }

    fn facts(_sim: &Sim<Vr>, slot: &NodeSlot<Vr>, lang: Lang) -> Vec<(String, String)> {
        words::facts(slot, lang)
    }

    fn no_timeout(_sim: &Sim<Vr>, _slot: &NodeSlot<Vr>) -> Text {
        text(
            "the primary sends the COMMITs the backups wait for, so it has no timeout of its own",
            "主副本自己发送备份副本等待的 COMMIT，所以它没有自己的超时",
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
                Shape::Square,
                "append",
                lang.t(
                    "normal operation: PREPARE, PREPAREOK",
                    "正常操作：PREPARE、PREPAREOK",
                ),
            ),
            message(
                Shape::Triangle,
                "heartbeat",
                lang.t(
                    "COMMIT: the primary's commit-number, and its heartbeat",
                    "COMMIT：主副本的提交号，也是它的心跳",
                ),
            ),
            message(
                Shape::Circle,
                "vote",
                lang.t(
                    "view change: STARTVIEWCHANGE, DOVIEWCHANGE, STARTVIEW",
                    "视图变更：STARTVIEWCHANGE、DOVIEWCHANGE、STARTVIEW",
                ),
            ),
            message(
                Shape::Diamond,
                "chosen",
                lang.t(
                    "recovery: RECOVERY, RECOVERYRESPONSE",
                    "恢复：RECOVERY、RECOVERYRESPONSE",
                ),
            ),
            message(
                Shape::Diamond,
                "append",
                lang.t(
                    "state transfer: GETSTATE, NEWSTATE",
                    "状态转移：GETSTATE、NEWSTATE",
                ),
            ),
            message(
                Shape::Triangle,
                "client",
                lang.t(
                    "REQUEST a backup passes to the primary",
                    "备份副本转交给主副本的 REQUEST",
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
                        "ring: a backup's view-change timeout (no word from the primary)",
                        "外圈：备份副本的视图变更超时（没有收到主副本的消息）",
                    )
                    .to_string(),
            },
            LegendItem {
                mark: LegendMark::TimerUrgent,
                text: lang
                    .t(
                        "red: its last quarter, a view change is near",
                        "红色：最后四分之一，视图变更即将开始",
                    )
                    .to_string(),
            },
            LegendItem {
                mark: LegendMark::Crashed(Shape::Circle),
                text: lang
                    .t(
                        "crashed: a replica keeps nothing on disk; restarted, it recovers from the others",
                        "已崩溃：副本在磁盘上什么也不保存；重启后它从其他副本恢复",
                    )
                    .to_string(),
            },
        ]
    }

    /// View 0's primary is there from the start; the log fills only with
    /// clients' requests.
    fn start_hint(sim: &Sim<Vr>, lang: Lang) -> Option<String> {
        let empty = sim
            .nodes()
            .iter()
            .all(|slot| slot.up().is_none_or(|r| r.op_number == 0));
        empty.then(|| {
            lang.t(
                "S1 is the primary of view 0 from the start. Press C, or click a replica and choose Client request, to prepare the first operation.",
                "S1 从一开始就是视图 0 的主副本。按 C，或点击一个副本并选择“客户端请求”，就能准备第一个操作。",
            )
            .to_string()
        })
    }

    fn panel(sim: &Sim<Vr>, safety: &Self::Safety, _lang: Lang) -> Html {
        let committed = panel::committed_shown(sim, safety);
        html! { <panel::VrLog rows={panel::rows(sim)} {committed} /> }
    }

    fn timer_words() -> TimerWords {
        TimerWords {
            spread: text(
                "Space the backups' view-change timeouts apart: one backup starts the next view first",
                "把各备份副本的视图变更超时错开：一个备份副本最先开始下一个视图",
            ),
            align: text(
                "Give the view-change timeouts one deadline: the backups start the next view together",
                "让所有视图变更超时同时到期：各备份副本一起开始下一个视图",
            ),
            align_with_leader: Some(text(
                "each COMMIT or PREPARE of the primary restarts the backups' view-change timeouts, so the aligned timeouts are put off before they fire (unless messages are lost or late). Crash or isolate the primary first.",
                "主副本的每条 COMMIT 或 PREPARE 都会重置备份副本的视图变更超时，所以对齐的超时在到期前就被推迟了（除非消息丢失或迟到）。先让主副本崩溃或将其隔离。",
            )),
        }
    }

    /// The paper's word: replicas.
    const NOUN: Noun = Noun {
        en: "replicas",
        zh: "副本",
        measure_zh: "个",
    };

    fn property_zh(name: &str) -> &'static str {
        words::property_zh(name)
    }

    fn violation_zh(safety: &Self::Safety) -> Option<String> {
        safety.breach().map(words::breach_zh)
    }

    fn note(
        memory: &mut Self::FeedMemory,
        event: &quorum_sim::sim::SimEvent<VrMessage, VrTimer, quorum_sim::vr::VrEvent>,
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
        event: &quorum_sim::vr::VrEvent,
    ) -> Option<Text> {
        words::describe(memory, node, event)
    }

    fn claim(
        claim: &quorum_sim::vr::VrClaim,
        lang: Lang,
        requests: &crate::run::narration::Requests,
    ) -> String {
        words::claim(claim, lang, requests)
    }

    fn fact(
        fact: &quorum_sim::vr::VrFact,
        lang: Lang,
        requests: &crate::run::narration::Requests,
    ) -> String {
        words::fact(fact, lang, requests)
    }

    fn highlights(claim: &quorum_sim::vr::VrClaim, _sim: &Sim<Vr>, out: &mut Highlights) {
        use quorum_sim::vr::VrClaim as C;
        match claim {
            C::Primary { node, .. }
            | C::Status { node, .. }
            | C::LastNormalView { node, .. }
            | C::ClientTable { node, .. }
            | C::Crashed { node } => out.node(*node),
            C::Log { node, requests } => {
                out.node(*node);
                for op in 1..=requests.len() as u64 {
                    out.entry(*node, op);
                }
            }
            C::CommitNumber { node, commit } => {
                out.node(*node);
                out.entry(*node, *commit);
            }
            C::Executed { node, op_number } => {
                out.node(*node);
                out.entry(*node, *op_number);
            }
        }
    }
}

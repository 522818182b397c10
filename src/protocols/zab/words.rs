//! Zab's words: its state and messages under the paper's names (acceptedEpoch
//! f.p, currentEpoch f.a, the history of ⟨v, z⟩, CEPOCH ... COMMIT), the
//! election's notifications as ZooKeeper's Fast Leader Election sends them,
//! its events, its properties and breaches in Chinese, and its claims.

use crate::i18n::{text, Lang, Text};
use crate::run::narration::Requests;
use crate::run::view::*;
use quorum_sim::sim::NodeSlot;
use quorum_sim::zab::{
    ResetReason, SessionMsg, SessionState, Txn, Vote, Zab, ZabBreach, ZabClaim, ZabEvent, ZabFact,
    ZabMessage, ZabPhase, ZabRole, Zxid,
};
use quorum_sim::{node_name, NodeId, Sim};

/// A message's type: the paper's names (ZooKeeper's for the election's
/// notification and for a request a follower passes on, its REQUEST packet).
pub fn kind_text(msg: &ZabMessage) -> &'static str {
    match msg {
        ZabMessage::Notification { .. } => "Notification",
        ZabMessage::Session {
            body: SessionMsg::Forward { .. },
            ..
        } => "REQUEST",
        ZabMessage::Session { body, .. } => body.kind(),
    }
}

/// A server's state as ZooKeeper names it.
pub fn role_name(role: ZabRole) -> &'static str {
    match role {
        ZabRole::Looking => "LOOKING",
        ZabRole::Following => "FOLLOWING",
        ZabRole::Leading => "LEADING",
    }
}

/// A phase of the paper, in words.
pub fn phase_text(lang: Lang, phase: ZabPhase) -> &'static str {
    match phase {
        ZabPhase::Election => lang.t("election", "选举"),
        ZabPhase::Discovery => lang.t("discovery", "发现"),
        ZabPhase::Synchronization => lang.t("synchronization", "同步"),
        ZabPhase::Broadcast => lang.t("broadcast", "广播"),
    }
}

/// The phase's number in the paper (0 is the election ZooKeeper adds).
pub fn phase_number(phase: ZabPhase) -> u8 {
    match phase {
        ZabPhase::Election => 0,
        ZabPhase::Discovery => 1,
        ZabPhase::Synchronization => 2,
        ZabPhase::Broadcast => 3,
    }
}

/// The properties in Chinese.
pub fn property_zh(name: &str) -> &'static str {
    match name {
        "Integrity" => "完整性",
        "Total order" => "全序",
        "Agreement" => "一致性",
        "Local primary order" => "局部主序",
        "Global primary order" => "全局主序",
        "Primary integrity" => "主完整性",
        "One established leader per epoch" => "每个纪元至多一个已确立的领导者",
        "Prefix consistency" => "前缀一致",
        _ => "安全性",
    }
}

/// A zxid, or "none" before the first.
fn zxid_or_none(z: Option<Zxid>, lang: Lang) -> String {
    z.map_or_else(|| lang.t("none", "无").to_string(), |z| z.to_string())
}

/// A vote as FLE compares it: ⟨currentEpoch, last zxid, server⟩.
pub fn vote_text(vote: &Vote, lang: Lang) -> String {
    let who = node_name(vote.leader);
    lang.t(
        format!(
            "{who} (currentEpoch {}, last zxid {})",
            vote.epoch, vote.zxid
        ),
        format!(
            "{who}（currentEpoch {}，最后的 zxid {}）",
            vote.epoch, vote.zxid
        ),
    )
}

/// A history as a list of ⟨v, z⟩, those up to `committed` tagged.
pub fn history_list(history: &[Txn], delivered: usize, lang: Lang) -> Value {
    Value::List {
        items: history
            .iter()
            .enumerate()
            .map(|(i, t)| ListItem {
                index: i as u64 + 1,
                text: format!("{} {}", t.zxid, t.request.op),
                tag: (i < delivered).then(|| lang.t(" delivered", " 已交付").to_string()),
            })
            .collect(),
        empty: lang.t("empty", "空").to_string(),
    }
}

fn history_field(key: &'static str, label: String, history: &[Txn], lang: Lang) -> Field {
    Field {
        key,
        label,
        value: history_list(history, 0, lang),
    }
}

/// A message's fields, under the paper's names.
pub fn message_fields(msg: &ZabMessage, lang: Lang) -> Vec<Field> {
    let epoch = |e: &u64| Field::named("e′", lang.t("e′, the new epoch", "e′（新纪元）"), e);
    let z = |z: &Zxid| Field::named("z", lang.t("z, the zxid", "z（zxid）"), z);
    match msg {
        ZabMessage::Notification { vote, round, state } => vec![
            Field::named(
                "vote",
                lang.t("vote: the leader it proposes", "vote（它推举的领导者）"),
                vote_text(vote, lang),
            ),
            Field::named("round", lang.t("election round", "选举轮次"), round),
            Field::named("state", lang.t("its state", "它的状态"), role_name(*state)),
        ],
        ZabMessage::Session {
            conn,
            seq,
            ack,
            body,
        } => {
            let mut fields = match body {
                SessionMsg::CEpoch { accepted_epoch } => vec![Field::named(
                    "f.p",
                    lang.t("f.p, its acceptedEpoch", "f.p（它的 acceptedEpoch）"),
                    accepted_epoch,
                )],
                SessionMsg::NewEpoch { epoch: e } => vec![epoch(e)],
                SessionMsg::AckEpoch {
                    current_epoch,
                    history,
                } => vec![
                    Field::named(
                        "f.a",
                        lang.t("f.a, its currentEpoch", "f.a（它的 currentEpoch）"),
                        current_epoch,
                    ),
                    history_field(
                        "h_f",
                        lang.t("h_f, its history", "h_f（它的历史）").to_string(),
                        history,
                        lang,
                    ),
                ],
                SessionMsg::NewLeader { epoch: e, history } => vec![
                    epoch(e),
                    history_field(
                        "I_e′",
                        lang.t("I_e′, the history it syncs", "I_e′（领导者要同步的历史）")
                            .to_string(),
                        history,
                        lang,
                    ),
                ],
                SessionMsg::AckLeader { epoch: e } => vec![epoch(e)],
                SessionMsg::CommitLeader {
                    epoch: e,
                    committed,
                } => vec![
                    epoch(e),
                    Field::named(
                        "committed",
                        lang.t("the leader's last committed zxid", "领导者最后提交的 zxid"),
                        zxid_or_none(*committed, lang),
                    ),
                ],
                SessionMsg::Propose { txn } => vec![
                    Field::named(
                        "v",
                        lang.t("v, the transaction", "v（事务）"),
                        txn.request.op,
                    ),
                    z(&txn.zxid),
                ],
                SessionMsg::Ack { zxid } | SessionMsg::Commit { zxid } => vec![z(zxid)],
                SessionMsg::Ping | SessionMsg::PingAck => Vec::new(),
                SessionMsg::Forward { request } => vec![Field::named(
                    "op",
                    lang.t("the client's request", "客户端的请求"),
                    request.op,
                )],
            };
            fields.push(Field::named(
                "connection",
                lang.t("connection (seq, ack)", "连接（序号 seq，确认 ack）"),
                lang.t(
                    format!("#{conn}: message {seq} on it, the first {ack} received acknowledged"),
                    format!("#{conn}：连接上第 {seq} 条消息，确认已收到前 {ack} 条"),
                ),
            ));
            fields
        }
    }
}

/// What a connection does with a duplicate or a delay: the page offers the
/// network's faults, and says how Zab's FIFO channel takes them.
pub fn channel_note(msg: &ZabMessage, lang: Lang) -> String {
    match msg {
        ZabMessage::Notification { .. } => lang.t(
            "Election notifications travel outside the FIFO connections: a vote is resent until answered and compared by round, so a lost, repeated or late one does no harm.",
            "选举通知不走 FIFO 连接：选票会一直重发，按轮次比较，所以丢失、重复或迟到的选票都无害。",
        ).to_string(),
        ZabMessage::Session { .. } => lang.t(
            "Zab assumes FIFO channels (TCP): nothing lost, duplicated or reordered within a connection. So each message here is numbered on its connection, as TCP numbers its bytes: a duplicate is discarded by its number, a message that overtakes an earlier one waits for it, and one not acknowledged after 50 ms is sent again at the next heartbeat. The protocol sees every message once, in order. Only if nothing comes in sequence for the timeout (300 ms: a cut link, a crash) does the connection reset, and the follower goes back to election.",
            "Zab 假定通道是 FIFO 的（TCP）：同一连接内消息不丢失、不重复、不乱序。所以这里每条消息都在连接上编号，就像 TCP 给字节编号：重复投递的另一份按编号丢弃，超过前一条的消息要等前一条到达，50 ms 后仍未被确认的消息会在下一次心跳时重发。协议看到的每条消息恰好一次，且按顺序。只有超时（300 ms：链路被切断、服务器崩溃）内没有按顺序收到任何消息，连接才会重置，跟随者回到选举。",
        ).to_string(),
    }
}

/// What the feed remembers to word Zab's events.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ZabFeedMemory {
    /// The established leader of each epoch: its deliveries are worth a
    /// line, every follower's delivery of the same transaction is not.
    leaders: std::collections::BTreeMap<u64, NodeId>,
}

/// A Zab event in plain words, or `None` if it is not worth a line.
pub fn describe(memory: &mut ZabFeedMemory, node: NodeId, event: &ZabEvent) -> Option<Text> {
    let name = node_name(node);
    Some(match event {
        ZabEvent::Started { recovered: true } => text(
            format!("{name} restarted with what it kept on stable storage (acceptedEpoch, currentEpoch, history): it looks for a leader"),
            format!("{name} 带着稳定存储中保留的内容（acceptedEpoch、currentEpoch、历史）重启：它开始寻找领导者"),
        ),
        ZabEvent::Started { .. } => return None,
        ZabEvent::Looking { round } => text(
            format!("{name} is LOOKING: election round {round}, it votes for itself"),
            format!("{name} 进入 LOOKING：选举轮次 {round}，它先投自己一票"),
        ),
        ZabEvent::Voted { vote, .. } if vote.leader == node => return None,
        ZabEvent::Voted { round, vote } => {
            let who = node_name(vote.leader);
            text(
                format!("{name} now votes for {who} in round {round}: a later currentEpoch, then a later last zxid ({}), then a higher id wins", vote.zxid),
                format!("{name} 在轮次 {round} 改投 {who}：currentEpoch 更新者胜，其次最后的 zxid 更新者（{}），再次编号更大者", vote.zxid),
            )
        }
        ZabEvent::Decided { leader } if *leader == node => text(
            format!("{name} won the election: it is LEADING and waits for a quorum's CEPOCH (phase 1, discovery)"),
            format!("{name} 赢得选举：进入 LEADING，等待多数派的 CEPOCH（第 1 阶段：发现）"),
        ),
        ZabEvent::Decided { leader } => {
            let who = node_name(*leader);
            text(
                format!("{name} is FOLLOWING {who} and sent it CEPOCH (phase 1, discovery)"),
                format!("{name} 进入 FOLLOWING，跟随 {who}，并向它发送了 CEPOCH（第 1 阶段：发现）"),
            )
        }
        ZabEvent::EpochAccepted { epoch } => text(
            format!("{name} accepted epoch {epoch} (acceptedEpoch f.p = {epoch})"),
            format!("{name} 接受了纪元 {epoch}（acceptedEpoch f.p = {epoch}）"),
        ),
        ZabEvent::HistoryAdopted { epoch, last } => {
            let (en, zh) = match last {
                Some(z) => (format!("(up to {z})"), format!("（到 {z} 为止）")),
                None => ("(empty)".to_string(), "（空）".to_string()),
            };
            text(
                format!("{name} took the history of epoch {epoch} {en} and set currentEpoch f.a = {epoch} (phase 2, synchronization)"),
                format!("{name} 采用了纪元 {epoch} 的历史{zh}，并令 currentEpoch f.a = {epoch}（第 2 阶段：同步）"),
            )
        }
        ZabEvent::Established { epoch } => {
            memory.leaders.insert(*epoch, node);
            text(
                format!("{name} is the established leader of epoch {epoch}: a quorum sent ACK-LD, it sent COMMIT-LD (phase 3, broadcast)"),
                format!("{name} 成为纪元 {epoch} 已确立的领导者：多数派发来 ACK-LD，它发送了 COMMIT-LD（第 3 阶段：广播）"),
            )
        }
        ZabEvent::Proposed { txn } => {
            let (z, op) = (txn.zxid, txn.request.op);
            text(
                format!("{name} proposed {op} as {z} (PROPOSE)"),
                format!("{name} 以 {z} 提议 {op}（PROPOSE）"),
            )
        }
        ZabEvent::Logged { .. } => return None,
        ZabEvent::Delivered { txn } => {
            if memory.leaders.get(&txn.zxid.epoch) != Some(&node) {
                return None;
            }
            let (z, op) = (txn.zxid, txn.request.op);
            text(
                format!("{name} committed and delivered {z} ({op}): a quorum ACKed it"),
                format!("{name} 提交并交付了 {z}（{op}）：多数派已发来 ACK"),
            )
        }
        ZabEvent::ConnectionClosed { peer, why } => {
            let peer = node_name(*peer);
            match why {
                ResetReason::LeaderSilent => text(
                    format!("{name} heard nothing in sequence from leader {peer} in time: the connection reset, it goes back to election"),
                    format!("{name} 没有按时按顺序收到领导者 {peer} 的消息：连接重置，它回到选举"),
                ),
                ResetReason::FollowerSilent => text(
                    format!("{name} heard nothing in sequence from follower {peer} in time: it closed their connection"),
                    format!("{name} 没有按时按顺序收到跟随者 {peer} 的消息：关闭了与它的连接"),
                ),
                ResetReason::EpochMismatch => text(
                    format!("{name}'s epoch does not fit leader {peer}'s: the connection closed, back to election (the paper's \"go to phase 0\")"),
                    format!("{name} 的纪元与领导者 {peer} 的不符：连接关闭，回到选举（论文中的“回到第 0 阶段”）"),
                ),
            }
        }
        ZabEvent::LostQuorum => text(
            format!("{name} heard from no quorum in time: it stops leading and goes back to election"),
            format!("{name} 没有按时收到多数派的消息：它不再领导，回到选举"),
        ),
        ZabEvent::RequestForwarded { request, to } => {
            let (op, to) = (request.op, node_name(*to));
            text(
                format!("{name} passed {op} to its leader {to}"),
                format!("{name} 把 {op} 转交给它的领导者 {to}"),
            )
        }
        ZabEvent::RequestRefused { request } => {
            let op = request.op;
            text(
                format!("{name} is not in broadcast (phase 3): {op} dropped"),
                format!("{name} 不在广播阶段（第 3 阶段）：{op} 被丢弃"),
            )
        }
    })
}

fn role_words(role: ZabRole, phase: Option<ZabPhase>, lang: Lang) -> String {
    let r = role_name(role);
    match phase {
        Some(p) => lang.t(
            format!("{r}, in {}", phase_text(lang, p)),
            format!("{r}，处于{}阶段", phase_text(lang, p)),
        ),
        None => r.to_string(),
    }
}

fn zxids_text(zxids: &[Zxid], lang: Lang) -> String {
    if zxids.is_empty() {
        return lang.t("empty", "空").to_string();
    }
    zxids
        .iter()
        .map(|z| z.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A claim of a Zab scenario in words.
pub fn claim(claim: &ZabClaim, lang: Lang, _requests: &Requests) -> String {
    match claim {
        ZabClaim::Role { node, role, phase } => {
            let n = node_name(*node);
            let r = role_words(*role, *phase, lang);
            lang.t(format!("{n} is {r}"), format!("{n} 为 {r}"))
        }
        ZabClaim::Established { node, epoch } => {
            let n = node_name(*node);
            lang.t(
                format!("{n} is the established leader of epoch {epoch}"),
                format!("{n} 是纪元 {epoch} 已确立的领导者"),
            )
        }
        ZabClaim::Crashed { node } => {
            let n = node_name(*node);
            lang.t(format!("{n} is crashed"), format!("{n} 已崩溃"))
        }
        ZabClaim::Epochs {
            node,
            accepted,
            current,
        } => epochs_words(*node, *accepted, *current, lang),
        ZabClaim::History { node, zxids } => history_words(*node, zxids, lang),
        ZabClaim::Delivered { node, count } => delivered_words(*node, *count, lang),
    }
}

fn epochs_words(node: NodeId, accepted: u64, current: u64, lang: Lang) -> String {
    let n = node_name(node);
    lang.t(
        format!("{n} has acceptedEpoch {accepted} and currentEpoch {current}"),
        format!("{n} 的 acceptedEpoch 为 {accepted}，currentEpoch 为 {current}"),
    )
}

fn history_words(node: NodeId, zxids: &[Zxid], lang: Lang) -> String {
    let n = node_name(node);
    let h = zxids_text(zxids, lang);
    lang.t(
        format!("{n}'s history is {h}"),
        format!("{n} 的历史是：{h}"),
    )
}

fn delivered_words(node: NodeId, count: usize, lang: Lang) -> String {
    let n = node_name(node);
    match count {
        0 => lang.t(
            format!("{n} has delivered no transaction"),
            format!("{n} 还没有交付任何事务"),
        ),
        1 => lang.t(
            format!("{n} has delivered 1 transaction"),
            format!("{n} 已交付 1 个事务"),
        ),
        _ => lang.t(
            format!("{n} has delivered {count} transactions"),
            format!("{n} 已交付 {count} 个事务"),
        ),
    }
}

/// What is the case instead of a false claim, in words.
pub fn fact(fact: &ZabFact, lang: Lang, _requests: &Requests) -> String {
    match fact {
        ZabFact::Server(s) => crate::run::narration::server_fact(s, lang),
        ZabFact::Role {
            node,
            role,
            phase,
            epoch,
        } => {
            let n = node_name(*node);
            let r = role_words(*role, Some(*phase), lang);
            lang.t(
                format!("{n} is {r}, currentEpoch {epoch}"),
                format!("{n} 为 {r}，currentEpoch 为 {epoch}"),
            )
        }
        ZabFact::Epochs {
            node,
            accepted,
            current,
        } => epochs_words(*node, *accepted, *current, lang),
        ZabFact::History { node, zxids } => history_words(*node, zxids, lang),
        ZabFact::Delivered { node, count } => delivered_words(*node, *count, lang),
    }
}

fn servers(ids: impl Iterator<Item = NodeId>, lang: Lang) -> String {
    let ids: Vec<NodeId> = ids.collect();
    if ids.is_empty() {
        lang.t("none", "无").to_string()
    } else {
        crate::i18n::names(lang, &ids)
    }
}

/// The variables the paper puts on stable storage, from `disk`.
fn stable(accepted: u64, current: u64, history: &[Txn], delivered: usize, lang: Lang) -> Section {
    Section {
        heading: lang
            .t(
                "On stable storage (survives a crash)",
                "稳定存储（崩溃后仍在）",
            )
            .to_string(),
        body: SectionBody::Fields(vec![
            Field::glossed("acceptedEpoch", "f.p，接受的纪元", lang, accepted),
            Field::glossed("currentEpoch", "f.a，当前纪元", lang, current),
            Field {
                key: "history",
                label: lang
                    .t("history h_f, by zxid ⟨e, c⟩", "历史 h_f（按 zxid ⟨e, c⟩）")
                    .to_string(),
                value: history_list(history, delivered, lang),
            },
        ]),
    }
}

/// Every variable of a server: what the paper keeps on stable storage,
/// then what is in memory, the election, and its connections.
pub fn inspect(sim: &Sim<Zab>, slot: &NodeSlot<Zab>, lang: Lang) -> (Option<String>, Vec<Section>) {
    let n = sim.nodes().len();
    let Some(z) = slot.up() else {
        let disk = slot.persistent();
        return (
            Some(lang.t(
                "Crashed. What the paper puts on stable storage survives: acceptedEpoch (f.p), currentEpoch (f.a) and the history. The last committed zxid, what was delivered, the vote and the round are lost. Restarted, it looks for a leader again, and delivers its history again once a leader has synchronized it.",
                "已崩溃。论文放在稳定存储中的内容都在：acceptedEpoch（f.p）、currentEpoch（f.a）和历史。最后提交的 zxid、已交付的内容、选票和轮次都已丢失。重启后它重新寻找领导者，等领导者与它同步之后，再从头交付它的历史。",
            ).to_string()),
            vec![stable(disk.accepted_epoch, disk.current_epoch, &disk.history, 0, lang)],
        );
    };
    let mut sections = vec![stable(
        z.accepted_epoch,
        z.current_epoch,
        &z.history,
        z.delivered,
        lang,
    )];
    let kv: Vec<String> = z.kv.data.iter().map(|(k, v)| format!("{k}={v}")).collect();
    sections.push(Section {
        heading: lang
            .t("In memory (lost in a crash)", "内存中（崩溃即丢失）")
            .to_string(),
        body: SectionBody::Fields(vec![
            Field::named("state", lang.t("state", "状态"), role_name(z.role)),
            Field::named(
                "phase",
                lang.t("phase", "阶段"),
                lang.t(
                    format!("{} ({})", phase_number(z.phase), phase_text(lang, z.phase)),
                    format!("{}（{}）", phase_number(z.phase), phase_text(lang, z.phase)),
                ),
            ),
            Field::named(
                "last committed zxid",
                lang.t("last committed zxid", "最后提交的 zxid"),
                zxid_or_none(z.last_committed, lang),
            ),
            Field::named(
                "delivered",
                lang.t("transactions delivered", "已交付的事务"),
                z.delivered,
            ),
            Field::named(
                "kv",
                lang.t("state machine", "状态机"),
                if kv.is_empty() {
                    lang.t("empty", "空").to_string()
                } else {
                    kv.join(" ")
                },
            ),
        ]),
    });
    let mut election = vec![
        Field::named("round", lang.t("round", "选举轮次"), z.round),
        Field::named("vote", lang.t("vote", "选票"), vote_text(&z.vote, lang)),
    ];
    if z.role == ZabRole::Looking {
        let held: Vec<String> = z
            .votes
            .iter()
            .map(|(from, v)| format!("{} → {}", node_name(*from), node_name(v.leader)))
            .collect();
        election.push(Field::named(
            "votes",
            &lang.t(
                format!("votes of this round (a quorum is {})", n / 2 + 1),
                format!("本轮收到的选票（多数派为 {} 票）", n / 2 + 1),
            ),
            held.join(lang.t(", ", "、")),
        ));
    }
    sections.push(Section {
        heading: lang
            .t(
                "Phase 0: Fast Leader Election",
                "第 0 阶段：快速领导者选举（FLE）",
            )
            .to_string(),
        body: SectionBody::Fields(election),
    });
    if let Some(link) = &z.link {
        sections.push(Section {
            heading: lang.t("Its connection to the leader", "它与领导者的连接").to_string(),
            body: SectionBody::Fields(vec![
                Field::named("leader", lang.t("leader", "领导者"), node_name(link.leader)),
                Field::named(
                    "conn",
                    lang.t("connection", "连接"),
                    lang.t(
                        format!(
                            "#{}: sent {}, received {} in order, {} held back, {} not yet acknowledged",
                            link.conn,
                            link.next_out,
                            link.next_in,
                            link.pending.len(),
                            link.unacked.len()
                        ),
                        format!(
                            "#{}：已发送 {} 条，按顺序收到 {} 条，{} 条在等待前面的消息，{} 条尚未被确认",
                            link.conn,
                            link.next_out,
                            link.next_in,
                            link.pending.len(),
                            link.unacked.len()
                        ),
                    ),
                ),
            ]),
        });
    }
    if z.role == ZabRole::Leading {
        let e = z.new_epoch.map_or_else(
            || lang.t("not yet picked", "尚未选出").to_string(),
            |e| e.to_string(),
        );
        sections.push(Section {
            heading: lang.t("Leading", "领导").to_string(),
            body: SectionBody::Fields(vec![
                Field::named("e′", lang.t("e′, its new epoch", "e′（它的新纪元）"), e),
                Field::named(
                    "acked epoch",
                    lang.t("ACK-E from", "发来 ACK-E 的跟随者"),
                    servers(z.acked_epoch.iter().copied(), lang),
                ),
            ]),
        });
        sections.push(Section {
            heading: lang.t("Its followers", "它的跟随者").to_string(),
            body: SectionBody::Table(Table {
                head: vec![
                    lang.t("follower", "跟随者").to_string(),
                    lang.t("where it is", "进展").to_string(),
                    lang.t("last ACK", "最后的 ACK").to_string(),
                ],
                rows: z
                    .sessions
                    .iter()
                    .map(|(f, s)| {
                        let (state, acked) = session_words(&s.state, lang);
                        Row {
                            key: ("data-peer", f.to_string()),
                            header: node_name(*f),
                            cells: vec![(Some("session"), state), (Some("acked"), acked)],
                        }
                    })
                    .collect(),
            }),
        });
    }
    let note = (z.role == ZabRole::Leading && z.phase != ZabPhase::Broadcast).then(|| {
        lang.t(
            "Not yet established: it proposes nothing until a quorum has acknowledged its NEWLEADER (ACK-LD).",
            "尚未确立：在多数派确认它的 NEWLEADER（ACK-LD）之前，它不提议任何事务。",
        )
        .to_string()
    });
    (note, sections)
}

fn session_words(state: &SessionState, lang: Lang) -> (String, String) {
    let none = || "–".to_string();
    match state {
        SessionState::Connected { accepted_epoch } => (
            lang.t(
                format!("CEPOCH received (f.p {accepted_epoch})"),
                format!("已收到 CEPOCH（f.p {accepted_epoch}）"),
            ),
            none(),
        ),
        SessionState::EpochSent => (
            lang.t(
                "NEWEPOCH sent, ACK-E awaited",
                "已发送 NEWEPOCH，等待 ACK-E",
            )
            .to_string(),
            none(),
        ),
        SessionState::AckedEpoch { current_epoch, .. } => (
            lang.t(
                format!("ACK-E received (f.a {current_epoch})"),
                format!("已收到 ACK-E（f.a {current_epoch}）"),
            ),
            none(),
        ),
        SessionState::Syncing { acked, .. } => (
            lang.t(
                "NEWLEADER sent, ACK-LD awaited",
                "已发送 NEWLEADER，等待 ACK-LD",
            )
            .to_string(),
            zxid_or_none(*acked, lang),
        ),
        SessionState::Synced { acked } => (
            lang.t("synchronized: in broadcast", "已同步：处于广播阶段")
                .to_string(),
            zxid_or_none(*acked, lang),
        ),
    }
}

/// What a server's menu says of it.
pub fn facts(slot: &NodeSlot<Zab>, lang: Lang) -> Vec<(String, String)> {
    let fact = |t: &str, v: String| (t.to_string(), v);
    match slot.up() {
        Some(z) => vec![
            fact(
                lang.t("state, phase", "状态、阶段"),
                format!("{}, {}", role_name(z.role), phase_text(lang, z.phase)),
            ),
            fact(
                lang.t("f.p, f.a", "f.p、f.a"),
                format!("{}, {}", z.accepted_epoch, z.current_epoch),
            ),
            fact(
                lang.t("last zxid, last committed", "最后的 zxid、最后提交的"),
                format!(
                    "{}, {}",
                    z.last_zxid(),
                    zxid_or_none(z.last_committed, lang)
                ),
            ),
        ],
        None => {
            let disk = slot.persistent();
            vec![
                fact(
                    lang.t("on stable storage", "稳定存储中"),
                    lang.t(
                        format!(
                            "f.p {}, f.a {}, a history of {}",
                            disk.accepted_epoch,
                            disk.current_epoch,
                            disk.history.len()
                        ),
                        format!(
                            "f.p {}，f.a {}，历史中 {} 个事务",
                            disk.accepted_epoch,
                            disk.current_epoch,
                            disk.history.len()
                        ),
                    ),
                ),
                fact(
                    lang.t("lost", "已丢失"),
                    lang.t(
                        "what it delivered, its vote and round",
                        "已交付的内容、选票和轮次",
                    )
                    .to_string(),
                ),
            ]
        }
    }
}

/// What broke a property, in Chinese (the core words it in English).
pub fn breach_zh(breach: &ZabBreach) -> String {
    let name = |n: &NodeId| node_name(*n);
    match breach {
        ZabBreach::EstablishedTwice { node, epoch, first } => {
            format!("{} 和 {} 都确立了纪元 {epoch}", name(first), name(node))
        }
        ZabBreach::NotEstablished { node, zxid } => {
            format!("{} 未经确立就广播了 {zxid}", name(node))
        }
        ZabBreach::PrimaryLacks {
            node,
            zxid,
            had,
            older,
        } => format!(
            "{} 广播 {zxid} 时，只交付了此前纪元 {older} 个事务中的 {had} 个",
            name(node)
        ),
        ZabBreach::BroadcastTwice { zxid } => format!("{zxid} 被广播了两次，内容不同"),
        ZabBreach::NeverBroadcast { node, txn } => format!(
            "{} 交付了 {}（{}），但没有任何主节点广播过它",
            name(node),
            txn.zxid,
            txn.request.op
        ),
        ZabBreach::AfterLaterEpoch { node, zxid, prev } => {
            format!("{} 在 {prev} 之后交付了 {zxid}", name(node))
        }
        ZabBreach::OutOfPrimaryOrder { node, zxid, prev } => match prev {
            Some(p) => format!("{} 在 {p} 之后交付了 {zxid}", name(node)),
            None => format!("{} 第一个交付的就是 {zxid}", name(node)),
        },
        ZabBreach::Diverged {
            node,
            zxid,
            position,
            other,
            ..
        } => format!(
            "{} 把 {zxid} 作为第 {position} 个事务交付，而另一台服务器在那里交付的是 {other}",
            name(node)
        ),
        ZabBreach::DeliveredTwice { node, zxid } => {
            format!("{} 交付了 {zxid} 两次", name(node))
        }
        ZabBreach::AfterNewPrimary { zxid, later, had } => format!(
            "纪元 {} 的 {zxid} 在纪元 {later} 的主节点只交付了 {had} 个事务就开始广播之后才被交付",
            zxid.epoch
        ),
        ZabBreach::Miscounted { node, says, count } => format!(
            "{}：它自称交付了 {says} 个事务，实际交付了 {count} 个",
            name(node)
        ),
        ZabBreach::NotAPrefix { node } => {
            format!("{}：它的历史不是以它已交付的内容开头", name(node))
        }
        ZabBreach::Unordered { node } => {
            format!("{}：它的历史没有按 zxid 排序", name(node))
        }
    }
}

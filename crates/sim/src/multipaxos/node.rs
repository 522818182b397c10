//! One Multi-Paxos server: proposer, acceptor and replica at once.
//!
//! The leader sends Accept again with each heartbeat for proposals an acceptor
//! has not acknowledged, so phase 2 survives lost messages; how many proposals
//! can be outstanding at once is not limited.

use super::{
    Ballot, CampaignReason, Cmd, MpEvent, MpMessage, MpPersistent, MpRole, MpTimer,
    MultiPaxosConfig, ProposalReason, Slot,
};
use crate::chunked::DenseMap;
use crate::kv::{ClientRequest, KvStore};
use crate::protocol::{Ctx, Protocol};
use crate::quorum::{Majority, Quorum};
use crate::NodeId;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MultiPaxos {
    pub id: NodeId,
    pub cluster_size: usize,
    pub config: MultiPaxosConfig,
    // Acceptor, persistent.
    pub promised: Option<Ballot>,
    pub accepted: DenseMap<(Ballot, Cmd)>,
    /// The highest round this server has used (persistent).
    pub round: u64,
    // Proposer, volatile.
    pub role: MpRole,
    /// The number this server runs phase 1 or 2 with, as candidate or leader.
    pub ballot: Option<Ballot>,
    /// The leader this server last heard from.
    pub leader: Option<NodeId>,
    /// How its last ballot ended, if it gave it up for a higher one and has
    /// heard from no leader since (why it runs phase 1 again).
    pub gave_way: Option<CampaignReason>,
    /// A candidate: phase 1 covers slots from here on.
    pub prepare_from: Slot,
    /// A candidate: the promises so far, with what each acceptor reported.
    pub promises: BTreeMap<NodeId, Vec<(Slot, Ballot, Cmd)>>,
    /// The leader: the next free slot.
    pub next_slot: Slot,
    /// The leader: proposals not yet chosen, with the acceptors that accepted them.
    pub proposals: BTreeMap<Slot, (Cmd, BTreeSet<NodeId>)>,
    // Replica, volatile.
    pub chosen: DenseMap<Cmd>,
    /// Slots `1..=applied` are applied to `kv`.
    pub applied: Slot,
    pub kv: KvStore,
}

impl MultiPaxos {
    /// Every server is an acceptor: a majority of them chooses, or promises.
    fn acceptors(&self) -> Majority {
        Majority::of_cluster(self.cluster_size)
    }

    fn others(&self) -> impl Iterator<Item = NodeId> + '_ {
        (0..self.cluster_size).filter(move |&n| n != self.id)
    }

    /// The first slot this server does not know to be chosen.
    pub fn first_unchosen(&self) -> Slot {
        self.applied + 1
    }

    fn reset_leader_timer(&self, ctx: &mut Ctx<Self>) {
        let t = ctx.random_range(
            self.config.leader_timeout_min,
            self.config.leader_timeout_max,
        );
        ctx.set_timer(MpTimer::Leader, t);
    }

    /// A higher number is about: a leader or candidate gives way (`refused`:
    /// an acceptor refused its number, rather than it heard of a higher one).
    fn step_down(&mut self, by: Ballot, refused: bool, ctx: &mut Ctx<Self>) {
        self.round = self.round.max(by.round);
        if self.role != MpRole::Follower {
            if let Some(ballot) = self.ballot {
                ctx.emit(MpEvent::SteppedDown { ballot, by });
                self.gave_way = Some(if refused {
                    CampaignReason::Refused { ballot, by }
                } else {
                    CampaignReason::Overtaken { ballot, by }
                });
            }
            self.role = MpRole::Follower;
            self.proposals.clear();
            self.promises.clear();
            ctx.cancel_timer(MpTimer::Heartbeat);
        }
        self.ballot = None;
    }

    /// Heard from a proposer numbered `ballot`: anything lower gives way.
    fn heard_of(&mut self, ballot: Ballot, ctx: &mut Ctx<Self>) {
        if self.ballot.is_some_and(|mine| ballot > mine) {
            self.step_down(ballot, false, ctx);
        }
    }

    // ---- acceptor --------------------------------------------------------------

    fn may_answer(&self, ballot: Ballot) -> bool {
        self.promised.is_none_or(|p| ballot >= p)
    }

    fn acceptor_prepare(
        &mut self,
        ballot: Ballot,
        from_slot: Slot,
        ctx: &mut Ctx<Self>,
    ) -> MpMessage {
        if !self.may_answer(ballot) {
            let promised = self.promised.expect("refused below a promise");
            ctx.emit(MpEvent::Refused { ballot, promised });
            return MpMessage::Nack { ballot, promised };
        }
        self.promised = Some(ballot);
        ctx.emit(MpEvent::Promised { ballot });
        let accepted = self
            .accepted
            .iter_from(from_slot)
            .map(|(slot, &(b, cmd))| (slot, b, cmd))
            .collect();
        MpMessage::Promise { ballot, accepted }
    }

    fn acceptor_accept(
        &mut self,
        ballot: Ballot,
        slot: Slot,
        cmd: Cmd,
        ctx: &mut Ctx<Self>,
    ) -> MpMessage {
        if !self.may_answer(ballot) {
            let promised = self.promised.expect("refused below a promise");
            ctx.emit(MpEvent::Refused { ballot, promised });
            return MpMessage::Nack { ballot, promised };
        }
        self.promised = Some(ballot);
        self.accepted.insert(slot, (ballot, cmd));
        ctx.emit(MpEvent::Accepted { ballot, slot, cmd });
        MpMessage::Accepted { ballot, slot }
    }

    // ---- proposer ---------------------------------------------------------------

    /// Why this server's leader timer starts phase 1 now.
    fn campaign_reason(&self) -> CampaignReason {
        match (self.role, self.ballot, self.gave_way) {
            (MpRole::Candidate, Some(ballot), _) => CampaignReason::NoPromises { ballot },
            (_, _, Some(why)) => why,
            _ => CampaignReason::NoLeader,
        }
    }

    /// Phase 1 for every slot from the first one not known chosen.
    fn campaign(&mut self, ctx: &mut Ctx<Self>) {
        let why = self.campaign_reason();
        self.gave_way = None;
        self.round = self.round.max(self.promised.map_or(0, |p| p.round)) + 1;
        let ballot = Ballot {
            round: self.round,
            proposer: self.id,
        };
        self.role = MpRole::Candidate;
        self.ballot = Some(ballot);
        self.leader = None;
        self.promises.clear();
        self.proposals.clear();
        self.prepare_from = self.first_unchosen();
        let from_slot = self.prepare_from;
        ctx.emit(MpEvent::BecameCandidate {
            ballot,
            from_slot,
            why,
        });
        for n in self.others().collect::<Vec<_>>() {
            ctx.send(n, MpMessage::Prepare { ballot, from_slot });
        }
        let own = self.acceptor_prepare(ballot, from_slot, ctx);
        self.on_reply(self.id, own, ctx);
        self.reset_leader_timer(ctx);
    }

    fn become_leader(&mut self, ballot: Ballot, ctx: &mut Ctx<Self>) {
        self.role = MpRole::Leader;
        self.leader = Some(self.id);
        ctx.emit(MpEvent::BecameLeader { ballot });
        ctx.cancel_timer(MpTimer::Leader);
        // Per slot, the value of the highest-numbered proposal any promise reports.
        let mut found: BTreeMap<Slot, (Ballot, Cmd)> = BTreeMap::new();
        for &(slot, b, cmd) in self.promises.values().flatten() {
            if found.get(&slot).is_none_or(|(fb, _)| b > *fb) {
                found.insert(slot, (b, cmd));
            }
        }
        let last = found.keys().next_back().copied().unwrap_or(0);
        self.next_slot = self.prepare_from.max(last + 1);
        for slot in self.prepare_from..self.next_slot {
            let (cmd, reason) = match (self.chosen.get(&slot), found.get(&slot)) {
                (Some(&cmd), _) => (cmd, ProposalReason::Recovered),
                (None, Some(&(_, cmd))) => (cmd, ProposalReason::Recovered),
                (None, None) => (Cmd::NoOp, ProposalReason::Gap),
            };
            self.propose(ballot, slot, cmd, reason, ctx);
        }
        self.promises.clear();
        // The Accepts just went out with the proposals: no need to repeat them.
        self.send_heartbeats(false, ctx);
    }

    fn propose(
        &mut self,
        ballot: Ballot,
        slot: Slot,
        cmd: Cmd,
        reason: ProposalReason,
        ctx: &mut Ctx<Self>,
    ) {
        ctx.emit(MpEvent::Proposed {
            ballot,
            slot,
            cmd,
            reason,
        });
        self.proposals.insert(slot, (cmd, BTreeSet::new()));
        for n in self.others().collect::<Vec<_>>() {
            ctx.send(n, MpMessage::Accept { ballot, slot, cmd });
        }
        let own = self.acceptor_accept(ballot, slot, cmd, ctx);
        self.on_reply(self.id, own, ctx);
    }

    /// Heartbeats, and Accept again for every proposal an acceptor has not
    /// acknowledged yet (the message or its answer may have been lost).
    /// Heartbeats to every other server, and with `resend`, the Accepts each
    /// has not answered yet (a lost Accept or a server that was down).
    fn send_heartbeats(&mut self, resend: bool, ctx: &mut Ctx<Self>) {
        let Some(ballot) = self.ballot else { return };
        let chosen_through = self.applied;
        for n in self.others().collect::<Vec<_>>() {
            ctx.send(
                n,
                MpMessage::Heartbeat {
                    ballot,
                    chosen_through,
                },
            );
            for (&slot, (cmd, who)) in &self.proposals {
                if resend && !who.contains(&n) {
                    ctx.send(
                        n,
                        MpMessage::Accept {
                            ballot,
                            slot,
                            cmd: *cmd,
                        },
                    );
                }
            }
        }
        ctx.set_timer(MpTimer::Heartbeat, self.config.heartbeat_interval);
    }

    /// Answers to this server's own Prepare and Accept (from others or itself).
    fn on_reply(&mut self, from: NodeId, msg: MpMessage, ctx: &mut Ctx<Self>) {
        match msg {
            MpMessage::Promise { ballot, accepted } => {
                if self.role != MpRole::Candidate || self.ballot != Some(ballot) {
                    return;
                }
                self.promises.insert(from, accepted);
                if self
                    .acceptors()
                    .is_quorum(|n| self.promises.contains_key(&n))
                {
                    self.become_leader(ballot, ctx);
                }
            }
            MpMessage::Accepted { ballot, slot } => {
                if self.role != MpRole::Leader || self.ballot != Some(ballot) {
                    return;
                }
                let acceptors = self.acceptors();
                let Some((cmd, who)) = self.proposals.get_mut(&slot) else {
                    return;
                };
                who.insert(from);
                if acceptors.is_quorum(|n| who.contains(&n)) {
                    let cmd = *cmd;
                    self.proposals.remove(&slot);
                    for n in self.others().collect::<Vec<_>>() {
                        ctx.send(n, MpMessage::Chosen { slot, cmd });
                    }
                    self.learn(slot, cmd, ctx);
                }
            }
            MpMessage::Nack { ballot, promised } if self.ballot == Some(ballot) => {
                self.step_down(promised, true, ctx);
                self.reset_leader_timer(ctx);
            }
            _ => {}
        }
    }

    fn client_request(&mut self, request: ClientRequest, ctx: &mut Ctx<Self>) {
        match (self.role, self.ballot, self.leader) {
            (MpRole::Leader, Some(ballot), _) => {
                let slot = self.next_slot;
                self.next_slot += 1;
                self.propose(
                    ballot,
                    slot,
                    Cmd::Request(request),
                    ProposalReason::Fresh,
                    ctx,
                );
            }
            (_, _, Some(leader)) if leader != self.id => {
                ctx.emit(MpEvent::RequestForwarded {
                    request,
                    to: leader,
                });
                ctx.send(leader, MpMessage::Forward { request });
            }
            _ => ctx.emit(MpEvent::RequestRefused { request }),
        }
    }

    // ---- replica ------------------------------------------------------------------

    fn learn(&mut self, slot: Slot, cmd: Cmd, ctx: &mut Ctx<Self>) {
        if slot <= self.applied || self.chosen.contains_key(&slot) {
            return;
        }
        self.chosen.insert(slot, cmd);
        ctx.emit(MpEvent::Learned { slot, cmd });
        // Apply in slot order, as far as there is no gap.
        while let Some(&cmd) = self.chosen.get(&(self.applied + 1)) {
            self.applied += 1;
            if let Cmd::Request(r) = cmd {
                self.kv.apply(&r);
            }
            ctx.emit(MpEvent::Applied {
                slot: self.applied,
                cmd,
            });
        }
    }
}

impl Protocol for MultiPaxos {
    type Config = MultiPaxosConfig;
    type Msg = MpMessage;
    type Timer = MpTimer;
    type Persistent = MpPersistent;
    type Event = MpEvent;

    const NAME: &'static str = "multipaxos";

    fn start(
        id: NodeId,
        cluster_size: usize,
        config: &MultiPaxosConfig,
        persisted: Option<MpPersistent>,
        ctx: &mut Ctx<Self>,
    ) -> Self {
        let recovered = persisted.is_some();
        let disk = persisted.unwrap_or_default();
        let node = MultiPaxos {
            id,
            cluster_size,
            config: config.clone(),
            promised: disk.promised,
            accepted: disk.accepted,
            round: disk.round,
            role: MpRole::Follower,
            ballot: None,
            leader: None,
            gave_way: None,
            prepare_from: 1,
            promises: BTreeMap::new(),
            next_slot: 1,
            proposals: BTreeMap::new(),
            chosen: DenseMap::new(),
            applied: 0,
            kv: KvStore::default(),
        };
        ctx.emit(MpEvent::Started { recovered });
        node.reset_leader_timer(ctx);
        node
    }

    fn persistent(&self) -> MpPersistent {
        MpPersistent {
            promised: self.promised,
            accepted: self.accepted.clone(),
            round: self.round,
        }
    }

    fn on_message(&mut self, from: NodeId, msg: MpMessage, ctx: &mut Ctx<Self>) {
        match msg {
            MpMessage::Prepare { ballot, from_slot } => {
                self.heard_of(ballot, ctx);
                let reply = self.acceptor_prepare(ballot, from_slot, ctx);
                if matches!(reply, MpMessage::Promise { .. }) {
                    // Someone is running for leader: give it time.
                    self.leader = None;
                    self.reset_leader_timer(ctx);
                }
                ctx.send(from, reply);
            }
            MpMessage::Accept { ballot, slot, cmd } => {
                self.heard_of(ballot, ctx);
                let reply = self.acceptor_accept(ballot, slot, cmd, ctx);
                if matches!(reply, MpMessage::Accepted { .. }) && self.role == MpRole::Follower {
                    self.leader = Some(from);
                    self.gave_way = None;
                    self.reset_leader_timer(ctx);
                }
                ctx.send(from, reply);
            }
            MpMessage::Heartbeat {
                ballot,
                chosen_through,
            } => {
                if !self.may_answer(ballot) {
                    let promised = self.promised.expect("refused below a promise");
                    ctx.send(from, MpMessage::Nack { ballot, promised });
                    return;
                }
                self.heard_of(ballot, ctx);
                if self.role == MpRole::Follower {
                    self.leader = Some(from);
                    self.gave_way = None;
                    self.reset_leader_timer(ctx);
                }
                if self.applied < chosen_through {
                    ctx.send(
                        from,
                        MpMessage::HeartbeatReply {
                            ballot,
                            next_needed: self.applied + 1,
                        },
                    );
                }
            }
            MpMessage::HeartbeatReply {
                ballot,
                next_needed,
            } => {
                if self.role != MpRole::Leader || self.ballot != Some(ballot) {
                    return;
                }
                let resend: Vec<(Slot, Cmd)> = self
                    .chosen
                    .iter_from(next_needed)
                    .take(self.config.catch_up_batch)
                    .map(|(s, &c)| (s, c))
                    .collect();
                for (slot, cmd) in resend {
                    ctx.send(from, MpMessage::Chosen { slot, cmd });
                }
            }
            MpMessage::Chosen { slot, cmd } => self.learn(slot, cmd, ctx),
            MpMessage::Forward { request } => {
                if self.role == MpRole::Leader {
                    self.client_request(request, ctx);
                } else {
                    ctx.emit(MpEvent::RequestRefused { request });
                }
            }
            reply @ (MpMessage::Promise { .. }
            | MpMessage::Accepted { .. }
            | MpMessage::Nack { .. }) => self.on_reply(from, reply, ctx),
        }
    }

    fn on_timer(&mut self, timer: MpTimer, ctx: &mut Ctx<Self>) {
        match timer {
            MpTimer::Leader => {
                if self.role != MpRole::Leader {
                    self.campaign(ctx);
                }
            }
            MpTimer::Heartbeat => {
                if self.role == MpRole::Leader {
                    self.send_heartbeats(true, ctx);
                }
            }
        }
    }

    fn on_client_request(&mut self, request: ClientRequest, ctx: &mut Ctx<Self>) {
        self.client_request(request, ctx);
    }

    fn forced_timer(&self) -> Option<MpTimer> {
        (self.role != MpRole::Leader).then_some(MpTimer::Leader)
    }
}

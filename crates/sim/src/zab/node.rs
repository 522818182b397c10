//! A Zab server: phase 0 (Fast Leader Election), then as follower or leader
//! phases 1 to 3 over a numbered connection (see the module's top).

use super::msg::{SessionMsg, ZabMessage};
use super::{
    Conn, ResetReason, Txn, Vote, ZabConfig, ZabEvent, ZabPersistent, ZabPhase, ZabRole, ZabTimer,
    Zxid,
};
use crate::kv::{ClientRequest, KvStore};
use crate::protocol::{Ctx, Protocol};
use crate::quorum::{Majority, Quorum};
use crate::{NodeId, Time};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The follower's side of its connection to the leader.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowerLink {
    pub leader: NodeId,
    pub conn: Conn,
    /// The sequence number of the next message this follower sends.
    pub next_out: u64,
    /// The sequence number of the next message it expects from the leader.
    pub next_in: u64,
    /// The f.p its CEPOCH reported (see the module's note on equal epochs).
    pub reported_epoch: u64,
    /// Messages that overtook an earlier one, held until the gap fills (as TCP does).
    pub pending: BTreeMap<u64, SessionMsg>,
    /// Messages sent and not yet acknowledged, kept to send again (as TCP
    /// does), each with when it was last sent.
    pub unacked: BTreeMap<u64, (Time, SessionMsg)>,
}

/// Where one follower is, as its leader sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionState {
    /// CEPOCH received, NEWEPOCH not yet sent (the epoch is not yet picked).
    Connected { accepted_epoch: u64 },
    /// NEWEPOCH sent, ACK-E awaited.
    EpochSent,
    /// ACK-E received while the leader still gathers its quorum.
    AckedEpoch {
        current_epoch: u64,
        history: Vec<Txn>,
    },
    /// NEWLEADER sent: from now on the follower gets every PROPOSE (the
    /// first trap). `sent` is the last zxid of the history NEWLEADER
    /// carried, which counts as logged only once ACK-LD says so; `acked`
    /// is the last PROPOSE the follower acknowledged (an ACK comes only
    /// after the history it follows in FIFO order was adopted).
    Syncing {
        sent: Option<Zxid>,
        acked: Option<Zxid>,
    },
    /// ACK-LD received and COMMIT-LD sent: it gets every COMMIT too.
    Synced { acked: Option<Zxid> },
}

/// The leader's side of a connection with one follower.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaderSession {
    pub conn: Conn,
    pub next_out: u64,
    pub next_in: u64,
    pub last_heard: Time,
    pub state: SessionState,
    /// Messages that overtook an earlier one, held until the gap fills.
    pub pending: BTreeMap<u64, SessionMsg>,
    /// Messages sent and not yet acknowledged, kept to send again, each
    /// with when it was last sent.
    pub unacked: BTreeMap<u64, (Time, SessionMsg)>,
}

impl LeaderSession {
    fn acked(&self) -> Option<Option<Zxid>> {
        match self.state {
            SessionState::Syncing { acked, .. } | SessionState::Synced { acked } => Some(acked),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Zab {
    pub id: NodeId,
    pub cluster_size: usize,
    pub config: ZabConfig,
    // Persistent (the paper's stable storage).
    pub accepted_epoch: u64,
    pub current_epoch: u64,
    pub history: Vec<Txn>,
    // Volatile.
    pub role: ZabRole,
    pub phase: ZabPhase,
    /// How many transactions of the history this server has delivered.
    pub delivered: usize,
    /// The last delivered zxid (the "last committed zxid").
    pub last_committed: Option<Zxid>,
    pub kv: KvStore,
    // Phase 0.
    pub round: u64,
    pub vote: Vote,
    /// Votes of this round from looking servers.
    pub votes: BTreeMap<NodeId, Vote>,
    /// Votes of servers that are following or leading, with the election
    /// round each decided in.
    pub out_of_election: BTreeMap<NodeId, (Vote, ZabRole, u64)>,
    // Following.
    pub link: Option<FollowerLink>,
    // Leading.
    /// e′ once picked.
    pub new_epoch: Option<u64>,
    pub sessions: BTreeMap<NodeId, LeaderSession>,
    /// Followers that acknowledged e′ to this leader.
    pub acked_epoch: BTreeSet<NodeId>,
    pub leading_since: Time,
}

impl Zab {
    fn quorum(&self) -> Majority {
        Majority::of_cluster(self.cluster_size)
    }

    pub fn last_zxid(&self) -> Zxid {
        self.history.last().map(|t| t.zxid).unwrap_or_default()
    }

    /// The vote this server starts a round with: itself and its history.
    fn own_vote(&self) -> Vote {
        Vote {
            epoch: self.current_epoch,
            zxid: self.last_zxid(),
            leader: self.id,
        }
    }

    /// The established leader's epoch, if this server leads in broadcast.
    pub fn established_epoch(&self) -> Option<u64> {
        (self.role == ZabRole::Leading && self.phase == ZabPhase::Broadcast)
            .then_some(self.current_epoch)
    }

    // ---- Phase 0: Fast Leader Election --------------------------------

    /// Go to phase 0: a new round, voting for oneself.
    fn become_looking(&mut self, ctx: &mut Ctx<Self>) {
        self.role = ZabRole::Looking;
        self.phase = ZabPhase::Election;
        self.link = None;
        self.sessions.clear();
        self.acked_epoch.clear();
        self.new_epoch = None;
        self.round += 1;
        self.vote = self.own_vote();
        self.votes.clear();
        self.out_of_election.clear();
        self.votes.insert(self.id, self.vote);
        ctx.cancel_timer(ZabTimer::LeaderSilent);
        ctx.cancel_timer(ZabTimer::Tick);
        ctx.emit(ZabEvent::Looking { round: self.round });
        ctx.emit(ZabEvent::Voted {
            round: self.round,
            vote: self.vote,
        });
        self.send_notifications(ctx);
        ctx.set_timer(ZabTimer::Election, self.config.election_resend);
        self.fle_try_decide(ctx);
    }

    fn notification(&self) -> ZabMessage {
        ZabMessage::Notification {
            vote: self.vote,
            round: self.round,
            state: self.role,
        }
    }

    fn send_notifications(&self, ctx: &mut Ctx<Self>) {
        for peer in (0..self.cluster_size).filter(|&p| p != self.id) {
            ctx.send(peer, self.notification());
        }
    }

    fn fle_on_notification(
        &mut self,
        from: NodeId,
        vote: Vote,
        round: u64,
        state: ZabRole,
        ctx: &mut Ctx<Self>,
    ) {
        if self.role != ZabRole::Looking {
            // A server outside the election tells a looking one whom it follows.
            if state == ZabRole::Looking {
                ctx.send(from, self.notification());
            }
            return;
        }
        if state != ZabRole::Looking {
            self.out_of_election.insert(from, (vote, state, round));
            self.fle_try_decide(ctx);
            return;
        }
        if round > self.round {
            // A later round: everything heard in this one is void.
            self.round = round;
            self.votes.clear();
            self.vote = self.own_vote().max(vote);
            self.votes.insert(self.id, self.vote);
            ctx.emit(ZabEvent::Voted {
                round,
                vote: self.vote,
            });
            self.send_notifications(ctx);
        } else if round < self.round {
            // The sender is behind: tell it the current round.
            ctx.send(from, self.notification());
            return;
        } else if vote > self.vote {
            self.vote = vote;
            self.votes.insert(self.id, vote);
            ctx.emit(ZabEvent::Voted { round, vote });
            self.send_notifications(ctx);
        }
        self.votes.insert(from, vote);
        self.fle_try_decide(ctx);
    }

    fn fle_try_decide(&mut self, ctx: &mut Ctx<Self>) {
        let q = self.quorum();
        let vote = self.vote;
        if q.is_quorum(|n| self.votes.get(&n) == Some(&vote)) {
            return self.decide(vote.leader, ctx);
        }
        // Servers already outside the election: follow their leader if a
        // quorum names it, or if the leader itself says it leads. A quorum
        // that follows this server makes it lead, but only if they decided
        // in its own round (ZooKeeper's `checkLeader`): otherwise servers
        // that already follow it would wait for a leader that never leads.
        let named: BTreeSet<NodeId> = self
            .out_of_election
            .values()
            .map(|(v, _, _)| v.leader)
            .collect();
        for leader in named {
            let leads = self
                .out_of_election
                .get(&leader)
                .is_some_and(|(v, s, _)| *s == ZabRole::Leading && v.leader == leader);
            let mine = leader == self.id;
            let backed = q.is_quorum(|n| {
                n == self.id
                    || self
                        .out_of_election
                        .get(&n)
                        .is_some_and(|(v, _, r)| v.leader == leader && (!mine || *r == self.round))
            });
            if mine && !backed {
                continue;
            }
            if leads || backed {
                return self.decide(leader, ctx);
            }
        }
    }

    fn decide(&mut self, leader: NodeId, ctx: &mut Ctx<Self>) {
        ctx.cancel_timer(ZabTimer::Election);
        ctx.emit(ZabEvent::Decided { leader });
        self.vote.leader = leader;
        if leader == self.id {
            self.become_leader(ctx);
        } else {
            self.become_follower(leader, ctx);
        }
    }

    // ---- Following: phases 1 to 3 --------------------------------------

    fn become_follower(&mut self, leader: NodeId, ctx: &mut Ctx<Self>) {
        self.role = ZabRole::Following;
        self.phase = ZabPhase::Discovery;
        let conn = ctx.random_range(0, u64::MAX);
        self.link = Some(FollowerLink {
            leader,
            conn,
            next_out: 0,
            next_in: 0,
            reported_epoch: self.accepted_epoch,
            pending: BTreeMap::new(),
            unacked: BTreeMap::new(),
        });
        self.send_to_leader(
            SessionMsg::CEpoch {
                accepted_epoch: self.accepted_epoch,
            },
            ctx,
        );
        ctx.set_timer(ZabTimer::LeaderSilent, self.config.follower_timeout);
    }

    fn send_to_leader(&mut self, body: SessionMsg, ctx: &mut Ctx<Self>) {
        let Some(link) = &mut self.link else { return };
        let msg = ZabMessage::Session {
            conn: link.conn,
            seq: link.next_out,
            ack: link.next_in,
            body: body.clone(),
        };
        link.unacked.insert(link.next_out, (ctx.now, body));
        link.next_out += 1;
        ctx.send(link.leader, msg);
    }

    /// Sends again what the leader has not acknowledged, as TCP retransmits
    /// a lost segment: a lost message delays the connection, it does not end it.
    fn resend_to_leader(&mut self, ctx: &mut Ctx<Self>) {
        let after = self.config.retransmit_after;
        let Some(link) = &mut self.link else { return };
        for (&seq, (sent, body)) in &mut link.unacked {
            if ctx.now < *sent + after {
                continue;
            }
            *sent = ctx.now;
            let msg = ZabMessage::Session {
                conn: link.conn,
                seq,
                ack: link.next_in,
                body: body.clone(),
            };
            ctx.send(link.leader, msg);
        }
    }

    fn close_link(&mut self, why: ResetReason, ctx: &mut Ctx<Self>) {
        if let Some(link) = &self.link {
            ctx.emit(ZabEvent::ConnectionClosed {
                peer: link.leader,
                why,
            });
        }
        self.become_looking(ctx);
    }

    /// A message on a connection: in sequence, as TCP hands them over.
    fn follower_on_session(
        &mut self,
        from: NodeId,
        conn: Conn,
        (seq, ack): (u64, u64),
        body: SessionMsg,
        ctx: &mut Ctx<Self>,
    ) {
        match &mut self.link {
            Some(link) if link.leader == from && link.conn == conn => {
                link.unacked.retain(|&s, _| s >= ack);
                // A duplicate is discarded; one that overtook waits for the gap.
                if seq >= link.next_in {
                    link.pending.insert(seq, body);
                }
            }
            // Another connection's message: TCP would not deliver it.
            _ => return,
        }
        loop {
            let next = match &mut self.link {
                Some(link) if link.conn == conn => {
                    let Some(body) = link.pending.remove(&link.next_in) else {
                        return;
                    };
                    link.next_in += 1;
                    body
                }
                _ => return,
            };
            self.follower_step(next, ctx);
        }
    }

    fn follower_step(&mut self, body: SessionMsg, ctx: &mut Ctx<Self>) {
        let Some(link) = &self.link else { return };
        let reported = link.reported_epoch;
        ctx.set_timer(ZabTimer::LeaderSilent, self.config.follower_timeout);
        match body {
            SessionMsg::NewEpoch { epoch } => {
                // Phase 1: f.p < e′ (or e′ = f.p, reported, see the module's top).
                let fresh = epoch > self.accepted_epoch;
                let rejoin = epoch == self.accepted_epoch && reported == epoch;
                if self.phase != ZabPhase::Discovery || !(fresh || rejoin) {
                    return self.close_link(ResetReason::EpochMismatch, ctx);
                }
                self.accepted_epoch = epoch;
                ctx.emit(ZabEvent::EpochAccepted { epoch });
                self.phase = ZabPhase::Synchronization;
                self.send_to_leader(
                    SessionMsg::AckEpoch {
                        current_epoch: self.current_epoch,
                        history: self.history.clone(),
                    },
                    ctx,
                );
            }
            SessionMsg::NewLeader { epoch, history } => {
                // Phase 2: accept only the epoch acknowledged in phase 1.
                if self.phase != ZabPhase::Synchronization || epoch != self.accepted_epoch {
                    return self.close_link(ResetReason::EpochMismatch, ctx);
                }
                self.current_epoch = epoch;
                self.history = history;
                ctx.emit(ZabEvent::HistoryAdopted {
                    epoch,
                    last: self.history.last().map(|t| t.zxid),
                });
                self.send_to_leader(SessionMsg::AckLeader { epoch }, ctx);
            }
            SessionMsg::CommitLeader { epoch, committed } => {
                if epoch != self.current_epoch {
                    return self.close_link(ResetReason::EpochMismatch, ctx);
                }
                self.phase = ZabPhase::Broadcast;
                if let Some(z) = committed {
                    self.deliver_through(z, ctx);
                }
            }
            SessionMsg::Propose { txn } => {
                if txn.zxid.epoch != self.current_epoch || txn.zxid <= self.last_zxid() {
                    return self.close_link(ResetReason::EpochMismatch, ctx);
                }
                self.history.push(txn);
                ctx.emit(ZabEvent::Logged { txn });
                self.send_to_leader(SessionMsg::Ack { zxid: txn.zxid }, ctx);
            }
            SessionMsg::Commit { zxid } => self.deliver_through(zxid, ctx),
            SessionMsg::Ping => {
                self.resend_to_leader(ctx);
                self.send_to_leader(SessionMsg::PingAck, ctx);
            }
            // Only a follower sends these.
            SessionMsg::CEpoch { .. }
            | SessionMsg::AckEpoch { .. }
            | SessionMsg::AckLeader { .. }
            | SessionMsg::Ack { .. }
            | SessionMsg::PingAck
            | SessionMsg::Forward { .. } => {}
        }
    }

    /// Delivers, in zxid order, every transaction of the history up to `zxid`.
    fn deliver_through(&mut self, zxid: Zxid, ctx: &mut Ctx<Self>) {
        while let Some(&txn) = self.history.get(self.delivered) {
            if txn.zxid > zxid {
                break;
            }
            self.delivered += 1;
            self.last_committed = Some(txn.zxid);
            self.kv.apply(&txn.request);
            ctx.emit(ZabEvent::Delivered { txn });
        }
    }

    // ---- Leading: phases 1 to 3 ----------------------------------------

    fn become_leader(&mut self, ctx: &mut Ctx<Self>) {
        self.role = ZabRole::Leading;
        self.phase = ZabPhase::Discovery;
        self.sessions.clear();
        self.acked_epoch.clear();
        self.new_epoch = None;
        self.leading_since = ctx.now;
        ctx.set_timer(ZabTimer::Tick, self.config.heartbeat_interval);
        self.leader_try_pick_epoch(ctx);
    }

    fn send_to_follower(&mut self, to: NodeId, body: SessionMsg, ctx: &mut Ctx<Self>) {
        let Some(s) = self.sessions.get_mut(&to) else {
            return;
        };
        let msg = ZabMessage::Session {
            conn: s.conn,
            seq: s.next_out,
            ack: s.next_in,
            body: body.clone(),
        };
        s.unacked.insert(s.next_out, (ctx.now, body));
        s.next_out += 1;
        ctx.send(to, msg);
    }

    /// Sends again what follower `to` has not acknowledged (as TCP does).
    fn resend_to_follower(&mut self, to: NodeId, ctx: &mut Ctx<Self>) {
        let after = self.config.retransmit_after;
        let Some(s) = self.sessions.get_mut(&to) else {
            return;
        };
        for (&seq, (sent, body)) in &mut s.unacked {
            if ctx.now < *sent + after {
                continue;
            }
            *sent = ctx.now;
            let msg = ZabMessage::Session {
                conn: s.conn,
                seq,
                ack: s.next_in,
                body: body.clone(),
            };
            ctx.send(to, msg);
        }
    }

    fn set_state(&mut self, f: NodeId, state: SessionState) {
        if let Some(s) = self.sessions.get_mut(&f) {
            s.state = state;
        }
    }

    fn in_state(&self, pred: impl Fn(&SessionState) -> bool) -> Vec<NodeId> {
        self.sessions
            .iter()
            .filter(|(_, s)| pred(&s.state))
            .map(|(&f, _)| f)
            .collect()
    }

    /// Phase 1: with CEPOCH from a quorum (the leader counts itself), e′ is
    /// one above every f.p of that quorum.
    fn leader_try_pick_epoch(&mut self, ctx: &mut Ctx<Self>) {
        if self.new_epoch.is_some() {
            return;
        }
        let connected: BTreeMap<NodeId, u64> = self
            .sessions
            .iter()
            .filter_map(|(&f, s)| match s.state {
                SessionState::Connected { accepted_epoch } => Some((f, accepted_epoch)),
                _ => None,
            })
            .collect();
        if !self
            .quorum()
            .is_quorum(|n| n == self.id || connected.contains_key(&n))
        {
            return;
        }
        let epoch = connected
            .values()
            .copied()
            .chain([self.accepted_epoch])
            .max()
            .unwrap_or(0)
            + 1;
        self.new_epoch = Some(epoch);
        self.accepted_epoch = epoch;
        ctx.emit(ZabEvent::EpochAccepted { epoch });
        for f in connected.keys() {
            self.set_state(*f, SessionState::EpochSent);
            self.send_to_follower(*f, SessionMsg::NewEpoch { epoch }, ctx);
        }
        self.leader_try_sync(ctx);
    }

    /// Phase 1 → 2: with ACK-E from a quorum, take the most recent history
    /// of the quorum (highest f.a, then last zxid) and send NEWLEADER.
    fn leader_try_sync(&mut self, ctx: &mut Ctx<Self>) {
        let Some(epoch) = self.new_epoch else { return };
        if self.phase != ZabPhase::Discovery {
            return;
        }
        let acked = self.in_state(|s| matches!(s, SessionState::AckedEpoch { .. }));
        if !self
            .quorum()
            .is_quorum(|n| n == self.id || acked.contains(&n))
        {
            return;
        }
        let mut best = (self.current_epoch, self.last_zxid());
        let mut from = None;
        for f in &acked {
            if let SessionState::AckedEpoch {
                current_epoch,
                history,
            } = &self.sessions[f].state
            {
                let theirs = (
                    *current_epoch,
                    history.last().map(|t| t.zxid).unwrap_or_default(),
                );
                if theirs > best {
                    best = theirs;
                    from = Some(*f);
                }
            }
        }
        if let Some(f) = from {
            if let SessionState::AckedEpoch { history, .. } = &self.sessions[&f].state {
                self.history = history.clone();
            }
        }
        self.current_epoch = epoch;
        self.phase = ZabPhase::Synchronization;
        ctx.emit(ZabEvent::HistoryAdopted {
            epoch,
            last: self.history.last().map(|t| t.zxid),
        });
        for f in acked {
            self.send_new_leader(f, ctx);
        }
    }

    fn send_new_leader(&mut self, f: NodeId, ctx: &mut Ctx<Self>) {
        let last = self.history.last().map(|t| t.zxid);
        self.set_state(
            f,
            SessionState::Syncing {
                sent: last,
                acked: None,
            },
        );
        let body = SessionMsg::NewLeader {
            epoch: self.current_epoch,
            history: self.history.clone(),
        };
        self.send_to_follower(f, body, ctx);
    }

    /// Phase 2 → 3: a quorum acknowledged NEWLEADER.
    fn leader_try_establish(&mut self, ctx: &mut Ctx<Self>) {
        if self.phase != ZabPhase::Synchronization {
            return;
        }
        let synced = self.in_state(|s| matches!(s, SessionState::Synced { .. }));
        if !self
            .quorum()
            .is_quorum(|n| n == self.id || synced.contains(&n))
        {
            return;
        }
        self.phase = ZabPhase::Broadcast;
        ctx.emit(ZabEvent::Established {
            epoch: self.current_epoch,
        });
        if let Some(last) = self.history.last().map(|t| t.zxid) {
            self.deliver_through(last, ctx);
        }
        for f in synced {
            self.send_commit_leader(f, ctx);
        }
    }

    fn send_commit_leader(&mut self, f: NodeId, ctx: &mut Ctx<Self>) {
        // The third trap: the leader's latest committed zxid, not the end of
        // the history it sent in NEWLEADER.
        let body = SessionMsg::CommitLeader {
            epoch: self.current_epoch,
            committed: self.last_committed,
        };
        self.send_to_follower(f, body, ctx);
    }

    /// Phase 3: a new transaction, to every follower that was sent NEWLEADER.
    fn propose(&mut self, request: ClientRequest, ctx: &mut Ctx<Self>) {
        let last = self.last_zxid();
        let counter = if last.epoch == self.current_epoch {
            last.counter + 1
        } else {
            1
        };
        let txn = Txn {
            zxid: Zxid {
                epoch: self.current_epoch,
                counter,
            },
            request,
        };
        self.history.push(txn);
        ctx.emit(ZabEvent::Proposed { txn });
        for f in self.in_state(|s| {
            matches!(
                s,
                SessionState::Syncing { .. } | SessionState::Synced { .. }
            )
        }) {
            self.send_to_follower(f, SessionMsg::Propose { txn }, ctx);
        }
        self.leader_try_commit(ctx);
    }

    /// Commits, in order, what a quorum has logged in this epoch.
    fn leader_try_commit(&mut self, ctx: &mut Ctx<Self>) {
        if self.phase != ZabPhase::Broadcast {
            return;
        }
        let epoch = self.current_epoch;
        let counter_of = |z: Option<Zxid>| z.filter(|z| z.epoch == epoch).map_or(0, |z| z.counter);
        let own = counter_of(Some(self.last_zxid()));
        let acked: BTreeMap<NodeId, u64> = self
            .sessions
            .iter()
            .filter_map(|(&f, s)| s.acked().map(|a| (f, counter_of(a))))
            .collect();
        let committed = self.quorum().committed_index(|n| {
            if n == self.id {
                own
            } else {
                acked.get(&n).copied().unwrap_or(0)
            }
        });
        if committed == 0 {
            return;
        }
        let zxid = Zxid {
            epoch,
            counter: committed,
        };
        if self.last_committed.is_some_and(|c| c >= zxid) {
            return;
        }
        self.deliver_through(zxid, ctx);
        for f in self.in_state(|s| matches!(s, SessionState::Synced { .. })) {
            self.send_to_follower(f, SessionMsg::Commit { zxid }, ctx);
        }
    }

    fn leader_on_session(
        &mut self,
        from: NodeId,
        conn: Conn,
        (seq, ack): (u64, u64),
        body: SessionMsg,
        ctx: &mut Ctx<Self>,
    ) {
        if let SessionMsg::CEpoch { accepted_epoch } = body {
            if seq == 0 && self.sessions.get(&from).is_none_or(|s| s.conn != conn) {
                return self.leader_on_cepoch(from, conn, accepted_epoch, ctx);
            }
        }
        match self.sessions.get_mut(&from) {
            Some(s) if s.conn == conn => {
                s.unacked.retain(|&q, _| q >= ack);
                if seq >= s.next_in {
                    s.pending.insert(seq, body);
                }
            }
            _ => return,
        }
        loop {
            let next = match self.sessions.get_mut(&from) {
                Some(s) if s.conn == conn => {
                    let Some(body) = s.pending.remove(&s.next_in) else {
                        return;
                    };
                    s.next_in += 1;
                    s.last_heard = ctx.now;
                    body
                }
                _ => return,
            };
            self.leader_step(from, next, ctx);
        }
    }

    fn leader_step(&mut self, from: NodeId, body: SessionMsg, ctx: &mut Ctx<Self>) {
        let Some(s) = self.sessions.get(&from) else {
            return;
        };
        let state = s.state.clone();
        match body {
            SessionMsg::AckEpoch {
                current_epoch,
                history,
            } => {
                if state != SessionState::EpochSent {
                    return;
                }
                self.acked_epoch.insert(from);
                if self.phase == ZabPhase::Discovery {
                    self.set_state(
                        from,
                        SessionState::AckedEpoch {
                            current_epoch,
                            history,
                        },
                    );
                    self.leader_try_sync(ctx);
                } else {
                    // A late joiner: synchronized with the history as it is now.
                    self.send_new_leader(from, ctx);
                }
            }
            SessionMsg::AckLeader { epoch } => {
                let SessionState::Syncing { sent, acked } = state else {
                    return;
                };
                if epoch != self.current_epoch {
                    return;
                }
                // Only now does the follower hold what NEWLEADER carried.
                let acked = acked.max(sent);
                self.set_state(from, SessionState::Synced { acked });
                if self.phase == ZabPhase::Broadcast {
                    self.send_commit_leader(from, ctx);
                    self.leader_try_commit(ctx);
                } else {
                    self.leader_try_establish(ctx);
                }
            }
            SessionMsg::Ack { zxid } => {
                let Some(s) = self.sessions.get_mut(&from) else {
                    return;
                };
                match &mut s.state {
                    SessionState::Syncing { acked, .. } | SessionState::Synced { acked } => {
                        *acked = (*acked).max(Some(zxid));
                    }
                    _ => return,
                }
                self.leader_try_commit(ctx);
            }
            SessionMsg::Forward { request } => self.client_request(request, ctx),
            SessionMsg::PingAck => {}
            // Only a leader sends these; a second CEPOCH on one connection is ignored.
            SessionMsg::CEpoch { .. }
            | SessionMsg::NewEpoch { .. }
            | SessionMsg::NewLeader { .. }
            | SessionMsg::CommitLeader { .. }
            | SessionMsg::Propose { .. }
            | SessionMsg::Commit { .. }
            | SessionMsg::Ping => {}
        }
    }

    /// A follower opens a connection.
    fn leader_on_cepoch(
        &mut self,
        from: NodeId,
        conn: Conn,
        accepted_epoch: u64,
        ctx: &mut Ctx<Self>,
    ) {
        self.sessions.insert(
            from,
            LeaderSession {
                conn,
                next_out: 0,
                next_in: 1,
                last_heard: ctx.now,
                state: SessionState::Connected { accepted_epoch },
                pending: BTreeMap::new(),
                unacked: BTreeMap::new(),
            },
        );
        match self.new_epoch {
            None => self.leader_try_pick_epoch(ctx),
            Some(epoch) => {
                let behind = accepted_epoch < epoch;
                let rejoins = accepted_epoch == epoch && self.acked_epoch.contains(&from);
                if behind || rejoins {
                    self.set_state(from, SessionState::EpochSent);
                    self.send_to_follower(from, SessionMsg::NewEpoch { epoch }, ctx);
                } else {
                    // Someone acknowledged an epoch at least ours elsewhere:
                    // this leader's epoch cannot be established.
                    ctx.emit(ZabEvent::ConnectionClosed {
                        peer: from,
                        why: ResetReason::EpochMismatch,
                    });
                    self.become_looking(ctx);
                }
            }
        }
    }

    fn leader_tick(&mut self, ctx: &mut Ctx<Self>) {
        // A follower silent this long is gone or cut off (a lost message
        // would have been sent again by now): close it, so the follower
        // hears no more pings and reconnects.
        let horizon = ctx.now.saturating_sub(self.config.leader_timeout);
        let silent: Vec<NodeId> = self
            .sessions
            .iter()
            .filter(|(_, s)| s.last_heard < horizon)
            .map(|(&f, _)| f)
            .collect();
        for f in silent {
            self.sessions.remove(&f);
            ctx.emit(ZabEvent::ConnectionClosed {
                peer: f,
                why: ResetReason::FollowerSilent,
            });
        }
        let followers: Vec<NodeId> = self.sessions.keys().copied().collect();
        for f in followers {
            self.resend_to_follower(f, ctx);
            self.send_to_follower(f, SessionMsg::Ping, ctx);
        }
        if ctx.now >= self.leading_since + self.config.leader_timeout {
            let broadcast = self.phase == ZabPhase::Broadcast;
            let alive = |n: NodeId| {
                n == self.id
                    || self
                        .sessions
                        .get(&n)
                        .is_some_and(|s| !broadcast || s.acked().is_some())
            };
            if !self.quorum().is_quorum(alive) {
                ctx.emit(ZabEvent::LostQuorum);
                return self.become_looking(ctx);
            }
        }
        ctx.set_timer(ZabTimer::Tick, self.config.heartbeat_interval);
    }

    fn client_request(&mut self, request: ClientRequest, ctx: &mut Ctx<Self>) {
        match (self.role, self.phase) {
            (ZabRole::Leading, ZabPhase::Broadcast) => self.propose(request, ctx),
            (ZabRole::Following, ZabPhase::Broadcast) => {
                let to = self.link.as_ref().map(|l| l.leader).expect("following");
                ctx.emit(ZabEvent::RequestForwarded { request, to });
                self.send_to_leader(SessionMsg::Forward { request }, ctx);
            }
            _ => ctx.emit(ZabEvent::RequestRefused { request }),
        }
    }
}

impl Protocol for Zab {
    type Config = ZabConfig;
    type Msg = ZabMessage;
    type Timer = ZabTimer;
    type Persistent = ZabPersistent;
    type Event = ZabEvent;

    const NAME: &'static str = "zab";

    fn start(
        id: NodeId,
        cluster_size: usize,
        config: &ZabConfig,
        persisted: Option<ZabPersistent>,
        ctx: &mut Ctx<Self>,
    ) -> Self {
        let recovered = persisted.is_some();
        let disk = persisted.unwrap_or_default();
        let mut node = Zab {
            id,
            cluster_size,
            config: config.clone(),
            accepted_epoch: disk.accepted_epoch,
            current_epoch: disk.current_epoch,
            history: disk.history,
            role: ZabRole::Looking,
            phase: ZabPhase::Election,
            delivered: 0,
            last_committed: None,
            kv: KvStore::default(),
            round: 0,
            vote: Vote {
                epoch: 0,
                zxid: Zxid::default(),
                leader: id,
            },
            votes: BTreeMap::new(),
            out_of_election: BTreeMap::new(),
            link: None,
            new_epoch: None,
            sessions: BTreeMap::new(),
            acked_epoch: BTreeSet::new(),
            leading_since: 0,
        };
        ctx.emit(ZabEvent::Started { recovered });
        node.become_looking(ctx);
        node
    }

    fn persistent(&self) -> ZabPersistent {
        ZabPersistent {
            accepted_epoch: self.accepted_epoch,
            current_epoch: self.current_epoch,
            history: self.history.clone(),
        }
    }

    fn on_message(&mut self, from: NodeId, msg: ZabMessage, ctx: &mut Ctx<Self>) {
        match msg {
            ZabMessage::Notification { vote, round, state } => {
                self.fle_on_notification(from, vote, round, state, ctx)
            }
            ZabMessage::Session {
                conn,
                seq,
                ack,
                body,
            } => match self.role {
                ZabRole::Following => self.follower_on_session(from, conn, (seq, ack), body, ctx),
                ZabRole::Leading => self.leader_on_session(from, conn, (seq, ack), body, ctx),
                // Nobody listens on a looking server's port.
                ZabRole::Looking => {}
            },
        }
    }

    fn on_timer(&mut self, timer: ZabTimer, ctx: &mut Ctx<Self>) {
        match (timer, self.role) {
            (ZabTimer::Election, ZabRole::Looking) => {
                self.send_notifications(ctx);
                ctx.set_timer(ZabTimer::Election, self.config.election_resend);
            }
            (ZabTimer::LeaderSilent, ZabRole::Following) => {
                self.close_link(ResetReason::LeaderSilent, ctx)
            }
            (ZabTimer::Tick, ZabRole::Leading) => self.leader_tick(ctx),
            _ => {}
        }
    }

    fn on_client_request(&mut self, request: ClientRequest, ctx: &mut Ctx<Self>) {
        self.client_request(request, ctx);
    }

    fn forced_timer(&self) -> Option<ZabTimer> {
        match self.role {
            ZabRole::Looking => Some(ZabTimer::Election),
            ZabRole::Following => Some(ZabTimer::LeaderSilent),
            ZabRole::Leading => None,
        }
    }
}

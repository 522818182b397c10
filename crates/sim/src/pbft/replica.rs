//! A PBFT replica: the normal case (section 4.2), checkpoints and garbage
//! collection (4.3), view changes (4.4, 4.5), and the ways a liar deviates.
//!
//! **The liars.** A replica turned Byzantine runs this code with one
//! deviation ([`Behaviour`]):
//! - `Silent`: sends nothing.
//! - `Equivocate`: as primary, sends the PRE-PREPARE with the request to the
//!   first, third, ... backup and one for the null request at the same `n` to
//!   the others, and backs each backup's story: to each PREPARE it hears it
//!   answers with a matching COMMIT.
//! - `WrongReply`: replies to clients with a wrong result (the same wrong
//!   result at every liar, so that liars agree).
//! - `OutsideWatermarks`: as primary, assigns sequence numbers above `H`.
//! - `ConflictingVotes`: answers each PREPARE it hears with a PREPARE and a
//!   COMMIT of its own for the same digest, whatever it said before.
//! - `ForgedViewChange`: its VIEW-CHANGE claims the null request prepared at
//!   the first sequence number above its stable checkpoint, in the view it
//!   leaves, with a pre-prepare and prepares "signed" by others with its own key.
//! - `StaleViewChange`: its VIEW-CHANGE carries the stable checkpoint and
//!   prepared certificates it had when it turned, not its newer ones.

use super::msg::{digest_of, forge, request_digest, sign};
use super::{
    failure_bound, primary_of, Checkpoint, Commit, Digest, Invalid, NewView, Pbft, PbftConfig,
    PbftEvent, PbftMessage, PbftTimer, PrePrepare, Prepare, PreparedCert, Reply, Request, SeqNo,
    ServiceState, Signed, Status, View, ViewChange, ViewChangeReason,
};
use crate::kernel::Behaviour;
use crate::kv::KvOp;
use crate::protocol::Ctx;
use crate::NodeId;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

type Cx<'a, 'b> = &'a mut Ctx<'b, Pbft>;

/// A map with pair keys as a list of pairs (JSON keys are strings).
mod pairs {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<K: Serialize, V: Serialize, S: Serializer>(
        map: &BTreeMap<K, V>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(map.iter())
    }

    pub fn deserialize<'de, K, V, D>(d: D) -> Result<BTreeMap<K, V>, D::Error>
    where
        K: Deserialize<'de> + Ord,
        V: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Ok(Vec::<(K, V)>::deserialize(d)?.into_iter().collect())
    }
}

/// What a replica's log holds for one sequence number.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    /// The view the messages below are of.
    pub v: View,
    /// The pre-prepare accepted in view `v`, with its request (`None`: null).
    pub pre_prepare: Option<Signed<PrePrepare>>,
    pub request: Option<Request>,
    /// PREPAREs of view `v`, by sender and digest.
    #[serde(with = "pairs")]
    pub prepares: BTreeMap<(NodeId, Digest), Signed<Prepare>>,
    /// COMMITs of view `v`, by sender and digest.
    #[serde(with = "pairs")]
    pub commits: BTreeMap<(NodeId, Digest), Signed<Commit>>,
    /// `prepared(m, v, n, i)` became true in view `v` (its COMMIT is sent).
    pub sent_commit: bool,
    /// The newest prepared certificate, of any view: what P reports.
    pub prepared: Option<PreparedCert>,
    /// Committed-local: the digest and request decided here.
    pub committed: Option<(Digest, Option<Request>)>,
    /// A liar's answers so far: to whom, which digest (no answer twice).
    pub answered: BTreeSet<(NodeId, Digest)>,
}

/// The last stable checkpoint: its sequence number, state digest and the
/// `2f + 1` CHECKPOINTs that prove it (none for the initial one, `n = 0`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StableCheckpoint {
    pub n: SeqNo,
    pub d: Digest,
    pub proof: Vec<Signed<Checkpoint>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Replica {
    /// `i`: the replica's number.
    pub i: NodeId,
    /// `n = 3f + 1` replicas (not the number of nodes: clients are nodes too).
    pub n: usize,
    pub f: usize,
    /// `v`: the view.
    pub view: View,
    pub status: Status,
    /// The message log, by sequence number, above `h`.
    pub log: BTreeMap<SeqNo, Slot>,
    /// The primary's last assigned sequence number.
    pub seq: SeqNo,
    /// The last sequence number executed.
    pub last_executed: SeqNo,
    /// `h`, the low water mark: the last stable checkpoint's sequence number.
    pub h: SeqNo,
    pub stable: StableCheckpoint,
    /// CHECKPOINTs above `h`, by sequence number and sender.
    pub checkpoints: BTreeMap<SeqNo, BTreeMap<NodeId, Signed<Checkpoint>>>,
    /// The state at each of its own checkpoints from `h` on (to give away).
    pub snapshots: BTreeMap<SeqNo, ServiceState>,
    /// The service: the key-value data and the last reply to each client.
    pub service: ServiceState,
    /// VIEW-CHANGEs for views above the current one, or for it while changing.
    pub view_changes: BTreeMap<View, BTreeMap<NodeId, Signed<ViewChange>>>,
    /// The NEW-VIEW it sent as primary of its view, to send again.
    pub new_view: Option<Signed<NewView>>,
    /// Requests it received and has not executed, by client (section 4.4:
    /// "waiting for a request").
    pub pending: BTreeMap<NodeId, Request>,
    /// Whether its view-change timer runs.
    pub timer_running: bool,
    /// How many view changes in a row have not completed: the timeout is `T · 2^doublings`.
    pub doublings: u32,
    /// How it lies, if it does.
    pub byzantine: Option<Behaviour>,
    /// A stale liar's VIEW-CHANGE contents, frozen when it turned.
    pub frozen: Option<(StableCheckpoint, Vec<PreparedCert>)>,
    pub config: PbftConfig,
}

/// The value `op` leaves at its key, for the REPLY.
fn apply(data: &mut BTreeMap<char, u32>, op: KvOp) -> u32 {
    match op {
        KvOp::Set { key, value } => {
            data.insert(key, value);
            value
        }
        KvOp::Add { key, by } => {
            let v = data.entry(key).or_insert(0);
            *v = v.wrapping_add(by);
            *v
        }
    }
}

/// What a liar with [`Behaviour::WrongReply`] answers instead of `r`.
pub fn wrong_result(r: u32) -> u32 {
    r.wrapping_add(1_000_000)
}

impl Replica {
    pub fn new(i: NodeId, n: usize, config: PbftConfig) -> Self {
        Replica {
            i,
            n,
            f: failure_bound(n),
            view: 0,
            status: Status::Normal,
            log: BTreeMap::new(),
            seq: 0,
            last_executed: 0,
            h: 0,
            stable: StableCheckpoint {
                n: 0,
                d: digest_of(&ServiceState::default()),
                proof: Vec::new(),
            },
            checkpoints: BTreeMap::new(),
            snapshots: BTreeMap::new(),
            service: ServiceState::default(),
            view_changes: BTreeMap::new(),
            new_view: None,
            pending: BTreeMap::new(),
            timer_running: false,
            doublings: 0,
            byzantine: None,
            frozen: None,
            config,
        }
    }

    /// `H = h + k`, the high water mark.
    pub fn high(&self) -> SeqNo {
        self.h + self.config.log_size
    }

    /// `2f + 1`: a quorum of replicas, any two of which share a correct one.
    pub fn quorum(&self) -> usize {
        2 * self.f + 1
    }

    pub fn primary(&self) -> NodeId {
        primary_of(self.view, self.n)
    }

    pub fn is_primary(&self) -> bool {
        self.primary() == self.i
    }

    fn lies(&self, b: Behaviour) -> bool {
        self.byzantine == Some(b)
    }

    pub(super) fn restart(&mut self, ctx: Cx) {
        self.timer_running = false;
        match self.status {
            Status::ViewChange => {
                ctx.set_timer(PbftTimer::Resend, self.config.resend_interval);
                self.start_timer(ctx);
            }
            Status::Normal if !self.pending.is_empty() => self.start_timer(ctx),
            Status::Normal => {}
        }
    }

    pub(super) fn turn_byzantine(&mut self, behaviour: Behaviour, ctx: Cx) {
        self.byzantine = Some(behaviour);
        if behaviour == Behaviour::StaleViewChange {
            self.frozen = Some((self.stable.clone(), self.prepared_set()));
        }
        ctx.emit(PbftEvent::TurnedByzantine { behaviour });
    }

    // ----- sending ------------------------------------------------------

    fn send(&self, ctx: Cx, to: NodeId, msg: PbftMessage) {
        if !self.lies(Behaviour::Silent) && to != self.i {
            ctx.send(to, msg);
        }
    }

    /// To every other replica.
    fn multicast(&self, ctx: Cx, msg: PbftMessage) {
        for j in 0..self.n {
            self.send(ctx, j, msg.clone());
        }
    }

    fn refuse(&self, ctx: Cx, from: NodeId, why: Invalid) {
        ctx.emit(PbftEvent::Refused { from, why });
    }

    // ----- timers -------------------------------------------------------

    /// The view-change timeout now: `T`, doubled for each view change in a
    /// row that has not completed (section 4.5).
    pub fn timeout(&self) -> crate::Time {
        self.config.view_change_timeout << self.doublings.min(self.config.max_doublings)
    }

    fn start_timer(&mut self, ctx: Cx) {
        ctx.set_timer(PbftTimer::ViewChange, self.timeout());
        self.timer_running = true;
    }

    fn stop_timer(&mut self, ctx: Cx) {
        ctx.cancel_timer(PbftTimer::ViewChange);
        self.timer_running = false;
    }

    pub(super) fn on_timer(&mut self, timer: PbftTimer, ctx: Cx) {
        match timer {
            PbftTimer::ViewChange => {
                self.timer_running = false;
                self.start_view_change(self.view + 1, ViewChangeReason::Timeout, ctx);
            }
            PbftTimer::Resend => {
                if self.status == Status::ViewChange {
                    if let Some(vc) = self
                        .view_changes
                        .get(&self.view)
                        .and_then(|m| m.get(&self.i))
                        .cloned()
                    {
                        self.multicast(ctx, PbftMessage::ViewChange(vc));
                    }
                    self.resend_checkpoints(ctx);
                    self.fetch_state(ctx);
                    ctx.set_timer(PbftTimer::Resend, self.config.resend_interval);
                }
            }
            PbftTimer::Retransmit => {}
        }
    }

    // ----- messages -----------------------------------------------------

    pub(super) fn on_message(&mut self, from: NodeId, msg: PbftMessage, ctx: Cx) {
        match msg {
            PbftMessage::Request(r) => self.on_request(from, r, ctx),
            PbftMessage::PrePrepare {
                pre_prepare,
                request,
            } => self.on_pre_prepare(from, pre_prepare, request, ctx),
            PbftMessage::Prepare(p) => self.on_prepare(from, p, ctx),
            PbftMessage::Commit(c) => self.on_commit(from, c, ctx),
            PbftMessage::Checkpoint(c) => self.on_checkpoint(from, c, ctx),
            PbftMessage::ViewChange(vc) => self.on_view_change(from, vc, ctx),
            PbftMessage::NewView(nv) => self.on_new_view(from, nv, ctx),
            PbftMessage::FetchState { n } => {
                if let Some(state) = self.snapshots.get(&n) {
                    let state = state.clone();
                    self.send(ctx, from, PbftMessage::State { n, state });
                }
            }
            PbftMessage::State { n, state } => self.on_state(n, state, ctx),
            PbftMessage::Reply(_) => {}
        }
    }

    /// A client's request, directly or forwarded (sections 4.1, 4.4).
    fn on_request(&mut self, from: NodeId, r: Request, ctx: Cx) {
        if let Some(&(t, result)) = self.service.last_reply.get(&r.c) {
            // Executed already: send the reply again; an older one is dropped.
            if r.t == t {
                self.reply(r.c, t, result, ctx);
            }
            if r.t <= t {
                return;
            }
        }
        if self.pending.get(&r.c).is_none_or(|p| p.t < r.t) {
            self.pending.insert(r.c, r);
        }
        if self.status == Status::Normal && self.is_primary() {
            self.assign(r, ctx);
        } else if from == r.c {
            self.fetch_state(ctx);
            // A backup passes the client's request on to the primary.
            let to = self.primary();
            self.send(ctx, to, PbftMessage::Request(r));
            ctx.emit(PbftEvent::RequestForwarded { t: r.t, to });
        }
        // Section 4.4: a backup waiting for a request starts its timer if it
        // is not running. Departure: so does the primary. Otherwise a
        // primary whose PREPAREs and COMMITs were lost, with one correct
        // backup done and another gone ahead to a later view, keeps the
        // view forever: no correct replica is left waiting in it.
        if self.status == Status::Normal && !self.timer_running {
            self.start_timer(ctx);
        }
    }

    /// Whether request `r` already has a sequence number in this view.
    fn assigned(&self, r: &Request) -> bool {
        self.log.values().any(|s| {
            s.v == self.view
                && s.pre_prepare.is_some()
                && s.request.is_some_and(|q| q.c == r.c && q.t == r.t)
        })
    }

    /// The primary assigns the next sequence number to `r` and multicasts
    /// PRE-PREPARE (section 4.2), if the window `h < n ≤ H` has room.
    fn assign(&mut self, r: Request, ctx: Cx) {
        if self.assigned(&r) {
            return;
        }
        let mut n = self.seq + 1;
        if self.lies(Behaviour::OutsideWatermarks) {
            n += self.high();
        } else if n > self.high() {
            return; // assigned when the window moves
        }
        self.seq = self.seq.max(n);
        let d = request_digest(&Some(r));
        let pre_prepare = sign(self.i, PrePrepare { v: self.view, n, d });
        if self.lies(Behaviour::Equivocate) {
            // The first, third, ... backup gets the request, the others the
            // null request at the same n.
            let null = request_digest(&None);
            let other = sign(
                self.i,
                PrePrepare {
                    v: self.view,
                    n,
                    d: null,
                },
            );
            let backups: Vec<NodeId> = (0..self.n).filter(|&j| j != self.i).collect();
            for (k, j) in backups.into_iter().enumerate() {
                let msg = if k % 2 == 0 {
                    PbftMessage::PrePrepare {
                        pre_prepare: pre_prepare.clone(),
                        request: Some(r),
                    }
                } else {
                    PbftMessage::PrePrepare {
                        pre_prepare: other.clone(),
                        request: None,
                    }
                };
                self.send(ctx, j, msg);
            }
        } else {
            self.multicast(
                ctx,
                PbftMessage::PrePrepare {
                    pre_prepare: pre_prepare.clone(),
                    request: Some(r),
                },
            );
        }
        ctx.emit(PbftEvent::PrePrepared {
            v: self.view,
            n,
            d,
            request: Some(r),
        });
        if n > self.h && n <= self.high() {
            let slot = self.slot(n);
            slot.pre_prepare = Some(pre_prepare);
            slot.request = Some(r);
            self.check_prepared(n, ctx);
        }
    }

    /// The slot for `n` in the current view (cleared of an older view's messages).
    fn slot(&mut self, n: SeqNo) -> &mut Slot {
        let v = self.view;
        let slot = self.log.entry(n).or_default();
        if slot.v < v {
            slot.v = v;
            slot.pre_prepare = None;
            slot.request = None;
            slot.prepares.clear();
            slot.commits.clear();
            slot.sent_commit = false;
            slot.answered.clear();
        }
        slot
    }

    fn in_window(&self, n: SeqNo) -> bool {
        self.h < n && n <= self.high()
    }

    /// Section 4.2: a backup accepts a pre-prepare if the signature is
    /// right, it is in view `v`, it has not accepted a pre-prepare for `v`
    /// and `n` with another digest, `h < n ≤ H`, and `d` is the request's digest.
    fn on_pre_prepare(
        &mut self,
        from: NodeId,
        pp: Signed<PrePrepare>,
        request: Option<Request>,
        ctx: Cx,
    ) {
        let PrePrepare { v, n, d } = pp.body;
        let why = if !pp.valid() || pp.signer != from {
            Some(Invalid::BadSignature)
        } else if from != primary_of(v, self.n) {
            Some(Invalid::NotPrimary)
        } else if self.status != Status::Normal || v != self.view || self.is_primary() {
            Some(Invalid::WrongView)
        } else if !self.in_window(n) {
            Some(Invalid::OutsideWatermarks)
        } else if request_digest(&request) != d {
            Some(Invalid::BadDigest)
        } else {
            match self.log.get(&n) {
                Some(s) if s.v == v && s.pre_prepare.as_ref().is_some_and(|p| p.body.d != d) => {
                    Some(Invalid::Conflicting)
                }
                Some(s) if s.v == v && s.pre_prepare.is_some() => return, // a duplicate
                _ => None,
            }
        };
        if let Some(why) = why {
            return self.refuse(ctx, from, why);
        }
        let slot = self.slot(n);
        slot.pre_prepare = Some(pp);
        slot.request = request;
        ctx.emit(PbftEvent::PrePrepared { v, n, d, request });
        // "it enters the prepare phase by multicasting a PREPARE message".
        let prepare = sign(self.i, Prepare { v, n, d, i: self.i });
        let i = self.i;
        self.slot(n).prepares.insert((i, d), prepare.clone());
        self.multicast(ctx, PbftMessage::Prepare(prepare));
        self.check_prepared(n, ctx);
    }

    /// PREPARE and COMMIT are taken if signed by their sender, of the
    /// current view (or the one being changed to) and within the watermarks.
    fn vote_ok(
        &self,
        from: NodeId,
        valid: bool,
        signer: NodeId,
        i: NodeId,
        v: View,
        n: SeqNo,
    ) -> Option<Invalid> {
        if !valid || signer != from || i != from {
            Some(Invalid::BadSignature)
        } else if v != self.view {
            Some(Invalid::WrongView)
        } else if !self.in_window(n) {
            Some(Invalid::OutsideWatermarks)
        } else {
            None
        }
    }

    fn on_prepare(&mut self, from: NodeId, p: Signed<Prepare>, ctx: Cx) {
        let Prepare { v, n, d, i } = p.body;
        if let Some(why) = self.vote_ok(from, p.valid(), p.signer, i, v, n) {
            return self.refuse(ctx, from, why);
        }
        if from == primary_of(v, self.n) {
            return; // the primary does not prepare
        }
        self.slot(n).prepares.insert((from, d), p);
        self.answer(from, v, n, d, ctx);
        self.check_prepared(n, ctx);
    }

    /// A two-faced liar tells `to` what it wants to hear about `(v, n)`.
    fn answer(&mut self, to: NodeId, v: View, n: SeqNo, d: Digest, ctx: Cx) {
        let voter = self.lies(Behaviour::ConflictingVotes);
        let primary = self.lies(Behaviour::Equivocate) && self.is_primary();
        if !(voter || primary) || !self.slot(n).answered.insert((to, d)) {
            return;
        }
        if voter {
            let prepare = sign(self.i, Prepare { v, n, d, i: self.i });
            self.send(ctx, to, PbftMessage::Prepare(prepare));
        }
        let commit = sign(self.i, Commit { v, n, d, i: self.i });
        self.send(ctx, to, PbftMessage::Commit(commit));
    }

    fn on_commit(&mut self, from: NodeId, c: Signed<Commit>, ctx: Cx) {
        let Commit { v, n, d, i } = c.body;
        if let Some(why) = self.vote_ok(from, c.valid(), c.signer, i, v, n) {
            return self.refuse(ctx, from, why);
        }
        self.slot(n).commits.insert((from, d), c);
        self.check_committed(n, ctx);
    }

    /// `prepared(m, v, n, i)`: the pre-prepare and `2f` PREPAREs from
    /// different backups matching it (section 4.2). Then COMMIT.
    fn check_prepared(&mut self, n: SeqNo, ctx: Cx) {
        if self.status != Status::Normal {
            return;
        }
        let (v, i, f, primary) = (self.view, self.i, self.f, self.primary());
        let Some(slot) = self.log.get_mut(&n) else {
            return;
        };
        let Some(pp) = slot.pre_prepare.clone() else {
            return;
        };
        if slot.v != v || slot.sent_commit {
            return;
        }
        let d = pp.body.d;
        let prepares: Vec<Signed<Prepare>> = slot
            .prepares
            .iter()
            .filter(|((j, dj), _)| *dj == d && *j != primary)
            .map(|(_, p)| p.clone())
            .take(2 * f)
            .collect();
        if prepares.len() < 2 * f {
            return;
        }
        slot.prepared = Some(PreparedCert {
            pre_prepare: pp,
            request: slot.request,
            prepares,
        });
        slot.sent_commit = true;
        let commit = sign(i, Commit { v, n, d, i });
        slot.commits.insert((i, d), commit.clone());
        ctx.emit(PbftEvent::Prepared { v, n, d });
        self.multicast(ctx, PbftMessage::Commit(commit));
        self.check_committed(n, ctx);
    }

    /// `committed-local(m, v, n, i)`: prepared and `2f + 1` matching COMMITs
    /// (its own among them). Then execute, in sequence order.
    fn check_committed(&mut self, n: SeqNo, ctx: Cx) {
        let (v, f) = (self.view, self.f);
        let Some(slot) = self.log.get_mut(&n) else {
            return;
        };
        if !slot.sent_commit || slot.v != v || slot.committed.is_some() {
            return;
        }
        let Some(d) = slot.pre_prepare.as_ref().map(|p| p.body.d) else {
            return;
        };
        let commits = slot.commits.keys().filter(|(_, dj)| *dj == d).count();
        if commits < 2 * f + 1 {
            return;
        }
        slot.committed = Some((d, slot.request));
        let request = slot.request;
        ctx.emit(PbftEvent::CommittedLocal { v, n, d, request });
        self.execute(ctx);
    }

    /// Executes committed requests in sequence order (section 4.2: "after
    /// executing all requests with lower sequence numbers").
    fn execute(&mut self, ctx: Cx) {
        let mut executed_any = false;
        // A replica behind its stable checkpoint waits for the state.
        while self.last_executed >= self.h {
            let n = self.last_executed + 1;
            let Some((d, request)) = self.log.get(&n).and_then(|s| s.committed) else {
                break;
            };
            let mut result = None;
            if let Some(r) = request {
                let last = self.service.last_reply.get(&r.c).copied();
                if last.is_none_or(|(t, _)| r.t > t) {
                    let value = apply(&mut self.service.data, r.o);
                    self.service.last_reply.insert(r.c, (r.t, value));
                    result = Some(value);
                    self.reply(r.c, r.t, value, ctx);
                }
                if self.pending.get(&r.c).is_some_and(|p| p.t <= r.t) {
                    self.pending.remove(&r.c);
                }
            }
            self.last_executed = n;
            executed_any = true;
            ctx.emit(PbftEvent::Executed {
                n,
                d,
                request,
                result,
            });
            if n % self.config.checkpoint_interval == 0 {
                self.take_checkpoint(n, ctx);
            }
        }
        if executed_any && self.status == Status::Normal {
            // Section 4.4: the timer stops when the replica waits for no
            // request, and restarts if it still waits for one.
            self.stop_timer(ctx);
            if !self.pending.is_empty() {
                self.start_timer(ctx);
            }
        }
    }

    fn reply(&self, c: NodeId, t: u64, r: u32, ctx: Cx) {
        let r = if self.lies(Behaviour::WrongReply) {
            wrong_result(r)
        } else {
            r
        };
        let reply = Reply {
            v: self.view,
            t,
            c,
            i: self.i,
            r,
        };
        if !self.lies(Behaviour::Silent) {
            ctx.send(c, PbftMessage::Reply(reply));
        }
    }

    // ----- checkpoints (section 4.3) -------------------------------------

    fn take_checkpoint(&mut self, n: SeqNo, ctx: Cx) {
        let d = digest_of(&self.service);
        self.snapshots.insert(n, self.service.clone());
        let checkpoint = sign(self.i, Checkpoint { n, d, i: self.i });
        ctx.emit(PbftEvent::CheckpointTaken { n, d });
        self.multicast(ctx, PbftMessage::Checkpoint(checkpoint.clone()));
        self.record_checkpoint(checkpoint, ctx);
    }

    fn resend_checkpoints(&self, ctx: Cx) {
        for by in self.checkpoints.values() {
            if let Some(own) = by.get(&self.i) {
                self.multicast(ctx, PbftMessage::Checkpoint(own.clone()));
            }
        }
    }

    fn on_checkpoint(&mut self, from: NodeId, c: Signed<Checkpoint>, ctx: Cx) {
        if !c.valid() || c.signer != from || c.body.i != from {
            return self.refuse(ctx, from, Invalid::BadSignature);
        }
        self.record_checkpoint(c, ctx);
    }

    /// Keeps a checkpoint above `h`; `2f + 1` matching make it stable.
    fn record_checkpoint(&mut self, c: Signed<Checkpoint>, ctx: Cx) {
        let Checkpoint { n, d, .. } = c.body;
        if n <= self.h {
            return;
        }
        let by = self.checkpoints.entry(n).or_default();
        by.insert(c.signer, c);
        let proof: Vec<Signed<Checkpoint>> =
            by.values().filter(|c| c.body.d == d).cloned().collect();
        if proof.len() >= self.quorum() {
            self.make_stable(StableCheckpoint { n, d, proof }, ctx);
        }
    }

    /// The checkpoint is stable: `h` moves to it and the log, the
    /// checkpoints and the states before it are discarded (garbage collection).
    fn make_stable(&mut self, stable: StableCheckpoint, ctx: Cx) {
        let n = stable.n;
        if n <= self.h {
            return;
        }
        ctx.emit(PbftEvent::CheckpointStable { n, d: stable.d });
        self.h = n;
        self.log.retain(|&k, _| k > n);
        self.checkpoints.retain(|&k, _| k > n);
        self.snapshots.retain(|&k, _| k >= n);
        self.seq = self.seq.max(n);
        self.stable = stable;
        self.fetch_state(ctx);
        self.assign_pending(ctx);
    }

    /// Behind the stable checkpoint: asks those who proved it for its state
    /// (again each time it resends its view change or a client asks again).
    fn fetch_state(&self, ctx: Cx) {
        let n = self.stable.n;
        if self.last_executed < n {
            for c in &self.stable.proof {
                self.send(ctx, c.signer, PbftMessage::FetchState { n });
            }
        }
    }

    /// The state of stable checkpoint `n`, if its digest is the one proved.
    fn on_state(&mut self, n: SeqNo, state: ServiceState, ctx: Cx) {
        if n != self.stable.n || self.last_executed >= n || digest_of(&state) != self.stable.d {
            return;
        }
        self.service = state.clone();
        self.snapshots.insert(n, state);
        self.last_executed = n;
        let last = self.service.last_reply.clone();
        self.pending
            .retain(|c, r| last.get(c).is_none_or(|&(t, _)| r.t > t));
        ctx.emit(PbftEvent::StateFetched {
            n,
            d: self.stable.d,
        });
        self.execute(ctx);
    }

    /// The primary assigns the requests it holds that have no number yet.
    fn assign_pending(&mut self, ctx: Cx) {
        if self.status != Status::Normal || !self.is_primary() {
            return;
        }
        let pending: Vec<Request> = self.pending.values().copied().collect();
        for r in pending {
            self.assign(r, ctx);
        }
    }

    // ----- view changes (sections 4.4, 4.5) ------------------------------

    /// P: a prepared certificate for every sequence number above `h`.
    fn prepared_set(&self) -> Vec<PreparedCert> {
        self.log
            .iter()
            .filter(|(&n, _)| n > self.h)
            .filter_map(|(_, s)| s.prepared.clone())
            .collect()
    }

    /// Moves to view `v` and multicasts VIEW-CHANGE(v, n, C, P, i).
    fn start_view_change(&mut self, v: View, why: ViewChangeReason, ctx: Cx) {
        if v <= self.view && !(v == self.view && self.status == Status::Normal) {
            return;
        }
        if self.status == Status::ViewChange {
            self.doublings += 1;
        }
        self.stop_timer(ctx);
        self.view = v;
        self.status = Status::ViewChange;
        let (stable, mut p) = match (&self.frozen, self.byzantine) {
            (Some(frozen), Some(Behaviour::StaleViewChange)) => frozen.clone(),
            _ => (self.stable.clone(), self.prepared_set()),
        };
        if self.lies(Behaviour::ForgedViewChange) && v >= 1 {
            p.retain(|c| c.n() != stable.n + 1);
            p.push(self.forged_certificate(v - 1, stable.n + 1));
        }
        let vc = sign(
            self.i,
            ViewChange {
                v,
                n: stable.n,
                c: stable.proof,
                p,
                i: self.i,
            },
        );
        ctx.emit(PbftEvent::ViewChangeStarted { v, why });
        self.view_changes
            .entry(v)
            .or_default()
            .insert(self.i, vc.clone());
        self.view_changes.retain(|&w, _| w >= v);
        self.multicast(ctx, PbftMessage::ViewChange(vc));
        ctx.set_timer(PbftTimer::Resend, self.config.resend_interval);
        // Departure: the paper starts this timer once 2f + 1 VIEW-CHANGEs
        // for v have arrived (section 4.5). A replica that moved on alone
        // (its NEW-VIEW lost) would then wait for the others while they,
        // short of 2f + 1 without it and a silent liar, wait for it; with
        // the timer running from the start, the doubling timeouts bring
        // them together.
        self.start_timer(ctx);
        self.after_view_change(v, ctx);
    }

    /// A certificate for the null request at `n` in view `v` that no one
    /// prepared: a pre-prepare and prepares under others' names, "signed"
    /// with the liar's own key.
    fn forged_certificate(&self, v: View, n: SeqNo) -> PreparedCert {
        let d = request_digest(&None);
        let primary = primary_of(v, self.n);
        let prepares = (0..self.n)
            .filter(|&j| j != primary)
            .take(2 * self.f)
            .map(|j| forge(self.i, j, Prepare { v, n, d, i: j }))
            .collect();
        PreparedCert {
            pre_prepare: forge(self.i, primary, PrePrepare { v, n, d }),
            request: None,
            prepares,
        }
    }

    /// Whether a VIEW-CHANGE for view `v` is correct: signed by its replica,
    /// with a checkpoint proof of `2f + 1` matching signed CHECKPOINTs (none
    /// for the initial state), and each prepared certificate a valid
    /// pre-prepare by its view's primary and `2f` matching valid prepares
    /// from different backups, for a view before `v`, within the window
    /// above the checkpoint (section 4.4).
    pub fn check_view_change(&self, vc: &Signed<ViewChange>, v: View) -> Result<(), Invalid> {
        let body = &vc.body;
        if !vc.valid() || vc.signer != body.i || body.i >= self.n {
            return Err(Invalid::BadSignature);
        }
        if body.v != v {
            return Err(Invalid::WrongView);
        }
        if body.n > 0 {
            let d = body.c.first().map(|c| c.body.d);
            let signers: BTreeSet<NodeId> = body.c.iter().map(|c| c.signer).collect();
            if body.c.iter().any(|c| !c.valid() || c.body.i != c.signer) {
                return Err(Invalid::BadSignature);
            }
            if signers.len() != body.c.len()
                || signers.len() < 2 * self.f + 1
                || body
                    .c
                    .iter()
                    .any(|c| c.body.n != body.n || Some(c.body.d) != d)
            {
                return Err(Invalid::ShortCheckpoint);
            }
        } else if !body.c.is_empty() {
            return Err(Invalid::ShortCheckpoint);
        }
        let mut seen = BTreeSet::new();
        for cert in &body.p {
            let (cv, cn, cd) = (cert.v(), cert.n(), cert.d());
            let primary = primary_of(cv, self.n);
            if !cert.pre_prepare.valid() || cert.prepares.iter().any(|p| !p.valid()) {
                return Err(Invalid::BadSignature);
            }
            if cert.pre_prepare.signer != primary {
                return Err(Invalid::NotPrimary);
            }
            if cv >= v {
                return Err(Invalid::WrongView);
            }
            if cn <= body.n || cn > body.n + self.config.log_size || !seen.insert(cn) {
                return Err(Invalid::OutsideWatermarks);
            }
            if request_digest(&cert.request) != cd {
                return Err(Invalid::BadDigest);
            }
            let signers: BTreeSet<NodeId> = cert
                .prepares
                .iter()
                .filter(|p| {
                    let b = p.body;
                    b.v == cv && b.n == cn && b.d == cd && b.i == p.signer && p.signer != primary
                })
                .map(|p| p.signer)
                .collect();
            if signers.len() < 2 * self.f {
                return Err(Invalid::ShortCertificate);
            }
        }
        Ok(())
    }

    /// O from V (section 4.4): `min-s`, the latest stable checkpoint in V
    /// (with its proof), and for every `n` from `min-s + 1` to `max-s`, the
    /// highest prepared one in V, the request of its certificate of the
    /// highest view, or the null request if none has one.
    pub fn compute_o(
        vs: &[Signed<ViewChange>],
    ) -> (StableCheckpoint, Vec<(SeqNo, Digest, Option<Request>)>) {
        let best = vs
            .iter()
            .max_by_key(|vc| vc.body.n)
            .expect("2f + 1 of them");
        let stable = StableCheckpoint {
            n: best.body.n,
            d: best
                .body
                .c
                .first()
                .map_or(digest_of(&ServiceState::default()), |c| c.body.d),
            proof: best.body.c.clone(),
        };
        let min_s = stable.n;
        let mut chosen: BTreeMap<SeqNo, &PreparedCert> = BTreeMap::new();
        for cert in vs.iter().flat_map(|vc| &vc.body.p) {
            if cert.n() <= min_s {
                continue;
            }
            let newer = chosen.get(&cert.n()).is_none_or(|c| cert.v() > c.v());
            if newer {
                chosen.insert(cert.n(), cert);
            }
        }
        let max_s = chosen.keys().next_back().copied().unwrap_or(min_s);
        let o = (min_s + 1..=max_s)
            .map(|n| match chosen.get(&n) {
                Some(c) => (n, c.d(), c.request),
                None => (n, request_digest(&None), None),
            })
            .collect();
        (stable, o)
    }

    fn on_view_change(&mut self, from: NodeId, vc: Signed<ViewChange>, ctx: Cx) {
        let v = vc.body.v;
        if vc.signer != from {
            return self.refuse(ctx, from, Invalid::BadSignature);
        }
        if v < self.view || (v == self.view && self.status == Status::Normal) {
            // Still asking for a view this replica leads, or one it is past:
            // the primary of the view sends its NEW-VIEW again.
            if let Some(nv) = &self.new_view {
                if nv.body.v == self.view && self.status == Status::Normal {
                    self.send(ctx, from, PbftMessage::NewView(nv.clone()));
                }
            }
            return;
        }
        if let Err(why) = self.check_view_change(&vc, v) {
            return self.refuse(ctx, from, why);
        }
        self.view_changes.entry(v).or_default().insert(from, vc);
        // Section 4.5: with f + 1 valid VIEW-CHANGEs for views above its
        // own, a replica moves to the smallest of them, timer or not.
        let above: BTreeMap<NodeId, View> = self
            .view_changes
            .range(self.view + 1..)
            .flat_map(|(&w, by)| by.keys().map(move |&j| (j, w)))
            .fold(BTreeMap::new(), |mut m, (j, w)| {
                m.entry(j).or_insert(w);
                m
            });
        if above.len() > self.f {
            let smallest = *above.values().min().expect("f + 1 of them");
            self.start_view_change(smallest, ViewChangeReason::Joined, ctx);
            return;
        }
        if v == self.view {
            self.after_view_change(v, ctx);
        }
    }

    /// In a view change to `v`: with `2f + 1` VIEW-CHANGEs the new primary
    /// sends NEW-VIEW.
    fn after_view_change(&mut self, v: View, ctx: Cx) {
        if self.status != Status::ViewChange || self.view != v {
            return;
        }
        let count = self.view_changes.get(&v).map_or(0, |m| m.len());
        if count < 2 * self.f + 1 || primary_of(v, self.n) != self.i {
            return;
        }
        let vs: Vec<Signed<ViewChange>> = self.view_changes[&v]
            .values()
            .take(2 * self.f + 1)
            .cloned()
            .collect();
        let (stable, o) = Self::compute_o(&vs);
        let o: Vec<(Signed<PrePrepare>, Option<Request>)> = o
            .into_iter()
            .map(|(n, d, r)| (sign(self.i, PrePrepare { v, n, d }), r))
            .collect();
        let nulls = o.iter().filter(|(_, r)| r.is_none()).count();
        let max_s = o.last().map_or(stable.n, |(p, _)| p.body.n);
        ctx.emit(PbftEvent::NewViewSent {
            v,
            min_s: stable.n,
            max_s,
            nulls,
        });
        let nv = sign(
            self.i,
            NewView {
                v,
                vs,
                o: o.clone(),
            },
        );
        self.multicast(ctx, PbftMessage::NewView(nv.clone()));
        self.new_view = Some(nv);
        self.enter_view(v, stable, o, ctx);
    }

    /// Section 4.4: a backup accepts NEW-VIEW for `v` if it is signed by
    /// the primary of `v`, its view changes are valid for `v`, and O is the
    /// one they give.
    fn on_new_view(&mut self, from: NodeId, nv: Signed<NewView>, ctx: Cx) {
        let v = nv.body.v;
        if v < self.view || (v == self.view && self.status == Status::Normal) {
            return;
        }
        match self.check_new_view(from, &nv) {
            Err(why) => self.refuse(ctx, from, why),
            Ok(stable) => {
                let o = nv.body.o.clone();
                self.enter_view(v, stable, o, ctx);
            }
        }
    }

    /// Checks a NEW-VIEW; its stable checkpoint if it is correct.
    pub fn check_new_view(
        &self,
        from: NodeId,
        nv: &Signed<NewView>,
    ) -> Result<StableCheckpoint, Invalid> {
        let v = nv.body.v;
        if !nv.valid() || nv.signer != from {
            return Err(Invalid::BadSignature);
        }
        if from != primary_of(v, self.n) {
            return Err(Invalid::NotPrimary);
        }
        let signers: BTreeSet<NodeId> = nv.body.vs.iter().map(|vc| vc.body.i).collect();
        if signers.len() != nv.body.vs.len() || signers.len() < 2 * self.f + 1 {
            return Err(Invalid::ShortV);
        }
        for vc in &nv.body.vs {
            self.check_view_change(vc, v)?;
        }
        let (stable, o) = Self::compute_o(&nv.body.vs);
        let given: Vec<(SeqNo, Digest, Option<Request>)> = nv
            .body
            .o
            .iter()
            .map(|(p, r)| (p.body.n, p.body.d, *r))
            .collect();
        let signed = nv
            .body
            .o
            .iter()
            .all(|(p, _)| p.valid() && p.signer == from && p.body.v == v);
        if given != o || !signed {
            return Err(Invalid::WrongO);
        }
        Ok(stable)
    }

    /// Enters view `v` with the pre-prepares of O (section 4.4): the stable
    /// checkpoint of V if it is newer, each pre-prepare above `h` in the log,
    /// and, at a backup, a PREPARE for each.
    fn enter_view(
        &mut self,
        v: View,
        stable: StableCheckpoint,
        o: Vec<(Signed<PrePrepare>, Option<Request>)>,
        ctx: Cx,
    ) {
        self.view = v;
        self.doublings = 0;
        self.stop_timer(ctx);
        ctx.cancel_timer(PbftTimer::Resend);
        self.view_changes.retain(|&w, _| w > v);
        let max_s = o.last().map_or(stable.n, |(p, _)| p.body.n);
        if stable.n > self.h {
            self.make_stable(stable, ctx);
        }
        self.status = Status::Normal;
        // The new primary numbers new requests after O, whatever it numbered before.
        self.seq = max_s.max(self.h);
        if self.primary() != self.i {
            self.new_view = None;
        }
        ctx.emit(PbftEvent::NewViewAccepted { v });
        let backup = !self.is_primary();
        let mut numbers = Vec::new();
        for (pp, request) in o {
            let PrePrepare { n, d, .. } = pp.body;
            if n <= self.h {
                continue;
            }
            let slot = self.slot(n);
            slot.pre_prepare = Some(pp);
            slot.request = request;
            if backup {
                let prepare = sign(self.i, Prepare { v, n, d, i: self.i });
                let i = self.i;
                self.slot(n).prepares.insert((i, d), prepare.clone());
                self.multicast(ctx, PbftMessage::Prepare(prepare));
            }
            numbers.push(n);
        }
        for n in numbers {
            self.check_prepared(n, ctx);
        }
        // Requests still waited on: the primary numbers them, a backup times them.
        let pending: Vec<Request> = self.pending.values().copied().collect();
        if self.is_primary() {
            for &r in &pending {
                self.assign(r, ctx);
            }
        }
        if !pending.is_empty() {
            self.start_timer(ctx);
        }
    }
}

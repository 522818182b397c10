//! One VR replica: the rules of sections 4.1 (normal operation), 4.2 (view
//! change), 4.3 (recovery) and 5.2 (state transfer), each in one handler.
//!
//! Two additions the paper leaves to the implementer, for liveness under
//! message loss only: the primary resends PREPAREs a backup has not
//! acknowledged with each COMMIT, and a GETSTATE without answer is asked again
//! of the next replica.

use super::{
    client_of, primary_of, ClientId, DoViewChange, Log, OpNumber, PrimaryState, RecoveryResponse,
    Status, View, ViewChangeReason, VrConfig, VrEvent, VrMessage, VrPersistent, VrTimer,
};
use crate::kv::{ClientRequest, KvStore};
use crate::protocol::{Ctx, Protocol};
use crate::quorum::{Majority, Quorum};
use crate::NodeId;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One row of the client table (section 4): the client's latest request and
/// whether it has been executed (the service's result is the key-value
/// store's, so the row keeps no result of its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ClientRecord {
    pub request_number: u64,
    pub op_number: OpNumber,
    pub executed: bool,
}

/// A GETSTATE this replica is waiting for an answer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StateRequest {
    /// The view asked about (later than the replica's own one in the safe rule's case).
    pub view: View,
    /// Everything after this op-number is asked for.
    pub after: OpNumber,
    /// Asked of this replica last.
    pub to: NodeId,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Vr {
    pub id: NodeId,
    pub cluster_size: usize,
    pub config: VrConfig,
    // The replica state of section 4, all of it in memory.
    pub view: View,
    pub status: Status,
    pub log: Log,
    pub op_number: OpNumber,
    pub commit_number: OpNumber,
    pub client_table: BTreeMap<ClientId, ClientRecord>,
    /// v′: the latest view in which this replica's status was normal.
    pub last_normal_view: View,
    /// Operations `1..=executed` are executed on `kv`.
    pub executed: OpNumber,
    pub kv: KvStore,
    /// The primary: the highest op-number each backup has acknowledged in this view.
    pub acked: BTreeMap<NodeId, OpNumber>,
    /// View change: who sent STARTVIEWCHANGE for `view`.
    pub start_view_changes: BTreeSet<NodeId>,
    /// View change, the new primary: the DOVIEWCHANGEs for `view`, by sender.
    pub do_view_changes: BTreeMap<NodeId, DoViewChange>,
    pub sent_do_view_change: bool,
    /// Recovery: this incarnation's nonce, and the answers carrying it.
    pub nonce: u64,
    pub recovery_responses: BTreeMap<NodeId, RecoveryResponse>,
    /// State transfer: the GETSTATE awaiting its NEWSTATE.
    pub asked: Option<StateRequest>,
}

impl Vr {
    fn quorum(&self) -> Majority {
        Majority::of_cluster(self.cluster_size)
    }

    fn others(&self) -> Vec<NodeId> {
        (0..self.cluster_size).filter(|&n| n != self.id).collect()
    }

    /// The primary of this replica's view.
    pub fn primary(&self) -> NodeId {
        primary_of(self.view, self.cluster_size)
    }

    /// Normal and the primary of its view: acting as primary.
    pub fn is_primary(&self) -> bool {
        self.status == Status::Normal && self.primary() == self.id
    }

    fn reset_view_change_timer(&self, ctx: &mut Ctx<Self>) {
        let after = ctx.random_range(
            self.config.view_change_timeout_min,
            self.config.view_change_timeout_max,
        );
        ctx.set_timer(VrTimer::ViewChange, after);
    }

    fn broadcast(&self, msg: VrMessage, ctx: &mut Ctx<Self>) {
        for n in self.others() {
            ctx.send(n, msg.clone());
        }
    }

    /// The client table as the log says it is: the latest request of each
    /// client in the log (after a view change, recovery or state transfer).
    fn rebuild_client_table(&mut self) {
        self.client_table.clear();
        for (i, request) in self.log.iter().enumerate() {
            let (client, request_number) = client_of(request);
            let op_number = i as OpNumber + 1;
            self.client_table.insert(
                client,
                ClientRecord {
                    request_number,
                    op_number,
                    executed: op_number <= self.executed,
                },
            );
        }
    }

    /// The commit-number moves up to `k` (never past the log), and what is
    /// committed is executed in order (section 4.1, steps 5 and 7).
    fn advance_commit(&mut self, k: OpNumber, ctx: &mut Ctx<Self>) {
        let k = k.min(self.op_number);
        while self.commit_number < k {
            self.commit_number += 1;
            let op_number = self.commit_number;
            ctx.emit(VrEvent::Committed {
                view: self.view,
                op_number,
                request: self.log[op_number as usize - 1],
            });
        }
        while self.executed < self.commit_number {
            self.executed += 1;
            let op_number = self.executed;
            let request = self.log[op_number as usize - 1];
            self.kv.apply(&request);
            ctx.emit(VrEvent::Executed { op_number, request });
            let (client, request_number) = client_of(&request);
            if let Some(row) = self.client_table.get_mut(&client) {
                if row.request_number == request_number {
                    row.executed = true;
                }
            }
            if self.is_primary() {
                ctx.emit(VrEvent::Replied {
                    client,
                    request_number,
                    resent: false,
                });
            }
        }
    }

    /// Normal status in `view`, with v′ = `view`.
    fn become_normal(&mut self, view: View, ctx: &mut Ctx<Self>) {
        self.view = view;
        self.status = Status::Normal;
        self.last_normal_view = view;
        self.start_view_changes.clear();
        self.do_view_changes.clear();
        self.sent_do_view_change = false;
        self.acked.clear();
        self.asked = None;
        ctx.cancel_timer(VrTimer::GetState);
        if self.primary() == self.id {
            ctx.cancel_timer(VrTimer::ViewChange);
            ctx.set_timer(VrTimer::Commit, self.config.commit_interval);
        } else {
            ctx.cancel_timer(VrTimer::Commit);
            self.reset_view_change_timer(ctx);
        }
    }

    // ---- 4.1 normal operation ------------------------------------------------------

    /// Section 4.1, step 2: the primary and the client table.
    fn primary_request(&mut self, request: ClientRequest, ctx: &mut Ctx<Self>) {
        let (client, request_number) = client_of(&request);
        if let Some(row) = self.client_table.get(&client).copied() {
            if request_number < row.request_number
                || (request_number == row.request_number && !row.executed)
            {
                ctx.emit(VrEvent::RequestDropped {
                    request,
                    latest: row.request_number,
                });
                return;
            }
            if request_number == row.request_number {
                ctx.emit(VrEvent::Replied {
                    client,
                    request_number,
                    resent: true,
                });
                return;
            }
        }
        // Step 3.
        self.op_number += 1;
        self.log.push(request);
        let op_number = self.op_number;
        self.client_table.insert(
            client,
            ClientRecord {
                request_number,
                op_number,
                executed: false,
            },
        );
        ctx.emit(VrEvent::Prepared {
            view: self.view,
            op_number,
            request,
        });
        self.broadcast(
            VrMessage::Prepare {
                view: self.view,
                request,
                op_number,
                commit_number: self.commit_number,
            },
            ctx,
        );
        self.try_commit(ctx);
    }

    /// Section 4.1, step 5: committed once `f` backups (with the primary, a
    /// quorum) have the operation.
    fn try_commit(&mut self, ctx: &mut Ctx<Self>) {
        let k = self.quorum().committed_index(|n| {
            if n == self.id {
                self.op_number
            } else {
                self.acked.get(&n).copied().unwrap_or(0)
            }
        });
        if k > self.commit_number {
            self.advance_commit(k, ctx);
        }
    }

    /// Section 4.1, step 4 (and 6 for `k`): a backup takes PREPAREs in order.
    fn backup_prepare(
        &mut self,
        from: NodeId,
        request: ClientRequest,
        op_number: OpNumber,
        commit_number: OpNumber,
        ctx: &mut Ctx<Self>,
    ) {
        self.reset_view_change_timer(ctx);
        if op_number == self.op_number + 1 {
            self.op_number += 1;
            self.log.push(request);
            let (client, request_number) = client_of(&request);
            self.client_table.insert(
                client,
                ClientRecord {
                    request_number,
                    op_number,
                    executed: false,
                },
            );
        } else if op_number > self.op_number + 1 {
            // A gap in this view: state transfer, first case (section 5.2).
            self.ask_state(self.view, self.op_number, from, ctx);
        }
        if op_number <= self.op_number {
            ctx.emit(VrEvent::PrepareOk {
                view: self.view,
                op_number: self.op_number,
            });
            ctx.send(
                from,
                VrMessage::PrepareOk {
                    view: self.view,
                    op_number: self.op_number,
                },
            );
        }
        self.advance_commit(commit_number, ctx);
    }

    /// Section 4.1, step 7: COMMIT(v, k) from the primary.
    fn backup_commit(&mut self, from: NodeId, commit_number: OpNumber, ctx: &mut Ctx<Self>) {
        self.reset_view_change_timer(ctx);
        if commit_number > self.op_number {
            self.ask_state(self.view, self.op_number, from, ctx);
        }
        self.advance_commit(commit_number, ctx);
    }

    // ---- 5.2 state transfer --------------------------------------------------------

    /// Sends GETSTATE(view, after) unless one is already awaited (its timer resends).
    fn ask_state(&mut self, view: View, after: OpNumber, to: NodeId, ctx: &mut Ctx<Self>) {
        if self
            .asked
            .is_some_and(|a| a.view >= view && a.after == after)
        {
            return;
        }
        self.asked = Some(StateRequest { view, after, to });
        ctx.emit(VrEvent::StateRequested { view, after, to });
        ctx.send(to, VrMessage::GetState { view, after });
        ctx.set_timer(VrTimer::GetState, self.config.state_transfer_retry);
    }

    /// A PREPARE or COMMIT of a later view (or of this view, while this
    /// replica still waits for its STARTVIEW): state transfer, second case.
    fn learn_of_later_view(&mut self, view: View, from: NodeId, ctx: &mut Ctx<Self>) {
        if self.config.literal_state_transfer {
            // Section 5.2 as written: "it sets its op-number to its
            // commit-number and removes all entries after this from its log",
            // and it is now in the later view. Unsafe: see the module documentation.
            self.log.truncate(self.commit_number as usize);
            self.op_number = self.commit_number;
            ctx.emit(VrEvent::LogTruncated {
                view,
                to: self.commit_number,
            });
            self.become_normal(view, ctx);
            self.rebuild_client_table();
            self.ask_state(view, self.op_number, from, ctx);
            return;
        }
        // The safe rule (Vanlightly, vsr-tlaplus commit 04108cf): keep the
        // log, the view-number and v′ until the NEWSTATE arrives; ask for
        // everything after the commit-number, which cannot have been reordered.
        if self.status == Status::StateTransfer && self.asked.is_some_and(|a| a.view >= view) {
            return;
        }
        ctx.cancel_timer(VrTimer::Commit);
        self.status = Status::StateTransfer;
        self.asked = None;
        self.ask_state(view, self.commit_number, from, ctx);
        self.reset_view_change_timer(ctx);
    }

    /// GETSTATE: answered only in normal status and in the view asked about.
    fn on_get_state(&mut self, from: NodeId, view: View, after: OpNumber, ctx: &mut Ctx<Self>) {
        if self.status != Status::Normal || self.view != view || self.op_number < after {
            return;
        }
        let log = self.log.iter_from(after as usize).copied().collect();
        ctx.send(
            from,
            VrMessage::NewState {
                view,
                after,
                log,
                op_number: self.op_number,
                commit_number: self.commit_number,
            },
        );
    }

    fn on_new_state(
        &mut self,
        view: View,
        after: OpNumber,
        log: Vec<ClientRequest>,
        op_number: OpNumber,
        commit_number: OpNumber,
        ctx: &mut Ctx<Self>,
    ) {
        let Some(asked) = self.asked else { return };
        let fits = match self.status {
            // The safe rule: the log after the commit-number is replaced and
            // the replica moves to the NEWSTATE's view.
            Status::StateTransfer => {
                view >= asked.view && view >= self.view && after == self.commit_number
            }
            // Behind in its own view (first case, and the literal rule's
            // second): what it has up to `after` is the same as the sender's.
            // An answer that does not reach past its op-number is stale (the
            // sender's log when it answered): taking it would cut off
            // operations this replica may have acknowledged.
            Status::Normal => {
                view == self.view && after <= self.op_number && op_number > self.op_number
            }
            Status::ViewChange | Status::Recovering => false,
        };
        if !fits || op_number < after + log.len() as OpNumber || op_number < self.commit_number {
            return;
        }
        self.log.truncate(after as usize);
        self.log.extend(log);
        self.op_number = op_number;
        if self.status == Status::StateTransfer || view != self.view {
            self.become_normal(view, ctx);
        } else {
            self.asked = None;
            ctx.cancel_timer(VrTimer::GetState);
        }
        self.rebuild_client_table();
        ctx.emit(VrEvent::StateTransferred {
            view,
            after,
            op_number,
        });
        self.advance_commit(commit_number, ctx);
        ctx.send(
            self.primary(),
            VrMessage::PrepareOk {
                view,
                op_number: self.op_number,
            },
        );
        ctx.emit(VrEvent::PrepareOk {
            view,
            op_number: self.op_number,
        });
    }

    // ---- 4.2 view change -----------------------------------------------------------

    /// Section 4.2, step 1.
    fn start_view_change(&mut self, view: View, why: ViewChangeReason, ctx: &mut Ctx<Self>) {
        self.view = view;
        self.status = Status::ViewChange;
        self.start_view_changes.clear();
        self.do_view_changes.clear();
        self.sent_do_view_change = false;
        self.acked.clear();
        self.asked = None;
        ctx.cancel_timer(VrTimer::Commit);
        ctx.cancel_timer(VrTimer::GetState);
        ctx.emit(VrEvent::ViewChangeStarted { view, why });
        self.broadcast(VrMessage::StartViewChange { view }, ctx);
        self.reset_view_change_timer(ctx);
        self.check_start_view_changes(ctx);
    }

    /// Section 4.2, step 2: with STARTVIEWCHANGE from `f` others, DOVIEWCHANGE.
    fn check_start_view_changes(&mut self, ctx: &mut Ctx<Self>) {
        let needed = self.quorum().threshold() - 1;
        if self.status != Status::ViewChange
            || self.sent_do_view_change
            || self.start_view_changes.len() < needed
        {
            return;
        }
        self.sent_do_view_change = true;
        let view = self.view;
        ctx.emit(VrEvent::DoViewChangeSent {
            view,
            last_normal_view: self.last_normal_view,
        });
        let primary = self.primary();
        if primary == self.id {
            let own = self.own_do_view_change();
            self.do_view_changes.insert(self.id, own);
            self.check_do_view_changes(ctx);
        } else {
            ctx.send(
                primary,
                VrMessage::DoViewChange {
                    view,
                    log: self.log.clone(),
                    last_normal_view: self.last_normal_view,
                    op_number: self.op_number,
                    commit_number: self.commit_number,
                },
            );
        }
    }

    fn own_do_view_change(&self) -> DoViewChange {
        DoViewChange {
            log: self.log.clone(),
            last_normal_view: self.last_normal_view,
            op_number: self.op_number,
            commit_number: self.commit_number,
        }
    }

    /// Section 4.2, step 3: with `f + 1` DOVIEWCHANGEs (its own among them)
    /// the new primary takes the log with the largest v′, then the largest n.
    fn check_do_view_changes(&mut self, ctx: &mut Ctx<Self>) {
        if self.status != Status::ViewChange
            || self.primary() != self.id
            || !self.do_view_changes.contains_key(&self.id)
            || !self
                .quorum()
                .is_quorum(|n| self.do_view_changes.contains_key(&n))
        {
            return;
        }
        // Ties go to the lowest replica number (any would do: same v′ and n, same log).
        let (&chosen_from, chosen) = self
            .do_view_changes
            .iter()
            .max_by(|a, b| {
                (a.1.last_normal_view, a.1.op_number)
                    .cmp(&(b.1.last_normal_view, b.1.op_number))
                    .then(b.0.cmp(a.0))
            })
            .expect("a quorum is never empty");
        let chosen = chosen.clone();
        let k = self
            .do_view_changes
            .values()
            .map(|d| d.commit_number)
            .max()
            .unwrap_or(0);
        self.log = chosen.log;
        self.op_number = chosen.op_number;
        let view = self.view;
        self.become_normal(view, ctx);
        self.rebuild_client_table();
        ctx.emit(VrEvent::BecamePrimary {
            view,
            op_number: self.op_number,
            commit_number: k,
            chosen_from,
        });
        self.broadcast(
            VrMessage::StartView {
                view,
                log: self.log.clone(),
                op_number: self.op_number,
                commit_number: k,
            },
            ctx,
        );
        self.advance_commit(k, ctx);
    }

    /// Section 4.2, step 5: a backup takes STARTVIEW.
    fn on_start_view(
        &mut self,
        view: View,
        log: Log,
        op_number: OpNumber,
        commit_number: OpNumber,
        ctx: &mut Ctx<Self>,
    ) {
        self.log = log;
        self.op_number = op_number;
        self.become_normal(view, ctx);
        self.rebuild_client_table();
        ctx.emit(VrEvent::StartedView { view, op_number });
        if op_number > commit_number {
            ctx.emit(VrEvent::PrepareOk { view, op_number });
            ctx.send(self.primary(), VrMessage::PrepareOk { view, op_number });
        }
        self.advance_commit(commit_number, ctx);
    }

    // ---- 4.3 recovery --------------------------------------------------------------

    /// Section 4.3, step 3: `f + 1` answers with this nonce, the primary's of
    /// the latest view they report among them.
    fn check_recovery(&mut self, ctx: &mut Ctx<Self>) {
        if self.recovery_responses.len() < self.quorum().threshold() {
            return;
        }
        let latest = self
            .recovery_responses
            .values()
            .map(|r| r.view)
            .max()
            .unwrap_or(0);
        let primary = primary_of(latest, self.cluster_size);
        let Some(state) = self
            .recovery_responses
            .get(&primary)
            .filter(|r| r.view == latest)
            .and_then(|r| r.primary.clone())
        else {
            return;
        };
        self.log = state.log;
        self.op_number = state.op_number;
        self.recovery_responses.clear();
        ctx.cancel_timer(VrTimer::Recovery);
        self.become_normal(latest, ctx);
        self.rebuild_client_table();
        ctx.emit(VrEvent::Recovered {
            view: latest,
            op_number: state.op_number,
            commit_number: state.commit_number,
            primary,
        });
        self.advance_commit(state.commit_number, ctx);
    }
}

impl Protocol for Vr {
    type Config = VrConfig;
    type Msg = VrMessage;
    type Timer = VrTimer;
    type Persistent = VrPersistent;
    type Event = VrEvent;

    const NAME: &'static str = "vr";

    fn start(
        id: NodeId,
        cluster_size: usize,
        config: &VrConfig,
        persisted: Option<VrPersistent>,
        ctx: &mut Ctx<Self>,
    ) -> Self {
        let recovering = persisted.is_some();
        // The nonce comes from the simulation's seeded RNG: a fresh one per
        // incarnation, so answers to an earlier recovery are not taken.
        let nonce = if recovering {
            ctx.random_range(1, u64::MAX)
        } else {
            0
        };
        let mut node = Vr {
            id,
            cluster_size,
            config: config.clone(),
            view: 0,
            status: if recovering {
                Status::Recovering
            } else {
                Status::Normal
            },
            log: Log::new(),
            op_number: 0,
            commit_number: 0,
            client_table: BTreeMap::new(),
            last_normal_view: 0,
            executed: 0,
            kv: KvStore::default(),
            acked: BTreeMap::new(),
            start_view_changes: BTreeSet::new(),
            do_view_changes: BTreeMap::new(),
            sent_do_view_change: false,
            nonce,
            recovery_responses: BTreeMap::new(),
            asked: None,
        };
        ctx.emit(VrEvent::Started { recovering, nonce });
        if recovering {
            // Section 4.3, step 1.
            node.broadcast(VrMessage::Recovery { nonce }, ctx);
            ctx.set_timer(VrTimer::Recovery, node.config.recovery_retry);
        } else {
            node.become_normal(0, ctx);
        }
        node
    }

    fn persistent(&self) -> VrPersistent {
        VrPersistent
    }

    fn on_message(&mut self, from: NodeId, msg: VrMessage, ctx: &mut Ctx<Self>) {
        if self.status == Status::Recovering {
            match msg {
                VrMessage::RecoveryResponse {
                    view,
                    nonce,
                    primary,
                } if nonce == self.nonce => {
                    self.recovery_responses
                        .insert(from, RecoveryResponse { view, primary });
                    self.check_recovery(ctx);
                }
                // A recovering replica takes part in nothing else (section 4.3).
                _ => {}
            }
            return;
        }
        match msg {
            VrMessage::Request { request } => {
                if self.is_primary() {
                    self.primary_request(request, ctx);
                } else {
                    ctx.emit(VrEvent::RequestRefused { request });
                }
            }
            VrMessage::Prepare {
                view,
                request,
                op_number,
                commit_number,
            } => {
                if view > self.view || (view == self.view && self.status != Status::Normal) {
                    self.learn_of_later_view(view, from, ctx);
                } else if view == self.view && !self.is_primary() {
                    self.backup_prepare(from, request, op_number, commit_number, ctx);
                }
            }
            VrMessage::Commit {
                view,
                commit_number,
            } => {
                if view > self.view || (view == self.view && self.status != Status::Normal) {
                    self.learn_of_later_view(view, from, ctx);
                } else if view == self.view && !self.is_primary() {
                    self.backup_commit(from, commit_number, ctx);
                }
            }
            VrMessage::PrepareOk { view, op_number } => {
                if self.is_primary() && view == self.view {
                    let acked = self.acked.entry(from).or_insert(0);
                    *acked = (*acked).max(op_number);
                    self.try_commit(ctx);
                }
            }
            VrMessage::StartViewChange { view } => {
                if view > self.view {
                    self.start_view_change(view, ViewChangeReason::Heard { from }, ctx);
                }
                if view == self.view && self.status == Status::ViewChange {
                    self.start_view_changes.insert(from);
                    self.check_start_view_changes(ctx);
                }
            }
            VrMessage::DoViewChange {
                view,
                log,
                last_normal_view,
                op_number,
                commit_number,
            } => {
                if view > self.view {
                    self.start_view_change(view, ViewChangeReason::Heard { from }, ctx);
                }
                if view == self.view
                    && self.status == Status::ViewChange
                    && self.primary() == self.id
                {
                    self.do_view_changes.insert(
                        from,
                        DoViewChange {
                            log,
                            last_normal_view,
                            op_number,
                            commit_number,
                        },
                    );
                    self.check_do_view_changes(ctx);
                }
            }
            VrMessage::StartView {
                view,
                log,
                op_number,
                commit_number,
            } => {
                if view > self.view || (view == self.view && self.status != Status::Normal) {
                    self.on_start_view(view, log, op_number, commit_number, ctx);
                }
            }
            VrMessage::Recovery { nonce } => {
                // Section 4.3, step 2: only a normal replica answers.
                if self.status == Status::Normal {
                    let primary = self.is_primary().then(|| PrimaryState {
                        log: self.log.clone(),
                        op_number: self.op_number,
                        commit_number: self.commit_number,
                    });
                    ctx.send(
                        from,
                        VrMessage::RecoveryResponse {
                            view: self.view,
                            nonce,
                            primary,
                        },
                    );
                }
            }
            VrMessage::RecoveryResponse { .. } => {}
            VrMessage::GetState { view, after } => self.on_get_state(from, view, after, ctx),
            VrMessage::NewState {
                view,
                after,
                log,
                op_number,
                commit_number,
            } => self.on_new_state(view, after, log, op_number, commit_number, ctx),
        }
    }

    fn on_timer(&mut self, timer: VrTimer, ctx: &mut Ctx<Self>) {
        match timer {
            VrTimer::ViewChange => {
                let next = match self.status {
                    Status::Normal if self.primary() != self.id => self.view + 1,
                    Status::ViewChange => self.view + 1,
                    Status::StateTransfer => self.view.max(self.asked.map_or(0, |a| a.view)) + 1,
                    Status::Normal | Status::Recovering => return,
                };
                self.start_view_change(next, ViewChangeReason::Timeout, ctx);
            }
            VrTimer::Commit => {
                if !self.is_primary() {
                    return;
                }
                let view = self.view;
                for n in self.others() {
                    ctx.send(
                        n,
                        VrMessage::Commit {
                            view,
                            commit_number: self.commit_number,
                        },
                    );
                    let acked = self.acked.get(&n).copied().unwrap_or(0);
                    let first = acked.max(self.commit_number) + 1;
                    let last = self
                        .op_number
                        .min(first + self.config.resend_batch as u64 - 1);
                    for op_number in first..=last {
                        ctx.send(
                            n,
                            VrMessage::Prepare {
                                view,
                                request: self.log[op_number as usize - 1],
                                op_number,
                                commit_number: self.commit_number,
                            },
                        );
                    }
                }
                ctx.set_timer(VrTimer::Commit, self.config.commit_interval);
            }
            VrTimer::Recovery => {
                if self.status == Status::Recovering {
                    self.broadcast(VrMessage::Recovery { nonce: self.nonce }, ctx);
                    ctx.set_timer(VrTimer::Recovery, self.config.recovery_retry);
                }
            }
            VrTimer::GetState => {
                let Some(asked) = self.asked else { return };
                if !matches!(self.status, Status::Normal | Status::StateTransfer) {
                    return;
                }
                // Ask the next replica: the one asked may be down or behind.
                let mut to = (asked.to + 1) % self.cluster_size;
                if to == self.id {
                    to = (to + 1) % self.cluster_size;
                }
                self.asked = Some(StateRequest { to, ..asked });
                ctx.emit(VrEvent::StateRequested {
                    view: asked.view,
                    after: asked.after,
                    to,
                });
                ctx.send(
                    to,
                    VrMessage::GetState {
                        view: asked.view,
                        after: asked.after,
                    },
                );
                ctx.set_timer(VrTimer::GetState, self.config.state_transfer_retry);
            }
        }
    }

    fn on_client_request(&mut self, request: ClientRequest, ctx: &mut Ctx<Self>) {
        if self.is_primary() {
            self.primary_request(request, ctx);
        } else if self.status == Status::Normal {
            // Section 4.1, step 1: clients send to the primary; a backup redirects.
            let to = self.primary();
            ctx.emit(VrEvent::RequestForwarded { request, to });
            ctx.send(to, VrMessage::Request { request });
        } else {
            ctx.emit(VrEvent::RequestRefused { request });
        }
    }

    fn forced_timer(&self) -> Option<VrTimer> {
        match self.status {
            Status::Recovering => Some(VrTimer::Recovery),
            _ if self.is_primary() => None,
            _ => Some(VrTimer::ViewChange),
        }
    }
}

//! One Paxos server: a proposer, an acceptor or a learner.

use super::{
    Ballot, PaxosConfig, PaxosEvent, PaxosMessage, PaxosPersistent, PaxosRole, PaxosTimer,
    PrepareReason, Value,
};
use crate::kv::ClientRequest;
use crate::protocol::{Ctx, Protocol};
use crate::quorum::Quorum;
use crate::NodeId;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Where a proposer is in the protocol.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProposerPhase {
    /// Not proposing: no value yet, backing off, or done.
    Idle,
    /// Phase 1: Prepare(ballot) sent; the promises so far, each with what
    /// that acceptor had accepted.
    Preparing {
        ballot: Ballot,
        promises: BTreeMap<NodeId, Option<(Ballot, Value)>>,
    },
    /// Phase 2: Accept(ballot, value) sent; the acceptors that accepted it so far.
    Accepting {
        ballot: Ballot,
        value: Value,
        accepted: BTreeSet<NodeId>,
    },
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Paxos {
    pub id: NodeId,
    pub cluster_size: usize,
    pub config: PaxosConfig,
    pub role: PaxosRole,
    // Acceptor, persistent.
    pub promised: Option<Ballot>,
    pub accepted: Option<(Ballot, Value)>,
    // Proposer: `round` is persistent, the rest is not.
    pub round: u64,
    /// The value this proposer was asked to propose.
    pub value: Option<Value>,
    pub phase: ProposerPhase,
    /// Backing off after a refusal: its number that was refused, and the
    /// higher one the acceptor had promised.
    pub refused: Option<(Ballot, Ballot)>,
    // Proposer and learner.
    /// The chosen value, once this server knows it.
    pub learned: Option<Value>,
    /// A learner: for each proposal, its value and the acceptors known to have accepted it.
    pub tallies: BTreeMap<Ballot, (Value, BTreeSet<NodeId>)>,
}

impl Paxos {
    fn learners(&self) -> std::ops::Range<NodeId> {
        self.config.proposers + self.config.acceptors..self.cluster_size
    }

    /// The proposal number this proposer is working on, if any.
    pub fn ballot(&self) -> Option<Ballot> {
        match &self.phase {
            ProposerPhase::Idle => None,
            ProposerPhase::Preparing { ballot, .. } | ProposerPhase::Accepting { ballot, .. } => {
                Some(*ballot)
            }
        }
    }

    /// Why this proposer's retry timer starts phase 1 again now.
    fn retry_reason(&self) -> PrepareReason {
        match (&self.phase, self.refused) {
            (ProposerPhase::Preparing { ballot, .. }, _) => {
                PrepareReason::NoPromises { ballot: *ballot }
            }
            (ProposerPhase::Accepting { ballot, .. }, _) => {
                PrepareReason::NoAccepts { ballot: *ballot }
            }
            (ProposerPhase::Idle, Some((ballot, by))) => PrepareReason::Refused { ballot, by },
            // Idle with a value is backing off after a refusal; nothing else
            // arms the timer there.
            (ProposerPhase::Idle, None) => PrepareReason::Request,
        }
    }

    /// Phase 1: a new proposal number, above any this proposer has used (and
    /// any it has been told of), sent to every acceptor.
    fn prepare(&mut self, why: PrepareReason, ctx: &mut Ctx<Self>) {
        self.refused = None;
        self.round += 1;
        let ballot = Ballot {
            round: self.round,
            proposer: self.id,
        };
        self.phase = ProposerPhase::Preparing {
            ballot,
            promises: BTreeMap::new(),
        };
        ctx.emit(PaxosEvent::Prepared { ballot, why });
        for a in self.config.acceptor_ids() {
            ctx.send(a, PaxosMessage::Prepare { ballot });
        }
        ctx.set_timer(PaxosTimer::Retry, self.config.phase_timeout);
    }

    fn on_promise(
        &mut self,
        from: NodeId,
        ballot: Ballot,
        accepted: Option<(Ballot, Value)>,
        ctx: &mut Ctx<Self>,
    ) {
        let ProposerPhase::Preparing {
            ballot: mine,
            promises,
        } = &mut self.phase
        else {
            return;
        };
        if *mine != ballot {
            return; // A promise for an earlier attempt.
        }
        promises.insert(from, accepted);
        if !self
            .config
            .acceptor_quorum()
            .is_quorum(|a| promises.contains_key(&a))
        {
            return;
        }
        // The value of the highest-numbered proposal among the promises, or our own.
        let highest = promises.values().flatten().max_by_key(|(b, _)| *b).copied();
        let Some((value, adopted)) = highest
            .map(|(_, v)| (v, true))
            .or(self.value.map(|v| (v, false)))
        else {
            return;
        };
        self.phase = ProposerPhase::Accepting {
            ballot,
            value,
            accepted: BTreeSet::new(),
        };
        ctx.emit(PaxosEvent::AcceptSent {
            ballot,
            value,
            adopted,
        });
        for a in self.config.acceptor_ids() {
            ctx.send(a, PaxosMessage::Accept { ballot, value });
        }
        ctx.set_timer(PaxosTimer::Retry, self.config.phase_timeout);
    }

    fn on_accepted(&mut self, from: NodeId, ballot: Ballot, value: Value, ctx: &mut Ctx<Self>) {
        match self.role {
            PaxosRole::Proposer => {
                let ProposerPhase::Accepting {
                    ballot: mine,
                    accepted,
                    ..
                } = &mut self.phase
                else {
                    return;
                };
                if *mine != ballot {
                    return;
                }
                accepted.insert(from);
                if self
                    .config
                    .acceptor_quorum()
                    .is_quorum(|a| accepted.contains(&a))
                {
                    self.phase = ProposerPhase::Idle;
                    self.learn(value, ctx);
                    ctx.cancel_timer(PaxosTimer::Retry);
                }
            }
            PaxosRole::Learner => {
                let (_, who) = self
                    .tallies
                    .entry(ballot)
                    .or_insert_with(|| (value, BTreeSet::new()));
                who.insert(from);
                if self
                    .config
                    .acceptor_quorum()
                    .is_quorum(|a| who.contains(&a))
                    && self.learned.is_none()
                {
                    self.learn(value, ctx);
                    ctx.cancel_timer(PaxosTimer::Poll);
                }
            }
            PaxosRole::Acceptor => {}
        }
    }

    fn learn(&mut self, value: Value, ctx: &mut Ctx<Self>) {
        if self.learned.is_none() {
            self.learned = Some(value);
            ctx.emit(PaxosEvent::Learned { value });
        }
    }

    fn on_nack(&mut self, ballot: Ballot, promised: Ballot, ctx: &mut Ctx<Self>) {
        if self.ballot() != Some(ballot) {
            return;
        }
        // Retry above the number that pre-empted us, after a random back-off.
        self.round = self.round.max(promised.round);
        self.phase = ProposerPhase::Idle;
        self.refused = Some((ballot, promised));
        ctx.emit(PaxosEvent::Preempted {
            ballot,
            by: promised,
        });
        let wait = ctx.random_range(self.config.backoff_min, self.config.backoff_max);
        ctx.set_timer(PaxosTimer::Retry, wait);
    }

    /// An acceptor may answer a Prepare or an Accept numbered `ballot`: it
    /// has promised nothing higher (section 2.2, P1a).
    fn may_answer(&self, ballot: Ballot) -> bool {
        self.promised.is_none_or(|p| ballot >= p)
    }

    fn refuse(&self, to: NodeId, ballot: Ballot, ctx: &mut Ctx<Self>) {
        let promised = self.promised.expect("refused only below a promise");
        ctx.emit(PaxosEvent::Refused { ballot, promised });
        ctx.send(to, PaxosMessage::Nack { ballot, promised });
    }
}

impl Protocol for Paxos {
    type Config = PaxosConfig;
    type Msg = PaxosMessage;
    type Timer = PaxosTimer;
    type Persistent = PaxosPersistent;
    type Event = PaxosEvent;

    const NAME: &'static str = "paxos";

    fn start(
        id: NodeId,
        cluster_size: usize,
        config: &PaxosConfig,
        persisted: Option<PaxosPersistent>,
        ctx: &mut Ctx<Self>,
    ) -> Self {
        let recovered = persisted.is_some();
        let disk = persisted.unwrap_or_default();
        let node = Paxos {
            id,
            cluster_size,
            config: config.clone(),
            role: config.role_of(id),
            promised: disk.promised,
            accepted: disk.accepted,
            round: disk.round,
            value: None,
            phase: ProposerPhase::Idle,
            refused: None,
            learned: None,
            tallies: BTreeMap::new(),
        };
        ctx.emit(PaxosEvent::Started { recovered });
        if node.role == PaxosRole::Learner {
            ctx.set_timer(PaxosTimer::Poll, config.learner_poll);
        }
        node
    }

    fn persistent(&self) -> PaxosPersistent {
        PaxosPersistent {
            promised: self.promised,
            accepted: self.accepted,
            round: self.round,
        }
    }

    fn on_message(&mut self, from: NodeId, msg: PaxosMessage, ctx: &mut Ctx<Self>) {
        match (self.role, msg) {
            (PaxosRole::Acceptor, PaxosMessage::Prepare { ballot }) => {
                if !self.may_answer(ballot) {
                    return self.refuse(from, ballot, ctx);
                }
                // P1a: promise not to accept anything numbered below `ballot`.
                self.promised = Some(ballot);
                let accepted = self.accepted;
                ctx.emit(PaxosEvent::Promised { ballot, accepted });
                ctx.send(from, PaxosMessage::Promise { ballot, accepted });
            }
            (PaxosRole::Acceptor, PaxosMessage::Accept { ballot, value }) => {
                if !self.may_answer(ballot) {
                    return self.refuse(from, ballot, ctx);
                }
                self.promised = Some(ballot);
                self.accepted = Some((ballot, value));
                ctx.emit(PaxosEvent::Accepted { ballot, value });
                ctx.send(from, PaxosMessage::Accepted { ballot, value });
                for l in self.learners() {
                    ctx.send(l, PaxosMessage::Accepted { ballot, value });
                }
            }
            (PaxosRole::Acceptor, PaxosMessage::Query) => {
                if let Some((ballot, value)) = self.accepted {
                    ctx.send(from, PaxosMessage::Accepted { ballot, value });
                }
            }
            (PaxosRole::Proposer, PaxosMessage::Promise { ballot, accepted }) => {
                self.on_promise(from, ballot, accepted, ctx)
            }
            (PaxosRole::Proposer, PaxosMessage::Nack { ballot, promised }) => {
                self.on_nack(ballot, promised, ctx)
            }
            (_, PaxosMessage::Accepted { ballot, value }) => {
                self.on_accepted(from, ballot, value, ctx)
            }
            // Anything else is not for this role (a stray or duplicated message).
            _ => {}
        }
    }

    fn on_timer(&mut self, timer: PaxosTimer, ctx: &mut Ctx<Self>) {
        match timer {
            PaxosTimer::Retry => {
                if self.role == PaxosRole::Proposer
                    && self.learned.is_none()
                    && self.value.is_some()
                {
                    self.prepare(self.retry_reason(), ctx);
                }
            }
            PaxosTimer::Poll => {
                if self.role == PaxosRole::Learner && self.learned.is_none() {
                    for a in self.config.acceptor_ids() {
                        ctx.send(a, PaxosMessage::Query);
                    }
                    ctx.set_timer(PaxosTimer::Poll, self.config.learner_poll);
                }
            }
        }
    }

    fn on_client_request(&mut self, request: ClientRequest, ctx: &mut Ctx<Self>) {
        if self.role != PaxosRole::Proposer {
            ctx.emit(PaxosEvent::RequestRefused { value: request });
            return;
        }
        ctx.emit(PaxosEvent::ValueReceived { value: request });
        if self.value.is_none() {
            self.value = Some(request);
        }
        if self.learned.is_none() && self.phase == ProposerPhase::Idle {
            self.prepare(PrepareReason::Request, ctx);
        }
    }

    fn forced_timer(&self) -> Option<PaxosTimer> {
        match self.role {
            PaxosRole::Proposer if self.learned.is_none() && self.value.is_some() => {
                Some(PaxosTimer::Retry)
            }
            PaxosRole::Learner if self.learned.is_none() => Some(PaxosTimer::Poll),
            _ => None,
        }
    }
}

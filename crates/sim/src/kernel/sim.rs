//! The simulation: its clock, RNG, nodes, network and trace, stepping through
//! the event queue and carrying out user commands.

use super::error::err;
use super::event::timer_set;
use super::network::{Envelope, Links, MsgId, NetworkConfig};
use super::queue::{pairs, EventQueue, Scheduled};
use super::rng::SimRng;
use super::trace;
use super::{
    ArmedTimer, Command, DropReason, EventOf, NodeSlot, NodeState, NodeStatus, RecordedCommand,
    SimError, SimErrorKind, SimEvent, TimedEvent,
};
use crate::chunked::ChunkedVec;
use crate::kv::{ClientRequest, KvOp};
use crate::protocol::{Ctx, Protocol, TimerOp};
use crate::{NodeId, Time};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest cluster the core accepts (the page offers 3 to 9).
/// A state's place in its run ([`Sim::position`]).
pub type Position = (u64, usize);

pub const MAX_NODES: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SimConfig<C> {
    pub nodes: usize,
    pub seed: u64,
    pub network: NetworkConfig,
    pub protocol: C,
}

impl<C: Default> SimConfig<C> {
    pub fn new(nodes: usize, seed: u64) -> Self {
        SimConfig {
            nodes,
            seed,
            network: NetworkConfig::default(),
            protocol: C::default(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Sim<P: Protocol> {
    config: SimConfig<P::Config>,
    now: Time,
    rng: SimRng,
    pub(super) nodes: Vec<NodeSlot<P>>,
    queue: EventQueue<P::Timer>,
    pub(super) in_flight: BTreeMap<MsgId, Envelope<P::Msg>>,
    network: NetworkConfig,
    pub(super) links: Links,
    /// The latest delivery time scheduled on each link, to keep ordered links in order.
    #[serde(with = "pairs")]
    link_clock: BTreeMap<(NodeId, NodeId), Time>,
    next_msg_id: MsgId,
    events_processed: u64,
    trace_hash: u64,
    /// Every command so far: chunked, so the copies a timeline keeps share it.
    commands: ChunkedVec<RecordedCommand>,
}

impl<P: Protocol> Sim<P> {
    /// Starts a run: every node starts fresh at time 0.
    pub fn new(config: SimConfig<P::Config>) -> Result<Self, SimError> {
        if config.nodes == 0 || config.nodes > MAX_NODES {
            return err(SimErrorKind::ClusterSize {
                nodes: config.nodes,
            });
        }
        config
            .network
            .validate()
            .map_err(|e| SimError::from(SimErrorKind::Network(e)))?;
        let mut sim = Sim {
            now: 0,
            rng: SimRng::from_seed(config.seed),
            nodes: Vec::with_capacity(config.nodes),
            queue: EventQueue::new(),
            in_flight: BTreeMap::new(),
            network: config.network.clone(),
            links: Links::default(),
            link_clock: BTreeMap::new(),
            next_msg_id: 1,
            events_processed: 0,
            trace_hash: trace::EMPTY,
            commands: ChunkedVec::new(),
            config,
        };
        let mut events = Vec::new();
        for id in 0..sim.config.nodes {
            let mut ctx = Ctx::new(0, id, &mut sim.rng);
            let node = P::start(id, sim.config.nodes, &sim.config.protocol, None, &mut ctx);
            let out = Outputs::take(ctx);
            sim.nodes.push(NodeSlot {
                id,
                state: NodeState::Up(node),
                timers: BTreeMap::new(),
            });
            sim.absorb(id, out, &mut events);
        }
        sim.record(&events);
        Ok(sim)
    }

    /// Rebuilds a run from its configuration and recorded commands.
    pub fn replay<'a>(
        config: SimConfig<P::Config>,
        commands: impl IntoIterator<Item = &'a RecordedCommand>,
    ) -> Result<Self, SimError> {
        let mut sim = Sim::new(config)?;
        for (i, c) in commands.into_iter().enumerate() {
            sim.replay_one(c).map_err(|e| {
                SimError::from(SimErrorKind::Replay {
                    number: i + 1,
                    command: Box::new(c.command.clone()),
                    reason: Box::new(e.1),
                })
            })?;
        }
        Ok(sim)
    }

    /// Runs forward to where `c` was applied, then applies it.
    pub fn replay_one(&mut self, c: &RecordedCommand) -> Result<Vec<EventOf<P>>, SimError> {
        if c.after_events < self.events_processed || c.at < self.now {
            return err(SimErrorKind::RecordedOutOfOrder);
        }
        while self.events_processed < c.after_events {
            if self.step().is_none() {
                return err(SimErrorKind::NoEventsLeft);
            }
        }
        if c.at < self.now || self.next_event_time().is_some_and(|t| t < c.at) {
            return err(SimErrorKind::NotAfterEvent {
                at: c.at,
                after_events: c.after_events,
            });
        }
        self.now = c.at;
        self.apply(c.command.clone())
    }

    pub fn config(&self) -> &SimConfig<P::Config> {
        &self.config
    }
    pub fn now(&self) -> Time {
        self.now
    }
    pub fn nodes(&self) -> &[NodeSlot<P>] {
        &self.nodes
    }
    pub fn node(&self, id: NodeId) -> Option<&NodeSlot<P>> {
        self.nodes.get(id)
    }
    /// Messages in flight, in id (= send) order.
    pub fn in_flight(&self) -> impl Iterator<Item = &Envelope<P::Msg>> {
        self.in_flight.values()
    }
    pub fn message(&self, id: MsgId) -> Option<&Envelope<P::Msg>> {
        self.in_flight.get(&id)
    }
    pub fn network(&self) -> &NetworkConfig {
        &self.network
    }
    pub fn links(&self) -> &Links {
        &self.links
    }
    pub fn commands(&self) -> &ChunkedVec<RecordedCommand> {
        &self.commands
    }
    pub fn events_processed(&self) -> u64 {
        self.events_processed
    }
    /// Where this state is in its run: (events processed, commands
    /// applied). Along one history every state has a later position than
    /// the states before it, including states at the same virtual time.
    pub fn position(&self) -> Position {
        (self.events_processed, self.commands.len())
    }
    /// A digest of every event so far; equal runs have equal hashes.
    pub fn trace_hash(&self) -> u64 {
        self.trace_hash
    }
    /// The trace hash as 16 hex digits, as the page shows it.
    pub fn trace_hash_hex(&self) -> String {
        format!("{:016x}", self.trace_hash)
    }
    /// A request id no earlier command has used.
    pub fn next_request_id(&self) -> u64 {
        self.commands
            .iter()
            .filter_map(|c| match &c.command {
                Command::ClientRequest { request, .. } => Some(request.id),
                _ => None,
            })
            .max()
            .map_or(1, |m| m + 1)
    }

    /// A new client request with `op` and an id no earlier command has used.
    pub fn new_request(&self, op: KvOp) -> ClientRequest {
        ClientRequest {
            id: self.next_request_id(),
            op,
        }
    }

    pub fn next_event_time(&self) -> Option<Time> {
        self.queue.next_time()
    }

    /// Processes the next event in the queue, moving the clock to its time.
    /// Returns what happened, or `None` if nothing is scheduled.
    pub fn step(&mut self) -> Option<Vec<EventOf<P>>> {
        let (time, scheduled) = self.queue.pop()?;
        self.now = time;
        let mut events = Vec::new();
        match scheduled {
            Scheduled::Deliver { id } => self.deliver(id, &mut events),
            Scheduled::Timer { node, timer } => {
                self.nodes[node].timers.remove(&timer);
                self.fire_timer(node, timer, false, &mut events);
            }
        }
        self.events_processed += 1;
        self.record(&events);
        Some(events)
    }

    /// Processes every event scheduled at or before `until`, then sets the clock to `until`.
    pub fn advance_to(&mut self, until: Time) -> Vec<EventOf<P>> {
        let mut events = Vec::new();
        while self.next_event_time().is_some_and(|t| t <= until) {
            events.extend(self.step().unwrap_or_default());
        }
        self.now = self.now.max(until);
        events
    }

    /// Applies a user command at the current virtual time and records it.
    pub fn apply(&mut self, command: Command) -> Result<Vec<EventOf<P>>, SimError> {
        self.check(&command)?;
        self.commands.push(RecordedCommand {
            at: self.now,
            after_events: self.events_processed,
            command: command.clone(),
        });
        let mut events = Vec::new();
        let now = self.now;
        match command {
            Command::DropMessage { id } => {
                let env = self.in_flight.remove(&id).expect("checked");
                self.queue.remove_delivery(id);
                events.push(TimedEvent {
                    time: now,
                    event: SimEvent::MessageDropped {
                        id,
                        from: env.from,
                        to: env.to,
                        reason: DropReason::User,
                    },
                });
            }
            Command::Crash { node } => {
                let persisted = self.nodes[node].persistent();
                for t in std::mem::take(&mut self.nodes[node].timers).into_values() {
                    self.queue.remove(t.deadline, t.seq);
                }
                self.nodes[node].state = NodeState::Crashed(persisted);
                events.push(TimedEvent {
                    time: now,
                    event: SimEvent::NodeCrashed { node },
                });
                let lost: Vec<MsgId> = self
                    .in_flight
                    .values()
                    .filter(|e| e.to == node)
                    .map(|e| e.id)
                    .collect();
                for id in lost {
                    let env = self.in_flight.remove(&id).expect("listed");
                    self.queue.remove_delivery(id);
                    events.push(TimedEvent {
                        time: now,
                        event: SimEvent::MessageDropped {
                            id,
                            from: env.from,
                            to: node,
                            reason: DropReason::ReceiverCrashed,
                        },
                    });
                }
            }
            Command::Restart { node } => {
                let NodeState::Crashed(persisted) = &self.nodes[node].state else {
                    unreachable!("checked")
                };
                let persisted = persisted.clone();
                events.push(TimedEvent {
                    time: now,
                    event: SimEvent::NodeRestarted { node },
                });
                let mut ctx = Ctx::new(now, node, &mut self.rng);
                let started = P::start(
                    node,
                    self.config.nodes,
                    &self.config.protocol,
                    Some(persisted),
                    &mut ctx,
                );
                let out = Outputs::take(ctx);
                self.nodes[node].state = NodeState::Up(started);
                self.absorb(node, out, &mut events);
            }
            Command::Timeout { node } => {
                let timer = self.nodes[node]
                    .up()
                    .and_then(P::forced_timer)
                    .expect("checked");
                self.disarm(node, timer);
                self.fire_timer(node, timer, true, &mut events);
            }
            Command::ClientRequest { node, request } => {
                events.push(TimedEvent {
                    time: now,
                    event: SimEvent::ClientRequestSubmitted { node, request },
                });
                self.with_node(node, &mut events, |p, ctx| {
                    p.on_client_request(request, ctx)
                });
            }
            Command::CutLink { from, to } => {
                self.links.cut(from, to);
                events.push(TimedEvent {
                    time: now,
                    event: SimEvent::LinkCut { from, to },
                });
            }
            Command::HealLink { from, to } => {
                self.links.heal(from, to);
                events.push(TimedEvent {
                    time: now,
                    event: SimEvent::LinkHealed { from, to },
                });
            }
            Command::HealAll => {
                let cut: Vec<_> = self.links.cut_links().collect();
                self.links.heal_all();
                for (from, to) in cut {
                    events.push(TimedEvent {
                        time: now,
                        event: SimEvent::LinkHealed { from, to },
                    });
                }
            }
            Command::SetNetwork { network } => {
                self.network = network.clone();
                events.push(TimedEvent {
                    time: now,
                    event: SimEvent::NetworkChanged { network },
                });
            }
            Command::DuplicateMessage { id } => {
                let original = self.in_flight.get(&id).expect("checked");
                let latency = self
                    .rng
                    .range_inclusive(self.network.latency_min, self.network.latency_max);
                let copy = Envelope {
                    id: self.next_msg_id,
                    from: original.from,
                    to: original.to,
                    sent_at: original.sent_at,
                    deliver_at: now + latency,
                    payload: original.payload.clone(),
                };
                self.next_msg_id += 1;
                // Not held to the link's order: a duplicate is the network misbehaving.
                self.queue
                    .push(copy.deliver_at, Scheduled::Deliver { id: copy.id });
                self.in_flight.insert(copy.id, copy.clone());
                events.push(TimedEvent {
                    time: now,
                    event: SimEvent::MessageDuplicated {
                        original: id,
                        envelope: copy,
                    },
                });
            }
            Command::DelayMessage { id, by } => {
                let env = self.in_flight.get_mut(&id).expect("checked");
                let old = env.deliver_at;
                env.deliver_at = old + by;
                let (from, to, deliver_at) = (env.from, env.to, env.deliver_at);
                self.queue.remove_delivery(id);
                // The link's clock stays: later messages may now overtake this one.
                self.queue.push(deliver_at, Scheduled::Deliver { id });
                events.push(TimedEvent {
                    time: now,
                    event: SimEvent::MessageDelayed {
                        id,
                        from,
                        to,
                        deliver_at,
                    },
                });
            }
            Command::Isolate { node } => {
                let links = self.links_of(node);
                self.set_links(&links, true, &mut events);
            }
            Command::Rejoin { node } => {
                let links = self.links_of(node);
                self.set_links(&links, false, &mut events);
            }
            Command::Partition { side } => {
                let links = self.links_across(&side);
                self.set_links(&links, true, &mut events);
            }
            Command::AlignTimers => {
                let armed = self.armed_forced_timers();
                let deadline = armed.iter().map(|a| a.2).min().expect("checked");
                events.push(TimedEvent {
                    time: now,
                    event: SimEvent::TimersAligned {
                        nodes: armed.iter().map(|a| a.0).collect(),
                        deadline,
                    },
                });
                // Every one is queued again, in node order, so at the shared
                // deadline they fire in node order whichever was set first.
                for (node, timer, old) in armed {
                    self.move_timer(node, timer, deadline);
                    if old != deadline {
                        events.push(timer_set(now, node, timer, deadline));
                    }
                }
            }
            Command::SpreadTimers => {
                let mut armed = self.armed_forced_timers();
                armed.sort_by_key(|&(node, _, deadline)| (deadline, node));
                let first = armed[0].2.max(now + 1);
                let spacing = 2 * self.network.latency_max + 1;
                events.push(TimedEvent {
                    time: now,
                    event: SimEvent::TimersSpread {
                        nodes: armed.iter().map(|a| a.0).collect(),
                        first,
                        spacing,
                    },
                });
                for (i, (node, timer, old)) in armed.into_iter().enumerate() {
                    let deadline = first + i as Time * spacing;
                    if old != deadline {
                        self.move_timer(node, timer, deadline);
                        events.push(timer_set(now, node, timer, deadline));
                    }
                }
            }
            Command::TransferLeadership { node, to } => {
                self.with_node(node, &mut events, |p, ctx| {
                    p.on_transfer_leadership(to, ctx)
                });
            }
            Command::MakeByzantine { node, behaviour } => {
                self.with_node(node, &mut events, |p, ctx| {
                    p.on_turn_byzantine(behaviour, ctx)
                });
            }
        }
        self.record(&events);
        Ok(events)
    }

    /// Every directed link to and from `node`.
    pub(super) fn links_of(&self, node: NodeId) -> Vec<(NodeId, NodeId)> {
        (0..self.nodes.len())
            .filter(|&other| other != node)
            .flat_map(|other| [(node, other), (other, node)])
            .collect()
    }

    /// Every directed link between a server in `side` and one outside it.
    fn links_across(&self, side: &[NodeId]) -> Vec<(NodeId, NodeId)> {
        let outside: Vec<NodeId> = (0..self.nodes.len())
            .filter(|n| !side.contains(n))
            .collect();
        side.iter()
            .flat_map(|&a| outside.iter().flat_map(move |&b| [(a, b), (b, a)]))
            .collect()
    }

    /// Cuts (or heals) the given links, with an event for each that changes.
    fn set_links(&mut self, links: &[(NodeId, NodeId)], cut: bool, events: &mut Vec<EventOf<P>>) {
        let now = self.now;
        for &(from, to) in links {
            if self.links.is_cut(from, to) == cut {
                continue;
            }
            let event = if cut {
                self.links.cut(from, to);
                SimEvent::LinkCut { from, to }
            } else {
                self.links.heal(from, to);
                SimEvent::LinkHealed { from, to }
            };
            events.push(TimedEvent { time: now, event });
        }
    }

    /// Running servers whose protocol timer (the one `Timeout` fires) is
    /// armed, in node order: (node, timer, deadline).
    pub(super) fn armed_forced_timers(&self) -> Vec<(NodeId, P::Timer, Time)> {
        self.nodes
            .iter()
            .filter_map(|slot| {
                let timer = slot.up().and_then(P::forced_timer)?;
                let armed = slot.timers.get(&timer)?;
                Some((slot.id, timer, armed.deadline))
            })
            .collect()
    }

    /// Moves an armed timer to `deadline`, keeping when it was set. It is
    /// queued again with a new sequence number, so among events at the same
    /// time it now runs after those already queued.
    fn move_timer(&mut self, node: NodeId, timer: P::Timer, deadline: Time) {
        let set_at = self.nodes[node].timers[&timer].set_at;
        self.arm(node, timer, set_at, deadline);
    }

    /// Arms `timer` of `node` to fire at `deadline`, replacing the armed one
    /// if any, so its queue entry and the node's `timers` stay in step.
    fn arm(&mut self, node: NodeId, timer: P::Timer, set_at: Time, deadline: Time) {
        self.disarm(node, timer);
        let seq = self.queue.push(deadline, Scheduled::Timer { node, timer });
        self.nodes[node].timers.insert(
            timer,
            ArmedTimer {
                set_at,
                deadline,
                seq,
            },
        );
    }

    /// Disarms `timer` of `node` if it is armed.
    fn disarm(&mut self, node: NodeId, timer: P::Timer) {
        if let Some(old) = self.nodes[node].timers.remove(&timer) {
            self.queue.remove(old.deadline, old.seq);
        }
    }

    fn deliver(&mut self, id: MsgId, events: &mut Vec<EventOf<P>>) {
        let env = self
            .in_flight
            .remove(&id)
            .expect("a scheduled delivery has its envelope");
        let (from, to) = (env.from, env.to);
        let reason = if self.nodes[to].status() == NodeStatus::Crashed {
            Some(DropReason::ReceiverCrashed)
        } else if self.links.is_cut(from, to) {
            Some(DropReason::LinkCut)
        } else if self.rng.chance_per_mille(self.network.loss_per_mille) {
            Some(DropReason::Loss)
        } else {
            None
        };
        let time = self.now;
        if let Some(reason) = reason {
            events.push(TimedEvent {
                time,
                event: SimEvent::MessageDropped {
                    id,
                    from,
                    to,
                    reason,
                },
            });
            return;
        }
        events.push(TimedEvent {
            time,
            event: SimEvent::MessageDelivered { id, from, to },
        });
        self.with_node(to, events, |p, ctx| p.on_message(from, env.payload, ctx));
    }

    fn fire_timer(
        &mut self,
        node: NodeId,
        timer: P::Timer,
        forced: bool,
        events: &mut Vec<EventOf<P>>,
    ) {
        events.push(TimedEvent {
            time: self.now,
            event: SimEvent::TimerFired {
                node,
                timer,
                forced,
            },
        });
        self.with_node(node, events, |p, ctx| p.on_timer(timer, ctx));
    }

    /// Runs a handler on a running node and carries out what it asked for.
    fn with_node(
        &mut self,
        node: NodeId,
        events: &mut Vec<EventOf<P>>,
        f: impl FnOnce(&mut P, &mut Ctx<P>),
    ) {
        let NodeState::Up(p) = &mut self.nodes[node].state else {
            return;
        };
        let mut ctx = Ctx::new(self.now, node, &mut self.rng);
        f(p, &mut ctx);
        let out = Outputs::take(ctx);
        self.absorb(node, out, events);
    }

    fn absorb(&mut self, node: NodeId, out: Outputs<P>, events: &mut Vec<EventOf<P>>) {
        let now = self.now;
        // Protocol events first: they explain the messages and timers that follow.
        for event in out.events {
            events.push(TimedEvent {
                time: now,
                event: SimEvent::Protocol { node, event },
            });
        }
        for op in out.timers {
            match op {
                TimerOp::Set { timer, after } => {
                    let deadline = now + after;
                    self.arm(node, timer, now, deadline);
                    events.push(timer_set(now, node, timer, deadline));
                }
                TimerOp::Cancel { timer } => self.disarm(node, timer),
            }
        }
        for (to, payload) in out.outbox {
            let id = self.next_msg_id;
            self.next_msg_id += 1;
            let latency = self
                .rng
                .range_inclusive(self.network.latency_min, self.network.latency_max);
            let mut deliver_at = now + latency;
            if self.network.ordered {
                // Never before an earlier message on this link; equal times keep send order.
                let last = self.link_clock.entry((node, to)).or_insert(0);
                deliver_at = deliver_at.max(*last);
                *last = deliver_at;
            }
            let envelope = Envelope {
                id,
                from: node,
                to,
                sent_at: now,
                deliver_at,
                payload,
            };
            self.queue
                .push(envelope.deliver_at, Scheduled::Deliver { id });
            self.in_flight.insert(id, envelope.clone());
            events.push(TimedEvent {
                time: now,
                event: SimEvent::MessageSent { envelope },
            });
        }
    }

    fn record(&mut self, events: &[EventOf<P>]) {
        for e in events {
            self.trace_hash = trace::chain(self.trace_hash, e);
        }
    }
}

/// What a handler asked for, detached from the borrow of the RNG.
struct Outputs<P: Protocol> {
    outbox: Vec<(NodeId, P::Msg)>,
    timers: Vec<TimerOp<P::Timer>>,
    events: Vec<P::Event>,
}

impl<P: Protocol> Outputs<P> {
    fn take(ctx: Ctx<'_, P>) -> Self {
        Outputs {
            outbox: ctx.outbox,
            timers: ctx.timers,
            events: ctx.events,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node_name;
    use crate::raft::Raft;
    use crate::MS;

    fn cluster(nodes: usize, seed: u64) -> Sim<Raft> {
        Sim::new(SimConfig::new(nodes, seed)).unwrap()
    }

    /// The queue holds exactly the armed timers, each under its own key, and
    /// one delivery for each message in flight.
    fn assert_consistent(sim: &Sim<Raft>) {
        let mut timers = 0;
        for slot in &sim.nodes {
            for (&timer, armed) in &slot.timers {
                assert_eq!(
                    sim.queue.get(armed.deadline, armed.seq),
                    Some(&Scheduled::Timer {
                        node: slot.id,
                        timer
                    }),
                    "{} {timer:?}",
                    node_name(slot.id)
                );
                timers += 1;
            }
        }
        let deliveries: Vec<(Time, MsgId)> = sim
            .queue
            .iter()
            .filter_map(|(&(time, _), s)| match *s {
                Scheduled::Deliver { id } => Some((time, id)),
                Scheduled::Timer { .. } => None,
            })
            .collect();
        assert_eq!(sim.queue.len(), timers + deliveries.len());
        let expected: Vec<(Time, MsgId)> = sim.in_flight().map(|e| (e.deliver_at, e.id)).collect();
        let mut sorted = deliveries.clone();
        sorted.sort_by_key(|d| d.1);
        assert_eq!(sorted, expected);
    }

    /// Runs until some messages are in flight.
    fn with_messages(seed: u64) -> Sim<Raft> {
        let mut sim = cluster(3, seed);
        sim.apply(Command::Timeout { node: 0 }).unwrap();
        assert!(sim.in_flight().count() >= 2);
        sim
    }

    #[test]
    fn duplicate_and_delay_keep_the_queue_in_step_and_leave_the_link_clock_alone() {
        let mut sim = with_messages(1);
        let clock = sim.link_clock.clone();
        let id = sim.in_flight().next().unwrap().id;
        let before = sim.message(id).unwrap().clone();
        let events = sim.apply(Command::DuplicateMessage { id }).unwrap();
        let SimEvent::MessageDuplicated { original, envelope } = &events[0].event else {
            panic!("{events:?}")
        };
        assert_eq!(*original, id);
        let latency = envelope.deliver_at - sim.now();
        let net = sim.network();
        assert!((net.latency_min..=net.latency_max).contains(&latency));
        assert_consistent(&sim);
        sim.apply(Command::DelayMessage { id, by: 300 * MS })
            .unwrap();
        assert_eq!(
            sim.message(id).unwrap().deliver_at,
            before.deliver_at + 300 * MS
        );
        assert_consistent(&sim);
        assert_eq!(sim.link_clock, clock, "faults do not move a link's clock");
    }

    #[test]
    fn aligned_timers_fire_in_node_order_whichever_was_set_first() {
        for seed in 0..10 {
            let mut sim = cluster(5, seed);
            let events = sim.apply(Command::AlignTimers).unwrap();
            let SimEvent::TimersAligned { nodes, deadline } = &events[0].event else {
                panic!("{events:?}")
            };
            assert_eq!(&nodes[..], &[0, 1, 2, 3, 4]);
            // One of them already had the deadline: no TimerSet for it.
            assert_eq!(events.len(), 1 + 4, "seed {seed}");
            assert_consistent(&sim);
            let mut fired = Vec::new();
            while fired.len() < 5 {
                for e in sim.step().unwrap() {
                    if let SimEvent::TimerFired { node, .. } = e.event {
                        assert_eq!(e.time, *deadline);
                        fired.push(node);
                    }
                }
            }
            assert_eq!(fired, [0, 1, 2, 3, 4], "seed {seed}");
        }
    }

    #[test]
    fn spread_timers_keep_the_first_deadline_and_when_each_was_set() {
        let mut sim = cluster(4, 7);
        let before: Vec<ArmedTimer> = sim
            .nodes
            .iter()
            .map(|s| s.timers[&crate::raft::RaftTimer::Election])
            .collect();
        let events = sim.apply(Command::SpreadTimers).unwrap();
        let SimEvent::TimersSpread {
            nodes,
            first,
            spacing,
        } = events[0].event.clone()
        else {
            panic!("{events:?}")
        };
        assert_eq!(spacing, 2 * sim.network().latency_max + 1);
        assert_eq!(first, before.iter().map(|t| t.deadline).min().unwrap());
        for (i, &n) in nodes.iter().enumerate() {
            let t = sim.nodes[n].timers[&crate::raft::RaftTimer::Election];
            assert_eq!(t.deadline, first + i as Time * spacing);
            assert_eq!(t.set_at, before[n].set_at);
        }
        assert_eq!(events.len(), 1 + 3, "the first keeps its deadline");
        assert_consistent(&sim);
    }
}

//! The discrete-event world: a virtual clock, an ordered event queue, the
//! seeded RNG, the nodes, the network, user commands and the trace.
//!
//! Events are ordered by `(time, sequence number)`, so two events at the same
//! virtual time always run in the order they were scheduled. The simulation
//! keeps no copy of its history: the trace is folded into [`Sim::trace_hash`]
//! as it happens and handed to the caller, and a run can be rebuilt from its
//! configuration and [`Sim::commands`] with [`Sim::replay`].

use crate::kv::{ClientRequest, KvOp};
use crate::network::{Envelope, Links, MsgId, NetworkConfig, NetworkError};
use crate::protocol::{Ctx, Protocol, TimerOp};
use crate::rng::SimRng;
use crate::{node_name, trace, NodeId, Time};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest cluster the core accepts (the page offers 3 to 9).
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

/// Something a user (or a test acting as one) does to the run.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Command {
    /// Drop one message in flight.
    DropMessage { id: MsgId },
    /// Crash a node: its timers stop, its volatile state is lost, messages to it are lost.
    Crash { node: NodeId },
    /// Restart a crashed node from what it persisted.
    Restart { node: NodeId },
    /// Fire the node's protocol timer now (for Raft, its election timeout).
    Timeout { node: NodeId },
    /// A client submits a request to a node. The client picks the request's
    /// id; a retry reuses it, and the state machine applies it once.
    ClientRequest {
        node: NodeId,
        request: ClientRequest,
    },
    /// Cut the directed link `from → to`.
    CutLink { from: NodeId, to: NodeId },
    /// Restore the directed link `from → to`.
    HealLink { from: NodeId, to: NodeId },
    /// Restore every link.
    HealAll,
    /// Change latency and loss from now on.
    SetNetwork { network: NetworkConfig },
    /// The network delivers a second copy of a message in flight. The copy
    /// travels with a fresh latency and may arrive before the original.
    DuplicateMessage { id: MsgId },
    /// Hold a message in flight back by `by` µs. Later messages on its link
    /// are not held back with it, so they can overtake it.
    DelayMessage { id: MsgId, by: Time },
    /// Cut every link to and from `node`.
    Isolate { node: NodeId },
    /// Heal every link to and from `node`.
    Rejoin { node: NodeId },
    /// Split the cluster in two: cut every link between a server in `side`
    /// and one outside it, both ways.
    Partition { side: Vec<NodeId> },
    /// Give every armed protocol timer (Raft: election timer) of a running
    /// server the earliest of their deadlines, so those servers time out at
    /// once, in node order (for Raft, a split vote).
    AlignTimers,
    /// Space the armed protocol timers a round trip (2 × the largest latency,
    /// plus 1 µs) apart, earliest first, so one server times out alone and
    /// can win before the next one fires.
    SpreadTimers,
}

/// The most a message can be held back by [`Command::DelayMessage`]: 10 s.
pub const MAX_DELAY: Time = 10_000_000;

/// A command as it was applied: at virtual time `at`, after the run had
/// processed `after_events` events. Both are needed to replay it exactly,
/// since several events can share one virtual time.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RecordedCommand {
    pub at: Time,
    pub after_events: u64,
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DropReason {
    /// A user dropped it.
    User,
    /// Random loss (the network's loss rate).
    Loss,
    /// The link from sender to receiver was cut when it arrived.
    LinkCut,
    /// The receiver was crashed.
    ReceiverCrashed,
}

/// Everything that happens in a run, in order. Generic over the protocol's
/// message, timer and event types (see [`EventOf`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SimEvent<M, T, E> {
    MessageSent {
        envelope: Envelope<M>,
    },
    MessageDelivered {
        id: MsgId,
        from: NodeId,
        to: NodeId,
    },
    MessageDropped {
        id: MsgId,
        from: NodeId,
        to: NodeId,
        reason: DropReason,
    },
    TimerSet {
        node: NodeId,
        timer: T,
        deadline: Time,
    },
    TimerFired {
        node: NodeId,
        timer: T,
        forced: bool,
    },
    NodeCrashed {
        node: NodeId,
    },
    NodeRestarted {
        node: NodeId,
    },
    ClientRequestSubmitted {
        node: NodeId,
        request: ClientRequest,
    },
    LinkCut {
        from: NodeId,
        to: NodeId,
    },
    LinkHealed {
        from: NodeId,
        to: NodeId,
    },
    NetworkChanged {
        network: NetworkConfig,
    },
    Protocol {
        node: NodeId,
        event: E,
    },
    // Later variants go last: the trace hash covers each variant's position.
    /// A copy of message `original` was put in flight as `envelope`.
    MessageDuplicated {
        original: MsgId,
        envelope: Envelope<M>,
    },
    /// A message in flight will now arrive at `deliver_at`.
    MessageDelayed {
        id: MsgId,
        from: NodeId,
        to: NodeId,
        deliver_at: Time,
    },
    /// The armed protocol timers of `nodes` (in node order) were all given
    /// `deadline` ([`Command::AlignTimers`]); a `TimerSet` follows for each
    /// one that moved.
    TimersAligned {
        nodes: Vec<NodeId>,
        deadline: Time,
    },
    /// The armed protocol timers of `nodes` were spaced out in that order:
    /// the i-th fires at `first + i × spacing` ([`Command::SpreadTimers`]);
    /// a `TimerSet` follows for each one that moved.
    TimersSpread {
        nodes: Vec<NodeId>,
        first: Time,
        spacing: Time,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimedEvent<M, T, E> {
    pub time: Time,
    pub event: SimEvent<M, T, E>,
}

/// The event type of a simulation of protocol `P`.
pub type EventOf<P> =
    TimedEvent<<P as Protocol>::Msg, <P as Protocol>::Timer, <P as Protocol>::Event>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NodeStatus {
    Up,
    Crashed,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(bound = "")]
pub enum NodeState<P: Protocol> {
    Up(P),
    /// A crashed node keeps only what it persisted.
    Crashed(P::Persistent),
}

/// A timer that is armed: when it was set and when it fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ArmedTimer {
    pub set_at: Time,
    pub deadline: Time,
    seq: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct NodeSlot<P: Protocol> {
    pub id: NodeId,
    pub state: NodeState<P>,
    pub timers: BTreeMap<P::Timer, ArmedTimer>,
}

impl<P: Protocol> NodeSlot<P> {
    pub fn status(&self) -> NodeStatus {
        match self.state {
            NodeState::Up(_) => NodeStatus::Up,
            NodeState::Crashed(_) => NodeStatus::Crashed,
        }
    }
    /// The running node, or `None` if it is crashed.
    pub fn up(&self) -> Option<&P> {
        match &self.state {
            NodeState::Up(p) => Some(p),
            NodeState::Crashed(_) => None,
        }
    }
    /// What the node has on stable storage (for a running node, what it would keep if it crashed now).
    pub fn persistent(&self) -> P::Persistent {
        match &self.state {
            NodeState::Up(p) => p.persistent(),
            NodeState::Crashed(s) => s.clone(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
enum Scheduled<T> {
    Deliver { id: MsgId },
    Timer { node: NodeId, timer: T },
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Sim<P: Protocol> {
    config: SimConfig<P::Config>,
    now: Time,
    rng: SimRng,
    nodes: Vec<NodeSlot<P>>,
    /// Keyed by (time, sequence): the order events run in.
    #[serde(with = "pairs")]
    queue: BTreeMap<(Time, u64), Scheduled<P::Timer>>,
    in_flight: BTreeMap<MsgId, Envelope<P::Msg>>,
    network: NetworkConfig,
    links: Links,
    /// The latest delivery time scheduled on each link, to keep ordered links in order.
    #[serde(with = "pairs")]
    link_clock: BTreeMap<(NodeId, NodeId), Time>,
    next_seq: u64,
    next_msg_id: MsgId,
    events_processed: u64,
    trace_hash: u64,
    commands: Vec<RecordedCommand>,
}

/// Why a command or a replay could not be carried out: the reason, which a
/// page words in its own language (`.1`, [`SimError::kind`]), and its English
/// wording (`.0`, what `Display` shows), kept as text for the callers that
/// read or pass it on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimError(pub String, pub SimErrorKind);

impl SimError {
    pub fn kind(&self) -> &SimErrorKind {
        &self.1
    }
}

impl From<SimErrorKind> for SimError {
    fn from(kind: SimErrorKind) -> Self {
        SimError(kind.to_string(), kind)
    }
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for SimError {}

/// Every reason the simulation refuses a run, a command or a replay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimErrorKind {
    /// A cluster has 1 to [`MAX_NODES`] nodes.
    ClusterSize {
        nodes: usize,
    },
    Network(NetworkError),
    NoSuchNode {
        node: NodeId,
        nodes: usize,
    },
    /// The message arrived or was lost.
    MessageGone {
        id: MsgId,
    },
    AlreadyCrashed {
        node: NodeId,
    },
    /// Only a crashed node can restart.
    NotCrashed {
        node: NodeId,
    },
    /// A crashed node has no timer to force.
    Crashed {
        node: NodeId,
    },
    /// A running node with no timeout to force (a leader, an acceptor).
    NoTimeout {
        node: NodeId,
    },
    /// A crashed node cannot take a client's request.
    CrashedRequest {
        node: NodeId,
    },
    LinkToItself,
    /// A delay is more than 0 and at most [`MAX_DELAY`].
    DelayOutOfRange {
        by: Time,
    },
    /// Isolating the only node of a cluster.
    NoLinks,
    AlreadyIsolated {
        node: NodeId,
    },
    /// Rejoining a node none of whose links is cut.
    AlreadyConnected {
        node: NodeId,
    },
    /// A split names a server twice.
    NamedTwice,
    /// A split leaves one side empty.
    OneSided,
    /// Aligning or spreading timers needs two armed.
    TooFewTimers,
    /// Replay: a command recorded before the one before it.
    RecordedOutOfOrder,
    /// Replay: the run ran out of events before the command's moment.
    NoEventsLeft,
    /// Replay: the command's time is not after the event it follows.
    NotAfterEvent {
        at: Time,
        after_events: u64,
    },
    /// Replay: command `number` (from 1) of a recording could not be replayed.
    Replay {
        number: usize,
        command: Box<Command>,
        reason: Box<SimErrorKind>,
    },
}

impl std::fmt::Display for SimErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use SimErrorKind::*;
        match self {
            ClusterSize { nodes } => write!(f, "a cluster has 1 to {MAX_NODES} nodes, not {nodes}"),
            Network(e) => write!(f, "{e}"),
            NoSuchNode { node, nodes } => {
                write!(f, "there is no node {} in a cluster of {nodes}", node + 1)
            }
            MessageGone { id } => write!(f, "message {id} is no longer in flight"),
            AlreadyCrashed { node } => write!(f, "{} is already crashed", node_name(*node)),
            NotCrashed { node } => write!(
                f,
                "{} is running; only a crashed node can restart",
                node_name(*node)
            ),
            Crashed { node } => write!(f, "{} is crashed", node_name(*node)),
            NoTimeout { node } => write!(
                f,
                "{} has no timeout to fire: a leader has no election timer, and a Paxos acceptor or idle proposer has none at all",
                node_name(*node)
            ),
            CrashedRequest { node } => write!(
                f,
                "{} is crashed and cannot take a request",
                node_name(*node)
            ),
            LinkToItself => f.write_str("a node has no link to itself"),
            DelayOutOfRange { by } => write!(
                f,
                "a delay is more than 0 and at most {} ms, not {by} µs",
                MAX_DELAY / 1000
            ),
            NoLinks => f.write_str("a cluster of one has no links to cut"),
            AlreadyIsolated { node } => write!(f, "{} is already isolated", node_name(*node)),
            AlreadyConnected { node } => {
                write!(f, "every link of {} is up already", node_name(*node))
            }
            NamedTwice => f.write_str("a server is named twice in the split"),
            OneSided => f.write_str("a split needs at least one server on each side"),
            TooFewTimers => f.write_str("fewer than two running servers have a timeout armed"),
            RecordedOutOfOrder => f.write_str("it is recorded earlier than the command before it"),
            NoEventsLeft => f.write_str("the run has no events left before it"),
            NotAfterEvent { at, after_events } => write!(
                f,
                "its time {at} µs does not fall after event {after_events}"
            ),
            Replay {
                number,
                command,
                reason,
            } => write!(f, "command {number} ({command:?}): {reason}"),
        }
    }
}

fn err<T>(kind: SimErrorKind) -> Result<T, SimError> {
    Err(kind.into())
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
            queue: BTreeMap::new(),
            in_flight: BTreeMap::new(),
            network: config.network.clone(),
            links: Links::default(),
            link_clock: BTreeMap::new(),
            next_seq: 0,
            next_msg_id: 1,
            events_processed: 0,
            trace_hash: trace::EMPTY,
            commands: Vec::new(),
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
    pub fn replay(
        config: SimConfig<P::Config>,
        commands: &[RecordedCommand],
    ) -> Result<Self, SimError> {
        let mut sim = Sim::new(config)?;
        for (i, c) in commands.iter().enumerate() {
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
    pub fn commands(&self) -> &[RecordedCommand] {
        &self.commands
    }
    pub fn events_processed(&self) -> u64 {
        self.events_processed
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
        self.queue.keys().next().map(|k| k.0)
    }

    /// Processes the next event in the queue, moving the clock to its time.
    /// Returns what happened, or `None` if nothing is scheduled.
    pub fn step(&mut self) -> Option<Vec<EventOf<P>>> {
        let ((time, _), scheduled) = self.queue.pop_first()?;
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
                self.queue.retain(|_, s| *s != Scheduled::Deliver { id });
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
                    self.queue.remove(&(t.deadline, t.seq));
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
                    self.queue.retain(|_, s| *s != Scheduled::Deliver { id });
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
                let seq = self.next_seq();
                self.queue
                    .insert((copy.deliver_at, seq), Scheduled::Deliver { id: copy.id });
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
                self.queue.retain(|_, s| *s != Scheduled::Deliver { id });
                // The link's clock stays: later messages may now overtake this one.
                let seq = self.next_seq();
                self.queue
                    .insert((deliver_at, seq), Scheduled::Deliver { id });
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
        }
        self.record(&events);
        Ok(events)
    }

    /// Why `command` cannot be applied now, if it cannot.
    pub fn check(&self, command: &Command) -> Result<(), SimError> {
        let node_ok = |n: NodeId| -> Result<&NodeSlot<P>, SimError> {
            self.nodes.get(n).ok_or_else(|| {
                SimError::from(SimErrorKind::NoSuchNode {
                    node: n,
                    nodes: self.nodes.len(),
                })
            })
        };
        match command {
            Command::DropMessage { id } => {
                if !self.in_flight.contains_key(id) {
                    return err(SimErrorKind::MessageGone { id: *id });
                }
            }
            Command::Crash { node } => {
                if node_ok(*node)?.status() == NodeStatus::Crashed {
                    return err(SimErrorKind::AlreadyCrashed { node: *node });
                }
            }
            Command::Restart { node } => {
                if node_ok(*node)?.status() == NodeStatus::Up {
                    return err(SimErrorKind::NotCrashed { node: *node });
                }
            }
            Command::Timeout { node } => match node_ok(*node)?.up() {
                None => return err(SimErrorKind::Crashed { node: *node }),
                Some(p) if p.forced_timer().is_none() => {
                    return err(SimErrorKind::NoTimeout { node: *node })
                }
                Some(_) => {}
            },
            Command::ClientRequest { node, .. } => {
                if node_ok(*node)?.status() == NodeStatus::Crashed {
                    return err(SimErrorKind::CrashedRequest { node: *node });
                }
            }
            Command::CutLink { from, to } | Command::HealLink { from, to } => {
                node_ok(*from)?;
                node_ok(*to)?;
                if from == to {
                    return err(SimErrorKind::LinkToItself);
                }
            }
            Command::HealAll => {}
            Command::SetNetwork { network } => network
                .validate()
                .map_err(|e| SimError::from(SimErrorKind::Network(e)))?,
            Command::DuplicateMessage { id } => {
                if !self.in_flight.contains_key(id) {
                    return err(SimErrorKind::MessageGone { id: *id });
                }
            }
            Command::DelayMessage { id, by } => {
                if !self.in_flight.contains_key(id) {
                    return err(SimErrorKind::MessageGone { id: *id });
                }
                if *by == 0 || *by > MAX_DELAY {
                    return err(SimErrorKind::DelayOutOfRange { by: *by });
                }
            }
            Command::Isolate { node } => {
                node_ok(*node)?;
                let links = self.links_of(*node);
                if links.is_empty() {
                    return err(SimErrorKind::NoLinks);
                }
                if links.iter().all(|&(a, b)| self.links.is_cut(a, b)) {
                    return err(SimErrorKind::AlreadyIsolated { node: *node });
                }
            }
            Command::Rejoin { node } => {
                node_ok(*node)?;
                if !self
                    .links_of(*node)
                    .iter()
                    .any(|&(a, b)| self.links.is_cut(a, b))
                {
                    return err(SimErrorKind::AlreadyConnected { node: *node });
                }
            }
            Command::Partition { side } => {
                for &n in side {
                    node_ok(n)?;
                }
                let mut sorted = side.clone();
                sorted.sort_unstable();
                sorted.dedup();
                if sorted.len() != side.len() {
                    return err(SimErrorKind::NamedTwice);
                }
                if side.is_empty() || side.len() >= self.nodes.len() {
                    return err(SimErrorKind::OneSided);
                }
            }
            Command::AlignTimers | Command::SpreadTimers => {
                if self.armed_forced_timers().len() < 2 {
                    return err(SimErrorKind::TooFewTimers);
                }
            }
        }
        Ok(())
    }

    /// Every directed link to and from `node`.
    fn links_of(&self, node: NodeId) -> Vec<(NodeId, NodeId)> {
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
    fn armed_forced_timers(&self) -> Vec<(NodeId, P::Timer, Time)> {
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
        let seq = self.next_seq();
        self.queue
            .insert((deadline, seq), Scheduled::Timer { node, timer });
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
            self.queue.remove(&(old.deadline, old.seq));
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
            let seq = self.next_seq();
            self.queue
                .insert((envelope.deliver_at, seq), Scheduled::Deliver { id });
            self.in_flight.insert(id, envelope.clone());
            events.push(TimedEvent {
                time: now,
                event: SimEvent::MessageSent { envelope },
            });
        }
    }

    fn next_seq(&mut self) -> u64 {
        let s = self.next_seq;
        self.next_seq += 1;
        s
    }

    fn record(&mut self, events: &[EventOf<P>]) {
        for e in events {
            self.trace_hash = trace::chain(self.trace_hash, e);
        }
    }
}

fn timer_set<M, T, E>(time: Time, node: NodeId, timer: T, deadline: Time) -> TimedEvent<M, T, E> {
    TimedEvent {
        time,
        event: SimEvent::TimerSet {
            node,
            timer,
            deadline,
        },
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

/// Serializes a map with tuple keys as a list of pairs (JSON allows only string keys).
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raft::{Raft, RaftConfig};
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
                    sim.queue.get(&(armed.deadline, armed.seq)),
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
            assert_eq!(nodes, &[0, 1, 2, 3, 4]);
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

    #[test]
    fn check_names_the_problem() {
        let mut sim = with_messages(2);
        let msg = |c: Command, sim: &Sim<Raft>| sim.check(&c).unwrap_err().0;
        assert_eq!(
            msg(Command::Isolate { node: 6 }, &sim),
            "there is no node 7 in a cluster of 3"
        );
        assert_eq!(
            msg(Command::DuplicateMessage { id: 999 }, &sim),
            "message 999 is no longer in flight"
        );
        let id = sim.in_flight().next().unwrap().id;
        assert_eq!(
            msg(Command::DelayMessage { id, by: 0 }, &sim),
            "a delay is more than 0 and at most 10000 ms, not 0 µs"
        );
        assert!(sim
            .check(&Command::DelayMessage { id, by: MAX_DELAY })
            .is_ok());
        assert_eq!(
            msg(Command::Rejoin { node: 1 }, &sim),
            "every link of S2 is up already"
        );
        assert_eq!(
            msg(Command::Partition { side: vec![1, 1] }, &sim),
            "a server is named twice in the split"
        );
        assert_eq!(
            msg(Command::Partition { side: vec![] }, &sim),
            "a split needs at least one server on each side"
        );
        sim.apply(Command::Crash { node: 1 }).unwrap();
        sim.apply(Command::Crash { node: 2 }).unwrap();
        assert_eq!(
            msg(Command::AlignTimers, &sim),
            "fewer than two running servers have a timeout armed"
        );
        let one: Sim<Raft> = cluster(1, 1);
        assert_eq!(
            msg(Command::Isolate { node: 0 }, &one),
            "a cluster of one has no links to cut"
        );
    }

    #[test]
    fn a_refusal_carries_its_reason_and_the_reasons_english_wording() {
        let mut sim = with_messages(2);
        let e = sim.check(&Command::Isolate { node: 6 }).unwrap_err();
        assert_eq!(e.kind(), &SimErrorKind::NoSuchNode { node: 6, nodes: 3 });
        assert_eq!(e.to_string(), e.kind().to_string());
        sim.apply(Command::Crash { node: 1 }).unwrap();
        let e = sim.check(&Command::Crash { node: 1 }).unwrap_err();
        assert_eq!(e.kind(), &SimErrorKind::AlreadyCrashed { node: 1 });
        let bad = NetworkConfig {
            loss_per_mille: 1001,
            ..NetworkConfig::default()
        };
        let e = sim
            .check(&Command::SetNetwork { network: bad })
            .unwrap_err();
        assert_eq!(
            e.kind(),
            &SimErrorKind::Network(NetworkError::LossAboveAll { per_mille: 1001 })
        );
        assert_eq!(e.0, "loss 1001‰ is more than 1000‰");
    }

    #[test]
    fn a_replay_names_the_command_it_failed_at_and_why() {
        let config = SimConfig::<RaftConfig>::new(3, 1);
        let crash = |after_events| RecordedCommand {
            at: 0,
            after_events,
            command: Command::Crash { node: 1 },
        };
        let e = Sim::<Raft>::replay(config, &[crash(0), crash(0)]).unwrap_err();
        assert_eq!(
            e.kind(),
            &SimErrorKind::Replay {
                number: 2,
                command: Box::new(Command::Crash { node: 1 }),
                reason: Box::new(SimErrorKind::AlreadyCrashed { node: 1 }),
            }
        );
        assert_eq!(e.0, "command 2 (Crash { node: 1 }): S2 is already crashed");
    }
}

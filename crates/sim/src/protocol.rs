//! The one trait a consensus protocol implements to run in the simulation.
//!
//! A protocol node is a "sans-I/O" state machine: it never touches a clock, a
//! socket or a random source of its own. The kernel hands it a [`Ctx`] with the
//! virtual time and the simulation's RNG; the node writes what it wants done
//! (messages to send, timers to set, events to report) into the context, and
//! the kernel carries it out after the handler returns.

use crate::kernel::rng::SimRng;
use crate::kernel::Behaviour;
use crate::kv::ClientRequest;
use crate::{NodeId, Time};
use serde::{de::DeserializeOwned, Serialize};
use std::fmt::Debug;
use std::hash::Hash;

/// What the view needs to know about any message, whatever the protocol.
pub trait MessageMeta {
    /// A short, stable name of the message type, e.g. `"RequestVote"`.
    fn kind(&self) -> &'static str;
    /// True for a reply to a request (drawn differently from requests).
    fn is_reply(&self) -> bool;
    /// The sender's term or ballot, for labels; `None` if the message has none.
    fn term(&self) -> Option<u64> {
        None
    }
}

pub trait Protocol: Clone + Debug + Serialize + DeserializeOwned + Sized {
    /// Protocol-wide settings (timeouts and the like).
    type Config: Clone + Debug + Default + PartialEq + Hash + Serialize + DeserializeOwned;
    type Msg: Clone + Debug + PartialEq + Hash + Serialize + DeserializeOwned + MessageMeta;
    /// The kinds of timer a node can have armed; at most one of each kind at a time.
    type Timer: Copy + Debug + Ord + Hash + Serialize + DeserializeOwned;
    /// What survives a crash (written to stable storage before replying, as the paper requires).
    type Persistent: Clone + Debug + PartialEq + Serialize + DeserializeOwned;
    /// Protocol-level events for the trace and the view (role changes, commits, ...).
    type Event: Clone + Debug + PartialEq + Hash + Serialize + DeserializeOwned;

    /// The protocol's short name, as in `?algo=`.
    const NAME: &'static str;

    /// Starts a node, fresh (`persisted` is `None`) or after a crash with what it persisted.
    fn start(
        id: NodeId,
        cluster_size: usize,
        config: &Self::Config,
        persisted: Option<Self::Persistent>,
        ctx: &mut Ctx<Self>,
    ) -> Self;

    /// The state this node keeps on stable storage.
    fn persistent(&self) -> Self::Persistent;

    fn on_message(&mut self, from: NodeId, msg: Self::Msg, ctx: &mut Ctx<Self>);

    fn on_timer(&mut self, timer: Self::Timer, ctx: &mut Ctx<Self>);

    fn on_client_request(&mut self, request: ClientRequest, ctx: &mut Ctx<Self>);

    /// The timer a user's "Time out" fires early, if the node has one armed.
    fn forced_timer(&self) -> Option<Self::Timer>;

    /// Whether this node can hand its leadership to `target` now (Raft's
    /// leadership transfer, thesis 3.10). A protocol without one keeps the
    /// default: never.
    fn can_transfer_leadership(&self, _target: NodeId) -> bool {
        false
    }

    /// Starts handing leadership to `target`; called only when
    /// [`Protocol::can_transfer_leadership`] says it can.
    fn on_transfer_leadership(&mut self, _target: NodeId, _ctx: &mut Ctx<Self>) {}

    /// Whether this node can be turned Byzantine with `behaviour` now
    /// (PBFT's servers that lie). A protocol that assumes no liars keeps
    /// the default: never.
    fn can_turn_byzantine(&self, _behaviour: Behaviour) -> bool {
        false
    }

    /// Turns this node Byzantine; called only when
    /// [`Protocol::can_turn_byzantine`] says it can.
    fn on_turn_byzantine(&mut self, _behaviour: Behaviour, _ctx: &mut Ctx<Self>) {}
}

/// A timer instruction collected from a handler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimerOp<T> {
    /// Arm (or re-arm) the timer to fire `after` microseconds from now.
    Set {
        timer: T,
        after: Time,
    },
    Cancel {
        timer: T,
    },
}

/// What a handler sees of the world, and where it writes its output.
pub struct Ctx<'a, P: Protocol> {
    pub now: Time,
    pub id: NodeId,
    rng: &'a mut SimRng,
    pub(crate) outbox: Vec<(NodeId, P::Msg)>,
    pub(crate) timers: Vec<TimerOp<P::Timer>>,
    pub(crate) events: Vec<P::Event>,
}

impl<'a, P: Protocol> Ctx<'a, P> {
    pub fn new(now: Time, id: NodeId, rng: &'a mut SimRng) -> Self {
        Ctx {
            now,
            id,
            rng,
            outbox: Vec::new(),
            timers: Vec::new(),
            events: Vec::new(),
        }
    }

    pub fn send(&mut self, to: NodeId, msg: P::Msg) {
        self.outbox.push((to, msg));
    }

    pub fn set_timer(&mut self, timer: P::Timer, after: Time) {
        self.timers.push(TimerOp::Set { timer, after });
    }

    pub fn cancel_timer(&mut self, timer: P::Timer) {
        self.timers.push(TimerOp::Cancel { timer });
    }

    pub fn emit(&mut self, event: P::Event) {
        self.events.push(event);
    }

    /// A uniform draw in `low..=high` from the simulation's seeded RNG.
    pub fn random_range(&mut self, low: u64, high: u64) -> u64 {
        self.rng.range_inclusive(low, high)
    }

    /// Messages queued so far (for tests of a single handler).
    pub fn outbox(&self) -> &[(NodeId, P::Msg)] {
        &self.outbox
    }
    pub fn timer_ops(&self) -> &[TimerOp<P::Timer>] {
        &self.timers
    }
    pub fn events(&self) -> &[P::Event] {
        &self.events
    }
}

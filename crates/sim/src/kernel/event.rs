//! What happens in a run: every event, in order, as the trace records it.
//!
//! The trace hash covers every variant's position and every field, so these
//! types change only by adding variants at the end.

use super::network::{Envelope, MsgId, NetworkConfig};
use crate::kv::ClientRequest;
use crate::protocol::Protocol;
use crate::{NodeId, Time};
use serde::{Deserialize, Serialize};

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

/// A `TimerSet` event.
pub(super) fn timer_set<M, T, E>(
    time: Time,
    node: NodeId,
    timer: T,
    deadline: Time,
) -> TimedEvent<M, T, E> {
    TimedEvent {
        time,
        event: SimEvent::TimerSet {
            node,
            timer,
            deadline,
        },
    }
}

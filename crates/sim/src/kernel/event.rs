//! What happens in a run: every event, in order, as the trace records it.
//!
//! The trace hash covers every variant's position and every field, so these
//! types change only by adding variants at the end.

use super::network::{Envelope, MsgId, NetworkConfig};
use crate::kv::ClientRequest;
use crate::protocol::Protocol;
use crate::{NodeId, Time};
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};

/// Servers named by an event, in order. The trace hash must be the same on
/// every platform, but `std` hashes a slice of `usize` as its raw bytes: 4
/// a server on wasm32, 8 on a 64-bit host. This hashes each as 64 bits, the
/// bytes a 64-bit host always wrote, so native hashes stay as they were and
/// the page's now equal them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Nodes(pub Vec<NodeId>);

impl Hash for Nodes {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.0.len());
        for &node in &self.0 {
            state.write_u64(node as u64);
        }
    }
}

impl std::ops::Deref for Nodes {
    type Target = [NodeId];
    fn deref(&self) -> &[NodeId] {
        &self.0
    }
}

impl<const N: usize> PartialEq<[NodeId; N]> for Nodes {
    fn eq(&self, other: &[NodeId; N]) -> bool {
        self.0 == other
    }
}

impl FromIterator<NodeId> for Nodes {
    fn from_iter<I: IntoIterator<Item = NodeId>>(iter: I) -> Self {
        Nodes(iter.into_iter().collect())
    }
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
        nodes: Nodes,
        deadline: Time,
    },
    /// The armed protocol timers of `nodes` were spaced out in that order:
    /// the i-th fires at `first + i × spacing` ([`Command::SpreadTimers`]);
    /// a `TimerSet` follows for each one that moved.
    TimersSpread {
        nodes: Nodes,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::trace::PortableHasher;

    fn digest(value: &impl Hash) -> u64 {
        let mut h = PortableHasher::new();
        value.hash(&mut h);
        h.finish()
    }

    #[test]
    fn servers_hash_as_64_bit_numbers_on_every_platform() {
        let nodes = Nodes(vec![0, 3, 1]);
        // What a 64-bit host writes for a Vec<usize>: its length, then each as 8 bytes.
        let wide: Vec<u64> = vec![0, 3, 1];
        let mut h = PortableHasher::new();
        h.write_usize(3);
        for n in &wide {
            h.write(&n.to_le_bytes());
        }
        assert_eq!(digest(&nodes), h.finish());
        #[cfg(target_pointer_width = "64")]
        assert_eq!(
            digest(&nodes),
            digest(&vec![0usize, 3, 1]),
            "as before on 64-bit hosts"
        );
    }
}

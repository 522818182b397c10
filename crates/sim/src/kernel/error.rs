//! Why the simulation refuses a run, a command or a replay, and the English
//! wording of each reason (a page words [`SimErrorKind`] in its own language).

use super::network::{MsgId, NetworkError};
use super::{Command, MAX_DELAY, MAX_NODES};
use crate::{node_name, NodeId, Time};

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
    /// A running node with no timeout to fire now. Why it has none is the
    /// protocol's to say (a Raft leader has no election timer; a Paxos
    /// acceptor has no timer at all), so the wording does not.
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
    /// A leadership transfer names the leader as its own target.
    TransferToItself {
        node: NodeId,
    },
    /// `node` cannot hand its leadership to `to` now. Why is the protocol's
    /// to say (Raft: it is no leader, the switch is off, or a transfer is
    /// already under way), so the wording does not.
    NoTransfer {
        node: NodeId,
        to: NodeId,
    },
    /// `node` cannot be made to lie with `behaviour`. Why is the protocol's
    /// to say (it tolerates no liars, the server is a client, it lies
    /// already), so the wording does not.
    NoByzantine {
        node: NodeId,
        behaviour: super::Behaviour,
    },
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
            NoTimeout { node } => write!(f, "{} has no timeout to fire now", node_name(*node)),
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
            TransferToItself { node } => write!(
                f,
                "{} cannot hand its leadership to itself",
                node_name(*node)
            ),
            NoTransfer { node, to } => write!(
                f,
                "{} cannot hand its leadership to {} now",
                node_name(*node),
                node_name(*to)
            ),
            NoByzantine { node, behaviour } => write!(
                f,
                "{} cannot be made to lie ({}) now",
                node_name(*node),
                behaviour.as_str()
            ),
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

pub(super) fn err<T>(kind: SimErrorKind) -> Result<T, SimError> {
    Err(kind.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::NetworkConfig;
    use crate::raft::{Raft, RaftConfig};
    use crate::RecordedCommand;
    use crate::{Sim, SimConfig};

    /// A cluster of three with some messages in flight.
    fn with_messages(seed: u64) -> Sim<Raft> {
        let mut sim: Sim<Raft> = Sim::new(SimConfig::new(3, seed)).unwrap();
        sim.apply(Command::Timeout { node: 0 }).unwrap();
        assert!(sim.in_flight().count() >= 2);
        sim
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

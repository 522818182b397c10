//! What a user (or a test acting as one) can do to a run, how it is
//! recorded so the run replays, and whether it can be done now.

use super::error::err;
use super::network::{MsgId, NetworkConfig};
use super::{NodeSlot, NodeStatus, Sim, SimError, SimErrorKind};
use crate::kv::ClientRequest;
use crate::protocol::Protocol;
use crate::{NodeId, Time};
use serde::{Deserialize, Serialize};

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
    /// Ask leader `node` to hand its leadership to server `to` (Raft's
    /// leadership transfer, thesis 3.10).
    TransferLeadership { node: NodeId, to: NodeId },
    /// Turn server `node` Byzantine: from now on it deviates from the
    /// protocol as `behaviour` says (PBFT's servers that lie). Only a
    /// protocol that tolerates lying servers accepts it
    /// ([`Protocol::can_turn_byzantine`]).
    MakeByzantine { node: NodeId, behaviour: Behaviour },
}

/// How a Byzantine server lies. The kernel only names the behaviours; what
/// each means in a protocol is that protocol's code (a liar runs the
/// protocol with the one deviation, not random junk).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Behaviour {
    /// Sends nothing at all.
    Silent,
    /// As primary, sends different PRE-PREPAREs for one sequence number to
    /// two halves of the backups.
    Equivocate,
    /// Answers clients with a wrong result.
    WrongReply,
    /// As primary, picks sequence numbers outside the watermarks.
    OutsideWatermarks,
    /// Sends conflicting PREPAREs and COMMITs: agrees with whatever each
    /// server says to it.
    ConflictingVotes,
    /// Sends VIEW-CHANGEs with a forged prepared certificate (prepares it
    /// never received).
    ForgedViewChange,
    /// Sends VIEW-CHANGEs with a stale certificate: what it had prepared
    /// when it turned, not what it has prepared since.
    StaleViewChange,
}

impl Behaviour {
    /// Every behaviour, in a fixed order (a link writes a behaviour's place in it).
    pub const ALL: [Behaviour; 7] = [
        Behaviour::Silent,
        Behaviour::Equivocate,
        Behaviour::WrongReply,
        Behaviour::OutsideWatermarks,
        Behaviour::ConflictingVotes,
        Behaviour::ForgedViewChange,
        Behaviour::StaleViewChange,
    ];

    /// A short stable name, as run files write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Behaviour::Silent => "Silent",
            Behaviour::Equivocate => "Equivocate",
            Behaviour::WrongReply => "WrongReply",
            Behaviour::OutsideWatermarks => "OutsideWatermarks",
            Behaviour::ConflictingVotes => "ConflictingVotes",
            Behaviour::ForgedViewChange => "ForgedViewChange",
            Behaviour::StaleViewChange => "StaleViewChange",
        }
    }

    /// The behaviour named `name` by [`Behaviour::as_str`].
    pub fn from_name(name: &str) -> Option<Behaviour> {
        Behaviour::ALL.into_iter().find(|b| b.as_str() == name)
    }

    /// Its place in [`Behaviour::ALL`].
    pub fn index(self) -> usize {
        Behaviour::ALL
            .iter()
            .position(|&b| b == self)
            .expect("listed")
    }
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

impl<P: Protocol> Sim<P> {
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
            Command::TransferLeadership { node, to } => {
                node_ok(*to)?;
                if node == to {
                    return err(SimErrorKind::TransferToItself { node: *node });
                }
                match node_ok(*node)?.up() {
                    None => return err(SimErrorKind::Crashed { node: *node }),
                    Some(p) if !p.can_transfer_leadership(*to) => {
                        return err(SimErrorKind::NoTransfer {
                            node: *node,
                            to: *to,
                        })
                    }
                    Some(_) => {}
                }
            }
            Command::MakeByzantine { node, behaviour } => match node_ok(*node)?.up() {
                None => return err(SimErrorKind::Crashed { node: *node }),
                Some(p) if !p.can_turn_byzantine(*behaviour) => {
                    return err(SimErrorKind::NoByzantine {
                        node: *node,
                        behaviour: *behaviour,
                    })
                }
                Some(_) => {}
            },
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raft::Raft;
    use crate::SimConfig;

    /// A cluster of three with some messages in flight.
    fn with_messages(seed: u64) -> Sim<Raft> {
        let mut sim: Sim<Raft> = Sim::new(SimConfig::new(3, seed)).unwrap();
        sim.apply(Command::Timeout { node: 0 }).unwrap();
        assert!(sim.in_flight().count() >= 2);
        sim
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
        let one: Sim<Raft> = Sim::new(SimConfig::new(1, 1)).unwrap();
        assert_eq!(
            msg(Command::Isolate { node: 0 }, &one),
            "a cluster of one has no links to cut"
        );
    }

    #[test]
    fn a_timeout_with_none_to_fire_is_refused_in_words_of_no_protocol() {
        // A Raft leader has no election timer; a Paxos acceptor has no timer.
        let mut raft: Sim<Raft> = Sim::new(SimConfig::new(3, 1)).unwrap();
        raft.advance_to(1_000 * crate::MS);
        let leader = raft
            .nodes()
            .iter()
            .find(|s| s.up().is_some_and(|r| r.role == crate::raft::Role::Leader))
            .expect("a leader after a second")
            .id;
        let e = raft.check(&Command::Timeout { node: leader }).unwrap_err();
        assert_eq!(e.kind(), &SimErrorKind::NoTimeout { node: leader });
        let name = crate::node_name(leader);
        assert_eq!(e.0, format!("{name} has no timeout to fire now"));
        let paxos: Sim<crate::paxos::Paxos> = Sim::new(SimConfig::new(5, 1)).unwrap();
        let e = paxos.check(&Command::Timeout { node: 2 }).unwrap_err();
        assert_eq!(e.kind(), &SimErrorKind::NoTimeout { node: 2 });
        assert_eq!(e.0, "S3 has no timeout to fire now");
    }
}

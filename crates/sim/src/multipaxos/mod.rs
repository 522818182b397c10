//! Multi-Paxos: a sequence of Paxos instances, one per log slot, run by a
//! distinguished proposer (the leader), as in section 3 of "Paxos Made Simple".
//!
//! Every server plays every role: proposer, acceptor and learner (replica).
//! - A server that hears nothing from a leader for a randomized timeout
//!   runs phase 1 *once for all slots* from its first slot not known chosen:
//!   Prepare(n, from). Acceptors promise `n` for every slot and report what
//!   they have accepted in those slots.
//! - With promises from a majority it is leader. It first finishes what
//!   earlier leaders left half-done: for each slot any promise reports, it
//!   proposes the value of the highest-numbered proposal there; a slot below
//!   the highest reported one that nobody accepted anything in is a gap, and
//!   gets a no-op. New client requests then take the next free slots, phase 2
//!   only: Accept(n, slot, command).
//! - A slot's command is chosen once a majority accepts it; the leader tells
//!   everyone (Chosen), and every replica applies chosen commands in slot order
//!   to the key-value state machine (a request applied once, by its id).
//! - The leader's heartbeats carry how far its chosen prefix reaches; a replica
//!   that is behind asks, and the leader resends what it missed.
//! - An acceptor refuses a number below its promise and says what it promised;
//!   a leader or candidate that hears of a higher number steps down.
//!
//! Persistent: an acceptor's promise and accepted proposals, and the highest
//! round the server has used. What a replica knows to be chosen is volatile: a
//! restarted server learns it again from the leader.

mod chaos;
mod claims;
mod msg;
mod node;
mod safety;

pub use claims::{MpClaim, MpFact, SlotCmd};
pub use msg::MpMessage;
pub use node::MultiPaxos;
pub use safety::{MultiPaxosBreach, MultiPaxosSafety, MULTIPAXOS_PROPERTIES};

use crate::chunked::DenseMap;
use crate::kv::ClientRequest;
pub use crate::paxos::Ballot;
use crate::{Time, MS};
use serde::{Deserialize, Serialize};

/// A position in the replicated log, from 1.
pub type Slot = u64;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
/// Fields a scenario file leaves out take their defaults.
#[serde(default)]
pub struct MultiPaxosConfig {
    /// Leader timeouts are drawn from this range.
    pub leader_timeout_min: Time,
    pub leader_timeout_max: Time,
    /// How often the leader sends heartbeats.
    pub heartbeat_interval: Time,
    /// At most this many chosen slots resent in answer to one heartbeat reply.
    pub catch_up_batch: usize,
}

impl Default for MultiPaxosConfig {
    fn default() -> Self {
        MultiPaxosConfig {
            leader_timeout_min: 150 * MS,
            leader_timeout_max: 300 * MS,
            heartbeat_interval: 50 * MS,
            catch_up_batch: 16,
        }
    }
}

/// What a slot holds: a client's request, or a no-op that fills a gap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Cmd {
    Request(ClientRequest),
    NoOp,
}

impl std::fmt::Display for Cmd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cmd::Request(r) => write!(f, "{}", r.op),
            Cmd::NoOp => f.write_str("no-op"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MpRole {
    Follower,
    Candidate,
    Leader,
}

impl MpRole {
    pub fn as_str(self) -> &'static str {
        match self {
            MpRole::Follower => "follower",
            MpRole::Candidate => "candidate",
            MpRole::Leader => "leader",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum MpTimer {
    /// Followers and candidates: no word from a leader; run phase 1.
    Leader,
    /// The leader: send heartbeats.
    Heartbeat,
}

/// What survives a crash.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MpPersistent {
    pub promised: Option<Ballot>,
    pub accepted: DenseMap<(Ballot, Cmd)>,
    pub round: u64,
}

/// Why a leader proposes a command in a slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProposalReason {
    /// A new client request.
    Fresh,
    /// An earlier leader's proposal, found in the promises.
    Recovered,
    /// A gap nobody accepted anything in.
    Gap,
}

/// Why a server runs phase 1 with a new number: its leader timer ran out.
///
/// Not folded into the trace hash (its `Hash` writes nothing): it follows
/// from the events before it, so it adds nothing to what the trace tells
/// apart, and the hash of every run pinned before it was given stays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CampaignReason {
    /// It has heard from no leader for its timeout: none yet, or the one it
    /// followed fell silent.
    NoLeader,
    /// An acceptor refused its `ballot` (a Prepare, an Accept or a
    /// heartbeat): it had promised `by`, a higher number, and no leader has
    /// been heard since.
    Refused { ballot: Ballot, by: Ballot },
    /// It gave up its `ballot` on hearing of `by`, a higher number, and no
    /// leader has been heard since.
    Overtaken { ballot: Ballot, by: Ballot },
    /// As candidate with `ballot`, its timer ran out before a majority promised.
    NoPromises { ballot: Ballot },
}

impl std::hash::Hash for CampaignReason {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MpEvent {
    Started {
        recovered: bool,
    },
    /// Phase 1 for every slot from `from_slot`, for the reason `why`.
    BecameCandidate {
        ballot: Ballot,
        from_slot: Slot,
        why: CampaignReason,
    },
    BecameLeader {
        ballot: Ballot,
    },
    /// A leader or candidate heard of a higher number.
    SteppedDown {
        ballot: Ballot,
        by: Ballot,
    },
    Promised {
        ballot: Ballot,
    },
    Refused {
        ballot: Ballot,
        promised: Ballot,
    },
    Proposed {
        ballot: Ballot,
        slot: Slot,
        cmd: Cmd,
        reason: ProposalReason,
    },
    Accepted {
        ballot: Ballot,
        slot: Slot,
        cmd: Cmd,
    },
    /// This server learned that `cmd` is chosen in `slot`.
    Learned {
        slot: Slot,
        cmd: Cmd,
    },
    /// This server applied `slot` to its state machine.
    Applied {
        slot: Slot,
        cmd: Cmd,
    },
    RequestForwarded {
        request: ClientRequest,
        to: crate::NodeId,
    },
    RequestRefused {
        request: ClientRequest,
    },
}

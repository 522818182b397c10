//! Zab, after Junqueira, Reed and Serafini, "Zab: High-performance broadcast
//! for primary-backup systems" (DSN 2011), with the leader election that
//! ZooKeeper runs (Fast Leader Election) as its phase 0.
//!
//! - **Phase 0, election** (`node.rs`, `fle_*`): a server that looks for a
//!   leader votes for itself and sends its vote to everyone. Votes are
//!   ordered by the candidate's `currentEpoch`, then its last zxid, then its
//!   id ([`Vote`]'s `Ord`), so the server with the most recent history wins.
//!   A vote of a higher election round replaces everything heard in a lower
//!   one; a better vote of the same round is adopted and sent on. A server
//!   decides once a quorum of its round votes as it does, or once a quorum of
//!   servers outside the election (or the leader itself) name one leader; a
//!   quorum that names the server itself makes it lead only if they decided
//!   in its own round (ZooKeeper's `checkLeader`).
//!   ZooKeeper's extra `finalizeWait` before deciding is left out: the
//!   paper's safety does not rest on the election (phase 1 does), only its
//!   speed does.
//! - **Phase 1, discovery**: a follower sends CEPOCH(f.p); with a quorum, the
//!   prospective leader picks e′ = max f.p + 1 and sends NEWEPOCH(e′); a
//!   follower with f.p < e′ makes f.p = e′ and answers ACK-E(f.a, history).
//! - **Phase 2, synchronization**: the leader takes the history of its quorum
//!   with the highest (f.a, last zxid), sends NEWLEADER(e′, history); a
//!   follower with f.p = e′ makes f.a = e′, adopts the history and answers
//!   ACK-LD; with a quorum of ACK-LD the leader is *established* and sends
//!   COMMIT-LD, and every follower delivers the history.
//! - **Phase 3, broadcast**: PROPOSE(⟨v, z⟩) → ACK(z) → COMMIT(z), delivered
//!   in zxid order. A follower that joins late runs phases 1 and 2 with the
//!   established leader.
//!
//! The three traps the ZooKeeper project's TLA+ work records
//! (`zookeeper-specifications/` in apache/zookeeper) are handled where the
//! leader keeps its sessions ([`node`]): a follower gets every PROPOSE from
//! the moment its NEWLEADER is sent (after its ACK-E), not from its ACK-LD;
//! the history in that NEWLEADER holds every proposal so far and only later
//! ones follow as PROPOSE, so none arrives twice; and COMMIT-LD carries the
//! leader's latest committed zxid, not the end of the history it synced, so
//! a follower that missed COMMITs while syncing delivers no more and no less.
//!
//! **FIFO channels.** Zab assumes a follower and its leader talk over a TCP
//! connection: no loss, no duplicates, no reordering. The kernel's network
//! may drop, duplicate, delay and reorder any message. Inside the protocol, a
//! follower opens a *connection* with a fresh id ([`Conn`]) each time it
//! joins a leader, and every message of that session carries the id, a
//! per-direction sequence number and the cumulative acknowledgement of what
//! the sender has received ([`msg::ZabMessage::Session`]). The receiver does
//! what TCP does: a message of another connection is ignored, a duplicate (a
//! number already taken) is discarded, and one that overtook an earlier one
//! waits until the gap fills, so the protocol sees each message once and in
//! order. The sender keeps what is not yet acknowledged and sends it again
//! once it has waited `retransmit_after` (the leader checks at each
//! heartbeat, a follower when a ping comes in), so a lost
//! message delays its connection and does not end it. A connection ends, as
//! ZooKeeper's `Learner`/`LearnerHandler` end theirs when a socket times out
//! or closes, only when nothing comes in sequence for a timeout (the peer
//! crashed, or the link is cut): the follower goes back to election and the
//! leader stops counting it. Election notifications travel outside
//! sessions: votes are idempotent and ordered by round, so loss is repaired
//! by resending and duplicates or reordering do no harm.
//!
//! One deviation from the paper's strict `e′ > f.p` rule, as ZooKeeper's
//! `Learner.registerWithLeader` makes it: a follower whose f.p already equals
//! the leader's e′ may rejoin it, but only when it said so in its CEPOCH and
//! the leader knows that follower acknowledged e′ to it (otherwise the
//! leader gives up its epoch and goes back to election), so no follower ever
//! acknowledges one epoch to two leaders.
//!
//! **Persistent** (the paper's stable storage): `acceptedEpoch` (f.p),
//! `currentEpoch` (f.a) and the history. The last committed zxid and what
//! was delivered are volatile: a restarted server delivers again from the
//! start once a leader syncs it.

mod chaos;
mod claims;
mod msg;
mod node;
mod safety;

pub use claims::{ZabClaim, ZabFact};
pub use msg::{SessionMsg, ZabMessage};
pub use node::{LeaderSession, SessionState, Zab};
pub use safety::{ZabBreach, ZabSafety, ZAB_PROPERTIES};

use crate::kv::ClientRequest;
use crate::{NodeId, Time, MS};
use serde::{Deserialize, Serialize};

/// A transaction id: the epoch of the leader that proposed it and its
/// counter within that epoch (from 1). Ordered by epoch, then counter.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Zxid {
    pub epoch: u64,
    pub counter: u64,
}

impl std::fmt::Display for Zxid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "⟨{}, {}⟩", self.epoch, self.counter)
    }
}

/// A transaction ⟨v, z⟩: a client's request and its zxid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Txn {
    pub zxid: Zxid,
    pub request: ClientRequest,
}

/// A connection between a follower and its leader, by the id the follower
/// drew when it opened it.
pub type Conn = u64;

/// A Fast Leader Election vote: the candidate with its `currentEpoch` and
/// last zxid. Field order is the order votes are compared in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Vote {
    pub epoch: u64,
    pub zxid: Zxid,
    pub leader: NodeId,
}

/// A server's state as its election notifications report it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ZabRole {
    Looking,
    Following,
    Leading,
}

/// Where a following or leading server is in the protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ZabPhase {
    Election,
    Discovery,
    Synchronization,
    Broadcast,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct ZabConfig {
    /// A looking server resends its vote this often.
    pub election_resend: Time,
    /// A follower that hears nothing from its leader this long goes back to election.
    pub follower_timeout: Time,
    /// The leader pings its followers this often.
    pub heartbeat_interval: Time,
    /// A leader that has not heard from a quorum this long goes back to election.
    pub leader_timeout: Time,
    /// A session message not acknowledged this long after it was sent is
    /// sent again, at the next heartbeat (TCP's retransmission timeout).
    pub retransmit_after: Time,
}

impl Default for ZabConfig {
    fn default() -> Self {
        ZabConfig {
            election_resend: 200 * MS,
            follower_timeout: 300 * MS,
            heartbeat_interval: 50 * MS,
            leader_timeout: 300 * MS,
            retransmit_after: 50 * MS,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ZabTimer {
    /// Looking: resend the vote.
    Election,
    /// Following: the leader fell silent.
    LeaderSilent,
    /// The leader heard nothing in sequence from the follower for its timeout.
    FollowerSilent,
    /// Leading: ping the followers and check a quorum is still there.
    Tick,
}

/// What the paper puts on stable storage.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ZabPersistent {
    /// f.p: the last epoch this server acknowledged in NEWEPOCH.
    pub accepted_epoch: u64,
    /// f.a: the last epoch whose NEWLEADER this server accepted.
    pub current_epoch: u64,
    pub history: Vec<Txn>,
}

/// Why a connection between a follower and its leader closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ResetReason {
    /// Nothing came in sequence from the leader for the follower's timeout
    /// (it is gone, or the link is cut: a lost message is sent again).
    LeaderSilent,
    /// The leader heard nothing in sequence from the follower for its timeout.
    FollowerSilent,
    /// The follower's epoch did not fit the leader's (the paper's "go to phase 0").
    EpochMismatch,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ZabEvent {
    Started {
        recovered: bool,
    },
    /// Phase 0 began: the server looks for a leader in election `round`.
    Looking {
        round: u64,
    },
    /// The server's vote in its round changed (its own, or a better one heard).
    Voted {
        round: u64,
        vote: Vote,
    },
    /// The election ended: the server follows (or is) `leader`.
    Decided {
        leader: NodeId,
    },
    /// Phase 1: the server acknowledged (or, as leader, picked) epoch `epoch`.
    EpochAccepted {
        epoch: u64,
    },
    /// Phase 2: the server adopted the leader's history for `epoch`.
    HistoryAdopted {
        epoch: u64,
        last: Option<Zxid>,
    },
    /// A quorum acknowledged NEWLEADER: this server is the established leader of `epoch`.
    Established {
        epoch: u64,
    },
    /// Phase 3: the leader broadcast `txn`.
    Proposed {
        txn: Txn,
    },
    /// A follower logged a proposal.
    Logged {
        txn: Txn,
    },
    /// `txn` was delivered to the state machine.
    Delivered {
        txn: Txn,
    },
    /// The connection with `peer` closed.
    ConnectionClosed {
        peer: NodeId,
        why: ResetReason,
    },
    /// A leader that heard from no quorum went back to election.
    LostQuorum,
    /// A follower passed a client's request to its leader.
    RequestForwarded {
        request: ClientRequest,
        to: NodeId,
    },
    /// The server is not in broadcast: it cannot take a request.
    RequestRefused {
        request: ClientRequest,
    },
}

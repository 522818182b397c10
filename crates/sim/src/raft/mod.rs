//! Raft, after Figure 2 of "In Search of an Understandable Consensus Algorithm
//! (Extended Version)" by Ongaro and Ousterhout.
//!
//! Every server is a follower, a candidate or a leader. A follower that hears
//! nothing from a leader for an election timeout (randomized, section 5.2)
//! becomes a candidate, votes for itself and asks the others for votes; a
//! server grants one vote per term, persisted, and only to a candidate whose log
//! is at least as up-to-date as its own (section 5.4.1). A candidate with votes
//! from a majority becomes leader and sends AppendEntries, which carry new
//! entries and serve as heartbeats. A follower accepts entries only if its log
//! matches the leader's at the entry before them (the consistency check), and
//! deletes conflicting entries. The leader tracks `nextIndex` and `matchIndex`
//! per follower, backs `nextIndex` off by one on a failed check, and commits an
//! entry once a majority stores it, counting replicas only for entries of its
//! own term (section 5.4.2). Committed entries are applied in order to the
//! key-value state machine.
//!
//! Three extensions from Ongaro's thesis ("Consensus: Bridging Theory and
//! Practice", 2014), as etcd, Consul and TiKV run them, are switches in
//! [`RaftConfig`], all off by default (a run without them is exactly the run
//! it was before they existed, pinned trace hashes included):
//!
//! - `pre_vote` (thesis 9.6, etcd's `PreVote`): a server whose election
//!   timeout fires sends PreVote for currentTerm + 1 and changes neither its
//!   term nor its vote; a receiver grants it only if it would grant that
//!   RequestVote (Figure 2, section 5.4.1) and has not heard from a current
//!   leader within the minimum election timeout (a leader counts itself), and
//!   changes nothing of its own; with a majority of pre-votes the server
//!   starts a real election. A partitioned server's term no longer climbs, so
//!   it cannot depose the leader when it rejoins (the disruptive server of
//!   4.2.3).
//! - `check_quorum` (thesis 6.2, etcd's `CheckQuorum`): every minimum
//!   election timeout a leader counts the servers it heard from (an
//!   AppendEntries reply of its term) and steps down without a majority,
//!   itself included. With it, thesis 4.2.3's rule, which etcd applies only
//!   with CheckQuorum (its "leader lease"): a RequestVote of a newer term
//!   received within the minimum election timeout of hearing from a current
//!   leader is ignored, no term updated, no vote granted, no reply.
//! - `leadership_transfer` (thesis 3.10): the user command
//!   `TransferLeadership { node, to }` makes leader `node` stop taking client
//!   requests, bring `to`'s log up to date with AppendEntries, then send it
//!   TimeoutNow; `to` starts an election at once, without PreVote, and its
//!   RequestVote carries `leadership_transfer`, the thesis's flag of 4.2.3
//!   that the lease lets through (etcd's campaignTransfer). The leader gives
//!   up after a minimum election timeout (etcd's base election timeout) and
//!   takes requests again.
//!
//! Log compaction (section 7 of the paper, Figures 12 and 13) is a fourth
//! switch, `snapshot_threshold`, off by default: once a server has applied
//! that many entries since its last snapshot, it snapshots its key-value
//! state with lastIncludedIndex and lastIncludedTerm and discards the log
//! through it; the snapshot is kept with the log on stable storage, and a
//! restart loads the state machine from it. A leader whose follower needs an
//! entry it has compacted (nextIndex ≤ lastIncludedIndex) sends it
//! InstallSnapshot, whole in one message (Figure 13's `offset` and `done`
//! chunking are left out: the data is a few keys); the follower keeps the
//! entries after the snapshot if its log has the snapshot's last included
//! entry, discards its log otherwise, and resets its state machine from the
//! snapshot (Figure 13, receiver rules 1-8).

mod chaos;
mod claims;
mod log;
mod msg;
mod node;
mod progress;
mod safety;

pub use chaos::{run_until_settled, settled_leader};
pub use claims::{RaftClaim, RaftFact};
pub use log::{AppendOutcome, Entry, Log, Snapshot};
pub use msg::Message;
pub use node::Raft;
pub use progress::{Progress, ReplicationState};
pub use safety::{RaftBreach, RaftSafety, RAFT_PROPERTIES};

use crate::kv::ClientRequest;
use crate::{NodeId, Time, MS};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
/// Fields a scenario file leaves out take their defaults.
#[serde(default)]
pub struct RaftConfig {
    /// Election timeouts are drawn uniformly from this range (section 5.2).
    pub election_timeout_min: Time,
    pub election_timeout_max: Time,
    /// How often a leader sends AppendEntries to each follower, with or without entries.
    pub heartbeat_interval: Time,
    /// At most this many entries in one AppendEntries.
    pub max_entries_per_append: usize,
    /// PreVote (thesis section 9.6): a server whose election timeout fires
    /// first asks for pre-votes for term + 1, changing no term, and starts a
    /// real election only with a majority of them.
    pub pre_vote: bool,
    /// CheckQuorum (thesis section 6.2, etcd's `CheckQuorum`): a leader that
    /// has not heard from a majority within a minimum election timeout steps
    /// down; and a server ignores RequestVote within a minimum election
    /// timeout of hearing from a current leader (thesis section 4.2.3, etcd's
    /// leader lease).
    pub check_quorum: bool,
    /// Leadership transfer (thesis section 3.10): a leader can be asked to
    /// hand over to another server, with TimeoutNow once it has caught up.
    pub leadership_transfer: bool,
    /// Log compaction (section 7): a server that has applied this many
    /// entries since its last snapshot takes one and discards the log
    /// through it; `None`, the default, never compacts (and is what a file
    /// written before the switch existed reads as).
    pub snapshot_threshold: Option<u64>,
}

impl Default for RaftConfig {
    fn default() -> Self {
        RaftConfig {
            election_timeout_min: 150 * MS,
            election_timeout_max: 300 * MS,
            heartbeat_interval: 50 * MS,
            max_entries_per_append: 16,
            pre_vote: false,
            check_quorum: false,
            leadership_transfer: false,
            snapshot_threshold: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Follower,
    Candidate,
    Leader,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Follower => "follower",
            Role::Candidate => "candidate",
            Role::Leader => "leader",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RaftTimer {
    /// Followers and candidates: start an election when it fires.
    Election,
    /// Leaders: send AppendEntries to every follower when it fires.
    Heartbeat,
    /// Leaders with CheckQuorum: every minimum election timeout, step down
    /// unless a majority was heard from since the last check (thesis 6.2).
    CheckQuorum,
    /// Leaders transferring leadership: give up the transfer when it fires
    /// (thesis 3.10: "within an election timeout").
    TransferTimeout,
}

/// What persists across a crash (Figure 2, "Persistent state on all servers").
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RaftPersistent {
    pub current_term: u64,
    pub voted_for: Option<NodeId>,
    pub log: Log,
}

/// Why a vote was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VoteRefusal {
    /// The candidate's term is older than ours.
    StaleTerm,
    /// We already voted for someone else in this term.
    AlreadyVoted { voted_for: NodeId },
    /// The candidate's log is not at least as up-to-date as ours (section 5.4.1).
    LogBehind,
    /// We heard from a current leader less than a minimum election timeout
    /// ago (thesis 4.2.3): the vote request is not taken, and no term moves.
    LeaderHeard { leader: NodeId },
}

/// Why AppendEntries was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AppendRefusal {
    /// The leader's term is older than ours.
    StaleTerm,
    /// No entry at `prev_log_index` at all.
    MissingEntry {
        prev_log_index: u64,
        prev_log_term: u64,
    },
    /// An entry at `prev_log_index`, but of another term.
    TermMismatch {
        prev_log_index: u64,
        prev_log_term: u64,
        found_term: u64,
    },
}

/// Why a client request was not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RequestRefusal {
    /// Not the leader and no leader known to forward to: the client must retry elsewhere.
    NoLeaderKnown,
    /// A forwarded request reached a server that is no longer leader.
    NotLeader { leader_hint: Option<NodeId> },
    /// The leader is handing its leadership to `target` and takes no new
    /// requests until the transfer ends (thesis 3.10).
    TransferInProgress { target: NodeId },
}

/// Why a leader gave up a leadership transfer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TransferEnd {
    /// An election timeout passed without the target taking over (thesis 3.10).
    TimedOut,
    /// The leader stepped down (the target, or another server, won).
    SteppedDown,
}

/// What a Raft node reports, for the trace, the event feed and the safety checks.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RaftEvent {
    /// Started as a follower: fresh, or after a crash with its persisted state.
    Started {
        term: u64,
        recovered: bool,
    },
    /// Stepped down, or moved to a newer term as a follower.
    BecameFollower {
        term: u64,
    },
    /// The election timeout fired: a new term and an election for it.
    BecameCandidate {
        term: u64,
    },
    BecameLeader {
        term: u64,
    },
    VoteGranted {
        candidate: NodeId,
        term: u64,
    },
    VoteRefused {
        candidate: NodeId,
        term: u64,
        reason: VoteRefusal,
    },
    /// A candidate counted a vote; `votes` includes its own.
    VoteReceived {
        from: NodeId,
        term: u64,
        votes: usize,
    },
    AppendRefused {
        leader: NodeId,
        reason: AppendRefusal,
    },
    /// Entries appended from a leader; `truncated_from` if conflicting entries were deleted first.
    EntriesAppended {
        leader: NodeId,
        first_index: u64,
        count: u64,
        truncated_from: Option<u64>,
    },
    /// The leader lowered `nextIndex` for a follower after a failed consistency check.
    NextIndexDecremented {
        follower: NodeId,
        next_index: u64,
    },
    /// The leader appended a client's request to its log.
    RequestAccepted {
        request: ClientRequest,
        index: u64,
        term: u64,
    },
    RequestForwarded {
        request: ClientRequest,
        to: NodeId,
    },
    RequestRefused {
        request: ClientRequest,
        reason: RequestRefusal,
    },
    /// `commitIndex` advanced to `index`.
    Committed {
        index: u64,
        term: u64,
    },
    /// An entry was applied to the state machine; `duplicate` if its request had been applied before.
    Applied {
        index: u64,
        entry: Entry,
        duplicate: bool,
    },
    /// PreVote (thesis 9.6): the election timeout fired and the server asks
    /// for pre-votes for `term` (its currentTerm + 1), its own term unchanged.
    PreVoteStarted {
        term: u64,
    },
    PreVoteGranted {
        candidate: NodeId,
        term: u64,
    },
    PreVoteRefused {
        candidate: NodeId,
        term: u64,
        reason: VoteRefusal,
    },
    /// A pre-candidate counted a pre-vote; `votes` includes its own.
    PreVoteReceived {
        from: NodeId,
        term: u64,
        votes: usize,
    },
    /// CheckQuorum (thesis 6.2): a leader heard from only `heard` servers
    /// (itself included) in the last minimum election timeout, fewer than a
    /// majority, and steps down.
    QuorumLost {
        term: u64,
        heard: usize,
    },
    /// Thesis 3.10: the leader starts handing its leadership to `target`.
    TransferStarted {
        target: NodeId,
    },
    /// The target's log matches the leader's: TimeoutNow is sent to it.
    TimeoutNowSent {
        target: NodeId,
    },
    /// The transfer to `target` is over: timed out, or the leader stepped down.
    TransferEnded {
        target: NodeId,
        reason: TransferEnd,
    },
    /// TimeoutNow arrived: the server starts an election at once.
    TimeoutNowReceived {
        leader: NodeId,
        term: u64,
    },
    /// Section 7: the server snapshotted its state machine through
    /// `last_included_index` and discarded its log up to there.
    SnapshotTaken {
        last_included_index: u64,
        last_included_term: u64,
    },
    /// Figure 13: a leader's snapshot replaced this server's log through
    /// `last_included_index` and reset its state machine; `kept` entries
    /// after it stayed (rule 6), none if the log was discarded (rule 7).
    SnapshotInstalled {
        leader: NodeId,
        last_included_index: u64,
        last_included_term: u64,
        kept: u64,
    },
    /// An InstallSnapshot not installed: of an older term (Figure 13, rule
    /// 1), or no newer than what this server has already committed.
    SnapshotIgnored {
        leader: NodeId,
        last_included_index: u64,
        reason: SnapshotRefusal,
    },
}

/// Why an InstallSnapshot was not installed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SnapshotRefusal {
    /// The leader's term is older than ours (Figure 13, rule 1).
    StaleTerm,
    /// Our commitIndex is at or past the snapshot's lastIncludedIndex: the
    /// snapshot holds nothing new, and loading it would move the state
    /// machine back (a late or duplicated InstallSnapshot).
    AlreadyCommitted { commit_index: u64 },
}

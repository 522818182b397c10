//! Raft's RPCs (Figure 2), plus the forwarding of a client request to the
//! leader, and the extensions' messages: PreVote and its reply (thesis 9.6,
//! etcd's MsgPreVote / MsgPreVoteResp) and TimeoutNow (thesis 3.10); and
//! InstallSnapshot with its reply (section 7, Figure 13).

use super::log::Entry;
use crate::kv::{ClientRequest, KvStore};
use crate::protocol::MessageMeta;
use crate::NodeId;
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Message {
    /// Invoked by candidates to gather votes (section 5.2).
    RequestVote {
        term: u64,
        candidate_id: NodeId,
        last_log_index: u64,
        last_log_term: u64,
        /// Sent by the target of a leadership transfer, told to by the leader
        /// (TimeoutNow): the thesis's "special flag" of section 4.2.3 ("I have
        /// permission to disrupt the leader"), so the leader lease does not
        /// ignore it (etcd's campaignTransfer).
        #[serde(default)]
        leadership_transfer: bool,
    },
    RequestVoteReply {
        term: u64,
        vote_granted: bool,
    },
    /// Invoked by the leader to replicate log entries (section 5.3); also the heartbeat.
    AppendEntries {
        term: u64,
        leader_id: NodeId,
        prev_log_index: u64,
        prev_log_term: u64,
        entries: Vec<Entry>,
        leader_commit: u64,
    },
    /// `prev_log_index` and `entry_count` echo the request being answered, so the
    /// leader can tell which entries a (possibly late or duplicated) reply acknowledges.
    AppendEntriesReply {
        term: u64,
        success: bool,
        prev_log_index: u64,
        entry_count: u64,
    },
    /// A follower passes a client's request on to the leader it knows (section 8).
    ClientRequest {
        request: ClientRequest,
    },
    /// PreVote (thesis 9.6, etcd's MsgPreVote): "would you vote for me in
    /// `term`?", where `term` is the sender's currentTerm + 1. Neither side's
    /// term or vote changes.
    PreVote {
        term: u64,
        candidate_id: NodeId,
        last_log_index: u64,
        last_log_term: u64,
    },
    /// The answer to PreVote (etcd's MsgPreVoteResp): a grant carries the
    /// term asked about, a refusal the receiver's currentTerm.
    PreVoteReply {
        term: u64,
        vote_granted: bool,
    },
    /// Thesis 3.10: the leader tells the target of a leadership transfer,
    /// whose log is now up to date, to start an election at once.
    TimeoutNow {
        term: u64,
        leader_id: NodeId,
    },
    /// Figure 13: invoked by the leader to send a follower the snapshot that
    /// replaced its log through `last_included_index`, for a follower that
    /// needs an entry the leader has compacted. Sent whole: `data` is the
    /// state machine, and Figure 13's `offset` and `done` are left out.
    InstallSnapshot {
        term: u64,
        leader_id: NodeId,
        last_included_index: u64,
        last_included_term: u64,
        data: KvStore,
    },
    /// Figure 13's reply, `term`; `last_included_index` echoes the request
    /// answered, so that the leader knows which snapshot a (possibly late or
    /// duplicated) reply is about.
    InstallSnapshotReply {
        term: u64,
        last_included_index: u64,
    },
}

/// As `#[derive(Hash)]` would hash it (the variant's index, then each field),
/// except that a RequestVote's `leadership_transfer` is hashed only when set:
/// a run without leadership transfer keeps the trace hash it had before the
/// flag existed (the pinned hashes of `tests/determinism.rs` and
/// `tests/format1.rs`).
impl Hash for Message {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Message::RequestVote {
                term,
                candidate_id,
                last_log_index,
                last_log_term,
                leadership_transfer,
            } => {
                term.hash(state);
                candidate_id.hash(state);
                last_log_index.hash(state);
                last_log_term.hash(state);
                if *leadership_transfer {
                    true.hash(state);
                }
            }
            Message::RequestVoteReply { term, vote_granted }
            | Message::PreVoteReply { term, vote_granted } => {
                term.hash(state);
                vote_granted.hash(state);
            }
            Message::AppendEntries {
                term,
                leader_id,
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
            } => {
                term.hash(state);
                leader_id.hash(state);
                prev_log_index.hash(state);
                prev_log_term.hash(state);
                entries.hash(state);
                leader_commit.hash(state);
            }
            Message::AppendEntriesReply {
                term,
                success,
                prev_log_index,
                entry_count,
            } => {
                term.hash(state);
                success.hash(state);
                prev_log_index.hash(state);
                entry_count.hash(state);
            }
            Message::ClientRequest { request } => request.hash(state),
            Message::PreVote {
                term,
                candidate_id,
                last_log_index,
                last_log_term,
            } => {
                term.hash(state);
                candidate_id.hash(state);
                last_log_index.hash(state);
                last_log_term.hash(state);
            }
            Message::TimeoutNow { term, leader_id } => {
                term.hash(state);
                leader_id.hash(state);
            }
            Message::InstallSnapshot {
                term,
                leader_id,
                last_included_index,
                last_included_term,
                data,
            } => {
                term.hash(state);
                leader_id.hash(state);
                last_included_index.hash(state);
                last_included_term.hash(state);
                data.hash(state);
            }
            Message::InstallSnapshotReply {
                term,
                last_included_index,
            } => {
                term.hash(state);
                last_included_index.hash(state);
            }
        }
    }
}

impl MessageMeta for Message {
    fn kind(&self) -> &'static str {
        match self {
            Message::RequestVote { .. } => "RequestVote",
            Message::RequestVoteReply { .. } => "RequestVoteReply",
            Message::AppendEntries { .. } => "AppendEntries",
            Message::AppendEntriesReply { .. } => "AppendEntriesReply",
            Message::ClientRequest { .. } => "ClientRequest",
            Message::PreVote { .. } => "PreVote",
            Message::PreVoteReply { .. } => "PreVoteReply",
            Message::TimeoutNow { .. } => "TimeoutNow",
            Message::InstallSnapshot { .. } => "InstallSnapshot",
            Message::InstallSnapshotReply { .. } => "InstallSnapshotReply",
        }
    }

    fn is_reply(&self) -> bool {
        matches!(
            self,
            Message::RequestVoteReply { .. }
                | Message::AppendEntriesReply { .. }
                | Message::PreVoteReply { .. }
                | Message::InstallSnapshotReply { .. }
        )
    }

    fn term(&self) -> Option<u64> {
        match self {
            Message::RequestVote { term, .. }
            | Message::RequestVoteReply { term, .. }
            | Message::AppendEntries { term, .. }
            | Message::AppendEntriesReply { term, .. }
            | Message::PreVote { term, .. }
            | Message::PreVoteReply { term, .. }
            | Message::TimeoutNow { term, .. }
            | Message::InstallSnapshot { term, .. }
            | Message::InstallSnapshotReply { term, .. } => Some(*term),
            Message::ClientRequest { .. } => None,
        }
    }
}

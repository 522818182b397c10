//! Raft's RPCs (Figure 2), plus the forwarding of a client request to the leader.

use super::log::Entry;
use crate::kv::ClientRequest;
use crate::protocol::MessageMeta;
use crate::NodeId;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Message {
    /// Invoked by candidates to gather votes (section 5.2).
    RequestVote {
        term: u64,
        candidate_id: NodeId,
        last_log_index: u64,
        last_log_term: u64,
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
}

impl MessageMeta for Message {
    fn kind(&self) -> &'static str {
        match self {
            Message::RequestVote { .. } => "RequestVote",
            Message::RequestVoteReply { .. } => "RequestVoteReply",
            Message::AppendEntries { .. } => "AppendEntries",
            Message::AppendEntriesReply { .. } => "AppendEntriesReply",
            Message::ClientRequest { .. } => "ClientRequest",
        }
    }

    fn is_reply(&self) -> bool {
        matches!(
            self,
            Message::RequestVoteReply { .. } | Message::AppendEntriesReply { .. }
        )
    }

    fn term(&self) -> Option<u64> {
        match self {
            Message::RequestVote { term, .. }
            | Message::RequestVoteReply { term, .. }
            | Message::AppendEntries { term, .. }
            | Message::AppendEntriesReply { term, .. } => Some(*term),
            Message::ClientRequest { .. } => None,
        }
    }
}

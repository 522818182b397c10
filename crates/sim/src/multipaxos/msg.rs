//! Multi-Paxos messages.

use super::{Ballot, Cmd, Slot};
use crate::kv::ClientRequest;
use crate::protocol::MessageMeta;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MpMessage {
    /// Phase 1a for every slot from `from_slot` on.
    Prepare { ballot: Ballot, from_slot: Slot },
    /// Phase 1b: the promise, with every proposal accepted from `from_slot` on.
    Promise {
        ballot: Ballot,
        accepted: Vec<(Slot, Ballot, Cmd)>,
    },
    /// Phase 2a for one slot.
    Accept {
        ballot: Ballot,
        slot: Slot,
        cmd: Cmd,
    },
    /// Phase 2b.
    Accepted { ballot: Ballot, slot: Slot },
    /// A refusal: the acceptor has promised `promised`.
    Nack { ballot: Ballot, promised: Ballot },
    /// The leader tells a replica what was chosen in a slot.
    Chosen { slot: Slot, cmd: Cmd },
    /// The leader is alive; its chosen prefix reaches `chosen_through`.
    Heartbeat {
        ballot: Ballot,
        chosen_through: Slot,
    },
    /// A replica behind the leader: it needs slots from `next_needed` on.
    HeartbeatReply { ballot: Ballot, next_needed: Slot },
    /// A follower passes a client's request to the leader.
    Forward { request: ClientRequest },
}

impl MessageMeta for MpMessage {
    fn kind(&self) -> &'static str {
        match self {
            MpMessage::Prepare { .. } => "Prepare",
            MpMessage::Promise { .. } => "Promise",
            MpMessage::Accept { .. } => "Accept",
            MpMessage::Accepted { .. } => "Accepted",
            MpMessage::Nack { .. } => "Nack",
            MpMessage::Chosen { .. } => "Chosen",
            MpMessage::Heartbeat { .. } => "Heartbeat",
            MpMessage::HeartbeatReply { .. } => "HeartbeatReply",
            MpMessage::Forward { .. } => "ClientRequest",
        }
    }

    fn is_reply(&self) -> bool {
        matches!(
            self,
            MpMessage::Promise { .. }
                | MpMessage::Accepted { .. }
                | MpMessage::Nack { .. }
                | MpMessage::HeartbeatReply { .. }
        )
    }

    fn term(&self) -> Option<u64> {
        match self {
            MpMessage::Prepare { ballot, .. }
            | MpMessage::Promise { ballot, .. }
            | MpMessage::Accept { ballot, .. }
            | MpMessage::Accepted { ballot, .. }
            | MpMessage::Nack { ballot, .. }
            | MpMessage::Heartbeat { ballot, .. }
            | MpMessage::HeartbeatReply { ballot, .. } => Some(ballot.round),
            MpMessage::Chosen { .. } | MpMessage::Forward { .. } => None,
        }
    }
}

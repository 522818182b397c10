//! Zab messages: election notifications, and the messages of a session
//! between a follower and its leader, numbered to keep it a FIFO connection.

use super::{Conn, Txn, Vote, ZabRole, Zxid};
use crate::kv::ClientRequest;
use crate::protocol::MessageMeta;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ZabMessage {
    /// Fast Leader Election: the sender's vote in election `round`, and its state.
    Notification {
        vote: Vote,
        round: u64,
        state: ZabRole,
    },
    /// A message of connection `conn`, the `seq`-th the sender sent on it
    /// (from 0), acknowledging the first `ack` messages the sender received
    /// on it (TCP's cumulative acknowledgement: what is acknowledged is
    /// never sent again).
    Session {
        conn: Conn,
        seq: u64,
        ack: u64,
        body: SessionMsg,
    },
}

/// What a follower and its leader say on their connection, in the paper's names.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SessionMsg {
    /// Phase 1, follower → leader: CEPOCH(f.p). The first message of a connection.
    CEpoch { accepted_epoch: u64 },
    /// Phase 1, leader → follower: NEWEPOCH(e′).
    NewEpoch { epoch: u64 },
    /// Phase 1, follower → leader: ACK-E(f.a, history).
    AckEpoch {
        current_epoch: u64,
        history: Vec<Txn>,
    },
    /// Phase 2, leader → follower: NEWLEADER(e′, history).
    NewLeader { epoch: u64, history: Vec<Txn> },
    /// Phase 2, follower → leader: ACK-LD.
    AckLeader { epoch: u64 },
    /// Phase 2, leader → follower: COMMIT-LD, with the leader's latest committed zxid.
    CommitLeader { epoch: u64, committed: Option<Zxid> },
    /// Phase 3: PROPOSE(e′, ⟨v, z⟩).
    Propose { txn: Txn },
    /// Phase 3: ACK(e′, z).
    Ack { zxid: Zxid },
    /// Phase 3: COMMIT(e′, z).
    Commit { zxid: Zxid },
    /// The leader is alive.
    Ping,
    /// The follower is alive.
    PingAck,
    /// A follower passes a client's request to its leader.
    Forward { request: ClientRequest },
}

impl SessionMsg {
    pub fn kind(&self) -> &'static str {
        match self {
            SessionMsg::CEpoch { .. } => "CEPOCH",
            SessionMsg::NewEpoch { .. } => "NEWEPOCH",
            SessionMsg::AckEpoch { .. } => "ACK-E",
            SessionMsg::NewLeader { .. } => "NEWLEADER",
            SessionMsg::AckLeader { .. } => "ACK-LD",
            SessionMsg::CommitLeader { .. } => "COMMIT-LD",
            SessionMsg::Propose { .. } => "PROPOSE",
            SessionMsg::Ack { .. } => "ACK",
            SessionMsg::Commit { .. } => "COMMIT",
            SessionMsg::Ping => "PING",
            SessionMsg::PingAck => "PING-ACK",
            SessionMsg::Forward { .. } => "ClientRequest",
        }
    }
}

impl MessageMeta for ZabMessage {
    fn kind(&self) -> &'static str {
        match self {
            ZabMessage::Notification { .. } => "Notification",
            ZabMessage::Session { body, .. } => body.kind(),
        }
    }

    fn is_reply(&self) -> bool {
        matches!(
            self,
            ZabMessage::Session {
                body: SessionMsg::AckEpoch { .. }
                    | SessionMsg::AckLeader { .. }
                    | SessionMsg::Ack { .. }
                    | SessionMsg::PingAck,
                ..
            }
        )
    }

    fn term(&self) -> Option<u64> {
        match self {
            ZabMessage::Notification { round, .. } => Some(*round),
            ZabMessage::Session { body, .. } => match body {
                SessionMsg::NewEpoch { epoch }
                | SessionMsg::NewLeader { epoch, .. }
                | SessionMsg::AckLeader { epoch }
                | SessionMsg::CommitLeader { epoch, .. } => Some(*epoch),
                SessionMsg::Propose { txn } => Some(txn.zxid.epoch),
                SessionMsg::Ack { zxid } | SessionMsg::Commit { zxid } => Some(zxid.epoch),
                _ => None,
            },
        }
    }
}

//! VR messages, as the paper names them (sections 4.1 to 4.3 and 5.2).

use super::{Log, OpNumber, PrimaryState, View};
use crate::kv::ClientRequest;
use crate::protocol::MessageMeta;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VrMessage {
    /// REQUEST(op, c, s), passed on by a backup to the primary it knows.
    Request { request: ClientRequest },
    /// PREPARE(v, m, n, k).
    Prepare {
        view: View,
        request: ClientRequest,
        op_number: OpNumber,
        commit_number: OpNumber,
    },
    /// PREPAREOK(v, n, i): the backup has every operation up to `op_number`.
    PrepareOk { view: View, op_number: OpNumber },
    /// COMMIT(v, k): sent by an idle primary; also its heartbeat.
    Commit { view: View, commit_number: OpNumber },
    /// STARTVIEWCHANGE(v, i).
    StartViewChange { view: View },
    /// DOVIEWCHANGE(v, l, v′, n, k, i).
    DoViewChange {
        view: View,
        log: Log,
        last_normal_view: View,
        op_number: OpNumber,
        commit_number: OpNumber,
    },
    /// STARTVIEW(v, l, n, k).
    StartView {
        view: View,
        log: Log,
        op_number: OpNumber,
        commit_number: OpNumber,
    },
    /// RECOVERY(i, x).
    Recovery { nonce: u64 },
    /// RECOVERYRESPONSE(v, x, l, n, k, j); `l, n, k` only from the primary.
    RecoveryResponse {
        view: View,
        nonce: u64,
        primary: Option<PrimaryState>,
    },
    /// GETSTATE(v, n′, i): everything after `after`.
    GetState { view: View, after: OpNumber },
    /// NEWSTATE(v, l, n, k): `log` holds the operations `after + 1 ..= op_number`.
    NewState {
        view: View,
        after: OpNumber,
        log: Vec<ClientRequest>,
        op_number: OpNumber,
        commit_number: OpNumber,
    },
}

impl MessageMeta for VrMessage {
    fn kind(&self) -> &'static str {
        match self {
            VrMessage::Request { .. } => "Request",
            VrMessage::Prepare { .. } => "Prepare",
            VrMessage::PrepareOk { .. } => "PrepareOk",
            VrMessage::Commit { .. } => "Commit",
            VrMessage::StartViewChange { .. } => "StartViewChange",
            VrMessage::DoViewChange { .. } => "DoViewChange",
            VrMessage::StartView { .. } => "StartView",
            VrMessage::Recovery { .. } => "Recovery",
            VrMessage::RecoveryResponse { .. } => "RecoveryResponse",
            VrMessage::GetState { .. } => "GetState",
            VrMessage::NewState { .. } => "NewState",
        }
    }

    fn is_reply(&self) -> bool {
        matches!(
            self,
            VrMessage::PrepareOk { .. }
                | VrMessage::DoViewChange { .. }
                | VrMessage::RecoveryResponse { .. }
                | VrMessage::NewState { .. }
        )
    }

    fn term(&self) -> Option<u64> {
        match self {
            VrMessage::Prepare { view, .. }
            | VrMessage::PrepareOk { view, .. }
            | VrMessage::Commit { view, .. }
            | VrMessage::StartViewChange { view }
            | VrMessage::DoViewChange { view, .. }
            | VrMessage::StartView { view, .. }
            | VrMessage::RecoveryResponse { view, .. }
            | VrMessage::GetState { view, .. }
            | VrMessage::NewState { view, .. } => Some(*view),
            VrMessage::Request { .. } | VrMessage::Recovery { .. } => None,
        }
    }
}

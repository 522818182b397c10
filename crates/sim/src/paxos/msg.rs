//! Paxos's messages ("Paxos Made Simple", sections 2.2 and 2.3).

use super::{Ballot, Value};
use crate::protocol::MessageMeta;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaxosMessage {
    /// Phase 1a: a proposer asks acceptors to promise `ballot`.
    Prepare { ballot: Ballot },
    /// Phase 1b: an acceptor's promise, with the highest-numbered proposal it
    /// has accepted, if any.
    Promise {
        ballot: Ballot,
        accepted: Option<(Ballot, Value)>,
    },
    /// Phase 2a: a proposer asks acceptors to accept `(ballot, value)`.
    Accept { ballot: Ballot, value: Value },
    /// Phase 2b: an acceptor accepted `(ballot, value)`; sent to the proposer
    /// and to every learner (section 2.3), and in answer to a learner's query.
    Accepted { ballot: Ballot, value: Value },
    /// A refusal of a Prepare or an Accept for `ballot`: the acceptor has
    /// promised `promised`, so the proposer can retry above it.
    Nack { ballot: Ballot, promised: Ballot },
    /// A learner that has not learned asks an acceptor what it has accepted.
    Query,
}

impl MessageMeta for PaxosMessage {
    fn kind(&self) -> &'static str {
        match self {
            PaxosMessage::Prepare { .. } => "Prepare",
            PaxosMessage::Promise { .. } => "Promise",
            PaxosMessage::Accept { .. } => "Accept",
            PaxosMessage::Accepted { .. } => "Accepted",
            PaxosMessage::Nack { .. } => "Nack",
            PaxosMessage::Query => "Query",
        }
    }

    fn is_reply(&self) -> bool {
        matches!(
            self,
            PaxosMessage::Promise { .. }
                | PaxosMessage::Accepted { .. }
                | PaxosMessage::Nack { .. }
        )
    }

    fn term(&self) -> Option<u64> {
        match self {
            PaxosMessage::Prepare { ballot }
            | PaxosMessage::Promise { ballot, .. }
            | PaxosMessage::Accept { ballot, .. }
            | PaxosMessage::Accepted { ballot, .. }
            | PaxosMessage::Nack { ballot, .. } => Some(ballot.round),
            PaxosMessage::Query => None,
        }
    }
}

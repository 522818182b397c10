//! Basic (single-decree) Paxos, after Lamport's "Paxos Made Simple" (2001).
//!
//! Three roles, each played by its own servers so they can be told apart on
//! the page: proposers, acceptors and learners. The first
//! [`PaxosConfig::proposers`] servers are proposers, the next
//! [`PaxosConfig::acceptors`] are acceptors, and any others are learners.
//!
//! - Phase 1 (section 2.2): a proposer picks a proposal number `n`, larger
//!   than any it has used, and sends Prepare(n) to the acceptors. An acceptor
//!   that has not promised a number above `n` promises not to accept any
//!   proposal numbered below `n`, and answers with the highest-numbered
//!   proposal it has accepted, if any.
//! - Phase 2: with promises from a majority, the proposer sends Accept(n, v),
//!   where `v` is the value of the highest-numbered proposal among the
//!   promises, or its own value if they carry none. An acceptor accepts unless
//!   it has since promised a higher number.
//! - A value is *chosen* once a majority of acceptors has accepted one
//!   proposal (section 2.1); learners find out from the acceptors' Accepted
//!   messages (section 2.3), and a learner that missed them asks again.
//!
//! Refusals carry the number the acceptor promised, so the proposer can
//! retry above it; a proposer retries after a randomized back-off, which is
//! how dueling proposers stop pre-empting each other (section 2.4).
//!
//! What survives a crash: an acceptor's promise and accepted proposal, and a
//! proposer's highest round used. The paper requires the last ("a proposer
//! remembers, in stable storage, the highest-numbered proposal it has tried
//! to issue"): a restarted proposer must never reuse a proposal number with
//! a different value. Everything else a proposer knows (its phase, the
//! promises it counted, its value) is lost, as is everything a learner knows.

mod chaos;
mod claims;
mod msg;
mod node;
mod safety;

pub use claims::{PaxosClaim, PaxosFact, PhaseName};
pub use msg::PaxosMessage;
pub use node::{Paxos, ProposerPhase};
pub use safety::{PaxosBreach, PaxosSafety, PAXOS_PROPERTIES};

use crate::kv::ClientRequest;
use crate::quorum::Majority;
use crate::{NodeId, Time, MS};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
/// Fields a scenario file leaves out take their defaults.
#[serde(default)]
pub struct PaxosConfig {
    /// How many of the servers, from S1 on, are proposers (1 to 3 on the page).
    pub proposers: usize,
    /// How many servers after the proposers are acceptors (3 to 7 on the page).
    pub acceptors: usize,
    /// A proposer that hears nothing back for this long starts over with a higher number.
    pub phase_timeout: Time,
    /// A pre-empted proposer waits a random time in this range before retrying.
    pub backoff_min: Time,
    pub backoff_max: Time,
    /// A learner that has not learned asks the acceptors this often.
    pub learner_poll: Time,
}

impl Default for PaxosConfig {
    fn default() -> Self {
        PaxosConfig {
            proposers: 2,
            acceptors: 3,
            phase_timeout: 150 * MS,
            backoff_min: 20 * MS,
            backoff_max: 120 * MS,
            learner_poll: 300 * MS,
        }
    }
}

impl PaxosConfig {
    /// The role of server `id`.
    pub fn role_of(&self, id: NodeId) -> PaxosRole {
        if id < self.proposers {
            PaxosRole::Proposer
        } else if id < self.proposers + self.acceptors {
            PaxosRole::Acceptor
        } else {
            PaxosRole::Learner
        }
    }

    /// The acceptors' ids.
    pub fn acceptor_ids(&self) -> std::ops::Range<NodeId> {
        self.proposers..self.proposers + self.acceptors
    }

    /// Whose acceptance chooses a value, and whose promises let a proposer
    /// go on to phase 2: a majority of the acceptors (section 2.2).
    pub fn acceptor_quorum(&self) -> Majority {
        Majority::new(self.acceptor_ids())
    }

    /// How many acceptors make a majority.
    pub fn majority(&self) -> usize {
        self.acceptor_quorum().threshold()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaxosRole {
    Proposer,
    Acceptor,
    Learner,
}

impl PaxosRole {
    pub fn as_str(self) -> &'static str {
        match self {
            PaxosRole::Proposer => "proposer",
            PaxosRole::Acceptor => "acceptor",
            PaxosRole::Learner => "learner",
        }
    }
}

/// A proposal number: a round, made unique by the proposer's id, and totally
/// ordered by (round, proposer).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct Ballot {
    pub round: u64,
    pub proposer: NodeId,
}

impl std::fmt::Display for Ballot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.round, self.proposer + 1)
    }
}

/// A value proposed and, perhaps, chosen: a client's request.
pub type Value = ClientRequest;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PaxosTimer {
    /// A proposer: start (or restart) phase 1 with a higher number.
    Retry,
    /// A learner: ask the acceptors what they have accepted.
    Poll,
}

/// What survives a crash (see the module's notes).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PaxosPersistent {
    /// An acceptor: the highest number it promised (or accepted).
    pub promised: Option<Ballot>,
    /// An acceptor: the highest-numbered proposal it accepted.
    pub accepted: Option<(Ballot, Value)>,
    /// A proposer: the highest round it has used.
    pub round: u64,
}

/// Why a proposer begins phase 1 with a new number.
///
/// Not folded into the trace hash (its `Hash` writes nothing): it follows
/// from the events before it (the Nack, the timer that ran out), so it adds
/// nothing to what the trace tells apart, and the hash of every run, and of
/// every link pinned before the reason was given, stays what it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PrepareReason {
    /// A client asked it to propose a value: its first attempt.
    Request,
    /// An acceptor refused `ballot`: it had promised `by`, a higher number.
    /// The proposer backed off, and tries again above `by`.
    Refused { ballot: Ballot, by: Ballot },
    /// Its timer ran out in phase 1 before a majority promised `ballot`.
    NoPromises { ballot: Ballot },
    /// Its timer ran out in phase 2 before a majority accepted its
    /// proposal numbered `ballot`.
    NoAccepts { ballot: Ballot },
}

impl std::hash::Hash for PrepareReason {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

/// What happens, for the trace, the checker and the view.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaxosEvent {
    Started {
        recovered: bool,
    },
    /// A proposer was given a value to propose.
    ValueReceived {
        value: Value,
    },
    /// A proposer began phase 1 with `ballot`, for the reason `why`.
    Prepared {
        ballot: Ballot,
        why: PrepareReason,
    },
    /// An acceptor promised `ballot` (and not to accept anything lower).
    Promised {
        ballot: Ballot,
        /// What it had accepted, as told to the proposer.
        accepted: Option<(Ballot, Value)>,
    },
    /// An acceptor refused a Prepare or an Accept: it had promised `promised`.
    Refused {
        ballot: Ballot,
        promised: Ballot,
    },
    /// A proposer had promises from a majority and sent Accept(ballot, value);
    /// `adopted` is true when the value came from an acceptor, not the proposer.
    AcceptSent {
        ballot: Ballot,
        value: Value,
        adopted: bool,
    },
    /// An acceptor accepted the proposal.
    Accepted {
        ballot: Ballot,
        value: Value,
    },
    /// A proposer was pre-empted by a higher number and backs off.
    Preempted {
        ballot: Ballot,
        by: Ballot,
    },
    /// A proposer or a learner learned that `value` was chosen.
    Learned {
        value: Value,
    },
    /// A client request reached a server that is not a proposer.
    RequestRefused {
        value: Value,
    },
}

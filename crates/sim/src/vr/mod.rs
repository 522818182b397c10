//! Viewstamped Replication Revisited (Liskov and Cowling, MIT-CSAIL-TR-2012-021).
//!
//! A group of `2f + 1` replicas; the primary of view `v` is replica `v mod n`.
//! - **Normal operation (section 4.1).** The primary takes a client's REQUEST,
//!   checks the client table (an old request number is dropped, the latest one
//!   answered again from the table once executed), appends it to its log and
//!   sends PREPARE(v, m, n, k). A backup takes PREPAREs in op-number order and
//!   answers PREPAREOK(v, n). With `f` PREPAREOKs the primary commits the
//!   operation (and every earlier one), executes it and REPLYs; when it has no
//!   new request it sends COMMIT(v, k), which is also its heartbeat.
//! - **View change (section 4.2).** A backup that hears nothing from its
//!   primary moves to the next view and sends STARTVIEWCHANGE; with `f` of them
//!   for its view it sends DOVIEWCHANGE(v, l, v′, n, k) to the new primary,
//!   which, with `f + 1`, takes the log with the largest v′ (the last view in
//!   which its sender was normal) and then the largest n, and sends STARTVIEW.
//! - **Recovery (section 4.3).** Nothing is on disk: a restarted replica is
//!   `recovering`. It sends RECOVERY with a fresh nonce and waits for `f + 1`
//!   RECOVERYRESPONSEs carrying that nonce, one of them from the primary of the
//!   latest view they report, whose log it takes.
//! - **State transfer (section 5.2).** A replica that is behind asks another
//!   with GETSTATE and takes the NEWSTATE answer.
//!
//! For a cluster of even size the quorums are majorities (`n / 2 + 1`), which
//! for `n = 2f + 1` are the paper's `f + 1`; the failure bound stays
//! `f = (n - 1) / 2` ([`VrConfig::failure_bound`]).
//!
//! **What is kept on disk: nothing** ([`VrPersistent`] is empty). A replica's
//! log, view and client table live in memory only; replication is the
//! durability. That buys writes without a disk flush on the critical path and
//! costs the assumption that at most `f` replicas are failed (crashed or still
//! recovering) at any moment: with `f + 1` losing their memory at once, an
//! operation committed on exactly them is gone. The randomized fault runs keep
//! to that bound (`vr/chaos.rs`).
//!
//! **Departure from the paper's text (state transfer).** Section 5.2 says a
//! replica that hears of a later view "sets its op-number to its commit-number
//! and removes all entries after this from its log" and then asks for the
//! rest. Followed literally (and with the replica taking the new view at once),
//! a view change that starts before the NEWSTATE arrives gets this replica's
//! DOVIEWCHANGE with the newest v′ and a truncated log, which wins over a log
//! that holds a committed operation, and the operation is lost. Jack
//! Vanlightly's TLA+ specification found this ("VR Revisited – State Transfer
//! (part 3)", jack-vanlightly.com, Dec 2022; github.com/Vanlightly/vsr-tlaplus,
//! `VR_STATE_TRANSFER.tla`, commit 04108cf "Fix eager view update defect with
//! state transfer"). The safe rule implemented here, as in his fix: the replica
//! keeps its log, view-number and v′ unchanged, enters a `StateTransfer`
//! status (not one of the paper's three) and asks GETSTATE(v, k) for
//! everything after its commit-number; only the NEWSTATE replaces the log after
//! k and moves it to the new view. The literal rule stays available as
//! [`VrConfig::literal_state_transfer`], off by default, so that a test can
//! show the checker catching the loss.

mod chaos;
mod claims;
mod msg;
mod node;
mod safety;

pub use chaos::failed_replicas;
pub use claims::{VrClaim, VrFact};
pub use msg::VrMessage;
pub use node::{ClientRecord, Vr};
pub use safety::{VrBreach, VrSafety, VR_PROPERTIES};

use crate::chunked::ChunkedVec;
use crate::kv::ClientRequest;
use crate::{NodeId, Time, MS};
use serde::{Deserialize, Serialize};

/// A view's number; its primary is `view mod n`.
pub type View = u64;
/// A position in the log, from 1; 0 is "none".
pub type OpNumber = u64;
/// A client of the replicated service.
pub type ClientId = u64;

/// The log: the requests in op-number order (op-number `n` is `log[n - 1]`).
pub type Log = ChunkedVec<ClientRequest>;

/// The primary of `view` in a group of `n` (section 4: "the replica with
/// number v mod n").
pub fn primary_of(view: View, n: usize) -> NodeId {
    (view % n as u64) as usize
}

/// Which client sent `request`, and its request-number. The kernel's requests
/// come from one source (the page's user, a test's driver), numbered in order
/// by `Sim::new_request`: that is the paper's one client, and the request's
/// id is its request-number. The client table is keyed by client all the same.
pub fn client_of(request: &ClientRequest) -> (ClientId, u64) {
    (1, request.id)
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
/// Fields a scenario file leaves out take their defaults.
#[serde(default)]
pub struct VrConfig {
    /// A backup's timeout for hearing from the primary (or for a view change
    /// to finish) is drawn from this range.
    pub view_change_timeout_min: Time,
    pub view_change_timeout_max: Time,
    /// How often an idle primary sends COMMIT (and resends unacknowledged PREPAREs).
    pub commit_interval: Time,
    /// How often a recovering replica resends RECOVERY.
    pub recovery_retry: Time,
    /// How often a replica waiting for NEWSTATE asks again.
    pub state_transfer_retry: Time,
    /// At most this many PREPAREs resent to one backup per COMMIT interval.
    pub resend_batch: usize,
    /// Section 5.2 followed literally: truncate to the commit-number and take
    /// the new view before the NEWSTATE arrives. Unsafe (see the module
    /// documentation); for the test and scenario that show the loss.
    pub literal_state_transfer: bool,
}

impl Default for VrConfig {
    fn default() -> Self {
        VrConfig {
            view_change_timeout_min: 150 * MS,
            view_change_timeout_max: 300 * MS,
            commit_interval: 50 * MS,
            recovery_retry: 100 * MS,
            state_transfer_retry: 100 * MS,
            resend_batch: 16,
            literal_state_transfer: false,
        }
    }
}

impl VrConfig {
    /// `f`: how many replicas of `n` may be failed at once (section 2).
    pub fn failure_bound(n: usize) -> usize {
        n.saturating_sub(1) / 2
    }
}

/// A replica's status (section 4, plus `StateTransfer`, see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    Normal,
    ViewChange,
    Recovering,
    /// Waiting for NEWSTATE of a later view, log and view unchanged.
    StateTransfer,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Normal => "normal",
            Status::ViewChange => "view-change",
            Status::Recovering => "recovering",
            Status::StateTransfer => "state-transfer",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum VrTimer {
    /// A backup: no word from the primary (or the view change stalled): start the next view.
    ViewChange,
    /// The primary: send COMMIT, resend what is not acknowledged.
    Commit,
    /// Recovering: send RECOVERY again.
    Recovery,
    /// Behind: send GETSTATE again.
    GetState,
}

/// What survives a crash: nothing. VR keeps no state on stable storage
/// (section 4.3); a restarted replica recovers from the others.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VrPersistent;

/// Why a replica starts a view change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ViewChangeReason {
    /// Its timer ran out: no word from the primary, or the view change stalled.
    Timeout,
    /// It heard STARTVIEWCHANGE or DOVIEWCHANGE for a later view.
    Heard { from: NodeId },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VrEvent {
    /// Fresh (normal in view 0) or restarted (recovering, with `nonce`).
    Started {
        recovering: bool,
        nonce: u64,
    },
    /// The primary assigned `op_number` to `request` (PREPARE sent).
    Prepared {
        view: View,
        op_number: OpNumber,
        request: ClientRequest,
    },
    /// A backup took PREPAREs up to `op_number` (PREPAREOK sent).
    PrepareOk {
        view: View,
        op_number: OpNumber,
    },
    /// This replica's commit-number reached `op_number`, which holds `request`.
    Committed {
        view: View,
        op_number: OpNumber,
        request: ClientRequest,
    },
    /// This replica executed `op_number` (the up-call to the service).
    Executed {
        op_number: OpNumber,
        request: ClientRequest,
    },
    /// The primary sent REPLY for an executed request (the simulation has no
    /// client machines: the event is the reply).
    Replied {
        client: ClientId,
        request_number: u64,
        resent: bool,
    },
    /// The primary dropped a request older than the client table's (or one in progress).
    RequestDropped {
        request: ClientRequest,
        latest: u64,
    },
    /// A backup passed a client's request to the primary it knows.
    RequestForwarded {
        request: ClientRequest,
        to: NodeId,
    },
    /// Not normal, not primary, no primary known: the request goes nowhere.
    RequestRefused {
        request: ClientRequest,
    },
    ViewChangeStarted {
        view: View,
        why: ViewChangeReason,
    },
    DoViewChangeSent {
        view: View,
        last_normal_view: View,
    },
    /// The new primary took the DOVIEWCHANGE log of `chosen_from`.
    BecamePrimary {
        view: View,
        op_number: OpNumber,
        commit_number: OpNumber,
        chosen_from: NodeId,
    },
    /// A backup took STARTVIEW.
    StartedView {
        view: View,
        op_number: OpNumber,
    },
    /// Recovery done: the state of `primary`'s response in `view`.
    Recovered {
        view: View,
        op_number: OpNumber,
        commit_number: OpNumber,
        primary: NodeId,
    },
    /// GETSTATE sent for everything after `after`; `view` is the view asked about.
    StateRequested {
        view: View,
        after: OpNumber,
        to: NodeId,
    },
    /// The literal rule of section 5.2: the log cut back to the commit-number.
    LogTruncated {
        view: View,
        to: OpNumber,
    },
    /// NEWSTATE taken: the log from `after + 1` on replaced.
    StateTransferred {
        view: View,
        after: OpNumber,
        op_number: OpNumber,
    },
}

/// What a DOVIEWCHANGE carries, as the new primary keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DoViewChange {
    pub log: Log,
    pub last_normal_view: View,
    pub op_number: OpNumber,
    pub commit_number: OpNumber,
}

/// A RECOVERYRESPONSE as the recovering replica keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RecoveryResponse {
    pub view: View,
    /// The primary's state (`None` from a backup).
    pub primary: Option<PrimaryState>,
}

/// The primary's part of a RECOVERYRESPONSE: `l`, `n`, `k`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PrimaryState {
    pub log: Log,
    pub op_number: OpNumber,
    pub commit_number: OpNumber,
}

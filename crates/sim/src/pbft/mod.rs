//! Practical Byzantine Fault Tolerance (Castro and Liskov, OSDI 1999), with
//! servers that lie.
//!
//! `n = 3f + 1` replicas tolerate `f` Byzantine ones; the primary of view
//! `v` is replica `v mod n`. The last [`PbftConfig::clients`] nodes of the
//! cluster are clients: a client sends `⟨REQUEST, o, t, c⟩` to the primary
//! it knows and accepts a result after `f + 1` matching REPLYs; when it
//! times out it sends the request to every replica (section 4.1).
//! - **Normal case (section 4.2):** the primary assigns the request a
//!   sequence number `n` and multicasts PRE-PREPARE(v, n, d) with it; a
//!   backup accepts it in view `v`, for a digest it has not accepted another
//!   of at `(v, n)`, with `h < n ≤ H`, and multicasts PREPARE. With the
//!   pre-prepare and `2f` matching PREPAREs from backups a replica is
//!   *prepared* and multicasts COMMIT; with `2f + 1` matching COMMITs it is
//!   *committed-local* and executes in sequence order, then REPLYs.
//! - **Checkpoints (section 4.3):** every [`PbftConfig::checkpoint_interval`]
//!   requests a replica multicasts CHECKPOINT(n, d); `2f + 1` matching make
//!   it stable: the low water mark `h` moves to `n`, `H = h + k`, and the
//!   log up to `n` is discarded. A replica whose state is behind a stable
//!   checkpoint fetches the state and checks it against the digest.
//! - **View change (sections 4.4, 4.5):** a backup waiting for a request
//!   that does not execute in time multicasts VIEW-CHANGE(v + 1, n, C, P);
//!   the new primary, with `2f + 1` valid ones, multicasts NEW-VIEW(v + 1, V,
//!   O), re-proposing every sequence number between the latest stable
//!   checkpoint and the highest prepared one (null requests for gaps); a
//!   replica joins a view change once `f + 1` replicas ask for higher views;
//!   the timeout doubles with each view change that does not complete.
//! - **Servers that lie:** [`crate::Command::MakeByzantine`] turns a
//!   replica into a liar with a [`crate::Behaviour`]; see `replica.rs` for
//!   what each one does. The safety checker (`safety.rs`) watches only the
//!   correct replicas.
//!
//! **What is kept on disk:** everything ([`Pbft`] is its own persistent
//! state). A crash is then only a long pause, so the `f` of the paper
//! counts only the liars, as it does in the paper, where a crashed replica
//! is one more faulty one.
//!
//! **Retransmission.** The paper assumes messages are retransmitted until
//! they arrive. Here a replica in a view change resends its VIEW-CHANGE
//! (and its unstable CHECKPOINTs) every [`PbftConfig::resend_interval`],
//! the primary of a view resends its NEW-VIEW to a replica still asking for
//! that view, a replica resends a REPLY to a client that asks again, and a
//! replica keeps PREPAREs and COMMITs for the view it is changing to, so that
//! those sent by faster replicas right after the NEW-VIEW count.

mod chaos;
mod claims;
mod client;
mod msg;
mod replica;
mod safety;

pub use claims::{PbftClaim, PbftFact};
pub use client::Client;
pub use msg::{
    digest_of, forge, request_digest, sign, Checkpoint, Commit, Digest, NewView, PbftMessage,
    PrePrepare, Prepare, PreparedCert, Reply, ServiceState, Signature, Signed, ViewChange,
};
pub use replica::{Replica, Slot, StableCheckpoint};
pub use safety::{PbftBreach, PbftSafety, PBFT_PROPERTIES};

use crate::kernel::Behaviour;
use crate::kv::{ClientRequest, KvOp};
use crate::protocol::{Ctx, Protocol};
use crate::{NodeId, Time, MS};
use serde::{Deserialize, Serialize};

/// A view's number; its primary is `v mod n`.
pub type View = u64;
/// A sequence number, from 1; 0 is the initial checkpoint.
pub type SeqNo = u64;

/// The primary of view `v` among `n` replicas (section 4: `p = v mod |R|`).
pub fn primary_of(v: View, n: usize) -> NodeId {
    (v % n as u64) as usize
}

/// `f`, the most liars `n` replicas tolerate: `n = 3f + 1` (section 3).
pub fn failure_bound(n: usize) -> usize {
    n.saturating_sub(1) / 3
}

/// `⟨REQUEST, o, t, c⟩`: operation `o` of client `c` with timestamp `t`
/// (the kernel's request id, which grows with every request).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Request {
    pub o: KvOp,
    pub t: u64,
    pub c: NodeId,
}

impl Request {
    pub fn of(request: &ClientRequest, c: NodeId) -> Self {
        Request {
            o: request.op,
            t: request.id,
            c,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
/// Fields a scenario file leaves out take their defaults.
#[serde(default)]
pub struct PbftConfig {
    /// How many of the cluster's nodes (the last ones) are clients.
    pub clients: usize,
    /// `K`: a checkpoint after every `K` sequence numbers (section 4.3).
    pub checkpoint_interval: SeqNo,
    /// `k`: `H = h + k`, the log's window.
    pub log_size: SeqNo,
    /// A client resends its request to every replica after this long.
    pub client_timeout: Time,
    /// `T`: a backup's view-change timeout; it doubles with each view
    /// change that does not complete (section 4.5).
    pub view_change_timeout: Time,
    /// At most this many doublings (a bound the paper leaves open; it keeps a
    /// run's waits finite).
    pub max_doublings: u32,
    /// How often a replica in a view change resends its VIEW-CHANGE.
    pub resend_interval: Time,
}

impl Default for PbftConfig {
    fn default() -> Self {
        PbftConfig {
            clients: 1,
            checkpoint_interval: 4,
            log_size: 8,
            client_timeout: 300 * MS,
            view_change_timeout: 400 * MS,
            max_doublings: 4,
            resend_interval: 200 * MS,
        }
    }
}

impl PbftConfig {
    /// How many replicas a cluster of `nodes` has (at least one).
    pub fn replicas(&self, nodes: usize) -> usize {
        nodes.saturating_sub(self.clients).max(1)
    }
}

/// A replica's status: normal in its view, or changing to it (section 4.4:
/// it then takes only CHECKPOINT, VIEW-CHANGE and NEW-VIEW messages).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    Normal,
    ViewChange,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PbftTimer {
    /// A replica: a request waited too long, or the view change stalled.
    ViewChange,
    /// A replica in a view change: resend its VIEW-CHANGE.
    Resend,
    /// A client: no `f + 1` matching replies yet; send to every replica.
    Retransmit,
}

/// Why a replica refused a message it checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Invalid {
    /// Not for the replica's view (or it is changing views).
    WrongView,
    /// It accepted another pre-prepare at this view and sequence number.
    Conflicting,
    /// The sequence number is not in `h < n ≤ H`.
    OutsideWatermarks,
    /// The request's digest is not the one named.
    BadDigest,
    /// A signature is not its signer's.
    BadSignature,
    /// Not signed by the primary of its view.
    NotPrimary,
    /// A prepared certificate without `2f` matching prepares from backups.
    ShortCertificate,
    /// A checkpoint proof without `2f + 1` matching checkpoints.
    ShortCheckpoint,
    /// NEW-VIEW's V lacks `2f + 1` valid view changes.
    ShortV,
    /// NEW-VIEW's O is not what V gives.
    WrongO,
}

/// Why a replica started a view change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ViewChangeReason {
    /// Its timer ran out: a request waited too long, or the last view change stalled.
    Timeout,
    /// `f + 1` replicas asked for higher views (section 4.5).
    Joined,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PbftEvent {
    Started {
        replica: bool,
    },
    /// The node lies from now on.
    TurnedByzantine {
        behaviour: Behaviour,
    },
    /// A client sent request `t`, to the primary it knows or to everyone.
    RequestSent {
        t: u64,
        broadcast: bool,
    },
    /// A client accepted result `r` for its request `t` (`f + 1` matching REPLYs).
    Accepted {
        c: NodeId,
        t: u64,
        r: u32,
    },
    /// A replica passed a client's request on to the primary.
    RequestForwarded {
        t: u64,
        to: NodeId,
    },
    /// The primary assigned `n` (and sent PRE-PREPARE), or a backup accepted it.
    PrePrepared {
        v: View,
        n: SeqNo,
        d: Digest,
        request: Option<Request>,
    },
    /// A message a replica checked and refused.
    Refused {
        from: NodeId,
        why: Invalid,
    },
    Prepared {
        v: View,
        n: SeqNo,
        d: Digest,
    },
    CommittedLocal {
        v: View,
        n: SeqNo,
        d: Digest,
        request: Option<Request>,
    },
    /// Executed `n`: its request and the result (none for the null request
    /// or a request executed before).
    Executed {
        n: SeqNo,
        d: Digest,
        request: Option<Request>,
        result: Option<u32>,
    },
    CheckpointTaken {
        n: SeqNo,
        d: Digest,
    },
    CheckpointStable {
        n: SeqNo,
        d: Digest,
    },
    /// Took the state of stable checkpoint `n` from another replica.
    StateFetched {
        n: SeqNo,
        d: Digest,
    },
    ViewChangeStarted {
        v: View,
        why: ViewChangeReason,
    },
    /// The new primary sent NEW-VIEW: O re-proposes `min_s + 1..=max_s`,
    /// `nulls` of them null requests.
    NewViewSent {
        v: View,
        min_s: SeqNo,
        max_s: SeqNo,
        nulls: usize,
    },
    /// Took NEW-VIEW: normal in view `v`.
    NewViewAccepted {
        v: View,
    },
}

/// A node of a PBFT cluster: a replica or a client.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Pbft {
    Replica(Replica),
    Client(Client),
}

impl Pbft {
    pub fn replica(&self) -> Option<&Replica> {
        match self {
            Pbft::Replica(r) => Some(r),
            Pbft::Client(_) => None,
        }
    }
    pub fn client(&self) -> Option<&Client> {
        match self {
            Pbft::Client(c) => Some(c),
            Pbft::Replica(_) => None,
        }
    }
    /// How this node lies, if it does.
    pub fn byzantine(&self) -> Option<Behaviour> {
        self.replica().and_then(|r| r.byzantine)
    }
}

impl Protocol for Pbft {
    type Config = PbftConfig;
    type Msg = PbftMessage;
    type Timer = PbftTimer;
    /// Everything is on disk: a restarted node carries on.
    type Persistent = Pbft;
    type Event = PbftEvent;

    const NAME: &'static str = "pbft";

    fn start(
        id: NodeId,
        cluster_size: usize,
        config: &PbftConfig,
        persisted: Option<Pbft>,
        ctx: &mut Ctx<Self>,
    ) -> Self {
        let n = config.replicas(cluster_size);
        match persisted {
            Some(Pbft::Replica(mut r)) => {
                r.restart(ctx);
                Pbft::Replica(r)
            }
            Some(Pbft::Client(mut c)) => {
                c.restart(ctx);
                Pbft::Client(c)
            }
            None if id < n => {
                ctx.emit(PbftEvent::Started { replica: true });
                Pbft::Replica(Replica::new(id, n, config.clone()))
            }
            None => {
                ctx.emit(PbftEvent::Started { replica: false });
                Pbft::Client(Client::new(id, n, config.clone()))
            }
        }
    }

    fn persistent(&self) -> Pbft {
        self.clone()
    }

    fn on_message(&mut self, from: NodeId, msg: PbftMessage, ctx: &mut Ctx<Self>) {
        match self {
            Pbft::Replica(r) => r.on_message(from, msg, ctx),
            Pbft::Client(c) => c.on_message(from, msg, ctx),
        }
    }

    fn on_timer(&mut self, timer: PbftTimer, ctx: &mut Ctx<Self>) {
        match self {
            Pbft::Replica(r) => r.on_timer(timer, ctx),
            Pbft::Client(c) => c.on_timer(timer, ctx),
        }
    }

    fn on_client_request(&mut self, request: ClientRequest, ctx: &mut Ctx<Self>) {
        match self {
            // A replica is not a client: the request goes to a client node.
            Pbft::Replica(_) => {}
            Pbft::Client(c) => c.submit(request, ctx),
        }
    }

    fn forced_timer(&self) -> Option<PbftTimer> {
        match self {
            Pbft::Replica(_) => Some(PbftTimer::ViewChange),
            Pbft::Client(c) => c.outstanding.is_some().then_some(PbftTimer::Retransmit),
        }
    }

    fn can_turn_byzantine(&self, _behaviour: Behaviour) -> bool {
        matches!(self, Pbft::Replica(r) if r.byzantine.is_none())
    }

    fn on_turn_byzantine(&mut self, behaviour: Behaviour, ctx: &mut Ctx<Self>) {
        if let Pbft::Replica(r) = self {
            r.turn_byzantine(behaviour, ctx);
        }
    }
}

//! PBFT's messages (section 4 of the paper), digests and signatures.
//!
//! **Digests.** `D(m)` is a 64-bit FNV-1a hash of the message's fields, in
//! the order `#[derive(Hash)]` feeds them ([`digest_of`]). It is fixed on
//! every platform: the hasher writes every `usize` as 64 bits, and nothing
//! here uses `std`'s randomly keyed hasher.
//!
//! **Signatures.** The kernel stamps each envelope with its real sender, so
//! a liar cannot send a message as another server. What it could do is put
//! messages "from" others inside a certificate (the prepares of a
//! VIEW-CHANGE's P, the view changes of a NEW-VIEW's V). Those are
//! [`Signed`]: a signature is a digest of the body under the signer's key
//! ([`sign`]); [`Signed::valid`] checks it with the signer's key, as a
//! public-key check would. Only a server's own code signs with its own
//! number, so a liar forging a certificate has only its own key: its forged
//! prepares carry a signature that is not the named signer's, and the check
//! where the paper makes it (the new primary checking each VIEW-CHANGE, a
//! backup checking NEW-VIEW's V and O, section 4.4) finds them.

use super::{Request, SeqNo, View};
use crate::protocol::MessageMeta;
use crate::NodeId;
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};

/// A message digest, `D(m)`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Digest(pub u64);

impl std::fmt::Display for Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04x}", self.0 >> 48)
    }
}

/// 64-bit FNV-1a, the same on every platform.
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_isize(&mut self, n: isize) {
        self.write_i64(n as i64);
    }
}

/// The digest of anything hashable: FNV-1a over its fields.
pub fn digest_of<T: Hash + ?Sized>(value: &T) -> Digest {
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    value.hash(&mut h);
    Digest(h.finish())
}

/// The digest of the request a sequence number is assigned: a client's
/// request, or the null request (`None`, section 4.4) that fills a gap.
pub fn request_digest(request: &Option<Request>) -> Digest {
    digest_of(request)
}

/// A signature: what only the signer can compute over a body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Signature(pub u64);

/// `signer`'s signature over `body`'s digest. (A model of a public-key
/// signature: only `signer`'s own code calls this with its own number.)
fn signature_of<T: Hash>(signer: NodeId, body: &T) -> Signature {
    Signature(digest_of(&("pbft-key", signer as u64, digest_of(body).0)).0)
}

/// A message signed by `signer`: `⟨body⟩σ_signer`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Signed<T> {
    pub body: T,
    pub signer: NodeId,
    pub signature: Signature,
}

impl<T: Hash> Signed<T> {
    /// Whether the signature is `signer`'s over `body`.
    pub fn valid(&self) -> bool {
        self.signature == signature_of(self.signer, &self.body)
    }
}

/// Signs `body` as `signer` (a server's own code, with its own number).
pub fn sign<T: Hash>(signer: NodeId, body: T) -> Signed<T> {
    let signature = signature_of(signer, &body);
    Signed {
        body,
        signer,
        signature,
    }
}

/// What a liar puts in a certificate under another server's name: the
/// body, "signed" with the only key it has, its own.
pub fn forge<T: Hash>(liar: NodeId, claimed_signer: NodeId, body: T) -> Signed<T> {
    let signature = signature_of(liar, &body);
    Signed {
        body,
        signer: claimed_signer,
        signature,
    }
}

/// `⟨PRE-PREPARE, v, n, d⟩σp` (section 4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PrePrepare {
    pub v: View,
    pub n: SeqNo,
    pub d: Digest,
}

/// `⟨PREPARE, v, n, d, i⟩σi`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Prepare {
    pub v: View,
    pub n: SeqNo,
    pub d: Digest,
    pub i: NodeId,
}

/// `⟨COMMIT, v, n, D(m), i⟩σi`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Commit {
    pub v: View,
    pub n: SeqNo,
    pub d: Digest,
    pub i: NodeId,
}

/// `⟨REPLY, v, t, c, i, r⟩σi` (section 4.1); `r` is the value of the key
/// the operation wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reply {
    pub v: View,
    pub t: u64,
    pub c: NodeId,
    pub i: NodeId,
    pub r: u32,
}

/// `⟨CHECKPOINT, n, d, i⟩σi` (section 4.3): `d` is the digest of the state
/// after executing the request with sequence number `n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Checkpoint {
    pub n: SeqNo,
    pub d: Digest,
    pub i: NodeId,
}

/// A prepared certificate, `P_m` of section 4.4: a valid pre-prepare and 2f
/// matching valid prepares from different backups. It carries the request
/// too (the paper leaves the client message out and lets a replica that
/// lacks it fetch it; carrying it spares the fetch and changes no rule: its
/// digest must be the pre-prepare's).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PreparedCert {
    pub pre_prepare: Signed<PrePrepare>,
    pub request: Option<Request>,
    pub prepares: Vec<Signed<Prepare>>,
}

impl PreparedCert {
    pub fn v(&self) -> View {
        self.pre_prepare.body.v
    }
    pub fn n(&self) -> SeqNo {
        self.pre_prepare.body.n
    }
    pub fn d(&self) -> Digest {
        self.pre_prepare.body.d
    }
}

/// `⟨VIEW-CHANGE, v+1, n, C, P, i⟩σi` (section 4.4): `n` is the sequence
/// number of the last stable checkpoint `s` known to `i`, `C` its 2f + 1
/// checkpoint messages, `P` a prepared certificate for each request
/// prepared at `i` with a sequence number above `n`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ViewChange {
    pub v: View,
    pub n: SeqNo,
    pub c: Vec<Signed<Checkpoint>>,
    pub p: Vec<PreparedCert>,
    pub i: NodeId,
}

/// `⟨NEW-VIEW, v+1, V, O⟩σp`: `V` the valid view changes the new primary
/// received, `O` the pre-prepares it computed from them (with the request
/// each assigns, `None` for the null request).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NewView {
    pub v: View,
    pub vs: Vec<Signed<ViewChange>>,
    pub o: Vec<(Signed<PrePrepare>, Option<Request>)>,
}

/// What a replica's service holds, as a checkpoint digests it: the
/// key-value data and, per client, the timestamp and result of its last
/// executed request (section 4.3: the state includes the last replies).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ServiceState {
    pub data: std::collections::BTreeMap<char, u32>,
    pub last_reply: std::collections::BTreeMap<NodeId, (u64, u32)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PbftMessage {
    /// `⟨REQUEST, o, t, c⟩`: from the client, or forwarded by a backup.
    Request(Request),
    /// The pre-prepare with the request it assigns (piggybacked, section 4.2).
    PrePrepare {
        pre_prepare: Signed<PrePrepare>,
        request: Option<Request>,
    },
    Prepare(Signed<Prepare>),
    Commit(Signed<Commit>),
    Reply(Reply),
    Checkpoint(Signed<Checkpoint>),
    ViewChange(Signed<ViewChange>),
    NewView(Signed<NewView>),
    /// A replica whose state is behind a stable checkpoint asks for it.
    FetchState {
        n: SeqNo,
    },
    /// The state at checkpoint `n`; the receiver checks it against the
    /// digest its 2f + 1 CHECKPOINTs certify.
    State {
        n: SeqNo,
        state: ServiceState,
    },
}

impl MessageMeta for PbftMessage {
    fn kind(&self) -> &'static str {
        match self {
            PbftMessage::Request(_) => "Request",
            PbftMessage::PrePrepare { .. } => "PrePrepare",
            PbftMessage::Prepare(_) => "Prepare",
            PbftMessage::Commit(_) => "Commit",
            PbftMessage::Reply(_) => "Reply",
            PbftMessage::Checkpoint(_) => "Checkpoint",
            PbftMessage::ViewChange(_) => "ViewChange",
            PbftMessage::NewView(_) => "NewView",
            PbftMessage::FetchState { .. } => "FetchState",
            PbftMessage::State { .. } => "State",
        }
    }

    fn is_reply(&self) -> bool {
        matches!(self, PbftMessage::Reply(_) | PbftMessage::State { .. })
    }

    fn term(&self) -> Option<u64> {
        match self {
            PbftMessage::PrePrepare { pre_prepare, .. } => Some(pre_prepare.body.v),
            PbftMessage::Prepare(p) => Some(p.body.v),
            PbftMessage::Commit(c) => Some(c.body.v),
            PbftMessage::Reply(r) => Some(r.v),
            PbftMessage::ViewChange(vc) => Some(vc.body.v),
            PbftMessage::NewView(nv) => Some(nv.body.v),
            _ => None,
        }
    }
}

//! The pure core of Quorum: a deterministic discrete-event simulation of a
//! cluster running a consensus protocol.
//!
//! A run is a pure function of its [`SimConfig`] (which carries the seed) and
//! the user's timed [`Command`]s. Nothing here reads a wall clock, the OS
//! random source or iterates a hash map, so the same run produces the same
//! events, and the same [`Sim::trace_hash`], natively and in WebAssembly.
//!
//! - [`kernel`]: the virtual clock, event queue, commands, events, errors,
//!   nodes, network, time travel, trace and RNG.
//! - [`protocol`]: the one trait every protocol implements.
//! - [`quorum`]: who counts as a quorum (a majority of voters, today).
//! - [`raft`]: Raft, after Figure 2 of the extended Raft paper; Figure 3 as code.
//! - [`paxos`]: basic (single-decree) Paxos, after "Paxos Made Simple".
//! - [`multipaxos`]: Multi-Paxos: a leader, phase 1 once for all slots, phase 2 per slot.
//! - [`vr`]: Viewstamped Replication Revisited: views, view changes, recovery without disk, state transfer.
//! - [`zab`]: Zab (DSN 2011), with ZooKeeper's Fast Leader Election as phase 0;
//!   not yet in the registry (the page's side comes later).
//! - [`pbft`]: PBFT (OSDI 1999), with servers that lie ([`Command::MakeByzantine`]).
//! - [`chunked`]: a vector whose copies share their common history, for state
//!   that grows with a run and is copied by every snapshot.
//! - [`check`]: safety properties as code, and the one checker that runs them;
//!   each protocol's properties are in its own `safety.rs`.
//! - [`registry`]: the one list of the protocols, with their scenarios.
//! - [`chaos`]: one randomized fault driver for every protocol.
//! - [`share`]: a run as link text, and back.
//! - [`scenario`]: a run plus narration whose claims are checked by code.

pub mod chaos;
pub mod check;
pub mod chunked;
pub mod kernel;
pub mod kv;
pub mod multipaxos;
pub mod paxos;
pub mod pbft;
pub mod protocol;
pub mod quorum;
pub mod raft;
pub mod registry;
pub mod scenario;
pub mod share;
pub mod vr;
pub mod zab;

// The kernel's modules under the paths they had before it was split (issue 10).
pub use kernel::{network, rng, timeline, trace};

/// The kernel's items under the path they had before it was split (issue 10):
/// `quorum_sim::sim::SimError` is [`kernel::SimError`].
pub mod sim {
    pub use crate::kernel::{
        ArmedTimer, Behaviour, Command, DropReason, EventOf, NodeSlot, NodeState, NodeStatus,
        RecordedCommand, Sim, SimConfig, SimError, SimErrorKind, SimEvent, TimedEvent, MAX_DELAY,
        MAX_NODES,
    };
}

pub use check::{Checked, Checker, Violation};
pub use kernel::timeline::Observer;
pub use kernel::{
    Behaviour, Command, Envelope, EventOf, MsgId, NetworkConfig, NodeSlot, NodeStatus,
    RecordedCommand, Sim, SimConfig, SimError, SimEvent, TimedEvent, Timeline,
};
pub use protocol::{Ctx, MessageMeta, Protocol};

/// A node's identity: its index in the cluster, `0..n`. Shown to people as `S1..Sn`.
pub type NodeId = usize;

/// Virtual time in microseconds since the start of the run.
pub type Time = u64;

/// One millisecond of virtual time.
pub const MS: Time = 1_000;

/// The name people see for a node: `S1` for node 0, as in the Raft paper's figures.
pub fn node_name(id: NodeId) -> String {
    format!("S{}", id + 1)
}

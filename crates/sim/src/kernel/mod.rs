//! The discrete-event world a protocol runs in: a virtual clock, an ordered
//! event queue, the seeded RNG, the nodes, the network, user commands and the
//! trace.
//!
//! Events are ordered by `(time, sequence number)`, so two events at the same
//! virtual time always run in the order they were scheduled. The simulation
//! keeps no copy of its history: the trace is folded into [`Sim::trace_hash`]
//! as it happens and handed to the caller, and a run can be rebuilt from its
//! configuration and [`Sim::commands`] with [`Sim::replay`].
//!
//! - `queue`: the `(time, sequence)` event queue.
//! - `command`: [`Command`], how it is recorded ([`RecordedCommand`]) and
//!   whether it applies now ([`Sim::check`]).
//! - `event`: [`SimEvent`], what the trace records.
//! - `error`: [`SimError`] and the wording of each [`SimErrorKind`].
//! - `node`: a server's slot: running or crashed, and its armed timers.
//! - `sim`: [`Sim`] itself.
//! - [`network`], [`timeline`], [`trace`], [`rng`].

mod command;
mod error;
mod event;
mod node;
mod queue;
mod sim;

pub mod network;
pub mod rng;
pub mod timeline;
pub mod trace;

pub use command::{Behaviour, Command, RecordedCommand, MAX_DELAY};
pub use error::{SimError, SimErrorKind};
pub use event::{DropReason, EventOf, Nodes, SimEvent, TimedEvent};
pub use network::{Envelope, MsgId, NetworkConfig};
pub use node::{ArmedTimer, NodeSlot, NodeState, NodeStatus};
pub use sim::{Position, Sim, SimConfig, MAX_NODES};
pub use timeline::Timeline;

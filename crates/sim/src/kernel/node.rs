//! The servers of a run: each one running (with its protocol state) or
//! crashed (with only what it persisted), and its armed timers.

use crate::protocol::Protocol;
use crate::{NodeId, Time};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NodeStatus {
    Up,
    Crashed,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(bound = "")]
pub enum NodeState<P: Protocol> {
    Up(P),
    /// A crashed node keeps only what it persisted.
    Crashed(P::Persistent),
}

/// A timer that is armed: when it was set and when it fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ArmedTimer {
    pub set_at: Time,
    pub deadline: Time,
    /// Its place in the event queue among events at `deadline`.
    pub(super) seq: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct NodeSlot<P: Protocol> {
    pub id: NodeId,
    pub state: NodeState<P>,
    pub timers: BTreeMap<P::Timer, ArmedTimer>,
}

impl<P: Protocol> NodeSlot<P> {
    pub fn status(&self) -> NodeStatus {
        match self.state {
            NodeState::Up(_) => NodeStatus::Up,
            NodeState::Crashed(_) => NodeStatus::Crashed,
        }
    }
    /// The running node, or `None` if it is crashed.
    pub fn up(&self) -> Option<&P> {
        match &self.state {
            NodeState::Up(p) => Some(p),
            NodeState::Crashed(_) => None,
        }
    }
    /// What the node has on stable storage (for a running node, what it would keep if it crashed now).
    pub fn persistent(&self) -> P::Persistent {
        match &self.state {
            NodeState::Up(p) => p.persistent(),
            NodeState::Crashed(s) => s.clone(),
        }
    }
}

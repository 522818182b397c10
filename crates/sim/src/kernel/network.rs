//! The simulated network: envelopes in flight, latency, loss and cut links.

use crate::{NodeId, Time, MS};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A message's identity, unique within a run.
pub type MsgId = u64;

/// A message in flight.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Envelope<M> {
    pub id: MsgId,
    pub from: NodeId,
    pub to: NodeId,
    pub sent_at: Time,
    pub deliver_at: Time,
    pub payload: M,
}

impl<M> Envelope<M> {
    /// How far along its path the message is at `now`, from 0 (just sent) to 1 (arriving).
    pub fn progress(&self, now: f64) -> f64 {
        let span = self.deliver_at.saturating_sub(self.sent_at) as f64;
        if span <= 0.0 {
            return 1.0;
        }
        ((now - self.sent_at as f64) / span).clamp(0.0, 1.0)
    }
}

/// How the network treats messages. Adjustable during a run by [`crate::Command`]s.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct NetworkConfig {
    /// One-way latency is drawn uniformly from `latency_min..=latency_max`.
    pub latency_min: Time,
    pub latency_max: Time,
    /// Chance, in thousandths, that a message is lost in transit.
    pub loss_per_mille: u32,
    /// Messages on one link arrive in the order they were sent, as over the
    /// TCP connections real Raft servers use. When false, a message may
    /// overtake an earlier one on the same link.
    pub ordered: bool,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        NetworkConfig {
            latency_min: 10 * MS,
            latency_max: 20 * MS,
            loss_per_mille: 0,
            ordered: true,
        }
    }
}

impl NetworkConfig {
    pub fn validate(&self) -> Result<(), NetworkError> {
        if self.latency_min > self.latency_max {
            return Err(NetworkError::EmptyLatencyRange {
                min: self.latency_min,
                max: self.latency_max,
            });
        }
        if self.loss_per_mille > 1000 {
            return Err(NetworkError::LossAboveAll {
                per_mille: self.loss_per_mille,
            });
        }
        Ok(())
    }
}

/// Why network settings cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetworkError {
    /// The least latency is above the most.
    EmptyLatencyRange { min: Time, max: Time },
    /// More than every message lost.
    LossAboveAll { per_mille: u32 },
}

impl std::fmt::Display for NetworkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NetworkError::EmptyLatencyRange { min, max } => {
                write!(f, "latency range is empty: {min} µs > {max} µs")
            }
            NetworkError::LossAboveAll { per_mille } => {
                write!(f, "loss {per_mille}‰ is more than 1000‰")
            }
        }
    }
}

/// Directed links that are cut: a message sent over one is lost when it would arrive.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Links {
    cut: BTreeSet<(NodeId, NodeId)>,
}

impl Links {
    pub fn cut(&mut self, from: NodeId, to: NodeId) {
        self.cut.insert((from, to));
    }
    pub fn heal(&mut self, from: NodeId, to: NodeId) {
        self.cut.remove(&(from, to));
    }
    pub fn heal_all(&mut self) {
        self.cut.clear();
    }
    pub fn is_cut(&self, from: NodeId, to: NodeId) -> bool {
        self.cut.contains(&(from, to))
    }
    pub fn cut_links(&self) -> impl Iterator<Item = (NodeId, NodeId)> + '_ {
        self.cut.iter().copied()
    }
}

//! The event queue: what is scheduled, ordered by `(time, sequence number)`,
//! so two events at the same virtual time always run in the order they were
//! scheduled.

use super::network::MsgId;
use crate::{NodeId, Time};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the queue holds: a message to deliver or a timer to fire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(super) enum Scheduled<T> {
    Deliver { id: MsgId },
    Timer { node: NodeId, timer: T },
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(bound(serialize = "T: Serialize", deserialize = "T: Deserialize<'de>"))]
pub(super) struct EventQueue<T> {
    /// Keyed by (time, sequence): the order events run in.
    #[serde(with = "pairs")]
    entries: BTreeMap<(Time, u64), Scheduled<T>>,
    /// The sequence number the next scheduled event gets.
    next_seq: u64,
}

impl<T: Copy + PartialEq> EventQueue<T> {
    pub(super) fn new() -> Self {
        EventQueue {
            entries: BTreeMap::new(),
            next_seq: 0,
        }
    }

    /// Schedules `what` at `time`, after everything already scheduled then;
    /// returns its sequence number.
    pub(super) fn push(&mut self, time: Time, what: Scheduled<T>) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.entries.insert((time, seq), what);
        seq
    }

    /// Unschedules the event queued at `(time, seq)`.
    pub(super) fn remove(&mut self, time: Time, seq: u64) {
        self.entries.remove(&(time, seq));
    }

    /// Unschedules the delivery of message `id`.
    pub(super) fn remove_delivery(&mut self, id: MsgId) {
        self.entries.retain(|_, s| *s != Scheduled::Deliver { id });
    }

    /// Takes the earliest event out of the queue.
    pub(super) fn pop(&mut self) -> Option<(Time, Scheduled<T>)> {
        let ((time, _), what) = self.entries.pop_first()?;
        Some((time, what))
    }

    pub(super) fn next_time(&self) -> Option<Time> {
        self.entries.keys().next().map(|k| k.0)
    }

    #[cfg(test)]
    pub(super) fn get(&self, time: Time, seq: u64) -> Option<&Scheduled<T>> {
        self.entries.get(&(time, seq))
    }

    #[cfg(test)]
    pub(super) fn iter(&self) -> impl Iterator<Item = (&(Time, u64), &Scheduled<T>)> {
        self.entries.iter()
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }
}

/// Serializes a map with tuple keys as a list of pairs (JSON allows only string keys).
pub(super) mod pairs {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<K: Serialize, V: Serialize, S: Serializer>(
        map: &BTreeMap<K, V>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(map.iter())
    }

    pub fn deserialize<'de, K, V, D>(d: D) -> Result<BTreeMap<K, V>, D::Error>
    where
        K: Deserialize<'de> + Ord,
        V: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Ok(Vec::<(K, V)>::deserialize(d)?.into_iter().collect())
    }
}

//! Safety properties as code: a protocol says what it checks after each
//! state of a run ([`Checked`]); one [`Checker`] runs that check over a whole
//! run, keeps the first violation and counts the events it has seen.
//!
//! The split is stateright's (`Model::properties`, one checker for every
//! model): the protocol writes only the pure check next to its code, in
//! `<protocol>/safety.rs`; what every checker needs around it is here, once.

use crate::kernel::{EventOf, Sim};
use crate::protocol::Protocol;
use crate::Time;
use std::fmt::Debug;

/// A broken safety property, with what broke it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub property: &'static str,
    pub time: Time,
    pub detail: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} violated at {} µs: {}",
            self.property, self.time, self.detail
        )
    }
}

/// A protocol's safety properties, checked against every state of a run
/// with the events that led to it.
pub trait Checked: Protocol {
    /// What the check remembers of the run so far: the history the properties
    /// are checked over (leaders by term, what was chosen, promises, ...).
    type Safety: Clone + Debug + Default;

    /// The names of the properties checked, as a [`Violation`] names them.
    const PROPERTIES: &'static [&'static str];

    /// Checks the state `sim` is in after `events` happened. A [`Checker`]
    /// calls it once with no events for the starting state, then after every
    /// step and command, in order, and never again after a violation. (Not
    /// `check`: a scenario's claims are checked by `Scripted::check`, and most
    /// protocols are both.)
    fn check_safety(
        safety: &mut Self::Safety,
        sim: &Sim<Self>,
        events: &[EventOf<Self>],
    ) -> Result<(), Violation>;
}

/// Checks a run as it happens: feed it the state after `Sim::new` (with no
/// events) and after every `step`, `advance_to` or `apply`. The first
/// violation is kept; from then on every call returns it.
pub struct Checker<P: Checked> {
    safety: P::Safety,
    violation: Option<Violation>,
    events_checked: u64,
}

impl<P: Checked> Checker<P> {
    pub fn new() -> Self {
        Checker {
            safety: P::Safety::default(),
            violation: None,
            events_checked: 0,
        }
    }

    /// Checks the state after `events`.
    pub fn observe(&mut self, sim: &Sim<P>, events: &[EventOf<P>]) -> Result<(), Violation> {
        if let Some(v) = &self.violation {
            return Err(v.clone());
        }
        self.events_checked += events.len() as u64;
        let result = P::check_safety(&mut self.safety, sim, events);
        if let Err(v) = &result {
            self.violation = Some(v.clone());
        }
        result
    }

    /// The first violation found, if any.
    pub fn violation(&self) -> Option<&Violation> {
        self.violation.as_ref()
    }

    /// How many events the checker has seen.
    pub fn events_checked(&self) -> u64 {
        self.events_checked
    }

    /// What the protocol's check remembers (e.g. the value Paxos chose).
    pub fn safety(&self) -> &P::Safety {
        &self.safety
    }
}

/// A checker follows a timeline's run: the run's first violation is kept
/// (see [`Checker::violation`]).
impl<P: Checked> crate::kernel::timeline::Observer<P> for Checker<P> {
    fn observe(&mut self, sim: &Sim<P>, events: &[EventOf<P>]) {
        let _ = Checker::observe(self, sim, events);
    }
}

impl<P: Checked> Default for Checker<P> {
    fn default() -> Self {
        Self::new()
    }
}

impl<P: Checked> Clone for Checker<P> {
    fn clone(&self) -> Self {
        Checker {
            safety: self.safety.clone(),
            violation: self.violation.clone(),
            events_checked: self.events_checked,
        }
    }
}

impl<P: Checked> Debug for Checker<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checker")
            .field("safety", &self.safety)
            .field("violation", &self.violation)
            .field("events_checked", &self.events_checked)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raft::Raft;
    use crate::{SimConfig, SimEvent, TimedEvent};

    /// Events naming every server, so the check looks at each again.
    fn touch_all(sim: &Sim<Raft>) -> Vec<EventOf<Raft>> {
        (0..sim.nodes().len())
            .map(|node| TimedEvent {
                time: sim.now(),
                event: SimEvent::NodeRestarted { node },
            })
            .collect()
    }

    #[test]
    fn the_first_violation_is_kept_and_counting_stops_there() {
        let mut sim = Sim::<Raft>::new(SimConfig::new(3, 1)).unwrap();
        let mut checker = Checker::<Raft>::new();
        checker.observe(&sim, &[]).unwrap();
        let events = sim.advance_to(1_000_000);
        checker.observe(&sim, &events).unwrap();
        assert_eq!(checker.events_checked(), events.len() as u64);
        assert!(checker.violation().is_none());

        // Every server a leader of the term one of them won: a second leader.
        let mut json = serde_json::to_value(&sim).unwrap();
        for node in json["nodes"].as_array_mut().unwrap() {
            node["state"]["Up"]["role"] = "Leader".into();
        }
        let broken: Sim<Raft> = serde_json::from_value(json).unwrap();
        let first = checker.observe(&broken, &touch_all(&broken)).unwrap_err();
        assert_eq!(first.property, "Election Safety");
        let counted = checker.events_checked();
        // Even a healthy state now gets the first violation back, uncounted.
        assert_eq!(checker.observe(&sim, &events), Err(first.clone()));
        assert_eq!(checker.violation(), Some(&first));
        assert_eq!(checker.events_checked(), counted);
    }
}

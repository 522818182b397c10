//! Time travel over a run, without a copy of the state for every event.
//!
//! A [`Timeline`] keeps the run's recording (its configuration and every user
//! command, which determine it completely) and a snapshot every
//! [`Timeline::snapshot_every`] events. Showing any earlier moment restores the
//! nearest snapshot before it and replays from there; playing on from the past
//! replays the recorded commands at their moments; acting in the past forks
//! the run there, discarding the old future.

use super::{EventOf, RecordedCommand, SimError};
use crate::{Command, Protocol, Sim, SimConfig, Time};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Timeline<P: Protocol> {
    /// The moment being shown.
    sim: Sim<P>,
    /// Every command of the run, including those after the moment shown.
    recording: Vec<RecordedCommand>,
    /// Snapshots in order, the first at the start of the run; each is a prefix
    /// of the recording. Shared, so copying a timeline (as a UI does for every
    /// change it draws) does not copy them.
    snapshots: Vec<Arc<Sim<P>>>,
    /// The furthest point the run has reached: (events processed, virtual time).
    end: (u64, Time),
    snapshot_every: u64,
}

impl<P: Protocol> Timeline<P> {
    /// A new run. A snapshot is kept every `snapshot_every` events (at least 1).
    pub fn new(config: SimConfig<P::Config>, snapshot_every: u64) -> Result<Self, SimError> {
        let sim = Sim::new(config)?;
        Ok(Timeline {
            end: (sim.events_processed(), sim.now()),
            snapshots: vec![Arc::new(sim.clone())],
            sim,
            recording: Vec::new(),
            snapshot_every: snapshot_every.max(1),
        })
    }

    /// Rebuilds a recorded run, positioned at its start.
    pub fn from_recording(
        config: SimConfig<P::Config>,
        recording: Vec<RecordedCommand>,
        snapshot_every: u64,
    ) -> Result<Self, SimError> {
        // Check the whole recording replays before accepting it.
        let full = Sim::<P>::replay(config.clone(), &recording)?;
        let mut timeline = Timeline::new(config, snapshot_every)?;
        timeline.end = (full.events_processed(), full.now());
        timeline.recording = recording;
        Ok(timeline)
    }

    /// The run at the moment shown.
    pub fn sim(&self) -> &Sim<P> {
        &self.sim
    }

    pub fn recording(&self) -> &[RecordedCommand] {
        &self.recording
    }

    pub fn snapshot_every(&self) -> u64 {
        self.snapshot_every
    }

    pub fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }

    /// The furthest virtual time the run has reached.
    pub fn end_time(&self) -> Time {
        self.end.1
    }

    /// The number of events the run has processed at its furthest point.
    pub fn end_events(&self) -> u64 {
        self.end.0
    }

    /// The run's configuration.
    pub fn config(&self) -> &SimConfig<P::Config> {
        self.sim.config()
    }

    /// True when the moment shown is before the end of the run.
    pub fn in_past(&self) -> bool {
        (self.sim.events_processed(), self.sim.now()) < self.end
            || self.sim.commands().len() < self.recording.len()
    }

    /// The next recorded command still ahead of the moment shown.
    fn pending(&self) -> Option<&RecordedCommand> {
        self.recording.get(self.sim.commands().len())
    }

    fn note_progress(&mut self) {
        let here = (self.sim.events_processed(), self.sim.now());
        if here > self.end {
            self.end = here;
        }
        let last = self.snapshots.last().map_or(0, |s| s.events_processed());
        if self.sim.events_processed() >= last + self.snapshot_every {
            self.snapshots.push(Arc::new(self.sim.clone()));
        }
    }

    /// Processes one event, after any recorded command due before it.
    pub fn step(&mut self) -> Option<Vec<EventOf<P>>> {
        let mut events = Vec::new();
        self.step_each(|_, e| events.extend_from_slice(e))?;
        Some(events)
    }

    /// Processes one event like [`Timeline::step`], calling `each` after a
    /// replayed command and after the event. `None` if no event is left.
    pub fn step_each(&mut self, mut each: impl FnMut(&Sim<P>, &[EventOf<P>])) -> Option<()> {
        self.sim.next_event_time()?;
        let due = self.apply_due_commands(Time::MAX);
        if !due.is_empty() {
            each(&self.sim, &due);
        }
        let events = self.sim.step()?;
        self.note_progress();
        each(&self.sim, &events);
        Some(())
    }

    /// Replays the recorded commands due at the current event count, if their
    /// time is at most `until`. No event may run before a due command.
    fn apply_due_commands(&mut self, until: Time) -> Vec<EventOf<P>> {
        let mut events = Vec::new();
        while let Some(c) = self
            .pending()
            .filter(|c| c.after_events == self.sim.events_processed() && c.at <= until)
        {
            let c = c.clone();
            match self.sim.replay_one(&c) {
                Ok(e) => events.extend(e),
                Err(_) => {
                    // A recording that replayed when it was made cannot fail
                    // here; if it somehow does, its future is unusable.
                    self.recording.truncate(self.sim.commands().len());
                }
            }
        }
        events
    }

    /// Runs forward to `until`, replaying recorded commands on the way.
    pub fn advance_to(&mut self, until: Time) -> Vec<EventOf<P>> {
        let mut events = Vec::new();
        self.advance_to_each(until, |_, e| events.extend_from_slice(e));
        events
    }

    /// Runs forward to `until` like [`Timeline::advance_to`], calling `each`
    /// with the state after every event and after every replayed command, so
    /// a checker can examine every intermediate state.
    pub fn advance_to_each(&mut self, until: Time, mut each: impl FnMut(&Sim<P>, &[EventOf<P>])) {
        let due = self.apply_due_commands(until);
        if !due.is_empty() {
            each(&self.sim, &due);
        }
        let blocked = |t: &Self| {
            t.pending()
                .is_some_and(|c| c.after_events == t.sim.events_processed())
        };
        while !blocked(self) && self.sim.next_event_time().is_some_and(|t| t <= until) {
            let events = self.sim.step().unwrap_or_default();
            self.note_progress();
            each(&self.sim, &events);
            let due = self.apply_due_commands(until);
            if !due.is_empty() {
                each(&self.sim, &due);
            }
        }
        // A command still due lies after `until`, and so does every event.
        self.sim.advance_to(until);
        self.note_progress();
    }

    /// Applies a user command at the moment shown. In the past, this forks the
    /// run: the recorded future after this moment is discarded.
    pub fn apply(&mut self, command: Command) -> Result<Vec<EventOf<P>>, SimError> {
        self.sim.check(&command)?;
        if self.in_past() {
            self.recording.truncate(self.sim.commands().len());
            let here = &self.sim;
            // Keep only snapshots of this run's past: a snapshot at the same
            // event count may already hold a command of the discarded future.
            self.snapshots.retain(|s| {
                s.events_processed() <= here.events_processed()
                    && s.commands().len() <= here.commands().len()
                    && s.now() <= here.now()
            });
            self.end = (here.events_processed(), here.now());
        }
        let events = self.sim.apply(command)?;
        self.recording
            .push(self.sim.commands().last().expect("just recorded").clone());
        self.note_progress();
        Ok(events)
    }

    /// Shows the run as it was at virtual time `t` (clamped to the run's end).
    pub fn seek(&mut self, t: Time) {
        let t = t.min(self.end.1);
        let start = self
            .snapshots
            .iter()
            .rposition(|s| s.now() <= t)
            .unwrap_or(0);
        self.sim = Sim::clone(&self.snapshots[start]);
        self.advance_to(t);
    }

    /// Shows the run as it was right after its `n`th event (and the commands applied just after it).
    pub fn seek_event(&mut self, n: u64) {
        let n = n.min(self.end.0);
        let start = self
            .snapshots
            .iter()
            .rposition(|s| s.events_processed() <= n)
            .unwrap_or(0);
        self.sim = Sim::clone(&self.snapshots[start]);
        while self.sim.events_processed() < n {
            if self.step().is_none() {
                break;
            }
        }
        self.apply_due_commands(Time::MAX);
    }

    /// Shows the run as it was at a moment written down as (events
    /// processed, virtual time), as a link or a file records it: the
    /// commands recorded after the last of those events apply only if they
    /// were given at or before that time.
    /// The moment may lie past the run's furthest point so far (a link
    /// written after its last command): the run goes on to it.
    pub fn seek_moment(&mut self, events: u64, time: Time) {
        let n = events;
        let start = self
            .snapshots
            .iter()
            .rposition(|s| s.events_processed() <= n && s.now() <= time)
            .unwrap_or(0);
        self.sim = Sim::clone(&self.snapshots[start]);
        loop {
            self.apply_due_commands(time);
            if self.sim.events_processed() >= n {
                break;
            }
            if self.sim.step().is_none() {
                break;
            }
            self.note_progress();
        }
        // Every event up to the moment's time ran before it was written down
        // (or the moment is an event's own time): moving the clock runs none.
        if self.sim.next_event_time().is_none_or(|t| t > time) {
            self.sim.advance_to(time);
        }
        self.note_progress();
    }

    /// One event back.
    pub fn step_back(&mut self) {
        let n = self.sim.events_processed();
        if n > 0 {
            self.seek_event(n - 1);
        }
    }
}

//! Time travel over a run, without a copy of the state for every event.
//!
//! A [`Timeline`] keeps the run's recording (its configuration and every user
//! command, which determine it completely) and a snapshot every
//! [`Timeline::snapshot_every`] events. Showing any earlier moment restores the
//! nearest snapshot before it and replays from there; playing on from the past
//! replays the recorded commands at their moments; acting in the past forks
//! the run there, discarding the old future.
//!
//! An [`Observer`] (a safety checker, a page's event feed) follows the run's
//! furthest point: it sees every state of the run once, in order, the first
//! time the run reaches it. Each snapshot keeps the observer as it was there,
//! so a fork restores the nearest one and replays at most `snapshot_every`
//! events to bring the observer to the moment of the fork, instead of
//! replaying the run from its start.

use super::{EventOf, RecordedCommand, SimError};
use crate::{Command, Protocol, Sim, SimConfig, Time};
use std::sync::Arc;

/// Something that watches a run state by state: after the start (with no
/// events), then after every event and every command, with what it did.
/// Cloned with every snapshot of a [`Timeline`], so its clone should be cheap
/// (share what only grows; see [`crate::chunked`]).
pub trait Observer<P: Protocol>: Clone {
    fn observe(&mut self, sim: &Sim<P>, events: &[EventOf<P>]);
}

/// No observer: a timeline that only travels.
impl<P: Protocol> Observer<P> for () {
    fn observe(&mut self, _: &Sim<P>, _: &[EventOf<P>]) {}
}

use super::Position;

fn position<P: Protocol>(sim: &Sim<P>) -> Position {
    sim.position()
}

/// The run at one moment, and its observer having seen the run up to it.
#[derive(Clone, Debug)]
struct Snapshot<P: Protocol, O> {
    sim: Sim<P>,
    observer: O,
}

#[derive(Clone, Debug)]
pub struct Timeline<P: Protocol, O: Observer<P> = ()> {
    /// The moment being shown.
    sim: Sim<P>,
    /// Every command of the run, including those after the moment shown.
    recording: Vec<RecordedCommand>,
    /// Snapshots in order, the first at the start of the run; each is a prefix
    /// of the recording. Shared, so copying a timeline (as a UI does for every
    /// change it draws) does not copy them.
    snapshots: Vec<Arc<Snapshot<P, O>>>,
    /// The furthest point the run has reached: (events processed, virtual time).
    end: (u64, Time),
    snapshot_every: u64,
    /// What has watched the run up to `observed`, its furthest state.
    observer: O,
    observed: Position,
}

impl<P: Protocol, O: Observer<P> + Default> Timeline<P, O> {
    /// A new run. A snapshot is kept every `snapshot_every` events (at least 1).
    pub fn new(config: SimConfig<P::Config>, snapshot_every: u64) -> Result<Self, SimError> {
        let sim = Sim::new(config)?;
        let mut observer = O::default();
        observer.observe(&sim, &[]);
        Ok(Timeline {
            end: (sim.events_processed(), sim.now()),
            snapshots: vec![Arc::new(Snapshot {
                sim: sim.clone(),
                observer: observer.clone(),
            })],
            observed: position(&sim),
            observer,
            sim,
            recording: Vec::new(),
            snapshot_every: snapshot_every.max(1),
        })
    }

    /// Rebuilds a recorded run, positioned at its start. The whole recording
    /// is replayed once, so the observer has seen all of it and snapshots
    /// cover it; a recording that does not replay is refused with the reason.
    pub fn from_recording(
        config: SimConfig<P::Config>,
        recording: Vec<RecordedCommand>,
        snapshot_every: u64,
    ) -> Result<Self, SimError> {
        let mut timeline = Timeline::new(config, snapshot_every)?;
        for (i, c) in recording.iter().enumerate() {
            // The events before it run here, where the observer sees them.
            while timeline.sim.events_processed() < c.after_events {
                if timeline.step_sim().is_none() {
                    break;
                }
            }
            let events = timeline.sim.replay_one(c).map_err(|e| {
                SimError::from(super::SimErrorKind::Replay {
                    number: i + 1,
                    command: Box::new(c.command.clone()),
                    reason: Box::new(e.1),
                })
            })?;
            timeline.saw(&events);
            timeline.note_progress();
        }
        timeline.recording = recording;
        timeline.sim = timeline.snapshots[0].sim.clone();
        Ok(timeline)
    }
}

impl<P: Protocol, O: Observer<P>> Timeline<P, O> {
    /// The run at the moment shown.
    pub fn sim(&self) -> &Sim<P> {
        &self.sim
    }

    /// The observer, having seen each state of the run once, up to its
    /// furthest point (the future a fork discarded forgotten).
    pub fn observer(&self) -> &O {
        &self.observer
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

    /// The observer sees the state shown, after `events`, if the run is
    /// there for the first time.
    fn saw(&mut self, events: &[EventOf<P>]) {
        let here = position(&self.sim);
        if here > self.observed {
            self.observed = here;
            self.observer.observe(&self.sim, events);
        }
    }

    fn note_progress(&mut self) {
        let here = (self.sim.events_processed(), self.sim.now());
        if here > self.end {
            self.end = here;
        }
        // A snapshot is taken at the furthest point, where the observer is.
        let last = self
            .snapshots
            .last()
            .map_or(0, |s| s.sim.events_processed());
        if self.sim.events_processed() >= last + self.snapshot_every
            && position(&self.sim) == self.observed
        {
            self.snapshots.push(Arc::new(Snapshot {
                sim: self.sim.clone(),
                observer: self.observer.clone(),
            }));
        }
    }

    /// One event of the run, seen by the observer if new.
    fn step_sim(&mut self) -> Option<Vec<EventOf<P>>> {
        let events = self.sim.step()?;
        self.saw(&events);
        self.note_progress();
        Some(events)
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
        let events = self.step_sim()?;
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
                Ok(e) => {
                    self.saw(&e);
                    events.extend(e);
                }
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
    /// with the state after every event and after the commands replayed
    /// after it, so a checker can examine every intermediate state.
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
            let events = self.step_sim().unwrap_or_default();
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
    /// run: the recorded future after this moment is discarded, and the
    /// observer is what it was when the run first reached this moment.
    pub fn apply(&mut self, command: Command) -> Result<Vec<EventOf<P>>, SimError> {
        self.sim.check(&command)?;
        if self.in_past() {
            self.recording.truncate(self.sim.commands().len());
            let here = &self.sim;
            // Keep only snapshots of this run's past: a snapshot at the same
            // event count may already hold a command of the discarded future.
            self.snapshots.retain(|s| {
                s.sim.events_processed() <= here.events_processed()
                    && s.sim.commands().len() <= here.commands().len()
                    && s.sim.now() <= here.now()
            });
            self.end = (here.events_processed(), here.now());
            if position(here) < self.observed {
                self.observe_again_to_here();
            }
        }
        let events = self.sim.apply(command)?;
        self.recording
            .push(self.sim.commands().last().expect("just recorded").clone());
        self.saw(&events);
        self.note_progress();
        Ok(events)
    }

    /// Brings the observer back to the moment shown, as a fresh replay to it
    /// would leave it: from the last snapshot's observer, fed the states
    /// from that snapshot to here (at most `snapshot_every` events, and the
    /// recorded commands among them).
    fn observe_again_to_here(&mut self) {
        let snapshot = self.snapshots.last().expect("the start is always kept");
        let mut sim = snapshot.sim.clone();
        let mut observer = snapshot.observer.clone();
        let goal = position(&self.sim);
        loop {
            while let Some(c) = self
                .recording
                .get(sim.commands().len())
                .filter(|c| c.after_events == sim.events_processed())
            {
                let Ok(events) = sim.replay_one(c) else { break };
                observer.observe(&sim, &events);
            }
            if sim.events_processed() >= goal.0 {
                break;
            }
            let Some(events) = sim.step() else { break };
            observer.observe(&sim, &events);
        }
        debug_assert_eq!(position(&sim), goal);
        debug_assert_eq!(sim.trace_hash(), self.sim.trace_hash());
        self.observer = observer;
        self.observed = goal;
    }

    /// Shows the run as it was at virtual time `t` (clamped to the run's end).
    pub fn seek(&mut self, t: Time) {
        let t = t.min(self.end.1);
        let start = self
            .snapshots
            .iter()
            .rposition(|s| s.sim.now() <= t)
            .unwrap_or(0);
        self.sim = self.snapshots[start].sim.clone();
        self.advance_to_each(t, |_, _| {});
    }

    /// Shows the run as it was right after its `n`th event (and the commands applied just after it).
    pub fn seek_event(&mut self, n: u64) {
        let n = n.min(self.end.0);
        let start = self
            .snapshots
            .iter()
            .rposition(|s| s.sim.events_processed() <= n)
            .unwrap_or(0);
        self.sim = self.snapshots[start].sim.clone();
        while self.sim.events_processed() < n {
            if self.step_each(|_, _| {}).is_none() {
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
            .rposition(|s| s.sim.events_processed() <= n && s.sim.now() <= time)
            .unwrap_or(0);
        self.sim = self.snapshots[start].sim.clone();
        loop {
            self.apply_due_commands(time);
            if self.sim.events_processed() >= n {
                break;
            }
            if self.step_sim().is_none() {
                break;
            }
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

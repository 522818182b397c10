//! The page's state: the simulation plus what the person is doing with it.
//!
//! Every change goes through [`State::reduce`]. An action that changes
//! nothing returns the same `Rc`, so Yew does not re-render: a paused page
//! costs nothing.

use crate::feed::Feed;
use quorum_sim::invariants::{RaftSafety, Violation};
use quorum_sim::kv::{ClientRequest, KvOp};
use quorum_sim::raft::{Raft, RaftConfig};
use quorum_sim::sim::EventOf;
use quorum_sim::{Command, MsgId, NodeId, Sim, SimConfig, Time};
use std::rc::Rc;
use yew::Reducible;

/// The longest real-time gap one frame may advance by (after a stall or a
/// hidden tab), so the simulation never has to chew minutes at once.
pub const MAX_FRAME_MS: f64 = 100.0;

/// The speed slider's range: its position `p` in `0..=SPEED_STEPS` means
/// `10^((p - SPEED_STEPS) / 100)` × real time, from 1/1000× to 1×.
pub const SPEED_STEPS: i32 = 300;
/// About 1/20×: a message of 10–20 ms takes 0.2–0.4 s to cross the screen.
pub const DEFAULT_SPEED_POS: i32 = 170;

/// Keys client requests cycle through.
const REQUEST_KEYS: [char; 3] = ['x', 'y', 'z'];

/// An `Rc` that props compare by identity: a view of the simulation is
/// redrawn when the simulation is a different one, without comparing its contents.
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// What components get to draw the run at the moment shown: derefs to the
/// simulation, and compares by identity (a new moment is a new value).
pub type SimView = Shared<Sim<Raft>>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    None,
    Node(NodeId),
    Message(MsgId),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// An animation frame: `real_ms` of real time passed since the last one.
    Tick {
        real_ms: f64,
    },
    TogglePlay,
    /// Process exactly the next event (while paused).
    Step,
    /// The speed slider's position, see [`SPEED_STEPS`].
    SetSpeed(i32),
    Apply(Command),
    /// A client sends the next request (keys cycle x, y, z) to `node`.
    ClientRequest {
        node: NodeId,
    },
    SelectNode(NodeId),
    SelectMessage(MsgId),
    /// Close the node menu or message panel.
    Deselect,
    DismissNotice,
}

#[derive(Clone, Debug)]
pub struct State {
    pub sim: Rc<Sim<Raft>>,
    /// Figure 3's safety properties, checked after every event.
    pub safety: Rc<RaftSafety>,
    /// Virtual time for drawing, in microseconds: the simulation's clock plus
    /// the fraction of a microsecond slow speeds leave between frames.
    pub display_now: f64,
    pub playing: bool,
    pub speed_pos: i32,
    pub selection: Selection,
    /// Why the last command could not be carried out.
    pub notice: Option<String>,
    pub feed: Rc<Feed>,
}

impl State {
    pub fn new(nodes: usize, seed: u64) -> Result<Self, String> {
        let sim = Sim::<Raft>::new(SimConfig::<RaftConfig>::new(nodes, seed))
            .map_err(|e| e.to_string())?;
        let mut safety = RaftSafety::new();
        // The check of the initial state cannot fail; a failure would show like any other.
        let _ = safety.observe(&sim, &[]);
        Ok(State {
            sim: Rc::new(sim),
            safety: Rc::new(safety),
            display_now: 0.0,
            playing: true,
            speed_pos: DEFAULT_SPEED_POS,
            selection: Selection::None,
            notice: None,
            feed: Rc::new(Feed::default()),
        })
    }

    /// Virtual time per real time.
    pub fn speed(&self) -> f64 {
        speed_at(self.speed_pos)
    }

    pub fn shared_sim(&self) -> SimView {
        Shared(Rc::clone(&self.sim))
    }

    pub fn violation(&self) -> Option<&Violation> {
        self.safety.violation()
    }

    /// Runs the simulation to virtual time `until`, one event at a time so
    /// the safety checker sees every intermediate state.
    fn advance_to(&mut self, until: Time) {
        let sim = Rc::make_mut(&mut self.sim);
        while sim.next_event_time().is_some_and(|t| t <= until) {
            let events = sim.step().unwrap_or_default();
            // Copied (once) only when there is something to record.
            let safety = Rc::make_mut(&mut self.safety);
            let feed = Rc::make_mut(&mut self.feed);
            observe(safety, feed, sim, &events);
        }
        // No event left before `until`: this only moves the clock.
        sim.advance_to(until);
    }

    fn apply(&mut self, command: Command) {
        if let Err(e) = self.sim.check(&command) {
            self.notice = Some(e.to_string());
            return;
        }
        let sim = Rc::make_mut(&mut self.sim);
        match sim.apply(command) {
            Ok(events) => {
                observe(
                    Rc::make_mut(&mut self.safety),
                    Rc::make_mut(&mut self.feed),
                    sim,
                    &events,
                );
                self.notice = None;
            }
            Err(e) => self.notice = Some(e.to_string()),
        }
    }

    /// The command for a client's next request to `node`: keys cycle x, y, z
    /// and the value is the request's id, so every request is distinct.
    pub fn client_request(&self, node: NodeId) -> Command {
        let id = self.sim.next_request_id();
        let key = REQUEST_KEYS[((id - 1) % REQUEST_KEYS.len() as u64) as usize];
        let request = ClientRequest {
            id,
            op: KvOp::Set {
                key,
                value: id as u32,
            },
        };
        Command::ClientRequest { node, request }
    }
}

fn observe(safety: &mut RaftSafety, feed: &mut Feed, sim: &Sim<Raft>, events: &[EventOf<Raft>]) {
    // A violation is kept in the checker and shown on the page.
    let _ = safety.observe(sim, events);
    feed.record(events);
}

/// Virtual time per real time at slider position `pos`.
pub fn speed_at(pos: i32) -> f64 {
    let pos = pos.clamp(0, SPEED_STEPS);
    10f64.powf(f64::from(pos - SPEED_STEPS) / 100.0)
}

/// The speed as people read it: `1×`, `1/20×`, `1/1000×`.
pub fn speed_label(speed: f64) -> String {
    if speed >= 0.995 {
        "1×".to_string()
    } else {
        format!("1/{}×", (1.0 / speed).round())
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Tick { real_ms } => {
                if !self.playing || real_ms.is_nan() || real_ms <= 0.0 {
                    return self;
                }
                let real_ms = real_ms.min(MAX_FRAME_MS);
                next.display_now += real_ms * 1000.0 * self.speed();
                next.advance_to(next.display_now.floor() as Time);
            }
            Action::TogglePlay => next.playing = !self.playing,
            Action::Step => {
                let Some(t) = self.sim.next_event_time() else {
                    return self;
                };
                next.playing = false;
                // Everything at that instant happens together.
                next.advance_to(t);
                next.display_now = t as f64;
            }
            Action::SetSpeed(pos) => {
                let pos = pos.clamp(0, SPEED_STEPS);
                if pos == self.speed_pos {
                    return self;
                }
                next.speed_pos = pos;
            }
            Action::Apply(command) => next.apply(command),
            Action::ClientRequest { node } => next.apply(self.client_request(node)),
            Action::SelectNode(id) => next.selection = Selection::Node(id),
            Action::SelectMessage(id) => next.selection = Selection::Message(id),
            Action::Deselect => next.selection = Selection::None,
            Action::DismissNotice => next.notice = None,
        }
        if unchanged(&self, &next) {
            return self;
        }
        Rc::new(next)
    }
}

/// True when an action left nothing to redraw (e.g. selecting what is already selected).
fn unchanged(before: &State, after: &State) -> bool {
    Rc::ptr_eq(&before.sim, &after.sim)
        && before.display_now == after.display_now
        && before.playing == after.playing
        && before.speed_pos == after.speed_pos
        && before.selection == after.selection
        && before.notice == after.notice
}

#[cfg(test)]
mod tests {
    use super::*;
    use quorum_sim::raft::Role;

    fn state() -> Rc<State> {
        Rc::new(State::new(5, 42).unwrap())
    }

    fn run(mut s: Rc<State>, real_ms: f64, frames: usize) -> Rc<State> {
        for _ in 0..frames {
            s = s.reduce(Action::Tick { real_ms });
        }
        s
    }

    fn leader(s: &State) -> Option<NodeId> {
        s.sim
            .nodes()
            .iter()
            .find(|n| n.up().is_some_and(|r| r.role == Role::Leader))
            .map(|n| n.id)
    }

    #[test]
    fn a_paused_page_returns_the_same_state() {
        let s = state().reduce(Action::TogglePlay);
        assert!(!s.playing);
        let after = s.clone().reduce(Action::Tick { real_ms: 16.0 });
        assert!(Rc::ptr_eq(&s, &after));
    }

    #[test]
    fn selecting_twice_or_deselecting_nothing_changes_nothing() {
        let s = state().reduce(Action::SelectNode(2));
        assert!(Rc::ptr_eq(&s, &s.clone().reduce(Action::SelectNode(2))));
        let s = state();
        assert!(Rc::ptr_eq(&s, &s.clone().reduce(Action::Deselect)));
    }

    #[test]
    fn a_frame_advances_virtual_time_by_real_time_times_speed() {
        let s = state().reduce(Action::SetSpeed(SPEED_STEPS));
        let s = s.reduce(Action::Tick { real_ms: 16.0 });
        assert_eq!(s.sim.now(), 16_000);
    }

    #[test]
    fn a_long_gap_is_clamped() {
        let s = state().reduce(Action::SetSpeed(SPEED_STEPS));
        let s = s.reduce(Action::Tick { real_ms: 60_000.0 });
        assert_eq!(s.sim.now(), (MAX_FRAME_MS * 1000.0) as Time);
    }

    #[test]
    fn slow_speeds_accumulate_fractions_of_a_microsecond() {
        let s = state().reduce(Action::SetSpeed(0));
        let s = run(s, 0.4, 10);
        assert_eq!(s.sim.now(), 3, "0.4 µs per frame; 4 µs minus rounding");
        assert!(s.display_now > 3.9);
    }

    #[test]
    fn a_leader_is_elected_and_a_client_request_commits() {
        let s = state().reduce(Action::SetSpeed(SPEED_STEPS));
        let s = run(s, 16.0, 60);
        let l = leader(&s).expect("a leader within a second");
        let s = s.reduce(Action::ClientRequest { node: l });
        assert_eq!(s.notice, None);
        let s = run(s, 16.0, 10);
        let node = s.sim.node(l).unwrap().up().unwrap();
        assert_eq!(node.commit_index, 1);
        assert_eq!(node.kv.data.get(&'x'), Some(&1));
        assert!(s.violation().is_none());
    }

    #[test]
    fn a_command_that_cannot_apply_explains_itself() {
        let s = state().reduce(Action::SetSpeed(SPEED_STEPS));
        let s = run(s, 16.0, 60);
        let l = leader(&s).unwrap();
        let s = s.reduce(Action::Apply(Command::Timeout { node: l }));
        assert!(s.notice.as_deref().unwrap().contains("leader"));
        let s = s.reduce(Action::Apply(Command::Crash { node: l }));
        assert_eq!(s.notice, None);
        let s = s.reduce(Action::Apply(Command::Crash { node: l }));
        assert!(s.notice.as_deref().unwrap().contains("already crashed"));
    }

    #[test]
    fn client_requests_cycle_keys_with_increasing_values() {
        let s = state().reduce(Action::ClientRequest { node: 0 });
        let s = s.reduce(Action::ClientRequest { node: 0 });
        let Command::ClientRequest { request, .. } = s.client_request(0) else {
            unreachable!()
        };
        assert_eq!(request.id, 3);
        assert_eq!(request.op, KvOp::Set { key: 'z', value: 3 });
    }

    #[test]
    fn step_processes_the_next_instant_and_pauses() {
        let s = state();
        let t = s.sim.next_event_time().unwrap();
        let s = s.reduce(Action::Step);
        assert!(!s.playing);
        assert_eq!(s.sim.now(), t);
    }

    #[test]
    fn speed_runs_from_a_thousandth_to_real_time() {
        assert!((speed_at(0) - 0.001).abs() < 1e-12);
        assert!((speed_at(SPEED_STEPS) - 1.0).abs() < 1e-12);
        assert_eq!(speed_label(speed_at(DEFAULT_SPEED_POS)), "1/20×");
        assert_eq!(speed_label(1.0), "1×");
        assert_eq!(speed_label(0.001), "1/1000×");
    }
}

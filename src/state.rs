//! The page's state: the run's timeline plus what the person is doing with it.
//!
//! Every change goes through [`State::reduce`]. An action that changes
//! nothing returns the same `Rc`, so Yew does not re-render: a paused page
//! costs nothing.
//!
//! The run lives in a [`Timeline`]: the moment shown can be any moment of the
//! run. The safety checker and the event feed follow the run's furthest point
//! ("the frontier"): replaying a past stretch again does not feed them twice,
//! and acting in the past (a fork) rebuilds them for the new history.

use crate::feed::Feed;
use crate::i18n::{sim_error, text, Text};
use crate::protocols::Viewed;
use quorum_sim::invariants::Violation;
use quorum_sim::kv::{ClientRequest, KvOp};
use quorum_sim::sim::EventOf;
use quorum_sim::{Command, MsgId, NodeId, Sim, SimConfig, Time, Timeline};
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

/// What components get to draw the run at the moment shown: derefs to the
/// simulation, and compares by identity (a new moment is a new value).
#[derive(Debug)]
pub struct SimView<P: Viewed>(Rc<Timeline<P>>);

impl<P: Viewed> Clone for SimView<P> {
    fn clone(&self) -> Self {
        SimView(Rc::clone(&self.0))
    }
}

impl<P: Viewed> PartialEq for SimView<P> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<P: Viewed> std::ops::Deref for SimView<P> {
    type Target = Sim<P>;
    fn deref(&self) -> &Sim<P> {
        self.0.sim()
    }
}

/// How components ask for a change: every action goes through [`State::reduce`].
pub type Dispatch = yew::Callback<Action>;

/// Events between two snapshots of the timeline: a jump replays at most this many.
pub const SNAPSHOT_EVERY: u64 = 2_000;

/// How far a run has been watched: (events processed, commands applied).
/// Both only grow along a run, so positions order its moments.
pub type Position = (u64, usize);

pub fn position<P: Viewed>(sim: &Sim<P>) -> Position {
    (sim.events_processed(), sim.commands().len())
}

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
    /// Process exactly the next event, and pause.
    Step,
    /// Go back exactly one event, and pause.
    StepBack,
    /// Show the run as it was at this virtual time (µs), and pause.
    Seek(Time),
    /// Jump to the furthest point the run has reached.
    GoLive,
    /// The speed slider's position, see [`SPEED_STEPS`].
    SetSpeed(i32),
    Apply(Command),
    /// A client sends the next request (keys cycle x, y, z) to `node`.
    ClientRequest {
        node: NodeId,
    },
    /// A client request to the current leader (RaftScope's `C`).
    RequestToLeader,
    /// Crash the leader and start it again at once (RaftScope's `R`).
    RestartLeader,
    /// Restart every crashed server (RaftScope's `B`).
    RestartAll,
    /// Space the election timers apart so one server times out first (`T`).
    SpreadTimers,
    /// Give every election timer the same deadline: a split vote (`A`).
    AlignTimers,
    /// Show or hide the keyboard help (`?`).
    ToggleHelp,
    /// A new run with this many servers and the same seed.
    NewRun {
        nodes: usize,
    },
    /// Tell the person something (e.g. why their input was not used).
    Notice(Text),
    /// Write the run and the moment shown as link text ("Copy link").
    Share,
    SelectNode(NodeId),
    SelectMessage(MsgId),
    /// Close the node menu or message panel.
    Deselect,
    DismissNotice,
}

#[derive(Clone, Debug)]
pub struct State<P: Viewed> {
    pub timeline: Rc<Timeline<P>>,
    /// The protocol's safety properties, checked after every event of the run.
    pub safety: Rc<P::Safety>,
    /// How far the safety checker and the feed have followed the run.
    pub observed: Position,
    /// Virtual time for drawing, in microseconds: the simulation's clock plus
    /// the fraction of a microsecond slow speeds leave between frames.
    pub display_now: f64,
    pub playing: bool,
    pub speed_pos: i32,
    pub selection: Selection,
    /// Why the last command could not be carried out.
    pub notice: Option<Text>,
    pub feed: Rc<Feed<P>>,
    pub help_open: bool,
    /// The last "Copy link": the run and the moment shown, as link text.
    pub share: Option<String>,
}

impl<P: Viewed> State<P> {
    /// A run of `nodes` servers with the protocol's default settings.
    pub fn new(nodes: usize, seed: u64) -> Result<Self, String> {
        Self::with_config(SimConfig::<P::Config>::new(nodes, seed))
    }

    pub fn with_config(config: SimConfig<P::Config>) -> Result<Self, String> {
        let timeline = Timeline::<P>::new(config, SNAPSHOT_EVERY).map_err(|e| e.to_string())?;
        let mut safety = P::Safety::default();
        P::observe(&mut safety, timeline.sim(), &[]);
        Ok(State {
            observed: position(timeline.sim()),
            timeline: Rc::new(timeline),
            safety: Rc::new(safety),
            display_now: 0.0,
            playing: true,
            speed_pos: DEFAULT_SPEED_POS,
            selection: Selection::None,
            notice: None,
            feed: Rc::new(Feed::default()),
            help_open: false,
            share: None,
        })
    }

    /// Virtual time per real time.
    pub fn speed(&self) -> f64 {
        speed_at(self.speed_pos)
    }

    /// A shared run (see `quorum_sim::share`), at the moment it was shared.
    /// Every command must replay, or the link is refused with the reason.
    pub fn from_shared(text: &str) -> Result<Self, String> {
        let run = quorum_sim::share::decode(text).map_err(|e| e.to_string())?;
        if run.protocol != P::NAME {
            return Err(format!(
                "the link is a {} run, not {}",
                run.protocol,
                P::NAME
            ));
        }
        let mut config = SimConfig::<P::Config>::new(run.nodes, run.seed);
        config.protocol = P::config_from_params(&run.params)?;
        let mut state = Self::with_config(config.clone())?;
        let mut timeline = Timeline::<P>::from_recording(config, run.commands, SNAPSHOT_EVERY)
            .map_err(|e| format!("the link's commands do not replay: {e}"))?;
        // The run may have gone on past its last command: play to the moment,
        // then place it exactly (a Step can stop between events of one instant).
        timeline.advance_to(run.moment.1);
        timeline.seek_event(run.moment.0);
        if timeline.sim().now() < run.moment.1 {
            timeline.advance_to(run.moment.1);
        }
        state.display_now = timeline.sim().now() as f64;
        state.timeline = Rc::new(timeline);
        state.playing = false;
        state.rewatch();
        Ok(state)
    }

    /// The run and the moment shown, as link text.
    pub fn share_text(&self) -> String {
        let sim = self.sim();
        quorum_sim::share::encode(&quorum_sim::share::SharedRun {
            protocol: P::NAME.to_string(),
            nodes: sim.nodes().len(),
            seed: sim.config().seed,
            params: P::share_params(&sim.config().protocol),
            moment: (sim.events_processed(), sim.now()),
            commands: self.timeline.recording().to_vec(),
        })
    }

    /// The run at the moment shown.
    pub fn sim(&self) -> &Sim<P> {
        self.timeline.sim()
    }

    pub fn shared_sim(&self) -> SimView<P> {
        SimView(Rc::clone(&self.timeline))
    }

    /// True when the moment shown is before the furthest point of the run.
    pub fn in_past(&self) -> bool {
        self.timeline.in_past()
    }

    pub fn violation(&self) -> Option<&Violation> {
        P::violation(&self.safety)
    }

    /// Runs the timeline to virtual time `until`, one event at a time so the
    /// safety checker sees every intermediate state of the run's new stretch.
    fn advance_to(&mut self, until: Time) {
        let timeline = Rc::make_mut(&mut self.timeline);
        let mut watcher = Watcher {
            safety: &mut self.safety,
            feed: &mut self.feed,
            observed: &mut self.observed,
        };
        timeline.advance_to_each(until, |sim, events| watcher.see(sim, events));
    }

    fn step(&mut self) {
        let timeline = Rc::make_mut(&mut self.timeline);
        let mut watcher = Watcher {
            safety: &mut self.safety,
            feed: &mut self.feed,
            observed: &mut self.observed,
        };
        let _ = timeline.step_each(|sim, events| watcher.see(sim, events));
        self.display_now = self.sim().now() as f64;
    }

    fn apply(&mut self, command: Command) {
        if let Err(e) = self.sim().check(&command) {
            self.notice = Some(sim_error(&e));
            return;
        }
        if self.in_past() {
            // A fork: the checker and the feed forget the discarded future.
            self.rewatch();
        }
        let timeline = Rc::make_mut(&mut self.timeline);
        match timeline.apply(command) {
            Ok(events) => {
                let mut watcher = Watcher {
                    safety: &mut self.safety,
                    feed: &mut self.feed,
                    observed: &mut self.observed,
                };
                watcher.see(timeline.sim(), &events);
                self.notice = None;
            }
            Err(e) => self.notice = Some(sim_error(&e)),
        }
    }

    /// Rebuilds the checker and the feed by replaying the run from its start
    /// to the moment shown, checking every event again.
    fn rewatch(&mut self) {
        let target = self.timeline.sim();
        let goal = position(target);
        let mut safety = P::Safety::default();
        let mut feed = Feed::<P>::default();
        let mut sim = match Sim::<P>::new(self.timeline.config().clone()) {
            Ok(sim) => sim,
            Err(e) => {
                self.notice = Some(sim_error(&e));
                return;
            }
        };
        P::observe(&mut safety, &sim, &[]);
        for c in target.commands() {
            while sim.events_processed() < c.after_events {
                let Some(events) = sim.step() else { break };
                P::observe(&mut safety, &sim, &events);
                feed.record_at(&events, position(&sim));
            }
            // The events before it were stepped above; this only applies it.
            if let Ok(events) = sim.replay_one(c) {
                P::observe(&mut safety, &sim, &events);
                feed.record_at(&events, position(&sim));
            }
        }
        while sim.events_processed() < goal.0 {
            let Some(events) = sim.step() else { break };
            P::observe(&mut safety, &sim, &events);
            feed.record_at(&events, position(&sim));
        }
        debug_assert_eq!(sim.trace_hash(), target.trace_hash());
        self.safety = Rc::new(safety);
        self.feed = Rc::new(feed);
        self.observed = goal;
    }

    /// The server that is leader at the moment shown (the one of the highest
    /// term, should an old leader not yet know it was replaced).
    pub fn leader(&self) -> Option<NodeId> {
        P::leader(self.sim())
    }

    /// Acts on the leader, or says there is none to `what` (in both languages).
    fn with_leader(&mut self, what: (&str, &str), f: impl FnOnce(&mut Self, NodeId)) {
        match self.leader() {
            Some(leader) => f(self, leader),
            None => {
                self.notice = Some(text(
                    format!("There is no leader to {} right now.", what.0),
                    format!("现在没有领导者可以{}。", what.1),
                ))
            }
        }
    }

    /// The command for a client's next request to `node`: keys cycle x, y, z
    /// and the value is the request's id, so every request is distinct.
    pub fn client_request(&self, node: NodeId) -> Command {
        let id = self.sim().next_request_id();
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

/// Feeds the checker and the feed the states of the run they have not seen yet.
struct Watcher<'a, P: Viewed> {
    safety: &'a mut Rc<P::Safety>,
    feed: &'a mut Rc<Feed<P>>,
    observed: &'a mut Position,
}

impl<P: Viewed> Watcher<'_, P> {
    fn see(&mut self, sim: &Sim<P>, events: &[EventOf<P>]) {
        let here = position(sim);
        if here <= *self.observed {
            // Replaying a stretch of the run already checked.
            return;
        }
        *self.observed = here;
        // A violation is kept in the checker and shown on the page.
        P::observe(Rc::make_mut(self.safety), sim, events);
        if !events.is_empty() {
            Rc::make_mut(self.feed).record_at(events, here);
        }
    }
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

impl<P: Viewed> Reducible for State<P> {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Tick { real_ms } => {
                if !self.playing || real_ms.is_nan() || real_ms <= 0.0 {
                    return self;
                }
                let real_ms = real_ms.min(MAX_FRAME_MS);
                // Playing from the past replays the recorded future first.
                next.display_now += real_ms * 1000.0 * self.speed();
                next.advance_to(next.display_now.floor() as Time);
            }
            Action::TogglePlay => next.playing = !self.playing,
            Action::Step => {
                if self.sim().next_event_time().is_none() {
                    return self;
                }
                next.playing = false;
                next.step();
            }
            Action::StepBack => {
                next.playing = false;
                Rc::make_mut(&mut next.timeline).step_back();
                next.display_now = next.sim().now() as f64;
            }
            Action::Seek(t) => {
                next.playing = false;
                let t = t.min(self.timeline.end_time());
                if t as f64 == self.display_now {
                    return self;
                }
                Rc::make_mut(&mut next.timeline).seek(t);
                next.display_now = t as f64;
            }
            Action::GoLive => {
                let end = self.timeline.end_time();
                if !self.in_past() {
                    return self;
                }
                Rc::make_mut(&mut next.timeline).seek(end);
                next.display_now = end as f64;
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
            Action::RequestToLeader => next
                .with_leader(("send a request to", "接收请求"), |s, leader| {
                    s.apply(s.client_request(leader))
                }),
            Action::RestartLeader => next.with_leader(("restart", "重启"), |s, leader| {
                s.apply(Command::Crash { node: leader });
                if s.notice.is_none() {
                    s.apply(Command::Restart { node: leader });
                }
            }),
            Action::RestartAll => {
                let crashed: Vec<NodeId> = self
                    .sim()
                    .nodes()
                    .iter()
                    .filter(|slot| slot.up().is_none())
                    .map(|slot| slot.id)
                    .collect();
                if crashed.is_empty() {
                    next.notice = Some(text("No server is crashed.", "没有已崩溃的服务器。"));
                }
                for node in crashed {
                    next.apply(Command::Restart { node });
                }
            }
            Action::SpreadTimers => next.apply(Command::SpreadTimers),
            Action::AlignTimers => next.apply(Command::AlignTimers),
            Action::ToggleHelp => next.help_open = !self.help_open,
            Action::NewRun { nodes } => {
                let seed = self.timeline.config().seed;
                match State::new(nodes, seed) {
                    Ok(fresh) => {
                        next = State {
                            speed_pos: self.speed_pos,
                            playing: self.playing,
                            ..fresh
                        }
                    }
                    Err(e) => {
                        next.notice = Some(text(
                            format!("A new run could not start: {e}"),
                            format!("无法开始新的运行：{e}"),
                        ))
                    }
                }
            }
            Action::Notice(text) => next.notice = Some(text),
            Action::Share => next.share = Some(self.share_text()),
            Action::SelectNode(id) => {
                if id >= self.sim().nodes().len() {
                    return self;
                }
                next.selection = Selection::Node(id)
            }
            Action::SelectMessage(id) => next.selection = Selection::Message(id),
            Action::Deselect => {
                next.selection = Selection::None;
                next.help_open = false;
            }
            Action::DismissNotice => next.notice = None,
        }
        if unchanged(&self, &next) {
            return self;
        }
        Rc::new(next)
    }
}

/// True when an action left nothing to redraw (e.g. selecting what is already selected).
fn unchanged<P: Viewed>(before: &State<P>, after: &State<P>) -> bool {
    Rc::ptr_eq(&before.timeline, &after.timeline)
        && before.display_now == after.display_now
        && before.playing == after.playing
        && before.speed_pos == after.speed_pos
        && before.selection == after.selection
        && before.notice == after.notice
        && before.help_open == after.help_open
        && before.share == after.share
}

#[cfg(test)]
mod tests {
    use super::*;
    use quorum_sim::raft::{Raft, Role};

    type State = super::State<Raft>;

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
        s.sim()
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
        assert_eq!(s.sim().now(), 16_000);
    }

    #[test]
    fn a_long_gap_is_clamped() {
        let s = state().reduce(Action::SetSpeed(SPEED_STEPS));
        let s = s.reduce(Action::Tick { real_ms: 60_000.0 });
        assert_eq!(s.sim().now(), (MAX_FRAME_MS * 1000.0) as Time);
    }

    #[test]
    fn slow_speeds_accumulate_fractions_of_a_microsecond() {
        let s = state().reduce(Action::SetSpeed(0));
        let s = run(s, 0.4, 10);
        assert_eq!(s.sim().now(), 3, "0.4 µs per frame; 4 µs minus rounding");
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
        let node = s.sim().node(l).unwrap().up().unwrap();
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
        assert!(s.notice.as_ref().unwrap().en.contains("leader"));
        let s = s.reduce(Action::Apply(Command::Crash { node: l }));
        assert_eq!(s.notice, None);
        let s = s.reduce(Action::Apply(Command::Crash { node: l }));
        assert!(s.notice.as_ref().unwrap().en.contains("already crashed"));
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
    fn step_processes_exactly_one_event_and_pauses() {
        let s = state();
        let t = s.sim().next_event_time().unwrap();
        let s = s.reduce(Action::Step);
        assert!(!s.playing);
        assert_eq!(s.sim().now(), t);
        assert_eq!(s.sim().events_processed(), 1);
        let s = s.reduce(Action::Step);
        assert_eq!(s.sim().events_processed(), 2);
    }

    #[test]
    fn step_back_undoes_a_step_exactly() {
        let s = run(state().reduce(Action::SetSpeed(SPEED_STEPS)), 16.0, 20);
        let before = s.sim().trace_hash();
        let events = s.sim().events_processed();
        let s = s.reduce(Action::Step).reduce(Action::StepBack);
        assert_eq!(s.sim().events_processed(), events);
        assert_eq!(s.sim().trace_hash(), before);
        assert!(s.in_past());
    }

    #[test]
    fn seeking_back_shows_the_past_and_going_live_returns() {
        let s = run(state().reduce(Action::SetSpeed(SPEED_STEPS)), 16.0, 60);
        let end = (s.sim().now(), s.sim().trace_hash(), s.observed);
        let checked = s.safety.events_checked();
        let past = s.reduce(Action::Seek(100_000));
        assert_eq!(past.sim().now(), 100_000);
        assert!(past.in_past() && !past.playing);
        // Playing through the past replays it without checking it twice.
        let replayed = run(past.reduce(Action::TogglePlay), 16.0, 40);
        assert_eq!(replayed.safety.events_checked(), checked);
        let live = replayed.reduce(Action::GoLive);
        assert_eq!((live.sim().now(), live.sim().trace_hash()), (end.0, end.1));
        assert!(!live.in_past());
        assert_eq!(live.observed, end.2);
    }

    #[test]
    fn acting_in_the_past_forks_and_rebuilds_the_checker() {
        let s = run(state().reduce(Action::SetSpeed(SPEED_STEPS)), 16.0, 60);
        let l = leader(&s).unwrap();
        let s = s.reduce(Action::Apply(Command::Crash { node: l }));
        let s = run(s, 16.0, 60);
        let far = s.sim().now();
        let s = s.reduce(Action::Seek(far / 2));
        let here = s.sim().events_processed();
        let s = s.reduce(Action::Apply(Command::HealAll));
        assert_eq!(s.notice, None);
        assert!(!s.in_past(), "the old future is gone");
        assert_eq!(s.timeline.end_time(), far / 2);
        assert_eq!(s.observed, position(s.sim()));
        assert_eq!(s.sim().events_processed(), here);
        // The rebuilt checker saw exactly the events of the new history.
        let mut fresh =
            Sim::<Raft>::replay(s.timeline.config().clone(), s.sim().commands()).unwrap();
        fresh.advance_to(s.sim().now());
        assert_eq!(fresh.trace_hash(), s.sim().trace_hash());
        assert!(s.violation().is_none());
        let s = run(s.reduce(Action::TogglePlay), 16.0, 30);
        assert!(s.sim().now() > far / 2);
    }

    #[test]
    fn raftscope_keys_act_on_the_leader_and_on_every_crashed_server() {
        let s = run(state().reduce(Action::SetSpeed(SPEED_STEPS)), 16.0, 60);
        let l = leader(&s).unwrap();
        let s = s.reduce(Action::RequestToLeader);
        assert_eq!(s.sim().node(l).unwrap().up().unwrap().log.last_index(), 1);
        let s = s.reduce(Action::RestartLeader);
        let node = s.sim().node(l).unwrap().up().expect("up again at once");
        assert_eq!(node.role, Role::Follower);
        assert_eq!(node.log.last_index(), 1, "the log survives a restart");
        let s = s
            .reduce(Action::Apply(Command::Crash { node: 0 }))
            .reduce(Action::Apply(Command::Crash { node: 3 }))
            .reduce(Action::RestartAll);
        assert!(s.sim().nodes().iter().all(|n| n.up().is_some()));
        let s = s.reduce(Action::RestartAll);
        assert_eq!(s.notice.as_ref().unwrap().en, "No server is crashed.");
    }

    #[test]
    fn a_shared_run_reopens_at_the_same_moment_with_the_same_checks() {
        let s = run(state().reduce(Action::SetSpeed(SPEED_STEPS)), 16.0, 60);
        let l = leader(&s).unwrap();
        let s = s
            .reduce(Action::ClientRequest { node: l })
            .reduce(Action::Apply(Command::Crash { node: (l + 1) % 5 }));
        let s = run(s, 16.0, 30);
        let s = s.reduce(Action::Seek(700_000)).reduce(Action::Share);
        let text = s.share.clone().unwrap();
        let back = State::from_shared(&text).unwrap();
        assert_eq!(back.sim().trace_hash(), s.sim().trace_hash());
        assert_eq!(back.sim().now(), 700_000);
        assert_eq!(
            back.observed,
            position(back.sim()),
            "checked up to the moment"
        );
        assert!(back.violation().is_none());
        assert!(!back.playing);
        // At the frontier too: the moment lies after the last command.
        let s = s.reduce(Action::GoLive).reduce(Action::Share);
        let back = State::from_shared(s.share.as_deref().unwrap()).unwrap();
        assert_eq!(back.sim().trace_hash(), s.sim().trace_hash());
        assert_eq!(back.sim().now(), s.sim().now());
        assert!(State::from_shared("1.AAAA").unwrap_err().contains("link"));
        let paxos = crate::state::State::<quorum_sim::paxos::Paxos>::from_shared(&text);
        assert_eq!(paxos.unwrap_err(), "the link is a raft run, not paxos");
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

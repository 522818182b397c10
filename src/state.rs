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
use crate::i18n::{share_error, sim_error, text, Text};
use crate::protocols::Viewed;
use quorum_sim::check::{Checker, Violation};
use quorum_sim::kv::{ClientRequest, KvOp};
use quorum_sim::scenario::ScenarioOf;
use quorum_sim::sim::EventOf;
use quorum_sim::{Command, MsgId, NodeId, RecordedCommand, Sim, SimConfig, Time, Timeline};
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
    /// A scenario: show the next narration step (PageDown), and pause there.
    NextStep,
    /// A scenario: back to the start of the step shown, or the one before (PageUp).
    PrevStep,
    /// A scenario: show step `n` (from 0), and pause there.
    GoToStep(usize),
    /// A scenario: whether playing pauses when it reaches a step.
    SetPauseAtSteps(bool),
    /// A scenario: start it again from its beginning, as written.
    RestartScenario,
    /// Presenter mode on or off (`P`).
    TogglePresent,
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
    pub safety: Rc<Checker<P>>,
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
    /// The scenario being played, if any, with its narration.
    pub narration: Option<Narration<P>>,
    /// Presenter mode: large type and lines, high contrast.
    pub present: bool,
}

/// A scenario on the page: its script, where the run left it, and whether
/// the claims of the step shown hold.
#[derive(Debug)]
pub struct Narration<P: Viewed> {
    pub scenario: Rc<ScenarioOf<P>>,
    /// What the narration panel shows of it, whatever the protocol.
    pub view: Rc<ScriptView>,
    /// The scenario's commands as recorded when it was built.
    script: Rc<Vec<RecordedCommand>>,
    pub pause_at_steps: bool,
    /// The step shown and its claims checked at the step's moment.
    pub checks: Option<Rc<StepChecks>>,
}

impl<P: Viewed> Clone for Narration<P> {
    fn clone(&self) -> Self {
        Narration {
            scenario: Rc::clone(&self.scenario),
            view: Rc::clone(&self.view),
            script: Rc::clone(&self.script),
            pause_at_steps: self.pause_at_steps,
            checks: self.checks.clone(),
        }
    }
}

impl<P: Viewed> PartialEq for Narration<P> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.scenario, &other.scenario)
            && self.pause_at_steps == other.pause_at_steps
            && self.checks == other.checks
    }
}

/// A scenario as the narration panel shows it: its words and its steps'
/// moments, and its requests by id (to name them in claims).
#[derive(Debug, PartialEq)]
pub struct ScriptView {
    pub name: String,
    pub title: crate::i18n::Text,
    pub summary: crate::i18n::Text,
    pub steps: Vec<(Time, crate::i18n::Text)>,
    pub requests: crate::claims::Requests,
}

impl ScriptView {
    fn of<P: Viewed>(scenario: &ScenarioOf<P>) -> ScriptView {
        ScriptView {
            name: scenario.name.clone(),
            title: scenario.title.clone(),
            summary: scenario.summary.clone(),
            steps: scenario
                .steps
                .iter()
                .map(|s| (s.at, s.text.clone()))
                .collect(),
            requests: crate::claims::requests_of(&scenario.commands),
        }
    }
}

/// The claims of the step shown, checked at the step's moment, and where
/// the run left the script. Kept until the step or the run's recording changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepChecks {
    /// The step shown: none before the first one.
    pub step: Option<usize>,
    /// `None` when the run left the script before the step (someone acted):
    /// the step's claims are about a run that is no longer shown.
    pub results: Option<Vec<Result<(), String>>>,
    /// From this moment the run no longer follows the script.
    pub off_script_from: Option<Time>,
    /// The run's recording when these were checked: its length and its last
    /// command (a fork changes one or the other).
    recorded: (usize, Option<RecordedCommand>),
}

impl StepChecks {
    pub fn all_hold(&self) -> bool {
        self.results
            .as_ref()
            .is_some_and(|r| r.iter().all(Result::is_ok))
    }
}

impl<P: Viewed> State<P> {
    /// A run of `nodes` servers with the protocol's default settings.
    pub fn new(nodes: usize, seed: u64) -> Result<Self, Text> {
        Self::with_config(SimConfig::<P::Config>::new(nodes, seed))
    }

    pub fn with_config(config: SimConfig<P::Config>) -> Result<Self, Text> {
        let timeline = Timeline::<P>::new(config, SNAPSHOT_EVERY).map_err(|e| sim_error(&e))?;
        let mut safety = Checker::<P>::new();
        let _ = safety.observe(timeline.sim(), &[]);
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
            narration: None,
            present: false,
        })
    }

    /// A scenario, paused at its first step. Its script is recorded in the
    /// timeline and checked once up front, so the slider covers all of it.
    pub fn with_scenario(scenario: ScenarioOf<P>) -> Result<Self, Text> {
        // Only a scenario file that does not play (its tests would fail) gets here.
        let timeline = scenario
            .timeline::<P>(SNAPSHOT_EVERY)
            .map_err(|e| text(e.to_string(), format!("场景无法播放：{e}")))?;
        let mut state = Self::with_config(scenario.sim_config())?;
        let script = Rc::new(timeline.recording().to_vec());
        state.timeline = Rc::new(timeline);
        // Check the scripted part once, as if it had been watched live.
        let end = state.timeline.end_events();
        Rc::make_mut(&mut state.timeline).seek_event(end);
        state.rewatch();
        Rc::make_mut(&mut state.timeline).seek(0);
        state.display_now = 0.0;
        state.playing = false;
        // It opens at its first step: what comes before is the set-up, a step back in time.
        let first = scenario.steps.first().map_or(0, |s| s.at);
        state.narration = Some(Narration {
            view: Rc::new(ScriptView::of::<P>(&scenario)),
            scenario: Rc::new(scenario),
            script,
            pause_at_steps: true,
            checks: None,
        });
        if first > 0 {
            state.show_moment(first);
        }
        state.refresh_checks();
        Ok(state)
    }

    /// Adds a scenario's narration to a run of that scenario (a shared one).
    pub fn narrate(mut self, scenario: ScenarioOf<P>) -> Result<Self, Text> {
        if *self.timeline.config() != scenario.sim_config() {
            return Err(text(
                format!(
                    "the run is not one of scenario {}: its servers, seed or settings differ",
                    scenario.name
                ),
                format!(
                    "这次运行不属于场景 {}：服务器、种子或设置不同",
                    scenario.name
                ),
            ));
        }
        let script = scenario
            .timeline::<P>(u64::MAX)
            .map_err(|e| text(e.to_string(), format!("场景无法播放：{e}")))?
            .recording()
            .to_vec();
        self.narration = Some(Narration {
            view: Rc::new(ScriptView::of::<P>(&scenario)),
            scenario: Rc::new(scenario),
            script: Rc::new(script),
            pause_at_steps: true,
            checks: None,
        });
        self.refresh_checks();
        Ok(self)
    }

    /// The virtual time from which the run no longer follows the scenario's
    /// script (as of the last action).
    pub fn off_script_from(&self) -> Option<Time> {
        self.narration.as_ref()?.checks.as_ref()?.off_script_from
    }

    /// The moment of the first command in which the recording and the
    /// script differ.
    fn leaves_script_at(&self, script: &[RecordedCommand]) -> Option<Time> {
        let recording = self.timeline.recording();
        let same = recording
            .iter()
            .zip(script)
            .take_while(|(a, b)| a == b)
            .count();
        [recording.get(same), script.get(same)]
            .into_iter()
            .flatten()
            .map(|c| c.at)
            .min()
    }

    /// The moments of the scenario's steps, in order (none without a scenario).
    fn step_times(&self) -> impl DoubleEndedIterator<Item = Time> + '_ {
        self.narration
            .iter()
            .flat_map(|n| n.scenario.steps.iter().map(|s| s.at))
    }

    /// The narration step shown at the moment shown.
    pub fn step_shown(&self) -> Option<usize> {
        let narration = self.narration.as_ref()?;
        narration.scenario.step_at(self.sim().now())
    }

    /// Checks the claims of the step shown, if the step or the run changed.
    fn refresh_checks(&mut self) {
        let step = self.step_shown();
        let recording = self.timeline.recording();
        let recorded = (recording.len(), recording.last().cloned());
        let Some(narration) = self.narration.as_ref() else {
            return;
        };
        let old = narration.checks.clone();
        if old
            .as_ref()
            .is_some_and(|c| c.step == step && c.recorded == recorded)
        {
            return;
        }
        let off_script_from = match &old {
            Some(c) if c.recorded == recorded => c.off_script_from,
            _ => self.leaves_script_at(&narration.script),
        };
        let results = step.and_then(|step| {
            let step = &narration.scenario.steps[step];
            if off_script_from.is_some_and(|t| t <= step.at) {
                return None;
            }
            let check = |sim: &Sim<P>| step.claims.iter().map(|c| P::check(c, sim)).collect();
            Some(if self.timeline.sim().now() == step.at {
                check(self.timeline.sim())
            } else {
                let mut there = (*self.timeline).clone();
                there.seek(step.at);
                check(there.sim())
            })
        });
        let checks = Rc::new(StepChecks {
            step,
            results,
            off_script_from,
            recorded,
        });
        if let Some(narration) = self.narration.as_mut() {
            narration.checks = Some(checks);
        }
    }

    /// Shows virtual time `t`: travels there if the run has reached it,
    /// else plays on to it (checking every new event), and pauses.
    fn show_moment(&mut self, t: Time) {
        self.playing = false;
        if t <= self.timeline.end_time() {
            Rc::make_mut(&mut self.timeline).seek(t);
        } else {
            self.advance_to(t);
        }
        self.display_now = t as f64;
    }

    /// Virtual time per real time.
    pub fn speed(&self) -> f64 {
        speed_at(self.speed_pos)
    }

    /// A shared run (see `quorum_sim::share`), at the moment it was shared.
    /// Every command must replay, or the link is refused with the reason.
    pub fn from_shared(link: &str) -> Result<Self, Text> {
        let run = quorum_sim::share::decode(link).map_err(|e| share_error(&e))?;
        if run.protocol != P::NAME {
            return Err(text(
                format!("the link is a {} run, not {}", run.protocol, P::NAME),
                format!("该链接是 {} 的运行，不是 {}", run.protocol, P::NAME),
            ));
        }
        let mut config = SimConfig::<P::Config>::new(run.nodes, run.seed);
        config.protocol = P::config_from_params(&run.params)
            .map_err(|e| text(e.clone(), format!("链接中的协议设置无法使用：{e}")))?;
        let mut state = Self::with_config(config.clone())?;
        let mut timeline = Timeline::<P>::from_recording(config, run.commands, SNAPSHOT_EVERY)
            .map_err(|e| {
                let why = sim_error(&e);
                text(
                    format!("the link's commands do not replay: {}", why.en),
                    format!("链接中的命令无法重放：{}", why.zh),
                )
            })?;
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
        quorum_sim::share::encode(&self.shared_run())
    }

    /// The run (every command, the future of the moment shown included) and the moment shown.
    pub fn shared_run(&self) -> quorum_sim::share::SharedRun {
        let sim = self.sim();
        quorum_sim::share::SharedRun {
            protocol: P::NAME.to_string(),
            nodes: sim.nodes().len(),
            seed: sim.config().seed,
            params: P::share_params(&sim.config().protocol),
            moment: (sim.events_processed(), sim.now()),
            commands: self.timeline.recording().to_vec(),
        }
    }

    /// The scenario played, by name.
    pub fn scenario_name(&self) -> Option<&str> {
        self.narration.as_ref().map(|n| n.scenario.name.as_str())
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
        self.safety.violation()
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
        let mut safety = Checker::<P>::new();
        let mut feed = Feed::<P>::default();
        let mut sim = match Sim::<P>::new(self.timeline.config().clone()) {
            Ok(sim) => sim,
            Err(e) => {
                self.notice = Some(sim_error(&e));
                return;
            }
        };
        let _ = safety.observe(&sim, &[]);
        for c in target.commands() {
            while sim.events_processed() < c.after_events {
                let Some(events) = sim.step() else { break };
                let _ = safety.observe(&sim, &events);
                feed.record_at(&events, position(&sim));
            }
            // The events before it were stepped above; this only applies it.
            if let Ok(events) = sim.replay_one(c) {
                let _ = safety.observe(&sim, &events);
                feed.record_at(&events, position(&sim));
            }
        }
        while sim.events_processed() < goal.0 {
            let Some(events) = sim.step() else { break };
            let _ = safety.observe(&sim, &events);
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
    safety: &'a mut Rc<Checker<P>>,
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
        let _ = Rc::make_mut(self.safety).observe(sim, events);
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
                let from = self.display_now;
                next.display_now += real_ms * 1000.0 * self.speed();
                // A scenario may stop at its next step, exactly on its moment.
                let pausing = self.narration.as_ref().is_some_and(|n| n.pause_at_steps);
                let stop = self
                    .step_times()
                    .map(|at| at as f64)
                    .find(|&at| pausing && at > from && at <= next.display_now);
                if let Some(at) = stop {
                    next.display_now = at;
                    next.playing = false;
                }
                next.advance_to(next.display_now.floor() as Time);
            }
            Action::NextStep => {
                let now = self.display_now;
                let Some(at) = self.step_times().find(|&at| at as f64 > now) else {
                    return self;
                };
                next.show_moment(at);
            }
            Action::PrevStep => {
                let now = self.display_now;
                let Some(at) = self.step_times().rfind(|&at| (at as f64) < now) else {
                    return self;
                };
                next.show_moment(at);
            }
            Action::GoToStep(n) => {
                let Some(at) = self
                    .narration
                    .as_ref()
                    .and_then(|narration| narration.scenario.steps.get(n))
                    .map(|s| s.at)
                else {
                    return self;
                };
                next.show_moment(at);
            }
            Action::SetPauseAtSteps(on) => match next.narration.as_mut() {
                Some(n) if n.pause_at_steps != on => n.pause_at_steps = on,
                _ => return self,
            },
            Action::RestartScenario => {
                let Some(narration) = self.narration.as_ref() else {
                    return self;
                };
                match State::with_scenario((*narration.scenario).clone()) {
                    Ok(fresh) => {
                        next = State {
                            speed_pos: self.speed_pos,
                            present: self.present,
                            narration: fresh.narration.clone().map(|n| Narration {
                                pause_at_steps: narration.pause_at_steps,
                                ..n
                            }),
                            ..fresh
                        }
                    }
                    Err(e) => next.notice = Some(e),
                }
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
            Action::TogglePresent => next.present = !self.present,
            Action::NewRun { nodes } => {
                let seed = self.timeline.config().seed;
                match State::new(nodes, seed) {
                    Ok(fresh) => {
                        next = State {
                            speed_pos: self.speed_pos,
                            playing: self.playing,
                            present: self.present,
                            ..fresh
                        }
                    }
                    Err(e) => {
                        next.notice = Some(text(
                            format!("A new run could not start: {}", e.en),
                            format!("无法开始新的运行：{}", e.zh),
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
        next.refresh_checks();
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
        && before.narration == after.narration
        && before.present == after.present
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
        assert!(s
            .notice
            .as_ref()
            .unwrap()
            .en
            .contains("has no timeout to fire now"));
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
        let e = State::from_shared("1.AAAA").unwrap_err();
        assert!(e.en.contains("link") && e.zh.contains("链接"), "{e:?}");
        let paxos = crate::state::State::<quorum_sim::paxos::Paxos>::from_shared(&text);
        assert_eq!(paxos.unwrap_err().en, "the link is a raft run, not paxos");
    }

    fn scenario() -> Rc<State> {
        let scenario = crate::scenarios::load::<Raft>("raft-first-election").unwrap();
        Rc::new(State::with_scenario(scenario).unwrap())
    }

    /// Whether every claim of the step shown holds.
    fn claims_hold(s: &State) -> bool {
        s.narration
            .as_ref()
            .and_then(|n| n.checks.as_ref())
            .is_some_and(|c| c.all_hold())
    }

    fn step_count(s: &State) -> usize {
        s.narration.as_ref().unwrap().scenario.steps.len()
    }

    #[test]
    fn a_scenario_opens_paused_at_its_first_step_with_its_claims_checked() {
        let s = scenario();
        assert!(!s.playing);
        assert_eq!((s.sim().now(), s.step_shown()), (0, Some(0)));
        let checks = s.narration.as_ref().unwrap().checks.clone().unwrap();
        assert_eq!(checks.step, Some(0));
        assert!(checks.all_hold(), "{checks:?}");
    }

    #[test]
    fn playing_a_scenario_pauses_exactly_at_each_step_where_its_claims_hold() {
        let mut s = scenario().reduce(Action::SetSpeed(SPEED_STEPS));
        for step in 1..step_count(&s) {
            s = s.reduce(Action::TogglePlay);
            let mut frames = 0;
            while s.playing {
                s = s.reduce(Action::Tick { real_ms: 16.0 });
                frames += 1;
                assert!(frames < 10_000, "never reached step {step}");
            }
            let at = s.narration.as_ref().unwrap().scenario.steps[step].at;
            assert_eq!((s.sim().now(), s.display_now), (at, at as f64));
            let checks = s.narration.as_ref().unwrap().checks.clone().unwrap();
            assert_eq!(checks.step, Some(step));
            assert!(checks.all_hold(), "step {step}: {checks:?}");
        }
        assert!(s.violation().is_none());
        // Without pausing at steps, it plays past the last one.
        let s = s
            .reduce(Action::SetPauseAtSteps(false))
            .reduce(Action::TogglePlay);
        let s = run(s, 16.0, 10);
        assert!(s.playing);
    }

    #[test]
    fn every_catalog_scenario_opens_at_its_first_step_and_its_steps_hold_on_the_page() {
        use quorum_sim::multipaxos::MultiPaxos;
        use quorum_sim::paxos::Paxos;
        fn walk<P: Viewed>(name: &str) {
            let scenario = crate::scenarios::load::<P>(name).unwrap();
            let first = scenario.steps[0].at;
            let mut s = Rc::new(super::State::<P>::with_scenario(scenario).unwrap());
            assert_eq!((s.sim().now(), s.step_shown()), (first, Some(0)), "{name}");
            let steps = s.narration.as_ref().unwrap().scenario.steps.len();
            for step in 0..steps {
                if step > 0 {
                    s = s.reduce(Action::NextStep);
                }
                assert_eq!(s.step_shown(), Some(step), "{name}");
                let checks = s.narration.as_ref().unwrap().checks.clone().unwrap();
                assert!(checks.all_hold(), "{name} step {}: {checks:?}", step + 1);
            }
            assert!(s.violation().is_none(), "{name}");
        }
        for info in crate::scenarios::all() {
            match info.algo().unwrap() {
                crate::url::Algo::Raft => walk::<Raft>(&info.name),
                crate::url::Algo::Paxos => walk::<Paxos>(&info.name),
                crate::url::Algo::MultiPaxos => walk::<MultiPaxos>(&info.name),
            }
        }
    }

    #[test]
    fn next_and_previous_step_travel_between_steps_and_pause() {
        let mut s = scenario();
        let steps = step_count(&s);
        for step in 1..steps {
            s = s.reduce(Action::NextStep);
            assert_eq!(s.step_shown(), Some(step));
            assert!(!s.playing);
            assert!(claims_hold(&s));
        }
        // Past the last step there is nothing to go to.
        assert!(Rc::ptr_eq(&s, &s.clone().reduce(Action::NextStep)));
        let s = s.reduce(Action::PrevStep);
        assert_eq!(s.step_shown(), Some(steps - 2));
        // From between two steps, back goes to the start of the one shown.
        let at = s.narration.as_ref().unwrap().scenario.steps[steps - 2].at;
        let s = s.reduce(Action::Step).reduce(Action::Step);
        assert!(s.sim().now() > at);
        let s = s.reduce(Action::PrevStep);
        assert_eq!(s.sim().now(), at);
        let s = s.reduce(Action::GoToStep(0));
        assert_eq!((s.sim().now(), s.step_shown()), (0, Some(0)));
    }

    #[test]
    fn acting_in_a_scenario_leaves_its_script_and_restart_returns_to_it() {
        let s = scenario().reduce(Action::NextStep);
        assert_eq!(s.off_script_from(), None);
        let s = s.reduce(Action::Apply(Command::Crash { node: 2 }));
        let crashed_at = s.sim().now();
        assert_eq!(s.off_script_from(), Some(crashed_at));
        // This step's moment is the one acted at: its claims no longer speak for the run.
        let checks = s.narration.as_ref().unwrap().checks.clone().unwrap();
        assert_eq!(checks.results, None);
        assert!(!checks.all_hold());
        let s = s.reduce(Action::GoToStep(0));
        let checks = s.narration.as_ref().unwrap().checks.clone().unwrap();
        assert!(checks.all_hold(), "before the fork the script still holds");
        let s = s.reduce(Action::RestartScenario);
        assert_eq!(s.off_script_from(), None);
        assert_eq!(s.sim().now(), 0);
        assert!(s.sim().nodes().iter().all(|n| n.up().is_some()));
    }

    #[test]
    fn a_fork_that_leaves_the_recording_as_long_as_before_still_leaves_the_script() {
        let scenario = crate::scenarios::load::<Raft>("raft-isolated-leader").unwrap();
        let s = Rc::new(State::with_scenario(scenario).unwrap());
        let script = s.timeline.recording().to_vec();
        let (before, last) = (script[script.len() - 2].at, script[script.len() - 1].at);
        assert!(last > before + 1, "two commands at distinct moments");
        // At a step between the last two scripted commands, act: one command
        // dropped from the future, one added, the recording as long as before.
        let steps = &s.narration.as_ref().unwrap().scenario.steps;
        let step = steps
            .iter()
            .position(|st| st.at > before && st.at < last)
            .expect("a step between them");
        let at = steps[step].at;
        let s = s.reduce(Action::GoToStep(step));
        assert_eq!(s.sim().commands().len(), script.len() - 1);
        assert!(claims_hold(&s));
        let up = s
            .sim()
            .nodes()
            .iter()
            .find(|n| n.up().is_some())
            .unwrap()
            .id;
        let s = s.reduce(Action::Apply(Command::Crash { node: up }));
        assert_eq!(s.timeline.recording().len(), script.len());
        assert_eq!(s.off_script_from(), Some(at));
        // The step's claims were about the scripted run: no longer shown as met.
        let checks = s.narration.as_ref().unwrap().checks.clone().unwrap();
        assert_eq!((checks.step, checks.results.as_ref()), (Some(step), None));
    }

    #[test]
    fn a_shared_scenario_run_keeps_its_narration_and_a_foreign_run_is_refused() {
        let s = scenario().reduce(Action::NextStep).reduce(Action::NextStep);
        let text = s.share_text();
        let name = "raft-first-election";
        let back = State::from_shared(&text)
            .unwrap()
            .narrate(crate::scenarios::load::<Raft>(name).unwrap())
            .unwrap();
        assert_eq!(back.sim().trace_hash(), s.sim().trace_hash());
        assert_eq!(back.step_shown(), Some(2));
        assert!(claims_hold(&back));
        let other = State::new(5, 999).unwrap();
        let e = other
            .narrate(crate::scenarios::load::<Raft>(name).unwrap())
            .unwrap_err();
        assert!(
            e.en.contains("not one of scenario raft-first-election"),
            "{e:?}"
        );
        assert!(e.zh.contains("不属于场景"));
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

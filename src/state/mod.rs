//! The page's state: the run (behind the object-safe [`Run`]) plus what the
//! person is doing with it.
//!
//! Every change goes through [`State::reduce`]. The run is changed in place
//! (copying a run for every frame would cost more than the frame), and
//! [`State::version`] counts its changes, so views built from it are built
//! again only when it changed. An action that changes nothing returns the
//! same `Rc`, so Yew does not re-render: a paused page costs nothing.

use crate::i18n::{text, Text};
use crate::run::{Page, Run};
use quorum_sim::kv::{ClientRequest, KvOp};
use quorum_sim::{Command, MsgId, NodeId, Time};
use std::cell::{Ref, RefCell};
use std::rc::Rc;
use yew::Reducible;

/// The longest real-time gap one frame may advance by (after a stall or a
/// hidden tab), so the simulation never has to chew minutes at once.
pub const MAX_FRAME_MS: f64 = 100.0;

/// The speed slider's range: its position `p` in `0..=SPEED_STEPS` means
/// `10^((p - SPEED_STEPS) / 100)` × real time, from 1/1000× to 1×.
pub const SPEED_STEPS: i32 = 300;
/// About 1/60×. A message's 10–20 ms of latency then lasts 0.6–1.2 s on
/// screen: about the second an eye new to the page needs to see where a mark
/// leaves from and where it lands. (1/20× gave it 0.2–0.4 s, a blink; 1/100×,
/// RaftScope's, leaves a first election timeout of 150–300 ms waiting 15–30 s.)
pub const DEFAULT_SPEED_POS: i32 = 122;

/// Keys client requests cycle through.
const REQUEST_KEYS: [char; 3] = ['x', 'y', 'z'];

/// How components ask for a change: every action goes through [`State::reduce`].
pub type Dispatch = yew::Callback<Action>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    None,
    Node(NodeId),
    Message(MsgId),
}

/// The most events [`Action::SkipToLeader`] runs: an election of nine
/// servers with split votes takes a few hundred; a run that cannot elect
/// (a minority up) stops there, at a later moment, with no leader.
pub const SKIP_TO_LEADER_EVENTS: usize = 20_000;

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
    /// Run on, event by event, until a server leads (at most
    /// [`SKIP_TO_LEADER_EVENTS`] events): the guided start's "skip ahead"
    /// while a slow first election is under way.
    SkipToLeader,
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
    /// Space the protocol timers apart so one server times out first (`T`).
    SpreadTimers,
    /// Give every protocol timer the same deadline (`A`).
    AlignTimers,
    /// Show or hide the keyboard help (`?`).
    ToggleHelp,
    /// A new run with this many servers and the same seed (and switches).
    NewRun {
        nodes: usize,
    },
    /// A new run with switch `index` of the protocol's (see
    /// [`crate::registry::Info::switches`]) on or off, and the same seed.
    SetSwitch {
        index: usize,
        on: bool,
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
    /// A scenario: the pointer is over claim `n` of the step shown (its
    /// servers, entries and messages are then the only ones highlighted), or
    /// over none.
    HoverClaim(Option<usize>),
    /// A scenario: a finger tapped claim `n`: its highlight on, or off if it was on.
    TapClaim(usize),
    /// Presenter mode on or off (`P`).
    TogglePresent,
    SelectNode(NodeId),
    SelectMessage(MsgId),
    /// Close the node menu or message panel.
    Deselect,
    DismissNotice,
}

#[derive(Clone)]
pub struct State {
    /// The protocol's page: how to start a new run of it.
    pub page: &'static dyn Page,
    run: Rc<RefCell<Box<dyn Run>>>,
    /// How many times the run has changed; views follow it.
    pub version: u64,
    /// Virtual time for drawing, in microseconds: the simulation's clock plus
    /// the fraction of a microsecond slow speeds leave between frames.
    pub display_now: f64,
    pub playing: bool,
    pub speed_pos: i32,
    pub selection: Selection,
    /// Why the last command could not be carried out.
    pub notice: Option<Text>,
    /// A notice that there is no leader: while it is the notice shown, it
    /// goes away by itself once a leader is elected (it no longer holds).
    leaderless: Option<Text>,
    pub help_open: bool,
    /// The last "Copy link": the run and the moment shown, as link text.
    pub share: Option<String>,
    /// How many times "Copy link" was pressed: each press copies and says so,
    /// even when the link is the one already copied.
    pub shares: u64,
    /// A scenario: whether playing pauses at each step.
    pub pause_at_steps: bool,
    /// A scenario: the claim of the step shown the pointer is over.
    pub hovered_claim: Option<usize>,
    /// Presenter mode: large type and lines, high contrast.
    pub present: bool,
    /// The run was playing when a menu or an inspector opened, which paused
    /// it: closing it plays again (unless the person played or paused since).
    pub held: bool,
    /// The message the person last dropped: its inspector, still open, says
    /// so rather than that it merely left the network.
    pub dropped: Option<MsgId>,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("protocol", &self.page.info().name)
            .field("version", &self.version)
            .field("display_now", &self.display_now)
            .field("playing", &self.playing)
            .field("selection", &self.selection)
            .field("notice", &self.notice)
            .finish_non_exhaustive()
    }
}

impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.run, &other.run) && !changed(self, other)
    }
}

impl State {
    /// The page's state around a run, playing, at the moment the run shows.
    pub fn new(page: &'static dyn Page, run: Box<dyn Run>) -> Self {
        let display_now = run.now() as f64;
        State {
            page,
            run: Rc::new(RefCell::new(run)),
            version: 0,
            display_now,
            playing: true,
            speed_pos: DEFAULT_SPEED_POS,
            selection: Selection::None,
            notice: None,
            leaderless: None,
            help_open: false,
            share: None,
            shares: 0,
            pause_at_steps: true,
            hovered_claim: None,
            present: false,
            held: false,
            dropped: None,
        }
    }

    /// The run, to read.
    pub fn run(&self) -> Ref<'_, Box<dyn Run>> {
        self.run.borrow()
    }

    /// The run itself, shared, for components that read it when it changed.
    pub fn run_cell(&self) -> Rc<RefCell<Box<dyn Run>>> {
        Rc::clone(&self.run)
    }

    /// Changes the run; the views built from it will be built again.
    fn with_run<T>(&mut self, f: impl FnOnce(&mut dyn Run) -> T) -> T {
        self.version += 1;
        let mut run = self.run.borrow_mut();
        f(run.as_mut())
    }

    /// Puts a new run in place of this one.
    fn replace_run(&mut self, run: Box<dyn Run>) {
        self.version += 1;
        self.display_now = run.now() as f64;
        self.run = Rc::new(RefCell::new(run));
        self.close_selection();
        self.hovered_claim = None;
    }

    /// Opens the menu of a server or the inspector of a message: a run that
    /// plays pauses while it is open, so what was clicked stays where it is.
    fn select(&mut self, selection: Selection) {
        if self.selection == Selection::None && self.playing {
            self.playing = false;
            self.held = true;
        }
        self.selection = selection;
    }

    /// Closes the menu or inspector; a run it paused plays again.
    fn close_selection(&mut self) {
        self.selection = Selection::None;
        if std::mem::replace(&mut self.held, false) {
            self.playing = true;
        }
    }

    /// The person paused (stepping, travelling): a menu open now no longer
    /// plays on when it closes.
    fn pause(&mut self) {
        self.playing = false;
        self.held = false;
    }

    /// Virtual time per real time.
    pub fn speed(&self) -> f64 {
        speed_at(self.speed_pos)
    }

    /// The moments of the scenario's steps, in order (none without a scenario).
    fn step_times(&self) -> Vec<Time> {
        self.run()
            .script()
            .map(|s| s.steps.iter().map(|(at, _)| *at).collect())
            .unwrap_or_default()
    }

    /// Shows virtual time `t`: travels there if the run has reached it,
    /// else plays on to it (checking every new event), and pauses.
    fn show_moment(&mut self, t: Time) {
        self.pause();
        let end = self.run().end().1;
        self.with_run(|run| {
            if t <= end {
                run.seek(t);
            } else {
                // Beyond the furthest moment shown: from there, on to it.
                if run.now() < end {
                    run.seek(end);
                }
                run.advance_to(t);
            }
        });
        self.display_now = t as f64;
    }

    fn apply(&mut self, command: Command) {
        let checked = self.run().check(&command);
        if let Err(why) = checked {
            self.notice = Some(why);
            return;
        }
        self.notice = self.with_run(|run| run.apply(command)).err();
    }

    /// Acts on the leader, or says there is none to `what` (in both languages).
    fn with_leader(&mut self, what: (&str, &str), f: impl FnOnce(&mut Self, NodeId)) {
        let leader = self.run().leader();
        match leader {
            Some(leader) => f(self, leader),
            // A protocol without leaders (basic Paxos) says so, not "right now".
            None if self.run().timer_words().align_with_leader.is_none() => {
                self.notice = Some(text(
                    "This protocol has no leader: click a server and choose from its menu.",
                    "这个协议没有领导者：请点击一台服务器，在它的菜单里选择操作。",
                ));
            }
            None => {
                let notice = text(
                    format!("There is no leader to {} right now.", what.0),
                    format!("现在没有领导者可以{}。", what.1),
                );
                self.leaderless = Some(notice.clone());
                self.notice = Some(notice);
            }
        }
    }

    /// A "no leader" notice goes once a leader is elected, and is forgotten
    /// once another notice (or none) is shown.
    fn lapse_leaderless_notice(&mut self) {
        let Some(shown) = &self.leaderless else {
            return;
        };
        if self.notice.as_ref() != Some(shown) {
            self.leaderless = None;
        } else if self.run().leader().is_some() {
            self.notice = None;
            self.leaderless = None;
        }
    }

    /// Aligned timers that a live leader's heartbeats will restart before
    /// they fire promise something that will not happen: say why.
    fn note_aligned_with_leader(&mut self) {
        if self.notice.is_some() {
            return;
        }
        let leader = self.run().leader();
        let why = self.run().timer_words().align_with_leader;
        if let (Some(leader), Some(why)) = (leader, why) {
            let name = quorum_sim::node_name(leader);
            self.notice = Some(text(
                format!("Timers aligned, but {name} leads: {}", why.en),
                format!("计时器已对齐，但 {name} 是领导者：{}", why.zh),
            ));
        }
    }

    /// The command for a client's next request to `node`: keys cycle x, y, z
    /// and the value is the request's id, so every request is distinct.
    pub fn client_request(&self, node: NodeId) -> Command {
        let id = self.run().next_request_id();
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

    /// The run and the moment shown, as link text.
    pub fn share_text(&self) -> String {
        quorum_sim::share::encode(&self.run().shared_run())
    }
}

/// Virtual time per real time at slider position `pos`.
pub fn speed_at(pos: i32) -> f64 {
    let pos = pos.clamp(0, SPEED_STEPS);
    crate::ui::num::pow10_hundredths(pos - SPEED_STEPS)
}

/// The slider position nearest to `speed` (virtual time per real time), if
/// the slider reaches it (from 1/1000× to 1×, give or take half a step).
pub fn speed_pos_of(speed: f64) -> Option<i32> {
    if !(speed.is_finite() && speed > 0.0) {
        return None;
    }
    // Nearest as a ratio: the slider's steps are even in the logarithm.
    let off = |pos: i32| {
        let r = speed_at(pos) / speed;
        r.max(1.0 / r)
    };
    let pos = (0..=SPEED_STEPS).min_by(|&a, &b| off(a).total_cmp(&off(b)))?;
    (off(pos) <= crate::ui::num::pow10_hundredths(1).sqrt() * 1.000_001).then_some(pos)
}

/// The speed as an address writes it, read back as the same position:
/// `speed=1/60` as the slider says it, `speed=1`, and above 1/50×, where a
/// whole `N` would be too coarse, the plain number to three significant
/// digits (`speed=0.49`, `speed=0.0631`), which a person reads more easily
/// than `1/2.04`. Three digits are within half a slider step (1.2 %).
pub fn speed_param(pos: i32) -> String {
    let speed = speed_at(pos);
    if !(0.02..0.995).contains(&speed) {
        return speed_label(speed).trim_end_matches('×').to_string();
    }
    let decimals = if speed >= 0.1 { 3 } else { 4 };
    let n = crate::ui::num::fixed(speed, decimals);
    n.trim_end_matches('0').to_string()
}

/// The speed as people read it: `1×`, `1/20×`, `1/1000×`.
pub fn speed_label(speed: f64) -> String {
    if speed >= 0.995 {
        "1×".to_string()
    } else {
        format!("1/{}×", crate::ui::num::fixed(1.0 / speed, 0))
    }
}

impl State {
    /// A new run of `shape` with the seed of the one shown, in its place
    /// (server count or switches changed), or a notice why it cannot start.
    fn new_run(&mut self, shape: &[usize]) {
        let seed = self.run().seed();
        match self.page.new_run(shape, seed) {
            Ok(run) => {
                self.replace_run(run);
                self.notice = None;
                self.share = None;
            }
            Err(e) => {
                self.notice = Some(text(
                    format!("A new run could not start: {}", e.en),
                    format!("无法开始新的运行：{}", e.zh),
                ))
            }
        }
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
                // Playing from the past replays the recorded future first.
                let from = self.display_now;
                next.display_now += real_ms * 1000.0 * self.speed();
                // A scenario may stop at its next step, exactly on its moment.
                if self.pause_at_steps {
                    let stop = self
                        .step_times()
                        .into_iter()
                        .map(|at| at as f64)
                        .find(|&at| at > from && at <= next.display_now);
                    if let Some(at) = stop {
                        next.display_now = at;
                        next.playing = false;
                    }
                }
                let until = next.display_now.floor() as Time;
                // Between two events only the clock moves, and the drawing:
                // the views built from the run stay as they are.
                let moved = next.run.borrow_mut().advance_to(until);
                if moved {
                    next.version += 1;
                }
            }
            Action::NextStep => {
                let now = self.display_now;
                let Some(at) = self.step_times().into_iter().find(|&at| at as f64 > now) else {
                    return self;
                };
                next.show_moment(at);
            }
            Action::PrevStep => {
                let now = self.display_now;
                let Some(at) = self.step_times().into_iter().rfind(|&at| (at as f64) < now) else {
                    return self;
                };
                next.show_moment(at);
            }
            Action::GoToStep(n) => {
                let Some(&at) = self.step_times().get(n) else {
                    return self;
                };
                next.show_moment(at);
            }
            Action::SetPauseAtSteps(on) => {
                if self.run().script().is_none() || self.pause_at_steps == on {
                    return self;
                }
                next.pause_at_steps = on;
            }
            Action::RestartScenario => {
                let Some(fresh) = self.run().restart() else {
                    return self;
                };
                match fresh {
                    Ok(run) => {
                        next.replace_run(run);
                        next.playing = false;
                        next.notice = None;
                    }
                    Err(e) => next.notice = Some(e),
                }
            }
            Action::HoverClaim(claim) => next.hovered_claim = claim,
            Action::TapClaim(claim) => {
                next.hovered_claim = (self.hovered_claim != Some(claim)).then_some(claim)
            }
            Action::TogglePlay => {
                next.playing = !self.playing;
                // The person chose: closing the menu leaves it as they set it.
                next.held = false;
            }
            Action::Step => {
                if self.run().next_event_time().is_none() {
                    return self;
                }
                next.pause();
                next.with_run(|run| run.step());
                let now = next.run().now();
                next.display_now = now as f64;
            }
            Action::StepBack => {
                next.pause();
                if self.run().events() == 0 {
                    if !self.playing {
                        return self;
                    }
                } else {
                    next.with_run(|run| run.step_back());
                    let now = next.run().now();
                    next.display_now = now as f64;
                }
            }
            Action::Seek(t) => {
                next.pause();
                let t = t.min(self.run().end().1);
                if t as f64 == self.display_now {
                    if !self.playing {
                        return self;
                    }
                } else {
                    next.with_run(|run| run.seek(t));
                    next.display_now = t as f64;
                }
            }
            Action::SkipToLeader => {
                if self.run().in_past() || self.run().leader().is_some() {
                    return self;
                }
                next.with_run(|run| {
                    for _ in 0..SKIP_TO_LEADER_EVENTS {
                        if run.leader().is_some() || !run.step() {
                            break;
                        }
                    }
                });
                let now = next.run().now();
                next.display_now = now as f64;
            }
            Action::GoLive => {
                if !self.run().in_past() {
                    return self;
                }
                let end = self.run().end().1;
                next.with_run(|run| run.seek(end));
                next.display_now = end as f64;
            }
            Action::SetSpeed(pos) => {
                let pos = pos.clamp(0, SPEED_STEPS);
                if pos == self.speed_pos {
                    return self;
                }
                next.speed_pos = pos;
            }
            Action::Apply(command) => {
                let dropping = match command {
                    Command::DropMessage { id } => Some(id),
                    _ => None,
                };
                next.apply(command);
                if next.notice.is_none() && dropping.is_some() {
                    next.dropped = dropping;
                }
            }
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
                let crashed = self.run().crashed();
                if crashed.is_empty() {
                    next.notice = Some(text("No server is crashed.", "没有已崩溃的服务器。"));
                }
                for node in crashed {
                    next.apply(Command::Restart { node });
                }
            }
            Action::SpreadTimers => next.apply(Command::SpreadTimers),
            Action::AlignTimers => {
                next.apply(Command::AlignTimers);
                next.note_aligned_with_leader();
            }
            Action::ToggleHelp => next.help_open = !self.help_open,
            Action::TogglePresent => next.present = !self.present,
            Action::NewRun { nodes } => {
                let mut shape = self.run().shape();
                shape[0] = nodes;
                next.new_run(&shape);
            }
            Action::SetSwitch { index, on } => {
                let mut shape = self.run().shape();
                match shape.get_mut(self.page.info().shape.len() + index) {
                    Some(value) => *value = usize::from(on),
                    None => return self,
                }
                next.new_run(&shape);
            }
            Action::Notice(text) => next.notice = Some(text),
            Action::Share => {
                next.share = Some(self.share_text());
                next.shares += 1;
            }
            Action::SelectNode(id) => {
                if id >= self.run().nodes() {
                    return self;
                }
                next.select(Selection::Node(id))
            }
            Action::SelectMessage(id) => next.select(Selection::Message(id)),
            Action::Deselect => {
                next.close_selection();
                next.help_open = false;
            }
            Action::DismissNotice => next.notice = None,
        }
        next.lapse_leaderless_notice();
        if !changed(&self, &next) {
            return self;
        }
        Rc::new(next)
    }
}

/// Whether an action left something to redraw.
fn changed(before: &State, after: &State) -> bool {
    !(Rc::ptr_eq(&before.run, &after.run)
        && before.version == after.version
        && before.display_now == after.display_now
        && before.playing == after.playing
        && before.speed_pos == after.speed_pos
        && before.selection == after.selection
        && before.notice == after.notice
        && before.help_open == after.help_open
        && before.share == after.share
        && before.shares == after.shares
        && before.pause_at_steps == after.pause_at_steps
        && before.hovered_claim == after.hovered_claim
        && before.present == after.present
        && before.held == after.held
        && before.dropped == after.dropped)
}

#[cfg(test)]
mod tests;

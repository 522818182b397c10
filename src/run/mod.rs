//! The boundary between the page and a running protocol.
//!
//! The page (state and reducer, layout, ring, menus, inspectors, legend,
//! timeline, feed, narration, faults panel, keys) is compiled once and talks
//! to the run only through [`Run`], an object-safe trait whose answers are
//! the plain view models of [`view`]. Under the boundary, [`Live`] is written
//! once, generically: it owns the run's timeline, its safety checker and its
//! feed, and asks the protocol's [`Drawn`] implementation (in
//! `src/protocols/<name>/`) for glyphs, fields and words. The per-event loop
//! and the checker stay generic, so they run at full speed.

pub mod live;
pub mod narration;
pub mod view;

pub use live::{Live, PageOf};
pub use narration::{ScriptView, StepChecks};

use crate::feed::FeedLine;
use crate::i18n::{Lang, Text};
use crate::registry::Info;
use quorum_sim::network::Envelope;
use quorum_sim::scenario::Scripted;
use quorum_sim::share::SharedRun;
use quorum_sim::sim::{EventOf, NodeSlot, SimEvent};
use quorum_sim::Checked;
use quorum_sim::{Command, MsgId, NetworkConfig, NodeId, Sim, SimConfig, Time};
use std::fmt::Debug;
use std::rc::Rc;
use view::*;
use yew::Html;

/// How far a run has been watched: (events processed, commands applied),
/// the core's [`quorum_sim::kernel::Position`].
pub use quorum_sim::kernel::Position;

/// Events between two snapshots of the timeline: a jump replays at most this many.
pub const SNAPSHOT_EVERY: u64 = 2_000;

/// A running protocol, as the page sees it.
pub trait Run {
    fn info(&self) -> &'static Info;

    // ---- the moment shown, and moving it -----------------------------------
    fn now(&self) -> Time;
    /// Events processed at the moment shown.
    fn events(&self) -> u64;
    /// The run's furthest point: events processed and virtual time. A
    /// scenario that still follows its script has it recorded to its end,
    /// but its furthest point is the furthest moment shown so far: what
    /// the script holds beyond it is the scenario going on, not a past.
    fn end(&self) -> (u64, Time);
    /// What has happened by the moment shown and by the run's furthest
    /// point, as a person counts it: every event (a message delivered, a
    /// timer fired) and every command (a client request, a crash, a cut).
    /// The kernel's own count ([`Run::events`]) leaves the commands out, so
    /// a scenario whose first step is a client request read "event 0 of 0".
    fn happenings(&self) -> (u64, u64);
    /// True when the moment shown is before the run's furthest point.
    fn in_past(&self) -> bool;
    fn next_event_time(&self) -> Option<Time>;
    /// Plays on to virtual time `t`, checking and recording every new event.
    /// True if anything happened on the way (an event or a recorded command),
    /// false if only the clock moved.
    fn advance_to(&mut self, t: Time) -> bool;
    /// Processes exactly the next event; false if none is scheduled.
    fn step(&mut self) -> bool;
    /// One event back.
    fn step_back(&mut self);
    /// Shows the run as it was at `t` (clamped to its end).
    fn seek(&mut self, t: Time);

    // ---- acting ----------------------------------------------------------
    /// Why `command` cannot be carried out now, in words.
    fn check(&self, command: &Command) -> Result<(), Text>;
    /// Carries out `command` at the moment shown (in the past, a fork).
    fn apply(&mut self, command: Command) -> Result<(), Text>;
    /// A request id no earlier command has used.
    fn next_request_id(&self) -> u64;

    // ---- what the run is ---------------------------------------------------
    fn seed(&self) -> u64;
    fn nodes(&self) -> usize;
    fn crashed(&self) -> Vec<NodeId>;
    fn trace_hash(&self) -> u64;
    fn network(&self) -> NetworkConfig;
    fn cut_links(&self) -> Vec<(NodeId, NodeId)>;
    /// The server that leads at the moment shown, if the protocol has one.
    fn leader(&self) -> Option<NodeId>;
    /// The cluster's shape, in the order of [`Info::shape`] (e.g. `[5]`).
    fn shape(&self) -> Vec<usize>;
    /// Every command of the run and the moment shown, for a link or a file.
    fn shared_run(&self) -> SharedRun;

    // ---- what to draw ------------------------------------------------------
    fn servers(&self, lang: Lang) -> Vec<ServerGlyph>;
    fn messages(&self, lang: Lang) -> Vec<MessageGlyph>;
    fn inspector(&self, node: NodeId, lang: Lang) -> Option<Inspector>;
    fn message(&self, id: MsgId, lang: Lang) -> Option<MessageDetail>;
    fn menu(&self, node: NodeId, lang: Lang) -> Option<Menu>;
    fn legend(&self, lang: Lang) -> Vec<LegendItem>;
    /// How to get the run going, while nothing would happen without the
    /// person (not in a scenario: its narration says what happens).
    fn start_hint(&self, lang: Lang) -> Option<String>;
    /// The protocol's table (a log matrix, a decree, a slot log).
    fn panel(&self, lang: Lang) -> Html;
    fn safety(&self, lang: Lang) -> Safety;
    fn timer_words(&self) -> TimerWords;
    /// What the protocol calls its nodes.
    fn noun(&self) -> Noun;
    /// How many lines the feed has up to the moment shown.
    fn feed_len(&self) -> usize;
    /// Up to `take` of the feed's lines up to the moment shown, newest first,
    /// after the `skip` newest.
    fn feed_window(&self, skip: usize, take: usize) -> Vec<FeedLine>;
    /// The protocol's guided start (none if it has none).
    fn tour(&self) -> &'static [TourStep];
    /// The protocol's glossary.
    fn glossary(&self) -> &'static [GlossaryEntry];

    // ---- a scenario --------------------------------------------------------
    fn scenario_name(&self) -> Option<String>;
    fn script(&self) -> Option<Rc<ScriptView>>;
    /// The narration step shown at the moment shown.
    fn step_shown(&self) -> Option<usize>;
    fn step_checks(&self) -> Option<Rc<StepChecks>>;
    /// The claims of step `step`, in words.
    fn claims(&self, step: usize, lang: Lang) -> Vec<String>;
    /// What the claims of the step shown name, or only claim `claim` of it.
    fn highlights(&self, claim: Option<usize>) -> Highlights;
    /// From this moment on the run no longer follows the scenario's script.
    fn off_script_from(&self) -> Option<Time>;
    /// The scenario again from its start, as written.
    fn restart(&self) -> Option<Result<Box<dyn Run>, Text>>;
}

/// How a protocol's page starts a run: one per wasm bundle (see
/// `src/protocols/<name>/main.rs`).
pub trait Page {
    fn info(&self) -> &'static Info;
    /// A new run of this shape (see [`Info::shape`]) and seed.
    fn new_run(&self, shape: &[usize], seed: u64) -> Result<Box<dyn Run>, Text>;
    /// A shared run (link text), at the moment it was shared; with the
    /// scenario the link names, narrated (or, if the run is not that
    /// scenario's, not, and the notice says why).
    fn shared(
        &self,
        link: &str,
        scenario: Option<&[u8]>,
    ) -> Result<(Box<dyn Run>, Option<Text>), Text>;
    /// A scenario (as packed for the page), paused at its first step.
    fn scenario(&self, packed: &[u8]) -> Result<Box<dyn Run>, Text>;
}

/// What the page needs of a protocol beyond the core's `Protocol`, `Checked`
/// (its safety checker) and `Scripted` (its scenarios' claims): its glyphs,
/// fields, words, panel and settings. One implementation per protocol, in
/// `src/protocols/<name>/`.
pub trait Drawn: Checked + Scripted + Sized + 'static
where
    Self::Safety: 'static,
{
    /// What the registry says of it.
    const INFO: &'static Info;

    /// Its guided start: one idea a step, each shown on the live ring.
    const TOUR: &'static [TourStep] = &[];
    /// Its words, explained, with where the paper defines them.
    const GLOSSARY: &'static [GlossaryEntry] = &[];
    /// Whether a server's menu lists "Client request" first: in basic Paxos
    /// nothing happens until a client asks a proposer, so it is the first
    /// thing to do, not the last.
    const REQUEST_FIRST: bool = false;

    /// What the feed remembers between events to word them (e.g. who leads).
    type FeedMemory: Clone + Debug + Default + PartialEq + 'static;

    /// A run's settings from the page's shape parameters (see [`Info::shape`]).
    fn config(shape: &[usize], seed: u64) -> Result<SimConfig<Self::Config>, Text>;
    /// The shape parameters of a run's settings, in the order of [`Info::shape`].
    fn shape(config: &SimConfig<Self::Config>) -> Vec<usize>;
    /// The protocol settings a shared link carries (e.g. Paxos's role counts).
    fn share_params(_config: &Self::Config) -> Vec<u64> {
        Vec::new()
    }
    /// The settings back from a link's numbers, or why they are not usable.
    fn config_from_params(params: &[u64]) -> Result<Self::Config, Text> {
        if params.is_empty() {
            Ok(Self::Config::default())
        } else {
            Err(crate::i18n::text(
                format!("a {} run takes no settings", Self::INFO.title),
                format!("{} 的运行不带任何设置", Self::INFO.title),
            ))
        }
    }

    /// The server that leads at this moment, if the protocol has one.
    fn leader(sim: &Sim<Self>) -> Option<NodeId>;
    fn server(sim: &Sim<Self>, slot: &NodeSlot<Self>, lang: Lang) -> ServerGlyph;
    fn message(env: &Envelope<Self::Msg>, lang: Lang) -> MessageGlyph;
    /// A message's fields under the paper's names.
    fn message_fields(msg: &Self::Msg, lang: Lang) -> Vec<Field>;
    /// What the protocol's channels make of the network's faults on this
    /// message (Zab's FIFO connections discard a duplicate), if it says.
    fn channel_note(_msg: &Self::Msg, _lang: Lang) -> Option<String> {
        None
    }
    /// Every state variable of a server, but its timers (the page lists
    /// those), and a note on its state if it needs one.
    fn inspect(
        sim: &Sim<Self>,
        slot: &NodeSlot<Self>,
        lang: Lang,
    ) -> (Option<String>, Vec<Section>);
    /// A timer's name: its `data-timer` (English) and its label.
    fn timer_name(timer: &Self::Timer, lang: Lang) -> (&'static str, &'static str);
    /// The facts a server's menu shows.
    fn facts(sim: &Sim<Self>, slot: &NodeSlot<Self>, lang: Lang) -> Vec<(String, String)>;
    /// Why this server does not take a client's request, if it does not.
    fn refuses_requests(_sim: &Sim<Self>, _slot: &NodeSlot<Self>, _lang: Lang) -> Option<String> {
        None
    }
    /// Why this running server has no timeout to fire now.
    fn no_timeout(sim: &Sim<Self>, slot: &NodeSlot<Self>) -> Text;
    /// Commands of the protocol's own that a server's menu offers, each with
    /// its label (Raft's "Transfer leadership to S2"); the page checks each
    /// as any command and says why one cannot be done.
    fn menu_commands(
        _sim: &Sim<Self>,
        _slot: &NodeSlot<Self>,
        _lang: Lang,
    ) -> Vec<(String, Command)> {
        Vec::new()
    }
    /// Why server `slot` cannot hand its leadership to `to` now, in the
    /// protocol's terms (the kernel only knows that it cannot).
    fn no_transfer(_sim: &Sim<Self>, _slot: &NodeSlot<Self>, _to: NodeId) -> Option<Text> {
        None
    }
    fn legend(lang: Lang) -> Vec<LegendItem>;
    /// How to get a run going, while it waits for the person (basic Paxos
    /// does nothing until a client sends a proposer a request).
    fn start_hint(_sim: &Sim<Self>, _lang: Lang) -> Option<String> {
        None
    }
    fn panel(sim: &Sim<Self>, safety: &Self::Safety, lang: Lang) -> Html;
    /// What Spread / Align timers move, in words.
    fn timer_words() -> TimerWords;
    /// What the protocol calls its nodes (servers unless it says otherwise).
    const NOUN: Noun = Noun::SERVERS;
    /// A safety property's name in Chinese, from the core's English one.
    fn property_zh(name: &str) -> &'static str;
    /// What broke a property, in Chinese, from what the checker kept of
    /// it (`None`: the page shows the core's English detail).
    fn violation_zh(_safety: &Self::Safety) -> Option<String> {
        None
    }

    /// Called for every event before it is worded: a forced timeout, a crash.
    fn note(
        _memory: &mut Self::FeedMemory,
        _event: &SimEvent<Self::Msg, Self::Timer, Self::Event>,
    ) {
    }
    /// A protocol event in plain words, or `None` if it is not worth a line.
    fn describe(memory: &mut Self::FeedMemory, node: NodeId, event: &Self::Event) -> Option<Text>;
    /// A scenario's claim in words; `requests` names the scenario's requests by id.
    fn claim(claim: &Self::Claim, lang: Lang, requests: &narration::Requests) -> String;
    /// What is the case instead of a false claim, in words (after "but").
    fn fact(fact: &Self::Fact, lang: Lang, requests: &narration::Requests) -> String;
    /// What a claim names on the page at this moment (its servers, their
    /// log entries, the messages in flight between them), added to `out`.
    fn highlights(_claim: &Self::Claim, _sim: &Sim<Self>, _out: &mut Highlights) {}
}

/// Events of protocol `P`, as the kernel reports them.
pub type Events<P> = [EventOf<P>];

//! [`Live`]: a run of protocol `P` with its safety checker and feed,
//! answering the page through [`Run`]; and [`PageOf`], which starts one.
//!
//! The safety checker and the feed ([`Watch`]) are the timeline's observer:
//! they follow the run's furthest point ("the frontier"), so replaying a past
//! stretch again does not feed them twice, and acting in the past (a fork)
//! restores them from the timeline's snapshot before that moment.

use super::narration::Narration;
use super::view::*;
use super::{Drawn, Page, Run, ScriptView, StepChecks, SNAPSHOT_EVERY};
use crate::feed::{Feed, FeedLine};
use crate::i18n::{share_error, sim_error, text, Lang, Text};
use crate::registry::Info;
use quorum_sim::scenario::{ScenarioError, ScenarioOf};
use quorum_sim::share::SharedRun;
use quorum_sim::sim::{EventOf, SimErrorKind};
use quorum_sim::{
    node_name, Command, MessageMeta, MsgId, NetworkConfig, NodeId, NodeStatus, Observer, Sim,
    SimConfig, Time, Timeline,
};
use quorum_sim::{Checked, Checker, Violation};
use std::marker::PhantomData;
use std::rc::Rc;
use yew::Html;

/// A run of protocol `P`, watched.
pub struct Live<P: Drawn> {
    timeline: Timeline<P, Watch<P>>,
    narration: Option<Narration<P>>,
}

/// What watches a run: the safety checker and the feed. A copy is kept with
/// every snapshot of the timeline (the feed's lines are shared, the
/// checker's history is chunked), so the feed shown for a past moment is the
/// one seen then, and a fork starts from what was seen up to it.
pub struct Watch<P: Drawn> {
    pub checker: Checker<P>,
    pub feed: Feed<P>,
}

impl<P: Drawn> Default for Watch<P> {
    fn default() -> Self {
        Watch {
            checker: Checker::new(),
            feed: Feed::default(),
        }
    }
}

impl<P: Drawn> Clone for Watch<P> {
    fn clone(&self) -> Self {
        Watch {
            checker: self.checker.clone(),
            feed: self.feed.clone(),
        }
    }
}

impl<P: Drawn> Observer<P> for Watch<P> {
    fn observe(&mut self, sim: &Sim<P>, events: &[EventOf<P>]) {
        // A violation is kept in the checker and shown on the page.
        let _ = self.checker.observe(sim, events);
        if !events.is_empty() {
            self.feed.record_at(events, sim.position());
        }
    }
}

impl<P: Drawn> Live<P> {
    /// A new run.
    pub fn new(config: SimConfig<P::Config>) -> Result<Self, Text> {
        let timeline = Timeline::new(config, SNAPSHOT_EVERY).map_err(|e| sim_error(&e))?;
        Ok(Self::watching(timeline))
    }

    fn watching(timeline: Timeline<P, Watch<P>>) -> Self {
        Live {
            timeline,
            narration: None,
        }
    }

    /// A shared run (see `quorum_sim::share`), at the moment it was shared.
    /// Every command must replay, or the link is refused with the reason. A
    /// link of a scenario's run is run with the scenario's settings (the
    /// link carries only what a page lets people choose).
    pub fn from_shared(link: &str, scenario: Option<&ScenarioOf<P>>) -> Result<Self, Text> {
        let run = quorum_sim::share::decode(link).map_err(|e| share_error(&e))?;
        if run.protocol != P::NAME {
            return Err(text(
                format!("the link is a {} run, not {}", run.protocol, P::NAME),
                format!("该链接是 {} 的运行，不是 {}", run.protocol, P::NAME),
            ));
        }
        let config = match scenario {
            Some(s) => {
                let config = s.sim_config();
                let ours = (config.nodes, config.seed, P::share_params(&config.protocol));
                if ours != (run.nodes, run.seed, run.params.clone()) {
                    return Err(text(
                        format!(
                            "the run is not one of scenario {}: its servers, seed or settings differ",
                            s.name
                        ),
                        format!("这次运行不属于场景 {}：服务器、种子或设置不同", s.name),
                    ));
                }
                config
            }
            None => {
                let mut config = SimConfig::<P::Config>::new(run.nodes, run.seed);
                config.protocol = P::config_from_params(&run.params)?;
                config
            }
        };
        // Checked and fed to the checker and the feed once, whole.
        let mut timeline =
            // Worded for a link and a file alike ("command 3 (...) cannot be
            // replayed: ..."): the caller names which.
            Timeline::from_recording(config, run.commands, SNAPSHOT_EVERY)
                .map_err(|e| sim_error(&e))?;
        timeline.seek_moment(run.moment.0, run.moment.1);
        Ok(Self::watching(timeline))
    }

    /// A scenario, at its first step. Its script is recorded in the timeline
    /// and checked once up front; the page's end of the run is how far it
    /// has been shown (see [`Run::end`]), so the script ahead is no past.
    pub fn with_scenario(scenario: ScenarioOf<P>) -> Result<Self, Text> {
        let unplayable = |e: ScenarioError| text(e.to_string(), format!("场景无法播放：{e}"));
        let script = scenario.recording::<P>().map_err(unplayable)?;
        // The scripted part is checked once, as if it had been watched live.
        let timeline =
            Timeline::from_recording(scenario.sim_config(), script.clone(), SNAPSHOT_EVERY)
                .map_err(|e| unplayable(e.into()))?;
        let mut live = Self::watching(timeline);
        // It opens at its first step: what comes before is the set-up, a step back in time.
        let first = scenario.steps.first().map_or(0, |s| s.at);
        live.narration = Some(Narration::new(scenario, script));
        live.seek(first);
        Ok(live)
    }

    /// A scenario as packed for the page (see `quorum_pack`).
    pub fn unpack(packed: &[u8]) -> Result<ScenarioOf<P>, Text> {
        let scenario = quorum_pack::unpack_scenario::<P>(packed).map_err(|e| match e {
            quorum_pack::Unpacked::Version(v) => text(
                format!(
                    "the scenario file is packed in version {v}, which this page does not read"
                ),
                format!("场景文件的打包版本是 {v}，本页面无法读取"),
            ),
            quorum_pack::Unpacked::Empty | quorum_pack::Unpacked::Damaged => {
                text("the scenario file is damaged", "场景文件已损坏")
            }
        })?;
        scenario.validate(P::NAME).map_err(|e| {
            text(
                format!("the scenario cannot be used: {e}"),
                format!("场景无法使用：{e}"),
            )
        })?;
        Ok(scenario)
    }

    /// Adds a scenario's narration to this run (a shared run of it).
    pub fn narrate_with(&mut self, scenario: ScenarioOf<P>) -> Result<(), Text> {
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
            .recording::<P>()
            .map_err(|e| text(e.to_string(), format!("场景无法播放：{e}")))?;
        self.narration = Some(Narration::new(scenario, script));
        self.refresh();
        Ok(())
    }

    pub fn sim(&self) -> &Sim<P> {
        self.timeline.sim()
    }

    pub fn timeline(&self) -> &Timeline<P, Watch<P>> {
        &self.timeline
    }

    pub fn checker(&self) -> &Checker<P> {
        &self.timeline.observer().checker
    }

    pub fn violation(&self) -> Option<&Violation> {
        self.checker().violation()
    }

    /// The feed's lines up to the moment shown, newest first.
    pub fn feed_lines(&self) -> impl Iterator<Item = &FeedLine> {
        self.timeline
            .observer()
            .feed
            .lines_at(self.sim().position())
    }

    /// After every change: the narration's checks follow the moment and the recording.
    fn refresh(&mut self) {
        if let Some(n) = self.narration.as_mut() {
            n.refresh(&self.timeline, P::fact);
        }
    }

    /// The server's role as the page says it ("crashed" for a crashed one).
    fn slot_words(&self, node: NodeId, lang: Lang) -> Option<String> {
        let slot = self.sim().node(node)?;
        Some(P::server(self.sim(), slot, lang).role_text)
    }
}

impl<P: Drawn> Run for Live<P> {
    fn info(&self) -> &'static Info {
        P::INFO
    }

    fn now(&self) -> Time {
        self.sim().now()
    }

    fn events(&self) -> u64 {
        self.sim().events_processed()
    }

    fn end(&self) -> (u64, Time) {
        let end = (self.timeline.end_events(), self.timeline.end_time());
        match &self.narration {
            // A scenario's script ahead of what has been shown is not a past.
            Some(n) if n.follows_script() => n.watched.min(end),
            _ => end,
        }
    }

    fn happenings(&self) -> (u64, u64) {
        let (events, commands) = self.sim().position();
        let shown = events + commands as u64;
        let (end_events, end_time) = self.end();
        let commands = self
            .timeline
            .recording()
            .iter()
            .filter(|c| c.after_events <= end_events && c.at <= end_time)
            .count() as u64;
        (shown, (end_events + commands).max(shown))
    }

    fn in_past(&self) -> bool {
        match &self.narration {
            Some(n) if n.follows_script() => {
                (self.sim().events_processed(), self.sim().now()) < self.end()
            }
            _ => self.timeline.in_past(),
        }
    }

    fn next_event_time(&self) -> Option<Time> {
        self.sim().next_event_time()
    }

    fn advance_to(&mut self, t: Time) -> bool {
        let before = (self.sim().position(), self.step_shown());
        self.timeline.advance_to_each(t, |_, _| {});
        self.refresh();
        (self.sim().position(), self.step_shown()) != before
    }

    fn step(&mut self) -> bool {
        let stepped = self.timeline.step_each(|_, _| {}).is_some();
        self.refresh();
        stepped
    }

    fn step_back(&mut self) {
        self.timeline.step_back();
        self.refresh();
    }

    fn seek(&mut self, t: Time) {
        self.timeline.seek(t);
        self.refresh();
    }

    fn check(&self, command: &Command) -> Result<(), Text> {
        self.sim().check(command).map_err(|e| match e.kind() {
            SimErrorKind::NoTimeout { node } => {
                let why = sim_error(&e);
                let slot = &self.sim().nodes()[*node];
                let reason = P::no_timeout(self.sim(), slot);
                text(
                    format!("{}: {}", why.en, reason.en),
                    format!("{}：{}", why.zh, reason.zh),
                )
            }
            SimErrorKind::NoTransfer { node, to } => {
                let why = sim_error(&e);
                let slot = &self.sim().nodes()[*node];
                match P::no_transfer(self.sim(), slot, *to) {
                    Some(reason) => text(
                        format!("{}: {}", why.en, reason.en),
                        format!("{}：{}", why.zh, reason.zh),
                    ),
                    None => why,
                }
            }
            _ => sim_error(&e),
        })
    }

    fn apply(&mut self, command: Command) -> Result<(), Text> {
        self.check(&command)?;
        // In the past, a fork: the checker and the feed forget the discarded future.
        let outcome = self
            .timeline
            .apply(command)
            .map(|_| ())
            .map_err(|e| sim_error(&e));
        self.refresh();
        outcome
    }

    fn next_request_id(&self) -> u64 {
        self.sim().next_request_id()
    }

    fn seed(&self) -> u64 {
        self.sim().config().seed
    }

    fn nodes(&self) -> usize {
        self.sim().nodes().len()
    }

    fn crashed(&self) -> Vec<NodeId> {
        self.sim()
            .nodes()
            .iter()
            .filter(|slot| slot.status() == NodeStatus::Crashed)
            .map(|slot| slot.id)
            .collect()
    }

    fn trace_hash(&self) -> u64 {
        self.sim().trace_hash()
    }

    fn network(&self) -> NetworkConfig {
        self.sim().network().clone()
    }

    fn cut_links(&self) -> Vec<(NodeId, NodeId)> {
        self.sim().links().cut_links().collect()
    }

    fn leader(&self) -> Option<NodeId> {
        P::leader(self.sim())
    }

    fn shape(&self) -> Vec<usize> {
        P::shape(self.sim().config())
    }

    fn shared_run(&self) -> SharedRun {
        let sim = self.sim();
        SharedRun {
            protocol: P::NAME.to_string(),
            nodes: sim.nodes().len(),
            seed: sim.config().seed,
            params: P::share_params(&sim.config().protocol),
            moment: (sim.events_processed(), sim.now()),
            commands: self.timeline.recording().to_vec(),
        }
    }

    fn servers(&self, lang: Lang) -> Vec<ServerGlyph> {
        let sim = self.sim();
        sim.nodes()
            .iter()
            .map(|slot| P::server(sim, slot, lang))
            .collect()
    }

    fn messages(&self, lang: Lang) -> Vec<MessageGlyph> {
        self.sim()
            .in_flight()
            .map(|env| P::message(env, lang))
            .collect()
    }

    fn inspector(&self, node: NodeId, lang: Lang) -> Option<Inspector> {
        let sim = self.sim();
        let slot = sim.node(node)?;
        let (note, mut sections) = P::inspect(sim, slot, lang);
        let timers: Vec<Item> = slot
            .timers
            .iter()
            .map(|(timer, armed)| {
                let (key, label) = P::timer_name(timer, lang);
                Item {
                    data: ("data-timer", key.to_string()),
                    text: label.to_string(),
                    deadline: Some(armed.deadline),
                }
            })
            .collect();
        if slot.up().is_some() {
            sections.push(Section {
                heading: lang.t("Timers", "计时器").to_string(),
                body: if timers.is_empty() {
                    SectionBody::Hint(lang.t("none armed", "没有设置计时器").to_string())
                } else {
                    SectionBody::Items(timers)
                },
            });
        }
        let role = self.slot_words(node, lang)?;
        Some(Inspector {
            title: format!("{} — {role}", node_name(node)),
            note,
            sections,
        })
    }

    fn message(&self, id: MsgId, lang: Lang) -> Option<MessageDetail> {
        let env = self.sim().message(id)?;
        Some(MessageDetail {
            glyph: P::message(env, lang),
            fields: P::message_fields(&env.payload, lang),
            channel_note: P::channel_note(&env.payload, lang),
        })
    }

    fn menu(&self, node: NodeId, lang: Lang) -> Option<Menu> {
        let sim = self.sim();
        let slot = sim.node(node)?;
        let refusal = |c: &Command| self.check(c).err().map(|t| lang.of(&t).to_string());
        let crash = if slot.up().is_some() {
            Command::Crash { node }
        } else {
            Command::Restart { node }
        };
        // Its links, each way: all up (it can be isolated), all cut (it is
        // isolated and can rejoin), or some cut (a cut link, or a split):
        // then its links can be restored, but it was never cut off.
        let ways = 2 * (sim.nodes().len() - 1);
        let mut cut = 0;
        for other in 0..sim.nodes().len() {
            if other != node {
                cut += usize::from(sim.links().is_cut(node, other));
                cut += usize::from(sim.links().is_cut(other, node));
            }
        }
        let connected = cut == 0;
        let isolate = if connected {
            Command::Isolate { node }
        } else {
            Command::Rejoin { node }
        };
        let isolate_label = if connected {
            lang.t("Isolate", "隔离")
        } else if cut == ways {
            lang.t("Rejoin", "重新接入")
        } else {
            lang.t("Restore its links", "恢复它的链路")
        };
        // The request itself is made when the button is pressed; any request checks the same.
        let request = Command::ClientRequest {
            node,
            request: sim.new_request(quorum_sim::kv::KvOp::Set { key: 'x', value: 0 }),
        };
        let request_refusal = refusal(&request).or_else(|| P::refuses_requests(sim, slot, lang));
        let timeout = Command::Timeout { node };
        let mut actions = vec![
            MenuAction {
                label: if slot.up().is_some() {
                    lang.t("Crash", "崩溃")
                } else {
                    lang.t("Restart", "重启")
                }
                .to_string(),
                refusal: refusal(&crash),
                act: Act::Command(crash),
            },
            MenuAction {
                label: isolate_label.to_string(),
                refusal: refusal(&isolate),
                act: Act::Command(isolate),
            },
            MenuAction {
                label: lang.t("Time out", "超时").to_string(),
                refusal: refusal(&timeout),
                act: Act::Command(timeout),
            },
        ];
        for (label, command) in P::menu_commands(sim, slot, lang) {
            actions.push(MenuAction {
                label,
                refusal: refusal(&command),
                act: Act::Command(command),
            });
        }
        let request = MenuAction {
            label: lang.t("Client request", "客户端请求").to_string(),
            refusal: request_refusal,
            act: Act::ClientRequest(node),
        };
        if P::REQUEST_FIRST {
            actions.insert(0, request);
        } else {
            actions.push(request);
        }
        let role = self.slot_words(node, lang)?;
        Some(Menu {
            node,
            title: format!("{} — {role}", node_name(node)),
            facts: P::facts(sim, slot, lang),
            actions,
        })
    }

    fn legend(&self, lang: Lang) -> Vec<LegendItem> {
        P::legend(lang)
    }

    fn start_hint(&self, lang: Lang) -> Option<String> {
        if self.narration.is_some() {
            return None;
        }
        P::start_hint(self.sim(), lang)
    }

    fn panel(&self, lang: Lang) -> Html {
        P::panel(self.sim(), self.checker().safety(), lang)
    }

    fn safety(&self, lang: Lang) -> Safety {
        let word = |p: &str| match lang {
            Lang::En => p.to_string(),
            Lang::Zh => P::property_zh(p).to_string(),
        };
        Safety {
            properties: <P as Checked>::PROPERTIES.iter().map(|p| word(p)).collect(),
            checked: self.checker().events_checked(),
            violation: self.violation().map(|v| {
                let at = crate::ui::format_time(v.time as f64);
                lang.t(
                    format!("{} violated at {at}: {}", v.property, v.detail),
                    format!(
                        "在 {at} 违反了性质“{}”：{}",
                        word(v.property),
                        P::violation_zh(self.checker().safety())
                            .unwrap_or_else(|| v.detail.clone())
                    ),
                )
            }),
        }
    }

    fn timer_words(&self) -> TimerWords {
        P::timer_words()
    }

    fn noun(&self) -> Noun {
        P::NOUN
    }

    fn feed_len(&self) -> usize {
        self.timeline
            .observer()
            .feed
            .count_at(self.sim().position())
    }

    fn feed_window(&self, skip: usize, take: usize) -> Vec<FeedLine> {
        let feed = &self.timeline.observer().feed;
        feed.window_at(self.sim().position(), skip, take)
            .cloned()
            .collect()
    }

    fn tour(&self) -> &'static [TourStep] {
        P::TOUR
    }

    fn glossary(&self) -> &'static [GlossaryEntry] {
        P::GLOSSARY
    }

    fn scenario_name(&self) -> Option<String> {
        self.narration.as_ref().map(|n| n.scenario.name.clone())
    }

    fn script(&self) -> Option<Rc<ScriptView>> {
        self.narration.as_ref().map(|n| Rc::clone(&n.view))
    }

    fn step_shown(&self) -> Option<usize> {
        self.narration.as_ref()?.step_at(self.sim().now())
    }

    fn step_checks(&self) -> Option<Rc<StepChecks>> {
        self.narration.as_ref()?.checks.clone()
    }

    fn claims(&self, step: usize, lang: Lang) -> Vec<String> {
        let Some(n) = self.narration.as_ref() else {
            return Vec::new();
        };
        n.scenario.steps.get(step).map_or_else(Vec::new, |s| {
            s.claims
                .iter()
                .map(|c| P::claim(c, lang, &n.requests))
                .collect()
        })
    }

    fn highlights(&self, claim: Option<usize>) -> Highlights {
        let mut out = Highlights::default();
        let Some(n) = self.narration.as_ref() else {
            return out;
        };
        let Some(step) = self.step_shown().and_then(|i| n.scenario.steps.get(i)) else {
            return out;
        };
        let only = claim.filter(|&i| i < step.claims.len());
        for (i, c) in step.claims.iter().enumerate() {
            if only.is_none_or(|only| only == i) {
                P::highlights(c, self.sim(), &mut out);
            }
        }
        out
    }

    fn off_script_from(&self) -> Option<Time> {
        self.narration.as_ref()?.checks.as_ref()?.off_script_from
    }

    fn restart(&self) -> Option<Result<Box<dyn Run>, Text>> {
        let scenario = (*self.narration.as_ref()?.scenario).clone();
        Some(Live::<P>::with_scenario(scenario).map(|l| Box::new(l) as Box<dyn Run>))
    }
}

/// Starts runs of protocol `P`: what a protocol's bundle hands the page.
pub struct PageOf<P>(PhantomData<P>);

impl<P> PageOf<P> {
    pub const NEW: Self = PageOf(PhantomData);
}

impl<P: Drawn> Page for PageOf<P> {
    fn info(&self) -> &'static Info {
        P::INFO
    }

    fn new_run(&self, shape: &[usize], seed: u64) -> Result<Box<dyn Run>, Text> {
        let config = P::config(shape, seed)?;
        Ok(Box::new(Live::<P>::new(config)?))
    }

    fn shared(
        &self,
        link: &str,
        scenario: Option<&[u8]>,
    ) -> Result<(Box<dyn Run>, Option<Text>), Text> {
        let Some(packed) = scenario else {
            return Ok((Box::new(Live::<P>::from_shared(link, None)?), None));
        };
        let narrated = Live::<P>::unpack(packed).and_then(|scenario| {
            let mut live = Live::<P>::from_shared(link, Some(&scenario))?;
            live.narrate_with(scenario)?;
            Ok(live)
        });
        match narrated {
            Ok(live) => Ok((Box::new(live), None)),
            Err(why) => {
                let live = Live::<P>::from_shared(link, None)?;
                let notice = text(
                    format!(
                        "The run in the link is shown without its narration: {}.",
                        why.en
                    ),
                    format!("链接中的运行无法配上解说：{}。", why.zh),
                );
                Ok((Box::new(live), Some(notice)))
            }
        }
    }

    fn scenario(&self, packed: &[u8]) -> Result<Box<dyn Run>, Text> {
        let scenario = Live::<P>::unpack(packed)?;
        Ok(Box::new(Live::<P>::with_scenario(scenario)?))
    }
}

/// A message's glyph from what every protocol's messages say of themselves;
/// the protocol adds its shape, colour and what it carries.
pub fn glyph_of<M: MessageMeta>(
    env: &quorum_sim::network::Envelope<M>,
    kind_text: &'static str,
    shape: Shape,
    family: &'static str,
) -> MessageGlyph {
    MessageGlyph {
        id: env.id,
        from: env.from,
        to: env.to,
        sent_at: env.sent_at,
        deliver_at: env.deliver_at,
        kind: env.payload.kind(),
        kind_text,
        shape,
        family,
        reply: env.payload.is_reply(),
        refused: false,
        carries: 0,
        number: None,
    }
}

/// Marks the messages in flight between `a` and `b`, either way: what a
/// claim about the two (a vote, a follower's repair) is carried by.
pub fn light_messages_between<P: quorum_sim::Protocol>(
    sim: &Sim<P>,
    a: NodeId,
    b: NodeId,
    out: &mut Highlights,
) {
    for env in sim.in_flight() {
        if (env.from, env.to) == (a, b) || (env.from, env.to) == (b, a) {
            out.message(env.id);
        }
    }
}

/// Marks the messages in flight from or to `node`.
pub fn light_messages_of<P: quorum_sim::Protocol>(
    sim: &Sim<P>,
    node: NodeId,
    out: &mut Highlights,
) {
    for env in sim.in_flight() {
        if env.from == node || env.to == node {
            out.message(env.id);
        }
    }
}

//! A scenario on the page: its script, where the run left it, and whether
//! the claims of the step shown hold at the step's moment.

use crate::i18n::{text, Lang, Text};
use quorum_sim::scenario::{ScenarioOf, Scripted, ScriptedCommand, ServerFact};
use quorum_sim::{Command, Observer, RecordedCommand, Time, Timeline};
use std::collections::BTreeMap;
use std::rc::Rc;

/// What the page calls each client request of a scenario, by id (`y←4`).
pub type Requests = BTreeMap<u64, String>;

/// The requests a scenario's commands send, by id.
pub fn requests_of(commands: &[ScriptedCommand]) -> Requests {
    commands
        .iter()
        .filter_map(|c| match &c.command {
            Command::ClientRequest { request, .. } => Some((request.id, request.op.to_string())),
            _ => None,
        })
        .collect()
}

/// A server a false claim needs running (or crashed), as it is instead.
pub fn server_fact(fact: &ServerFact, lang: Lang) -> String {
    match *fact {
        ServerFact::Missing(n) => {
            let n = quorum_sim::node_name(n);
            lang.t(format!("there is no server {n}"), format!("没有服务器 {n}"))
        }
        ServerFact::Crashed(n) => {
            let n = quorum_sim::node_name(n);
            lang.t(format!("{n} is crashed"), format!("{n} 已崩溃"))
        }
        ServerFact::Running(n) => {
            let n = quorum_sim::node_name(n);
            lang.t(format!("{n} is running"), format!("{n} 正在运行"))
        }
    }
}

/// Checks that each fact is worded in both languages, the Chinese with no
/// English in it but the paper's `names`, and that the facts cover every
/// one of the `variants` kinds (`kind` numbers a fact's kind from 0).
#[cfg(test)]
pub fn assert_worded<F: std::fmt::Debug>(
    facts: &[F],
    kind: impl Fn(&F) -> usize,
    variants: usize,
    word: impl Fn(&F, Lang) -> String,
    names: &[&str],
) {
    let kinds: std::collections::BTreeSet<usize> = facts.iter().map(&kind).collect();
    assert_eq!(
        kinds,
        (0..variants).collect(),
        "every kind of fact has an example"
    );
    for f in facts {
        let (en, zh) = (word(f, Lang::En), word(f, Lang::Zh));
        assert!(!en.trim().is_empty() && !zh.trim().is_empty(), "{f:?}");
        assert!(en.is_ascii() || en.contains('←'), "{f:?}: {en}");
        assert_ne!(en, zh, "{f:?}");
        let english = crate::i18n::english_in(&zh, names);
        assert!(english.is_empty(), "{f:?}: {zh} has {english:?}");
    }
}

/// A scenario as the narration panel shows it, whatever the protocol.
#[derive(Debug, PartialEq)]
pub struct ScriptView {
    pub name: String,
    pub title: Text,
    pub summary: Text,
    /// Each step's moment and words.
    pub steps: Vec<(Time, Text)>,
    /// The safety property the scenario breaks on purpose, as the checker
    /// names it (`None` for a scenario that keeps them all).
    pub breaks: Option<String>,
}

/// The claims of the step shown, checked, and where the run left the
/// script. While the moment shown still follows the script, the claims are
/// checked at the step's moment, as written; once the person has acted
/// before it, against their own run at the moment shown, so ✓ and ✗ say
/// what their change did. Kept until the step, the recording or (in the
/// person's own run) the moment changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepChecks {
    /// The step shown: none before the first one.
    pub step: Option<usize>,
    /// Each claim of the step: `Ok`, or what is the case instead, in words
    /// (`None` before the first step).
    pub results: Option<Vec<Result<(), Text>>>,
    /// The moment the claims were checked at.
    pub checked_at: Time,
    /// True when they were checked in the run as the scenario wrote it;
    /// false when in the person's own run (they acted before this moment).
    pub scripted: bool,
    /// From this moment the run no longer follows the script.
    pub off_script_from: Option<Time>,
    /// The run's recording when these were checked: its length and its last
    /// command (a fork changes one or the other).
    recorded: (usize, Option<RecordedCommand>),
    /// The moment shown when checked in the person's own run (events, time).
    position: Option<(u64, Time)>,
}

impl StepChecks {
    pub fn all_hold(&self) -> bool {
        self.results
            .as_ref()
            .is_some_and(|r| r.iter().all(Result::is_ok))
    }
}

/// A scenario being narrated over a run.
pub struct Narration<P: Scripted> {
    pub scenario: Rc<ScenarioOf<P>>,
    pub view: Rc<ScriptView>,
    pub requests: Requests,
    /// The scenario's commands as recorded when it was built.
    script: Rc<Vec<RecordedCommand>>,
    pub checks: Option<Rc<StepChecks>>,
    /// The furthest moment (events, time) shown so far: while the run
    /// follows the script, the page's end of the run (the script ahead of it
    /// is not a past the person left).
    pub watched: (u64, Time),
}

impl<P: Scripted> Narration<P> {
    pub fn new(scenario: ScenarioOf<P>, script: Vec<RecordedCommand>) -> Self {
        Narration {
            view: Rc::new(ScriptView {
                name: scenario.name.clone(),
                title: scenario.title.clone(),
                summary: scenario.summary.clone(),
                steps: scenario
                    .steps
                    .iter()
                    .map(|s| (s.at, s.text.clone()))
                    .collect(),
                breaks: scenario.breaks.clone(),
            }),
            requests: requests_of(&scenario.commands),
            scenario: Rc::new(scenario),
            script: Rc::new(script),
            checks: None,
            watched: (0, 0),
        }
    }

    /// The step shown at virtual time `now`.
    pub fn step_at(&self, now: Time) -> Option<usize> {
        self.scenario.step_at(now)
    }

    /// True while the run's recording is the scenario's script.
    pub fn follows_script(&self) -> bool {
        self.checks
            .as_ref()
            .is_some_and(|c| c.off_script_from.is_none())
    }

    /// Checks the claims of the step shown, if the step or the run changed,
    /// and notes how far the run has been shown. `word` says a false claim's
    /// fact in a language (the protocol's `Drawn::fact`).
    pub fn refresh<O: Observer<P>>(
        &mut self,
        timeline: &Timeline<P, O>,
        word: fn(&P::Fact, Lang, &Requests) -> String,
    ) {
        let sim = timeline.sim();
        let now = sim.now();
        let here = (sim.events_processed(), now);
        let step = self.step_at(now);
        let recording = timeline.recording();
        let recorded = (recording.len(), recording.last().cloned());
        let old = self.checks.clone();
        let off_script_from = match &old {
            Some(c) if c.recorded == recorded => c.off_script_from,
            _ => leaves_script_at(recording, &self.script),
        };
        // A fork discards the future: what was watched beyond it is gone.
        let end = (timeline.end_events(), timeline.end_time());
        self.watched = self.watched.max(here).min(end);
        // The moment shown is the person's own from the first change on.
        let yours = off_script_from.is_some_and(|t| t <= now);
        let position = yours.then_some(here);
        if old
            .as_ref()
            .is_some_and(|c| c.step == step && c.recorded == recorded && c.position == position)
        {
            return;
        }
        let (results, checked_at) = match step {
            None => (None, now),
            Some(step) => {
                let step = &self.scenario.steps[step];
                let requests = &self.requests;
                let check = |sim: &quorum_sim::Sim<P>| -> Vec<Result<(), Text>> {
                    let say = |f: P::Fact| {
                        text(word(&f, Lang::En, requests), word(&f, Lang::Zh, requests))
                    };
                    step.claims
                        .iter()
                        .map(|c| P::check(c, sim).map_err(say))
                        .collect()
                };
                if yours || now == step.at {
                    (Some(check(sim)), now)
                } else {
                    // Between two steps of the script: as it was at the step.
                    let mut there = timeline.clone();
                    there.seek(step.at);
                    (Some(check(there.sim())), step.at)
                }
            }
        };
        self.checks = Some(Rc::new(StepChecks {
            step,
            results,
            checked_at,
            scripted: !yours,
            off_script_from,
            recorded,
            position,
        }));
    }
}

/// The moment of the first command in which the recording and the script differ.
fn leaves_script_at(recording: &[RecordedCommand], script: &[RecordedCommand]) -> Option<Time> {
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

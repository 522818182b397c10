//! A scenario on the page: its script, where the run left it, and whether
//! the claims of the step shown hold at the step's moment.

use crate::i18n::Text;
use quorum_sim::scenario::{ScenarioOf, Scripted, ScriptedCommand};
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

/// A scenario as the narration panel shows it, whatever the protocol.
#[derive(Debug, PartialEq)]
pub struct ScriptView {
    pub name: String,
    pub title: Text,
    pub summary: Text,
    /// Each step's moment and words.
    pub steps: Vec<(Time, Text)>,
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

/// A scenario being narrated over a run.
pub struct Narration<P: Scripted> {
    pub scenario: Rc<ScenarioOf<P>>,
    pub view: Rc<ScriptView>,
    pub requests: Requests,
    /// The scenario's commands as recorded when it was built.
    script: Rc<Vec<RecordedCommand>>,
    pub checks: Option<Rc<StepChecks>>,
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
            }),
            requests: requests_of(&scenario.commands),
            scenario: Rc::new(scenario),
            script: Rc::new(script),
            checks: None,
        }
    }

    /// The step shown at virtual time `now`.
    pub fn step_at(&self, now: Time) -> Option<usize> {
        self.scenario.step_at(now)
    }

    /// Checks the claims of the step shown, if the step or the run changed.
    pub fn refresh<O: Observer<P>>(&mut self, timeline: &Timeline<P, O>) {
        let step = self.step_at(timeline.sim().now());
        let recording = timeline.recording();
        let recorded = (recording.len(), recording.last().cloned());
        let old = self.checks.clone();
        if old
            .as_ref()
            .is_some_and(|c| c.step == step && c.recorded == recorded)
        {
            return;
        }
        let off_script_from = match &old {
            Some(c) if c.recorded == recorded => c.off_script_from,
            _ => leaves_script_at(recording, &self.script),
        };
        let results = step.and_then(|step| {
            let step = &self.scenario.steps[step];
            if off_script_from.is_some_and(|t| t <= step.at) {
                return None;
            }
            let check =
                |sim: &quorum_sim::Sim<P>| step.claims.iter().map(|c| P::check(c, sim)).collect();
            Some(if timeline.sim().now() == step.at {
                check(timeline.sim())
            } else {
                let mut there = timeline.clone();
                there.seek(step.at);
                check(there.sim())
            })
        });
        self.checks = Some(Rc::new(StepChecks {
            step,
            results,
            off_script_from,
            recorded,
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

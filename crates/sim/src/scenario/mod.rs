//! Scenarios: a run plus narration.
//!
//! A scenario is data (JSON in `crates/sim/scenarios/<protocol>/<name>.json`,
//! read with serde): the cluster (protocol, size, seed, settings), the
//! commands a user would have given and when, and narration steps. Each
//! step is a short explanation, in
//! English and Simplified Chinese, shown from a moment of virtual time on,
//! with the *claims* it makes about the cluster at that moment ("S3 leads
//! term 2", "S5's log is 1 1 1 4"). Claims are checked by code
//! ([`Scripted::check`]): the tests play every scenario and fail if any claim
//! is false at its step, and the page shows each claim as met or not.
//!
//! A scenario is a run like any other: its commands are recorded with the
//! moment they are applied, so it can be replayed, travelled in, shared by
//! link and forked by acting at any point.

use crate::kernel::network::NetworkConfig;
use crate::kernel::{SimError, MAX_NODES};
use crate::{
    node_name, Command, NodeId, Protocol, RecordedCommand, Sim, SimConfig, Time, Timeline,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fmt::Debug;

/// Text for people, in every language the page speaks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

/// A command and the virtual time (µs) it is given at: after every event
/// scheduled at or before `at`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptedCommand {
    pub at: Time,
    pub command: Command,
}

/// One step of the narration: shown from virtual time `at` (µs) until the
/// next step's; the page can pause at `at`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step<K> {
    pub at: Time,
    pub text: Text,
    /// What the text says holds at `at`, checked by code.
    #[serde(default = "Vec::new")]
    pub claims: Vec<K>,
}

/// A run plus narration, generic over the protocol's settings `C` and claims
/// `K` (see [`ScenarioOf`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario<C, K> {
    /// Short and stable: the page's `scenario=` parameter.
    pub name: String,
    /// `Protocol::NAME` of the protocol it runs.
    pub protocol: String,
    pub title: Text,
    /// One or two sentences: what the scenario shows.
    pub summary: Text,
    pub nodes: usize,
    pub seed: u64,
    /// The protocol's settings; fields left out take their defaults.
    #[serde(default)]
    pub config: C,
    /// The network at the start; later changes are commands.
    #[serde(default)]
    pub network: NetworkConfig,
    #[serde(default = "Vec::new")]
    pub commands: Vec<ScriptedCommand>,
    pub steps: Vec<Step<K>>,
    /// The safety property this run breaks on purpose, as the checker names
    /// it (a rule of a paper followed literally, to show what goes wrong);
    /// `None` for every scenario that keeps them all.
    #[serde(default)]
    pub breaks: Option<String>,
}

pub type ScenarioOf<P> = Scenario<<P as Protocol>::Config, <P as Scripted>::Claim>;

/// A protocol that scenarios can be written for: what its claims are, and
/// how to check one against the cluster at a moment.
pub trait Scripted: Protocol {
    type Claim: Clone + Debug + PartialEq + Serialize + DeserializeOwned;
    /// What is the case instead of a false claim, as a fact (a server's role
    /// and term, a log, a value chosen or not): the page words it in each of
    /// its languages; `Display` says it in English for the tools and tests.
    type Fact: Clone + Debug + PartialEq + Eq + std::fmt::Display;

    /// `Ok` if the claim holds in `sim` now; otherwise what is the case instead.
    fn check(claim: &Self::Claim, sim: &Sim<Self>) -> Result<(), Self::Fact>;
}

/// What is the case of a server a claim names, where the claim needs it
/// running (or crashed) and it is not, or the cluster has no such server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerFact {
    /// The cluster has no server `node`.
    Missing(NodeId),
    Crashed(NodeId),
    Running(NodeId),
}

impl std::fmt::Display for ServerFact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            ServerFact::Missing(n) => write!(f, "there is no server {}", node_name(n)),
            ServerFact::Crashed(n) => write!(f, "{} is crashed", node_name(n)),
            ServerFact::Running(n) => write!(f, "{} is running", node_name(n)),
        }
    }
}

/// Server `node` of `sim`, or the fact that there is none.
pub fn server<P: Protocol>(sim: &Sim<P>, node: NodeId) -> Result<&crate::NodeSlot<P>, ServerFact> {
    sim.node(node).ok_or(ServerFact::Missing(node))
}

/// Server `node` of `sim`, running, or the fact that it is not.
pub fn running<P: Protocol>(sim: &Sim<P>, node: NodeId) -> Result<&P, ServerFact> {
    server(sim, node)?.up().ok_or(ServerFact::Crashed(node))
}

/// Why a scenario cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError(pub String);

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ScenarioError {}

impl From<SimError> for ScenarioError {
    fn from(e: SimError) -> Self {
        ScenarioError(e.0)
    }
}

fn fail<T>(msg: impl Into<String>) -> Result<T, ScenarioError> {
    Err(ScenarioError(msg.into()))
}

/// Whether a scenario's claims held at one of its steps; `F` is the
/// protocol's [`Scripted::Fact`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepCheck<F> {
    pub step: usize,
    pub at: Time,
    /// For each claim of the step: `Ok`, or what is the case instead.
    pub claims: Vec<Result<(), F>>,
}

impl<C: Clone + Default, K> Scenario<C, K> {
    /// The run's configuration.
    pub fn sim_config(&self) -> SimConfig<C> {
        SimConfig {
            nodes: self.nodes,
            seed: self.seed,
            network: self.network.clone(),
            protocol: self.config.clone(),
        }
    }

    /// The step shown at virtual time `now`: the last one that has begun.
    pub fn step_at(&self, now: Time) -> Option<usize> {
        self.steps.iter().rposition(|s| s.at <= now)
    }

    /// Checks what does not need a run: the protocol, names (`<protocol>-...`)
    /// and texts, time order.
    pub fn validate(&self, protocol: &str) -> Result<(), ScenarioError> {
        if self.protocol != protocol {
            return fail(format!(
                "scenario {} runs {}, not {protocol}",
                self.name, self.protocol
            ));
        }
        let name_ok = !self.name.is_empty()
            && self.name.len() <= 48
            && self
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !name_ok {
            return fail(format!(
                "scenario name “{}” is not 1 to 48 of a-z, 0-9 and -",
                self.name
            ));
        }
        // The page's list and the files on disk group scenarios by protocol.
        if !self.name.starts_with(&format!("{protocol}-")) {
            return fail(format!(
                "scenario name “{}” does not start with “{protocol}-”",
                self.name
            ));
        }
        if !(1..=MAX_NODES).contains(&self.nodes) {
            return fail(format!(
                "scenario {} has {} servers; 1 to {MAX_NODES} run",
                self.name, self.nodes
            ));
        }
        let texts = [("title", &self.title), ("summary", &self.summary)]
            .into_iter()
            .chain(self.steps.iter().map(|s| ("a step", &s.text)));
        for (what, text) in texts {
            if text.en.trim().is_empty() || text.zh.trim().is_empty() {
                return fail(format!(
                    "scenario {}: {what} lacks its English or Chinese text",
                    self.name
                ));
            }
        }
        if self.steps.is_empty() {
            return fail(format!("scenario {} has no steps", self.name));
        }
        if !self.steps.windows(2).all(|w| w[0].at < w[1].at) {
            return fail(format!(
                "scenario {}: steps are not in strictly increasing time order",
                self.name
            ));
        }
        if !self.commands.windows(2).all(|w| w[0].at <= w[1].at) {
            return fail(format!(
                "scenario {}: commands are not in time order",
                self.name
            ));
        }
        Ok(())
    }
}

impl<C: Clone + Default, K> Scenario<C, K> {
    /// The scenario's run as a timeline positioned at its start, with every
    /// scripted command recorded at its moment (so playing it replays them,
    /// and acting anywhere forks it).
    pub fn timeline<P>(&self, snapshot_every: u64) -> Result<Timeline<P>, ScenarioError>
    where
        P: Protocol<Config = C>,
    {
        Ok(Timeline::from_recording(
            self.sim_config(),
            self.recording::<P>()?,
            snapshot_every,
        )?)
    }

    /// The scenario's commands as a run records them, each at its moment
    /// (for [`Timeline::from_recording`]).
    pub fn recording<P>(&self) -> Result<Vec<RecordedCommand>, ScenarioError>
    where
        P: Protocol<Config = C>,
    {
        let mut sim = Sim::<P>::new(self.sim_config())?;
        for (i, c) in self.commands.iter().enumerate() {
            sim.advance_to(c.at);
            sim.apply(c.command.clone()).map_err(|e| {
                ScenarioError(format!(
                    "scenario {}: command {} ({:?}) at {} µs: {e}",
                    self.name,
                    i + 1,
                    c.command,
                    c.at
                ))
            })?;
        }
        Ok(sim.commands().to_vec())
    }
}

/// Checks the claims of every step against the run at the step's moment.
/// `observe` sees every state of the run on the way (e.g. a safety checker),
/// with the events that led to it; the run goes up to the last step.
pub fn play<P: Scripted>(
    scenario: &ScenarioOf<P>,
    mut observe: impl FnMut(&Sim<P>, &[crate::kernel::EventOf<P>]),
) -> Result<Vec<StepCheck<P::Fact>>, ScenarioError> {
    scenario.validate(P::NAME)?;
    let mut timeline = scenario.timeline::<P>(u64::MAX)?;
    observe(timeline.sim(), &[]);
    let mut checks = Vec::new();
    for (i, step) in scenario.steps.iter().enumerate() {
        timeline.advance_to_each(step.at, &mut observe);
        let sim = timeline.sim();
        checks.push(StepCheck {
            step: i,
            at: step.at,
            claims: step.claims.iter().map(|c| P::check(c, sim)).collect(),
        });
    }
    Ok(checks)
}

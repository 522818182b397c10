//! One randomized fault driver for every protocol.
//!
//! A run of one seed injects faults at random while the cluster works:
//! crashes and restarts, dropped, duplicated and delayed messages (a delay
//! lets later messages overtake), cut links, isolated and rejoining servers,
//! splits, message loss and latency changes, reordering links (half the
//! seeds), aligned and spread timers, forced timeouts and client requests.
//! Every state is checked with the protocol's [`Checker`]: after every
//! event and every command. Then the faults stop (links heal, loss ends,
//! every server restarts) and the protocol's [`Chaos::converge`] drives the
//! cluster to where it must end up and checks it got there, as openraft's
//! `tests-turmoil` demands convergence once faults stop.
//!
//! The faults come from their own generator, seeded from the run's seed, so
//! they do not disturb the simulation's: a seed always gives the same run.
//! What is particular to a protocol (the cluster's shape, whom a client asks,
//! what to do when nothing is scheduled, what convergence means) is its
//! [`Chaos`] implementation, in its own folder (`<protocol>/chaos.rs`).

use crate::check::{Checked, Checker};
use crate::kernel::rng::SimRng;
use crate::kernel::{Command, EventOf, MsgId, NetworkConfig, NodeStatus, Sim, SimConfig, SimEvent};
use crate::kv::KvOp;
use crate::{node_name, NodeId, Time, MS};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// What a protocol adds to the fault driver.
pub trait Chaos: Checked {
    /// What the protocol remembers of the faulty part of a run for its
    /// convergence check (Raft: every request a leader accepted).
    type Memory: Default;

    /// What [`Chaos::converge`] counts, for the statistics (e.g. "accepted
    /// requests all committed"). A run of many seeds must count at least
    /// one per seed.
    const PROGRESS: &'static str;

    /// The cluster a run of `seed` uses: how many servers, with which settings.
    fn cluster(seed: u64) -> (usize, Self::Config);

    /// The server a client sends a new request to, if any (default: a
    /// running server, at random).
    fn request_target(_sim: &Sim<Self>, up: &[NodeId], rng: &mut SimRng) -> Option<NodeId> {
        pick(rng, up)
    }

    /// Whether the driver may crash running server `node` now (default: any).
    /// A protocol that assumes a bound on how many servers are failed at once
    /// (VR: at most `f` crashed or recovering, having no disk) says so here.
    fn may_crash(_sim: &Sim<Self>, _node: NodeId) -> bool {
        true
    }

    /// A fault of the protocol's own to inject now, if it has one (Raft: a
    /// leadership transfer, when its switch is on). The default has none and
    /// draws nothing from `rng`, so runs without one stay as they were.
    fn own_fault(_sim: &Sim<Self>, _up: &[NodeId], _rng: &mut SimRng) -> Option<Command> {
        None
    }

    /// A name for a protocol event worth counting in the report (Raft: a
    /// snapshot taken or installed), if it is one. The default counts none.
    fn notable(_event: &Self::Event) -> Option<&'static str> {
        None
    }

    /// Sees every batch of events of the faulty part of the run.
    fn note(_memory: &mut Self::Memory, _events: &[EventOf<Self>]) {}

    /// Nothing is scheduled and every server is running: get the run going
    /// again (returning what happened), or say why it cannot go on. The
    /// default is for protocols whose servers always have a timer armed,
    /// which are never idle while they run.
    fn when_quiet(_run: &mut Run<Self>, _rng: &mut SimRng) -> Result<Vec<EventOf<Self>>, String> {
        Err("idle with all servers up".into())
    }

    /// The faults have stopped and every server runs: drive the cluster to
    /// where it must end up, check that it did, and count what it achieved.
    fn converge(run: &mut Run<Self>, memory: &mut Self::Memory) -> Result<u64, String>;
}

/// A simulation whose every state is checked: after `Sim::new`, and after
/// every step and command.
pub struct Run<P: Checked> {
    sim: Sim<P>,
    checker: Checker<P>,
}

impl<P: Checked> Run<P> {
    pub fn new(config: SimConfig<P::Config>) -> Result<Self, String> {
        let sim = Sim::new(config).map_err(|e| e.to_string())?;
        let mut checker = Checker::new();
        checker.observe(&sim, &[]).map_err(|v| v.to_string())?;
        Ok(Run { sim, checker })
    }

    pub fn sim(&self) -> &Sim<P> {
        &self.sim
    }

    pub fn checker(&self) -> &Checker<P> {
        &self.checker
    }

    /// Running server `id`, or why it is not.
    pub fn up(&self, id: NodeId) -> Result<&P, String> {
        self.sim
            .node(id)
            .and_then(|s| s.up())
            .ok_or_else(|| format!("{} is not running", node_name(id)))
    }

    fn see(&mut self, events: &[EventOf<P>]) -> Result<(), String> {
        self.checker
            .observe(&self.sim, events)
            .map_err(|v| v.to_string())
    }

    /// Applies `command` now (it must apply).
    pub fn apply(&mut self, command: Command) -> Result<Vec<EventOf<P>>, String> {
        let events = self
            .sim
            .apply(command)
            .map_err(|e| format!("a command was refused: {e}"))?;
        self.see(&events)?;
        Ok(events)
    }

    /// The next event, if one is scheduled.
    pub fn step(&mut self) -> Result<Option<Vec<EventOf<P>>>, String> {
        let Some(events) = self.sim.step() else {
            return Ok(None);
        };
        self.see(&events)?;
        Ok(Some(events))
    }

    /// Every event up to virtual time `until`, one at a time.
    pub fn run_until(&mut self, until: Time) -> Result<Vec<EventOf<P>>, String> {
        let mut all = Vec::new();
        while self.sim.next_event_time().is_some_and(|t| t <= until) {
            all.extend(self.step()?.unwrap_or_default());
        }
        self.sim.advance_to(until);
        Ok(all)
    }

    pub fn run_for(&mut self, duration: Time) -> Result<Vec<EventOf<P>>, String> {
        self.run_until(self.sim.now() + duration)
    }
}

/// A uniform pick from `items`, `None` if there are none.
pub fn pick<T: Copy>(rng: &mut SimRng, items: &[T]) -> Option<T> {
    (!items.is_empty()).then(|| items[rng.range_inclusive(0, items.len() as u64 - 1) as usize])
}

/// The network of a run, and of the calm after the faults: half the seeds
/// deliver each link in order, as TCP does; half let messages overtake.
fn calm_network(seed: u64) -> NetworkConfig {
    NetworkConfig {
        latency_min: 5 * MS,
        latency_max: 30 * MS,
        loss_per_mille: 0,
        ordered: seed % 2 == 0,
    }
}

/// What one seed did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub seed: u64,
    /// Events processed, faults and calm.
    pub events: u64,
    /// Commands applied while faults were injected.
    pub commands: usize,
    pub crashes: usize,
    /// Fault commands injected, by kind ([`kind`]).
    pub kinds: BTreeMap<&'static str, usize>,
    /// Delayed messages that a later message on their link overtook while
    /// the network kept links in order: the reordering a delay is for.
    pub overtaken: usize,
    /// Protocol events of the faulty part, by [`Chaos::notable`]'s name.
    pub noted: BTreeMap<&'static str, usize>,
    /// What [`Chaos::converge`] counted.
    pub progress: u64,
    pub trace_hash: u64,
}

/// One seed: faults for `fault_events` events, then calm and convergence.
/// `Err` says which seed failed and why (a violation, no convergence).
pub fn run_seed<P: Chaos>(seed: u64, fault_events: u64) -> Result<Outcome, String> {
    run_seed_with::<P>(seed, fault_events, P::cluster)
}

/// [`run_seed`] with the cluster `cluster` gives for the seed instead of
/// [`Chaos::cluster`]'s (e.g. Raft with its extensions switched on).
pub fn run_seed_with<P: Chaos>(
    seed: u64,
    fault_events: u64,
    cluster: fn(u64) -> (usize, P::Config),
) -> Result<Outcome, String> {
    faulty_run::<P>(seed, fault_events, cluster)
        .map_err(|e| format!("{} seed {seed}: {e}", P::NAME))
}

fn faulty_run<P: Chaos>(
    seed: u64,
    fault_events: u64,
    cluster: fn(u64) -> (usize, P::Config),
) -> Result<Outcome, String> {
    let mut chaos = SimRng::from_seed(seed ^ 0x5eed_fa17);
    let (nodes, protocol) = cluster(seed);
    let config = SimConfig {
        nodes,
        seed,
        network: calm_network(seed),
        protocol,
    };
    let mut run = Run::<P>::new(config)?;
    let mut memory = P::Memory::default();
    let all: Vec<NodeId> = (0..nodes).collect();
    let mut next_value = 0u32;
    let mut crashes = 0;
    let mut kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut delayed: BTreeSet<MsgId> = BTreeSet::new();
    let mut newest_on_link: BTreeMap<(NodeId, NodeId), MsgId> = BTreeMap::new();
    let mut overtaken = 0;
    let mut noted: BTreeMap<&'static str, usize> = BTreeMap::new();

    while run.sim.events_processed() < fault_events {
        let sim = &run.sim;
        let status = |n: &NodeId| sim.nodes()[*n].status();
        let up: Vec<NodeId> = all
            .iter()
            .copied()
            .filter(|n| status(n) == NodeStatus::Up)
            .collect();
        let down: Vec<NodeId> = all
            .iter()
            .copied()
            .filter(|n| status(n) == NodeStatus::Crashed)
            .collect();
        let in_flight = || sim.in_flight().map(|e| e.id).collect::<Vec<MsgId>>();
        let command = match chaos.range_inclusive(0, 999) {
            0..=5 => {
                let crashable: Vec<NodeId> = up
                    .iter()
                    .copied()
                    .filter(|&n| P::may_crash(sim, n))
                    .collect();
                pick(&mut chaos, &crashable).map(|node| Command::Crash { node })
            }
            6..=19 => pick(&mut chaos, &down).map(|node| Command::Restart { node }),
            20..=39 => pick(&mut chaos, &in_flight()).map(|id| Command::DropMessage { id }),
            40..=64 => P::request_target(sim, &up, &mut chaos).map(|node| {
                next_value += 1;
                let key = ['x', 'y', 'z'][(next_value % 3) as usize];
                let op = if next_value % 2 == 0 {
                    KvOp::Set {
                        key,
                        value: next_value,
                    }
                } else {
                    KvOp::Add {
                        key,
                        by: next_value,
                    }
                };
                Command::ClientRequest {
                    node,
                    request: sim.new_request(op),
                }
            }),
            65..=69 => {
                // Servers with a timeout to fire now (Raft: not the leader).
                let armed: Vec<NodeId> = up
                    .iter()
                    .copied()
                    .filter(|&n| sim.nodes()[n].up().and_then(P::forced_timer).is_some())
                    .collect();
                pick(&mut chaos, &armed).map(|node| Command::Timeout { node })
            }
            70..=74 => {
                let from = chaos.range_inclusive(0, nodes as u64 - 1) as usize;
                let to = (from + 1 + chaos.range_inclusive(0, nodes as u64 - 2) as usize) % nodes;
                Some(Command::CutLink { from, to })
            }
            75..=79 => Some(Command::HealAll),
            80..=81 => Some(Command::SetNetwork {
                network: NetworkConfig {
                    latency_min: 5 * MS,
                    latency_max: chaos.range_inclusive(5, 60) * MS,
                    loss_per_mille: chaos.range_inclusive(0, 300) as u32,
                    ordered: chaos.range_inclusive(0, 1) == 0,
                },
            }),
            82..=86 => pick(&mut chaos, &in_flight()).map(|id| Command::DuplicateMessage { id }),
            87..=91 => {
                let ids = in_flight();
                let by = chaos.range_inclusive(1, 200) * MS;
                pick(&mut chaos, &ids).map(|id| Command::DelayMessage { id, by })
            }
            92..=93 => pick(&mut chaos, &all).map(|node| Command::Isolate { node }),
            94..=95 => pick(&mut chaos, &all).map(|node| Command::Rejoin { node }),
            96..=97 => {
                let side: Vec<NodeId> = (0..nodes)
                    .filter(|_| chaos.range_inclusive(0, 1) == 0)
                    .collect();
                Some(Command::Partition { side })
            }
            98 => Some(Command::AlignTimers),
            99 => Some(Command::SpreadTimers),
            100..=104 => P::own_fault(sim, &up, &mut chaos),
            _ => None,
        };
        // Some random picks do not apply now (rejoining a connected server,
        // a split with everyone on one side): the run goes on without them.
        let command = command.filter(|c| sim.check(c).is_ok());
        let events = match command {
            Some(command) => {
                crashes += usize::from(matches!(command, Command::Crash { .. }));
                if let Command::DelayMessage { id, .. } = command {
                    delayed.insert(id);
                }
                *kinds.entry(kind(&command)).or_default() += 1;
                run.apply(command)?
            }
            None => match run.step()? {
                Some(events) => events,
                // Nothing is scheduled until a server restarts, or until the
                // protocol is given something to do.
                None => match pick(&mut chaos, &down) {
                    Some(node) => run.apply(Command::Restart { node })?,
                    None => P::when_quiet(&mut run, &mut chaos)?,
                },
            },
        };
        P::note(&mut memory, &events);
        for e in &events {
            if let SimEvent::Protocol { event, .. } = &e.event {
                if let Some(name) = P::notable(event) {
                    *noted.entry(name).or_default() += 1;
                }
            }
            if let SimEvent::MessageDelivered { id, from, to } = e.event {
                let newest = newest_on_link.entry((from, to)).or_insert(id);
                if delayed.contains(&id) && *newest > id && run.sim.network().ordered {
                    overtaken += 1;
                }
                *newest = id.max(*newest);
            }
        }
    }
    let commands = run.sim.commands().len();

    // The faults stop: every link heals, nothing is lost, every server restarts.
    run.apply(Command::HealAll)?;
    run.apply(Command::SetNetwork {
        network: calm_network(seed),
    })?;
    for node in 0..nodes {
        if run.sim.nodes()[node].status() == NodeStatus::Crashed {
            run.apply(Command::Restart { node })?;
        }
    }
    let progress = P::converge(&mut run, &mut memory)?;
    Ok(Outcome {
        seed,
        events: run.sim.events_processed(),
        commands,
        crashes,
        kinds,
        overtaken,
        noted,
        progress,
        trace_hash: run.sim.trace_hash(),
    })
}

/// A command's kind, for counting what a run injected.
pub fn kind(c: &Command) -> &'static str {
    match c {
        Command::DropMessage { .. } => "drop",
        Command::Crash { .. } => "crash",
        Command::Restart { .. } => "restart",
        Command::Timeout { .. } => "timeout",
        Command::ClientRequest { .. } => "request",
        Command::CutLink { .. } => "cut link",
        Command::HealLink { .. } => "heal link",
        Command::HealAll => "heal all",
        Command::SetNetwork { .. } => "loss/latency",
        Command::DuplicateMessage { .. } => "duplicate",
        Command::DelayMessage { .. } => "delay",
        Command::Isolate { .. } => "isolate",
        Command::Rejoin { .. } => "rejoin",
        Command::Partition { .. } => "split",
        Command::AlignTimers => "align timers",
        Command::SpreadTimers => "spread timers",
        Command::TransferLeadership { .. } => "transfer",
        Command::MakeByzantine { .. } => "byzantine",
    }
}

/// The fault kinds the driver injects; a run of many seeds must inject each.
pub const FAULT_KINDS: [&str; 15] = [
    "drop",
    "crash",
    "restart",
    "timeout",
    "request",
    "cut link",
    "heal all",
    "loss/latency",
    "duplicate",
    "delay",
    "isolate",
    "rejoin",
    "split",
    "align timers",
    "spread timers",
];

/// What a run of many seeds did, in total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub protocol: &'static str,
    pub seeds: u64,
    pub fault_events: u64,
    pub events: u64,
    pub commands: usize,
    pub crashes: usize,
    pub kinds: BTreeMap<&'static str, usize>,
    pub overtaken: usize,
    /// Protocol events of note, by [`Chaos::notable`]'s name, over all seeds.
    pub noted: BTreeMap<&'static str, usize>,
    pub progress: u64,
    /// What `progress` counts ([`Chaos::PROGRESS`]).
    pub progress_of: &'static str,
}

impl Report {
    /// Whether the run did what a randomized run is for: at least
    /// `fault_events` events per seed, a crash and some progress per seed,
    /// and (over 100 seeds or more) every fault kind injected and a delayed
    /// message overtaken.
    pub fn check(&self) -> Result<(), String> {
        let protocol = self.protocol;
        if self.events < self.seeds * self.fault_events {
            return Err(format!("{protocol}: only {} events", self.events));
        }
        if (self.crashes as u64) < self.seeds {
            return Err(format!("{protocol}: the run must actually crash servers"));
        }
        if self.progress < self.seeds {
            return Err(format!(
                "{protocol}: only {} {} in {} seeds",
                self.progress, self.progress_of, self.seeds
            ));
        }
        if self.seeds >= 100 {
            if let Some(k) = FAULT_KINDS.iter().find(|k| !self.kinds.contains_key(*k)) {
                return Err(format!("{protocol}: the run never injected {k}"));
            }
            if self.overtaken == 0 {
                return Err(format!("{protocol}: no delay ever reordered a link"));
            }
        }
        Ok(())
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} safety run: {} seeds, {} events checked, {} fault commands ({} crashes), {} {}; 0 violations\n  injected: {:?}\n  {} delayed messages overtaken on in-order links",
            self.protocol,
            self.seeds,
            self.events,
            self.commands,
            self.crashes,
            self.progress,
            self.progress_of,
            self.kinds,
            self.overtaken
        )?;
        if !self.noted.is_empty() {
            write!(f, "\n  noted: {:?}", self.noted)?;
        }
        Ok(())
    }
}

/// Runs every seed in `seeds`, `fault_events` events of faults each, and
/// adds up what they did; the first failure ends it.
pub fn run<P: Chaos>(seeds: Range<u64>, fault_events: u64) -> Result<Report, String> {
    run_with::<P>(seeds, fault_events, P::cluster)
}

/// [`run`] with the cluster `cluster` gives for each seed.
pub fn run_with<P: Chaos>(
    seeds: Range<u64>,
    fault_events: u64,
    cluster: fn(u64) -> (usize, P::Config),
) -> Result<Report, String> {
    let mut report = Report {
        protocol: P::NAME,
        seeds: seeds.end.saturating_sub(seeds.start),
        fault_events,
        events: 0,
        commands: 0,
        crashes: 0,
        kinds: BTreeMap::new(),
        overtaken: 0,
        noted: BTreeMap::new(),
        progress: 0,
        progress_of: P::PROGRESS,
    };
    for seed in seeds {
        let o = run_seed_with::<P>(seed, fault_events, cluster)?;
        report.events += o.events;
        report.commands += o.commands;
        report.crashes += o.crashes;
        report.overtaken += o.overtaken;
        report.progress += o.progress;
        for (k, n) in o.kinds {
            *report.kinds.entry(k).or_default() += n;
        }
        for (k, n) in o.noted {
            *report.noted.entry(k).or_default() += n;
        }
    }
    Ok(report)
}

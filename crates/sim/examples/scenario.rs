//! Plays a scenario file and prints what happens, for writing and checking
//! scenarios: `cargo run -p quorum-sim --example scenario -- crates/sim/scenarios/raft/raft-first-election.json`
//!
//! Prints every protocol event, crash, restart, user drop and command with
//! its virtual time, each server's state at every step, and whether each
//! claim of the step holds. `--until MS` plays on to that many milliseconds
//! (default: the last step); `--quiet` prints only the steps; `--messages`
//! also prints every message sent, with its id and arrival time. Exits 1 if a
//! claim is false or a safety property is violated.

use quorum_sim::multipaxos::MultiPaxos;
use quorum_sim::paxos::Paxos;
use quorum_sim::raft::{Raft, RaftTimer};
use quorum_sim::scenario::{ScenarioOf, Scripted};
use quorum_sim::sim::{EventOf, SimEvent};
use quorum_sim::{node_name, Checked, Checker, Sim, Time, MS};
use std::fmt::Debug;

/// What this tool prints of each protocol's servers.
trait Probe: Scripted + Checked + Sized {
    fn summary(sim: &Sim<Self>) -> Vec<String>;
}

impl Probe for Raft {
    fn summary(sim: &Sim<Raft>) -> Vec<String> {
        sim.nodes()
            .iter()
            .map(|n| {
                let p = n.persistent();
                let terms: Vec<u64> = p.log.iter().map(|(_, e)| e.term).collect();
                // When its election timer runs out, if it is armed: for finding
                // the moment a server will stand for election.
                let timeout = n
                    .timers
                    .get(&RaftTimer::Election)
                    .map_or(String::new(), |t| format!(" timeout at {}", ms(t.deadline)));
                match n.up() {
                    Some(r) => format!(
                        "{} {:?} term {} voted {:?} commit {} log {terms:?}{timeout}",
                        node_name(n.id),
                        r.role,
                        r.current_term,
                        r.voted_for.map(node_name),
                        r.commit_index
                    ),
                    None => format!(
                        "{} CRASHED term {} log {terms:?}",
                        node_name(n.id),
                        p.current_term
                    ),
                }
            })
            .collect()
    }
}

impl Probe for Paxos {
    fn summary(sim: &Sim<Paxos>) -> Vec<String> {
        sim.nodes()
            .iter()
            .map(|n| match n.up() {
                Some(p) => format!(
                    "{} {:?} promised {:?} accepted {:?} round {} value {:?} phase {:?} learned {:?}",
                    node_name(n.id),
                    p.role,
                    p.promised.map(|b| b.to_string()),
                    p.accepted.map(|(b, v)| (b.to_string(), v.id)),
                    p.round,
                    p.value.map(|v| v.id),
                    p.phase,
                    p.learned.map(|v| v.id)
                ),
                None => format!("{} CRASHED {:?}", node_name(n.id), n.persistent()),
            })
            .collect()
    }
}

impl Probe for MultiPaxos {
    fn summary(sim: &Sim<MultiPaxos>) -> Vec<String> {
        sim.nodes()
            .iter()
            .map(|n| match n.up() {
                Some(s) => format!(
                    "{} {:?} ballot {:?} promised {:?} accepted {:?} chosen {:?} applied {}",
                    node_name(n.id),
                    s.role,
                    s.ballot.map(|b| b.to_string()),
                    s.promised.map(|b| b.to_string()),
                    s.accepted
                        .iter()
                        .map(|(k, (b, c))| format!("{k}:{b}:{c}"))
                        .collect::<Vec<_>>(),
                    s.chosen
                        .iter()
                        .map(|(k, c)| format!("{k}:{c}"))
                        .collect::<Vec<_>>(),
                    s.applied
                ),
                None => format!("{} CRASHED", node_name(n.id)),
            })
            .collect()
    }
}

fn ms(t: Time) -> String {
    format!("{:.3}", t as f64 / MS as f64)
}

fn print_events<P: Probe>(events: &[EventOf<P>], messages: bool)
where
    P::Event: Debug,
    P::Msg: Debug,
{
    for e in events {
        let line = match &e.event {
            SimEvent::MessageSent { envelope } if messages => format!(
                "msg #{} {} -> {} (arrives {} ms) {:?}",
                envelope.id,
                node_name(envelope.from),
                node_name(envelope.to),
                ms(envelope.deliver_at),
                envelope.payload
            ),
            SimEvent::Protocol { node, event } => format!("{} {event:?}", node_name(*node)),
            SimEvent::NodeCrashed { .. }
            | SimEvent::NodeRestarted { .. }
            | SimEvent::ClientRequestSubmitted { .. }
            | SimEvent::MessageDuplicated { .. }
            | SimEvent::MessageDelayed { .. }
            | SimEvent::TimersAligned { .. }
            | SimEvent::TimersSpread { .. }
            | SimEvent::NetworkChanged { .. } => format!("{:?}", e.event),
            SimEvent::MessageDropped {
                id,
                from,
                to,
                reason,
            } => format!(
                "msg #{id} {} -> {} dropped ({reason:?})",
                node_name(*from),
                node_name(*to)
            ),
            SimEvent::TimerFired {
                node, forced: true, ..
            } => {
                format!("{} forced timeout", node_name(*node))
            }
            SimEvent::LinkCut { from, to } => {
                format!("link {} -> {} cut", node_name(*from), node_name(*to))
            }
            SimEvent::LinkHealed { from, to } => {
                format!("link {} -> {} healed", node_name(*from), node_name(*to))
            }
            _ => continue,
        };
        println!("  {:>10} ms  {line}", ms(e.time));
    }
}

fn run<P: Probe>(json: &str, until: Option<Time>, quiet: bool, messages: bool) -> bool
where
    P::Event: Debug,
    P::Msg: Debug,
{
    let scenario: ScenarioOf<P> = match serde_json::from_str(json) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("not a {} scenario: {e}", P::NAME);
            return false;
        }
    };
    if let Err(e) = scenario.validate(P::NAME) {
        eprintln!("{e}");
        return false;
    }
    let mut timeline = match scenario.timeline::<P>(u64::MAX) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return false;
        }
    };
    let mut checker = Checker::<P>::new();
    let mut ok = true;
    let mut violated = false;
    let mut observe = |sim: &Sim<P>, events: &[EventOf<P>], violated: &mut bool| {
        if !quiet {
            print_events::<P>(events, messages);
        }
        if let Err(v) = checker.observe(sim, events) {
            if !*violated {
                println!("  SAFETY VIOLATION at {} ms: {v}", ms(sim.now()));
            }
            *violated = true;
        }
    };
    observe(timeline.sim(), &[], &mut violated);
    for (i, step) in scenario.steps.iter().enumerate() {
        timeline.advance_to_each(step.at, |sim, events| observe(sim, events, &mut violated));
        let sim = timeline.sim();
        println!("== step {} at {} ms: {}", i + 1, ms(step.at), step.text.en);
        for line in P::summary(sim) {
            println!("     {line}");
        }
        for claim in &step.claims {
            match P::check(claim, sim) {
                Ok(()) => println!("   ✓ {claim:?}"),
                Err(actual) => {
                    ok = false;
                    println!("   ✗ {claim:?}: {actual}");
                }
            }
        }
    }
    if let Some(until) = until {
        timeline.advance_to_each(until, |sim, events| observe(sim, events, &mut violated));
        println!("== at {} ms", ms(until));
        for line in P::summary(timeline.sim()) {
            println!("     {line}");
        }
    }
    ok && !violated
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut path = None;
    let mut until = None;
    let mut quiet = false;
    let mut messages = false;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--until" => {
                i += 1;
                until = args
                    .get(i)
                    .and_then(|v| v.parse::<f64>().ok())
                    .map(|v| (v * MS as f64) as Time);
            }
            "--quiet" => quiet = true,
            "--messages" => messages = true,
            p => path = Some(p.to_string()),
        }
        i += 1;
    }
    let Some(path) = path else {
        eprintln!("usage: scenario FILE.json [--until MS] [--quiet] [--messages]");
        std::process::exit(2);
    };
    let json = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2)
    });
    let protocol = serde_json::from_str::<serde_json::Value>(&json)
        .ok()
        .and_then(|v| v.get("protocol")?.as_str().map(str::to_string))
        .unwrap_or_default();
    let ok = match protocol.as_str() {
        "raft" => run::<Raft>(&json, until, quiet, messages),
        "paxos" => run::<Paxos>(&json, until, quiet, messages),
        "multipaxos" => run::<MultiPaxos>(&json, until, quiet, messages),
        other => {
            eprintln!("{path}: unknown protocol “{other}”");
            false
        }
    };
    std::process::exit(if ok { 0 } else { 1 });
}

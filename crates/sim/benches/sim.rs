//! `cargo bench -p quorum-sim`: how fast the core runs, as medians of repeated
//! samples (the machines are shared and noisy; medians resist outliers).
//!
//! - raft/5 nodes: virtual time simulated per wall second, for a busy cluster
//!   (a client request every 20 ms) — the page needs only 1 s per second at 1×.
//! - the same run with every Figure 3 property checked after every event, and
//!   the ratio of the two.
//! - time travel: a jump to a random moment of a ten-minute (virtual) run with
//!   client requests and crashes, restoring the nearest snapshot and replaying.
//! - opening a scenario: parse its JSON, record its commands at their moments
//!   and check its script once with the safety checker (what the page does
//!   before it shows step 1), for each of Raft's scenarios in the registry.

use quorum_sim::kv::KvOp;
use quorum_sim::raft::{Raft, Role};
use quorum_sim::rng::SimRng;
use quorum_sim::{Checker, Command, Sim, SimConfig, Timeline, MS};
use std::hint::black_box;
use std::time::Instant;

const VIRTUAL: u64 = 10_000 * MS;
const SAMPLES: usize = 15;

fn busy_run(check: bool) -> u64 {
    let mut sim = Sim::<Raft>::new(SimConfig::new(5, 1)).unwrap();
    let mut safety = Checker::<Raft>::new();
    let mut t = 0;
    let mut value = 0;
    while t < VIRTUAL {
        t += 20 * MS;
        if check {
            while sim.next_event_time().is_some_and(|n| n <= t) {
                let events = sim.step().unwrap();
                safety.observe(&sim, &events).unwrap();
            }
        }
        sim.advance_to(t);
        let leader = sim
            .nodes()
            .iter()
            .filter_map(|s| s.up())
            .find(|r| r.role == Role::Leader)
            .map(|r| r.id);
        if let Some(node) = leader {
            value += 1;
            let request = sim.new_request(KvOp::Set { key: 'x', value });
            sim.apply(Command::ClientRequest { node, request }).unwrap();
        }
    }
    black_box(sim.trace_hash());
    sim.events_processed()
}

fn median_secs(f: impl Fn() -> u64) -> (f64, u64) {
    let mut times = Vec::with_capacity(SAMPLES);
    let mut events = 0;
    for _ in 0..SAMPLES {
        let start = Instant::now();
        events = f();
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(|a, b| a.total_cmp(b));
    (times[SAMPLES / 2], events)
}

/// A ten-minute run: a request every 250 ms, a leader crash and restart every minute.
fn ten_minutes(snapshot_every: u64) -> Timeline<Raft> {
    let mut t = Timeline::<Raft>::new(SimConfig::new(5, 3), snapshot_every).unwrap();
    let mut value = 0;
    let mut crashed = None;
    for quarter in 1..=(10 * 60 * 4) {
        t.advance_to(quarter * 250 * MS);
        let leader = t
            .sim()
            .nodes()
            .iter()
            .filter_map(|s| s.up())
            .find(|r| r.role == Role::Leader)
            .map(|r| r.id);
        if let Some(node) = leader {
            value += 1;
            let request = t.sim().new_request(KvOp::Add {
                key: 'x',
                by: value,
            });
            t.apply(Command::ClientRequest { node, request }).unwrap();
            if quarter % 240 == 0 {
                t.apply(Command::Crash { node }).unwrap();
                crashed = Some(node);
            }
        }
        if quarter % 240 == 40 {
            if let Some(node) = crashed.take() {
                t.apply(Command::Restart { node }).unwrap();
            }
        }
    }
    t
}

fn bench_time_travel() {
    for every in [500u64, 2_000] {
        let mut t = ten_minutes(every);
        let end = t.end_time();
        let (events, commands, snapshots) = (
            t.sim().events_processed(),
            t.recording().len(),
            t.snapshot_count(),
        );
        let mut rng = SimRng::from_seed(9);
        let mut times = Vec::new();
        for _ in 0..101 {
            let target = rng.range_inclusive(0, end);
            let start = Instant::now();
            t.seek(target);
            times.push(start.elapsed().as_secs_f64());
            black_box(t.sim().trace_hash());
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!(
            "time travel, 10 min virtual run ({} events, {} commands), snapshot every {every} events ({} snapshots):",
            events, commands, snapshots
        );
        println!(
            "  jump to a random moment: median {:.2} ms, 90th percentile {:.2} ms, max {:.2} ms (101 jumps)",
            times[50] * 1e3,
            times[90] * 1e3,
            times[100] * 1e3
        );
    }
}

/// Parses, records and checks a Raft scenario to its last step; returns the events checked.
fn open_raft_scenario(json: &str) -> u64 {
    let scenario: quorum_sim::scenario::ScenarioOf<Raft> = serde_json::from_str(json).unwrap();
    let mut safety = Checker::<Raft>::new();
    let mut events = 0;
    let checks = quorum_sim::scenario::play::<Raft>(&scenario, |sim, e| {
        events += e.len() as u64;
        safety.observe(sim, e).unwrap();
    })
    .unwrap();
    black_box(checks);
    events
}

fn bench_scenarios() {
    println!("opening a Raft scenario: parse, record, check its script (median of {SAMPLES}):");
    let listing = <Raft as quorum_sim::registry::Registered>::LISTING;
    for name in listing.scenarios {
        let path = format!(
            "{}/{}",
            env!("CARGO_MANIFEST_DIR"),
            listing.scenario_path(name)
        );
        let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let (secs, events) = median_secs(|| open_raft_scenario(&json));
        println!("  {name:<24} {events:>6} events  {:7.3} ms", secs * 1e3);
    }
}

fn main() {
    let (plain, events) = median_secs(|| busy_run(false));
    let (checked, _) = median_secs(|| busy_run(true));
    let virtual_secs = VIRTUAL as f64 / 1e6;
    println!("raft, 5 nodes, {virtual_secs} s virtual, {events} events (median of {SAMPLES}):");
    println!(
        "  simulate:            {:8.2} ms  = {:>12.0} events/s, {:>7.0}x real time",
        plain * 1e3,
        events as f64 / plain,
        virtual_secs / plain
    );
    println!(
        "  simulate + safety:   {:8.2} ms  = {:>12.0} events/s, checking costs {:.2}x",
        checked * 1e3,
        events as f64 / checked,
        checked / plain
    );
    bench_time_travel();
    bench_scenarios();
}

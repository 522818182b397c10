//! `cargo bench -p quorum-sim`: how fast the core runs, as medians of repeated
//! samples (the machines are shared and noisy; medians resist outliers).
//!
//! - raft/5 nodes: virtual time simulated per wall second, for a busy cluster
//!   (a client request every 20 ms) — the page needs only 1 s per second at 1×.
//! - the same run with every Figure 3 property checked after every event, and
//!   the ratio of the two.
//! - time travel: a jump to a random moment of a ten-minute (virtual) run with
//!   client requests and crashes, restoring the nearest snapshot and replaying.
//! - forks: acting at a random moment of a one-hour (virtual) run with the
//!   safety checker watching, which restores the snapshot before the moment
//!   with the checker as it was there; beside it, a jump there alone, and
//!   what building the run costs (time, snapshots, heap).
//! - opening a scenario: parse its JSON, record its commands at their moments
//!   and check its script once with the safety checker (what the page does
//!   before it shows step 1), for each of Raft's scenarios in the registry.

use quorum_sim::kv::KvOp;
use quorum_sim::raft::{Raft, Role};
use quorum_sim::rng::SimRng;
use quorum_sim::{Checker, Command, NodeStatus, Observer, Sim, SimConfig, Timeline, MS};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The system allocator, counting the bytes allocated and not yet freed.
struct Counting;

static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

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

/// The leader, if there is one.
fn leader(sim: &Sim<Raft>) -> Option<usize> {
    sim.nodes()
        .iter()
        .filter_map(|s| s.up())
        .find(|r| r.role == Role::Leader)
        .map(|r| r.id)
}

/// A run of `minutes` virtual minutes: a request every 250 ms, a leader
/// crash and restart every minute.
fn recorded_run<O: Observer<Raft> + Default>(
    minutes: u64,
    snapshot_every: u64,
) -> Timeline<Raft, O> {
    let mut t = Timeline::<Raft, O>::new(SimConfig::new(5, 3), snapshot_every).unwrap();
    let mut value = 0;
    let mut crashed = None;
    for quarter in 1..=(minutes * 60 * 4) {
        t.advance_to(quarter * 250 * MS);
        if let Some(node) = leader(t.sim()) {
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

fn ten_minutes(snapshot_every: u64) -> Timeline<Raft> {
    recorded_run(10, snapshot_every)
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

fn millis(secs: f64) -> String {
    format!("{:.2} ms", secs * 1e3)
}

fn bench_fork() {
    const FORKS: usize = 20;
    let every = 2_000;
    let heap_before = LIVE_BYTES.load(Ordering::Relaxed);
    let start = Instant::now();
    let run = recorded_run::<Checker<Raft>>(60, every);
    let build = start.elapsed().as_secs_f64();
    let heap = LIVE_BYTES
        .load(Ordering::Relaxed)
        .saturating_sub(heap_before);
    let (events, commands, end) = (run.end_events(), run.recording().len(), run.end_time());
    assert!(run.observer().violation().is_none());
    println!(
        "fork, 60 min virtual run ({events} events, {commands} commands), safety checked, snapshot every {every} events:"
    );
    println!(
        "  build the run: {:.2} s, {} snapshots, {:.1} MB heap ({:.0} KB a snapshot)",
        build,
        run.snapshot_count(),
        heap as f64 / 1e6,
        heap as f64 / 1e3 / run.snapshot_count() as f64
    );

    // What a fork cost before: the checker rebuilt by a replay from the start
    // (with today's checker; the one before this bench was slower still).
    let start = Instant::now();
    let mut sim = Sim::<Raft>::new(run.config().clone()).unwrap();
    let mut checker = Checker::<Raft>::new();
    let _ = checker.observe(&sim, &[]);
    for c in run.recording() {
        while sim.events_processed() < c.after_events {
            let e = sim.step().unwrap();
            let _ = checker.observe(&sim, &e);
        }
        let e = sim.replay_one(c).unwrap();
        let _ = checker.observe(&sim, &e);
    }
    let from_start = start.elapsed().as_secs_f64();
    black_box(checker.events_checked());

    let mut rng = SimRng::from_seed(11);
    let (mut forks, mut jumps) = (Vec::new(), Vec::new());
    for i in 0..FORKS {
        let target = rng.range_inclusive(0, end);
        let mut t = run.clone();
        let start = Instant::now();
        t.seek(target);
        jumps.push(start.elapsed().as_secs_f64());
        black_box(t.sim().trace_hash());

        let mut t = run.clone();
        let start = Instant::now();
        t.seek(target);
        let sim = t.sim();
        let up = sim
            .nodes()
            .iter()
            .find(|s| s.status() == NodeStatus::Up)
            .map_or(0, |s| s.id);
        let node = leader(sim).unwrap_or(up);
        let command = if i % 2 == 0 {
            let request = sim.new_request(KvOp::Set { key: 'y', value: 1 });
            Command::ClientRequest { node, request }
        } else {
            Command::Crash { node }
        };
        t.apply(command).unwrap();
        forks.push(start.elapsed().as_secs_f64());
        black_box(t.observer().events_checked());
    }
    forks.sort_by(|a, b| a.total_cmp(b));
    jumps.sort_by(|a, b| a.total_cmp(b));
    let (fork, jump) = (forks[FORKS / 2], jumps[FORKS / 2]);
    println!(
        "  fork at a random moment (seek + a request or a crash): median {}, worst {} ({FORKS} forks)",
        millis(fork),
        millis(forks[FORKS - 1])
    );
    println!(
        "  jump there alone (seek): median {}, worst {}; a fork costs {:.2}x a jump",
        millis(jump),
        millis(jumps[FORKS - 1]),
        fork / jump
    );
    println!(
        "  before, the checker replayed from the start (to the run's end, today's checker): {} ({:.0}x a fork's median)",
        millis(from_start),
        from_start / fork
    );
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
    bench_fork();
    bench_scenarios();
}

//! `cargo bench -p quorum-sim`: how fast the core runs, as medians of repeated
//! samples (the machines are shared and noisy; medians resist outliers).
//!
//! - raft/5 nodes: virtual time simulated per wall second, for a busy cluster
//!   (a client request every 20 ms) — the page needs only 1 s per second at 1×.
//! - the same run with every Figure 3 property checked after every event, and
//!   the ratio of the two.

use quorum_sim::invariants::RaftSafety;
use quorum_sim::kv::KvOp;
use quorum_sim::raft::{Raft, Role};
use quorum_sim::{Command, Sim, SimConfig, MS};
use std::hint::black_box;
use std::time::Instant;

const VIRTUAL: u64 = 10_000 * MS;
const SAMPLES: usize = 15;

fn busy_run(check: bool) -> u64 {
    let mut sim = Sim::<Raft>::new(SimConfig::new(5, 1)).unwrap();
    let mut safety = RaftSafety::new();
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
}

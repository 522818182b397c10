//! Prints the query string of a loaded Raft run for the browser benchmark
//! (`e2e/bench/frames.mjs`): `cargo run -p quorum-sim --example bench_link -- --nodes 9`
//!
//! The run: `--nodes N` servers, seed `--seed S`, the default network until a
//! leader is elected, then the latency raised step by step to
//! `--latency MIN-MAX` milliseconds, and a client request to server S1 every
//! `--every MS` (100; 0 for none) of virtual time for `--seconds S` (120); a
//! follower forwards it to the leader. Without requests the messages in
//! flight are heartbeats and their replies alone, and the logs stay empty. The page opens the link at moment 0 and, when
//! played, replays the commands at their moments.
//!
//! Why the ramp: an election timeout is 150-300 ms, so a network slower than
//! that from the start never elects a leader (each vote comes back after
//! every candidate has timed out again), and a jump from 10 ms to 500 ms
//! leaves every follower without a heartbeat for 500 ms, which starts an
//! election that cannot finish. Raising the latency 30 ms at a time keeps the
//! gap between two heartbeats' arrivals under the election timeout. For the
//! same reason the latency's spread must stay small (ordered links: a gap
//! between arrivals can reach the spread plus the heartbeat interval).
//!
//! On stderr it prints what the run does natively: the mean and the most
//! messages in flight after the ramp, the highest term and the leader at the
//! end, to tune the latency without a browser.

use quorum_sim::kv::{ClientRequest, KvOp};
use quorum_sim::raft::{Raft, Role};
use quorum_sim::share::{encode, SharedRun};
use quorum_sim::{Command, NetworkConfig, Protocol, Sim, SimConfig, Time, MS};

/// The step of the latency ramp, and how often it is taken.
const RAMP_STEP: Time = 30 * MS;
const RAMP_EVERY: Time = 200 * MS;

fn main() {
    let mut nodes = 5usize;
    let mut seed = 42u64;
    let mut latency = (580 * MS, 600 * MS);
    let mut every = 100 * MS;
    let mut seconds = 120u64;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args
            .get(i + 1)
            .unwrap_or_else(|| usage(&format!("{} needs a value", args[i])));
        let number = |v: &str| {
            v.parse::<u64>()
                .unwrap_or_else(|_| usage(&format!("{v} is not a whole number")))
        };
        match args[i].as_str() {
            "--nodes" => nodes = number(value) as usize,
            "--seed" => seed = number(value),
            "--every" => every = number(value) * MS,
            "--seconds" => seconds = number(value),
            "--latency" => {
                let (min, max) = value
                    .split_once('-')
                    .unwrap_or_else(|| usage("--latency takes MIN-MAX in milliseconds"));
                latency = (number(min) * MS, number(max) * MS);
            }
            other => usage(&format!("unknown option {other}")),
        }
        i += 2;
    }
    if latency.0 > latency.1 {
        usage("--latency's MIN must be at most its MAX");
    }
    let end = seconds * 1000 * MS;

    let mut sim =
        Sim::<Raft>::new(SimConfig::new(nodes, seed)).unwrap_or_else(|e| usage(&e.to_string()));
    let base = sim.network().clone();
    // Wait for the first leader on the default network (an election takes well under 2 s).
    while leader(&sim).is_none() && sim.now() < 5_000 * MS {
        let t = sim.now() + MS;
        sim.advance_to(t);
    }
    let Some(_) = leader(&sim) else {
        usage("no leader within 5 s on the default network")
    };
    let mut ramp: Vec<(Time, Time, Time)> = Vec::new();
    let mut at = sim.now() + MS;
    let mut step = base.latency_min;
    loop {
        step = (step + RAMP_STEP).min(latency.0);
        let spread = (base.latency_max - base.latency_min).max(latency.1 - latency.0);
        let max = if step == latency.0 {
            latency.1
        } else {
            step + spread
        };
        ramp.push((at, step, max));
        if step == latency.0 {
            break;
        }
        at += RAMP_EVERY;
    }
    let ramp_done = ramp.last().map_or(0, |r| r.0) + latency.1;

    // Merge the two command streams in time order.
    let mut requests = (1..)
        .map(|k| k * every)
        .take_while(|&t| every > 0 && t <= end)
        .peekable();
    let mut ramp = ramp.into_iter().peekable();
    let mut id = 1u64;
    let mut flight = InFlight {
        next: ramp_done,
        ..InFlight::default()
    };
    loop {
        let next_request = requests.peek().copied();
        let next_ramp = ramp.peek().map(|r| r.0);
        let t = match (next_request, next_ramp) {
            (None, None) => break,
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) => a,
            (None, Some(b)) => b,
        };
        flight.sample_until(&mut sim, t);
        sim.advance_to(t);
        if next_ramp == Some(t) {
            let (_, min, max) = ramp.next().expect("peeked");
            apply(
                &mut sim,
                Command::SetNetwork {
                    network: NetworkConfig {
                        latency_min: min,
                        latency_max: max,
                        ..base.clone()
                    },
                },
            );
        }
        if next_request == Some(t) {
            requests.next();
            let op = KvOp::Set {
                key: char::from(b'a' + (id % 26) as u8),
                value: id as u32,
            };
            apply(
                &mut sim,
                Command::ClientRequest {
                    node: 0,
                    request: ClientRequest { id, op },
                },
            );
            id += 1;
        }
    }
    flight.sample_until(&mut sim, end);
    sim.advance_to(end);

    let term = sim
        .nodes()
        .iter()
        .filter_map(|n| n.up().map(|r| r.current_term))
        .max()
        .unwrap_or(0);
    eprintln!(
        "{nodes} servers, latency {}-{} ms after {:.1} s: {:.0} messages in flight on average, {} at most; highest term {term}, leader {}; {} commands",
        latency.0 / MS,
        latency.1 / MS,
        ramp_done as f64 / 1e6,
        flight.total as f64 / flight.samples.max(1) as f64,
        flight.most,
        leader(&sim).map_or("none".to_string(), quorum_sim::node_name),
        sim.commands().len(),
    );
    let run = SharedRun {
        protocol: Raft::NAME.to_string(),
        nodes,
        seed,
        params: Vec::new(),
        moment: (0, 0),
        commands: sim.commands().to_vec(),
    };
    println!("?algo=raft&nodes={nodes}&seed={seed}&run={}", encode(&run));
}

/// Messages in flight, sampled every 16 ms (a frame) of virtual time from `next` on.
#[derive(Default)]
struct InFlight {
    next: Time,
    samples: u64,
    total: usize,
    most: usize,
}

impl InFlight {
    fn sample_until(&mut self, sim: &mut Sim<Raft>, until: Time) {
        while self.next < until {
            sim.advance_to(self.next);
            let n = sim.in_flight().count();
            self.samples += 1;
            self.total += n;
            self.most = self.most.max(n);
            self.next += 16 * MS;
        }
    }
}

fn apply(sim: &mut Sim<Raft>, command: Command) {
    if let Err(e) = sim.apply(command) {
        usage(&format!("a command failed at {} ms: {e}", sim.now() / MS));
    }
}

fn leader(sim: &Sim<Raft>) -> Option<usize> {
    sim.nodes()
        .iter()
        .filter_map(|n| n.up().map(|r| (n.id, r)))
        .filter(|(_, r)| r.role == Role::Leader)
        .max_by_key(|(_, r)| r.current_term)
        .map(|(id, _)| id)
}

fn usage(problem: &str) -> ! {
    eprintln!(
        "bench_link: {problem}\nusage: bench_link [--nodes N] [--seed S] [--latency MIN-MAX] [--every MS] [--seconds S]"
    );
    std::process::exit(2)
}

//! Randomized fault runs for every protocol, through the one driver in
//! `quorum_sim::chaos`: many seeds, each with thousands of events under
//! random crashes, restarts, dropped messages, cut links, message loss,
//! duplicated and delayed (reordered) messages, isolated servers, network
//! splits, aligned and spread timers, forced timeouts and client requests.
//! Every safety property of the protocol is checked after every event and
//! every command, and the run fails if a fault kind was never injected.
//! Once the faults stop, the cluster must converge: for Raft, one leader, and
//! every request a leader ever accepted committed and applied exactly once on
//! every server (a client retries a request lost with a deposed leader, with
//! the same id; section 8); for Paxos, a value chosen and learned by every
//! proposer and learner; for Multi-Paxos, a last request applied everywhere.
//!
//! `QUORUM_SEEDS` (default 1000), `QUORUM_EVENTS` (default 5000) and
//! `QUORUM_FIRST_SEED` (default 0) make it longer outside CI, e.g.
//! `QUORUM_SEEDS=20000 cargo test --release -p quorum-sim --test safety_random`.

use quorum_sim::chaos::{self, Chaos};
use quorum_sim::multipaxos::MultiPaxos;
use quorum_sim::paxos::Paxos;
use quorum_sim::raft::Raft;
use quorum_sim::registry::{self, Registered, Visit};

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs the seeds the environment asks for, prints what they did and fails
/// on a violation, a run that did not converge or one that did too little.
fn randomized<P: Chaos>() {
    let seeds = env_or("QUORUM_SEEDS", 1000);
    let fault_events = env_or("QUORUM_EVENTS", 5000);
    let first = env_or("QUORUM_FIRST_SEED", 0);
    let report =
        chaos::run::<P>(first..first + seeds, fault_events).unwrap_or_else(|e| panic!("{e}"));
    println!("{report}");
    report.check().unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn figure_3_holds_after_every_event_of_randomized_fault_runs_and_the_cluster_recovers() {
    randomized::<Raft>();
}

#[test]
fn paxos_safety_holds_after_every_event_of_randomized_fault_runs_and_a_value_is_chosen() {
    randomized::<Paxos>();
}

#[test]
fn multipaxos_safety_holds_after_every_event_of_randomized_fault_runs_and_requests_commit_after() {
    randomized::<MultiPaxos>();
}

#[test]
fn a_fault_run_is_the_same_run_for_the_same_seed_for_every_protocol() {
    struct Twice;
    impl Visit for Twice {
        fn visit<P: Registered>(&mut self) {
            for seed in 0..3 {
                let a = chaos::run_seed::<P>(seed, 1_000).unwrap_or_else(|e| panic!("{e}"));
                let b = chaos::run_seed::<P>(seed, 1_000).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(a, b, "{} seed {seed}", P::NAME);
                assert!(a.events >= 1_000 && !a.kinds.is_empty(), "{a:?}");
            }
        }
    }
    registry::each(&mut Twice);
}

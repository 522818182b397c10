//! The shared randomized fault driver (`quorum_sim::chaos`) over Raft with
//! its thesis extensions switched on: PreVote (9.6), CheckQuorum and the
//! leader lease (6.2, 4.2.3) and leadership transfer (3.10), transfers
//! injected among the faults; and log compaction (the paper's section 7),
//! with a small snapshot threshold per seed so that crashed and cut-off
//! followers fall behind the leader's first index and catch up by
//! InstallSnapshot. Every Figure 3 property is checked after every
//! event and command; once the faults stop, one leader, and every request a
//! leader accepted committed and applied once on every server.
//!
//! `QUORUM_SEEDS` (default 1000), `QUORUM_EVENTS` (default 5000) and
//! `QUORUM_FIRST_SEED` (default 0), as in `safety_random.rs`.

use quorum_sim::chaos::{self, Chaos};
use quorum_sim::raft::{Raft, RaftConfig};

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The driver's Raft cluster for the seed, with every extension on.
fn extended(seed: u64) -> (usize, RaftConfig) {
    let (nodes, config) = Raft::cluster(seed);
    (
        nodes,
        RaftConfig {
            pre_vote: true,
            check_quorum: true,
            leadership_transfer: true,
            snapshot_threshold: Some(2 + seed % 7),
            ..config
        },
    )
}

#[test]
fn figure_3_holds_with_pre_vote_check_quorum_leadership_transfer_and_snapshots_under_faults_and_the_cluster_recovers(
) {
    let seeds = env_or("QUORUM_SEEDS", 1000);
    let fault_events = env_or("QUORUM_EVENTS", 5000);
    let first = env_or("QUORUM_FIRST_SEED", 0);
    let report = chaos::run_with::<Raft>(first..first + seeds, fault_events, extended)
        .unwrap_or_else(|e| panic!("{e}"));
    println!("{report}");
    report.check().unwrap_or_else(|e| panic!("{e}"));
    if seeds >= 100 {
        let noted = |name: &str| report.noted.get(name).map_or(0, |&n| n as u64);
        assert!(
            noted("snapshot taken") >= 10 * seeds
                && noted("InstallSnapshot installed") >= seeds / 4,
            "too few snapshots: {:?}",
            report.noted
        );
        assert!(
            report
                .kinds
                .get("transfer")
                .is_some_and(|&n| n as u64 >= seeds),
            "too few transfers: {:?}",
            report.kinds
        );
    }
}

#[test]
fn an_extended_fault_run_is_the_same_run_for_the_same_seed() {
    for seed in 0..3 {
        let a =
            chaos::run_seed_with::<Raft>(seed, 1_000, extended).unwrap_or_else(|e| panic!("{e}"));
        let b =
            chaos::run_seed_with::<Raft>(seed, 1_000, extended).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a, b, "seed {seed}");
        assert_ne!(
            a,
            chaos::run_seed::<Raft>(seed, 1_000).unwrap_or_else(|e| panic!("{e}")),
            "the switches change the run"
        );
    }
}

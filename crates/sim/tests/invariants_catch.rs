//! The safety checker must fail on states that break Figure 3. Each test
//! takes a real run, tampers with its serialized state in one way, and
//! expects exactly the property that tampering breaks; each does so twice,
//! without snapshots and with logs compacted (section 7), so compaction does
//! not weaken the checker. Then the ways a snapshot itself can break State
//! Machine Safety.

mod common;

use common::Checked;
use quorum_sim::raft::{Raft, RaftConfig};
use quorum_sim::{Checker, Sim, SimConfig, MS};
use serde_json::Value;

/// A settled 5-node run with three committed entries, its leader, and a checker that has seen it all.
fn run() -> (Sim<Raft>, Checker<Raft>, usize) {
    let mut c = Checked::new(5, 21);
    let leader = c.run_until_settled(3_000 * MS).unwrap();
    for v in 0..3 {
        c.request(leader, 'k', v);
    }
    c.run_for(500 * MS);
    (c.sim, c.checker, leader)
}

/// The same with a snapshot every 3 entries and seven committed: every log
/// is compacted through 6 and holds entry 7 alone.
fn compacted_run() -> (Sim<Raft>, Checker<Raft>, usize) {
    let mut config = SimConfig::new(5, 21);
    config.protocol = RaftConfig {
        snapshot_threshold: Some(3),
        ..RaftConfig::default()
    };
    let mut c = Checked::with_config(config);
    let leader = c.run_until_settled(3_000 * MS).unwrap();
    for v in 0..7 {
        c.request(leader, 'k', v);
    }
    c.run_for(500 * MS);
    for slot in c.sim.nodes() {
        let log = &slot.up().unwrap().log;
        assert_eq!((log.prefix().0, log.last_index()), (6, 7));
    }
    (c.sim, c.checker, leader)
}

fn tamper(sim: &Sim<Raft>, f: impl FnOnce(&mut Value)) -> Sim<Raft> {
    let mut v = serde_json::to_value(sim).unwrap();
    f(&mut v);
    serde_json::from_value(v).unwrap()
}

fn node(v: &mut Value, id: usize) -> &mut Value {
    &mut v["nodes"][id]["state"]["Up"]
}

/// An event naming `id`, so the checker re-examines that node.
fn touch(sim: &Sim<Raft>, id: usize) -> Vec<quorum_sim::sim::EventOf<Raft>> {
    vec![quorum_sim::TimedEvent {
        time: sim.now(),
        event: quorum_sim::SimEvent::NodeRestarted { node: id },
    }]
}

fn property_broken(sim: &Sim<Raft>, mut checker: Checker<Raft>, id: usize) -> &'static str {
    checker
        .observe(sim, &touch(sim, id))
        .expect_err("the checker notices")
        .property
}

#[test]
fn a_second_leader_in_the_same_term_breaks_election_safety() {
    for (sim, checker, leader) in [run(), compacted_run()] {
        let other = (leader + 1) % 5;
        let bad = tamper(&sim, |v| node(v, other)["role"] = "Leader".into());
        assert_eq!(property_broken(&bad, checker, other), "Election Safety");
    }
}

#[test]
fn a_leader_dropping_an_entry_breaks_leader_append_only() {
    for (sim, checker, leader) in [run(), compacted_run()] {
        let bad = tamper(&sim, |v| {
            let entries = node(v, leader)["log"]["entries"].as_array_mut().unwrap();
            entries.pop();
        });
        // Its commitIndex now passes the end of its log too, but append-only is checked first.
        assert_eq!(property_broken(&bad, checker, leader), "Leader Append-Only");
    }
}

#[test]
fn same_index_and_term_on_a_different_prefix_breaks_log_matching() {
    // The first entry held (1, or 7 after the snapshot through 6), no longer committed.
    for (compacted, (sim, checker, leader)) in [(0, run()), (6, compacted_run())] {
        let other = (leader + 1) % 5;
        let bad = tamper(&sim, |v| {
            let n = node(v, other);
            n["commit_index"] = compacted.into();
            n["last_applied"] = compacted.into();
            n["log"]["entries"][0]["request"]["id"] = 999.into();
        });
        assert_eq!(property_broken(&bad, checker, other), "Log Matching");
    }
}

#[test]
fn a_follower_committing_a_different_entry_breaks_state_machine_safety() {
    // A different entry of a new term at index 3 (or 7, after the snapshot), committed.
    for (position, (sim, checker, leader)) in [(2, run()), (0, compacted_run())] {
        let other = (leader + 1) % 5;
        let bad = tamper(&sim, |v| {
            node(v, other)["log"]["entries"][position]["term"] = 99.into();
        });
        assert_eq!(
            property_broken(&bad, checker, other),
            "State Machine Safety"
        );
    }
}

#[test]
fn a_new_leader_missing_a_committed_entry_breaks_leader_completeness() {
    // Without entries 2 and 3; or, compacted through 6, without entry 7.
    for (compacted, keep, (sim, checker, leader)) in [(0, 1, run()), (6, 0, compacted_run())] {
        let other = (leader + 1) % 5;
        let bad = tamper(&sim, |v| {
            let n = node(v, other);
            n["role"] = "Leader".into();
            n["current_term"] = (n["current_term"].as_u64().unwrap() + 1).into();
            n["commit_index"] = compacted.into();
            n["last_applied"] = compacted.into();
            n["log"]["entries"].as_array_mut().unwrap().truncate(keep);
        });
        assert_eq!(property_broken(&bad, checker, other), "Leader Completeness");
    }
}

#[test]
fn a_snapshot_holding_another_state_than_the_committed_entries_breaks_state_machine_safety() {
    let (sim, checker, leader) = compacted_run();
    let other = (leader + 1) % 5;
    let bad = tamper(&sim, |v| {
        node(v, other)["log"]["snapshot"]["state"]["data"]["k"] = 999.into();
    });
    assert_eq!(
        property_broken(&bad, checker, other),
        "State Machine Safety"
    );
}

#[test]
fn a_snapshot_ending_in_another_term_than_the_committed_entry_breaks_state_machine_safety() {
    let (sim, checker, leader) = compacted_run();
    let other = (leader + 1) % 5;
    let bad = tamper(&sim, |v| {
        node(v, other)["log"]["snapshot"]["last_included_term"] = 99.into();
    });
    assert_eq!(
        property_broken(&bad, checker, other),
        "State Machine Safety"
    );
}

#[test]
fn a_snapshot_past_what_was_committed_breaks_state_machine_safety() {
    let (sim, checker, leader) = compacted_run();
    let other = (leader + 1) % 5;
    let bad = tamper(&sim, |v| {
        let n = node(v, other);
        n["log"]["snapshot"]["last_included_index"] = 9.into();
        n["log"]["entries"] = serde_json::json!([]);
        n["commit_index"] = 9.into();
        n["last_applied"] = 9.into();
    });
    assert_eq!(
        property_broken(&bad, checker, other),
        "State Machine Safety"
    );
}

#[test]
fn the_untampered_run_passes() {
    for (sim, mut checker, leader) in [run(), compacted_run()] {
        checker.observe(&sim, &touch(&sim, leader)).expect("safe");
    }
}

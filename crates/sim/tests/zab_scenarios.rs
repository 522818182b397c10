//! Zab's scenarios (`scenarios/zab/*.json`) play to what their narration
//! claims, every safety property holding after every event on the way. Zab
//! is not in the registry yet (its page comes later), so its files are played
//! here directly rather than by `scenario_catalog.rs`.

use quorum_sim::scenario::{play, ScenarioOf};
use quorum_sim::zab::Zab;
use quorum_sim::{Checker, Violation};

const SCENARIOS: [&str; 3] = [
    "zab-leader-crash-in-sync",
    "zab-primary-order",
    "zab-stale-epoch-rejoin",
];

fn scenario(name: &str) -> ScenarioOf<Zab> {
    let path = format!("{}/scenarios/zab/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let scenario: ScenarioOf<Zab> = serde_json::from_str(&text).expect("parses");
    assert_eq!(scenario.name, name);
    scenario
}

/// Plays `scenario`: the claims that failed, and the first violation.
fn play_checked(scenario: &ScenarioOf<Zab>) -> (Vec<String>, Option<Violation>) {
    let name = &scenario.name;
    let mut checker = Checker::<Zab>::new();
    let mut violation = None;
    let checks = play::<Zab>(scenario, |sim, e| {
        if let Err(v) = checker.observe(sim, e) {
            violation.get_or_insert(v);
        }
    })
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(checker.events_checked() > 0);
    let claims: usize = scenario.steps.iter().map(|s| s.claims.len()).sum();
    assert!(
        claims >= scenario.steps.len(),
        "{name}: a step claims nothing"
    );
    let failures: Vec<String> = checks
        .iter()
        .flat_map(|c| {
            c.claims.iter().enumerate().filter_map(move |(i, r)| {
                r.as_ref().err().map(|fact| {
                    format!(
                        "step {} at {} µs, claim {}: {fact}",
                        c.step + 1,
                        c.at,
                        i + 1
                    )
                })
            })
        })
        .collect();
    (failures, violation)
}

fn plays_as_narrated(name: &str) {
    let (failures, violation) = play_checked(&scenario(name));
    assert_eq!(violation, None, "{name}: a safety property broke");
    assert!(failures.is_empty(), "{name}:\n{}", failures.join("\n"));
}

/// Phases 1 and 2: a leader crashes after NEWLEADER reached one follower;
/// the next leader's history holds everything committed.
#[test]
fn zab_leader_crash_in_sync() {
    plays_as_narrated("zab-leader-crash-in-sync");
}

/// Phase 1 (f.1.2) and phase 2: a follower with a stale epoch rejoins and
/// is synchronized.
#[test]
fn zab_stale_epoch_rejoin() {
    plays_as_narrated("zab-stale-epoch-rejoin");
}

/// Section III's primary order: B, which depends on A, is never delivered
/// without A across a change of leader.
#[test]
fn zab_primary_order() {
    plays_as_narrated("zab-primary-order");
}

#[test]
fn every_zab_file_has_its_test() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/zab");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|f| {
            let name = f.unwrap().file_name().to_string_lossy().into_owned();
            name.strip_suffix(".json")
                .expect("only scenario files")
                .to_string()
        })
        .collect();
    files.sort();
    assert_eq!(files, SCENARIOS);
}

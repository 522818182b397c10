//! VR's scenarios (`scenarios/vr/*.json`) play to what their narration
//! claims, every safety property holding after every event on the way. VR is
//! not in the registry yet (its page comes later), so its files are played
//! here directly rather than by `scenario_catalog.rs`.

use quorum_sim::scenario::{play, ScenarioOf};
use quorum_sim::vr::Vr;
use quorum_sim::Checker;

const SCENARIOS: [&str; 3] = [
    "vr-lagging-view-change",
    "vr-partitioned-primary",
    "vr-recovery-nonce",
];

fn plays_as_narrated(name: &str) {
    let path = format!("{}/scenarios/vr/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let scenario: ScenarioOf<Vr> = serde_json::from_str(&text).expect("parses");
    assert_eq!(scenario.name, name);
    let mut checker = Checker::<Vr>::new();
    let mut violation = None;
    let checks = play::<Vr>(&scenario, |sim, e| {
        if let Err(v) = checker.observe(sim, e) {
            violation.get_or_insert(v);
        }
    })
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(violation, None, "{name}: a safety property broke");
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
    assert!(failures.is_empty(), "{name}:\n{}", failures.join("\n"));
}

#[test]
fn vr_lagging_view_change() {
    plays_as_narrated("vr-lagging-view-change");
}

#[test]
fn vr_partitioned_primary() {
    plays_as_narrated("vr-partitioned-primary");
}

#[test]
fn vr_recovery_nonce() {
    plays_as_narrated("vr-recovery-nonce");
}

#[test]
fn every_vr_file_has_its_test() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/vr");
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

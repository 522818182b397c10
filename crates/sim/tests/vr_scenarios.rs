//! VR's scenarios (`scenarios/vr/*.json`) play to what their narration
//! claims, every safety property holding after every event on the way. VR is
//! not in the registry yet (its page comes later), so its files are played
//! here directly rather than by `scenario_catalog.rs`.

use quorum_sim::scenario::{play, ScenarioOf};
use quorum_sim::vr::Vr;
use quorum_sim::vr::VR_PROPERTIES;
use quorum_sim::{Checker, Violation};

const SCENARIOS: [&str; 4] = [
    "vr-lagging-view-change",
    "vr-literal-state-transfer",
    "vr-partitioned-primary",
    "vr-recovery-nonce",
];

fn scenario(name: &str) -> ScenarioOf<Vr> {
    let path = format!("{}/scenarios/vr/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let scenario: ScenarioOf<Vr> = serde_json::from_str(&text).expect("parses");
    assert_eq!(scenario.name, name);
    scenario
}

/// Plays `scenario`: the claims that failed, and the first violation.
fn play_checked(scenario: &ScenarioOf<Vr>) -> (Vec<String>, Option<Violation>) {
    let name = &scenario.name;
    let mut checker = Checker::<Vr>::new();
    let mut violation = None;
    let checks = play::<Vr>(scenario, |sim, e| {
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

#[test]
fn vr_lagging_view_change() {
    plays_as_narrated("vr-lagging-view-change");
}

/// Section 5.2 taken literally: the claims hold, and the checker reports
/// the committed operation lost when S3 becomes primary of view 2.
#[test]
fn vr_literal_state_transfer() {
    let literal = scenario("vr-literal-state-transfer");
    let (failures, violation) = play_checked(&literal);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let v = violation.expect("the checker catches the loss");
    assert_eq!(v.property, VR_PROPERTIES[0]);
    assert!(
        v.detail
            .starts_with("S3 became primary of view 2 without op 1"),
        "{v}"
    );
    assert_eq!(literal.steps.last().map(|s| s.at), Some(580_000));
    assert!(v.time <= 580_000);
    // The same commands under the safe rule: no violation, and op 1 survives.
    let mut safe = literal.clone();
    safe.config.literal_state_transfer = false;
    let (failures, violation) = play_checked(&safe);
    assert_eq!(violation, None);
    assert!(
        failures
            .iter()
            .any(|f| f.contains("S3's log holds requests [1]")),
        "{failures:?}"
    );
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

//! What VR's scenarios show beyond playing as narrated (which
//! `scenario_catalog.rs` checks for every registered scenario): the literal
//! state-transfer rule loses a committed operation where the safe rule keeps
//! it, and a false claim says what is the case instead.

use quorum_sim::scenario::{play, ScenarioOf};
use quorum_sim::vr::Vr;
use quorum_sim::vr::VR_PROPERTIES;
use quorum_sim::{Checker, Violation};

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

/// Section 5.2 taken literally: the claims hold, and the checker reports
/// the committed operation lost when S3 becomes primary of view 2.
#[test]
fn vr_literal_state_transfer() {
    let literal = scenario("vr-literal-state-transfer");
    assert_eq!(literal.breaks.as_deref(), Some(VR_PROPERTIES[0]));
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
fn a_false_claim_says_what_is_the_case_instead() {
    use quorum_sim::scenario::{Scripted, ServerFact};
    use quorum_sim::vr::{Status, VrClaim, VrFact};
    use quorum_sim::{Command, Sim, SimConfig};
    let mut sim = Sim::<Vr>::new(SimConfig::new(3, 1)).unwrap();
    let request = sim.new_request(quorum_sim::kv::KvOp::Set { key: 'x', value: 1 });
    sim.apply(Command::ClientRequest { node: 0, request })
        .unwrap();
    sim.advance_to(200_000);
    sim.apply(Command::Crash { node: 2 }).unwrap();
    let fact = |claim: VrClaim| Vr::check(&claim, &sim).err();
    let said = |claim: VrClaim| fact(claim).map(|f| f.to_string());
    assert_eq!(
        fact(VrClaim::Primary {
            node: 0,
            view: Some(0)
        }),
        None
    );
    assert_eq!(
        said(VrClaim::Primary {
            node: 1,
            view: None
        })
        .as_deref(),
        Some("S2 is normal in view 0")
    );
    assert_eq!(
        fact(VrClaim::Status {
            node: 0,
            status: Status::ViewChange,
            view: None
        }),
        Some(VrFact::Status {
            node: 0,
            status: Status::Normal,
            view: 0,
            primary: true
        })
    );
    assert_eq!(
        said(VrClaim::Log {
            node: 1,
            requests: vec![]
        })
        .as_deref(),
        Some("S2's log holds requests [1]")
    );
    assert_eq!(
        said(VrClaim::CommitNumber { node: 1, commit: 0 }).as_deref(),
        Some("S2's commit-number is 1")
    );
    assert_eq!(
        said(VrClaim::Executed {
            node: 0,
            op_number: 2
        })
        .as_deref(),
        Some("S1 has executed operation 1")
    );
    assert_eq!(
        said(VrClaim::ClientTable {
            node: 0,
            request: 1,
            executed: false
        })
        .as_deref(),
        Some("S1's client table has request 1, executed")
    );
    assert_eq!(
        said(VrClaim::LastNormalView { node: 0, view: 3 }).as_deref(),
        Some("S1 was last normal in view 0")
    );
    assert_eq!(
        fact(VrClaim::Log {
            node: 2,
            requests: vec![]
        }),
        Some(VrFact::Server(ServerFact::Crashed(2)))
    );
    assert_eq!(fact(VrClaim::Crashed { node: 2 }), None);
    assert_eq!(
        fact(VrClaim::Crashed { node: 1 }),
        Some(VrFact::Server(ServerFact::Running(1)))
    );
}

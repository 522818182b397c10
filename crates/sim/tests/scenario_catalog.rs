//! Every scenario that ships plays to what its narration claims: each claim
//! of each step holds at the step's moment, and the protocol's safety
//! properties hold after every event on the way.
//!
//! One test per scenario (named after it), plus tests that the catalog, the
//! files in `scenarios/` and this list agree, and that a broken scenario is
//! refused with a reason.

use quorum_sim::multipaxos::MultiPaxos;
use quorum_sim::paxos::Paxos;
use quorum_sim::raft::Raft;
use quorum_sim::scenario::{catalog, play, ScenarioOf, Scripted};
use quorum_sim::{Checked, Checker};

/// Plays the catalog's scenario `name` and panics with every false claim.
fn plays_as_narrated<P: Checked + Scripted>(name: &str) {
    let json = catalog::of(P::NAME)
        .iter()
        .find(|j| j.contains(&format!("\"name\": \"{name}\"")))
        .unwrap_or_else(|| panic!("{name} is not in the {} catalog", P::NAME));
    let scenario: ScenarioOf<P> = serde_json::from_str(json).expect("parses");
    assert_eq!(scenario.name, name);
    let mut checker = Checker::<P>::new();
    let mut events = 0u64;
    let mut violation = None;
    let checks = play::<P>(&scenario, |sim, e| {
        events += e.len() as u64;
        if let Err(v) = checker.observe(sim, e) {
            violation.get_or_insert(v);
        }
    })
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(violation, None, "{name}: a safety property broke");
    assert!(events > 0, "{name}: nothing happened");
    let claims: usize = scenario.steps.iter().map(|s| s.claims.len()).sum();
    assert!(
        claims >= scenario.steps.len(),
        "{name}: {claims} claims for {} steps; every step should claim what it says",
        scenario.steps.len()
    );
    let failures: Vec<String> = checks
        .iter()
        .flat_map(|c| {
            let step = &scenario.steps[c.step];
            c.claims
                .iter()
                .zip(&step.claims)
                .filter_map(move |(r, claim)| {
                    r.as_ref().err().map(|actual| {
                        format!(
                            "step {} at {} µs (“{}”): {claim:?} is false: {actual}",
                            c.step + 1,
                            c.at,
                            step.text.en
                        )
                    })
                })
        })
        .collect();
    assert!(failures.is_empty(), "{name}:\n{}", failures.join("\n"));
}

macro_rules! scenario_tests {
    ($($test:ident: $protocol:ty, $name:literal;)*) => {
        $(
            #[test]
            fn $test() {
                plays_as_narrated::<$protocol>($name);
            }
        )*
        /// Every scenario named above, by protocol.
        const TESTED: &[(&str, &str)] = &[$((<$protocol as quorum_sim::Protocol>::NAME, $name)),*];
    };
}

scenario_tests! {
    raft_first_election: Raft, "raft-first-election";
    raft_split_vote: Raft, "raft-split-vote";
    raft_leader_crash: Raft, "raft-leader-crash";
    raft_lagging_follower: Raft, "raft-lagging-follower";
    raft_isolated_leader: Raft, "raft-isolated-leader";
    raft_figure_7: Raft, "raft-figure-7";
    raft_figure_8: Raft, "raft-figure-8";
    raft_figure_8_commit: Raft, "raft-figure-8-commit";
    paxos_one_proposer: Paxos, "paxos-one-proposer";
    paxos_dueling_proposers: Paxos, "paxos-dueling-proposers";
    paxos_acceptor_failures: Paxos, "paxos-acceptor-failures";
    paxos_late_proposer: Paxos, "paxos-late-proposer";
    multipaxos_leader_change: MultiPaxos, "multipaxos-leader-change";
}

fn names_in(protocol: &str) -> Vec<String> {
    catalog::of(protocol)
        .iter()
        .map(|j| {
            serde_json::from_str::<serde_json::Value>(j).unwrap()["name"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn the_catalog_the_files_and_the_tests_agree() {
    // scenarios/<protocol>/<name>.json
    let mut files: Vec<String> = Vec::new();
    for dir in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios")).unwrap() {
        let dir = dir.unwrap();
        let protocol = dir.file_name().to_string_lossy().into_owned();
        for file in std::fs::read_dir(dir.path()).unwrap() {
            let file = file.unwrap().file_name().to_string_lossy().into_owned();
            let name = file.strip_suffix(".json").expect("only scenario files");
            assert!(
                names_in(&protocol).contains(&name.to_string()),
                "{protocol}/{file}"
            );
            files.push(name.to_string());
        }
    }
    files.sort();
    let mut listed: Vec<String> = ["raft", "paxos", "multipaxos"]
        .iter()
        .flat_map(|p| names_in(p))
        .collect();
    listed.sort();
    assert_eq!(
        listed, files,
        "each file in scenarios/ is in the catalog, under its own name"
    );
    let mut tested: Vec<String> = TESTED.iter().map(|(_, n)| n.to_string()).collect();
    tested.sort();
    assert_eq!(tested, files, "each scenario has its test above");
    for (protocol, name) in TESTED {
        assert!(
            names_in(protocol).contains(&name.to_string()),
            "{name} under {protocol}"
        );
    }
}

#[test]
fn a_broken_scenario_is_refused_with_a_reason() {
    let good: ScenarioOf<Raft> = serde_json::from_str(catalog::RAFT[0]).unwrap();
    let refuse = |s: &ScenarioOf<Raft>| play::<Raft>(s, |_, _| {}).unwrap_err().0;
    let mut s = good.clone();
    s.protocol = "paxos".into();
    assert!(refuse(&s).contains("runs paxos, not raft"));
    let mut s = good.clone();
    s.name = "Has Spaces".into();
    assert!(refuse(&s).contains("is not 1 to 48"));
    let mut s = good.clone();
    s.name = "first-election".into();
    assert!(
        refuse(&s).contains("does not start with “raft-”"),
        "{}",
        refuse(&s)
    );
    let mut s = good.clone();
    s.steps[0].text.zh.clear();
    assert!(refuse(&s).contains("lacks its English or Chinese text"));
    let mut s = good.clone();
    s.steps.clear();
    assert!(refuse(&s).contains("has no steps"));
    let mut s = good.clone();
    s.steps.push(s.steps[0].clone());
    assert!(refuse(&s).contains("strictly increasing"));
    let mut s = good.clone();
    s.commands = vec![quorum_sim::scenario::ScriptedCommand {
        at: 5,
        command: quorum_sim::Command::Restart { node: 1 },
    }];
    assert!(refuse(&s).contains("command 1"), "{}", refuse(&s));
    // Unknown fields are refused too, so a typo in a claim is not silently ignored.
    let typo = catalog::RAFT[0].replacen("\"seed\"", "\"sede\"", 1);
    assert!(serde_json::from_str::<ScenarioOf<Raft>>(&typo).is_err());
}

/// The false claims of `scenario`, as “step: what is the case instead”.
fn false_claims<P: Scripted>(scenario: &ScenarioOf<P>) -> Vec<String> {
    play::<P>(scenario, |_, _| {})
        .unwrap()
        .iter()
        .flat_map(|c| {
            let step = c.step + 1;
            c.claims
                .iter()
                .filter_map(move |r| r.as_ref().err().map(|e| format!("{step}: {e}")))
        })
        .collect()
}

#[test]
fn a_false_claim_fails_and_says_what_is_the_case_instead() {
    use quorum_sim::scenario::{MpClaim, PaxosClaim, SlotCmd};
    // The late proposer must propose x = 1 (request 1), not its own x = 2.
    let mut s: ScenarioOf<Paxos> = serde_json::from_str(catalog::PAXOS[1]).unwrap();
    assert_eq!(s.name, "paxos-dueling-proposers");
    let step = s
        .steps
        .iter_mut()
        .position(|st| {
            st.claims
                .contains(&PaxosClaim::Proposing { node: 1, value: 1 })
        })
        .expect("a step claims S2 proposes request 1");
    s.steps[step].claims = vec![
        PaxosClaim::Proposing { node: 1, value: 2 },
        PaxosClaim::Proposing { node: 0, value: 1 },
    ];
    assert_eq!(
        false_claims::<Paxos>(&s),
        [
            format!("{}: S2 proposes (4.2, request 1)", step + 1),
            format!("{}: S1 is not in phase 2", step + 1)
        ]
    );
    // Once slot 4 is chosen, claiming it is not fails.
    let mut s: ScenarioOf<MultiPaxos> = serde_json::from_str(catalog::MULTIPAXOS[0]).unwrap();
    let last = s.steps.len() - 1;
    s.steps[last].claims = vec![
        MpClaim::NotChosen { slot: 4 },
        MpClaim::NotChosen { slot: 6 },
        MpClaim::Chosen {
            slot: 4,
            cmd: SlotCmd::Request(4),
        },
    ];
    assert_eq!(
        false_claims::<MultiPaxos>(&s),
        [format!(
            "{}: a majority holds request 4 in slot 4",
            last + 1
        )]
    );
}

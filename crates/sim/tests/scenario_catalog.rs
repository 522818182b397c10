//! Every scenario that ships plays to what its narration claims: each claim
//! of each step holds at the step's moment, and the protocol's safety
//! properties hold after every event on the way.
//!
//! One test per scenario (named after it), plus tests that the registry, the
//! files in `scenarios/<protocol>/` and this list agree, and that a broken
//! scenario is refused with a reason.

use quorum_sim::multipaxos::MultiPaxos;
use quorum_sim::paxos::Paxos;
use quorum_sim::pbft::Pbft;
use quorum_sim::raft::Raft;
use quorum_sim::registry::{self, Listing, Registered, Visit};
use quorum_sim::scenario::{play, ScenarioOf, Scripted};
use quorum_sim::vr::Vr;
use quorum_sim::zab::Zab;
use quorum_sim::Checker;
use std::collections::BTreeSet;

/// The text of scenario `name` of protocol `listing`, read from its file.
fn json_of(listing: &Listing, name: &str) -> String {
    let path = format!(
        "{}/{}",
        env!("CARGO_MANIFEST_DIR"),
        listing.scenario_path(name)
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Scenario `name` of `P`, parsed.
fn scenario<P: Registered>(name: &str) -> ScenarioOf<P> {
    serde_json::from_str(&json_of(&P::LISTING, name)).expect("parses")
}

/// Plays the registry's scenario `name` and panics with every false claim.
fn plays_as_narrated<P: Registered>(name: &str) {
    assert!(
        P::LISTING.scenarios.contains(&name),
        "{name} is not among {}'s scenarios in the registry",
        P::NAME
    );
    let scenario = scenario::<P>(name);
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
    // A scenario that breaks a property on purpose says which, and must break it.
    assert_eq!(
        violation.as_ref().map(|v| v.property),
        scenario.breaks.as_deref(),
        "{name}: the safety property it breaks (if any) is the one it says: {violation:?}"
    );
    if let Some(property) = &scenario.breaks {
        assert!(
            P::PROPERTIES.contains(&property.as_str()),
            "{name} breaks {property}, which {} does not check",
            P::NAME
        );
    }
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
    raft_disruptive_server: Raft, "raft-disruptive-server";
    raft_pre_vote: Raft, "raft-pre-vote";
    raft_check_quorum: Raft, "raft-check-quorum";
    raft_leadership_transfer: Raft, "raft-leadership-transfer";
    paxos_one_proposer: Paxos, "paxos-one-proposer";
    paxos_dueling_proposers: Paxos, "paxos-dueling-proposers";
    paxos_acceptor_failures: Paxos, "paxos-acceptor-failures";
    paxos_late_proposer: Paxos, "paxos-late-proposer";
    multipaxos_leader_change: MultiPaxos, "multipaxos-leader-change";
    multipaxos_primary_order: MultiPaxos, "multipaxos-primary-order";
    vr_lagging_view_change: Vr, "vr-lagging-view-change";
    vr_recovery_nonce: Vr, "vr-recovery-nonce";
    vr_partitioned_primary: Vr, "vr-partitioned-primary";
    vr_literal_state_transfer: Vr, "vr-literal-state-transfer";
    zab_leader_crash_in_sync: Zab, "zab-leader-crash-in-sync";
    zab_stale_epoch_rejoin: Zab, "zab-stale-epoch-rejoin";
    zab_primary_order: Zab, "zab-primary-order";
    pbft_normal_case: Pbft, "pbft-normal-case";
    pbft_equivocating_primary: Pbft, "pbft-equivocating-primary";
    pbft_two_liars: Pbft, "pbft-two-liars";
}

#[test]
fn the_registry_the_files_and_the_tests_agree() {
    // scenarios/<protocol>/<name>.json, each naming its protocol and itself.
    let mut files = BTreeSet::new();
    for dir in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios")).unwrap() {
        let dir = dir.unwrap();
        let protocol = dir.file_name().to_string_lossy().into_owned();
        for file in std::fs::read_dir(dir.path()).unwrap() {
            let file = file.unwrap();
            let name = file.file_name().to_string_lossy().into_owned();
            let name = name.strip_suffix(".json").expect("only scenario files");
            let text = std::fs::read_to_string(file.path()).unwrap();
            let json: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(json["name"], name, "{protocol}/{name}.json names itself");
            assert_eq!(
                json["protocol"],
                protocol.as_str(),
                "{protocol}/{name}.json"
            );
            files.insert((protocol.clone(), name.to_string()));
        }
    }
    let listed: BTreeSet<(String, String)> = registry::PROTOCOLS
        .iter()
        .flat_map(|p| {
            p.scenarios
                .iter()
                .map(|s| (p.name.to_string(), s.to_string()))
        })
        .collect();
    assert_eq!(
        listed, files,
        "each file in scenarios/<protocol>/ is in the registry under that protocol, and no more"
    );
    let tested: BTreeSet<(String, String)> = TESTED
        .iter()
        .map(|(p, n)| (p.to_string(), n.to_string()))
        .collect();
    assert_eq!(tested, files, "each scenario has its test above");
    let total: usize = registry::PROTOCOLS.iter().map(|p| p.scenarios.len()).sum();
    assert_eq!(total, files.len(), "no scenario is listed twice");
}

#[test]
fn every_protocol_is_registered_under_its_name_and_its_scenarios_carry_it() {
    struct Names(Vec<&'static str>);
    impl Visit for Names {
        fn visit<P: Registered>(&mut self) {
            assert_eq!(P::LISTING.name, P::NAME, "registered under Protocol::NAME");
            assert!(
                !P::LISTING.scenarios.is_empty(),
                "{} has a scenario",
                P::NAME
            );
            for name in P::LISTING.scenarios {
                assert!(
                    name.starts_with(&format!("{}-", P::NAME)),
                    "{name} starts with {}-",
                    P::NAME
                );
                scenario::<P>(name)
                    .validate(P::NAME)
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            self.0.push(P::NAME);
        }
    }
    let mut names = Names(Vec::new());
    registry::each(&mut names);
    let listed: Vec<&str> = registry::PROTOCOLS.iter().map(|p| p.name).collect();
    assert_eq!(
        names.0, listed,
        "each visits the protocols in the list's order"
    );
    assert_eq!(
        names.0,
        ["raft", "paxos", "multipaxos", "vr", "zab", "pbft"]
    );
}

#[test]
fn a_broken_scenario_is_refused_with_a_reason() {
    let good: ScenarioOf<Raft> = scenario::<Raft>("raft-first-election");
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
    let typo = json_of(&Raft::LISTING, "raft-first-election").replacen("\"seed\"", "\"sede\"", 1);
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
    use quorum_sim::multipaxos::{MpClaim, SlotCmd};
    use quorum_sim::paxos::PaxosClaim;
    // The late proposer must propose x←1 (request 1), not its own x←2.
    let mut s = scenario::<Paxos>("paxos-dueling-proposers");
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
            format!("{}: S1 is idle", step + 1)
        ]
    );
    // Once slot 4 is chosen, claiming it is not fails.
    let mut s = scenario::<MultiPaxos>("multipaxos-leader-change");
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

/// Every text of a scenario file: its title, its summary and each step's, in
/// both languages, each with where it is.
fn texts_of(json: &serde_json::Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut both = |at: String, t: &serde_json::Value| {
        for lang in ["en", "zh"] {
            if let Some(s) = t[lang].as_str() {
                out.push((format!("{at} ({lang})"), s.to_string()));
            }
        }
    };
    both("title".into(), &json["title"]);
    both("summary".into(), &json["summary"]);
    for (i, step) in json["steps"].as_array().into_iter().flatten().enumerate() {
        both(format!("step {}", i + 1), &step["text"]);
    }
    out
}

#[test]
fn narration_writes_a_request_as_the_page_does_key_arrow_value() {
    // The page writes a client's request x←1 (KvOp's Display); a scenario's
    // text that said `x = 1` for it read as another notation, or an equation.
    let mut wrong = Vec::new();
    for dir in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios")).unwrap() {
        for file in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let json: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            // The keys its requests set.
            let keys: BTreeSet<String> = json["commands"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| {
                    c["command"]["ClientRequest"]["request"]["op"]["Set"]["key"].as_str()
                })
                .map(str::to_string)
                .collect();
            for (at, text) in texts_of(&json) {
                let equation = keys.iter().any(|key| {
                    let written = format!("{key} = ");
                    text.match_indices(&written).any(|(i, _)| {
                        let before = text[..i].chars().next_back();
                        let after = text[i + written.len()..].chars().next();
                        !before.is_some_and(char::is_alphanumeric)
                            && after.is_some_and(|c| c.is_ascii_digit())
                    })
                });
                if equation {
                    wrong.push(format!("{}: {at}: “{text}”", path.display()));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "write a request key←value, as the page does:\n{}",
        wrong.join("\n")
    );
}

/// Thesis 4.2.3 and 9.6: the disruptive server's pair is one run, the same
/// commands on the same seed, with only PreVote flipped, so what differs
/// between them is PreVote's doing.
#[test]
fn thesis_9_6_the_pre_vote_scenario_is_the_disruptive_server_with_only_pre_vote_on() {
    let without = scenario::<Raft>("raft-disruptive-server");
    let with = scenario::<Raft>("raft-pre-vote");
    assert_eq!((without.nodes, without.seed), (with.nodes, with.seed));
    assert_eq!(
        serde_json::to_value(&without.commands).unwrap(),
        serde_json::to_value(&with.commands).unwrap()
    );
    assert!(!without.config.pre_vote && with.config.pre_vote);
    let mut flipped = with.config.clone();
    flipped.pre_vote = false;
    assert_eq!(flipped, without.config, "PreVote is the only difference");
}

//! Multi-Paxos on the page: its feed, glyphs, inspector, legend and claims.

use super::*;
use crate::feed::Feed;
use quorum_sim::kv::KvOp;
use quorum_sim::multipaxos::{MpClaim, SlotCmd};
use quorum_sim::{Command, MS};

fn elected() -> (Sim<MultiPaxos>, NodeId) {
    let mut sim = Sim::<MultiPaxos>::new(SimConfig::<MultiPaxosConfig>::new(5, 42)).unwrap();
    sim.advance_to(1_000 * MS);
    let leader = <MultiPaxos as Drawn>::leader(&sim).expect("a leader");
    (sim, leader)
}

#[test]
fn a_chosen_slot_is_one_line_from_its_proposer_not_one_per_replica() {
    let mut sim = Sim::<MultiPaxos>::new(SimConfig::<MultiPaxosConfig>::new(5, 42)).unwrap();
    let mut feed = Feed::<MultiPaxos>::default();
    feed.record(&sim.advance_to(1_000 * MS));
    let leader = <MultiPaxos as Drawn>::leader(&sim).expect("a leader");
    let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    feed.record(
        &sim.apply(Command::ClientRequest {
            node: leader,
            request,
        })
        .unwrap(),
    );
    feed.record(&sim.advance_to(1_300 * MS));
    let lines: Vec<String> = feed.lines().map(|l| l.text.en.clone()).collect();
    let chosen: Vec<&String> = lines.iter().filter(|l| l.contains("is chosen")).collect();
    assert_eq!(chosen.len(), 1, "{lines:?}");
    assert!(
        chosen[0].contains("slot 1") && chosen[0].contains("x←1"),
        "{chosen:?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("proposed x←1 for slot 1")),
        "{lines:?}"
    );
    let zh: Vec<String> = feed.lines().map(|l| l.text.zh.clone()).collect();
    assert!(
        zh.iter()
            .any(|l| l.ends_with("在槽位 1 的提议已被多数派接受：x←1 被选定")),
        "{zh:?}"
    );
}

/// The bug this view had when it was a copy of Raft's: the legend coloured
/// heartbeats purple (they are drawn grey) and messages were labelled "term".
#[test]
fn every_message_is_drawn_as_the_legend_says_and_numbered_by_round() {
    let (mut sim, leader) = elected();
    let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    sim.apply(Command::ClientRequest {
        node: (leader + 1) % 5,
        request,
    })
    .unwrap();
    let legend = <MultiPaxos as Drawn>::legend(Lang::En);
    let mut families = std::collections::BTreeSet::new();
    let until = sim.now() + 400 * MS;
    while sim.now() < until && sim.step().is_some() {
        for env in sim.in_flight() {
            let g = <MultiPaxos as Drawn>::message(env, Lang::En);
            families.insert(g.family);
            assert!(
                legend.iter().any(|i| i.mark
                    == LegendMark::Message {
                        shape: g.shape,
                        family: g.family,
                        reply: false
                    }),
                "{} is drawn as {:?} {} but the legend has no such entry",
                g.kind,
                g.shape,
                g.family
            );
            if let Some((word, _)) = g.number {
                assert_eq!(word, "round", "{}", g.kind);
            }
        }
    }
    assert!(
        families.contains("heartbeat") && families.contains("append"),
        "{families:?}"
    );
}

#[test]
fn the_inspector_shows_every_variable_of_its_three_roles() {
    let (mut sim, leader) = elected();
    let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    sim.apply(Command::ClientRequest {
        node: leader,
        request,
    })
    .unwrap();
    sim.advance_to(sim.now() + 5 * MS);
    let keys = |id: NodeId| -> Vec<&'static str> {
        let (_, sections) = <MultiPaxos as Drawn>::inspect(&sim, &sim.nodes()[id], Lang::En);
        sections
            .iter()
            .flat_map(|s| match &s.body {
                SectionBody::Fields(f) => f.iter().map(|f| f.key).collect::<Vec<_>>(),
                _ => vec![],
            })
            .collect()
    };
    let on_leader = keys(leader);
    for key in [
        "promised",
        "accepted",
        "round",
        "ballot",
        "leader",
        "next slot",
        "proposals",
        "chosen",
        "applied",
        "kv",
    ] {
        assert!(on_leader.contains(&key), "{key} in {on_leader:?}");
    }
    let follower = keys((leader + 1) % 5);
    assert!(
        !follower.contains(&"proposals"),
        "a follower proposes nothing"
    );
}

#[test]
fn a_servers_glyph_is_raft_like_and_numbered_by_round() {
    let (sim, leader) = elected();
    let g = <MultiPaxos as Drawn>::server(&sim, &sim.nodes()[leader], Lang::En);
    assert_eq!(
        (g.role, g.emphasis, g.caption.as_str()),
        ("leader", Emphasis::Leads, "round")
    );
    assert!(g.summary.starts_with("round "));
}

#[test]
fn claims_read_in_both_languages() {
    let none = crate::run::narration::Requests::new();
    let c = MpClaim::Chosen {
        slot: 2,
        cmd: SlotCmd::NoOp,
    };
    assert_eq!(words::claim(&c, Lang::Zh, &none), "槽位 2 已选定：空操作");
    assert_eq!(
        words::claim(&c, Lang::En, &none),
        "Slot 2 is chosen: a no-op"
    );
}

#[test]
fn every_property_has_chinese() {
    for p in <MultiPaxos as quorum_sim::Checked>::PROPERTIES {
        assert_ne!(words::property_zh(p), "安全性", "{p}");
    }
}

#[test]
fn an_empty_range_of_applied_slots_reads_as_nothing_applied() {
    let none = crate::run::narration::Requests::new();
    let claim = |slot| MpClaim::Applied { node: 0, slot };
    assert_eq!(
        words::claim(&claim(0), Lang::En, &none),
        "S1 has applied no slot yet"
    );
    assert_eq!(
        words::claim(&claim(0), Lang::Zh, &none),
        "S1 还没有应用任何槽位"
    );
    assert_eq!(
        words::claim(&claim(1), Lang::En, &none),
        "S1 has applied slot 1"
    );
    assert_eq!(
        words::claim(&claim(3), Lang::En, &none),
        "S1 has applied slots 1 to 3"
    );
    let sim = Sim::<MultiPaxos>::new(SimConfig::<MultiPaxosConfig>::new(3, 1)).unwrap();
    let facts = <MultiPaxos as Drawn>::facts(&sim, &sim.nodes()[0], Lang::En);
    assert!(facts.contains(&("applied".to_string(), "none yet".to_string())));
}

#[test]
fn a_new_run_says_how_to_fill_a_slot_until_one_is_accepted() {
    let (mut sim, leader) = elected();
    assert!(<MultiPaxos as Drawn>::start_hint(&sim, Lang::En)
        .unwrap()
        .contains("press C"));
    let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    sim.apply(Command::ClientRequest {
        node: leader,
        request,
    })
    .unwrap();
    sim.advance_to(sim.now() + 200 * MS);
    assert_eq!(<MultiPaxos as Drawn>::start_hint(&sim, Lang::En), None);
}

#[test]
fn every_violation_the_core_tests_make_on_purpose_reads_in_chinese() {
    use quorum_sim::multipaxos::{Ballot, Cmd, MpEvent};
    use quorum_sim::{Checker, TimedEvent};
    // As crates/sim/tests/multipaxos.rs makes them: a slot chosen, then forged events.
    let mut sim = Sim::<MultiPaxos>::new(SimConfig::<MultiPaxosConfig>::new(3, 7)).unwrap();
    let mut checker = Checker::<MultiPaxos>::new();
    checker.observe(&sim, &[]).unwrap();
    let run_to = |sim: &mut Sim<MultiPaxos>, checker: &mut Checker<MultiPaxos>, t| {
        while sim.next_event_time().is_some_and(|next| next <= t) {
            let events = sim.step().unwrap();
            checker.observe(sim, &events).unwrap();
        }
    };
    run_to(&mut sim, &mut checker, 1_000 * MS);
    let leader = <MultiPaxos as Drawn>::leader(&sim).expect("a leader");
    let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    let events = sim
        .apply(Command::ClientRequest {
            node: leader,
            request,
        })
        .unwrap();
    checker.observe(&sim, &events).unwrap();
    run_to(&mut sim, &mut checker, 1_200 * MS);
    assert!(
        checker.safety().chosen().get(&1).is_some(),
        "slot 1 is chosen"
    );
    let ballot = Ballot {
        round: 99,
        proposer: 0,
    };
    let at = |node, event| TimedEvent {
        time: sim.now(),
        event: quorum_sim::SimEvent::Protocol { node, event },
    };
    let noop_accepted = |node| {
        at(
            node,
            MpEvent::Accepted {
                ballot,
                slot: 1,
                cmd: Cmd::NoOp,
            },
        )
    };
    let cases = [
        (
            vec![noop_accepted(0), noop_accepted(1)],
            "Only one value is chosen per slot",
            "又选定的命令：空操作",
        ),
        (
            vec![at(
                0,
                MpEvent::Learned {
                    slot: 1,
                    cmd: Cmd::NoOp,
                },
            )],
            "Replicas apply only chosen values, in slot order",
            "S1 得知槽位 1 的命令：空操作",
        ),
        (
            vec![at(
                0,
                MpEvent::Applied {
                    slot: 5,
                    cmd: Cmd::NoOp,
                },
            )],
            "Replicas apply only chosen values, in slot order",
            "之后应用了槽位 5",
        ),
    ];
    for (forged, property, words) in cases {
        let mut checker = checker.clone();
        let v = checker.observe(&sim, &forged).expect_err(property);
        assert_eq!(v.property, property);
        assert_eq!(
            checker.safety().breach().expect("kept").to_string(),
            v.detail
        );
        let zh = <MultiPaxos as Drawn>::violation_zh(checker.safety()).expect("worded in Chinese");
        let english = crate::i18n::english_in(&zh, &[]);
        assert!(
            english.is_empty() && zh.contains(words),
            "{zh}: {english:?}"
        );
    }
}

#[test]
fn every_kind_of_breach_reads_in_chinese() {
    use quorum_sim::multipaxos::{Ballot, Cmd, MultiPaxosBreach::*, MULTIPAXOS_PROPERTIES};
    let b = |round| Ballot { round, proposer: 1 };
    let x = Cmd::Request(quorum_sim::kv::ClientRequest {
        id: 1,
        op: KvOp::Set { key: 'x', value: 1 },
    });
    let all = [
        PromisedLower {
            node: 2,
            ballot: b(1),
            before: b(2),
        },
        AcceptedLower {
            node: 2,
            ballot: b(1),
            slot: 1,
            before: b(2),
        },
        ForgotPromise {
            node: 2,
            promise: b(2),
        },
        TwoCommands {
            ballot: b(1),
            slot: 1,
            first: x,
            second: Cmd::NoOp,
        },
        TwoChosen {
            slot: 1,
            first_ballot: b(1),
            first: x,
            ballot: b(2),
            cmd: Cmd::NoOp,
        },
        ProposedOther {
            node: 0,
            slot: 1,
            ballot: b(2),
            cmd: Cmd::NoOp,
            chosen_ballot: b(1),
            chosen: x,
        },
        LearnedUnchosen {
            node: 1,
            slot: 1,
            cmd: x,
        },
        AppliedOutOfOrder {
            node: 1,
            slot: 3,
            last: 1,
        },
        AppliedUnchosen {
            node: 1,
            slot: 1,
            cmd: Cmd::NoOp,
        },
    ];
    let mut properties: Vec<&str> = all.iter().map(|b| b.property()).collect();
    properties.sort_unstable();
    properties.dedup();
    let mut every = MULTIPAXOS_PROPERTIES;
    every.sort_unstable();
    assert_eq!(properties, every, "a breach of each property");
    for breach in all {
        let zh = words::breach_zh(&breach);
        let english = crate::i18n::english_in(&zh, &[]);
        assert!(
            english.is_empty() && zh != breach.to_string(),
            "{zh}: {english:?}"
        );
    }
}

/// The checker has seen the run up to its furthest point, which lies
/// ahead of a moment travelled back to; the slot table's chosen row is what
/// was chosen by the moment shown, by its event: one event back from the
/// one that chose a slot, the slot is not chosen yet, though that moment
/// shares its time (the Accepts, sent together over links of one latency,
/// arrive together), where a rule by time alone would already show it.
#[test]
fn the_chosen_row_shows_what_was_chosen_by_the_moment_shown() {
    use crate::run::{Live, Run};
    let mut config = SimConfig::<MultiPaxosConfig>::new(5, 42);
    config.network.latency_min = 15 * MS;
    config.network.latency_max = 15 * MS;
    let mut live = Live::<MultiPaxos>::new(config).unwrap();
    live.advance_to(1_000 * MS);
    let leader = live.leader().expect("a leader");
    let request = live.sim().new_request(KvOp::Set { key: 'x', value: 1 });
    live.apply(Command::ClientRequest {
        node: leader,
        request,
    })
    .unwrap();
    let asked = live.now();
    live.advance_to(asked + 300 * MS);
    let safety = live.checker().safety();
    let slot = safety
        .chosen()
        .last_key()
        .expect("the request's slot is chosen");
    let (_, _, when) = *safety.chosen().get(&slot).unwrap();
    assert!(panel::chosen_shown(live.sim(), safety).contains_key(&slot));
    // Back to the request, then forward event by event: the slot appears
    // with the event that chose it.
    live.seek(asked);
    assert!(!panel::chosen_shown(live.sim(), live.checker().safety()).contains_key(&slot));
    while !panel::chosen_shown(live.sim(), live.checker().safety()).contains_key(&slot) {
        assert!(live.step(), "slot {slot} is chosen at {when}");
    }
    assert_eq!(live.now(), when);
    live.step_back();
    assert_eq!(live.now(), when, "one event back shares its time");
    assert!(!panel::chosen_shown(live.sim(), live.checker().safety()).contains_key(&slot));
}

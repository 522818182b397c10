//! Basic Paxos on the page: its feed, glyphs, inspector, legend and claims.

use super::*;
use crate::feed::Feed;
use quorum_sim::kv::KvOp;
use quorum_sim::paxos::PaxosClaim;
use quorum_sim::{Command, MS};

fn run() -> Sim<Paxos> {
    Sim::<Paxos>::new(<Paxos as Drawn>::config(&[2, 3, 1], 1).unwrap()).unwrap()
}

#[test]
fn a_run_reads_phase_by_phase() {
    let mut sim = run();
    let mut feed = Feed::<Paxos>::default();
    let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    feed.record(
        &sim.apply(Command::ClientRequest { node: 0, request })
            .unwrap(),
    );
    feed.record(&sim.advance_to(500 * MS));
    let lines: Vec<String> = feed.lines().map(|l| l.text.en.clone()).collect();
    assert_eq!(lines[0], "S6 learned that x←1 was chosen", "{lines:?}");
    assert!(
        lines.iter().any(|l| l
            .starts_with("S1 had a majority of promises and sent Accept(1.1, x←1), its own value")),
        "{lines:?}"
    );
    let zh: Vec<String> = feed.lines().map(|l| l.text.zh.clone()).collect();
    assert_eq!(zh[0], "S6 得知 x←1 已被选定", "{zh:?}");
    assert!(
        zh.contains(
            &"S1 获得了多数派的承诺，发送了 Accept(1.1, x←1)，使用自己的值（阶段 2）".to_string()
        ),
        "{zh:?}"
    );
}

fn glyph(sim: &Sim<Paxos>, id: NodeId) -> ServerGlyph {
    <Paxos as Drawn>::server(sim, &sim.nodes()[id], Lang::En)
}

fn data<'a>(g: &'a ServerGlyph, key: &str) -> Option<&'a str> {
    g.data
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.as_str())
}

#[test]
fn each_role_has_its_shape_and_its_state_in_the_dom_contract() {
    let mut sim = run();
    let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    sim.apply(Command::ClientRequest { node: 0, request })
        .unwrap();
    sim.advance_to(500 * MS);
    let (proposer, acceptor, learner) = (glyph(&sim, 0), glyph(&sim, 2), glyph(&sim, 5));
    assert_eq!(
        (proposer.shape, proposer.role),
        (Shape::Diamond, "proposer")
    );
    assert_eq!((acceptor.shape, acceptor.role), (Shape::Circle, "acceptor"));
    assert_eq!((learner.shape, learner.role), (Shape::Square, "learner"));
    assert_eq!(data(&acceptor, "data-promised"), Some("1.1"));
    assert_eq!(data(&acceptor, "data-accepted-value"), Some("x←1"));
    assert_eq!(data(&learner, "data-learned"), Some("x←1"));
    assert!(learner.done && proposer.done);
    assert_eq!(data(&proposer, "data-phase"), Some("idle"));
}

#[test]
fn the_inspector_shows_every_variable_of_each_role() {
    let mut sim = run();
    let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    sim.apply(Command::ClientRequest { node: 0, request })
        .unwrap();
    // Stop in phase 1, promises arriving.
    while !matches!(sim.nodes()[0].up().unwrap().phase, ProposerPhase::Preparing { ref promises, .. } if !promises.is_empty())
    {
        sim.step();
    }
    let keys = |id: NodeId| -> Vec<&'static str> {
        let (_, sections) = <Paxos as Drawn>::inspect(&sim, &sim.nodes()[id], Lang::En);
        sections
            .iter()
            .flat_map(|s| match &s.body {
                SectionBody::Fields(f) => f.iter().map(|f| f.key).collect::<Vec<_>>(),
                _ => vec![],
            })
            .collect()
    };
    assert_eq!(
        keys(0),
        [
            "round",
            "value",
            "phase",
            "n",
            "promises",
            "from promises",
            "learned"
        ]
    );
    assert_eq!(keys(2), ["promised", "accepted"]);
    assert_eq!(keys(5), ["learned"]);
    sim.advance_to(500 * MS);
    sim.apply(Command::Crash { node: 2 }).unwrap();
    let (note, sections) = <Paxos as Drawn>::inspect(&sim, &sim.nodes()[2], Lang::Zh);
    assert!(note.is_some());
    let SectionBody::Fields(fields) = &sections[0].body else {
        panic!()
    };
    assert_eq!(
        fields[1].text(),
        "(1.1, x←1)",
        "an acceptor's accepted proposal survives a crash"
    );
}

#[test]
fn only_proposers_take_a_clients_value_and_each_role_says_why_it_cannot_time_out() {
    let sim = run();
    assert!(<Paxos as Drawn>::refuses_requests(&sim, &sim.nodes()[0], Lang::En).is_none());
    assert!(<Paxos as Drawn>::refuses_requests(&sim, &sim.nodes()[3], Lang::En).is_some());
    let why = |id| <Paxos as Drawn>::no_timeout(&sim, &sim.nodes()[id]);
    assert!(why(2).en.contains("an acceptor has no timer"));
    assert!(why(0).en.contains("no value to propose"));
    for id in 0..6 {
        assert!(!why(id).en.contains("leader"), "basic Paxos has no leader");
    }
}

#[test]
fn every_message_is_drawn_as_the_legend_says_and_numbered_by_round() {
    let mut sim = run();
    let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    sim.apply(Command::ClientRequest { node: 0, request })
        .unwrap();
    let legend = <Paxos as Drawn>::legend(Lang::En);
    let mut kinds = std::collections::BTreeSet::new();
    while sim.now() < 600 * MS && sim.step().is_some() {
        for env in sim.in_flight() {
            let g = <Paxos as Drawn>::message(env, Lang::En);
            kinds.insert(g.kind);
            assert!(
                legend.iter().any(|i| i.mark
                    == LegendMark::Message {
                        shape: g.shape,
                        family: g.family,
                        reply: false
                    }),
                "{}",
                g.kind
            );
            if let Some((word, _)) = g.number {
                assert_eq!(word, "round");
            }
        }
    }
    assert!(kinds.len() >= 4, "{kinds:?}");
}

#[test]
fn claims_read_in_both_languages() {
    let c = PaxosClaim::Accepted {
        node: 3,
        proposal: Some((
            Ballot {
                round: 1,
                proposer: 0,
            },
            7,
        )),
    };
    let none = crate::run::narration::Requests::new();
    assert_eq!(
        words::claim(&c, Lang::En, &none),
        "S4 accepted (1.1, request 7)"
    );
    assert_eq!(words::claim(&c, Lang::Zh, &none), "S4 接受了 (1.1, 请求 7)");
    let named = crate::run::narration::Requests::from([(7, "x←3".to_string())]);
    assert_eq!(words::claim(&c, Lang::En, &named), "S4 accepted (1.1, x←3)");
}

#[test]
fn every_property_has_chinese() {
    for p in <Paxos as quorum_sim::Checked>::PROPERTIES {
        assert_ne!(words::property_zh(p), "安全性", "{p}");
    }
}

#[test]
fn a_link_carries_the_role_counts_and_refuses_impossible_ones() {
    let config = <Paxos as Drawn>::config(&[3, 5, 1], 9).unwrap();
    let params = <Paxos as Drawn>::share_params(&config.protocol);
    assert_eq!(params, [3, 5]);
    assert_eq!(
        <Paxos as Drawn>::config_from_params(&params).unwrap(),
        config.protocol
    );
    assert_eq!(<Paxos as Drawn>::shape(&config), [3, 5, 1]);
    let e = <Paxos as Drawn>::config_from_params(&[9, 1]).unwrap_err();
    assert!(e.en.contains("not 1 to 3 proposers") && !e.zh.is_empty());
}

/// "Paxos Made Simple", P2c: once a value is chosen, a later proposer must
/// propose it, whatever its own client asked for. Its caption shows the value
/// of its Accept request, and its inspector and menu keep the client's
/// request and what the promises reported apart.
#[test]
fn a_proposer_shows_the_value_it_proposes_not_its_clients() {
    let mut sim = run();
    let x1 = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    sim.apply(Command::ClientRequest {
        node: 0,
        request: x1,
    })
    .unwrap();
    sim.advance_to(500 * MS);
    assert_eq!(data(&glyph(&sim, 0), "data-learned"), Some("x←1"));
    let y2 = sim.new_request(KvOp::Set { key: 'y', value: 2 });
    sim.apply(Command::ClientRequest {
        node: 1,
        request: y2,
    })
    .unwrap();
    assert_eq!(glyph(&sim, 1).detail, ["phase 1: no value yet"]);
    while !matches!(
        sim.nodes()[1].up().unwrap().phase,
        ProposerPhase::Accepting { .. }
    ) {
        assert!(sim.step().is_some(), "S2 reaches phase 2");
    }
    let s2 = glyph(&sim, 1);
    assert_eq!(s2.detail, ["proposes x←1"]);
    assert_eq!(data(&s2, "data-proposing"), Some("x←1"));
    assert!(
        s2.summary.starts_with("phase 2, proposes (") && s2.summary.contains(", x←1)"),
        "{}",
        s2.summary
    );
    assert!(
        s2.summary.contains("client's request y←2"),
        "{}",
        s2.summary
    );
    let zh = <Paxos as Drawn>::server(&sim, &sim.nodes()[1], Lang::Zh);
    assert_eq!(zh.detail, ["提议 x←1"]);
    let (_, sections) = <Paxos as Drawn>::inspect(&sim, &sim.nodes()[1], Lang::En);
    let field = |key: &str| {
        sections
            .iter()
            .find_map(|s| match &s.body {
                SectionBody::Fields(f) => f.iter().find(|f| f.key == key).map(|f| f.text()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no field {key}"))
    };
    assert_eq!(field("value"), "y←2", "the client's request it holds");
    assert_eq!(field("v"), "x←1", "the value it proposes");
    assert!(field("from promises").starts_with("x←1"));
    let facts = <Paxos as Drawn>::facts(&sim, &sim.nodes()[1], Lang::En);
    assert!(facts.contains(&("proposes".to_string(), "x←1".to_string())));
}

#[test]
fn free_play_says_how_to_start_until_a_proposer_has_a_request() {
    let mut sim = run();
    let hint = <Paxos as Drawn>::start_hint(&sim, Lang::En).expect("a hint");
    assert!(hint.starts_with("Nothing happens until a client sends a proposer a request"));
    assert!(<Paxos as Drawn>::start_hint(&sim, Lang::Zh)
        .unwrap()
        .contains("客户端请求"));
    let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    sim.apply(Command::ClientRequest { node: 0, request })
        .unwrap();
    assert_eq!(<Paxos as Drawn>::start_hint(&sim, Lang::En), None);
}

#[test]
fn the_legend_says_the_triangle_is_a_learners_query_not_a_client_request() {
    let legend = <Paxos as Drawn>::legend(Lang::En);
    let triangle = legend
        .iter()
        .find(|i| {
            matches!(
                i.mark,
                LegendMark::Message {
                    shape: Shape::Triangle,
                    ..
                }
            )
        })
        .unwrap();
    assert!(triangle
        .text
        .starts_with("Query: a learner asks an acceptor"));
    assert!(legend.iter().any(|i| i.mark == LegendMark::TimerUrgent));
}

/// A proposer whose client's value lost (P2c: it proposed the value its
/// promises reported) says which value was chosen, and that its own was not.
#[test]
fn a_done_proposer_says_the_chosen_value_and_that_its_clients_lost() {
    let mut sim = run();
    let first = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    sim.apply(Command::ClientRequest {
        node: 0,
        request: first,
    })
    .unwrap();
    sim.advance_to(500 * MS);
    let second = sim.new_request(KvOp::Set { key: 'y', value: 2 });
    sim.apply(Command::ClientRequest {
        node: 1,
        request: second,
    })
    .unwrap();
    sim.advance_to(2_000 * MS);
    let s2 = &sim.nodes()[1];
    let en = words::summary(s2, PaxosRole::Proposer, Lang::En);
    assert_eq!(en, "done: x←1 is chosen, not its client's y←2");
    let zh = words::summary(s2, PaxosRole::Proposer, Lang::Zh);
    assert_eq!(zh, "已完成：选定的是 x←1，不是它的客户端的 y←2");
    let s1 = words::summary(&sim.nodes()[0], PaxosRole::Proposer, Lang::En);
    assert_eq!(s1, "done: x←1 is chosen");
}

/// "1 promise", not "1 promises".
#[test]
fn a_proposer_counts_its_promises_in_good_english() {
    let mut sim = run();
    let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    sim.apply(Command::ClientRequest { node: 0, request })
        .unwrap();
    let mut seen = Vec::new();
    while let Some(at) = sim.next_event_time() {
        if at > 500 * MS {
            break;
        }
        sim.step();
        seen.push(words::summary(
            &sim.nodes()[0],
            PaxosRole::Proposer,
            Lang::En,
        ));
    }
    assert!(seen.iter().any(|s| s.contains(": 1 promise;")), "{seen:?}");
    assert!(!seen.iter().any(|s| s.contains(" 1 promises")), "{seen:?}");
}

/// A forged value: its id, and `v←id`.
fn forged_value(id: u64) -> quorum_sim::kv::ClientRequest {
    quorum_sim::kv::ClientRequest {
        id,
        op: KvOp::Set {
            key: 'v',
            value: id as u32,
        },
    }
}

#[test]
fn every_violation_the_core_tests_make_on_purpose_reads_in_chinese() {
    use quorum_sim::paxos::{Ballot, PaxosEvent};
    use quorum_sim::{Checker, TimedEvent};
    // As crates/sim/tests/paxos.rs makes them: a value chosen, then forged events.
    let mut sim = run();
    let mut checker = Checker::<Paxos>::new();
    checker.observe(&sim, &[]).unwrap();
    let request = forged_value(1);
    let events = sim
        .apply(Command::ClientRequest { node: 0, request })
        .unwrap();
    checker.observe(&sim, &events).unwrap();
    while sim.next_event_time().is_some_and(|t| t <= 500 * MS) {
        let events = sim.step().unwrap();
        checker.observe(&sim, &events).unwrap();
    }
    assert!(checker.safety().chosen().is_some(), "a value is chosen");
    let ballot = |round| Ballot { round, proposer: 0 };
    let at = |node, event| TimedEvent {
        time: sim.now(),
        event: quorum_sim::SimEvent::Protocol { node, event },
    };
    let accepted = |node, round, id| {
        at(
            node,
            PaxosEvent::Accepted {
                ballot: ballot(round),
                value: forged_value(id),
            },
        )
    };
    let cases = [
        (
            vec![accepted(2, 50, 2), accepted(3, 50, 2)],
            "Only one value is chosen",
            "之后 v←2 又通过提案 50.1 被选定",
        ),
        (
            vec![accepted(2, 0, 1)],
            "Acceptors keep their promises",
            "之后却接受了更小的 0.1",
        ),
        (
            vec![at(
                2,
                PaxosEvent::Promised {
                    ballot: ballot(0),
                    accepted: None,
                },
            )],
            "Acceptors keep their promises",
            "之后又承诺了更小的 0.1",
        ),
        (
            vec![at(
                5,
                PaxosEvent::Learned {
                    value: forged_value(3),
                },
            )],
            "Learners learn only chosen values",
            "S6 得知了 v←3",
        ),
        (
            vec![at(
                0,
                PaxosEvent::AcceptSent {
                    ballot: ballot(60),
                    value: forged_value(3),
                    adopted: false,
                },
            )],
            "A chosen value never changes",
            "S1 却用 60.1 提议了 v←3",
        ),
    ];
    for (forged, property, words) in cases {
        let mut checker = checker.clone();
        let v = checker.observe(&sim, &forged).expect_err(property);
        assert_eq!(v.property, property);
        let breach = checker.safety().breach().expect("kept");
        assert_eq!(breach.to_string(), v.detail);
        let zh = <Paxos as Drawn>::violation_zh(checker.safety()).expect("worded in Chinese");
        let english = crate::i18n::english_in(&zh, &[]);
        assert!(
            english.is_empty() && zh.contains(words),
            "{zh}: {english:?}"
        );
    }
}

#[test]
fn every_kind_of_breach_reads_in_chinese() {
    use quorum_sim::paxos::{Ballot, PaxosBreach::*, PAXOS_PROPERTIES};
    let b = |round| Ballot { round, proposer: 1 };
    let (x1, x2) = (forged_value(1).op, forged_value(2).op);
    let all = [
        PromisedLower {
            node: 2,
            ballot: b(1),
            before: b(2),
        },
        AcceptedLower {
            node: 2,
            ballot: b(1),
            before: b(2),
        },
        ForgotPromise {
            node: 2,
            promise: b(2),
        },
        TwoValues {
            ballot: b(1),
            first: x1,
            second: x2,
        },
        TwoChosen {
            first_ballot: b(1),
            first: x1,
            ballot: b(2),
            value: x2,
        },
        ProposedOther {
            node: 0,
            ballot: b(2),
            value: x2,
            chosen_ballot: b(1),
            chosen: x1,
        },
        LearnedUnchosen { node: 5, value: x2 },
    ];
    let mut properties: Vec<&str> = all.iter().map(|b| b.property()).collect();
    properties.sort_unstable();
    properties.dedup();
    let mut every = PAXOS_PROPERTIES;
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

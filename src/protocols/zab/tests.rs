//! Zab on the page: its glyphs by state and phase, its inspector's variables
//! under the paper's names, its messages' fields, what a crash keeps, its
//! feed, its claims and its breaches in Chinese.

use super::*;
use crate::feed::Feed;
use quorum_sim::kv::KvOp;
use quorum_sim::zab::{ZabBreach, ZabClaim, Zxid};
use quorum_sim::{Command, MS};

/// A cluster with an established leader.
fn settled(nodes: usize) -> Sim<Zab> {
    let mut sim = Sim::<Zab>::new(SimConfig::<ZabConfig>::new(nodes, 42)).unwrap();
    let until = 3_000 * MS;
    while sim.now() < until {
        sim.advance_to(sim.now() + 10 * MS);
        let all = sim
            .nodes()
            .iter()
            .filter_map(|s| s.up())
            .all(|z| z.phase == ZabPhase::Broadcast);
        if all && <Zab as Drawn>::leader(&sim).is_some() {
            return sim;
        }
    }
    panic!("no leader established");
}

fn keys(sim: &Sim<Zab>, id: NodeId) -> Vec<&'static str> {
    let (_, sections) = <Zab as Drawn>::inspect(sim, &sim.nodes()[id], Lang::En);
    sections
        .iter()
        .flat_map(|s| match &s.body {
            SectionBody::Fields(f) => f.iter().map(|f| f.key).collect::<Vec<_>>(),
            _ => vec![],
        })
        .collect()
}

fn field(sim: &Sim<Zab>, id: NodeId, key: &str) -> String {
    let (_, sections) = <Zab as Drawn>::inspect(sim, &sim.nodes()[id], Lang::En);
    sections
        .iter()
        .find_map(|s| match &s.body {
            SectionBody::Fields(f) => f.iter().find(|f| f.key == key).map(Field::text),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no {key}"))
}

#[test]
fn the_inspector_shows_the_papers_variables_and_a_commit_reaches_every_server() {
    let mut sim = settled(3);
    let leader = <Zab as Drawn>::leader(&sim).unwrap();
    let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    sim.apply(Command::ClientRequest {
        node: leader,
        request,
    })
    .unwrap();
    sim.advance_to(sim.now() + 200 * MS);
    for key in [
        "acceptedEpoch",
        "currentEpoch",
        "history",
        "state",
        "phase",
        "last committed zxid",
        "round",
        "vote",
    ] {
        assert!(keys(&sim, leader).contains(&key), "{key}");
    }
    let epoch = sim.nodes()[leader].up().unwrap().current_epoch;
    for id in 0..3 {
        let z = Zxid { epoch, counter: 1 };
        assert_eq!(field(&sim, id, "history"), format!("{z} x←1"));
        let (_, sections) = <Zab as Drawn>::inspect(&sim, &sim.nodes()[id], Lang::En);
        let SectionBody::Fields(stable) = &sections[0].body else {
            panic!("stable storage first")
        };
        let Value::List { items, .. } = &stable[2].value else {
            panic!("the history is a list")
        };
        assert_eq!(items[0].tag.as_deref(), Some(" delivered"));
        assert_eq!(field(&sim, id, "last committed zxid"), z.to_string());
    }
    assert_eq!(field(&sim, leader, "state"), "LEADING");
    assert_eq!(field(&sim, leader, "phase"), "3 (broadcast)");
    let g = <Zab as Drawn>::server(&sim, &sim.nodes()[leader], Lang::En);
    assert_eq!((g.role, g.emphasis), ("leading", Emphasis::Leads));
    assert_eq!(g.number, epoch.to_string());
}

#[test]
fn a_crashed_server_keeps_its_epochs_and_history_and_says_so() {
    let mut sim = settled(3);
    let leader = <Zab as Drawn>::leader(&sim).unwrap();
    let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    sim.apply(Command::ClientRequest {
        node: leader,
        request,
    })
    .unwrap();
    sim.advance_to(sim.now() + 200 * MS);
    let other = (leader + 1) % 3;
    let epoch = sim.nodes()[other].up().unwrap().current_epoch;
    sim.apply(Command::Crash { node: other }).unwrap();
    let (note, sections) = <Zab as Drawn>::inspect(&sim, &sim.nodes()[other], Lang::En);
    assert!(note.unwrap().contains("stable storage survives"));
    assert_eq!(sections.len(), 1);
    assert_eq!(field(&sim, other, "currentEpoch"), epoch.to_string());
    assert!(field(&sim, other, "history").contains("x←1"));
    let g = <Zab as Drawn>::server(&sim, &sim.nodes()[other], Lang::En);
    assert!(g.crashed && g.number == epoch.to_string());
    let mut feed = Feed::<Zab>::default();
    feed.record(&sim.apply(Command::Restart { node: other }).unwrap());
    feed.record(&sim.advance_to(sim.now() + 1_000 * MS));
    let lines: Vec<String> = feed.lines().map(|l| l.text.en.clone()).collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("restarted with what it kept on stable storage")),
        "{lines:?}"
    );
    // Synchronized again, it delivers its history again.
    assert_eq!(sim.nodes()[other].up().unwrap().delivered, 1);
}

#[test]
fn every_message_is_drawn_as_the_legend_says_with_the_papers_fields() {
    let mut sim = Sim::<Zab>::new(SimConfig::<ZabConfig>::new(3, 7)).unwrap();
    let legend = <Zab as Drawn>::legend(Lang::En);
    let mut kinds = std::collections::BTreeSet::new();
    let mut check = |sim: &Sim<Zab>| {
        for env in sim.in_flight() {
            let g = <Zab as Drawn>::message(env, Lang::En);
            kinds.insert(g.kind_text);
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
            let fields = <Zab as Drawn>::message_fields(&env.payload, Lang::En);
            let keys: Vec<&str> = fields.iter().map(|f| f.key).collect();
            let want: &[&str] = match g.kind_text {
                "Notification" => &["vote", "round", "state"],
                "CEPOCH" => &["f.p", "connection"],
                "NEWEPOCH" | "ACK-LD" => &["e′", "connection"],
                "ACK-E" => &["f.a", "h_f", "connection"],
                "NEWLEADER" => &["e′", "I_e′", "connection"],
                "COMMIT-LD" => &["e′", "committed", "connection"],
                "PROPOSE" => &["v", "z", "connection"],
                "ACK" | "COMMIT" => &["z", "connection"],
                _ => continue,
            };
            assert_eq!(keys, want, "{}", g.kind_text);
            assert!(<Zab as Drawn>::channel_note(&env.payload, Lang::Zh).is_some());
        }
    };
    for _ in 0..200 {
        sim.step();
        check(&sim);
    }
    for _ in 0..3 {
        let leader = <Zab as Drawn>::leader(&sim).expect("a leader");
        let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
        sim.apply(Command::ClientRequest {
            node: leader,
            request,
        })
        .unwrap();
        for _ in 0..40 {
            sim.step();
            check(&sim);
        }
    }
    for kind in [
        "Notification",
        "CEPOCH",
        "NEWEPOCH",
        "ACK-E",
        "NEWLEADER",
        "ACK-LD",
        "COMMIT-LD",
        "PROPOSE",
        "ACK",
        "COMMIT",
    ] {
        assert!(kinds.contains(kind), "{kind} seen in {kinds:?}");
    }
}

#[test]
fn a_delivery_is_one_line_from_the_leader_not_one_per_follower() {
    let mut sim = Sim::<Zab>::new(SimConfig::<ZabConfig>::new(5, 42)).unwrap();
    let mut feed = Feed::<Zab>::default();
    feed.record(&sim.advance_to(2_000 * MS));
    let leader = <Zab as Drawn>::leader(&sim).unwrap();
    let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    feed.record(
        &sim.apply(Command::ClientRequest {
            node: leader,
            request,
        })
        .unwrap(),
    );
    feed.record(&sim.advance_to(sim.now() + 300 * MS));
    let lines: Vec<String> = feed.lines().map(|l| l.text.en.clone()).collect();
    let delivered: Vec<&String> = lines.iter().filter(|l| l.contains("delivered")).collect();
    assert_eq!(delivered.len(), 1, "{lines:?}");
    assert!(lines
        .iter()
        .any(|l| l.contains("is the established leader of epoch")));
}

#[test]
fn claims_and_breaches_read_in_both_languages() {
    let none = crate::run::narration::Requests::new();
    let c = ZabClaim::Role {
        node: 0,
        role: ZabRole::Following,
        phase: Some(ZabPhase::Synchronization),
    };
    assert_eq!(
        words::claim(&c, Lang::En, &none),
        "S1 is FOLLOWING, in synchronization"
    );
    assert_eq!(
        words::claim(&c, Lang::Zh, &none),
        "S1 为 FOLLOWING，处于同步阶段"
    );
    let b = ZabBreach::EstablishedTwice {
        node: 1,
        epoch: 2,
        first: 0,
    };
    assert_eq!(b.to_string(), "S1 and S2 both established epoch 2");
    assert_eq!(words::breach_zh(&b), "S1 和 S2 都确立了纪元 2");
}

#[test]
fn every_property_has_chinese_and_every_glossary_entry_both_languages() {
    for p in <Zab as quorum_sim::Checked>::PROPERTIES {
        assert_ne!(words::property_zh(p), "安全性", "{p}");
    }
    for e in &glossary::GLOSSARY {
        assert!(!e.definition.0.is_empty() && !e.definition.1.is_empty());
    }
}

#[test]
fn a_new_run_says_to_watch_the_election_then_how_to_send_a_request() {
    let sim = Sim::<Zab>::new(SimConfig::<ZabConfig>::new(3, 42)).unwrap();
    assert!(<Zab as Drawn>::start_hint(&sim, Lang::En)
        .unwrap()
        .contains("LOOKING"));
    let sim = settled(3);
    assert!(<Zab as Drawn>::start_hint(&sim, Lang::En)
        .unwrap()
        .contains("Press C"));
}

/// The checker has seen a scenario's whole script when its first step is
/// shown; the history table's delivered row is what was delivered by the
/// moment shown, not by the run's furthest point.
#[test]
fn the_delivered_row_shows_what_was_delivered_by_the_moment_shown() {
    use crate::run::{Live, Run};
    let packed = crate::registry::packed_scenario("zab-primary-order");
    let mut live = Live::<Zab>::with_scenario(Live::<Zab>::unpack(&packed).unwrap()).unwrap();
    let delivered_here = |live: &Live<Zab>| {
        live.sim()
            .nodes()
            .iter()
            .filter_map(|s| s.up())
            .map(|z| z.delivered)
            .max()
            .unwrap_or(0)
    };
    assert!(!live.checker().safety().delivered().is_empty());
    assert_eq!(delivered_here(&live), 0);
    assert_eq!(
        panel::delivered_shown(live.sim(), live.checker().safety()),
        vec![]
    );
    live.advance_to(live.now() + 5_000 * MS);
    let shown = panel::delivered_shown(live.sim(), live.checker().safety());
    assert!(!shown.is_empty());
    assert!(shown.len() >= delivered_here(&live), "{shown:?}");
}

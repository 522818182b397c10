//! VR on the page: its glyphs by status, its inspector's variables under the
//! paper's names, its messages' fields, its feed and its claims.

use super::*;
use crate::feed::Feed;
use quorum_sim::kv::KvOp;
use quorum_sim::vr::VrClaim;
use quorum_sim::{Command, MS};

fn started(nodes: usize) -> Sim<Vr> {
    let mut sim = Sim::<Vr>::new(SimConfig::<VrConfig>::new(nodes, 42)).unwrap();
    sim.advance_to(10 * MS);
    sim
}

fn keys(sim: &Sim<Vr>, id: NodeId) -> Vec<&'static str> {
    let (_, sections) = <Vr as Drawn>::inspect(sim, &sim.nodes()[id], Lang::En);
    sections
        .iter()
        .flat_map(|s| match &s.body {
            SectionBody::Fields(f) => f.iter().map(|f| f.key).collect::<Vec<_>>(),
            _ => vec![],
        })
        .collect()
}

#[test]
fn the_inspector_shows_every_variable_of_section_4_under_the_papers_names() {
    let mut sim = started(3);
    let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    sim.apply(Command::ClientRequest { node: 0, request })
        .unwrap();
    sim.advance_to(sim.now() + 100 * MS);
    let on_primary = keys(&sim, 0);
    for key in [
        "configuration",
        "replica number",
        "view-number",
        "status",
        "op-number",
        "log",
        "commit-number",
        "client-table",
        "v′",
    ] {
        assert!(on_primary.contains(&key), "{key} in {on_primary:?}");
    }
    let (_, sections) = <Vr as Drawn>::inspect(&sim, &sim.nodes()[0], Lang::En);
    assert!(
        sections
            .iter()
            .any(|s| matches!(s.body, SectionBody::Table(_))),
        "the primary's PREPAREOKs per backup"
    );
    let field = |key| {
        sections
            .iter()
            .find_map(|s| match &s.body {
                SectionBody::Fields(f) => f.iter().find(|f| f.key == key).map(Field::text),
                _ => None,
            })
            .unwrap()
    };
    assert_eq!(field("view-number"), "0");
    assert_eq!(field("status"), "normal");
    assert_eq!(field("log"), "1: x←1");
    assert_eq!(field("commit-number"), "1");
}

#[test]
fn a_crashed_replica_says_it_keeps_nothing_on_disk_and_a_restart_is_a_recovery() {
    let mut sim = started(3);
    sim.apply(Command::Crash { node: 2 }).unwrap();
    let (note, sections) = <Vr as Drawn>::inspect(&sim, &sim.nodes()[2], Lang::En);
    assert!(note.unwrap().contains("keeps nothing on disk"));
    assert_eq!(sections.len(), 1);
    let g = <Vr as Drawn>::server(&sim, &sim.nodes()[2], Lang::En);
    assert!(g.crashed && g.detail == ["nothing on disk"]);
    let facts = <Vr as Drawn>::facts(&sim, &sim.nodes()[2], Lang::Zh);
    assert!(facts.iter().any(|(_, v)| v.contains("RECOVERY")));
    // Restarted, it is recovering, and the feed says what that means.
    let mut feed = Feed::<Vr>::default();
    feed.record(&sim.apply(Command::Restart { node: 2 }).unwrap());
    let g = <Vr as Drawn>::server(&sim, &sim.nodes()[2], Lang::En);
    assert_eq!((g.role, g.role_text.as_str()), ("recovering", "recovering"));
    let lines: Vec<String> = feed.lines().map(|l| l.text.en.clone()).collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("restarted with nothing") && l.contains("RECOVERY with nonce")),
        "{lines:?}"
    );
    assert!(keys(&sim, 2).contains(&"x"), "its nonce");
    sim.advance_to(sim.now() + 200 * MS);
    let g = <Vr as Drawn>::server(&sim, &sim.nodes()[2], Lang::En);
    assert_eq!(g.role, "backup");
}

#[test]
fn the_ring_shows_the_status_primary_crowned_view_change_dashed() {
    let mut sim = started(3);
    let g = <Vr as Drawn>::server(&sim, &sim.nodes()[0], Lang::En);
    assert_eq!((g.role, g.emphasis), ("primary", Emphasis::Leads));
    assert_eq!(g.caption, "view");
    let g = <Vr as Drawn>::server(&sim, &sim.nodes()[1], Lang::Zh);
    assert_eq!((g.role, g.role_text.as_str()), ("backup", "备份副本"));
    sim.apply(Command::Crash { node: 0 }).unwrap();
    let mut changed = false;
    let until = sim.now() + 1_000 * MS;
    while sim.now() < until && sim.step().is_some() {
        let g = <Vr as Drawn>::server(&sim, &sim.nodes()[1], Lang::En);
        if g.role == "view-change" {
            assert_eq!(g.emphasis, Emphasis::Campaigns);
            assert!(
                g.votes.is_some(),
                "S2 is view 1's primary and counts DOVIEWCHANGEs"
            );
            changed = true;
        }
    }
    assert!(changed, "S2 went through a view change");
    assert_eq!(<Vr as Drawn>::leader(&sim), Some(1));
    let g = <Vr as Drawn>::server(&sim, &sim.nodes()[1], Lang::En);
    assert_eq!((g.role, g.number.as_str()), ("primary", "1"));
}

#[test]
fn every_message_is_drawn_as_the_legend_says_with_the_papers_fields() {
    let mut sim = started(3);
    let legend = <Vr as Drawn>::legend(Lang::En);
    let mut kinds = std::collections::BTreeSet::new();
    let mut check = |sim: &Sim<Vr>| {
        for env in sim.in_flight() {
            let g = <Vr as Drawn>::message(env, Lang::En);
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
            let fields = <Vr as Drawn>::message_fields(&env.payload, Lang::En);
            let keys: Vec<&str> = fields.iter().map(|f| f.key).collect();
            let want: &[&str] = match g.kind_text {
                "PREPARE" => &["v", "m", "n", "k"],
                "PREPAREOK" => &["v", "n"],
                "COMMIT" => &["v", "k"],
                "STARTVIEWCHANGE" => &["v"],
                "DOVIEWCHANGE" => &["v", "l", "v′", "n", "k"],
                "STARTVIEW" => &["v", "l", "n", "k"],
                "RECOVERY" => &["x"],
                "REQUEST" => &["op", "c", "s"],
                _ => continue,
            };
            assert_eq!(keys, want, "{}", g.kind_text);
        }
    };
    for _ in 0..3 {
        let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
        sim.apply(Command::ClientRequest { node: 1, request })
            .unwrap();
        check(&sim);
        for _ in 0..40 {
            sim.step();
            check(&sim);
        }
    }
    sim.apply(Command::Crash { node: 0 }).unwrap();
    sim.apply(Command::Restart { node: 0 }).unwrap();
    sim.apply(Command::Crash { node: 0 }).unwrap();
    let until = sim.now() + 800 * MS;
    while sim.now() < until && sim.step().is_some() {
        check(&sim);
    }
    sim.apply(Command::Restart { node: 0 }).unwrap();
    let until = sim.now() + 300 * MS;
    while sim.now() < until && sim.step().is_some() {
        check(&sim);
    }
    for kind in [
        "REQUEST",
        "PREPARE",
        "PREPAREOK",
        "COMMIT",
        "STARTVIEWCHANGE",
        "DOVIEWCHANGE",
        "STARTVIEW",
        "RECOVERY",
        "RECOVERYRESPONSE",
    ] {
        assert!(kinds.contains(kind), "{kind} seen in {kinds:?}");
    }
}

#[test]
fn a_commit_is_one_line_from_the_primary_not_one_per_backup() {
    let mut sim = Sim::<Vr>::new(SimConfig::<VrConfig>::new(5, 42)).unwrap();
    let mut feed = Feed::<Vr>::default();
    feed.record(&sim.advance_to(10 * MS));
    let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    feed.record(
        &sim.apply(Command::ClientRequest { node: 0, request })
            .unwrap(),
    );
    feed.record(&sim.advance_to(300 * MS));
    let lines: Vec<String> = feed.lines().map(|l| l.text.en.clone()).collect();
    let committed: Vec<&String> = lines.iter().filter(|l| l.contains("committed")).collect();
    assert_eq!(committed.len(), 1, "{lines:?}");
    assert!(committed[0].starts_with("S1 committed op 1 (x←1)"));
    assert!(lines
        .iter()
        .any(|l| l.contains("assigned op-number 1 to x←1 and sent PREPARE")));
    let zh: Vec<String> = feed.lines().map(|l| l.text.zh.clone()).collect();
    assert!(
        zh.iter().any(|l| l.starts_with("S1 提交了操作 1（x←1）")),
        "{zh:?}"
    );
}

#[test]
fn claims_read_in_both_languages() {
    let none = crate::run::narration::Requests::new();
    let c = VrClaim::Status {
        node: 0,
        status: Status::ViewChange,
        view: Some(1),
    };
    assert_eq!(
        words::claim(&c, Lang::En, &none),
        "S1's status is view-change, in view 1"
    );
    assert_eq!(
        words::claim(&c, Lang::Zh, &none),
        "S1 处于视图 1，状态为视图变更"
    );
    let c = VrClaim::Log {
        node: 2,
        requests: vec![],
    };
    assert_eq!(words::claim(&c, Lang::En, &none), "S3's log is empty");
}

#[test]
fn every_property_has_chinese_and_every_glossary_entry_both_languages() {
    for p in <Vr as quorum_sim::Checked>::PROPERTIES {
        assert_ne!(words::property_zh(p), "安全性", "{p}");
    }
    for e in &glossary::GLOSSARY {
        assert!(!e.definition.0.is_empty() && !e.definition.1.is_empty());
    }
}

#[test]
fn a_new_run_says_how_to_prepare_the_first_operation() {
    let mut sim = started(3);
    assert!(<Vr as Drawn>::start_hint(&sim, Lang::En)
        .unwrap()
        .contains("Press C"));
    let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    sim.apply(Command::ClientRequest { node: 0, request })
        .unwrap();
    assert_eq!(<Vr as Drawn>::start_hint(&sim, Lang::En), None);
}

#[test]
fn the_literal_state_transfer_scenario_breaks_its_property_worded_in_chinese() {
    let packed = crate::registry::packed_scenario("vr-literal-state-transfer");
    let mut run = <PageOf<Vr> as crate::run::Page>::scenario(&PAGE, &packed).unwrap();
    run.advance_to(600 * MS);
    let zh = run
        .safety(Lang::Zh)
        .violation
        .expect("the checker reports the loss");
    assert!(
        zh.starts_with("在 ")
            && zh.contains(" 违反了性质“已提交的操作出现在此后每个主副本的日志中”：")
            && zh.ends_with("S3 成为视图 2 的主副本，但其日志中没有已提交的操作 1（x+=1）"),
        "{zh}"
    );
    let en = run.safety(Lang::En).violation.unwrap();
    assert!(
        en.ends_with("S3 became primary of view 2 without op 1 (x+=1), which was committed"),
        "{en}"
    );
}

/// The checker has seen a scenario's whole script when its first step is
/// shown; the log table's committed row is what was committed by the
/// moment shown, so at the start, with every log empty, it is empty.
#[test]
fn the_committed_row_shows_what_was_committed_by_the_moment_shown() {
    use crate::run::{Live, Run};
    let packed = crate::registry::packed_scenario("vr-partitioned-primary");
    let mut live = Live::<Vr>::with_scenario(Live::<Vr>::unpack(&packed).unwrap()).unwrap();
    assert!(live
        .sim()
        .nodes()
        .iter()
        .all(|s| s.up().is_none_or(|r| r.log.is_empty())));
    let safety = live.checker().safety();
    assert!(
        !safety.committed().is_empty(),
        "the checker has seen operations committed later in the script"
    );
    assert_eq!(
        panel::committed_shown(live.sim(), safety),
        Vec::<String>::new()
    );
    // Later, what the replicas committed appears, in op-number order.
    live.advance_to(live.now() + 5_000 * MS);
    let shown = panel::committed_shown(live.sim(), live.checker().safety());
    let longest = live
        .sim()
        .nodes()
        .iter()
        .filter_map(|s| s.up())
        .max_by_key(|r| r.commit_number)
        .unwrap();
    let known: Vec<String> = longest
        .log
        .iter()
        .take(longest.commit_number as usize)
        .map(|q| q.op.to_string())
        .collect();
    assert!(
        !shown.is_empty() && shown.starts_with(&known),
        "{shown:?} {known:?}"
    );
}

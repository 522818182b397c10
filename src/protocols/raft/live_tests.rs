//! What the page shows of a run's safety and feed after acting in the past:
//! exactly what watching the forked run from its start would show (the
//! generic `Live`, run here with Raft).

use crate::feed::FeedLine;
use crate::i18n::Lang;
use crate::run::live::{Live, Watch};
use crate::run::Run;
use quorum_sim::kv::KvOp;
use quorum_sim::raft::Raft;
use quorum_sim::rng::SimRng;
use quorum_sim::scenario::ScenarioOf;
use quorum_sim::timeline::Observer;
use quorum_sim::{Command, Sim, SimConfig};
use quorum_sim::{RecordedCommand, MS};

/// A `Watch` that saw the run `commands` make from its start, up to `events`
/// processed and every one of `commands` applied.
fn watched_from_the_start(
    config: SimConfig<<Raft as quorum_sim::Protocol>::Config>,
    commands: &[RecordedCommand],
    events: u64,
) -> Watch<Raft> {
    let mut sim = Sim::<Raft>::new(config).unwrap();
    let mut watch = Watch::<Raft>::default();
    watch.observe(&sim, &[]);
    for c in commands {
        while sim.events_processed() < c.after_events {
            let e = sim.step().unwrap();
            watch.observe(&sim, &e);
        }
        let e = sim.replay_one(c).unwrap();
        watch.observe(&sim, &e);
    }
    while sim.events_processed() < events {
        let e = sim.step().unwrap();
        watch.observe(&sim, &e);
    }
    watch
}

/// The live run's checker and feed are those of watching it from its start
/// to its furthest point; the feed shown is the one seen at the moment shown.
fn assert_watched_from_the_start(live: &Live<Raft>, context: &str) {
    let t = live.timeline();
    let want = watched_from_the_start(t.config().clone(), t.recording(), t.end_events());
    let got = t.observer();
    assert!(got.feed == want.feed, "{context}: the feed");
    assert_eq!(
        format!("{:?}", got.checker),
        format!("{:?}", want.checker),
        "{context}: the checker"
    );
    assert_eq!(
        live.safety(Lang::En).checked,
        want.checker.events_checked(),
        "{context}"
    );
    assert_eq!(live.violation(), want.checker.violation(), "{context}");
    let shown: Vec<FeedLine> = live.feed_lines().cloned().collect();
    let then: Vec<FeedLine> = want.feed.lines_at(live.sim().position()).cloned().collect();
    assert_eq!(shown, then, "{context}: the feed shown");
}

/// Half a minute of a busy cluster (several snapshots of the timeline).
fn busy(seed: u64) -> Live<Raft> {
    let mut live = Live::<Raft>::new(SimConfig::new(5, seed)).unwrap();
    for tick in 1..=120u64 {
        live.advance_to(tick * 250 * MS);
        if let Some(node) = live.leader() {
            let request = live.sim().new_request(KvOp::Set {
                key: 'x',
                value: tick as u32,
            });
            live.apply(Command::ClientRequest { node, request })
                .unwrap();
            if tick % 40 == 0 {
                live.apply(Command::Crash { node }).unwrap();
            }
        }
        if tick % 40 == 8 {
            for node in live.crashed() {
                live.apply(Command::Restart { node }).unwrap();
            }
        }
    }
    assert!(live.timeline().snapshot_count() >= 3);
    live
}

#[test]
fn after_a_fork_the_safety_and_the_feed_are_those_of_the_forked_run_watched_from_its_start() {
    for seed in 1..=4u64 {
        let mut live = busy(seed);
        let mut rng = SimRng::from_seed(seed);
        for fork in 0..3 {
            let context = format!("seed {seed}, fork {fork}");
            live.seek(rng.range_inclusive(0, live.end().1));
            assert!(live.in_past());
            // The feed shown for a past moment is the one seen then.
            assert_watched_from_the_start(&live, &format!("{context}, in the past"));
            let node = rng.range_inclusive(0, 4) as usize;
            let command = if live.crashed().contains(&node) {
                Command::Restart { node }
            } else {
                Command::Crash { node }
            };
            live.apply(command).unwrap();
            assert!(!live.in_past());
            assert_watched_from_the_start(&live, &context);
            live.advance_to(live.now() + 3_000 * MS);
            assert_watched_from_the_start(&live, &format!("{context}, played on"));
        }
    }
}

#[test]
fn a_shared_run_opens_at_its_moment_with_its_whole_recording_watched() {
    let mut live = busy(9);
    live.seek(live.end().1 / 2);
    let moment = (live.events(), live.now());
    let link = quorum_sim::share::encode(&live.shared_run());
    let opened = Live::<Raft>::from_shared(&link, None).unwrap();
    assert_eq!((opened.events(), opened.now()), moment);
    assert_eq!(opened.trace_hash(), live.trace_hash());
    assert_watched_from_the_start(&opened, "a shared run");
    assert_eq!(
        opened.safety(Lang::En).checked,
        live.safety(Lang::En).checked,
        "checked up to the end of its recording, as the run it came from"
    );
}

#[test]
fn a_long_run_shared_at_an_early_moment_opens_with_the_feed_of_that_moment() {
    // Thousands of lines after the moment: the run is watched whole when it
    // opens, so they are written before the moment is shown.
    let mut live = Live::<Raft>::new(SimConfig::new(5, 4)).unwrap();
    for tick in 1..=1_200u64 {
        live.advance_to(tick * 100 * MS);
        if let Some(node) = live.leader() {
            let request = live.sim().new_request(KvOp::Set {
                key: 'x',
                value: tick as u32,
            });
            live.apply(Command::ClientRequest { node, request })
                .unwrap();
        }
    }
    assert!(
        live.timeline()
            .observer()
            .feed
            .lines_at((u64::MAX, usize::MAX))
            .count()
            > 0
    );
    live.seek(2_000 * MS);
    let then: Vec<FeedLine> = live.feed_lines().cloned().collect();
    assert_eq!(
        then.len(),
        crate::feed::FEED_LINES,
        "the feed of the moment"
    );
    assert!(then.iter().all(|l| l.time <= live.now()));
    let link = quorum_sim::share::encode(&live.shared_run());
    let opened = Live::<Raft>::from_shared(&link, None).unwrap();
    let shown: Vec<FeedLine> = opened.feed_lines().cloned().collect();
    assert_eq!(
        shown.iter().map(|l| (&l.text, l.time)).collect::<Vec<_>>(),
        then.iter().map(|l| (&l.text, l.time)).collect::<Vec<_>>(),
        "opened, it shows what was seen at that moment"
    );
    assert_watched_from_the_start(&opened, "a long shared run");
}

#[test]
fn a_scenario_opens_at_its_first_step_with_its_whole_script_checked() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/sim/scenarios/raft/raft-leader-crash.json"
    );
    let json = std::fs::read_to_string(path).unwrap();
    let scenario: ScenarioOf<Raft> = serde_json::from_str(&json).unwrap();
    let first = scenario.steps[0].at;
    let live = Live::<Raft>::with_scenario(scenario).unwrap();
    assert_eq!(live.now(), first);
    let script = live.timeline().recording();
    assert!(!script.is_empty());
    // The whole script is recorded, but the page's end of the run is the
    // moment shown: the script ahead is the scenario going on, not a past.
    assert_eq!(
        live.timeline().end_events(),
        script.last().unwrap().after_events
    );
    assert_eq!(live.end(), (live.events(), live.now()));
    assert!(!live.in_past());
    assert_watched_from_the_start(&live, "a scenario");
}

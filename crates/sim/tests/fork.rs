//! Acting in the past: what watches a timeline's run (a safety checker, a
//! feed) is, after a fork, exactly what it would be had it watched the forked
//! run from its start; and it sees every state of a run once, in order.

use quorum_sim::chunked::ChunkedVec;
use quorum_sim::kv::KvOp;
use quorum_sim::raft::{Raft, Role};
use quorum_sim::rng::SimRng;
use quorum_sim::{
    Checker, Command, EventOf, NodeStatus, Observer, RecordedCommand, Sim, SimConfig, Time,
    Timeline, MS,
};

/// Every state an observer was shown: (events processed, commands applied,
/// trace hash, number of events that led to it).
type Seen = (u64, usize, u64, usize);

/// A safety checker and a journal of the states it was shown.
#[derive(Clone, Default)]
struct Watch {
    checker: Checker<Raft>,
    journal: ChunkedVec<Seen>,
}

impl Observer<Raft> for Watch {
    fn observe(&mut self, sim: &Sim<Raft>, events: &[EventOf<Raft>]) {
        Observer::observe(&mut self.checker, sim, events);
        self.journal.push((
            sim.events_processed(),
            sim.commands().len(),
            sim.trace_hash(),
            events.len(),
        ));
    }
}

/// What `Watch` is after watching, from its start, the run that `commands`
/// make, up to `events` processed and every one of `commands` applied.
fn watched_from_the_start(
    config: SimConfig<quorum_sim::raft::RaftConfig>,
    commands: &[RecordedCommand],
    events: u64,
) -> Watch {
    let mut sim = Sim::<Raft>::new(config).unwrap();
    let mut watch = Watch::default();
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

/// The timeline's observer is what watching its run from the start to the
/// run's furthest point gives.
fn assert_watched_from_the_start(t: &Timeline<Raft, Watch>, context: &str) {
    let want = watched_from_the_start(t.config().clone(), t.recording(), t.end_events());
    let got = t.observer();
    assert_eq!(got.journal, want.journal, "{context}: the states seen");
    assert_eq!(
        format!("{:?}", got.checker),
        format!("{:?}", want.checker),
        "{context}: the checker"
    );
    assert_eq!(
        got.checker.events_checked(),
        want.checker.events_checked(),
        "{context}"
    );
    assert_eq!(
        got.checker.violation(),
        want.checker.violation(),
        "{context}"
    );
}

fn leader(sim: &Sim<Raft>) -> Option<usize> {
    sim.nodes()
        .iter()
        .filter_map(|s| s.up())
        .find(|r| r.role == Role::Leader)
        .map(|r| r.id)
}

/// A user's command at the moment shown: a request to whoever is up, or a
/// crash or restart.
fn some_command(sim: &Sim<Raft>, rng: &mut SimRng) -> Command {
    let node = rng.range_inclusive(0, sim.nodes().len() as u64 - 1) as usize;
    let up = sim.nodes()[node].status() == NodeStatus::Up;
    match rng.range_inclusive(0, 3) {
        0 if up => Command::Crash { node },
        0 => Command::Restart { node },
        _ => Command::ClientRequest {
            node: leader(sim).unwrap_or(node),
            request: sim.new_request(KvOp::Add { key: 'x', by: 1 }),
        },
    }
}

/// A few seconds of a busy cluster: requests to the leader, a crash and a restart.
fn busy(seed: u64, snapshot_every: u64) -> Timeline<Raft, Watch> {
    let mut t = Timeline::<Raft, Watch>::new(SimConfig::new(5, seed), snapshot_every).unwrap();
    let mut crashed = None;
    for tick in 1..=90u64 {
        t.advance_to(tick * 50 * MS + seed % 7);
        if let Some(node) = leader(t.sim()) {
            let request = t.sim().new_request(KvOp::Set {
                key: 'x',
                value: tick as u32,
            });
            t.apply(Command::ClientRequest { node, request }).unwrap();
            if tick % 25 == 0 {
                t.apply(Command::Crash { node }).unwrap();
                crashed = Some(node);
            }
        }
        if tick % 25 == 10 {
            if let Some(node) = crashed.take() {
                t.apply(Command::Restart { node }).unwrap();
            }
        }
    }
    t
}

#[test]
fn a_fork_at_a_random_moment_leaves_the_observer_as_watching_the_forked_run_from_its_start() {
    for seed in 1..=12u64 {
        let mut t = busy(seed, 97);
        assert!(t.snapshot_count() > 5, "the run spans several snapshots");
        let mut rng = SimRng::from_seed(seed);
        for fork in 0..4 {
            let context = format!("seed {seed}, fork {fork}");
            let to = rng.range_inclusive(0, t.end_time());
            if rng.range_inclusive(0, 1) == 0 {
                t.seek(to);
            } else {
                t.seek_event(rng.range_inclusive(0, t.end_events()));
            }
            let command = some_command(t.sim(), &mut rng);
            if t.apply(command).is_err() {
                continue;
            }
            assert!(!t.in_past());
            assert_watched_from_the_start(&t, &context);
            // The forked run goes on, watched as it goes.
            let on = t.sim().now() + rng.range_inclusive(0, 400) * MS;
            t.advance_to(on);
            assert_watched_from_the_start(&t, &format!("{context}, played on"));
        }
    }
}

#[test]
fn a_fork_just_before_at_and_after_a_snapshot_is_watched_as_from_the_start() {
    let every = 100;
    let base = busy(5, every);
    for boundary in [every, 3 * every, 7 * every] {
        for n in [boundary - 1, boundary, boundary + 1] {
            let mut t = base.clone();
            t.seek_event(n);
            assert_eq!(t.sim().events_processed(), n);
            let node = leader(t.sim()).unwrap_or(0);
            t.apply(Command::Timeout { node })
                .or_else(|_| t.apply(Command::Restart { node }))
                .or_else(|_| t.apply(Command::Crash { node }))
                .unwrap();
            assert_watched_from_the_start(&t, &format!("fork after event {n}"));
        }
    }
}

#[test]
fn a_fork_at_the_start_and_a_command_at_the_end_are_watched_as_from_the_start() {
    let mut t = busy(3, 100);
    // At the end nothing is discarded: the command extends the run.
    t.seek(t.end_time());
    let commands = t.recording().len();
    t.apply(Command::Crash { node: 2 }).unwrap();
    assert_eq!(t.recording().len(), commands + 1);
    assert_watched_from_the_start(&t, "a command at the end");
    // At event 0, before any command: a run of one command.
    t.seek_event(0);
    assert!(t.in_past());
    t.apply(Command::Crash { node: 4 }).unwrap();
    assert_eq!(t.recording().len(), 1);
    assert_watched_from_the_start(&t, "a fork at event 0");
    assert_eq!(t.observer().journal.len(), 2, "the start, then the crash");
}

#[test]
fn a_fork_between_commands_given_after_the_same_event_keeps_only_those_before_it() {
    let mut t = Timeline::<Raft, Watch>::new(SimConfig::new(3, 1), 50).unwrap();
    t.advance_to(10 * MS);
    let n = t.sim().events_processed();
    // No event between 10 and 40 ms: three commands after the same event.
    assert!(t.sim().next_event_time().unwrap() > 40 * MS);
    for (at, node) in [(20 * MS, 0), (30 * MS, 1), (40 * MS, 2)] {
        t.advance_to(at);
        t.apply(Command::Crash { node }).unwrap();
    }
    t.advance_to(2_000 * MS);
    t.seek(30 * MS);
    assert_eq!(
        (t.sim().events_processed(), t.sim().commands().len()),
        (n, 2)
    );
    t.apply(Command::Restart { node: 0 }).unwrap();
    assert_eq!(t.recording().len(), 3, "the third crash is gone");
    assert!(matches!(
        t.recording()[2].command,
        Command::Restart { node: 0 }
    ));
    assert_watched_from_the_start(&t, "between commands after one event");
}

#[test]
fn playing_on_from_the_past_past_the_furthest_point_shows_the_observer_each_state_once() {
    let mut t = busy(8, 100);
    let end = (t.end_events(), t.end_time());
    let before = t.observer().journal.len();
    assert_watched_from_the_start(&t, "the recorded run");
    // Replaying what was seen shows the observer nothing.
    t.seek(end.1 / 3);
    let mut now = t.sim().now();
    while now < end.1 {
        now = (now + 16 * MS).min(end.1);
        t.advance_to(now);
        if now % 3 == 0 && t.sim().events_processed() < end.0 {
            t.step();
        }
    }
    t.seek(end.1 / 2);
    while t.sim().events_processed() < end.0 {
        t.step();
    }
    assert_eq!(t.observer().journal.len(), before);
    // On from the past, beyond the old end: each new state once.
    t.seek(end.1 / 2);
    t.advance_to(end.1 + 1_500 * MS);
    for _ in 0..30 {
        t.step();
    }
    assert!(t.end_events() > end.0);
    assert_watched_from_the_start(&t, "played on past the old end");
    let journal: Vec<Seen> = t.observer().journal.to_vec();
    assert!(
        journal
            .windows(2)
            .all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1)),
        "every state once, in order"
    );
}

#[test]
fn a_recording_is_watched_whole_when_the_timeline_is_rebuilt_from_it() {
    let recorded = busy(4, 100);
    let end: Time = recorded.end_time();
    let t = Timeline::<Raft, Watch>::from_recording(
        recorded.config().clone(),
        recorded.recording().to_vec(),
        100,
    )
    .unwrap();
    assert_eq!(t.sim().events_processed(), 0, "positioned at its start");
    assert_eq!(t.sim().commands().len(), 0);
    assert_eq!(
        t.end_events(),
        recorded.sim().commands().last().unwrap().after_events
    );
    assert!(t.end_time() <= end);
    assert!(t.snapshot_count() > 3, "snapshots were taken on the way");
    assert_watched_from_the_start(&t, "rebuilt from its recording");
    // A fork in the rebuilt run is watched like any other.
    let mut t = t;
    t.seek(end / 2);
    t.apply(Command::Crash { node: 1 })
        .or_else(|_| t.apply(Command::Restart { node: 1 }))
        .unwrap();
    assert_watched_from_the_start(&t, "a fork of the rebuilt run");
}

#[test]
fn a_copy_of_a_long_run_shares_its_recorded_commands() {
    let t = busy(2, 100);
    let copy = t.sim().clone();
    assert!(t.sim().commands().len() > 64);
    assert!(copy.commands().shares_chunks_with(t.sim().commands()));
}

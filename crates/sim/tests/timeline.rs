//! Time travel: any moment of a run can be shown again exactly, from sparse
//! snapshots and the recorded commands.

use quorum_sim::kv::KvOp;
use quorum_sim::raft::{Raft, Role};
use quorum_sim::{Command, Sim, SimConfig, Time, Timeline, MS};

/// A run with commands at awkward moments: between events and right after a step.
fn recorded_run() -> (Timeline<Raft>, Vec<(Time, u64)>) {
    let mut t = Timeline::<Raft>::new(SimConfig::new(5, 31), 200).unwrap();
    let mut hashes = Vec::new();
    let mut value = 0;
    for frame in 1..=400u64 {
        t.advance_to(frame * 7 * MS + 333);
        hashes.push((t.sim().now(), t.sim().trace_hash()));
        if frame % 40 == 0 {
            let leader = t
                .sim()
                .nodes()
                .iter()
                .filter_map(|s| s.up())
                .find(|r| r.role == Role::Leader)
                .map(|r| r.id);
            if let Some(node) = leader {
                value += 1;
                let request = t.sim().new_request(KvOp::Set { key: 'x', value });
                t.apply(Command::ClientRequest { node, request }).unwrap();
                if frame == 120 {
                    t.apply(Command::Crash { node }).unwrap();
                }
                // The state at a time includes the commands applied at it.
                hashes.push((t.sim().now(), t.sim().trace_hash()));
            }
            t.step();
            hashes.push((t.sim().now(), t.sim().trace_hash()));
        }
        if frame == 300 {
            for node in 0..5 {
                let _ = t.apply(Command::Restart { node });
            }
            hashes.push((t.sim().now(), t.sim().trace_hash()));
        }
    }
    (t, hashes)
}

#[test]
fn seeking_shows_exactly_the_state_the_run_had_at_that_time() {
    let (mut t, hashes) = recorded_run();
    assert!(t.recording().len() >= 10);
    let end = t.sim().trace_hash();
    // Times that fall between events, visited out of order.
    for (i, (time, _)) in hashes.iter().enumerate().rev().step_by(37) {
        t.seek(*time);
        // The latest state at that time: after the commands applied at it.
        let expected = hashes.iter().rev().find(|(tt, _)| tt == time).unwrap().1;
        assert_eq!(t.sim().trace_hash(), expected, "at entry {i}, time {time}");
        assert!(t.in_past() || i == hashes.len() - 1);
    }
    t.seek(t.end_time());
    assert_eq!(t.sim().trace_hash(), end);
    assert!(!t.in_past());
}

#[test]
fn playing_on_from_the_past_replays_the_recorded_commands() {
    let (mut t, _) = recorded_run();
    let end_time = t.end_time();
    let end_hash = t.sim().trace_hash();
    t.seek(100 * MS);
    let mut now = t.sim().now();
    while now < end_time {
        now = (now + 16 * MS).min(end_time);
        t.advance_to(now);
    }
    assert_eq!(t.sim().trace_hash(), end_hash);
    assert_eq!(t.sim().commands(), t.recording());
}

#[test]
fn the_timeline_matches_a_plain_replay_of_its_recording() {
    let (t, _) = recorded_run();
    let mut plain = Sim::<Raft>::replay(t.sim().config().clone(), t.recording()).unwrap();
    plain.advance_to(t.end_time());
    assert_eq!(plain.trace_hash(), t.sim().trace_hash());
}

#[test]
fn acting_in_the_past_forks_the_run_and_discards_the_old_future() {
    let (mut t, _) = recorded_run();
    let commands_before = t.recording().len();
    t.seek(500 * MS);
    let kept = t.sim().commands().len();
    assert!(kept < commands_before);
    let follower = t
        .sim()
        .nodes()
        .iter()
        .filter_map(|s| s.up())
        .find(|r| r.role != Role::Leader)
        .unwrap()
        .id;
    t.apply(Command::Timeout { node: follower }).unwrap();
    assert_eq!(t.recording().len(), kept + 1, "the old future is gone");
    assert!(!t.in_past());
    assert_eq!(t.end_time(), t.sim().now());
    // The fork is itself a run that replays.
    t.advance_to(t.sim().now() + 2_000 * MS);
    let mut plain = Sim::<Raft>::replay(t.sim().config().clone(), t.recording()).unwrap();
    plain.advance_to(t.sim().now());
    assert_eq!(plain.trace_hash(), t.sim().trace_hash());
    // Seeking within the fork never resurrects a snapshot of the old future.
    let here = t.sim().trace_hash();
    t.seek(600 * MS);
    t.seek(t.end_time());
    assert_eq!(t.sim().trace_hash(), here);
}

#[test]
fn step_back_then_step_returns_to_the_same_state() {
    let (mut t, _) = recorded_run();
    t.seek(1_200 * MS);
    let n = t.sim().events_processed();
    t.step();
    let after = t.sim().trace_hash();
    t.step_back();
    assert_eq!(t.sim().events_processed(), n);
    t.step();
    assert_eq!(t.sim().trace_hash(), after);
}

#[test]
fn snapshots_are_sparse() {
    let (t, _) = recorded_run();
    let events = t.sim().events_processed();
    assert!(t.snapshot_count() as u64 <= events / t.snapshot_every() + 2);
    assert!(t.snapshot_count() >= 2);
}

#[test]
fn a_recording_that_does_not_replay_is_refused() {
    let (t, _) = recorded_run();
    let mut bad = t.recording().to_vec();
    bad[1].after_events = 0;
    assert!(Timeline::<Raft>::from_recording(t.sim().config().clone(), bad, 100).is_err());
    let ok =
        Timeline::<Raft>::from_recording(t.sim().config().clone(), t.recording().to_vec(), 100)
            .unwrap();
    assert_eq!(
        ok.end_time(),
        t.recording().last().unwrap().at.max(ok.end_time())
    );
}

/// A moment written down just before a command that follows the same event
/// (the command's time is later than the moment's) does not include it.
#[test]
fn a_moment_before_a_command_at_the_same_event_count_reopens_without_it() {
    use quorum_sim::raft::Raft;
    use quorum_sim::{Command, SimConfig, Timeline, MS};
    let mut t = Timeline::<Raft>::new(SimConfig::new(3, 1), 2_000).unwrap();
    t.advance_to(10 * MS);
    let before = (
        t.sim().events_processed(),
        t.sim().now(),
        t.sim().trace_hash(),
    );
    // No event between 10 and 20 ms: the crash follows the same event count.
    assert!(t.sim().next_event_time().unwrap() > 20 * MS);
    t.advance_to(20 * MS);
    t.apply(Command::Crash { node: 1 }).unwrap();
    t.advance_to(500 * MS);
    t.seek_moment(before.0, before.1);
    assert_eq!(
        (
            t.sim().events_processed(),
            t.sim().now(),
            t.sim().trace_hash()
        ),
        before
    );
    assert_eq!(t.sim().commands().len(), 0, "the crash comes later");
    // And the moment of the crash itself includes it.
    t.seek_moment(before.0, 20 * MS);
    assert_eq!(t.sim().commands().len(), 1);
}

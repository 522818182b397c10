//! Log compaction and InstallSnapshot, after section 7 of the Raft paper
//! (Figures 12 and 13), behind `RaftConfig::snapshot_threshold`. First one
//! test per rule, driving a single server's handlers; then whole clusters,
//! every event checked against Figure 3: a follower cut off while the leader
//! compacts catches up by InstallSnapshot, and a server restarts from its
//! snapshot. The section or figure is in each test's name.

mod common;

use common::Checked;
use quorum_sim::kv::{ClientRequest, KvOp, KvStore};
use quorum_sim::raft::{
    AppendRefusal, Entry, Log, Message, Raft, RaftConfig, RaftEvent, RaftPersistent, RaftTimer,
    Role, Snapshot, SnapshotRefusal,
};
use quorum_sim::rng::SimRng;
use quorum_sim::sim::{EventOf, SimEvent};
use quorum_sim::{Command, Ctx, Protocol, SimConfig, MS};

const N: usize = 5;

fn with_threshold(threshold: u64) -> RaftConfig {
    RaftConfig {
        snapshot_threshold: Some(threshold),
        ..RaftConfig::default()
    }
}

fn req(id: u64) -> ClientRequest {
    ClientRequest {
        id,
        op: KvOp::Set {
            key: 'x',
            value: id as u32,
        },
    }
}

fn entry(term: u64, id: u64) -> Entry {
    Entry {
        term,
        request: req(id),
    }
}

fn log_of(terms: &[u64]) -> Log {
    let mut log = Log::default();
    for (i, t) in terms.iter().enumerate() {
        log.append(entry(*t, i as u64 + 1));
    }
    log
}

/// The state machine after requests `1..=index` of [`log_of`].
fn state_through(index: u64) -> KvStore {
    let mut kv = KvStore::default();
    for id in 1..=index {
        kv.apply(&req(id));
    }
    kv
}

/// A log of `terms` whose entries through `index` are compacted.
fn compacted(terms: &[u64], index: u64) -> Log {
    let mut log = log_of(terms);
    log.compact(index, state_through(index));
    log
}

fn server_with_log(id: usize, term: u64, log: Log, config: &RaftConfig, rng: &mut SimRng) -> Raft {
    let persisted = RaftPersistent {
        current_term: term,
        voted_for: None,
        log,
    };
    Raft::start(id, N, config, Some(persisted), &mut Ctx::new(0, id, rng))
}

fn server(id: usize, term: u64, terms: &[u64], config: &RaftConfig, rng: &mut SimRng) -> Raft {
    server_with_log(id, term, log_of(terms), config, rng)
}

type Output = (Vec<(usize, Message)>, Vec<RaftEvent>);

fn run(node: &mut Raft, rng: &mut SimRng, f: impl FnOnce(&mut Raft, &mut Ctx<Raft>)) -> Output {
    let mut ctx = Ctx::new(1_000, node.id, rng);
    f(node, &mut ctx);
    (ctx.outbox().to_vec(), ctx.events().to_vec())
}

fn deliver(node: &mut Raft, rng: &mut SimRng, from: usize, msg: Message) -> Output {
    run(node, rng, |n, c| n.on_message(from, msg, c))
}

fn append(term: u64, prev: (u64, u64), entries: Vec<Entry>, leader_commit: u64) -> Message {
    Message::AppendEntries {
        term,
        leader_id: 0,
        prev_log_index: prev.0,
        prev_log_term: prev.1,
        entries,
        leader_commit,
    }
}

fn install(term: u64, last_included: (u64, u64)) -> Message {
    Message::InstallSnapshot {
        term,
        leader_id: 0,
        last_included_index: last_included.0,
        last_included_term: last_included.1,
        data: state_through(last_included.0),
    }
}

fn terms_held(log: &Log) -> Vec<(u64, u64)> {
    log.iter().map(|(i, e)| (i, e.term)).collect()
}

/// S1 made leader of `term + 1` with votes from S2 and S3.
fn elect(node: &mut Raft, rng: &mut SimRng) {
    run(node, rng, |n, c| n.on_timer(RaftTimer::Election, c));
    let term = node.current_term;
    for peer in [1, 2] {
        deliver(
            node,
            rng,
            peer,
            Message::RequestVoteReply {
                term,
                vote_granted: true,
            },
        );
    }
    assert_eq!(node.role, Role::Leader);
}

fn acked(node: &mut Raft, rng: &mut SimRng, from: usize, through: u64) -> Output {
    let term = node.current_term;
    deliver(
        node,
        rng,
        from,
        Message::AppendEntriesReply {
            term,
            success: true,
            prev_log_index: 0,
            entry_count: through,
        },
    )
}

// ---- Taking a snapshot (section 7, Figure 12) ----

#[test]
fn section_7_a_server_snapshots_once_its_applied_entries_reach_the_threshold() {
    let mut rng = SimRng::from_seed(1);
    let mut s = server(1, 1, &[1, 1, 1, 1, 1], &with_threshold(3), &mut rng);
    let (_, events) = deliver(&mut s, &mut rng, 0, append(1, (5, 1), vec![], 5));
    let taken: Vec<&RaftEvent> = events
        .iter()
        .filter(|e| matches!(e, RaftEvent::SnapshotTaken { .. }))
        .collect();
    assert_eq!(
        taken,
        [&RaftEvent::SnapshotTaken {
            last_included_index: 3,
            last_included_term: 1
        }],
        "one snapshot, after the third entry applied; two more since are below the threshold"
    );
    assert_eq!(s.last_applied, 5);
}

#[test]
fn section_7_the_compacted_prefix_is_gone_and_the_first_index_moves_past_it() {
    let mut rng = SimRng::from_seed(2);
    let mut s = server(1, 2, &[1, 1, 2, 2, 2], &with_threshold(3), &mut rng);
    deliver(&mut s, &mut rng, 0, append(2, (5, 2), vec![], 4));
    assert_eq!(
        s.log.prefix(),
        (3, 2),
        "lastIncludedIndex and lastIncludedTerm"
    );
    assert_eq!((s.log.first_index(), s.log.last_index()), (4, 5));
    assert_eq!(
        terms_held(&s.log),
        [(4, 2), (5, 2)],
        "only what follows is held"
    );
    for index in 1..=3 {
        assert_eq!(s.log.entry(index), None, "entry {index} is discarded");
    }
    assert_eq!(s.log.term_at(3), Some(2), "the boundary keeps its term");
    assert_eq!(s.log.term_at(2), None);
}

#[test]
fn section_7_the_snapshot_holds_the_state_machine_through_its_last_included_index() {
    let mut rng = SimRng::from_seed(3);
    let mut s = server(1, 1, &[1, 1, 1, 1], &with_threshold(2), &mut rng);
    deliver(&mut s, &mut rng, 0, append(1, (4, 1), vec![], 3));
    let snapshot = s.log.snapshot().expect("a snapshot at 2");
    assert_eq!(snapshot.last_included_index, 2);
    assert_eq!(
        snapshot.state,
        state_through(2),
        "x = 2, requests 1 and 2 applied"
    );
    assert_eq!(
        s.kv,
        state_through(3),
        "the state machine itself went on to 3"
    );
}

#[test]
fn section_7_without_the_switch_nothing_is_compacted() {
    let mut rng = SimRng::from_seed(4);
    let mut s = server(1, 1, &[1; 8], &RaftConfig::default(), &mut rng);
    let (_, events) = deliver(&mut s, &mut rng, 0, append(1, (8, 1), vec![], 8));
    assert!(!events
        .iter()
        .any(|e| matches!(e, RaftEvent::SnapshotTaken { .. })));
    assert_eq!((s.log.first_index(), s.log.snapshot()), (1, None));
}

#[test]
fn section_7_a_leader_snapshots_its_own_committed_entries_and_keeps_leading() {
    let mut rng = SimRng::from_seed(5);
    let mut s = server(0, 1, &[1, 1, 1], &with_threshold(2), &mut rng);
    elect(&mut s, &mut rng);
    run(&mut s, &mut rng, |n, c| n.on_client_request(req(4), c));
    acked(&mut s, &mut rng, 1, 4);
    let (_, events) = acked(&mut s, &mut rng, 2, 4);
    assert_eq!(s.commit_index, 4);
    assert!(events.contains(&RaftEvent::SnapshotTaken {
        last_included_index: 4,
        last_included_term: 2
    }));
    assert_eq!(s.role, Role::Leader);
    assert_eq!(s.log.first_index(), 5);
}

// ---- InstallSnapshot, the leader's side (Figure 13) ----

/// A leader of term 2 whose log is compacted through 4 (term 1) after
/// committing entry 5 with S2 and S3.
fn compacted_leader(rng: &mut SimRng) -> Raft {
    let mut s = server(0, 1, &[1, 1, 1, 1], &with_threshold(4), rng);
    elect(&mut s, rng);
    run(&mut s, rng, |n, c| n.on_client_request(req(5), c));
    acked(&mut s, rng, 1, 5);
    acked(&mut s, rng, 2, 5);
    assert_eq!(s.log.prefix(), (4, 1));
    s
}

#[test]
fn fig13_a_leader_sends_install_snapshot_to_a_follower_behind_its_first_index() {
    let mut rng = SimRng::from_seed(6);
    let mut s = compacted_leader(&mut rng);
    // S4's consistency check failed for the entries after 4: nextIndex 4,
    // which the leader has compacted.
    let term = s.current_term;
    let (sent, _) = deliver(
        &mut s,
        &mut rng,
        3,
        Message::AppendEntriesReply {
            term,
            success: false,
            prev_log_index: 4,
            entry_count: 0,
        },
    );
    assert_eq!(
        sent,
        [(
            3,
            Message::InstallSnapshot {
                term: 2,
                leader_id: 0,
                last_included_index: 4,
                last_included_term: 1,
                data: state_through(4),
            }
        )],
        "term, leaderId, lastIncludedIndex, lastIncludedTerm and the data, whole"
    );
}

#[test]
fn fig13_a_follower_at_the_leaders_first_index_gets_append_entries_at_the_boundary() {
    let mut rng = SimRng::from_seed(7);
    let mut s = compacted_leader(&mut rng);
    // S4 is still probed from nextIndex 5, the first entry the leader holds.
    assert_eq!(s.progress[&3].next_index, 5);
    let (sent, _) = run(&mut s, &mut rng, |n, c| n.on_timer(RaftTimer::Heartbeat, c));
    let to_s4: Vec<_> = sent.into_iter().filter(|(to, _)| *to == 3).collect();
    assert_eq!(
        to_s4,
        [(
            3,
            Message::AppendEntries {
                term: 2,
                leader_id: 0,
                prev_log_index: 4,
                prev_log_term: 1,
                entries: vec![entry(2, 5)],
                leader_commit: 5,
            }
        )],
        "prevLogTerm at lastIncludedIndex is lastIncludedTerm"
    );
}

#[test]
fn fig13_the_reply_moves_the_followers_match_index_to_the_snapshot_and_replication_goes_on() {
    let mut rng = SimRng::from_seed(8);
    let mut s = compacted_leader(&mut rng);
    let term = s.current_term;
    let (sent, _) = deliver(
        &mut s,
        &mut rng,
        3,
        Message::InstallSnapshotReply {
            term,
            last_included_index: 4,
        },
    );
    assert_eq!(s.progress[&3].match_index, 4);
    assert_eq!(sent, [(3, append(2, (4, 1), vec![entry(2, 5)], 5))]);
    assert_eq!(
        s.progress[&3].next_index, 6,
        "replicating: past what was sent"
    );
    // A reply of an older term is not the leader's to count.
    let before = s.progress[&4];
    deliver(
        &mut s,
        &mut rng,
        4,
        Message::InstallSnapshotReply {
            term: term - 1,
            last_included_index: 4,
        },
    );
    assert_eq!(s.progress[&4], before);
}

// ---- InstallSnapshot, the receiver's rules (Figure 13) ----

#[test]
fn fig13_rule_1_an_install_snapshot_of_an_older_term_is_answered_at_once_and_not_installed() {
    let mut rng = SimRng::from_seed(9);
    let mut s = server(1, 3, &[1, 1], &with_threshold(10), &mut rng);
    let before = s.clone();
    let (sent, events) = deliver(&mut s, &mut rng, 0, install(2, (5, 2)));
    assert_eq!(
        sent,
        [(
            0,
            Message::InstallSnapshotReply {
                term: 3,
                last_included_index: 5
            }
        )],
        "the reply carries currentTerm, for the leader to update itself"
    );
    assert_eq!(
        events,
        [RaftEvent::SnapshotIgnored {
            leader: 0,
            last_included_index: 5,
            reason: SnapshotRefusal::StaleTerm
        }]
    );
    assert_eq!(s, before);
}

#[test]
fn fig13_rules_2_to_5_the_snapshot_comes_whole_in_one_message_at_offset_0() {
    // Rules 2-5 write chunks at `offset` until `done`; a snapshot sent whole
    // is one chunk at offset 0 with done set: one message installs it.
    let mut rng = SimRng::from_seed(10);
    let mut s = server(1, 2, &[], &with_threshold(10), &mut rng);
    let (_, events) = deliver(&mut s, &mut rng, 0, install(2, (6, 2)));
    assert!(matches!(
        events[..],
        [RaftEvent::SnapshotInstalled {
            last_included_index: 6,
            ..
        }]
    ));
    assert_eq!(s.log.snapshot().map(|s| &s.state), Some(&state_through(6)));
}

#[test]
fn fig13_rule_6_an_existing_entry_matching_the_last_included_one_keeps_the_entries_after_it() {
    let mut rng = SimRng::from_seed(11);
    let mut s = server(1, 3, &[1, 1, 2, 2, 3], &with_threshold(10), &mut rng);
    let (sent, events) = deliver(&mut s, &mut rng, 0, install(3, (3, 2)));
    assert_eq!(
        events,
        [RaftEvent::SnapshotInstalled {
            leader: 0,
            last_included_index: 3,
            last_included_term: 2,
            kept: 2
        }]
    );
    assert_eq!(
        terms_held(&s.log),
        [(4, 2), (5, 3)],
        "entries 4 and 5 retained"
    );
    assert_eq!(s.log.prefix(), (3, 2));
    assert_eq!(
        sent,
        [(
            0,
            Message::InstallSnapshotReply {
                term: 3,
                last_included_index: 3
            }
        )]
    );
}

#[test]
fn fig13_rule_7_a_log_without_the_last_included_entry_is_discarded_whole() {
    let mut rng = SimRng::from_seed(12);
    // An entry at 3 of another term: a conflicting log.
    let mut s = server(1, 3, &[1, 1, 1, 1], &with_threshold(10), &mut rng);
    let (_, events) = deliver(&mut s, &mut rng, 0, install(3, (3, 2)));
    assert!(matches!(
        events[..],
        [RaftEvent::SnapshotInstalled { kept: 0, .. }]
    ));
    assert!(s.log.is_empty(), "entry 4 followed a conflicting one: gone");
    assert_eq!((s.log.last_index(), s.log.last_term()), (3, 2));
    // A log shorter than the snapshot: discarded too.
    let mut t = server(2, 3, &[1], &with_threshold(10), &mut rng);
    deliver(&mut t, &mut rng, 0, install(3, (5, 2)));
    assert!(t.log.is_empty());
    assert_eq!((t.log.first_index(), t.log.last_index()), (6, 5));
}

#[test]
fn fig13_rule_8_the_state_machine_is_reset_from_the_snapshot() {
    let mut rng = SimRng::from_seed(13);
    let mut s = server(1, 3, &[1, 1], &with_threshold(10), &mut rng);
    deliver(&mut s, &mut rng, 0, append(3, (2, 1), vec![], 1));
    assert_eq!(s.kv, state_through(1));
    deliver(&mut s, &mut rng, 0, install(3, (5, 2)));
    assert_eq!(
        s.kv,
        state_through(5),
        "the snapshot's state, request ids included"
    );
    assert_eq!((s.commit_index, s.last_applied), (5, 5));
}

#[test]
fn fig13_install_snapshot_from_the_current_leader_resets_the_election_timer_and_names_the_leader() {
    let mut rng = SimRng::from_seed(14);
    let mut s = server(1, 2, &[1], &with_threshold(10), &mut rng);
    run(&mut s, &mut rng, |n, c| n.on_timer(RaftTimer::Election, c));
    assert_eq!((s.role, s.current_term), (Role::Candidate, 3));
    let mut ctx = Ctx::new(1_000, 1, &mut rng);
    s.on_message(0, install(3, (4, 3)), &mut ctx);
    assert_eq!(
        s.role,
        Role::Follower,
        "a candidate hearing its term's leader steps down"
    );
    assert_eq!(s.leader_id, Some(0));
    assert!(ctx.timer_ops().iter().any(|t| matches!(
        t,
        quorum_sim::protocol::TimerOp::Set {
            timer: RaftTimer::Election,
            ..
        }
    )));
}

#[test]
fn fig13_a_stale_install_snapshot_at_or_below_the_commit_index_is_ignored() {
    let mut rng = SimRng::from_seed(15);
    let mut s = server(1, 3, &[1, 1, 2, 3, 3], &with_threshold(10), &mut rng);
    deliver(&mut s, &mut rng, 0, append(3, (5, 3), vec![], 5));
    let before = (s.log.clone(), s.kv.clone(), s.commit_index);
    let (sent, events) = deliver(&mut s, &mut rng, 0, install(3, (3, 2)));
    assert_eq!(
        events,
        [RaftEvent::SnapshotIgnored {
            leader: 0,
            last_included_index: 3,
            reason: SnapshotRefusal::AlreadyCommitted { commit_index: 5 }
        }]
    );
    assert_eq!((s.log.clone(), s.kv.clone(), s.commit_index), before);
    assert_eq!(
        sent,
        [(
            0,
            Message::InstallSnapshotReply {
                term: 3,
                last_included_index: 3
            }
        )],
        "answered all the same: those entries are here"
    );
}

// ---- AppendEntries after a snapshot (section 7) ----

#[test]
fn section_7_the_consistency_check_at_prev_log_index_equal_to_last_included_index_uses_last_included_term(
) {
    let mut rng = SimRng::from_seed(16);
    let mut s = server_with_log(
        1,
        3,
        compacted(&[1, 2, 2], 3),
        &with_threshold(10),
        &mut rng,
    );
    let (_, events) = deliver(&mut s, &mut rng, 0, append(3, (3, 1), vec![entry(3, 4)], 3));
    assert_eq!(
        events,
        [RaftEvent::AppendRefused {
            leader: 0,
            reason: AppendRefusal::TermMismatch {
                prev_log_index: 3,
                prev_log_term: 1,
                found_term: 2
            }
        }]
    );
    let (_, events) = deliver(&mut s, &mut rng, 0, append(3, (3, 2), vec![entry(3, 4)], 3));
    assert!(events.contains(&RaftEvent::EntriesAppended {
        leader: 0,
        first_index: 4,
        count: 1,
        truncated_from: None
    }));
    assert_eq!(terms_held(&s.log), [(4, 3)]);
}

#[test]
fn section_7_entries_an_append_entries_carries_from_before_the_snapshot_are_skipped() {
    let mut rng = SimRng::from_seed(17);
    let mut s = server_with_log(
        1,
        3,
        compacted(&[1, 1, 2], 3),
        &with_threshold(10),
        &mut rng,
    );
    let entries = vec![entry(1, 2), entry(2, 3), entry(3, 4), entry(3, 5)];
    let (sent, events) = deliver(&mut s, &mut rng, 0, append(3, (1, 1), entries, 5));
    assert!(events.contains(&RaftEvent::EntriesAppended {
        leader: 0,
        first_index: 4,
        count: 2,
        truncated_from: None
    }));
    assert_eq!(terms_held(&s.log), [(4, 3), (5, 3)]);
    assert_eq!(s.commit_index, 5);
    assert_eq!(
        sent,
        [(
            0,
            Message::AppendEntriesReply {
                term: 3,
                success: true,
                prev_log_index: 1,
                entry_count: 4
            }
        )]
    );
}

// ---- Stable storage and restarts (section 7) ----

#[test]
fn section_7_a_restart_loads_the_state_machine_from_the_snapshot() {
    let mut rng = SimRng::from_seed(18);
    let log = compacted(&[1, 1, 2, 2], 3);
    let s = server_with_log(1, 2, log.clone(), &with_threshold(10), &mut rng);
    assert_eq!(s.kv, state_through(3));
    assert_eq!((s.commit_index, s.last_applied), (3, 3));
    assert_eq!(s.log, log, "the snapshot persisted with the log");
    assert_eq!(
        s.persistent().log.snapshot(),
        Some(&Snapshot {
            last_included_index: 3,
            last_included_term: 2,
            state: state_through(3)
        })
    );
}

// ---- Whole clusters, every event checked against Figure 3 ----

fn snapshot_sim(threshold: u64, seed: u64) -> Checked {
    let mut config = SimConfig::new(3, seed);
    config.protocol = with_threshold(threshold);
    Checked::with_config(config)
}

fn protocol_events(events: &[EventOf<Raft>], node: usize) -> Vec<RaftEvent> {
    events
        .iter()
        .filter_map(|e| match &e.event {
            SimEvent::Protocol { node: n, event } if *n == node => Some(event.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn section_7_a_follower_cut_off_while_the_leader_compacts_catches_up_by_install_snapshot() {
    let mut c = snapshot_sim(4, 3);
    let leader = c.run_until_settled(2_000 * MS).expect("a leader");
    let behind = (leader + 1) % 3;
    c.apply(Command::Isolate { node: behind });
    for value in 1..=10 {
        c.request(leader, 'x', value);
        c.run_for(20 * MS);
    }
    c.run_for(200 * MS);
    assert!(c.node(leader).log.first_index() > c.node(behind).log.last_index() + 1);
    c.apply(Command::Rejoin { node: behind });
    let events = c.run_for(1_000 * MS);
    let installed = protocol_events(&events, behind)
        .into_iter()
        .any(|e| matches!(e, RaftEvent::SnapshotInstalled { .. }));
    assert!(installed, "the follower got a leader's snapshot");
    let now = c.run_until_settled(2_000 * MS).expect("a leader");
    assert_eq!(c.node(behind).kv, c.node(now).kv);
    assert_eq!(c.node(behind).kv.data[&'x'], 10);
}

#[test]
fn section_7_a_crashed_server_restarts_from_its_snapshot_and_rejoins() {
    let mut c = snapshot_sim(3, 5);
    let leader = c.run_until_settled(2_000 * MS).expect("a leader");
    let other = (leader + 2) % 3;
    for value in 1..=7 {
        c.request(leader, 'y', value);
        c.run_for(30 * MS);
    }
    c.run_for(200 * MS);
    let snapshot = c.node(other).log.snapshot().cloned().expect("a snapshot");
    c.apply(Command::Crash { node: other });
    c.run_for(50 * MS);
    c.apply(Command::Restart { node: other });
    let restarted = c.node(other);
    assert_eq!(
        restarted.log.snapshot(),
        Some(&snapshot),
        "kept on stable storage"
    );
    assert_eq!(
        restarted.kv, snapshot.state,
        "the state machine loaded from it"
    );
    assert_eq!(restarted.last_applied, snapshot.last_included_index);
    c.request(leader, 'y', 8);
    c.run_for(500 * MS);
    assert_eq!(c.node(other).kv, c.node(leader).kv);
    assert_eq!(c.node(other).kv.data[&'y'], 8);
}

//! One test per rule of the Raft paper, driving a single server's handlers
//! directly (no network): the rule's section is in each test's name.

use quorum_sim::kv::{ClientRequest, KvOp};
use quorum_sim::protocol::TimerOp;
use quorum_sim::raft::{
    AppendRefusal, Entry, Log, Message, Raft, RaftConfig, RaftEvent, RaftPersistent, RaftTimer,
    RequestRefusal, Role, VoteRefusal,
};
use quorum_sim::rng::SimRng;
use quorum_sim::{Ctx, Protocol};

const N: usize = 5;

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

/// A server started from the given persistent state.
fn server(id: usize, term: u64, terms: &[u64], rng: &mut SimRng) -> Raft {
    let persisted = RaftPersistent {
        current_term: term,
        voted_for: None,
        log: log_of(terms),
    };
    Raft::start(
        id,
        N,
        &RaftConfig::default(),
        Some(persisted),
        &mut Ctx::new(0, id, rng),
    )
}

/// What one handler sent, reported and asked of its timers.
type Output = (
    Vec<(usize, Message)>,
    Vec<RaftEvent>,
    Vec<TimerOp<RaftTimer>>,
);

/// Runs one handler and returns what it sent and reported.
fn run(node: &mut Raft, rng: &mut SimRng, f: impl FnOnce(&mut Raft, &mut Ctx<Raft>)) -> Output {
    let mut ctx = Ctx::new(1_000, node.id, rng);
    f(node, &mut ctx);
    (
        ctx.outbox().to_vec(),
        ctx.events().to_vec(),
        ctx.timer_ops().to_vec(),
    )
}

/// Makes `node` leader of `term + 1` with votes from S2 and S3.
fn elect(node: &mut Raft, rng: &mut SimRng) {
    run(node, rng, |n, c| n.on_timer(RaftTimer::Election, c));
    let term = node.current_term;
    for peer in [1, 2] {
        run(node, rng, |n, c| {
            n.on_message(
                peer,
                Message::RequestVoteReply {
                    term,
                    vote_granted: true,
                },
                c,
            )
        });
    }
    assert_eq!(node.role, Role::Leader);
}

fn append(
    term: u64,
    prev_log_index: u64,
    prev_log_term: u64,
    entries: Vec<Entry>,
    leader_commit: u64,
) -> Message {
    Message::AppendEntries {
        term,
        leader_id: 1,
        prev_log_index,
        prev_log_term,
        entries,
        leader_commit,
    }
}

#[test]
fn fig2_all_servers_rpc_with_higher_term_converts_to_follower_and_clears_vote() {
    let mut rng = SimRng::from_seed(1);
    let mut s = server(0, 1, &[], &mut rng);
    elect(&mut s, &mut rng);
    assert_eq!(s.current_term, 2);
    let (_, events, timers) = run(&mut s, &mut rng, |n, c| {
        n.on_message(
            3,
            Message::AppendEntriesReply {
                term: 7,
                success: false,
                prev_log_index: 0,
                entry_count: 0,
            },
            c,
        )
    });
    assert_eq!(
        (s.role, s.current_term, s.voted_for),
        (Role::Follower, 7, None)
    );
    assert!(events.contains(&RaftEvent::BecameFollower { term: 7 }));
    assert!(
        timers.contains(&TimerOp::Cancel {
            timer: RaftTimer::Heartbeat
        }),
        "a deposed leader stops heartbeats"
    );
    assert!(
        timers.iter().any(|t| matches!(
            t,
            TimerOp::Set {
                timer: RaftTimer::Election,
                ..
            }
        )),
        "and arms an election timer"
    );
}

#[test]
fn sec5_2_election_timeout_starts_election_votes_for_self_and_requests_votes() {
    let mut rng = SimRng::from_seed(2);
    let mut s = server(2, 3, &[1, 3], &mut rng);
    let (sent, events, timers) = run(&mut s, &mut rng, |n, c| n.on_timer(RaftTimer::Election, c));
    assert_eq!(
        (s.role, s.current_term, s.voted_for),
        (Role::Candidate, 4, Some(2))
    );
    assert!(events.contains(&RaftEvent::BecameCandidate { term: 4 }));
    assert_eq!(sent.len(), N - 1, "RequestVote to every other server");
    for (to, msg) in &sent {
        assert_ne!(*to, 2);
        assert_eq!(
            *msg,
            Message::RequestVote {
                term: 4,
                candidate_id: 2,
                last_log_index: 2,
                last_log_term: 3,
                leadership_transfer: false,
            }
        );
    }
    let Some(TimerOp::Set {
        timer: RaftTimer::Election,
        after,
    }) = timers.last()
    else {
        panic!("{timers:?}")
    };
    let cfg = RaftConfig::default();
    assert!(
        (cfg.election_timeout_min..=cfg.election_timeout_max).contains(after),
        "randomized timeout"
    );
}

#[test]
fn sec5_2_election_timeouts_are_randomized() {
    let mut rng = SimRng::from_seed(3);
    let mut draws = std::collections::BTreeSet::new();
    for _ in 0..20 {
        let mut s = server(0, 0, &[], &mut rng);
        let (_, _, timers) = run(&mut s, &mut rng, |n, c| n.on_timer(RaftTimer::Election, c));
        if let Some(TimerOp::Set { after, .. }) = timers.last() {
            draws.insert(*after);
        }
    }
    assert!(
        draws.len() > 10,
        "twenty elections drew only {} distinct timeouts",
        draws.len()
    );
}

#[test]
fn sec5_2_candidate_with_votes_from_majority_becomes_leader_and_sends_heartbeats() {
    let mut rng = SimRng::from_seed(4);
    let mut s = server(0, 0, &[], &mut rng);
    run(&mut s, &mut rng, |n, c| n.on_timer(RaftTimer::Election, c));
    let (_, events, _) = run(&mut s, &mut rng, |n, c| {
        n.on_message(
            1,
            Message::RequestVoteReply {
                term: 1,
                vote_granted: true,
            },
            c,
        )
    });
    assert_eq!(s.role, Role::Candidate, "2 of 5 is not a majority");
    assert!(events.contains(&RaftEvent::VoteReceived {
        from: 1,
        term: 1,
        votes: 2
    }));
    // A refusal and a duplicate grant do not count.
    run(&mut s, &mut rng, |n, c| {
        n.on_message(
            3,
            Message::RequestVoteReply {
                term: 1,
                vote_granted: false,
            },
            c,
        )
    });
    run(&mut s, &mut rng, |n, c| {
        n.on_message(
            1,
            Message::RequestVoteReply {
                term: 1,
                vote_granted: true,
            },
            c,
        )
    });
    assert_eq!(s.role, Role::Candidate);
    let (sent, events, timers) = run(&mut s, &mut rng, |n, c| {
        n.on_message(
            2,
            Message::RequestVoteReply {
                term: 1,
                vote_granted: true,
            },
            c,
        )
    });
    assert_eq!(s.role, Role::Leader);
    assert!(events.contains(&RaftEvent::BecameLeader { term: 1 }));
    assert_eq!(
        sent.iter()
            .filter(
                |(_, m)| matches!(m, Message::AppendEntries { entries, .. } if entries.is_empty())
            )
            .count(),
        4
    );
    assert!(timers.contains(&TimerOp::Cancel {
        timer: RaftTimer::Election
    }));
    assert!(timers.iter().any(|t| matches!(
        t,
        TimerOp::Set {
            timer: RaftTimer::Heartbeat,
            ..
        }
    )));
    // Figure 2: nextIndex = last log index + 1, matchIndex = 0 for every follower.
    assert!(s
        .progress
        .values()
        .all(|p| p.next_index == 1 && p.match_index == 0));
}

#[test]
fn sec5_2_vote_reply_from_an_older_term_is_ignored() {
    let mut rng = SimRng::from_seed(5);
    let mut s = server(0, 0, &[], &mut rng);
    run(&mut s, &mut rng, |n, c| n.on_timer(RaftTimer::Election, c));
    run(&mut s, &mut rng, |n, c| n.on_timer(RaftTimer::Election, c)); // term 2 now
    for peer in [1, 2, 3] {
        run(&mut s, &mut rng, |n, c| {
            n.on_message(
                peer,
                Message::RequestVoteReply {
                    term: 1,
                    vote_granted: true,
                },
                c,
            )
        });
    }
    assert_eq!(s.role, Role::Candidate);
}

#[test]
fn sec5_2_one_vote_per_term_first_come_first_served() {
    let mut rng = SimRng::from_seed(6);
    let mut s = server(4, 1, &[1], &mut rng);
    let ask = |c| Message::RequestVote {
        term: 2,
        candidate_id: c,
        last_log_index: 1,
        last_log_term: 1,
        leadership_transfer: false,
    };
    let (sent, _, timers) = run(&mut s, &mut rng, |n, c| n.on_message(0, ask(0), c));
    assert_eq!(
        sent,
        vec![(
            0,
            Message::RequestVoteReply {
                term: 2,
                vote_granted: true
            }
        )]
    );
    assert_eq!(s.voted_for, Some(0));
    assert!(
        timers.iter().any(|t| matches!(
            t,
            TimerOp::Set {
                timer: RaftTimer::Election,
                ..
            }
        )),
        "granting a vote resets the timer"
    );
    let (sent, events, _) = run(&mut s, &mut rng, |n, c| n.on_message(1, ask(1), c));
    assert_eq!(
        sent,
        vec![(
            1,
            Message::RequestVoteReply {
                term: 2,
                vote_granted: false
            }
        )]
    );
    assert!(events.contains(&RaftEvent::VoteRefused {
        candidate: 1,
        term: 2,
        reason: VoteRefusal::AlreadyVoted { voted_for: 0 }
    }));
    // The same candidate asking again (a retransmission) gets the vote again.
    let (sent, _, _) = run(&mut s, &mut rng, |n, c| n.on_message(0, ask(0), c));
    assert_eq!(
        sent,
        vec![(
            0,
            Message::RequestVoteReply {
                term: 2,
                vote_granted: true
            }
        )]
    );
}

#[test]
fn fig2_request_vote_rule_1_stale_term_is_refused() {
    let mut rng = SimRng::from_seed(7);
    let mut s = server(1, 5, &[], &mut rng);
    let (sent, events, _) = run(&mut s, &mut rng, |n, c| {
        n.on_message(
            0,
            Message::RequestVote {
                term: 4,
                candidate_id: 0,
                last_log_index: 9,
                last_log_term: 4,
                leadership_transfer: false,
            },
            c,
        )
    });
    assert_eq!(
        sent,
        vec![(
            0,
            Message::RequestVoteReply {
                term: 5,
                vote_granted: false
            }
        )]
    );
    assert!(events.contains(&RaftEvent::VoteRefused {
        candidate: 0,
        term: 4,
        reason: VoteRefusal::StaleTerm
    }));
}

#[test]
fn sec5_4_1_vote_refused_to_candidate_whose_log_is_less_up_to_date() {
    let mut rng = SimRng::from_seed(8);
    let mut s = server(1, 3, &[1, 3], &mut rng);
    // Longer log but older last term: refused, yet the term is still adopted.
    let (sent, events, _) = run(&mut s, &mut rng, |n, c| {
        n.on_message(
            0,
            Message::RequestVote {
                term: 4,
                candidate_id: 0,
                last_log_index: 5,
                last_log_term: 2,
                leadership_transfer: false,
            },
            c,
        )
    });
    assert_eq!(
        sent,
        vec![(
            0,
            Message::RequestVoteReply {
                term: 4,
                vote_granted: false
            }
        )]
    );
    assert!(events.contains(&RaftEvent::VoteRefused {
        candidate: 0,
        term: 4,
        reason: VoteRefusal::LogBehind
    }));
    assert_eq!((s.current_term, s.voted_for), (4, None));
    // Same last term and as long: granted.
    let (sent, _, _) = run(&mut s, &mut rng, |n, c| {
        n.on_message(
            2,
            Message::RequestVote {
                term: 4,
                candidate_id: 2,
                last_log_index: 2,
                last_log_term: 3,
                leadership_transfer: false,
            },
            c,
        )
    });
    assert_eq!(
        sent,
        vec![(
            2,
            Message::RequestVoteReply {
                term: 4,
                vote_granted: true
            }
        )]
    );
}

#[test]
fn sec5_2_candidate_steps_down_when_the_leader_of_its_term_appends() {
    let mut rng = SimRng::from_seed(9);
    let mut s = server(0, 0, &[], &mut rng);
    run(&mut s, &mut rng, |n, c| n.on_timer(RaftTimer::Election, c));
    assert_eq!(s.role, Role::Candidate);
    let (sent, _, _) = run(&mut s, &mut rng, |n, c| {
        n.on_message(1, append(1, 0, 0, vec![], 0), c)
    });
    assert_eq!(
        (s.role, s.current_term, s.leader_id),
        (Role::Follower, 1, Some(1))
    );
    assert_eq!(
        sent,
        vec![(
            1,
            Message::AppendEntriesReply {
                term: 1,
                success: true,
                prev_log_index: 0,
                entry_count: 0
            }
        )]
    );
}

#[test]
fn fig2_append_entries_rule_1_stale_term_is_refused() {
    let mut rng = SimRng::from_seed(10);
    let mut s = server(0, 3, &[1], &mut rng);
    let (sent, events, timers) = run(&mut s, &mut rng, |n, c| {
        n.on_message(1, append(2, 1, 1, vec![], 1), c)
    });
    assert_eq!(
        sent,
        vec![(
            1,
            Message::AppendEntriesReply {
                term: 3,
                success: false,
                prev_log_index: 1,
                entry_count: 0
            }
        )]
    );
    assert!(events.contains(&RaftEvent::AppendRefused {
        leader: 1,
        reason: AppendRefusal::StaleTerm
    }));
    assert!(
        timers.is_empty(),
        "a stale leader does not reset the election timer"
    );
    assert_eq!(s.commit_index, 0);
}

#[test]
fn fig2_append_entries_rule_2_consistency_check_refuses_missing_or_mismatched_prev() {
    let mut rng = SimRng::from_seed(11);
    let mut s = server(0, 3, &[1, 1, 2], &mut rng);
    let (sent, events, _) = run(&mut s, &mut rng, |n, c| {
        n.on_message(1, append(3, 5, 3, vec![entry(3, 9)], 0), c)
    });
    assert_eq!(
        sent[0].1,
        Message::AppendEntriesReply {
            term: 3,
            success: false,
            prev_log_index: 5,
            entry_count: 1
        }
    );
    assert!(events.contains(&RaftEvent::AppendRefused {
        leader: 1,
        reason: AppendRefusal::MissingEntry {
            prev_log_index: 5,
            prev_log_term: 3
        }
    }));
    let (_, events, _) = run(&mut s, &mut rng, |n, c| {
        n.on_message(1, append(3, 3, 3, vec![entry(3, 9)], 0), c)
    });
    assert!(events.contains(&RaftEvent::AppendRefused {
        leader: 1,
        reason: AppendRefusal::TermMismatch {
            prev_log_index: 3,
            prev_log_term: 3,
            found_term: 2
        }
    }));
    assert_eq!(s.log.last_index(), 3, "a refused request changes nothing");
}

#[test]
fn fig2_append_entries_rules_3_and_4_delete_conflicts_then_append() {
    let mut rng = SimRng::from_seed(12);
    let mut s = server(0, 3, &[1, 1, 2, 2], &mut rng);
    let (sent, events, _) = run(&mut s, &mut rng, |n, c| {
        n.on_message(1, append(3, 2, 1, vec![entry(3, 7), entry(3, 8)], 0), c)
    });
    assert_eq!(
        s.log.iter().map(|(_, e)| e.term).collect::<Vec<_>>(),
        vec![1, 1, 3, 3]
    );
    assert!(events.contains(&RaftEvent::EntriesAppended {
        leader: 1,
        first_index: 3,
        count: 2,
        truncated_from: Some(3)
    }));
    assert_eq!(
        sent[0].1,
        Message::AppendEntriesReply {
            term: 3,
            success: true,
            prev_log_index: 2,
            entry_count: 2
        }
    );
}

#[test]
fn fig2_append_entries_rule_5_commit_index_is_min_of_leader_commit_and_last_new_entry() {
    let mut rng = SimRng::from_seed(13);
    // The follower has stale entries 3..4 from term 1 that this request does not vouch for.
    let mut s = server(0, 2, &[1, 1, 1, 1], &mut rng);
    let (_, events, _) = run(&mut s, &mut rng, |n, c| {
        n.on_message(1, append(2, 1, 1, vec![entry(1, 2)], 4), c)
    });
    assert_eq!(
        s.commit_index, 2,
        "only up to the last entry this request carried"
    );
    assert_eq!(s.last_applied, 2);
    assert!(events.contains(&RaftEvent::Committed { index: 2, term: 2 }));
    // A later leaderCommit below our commitIndex never moves it back.
    run(&mut s, &mut rng, |n, c| {
        n.on_message(1, append(2, 2, 1, vec![], 1), c)
    });
    assert_eq!(s.commit_index, 2);
}

#[test]
fn fig2_committed_entries_are_applied_in_index_order() {
    let mut rng = SimRng::from_seed(14);
    let mut s = server(0, 1, &[], &mut rng);
    let entries = vec![
        Entry {
            term: 1,
            request: ClientRequest {
                id: 1,
                op: KvOp::Set { key: 'x', value: 5 },
            },
        },
        Entry {
            term: 1,
            request: ClientRequest {
                id: 2,
                op: KvOp::Add { key: 'x', by: 2 },
            },
        },
        Entry {
            term: 1,
            request: ClientRequest {
                id: 3,
                op: KvOp::Set { key: 'y', value: 1 },
            },
        },
    ];
    let (_, events, _) = run(&mut s, &mut rng, |n, c| {
        n.on_message(1, append(1, 0, 0, entries, 3), c)
    });
    let applied: Vec<u64> = events
        .iter()
        .filter_map(|e| match e {
            RaftEvent::Applied { index, .. } => Some(*index),
            _ => None,
        })
        .collect();
    assert_eq!(applied, vec![1, 2, 3]);
    assert_eq!(s.kv.data.get(&'x'), Some(&7), "5 then +2: order matters");
}

#[test]
fn fig2_leader_decrements_next_index_on_failed_check_and_retries() {
    let mut rng = SimRng::from_seed(15);
    let mut s = server(0, 1, &[1, 1, 1], &mut rng);
    elect(&mut s, &mut rng);
    assert_eq!(s.progress[&3].next_index, 4);
    let fail = |prev| Message::AppendEntriesReply {
        term: 2,
        success: false,
        prev_log_index: prev,
        entry_count: 0,
    };
    let (sent, events, _) = run(&mut s, &mut rng, |n, c| n.on_message(3, fail(3), c));
    assert_eq!(s.progress[&3].next_index, 3);
    assert!(events.contains(&RaftEvent::NextIndexDecremented {
        follower: 3,
        next_index: 3
    }));
    let Message::AppendEntries {
        prev_log_index,
        entries,
        ..
    } = &sent[0].1
    else {
        panic!("{sent:?}")
    };
    assert_eq!(
        (sent[0].0, *prev_log_index, entries.len()),
        (3, 2, 1),
        "retried one entry further back"
    );
    // A duplicate of the old failure is stale and ignored.
    let (sent, _, _) = run(&mut s, &mut rng, |n, c| n.on_message(3, fail(3), c));
    assert!(sent.is_empty());
    assert_eq!(s.progress[&3].next_index, 3);
}

#[test]
fn fig2_leader_updates_match_index_and_sends_the_rest_on_success() {
    let mut rng = SimRng::from_seed(16);
    let mut s = server(0, 1, &[], &mut rng);
    elect(&mut s, &mut rng);
    for id in 1..=20 {
        run(&mut s, &mut rng, |n, c| n.on_client_request(req(id), c));
    }
    let (sent, _, _) = run(&mut s, &mut rng, |n, c| {
        n.on_message(
            1,
            Message::AppendEntriesReply {
                term: 2,
                success: true,
                prev_log_index: 0,
                entry_count: 16,
            },
            c,
        )
    });
    assert_eq!(s.progress[&1].match_index, 16);
    assert_eq!(
        s.progress[&1].next_index, 21,
        "nextIndex is the next entry to send (Figure 2): 17..20 went out"
    );
    let Message::AppendEntries {
        prev_log_index,
        entries,
        ..
    } = &sent[0].1
    else {
        panic!("{sent:?}")
    };
    assert_eq!(
        (*prev_log_index, entries.len()),
        (16, 4),
        "the remaining entries follow at once"
    );
}

#[test]
fn sec5_4_2_leader_never_commits_an_old_term_entry_by_counting_replicas() {
    // Figure 8 (c): S1 leads term 4 and holds an entry of term 2 at index 2
    // that a majority stores. Counting replicas must not commit it.
    let mut rng = SimRng::from_seed(17);
    let mut s = server(0, 3, &[1, 2], &mut rng);
    elect(&mut s, &mut rng);
    assert_eq!(s.current_term, 4);
    let ok = |prev, count| Message::AppendEntriesReply {
        term: 4,
        success: true,
        prev_log_index: prev,
        entry_count: count,
    };
    run(&mut s, &mut rng, |n, c| n.on_message(1, ok(0, 2), c));
    run(&mut s, &mut rng, |n, c| n.on_message(2, ok(0, 2), c));
    assert_eq!(
        s.commit_index, 0,
        "index 2 is on 3 of 5 servers but is of term 2"
    );
    // Once an entry of the current term is on a majority, it commits, and index 2 with it.
    run(&mut s, &mut rng, |n, c| n.on_client_request(req(3), c));
    run(&mut s, &mut rng, |n, c| n.on_message(1, ok(2, 1), c));
    let (_, events, _) = run(&mut s, &mut rng, |n, c| n.on_message(2, ok(2, 1), c));
    assert_eq!(s.commit_index, 3);
    assert!(events.contains(&RaftEvent::Committed { index: 3, term: 4 }));
}

#[test]
fn sec5_3_leader_appends_client_request_and_replicates_it() {
    let mut rng = SimRng::from_seed(18);
    let mut s = server(0, 0, &[], &mut rng);
    elect(&mut s, &mut rng);
    // Until the first heartbeat is answered the leader does not know where the
    // followers' logs match; once it does, new entries go out at once.
    let (sent, _, _) = run(&mut s, &mut rng, |n, c| n.on_client_request(req(1), c));
    assert!(sent.is_empty(), "followers are still being probed");
    for peer in 1..N {
        let ack = Message::AppendEntriesReply {
            term: 1,
            success: true,
            prev_log_index: 0,
            entry_count: 0,
        };
        let (sent, _, _) = run(&mut s, &mut rng, |n, c| n.on_message(peer, ack, c));
        assert!(
            matches!(&sent[..], [(p, Message::AppendEntries { entries, .. })] if *p == peer && entries.len() == 1)
        );
    }
    let (sent, events, _) = run(&mut s, &mut rng, |n, c| n.on_client_request(req(2), c));
    assert!(events.contains(&RaftEvent::RequestAccepted {
        request: req(2),
        index: 2,
        term: 1
    }));
    assert_eq!(sent.len(), 4);
    assert!(sent.iter().all(
        |(_, m)| matches!(m, Message::AppendEntries { prev_log_index: 1, entries, .. } if entries == &vec![entry(1, 2)])
    ));
}

#[test]
fn sec8_follower_forwards_a_client_request_to_the_leader_it_knows() {
    let mut rng = SimRng::from_seed(19);
    let mut s = server(3, 1, &[], &mut rng);
    let (_, events, _) = run(&mut s, &mut rng, |n, c| n.on_client_request(req(1), c));
    assert!(events.contains(&RaftEvent::RequestRefused {
        request: req(1),
        reason: RequestRefusal::NoLeaderKnown
    }));
    run(&mut s, &mut rng, |n, c| {
        n.on_message(1, append(1, 0, 0, vec![], 0), c)
    });
    let (sent, events, _) = run(&mut s, &mut rng, |n, c| n.on_client_request(req(2), c));
    assert_eq!(sent, vec![(1, Message::ClientRequest { request: req(2) })]);
    assert!(events.contains(&RaftEvent::RequestForwarded {
        request: req(2),
        to: 1
    }));
    // A forwarded request that reaches a non-leader is refused, not forwarded again.
    let (sent, events, _) = run(&mut s, &mut rng, |n, c| {
        n.on_message(0, Message::ClientRequest { request: req(3) }, c)
    });
    assert!(sent.is_empty());
    assert!(events.contains(&RaftEvent::RequestRefused {
        request: req(3),
        reason: RequestRefusal::NotLeader {
            leader_hint: Some(1)
        }
    }));
}

#[test]
fn fig2_restart_keeps_term_vote_and_log_but_resets_volatile_state() {
    let mut rng = SimRng::from_seed(20);
    let mut s = server(0, 1, &[], &mut rng);
    run(&mut s, &mut rng, |n, c| {
        n.on_message(1, append(1, 0, 0, vec![entry(1, 1), entry(1, 2)], 2), c)
    });
    run(&mut s, &mut rng, |n, c| {
        n.on_message(
            2,
            Message::RequestVote {
                term: 2,
                candidate_id: 2,
                last_log_index: 2,
                last_log_term: 1,
                leadership_transfer: false,
            },
            c,
        )
    });
    assert_eq!((s.commit_index, s.voted_for), (2, Some(2)));
    let persisted = s.persistent();
    let back = Raft::start(
        0,
        N,
        &RaftConfig::default(),
        Some(persisted),
        &mut Ctx::new(5, 0, &mut rng),
    );
    assert_eq!(
        (back.current_term, back.voted_for, back.log.last_index()),
        (2, Some(2), 2)
    );
    assert_eq!(
        (back.commit_index, back.last_applied, back.role),
        (0, 0, Role::Follower)
    );
    assert!(
        back.kv.data.is_empty(),
        "the state machine is rebuilt from the log once entries commit again"
    );
}

#[test]
fn fig2_leader_ignores_its_election_timer_and_has_no_forced_timeout() {
    let mut rng = SimRng::from_seed(21);
    let mut s = server(0, 0, &[], &mut rng);
    assert_eq!(s.forced_timer(), Some(RaftTimer::Election));
    elect(&mut s, &mut rng);
    assert_eq!(s.forced_timer(), None);
    let (sent, _, _) = run(&mut s, &mut rng, |n, c| n.on_timer(RaftTimer::Election, c));
    assert!(sent.is_empty());
    assert_eq!(s.role, Role::Leader);
}

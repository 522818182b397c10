//! Raft's extensions from Ongaro's thesis ("Consensus: Bridging Theory and
//! Practice", 2014), as etcd, Consul and TiKV run them: PreVote (section
//! 9.6), CheckQuorum and the leader lease (6.2, 4.2.3) and leadership
//! transfer (3.10). First one test per rule, driving a single server's
//! handlers; then whole clusters, every event checked against Figure 3: the
//! disruptive server of 4.2.3 with and without PreVote, an isolated leader
//! with and without CheckQuorum, and a transfer end to end through the user
//! command (and a link). The section is in each test's name.

mod common;

use common::Checked;
use quorum_sim::kv::{ClientRequest, KvOp};
use quorum_sim::protocol::TimerOp;
use quorum_sim::raft::{
    Entry, Log, Message, Raft, RaftConfig, RaftEvent, RaftPersistent, RaftTimer, RequestRefusal,
    Role, TransferEnd, VoteRefusal,
};
use quorum_sim::rng::SimRng;
use quorum_sim::share::{self, SharedRun};
use quorum_sim::sim::{EventOf, SimErrorKind, SimEvent};
use quorum_sim::{Command, Ctx, Protocol, Sim, SimConfig, Time, MS};

const N: usize = 5;

fn config(pre_vote: bool, check_quorum: bool, leadership_transfer: bool) -> RaftConfig {
    RaftConfig {
        pre_vote,
        check_quorum,
        leadership_transfer,
        ..RaftConfig::default()
    }
}

fn all_on() -> RaftConfig {
    config(true, true, true)
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

fn log_of(terms: &[u64]) -> Log {
    let mut log = Log::default();
    for (i, t) in terms.iter().enumerate() {
        log.append(Entry {
            term: *t,
            request: req(i as u64 + 1),
        });
    }
    log
}

/// A server started from the given persistent state, with `config`.
fn server(id: usize, term: u64, terms: &[u64], config: &RaftConfig, rng: &mut SimRng) -> Raft {
    let persisted = RaftPersistent {
        current_term: term,
        voted_for: None,
        log: log_of(terms),
    };
    Raft::start(id, N, config, Some(persisted), &mut Ctx::new(0, id, rng))
}

type Output = (
    Vec<(usize, Message)>,
    Vec<RaftEvent>,
    Vec<TimerOp<RaftTimer>>,
);

/// Runs one handler at virtual time `now` and returns what it sent, reported
/// and asked of its timers.
fn run_at(
    node: &mut Raft,
    rng: &mut SimRng,
    now: Time,
    f: impl FnOnce(&mut Raft, &mut Ctx<Raft>),
) -> Output {
    let mut ctx = Ctx::new(now, node.id, rng);
    f(node, &mut ctx);
    (
        ctx.outbox().to_vec(),
        ctx.events().to_vec(),
        ctx.timer_ops().to_vec(),
    )
}

fn run(node: &mut Raft, rng: &mut SimRng, f: impl FnOnce(&mut Raft, &mut Ctx<Raft>)) -> Output {
    run_at(node, rng, 1_000, f)
}

fn heartbeat(term: u64, leader_id: usize, prev: (u64, u64)) -> Message {
    Message::AppendEntries {
        term,
        leader_id,
        prev_log_index: prev.0,
        prev_log_term: prev.1,
        entries: vec![],
        leader_commit: 0,
    }
}

fn pre_vote(term: u64, candidate_id: usize, last: (u64, u64)) -> Message {
    Message::PreVote {
        term,
        candidate_id,
        last_log_index: last.0,
        last_log_term: last.1,
    }
}

fn request_vote(term: u64, candidate_id: usize, last: (u64, u64), transfer: bool) -> Message {
    Message::RequestVote {
        term,
        candidate_id,
        last_log_index: last.0,
        last_log_term: last.1,
        leadership_transfer: transfer,
    }
}

/// Makes `node` (without PreVote in the way) leader of `term + 1` with votes
/// from S2 and S3, at time 1000 µs.
fn elect(node: &mut Raft, rng: &mut SimRng) {
    let pre_vote = node.config.pre_vote;
    node.config.pre_vote = false;
    run(node, rng, |n, c| n.on_timer(RaftTimer::Election, c));
    node.config.pre_vote = pre_vote;
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

/// A follower that acknowledged everything the leader has.
fn ack(node: &mut Raft, rng: &mut SimRng, from: usize, now: Time) -> Output {
    let (term, last) = (node.current_term, node.log.last_index());
    run_at(node, rng, now, |n, c| {
        n.on_message(
            from,
            Message::AppendEntriesReply {
                term,
                success: true,
                prev_log_index: 0,
                entry_count: last,
            },
            c,
        )
    })
}

// ---- PreVote (thesis 9.6) ----

#[test]
fn thesis_9_6_a_timed_out_server_asks_for_pre_votes_for_term_plus_one_without_bumping_its_term() {
    let mut rng = SimRng::from_seed(1);
    let cfg = config(true, false, false);
    let mut s = server(2, 3, &[1, 3], &cfg, &mut rng);
    let (sent, events, timers) = run(&mut s, &mut rng, |n, c| n.on_timer(RaftTimer::Election, c));
    assert_eq!(s.current_term, 3, "currentTerm is not incremented");
    assert_eq!(s.voted_for, None, "no vote is cast");
    assert_eq!(s.role, Role::Follower, "not a candidate yet");
    assert_eq!(events, vec![RaftEvent::PreVoteStarted { term: 4 }]);
    assert_eq!(sent.len(), N - 1);
    for (_, m) in &sent {
        assert_eq!(*m, pre_vote(4, 2, (2, 3)), "a pre-vote, no RequestVote");
    }
    assert!(
        matches!(
            timers[..],
            [TimerOp::Set {
                timer: RaftTimer::Election,
                ..
            }]
        ),
        "it retries after another election timeout: {timers:?}"
    );
}

#[test]
fn thesis_9_6_a_granted_pre_vote_changes_nothing_of_the_receiver() {
    let mut rng = SimRng::from_seed(2);
    let cfg = config(true, false, false);
    let mut s = server(1, 3, &[1, 3], &cfg, &mut rng);
    let before = s.clone();
    let (sent, events, timers) = run(&mut s, &mut rng, |n, c| {
        n.on_message(0, pre_vote(4, 0, (2, 3)), c)
    });
    assert_eq!(
        events,
        vec![RaftEvent::PreVoteGranted {
            candidate: 0,
            term: 4
        }]
    );
    assert_eq!(
        sent,
        vec![(
            0,
            Message::PreVoteReply {
                term: 4,
                vote_granted: true
            }
        )]
    );
    assert!(timers.is_empty(), "not even the election timer is reset");
    assert_eq!(s, before, "term, vote and everything else unchanged");
}

#[test]
fn thesis_9_6_and_5_4_1_pre_vote_denied_to_a_candidate_with_a_less_up_to_date_log() {
    let mut rng = SimRng::from_seed(3);
    let cfg = config(true, false, false);
    let mut s = server(1, 3, &[1, 3, 3], &cfg, &mut rng);
    let before = s.clone();
    // Same last term, shorter log; then an older last term with a longer log.
    for last in [(2, 3), (9, 2)] {
        let (sent, events, _) = run(&mut s, &mut rng, |n, c| {
            n.on_message(0, pre_vote(4, 0, last), c)
        });
        assert_eq!(
            events,
            vec![RaftEvent::PreVoteRefused {
                candidate: 0,
                term: 4,
                reason: VoteRefusal::LogBehind
            }]
        );
        assert_eq!(
            sent,
            vec![(
                0,
                Message::PreVoteReply {
                    term: 3,
                    vote_granted: false
                }
            )],
            "a refusal tells the receiver's own term"
        );
    }
    assert_eq!(s, before);
}

#[test]
fn thesis_9_6_pre_vote_denied_while_a_current_leader_is_heard_within_the_minimum_election_timeout()
{
    let mut rng = SimRng::from_seed(4);
    let cfg = config(true, false, false);
    let min = cfg.election_timeout_min;
    let mut s = server(1, 3, &[1, 3], &cfg, &mut rng);
    let heard_at = 5_000;
    run_at(&mut s, &mut rng, heard_at, |n, c| {
        n.on_message(4, heartbeat(3, 4, (2, 3)), c)
    });
    assert_eq!(s.leader_id, Some(4));
    let (sent, events, _) = run_at(&mut s, &mut rng, heard_at + min - 1, |n, c| {
        n.on_message(0, pre_vote(4, 0, (2, 3)), c)
    });
    assert_eq!(
        events,
        vec![RaftEvent::PreVoteRefused {
            candidate: 0,
            term: 4,
            reason: VoteRefusal::LeaderHeard { leader: 4 }
        }]
    );
    assert!(matches!(
        sent[..],
        [(
            0,
            Message::PreVoteReply {
                vote_granted: false,
                ..
            }
        )]
    ));
    // A minimum election timeout after the leader was last heard, it would vote.
    let (_, events, _) = run_at(&mut s, &mut rng, heard_at + min, |n, c| {
        n.on_message(0, pre_vote(4, 0, (2, 3)), c)
    });
    assert_eq!(
        events,
        vec![RaftEvent::PreVoteGranted {
            candidate: 0,
            term: 4
        }]
    );
    assert_eq!(s.current_term, 3);
}

#[test]
fn thesis_9_6_a_leader_denies_pre_votes() {
    let mut rng = SimRng::from_seed(5);
    let cfg = config(true, false, false);
    let mut s = server(0, 1, &[1], &cfg, &mut rng);
    elect(&mut s, &mut rng);
    let (_, events, _) = run_at(&mut s, &mut rng, 10_000_000, |n, c| {
        n.on_message(3, pre_vote(3, 3, (9, 9)), c)
    });
    assert_eq!(
        events,
        vec![RaftEvent::PreVoteRefused {
            candidate: 3,
            term: 3,
            reason: VoteRefusal::LeaderHeard { leader: 0 }
        }]
    );
    assert_eq!((s.role, s.current_term), (Role::Leader, 2));
}

#[test]
fn thesis_9_6_a_majority_of_pre_votes_starts_a_real_election() {
    let mut rng = SimRng::from_seed(6);
    let cfg = config(true, false, false);
    let mut s = server(2, 3, &[1, 3], &cfg, &mut rng);
    run(&mut s, &mut rng, |n, c| n.on_timer(RaftTimer::Election, c));
    let grant = Message::PreVoteReply {
        term: 4,
        vote_granted: true,
    };
    let (sent, events, _) = run(&mut s, &mut rng, |n, c| n.on_message(0, grant.clone(), c));
    assert!(
        sent.is_empty() && s.current_term == 3,
        "two of five is no majority"
    );
    assert_eq!(
        events,
        vec![RaftEvent::PreVoteReceived {
            from: 0,
            term: 4,
            votes: 2
        }]
    );
    let (sent, events, _) = run(&mut s, &mut rng, |n, c| n.on_message(4, grant, c));
    assert_eq!(
        events[1],
        RaftEvent::BecameCandidate { term: 4 },
        "{events:?}"
    );
    assert_eq!(s.role, Role::Candidate);
    assert_eq!((s.current_term, s.voted_for), (4, Some(2)));
    assert_eq!(sent.len(), N - 1);
    for (_, m) in &sent {
        assert_eq!(*m, request_vote(4, 2, (2, 3), false));
    }
}

#[test]
fn thesis_9_6_a_refused_pre_vote_of_a_newer_term_makes_the_pre_candidate_a_follower_of_it() {
    let mut rng = SimRng::from_seed(7);
    let cfg = config(true, false, false);
    let mut s = server(2, 3, &[1, 3], &cfg, &mut rng);
    run(&mut s, &mut rng, |n, c| n.on_timer(RaftTimer::Election, c));
    run(&mut s, &mut rng, |n, c| {
        n.on_message(
            0,
            Message::PreVoteReply {
                term: 7,
                vote_granted: false,
            },
            c,
        )
    });
    assert_eq!((s.current_term, s.role), (7, Role::Follower));
    assert!(s.pre_votes.is_empty(), "the pre-vote is over");
}

#[test]
fn thesis_9_6_a_candidate_that_wins_its_term_while_pre_voting_for_the_next_ends_the_pre_vote() {
    // A candidate of term 4 times out and pre-votes for term 5; late votes
    // of term 4 make it leader; a late pre-vote grant must not start term 5.
    let mut rng = SimRng::from_seed(19);
    let mut s = server(2, 3, &[1, 3], &config(false, false, false), &mut rng);
    run(&mut s, &mut rng, |n, c| n.on_timer(RaftTimer::Election, c));
    s.config.pre_vote = true;
    run(&mut s, &mut rng, |n, c| n.on_timer(RaftTimer::Election, c));
    assert_eq!((s.role, s.current_term), (Role::Candidate, 4));
    for peer in [0, 1] {
        run(&mut s, &mut rng, |n, c| {
            n.on_message(
                peer,
                Message::RequestVoteReply {
                    term: 4,
                    vote_granted: true,
                },
                c,
            )
        });
    }
    assert_eq!(s.role, Role::Leader);
    assert!(s.pre_votes.is_empty());
    // Two grants would make a majority with its own.
    for peer in [3, 4] {
        let (sent, events, _) = run(&mut s, &mut rng, |n, c| {
            n.on_message(
                peer,
                Message::PreVoteReply {
                    term: 5,
                    vote_granted: true,
                },
                c,
            )
        });
        assert!(sent.is_empty() && events.is_empty(), "{events:?}");
    }
    assert_eq!((s.role, s.current_term), (Role::Leader, 4));
}

// ---- CheckQuorum and the leader lease (thesis 6.2, 4.2.3) ----

#[test]
fn thesis_6_2_check_quorum_a_leader_that_hears_from_no_majority_steps_down() {
    let mut rng = SimRng::from_seed(8);
    let cfg = config(false, true, false);
    let mut s = server(0, 1, &[1], &cfg, &mut rng);
    elect(&mut s, &mut rng);
    let min = cfg.election_timeout_min;
    // Heard from S2 and S3: with itself, three of five.
    ack(&mut s, &mut rng, 1, 2_000);
    ack(&mut s, &mut rng, 2, 3_000);
    let (_, events, timers) = run_at(&mut s, &mut rng, 1_000 + min, |n, c| {
        n.on_timer(RaftTimer::CheckQuorum, c)
    });
    assert!(events.is_empty(), "{events:?}");
    assert_eq!(s.role, Role::Leader);
    assert_eq!(
        timers,
        vec![TimerOp::Set {
            timer: RaftTimer::CheckQuorum,
            after: min
        }]
    );
    // The next round it hears from S2 only.
    ack(&mut s, &mut rng, 1, 2_000 + min);
    let (_, events, _) = run_at(&mut s, &mut rng, 1_000 + 2 * min, |n, c| {
        n.on_timer(RaftTimer::CheckQuorum, c)
    });
    assert_eq!(events[0], RaftEvent::QuorumLost { term: 2, heard: 2 });
    assert_eq!(events[1], RaftEvent::BecameFollower { term: 2 });
    assert_eq!(
        (s.role, s.current_term, s.leader_id),
        (Role::Follower, 2, None)
    );
}

#[test]
fn thesis_6_2_without_check_quorum_a_leader_arms_no_check() {
    let mut rng = SimRng::from_seed(9);
    let mut s = server(0, 1, &[1], &RaftConfig::default(), &mut rng);
    let mut ops = Vec::new();
    let (_, _, timers) = run(&mut s, &mut rng, |n, c| n.on_timer(RaftTimer::Election, c));
    ops.extend(timers);
    for peer in [1, 2] {
        let (_, _, timers) = run(&mut s, &mut rng, |n, c| {
            n.on_message(
                peer,
                Message::RequestVoteReply {
                    term: 2,
                    vote_granted: true,
                },
                c,
            )
        });
        ops.extend(timers);
    }
    assert_eq!(s.role, Role::Leader);
    assert!(
        !ops.iter().any(|op| matches!(
            op,
            TimerOp::Set {
                timer: RaftTimer::CheckQuorum,
                ..
            }
        )),
        "{ops:?}"
    );
}

#[test]
fn thesis_4_2_3_with_check_quorum_request_vote_within_the_minimum_election_timeout_of_a_leader_is_ignored(
) {
    let mut rng = SimRng::from_seed(10);
    let cfg = config(false, true, false);
    let min = cfg.election_timeout_min;
    let mut s = server(1, 3, &[1, 3], &cfg, &mut rng);
    run_at(&mut s, &mut rng, 5_000, |n, c| {
        n.on_message(4, heartbeat(3, 4, (2, 3)), c)
    });
    let before = s.clone();
    let (sent, events, timers) = run_at(&mut s, &mut rng, 5_000 + min - 1, |n, c| {
        n.on_message(0, request_vote(9, 0, (2, 3), false), c)
    });
    assert_eq!(
        events,
        vec![RaftEvent::VoteRefused {
            candidate: 0,
            term: 9,
            reason: VoteRefusal::LeaderHeard { leader: 4 }
        }]
    );
    assert!(sent.is_empty() && timers.is_empty(), "ignored: no reply");
    assert_eq!(s, before, "no term updated, no vote granted");
    // Once the minimum election timeout has passed, the usual rules.
    let (sent, _, _) = run_at(&mut s, &mut rng, 5_000 + min, |n, c| {
        n.on_message(0, request_vote(9, 0, (2, 3), false), c)
    });
    assert_eq!((s.current_term, s.voted_for), (9, Some(0)));
    assert!(matches!(
        sent[..],
        [(
            0,
            Message::RequestVoteReply {
                term: 9,
                vote_granted: true
            }
        )]
    ));
}

#[test]
fn thesis_4_2_3_without_check_quorum_a_newer_request_vote_is_taken_as_figure_2_says() {
    let mut rng = SimRng::from_seed(11);
    let mut s = server(1, 3, &[1, 3], &RaftConfig::default(), &mut rng);
    run_at(&mut s, &mut rng, 5_000, |n, c| {
        n.on_message(4, heartbeat(3, 4, (2, 3)), c)
    });
    run_at(&mut s, &mut rng, 5_001, |n, c| {
        n.on_message(0, request_vote(9, 0, (2, 3), false), c)
    });
    assert_eq!((s.current_term, s.voted_for), (9, Some(0)));
}

#[test]
fn thesis_4_2_3_and_3_10_a_leadership_transfers_request_vote_is_let_through_the_lease() {
    let mut rng = SimRng::from_seed(12);
    let cfg = all_on();
    let mut s = server(1, 3, &[1, 3], &cfg, &mut rng);
    run_at(&mut s, &mut rng, 5_000, |n, c| {
        n.on_message(4, heartbeat(3, 4, (2, 3)), c)
    });
    let (sent, _, _) = run_at(&mut s, &mut rng, 5_001, |n, c| {
        n.on_message(0, request_vote(4, 0, (2, 3), true), c)
    });
    assert_eq!((s.current_term, s.voted_for), (4, Some(0)));
    assert!(matches!(
        sent[..],
        [(
            0,
            Message::RequestVoteReply {
                vote_granted: true,
                ..
            }
        )]
    ));
}

// ---- Leadership transfer (thesis 3.10) ----

/// A leader of term 2 with three entries, S2 fully caught up, S4 not.
fn transferring_leader(rng: &mut SimRng) -> Raft {
    let cfg = all_on();
    let mut s = server(0, 1, &[1], &cfg, rng);
    elect(&mut s, rng);
    for id in [10, 11] {
        run(&mut s, rng, |n, c| n.on_client_request(req(id), c));
    }
    ack(&mut s, rng, 1, 2_000);
    s
}

#[test]
fn thesis_3_10_the_leader_brings_the_target_up_to_date_and_then_sends_timeout_now() {
    let mut rng = SimRng::from_seed(13);
    let mut s = transferring_leader(&mut rng);
    assert!(s.can_transfer_leadership(3));
    let (sent, events, timers) = run(&mut s, &mut rng, |n, c| n.on_transfer_leadership(3, c));
    assert_eq!(events, vec![RaftEvent::TransferStarted { target: 3 }]);
    assert_eq!(
        timers,
        vec![TimerOp::Set {
            timer: RaftTimer::TransferTimeout,
            after: s.config.election_timeout_min
        }]
    );
    assert!(
        matches!(sent[..], [(3, Message::AppendEntries { .. })]),
        "not caught up yet: AppendEntries, no TimeoutNow: {sent:?}"
    );
    let (sent, events, _) = ack(&mut s, &mut rng, 3, 3_000);
    assert_eq!(
        events.last(),
        Some(&RaftEvent::TimeoutNowSent { target: 3 }),
        "{events:?}"
    );
    assert_eq!(
        sent,
        vec![(
            3,
            Message::TimeoutNow {
                term: 2,
                leader_id: 0
            }
        )]
    );
    // Once only.
    let (sent, _, _) = ack(&mut s, &mut rng, 3, 3_500);
    assert!(sent.is_empty(), "{sent:?}");
}

#[test]
fn thesis_3_10_a_caught_up_target_gets_timeout_now_at_once() {
    let mut rng = SimRng::from_seed(14);
    let mut s = transferring_leader(&mut rng);
    let (sent, events, _) = run(&mut s, &mut rng, |n, c| n.on_transfer_leadership(1, c));
    assert_eq!(
        events,
        vec![
            RaftEvent::TransferStarted { target: 1 },
            RaftEvent::TimeoutNowSent { target: 1 }
        ]
    );
    assert_eq!(
        sent,
        vec![(
            1,
            Message::TimeoutNow {
                term: 2,
                leader_id: 0
            }
        )]
    );
}

#[test]
fn thesis_3_10_client_requests_are_refused_during_a_transfer() {
    let mut rng = SimRng::from_seed(15);
    let mut s = transferring_leader(&mut rng);
    run(&mut s, &mut rng, |n, c| n.on_transfer_leadership(3, c));
    let last = s.log.last_index();
    for forwarded in [false, true] {
        let (sent, events, _) = run(&mut s, &mut rng, |n, c| {
            if forwarded {
                n.on_message(2, Message::ClientRequest { request: req(20) }, c)
            } else {
                n.on_client_request(req(20), c)
            }
        });
        assert_eq!(
            events,
            vec![RaftEvent::RequestRefused {
                request: req(20),
                reason: RequestRefusal::TransferInProgress { target: 3 }
            }]
        );
        assert!(sent.is_empty());
    }
    assert_eq!(s.log.last_index(), last, "nothing appended");
    assert!(!s.can_transfer_leadership(2), "one transfer at a time");
}

#[test]
fn thesis_3_10_a_transfer_is_abandoned_after_an_election_timeout_and_requests_are_taken_again() {
    let mut rng = SimRng::from_seed(16);
    let mut s = transferring_leader(&mut rng);
    run(&mut s, &mut rng, |n, c| n.on_transfer_leadership(3, c));
    let (_, events, _) = run(&mut s, &mut rng, |n, c| {
        n.on_timer(RaftTimer::TransferTimeout, c)
    });
    assert_eq!(
        events,
        vec![RaftEvent::TransferEnded {
            target: 3,
            reason: TransferEnd::TimedOut
        }]
    );
    assert_eq!((s.role, s.transfer_target), (Role::Leader, None));
    let (_, events, _) = run(&mut s, &mut rng, |n, c| n.on_client_request(req(21), c));
    assert!(
        matches!(events[0], RaftEvent::RequestAccepted { .. }),
        "{events:?}"
    );
}

#[test]
fn thesis_3_10_the_target_of_timeout_now_campaigns_at_once_past_pre_vote() {
    let mut rng = SimRng::from_seed(17);
    let mut s = server(3, 2, &[1, 2], &all_on(), &mut rng);
    run_at(&mut s, &mut rng, 5_000, |n, c| {
        n.on_message(0, heartbeat(2, 0, (2, 2)), c)
    });
    let (sent, events, _) = run_at(&mut s, &mut rng, 5_001, |n, c| {
        n.on_message(
            0,
            Message::TimeoutNow {
                term: 2,
                leader_id: 0,
            },
            c,
        )
    });
    assert_eq!(
        events[..2],
        [
            RaftEvent::TimeoutNowReceived { leader: 0, term: 2 },
            RaftEvent::BecameCandidate { term: 3 }
        ]
    );
    assert_eq!((s.role, s.current_term), (Role::Candidate, 3));
    assert_eq!(sent.len(), N - 1);
    for (_, m) in &sent {
        assert_eq!(*m, request_vote(3, 3, (2, 2), true), "no PreVote first");
    }
    // A stale TimeoutNow does nothing.
    let (sent, events, _) = run(&mut s, &mut rng, |n, c| {
        n.on_message(
            0,
            Message::TimeoutNow {
                term: 2,
                leader_id: 0,
            },
            c,
        )
    });
    assert!(sent.is_empty() && events.is_empty());
}

#[test]
fn thesis_3_10_no_transfer_with_the_switch_off_or_from_a_follower() {
    let mut rng = SimRng::from_seed(18);
    let mut off = server(0, 1, &[1], &config(true, true, false), &mut rng);
    elect(&mut off, &mut rng);
    assert!(!off.can_transfer_leadership(1));
    let follower = server(1, 1, &[1], &all_on(), &mut rng);
    assert!(!follower.can_transfer_leadership(2));
}

// ---- Whole clusters ----

fn sim_with(cfg: RaftConfig, seed: u64) -> Checked {
    let mut config = SimConfig::new(N, seed);
    config.protocol = cfg;
    Checked::with_config(config)
}

fn became_candidate(events: &[EventOf<Raft>]) -> Vec<(usize, u64)> {
    events
        .iter()
        .filter_map(|e| match e.event {
            SimEvent::Protocol {
                node,
                event: RaftEvent::BecameCandidate { term },
            } => Some((node, term)),
            _ => None,
        })
        .collect()
}

/// Thesis 4.2.3: a follower cut off for two seconds, then let back in.
/// Returns (its term when it rejoins, the leader before, the events after
/// rejoining, the cluster).
fn partitioned_follower_rejoins(cfg: RaftConfig, seed: u64) -> (u64, usize, u64, Checked) {
    let mut c = sim_with(cfg, seed);
    let leader = c.run_until_settled(3_000 * MS).expect("a leader");
    let term = c.node(leader).current_term;
    let f = (leader + 1) % N;
    c.apply(Command::Isolate { node: f });
    c.run_for(2_000 * MS);
    let isolated_term = c.node(f).current_term;
    c.apply(Command::Rejoin { node: f });
    c.run_for(1_000 * MS);
    assert!(c.node(leader).current_term >= term);
    (isolated_term, leader, term, c)
}

#[test]
fn thesis_4_2_3_without_pre_vote_a_rejoining_partitioned_server_disrupts_the_leader() {
    for seed in 0..5 {
        let (isolated_term, leader, term, c) =
            partitioned_follower_rejoins(RaftConfig::default(), seed);
        assert!(
            isolated_term > term + 3,
            "seed {seed}: its term climbed while cut off ({isolated_term} vs {term})"
        );
        let now = c.node(leader);
        assert!(
            now.current_term >= isolated_term,
            "seed {seed}: the cluster was dragged to the rejoined server's term"
        );
        assert!(
            now.role != Role::Leader || now.current_term > term,
            "seed {seed}: the leader of term {term} was deposed"
        );
    }
}

#[test]
fn thesis_4_2_3_and_9_6_with_pre_vote_a_rejoining_partitioned_server_does_not() {
    for seed in 0..5 {
        let (isolated_term, leader, term, c) =
            partitioned_follower_rejoins(config(true, false, false), seed);
        assert_eq!(
            isolated_term, term,
            "seed {seed}: pre-votes never reach a majority: no term moves"
        );
        let now = c.node(leader);
        assert_eq!(
            (now.role, now.current_term),
            (Role::Leader, term),
            "seed {seed}: the leader leads on, in the same term"
        );
        assert_eq!(c.settled_leader(), Some(leader), "seed {seed}");
    }
}

/// The leader cut off from everyone for two seconds: (whether it still
/// thinks it leads at the end, the cluster, every event while it was cut off).
fn isolated_leader(cfg: RaftConfig, seed: u64) -> (usize, Checked, Vec<EventOf<Raft>>) {
    let mut c = sim_with(cfg, seed);
    let leader = c.run_until_settled(3_000 * MS).expect("a leader");
    let mut events = c.apply(Command::Isolate { node: leader });
    events.extend(c.run_for(2_000 * MS));
    (leader, c, events)
}

#[test]
fn thesis_6_2_without_check_quorum_an_isolated_leader_keeps_thinking_it_leads() {
    for seed in 0..5 {
        let (leader, c, _) = isolated_leader(RaftConfig::default(), seed);
        assert_eq!(c.node(leader).role, Role::Leader, "seed {seed}");
        assert_eq!(
            c.leaders().len(),
            2,
            "seed {seed}: the others elected one too"
        );
    }
}

#[test]
fn thesis_6_2_with_check_quorum_an_isolated_leader_steps_down() {
    for seed in 0..5 {
        let (leader, c, events) = isolated_leader(config(false, true, false), seed);
        let min = c.sim.config().protocol.election_timeout_min;
        let lost = events
            .iter()
            .find(|e| {
                matches!(
                    e.event,
                    SimEvent::Protocol {
                        event: RaftEvent::QuorumLost { .. },
                        node
                    } if node == leader
                )
            })
            .unwrap_or_else(|| panic!("seed {seed}: no QuorumLost"));
        let isolated_at = events[0].time;
        assert!(
            lost.time <= isolated_at + 2 * min,
            "seed {seed}: within two checks of being cut off"
        );
        assert_ne!(c.node(leader).role, Role::Leader, "seed {seed}");
        assert_eq!(
            c.leaders().len(),
            1,
            "seed {seed}: one leader, on the majority side"
        );
    }
}

/// A settled cluster with every extension on, one request committed, and its
/// leader asked to hand over to the server two along: (the cluster, the
/// leader, the target, the leader's term, what the command did).
fn transfer_run(seed: u64) -> (Checked, usize, usize, u64, Vec<EventOf<Raft>>) {
    let mut c = sim_with(all_on(), seed);
    let leader = c.run_until_settled(3_000 * MS).expect("a leader");
    c.request(leader, 'x', 1);
    c.run_for(100 * MS);
    let term = c.node(leader).current_term;
    let target = (leader + 2) % N;
    let events = c.apply(Command::TransferLeadership {
        node: leader,
        to: target,
    });
    (c, leader, target, term, events)
}

#[test]
fn thesis_3_10_the_transfer_command_hands_leadership_to_the_target_which_wins_the_next_term() {
    for seed in 0..5 {
        let (mut c, leader, target, term, mut events) = transfer_run(seed);
        events.extend(c.run_for(300 * MS));
        assert!(
            events.iter().any(|e| matches!(
                &e.event,
                SimEvent::MessageSent { envelope } if envelope.to == target
                    && matches!(envelope.payload, Message::TimeoutNow { .. })
            )),
            "seed {seed}: TimeoutNow went to the target"
        );
        assert_eq!(
            became_candidate(&events),
            vec![(target, term + 1)],
            "seed {seed}: the target, and only it, campaigned"
        );
        assert_eq!(c.settled_leader(), Some(target), "seed {seed}");
        assert_eq!(c.node(target).current_term, term + 1);
        assert_eq!(c.node(leader).transfer_target, None);
        // The entry the old leader took before the transfer is not lost.
        assert_eq!(c.node(target).log.term_at(1), Some(term), "seed {seed}");
    }
}

#[test]
fn thesis_3_10_a_transfer_to_a_cut_off_target_is_abandoned_after_an_election_timeout() {
    let mut c = sim_with(all_on(), 3);
    let leader = c.run_until_settled(3_000 * MS).expect("a leader");
    let target = (leader + 1) % N;
    c.apply(Command::Isolate { node: target });
    let started = c.sim.now();
    c.apply(Command::TransferLeadership {
        node: leader,
        to: target,
    });
    let refused = c.request(leader, 'y', 1);
    let events = c.run_for(400 * MS);
    let ended = events
        .iter()
        .find(|e| {
            matches!(
                e.event,
                SimEvent::Protocol {
                    event: RaftEvent::TransferEnded {
                        reason: TransferEnd::TimedOut,
                        ..
                    },
                    ..
                }
            )
        })
        .expect("abandoned");
    assert_eq!(
        ended.time,
        started + c.sim.config().protocol.election_timeout_min
    );
    let l = c.node(leader);
    assert_eq!((l.role, l.transfer_target), (Role::Leader, None));
    assert!(!l.kv.applied_requests.contains(&refused.id));
    let taken = c.request(leader, 'y', 2);
    c.run_for(200 * MS);
    assert!(c.node(leader).kv.applied_requests.contains(&taken.id));
}

#[test]
fn thesis_3_10_the_transfer_command_is_refused_when_it_cannot_be_done() {
    let mut c = sim_with(config(true, true, false), 1);
    let leader = c.run_until_settled(3_000 * MS).expect("a leader");
    let other = (leader + 1) % N;
    let refuse = |c: &Checked, command| c.sim.check(&command).unwrap_err().kind().clone();
    assert_eq!(
        refuse(
            &c,
            Command::TransferLeadership {
                node: leader,
                to: other
            }
        ),
        SimErrorKind::NoTransfer {
            node: leader,
            to: other
        },
        "the switch is off"
    );
    let mut c = sim_with(all_on(), 1);
    let leader = c.run_until_settled(3_000 * MS).expect("a leader");
    let other = (leader + 1) % N;
    assert_eq!(
        refuse(
            &c,
            Command::TransferLeadership {
                node: other,
                to: leader
            }
        ),
        SimErrorKind::NoTransfer {
            node: other,
            to: leader
        },
        "a follower has no leadership to hand over"
    );
    assert_eq!(
        refuse(
            &c,
            Command::TransferLeadership {
                node: leader,
                to: leader
            }
        ),
        SimErrorKind::TransferToItself { node: leader }
    );
    let e = c
        .sim
        .check(&Command::TransferLeadership {
            node: other,
            to: leader,
        })
        .unwrap_err();
    assert_eq!(
        e.0,
        format!(
            "{} cannot hand its leadership to {} now",
            quorum_sim::node_name(other),
            quorum_sim::node_name(leader)
        )
    );
    c.apply(Command::Crash { node: leader });
    assert_eq!(
        refuse(
            &c,
            Command::TransferLeadership {
                node: leader,
                to: other
            }
        ),
        SimErrorKind::Crashed { node: leader }
    );
}

#[test]
fn thesis_3_10_a_run_with_a_transfer_shares_as_a_link_and_replays_to_the_same_hash() {
    let (mut c, _, _, _, _) = transfer_run(2);
    c.run_for(500 * MS);
    let run = SharedRun {
        protocol: "raft".into(),
        nodes: N,
        seed: 2,
        params: vec![],
        moment: (c.sim.events_processed(), c.sim.now()),
        commands: c.sim.commands().to_vec(),
    };
    let decoded = share::decode(&share::encode(&run)).expect("decodes");
    assert_eq!(decoded, run);
    let mut replayed =
        Sim::<Raft>::replay(c.sim.config().clone(), &decoded.commands).expect("replays");
    replayed.advance_to(c.sim.now());
    assert_eq!(replayed.trace_hash(), c.sim.trace_hash());
}

#[test]
fn the_extensions_switched_off_leave_a_run_exactly_as_before() {
    // Off is the default: the same seed and commands give the same trace
    // whether the config is written out or left to its defaults.
    let run = |cfg: RaftConfig| {
        let mut c = sim_with(cfg, 9);
        let leader = c.run_until_settled(3_000 * MS).expect("a leader");
        c.apply(Command::Isolate {
            node: (leader + 1) % N,
        });
        c.run_for(1_000 * MS);
        c.sim.trace_hash()
    };
    assert_eq!(run(config(false, false, false)), run(RaftConfig::default()));
    assert_ne!(run(all_on()), run(RaftConfig::default()));
}

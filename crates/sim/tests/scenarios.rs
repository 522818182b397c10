//! Whole-cluster scenarios over the simulated network, every event checked
//! against the safety properties.

mod common;

use common::Checked;
use quorum_sim::raft::{Message, RaftEvent, Role};
use quorum_sim::sim::{DropReason, SimEvent};
use quorum_sim::{Command, NodeStatus, MS};

#[test]
fn sec5_2_first_election_elects_exactly_one_leader() {
    for seed in 0..50 {
        let mut c = Checked::new(5, seed);
        let leader = c
            .run_until_settled(3_000 * MS)
            .unwrap_or_else(|| panic!("seed {seed}: no leader in 3 s"));
        assert_eq!(c.leaders(), vec![leader], "seed {seed}");
        assert!(c.node(leader).current_term >= 1);
    }
}

#[test]
fn sec5_2_crashing_the_leader_elects_a_new_one_in_a_higher_term() {
    let mut c = Checked::new(5, 7);
    let old = c.run_until_settled(3_000 * MS).expect("leader");
    let old_term = c.node(old).current_term;
    c.apply(Command::Crash { node: old });
    let new = c.run_until_settled(3_000 * MS).expect("a new leader");
    assert_ne!(new, old);
    assert!(c.node(new).current_term > old_term);
    // The old leader comes back as a follower of the new term.
    c.apply(Command::Restart { node: old });
    let after = c.run_until_settled(3_000 * MS).expect("settled");
    assert_eq!(c.node(old).role, Role::Follower);
    assert_eq!(c.node(old).current_term, c.node(after).current_term);
}

#[test]
fn sec5_3_client_request_commits_on_every_server_and_is_applied() {
    let mut c = Checked::new(5, 3);
    let leader = c.run_until_settled(3_000 * MS).expect("leader");
    let request = c.request(leader, 'x', 42);
    c.run_for(500 * MS);
    for id in 0..5 {
        let n = c.node(id);
        assert_eq!(
            n.log.entry(1).map(|e| e.request),
            Some(request),
            "S{}",
            id + 1
        );
        assert_eq!(
            n.commit_index,
            1,
            "heartbeats carry the leader's commitIndex to S{}",
            id + 1
        );
        assert_eq!(n.kv.data.get(&'x'), Some(&42));
    }
}

#[test]
fn sec8_request_to_a_follower_is_forwarded_and_commits() {
    let mut c = Checked::new(3, 11);
    let leader = c.run_until_settled(3_000 * MS).expect("leader");
    let follower = (leader + 1) % 3;
    let events = {
        let request = c
            .sim
            .new_request(quorum_sim::kv::KvOp::Add { key: 'y', by: 5 });
        c.apply(Command::ClientRequest {
            node: follower,
            request,
        })
    };
    assert!(events.iter().any(|e| matches!(
        &e.event,
        SimEvent::MessageSent { envelope } if matches!(envelope.payload, Message::ClientRequest { .. }) && envelope.to == leader
    )));
    c.run_for(500 * MS);
    assert!((0..3).all(|id| c.node(id).kv.data.get(&'y') == Some(&5)));
}

#[test]
fn fig2_crashed_follower_catches_up_after_restart_by_backing_off_next_index() {
    let mut c = Checked::new(5, 5);
    let leader = c.run_until_settled(3_000 * MS).expect("leader");
    let lagging = (leader + 2) % 5;
    c.apply(Command::Crash { node: lagging });
    for v in 0..6 {
        c.request(leader, 'z', v);
        c.run_for(60 * MS);
    }
    c.run_for(300 * MS);
    assert_eq!(
        c.node(leader).commit_index,
        6,
        "four of five servers are a majority"
    );
    // A new leader starts with nextIndex = 7 for everyone (Figure 2), so it
    // must find where the lagging server's log matches by backing off.
    let successor = (leader + 1) % 5;
    c.apply(Command::Timeout { node: successor });
    assert_eq!(c.run_until_settled(3_000 * MS), Some(successor));
    c.apply(Command::Restart { node: lagging });
    let events = c.run_for(1_000 * MS);
    assert!(events.iter().any(|e| matches!(e.event, SimEvent::Protocol { event: RaftEvent::NextIndexDecremented { follower, .. }, .. } if follower == lagging)));
    let n = c.node(lagging);
    assert_eq!((n.log.last_index(), n.commit_index), (6, 6));
    assert_eq!(n.kv.data.get(&'z'), Some(&5));
}

#[test]
fn sec5_4_isolated_old_leader_cannot_commit_and_steps_down_on_rejoining() {
    let mut c = Checked::new(5, 9);
    let old = c.run_until_settled(3_000 * MS).expect("leader");
    for other in (0..5).filter(|n| *n != old) {
        c.apply(Command::CutLink {
            from: old,
            to: other,
        });
        c.apply(Command::CutLink {
            from: other,
            to: old,
        });
    }
    let stale = c.request(old, 'q', 1);
    let new = {
        let end = c.sim.now() + 3_000 * MS;
        loop {
            c.run_for(50 * MS);
            let majority_leader = c.leaders().into_iter().find(|l| *l != old);
            if let Some(l) = majority_leader {
                break l;
            }
            assert!(c.sim.now() < end, "the majority elects a leader");
        }
    };
    assert_eq!(
        c.node(old).role,
        Role::Leader,
        "the isolated leader does not know yet"
    );
    assert_eq!(
        c.node(old).commit_index,
        0,
        "but it cannot commit without a majority"
    );
    let fresh = c.request(new, 'q', 2);
    c.run_for(500 * MS);
    c.apply(Command::HealAll);
    let settled = c.run_until_settled(3_000 * MS).expect("settled");
    assert_eq!(settled, new);
    let n = c.node(old);
    assert_eq!(n.role, Role::Follower);
    assert_eq!(
        n.log.entry(1).map(|e| e.request),
        Some(fresh),
        "its uncommitted entry was replaced"
    );
    assert!(n.log.iter().all(|(_, e)| e.request != stale));
}

#[test]
fn user_drop_removes_a_message_which_is_never_delivered() {
    let mut c = Checked::new(3, 1);
    c.run_until_settled(3_000 * MS).expect("leader");
    while c.sim.in_flight().next().is_none() {
        c.step();
    }
    let id = c.sim.in_flight().next().expect("heartbeats in flight").id;
    let events = c.apply(Command::DropMessage { id });
    assert!(matches!(
        events[0].event,
        SimEvent::MessageDropped {
            reason: DropReason::User,
            ..
        }
    ));
    assert!(c.sim.message(id).is_none());
    let later = c.run_for(1_000 * MS);
    assert!(!later
        .iter()
        .any(|e| matches!(e.event, SimEvent::MessageDelivered { id: d, .. } if d == id)));
    assert!(
        c.sim.apply(Command::DropMessage { id }).is_err(),
        "a dropped message cannot be dropped twice"
    );
}

#[test]
fn crash_stops_timers_and_loses_messages_to_the_node() {
    let mut c = Checked::new(3, 2);
    let leader = c.run_until_settled(3_000 * MS).expect("leader");
    let victim = (leader + 1) % 3;
    // Run until a message to the victim is in flight.
    while !c.sim.in_flight().any(|e| e.to == victim) {
        c.step();
    }
    let events = c.apply(Command::Crash { node: victim });
    assert!(events.iter().any(|e| matches!(e.event, SimEvent::MessageDropped { to, reason: DropReason::ReceiverCrashed, .. } if to == victim)));
    assert!(c.sim.node(victim).unwrap().timers.is_empty());
    assert!(!c.sim.in_flight().any(|e| e.to == victim));
    let later = c.run_for(1_000 * MS);
    assert!(!later
        .iter()
        .any(|e| matches!(e.event, SimEvent::TimerFired { node, .. } if node == victim)));
    assert_eq!(c.sim.node(victim).unwrap().status(), NodeStatus::Crashed);
}

#[test]
fn forced_timeout_starts_an_election_at_once() {
    let mut c = Checked::new(5, 4);
    let leader = c.run_until_settled(3_000 * MS).expect("leader");
    let follower = (leader + 1) % 5;
    let term = c.node(follower).current_term;
    let events = c.apply(Command::Timeout { node: follower });
    assert!(events.iter().any(|e| matches!(e.event, SimEvent::Protocol { event: RaftEvent::BecameCandidate { term: t }, .. } if t == term + 1)));
    assert_eq!(c.node(follower).role, Role::Candidate);
}

#[test]
fn commands_that_cannot_apply_are_refused_with_a_reason_and_not_recorded() {
    let mut c = Checked::new(3, 6);
    let leader = c.run_until_settled(3_000 * MS).expect("leader");
    let before = c.sim.commands().len();
    let hash = c.sim.trace_hash();
    let refusals = [
        Command::Restart { node: 0 },
        Command::Crash { node: 9 },
        Command::Timeout { node: leader },
        Command::DropMessage { id: 999_999 },
        Command::CutLink { from: 1, to: 1 },
    ];
    for cmd in refusals {
        let err = c.sim.apply(cmd.clone()).expect_err("refused");
        assert!(!err.to_string().is_empty(), "{cmd:?} explains itself");
    }
    c.apply(Command::Crash { node: 1 });
    assert!(c
        .sim
        .apply(Command::Crash { node: 1 })
        .unwrap_err()
        .to_string()
        .contains("already crashed"));
    let request = c
        .sim
        .new_request(quorum_sim::kv::KvOp::Set { key: 'a', value: 1 });
    assert!(c
        .sim
        .apply(Command::ClientRequest { node: 1, request })
        .is_err());
    assert_eq!(
        c.sim.commands().len(),
        before + 1,
        "only the crash was recorded"
    );
    assert_ne!(c.sim.trace_hash(), hash);
}

/// Delivery order per link, for a burst of client requests.
fn overtakes(ordered: bool) -> usize {
    let mut config = quorum_sim::SimConfig::new(3, 12);
    config.network.ordered = ordered;
    config.network.latency_min = MS;
    config.network.latency_max = 40 * MS;
    let mut c = Checked::with_config(config);
    let leader = c.run_until_settled(3_000 * MS).expect("leader");
    let mut sent = std::collections::BTreeMap::new();
    let mut overtaken = 0;
    for v in 0..30 {
        c.request(leader, 'b', v);
        for e in c.run_for(2 * MS) {
            match e.event {
                SimEvent::MessageSent { envelope } => {
                    sent.insert(envelope.id, (envelope.from, envelope.to));
                }
                SimEvent::MessageDelivered { id, from, to } => {
                    // Any earlier message on this link still in flight was overtaken.
                    overtaken += c
                        .sim
                        .in_flight()
                        .filter(|m| m.from == from && m.to == to && m.id < id)
                        .count();
                }
                _ => {}
            }
        }
    }
    overtaken
}

#[test]
fn ordered_links_deliver_in_send_order_and_unordered_links_may_not() {
    assert_eq!(overtakes(true), 0);
    assert!(
        overtakes(false) > 0,
        "random latency lets later messages overtake"
    );
}

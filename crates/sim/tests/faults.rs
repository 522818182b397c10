//! The network and timer faults a user can inject (issue 3): duplicate and
//! delay a message, isolate and rejoin a server, split the cluster, align and
//! spread the election timers. Each is a recorded command, so each replays.

mod common;

use common::Checked;
use quorum_sim::raft::{Message, Raft, RaftEvent, RaftTimer, Role};
use quorum_sim::sim::{EventOf, SimEvent};
use quorum_sim::{Command, MsgId, NodeId, Sim, Time, MS};

/// Delivery order of messages: (id, from, to) as they arrive.
fn deliveries(events: &[EventOf<Raft>]) -> Vec<(MsgId, NodeId, NodeId)> {
    events
        .iter()
        .filter_map(|e| match e.event {
            SimEvent::MessageDelivered { id, from, to } => Some((id, from, to)),
            _ => None,
        })
        .collect()
}

/// A cluster with a leader, paused right after it sent AppendEntries to everyone.
fn leader_with_appends_in_flight(seed: u64) -> (Checked, NodeId) {
    let mut c = Checked::new(5, seed);
    let leader = c.run_until_settled(3_000 * MS).expect("a leader");
    // Run to the next heartbeat round.
    while !c
        .sim
        .in_flight()
        .any(|e| e.from == leader && matches!(e.payload, Message::AppendEntries { .. }))
    {
        c.step();
    }
    (c, leader)
}

#[test]
fn duplicate_delivers_the_same_payload_twice_under_a_fresh_id() {
    let (mut c, leader) = leader_with_appends_in_flight(3);
    let original = c
        .sim
        .in_flight()
        .find(|e| e.from == leader)
        .cloned()
        .unwrap();
    let events = c.apply(Command::DuplicateMessage { id: original.id });
    let copy = events
        .iter()
        .find_map(|e| match &e.event {
            SimEvent::MessageDuplicated {
                original: o,
                envelope,
            } if *o == original.id => Some(envelope.clone()),
            _ => None,
        })
        .expect("a MessageDuplicated event");
    assert_ne!(copy.id, original.id);
    assert_eq!(
        (copy.from, copy.to, &copy.payload),
        (original.from, original.to, &original.payload)
    );
    assert_eq!(copy.sent_at, original.sent_at);
    let delivered = deliveries(&c.run_for(200 * MS));
    assert!(delivered.contains(&(original.id, original.from, original.to)));
    assert!(delivered.contains(&(copy.id, copy.from, copy.to)));
    // Raft takes the duplicate in its stride (Figure 2 is idempotent): still one leader.
    assert_eq!(c.leaders(), vec![leader]);
}

/// The ids delivered on the link `from → to` within `window`, in arrival order.
fn arrivals_on(c: &mut Checked, link: (NodeId, NodeId), window: Time) -> Vec<MsgId> {
    deliveries(&c.run_for(window))
        .iter()
        .filter(|d| (d.1, d.2) == link)
        .map(|d| d.0)
        .collect()
}

#[test]
fn a_delayed_message_is_overtaken_by_a_later_one_on_the_same_ordered_link() {
    for delayed in [false, true] {
        let (mut c, leader) = leader_with_appends_in_flight(5);
        assert!(c.sim.network().ordered, "links are FIFO by default");
        let first = c
            .sim
            .in_flight()
            .find(|e| e.from == leader)
            .cloned()
            .unwrap();
        if delayed {
            let events = c.apply(Command::DelayMessage {
                id: first.id,
                by: 200 * MS,
            });
            assert_eq!(
                events.iter().map(|e| &e.event).collect::<Vec<_>>(),
                [&SimEvent::MessageDelayed {
                    id: first.id,
                    from: first.from,
                    to: first.to,
                    deliver_at: first.deliver_at + 200 * MS
                }]
            );
            assert_eq!(
                c.sim.message(first.id).unwrap().deliver_at,
                first.deliver_at + 200 * MS
            );
        }
        // A client request makes the leader send a later message on the same link.
        c.request(leader, 'x', 1);
        let later = c
            .sim
            .in_flight()
            .filter(|e| (e.from, e.to) == (first.from, first.to) && e.id > first.id)
            .map(|e| e.id)
            .next()
            .expect("a later message on the link");
        let on_link = arrivals_on(&mut c, (first.from, first.to), 300 * MS);
        let pos = |id| on_link.iter().position(|&x| x == id).unwrap();
        if delayed {
            assert!(
                pos(later) < pos(first.id),
                "#{later} overtook the delayed #{}: {on_link:?}",
                first.id
            );
        } else {
            // Without the delay the link is FIFO: arrivals in send (= id) order.
            assert!(on_link.windows(2).all(|w| w[0] < w[1]), "{on_link:?}");
            assert!(pos(first.id) < pos(later));
        }
    }
}

#[test]
fn delay_and_duplicate_refuse_a_message_no_longer_in_flight() {
    let (mut c, _) = leader_with_appends_in_flight(3);
    let id = c.sim.in_flight().next().unwrap().id;
    c.run_for(100 * MS);
    assert!(c.sim.message(id).is_none());
    for cmd in [
        Command::DuplicateMessage { id },
        Command::DelayMessage { id, by: MS },
    ] {
        let e = c.sim.check(&cmd).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("message {id} is no longer in flight")
        );
    }
    let live = c.sim.in_flight().next().unwrap().id;
    assert!(c
        .sim
        .check(&Command::DelayMessage { id: live, by: 0 })
        .is_err());
    assert!(c
        .sim
        .check(&Command::DelayMessage {
            id: live,
            by: 11_000 * MS
        })
        .is_err());
}

fn count<F: Fn(&SimEvent<Message, RaftTimer, RaftEvent>) -> bool>(
    events: &[EventOf<Raft>],
    f: F,
) -> usize {
    events.iter().filter(|e| f(&e.event)).count()
}

fn is_cut(e: &SimEvent<Message, RaftTimer, RaftEvent>) -> bool {
    matches!(e, SimEvent::LinkCut { .. })
}

fn is_healed(e: &SimEvent<Message, RaftTimer, RaftEvent>) -> bool {
    matches!(e, SimEvent::LinkHealed { .. })
}

#[test]
fn isolate_cuts_every_link_of_a_server_and_rejoin_heals_them() {
    for n in [3, 5, 7] {
        let mut c = Checked::new(n, 1);
        let events = c.apply(Command::Isolate { node: 2 });
        assert_eq!(count(&events, is_cut), 2 * (n - 1));
        let cut: Vec<_> = c.sim.links().cut_links().collect();
        assert_eq!(cut.len(), 2 * (n - 1), "2 × ({n} − 1) directed links");
        assert!(cut.iter().all(|&(a, b)| a == 2 || b == 2));
        assert_eq!(
            c.sim.check(&Command::Isolate { node: 2 }).unwrap_err().0,
            "S3 is already isolated"
        );
        let events = c.apply(Command::Rejoin { node: 2 });
        assert_eq!(count(&events, is_healed), 2 * (n - 1));
        assert_eq!(c.sim.links().cut_links().count(), 0);
        assert_eq!(
            c.sim.check(&Command::Rejoin { node: 2 }).unwrap_err().0,
            "every link of S3 is up already"
        );
    }
}

#[test]
fn isolate_and_rejoin_report_only_the_links_they_change() {
    let mut c = Checked::new(5, 1);
    c.apply(Command::CutLink { from: 0, to: 2 });
    c.apply(Command::CutLink { from: 3, to: 4 });
    let events = c.apply(Command::Isolate { node: 2 });
    assert_eq!(count(&events, is_cut), 7, "S1 → S3 was cut already");
    assert!(!events
        .iter()
        .any(|e| e.event == SimEvent::LinkCut { from: 0, to: 2 }));
    c.apply(Command::HealLink { from: 2, to: 1 });
    let events = c.apply(Command::Rejoin { node: 2 });
    assert_eq!(count(&events, is_healed), 7);
    // A link that does not touch S3 is not its to heal.
    assert_eq!(c.sim.links().cut_links().collect::<Vec<_>>(), [(3, 4)]);
    // A split with S5 alone on one side isolates it; with one link healed,
    // isolating it cuts just that link.
    c.apply(Command::Partition {
        side: vec![0, 1, 2, 3],
    });
    assert_eq!(
        c.sim.check(&Command::Isolate { node: 4 }).unwrap_err().0,
        "S5 is already isolated"
    );
    c.apply(Command::HealLink { from: 4, to: 0 });
    let events = c.apply(Command::Isolate { node: 4 });
    assert_eq!(
        events.iter().map(|e| &e.event).collect::<Vec<_>>(),
        [&SimEvent::LinkCut { from: 4, to: 0 }]
    );
}

#[test]
fn sec5_2_a_split_elects_a_leader_only_on_the_majority_side() {
    for seed in 0..10 {
        let mut c = Checked::new(5, seed);
        let events = c.apply(Command::Partition { side: vec![0, 1] });
        assert_eq!(count(&events, is_cut), 12, "2 × 3 × 2");
        assert_eq!(c.sim.links().cut_links().count(), 12);
        assert!(!c.sim.links().is_cut(0, 1) && !c.sim.links().is_cut(2, 3));
        assert!(c.sim.links().is_cut(1, 4) && c.sim.links().is_cut(4, 1));
        c.run_for(3_000 * MS);
        let leaders = c.leaders();
        assert_eq!(leaders.len(), 1, "seed {seed}: one leader: {leaders:?}");
        assert!(
            leaders[0] >= 2,
            "seed {seed}: on the majority side {{S3, S4, S5}}"
        );
        for minority in [0, 1] {
            assert_ne!(c.node(minority).role, Role::Leader, "seed {seed}");
        }
    }
    for bad in [vec![], vec![0, 1, 2, 3, 4], vec![0, 0], vec![7]] {
        let c = Checked::new(5, 1);
        assert!(
            c.sim
                .check(&Command::Partition { side: bad.clone() })
                .is_err(),
            "{bad:?}"
        );
    }
}

#[test]
fn sec5_2_a_leader_cut_off_in_a_minority_stays_alone_while_the_majority_elects() {
    let mut c = Checked::new(5, 4);
    let old = c.run_until_settled(3_000 * MS).expect("a leader");
    let buddy = (old + 1) % 5;
    let events = c.apply(Command::Partition {
        side: vec![old, buddy],
    });
    assert_eq!(count(&events, is_cut), 12);
    let accepted = c.request(old, 'x', 7);
    c.run_for(3_000 * MS);
    let old_term = c.node(old).current_term;
    // The old leader still thinks it leads, but cannot commit without a majority.
    let new: Vec<NodeId> = c.leaders().into_iter().filter(|&l| l != old).collect();
    assert_eq!(new.len(), 1, "{:?}", c.leaders());
    assert!(new[0] != buddy && c.node(new[0]).current_term > old_term);
    assert!(!c.node(old).kv.applied_requests.contains(&accepted.id));
    // Healed, the old leader steps down to the new one.
    c.apply(Command::HealAll);
    assert_eq!(c.run_until_settled(3_000 * MS), Some(new[0]));
}

/// The first election within `window` of virtual time: its term, who stood
/// in it, and who won it, if anyone did.
fn first_election(c: &mut Checked, window: Time) -> (u64, Vec<NodeId>, Option<NodeId>) {
    let mut candidates: Vec<(u64, NodeId)> = Vec::new();
    let mut leaders: Vec<(u64, NodeId)> = Vec::new();
    for e in c.run_for(window) {
        match e.event {
            SimEvent::Protocol {
                node,
                event: RaftEvent::BecameCandidate { term },
            } => candidates.push((term, node)),
            SimEvent::Protocol {
                node,
                event: RaftEvent::BecameLeader { term },
            } => leaders.push((term, node)),
            _ => {}
        }
    }
    let term = candidates.iter().map(|f| f.0).min().expect("an election");
    let nodes = candidates
        .iter()
        .filter(|f| f.0 == term)
        .map(|f| f.1)
        .collect();
    let winner = leaders.iter().find(|l| l.0 == term).map(|l| l.1);
    (term, nodes, winner)
}

#[test]
fn sec5_2_aligned_timers_split_the_vote() {
    for seed in 0..20 {
        let mut c = Checked::new(5, seed);
        let events = c.apply(Command::AlignTimers);
        assert!(matches!(
            &events[0].event,
            SimEvent::TimersAligned { nodes, .. } if nodes == &[0, 1, 2, 3, 4]
        ));
        let deadlines: Vec<Time> = (0..5)
            .map(|n| c.sim.nodes()[n].timers[&RaftTimer::Election].deadline)
            .collect();
        assert!(
            deadlines.iter().all(|&d| d == deadlines[0]),
            "{deadlines:?}"
        );
        let (term, candidates, winner) = first_election(&mut c, 400 * MS);
        assert_eq!(term, 1);
        assert_eq!(candidates.len(), 5, "seed {seed}: everyone stands at once");
        assert_eq!(winner, None, "seed {seed}: a split vote");
        // Each votes for itself: nobody wins term 1, a later term elects someone.
        let leader = c.run_until_settled(5_000 * MS).expect("a leader, later");
        assert!(c.node(leader).current_term > 1, "seed {seed}");
    }
}

#[test]
fn sec5_2_spread_timers_give_one_candidate_who_wins() {
    for seed in 0..20 {
        let mut c = Checked::new(5, seed);
        c.apply(Command::SpreadTimers);
        let mut deadlines: Vec<Time> = (0..5)
            .map(|n| c.sim.nodes()[n].timers[&RaftTimer::Election].deadline)
            .collect();
        deadlines.sort_unstable();
        let gap = 2 * c.sim.network().latency_max + 1;
        assert!(deadlines.windows(2).all(|w| w[1] - w[0] == gap));
        let (term, candidates, winner) = first_election(&mut c, 400 * MS);
        assert_eq!((term, candidates.len()), (1, 1), "seed {seed}");
        assert_eq!(winner, Some(candidates[0]), "seed {seed}");
        let leader = c.run_until_settled(400 * MS).expect("a leader");
        assert_eq!(leader, candidates[0], "seed {seed}");
        assert_eq!(c.node(leader).current_term, 1);
    }
}

#[test]
fn align_and_spread_need_two_armed_timers() {
    let mut c = Checked::new(3, 2);
    c.apply(Command::Crash { node: 0 });
    c.apply(Command::Crash { node: 1 });
    for cmd in [Command::AlignTimers, Command::SpreadTimers] {
        assert_eq!(
            c.sim.check(&cmd).unwrap_err().0,
            "fewer than two running servers have a timeout armed"
        );
    }
    c.apply(Command::Restart { node: 1 });
    assert!(c.sim.check(&Command::AlignTimers).is_ok());
}

#[test]
fn every_fault_command_replays_to_the_same_trace_and_round_trips_through_json() {
    let (mut c, leader) = leader_with_appends_in_flight(9);
    let id = c.sim.in_flight().next().unwrap().id;
    let follower = (leader + 1) % 5;
    let commands = [
        Command::DuplicateMessage { id },
        Command::DelayMessage { id, by: 40 * MS },
        Command::Isolate { node: follower },
        Command::Rejoin { node: follower },
        Command::Partition {
            side: vec![leader, follower],
        },
        Command::HealAll,
        Command::AlignTimers,
        Command::SpreadTimers,
    ];
    let before = c.sim.trace_hash();
    let mut new_events = Vec::new();
    for cmd in commands {
        let json = serde_json::to_string(&cmd).unwrap();
        assert_eq!(serde_json::from_str::<Command>(&json).unwrap(), cmd);
        let hash = c.sim.trace_hash();
        let events = c.apply(cmd.clone());
        assert_ne!(c.sim.trace_hash(), hash, "{cmd:?} leaves a trace");
        new_events.extend(events.into_iter().filter(|e| {
            matches!(
                e.event,
                SimEvent::MessageDuplicated { .. }
                    | SimEvent::MessageDelayed { .. }
                    | SimEvent::TimersAligned { .. }
                    | SimEvent::TimersSpread { .. }
            )
        }));
        c.run_for(7 * MS);
    }
    assert_eq!(new_events.len(), 4);
    for e in &new_events {
        let json = serde_json::to_string(e).unwrap();
        assert_eq!(&serde_json::from_str::<EventOf<Raft>>(&json).unwrap(), e);
    }
    c.run_for(500 * MS);
    let mut again = Sim::<Raft>::replay(c.sim.config().clone(), c.sim.commands()).unwrap();
    again.advance_to(c.sim.now());
    assert_eq!(again.trace_hash(), c.sim.trace_hash());
    assert_eq!(again.events_processed(), c.sim.events_processed());
    assert_eq!(again.commands(), c.sim.commands());
    // And the commands made a difference: without them the run differs.
    let (mut plain, _) = leader_with_appends_in_flight(9);
    assert_eq!(plain.sim.trace_hash(), before);
    plain.run_until(c.sim.now());
    assert_ne!(plain.sim.trace_hash(), c.sim.trace_hash());
}

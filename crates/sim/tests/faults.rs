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

#[test]
fn a_delayed_message_is_overtaken_by_a_later_one_on_the_same_ordered_link() {
    let (mut c, leader) = leader_with_appends_in_flight(5);
    assert!(c.sim.network().ordered, "links are FIFO by default");
    let first = c
        .sim
        .in_flight()
        .find(|e| e.from == leader)
        .cloned()
        .unwrap();
    let events = c.apply(Command::DelayMessage {
        id: first.id,
        by: 200 * MS,
    });
    assert!(events.iter().any(|e| matches!(
        e.event,
        SimEvent::MessageDelayed { id, deliver_at, .. } if id == first.id && deliver_at == first.deliver_at + 200 * MS
    )));
    assert_eq!(
        c.sim.message(first.id).unwrap().deliver_at,
        first.deliver_at + 200 * MS
    );
    // A client request makes the leader send a later message on the same link.
    c.request(leader, 'x', 1);
    let delivered = deliveries(&c.run_for(300 * MS));
    let on_link: Vec<MsgId> = delivered
        .iter()
        .filter(|d| (d.1, d.2) == (first.from, first.to))
        .map(|d| d.0)
        .collect();
    let pos = on_link.iter().position(|&id| id == first.id).unwrap();
    assert!(
        pos > 0 && on_link[..pos].iter().all(|&id| id > first.id),
        "later messages {on_link:?} overtook #{}",
        first.id
    );
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

#[test]
fn isolate_cuts_every_link_of_a_server_and_rejoin_heals_them() {
    let mut c = Checked::new(5, 1);
    c.apply(Command::Isolate { node: 2 });
    let cut: Vec<_> = c.sim.links().cut_links().collect();
    assert_eq!(cut.len(), 8, "2 × (5 − 1) directed links");
    assert!(cut.iter().all(|&(a, b)| a == 2 || b == 2));
    assert_eq!(
        c.sim.check(&Command::Isolate { node: 2 }).unwrap_err().0,
        "S3 is already isolated"
    );
    c.apply(Command::Rejoin { node: 2 });
    assert_eq!(c.sim.links().cut_links().count(), 0);
    assert!(c.sim.check(&Command::Rejoin { node: 2 }).is_err());
}

#[test]
fn sec5_2_a_split_elects_a_leader_only_on_the_majority_side() {
    let mut c = Checked::new(5, 11);
    c.apply(Command::Partition { side: vec![0, 1] });
    assert_eq!(c.sim.links().cut_links().count(), 12, "2 × 3 × 2");
    assert!(!c.sim.links().is_cut(0, 1) && !c.sim.links().is_cut(2, 3));
    c.run_for(3_000 * MS);
    let leaders = c.leaders();
    assert_eq!(leaders.len(), 1, "one leader: {leaders:?}");
    assert!(leaders[0] >= 2, "on the majority side {{S3, S4, S5}}");
    for minority in [0, 1] {
        assert_ne!(c.node(minority).role, Role::Leader);
    }
    for bad in [vec![], vec![0, 1, 2, 3, 4], vec![0, 0], vec![7]] {
        assert!(
            c.sim
                .check(&Command::Partition { side: bad.clone() })
                .is_err(),
            "{bad:?}"
        );
    }
}

/// Candidates of the first term anyone stood in, within `window` of virtual time.
fn first_candidates(c: &mut Checked, window: Time) -> (u64, Vec<NodeId>) {
    let mut firsts: Vec<(u64, NodeId)> = Vec::new();
    for e in c.run_for(window) {
        if let SimEvent::Protocol {
            node,
            event: RaftEvent::BecameCandidate { term },
        } = e.event
        {
            firsts.push((term, node));
        }
    }
    let term = firsts.iter().map(|f| f.0).min().expect("an election");
    let nodes = firsts.iter().filter(|f| f.0 == term).map(|f| f.1).collect();
    (term, nodes)
}

#[test]
fn sec5_2_aligned_timers_split_the_vote() {
    for seed in 0..20 {
        let mut c = Checked::new(5, seed);
        c.apply(Command::AlignTimers);
        let deadlines: Vec<Time> = (0..5)
            .map(|n| c.sim.nodes()[n].timers[&RaftTimer::Election].deadline)
            .collect();
        assert!(
            deadlines.iter().all(|&d| d == deadlines[0]),
            "{deadlines:?}"
        );
        let (term, candidates) = first_candidates(&mut c, 400 * MS);
        assert_eq!(term, 1);
        assert_eq!(candidates.len(), 5, "seed {seed}: everyone stands at once");
        // Each votes for itself: nobody wins term 1.
        assert!(
            c.leaders().iter().all(|&l| c.node(l).current_term > 1),
            "seed {seed}"
        );
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
        let (term, candidates) = first_candidates(&mut c, 400 * MS);
        assert_eq!((term, candidates.len()), (1, 1), "seed {seed}");
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
    assert!(c.sim.check(&Command::AlignTimers).is_err());
    assert!(c.sim.check(&Command::SpreadTimers).is_err());
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
    for cmd in commands {
        let json = serde_json::to_string(&cmd).unwrap();
        assert_eq!(serde_json::from_str::<Command>(&json).unwrap(), cmd);
        c.apply(cmd);
        c.run_for(7 * MS);
    }
    c.run_for(500 * MS);
    let mut again = Sim::<Raft>::replay(c.sim.config().clone(), c.sim.commands()).unwrap();
    again.advance_to(c.sim.now());
    assert_eq!(again.trace_hash(), c.sim.trace_hash());
    assert_eq!(again.events_processed(), c.sim.events_processed());
}

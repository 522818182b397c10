//! Multi-Paxos ("Paxos Made Simple", section 3): a leader that runs phase 1
//! once for all slots, phase 2 per slot, recovery of half-done slots, no-ops in
//! gaps, and replicas applying in order, every property checked after every
//! event (the randomized fault runs are in `safety_random.rs`).

use quorum_sim::kv::{ClientRequest, KvOp};
use quorum_sim::multipaxos::{
    Ballot, CampaignReason, Cmd, MpEvent, MpMessage, MpPersistent, MpRole, MpTimer, MultiPaxos,
    MultiPaxosConfig, ProposalReason,
};
use quorum_sim::rng::SimRng;
use quorum_sim::sim::{EventOf, SimEvent};
use quorum_sim::{Checker, Command, NodeId, Sim, SimConfig, Time, MS};
use quorum_sim::{Ctx, Protocol};

struct Run {
    sim: Sim<MultiPaxos>,
    checker: Checker<MultiPaxos>,
    next_id: u64,
}

impl Run {
    fn new(nodes: usize, seed: u64) -> Self {
        let sim = Sim::new(SimConfig::<MultiPaxosConfig>::new(nodes, seed)).unwrap();
        let mut checker = Checker::new();
        checker.observe(&sim, &[]).unwrap();
        Run {
            sim,
            checker,
            next_id: 1,
        }
    }

    fn see(&mut self, events: &[EventOf<MultiPaxos>]) {
        if let Err(v) = self.checker.observe(&self.sim, events) {
            panic!("seed {}: {v}", self.sim.config().seed);
        }
    }

    fn apply(&mut self, c: Command) -> Vec<EventOf<MultiPaxos>> {
        let events = self.sim.apply(c).unwrap();
        self.see(&events);
        events
    }

    fn run_for(&mut self, d: Time) -> Vec<EventOf<MultiPaxos>> {
        let until = self.sim.now() + d;
        let mut all = Vec::new();
        while self.sim.next_event_time().is_some_and(|t| t <= until) {
            let events = self.sim.step().unwrap();
            self.see(&events);
            all.extend(events);
        }
        self.sim.advance_to(until);
        all
    }

    fn node(&self, id: NodeId) -> &MultiPaxos {
        self.sim.node(id).unwrap().up().unwrap()
    }

    fn leader(&self) -> Option<NodeId> {
        self.sim
            .nodes()
            .iter()
            .filter_map(|s| s.up())
            .filter(|n| n.role == MpRole::Leader)
            .max_by_key(|n| n.ballot)
            .map(|n| n.id)
    }

    fn request(&mut self, node: NodeId) -> ClientRequest {
        let request = ClientRequest {
            id: self.next_id,
            op: KvOp::Add {
                key: 'x',
                by: self.next_id as u32,
            },
        };
        self.next_id += 1;
        self.apply(Command::ClientRequest { node, request });
        request
    }
}

fn proposals(events: &[EventOf<MultiPaxos>]) -> Vec<(u64, Cmd, ProposalReason)> {
    events
        .iter()
        .filter_map(|e| match e.event {
            SimEvent::Protocol {
                event:
                    MpEvent::Proposed {
                        slot, cmd, reason, ..
                    },
                ..
            } => Some((slot, cmd, reason)),
            _ => None,
        })
        .collect()
}

#[test]
fn sec3_a_leader_emerges_and_runs_phase_2_per_request() {
    for seed in 0..30 {
        let mut r = Run::new(5, seed);
        r.run_for(1_000 * MS);
        let leader = r
            .leader()
            .unwrap_or_else(|| panic!("seed {seed}: no leader"));
        let a = r.request(leader);
        let b = r.request(leader);
        let events = r.run_for(300 * MS);
        // No new phase 1: the leader's one Prepare covers every later slot.
        assert!(!events.iter().any(|e| matches!(
            e.event,
            SimEvent::Protocol {
                event: MpEvent::BecameCandidate { .. },
                ..
            }
        )));
        for id in 0..5 {
            let n = r.node(id);
            assert_eq!(n.chosen.get(&1), Some(&Cmd::Request(a)), "seed {seed}");
            assert_eq!(n.chosen.get(&2), Some(&Cmd::Request(b)), "seed {seed}");
            assert_eq!(n.applied, 2);
            assert_eq!(n.kv.data.get(&'x'), Some(&3), "1 + 2 applied in order");
        }
    }
}

#[test]
fn sec3_a_follower_forwards_a_request_to_the_leader() {
    let mut r = Run::new(3, 2);
    r.run_for(1_000 * MS);
    let leader = r.leader().unwrap();
    let follower = (leader + 1) % 3;
    let req = r.request(follower);
    r.run_for(300 * MS);
    assert_eq!(r.node(leader).chosen.get(&1), Some(&Cmd::Request(req)));
}

/// Drops the in-flight Accepts for `slot` except those to `keep`.
fn keep_accepts(r: &mut Run, slot: u64, keep: &[NodeId]) {
    let drop: Vec<u64> = r
        .sim
        .in_flight()
        .filter(|e| matches!(e.payload, MpMessage::Accept { slot: s, .. } if s == slot))
        .filter(|e| !keep.contains(&e.to))
        .map(|e| e.id)
        .collect();
    for id in drop {
        r.apply(Command::DropMessage { id });
    }
}

#[test]
fn sec3_a_new_leader_finishes_half_done_slots_and_fills_gaps_with_no_ops() {
    let mut r = Run::new(5, 3);
    r.run_for(1_000 * MS);
    let old = r.leader().unwrap();
    r.request(old);
    r.run_for(300 * MS);
    let others: Vec<NodeId> = (0..5).filter(|&n| n != old).collect();
    // Slot 2 reaches two acceptors, slot 3 none, slot 4 two others; then the
    // leader crashes with all three half done. Any three of the four left
    // include an acceptor of slot 2 and one of slot 4.
    let half = r.request(old);
    keep_accepts(&mut r, 2, &others[..2]);
    let lost = r.request(old);
    keep_accepts(&mut r, 3, &[]);
    let late = r.request(old);
    keep_accepts(&mut r, 4, &others[2..]);
    r.apply(Command::Crash { node: old });
    let events = r.run_for(2_000 * MS);
    let new = r.leader().expect("a new leader");
    assert_ne!(new, old);
    let recovered = proposals(&events);
    assert!(
        recovered.contains(&(2, Cmd::Request(half), ProposalReason::Recovered)),
        "slot 2 finished with the old leader's value: {recovered:?}"
    );
    assert!(
        recovered.contains(&(3, Cmd::NoOp, ProposalReason::Gap)),
        "slot 3 filled with a no-op: {recovered:?}"
    );
    assert!(recovered.contains(&(4, Cmd::Request(late), ProposalReason::Recovered)));
    for id in others {
        let n = r.node(id);
        assert_eq!(n.chosen.get(&2), Some(&Cmd::Request(half)));
        assert_eq!(n.chosen.get(&3), Some(&Cmd::NoOp));
        assert_eq!(n.chosen.get(&4), Some(&Cmd::Request(late)));
        assert_eq!(n.applied, 4, "S{} applied through slot 4", id + 1);
        assert!(!n.chosen.values().any(|c| *c == Cmd::Request(lost)));
    }
}

#[test]
fn sec3_a_restarted_replica_learns_the_chosen_log_again_and_catches_up() {
    let mut r = Run::new(3, 4);
    r.run_for(1_000 * MS);
    let leader = r.leader().unwrap();
    let follower = (leader + 1) % 3;
    r.apply(Command::Crash { node: follower });
    for _ in 0..5 {
        r.request(leader);
    }
    r.run_for(300 * MS);
    r.apply(Command::Restart { node: follower });
    assert_eq!(r.node(follower).applied, 0, "what was chosen is volatile");
    r.run_for(500 * MS);
    assert_eq!(r.node(follower).applied, 5);
    assert_eq!(r.node(follower).kv, r.node(leader).kv);
}

#[test]
fn sec3_an_acceptor_keeps_its_promise_and_accepted_slots_across_a_crash() {
    let mut r = Run::new(3, 5);
    r.run_for(1_000 * MS);
    let leader = r.leader().unwrap();
    r.request(leader);
    r.run_for(200 * MS);
    let n = (leader + 2) % 3;
    let before: MpPersistent = r.sim.nodes()[n].persistent();
    assert!(before.promised.is_some() && !before.accepted.is_empty());
    r.apply(Command::Crash { node: n });
    assert_eq!(r.sim.nodes()[n].persistent(), before);
    r.apply(Command::Restart { node: n });
    assert_eq!(r.node(n).accepted, before.accepted);
}

#[test]
fn sec3_a_stale_leader_steps_down_when_it_hears_a_higher_number() {
    let mut r = Run::new(5, 6);
    r.run_for(1_000 * MS);
    let old = r.leader().unwrap();
    r.apply(Command::Isolate { node: old });
    r.run_for(1_500 * MS);
    let new = r.leader().unwrap();
    assert_ne!(new, old);
    assert_eq!(
        r.node(old).role,
        MpRole::Leader,
        "isolated, it does not know"
    );
    r.apply(Command::Rejoin { node: old });
    r.run_for(300 * MS);
    assert_ne!(r.node(old).role, MpRole::Leader);
    assert_eq!(r.leader(), Some(new));
}

/// Server `s` handles one message or one timer by hand; the reason of the
/// phase 1 it began then, if it began one.
fn by_hand(
    s: &mut MultiPaxos,
    input: Result<(NodeId, MpMessage), MpTimer>,
) -> Option<CampaignReason> {
    let mut rng = SimRng::from_seed(1);
    let mut ctx = Ctx::new(0, s.id, &mut rng);
    match input {
        Ok((from, msg)) => s.on_message(from, msg, &mut ctx),
        Err(timer) => s.on_timer(timer, &mut ctx),
    }
    ctx.events().iter().find_map(|e| match e {
        MpEvent::BecameCandidate { why, .. } => Some(*why),
        _ => None,
    })
}

#[test]
fn sec3_a_candidate_says_why_it_runs_phase_1_again() {
    let mut rng = SimRng::from_seed(1);
    let mut ctx = Ctx::new(0, 0, &mut rng);
    let mut s = MultiPaxos::start(0, 3, &MultiPaxosConfig::default(), None, &mut ctx);
    let timeout = Err(MpTimer::Leader);
    let b = |round, proposer| Ballot { round, proposer };
    // No leader was ever heard.
    assert_eq!(
        by_hand(&mut s, timeout.clone()),
        Some(CampaignReason::NoLeader)
    );
    // A candidate whose own promise is all it got.
    assert_eq!(
        by_hand(&mut s, timeout.clone()),
        Some(CampaignReason::NoPromises { ballot: b(1, 0) })
    );
    // Refused: an acceptor had promised 9.2.
    let refused = Ok((
        1,
        MpMessage::Nack {
            ballot: b(2, 0),
            promised: b(9, 1),
        },
    ));
    assert_eq!(by_hand(&mut s, refused), None);
    assert_eq!(s.role, MpRole::Follower);
    assert_eq!(
        by_hand(&mut s, timeout.clone()),
        Some(CampaignReason::Refused {
            ballot: b(2, 0),
            by: b(9, 1)
        })
    );
    // Overtaken: a Prepare numbered higher than its own 10.1.
    let prepare = Ok((
        2,
        MpMessage::Prepare {
            ballot: b(11, 2),
            from_slot: 1,
        },
    ));
    assert_eq!(by_hand(&mut s, prepare), None);
    assert_eq!(
        by_hand(&mut s, timeout.clone()),
        Some(CampaignReason::Overtaken {
            ballot: b(10, 0),
            by: b(11, 2)
        })
    );
    // Once it follows a leader, a timeout means that leader fell silent.
    let heartbeat = Ok((
        1,
        MpMessage::Heartbeat {
            ballot: b(20, 1),
            chosen_through: 0,
        },
    ));
    assert_eq!(by_hand(&mut s, heartbeat), None);
    assert_eq!((s.role, s.leader), (MpRole::Follower, Some(1)));
    assert_eq!(by_hand(&mut s, timeout), Some(CampaignReason::NoLeader));
}

#[test]
fn the_checker_catches_two_values_chosen_in_one_slot() {
    let mut r = Run::new(3, 7);
    r.run_for(1_000 * MS);
    let leader = r.leader().unwrap();
    r.request(leader);
    r.run_for(200 * MS);
    let forged: Vec<EventOf<MultiPaxos>> = [0, 1]
        .into_iter()
        .map(|node| quorum_sim::TimedEvent {
            time: r.sim.now(),
            event: SimEvent::Protocol {
                node,
                event: MpEvent::Accepted {
                    ballot: Ballot {
                        round: 99,
                        proposer: 0,
                    },
                    slot: 1,
                    cmd: Cmd::NoOp,
                },
            },
        })
        .collect();
    let err = r.checker.observe(&r.sim, &forged).unwrap_err();
    assert_eq!(err.property, "Only one value is chosen per slot");
}

/// `multipaxos-primary-order`: Paxos's properties hold all the way, yet B
/// (x+=10, slot 2) is applied without A (x←1, slot 1, a no-op): x ends at 10
/// on every replica, where the primary meant 11. Zab's primary order forbids
/// exactly this (the Zab paper, sections I and III).
#[test]
fn the_primary_order_scenario_applies_b_without_a_and_breaks_no_paxos_property() {
    use quorum_sim::scenario::ScenarioOf;
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/multipaxos/multipaxos-primary-order.json"
    );
    let scenario: ScenarioOf<MultiPaxos> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let end = scenario.steps.last().unwrap().at;
    let mut timeline = scenario.timeline::<MultiPaxos>(u64::MAX).unwrap();
    let mut checker = Checker::<MultiPaxos>::new();
    let mut violation = None;
    timeline.advance_to_each(end, |sim, events| {
        if let Err(v) = checker.observe(sim, events) {
            violation.get_or_insert(v);
        }
    });
    assert_eq!(violation, None);
    for slot in timeline.sim().nodes() {
        let replica = slot.up().expect("every replica runs at the end");
        assert_eq!(replica.kv.data.get(&'x'), Some(&10), "B applied, A not");
        assert!(!replica.kv.applied_requests.contains(&1));
        assert!(replica.kv.applied_requests.contains(&2));
    }
}

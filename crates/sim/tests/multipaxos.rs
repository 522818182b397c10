//! Multi-Paxos ("Paxos Made Simple", section 3): a leader that runs phase 1
//! once for all slots, phase 2 per slot, recovery of half-done slots, no-ops in
//! gaps, and replicas applying in order; randomized fault runs check every
//! property after every event.

use quorum_sim::kv::{ClientRequest, KvOp};
use quorum_sim::multipaxos::{
    Ballot, Cmd, MpEvent, MpMessage, MpPersistent, MpRole, MultiPaxos, MultiPaxosConfig,
    ProposalReason,
};
use quorum_sim::rng::SimRng;
use quorum_sim::sim::{EventOf, SimEvent};
use quorum_sim::{Checker, Command, NodeId, NodeStatus, Sim, SimConfig, Time, MS};
use std::collections::BTreeMap;

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

// ---- randomized fault runs -----------------------------------------------------

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn pick<T: Copy>(rng: &mut SimRng, items: &[T]) -> Option<T> {
    (!items.is_empty()).then(|| items[rng.range_inclusive(0, items.len() as u64 - 1) as usize])
}

fn faulty_run(seed: u64, fault_events: u64) -> (u64, usize, usize) {
    let mut chaos = SimRng::from_seed(seed ^ 0x3417_1a05);
    let n = 3 + (seed % 5) as usize;
    let mut r = Run::new(n, seed);
    let all: Vec<NodeId> = (0..n).collect();
    let mut commands = 0;
    while r.sim.events_processed() < fault_events {
        let up: Vec<NodeId> = all
            .iter()
            .copied()
            .filter(|&i| r.sim.nodes()[i].status() == NodeStatus::Up)
            .collect();
        let down: Vec<NodeId> = all.iter().copied().filter(|i| !up.contains(i)).collect();
        let in_flight: Vec<u64> = r.sim.in_flight().map(|e| e.id).collect();
        let command = match chaos.range_inclusive(0, 999) {
            0..=5 => pick(&mut chaos, &up).map(|node| Command::Crash { node }),
            6..=19 => pick(&mut chaos, &down).map(|node| Command::Restart { node }),
            20..=39 => pick(&mut chaos, &in_flight).map(|id| Command::DropMessage { id }),
            40..=44 => pick(&mut chaos, &in_flight).map(|id| Command::DuplicateMessage { id }),
            45..=49 => pick(&mut chaos, &in_flight).map(|id| Command::DelayMessage {
                id,
                by: chaos.range_inclusive(1, 100) * MS,
            }),
            50..=79 => pick(&mut chaos, &up).map(|node| {
                let request = ClientRequest {
                    id: r.next_id,
                    op: KvOp::Add {
                        key: 'x',
                        by: r.next_id as u32,
                    },
                };
                r.next_id += 1;
                Command::ClientRequest { node, request }
            }),
            80..=84 => pick(&mut chaos, &up).map(|node| Command::Timeout { node }),
            85..=87 => pick(&mut chaos, &all).map(|node| Command::Isolate { node }),
            88..=89 => Some(Command::Partition {
                side: all
                    .iter()
                    .copied()
                    .filter(|_| chaos.range_inclusive(0, 1) == 0)
                    .collect(),
            }),
            90..=94 => Some(Command::HealAll),
            _ => None,
        };
        match command.filter(|c| r.sim.check(c).is_ok()) {
            Some(c) => {
                commands += 1;
                r.apply(c);
            }
            None => match r.sim.step() {
                Some(events) => r.see(&events),
                None => {
                    let node = pick(&mut chaos, &down).expect("idle with a server up");
                    r.apply(Command::Restart { node });
                }
            },
        }
    }
    // Calm: heal, restart everyone, elect, and a last request must reach every replica.
    r.apply(Command::HealAll);
    for node in 0..n {
        if r.sim.nodes()[node].status() == NodeStatus::Crashed {
            r.apply(Command::Restart { node });
        }
    }
    r.run_for(3_000 * MS);
    let leader = r
        .leader()
        .unwrap_or_else(|| panic!("seed {seed}: no leader 3 s after the faults stopped"));
    let last = r.request(leader);
    r.run_for(3_000 * MS);
    let slot = r
        .node(leader)
        .chosen
        .iter()
        .find(|(_, c)| **c == Cmd::Request(last))
        .map(|(s, _)| *s)
        .or_else(|| {
            r.checker
                .safety()
                .chosen()
                .iter()
                .find(|(_, c)| c.1 == Cmd::Request(last))
                .map(|(s, _)| *s)
        })
        .unwrap_or_else(|| panic!("seed {seed}: the last request was never chosen"));
    let reference: BTreeMap<char, u32> = r.node(leader).kv.data.clone();
    for id in 0..n {
        let node = r.node(id);
        assert!(
            node.applied >= slot,
            "seed {seed}: S{} applied only {} of {slot} slots",
            id + 1,
            node.applied
        );
        if node.applied == r.node(leader).applied {
            assert_eq!(node.kv.data, reference, "seed {seed}: S{} differs", id + 1);
        }
    }
    (
        r.sim.events_processed(),
        commands,
        r.checker.safety().chosen().len(),
    )
}

#[test]
fn multipaxos_safety_holds_after_every_event_of_randomized_fault_runs_and_requests_commit_after() {
    let seeds = env_or("QUORUM_SEEDS", 1000);
    let fault_events = env_or("QUORUM_EVENTS", 5000);
    let first = env_or("QUORUM_FIRST_SEED", 0);
    let (mut events, mut commands, mut slots) = (0u64, 0usize, 0usize);
    for seed in first..first + seeds {
        let (e, c, s) = faulty_run(seed, fault_events);
        events += e;
        commands += c;
        slots += s;
    }
    println!(
        "multipaxos safety run: {seeds} seeds, {events} events checked, {commands} fault commands, {slots} slots chosen; 0 violations"
    );
    assert!(events >= seeds * fault_events);
}

//! Basic Paxos ("Paxos Made Simple"): one handler rule at a time and whole
//! scenarios, every safety property checked after every event (the
//! randomized fault runs are in `safety_random.rs`). Test names cite the
//! paper's section.

use quorum_sim::kv::{ClientRequest, KvOp};
use quorum_sim::paxos::{
    Ballot, Paxos, PaxosConfig, PaxosEvent, PaxosMessage, PaxosPersistent, PaxosRole, PaxosTimer,
    PrepareReason, ProposerPhase,
};
use quorum_sim::rng::SimRng;
use quorum_sim::sim::{EventOf, SimEvent};
use quorum_sim::{Checker, Command, Ctx, NodeId, Protocol, Sim, SimConfig, Time, MS};

fn value(id: u64) -> ClientRequest {
    ClientRequest {
        id,
        op: KvOp::Set {
            key: 'v',
            value: id as u32,
        },
    }
}

fn ballot(round: u64, proposer: NodeId) -> Ballot {
    Ballot { round, proposer }
}

/// A single node, driven by hand.
fn node(id: NodeId, persisted: Option<PaxosPersistent>) -> Paxos {
    let mut rng = SimRng::from_seed(1);
    let mut ctx = Ctx::new(0, id, &mut rng);
    Paxos::start(id, 6, &PaxosConfig::default(), persisted, &mut ctx)
}

fn handle(p: &mut Paxos, from: NodeId, msg: PaxosMessage) -> Vec<(NodeId, PaxosMessage)> {
    let mut rng = SimRng::from_seed(1);
    let mut ctx = Ctx::new(0, p.id, &mut rng);
    p.on_message(from, msg, &mut ctx);
    ctx.outbox().to_vec()
}

// ---- single rules -----------------------------------------------------------

#[test]
fn sec2_2_an_acceptor_promises_and_reports_the_highest_proposal_it_accepted() {
    let disk = PaxosPersistent {
        promised: Some(ballot(2, 0)),
        accepted: Some((ballot(2, 0), value(7))),
        round: 0,
    };
    let mut a = node(2, Some(disk));
    assert_eq!(a.role, PaxosRole::Acceptor);
    let out = handle(
        &mut a,
        1,
        PaxosMessage::Prepare {
            ballot: ballot(3, 1),
        },
    );
    assert_eq!(
        out,
        [(
            1,
            PaxosMessage::Promise {
                ballot: ballot(3, 1),
                accepted: Some((ballot(2, 0), value(7)))
            }
        )]
    );
    assert_eq!(a.promised, Some(ballot(3, 1)));
}

#[test]
fn sec2_2_an_acceptor_refuses_a_prepare_below_its_promise_and_says_what_it_promised() {
    let mut a = node(2, None);
    handle(
        &mut a,
        1,
        PaxosMessage::Prepare {
            ballot: ballot(5, 1),
        },
    );
    let out = handle(
        &mut a,
        0,
        PaxosMessage::Prepare {
            ballot: ballot(4, 0),
        },
    );
    assert_eq!(
        out,
        [(
            0,
            PaxosMessage::Nack {
                ballot: ballot(4, 0),
                promised: ballot(5, 1)
            }
        )]
    );
    assert_eq!(a.promised, Some(ballot(5, 1)), "a refusal changes nothing");
}

#[test]
fn sec2_2_an_acceptor_accepts_unless_it_promised_a_higher_number() {
    let mut a = node(3, None);
    handle(
        &mut a,
        1,
        PaxosMessage::Prepare {
            ballot: ballot(2, 1),
        },
    );
    let out = handle(
        &mut a,
        0,
        PaxosMessage::Accept {
            ballot: ballot(1, 0),
            value: value(1),
        },
    );
    assert!(matches!(out[..], [(0, PaxosMessage::Nack { .. })]));
    assert_eq!(a.accepted, None);
    let out = handle(
        &mut a,
        1,
        PaxosMessage::Accept {
            ballot: ballot(2, 1),
            value: value(2),
        },
    );
    assert_eq!(a.accepted, Some((ballot(2, 1), value(2))));
    // Section 2.3: to the proposer and to every learner (S6).
    let to: Vec<NodeId> = out.iter().map(|(to, _)| *to).collect();
    assert_eq!(to, [1, 5]);
}

#[test]
fn sec2_2_with_a_majority_of_promises_the_proposer_adopts_the_highest_accepted_value() {
    let mut p = node(0, None);
    let mut rng = SimRng::from_seed(1);
    let mut ctx = Ctx::new(0, 0, &mut rng);
    p.on_client_request(value(100), &mut ctx);
    let b = p.ballot().expect("phase 1 started");
    assert_eq!(b, ballot(1, 0));
    handle(
        &mut p,
        2,
        PaxosMessage::Promise {
            ballot: b,
            accepted: Some((ballot(0, 1), value(5))),
        },
    );
    let out = handle(
        &mut p,
        3,
        PaxosMessage::Promise {
            ballot: b,
            accepted: Some((ballot(0, 2), value(6))),
        },
    );
    // (0, S3) > (0, S2): the value of the highest-numbered proposal, not our own.
    assert_eq!(out.len(), 3, "Accept to all three acceptors");
    assert!(out.iter().all(|(_, m)| *m
        == PaxosMessage::Accept {
            ballot: b,
            value: value(6)
        }));
}

#[test]
fn sec2_2_with_no_accepted_value_among_the_promises_the_proposer_uses_its_own() {
    let mut p = node(0, None);
    let mut rng = SimRng::from_seed(1);
    let mut ctx = Ctx::new(0, 0, &mut rng);
    p.on_client_request(value(100), &mut ctx);
    let b = p.ballot().unwrap();
    for a in [2, 4] {
        handle(
            &mut p,
            a,
            PaxosMessage::Promise {
                ballot: b,
                accepted: None,
            },
        );
    }
    assert!(matches!(
        p.phase,
        ProposerPhase::Accepting { value: v, .. } if v == value(100)
    ));
}

#[test]
fn sec2_4_a_refusal_makes_the_proposer_back_off_and_retry_above_the_promise() {
    let mut p = node(1, None);
    let mut rng = SimRng::from_seed(1);
    let mut ctx = Ctx::new(0, 1, &mut rng);
    p.on_client_request(value(1), &mut ctx);
    let b = p.ballot().unwrap();
    handle(
        &mut p,
        2,
        PaxosMessage::Nack {
            ballot: b,
            promised: ballot(9, 0),
        },
    );
    assert_eq!(p.phase, ProposerPhase::Idle);
    let mut ctx = Ctx::new(0, 1, &mut rng);
    p.on_timer(quorum_sim::paxos::PaxosTimer::Retry, &mut ctx);
    assert_eq!(p.ballot(), Some(ballot(10, 1)), "above round 9");
}

/// The reason of the Prepared event among `events`, if there is one.
fn prepared_why(events: &[PaxosEvent]) -> Option<PrepareReason> {
    events.iter().find_map(|e| match e {
        PaxosEvent::Prepared { why, .. } => Some(*why),
        _ => None,
    })
}

/// Fires proposer `p`'s retry timer and says why it began phase 1 again.
fn retry(p: &mut Paxos) -> Option<PrepareReason> {
    let mut rng = SimRng::from_seed(1);
    let mut ctx = Ctx::new(0, p.id, &mut rng);
    p.on_timer(PaxosTimer::Retry, &mut ctx);
    prepared_why(ctx.events())
}

#[test]
fn sec2_4_a_proposer_says_why_it_starts_a_new_ballot() {
    let mut p = node(0, None);
    let mut rng = SimRng::from_seed(1);
    let mut ctx = Ctx::new(0, 0, &mut rng);
    p.on_client_request(value(1), &mut ctx);
    assert_eq!(prepared_why(ctx.events()), Some(PrepareReason::Request));
    // Phase 1 times out with one promise of the two it needs.
    let first = p.ballot().unwrap();
    handle(
        &mut p,
        2,
        PaxosMessage::Promise {
            ballot: first,
            accepted: None,
        },
    );
    assert_eq!(
        retry(&mut p),
        Some(PrepareReason::NoPromises { ballot: first })
    );
    // Phase 2 times out with no majority accepting.
    let second = p.ballot().unwrap();
    for a in [2, 3] {
        handle(
            &mut p,
            a,
            PaxosMessage::Promise {
                ballot: second,
                accepted: None,
            },
        );
    }
    assert!(matches!(p.phase, ProposerPhase::Accepting { .. }));
    assert_eq!(
        retry(&mut p),
        Some(PrepareReason::NoAccepts { ballot: second })
    );
    // Refused: an acceptor had promised a higher number; after its back-off
    // it says so, naming that number.
    let third = p.ballot().unwrap();
    handle(
        &mut p,
        3,
        PaxosMessage::Nack {
            ballot: third,
            promised: ballot(7, 1),
        },
    );
    assert_eq!(
        retry(&mut p),
        Some(PrepareReason::Refused {
            ballot: third,
            by: ballot(7, 1)
        })
    );
    assert_eq!(p.ballot(), Some(ballot(8, 0)));
    // The refusal is behind it: its next timeout is its own again.
    assert_eq!(
        retry(&mut p),
        Some(PrepareReason::NoPromises {
            ballot: ballot(8, 0)
        })
    );
}

#[test]
fn sec2_4_dueling_proposers_retry_because_the_other_was_promised_a_higher_number() {
    let mut r = Run::new(defaults(2, 3), 0, 3);
    r.propose(0, 1);
    r.propose(1, 2);
    let events = r.run_for(3_000 * MS);
    let refused: Vec<(NodeId, Ballot, Ballot)> = events
        .iter()
        .filter_map(|e| match e.event {
            SimEvent::Protocol {
                node,
                event:
                    PaxosEvent::Prepared {
                        why: PrepareReason::Refused { ballot, by },
                        ..
                    },
            } => Some((node, ballot, by)),
            _ => None,
        })
        .collect();
    assert!(!refused.is_empty(), "one of them retried after a refusal");
    for (node, ballot, by) in refused {
        assert_eq!(ballot.proposer, node, "its own number was refused");
        assert!(by > ballot, "refused for a higher number");
        assert_ne!(by.proposer, node, "the other proposer's");
    }
}

// ---- whole runs ------------------------------------------------------------------

struct Run {
    sim: Sim<Paxos>,
    checker: Checker<Paxos>,
}

impl Run {
    fn new(config: PaxosConfig, learners: usize, seed: u64) -> Self {
        let nodes = config.proposers + config.acceptors + learners;
        let mut c = SimConfig::<PaxosConfig>::new(nodes, seed);
        c.protocol = config;
        let sim = Sim::new(c).unwrap();
        let mut checker = Checker::new();
        checker.observe(&sim, &[]).unwrap();
        Run { sim, checker }
    }

    fn see(&mut self, events: &[EventOf<Paxos>]) {
        if let Err(v) = self.checker.observe(&self.sim, events) {
            panic!("seed {}: {v}", self.sim.config().seed);
        }
    }

    fn apply(&mut self, c: Command) -> Vec<EventOf<Paxos>> {
        let events = self.sim.apply(c).unwrap();
        self.see(&events);
        events
    }

    fn propose(&mut self, node: NodeId, id: u64) {
        self.apply(Command::ClientRequest {
            node,
            request: value(id),
        });
    }

    fn run_for(&mut self, d: Time) -> Vec<EventOf<Paxos>> {
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

    fn node(&self, id: NodeId) -> &Paxos {
        self.sim.node(id).unwrap().up().unwrap()
    }

    fn chosen(&self) -> Option<ClientRequest> {
        self.checker.safety().chosen().map(|c| c.1)
    }
}

fn defaults(proposers: usize, acceptors: usize) -> PaxosConfig {
    PaxosConfig {
        proposers,
        acceptors,
        ..PaxosConfig::default()
    }
}

#[test]
fn sec2_2_one_proposer_gets_its_value_chosen_and_every_learner_learns_it() {
    for seed in 0..20 {
        let mut r = Run::new(defaults(1, 3), 2, seed);
        r.propose(0, 42);
        r.run_for(500 * MS);
        assert_eq!(r.chosen(), Some(value(42)), "seed {seed}");
        for id in [0, 4, 5] {
            assert_eq!(
                r.node(id).learned,
                Some(value(42)),
                "seed {seed} S{}",
                id + 1
            );
        }
    }
}

#[test]
fn sec2_4_dueling_proposers_end_with_one_value_that_everyone_learns() {
    for seed in 0..50 {
        let mut r = Run::new(defaults(3, 5), 1, seed);
        for p in 0..3 {
            r.propose(p, 10 + p as u64);
        }
        r.run_for(5_000 * MS);
        let chosen = r
            .chosen()
            .unwrap_or_else(|| panic!("seed {seed}: nothing chosen"));
        for id in [0, 1, 2, 8] {
            assert_eq!(r.node(id).learned, Some(chosen), "seed {seed} S{}", id + 1);
        }
    }
}

#[test]
fn sec2_4_proposers_that_keep_preempting_each_other_choose_nothing_until_one_backs_off() {
    // Two proposers, each forced to restart phase 1 whenever the other's Prepare
    // lands, never reach phase 2: no value is chosen while they duel.
    let mut r = Run::new(defaults(2, 3), 0, 3);
    r.propose(0, 1);
    r.propose(1, 2);
    let mut refusals = 0;
    for _ in 0..30 {
        let events = r.run_for(4 * MS);
        refusals += events
            .iter()
            .filter(|e| {
                matches!(
                    e.event,
                    SimEvent::Protocol {
                        event: PaxosEvent::Refused { .. },
                        ..
                    }
                )
            })
            .count();
        // Each proposer in turn jumps ahead before the other's Accept is in.
        for p in 0..2 {
            if r.node(p).learned.is_none() {
                r.apply(Command::Timeout { node: p });
            }
        }
    }
    assert_eq!(
        r.chosen(),
        None,
        "nothing chosen while they keep pre-empting"
    );
    assert!(
        refusals > 0,
        "acceptors kept refusing the lower-numbered proposer"
    );
    r.run_for(3_000 * MS);
    assert!(
        r.chosen().is_some(),
        "once they back off, one value is chosen"
    );
}

#[test]
fn sec2_2_a_minority_of_crashed_acceptors_does_not_stop_a_choice() {
    let mut r = Run::new(defaults(1, 5), 1, 4);
    r.apply(Command::Crash { node: 1 });
    r.apply(Command::Crash { node: 2 });
    r.propose(0, 9);
    r.run_for(1_000 * MS);
    assert_eq!(r.chosen(), Some(value(9)));
    assert_eq!(r.node(6).learned, Some(value(9)));
}

#[test]
fn sec2_2_a_late_proposer_proposes_the_value_already_chosen() {
    let mut r = Run::new(defaults(2, 3), 1, 5);
    r.propose(0, 1);
    r.run_for(500 * MS);
    assert_eq!(r.chosen(), Some(value(1)));
    r.propose(1, 2);
    let events = r.run_for(500 * MS);
    let sent: Vec<_> = events
        .iter()
        .filter_map(|e| match e.event {
            SimEvent::Protocol {
                node: 1,
                event: PaxosEvent::AcceptSent { value, adopted, .. },
            } => Some((value, adopted)),
            _ => None,
        })
        .collect();
    assert_eq!(sent, [(value(1), true)], "S2 adopted S1's chosen value");
    assert_eq!(r.node(1).learned, Some(value(1)));
}

#[test]
fn sec2_2_an_acceptors_promise_and_accepted_proposal_survive_a_crash() {
    let mut r = Run::new(defaults(1, 3), 0, 6);
    r.propose(0, 5);
    r.run_for(500 * MS);
    let before = r.node(1).persistent();
    assert!(before.accepted.is_some());
    r.apply(Command::Crash { node: 1 });
    r.apply(Command::Restart { node: 1 });
    assert_eq!(r.node(1).persistent(), before);
}

#[test]
fn sec2_2_a_restarted_proposer_never_reuses_a_proposal_number() {
    let mut r = Run::new(defaults(1, 3), 0, 7);
    // Its Prepares are lost: the proposer gets as far as numbering a proposal.
    for a in 1..4 {
        r.apply(Command::CutLink { from: 0, to: a });
    }
    r.propose(0, 1);
    let used = r.node(0).ballot().unwrap();
    r.apply(Command::Crash { node: 0 });
    r.apply(Command::HealAll);
    r.apply(Command::Restart { node: 0 });
    assert_eq!(r.node(0).phase, ProposerPhase::Idle, "its phase is lost");
    assert_eq!(r.node(0).value, None, "and its value");
    r.propose(0, 2);
    assert!(r.node(0).ballot().unwrap() > used);
    r.run_for(500 * MS);
    assert_eq!(r.chosen(), Some(value(2)));
}

#[test]
fn the_checker_catches_a_second_value_being_chosen() {
    let mut r = Run::new(defaults(1, 3), 0, 8);
    r.propose(0, 1);
    r.run_for(500 * MS);
    // A forged history: two acceptors accept another value under a higher number.
    let forged: Vec<EventOf<Paxos>> = [1, 2]
        .into_iter()
        .map(|a| quorum_sim::TimedEvent {
            time: r.sim.now(),
            event: SimEvent::Protocol {
                node: a,
                event: PaxosEvent::Accepted {
                    ballot: ballot(50, 0),
                    value: value(2),
                },
            },
        })
        .collect();
    let err = r.checker.observe(&r.sim, &forged).unwrap_err();
    assert_eq!(err.property, "Only one value is chosen");
}

#[test]
fn the_checker_catches_an_acceptance_below_a_promise_and_a_learned_unchosen_value() {
    let mut r = Run::new(defaults(1, 3), 0, 8);
    r.propose(0, 1);
    r.run_for(500 * MS);
    let at = r.sim.now();
    let ev = |node, event| quorum_sim::TimedEvent {
        time: at,
        event: SimEvent::Protocol { node, event },
    };
    let mut s = r.checker.clone();
    let err = s
        .observe(
            &r.sim,
            &[ev(
                1,
                PaxosEvent::Accepted {
                    ballot: ballot(0, 0),
                    value: value(1),
                },
            )],
        )
        .unwrap_err();
    assert_eq!(err.property, "Acceptors keep their promises");
    let mut s = r.checker.clone();
    let err = s
        .observe(&r.sim, &[ev(0, PaxosEvent::Learned { value: value(3) })])
        .unwrap_err();
    assert_eq!(err.property, "Learners learn only chosen values");
    let mut s = r.checker.clone();
    let err = s
        .observe(
            &r.sim,
            &[ev(
                0,
                PaxosEvent::AcceptSent {
                    ballot: ballot(60, 0),
                    value: value(3),
                    adopted: false,
                },
            )],
        )
        .unwrap_err();
    assert_eq!(err.property, "A chosen value never changes");
}

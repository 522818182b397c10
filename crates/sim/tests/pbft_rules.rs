//! PBFT's rules, one test each, named by the section of Castro and Liskov,
//! "Practical Byzantine Fault Tolerance" (OSDI 1999) that states them.
//! Whole runs use 4 replicas (S1..S4, f = 1) and a client (S5); a few use 7.

use quorum_sim::kernel::rng::SimRng;
use quorum_sim::kv::{ClientRequest, KvOp};
use quorum_sim::pbft::{
    digest_of, request_digest, sign, Invalid, Pbft, PbftConfig, PbftEvent, PbftMessage, PrePrepare,
    Prepare, PreparedCert, Replica, Request, ServiceState, Status, ViewChange,
};
use quorum_sim::sim::SimErrorKind;
use quorum_sim::{
    Behaviour, Checker, Command, Ctx, EventOf, Protocol, Sim, SimConfig, SimEvent, MS,
};

const CLIENT: usize = 4;

fn cluster(nodes: usize, seed: u64) -> Sim<Pbft> {
    Sim::new(SimConfig::new(nodes, seed)).unwrap()
}

fn protocol_events(events: &[EventOf<Pbft>]) -> Vec<(usize, PbftEvent)> {
    events
        .iter()
        .filter_map(|e| match &e.event {
            SimEvent::Protocol { node, event } => Some((*node, event.clone())),
            _ => None,
        })
        .collect()
}

/// Runs `sim` for `ms` milliseconds, checking safety after every event.
fn run(sim: &mut Sim<Pbft>, checker: &mut Checker<Pbft>, ms: u64) -> Vec<(usize, PbftEvent)> {
    let end = sim.now() + ms * MS;
    let mut all = Vec::new();
    while sim.next_event_time().is_some_and(|t| t <= end) {
        let events = sim.step().unwrap();
        let _ = checker.observe(sim, &events);
        all.extend(protocol_events(&events));
    }
    sim.advance_to(end);
    all
}

fn apply(sim: &mut Sim<Pbft>, checker: &mut Checker<Pbft>, c: Command) -> Vec<(usize, PbftEvent)> {
    let events = sim.apply(c).unwrap();
    let _ = checker.observe(sim, &events);
    protocol_events(&events)
}

fn request(sim: &Sim<Pbft>, by: u32) -> Command {
    Command::ClientRequest {
        node: sim.nodes().len() - 1,
        request: sim.new_request(KvOp::Add { key: 'x', by }),
    }
}

fn submit(sim: &mut Sim<Pbft>, checker: &mut Checker<Pbft>, by: u32) -> Vec<(usize, PbftEvent)> {
    let c = request(sim, by);
    apply(sim, checker, c)
}

fn replica(sim: &Sim<Pbft>, i: usize) -> &Replica {
    sim.node(i).unwrap().up().unwrap().replica().unwrap()
}

fn accepted(sim: &Sim<Pbft>) -> Vec<(u64, u32)> {
    let c = sim.nodes().len() - 1;
    let client = sim.node(c).unwrap().up().unwrap().client().unwrap();
    client.accepted.iter().map(|(&t, &r)| (t, r)).collect()
}

/// A lone replica `i` of 4, to feed messages to one at a time.
fn lone(i: usize) -> (Pbft, SimRng) {
    let mut rng = SimRng::from_seed(1);
    let mut ctx = Ctx::<Pbft>::new(0, i, &mut rng);
    let node = Pbft::start(i, 5, &PbftConfig::default(), None, &mut ctx);
    (node, rng)
}

/// Feeds `msg` from `from` to `node`; what it sent and reported.
fn feed(
    node: &mut Pbft,
    rng: &mut SimRng,
    from: usize,
    msg: PbftMessage,
) -> (Vec<(usize, PbftMessage)>, Vec<PbftEvent>) {
    let id = node.replica().unwrap().i;
    let mut ctx = Ctx::<Pbft>::new(0, id, rng);
    node.on_message(from, msg, &mut ctx);
    (ctx.outbox().to_vec(), ctx.events().to_vec())
}

fn req(t: u64) -> Request {
    Request {
        o: KvOp::Set {
            key: 'x',
            value: t as u32,
        },
        t,
        c: CLIENT,
    }
}

fn pre_prepare(v: u64, n: u64, r: Option<Request>) -> PbftMessage {
    PbftMessage::PrePrepare {
        pre_prepare: sign(
            (v % 4) as usize,
            PrePrepare {
                v,
                n,
                d: request_digest(&r),
            },
        ),
        request: r,
    }
}

fn refused(events: &[PbftEvent]) -> Option<Invalid> {
    events.iter().find_map(|e| match e {
        PbftEvent::Refused { why, .. } => Some(*why),
        _ => None,
    })
}

#[test]
fn s4_2_a_request_goes_through_pre_prepare_prepare_and_commit_and_the_client_accepts_f_plus_1_replies(
) {
    let mut sim = cluster(5, 1);
    let mut checker = Checker::new();
    let mut events = submit(&mut sim, &mut checker, 5);
    events.extend(run(&mut sim, &mut checker, 1_000));
    let count = |f: &dyn Fn(&PbftEvent) -> bool| events.iter().filter(|(_, e)| f(e)).count();
    assert_eq!(
        count(&|e| matches!(e, PbftEvent::PrePrepared { n: 1, .. })),
        4
    );
    assert_eq!(count(&|e| matches!(e, PbftEvent::Prepared { n: 1, .. })), 4);
    assert_eq!(
        count(&|e| matches!(e, PbftEvent::CommittedLocal { n: 1, .. })),
        4
    );
    assert_eq!(
        count(&|e| matches!(
            e,
            PbftEvent::Executed {
                n: 1,
                result: Some(5),
                ..
            }
        )),
        4
    );
    assert_eq!(accepted(&sim), [(1, 5)]);
    // The primary sends no PREPARE; each backup sends one to each other replica.
    let prepares = sim.commands().len(); // one command
    assert_eq!(prepares, 1);
    assert!(checker.violation().is_none());
    for i in 0..4 {
        assert_eq!(replica(&sim, i).last_executed, 1);
    }
}

#[test]
fn s4_2_backup_rejects_a_second_pre_prepare_at_the_same_view_and_sequence_number() {
    let (mut s2, mut rng) = lone(1);
    let (out, _) = feed(&mut s2, &mut rng, 0, pre_prepare(0, 1, Some(req(1))));
    assert_eq!(
        out.iter()
            .filter(|(_, m)| matches!(m, PbftMessage::Prepare(_)))
            .count(),
        3
    );
    let (out, events) = feed(&mut s2, &mut rng, 0, pre_prepare(0, 1, Some(req(2))));
    assert!(out.is_empty());
    assert_eq!(refused(&events), Some(Invalid::Conflicting));
}

#[test]
fn s4_2_backup_accepts_only_between_the_watermarks_h_and_h_plus_k() {
    let (mut s2, mut rng) = lone(1);
    let k = PbftConfig::default().log_size;
    let (_, events) = feed(&mut s2, &mut rng, 0, pre_prepare(0, k + 1, Some(req(1))));
    assert_eq!(refused(&events), Some(Invalid::OutsideWatermarks));
    let (_, events) = feed(&mut s2, &mut rng, 0, pre_prepare(0, 0, Some(req(1))));
    assert_eq!(refused(&events), Some(Invalid::OutsideWatermarks));
    let (_, events) = feed(&mut s2, &mut rng, 0, pre_prepare(0, k, Some(req(1))));
    assert_eq!(refused(&events), None);
}

#[test]
fn s4_2_backup_accepts_only_its_view_the_primarys_signature_and_the_right_digest() {
    let (mut s2, mut rng) = lone(1);
    // S1 signs a pre-prepare of view 1, whose primary is S2.
    let not_primary = PbftMessage::PrePrepare {
        pre_prepare: sign(
            0,
            PrePrepare {
                v: 1,
                n: 1,
                d: request_digest(&Some(req(1))),
            },
        ),
        request: Some(req(1)),
    };
    let (_, events) = feed(&mut s2, &mut rng, 0, not_primary);
    assert_eq!(refused(&events), Some(Invalid::NotPrimary));
    // Signed by S3 but sent by S1: the kernel's sender stamp gives it away.
    let forged = PbftMessage::PrePrepare {
        pre_prepare: sign(
            2,
            PrePrepare {
                v: 0,
                n: 1,
                d: request_digest(&Some(req(1))),
            },
        ),
        request: Some(req(1)),
    };
    let (_, events) = feed(&mut s2, &mut rng, 0, forged);
    assert_eq!(refused(&events), Some(Invalid::BadSignature));
    let wrong_digest = PbftMessage::PrePrepare {
        pre_prepare: sign(
            0,
            PrePrepare {
                v: 0,
                n: 1,
                d: request_digest(&Some(req(9))),
            },
        ),
        request: Some(req(1)),
    };
    let (_, events) = feed(&mut s2, &mut rng, 0, wrong_digest);
    assert_eq!(refused(&events), Some(Invalid::BadDigest));
}

#[test]
fn s4_2_prepared_takes_the_pre_prepare_and_2f_prepares_from_backups_and_then_commits() {
    let (mut s2, mut rng) = lone(1);
    let r = Some(req(1));
    let d = request_digest(&r);
    feed(&mut s2, &mut rng, 0, pre_prepare(0, 1, r));
    // A PREPARE "from the primary" does not count.
    let (out, _) = feed(
        &mut s2,
        &mut rng,
        0,
        PbftMessage::Prepare(sign(
            0,
            Prepare {
                v: 0,
                n: 1,
                d,
                i: 0,
            },
        )),
    );
    assert!(out.is_empty());
    assert!(s2.replica().unwrap().log[&1].prepared.is_none());
    // Its own and S3's: 2f = 2.
    let (out, events) = feed(
        &mut s2,
        &mut rng,
        2,
        PbftMessage::Prepare(sign(
            2,
            Prepare {
                v: 0,
                n: 1,
                d,
                i: 2,
            },
        )),
    );
    assert!(events
        .iter()
        .any(|e| matches!(e, PbftEvent::Prepared { n: 1, .. })));
    assert_eq!(
        out.iter()
            .filter(|(_, m)| matches!(m, PbftMessage::Commit(_)))
            .count(),
        3
    );
    let cert = s2.replica().unwrap().log[&1].prepared.clone().unwrap();
    assert_eq!(cert.prepares.len(), 2);
}

#[test]
fn s4_2_requests_execute_in_sequence_order_and_each_client_request_once() {
    let mut sim = cluster(5, 3);
    let mut checker = Checker::new();
    for by in [1, 2, 3] {
        submit(&mut sim, &mut checker, by);
    }
    run(&mut sim, &mut checker, 3_000);
    // x += 1, 2, 3 in order: 1, 3, 6.
    assert_eq!(accepted(&sim), [(1, 1), (2, 3), (3, 6)]);
    assert!(checker.violation().is_none());
}

#[test]
fn s4_3_a_checkpoint_every_k_is_stable_after_2f_plus_1_and_the_log_before_it_is_discarded() {
    let mut sim = cluster(5, 4);
    let mut checker = Checker::new();
    let k = PbftConfig::default().checkpoint_interval;
    let mut events = Vec::new();
    for by in 1..=k + 1 {
        events.extend(submit(&mut sim, &mut checker, by as u32));
    }
    events.extend(run(&mut sim, &mut checker, 5_000));
    assert_eq!(accepted(&sim).len() as u64, k + 1);
    for i in 0..4 {
        let r = replica(&sim, i);
        assert_eq!(r.h, k, "S{}", i + 1);
        assert_eq!(r.high(), k + PbftConfig::default().log_size);
        assert!(r.log.keys().all(|&n| n > k), "garbage collected");
        assert!(r.stable.proof.len() >= 3);
        assert_eq!(r.stable.d, digest_of(&r.snapshots[&k]));
    }
    assert!(events
        .iter()
        .any(|(_, e)| matches!(e, PbftEvent::CheckpointStable { n, .. } if *n == k)));
}

#[test]
fn s4_3_a_replica_behind_a_stable_checkpoint_fetches_the_state_and_checks_its_digest() {
    let mut sim = cluster(5, 5);
    let mut checker = Checker::new();
    apply(&mut sim, &mut checker, Command::Isolate { node: 3 });
    for by in 1..=4 {
        submit(&mut sim, &mut checker, by);
    }
    run(&mut sim, &mut checker, 3_000);
    assert_eq!(replica(&sim, 3).last_executed, 0);
    apply(&mut sim, &mut checker, Command::Rejoin { node: 3 });
    // The others resend their checkpoints only in a view change: force one.
    for i in 0..4 {
        apply(&mut sim, &mut checker, Command::Timeout { node: i });
    }
    let events = run(&mut sim, &mut checker, 3_000);
    assert!(events
        .iter()
        .any(|(n, e)| *n == 3 && matches!(e, PbftEvent::StateFetched { n: 4, .. })));
    assert_eq!(replica(&sim, 3).last_executed, 4);
    assert_eq!(replica(&sim, 3).service, replica(&sim, 0).service);
    assert!(checker.violation().is_none());
}

/// A prepared certificate for `r` at `(v, n)`, signed by the right replicas.
fn cert(v: u64, n: u64, r: Option<Request>) -> PreparedCert {
    let d = request_digest(&r);
    let primary = (v % 4) as usize;
    PreparedCert {
        pre_prepare: sign(primary, PrePrepare { v, n, d }),
        request: r,
        prepares: (0..4)
            .filter(|&j| j != primary)
            .take(2)
            .map(|j| sign(j, Prepare { v, n, d, i: j }))
            .collect(),
    }
}

fn view_change(i: usize, v: u64, p: Vec<PreparedCert>) -> quorum_sim::pbft::Signed<ViewChange> {
    sign(
        i,
        ViewChange {
            v,
            n: 0,
            c: Vec::new(),
            p,
            i,
        },
    )
}

#[test]
fn s4_4_new_view_re_proposes_up_to_the_highest_prepared_with_null_requests_for_gaps() {
    let a = Some(req(1));
    let b = Some(req(2));
    let vs = vec![
        view_change(0, 1, vec![cert(0, 1, a)]),
        view_change(2, 1, vec![cert(0, 3, b)]),
        view_change(3, 1, vec![]),
    ];
    let (stable, o) = Replica::compute_o(&vs);
    assert_eq!(stable.n, 0);
    assert_eq!(
        o,
        [
            (1, request_digest(&a), a),
            (2, request_digest(&None), None),
            (3, request_digest(&b), b),
        ]
    );
    // The certificate of the highest view wins.
    let vs = vec![
        view_change(0, 2, vec![cert(0, 1, a)]),
        view_change(2, 2, vec![cert(1, 1, b)]),
        view_change(3, 2, vec![]),
    ];
    assert_eq!(Replica::compute_o(&vs).1, [(1, request_digest(&b), b)]);
}

#[test]
fn s4_4_the_new_primary_refuses_a_view_change_with_a_forged_prepared_certificate() {
    let (s2, _) = lone(1);
    let s2 = s2.replica().unwrap();
    assert_eq!(
        s2.check_view_change(&view_change(0, 1, vec![cert(0, 1, Some(req(1)))]), 1),
        Ok(())
    );
    // Prepares S3 and S4 never sent, "signed" by S1 with its own key.
    let mut forged = cert(0, 1, None);
    forged.prepares = [2, 3]
        .iter()
        .map(|&j| {
            quorum_sim::pbft::forge(
                0,
                j,
                Prepare {
                    v: 0,
                    n: 1,
                    d: forged.d(),
                    i: j,
                },
            )
        })
        .collect();
    assert_eq!(
        s2.check_view_change(&view_change(0, 1, vec![forged]), 1),
        Err(Invalid::BadSignature)
    );
    // A genuine prepare for another request does not make up the count.
    let mut short = cert(0, 1, Some(req(1)));
    short.prepares[1] = sign(
        3,
        Prepare {
            v: 0,
            n: 1,
            d: request_digest(&Some(req(2))),
            i: 3,
        },
    );
    assert_eq!(
        s2.check_view_change(&view_change(0, 1, vec![short]), 1),
        Err(Invalid::ShortCertificate)
    );
    // A request that is not the one the pre-prepare names.
    let mut swapped = cert(0, 1, Some(req(1)));
    swapped.request = Some(req(2));
    assert_eq!(
        s2.check_view_change(&view_change(0, 1, vec![swapped]), 1),
        Err(Invalid::BadDigest)
    );
}

#[test]
fn s4_4_a_forged_view_change_in_a_run_is_refused_where_the_paper_checks_it() {
    let mut sim = cluster(5, 6);
    let mut checker = Checker::new();
    submit(&mut sim, &mut checker, 1);
    run(&mut sim, &mut checker, 1_000);
    apply(
        &mut sim,
        &mut checker,
        Command::MakeByzantine {
            node: 2,
            behaviour: Behaviour::ForgedViewChange,
        },
    );
    let mut events = Vec::new();
    for i in 0..4 {
        events.extend(apply(&mut sim, &mut checker, Command::Timeout { node: i }));
    }
    events.extend(run(&mut sim, &mut checker, 2_000));
    // S2, the primary of view 1, refuses S3's VIEW-CHANGE and makes the view with the others.
    assert!(events.iter().any(|(n, e)| *n == 1
        && matches!(
            e,
            PbftEvent::Refused {
                from: 2,
                why: Invalid::BadSignature
            }
        )));
    assert!(events
        .iter()
        .any(|(n, e)| *n == 1 && matches!(e, PbftEvent::NewViewSent { v: 1, .. })));
    for i in [0, 1, 3] {
        assert_eq!(
            (replica(&sim, i).view, replica(&sim, i).status),
            (1, Status::Normal)
        );
    }
    assert!(checker.violation().is_none());
}

#[test]
fn s4_4_a_backup_refuses_a_new_view_whose_o_is_not_what_v_gives() {
    let (mut s3, mut rng) = lone(2);
    let a = Some(req(1));
    let vs = vec![
        view_change(0, 1, vec![cert(0, 1, a)]),
        view_change(1, 1, vec![]),
        view_change(3, 1, vec![]),
    ];
    // S2, primary of view 1, re-proposes the null request at 1 instead of a.
    let o = vec![(
        sign(
            1,
            PrePrepare {
                v: 1,
                n: 1,
                d: request_digest(&None),
            },
        ),
        None,
    )];
    let nv = sign(
        1,
        quorum_sim::pbft::NewView {
            v: 1,
            vs: vs.clone(),
            o,
        },
    );
    let (_, events) = feed(&mut s3, &mut rng, 1, PbftMessage::NewView(nv));
    assert_eq!(refused(&events), Some(Invalid::WrongO));
    let o = vec![(
        sign(
            1,
            PrePrepare {
                v: 1,
                n: 1,
                d: request_digest(&a),
            },
        ),
        a,
    )];
    let nv = sign(1, quorum_sim::pbft::NewView { v: 1, vs, o });
    let (out, events) = feed(&mut s3, &mut rng, 1, PbftMessage::NewView(nv));
    assert!(events.contains(&PbftEvent::NewViewAccepted { v: 1 }));
    assert_eq!(
        out.iter()
            .filter(|(_, m)| matches!(m, PbftMessage::Prepare(_)))
            .count(),
        3
    );
    assert_eq!(s3.replica().unwrap().view, 1);
}

#[test]
fn s4_5_a_replica_joins_a_view_change_after_f_plus_1_view_changes_for_higher_views() {
    let (mut s4, mut rng) = lone(3);
    let (_, events) = feed(
        &mut s4,
        &mut rng,
        0,
        PbftMessage::ViewChange(view_change(0, 2, vec![])),
    );
    assert!(events
        .iter()
        .all(|e| !matches!(e, PbftEvent::ViewChangeStarted { .. })));
    let (out, events) = feed(
        &mut s4,
        &mut rng,
        1,
        PbftMessage::ViewChange(view_change(1, 3, vec![])),
    );
    assert!(events.contains(&PbftEvent::ViewChangeStarted {
        v: 2,
        why: quorum_sim::pbft::ViewChangeReason::Joined
    }));
    assert!(out
        .iter()
        .any(|(_, m)| matches!(m, PbftMessage::ViewChange(vc) if vc.body.v == 2)));
}

#[test]
fn s4_5_the_view_change_timeout_doubles_with_each_view_change_that_does_not_complete() {
    let mut sim = cluster(5, 7);
    let mut checker = Checker::new();
    let t = PbftConfig::default().view_change_timeout;
    apply(&mut sim, &mut checker, Command::Isolate { node: 0 });
    apply(&mut sim, &mut checker, Command::Timeout { node: 0 });
    assert_eq!(replica(&sim, 0).timeout(), t);
    apply(&mut sim, &mut checker, Command::Timeout { node: 0 });
    assert_eq!(replica(&sim, 0).timeout(), 2 * t);
    apply(&mut sim, &mut checker, Command::Timeout { node: 0 });
    assert_eq!(replica(&sim, 0).timeout(), 4 * t);
    assert_eq!(replica(&sim, 0).view, 3);
}

#[test]
fn s4_1_a_client_that_times_out_broadcasts_and_backups_forward_to_the_primary_and_time_it() {
    let mut sim = cluster(5, 8);
    let mut checker = Checker::new();
    apply(
        &mut sim,
        &mut checker,
        Command::CutLink {
            from: CLIENT,
            to: 0,
        },
    );
    submit(&mut sim, &mut checker, 7);
    let events = run(&mut sim, &mut checker, 2_000);
    assert!(events.iter().any(|(n, e)| *n == CLIENT
        && matches!(
            e,
            PbftEvent::RequestSent {
                broadcast: true,
                ..
            }
        )));
    assert!(events
        .iter()
        .any(|(n, e)| *n == 1 && matches!(e, PbftEvent::RequestForwarded { to: 0, .. })));
    assert_eq!(accepted(&sim), [(1, 7)]);
}

#[test]
fn liars_silent_primary_is_replaced_by_a_view_change_and_the_client_is_answered() {
    let mut sim = cluster(5, 9);
    let mut checker = Checker::new();
    apply(
        &mut sim,
        &mut checker,
        Command::MakeByzantine {
            node: 0,
            behaviour: Behaviour::Silent,
        },
    );
    submit(&mut sim, &mut checker, 3);
    run(&mut sim, &mut checker, 5_000);
    assert_eq!(accepted(&sim), [(1, 3)]);
    assert!(replica(&sim, 1).view >= 1);
    assert!(checker.violation().is_none());
}

#[test]
fn liars_a_primary_outside_the_watermarks_is_refused_and_replaced() {
    let mut sim = cluster(5, 10);
    let mut checker = Checker::new();
    apply(
        &mut sim,
        &mut checker,
        Command::MakeByzantine {
            node: 0,
            behaviour: Behaviour::OutsideWatermarks,
        },
    );
    submit(&mut sim, &mut checker, 3);
    let events = run(&mut sim, &mut checker, 5_000);
    assert!(events.iter().any(|(_, e)| matches!(
        e,
        PbftEvent::Refused {
            from: 0,
            why: Invalid::OutsideWatermarks
        }
    )));
    assert_eq!(accepted(&sim), [(1, 3)]);
    assert!(checker.violation().is_none());
}

#[test]
fn liars_f_wrong_replies_are_outvoted_by_f_plus_1_correct_ones() {
    let mut sim = cluster(5, 11);
    let mut checker = Checker::new();
    apply(
        &mut sim,
        &mut checker,
        Command::MakeByzantine {
            node: 1,
            behaviour: Behaviour::WrongReply,
        },
    );
    submit(&mut sim, &mut checker, 3);
    run(&mut sim, &mut checker, 2_000);
    assert_eq!(accepted(&sim), [(1, 3)]);
    assert!(checker.violation().is_none());
}

#[test]
fn liars_one_equivocating_primary_and_one_conflicting_voter_among_seven_break_nothing() {
    for (liar, behaviour) in [(0, Behaviour::Equivocate), (3, Behaviour::ConflictingVotes)] {
        let mut sim = cluster(8, 12);
        let mut checker = Checker::new();
        apply(
            &mut sim,
            &mut checker,
            Command::MakeByzantine {
                node: liar,
                behaviour,
            },
        );
        for by in 1..=5 {
            submit(&mut sim, &mut checker, by);
        }
        run(&mut sim, &mut checker, 20_000);
        assert_eq!(accepted(&sim).len(), 5, "{behaviour:?}");
        assert!(checker.violation().is_none(), "{:?}", checker.violation());
    }
}

#[test]
fn f_plus_1_liars_equivocating_primary_and_conflicting_voter_make_correct_replicas_commit_differently(
) {
    let mut sim = cluster(5, 13);
    let mut checker = Checker::new();
    apply(
        &mut sim,
        &mut checker,
        Command::MakeByzantine {
            node: 0,
            behaviour: Behaviour::Equivocate,
        },
    );
    apply(
        &mut sim,
        &mut checker,
        Command::MakeByzantine {
            node: 1,
            behaviour: Behaviour::ConflictingVotes,
        },
    );
    submit(&mut sim, &mut checker, 3);
    run(&mut sim, &mut checker, 2_000);
    let v = checker.violation().expect("f + 1 liars break agreement");
    assert_eq!(v.property, "Commit agreement", "{v}");
}

#[test]
fn f_plus_1_liars_with_wrong_replies_make_the_client_accept_a_result_no_correct_replica_computed() {
    let mut sim = cluster(5, 14);
    let mut checker = Checker::new();
    for node in [0, 1] {
        apply(
            &mut sim,
            &mut checker,
            Command::MakeByzantine {
                node,
                behaviour: Behaviour::WrongReply,
            },
        );
    }
    // The correct replicas' replies are slow to arrive.
    for node in [2, 3] {
        apply(
            &mut sim,
            &mut checker,
            Command::CutLink {
                from: node,
                to: CLIENT,
            },
        );
    }
    submit(&mut sim, &mut checker, 3);
    run(&mut sim, &mut checker, 2_000);
    let v = checker.violation().expect("f + 1 liars fool the client");
    assert_eq!(v.property, "Client result", "{v}");
}

#[test]
fn making_a_server_lie_is_refused_where_it_cannot_be_and_other_protocols_have_no_liars() {
    let mut sim = cluster(5, 15);
    let lie = |node| Command::MakeByzantine {
        node,
        behaviour: Behaviour::Silent,
    };
    assert_eq!(
        sim.check(&lie(CLIENT)).unwrap_err().kind(),
        &SimErrorKind::NoByzantine {
            node: CLIENT,
            behaviour: Behaviour::Silent
        }
    );
    sim.apply(lie(1)).unwrap();
    assert!(matches!(
        sim.check(&lie(1)).unwrap_err().kind(),
        SimErrorKind::NoByzantine { .. }
    ));
    sim.apply(Command::Crash { node: 2 }).unwrap();
    assert_eq!(
        sim.check(&lie(2)).unwrap_err().kind(),
        &SimErrorKind::Crashed { node: 2 }
    );
    // A liar stays a liar through a crash.
    sim.apply(Command::Crash { node: 1 }).unwrap();
    sim.apply(Command::Restart { node: 1 }).unwrap();
    assert_eq!(
        sim.node(1).unwrap().up().unwrap().byzantine(),
        Some(Behaviour::Silent)
    );
    let mut raft: Sim<quorum_sim::raft::Raft> = Sim::new(SimConfig::new(3, 1)).unwrap();
    let e = raft.apply(lie(0)).unwrap_err();
    assert_eq!(
        e.kind(),
        &SimErrorKind::NoByzantine {
            node: 0,
            behaviour: Behaviour::Silent
        }
    );
    assert_eq!(e.0, "S1 cannot be made to lie (Silent) now");
}

#[test]
fn a_run_with_liars_replays_from_its_commands_and_its_link() {
    let mut sim = cluster(5, 16);
    let mut checker = Checker::new();
    apply(
        &mut sim,
        &mut checker,
        Command::MakeByzantine {
            node: 0,
            behaviour: Behaviour::Equivocate,
        },
    );
    submit(&mut sim, &mut checker, 3);
    run(&mut sim, &mut checker, 3_000);
    let commands = sim.commands().to_vec();
    let replayed = Sim::<Pbft>::replay(sim.config().clone(), &commands).unwrap();
    let mut replayed = replayed;
    replayed.advance_to(sim.now());
    assert_eq!(replayed.trace_hash(), sim.trace_hash());
    let shared = quorum_sim::share::SharedRun {
        protocol: "pbft".into(),
        nodes: 5,
        seed: 16,
        params: vec![],
        moment: (sim.events_processed(), sim.now()),
        commands,
    };
    let text = quorum_sim::share::encode(&shared);
    assert_eq!(quorum_sim::share::decode(&text).unwrap(), shared);
}

#[test]
fn digests_are_fixed_numbers_not_a_random_keyed_hash() {
    // FNV-1a of the empty service state, the same on every platform and run.
    let d = digest_of(&ServiceState::default());
    assert_eq!(d, digest_of(&ServiceState::default()));
    assert_ne!(request_digest(&Some(req(1))), request_digest(&Some(req(2))));
    assert_ne!(request_digest(&None), request_digest(&Some(req(1))));
    let _ = ClientRequest {
        id: 1,
        op: KvOp::Set { key: 'x', value: 1 },
    };
}

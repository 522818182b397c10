//! Viewstamped Replication Revisited, rule by rule: each test names the
//! section of the paper (MIT-CSAIL-TR-2012-021) whose rule it checks. Rules of
//! one handler are checked by hand on one replica; the others on a whole
//! cluster, every safety property checked after every event.

use quorum_sim::chaos::Run;
use quorum_sim::kv::{ClientRequest, KvOp};
use quorum_sim::rng::SimRng;
use quorum_sim::sim::{EventOf, SimEvent};
use quorum_sim::vr::{
    Log, Status, ViewChangeReason, Vr, VrConfig, VrEvent, VrMessage, VrPersistent, VR_PROPERTIES,
};
use quorum_sim::{Command, Ctx, Envelope, NodeId, Protocol, SimConfig, Time, MS};

fn request(id: u64) -> ClientRequest {
    ClientRequest {
        id,
        op: KvOp::Add {
            key: 'x',
            by: id as u32,
        },
    }
}

// ---- by hand ------------------------------------------------------------------------

/// What one handler did: the messages it sent and the events it reported.
struct Out {
    sent: Vec<(NodeId, VrMessage)>,
    events: Vec<VrEvent>,
}

fn step(node: &mut Vr, f: impl FnOnce(&mut Vr, &mut Ctx<Vr>)) -> Out {
    let mut rng = SimRng::from_seed(7);
    let mut ctx = Ctx::new(0, node.id, &mut rng);
    f(node, &mut ctx);
    Out {
        sent: ctx.outbox().to_vec(),
        events: ctx.events().to_vec(),
    }
}

fn start(id: NodeId, n: usize, persisted: Option<VrPersistent>) -> (Vr, Out) {
    let mut rng = SimRng::from_seed(id as u64 + 1);
    let mut ctx = Ctx::new(0, id, &mut rng);
    let node = Vr::start(id, n, &VrConfig::default(), persisted, &mut ctx);
    let out = Out {
        sent: ctx.outbox().to_vec(),
        events: ctx.events().to_vec(),
    };
    (node, out)
}

fn fresh(id: NodeId, n: usize) -> Vr {
    start(id, n, None).0
}

fn deliver(node: &mut Vr, from: NodeId, msg: VrMessage) -> Out {
    step(node, |n, ctx| n.on_message(from, msg, ctx))
}

#[test]
fn sec4_1_the_primary_prepares_and_commits_after_f_prepareoks() {
    let mut primary = fresh(0, 5);
    let out = step(&mut primary, |n, ctx| n.on_client_request(request(1), ctx));
    let prepares: Vec<NodeId> = out
        .sent
        .iter()
        .filter(|(_, m)| {
            matches!(
                m,
                VrMessage::Prepare {
                    view: 0,
                    op_number: 1,
                    commit_number: 0,
                    ..
                }
            )
        })
        .map(|(to, _)| *to)
        .collect();
    assert_eq!(prepares, [1, 2, 3, 4]);
    assert_eq!((primary.op_number, primary.commit_number), (1, 0));
    // f = 2: one PREPAREOK is not enough, the second commits, executes and replies.
    let ok = VrMessage::PrepareOk {
        view: 0,
        op_number: 1,
    };
    let first = deliver(&mut primary, 1, ok.clone());
    assert!(first.events.is_empty());
    let second = deliver(&mut primary, 3, ok);
    assert_eq!(primary.commit_number, 1);
    assert!(second.events.contains(&VrEvent::Executed {
        op_number: 1,
        request: request(1)
    }));
    assert!(second.events.contains(&VrEvent::Replied {
        client: 1,
        request_number: 1,
        resent: false
    }));
}

#[test]
fn sec4_1_the_client_table_drops_old_requests_and_answers_the_latest_again() {
    let mut primary = fresh(0, 3);
    step(&mut primary, |n, ctx| n.on_client_request(request(5), ctx));
    // In progress: the same request again is dropped, not prepared twice.
    let again = step(&mut primary, |n, ctx| n.on_client_request(request(5), ctx));
    assert!(again.sent.is_empty());
    assert!(matches!(
        again.events[..],
        [VrEvent::RequestDropped { latest: 5, .. }]
    ));
    deliver(
        &mut primary,
        1,
        VrMessage::PrepareOk {
            view: 0,
            op_number: 1,
        },
    );
    assert_eq!(primary.client_table[&1].request_number, 5);
    assert!(primary.client_table[&1].executed);
    // Executed: the latest request is answered from the table.
    let dup = step(&mut primary, |n, ctx| n.on_client_request(request(5), ctx));
    assert!(dup.sent.is_empty(), "not prepared again");
    assert_eq!(
        dup.events,
        [VrEvent::Replied {
            client: 1,
            request_number: 5,
            resent: true
        }]
    );
    // An older request-number is dropped.
    let old = step(&mut primary, |n, ctx| n.on_client_request(request(3), ctx));
    assert!(old.sent.is_empty());
    assert!(matches!(
        old.events[..],
        [VrEvent::RequestDropped { latest: 5, .. }]
    ));
    assert_eq!(primary.op_number, 1);
}

#[test]
fn sec4_1_a_backup_redirects_a_client_to_the_primary() {
    let mut backup = fresh(2, 3);
    let out = step(&mut backup, |n, ctx| n.on_client_request(request(1), ctx));
    assert_eq!(
        out.sent,
        [(
            0,
            VrMessage::Request {
                request: request(1)
            }
        )]
    );
    assert!(backup.log.is_empty());
}

#[test]
fn sec4_1_a_backup_takes_prepares_in_order_and_executes_on_commit() {
    let mut backup = fresh(1, 3);
    let prepare = |op: u64, k: u64| VrMessage::Prepare {
        view: 0,
        request: request(op),
        op_number: op,
        commit_number: k,
    };
    let out = deliver(&mut backup, 0, prepare(1, 0));
    assert_eq!(
        out.sent,
        [(
            0,
            VrMessage::PrepareOk {
                view: 0,
                op_number: 1
            }
        )]
    );
    assert_eq!(backup.executed, 0, "not committed yet");
    deliver(&mut backup, 0, prepare(2, 1));
    assert_eq!(
        (backup.op_number, backup.commit_number, backup.executed),
        (2, 1, 1)
    );
    deliver(
        &mut backup,
        0,
        VrMessage::Commit {
            view: 0,
            commit_number: 2,
        },
    );
    assert_eq!(backup.executed, 2);
    assert_eq!(backup.kv.data[&'x'], 3);
}

#[test]
fn sec5_2_a_backup_with_a_gap_in_its_view_asks_for_the_state_after_its_op_number() {
    let mut backup = fresh(1, 3);
    let out = deliver(
        &mut backup,
        0,
        VrMessage::Prepare {
            view: 0,
            request: request(3),
            op_number: 3,
            commit_number: 2,
        },
    );
    assert!(out
        .sent
        .contains(&(0, VrMessage::GetState { view: 0, after: 0 })));
    assert!(!out
        .sent
        .iter()
        .any(|(_, m)| matches!(m, VrMessage::PrepareOk { .. })));
    // NEWSTATE(v, l, n, k) fills the gap.
    deliver(
        &mut backup,
        0,
        VrMessage::NewState {
            view: 0,
            after: 0,
            log: vec![request(1), request(2), request(3)],
            op_number: 3,
            commit_number: 2,
        },
    );
    assert_eq!((backup.op_number, backup.commit_number), (3, 2));
    assert_eq!(backup.status, Status::Normal);
}

#[test]
fn sec5_2_a_stale_newstate_never_cuts_off_operations_a_backup_has() {
    // Found by a 20,000-event fault run: a NEWSTATE sent before the backup
    // took more PREPAREs cut its log back, losing an operation it had
    // acknowledged and that was committed on the strength of it.
    let mut backup = fresh(1, 3);
    let prepare = |op: u64| VrMessage::Prepare {
        view: 0,
        request: request(op),
        op_number: op,
        commit_number: 0,
    };
    deliver(&mut backup, 0, prepare(1));
    deliver(&mut backup, 0, prepare(2));
    deliver(&mut backup, 0, prepare(5)); // a gap: GETSTATE(0, 2)
    assert!(backup.asked.is_some());
    deliver(&mut backup, 0, prepare(3)); // the gap's first op arrives after all
    let out = deliver(
        &mut backup,
        0,
        VrMessage::NewState {
            view: 0,
            after: 2,
            log: vec![],
            op_number: 2,
            commit_number: 1,
        },
    );
    assert!(out.events.is_empty(), "{:?}", out.events);
    assert_eq!(backup.op_number, 3);
    assert_eq!(backup.log.len(), 3);
}

#[test]
fn sec5_2_a_replica_hearing_of_a_later_view_keeps_its_log_and_view_until_newstate() {
    // The safe rule (Vanlightly's fix): no truncation, no new view yet.
    let mut backup = fresh(2, 3);
    for op in 1..=2 {
        deliver(
            &mut backup,
            0,
            VrMessage::Prepare {
                view: 0,
                request: request(op),
                op_number: op,
                commit_number: op - 1,
            },
        );
    }
    assert_eq!((backup.op_number, backup.commit_number), (2, 1));
    let out = deliver(
        &mut backup,
        1,
        VrMessage::Prepare {
            view: 1,
            request: request(9),
            op_number: 4,
            commit_number: 2,
        },
    );
    assert_eq!(backup.status, Status::StateTransfer);
    assert_eq!((backup.view, backup.last_normal_view), (0, 0));
    assert_eq!(backup.log.len(), 2, "the log is kept");
    assert!(out
        .sent
        .contains(&(1, VrMessage::GetState { view: 1, after: 1 })));
    // The NEWSTATE replaces what follows the commit-number and moves it to view 1.
    deliver(
        &mut backup,
        1,
        VrMessage::NewState {
            view: 1,
            after: 1,
            log: vec![request(7), request(8), request(9)],
            op_number: 4,
            commit_number: 2,
        },
    );
    assert_eq!(backup.status, Status::Normal);
    assert_eq!((backup.view, backup.last_normal_view), (1, 1));
    let ids: Vec<u64> = backup.log.iter().map(|r| r.id).collect();
    assert_eq!(ids, [1, 7, 8, 9]);
}

#[test]
fn sec5_2_the_literal_rule_truncates_to_the_commit_number_and_takes_the_view_at_once() {
    let mut rng = SimRng::from_seed(1);
    let mut ctx = Ctx::new(0, 2, &mut rng);
    let config = VrConfig {
        literal_state_transfer: true,
        ..VrConfig::default()
    };
    let mut backup = Vr::start(2, 3, &config, None, &mut ctx);
    for op in 1..=2 {
        deliver(
            &mut backup,
            0,
            VrMessage::Prepare {
                view: 0,
                request: request(op),
                op_number: op,
                commit_number: op - 1,
            },
        );
    }
    deliver(
        &mut backup,
        1,
        VrMessage::Commit {
            view: 1,
            commit_number: 3,
        },
    );
    assert_eq!(backup.status, Status::Normal);
    assert_eq!((backup.view, backup.last_normal_view), (1, 1));
    assert_eq!((backup.log.len(), backup.op_number), (1, 1));
}

#[test]
fn sec5_2_getstate_is_answered_only_in_normal_status_and_the_same_view() {
    let mut primary = fresh(0, 3);
    step(&mut primary, |n, ctx| n.on_client_request(request(1), ctx));
    let wrong_view = deliver(&mut primary, 1, VrMessage::GetState { view: 1, after: 0 });
    assert!(wrong_view.sent.is_empty());
    let ok = deliver(&mut primary, 1, VrMessage::GetState { view: 0, after: 0 });
    assert_eq!(
        ok.sent,
        [(
            1,
            VrMessage::NewState {
                view: 0,
                after: 0,
                log: vec![request(1)],
                op_number: 1,
                commit_number: 0
            }
        )]
    );
}

#[test]
fn sec4_2_the_new_primary_takes_the_largest_last_normal_view_before_the_largest_op_number() {
    // Five replicas; view 2's primary is S3 (2 mod 5).
    let mut new_primary = fresh(2, 5);
    deliver(&mut new_primary, 0, VrMessage::StartViewChange { view: 2 });
    assert_eq!(new_primary.status, Status::ViewChange);
    deliver(&mut new_primary, 1, VrMessage::StartViewChange { view: 2 });
    assert!(
        new_primary.sent_do_view_change,
        "f = 2 others: its own DOVIEWCHANGE"
    );
    let long_old: Log = vec![request(1), request(2), request(3)].into();
    let short_new: Log = vec![request(1), request(4)].into();
    deliver(
        &mut new_primary,
        0,
        VrMessage::DoViewChange {
            view: 2,
            log: long_old,
            last_normal_view: 0,
            op_number: 3,
            commit_number: 1,
        },
    );
    assert_eq!(new_primary.status, Status::ViewChange, "two of three");
    let out = deliver(
        &mut new_primary,
        1,
        VrMessage::DoViewChange {
            view: 2,
            log: short_new.clone(),
            last_normal_view: 1,
            op_number: 2,
            commit_number: 1,
        },
    );
    assert!(new_primary.is_primary());
    assert_eq!(new_primary.log, short_new, "v′ = 1 wins over n = 3");
    assert_eq!((new_primary.op_number, new_primary.commit_number), (2, 1));
    assert!(out.events.iter().any(|e| matches!(
        e,
        VrEvent::BecamePrimary {
            view: 2,
            chosen_from: 1,
            ..
        }
    )));
    let start_views = out
        .sent
        .iter()
        .filter(|(_, m)| {
            matches!(
                m,
                VrMessage::StartView {
                    view: 2,
                    op_number: 2,
                    commit_number: 1,
                    ..
                }
            )
        })
        .count();
    assert_eq!(start_views, 4);
}

#[test]
fn sec4_2_a_backup_takes_startview_and_acknowledges_what_is_not_committed() {
    let mut backup = fresh(3, 5);
    let log: Log = vec![request(1), request(2)].into();
    let out = deliver(
        &mut backup,
        2,
        VrMessage::StartView {
            view: 2,
            log: log.clone(),
            op_number: 2,
            commit_number: 1,
        },
    );
    assert_eq!((backup.status, backup.view), (Status::Normal, 2));
    assert_eq!(backup.log, log);
    assert_eq!(backup.executed, 1);
    assert_eq!(
        out.sent,
        [(
            2,
            VrMessage::PrepareOk {
                view: 2,
                op_number: 2
            }
        )]
    );
}

#[test]
fn sec4_3_a_restarted_replica_is_recovering_with_a_nonce_and_nothing_from_disk() {
    let (node, out) = start(1, 3, Some(VrPersistent));
    assert_eq!(node.status, Status::Recovering);
    assert!(node.log.is_empty() && node.view == 0);
    assert_ne!(node.nonce, 0);
    let sent: Vec<(NodeId, VrMessage)> = [0, 2]
        .into_iter()
        .map(|to| (to, VrMessage::Recovery { nonce: node.nonce }))
        .collect();
    assert_eq!(out.sent, sent);
    assert_eq!(node.persistent(), VrPersistent, "nothing is kept on disk");
}

#[test]
fn sec4_3_recovery_needs_f_plus_1_answers_with_its_nonce_including_the_primarys() {
    let (mut node, _) = start(2, 3, Some(VrPersistent));
    let nonce = node.nonce;
    let log: Log = vec![request(1), request(2)].into();
    let from_primary = |nonce| VrMessage::RecoveryResponse {
        view: 3,
        nonce,
        primary: Some(quorum_sim::vr::PrimaryState {
            log: log.clone(),
            op_number: 2,
            commit_number: 1,
        }),
    };
    // An answer to an earlier incarnation's nonce is not counted.
    deliver(&mut node, 0, from_primary(nonce.wrapping_add(1)));
    // A backup of view 3 and the primary of an older view: not the latest view's primary.
    deliver(
        &mut node,
        1,
        VrMessage::RecoveryResponse {
            view: 3,
            nonce,
            primary: None,
        },
    );
    assert_eq!(node.status, Status::Recovering);
    // View 3's primary is S1 (3 mod 3 = 0).
    let out = deliver(&mut node, 0, from_primary(nonce));
    assert_eq!(node.status, Status::Normal);
    assert_eq!((node.view, node.log.clone(), node.executed), (3, log, 1));
    assert!(out.events.iter().any(|e| matches!(
        e,
        VrEvent::Recovered {
            view: 3,
            primary: 0,
            ..
        }
    )));
}

#[test]
fn sec4_3_a_recovering_replica_takes_no_part_in_view_changes_or_recoveries() {
    let (mut node, _) = start(1, 3, Some(VrPersistent));
    for msg in [
        VrMessage::StartViewChange { view: 4 },
        VrMessage::Recovery { nonce: 9 },
        VrMessage::Commit {
            view: 4,
            commit_number: 1,
        },
    ] {
        let out = deliver(&mut node, 0, msg);
        assert!(out.sent.is_empty() && out.events.is_empty());
    }
    assert_eq!((node.status, node.view), (Status::Recovering, 0));
}

// ---- whole clusters -----------------------------------------------------------------

/// Timeouts long enough that only a forced one starts a view change.
fn patient() -> VrConfig {
    VrConfig {
        view_change_timeout_min: 10_000 * MS,
        view_change_timeout_max: 10_000 * MS,
        ..VrConfig::default()
    }
}

fn cluster(n: usize, seed: u64, config: VrConfig) -> Run<Vr> {
    Run::new(SimConfig {
        protocol: config,
        ..SimConfig::new(n, seed)
    })
    .unwrap()
}

fn submit(run: &mut Run<Vr>, node: NodeId, id: u64) {
    run.apply(Command::ClientRequest {
        node,
        request: request(id),
    })
    .unwrap();
}

fn ids(run: &Run<Vr>, node: NodeId) -> Vec<u64> {
    run.up(node).unwrap().log.iter().map(|r| r.id).collect()
}

/// Runs for `d`, dropping every message `drop` picks as soon as it is sent.
fn run_dropping(
    run: &mut Run<Vr>,
    d: Time,
    drop: impl Fn(&Envelope<VrMessage>) -> bool,
) -> Result<Vec<EventOf<Vr>>, String> {
    let until = run.sim().now() + d;
    let mut all = Vec::new();
    loop {
        let doomed: Vec<_> = run
            .sim()
            .in_flight()
            .filter(|e| drop(e))
            .map(|e| e.id)
            .collect();
        for id in doomed {
            all.extend(run.apply(Command::DropMessage { id })?);
        }
        if run.sim().next_event_time().is_none_or(|t| t > until) {
            return Ok(all);
        }
        all.extend(run.step()?.unwrap_or_default());
    }
}

#[test]
fn sec4_1_a_cluster_commits_and_every_replica_executes_in_order() {
    let mut run = cluster(3, 1, VrConfig::default());
    for id in 1..=3 {
        submit(&mut run, 1, id); // S2 redirects to S1
    }
    run.run_for(500 * MS).unwrap();
    for n in 0..3 {
        let r = run.up(n).unwrap();
        assert_eq!(ids(&run, n), [1, 2, 3]);
        assert_eq!((r.commit_number, r.executed), (3, 3), "S{}", n + 1);
        assert_eq!(r.kv.data[&'x'], 6);
    }
}

#[test]
fn sec4_2_a_crashed_primary_is_replaced_by_the_next_and_nothing_committed_is_lost() {
    let mut run = cluster(5, 2, VrConfig::default());
    submit(&mut run, 0, 1);
    run.run_for(200 * MS).unwrap();
    run.apply(Command::Crash { node: 0 }).unwrap();
    run.run_for(1_500 * MS).unwrap();
    let primary = (1..5).find(|&n| run.up(n).unwrap().is_primary()).unwrap();
    assert!(run.up(primary).unwrap().view >= 1);
    submit(&mut run, primary, 2);
    run.run_for(500 * MS).unwrap();
    for n in 1..5 {
        assert_eq!(ids(&run, n), [1, 2]);
        assert_eq!(run.up(n).unwrap().executed, 2);
    }
}

#[test]
fn sec4_2_a_partitioned_primary_is_replaced_while_it_still_thinks_it_leads() {
    let mut run = cluster(3, 3, VrConfig::default());
    submit(&mut run, 0, 1);
    run.run_for(200 * MS).unwrap();
    run.apply(Command::Isolate { node: 0 }).unwrap();
    run.run_for(1_000 * MS).unwrap();
    let old = run.up(0).unwrap();
    assert!(
        old.is_primary() && old.view == 0,
        "S1 still acts as primary of view 0"
    );
    assert!(run.up(1).unwrap().is_primary() && run.up(1).unwrap().view == 1);
    // S1 prepares a request nobody can acknowledge; S2 commits another.
    submit(&mut run, 0, 2);
    submit(&mut run, 1, 3);
    run.run_for(300 * MS).unwrap();
    assert_eq!(ids(&run, 0), [1, 2]);
    assert_eq!(run.up(0).unwrap().commit_number, 1);
    run.apply(Command::Rejoin { node: 0 }).unwrap();
    run.run_for(1_000 * MS).unwrap();
    let back = run.up(0).unwrap();
    assert_eq!((back.status, back.view), (Status::Normal, 1));
    assert_eq!(ids(&run, 0), [1, 3], "its uncommitted request is gone");
    assert_eq!(back.executed, 2);
}

#[test]
fn sec4_3_a_crashed_replica_recovers_from_the_others_and_catches_up() {
    let mut run = cluster(3, 4, VrConfig::default());
    for id in 1..=2 {
        submit(&mut run, 0, id);
    }
    run.run_for(300 * MS).unwrap();
    run.apply(Command::Crash { node: 2 }).unwrap();
    submit(&mut run, 0, 3);
    run.run_for(100 * MS).unwrap();
    let events = run.apply(Command::Restart { node: 2 }).unwrap();
    assert!(events.iter().any(|e| matches!(
        e.event,
        SimEvent::Protocol {
            event: VrEvent::Started {
                recovering: true,
                ..
            },
            ..
        }
    )));
    assert_eq!(run.up(2).unwrap().status, Status::Recovering);
    run.run_for(300 * MS).unwrap();
    let r = run.up(2).unwrap();
    assert_eq!(r.status, Status::Normal);
    assert_eq!(ids(&run, 2), [1, 2, 3]);
    assert_eq!(r.executed, 3);
}

#[test]
fn sec4_2_a_forced_timeout_starts_a_view_change_by_timer() {
    let mut run = cluster(3, 5, patient());
    let events = run.apply(Command::Timeout { node: 2 }).unwrap();
    assert!(events.iter().any(|e| matches!(
        e.event,
        SimEvent::Protocol {
            event: VrEvent::ViewChangeStarted {
                view: 1,
                why: ViewChangeReason::Timeout
            },
            ..
        }
    )));
    run.run_for(300 * MS).unwrap();
    assert!(run.up(1).unwrap().is_primary());
}

/// The run in which section 5.2, followed literally, loses a committed
/// operation (after Vanlightly's trace): S3 misses op 1, which S1 and S2
/// commit in view 0; S2 becomes primary of view 1 with S1, whose STARTVIEW
/// is lost; S3 hears of view 1 from a PREPARE; then S3 and S1 change to view 2,
/// whose primary is S3. Returns the run and the first violation, if any.
fn state_transfer_race(literal: bool) -> (Run<Vr>, Option<String>) {
    let config = VrConfig {
        literal_state_transfer: literal,
        ..patient()
    };
    let mut run = cluster(3, 6, config);
    let s3 = 2;
    let result = (|| -> Result<(), String> {
        // View 0: op 1 committed by S1 and S2; S3 hears nothing.
        run.apply(Command::ClientRequest {
            node: 0,
            request: request(1),
        })?;
        run_dropping(&mut run, 100 * MS, |e| e.to == s3)?;
        assert_eq!(run.up(s3).unwrap().op_number, 0, "S3 missed op 1");
        assert_eq!(run.up(0).unwrap().commit_number, 1, "S1 committed it");
        // View 1: S2 and S1; S1 hears nothing of view 1 after its DOVIEWCHANGE.
        run.apply(Command::Timeout { node: 1 })?;
        run_dropping(&mut run, 100 * MS, |e| {
            e.to == s3
                || e.from == 1
                    && e.to == 0
                    && !matches!(e.payload, VrMessage::StartViewChange { .. })
        })?;
        // S2 prepares op 2 in view 1: only S3 hears of it, by the PREPARE alone.
        run.apply(Command::ClientRequest {
            node: 1,
            request: request(2),
        })?;
        run_dropping(&mut run, 100 * MS, |e| {
            e.from == 1 && e.to == 0
                || e.to == s3 && !matches!(e.payload, VrMessage::Prepare { .. })
                || e.from == s3
        })?;
        // View 2 (S3's), with S1, while S2 is cut off.
        let r3 = run.up(s3).unwrap();
        let r1 = run.up(0).unwrap();
        assert_eq!(
            (r1.status, r1.view, r1.last_normal_view),
            (Status::ViewChange, 1, 0)
        );
        if literal {
            assert_eq!(
                (r3.status, r3.view, r3.last_normal_view),
                (Status::Normal, 1, 1)
            );
        } else {
            assert_eq!(
                (r3.status, r3.view, r3.last_normal_view),
                (Status::StateTransfer, 0, 0)
            );
        }
        run.apply(Command::Isolate { node: 1 })?;
        run.apply(Command::Timeout { node: s3 })?;
        run.run_for(300 * MS)?;
        Ok(())
    })();
    (run, result.err())
}

#[test]
fn sec5_2_the_literal_state_transfer_rule_loses_a_committed_operation_and_the_checker_says_so() {
    let (run, violation) = state_transfer_race(true);
    let v = run
        .checker()
        .violation()
        .cloned()
        .expect("the checker catches it");
    assert_eq!(v.property, VR_PROPERTIES[0]);
    assert!(
        v.detail
            .starts_with("S3 became primary of view 2 without op 1"),
        "{v}"
    );
    assert_eq!(violation.as_deref(), Some(v.to_string().as_str()));
}

#[test]
fn sec5_2_the_safe_state_transfer_rule_keeps_it_in_the_same_run() {
    let (run, violation) = state_transfer_race(false);
    assert_eq!(violation, None);
    let s1 = run.up(0).unwrap();
    assert_eq!((s1.view, s1.last_normal_view), (2, 2), "S1 joined view 2");
    let s3 = run.up(2).unwrap();
    assert!(s3.is_primary() && s3.view == 2);
    assert_eq!(ids(&run, 2), [1], "op 1 survives");
}

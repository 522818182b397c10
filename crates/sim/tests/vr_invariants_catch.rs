//! VR's safety checker must fail on histories and states that break its
//! properties. Each test takes a real run, then adds one hand-made event (or
//! tampers with the state an event makes the checker read) and expects
//! exactly the property that breaks.

use quorum_sim::chaos::Run;
use quorum_sim::kv::{ClientRequest, KvOp};
use quorum_sim::sim::EventOf;
use quorum_sim::vr::{Vr, VrEvent, VR_PROPERTIES};
use quorum_sim::{Checker, Command, NodeId, Sim, SimConfig, SimEvent, TimedEvent, MS};
use serde_json::Value;

/// A 3-replica run with three operations committed and executed everywhere.
fn run() -> (Sim<Vr>, Checker<Vr>) {
    let mut run = Run::<Vr>::new(SimConfig::new(3, 11)).unwrap();
    for id in 1..=3 {
        run.apply(Command::ClientRequest {
            node: 0,
            request: request(id),
        })
        .unwrap();
    }
    run.run_for(500 * MS).unwrap();
    assert_eq!(run.checker().safety().committed().len(), 3);
    (run.sim().clone(), run.checker().clone())
}

fn request(id: u64) -> ClientRequest {
    ClientRequest {
        id,
        op: KvOp::Set {
            key: 'k',
            value: id as u32,
        },
    }
}

fn tamper(sim: &Sim<Vr>, f: impl FnOnce(&mut Value)) -> Sim<Vr> {
    let mut v = serde_json::to_value(sim).unwrap();
    f(&mut v);
    serde_json::from_value(v).unwrap()
}

fn log_of(v: &mut Value, id: NodeId) -> &mut Vec<Value> {
    v["nodes"][id]["state"]["Up"]["log"].as_array_mut().unwrap()
}

fn event(sim: &Sim<Vr>, node: NodeId, event: VrEvent) -> Vec<EventOf<Vr>> {
    vec![TimedEvent {
        time: sim.now(),
        event: SimEvent::Protocol { node, event },
    }]
}

fn broken(sim: &Sim<Vr>, mut checker: Checker<Vr>, events: &[EventOf<Vr>]) -> &'static str {
    checker
        .observe(sim, events)
        .expect_err("the checker notices")
        .property
}

fn became_primary(view: u64) -> VrEvent {
    VrEvent::BecamePrimary {
        view,
        op_number: 2,
        commit_number: 2,
        chosen_from: 1,
    }
}

#[test]
fn a_new_primary_without_a_committed_operation_breaks_the_first_property() {
    let (sim, checker) = run();
    let bad = tamper(&sim, |v| {
        log_of(v, 1).pop();
    });
    let events = event(&bad, 1, became_primary(1));
    assert_eq!(broken(&bad, checker, &events), VR_PROPERTIES[0]);
}

#[test]
fn every_log_losing_an_operation_at_a_crash_breaks_never_lost() {
    let (sim, checker) = run();
    let bad = tamper(&sim, |v| {
        for id in 0..3 {
            log_of(v, id).clear();
        }
    });
    let crash = vec![TimedEvent {
        time: bad.now(),
        event: SimEvent::NodeCrashed { node: 2 },
    }];
    assert_eq!(broken(&bad, checker, &crash), VR_PROPERTIES[1]);
}

#[test]
fn a_different_operation_committed_at_an_op_number_breaks_prefix_agreement() {
    let (sim, checker) = run();
    let events = event(
        &sim,
        2,
        VrEvent::Committed {
            view: 0,
            op_number: 2,
            request: request(9),
        },
    );
    assert_eq!(broken(&sim, checker, &events), VR_PROPERTIES[2]);
}

#[test]
fn the_wrong_replica_or_a_second_primary_in_a_view_breaks_one_primary_per_view() {
    let (sim, checker) = run();
    // View 1's primary is S2, not S3.
    let events = event(&sim, 2, became_primary(1));
    assert_eq!(broken(&sim, checker.clone(), &events), VR_PROPERTIES[3]);
    // A backup assigning an op-number in view 0.
    let events = event(
        &sim,
        1,
        VrEvent::Prepared {
            view: 0,
            op_number: 4,
            request: request(4),
        },
    );
    assert_eq!(broken(&sim, checker.clone(), &events), VR_PROPERTIES[3]);
    // The primary assigning op 3 twice.
    let events = event(
        &sim,
        0,
        VrEvent::Prepared {
            view: 0,
            op_number: 3,
            request: request(4),
        },
    );
    assert_eq!(broken(&sim, checker, &events), VR_PROPERTIES[3]);
}

#[test]
fn executing_out_of_order_or_the_wrong_operation_breaks_the_last_property() {
    let (sim, checker) = run();
    // S2 has executed 1..=3; executing 5 skips 4.
    let events = event(
        &sim,
        1,
        VrEvent::Executed {
            op_number: 5,
            request: request(5),
        },
    );
    assert_eq!(broken(&sim, checker.clone(), &events), VR_PROPERTIES[4]);
    // After a restart S3 starts again from 1, but with what was committed there.
    let events = vec![
        TimedEvent {
            time: sim.now(),
            event: SimEvent::NodeRestarted { node: 2 },
        },
        TimedEvent {
            time: sim.now(),
            event: SimEvent::Protocol {
                node: 2,
                event: VrEvent::Executed {
                    op_number: 1,
                    request: request(2),
                },
            },
        },
    ];
    assert_eq!(broken(&sim, checker, &events), VR_PROPERTIES[4]);
}

#[test]
fn the_untampered_run_passes_the_same_checks() {
    let (sim, mut checker) = run();
    let events = vec![TimedEvent {
        time: sim.now(),
        event: SimEvent::NodeCrashed { node: 2 },
    }];
    checker.observe(&sim, &events).unwrap();
}

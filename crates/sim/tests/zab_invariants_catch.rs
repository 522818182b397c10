//! Zab's safety checker must fail on histories and states that break its
//! properties (section III of the paper, and the two this project adds).
//! Each test takes a real run, then adds hand-made events (or tampers with
//! the state the checker reads) and expects exactly the property that breaks.

use quorum_sim::chaos::Run;
use quorum_sim::kv::KvOp;
use quorum_sim::sim::EventOf;
use quorum_sim::zab::{Txn, Zab, ZabEvent, ZabPhase, Zxid, ZAB_PROPERTIES};
use quorum_sim::{Checker, Command, NodeId, Sim, SimConfig, SimEvent, TimedEvent, MS};
use serde_json::Value;

/// A 3-server run: a leader established in `epoch`, three transactions
/// delivered by every server. Returns the state, its checker, the leader,
/// a follower, the epoch and the three transactions.
struct Base {
    sim: Sim<Zab>,
    checker: Checker<Zab>,
    leader: NodeId,
    follower: NodeId,
    epoch: u64,
    delivered: Vec<Txn>,
}

fn base() -> Base {
    let mut run = Run::<Zab>::new(SimConfig::new(3, 11)).unwrap();
    let mut leader = None;
    for _ in 0..300 {
        run.run_for(10 * MS).unwrap();
        let up: Vec<&Zab> = run.sim().nodes().iter().filter_map(|s| s.up()).collect();
        if up.iter().all(|z| z.phase == ZabPhase::Broadcast) {
            leader = up
                .iter()
                .find(|z| z.established_epoch().is_some())
                .map(|z| z.id);
            if leader.is_some() {
                break;
            }
        }
    }
    let leader = leader.expect("a leader is established");
    for value in 1..=3 {
        let request = run.sim().new_request(KvOp::Set { key: 'k', value });
        run.apply(Command::ClientRequest {
            node: leader,
            request,
        })
        .unwrap();
    }
    run.run_for(500 * MS).unwrap();
    let delivered = run.checker().safety().delivered().to_vec();
    assert_eq!(delivered.len(), 3);
    for n in 0..3 {
        assert_eq!(run.up(n).unwrap().delivered, 3);
    }
    let epoch = run.up(leader).unwrap().current_epoch;
    assert!(delivered.iter().all(|t| t.zxid.epoch == epoch));
    Base {
        sim: run.sim().clone(),
        checker: run.checker().clone(),
        leader,
        follower: (leader + 1) % 3,
        epoch,
        delivered,
    }
}

fn zxid(epoch: u64, counter: u64) -> Zxid {
    Zxid { epoch, counter }
}

fn txn(epoch: u64, counter: u64, value: u32) -> Txn {
    Txn {
        zxid: zxid(epoch, counter),
        request: quorum_sim::kv::ClientRequest {
            id: 900 + value as u64,
            op: KvOp::Set { key: 'q', value },
        },
    }
}

fn at(sim: &Sim<Zab>, node: NodeId, event: ZabEvent) -> EventOf<Zab> {
    TimedEvent {
        time: sim.now(),
        event: SimEvent::Protocol { node, event },
    }
}

fn restarted(sim: &Sim<Zab>, node: NodeId) -> EventOf<Zab> {
    TimedEvent {
        time: sim.now(),
        event: SimEvent::NodeRestarted { node },
    }
}

/// The property the checker reports for `events` after the base run.
fn broken(sim: &Sim<Zab>, mut checker: Checker<Zab>, events: &[EventOf<Zab>]) -> &'static str {
    checker
        .observe(sim, events)
        .expect_err("the checker notices")
        .property
}

fn tamper(sim: &Sim<Zab>, f: impl FnOnce(&mut Value)) -> Sim<Zab> {
    let mut v = serde_json::to_value(sim).unwrap();
    f(&mut v);
    serde_json::from_value(v).unwrap()
}

/// The leader of a new epoch, established and proposing its first transaction.
fn next_epoch(b: &Base, by: NodeId) -> (Txn, Vec<EventOf<Zab>>) {
    let t = txn(b.epoch + 1, 1, 50);
    let events = vec![
        at(&b.sim, by, ZabEvent::Established { epoch: b.epoch + 1 }),
        at(&b.sim, by, ZabEvent::Proposed { txn: t }),
    ];
    (t, events)
}

#[test]
fn the_base_run_and_a_legal_next_epoch_break_nothing() {
    let b = base();
    let (t, mut events) = next_epoch(&b, b.leader);
    events.push(at(&b.sim, b.leader, ZabEvent::Delivered { txn: t }));
    let mut checker = b.checker.clone();
    checker.observe(&b.sim, &[]).unwrap();
    // Prefix consistency reads the leader's state: it says it delivered 3.
    let sim = tamper(&b.sim, |v| {
        let up = &mut v["nodes"][b.leader]["state"]["Up"];
        up["delivered"] = 4.into();
        up["history"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::to_value(t).unwrap());
    });
    checker.observe(&sim, &events).unwrap();
}

#[test]
fn delivering_what_no_primary_broadcast_breaks_integrity() {
    let b = base();
    let forged = txn(b.epoch, 4, 7);
    let events = [at(&b.sim, b.follower, ZabEvent::Delivered { txn: forged })];
    assert_eq!(broken(&b.sim, b.checker, &events), "Integrity");
}

#[test]
fn delivering_a_transaction_in_another_place_breaks_total_order() {
    // The leader delivers epoch e + 1's first transaction after the three;
    // a restarted follower delivers it first, before ⟨e, 1⟩.
    let b = base();
    let (t, mut events) = next_epoch(&b, b.leader);
    events.push(at(&b.sim, b.leader, ZabEvent::Delivered { txn: t }));
    events.push(restarted(&b.sim, b.follower));
    events.push(at(&b.sim, b.follower, ZabEvent::Delivered { txn: t }));
    assert_eq!(broken(&b.sim, b.checker, &events), ZAB_PROPERTIES[1]);
}

#[test]
fn delivering_a_transaction_nobody_else_delivered_there_breaks_agreement() {
    // A restarted follower delivers, as its first, what nobody delivered,
    // where everyone else delivered ⟨e, 1⟩.
    let b = base();
    let (t, mut events) = next_epoch(&b, b.leader);
    events.push(restarted(&b.sim, b.follower));
    events.push(at(&b.sim, b.follower, ZabEvent::Delivered { txn: t }));
    assert_eq!(broken(&b.sim, b.checker, &events), ZAB_PROPERTIES[2]);
}

#[test]
fn delivering_a_primarys_second_without_its_first_breaks_local_primary_order() {
    let b = base();
    let events = [
        restarted(&b.sim, b.follower),
        at(
            &b.sim,
            b.follower,
            ZabEvent::Delivered {
                txn: b.delivered[1],
            },
        ),
    ];
    assert_eq!(broken(&b.sim, b.checker, &events), "Local primary order");
}

#[test]
fn delivering_an_earlier_primarys_transaction_after_a_later_ones_breaks_global_primary_order() {
    let b = base();
    let late = txn(b.epoch, 4, 4);
    let (t, next) = next_epoch(&b, b.leader);
    let mut events = vec![at(&b.sim, b.leader, ZabEvent::Proposed { txn: late })];
    events.extend(next);
    events.push(at(&b.sim, b.follower, ZabEvent::Delivered { txn: t }));
    events.push(at(&b.sim, b.follower, ZabEvent::Delivered { txn: late }));
    assert_eq!(broken(&b.sim, b.checker, &events), "Global primary order");
}

#[test]
fn a_primary_broadcasting_before_it_delivered_the_earlier_ones_breaks_primary_integrity() {
    // A follower that restarted (it has delivered nothing since) becomes
    // primary of the next epoch and broadcasts.
    let b = base();
    let mut events = vec![restarted(&b.sim, b.follower)];
    events.extend(next_epoch(&b, b.follower).1);
    assert_eq!(broken(&b.sim, b.checker, &events), "Primary integrity");
}

#[test]
fn two_leaders_established_in_one_epoch_break_the_one_leader_property() {
    let b = base();
    let events = [at(
        &b.sim,
        b.follower,
        ZabEvent::Established { epoch: b.epoch },
    )];
    assert_eq!(
        broken(&b.sim, b.checker, &events),
        "One established leader per epoch"
    );
}

#[test]
fn broadcasting_without_being_established_breaks_the_one_leader_property() {
    let b = base();
    let t = txn(b.epoch, 4, 4);
    let events = [at(&b.sim, b.follower, ZabEvent::Proposed { txn: t })];
    assert_eq!(broken(&b.sim, b.checker, &events), ZAB_PROPERTIES[6]);
}

#[test]
fn a_history_that_changed_a_delivered_transaction_breaks_prefix_consistency() {
    let b = base();
    let f = b.follower;
    let sim = tamper(&b.sim, |v| {
        let history = v["nodes"][f]["state"]["Up"]["history"]
            .as_array_mut()
            .unwrap();
        history[0] = serde_json::to_value(txn(b.epoch, 1, 99)).unwrap();
    });
    let events = [at(&sim, f, ZabEvent::Looking { round: 9 })];
    assert_eq!(broken(&sim, b.checker, &events), "Prefix consistency");
}

#[test]
fn a_server_miscounting_what_it_delivered_breaks_prefix_consistency() {
    let b = base();
    let f = b.follower;
    let sim = tamper(&b.sim, |v| {
        v["nodes"][f]["state"]["Up"]["delivered"] = 2.into();
    });
    let events = [at(&sim, f, ZabEvent::Looking { round: 9 })];
    assert_eq!(broken(&sim, b.checker, &events), ZAB_PROPERTIES[7]);
}

#[test]
fn every_property_has_a_test_here() {
    // The names the tests above expect, in the checker's order.
    assert_eq!(
        ZAB_PROPERTIES,
        [
            "Integrity",
            "Total order",
            "Agreement",
            "Local primary order",
            "Global primary order",
            "Primary integrity",
            "One established leader per epoch",
            "Prefix consistency",
        ]
    );
}

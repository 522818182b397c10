//! Each PBFT safety property fires on a broken history or state, and only
//! correct replicas are held to them.

use quorum_sim::kv::KvOp;
use quorum_sim::pbft::{request_digest, Pbft, PbftBreach, PbftEvent, PbftSafety, Request};
use quorum_sim::{Behaviour, Checker, Command, Sim, SimConfig, SimEvent, TimedEvent, MS};

fn req(t: u64) -> Option<Request> {
    Some(Request {
        o: KvOp::Set {
            key: 'x',
            value: t as u32,
        },
        t,
        c: 4,
    })
}

fn committed(n: u64, r: Option<Request>) -> PbftEvent {
    PbftEvent::CommittedLocal {
        v: 0,
        n,
        d: request_digest(&r),
        request: r,
    }
}

fn executed(n: u64, r: Option<Request>, result: Option<u32>) -> PbftEvent {
    PbftEvent::Executed {
        n,
        d: request_digest(&r),
        request: r,
        result,
    }
}

#[test]
fn commit_agreement_fires_when_two_correct_replicas_commit_different_requests_at_one_number() {
    let mut s = PbftSafety::default();
    assert_eq!(s.step(0, &committed(1, req(1))), None);
    assert_eq!(s.step(1, &committed(1, req(1))), None);
    let breach = s.step(2, &committed(1, None)).expect("a breach");
    assert!(matches!(
        breach,
        PbftBreach::CommittedTwice {
            n: 1,
            node: 2,
            other: 0,
            ..
        }
    ));
    assert_eq!(breach.property(), "Commit agreement");
}

#[test]
fn a_liar_is_not_held_to_the_properties() {
    let mut s = PbftSafety::default();
    s.step(0, &committed(1, req(1)));
    s.step(
        3,
        &PbftEvent::TurnedByzantine {
            behaviour: Behaviour::Equivocate,
        },
    );
    assert_eq!(s.step(3, &committed(1, None)), None);
    assert_eq!(s.step(3, &executed(5, None, None)), None);
    assert!(s.liars().contains(&3));
}

#[test]
fn execution_prefix_fires_on_a_gap_and_on_a_different_request() {
    let mut s = PbftSafety::default();
    assert_eq!(s.step(0, &executed(1, req(1), Some(1))), None);
    let gap = s.step(0, &executed(3, req(3), Some(3))).expect("a gap");
    assert_eq!(
        gap,
        PbftBreach::OutOfOrder {
            node: 0,
            n: 3,
            last: 1
        }
    );
    assert_eq!(gap.property(), "Execution prefix");
    let mut s = PbftSafety::default();
    s.step(0, &executed(1, req(1), Some(1)));
    let other = s.step(1, &executed(1, None, None)).expect("diverged");
    assert!(matches!(
        other,
        PbftBreach::Diverged {
            n: 1,
            node: 1,
            other: 0,
            ..
        }
    ));
    assert_eq!(other.property(), "Execution prefix");
    // A state transfer moves a replica's place on.
    let mut s = PbftSafety::default();
    s.step(
        0,
        &PbftEvent::StateFetched {
            n: 4,
            d: quorum_sim::pbft::Digest(9),
        },
    );
    assert_eq!(s.step(0, &executed(5, req(5), Some(5))), None);
}

#[test]
fn client_result_fires_when_a_client_accepts_what_no_correct_replica_computed() {
    let mut s = PbftSafety::default();
    s.step(0, &executed(1, req(1), Some(1)));
    assert_eq!(s.step(4, &PbftEvent::Accepted { c: 4, t: 1, r: 1 }), None);
    let breach = s
        .step(4, &PbftEvent::Accepted { c: 4, t: 1, r: 7 })
        .expect("a breach");
    assert_eq!(breach, PbftBreach::Uncomputed { c: 4, t: 1, r: 7 });
    assert_eq!(breach.property(), "Client result");
    // What only a liar computed does not count.
    let mut s = PbftSafety::default();
    s.step(
        1,
        &PbftEvent::TurnedByzantine {
            behaviour: Behaviour::WrongReply,
        },
    );
    s.step(1, &executed(1, req(1), Some(7)));
    assert!(s
        .step(4, &PbftEvent::Accepted { c: 4, t: 1, r: 7 })
        .is_some());
}

#[test]
fn the_checker_fires_on_a_state_whose_committed_request_differs_from_what_was_committed() {
    let mut sim: Sim<Pbft> = Sim::new(SimConfig::new(5, 1)).unwrap();
    let mut checker = Checker::<Pbft>::new();
    checker.observe(&sim, &[]).unwrap();
    let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    let events = sim
        .apply(Command::ClientRequest { node: 4, request })
        .unwrap();
    checker.observe(&sim, &events).unwrap();
    let events = sim.advance_to(1_000 * MS);
    checker.observe(&sim, &events).unwrap();
    // S2's log says it committed the null request at 1.
    let mut json = serde_json::to_value(&sim).unwrap();
    let slot = &mut json["nodes"][1]["state"]["Up"]["Replica"]["log"]["1"]["committed"];
    assert!(slot.is_array(), "{slot}");
    slot[0] = serde_json::to_value(request_digest(&None)).unwrap();
    slot[1] = serde_json::Value::Null;
    let broken: Sim<Pbft> = serde_json::from_value(json).unwrap();
    let touch = [TimedEvent {
        time: broken.now(),
        event: SimEvent::Protocol {
            node: 1,
            event: PbftEvent::NewViewAccepted { v: 0 },
        },
    }];
    let v = checker.observe(&broken, &touch).unwrap_err();
    assert_eq!(v.property, "Commit agreement");
}

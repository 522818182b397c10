//! Links written by format 1 before the code was reorganized (issue 10) still
//! reopen at the same moment with the same trace hash. The fixture was
//! written by that code: a change that moves any event, message, timer or
//! random draw of these runs fails here.

use quorum_sim::multipaxos::MultiPaxos;
use quorum_sim::paxos::{Paxos, PaxosConfig};
use quorum_sim::raft::Raft;
use quorum_sim::share::{decode, SharedRun};
use quorum_sim::{Protocol, Sim, SimConfig};

const FIXTURE: &str = include_str!("fixtures/format1-links.txt");

fn reopen<P: Protocol>(run: &SharedRun, protocol: P::Config) -> (String, u64) {
    let config = SimConfig {
        nodes: run.nodes,
        seed: run.seed,
        network: Default::default(),
        protocol,
    };
    let mut sim = Sim::<P>::replay(config, &run.commands).expect("the pinned commands replay");
    sim.advance_to(run.moment.1);
    (sim.trace_hash_hex(), sim.events_processed())
}

#[test]
fn pinned_format_1_links_reopen_with_the_same_trace_hash() {
    let mut seen = Vec::new();
    for line in FIXTURE.lines().filter(|l| !l.starts_with('#')) {
        let fields: Vec<&str> = line.split(' ').collect();
        let [name, hash, events, time, link] = fields[..] else {
            panic!("malformed fixture line: {line}")
        };
        let run = decode(link).expect("a pinned link decodes");
        assert_eq!(run.protocol, name);
        assert_eq!(run.moment, (events.parse().unwrap(), time.parse().unwrap()));
        let reopened = match name {
            "raft" => reopen::<Raft>(&run, Default::default()),
            "paxos" => {
                let [proposers, acceptors] = run.params[..] else {
                    panic!("a Paxos link carries its role counts")
                };
                let config = PaxosConfig {
                    proposers: proposers as usize,
                    acceptors: acceptors as usize,
                    ..PaxosConfig::default()
                };
                reopen::<Paxos>(&run, config)
            }
            "multipaxos" => reopen::<MultiPaxos>(&run, Default::default()),
            other => panic!("no protocol {other}"),
        };
        assert_eq!(
            reopened,
            (hash.to_string(), run.moment.0),
            "{name} seed {}",
            run.seed
        );
        seen.push(name);
    }
    assert_eq!(seen, ["raft", "raft", "paxos", "paxos", "multipaxos"]);
}

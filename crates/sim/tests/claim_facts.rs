//! A false claim says what is the case instead as a fact (a server's role
//! and term, a log, a proposal held by a majority), which the page words in
//! each of its languages: these check that each protocol's checker names the
//! right fact, with the values of the run.

use quorum_sim::kv::{ClientRequest, KvOp};
use quorum_sim::multipaxos::{MpClaim, MpFact, MpRole, MultiPaxos, SlotCmd};
use quorum_sim::paxos::{Paxos, PaxosClaim, PaxosFact, PhaseName};
use quorum_sim::raft::{Raft, RaftClaim, RaftFact, Role};
use quorum_sim::scenario::{Scripted, ServerFact};
use quorum_sim::{Command, Protocol, Sim, SimConfig, MS};

fn request(id: u64) -> ClientRequest {
    ClientRequest {
        id,
        op: KvOp::Set {
            key: 'x',
            value: id as u32,
        },
    }
}

fn fact<P: Scripted>(sim: &Sim<P>, claim: P::Claim) -> Option<P::Fact> {
    P::check(&claim, sim).err()
}

fn run<P: Protocol>(nodes: usize, ms: u64) -> Sim<P> {
    let mut sim = Sim::<P>::new(SimConfig::new(nodes, 42)).unwrap();
    sim.advance_to(ms * MS);
    sim
}

#[test]
fn a_false_raft_claim_names_what_is_the_case() {
    let mut sim = run::<Raft>(5, 2_000);
    let (leader, term) = sim
        .nodes()
        .iter()
        .find_map(|n| {
            n.up()
                .filter(|r| r.role == Role::Leader)
                .map(|r| (n.id, r.current_term))
        })
        .expect("a leader after 2 s");
    let other = (leader + 1) % 5;
    assert_eq!(
        fact(&sim, RaftClaim::Leader { node: other, term }),
        Some(RaftFact::Role {
            node: other,
            role: Role::Follower,
            term
        })
    );
    assert_eq!(
        fact(&sim, RaftClaim::NoLeader),
        Some(RaftFact::Leaders(vec![(leader, term)]))
    );
    assert_eq!(
        fact(
            &sim,
            RaftClaim::Term {
                node: other,
                term: term + 1
            }
        ),
        Some(RaftFact::Term { node: other, term })
    );
    assert_eq!(
        fact(&sim, RaftClaim::Crashed { node: other }),
        Some(RaftFact::Server(ServerFact::Running(other)))
    );
    assert_eq!(
        fact(&sim, RaftClaim::Leader { node: 9, term }),
        Some(RaftFact::Server(ServerFact::Missing(9)))
    );
    // A follower cut off misses an entry: the logs differ just past it.
    let before = sim.node(leader).unwrap().persistent().log.last_index();
    sim.apply(Command::Isolate { node: other }).unwrap();
    sim.apply(Command::ClientRequest {
        node: leader,
        request: request(1),
    })
    .unwrap();
    sim.advance_to(sim.now() + 200 * MS);
    let terms = |n| -> Vec<u64> {
        let log = sim.node(n).unwrap().persistent().log;
        log.iter().map(|(_, e)| e.term).collect()
    };
    assert_eq!(
        fact(
            &sim,
            RaftClaim::LogsMatch {
                nodes: vec![leader, other]
            }
        ),
        Some(RaftFact::LogsDiffer {
            logs: [(leader, terms(leader)), (other, terms(other))],
            index: before + 1
        })
    );
    assert_eq!(
        fact(
            &sim,
            RaftClaim::Value {
                node: other,
                key: 'x',
                value: Some(1)
            }
        ),
        Some(RaftFact::Value {
            node: other,
            key: 'x',
            value: None
        })
    );
    sim.apply(Command::Crash { node: leader }).unwrap();
    assert_eq!(
        fact(&sim, RaftClaim::Leader { node: leader, term }),
        Some(RaftFact::Server(ServerFact::Crashed(leader)))
    );
    // The English for the tools reads as before.
    assert_eq!(
        RaftFact::Role {
            node: 2,
            role: Role::Follower,
            term: 2
        }
        .to_string(),
        "S3 is follower of term 2"
    );
    assert_eq!(
        RaftFact::Leaders(vec![(0, 3), (3, 2)]).to_string(),
        "S1 leads term 3, S4 leads term 2"
    );
}

#[test]
fn a_false_paxos_claim_names_what_is_the_case() {
    // Two proposers (S1, S2), three acceptors (S3 to S5); S1 gets request 1 chosen.
    let mut sim = run::<Paxos>(5, 0);
    sim.apply(Command::ClientRequest {
        node: 0,
        request: request(1),
    })
    .unwrap();
    sim.advance_to(500 * MS);
    let (ballot, _) = sim
        .node(2)
        .unwrap()
        .persistent()
        .accepted
        .expect("accepted");
    let held = Some(PaxosFact::MajorityHolds {
        proposal: Some((ballot, 1)),
    });
    assert_eq!(fact(&sim, PaxosClaim::Chosen { value: 2 }), held);
    assert_eq!(fact(&sim, PaxosClaim::NothingChosen), held);
    assert_eq!(
        fact(
            &sim,
            PaxosClaim::Learned {
                node: 1,
                value: Some(1)
            }
        ),
        Some(PaxosFact::Learned {
            node: 1,
            value: None
        })
    );
    assert_eq!(
        fact(
            &sim,
            PaxosClaim::Promised {
                node: 2,
                ballot: None
            }
        ),
        Some(PaxosFact::Promised {
            node: 2,
            ballot: Some(ballot)
        })
    );
    assert_eq!(
        fact(
            &sim,
            PaxosClaim::Accepted {
                node: 3,
                proposal: None
            }
        ),
        Some(PaxosFact::Accepted {
            node: 3,
            proposal: Some((ballot, 1))
        })
    );
    // Done, S1 is idle; so is S2, which never had a request.
    let idle = |node| PaxosFact::Phase {
        node,
        phase: PhaseName::Idle,
        ballot: None,
    };
    assert_eq!(
        fact(&sim, PaxosClaim::Proposing { node: 0, value: 1 }),
        Some(idle(0))
    );
    assert_eq!(
        fact(
            &sim,
            PaxosClaim::Phase {
                node: 1,
                phase: PhaseName::Preparing,
                ballot: None
            }
        ),
        Some(idle(1))
    );
    sim.apply(Command::Crash { node: 1 }).unwrap();
    assert_eq!(
        fact(
            &sim,
            PaxosClaim::Learned {
                node: 1,
                value: None
            }
        ),
        Some(PaxosFact::Server(ServerFact::Crashed(1)))
    );
    assert_eq!(
        fact(&sim, PaxosClaim::Crashed { node: 0 }),
        Some(PaxosFact::Server(ServerFact::Running(0)))
    );
}

#[test]
fn a_false_multipaxos_claim_names_what_is_the_case() {
    let mut sim = run::<MultiPaxos>(3, 1_000);
    let (leader, ballot) = sim
        .nodes()
        .iter()
        .find_map(|n| {
            n.up()
                .filter(|s| s.role == MpRole::Leader)
                .map(|s| (n.id, s.ballot))
        })
        .expect("a leader after 1 s");
    let other = (leader + 1) % 3;
    assert_eq!(
        fact(&sim, MpClaim::NoLeader),
        Some(MpFact::Leaders(vec![leader]))
    );
    assert_eq!(
        fact(
            &sim,
            MpClaim::Leader {
                node: leader,
                round: Some(99)
            }
        ),
        Some(MpFact::Role {
            node: leader,
            role: MpRole::Leader,
            ballot
        })
    );
    assert_eq!(
        fact(
            &sim,
            MpClaim::Role {
                node: other,
                role: MpRole::Leader
            }
        ),
        Some(MpFact::Role {
            node: other,
            role: MpRole::Follower,
            ballot: None
        })
    );
    assert_eq!(
        fact(
            &sim,
            MpClaim::Chosen {
                slot: 1,
                cmd: SlotCmd::Request(1)
            }
        ),
        Some(MpFact::MajorityHolds { slot: 1, cmd: None })
    );
    sim.apply(Command::ClientRequest {
        node: leader,
        request: request(1),
    })
    .unwrap();
    sim.advance_to(sim.now() + 200 * MS);
    let one = Some(SlotCmd::Request(1));
    assert_eq!(
        fact(&sim, MpClaim::NotChosen { slot: 1 }),
        Some(MpFact::MajorityHolds { slot: 1, cmd: one })
    );
    assert_eq!(
        fact(
            &sim,
            MpClaim::Accepted {
                node: other,
                slot: 1,
                cmd: None
            }
        ),
        Some(MpFact::Accepted {
            node: other,
            slot: 1,
            cmd: one
        })
    );
    assert_eq!(
        fact(
            &sim,
            MpClaim::Knows {
                node: other,
                slot: 2,
                cmd: Some(SlotCmd::NoOp)
            }
        ),
        Some(MpFact::Knows {
            node: other,
            slot: 2,
            cmd: None
        })
    );
    assert_eq!(
        fact(
            &sim,
            MpClaim::Applied {
                node: leader,
                slot: 3
            }
        ),
        Some(MpFact::Applied {
            node: leader,
            slot: 1
        })
    );
    sim.apply(Command::Crash { node: other }).unwrap();
    assert_eq!(
        fact(
            &sim,
            MpClaim::Applied {
                node: other,
                slot: 1
            }
        ),
        Some(MpFact::Server(ServerFact::Crashed(other)))
    );
}

//! Runs as link text: a round trip reproduces the run exactly (same trace
//! hash, same moment), and the decoder survives malformed, truncated and
//! tampered input without panicking, naming what is wrong.

use quorum_sim::kv::KvOp;
use quorum_sim::network::NetworkConfig;
use quorum_sim::raft::{Raft, RaftConfig};
use quorum_sim::rng::SimRng;
use quorum_sim::share::{decode, encode, SharedRun};
use quorum_sim::{Command, Sim, SimConfig, Timeline, MS};

/// A run that uses every kind of command.
fn busy_run() -> Sim<Raft> {
    let mut sim = Sim::<Raft>::new(SimConfig::<RaftConfig>::new(5, 77)).unwrap();
    sim.advance_to(400 * MS);
    let next = |sim: &mut Sim<Raft>, c: Command| {
        let _ = sim.apply(c);
        sim.advance_to(sim.now() + 13 * MS);
    };
    for node in 0..5 {
        let value = node as u32 + 1;
        let request = sim.new_request(KvOp::Set { key: 'x', value });
        next(&mut sim, Command::ClientRequest { node, request });
    }
    let request = sim.new_request(KvOp::Add { key: 'y', by: 9 });
    next(&mut sim, Command::ClientRequest { node: 1, request });
    let id = sim.in_flight().next().map(|e| e.id).unwrap_or(1);
    next(&mut sim, Command::DuplicateMessage { id });
    let first = sim.in_flight().next().map(|e| e.id);
    if let Some(id) = first {
        next(&mut sim, Command::DelayMessage { id, by: 30 * MS });
    }
    let first = sim.in_flight().next().map(|e| e.id);
    if let Some(id) = first {
        next(&mut sim, Command::DropMessage { id });
    }
    next(&mut sim, Command::Crash { node: 2 });
    next(&mut sim, Command::Restart { node: 2 });
    next(&mut sim, Command::Timeout { node: 3 });
    next(&mut sim, Command::CutLink { from: 0, to: 4 });
    next(&mut sim, Command::HealLink { from: 0, to: 4 });
    next(&mut sim, Command::Isolate { node: 1 });
    next(&mut sim, Command::Rejoin { node: 1 });
    next(&mut sim, Command::Partition { side: vec![0, 3] });
    next(&mut sim, Command::HealAll);
    next(&mut sim, Command::AlignTimers);
    next(&mut sim, Command::SpreadTimers);
    next(
        &mut sim,
        Command::SetNetwork {
            network: NetworkConfig {
                latency_min: 3 * MS,
                latency_max: 40 * MS,
                loss_per_mille: 125,
                ordered: false,
            },
        },
    );
    sim.advance_to(sim.now() + 500 * MS);
    sim
}

fn shared(sim: &Sim<Raft>) -> SharedRun {
    SharedRun {
        protocol: "raft".into(),
        nodes: sim.nodes().len(),
        seed: sim.config().seed,
        params: vec![],
        moment: (sim.events_processed(), sim.now()),
        commands: sim.commands().to_vec(),
    }
}

#[test]
fn a_link_reopens_the_same_run_at_the_same_moment() {
    let sim = busy_run();
    assert!(
        sim.commands().len() >= 18,
        "every kind of command was applied"
    );
    let text = encode(&shared(&sim));
    assert!(text.starts_with("1."));
    let back = decode(&text).unwrap();
    assert_eq!(back, shared(&sim));
    let config = SimConfig::<RaftConfig>::new(back.nodes, back.seed);
    let mut timeline = Timeline::<Raft>::from_recording(config, back.commands, 2_000).unwrap();
    timeline.seek_event(back.moment.0);
    if timeline.sim().now() < back.moment.1 {
        timeline.advance_to(back.moment.1);
    }
    assert_eq!(timeline.sim().trace_hash(), sim.trace_hash());
    assert_eq!(timeline.sim().now(), sim.now());
    // Compact: a few bytes per command.
    assert!(
        text.len() < 40 + sim.commands().len() * 12,
        "{} chars",
        text.len()
    );
}

#[test]
fn every_truncation_of_a_link_is_refused_with_a_reason() {
    let text = encode(&shared(&busy_run()));
    for cut in 0..text.len() {
        let err = decode(&text[..cut]).expect_err("a truncated link");
        assert!(!err.0.is_empty());
    }
}

#[test]
fn every_single_character_change_is_refused_or_still_a_valid_run() {
    // The checksum catches almost everything; nothing may panic.
    let text = encode(&shared(&busy_run()));
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.%";
    let mut refused = 0;
    for i in 0..text.len() {
        for c in alphabet.chars() {
            let mut changed: Vec<char> = text.chars().collect();
            if changed[i] == c {
                continue;
            }
            changed[i] = c;
            let changed: String = changed.into_iter().collect();
            if decode(&changed).is_err() {
                refused += 1;
            }
        }
    }
    assert!(refused > 0);
}

/// Random bytes, random text and random mutations of valid links, as many as
/// `QUORUM_FUZZ` (default 200,000): the decoder must answer every one without
/// panicking. Prints how many it survived.
#[test]
fn the_decoder_survives_random_input() {
    let n: u64 = std::env::var("QUORUM_FUZZ")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let valid = encode(&shared(&busy_run())).into_bytes();
    let mut rng = SimRng::from_seed(0xf022);
    let (mut ok, mut refused) = (0u64, 0u64);
    for i in 0..n {
        let bytes: Vec<u8> = match i % 3 {
            0 => (0..rng.range_inclusive(0, 80))
                .map(|_| rng.range_inclusive(0, 255) as u8)
                .collect(),
            1 => {
                let body: Vec<u8> = (0..rng.range_inclusive(0, 120))
                    .map(|_| {
                        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                            [rng.range_inclusive(0, 63) as usize]
                    })
                    .collect();
                [b"1.".as_slice(), &body].concat()
            }
            _ => {
                let mut m = valid.clone();
                for _ in 0..rng.range_inclusive(1, 4) {
                    let at = rng.range_inclusive(0, m.len() as u64 - 1) as usize;
                    m[at] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                        [rng.range_inclusive(0, 63) as usize];
                }
                m
            }
        };
        match decode(&String::from_utf8_lossy(&bytes)) {
            Ok(_) => ok += 1,
            Err(e) => {
                assert!(!e.0.is_empty());
                refused += 1;
            }
        }
    }
    println!(
        "share decoder fuzz: {n} inputs survived ({refused} refused with a reason, {ok} decoded)"
    );
    assert_eq!(ok + refused, n);
}

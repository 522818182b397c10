//! Randomized fault runs: many seeds, each with thousands of events under
//! random crashes, restarts, dropped messages, cut links, message loss,
//! duplicated and delayed (reordered) messages, isolated servers, network
//! splits, aligned and spread timers, forced timeouts and client requests. Every Figure 3 property is checked
//! after every event and every command. Once the faults stop, the cluster must
//! settle on a leader, and every request a leader ever accepted must commit
//! and be applied exactly once on every server (a client retries a request
//! that was lost with a deposed leader, with the same id; section 8).
//!
//! `QUORUM_SEEDS` (default 1000) and `QUORUM_EVENTS` (default 5000) make it
//! longer outside CI, e.g. `QUORUM_SEEDS=20000 cargo test --release -p quorum-sim --test safety_random`.

mod common;

use common::Checked;
use quorum_sim::kv::{ClientRequest, KvOp};
use quorum_sim::network::NetworkConfig;
use quorum_sim::raft::{RaftEvent, Role};
use quorum_sim::rng::SimRng;
use quorum_sim::sim::SimEvent;
use quorum_sim::{Command, MsgId, NodeId, NodeStatus, SimConfig, MS};
use std::collections::{BTreeMap, BTreeSet};

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Outcome {
    events: u64,
    commands: usize,
    accepted: usize,
    crashes: usize,
    kinds: BTreeMap<&'static str, usize>,
    /// Delayed messages that a later message on their link overtook, while
    /// the network kept links in order: the reordering a delay is for.
    overtaken: usize,
}

fn ids_of(nodes: usize) -> Vec<NodeId> {
    (0..nodes).collect()
}

fn pick<T: Copy>(rng: &mut SimRng, items: &[T]) -> Option<T> {
    (!items.is_empty()).then(|| items[rng.range_inclusive(0, items.len() as u64 - 1) as usize])
}

fn faulty_run(seed: u64, fault_events: u64) -> Outcome {
    // The faults come from their own generator, so they do not disturb the simulation's.
    let mut chaos = SimRng::from_seed(seed ^ 0x5eed_fa17);
    let nodes = 3 + (seed % 5) as usize;
    let mut config = SimConfig::new(nodes, seed);
    // Half the runs reorder messages on a link, half keep them in order (TCP-like).
    let ordered = seed % 2 == 0;
    config.network = NetworkConfig {
        latency_min: 5 * MS,
        latency_max: 30 * MS,
        loss_per_mille: 0,
        ordered,
    };
    let mut c = Checked::with_config(config);
    let mut accepted: BTreeMap<u64, ClientRequest> = BTreeMap::new();
    let mut next_value = 0u32;
    let mut crashes = 0;
    let mut kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut delayed: BTreeSet<MsgId> = BTreeSet::new();
    let mut newest_on_link: BTreeMap<(NodeId, NodeId), MsgId> = BTreeMap::new();
    let mut overtaken = 0;

    while c.sim.events_processed() < fault_events {
        let up: Vec<NodeId> = (0..nodes)
            .filter(|n| c.sim.nodes()[*n].status() == NodeStatus::Up)
            .collect();
        let down: Vec<NodeId> = (0..nodes)
            .filter(|n| c.sim.nodes()[*n].status() == NodeStatus::Crashed)
            .collect();
        let roll = chaos.range_inclusive(0, 999);
        let command = match roll {
            0..=5 => pick(&mut chaos, &up).map(|node| Command::Crash { node }),
            6..=19 => pick(&mut chaos, &down).map(|node| Command::Restart { node }),
            20..=39 => {
                let ids: Vec<u64> = c.sim.in_flight().map(|e| e.id).collect();
                pick(&mut chaos, &ids).map(|id| Command::DropMessage { id })
            }
            40..=64 => pick(&mut chaos, &up).map(|node| {
                next_value += 1;
                let key = ['x', 'y', 'z'][(next_value % 3) as usize];
                let op = if next_value % 2 == 0 {
                    KvOp::Set {
                        key,
                        value: next_value,
                    }
                } else {
                    KvOp::Add {
                        key,
                        by: next_value,
                    }
                };
                Command::ClientRequest {
                    node,
                    request: c.sim.new_request(op),
                }
            }),
            65..=69 => {
                let followers: Vec<NodeId> = up
                    .iter()
                    .copied()
                    .filter(|n| c.node(*n).role != Role::Leader)
                    .collect();
                pick(&mut chaos, &followers).map(|node| Command::Timeout { node })
            }
            70..=74 => {
                let from = chaos.range_inclusive(0, nodes as u64 - 1) as usize;
                let to = (from + 1 + chaos.range_inclusive(0, nodes as u64 - 2) as usize) % nodes;
                Some(Command::CutLink { from, to })
            }
            75..=79 => Some(Command::HealAll),
            80..=81 => Some(Command::SetNetwork {
                network: NetworkConfig {
                    latency_min: 5 * MS,
                    latency_max: chaos.range_inclusive(5, 60) * MS,
                    loss_per_mille: chaos.range_inclusive(0, 300) as u32,
                    ordered: chaos.range_inclusive(0, 1) == 0,
                },
            }),
            82..=86 => {
                let ids: Vec<u64> = c.sim.in_flight().map(|e| e.id).collect();
                pick(&mut chaos, &ids).map(|id| Command::DuplicateMessage { id })
            }
            87..=91 => {
                let ids: Vec<u64> = c.sim.in_flight().map(|e| e.id).collect();
                let by = chaos.range_inclusive(1, 200) * MS;
                pick(&mut chaos, &ids).map(|id| Command::DelayMessage { id, by })
            }
            92..=93 => pick(&mut chaos, &ids_of(nodes)).map(|node| Command::Isolate { node }),
            94..=95 => pick(&mut chaos, &ids_of(nodes)).map(|node| Command::Rejoin { node }),
            96..=97 => {
                let side: Vec<NodeId> = (0..nodes)
                    .filter(|_| chaos.range_inclusive(0, 1) == 0)
                    .collect();
                Some(Command::Partition { side })
            }
            98 => Some(Command::AlignTimers),
            99 => Some(Command::SpreadTimers),
            _ => None,
        };
        // Some random picks do not apply now (rejoining a connected server,
        // a split with everyone on one side): the run goes on without them.
        let command = command.filter(|cmd| c.sim.check(cmd).is_ok());
        let events = match command {
            Some(cmd) => {
                crashes += usize::from(matches!(cmd, Command::Crash { .. }));
                if let Command::DelayMessage { id, .. } = cmd {
                    delayed.insert(id);
                }
                *kinds.entry(kind(&cmd)).or_default() += 1;
                c.apply(cmd)
            }
            None => match c.step() {
                Some(events) => events,
                // Every server is crashed: nothing is scheduled until one restarts.
                None => {
                    let node = pick(&mut chaos, &down)
                        .unwrap_or_else(|| panic!("seed {seed}: idle with all servers up"));
                    c.apply(Command::Restart { node })
                }
            },
        };
        for e in &events {
            match &e.event {
                SimEvent::Protocol {
                    event: RaftEvent::RequestAccepted { request, .. },
                    ..
                } => {
                    accepted.insert(request.id, *request);
                }
                &SimEvent::MessageDelivered { id, from, to } => {
                    let newest = newest_on_link.entry((from, to)).or_insert(id);
                    if delayed.contains(&id) && *newest > id && c.sim.network().ordered {
                        overtaken += 1;
                    }
                    *newest = id.max(*newest);
                }
                _ => {}
            }
        }
    }
    let fault_commands = c.sim.commands().len();

    // The faults stop: every link heals, nothing is lost, every server restarts.
    c.apply(Command::HealAll);
    c.apply(Command::SetNetwork {
        network: NetworkConfig {
            latency_min: 5 * MS,
            latency_max: 30 * MS,
            loss_per_mille: 0,
            ordered,
        },
    });
    for node in 0..nodes {
        if c.sim.nodes()[node].status() == NodeStatus::Crashed {
            c.apply(Command::Restart { node });
        }
    }

    // A leader must emerge, and every accepted request must commit everywhere.
    let mut rounds = 0u32;
    loop {
        let leader = c.run_until_settled(20_000 * MS).unwrap_or_else(|| {
            panic!("seed {seed}: no settled leader 20 s after the faults stopped")
        });
        // The client retries whatever the leader has not applied, with the same id.
        let missing: Vec<ClientRequest> = accepted
            .values()
            .filter(|r| !c.node(leader).kv.applied_requests.contains(&r.id))
            .copied()
            .collect();
        for request in missing {
            c.apply(Command::ClientRequest {
                node: leader,
                request,
            });
        }
        // And it carries on with a new request. An entry of an older term
        // commits only once one of the leader's own term does (section 5.4.2),
        // and a follower's extraneous entries go only when a leader's entries
        // conflict with them (Figure 2, rule 3): this request settles both.
        let fresh = c.sim.new_request(KvOp::Set {
            key: 'w',
            value: rounds,
        });
        c.apply(Command::ClientRequest {
            node: leader,
            request: fresh,
        });
        accepted.insert(fresh.id, fresh);
        c.run_for(2_000 * MS);
        let lead = c.node(leader);
        let all_done = (0..nodes).all(|n| {
            let r = c.node(n);
            accepted.keys().all(|id| r.kv.applied_requests.contains(id))
                && r.commit_index == lead.log.last_index()
                && r.log == lead.log
                && r.last_applied == r.commit_index
        });
        if all_done {
            break;
        }
        rounds += 1;
        if rounds == 5 {
            let states: Vec<String> = (0..nodes)
                .map(|n| {
                    let r = c.node(n);
                    let missing: Vec<u64> =
                        accepted.keys().filter(|id| !r.kv.applied_requests.contains(id)).copied().collect();
                    format!(
                        "S{} {:?} term {} log {} (last term {}) commit {} applied {} missing {missing:?}",
                        n + 1,
                        r.role,
                        r.current_term,
                        r.log.last_index(),
                        r.log.last_term(),
                        r.commit_index,
                        r.last_applied
                    )
                })
                .collect();
            panic!(
                "seed {seed}: the cluster did not converge after {rounds} retries:\n{}",
                states.join("\n")
            );
        }
    }
    let reference = &c.node(0).kv;
    for n in 1..nodes {
        assert_eq!(
            &c.node(n).kv,
            reference,
            "seed {seed}: S{} and S1 applied different states",
            n + 1
        );
    }
    Outcome {
        events: c.sim.events_processed(),
        commands: fault_commands,
        accepted: accepted.len(),
        crashes,
        kinds,
        overtaken,
    }
}

/// A command's kind, for counting what the run injected.
fn kind(c: &Command) -> &'static str {
    match c {
        Command::DropMessage { .. } => "drop",
        Command::Crash { .. } => "crash",
        Command::Restart { .. } => "restart",
        Command::Timeout { .. } => "timeout",
        Command::ClientRequest { .. } => "request",
        Command::CutLink { .. } => "cut link",
        Command::HealLink { .. } => "heal link",
        Command::HealAll => "heal all",
        Command::SetNetwork { .. } => "loss/latency",
        Command::DuplicateMessage { .. } => "duplicate",
        Command::DelayMessage { .. } => "delay",
        Command::Isolate { .. } => "isolate",
        Command::Rejoin { .. } => "rejoin",
        Command::Partition { .. } => "split",
        Command::AlignTimers => "align timers",
        Command::SpreadTimers => "spread timers",
    }
}

#[test]
fn figure_3_holds_after_every_event_of_randomized_fault_runs_and_the_cluster_recovers() {
    let seeds = env_or("QUORUM_SEEDS", 1000);
    let fault_events = env_or("QUORUM_EVENTS", 5000);
    let (mut events, mut commands, mut accepted, mut crashes) = (0u64, 0usize, 0usize, 0usize);
    let mut overtaken = 0;
    let mut kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
    let first = env_or("QUORUM_FIRST_SEED", 0);
    for seed in first..first + seeds {
        let o = faulty_run(seed, fault_events);
        events += o.events;
        commands += o.commands;
        accepted += o.accepted;
        crashes += o.crashes;
        overtaken += o.overtaken;
        for (k, n) in o.kinds {
            *kinds.entry(k).or_default() += n;
        }
    }
    println!(
        "safety run: {seeds} seeds, {events} events checked, {commands} fault commands ({crashes} crashes), \
         {accepted} accepted requests all committed; 0 violations\n  injected: {kinds:?}\n  \
         {overtaken} delayed messages overtaken on in-order links"
    );
    for k in [
        "drop",
        "crash",
        "restart",
        "timeout",
        "request",
        "cut link",
        "heal all",
        "loss/latency",
        "duplicate",
        "delay",
        "isolate",
        "rejoin",
        "split",
        "align timers",
        "spread timers",
    ] {
        if seeds >= 100 {
            assert!(
                kinds.get(k).is_some_and(|&n| n > 0),
                "the run never injected {k}"
            );
        }
    }
    assert!(events >= seeds * fault_events);
    if seeds >= 100 {
        assert!(overtaken > 0, "no delay ever reordered a link");
    }
    assert!(
        crashes as u64 >= seeds,
        "the run must actually crash servers"
    );
    assert!(
        accepted as u64 >= seeds,
        "the run must actually replicate requests"
    );
}

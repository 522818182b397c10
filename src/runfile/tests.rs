use super::*;
use crate::registry;
use quorum_sim::rng::SimRng;
use quorum_sim::MS;

fn page(name: &str) -> &'static dyn crate::run::Page {
    registry::page(name).unwrap()
}

/// A real run: S3 crashes at 200 ms, a client asks S1 at 300 ms.
fn sample() -> RunFile {
    let mut run = page("raft").new_run(&[5], 42).unwrap();
    run.advance_to(200 * MS);
    run.apply(Command::Crash { node: 2 }).unwrap();
    run.advance_to(300 * MS);
    let request = ClientRequest {
        id: 1,
        op: KvOp::Set { key: 'x', value: 1 },
    };
    run.apply(Command::ClientRequest { node: 0, request })
        .unwrap();
    run.advance_to(400 * MS);
    RunFile::new(run.shared_run(), None)
}

#[test]
fn a_run_file_round_trips() {
    let file = sample();
    let json = file.to_json();
    assert!(json.contains("\"format\": \"quorum-run\""));
    assert_eq!(parse(json.as_bytes()), Ok(file.clone()));
    assert_eq!(file.file_name(), "quorum-raft-seed42.json");
    let with = RunFile {
        scenario: Some("raft-first-election".into()),
        ..file
    };
    assert_eq!(with.file_name(), "quorum-raft-first-election.json");
}

/// Every kind of command, with the extremes of each number.
fn every_command(rng: &mut SimRng) -> Command {
    let n = |rng: &mut SimRng| rng.range_inclusive(0, 63) as usize;
    let big = |rng: &mut SimRng| match rng.range_inclusive(0, 2) {
        0 => 0,
        1 => u64::MAX,
        _ => rng.range_inclusive(0, 1 << 40),
    };
    let op = |rng: &mut SimRng| {
        let key = ['x', 'y', 'z', '€', '中'][rng.range_inclusive(0, 4) as usize];
        let v = rng.range_inclusive(0, u64::from(u32::MAX)) as u32;
        if rng.range_inclusive(0, 1) == 0 {
            KvOp::Set { key, value: v }
        } else {
            KvOp::Add { key, by: v }
        }
    };
    match rng.range_inclusive(0, 16) {
        0 => Command::DropMessage { id: big(rng) },
        1 => Command::Crash { node: n(rng) },
        2 => Command::Restart { node: n(rng) },
        3 => Command::Timeout { node: n(rng) },
        4 => Command::ClientRequest {
            node: n(rng),
            request: ClientRequest {
                id: big(rng),
                op: op(rng),
            },
        },
        5 => Command::CutLink {
            from: n(rng),
            to: n(rng),
        },
        6 => Command::HealLink {
            from: n(rng),
            to: n(rng),
        },
        7 => Command::HealAll,
        8 => Command::SetNetwork {
            network: NetworkConfig {
                latency_min: big(rng),
                latency_max: big(rng),
                loss_per_mille: rng.range_inclusive(0, 1000) as u32,
                ordered: rng.range_inclusive(0, 1) == 0,
            },
        },
        9 => Command::DuplicateMessage { id: big(rng) },
        10 => Command::DelayMessage {
            id: big(rng),
            by: big(rng),
        },
        11 => Command::Isolate { node: n(rng) },
        12 => Command::Rejoin { node: n(rng) },
        13 => Command::Partition {
            side: (0..rng.range_inclusive(0, 5)).map(|_| n(rng)).collect(),
        },
        14 => Command::AlignTimers,
        15 => Command::SpreadTimers,
        _ => Command::TransferLeadership {
            node: n(rng),
            to: n(rng),
        },
    }
}

/// The run file is written and read by hand; serde_json (which wrote the
/// files of format 1) must agree with it, both ways, on every command.
#[test]
fn commands_read_and_write_as_serde_does() {
    let mut rng = SimRng::from_seed(11);
    for _ in 0..2_000 {
        let c = RecordedCommand {
            at: rng.range_inclusive(0, u64::MAX),
            after_events: rng.range_inclusive(0, u64::MAX),
            command: every_command(&mut rng),
        };
        let ours = recorded_json(&c).pretty();
        let theirs = serde_json::to_string_pretty(&c).unwrap();
        assert_eq!(ours, theirs, "written as serde writes it");
        let read = json::parse(&theirs).unwrap();
        let back = command_at(read.get("command").unwrap(), "c")
            .ok()
            .expect("serde's writing reads back");
        assert_eq!(back, c.command);
    }
}

/// Files written by format 1 before the page read them by hand (by
/// serde_json, in the browser) open with their run and moment.
#[test]
fn files_written_by_format_1_before_still_open() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/e2e/fixtures/format1");
    let manifest = std::fs::read_to_string(format!("{dir}/MANIFEST")).unwrap();
    let mut opened = 0;
    for line in manifest.lines().filter(|l| !l.starts_with('#')) {
        let [name, hash, events, time] = line.split(' ').collect::<Vec<_>>()[..] else {
            panic!("{line}")
        };
        let bytes = std::fs::read(format!("{dir}/{name}")).unwrap();
        let file = parse(&bytes).unwrap_or_else(|e| panic!("{name}: {}", e.en));
        assert_eq!(
            file.moment,
            (events.parse().unwrap(), time.parse().unwrap())
        );
        let scenario = file.scenario.as_deref().map(registry::packed_scenario);
        let (run, notice) = page(&file.protocol)
            .shared(&share::encode(&file.shared()), scenario.as_deref())
            .unwrap_or_else(|e| panic!("{name}: {}", e.en));
        assert_eq!(notice, None, "{name}");
        assert_eq!(run.scenario_name(), file.scenario, "{name}");
        assert_eq!(format!("{:016x}", run.trace_hash()), hash, "{name}");
        opened += 1;
    }
    assert_eq!(opened, 6);
}

fn refused(bytes: &[u8]) -> String {
    let e = parse(bytes).unwrap_err();
    // The Chinese says it all in Chinese.
    assert!(
        !e.zh.contains("expected") && !e.zh.contains("line") && !e.zh.contains("the file"),
        "{}",
        e.zh
    );
    e.en
}

#[test]
fn what_is_wrong_with_a_file_is_named() {
    assert!(refused(b"\xff\xfe").contains("not text"));
    assert!(refused(b"hello").contains("not JSON"));
    assert_eq!(
        parse(b"{\"format\": ").unwrap_err().zh,
        "该文件不是 Quorum 运行文件（不是 JSON：第 1 行第 12 列内容意外结束（文件被截短了））"
    );
    assert!(refused(b"{}").contains("\"format\" is not"));
    assert!(refused(br#"{"format":"quorum-run"}"#).contains("no \"version\""));
    assert!(refused(br#"{"format":"quorum-run","version":9}"#).contains("newer than this page"));
    assert!(refused(br#"{"format":"quorum-run","version":0}"#).contains("never existed"));
    let json = sample().to_json();
    let e = refused(json.replace("\"seed\"", "\"sead\"").as_bytes());
    assert!(e.contains("malformed") && e.contains("sead"), "{e}");
    let e = refused(json.replace("\"Crash\"", "\"Explode\"").as_bytes());
    assert!(
        e.contains("commands[0].command") && e.contains("Explode"),
        "{e}"
    );
    let many = json.replace("\"nodes\": 5", "\"nodes\": 500");
    assert!(refused(many.as_bytes()).contains("cannot be used"));
    let outside = json.replace("\"node\": 2", "\"node\": 7");
    assert!(refused(outside.as_bytes()).contains("names S8"));
    let huge = vec![b' '; MAX_BYTES + 1];
    assert!(refused(&huge).contains("at most 16 MB"));
}

#[test]
fn an_imported_file_opens_its_protocol_page_or_says_why_not() {
    let json = sample().to_json();
    let query = import_query(json.as_bytes(), "&lang=zh", page("raft")).unwrap();
    assert!(query.starts_with("?algo=raft&run=1."), "{query}");
    assert!(query.ends_with("&lang=zh"));
    // Server 2 is crashed at 200 ms, so a request to it cannot replay.
    let twice = json.replace(
        "\"ClientRequest\": {\n          \"node\": 0,",
        "\"ClientRequest\": {\n          \"node\": 2,",
    );
    assert_ne!(twice, json, "the sample's request goes to server 0");
    let e = import_query(twice.as_bytes(), "", page("raft")).unwrap_err();
    assert!(e.en.contains("cannot be used"), "{}", e.en);
    // Another protocol's page leaves the check to the page of the file's protocol.
    assert!(import_query(twice.as_bytes(), "", page("paxos")).is_ok());
    let unknown = json.replace("\"raft\"", "\"epaxos\"");
    assert!(import_query(unknown.as_bytes(), "", page("raft")).is_err());
}

/// A refused file is worded for a person: no debug text, no µs, servers
/// named S1..Sn, and the file called a file (issue 11).
#[test]
fn a_tampered_files_refusal_names_the_file_its_server_and_its_time() {
    let json = sample().to_json();
    let late = json.replace("\"at\": 300000", "\"at\": 999999999");
    assert_ne!(late, json, "the sample's request is at 300 ms");
    let e = import_query(late.as_bytes(), "", page("raft")).unwrap_err();
    for s in [&e.en, &e.zh] {
        assert!(!s.contains('{') && !s.contains("µs"), "{s}");
        assert!(!s.contains("link") && !s.contains("链接"), "{s}");
    }
    assert!(
        e.en.starts_with("the run in the file cannot be used"),
        "{}",
        e.en
    );
    assert!(e.en.contains("a client request x←1 to S1"), "{}", e.en);
    assert!(e.en.contains("1000.000 s"), "{}", e.en);
    assert!(e.zh.starts_with("文件中的运行无法使用"), "{}", e.zh);
    assert!(e.zh.contains("向 S1 发送客户端请求 x←1"), "{}", e.zh);
    // A command naming a server the run does not have.
    let outside = json.replace("\"node\": 2", "\"node\": 5");
    let e = import_query(outside.as_bytes(), "", page("raft")).unwrap_err();
    assert!(
        e.en.contains("names S6, but the run has 5 servers, S1 to S5"),
        "{}",
        e.en
    );
    assert!(!e.en.contains("link"), "{}", e.en);
}

/// Random bytes, and a good file with random bytes changed, cut or added:
/// every one is answered, never with a panic. (`QUORUM_FUZZ` sets how many;
/// 20,000 by default.)
#[test]
fn mutated_files_are_always_answered() {
    let n: u64 = std::env::var("QUORUM_FUZZ")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let good = sample().to_json().into_bytes();
    let mut rng = SimRng::from_seed(7);
    let (mut accepted, mut refused) = (0u64, 0u64);
    for i in 0..n {
        let mut bytes = good.clone();
        match i % 4 {
            0 => {
                let len = rng.range_inclusive(0, 64) as usize;
                bytes = (0..len)
                    .map(|_| rng.range_inclusive(0, 255) as u8)
                    .collect();
            }
            1 => {
                for _ in 0..rng.range_inclusive(1, 4) {
                    let at = rng.range_inclusive(0, bytes.len() as u64 - 1) as usize;
                    bytes[at] = rng.range_inclusive(32, 126) as u8;
                }
            }
            2 => {
                let cut = rng.range_inclusive(0, bytes.len() as u64) as usize;
                bytes.truncate(cut);
            }
            _ => {
                let at = rng.range_inclusive(0, bytes.len() as u64) as usize;
                let digit = b'0' + rng.range_inclusive(0, 9) as u8;
                bytes.insert(at, digit);
            }
        }
        match parse(&bytes) {
            Ok(file) => {
                accepted += 1;
                // Whatever is accepted encodes into a link that decodes.
                assert!(share::decode(&share::encode(&file.shared())).is_ok());
            }
            Err(e) => {
                refused += 1;
                assert!(!e.en.is_empty() && !e.zh.is_empty());
            }
        }
    }
    println!("run files: {n} mutated inputs, {refused} refused with a reason, {accepted} read");
    assert_eq!(accepted + refused, n);
    assert!(refused > n / 2, "most mutations break a file");
}

/// A run with Raft's switches on keeps them through a file and a link, and
/// replays to the same trace; a run with none on writes what it always did.
#[test]
fn a_run_with_switches_replays_the_same_from_its_file_and_its_link() {
    let mut run = page("raft").new_run(&[5, 1, 0, 1], 42).unwrap();
    run.advance_to(600 * MS);
    let leader = run.leader().expect("a leader");
    run.apply(Command::TransferLeadership {
        node: leader,
        to: (leader + 1) % 5,
    })
    .unwrap();
    run.advance_to(900 * MS);
    let file = RunFile::new(run.shared_run(), None);
    assert_eq!(file.params, [1, 0, 1]);
    let json = file.to_json();
    let back = parse(json.as_bytes()).unwrap();
    let link = quorum_sim::share::encode(&back.shared());
    let (replayed, notice) = page("raft").shared(&link, None).unwrap();
    assert_eq!(notice, None);
    assert_eq!(replayed.shape(), [5, 1, 0, 1]);
    assert_eq!(replayed.trace_hash(), run.trace_hash());
    assert_eq!(replayed.leader(), Some((leader + 1) % 5));
    // Without the switches the same commands do not replay (the run took
    // another course), so the link's settings are part of what makes the run.
    let mut off = back.shared();
    off.params.clear();
    let e = page("raft")
        .shared(&quorum_sim::share::encode(&off), None)
        .err()
        .expect("refused without its switch");
    assert!(e.en.contains("cannot be replayed"), "{}", e.en);
    // A tampered setting is refused in both languages.
    let mut bad = back.shared();
    bad.params = vec![2];
    let e = page("raft")
        .shared(&quorum_sim::share::encode(&bad), None)
        .err()
        .unwrap();
    assert!(e.en.contains("prevote is 2"), "{}", e.en);
    assert!(e.zh.contains("prevote"), "{}", e.zh);
    // No switch on: the file has no settings, as before they existed.
    assert!(sample().params.is_empty());
}

//! A run as a JSON file, for "Export" and "Import": the protocol, its
//! settings, the seed, every command with its moment, the moment shown and
//! the scenario it came from, if any.
//!
//! ```json
//! { "format": "quorum-run", "version": 1, "protocol": "raft", "nodes": 5,
//!   "seed": 42, "params": [], "scenario": null,
//!   "moment": { "events": 1234, "time": 567000 },
//!   "commands": [ { "at": 1000, "after_events": 12, "command": { "Crash": { "node": 2 } } } ] }
//! ```
//!
//! Reading a file never panics: anything that is not such a file, a newer
//! version, or a run that breaks the limits a link has, is an error that
//! says what is wrong, in both languages.

use crate::i18n::{text, Text};
use quorum_sim::share::{self, SharedRun};
use quorum_sim::RecordedCommand;
use serde::{Deserialize, Serialize};

/// What the `format` field says.
pub const FORMAT_NAME: &str = "quorum-run";
/// The version this page writes and reads.
pub const VERSION: u32 = 1;
/// Larger files are refused before they are parsed (a 10-minute run with a
/// command every quarter second is about 300 KB).
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Moment {
    /// Events processed at the moment shown.
    pub events: u64,
    /// Virtual time of the moment shown, in µs.
    pub time: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunFile {
    pub format: String,
    pub version: u32,
    pub protocol: String,
    pub nodes: usize,
    pub seed: u64,
    /// The protocol's settings a page lets people choose (Paxos: proposers, acceptors).
    #[serde(default)]
    pub params: Vec<u64>,
    #[serde(default)]
    pub scenario: Option<String>,
    pub moment: Moment,
    pub commands: Vec<RecordedCommand>,
}

impl RunFile {
    pub fn new(run: SharedRun, scenario: Option<String>) -> RunFile {
        RunFile {
            format: FORMAT_NAME.to_string(),
            version: VERSION,
            protocol: run.protocol,
            nodes: run.nodes,
            seed: run.seed,
            params: run.params,
            scenario,
            moment: Moment {
                events: run.moment.0,
                time: run.moment.1,
            },
            commands: run.commands,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a run file always serializes")
    }

    /// The file's run, for a link (`share::encode`).
    pub fn shared(&self) -> SharedRun {
        SharedRun {
            protocol: self.protocol.clone(),
            nodes: self.nodes,
            seed: self.seed,
            params: self.params.clone(),
            moment: (self.moment.events, self.moment.time),
            commands: self.commands.clone(),
        }
    }

    /// A suggested file name: `quorum-raft-seed42.json`.
    pub fn file_name(&self) -> String {
        match &self.scenario {
            Some(name) => format!("quorum-{name}.json"),
            None => format!("quorum-{}-seed{}.json", self.protocol, self.seed),
        }
    }
}

/// Reads a run file, or says what is wrong with it.
pub fn parse(bytes: &[u8]) -> Result<RunFile, Text> {
    if bytes.len() > MAX_BYTES {
        return Err(text(
            format!(
                "the file is {} MB; a run file is at most {} MB",
                bytes.len() / (1024 * 1024),
                MAX_BYTES / (1024 * 1024)
            ),
            format!(
                "文件大小为 {} MB；运行文件最多 {} MB",
                bytes.len() / (1024 * 1024),
                MAX_BYTES / (1024 * 1024)
            ),
        ));
    }
    let Ok(json) = std::str::from_utf8(bytes) else {
        return Err(text(
            "the file is not text (UTF-8): it is not a Quorum run",
            "该文件不是文本（UTF-8）：不是 Quorum 运行文件",
        ));
    };
    // The format and version first, so a newer file is named as such even
    // if its other fields changed.
    #[derive(Deserialize)]
    struct Head {
        format: Option<String>,
        version: Option<u64>,
    }
    let head: Head = serde_json::from_str(json).map_err(|e| {
        text(
            format!("the file is not a Quorum run (not JSON: {e})"),
            format!(
                "该文件不是 Quorum 运行文件（不是 JSON：{}）",
                json_error_zh(&e)
            ),
        )
    })?;
    if head.format.as_deref() != Some(FORMAT_NAME) {
        return Err(text(
            format!("the file is not a Quorum run: its \"format\" is not \"{FORMAT_NAME}\""),
            format!("该文件不是 Quorum 运行文件：它的 \"format\" 不是 \"{FORMAT_NAME}\""),
        ));
    }
    match head.version {
        Some(v) if v == u64::from(VERSION) => {}
        Some(v) if v > u64::from(VERSION) => {
            return Err(text(
                format!(
                "the file is version {v} of the run format, newer than this page reads ({VERSION})"
            ),
                format!("该文件是第 {v} 版运行格式，比本页能读取的版本（{VERSION}）更新"),
            ))
        }
        Some(v) => {
            return Err(text(
                format!("the file is version {v} of the run format, which never existed"),
                format!("该文件是第 {v} 版运行格式，这个版本并不存在"),
            ))
        }
        None => {
            return Err(text(
                "the file has no \"version\"",
                "该文件缺少 \"version\"",
            ))
        }
    }
    let file: RunFile = serde_json::from_str(json).map_err(|e| {
        text(
            format!("the run file is malformed: {e}"),
            format!("运行文件格式有误：{}", json_error_zh(&e)),
        )
    })?;
    // The same limits and checks as a link's.
    share::decode(&share::encode(&file.shared())).map_err(|e| {
        let why = crate::i18n::share_error(&e);
        text(
            format!("the run in the file cannot be used: {}", why.en),
            format!("文件中的运行无法使用：{}", why.zh),
        )
    })?;
    Ok(file)
}

/// Where and what kind of JSON error, in Chinese (serde's own words are English).
fn json_error_zh(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Syntax => "语法错误",
        Category::Eof => "内容意外结束（文件被截短了）",
        Category::Data => "数据与运行格式不符",
        Category::Io => "读取错误",
    };
    format!("第 {} 行第 {} 列{what}", e.line(), e.column())
}

/// The address (query string) that opens the run in a file, after
/// checking that it replays on the page of its protocol; `keep` is appended
/// (`&lang=zh`...).
pub fn import_query(bytes: &[u8], keep: &str) -> Result<String, Text> {
    use crate::state::State;
    use crate::url::Algo;
    use quorum_sim::multipaxos::MultiPaxos;
    use quorum_sim::paxos::Paxos;
    use quorum_sim::raft::Raft;
    let file = parse(bytes)?;
    let link = share::encode(&file.shared());
    let Some(algo) = Algo::parse(&file.protocol) else {
        return Err(text(
            format!(
                "the file's protocol “{}” is not one this page runs",
                file.protocol
            ),
            format!("文件中的协议“{}”不是本页能运行的协议", file.protocol),
        ));
    };
    let replays = match algo {
        Algo::Raft => State::<Raft>::from_shared(&link).map(drop),
        Algo::Paxos => State::<Paxos>::from_shared(&link).map(drop),
        Algo::MultiPaxos => State::<MultiPaxos>::from_shared(&link).map(drop),
    };
    replays.map_err(|e| {
        text(
            format!("the run in the file cannot be used: {}", e.en),
            format!("文件中的运行无法使用：{}", e.zh),
        )
    })?;
    let scenario = file
        .scenario
        .as_ref()
        .filter(|name| crate::scenarios::find(name).is_some())
        .map(|name| format!("&scenario={name}"))
        .unwrap_or_default();
    Ok(format!(
        "?algo={}{scenario}&run={link}{keep}",
        algo.as_str()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use quorum_sim::kv::{ClientRequest, KvOp};
    use quorum_sim::rng::SimRng;
    use quorum_sim::Command;

    /// A real run: S3 crashes at 200 ms, a client asks S1 at 300 ms.
    fn sample() -> RunFile {
        use quorum_sim::raft::Raft;
        use quorum_sim::{Sim, SimConfig, MS};
        let mut sim = Sim::<Raft>::new(SimConfig::new(5, 42)).unwrap();
        sim.advance_to(200 * MS);
        sim.apply(Command::Crash { node: 2 }).unwrap();
        sim.advance_to(300 * MS);
        let request = ClientRequest {
            id: 1,
            op: KvOp::Set { key: 'x', value: 1 },
        };
        sim.apply(Command::ClientRequest { node: 0, request })
            .unwrap();
        sim.advance_to(400 * MS);
        RunFile::new(
            SharedRun {
                protocol: "raft".into(),
                nodes: 5,
                seed: 42,
                params: vec![],
                moment: (sim.events_processed(), sim.now()),
                commands: sim.commands().to_vec(),
            },
            None,
        )
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

    fn refused(bytes: &[u8]) -> String {
        let e = parse(bytes).unwrap_err();
        // The Chinese says it all in Chinese: no English word of serde's.
        assert!(
            !e.zh.contains("expected") && !e.zh.contains("line"),
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
            "该文件不是 Quorum 运行文件（不是 JSON：第 1 行第 11 列内容意外结束（文件被截短了））"
        );
        assert!(refused(b"{}").contains("\"format\" is not"));
        assert!(refused(br#"{"format":"quorum-run"}"#).contains("no \"version\""));
        assert!(refused(br#"{"format":"quorum-run","version":9}"#).contains("newer than this page"));
        assert!(refused(br#"{"format":"quorum-run","version":0}"#).contains("never existed"));
        let json = sample().to_json();
        assert!(refused(json.replace("\"seed\"", "\"sead\"").as_bytes()).contains("malformed"));
        let many = json.replace("\"nodes\": 5", "\"nodes\": 500");
        assert!(refused(many.as_bytes()).contains("cannot be used"));
        let outside = json.replace("\"node\": 2", "\"node\": 7");
        assert!(
            refused(outside.as_bytes()).contains("server 8"),
            "{}",
            refused(outside.as_bytes())
        );
        let huge = vec![b' '; MAX_BYTES + 1];
        assert!(refused(&huge).contains("at most 16 MB"));
    }

    #[test]
    fn an_imported_file_opens_its_protocol_page_or_says_why_not() {
        let json = sample().to_json();
        let query = import_query(json.as_bytes(), "&lang=zh").unwrap();
        assert!(query.starts_with("?algo=raft&run=1."), "{query}");
        assert!(query.ends_with("&lang=zh"));
        // Server 2 is crashed at 200 ms, so crashing it again cannot replay.
        let twice = json.replace(
            "\"ClientRequest\": {\n          \"node\": 0,",
            "\"ClientRequest\": {\n          \"node\": 2,",
        );
        assert_ne!(twice, json, "the sample's request goes to server 0");
        let e = import_query(twice.as_bytes(), "").unwrap_err();
        assert!(e.en.contains("cannot be used"), "{}", e.en);
        let paxos = json.replace("\"raft\"", "\"zab\"");
        assert!(import_query(paxos.as_bytes(), "").is_err());
    }

    /// Random bytes, and a good file with random bytes changed, cut or
    /// added: every one is answered, never with a panic. (`QUORUM_FUZZ`
    /// sets how many; 20,000 by default.)
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
}

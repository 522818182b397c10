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
//! Commands are written as serde writes them (externally tagged), so files
//! written before the page read them by hand still open (the browser tests
//! open files written then; the native tests compare with serde_json).
//! Reading a file never panics: anything that is not such a file, a newer
//! version, or a run that breaks the limits a link has, is an error that
//! says what is wrong, in both languages.

pub mod json;

use crate::i18n::{share_error_in, text, Medium, Text};
use json::{num, obj, Json, Syntax, SyntaxError};
use quorum_sim::kv::{ClientRequest, KvOp};
use quorum_sim::network::NetworkConfig;
use quorum_sim::share::{self, SharedRun};
use quorum_sim::{Command, RecordedCommand};

/// What the `format` field says.
pub const FORMAT_NAME: &str = "quorum-run";
/// The version this page writes and reads.
pub const VERSION: u32 = 1;
/// Larger files are refused before they are parsed (a 10-minute run with a
/// command every quarter second is about 300 KB).
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunFile {
    pub protocol: String,
    pub nodes: usize,
    pub seed: u64,
    /// The protocol's settings a page lets people choose (Paxos: proposers, acceptors).
    pub params: Vec<u64>,
    pub scenario: Option<String>,
    /// Events processed and virtual time (µs) of the moment shown.
    pub moment: (u64, u64),
    pub commands: Vec<RecordedCommand>,
}

impl RunFile {
    pub fn new(run: SharedRun, scenario: Option<String>) -> RunFile {
        RunFile {
            protocol: run.protocol,
            nodes: run.nodes,
            seed: run.seed,
            params: run.params,
            scenario,
            moment: run.moment,
            commands: run.commands,
        }
    }

    /// The file's run, for a link (`share::encode`).
    pub fn shared(&self) -> SharedRun {
        SharedRun {
            protocol: self.protocol.clone(),
            nodes: self.nodes,
            seed: self.seed,
            params: self.params.clone(),
            moment: self.moment,
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

    pub fn to_json(&self) -> String {
        obj([
            ("format", Json::String(FORMAT_NAME.into())),
            ("version", num(VERSION)),
            ("protocol", Json::String(self.protocol.clone())),
            ("nodes", num(self.nodes as u64)),
            ("seed", num(self.seed)),
            (
                "params",
                Json::Array(self.params.iter().map(|&p| num(p)).collect()),
            ),
            (
                "scenario",
                self.scenario.clone().map_or(Json::Null, Json::String),
            ),
            (
                "moment",
                obj([("events", num(self.moment.0)), ("time", num(self.moment.1))]),
            ),
            (
                "commands",
                Json::Array(self.commands.iter().map(recorded_json).collect()),
            ),
        ])
        .pretty()
    }
}

fn recorded_json(c: &RecordedCommand) -> Json {
    obj([
        ("at", num(c.at)),
        ("after_events", num(c.after_events)),
        ("command", command_json(&c.command)),
    ])
}

fn node(n: usize) -> Json {
    num(n as u64)
}

/// A command as serde writes an externally tagged enum.
fn command_json(c: &Command) -> Json {
    let tagged = |tag: &str, fields: Json| obj([(tag, fields)]);
    match c {
        Command::DropMessage { id } => tagged("DropMessage", obj([("id", num(*id))])),
        Command::Crash { node: n } => tagged("Crash", obj([("node", node(*n))])),
        Command::Restart { node: n } => tagged("Restart", obj([("node", node(*n))])),
        Command::Timeout { node: n } => tagged("Timeout", obj([("node", node(*n))])),
        Command::ClientRequest { node: n, request } => tagged(
            "ClientRequest",
            obj([
                ("node", node(*n)),
                (
                    "request",
                    obj([("id", num(request.id)), ("op", op_json(&request.op))]),
                ),
            ]),
        ),
        Command::CutLink { from, to } => {
            tagged("CutLink", obj([("from", node(*from)), ("to", node(*to))]))
        }
        Command::HealLink { from, to } => {
            tagged("HealLink", obj([("from", node(*from)), ("to", node(*to))]))
        }
        Command::HealAll => Json::String("HealAll".into()),
        Command::SetNetwork { network } => tagged(
            "SetNetwork",
            obj([(
                "network",
                obj([
                    ("latency_min", num(network.latency_min)),
                    ("latency_max", num(network.latency_max)),
                    ("loss_per_mille", num(network.loss_per_mille)),
                    ("ordered", Json::Bool(network.ordered)),
                ]),
            )]),
        ),
        Command::DuplicateMessage { id } => tagged("DuplicateMessage", obj([("id", num(*id))])),
        Command::DelayMessage { id, by } => {
            tagged("DelayMessage", obj([("id", num(*id)), ("by", num(*by))]))
        }
        Command::Isolate { node: n } => tagged("Isolate", obj([("node", node(*n))])),
        Command::Rejoin { node: n } => tagged("Rejoin", obj([("node", node(*n))])),
        Command::Partition { side } => tagged(
            "Partition",
            obj([("side", Json::Array(side.iter().map(|&n| node(n)).collect()))]),
        ),
        Command::AlignTimers => Json::String("AlignTimers".into()),
        Command::SpreadTimers => Json::String("SpreadTimers".into()),
        Command::TransferLeadership { node: n, to } => tagged(
            "TransferLeadership",
            obj([("node", node(*n)), ("to", node(*to))]),
        ),
        Command::MakeByzantine { node: n, behaviour } => tagged(
            "MakeByzantine",
            obj([
                ("node", node(*n)),
                ("behaviour", Json::String(behaviour.as_str().into())),
            ]),
        ),
    }
}

fn op_json(op: &KvOp) -> Json {
    match *op {
        KvOp::Set { key, value } => obj([(
            "Set",
            obj([
                ("key", Json::String(key.to_string())),
                ("value", num(value)),
            ]),
        )]),
        KvOp::Add { key, by } => obj([(
            "Add",
            obj([("key", Json::String(key.to_string())), ("by", num(by))]),
        )]),
    }
}

// ---- reading -------------------------------------------------------------------

/// What is wrong with a value of the file, and where (`commands[3].command`).
struct Wrong {
    path: String,
    en: String,
    zh: String,
}

type Read<T> = Result<T, Wrong>;

fn wrong<T>(path: &str, en: impl Into<String>, zh: impl Into<String>) -> Read<T> {
    Err(Wrong {
        path: path.to_string(),
        en: en.into(),
        zh: zh.into(),
    })
}

/// The members of an object, none but `allowed`.
fn members<'a>(v: &'a Json, path: &str, allowed: &[&str]) -> Read<&'a [(String, Json)]> {
    let Json::Object(members) = v else {
        return wrong(path, "is not an object", "不是一个对象");
    };
    if let Some((k, _)) = members.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        return wrong(
            path,
            format!("has a field “{k}” a run file does not have"),
            format!("有运行文件中不存在的字段“{k}”"),
        );
    }
    Ok(members)
}

fn field<'a>(v: &'a Json, path: &str, key: &str) -> Read<&'a Json> {
    v.get(key).map_or_else(
        || wrong(path, format!("lacks its “{key}”"), format!("缺少“{key}”")),
        Ok,
    )
}

fn u64_at(v: &Json, path: &str) -> Read<u64> {
    v.as_u64().map_or_else(
        || wrong(path, "is not a whole number from 0 up", "不是非负整数"),
        Ok,
    )
}

fn field_u64(v: &Json, path: &str, key: &str) -> Read<u64> {
    u64_at(field(v, path, key)?, &format!("{path}.{key}"))
}

fn field_usize(v: &Json, path: &str, key: &str) -> Read<usize> {
    let n = field_u64(v, path, key)?;
    usize::try_from(n).or_else(|_| wrong(&format!("{path}.{key}"), "is too large", "太大"))
}

fn field_u32(v: &Json, path: &str, key: &str) -> Read<u32> {
    let n = field_u64(v, path, key)?;
    u32::try_from(n).or_else(|_| wrong(&format!("{path}.{key}"), "is too large", "太大"))
}

fn field_str<'a>(v: &'a Json, path: &str, key: &str) -> Read<&'a str> {
    field(v, path, key)?.as_str().map_or_else(
        || wrong(&format!("{path}.{key}"), "is not text", "不是文本"),
        Ok,
    )
}

fn key_at(v: &Json, path: &str) -> Read<char> {
    let s = field_str(v, path, "key")?;
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => wrong(
            &format!("{path}.key"),
            "is not one character",
            "不是单个字符",
        ),
    }
}

fn op_at(v: &Json, path: &str) -> Read<KvOp> {
    let (tag, body) = tagged(v, path)?;
    let path = format!("{path}.{tag}");
    match tag {
        "Set" => {
            members(body, &path, &["key", "value"])?;
            Ok(KvOp::Set {
                key: key_at(body, &path)?,
                value: field_u32(body, &path, "value")?,
            })
        }
        "Add" => {
            members(body, &path, &["key", "by"])?;
            Ok(KvOp::Add {
                key: key_at(body, &path)?,
                by: field_u32(body, &path, "by")?,
            })
        }
        other => wrong(
            &path,
            format!("is an operation “{other}” that does not exist"),
            format!("是不存在的操作“{other}”"),
        ),
    }
}

/// An externally tagged enum value: `{"Tag": {...}}`.
fn tagged<'a>(v: &'a Json, path: &str) -> Read<(&'a str, &'a Json)> {
    match v {
        Json::Object(m) if m.len() == 1 => Ok((m[0].0.as_str(), &m[0].1)),
        _ => wrong(
            path,
            "is not one kind with its fields",
            "不是“一个种类名加上它的字段”的形式",
        ),
    }
}

fn network_at(v: &Json, path: &str) -> Read<NetworkConfig> {
    let keys = ["latency_min", "latency_max", "loss_per_mille", "ordered"];
    members(v, path, &keys)?;
    // Fields left out take their defaults, as serde reads this struct.
    let d = NetworkConfig::default();
    let u = |key: &str, default: u64| -> Read<u64> {
        match v.get(key) {
            Some(_) => field_u64(v, path, key),
            None => Ok(default),
        }
    };
    Ok(NetworkConfig {
        latency_min: u("latency_min", d.latency_min)?,
        latency_max: u("latency_max", d.latency_max)?,
        loss_per_mille: match v.get("loss_per_mille") {
            Some(_) => field_u32(v, path, "loss_per_mille")?,
            None => d.loss_per_mille,
        },
        ordered: match v.get("ordered") {
            None => d.ordered,
            Some(Json::Bool(b)) => *b,
            Some(_) => {
                return wrong(
                    &format!("{path}.ordered"),
                    "is not true or false",
                    "不是 true 或 false",
                )
            }
        },
    })
}

fn command_at(v: &Json, path: &str) -> Read<Command> {
    if let Json::String(unit) = v {
        return match unit.as_str() {
            "HealAll" => Ok(Command::HealAll),
            "AlignTimers" => Ok(Command::AlignTimers),
            "SpreadTimers" => Ok(Command::SpreadTimers),
            other => wrong(
                path,
                format!("is a command “{other}” that does not exist"),
                format!("是不存在的命令“{other}”"),
            ),
        };
    }
    let (tag, body) = tagged(v, path)?;
    let p = format!("{path}.{tag}");
    let p = p.as_str();
    let with = |keys: &[&str]| members(body, p, keys).map(drop);
    Ok(match tag {
        "DropMessage" | "DuplicateMessage" => {
            with(&["id"])?;
            let id = field_u64(body, p, "id")?;
            if tag == "DropMessage" {
                Command::DropMessage { id }
            } else {
                Command::DuplicateMessage { id }
            }
        }
        "Crash" | "Restart" | "Timeout" | "Isolate" | "Rejoin" => {
            with(&["node"])?;
            let node = field_usize(body, p, "node")?;
            match tag {
                "Crash" => Command::Crash { node },
                "Restart" => Command::Restart { node },
                "Timeout" => Command::Timeout { node },
                "Isolate" => Command::Isolate { node },
                _ => Command::Rejoin { node },
            }
        }
        "ClientRequest" => {
            with(&["node", "request"])?;
            let request = field(body, p, "request")?;
            let rp = format!("{p}.request");
            members(request, &rp, &["id", "op"])?;
            Command::ClientRequest {
                node: field_usize(body, p, "node")?,
                request: ClientRequest {
                    id: field_u64(request, &rp, "id")?,
                    op: op_at(field(request, &rp, "op")?, &format!("{rp}.op"))?,
                },
            }
        }
        "CutLink" | "HealLink" => {
            with(&["from", "to"])?;
            let (from, to) = (field_usize(body, p, "from")?, field_usize(body, p, "to")?);
            if tag == "CutLink" {
                Command::CutLink { from, to }
            } else {
                Command::HealLink { from, to }
            }
        }
        "TransferLeadership" => {
            with(&["node", "to"])?;
            Command::TransferLeadership {
                node: field_usize(body, p, "node")?,
                to: field_usize(body, p, "to")?,
            }
        }
        "MakeByzantine" => {
            with(&["node", "behaviour"])?;
            let name = field_str(body, p, "behaviour")?;
            let Some(behaviour) = quorum_sim::Behaviour::from_name(name) else {
                return wrong(
                    &format!("{p}.behaviour"),
                    format!("is a behaviour “{name}” that does not exist"),
                    format!("是不存在的行为“{name}”"),
                );
            };
            Command::MakeByzantine {
                node: field_usize(body, p, "node")?,
                behaviour,
            }
        }
        "SetNetwork" => {
            with(&["network"])?;
            Command::SetNetwork {
                network: network_at(field(body, p, "network")?, &format!("{p}.network"))?,
            }
        }
        "DelayMessage" => {
            with(&["id", "by"])?;
            Command::DelayMessage {
                id: field_u64(body, p, "id")?,
                by: field_u64(body, p, "by")?,
            }
        }
        "Partition" => {
            with(&["side"])?;
            let Json::Array(side) = field(body, p, "side")? else {
                return wrong(&format!("{p}.side"), "is not a list", "不是列表");
            };
            let side = side
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let at = format!("{p}.side[{i}]");
                    u64_at(n, &at).and_then(|n| {
                        usize::try_from(n).or_else(|_| wrong(&at, "is too large", "太大"))
                    })
                })
                .collect::<Read<Vec<usize>>>()?;
            Command::Partition { side }
        }
        other => {
            return wrong(
                path,
                format!("is a command “{other}” that does not exist"),
                format!("是不存在的命令“{other}”"),
            )
        }
    })
}

fn run_file(v: &Json) -> Read<RunFile> {
    let root = "the file";
    let allowed = [
        "format", "version", "protocol", "nodes", "seed", "params", "scenario", "moment",
        "commands",
    ];
    members(v, root, &allowed)?;
    let params = match v.get("params") {
        None => Vec::new(),
        Some(Json::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, p)| u64_at(p, &format!("params[{i}]")))
            .collect::<Read<_>>()?,
        Some(_) => return wrong("params", "is not a list", "不是列表"),
    };
    let scenario = match v.get("scenario") {
        None | Some(Json::Null) => None,
        Some(Json::String(s)) => Some(s.clone()),
        Some(_) => return wrong("scenario", "is not a name or null", "不是名称或 null"),
    };
    let moment = field(v, root, "moment")?;
    members(moment, "moment", &["events", "time"])?;
    let Json::Array(commands) = field(v, root, "commands")? else {
        return wrong("commands", "is not a list", "不是列表");
    };
    let commands = commands
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let path = format!("commands[{i}]");
            members(c, &path, &["at", "after_events", "command"])?;
            Ok(RecordedCommand {
                at: field_u64(c, &path, "at")?,
                after_events: field_u64(c, &path, "after_events")?,
                command: command_at(field(c, &path, "command")?, &format!("{path}.command"))?,
            })
        })
        .collect::<Read<Vec<_>>>()?;
    Ok(RunFile {
        protocol: field_str(v, root, "protocol")?.to_string(),
        nodes: field_usize(v, root, "nodes")?,
        seed: field_u64(v, root, "seed")?,
        params,
        scenario,
        moment: (
            field_u64(moment, "moment", "events")?,
            field_u64(moment, "moment", "time")?,
        ),
        commands,
    })
}

/// Where and what kind of JSON error, in both languages.
fn syntax_text(e: &SyntaxError) -> Text {
    let (line, column) = (e.line, e.column);
    let (what, what_zh) = match e.kind {
        Syntax::Eof => (
            "the text ends too soon (the file was cut short)",
            "内容意外结束（文件被截短了）",
        ),
        Syntax::Unexpected => ("a character that does not belong there", "语法错误"),
        Syntax::Trailing => ("more text after the end", "结尾之后还有多余的内容"),
        Syntax::Duplicate => ("a field named twice", "同一个字段出现了两次"),
        Syntax::TooDeep => ("lists nested too deeply", "嵌套层数过多"),
    };
    text(
        format!("{what} at line {line}, column {column}"),
        format!("第 {line} 行第 {column} 列{what_zh}"),
    )
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
    let Ok(source) = std::str::from_utf8(bytes) else {
        return Err(text(
            "the file is not text (UTF-8): it is not a Quorum run",
            "该文件不是文本（UTF-8）：不是 Quorum 运行文件",
        ));
    };
    let value = json::parse(source).map_err(|e| {
        let why = syntax_text(&e);
        text(
            format!("the file is not a Quorum run (not JSON: {})", why.en),
            format!("该文件不是 Quorum 运行文件（不是 JSON：{}）", why.zh),
        )
    })?;
    // The format and version first, so a newer file is named as such even
    // if its other fields changed.
    if value.get("format").and_then(Json::as_str) != Some(FORMAT_NAME) {
        return Err(text(
            format!("the file is not a Quorum run: its \"format\" is not \"{FORMAT_NAME}\""),
            format!("该文件不是 Quorum 运行文件：它的 \"format\" 不是 \"{FORMAT_NAME}\""),
        ));
    }
    match value.get("version").and_then(Json::as_u64) {
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
    let file = run_file(&value).map_err(|w| {
        text(
            format!("the run file is malformed: {} {}", w.path, w.en),
            format!(
                "运行文件格式有误：{}{}",
                w.path.replace("the file", "文件"),
                w.zh
            ),
        )
    })?;
    // The same limits and checks as a link's.
    share::decode(&share::encode(&file.shared())).map_err(|e| {
        let why = share_error_in(&e, Medium::File);
        text(
            format!("the run in the file cannot be used: {}", why.en),
            format!("文件中的运行无法使用：{}", why.zh),
        )
    })?;
    Ok(file)
}

/// The address (query string) that opens the run in a file; `keep` is
/// appended (`&lang=zh`...). A file of this page's protocol is checked to
/// replay first; another protocol's page checks its own when it opens.
pub fn import_query(bytes: &[u8], keep: &str, page: &dyn crate::run::Page) -> Result<String, Text> {
    let file = parse(bytes)?;
    let link = share::encode(&file.shared());
    let Some(protocol) = crate::registry::find(&file.protocol) else {
        return Err(text(
            format!(
                "the file's protocol “{}” is not one this page runs",
                file.protocol
            ),
            format!("文件中的协议“{}”不是本页能运行的协议", file.protocol),
        ));
    };
    // A scenario's run is checked with the scenario, by the page that opens it.
    if std::ptr::eq(protocol, page.info()) && file.scenario.is_none() {
        page.shared(&link, None).map(drop).map_err(|e| {
            text(
                format!("the run in the file cannot be used: {}", e.en),
                format!("文件中的运行无法使用：{}", e.zh),
            )
        })?;
    }
    let scenario = file
        .scenario
        .as_ref()
        .filter(|name| protocol.has_scenario(name))
        .map(|name| format!("&scenario={name}"))
        .unwrap_or_default();
    Ok(format!(
        "?algo={}{scenario}&run={link}{keep}",
        protocol.name
    ))
}

#[cfg(test)]
mod tests;

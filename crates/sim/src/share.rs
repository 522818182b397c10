//! A run as a short text for a link: which protocol, its settings, the seed,
//! every user command with its moment, and the moment being shown.
//!
//! Format 1: `1.` followed by base64url (no padding) of a byte string of
//! LEB128 varints (see [`SharedRun`] for the order) and a 4-byte FNV-1a
//! checksum of everything before it. The version comes first so a later
//! format can still read, or at least name, an older one. Decoding never
//! panics: anything malformed, truncated or tampered with is an error that
//! says what is wrong.

use crate::kernel::network::NetworkConfig;
use crate::kernel::{Behaviour, Command, RecordedCommand, MAX_NODES};
use crate::kv::{ClientRequest, KvOp};
use crate::Time;

/// The format this module writes.
pub const FORMAT: u32 = 1;
/// Limits a decoder accepts, so a tampered link cannot ask for absurd work.
pub const MAX_COMMANDS: usize = 100_000;
const MAX_PARAMS: usize = 16;
const MAX_NAME: usize = 32;

/// Everything that determines a run, and the moment to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedRun {
    /// The protocol's name, as `Protocol::NAME` (`raft`, `paxos`, ...).
    pub protocol: String,
    pub nodes: usize,
    pub seed: u64,
    /// Protocol settings a page lets people choose (e.g. Paxos's role counts).
    pub params: Vec<u64>,
    /// The moment shown: events processed and virtual time.
    pub moment: (u64, Time),
    pub commands: Vec<RecordedCommand>,
}

/// Why a link could not be read: the reason, which a page words in its own
/// language (`.1`, [`ShareError::kind`]), and its English wording (`.0`, what
/// `Display` shows).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareError(pub String, pub ShareErrorKind);

impl ShareError {
    pub fn kind(&self) -> &ShareErrorKind {
        &self.1
    }
}

impl From<ShareErrorKind> for ShareError {
    fn from(kind: ShareErrorKind) -> Self {
        ShareError(kind.to_string(), kind)
    }
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ShareError {}

/// Every way link text can be wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareErrorKind {
    /// No `N.` in front.
    NoVersion,
    /// A format this page is too old for.
    NewerFormat {
        version: u32,
    },
    /// A version that is no number, or one no Quorum wrote.
    UnknownFormat {
        version: String,
    },
    /// A character outside base64url, at `position` (from 1).
    BadCharacter {
        position: usize,
    },
    /// A length no base64url text has.
    ImpossibleLength,
    TooShort,
    ChecksumMismatch,
    /// The bytes end inside `part`.
    CutShort {
        part: Part,
    },
    /// `part` does not fit its type.
    TooLarge {
        part: Part,
    },
    /// `part` is `value`, above the `max` the decoder accepts.
    AboveLimit {
        part: Part,
        value: u64,
        max: u64,
    },
    /// A command names server `server` (from 1) of a run of `nodes`.
    NoSuchServer {
        server: u64,
        nodes: usize,
    },
    NotAKey {
        value: u64,
    },
    UnknownOperation {
        kind: u64,
    },
    UnknownCommand {
        kind: u64,
    },
    /// The bytes end inside the protocol's name.
    NameCutShort,
    NameNotText,
    NoServers,
    TrailingBytes,
}

/// The parts of a link, to say where it is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    NameLength,
    ServerCount,
    Seed,
    SettingCount,
    Setting,
    MomentEvents,
    MomentTime,
    CommandCount,
    CommandTime,
    CommandEvents,
    CommandKind,
    Server,
    MessageId,
    RequestId,
    Operation,
    Key,
    Value,
    Amount,
    Latency,
    LossRate,
    Flag,
    Delay,
    GroupSize,
    Behaviour,
}

impl std::fmt::Display for Part {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Part::NameLength => "the protocol's name length",
            Part::ServerCount => "the number of servers",
            Part::Seed => "the seed",
            Part::SettingCount => "the number of settings",
            Part::Setting => "a setting",
            Part::MomentEvents => "the moment's event count",
            Part::MomentTime => "the moment's time",
            Part::CommandCount => "the number of commands",
            Part::CommandTime => "a command's time",
            Part::CommandEvents => "a command's event count",
            Part::CommandKind => "a command's kind",
            Part::Server => "a server number",
            Part::MessageId => "a message id",
            Part::RequestId => "a request id",
            Part::Operation => "an operation",
            Part::Key => "a key",
            Part::Value => "a value",
            Part::Amount => "an amount",
            Part::Latency => "a latency",
            Part::LossRate => "a loss rate",
            Part::Flag => "a flag",
            Part::Delay => "a delay",
            Part::GroupSize => "a group's size",
            Part::Behaviour => "a lying server's behaviour",
        })
    }
}

impl std::fmt::Display for ShareErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use ShareErrorKind::*;
        match self {
            NoVersion => f.write_str("this is not a Quorum run link (it has no format version)"),
            NewerFormat { version } => write!(
                f,
                "the link is in format {version}, newer than this page reads ({FORMAT}); open it with a newer Quorum"
            ),
            UnknownFormat { version } => {
                write!(f, "“{version}” is not a run link format this page knows")
            }
            BadCharacter { position } => write!(
                f,
                "the link has a character that does not belong in it at position {position}"
            ),
            ImpossibleLength => {
                f.write_str("the link's length is not possible: it was cut short or padded")
            }
            TooShort => f.write_str("the link is too short to hold a run"),
            ChecksumMismatch => f.write_str(
                "the link is damaged: its checksum does not match (it was cut short or changed)",
            ),
            CutShort { part } => write!(f, "the link ends in the middle of {part}: it was cut short"),
            TooLarge { part } => write!(f, "{part} is too large"),
            AboveLimit { part, value, max } => write!(f, "{part} is {value}, more than {max}"),
            NoSuchServer { server, nodes } => write!(
                f,
                "a command names server {server}, but the run has {nodes}"
            ),
            NotAKey { value } => write!(f, "{value} is not a key (a character)"),
            UnknownOperation { kind } => write!(f, "operation kind {kind} does not exist"),
            UnknownCommand { kind } => write!(f, "command kind {kind} does not exist"),
            NameCutShort => f.write_str("the link ends in the protocol's name: it was cut short"),
            NameNotText => f.write_str("the protocol's name is not text"),
            NoServers => f.write_str("the run has no servers"),
            TrailingBytes => f.write_str("the link has bytes after the run: it was changed"),
        }
    }
}

fn fail<T>(kind: ShareErrorKind) -> Result<T, ShareError> {
    Err(kind.into())
}

// ---- writing ------------------------------------------------------------------

struct Writer(Vec<u8>);

impl Writer {
    fn u(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(byte);
                return;
            }
            self.0.push(byte | 0x80);
        }
    }

    fn op(&mut self, op: &KvOp) {
        match *op {
            KvOp::Set { key, value } => {
                self.u(0);
                self.u(u64::from(key));
                self.u(u64::from(value));
            }
            KvOp::Add { key, by } => {
                self.u(1);
                self.u(u64::from(key));
                self.u(u64::from(by));
            }
        }
    }

    fn command(&mut self, c: &Command) {
        match c {
            Command::DropMessage { id } => {
                self.u(0);
                self.u(*id);
            }
            Command::Crash { node } => {
                self.u(1);
                self.u(*node as u64);
            }
            Command::Restart { node } => {
                self.u(2);
                self.u(*node as u64);
            }
            Command::Timeout { node } => {
                self.u(3);
                self.u(*node as u64);
            }
            Command::ClientRequest { node, request } => {
                self.u(4);
                self.u(*node as u64);
                self.u(request.id);
                self.op(&request.op);
            }
            Command::CutLink { from, to } => {
                self.u(5);
                self.u(*from as u64);
                self.u(*to as u64);
            }
            Command::HealLink { from, to } => {
                self.u(6);
                self.u(*from as u64);
                self.u(*to as u64);
            }
            Command::HealAll => self.u(7),
            Command::SetNetwork { network } => {
                self.u(8);
                self.u(network.latency_min);
                self.u(network.latency_max);
                self.u(u64::from(network.loss_per_mille));
                self.u(u64::from(network.ordered));
            }
            Command::DuplicateMessage { id } => {
                self.u(9);
                self.u(*id);
            }
            Command::DelayMessage { id, by } => {
                self.u(10);
                self.u(*id);
                self.u(*by);
            }
            Command::Isolate { node } => {
                self.u(11);
                self.u(*node as u64);
            }
            Command::Rejoin { node } => {
                self.u(12);
                self.u(*node as u64);
            }
            Command::Partition { side } => {
                self.u(13);
                self.u(side.len() as u64);
                for n in side {
                    self.u(*n as u64);
                }
            }
            Command::AlignTimers => self.u(14),
            Command::SpreadTimers => self.u(15),
            // Added within format 1: no earlier link has kind 16, so every
            // earlier link still reads as it did.
            Command::TransferLeadership { node, to } => {
                self.u(16);
                self.u(*node as u64);
                self.u(*to as u64);
            }
            // Added within format 1 as kind 16 was.
            Command::MakeByzantine { node, behaviour } => {
                self.u(17);
                self.u(*node as u64);
                self.u(behaviour.index() as u64);
            }
        }
    }
}

/// The run as link text: `1.` and base64url.
pub fn encode(run: &SharedRun) -> String {
    let mut w = Writer(Vec::new());
    w.u(run.protocol.len() as u64);
    w.0.extend_from_slice(run.protocol.as_bytes());
    w.u(run.nodes as u64);
    w.u(run.seed);
    w.u(run.params.len() as u64);
    for p in &run.params {
        w.u(*p);
    }
    w.u(run.moment.0);
    w.u(run.moment.1);
    w.u(run.commands.len() as u64);
    // Moments are written as differences from the previous command's: small numbers.
    let (mut at, mut after) = (0, 0);
    for c in &run.commands {
        w.u(c.at.saturating_sub(at));
        w.u(c.after_events.saturating_sub(after));
        (at, after) = (c.at, c.after_events);
        w.command(&c.command);
    }
    let sum = checksum(&w.0);
    w.0.extend_from_slice(&sum.to_le_bytes());
    format!("{FORMAT}.{}", base64url(&w.0))
}

fn checksum(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 3);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn from_base64url(text: &str) -> Result<Vec<u8>, ShareError> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for (i, c) in text.bytes().enumerate() {
        let Some(v) = ALPHABET.iter().position(|&a| a == c) else {
            return fail(ShareErrorKind::BadCharacter { position: i + 1 });
        };
        acc = acc << 6 | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if bits >= 6 {
        return fail(ShareErrorKind::ImpossibleLength);
    }
    Ok(out)
}

// ---- reading --------------------------------------------------------------------

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn u(&mut self, part: Part) -> Result<u64, ShareError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let Some(&b) = self.bytes.get(self.at) else {
                return fail(ShareErrorKind::CutShort { part });
            };
            self.at += 1;
            if shift == 63 && b > 1 {
                return fail(ShareErrorKind::TooLarge { part });
            }
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        fail(ShareErrorKind::TooLarge { part })
    }

    fn small(&mut self, part: Part, max: u64) -> Result<u64, ShareError> {
        let value = self.u(part)?;
        if value > max {
            return fail(ShareErrorKind::AboveLimit { part, value, max });
        }
        Ok(value)
    }

    fn node(&mut self, nodes: usize) -> Result<usize, ShareError> {
        let n = self.u(Part::Server)?;
        if n >= nodes as u64 {
            return fail(ShareErrorKind::NoSuchServer {
                server: n.saturating_add(1),
                nodes,
            });
        }
        Ok(n as usize)
    }

    fn key(&mut self) -> Result<char, ShareError> {
        let k = self.u(Part::Key)?;
        u32::try_from(k)
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(|| ShareErrorKind::NotAKey { value: k }.into())
    }

    fn u32(&mut self, part: Part) -> Result<u32, ShareError> {
        let value = self.u(part)?;
        u32::try_from(value).map_err(|_| {
            ShareErrorKind::AboveLimit {
                part,
                value,
                max: u32::MAX.into(),
            }
            .into()
        })
    }

    fn op(&mut self) -> Result<KvOp, ShareError> {
        match self.u(Part::Operation)? {
            0 => Ok(KvOp::Set {
                key: self.key()?,
                value: self.u32(Part::Value)?,
            }),
            1 => Ok(KvOp::Add {
                key: self.key()?,
                by: self.u32(Part::Amount)?,
            }),
            kind => fail(ShareErrorKind::UnknownOperation { kind }),
        }
    }

    fn command(&mut self, nodes: usize) -> Result<Command, ShareError> {
        Ok(match self.u(Part::CommandKind)? {
            0 => Command::DropMessage {
                id: self.u(Part::MessageId)?,
            },
            1 => Command::Crash {
                node: self.node(nodes)?,
            },
            2 => Command::Restart {
                node: self.node(nodes)?,
            },
            3 => Command::Timeout {
                node: self.node(nodes)?,
            },
            4 => Command::ClientRequest {
                node: self.node(nodes)?,
                request: ClientRequest {
                    id: self.u(Part::RequestId)?,
                    op: self.op()?,
                },
            },
            5 => Command::CutLink {
                from: self.node(nodes)?,
                to: self.node(nodes)?,
            },
            6 => Command::HealLink {
                from: self.node(nodes)?,
                to: self.node(nodes)?,
            },
            7 => Command::HealAll,
            8 => Command::SetNetwork {
                network: NetworkConfig {
                    latency_min: self.u(Part::Latency)?,
                    latency_max: self.u(Part::Latency)?,
                    loss_per_mille: self.small(Part::LossRate, 1000)? as u32,
                    ordered: self.small(Part::Flag, 1)? == 1,
                },
            },
            9 => Command::DuplicateMessage {
                id: self.u(Part::MessageId)?,
            },
            10 => Command::DelayMessage {
                id: self.u(Part::MessageId)?,
                by: self.u(Part::Delay)?,
            },
            11 => Command::Isolate {
                node: self.node(nodes)?,
            },
            12 => Command::Rejoin {
                node: self.node(nodes)?,
            },
            13 => {
                let len = self.small(Part::GroupSize, nodes as u64)?;
                let side = (0..len)
                    .map(|_| self.node(nodes))
                    .collect::<Result<Vec<_>, _>>()?;
                Command::Partition { side }
            }
            14 => Command::AlignTimers,
            15 => Command::SpreadTimers,
            16 => Command::TransferLeadership {
                node: self.node(nodes)?,
                to: self.node(nodes)?,
            },
            17 => Command::MakeByzantine {
                node: self.node(nodes)?,
                behaviour: Behaviour::ALL
                    [self.small(Part::Behaviour, Behaviour::ALL.len() as u64 - 1)? as usize],
            },
            kind => return fail(ShareErrorKind::UnknownCommand { kind }),
        })
    }
}

/// Reads link text written by [`encode`]. Every way it can be wrong is an
/// error naming the problem; whether the commands replay is for the caller
/// to check (e.g. with `Timeline::from_recording`).
pub fn decode(text: &str) -> Result<SharedRun, ShareError> {
    let text = text.trim();
    let Some((version, body)) = text.split_once('.') else {
        return fail(ShareErrorKind::NoVersion);
    };
    match version.parse::<u32>() {
        Ok(FORMAT) => {}
        Ok(version) if version > FORMAT => return fail(ShareErrorKind::NewerFormat { version }),
        _ => {
            return fail(ShareErrorKind::UnknownFormat {
                version: version.to_string(),
            })
        }
    }
    let bytes = from_base64url(body)?;
    if bytes.len() < 4 {
        return fail(ShareErrorKind::TooShort);
    }
    let (payload, sum) = bytes.split_at(bytes.len() - 4);
    if checksum(payload).to_le_bytes() != sum {
        return fail(ShareErrorKind::ChecksumMismatch);
    }
    let mut r = Reader {
        bytes: payload,
        at: 0,
    };
    let name_len = r.small(Part::NameLength, MAX_NAME as u64)? as usize;
    let Some(name) = payload.get(r.at..r.at + name_len) else {
        return fail(ShareErrorKind::NameCutShort);
    };
    r.at += name_len;
    let protocol = std::str::from_utf8(name)
        .map_err(|_| ShareError::from(ShareErrorKind::NameNotText))?
        .to_string();
    let nodes = r.small(Part::ServerCount, MAX_NODES as u64)? as usize;
    if nodes == 0 {
        return fail(ShareErrorKind::NoServers);
    }
    let seed = r.u(Part::Seed)?;
    let param_count = r.small(Part::SettingCount, MAX_PARAMS as u64)?;
    let params = (0..param_count)
        .map(|_| r.u(Part::Setting))
        .collect::<Result<Vec<_>, _>>()?;
    let moment = (r.u(Part::MomentEvents)?, r.u(Part::MomentTime)?);
    let count = r.small(Part::CommandCount, MAX_COMMANDS as u64)?;
    let mut commands = Vec::with_capacity(count as usize);
    let (mut at, mut after) = (0u64, 0u64);
    for _ in 0..count {
        at = at.checked_add(r.u(Part::CommandTime)?).ok_or_else(|| {
            ShareError::from(ShareErrorKind::TooLarge {
                part: Part::CommandTime,
            })
        })?;
        after = after
            .checked_add(r.u(Part::CommandEvents)?)
            .ok_or_else(|| {
                ShareError::from(ShareErrorKind::TooLarge {
                    part: Part::CommandEvents,
                })
            })?;
        let command = r.command(nodes)?;
        commands.push(RecordedCommand {
            at,
            after_events: after,
            command,
        });
    }
    if r.at != payload.len() {
        return fail(ShareErrorKind::TrailingBytes);
    }
    Ok(SharedRun {
        protocol,
        nodes,
        seed,
        params,
        moment,
        commands,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_every_length() {
        for len in 0..20 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(from_base64url(&base64url(&bytes)).unwrap(), bytes);
        }
    }

    #[test]
    fn versions_are_named() {
        assert!(decode("2.AAAA").unwrap_err().0.contains("newer"));
        assert!(decode("x.AAAA").unwrap_err().0.contains("format"));
        assert!(decode("hello")
            .unwrap_err()
            .0
            .contains("not a Quorum run link"));
    }

    #[test]
    fn a_refusal_carries_its_reason_and_the_reasons_english_wording() {
        let e = decode("2.AAAA").unwrap_err();
        assert_eq!(e.kind(), &ShareErrorKind::NewerFormat { version: 2 });
        assert_eq!(e.to_string(), e.kind().to_string());
        assert_eq!(
            decode("1.AA*A").unwrap_err().kind(),
            &ShareErrorKind::BadCharacter { position: 3 }
        );
        // A run of 3 servers whose one command names server 5.
        let mut w = Writer(Vec::new());
        for v in [4, b'r', b'a', b'f', b't', 3, 1, 0, 0, 0, 1, 0, 0, 1, 4] {
            w.u(u64::from(v));
        }
        let sum = checksum(&w.0).to_le_bytes();
        w.0.extend_from_slice(&sum);
        let e = decode(&format!("1.{}", base64url(&w.0))).unwrap_err();
        assert_eq!(
            e.kind(),
            &ShareErrorKind::NoSuchServer {
                server: 5,
                nodes: 3
            }
        );
        assert_eq!(e.0, "a command names server 5, but the run has 3");
    }
}

//! A run as a short text for a link: which protocol, its settings, the seed,
//! every user command with its moment, and the moment being shown.
//!
//! Format 1: `1.` followed by base64url (no padding) of a byte string of
//! LEB128 varints (see [`SharedRun`] for the order) and a 4-byte FNV-1a
//! checksum of everything before it. The version comes first so a later
//! format can still read, or at least name, an older one. Decoding never
//! panics: anything malformed, truncated or tampered with is an error that
//! says what is wrong.

use crate::kv::{ClientRequest, KvOp};
use crate::network::NetworkConfig;
use crate::sim::{Command, RecordedCommand, MAX_NODES};
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

/// Why a link could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareError(pub String);

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ShareError {}

fn fail<T>(msg: impl Into<String>) -> Result<T, ShareError> {
    Err(ShareError(msg.into()))
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
            return fail(format!(
                "the link has a character that does not belong in it at position {}",
                i + 1
            ));
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
        return fail("the link's length is not possible: it was cut short or padded");
    }
    Ok(out)
}

// ---- reading --------------------------------------------------------------------

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn u(&mut self, what: &str) -> Result<u64, ShareError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let Some(&b) = self.bytes.get(self.at) else {
                return fail(format!(
                    "the link ends in the middle of {what}: it was cut short"
                ));
            };
            self.at += 1;
            if shift == 63 && b > 1 {
                return fail(format!("{what} is too large"));
            }
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        fail(format!("{what} is too large"))
    }

    fn small(&mut self, what: &str, max: u64) -> Result<u64, ShareError> {
        let v = self.u(what)?;
        if v > max {
            return fail(format!("{what} is {v}, more than {max}"));
        }
        Ok(v)
    }

    fn node(&mut self, nodes: usize) -> Result<usize, ShareError> {
        let n = self.u("a server number")?;
        if n >= nodes as u64 {
            return fail(format!(
                "a command names server {}, but the run has {nodes}",
                n.saturating_add(1)
            ));
        }
        Ok(n as usize)
    }

    fn key(&mut self) -> Result<char, ShareError> {
        let k = self.u("a key")?;
        u32::try_from(k)
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(|| ShareError(format!("{k} is not a key (a character)")))
    }

    fn u32(&mut self, what: &str) -> Result<u32, ShareError> {
        let v = self.u(what)?;
        u32::try_from(v).map_err(|_| ShareError(format!("{what} is {v}, too large")))
    }

    fn op(&mut self) -> Result<KvOp, ShareError> {
        match self.u("an operation")? {
            0 => Ok(KvOp::Set {
                key: self.key()?,
                value: self.u32("a value")?,
            }),
            1 => Ok(KvOp::Add {
                key: self.key()?,
                by: self.u32("an amount")?,
            }),
            t => fail(format!("operation kind {t} does not exist")),
        }
    }

    fn command(&mut self, nodes: usize) -> Result<Command, ShareError> {
        Ok(match self.u("a command's kind")? {
            0 => Command::DropMessage {
                id: self.u("a message id")?,
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
                    id: self.u("a request id")?,
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
                    latency_min: self.u("a latency")?,
                    latency_max: self.u("a latency")?,
                    loss_per_mille: self.small("a loss rate", 1000)? as u32,
                    ordered: self.small("a flag", 1)? == 1,
                },
            },
            9 => Command::DuplicateMessage {
                id: self.u("a message id")?,
            },
            10 => Command::DelayMessage {
                id: self.u("a message id")?,
                by: self.u("a delay")?,
            },
            11 => Command::Isolate {
                node: self.node(nodes)?,
            },
            12 => Command::Rejoin {
                node: self.node(nodes)?,
            },
            13 => {
                let len = self.small("a group's size", nodes as u64)?;
                let side = (0..len)
                    .map(|_| self.node(nodes))
                    .collect::<Result<Vec<_>, _>>()?;
                Command::Partition { side }
            }
            14 => Command::AlignTimers,
            15 => Command::SpreadTimers,
            t => return fail(format!("command kind {t} does not exist")),
        })
    }
}

/// Reads link text written by [`encode`]. Every way it can be wrong is an
/// error naming the problem; whether the commands replay is for the caller
/// to check (e.g. with `Timeline::from_recording`).
pub fn decode(text: &str) -> Result<SharedRun, ShareError> {
    let text = text.trim();
    let Some((version, body)) = text.split_once('.') else {
        return fail("this is not a Quorum run link (it has no format version)");
    };
    match version.parse::<u32>() {
        Ok(FORMAT) => {}
        Ok(v) if v > FORMAT => {
            return fail(format!(
                "the link is in format {v}, newer than this page reads ({FORMAT}); open it with a newer Quorum"
            ))
        }
        _ => return fail(format!("“{version}” is not a run link format this page knows")),
    }
    let bytes = from_base64url(body)?;
    if bytes.len() < 4 {
        return fail("the link is too short to hold a run");
    }
    let (payload, sum) = bytes.split_at(bytes.len() - 4);
    if checksum(payload).to_le_bytes() != sum {
        return fail(
            "the link is damaged: its checksum does not match (it was cut short or changed)",
        );
    }
    let mut r = Reader {
        bytes: payload,
        at: 0,
    };
    let name_len = r.small("the protocol's name length", MAX_NAME as u64)? as usize;
    let Some(name) = payload.get(r.at..r.at + name_len) else {
        return fail("the link ends in the protocol's name: it was cut short");
    };
    r.at += name_len;
    let protocol = std::str::from_utf8(name)
        .map_err(|_| ShareError("the protocol's name is not text".into()))?
        .to_string();
    let nodes = r.small("the number of servers", MAX_NODES as u64)? as usize;
    if nodes == 0 {
        return fail("the run has no servers");
    }
    let seed = r.u("the seed")?;
    let param_count = r.small("the number of settings", MAX_PARAMS as u64)?;
    let params = (0..param_count)
        .map(|_| r.u("a setting"))
        .collect::<Result<Vec<_>, _>>()?;
    let moment = (r.u("the moment's event count")?, r.u("the moment's time")?);
    let count = r.small("the number of commands", MAX_COMMANDS as u64)?;
    let mut commands = Vec::with_capacity(count as usize);
    let (mut at, mut after) = (0u64, 0u64);
    for _ in 0..count {
        at = at
            .checked_add(r.u("a command's time")?)
            .ok_or_else(|| ShareError("a command's time is too large".into()))?;
        after = after
            .checked_add(r.u("a command's event count")?)
            .ok_or_else(|| ShareError("a command's event count is too large".into()))?;
        let command = r.command(nodes)?;
        commands.push(RecordedCommand {
            at,
            after_events: after,
            command,
        });
    }
    if r.at != payload.len() {
        return fail("the link has bytes after the run: it was changed");
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
}

//! Scenarios packed for the page.
//!
//! A scenario is written as JSON (`crates/sim/scenarios/<protocol>/*.json`),
//! which is easy to read and review but would cost the page a JSON parser.
//! The tool in `main.rs` (run by Trunk before every build, see `Trunk.toml`)
//! checks each scenario and packs it with postcard, a compact binary form of
//! the same serde types, into `scenarios/<name>.bin`, and lists them all in
//! `scenarios/index.bin`. The page fetches a scenario only when it is
//! opened, and the list only when the menu is.
//!
//! Each file starts with a byte saying its packing's version, so a page
//! never misreads a file packed another way.

use quorum_sim::scenario::{ScenarioOf, Scripted, Text};
use serde::{Deserialize, Serialize};

/// The version of a packed scenario.
pub const SCENARIO_VERSION: u8 = 1;
/// The version of the packed list of scenarios.
pub const INDEX_VERSION: u8 = 1;

/// What the list of scenarios shows of one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    pub name: String,
    /// `Protocol::NAME` of the protocol it runs.
    pub protocol: String,
    pub title: Text,
    pub summary: Text,
}

/// Why packed bytes could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unpacked {
    Empty,
    /// Packed in another version (the page is older or newer than the file).
    Version(u8),
    /// The bytes do not decode as what they should be.
    Damaged,
}

fn pack<T: Serialize>(version: u8, value: &T) -> Vec<u8> {
    let mut bytes = vec![version];
    bytes.extend(postcard::to_allocvec(value).expect("scenario data always packs"));
    bytes
}

fn unpack<'a, T: Deserialize<'a>>(version: u8, bytes: &'a [u8]) -> Result<T, Unpacked> {
    let (&v, body) = bytes.split_first().ok_or(Unpacked::Empty)?;
    if v != version {
        return Err(Unpacked::Version(v));
    }
    postcard::from_bytes(body).map_err(|_| Unpacked::Damaged)
}

pub fn pack_scenario<P: Scripted>(scenario: &ScenarioOf<P>) -> Vec<u8> {
    pack(SCENARIO_VERSION, scenario)
}

pub fn unpack_scenario<P: Scripted>(bytes: &[u8]) -> Result<ScenarioOf<P>, Unpacked> {
    unpack(SCENARIO_VERSION, bytes)
}

pub fn pack_index(listings: &[Listing]) -> Vec<u8> {
    pack(INDEX_VERSION, &listings)
}

pub fn unpack_index(bytes: &[u8]) -> Result<Vec<Listing>, Unpacked> {
    unpack(INDEX_VERSION, bytes)
}

//! The scenarios that come with Quorum, as the page finds them: each packed
//! by `crates/pack` into `scenarios/<name>.bin` and listed in
//! `scenarios/index.bin`, next to the page; fetched when wanted.

pub use quorum_pack::{unpack_index, Listing};

/// Where scenario `name` is, relative to the page.
pub fn url_of(name: &str) -> String {
    format!("scenarios/{name}.bin")
}

/// Where the list of scenarios is, relative to the page.
pub const INDEX_URL: &str = "scenarios/index.bin";

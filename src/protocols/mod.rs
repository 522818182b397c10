//! One folder per protocol: what its page needs (glyphs, fields, words in
//! English and Chinese, claims, panel) and its bundle's `main.rs`. The list
//! of them is `crate::registry`.

pub mod multipaxos;
pub mod paxos;
pub mod raft;
pub mod vr;
pub mod zab;

//! Raft's safety checker and the check types under the path they had before
//! issue 10: they now live in [`crate::raft`] (`raft/safety.rs`) and
//! [`crate::check`].

pub use crate::check::{Checked, Violation};
pub use crate::raft::{RaftSafety, RAFT_PROPERTIES};

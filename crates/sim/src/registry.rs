//! The one list of the protocols in the core.
//!
//! Each protocol is declared once, below: its type, its name (as in
//! `?algo=`, which a test checks is its `Protocol::NAME`) and its scenarios,
//! in the order the page lists them. A scenario's file is
//! `crates/sim/scenarios/<protocol>/<scenario>.json`; the library does not
//! carry the files' text (the page fetches or embeds what it shows; tests and
//! tools read the files).
//!
//! Code that must do something for every protocol, generically, implements
//! [`Visit`] and calls [`each`]:
//!
//! ```
//! use quorum_sim::registry::{each, Registered, Visit};
//!
//! struct Names(Vec<&'static str>);
//! impl Visit for Names {
//!     fn visit<P: Registered>(&mut self) {
//!         self.0.push(P::LISTING.name);
//!     }
//! }
//! let mut names = Names(Vec::new());
//! each(&mut names);
//! assert_eq!(names.0, ["raft", "paxos", "multipaxos", "vr", "zab", "pbft"]);
//! ```

use crate::chaos::Chaos;
use crate::check::Checked;
use crate::multipaxos::MultiPaxos;
use crate::paxos::Paxos;
use crate::pbft::Pbft;
use crate::protocol::Protocol;
use crate::raft::Raft;
use crate::scenario::Scripted;
use crate::vr::Vr;
use crate::zab::Zab;

/// A protocol as the registry lists it, without its types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Listing {
    /// As in `?algo=`: the protocol's `Protocol::NAME`.
    pub name: &'static str,
    /// Its scenarios' names, in the page's order; each starts with `<name>-`.
    pub scenarios: &'static [&'static str],
}

impl Listing {
    /// Where scenario `scenario` is, relative to the core's folder (`crates/sim`).
    pub fn scenario_path(&self, scenario: &str) -> String {
        format!("scenarios/{}/{scenario}.json", self.name)
    }
}

/// A protocol of the registry: all that generic code (tests, tools, the
/// page) needs to run it, check its safety, play its scenarios and fault it.
pub trait Registered: Protocol + Checked + Scripted + Chaos {
    /// Its line in the registry.
    const LISTING: Listing;
}

/// Something to do for every protocol: see [`each`].
pub trait Visit {
    fn visit<P: Registered>(&mut self);
}

macro_rules! registry {
    ($($protocol:ty => $name:literal, [$($scenario:literal),* $(,)?];)*) => {
        $(
            impl Registered for $protocol {
                const LISTING: Listing = Listing {
                    name: $name,
                    scenarios: &[$($scenario),*],
                };
            }
        )*

        /// Every protocol, in the page's order.
        pub const PROTOCOLS: &[Listing] = &[$(<$protocol as Registered>::LISTING),*];

        /// Calls `visitor.visit::<P>()` for every protocol `P`, in the page's order.
        pub fn each(visitor: &mut impl Visit) {
            $(visitor.visit::<$protocol>();)*
        }
    };
}

registry! {
    Raft => "raft", [
        "raft-first-election", "raft-split-vote", "raft-leader-crash", "raft-lagging-follower",
        "raft-isolated-leader", "raft-figure-7", "raft-figure-8", "raft-figure-8-commit",
        "raft-disruptive-server", "raft-pre-vote", "raft-check-quorum", "raft-leadership-transfer",
    ];
    Paxos => "paxos", [
        "paxos-one-proposer", "paxos-dueling-proposers", "paxos-acceptor-failures",
        "paxos-late-proposer",
    ];
    MultiPaxos => "multipaxos", ["multipaxos-leader-change", "multipaxos-primary-order"];
    Vr => "vr", [
        "vr-lagging-view-change", "vr-recovery-nonce", "vr-partitioned-primary",
        "vr-literal-state-transfer",
    ];
    Zab => "zab", ["zab-leader-crash-in-sync", "zab-stale-epoch-rejoin", "zab-primary-order"];
    Pbft => "pbft", ["pbft-normal-case", "pbft-equivocating-primary", "pbft-two-liars"];
}

/// The protocol listed as `name` (`?algo=`).
pub fn find(name: &str) -> Option<&'static Listing> {
    PROTOCOLS.iter().find(|p| p.name == name)
}

/// The protocol that has the scenario `name`.
pub fn protocol_of_scenario(name: &str) -> Option<&'static Listing> {
    PROTOCOLS.iter().find(|p| p.scenarios.contains(&name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocols_and_scenarios_are_found_by_name() {
        assert_eq!(find("paxos").map(|p| p.name), Some("paxos"));
        assert_eq!(find("zab").map(|p| p.name), Some("zab"));
        assert_eq!(find("epaxos"), None);
        let owner = protocol_of_scenario("raft-figure-8").map(|p| p.name);
        assert_eq!(owner, Some("raft"));
        assert_eq!(
            Raft::LISTING.scenario_path("raft-figure-8"),
            "scenarios/raft/raft-figure-8.json"
        );
    }
}

//! The one list of the protocols the page offers.
//!
//! Each protocol is one folder, `src/protocols/<name>/`, declaring its
//! [`Info`] (what every page knows of it: its name, title, the parameters
//! that shape a run, its scenarios) and implementing [`crate::run::Drawn`]
//! (what its own page draws). Each is built into its own wasm bundle
//! (`src/protocols/<name>/main.rs`, a `[[bin]]` of `Cargo.toml`, a
//! `<link data-trunk rel="rust">` of `index.html`), so a page carries only
//! its protocol. Nothing outside those folders and this file names a
//! protocol; `tests/registry.rs` checks it.

pub use crate::protocols::{multipaxos, paxos, raft, vr, zab};

/// Every protocol, in the order the page lists them.
pub static PROTOCOLS: [&Info; 5] = [
    &raft::INFO,
    &paxos::INFO,
    &multipaxos::INFO,
    &vr::INFO,
    &zab::INFO,
];

/// What every page knows of a protocol: enough to link to it, list its
/// scenarios and read its parameters, nothing of how it runs.
#[derive(Debug, PartialEq, Eq)]
pub struct Info {
    /// `Protocol::NAME`, as in `?algo=`, and the bundle's name (`quorum-<name>`).
    pub name: &'static str,
    /// As people write it: `Multi-Paxos`.
    pub title: &'static str,
    /// The parameters that shape a run (`nodes`, or Paxos's role counts), in order.
    pub shape: &'static [Param],
    /// Its scenarios, in the order the page lists them.
    pub scenarios: &'static [&'static str],
    /// Extensions a person can turn on or off (Raft's PreVote, ...), each a
    /// `key=1` of the address; off by default, so a run without them is the
    /// run it was before they existed. A run's shape carries one 0 or 1 per
    /// switch after its [`Info::shape`] values.
    pub switches: &'static [Switch],
}

/// An extension of the protocol that the page turns on or off.
#[derive(Debug, PartialEq, Eq)]
pub struct Switch {
    /// The address's `key=1` (`prevote`).
    pub key: &'static str,
    /// Its name, as the control says it (`PreVote`).
    pub name: (&'static str, &'static str),
    /// What it does, in one line for a beginner.
    pub explains: (&'static str, &'static str),
    /// Where the paper or the thesis defines it (`thesis 9.6`).
    pub section: (&'static str, &'static str),
}

/// A whole-number parameter of the address that shapes a run.
#[derive(Debug, PartialEq, Eq)]
pub struct Param {
    pub key: &'static str,
    pub min: usize,
    pub max: usize,
    pub default: usize,
    /// What it counts, as the refusal of a bad value says it: `("servers", "台服务器")`.
    pub counts: (&'static str, &'static str),
}

impl Info {
    /// The default shape: every parameter at its default, every switch off.
    pub fn default_shape(&self) -> Vec<usize> {
        let params = self.shape.iter().map(|p| p.default);
        params.chain(self.switches.iter().map(|_| 0)).collect()
    }

    /// Whether its shape is only a cluster size (the faults panel then offers sizes).
    pub fn sized(&self) -> bool {
        matches!(self.shape, [p] if p.key == "nodes")
    }

    /// The address of a new run of this shape and seed: `?algo=raft&nodes=5&seed=42`,
    /// with `&prevote=1` for each switch on (one off is left out, as before it existed).
    pub fn query(&self, shape: &[usize], seed: u64) -> String {
        let mut q = format!("?algo={}", self.name);
        for (p, v) in self.shape.iter().zip(shape) {
            q += &format!("&{}={v}", p.key);
        }
        let switches = shape.get(self.shape.len()..).unwrap_or_default();
        for (s, _) in self
            .switches
            .iter()
            .zip(switches)
            .filter(|(_, &on)| on == 1)
        {
            q += &format!("&{}=1", s.key);
        }
        q + &format!("&seed={seed}")
    }

    /// Whether `scenario` is one of this protocol's.
    pub fn has_scenario(&self, scenario: &str) -> bool {
        self.scenarios.contains(&scenario)
    }
}

/// The protocol called `name` (in any case).
pub fn find(name: &str) -> Option<&'static Info> {
    let name = name.to_ascii_lowercase();
    PROTOCOLS.iter().copied().find(|p| p.name == name)
}

/// The protocol whose scenario `scenario` is: its name is `<protocol>-...`.
pub fn of_scenario(scenario: &str) -> Option<&'static Info> {
    PROTOCOLS.iter().copied().find(|p| p.has_scenario(scenario))
}

/// Every protocol's page, natively (tests and tools); a wasm bundle carries
/// only its own (see `main.rs` in each protocol's folder).
#[cfg(not(target_arch = "wasm32"))]
pub fn page(name: &str) -> Option<&'static dyn crate::run::Page> {
    match name {
        "raft" => Some(&raft::PAGE),
        "paxos" => Some(&paxos::PAGE),
        "multipaxos" => Some(&multipaxos::PAGE),
        "vr" => Some(&vr::PAGE),
        "zab" => Some(&zab::PAGE),
        _ => None,
    }
}

/// A scenario of the catalog, packed as `crates/pack` packs it for the page
/// (tests open scenarios the way the page does, from these bytes).
#[cfg(test)]
pub fn packed_scenario(name: &str) -> Vec<u8> {
    fn pack<P: quorum_sim::scenario::Scripted>(json: &str) -> Vec<u8> {
        let scenario: quorum_sim::scenario::ScenarioOf<P> =
            serde_json::from_str(json).expect("a catalog scenario parses");
        quorum_pack::pack_scenario::<P>(&scenario)
    }
    let protocol = of_scenario(name).expect("a scenario of the catalog").name;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/crates/sim/scenarios");
    let json = std::fs::read_to_string(format!("{dir}/{protocol}/{name}.json"))
        .or_else(|_| std::fs::read_to_string(format!("{dir}/{name}.json")))
        .expect("the scenario's file");
    match protocol {
        "raft" => pack::<quorum_sim::raft::Raft>(&json),
        "paxos" => pack::<quorum_sim::paxos::Paxos>(&json),
        "multipaxos" => pack::<quorum_sim::multipaxos::MultiPaxos>(&json),
        "vr" => pack::<quorum_sim::vr::Vr>(&json),
        "zab" => pack::<quorum_sim::zab::Zab>(&json),
        other => panic!("no protocol {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_every_protocol_has_a_page() {
        for (i, p) in PROTOCOLS.iter().enumerate() {
            assert!(PROTOCOLS[..i].iter().all(|q| q.name != p.name));
            let page = page(p.name).expect("a page");
            assert_eq!(page.info(), *p);
            assert_eq!(find(&p.name.to_ascii_uppercase()), Some(*p));
        }
    }

    #[test]
    fn scenario_names_carry_their_protocols_name() {
        for p in PROTOCOLS {
            for s in p.scenarios {
                assert!(s.starts_with(&format!("{}-", p.name)), "{s}");
                assert_eq!(of_scenario(s), Some(p));
            }
        }
    }

    #[test]
    fn a_query_names_every_shape_parameter() {
        assert_eq!(raft::INFO.query(&[7], 42), "?algo=raft&nodes=7&seed=42");
        assert_eq!(
            paxos::INFO.query(&[2, 3, 1], 9),
            "?algo=paxos&proposers=2&acceptors=3&learners=1&seed=9"
        );
        assert!(raft::INFO.sized() && !paxos::INFO.sized());
    }

    #[test]
    fn a_query_names_only_the_switches_that_are_on() {
        let off = raft::INFO.default_shape();
        assert_eq!(off.len(), 1 + raft::INFO.switches.len());
        assert_eq!(raft::INFO.query(&off, 42), "?algo=raft&nodes=5&seed=42");
        let mut on = off.clone();
        on[1] = 1;
        let key = raft::INFO.switches[0].key;
        assert_eq!(
            raft::INFO.query(&on, 42),
            format!("?algo=raft&nodes=5&{key}=1&seed=42")
        );
        for p in PROTOCOLS {
            for (i, s) in p.switches.iter().enumerate() {
                assert!(p.switches[..i].iter().all(|t| t.key != s.key), "{}", s.key);
                assert!(p.shape.iter().all(|q| q.key != s.key), "{}", s.key);
            }
        }
    }
}

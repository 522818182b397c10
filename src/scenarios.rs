//! The scenarios that come with Quorum (`quorum_sim::registry`), as
//! the page lists and loads them.

use crate::i18n::{text, Text};
use crate::protocols::Viewed;
use crate::url::Algo;
use quorum_sim::scenario::ScenarioOf;
use serde::Deserialize;

/// The scenarios' text, embedded in the page as before: the core no longer
/// carries it (issue 10). Files and order as in `quorum_sim::registry`.
mod catalog {
    pub const RAFT: &[&str] = &[
        include_str!("../crates/sim/scenarios/raft/raft-first-election.json"),
        include_str!("../crates/sim/scenarios/raft/raft-split-vote.json"),
        include_str!("../crates/sim/scenarios/raft/raft-leader-crash.json"),
        include_str!("../crates/sim/scenarios/raft/raft-lagging-follower.json"),
        include_str!("../crates/sim/scenarios/raft/raft-isolated-leader.json"),
        include_str!("../crates/sim/scenarios/raft/raft-figure-7.json"),
        include_str!("../crates/sim/scenarios/raft/raft-figure-8.json"),
        include_str!("../crates/sim/scenarios/raft/raft-figure-8-commit.json"),
    ];
    pub const PAXOS: &[&str] = &[
        include_str!("../crates/sim/scenarios/paxos/paxos-one-proposer.json"),
        include_str!("../crates/sim/scenarios/paxos/paxos-dueling-proposers.json"),
        include_str!("../crates/sim/scenarios/paxos/paxos-acceptor-failures.json"),
        include_str!("../crates/sim/scenarios/paxos/paxos-late-proposer.json"),
    ];
    pub const MULTIPAXOS: &[&str] = &[include_str!(
        "../crates/sim/scenarios/multipaxos/multipaxos-leader-change.json"
    )];

    pub fn of(name: &str) -> &'static [&'static str] {
        match name {
            "raft" => RAFT,
            "paxos" => PAXOS,
            "multipaxos" => MULTIPAXOS,
            _ => &[],
        }
    }
}

/// What the list of scenarios shows of one.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ScenarioInfo {
    pub name: String,
    pub protocol: String,
    pub title: Text,
    pub summary: Text,
}

impl ScenarioInfo {
    pub fn algo(&self) -> Option<Algo> {
        Algo::parse(&self.protocol)
    }
}

/// Every scenario, Raft's first, in the catalog's order.
pub fn all() -> Vec<ScenarioInfo> {
    [catalog::RAFT, catalog::PAXOS, catalog::MULTIPAXOS]
        .into_iter()
        .flatten()
        .filter_map(|json| serde_json::from_str::<ScenarioInfo>(json).ok())
        .collect()
}

/// The scenario called `name`, if there is one.
pub fn find(name: &str) -> Option<ScenarioInfo> {
    all().into_iter().find(|s| s.name == name)
}

/// The whole scenario `name` for protocol `P`, or why it cannot be used.
pub fn load<P: Viewed>(name: &str) -> Result<ScenarioOf<P>, Text> {
    let json = catalog::of(P::NAME)
        .iter()
        .find(|json| serde_json::from_str::<ScenarioInfo>(json).is_ok_and(|info| info.name == name))
        .ok_or_else(|| {
            text(
                format!("there is no {} scenario called “{name}”", P::NAME),
                format!("没有名为“{name}”的 {} 场景", P::NAME),
            )
        })?;
    let scenario: ScenarioOf<P> = serde_json::from_str(json).map_err(|e| {
        text(
            format!("scenario “{name}” is malformed: {e}"),
            format!("场景“{name}”格式有误：{e}"),
        )
    })?;
    scenario.validate(P::NAME).map_err(|e| {
        text(
            format!("scenario “{name}” cannot be used: {e}"),
            format!("场景“{name}”无法使用：{e}"),
        )
    })?;
    Ok(scenario)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quorum_sim::multipaxos::MultiPaxos;
    use quorum_sim::paxos::Paxos;
    use quorum_sim::raft::Raft;

    #[test]
    fn every_scenario_in_the_catalog_is_listed_and_loads() {
        let all = all();
        let total = catalog::RAFT.len() + catalog::PAXOS.len() + catalog::MULTIPAXOS.len();
        assert_eq!(all.len(), total, "each parses as a listing");
        for info in &all {
            let loaded = match info.algo().expect("a protocol the page runs") {
                Algo::Raft => load::<Raft>(&info.name).map(|s| s.name),
                Algo::Paxos => load::<Paxos>(&info.name).map(|s| s.name),
                Algo::MultiPaxos => load::<MultiPaxos>(&info.name).map(|s| s.name),
            };
            assert_eq!(loaded.as_ref(), Ok(&info.name));
            assert_eq!(find(&info.name).as_ref(), Some(info));
        }
    }

    #[test]
    fn the_embedded_scenarios_are_the_registrys() {
        let embedded: Vec<(String, String)> = all()
            .into_iter()
            .map(|info| (info.protocol, info.name))
            .collect();
        let registered: Vec<(String, String)> = quorum_sim::registry::PROTOCOLS
            .iter()
            .flat_map(|p| {
                p.scenarios
                    .iter()
                    .map(|s| (p.name.to_string(), s.to_string()))
            })
            .collect();
        assert_eq!(embedded, registered);
    }

    #[test]
    fn an_unknown_or_foreign_scenario_is_named() {
        assert!(find("no-such-thing").is_none());
        let e = load::<Raft>("no-such-thing").unwrap_err();
        assert!(e.en.contains("no raft scenario called “no-such-thing”"));
        assert!(e.zh.contains("no-such-thing"));
        assert!(load::<Paxos>("raft-first-election").is_err());
    }
}

//! The scenarios that come with Quorum (`quorum_sim::scenario::catalog`), as
//! the page lists and loads them.

use crate::i18n::{text, Text};
use crate::protocols::Viewed;
use crate::url::Algo;
use quorum_sim::scenario::{catalog, ScenarioOf};
use serde::Deserialize;

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
    fn an_unknown_or_foreign_scenario_is_named() {
        assert!(find("no-such-thing").is_none());
        let e = load::<Raft>("no-such-thing").unwrap_err();
        assert!(e.en.contains("no raft scenario called “no-such-thing”"));
        assert!(e.zh.contains("no-such-thing"));
        assert!(load::<Paxos>("raft-first-election").is_err());
    }
}

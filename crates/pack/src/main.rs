//! Packs every scenario of the catalog for the page: `quorum-pack DIR`
//! writes `DIR/scenarios/<name>.bin` for each and `DIR/scenarios/index.bin`
//! listing them. Trunk runs it before each build with its staging directory
//! (`Trunk.toml`), so the files go out with the site. A scenario that does
//! not parse, validate or play stops the build, naming it.

use quorum_pack::{pack_index, pack_scenario, Listing};
use quorum_sim::multipaxos::MultiPaxos;
use quorum_sim::paxos::Paxos;
use quorum_sim::raft::Raft;
use quorum_sim::scenario::{catalog, ScenarioOf, Scripted};
use std::path::Path;

fn pack_protocol<P: Scripted>(dir: &Path, listings: &mut Vec<Listing>) -> Result<(), String> {
    for json in catalog::of(P::NAME) {
        let scenario: ScenarioOf<P> =
            serde_json::from_str(json).map_err(|e| format!("a {} scenario: {e}", P::NAME))?;
        scenario.validate(P::NAME).map_err(|e| e.to_string())?;
        scenario
            .timeline::<P>(u64::MAX)
            .map_err(|e| format!("scenario {} does not play: {e}", scenario.name))?;
        let path = dir.join(format!("{}.bin", scenario.name));
        std::fs::write(&path, pack_scenario::<P>(&scenario))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        listings.push(Listing {
            name: scenario.name.clone(),
            protocol: P::NAME.to_string(),
            title: scenario.title.clone(),
            summary: scenario.summary.clone(),
        });
    }
    Ok(())
}

fn run(out: &Path) -> Result<usize, String> {
    let dir = out.join("scenarios");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut listings = Vec::new();
    pack_protocol::<Raft>(&dir, &mut listings)?;
    pack_protocol::<Paxos>(&dir, &mut listings)?;
    pack_protocol::<MultiPaxos>(&dir, &mut listings)?;
    let index = dir.join("index.bin");
    std::fs::write(&index, pack_index(&listings))
        .map_err(|e| format!("{}: {e}", index.display()))?;
    Ok(listings.len())
}

fn main() {
    let out = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("TRUNK_STAGING_DIR").ok());
    let Some(out) = out else {
        eprintln!("usage: quorum-pack DIR (or set TRUNK_STAGING_DIR)");
        std::process::exit(2);
    };
    match run(Path::new(&out)) {
        Ok(n) => eprintln!("quorum-pack: {n} scenarios packed into {out}/scenarios"),
        Err(e) => {
            eprintln!("quorum-pack: {e}");
            std::process::exit(1);
        }
    }
}

//! Packs every scenario of the core's registry for the page: `quorum-pack
//! DIR` writes `DIR/scenarios/<name>.bin` for each and
//! `DIR/scenarios/index.bin` listing them. Trunk runs it before each build
//! with its staging directory (`Trunk.toml`), so the files go out with the
//! site. A scenario that does not parse, validate or play stops the build,
//! naming it.

use quorum_pack::{pack_index, pack_scenario, Listing};
use quorum_sim::registry::{each, Registered, Visit};
use quorum_sim::scenario::ScenarioOf;
use std::path::{Path, PathBuf};

struct Pack {
    out: PathBuf,
    listings: Vec<Listing>,
    error: Option<String>,
}

impl Pack {
    fn protocol<P: Registered>(&mut self) -> Result<(), String> {
        let core = Path::new(env!("CARGO_MANIFEST_DIR")).join("../sim");
        for name in P::LISTING.scenarios {
            let path = core.join(P::LISTING.scenario_path(name));
            let json =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let scenario: ScenarioOf<P> =
                serde_json::from_str(&json).map_err(|e| format!("{}: {e}", path.display()))?;
            scenario.validate(P::NAME).map_err(|e| e.to_string())?;
            if scenario.name != *name {
                return Err(format!("{} is called {}", path.display(), scenario.name));
            }
            scenario
                .timeline::<P>(u64::MAX)
                .map_err(|e| format!("scenario {name} does not play: {e}"))?;
            let file = self.out.join(format!("{name}.bin"));
            std::fs::write(&file, pack_scenario::<P>(&scenario))
                .map_err(|e| format!("{}: {e}", file.display()))?;
            self.listings.push(Listing {
                name: scenario.name.clone(),
                protocol: P::NAME.to_string(),
                title: scenario.title.clone(),
                summary: scenario.summary.clone(),
            });
        }
        Ok(())
    }
}

impl Visit for Pack {
    fn visit<P: Registered>(&mut self) {
        if self.error.is_none() {
            self.error = self.protocol::<P>().err();
        }
    }
}

fn run(out: &Path) -> Result<usize, String> {
    let dir = out.join("scenarios");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut pack = Pack {
        out: dir.clone(),
        listings: Vec::new(),
        error: None,
    };
    each(&mut pack);
    if let Some(e) = pack.error {
        return Err(e);
    }
    let index = dir.join("index.bin");
    std::fs::write(&index, pack_index(&pack.listings))
        .map_err(|e| format!("{}: {e}", index.display()))?;
    Ok(pack.listings.len())
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

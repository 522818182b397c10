//! PBFT under the shared randomized fault driver (`quorum_sim::chaos`):
//! crashes, restarts, dropped, duplicated and delayed messages, cut links,
//! splits, loss, forced timeouts and client requests, and up to `f` replicas
//! turned Byzantine with every behaviour. Every safety property is checked
//! after every event; once the faults stop, the client's last request must be
//! accepted (the view changes until its primary is correct).
//!
//! `QUORUM_SEEDS` (default 1000), `QUORUM_EVENTS` (default 2000) and
//! `QUORUM_FIRST_SEED` (default 0) make it longer outside CI.

use quorum_sim::chaos;
use quorum_sim::pbft::Pbft;
use quorum_sim::Behaviour;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn pbft_safety_holds_with_up_to_f_liars_under_faults_and_the_client_is_answered_after() {
    let seeds = env_or("QUORUM_SEEDS", 1000);
    let fault_events = env_or("QUORUM_EVENTS", 2000);
    let first = env_or("QUORUM_FIRST_SEED", 0);
    let report =
        chaos::run::<Pbft>(first..first + seeds, fault_events).unwrap_or_else(|e| panic!("{e}"));
    println!("{report}");
    report.check().unwrap_or_else(|e| panic!("{e}"));
    if seeds >= 100 {
        for b in Behaviour::ALL {
            assert!(
                report.noted.contains_key(b.as_str()),
                "no replica ever lied as {b:?}: {:?}",
                report.noted
            );
        }
        assert!(report.kinds.contains_key("byzantine"));
        for what in ["new view", "stable checkpoint", "refused"] {
            assert!(
                report.noted.contains_key(what),
                "never a {what}: {:?}",
                report.noted
            );
        }
    }
}

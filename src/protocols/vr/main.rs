//! Viewstamped Replication's page: the bundle `quorum-vr`, which carries VR
//! and nothing of the other protocols.

fn main() {
    quorum::start(&quorum::registry::vr::PAGE);
}

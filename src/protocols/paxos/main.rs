//! Basic Paxos's page: the bundle `quorum-paxos`, which carries basic Paxos
//! and nothing of the other protocols.

fn main() {
    quorum::start(&quorum::registry::paxos::PAGE);
}

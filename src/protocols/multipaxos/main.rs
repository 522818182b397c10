//! Multi-Paxos's page: the bundle `quorum-multipaxos`, which carries
//! Multi-Paxos and nothing of the other protocols.

fn main() {
    quorum::start(&quorum::registry::multipaxos::PAGE);
}

//! Raft's page: the bundle `quorum-raft`, which carries Raft and nothing of
//! the other protocols.

fn main() {
    quorum::start(&quorum::registry::raft::PAGE);
}

//! Zab's page: the bundle `quorum-zab`, which carries Zab and nothing of
//! the other protocols.

fn main() {
    quorum::start(&quorum::registry::zab::PAGE);
}

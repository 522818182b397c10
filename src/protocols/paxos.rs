//! Basic Paxos on the page: its checker, and its events in plain words.

use super::Viewed;
use quorum_sim::invariants::Violation;
use quorum_sim::paxos::{
    Paxos, PaxosConfig, PaxosEvent, PaxosMessage, PaxosRole, PaxosSafety, PAXOS_PROPERTIES,
};
use quorum_sim::sim::EventOf;
use quorum_sim::{node_name, NodeId, Sim};

impl Viewed for Paxos {
    type Safety = PaxosSafety;
    type FeedMemory = ();

    const PROPERTIES: &'static [&'static str] = &PAXOS_PROPERTIES;

    fn observe(safety: &mut PaxosSafety, sim: &Sim<Paxos>, events: &[EventOf<Paxos>]) {
        // A violation is kept in the checker and shown on the page.
        let _ = safety.observe(sim, events);
    }

    fn violation(safety: &PaxosSafety) -> Option<&Violation> {
        safety.violation()
    }

    fn events_checked(safety: &PaxosSafety) -> u64 {
        safety.events_checked()
    }

    /// Basic Paxos has no leader; the keys that act on "the leader" act on
    /// the first running proposer.
    fn leader(sim: &Sim<Paxos>) -> Option<NodeId> {
        sim.nodes()
            .iter()
            .filter_map(|slot| slot.up())
            .find(|p| p.role == PaxosRole::Proposer)
            .map(|p| p.id)
    }

    fn share_params(config: &PaxosConfig) -> Vec<u64> {
        vec![config.proposers as u64, config.acceptors as u64]
    }

    fn config_from_params(params: &[u64]) -> Result<PaxosConfig, String> {
        use crate::url::{ACCEPTORS, PROPOSERS};
        match params {
            [p, a]
                if (PROPOSERS.0 as u64..=PROPOSERS.1 as u64).contains(p)
                    && (ACCEPTORS.0 as u64..=ACCEPTORS.1 as u64).contains(a) =>
            {
                Ok(PaxosConfig {
                    proposers: *p as usize,
                    acceptors: *a as usize,
                    ..PaxosConfig::default()
                })
            }
            _ => Err(format!(
                "the link's Paxos roles {params:?} are not 1-3 proposers and 3-7 acceptors"
            )),
        }
    }

    fn message_fields(msg: &PaxosMessage) -> Vec<(&'static str, String)> {
        let proposal = |p: &Option<(quorum_sim::paxos::Ballot, quorum_sim::paxos::Value)>| {
            p.map_or_else(|| "none".to_string(), |(b, v)| format!("({b}, {})", v.op))
        };
        match msg {
            PaxosMessage::Prepare { ballot } => vec![("n", ballot.to_string())],
            PaxosMessage::Promise { ballot, accepted } => vec![
                ("n", ballot.to_string()),
                ("highest accepted", proposal(accepted)),
            ],
            PaxosMessage::Accept { ballot, value } | PaxosMessage::Accepted { ballot, value } => {
                vec![("n", ballot.to_string()), ("v", value.op.to_string())]
            }
            PaxosMessage::Nack { ballot, promised } => vec![
                ("n", ballot.to_string()),
                ("promised", promised.to_string()),
            ],
            PaxosMessage::Query => vec![],
        }
    }

    fn describe(_: &mut (), node: NodeId, event: &PaxosEvent) -> Option<String> {
        let name = node_name(node);
        Some(match event {
            PaxosEvent::Started {
                recovered: true, ..
            } => format!("{name} restarted from what it persisted"),
            PaxosEvent::Started { .. } => return None,
            PaxosEvent::ValueReceived { value } => {
                format!("A client asked {name} to propose {}", value.op)
            }
            PaxosEvent::Prepared { ballot } => {
                format!("{name} sent Prepare({ballot}) to the acceptors (phase 1)")
            }
            PaxosEvent::Promised { ballot, accepted } => match accepted {
                Some((b, v)) => format!(
                    "{name} promised {ballot}, reporting it accepted {} with {b}",
                    v.op
                ),
                None => format!("{name} promised {ballot}, having accepted nothing"),
            },
            PaxosEvent::Refused { ballot, promised } => {
                format!("{name} refused {ballot}: it promised {promised}")
            }
            PaxosEvent::AcceptSent {
                ballot,
                value,
                adopted,
            } => {
                let whose = if *adopted {
                    "the value an acceptor had accepted"
                } else {
                    "its own value"
                };
                format!(
                    "{name} had a majority of promises and sent Accept({ballot}, {}), {whose} (phase 2)",
                    value.op
                )
            }
            PaxosEvent::Accepted { ballot, value } => {
                format!("{name} accepted ({ballot}, {})", value.op)
            }
            PaxosEvent::Preempted { ballot, by } => {
                format!("{name} was pre-empted: {ballot} lost to {by}; it backs off")
            }
            PaxosEvent::Learned { value } => format!("{name} learned that {} was chosen", value.op),
            PaxosEvent::RequestRefused { value } => {
                format!("{name} is not a proposer and ignored {}", value.op)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::feed::Feed;
    use quorum_sim::kv::KvOp;
    use quorum_sim::paxos::{Paxos, PaxosConfig};
    use quorum_sim::{Command, Sim, SimConfig, MS};

    #[test]
    fn a_run_reads_phase_by_phase() {
        let mut sim = Sim::<Paxos>::new(SimConfig::<PaxosConfig>::new(6, 1)).unwrap();
        let mut feed = Feed::<Paxos>::default();
        let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
        feed.record(
            &sim.apply(Command::ClientRequest { node: 0, request })
                .unwrap(),
        );
        feed.record(&sim.advance_to(500 * MS));
        let lines: Vec<String> = feed.lines().map(|l| l.text.clone()).collect();
        assert_eq!(lines[0], "S6 learned that x←1 was chosen", "{lines:?}");
        assert!(
            lines.iter().any(|l| l.starts_with(
                "S1 had a majority of promises and sent Accept(1.1, x←1), its own value"
            )),
            "{lines:?}"
        );
    }
}

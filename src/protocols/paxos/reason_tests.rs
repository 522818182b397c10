//! Why a Paxos proposer retries, and what is the case instead of a false
//! claim, in both languages.

use super::words::{describe, fact};
use super::Paxos;
use crate::feed::Feed;
use crate::i18n::{english_in, Lang};
use crate::run::narration::{assert_worded, Requests};
use crate::run::Drawn;
use quorum_sim::kv::KvOp;
use quorum_sim::paxos::{Ballot, PaxosEvent, PaxosFact, PhaseName, PrepareReason};
use quorum_sim::scenario::ServerFact;
use quorum_sim::{Command, Sim, MS};

fn b(round: u64, proposer: usize) -> Ballot {
    Ballot { round, proposer }
}

fn kind(f: &PaxosFact) -> usize {
    match f {
        PaxosFact::Server(_) => 0,
        PaxosFact::Promised { .. } => 1,
        PaxosFact::Accepted { .. } => 2,
        PaxosFact::MajorityHolds { .. } => 3,
        PaxosFact::Learned { .. } => 4,
        PaxosFact::Phase { .. } => 5,
        PaxosFact::Proposes { .. } => 6,
    }
}

#[test]
fn every_fact_is_worded_in_both_languages() {
    let facts = [
        PaxosFact::Server(ServerFact::Missing(7)),
        PaxosFact::Server(ServerFact::Crashed(1)),
        PaxosFact::Server(ServerFact::Running(1)),
        PaxosFact::Promised {
            node: 2,
            ballot: Some(b(2, 1)),
        },
        PaxosFact::Promised {
            node: 2,
            ballot: None,
        },
        PaxosFact::Accepted {
            node: 2,
            proposal: Some((b(1, 0), 1)),
        },
        PaxosFact::Accepted {
            node: 2,
            proposal: None,
        },
        PaxosFact::MajorityHolds {
            proposal: Some((b(1, 0), 1)),
        },
        PaxosFact::MajorityHolds { proposal: None },
        PaxosFact::Learned {
            node: 0,
            value: Some(2),
        },
        PaxosFact::Learned {
            node: 0,
            value: None,
        },
        PaxosFact::Phase {
            node: 0,
            phase: PhaseName::Idle,
            ballot: None,
        },
        PaxosFact::Phase {
            node: 0,
            phase: PhaseName::Preparing,
            ballot: Some(b(2, 0)),
        },
        PaxosFact::Phase {
            node: 0,
            phase: PhaseName::Accepting,
            ballot: Some(b(2, 0)),
        },
        PaxosFact::Proposes {
            node: 1,
            proposal: (b(4, 1), 1),
        },
    ];
    let requests: Requests = [(1, "x←1".to_string())].into();
    assert_worded(&facts, kind, 7, |f, l| fact(f, l, &requests), &[]);
    // A request the scenario does not send is named by its id.
    let learned = &facts[9];
    assert_eq!(fact(learned, Lang::En, &requests), "S1 learned request 2");
    assert_eq!(
        fact(&facts[7], Lang::Zh, &requests),
        "过半数的接受者接受了 (1.1, x←1)"
    );
}

/// The feed line of S1's Prepare(3.1) for `why`, in both languages.
fn prepared(why: PrepareReason, forced: bool) -> (String, String) {
    let mut memory = forced.then_some(0);
    let event = PaxosEvent::Prepared {
        ballot: b(3, 0),
        why,
    };
    let t = describe(&mut memory, 0, &event).unwrap();
    assert_eq!(memory, None, "a forced timeout is told once");
    (t.en, t.zh)
}

#[test]
fn a_new_ballot_says_why_in_both_languages() {
    let retries = [
        PrepareReason::Refused {
            ballot: b(2, 0),
            by: b(2, 1),
        },
        PrepareReason::NoPromises { ballot: b(2, 0) },
        PrepareReason::NoAccepts { ballot: b(2, 0) },
    ];
    for why in retries {
        let (en, zh) = prepared(why, false);
        assert!(en.starts_with("S1 retried with Prepare(3.1): "), "{en}");
        assert!(en.contains("2.1"), "names the ballot that failed: {en}");
        assert!(zh.starts_with("S1 以 Prepare(3.1) 重试："), "{zh}");
        assert!(english_in(&zh, &["Prepare"]).is_empty(), "{zh}");
    }
    assert_eq!(
        prepared(retries[0], false),
        (
            "S1 retried with Prepare(3.1): its 2.1 was refused: an acceptor had promised 2.2"
                .into(),
            "S1 以 Prepare(3.1) 重试：它的 2.1 被拒绝：有接受者已承诺 2.2".into()
        )
    );
    assert_eq!(
        prepared(retries[1], false).0,
        "S1 retried with Prepare(3.1): its timer ran out before a majority promised 2.1"
    );
    assert_eq!(
        prepared(retries[2], false).1,
        "S1 以 Prepare(3.1) 重试：计时器到期时，2.1 的提案仍未被过半数的接受者接受"
    );
    // The first attempt, and a timeout the person forced, say so instead.
    assert_eq!(
        prepared(PrepareReason::Request, false).0,
        "S1 sent Prepare(3.1) to the acceptors (phase 1)"
    );
    assert_eq!(
        prepared(retries[1], true),
        (
            "S1 was made to time out and retried with Prepare(3.1)".into(),
            "S1 被强制超时，以 Prepare(3.1) 重试".into()
        )
    );
}

#[test]
fn dueling_proposers_read_why_one_retries() {
    let config = <Paxos as Drawn>::config(&[2, 3, 0], 3).unwrap();
    let mut sim = Sim::<Paxos>::new(config).unwrap();
    let mut feed = Feed::<Paxos>::default();
    for node in 0..2 {
        let request = sim.new_request(KvOp::Set {
            key: 'x',
            value: node as u32 + 1,
        });
        feed.record(&sim.apply(Command::ClientRequest { node, request }).unwrap());
    }
    feed.record(&sim.advance_to(3_000 * MS));
    let all = || feed.window_at((u64::MAX, usize::MAX), 0, usize::MAX);
    let retries: Vec<&str> = all()
        .map(|l| l.text.en.as_str())
        .filter(|l| l.contains(" retried with Prepare("))
        .collect();
    assert!(
        retries
            .iter()
            .any(|l| l.contains("was refused: an acceptor had promised")),
        "{retries:?}"
    );
    assert!(all().any(|l| l.text.zh.contains("被拒绝：有接受者已承诺")));
}

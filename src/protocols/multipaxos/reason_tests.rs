//! Why a Multi-Paxos server runs phase 1 again, and what is the case instead
//! of a false claim, in both languages.

use super::words::{describe, fact, MpFeedMemory};
use crate::i18n::{english_in, Lang};
use crate::run::narration::{assert_worded, Requests};
use quorum_sim::multipaxos::{Ballot, CampaignReason, MpEvent, MpFact, MpRole, SlotCmd};
use quorum_sim::scenario::ServerFact;

fn b(round: u64, proposer: usize) -> Ballot {
    Ballot { round, proposer }
}

fn kind(f: &MpFact) -> usize {
    match f {
        MpFact::Server(_) => 0,
        MpFact::Role { .. } => 1,
        MpFact::Leaders(_) => 2,
        MpFact::Accepted { .. } => 3,
        MpFact::MajorityHolds { .. } => 4,
        MpFact::Knows { .. } => 5,
        MpFact::Applied { .. } => 6,
    }
}

#[test]
fn every_fact_is_worded_in_both_languages() {
    let facts = [
        MpFact::Server(ServerFact::Missing(7)),
        MpFact::Server(ServerFact::Crashed(1)),
        MpFact::Server(ServerFact::Running(1)),
        MpFact::Role {
            node: 0,
            role: MpRole::Leader,
            ballot: Some(b(2, 0)),
        },
        MpFact::Role {
            node: 1,
            role: MpRole::Candidate,
            ballot: Some(b(3, 1)),
        },
        MpFact::Role {
            node: 1,
            role: MpRole::Follower,
            ballot: None,
        },
        MpFact::Leaders(vec![0, 2]),
        MpFact::Accepted {
            node: 1,
            slot: 2,
            cmd: Some(SlotCmd::NoOp),
        },
        MpFact::Accepted {
            node: 1,
            slot: 2,
            cmd: None,
        },
        MpFact::MajorityHolds {
            slot: 4,
            cmd: Some(SlotCmd::Request(4)),
        },
        MpFact::MajorityHolds { slot: 4, cmd: None },
        MpFact::Knows {
            node: 2,
            slot: 1,
            cmd: Some(SlotCmd::Request(1)),
        },
        MpFact::Knows {
            node: 2,
            slot: 1,
            cmd: None,
        },
        MpFact::Applied { node: 0, slot: 0 },
        MpFact::Applied { node: 0, slot: 3 },
    ];
    let requests: Requests = [(1, "x←1".to_string())].into();
    assert_worded(&facts, kind, 7, |f, l| fact(f, l, &requests), &[]);
    assert_eq!(
        fact(&facts[9], Lang::En, &requests),
        "slot 4 is chosen: request 4"
    );
    assert_eq!(
        fact(&facts[6], Lang::Zh, &requests),
        "S1 是领导者，S3 是领导者"
    );
}

/// The feed line of S2's Prepare(5.2) from slot 3 for `why`, in both languages.
fn campaign(why: CampaignReason, forced: bool) -> (String, String) {
    let mut memory = MpFeedMemory::default();
    memory.forced = forced.then_some(1);
    let event = MpEvent::BecameCandidate {
        ballot: b(5, 1),
        from_slot: 3,
        why,
    };
    let t = describe(&mut memory, 1, &event).unwrap();
    assert_eq!(memory.forced, None, "a forced timeout is told once");
    (t.en, t.zh)
}

#[test]
fn a_new_ballot_says_why_in_both_languages() {
    let retries = [
        CampaignReason::Refused {
            ballot: b(4, 1),
            by: b(4, 2),
        },
        CampaignReason::Overtaken {
            ballot: b(4, 1),
            by: b(4, 2),
        },
        CampaignReason::NoPromises { ballot: b(4, 1) },
    ];
    for why in retries {
        let (en, zh) = campaign(why, false);
        assert!(
            en.starts_with("S2 retried with Prepare(5.2) for every slot from 3: "),
            "{en}"
        );
        assert!(en.contains("4.2"), "names the ballot that failed: {en}");
        assert!(
            zh.starts_with("S2 以 Prepare(5.2) 为从 3 起的所有槽位重试："),
            "{zh}"
        );
        assert!(english_in(&zh, &["Prepare"]).is_empty(), "{zh}");
    }
    assert_eq!(
        campaign(retries[0], false).0,
        "S2 retried with Prepare(5.2) for every slot from 3: its 4.2 was refused, an acceptor had promised 4.3, and no leader was heard since"
    );
    assert_eq!(
        campaign(retries[2], false).1,
        "S2 以 Prepare(5.2) 为从 3 起的所有槽位重试：计时器到期时，4.2 仍未获得多数派的承诺"
    );
    assert_eq!(
        campaign(CampaignReason::NoLeader, false).0,
        "S2 heard no leader and sent Prepare(5.2) for every slot from 3"
    );
    assert_eq!(
        campaign(retries[2], true).1,
        "S2 被强制超时，为从 3 起的所有槽位发送了 Prepare(5.2)"
    );
}

//! What is the case instead of a false Raft claim, in both languages.

use super::words::fact;
use crate::i18n::Lang;
use crate::run::narration::assert_worded;
use quorum_sim::raft::{RaftFact, Role};
use quorum_sim::scenario::ServerFact;

fn kind(f: &RaftFact) -> usize {
    match f {
        RaftFact::Server(_) => 0,
        RaftFact::Role { .. } => 1,
        RaftFact::Leaders(_) => 2,
        RaftFact::Term { .. } => 3,
        RaftFact::VotedFor { .. } => 4,
        RaftFact::Log { .. } => 5,
        RaftFact::CommitIndex { .. } => 6,
        RaftFact::LogsDiffer { .. } => 7,
        RaftFact::Value { .. } => 8,
        RaftFact::NextIndex { .. } => 9,
    }
}

#[test]
fn every_fact_is_worded_in_both_languages() {
    let facts = [
        RaftFact::Server(ServerFact::Missing(7)),
        RaftFact::Server(ServerFact::Crashed(1)),
        RaftFact::Server(ServerFact::Running(1)),
        RaftFact::Role {
            node: 2,
            role: Role::Follower,
            term: 2,
        },
        RaftFact::Role {
            node: 2,
            role: Role::Candidate,
            term: 3,
        },
        RaftFact::Role {
            node: 2,
            role: Role::Leader,
            term: 3,
        },
        RaftFact::Leaders(vec![(0, 3), (3, 2)]),
        RaftFact::Term { node: 0, term: 4 },
        RaftFact::VotedFor {
            node: 0,
            candidate: Some(2),
        },
        RaftFact::VotedFor {
            node: 0,
            candidate: None,
        },
        RaftFact::Log {
            node: 4,
            terms: vec![1, 1, 2],
        },
        RaftFact::Log {
            node: 4,
            terms: vec![],
        },
        RaftFact::CommitIndex { node: 0, index: 3 },
        RaftFact::LogsDiffer {
            logs: [(0, vec![1, 1, 2]), (2, vec![1])],
            index: 2,
        },
        RaftFact::Value {
            node: 1,
            key: 'x',
            value: Some(3),
        },
        RaftFact::Value {
            node: 1,
            key: 'x',
            value: None,
        },
        RaftFact::NextIndex {
            leader: 0,
            follower: 1,
            index: Some(4),
        },
        RaftFact::NextIndex {
            leader: 0,
            follower: 1,
            index: None,
        },
    ];
    let names = ["currentTerm", "commitIndex", "nextIndex"];
    assert_worded(&facts, kind, 10, fact, &names);
}

#[test]
fn a_role_says_the_term_in_both_languages() {
    let follower = RaftFact::Role {
        node: 2,
        role: Role::Follower,
        term: 2,
    };
    assert_eq!(fact(&follower, Lang::En), "S3 is a follower in term 2");
    assert_eq!(fact(&follower, Lang::Zh), "S3 是任期 2 的跟随者");
    let leaders = RaftFact::Leaders(vec![(0, 3), (3, 2)]);
    assert_eq!(
        fact(&leaders, Lang::Zh),
        "S1 是任期 3 的领导者，S4 是任期 2 的领导者"
    );
    let crashed = RaftFact::Server(ServerFact::Crashed(1));
    assert_eq!(fact(&crashed, Lang::Zh), "S2 已崩溃");
}

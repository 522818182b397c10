//! Raft on the page: its feed, log matrix, glyphs, inspector, legend and
//! claims, read as the page reads them.

use super::*;
use crate::feed::{Feed, FEED_LINES};
use crate::i18n::{text, Text};
use crate::ui::format_time as format_micros;
use quorum_sim::kv::KvOp;
use quorum_sim::raft::RaftClaim;
use quorum_sim::raft::RaftConfig;
use quorum_sim::{node_name, Command, SimEvent, TimedEvent, MS};

fn format_time(t: quorum_sim::Time) -> String {
    format_micros(t as f64)
}

fn texts(feed: &Feed<Raft>) -> Vec<String> {
    feed.lines().map(|l| l.text.en.clone()).collect()
}

fn texts_zh(feed: &Feed<Raft>) -> Vec<String> {
    feed.lines().map(|l| l.text.zh.clone()).collect()
}

#[test]
fn a_forced_timeout_reads_as_the_users_doing() {
    let mut sim = Sim::<Raft>::new(SimConfig::<RaftConfig>::new(3, 1)).unwrap();
    let mut feed = Feed::<Raft>::default();
    feed.record(&sim.apply(Command::Timeout { node: 1 }).unwrap());
    assert_eq!(
        texts(&feed),
        ["S2 was made to time out and started an election for term 1"]
    );
    feed.record(&sim.advance_to(100 * MS));
    assert_eq!(texts(&feed)[0], "S2 became leader for term 1");
}

#[test]
fn a_past_moment_shows_the_lines_written_by_then() {
    let mut feed = Feed::<Raft>::default();
    for i in 0..20u64 {
        feed.write_at((i, 0), i, text(format!("line {i}"), format!("第 {i} 行")));
    }
    let then: Vec<_> = feed.lines_at((5, 0)).map(|l| l.text.en.as_str()).collect();
    assert_eq!(
        then,
        ["line 5", "line 4", "line 3", "line 2", "line 1", "line 0"]
    );
    assert_eq!(feed.lines_at((30, 0)).count(), FEED_LINES);
}

#[test]
fn an_early_moment_of_a_long_run_shows_the_lines_written_by_then() {
    // A run watched whole up front (a link, a file, a scenario) has written its
    // later lines before its start is shown: the start's lines are still there.
    let mut feed = Feed::<Raft>::default();
    for i in 0..10_000u64 {
        feed.write_at((i, 0), i, text(format!("line {i}"), format!("第 {i} 行")));
    }
    let early: Vec<_> = feed.lines_at((3, 0)).map(|l| l.text.en.as_str()).collect();
    assert_eq!(early, ["line 3", "line 2", "line 1", "line 0"]);
    let late: Vec<_> = feed.lines_at((9_000, 0)).map(|l| l.seq).collect();
    assert_eq!(late, (8_993..=9_000).rev().collect::<Vec<_>>());
    // Several lines at one position, and a position between two lines.
    feed.write_at((20_000, 0), 1, text("a", "甲"));
    feed.write_at((20_000, 0), 1, text("b", "乙"));
    let same: Vec<_> = feed
        .lines_at((20_001, 0))
        .map(|l| l.text.en.as_str())
        .take(3)
        .collect();
    assert_eq!(same, ["b", "a", "line 9999"]);
    assert_eq!(
        feed.lines_at((12_000, 0)).next().unwrap().text.en,
        "line 9999"
    );
    assert_eq!(feed.lines_at((0, 0)).count(), 1);
}

#[test]
fn an_isolation_or_a_split_is_one_line_not_one_per_link() {
    let mut sim = Sim::<Raft>::new(SimConfig::<RaftConfig>::new(5, 1)).unwrap();
    let mut feed = Feed::<Raft>::default();
    feed.record(&sim.apply(Command::Isolate { node: 2 }).unwrap());
    feed.record(&sim.apply(Command::Rejoin { node: 2 }).unwrap());
    feed.record(&sim.apply(Command::Partition { side: vec![0, 1] }).unwrap());
    feed.record(&sim.apply(Command::HealAll).unwrap());
    feed.record(&sim.apply(Command::CutLink { from: 0, to: 4 }).unwrap());
    assert_eq!(
        texts(&feed),
        [
            "Link S1 → S5 cut",
            "The split between {S1, S2} and {S3, S4, S5} healed",
            "The cluster split in two: {S1, S2} and {S3, S4, S5}",
            "S3 rejoined: 8 links healed",
            "S3 cut off: 8 links cut",
        ]
    );
}

#[test]
fn links_that_are_neither_a_server_nor_a_split_are_counted() {
    let mut sim = Sim::<Raft>::new(SimConfig::<RaftConfig>::new(5, 1)).unwrap();
    let mut feed = Feed::<Raft>::default();
    // S4 → S1 already cut: the split cuts the other 11, which is no clean split.
    sim.apply(Command::CutLink { from: 3, to: 0 }).unwrap();
    feed.record(&sim.apply(Command::Partition { side: vec![3, 1] }).unwrap());
    feed.record(&sim.apply(Command::HealAll).unwrap());
    // A split of one server from the rest is that server cut off.
    feed.record(&sim.apply(Command::Partition { side: vec![4] }).unwrap());
    feed.record(&sim.apply(Command::HealLink { from: 4, to: 0 }).unwrap());
    feed.record(&sim.apply(Command::HealLink { from: 0, to: 4 }).unwrap());
    // The last link of S5 to S1, both ways.
    feed.record(&sim.apply(Command::Isolate { node: 4 }).unwrap());
    assert_eq!(
        texts(&feed),
        [
            "Link S5 ⇄ S1 cut both ways",
            "Link S1 → S5 healed",
            "Link S5 → S1 healed",
            "S5 cut off: 8 links cut",
            "The split between {S1, S3, S5} and {S2, S4} healed",
            "11 links cut",
        ]
    );
}

#[test]
fn aligned_and_spread_timers_make_one_line_each() {
    let mut sim = Sim::<Raft>::new(SimConfig::<RaftConfig>::new(5, 1)).unwrap();
    let mut feed = Feed::<Raft>::default();
    let events = sim.apply(Command::AlignTimers).unwrap();
    let SimEvent::TimersAligned { deadline, .. } = events[0].event else {
        panic!("{events:?}")
    };
    feed.record(&events);
    assert_eq!(
        texts(&feed),
        [format!(
            "Timers aligned: S1, S2, S3, S4 and S5 all time out at {}",
            format_time(deadline)
        )]
    );
    let events = sim.apply(Command::SpreadTimers).unwrap();
    feed.record(&events);
    // Aligned, they spread in node order from the shared deadline, a round trip (2 × 20 ms + 1 µs) apart.
    assert_eq!(
        texts(&feed)[0],
        format!(
            "Timers spread 40.0 ms apart: S1 times out first at {}, then S2, S3, S4 and S5",
            format_time(deadline)
        )
    );
    assert_eq!(feed.lines().count(), 2, "one line each, not one per timer");
}

#[test]
fn spread_timers_read_in_firing_order() {
    let mut feed = Feed::<Raft>::default();
    feed.record(&[TimedEvent {
        time: 5 * MS,
        event: SimEvent::TimersSpread {
            nodes: quorum_sim::kernel::Nodes(vec![1, 3, 0]),
            first: 1_180_000,
            spacing: 41_000,
        },
    }]);
    assert_eq!(
        texts(&feed),
        ["Timers spread 41.0 ms apart: S2 times out first at 1.180 s, then S4 and S1"]
    );
    // In Chinese, the servers read as a Chinese list.
    assert_eq!(
        texts_zh(&feed),
        ["计时器已错开，间隔 41.0 ms：S2 最先在 1.180 s 超时，随后是 S4 和 S1"]
    );
}

#[test]
fn duplicates_and_delays_name_the_message() {
    let mut sim = Sim::<Raft>::new(SimConfig::<RaftConfig>::new(3, 1)).unwrap();
    sim.apply(Command::Timeout { node: 0 }).unwrap();
    let first = sim.in_flight().next().unwrap().clone();
    let (id, to) = (first.id, node_name(first.to));
    let mut feed = Feed::<Raft>::default();
    let events = sim.apply(Command::DuplicateMessage { id }).unwrap();
    let SimEvent::MessageDuplicated { envelope, .. } = &events[0].event else {
        panic!("{events:?}")
    };
    let copy = envelope.id;
    assert_ne!(copy, id);
    feed.record(&events);
    // Delayed by 1.25 s less the time it would have taken: it arrives at 1.250 s.
    let by = 1_250_000 - first.deliver_at;
    feed.record(&sim.apply(Command::DelayMessage { id, by }).unwrap());
    assert_eq!(
        texts(&feed),
        [
            format!("Message #{id} from S1 to {to} was delayed until 1.250 s"),
            format!("Message #{id} from S1 to {to} was duplicated (copy #{copy})"),
        ]
    );
}

#[test]
fn the_feed_keeps_only_the_last_lines() {
    let mut feed = Feed::<Raft>::default();
    for i in 0..20 {
        feed.write_at((i, 0), i, text(format!("line {i}"), format!("第 {i} 行")));
    }
    let lines: Vec<_> = feed.lines().collect();
    assert_eq!(lines.len(), FEED_LINES);
    assert_eq!(lines[0].text.en, "line 19");
}

#[test]
fn lines_are_worded_in_chinese_too() {
    let mut sim = Sim::<Raft>::new(SimConfig::<RaftConfig>::new(5, 1)).unwrap();
    let mut feed = Feed::<Raft>::default();
    feed.record(&sim.apply(Command::Timeout { node: 1 }).unwrap());
    feed.record(&sim.advance_to(100 * MS));
    assert_eq!(texts_zh(&feed)[0], "S2 成为任期 1 的领导者");
    assert_eq!(
        texts_zh(&feed).last().unwrap(),
        "S2 被强制超时，发起了任期 1 的选举"
    );
    feed.record(&sim.apply(Command::Isolate { node: 2 }).unwrap());
    feed.record(&sim.apply(Command::HealAll).unwrap());
    feed.record(&sim.apply(Command::Partition { side: vec![0, 1] }).unwrap());
    assert_eq!(
        texts_zh(&feed)[..3],
        [
            "集群被分成两部分：{S1, S2} 和 {S3, S4, S5}",
            "S3 重新接入：恢复了 8 条链路",
            "S3 被隔离：切断了 8 条链路",
        ]
    );
}

#[test]
fn a_refused_append_reads_in_both_languages() {
    use quorum_sim::raft::{AppendRefusal, RaftEvent};
    let mut feed = Feed::<Raft>::default();
    feed.record(&[TimedEvent {
        time: 5 * MS,
        event: SimEvent::Protocol {
            node: 1,
            event: RaftEvent::AppendRefused {
                leader: 0,
                reason: AppendRefusal::MissingEntry {
                    prev_log_index: 4,
                    prev_log_term: 1,
                },
            },
        },
    }]);
    let line = &feed.lines().next().unwrap().text;
    assert_eq!(
        line.en,
        "S2 refused AppendEntries: no entry at index 4 (term 1)"
    );
    assert_eq!(
        line.zh,
        "S2 拒绝了 AppendEntries：索引 4 处没有条目（任期 1）"
    );
}

#[test]
fn followers_rows_carry_the_leaders_next_and_match_index() {
    let mut sim = Sim::<Raft>::new(SimConfig::new(5, 42)).unwrap();
    sim.advance_to(400 * MS);
    let leader = log_rows(&sim, Lang::En)
        .iter()
        .find(|r| r.role == "leader")
        .map(|r| r.id)
        .expect("a leader by 400 ms");
    let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    sim.apply(Command::ClientRequest {
        node: leader,
        request,
    })
    .unwrap();
    sim.advance_to(600 * MS);
    let raft = sim.node(leader).unwrap().up().unwrap();
    for row in log_rows(&sim, Lang::En) {
        if row.id == leader {
            assert_eq!((row.next_index, row.match_index), (None, None));
            assert_eq!(row.commit_index, 1);
        } else {
            let p = raft.progress[&row.id];
            assert_eq!(row.next_index, Some(p.next_index));
            assert_eq!(row.match_index, Some(p.match_index));
            assert_eq!(row.match_index, Some(1), "replicated everywhere by 600 ms");
        }
    }
}

#[test]
fn without_a_leader_there_are_no_next_or_match_marks() {
    let sim = Sim::<Raft>::new(SimConfig::new(3, 1)).unwrap();
    assert!(log_rows(&sim, Lang::En)
        .iter()
        .all(|r| r.next_index.is_none() && r.match_index.is_none()));
}

#[test]
fn claims_read_in_both_languages() {
    let c = RaftClaim::Leader { node: 2, term: 1 };
    assert_eq!(words::claim(&c, Lang::En), "S3 is the leader of term 1");
    assert_eq!(words::claim(&c, Lang::Zh), "S3 是任期 1 的领导者");
    let c = RaftClaim::Log {
        node: 0,
        terms: vec![1, 1, 4],
    };
    assert_eq!(words::claim(&c, Lang::En), "S1's log, by term: 1 1 4");
}

fn elected() -> (Sim<Raft>, NodeId) {
    let mut sim = Sim::<Raft>::new(SimConfig::new(5, 42)).unwrap();
    sim.advance_to(400 * MS);
    let leader = <Raft as Drawn>::leader(&sim).expect("a leader by 400 ms");
    (sim, leader)
}

#[test]
fn a_servers_glyph_shows_its_role_term_and_election_timer() {
    let (mut sim, leader) = elected();
    let glyphs: Vec<ServerGlyph> = sim
        .nodes()
        .iter()
        .map(|s| <Raft as Drawn>::server(&sim, s, Lang::En))
        .collect();
    let l = &glyphs[leader];
    assert_eq!(
        (l.role, l.emphasis, l.timer),
        ("leader", Emphasis::Leads, None),
        "a leader has no election timer"
    );
    assert_eq!(l.data, [("data-term", "1".to_string())]);
    let f = &glyphs[(leader + 1) % 5];
    assert_eq!((f.role, f.emphasis), ("follower", Emphasis::Plain));
    assert!(f.timer.is_some());
    // A candidate counts its votes against the majority it needs.
    sim.apply(Command::Timeout {
        node: (leader + 1) % 5,
    })
    .unwrap();
    let c = <Raft as Drawn>::server(&sim, &sim.nodes()[(leader + 1) % 5], Lang::En);
    assert_eq!(
        (c.role, c.emphasis, c.votes),
        ("candidate", Emphasis::Campaigns, Some((1, 3)))
    );
    sim.apply(Command::Crash { node: leader }).unwrap();
    let down = <Raft as Drawn>::server(&sim, &sim.nodes()[leader], Lang::Zh);
    assert!(down.crashed);
    assert_eq!(down.role_text, "已崩溃");
    assert_eq!(
        down.number, "1",
        "a crashed server shows the term it persisted"
    );
}

#[test]
fn the_inspector_shows_every_variable_of_figure_2() {
    let (mut sim, leader) = elected();
    let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    sim.apply(Command::ClientRequest {
        node: leader,
        request,
    })
    .unwrap();
    sim.advance_to(600 * MS);
    let keys = |slot: &NodeSlot<Raft>| -> Vec<&'static str> {
        let (_, sections) = <Raft as Drawn>::inspect(&sim, slot, Lang::En);
        sections
            .iter()
            .flat_map(|s| match &s.body {
                SectionBody::Fields(f) => f.iter().map(|f| f.key).collect::<Vec<_>>(),
                SectionBody::Table(t) => t.rows[0].cells.iter().filter_map(|c| c.0).collect(),
                _ => vec![],
            })
            .collect()
    };
    let on_leader = keys(&sim.nodes()[leader]);
    for key in [
        "currentTerm",
        "votedFor",
        "log",
        "commitIndex",
        "lastApplied",
        "leaderId",
        "kv",
        "nextIndex",
        "matchIndex",
    ] {
        assert!(on_leader.contains(&key), "{key} in {on_leader:?}");
    }
    let follower = (leader + 1) % 5;
    assert!(
        !keys(&sim.nodes()[follower]).contains(&"nextIndex"),
        "followers keep no leader state"
    );
    sim.apply(Command::Crash { node: follower }).unwrap();
    let (note, sections) = <Raft as Drawn>::inspect(&sim, &sim.nodes()[follower], Lang::En);
    let note = note.unwrap();
    assert!(note.contains("only what it persisted survives"));
    // Figure 2: currentTerm, votedFor and log[] are persistent; commitIndex
    // and lastApplied are volatile, so a crashed server's entries look
    // uncommitted, and the note says why.
    assert!(
        note.contains("its log, currentTerm and votedFor, on disk"),
        "{note}"
    );
    assert!(
        note.contains("commitIndex and lastApplied are volatile"),
        "{note}"
    );
    assert!(note.contains("restart at 0"), "{note}");
    assert_eq!(sections.len(), 1, "only the persistent state");
}

#[test]
fn the_legend_keys_term_colours_the_red_quarter_and_a_crash_in_both_languages() {
    for lang in Lang::ALL {
        let legend = <Raft as Drawn>::legend(lang);
        let marks: Vec<LegendMark> = legend.iter().map(|i| i.mark).collect();
        for mark in [
            LegendMark::TermColours,
            LegendMark::TimerUrgent,
            LegendMark::Crashed(Shape::Circle),
        ] {
            assert!(marks.contains(&mark), "{mark:?} in {lang:?}");
        }
    }
    let en = <Raft as Drawn>::legend(Lang::En);
    let text = |mark| en.iter().find(|i| i.mark == mark).unwrap().text.clone();
    assert!(text(LegendMark::TermColours).contains("term"));
    assert!(text(LegendMark::TimerUrgent).contains("election timeout"));
    assert!(text(LegendMark::Crashed(Shape::Circle)).contains("commitIndex is volatile"));
}

#[test]
fn every_message_kind_has_a_legend_entry_of_its_shape_and_colour() {
    let (mut sim, leader) = elected();
    let request = sim.new_request(KvOp::Set { key: 'x', value: 1 });
    sim.apply(Command::ClientRequest {
        node: (leader + 1) % 5,
        request,
    })
    .unwrap();
    sim.apply(Command::Timeout {
        node: (leader + 2) % 5,
    })
    .unwrap();
    let legend = <Raft as Drawn>::legend(Lang::En);
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..200 {
        for env in sim.in_flight() {
            let g = <Raft as Drawn>::message(env, Lang::En);
            seen.insert(g.kind);
            assert!(
                legend.iter().any(|item| item.mark
                    == LegendMark::Message {
                        shape: g.shape,
                        family: g.family,
                        reply: false
                    }),
                "{} is drawn as {:?} {} but the legend has no such entry",
                g.kind,
                g.shape,
                g.family
            );
            assert_eq!(
                g.number.map(|n| n.0),
                Some("term").filter(|_| g.kind != "ClientRequest")
            );
        }
        sim.step();
    }
    assert!(seen.len() >= 4, "{seen:?}");
}

#[test]
fn a_leaders_refusal_to_time_out_names_raft_not_paxos() {
    let (sim, leader) = elected();
    let why = <Raft as Drawn>::no_timeout(&sim, &sim.nodes()[leader]);
    assert!(!why.en.contains("Paxos") && !why.zh.contains("Paxos"));
    assert!(why.en.contains("leader"));
}

#[test]
fn every_property_of_figure_3_has_chinese() {
    for p in <Raft as quorum_sim::Checked>::PROPERTIES {
        assert_ne!(words::property_zh(p), "安全性", "{p}");
    }
}

#[test]
fn message_types_keep_the_papers_names_in_chinese() {
    let (sim, _) = elected();
    let env = sim.in_flight().next().unwrap();
    let g = <Raft as Drawn>::message(env, Lang::Zh);
    assert!(
        g.kind_text.is_ascii(),
        "{}: RPC names stay as the paper writes them",
        g.kind_text
    );
    let reply = Message::RequestVoteReply {
        term: 1,
        vote_granted: false,
    };
    assert_eq!(words::kind_text(&reply, Lang::Zh), "RequestVote 回复");
}

#[test]
fn voted_for_reads_in_chinese_and_as_the_paper_writes_it_in_english() {
    use super::fields::voted_for;
    assert_eq!(voted_for(Some(1), Lang::Zh), "投票给 S2");
    assert_eq!(voted_for(None, Lang::Zh), "尚未投票");
    assert_eq!(voted_for(Some(1), Lang::En), "S2");
    assert_eq!(voted_for(None, Lang::En), "null");
}

#[test]
fn the_legend_keys_a_refused_reply_and_a_messages_fields_carry_the_chinese_term() {
    for lang in Lang::ALL {
        let legend = <Raft as Drawn>::legend(lang);
        let refused = legend
            .iter()
            .find(|i| matches!(i.mark, LegendMark::Refused { .. }))
            .expect("a key for the red cross");
        assert!(refused
            .text
            .contains(lang.t("a vote not granted", "没有投出的选票")));
    }
    let msg = quorum_sim::raft::Message::RequestVoteReply {
        term: 2,
        vote_granted: false,
    };
    let label = |lang| {
        super::fields::message_fields(&msg, lang)
            .iter()
            .map(|f| f.label.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(label(Lang::En), ["term", "voteGranted"]);
    assert_eq!(label(Lang::Zh), ["term（任期）", "voteGranted（是否投票）"]);
}

/// Every line the feed shows while `sim` runs to `until`, one event at a
/// time (the feed keeps only its last few), English and Chinese.
fn lines_until(sim: &mut Sim<Raft>, feed: &mut Feed<Raft>, until: quorum_sim::Time) -> Vec<Text> {
    let mut seen: Vec<Text> = Vec::new();
    while sim.next_event_time().is_some_and(|t| t <= until) {
        feed.record(&sim.step().unwrap());
        for line in feed.lines() {
            if !seen.contains(&line.text) {
                seen.push(line.text.clone());
            }
        }
    }
    seen
}

#[test]
fn a_leadership_transfer_and_a_pre_vote_read_in_both_languages() {
    let mut config = SimConfig::<RaftConfig>::new(5, 1);
    config.protocol = RaftConfig {
        pre_vote: true,
        check_quorum: true,
        leadership_transfer: true,
        ..RaftConfig::default()
    };
    let mut sim = Sim::<Raft>::new(config).unwrap();
    let mut feed = Feed::<Raft>::default();
    let first = lines_until(&mut sim, &mut feed, 1_000 * MS);
    assert!(
        first
            .iter()
            .any(|l| l.en.ends_with("its own term unchanged") && l.zh.ends_with("自己的任期不变")),
        "{first:?}"
    );
    let leader = sim
        .nodes()
        .iter()
        .filter_map(|s| s.up())
        .find(|r| r.role == quorum_sim::raft::Role::Leader)
        .expect("a leader after a second");
    let (leader, term) = (leader.id, leader.current_term);
    let target = (leader + 2) % 5;
    let (l, t) = (node_name(leader), node_name(target));
    feed.record(
        &sim.apply(Command::TransferLeadership {
            node: leader,
            to: target,
        })
        .unwrap(),
    );
    let mut seen: Vec<Text> = feed.lines().map(|l| l.text.clone()).collect();
    seen.extend(lines_until(&mut sim, &mut feed, 1_300 * MS));
    let en: Vec<&str> = seen.iter().map(|l| l.en.as_str()).collect();
    let zh: Vec<&str> = seen.iter().map(|l| l.zh.as_str()).collect();
    for line in [
        format!("{l} starts handing its leadership to {t} and takes no new requests"),
        format!("{t}'s log matches {l}'s: {l} sends it TimeoutNow"),
        format!("{t} got TimeoutNow from {l} (term {term}) and starts an election at once"),
        format!("{t} became leader for term {}", term + 1),
    ] {
        assert!(en.contains(&line.as_str()), "{line:?} not in {en:?}");
    }
    for line in [
        format!("{l} 开始把领导权移交给 {t}，不再接受新请求"),
        format!("{t} 收到 {l} 的 TimeoutNow（任期 {term}），立即发起选举"),
    ] {
        assert!(zh.contains(&line.as_str()), "{line:?} not in {zh:?}");
    }
}

/// A settled 5-server run with three committed entries, checked all along
/// (as `crates/sim/tests/invariants_catch.rs` makes it), and its leader.
fn checked_run() -> (Sim<Raft>, quorum_sim::Checker<Raft>, NodeId) {
    let mut sim = Sim::<Raft>::new(SimConfig::<RaftConfig>::new(5, 21)).unwrap();
    let mut checker = quorum_sim::Checker::<Raft>::new();
    checker.observe(&sim, &[]).unwrap();
    let run_to = |sim: &mut Sim<Raft>, checker: &mut quorum_sim::Checker<Raft>, t| {
        while sim.next_event_time().is_some_and(|next| next <= t) {
            let events = sim.step().unwrap();
            checker.observe(sim, &events).unwrap();
        }
    };
    run_to(&mut sim, &mut checker, 2_000 * MS);
    let leader = <Raft as Drawn>::leader(&sim).expect("a leader by 2 s");
    for value in 0..3 {
        let request = sim.new_request(KvOp::Set { key: 'k', value });
        let events = sim
            .apply(Command::ClientRequest {
                node: leader,
                request,
            })
            .unwrap();
        checker.observe(&sim, &events).unwrap();
    }
    run_to(&mut sim, &mut checker, 2_500 * MS);
    (sim, checker, leader)
}

/// The Chinese words of what broke a property, with the English detail
/// they stand for: what the page shows on a Chinese page.
fn worded_in_chinese(v: &quorum_sim::Violation, safety: &quorum_sim::raft::RaftSafety) -> String {
    let breach = safety.breach().expect("the checker keeps what broke it");
    assert_eq!(
        (breach.property(), breach.to_string()),
        (v.property, v.detail.clone())
    );
    let zh = <Raft as Drawn>::violation_zh(safety).expect("worded in Chinese");
    let english = crate::i18n::english_in(&zh, &["commitIndex", "lastApplied"]);
    assert!(english.is_empty(), "{zh}: {english:?}");
    zh
}

#[test]
fn every_violation_the_core_tests_make_on_purpose_reads_in_chinese() {
    use serde_json::Value;
    let (sim, checker, leader) = checked_run();
    let other = (leader + 1) % 5;
    // As in invariants_catch.rs: one server's state tampered with in one way.
    // The property broken, the server tampered with, how, and the words that say so.
    type Case = (&'static str, NodeId, fn(&mut Value), &'static str);
    let cases: [Case; 5] = [
        (
            "Election Safety",
            other,
            |n| n["role"] = "Leader".into(),
            "早已赢得这个任期",
        ),
        (
            "Leader Append-Only",
            leader,
            |n| {
                n["log"]["entries"].as_array_mut().unwrap().pop();
            },
            "改动或删除了自己在索引 3 的条目",
        ),
        (
            "Log Matching",
            other,
            |n| {
                n["commit_index"] = 0.into();
                n["last_applied"] = 0.into();
                n["log"]["entries"][0]["request"]["id"] = 999.into();
            },
            "前面的条目和另一台服务器的日志不同",
        ),
        (
            "State Machine Safety",
            other,
            |n| n["log"]["entries"][2]["term"] = 99.into(),
            "另一台服务器在那里提交的是任期",
        ),
        (
            "Leader Completeness",
            other,
            |n| {
                n["role"] = "Leader".into();
                n["current_term"] = (n["current_term"].as_u64().unwrap() + 1).into();
                n["commit_index"] = 0.into();
                n["last_applied"] = 0.into();
                n["log"]["entries"].as_array_mut().unwrap().truncate(1);
            },
            "已提交的条目 2",
        ),
    ];
    for (property, node, tamper, words) in cases {
        let mut json = serde_json::to_value(&sim).unwrap();
        tamper(&mut json["nodes"][node]["state"]["Up"]);
        let bad: Sim<Raft> = serde_json::from_value(json).unwrap();
        let mut checker = checker.clone();
        let touch = [TimedEvent {
            time: bad.now(),
            event: SimEvent::NodeRestarted { node },
        }];
        let v = checker.observe(&bad, &touch).expect_err(property);
        assert_eq!(v.property, property);
        let zh = worded_in_chinese(&v, checker.safety());
        assert!(zh.contains(words), "{property}: {zh}");
    }
}

#[test]
fn every_kind_of_breach_reads_in_chinese() {
    use quorum_sim::raft::RaftBreach::*;
    let op = KvOp::Set { key: 'x', value: 1 };
    let all = [
        TwoLeaders {
            node: 1,
            term: 2,
            first: 0,
        },
        Overwrote {
            node: 0,
            term: 2,
            index: 3,
        },
        PrefixDiffers {
            node: 1,
            index: 2,
            term: 1,
        },
        CommitPastLog {
            node: 1,
            commit_index: 4,
            last_applied: 2,
            entries: 3,
        },
        CommittedOther {
            node: 1,
            index: 3,
            term: 2,
            other_term: 1,
        },
        AppliedOther {
            node: 1,
            index: 3,
            term: 2,
            request: op,
            committed: Some((1, op)),
        },
        AppliedOther {
            node: 1,
            index: 3,
            term: 2,
            request: op,
            committed: None,
        },
        LeaderLacks {
            node: 1,
            term: 3,
            index: 2,
            entry_term: 1,
            commit_term: 1,
        },
        SnapshotEndsOther {
            node: 1,
            index: 4,
            term: 2,
            committed: Some(1),
        },
        SnapshotEndsOther {
            node: 1,
            index: 4,
            term: 2,
            committed: None,
        },
        SnapshotPastApplied {
            node: 1,
            index: 4,
            last_applied: 2,
        },
        SnapshotState { node: 1, index: 4 },
    ];
    let mut properties: Vec<&str> = all.iter().map(|b| b.property()).collect();
    properties.sort_unstable();
    properties.dedup();
    let mut every = quorum_sim::raft::RAFT_PROPERTIES;
    every.sort_unstable();
    assert_eq!(properties, every, "a breach of each property");
    for breach in all {
        let zh = words::breach_zh(&breach);
        let english = crate::i18n::english_in(&zh, &["commitIndex", "lastApplied"]);
        assert!(
            english.is_empty() && zh.starts_with('S'),
            "{zh}: {english:?}"
        );
    }
}

/// A run of the page with all of `on` (1 or 0 per switch), played for `ms`.
fn page_run(on: &[usize], ms: u64) -> Box<dyn crate::run::Run> {
    use crate::run::Page;
    let mut shape = vec![5];
    shape.extend(on);
    let mut run = PAGE.new_run(&shape, 1).unwrap();
    run.advance_to(ms * MS);
    run
}

fn field<'a>(inspector: &'a Inspector, key: &str) -> Option<&'a Field> {
    inspector.sections.iter().find_map(|s| match &s.body {
        SectionBody::Fields(fields) => fields.iter().find(|f| f.key == key),
        _ => None,
    })
}

#[test]
fn transfer_leadership_is_in_every_other_servers_menu_only_with_its_switch_on() {
    let off = page_run(&[0, 0, 0], 1_000);
    let leader = off.leader().expect("a leader after a second");
    let other = (leader + 1) % 5;
    for node in 0..5 {
        let menu = off.menu(node, Lang::En).unwrap();
        assert!(menu
            .actions
            .iter()
            .all(|a| !a.label.starts_with("Transfer")));
    }
    let mut on = page_run(&[0, 0, 1], 1_000);
    let leader = on.leader().expect("a leader after a second");
    assert!(on
        .menu(leader, Lang::En)
        .unwrap()
        .actions
        .iter()
        .all(|a| !a.label.starts_with("Transfer")));
    let menu = on.menu(other, Lang::Zh).unwrap();
    let to = node_name(other);
    let action = menu
        .actions
        .iter()
        .find(|a| a.label == format!("把领导权移交给 {to}"))
        .expect("the action, in Chinese");
    assert_eq!(action.refusal, None);
    let crate::run::view::Act::Command(command) = action.act.clone() else {
        panic!("a command")
    };
    assert_eq!(
        command,
        Command::TransferLeadership {
            node: leader,
            to: other
        }
    );
    on.apply(command).unwrap();
    // Under way: the inspector names the target, and a second one is refused in words.
    let inspector = on.inspector(leader, Lang::En).unwrap();
    let target = field(&inspector, "leadTransferee").expect("the transfer target");
    assert!(
        matches!(&target.value, Value::Text(t) if t.starts_with(&to)),
        "{target:?}"
    );
    let third = (leader + 2) % 5;
    let refusal = on
        .menu(third, Lang::En)
        .unwrap()
        .actions
        .into_iter()
        .find(|a| a.label.starts_with("Transfer"))
        .and_then(|a| a.refusal)
        .expect("refused while one is under way");
    assert!(
        refusal.contains(&format!("already handing its leadership to {to}")),
        "{refusal}"
    );
    let refusal_zh = on
        .menu(third, Lang::Zh)
        .unwrap()
        .actions
        .into_iter()
        .find(|a| a.label.starts_with("把领导权"))
        .and_then(|a| a.refusal)
        .unwrap();
    assert!(refusal_zh.contains("一次只能进行一次移交"), "{refusal_zh}");
    on.advance_to(1_400 * MS);
    assert_eq!(on.leader(), Some(other), "the target leads");
}

#[test]
fn the_inspector_shows_what_each_switch_keeps_and_nothing_without_them() {
    let off = page_run(&[0, 0, 0], 1_000);
    let leader = off.leader().unwrap();
    for node in 0..5 {
        let inspector = off.inspector(node, Lang::En).unwrap();
        for key in [
            "preVotes",
            "leaderHeardAt",
            "recentActive",
            "leadTransferee",
        ] {
            assert!(field(&inspector, key).is_none(), "{key} without its switch");
        }
    }
    let on = page_run(&[1, 1, 1], 1_000);
    let leader_on = on.leader().unwrap();
    let follower = (leader_on + 1) % 5;
    let inspector = on.inspector(follower, Lang::En).unwrap();
    assert!(field(&inspector, "preVotes").is_some());
    let heard = field(&inspector, "leaderHeardAt").unwrap();
    assert!(
        matches!(&heard.value, Value::Text(t) if t.starts_with(&node_name(leader_on)) && t.contains("ms ago")),
        "{heard:?}"
    );
    let inspector = on.inspector(leader_on, Lang::Zh).unwrap();
    let active = field(&inspector, "recentActive").unwrap();
    assert!(
        matches!(&active.value, Value::Text(t) if t.contains("需要 3 台")),
        "{active:?}"
    );
    assert!(field(&inspector, "leadTransferee").is_some());
    assert!(
        field(&inspector, "preVotes").is_none(),
        "a leader has no pre-votes"
    );
    let _ = leader;
}

/// A 3-server run compacting every 3 entries in which S(behind) was cut off
/// while the leader compacted, then rejoined; the feed's lines of it all.
fn snapshot_run() -> (Sim<Raft>, Vec<Text>, NodeId) {
    let mut config = SimConfig::<RaftConfig>::new(3, 3);
    config.protocol = RaftConfig {
        snapshot_threshold: Some(3),
        ..RaftConfig::default()
    };
    let mut sim = Sim::<Raft>::new(config).unwrap();
    let mut feed = Feed::<Raft>::default();
    let mut seen = lines_until(&mut sim, &mut feed, 1_000 * MS);
    let leader = sim
        .nodes()
        .iter()
        .filter_map(|s| s.up())
        .find(|r| r.role == quorum_sim::raft::Role::Leader)
        .expect("a leader after a second")
        .id;
    let behind = (leader + 1) % 3;
    feed.record(&sim.apply(Command::Isolate { node: behind }).unwrap());
    for value in 1..=10 {
        let request = sim.new_request(KvOp::Set { key: 'x', value });
        feed.record(
            &sim.apply(Command::ClientRequest {
                node: leader,
                request,
            })
            .unwrap(),
        );
        let until = sim.now() + 20 * MS;
        seen.extend(lines_until(&mut sim, &mut feed, until));
    }
    feed.record(&sim.apply(Command::Rejoin { node: behind }).unwrap());
    let until = sim.now() + 1_500 * MS;
    seen.extend(lines_until(&mut sim, &mut feed, until));
    (sim, seen, behind)
}

#[test]
fn a_snapshot_taken_and_installed_read_in_both_languages() {
    let (_, seen, behind) = snapshot_run();
    let b = node_name(behind);
    let took = seen.iter().find(|l| l.en.contains("took a snapshot"));
    let took = took.unwrap_or_else(|| panic!("no snapshot line in {seen:?}"));
    assert!(
        took.en.ends_with("and discarded its log up to there"),
        "{took:?}"
    );
    assert!(took.zh.contains("做了快照") && took.zh.ends_with("并丢弃了此前的日志"));
    let installed = seen
        .iter()
        .find(|l| l.en.starts_with(&format!("{b} installed")))
        .unwrap_or_else(|| panic!("{b} installed no snapshot: {seen:?}"));
    assert!(installed
        .en
        .contains("reset its state machine from the snapshot"));
    assert!(installed.zh.starts_with(&format!("{b} 安装了")));
    assert!(installed.zh.ends_with("并用快照重置了状态机"));
}

#[test]
fn install_snapshot_and_its_reply_have_the_papers_names_and_fields_in_both_languages() {
    let mut data = quorum_sim::kv::KvStore::default();
    data.apply(&quorum_sim::kv::ClientRequest {
        id: 1,
        op: KvOp::Set { key: 'x', value: 4 },
    });
    let msg = Message::InstallSnapshot {
        term: 2,
        leader_id: 0,
        last_included_index: 6,
        last_included_term: 1,
        data,
    };
    let reply = Message::InstallSnapshotReply {
        term: 2,
        last_included_index: 6,
    };
    assert_eq!(words::kind_text(&msg, Lang::Zh), "InstallSnapshot");
    assert_eq!(words::kind_text(&reply, Lang::Zh), "InstallSnapshot 回复");
    let labels = |m: &Message, lang| {
        super::fields::message_fields(m, lang)
            .iter()
            .map(|f| f.label.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        labels(&msg, Lang::En),
        [
            "term",
            "leaderId",
            "lastIncludedIndex",
            "lastIncludedTerm",
            "data[]"
        ]
    );
    for label in labels(&msg, Lang::Zh) {
        assert!(label.contains('（'), "{label} has no Chinese gloss");
    }
    assert_eq!(
        labels(&reply, Lang::Zh),
        ["term（任期）", "lastIncludedIndex（原样带回）"]
    );
    let env_glyph = |m: Message| {
        let env = quorum_sim::network::Envelope {
            id: 1,
            from: 0,
            to: 1,
            sent_at: 0,
            deliver_at: 1,
            payload: m,
        };
        <Raft as Drawn>::message(&env, Lang::En)
    };
    assert_eq!(env_glyph(msg).family, "append", "drawn as replication");
}

#[test]
fn the_log_matrix_shows_a_compacted_prefix_as_one_snapshot_and_the_entries_after_it() {
    let (sim, _, _) = snapshot_run();
    for lang in Lang::ALL {
        for (row, slot) in log_rows(&sim, lang).iter().zip(sim.nodes()) {
            let log = &slot.up().unwrap().log;
            let c = row.compacted.as_ref().expect("every log compacted");
            assert_eq!((c.last_included_index, c.last_included_term), log.prefix());
            assert_eq!(row.entries.len(), log.len(), "only the entries held");
            assert!(
                c.title.contains(lang.t("snapshot ≤", "快照 ≤")),
                "{}",
                c.title
            );
            assert!(c.title.contains("x="), "the state it holds: {}", c.title);
        }
    }
}

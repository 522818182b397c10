//! The event feed: the last few things that happened, in plain words.
//!
//! Only events a person would want to read make a line; heartbeats, timers
//! being re-armed and ordinary deliveries do not.
//!
//! Each line remembers where in the run it happened, so the feed shown for a
//! past moment is the one a person saw then. Lines are shared (`Rc`): copying
//! the feed for a new frame copies pointers, not text. A line is worded in
//! every language when it is written, so switching the language rewords the
//! lines already on the page.

use crate::i18n::{names, text, Lang, Text};
use crate::protocols::Viewed;
use quorum_sim::sim::{DropReason, EventOf};
use quorum_sim::{node_name, NodeId, SimEvent, Time};
use std::collections::VecDeque;
use std::rc::Rc;

/// How many lines the feed shows.
pub const FEED_LINES: usize = 8;
/// How many lines it keeps for looking back in time.
pub const FEED_HISTORY: usize = 2_000;

/// Where in a run a line was written: (events processed, commands applied).
pub type At = (u64, usize);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedLine {
    /// A number unique within the run, for keyed rendering.
    pub seq: u64,
    pub time: Time,
    pub at: At,
    pub text: Text,
}

pub struct Feed<P: Viewed> {
    lines: VecDeque<Rc<FeedLine>>,
    /// Where the next line is written (see [`Feed::record_at`]).
    at: At,
    next_seq: u64,
    /// What the protocol remembers to word its events.
    memory: P::FeedMemory,
}

impl<P: Viewed> Default for Feed<P> {
    fn default() -> Self {
        Feed {
            lines: VecDeque::new(),
            at: (0, 0),
            next_seq: 0,
            memory: P::FeedMemory::default(),
        }
    }
}

impl<P: Viewed> Clone for Feed<P> {
    fn clone(&self) -> Self {
        Feed {
            lines: self.lines.clone(),
            at: self.at,
            next_seq: self.next_seq,
            memory: self.memory.clone(),
        }
    }
}

impl<P: Viewed> PartialEq for Feed<P> {
    fn eq(&self, other: &Self) -> bool {
        self.lines == other.lines && self.at == other.at && self.memory == other.memory
    }
}

impl<P: Viewed> std::fmt::Debug for Feed<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Feed")
            .field("lines", &self.lines.len())
            .field("at", &self.at)
            .finish()
    }
}

impl<P: Viewed> Feed<P> {
    /// The last lines, newest first.
    #[cfg(test)]
    pub fn lines(&self) -> impl Iterator<Item = &FeedLine> {
        self.lines.iter().rev().take(FEED_LINES).map(|l| &**l)
    }

    /// The last lines written up to position `at` of the run, newest first.
    pub fn lines_at(&self, at: At) -> impl Iterator<Item = &FeedLine> {
        self.lines
            .iter()
            .rev()
            .filter(move |l| l.at <= at)
            .take(FEED_LINES)
            .map(|l| &**l)
    }

    /// Records what happened at position `at` of the run.
    pub fn record_at(&mut self, events: &[EventOf<P>], at: At) {
        self.at = at;
        self.record(events);
    }

    /// Records what happened, at the position last given to [`Feed::record_at`].
    pub fn record(&mut self, events: &[EventOf<P>]) {
        let mut cut = Vec::new();
        let mut healed = Vec::new();
        for e in events {
            match e.event {
                SimEvent::LinkCut { from, to } => cut.push((e.time, from, to)),
                SimEvent::LinkHealed { from, to } => healed.push((e.time, from, to)),
                _ => {
                    if let Some(text) = self.describe(&e.event) {
                        self.push(e.time, text);
                    }
                }
            }
        }
        // One line for the links one command changed (an isolation cuts many).
        for (links, cut) in [(cut, true), (healed, false)] {
            if let Some(&(time, ..)) = links.first() {
                let text = describe_links(&links, cut);
                self.push(time, text);
            }
        }
    }

    fn push(&mut self, time: Time, text: Text) {
        if self.lines.len() == FEED_HISTORY {
            self.lines.pop_front();
        }
        self.lines.push_back(Rc::new(FeedLine {
            seq: self.next_seq,
            time,
            at: self.at,
            text,
        }));
        self.next_seq += 1;
    }

    fn describe(&mut self, event: &SimEvent<P::Msg, P::Timer, P::Event>) -> Option<Text> {
        P::note(&mut self.memory, event);
        let text = match event {
            SimEvent::NodeCrashed { node } => {
                let name = node_name(*node);
                text(format!("{name} crashed"), format!("{name} 崩溃了"))
            }
            SimEvent::MessageDropped {
                id,
                from,
                to,
                reason: DropReason::User,
            } => {
                let (from, to) = (node_name(*from), node_name(*to));
                text(
                    format!("Message #{id} from {from} to {to} was dropped"),
                    format!("{from} 发往 {to} 的消息 #{id} 被丢弃"),
                )
            }
            SimEvent::ClientRequestSubmitted { node, request } => {
                let (name, op) = (node_name(*node), request.op);
                text(
                    format!("A client sent {op} to {name}"),
                    format!("客户端向 {name} 发送了 {op}"),
                )
            }
            SimEvent::MessageDuplicated { original, envelope } => {
                let (from, to, copy) = (
                    node_name(envelope.from),
                    node_name(envelope.to),
                    envelope.id,
                );
                text(
                    format!(
                        "Message #{original} from {from} to {to} was duplicated (copy #{copy})"
                    ),
                    format!("{from} 发往 {to} 的消息 #{original} 被复制了一份（副本 #{copy}）"),
                )
            }
            SimEvent::MessageDelayed {
                id,
                from,
                to,
                deliver_at,
            } => {
                let (from, to, at) = (node_name(*from), node_name(*to), format_time(*deliver_at));
                text(
                    format!("Message #{id} from {from} to {to} was delayed until {at}"),
                    format!("{from} 发往 {to} 的消息 #{id} 被推迟到 {at} 送达"),
                )
            }
            SimEvent::TimersAligned { nodes, deadline } => {
                let at = format_time(*deadline);
                text(
                    format!(
                        "Timers aligned: {} all time out at {at}",
                        names(Lang::En, nodes)
                    ),
                    format!("计时器已对齐：{} 都将在 {at} 超时", names(Lang::Zh, nodes)),
                )
            }
            SimEvent::TimersSpread {
                nodes,
                first,
                spacing,
            } => match nodes.split_first() {
                Some((head, rest)) if !rest.is_empty() => {
                    let (spacing, head, first) =
                        (format_time(*spacing), node_name(*head), format_time(*first));
                    text(
                        format!(
                            "Timers spread {spacing} apart: {head} times out first at {first}, then {}",
                            names(Lang::En, rest)
                        ),
                        format!(
                            "计时器已错开，间隔 {spacing}：{head} 最先在 {first} 超时，随后是 {}",
                            names(Lang::Zh, rest)
                        ),
                    )
                }
                _ => return None,
            },
            SimEvent::NetworkChanged { network } => {
                let (loss, min, max) = (
                    network.loss_per_mille / 10,
                    network.latency_min / 1000,
                    network.latency_max / 1000,
                );
                text(
                    format!("The network now loses {loss}% of messages; latency {min}–{max} ms"),
                    format!("网络现在丢失 {loss}% 的消息；延迟 {min}–{max} ms"),
                )
            }
            SimEvent::Protocol { node, event } => {
                return P::describe(&mut self.memory, *node, event)
            }
            _ => return None,
        };
        Some(text)
    }
}

fn format_time(t: Time) -> String {
    crate::components::format_time(t as f64)
}

/// Servers as a set: `{S1, S2}`.
fn set(nodes: &[NodeId]) -> String {
    let names: Vec<String> = nodes.iter().map(|&n| node_name(n)).collect();
    format!("{{{}}}", names.join(", "))
}

/// Links changed together, in a line: one link by name, a server's every
/// link as that server being cut off, a split as its two sides, anything
/// else as a count.
fn describe_links(links: &[(Time, NodeId, NodeId)], cut: bool) -> Text {
    let pairs: Vec<(NodeId, NodeId)> = links.iter().map(|&(_, a, b)| (a, b)).collect();
    let (verb, verb_zh) = if cut {
        ("cut", "被切断")
    } else {
        ("healed", "已恢复")
    };
    match pairs[..] {
        [(from, to)] => {
            let (from, to) = (node_name(from), node_name(to));
            return text(
                format!("Link {from} → {to} {verb}"),
                format!("链路 {from} → {to} {verb_zh}"),
            );
        }
        [(a, b), (c, d)] if (a, b) == (d, c) => {
            let (a, b) = (node_name(a), node_name(b));
            return text(
                format!("Link {a} ⇄ {b} {verb} both ways"),
                format!("链路 {a} ⇄ {b} 双向{verb_zh}"),
            );
        }
        _ => {}
    }
    let common = pairs.first().and_then(|&(a, b)| {
        [a, b]
            .into_iter()
            .find(|&n| pairs.iter().all(|&(x, y)| x == n || y == n))
    });
    let count = links.len();
    match (common, sides(&pairs), cut) {
        (Some(n), _, true) => {
            let name = node_name(n);
            text(
                format!("{name} cut off: {count} links cut"),
                format!("{name} 被隔离：切断了 {count} 条链路"),
            )
        }
        (Some(n), _, false) => {
            let name = node_name(n);
            text(
                format!("{name} rejoined: {count} links healed"),
                format!("{name} 重新接入：恢复了 {count} 条链路"),
            )
        }
        (None, Some((a, b)), true) => {
            let (a, b) = (set(&a), set(&b));
            text(
                format!("The cluster split in two: {a} and {b}"),
                format!("集群被分成两部分：{a} 和 {b}"),
            )
        }
        (None, Some((a, b)), false) => {
            let (a, b) = (set(&a), set(&b));
            text(
                format!("The split between {a} and {b} healed"),
                format!("{a} 与 {b} 之间的分区已恢复"),
            )
        }
        (None, None, true) => text(
            format!("{count} links cut"),
            format!("切断了 {count} 条链路"),
        ),
        (None, None, false) => text(
            format!("{count} links healed"),
            format!("恢复了 {count} 条链路"),
        ),
    }
}

/// The two sides, if `links` are exactly every link between two groups of
/// servers, both ways (what a split cuts): each side in node order, the side
/// of the lowest-numbered server first.
fn sides(links: &[(NodeId, NodeId)]) -> Option<(Vec<NodeId>, Vec<NodeId>)> {
    let &(a, b) = links.first()?;
    let mut left: Vec<NodeId> = links.iter().filter(|l| l.1 == b).map(|l| l.0).collect();
    let mut right: Vec<NodeId> = links.iter().filter(|l| l.0 == a).map(|l| l.1).collect();
    left.sort_unstable();
    right.sort_unstable();
    let exact = left.iter().all(|x| !right.contains(x))
        && links.len() == 2 * left.len() * right.len()
        && left.iter().all(|&x| {
            right
                .iter()
                .all(|&y| links.contains(&(x, y)) && links.contains(&(y, x)))
        });
    if !exact {
        return None;
    }
    Some(if left[0] < right[0] {
        (left, right)
    } else {
        (right, left)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use quorum_sim::raft::{Raft, RaftConfig};
    use quorum_sim::{Command, Sim, SimConfig, TimedEvent, MS};

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
            feed.at = (i, 0);
            feed.push(i, text(format!("line {i}"), format!("第 {i} 行")));
        }
        let then: Vec<_> = feed.lines_at((5, 0)).map(|l| l.text.en.as_str()).collect();
        assert_eq!(
            then,
            ["line 5", "line 4", "line 3", "line 2", "line 1", "line 0"]
        );
        assert_eq!(feed.lines_at((30, 0)).count(), FEED_LINES);
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
                nodes: vec![1, 3, 0],
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
    fn names_read_as_a_list() {
        assert_eq!(names(Lang::En, &[]), "");
        assert_eq!(names(Lang::En, &[2]), "S3");
        assert_eq!(names(Lang::En, &[0, 2]), "S1 and S3");
        assert_eq!(names(Lang::En, &[0, 1, 2]), "S1, S2 and S3");
        assert_eq!(names(Lang::Zh, &[2]), "S3");
        assert_eq!(names(Lang::Zh, &[0, 1, 2]), "S1、S2 和 S3");
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
            feed.push(i, text(format!("line {i}"), format!("第 {i} 行")));
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
}

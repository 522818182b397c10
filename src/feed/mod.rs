//! The event feed: what happened, in plain words, the whole run long.
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
use crate::run::Drawn;
use quorum_sim::chunked::ChunkedVec;
use quorum_sim::sim::{DropReason, EventOf};
use quorum_sim::{node_name, NodeId, SimEvent, Time};
use std::rc::Rc;

/// How many lines [`Feed::lines_at`] gives (the feed on the page scrolls
/// through all of them, a window at a time: [`Feed::window_at`]).
pub const FEED_LINES: usize = 8;

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

pub struct Feed<P: Drawn> {
    /// Every line of the run, in the order written (so by position): a
    /// chunked vector, which the timeline's snapshots share rather than copy,
    /// so the feed of any moment of a long run can be shown.
    lines: ChunkedVec<Rc<FeedLine>>,
    /// Where the next line is written (see [`Feed::record_at`]).
    at: At,
    next_seq: u64,
    /// What the protocol remembers to word its events.
    memory: P::FeedMemory,
}

impl<P: Drawn> Default for Feed<P> {
    fn default() -> Self {
        Feed {
            lines: ChunkedVec::default(),
            at: (0, 0),
            next_seq: 0,
            memory: P::FeedMemory::default(),
        }
    }
}

impl<P: Drawn> Clone for Feed<P> {
    fn clone(&self) -> Self {
        Feed {
            lines: self.lines.clone(),
            at: self.at,
            next_seq: self.next_seq,
            memory: self.memory.clone(),
        }
    }
}

impl<P: Drawn> PartialEq for Feed<P> {
    fn eq(&self, other: &Self) -> bool {
        self.lines == other.lines && self.at == other.at && self.memory == other.memory
    }
}

impl<P: Drawn> std::fmt::Debug for Feed<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Feed")
            .field("lines", &self.lines.len())
            .field("at", &self.at)
            .finish()
    }
}

impl<P: Drawn> Feed<P> {
    /// The last lines, newest first.
    #[cfg(test)]
    pub fn lines(&self) -> impl Iterator<Item = &FeedLine> {
        self.lines_before(self.lines.len())
    }

    /// The last lines written up to position `at` of the run, newest first.
    pub fn lines_at(&self, at: At) -> impl Iterator<Item = &FeedLine> {
        self.lines_before(self.count_at(at))
    }

    /// How many lines were written up to position `at` of the run.
    pub fn count_at(&self, at: At) -> usize {
        // Lines are in the order of their positions: the first one after `at`.
        let (mut lo, mut hi) = (0, self.lines.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.lines[mid].at <= at {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Up to `take` of the lines written up to position `at`, newest first,
    /// after skipping the `skip` newest: what a scrolled feed shows.
    pub fn window_at(&self, at: At, skip: usize, take: usize) -> impl Iterator<Item = &FeedLine> {
        let end = self.count_at(at).saturating_sub(skip);
        (end.saturating_sub(take)..end)
            .rev()
            .map(move |i| &*self.lines[i])
    }

    /// The last [`FEED_LINES`] lines before line `end`, newest first.
    fn lines_before(&self, end: usize) -> impl Iterator<Item = &FeedLine> {
        (end.saturating_sub(FEED_LINES)..end)
            .rev()
            .map(move |i| &*self.lines[i])
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

    /// Writes a line at position `at` (for tests of the feed's own rules).
    #[cfg(test)]
    pub(crate) fn write_at(&mut self, at: At, time: Time, text: Text) {
        self.at = at;
        self.push(time, text);
    }

    fn push(&mut self, time: Time, text: Text) {
        self.lines.push(Rc::new(FeedLine {
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
                    format!("{from} 发往 {to} 的消息 #{original} 被重复投递（副本为 #{copy}）"),
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
    crate::ui::format_time(t as f64)
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

//! The event feed: the last few things that happened, in plain words.
//!
//! Only events a person would want to read make a line; heartbeats, timers
//! being re-armed and ordinary deliveries do not.
//!
//! Each line remembers where in the run it happened, so the feed shown for a
//! past moment is the one a person saw then. Lines are shared (`Rc`): copying
//! the feed for a new frame copies pointers, not text.

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
    pub text: String,
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
        for (links, verb) in [(cut, "cut"), (healed, "healed")] {
            if let Some(&(time, ..)) = links.first() {
                let text = describe_links(&links, verb);
                self.push(time, text);
            }
        }
    }

    fn push(&mut self, time: Time, text: String) {
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

    fn describe(&mut self, event: &SimEvent<P::Msg, P::Timer, P::Event>) -> Option<String> {
        P::note(&mut self.memory, event);
        let text = match event {
            SimEvent::NodeCrashed { node } => format!("{} crashed", node_name(*node)),
            SimEvent::MessageDropped {
                id,
                from,
                to,
                reason: DropReason::User,
            } => format!(
                "Message #{id} from {} to {} was dropped",
                node_name(*from),
                node_name(*to)
            ),
            SimEvent::ClientRequestSubmitted { node, request } => {
                format!("A client sent {} to {}", request.op, node_name(*node))
            }
            SimEvent::MessageDuplicated { original, envelope } => format!(
                "Message #{original} from {} to {} was duplicated (copy #{})",
                node_name(envelope.from),
                node_name(envelope.to),
                envelope.id
            ),
            SimEvent::MessageDelayed {
                id,
                from,
                to,
                deliver_at,
            } => format!(
                "Message #{id} from {} to {} was delayed until {}",
                node_name(*from),
                node_name(*to),
                crate::components::format_time(*deliver_at as f64)
            ),
            SimEvent::NetworkChanged { network } => format!(
                "The network now loses {}% of messages; latency {}–{} ms",
                network.loss_per_mille / 10,
                network.latency_min / 1000,
                network.latency_max / 1000
            ),
            SimEvent::Protocol { node, event } => {
                return P::describe(&mut self.memory, *node, event)
            }
            _ => return None,
        };
        Some(text)
    }
}

/// Links changed together, in a line: one link by name, a server's every
/// link as that server being cut off, anything else as a count.
fn describe_links(links: &[(Time, NodeId, NodeId)], verb: &str) -> String {
    if let [(_, from, to)] = links {
        return format!("Link {} → {} {verb}", node_name(*from), node_name(*to));
    }
    let common = links.first().and_then(|&(_, a, b)| {
        [a, b]
            .into_iter()
            .find(|&n| links.iter().all(|&(_, x, y)| x == n || y == n))
    });
    match (common, verb) {
        (Some(n), "cut") => format!("{} cut off: {} links cut", node_name(n), links.len()),
        (Some(n), _) => format!("{} rejoined: {} links healed", node_name(n), links.len()),
        (None, _) => format!("{} links {verb}", links.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quorum_sim::raft::{Raft, RaftConfig};
    use quorum_sim::{Command, Sim, SimConfig, MS};

    fn texts(feed: &Feed<Raft>) -> Vec<String> {
        feed.lines().map(|l| l.text.clone()).collect()
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
            feed.push(i, format!("line {i}"));
        }
        let then: Vec<_> = feed.lines_at((5, 0)).map(|l| l.text.as_str()).collect();
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
                "12 links healed",
                "12 links cut",
                "S3 rejoined: 8 links healed",
                "S3 cut off: 8 links cut",
            ]
        );
    }

    #[test]
    fn duplicates_and_delays_name_the_message() {
        let mut sim = Sim::<Raft>::new(SimConfig::<RaftConfig>::new(3, 1)).unwrap();
        sim.apply(Command::Timeout { node: 0 }).unwrap();
        let id = sim.in_flight().next().unwrap().id;
        let mut feed = Feed::<Raft>::default();
        feed.record(&sim.apply(Command::DuplicateMessage { id }).unwrap());
        feed.record(
            &sim.apply(Command::DelayMessage { id, by: 1_000_000 })
                .unwrap(),
        );
        let lines = texts(&feed);
        assert!(
            lines[1].starts_with(&format!("Message #{id} from S1 to S")),
            "{lines:?}"
        );
        assert!(lines[1].contains("was duplicated (copy #"), "{lines:?}");
        assert!(lines[0].contains("was delayed until 1."), "{lines:?}");
    }

    #[test]
    fn the_feed_keeps_only_the_last_lines() {
        let mut feed = Feed::<Raft>::default();
        for i in 0..20 {
            feed.push(i, format!("line {i}"));
        }
        let lines: Vec<_> = feed.lines().collect();
        assert_eq!(lines.len(), FEED_LINES);
        assert_eq!(lines[0].text, "line 19");
    }
}

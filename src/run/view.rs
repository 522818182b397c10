//! The plain view models a running protocol hands the page: what to draw for
//! each server and each message, what the inspectors list, what a server's
//! menu offers, what the legend explains. They hold no protocol types, only
//! words (already in the page's language), numbers and the `data-*` pairs of
//! the DOM contract, so one set of components draws every protocol.

use crate::i18n::{Lang, Text};
use quorum_sim::{Command, MsgId, NodeId, Time};

/// The outline of a server or a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Square,
    Diamond,
    Triangle,
}

/// How a server's role shows beyond its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emphasis {
    /// Nothing special (a follower, an acceptor, a learner).
    Plain,
    /// A double ring and a crown: it leads.
    Leads,
    /// A dashed ring: it is trying to lead (a candidate).
    Campaigns,
}

/// A timer drawn as a shrinking arc: when it was set and when it fires (µs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arc {
    pub set_at: Time,
    pub deadline: Time,
}

impl Arc {
    /// The fraction still to run at virtual time `now`, from 1 (just set) to 0.
    pub fn left(&self, now: f64) -> f64 {
        let span = self.deadline.saturating_sub(self.set_at) as f64;
        if span <= 0.0 {
            0.0
        } else {
            ((self.deadline as f64 - now) / span).clamp(0.0, 1.0)
        }
    }
}

/// One server on the ring.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerGlyph {
    pub id: NodeId,
    pub crashed: bool,
    pub shape: Shape,
    /// The role in the DOM contract (`data-role`): `leader`, `acceptor`, ...
    pub role: &'static str,
    /// The role as the page says it (or "crashed").
    pub role_text: String,
    pub emphasis: Emphasis,
    /// What the number in the middle is ("term", "promised", ...).
    pub caption: String,
    /// The number (or short value) in the middle.
    pub number: String,
    /// Lines under the name and role (a Paxos acceptor's accepted proposal).
    pub detail: Vec<String>,
    /// A candidate's pips: votes held and votes needed.
    pub votes: Option<(usize, usize)>,
    /// A tick: it knows the outcome (a learner that learned).
    pub done: bool,
    pub timer: Option<Arc>,
    /// More `data-*` pairs of the DOM contract (`data-term`, `data-promised`, ...).
    pub data: Vec<(&'static str, String)>,
    /// What a screen reader says after the server's name.
    pub summary: String,
}

/// One message in flight. Everything here is fixed while it flies (but its
/// arrival, which a delay moves), so a glyph is drawn once and then only
/// moved, by the page's clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageGlyph {
    pub id: MsgId,
    pub from: NodeId,
    pub to: NodeId,
    pub sent_at: Time,
    pub deliver_at: Time,
    /// The message type in the DOM contract (`data-msg-kind`) and in the papers.
    pub kind: &'static str,
    /// The type as the page says it.
    pub kind_text: &'static str,
    pub shape: Shape,
    /// The colour family: `vote`, `append`, `client`, `heartbeat`, ...
    pub family: &'static str,
    pub reply: bool,
    /// A refusal (a vote not granted, a failed consistency check, a Nack).
    pub refused: bool,
    /// Entries (or commands) carried, shown as `+n` when more than 0.
    pub carries: usize,
    /// The number it is sent under (a term, a round) and what it is called.
    pub number: Option<(&'static str, u64)>,
}

/// One entry of the legend.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendItem {
    pub mark: LegendMark,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LegendMark {
    /// A message of this shape and colour family, hollow if a reply.
    Message {
        shape: Shape,
        family: &'static str,
        reply: bool,
    },
    /// A server of this shape.
    Server(Shape),
    /// The timer ring around a server.
    Timer,
    /// The timer ring in its last quarter, drawn red: about to fire.
    TimerUrgent,
    /// The colours terms are drawn in (1, 2, 3 ...).
    TermColours,
    /// A crashed server of this shape (dashed, grey).
    Crashed(Shape),
    /// A refused reply of this shape and family, crossed out in red; the
    /// legend shows it only while such a reply is on the ring.
    Refused { shape: Shape, family: &'static str },
}

/// A server's inspector: every state variable, under the paper's names.
#[derive(Clone, Debug, PartialEq)]
pub struct Inspector {
    /// "S1 — leader".
    pub title: String,
    /// A line before the sections (a crashed server lost its volatile state).
    pub note: Option<String>,
    pub sections: Vec<Section>,
}

/// A group of fields under a heading ("Persistent state on all servers").
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub heading: String,
    pub body: SectionBody,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SectionBody {
    Fields(Vec<Field>),
    /// A table, one row a peer or a slot (a leader's `nextIndex[]`).
    Table(Table),
    /// A list of items with a `data-*` pair each (armed timers).
    Items(Vec<Item>),
    /// A sentence instead of values ("none armed").
    Hint(String),
}

/// One variable: `data-field` is its name in the paper, the same in every language.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub key: &'static str,
    pub label: String,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Text(String),
    /// A list such as a log, newest last; empty shows `empty`.
    List {
        items: Vec<ListItem>,
        empty: String,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct ListItem {
    /// `data-index`.
    pub index: u64,
    pub text: String,
    /// A tag after it (" committed"), which also marks it.
    pub tag: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub head: Vec<String>,
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The row's `data-*` pair (`data-peer`).
    pub key: (&'static str, String),
    pub header: String,
    /// Each cell's `data-field`, if it has one, and its text.
    pub cells: Vec<(Option<&'static str>, String)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub data: (&'static str, String),
    pub text: String,
    /// A timer's deadline (µs): the inspector adds when it fires and how soon.
    pub deadline: Option<Time>,
}

impl Field {
    /// A field shown under its paper name in every language.
    pub fn paper(key: &'static str, value: impl ToString) -> Self {
        Field {
            key,
            label: key.to_string(),
            value: Value::Text(value.to_string()),
        }
    }

    /// A field under its paper name and, on a Chinese page, the Chinese
    /// term beside it: `term（任期）`.
    pub fn glossed(key: &'static str, zh: &str, lang: Lang, value: impl ToString) -> Self {
        let mut field = Field::paper(key, value);
        if lang == Lang::Zh {
            field.label = format!("{key}（{zh}）");
        }
        field
    }

    /// A field with a name in words.
    pub fn named(key: &'static str, label: &str, value: impl ToString) -> Self {
        Field {
            key,
            label: label.to_string(),
            value: Value::Text(value.to_string()),
        }
    }

    /// The field's value as text (a list joined), for tests and labels.
    pub fn text(&self) -> String {
        match &self.value {
            Value::Text(t) => t.clone(),
            Value::List { items, empty } if items.is_empty() => empty.clone(),
            Value::List { items, .. } => items
                .iter()
                .map(|i| i.text.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        }
    }
}

/// A message's inspector: its fields under the paper's names.
#[derive(Clone, Debug, PartialEq)]
pub struct MessageDetail {
    pub glyph: MessageGlyph,
    pub fields: Vec<Field>,
    /// What the protocol's channels do with a drop, duplicate or delay.
    pub channel_note: Option<String>,
}

/// What a click on a server opens: what it knows, and what can be done to it.
#[derive(Clone, Debug, PartialEq)]
pub struct Menu {
    pub node: NodeId,
    pub title: String,
    /// Short facts, as a definition list.
    pub facts: Vec<(String, String)>,
    pub actions: Vec<MenuAction>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MenuAction {
    pub label: String,
    pub act: Act,
    /// Why it cannot be done now, in words; the button is disabled then.
    pub refusal: Option<String>,
}

/// What a menu button does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Act {
    Command(Command),
    /// The next client request (keys cycle x, y, z) to this server.
    ClientRequest(NodeId),
}

/// The safety checker's state, for the status line.
#[derive(Clone, Debug, PartialEq)]
pub struct Safety {
    /// The properties checked, as the page names them.
    pub properties: Vec<String>,
    pub checked: u64,
    /// The first violation, in words.
    pub violation: Option<String>,
}

/// What a protocol calls its nodes, for the words the page builds around
/// them (the faults panel): Raft's servers, VR's replicas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Noun {
    /// The English plural: "servers".
    pub en: &'static str,
    /// The Chinese word and its measure word: 服务器, 台 (5 台服务器).
    pub zh: &'static str,
    pub measure_zh: &'static str,
}

impl Noun {
    pub const SERVERS: Noun = Noun {
        en: "servers",
        zh: "服务器",
        measure_zh: "台",
    };
}

/// The words the faults panel uses for the timers `Spread` and `Align` move.
#[derive(Clone, Debug, PartialEq)]
pub struct TimerWords {
    pub spread: Text,
    pub align: Text,
    /// Why aligned timers may never fire while a leader lives (its
    /// heartbeats restart them), if the protocol has a leader.
    pub align_with_leader: Option<Text>,
}

/// What the narration points at: the servers, log entries and messages in
/// flight that the claims of the step shown name (or the one claim hovered).
/// The ring outlines the servers and makes the messages glow; the log table
/// marks the entries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Highlights {
    pub nodes: Vec<NodeId>,
    /// Log entries (or slots) by server and index, from 1.
    pub entries: Vec<(NodeId, u64)>,
    pub messages: Vec<MsgId>,
}

impl Highlights {
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.entries.is_empty() && self.messages.is_empty()
    }

    pub fn node(&mut self, node: NodeId) {
        if !self.nodes.contains(&node) {
            self.nodes.push(node);
        }
    }

    pub fn entry(&mut self, node: NodeId, index: u64) {
        if index > 0 && !self.entries.contains(&(node, index)) {
            self.entries.push((node, index));
        }
    }

    pub fn message(&mut self, id: MsgId) {
        if !self.messages.contains(&id) {
            self.messages.push(id);
        }
    }

    /// The indices marked in `node`'s row.
    pub fn entries_of(&self, node: NodeId) -> Vec<u64> {
        self.entries
            .iter()
            .filter(|(n, _)| *n == node)
            .map(|(_, i)| *i)
            .collect()
    }
}

/// A text written into the program, in English and in Chinese.
pub type Words = (&'static str, &'static str);

/// One entry of a protocol's glossary: a word of the paper, explained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GlossaryEntry {
    /// Its anchor (`#glossary-<id>`, `data-glossary-term`); the `data-field`
    /// key of the inspector fields it explains.
    pub id: &'static str,
    /// The paper's own name for it (`currentTerm`, `proposal number`).
    pub paper: &'static str,
    /// The word as the page says it.
    pub term: Words,
    /// What it is, for someone who has not read the paper.
    pub definition: Words,
    /// Where the paper defines it.
    pub source: Words,
}

/// What a step of the guided start points at on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spot {
    /// Every running server.
    Servers,
    /// The number in the middle of every running server (a term).
    Numbers,
    /// The running servers of this role (`data-role`).
    Role(&'static str),
    /// The timer ring of one running server of this role.
    Timer(&'static str),
    /// Messages of this kind (`data-msg-kind`) in flight: those carrying
    /// entries, or those carrying none (a heartbeat).
    Message { kind: &'static str, carrying: bool },
    /// The committed entries of the protocol's table.
    Committed,
}

impl Spot {
    /// Its name in the DOM contract (`data-tour-target`).
    pub fn as_str(self) -> &'static str {
        match self {
            Spot::Servers => "servers",
            Spot::Numbers => "numbers",
            Spot::Role(_) => "role",
            Spot::Timer(_) => "timer",
            Spot::Message { .. } => "message",
            Spot::Committed => "committed",
        }
    }
}

/// What a step of the guided start asks of the person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// Nothing: read, look, go on.
    Explain,
    /// It offers to send a client request to the leader.
    Request,
    /// It waits until the leader crashes, says what happens while a new
    /// leader is elected (`down`, `{old}` naming the crashed one), and
    /// congratulates when one is (`elected`, `{new}` naming it).
    CrashLeader { down: Words, elected: Words },
}

/// One step of a protocol's guided start: one idea, shown on the live ring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TourStep {
    /// `data-tour-step`.
    pub id: &'static str,
    pub title: Words,
    pub body: Words,
    pub spot: Spot,
    /// The glossary entry that says more.
    pub glossary: Option<&'static str>,
    pub kind: StepKind,
}

//! What the page needs from a protocol beyond the core's `Protocol`,
//! `Checked` (its safety checker) and `Scripted` (its scenarios' claims):
//! who leads (for the keys that act on the leader), its settings in a link,
//! its messages' fields and its events in plain words. One implementation
//! per protocol the page runs.

pub mod multipaxos;
pub mod paxos;
pub mod raft;

use crate::i18n::{Lang, Text};
use quorum_sim::check::Checked;
use quorum_sim::scenario::Scripted;
use quorum_sim::{NodeId, Protocol, Sim};
use std::fmt::Debug;

pub trait Viewed: Protocol + Checked + Scripted + 'static
where
    Self::Safety: 'static,
{
    /// What the feed remembers between events to word them (e.g. who leads).
    type FeedMemory: Clone + Debug + Default + PartialEq + 'static;

    /// The server that leads at this moment, if the protocol has one.
    fn leader(sim: &Sim<Self>) -> Option<NodeId>;

    /// The protocol settings a shared link carries (e.g. Paxos's role counts).
    fn share_params(_config: &Self::Config) -> Vec<u64> {
        Vec::new()
    }

    /// The settings back from a link's numbers, or why they are not usable.
    fn config_from_params(params: &[u64]) -> Result<Self::Config, String> {
        if params.is_empty() {
            Ok(Self::Config::default())
        } else {
            Err(format!("{} takes no settings in a link", Self::NAME))
        }
    }

    /// A message's fields under the paper's names, for the message inspector.
    fn message_fields(msg: &Self::Msg, lang: Lang) -> Vec<MessageField>;

    /// Called for every event before it is worded: a forced timeout, a crash.
    fn note(
        _memory: &mut Self::FeedMemory,
        _event: &quorum_sim::sim::SimEvent<Self::Msg, Self::Timer, Self::Event>,
    ) {
    }

    /// A protocol event in plain words, or `None` if it is not worth a line.
    fn describe(memory: &mut Self::FeedMemory, node: NodeId, event: &Self::Event) -> Option<Text>;
}

/// One field of a message, as the inspector shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageField {
    /// The field's name in the paper (or in English where the paper has
    /// none): the `data-field` of the DOM contract, the same in every language.
    pub key: &'static str,
    /// What the page calls it: the paper's name, or words in the page's language.
    pub label: &'static str,
    pub value: String,
}

impl MessageField {
    /// A field shown under its paper name in every language.
    pub fn paper(key: &'static str, value: impl ToString) -> Self {
        MessageField {
            key,
            label: key,
            value: value.to_string(),
        }
    }

    /// A field with a name in words.
    pub fn named(key: &'static str, label: &'static str, value: impl ToString) -> Self {
        MessageField {
            key,
            label,
            value: value.to_string(),
        }
    }
}

//! Zab's properties (section III of the paper), checked after every event:
//!
//! - **Integrity**: a delivered ⟨v, z⟩ was broadcast by some primary.
//! - **Total order**: if some server delivers ⟨v, z⟩ before ⟨v′, z′⟩, any
//!   server that delivers ⟨v′, z′⟩ delivers ⟨v, z⟩ before it.
//! - **Agreement**: of two servers, one delivers what the other does (with
//!   total order: every server's deliveries are a prefix of one sequence).
//! - **Local primary order**: a server that delivers a primary's ⟨v′, z′⟩
//!   has delivered every transaction that primary broadcast before it.
//! - **Global primary order**: transactions of an earlier primary are
//!   delivered before those of a later one.
//! - **Primary integrity**: a primary has delivered every transaction of an
//!   earlier primary that anyone delivers, before it broadcasts its first.
//! - **One established leader per epoch**.
//! - **Prefix consistency**: a server's history starts with exactly what it
//!   has delivered (a new history never drops or changes a delivered transaction).

use super::{Txn, Zab, ZabEvent, Zxid};
use crate::check::{Checked, Violation};
use crate::kernel::Position;
use crate::kernel::{EventOf, SimEvent};
use crate::{node_name, NodeId, Sim, Time};
use std::collections::{BTreeMap, BTreeSet};

pub const ZAB_PROPERTIES: [&str; 8] = [
    "Integrity",
    "Total order",
    "Agreement",
    "Local primary order",
    "Global primary order",
    "Primary integrity",
    "One established leader per epoch",
    "Prefix consistency",
];

/// What broke a property, as data (the page words it in each language;
/// its `Display` is the violation's English detail).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ZabBreach {
    /// `node` established `epoch`, which `first` had established.
    EstablishedTwice {
        node: NodeId,
        epoch: u64,
        first: NodeId,
    },
    /// `node` broadcast `zxid` without being the established leader of its epoch.
    NotEstablished { node: NodeId, zxid: Zxid },
    /// `node` broadcast `zxid` having delivered `had` of the `older`
    /// transactions of earlier epochs that were delivered.
    PrimaryLacks {
        node: NodeId,
        zxid: Zxid,
        had: usize,
        older: usize,
    },
    /// `zxid` was broadcast twice with different transactions.
    BroadcastTwice { zxid: Zxid },
    /// `node` delivered `txn`, which no primary broadcast.
    NeverBroadcast { node: NodeId, txn: Txn },
    /// `node` delivered `zxid` after `prev`, of a later epoch.
    AfterLaterEpoch {
        node: NodeId,
        zxid: Zxid,
        prev: Zxid,
    },
    /// `node` delivered `zxid` after `prev` (or first), out of its primary's order.
    OutOfPrimaryOrder {
        node: NodeId,
        zxid: Zxid,
        prev: Option<Zxid>,
    },
    /// `node` delivered `zxid` as its `position`-th transaction, where
    /// another server delivered `other`; `reordered` if `zxid` was delivered
    /// elsewhere too (total order), not if it was not (agreement).
    Diverged {
        node: NodeId,
        zxid: Zxid,
        position: usize,
        other: Zxid,
        reordered: bool,
    },
    /// `node` delivered `zxid` a second time.
    DeliveredTwice { node: NodeId, zxid: Zxid },
    /// `zxid` was delivered after the primary of `later` broadcast with only `had` delivered.
    AfterNewPrimary { zxid: Zxid, later: u64, had: usize },
    /// `node` says it delivered `says`, but delivered `count`.
    Miscounted {
        node: NodeId,
        says: usize,
        count: usize,
    },
    /// `node`'s history does not start with what it delivered.
    NotAPrefix { node: NodeId },
    /// `node`'s history is not in zxid order.
    Unordered { node: NodeId },
}

impl ZabBreach {
    /// The property it breaks, as [`ZAB_PROPERTIES`] names it.
    pub fn property(&self) -> &'static str {
        ZAB_PROPERTIES[match self {
            ZabBreach::BroadcastTwice { .. } | ZabBreach::NeverBroadcast { .. } => 0,
            ZabBreach::Diverged {
                reordered: true, ..
            }
            | ZabBreach::DeliveredTwice { .. } => 1,
            ZabBreach::Diverged { .. } => 2,
            ZabBreach::OutOfPrimaryOrder { .. } => 3,
            ZabBreach::AfterLaterEpoch { .. } => 4,
            ZabBreach::PrimaryLacks { .. } | ZabBreach::AfterNewPrimary { .. } => 5,
            ZabBreach::EstablishedTwice { .. } | ZabBreach::NotEstablished { .. } => 6,
            ZabBreach::Miscounted { .. }
            | ZabBreach::NotAPrefix { .. }
            | ZabBreach::Unordered { .. } => 7,
        }]
    }
}

impl std::fmt::Display for ZabBreach {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = |n: &NodeId| node_name(*n);
        match self {
            ZabBreach::EstablishedTwice { node, epoch, first } => write!(
                f,
                "{} and {} both established epoch {epoch}",
                name(first),
                name(node)
            ),
            ZabBreach::NotEstablished { node, zxid } => {
                write!(f, "{} broadcast {zxid} without being established", name(node))
            }
            ZabBreach::PrimaryLacks {
                node,
                zxid,
                had,
                older,
            } => write!(
                f,
                "{} broadcast {zxid} having delivered {had} of the {older} earlier transactions",
                name(node)
            ),
            ZabBreach::BroadcastTwice { zxid } => {
                write!(f, "{zxid} was broadcast twice, differently")
            }
            ZabBreach::NeverBroadcast { node, txn } => write!(
                f,
                "{} delivered {} ({}), which no primary broadcast",
                name(node),
                txn.zxid,
                txn.request.op
            ),
            ZabBreach::AfterLaterEpoch { node, zxid, prev } => {
                write!(f, "{} delivered {zxid} after {prev}", name(node))
            }
            ZabBreach::OutOfPrimaryOrder { node, zxid, prev } => write!(
                f,
                "{} delivered {zxid} after {}",
                name(node),
                prev.map_or("nothing".to_string(), |p| p.to_string())
            ),
            ZabBreach::Diverged {
                node,
                zxid,
                position,
                other,
                ..
            } => write!(
                f,
                "{} delivered {zxid} as its transaction {position}, where another server delivered {other}",
                name(node)
            ),
            ZabBreach::DeliveredTwice { node, zxid } => {
                write!(f, "{} delivered {zxid} twice", name(node))
            }
            ZabBreach::AfterNewPrimary { zxid, later, had } => write!(
                f,
                "{zxid} of epoch {} delivered after the primary of epoch {later} broadcast with only {had} delivered",
                zxid.epoch
            ),
            ZabBreach::Miscounted { node, says, count } => write!(
                f,
                "{}: says it delivered {says}, but delivered {count}",
                name(node)
            ),
            ZabBreach::NotAPrefix { node } => write!(
                f,
                "{}: its history does not start with what it delivered",
                name(node)
            ),
            ZabBreach::Unordered { node } => {
                write!(f, "{}: its history is not in zxid order", name(node))
            }
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct ZabSafety {
    /// Every transaction a primary broadcast, by zxid.
    broadcast: BTreeMap<Zxid, Txn>,
    /// The longest sequence any server delivered; every server's is a prefix.
    delivered: Vec<Txn>,
    /// Per delivered transaction, in the same order: where in the run it was
    /// first delivered (events processed, commands applied), so a page
    /// showing an earlier moment shows only what was delivered by then.
    delivered_at: Vec<Position>,
    /// Per server: how many transactions it delivered since it started.
    delivered_by: BTreeMap<NodeId, usize>,
    /// Per epoch: its established leader.
    leaders: BTreeMap<u64, NodeId>,
    /// Per epoch: how many transactions its primary had delivered when it
    /// first broadcast.
    first_broadcast: BTreeMap<u64, usize>,
    /// What broke a property, once something has.
    breach: Option<ZabBreach>,
}

impl ZabSafety {
    /// The sequence of transactions delivered so far (by the server that delivered most).
    pub fn delivered(&self) -> &[Txn] {
        &self.delivered
    }

    /// The transactions delivered by the moment `at` (events processed,
    /// commands applied) of this run, in order.
    pub fn delivered_by(&self, at: Position) -> &[Txn] {
        let n = self.delivered_at.partition_point(|p| *p <= at);
        &self.delivered[..n]
    }

    pub fn leaders(&self) -> &BTreeMap<u64, NodeId> {
        &self.leaders
    }

    /// What broke a property, if anything has.
    pub fn breach(&self) -> Option<&ZabBreach> {
        self.breach.as_ref()
    }

    /// Keeps `breach` and reports it.
    fn fail(&mut self, time: Time, breach: ZabBreach) -> Result<(), Violation> {
        self.breach = Some(breach);
        Err(Violation {
            property: breach.property(),
            time,
            detail: breach.to_string(),
        })
    }

    fn check(&mut self, sim: &Sim<Zab>, events: &[EventOf<Zab>]) -> Result<(), Violation> {
        let outcome = self.check_events(sim, events);
        let at = sim.position();
        self.delivered_at.resize(self.delivered.len(), at);
        outcome
    }

    fn check_events(&mut self, sim: &Sim<Zab>, events: &[EventOf<Zab>]) -> Result<(), Violation> {
        let mut touched = BTreeSet::new();
        for e in events {
            let (node, event) = match &e.event {
                SimEvent::NodeRestarted { node } => {
                    self.delivered_by.insert(*node, 0);
                    touched.insert(*node);
                    continue;
                }
                SimEvent::Protocol { node, event } => (*node, event),
                _ => continue,
            };
            touched.insert(node);
            if let Some(breach) = self.step(node, event) {
                return self.fail(e.time, breach);
            }
        }
        for node in touched {
            let Some(s) = sim.node(node).and_then(|s| s.up()) else {
                continue;
            };
            let count = self.delivered_by.get(&node).copied().unwrap_or(0);
            let breach = if s.delivered != count {
                ZabBreach::Miscounted {
                    node,
                    says: s.delivered,
                    count,
                }
            } else if s.history.get(..count) != self.delivered.get(..count) {
                ZabBreach::NotAPrefix { node }
            } else if !s.history.windows(2).all(|w| w[0].zxid < w[1].zxid) {
                ZabBreach::Unordered { node }
            } else {
                continue;
            };
            return self.fail(sim.now(), breach);
        }
        Ok(())
    }

    /// One protocol event of `node`: what it breaks, if anything.
    fn step(&mut self, node: NodeId, event: &ZabEvent) -> Option<ZabBreach> {
        match event {
            ZabEvent::Established { epoch } => {
                if let Some(&first) = self.leaders.get(epoch) {
                    if first != node {
                        return Some(ZabBreach::EstablishedTwice {
                            node,
                            epoch: *epoch,
                            first,
                        });
                    }
                }
                self.leaders.insert(*epoch, node);
            }
            ZabEvent::Proposed { txn } => {
                let epoch = txn.zxid.epoch;
                if self.leaders.get(&epoch) != Some(&node) {
                    return Some(ZabBreach::NotEstablished {
                        node,
                        zxid: txn.zxid,
                    });
                }
                let had = self.delivered_by.get(&node).copied().unwrap_or(0);
                let older = self
                    .delivered
                    .iter()
                    .filter(|t| t.zxid.epoch < epoch)
                    .count();
                if older > had {
                    return Some(ZabBreach::PrimaryLacks {
                        node,
                        zxid: txn.zxid,
                        had,
                        older,
                    });
                }
                self.first_broadcast.entry(epoch).or_insert(had);
                if let Some(before) = self.broadcast.insert(txn.zxid, *txn) {
                    if before != *txn {
                        return Some(ZabBreach::BroadcastTwice { zxid: txn.zxid });
                    }
                }
            }
            ZabEvent::Delivered { txn } => return self.delivered_one(node, txn),
            _ => {}
        }
        None
    }

    fn delivered_one(&mut self, node: NodeId, txn: &Txn) -> Option<ZabBreach> {
        let zxid = txn.zxid;
        if self.broadcast.get(&zxid) != Some(txn) {
            return Some(ZabBreach::NeverBroadcast { node, txn: *txn });
        }
        let at = self.delivered_by.entry(node).or_insert(0);
        let i = *at;
        *at += 1;
        let prev = i.checked_sub(1).and_then(|p| self.delivered.get(p));
        if let Some(prev) = prev.filter(|p| p.zxid.epoch > zxid.epoch) {
            return Some(ZabBreach::AfterLaterEpoch {
                node,
                zxid,
                prev: prev.zxid,
            });
        }
        // The primary of an epoch broadcasts counters 1, 2, ...: the
        // one before ⟨e, c⟩ must be ⟨e, c − 1⟩, or of an earlier epoch for c = 1.
        let in_order = match prev {
            _ if zxid.counter == 1 => prev.is_none_or(|p| p.zxid.epoch < zxid.epoch),
            Some(p) => {
                p.zxid
                    == Zxid {
                        epoch: zxid.epoch,
                        counter: zxid.counter - 1,
                    }
            }
            None => false,
        };
        if !in_order {
            return Some(ZabBreach::OutOfPrimaryOrder {
                node,
                zxid,
                prev: prev.map(|p| p.zxid),
            });
        }
        match self.delivered.get(i) {
            Some(t) if t == txn => {}
            Some(t) => {
                return Some(ZabBreach::Diverged {
                    node,
                    zxid,
                    position: i + 1,
                    other: t.zxid,
                    reordered: self.delivered.contains(txn),
                })
            }
            None => {
                if self.delivered.contains(txn) {
                    return Some(ZabBreach::DeliveredTwice { node, zxid });
                }
                for (&later, &had) in self.first_broadcast.range(zxid.epoch + 1..) {
                    if i >= had {
                        return Some(ZabBreach::AfterNewPrimary { zxid, later, had });
                    }
                }
                self.delivered.push(*txn);
            }
        }
        None
    }
}

impl Checked for Zab {
    type Safety = ZabSafety;
    const PROPERTIES: &'static [&'static str] = &ZAB_PROPERTIES;

    fn check_safety(
        safety: &mut ZabSafety,
        sim: &Sim<Zab>,
        events: &[EventOf<Zab>],
    ) -> Result<(), Violation> {
        safety.check(sim, events)
    }
}

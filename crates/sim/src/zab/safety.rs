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
use crate::kernel::{EventOf, SimEvent};
use crate::{node_name, NodeId, Sim};
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

#[derive(Clone, Debug, Default)]
pub struct ZabSafety {
    /// Every transaction a primary broadcast, by zxid.
    broadcast: BTreeMap<Zxid, Txn>,
    /// The longest sequence any server delivered; every server's is a prefix.
    delivered: Vec<Txn>,
    /// Per server: how many transactions it delivered since it started.
    delivered_by: BTreeMap<NodeId, usize>,
    /// Per epoch: its established leader.
    leaders: BTreeMap<u64, NodeId>,
    /// Per epoch: how many transactions its primary had delivered when it
    /// first broadcast.
    first_broadcast: BTreeMap<u64, usize>,
}

impl ZabSafety {
    /// The sequence of transactions delivered so far (by the server that delivered most).
    pub fn delivered(&self) -> &[Txn] {
        &self.delivered
    }

    pub fn leaders(&self) -> &BTreeMap<u64, NodeId> {
        &self.leaders
    }

    fn check(&mut self, sim: &Sim<Zab>, events: &[EventOf<Zab>]) -> Result<(), Violation> {
        let mut touched = BTreeSet::new();
        for e in events {
            let fail = |p: usize, detail: String| {
                Err(Violation {
                    property: ZAB_PROPERTIES[p],
                    time: e.time,
                    detail,
                })
            };
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
            match event {
                ZabEvent::Established { epoch } => {
                    if let Some(&other) = self.leaders.get(epoch) {
                        if other != node {
                            return fail(
                                6,
                                format!(
                                    "{} and {} both established epoch {epoch}",
                                    node_name(other),
                                    node_name(node)
                                ),
                            );
                        }
                    }
                    self.leaders.insert(*epoch, node);
                }
                ZabEvent::Proposed { txn } => {
                    let epoch = txn.zxid.epoch;
                    if self.leaders.get(&epoch) != Some(&node) {
                        return fail(
                            6,
                            format!(
                                "{} broadcast {} without being established",
                                node_name(node),
                                txn.zxid
                            ),
                        );
                    }
                    let mine = self.delivered_by.get(&node).copied().unwrap_or(0);
                    let older = self
                        .delivered
                        .iter()
                        .filter(|t| t.zxid.epoch < epoch)
                        .count();
                    if older > mine {
                        return fail(
                            5,
                            format!(
                                "{} broadcast {} having delivered {mine} of the {older} earlier transactions",
                                node_name(node),
                                txn.zxid
                            ),
                        );
                    }
                    self.first_broadcast.entry(epoch).or_insert(mine);
                    if let Some(before) = self.broadcast.insert(txn.zxid, *txn) {
                        if before != *txn {
                            return fail(
                                0,
                                format!("{} was broadcast twice, differently", txn.zxid),
                            );
                        }
                    }
                }
                ZabEvent::Delivered { txn } => {
                    if self.broadcast.get(&txn.zxid) != Some(txn) {
                        return fail(
                            0,
                            format!(
                                "{} delivered {} ({}), which no primary broadcast",
                                node_name(node),
                                txn.zxid,
                                txn.request.op
                            ),
                        );
                    }
                    let at = self.delivered_by.entry(node).or_insert(0);
                    let i = *at;
                    *at += 1;
                    let prev = i.checked_sub(1).and_then(|p| self.delivered.get(p));
                    if let Some(prev) = prev.filter(|p| p.zxid.epoch > txn.zxid.epoch) {
                        return fail(
                            4,
                            format!(
                                "{} delivered {} after {}",
                                node_name(node),
                                txn.zxid,
                                prev.zxid
                            ),
                        );
                    }
                    // The primary of an epoch broadcasts counters 1, 2, ...: the
                    // one before ⟨e, c⟩ must be ⟨e, c − 1⟩, or of an earlier epoch for c = 1.
                    let in_order = match prev {
                        _ if txn.zxid.counter == 1 => {
                            prev.is_none_or(|p| p.zxid.epoch < txn.zxid.epoch)
                        }
                        Some(p) => {
                            p.zxid
                                == Zxid {
                                    epoch: txn.zxid.epoch,
                                    counter: txn.zxid.counter - 1,
                                }
                        }
                        None => false,
                    };
                    if !in_order {
                        return fail(
                            3,
                            format!(
                                "{} delivered {} after {}",
                                node_name(node),
                                txn.zxid,
                                prev.map_or("nothing".to_string(), |p| p.zxid.to_string())
                            ),
                        );
                    }
                    match self.delivered.get(i) {
                        Some(t) if t == txn => {}
                        Some(t) => {
                            let p = if self.delivered.contains(txn) { 1 } else { 2 };
                            return fail(
                                p,
                                format!(
                                    "{} delivered {} as its transaction {}, where another server delivered {}",
                                    node_name(node),
                                    txn.zxid,
                                    i + 1,
                                    t.zxid
                                ),
                            );
                        }
                        None => {
                            if self.delivered.contains(txn) {
                                return fail(
                                    1,
                                    format!("{} delivered {} twice", node_name(node), txn.zxid),
                                );
                            }
                            for (&later, &had) in self.first_broadcast.range(txn.zxid.epoch + 1..) {
                                if i >= had {
                                    return fail(
                                        5,
                                        format!(
                                            "{} of epoch {} delivered after the primary of epoch {later} broadcast with only {had} delivered",
                                            txn.zxid, txn.zxid.epoch
                                        ),
                                    );
                                }
                            }
                            self.delivered.push(*txn);
                        }
                    }
                }
                _ => {}
            }
        }
        for node in touched {
            let Some(s) = sim.node(node).and_then(|s| s.up()) else {
                continue;
            };
            let count = self.delivered_by.get(&node).copied().unwrap_or(0);
            let fail = |detail: String| {
                Err(Violation {
                    property: ZAB_PROPERTIES[7],
                    time: sim.now(),
                    detail: format!("{}: {detail}", node_name(node)),
                })
            };
            if s.delivered != count {
                return fail(format!(
                    "says it delivered {}, but delivered {count}",
                    s.delivered
                ));
            }
            if s.history.get(..count) != self.delivered.get(..count) {
                return fail("its history does not start with what it delivered".into());
            }
            if !s.history.windows(2).all(|w| w[0].zxid < w[1].zxid) {
                return fail("its history is not in zxid order".into());
            }
        }
        Ok(())
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

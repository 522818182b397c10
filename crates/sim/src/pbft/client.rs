//! A PBFT client (section 4.1): one request at a time, accepted after
//! `f + 1` matching REPLYs from different replicas.

use super::{primary_of, PbftConfig, PbftEvent, PbftMessage, PbftTimer, Reply, Request, View};
use crate::kv::ClientRequest;
use crate::protocol::Ctx;
use crate::NodeId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Client {
    /// `c`: the client's number, its node's.
    pub c: NodeId,
    /// How many replicas there are (`n = 3f + 1`).
    pub n: usize,
    pub f: usize,
    /// The view the client believes current (from replies), to find the primary.
    pub view: View,
    /// The request it waits on.
    pub outstanding: Option<Request>,
    /// Requests given to it while one was outstanding, in order.
    pub queue: Vec<Request>,
    /// REPLYs for the outstanding request, by replica.
    pub replies: BTreeMap<NodeId, Reply>,
    /// Every result it accepted: timestamp → result.
    pub accepted: BTreeMap<u64, u32>,
    /// The timestamp of its latest request (they only grow).
    pub last_t: u64,
    pub config: PbftConfig,
}

impl Client {
    pub fn new(c: NodeId, n: usize, config: PbftConfig) -> Self {
        Client {
            c,
            n,
            f: super::failure_bound(n),
            view: 0,
            outstanding: None,
            queue: Vec::new(),
            replies: BTreeMap::new(),
            accepted: BTreeMap::new(),
            last_t: 0,
            config,
        }
    }

    pub(super) fn restart(&mut self, ctx: &mut Ctx<super::Pbft>) {
        if self.outstanding.is_some() {
            ctx.set_timer(PbftTimer::Retransmit, self.config.client_timeout);
        }
    }

    /// A request of the kernel's: the next one, with timestamp `t` = its id.
    /// A timestamp not above the last one is not a new request and is dropped.
    pub(super) fn submit(&mut self, request: ClientRequest, ctx: &mut Ctx<super::Pbft>) {
        let request = Request::of(&request, self.c);
        if request.t <= self.last_t {
            return;
        }
        self.last_t = request.t;
        if self.outstanding.is_some() {
            self.queue.push(request);
        } else {
            self.send(request, ctx);
        }
    }

    /// Sends `request` to the primary it believes in.
    fn send(&mut self, request: Request, ctx: &mut Ctx<super::Pbft>) {
        self.outstanding = Some(request);
        self.replies.clear();
        ctx.send(primary_of(self.view, self.n), PbftMessage::Request(request));
        ctx.emit(PbftEvent::RequestSent {
            t: request.t,
            broadcast: false,
        });
        ctx.set_timer(PbftTimer::Retransmit, self.config.client_timeout);
    }

    pub(super) fn on_timer(&mut self, timer: PbftTimer, ctx: &mut Ctx<super::Pbft>) {
        if timer != PbftTimer::Retransmit {
            return;
        }
        // Section 4.1: "If the client does not receive replies soon enough,
        // it broadcasts the request to all replicas."
        let Some(request) = self.outstanding else {
            return;
        };
        for i in 0..self.n {
            ctx.send(i, PbftMessage::Request(request));
        }
        ctx.emit(PbftEvent::RequestSent {
            t: request.t,
            broadcast: true,
        });
        ctx.set_timer(PbftTimer::Retransmit, self.config.client_timeout);
    }

    pub(super) fn on_message(
        &mut self,
        from: NodeId,
        msg: PbftMessage,
        ctx: &mut Ctx<super::Pbft>,
    ) {
        let PbftMessage::Reply(reply) = msg else {
            return;
        };
        let Some(request) = self.outstanding else {
            return;
        };
        // The kernel stamps the sender: a reply counts for the replica that sent it.
        if reply.i != from || from >= self.n || reply.t != request.t || reply.c != self.c {
            return;
        }
        self.replies.insert(from, reply);
        // "The client waits for f + 1 replies with valid signatures from
        // different replicas, and with the same t and r."
        let matching: Vec<&Reply> = self.replies.values().filter(|r| r.r == reply.r).collect();
        if matching.len() < self.f + 1 {
            return;
        }
        // At least one of any f + 1 is correct: the lowest view among them
        // is one a correct replica was in.
        self.view = self
            .view
            .max(matching.iter().map(|r| r.v).min().unwrap_or(0));
        self.accepted.insert(request.t, reply.r);
        self.outstanding = None;
        self.replies.clear();
        ctx.cancel_timer(PbftTimer::Retransmit);
        ctx.emit(PbftEvent::Accepted {
            c: self.c,
            t: request.t,
            r: reply.r,
        });
        if !self.queue.is_empty() {
            let next = self.queue.remove(0);
            self.send(next, ctx);
        }
    }
}

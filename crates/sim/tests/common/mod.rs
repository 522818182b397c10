//! Helpers shared by the scenario and randomized tests.
#![allow(dead_code)]

use quorum_sim::kv::{ClientRequest, KvOp};
use quorum_sim::raft::{Raft, Role};
use quorum_sim::sim::EventOf;
use quorum_sim::{Checker, Command, NodeId, Sim, SimConfig, Time, MS};

/// A simulation whose every step and command is checked against Figure 3.
pub struct Checked {
    pub sim: Sim<Raft>,
    pub checker: Checker<Raft>,
}

impl Checked {
    pub fn new(nodes: usize, seed: u64) -> Self {
        Self::with_config(SimConfig::new(nodes, seed))
    }

    pub fn with_config(config: SimConfig<quorum_sim::raft::RaftConfig>) -> Self {
        let sim = Sim::new(config).expect("valid config");
        let mut checker = Checker::new();
        checker.observe(&sim, &[]).expect("a fresh cluster is safe");
        Checked { sim, checker }
    }

    fn check(&mut self, events: &[EventOf<Raft>]) {
        if let Err(v) = self.checker.observe(&self.sim, events) {
            panic!("seed {}: {v}", self.sim.config().seed);
        }
    }

    pub fn step(&mut self) -> Option<Vec<EventOf<Raft>>> {
        let events = self.sim.step()?;
        self.check(&events);
        Some(events)
    }

    /// Steps to `until`, checking after every event.
    pub fn run_until(&mut self, until: Time) -> Vec<EventOf<Raft>> {
        let mut all = Vec::new();
        while self.sim.next_event_time().is_some_and(|t| t <= until) {
            all.extend(self.step().unwrap_or_default());
        }
        all.extend(self.sim.advance_to(until));
        all
    }

    pub fn run_for(&mut self, duration: Time) -> Vec<EventOf<Raft>> {
        self.run_until(self.sim.now() + duration)
    }

    pub fn apply(&mut self, command: Command) -> Vec<EventOf<Raft>> {
        let events = self.sim.apply(command).expect("command applies");
        self.check(&events);
        events
    }

    pub fn request(&mut self, node: NodeId, key: char, value: u32) -> ClientRequest {
        let request = self.sim.new_request(KvOp::Set { key, value });
        self.apply(Command::ClientRequest { node, request });
        request
    }

    pub fn node(&self, id: NodeId) -> &Raft {
        self.sim.node(id).and_then(|s| s.up()).expect("node is up")
    }

    /// The running leaders.
    pub fn leaders(&self) -> Vec<NodeId> {
        self.sim
            .nodes()
            .iter()
            .filter_map(|s| s.up())
            .filter(|r| r.role == Role::Leader)
            .map(|r| r.id)
            .collect()
    }

    /// A leader that every running node follows in its own term: the cluster is settled.
    pub fn settled_leader(&self) -> Option<NodeId> {
        let up: Vec<&Raft> = self.sim.nodes().iter().filter_map(|s| s.up()).collect();
        let leader = up.iter().find(|r| r.role == Role::Leader)?;
        up.iter()
            .all(|r| r.current_term == leader.current_term && r.leader_id == Some(leader.id))
            .then_some(leader.id)
    }

    /// Runs until the cluster is settled on one leader, for at most `limit`.
    pub fn run_until_settled(&mut self, limit: Time) -> Option<NodeId> {
        let end = self.sim.now() + limit;
        while self.sim.now() < end {
            if let Some(l) = self.settled_leader() {
                return Some(l);
            }
            let next = (self.sim.now() + 10 * MS).min(end);
            self.run_until(next);
        }
        self.settled_leader()
    }
}

//! One Raft server: the rules of Figure 2, one handler per event, and the
//! extensions of Ongaro's thesis each behind its switch in [`RaftConfig`]:
//! PreVote (9.6), CheckQuorum with the leader lease (6.2, 4.2.3) and
//! leadership transfer (3.10); and log compaction with InstallSnapshot
//! (section 7, Figures 12 and 13), behind its switch too.

use super::{
    AppendRefusal, Entry, Log, Message, Progress, RaftConfig, RaftEvent, RaftPersistent, RaftTimer,
    ReplicationState, RequestRefusal, Role, Snapshot, SnapshotRefusal, TransferEnd, VoteRefusal,
};
use crate::kv::{ClientRequest, KvStore};
use crate::protocol::{Ctx, Protocol};
use crate::quorum::{Majority, Quorum};
use crate::{NodeId, Time};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Raft {
    pub id: NodeId,
    pub cluster_size: usize,
    pub config: RaftConfig,
    // Persistent state on all servers (Figure 2).
    pub current_term: u64,
    pub voted_for: Option<NodeId>,
    pub log: Log,
    // Volatile state on all servers.
    pub commit_index: u64,
    pub last_applied: u64,
    pub role: Role,
    /// The leader of `current_term`, once heard from (for forwarding client requests).
    pub leader_id: Option<NodeId>,
    /// Candidates: who has granted a vote in this term (including itself).
    pub votes: BTreeSet<NodeId>,
    /// Leaders: `nextIndex` and `matchIndex` for each other server (reinitialized after election).
    pub progress: BTreeMap<NodeId, Progress>,
    /// The replicated state machine, rebuilt after a restart from the
    /// snapshot, if the log has one, and by re-applying the log.
    pub kv: KvStore,
    /// PreVote (thesis 9.6): who granted a pre-vote for `current_term + 1`,
    /// itself included, while a pre-vote is under way; empty otherwise.
    #[serde(default)]
    pub pre_votes: BTreeSet<NodeId>,
    /// When this server last heard from the leader `leader_id` (an
    /// AppendEntries of its term), for the rule of thesis 4.2.3.
    #[serde(default)]
    pub leader_heard_at: Option<Time>,
    /// Leaders with CheckQuorum: the servers heard from since the last check
    /// (etcd's `RecentActive`).
    #[serde(default)]
    pub heard_since_check: BTreeSet<NodeId>,
    /// Leaders: the server leadership is being handed to (thesis 3.10; etcd's
    /// `leadTransferee`), and whether TimeoutNow went to it.
    #[serde(default)]
    pub transfer_target: Option<NodeId>,
    #[serde(default)]
    pub timeout_now_sent: bool,
}

type RaftCtx<'a> = Ctx<'a, Raft>;

impl Raft {
    fn peers(&self) -> impl Iterator<Item = NodeId> + '_ {
        (0..self.cluster_size).filter(move |p| *p != self.id)
    }

    /// The servers whose votes elect a leader and whose logs commit an entry:
    /// the whole cluster (section 5.2; section 6 would change who they are).
    fn voters(&self) -> Majority {
        Majority::of_cluster(self.cluster_size)
    }

    fn reset_election_timer(&self, ctx: &mut RaftCtx) {
        let after = ctx.random_range(
            self.config.election_timeout_min,
            self.config.election_timeout_max,
        );
        ctx.set_timer(RaftTimer::Election, after);
    }

    /// Figure 2, all servers: "If RPC request or response contains term T >
    /// currentTerm: set currentTerm = T, convert to follower". Also the step down
    /// of a candidate that hears from the leader of its own term.
    fn become_follower(&mut self, term: u64, ctx: &mut RaftCtx) {
        debug_assert!(term >= self.current_term);
        let was_leader = self.role == Role::Leader;
        if term > self.current_term {
            self.current_term = term;
            self.voted_for = None;
            self.leader_id = None;
        }
        self.role = Role::Follower;
        self.votes.clear();
        self.pre_votes.clear();
        self.progress.clear();
        if was_leader {
            // A leader that steps down in its own term (CheckQuorum) no
            // longer knows a leader; one that saw a newer term cleared it above.
            if self.leader_id == Some(self.id) {
                self.leader_id = None;
                self.leader_heard_at = None;
            }
            if let Some(target) = self.transfer_target.take() {
                ctx.cancel_timer(RaftTimer::TransferTimeout);
                ctx.emit(RaftEvent::TransferEnded {
                    target,
                    reason: TransferEnd::SteppedDown,
                });
            }
            if self.config.check_quorum {
                ctx.cancel_timer(RaftTimer::CheckQuorum);
            }
            // A leader has no election timer; a follower must have one.
            ctx.cancel_timer(RaftTimer::Heartbeat);
            self.reset_election_timer(ctx);
        }
        ctx.emit(RaftEvent::BecameFollower {
            term: self.current_term,
        });
    }

    /// Thesis 9.6: instead of a new term at once, ask everyone "would you vote
    /// for me in currentTerm + 1?"; currentTerm and votedFor stay as they are.
    fn start_pre_vote(&mut self, ctx: &mut RaftCtx) {
        let term = self.current_term + 1;
        self.pre_votes = BTreeSet::from([self.id]);
        // As etcd's becomePreCandidate: the leader it followed is gone.
        self.leader_id = None;
        self.leader_heard_at = None;
        ctx.emit(RaftEvent::PreVoteStarted { term });
        self.reset_election_timer(ctx);
        for peer in self.peers().collect::<Vec<_>>() {
            ctx.send(
                peer,
                Message::PreVote {
                    term,
                    candidate_id: self.id,
                    last_log_index: self.log.last_index(),
                    last_log_term: self.log.last_term(),
                },
            );
        }
        if self.voters().is_quorum(|id| self.pre_votes.contains(&id)) {
            self.become_candidate(false, ctx);
        }
    }

    /// Section 5.2 / Figure 2, candidates: increment currentTerm, vote for self,
    /// reset the election timer, send RequestVote to all other servers.
    /// `leadership_transfer` marks an election a leader asked for (TimeoutNow).
    fn become_candidate(&mut self, leadership_transfer: bool, ctx: &mut RaftCtx) {
        debug_assert!(
            self.role != Role::Leader,
            "a leader has no election timeout"
        );
        self.current_term += 1;
        self.role = Role::Candidate;
        self.voted_for = Some(self.id);
        self.leader_id = None;
        self.votes = BTreeSet::from([self.id]);
        self.pre_votes.clear();
        self.progress.clear();
        ctx.emit(RaftEvent::BecameCandidate {
            term: self.current_term,
        });
        self.reset_election_timer(ctx);
        for peer in self.peers().collect::<Vec<_>>() {
            ctx.send(
                peer,
                Message::RequestVote {
                    term: self.current_term,
                    candidate_id: self.id,
                    last_log_index: self.log.last_index(),
                    last_log_term: self.log.last_term(),
                    leadership_transfer,
                },
            );
        }
        if self.voters().is_quorum(|id| self.votes.contains(&id)) {
            self.become_leader(ctx);
        }
    }

    /// Figure 2, leaders: upon election send initial empty AppendEntries
    /// (heartbeat) to each server, and keep sending them during idle periods.
    fn become_leader(&mut self, ctx: &mut RaftCtx) {
        debug_assert_eq!(self.role, Role::Candidate);
        self.role = Role::Leader;
        self.leader_id = Some(self.id);
        self.votes.clear();
        // A candidate can win its term's election while a pre-vote for the
        // next one is under way: the pre-vote is over.
        self.pre_votes.clear();
        let last = self.log.last_index();
        self.progress = self.peers().map(|p| (p, Progress::new(last))).collect();
        ctx.emit(RaftEvent::BecameLeader {
            term: self.current_term,
        });
        ctx.cancel_timer(RaftTimer::Election);
        if self.config.check_quorum {
            self.heard_since_check.clear();
            ctx.set_timer(RaftTimer::CheckQuorum, self.config.election_timeout_min);
        }
        self.broadcast_append_entries(ctx);
        // A single-server cluster commits its own entries alone.
        self.advance_commit_index(ctx);
    }

    fn broadcast_append_entries(&mut self, ctx: &mut RaftCtx) {
        for peer in self.peers().collect::<Vec<_>>() {
            self.send_append_entries(peer, ctx);
        }
        ctx.set_timer(RaftTimer::Heartbeat, self.config.heartbeat_interval);
    }

    /// AppendEntries to one follower, with the entries from its `nextIndex`
    /// on; InstallSnapshot if that entry is compacted (section 7: "the
    /// leader must occasionally send snapshots to followers that lag behind").
    fn send_append_entries(&mut self, peer: NodeId, ctx: &mut RaftCtx) {
        let Some(progress) = self.progress.get_mut(&peer) else {
            return;
        };
        if let Some(snapshot) = self
            .log
            .snapshot()
            .filter(|s| progress.next_index <= s.last_included_index)
        {
            progress.sent(snapshot.last_included_index);
            ctx.send(
                peer,
                Message::InstallSnapshot {
                    term: self.current_term,
                    leader_id: self.id,
                    last_included_index: snapshot.last_included_index,
                    last_included_term: snapshot.last_included_term,
                    data: snapshot.state.clone(),
                },
            );
            return;
        }
        let prev_log_index = progress.next_index - 1;
        let prev_log_term = self
            .log
            .term_at(prev_log_index)
            .expect("nextIndex never passes the leader's log end + 1");
        let entries = self
            .log
            .entries_from(progress.next_index, self.config.max_entries_per_append);
        progress.sent(prev_log_index + entries.len() as u64);
        ctx.send(
            peer,
            Message::AppendEntries {
                term: self.current_term,
                leader_id: self.id,
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit: self.commit_index,
            },
        );
    }

    /// Figure 2, leaders: "If there exists an N such that N > commitIndex, a
    /// majority of matchIndex[i] ≥ N, and log[N].term == currentTerm: set
    /// commitIndex = N". Only entries of the current term are committed by
    /// counting replicas (section 5.4.2); earlier ones commit with them.
    fn advance_commit_index(&mut self, ctx: &mut RaftCtx) {
        let last = self.log.last_index();
        // The highest N a majority stores: the leader has its whole log.
        let stored = self.voters().committed_index(|id| {
            if id == self.id {
                last
            } else {
                self.progress.get(&id).map_or(0, |p| p.match_index)
            }
        });
        // Terms never decrease along a log: if the entry at N is of an older
        // term, so is every one below it, and none commits by counting.
        let n = stored.min(last);
        if n > self.commit_index && self.log.term_at(n) == Some(self.current_term) {
            self.set_commit_index(n, ctx);
        }
    }

    fn set_commit_index(&mut self, index: u64, ctx: &mut RaftCtx) {
        if index <= self.commit_index {
            return;
        }
        self.commit_index = index;
        ctx.emit(RaftEvent::Committed {
            index,
            term: self.current_term,
        });
        self.apply_committed(ctx);
    }

    /// Figure 2, all servers: "If commitIndex > lastApplied: increment
    /// lastApplied, apply log[lastApplied] to state machine".
    fn apply_committed(&mut self, ctx: &mut RaftCtx) {
        while self.last_applied < self.commit_index {
            self.last_applied += 1;
            let entry = *self
                .log
                .entry(self.last_applied)
                .expect("commitIndex never passes the log end");
            let duplicate = !self.kv.apply(&entry.request);
            ctx.emit(RaftEvent::Applied {
                index: self.last_applied,
                entry,
                duplicate,
            });
            self.snapshot_if_due(ctx);
        }
    }

    /// Section 7: "each server takes snapshots independently, covering just
    /// the committed entries in its log", here once it has applied
    /// `snapshot_threshold` entries since its last snapshot. The snapshot
    /// ends at lastApplied; the log through it is discarded.
    fn snapshot_if_due(&mut self, ctx: &mut RaftCtx) {
        let Some(threshold) = self.config.snapshot_threshold else {
            return;
        };
        if self.last_applied < self.log.prefix().0 + threshold.max(1) {
            return;
        }
        let last_included_term = self.log.compact(self.last_applied, self.kv.clone());
        ctx.emit(RaftEvent::SnapshotTaken {
            last_included_index: self.last_applied,
            last_included_term,
        });
    }

    /// Figure 13, InstallSnapshot receiver implementation. Rules 2-5 (the
    /// chunks of `offset` and `done`) have nothing to do: the snapshot comes
    /// whole.
    fn handle_install_snapshot(
        &mut self,
        term: u64,
        leader_id: NodeId,
        snapshot: Snapshot,
        ctx: &mut RaftCtx,
    ) {
        let last_included_index = snapshot.last_included_index;
        let reply = |ctx: &mut RaftCtx, current_term: u64| {
            ctx.send(
                leader_id,
                Message::InstallSnapshotReply {
                    term: current_term,
                    last_included_index,
                },
            );
        };
        // Rule 1: reply immediately if term < currentTerm.
        if term < self.current_term {
            ctx.emit(RaftEvent::SnapshotIgnored {
                leader: leader_id,
                last_included_index,
                reason: SnapshotRefusal::StaleTerm,
            });
            reply(ctx, self.current_term);
            return;
        }
        debug_assert!(self.role != Role::Leader, "two leaders in term {term}");
        // As for AppendEntries: the leader of this term is heard from.
        if self.role == Role::Candidate {
            self.become_follower(term, ctx);
        }
        self.pre_votes.clear();
        self.leader_id = Some(leader_id);
        self.leader_heard_at = Some(ctx.now);
        self.reset_election_timer(ctx);
        // A snapshot of entries this server has committed already (a late or
        // duplicated one) is not installed: it would move the state machine
        // back (as raft-rs and etcd, which ignore it too). The reply still
        // tells the leader that those entries are here.
        if last_included_index <= self.commit_index {
            ctx.emit(RaftEvent::SnapshotIgnored {
                leader: leader_id,
                last_included_index,
                reason: SnapshotRefusal::AlreadyCommitted {
                    commit_index: self.commit_index,
                },
            });
            reply(ctx, self.current_term);
            return;
        }
        // Rules 6 and 7: keep the entries after the snapshot if the log has
        // its last included entry, else discard the whole log.
        let last_included_term = snapshot.last_included_term;
        self.kv = snapshot.state.clone();
        let kept = self.log.install(snapshot);
        // Rule 8: reset the state machine using the snapshot's contents. The
        // entries it holds are committed, and applied now.
        self.commit_index = last_included_index;
        self.last_applied = last_included_index;
        ctx.emit(RaftEvent::SnapshotInstalled {
            leader: leader_id,
            last_included_index,
            last_included_term,
            kept,
        });
        reply(ctx, self.current_term);
    }

    /// The leader learns that the follower now holds everything through the
    /// snapshot's lastIncludedIndex, and goes on with AppendEntries from there.
    fn handle_install_snapshot_reply(
        &mut self,
        from: NodeId,
        term: u64,
        last_included_index: u64,
        ctx: &mut RaftCtx,
    ) {
        if self.role != Role::Leader || term != self.current_term {
            return;
        }
        if self.config.check_quorum {
            self.heard_since_check.insert(from);
        }
        let Some(progress) = self.progress.get_mut(&from) else {
            return;
        };
        progress.acknowledge(last_included_index);
        let behind = progress.next_index <= self.log.last_index();
        self.advance_commit_index(ctx);
        if self.transfer_target == Some(from) {
            self.advance_transfer(ctx);
        } else if behind {
            self.send_append_entries(from, ctx);
        }
    }

    /// The current leader this server heard from less than a minimum election
    /// timeout ago, if any (thesis 4.2.3). A leader counts itself.
    fn leader_heard(&self, now: Time) -> Option<NodeId> {
        if self.role == Role::Leader {
            return Some(self.id);
        }
        let heard_at = self.leader_heard_at?;
        (now < heard_at + self.config.election_timeout_min)
            .then_some(self.leader_id)
            .flatten()
    }

    /// Thesis 6.2 (etcd's CheckQuorum): "a leader steps down if an election
    /// timeout elapses without a successful round of heartbeats to a majority
    /// of its cluster". Every minimum election timeout, the leader counts the
    /// servers it heard from since the last count, itself included.
    fn check_quorum(&mut self, ctx: &mut RaftCtx) {
        let heard = |id: NodeId| id == self.id || self.heard_since_check.contains(&id);
        if self.voters().is_quorum(heard) {
            self.heard_since_check.clear();
            ctx.set_timer(RaftTimer::CheckQuorum, self.config.election_timeout_min);
            return;
        }
        ctx.emit(RaftEvent::QuorumLost {
            term: self.current_term,
            heard: 1 + self.heard_since_check.len(),
        });
        self.heard_since_check.clear();
        self.become_follower(self.current_term, ctx);
    }

    /// Thesis 9.6: grant a pre-vote if a RequestVote for `term` would be
    /// granted (the rules of Figure 2, section 5.4.1's up-to-date log) and no
    /// current leader was heard from within a minimum election timeout.
    /// Nothing of the receiver changes, not even its election timer.
    fn handle_pre_vote(
        &mut self,
        term: u64,
        candidate_id: NodeId,
        last_log_index: u64,
        last_log_term: u64,
        ctx: &mut RaftCtx,
    ) {
        let refusal = if term < self.current_term {
            Some(VoteRefusal::StaleTerm)
        } else if term == self.current_term && self.voted_for.is_some_and(|v| v != candidate_id) {
            Some(VoteRefusal::AlreadyVoted {
                voted_for: self.voted_for.expect("checked"),
            })
        } else if !self.log.is_up_to_date(last_log_term, last_log_index) {
            Some(VoteRefusal::LogBehind)
        } else {
            self.leader_heard(ctx.now)
                .map(|leader| VoteRefusal::LeaderHeard { leader })
        };
        match refusal {
            Some(reason) => ctx.emit(RaftEvent::PreVoteRefused {
                candidate: candidate_id,
                term,
                reason,
            }),
            None => ctx.emit(RaftEvent::PreVoteGranted {
                candidate: candidate_id,
                term,
            }),
        }
        // etcd: a grant echoes the term asked about, a refusal tells ours.
        ctx.send(
            candidate_id,
            Message::PreVoteReply {
                term: if refusal.is_none() {
                    term
                } else {
                    self.current_term
                },
                vote_granted: refusal.is_none(),
            },
        );
    }

    fn handle_pre_vote_reply(
        &mut self,
        from: NodeId,
        term: u64,
        vote_granted: bool,
        ctx: &mut RaftCtx,
    ) {
        if self.role == Role::Leader
            || self.pre_votes.is_empty()
            || term != self.current_term + 1
            || !vote_granted
        {
            return;
        }
        self.pre_votes.insert(from);
        ctx.emit(RaftEvent::PreVoteReceived {
            from,
            term,
            votes: self.pre_votes.len(),
        });
        // Thesis 9.6: with a majority's pre-votes, a real election.
        if self.voters().is_quorum(|id| self.pre_votes.contains(&id)) {
            self.become_candidate(false, ctx);
        }
    }

    /// Thesis 3.10, step 2 and 3: once the target's log matches the leader's,
    /// TimeoutNow; until then, AppendEntries to bring it up to date.
    fn advance_transfer(&mut self, ctx: &mut RaftCtx) {
        let Some(target) = self.transfer_target else {
            return;
        };
        if self.timeout_now_sent {
            return;
        }
        let caught_up = self
            .progress
            .get(&target)
            .is_some_and(|p| p.match_index == self.log.last_index());
        if caught_up {
            self.timeout_now_sent = true;
            ctx.emit(RaftEvent::TimeoutNowSent { target });
            ctx.send(
                target,
                Message::TimeoutNow {
                    term: self.current_term,
                    leader_id: self.id,
                },
            );
        } else {
            self.send_append_entries(target, ctx);
        }
    }

    fn handle_timeout_now(&mut self, term: u64, leader_id: NodeId, ctx: &mut RaftCtx) {
        // A stale TimeoutNow, or one reaching a leader, is not acted on.
        if term != self.current_term || self.role == Role::Leader {
            return;
        }
        ctx.emit(RaftEvent::TimeoutNowReceived {
            leader: leader_id,
            term,
        });
        // At once, past PreVote and the leader lease (etcd's campaignTransfer).
        self.become_candidate(true, ctx);
    }

    fn handle_request_vote(
        &mut self,
        term: u64,
        candidate_id: NodeId,
        last_log_index: u64,
        last_log_term: u64,
        ctx: &mut RaftCtx,
    ) {
        // Receiver implementation, Figure 2.
        let refusal = if term < self.current_term {
            Some(VoteRefusal::StaleTerm)
        } else if self.voted_for.is_some_and(|v| v != candidate_id) {
            Some(VoteRefusal::AlreadyVoted {
                voted_for: self.voted_for.expect("checked"),
            })
        } else if !self.log.is_up_to_date(last_log_term, last_log_index) {
            Some(VoteRefusal::LogBehind)
        } else {
            None
        };
        match refusal {
            Some(reason) => ctx.emit(RaftEvent::VoteRefused {
                candidate: candidate_id,
                term,
                reason,
            }),
            None => {
                // votedFor is persistent: one vote per term, even across a crash.
                self.voted_for = Some(candidate_id);
                ctx.emit(RaftEvent::VoteGranted {
                    candidate: candidate_id,
                    term,
                });
                self.reset_election_timer(ctx);
            }
        }
        ctx.send(
            candidate_id,
            Message::RequestVoteReply {
                term: self.current_term,
                vote_granted: refusal.is_none(),
            },
        );
    }

    fn handle_request_vote_reply(
        &mut self,
        from: NodeId,
        term: u64,
        vote_granted: bool,
        ctx: &mut RaftCtx,
    ) {
        if self.role != Role::Candidate || term != self.current_term || !vote_granted {
            return;
        }
        self.votes.insert(from);
        ctx.emit(RaftEvent::VoteReceived {
            from,
            term,
            votes: self.votes.len(),
        });
        // Section 5.2: a candidate wins with votes from a majority of the full cluster.
        if self.voters().is_quorum(|id| self.votes.contains(&id)) {
            self.become_leader(ctx);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn handle_append_entries(
        &mut self,
        term: u64,
        leader_id: NodeId,
        prev_log_index: u64,
        prev_log_term: u64,
        entries: Vec<Entry>,
        leader_commit: u64,
        ctx: &mut RaftCtx,
    ) {
        let reply = |ctx: &mut RaftCtx, current_term: u64, success: bool| {
            ctx.send(
                leader_id,
                Message::AppendEntriesReply {
                    term: current_term,
                    success,
                    prev_log_index,
                    entry_count: entries.len() as u64,
                },
            );
        };
        // Rule 1: reply false if term < currentTerm.
        if term < self.current_term {
            ctx.emit(RaftEvent::AppendRefused {
                leader: leader_id,
                reason: AppendRefusal::StaleTerm,
            });
            reply(ctx, self.current_term, false);
            return;
        }
        debug_assert!(self.role != Role::Leader, "two leaders in term {term}");
        if self.role == Role::Candidate {
            // Section 5.2: a candidate that hears from the leader of its term steps down.
            self.become_follower(term, ctx);
        }
        // A pre-vote under way ends: there is a leader (etcd, MsgApp to a pre-candidate).
        self.pre_votes.clear();
        self.leader_id = Some(leader_id);
        self.leader_heard_at = Some(ctx.now);
        self.reset_election_timer(ctx);
        // Entries through this server's snapshot are committed, and by Log
        // Matching the leader's (section 7): only those after it are taken,
        // checked at the snapshot's boundary, where prevLogTerm is
        // lastIncludedTerm (raft-rs does the same).
        let (snapshot_index, snapshot_term) = self.log.prefix();
        let (checked_index, checked_term, new) = if prev_log_index < snapshot_index {
            let skip = (snapshot_index - prev_log_index) as usize;
            (
                snapshot_index,
                snapshot_term,
                entries.get(skip..).unwrap_or_default(),
            )
        } else {
            (prev_log_index, prev_log_term, &entries[..])
        };
        // Rule 2: reply false if the log has no entry at prevLogIndex whose term matches prevLogTerm.
        if !self.log.matches(checked_index, checked_term) {
            let reason = match self.log.term_at(prev_log_index) {
                None => AppendRefusal::MissingEntry {
                    prev_log_index,
                    prev_log_term,
                },
                Some(found_term) => AppendRefusal::TermMismatch {
                    prev_log_index,
                    prev_log_term,
                    found_term,
                },
            };
            ctx.emit(RaftEvent::AppendRefused {
                leader: leader_id,
                reason,
            });
            reply(ctx, self.current_term, false);
            return;
        }
        // Rules 3 and 4: delete conflicting entries, append new ones.
        let outcome = self.log.append_after(checked_index, new);
        if outcome.appended > 0 {
            ctx.emit(RaftEvent::EntriesAppended {
                leader: leader_id,
                first_index: checked_index + 1 + new.len() as u64 - outcome.appended,
                count: outcome.appended,
                truncated_from: outcome.truncated_from,
            });
        }
        // Rule 5: commitIndex = min(leaderCommit, index of last new entry). Only
        // the entries this request vouched for may be committed.
        let last_new = prev_log_index + entries.len() as u64;
        if leader_commit > self.commit_index {
            self.set_commit_index(leader_commit.min(last_new), ctx);
        }
        reply(ctx, self.current_term, true);
    }

    fn handle_append_entries_reply(
        &mut self,
        from: NodeId,
        term: u64,
        success: bool,
        prev_log_index: u64,
        entry_count: u64,
        ctx: &mut RaftCtx,
    ) {
        if self.role != Role::Leader || term != self.current_term {
            return;
        }
        if self.config.check_quorum {
            self.heard_since_check.insert(from);
        }
        let Some(progress) = self.progress.get_mut(&from) else {
            return;
        };
        if success {
            progress.acknowledge(prev_log_index + entry_count);
            let behind = progress.next_index <= self.log.last_index();
            self.advance_commit_index(ctx);
            if self.transfer_target == Some(from) {
                self.advance_transfer(ctx);
            } else if behind {
                self.send_append_entries(from, ctx);
            }
        } else if progress.back_off(prev_log_index) {
            // Figure 2: "If AppendEntries fails because of log inconsistency:
            // decrement nextIndex and retry".
            let next_index = progress.next_index;
            ctx.emit(RaftEvent::NextIndexDecremented {
                follower: from,
                next_index,
            });
            self.send_append_entries(from, ctx);
        }
    }

    /// A client request reaching this server, from a client or forwarded by a follower.
    fn handle_client_request(
        &mut self,
        request: ClientRequest,
        forwarded: bool,
        ctx: &mut RaftCtx,
    ) {
        if let (Role::Leader, Some(target)) = (self.role, self.transfer_target) {
            // Thesis 3.10, step 1: "the prior leader stops accepting new client requests".
            ctx.emit(RaftEvent::RequestRefused {
                request,
                reason: RequestRefusal::TransferInProgress { target },
            });
            return;
        }
        if self.role == Role::Leader {
            // Figure 2, leaders: "If command received from client: append entry to local log".
            let index = self.log.append(Entry {
                term: self.current_term,
                request,
            });
            ctx.emit(RaftEvent::RequestAccepted {
                request,
                index,
                term: self.current_term,
            });
            // Followers still being probed get it once their log is found to match.
            let replicating: Vec<NodeId> = self
                .progress
                .iter()
                .filter(|(_, p)| p.state == ReplicationState::Replicate)
                .map(|(peer, _)| *peer)
                .collect();
            for peer in replicating {
                self.send_append_entries(peer, ctx);
            }
            self.advance_commit_index(ctx);
            return;
        }
        match (self.leader_id, forwarded) {
            (Some(leader), false) => {
                ctx.emit(RaftEvent::RequestForwarded {
                    request,
                    to: leader,
                });
                ctx.send(leader, Message::ClientRequest { request });
            }
            (None, false) => ctx.emit(RaftEvent::RequestRefused {
                request,
                reason: RequestRefusal::NoLeaderKnown,
            }),
            // Forward at most once: a request that finds no leader is refused and the client retries.
            (leader_hint, true) => ctx.emit(RaftEvent::RequestRefused {
                request,
                reason: RequestRefusal::NotLeader { leader_hint },
            }),
        }
    }
}

impl Protocol for Raft {
    type Config = RaftConfig;
    type Msg = Message;
    type Timer = RaftTimer;
    type Persistent = RaftPersistent;
    type Event = RaftEvent;

    const NAME: &'static str = "raft";

    fn start(
        id: NodeId,
        cluster_size: usize,
        config: &RaftConfig,
        persisted: Option<RaftPersistent>,
        ctx: &mut RaftCtx,
    ) -> Self {
        let recovered = persisted.is_some();
        let RaftPersistent {
            current_term,
            voted_for,
            log,
        } = persisted.unwrap_or_default();
        // Volatile state starts over: commitIndex and lastApplied at 0, the state
        // machine empty, as a follower (Figure 2); or, with a snapshot, at its
        // lastIncludedIndex with the state machine loaded from it (section 7).
        let (snapshot_index, kv) = log.snapshot().map_or((0, KvStore::default()), |s| {
            (s.last_included_index, s.state.clone())
        });
        let node = Raft {
            id,
            cluster_size,
            config: config.clone(),
            current_term,
            voted_for,
            log,
            commit_index: snapshot_index,
            last_applied: snapshot_index,
            role: Role::Follower,
            leader_id: None,
            votes: BTreeSet::new(),
            progress: BTreeMap::new(),
            kv,
            pre_votes: BTreeSet::new(),
            leader_heard_at: None,
            heard_since_check: BTreeSet::new(),
            transfer_target: None,
            timeout_now_sent: false,
        };
        ctx.emit(RaftEvent::Started {
            term: current_term,
            recovered,
        });
        node.reset_election_timer(ctx);
        node
    }

    fn persistent(&self) -> RaftPersistent {
        RaftPersistent {
            current_term: self.current_term,
            voted_for: self.voted_for,
            log: self.log.clone(),
        }
    }

    fn on_message(&mut self, from: NodeId, msg: Message, ctx: &mut RaftCtx) {
        // Thesis 4.2.3, as etcd applies it with CheckQuorum: a RequestVote of a
        // newer term within a minimum election timeout of hearing from a
        // current leader is ignored: no term is updated, no vote granted, no
        // reply. A leadership transfer's election is let through.
        if let Message::RequestVote {
            term,
            candidate_id,
            leadership_transfer: false,
            ..
        } = msg
        {
            if self.config.check_quorum && term > self.current_term {
                if let Some(leader) = self.leader_heard(ctx.now) {
                    ctx.emit(RaftEvent::VoteRefused {
                        candidate: candidate_id,
                        term,
                        reason: VoteRefusal::LeaderHeard { leader },
                    });
                    return;
                }
            }
        }
        // Settle the term first (Figure 2, rules for all servers), then
        // dispatch. A pre-vote, and a pre-vote granted, carry a term the
        // sender has not reached yet (thesis 9.6): they move no term.
        let settles = !matches!(
            msg,
            Message::PreVote { .. }
                | Message::PreVoteReply {
                    vote_granted: true,
                    ..
                }
        );
        if let Some(term) = crate::protocol::MessageMeta::term(&msg).filter(|_| settles) {
            if term > self.current_term {
                self.become_follower(term, ctx);
            }
        }
        match msg {
            Message::RequestVote {
                term,
                candidate_id,
                last_log_index,
                last_log_term,
                leadership_transfer: _,
            } => self.handle_request_vote(term, candidate_id, last_log_index, last_log_term, ctx),
            Message::RequestVoteReply { term, vote_granted } => {
                self.handle_request_vote_reply(from, term, vote_granted, ctx)
            }
            Message::AppendEntries {
                term,
                leader_id,
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
            } => self.handle_append_entries(
                term,
                leader_id,
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
                ctx,
            ),
            Message::AppendEntriesReply {
                term,
                success,
                prev_log_index,
                entry_count,
            } => self.handle_append_entries_reply(
                from,
                term,
                success,
                prev_log_index,
                entry_count,
                ctx,
            ),
            Message::ClientRequest { request } => self.handle_client_request(request, true, ctx),
            Message::PreVote {
                term,
                candidate_id,
                last_log_index,
                last_log_term,
            } => self.handle_pre_vote(term, candidate_id, last_log_index, last_log_term, ctx),
            Message::PreVoteReply { term, vote_granted } => {
                self.handle_pre_vote_reply(from, term, vote_granted, ctx)
            }
            Message::TimeoutNow { term, leader_id } => {
                self.handle_timeout_now(term, leader_id, ctx)
            }
            Message::InstallSnapshot {
                term,
                leader_id,
                last_included_index,
                last_included_term,
                data,
            } => self.handle_install_snapshot(
                term,
                leader_id,
                Snapshot {
                    last_included_index,
                    last_included_term,
                    state: data,
                },
                ctx,
            ),
            Message::InstallSnapshotReply {
                term,
                last_included_index,
            } => self.handle_install_snapshot_reply(from, term, last_included_index, ctx),
        }
    }

    fn on_timer(&mut self, timer: RaftTimer, ctx: &mut RaftCtx) {
        match (timer, self.role) {
            // Figure 2, followers and candidates: election timeout elapses → start an election.
            // With PreVote, a pre-vote first (thesis 9.6).
            (RaftTimer::Election, Role::Follower | Role::Candidate) => {
                if self.config.pre_vote {
                    self.start_pre_vote(ctx)
                } else {
                    self.become_candidate(false, ctx)
                }
            }
            (RaftTimer::Heartbeat, Role::Leader) => self.broadcast_append_entries(ctx),
            (RaftTimer::CheckQuorum, Role::Leader) => self.check_quorum(ctx),
            // Thesis 3.10: "if the transfer does not complete within an
            // election timeout, the prior leader aborts the transfer and
            // resumes accepting client requests".
            (RaftTimer::TransferTimeout, Role::Leader) => {
                if let Some(target) = self.transfer_target.take() {
                    ctx.emit(RaftEvent::TransferEnded {
                        target,
                        reason: TransferEnd::TimedOut,
                    });
                }
            }
            // A timer of a role the node has left; nothing to do.
            _ => {}
        }
    }

    fn on_client_request(&mut self, request: ClientRequest, ctx: &mut RaftCtx) {
        self.handle_client_request(request, false, ctx);
    }

    fn forced_timer(&self) -> Option<RaftTimer> {
        (self.role != Role::Leader).then_some(RaftTimer::Election)
    }

    /// Thesis 3.10, when the switch is on: a leader, to another server, with
    /// no transfer already under way.
    fn can_transfer_leadership(&self, target: NodeId) -> bool {
        self.config.leadership_transfer
            && self.role == Role::Leader
            && self.transfer_target.is_none()
            && target != self.id
            && target < self.cluster_size
    }

    /// Thesis 3.10: stop taking client requests, bring the target's log up to
    /// date, then TimeoutNow; give up after an election timeout (the minimum
    /// one, as etcd's base election timeout).
    fn on_transfer_leadership(&mut self, target: NodeId, ctx: &mut RaftCtx) {
        debug_assert!(self.can_transfer_leadership(target));
        self.transfer_target = Some(target);
        self.timeout_now_sent = false;
        ctx.emit(RaftEvent::TransferStarted { target });
        ctx.set_timer(RaftTimer::TransferTimeout, self.config.election_timeout_min);
        self.advance_transfer(ctx);
    }
}

//! Zab, rule by rule: each test names the step of Junqueira, Reed and
//! Serafini, "Zab: High-performance broadcast for primary-backup systems"
//! (DSN 2011, section IV: phase 1 discovery, phase 2 synchronization,
//! phase 3 broadcast, steps l.x.y for the leader and f.x.y for a follower),
//! or of ZooKeeper's Fast Leader Election (phase 0), or of the three traps
//! recorded by ZooKeeper's TLA+ specifications (`zookeeper-specifications/`),
//! or of the FIFO session Zab assumes of TCP. Rules of one handler are
//! checked by hand on one server; the others on a whole cluster, every
//! property checked after every event.

use quorum_sim::chaos::Run;
use quorum_sim::kv::{ClientRequest, KvOp};
use quorum_sim::rng::SimRng;
use quorum_sim::zab::{
    Conn, ResetReason, SessionMsg, Txn, Vote, Zab, ZabConfig, ZabEvent, ZabMessage, ZabPersistent,
    ZabPhase, ZabRole, ZabTimer, Zxid,
};
use quorum_sim::{Command, Ctx, NodeId, Protocol, SimConfig, SimEvent, Time, MS};

fn zxid(epoch: u64, counter: u64) -> Zxid {
    Zxid { epoch, counter }
}

fn request(id: u64) -> ClientRequest {
    ClientRequest {
        id,
        op: KvOp::Add {
            key: 'x',
            by: id as u32,
        },
    }
}

fn txn(epoch: u64, counter: u64) -> Txn {
    Txn {
        zxid: zxid(epoch, counter),
        request: request(epoch * 100 + counter),
    }
}

fn zxids(history: &[Txn]) -> Vec<Zxid> {
    history.iter().map(|t| t.zxid).collect()
}

// ---- by hand ------------------------------------------------------------------------

/// What one handler did: the messages it sent and the events it reported.
struct Out {
    sent: Vec<(NodeId, ZabMessage)>,
    events: Vec<ZabEvent>,
}

impl Out {
    /// The session messages sent to `to`, in order.
    fn to(&self, to: NodeId) -> Vec<SessionMsg> {
        self.sent
            .iter()
            .filter_map(|(t, m)| match m {
                ZabMessage::Session { body, .. } if *t == to => Some(body.clone()),
                _ => None,
            })
            .collect()
    }

    fn delivered(&self) -> Vec<Zxid> {
        self.events
            .iter()
            .filter_map(|e| match e {
                ZabEvent::Delivered { txn } => Some(txn.zxid),
                _ => None,
            })
            .collect()
    }

    fn closed(&self) -> Option<ResetReason> {
        self.events.iter().find_map(|e| match e {
            ZabEvent::ConnectionClosed { why, .. } => Some(*why),
            _ => None,
        })
    }
}

fn step(node: &mut Zab, f: impl FnOnce(&mut Zab, &mut Ctx<Zab>)) -> Out {
    step_at(0, node, f)
}

fn step_at(now: Time, node: &mut Zab, f: impl FnOnce(&mut Zab, &mut Ctx<Zab>)) -> Out {
    let mut rng = SimRng::from_seed(7);
    let mut ctx = Ctx::new(now, node.id, &mut rng);
    f(node, &mut ctx);
    Out {
        sent: ctx.outbox().to_vec(),
        events: ctx.events().to_vec(),
    }
}

fn start(id: NodeId, n: usize, persisted: Option<ZabPersistent>) -> Zab {
    let mut rng = SimRng::from_seed(id as u64 + 1);
    let mut ctx = Ctx::new(0, id, &mut rng);
    Zab::start(id, n, &ZabConfig::default(), persisted, &mut ctx)
}

fn disk(accepted_epoch: u64, current_epoch: u64, history: Vec<Txn>) -> Option<ZabPersistent> {
    Some(ZabPersistent {
        accepted_epoch,
        current_epoch,
        history,
    })
}

fn deliver(node: &mut Zab, from: NodeId, msg: ZabMessage) -> Out {
    step(node, |n, ctx| n.on_message(from, msg, ctx))
}

fn notification(vote: Vote, round: u64, state: ZabRole) -> ZabMessage {
    ZabMessage::Notification { vote, round, state }
}

/// One end of a session as the test drives it: the connection and the next
/// sequence number it sends.
struct Peer {
    id: NodeId,
    conn: Conn,
    seq: u64,
}

impl Peer {
    fn new(id: NodeId, conn: Conn) -> Self {
        Peer { id, conn, seq: 0 }
    }

    /// Sends `body` to `node` on this session, in sequence.
    fn send(&mut self, node: &mut Zab, body: SessionMsg) -> Out {
        let msg = ZabMessage::Session {
            conn: self.conn,
            seq: self.seq,
            ack: 0,
            body,
        };
        self.seq += 1;
        deliver(node, self.id, msg)
    }
}

/// Server 0 of `n`, which decided to lead (phase 0 ended with a quorum of
/// votes for it) and is in discovery.
fn prospective_leader(n: usize, persisted: Option<ZabPersistent>) -> Zab {
    let mut l = start(0, n, persisted);
    let (vote, round) = (l.vote, l.round);
    for voter in 1..n / 2 + 1 {
        deliver(&mut l, voter, notification(vote, round, ZabRole::Looking));
    }
    assert_eq!((l.role, l.phase), (ZabRole::Leading, ZabPhase::Discovery));
    l
}

/// Server `id`, which heard that server 0 leads and opened a connection to
/// it with CEPOCH: the server and the leader's end of that connection.
fn joined_follower(id: NodeId, n: usize, persisted: Option<ZabPersistent>) -> (Zab, Peer) {
    let mut f = start(id, n, persisted);
    let vote = Vote {
        epoch: 0,
        zxid: Zxid::default(),
        leader: 0,
    };
    let out = deliver(&mut f, 0, notification(vote, 1, ZabRole::Leading));
    assert_eq!((f.role, f.phase), (ZabRole::Following, ZabPhase::Discovery));
    assert_eq!(
        out.to(0),
        [SessionMsg::CEpoch {
            accepted_epoch: f.accepted_epoch
        }]
    );
    let conn = f.link.as_ref().unwrap().conn;
    (f, Peer::new(0, conn))
}

/// The leader's sessions with followers 1 ..= `followers`: each sent CEPOCH(0).
fn connect(l: &mut Zab, followers: usize) -> (Vec<Peer>, Vec<Out>) {
    let mut peers = Vec::new();
    let mut outs = Vec::new();
    for f in 1..=followers {
        let mut p = Peer::new(f, 1000 + f as u64);
        outs.push(p.send(l, SessionMsg::CEpoch { accepted_epoch: 0 }));
        peers.push(p);
    }
    (peers, outs)
}

/// Server 0 of 3, established in epoch 1 with follower 1 (follower 2 has not
/// joined): the leader and its session with follower 1.
fn established_leader_of_3() -> (Zab, Peer) {
    let mut l = prospective_leader(3, None);
    let (mut peers, _) = connect(&mut l, 1);
    let mut p1 = peers.remove(0);
    p1.send(
        &mut l,
        SessionMsg::AckEpoch {
            current_epoch: 0,
            history: vec![],
        },
    );
    let out = p1.send(&mut l, SessionMsg::AckLeader { epoch: 1 });
    assert_eq!(l.established_epoch(), Some(1));
    assert!(out.events.contains(&ZabEvent::Established { epoch: 1 }));
    (l, p1)
}

/// A follower (server 1 of 3) synchronized with leader 0 in `epoch` with
/// `history`, in broadcast, nothing yet committed; the leader's end.
fn follower_in_broadcast(epoch: u64, history: Vec<Txn>) -> (Zab, Peer) {
    let (mut f, mut l) = joined_follower(1, 3, None);
    l.send(&mut f, SessionMsg::NewEpoch { epoch });
    l.send(&mut f, SessionMsg::NewLeader { epoch, history });
    l.send(
        &mut f,
        SessionMsg::CommitLeader {
            epoch,
            committed: None,
        },
    );
    assert_eq!((f.role, f.phase), (ZabRole::Following, ZabPhase::Broadcast));
    (f, l)
}

// ---- Phase 0: Fast Leader Election --------------------------------------------------

/// FLE's total order on votes: the candidate's currentEpoch first, then its
/// last zxid, then its id. A looking server adopts a better vote of its
/// round and sends it on; a worse one changes nothing.
#[test]
fn phase0_votes_are_ordered_by_epoch_then_zxid_then_id() {
    let mine = |s: &Zab| s.vote;
    // Own vote: epoch 1, last zxid ⟨1, 5⟩, server 0.
    let persisted = || disk(1, 1, (1..=5).map(|c| txn(1, c)).collect());
    let cases = [
        // A higher epoch wins over a higher zxid.
        (
            Vote {
                epoch: 2,
                zxid: zxid(1, 3),
                leader: 2,
            },
            true,
        ),
        (
            Vote {
                epoch: 0,
                zxid: zxid(1, 9),
                leader: 2,
            },
            false,
        ),
        // The same epoch: the higher zxid wins over the higher id.
        (
            Vote {
                epoch: 1,
                zxid: zxid(1, 6),
                leader: 1,
            },
            true,
        ),
        (
            Vote {
                epoch: 1,
                zxid: zxid(1, 4),
                leader: 2,
            },
            false,
        ),
        // The same epoch and zxid: the higher id wins.
        (
            Vote {
                epoch: 1,
                zxid: zxid(1, 5),
                leader: 2,
            },
            true,
        ),
    ];
    for (vote, better) in cases {
        let mut s = start(0, 5, persisted());
        let before = mine(&s);
        assert_eq!(
            before,
            Vote {
                epoch: 1,
                zxid: zxid(1, 5),
                leader: 0
            }
        );
        let round = s.round;
        let out = deliver(&mut s, 2, notification(vote, round, ZabRole::Looking));
        if better {
            assert_eq!(mine(&s), vote, "{vote:?} is better");
            assert!(out.events.contains(&ZabEvent::Voted { round, vote }));
            let told: Vec<NodeId> = out.sent.iter().map(|(to, _)| *to).collect();
            assert_eq!(told, [1, 2, 3, 4], "the new vote is sent on");
        } else {
            assert_eq!(mine(&s), before, "{vote:?} is worse");
            assert!(out.sent.is_empty());
        }
    }
}

/// FLE: a notification of a later round voids what was heard in this one.
#[test]
fn phase0_a_later_round_voids_the_votes_heard_in_an_earlier_one() {
    let mut s = start(0, 5, None);
    let low = Vote {
        epoch: 0,
        zxid: Zxid::default(),
        leader: 4,
    };
    deliver(&mut s, 1, notification(low, 1, ZabRole::Looking));
    assert!(s.votes.contains_key(&1));
    let vote = Vote {
        epoch: 0,
        zxid: Zxid::default(),
        leader: 3,
    };
    deliver(&mut s, 2, notification(vote, 3, ZabRole::Looking));
    assert_eq!(s.round, 3);
    assert_eq!(s.votes.keys().copied().collect::<Vec<_>>(), [0, 2]);
    // A notification of an older round is answered with the current one, not counted.
    let out = deliver(&mut s, 1, notification(low, 2, ZabRole::Looking));
    assert!(!s.votes.contains_key(&1));
    assert_eq!(out.sent.len(), 1);
    assert!(matches!(
        out.sent[0],
        (1, ZabMessage::Notification { round: 3, .. })
    ));
}

/// FLE: a quorum of one round voting alike decides; the one voted for leads
/// (phase 1 as prospective leader), the others follow it and open a
/// connection with CEPOCH(f.p).
#[test]
fn phase0_a_quorum_of_equal_votes_decides_who_leads_and_who_follows() {
    let mut l = start(4, 5, None);
    let (vote, round) = (l.vote, l.round);
    deliver(&mut l, 1, notification(vote, round, ZabRole::Looking));
    assert_eq!(l.role, ZabRole::Looking, "two of five are no quorum");
    let out = deliver(&mut l, 2, notification(vote, round, ZabRole::Looking));
    assert!(out.events.contains(&ZabEvent::Decided { leader: 4 }));
    assert_eq!((l.role, l.phase), (ZabRole::Leading, ZabPhase::Discovery));

    // S4 adopts S5's better vote; with S2's a quorum of three votes for S5.
    let mut f = start(3, 5, None);
    for voter in [4, 1] {
        deliver(&mut f, voter, notification(vote, round, ZabRole::Looking));
    }
    assert_eq!((f.role, f.phase), (ZabRole::Following, ZabPhase::Discovery));
    assert_eq!(f.link.as_ref().unwrap().leader, 4);
}

/// FLE: servers outside the election (following or leading) are believed
/// when the leader itself says it leads, or when a quorum names one leader.
#[test]
fn phase0_a_looking_server_follows_a_leader_outside_the_election() {
    let named = Vote {
        epoch: 0,
        zxid: Zxid::default(),
        leader: 4,
    };
    let mut s = start(0, 5, None);
    deliver(&mut s, 1, notification(named, 1, ZabRole::Following));
    assert_eq!(s.role, ZabRole::Looking, "one follower is not enough");
    deliver(&mut s, 2, notification(named, 1, ZabRole::Following));
    assert_eq!(s.role, ZabRole::Following, "with itself, a quorum names S5");
    assert_eq!(s.link.as_ref().unwrap().leader, 4);

    let mut t = start(0, 5, None);
    deliver(&mut t, 4, notification(named, 7, ZabRole::Leading));
    assert_eq!(t.role, ZabRole::Following, "S5 says it leads");
}

/// FLE (ZooKeeper's `checkLeader`): a looking server that a quorum follows
/// leads, if they decided in its own round; in another round it waits.
#[test]
fn phase0_a_server_a_quorum_follows_in_its_own_round_leads() {
    let me = Vote {
        epoch: 0,
        zxid: Zxid::default(),
        leader: 0,
    };
    let mut s = start(0, 3, None);
    let round = s.round;
    deliver(&mut s, 1, notification(me, round + 1, ZabRole::Following));
    assert_eq!(s.role, ZabRole::Looking, "they decided in another round");
    deliver(&mut s, 2, notification(me, round, ZabRole::Following));
    assert_eq!((s.role, s.phase), (ZabRole::Leading, ZabPhase::Discovery));
}

// ---- Phase 1: discovery -------------------------------------------------------------

/// Step l.1.1: with CEPOCH(f.p) from a quorum, the prospective leader
/// proposes NEWEPOCH(e′) to them, e′ greater than every f.p it received
/// (and than its own), and not before.
#[test]
fn l1_1_with_cepoch_from_a_quorum_newepoch_proposes_an_epoch_above_every_fp() {
    let mut l = prospective_leader(5, disk(2, 2, vec![]));
    let mut p1 = Peer::new(1, 11);
    let out = p1.send(&mut l, SessionMsg::CEpoch { accepted_epoch: 3 });
    assert!(
        out.sent.is_empty(),
        "the leader and one follower are no quorum of 5"
    );
    assert_eq!(l.new_epoch, None);
    let mut p2 = Peer::new(2, 12);
    let out = p2.send(&mut l, SessionMsg::CEpoch { accepted_epoch: 5 });
    assert_eq!(out.to(1), [SessionMsg::NewEpoch { epoch: 6 }]);
    assert_eq!(out.to(2), [SessionMsg::NewEpoch { epoch: 6 }]);
    assert_eq!((l.new_epoch, l.accepted_epoch), (Some(6), 6));
    assert!(out.events.contains(&ZabEvent::EpochAccepted { epoch: 6 }));
}

/// Step f.1.2: a follower takes NEWEPOCH(e′) with e′ > f.p: f.p ← e′, and it
/// answers ACK-E with its currentEpoch (f.a) and its whole history.
#[test]
fn f1_2_a_follower_accepts_a_newer_epoch_and_answers_ack_e_with_current_epoch_and_history() {
    let history = vec![txn(1, 1), txn(2, 1)];
    let (mut f, mut l) = joined_follower(1, 3, disk(3, 2, history.clone()));
    let out = l.send(&mut f, SessionMsg::NewEpoch { epoch: 4 });
    assert_eq!(
        out.to(0),
        [SessionMsg::AckEpoch {
            current_epoch: 2,
            history
        }]
    );
    assert_eq!((f.accepted_epoch, f.current_epoch), (4, 2));
    assert_eq!(f.phase, ZabPhase::Synchronization);
}

/// Step f.1.2: a NEWEPOCH(e′) with e′ < f.p sends the follower back to
/// phase 0, its f.p untouched.
#[test]
fn f1_2_a_follower_given_an_older_epoch_goes_back_to_election() {
    let (mut f, mut l) = joined_follower(1, 3, disk(4, 4, vec![]));
    let round = f.round;
    let out = l.send(&mut f, SessionMsg::NewEpoch { epoch: 3 });
    assert_eq!(out.closed(), Some(ResetReason::EpochMismatch));
    assert_eq!((f.role, f.phase), (ZabRole::Looking, ZabPhase::Election));
    assert_eq!(f.round, round + 1);
    assert_eq!(f.accepted_epoch, 4);
    assert!(out.to(0).is_empty(), "no ACK-E");
}

/// Phase 1, with ZooKeeper's equal-epoch rule: a follower whose f.p is
/// already e′ may rejoin only the leader it acknowledged e′ to; any other
/// CEPOCH with f.p ≥ e′ means e′ was acknowledged elsewhere, and this
/// leader gives up its epoch (back to phase 0) rather than let one follower
/// acknowledge one epoch to two leaders.
#[test]
fn l1_1_a_cepoch_at_or_above_the_picked_epoch_is_taken_only_from_who_acknowledged_it() {
    let mut l = prospective_leader(3, None);
    let (mut peers, _) = connect(&mut l, 1);
    assert_eq!(l.new_epoch, Some(1));
    peers[0].send(
        &mut l,
        SessionMsg::AckEpoch {
            current_epoch: 0,
            history: vec![],
        },
    );
    // S2 reconnects with f.p = 1, which it acknowledged to this leader.
    let mut again = Peer::new(1, 77);
    let out = again.send(&mut l, SessionMsg::CEpoch { accepted_epoch: 1 });
    assert_eq!(out.to(1), [SessionMsg::NewEpoch { epoch: 1 }]);
    assert_eq!(l.role, ZabRole::Leading);
    // S3 never acknowledged epoch 1 here: someone else holds it.
    let mut stranger = Peer::new(2, 78);
    let out = stranger.send(&mut l, SessionMsg::CEpoch { accepted_epoch: 1 });
    assert_eq!(out.closed(), Some(ResetReason::EpochMismatch));
    assert_eq!(l.role, ZabRole::Looking);
}

/// Step l.1.2: the leader takes the history of the follower of its quorum
/// with the largest currentEpoch, even over a history with a larger last zxid.
#[test]
fn l1_2_the_new_history_is_the_one_with_the_largest_current_epoch_first() {
    let mut l = prospective_leader(5, disk(1, 1, vec![txn(1, 1)]));
    let mut p1 = Peer::new(1, 11);
    let mut p2 = Peer::new(2, 12);
    p1.send(&mut l, SessionMsg::CEpoch { accepted_epoch: 3 });
    p2.send(&mut l, SessionMsg::CEpoch { accepted_epoch: 2 });
    assert_eq!(l.new_epoch, Some(4));
    // S2 accepted NEWLEADER of epoch 3, whose history ended at ⟨1, 1⟩.
    p1.send(
        &mut l,
        SessionMsg::AckEpoch {
            current_epoch: 3,
            history: vec![txn(1, 1)],
        },
    );
    // S3 holds ⟨2, 1⟩ from epoch 2, which epoch 3 did not keep.
    let out = p2.send(
        &mut l,
        SessionMsg::AckEpoch {
            current_epoch: 2,
            history: vec![txn(1, 1), txn(2, 1)],
        },
    );
    assert_eq!(zxids(&l.history), [zxid(1, 1)]);
    for f in [1, 2] {
        assert_eq!(
            out.to(f),
            [SessionMsg::NewLeader {
                epoch: 4,
                history: vec![txn(1, 1)]
            }]
        );
    }
}

/// Step l.1.2: of equal currentEpochs, the history with the largest last
/// zxid; the leader's own history competes like a follower's.
#[test]
fn l1_2_of_equal_current_epochs_the_largest_last_zxid_wins_the_leaders_own_included() {
    let mine = vec![txn(1, 1), txn(1, 2)];
    let mut l = prospective_leader(5, disk(1, 1, mine.clone()));
    let (mut peers, _) = connect(&mut l, 2);
    peers[0].send(
        &mut l,
        SessionMsg::AckEpoch {
            current_epoch: 1,
            history: vec![txn(1, 1)],
        },
    );
    peers[1].send(
        &mut l,
        SessionMsg::AckEpoch {
            current_epoch: 1,
            history: vec![txn(1, 1), txn(1, 2), txn(1, 3)],
        },
    );
    assert_eq!(zxids(&l.history), [zxid(1, 1), zxid(1, 2), zxid(1, 3)]);

    let mut l = prospective_leader(5, disk(1, 1, mine.clone()));
    let (mut peers, _) = connect(&mut l, 2);
    for p in &mut peers {
        p.send(
            &mut l,
            SessionMsg::AckEpoch {
                current_epoch: 1,
                history: vec![txn(1, 1)],
            },
        );
    }
    assert_eq!(l.history, mine, "its own is the most recent");
}

// ---- Phase 2: synchronization -------------------------------------------------------

/// Step f.2.1: a follower takes NEWLEADER(e′, H) only for the e′ it
/// acknowledged in phase 1: f.a ← e′, its history becomes H, and it answers
/// ACK-LD. Any other epoch sends it back to phase 0.
#[test]
fn f2_1_a_follower_adopts_newleader_for_its_acknowledged_epoch_and_answers_ack_ld() {
    let (mut f, mut l) = joined_follower(1, 3, disk(1, 1, vec![txn(1, 1), txn(1, 2)]));
    l.send(&mut f, SessionMsg::NewEpoch { epoch: 2 });
    let history = vec![txn(1, 1)];
    let out = l.send(
        &mut f,
        SessionMsg::NewLeader {
            epoch: 2,
            history: history.clone(),
        },
    );
    assert_eq!(out.to(0), [SessionMsg::AckLeader { epoch: 2 }]);
    assert_eq!((f.accepted_epoch, f.current_epoch), (2, 2));
    assert_eq!(f.history, history, "⟨1, 2⟩, never committed, is gone");
    assert_eq!(f.persistent().current_epoch, 2);

    let (mut g, mut l) = joined_follower(1, 3, None);
    l.send(&mut g, SessionMsg::NewEpoch { epoch: 2 });
    let out = l.send(
        &mut g,
        SessionMsg::NewLeader {
            epoch: 3,
            history: vec![],
        },
    );
    assert_eq!(out.closed(), Some(ResetReason::EpochMismatch));
    assert_eq!((g.role, g.current_epoch), (ZabRole::Looking, 0));
}

/// Step l.2.2: with ACK-LD from a quorum the leader is established: it
/// delivers the new history and sends COMMIT-LD, not one ACK-LD earlier.
#[test]
fn l2_2_the_leader_is_established_and_sends_commit_ld_after_a_quorum_of_ack_ld() {
    let mut l = prospective_leader(5, disk(1, 1, vec![txn(1, 1), txn(1, 2)]));
    let (mut peers, _) = connect(&mut l, 2);
    for p in &mut peers {
        p.send(
            &mut l,
            SessionMsg::AckEpoch {
                current_epoch: 1,
                history: vec![txn(1, 1)],
            },
        );
    }
    let out = peers[0].send(&mut l, SessionMsg::AckLeader { epoch: 2 });
    assert!(out.sent.is_empty());
    assert_eq!(
        (l.phase, l.established_epoch()),
        (ZabPhase::Synchronization, None)
    );
    assert_eq!(l.delivered, 0);
    let out = peers[1].send(&mut l, SessionMsg::AckLeader { epoch: 2 });
    assert!(out.events.contains(&ZabEvent::Established { epoch: 2 }));
    assert_eq!(out.delivered(), [zxid(1, 1), zxid(1, 2)]);
    for f in [1, 2] {
        assert_eq!(
            out.to(f),
            [SessionMsg::CommitLeader {
                epoch: 2,
                committed: Some(zxid(1, 2))
            }]
        );
    }
}

/// Step f.2.2: on COMMIT-LD a follower delivers its history, in order, up to
/// the zxid COMMIT-LD names, and moves to phase 3.
#[test]
fn f2_2_commit_ld_delivers_the_history_in_order_up_to_the_zxid_it_names() {
    let (mut f, mut l) = joined_follower(1, 3, None);
    l.send(&mut f, SessionMsg::NewEpoch { epoch: 2 });
    let history = vec![txn(1, 1), txn(1, 2), txn(2, 1)];
    l.send(&mut f, SessionMsg::NewLeader { epoch: 2, history });
    assert_eq!(f.delivered, 0, "nothing before COMMIT-LD");
    let out = l.send(
        &mut f,
        SessionMsg::CommitLeader {
            epoch: 2,
            committed: Some(zxid(1, 2)),
        },
    );
    assert_eq!(out.delivered(), [zxid(1, 1), zxid(1, 2)]);
    assert_eq!(f.phase, ZabPhase::Broadcast);
    assert_eq!(f.last_committed, Some(zxid(1, 2)));
}

// ---- Phase 3: broadcast -------------------------------------------------------------

/// Step l.3.1: the established leader proposes ⟨v, z⟩ with z = ⟨e′, c⟩, the
/// counter starting at 1 in a new epoch, to every follower it synchronized.
#[test]
fn l3_1_the_leader_proposes_with_the_next_zxid_of_its_epoch_to_its_followers() {
    let (mut l, _) = established_leader_of_3();
    let out = step(&mut l, |n, ctx| n.on_client_request(request(7), ctx));
    let proposed = Txn {
        zxid: zxid(1, 1),
        request: request(7),
    };
    assert_eq!(out.to(1), [SessionMsg::Propose { txn: proposed }]);
    assert!(out.events.contains(&ZabEvent::Proposed { txn: proposed }));
    let out = step(&mut l, |n, ctx| n.on_client_request(request(8), ctx));
    assert!(matches!(out.to(1)[..], [SessionMsg::Propose { txn }] if txn.zxid == zxid(1, 2)));
}

/// Step l.3.2 (paper's l.3.3 for commit): the leader commits once a quorum
/// acknowledged, then sends COMMIT; an ACK for z also acknowledges all
/// before it (FIFO), so everything up to z is delivered, in order.
#[test]
fn l3_2_a_quorum_of_acks_commits_and_commits_are_delivered_in_zxid_order() {
    let mut l = prospective_leader(5, None);
    let (mut peers, _) = connect(&mut l, 2);
    for p in &mut peers {
        p.send(
            &mut l,
            SessionMsg::AckEpoch {
                current_epoch: 0,
                history: vec![],
            },
        );
    }
    for p in &mut peers {
        p.send(&mut l, SessionMsg::AckLeader { epoch: 1 });
    }
    assert_eq!(l.established_epoch(), Some(1));
    step(&mut l, |n, ctx| n.on_client_request(request(1), ctx));
    step(&mut l, |n, ctx| n.on_client_request(request(2), ctx));
    let out = peers[0].send(&mut l, SessionMsg::Ack { zxid: zxid(1, 2) });
    assert!(out.delivered().is_empty(), "two of five acknowledged");
    let out = peers[1].send(&mut l, SessionMsg::Ack { zxid: zxid(1, 2) });
    assert_eq!(out.delivered(), [zxid(1, 1), zxid(1, 2)]);
    assert_eq!(out.to(1), [SessionMsg::Commit { zxid: zxid(1, 2) }]);
}

/// Step f.3.1: a follower logs a PROPOSE of its epoch and only then ACKs it
/// (the ACK follows the Logged event, and the history holds it).
#[test]
fn f3_1_a_follower_acks_a_proposal_only_after_logging_it() {
    let (mut f, mut l) = follower_in_broadcast(2, vec![txn(1, 1)]);
    let t = txn(2, 1);
    let out = l.send(&mut f, SessionMsg::Propose { txn: t });
    assert_eq!(out.events, [ZabEvent::Logged { txn: t }]);
    assert_eq!(out.to(0), [SessionMsg::Ack { zxid: t.zxid }]);
    assert_eq!(f.persistent().history.last(), Some(&t));
}

/// Step f.3.1: a PROPOSE of another epoch, or one not after the follower's
/// last zxid, is not logged: the follower goes back to phase 0.
#[test]
fn f3_1_a_proposal_of_another_epoch_or_out_of_order_is_refused() {
    for bad in [txn(3, 1), txn(2, 1)] {
        let (mut f, mut l) = follower_in_broadcast(2, vec![txn(1, 1), txn(2, 1)]);
        let out = l.send(&mut f, SessionMsg::Propose { txn: bad });
        assert_eq!(out.closed(), Some(ResetReason::EpochMismatch), "{bad:?}");
        assert!(out.to(0).is_empty(), "no ACK for {bad:?}");
        assert_eq!(f.history.len(), 2);
    }
}

/// Step f.3.2: a COMMIT delivers, in zxid order, every logged transaction up
/// to it, and never one it has not logged.
#[test]
fn f3_2_a_commit_delivers_the_logged_transactions_in_zxid_order() {
    let (mut f, mut l) = follower_in_broadcast(2, vec![]);
    for c in 1..=3 {
        l.send(&mut f, SessionMsg::Propose { txn: txn(2, c) });
    }
    let out = l.send(&mut f, SessionMsg::Commit { zxid: zxid(2, 2) });
    assert_eq!(out.delivered(), [zxid(2, 1), zxid(2, 2)]);
    let out = l.send(&mut f, SessionMsg::Commit { zxid: zxid(2, 9) });
    assert_eq!(out.delivered(), [zxid(2, 3)], "⟨2, 9⟩ is not logged");
    assert_eq!(f.delivered, 3);
}

/// Phase 3: only an established leader takes a request; a follower in
/// broadcast passes it to its leader; any other server refuses it.
#[test]
fn l3_1_requests_go_to_the_established_leader_only() {
    let mut looking = start(0, 3, None);
    let out = step(&mut looking, |n, ctx| n.on_client_request(request(1), ctx));
    assert_eq!(
        out.events,
        [ZabEvent::RequestRefused {
            request: request(1)
        }]
    );
    let mut syncing = prospective_leader(3, None);
    let out = step(&mut syncing, |n, ctx| n.on_client_request(request(1), ctx));
    assert_eq!(
        out.events,
        [ZabEvent::RequestRefused {
            request: request(1)
        }]
    );
    assert!(syncing.history.is_empty());
    let (mut f, _) = follower_in_broadcast(1, vec![]);
    let out = step(&mut f, |n, ctx| n.on_client_request(request(2), ctx));
    assert_eq!(
        out.to(0),
        [SessionMsg::Forward {
            request: request(2)
        }]
    );
}

// ---- The three traps of ZooKeeper's TLA+ specifications -----------------------------

/// A follower joining an established leader: CEPOCH, then NEWEPOCH, ACK-E and
/// NEWLEADER; returns its session and the NEWLEADER history it was sent.
fn late_joiner(l: &mut Zab, id: NodeId) -> (Peer, Vec<Txn>) {
    let mut p = Peer::new(id, 500 + id as u64);
    let out = p.send(l, SessionMsg::CEpoch { accepted_epoch: 0 });
    assert_eq!(out.to(id), [SessionMsg::NewEpoch { epoch: 1 }]);
    let out = p.send(
        l,
        SessionMsg::AckEpoch {
            current_epoch: 0,
            history: vec![],
        },
    );
    let [SessionMsg::NewLeader { epoch: 1, history }] = &out.to(id)[..] else {
        panic!("NEWLEADER expected: {:?}", out.to(id));
    };
    (p, history.clone())
}

/// Trap 1: the leader proposes to a follower from the moment it sent it
/// NEWLEADER (after its ACK-E), not only after its ACK-LD: a proposal made
/// in between would otherwise never reach it.
#[test]
fn trap1_the_leader_proposes_to_followers_that_sent_ack_e_not_only_ack_ld() {
    let (mut l, _) = established_leader_of_3();
    let (_, history) = late_joiner(&mut l, 2);
    assert!(history.is_empty());
    let out = step(&mut l, |n, ctx| n.on_client_request(request(1), ctx));
    assert!(
        matches!(out.to(2)[..], [SessionMsg::Propose { txn }] if txn.zxid == zxid(1, 1)),
        "{:?}",
        out.to(2)
    );
}

/// Trap 2: a late joiner does not receive a proposal twice: NEWLEADER holds
/// every proposal so far, and only later ones come as PROPOSE.
#[test]
fn trap2_a_late_joiner_receives_each_proposal_once() {
    let (mut l, mut p1) = established_leader_of_3();
    step(&mut l, |n, ctx| n.on_client_request(request(1), ctx));
    p1.send(&mut l, SessionMsg::Ack { zxid: zxid(1, 1) });
    step(&mut l, |n, ctx| n.on_client_request(request(2), ctx));
    let (_, history) = late_joiner(&mut l, 2);
    let mut received = zxids(&history);
    for r in 3..=4 {
        let out = step(&mut l, |n, ctx| n.on_client_request(request(r), ctx));
        for m in out.to(2) {
            if let SessionMsg::Propose { txn } = m {
                received.push(txn.zxid);
            }
        }
    }
    assert_eq!(
        received,
        [zxid(1, 1), zxid(1, 2), zxid(1, 3), zxid(1, 4)],
        "each once, in order"
    );
}

/// Trap 3: COMMIT-LD carries the leader's latest committed zxid, not the end
/// of the history NEWLEADER carried (⟨1, 2⟩ is not committed yet).
#[test]
fn trap3_commit_ld_carries_the_leaders_latest_committed_zxid() {
    let (mut l, mut p1) = established_leader_of_3();
    step(&mut l, |n, ctx| n.on_client_request(request(1), ctx));
    p1.send(&mut l, SessionMsg::Ack { zxid: zxid(1, 1) });
    step(&mut l, |n, ctx| n.on_client_request(request(2), ctx));
    assert_eq!(l.last_committed, Some(zxid(1, 1)));
    let (mut p2, history) = late_joiner(&mut l, 2);
    assert_eq!(zxids(&history), [zxid(1, 1), zxid(1, 2)]);
    let out = p2.send(&mut l, SessionMsg::AckLeader { epoch: 1 });
    assert_eq!(
        out.to(2).first(),
        Some(&SessionMsg::CommitLeader {
            epoch: 1,
            committed: Some(zxid(1, 1))
        })
    );
}

/// Phase 3 (the paper adds a joining follower to the quorum on ACK-LD): the
/// history NEWLEADER sent a late joiner counts as logged by it only once its
/// ACK-LD comes; then what it completes is committed.
#[test]
fn l3_3_a_late_joiner_counts_toward_a_commit_only_from_its_ack_ld() {
    let (mut l, _) = established_leader_of_3();
    step(&mut l, |n, ctx| n.on_client_request(request(1), ctx));
    // S2 never acknowledges; S3 joins and is sent ⟨1, 1⟩ in NEWLEADER.
    let (mut p2, history) = late_joiner(&mut l, 2);
    assert_eq!(zxids(&history), [zxid(1, 1)]);
    let out = step(&mut l, |n, ctx| n.on_client_request(request(2), ctx));
    assert!(
        out.delivered().is_empty(),
        "S3 has not said it holds ⟨1, 1⟩"
    );
    assert_eq!(l.last_committed, None);
    let out = p2.send(&mut l, SessionMsg::AckLeader { epoch: 1 });
    assert_eq!(out.delivered(), [zxid(1, 1)]);
    assert_eq!(
        out.to(2),
        [
            SessionMsg::CommitLeader {
                epoch: 1,
                committed: None
            },
            SessionMsg::Commit { zxid: zxid(1, 1) }
        ]
    );
}

// ---- The FIFO session ---------------------------------------------------------------

/// FIFO session: a duplicated envelope is discarded; the proposal is logged
/// and acknowledged once.
#[test]
fn fifo_a_duplicated_message_is_taken_once() {
    let (mut f, l) = follower_in_broadcast(1, vec![]);
    let msg = ZabMessage::Session {
        conn: l.conn,
        seq: l.seq,
        ack: 0,
        body: SessionMsg::Propose { txn: txn(1, 1) },
    };
    let first = deliver(&mut f, 0, msg.clone());
    assert_eq!(first.to(0), [SessionMsg::Ack { zxid: zxid(1, 1) }]);
    let again = deliver(&mut f, 0, msg);
    assert!(again.sent.is_empty() && again.events.is_empty());
    assert_eq!(f.history.len(), 1);
    assert_eq!(f.role, ZabRole::Following, "a duplicate does not reset");
}

/// FIFO session: a message that overtook an earlier one waits for it, and
/// both are then handed over in their order.
#[test]
fn fifo_a_message_that_overtook_waits_until_the_gap_fills() {
    let (mut f, l) = follower_in_broadcast(1, vec![]);
    let at = |seq: u64, c: u64| ZabMessage::Session {
        conn: l.conn,
        seq,
        ack: 0,
        body: SessionMsg::Propose { txn: txn(1, c) },
    };
    let early = deliver(&mut f, 0, at(l.seq + 1, 2));
    assert!(early.sent.is_empty() && early.events.is_empty());
    assert!(f.history.is_empty());
    let gap = deliver(&mut f, 0, at(l.seq, 1));
    assert_eq!(
        gap.to(0),
        [
            SessionMsg::Ack { zxid: zxid(1, 1) },
            SessionMsg::Ack { zxid: zxid(1, 2) }
        ]
    );
    assert_eq!(zxids(&f.history), [zxid(1, 1), zxid(1, 2)]);
}

/// FIFO session: a message of another connection (an old one, delayed) is
/// not handed over.
#[test]
fn fifo_a_message_of_another_connection_is_ignored() {
    let (mut f, l) = follower_in_broadcast(1, vec![]);
    let stale = ZabMessage::Session {
        conn: l.conn.wrapping_add(1),
        seq: l.seq,
        ack: 0,
        body: SessionMsg::Propose { txn: txn(1, 1) },
    };
    let out = deliver(&mut f, 0, stale);
    assert!(out.sent.is_empty() && out.events.is_empty());
    assert!(f.history.is_empty());
}

/// FIFO session, as TCP: what the other side has not acknowledged for the
/// retransmission timeout is sent again at the leader's heartbeat; what it
/// acknowledged, or what was sent just now, is not.
#[test]
fn fifo_the_leader_resends_what_is_unacknowledged_for_its_timeout_and_only_that() {
    let (mut l, p1) = established_leader_of_3();
    step(&mut l, |n, ctx| n.on_client_request(request(1), ctx));
    step(&mut l, |n, ctx| n.on_client_request(request(2), ctx));
    // The leader sent S2 NEWEPOCH 0, NEWLEADER 1, COMMIT-LD 2, PROPOSE 3 and 4;
    // S2 says it took the first four.
    let msg = ZabMessage::Session {
        conn: p1.conn,
        seq: p1.seq,
        ack: 4,
        body: SessionMsg::PingAck,
    };
    deliver(&mut l, 1, msg);
    let to_s2 = |out: &Out| -> Vec<(u64, &'static str)> {
        out.sent
            .iter()
            .filter_map(|(to, m)| match m {
                ZabMessage::Session { seq, body, .. } if *to == 1 => Some((*seq, body.kind())),
                _ => None,
            })
            .collect()
    };
    let rto = ZabConfig::default().retransmit_after;
    let early = step_at(rto - MS, &mut l, |n, ctx| n.on_timer(ZabTimer::Tick, ctx));
    assert_eq!(to_s2(&early), [(5, "PING")], "not yet");
    let out = step_at(rto, &mut l, |n, ctx| n.on_timer(ZabTimer::Tick, ctx));
    assert_eq!(to_s2(&out), [(4, "PROPOSE"), (6, "PING")]);
}

/// FIFO session: a follower that hears nothing in sequence from its leader
/// for its timeout closes the connection and goes back to phase 0.
#[test]
fn fifo_a_silent_leader_resets_the_connection_and_the_follower_looks_again() {
    let (mut f, _) = follower_in_broadcast(1, vec![txn(1, 1)]);
    let round = f.round;
    let out = step(&mut f, |n, ctx| n.on_timer(ZabTimer::LeaderSilent, ctx));
    assert_eq!(out.closed(), Some(ResetReason::LeaderSilent));
    assert_eq!((f.role, f.round), (ZabRole::Looking, round + 1));
    assert!(f.link.is_none());
    assert_eq!(f.persistent().history, [txn(1, 1)], "its disk is kept");
}

// ---- whole clusters -----------------------------------------------------------------

fn cluster(nodes: usize, seed: u64) -> Run<Zab> {
    Run::new(SimConfig::new(nodes, seed)).unwrap()
}

fn settle(r: &mut Run<Zab>) -> usize {
    for _ in 0..300 {
        r.run_for(10 * MS).unwrap();
        let up: Vec<&Zab> = r.sim().nodes().iter().filter_map(|s| s.up()).collect();
        if let Some(l) = up.iter().find(|z| z.established_epoch().is_some()) {
            if up.iter().all(|z| z.phase == ZabPhase::Broadcast) {
                return l.id;
            }
        }
    }
    panic!("no settled leader: {:#?}", r.sim().nodes());
}

fn submit(r: &mut Run<Zab>, node: usize, value: u32) -> ClientRequest {
    let request = r.sim().new_request(KvOp::Set { key: 'x', value });
    r.apply(Command::ClientRequest { node, request }).unwrap();
    request
}

#[test]
fn phases_0_to_3_a_cluster_elects_establishes_and_delivers_in_zxid_order() {
    let mut r = cluster(3, 1);
    let l = settle(&mut r);
    submit(&mut r, l, 1);
    submit(&mut r, (l + 1) % 3, 2);
    r.run_for(500 * MS).unwrap();
    for n in 0..3 {
        assert_eq!(r.up(n).unwrap().delivered, 2, "{:#?}", r.sim().nodes());
    }
}

/// FIFO session over the lossy network: a lost PROPOSE is sent again at the
/// next heartbeat and delivered, and no connection closes.
#[test]
fn fifo_a_lost_proposal_is_sent_again_without_resetting_the_connection() {
    let mut r = cluster(3, 2);
    let l = settle(&mut r);
    submit(&mut r, l, 1);
    let lost = r
        .sim()
        .in_flight()
        .find(|e| {
            matches!(
                &e.payload,
                ZabMessage::Session {
                    body: SessionMsg::Propose { .. },
                    ..
                }
            )
        })
        .map(|e| e.id)
        .expect("a PROPOSE in flight");
    r.apply(Command::DropMessage { id: lost }).unwrap();
    let events = r.run_for(1_000 * MS).unwrap();
    let closed = events.iter().any(|e| {
        matches!(
            e.event,
            SimEvent::Protocol {
                event: ZabEvent::ConnectionClosed { .. },
                ..
            }
        )
    });
    assert!(!closed, "the loss closed a connection");
    for n in 0..3 {
        assert_eq!(r.up(n).unwrap().delivered, 1);
    }
}

/// Phases 1 and 2 after a crash: the next leader's history holds everything
/// the crashed one committed, and the epoch goes up.
#[test]
fn l1_2_after_the_leader_crashes_the_next_history_holds_every_committed_transaction() {
    let mut r = cluster(5, 3);
    let l = settle(&mut r);
    for v in 1..=3 {
        submit(&mut r, l, v);
    }
    r.run_for(300 * MS).unwrap();
    let committed: Vec<Zxid> = r
        .checker()
        .safety()
        .delivered()
        .iter()
        .map(|t| t.zxid)
        .collect();
    assert_eq!(committed.len(), 3);
    let epoch = r.up(l).unwrap().current_epoch;
    r.apply(Command::Crash { node: l }).unwrap();
    let next = settle(&mut r);
    assert_ne!(next, l);
    let z = r.up(next).unwrap();
    assert!(z.current_epoch > epoch);
    assert_eq!(zxids(&z.history[..3]), committed);
}

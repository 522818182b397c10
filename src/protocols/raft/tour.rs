//! Raft's guided start: a cluster, terms, the election timeout, the leader,
//! heartbeats and commitment, each shown on the live ring, after the
//! paper's section 5 and Figure 2; then the person crashes the leader and
//! watches a new one be elected.

use crate::run::view::{Spot, StepKind, TourStep};

pub static TOUR: [TourStep; 7] = [
    TourStep {
        id: "cluster",
        title: ("A cluster", "集群"),
        body: (
            "Each circle is a server, a copy of one small key-value store. Raft keeps the copies agreeing on one log of commands, so the cluster keeps working as long as more than half of its servers are running and can reach each other.",
            "每个圆圈代表一台服务器，每台都保存着同一个小型键值存储的一份副本。Raft 让这些服务器就同一份命令日志达成一致，所以只要超过半数的服务器正常运行、彼此能够通信，集群就能继续工作。",
        ),
        spot: Spot::Servers,
        glossary: Some("majority"),
        kind: StepKind::Explain,
    },
    TourStep {
        id: "term",
        title: ("Terms", "任期"),
        body: (
            "The number inside each server is its term (currentTerm). Raft divides time into terms numbered 1, 2, 3, …; each term begins with an election, and a term has at most one leader. Every message carries its sender's term: a server that sees a higher term takes it, and a leader or candidate that does steps down to follower.",
            "每台服务器中间的数字是它的任期（currentTerm）。Raft 把时间分成编号为 1、2、3……的任期；每个任期从一次选举开始，一个任期最多只有一个领导者。每条消息都带着发送方的任期：服务器一旦看到更大的任期，就更新为这个任期；如果它是领导者或候选人，还会退回为跟随者。",
        ),
        spot: Spot::Numbers,
        glossary: Some("currentTerm"),
        kind: StepKind::Explain,
    },
    TourStep {
        id: "election-timeout",
        title: ("The election timeout", "选举超时"),
        body: (
            "The ring around a follower is its election timer running down. While it hears from a leader it restarts the timer. If the timer runs out first, the follower assumes there is no leader: it adds one to its term, becomes a candidate, votes for itself and asks the others for their votes. Each server picks its timeout at random (here 150–300 ms), so usually one runs out alone and wins.",
            "跟随者外圈的圆弧是它的选举计时器，正在倒计时。每收到一次领导者的消息，计时就从头开始。如果计时器先走完，跟随者就认为领导者已经不在了：它把任期加一，成为候选人，投自己一票，并向其他服务器请求投票。每台服务器的超时时间都是随机选的（这里是 150–300 ms），所以通常只有一台最先到期，并赢得选举。",
        ),
        spot: Spot::Timer("follower"),
        glossary: Some("electionTimeout"),
        kind: StepKind::Explain,
    },
    TourStep {
        id: "leader",
        title: ("The leader", "领导者"),
        body: (
            "The server with the crown and the double ring is the leader: it won the votes of a majority of the servers in its term. A server votes for at most one candidate per term (votedFor), so no term can have two leaders. Only the leader takes clients' requests; it tells the others what to put in their logs.",
            "带王冠和双圈的服务器是领导者：它在自己的任期里赢得了多数派服务器的选票。每台服务器在一个任期内最多投票给一个候选人（votedFor），所以一个任期不会有两个领导者。只有领导者接收客户端的请求，并告诉其他服务器往日志里写什么。",
        ),
        spot: Spot::Role("leader"),
        glossary: Some("leader"),
        kind: StepKind::Explain,
    },
    TourStep {
        id: "heartbeat",
        title: ("Heartbeats", "心跳"),
        body: (
            "The squares flying out of the leader are AppendEntries messages. The leader sends one to every follower regularly (here every 50 ms), even when it has nothing new: an empty one is a heartbeat. It tells each follower the leader is alive, so the follower restarts its election timer instead of starting an election.",
            "从领导者飞出的方块是 AppendEntries 消息。领导者定期（这里每 50 ms）给每个跟随者发一条，即使没有新条目也照发：不带条目的那种就是心跳。心跳告诉跟随者领导者还在，于是跟随者重新开始选举计时，而不会发起选举。",
        ),
        spot: Spot::Message {
            kind: "AppendEntries",
            carrying: false,
        },
        glossary: Some("heartbeat"),
        kind: StepKind::Explain,
    },
    TourStep {
        id: "commit",
        title: ("Committing an entry", "提交日志条目"),
        body: (
            "Send a client request. The leader appends the command to its log as a new entry and sends it to the followers in AppendEntries. Once a majority of the servers have stored it, the leader commits it (commitIndex moves past it) and applies it to its key-value store; the followers learn this from the next AppendEntries. A committed entry is never undone: every later leader has it.",
            "发送一个客户端请求。领导者把这条命令作为新的日志条目追加到自己的日志中，并通过 AppendEntries 发给跟随者。一旦多数派服务器都存下了它，领导者就提交它（commitIndex 越过它），并把它应用到自己的键值存储；跟随者从下一条 AppendEntries 得知这一点。已提交的日志条目永远不会被撤销：以后的每个领导者都有它。",
        ),
        spot: Spot::Committed,
        glossary: Some("commitIndex"),
        kind: StepKind::Request,
    },
    TourStep {
        id: "try",
        title: ("Now you try: crash the leader", "现在轮到你：让领导者崩溃"),
        body: (
            "Click the leader (the crowned server) and choose Crash.",
            "点击领导者（戴王冠的服务器），选择“崩溃”。",
        ),
        spot: Spot::Role("leader"),
        glossary: Some("electionTimeout"),
        kind: StepKind::CrashLeader {
            down: (
                "{old} is down, so its heartbeats stop. The followers' election timers keep running down; the first to run out becomes a candidate in the next term and asks for votes. A server refuses its vote to a candidate whose log is less up to date than its own.",
                "{old} 已崩溃，它的心跳停止了。跟随者的选举计时器继续倒计时；最先到期的那台在下一个任期成为候选人并请求投票。如果候选人的日志不如自己的新，服务器就不会投票给它。",
            ),
            elected: (
                "Well done: {new} won the votes of a majority and is the new leader, in a higher term. It will bring the other logs in line with its own. Restart {old} (click it) and it rejoins as a follower.",
                "做得好：{new} 赢得了多数派的选票，在更高的任期成为新的领导者。接下来它会让其他服务器的日志与自己保持一致。点击 {old} 并重启它，它会以跟随者的身份重新加入。",
            ),
        },
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::view::StepKind;

    #[test]
    fn every_step_links_to_a_glossary_entry_and_the_last_waits_for_a_crash() {
        for step in &TOUR {
            let id = step.glossary.expect("each step says more in the glossary");
            assert!(
                super::super::glossary::GLOSSARY.iter().any(|e| e.id == id),
                "{id}"
            );
            assert!(!step.title.1.is_empty() && !step.body.1.is_empty());
        }
        assert!(matches!(
            TOUR.last().map(|s| s.kind),
            Some(StepKind::CrashLeader { .. })
        ));
        let ids: Vec<&str> = TOUR.iter().map(|s| s.id).collect();
        let unique: std::collections::BTreeSet<&&str> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "step ids are unique");
    }

    #[test]
    fn the_glossary_covers_every_figure_2_variable_the_inspector_shows() {
        let glossary = &super::super::glossary::GLOSSARY;
        for key in [
            "currentTerm",
            "votedFor",
            "log",
            "commitIndex",
            "lastApplied",
            "nextIndex",
            "matchIndex",
        ] {
            assert!(crate::ui::glossary::find(glossary, key).is_some(), "{key}");
        }
        assert_eq!(
            crate::ui::glossary::find(glossary, "nextIndex[]").map(|e| e.id),
            Some("nextIndex")
        );
    }
}

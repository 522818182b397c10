//! Raft's words, explained, each with where the paper ("In Search of an
//! Understandable Consensus Algorithm", extended version) defines it. The
//! ids are the inspector's `data-field` keys where a field shows the thing.

use crate::run::view::GlossaryEntry;

pub static GLOSSARY: [GlossaryEntry; 20] = [
    GlossaryEntry {
        id: "leader",
        paper: "leader",
        term: ("leader", "领导者"),
        definition: (
            "The one server that takes clients' requests and tells the others what to put in their logs. It won an election in its term and keeps its place by sending heartbeats.",
            "唯一接收客户端请求、并告诉其他服务器往日志里写什么的服务器。它在自己的任期里赢得了选举，靠不断发送心跳维持领导地位。",
        ),
        source: ("Raft §5.1, §5.2; Figure 2 (Rules for Servers)", "Raft 论文 §5.1、§5.2；图 2（服务器规则）"),
    },
    GlossaryEntry {
        id: "follower",
        paper: "follower",
        term: ("follower", "跟随者"),
        definition: (
            "A server that only answers: it appends what the leader sends and votes for candidates. Every server starts as a follower.",
            "被动应答的服务器：它追加领导者发来的条目、给候选人投票，自己从不主动发起请求。每台服务器启动时都是跟随者。",
        ),
        source: ("Raft §5.1; Figure 2 (Rules for Servers)", "Raft 论文 §5.1；图 2（服务器规则）"),
    },
    GlossaryEntry {
        id: "candidate",
        paper: "candidate",
        term: ("candidate", "候选人"),
        definition: (
            "A server trying to become leader: its election timer ran out, so it started a new term, voted for itself and asked the others for votes. It leads if a majority votes for it.",
            "正在争取成为领导者的服务器：它的选举计时器到期了，于是开始一个新任期、投自己一票并向其他服务器请求投票。得到多数派的选票就成为领导者。",
        ),
        source: ("Raft §5.2; Figure 2 (Rules for Servers)", "Raft 论文 §5.2；图 2（服务器规则）"),
    },
    GlossaryEntry {
        id: "currentTerm",
        paper: "currentTerm",
        term: ("current term", "当前任期"),
        definition: (
            "The latest term this server has seen. Terms number the elections 1, 2, 3, …; a term has at most one leader. It starts at 0 and only grows; a server that sees a higher term in any message takes it.",
            "这台服务器见过的最新任期。任期给选举编号 1、2、3……；一个任期最多只有一个领导者。它从 0 开始，只增不减；服务器在任何消息里看到更大的任期，就更新为那个任期。",
        ),
        source: ("Raft Figure 2 (State); §5.1", "Raft 论文图 2（状态）；§5.1"),
    },
    GlossaryEntry {
        id: "votedFor",
        paper: "votedFor",
        term: ("voted for", "已投给"),
        definition: (
            "The candidate this server voted for in its current term, or none. One vote per term is what keeps a term from having two leaders; it is kept on disk so a restart cannot vote twice.",
            "这台服务器在当前任期投票给的候选人；还没投票时为空。每个任期只投一票，保证一个任期不会有两个领导者；它保存在磁盘上，所以重启后也不会在同一任期再投一次。",
        ),
        source: ("Raft Figure 2 (State); §5.2", "Raft 论文图 2（状态）；§5.2"),
    },
    GlossaryEntry {
        id: "log",
        paper: "log[]",
        term: ("log", "日志"),
        definition: (
            "The server's list of entries, numbered from 1. Each entry holds a client's command and the term in which the leader received it. Raft's job is to make every server's log the same.",
            "服务器的日志条目列表，从 1 开始编号。每个条目包含一条客户端命令，以及领导者收到它时的任期。Raft 的任务就是让每台服务器的日志相同。",
        ),
        source: ("Raft Figure 2 (State); §5.3", "Raft 论文图 2（状态）；§5.3"),
    },
    GlossaryEntry {
        id: "commitIndex",
        paper: "commitIndex",
        term: ("commit index", "提交索引"),
        definition: (
            "The index of the last entry this server knows is committed: stored on a majority by the leader of its term, so it will never be undone. It starts at 0 and only grows.",
            "这台服务器所知的最后一个已提交条目的索引：该条目已被其任期的领导者复制到多数派上，永远不会被撤销。它从 0 开始，只增不减。",
        ),
        source: ("Raft Figure 2 (State); §5.3, §5.4.2", "Raft 论文图 2（状态）；§5.3、§5.4.2"),
    },
    GlossaryEntry {
        id: "lastApplied",
        paper: "lastApplied",
        term: ("last applied", "最后应用索引"),
        definition: (
            "The index of the last entry this server has carried out on its key-value store. It follows commitIndex: only committed entries are applied, in order.",
            "这台服务器已在键值存储上执行的最后一个条目的索引。它跟在 commitIndex 后面：只有已提交的条目才会按顺序被应用。",
        ),
        source: ("Raft Figure 2 (State)", "Raft 论文图 2（状态）"),
    },
    GlossaryEntry {
        id: "nextIndex",
        paper: "nextIndex[]",
        term: ("next index", "下一索引"),
        definition: (
            "Kept by the leader, one per follower: the index of the next entry to send it. It starts just after the leader's last entry and moves back one step each time the follower refuses, until the logs match.",
            "由领导者为每个跟随者各记一个：下一个要发给它的条目的索引。它从领导者最后一个条目之后开始，跟随者每拒绝一次就后退一步，直到两边日志匹配。",
        ),
        source: ("Raft Figure 2 (State, on leaders); §5.3", "Raft 论文图 2（领导者上的状态）；§5.3"),
    },
    GlossaryEntry {
        id: "matchIndex",
        paper: "matchIndex[]",
        term: ("match index", "匹配索引"),
        definition: (
            "Kept by the leader, one per follower: the highest index the leader knows that follower's log agrees with its own up to. When a majority's matchIndex passes an entry of the current term, the leader commits it.",
            "由领导者为每个跟随者各记一个：领导者已知的、该跟随者日志与自己一致的最高索引。当多数派的 matchIndex 越过一个当前任期的条目时，领导者就提交它。",
        ),
        source: ("Raft Figure 2 (State, on leaders); §5.3", "Raft 论文图 2（领导者上的状态）；§5.3"),
    },
    GlossaryEntry {
        id: "leaderId",
        paper: "leaderId",
        term: ("leader id", "领导者编号"),
        definition: (
            "Which server leads, as a follower last heard in AppendEntries: it sends clients there.",
            "跟随者最近从 AppendEntries 中得知的领导者是哪台服务器：它会把客户端引向那里。",
        ),
        source: ("Raft Figure 2 (AppendEntries RPC)", "Raft 论文图 2（AppendEntries 调用）"),
    },
    GlossaryEntry {
        id: "electionTimeout",
        paper: "election timeout",
        term: ("election timeout", "选举超时"),
        definition: (
            "How long a follower waits without hearing from a leader before it starts an election. Each server picks it at random again every time (here 150–300 ms), so two rarely run out together.",
            "跟随者在没有收到领导者消息的情况下等待多久才发起选举。每台服务器每次都重新随机选取（这里是 150–300 ms），所以很少有两台同时到期。",
        ),
        source: ("Raft §5.2", "Raft 论文 §5.2"),
    },
    GlossaryEntry {
        id: "heartbeat",
        paper: "heartbeat",
        term: ("heartbeat", "心跳"),
        definition: (
            "An AppendEntries with no entries, which the leader sends to every follower regularly so that none starts an election while it is alive.",
            "不带条目的 AppendEntries。领导者定期发给每个跟随者：只要领导者还在，跟随者就不会发起选举。",
        ),
        source: ("Raft §5.2; Figure 2 (Rules for Servers)", "Raft 论文 §5.2；图 2（服务器规则）"),
    },
    GlossaryEntry {
        id: "RequestVote",
        paper: "RequestVote",
        term: ("RequestVote", "RequestVote（请求投票）"),
        definition: (
            "The message a candidate sends to ask for a vote. It carries the candidate's term and how up to date its log is; a server grants at most one vote per term, and only to a candidate whose log is at least as up to date as its own.",
            "候选人请求投票时发出的消息。它带着候选人的任期及其日志有多新；服务器每个任期最多投一票，而且只投给日志至少和自己一样新的候选人。",
        ),
        source: ("Raft Figure 2 (RequestVote RPC); §5.2, §5.4.1", "Raft 论文图 2（RequestVote 调用）；§5.2、§5.4.1"),
    },
    GlossaryEntry {
        id: "AppendEntries",
        paper: "AppendEntries",
        term: ("AppendEntries", "AppendEntries（追加条目）"),
        definition: (
            "The message the leader sends to replicate its log. It names the entry just before the new ones (prevLogIndex, prevLogTerm); a follower whose log does not have that entry refuses, and the leader tries again from earlier. Empty, it is a heartbeat.",
            "领导者用来复制日志的消息。它指明新条目之前的那个条目（prevLogIndex、prevLogTerm）；跟随者的日志中没有那个条目就拒绝，领导者再从更早的位置重试。不带条目时，它就是心跳。",
        ),
        source: ("Raft Figure 2 (AppendEntries RPC); §5.3", "Raft 论文图 2（AppendEntries 调用）；§5.3"),
    },
    GlossaryEntry {
        id: "majority",
        paper: "majority",
        term: ("majority", "多数派"),
        definition: (
            "More than half of the servers: 3 of 5, 4 of 7. Any two majorities share a server, which is why a leader needs a majority's votes and an entry is committed once a majority stores it.",
            "超过半数的服务器：5 台中的 3 台、7 台中的 4 台。任意两个多数派至少有一台共同的服务器，所以领导者需要多数派的选票，条目被多数派存下后才算提交。",
        ),
        source: ("Raft §5.2, §5.3", "Raft 论文 §5.2、§5.3"),
    },
    GlossaryEntry {
        id: "preVotes",
        paper: "PreVote",
        term: ("pre-votes", "预投票"),
        definition: (
            "With PreVote on, a server whose election timer runs out first asks the others whether they would vote for it in the next term, changing no one's term, its own included. Only with a majority of yeses does it start a real election, so a server cut off from the rest cannot keep raising its term.",
            "开启 PreVote 后，选举计时器到期的服务器先问其他服务器：下一个任期它们会不会投票给它；这不改变任何人的任期，包括它自己的。只有得到多数派的同意，它才真正发起选举，所以与其他服务器隔开的那台无法不停抬高任期。",
        ),
        source: ("Ongaro's thesis §9.6 (PreVote); §4.2.3", "Ongaro 博士论文 §9.6（PreVote）；§4.2.3"),
    },
    GlossaryEntry {
        id: "leaderHeardAt",
        paper: "minimum election timeout",
        term: ("last heard from a leader", "上次收到领导者消息"),
        definition: (
            "When this server last got an AppendEntries from the leader of its term. Within a minimum election timeout of that, it believes a leader exists: with PreVote it grants no pre-vote, and with CheckQuorum it ignores RequestVote altogether (the leader lease), so a disruptive server cannot depose a working leader.",
            "这台服务器上次收到本任期领导者的 AppendEntries 的时间。在那之后的一个最小选举超时内，它认为领导者存在：开启 PreVote 时它不投预投票，开启 CheckQuorum 时它干脆不理会 RequestVote（领导者租约），所以捣乱的服务器赶不走正常工作的领导者。",
        ),
        source: ("Ongaro's thesis §4.2.3", "Ongaro 博士论文 §4.2.3"),
    },
    GlossaryEntry {
        id: "recentActive",
        paper: "CheckQuorum",
        term: ("heard from since the last check", "自上次检查以来有回应的"),
        definition: (
            "With CheckQuorum on, the servers a leader got an AppendEntries reply from since its last check. Every minimum election timeout it counts them, itself included; without a majority it steps down, since it can no longer commit anything.",
            "开启 CheckQuorum 后，领导者自上次检查以来收到过 AppendEntries 回复的服务器。每过一个最小选举超时，它就数一数（含自己）；凑不齐多数派就下台，因为它已经提交不了任何东西。",
        ),
        source: ("Ongaro's thesis §6.2 (etcd's CheckQuorum)", "Ongaro 博士论文 §6.2（CheckQuorum）"),
    },
    GlossaryEntry {
        id: "leadTransferee",
        paper: "TimeoutNow",
        term: ("transfer target", "移交目标"),
        definition: (
            "The server a leader is handing its leadership to. The leader stops taking requests, brings the target's log up to date, then sends it TimeoutNow: the target starts an election at once and, with the most up-to-date log, wins. The leader gives up after an election timeout.",
            "领导者正在移交领导权的目标服务器。领导者停止接受请求，让目标的日志追上，然后给它发 TimeoutNow：目标立即发起选举，凭借最新的日志胜出。一个选举超时后仍未成功，领导者就放弃移交。",
        ),
        source: ("Ongaro's thesis §3.10", "Ongaro 博士论文 §3.10"),
    },
];

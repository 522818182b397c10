//! Multi-Paxos's words, explained, each with where "Paxos Made Simple"
//! (section 3, a state machine of Paxos instances) defines it. The ids are
//! the inspector's `data-field` keys where a field shows the thing.

use crate::run::view::GlossaryEntry;

pub static GLOSSARY: [GlossaryEntry; 8] = [
    GlossaryEntry {
        id: "slot",
        paper: "instance",
        term: ("slot", "槽位"),
        definition: (
            "One position of the replicated log: a separate run of Paxos chooses the command for each slot, and every server carries out the chosen commands in slot order.",
            "复制日志中的一个位置：每个槽位的命令由一次独立的 Paxos 选定，每台服务器按槽位顺序执行已选定的命令。",
        ),
        source: ("Paxos Made Simple §3", "《Paxos Made Simple》§3"),
    },
    GlossaryEntry {
        id: "leader",
        paper: "leader (distinguished proposer)",
        term: ("leader", "领导者"),
        definition: (
            "The one server that proposes: it ran phase 1 once for all the slots from some slot on, so each new command needs only phase 2. If it falls silent another server's leader timeout runs out and it runs phase 1 with a higher number.",
            "唯一发起提议的服务器：它对从某个槽位起的所有槽位只运行一次阶段 1，所以每条新命令只需阶段 2。它若沉默，另一台服务器的领导者超时到期，就用更高的编号运行阶段 1。",
        ),
        source: ("Paxos Made Simple §2.4, §3", "《Paxos Made Simple》§2.4、§3"),
    },
    GlossaryEntry {
        id: "ballot",
        paper: "proposal number (n)",
        term: ("proposal number", "提案编号"),
        definition: (
            "The number a server leads under (here a round and its id). Acceptors refuse anything under a lower number than the one they promised.",
            "服务器作为领导者所用的编号（这里由轮次和它的编号组成）。接受者拒绝低于自己所承诺编号的任何请求。",
        ),
        source: ("Paxos Made Simple §2.2, §3", "《Paxos Made Simple》§2.2、§3"),
    },
    GlossaryEntry {
        id: "round",
        paper: "proposal number (its round)",
        term: ("round", "轮次"),
        definition: (
            "The first part of a proposal number: 2.1 is round 2 of S1. A server taking the lead picks a round above any it has seen, and its id keeps two servers' numbers apart. The number in the middle of a server is the round it promised.",
            "提案编号的第一部分：2.1 是 S1 的轮次 2。要成为领导者的服务器选一个比它见过的都大的轮次，加上自己的编号，两台服务器的编号就不会相同。服务器中间的数字是它承诺过的轮次。",
        ),
        source: ("Paxos Made Simple §2.2, §3", "《Paxos Made Simple》§2.2、§3"),
    },
    GlossaryEntry {
        id: "promised",
        paper: "promise",
        term: ("promise", "承诺"),
        definition: (
            "An acceptor's answer to phase 1: it accepts nothing numbered lower from now on, and reports what it has accepted in every slot from the one asked about.",
            "接受者对阶段 1 的回答：从此不再接受编号更低的请求，并报告从所问槽位起每个槽位中它已接受的内容。",
        ),
        source: ("Paxos Made Simple §2.2, §3", "《Paxos Made Simple》§2.2、§3"),
    },
    GlossaryEntry {
        id: "chosen",
        paper: "chosen",
        term: ("chosen", "选定"),
        definition: (
            "A slot's command is chosen once a majority of acceptors accepted it under one number; it never changes after that.",
            "一旦过半数的接受者以同一个编号接受了某个槽位的命令，它就被选定了；此后永不改变。",
        ),
        source: ("Paxos Made Simple §2.1, §3", "《Paxos Made Simple》§2.1、§3"),
    },
    GlossaryEntry {
        id: "noop",
        paper: "no-op",
        term: ("no-op", "空操作（no-op）"),
        definition: (
            "A command that does nothing. A new leader proposes it for a slot left empty below slots already in use, so the commands after the gap can be carried out.",
            "什么也不做的命令。新领导者发现在已被使用的槽位之前还有空着的槽位时，就为空位提议它，这样空位之后的命令才能得到执行。",
        ),
        source: ("Paxos Made Simple §3", "《Paxos Made Simple》§3"),
    },
    GlossaryEntry {
        id: "majority",
        paper: "majority",
        term: ("majority", "多数派"),
        definition: (
            "More than half of the servers. Any two majorities share a server, so a new leader's phase 1 always hears of every command that may have been chosen.",
            "超过半数的服务器。任意两个多数派至少有一台共同的服务器，所以新领导者的阶段 1 总能得知每一条可能已被选定的命令。",
        ),
        source: ("Paxos Made Simple §2.2, §3", "《Paxos Made Simple》§2.2、§3"),
    },
];

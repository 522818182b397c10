//! Basic Paxos's words, explained, each with where "Paxos Made Simple"
//! defines it. The ids are the inspector's `data-field` keys where a field
//! shows the thing.

use crate::run::view::GlossaryEntry;

pub static GLOSSARY: [GlossaryEntry; 9] = [
    GlossaryEntry {
        id: "proposer",
        paper: "proposer",
        term: ("proposer", "提议者"),
        definition: (
            "A server that tries to get a value chosen: it picks a proposal number, asks the acceptors to promise (phase 1), then asks them to accept its proposal (phase 2).",
            "设法让一个值被选定的服务器：它选一个提案编号，先请接受者作出承诺（阶段 1），再请它们接受它的提案（阶段 2）。",
        ),
        source: ("Paxos Made Simple §2.1, §2.2", "《Paxos Made Simple》§2.1、§2.2"),
    },
    GlossaryEntry {
        id: "acceptor",
        paper: "acceptor",
        term: ("acceptor", "接受者"),
        definition: (
            "A server that votes on proposals: it promises, and accepts a proposal unless it has promised a higher number. It keeps its promise and what it accepted on stable storage.",
            "对提案投票的服务器：它作出承诺，并接受提案，除非它已向更高的编号作出过承诺。它把承诺和已接受的提案保存在稳定存储上。",
        ),
        source: ("Paxos Made Simple §2.1, §2.2", "《Paxos Made Simple》§2.1、§2.2"),
    },
    GlossaryEntry {
        id: "learner",
        paper: "learner",
        term: ("learner", "学习者"),
        definition: (
            "A server that only finds out which value was chosen, from the acceptors' Accepted messages.",
            "只负责得知哪个值被选定的服务器，消息来自接受者的 Accepted。",
        ),
        source: ("Paxos Made Simple §2.3", "《Paxos Made Simple》§2.3"),
    },
    GlossaryEntry {
        id: "n",
        paper: "proposal number (n)",
        term: ("proposal number", "提案编号"),
        definition: (
            "The number a proposer puts on its proposal. Numbers are unique (here a round and the proposer's id) and ordered; a higher number overrides a promise to a lower one.",
            "提议者给提案编上的号。编号各不相同（这里由轮次和提议者编号组成）且有先后；更高的编号会压过对更低编号的承诺。",
        ),
        source: ("Paxos Made Simple §2.2", "《Paxos Made Simple》§2.2"),
    },
    GlossaryEntry {
        id: "v",
        paper: "value (v)",
        term: ("value", "值"),
        definition: (
            "What is proposed and, in the end, chosen: here a client's command. A proposer must propose the value of the highest-numbered proposal the promises report, if any; only otherwise its own.",
            "被提议、最终被选定的内容：这里是一条客户端命令。如果承诺中报告了已接受的提案，提议者必须提议其中编号最高者的值；只有都没有时才提议自己的值。",
        ),
        source: ("Paxos Made Simple §2.2", "《Paxos Made Simple》§2.2"),
    },
    GlossaryEntry {
        id: "promised",
        paper: "promise",
        term: ("promise", "承诺"),
        definition: (
            "An acceptor's answer to Prepare(n): it will not accept any proposal numbered below n, and it reports the highest-numbered proposal it has accepted so far.",
            "接受者对 Prepare(n) 的回答：它不再接受编号小于 n 的提案，并报告自己至今接受过的编号最高的提案。",
        ),
        source: ("Paxos Made Simple §2.2 (phase 1)", "《Paxos Made Simple》§2.2（阶段 1）"),
    },
    GlossaryEntry {
        id: "accepted",
        paper: "accept",
        term: ("accept", "接受"),
        definition: (
            "An acceptor takes a proposal (n, v) when asked in phase 2, unless it has promised a number higher than n.",
            "在阶段 2 被请求时，接受者接受提案 (n, v)，除非它已向高于 n 的编号作出过承诺。",
        ),
        source: ("Paxos Made Simple §2.2 (phase 2)", "《Paxos Made Simple》§2.2（阶段 2）"),
    },
    GlossaryEntry {
        id: "chosen",
        paper: "chosen",
        term: ("chosen", "选定"),
        definition: (
            "A value is chosen once a majority of the acceptors have accepted one proposal with it, whether anyone knows yet. Once chosen it never changes.",
            "一旦过半数的接受者接受了带有某个值的同一个提案，这个值就被选定了，不管是否已有人知道。值一旦选定就不会再变。",
        ),
        source: ("Paxos Made Simple §2.1, §2.2", "《Paxos Made Simple》§2.1、§2.2"),
    },
    GlossaryEntry {
        id: "majority",
        paper: "majority",
        term: ("majority", "多数派"),
        definition: (
            "More than half of the acceptors. Any two majorities share an acceptor, so two different values can never both be chosen.",
            "超过半数的接受者。任意两个多数派至少有一个共同的接受者，所以两个不同的值不可能都被选定。",
        ),
        source: ("Paxos Made Simple §2.2", "《Paxos Made Simple》§2.2"),
    },
];

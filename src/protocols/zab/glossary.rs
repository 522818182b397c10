//! Zab's words, explained, each with where "Zab: High-performance broadcast
//! for primary-backup systems" (Junqueira, Reed and Serafini, DSN 2011)
//! defines it. The ids are the inspector's `data-field` keys where a field
//! shows the thing.

use crate::run::view::GlossaryEntry;

const fn at(en: &'static str, zh: &'static str) -> (&'static str, &'static str) {
    (en, zh)
}

pub static GLOSSARY: [GlossaryEntry; 10] = [
    GlossaryEntry {
        id: "epoch",
        paper: "epoch",
        term: ("epoch", "纪元（epoch）"),
        definition: (
            "The period of one leader (the paper's primary). Each new leader takes an epoch higher than any its quorum has accepted, so messages of an old leader are told apart from the new one's. The number in the middle of a server is its currentEpoch.",
            "一个领导者（论文中的主节点）在任的时期。每个新领导者都取一个比它的多数派接受过的任何纪元都大的纪元，这样旧领导者的消息和新领导者的就分得开。服务器中间的数字是它的 currentEpoch。",
        ),
        source: at("Zab, section IV", "《Zab》第 IV 节"),
    },
    GlossaryEntry {
        id: "acceptedEpoch",
        paper: "acceptedEpoch (f.p)",
        term: ("acceptedEpoch", "acceptedEpoch（f.p，接受的纪元）"),
        definition: (
            "The last epoch this server acknowledged in a NEWEPOCH (phase 1). It promises to ignore anything of an older epoch. It is on stable storage.",
            "该服务器在 NEWEPOCH 中确认过的最后一个纪元（第 1 阶段）。它承诺忽略更早纪元的一切消息。保存在稳定存储中。",
        ),
        source: at("Zab, section IV-A, Algorithm 1", "《Zab》第 IV-A 节，算法 1"),
    },
    GlossaryEntry {
        id: "currentEpoch",
        paper: "currentEpoch (f.a)",
        term: ("currentEpoch", "currentEpoch（f.a，当前纪元）"),
        definition: (
            "The last epoch whose NEWLEADER this server accepted (phase 2): the epoch of the history it holds. FLE compares it first, so a server with a later history wins. It is on stable storage.",
            "该服务器接受过其 NEWLEADER 的最后一个纪元（第 2 阶段），也就是它所持历史的纪元。FLE 先比较它，所以历史更新的服务器胜出。保存在稳定存储中。",
        ),
        source: at("Zab, section IV-A, Algorithm 2", "《Zab》第 IV-A 节，算法 2"),
    },
    GlossaryEntry {
        id: "history",
        paper: "history (h_f)",
        term: ("history", "历史（history）"),
        definition: (
            "The transactions ⟨v, z⟩ this server has accepted, in zxid order. It is on stable storage; a restarted server delivers it again once a leader has synchronized it.",
            "该服务器接受过的事务 ⟨v, z⟩，按 zxid 排序。保存在稳定存储中；服务器重启后，等领导者与它同步完，会再次交付它们。",
        ),
        source: at("Zab, section IV", "《Zab》第 IV 节"),
    },
    GlossaryEntry {
        id: "zxid",
        paper: "zxid",
        term: ("zxid", "zxid（事务编号）"),
        definition: (
            "A transaction's id ⟨e, c⟩: the epoch of the leader that proposed it and a counter within that epoch. Zxids are ordered by epoch, then counter, and Zab delivers in that order.",
            "事务的编号 ⟨e, c⟩：提议它的领导者的纪元，加上该纪元内的计数。zxid 先按纪元、再按计数排序，Zab 就按这个顺序交付。",
        ),
        source: at("Zab, section III", "《Zab》第 III 节"),
    },
    GlossaryEntry {
        id: "last committed zxid",
        paper: "last committed zxid",
        term: ("last committed zxid", "最后提交的 zxid"),
        definition: (
            "The zxid of the last transaction this server delivered. It is volatile: a crash loses it, and COMMIT-LD (with the leader's own) gives it back.",
            "该服务器最后交付的事务的 zxid。它是易失的：崩溃即丢失，COMMIT-LD（带着领导者的最后提交）会把它补回来。",
        ),
        source: at("Zab, section IV-A; ZooKeeper's TLA+ specification", "《Zab》第 IV-A 节；ZooKeeper 的 TLA+ 规约"),
    },
    GlossaryEntry {
        id: "state",
        paper: "LOOKING, FOLLOWING, LEADING",
        term: ("state", "状态"),
        definition: (
            "ZooKeeper's names for where a server is: LOOKING for a leader (election), FOLLOWING one, or LEADING. A leader is established only once a quorum acknowledged its NEWLEADER.",
            "ZooKeeper 对服务器所处状态的叫法：LOOKING（寻找领导者，即选举中）、FOLLOWING（跟随）、LEADING（领导）。只有多数派确认了它的 NEWLEADER，领导者才算确立。",
        ),
        source: at("Zab, section IV; ZooKeeper's QuorumPeer", "《Zab》第 IV 节；ZooKeeper 的 QuorumPeer"),
    },
    GlossaryEntry {
        id: "phase",
        paper: "phase",
        term: ("phase", "阶段"),
        definition: (
            "0 election (ZooKeeper's Fast Leader Election), 1 discovery (CEPOCH, NEWEPOCH, ACK-E: agree on a new epoch and find the latest history), 2 synchronization (NEWLEADER, ACK-LD, COMMIT-LD: every follower takes that history), 3 broadcast (PROPOSE, ACK, COMMIT).",
            "0 选举（ZooKeeper 的快速领导者选举），1 发现（CEPOCH、NEWEPOCH、ACK-E：商定新纪元并找到最新的历史），2 同步（NEWLEADER、ACK-LD、COMMIT-LD：每个跟随者采用那份历史），3 广播（PROPOSE、ACK、COMMIT）。",
        ),
        source: at("Zab, section IV", "《Zab》第 IV 节"),
    },
    GlossaryEntry {
        id: "vote",
        paper: "vote",
        term: ("vote", "选票（vote）"),
        definition: (
            "In the election, the server a LOOKING server proposes as leader, with that server's currentEpoch and last zxid. A vote with a later currentEpoch, then a later last zxid, then a higher id, is better; a server adopts a better vote and sends it on, so the server with the most recent history wins.",
            "选举中，LOOKING 服务器推举的领导者，连同那台服务器的 currentEpoch 和最后的 zxid。currentEpoch 更新的选票更好，其次最后的 zxid 更新的，再次编号更大的；服务器采纳更好的选票并转发，所以历史最新的服务器胜出。",
        ),
        source: at("ZooKeeper's FastLeaderElection", "ZooKeeper 的 FastLeaderElection"),
    },
    GlossaryEntry {
        id: "round",
        paper: "round (logical clock)",
        term: ("round", "选举轮次"),
        definition: (
            "Which election this is: each time a server starts looking it begins a new round. A vote of a higher round replaces everything heard in a lower one. It is volatile.",
            "这是第几次选举：服务器每次开始寻找领导者都进入新的一轮。更高轮次的选票取代在较低轮次中听到的一切。它是易失的。",
        ),
        source: at("ZooKeeper's FastLeaderElection", "ZooKeeper 的 FastLeaderElection"),
    },
];

//! VR's words, explained, each with where "Viewstamped Replication
//! Revisited" (Liskov and Cowling, 2012) defines it. The ids are the
//! inspector's `data-field` keys where a field shows the thing.

use crate::run::view::GlossaryEntry;

const fn at(en: &'static str, zh: &'static str) -> (&'static str, &'static str) {
    (en, zh)
}

pub static GLOSSARY: [GlossaryEntry; 11] = [
    GlossaryEntry {
        id: "configuration",
        paper: "configuration",
        term: ("configuration", "配置"),
        definition: (
            "The 2f + 1 replicas of the group, in a fixed order. Any f of them may fail (crash, or be recovering) at once and the group goes on.",
            "组内按固定顺序排列的 2f + 1 个副本。其中任意 f 个同时失效（崩溃或正在恢复），整个组仍能继续工作。",
        ),
        source: at("VR Revisited §2, §4", "《Viewstamped Replication Revisited》§2、§4"),
    },
    GlossaryEntry {
        id: "replica number",
        paper: "replica number",
        term: ("replica number", "副本编号"),
        definition: (
            "A replica's place in the configuration, from 0. The primary of view v is replica v mod n, so every replica knows who should lead each view without an election.",
            "副本在配置中的位置，从 0 开始。视图 v 的主副本是副本 v mod n，所以无需选举，每个副本都知道每个视图该由谁领导。",
        ),
        source: at("VR Revisited §4", "《Viewstamped Replication Revisited》§4"),
    },
    GlossaryEntry {
        id: "view-number",
        paper: "view-number",
        term: ("view-number", "视图号（view-number）"),
        definition: (
            "Which view the replica is in: a period with one primary. A view change moves every replica to the next view-number, and with it to the next primary. The number in the middle of a replica is its view-number.",
            "副本所处的视图：由同一个主副本领导的一段时期。视图变更把所有副本带到下一个视图号，也就换了主副本。副本中间的数字就是它的视图号。",
        ),
        source: at("VR Revisited §4, §4.2", "《Viewstamped Replication Revisited》§4、§4.2"),
    },
    GlossaryEntry {
        id: "status",
        paper: "status",
        term: ("status", "状态"),
        definition: (
            "normal, view-change or recovering. Only a normal replica takes part in normal operation; a recovering one takes part in nothing until it has recovered. (This page adds a fourth, waiting for NEWSTATE: see state transfer.)",
            "正常、视图变更或恢复中。只有正常状态的副本参与正常操作；恢复中的副本在恢复完成前不参与任何事。（本页多了第四种：等待 NEWSTATE，见状态转移。）",
        ),
        source: at("VR Revisited §4", "《Viewstamped Replication Revisited》§4"),
    },
    GlossaryEntry {
        id: "op-number",
        paper: "op-number",
        term: ("op-number", "操作号（op-number）"),
        definition: (
            "The op-number of the latest request in the replica's log: the primary gives each request the next one, and the log is read by op-number.",
            "副本日志中最新请求的操作号：主副本依次给每个请求分配下一个操作号，日志按操作号排列。",
        ),
        source: at("VR Revisited §4, §4.1", "《Viewstamped Replication Revisited》§4、§4.1"),
    },
    GlossaryEntry {
        id: "log",
        paper: "log",
        term: ("log", "日志"),
        definition: (
            "The requests the replica has received, in op-number order. It is kept in memory only: VR puts nothing on disk.",
            "副本收到的请求，按操作号排列。它只保存在内存中：VR 不往磁盘写任何东西。",
        ),
        source: at("VR Revisited §4", "《Viewstamped Replication Revisited》§4"),
    },
    GlossaryEntry {
        id: "commit-number",
        paper: "commit-number",
        term: ("commit-number", "提交号（commit-number）"),
        definition: (
            "The op-number of the latest committed operation. An operation is committed once the primary has f PREPAREOKs for it (with itself, f + 1 replicas hold it); the primary then executes it and replies, and tells the backups in its next PREPARE or COMMIT.",
            "最新已提交操作的操作号。主副本收到某个操作的 f 条 PREPAREOK 后（连同它自己，f + 1 个副本持有它），这个操作就提交了；主副本随即执行并回复，并在下一条 PREPARE 或 COMMIT 中告诉备份副本。",
        ),
        source: at("VR Revisited §4, §4.1", "《Viewstamped Replication Revisited》§4、§4.1"),
    },
    GlossaryEntry {
        id: "client-table",
        paper: "client-table",
        term: ("client-table", "客户端表（client-table）"),
        definition: (
            "Per client, its latest request-number and, once executed, the result. The primary drops a request older than the table's and answers the latest one again from the table, so a retried request is never executed twice.",
            "每个客户端最新的请求号，以及执行后的结果。主副本丢弃比表中更旧的请求，对最新的请求直接用表中的结果再次回复，所以重试的请求不会被执行两次。",
        ),
        source: at("VR Revisited §4, §4.1", "《Viewstamped Replication Revisited》§4、§4.1"),
    },
    GlossaryEntry {
        id: "v′",
        paper: "v′ (last normal view)",
        term: ("v′, the last normal view", "v′（最后的正常视图）"),
        definition: (
            "The latest view in which the replica's status was normal, sent in DOVIEWCHANGE. The new primary takes the log with the largest v′, and only among those the largest op-number: a long log from an old view can hold operations nobody committed.",
            "副本最后处于正常状态的视图，随 DOVIEWCHANGE 发送。新的主副本选取 v′ 最大的日志，只在这些日志中再选操作号最大的：来自旧视图的长日志可能含有无人提交的操作。",
        ),
        source: at("VR Revisited §4.2", "《Viewstamped Replication Revisited》§4.2"),
    },
    GlossaryEntry {
        id: "x",
        paper: "nonce",
        term: ("nonce", "随机数"),
        definition: (
            "A fresh random number a recovering replica sends in RECOVERY. It takes only answers carrying it, so an answer to an earlier recovery cannot give it stale state.",
            "恢复中的副本在 RECOVERY 中发送的新随机数。它只接受带有这个随机数的回复，所以之前某次恢复的回复不会给它过时的状态。",
        ),
        source: at("VR Revisited §4.3", "《Viewstamped Replication Revisited》§4.3"),
    },
    GlossaryEntry {
        id: "getstate",
        paper: "state transfer",
        term: ("state transfer", "状态转移"),
        definition: (
            "A replica that is behind asks another with GETSTATE and takes the NEWSTATE answer. Section 5.2 says to cut the log back to the commit-number first; followed literally that can lose a committed operation (Jack Vanlightly's TLA+ model found it), so this page keeps the log and the view until NEWSTATE arrives. The scenario 'State transfer taken literally' shows the loss.",
            "落后的副本用 GETSTATE 向另一个副本请求，并采用 NEWSTATE 回复。第 5.2 节说先把日志截断到提交号；照字面执行可能丢失已提交的操作（Jack Vanlightly 的 TLA+ 模型发现了这一点），所以本页在 NEWSTATE 到达前保留日志和视图。场景“照字面执行状态转移”展示了这种丢失。",
        ),
        source: at("VR Revisited §5.2", "《Viewstamped Replication Revisited》§5.2"),
    },
];

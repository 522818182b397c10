//! The core's refusals (of a command, a replay, a link or a file) in both
//! languages, worded by the page from the core's reasons (`SimErrorKind`,
//! `ShareErrorKind`), never from its debug text: servers named S1..Sn as the
//! ring names them, times in ms and s as the page writes them, and a file
//! called a file, a link a link.

use super::{names, text, Lang, Text};
use crate::ui::format_time;
use quorum_sim::network::NetworkError;
use quorum_sim::share::{Part, ShareError, ShareErrorKind, FORMAT};
use quorum_sim::sim::{SimError, SimErrorKind, MAX_DELAY, MAX_NODES};
use quorum_sim::{node_name, Command, Time};

/// Where a shared run came from, to name it in a refusal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Medium {
    Link,
    File,
}

impl Medium {
    fn en(self) -> &'static str {
        match self {
            Medium::Link => "link",
            Medium::File => "file",
        }
    }
    fn zh(self) -> &'static str {
        match self {
            Medium::Link => "链接",
            Medium::File => "文件",
        }
    }
}

fn time(t: Time) -> String {
    format_time(t as f64)
}

/// Why the core refused a command or a replay, in both languages.
pub fn sim_error(e: &SimError) -> Text {
    text(sim_error_en(e.kind()), sim_error_zh(e.kind()))
}

fn sim_error_en(kind: &SimErrorKind) -> String {
    use SimErrorKind::*;
    match kind {
        ClusterSize { nodes } => {
            format!("a cluster has 1 to {MAX_NODES} servers, not {nodes}")
        }
        Network(NetworkError::EmptyLatencyRange { min, max }) => format!(
            "the latency range is empty: its least, {}, is above its most, {}",
            time(*min),
            time(*max)
        ),
        Network(NetworkError::LossAboveAll { per_mille }) => format!(
            "a message loss of {}% is more than every message",
            crate::ui::num::fixed(f64::from(*per_mille) / 10.0, 1)
        ),
        NoSuchNode { node, nodes } => format!(
            "there is no {}: the cluster has {nodes} servers, S1 to {}",
            node_name(*node),
            node_name(nodes.saturating_sub(1))
        ),
        MessageGone { id } => format!("message #{id} is no longer in flight"),
        AlreadyCrashed { node } => format!("{} is already crashed", node_name(*node)),
        NotCrashed { node } => format!(
            "{} is running; only a crashed server can restart",
            node_name(*node)
        ),
        Crashed { node } => format!("{} is crashed", node_name(*node)),
        NoTimeout { node } => format!("{} has no timeout to fire now", node_name(*node)),
        CrashedRequest { node } => {
            format!("{} is crashed and cannot take a request", node_name(*node))
        }
        LinkToItself => "a server has no link to itself".to_string(),
        DelayOutOfRange { by } => format!(
            "a delay is more than 0 and at most {}, not {}",
            time(MAX_DELAY),
            time(*by)
        ),
        NoLinks => "a cluster of one server has no links to cut".to_string(),
        AlreadyIsolated { node } => format!("{} is already isolated", node_name(*node)),
        AlreadyConnected { node } => format!("every link of {} is up already", node_name(*node)),
        NamedTwice => "a server is named twice in the split".to_string(),
        OneSided => "a split needs at least one server on each side".to_string(),
        TooFewTimers => "fewer than two running servers have a timeout armed".to_string(),
        TransferToItself { node } => {
            format!("{} cannot hand its leadership to itself", node_name(*node))
        }
        NoTransfer { node, to } => format!(
            "{} cannot hand its leadership to {} now",
            node_name(*node),
            node_name(*to)
        ),
        NoByzantine { node, behaviour } => format!(
            "{} cannot be made to lie ({}) now",
            node_name(*node),
            behaviour_words(*behaviour).0
        ),
        RecordedOutOfOrder => "it is recorded earlier than the command before it".to_string(),
        NoEventsLeft => "the run runs out of events before reaching it".to_string(),
        NotAfterEvent { at, after_events } => format!(
            "its time, {}, does not fall between event {after_events} and the event after it",
            time(*at)
        ),
        Replay {
            number,
            command,
            reason,
        } => format!(
            "command {number} ({}) cannot be replayed: {}",
            command_en(command),
            sim_error_en(reason)
        ),
    }
}

fn sim_error_zh(kind: &SimErrorKind) -> String {
    use SimErrorKind::*;
    match kind {
        ClusterSize { nodes } => {
            format!("集群应有 1 到 {MAX_NODES} 台服务器，而不是 {nodes} 台")
        }
        Network(NetworkError::EmptyLatencyRange { min, max }) => format!(
            "延迟范围为空：最小值 {} 大于最大值 {}",
            time(*min),
            time(*max)
        ),
        Network(NetworkError::LossAboveAll { per_mille }) => format!(
            "消息丢失率 {}% 超过了 100%",
            crate::ui::num::fixed(f64::from(*per_mille) / 10.0, 1)
        ),
        NoSuchNode { node, nodes } => format!(
            "没有 {}：集群共有 {nodes} 台服务器，S1 到 {}",
            node_name(*node),
            node_name(nodes.saturating_sub(1))
        ),
        MessageGone { id } => format!("消息 #{id} 已不在传输途中"),
        AlreadyCrashed { node } => format!("{} 已经崩溃", node_name(*node)),
        NotCrashed { node } => {
            format!("{} 正在运行；只有已崩溃的服务器才能重启", node_name(*node))
        }
        Crashed { node } => format!("{} 已崩溃", node_name(*node)),
        NoTimeout { node } => format!("{} 现在没有可以触发的超时", node_name(*node)),
        CrashedRequest { node } => format!("{} 已崩溃，无法接收请求", node_name(*node)),
        LinkToItself => "服务器与自身之间没有链路".to_string(),
        DelayOutOfRange { by } => format!(
            "推迟的时长必须大于 0 且不超过 {}，而不是 {}",
            time(MAX_DELAY),
            time(*by)
        ),
        NoLinks => "只有一台服务器的集群没有可切断的链路".to_string(),
        AlreadyIsolated { node } => format!("{} 已经被隔离", node_name(*node)),
        AlreadyConnected { node } => format!("{} 的所有链路都已连通", node_name(*node)),
        NamedTwice => "同一台服务器在分区中出现了两次".to_string(),
        OneSided => "分区的两侧都至少需要一台服务器".to_string(),
        TooFewTimers => "设置了超时的运行中服务器不足两台".to_string(),
        TransferToItself { node } => format!("{} 不能把领导权移交给自己", node_name(*node)),
        NoTransfer { node, to } => format!(
            "{} 现在不能把领导权移交给 {}",
            node_name(*node),
            node_name(*to)
        ),
        NoByzantine { node, behaviour } => format!(
            "{} 现在不能被设为说谎者（{}）",
            node_name(*node),
            behaviour_words(*behaviour).1
        ),
        RecordedOutOfOrder => "它的记录时刻早于前一条命令".to_string(),
        NoEventsLeft => "运行在到达它之前就没有事件了".to_string(),
        NotAfterEvent { at, after_events } => format!(
            "它的时间 {} 不在第 {after_events} 个事件与其后一个事件之间",
            time(*at)
        ),
        Replay {
            number,
            command,
            reason,
        } => format!(
            "第 {number} 条命令（{}）无法重放：{}",
            command_zh(command),
            sim_error_zh(reason)
        ),
    }
}

/// A user's command in a few English words.
fn command_en(command: &Command) -> String {
    match command {
        Command::DropMessage { id } => format!("drop message #{id}"),
        Command::Crash { node } => format!("crash {}", node_name(*node)),
        Command::Restart { node } => format!("restart {}", node_name(*node)),
        Command::Timeout { node } => format!("time out {}", node_name(*node)),
        Command::ClientRequest { node, request } => {
            format!("a client request {} to {}", request.op, node_name(*node))
        }
        Command::CutLink { from, to } => {
            format!("cut the link {} → {}", node_name(*from), node_name(*to))
        }
        Command::HealLink { from, to } => {
            format!("heal the link {} → {}", node_name(*from), node_name(*to))
        }
        Command::HealAll => "heal every link".to_string(),
        Command::SetNetwork { .. } => "change the network settings".to_string(),
        Command::DuplicateMessage { id } => format!("duplicate message #{id}"),
        Command::DelayMessage { id, by } => format!("delay message #{id} by {}", time(*by)),
        Command::Isolate { node } => format!("isolate {}", node_name(*node)),
        Command::Rejoin { node } => format!("let {} rejoin", node_name(*node)),
        Command::Partition { side } => format!("split off {}", names(Lang::En, side)),
        Command::AlignTimers => "align the timers".to_string(),
        Command::SpreadTimers => "spread the timers".to_string(),
        Command::TransferLeadership { node, to } => format!(
            "hand {}'s leadership to {}",
            node_name(*node),
            node_name(*to)
        ),
        Command::MakeByzantine { node, behaviour } => {
            format!(
                "make {} lie ({})",
                node_name(*node),
                behaviour_words(*behaviour).0
            )
        }
    }
}

/// A user's command in a few Chinese words.
fn command_zh(command: &Command) -> String {
    match command {
        Command::DropMessage { id } => format!("丢弃消息 #{id}"),
        Command::Crash { node } => format!("使 {} 崩溃", node_name(*node)),
        Command::Restart { node } => format!("重启 {}", node_name(*node)),
        Command::Timeout { node } => format!("使 {} 超时", node_name(*node)),
        Command::ClientRequest { node, request } => {
            format!("向 {} 发送客户端请求 {}", node_name(*node), request.op)
        }
        Command::CutLink { from, to } => {
            format!("切断链路 {} → {}", node_name(*from), node_name(*to))
        }
        Command::HealLink { from, to } => {
            format!("恢复链路 {} → {}", node_name(*from), node_name(*to))
        }
        Command::HealAll => "恢复所有链路".to_string(),
        Command::SetNetwork { .. } => "修改网络设置".to_string(),
        Command::DuplicateMessage { id } => format!("重复投递消息 #{id}"),
        Command::DelayMessage { id, by } => format!("将消息 #{id} 推迟 {}", time(*by)),
        Command::Isolate { node } => format!("隔离 {}", node_name(*node)),
        Command::Rejoin { node } => format!("让 {} 重新接入", node_name(*node)),
        Command::Partition { side } => format!("将 {} 分区出去", names(Lang::Zh, side)),
        Command::AlignTimers => "对齐计时器".to_string(),
        Command::SpreadTimers => "错开计时器".to_string(),
        Command::TransferLeadership { node, to } => {
            format!("把 {} 的领导权移交给 {}", node_name(*node), node_name(*to))
        }
        Command::MakeByzantine { node, behaviour } => {
            format!(
                "让 {} 说谎（{}）",
                node_name(*node),
                behaviour_words(*behaviour).1
            )
        }
    }
}

/// How a lying server lies, in a few words of English and of Chinese.
pub fn behaviour_words(b: quorum_sim::Behaviour) -> (&'static str, &'static str) {
    use quorum_sim::Behaviour::*;
    match b {
        Silent => ("silent", "沉默"),
        Equivocate => ("a primary that equivocates", "两面说法的主节点"),
        WrongReply => ("wrong replies to clients", "向客户端回复错误结果"),
        OutsideWatermarks => (
            "a primary that numbers outside the watermarks",
            "在水位线之外编号的主节点",
        ),
        ConflictingVotes => ("conflicting prepares and commits", "相互矛盾的准备与提交"),
        ForgedViewChange => ("a forged view change", "伪造的视图变更"),
        StaleViewChange => ("a stale view change", "过时的视图变更"),
    }
}

/// Why a shared link could not be read, in both languages.
pub fn share_error(e: &ShareError) -> Text {
    share_error_in(e, Medium::Link)
}

/// Why the run in a link or a file could not be read, in both languages.
pub fn share_error_in(e: &ShareError, medium: Medium) -> Text {
    use ShareErrorKind::*;
    let (m, mz) = (medium.en(), medium.zh());
    let en = match e.kind() {
        NoVersion => format!("this is not a Quorum run {m} (it has no format version)"),
        NewerFormat { version } => format!(
            "the {m} is in format {version}, newer than this page reads ({FORMAT}); open it with a newer Quorum"
        ),
        UnknownFormat { version } => {
            format!("“{version}” is not a run {m} format this page knows")
        }
        BadCharacter { position } => format!(
            "the {m} has a character that does not belong in it at position {position}"
        ),
        ImpossibleLength => {
            format!("the {m}'s length is not possible: it was cut short or padded")
        }
        TooShort => format!("the {m} is too short to hold a run"),
        ChecksumMismatch => format!(
            "the {m} is damaged: its checksum does not match (it was cut short or changed)"
        ),
        CutShort { part } => format!("the {m} ends in the middle of {part}: it was cut short"),
        TooLarge { part } => format!("{part} is too large"),
        AboveLimit { part, value, max } => format!("{part} is {value}, more than {max}"),
        NoSuchServer { server, nodes } => format!(
            "a command names S{server}, but the run has {nodes} servers, S1 to S{nodes}"
        ),
        NotAKey { value } => format!("{value} is not a key (a character)"),
        UnknownOperation { kind } => format!("operation kind {kind} does not exist"),
        UnknownCommand { kind } => format!("command kind {kind} does not exist"),
        NameCutShort => format!("the {m} ends in the protocol's name: it was cut short"),
        NameNotText => "the protocol's name is not text".to_string(),
        NoServers => "the run has no servers".to_string(),
        TrailingBytes => format!("the {m} has bytes after the run: it was changed"),
    };
    let zh = match e.kind() {
        NoVersion => format!("这不是 Quorum 的运行{mz}（没有格式版本）"),
        NewerFormat { version } => format!(
            "{mz}的格式是 {version}，比本页面能读取的格式（{FORMAT}）更新；请用更新版本的 Quorum 打开"
        ),
        UnknownFormat { version } => format!("“{version}”不是本页面认识的运行{mz}格式"),
        BadCharacter { position } => format!("{mz}的第 {position} 个字符不可能出现在{mz}中"),
        ImpossibleLength => format!("{mz}的长度不对：它被截短或补齐过"),
        TooShort => format!("{mz}太短，容纳不下一次运行"),
        ChecksumMismatch => format!("{mz}已损坏：校验和不符（它被截短或改动过）"),
        CutShort { part } => format!("{mz}在{}中间结束：它被截短了", part_zh(*part)),
        TooLarge { part } => format!("{}太大", part_zh(*part)),
        AboveLimit { part, value, max } => {
            format!("{}是 {value}，超过了 {max}", part_zh(*part))
        }
        NoSuchServer { server, nodes } => {
            format!("一条命令指向 S{server}，但这次运行只有 {nodes} 台服务器（S1 到 S{nodes}）")
        }
        NotAKey { value } => format!("{value} 不是一个键（字符）"),
        UnknownOperation { kind } => format!("不存在第 {kind} 种操作"),
        UnknownCommand { kind } => format!("不存在第 {kind} 种命令"),
        NameCutShort => format!("{mz}在协议名称中结束：它被截短了"),
        NameNotText => "协议名称不是文本".to_string(),
        NoServers => "这次运行没有服务器".to_string(),
        TrailingBytes => format!("{mz}在运行数据之后还有多余的字节：它被改动过"),
    };
    text(en, zh)
}

fn part_zh(part: Part) -> &'static str {
    match part {
        Part::NameLength => "协议名称的长度",
        Part::ServerCount => "服务器数量",
        Part::Seed => "种子",
        Part::SettingCount => "设置的数量",
        Part::Setting => "一项设置",
        Part::MomentEvents => "所示时刻的事件数",
        Part::MomentTime => "所示时刻的时间",
        Part::CommandCount => "命令的数量",
        Part::CommandTime => "一条命令的时间",
        Part::CommandEvents => "一条命令的事件数",
        Part::CommandKind => "一条命令的种类",
        Part::Server => "服务器编号",
        Part::MessageId => "消息编号",
        Part::RequestId => "请求编号",
        Part::Operation => "一个操作",
        Part::Key => "一个键",
        Part::Value => "一个值",
        Part::Amount => "一个增量",
        Part::Latency => "一个延迟",
        Part::LossRate => "消息丢失率",
        Part::Flag => "一个标志",
        Part::Delay => "一个推迟时长",
        Part::GroupSize => "分组的大小",
        Part::Behaviour => "说谎服务器的行为",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quorum_sim::kv::{ClientRequest, KvOp};
    use quorum_sim::sim::SimErrorKind::*;

    fn both(kind: SimErrorKind) -> Text {
        sim_error(&SimError::from(kind))
    }

    /// No refusal reads like code: no braces or debug names, no µs, servers
    /// as the ring names them.
    fn reads_for_a_person(t: &Text) {
        for s in [&t.en, &t.zh] {
            assert!(!s.contains('{') && !s.contains('}'), "{s}");
            assert!(!s.contains("µs"), "{s}");
            assert!(!s.contains("node"), "{s}");
            assert!(!s.contains("Some(") && !s.contains("None"), "{s}");
        }
    }

    fn every_kind() -> Vec<SimErrorKind> {
        let request = ClientRequest {
            id: 1,
            op: KvOp::Set { key: 'x', value: 1 },
        };
        vec![
            ClusterSize { nodes: 70 },
            Network(NetworkError::EmptyLatencyRange {
                min: 20_000,
                max: 10_000,
            }),
            Network(NetworkError::LossAboveAll { per_mille: 1001 }),
            NoSuchNode { node: 6, nodes: 3 },
            MessageGone { id: 12 },
            AlreadyCrashed { node: 1 },
            NotCrashed { node: 1 },
            Crashed { node: 1 },
            NoTimeout { node: 1 },
            CrashedRequest { node: 1 },
            LinkToItself,
            DelayOutOfRange { by: 20_000_000 },
            NoLinks,
            AlreadyIsolated { node: 2 },
            AlreadyConnected { node: 2 },
            NamedTwice,
            OneSided,
            TooFewTimers,
            TransferToItself { node: 1 },
            NoTransfer { node: 1, to: 2 },
            NoByzantine {
                node: 1,
                behaviour: quorum_sim::Behaviour::Silent,
            },
            RecordedOutOfOrder,
            NoEventsLeft,
            NotAfterEvent {
                at: 999_999_999,
                after_events: 18,
            },
            Replay {
                number: 3,
                command: Box::new(Command::ClientRequest { node: 1, request }),
                reason: Box::new(NotAfterEvent {
                    at: 999_999_999,
                    after_events: 18,
                }),
            },
        ]
    }

    #[test]
    fn every_refusal_of_a_command_reads_for_a_person_in_both_languages() {
        for kind in every_kind() {
            let t = both(kind.clone());
            reads_for_a_person(&t);
            assert!(!t.en.is_empty() && !t.zh.is_empty(), "{kind:?}");
        }
    }

    #[test]
    fn the_cores_refusals_read_in_both_languages() {
        let isolated = both(AlreadyIsolated { node: 2 });
        assert_eq!(isolated.en, "S3 is already isolated");
        assert_eq!(isolated.zh, "S3 已经被隔离");
        assert_eq!(both(MessageGone { id: 12 }).zh, "消息 #12 已不在传输途中");
        let missing = both(NoSuchNode { node: 6, nodes: 3 });
        assert_eq!(
            missing.en,
            "there is no S7: the cluster has 3 servers, S1 to S3"
        );
        assert_eq!(missing.zh, "没有 S7：集群共有 3 台服务器，S1 到 S3");
        assert_eq!(both(AlreadyCrashed { node: 1 }).zh, "S2 已经崩溃");
        let delay = both(DelayOutOfRange { by: 20_000_000 });
        assert_eq!(
            delay.en,
            "a delay is more than 0 and at most 10.000 s, not 20.000 s"
        );
        let range = both(Network(NetworkError::EmptyLatencyRange {
            min: 20_000,
            max: 10_000,
        }));
        assert!(range.en.contains("20.0 ms") && range.en.contains("10.0 ms"));
        let replay = both(Replay {
            number: 2,
            command: Box::new(Command::Crash { node: 1 }),
            reason: Box::new(AlreadyCrashed { node: 1 }),
        });
        assert_eq!(
            replay.en,
            "command 2 (crash S2) cannot be replayed: S2 is already crashed"
        );
        assert_eq!(replay.zh, "第 2 条命令（使 S2 崩溃）无法重放：S2 已经崩溃");
    }

    #[test]
    fn a_replayed_client_request_names_its_server_from_s1_and_its_time_in_seconds() {
        let t = both(every_kind().pop().expect("the replay is the last kind"));
        assert_eq!(
            t.en,
            "command 3 (a client request x←1 to S2) cannot be replayed: its time, 1000.000 s, does not fall between event 18 and the event after it"
        );
        assert_eq!(
            t.zh,
            "第 3 条命令（向 S2 发送客户端请求 x←1）无法重放：它的时间 1000.000 s 不在第 18 个事件与其后一个事件之间"
        );
    }

    #[test]
    fn a_broken_links_reason_reads_in_both_languages() {
        let newer = share_error(&quorum_sim::share::decode("2.AAAA").unwrap_err());
        assert!(newer.en.contains("newer than this page reads"));
        assert_eq!(
            newer.zh,
            "链接的格式是 2，比本页面能读取的格式（1）更新；请用更新版本的 Quorum 打开"
        );
        let cut = share_error(&ShareErrorKind::CutShort { part: Part::Seed }.into());
        assert_eq!(cut.zh, "链接在种子中间结束：它被截短了");
        assert_eq!(
            cut.en,
            "the link ends in the middle of the seed: it was cut short"
        );
    }

    #[test]
    fn a_files_reason_says_file_and_a_links_says_link() {
        use ShareErrorKind::*;
        let kinds = [
            NoVersion,
            NewerFormat { version: 2 },
            UnknownFormat {
                version: "x".into(),
            },
            BadCharacter { position: 3 },
            ImpossibleLength,
            TooShort,
            ChecksumMismatch,
            CutShort { part: Part::Seed },
            TooLarge { part: Part::Seed },
            AboveLimit {
                part: Part::ServerCount,
                value: 99,
                max: 9,
            },
            NoSuchServer {
                server: 7,
                nodes: 5,
            },
            NotAKey { value: 9 },
            UnknownOperation { kind: 9 },
            UnknownCommand { kind: 9 },
            NameCutShort,
            NameNotText,
            NoServers,
            TrailingBytes,
        ];
        for kind in kinds {
            let e = ShareError::from(kind.clone());
            let file = share_error_in(&e, Medium::File);
            let link = share_error_in(&e, Medium::Link);
            reads_for_a_person(&file);
            assert!(
                !file.en.contains("link") && !file.zh.contains("链接"),
                "{kind:?}"
            );
            assert!(
                !link.en.contains("file") && !link.zh.contains("文件"),
                "{kind:?}"
            );
            assert!(!file.zh.is_empty() && !link.en.is_empty());
        }
        let e = ShareError::from(NoSuchServer {
            server: 7,
            nodes: 5,
        });
        assert_eq!(
            share_error_in(&e, Medium::File).en,
            "a command names S7, but the run has 5 servers, S1 to S5"
        );
        let e = ShareError::from(ChecksumMismatch);
        assert!(share_error_in(&e, Medium::File)
            .en
            .starts_with("the file is damaged"));
    }
}

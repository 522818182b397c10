//! The core's refusals (of a command, a replay, a link) in both languages:
//! the core words them in English, the page in Chinese from the same reason.

use super::{names, text, Lang, Text};
use quorum_sim::network::NetworkError;
use quorum_sim::share::{Part, ShareError, ShareErrorKind, FORMAT};
use quorum_sim::sim::{SimError, SimErrorKind, MAX_DELAY, MAX_NODES};
use quorum_sim::{node_name, Command};

/// Why the core refused a command, in both languages: the core's English
/// text, and its reason worded in Chinese.
pub fn sim_error(e: &SimError) -> Text {
    text(e.0.clone(), sim_error_zh(e.kind()))
}

fn sim_error_zh(kind: &SimErrorKind) -> String {
    use SimErrorKind::*;
    match kind {
        ClusterSize { nodes } => {
            format!("集群应有 1 到 {MAX_NODES} 台服务器，而不是 {nodes} 台")
        }
        Network(NetworkError::EmptyLatencyRange { min, max }) => {
            format!("延迟范围为空：{min} µs > {max} µs")
        }
        Network(NetworkError::LossAboveAll { per_mille }) => {
            format!("丢包率 {per_mille}‰ 超过了 1000‰")
        }
        NoSuchNode { node, nodes } => {
            format!("集群共有 {nodes} 台服务器，没有第 {} 台", node + 1)
        }
        MessageGone { id } => format!("消息 {id} 已不在传输途中"),
        AlreadyCrashed { node } => format!("{} 已经崩溃", node_name(*node)),
        NotCrashed { node } => {
            format!("{} 正在运行；只有已崩溃的服务器才能重启", node_name(*node))
        }
        Crashed { node } => format!("{} 已崩溃", node_name(*node)),
        NoTimeout { node } => format!("{} 现在没有可以触发的超时", node_name(*node)),
        CrashedRequest { node } => format!("{} 已崩溃，无法接收请求", node_name(*node)),
        LinkToItself => "服务器与自身之间没有链路".to_string(),
        DelayOutOfRange { by } => format!(
            "延迟必须大于 0 且不超过 {} ms，而不是 {by} µs",
            MAX_DELAY / 1000
        ),
        NoLinks => "只有一台服务器的集群没有可切断的链路".to_string(),
        AlreadyIsolated { node } => format!("{} 已经被隔离", node_name(*node)),
        AlreadyConnected { node } => format!("{} 的所有链路都已连通", node_name(*node)),
        NamedTwice => "同一台服务器在分区中出现了两次".to_string(),
        OneSided => "分区的两侧都至少需要一台服务器".to_string(),
        TooFewTimers => "设置了超时的运行中服务器不足两台".to_string(),
        RecordedOutOfOrder => "它的记录时刻早于前一条命令".to_string(),
        NoEventsLeft => "运行在到达它之前就没有事件了".to_string(),
        NotAfterEvent { at, after_events } => {
            format!("它的时间 {at} µs 不在第 {after_events} 个事件之后")
        }
        Replay {
            number,
            command,
            reason,
        } => format!(
            "第 {number} 条命令（{}）：{}",
            command_zh(command),
            sim_error_zh(reason)
        ),
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
        Command::DuplicateMessage { id } => format!("复制消息 #{id}"),
        Command::DelayMessage { id, .. } => format!("延迟消息 #{id}"),
        Command::Isolate { node } => format!("隔离 {}", node_name(*node)),
        Command::Rejoin { node } => format!("让 {} 重新接入", node_name(*node)),
        Command::Partition { side } => format!("将 {} 分区出去", names(Lang::Zh, side)),
        Command::AlignTimers => "对齐选举计时器".to_string(),
        Command::SpreadTimers => "错开选举计时器".to_string(),
    }
}

/// Why a shared link could not be read, in both languages.
pub fn share_error(e: &ShareError) -> Text {
    use ShareErrorKind::*;
    let zh = match e.kind() {
        NoVersion => "这不是 Quorum 的运行链接（没有格式版本）".to_string(),
        NewerFormat { version } => format!(
            "链接的格式是 {version}，比本页面能读取的格式（{FORMAT}）更新；请用更新版本的 Quorum 打开"
        ),
        UnknownFormat { version } => format!("“{version}”不是本页面认识的运行链接格式"),
        BadCharacter { position } => format!("链接第 {position} 个字符不属于链接"),
        ImpossibleLength => "链接的长度不可能出现：它被截短或补齐过".to_string(),
        TooShort => "链接太短，容纳不下一次运行".to_string(),
        ChecksumMismatch => "链接已损坏：校验和不符（它被截短或改动过）".to_string(),
        CutShort { part } => format!("链接在{}中间结束：它被截短了", part_zh(*part)),
        TooLarge { part } => format!("{}太大", part_zh(*part)),
        AboveLimit { part, value, max } => {
            format!("{}是 {value}，超过了 {max}", part_zh(*part))
        }
        NoSuchServer { server, nodes } => {
            format!("一条命令指向第 {server} 台服务器，但这次运行只有 {nodes} 台")
        }
        NotAKey { value } => format!("{value} 不是一个键（字符）"),
        UnknownOperation { kind } => format!("不存在第 {kind} 种操作"),
        UnknownCommand { kind } => format!("不存在第 {kind} 种命令"),
        NameCutShort => "链接在协议名称中结束：它被截短了".to_string(),
        NameNotText => "协议名称不是文本".to_string(),
        NoServers => "这次运行没有服务器".to_string(),
        TrailingBytes => "链接在运行数据之后还有多余的字节：它被改动过".to_string(),
    };
    text(e.0.clone(), zh)
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
        Part::LossRate => "丢包率",
        Part::Flag => "一个标志",
        Part::Delay => "一个延迟量",
        Part::GroupSize => "分组的大小",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quorum_sim::sim::SimErrorKind::*;

    fn both(kind: SimErrorKind) -> Text {
        sim_error(&SimError::from(kind))
    }

    #[test]
    fn the_cores_refusals_read_in_chinese() {
        let isolated = both(AlreadyIsolated { node: 2 });
        assert_eq!(isolated.en, "S3 is already isolated");
        assert_eq!(isolated.zh, "S3 已经被隔离");
        assert_eq!(both(MessageGone { id: 12 }).zh, "消息 12 已不在传输途中");
        assert_eq!(
            both(NoSuchNode { node: 6, nodes: 3 }).zh,
            "集群共有 3 台服务器，没有第 7 台"
        );
        assert_eq!(both(AlreadyCrashed { node: 1 }).zh, "S2 已经崩溃");
        let replay = both(Replay {
            number: 2,
            command: Box::new(Command::Crash { node: 1 }),
            reason: Box::new(AlreadyCrashed { node: 1 }),
        });
        assert_eq!(replay.zh, "第 2 条命令（使 S2 崩溃）：S2 已经崩溃");
    }

    #[test]
    fn a_broken_links_reason_reads_in_chinese() {
        let newer = share_error(&quorum_sim::share::decode("2.AAAA").unwrap_err());
        assert!(newer.en.contains("newer than this page reads"));
        assert_eq!(
            newer.zh,
            "链接的格式是 2，比本页面能读取的格式（1）更新；请用更新版本的 Quorum 打开"
        );
        let cut = share_error(&ShareErrorKind::CutShort { part: Part::Seed }.into());
        assert_eq!(cut.zh, "链接在种子中间结束：它被截短了");
    }
}

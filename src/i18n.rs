//! The page's languages: English and Simplified Chinese.
//!
//! Every text on the page is written in both, side by side where it is used:
//! `lang.t("Pause", "暂停")`, or a [`Text`] holding both when the text is made
//! before it is shown (the feed, notices) so that switching the language
//! rewords what is already on the page. Components read the language from a
//! Yew context ([`use_lang`]); the page provides it from `lang=` or the switch.

use quorum_sim::network::NetworkError;
pub use quorum_sim::scenario::Text;
use quorum_sim::share::{Part, ShareError, ShareErrorKind, FORMAT};
use quorum_sim::sim::{SimError, SimErrorKind, MAX_DELAY, MAX_NODES};
use quorum_sim::{node_name, Command, NodeId};
use yew::prelude::*;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The code in `lang=` and in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The HTML language tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-Hans",
        }
    }

    /// The language's name in itself, for the switch.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "中文",
        }
    }

    /// `en`, `zh` and the usual tags for them (`en-US`, `zh-CN`, `zh-Hans`, ...).
    pub fn parse(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        let primary = code.split(['-', '_']).next().unwrap_or("");
        match primary {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// This language's one of two texts.
    pub fn t<T>(self, en: T, zh: T) -> T {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }

    /// This language's text of a [`Text`].
    pub fn of(self, text: &Text) -> &str {
        match self {
            Lang::En => &text.en,
            Lang::Zh => &text.zh,
        }
    }
}

/// A [`Text`] from its two languages.
pub fn text(en: impl Into<String>, zh: impl Into<String>) -> Text {
    Text {
        en: en.into(),
        zh: zh.into(),
    }
}

/// The language the page speaks now.
#[hook]
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// Changes the page's language (a context next to [`Lang`]'s).
#[derive(Clone, PartialEq)]
pub struct SetLang(pub Callback<Lang>);

/// The language switch: a button per language, the current one pressed.
#[component]
pub fn LangSwitch() -> Html {
    let lang = use_lang();
    let set = use_context::<SetLang>();
    let buttons = Lang::ALL.into_iter().map(|l| {
        let onclick = set
            .clone()
            .map(|s| Callback::from(move |_: MouseEvent| s.0.emit(l)));
        html! {
            <button type="button" lang={l.tag()} aria-pressed={(l == lang).to_string()}
                data-lang-option={l.code()} {onclick}>{ l.name() }</button>
        }
    });
    html! {
        <div class="lang-switch" role="group" aria-label={lang.t("Language", "语言")} data-lang={lang.code()}>
            { for buttons }
        </div>
    }
}

/// The browser's preferred language, if the page speaks it.
pub fn browser_lang() -> Option<Lang> {
    web_sys::window()?
        .navigator()
        .language()
        .as_deref()
        .and_then(Lang::parse)
}

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

/// Servers in words: `S1`, `S1 and S2`, `S1, S2 and S3`; in Chinese
/// `S1、S2 和 S3`.
pub fn names(lang: Lang, nodes: &[NodeId]) -> String {
    let names: Vec<String> = nodes.iter().map(|&n| node_name(n)).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => match lang {
            Lang::En => format!("{} and {last}", rest.join(", ")),
            Lang::Zh => format!("{} 和 {last}", rest.join("、")),
        },
    }
}

/// A role as the page shows it, from its name in the DOM contract
/// (`data-role`): `leader`, `proposer`, ..., and `crashed`.
pub fn role(lang: Lang, role: &str) -> &str {
    match lang {
        Lang::En => role,
        Lang::Zh => match role {
            "leader" => "领导者",
            "follower" => "跟随者",
            "candidate" => "候选者",
            "proposer" => "提议者",
            "acceptor" => "接受者",
            "learner" => "学习者",
            "crashed" => "已崩溃",
            other => other,
        },
    }
}

/// A message's kind as the page shows it. The paper's RPC and message names
/// stay as the papers write them; the rest are said in Chinese.
pub fn message_kind(lang: Lang, kind: &str) -> &str {
    match lang {
        Lang::En => kind,
        Lang::Zh => match kind {
            "RequestVoteReply" => "RequestVote 回复",
            "AppendEntriesReply" => "AppendEntries 回复",
            "ClientRequest" => "客户端请求",
            "Heartbeat" => "心跳",
            "HeartbeatReply" => "心跳回复",
            "Chosen" => "选定通知",
            "Query" => "查询",
            other => other,
        },
    }
}

/// A safety property's name, from the core's English name.
pub fn property(lang: Lang, name: &str) -> &str {
    match lang {
        Lang::En => name,
        Lang::Zh => match name {
            "Election Safety" => "选举安全性",
            "Leader Append-Only" => "领导者只追加",
            "Log Matching" => "日志匹配",
            "Leader Completeness" => "领导者完整性",
            "State Machine Safety" => "状态机安全性",
            "Only one value is chosen" => "只有一个值被选定",
            "Only one value is chosen per slot" => "每个槽位只有一个值被选定",
            "Acceptors keep their promises" => "接受者遵守承诺",
            "A chosen value never changes" => "选定的值永不改变",
            "Learners learn only chosen values" => "学习者只学习被选定的值",
            "Replicas apply only chosen values, in slot order" => "副本只按槽位顺序应用被选定的值",
            other => other,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_read_by_their_primary_part() {
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("zh_Hans"), Some(Lang::Zh));
        assert_eq!(Lang::parse("EN-gb"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.code()), Some(lang));
            assert_eq!(Lang::parse(lang.tag()), Some(lang));
        }
    }

    #[test]
    fn the_cores_refusals_read_in_chinese() {
        use quorum_sim::raft::{Raft, RaftConfig};
        use quorum_sim::{Sim, SimConfig};
        let mut sim = Sim::<Raft>::new(SimConfig::<RaftConfig>::new(3, 1)).unwrap();
        let zh = |sim: &Sim<Raft>, c: Command| sim_error(&sim.check(&c).unwrap_err());
        let isolated = {
            sim.apply(Command::Isolate { node: 2 }).unwrap();
            zh(&sim, Command::Isolate { node: 2 })
        };
        assert_eq!(isolated.en, "S3 is already isolated");
        assert_eq!(isolated.zh, "S3 已经被隔离");
        assert_eq!(
            zh(&sim, Command::DropMessage { id: 12 }).zh,
            "消息 12 已不在传输途中"
        );
        assert_eq!(
            zh(&sim, Command::Isolate { node: 6 }).zh,
            "集群共有 3 台服务器，没有第 7 台"
        );
        sim.apply(Command::Crash { node: 1 }).unwrap();
        assert_eq!(zh(&sim, Command::Crash { node: 1 }).zh, "S2 已经崩溃");
        let no_timeout = sim_error(&SimError::from(SimErrorKind::NoTimeout { node: 1 }));
        assert_eq!(no_timeout.en, "S2 has no timeout to fire now");
        assert_eq!(no_timeout.zh, "S2 现在没有可以触发的超时");
        let replay = SimError::from(SimErrorKind::Replay {
            number: 2,
            command: Box::new(Command::Crash { node: 1 }),
            reason: Box::new(SimErrorKind::AlreadyCrashed { node: 1 }),
        });
        assert_eq!(
            sim_error(&replay).zh,
            "第 2 条命令（使 S2 崩溃）：S2 已经崩溃"
        );
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

    #[test]
    fn every_role_kind_and_property_of_the_core_has_chinese() {
        use quorum_sim::invariants::RAFT_PROPERTIES;
        use quorum_sim::multipaxos::{MpRole, MULTIPAXOS_PROPERTIES};
        use quorum_sim::paxos::{PaxosRole, PAXOS_PROPERTIES};
        use quorum_sim::raft::Role;
        let roles = [Role::Follower, Role::Candidate, Role::Leader]
            .map(|r| r.as_str())
            .into_iter()
            .chain(
                [PaxosRole::Proposer, PaxosRole::Acceptor, PaxosRole::Learner].map(|r| r.as_str()),
            )
            .chain([MpRole::Follower, MpRole::Candidate, MpRole::Leader].map(|r| r.as_str()))
            .chain(["crashed"]);
        for r in roles {
            assert_ne!(role(Lang::Zh, r), r, "{r}");
            assert_eq!(role(Lang::En, r), r);
        }
        let properties = RAFT_PROPERTIES
            .iter()
            .chain(&PAXOS_PROPERTIES)
            .chain(&MULTIPAXOS_PROPERTIES);
        for p in properties {
            assert_ne!(property(Lang::Zh, p), *p, "{p}");
        }
        // The papers' message names stay; the others are said in Chinese.
        for kind in [
            "RequestVote",
            "AppendEntries",
            "Prepare",
            "Promise",
            "Accept",
            "Accepted",
            "Nack",
        ] {
            assert_eq!(message_kind(Lang::Zh, kind), kind);
        }
        for kind in [
            "ClientRequest",
            "Heartbeat",
            "HeartbeatReply",
            "Chosen",
            "Query",
        ] {
            assert!(!message_kind(Lang::Zh, kind).is_ascii(), "{kind}");
        }
    }

    #[test]
    fn t_picks_the_language() {
        assert_eq!(Lang::En.t("Pause", "暂停"), "Pause");
        assert_eq!(Lang::Zh.t("Pause", "暂停"), "暂停");
        assert_eq!(Lang::Zh.of(&text("a", "甲")), "甲");
    }
}

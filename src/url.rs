//! The run's parameters from the page address: `?algo=raft&nodes=5&seed=42`.
//!
//! Parsing is a pure function of the query string so that it is tested
//! natively. A parameter that is wrong is named in [`RunParams::errors`] and
//! replaced by its default; the page still starts. Which protocol runs, and
//! which parameters shape its run, come from the registry.

use crate::i18n::{Lang, Text};
use crate::registry::{self, Info, PROTOCOLS};

/// How much of the page's controls an embedded view shows (`controls=`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ControlsLevel {
    /// Nothing to click: the cluster (and a scenario's narration) only.
    None,
    /// Play / pause, step, the timeline and a scenario's steps.
    Minimal,
    /// Everything the full page has.
    #[default]
    Full,
}

impl ControlsLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            ControlsLevel::None => "none",
            ControlsLevel::Minimal => "minimal",
            ControlsLevel::Full => "full",
        }
    }
}

/// The page's colours (`theme=`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// The other one (what the header's switch turns to).
    pub fn other(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunParams {
    /// The protocol (`algo=`, or the scenario's).
    pub protocol: &'static Info,
    /// The run's shape, in the order of the protocol's [`Info::shape`].
    pub shape: Vec<usize>,
    /// `None` when the address has no (valid) seed: the page picks a random one.
    pub seed: Option<u64>,
    /// One plain sentence, in both languages, for each parameter that was wrong.
    pub errors: Vec<Text>,
    /// `debug=panic`: panic on start, so tests can see a fatal error shown on the page.
    pub debug_panic: bool,
    /// `run=`: a whole run (commands and moment) as written by "Copy link".
    pub shared: Option<String>,
    /// `lang=`: the page's language; `None` when absent (the browser's is used).
    pub lang: Option<Lang>,
    /// `scenario=`: a scenario of the catalog, by name (its protocol wins over `algo=`).
    pub scenario: Option<String>,
    /// `embed=1`: the page fills an iframe: no page chrome, scaled to fit.
    pub embed: bool,
    /// `controls=none|minimal|full` (an embedded view's; the full page has all).
    pub controls: ControlsLevel,
    /// `autoplay=1|0`: play as soon as the view is visible. `None`: the
    /// default (a new run plays, a scenario, a shared run or an embed waits).
    pub autoplay: Option<bool>,
    /// `theme=light|dark`; `None` when absent: the system's setting
    /// (`prefers-color-scheme`) is followed.
    pub theme: Option<Theme>,
    /// `present=1`: presenter mode (large type and lines, high contrast).
    pub present: bool,
    /// `pause=1|0`: whether a scenario pauses at each narration step.
    pub pause_at_steps: Option<bool>,
    /// `speed=1/100` (or `0.01`): the speed slider's position.
    pub speed_pos: Option<i32>,
    /// `step=3`: a scenario opens at its third step (counted from 1).
    pub step: Option<usize>,
}

impl Default for RunParams {
    fn default() -> Self {
        RunParams {
            protocol: PROTOCOLS[0],
            shape: PROTOCOLS[0].default_shape(),
            seed: None,
            errors: Vec::new(),
            debug_panic: false,
            shared: None,
            lang: None,
            scenario: None,
            embed: false,
            controls: ControlsLevel::Full,
            autoplay: None,
            theme: None,
            present: false,
            pause_at_steps: None,
            speed_pos: None,
            step: None,
        }
    }
}

/// A speed as written in an address: `1/100`, `0.01`, `1`, with or without
/// a trailing `×` or `x`.
fn parse_speed(value: &str) -> Option<f64> {
    let value = value.trim().trim_end_matches(['×', 'x', 'X']);
    let number = |s: &str| decimal(s.trim());
    match value.split_once('/') {
        Some((a, b)) => Some(number(a)? / number(b)?),
        None => number(value),
    }
}

/// A plain decimal number (`100`, `0.01`, `.5`), read without the standard
/// float parser (which would add some 2 KB to the wasm for this one use).
fn decimal(s: &str) -> Option<f64> {
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() && fraction.is_empty()
        || whole.len() > 12
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let mut value = whole.parse::<u64>().unwrap_or(0) as f64;
    let mut scale = 1.0;
    for digit in fraction.bytes().take(12) {
        scale /= 10.0;
        value += f64::from(digit - b'0') * scale;
    }
    Some(value)
}

/// `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off`.
fn flag(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" | "" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// The names of every protocol, as the refusal of an unknown one lists them:
/// `raft, paxos, multipaxos, vr or zab` / `raft、paxos、multipaxos、vr 或 zab`.
fn protocol_names(lang: Lang) -> String {
    let names: Vec<&str> = PROTOCOLS.iter().map(|p| p.name).collect();
    let (last, rest) = names.split_last().expect("a protocol");
    let (comma, or) = lang.t((", ", " or "), ("、", " 或 "));
    format!("{}{or}{last}", rest.join(comma))
}

/// A parameter of the address the page cannot use, worded for a person:
/// what the address asks for, the rule it breaks, and what the page does
/// instead (`rule` and `instead` are each `(en, zh)`).
pub fn refused(key: &str, value: &str, rule: (&str, &str), instead: (&str, &str)) -> Text {
    Text {
        en: format!(
            "The address asks for {key}={value}, but {}: {}.",
            rule.0, instead.0
        ),
        zh: format!("参数 {key}={value} 无效：{}；{}。", rule.1, instead.1),
    }
}

/// Parses a query string (with or without the leading `?`). The first
/// occurrence of a parameter counts; parameters the page does not know are ignored.
pub fn parse_query(query: &str) -> RunParams {
    let mut params = RunParams::default();
    let query = query.strip_prefix('?').unwrap_or(query);
    // Every parameter, its first occurrence only.
    let mut pairs: Vec<(String, String)> = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (key, value) = (decode(key), decode(value));
        if !pairs.iter().any(|(k, _)| *k == key) {
            pairs.push((key, value));
        }
    }
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let mut errors = Vec::new();
    let mut wrong = |key: &str, value: &str, rule: (&str, &str), instead: (&str, &str)| {
        errors.push(refused(key, value, rule, instead))
    };
    // The protocol first: it says which parameters shape the run.
    if let Some(value) = get("algo") {
        match registry::find(value) {
            Some(p) => params.protocol = p,
            None => {
                let first = PROTOCOLS[0].name;
                wrong(
                    "algo",
                    value,
                    (
                        &format!("this page runs {}", protocol_names(Lang::En)),
                        &format!("本页只能运行 {}", protocol_names(Lang::Zh)),
                    ),
                    (&format!("running {first}"), &format!("改为运行 {first}")),
                )
            }
        }
    }
    if let Some(value) = get("scenario") {
        match registry::of_scenario(value) {
            // A scenario's protocol wins over algo=.
            Some(p) => {
                params.protocol = p;
                params.scenario = Some(value.to_string());
            }
            // The core knows it, but its protocol has no page yet (PBFT
            // today): say so rather than that the name is wrong.
            None => match quorum_sim::registry::protocol_of_scenario(value) {
                Some(core) => wrong(
                    "scenario",
                    value,
                    (
                        &format!(
                            "that scenario is {name}'s, and {name} has no page here yet",
                            name = core.name.to_ascii_uppercase()
                        ),
                        &format!(
                            "这个场景属于 {name}，而 {name} 在这里还没有页面",
                            name = core.name.to_ascii_uppercase()
                        ),
                    ),
                    ("running without one", "不使用场景运行"),
                ),
                None => wrong(
                    "scenario",
                    value,
                    (
                        "the page has no scenario of that name",
                        "没有这个名字的场景",
                    ),
                    ("running without one", "不使用场景运行"),
                ),
            },
        }
    }
    params.shape = params.protocol.default_shape();
    for (i, p) in params.protocol.shape.iter().enumerate() {
        let Some(value) = get(p.key) else { continue };
        match value.parse::<usize>() {
            Ok(n) if (p.min..=p.max).contains(&n) => params.shape[i] = n,
            _ => {
                let (min, max, default, (en, zh)) = (p.min, p.max, p.default, p.counts);
                // "台服务器" is counted in 台, "个提议者" in 个.
                let unit = zh.chars().next().map(String::from).unwrap_or_default();
                let (whole, whole_zh) = if p.key == "nodes" {
                    ("cluster", "集群")
                } else {
                    ("run", "")
                };
                wrong(
                    p.key,
                    value,
                    (
                        &format!("a {whole} has {min} to {max} {en}"),
                        &format!("{whole_zh}须有 {min} 到 {max} {zh}"),
                    ),
                    (
                        &format!("showing {default}"),
                        &format!("改用 {default} {unit}"),
                    ),
                )
            }
        }
    }
    // The flags' rule, in both languages.
    let binary = |key: &str| (format!("{key} is 1 or 0"), format!("{key} 只能是 1 或 0"));
    // The protocol's switches (Raft's prevote=1, ...), after its shape.
    let first = params.protocol.shape.len();
    for (i, s) in params.protocol.switches.iter().enumerate() {
        let Some(value) = get(s.key) else { continue };
        match flag(value) {
            Some(on) => params.shape[first + i] = usize::from(on),
            None => {
                let (en, zh) = binary(s.key);
                wrong(
                    s.key,
                    value,
                    (&en, &zh),
                    (
                        &format!("running without {}", s.name.0),
                        &format!("不启用{}", s.name.1),
                    ),
                )
            }
        }
    }
    for (key, value) in &pairs {
        let (key, value) = (key.as_str(), value.as_str());
        match key {
            "seed" => match value.parse::<u64>() {
                Ok(s) => params.seed = Some(s),
                Err(_) => wrong(
                    key,
                    value,
                    (
                        &format!("a seed is a whole number from 0 to {}", u64::MAX),
                        &format!("种子须是 0 到 {} 之间的整数", u64::MAX),
                    ),
                    ("using a random seed", "改用随机种子"),
                ),
            },
            "debug" => params.debug_panic = value == "panic",
            "run" => params.shared = Some(value.to_string()),
            "lang" => match Lang::parse(value) {
                Some(lang) => params.lang = Some(lang),
                None => wrong(
                    key,
                    value,
                    ("the page speaks en and zh", "本页只支持 en 和 zh"),
                    ("using the browser's language", "改用浏览器的语言"),
                ),
            },
            "embed" => match flag(value) {
                Some(on) => params.embed = on,
                None => {
                    let (en, zh) = binary(key);
                    wrong(
                        key,
                        value,
                        (&en, &zh),
                        ("showing the full page", "显示完整页面"),
                    )
                }
            },
            "controls" => match value.to_ascii_lowercase().as_str() {
                "none" => params.controls = ControlsLevel::None,
                "minimal" => params.controls = ControlsLevel::Minimal,
                "full" => params.controls = ControlsLevel::Full,
                _ => wrong(
                    key,
                    value,
                    (
                        "controls is none, minimal or full",
                        "controls 只能是 none、minimal 或 full",
                    ),
                    ("showing them all", "显示全部控件"),
                ),
            },
            "autoplay" => match flag(value) {
                Some(on) => params.autoplay = Some(on),
                None => {
                    let (en, zh) = binary(key);
                    wrong(
                        key,
                        value,
                        (&en, &zh),
                        (
                            "playing or waiting as it would without it",
                            "按未设置时的方式播放或等待",
                        ),
                    )
                }
            },
            "theme" => match value.to_ascii_lowercase().as_str() {
                "light" => params.theme = Some(Theme::Light),
                "dark" => params.theme = Some(Theme::Dark),
                _ => wrong(
                    key,
                    value,
                    ("theme is light or dark", "theme 只能是 light 或 dark"),
                    ("following the system's setting", "跟随系统的设置"),
                ),
            },
            "present" => match flag(value) {
                Some(on) => params.present = on,
                None => {
                    let (en, zh) = binary(key);
                    wrong(key, value, (&en, &zh), ("not presenting", "不进入演示模式"))
                }
            },
            "step" => match value.parse::<usize>() {
                Ok(n) if n >= 1 => params.step = Some(n),
                _ => wrong(
                    key,
                    value,
                    ("steps are numbered 1, 2, 3, …", "步的编号是 1、2、3……"),
                    ("opening at the first step", "从第 1 步开始"),
                ),
            },
            "speed" => match parse_speed(value).and_then(crate::state::speed_pos_of) {
                Some(pos) => params.speed_pos = Some(pos),
                None => {
                    let default = crate::state::speed_param(crate::state::DEFAULT_SPEED_POS);
                    wrong(
                        key,
                        value,
                        (
                            "a speed is from 1/1000 to 1, such as 1/100",
                            "速度须在 1/1000 到 1 之间，例如 1/100",
                        ),
                        (
                            &format!("playing at {default}"),
                            &format!("以 {default} 播放"),
                        ),
                    )
                }
            },
            "pause" => match flag(value) {
                Some(on) => params.pause_at_steps = Some(on),
                None => {
                    let (en, zh) = binary(key);
                    wrong(
                        key,
                        value,
                        (&en, &zh),
                        ("pausing at each step", "在每一步暂停"),
                    )
                }
            },
            _ => {}
        }
    }
    params.errors = errors;
    params
}

/// `search` (a query string, with or without `?`) with `key` set to `value`:
/// replaced where it is, or added at the end.
pub fn with_param(search: &str, key: &str, value: &str) -> String {
    let query = search.strip_prefix('?').unwrap_or(search);
    let mut found = false;
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| {
            let k = decode(p.split_once('=').map_or(p, |(k, _)| k));
            if k != key {
                return Some(p.to_string());
            }
            // Only the first occurrence counts (see parse_query); drop the rest.
            (!std::mem::replace(&mut found, true)).then(|| format!("{key}={}", encode(value)))
        })
        .collect();
    if !found {
        pairs.push(format!("{key}={}", encode(value)));
    }
    format!("?{}", pairs.join("&"))
}

/// Escapes what a query value cannot hold as it is.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        // `/` may stand in a query as it is (RFC 3986), so `speed=1/100` reads as written.
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `+` and `%XX` escapes; a malformed escape is kept as it is.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> &'static Info {
        registry::find(name).unwrap()
    }

    #[test]
    fn a_step_is_a_number_from_one() {
        assert_eq!(parse_query("scenario=raft-figure-8&step=3").step, Some(3));
        for bad in ["0", "-1", "two", ""] {
            let p = parse_query(&format!("step={bad}"));
            assert_eq!(p.step, None, "{bad}");
            assert_eq!(p.errors.len(), 1, "{bad}: named");
        }
    }

    #[test]
    fn decimals_read_as_numbers_and_nothing_else_does() {
        assert_eq!(decimal("100"), Some(100.0));
        assert_eq!(decimal(".5"), Some(0.5));
        assert!((decimal("0.01").unwrap() - 0.01).abs() < 1e-12);
        for bad in ["", ".", "1e3", "-1", "1.2.3", "NaN", "inf", "1,5"] {
            assert_eq!(decimal(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_protocols_own_shape_parameters_are_read_and_bad_ones_named() {
        let p = parse_query("?algo=paxos&proposers=3&acceptors=5&learners=0&seed=9");
        assert_eq!(p.protocol, named("paxos"));
        assert_eq!(p.shape, [3, 5, 0]);
        assert!(p.errors.is_empty());
        let p = parse_query("?algo=paxos&proposers=9&acceptors=two");
        assert_eq!(p.shape, named("paxos").default_shape());
        assert_eq!(p.errors.len(), 2);
        assert!(p.errors[0].en.contains("proposers=9"), "{:?}", p.errors);
        let p = parse_query("algo=multipaxos&nodes=3");
        assert_eq!(
            (p.protocol, p.shape.as_slice()),
            (named("multipaxos"), &[3][..])
        );
        // Another protocol's parameters are not this one's.
        let p = parse_query("algo=paxos&nodes=42");
        assert!(p.errors.is_empty());
    }

    #[test]
    fn a_scenario_of_a_protocol_without_a_page_is_named_as_such() {
        let p = parse_query("scenario=pbft-normal-case");
        assert_eq!(p.scenario, None);
        assert_eq!(p.errors.len(), 1);
        assert!(
            p.errors[0]
                .en
                .contains("that scenario is PBFT's, and PBFT has no page here yet"),
            "{:?}",
            p.errors
        );
        assert!(
            p.errors[0].zh.contains("这个场景属于 PBFT"),
            "{:?}",
            p.errors
        );
        let p = parse_query("scenario=pbft-no-such");
        assert!(
            p.errors[0].en.contains("no scenario of that name"),
            "{:?}",
            p.errors
        );
    }

    #[test]
    fn empty_query_gives_defaults_and_no_seed() {
        assert_eq!(parse_query(""), RunParams::default());
        assert_eq!(parse_query("?"), RunParams::default());
    }

    #[test]
    fn valid_parameters_are_taken() {
        let p = parse_query("?algo=raft&nodes=7&seed=42");
        assert_eq!(
            p,
            RunParams {
                protocol: named("raft"),
                shape: vec![7, 0, 0, 0],
                seed: Some(42),
                ..RunParams::default()
            }
        );
    }

    #[test]
    fn cluster_size_bounds_are_inclusive() {
        assert_eq!(parse_query("nodes=3").shape, [3, 0, 0, 0]);
        assert_eq!(parse_query("nodes=9").shape, [9, 0, 0, 0]);
        assert!(parse_query("nodes=9").errors.is_empty());
    }

    #[test]
    fn out_of_range_nodes_is_named_and_falls_back_to_default() {
        for bad in [
            "nodes=42",
            "nodes=2",
            "nodes=0",
            "nodes=-5",
            "nodes=five",
            "nodes=",
        ] {
            let p = parse_query(bad);
            assert_eq!(p.shape, [5, 0, 0, 0], "{bad}");
            assert_eq!(p.errors.len(), 1, "{bad}");
            assert!(
                p.errors[0].en.contains(&format!(" {bad},")),
                "{bad}: {:?}",
                p.errors
            );
        }
    }

    #[test]
    fn a_refusal_names_the_parameter_the_rule_and_what_the_page_does_instead() {
        let p = parse_query("nodes=99");
        assert_eq!(
            p.errors[0].en,
            "The address asks for nodes=99, but a cluster has 3 to 9 servers: showing 5."
        );
        assert_eq!(
            p.errors[0].zh,
            "参数 nodes=99 无效：集群须有 3 到 9 台服务器；改用 5 台。"
        );
        let p = parse_query("algo=paxos&proposers=9");
        assert_eq!(
            p.errors[0].en,
            "The address asks for proposers=9, but a run has 1 to 3 proposers: showing 2."
        );
        assert_eq!(
            p.errors[0].zh,
            "参数 proposers=9 无效：须有 1 到 3 个提议者；改用 2 个。"
        );
        let p = parse_query("algo=epaxos&speed=fast&seed=x&lang=fr&step=0&embed=2&controls=all&autoplay=x&theme=blue&present=x&pause=x&scenario=nope");
        assert_eq!(p.errors.len(), 12, "{:?}", p.errors);
        for e in &p.errors {
            assert!(e.en.starts_with("The address asks for ") && e.en.contains(", but "));
            assert!(e.en.ends_with('.') && !e.en.contains('“'), "{}", e.en);
            assert!(e.zh.starts_with("参数 ") && e.zh.contains(" 无效：") && e.zh.contains('；'));
            assert!(e.zh.ends_with('。'), "{}", e.zh);
        }
        assert_eq!(
            p.errors[0].en,
            "The address asks for algo=epaxos, but this page runs raft, paxos, multipaxos, vr or zab: running raft."
        );
        assert_eq!(
            p.errors[0].zh,
            "参数 algo=epaxos 无效：本页只能运行 raft、paxos、multipaxos、vr 或 zab；改为运行 raft。"
        );
    }

    #[test]
    fn bad_seed_is_named_and_falls_back_to_random() {
        let p = parse_query("?seed=abc&nodes=4");
        assert_eq!((p.seed, p.shape.as_slice()), (None, &[4, 0, 0, 0][..]));
        assert_eq!(p.errors.len(), 1);
        assert!(p.errors[0].en.contains("seed") && p.errors[0].en.contains("abc"));
        assert_eq!(parse_query("seed=-1").seed, None);
        assert_eq!(parse_query("seed=18446744073709551616").seed, None);
        assert_eq!(
            parse_query("seed=18446744073709551615").seed,
            Some(u64::MAX)
        );
    }

    #[test]
    fn unknown_algorithm_is_named_and_falls_back_to_raft() {
        let p = parse_query("algo=epaxos&seed=1");
        assert_eq!((p.protocol, p.seed), (PROTOCOLS[0], Some(1)));
        assert!(p.errors[0].en.contains("epaxos"));
        assert!(p.errors[0]
            .en
            .contains("raft, paxos, multipaxos, vr or zab"));
        assert!(parse_query("algo=RAFT").errors.is_empty());
    }

    #[test]
    fn every_bad_parameter_is_reported() {
        assert_eq!(parse_query("algo=epaxos&nodes=42&seed=abc").errors.len(), 3);
    }

    #[test]
    fn first_occurrence_wins_and_unknown_keys_are_ignored() {
        let p = parse_query("nodes=4&nodes=6&tempo=9&x");
        assert_eq!(p.shape, [4, 0, 0, 0]);
        assert!(p.errors.is_empty());
    }

    #[test]
    fn escapes_are_decoded() {
        assert_eq!(parse_query("n%6Fdes=%33").shape, [3, 0, 0, 0]);
        assert_eq!(decode("a+b%2"), "a b%2");
        assert_eq!(decode("%zz"), "%zz");
        assert_eq!(decode("%é%"), "%é%", "never splits a character");
    }

    #[test]
    fn only_debug_panic_asks_for_a_panic() {
        assert!(parse_query("seed=1&debug=panic").debug_panic);
        assert!(!parse_query("debug=1").debug_panic);
    }

    #[test]
    fn a_parameter_is_set_in_place_or_added() {
        assert_eq!(
            with_param("?algo=raft&lang=en&seed=1", "lang", "zh"),
            "?algo=raft&lang=zh&seed=1"
        );
        assert_eq!(with_param("?algo=raft", "lang", "zh"), "?algo=raft&lang=zh");
        assert_eq!(with_param("", "lang", "zh"), "?lang=zh");
        assert_eq!(with_param("lang=en&lang=fr", "lang", "zh"), "?lang=zh");
        assert_eq!(with_param("?a=1", "b", "x y&z"), "?a=1&b=x%20y%26z");
        let p = parse_query(&with_param("?seed=3", "lang", "zh"));
        assert_eq!((p.seed, p.lang), (Some(3), Some(Lang::Zh)));
    }

    #[test]
    fn a_language_is_read_and_an_unknown_one_named() {
        assert_eq!(parse_query("lang=zh-CN").lang, Some(Lang::Zh));
        let p = parse_query("lang=klingon");
        assert_eq!(p.lang, None);
        assert!(p.errors[0].en.contains("klingon"));
    }

    #[test]
    fn the_view_parameters_are_read_and_bad_ones_named_in_both_languages() {
        let p = parse_query(
            "?embed=1&controls=minimal&autoplay=1&theme=dark&present=1&pause=0&scenario=raft-figure-8",
        );
        assert!(p.embed && p.present);
        assert_eq!(p.controls, ControlsLevel::Minimal);
        assert_eq!((p.autoplay, p.pause_at_steps), (Some(true), Some(false)));
        assert_eq!(p.theme, Some(Theme::Dark));
        assert_eq!(p.scenario.as_deref(), Some("raft-figure-8"));
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        // A scenario's protocol wins over algo=.
        let p = parse_query("?algo=raft&scenario=paxos-late-proposer");
        assert_eq!(p.protocol, named("paxos"));
        // `?embed` alone means on; nonsense is named and the default kept.
        assert!(parse_query("?embed").embed);
        let p = parse_query(
            "?embed=maybe&controls=lots&autoplay=x&theme=purple&present=2&pause=?&scenario=nope",
        );
        assert_eq!(p.errors.len(), 7, "{:?}", p.errors);
        assert!(!p.embed && !p.present);
        assert_eq!((p.controls, p.theme), (ControlsLevel::Full, None));
        assert_eq!(
            (p.autoplay, p.pause_at_steps, p.scenario),
            (None, None, None)
        );
        for e in &p.errors {
            assert!(!e.en.is_empty() && !e.zh.is_empty() && e.en != e.zh);
        }
        assert!(p.errors.iter().any(|e| e.en.contains("scenario=nope")));
    }

    #[test]
    fn a_speed_is_read_as_a_fraction_or_a_number_and_a_bad_one_named() {
        use crate::state::{speed_at, speed_param, SPEED_STEPS};
        assert_eq!(parse_query("speed=1/100").speed_pos, Some(100));
        assert_eq!(parse_query("speed=0.01").speed_pos, Some(100));
        assert_eq!(parse_query("speed=1%2F100").speed_pos, Some(100));
        assert_eq!(parse_query("speed=1/20×").speed_pos, Some(170));
        assert_eq!(parse_query("speed=1").speed_pos, Some(SPEED_STEPS));
        assert!(parse_query("speed=1/1000").errors.is_empty());
        for bad in [
            "speed=fast",
            "speed=2",
            "speed=1/0",
            "speed=0",
            "speed=-1",
            "speed=1/5000",
            "speed=",
        ] {
            let p = parse_query(bad);
            assert_eq!(p.speed_pos, None, "{bad}");
            assert_eq!(p.errors.len(), 1, "{bad}");
            assert!(p.errors[0].en.contains(&format!(" {bad},")), "{bad}");
            assert!(
                p.errors[0].zh.contains(&format!(" {bad} ")) && p.errors[0].zh != p.errors[0].en
            );
        }
        // What a link writes reads back as the same position.
        let pos = 122;
        let query = with_param("?seed=1", "speed", &speed_param(pos));
        assert_eq!(query, "?seed=1&speed=1/60");
        assert_eq!(parse_query(&query).speed_pos, Some(pos));
        assert!(speed_at(pos) > 0.0);
    }

    #[test]
    fn query_for_round_trips() {
        let p = parse_query(&named("raft").query(&[6, 1, 0, 1], 99));
        assert_eq!(
            (p.shape.as_slice(), p.seed, p.errors.len()),
            (&[6, 1, 0, 1][..], Some(99), 0)
        );
        let p = parse_query(&named("paxos").query(&[1, 5, 2], 7));
        assert_eq!((p.shape.as_slice(), p.seed), (&[1, 5, 2][..], Some(7)));
    }

    #[test]
    fn raft_switches_are_read_and_a_tampered_one_is_named_in_both_languages() {
        let p = parse_query("?algo=raft&nodes=3&prevote=1&checkquorum=0&transfer=on");
        assert_eq!((p.shape.as_slice(), p.errors.len()), (&[3, 1, 0, 1][..], 0));
        let p = parse_query("?algo=raft&prevote=maybe");
        assert_eq!(p.shape, [5, 0, 0, 0]);
        assert_eq!(p.errors.len(), 1);
        assert_eq!(
            p.errors[0].en,
            "The address asks for prevote=maybe, but prevote is 1 or 0: running without PreVote."
        );
        assert!(
            p.errors[0].zh.contains("prevote=maybe"),
            "{}",
            p.errors[0].zh
        );
        assert!(p.errors[0].zh.contains("不启用"), "{}", p.errors[0].zh);
        // Another protocol has no such switch: ignored, as any unknown key.
        let p = parse_query("?algo=paxos&prevote=1");
        assert!(p.errors.is_empty());
        assert_eq!(p.shape, named("paxos").default_shape());
    }
}

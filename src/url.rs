//! The run's parameters from the page address: `?algo=raft&nodes=5&seed=42`.
//!
//! Parsing is a pure function of the query string so that it is tested
//! natively. A parameter that is wrong is named in [`RunParams::errors`] and
//! replaced by its default; the page still starts.

use crate::i18n::Lang;

/// Cluster sizes the page offers.
pub const MIN_NODES: usize = 3;
pub const MAX_NODES: usize = 9;
pub const DEFAULT_NODES: usize = 5;

/// Paxos's roles the page offers: 1 to 3 proposers, 3 to 7 acceptors, 0 to 3 learners.
pub const PROPOSERS: (usize, usize, usize) = (1, 3, 2);
pub const ACCEPTORS: (usize, usize, usize) = (3, 7, 3);
pub const LEARNERS: (usize, usize, usize) = (0, 3, 1);

/// The algorithms the page can run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algo {
    Raft,
    /// Basic (single-decree) Paxos.
    Paxos,
    MultiPaxos,
}

impl Algo {
    pub fn as_str(self) -> &'static str {
        match self {
            Algo::Raft => "raft",
            Algo::Paxos => "paxos",
            Algo::MultiPaxos => "multipaxos",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunParams {
    pub algo: Algo,
    pub nodes: usize,
    /// Paxos: how many servers play each role.
    pub proposers: usize,
    pub acceptors: usize,
    pub learners: usize,
    /// `None` when the address has no (valid) seed: the page picks a random one.
    pub seed: Option<u64>,
    /// One plain sentence for each parameter that was wrong.
    pub errors: Vec<String>,
    /// `debug=panic`: panic on start, so tests can see a fatal error shown on the page.
    pub debug_panic: bool,
    /// `run=`: a whole run (commands and moment) as written by "Copy link".
    pub shared: Option<String>,
    /// `lang=`: the page's language; `None` when absent (the browser's is used).
    pub lang: Option<Lang>,
}

impl Default for RunParams {
    fn default() -> Self {
        RunParams {
            algo: Algo::Raft,
            nodes: DEFAULT_NODES,
            proposers: PROPOSERS.2,
            acceptors: ACCEPTORS.2,
            learners: LEARNERS.2,
            seed: None,
            errors: Vec::new(),
            debug_panic: false,
            shared: None,
            lang: None,
        }
    }
}

/// The query string of a run, for a link that replays it.
pub fn query_for(algo: Algo, nodes: usize, seed: u64) -> String {
    format!("?algo={}&nodes={nodes}&seed={seed}", algo.as_str())
}

/// The query string of a Paxos run.
pub fn paxos_query(proposers: usize, acceptors: usize, learners: usize, seed: u64) -> String {
    format!(
        "?algo=paxos&proposers={proposers}&acceptors={acceptors}&learners={learners}&seed={seed}"
    )
}

/// Parses a query string (with or without the leading `?`). The first
/// occurrence of a parameter counts; parameters the page does not know are ignored.
pub fn parse_query(query: &str) -> RunParams {
    let mut params = RunParams::default();
    let mut seen: Vec<String> = Vec::new();
    let query = query.strip_prefix('?').unwrap_or(query);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode(key);
        let value = decode(value);
        if seen.contains(&key) {
            continue;
        }
        seen.push(key.clone());
        match key.as_str() {
            "algo" => match value.to_ascii_lowercase().as_str() {
                "raft" => params.algo = Algo::Raft,
                "paxos" => params.algo = Algo::Paxos,
                "multipaxos" => params.algo = Algo::MultiPaxos,
                _ => params.errors.push(format!(
                    "algo “{value}” is not an algorithm this page runs (it runs raft, paxos and multipaxos); running raft"
                )),
            },
            "nodes" => match value.parse::<usize>() {
                Ok(n) if (MIN_NODES..=MAX_NODES).contains(&n) => params.nodes = n,
                _ => params.errors.push(format!(
                    "nodes “{value}” is not a cluster size from {MIN_NODES} to {MAX_NODES}; using {DEFAULT_NODES}"
                )),
            },
            "seed" => match value.parse::<u64>() {
                Ok(s) => params.seed = Some(s),
                Err(_) => params.errors.push(format!(
                    "seed “{value}” is not a whole number from 0 to {}; using a random seed",
                    u64::MAX
                )),
            },
            "proposers" | "acceptors" | "learners" => {
                let (min, max, default) = match key.as_str() {
                    "proposers" => PROPOSERS,
                    "acceptors" => ACCEPTORS,
                    _ => LEARNERS,
                };
                let slot = match key.as_str() {
                    "proposers" => &mut params.proposers,
                    "acceptors" => &mut params.acceptors,
                    _ => &mut params.learners,
                };
                match value.parse::<usize>() {
                    Ok(n) if (min..=max).contains(&n) => *slot = n,
                    _ => params.errors.push(format!(
                        "{key} “{value}” is not a number from {min} to {max}; using {default}"
                    )),
                }
            }
            "debug" => params.debug_panic = value == "panic",
            "run" => params.shared = Some(value),
            "lang" => match Lang::parse(&value) {
                Some(lang) => params.lang = Some(lang),
                None => params.errors.push(format!(
                    "lang “{value}” is not a language this page speaks (en, zh); using the browser's"
                )),
            },
            _ => {}
        }
    }
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
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
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

    #[test]
    fn paxos_roles_are_read_and_bad_ones_named() {
        let p = parse_query("?algo=paxos&proposers=3&acceptors=5&learners=0&seed=9");
        assert_eq!(p.algo, Algo::Paxos);
        assert_eq!((p.proposers, p.acceptors, p.learners), (3, 5, 0));
        assert!(p.errors.is_empty());
        let p = parse_query("?algo=paxos&proposers=9&acceptors=two");
        assert_eq!((p.proposers, p.acceptors), (PROPOSERS.2, ACCEPTORS.2));
        assert_eq!(p.errors.len(), 2);
        assert!(p.errors[0].contains("proposers “9”"), "{:?}", p.errors);
        assert_eq!(
            parse_query("algo=multipaxos&nodes=3").algo,
            Algo::MultiPaxos
        );
        assert_eq!(
            paxos_query(2, 3, 1, 42),
            "?algo=paxos&proposers=2&acceptors=3&learners=1&seed=42"
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
                algo: Algo::Raft,
                nodes: 7,
                seed: Some(42),
                ..RunParams::default()
            }
        );
    }

    #[test]
    fn cluster_size_bounds_are_inclusive() {
        assert_eq!(parse_query("nodes=3").nodes, 3);
        assert_eq!(parse_query("nodes=9").nodes, 9);
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
            assert_eq!(p.nodes, DEFAULT_NODES, "{bad}");
            assert_eq!(p.errors.len(), 1, "{bad}");
            assert!(p.errors[0].starts_with("nodes"), "{bad}: {:?}", p.errors);
        }
    }

    #[test]
    fn bad_seed_is_named_and_falls_back_to_random() {
        let p = parse_query("?seed=abc&nodes=4");
        assert_eq!((p.seed, p.nodes), (None, 4));
        assert_eq!(p.errors.len(), 1);
        assert!(p.errors[0].contains("seed") && p.errors[0].contains("abc"));
        assert_eq!(parse_query("seed=-1").seed, None);
        assert_eq!(parse_query("seed=18446744073709551616").seed, None);
        assert_eq!(
            parse_query("seed=18446744073709551615").seed,
            Some(u64::MAX)
        );
    }

    #[test]
    fn unknown_algorithm_is_named_and_falls_back_to_raft() {
        let p = parse_query("algo=zab&seed=1");
        assert_eq!((p.algo, p.seed), (Algo::Raft, Some(1)));
        assert!(p.errors[0].contains("zab"));
        assert!(parse_query("algo=RAFT").errors.is_empty());
    }

    #[test]
    fn every_bad_parameter_is_reported() {
        assert_eq!(parse_query("algo=zab&nodes=42&seed=abc").errors.len(), 3);
    }

    #[test]
    fn first_occurrence_wins_and_unknown_keys_are_ignored() {
        let p = parse_query("nodes=4&nodes=6&speed=9&x");
        assert_eq!(p.nodes, 4);
        assert!(p.errors.is_empty());
    }

    #[test]
    fn escapes_are_decoded() {
        assert_eq!(parse_query("n%6Fdes=%33").nodes, 3);
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
        assert!(p.errors[0].contains("klingon"));
    }

    #[test]
    fn query_for_round_trips() {
        let p = parse_query(&query_for(Algo::Raft, 6, 99));
        assert_eq!((p.nodes, p.seed, p.errors.len()), (6, Some(99), 0));
    }
}

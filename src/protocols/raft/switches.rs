//! The thesis's extensions as the page switches them (issue 14): their words
//! ([`SWITCHES`], which [`super::INFO`] lists) and the field of [`RaftConfig`]
//! each one sets ([`FLAGS`]), in the same order. One more switch is one entry
//! in each list; in [`FLAGS`] that is one line.

use crate::i18n::{text, Text};
use crate::registry::Switch;
use quorum_sim::raft::RaftConfig;

pub static SWITCHES: &[Switch] = &[
    Switch {
        key: "prevote",
        name: ("PreVote", "PreVote（预投票）"),
        explains: (
            "a server that timed out first asks if it could win; one cut off from the others cannot raise its term and depose a working leader",
            "超时的服务器先问一问自己能否当选；与其他服务器隔开的那台无法抬高任期、赶走正常工作的领导者",
        ),
        section: ("thesis 9.6", "博士论文 9.6 节"),
    },
    Switch {
        key: "checkquorum",
        name: ("CheckQuorum", "CheckQuorum（检查多数派）"),
        explains: (
            "a leader that has not heard from a majority for an election timeout steps down; a server that hears from its leader ignores vote requests (the leader lease)",
            "在一个选举超时内没有收到多数派回应的领导者主动下台；刚收到领导者消息的服务器不理会投票请求（领导者租约）",
        ),
        section: ("thesis 6.2, 4.2.3", "博士论文 6.2、4.2.3 节"),
    },
    Switch {
        key: "transfer",
        name: ("Leadership transfer", "领导权移交"),
        explains: (
            "a leader can hand over to another server: it brings that server's log up to date, then sends it TimeoutNow to start an election at once",
            "领导者可以把领导权交给另一台服务器：先让它的日志追上，再发 TimeoutNow 让它立即发起选举",
        ),
        section: ("thesis 3.10", "博士论文 3.10 节"),
    },
];

/// The field of [`RaftConfig`] each of [`SWITCHES`] sets, in the same order.
const FLAGS: &[fn(&mut RaftConfig) -> &mut bool] = &[
    |c| &mut c.pre_vote,
    |c| &mut c.check_quorum,
    |c| &mut c.leadership_transfer,
];

/// Each switch, 1 (on) or 0 (off), in the order of [`SWITCHES`].
pub fn of(config: &RaftConfig) -> Vec<usize> {
    let mut config = config.clone();
    FLAGS.iter().map(|f| usize::from(*f(&mut config))).collect()
}

/// The default settings with the switches `on` (1 or 0 each; those left
/// out are off, so a shape or a link older than a switch reads as before).
pub fn config(on: &[u64]) -> Result<RaftConfig, Text> {
    let mut config = RaftConfig::default();
    if on.len() > FLAGS.len() {
        return Err(text(
            format!(
                "a Raft run has {} switches, the link sets {}",
                FLAGS.len(),
                on.len()
            ),
            format!(
                "Raft 的运行有 {} 个开关，链接却设了 {} 个",
                FLAGS.len(),
                on.len()
            ),
        ));
    }
    for ((flag, switch), &value) in FLAGS.iter().zip(SWITCHES).zip(on) {
        match value {
            0 | 1 => *flag(&mut config) = value == 1,
            _ => {
                return Err(text(
                    format!(
                        "the switch {} is {value}, not 1 (on) or 0 (off)",
                        switch.key
                    ),
                    format!("开关 {} 的值是 {value}，不是 1（开）或 0（关）", switch.key),
                ))
            }
        }
    }
    Ok(config)
}

/// What a link or a file carries of the settings: the switches, with those
/// off at the end left out (a run with none on carries nothing, as before
/// the switches existed, so its link is the same).
pub fn params(config: &RaftConfig) -> Vec<u64> {
    let mut on: Vec<u64> = of(config).into_iter().map(|v| v as u64).collect();
    while on.last() == Some(&0) {
        on.pop();
    }
    on
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_switch_has_its_field() {
        assert_eq!(FLAGS.len(), SWITCHES.len());
    }

    #[test]
    fn every_switch_goes_through_a_link_and_back() {
        assert_eq!(params(&RaftConfig::default()), Vec::<u64>::new());
        assert_eq!(config(&[]), Ok(RaftConfig::default()));
        for i in 0..FLAGS.len() {
            let mut on = vec![0; FLAGS.len()];
            on[i] = 1;
            let c = config(&on).unwrap();
            assert_ne!(c, RaftConfig::default());
            assert_eq!(of(&c), on.iter().map(|&v| v as usize).collect::<Vec<_>>());
            let mut trimmed = on.clone();
            trimmed.truncate(i + 1);
            assert_eq!(params(&c), trimmed);
            assert_eq!(config(&params(&c)), Ok(c));
        }
        let all = config(&[1, 1, 1]).unwrap();
        assert!(all.pre_vote && all.check_quorum && all.leadership_transfer);
    }

    #[test]
    fn a_tampered_switch_is_refused_in_words() {
        let e = config(&[0, 2]).unwrap_err();
        assert!(e.en.contains("checkquorum is 2"), "{}", e.en);
        assert!(e.zh.contains("checkquorum"), "{}", e.zh);
        assert!(config(&[0; 9]).is_err());
    }
}

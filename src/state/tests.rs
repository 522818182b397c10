//! The reducer, through the boundary only: every test drives a run the way
//! the page does, and reads it through `Run` and its view models.

use super::*;
use crate::i18n::Lang;
use crate::registry;
use crate::run::view::{SectionBody, Value};

fn page(name: &str) -> &'static dyn Page {
    registry::page(name).expect("a registered protocol")
}

fn state_of(name: &str) -> Rc<State> {
    let page = page(name);
    let shape = page.info().default_shape();
    Rc::new(State::new(page, page.new_run(&shape, 42).unwrap()))
}

fn state() -> Rc<State> {
    state_of("raft")
}

fn run(mut s: Rc<State>, real_ms: f64, frames: usize) -> Rc<State> {
    for _ in 0..frames {
        s = s.reduce(Action::Tick { real_ms });
    }
    s
}

fn fast(s: Rc<State>) -> Rc<State> {
    s.reduce(Action::SetSpeed(SPEED_STEPS))
}

/// A variable of server `node`, as its inspector shows it.
fn field(s: &State, node: NodeId, key: &str) -> Option<String> {
    let inspector = s.run().inspector(node, Lang::En)?;
    inspector
        .sections
        .iter()
        .find_map(|section| match &section.body {
            SectionBody::Fields(fields) => fields.iter().find(|f| f.key == key).map(|f| f.text()),
            _ => None,
        })
}

fn log_len(s: &State, node: NodeId) -> usize {
    let inspector = s.run().inspector(node, Lang::En).unwrap();
    inspector
        .sections
        .iter()
        .find_map(|section| match &section.body {
            SectionBody::Fields(fields) => fields.iter().find(|f| f.key == "log"),
            _ => None,
        })
        .map_or(0, |f| match &f.value {
            Value::List { items, .. } => items.len(),
            Value::Text(_) => 0,
        })
}

#[test]
fn a_paused_page_returns_the_same_state() {
    let s = state().reduce(Action::TogglePlay);
    assert!(!s.playing);
    let after = s.clone().reduce(Action::Tick { real_ms: 16.0 });
    assert!(Rc::ptr_eq(&s, &after));
}

#[test]
fn selecting_twice_or_deselecting_nothing_changes_nothing() {
    let s = state().reduce(Action::SelectNode(2));
    assert!(Rc::ptr_eq(&s, &s.clone().reduce(Action::SelectNode(2))));
    let s = state();
    assert!(Rc::ptr_eq(&s, &s.clone().reduce(Action::Deselect)));
    assert!(
        Rc::ptr_eq(&s, &s.clone().reduce(Action::SelectNode(9))),
        "no server 10"
    );
}

#[test]
fn a_frame_advances_virtual_time_by_real_time_times_speed() {
    let s = fast(state()).reduce(Action::Tick { real_ms: 16.0 });
    assert_eq!(s.run().now(), 16_000);
}

#[test]
fn a_frame_between_events_moves_the_clock_but_not_the_views() {
    // The first timer fires at 150 ms at the earliest: nothing happens before.
    let s = fast(state());
    let version = s.version;
    let s = s.reduce(Action::Tick { real_ms: 5.0 });
    assert_eq!(s.run().now(), 5_000);
    assert_eq!(s.version, version, "no event: the views stay as they are");
    let s = run(s, 16.0, 20);
    assert!(s.version > version, "events: the views are built again");
}

#[test]
fn a_long_gap_is_clamped() {
    let s = fast(state()).reduce(Action::Tick { real_ms: 60_000.0 });
    assert_eq!(s.run().now(), (MAX_FRAME_MS * 1000.0) as Time);
}

#[test]
fn slow_speeds_accumulate_fractions_of_a_microsecond() {
    let s = run(state().reduce(Action::SetSpeed(0)), 0.4, 10);
    assert_eq!(s.run().now(), 3, "0.4 µs per frame; 4 µs minus rounding");
    assert!(s.display_now > 3.9);
}

#[test]
fn a_leader_is_elected_and_a_client_request_commits() {
    let s = run(fast(state()), 16.0, 60);
    let l = s.run().leader().expect("a leader within a second");
    let s = s.reduce(Action::ClientRequest { node: l });
    assert_eq!(s.notice, None);
    let s = run(s, 16.0, 10);
    assert_eq!(field(&s, l, "commitIndex").as_deref(), Some("1"));
    assert_eq!(field(&s, l, "kv").as_deref(), Some("x=1"));
    assert!(s.run().safety(Lang::En).violation.is_none());
}

#[test]
fn a_command_that_cannot_apply_explains_itself_with_the_protocols_reason() {
    let s = run(fast(state()), 16.0, 60);
    let l = s.run().leader().unwrap();
    let s = s.reduce(Action::Apply(Command::Timeout { node: l }));
    let notice = s.notice.clone().unwrap();
    assert!(notice.en.contains("has no timeout to fire"), "{notice:?}");
    assert!(
        notice.en.contains("a leader has no election timer"),
        "{notice:?}"
    );
    assert!(!notice.en.contains("Paxos"), "{notice:?}");
    assert!(notice.zh.contains("领导者没有选举计时器"), "{notice:?}");
    let s = s.reduce(Action::Apply(Command::Crash { node: l }));
    assert_eq!(s.notice, None);
    let s = s.reduce(Action::Apply(Command::Crash { node: l }));
    assert!(s.notice.as_ref().unwrap().en.contains("already crashed"));
}

#[test]
fn client_requests_cycle_keys_with_increasing_values() {
    let s = state().reduce(Action::ClientRequest { node: 0 });
    let s = s.reduce(Action::ClientRequest { node: 0 });
    let Command::ClientRequest { request, .. } = s.client_request(0) else {
        unreachable!()
    };
    assert_eq!(request.id, 3);
    assert_eq!(request.op, KvOp::Set { key: 'z', value: 3 });
}

#[test]
fn step_processes_exactly_one_event_and_pauses() {
    let s = state();
    let t = s.run().next_event_time().unwrap();
    let s = s.reduce(Action::Step);
    assert!(!s.playing);
    assert_eq!((s.run().now(), s.run().events()), (t, 1));
    let s = s.reduce(Action::Step);
    assert_eq!(s.run().events(), 2);
}

#[test]
fn step_back_undoes_a_step_exactly() {
    let s = run(fast(state()), 16.0, 20);
    let before = s.run().trace_hash();
    let events = s.run().events();
    let s = s.reduce(Action::Step).reduce(Action::StepBack);
    assert_eq!(s.run().events(), events);
    assert_eq!(s.run().trace_hash(), before);
    assert!(s.run().in_past());
}

#[test]
fn seeking_back_shows_the_past_and_going_live_returns() {
    let s = run(fast(state()), 16.0, 60);
    let end = (s.run().now(), s.run().trace_hash());
    let checked = s.run().safety(Lang::En).checked;
    let past = s.reduce(Action::Seek(100_000));
    assert_eq!(past.run().now(), 100_000);
    assert!(past.run().in_past() && !past.playing);
    // Playing through the past replays it without checking it twice.
    let replayed = run(past.reduce(Action::TogglePlay), 16.0, 40);
    assert_eq!(replayed.run().safety(Lang::En).checked, checked);
    let live = replayed.reduce(Action::GoLive);
    assert_eq!((live.run().now(), live.run().trace_hash()), end);
    assert!(!live.run().in_past());
}

#[test]
fn acting_in_the_past_forks_and_the_checker_sees_only_the_new_history() {
    let s = run(fast(state()), 16.0, 60);
    let l = s.run().leader().unwrap();
    let s = run(
        s.reduce(Action::Apply(Command::Crash { node: l })),
        16.0,
        60,
    );
    let far = s.run().now();
    let s = s.reduce(Action::Seek(far / 2));
    let here = s.run().events();
    let s = s.reduce(Action::Apply(Command::HealAll));
    assert_eq!(s.notice, None);
    assert!(!s.run().in_past(), "the old future is gone");
    assert_eq!(s.run().end().1, far / 2);
    assert_eq!(s.run().events(), here);
    // A fresh run of the same recording reaches the same state, and the
    // rebuilt checker has seen exactly as many events as a fresh one.
    let link = s.share_text();
    let (fresh, _) = s.page.shared(&link, None).unwrap();
    assert_eq!(fresh.trace_hash(), s.run().trace_hash());
    assert_eq!(
        fresh.safety(Lang::En).checked,
        s.run().safety(Lang::En).checked
    );
    assert!(s.run().safety(Lang::En).violation.is_none());
    let s = run(s.reduce(Action::TogglePlay), 16.0, 30);
    assert!(s.run().now() > far / 2);
}

#[test]
fn raftscope_keys_act_on_the_leader_and_on_every_crashed_server() {
    let s = run(fast(state()), 16.0, 60);
    let l = s.run().leader().unwrap();
    let s = s.reduce(Action::RequestToLeader);
    assert_eq!(log_len(&s, l), 1);
    let s = s.reduce(Action::RestartLeader);
    assert!(!s.run().crashed().contains(&l), "up again at once");
    let glyph = s.run().servers(Lang::En)[l].clone();
    assert_eq!(glyph.role, "follower");
    assert_eq!(log_len(&s, l), 1, "the log survives a restart");
    let s = s
        .reduce(Action::Apply(Command::Crash { node: 0 }))
        .reduce(Action::Apply(Command::Crash { node: 3 }))
        .reduce(Action::RestartAll);
    assert!(s.run().crashed().is_empty());
    let s = s.reduce(Action::RestartAll);
    assert_eq!(s.notice.as_ref().unwrap().en, "No server is crashed.");
}

#[test]
fn a_protocol_without_a_leader_says_so_for_the_leader_keys() {
    // Basic Paxos has no leader at all: no "right now", and where to go instead.
    for action in [Action::RequestToLeader, Action::RestartLeader] {
        let s = state_of("paxos").reduce(action);
        let notice = s.notice.as_ref().unwrap();
        assert_eq!(
            notice.en,
            "This protocol has no leader: click a server and choose from its menu."
        );
        assert!(notice.zh.contains("没有领导者"));
    }
}

#[test]
fn a_shared_run_reopens_at_the_same_moment_with_the_same_checks() {
    let s = run(fast(state()), 16.0, 60);
    let l = s.run().leader().unwrap();
    let s = s
        .reduce(Action::ClientRequest { node: l })
        .reduce(Action::Apply(Command::Crash { node: (l + 1) % 5 }));
    let s = run(s, 16.0, 30);
    let s = s.reduce(Action::Seek(700_000)).reduce(Action::Share);
    let text = s.share.clone().unwrap();
    let (back, _) = s.page.shared(&text, None).unwrap();
    assert_eq!(back.trace_hash(), s.run().trace_hash());
    assert_eq!(back.now(), 700_000);
    assert!(back.safety(Lang::En).violation.is_none());
    // At the frontier too: the moment lies after the last command.
    let s = s.reduce(Action::GoLive).reduce(Action::Share);
    let (back, _) = s.page.shared(s.share.as_deref().unwrap(), None).unwrap();
    assert_eq!(back.trace_hash(), s.run().trace_hash());
    assert_eq!(back.now(), s.run().now());
    let e = s.page.shared("1.AAAA", None).err().unwrap();
    assert!(e.en.contains("link") && e.zh.contains("链接"), "{e:?}");
    let e = page("paxos").shared(&text, None).err().unwrap();
    assert_eq!(e.en, "the link is a raft run, not paxos");
}

#[test]
fn a_new_run_keeps_the_seed_and_takes_the_size() {
    let s = run(fast(state()), 16.0, 10).reduce(Action::NewRun { nodes: 7 });
    assert_eq!((s.run().nodes(), s.run().seed(), s.run().now()), (7, 42, 0));
    assert_eq!(s.run().shape(), [7, 0, 0, 0]);
}

#[test]
fn a_switch_starts_a_new_run_with_it_and_keeps_the_size_and_seed() {
    let s = state().reduce(Action::NewRun { nodes: 3 });
    let s = run(fast(s), 16.0, 10).reduce(Action::SetSwitch { index: 0, on: true });
    assert_eq!((s.run().nodes(), s.run().seed(), s.run().now()), (3, 42, 0));
    assert_eq!(s.run().shape(), [3, 1, 0, 0]);
    // The link carries it, so a shared run replays with it.
    assert_eq!(s.run().shared_run().params, [1]);
    let s = s.reduce(Action::SetSwitch { index: 2, on: true });
    assert_eq!(s.run().shape(), [3, 1, 0, 1]);
    assert_eq!(s.run().shared_run().params, [1, 0, 1]);
    let s = s.reduce(Action::NewRun { nodes: 5 });
    assert_eq!(
        s.run().shape(),
        [5, 1, 0, 1],
        "a new size keeps the switches"
    );
    let off = s.reduce(Action::SetSwitch {
        index: 0,
        on: false,
    });
    let off = off.reduce(Action::SetSwitch {
        index: 2,
        on: false,
    });
    assert!(off.run().shared_run().params.is_empty());
    // No such switch: nothing happens.
    let same = off.clone().reduce(Action::SetSwitch { index: 9, on: true });
    assert!(Rc::ptr_eq(&same, &off));
}

fn scenario(name: &str) -> Rc<State> {
    let info = registry::of_scenario(name).unwrap();
    let page = page(info.name);
    let bytes = registry::packed_scenario(name);
    let mut state = State::new(page, page.scenario(&bytes).unwrap());
    state.playing = false;
    Rc::new(state)
}

/// Whether every claim of the step shown holds.
fn claims_hold(s: &State) -> bool {
    s.run().step_checks().is_some_and(|c| c.all_hold())
}

fn step_count(s: &State) -> usize {
    s.run().script().unwrap().steps.len()
}

#[test]
fn a_scenario_opens_paused_at_its_first_step_with_its_claims_checked() {
    let s = scenario("raft-first-election");
    assert_eq!((s.run().now(), s.run().step_shown()), (0, Some(0)));
    let checks = s.run().step_checks().unwrap();
    assert_eq!(checks.step, Some(0));
    assert!(checks.all_hold(), "{checks:?}");
}

#[test]
fn playing_a_scenario_pauses_exactly_at_each_step_where_its_claims_hold() {
    let mut s = fast(scenario("raft-first-election"));
    for step in 1..step_count(&s) {
        s = s.reduce(Action::TogglePlay);
        let mut frames = 0;
        while s.playing {
            s = s.reduce(Action::Tick { real_ms: 16.0 });
            frames += 1;
            assert!(frames < 10_000, "never reached step {step}");
        }
        let at = s.run().script().unwrap().steps[step].0;
        assert_eq!((s.run().now(), s.display_now), (at, at as f64));
        let checks = s.run().step_checks().unwrap();
        assert_eq!(checks.step, Some(step));
        assert!(checks.all_hold(), "step {step}: {checks:?}");
    }
    assert!(s.run().safety(Lang::En).violation.is_none());
    // Without pausing at steps, it plays past the last one.
    let s = s
        .reduce(Action::SetPauseAtSteps(false))
        .reduce(Action::TogglePlay);
    assert!(run(s, 16.0, 10).playing);
}

#[test]
fn every_scenario_of_every_protocol_opens_at_its_first_step_and_its_steps_hold() {
    for info in registry::PROTOCOLS {
        for name in info.scenarios {
            let mut s = scenario(name);
            let first = s.run().script().unwrap().steps[0].0;
            assert_eq!(
                (s.run().now(), s.run().step_shown()),
                (first, Some(0)),
                "{name}"
            );
            for step in 0..step_count(&s) {
                if step > 0 {
                    s = s.reduce(Action::NextStep);
                }
                assert_eq!(s.run().step_shown(), Some(step), "{name}");
                let checks = s.run().step_checks().unwrap();
                assert!(checks.all_hold(), "{name} step {}: {checks:?}", step + 1);
                assert_eq!(
                    s.run().claims(step, Lang::En).len(),
                    checks.results.as_ref().unwrap().len()
                );
            }
            // A scenario that breaks a property on purpose shows that violation.
            let breaks = s.run().script().unwrap().breaks.clone();
            let violation = s.run().safety(Lang::En).violation;
            match breaks {
                None => assert!(violation.is_none(), "{name}"),
                Some(p) => assert!(
                    violation.is_some_and(|v| v.starts_with(&format!("{p} violated at "))),
                    "{name}"
                ),
            }
        }
    }
}

#[test]
fn next_and_previous_step_travel_between_steps_and_pause() {
    let mut s = scenario("raft-first-election");
    let steps = step_count(&s);
    for step in 1..steps {
        s = s.reduce(Action::NextStep);
        assert_eq!(s.run().step_shown(), Some(step));
        assert!(!s.playing);
        assert!(claims_hold(&s));
    }
    // Past the last step there is nothing to go to.
    assert!(Rc::ptr_eq(&s, &s.clone().reduce(Action::NextStep)));
    let s = s.reduce(Action::PrevStep);
    assert_eq!(s.run().step_shown(), Some(steps - 2));
    // From between two steps, back goes to the start of the one shown.
    let at = s.run().script().unwrap().steps[steps - 2].0;
    let s = s.reduce(Action::Step).reduce(Action::Step);
    assert!(s.run().now() > at);
    let s = s.reduce(Action::PrevStep);
    assert_eq!(s.run().now(), at);
    let s = s.reduce(Action::GoToStep(0));
    assert_eq!((s.run().now(), s.run().step_shown()), (0, Some(0)));
}

#[test]
fn acting_in_a_scenario_leaves_its_script_and_restart_returns_to_it() {
    let s = scenario("raft-first-election").reduce(Action::NextStep);
    assert_eq!(s.run().off_script_from(), None);
    let s = s.reduce(Action::Apply(Command::Crash { node: 2 }));
    let crashed_at = s.run().now();
    assert_eq!(s.run().off_script_from(), Some(crashed_at));
    // This step's moment is the one acted at: its claims are checked
    // against the person's own run, at the moment shown.
    let checks = s.run().step_checks().unwrap();
    assert!(!checks.scripted);
    assert_eq!(checks.checked_at, crashed_at);
    let results = checks.results.as_ref().unwrap();
    assert_eq!(results.len(), s.run().claims(1, Lang::En).len());
    assert!(!checks.all_hold(), "S3 crashed: {results:?}");
    let s = s.reduce(Action::GoToStep(0));
    assert!(claims_hold(&s), "before the fork the script still holds");
    let s = s.reduce(Action::RestartScenario);
    assert_eq!(s.run().off_script_from(), None);
    assert_eq!(s.run().now(), 0);
    assert!(s.run().crashed().is_empty());
}

#[test]
fn a_fork_that_leaves_the_recording_as_long_as_before_still_leaves_the_script() {
    let s = scenario("raft-isolated-leader");
    let script = s.run().shared_run().commands;
    let (before, last) = (script[script.len() - 2].at, script[script.len() - 1].at);
    assert!(last > before + 1, "two commands at distinct moments");
    // At a step between the last two scripted commands, act: one command
    // dropped from the future, one added, the recording as long as before.
    let steps = s.run().script().unwrap().steps.clone();
    let step = steps
        .iter()
        .position(|(at, _)| *at > before && *at < last)
        .expect("a step between them");
    let at = steps[step].0;
    let s = s.reduce(Action::GoToStep(step));
    assert!(claims_hold(&s));
    let up = (0..s.run().nodes())
        .find(|n| !s.run().crashed().contains(n))
        .unwrap();
    let s = s.reduce(Action::Apply(Command::Crash { node: up }));
    assert_eq!(s.run().shared_run().commands.len(), script.len());
    assert_eq!(s.run().off_script_from(), Some(at));
    // The step's claims are now checked against the person's run.
    let checks = s.run().step_checks().unwrap();
    assert_eq!(checks.step, Some(step));
    assert!(!checks.scripted && checks.results.is_some());
}

#[test]
fn a_shared_scenario_run_keeps_its_narration_and_a_foreign_run_is_refused() {
    let s = scenario("raft-first-election")
        .reduce(Action::NextStep)
        .reduce(Action::NextStep);
    let text = s.share_text();
    let bytes = registry::packed_scenario("raft-first-election");
    let (back, notice) = s.page.shared(&text, Some(&bytes)).unwrap();
    assert_eq!(notice, None);
    assert_eq!(back.trace_hash(), s.run().trace_hash());
    assert_eq!(back.step_shown(), Some(2));
    assert!(back.step_checks().unwrap().all_hold());
    let other = State::new(s.page, s.page.new_run(&[5], 999).unwrap()).share_text();
    let (plain, notice) = s.page.shared(&other, Some(&bytes)).unwrap();
    assert!(plain.script().is_none(), "shown without the narration");
    let e = notice.unwrap();
    assert!(
        e.en.contains("not one of scenario raft-first-election"),
        "{e:?}"
    );
    assert!(e.zh.contains("不属于场景"));
    let e = page("paxos")
        .scenario(&bytes)
        .err()
        .expect("a Raft scenario is no Paxos one");
    assert!(!e.en.is_empty() && !e.zh.is_empty());
}

#[test]
fn speed_runs_from_a_thousandth_to_real_time() {
    assert!((speed_at(0) - 0.001).abs() < 1e-12);
    assert!((speed_at(SPEED_STEPS) - 1.0).abs() < 1e-12);
    assert_eq!(speed_label(speed_at(DEFAULT_SPEED_POS)), "1/60×");
    assert_eq!(speed_label(1.0), "1×");
    assert_eq!(speed_label(0.001), "1/1000×");
}

#[test]
fn an_address_speed_finds_its_slider_position_and_writes_back_the_same() {
    assert_eq!(speed_pos_of(1.0 / 20.0), Some(170));
    assert_eq!(speed_pos_of(0.001), Some(0));
    assert_eq!(speed_pos_of(1.0), Some(SPEED_STEPS));
    for bad in [0.0, -1.0, 2.0, 0.0005, f64::NAN, f64::INFINITY] {
        assert_eq!(speed_pos_of(bad), None, "{bad}");
    }
    assert_eq!(speed_param(DEFAULT_SPEED_POS), "1/60");
    assert_eq!(speed_param(SPEED_STEPS), "1");
    // Near 1×, a plain number, not `1/2.04`.
    assert_eq!(speed_param(269), "0.49");
    assert_eq!(speed_param(180), "0.0631");
    for pos in 0..=SPEED_STEPS {
        let written = speed_param(pos);
        let speed = match written.strip_prefix("1/") {
            Some(n) => 1.0 / n.parse::<f64>().unwrap(),
            None => written.parse::<f64>().unwrap(),
        };
        assert_eq!(speed_pos_of(speed), Some(pos), "{written}");
    }
}

#[test]
fn opening_a_menu_pauses_a_playing_run_and_closing_it_plays_again() {
    let s = state().reduce(Action::SelectNode(1));
    assert!(!s.playing && s.held, "paused while the menu is open");
    let t = s.display_now;
    let s = run(s, 16.0, 10);
    assert_eq!(s.display_now, t, "nothing moves while it is open");
    // Another server's menu, then a message's: still held.
    let s = s
        .reduce(Action::SelectNode(2))
        .reduce(Action::SelectMessage(1));
    assert!(!s.playing && s.held);
    let s = s.reduce(Action::Deselect);
    assert!(s.playing && !s.held, "plays again on close");
}

#[test]
fn a_menu_opened_on_a_paused_run_leaves_it_paused_when_it_closes() {
    let s = state()
        .reduce(Action::TogglePlay)
        .reduce(Action::SelectNode(0));
    assert!(!s.playing && !s.held);
    let s = s.reduce(Action::Deselect);
    assert!(!s.playing, "the person had paused it");
}

#[test]
fn playing_or_pausing_while_a_menu_is_open_is_the_persons_choice_on_close() {
    // Play pressed while open: it plays, and closing changes nothing.
    let s = state()
        .reduce(Action::SelectNode(0))
        .reduce(Action::TogglePlay);
    assert!(s.playing && !s.held);
    assert!(s.reduce(Action::Deselect).playing);
    // Play then pause while open: closing leaves it paused.
    let s = state()
        .reduce(Action::SelectNode(0))
        .reduce(Action::TogglePlay)
        .reduce(Action::TogglePlay);
    assert!(!s.reduce(Action::Deselect).playing);
    // Stepping while open is pausing too.
    let s = state().reduce(Action::SelectNode(0)).reduce(Action::Step);
    assert!(!s.held);
    assert!(!s.reduce(Action::Deselect).playing);
}

#[test]
fn acting_from_an_open_menu_keeps_the_run_paused_until_the_menu_closes() {
    let s = state().reduce(Action::SelectNode(0));
    let s = s.reduce(Action::Apply(Command::Crash { node: 0 }));
    assert!(!s.playing && s.held);
    assert_eq!(s.run().crashed(), vec![0]);
    assert!(s.reduce(Action::Deselect).playing);
}

/// Issue 11: a notice about a state that no longer holds goes by itself.
#[test]
fn the_no_leader_notice_goes_once_a_leader_is_elected() {
    // At 0 no one leads yet.
    let s = state().reduce(Action::RequestToLeader);
    assert!(s.run().leader().is_none());
    assert_eq!(
        s.notice.as_ref().unwrap().en,
        "There is no leader to send a request to right now."
    );
    let s = run(fast(s), 16.0, 60);
    assert!(s.run().leader().is_some());
    assert_eq!(s.notice, None, "a leader was elected: the notice went");
    // Another notice shown over it stays.
    let s = state()
        .reduce(Action::RequestToLeader)
        .reduce(Action::RestartAll);
    let s = run(fast(s), 16.0, 60);
    assert!(s.run().leader().is_some());
    assert_eq!(s.notice.as_ref().unwrap().en, "No server is crashed.");
}

/// Aligned election timers that the leader's heartbeats restart never fire:
/// the page says so instead of promising a split vote.
#[test]
fn aligning_timers_under_a_live_leader_says_its_heartbeats_restart_them() {
    let s = run(fast(state()), 16.0, 60);
    let leader = quorum_sim::node_name(s.run().leader().unwrap());
    let s = s.reduce(Action::AlignTimers);
    let notice = s.notice.as_ref().expect("a notice");
    assert!(
        notice
            .en
            .starts_with(&format!("Timers aligned, but {leader} leads")),
        "{}",
        notice.en
    );
    assert!(notice.en.contains("heartbeats"), "{}", notice.en);
    assert!(notice.zh.contains("心跳"), "{}", notice.zh);
    // With no leader (at 0) the timers align to a split vote, and nothing is said.
    let s = state().reduce(Action::AlignTimers);
    assert_eq!(s.notice, None);
}

#[test]
fn a_scenario_s_script_ahead_is_not_the_past_but_a_moment_left_behind_is() {
    let s = scenario("raft-first-election");
    assert!(
        !s.run().in_past(),
        "it opens at its first step, not in the past"
    );
    assert_eq!(s.run().end().1, s.run().now());
    // Playing (or stepping) on moves the end with the moment shown.
    let s = s.reduce(Action::NextStep).reduce(Action::NextStep);
    let at = s.run().now();
    assert!(!s.run().in_past());
    assert_eq!(s.run().end().1, at);
    // Going back from there is the past, and Back to live returns to it.
    let back = s.reduce(Action::PrevStep);
    assert!(back.run().in_past());
    assert_eq!(back.run().end().1, at);
    let live = back.reduce(Action::GoLive);
    assert_eq!((live.run().now(), live.run().in_past()), (at, false));
    // The link is the script's, whatever was watched: the same commands.
    let fresh = scenario("raft-first-election");
    assert_eq!(
        live.run().shared_run().commands,
        fresh.run().shared_run().commands
    );
}

#[test]
fn after_acting_the_step_s_claims_follow_the_person_s_run_as_it_moves() {
    let s = scenario("raft-first-election").reduce(Action::NextStep);
    let s = s.reduce(Action::Apply(Command::Crash { node: 2 }));
    let first = s.run().step_checks().unwrap();
    let s = s.reduce(Action::Step).reduce(Action::Step);
    let later = s.run().step_checks().unwrap();
    assert!(!later.scripted);
    assert_eq!(later.checked_at, s.run().now());
    assert!(
        !Rc::ptr_eq(&first, &later),
        "checked again at the new moment"
    );
    assert!(later.checked_at >= first.checked_at);
}

#[test]
fn a_step_highlights_what_its_claims_name_and_a_hovered_claim_only_its_own() {
    let s = scenario("raft-first-election").reduce(Action::NextStep);
    let all = s.run().highlights(None);
    assert!(!all.nodes.is_empty(), "{all:?}");
    let one = s.run().highlights(Some(0));
    assert!(one.nodes.iter().all(|n| all.nodes.contains(n)));
    assert!(one.nodes.len() <= all.nodes.len());
    // A free run has nothing to point at.
    assert!(state().run().highlights(None).is_empty());
}

/// Issue 11: the guided start's steps about the leader can be reached before
/// the first election at 1/60x; "skip ahead" runs on until there is one.
#[test]
fn skipping_to_the_leader_runs_on_until_a_server_leads_and_keeps_playing() {
    let s = state();
    assert_eq!(s.run().leader(), None, "no leader at the start");
    let playing = s.playing;
    let s = s.reduce(Action::SkipToLeader);
    let leader = s.run().leader();
    assert!(leader.is_some(), "a leader after skipping");
    assert!(s.run().now() > 0 && s.display_now == s.run().now() as f64);
    assert_eq!(s.playing, playing, "skipping neither pauses nor plays");
    // With a leader it does nothing.
    let t = s.run().now();
    let s = s.reduce(Action::SkipToLeader);
    assert_eq!((s.run().now(), s.run().leader()), (t, leader));
}

#[test]
fn a_message_the_person_drops_is_remembered_for_its_inspector_and_a_refused_drop_is_not() {
    let s = run(fast(state()), 16.0, 60);
    let id = s.run().messages(Lang::En)[0].id;
    let s = s.reduce(Action::SelectMessage(id));
    let s = s.reduce(Action::Apply(Command::DropMessage { id }));
    assert_eq!(s.notice, None);
    assert_eq!(s.dropped, Some(id));
    assert!(
        s.run().message(id, Lang::En).is_none(),
        "gone from the network"
    );
    // Dropping it again is refused: what was remembered stays as it was.
    let s = s.reduce(Action::Apply(Command::DropMessage { id }));
    assert!(s.notice.is_some());
    assert_eq!(s.dropped, Some(id));
}

fn menu_labels(s: &State, node: NodeId, lang: Lang) -> Vec<String> {
    let menu = s.run().menu(node, lang).expect("a server's menu");
    menu.actions.into_iter().map(|a| a.label).collect()
}

#[test]
fn paxos_lists_the_client_request_first_and_raft_last() {
    let paxos = menu_labels(&state_of("paxos"), 0, Lang::En);
    assert_eq!(
        paxos.first().map(String::as_str),
        Some("Client request"),
        "{paxos:?}"
    );
    let raft = menu_labels(&state(), 0, Lang::En);
    assert_eq!(
        raft.last().map(String::as_str),
        Some("Client request"),
        "{raft:?}"
    );
    assert_eq!(
        paxos.len(),
        raft.len(),
        "the same actions, in another order"
    );
}

#[test]
fn a_server_with_a_cut_link_restores_its_links_and_only_an_isolated_one_rejoins() {
    let s = state().reduce(Action::Apply(Command::CutLink { from: 2, to: 4 }));
    assert_eq!(s.notice, None);
    for node in [2, 4] {
        let labels = menu_labels(&s, node, Lang::En);
        assert!(
            labels.contains(&"Restore its links".to_string()),
            "{labels:?}"
        );
        assert!(!labels.contains(&"Rejoin".to_string()), "{labels:?}");
        let zh = menu_labels(&s, node, Lang::Zh);
        assert!(zh.contains(&"恢复它的链路".to_string()), "{zh:?}");
    }
    assert!(menu_labels(&s, 0, Lang::En).contains(&"Isolate".to_string()));
    let s = s.reduce(Action::Apply(Command::Isolate { node: 1 }));
    assert!(menu_labels(&s, 1, Lang::En).contains(&"Rejoin".to_string()));
    assert!(menu_labels(&s, 1, Lang::Zh).contains(&"重新接入".to_string()));
}

#[test]
fn each_copy_link_press_counts_even_for_the_same_link() {
    let s = state().reduce(Action::TogglePlay);
    let s = s.reduce(Action::Share);
    let first = s.share.clone();
    let s = s.reduce(Action::Share);
    assert_eq!(s.share, first, "the same run, the same link");
    assert_eq!(s.shares, 2, "copied (and said) again");
}

#[test]
fn a_raft_menu_in_chinese_says_voted_for_as_a_verb_and_names_the_current_leader() {
    let s = run(fast(state()), 16.0, 60);
    let leader = s.run().leader().expect("a leader within a second");
    let menu = s.run().menu(leader, Lang::Zh).unwrap();
    let fact = |label: &str| {
        menu.facts
            .iter()
            .find(|(t, _)| t == label)
            .map(|(_, v)| v.clone())
    };
    // A leader voted for itself: 已投给 S1, not 投票：投票给 S1.
    assert_eq!(
        fact("已投给"),
        Some(quorum_sim::node_name(leader)),
        "{:?}",
        menu.facts
    );
    assert_eq!(
        fact("当前领导者"),
        Some(quorum_sim::node_name(leader)),
        "{:?}",
        menu.facts
    );
}

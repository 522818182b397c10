//! The guided start: a short tour of the protocol's ideas, one a step, each
//! pointed at on the live ring, offered (never forced) on a first visit and
//! reopened from the help. It is the protocol's: a protocol without one has
//! no tour. It appears on the full page only, never in an embed, in
//! presenter mode, or over a scenario, a shared run or a run file.
//!
//! The run keeps playing under it, at the speed chosen: every step points
//! at something that moves (a timer running down, heartbeats flying), and
//! the last one needs the run to go on to elect a new leader.
//!
//! [`OnrampHost`] holds the tour's and the glossary's state for the page
//! below it (the context [`Onramp`]); [`TourCard`] is the tour's text and
//! buttons; [`spots`] is what the ring draws around the step's target.

use super::fmt;
use super::glossary::{self, GlossaryLinks};
use super::messages::position;
use super::ring::{node_position, NODE_RADIUS};
use crate::hooks::storage;
use crate::i18n::use_lang;
use crate::run::view::{GlossaryEntry, MessageGlyph, ServerGlyph, Spot, StepKind, TourStep};
use crate::run::Run;
use crate::state::{Action, Dispatch};
use quorum_sim::{node_name, NodeId};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Where a browser remembers that it was offered the tour.
const SEEN_KEY: &str = "quorum.guided-start";

/// Where the tour is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Closed,
    /// Offered, not yet taken.
    Offer,
    /// Showing step `n` (from 0).
    Step(usize),
}

/// What the "crash the leader" step has seen of the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Watch {
    /// Waiting for the leader (last seen) to go down.
    Leader(Option<NodeId>),
    /// It went down; waiting for a new leader.
    Down {
        old: NodeId,
    },
    Elected {
        old: NodeId,
        new: NodeId,
    },
}

impl Watch {
    /// What the last step has seen once the run shows `leader` (who leads
    /// now, if anyone) and `crashed`: the leader it watches goes down (it
    /// crashed, or no one leads any more), then a leader is elected again.
    pub fn follow(self, leader: Option<NodeId>, crashed: &[NodeId]) -> Watch {
        match self {
            Watch::Leader(Some(old)) if crashed.contains(&old) || leader.is_none() => {
                Watch::Down { old }
            }
            Watch::Leader(seen) if leader.is_some() && leader != seen => Watch::Leader(leader),
            Watch::Down { old } => match leader {
                Some(new) => Watch::Elected { old, new },
                None => self,
            },
            _ => self,
        }
    }
}

/// What the page below [`OnrampHost`] sees of the tour and the glossary:
/// one context, so the page carries one provider for both.
#[derive(Clone, Debug, PartialEq)]
pub struct Onramp {
    pub tour: Tour,
    pub glossary: GlossaryLinks,
}

impl std::fmt::Debug for GlossaryLinks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GlossaryLinks({} entries)", self.entries.len())
    }
}

/// The tour, as the page sees it.
#[derive(Clone, Debug)]
pub struct Tour {
    pub steps: &'static [TourStep],
    /// Whether the page may show it now (a full page, a run of its own).
    pub available: bool,
    pub phase: Phase,
    pub watch: Watch,
    pub set: Callback<(Phase, Watch)>,
}

impl PartialEq for Tour {
    /// The steps are the protocol's, fixed: the same slice is the same tour.
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.steps, other.steps)
            && self.available == other.available
            && self.phase == other.phase
            && self.watch == other.watch
            && self.set == other.set
    }
}

impl Tour {
    /// The step shown, if any.
    pub fn step(&self) -> Option<(usize, &'static TourStep)> {
        match self.phase {
            Phase::Step(i) if self.available => self.steps.get(i).map(|s| (i, s)),
            _ => None,
        }
    }

    /// Whether it can be started (the help's "Guided start").
    pub fn offered(&self) -> bool {
        self.available && !self.steps.is_empty()
    }

    pub fn start(&self) {
        self.set.emit((Phase::Step(0), Watch::Leader(None)));
    }
}

#[derive(Properties)]
pub struct OnrampHostProps {
    pub steps: &'static [TourStep],
    pub glossary: &'static [GlossaryEntry],
    /// Whether the tour may show: the full page, with a run of its own.
    pub available: bool,
    pub children: Html,
}

impl PartialEq for OnrampHostProps {
    /// The page under it changes with every frame: comparing it would cost
    /// more than drawing this again.
    fn eq(&self, _: &Self) -> bool {
        false
    }
}

/// Holds the tour's and the glossary's state for the page under it, and
/// draws the glossary when it is open.
#[component]
pub fn OnrampHost(props: &OnrampHostProps) -> Html {
    let first = props.available && !props.steps.is_empty();
    let tour = use_state(move || {
        // A browser that was offered the tour once goes straight in.
        let phase = if first && storage::stored(SEEN_KEY).is_none() {
            Phase::Offer
        } else {
            Phase::Closed
        };
        (phase, Watch::Leader(None))
    });
    {
        let offered = tour.0 == Phase::Offer;
        use_effect_with((), move |_| {
            if offered {
                storage::store(SEEN_KEY, "offered");
            }
        });
    }
    let set = {
        let tour = tour.setter();
        use_callback((), move |next: (Phase, Watch), _| tour.set(next))
    };
    let glossary = use_state(|| None::<Option<&'static str>>);
    let open = {
        let glossary = glossary.setter();
        use_callback((), move |at: Option<&'static str>, _| {
            glossary.set(Some(at))
        })
    };
    let close = {
        let glossary = glossary.setter();
        use_callback((), move |_: (), _| glossary.set(None))
    };
    let panel = use_node_ref();
    {
        let panel = panel.clone();
        use_effect_with(*glossary, move |target| {
            if let Some(target) = target {
                glossary::show(&panel, *target);
            }
        });
    }
    let lang = use_lang();
    let context = Onramp {
        tour: Tour {
            steps: props.steps,
            available: props.available,
            phase: tour.0,
            watch: tour.1,
            set,
        },
        glossary: GlossaryLinks {
            entries: props.glossary,
            open,
        },
    };
    html! {
        <ContextProvider<Onramp> {context}>
            { props.children.clone() }
            if let Some(target) = *glossary {
                { glossary::panel(props.glossary, target, lang, &close, panel) }
            }
        </ContextProvider<Onramp>>
    }
}

#[derive(Properties)]
pub struct TourCardProps {
    pub run: Rc<RefCell<Box<dyn Run>>>,
    /// The run's version: the card looks at it again when it changes.
    pub version: u64,
    /// Whether a menu, an inspector or the help is open (Escape closes those first).
    pub busy: bool,
    /// Whether the run plays: the tour holds it still until a step needs it moving.
    pub playing: bool,
    pub dispatch: Dispatch,
}

impl PartialEq for TourCardProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.run, &other.run)
            && self.version == other.version
            && self.busy == other.busy
            && self.playing == other.playing
    }
}

/// The tour's words and buttons, beside the ring (at the bottom of a phone's screen).
#[component]
pub fn TourCard(props: &TourCardProps) -> Html {
    let lang = use_lang();
    let onramp = use_context::<Onramp>();
    let links = onramp.as_ref().map(|o| o.glossary.clone());
    let tour = onramp.map(|o| o.tour);
    let card = use_node_ref();
    let phase = tour.as_ref().map_or(Phase::Closed, |t| t.phase);
    // The last step follows the run: the leader, then its crash, then a new one.
    {
        let tour = tour.clone();
        let run = props.run.clone();
        let dispatch = props.dispatch.clone();
        use_effect_with((props.version, phase), move |_| {
            let Some(tour) = tour else { return };
            let Some((_, step)) = tour.step() else { return };
            if !matches!(step.kind, StepKind::CrashLeader { .. }) {
                return;
            }
            let run = run.borrow();
            let next = tour.watch.follow(run.leader(), &run.crashed());
            if next != tour.watch {
                // The leader went down from its menu, which holds the run
                // paused while open: close it, so the election can be watched.
                if matches!(next, Watch::Down { .. }) {
                    dispatch.emit(Action::Deselect);
                }
                tour.set.emit((tour.phase, next));
            }
        });
    }
    // The steps about what stands still (the servers, their terms) hold
    // the run, so the first election is not over before a step explains
    // it; from the first step that points at something moving it plays
    // again. Only a hold the tour made is let go.
    {
        let tour = tour.clone();
        let (playing, dispatch) = (props.playing, props.dispatch.clone());
        let held = use_mut_ref(|| false);
        let before = use_mut_ref(|| phase);
        let run = props.run.clone();
        use_effect_with(phase, move |phase| {
            let steps = tour.filter(|t| t.available).map_or(&[][..], |t| t.steps);
            // Taking the tour starts the cluster again from its first
            // moment (the same seed), so every step sees what it explains.
            let was = std::mem::replace(&mut *before.borrow_mut(), *phase);
            if *phase == Phase::Step(0)
                && matches!(was, Phase::Offer | Phase::Closed)
                && !steps.is_empty()
            {
                let nodes = run.borrow().nodes();
                dispatch.emit(Action::NewRun { nodes });
            }
            let hold = match *phase {
                Phase::Step(i) => steps
                    .iter()
                    .take(i + 1)
                    .all(|s| matches!(s.spot, Spot::Servers | Spot::Numbers)),
                _ => false,
            };
            let mut held = held.borrow_mut();
            if hold && playing {
                *held = true;
                dispatch.emit(Action::TogglePlay);
            } else if !hold && *held {
                *held = false;
                if !playing {
                    dispatch.emit(Action::TogglePlay);
                }
            }
        });
    }
    // Whoever starts using the page on their own does not need the offer.
    {
        let tour = tour.clone();
        use_effect_with(props.busy, move |busy| {
            if let Some(tour) = tour.filter(|t| *busy && t.phase == Phase::Offer) {
                tour.set.emit((Phase::Closed, tour.watch));
            }
        });
    }
    // Escape closes the tour, once nothing else is open.
    {
        let tour = tour.clone();
        let busy = props.busy;
        use_effect_with((phase, busy), move |_| {
            let listener = tour
                .filter(|t| t.phase != Phase::Closed && !busy)
                .and_then(|tour| {
                    let doc = web_sys::window()?.document()?;
                    Some(gloo_events::EventListener::new(&doc, "keydown", move |e| {
                        let escape = e
                            .dyn_ref::<web_sys::KeyboardEvent>()
                            .is_some_and(|k| k.key() == "Escape");
                        // Escape in the glossary closes the glossary only.
                        let in_glossary = e
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                            .and_then(|el| el.closest("[data-glossary]").ok().flatten())
                            .is_some();
                        if escape && !in_glossary {
                            tour.set.emit((Phase::Closed, tour.watch));
                        }
                    }))
                });
            move || drop(listener)
        });
    }
    // A step that starts or changes takes the focus, so a keyboard is where the words are.
    {
        let card = card.clone();
        use_effect_with(phase, move |phase| {
            if matches!(phase, Phase::Step(_)) {
                if let Some(el) = card.cast::<web_sys::HtmlElement>() {
                    let focused_inside = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.active_element())
                        .is_some_and(|a| el.contains(Some(&a)));
                    if !focused_inside {
                        let _ = el.focus();
                    }
                    // On a phone the step puts the ring above the card; the
                    // press that began the tour may have left the page
                    // scrolled past it, so bring the ring's top back in view.
                    let ring = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.query_selector("[data-ring]").ok().flatten());
                    if let Some(ring) = ring.filter(|r| r.get_bounding_client_rect().top() < 0.0) {
                        ring.scroll_into_view_with_bool(true);
                    }
                }
            }
        });
    }
    let Some(tour) = tour.filter(|t| t.available && !t.steps.is_empty()) else {
        return html! {};
    };
    let set = |phase: Phase, watch: Watch| {
        let set = tour.set.clone();
        Callback::from(move |_: MouseEvent| set.emit((phase, watch)))
    };
    let close = set(Phase::Closed, tour.watch);
    match tour.phase {
        Phase::Closed => html! {},
        Phase::Offer => html! {
            <section class="panel tour offer" data-tour="offer" ref={card}
                aria-label={lang.t("Guided start", "入门导览")}>
                <h2>{ lang.t("New to consensus?", "第一次接触共识算法？") }</h2>
                <p>{ lang.t(
                    "A guided start shows, on this live cluster, what a cluster, a leader, a term, an election timeout, a heartbeat and a commit are, one idea at a time. It takes about two minutes.",
                    "入门导览会在这个正在运行的集群上，一次讲一个概念：什么是集群、领导者、任期、选举超时、心跳和提交。大约需要两分钟。",
                ) }</p>
                <div class="actions">
                    <button type="button" class="primary" onclick={set(Phase::Step(0), Watch::Leader(None))}>
                        { lang.t("Show me how it works", "开始入门导览") }
                    </button>
                    <button type="button" onclick={close}>{ lang.t("No thanks", "不用了") }</button>
                </div>
                <p class="hint">{ lang.t("It stays in the help (?) for later.", "以后也可以在帮助（?）中打开。") }</p>
            </section>
        },
        Phase::Step(i) => {
            let Some(step) = tour.steps.get(i) else {
                return html! {};
            };
            let count = tour.steps.len();
            let last = i + 1 == count;
            let run = props.run.borrow();
            let leader = run.leader();
            let fill = |text: &str, old: Option<NodeId>, new: Option<NodeId>| {
                let mut text = text.to_string();
                if let Some(old) = old {
                    text = text.replace("{old}", &node_name(old));
                }
                if let Some(new) = new {
                    text = text.replace("{new}", &node_name(new));
                }
                text
            };
            let (progress, status) = match step.kind {
                StepKind::CrashLeader { down, elected } => match tour.watch {
                    Watch::Leader(_) => ("waiting", None),
                    Watch::Down { old } => {
                        ("down", Some(fill(lang.t(down.0, down.1), Some(old), None)))
                    }
                    Watch::Elected { old, new } => (
                        "elected",
                        Some(fill(lang.t(elected.0, elected.1), Some(old), Some(new))),
                    ),
                },
                _ => ("", None),
            };
            // What the leader does (or is) cannot be shown while there is none.
            let needs_leader = matches!(
                step.spot,
                Spot::Role("leader") | Spot::Message { .. } | Spot::Committed
            );
            let waiting_for_leader = needs_leader && leader.is_none() && progress != "down";
            let request = (step.kind == StepKind::Request).then(|| {
                let dispatch = props.dispatch.clone();
                let onclick = Callback::from(move |_: MouseEvent| dispatch.emit(Action::RequestToLeader));
                html! {
                    <button type="button" class="primary" data-tour-request="" {onclick} disabled={leader.is_none()}>
                        { lang.t("Send a client request", "发送一个客户端请求") }
                    </button>
                }
            });
            let more = step.glossary.zip(links).map(|(id, links)| {
                let onclick = Callback::from(move |_: MouseEvent| links.open.emit(Some(id)));
                html! {
                    <button type="button" class="link" data-glossary-link={id} {onclick}>
                        { lang.t("More in the glossary", "在术语表中查看") }
                    </button>
                }
            });
            let skip = {
                let dispatch = props.dispatch.clone();
                Callback::from(move |_: MouseEvent| dispatch.emit(Action::SkipToLeader))
            };
            let back = set(Phase::Step(i.saturating_sub(1)), tour.watch);
            let next = if last {
                close.clone()
            } else {
                set(Phase::Step(i + 1), Watch::Leader(None))
            };
            html! {
                <section class="panel tour" data-tour="step" data-tour-step={step.id}
                    data-tour-index={i.to_string()} data-tour-target={step.spot.as_str()}
                    data-tour-progress={progress} ref={card} tabindex="-1"
                    role="dialog" aria-modal="false" aria-labelledby="tour-title">
                    <header>
                        <span class="count">{ lang.t(
                            format!("Guided start · {} of {count}", i + 1),
                            format!("入门导览 · 第 {} 步，共 {count} 步", i + 1),
                        ) }</span>
                        <button type="button" class="close" aria-label={lang.t("Close the guided start", "关闭入门导览")}
                            onclick={close.clone()}>{ "×" }</button>
                    </header>
                    <h2 id="tour-title">{ lang.t(step.title.0, step.title.1) }</h2>
                    <p>{ lang.t(step.body.0, step.body.1) }</p>
                    if waiting_for_leader {
                        <p class="hint">{ lang.t(
                            "There is no leader yet: the servers are electing one, which takes a few seconds while the run plays. Wait for it, or skip ahead to the moment one is elected.",
                            "还没有领导者：服务器们正在选举，运行时要过几秒才有结果。可以等一等，也可以直接跳到选出领导者的那一刻。",
                        ) }
                        <button type="button" class="link" data-tour-skip="" onclick={skip}>
                            { lang.t("Skip ahead to the leader", "跳到选出领导者") }
                        </button></p>
                    }
                    if let Some(status) = status {
                        <p class={classes!("status", progress)} role="status">{ status }</p>
                    }
                    { request }
                    <footer>
                        { more }
                        <span class="nav">
                            <button type="button" onclick={back} disabled={i == 0}>{ lang.t("Back", "上一步") }</button>
                            <button type="button" class="primary" onclick={next}>
                                { if last { lang.t("Finish", "完成") } else { lang.t("Next", "下一步") } }
                            </button>
                        </span>
                    </footer>
                </section>
            }
        }
    }
}

/// What the ring draws around the tour step's target: rings around
/// servers, a timer or messages in flight (`data-highlight`), for the
/// servers and messages drawn at `now` (virtual µs).
pub fn spots(
    onramp: Option<&Onramp>,
    servers: &[ServerGlyph],
    messages: &[MessageGlyph],
    now: f64,
    node_scale: f64,
) -> Html {
    let Some((_, step)) = onramp.and_then(|o| o.tour.step()) else {
        return html! {};
    };
    let n = servers.len();
    let up = || servers.iter().filter(|g| !g.crashed);
    let ring = |g: &ServerGlyph, r: f64, what: &'static str| {
        let (x, y) = node_position(g.id, n);
        html! {
            <circle class={classes!("tour-spot", what)} cx={fmt(x)} cy={fmt(y)} r={fmt(r)}
                data-highlight={what} data-highlight-node={g.id.to_string()} />
        }
    };
    let marks: Vec<Html> = match step.spot {
        Spot::Servers => up().map(|g| ring(g, NODE_RADIUS * node_scale + 14.0, "server")).collect(),
        Spot::Role(role) => up()
            .filter(|g| g.role == role)
            .map(|g| ring(g, NODE_RADIUS * node_scale + 14.0, "server"))
            .collect(),
        Spot::Timer(role) => up()
            .find(|g| g.role == role && g.timer.is_some())
            .map(|g| ring(g, (NODE_RADIUS + 8.0) * node_scale, "timer"))
            .into_iter()
            .collect(),
        Spot::Numbers => up()
            .map(|g| {
                let (x, y) = node_position(g.id, n);
                html! {
                    <rect class="tour-spot number" x={fmt(x - 17.0)} y={fmt(y - 8.0)} width="34" height="24" rx="6"
                        data-highlight="number" data-highlight-node={g.id.to_string()} />
                }
            })
            .collect(),
        Spot::Message { kind, carrying } => messages
            .iter()
            .filter(|m| m.kind == kind && !m.reply && (m.carries > 0) == carrying)
            .map(|m| {
                let (x, y) = position(m, n, now);
                html! {
                    <circle class="tour-spot message" cx={fmt(x)} cy={fmt(y)} r="14"
                        data-highlight="message" data-highlight-msg={m.id.to_string()} />
                }
            })
            .collect(),
        Spot::Committed => Vec::new(),
    };
    html! { <g class="tour-spots" aria-hidden="true">{ for marks }</g> }
}

#[cfg(test)]
mod tests {
    use super::Watch;

    #[test]
    fn the_last_step_waits_for_the_leader_to_crash_then_for_a_new_one() {
        let w = Watch::Leader(None).follow(None, &[]);
        assert_eq!(w, Watch::Leader(None), "no leader yet: nothing to watch");
        let w = w.follow(Some(2), &[]);
        assert_eq!(w, Watch::Leader(Some(2)));
        assert_eq!(
            w.follow(Some(2), &[1]),
            w,
            "another server's crash is not the leader's"
        );
        let down = w.follow(Some(2), &[2]);
        assert_eq!(down, Watch::Down { old: 2 }, "its crash is seen");
        assert_eq!(down.follow(None, &[2]), down, "an election is under way");
        let elected = down.follow(Some(4), &[2]);
        assert_eq!(elected, Watch::Elected { old: 2, new: 4 });
        assert_eq!(elected.follow(None, &[2, 4]), elected, "the end stays");
    }

    #[test]
    fn a_leader_restarted_at_once_counts_as_down_and_a_replaced_one_is_followed() {
        // R crashes and restarts the leader in one moment: it comes back a follower.
        assert_eq!(
            Watch::Leader(Some(0)).follow(None, &[]),
            Watch::Down { old: 0 }
        );
        // A new leader without a crash (a partition healed): the step watches it instead.
        assert_eq!(
            Watch::Leader(Some(0)).follow(Some(3), &[]),
            Watch::Leader(Some(3))
        );
    }
}

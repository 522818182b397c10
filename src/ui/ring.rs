//! The ring: every protocol's servers, the links between them, the cut
//! links and the groups a partition leaves, and the messages in flight.
//! (The menu of the server selected stands beside it: see `node_menu`.)

use super::messages::{hit, MessageLayer, HIT_RADIUS};
use super::server::{ServerView, Timers};
use super::tour::{self, Onramp};
use super::{fmt, Shared};
use crate::i18n::use_lang;
use crate::run::view::{MessageGlyph, ServerGlyph, Shape};
use crate::state::{Action, Dispatch, Selection};
use quorum_sim::{node_name, NodeId};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The SVG's view box is `-HALF..HALF` in both directions, or wider when
/// the servers' labels need it ([`label_fit`]).
pub const HALF: f64 = 300.0;
const RING_RADIUS: f64 = 185.0;
pub const NODE_RADIUS: f64 = 32.0;

/// Where node `i` of `n` sits: S1 at the top, the rest clockwise.
pub fn node_position(i: NodeId, n: usize) -> (f64, f64) {
    let angle = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n as f64;
    let (sin, cos) = super::num::sin_cos(angle);
    (RING_RADIUS * cos, RING_RADIUS * sin)
}

/// Where a message leaves its sender's edge and reaches its receiver's, on a ring of `n`.
pub fn message_path(from: NodeId, to: NodeId, n: usize) -> ((f64, f64), (f64, f64)) {
    let (fx, fy) = node_position(from, n);
    let (tx, ty) = node_position(to, n);
    let (dx, dy) = (tx - fx, ty - fy);
    let len = super::num::length(dx, dy).max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    (
        (fx + ux * NODE_RADIUS, fy + uy * NODE_RADIUS),
        (tx - ux * NODE_RADIUS, ty - uy * NODE_RADIUS),
    )
}

/// A point of a view box `-half..half` as a percentage of the drawing's width and height.
pub fn as_percent(x: f64, y: f64, half: f64) -> (f64, f64) {
    (
        (x + half) / (2.0 * half) * 100.0,
        (y + half) / (2.0 * half) * 100.0,
    )
}

/// The role line's font size in the view box at label scale 1; the name's is
/// [`NAME_EM`] times it (static/style.css sets both in em of the label's).
pub const LABEL_FONT: f64 = 11.5;
const NAME_EM: f64 = 1.3;
/// The smallest size a label's role line is drawn at on screen, in CSS
/// pixels (a line box of about 11): a ring drawn small (a phone, a frame)
/// draws its labels larger.
pub const LABEL_PX: f64 = 9.5;
/// The same in presenter mode on a full page: read from the back of a room,
/// a fiftieth of a 1080-line screen.
pub const ROOM_LABEL_PX: f64 = 20.0;
const LABEL_SCALE_MAX: f64 = 2.8;
/// The caption inside a server (TERM, BALLOT...), in the view box's units
/// (static/style.css; 10 in Chinese), and the smallest it is drawn at on
/// screen, in CSS pixels: on a ring drawn smaller (a phone's, a frame's,
/// where it would be 5 pixels) it is left out, the number stays and the
/// server's menu and inspector name it.
const CAPTION_FONT: f64 = 9.0;
const CAPTION_PX: f64 = 6.0;

/// Where a server's label goes (its name, its role, its details: `lines`
/// lines), relative to the server at `(x, y)`, outside the ring and away
/// from its centre, at label scale `k`: the anchor point's x, the first
/// line's baseline, the text anchor and the distance between baselines.
/// Servers drawn `s` times their usual size ([`node_fit`]) push it out as much.
pub fn label_place(x: f64, y: f64, lines: usize, k: f64, s: f64) -> (f64, f64, &'static str, f64) {
    let len = super::num::length(x, y).max(1.0);
    let (ux, uy) = (x / len, y / len);
    let out = NODE_RADIUS * s + 24.0;
    let (lx, ly) = (ux * out, uy * out);
    let anchor = if ux > 0.35 {
        "start"
    } else if ux < -0.35 {
        "end"
    } else {
        "middle"
    };
    let step = 14.0 * k;
    let lines = lines.max(2) as f64;
    // Above the server the lines stack upwards.
    let first = if uy < -0.35 {
        ly - step * (lines - 1.0)
    } else if uy > 0.35 {
        ly + 8.0 * k
    } else {
        ly - 3.0 * k - step / 2.0 * (lines - 2.0)
    };
    (lx, first, anchor, step)
}

/// A line's width in em of its font, generously: CJK is one em a
/// character, Latin a little over half.
fn width_em(text: &str) -> f64 {
    text.chars()
        .map(|c| match c {
            '\u{2E80}'.. => 1.0,
            'A'..='Z' | '0'..='9' | '←' | '–' => 0.66,
            'i' | 'l' | 'j' | 't' | 'f' | 'r' | '.' | ',' | ' ' | '(' | ')' => 0.36,
            _ => 0.6,
        })
        .sum()
}

/// The widest label line (in em of the role line's font) and the most lines
/// of any server's label.
fn label_extent(servers: &[ServerGlyph]) -> (f64, usize) {
    servers.iter().fold((0.0f64, 2usize), |(w, lines), g| {
        let name = width_em(&node_name(g.id)) * NAME_EM * 1.08;
        let widest = g
            .detail
            .iter()
            .map(|d| width_em(d))
            .fold(width_em(&g.role_text).max(name), f64::max);
        (w.max(widest), lines.max(2 + g.detail.len()))
    })
}

/// The half side of a view box that holds `n` servers drawn `s` times their
/// usual size with labels `width` em wide and `lines` lines tall at label
/// scale `k`: at least [`HALF`].
fn half_for(n: usize, width: f64, lines: usize, k: f64, s: f64) -> f64 {
    let font = LABEL_FONT * k;
    let w = width * font;
    let far = (0..n).fold(HALF - 6.0, |far, i| {
        let (x, y) = node_position(i, n);
        let (lx, first, anchor, step) = label_place(x, y, lines, k, s);
        let (left, right) = match anchor {
            "start" => (x + lx, x + lx + w),
            "end" => (x + lx - w, x + lx),
            _ => (x + lx - w / 2.0, x + lx + w / 2.0),
        };
        let top = y + first - font * NAME_EM;
        let bottom = y + first + step * (lines as f64 - 2.0) + font * 1.4;
        far.max(-left).max(right).max(-top).max(bottom)
    });
    // Whole tens, so a small change of the labels changes nothing.
    ((far + 6.0) / 10.0).ceil() * 10.0
}

/// The label scale and the view box's half side for a ring drawn `side`
/// CSS pixels square (0: not yet measured): the smallest scale, from 1,
/// at which a role line is `min_px` ([`LABEL_PX`], or [`ROOM_LABEL_PX`]
/// presenting) on screen.
pub fn label_fit(n: usize, width: f64, lines: usize, side: f64, min_px: f64, s: f64) -> (f64, f64) {
    let mut k = 1.0;
    loop {
        let half = half_for(n, width, lines, k, s);
        let px = LABEL_FONT * k * side / (2.0 * half);
        if side <= 0.0 || px >= min_px || k >= LABEL_SCALE_MAX {
            return (k, half);
        }
        k += 0.1;
    }
}

/// The smallest a server is drawn on screen, CSS pixels across: a finger's
/// tap target (44, the platform guidelines' size), and large enough to read.
pub const NODE_PX: f64 = 44.0;
/// A server shape's width over a circle's (`server.rs` draws a square 0.85 r
/// from its centre to its side, a diamond 1.15 r to its corners).
fn shape_width(shape: Shape) -> f64 {
    match shape {
        Shape::Square | Shape::Triangle => 0.85,
        Shape::Circle | Shape::Diamond => 1.0,
    }
}

/// How much larger a server may grow on a ring of `n`: neighbours keep
/// apart, their timer rings and hit areas included (nine: 1.5), and no
/// more than twice.
fn node_scale_max(n: usize) -> f64 {
    let ((x0, y0), (x1, y1)) = (node_position(0, n), node_position(1, n));
    let apart = super::num::length(x1 - x0, y1 - y0);
    (apart / (2.0 * (NODE_RADIUS + 10.0))).clamp(1.0, 2.0)
}

/// The servers' scale (from 1), the label scale and the view box's half
/// side for a ring drawn `side` CSS pixels square (0: not yet measured): a
/// ring drawn small (a phone's) draws its servers larger, each at least
/// [`NODE_PX`] across where the room allows, its labels moved out with them.
/// `smallest` is the narrowest server shape's width over a circle's (a
/// square's is 0.85).
pub fn node_fit(
    n: usize,
    width: f64,
    lines: usize,
    side: f64,
    min_px: f64,
    smallest: f64,
) -> (f64, f64, f64) {
    let most = node_scale_max(n);
    let mut s = 1.0;
    loop {
        let (k, half) = label_fit(n, width, lines, side, min_px, s);
        let px = 2.0 * NODE_RADIUS * smallest * s * side / (2.0 * half);
        if side <= 0.0 || px >= NODE_PX || s >= most {
            return (s, k, half);
        }
        s = (s + 0.05).min(most);
    }
}

/// Whether the captions inside the servers are drawn on a ring `side` CSS
/// pixels square (0: not yet measured) with a view box of half side `half`.
/// (Servers drawn larger on a small ring do not bring them back: there they
/// would still be under 10 pixels; the number stays, the menu names it.)
fn captions_shown(side: f64, half: f64) -> bool {
    side <= 0.0 || CAPTION_FONT * side / (2.0 * half) >= CAPTION_PX
}

#[derive(Properties, PartialEq)]
pub struct RingProps {
    pub servers: Shared<Vec<ServerGlyph>>,
    pub messages: Shared<Vec<MessageGlyph>>,
    pub cut: Shared<Vec<(NodeId, NodeId)>>,
    /// Virtual time to draw, in microseconds (between events, messages move on).
    pub now: f64,
    /// Whether the run plays (messages are then found under a click by position).
    pub playing: bool,
    pub selection: Selection,
    pub dispatch: Dispatch,
    /// The smallest a role line is drawn on screen, in CSS pixels.
    #[prop_or(LABEL_PX)]
    pub label_px: f64,
}

#[component]
pub fn Ring(props: &RingProps) -> Html {
    let RingProps {
        servers,
        messages,
        cut,
        now,
        playing,
        selection,
        dispatch,
        label_px,
    } = props;
    let n = servers.len();
    let svg = use_node_ref();
    let lang = use_lang();
    // The ring's size on screen (its shorter side, CSS pixels), measured when it changes.
    let side = use_state(|| 0.0f64);
    {
        let svg = svg.clone();
        let side = side.setter();
        use_effect_with((), move |_| {
            let observed = svg.cast::<web_sys::Element>().and_then(|el| {
                let target = el.clone();
                let callback = Closure::<dyn FnMut()>::new(move || {
                    let r = target.get_bounding_client_rect();
                    // Not drawn (hidden, or taken out of the page): nothing to fit.
                    if r.width() > 0.0 && r.height() > 0.0 {
                        side.set((r.width().min(r.height()) / 4.0).round() * 4.0);
                    }
                });
                let observer =
                    web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
                observer.observe(&el);
                Some((observer, callback))
            });
            move || {
                if let Some((observer, _callback)) = observed {
                    observer.disconnect();
                }
            }
        });
    }
    // The widest label seen on this ring (for its size and language), kept:
    // a role that changes does not resize the drawing back and forth.
    let widest = use_mut_ref(|| (0usize, lang, 0.0f64, 2usize));
    let (width, lines) = {
        let mut seen = widest.borrow_mut();
        if (seen.0, seen.1) != (n, lang) {
            *seen = (n, lang, 0.0, 2);
        }
        let (w, l) = label_extent(servers);
        seen.2 = seen.2.max(w);
        seen.3 = seen.3.max(l);
        (seen.2, seen.3)
    };
    let smallest = servers
        .iter()
        .map(|g| shape_width(g.shape))
        .fold(1.0, f64::min);
    let (node_scale, label_scale, half) = node_fit(n, width, lines, *side, *label_px, smallest);
    // What a click while the run plays is tested against: the messages where
    // they are drawn now (their own elements keep still then).
    let flying = use_mut_ref(|| (Shared::new(Vec::new()), 0usize, 0.0f64, false, HALF));
    *flying.borrow_mut() = (messages.clone(), n, *now, *playing, half);
    {
        let svg = svg.clone();
        let flying = flying.clone();
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            let listener = svg.cast::<web_sys::Element>().map(|el| {
                let target = el.clone();
                let options = gloo_events::EventListenerOptions::run_in_capture_phase();
                gloo_events::EventListener::new_with_options(&el, "click", options, move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::MouseEvent>() else {
                        return;
                    };
                    let (messages, n, now, playing, half) = &*flying.borrow();
                    if !*playing {
                        return;
                    }
                    // preserveAspectRatio "xMidYMid meet": one scale, centred.
                    let r = target.get_bounding_client_rect();
                    let scale = r.width().min(r.height()) / (2.0 * half);
                    if scale <= 0.0 {
                        return;
                    }
                    let x = (f64::from(e.client_x()) - (r.left() + r.width() / 2.0)) / scale;
                    let y = (f64::from(e.client_y()) - (r.top() + r.height() / 2.0)) / scale;
                    // At least a 24-pixel square under a finger, however small the ring.
                    let radius = HIT_RADIUS.max(12.0 / scale);
                    if let Some(id) = hit(messages, *n, *now, (x, y), radius) {
                        e.stop_propagation();
                        dispatch.emit(Action::SelectMessage(id));
                    }
                })
            });
            move || drop(listener)
        });
    }
    let on_background = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Deselect))
    };
    let selected_node = match selection {
        Selection::Node(id) => Some(*id),
        _ => None,
    };
    let selected_message = match selection {
        Selection::Message(id) => Some(*id),
        _ => None,
    };
    let view_box = format!("{0} {0} {1} {1}", fmt(-half), fmt(2.0 * half));
    let captions = captions_shown(*side, half);
    let onramp = use_context::<Onramp>();
    let nodes = servers.iter().map(|glyph| {
        let (x, y) = node_position(glyph.id, n);
        html! {
            <ServerView key={glyph.id} glyph={glyph.clone()} {x} {y} {label_scale} {node_scale}
                selected={selected_node == Some(glyph.id)} dispatch={dispatch.clone()} />
        }
    });
    html! {
        <div class="cluster">
            <svg class={classes!("ring", (!captions).then_some("no-captions"))} data-ring="" ref={svg} viewBox={view_box} role="group"
                aria-label={lang.t(
                    "The cluster: servers on a ring, messages in flight between them",
                    "集群：环上的服务器，以及它们之间传输中的消息",
                )}>
                <rect class="background" x={fmt(-half)} y={fmt(-half)}
                    width={fmt(2.0 * half)} height={fmt(2.0 * half)} onclick={on_background} />
                <Links {n} cut={cut.clone()} />
                <Timers servers={servers.clone()} now={*now} {node_scale} />
                <g class="nodes">{ for nodes }</g>
                <MessageLayer messages={messages.clone()} {n} now={*now} playing={*playing}
                    selected={selected_message} dispatch={dispatch.clone()} />
                { tour::spots(onramp.as_ref(), servers, messages, *now, node_scale) }
            </svg>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct LinksProps {
    n: usize,
    cut: Shared<Vec<(NodeId, NodeId)>>,
}

/// The groups the network is split into: servers joined by links open both
/// ways, directly or through others. One group when nothing is split.
pub fn partition_groups(n: usize, cut: &[(NodeId, NodeId)]) -> Vec<Vec<NodeId>> {
    let mut group: Vec<usize> = (0..n).collect();
    fn root(group: &mut [usize], mut a: usize) -> usize {
        while group[a] != a {
            group[a] = group[group[a]];
            a = group[a];
        }
        a
    }
    for a in 0..n {
        for b in a + 1..n {
            if !cut.contains(&(a, b)) && !cut.contains(&(b, a)) {
                let (ra, rb) = (root(&mut group, a), root(&mut group, b));
                group[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    let mut groups: Vec<Vec<NodeId>> = Vec::new();
    for a in 0..n {
        let r = root(&mut group, a);
        match groups.iter_mut().find(|g| g[0] == r) {
            Some(g) => g.push(a),
            None => groups.push(vec![a]),
        }
    }
    groups
}

/// How far a group's region reaches beyond its servers' centres.
const REGION_REACH: f64 = NODE_RADIUS + 16.0;

/// A group's region: its servers joined in ring order (a convex polygon, a
/// bar, or a point), drawn with a wide round stroke: a soft hull around them.
fn region_path(group: &[NodeId], n: usize) -> String {
    let mut d = String::new();
    for (i, &node) in group.iter().enumerate() {
        let (x, y) = node_position(node, n);
        d.push_str(&format!(
            "{}{},{}",
            if i == 0 { 'M' } else { 'L' },
            fmt(x),
            fmt(y)
        ));
    }
    match group.len() {
        1 => d.push_str("l0.01,0"),
        2 => {}
        _ => d.push('z'),
    }
    d
}

/// The links between servers, and what is cut. Split into groups (a
/// partition, an isolated server), each group is a soft region behind its
/// servers and the links between groups are gone. A link cut both ways
/// within a group is dashed and crossed out (⊗); a link cut one way is
/// dashed with an arrowhead stopped by a bar, pointing the way that is
/// blocked. Drawn again only when the links change.
#[component]
fn Links(props: &LinksProps) -> Html {
    let LinksProps { n, cut } = props;
    let n = *n;
    let lang = use_lang();
    let is_cut = |a: NodeId, b: NodeId| cut.contains(&(a, b));
    let groups = partition_groups(n, cut);
    let group_of = |a: NodeId| groups.iter().position(|g| g.contains(&a));
    let split = groups.len() > 1;
    let regions = groups
        .iter()
        .enumerate()
        .filter(|_| split)
        .map(|(i, group)| {
            let names: Vec<String> = group.iter().map(|&a| node_name(a)).collect();
            let label = lang.t(
                format!("One side of the split network: {}", names.join(", ")),
                format!("分区后网络的一侧：{}", names.join("、")),
            );
            let ids: Vec<String> = group.iter().map(|a| a.to_string()).collect();
            html! {
                <path class={format!("partition-group side-{}", i % 3)} d={region_path(group, n)}
                    style={format!("stroke-width:{}", fmt(2.0 * REGION_REACH))}
                    data-partition-group={ids.join(",")} role="img" aria-label={label.clone()}>
                    <title>{ label }</title>
                </path>
            }
        });
    let mut lines = Vec::new();
    let mut marks = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            let (x1, y1) = node_position(a, n);
            let (x2, y2) = node_position(b, n);
            let line = |class: &'static str| {
                html! {
                    <line class={classes!("link", class)}
                        x1={fmt(x1)} y1={fmt(y1)} x2={fmt(x2)} y2={fmt(y2)} />
                }
            };
            let (from, to) = (node_name(a), node_name(b));
            match (is_cut(a, b), is_cut(b, a)) {
                (false, false) => lines.push(line("")),
                (true, true) => {
                    let between = group_of(a) != group_of(b);
                    if !between {
                        lines.push(line("cut"));
                    }
                    for (i, (p, q)) in [(a, b), (b, a)].into_iter().enumerate() {
                        let (pn, qn) = (node_name(p), node_name(q));
                        let label = lang.t(
                            format!("The link {pn} → {qn} is cut"),
                            format!("链路 {pn} → {qn} 已被切断"),
                        );
                        // One cross for the pair, where it can be seen.
                        let cross = i == 0 && !between;
                        let (x, y) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
                        marks.push(html! {
                            <g class={classes!("cut-mark", between.then_some("between"))}
                                data-cut-link={format!("{p}-{q}")} data-cut="two-way"
                                transform={format!("translate({},{})", fmt(x), fmt(y))}
                                role="img" aria-label={label.clone()}>
                                <title>{ label }</title>
                                if cross {
                                    <circle r="9" />
                                    <path d="M-4.5,-4.5 L4.5,4.5 M4.5,-4.5 L-4.5,4.5" />
                                }
                            </g>
                        });
                    }
                }
                (ab, _) => {
                    lines.push(line("one-way"));
                    let (p, q) = if ab { (a, b) } else { (b, a) };
                    let (pn, qn) = if ab { (&from, &to) } else { (&to, &from) };
                    let label = lang.t(
                        format!("The link {pn} → {qn} is cut one way: {qn} → {pn} still carries messages"),
                        format!("链路 {pn} → {qn} 被单向切断：{qn} → {pn} 仍可传递消息"),
                    );
                    // Two thirds of the way, pointing where nothing arrives.
                    let (px, py) = node_position(p, n);
                    let (qx, qy) = node_position(q, n);
                    let (x, y) = (px + (qx - px) * 0.66, py + (qy - py) * 0.66);
                    let len = super::num::length(qx - px, qy - py).max(1.0);
                    let (ux, uy) = ((qx - px) / len, (qy - py) / len);
                    marks.push(html! {
                        <g class="cut-mark one-way" data-cut-link={format!("{p}-{q}")} data-cut="one-way"
                            data-cut-from={p.to_string()} data-cut-to={q.to_string()}
                            transform={{
                                let f = |v: f64| super::num::fixed(v, 3);
                                format!("matrix({},{},{},{},{},{})", f(ux), f(uy), f(-uy), f(ux), fmt(x), fmt(y))
                            }}
                            role="img" aria-label={label.clone()}>
                            <title>{ label }</title>
                            <path class="arrow" d="M-14,-6 L-2,0 L-14,6 z" />
                            <path class="bar" d="M2,-9 L2,9" />
                        </g>
                    });
                }
            }
        }
    }
    html! {
        <>
            <g class="partition">{ for regions }</g>
            <g class="links">{ lines }</g>
            <g class="cuts">{ marks }</g>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both_ways(a: &[NodeId], b: &[NodeId]) -> Vec<(NodeId, NodeId)> {
        a.iter()
            .flat_map(|&x| b.iter().flat_map(move |&y| [(x, y), (y, x)]))
            .collect()
    }

    #[test]
    fn a_split_network_falls_into_its_groups_and_a_one_way_cut_splits_nothing() {
        assert_eq!(partition_groups(5, &[]), vec![vec![0, 1, 2, 3, 4]]);
        let cut = both_ways(&[0, 1], &[2, 3, 4]);
        assert_eq!(partition_groups(5, &cut), vec![vec![0, 1], vec![2, 3, 4]]);
        // An isolated server is a group of its own.
        let cut = both_ways(&[2], &[0, 1, 3, 4]);
        assert_eq!(partition_groups(5, &cut), vec![vec![0, 1, 3, 4], vec![2]]);
        // Interleaved sides.
        let cut = both_ways(&[0, 2], &[1, 3, 4]);
        assert_eq!(partition_groups(5, &cut), vec![vec![0, 2], vec![1, 3, 4]]);
        // One way only, or both ways between two who still hear each other through others.
        assert_eq!(partition_groups(3, &[(0, 1)]).len(), 1);
        assert_eq!(partition_groups(3, &[(0, 1), (1, 0)]).len(), 1);
    }

    #[test]
    fn a_region_joins_its_servers_in_ring_order() {
        assert_eq!(region_path(&[2], 5).matches('L').count(), 0);
        assert!(region_path(&[2], 5).ends_with("l0.01,0"));
        assert_eq!(region_path(&[0, 1], 5).matches('L').count(), 1);
        assert!(region_path(&[2, 3, 4], 5).ends_with('z'));
    }

    #[test]
    fn a_ring_drawn_large_keeps_its_labels_and_view_box() {
        let follower = width_em("Follower");
        assert_eq!(label_fit(5, follower, 2, 560.0, LABEL_PX, 1.0), (1.0, HALF));
        // Not measured yet: as drawn before.
        assert_eq!(label_fit(5, follower, 2, 0.0, LABEL_PX, 1.0), (1.0, HALF));
    }

    #[test]
    fn a_ring_drawn_small_draws_its_labels_at_least_label_px_and_makes_room_for_them() {
        for side in [300.0, 360.0, 440.0] {
            let (k, half) = label_fit(5, width_em("Candidate"), 2, side, LABEL_PX, 1.0);
            assert!(k > 1.0, "{side}");
            assert!(half >= HALF, "{side}");
            assert!(
                LABEL_FONT * k * side / (2.0 * half) >= LABEL_PX,
                "{side}: {k} {half}"
            );
        }
    }

    #[test]
    fn a_phones_ring_draws_its_servers_large_enough_to_tap_and_a_laptops_as_usual() {
        // Six Paxos servers with their longest details, on a 390-pixel phone.
        let width = width_em("no request yet");
        for n in [3, 5, 6, 7] {
            let (s, k, half) = node_fit(n, width, 3, 372.0, LABEL_PX, 1.0);
            let px = 2.0 * NODE_RADIUS * s * 372.0 / (2.0 * half);
            assert!(px >= NODE_PX, "{n} servers: {px:.1} px across at scale {s}");
            assert!(LABEL_FONT * k * 372.0 / (2.0 * half) >= LABEL_PX - 0.01);
        }
        assert_eq!(
            node_fit(5, width_em("Follower"), 2, 560.0, LABEL_PX, 1.0),
            (1.0, 1.0, HALF)
        );
        assert_eq!(
            node_fit(5, width_em("Follower"), 2, 0.0, LABEL_PX, 1.0).0,
            1.0
        );
    }

    #[test]
    fn a_ring_drawn_small_leaves_the_captions_out() {
        // A laptop's ring, 560 pixels: 8.4-pixel captions (6.7 with 7 Paxos servers).
        assert!(captions_shown(560.0, HALF));
        assert!(captions_shown(560.0, 380.0));
        assert!(captions_shown(0.0, HALF));
        // A phone's, 340 pixels, and a frame's.
        assert!(!captions_shown(340.0, HALF));
        assert!(!captions_shown(300.0, 330.0));
    }

    #[test]
    fn long_labels_widen_the_view_box_to_hold_them() {
        // Seven Paxos servers in Chinese, an acceptor's detail line the widest.
        let width = width_em("已接受 (3.2, x←12)");
        let lines = 3;
        let half = half_for(7, width, lines, 1.0, 1.0);
        assert!(half > HALF, "{half}");
        for i in 0..7 {
            let (x, y) = node_position(i, 7);
            let (lx, first, anchor, step) = label_place(x, y, lines, 1.0, 1.0);
            let w = width * LABEL_FONT;
            let (left, right) = match anchor {
                "start" => (x + lx, x + lx + w),
                "end" => (x + lx - w, x + lx),
                _ => (x + lx - w / 2.0, x + lx + w / 2.0),
            };
            assert!(
                left > -half && right < half,
                "S{}: {left}..{right} in ±{half}",
                i + 1
            );
            assert!(y + first - LABEL_FONT * NAME_EM > -half, "S{}", i + 1);
            assert!(y + first + step * (lines as f64 - 2.0) + LABEL_FONT < half);
        }
    }
}

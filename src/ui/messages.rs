//! The messages in flight, drawn as one layer.
//!
//! What is seen is a handful of SVG paths, one per kind of mark (a family of
//! messages, filled for a request or hollow for a reply; the crosses of
//! refusals; the counts of entries carried), each holding every message of
//! its kind as a sub-path, rewritten once a frame from the moment shown. So
//! a frame costs the same few attributes whether 3 or 300 messages fly, and
//! the browser lays out and paints a few paths, not a group per message.
//!
//! What is clicked, focused and read is one element per message (the
//! `data-msg-id` of the DOM contract, with its name for screen readers). It
//! stands where its message is while the run is paused; while it plays it
//! keeps still and lets clicks through to the ring, which finds the message
//! under the pointer itself ([`hit`]).

use super::num::{push_fixed, push_u64};
use super::ring::message_path;
use super::{fmt, Shared};
use crate::i18n::{use_lang, Lang};
use crate::run::view::{Highlights, MessageGlyph, Shape};
use crate::state::{Action, Dispatch};
use quorum_sim::{node_name, MsgId};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Where a message is at virtual time `now` on a ring of `n`.
pub fn position(g: &MessageGlyph, n: usize, now: f64) -> (f64, f64) {
    let ((x0, y0), (x1, y1)) = message_path(g.from, g.to, n);
    let span = g.deliver_at.saturating_sub(g.sent_at) as f64;
    let p = if span <= 0.0 {
        1.0
    } else {
        ((now - g.sent_at as f64) / span).clamp(0.0, 1.0)
    };
    (x0 + (x1 - x0) * p, y0 + (y1 - y0) * p)
}

/// How near (view-box units) a click must be to a message to be on it: at
/// least a 24-pixel square wherever the ring is 520 pixels wide or more. A
/// narrower ring (a phone) grows the targets in the style sheet, and a click
/// while playing with its own scale ([`hit`]'s `radius`).
pub const HIT_RADIUS: f64 = 14.0;
/// The same, as the targets' `r` attribute.
const HIT_R: &str = "14";

/// The message under a point of the ring at `now`, if any: the nearest one
/// within `radius` (the newest, of two as near).
pub fn hit(
    messages: &[MessageGlyph],
    n: usize,
    now: f64,
    (x, y): (f64, f64),
    radius: f64,
) -> Option<MsgId> {
    messages
        .iter()
        .rev()
        .map(|g| {
            let (mx, my) = position(g, n, now);
            (g.id, super::num::length(mx - x, my - y))
        })
        .filter(|&(_, d)| d <= radius)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, _)| id)
}

/// The families of marks a layer draws, in the order they are painted.
const FAMILIES: [&str; 5] = ["vote", "append", "client", "heartbeat", "chosen"];

/// The path data of one mark of `shape` centred on (x, y).
fn shape_path(out: &mut String, shape: Shape, x: f64, y: f64) {
    match shape {
        Shape::Circle => {
            point(out, 'M', x - 6.5, y);
            out.push_str("a6.5,6.5 0 1,0 13,0a6.5,6.5 0 1,0 -13,0");
        }
        Shape::Square => {
            point(out, 'M', x - 6.0, y - 6.0);
            out.push_str("h12v12h-12z");
        }
        Shape::Diamond => {
            point(out, 'M', x, y - 8.0);
            out.push_str("l8,8l-8,8l-8,-8z");
        }
        Shape::Triangle => {
            point(out, 'M', x, y - 8.0);
            out.push_str("l7.5,13.5h-15z");
        }
    }
}

/// Appends a path command and its point, `M12.5,-3.0`, with no string of its own:
/// a layer writes thousands of them a second.
fn point(out: &mut String, command: char, x: f64, y: f64) {
    out.push(command);
    push_fixed(out, x, 1);
    out.push(',');
    push_fixed(out, y, 1);
}

/// Seven-segment strokes of a digit, 4 wide and 7 high, its top left at (x, y):
/// the counts of entries drawn with the rest of the layer, not as text.
fn digit_path(out: &mut String, digit: u8, x: f64, y: f64) {
    // Segments a (top), b (top right), c (bottom right), d (bottom),
    // e (bottom left), f (top left), g (middle).
    const SEGMENTS: [u8; 10] = [
        0b0111111, 0b0000110, 0b1011011, 0b1001111, 0b1100110, 0b1101101, 0b1111101, 0b0000111,
        0b1111111, 0b1101111,
    ];
    let lines = [
        (0.0, 0.0, 4.0, 0.0),
        (4.0, 0.0, 4.0, 3.5),
        (4.0, 3.5, 4.0, 7.0),
        (0.0, 7.0, 4.0, 7.0),
        (0.0, 3.5, 0.0, 7.0),
        (0.0, 0.0, 0.0, 3.5),
        (0.0, 3.5, 4.0, 3.5),
    ];
    let on = SEGMENTS[usize::from(digit % 10)];
    for (i, (ax, ay, bx, by)) in lines.iter().enumerate() {
        if on & (1 << i) != 0 {
            point(out, 'M', x + ax, y + ay);
            point(out, 'L', x + bx, y + by);
        }
    }
}

/// `+n` after a message that carries `n` entries.
fn count_path(out: &mut String, n: usize, x: f64, y: f64) {
    let (x, y) = (x + 8.0, y - 14.0);
    point(out, 'M', x, y + 3.5);
    out.push_str("h4");
    point(out, 'M', x + 2.0, y + 1.5);
    out.push_str("v4");
    let mut digits = String::new();
    push_u64(&mut digits, n as u64);
    for (i, d) in digits.bytes().enumerate() {
        digit_path(out, d - b'0', x + 6.0 + 6.0 * i as f64, y);
    }
}

/// Which way a message goes: a tapered trail behind it and an arrowhead
/// ahead, pointing at its receiver (so a paused picture still says it).
fn heading_path(out: &mut String, g: &MessageGlyph, n: usize, (x, y): (f64, f64)) {
    let ((x0, y0), (x1, y1)) = message_path(g.from, g.to, n);
    let len = super::num::length(x1 - x0, y1 - y0);
    if len < 1.0 {
        return;
    }
    let (ux, uy) = ((x1 - x0) / len, (y1 - y0) / len);
    // Across the path.
    let (vx, vy) = (-uy, ux);
    point(out, 'M', x - ux * 24.0, y - uy * 24.0);
    point(out, 'L', x + vx * 4.0, y + vy * 4.0);
    point(out, 'L', x - vx * 4.0, y - vy * 4.0);
    out.push('z');
    let (ax, ay) = (x + ux * 16.0, y + uy * 16.0);
    point(out, 'M', ax, ay);
    point(out, 'L', ax - ux * 6.0 + vx * 4.5, ay - uy * 6.0 + vy * 4.5);
    point(out, 'L', ax - ux * 6.0 - vx * 4.5, ay - uy * 6.0 - vy * 4.5);
    out.push('z');
}

/// The path data of every mark at `now`: per family, requests then replies;
/// then the refusals' crosses, the counts and the headings.
struct Layer {
    marks: [[String; 2]; 5],
    crosses: String,
    counts: String,
    headings: String,
}

fn layer_paths(messages: &[MessageGlyph], n: usize, now: f64) -> Layer {
    let mut marks: [[String; 2]; 5] = Default::default();
    let (mut crosses, mut counts, mut headings) = (String::new(), String::new(), String::new());
    for g in messages {
        let (x, y) = position(g, n, now);
        heading_path(&mut headings, g, n, (x, y));
        let family = FAMILIES.iter().position(|f| *f == g.family).unwrap_or(2);
        shape_path(&mut marks[family][usize::from(g.reply)], g.shape, x, y);
        if g.refused {
            point(&mut crosses, 'M', x - 3.5, y - 3.5);
            crosses.push_str("l7,7");
            point(&mut crosses, 'M', x + 3.5, y - 3.5);
            crosses.push_str("l-7,7");
        }
        if g.carries > 0 {
            count_path(&mut counts, g.carries, x, y);
        }
    }
    Layer {
        marks,
        crosses,
        counts,
        headings,
    }
}

/// The layer's paths, in the order they are painted (the headings under the marks).
const HEADINGS: u32 = 0;
const MARKS: u32 = 1;
const CROSSES: u32 = MARKS + 10;
const COUNTS: u32 = CROSSES + 1;
const HALO: u32 = COUNTS + 1;
const FOCUS_HALO: u32 = HALO + 1;
const GLOW: u32 = FOCUS_HALO + 1;

#[derive(Properties, PartialEq)]
pub struct MessageLayerProps {
    pub messages: Shared<Vec<MessageGlyph>>,
    /// The ring's size.
    pub n: usize,
    /// The moment shown, in virtual µs.
    pub now: f64,
    /// Whether the run plays (the targets keep still and let clicks through).
    pub playing: bool,
    pub selected: Option<MsgId>,
    pub dispatch: Dispatch,
}

#[component]
pub fn MessageLayer(props: &MessageLayerProps) -> Html {
    let MessageLayerProps {
        messages,
        n,
        now,
        playing,
        selected,
        dispatch,
    } = props;
    let (n, now) = (*n, *now);
    let marks = use_node_ref();
    let focused = use_state(|| None::<MsgId>);
    // The messages the narration's claims name glow.
    let lit = use_context::<std::rc::Rc<Highlights>>().unwrap_or_default();
    {
        // Every frame: the marks follow the moment shown. Written straight
        // to the few path elements, so no diff of the page runs for them.
        let marks = marks.clone();
        let messages = messages.clone();
        let ring = (*selected, *focused);
        let lit = lit.clone();
        use_effect_with(
            (now, messages.clone(), ring, n, lit),
            move |(_, _, _, _, lit)| {
                let Some(layer) = marks.cast::<web_sys::Element>() else {
                    return;
                };
                let paths = layer_paths(&messages, n, now);
                let children = layer.children();
                let set = |i: u32, d: &str| {
                    if let Some(el) = children.item(i) {
                        let _ = el.set_attribute("d", if d.is_empty() { "M0,0" } else { d });
                    }
                };
                set(HEADINGS, &paths.headings);
                for (f, pair) in paths.marks.iter().enumerate() {
                    set(MARKS + 2 * f as u32, &pair[0]);
                    set(MARKS + 2 * f as u32 + 1, &pair[1]);
                }
                set(CROSSES, &paths.crosses);
                set(COUNTS, &paths.counts);
                // The halo of the message selected, and of the one focused.
                let halo = |id: Option<MsgId>| {
                    id.and_then(|id| messages.iter().find(|g| g.id == id))
                        .map(|g| {
                            let (x, y) = position(g, n, now);
                            let mut d = String::new();
                            point(&mut d, 'M', x - 11.0, y);
                            d.push_str("a11,11 0 1,0 22,0a11,11 0 1,0 -22,0");
                            d
                        })
                        .unwrap_or_default()
                };
                set(HALO, &halo(ring.0));
                set(FOCUS_HALO, &halo(ring.1.filter(|f| Some(*f) != ring.0)));
                let glow: String = lit.messages.iter().map(|id| halo(Some(*id))).collect();
                set(GLOW, &glow);
            },
        );
    }
    let kinds = FAMILIES.iter().flat_map(|family| {
        ["request", "reply"].map(|end| {
            html! { <path class={format!("fl fam-{family} {end}")} d="M0,0" /> }
        })
    });
    // The same callback every frame, so the targets are not drawn again for it.
    let on_focus = {
        let set = focused.setter();
        use_callback((), move |id: Option<MsgId>, _| set.set(id))
    };
    html! {
        <>
            <g class="flights" ref={marks} aria-hidden="true">
                <path class="fl heading" data-msg-headings="" d="M0,0" />
                { for kinds }
                <path class="fl refused" d="M0,0" />
                <path class="fl count" d="M0,0" />
                <path class="fl halo" d="M0,0" />
                <path class="fl halo focus" d="M0,0" />
                <path class="fl glow" d="M0,0" />
            </g>
            <g class={classes!("messages", playing.then_some("moving"))}>
                <MessageList messages={messages.clone()} {n} lit={lit.clone()}
                    at={(!*playing).then_some(now)} on_focus={on_focus}
                    selected={*selected} dispatch={dispatch.clone()} />
            </g>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct MessageListProps {
    messages: Shared<Vec<MessageGlyph>>,
    /// What the narration points at.
    lit: std::rc::Rc<Highlights>,
    n: usize,
    /// The moment the targets stand at (while paused); none while playing.
    at: Option<f64>,
    on_focus: Callback<Option<MsgId>>,
    selected: Option<MsgId>,
    dispatch: Dispatch,
}

/// The messages' targets: built again only when the set in flight changes
/// or, paused, the moment does; then only the targets that changed.
#[component]
fn MessageList(props: &MessageListProps) -> Html {
    let messages = props.messages.iter().map(|glyph| {
        let at = props.at.map(|now| position(glyph, props.n, now));
        html! {
            <MessageTarget key={glyph.id} glyph={*glyph} {at}
                selected={props.selected == Some(glyph.id)}
                highlighted={props.lit.messages.contains(&glyph.id)} />
        }
    });
    // One listener for every target (read from the element's data-msg-id),
    // not four per message: hundreds are made and dropped every second.
    let id_of = |e: &Event| {
        e.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("[data-msg-id]").ok().flatten())
            .and_then(|el| el.get_attribute("data-msg-id"))
            .and_then(|id| id.parse::<MsgId>().ok())
    };
    let onclick = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(id) = id_of(&e) {
                e.stop_propagation();
                dispatch.emit(Action::SelectMessage(id));
            }
        })
    };
    let onkeydown = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                if let Some(id) = id_of(&e) {
                    e.prevent_default();
                    e.stop_propagation();
                    dispatch.emit(Action::SelectMessage(id));
                }
            }
        })
    };
    let onfocusin = {
        let on_focus = props.on_focus.clone();
        Callback::from(move |e: FocusEvent| on_focus.emit(id_of(&e)))
    };
    let onfocusout = props.on_focus.reform(|_: FocusEvent| None);
    html! {
        <g class="targets" {onclick} {onkeydown} {onfocusin} {onfocusout}>
            { for messages }
        </g>
    }
}

#[derive(Properties, PartialEq)]
struct MessageTargetProps {
    glyph: MessageGlyph,
    /// Where it stands, while the run is paused.
    at: Option<(f64, f64)>,
    selected: bool,
    /// Named by a claim the narration shows.
    highlighted: bool,
}

/// What a screen reader says of a message.
pub fn message_label(g: &MessageGlyph, lang: Lang) -> String {
    let (from, to) = (node_name(g.from), node_name(g.to));
    let mut label = match lang {
        Lang::En => format!("{} from {from} to {to}", g.kind_text),
        Lang::Zh => format!("{}：{from} → {to}", g.kind_text),
    };
    if let Some((word, number)) = g.number {
        label.push_str(&lang.t(format!(", {word} {number}"), format!("，{word} {number}")));
    }
    if g.carries > 0 {
        let n = g.carries;
        label.push_str(&lang.t(format!(", {n} entries"), format!("，{n} 个条目")));
    }
    if g.refused {
        label.push_str(lang.t(", refused", "，已拒绝"));
    }
    label
}

#[component]
fn MessageTarget(props: &MessageTargetProps) -> Html {
    let MessageTargetProps {
        glyph,
        at,
        selected,
        highlighted,
    } = props;
    let id = glyph.id;
    let lang = use_lang();
    let (cx, cy) = match at {
        Some((x, y)) => (Some(fmt(*x)), Some(fmt(*y))),
        None => (None, None),
    };
    // One element a message, and few attributes: hundreds are made and
    // dropped every second while a busy run plays.
    html! {
        <circle class={if *selected { "msg selected" } else { "msg" }} {cx} {cy} r={HIT_R}
            data-msg-id={id.to_string()} data-msg-kind={glyph.kind}
            data-from={glyph.from.to_string()} data-to={glyph.to.to_string()}
            data-highlight={highlighted.then_some("true")}
            role="button" tabindex="0" aria-label={message_label(glyph, lang)} />
    }
}

#[cfg(test)]
mod tests {
    use super::super::ring::node_position;
    use super::*;

    fn glyph(id: MsgId, from: usize, to: usize) -> MessageGlyph {
        MessageGlyph {
            id,
            from,
            to,
            sent_at: 1_000,
            deliver_at: 11_000,
            kind: "AppendEntries",
            kind_text: "AppendEntries",
            shape: Shape::Square,
            family: "append",
            reply: false,
            refused: false,
            carries: 12,
            number: Some(("term", 2)),
        }
    }

    #[test]
    fn a_message_flies_from_its_senders_edge_to_its_receivers() {
        let g = glyph(1, 0, 2);
        let ((x0, y0), (x1, y1)) = message_path(0, 2, 5);
        let near =
            |(x, y): (f64, f64), (a, b): (f64, f64)| (x - a).abs() < 1e-9 && (y - b).abs() < 1e-9;
        assert!(near(position(&g, 5, 0.0), (x0, y0)), "before it is sent");
        assert!(
            near(position(&g, 5, 99_000.0), (x1, y1)),
            "after it arrives"
        );
        assert!(near(
            position(&g, 5, 6_000.0),
            ((x0 + x1) / 2.0, (y0 + y1) / 2.0)
        ));
    }

    #[test]
    fn a_click_finds_the_nearest_message_under_it_and_nothing_elsewhere() {
        let (a, b) = (glyph(1, 0, 2), glyph(2, 0, 3));
        let messages = [a, b];
        let (x, y) = position(&b, 5, 6_000.0);
        assert_eq!(
            hit(&messages, 5, 6_000.0, (x + 3.0, y - 2.0), HIT_RADIUS),
            Some(2)
        );
        assert_eq!(hit(&messages, 5, 6_000.0, (250.0, 250.0), HIT_RADIUS), None);
        // A finger's radius reaches further.
        assert_eq!(hit(&messages, 5, 6_000.0, (x + 18.0, y), HIT_RADIUS), None);
        assert_eq!(hit(&messages, 5, 6_000.0, (x + 18.0, y), 20.0), Some(2));
    }

    #[test]
    fn every_mark_is_in_its_familys_path_and_counts_are_drawn_as_strokes() {
        let mut refused = glyph(3, 1, 0);
        refused.refused = true;
        refused.reply = true;
        refused.carries = 0;
        let Layer {
            marks,
            crosses,
            counts,
            headings,
        } = layer_paths(&[glyph(1, 0, 2), refused], 5, 5_000.0);
        assert_eq!(
            headings.matches('M').count(),
            4,
            "a trail and an arrowhead each"
        );
        assert_eq!(
            marks[1][0].matches('M').count(),
            1,
            "one request of the append family"
        );
        assert_eq!(marks[1][1].matches('M').count(), 1, "one reply");
        assert!(marks[0].iter().all(String::is_empty));
        assert_eq!(crosses.matches('M').count(), 2, "a cross is two strokes");
        // "+12": the plus (2 strokes), then 1 (2 segments) and 2 (5).
        assert_eq!(counts.matches('M').count(), 2 + 2 + 5);
    }

    #[test]
    fn a_messages_arrowhead_points_at_its_receiver_and_its_trail_back_at_its_sender() {
        let g = glyph(1, 0, 2);
        let at = position(&g, 5, 6_000.0);
        let mut d = String::new();
        heading_path(&mut d, &g, 5, at);
        let points: Vec<(f64, f64)> = d
            .split(['M', 'L', 'z'])
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (x, y) = p.split_once(',').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect();
        let (tail, tip) = (points[0], points[3]);
        let (sender, receiver) = (node_position(0, 5), node_position(2, 5));
        let dist = |(ax, ay): (f64, f64), (bx, by): (f64, f64)| {
            super::super::num::length(ax - bx, ay - by)
        };
        assert!(
            dist(tip, receiver) < dist(at, receiver),
            "the arrowhead is ahead"
        );
        assert!(dist(tail, sender) < dist(at, sender), "the trail is behind");
    }
}

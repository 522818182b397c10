//! The log matrix: every server's log side by side (Raft's today; any
//! protocol with a log of numbered entries can hand it rows), one row a server, one
//! cell an index. An entry is coloured by its term and shows the term's
//! number; committed entries are solid, uncommitted ones hatched with a dashed
//! outline. Each server's `commitIndex` is a bar after that column, and under
//! each follower the leader's `nextIndex` (N) and `matchIndex` (M) for it are
//! marked, so a lagging follower and its repair can be read off the table.
//! A prefix a snapshot replaced (Raft's log compaction, section 7) is one
//! cell over its columns, "snapshot ≤ i, term t", not missing entries.

use super::term_colour;
use crate::i18n::{use_lang, Lang};
use quorum_sim::kv::KvOp;
use quorum_sim::{node_name, NodeId};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Columns the table shows even before the logs reach them, so it reads as a table.
const MIN_COLUMNS: u64 = 8;
/// A column's pitch until the table is measured.
const PITCH_PX: f64 = 33.0;
/// Columns drawn on each side of those in view, and the fewest drawn at all:
/// a log this long is drawn whole; a longer one only where it is looked at,
/// so a frame never lays out thousands of cells nobody sees (and the browser
/// paints well beyond a scroller's view: fewer columns drawn, less painted,
/// about a tenth less of a busy 9-server frame than 24 and 64).
const MARGIN_COLUMNS: u64 = 12;
const DRAWN_AT_LEAST: u64 = 40;
/// The first column drawn moves in steps of this many: a run that adds an
/// entry a frame redraws its cells in place (same columns, new entries at
/// the end) and shifts them only every so often.
const STEP_COLUMNS: u64 = 16;

/// The columns to draw (1-based, inclusive) for a scroll position, a view
/// width and a column pitch (pixels), out of `columns`.
pub fn drawn_columns(columns: u64, scroll_left: f64, width: f64, pitch: f64) -> (u64, u64) {
    if columns <= DRAWN_AT_LEAST {
        return (1, columns);
    }
    let pitch = pitch.max(1.0);
    let first_seen = (scroll_left / pitch).floor().max(0.0) as u64 + 1;
    let seen = (width / pitch).ceil().max(1.0) as u64;
    let mut first = first_seen.saturating_sub(MARGIN_COLUMNS).max(1);
    let mut last = (first_seen + seen + MARGIN_COLUMNS).min(columns);
    // Never fewer than DRAWN_AT_LEAST, so a small view still scrolls smoothly.
    if last - first + 1 < DRAWN_AT_LEAST {
        if first == 1 {
            last = DRAWN_AT_LEAST.min(columns);
        } else {
            first = (last + 1).saturating_sub(DRAWN_AT_LEAST).max(1);
        }
    }
    let first = (first - 1) / STEP_COLUMNS * STEP_COLUMNS + 1;
    let last = last
        .div_ceil(STEP_COLUMNS)
        .saturating_mul(STEP_COLUMNS)
        .min(columns);
    (first, last)
}

#[derive(Clone, Debug, PartialEq)]
pub struct LogRow {
    pub id: NodeId,
    pub crashed: bool,
    /// The role in the DOM contract (a class), and as the page says it.
    pub role: &'static str,
    pub role_text: String,
    /// Entries up to this index are committed (0 for a crashed server: it does not know).
    pub commit_index: u64,
    /// Each entry's term and the operation it holds, from the first index
    /// held: 1, or the one after the snapshot's.
    pub entries: Vec<(u64, KvOp)>,
    /// The snapshot that replaced the entries up to its lastIncludedIndex.
    pub compacted: Option<Compacted>,
    /// The key-value state machine, e.g. `x=3 y=5`.
    pub state_machine: String,
    /// The leader's `nextIndex` and `matchIndex` for this server, if there
    /// is a leader and this server is one of its followers.
    pub next_index: Option<u64>,
    pub match_index: Option<u64>,
}

/// A snapshot in place of a log's prefix (section 7).
#[derive(Clone, Debug, PartialEq)]
pub struct Compacted {
    pub last_included_index: u64,
    pub last_included_term: u64,
    /// What it holds, for the cell's title.
    pub title: String,
}

impl LogRow {
    /// The index before the first entry held: the snapshot's lastIncludedIndex, or 0.
    fn compacted_to(&self) -> u64 {
        self.compacted.as_ref().map_or(0, |c| c.last_included_index)
    }

    /// The index of the last entry, compacted or held.
    fn last_index(&self) -> u64 {
        self.compacted_to() + self.entries.len() as u64
    }
}

#[derive(Properties, PartialEq)]
pub struct LogTableProps {
    pub rows: Vec<LogRow>,
}

#[component]
pub fn LogTable(props: &LogTableProps) -> Html {
    let rows = &props.rows;
    let lang = use_lang();
    // What the narration's claims name: entries, and the servers' rows.
    let lit = use_context::<std::rc::Rc<crate::run::view::Highlights>>().unwrap_or_default();
    let columns = rows
        .iter()
        .map(|r| r.last_index().max(r.next_index.unwrap_or(0)))
        .max()
        .unwrap_or(0)
        .max(MIN_COLUMNS);
    let empty = rows.iter().all(|r| r.last_index() == 0);
    let scroller = use_node_ref();
    // Where the table is scrolled, how wide its view is, and its column pitch.
    let view = use_state(|| (f64::MAX, 0.0, PITCH_PX));
    // Whether the view shows the table's end (where new entries arrive), as
    // of the last scroll: it then keeps showing it as the table grows.
    let at_end = use_mut_ref(|| true);
    let columns_now = use_mut_ref(|| columns);
    *columns_now.borrow_mut() = columns;
    use_measured_table(
        scroller.clone(),
        view.setter(),
        *view,
        at_end.clone(),
        columns_now,
    );
    let onscroll = {
        let view = view.clone();
        Callback::from(move |e: Event| {
            let Some(el) = e.target_dyn_into::<web_sys::Element>() else {
                return;
            };
            // Scroll events come with layout done: these reads cost nothing.
            *at_end.borrow_mut() = el.scroll_width() - el.client_width() - el.scroll_left() <= 8;
            let now = (
                f64::from(el.scroll_left()),
                f64::from(el.client_width()),
                view.2,
            );
            // Only a change of the columns drawn is worth a redraw.
            if drawn_columns(columns, now.0, now.1, now.2)
                != drawn_columns(columns, view.0, view.1, view.2)
            {
                view.set(now);
            }
        })
    };
    // Until measured, the view is where the browser opens it: at the start.
    let scroll_left = if view.0 == f64::MAX { 0.0 } else { view.0 };
    let (first, last) = drawn_columns(columns, scroll_left, view.1.max(600.0), view.2);
    let (before, after) = (first - 1, columns - last);
    let head_gap = |n: u64| {
        (n > 0).then(|| {
            let px = n as f64 * view.2 - 3.0;
            html! { <th class="gap" aria-hidden="true" style={format!("width:{0}px;min-width:{0}px", super::num::fixed(px, 0))}></th> }
        })
    };
    let px_of = |n: u64| n as f64 * view.2 - 3.0;
    let body = rows.iter().map(|row| {
        html! {
            <LogRowView key={row.id} row={row.clone()} {first} {last}
                before={px_of(before)} after={px_of(after)}
                lit={lit.entries_of(row.id)} named={lit.nodes.contains(&row.id)} />
        }
    });
    html! {
        <section class="panel logs" data-table="logs" aria-labelledby="logs-title">
            <h2 id="logs-title">{ lang.t("Logs", "日志") }</h2>
            <div class="table-scroll" ref={scroller} {onscroll}>
                <table class="log-table">
                    <thead>
                        <tr>
                            <th scope="col" class="who">{ lang.t("index", "索引") }</th>
                            { head_gap(before) }
                            <IndexCells {first} {last} />
                            { head_gap(after) }
                            <th scope="col" class="sm">{ lang.t("state", "状态") }</th>
                        </tr>
                    </thead>
                    <tbody>{ for body }</tbody>
                </table>
            </div>
            <p class="legend">
                <span class="swatch committed" style={format!("--term:{}", term_colour(1))}>{ "1" }</span>{ lang.t(" committed ", " 已提交 ") }
                <span class="swatch uncommitted" style={format!("--term:{}", term_colour(1))}>{ "1" }</span>{ lang.t(" not yet committed; the number is the entry's term", " 尚未提交；数字是条目的任期") }
                <br />
                <span data-legend-mark="commit"><span class="mark-key commit" aria-hidden="true"></span>{ lang.t(
                    " the bar (commitIndex): the server knows the entries up to it are committed; ",
                    "竖线（commitIndex）：这台服务器知道竖线及其左边的条目都已提交；",
                ) }</span>
                <span data-legend-mark="next"><span class="mark next">{ "N" }</span>{ lang.t(
                    " (nextIndex): the entry the leader will send this server next; ",
                    "（nextIndex）：领导者下一个要发给这台服务器的条目；",
                ) }</span>
                <span data-legend-mark="match"><span class="mark match">{ "M" }</span>{ lang.t(
                    " (matchIndex): the last entry the leader knows this server has, the same as its own",
                    "（matchIndex）：领导者确认这台服务器与自己一致的最后一个条目",
                ) }</span>
                if empty {
                    <br /><em>{ lang.t("No entries yet: click a server and send a client request.", "还没有条目：点击一台服务器，发送一个客户端请求。") }</em>
                }
            </p>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct LogRowProps {
    row: LogRow,
    /// The columns drawn, 1-based and inclusive.
    first: u64,
    last: u64,
    /// The widths in pixels of the spacers for the columns not drawn before
    /// and after them (none when not positive).
    before: f64,
    after: f64,
    /// The indices the narration's claims name in this row, and whether they name its server.
    lit: Vec<u64>,
    named: bool,
}

/// One server's row: drawn again only when its log, its marks or the
/// columns drawn change, not whenever another server's log does.
#[component]
fn LogRowView(props: &LogRowProps) -> Html {
    let LogRowProps {
        row,
        first,
        last,
        before,
        after,
        lit,
        named,
    } = props;
    let lang = use_lang();
    let gap = |px: f64| {
        (px > 0.0).then(|| {
            html! { <td class="gap" aria-hidden="true" style={format!("width:{0}px;min-width:{0}px", super::num::fixed(px, 0))}></td> }
        })
    };
    html! {
        <tr class={classes!(row.crashed.then_some("crashed"))}>
            <th scope="row" class={classes!("who", named.then_some("highlighted"))}
                data-highlight={named.then_some("true")}>
                <span class="name">{ node_name(row.id) }</span>
                <span class={classes!("role", row.role)}>{ &row.role_text }</span>
            </th>
            { gap(*before) }
            <EntryCells row={row.clone()} first={*first} last={*last} lit={lit.clone()} />
            { gap(*after) }
            <td class="sm" title={lang.t(
                format!("commit index {}; the state machine: {}", row.commit_index, row.state_machine),
                format!("提交索引 {}；状态机：{}", row.commit_index, row.state_machine),
            )}>
                if row.crashed {
                    { lang.t("on disk only", "仅存于磁盘") }
                } else {
                    { lang.t(format!("commit {}", row.commit_index), format!("已提交至 {}", row.commit_index)) }
                    <span class="kv">{ &row.state_machine }</span>
                }
            </td>
        </tr>
    }
}

#[derive(Properties, PartialEq)]
struct CellsProps {
    row: LogRow,
    first: u64,
    last: u64,
    lit: Vec<u64>,
}

/// A row's entries, keyed by index in a list of their own: an entry
/// appended adds one cell instead of shifting every cell's contents (Yew
/// matches an unkeyed list from its end, and a list mixing keyed cells with
/// the row's other cells is unkeyed).
#[component]
fn EntryCells(props: &CellsProps) -> Html {
    let CellsProps {
        row,
        first,
        last,
        lit,
    } = props;
    let lang = use_lang();
    let compacted_to = row.compacted_to();
    // The snapshot's one cell, over the compacted columns drawn.
    let snapshot = row.compacted.as_ref().filter(|_| *first <= compacted_to).map(|c| {
        let (i, t) = (c.last_included_index, c.last_included_term);
        let span = i.min(*last) - first + 1;
        let marks = (*first..=i.min(*last)).map(|index| row_marks(row, index, lang));
        html! {
            <td key={*first} colspan={span.to_string()} class="entry snapshot committed"
                style={format!("--term:{}", term_colour(t))}
                data-snapshot="" data-node-id={row.id.to_string()}
                data-last-included-index={i.to_string()} data-last-included-term={t.to_string()}
                title={c.title.clone()}>
                <span class="snap">{ lang.t(format!("snapshot ≤ {i}, term {t}"), format!("快照 ≤ {i}，任期 {t}")) }</span>
                { for marks }
            </td>
        }
    });
    let cells = (compacted_to.max(*first - 1) + 1..=*last).map(|index| {
        let marks = row_marks(row, index, lang);
        let highlighted = lit.contains(&index);
        match row.entries.get((index - compacted_to) as usize - 1) {
            Some((term, op)) => {
                let committed = index <= row.commit_index;
                let title = match (lang, committed) {
                    (Lang::En, true) => format!("index {index}, term {term}: {op}, committed"),
                    (Lang::En, false) => format!("index {index}, term {term}: {op}, not committed"),
                    (Lang::Zh, true) => format!("索引 {index}，任期 {term}：{op}，已提交"),
                    (Lang::Zh, false) => format!("索引 {index}，任期 {term}：{op}，未提交"),
                };
                html! {
                    <td key={index} class={classes!("entry", if committed { "committed" } else { "uncommitted" }, (index == row.commit_index).then_some("commit-edge"), highlighted.then_some("highlighted"))}
                        data-highlight={highlighted.then_some("true")}
                        style={format!("--term:{}", term_colour(*term))}
                        data-log-entry="" data-node-id={row.id.to_string()}
                        data-index={index.to_string()} data-term={term.to_string()}
                        data-committed={committed.to_string()}
                        {title}>
                        { term }
                        { marks }
                    </td>
                }
            }
            None => html! {
                <td key={index} class={classes!("empty", highlighted.then_some("highlighted"))}
                    data-highlight={highlighted.then_some("true")}>{ marks }</td>
            },
        }
    });
    html! { <>{ for snapshot }{ for cells }</> }
}

#[derive(Properties, PartialEq)]
struct IndexProps {
    first: u64,
    last: u64,
}

/// The header's index cells, keyed for the same reason as [`EntryCells`].
#[component]
fn IndexCells(props: &IndexProps) -> Html {
    let cells = (props.first..=props.last)
        .map(|i| html! { <th key={i} scope="col" class="index">{ i }</th> });
    html! { <>{ for cells }</> }
}

/// The markers in column `index` of a row: the commitIndex bar, and the
/// leader's nextIndex (N) and matchIndex (M) for this server.
fn row_marks(row: &LogRow, index: u64, lang: Lang) -> Html {
    let name = node_name(row.id);
    let commit = (index == row.commit_index && !row.crashed).then(|| {
        html! {
            <span class="commit-bar" data-marker="commit" data-node-id-marked={row.id.to_string()}
                data-index={index.to_string()} title={format!("commitIndex = {index}")}></span>
        }
    });
    let next = (row.next_index == Some(index)).then(|| {
        html! {
            <span class="mark next" data-marker="next" data-node-id-marked={row.id.to_string()}
                data-index={index.to_string()} title={lang.t(
                    format!("the leader's nextIndex for {name} = {index}"),
                    format!("领导者为 {name} 记录的 nextIndex = {index}"),
                )}>{ "N" }</span>
        }
    });
    let matched = (row.match_index == Some(index)).then(|| {
        html! {
            <span class="mark match" data-marker="match" data-node-id-marked={row.id.to_string()}
                data-index={index.to_string()} title={lang.t(
                    format!("the leader's matchIndex for {name} = {index}"),
                    format!("领导者为 {name} 记录的 matchIndex = {index}"),
                )}>{ "M" }</span>
        }
    });
    if commit.is_none() && next.is_none() && matched.is_none() {
        return html! {};
    }
    html! {
        <>
            { commit }
            if next.is_some() || matched.is_some() {
                <span class="marks">{ matched }{ next }</span>
            }
        </>
    }
}

/// Measures the table when its size changes (new columns, a narrower
/// window), from a `ResizeObserver`, which runs right after the browser's own
/// layout, so reading it forces none: the column pitch from two neighbouring
/// header cells and where the view is. When new columns arrive and the view
/// showed the end, it keeps showing the end; someone who scrolled back to
/// read old entries is left where they are.
#[hook]
fn use_measured_table(
    scroller: NodeRef,
    set_view: UseStateSetter<(f64, f64, f64)>,
    view: (f64, f64, f64),
    at_end: std::rc::Rc<std::cell::RefCell<bool>>,
    columns: std::rc::Rc<std::cell::RefCell<u64>>,
) {
    let last = use_mut_ref(|| view);
    *last.borrow_mut() = view;
    use_effect_with((), move |_| {
        let observed = scroller.cast::<web_sys::HtmlElement>().and_then(|el| {
            let table = el.first_element_child()?;
            // The columns there were at the last observation (none before the first).
            let mut seen: Option<u64> = None;
            let callback = Closure::<dyn FnMut()>::new(move || {
                let columns_now = *columns.borrow();
                match seen {
                    // Where the view starts is where the browser put it (the start):
                    // it follows the end from then on only if it shows the end.
                    None => {
                        *at_end.borrow_mut() =
                            el.scroll_width() - el.client_width() - el.scroll_left() <= 8;
                    }
                    Some(before) if columns_now > before && *at_end.borrow() => {
                        el.set_scroll_left(el.scroll_width());
                    }
                    Some(_) => {}
                }
                seen = Some(columns_now);
                let cells = el.query_selector_all("th.index").ok();
                let left = |i: u32| {
                    cells
                        .as_ref()
                        .and_then(|c| c.item(i))
                        .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
                        .map(|e| f64::from(e.offset_left()))
                };
                let old = *last.borrow();
                let pitch = match (left(0), left(1)) {
                    (Some(a), Some(b)) if b > a => b - a,
                    _ => old.2,
                };
                let now = (
                    f64::from(el.scroll_left()),
                    f64::from(el.client_width()),
                    pitch,
                );
                let columns = columns_now;
                if old.0 == f64::MAX
                    || pitch != old.2
                    || drawn_columns(columns, now.0, now.1, now.2)
                        != drawn_columns(columns, old.0, old.1, old.2)
                {
                    *last.borrow_mut() = now;
                    set_view.set(now);
                }
            });
            let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
            observer.observe(&table);
            Some((observer, callback))
        });
        move || {
            if let Some((observer, _callback)) = observed {
                observer.disconnect();
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_log_is_drawn_whole_and_a_long_one_only_around_the_view() {
        const D: u64 = DRAWN_AT_LEAST;
        assert_eq!(drawn_columns(D / 2, 0.0, 500.0, 33.0), (1, D / 2));
        assert_eq!(drawn_columns(D, 1e9, 500.0, 33.0), (1, D));
        // 1,000 entries scrolled to the start: the first columns, at least D.
        let (first, last) = drawn_columns(1_000, 0.0, 500.0, 33.0);
        assert_eq!(first, 1);
        assert!((D..D + STEP_COLUMNS).contains(&last), "{last}");
        // In the middle: the columns in view and a margin on each side.
        let (first, last) = drawn_columns(1_000, 33.0 * 500.0, 500.0, 33.0);
        assert!(first <= 501 && last >= 501 + 500 / 33, "{first}..{last}");
        assert!(last - first < (16 + 2 * MARGIN_COLUMNS).max(D) + 2 * STEP_COLUMNS + 1);
        // At the end: up to the last column.
        assert_eq!(drawn_columns(1_000, 33.0 * 1_000.0, 500.0, 33.0).1, 1_000);
        let first = drawn_columns(1_000, 33.0 * 1_000.0, 500.0, 33.0).0;
        assert!(
            (1_000 - (D - 1) - STEP_COLUMNS..=1_000 - (D - 1)).contains(&first),
            "{first}"
        );
        assert_eq!((first - 1) % STEP_COLUMNS, 0);
    }

    #[test]
    fn a_view_that_follows_the_end_shifts_its_columns_only_every_step() {
        // A new entry a time, the view scrolled to the end each time.
        let firsts: Vec<u64> = (1_000..1_064)
            .map(|n| drawn_columns(n, 33.0 * n as f64, 500.0, 33.0).0)
            .collect();
        let shifts = firsts.windows(2).filter(|w| w[0] != w[1]).count();
        let steps = 64 / STEP_COLUMNS as usize;
        assert!((steps - 1..=steps).contains(&shifts), "{shifts} shifts");
    }
}

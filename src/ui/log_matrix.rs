//! The log matrix: every server's log side by side (Raft's today; any
//! protocol with a log of numbered entries can hand it rows), one row a server, one
//! cell an index. An entry is coloured by its term and shows the term's
//! number; committed entries are solid, uncommitted ones hatched with a dashed
//! outline. Each server's `commitIndex` is a bar after that column, and under
//! each follower the leader's `nextIndex` (N) and `matchIndex` (M) for it are
//! marked, so a lagging follower and its repair can be read off the table.

use super::term_colour;
use crate::i18n::{use_lang, Lang};
use quorum_sim::kv::KvOp;
use quorum_sim::{node_name, NodeId};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Columns the table shows even before the logs reach them, so it reads as a table.
const MIN_COLUMNS: u64 = 8;
/// More than one column's width in pixels (cell, borders and spacing are 33).
const COLUMN_PX: i32 = 40;
/// A column's pitch until the table is measured.
const PITCH_PX: f64 = 33.0;
/// Columns drawn on each side of those in view, and the fewest drawn at all:
/// a log this long is drawn whole; a longer one only where it is looked at,
/// so a frame never lays out thousands of cells nobody sees.
const MARGIN_COLUMNS: u64 = 24;
const DRAWN_AT_LEAST: u64 = 64;

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
    /// Each entry's term and the operation it holds, index 1 first.
    pub entries: Vec<(u64, KvOp)>,
    /// The key-value state machine, e.g. `x=3 y=5`.
    pub state_machine: String,
    /// The leader's `nextIndex` and `matchIndex` for this server, if there
    /// is a leader and this server is one of its followers.
    pub next_index: Option<u64>,
    pub match_index: Option<u64>,
}

#[derive(Properties, PartialEq)]
pub struct LogTableProps {
    pub rows: Vec<LogRow>,
}

#[component]
pub fn LogTable(props: &LogTableProps) -> Html {
    let rows = &props.rows;
    let lang = use_lang();
    let columns = rows
        .iter()
        .map(|r| (r.entries.len() as u64).max(r.next_index.unwrap_or(0)))
        .max()
        .unwrap_or(0)
        .max(MIN_COLUMNS);
    let empty = rows.iter().all(|r| r.entries.is_empty());
    let scroller = use_node_ref();
    // Where the table is scrolled, how wide its view is, and its column pitch.
    let view = use_state(|| (f64::MAX, 0.0, PITCH_PX));
    use_follow_new_columns(scroller.clone(), columns);
    {
        // Measure once drawn (and when the columns change): the pitch from
        // two neighbouring header cells, and where the view is.
        let scroller = scroller.clone();
        let view = view.clone();
        use_effect_with(columns, move |_| {
            if let Some(el) = scroller.cast::<web_sys::HtmlElement>() {
                let cells = el.query_selector_all("th.index").ok();
                let left = |i: u32| {
                    cells
                        .as_ref()
                        .and_then(|c| c.item(i))
                        .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
                        .map(|e| f64::from(e.offset_left()))
                };
                let pitch = match (left(0), left(1)) {
                    (Some(a), Some(b)) if b > a => b - a,
                    _ => view.2,
                };
                let now = (
                    f64::from(el.scroll_left()),
                    f64::from(el.client_width()),
                    pitch,
                );
                if now != *view {
                    view.set(now);
                }
            }
        });
    }
    let onscroll = {
        let view = view.clone();
        Callback::from(move |e: Event| {
            let Some(el) = e.target_dyn_into::<web_sys::Element>() else {
                return;
            };
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
    // Until measured, the view is at the end (where new entries arrive).
    let scroll_left = if view.0 == f64::MAX {
        (columns as f64 * view.2 - 600.0).max(0.0)
    } else {
        view.0
    };
    let (first, last) = drawn_columns(columns, scroll_left, view.1.max(600.0), view.2);
    let gap = |n: u64| {
        (n > 0).then(|| {
            let px = n as f64 * view.2 - 3.0;
            html! { <td class="gap" aria-hidden="true" style={format!("width:{0}px;min-width:{0}px", super::num::fixed(px, 0))}></td> }
        })
    };
    let (before, after) = (first - 1, columns - last);
    let header = (first..=last).map(|i| html! { <th scope="col" class="index">{ i }</th> });
    let head_gap = |n: u64| {
        (n > 0).then(|| {
            let px = n as f64 * view.2 - 3.0;
            html! { <th class="gap" aria-hidden="true" style={format!("width:{0}px;min-width:{0}px", super::num::fixed(px, 0))}></th> }
        })
    };
    let body = rows.iter().map(|row| {
        let cells = (first..=last).map(|index| {
            let marks = row_marks(row, index, lang);
            match row.entries.get(index as usize - 1) {
                Some((term, op)) => {
                    let committed = index <= row.commit_index;
                    let title = match (lang, committed) {
                        (Lang::En, true) => format!("index {index}, term {term}: {op}, committed"),
                        (Lang::En, false) => format!("index {index}, term {term}: {op}, not committed"),
                        (Lang::Zh, true) => format!("索引 {index}，任期 {term}：{op}，已提交"),
                        (Lang::Zh, false) => format!("索引 {index}，任期 {term}：{op}，未提交"),
                    };
                    html! {
                        <td class={classes!("entry", if committed { "committed" } else { "uncommitted" }, (index == row.commit_index).then_some("commit-edge"))}
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
                None => html! { <td class="empty">{ marks }</td> },
            }
        });
        html! {
            <tr key={row.id} class={classes!(row.crashed.then_some("crashed"))}>
                <th scope="row" class="who">
                    <span class="name">{ node_name(row.id) }</span>
                    <span class={classes!("role", row.role)}>{ &row.role_text }</span>
                </th>
                { gap(before) }
                { for cells }
                { gap(after) }
                <td class="sm" title={lang.t("commit index; the state machine", "提交索引；状态机")}>
                    if row.crashed {
                        { lang.t("on disk only", "仅存于磁盘") }
                    } else {
                        { lang.t(format!("commit {}", row.commit_index), format!("已提交 {}", row.commit_index)) }
                        <span class="kv">{ &row.state_machine }</span>
                    }
                </td>
            </tr>
        }
    });
    html! {
        <section class="panel logs" aria-labelledby="logs-title">
            <h2 id="logs-title">{ lang.t("Logs", "日志") }</h2>
            <div class="table-scroll" ref={scroller} {onscroll}>
                <table class="log-table">
                    <thead>
                        <tr>
                            <th scope="col" class="who">{ lang.t("index", "索引") }</th>
                            { head_gap(before) }
                            { for header }
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
                <span class="mark-key commit" aria-hidden="true"></span>{ " commitIndex " }
                <span class="mark next">{ "N" }</span>{ lang.t(" the leader's nextIndex ", " 领导者为该服务器记录的 nextIndex，") }
                <span class="mark match">{ "M" }</span>{ lang.t(" and matchIndex for that server", " 以及 matchIndex") }
                if empty {
                    <br /><em>{ lang.t("No entries yet: click a server and send a client request.", "还没有条目：点击一台服务器，发送一个客户端请求。") }</em>
                }
            </p>
        </section>
    }
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

/// When new columns arrive and the table was scrolled to its end, keep showing
/// the end; someone who scrolled back to read old entries is left where they are.
#[hook]
fn use_follow_new_columns(scroller: NodeRef, columns: u64) {
    let previous = use_mut_ref(|| columns);
    use_effect_with(columns, move |columns| {
        let added = columns.saturating_sub(*previous.borrow());
        *previous.borrow_mut() = *columns;
        if let Some(el) = scroller.cast::<web_sys::Element>() {
            let slack = el.scroll_width() - el.client_width() - el.scroll_left();
            let was_at_end = i64::from(slack) <= added as i64 * i64::from(COLUMN_PX) + 8;
            if added > 0 && was_at_end {
                el.set_scroll_left(el.scroll_width());
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_log_is_drawn_whole_and_a_long_one_only_around_the_view() {
        assert_eq!(drawn_columns(40, 0.0, 500.0, 33.0), (1, 40));
        assert_eq!(drawn_columns(64, 1e9, 500.0, 33.0), (1, 64));
        // 1,000 entries scrolled to the start: the first columns, at least 64.
        assert_eq!(drawn_columns(1_000, 0.0, 500.0, 33.0), (1, 64));
        // In the middle: the columns in view and a margin on each side.
        let (first, last) = drawn_columns(1_000, 33.0 * 500.0, 500.0, 33.0);
        assert!(first <= 501 && last >= 501 + 500 / 33, "{first}..{last}");
        assert!(last - first < 16 + 2 * MARGIN_COLUMNS + 1);
        // At the end: up to the last column.
        assert_eq!(drawn_columns(1_000, 33.0 * 1_000.0, 500.0, 33.0).1, 1_000);
        assert_eq!(
            drawn_columns(1_000, 33.0 * 1_000.0, 500.0, 33.0).0,
            1_000 - 63
        );
    }
}

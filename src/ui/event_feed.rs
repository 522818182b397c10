//! What happened, newest first, the whole run long: a list that scrolls,
//! drawn as a window. Only the lines in view (and a few either side) are in
//! the page, each standing at its place in a list as tall as every line, so
//! an hour's many thousand lines cost what a dozen do.

use super::format_time;
use crate::i18n::use_lang;
use crate::run::Run;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Lines shown at once.
const VIEW_ROWS: usize = 9;
/// Lines drawn beyond those in view, either side, so a quick scroll shows no gap.
const OVERSCAN: usize = 4;
/// The height of a line, in CSS pixels: one line of text on a wide page
/// (a taller one for presenter mode's large type), two where the page is
/// narrow (a phone), so a long line is not cut short.
fn row_px(present: bool) -> f64 {
    let narrow = web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w < 600.0);
    if narrow {
        38.0
    } else if present {
        30.0
    } else {
        22.0
    }
}

#[derive(Properties)]
pub struct EventFeedProps {
    pub run: Rc<RefCell<Box<dyn Run>>>,
    /// The run's version: the feed is read again when it changes.
    pub version: u64,
    /// Presenter mode: lines tall enough for its type.
    pub present: bool,
}

impl PartialEq for EventFeedProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.run, &other.run)
            && self.version == other.version
            && self.present == other.present
    }
}

#[component]
pub fn EventFeed(props: &EventFeedProps) -> Html {
    let lang = use_lang();
    let scroller = use_node_ref();
    let scroll_top = use_state(|| 0.0f64);
    let row = row_px(props.present);
    let total = props.run.borrow().feed_len();
    // Reading older lines, the person keeps their place as new ones arrive on top.
    let shown_total = use_mut_ref(|| total);
    {
        let scroller = scroller.clone();
        let shown_total = shown_total.clone();
        use_effect_with(total, move |&total| {
            let before = std::mem::replace(&mut *shown_total.borrow_mut(), total);
            if let Some(el) = scroller.cast::<web_sys::Element>() {
                if total > before && el.scroll_top() > 0 {
                    let added = ((total - before) as f64 * row) as i32;
                    el.set_scroll_top(el.scroll_top() + added);
                }
            }
        });
    }
    let first = ((*scroll_top / row).floor().max(0.0) as usize).saturating_sub(OVERSCAN);
    let take = VIEW_ROWS + 2 * OVERSCAN + 1;
    let lines = props.run.borrow().feed_window(first, take);
    let newest = (first == 0)
        .then(|| lines.first().map(|l| lang.of(&l.text).to_string()))
        .flatten();
    let items = lines.iter().enumerate().map(|(i, line)| {
        let place = first + i;
        let words = lang.of(&line.text).to_string();
        html! {
            <li key={line.seq} aria-setsize={total.to_string()} aria-posinset={(place + 1).to_string()}
                class={classes!((place == 0).then_some("newest"))} data-feed-line={place.to_string()}
                style={format!("top:{}px;height:{}px", px(place as f64 * row), px(row))} title={words.clone()}>
                <time>{ format_time(line.time as f64) }</time>
                <span>{ words }</span>
            </li>
        }
    });
    let onscroll = {
        let scroll_top = scroll_top.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            {
                scroll_top.set(f64::from(el.scroll_top()));
            }
        })
    };
    html! {
        <>
        <section class="panel feed" data-feed="" aria-labelledby="feed-title">
            <h2 id="feed-title">{ lang.t("What happened", "发生了什么") }</h2>
            <div class="feed-scroll" ref={scroller} {onscroll} data-feed-scroll="" tabindex="0"
                aria-label={lang.t(format!("What happened: {total} lines, newest first"), format!("发生了什么：共 {total} 行，最新的在前"))}
                style={format!("max-height:{}px", px(VIEW_ROWS as f64 * row))}>
                if total == 0 {
                    <p class="feed-empty" data-feed-empty="">{ lang.t(
                        "Nothing has happened yet. What the servers do appears here as it happens, newest first.",
                        "还什么都没有发生。服务器做的每件事都会按发生的先后列在这里，最新的在最上面。",
                    ) }</p>
                }
                <ol data-feed-total={total.to_string()} style={format!("height:{}px", px(total as f64 * row))}>
                    { for items }
                </ol>
            </div>
        </section>
        // What a screen reader hears as it happens: the newest line only.
        <p class="sr-only" aria-live="polite">{ newest.unwrap_or_default() }</p>
        </>
    }
}

/// Pixels written with one decimal by the page's own number writer (the
/// standard float formatting would add some 11 KB to the wasm).
fn px(v: f64) -> String {
    super::num::fixed(v, 1)
}

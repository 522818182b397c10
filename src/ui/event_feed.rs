//! The last few things that happened, newest first.

use super::format_time;
use crate::feed::FeedLine;
use crate::i18n::use_lang;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EventFeedProps {
    /// The lines to show, newest first.
    pub lines: Vec<FeedLine>,
}

#[component]
pub fn EventFeed(props: &EventFeedProps) -> Html {
    let lang = use_lang();
    let lines = props.lines.iter().map(|line| {
        html! {
            <li key={line.seq}>
                <time>{ format_time(line.time as f64) }</time>
                <span>{ lang.of(&line.text) }</span>
            </li>
        }
    });
    html! {
        <section class="panel feed" aria-labelledby="feed-title">
            <h2 id="feed-title">{ lang.t("What happened", "发生了什么") }</h2>
            <ol aria-live="polite">{ for lines }</ol>
        </section>
    }
}

//! The last few things that happened, newest first.

use super::format_time;
use crate::feed::{At, Feed};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EventFeedProps {
    pub feed: Rc<Feed>,
    /// The moment shown: the lines written up to it.
    pub at: At,
}

#[component]
pub fn EventFeed(props: &EventFeedProps) -> Html {
    let lines = props.feed.lines_at(props.at).map(|line| {
        html! {
            <li key={line.seq}>
                <time>{ format_time(line.time as f64) }</time>
                <span>{ &line.text }</span>
            </li>
        }
    });
    html! {
        <section class="panel feed" aria-labelledby="feed-title">
            <h2 id="feed-title">{ "What happened" }</h2>
            <ol aria-live="polite">{ for lines }</ol>
        </section>
    }
}

//! The list of scenarios, grouped by protocol: each opens as its own page
//! (`?scenario=NAME`), and "Free run" leaves the scenario. The list is
//! fetched the first time the menu opens, so no page carries it unasked.

use crate::fetch::fetch_bytes;
use crate::i18n::{text, use_lang, Text};
use crate::registry::PROTOCOLS;
use crate::scenarios::{unpack_index, Listing, INDEX_URL};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The least room kept between the open list and the window's edges (px).
const EDGE: f64 = 8.0;

/// Where the list starts, from its menu's left edge, so that a list `width`
/// wide under a menu at `menu_left` stays inside a window `window` wide:
/// under the menu if it fits, else moved left just enough (never past the
/// window's left edge).
pub fn list_offset(menu_left: f64, width: f64, window: f64) -> f64 {
    let overflow = menu_left + width - (window - EDGE);
    let offset = if overflow > 0.0 { -overflow } else { 0.0 };
    offset.max(EDGE - menu_left)
}

/// Moves the open list of `details` inside the window.
fn place(details: &web_sys::Element) {
    let Some(list) = details
        .query_selector(".scenario-list")
        .ok()
        .flatten()
        .and_then(|l| l.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let Some(window) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .map(|e| f64::from(e.client_width()))
    else {
        return;
    };
    let left = details.get_bounding_client_rect().left();
    let width = f64::from(list.offset_width());
    let offset = list_offset(left, width, window);
    let _ = list.set_attribute(
        "style",
        &format!("left:{}px", crate::ui::num::fixed(offset, 0)),
    );
}

#[derive(Properties, PartialEq)]
pub struct ScenarioMenuProps {
    /// The scenario playing, if any.
    pub current: Option<String>,
    /// The protocol of this page (`?algo=`), for the free run.
    pub protocol: &'static str,
    /// Parameters every link keeps (`&lang=zh&theme=dark`...).
    pub keep: String,
}

#[derive(Clone, Debug, PartialEq)]
enum List {
    NotAsked,
    Loading,
    Loaded(Vec<Listing>),
    Failed(Text),
}

#[component]
pub fn ScenarioMenu(props: &ScenarioMenuProps) -> Html {
    let lang = use_lang();
    let list = use_state(|| List::NotAsked);
    let details = use_node_ref();
    {
        // A window resized while the list is open: it stays inside. A press
        // anywhere outside it closes it, as any menu does.
        let details = details.clone();
        use_effect_with((), move |_| {
            let open = move || {
                details
                    .cast::<web_sys::HtmlDetailsElement>()
                    .filter(|d| d.open())
            };
            let window = web_sys::window();
            let on_resize = window.as_ref().map(|w| {
                let open = open.clone();
                gloo_events::EventListener::new(w, "resize", move |_| {
                    if let Some(d) = open() {
                        place(&d);
                    }
                })
            });
            let on_press = window.and_then(|w| w.document()).map(|doc| {
                let capture = gloo_events::EventListenerOptions::run_in_capture_phase();
                gloo_events::EventListener::new_with_options(
                    &doc,
                    "pointerdown",
                    capture,
                    move |e| {
                        let Some(d) = open() else { return };
                        let inside = e
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
                            .is_some_and(|t| d.contains(Some(&t)));
                        if !inside {
                            d.set_open(false);
                        }
                    },
                )
            });
            move || drop((on_resize, on_press))
        });
    }
    let ontoggle = {
        let list = list.clone();
        Callback::from(move |e: Event| {
            let details = e.target_dyn_into::<web_sys::HtmlDetailsElement>();
            let open = details.as_ref().is_some_and(|d| d.open());
            if let Some(d) = details.as_ref().filter(|_| open) {
                place(d);
            }
            if !open || !matches!(*list, List::NotAsked | List::Failed(_)) {
                return;
            }
            list.set(List::Loading);
            let list = list.clone();
            fetch_bytes(INDEX_URL, move |got| {
                list.set(match got {
                    Ok(bytes) => match unpack_index(&bytes) {
                        Ok(listings) => List::Loaded(listings),
                        Err(_) => {
                            List::Failed(text("the list of scenarios is damaged", "场景列表已损坏"))
                        }
                    },
                    Err(why) => List::Failed(why),
                })
            });
        })
    };
    let body = match &*list {
        List::NotAsked | List::Loading => html! {
            <p class="hint" data-scenarios-loading="">{ lang.t("Loading the scenarios…", "正在加载场景…") }</p>
        },
        List::Failed(why) => html! {
            <p class="hint" role="alert">{ lang.t(
                format!("The scenarios could not be listed: {}. Close and open the menu to try again.", why.en),
                format!("无法列出场景：{}。关闭菜单再打开即可重试。", why.zh),
            ) }</p>
        },
        List::Loaded(all) => {
            // This page's own scenarios first: a person on the Paxos page
            // opening the menu looks for Paxos, not for the registry's first
            // protocol. The others follow in the registry's order.
            let here = PROTOCOLS.iter().filter(|p| p.name == props.protocol);
            let others = PROTOCOLS.iter().filter(|p| p.name != props.protocol);
            let groups = here.chain(others).filter_map(|p| {
                let items: Vec<Html> = all
                    .iter()
                    .filter(|s| s.protocol == p.name)
                    .map(|s| {
                        let current = props.current.as_deref() == Some(s.name.as_str());
                        html! {
                            <li>
                                <a href={format!("?scenario={}{}", s.name, props.keep)}
                                    class={classes!(current.then_some("current"))}
                                    aria-current={current.then_some("page")}
                                    data-scenario-link={s.name.clone()}>
                                    <strong>{ lang.of(&s.title) }</strong>
                                    <span>{ lang.of(&s.summary) }</span>
                                </a>
                            </li>
                        }
                    })
                    .collect();
                (!items.is_empty()).then(|| {
                    html! {
                        <section data-scenario-group={p.name}>
                            <h3>{ p.title }</h3>
                            <ul>{ for items }</ul>
                        </section>
                    }
                })
            });
            html! { <>{ for groups }</> }
        }
    };
    let free = props.current.as_ref().map(|_| {
        html! {
            <a class="free-run" href={format!("?algo={}{}", props.protocol, props.keep)} data-free-run="">
                { lang.t("Leave the scenario: a free run", "离开场景：自由运行") }
            </a>
        }
    });
    // Escape inside the open menu closes it (only it: not a tour or an
    // inspector under it) and gives the focus back to its toggle.
    let onkeydown = {
        let details = details.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(d) = details.cast::<web_sys::HtmlDetailsElement>() else {
                return;
            };
            if e.key() != "Escape" || !d.open() {
                return;
            }
            e.stop_propagation();
            d.set_open(false);
            if let Some(summary) = d
                .first_element_child()
                .and_then(|s| s.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = summary.focus();
            }
        })
    };
    html! {
        <details class="scenario-menu" data-scenario-menu="" {ontoggle} {onkeydown} ref={details}
            data-scenarios-loaded={matches!(*list, List::Loaded(_)).to_string()}>
            <summary>{ lang.t("Scenarios", "场景") }</summary>
            <div class="scenario-list" role="group" aria-label={lang.t("Scenarios", "场景")}>
                { body }
                { free }
            </div>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::list_offset;

    #[test]
    fn the_open_list_stays_inside_the_window() {
        // Room to the right: under the menu.
        assert_eq!(list_offset(100.0, 440.0, 1280.0), 0.0);
        // Near the right edge: moved left to end 8 px from it.
        assert_eq!(list_offset(1000.0, 440.0, 1280.0), -168.0);
        // Wider than the room left of the menu: from the window's left edge.
        assert_eq!(list_offset(200.0, 374.0, 390.0), -192.0);
    }
}

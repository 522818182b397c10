//! The list of scenarios, grouped by protocol: each opens as its own page
//! (`?scenario=NAME`), and "Free run" leaves the scenario. The list is
//! fetched the first time the menu opens, so no page carries it unasked.

use crate::fetch::fetch_bytes;
use crate::i18n::{text, use_lang, Text};
use crate::registry::PROTOCOLS;
use crate::scenarios::{unpack_index, Listing, INDEX_URL};
use yew::prelude::*;

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
    let ontoggle = {
        let list = list.clone();
        Callback::from(move |e: Event| {
            let open = e
                .target_dyn_into::<web_sys::HtmlDetailsElement>()
                .is_some_and(|d| d.open());
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
            let groups = PROTOCOLS.iter().filter_map(|p| {
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
                        <section>
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
    html! {
        <details class="scenario-menu" data-scenario-menu="" {ontoggle}
            data-scenarios-loaded={matches!(*list, List::Loaded(_)).to_string()}>
            <summary>{ lang.t("Scenarios", "场景") }</summary>
            <div class="scenario-list" role="group" aria-label={lang.t("Scenarios", "场景")}>
                { body }
                { free }
            </div>
        </details>
    }
}

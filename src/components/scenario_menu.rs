//! The list of scenarios, grouped by protocol: each opens as its own page
//! (`?scenario=NAME`), and "Free run" leaves the scenario.

use crate::i18n::use_lang;
use crate::scenarios;
use crate::url::Algo;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScenarioMenuProps {
    /// The scenario playing, if any.
    pub current: Option<String>,
    pub algo: Algo,
    /// Parameters every link keeps (`&lang=zh&theme=dark`...).
    pub keep: String,
}

#[component]
pub fn ScenarioMenu(props: &ScenarioMenuProps) -> Html {
    let lang = use_lang();
    let all = use_memo((), |_| scenarios::all());
    let groups = [
        (Algo::Raft, "Raft", "Raft"),
        (Algo::Paxos, "Paxos", "Paxos"),
        (Algo::MultiPaxos, "Multi-Paxos", "Multi-Paxos"),
    ]
    .into_iter()
    .filter_map(|(algo, en, zh)| {
        let items: Vec<Html> = all
            .iter()
            .filter(|s| s.algo() == Some(algo))
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
                    <h3>{ lang.t(en, zh) }</h3>
                    <ul>{ for items }</ul>
                </section>
            }
        })
    });
    let free = props.current.as_ref().map(|_| {
        html! {
            <a class="free-run" href={format!("?algo={}{}", props.algo.as_str(), props.keep)} data-free-run="">
                { lang.t("Leave the scenario: a free run", "离开场景：自由运行") }
            </a>
        }
    });
    html! {
        <details class="scenario-menu" data-scenario-menu="">
            <summary>{ lang.t("Scenarios", "场景") }</summary>
            <div class="scenario-list" role="group" aria-label={lang.t("Scenarios", "场景")}>
                { for groups }
                { free }
            </div>
        </details>
    }
}

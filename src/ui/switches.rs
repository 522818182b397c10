//! The protocol's extensions, each a labelled switch with one line for a
//! beginner and where the paper or thesis defines it (Raft's PreVote,
//! CheckQuorum, leadership transfer). Turning one on or off starts the run
//! again with the same seed and size, as a new server count does, so the
//! same run can be watched with and without it.

use crate::i18n::use_lang;
use crate::registry::Switch;
use crate::state::{Action, Dispatch};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SwitchesProps {
    pub switches: &'static [Switch],
    /// Whether each of `switches` is on in the run shown.
    pub on: Vec<bool>,
    pub dispatch: Dispatch,
}

#[component]
pub fn Switches(props: &SwitchesProps) -> Html {
    let SwitchesProps {
        switches,
        on,
        dispatch,
    } = props;
    let lang = use_lang();
    let items = switches.iter().zip(on).enumerate().map(|(index, (s, &checked))| {
        let dispatch = dispatch.clone();
        let onchange = Callback::from(move |_: Event| {
            dispatch.emit(Action::SetSwitch { index, on: !checked })
        });
        let (name, section) = (lang.t(s.name.0, s.name.1), lang.t(s.section.0, s.section.1));
        html! {
            <li data-switch-item={s.key}>
                <label class="check">
                    <input type="checkbox" {checked} {onchange} data-switch={s.key} />
                    <strong>{ name }</strong>
                    <span class="section">{ lang.t(format!("({section})"), format!("（{section}）")) }</span>
                </label>
                <span class="explains">{ lang.t(s.explains.0, s.explains.1) }</span>
            </li>
        }
    });
    html! {
        <section class="panel switches" data-switches=""
            aria-label={lang.t("Extensions from Ongaro's thesis", "Ongaro 博士论文中的扩展")}>
            <h2>{ lang.t("Extensions (Ongaro's thesis)", "扩展（Ongaro 的博士论文）") }</h2>
            <p class="hint">{ lang.t(
                "Each one starts the run again with the same seed, so you can watch it with and without.",
                "每个开关都会用同一个种子重新开始运行，方便对比开与不开的区别。",
            ) }</p>
            <ul>{ for items }</ul>
        </section>
    }
}

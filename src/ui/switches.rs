//! The protocol's extensions, each a labelled switch with one line for a
//! beginner and where the paper or thesis defines it (Raft's PreVote,
//! CheckQuorum, leadership transfer). Turning one on or off starts the run
//! again with the same seed and size, as a new server count does, so the
//! same run can be watched with and without it.

use crate::i18n::Lang;
use crate::registry::Switch;
use crate::state::{Action, Dispatch};
use yew::prelude::*;

/// The panel of `switches`, `on` saying which are on in the run shown. A
/// plain function, not a component: it is redrawn with the page's lower
/// half, and a component's machinery would weigh on every protocol's page.
pub fn switches(switches: &'static [Switch], on: &[bool], lang: Lang, dispatch: &Dispatch) -> Html {
    let items = switches.iter().zip(on).enumerate().map(|(index, (s, &checked))| {
        let onchange = dispatch.reform(move |_: Event| Action::SetSwitch { index, on: !checked });
        let section = lang.t(s.section.0, s.section.1);
        html! {
            <li data-switch-item={s.key}>
                <label class="check">
                    <input type="checkbox" {checked} {onchange} data-switch={s.key} />
                    <strong>{ lang.t(s.name.0, s.name.1) }</strong>
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

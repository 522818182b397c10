//! The glossary: the protocol's words, each with the paper's name for it,
//! the Chinese term beside the paper's English one, a plain definition and
//! where the paper defines it. It opens from the help, from the legend and
//! from the words on the page that name an entry (the inspector's field
//! names), scrolled to that entry (`#glossary-<id>`, `data-glossary-term`).
//!
//! Plain functions, not components: each component costs the page its own
//! compiled copy of Yew's machinery, and these draw a few elements each.

use crate::i18n::Lang;
use crate::run::view::GlossaryEntry;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// What the page's words need to link to the glossary: its entries and how
/// to open it (at an entry, or at its top).
#[derive(Clone)]
pub struct GlossaryLinks {
    pub entries: &'static [GlossaryEntry],
    pub open: Callback<Option<&'static str>>,
}

impl PartialEq for GlossaryLinks {
    /// The entries are the protocol's, fixed: the same slice is the same glossary.
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.entries, other.entries) && self.open == other.open
    }
}

/// The entry a word of the page names: an inspector field's key (`log`,
/// `nextIndex`) or the paper's name (`nextIndex[]`).
pub fn find(entries: &'static [GlossaryEntry], word: &str) -> Option<&'static GlossaryEntry> {
    let word = word.trim_end_matches("[]");
    entries
        .iter()
        .find(|e| e.id == word || e.paper.trim_end_matches("[]") == word)
}

/// A word of the page: a link to its glossary entry (its definition as a
/// tooltip) if the glossary has one, else the word alone.
pub fn term(links: Option<&GlossaryLinks>, lang: Lang, name: &str, label: &str) -> Html {
    let Some((open, entry)) = links.and_then(|l| find(l.entries, name).map(|e| (&l.open, e)))
    else {
        return html! { label };
    };
    let id = entry.id;
    let open = open.clone();
    let onclick = Callback::from(move |e: MouseEvent| {
        // A click inside a menu or an inspector opens the glossary only.
        e.stop_propagation();
        open.emit(Some(id));
    });
    html! {
        <button type="button" class="gloss-link" data-glossary-link={id}
            title={lang.t(entry.definition.0, entry.definition.1)} {onclick}>{ label }</button>
    }
}

/// A button that opens the glossary at its top (`data-glossary-open` says
/// where it is), after `before` (the help closes itself); nothing if the
/// protocol has no glossary.
pub fn open_button(
    links: Option<&GlossaryLinks>,
    lang: Lang,
    from: &'static str,
    before: Option<Callback<()>>,
) -> Html {
    let Some(open) = links
        .filter(|l| !l.entries.is_empty())
        .map(|l| l.open.clone())
    else {
        return html! {};
    };
    let onclick = Callback::from(move |e: MouseEvent| {
        e.stop_propagation();
        if let Some(before) = &before {
            before.emit(());
        }
        open.emit(None);
    });
    html! {
        <button type="button" class="glossary-open" data-glossary-open={from} {onclick}>
            { lang.t("Glossary", "术语表") }
        </button>
    }
}

/// Scrolls the open glossary to the entry asked for and moves the focus
/// there (or to the panel, opened at its top).
pub fn show(panel: &NodeRef, target: Option<&'static str>) {
    let Some(panel) = panel.cast::<web_sys::Element>() else {
        return;
    };
    let found = target.and_then(|id| {
        panel
            .query_selector(&format!("[data-glossary-term=\"{id}\"]"))
            .ok()
            .flatten()
    });
    let el = found.unwrap_or(panel);
    el.scroll_into_view();
    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// The glossary's panel, beside the page (it covers neither the ring nor
/// what was clicked; Escape or × closes it).
pub fn panel(
    entries: &'static [GlossaryEntry],
    target: Option<&'static str>,
    lang: Lang,
    on_close: &Callback<()>,
    node: NodeRef,
) -> Html {
    let close = on_close.reform(|_: MouseEvent| ());
    let onkeydown = {
        let on_close = on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                // The glossary only: the menu or inspector it was opened from stays.
                e.stop_propagation();
                on_close.emit(());
            }
        })
    };
    let entries = entries.iter().map(|e| {
        let current = target == Some(e.id);
        html! {
            <article id={format!("glossary-{}", e.id)} data-glossary-term={e.id}
                data-current={current.to_string()} tabindex="-1"
                class={classes!("entry", current.then_some("current"))}>
                <h3>
                    <span class="words">{ lang.t(e.term.0, e.term.1) }</span>
                    <span class="names">
                        <code lang="en">{ e.paper }</code>
                        if lang == Lang::En {
                            <span lang="zh-Hans">{ e.term.1 }</span>
                        }
                    </span>
                </h3>
                <p>{ lang.t(e.definition.0, e.definition.1) }</p>
                <p class="source">{ lang.t("In the paper: ", "论文出处：") }{ lang.t(e.source.0, e.source.1) }</p>
            </article>
        }
    });
    html! {
        <section class="glossary" data-glossary="" role="dialog" aria-labelledby="glossary-title"
            tabindex="-1" ref={node} {onkeydown}>
            <header>
                <h2 id="glossary-title">{ lang.t("Glossary", "术语表") }</h2>
                <button type="button" class="close" aria-label={lang.t("Close the glossary", "关闭术语表")} onclick={close}>{ "×" }</button>
            </header>
            <div class="entries">{ for entries }</div>
        </section>
    }
}

//! The glossary: the protocol's words, each with the paper's name for it,
//! the Chinese term beside the paper's English one, a plain definition and
//! where the paper defines it. It opens from the help, from the legend and
//! from the words on the page that name an entry (the inspector's field
//! names), scrolled to that entry (`#glossary-<id>`, `data-glossary-term`).

use crate::i18n::use_lang;
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

#[derive(Properties, PartialEq)]
pub struct GlossaryTermProps {
    /// The key or paper name it may be an entry of.
    pub name: AttrValue,
    /// What the page shows.
    pub label: AttrValue,
}

/// A word of the page: a link to its glossary entry (its definition as a
/// tooltip) if the glossary has one, else the word alone.
#[component]
pub fn GlossaryTerm(props: &GlossaryTermProps) -> Html {
    let lang = use_lang();
    let links = use_context::<GlossaryLinks>();
    let found = links
        .as_ref()
        .and_then(|l| find(l.entries, &props.name).map(|e| (l.open.clone(), e)));
    match found {
        Some((open, entry)) => {
            let id = entry.id;
            let onclick = Callback::from(move |e: MouseEvent| {
                // A click inside a menu or an inspector opens the glossary only.
                e.stop_propagation();
                open.emit(Some(id));
            });
            html! {
                <button type="button" class="gloss-link" data-glossary-link={id}
                    title={lang.t(entry.definition.0, entry.definition.1)} {onclick}>
                    { props.label.clone() }
                </button>
            }
        }
        None => html! { { props.label.clone() } },
    }
}

/// A button that opens the glossary at its top, if the protocol has one.
#[derive(Properties, PartialEq)]
pub struct GlossaryButtonProps {
    /// Where it is, for `data-glossary-open` (`help`, `legend`).
    pub from: &'static str,
    /// Called before it opens (the help closes itself).
    #[prop_or_default]
    pub before: Option<Callback<()>>,
}

#[component]
pub fn GlossaryButton(props: &GlossaryButtonProps) -> Html {
    let lang = use_lang();
    let Some(links) = use_context::<GlossaryLinks>().filter(|l| !l.entries.is_empty()) else {
        return html! {};
    };
    let before = props.before.clone();
    let onclick = Callback::from(move |e: MouseEvent| {
        e.stop_propagation();
        if let Some(before) = &before {
            before.emit(());
        }
        links.open.emit(None);
    });
    html! {
        <button type="button" class="glossary-open" data-glossary-open={props.from} {onclick}>
            { lang.t("Glossary", "术语表") }
        </button>
    }
}

#[derive(Properties, PartialEq)]
pub struct GlossaryProps {
    pub entries: &'static [GlossaryEntry],
    /// The entry to show, or none for the top.
    pub target: Option<&'static str>,
    pub on_close: Callback<()>,
}

/// The glossary's panel, beside the page (it covers neither the ring nor
/// what was clicked, and Escape or × closes it).
#[component]
pub fn Glossary(props: &GlossaryProps) -> Html {
    let lang = use_lang();
    let panel = use_node_ref();
    {
        // Scroll to the entry asked for and move the focus there (or to the panel).
        let panel = panel.clone();
        use_effect_with(props.target, move |target| {
            let Some(panel) = panel.cast::<web_sys::Element>() else {
                return;
            };
            let found = match target {
                Some(id) => panel
                    .query_selector(&format!("[data-glossary-term=\"{id}\"]"))
                    .ok()
                    .flatten(),
                None => None,
            };
            let el = found.unwrap_or(panel);
            el.scroll_into_view();
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    let close = props.on_close.reform(|_: MouseEvent| ());
    let onkeydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                on_close.emit(());
            }
        })
    };
    let entries = props.entries.iter().map(|e| {
        let current = props.target == Some(e.id);
        let words = lang.t(e.term.0, e.term.1);
        html! {
            <article id={format!("glossary-{}", e.id)} data-glossary-term={e.id}
                data-current={current.to_string()} tabindex="-1"
                class={classes!("entry", current.then_some("current"))}>
                <h3>
                    <span class="words">{ words }</span>
                    <span class="names">
                        <code lang="en">{ e.paper }</code>
                        <span lang="zh-Hans">{ e.term.1 }</span>
                    </span>
                </h3>
                <p>{ lang.t(e.definition.0, e.definition.1) }</p>
                <p class="source">{ lang.t("In the paper: ", "论文出处：") }{ lang.t(e.source.0, e.source.1) }</p>
            </article>
        }
    });
    html! {
        <section class="glossary" data-glossary="" role="dialog" aria-labelledby="glossary-title"
            tabindex="-1" ref={panel} {onkeydown}>
            <header>
                <h2 id="glossary-title">{ lang.t("Glossary", "术语表") }</h2>
                <button type="button" class="close" aria-label={lang.t("Close the glossary", "关闭术语表")} onclick={close}>{ "×" }</button>
            </header>
            <div class="entries">{ for entries }</div>
        </section>
    }
}

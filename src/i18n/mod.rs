//! The page's languages: English and Simplified Chinese.
//!
//! Every text on the page is written in both, side by side where it is used:
//! `lang.t("Pause", "暂停")`, or a [`Text`] holding both when the text is made
//! before it is shown (the feed, notices) so that switching the language
//! rewords what is already on the page. Components read the language from a
//! Yew context ([`use_lang`]); the page provides it from `lang=` or the switch.

mod errors;

pub use errors::{share_error, share_error_in, sim_error, Medium};
pub use quorum_sim::scenario::Text;
use quorum_sim::{node_name, NodeId};
use yew::prelude::*;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The code in `lang=` and in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The HTML language tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-Hans",
        }
    }

    /// The language's name in itself, for the switch.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "中文",
        }
    }

    /// `en`, `zh` and the usual tags for them (`en-US`, `zh-CN`, `zh-Hans`, ...).
    pub fn parse(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        let primary = code.split(['-', '_']).next().unwrap_or("");
        match primary {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// This language's one of two texts.
    pub fn t<T>(self, en: T, zh: T) -> T {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }

    /// This language's text of a [`Text`].
    pub fn of(self, text: &Text) -> &str {
        match self {
            Lang::En => &text.en,
            Lang::Zh => &text.zh,
        }
    }
}

/// A [`Text`] from its two languages.
pub fn text(en: impl Into<String>, zh: impl Into<String>) -> Text {
    Text {
        en: en.into(),
        zh: zh.into(),
    }
}

/// The language the page speaks now.
#[hook]
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// Changes the page's language (a context next to [`Lang`]'s).
#[derive(Clone, PartialEq)]
pub struct SetLang(pub Callback<Lang>);

/// The language switch: a button per language, the current one pressed.
#[component]
pub fn LangSwitch() -> Html {
    let lang = use_lang();
    let set = use_context::<SetLang>();
    let buttons = Lang::ALL.into_iter().map(|l| {
        let onclick = set
            .clone()
            .map(|s| Callback::from(move |_: MouseEvent| s.0.emit(l)));
        html! {
            <button type="button" lang={l.tag()} aria-pressed={(l == lang).to_string()}
                data-lang-option={l.code()} {onclick}>{ l.name() }</button>
        }
    });
    html! {
        <div class="lang-switch" role="group" aria-label={lang.t("Language", "语言")} data-lang={lang.code()}>
            { for buttons }
        </div>
    }
}

/// The browser's preferred language, if the page speaks it.
pub fn browser_lang() -> Option<Lang> {
    web_sys::window()?
        .navigator()
        .language()
        .as_deref()
        .and_then(Lang::parse)
}

/// Servers in words: `S1`, `S1 and S2`, `S1, S2 and S3`; in Chinese
/// `S1、S2 和 S3`.
pub fn names(lang: Lang, nodes: &[NodeId]) -> String {
    let names: Vec<String> = nodes.iter().map(|&n| node_name(n)).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => match lang {
            Lang::En => format!("{} and {last}", rest.join(", ")),
            Lang::Zh => format!("{} 和 {last}", rest.join("、")),
        },
    }
}

/// The words in Latin letters in a Chinese text that are not names the
/// page keeps in Latin letters: server names (S1), the paper's names in
/// `names`, and one-letter keys (x←1). Empty when the text reads in Chinese.
#[cfg(test)]
pub fn english_in(zh: &str, names: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = zh;
    while let Some(start) = rest.find(|c: char| c.is_ascii_alphabetic()) {
        let word = &rest[start..];
        let end = word
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(word.len());
        let after = word[end..].chars().next();
        let (word, next) = (&word[..end], &word[end..]);
        let server = word == "S" && after.is_some_and(|c| c.is_ascii_digit());
        let key = word.len() == 1 && word != "S";
        if !server && !key && !names.contains(&word) {
            found.push(word.to_string());
        }
        rest = next;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_read_by_their_primary_part() {
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("zh_Hans"), Some(Lang::Zh));
        assert_eq!(Lang::parse("EN-gb"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.code()), Some(lang));
            assert_eq!(Lang::parse(lang.tag()), Some(lang));
        }
    }

    #[test]
    fn names_read_as_a_list() {
        assert_eq!(names(Lang::En, &[]), "");
        assert_eq!(names(Lang::En, &[2]), "S3");
        assert_eq!(names(Lang::En, &[0, 2]), "S1 and S3");
        assert_eq!(names(Lang::En, &[0, 1, 2]), "S1, S2 and S3");
        assert_eq!(names(Lang::Zh, &[2]), "S3");
        assert_eq!(names(Lang::Zh, &[0, 1, 2]), "S1、S2 和 S3");
    }

    #[test]
    fn english_in_a_chinese_text_is_found_but_names() {
        assert!(english_in("S1 的 currentTerm 为 2，x←1", &["currentTerm"]).is_empty());
        assert_eq!(english_in("S1 is 任期 2", &[]), ["is"]);
        assert_eq!(english_in("Sx 已崩溃", &[]), ["Sx"]);
    }

    #[test]
    fn t_picks_the_language() {
        assert_eq!(Lang::En.t("Pause", "暂停"), "Pause");
        assert_eq!(Lang::Zh.t("Pause", "暂停"), "暂停");
        assert_eq!(Lang::Zh.of(&text("a", "甲")), "甲");
    }
}

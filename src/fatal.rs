//! A panic in the app shows on the page, not only in the console.

use crate::i18n::{browser_lang, Lang};
use std::panic::PanicHookInfo;

/// Installs the hook through Yew: a hook set with `std::panic::set_hook` would
/// be replaced by Yew's own (console only) when the app is rendered.
pub fn install_panic_hook() {
    yew::set_custom_panic_hook(Box::new(|info: &PanicHookInfo| {
        console_error_panic_hook::hook(info);
        show(&info.to_string());
    }));
}

/// Writes the message into a `[data-fatal-error]` element at the top of the page.
fn show(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else {
        return;
    };
    let Ok(element) = document.create_element("div") else {
        return;
    };
    let _ = element.set_attribute("data-fatal-error", "");
    let _ = element.set_attribute("role", "alert");
    element.set_class_name("fatal-error");
    let chinese = page_lang(&document) == Lang::Zh;
    element.set_text_content(Some(&fatal_message(chinese, message)));
    let _ = body.prepend_with_node_1(&element);
}

/// The page's language, without hooks: once the page has rendered it keeps
/// `<html lang>` in step with its language; a panic before that (in the first
/// render) goes by the rule the page would have used: `lang=`, else the
/// browser's language.
fn page_lang(document: &web_sys::Document) -> Lang {
    let rendered = document
        .query_selector("[data-app]")
        .ok()
        .flatten()
        .is_some();
    if rendered {
        return document
            .document_element()
            .and_then(|root| root.get_attribute("lang"))
            .and_then(|tag| Lang::parse(&tag))
            .unwrap_or_default();
    }
    let asked = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|query| {
            query
                .trim_start_matches('?')
                .split('&')
                .find_map(|pair| pair.strip_prefix("lang="))
                .and_then(Lang::parse)
        });
    asked.or_else(browser_lang).unwrap_or_default()
}

/// The panic's own message stays as Rust wrote it (English); the words around
/// it are in the page's language.
fn fatal_message(chinese: bool, message: &str) -> String {
    if chinese {
        format!("Quorum 因程序错误而停止：{message}。请重新加载页面，重新开始。")
    } else {
        format!("Quorum stopped because of a bug: {message}. Reload the page to start again.")
    }
}

#[cfg(test)]
mod tests {
    use super::fatal_message;

    #[test]
    fn the_fatal_message_is_in_the_pages_language() {
        assert_eq!(
            fatal_message(false, "boom"),
            "Quorum stopped because of a bug: boom. Reload the page to start again."
        );
        assert!(fatal_message(true, "boom").starts_with("Quorum 因程序错误而停止：boom"));
    }
}

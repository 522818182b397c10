//! A panic in the app shows on the page, not only in the console.

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
    element.set_text_content(Some(&format!(
        "Quorum stopped because of a bug: {message}. Reload the page to start again."
    )));
    let _ = body.prepend_with_node_1(&element);
}

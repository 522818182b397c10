//! Fetching a file of the site (a scenario, the list of scenarios) when it
//! is wanted, so that a page's first load carries none of them.

use crate::i18n::{text, Text};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Fetches `url` (relative to the page) and calls `done` with its bytes, or
/// with why it could not be had, in words.
pub fn fetch_bytes(url: &str, done: impl FnOnce(Result<Vec<u8>, Text>) + 'static) {
    let url = url.to_string();
    wasm_bindgen_futures::spawn_local(async move { done(get(&url).await) });
}

async fn get(url: &str) -> Result<Vec<u8>, Text> {
    let unreachable = || {
        text(
            format!("{url} could not be loaded (is the network down?)"),
            format!("无法加载 {url}（网络是否断开了？）"),
        )
    };
    let window = web_sys::window().ok_or_else(unreachable)?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| unreachable())?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| unreachable())?;
    if !response.ok() {
        let status = response.status();
        return Err(text(
            format!("{url} could not be loaded (the server answered {status})"),
            format!("无法加载 {url}（服务器返回 {status}）"),
        ));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(|_| unreachable())?)
        .await
        .map_err(|_| unreachable())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

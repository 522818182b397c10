//! The browser's `localStorage`, which may be missing or throw on any use
//! (a sandboxed iframe, a privacy mode, a full quota): every failure reads
//! as "nothing stored" and a write that fails is dropped.

use wasm_bindgen::{JsCast, JsValue};

fn storage() -> Option<JsValue> {
    let window = web_sys::window()?;
    // Reading the property itself throws where storage is denied.
    let storage = js_sys::Reflect::get(&window, &JsValue::from_str("localStorage")).ok()?;
    (!storage.is_null() && !storage.is_undefined()).then_some(storage)
}

fn call(storage: &JsValue, method: &str, args: &[&str]) -> Option<JsValue> {
    let f = js_sys::Reflect::get(storage, &JsValue::from_str(method))
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let result = match args {
        [a] => f.call1(storage, &JsValue::from_str(a)),
        [a, b] => f.call2(storage, &JsValue::from_str(a), &JsValue::from_str(b)),
        _ => return None,
    };
    result.ok()
}

/// The value stored under `key`, if storage can be read and has one.
pub fn stored(key: &str) -> Option<String> {
    call(&storage()?, "getItem", &[key])?.as_string()
}

/// Stores `value` under `key`; true if the browser took it.
pub fn store(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| call(&s, "setItem", &[key, value]).is_some())
}

//! "Export" writes the run to a JSON file; "Import" reads one (a file picker;
//! a file dropped anywhere on the page does the same, see `use_file_drop`).

use crate::i18n::use_lang;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RunFileButtonsProps {
    pub on_export: Callback<()>,
    /// A file's bytes, once read.
    pub on_import: Callback<Vec<u8>>,
}

#[component]
pub fn RunFileButtons(props: &RunFileButtonsProps) -> Html {
    let lang = use_lang();
    let export = {
        let on_export = props.on_export.clone();
        Callback::from(move |_: MouseEvent| on_export.emit(()))
    };
    let input = use_node_ref();
    let pick = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = input.cast::<web_sys::HtmlInputElement>() {
                input.click();
            }
        })
    };
    let chosen = {
        let on_import = props.on_import.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                read_file(&file, on_import.clone());
            }
            // Choosing the same file again must fire again.
            input.set_value("");
        })
    };
    html! {
        <span class="run-file">
            <button type="button" onclick={export} data-export=""
                title={lang.t("Save this run (every action and the moment shown) as a JSON file",
                    "把这次运行（所有操作和当前时刻）保存为 JSON 文件")}>
                { lang.t("Export", "导出") }
            </button>
            <button type="button" onclick={pick}
                title={lang.t("Open a run saved with Export (or drop the file on the page)",
                    "打开用“导出”保存的运行（也可以把文件拖到页面上）")}>
                { lang.t("Import…", "导入…") }
            </button>
            <input ref={input} type="file" accept=".json,application/json" class="sr-only"
                tabindex="-1" aria-hidden="true" aria-label={lang.t("Run file to import", "要导入的运行文件")}
                onchange={chosen} data-import-input="" />
        </span>
    }
}

/// Reads a file's bytes and hands them to `done` (nothing if reading fails:
/// the browser has already said why, and there is nothing to show).
pub fn read_file(file: &web_sys::File, done: Callback<Vec<u8>>) {
    use wasm_bindgen::prelude::*;
    let Ok(reader) = web_sys::FileReader::new() else {
        return;
    };
    let onload = {
        let reader = reader.clone();
        Closure::once(move |_: web_sys::ProgressEvent| {
            if let Ok(buffer) = reader.result() {
                done.emit(js_sys::Uint8Array::new(&buffer).to_vec());
            }
        })
    };
    reader.set_onload(Some(onload.as_ref().unchecked_ref()));
    // The reader keeps the closure until it has fired, once.
    onload.forget();
    let _ = reader.read_as_array_buffer(file);
}

/// Offers `json` as a download called `name`.
pub fn download(name: &str, json: &str) {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(json));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

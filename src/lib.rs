//! Quorum: consensus protocols running for real in the browser, drawn as
//! they run.
//!
//! The page is compiled once for every protocol: [`app`] and [`state`] talk
//! to a running protocol only through [`run::Run`], and [`ui`] draws plain
//! view models. Each protocol is one folder of [`protocols`], listed in
//! [`registry`], and built into its own bundle (its `main.rs` calls
//! [`start`] with its page), so a page carries only its protocol.

pub mod app;
pub mod feed;
pub mod fetch;
pub mod hooks;
pub mod i18n;
pub mod protocols;
pub mod registry;
pub mod run;
pub mod runfile;
pub mod scenarios;
pub mod state;
pub mod ui;
pub mod url;

mod fatal;

#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Starts the page of one protocol.
pub fn start(page: &'static dyn run::Page) {
    fatal::install_panic_hook();
    yew::Renderer::<app::App>::with_props(app::AppProps { page }).render();
}

//! Quorum: Raft running for real in the browser, drawn as it runs.

mod app;
mod claims;
mod components;
mod fatal;
mod feed;
mod hooks;
mod i18n;
mod protocols;
mod runfile;
mod scenarios;
mod state;
mod url;

fn main() {
    fatal::install_panic_hook();
    yew::Renderer::<app::App>::new().render();
}

//! Custom hooks: the animation clock, the keyboard, dismissing popovers,
//! dropped files, whether the page is in view, and `localStorage`.

mod clock;
mod dismiss;
mod drop;
mod in_view;
mod keyboard;
pub mod storage;

pub use clock::use_animation_clock;
pub use dismiss::use_dismiss_on_outside_click;
pub use drop::use_file_drop;
pub use in_view::use_in_view;
pub use keyboard::use_keyboard;

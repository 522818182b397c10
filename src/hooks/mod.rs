//! Custom hooks: the animation clock, the keyboard and dismissing popovers.

mod clock;
mod dismiss;
mod keyboard;

pub use clock::use_animation_clock;
pub use dismiss::use_dismiss_on_outside_click;
pub use keyboard::use_keyboard;

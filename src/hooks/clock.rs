//! The animation clock: one `requestAnimationFrame` callback per frame while
//! the run plays and the tab is visible; nothing scheduled otherwise.

use gloo_events::EventListener;
use gloo_render::{request_animation_frame, AnimationFrame};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

/// Calls `on_frame` with the real milliseconds since the previous frame, on
/// every animation frame while `running` is true and the page is visible.
/// The first frame after a start reports nothing, so a pause or a hidden tab
/// never turns into one huge step.
#[hook]
pub fn use_animation_clock(running: bool, on_frame: Callback<f64>) {
    let visible = use_page_visible();
    // The loop reads the newest callback without being restarted for it.
    let latest = use_mut_ref(|| on_frame.clone());
    *latest.borrow_mut() = on_frame;
    use_effect_with(running && visible, move |active| {
        let frames = active.then(|| FrameLoop::start(latest));
        // Dropping the loop cancels its pending frame.
        move || drop(frames)
    });
}

/// Whether the page is visible (`document.hidden` is false), kept up to date.
#[hook]
fn use_page_visible() -> bool {
    let visible = use_state(|| !document_hidden());
    {
        let visible = visible.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().and_then(|w| w.document()).map(|doc| {
                EventListener::new(&doc, "visibilitychange", move |_| {
                    visible.set(!document_hidden())
                })
            });
            move || drop(listener)
        });
    }
    *visible
}

fn document_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

struct FrameLoop {
    on_frame: Rc<RefCell<Callback<f64>>>,
    last: Cell<Option<f64>>,
    pending: RefCell<Option<AnimationFrame>>,
    /// The handle of the frame now running, kept until the next one runs so a
    /// callback never drops its own closure.
    running: RefCell<Option<AnimationFrame>>,
}

impl FrameLoop {
    fn start(on_frame: Rc<RefCell<Callback<f64>>>) -> Rc<Self> {
        let frames = Rc::new(FrameLoop {
            on_frame,
            last: Cell::new(None),
            pending: RefCell::new(None),
            running: RefCell::new(None),
        });
        frames.schedule();
        frames
    }

    fn schedule(self: &Rc<Self>) {
        let weak = Rc::downgrade(self);
        let handle = request_animation_frame(move |timestamp| {
            if let Some(frames) = weak.upgrade() {
                frames.frame(timestamp);
            }
        });
        let spent = self.pending.replace(Some(handle));
        *self.running.borrow_mut() = spent;
    }

    fn frame(self: &Rc<Self>, timestamp: f64) {
        if let Some(last) = self.last.replace(Some(timestamp)) {
            let on_frame = self.on_frame.borrow().clone();
            on_frame.emit(timestamp - last);
        }
        self.schedule();
    }
}

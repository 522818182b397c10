//! One component per visible thing, each drawn from plain view models, so
//! one of each serves every protocol.

pub mod controls;
pub mod event_feed;
pub mod faults;
pub mod glossary;
pub mod help;
pub mod inspector;
pub mod legend;
pub mod log_matrix;
pub mod messages;
pub mod narration;
pub mod node_menu;
pub mod num;
pub mod ring;
pub mod run_file;
pub mod scenario_menu;
pub mod server;
pub mod slot_table;
pub mod status_bar;
pub mod switches;
pub mod timeline_bar;
pub mod tour;

use std::rc::Rc;

/// Shared data for a component's props, compared by identity: built again
/// only when what it shows changed, so equal pointers mean nothing to redraw.
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Shared<T> {
    pub fn new(value: T) -> Self {
        Shared(Rc::new(value))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// SVG coordinates with one decimal: enough for the eye, short in the DOM.
pub fn fmt(v: f64) -> String {
    num::fixed(v, 1)
}

/// A stable colour for each term, so entries and messages of one term match.
/// The term number is always written next to it: colour is never the only cue.
pub fn term_colour(term: u64) -> &'static str {
    const PALETTE: [&str; 10] = [
        "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1", "#edc948", "#ff9da7",
        "#9c755f", "#8c8c8c",
    ];
    if term == 0 {
        return "#cbd5e1";
    }
    PALETTE[((term - 1) % PALETTE.len() as u64) as usize]
}

/// Virtual microseconds as people read them: milliseconds up to a second, then seconds.
pub fn format_time(micros: f64) -> String {
    let ms = micros / 1000.0;
    if ms < 1000.0 {
        format!("{} ms", num::fixed(ms, 1))
    } else {
        format!("{} s", num::fixed(ms / 1000.0, 3))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_in_milliseconds_then_seconds() {
        assert_eq!(format_time(191_500.0), "191.5 ms");
        assert_eq!(format_time(13_011_800.0), "13.012 s");
    }

    #[test]
    fn every_term_has_a_colour_and_terms_ten_apart_share_it() {
        assert_eq!(term_colour(1), term_colour(11));
        assert_ne!(term_colour(1), term_colour(2));
    }
}

//! The vocabulary of the EP process: states and the lifecycle, dates, planning increments, EP
//! numbers and references, safe links. Nothing here reads a file or knows about mdBook.

pub(crate) mod calendar;
mod date;
mod reference;
mod state;
mod url;

pub use date::Date;
pub(crate) use reference::{Reference, ep_label, folder_number};
pub use state::State;
pub(crate) use url::is_safe_url;

/// A person's handle as compared: without `@`, surrounding spaces or case.
pub(crate) fn person_key(handle: &str) -> String {
    handle.trim().trim_start_matches('@').to_lowercase()
}

/// Handles compare without `@` and without regard to case: `@Ana` and `ana` are one person.
pub(crate) fn same_person(a: &str, b: &str) -> bool {
    person_key(a) == person_key(b)
}

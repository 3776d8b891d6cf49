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

//! The shape of the book's EP part: which generated pages exist and where (`structure`), and
//! the same structure written as SUMMARY.md lines (`summary`).

pub(crate) mod structure;
pub(crate) mod summary;

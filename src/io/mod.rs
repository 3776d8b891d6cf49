//! What mdbook-ep asks of the system besides reading files: writing a file safely, taking a
//! book's lock, and asking git.

pub(crate) mod fs;
pub(crate) mod git;
pub(crate) mod lock;

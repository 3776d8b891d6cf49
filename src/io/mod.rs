//! What mdbook-ep asks of the system besides reading files: writing a file safely, taking a
//! book's lock, keeping a signal from cutting a change in two, asking git, and how many cores to
//! use.

pub(crate) mod fs;
pub(crate) mod git;
pub(crate) mod interrupt;
pub(crate) mod lock;
pub(crate) mod workers;

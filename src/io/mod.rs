//! The two things mdbook-ep asks of the system besides reading files: writing a file safely,
//! and asking git.

pub(crate) mod fs;
pub(crate) mod git;

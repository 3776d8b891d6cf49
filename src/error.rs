//! The one error type for failures that stop mdbook-ep before it can report EP problems.
//!
//! Problems *in* EPs are [`crate::diagnostic::Diagnostic`]s, collected and reported all at once.
//! An [`Error`] is for what prevents that collection: a configuration that cannot be read, an
//! input that is not what mdBook sends, an I/O failure outside the EPs. Each variant carries a
//! stable code so users (and tests) can tell them apart without matching on prose.

use std::path::PathBuf;

/// A failure that aborts the current command.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// `[preprocessor.ep]` (or another table we read) does not deserialize.
    #[error("error[EP0001]: invalid configuration in `{table}`: {message}\nhelp: {help}")]
    Config {
        /// The table, e.g. `preprocessor.ep`.
        table: String,
        /// What is wrong.
        message: String,
        /// How to fix it.
        help: String,
    },
    /// mdBook's version is outside the range this build understands.
    #[error(
        "error[EP0007]: mdbook-ep {ours} supports mdBook 0.5.x, found {found}\nhelp: use mdBook 0.5 (`cargo install mdbook --version ^0.5`) or an mdbook-ep release made for mdBook {found}"
    )]
    UnsupportedMdbook {
        /// This build's version.
        ours: String,
        /// The calling mdBook's version.
        found: String,
    },
    /// What mdBook wrote on stdin is not `[context, book]`.
    #[error(
        "error[EP0008]: cannot read the book mdBook sent on stdin: {0}\nhelp: run mdbook-ep through `mdbook build`, or use `mdbook-ep build` to build a book directly"
    )]
    Protocol(String),
    /// Reading or writing a file failed.
    #[error("error[EP0004]: cannot {action} `{path}`: {source}")]
    Io {
        /// What was being done: `read`, `write`, ...
        action: &'static str,
        /// The file.
        path: PathBuf,
        #[source]
        /// What the system said.
        source: std::io::Error,
    },
    /// The book has error-level problems; they were already printed.
    #[error("error[EP0009]: {} in enhancement proposals", crate::text::count(*.errors, "error", "errors"))]
    Invalid {
        /// How many errors.
        errors: usize,
    },
    /// A generated file differs from what is on disk (`--check`).
    #[error("error[EP0012]: `{path}` is out of date\nhelp: run `{fix}` and commit the result")]
    Stale {
        /// The stale file.
        path: PathBuf,
        /// The command that brings it up to date.
        fix: String,
    },
    /// Some files could not be updated safely and were left as they were.
    #[error("error[EP0013]: {} left untouched; fix the problems above and run again", crate::text::count(*.files, "file", "files"))]
    Untouched {
        /// How many files.
        files: usize,
    },
    /// A command refused to act; nothing was written.
    #[error("error[EP0014]: {message}\nhelp: {help}")]
    Refused {
        /// Why.
        message: String,
        /// What to do instead.
        help: String,
    },
    /// git is missing or failed.
    #[error("error[EP0015]: {0}")]
    Git(String),
    /// A signal (Ctrl-C) arrived while the change was being prepared; nothing was written.
    #[error("error[EP0016]: interrupted; nothing was changed")]
    Interrupted,
    /// mdBook's own loader or renderer failed. mdBook reports through `anyhow`; only its
    /// rendered chain (`outer: inner: root`) is kept, so this type does not depend on which
    /// `anyhow` version mdBook uses.
    #[error("error[EP0010]: mdBook failed: {0}")]
    Mdbook(String),
}

impl Error {
    /// The stable code of this failure, as documented in the book's error index.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Config { .. } => "EP0001",
            Error::Io { .. } => "EP0004",
            Error::UnsupportedMdbook { .. } => "EP0007",
            Error::Protocol(_) => "EP0008",
            Error::Invalid { .. } => "EP0009",
            Error::Mdbook(_) => "EP0010",
            Error::Stale { .. } => "EP0012",
            Error::Untouched { .. } => "EP0013",
            Error::Refused { .. } => "EP0014",
            Error::Git(_) => "EP0015",
            Error::Interrupted => "EP0016",
        }
    }

    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        Error::Io {
            action,
            path: shown(&path.into()).to_path_buf(),
            source,
        }
    }

    /// EP0012 for `path`, which `fix` brings up to date.
    pub(crate) fn stale(path: impl Into<PathBuf>, fix: String) -> Self {
        Error::Stale {
            path: shown(&path.into()).to_path_buf(),
            fix,
        }
    }

    pub(crate) fn mdbook(err: impl std::fmt::Display) -> Self {
        Error::Mdbook(format!("{err:#}"))
    }
}

/// Result with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A path as messages show it: without a leading `./` (the current folder is where paths are
/// relative to anyway); the current folder itself stays `.`. Every message and command uses
/// this one rule.
pub(crate) fn shown(path: &std::path::Path) -> &std::path::Path {
    match path.strip_prefix(".") {
        Ok(rest) if !rest.as_os_str().is_empty() => rest,
        _ => path,
    }
}

//! `mdbook-ep toc`.

use std::path::{Path, PathBuf};

use codespan_reporting::term::termcolor::StandardStream;

use crate::change::toc::{Anchors, Outcome, files, update};
use crate::diagnostic::{Sources, color_choice, emit_human};
use crate::error::{Error, Result};
use crate::io::fs::write_all_or_nothing;
use crate::io::lock::BookLock;

/// Whose anchor rules the links follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum AnchorsArg {
    /// GitHub's heading anchors, for reading on the code host.
    Github,
    /// mdBook's heading ids, for files read only in the book.
    Mdbook,
}

#[derive(clap::Args, Debug)]
pub(super) struct TocArgs {
    /// Files or folders; default: every EP of the book.
    paths: Vec<PathBuf>,
    /// Rewrite stale files in place (only the bytes between the markers).
    #[arg(long, conflicts_with = "check")]
    write: bool,
    /// List stale files and exit 1 (for CI).
    #[arg(long)]
    check: bool,
    /// Anchor rules: the code host's (default) or mdBook's.
    #[arg(long, value_enum, default_value = "github")]
    anchors: AnchorsArg,
}

impl TocArgs {
    /// Fails when a file has a broken marker or, with `--check`, when a file is stale.
    pub(super) fn run(self, dir: &Path) -> Result<()> {
        let anchors = match self.anchors {
            AnchorsArg::Github => Anchors::Github,
            AnchorsArg::Mdbook => Anchors::Mdbook,
        };
        let _lock = self.write.then(|| BookLock::acquire(dir)).transpose()?;
        let (files, cfg) = files(dir, &self.paths)?;
        let mut stale = Vec::new();
        let mut broken = Vec::new();
        let mut writes = Vec::new();
        let mut sources = Sources::default();
        for file in &files {
            let text = std::fs::read_to_string(file).map_err(|e| Error::io("read", file, e))?;
            match update(file, &text, anchors, &cfg) {
                Ok(Outcome::Stale(new)) => {
                    if self.write {
                        writes.push((file.clone(), new));
                    } else if self.check {
                        super::out(format_args!("stale {}\n", file.display()))?;
                    } else {
                        super::out(&new)?;
                    }
                    stale.push(file.clone());
                }
                Ok(Outcome::Current) => {
                    if !self.write && !self.check {
                        super::out(&text)?;
                    }
                }
                Ok(Outcome::NoMarkers) => {}
                Err(problem) => {
                    sources.add(file, &text);
                    broken.push(*problem);
                }
            }
        }
        // One change: every current TOC lands, or (on a failure) none does.
        write_all_or_nothing(&writes)?;
        for (file, _) in &writes {
            super::out(format_args!("updated {}\n", file.display()))?;
        }
        if !broken.is_empty() {
            let mut stderr = StandardStream::stderr(color_choice());
            emit_human(&mut stderr, &sources, &broken)
                .map_err(|e| Error::io("write diagnostics to", "stderr", e))?;
            return Err(Error::Untouched {
                files: broken.len(),
            });
        }
        if self.check && !stale.is_empty() {
            return Err(Error::stale(
                stale[0].clone(),
                super::command_for(dir, "toc --write"),
            ));
        }
        Ok(())
    }
}

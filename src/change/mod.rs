//! What the commands decide: a new draft, a state change, a promotion, and the regions of files
//! mdbook-ep keeps current (TOCs, SUMMARY.md, CODEOWNERS, `book.toml`, the baseline). Each decision is made and
//! validated as data before any byte is written, so a refusal leaves the book as it was, and a
//! test can call it without starting a process; the CLI only prints and applies the result.

pub(crate) mod assign;
pub(crate) mod baseline;
#[cfg(feature = "build")]
pub(crate) mod build;
pub(crate) mod codeowners;
pub(crate) mod draft;
pub(crate) mod edit;
pub(crate) mod install;
pub(crate) mod list;
#[cfg(test)]
mod preserve;
pub(crate) mod promote;
pub(crate) mod state;
pub(crate) mod summary;
pub(crate) mod toc;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::io::fs::write_all_or_nothing;
use crate::model::{Reference, ep_label};
use crate::read::ep::Ep;

/// Files a command has decided to write: `(path, new text)`, already validated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Writes(pub Vec<(PathBuf, String)>);

impl Writes {
    /// Writes every file or none: a failure part way restores the files already written.
    pub(crate) fn apply(&self) -> Result<()> {
        write_all_or_nothing(&self.0)
    }
}

/// Finds an EP by number (`42`, `EP-42`) or by the path of its file (as given on the command
/// line, relative to the current folder or to the book in `dir`).
pub(crate) fn find_ep<'a>(eps: &'a [Ep], dir: &Path, which: &str) -> Result<&'a Ep> {
    if let Some(Reference::Ep(n)) = Reference::parse(which, false) {
        return eps
            .iter()
            .find(|e| e.number() == Some(n))
            .ok_or_else(|| Error::Refused {
                message: format!("there is no {}", ep_label(n)),
                help: "give an EP's number or the path of its file".into(),
            });
    }
    let wanted = PathBuf::from(which);
    // The same file, however it was named: relative to the current folder, to the book, or to
    // its source folder, or absolute, through links.
    let real = |p: &Path| p.canonicalize().ok();
    let wanted_real = real(&wanted).or_else(|| real(&dir.join(&wanted)));
    // A numbered EP's folder, or another file in it (its `ep.yaml`), names it too.
    let beside =
        |p: &Path| real(&p.join("README.md")).or_else(|| real(&dir.join(p).join("README.md")));
    let wanted_readme = beside(&wanted).or_else(|| wanted.parent().and_then(beside));
    let named = |e: &Ep| {
        [&e.path, &e.shown]
            .iter()
            .any(|p| **p == wanted || dir.join(p) == wanted)
    };
    let same_file = |e: &Ep| {
        let file = real(&dir.join(&e.shown));
        file.is_some() && (file == wanted_real || file == wanted_readme)
    };
    // As written first; resolving every EP's path is only for when that finds nothing.
    eps.iter()
        .find(|e| named(e))
        .or_else(|| eps.iter().find(|e| same_file(e)))
        .ok_or_else(|| Error::Refused {
            message: format!("`{which}` is not an EP of this book"),
            help: "give an EP's number or the path of its file".into(),
        })
}

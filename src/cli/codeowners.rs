//! `mdbook-ep codeowners`.

use std::path::{Path, PathBuf};

use crate::change::codeowners::{for_book, splice};
use crate::error::{Error, Result};
use crate::io::fs::write_atomic;
use crate::io::lock::BookLock;

#[derive(clap::Args, Debug)]
pub(super) struct CodeownersArgs {
    /// Update the block in this file (default: the repository's .github/CODEOWNERS).
    #[arg(long, num_args = 0..=1, conflicts_with = "check", value_name = "FILE")]
    write: Option<Option<PathBuf>>,
    /// Exit 1 when the block in this file is out of date (for CI).
    #[arg(long, num_args = 0..=1, value_name = "FILE")]
    check: Option<Option<PathBuf>>,
}

impl CodeownersArgs {
    /// Prints the block, or writes/checks it in its file.
    pub(super) fn run(self, dir: &Path) -> Result<()> {
        let _lock = self
            .write
            .is_some()
            .then(|| BookLock::acquire(dir))
            .transpose()?;
        let (block, default_file) = for_book(dir)?;
        match (self.write, self.check) {
            (Some(file), _) => {
                let file = file.unwrap_or(default_file);
                let old = std::fs::read_to_string(&file).unwrap_or_default();
                let new = splice(&old, &block)?;
                if new == old {
                    eprintln!("{} is up to date", file.display());
                    return Ok(());
                }
                if let Some(parent) = file.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
                }
                write_atomic(&file, new.as_bytes())?;
                eprintln!("updated {}", file.display());
            }
            (None, Some(given)) => {
                let fix = match &given {
                    Some(f) => format!("codeowners --write {}", f.display()),
                    None => "codeowners --write".into(),
                };
                let file = given.unwrap_or(default_file);
                let old = std::fs::read_to_string(&file).unwrap_or_default();
                if splice(&old, &block)? != old {
                    return Err(Error::stale(file, super::command_for(dir, &fix)));
                }
                eprintln!("{} is up to date", file.display());
            }
            (None, None) => super::out(&block)?,
        }
        Ok(())
    }
}

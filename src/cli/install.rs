//! `mdbook-ep install`.

use std::path::{Path, PathBuf};

use crate::change::install::plan;
use crate::error::{Error, Result};
use crate::io::fs::write_all_or_nothing;
use crate::io::lock::BookLock;

#[derive(clap::Args, Debug)]
pub(super) struct InstallArgs {
    /// Exit 1 when something would change, without changing it (for CI).
    #[arg(long)]
    check: bool,
}

impl InstallArgs {
    pub(super) fn run(self, dir: &Path) -> Result<()> {
        let _lock = (!self.check).then(|| BookLock::acquire(dir)).transpose()?;
        let install = plan(dir)?;
        if self.check {
            if let Some((path, _)) = install.changed().next() {
                return Err(Error::Stale {
                    path: path.clone(),
                    fix: super::command_for(dir, "install"),
                });
            }
            eprintln!("mdbook-ep is installed in {}", dir.display());
            return Ok(());
        }
        let files: Vec<(PathBuf, &String)> = install
            .changed()
            .map(|(path, text)| (path.clone(), text))
            .collect();
        write_all_or_nothing(&files)?;
        for (path, _) in install.changed() {
            let verb = if *path == install.book_toml.path {
                "updated"
            } else {
                "wrote"
            };
            eprintln!("{verb} {}", path.display());
        }
        Ok(())
    }
}

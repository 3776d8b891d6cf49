//! `mdbook-ep install`.

use std::path::Path;

use crate::change::install::plan;
use crate::error::{Error, Result};
use crate::io::fs::write_atomic;

#[derive(clap::Args, Debug)]
pub(super) struct InstallArgs {
    /// Exit 1 when something would change, without changing it (for CI).
    #[arg(long)]
    check: bool,
}

impl InstallArgs {
    pub(super) fn run(self, dir: &Path) -> Result<()> {
        let install = plan(dir)?;
        if self.check {
            if install.changes() {
                let (toml_path, toml) = &install.book_toml;
                let path = if toml.is_some() {
                    toml_path.clone()
                } else {
                    install.stylesheet.0.clone()
                };
                return Err(Error::Stale {
                    path,
                    fix: "mdbook-ep install".into(),
                });
            }
            eprintln!("mdbook-ep is installed in {}", dir.display());
            return Ok(());
        }
        if let (path, Some(text)) = &install.book_toml {
            write_atomic(path, text.as_bytes())?;
            eprintln!("updated {}", path.display());
        }
        if let (path, Some(text)) = &install.stylesheet {
            write_atomic(path, text.as_bytes())?;
            eprintln!("wrote {}", path.display());
        }
        Ok(())
    }
}

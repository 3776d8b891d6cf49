//! `mdbook-ep summary`.

use std::path::Path;

use codespan_reporting::term::termcolor::StandardStream;

use crate::change::summary::update;
use crate::diagnostic::color_choice;
use crate::error::{Error, Result};
use crate::io::fs::write_atomic;
use crate::io::lock::BookLock;
use crate::model::Date;

#[derive(clap::Args, Debug)]
pub(super) struct SummaryArgs {
    /// Update SUMMARY.md between `<!-- ep:summary -->` and `<!-- /ep:summary -->`.
    #[arg(long, conflicts_with = "check")]
    write: bool,
    /// Exit 1 and show a diff when SUMMARY.md is out of date (for CI).
    #[arg(long)]
    check: bool,
}

impl SummaryArgs {
    /// Prints SUMMARY.md as it should be, or writes or checks it.
    pub(super) fn run(self, dir: &Path) -> Result<()> {
        let _lock = self.write.then(|| BookLock::acquire(dir)).transpose()?;
        let mut stderr = StandardStream::stderr(color_choice());
        let summary = update(dir, Date::today_for_build()?, &mut stderr)?;
        let path = super::shown(&summary.path);
        let current = summary.new == summary.old;
        if self.write {
            if current {
                eprintln!("{} is up to date", path.display());
            } else {
                write_atomic(path, summary.new.as_bytes())?;
                eprintln!("updated {}", path.display());
            }
        } else if self.check {
            if !current {
                let diff = similar::TextDiff::from_lines(&summary.old, &summary.new);
                let shown = path.display().to_string();
                super::out(
                    diff.unified_diff()
                        .context_radius(3)
                        .header(&shown, &format!("{shown} (expected)")),
                )?;
                return Err(Error::stale(
                    path.to_path_buf(),
                    super::command_for(dir, "summary --write"),
                ));
            }
            eprintln!("{} is up to date", path.display());
        } else {
            super::out(&summary.new)?;
        }
        Ok(())
    }
}

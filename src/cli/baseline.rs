//! `mdbook-ep baseline`.

use std::path::Path;

use crate::change::baseline::plan;
use crate::error::{Error, Result};
use crate::io::fs::write_atomic;
use crate::io::lock::BookLock;
use crate::model::Date;

#[derive(clap::Args, Debug)]
pub(super) struct BaselineArgs {
    /// Record every error the book has now in the baseline file.
    #[arg(long, conflicts_with = "check")]
    write: bool,
    /// Exit 1 when the baseline records a problem the book no longer has (for CI).
    #[arg(long)]
    check: bool,
}

impl BaselineArgs {
    /// Prints the baseline as it would be written, or writes or checks it.
    pub(super) fn run(self, dir: &Path) -> Result<()> {
        let _lock = self.write.then(|| BookLock::acquire(dir)).transpose()?;
        let update = plan(dir, Date::today())?;
        let path = update.path.strip_prefix(".").unwrap_or(&update.path);
        let (problems, eps) = update.size();
        if self.write {
            if update.old.as_deref() == Some(update.new.as_str()) {
                eprintln!("{} is up to date", path.display());
                return Ok(());
            }
            write_atomic(&update.path, update.new.as_bytes())?;
            eprintln!(
                "wrote {}: {problems} problem(s) in {eps} EP(s) ({} new, {} fixed since the last baseline)",
                path.display(),
                update.added,
                update.fixed.iter().map(|(_, e)| e.count).sum::<usize>()
            );
            eprintln!(
                "builds and `mdbook-ep check` now fail only on problems it does not record; commit it"
            );
            return Ok(());
        }
        if !self.check {
            return super::out(&update.new);
        }
        if update.old.is_none() {
            return Err(Error::Refused {
                message: format!("there is no baseline `{}`", path.display()),
                help: format!(
                    "record the book's problems with `{}`",
                    super::command_for(dir, "baseline --write")
                ),
            });
        }
        if update.fixed.is_empty() {
            eprintln!(
                "{} records only problems the book still has",
                path.display()
            );
            return Ok(());
        }
        for (key, entry) in &update.fixed {
            let times = if entry.count > 1 {
                format!(" ({} times)", entry.count)
            } else {
                String::new()
            };
            super::out(format_args!(
                "fixed: {} {} {}{times}\n",
                key.ep, key.rule, entry.message
            ))?;
        }
        Err(Error::Stale {
            path: path.to_path_buf(),
            fix: super::command_for(dir, "baseline --write"),
        })
    }
}

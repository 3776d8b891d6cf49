//! `mdbook-ep baseline`.

use std::path::Path;

use crate::change::baseline::{BaselineUpdate, occurrences, plan};
use crate::error::{Error, Result};
use crate::io::fs::write_atomic;
use crate::io::lock::BookLock;
use crate::model::Date;

#[derive(clap::Args, Debug)]
pub(super) struct BaselineArgs {
    /// Write the baseline file: every error the book has when there is none yet; afterwards,
    /// drop the problems that were fixed.
    #[arg(long, conflicts_with = "check")]
    write: bool,
    /// With `--write`: also record problems the baseline does not have yet (on purpose: they
    /// will no longer fail the build).
    #[arg(long, requires = "write")]
    add_new: bool,
    /// Exit 1 when the baseline records a problem the book no longer has (for CI).
    #[arg(long)]
    check: bool,
}

impl BaselineArgs {
    /// Prints the baseline as it would be written, or writes or checks it.
    pub(super) fn run(self, dir: &Path) -> Result<()> {
        let _lock = self.write.then(|| BookLock::acquire(dir)).transpose()?;
        let update = plan(dir, Date::today_for_build()?, self.add_new)?;
        let path = super::shown(&update.path);
        if let Some(why) = &update.broken {
            let rewrite = super::command_for(dir, "baseline --write --add-new");
            if self.check || (self.write && !self.add_new) {
                return Err(Error::Config {
                    table: path.display().to_string(),
                    message: why.clone(),
                    help: format!(
                        "fix the file (a merge conflict?), or replace it with every problem the book has now: `{rewrite}`, and review the diff"
                    ),
                });
            }
            eprintln!(
                "warning: `{}` cannot be read ({why}); it is replaced by the book's problems now",
                path.display()
            );
        }
        if self.write {
            return write(dir, path, &update);
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
        if !update.added.is_empty() {
            let n = occurrences(&update.added);
            eprintln!(
                "note: {} {} not in the baseline; `mdbook-ep check` fails on {}",
                crate::text::count(n, "problem", "problems"),
                if n == 1 { "is" } else { "are" },
                if n == 1 { "it" } else { "them" },
            );
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
        Err(Error::stale(
            path.to_path_buf(),
            super::command_for(dir, "baseline --write"),
        ))
    }
}

/// `--write`: the file as [`plan`] decided, and what changed in it.
fn write(dir: &Path, path: &Path, update: &BaselineUpdate) -> Result<()> {
    let (problems, eps) = update.size();
    let unrecorded = if update.records_added || update.added.is_empty() {
        String::new()
    } else {
        let n = occurrences(&update.added);
        format!(
            "\nnote: {} {} not recorded and still {} the build: fix {}, or record {} on purpose with `{}`",
            crate::text::count(n, "new problem", "new problems"),
            if n == 1 { "is" } else { "are" },
            if n == 1 { "fails" } else { "fail" },
            if n == 1 { "it" } else { "them" },
            if n == 1 { "it" } else { "them" },
            super::command_for(dir, "baseline --write --add-new")
        )
    };
    if update.old.as_deref() == Some(update.new.as_str()) {
        eprintln!("{} is up to date{unrecorded}", path.display());
        return Ok(());
    }
    write_atomic(&update.path, update.new.as_bytes())?;
    let recorded_new = if update.records_added {
        occurrences(&update.added)
    } else {
        0
    };
    eprintln!(
        "wrote {}: {} in {} ({recorded_new} recorded now, {} fixed and dropped){unrecorded}",
        path.display(),
        crate::text::count(problems, "problem", "problems"),
        crate::text::count(eps, "EP", "EPs"),
        occurrences(&update.fixed)
    );
    if update.old.is_none() || update.broken.is_some() {
        eprintln!(
            "builds and `mdbook-ep check` now fail only on problems it does not record; commit it"
        );
    }
    Ok(())
}

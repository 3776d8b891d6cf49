//! `mdbook-ep check`: every rule the build enforces, without building, in a format CI reads.

use std::path::Path;

use crate::check::check_dir;
use crate::check::lifecycle::since_base;
use crate::diagnostic::{self, Severity, color_choice};
use crate::error::{Error, Result};
use crate::model::Date;
use crate::text::count;

/// How problems are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum Format {
    /// rustc-style, with the source line quoted (stderr).
    Human,
    /// One JSON document (stdout); its fields are in the book's "Checking EPs in CI" page.
    Json,
    /// GitHub Actions workflow commands (stdout), shown on the pull request's diff.
    Github,
}

#[derive(clap::Args, Debug)]
pub(super) struct CheckArgs {
    /// How to print problems.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Also compare each EP's state with its state at this git revision.
    #[arg(long, value_name = "REV")]
    base: Option<String>,
    /// Hold only EPs changed since `--base` to errors; others' errors become warnings.
    #[arg(long, requires = "base")]
    changed_only: bool,
}

impl CheckArgs {
    /// Exit status: 0 without errors (warnings allowed), 1 with errors.
    pub(super) fn run(self, dir: &Path) -> Result<()> {
        let checked = check_dir(dir, Date::today_for_build()?)?;
        let mut diagnostics = checked.analysis.diagnostics.clone();
        if let Some(rev) = &self.base {
            let since = since_base(dir, rev, &checked)?;
            diagnostics.extend(since.problems.iter().cloned());
            if self.changed_only {
                since.hold_changed_only(&mut diagnostics);
            }
        }
        // Paths relative to where the command runs (usually the repository root), so editors
        // and the code host find the files.
        let rebased = diagnostic::rebase(&mut diagnostics, &checked.analysis.sources, dir);
        let sources = rebased.as_ref().unwrap_or(&checked.analysis.sources);
        let errors = diagnostic::count(&diagnostics, Severity::Error);
        let eps = checked.analysis.eps.len();
        match self.format {
            Format::Human => {
                let mut stderr =
                    codespan_reporting::term::termcolor::StandardStream::stderr(color_choice());
                diagnostic::emit_human(&mut stderr, sources, &diagnostics)
                    .map_err(|e| Error::io("write diagnostics to", "stderr", e))?;
                eprintln!(
                    "checked {}: {}, {}",
                    count(eps, "EP", "EPs"),
                    count(errors, "error", "errors"),
                    count(
                        diagnostic::count(&diagnostics, Severity::Warn),
                        "warning",
                        "warnings"
                    )
                );
                if let Some(note) = checked.held.as_ref().and_then(|h| h.note()) {
                    eprintln!("{note}");
                }
                if let Some(hint) = crate::check::baseline::hint(errors, checked.held.as_ref()) {
                    eprintln!("{hint}");
                }
            }
            Format::Json => {
                let held_back = checked.held.as_ref().map_or(0, |h| h.diagnostics.len());
                let json = diagnostic::to_json(&diagnostics, eps, held_back);
                let text = serde_json::to_string_pretty(&json).unwrap_or_default();
                super::out(format_args!("{text}\n"))?;
            }
            Format::Github => super::out(diagnostic::to_github(&diagnostics))?,
        }
        crate::io::workers::drop_in_background((checked, diagnostics, rebased));
        if errors > 0 {
            return Err(Error::Invalid { errors });
        }
        Ok(())
    }
}

//! `mdbook-ep check`: every rule the build enforces, without building, in a format CI reads.

use std::collections::HashMap;
use std::path::Path;

use mdbook_preprocessor::config::Config;

use crate::analysis::check_book;
use crate::diagnostic::{self, Severity};
use crate::error::{Error, Result};
use crate::model::Date;
use crate::preprocessor::color_choice;

/// How problems are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style, with the source line quoted (stderr).
    Human,
    /// One JSON document (stdout); see the book's error index for its fields.
    Json,
    /// GitHub Actions workflow commands (stdout), shown on the pull request's diff.
    Github,
}

/// Checks the book in `dir`. Exit status: 0 without errors (warnings allowed), 1 with errors.
pub fn run(dir: &Path, format: Format) -> Result<()> {
    let toml = dir.join("book.toml");
    let mut config = if toml.is_file() {
        Config::from_disk(&toml).map_err(Error::mdbook)?
    } else {
        Config::default()
    };
    config.update_from_env().map_err(Error::mdbook)?;
    let checked = check_book(
        dir,
        &config,
        mdbook_preprocessor::MDBOOK_VERSION,
        &HashMap::new(),
        Date::today(),
    )?;
    // Paths relative to where the command runs (usually the repository root), so editors and
    // the code host find the files.
    let mut diagnostics = checked.analysis.diagnostics.clone();
    if dir != Path::new(".") {
        for d in &mut diagnostics {
            for file in d
                .location
                .iter_mut()
                .map(|l| &mut l.file)
                .chain(d.ep.iter_mut())
            {
                *file = dir.join(&*file);
            }
        }
    }
    let mut sources = checked.analysis.sources;
    if dir != Path::new(".") {
        sources = sources.rebased(dir);
    }
    let diagnostics = &diagnostics;
    let errors = diagnostic::count(diagnostics, Severity::Error);
    match format {
        Format::Human => {
            let mut stderr =
                codespan_reporting::term::termcolor::StandardStream::stderr(color_choice());
            diagnostic::emit_human(&mut stderr, &sources, diagnostics)
                .map_err(|e| Error::io("write diagnostics to", "stderr", e))?;
            eprintln!(
                "checked {} EP(s): {errors} error(s), {} warning(s)",
                checked.analysis.eps.len(),
                diagnostic::count(diagnostics, Severity::Warn)
            );
        }
        Format::Json => {
            let json = diagnostic::to_json(diagnostics, checked.analysis.eps.len());
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
        Format::Github => print!("{}", diagnostic::to_github(diagnostics)),
    }
    if errors > 0 {
        return Err(Error::Invalid { errors });
    }
    Ok(())
}

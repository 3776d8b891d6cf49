//! `mdbook-ep summary`: the SUMMARY.md that describes the structure the preprocessor builds.

use std::path::Path;

use mdbook_preprocessor::PreprocessorContext;

use crate::config::EpConfig;
use crate::error::{Error, Result};
use crate::model::Date;
use crate::preprocessor::{build_book, color_choice};
use crate::summary;

/// What to do with the result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Print,
    Write,
    Check,
}

/// Computes SUMMARY.md for the book in `dir` and prints, writes or checks it.
pub fn run(dir: &Path, mode: Mode) -> Result<()> {
    let md = super::load::load(dir)?;
    let path = md.source_dir().join("SUMMARY.md");
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io("read", &path, e))?;
    let region = summary::find_region(&text).map_err(|e| Error::Config {
        table: path.display().to_string(),
        message: format!("line {}: {}", e.line, e.message),
        help: "keep one `<!-- ep:summary -->` line and one `<!-- /ep:summary -->` line after it"
            .into(),
    })?;
    let ctx = PreprocessorContext::new(md.root.clone(), md.config.clone(), "html".into());
    let mut stderr = codespan_reporting::term::termcolor::StandardStream::stderr(color_choice());
    let (book, inserted) = build_book(&ctx, md.book.clone(), Date::today(), &mut stderr)?;
    let generated = summary::render_items(&book.items[inserted]);
    let (cfg, _) = EpConfig::from_mdbook(&md.config, None)?;
    let place = summary::placement(&text, &cfg.eps_dir.join("README.md"));
    let updated = summary::splice(&text, region.as_ref(), &generated, place);
    match mode {
        Mode::Print => print!("{updated}"),
        Mode::Write => {
            if updated != text {
                crate::fsutil::write_atomic(&path, updated.as_bytes())?;
                eprintln!("updated {}", path.display());
            } else {
                eprintln!("{} is up to date", path.display());
            }
        }
        Mode::Check => {
            if updated != text {
                let diff = similar::TextDiff::from_lines(&text, &updated);
                let shown = path.display().to_string();
                print!(
                    "{}",
                    diff.unified_diff()
                        .context_radius(3)
                        .header(&shown, &format!("{shown} (expected)"))
                );
                return Err(Error::Stale {
                    path,
                    fix: format!("mdbook-ep summary --write {}", dir.display()),
                });
            }
            eprintln!("{} is up to date", path.display());
        }
    }
    Ok(())
}

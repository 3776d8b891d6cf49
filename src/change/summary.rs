//! `mdbook-ep summary`: the SUMMARY.md that describes the structure the preprocessor builds.

use std::path::{Path, PathBuf};

use codespan_reporting::term::termcolor::WriteColor;
use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::Book;

use crate::error::{Error, Result};
use crate::model::Date;
use crate::preprocessor::build_book;
use crate::read::book::{book_config, load};
use crate::read::summary_region::find_region;
use crate::shape::summary::{placement, render_items, splice};
use mdbook_summary::parse_summary;

/// SUMMARY.md as it is and as it should be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SummaryUpdate {
    /// The file.
    pub path: PathBuf,
    /// Its text now.
    pub old: String,
    /// Its text with the `ep:summary` region describing the generated structure.
    pub new: String,
}

/// Builds the book in `dir` as the preprocessor would and writes its generated part into
/// SUMMARY.md's region (added where it belongs when there is none yet). Only the region
/// changes. Problems in EPs go to `report` and make it fail, as the build would.
pub(crate) fn update(
    dir: &Path,
    today: Date,
    report: &mut dyn WriteColor,
) -> Result<SummaryUpdate> {
    let config = book_config(dir)?;
    let cfg = crate::read::book::ep_settings(dir, &config)?;
    // Listing EPs beside the sources in SUMMARY.md without the link would make the mdbook
    // CLI (`create-missing`) write empty stubs for them into the sources.
    if let Some((link, target)) = crate::read::discover::eps_link(&config.book.src, &cfg)
        && std::fs::symlink_metadata(dir.join(&link)).is_err()
    {
        return Err(Error::Refused {
            message: format!(
                "the EPs are beside the sources and `{}` does not link to them yet",
                link.display()
            ),
            help: format!(
                "run `mdbook-ep install` first (it links `{}` to `{}`), then `summary --write`",
                link.display(),
                target.display()
            ),
        });
    }
    let book: Book = load(dir, &config)?;
    let path = dir.join(&config.book.src).join("SUMMARY.md");
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io("read", &path, e))?;
    let region = find_region(&text).map_err(|e| Error::Config {
        table: path.display().to_string(),
        message: format!("line {}: {}", e.line, e.message),
        help: "keep one `<!-- ep:summary -->` line and one `<!-- /ep:summary -->` line after it"
            .into(),
    })?;
    let ctx = PreprocessorContext::new(dir.to_path_buf(), config.clone(), "html".into());
    let (book, inserted) = build_book(&ctx, book, today, report)?;
    let new = match (inserted, &region) {
        // No EPs and no region yet: nothing to describe, SUMMARY.md stays as it is.
        (None, None) => text.clone(),
        (inserted, _) => {
            let generated = inserted.map_or_else(String::new, |r| render_items(&book.items[r]));
            let place = placement(&text, &cfg.eps_dir.join("README.md"));
            splice(&text, region.as_ref(), &generated, place)
        }
    };
    // Never hand back a SUMMARY.md that would stop every later build (and this command).
    if let Err(e) = parse_summary(&new) {
        return Err(Error::Refused {
            message: format!(
                "the generated SUMMARY.md would not parse ({e:#}); `{}` is left as it is",
                path.display()
            ),
            help: "a chapter or part name holds something SUMMARY.md cannot (a SIG `name` with a line break, say); fix it and run again".into(),
        });
    }
    Ok(SummaryUpdate {
        path,
        old: text,
        new,
    })
}

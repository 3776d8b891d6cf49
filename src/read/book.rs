//! A book on disk, read as mdBook reads it: `book.toml` (with `MDBOOK_*` overrides), and
//! SUMMARY.md with its chapters, for the commands that work without mdBook running them.
//!
//! The chapters come out as mdBook's loader gives them, with two differences that keep a command
//! that only reads a book from failing on, or writing into, what it is about to regenerate:
//! links in the `ep:summary` region to files that no longer exist become drafts (a deleted EP
//! must not stop `summary --write` from fixing the region), and where mdBook's `create-missing`
//! would create a missing chapter file, the chapter is loaded as that new file would read, but
//! nothing is written.

use std::path::Path;

use mdbook_core::utils::escape_html;
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::config::Config;
use mdbook_summary::{Link, Summary, SummaryItem, parse_summary};

use super::config::EpConfig;
use super::summary_region::{find_region, region_items};
use crate::error::{Error, Result};

/// `book.toml` as mdBook reads it: the file if there is one, then `MDBOOK_*` overrides.
pub(crate) fn config(dir: &Path) -> Result<Config> {
    let toml = dir.join("book.toml");
    let mut config = if toml.is_file() {
        Config::from_disk(&toml).map_err(Error::mdbook)?
    } else {
        Config::default()
    };
    config.update_from_env().map_err(Error::mdbook)?;
    Ok(config)
}

/// `book.toml` as [`config`] reads it, for commands that need a book: a folder that does not
/// exist, or has neither `book.toml` nor a SUMMARY.md, is an error (a path typo in CI must not
/// pass as "checked 0 EPs").
pub(crate) fn book_config(dir: &Path) -> Result<Config> {
    let not_a_book = |why: &str| {
        Error::io(
            "find a book in",
            dir,
            std::io::Error::new(std::io::ErrorKind::NotFound, why.to_string()),
        )
    };
    if !dir.is_dir() {
        return Err(not_a_book("there is no such folder"));
    }
    let config = config(dir)?;
    if !dir.join("book.toml").is_file() && !dir.join(&config.book.src).join("SUMMARY.md").is_file()
    {
        return Err(not_a_book(
            "it has neither book.toml nor src/SUMMARY.md; pass the book's folder with --book DIR",
        ));
    }
    Ok(config)
}

/// The book's mdBook configuration and mdbook-ep's settings from it, as every command reads
/// them (book.toml's text is read once more only to point warnings at its lines).
pub(crate) fn settings(dir: &Path) -> Result<(Config, EpConfig)> {
    let config = config(dir)?;
    let cfg = ep_settings(dir, &config)?;
    Ok((config, cfg))
}

/// mdbook-ep's settings from a configuration already read; book.toml's text only points a
/// configuration error at its line.
pub(crate) fn ep_settings(dir: &Path, config: &Config) -> Result<EpConfig> {
    let text = std::fs::read_to_string(dir.join("book.toml")).ok();
    let (cfg, _) =
        EpConfig::from_mdbook(config, mdbook_preprocessor::MDBOOK_VERSION, text.as_deref())?;
    Ok(cfg)
}

/// SUMMARY.md parsed by mdBook's parser, with links in the `ep:summary` region to files that
/// no longer exist turned into drafts. `None` when SUMMARY.md has no (readable) region; then
/// nothing needs changing before mdBook (or [`load`]) reads it.
pub(crate) fn summary_with_region(dir: &Path, config: &Config) -> Option<Summary> {
    let src = dir.join(&config.book.src);
    let text = std::fs::read_to_string(src.join("SUMMARY.md")).ok()?;
    let region = find_region(&text).ok()??;
    let range = region_items(&text, &region).ok()?;
    let mut summary = parse_summary(&text).ok()?;
    let top = summary
        .prefix_chapters
        .iter_mut()
        .chain(summary.numbered_chapters.iter_mut())
        .chain(summary.suffix_chapters.iter_mut());
    for (i, item) in top.enumerate() {
        if range.contains(&i) {
            draft_missing(item, &src);
        }
    }
    Some(summary)
}

fn draft_missing(item: &mut SummaryItem, src: &Path) {
    if let SummaryItem::Link(link) = item {
        if link
            .location
            .as_ref()
            .is_some_and(|p| !src.join(p).is_file())
        {
            link.location = None;
        }
        for sub in &mut link.nested_items {
            draft_missing(sub, src);
        }
    }
}

/// The book's chapters as mdBook loads them before any preprocessor runs.
pub(crate) fn load(dir: &Path, config: &Config) -> Result<Book> {
    let src = dir.join(&config.book.src);
    // mdBook creates missing chapters only when it parses SUMMARY.md itself, which it does
    // when there is no region (with a region, the summary is handed to it ready-made).
    let (summary, create_missing) = match summary_with_region(dir, config) {
        Some(summary) => (summary, false),
        None => {
            let path = src.join("SUMMARY.md");
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Error::mdbook(format!("failed to read `{}`: {e}", path.display())))?;
            let summary = parse_summary(&text).map_err(Error::mdbook)?;
            (summary, config.build.create_missing)
        }
    };
    let loader = Loader {
        src: &src,
        create_missing,
    };
    let items = summary
        .prefix_chapters
        .iter()
        .chain(&summary.numbered_chapters)
        .chain(&summary.suffix_chapters)
        .map(|item| loader.item(item, &[]))
        .collect::<Result<Vec<_>>>()?;
    Ok(Book::new_with_items(items))
}

struct Loader<'a> {
    src: &'a Path,
    create_missing: bool,
}

impl Loader<'_> {
    fn item(&self, item: &SummaryItem, parents: &[String]) -> Result<BookItem> {
        Ok(match item {
            SummaryItem::Separator => BookItem::Separator,
            SummaryItem::PartTitle(title) => BookItem::PartTitle(title.clone()),
            SummaryItem::Link(link) => BookItem::Chapter(self.chapter(link, parents)?),
            // `SummaryItem` is non-exhaustive; mdBook's own loader rejects what it does not know.
            other => {
                return Err(Error::mdbook(format!(
                    "SUMMARY.md item {other:?} is not supported"
                )));
            }
        })
    }

    fn chapter(&self, link: &Link, parents: &[String]) -> Result<Chapter> {
        let mut chapter = match &link.location {
            None => Chapter::new_draft(&link.name, parents.to_vec()),
            Some(location) => {
                let path = self.src.join(location);
                let content = if !path.exists() && self.create_missing {
                    // What mdBook's `create-missing` would write, without writing it.
                    format!("# {}\n", escape_html(&link.name))
                } else {
                    let mut text = std::fs::read_to_string(&path).map_err(|e| {
                        Error::mdbook(format!(
                            "failed to read chapter `{}`: {e}",
                            location.display()
                        ))
                    })?;
                    if text.starts_with('\u{feff}') {
                        text.replace_range(..3, "");
                    }
                    text
                };
                Chapter::new(&link.name, content, location, parents.to_vec())
            }
        };
        chapter.number = link.number.clone();
        let mut mine = parents.to_vec();
        mine.push(link.name.clone());
        chapter.sub_items = link
            .nested_items
            .iter()
            .map(|i| self.item(i, &mine))
            .collect::<Result<_>>()?;
        Ok(chapter)
    }
}

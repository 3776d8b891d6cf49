//! Loading a book for our own commands the way `mdbook` does, except that links in the
//! `ep:summary` region to EP files that no longer exist become drafts: the region is ours to
//! regenerate, so a deleted EP must not stop `summary --write` from fixing it.

use std::path::Path;

use mdbook_driver::MDBook;
use mdbook_preprocessor::config::Config;
use mdbook_summary::{Summary, SummaryItem, parse_summary};

use crate::error::{Error, Result};
use crate::summary::{find_region, region_items};

/// `book.toml` as mdBook reads it: the file if there is one, then `MDBOOK_*` overrides.
pub fn config(dir: &Path) -> Result<Config> {
    let toml = dir.join("book.toml");
    let mut config = if toml.is_file() {
        Config::from_disk(&toml).map_err(Error::mdbook)?
    } else {
        Config::default()
    };
    config.update_from_env().map_err(Error::mdbook)?;
    Ok(config)
}

/// The book's mdBook configuration and mdbook-ep's settings from it, as every command reads
/// them (book.toml's text is read once more only to point warnings at its lines).
pub fn settings(dir: &Path) -> Result<(Config, crate::config::EpConfig)> {
    let config = config(dir)?;
    let text = std::fs::read_to_string(dir.join("book.toml")).ok();
    let (cfg, _) = crate::config::EpConfig::from_mdbook(&config, text.as_deref())?;
    Ok((config, cfg))
}

pub fn load(dir: &Path) -> Result<MDBook> {
    let config = config(dir)?;
    let src = dir.join(&config.book.src);
    let text = std::fs::read_to_string(src.join("SUMMARY.md")).unwrap_or_default();
    if let Ok(Some(region)) = find_region(&text)
        && let Ok(range) = region_items(&text, &region)
        && let Ok(mut summary) = parse_summary(&text)
    {
        draft_missing(&mut summary, range, &src);
        return MDBook::load_with_config_and_summary(dir, config, summary).map_err(Error::mdbook);
    }
    MDBook::load_with_config(dir, config).map_err(Error::mdbook)
}

/// Turns links to missing files among the top-level items `range` into drafts.
fn draft_missing(summary: &mut Summary, range: std::ops::Range<usize>, src: &Path) {
    fn walk(item: &mut SummaryItem, src: &Path) {
        if let SummaryItem::Link(link) = item {
            if link
                .location
                .as_ref()
                .is_some_and(|p| !src.join(p).is_file())
            {
                link.location = None;
            }
            for sub in &mut link.nested_items {
                walk(sub, src);
            }
        }
    }
    let all = summary
        .prefix_chapters
        .iter_mut()
        .chain(summary.numbered_chapters.iter_mut())
        .chain(summary.suffix_chapters.iter_mut());
    for (i, item) in all.enumerate() {
        if range.contains(&i) {
            walk(item, src);
        }
    }
}

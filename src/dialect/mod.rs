//! The dialect of Markdown a book is written in: mdBook's parser options, its heading-id rules
//! and where each chapter file ends up, as the mdBook that runs the build sets them.
//!
//! Every parse and every id in mdbook-ep must match what mdBook's HTML renderer will do, or TOC
//! links stop landing. So the dialect is worked out once, from the book's configuration and the
//! calling mdBook's version, and handed to everything that parses or links.

pub(crate) mod ids;
pub(crate) mod pages;

use mdbook_preprocessor::config::Config;

use crate::error::{Error, Result};

/// The Markdown a book is parsed with, and how mdBook names and places what it renders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dialect {
    /// mdBook's parser options (`[output.html]` switches).
    pub markdown: MarkdownFlags,
    /// How the calling mdBook names headings whose id text is empty.
    pub empty_ids: EmptyIds,
    /// Whether mdBook's `index` preprocessor turns `README.md` into `index.md`.
    pub readme_is_index: bool,
    /// Whether the HTML sidebar lists the current page's headings
    /// (`output.html.sidebar-header-nav`): an in-page TOC beside it says the same twice.
    pub sidebar_headings: bool,
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect {
            markdown: MarkdownFlags::default(),
            empty_ids: EmptyIds::Blank,
            readme_is_index: true,
            sidebar_headings: true,
        }
    }
}

impl Dialect {
    /// The dialect of the book `config` describes, rendered by mdBook `mdbook_version`.
    pub fn from_mdbook(config: &Config, mdbook_version: &str) -> Result<Dialect> {
        let flag = |key: &str, default: bool| -> Result<bool> {
            Ok(config
                .get::<bool>(&format!("output.html.{key}"))
                .map_err(|e| Error::Config {
                    table: "output.html".into(),
                    message: format!("{e:#}"),
                    help: "see the configuration reference in the mdbook-ep book".into(),
                })?
                .unwrap_or(default))
        };
        Ok(Dialect {
            markdown: MarkdownFlags {
                smart_punctuation: flag("smart-punctuation", true)?,
                definition_lists: flag("definition-lists", true)?,
                admonitions: flag("admonitions", true)?,
            },
            empty_ids: EmptyIds::for_version(mdbook_version),
            readme_is_index: config.build.use_default_preprocessors
                || config.contains_key("preprocessor.index"),
            sidebar_headings: flag("sidebar-header-nav", true)?,
        })
    }
}

/// How Markdown is parsed, which must match mdBook's HTML renderer exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarkdownFlags {
    /// `output.html.smart-punctuation`.
    pub smart_punctuation: bool,
    /// `output.html.definition-lists`.
    pub definition_lists: bool,
    /// `output.html.admonitions`.
    pub admonitions: bool,
}

impl Default for MarkdownFlags {
    fn default() -> Self {
        MarkdownFlags {
            smart_punctuation: true,
            definition_lists: true,
            admonitions: true,
        }
    }
}
impl MarkdownFlags {
    /// pulldown-cmark's options as mdBook sets them for these switches.
    pub fn options(self) -> mdbook_markdown::MarkdownOptions {
        let mut o = mdbook_markdown::MarkdownOptions::default();
        o.smart_punctuation = self.smart_punctuation;
        o.definition_lists = self.definition_lists;
        o.admonitions = self.admonitions;
        o
    }
}

/// How mdBook names a heading whose id text is empty; it changed after 0.5.4.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmptyIds {
    /// `""`, then `-1`, `-2` (mdBook 0.5.4 and earlier).
    Blank,
    /// `section`, `section-1`, ... (mdBook after 0.5.4).
    Section,
}

impl EmptyIds {
    /// The behaviour of the mdBook version that calls us.
    pub fn for_version(version: &str) -> EmptyIds {
        match semver::Version::parse(version) {
            Ok(v) if v > semver::Version::new(0, 5, 4) => EmptyIds::Section,
            _ => EmptyIds::Blank,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_decides_empty_ids() {
        assert_eq!(EmptyIds::for_version("0.5.4"), EmptyIds::Blank);
        assert_eq!(EmptyIds::for_version("0.5.5"), EmptyIds::Section);
        assert_eq!(EmptyIds::for_version("garbage"), EmptyIds::Blank);
    }
}

//! `mdbook-ep toc`: keeps the TOC between `<!-- toc -->` and `<!-- /toc -->` current in the
//! Markdown files themselves, for readers on the code host. Only the bytes between the markers
//! change; the text is spliced by the parser's byte offsets, never re-serialized.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location, Rule, Severity};
use crate::error::Result;
use crate::read::book::settings;
use crate::read::config::EpConfig;
use crate::read::discover::discover;
use crate::read::metadata::{FrontMatter, split_front_matter};
use crate::read::outline::{Outline, github_ids};
use crate::render::toc::{apply_splices, container_prefix, marker_splice, toc};
use crate::text::{line_ending, with_line_ending};

/// Whose anchor rules the links follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Anchors {
    /// GitHub's heading anchors, for reading on the code host.
    Github,
    /// mdBook's heading ids, for files read only in the book.
    Mdbook,
}

/// What happened to one file.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// No markers: not ours to touch.
    NoMarkers,
    /// The TOC is up to date.
    Current,
    /// The file's new text.
    Stale(String),
}

/// The file's text with its TOC brought up to date. Pure.
/// An opening marker that is never closed is EP0602, an error here: the file is left as it is.
pub(crate) fn update(
    file: &Path,
    text: &str,
    anchors: Anchors,
    cfg: &EpConfig,
) -> std::result::Result<Outcome, Box<Diagnostic>> {
    update_once(file, text, anchors, cfg, true)
}

/// [`update`]; `empty_first` decides on the file with its TOC region emptied (once).
fn update_once(
    file: &Path,
    text: &str,
    anchors: Anchors,
    cfg: &EpConfig,
    empty_first: bool,
) -> std::result::Result<Outcome, Box<Diagnostic>> {
    let (body_start, body_line) = match split_front_matter(text) {
        FrontMatter::Present {
            body_start,
            body_line,
            ..
        } => (body_start, body_line),
        _ => (0, 1),
    };
    let body = &text[body_start..];
    let outline = match anchors {
        Anchors::Github => Outline::parse_gfm(body),
        Anchors::Mdbook => Outline::parse(body, cfg.dialect.markdown),
    };
    let Some(markers) = &outline.toc else {
        return Ok(Outcome::NoMarkers);
    };
    if markers.close.is_none() {
        let mut d = Diagnostic::new(
            Rule::UnclosedToc,
            "`<!-- toc -->` is never closed with `<!-- /toc -->`",
        )
        .at(Location::new(file, markers.open_line + body_line - 1, 1))
        .help("add `<!-- /toc -->` where the TOC ends; until then `toc` leaves the file as it is");
        d.severity = Severity::Error;
        return Err(Box::new(d));
    }
    // The region between the markers is the TOC's: headings inside it (an old, hand-written
    // TOC, say) are not the document's, and counting them would change the ids of the rest and
    // make the next run write something else. Decide on the document as if it were empty.
    // Emptied, a region in a block quote keeps its `>` markers; `>` alone is no content.
    let prefix = container_prefix(body, markers.open.start);
    if let Some(close) = &markers.close
        && empty_first
        && !body[markers.open.end..close.start]
            .trim_matches(|c: char| c.is_whitespace() || c == '>')
            .is_empty()
    {
        let emptied = format!(
            "{}{}{prefix}{}",
            &text[..body_start + markers.open.end],
            line_ending(text),
            &text[body_start + close.start..]
        );
        let new = match update_once(file, &emptied, anchors, cfg, false)? {
            Outcome::Stale(new) => new,
            Outcome::Current => emptied,
            Outcome::NoMarkers => return Ok(Outcome::NoMarkers),
        };
        return Ok(if new == text {
            Outcome::Current
        } else {
            Outcome::Stale(new)
        });
    }
    let ids = match anchors {
        Anchors::Github => github_ids(&outline),
        Anchors::Mdbook => outline.heading_ids(&[], cfg.dialect.empty_ids),
    };
    let title = outline.leading_h1().map(|_| 0);
    let list = toc(&outline, &ids, title, &cfg.toc);
    let Some(mut splice) = marker_splice(body, &outline, &list) else {
        return Ok(Outcome::NoMarkers);
    };
    // The list's lines end as the file's do.
    splice.text = with_line_ending(&splice.text, line_ending(text)).into_owned();
    let new_body = apply_splices(body, vec![splice]);
    if new_body == body {
        Ok(Outcome::Current)
    } else {
        Ok(Outcome::Stale(format!("{}{new_body}", &text[..body_start])))
    }
}

/// The files `mdbook-ep toc` works on: `paths` (files, or folders searched for `.md` files),
/// or without paths every EP of the book in `dir`.
pub(crate) fn files(dir: &Path, paths: &[PathBuf]) -> Result<(Vec<PathBuf>, EpConfig)> {
    let (config, cfg) = settings(dir)?;
    let files = if paths.is_empty() {
        book_eps(dir, &config.book.src, &cfg)
    } else {
        expand(paths)
    };
    Ok((files, cfg))
}

/// The EP files of the book, as the build finds them.
fn book_eps(dir: &Path, src: &Path, cfg: &EpConfig) -> Vec<PathBuf> {
    let src = dir.join(src);
    let (found, _) = discover(&src, cfg, &|p| p.to_path_buf());
    found
        .into_iter()
        .map(|f| crate::read::tidy(&src.join(cfg.on_disk(&f.path))))
        .collect()
}

fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            for entry in walkdir::WalkDir::new(p)
                .follow_links(false)
                .sort_by_file_name()
                .into_iter()
                .flatten()
            {
                if entry.file_type().is_file()
                    && entry.path().extension().is_some_and(|e| e == "md")
                {
                    out.push(entry.path().to_path_buf());
                }
            }
        } else {
            out.push(p.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_inside_the_region_belong_to_the_old_toc() {
        let text = "# T\n<!-- toc -->\n## Foo\nold\n<!-- /toc -->\n\n## Foo\n";
        let cfg = EpConfig::default();
        let Ok(Outcome::Stale(new)) = update(Path::new("x.md"), text, Anchors::Github, &cfg) else {
            panic!("stale expected");
        };
        // One entry, with the id the heading has once the region is rewritten.
        assert_eq!(
            new,
            "# T\n<!-- toc -->\n- [Foo](#foo)\n<!-- /toc -->\n\n## Foo\n"
        );
        assert_eq!(
            update(Path::new("x.md"), &new, Anchors::Github, &cfg).unwrap(),
            Outcome::Current
        );
    }

    #[test]
    fn splices_only_between_markers_and_is_idempotent() {
        let text = "---\ntitle: x\n---\n# T\n\nIntro  with  odd   spacing.\n\n<!-- toc -->\nold\n<!-- /toc -->\n\n## Don't stop\n\n## Foo\n## Foo\n";
        let cfg = EpConfig::default();
        let Outcome::Stale(new) = update(Path::new("ep.md"), text, Anchors::Github, &cfg).unwrap()
        else {
            panic!()
        };
        assert_eq!(
            new,
            "---\ntitle: x\n---\n# T\n\nIntro  with  odd   spacing.\n\n<!-- toc -->\n- [Don't stop](#dont-stop)\n- [Foo](#foo)\n- [Foo](#foo-1)\n<!-- /toc -->\n\n## Don't stop\n\n## Foo\n## Foo\n"
        );
        assert_eq!(
            update(Path::new("ep.md"), &new, Anchors::Github, &cfg).unwrap(),
            Outcome::Current
        );
        let Outcome::Stale(md) = update(Path::new("ep.md"), text, Anchors::Mdbook, &cfg).unwrap()
        else {
            panic!()
        };
        assert!(md.contains("- [Don’t stop](#dont-stop)"), "{md}");
    }

    /// Stale and current in one go: the update gives `want`, and a second run has nothing to do.
    fn updates_to(text: &str, want: &str) {
        let cfg = EpConfig::default();
        let Ok(Outcome::Stale(new)) = update(Path::new("x.md"), text, Anchors::Github, &cfg) else {
            panic!("stale expected: {text:?}");
        };
        assert_eq!(new, want);
        assert_eq!(
            update(Path::new("x.md"), &new, Anchors::Github, &cfg).ok(),
            Some(Outcome::Current)
        );
    }

    #[test]
    fn a_toc_in_a_block_quote_stays_in_it() {
        updates_to(
            "# T\n\n> <!-- toc -->\n> - old\n> <!-- /toc -->\n\n## A\n### B\n",
            "# T\n\n> <!-- toc -->\n> - [A](#a)\n>   - [B](#b)\n> <!-- /toc -->\n\n## A\n### B\n",
        );
        // An empty region, and a closing marker that was outside the quote.
        updates_to(
            "> <!-- toc -->\n<!-- /toc -->\n\n## A\n",
            "> <!-- toc -->\n> - [A](#a)\n> <!-- /toc -->\n\n## A\n",
        );
        // A heading inside the quoted region belongs to the old TOC.
        updates_to(
            "><!-- toc -->\n>## Old\n><!-- /toc -->\n\n## A\n",
            "><!-- toc -->\n>- [A](#a)\n><!-- /toc -->\n\n## A\n",
        );
    }

    #[test]
    fn a_toc_in_a_nested_quote_with_crlf_keeps_both_markers() {
        updates_to(
            "# T\r\n\r\n> > <!-- toc -->\r\n> > <!-- /toc -->\r\n\r\n## A\r\n## B\r\n",
            "# T\r\n\r\n> > <!-- toc -->\r\n> > - [A](#a)\r\n> > - [B](#b)\r\n> > <!-- /toc -->\r\n\r\n## A\r\n## B\r\n",
        );
        updates_to(
            "> <!-- toc -->\r\n> - stale\r\n> <!-- /toc -->\r\n\r\n## A\r\n",
            "> <!-- toc -->\r\n> - [A](#a)\r\n> <!-- /toc -->\r\n\r\n## A\r\n",
        );
    }

    #[test]
    fn a_list_item_before_the_marker_is_no_prefix() {
        updates_to(
            "- <!-- toc -->\n<!-- /toc -->\n\n## A\n",
            "- <!-- toc -->\n- [A](#a)\n<!-- /toc -->\n\n## A\n",
        );
    }

    #[test]
    fn unclosed_marker_names_its_line() {
        let text = "---\ntitle: x\n---\n# T\n\n<!-- toc -->\n\n## A\n";
        assert_eq!(
            update(
                Path::new("ep.md"),
                text,
                Anchors::Github,
                &EpConfig::default()
            )
            .unwrap_err()
            .location
            .unwrap()
            .line,
            6
        );
        assert_eq!(
            update(
                Path::new("ep.md"),
                "# T\n",
                Anchors::Github,
                &EpConfig::default()
            )
            .unwrap(),
            Outcome::NoMarkers
        );
    }
}

//! The text of an EP's chapter, and of the template's.

use super::Directory;
use super::escape::html;
use super::header::header;
use super::toc::{Splice, in_book, marker_splice, splice_in_place, toc};
use crate::dialect::MarkdownFlags;
use crate::read::config::{EpConfig, TocChapters};
use crate::read::ep::Ep;
use crate::read::metadata::{FrontMatter, split_front_matter};
use crate::read::outline::Outline;

/// The chapter text of an EP: front matter removed, an H1 ensured, the header under the H1,
/// and the TOC between its markers or (with `toc.auto`) under the header. `text` is the EP's
/// file (its `Ep::text`, or that text once the preprocessor has moved it out), and the page is
/// written into its buffer.
pub fn ep_chapter(ep: &Ep, text: String, dir: &Directory<'_>, cfg: &EpConfig) -> String {
    let from = ep.body_start.min(text.len());
    let body = text.get(from..).unwrap_or_default();
    let mut head = header(ep, dir, cfg);
    if let Some(story) = dir
        .history(ep)
        .and_then(|h| super::history::section(h, cfg.commit_url.as_deref()))
    {
        head.push_str("\n\n");
        head.push_str(&story);
    }
    let title = ep.outline.leading_h1().map(|_| 0);
    let generated_title = title.is_none().then(|| ep.display_name());
    let before = ep.generated_title();
    let mut splices = Vec::new();
    let wants_toc = cfg.toc.chapters != TocChapters::Marked || ep.outline.toc.is_some();
    if wants_toc {
        let ids = ep.outline.heading_ids(&before, cfg.dialect.empty_ids);
        let list = in_book(
            &toc(&ep.outline, &ids, title, &cfg.toc),
            &cfg.toc,
            cfg.dialect,
        );
        match marker_splice(body, &ep.outline, &list) {
            Some(s) => splices.push(s),
            None if cfg.toc.auto && !list.is_empty() && cfg.toc.chapters != TocChapters::Marked => {
                head.push_str("\n\n<!-- toc -->\n");
                head.push_str(&list);
                head.push_str("<!-- /toc -->");
            }
            None => {}
        }
    }
    if cfg.dialect.readme_is_index {
        splices.extend(readme_links(ep, body));
    }
    let at = ep
        .outline
        .leading_h1()
        .map_or(0, |h| h.range.end.min(body.len()));
    let lead = match &generated_title {
        Some(name) => format!("# {}\n\n{head}\n\n", html(name)),
        None => {
            let lead = if body[..at].ends_with('\n') { "" } else { "\n" };
            format!("{lead}\n{head}\n\n")
        }
    };
    splices.push(Splice {
        range: at..at,
        text: lead,
    });
    splice_in_place(text, from, splices)
}

/// Links to a `README.md` (`../0042-x/README.md#design`) made to name `index.md`: mdBook's
/// `index` preprocessor renders each `README.md` chapter as `index.html`, but its renderer
/// turns the link into `README.html`, a page that does not exist. The file keeps its link, so
/// the code host's stays right too; only the book's copy changes.
fn readme_links(ep: &Ep, body: &str) -> Vec<Splice> {
    const README: &str = "README.md";
    ep.outline
        .authored_links()
        .filter(|l| {
            let path = l.dest.split(['#', '?']).next().unwrap_or_default();
            (path == README || path.ends_with("/README.md")) && !path.contains("://")
        })
        .filter_map(|l| {
            // The destination as written follows the link's start on the same line or two.
            let window = body.get(l.offset..)?;
            let window = &window[..window.len().min(2048)];
            // After the link text (`[README.md](README.md)` names it twice), or right away in
            // an HTML attribute.
            let skip = if window.starts_with('[') {
                window.find("](")? + 2
            } else {
                0
            };
            let at = l.offset + skip + window[skip..].find(README)?;
            Some(Splice {
                range: at..at + README.len(),
                text: "index.md".into(),
            })
        })
        .collect()
}

/// The template's own page shows its metadata as a YAML block instead of a stray rule and
/// heading.
pub(crate) fn template_page(content: &str, flags: MarkdownFlags) -> String {
    match split_front_matter(content) {
        FrontMatter::Present {
            yaml, body_start, ..
        } => {
            let body = &content[body_start..];
            let fence = if yaml.contains("```") { "~~~~" } else { "```" };
            let block = format!("{fence}yaml\n{yaml}{fence}\n\n");
            let outline = Outline::parse(body, flags);
            match outline.leading_h1() {
                Some(h1) => {
                    let end = h1.range.end.min(body.len());
                    format!(
                        "{}\n\n{block}{}",
                        body[..end].trim_end(),
                        body[end..].trim_start_matches('\n')
                    )
                }
                None => format!("{block}{body}"),
            }
        }
        _ => content.to_string(),
    }
}

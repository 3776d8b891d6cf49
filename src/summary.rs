//! SUMMARY.md as text: the `ep:summary` region, where it goes, and the generated part written
//! as SUMMARY.md lines that mdBook's own parser reads back into the same tree.
//!
//! Generated pages (SIG overviews, state chapters, index pages) have no file, so they are
//! written as draft links `[Name]()`; mdBook loads them as drafts and the preprocessor, seeing
//! the region, replaces the whole region with the structure it builds anyway.

use std::ops::Range;
use std::path::Path;

use mdbook_markdown::pulldown_cmark::{Event, Parser, Tag, TagEnd};
use mdbook_preprocessor::book::BookItem;
use mdbook_summary::{SummaryItem, parse_summary};

pub const OPEN: &str = "<!-- ep:summary -->";
pub const CLOSE: &str = "<!-- /ep:summary -->";

/// Where the markers are: byte ranges of the two marker lines and of what lies between.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    pub open: Range<usize>,
    pub content: Range<usize>,
    pub close: Range<usize>,
}

/// A problem with SUMMARY.md's markers, with its 1-based line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkerError {
    pub line: usize,
    pub message: String,
}

/// Finds the region. Markers must stand alone on their lines, once each, in order.
pub fn find_region(text: &str) -> Result<Option<Region>, MarkerError> {
    let mut open: Option<(Range<usize>, usize)> = None;
    let mut found: Option<Region> = None;
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let range = offset..offset + line.len();
        offset += line.len();
        let t = line.trim();
        if t.eq_ignore_ascii_case(OPEN) {
            if open.is_some() || found.is_some() {
                return Err(MarkerError {
                    line: i + 1,
                    message: format!("a second `{OPEN}`"),
                });
            }
            open = Some((range, i + 1));
        } else if t.eq_ignore_ascii_case(CLOSE) {
            let Some((o, _)) = open.take() else {
                return Err(MarkerError {
                    line: i + 1,
                    message: format!("`{CLOSE}` without an opening `{OPEN}`"),
                });
            };
            found = Some(Region {
                content: o.end..range.start,
                open: o,
                close: range,
            });
        }
    }
    if let Some((_, line)) = open {
        return Err(MarkerError {
            line,
            message: format!("`{OPEN}` is never closed with `{CLOSE}`"),
        });
    }
    Ok(found)
}

fn top_level(summary: &mdbook_summary::Summary) -> impl Iterator<Item = &SummaryItem> {
    summary
        .prefix_chapters
        .iter()
        .chain(&summary.numbered_chapters)
        .chain(&summary.suffix_chapters)
}

const SENTINEL: &str = "mdbook-ep region sentinel";

/// Which top-level book items came from the region: mdBook builds the book's top level from
/// SUMMARY.md's items one to one, so the region's items are found by parsing the file once as
/// it is and once with the region replaced by a single sentinel item.
pub fn region_items(text: &str, region: &Region) -> Result<Range<usize>, String> {
    let full = parse_summary(text).map_err(|e| format!("{e:#}"))?;
    let mut probe = String::with_capacity(text.len());
    probe.push_str(&text[..region.content.start]);
    probe.push_str(&format!("\n- [{SENTINEL}]()\n\n"));
    probe.push_str(&text[region.content.end..]);
    let with_sentinel = parse_summary(&probe).map_err(|e| format!("{e:#}"))?;
    let start = top_level(&with_sentinel)
        .position(|i| matches!(i, SummaryItem::Link(l) if l.name == SENTINEL))
        .ok_or("the region is not at the top level of SUMMARY.md")?;
    let total = top_level(&full).count();
    let others = top_level(&with_sentinel).count() - 1;
    Ok(start..start + (total - others))
}

/// The byte offset where the region goes when SUMMARY.md has no markers yet: after the
/// top-level list item that links the EP folder's `README.md`, else after the last top-level
/// list (before any suffix chapters), else at the end.
pub fn placement(text: &str, eps_readme: &Path) -> usize {
    let wanted = eps_readme.to_string_lossy().replace('\\', "/");
    let mut depth = 0usize;
    let mut item_end: Option<usize> = None;
    let mut item_has_anchor = false;
    let mut last_list_end: Option<usize> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::List(_)) => depth += 1,
            Event::End(TagEnd::List(_)) => {
                depth -= 1;
                if depth == 0 {
                    last_list_end = Some(range.end);
                }
            }
            Event::Start(Tag::Item) if depth == 1 => {
                item_has_anchor = false;
                item_end = Some(range.end);
            }
            Event::End(TagEnd::Item) if depth == 1 && item_has_anchor => {
                return line_end(text, item_end.unwrap_or(range.end));
            }
            Event::Start(Tag::Link { dest_url, .. }) if depth >= 1 => {
                let dest = dest_url.replace("%20", " ");
                if dest.trim_start_matches("./") == wanted {
                    item_has_anchor = true;
                }
            }
            _ => {}
        }
    }
    last_list_end.map_or(text.len(), |e| line_end(text, e))
}

fn line_end(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    if offset > 0 && text.as_bytes()[offset - 1] == b'\n' {
        return offset;
    }
    text[offset..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1)
}

/// Escapes a chapter name for SUMMARY.md link text, which keeps only text and code.
fn escape_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(
            c,
            '\\' | '[' | ']' | '*' | '_' | '`' | '<' | '>' | '&' | '!' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn escape_dest(path: &Path) -> String {
    path.to_string_lossy()
        .replace('\\', "/")
        .replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
}

/// The generated items as SUMMARY.md lines: parts, draft links for generated pages, real links
/// for EP files and other files.
pub fn render_items(items: &[BookItem]) -> String {
    fn chapter(item: &BookItem, depth: usize, out: &mut String) {
        if let BookItem::Chapter(ch) = item {
            let dest = ch
                .source_path
                .as_deref()
                .map(escape_dest)
                .unwrap_or_default();
            out.push_str(&format!(
                "{}- [{}]({dest})\n",
                "  ".repeat(depth),
                escape_name(&ch.name)
            ));
            for sub in &ch.sub_items {
                chapter(sub, depth + 1, out);
            }
        }
    }
    let mut out = String::new();
    for item in items {
        match item {
            BookItem::PartTitle(t) => {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(&format!("# {}\n\n", escape_name(t)));
            }
            BookItem::Separator => out.push_str("\n---\n"),
            BookItem::Chapter(_) => chapter(item, 0, &mut out),
        }
    }
    out
}

/// SUMMARY.md with the region set to `generated`: only the bytes between the markers change;
/// without markers, they are added at the placement point.
pub fn splice(text: &str, region: Option<&Region>, generated: &str, place: usize) -> String {
    let block = format!("\n{generated}\n");
    match region {
        Some(r) => format!(
            "{}{block}{}",
            &text[..r.content.start],
            &text[r.content.end..]
        ),
        None => {
            let before = &text[..place];
            let sep = if before.is_empty() || before.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            format!("{before}{sep}{OPEN}\n{block}{CLOSE}\n{}", &text[place..])
        }
    }
}

/// The top-level book items that came from SUMMARY.md's `ep:summary` region, if it has one.
pub fn locate_region(
    text: &str,
    shown: &Path,
    diagnostics: &mut Vec<crate::diagnostic::Diagnostic>,
) -> Option<Range<usize>> {
    let broken = |line: usize, message: String| {
        crate::diagnostic::Diagnostic::new(crate::diagnostic::Rule::SummaryMarkers, message)
            .at(crate::diagnostic::Location::new(shown, line, 1))
            .help("keep one `<!-- ep:summary -->` line and one `<!-- /ep:summary -->` line after it, or remove both and run `mdbook-ep summary --write`")
    };
    match find_region(text) {
        Ok(None) => None,
        Ok(Some(region)) => match region_items(text, &region) {
            Ok(range) => Some(range),
            Err(e) => {
                let line = text[..region.open.start].matches('\n').count() + 1;
                diagnostics.push(broken(
                    line,
                    format!("cannot place the `ep:summary` region: {e}"),
                ));
                None
            }
        },
        Err(e) => {
            diagnostics.push(broken(e.line, e.message));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_rejects_markers() {
        let text = "# Summary\n\n- [A](a.md)\n<!-- ep:summary -->\n- [B]()\n<!-- /ep:summary -->\n";
        let r = find_region(text).unwrap().unwrap();
        assert_eq!(&text[r.content.clone()], "- [B]()\n");
        let err = find_region("x\n<!-- ep:summary -->\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert_eq!(find_region("<!-- /ep:summary -->\n").unwrap_err().line, 1);
        assert_eq!(find_region("nothing\n").unwrap(), None);
    }

    #[test]
    fn region_items_are_counted_with_mdbooks_parser() {
        let text = "# Summary\n\n[Intro](i.md)\n\n- [A](a.md)\n<!-- ep:summary -->\n- [B]()\n\n# P\n\n- [C]()\n  - [D]()\n\n---\n<!-- /ep:summary -->\n- [E](e.md)\n";
        let r = find_region(text).unwrap().unwrap();
        // Intro, A, [B, Part P, C, ---], E
        assert_eq!(region_items(text, &r).unwrap(), 2..6);
    }

    #[test]
    fn placement_follows_the_anchor_item_or_the_last_list() {
        let text = "# Summary\n\n- [A](a.md)\n- [EPs](eps/README.md)\n  - [T](eps/template/README.md)\n- [Z](z.md)\n\n[Suffix](s.md)\n";
        let at = placement(text, Path::new("eps/README.md"));
        assert_eq!(&text[at..], "- [Z](z.md)\n\n[Suffix](s.md)\n");
        let at = placement(text, Path::new("other/README.md"));
        assert_eq!(&text[at..], "[Suffix](s.md)\n");
        assert_eq!(placement("# Summary\n", Path::new("eps/README.md")), 10);
    }

    #[test]
    fn names_and_paths_survive_mdbooks_parser() {
        let items = vec![
            BookItem::PartTitle("R&D <core>".into()),
            BookItem::Chapter(mdbook_preprocessor::book::Chapter {
                name: "EP-0001: Fast & <safe> [builds] *now*".into(),
                source_path: Some("eps/a b/0001-x/README.md".into()),
                number: Some(mdbook_preprocessor::book::SectionNumber::new(vec![1])),
                ..Default::default()
            }),
        ];
        let text = format!("# Summary\n\n{}", render_items(&items));
        let parsed = parse_summary(&text).unwrap();
        assert_eq!(parsed.numbered_chapters.len(), 2, "{text}");
        match &parsed.numbered_chapters[1] {
            SummaryItem::Link(l) => {
                assert_eq!(l.name, "EP-0001: Fast & <safe> [builds] *now*");
                assert_eq!(
                    l.location.as_deref(),
                    Some(Path::new("eps/a b/0001-x/README.md"))
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn splice_changes_only_the_region() {
        let text = "# Summary\n\n- [A](a.md)\n<!-- ep:summary -->\nold\n<!-- /ep:summary -->\n- [Z](z.md)\n";
        let r = find_region(text).unwrap().unwrap();
        let out = splice(text, Some(&r), "- [New]()\n", 0);
        assert_eq!(
            out,
            "# Summary\n\n- [A](a.md)\n<!-- ep:summary -->\n\n- [New]()\n\n<!-- /ep:summary -->\n- [Z](z.md)\n"
        );
        let out = splice("# Summary", None, "- [New]()\n", 9);
        assert_eq!(
            out,
            "# Summary\n<!-- ep:summary -->\n\n- [New]()\n\n<!-- /ep:summary -->\n"
        );
    }
}

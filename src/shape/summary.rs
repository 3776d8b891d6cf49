//! SUMMARY.md as text: where the `ep:summary` region goes, and the generated part written as
//! SUMMARY.md lines that mdBook's own parser reads back into the same tree.
//!
//! Generated pages (SIG overviews, state chapters, index pages) have no file, so they are
//! written as draft links `[Name]()`; mdBook loads them as drafts and the preprocessor, seeing
//! the region, replaces the whole region with the structure it builds anyway.

use std::path::Path;

use mdbook_markdown::pulldown_cmark::{Event, Parser, Tag, TagEnd};
use mdbook_preprocessor::book::BookItem;

use crate::read::summary_region::{CLOSE, OPEN, Region};
use crate::text::{line_ending, with_line_ending};

/// The byte offset where the region goes when SUMMARY.md has no markers yet: after the
/// top-level list item that links the EP folder's `README.md`, else after the last top-level
/// list (before any suffix chapters), else at the end.
pub(crate) fn placement(text: &str, eps_readme: &Path) -> usize {
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
pub(crate) fn render_items(items: &[BookItem]) -> String {
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
pub(crate) fn splice(text: &str, region: Option<&Region>, generated: &str, place: usize) -> String {
    let block = format!("\n{generated}\n");
    let (before, needs_break, inserted, after) = match region {
        Some(r) => (
            &text[..r.content.start],
            false,
            block,
            &text[r.content.end..],
        ),
        None => {
            let before = &text[..place];
            (
                before,
                !before.is_empty() && !before.ends_with('\n'),
                format!("{OPEN}\n{block}{CLOSE}\n"),
                &text[place..],
            )
        }
    };
    // The line ending the file will be read as having afterwards, so a second splice writes
    // the same bytes: the file's own, or, when it has no line break yet, the one added here
    // (CRLF when it completes a lone CR).
    let eol = if text.contains('\n') {
        line_ending(text)
    } else if before.ends_with('\r') {
        "\r\n"
    } else {
        "\n"
    };
    let sep = match (needs_break, before.ends_with('\r')) {
        (false, _) => "",
        (true, true) => "\n",
        (true, false) => eol,
    };
    format!("{before}{sep}{}{after}", with_line_ending(&inserted, eol))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::summary_region::find_region;
    use mdbook_summary::{SummaryItem, parse_summary};

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

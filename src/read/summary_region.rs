//! SUMMARY.md's `ep:summary` region: where its markers are and which of the book's top-level
//! items mdBook loaded from it. The region is generated (see `shape::summary`); reading it is
//! part of checking a book, since broken markers are EP0801.

use std::ops::Range;
use std::path::Path;

use mdbook_summary::{SummaryItem, parse_summary};

use crate::diagnostic::{Diagnostic, Location, Rule};

/// The line that opens the region.
pub(crate) const OPEN: &str = "<!-- ep:summary -->";
/// The line that closes the region.
pub(crate) const CLOSE: &str = "<!-- /ep:summary -->";

/// Where the markers are: byte ranges of the two marker lines and of what lies between.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Region {
    pub open: Range<usize>,
    pub content: Range<usize>,
    pub close: Range<usize>,
}

/// A problem with SUMMARY.md's markers, with its 1-based line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct MarkerError {
    pub line: usize,
    pub message: String,
}

/// Finds the region. Markers must stand alone on their lines, once each, in order.
pub(crate) fn find_region(text: &str) -> Result<Option<Region>, MarkerError> {
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
pub(crate) fn region_items(text: &str, region: &Region) -> Result<Range<usize>, String> {
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

/// The top-level book items that came from SUMMARY.md's `ep:summary` region, if it has one.
pub(crate) fn locate_region(
    text: &str,
    shown: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Range<usize>> {
    let broken = |line: usize, message: String| {
        Diagnostic::new(Rule::SummaryMarkers, message)
            .at(Location::new(shown, line, 1))
            .help("keep one `<!-- ep:summary -->` line and one `<!-- /ep:summary -->` line after it, or remove both and run `mdbook-ep summary --write`")
    };
    match find_region(text) {
        Ok(None) => None,
        Ok(Some(region)) => match region_items(text, &region) {
            Ok(range) => Some(range),
            Err(e) => {
                let line = text[..region.open.start].matches('\n').count() + 1;
                // A SUMMARY.md that mdBook itself refuses: the markers are not what is wrong.
                let d = if parse_summary(text).is_err() {
                    Diagnostic::new(
                        Rule::SummaryMarkers,
                        format!("SUMMARY.md does not parse, so the `ep:summary` region cannot be placed: {e}"),
                    )
                    .at(Location::new(shown, line, 1))
                    .help("fix SUMMARY.md as the message says; mdBook refuses it too")
                } else {
                    broken(line, format!("cannot place the `ep:summary` region: {e}"))
                };
                diagnostics.push(d);
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

    /// A SUMMARY.md that mdBook refuses is reported as such, not as broken markers.
    #[test]
    fn a_summary_mdbook_refuses_is_not_blamed_on_the_markers() {
        let shown = Path::new("src/SUMMARY.md");
        let located = |text: &str| {
            let mut d = Vec::new();
            let range = locate_region(text, shown, &mut d);
            (range, d)
        };
        let (range, d) = located(
            "# Summary\n\n- [A](a.md)\n- [A again](a.md)\n<!-- ep:summary -->\n- [B]()\n<!-- /ep:summary -->\n",
        );
        assert_eq!(range, None);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.starts_with("SUMMARY.md does not parse"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].location.as_ref().unwrap().line, 5);
        assert_eq!(
            located("# Summary\n\n<!-- ep:summary -->\n- [B]()\n<!-- /ep:summary -->\n"),
            (Some(0..1), vec![])
        );
    }
}

//! The headings of a chapter, from one parse with exactly mdBook's parser options.
//!
//! Validation (template sections) and rendering (where the header table goes) both need the
//! headings; parsing once here keeps "one Markdown parse per chapter".

use std::ops::Range;

use mdbook_markdown::pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use crate::config::MarkdownFlags;

/// One heading as written in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// Plain text: text and inline code, without markup, HTML or footnote marks.
    pub text: String,
    /// Byte range of the whole heading in the parsed text.
    pub range: Range<usize>,
    /// 1-based line in the parsed text.
    pub line: usize,
    /// HTML comments written right after the heading (or inside it), e.g. `optional`.
    pub markers: Vec<String>,
}

/// The headings of one document, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outline {
    pub headings: Vec<Heading>,
}

impl Outline {
    pub fn parse(text: &str, flags: MarkdownFlags) -> Outline {
        let parser = mdbook_markdown::new_cmark_parser(text, &flags.options()).into_offset_iter();
        let lines = LineIndex::new(text);
        let mut headings: Vec<Heading> = Vec::new();
        let mut current: Option<Heading> = None;
        // After a heading ends, HTML comments that follow it directly are its markers.
        let mut marker_target: Option<usize> = None;
        for (event, range) in parser {
            match event {
                Event::Start(Tag::Heading { level, .. }) => {
                    marker_target = None;
                    current = Some(Heading {
                        level: level_num(level),
                        text: String::new(),
                        line: lines.line_of(range.start),
                        range,
                        markers: Vec::new(),
                    });
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some(mut h) = current.take() {
                        h.text = h.text.split_whitespace().collect::<Vec<_>>().join(" ");
                        headings.push(h);
                        marker_target = Some(headings.len() - 1);
                    }
                }
                Event::Text(t) | Event::Code(t) => match &mut current {
                    Some(h) => h.text.push_str(&t),
                    None => marker_target = None,
                },
                Event::SoftBreak | Event::HardBreak => {
                    if let Some(h) = &mut current {
                        h.text.push(' ');
                    }
                }
                Event::Html(html) | Event::InlineHtml(html) => {
                    let markers = comments(&html);
                    if let Some(h) = &mut current {
                        h.markers.extend(markers);
                    } else if let Some(i) = marker_target {
                        if markers.is_empty() {
                            marker_target = None;
                        }
                        headings[i].markers.extend(markers);
                    }
                }
                Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
                _ => {
                    if current.is_none() {
                        marker_target = None;
                    }
                }
            }
        }
        Outline { headings }
    }

    /// The title heading, when the document opens with an H1 (before any other heading).
    pub fn leading_h1(&self) -> Option<&Heading> {
        self.headings.first().filter(|h| h.level == 1)
    }
}

fn level_num(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The trimmed bodies of the HTML comments in a fragment.
fn comments(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        let after = &rest[start + 4..];
        let Some(end) = after.find("-->") else { break };
        out.push(after[..end].trim().to_string());
        rest = &after[end + 3..];
    }
    out
}

/// Byte offset -> 1-based line, by binary search over line starts.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_with_lines_text_and_markers() {
        let text = "<!-- intro -->\n# EP-1: `fast` *builds*\n\n## Summary\n<!-- optional -->\n\ntext\n\n```\n## not a heading\n```\n\nSetext\n------\n## Risks <!-- required-from: implementable -->\n";
        let o = Outline::parse(text, MarkdownFlags::default());
        let got: Vec<_> = o
            .headings
            .iter()
            .map(|h| (h.level, h.text.as_str(), h.line))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "EP-1: fast builds", 2),
                (2, "Summary", 4),
                (2, "Setext", 13),
                (2, "Risks", 15)
            ]
        );
        assert_eq!(o.headings[1].markers, vec!["optional"]);
        assert!(o.headings[2].markers.is_empty());
        assert_eq!(o.headings[3].markers, vec!["required-from: implementable"]);
        assert_eq!(o.leading_h1().unwrap().text, "EP-1: fast builds");
    }

    #[test]
    fn marker_must_follow_directly() {
        let o = Outline::parse(
            "## A\n\nSome text.\n\n<!-- optional -->\n",
            MarkdownFlags::default(),
        );
        assert!(o.headings[0].markers.is_empty());
    }

    #[test]
    fn no_leading_h1_when_first_heading_is_h2() {
        let o = Outline::parse("## A\n# B\n", MarkdownFlags::default());
        assert!(o.leading_h1().is_none());
    }
}

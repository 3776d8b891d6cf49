//! The EP template's sections and which of them an EP must have.
//!
//! Requirements are machine-readable in the template itself: a heading ending in `(Optional)` or
//! followed by `<!-- optional -->` may be left out, and one followed by
//! `<!-- required-from: implementable -->` is needed only once the EP reaches that state.

use std::ops::ControlFlow;
use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, Location, Rule};
use crate::dialect::MarkdownFlags;
use crate::model::State;
use crate::read::metadata::{FrontMatter, split_front_matter};
use crate::read::outline::{Marker, Outline, marker};
use crate::suggest::did_you_mean;

/// When a template section must be present.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requirement {
    Always,
    Optional,
    From(State),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The heading as the template writes it, without `(Optional)`.
    pub title: String,
    /// The comparison key: see [`section_key`].
    pub key: String,
    pub level: u8,
    pub line: usize,
    pub requirement: Requirement,
    /// The template's own words under the heading (see [`section_words`]): an EP that still
    /// has exactly these has not written the section.
    pub text: String,
}

#[derive(Clone, Debug, Default)]
/// The template's sections, in order.
pub struct Template {
    /// Relative to the book root.
    pub shown: PathBuf,
    /// Every heading but the title.
    pub sections: Vec<Section>,
}

impl Requirement {
    /// Whether an EP in `state` must have the section. An EP with no valid state is held to the
    /// sections required always (its state error is reported on its own).
    pub fn applies(self, state: Option<State>) -> bool {
        match self {
            Requirement::Always => true,
            Requirement::Optional => false,
            Requirement::From(from) => match (state.and_then(State::progress), from.progress()) {
                (Some(now), Some(needed)) => now >= needed,
                _ => false,
            },
        }
    }
}

/// How headings are compared: case, spacing, a trailing colon and `(Optional)` do not matter.
pub(crate) fn section_key(text: &str) -> String {
    let lower = text.to_lowercase();
    let lower = lower.trim().trim_end_matches(':').trim_end();
    let lower = lower.strip_suffix("(optional)").unwrap_or(lower);
    super::outline::collapse_whitespace(lower)
}

/// A section's text as a reader sees it, for comparing an EP's section with the template's:
/// HTML comments (the template's instructions and markers), link reference definitions (an
/// RFC template's `[summary]: #summary`) and spacing left out.
pub(crate) fn section_words(text: &str) -> String {
    let mut words = String::new();
    let _ = visible_lines(text.lines(), |line| {
        for word in line.split_whitespace() {
            if !words.is_empty() {
                words.push(' ');
            }
            words.push_str(word);
        }
        ControlFlow::Continue(())
    });
    words
}

/// Whether `lines` hold any word a reader sees ([`section_words`] is not empty), stopping at
/// the first.
pub(crate) fn has_words<'a>(lines: impl Iterator<Item = &'a str>) -> bool {
    visible_lines(lines, |line| match line.split_whitespace().next() {
        Some(_) => ControlFlow::Break(()),
        None => ControlFlow::Continue(()),
    })
    .is_break()
}

/// Whether [`section_words`] of `text` is `words`, stopping at the first difference.
pub(crate) fn words_are(text: &str, words: &str) -> bool {
    let mut expected = words.split(' ').filter(|w| !w.is_empty());
    let differs = visible_lines(text.lines(), |line| {
        if line.split_whitespace().all(|w| expected.next() == Some(w)) {
            ControlFlow::Continue(())
        } else {
            ControlFlow::Break(())
        }
    })
    .is_break();
    !differs && expected.next().is_none()
}

/// Calls `f` with each line of `lines` (joined by line breaks) as a reader sees it: HTML
/// comments cut out (a comment across lines joins what is before it with what is after it),
/// link reference definitions left out. Stops when `f` breaks. One pass, no copy of the text:
/// approved EPs' long sections go through here for every required section.
fn visible_lines<'a>(
    lines: impl Iterator<Item = &'a str>,
    mut f: impl FnMut(&str) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let mut line_seen = String::new();
    let mut in_comment = false;
    let mut emit = |line: &str| {
        let t = line.trim();
        if t.starts_with('[') && t.contains("]: #") {
            ControlFlow::Continue(())
        } else {
            f(line)
        }
    };
    for line in lines {
        let mut rest = line;
        loop {
            if in_comment {
                match rest.find("-->") {
                    Some(end) => {
                        rest = &rest[end + 3..];
                        in_comment = false;
                    }
                    None => break,
                }
            } else {
                match rest.find("<!--") {
                    Some(start) => {
                        line_seen.push_str(&rest[..start]);
                        // `<!-->` closes itself, as the search starts inside the opener.
                        match rest[start + 2..].find("-->") {
                            Some(end) => rest = &rest[start + 2 + end + 3..],
                            None => {
                                in_comment = true;
                                break;
                            }
                        }
                    }
                    None => {
                        line_seen.push_str(rest);
                        break;
                    }
                }
            }
        }
        if !in_comment {
            emit(&line_seen)?;
            line_seen.clear();
        }
    }
    if !line_seen.is_empty() {
        emit(&line_seen)?;
    }
    ControlFlow::Continue(())
}

/// Reads the template's sections: every heading but the title (a lone leading H1; a template
/// with several H1s, like an RFC template, uses them as sections).
pub fn parse(text: &str, shown: PathBuf, flags: MarkdownFlags) -> (Template, Vec<Diagnostic>) {
    let (body, first_line) = match split_front_matter(text) {
        FrontMatter::Present {
            body_start,
            body_line,
            ..
        } => (&text[body_start..], body_line),
        _ => (text, 1),
    };
    let outline = Outline::parse(body, flags);
    let mut diags = Vec::new();
    let mut sections = Vec::new();
    let title = outline.leading_h1().map(|h| h.range.clone());
    for (i, h) in outline.headings.iter().enumerate() {
        if Some(&h.range) == title.as_ref() {
            continue;
        }
        // Only the section's own words, before its first subsection: those are what an author
        // is meant to replace.
        let text = section_words(outline.own_text(body, i));
        let line = h.line + first_line - 1;
        let mut requirement = if h.text.to_lowercase().trim_end().ends_with("(optional)") {
            Requirement::Optional
        } else {
            Requirement::Always
        };
        for found in h.markers.iter().filter_map(|m| marker(m)) {
            let state = match found {
                Marker::Optional => {
                    requirement = Requirement::Optional;
                    continue;
                }
                Marker::RequiredFrom(state) => state.to_lowercase(),
            };
            let state = state.as_str();
            match State::parse(state) {
                Some(s) => requirement = Requirement::From(s),
                None => {
                    // Meant for a later state, whichever: optional until the marker is
                    // fixed, so its one error is not followed by one per EP.
                    requirement = Requirement::Optional;
                    let names: Vec<&str> = State::ALL.iter().map(|s| s.as_str()).collect();
                    diags.push(
                        Diagnostic::new(
                            Rule::UnknownState,
                            format!("template marker names unknown state \"{state}\""),
                        )
                        .at(Location::new(&shown, line, 1))
                        .help(match did_you_mean(state, &names) {
                            Some(g) => format!("did you mean \"{g}\"?"),
                            None => format!("use one of: {}", names.join(", ")),
                        }),
                    );
                }
            }
        }
        let title = h.text.trim().to_string();
        let title = title
            .strip_suffix("(Optional)")
            .or_else(|| title.strip_suffix("(optional)"))
            .map_or(title.clone(), |t| t.trim_end().to_string());
        sections.push(Section {
            key: section_key(&title),
            title,
            level: h.level,
            line,
            requirement,
            text,
        });
    }
    (Template { shown, sections }, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `section_words` as it was written before it became one pass: comments cut out of the
    /// whole text, then lines.
    fn section_words_by_copy(text: &str) -> String {
        let mut visible = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("<!--") {
            visible.push_str(&rest[..start]);
            rest = match rest[start..].find("-->") {
                Some(end) => &rest[start + end + 3..],
                None => "",
            };
        }
        visible.push_str(rest);
        visible
            .lines()
            .filter(|l| {
                let t = l.trim();
                !(t.starts_with('[') && t.contains("]: #"))
            })
            .flat_map(str::split_whitespace)
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn section_words_in_one_pass_read_as_the_copy_did() {
        let cases = [
            "",
            "plain words\n\nmore",
            "before <!-- a comment --> after",
            "foo <!-- across\nlines --> bar\nbaz",
            "foo <!--\r\nbar -->baz\r\n",
            "<!-->self-closed --> after",
            "<!--->x",
            "unclosed <!-- never\nends",
            "[summary]: #summary\nwords",
            "a <!-- x -->[ref]: #r\nb",
            "  [not a def] text\n<!--\n-->\n\n  indented   words  ",
            "x <!-- 1 --> y <!-- 2\n3 --> z <!-- 4 -->",
        ];
        for text in cases {
            let want = section_words_by_copy(text);
            assert_eq!(section_words(text), want, "{text:?}");
            assert_eq!(has_words(text.lines()), !want.is_empty(), "{text:?}");
            assert!(words_are(text, &want), "{text:?}");
            assert!(!words_are(text, &format!("{want} extra")), "{text:?}");
            if !want.is_empty() {
                assert!(!words_are(text, ""), "{text:?}");
            }
        }
    }

    #[test]
    fn an_rfc_template_uses_its_h1s_as_sections() {
        let text = "- Feature Name: (fill me in)\n\n# Summary\n\n# Motivation\n\n# Prior art\n";
        let (t, _) = parse(text, "t.md".into(), MarkdownFlags::default());
        let titles: Vec<&str> = t.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Summary", "Motivation", "Prior art"]);
        // A lone H1 is the title, not a section.
        let (t, _) = parse(
            "# EP-NNNN: Title\n\n## Summary\n",
            "t.md".into(),
            MarkdownFlags::default(),
        );
        assert_eq!(t.sections.len(), 1);
    }

    #[test]
    fn reads_requirements() {
        let text = "---\ntitle: T\n---\n# EP-NNNN: Title\n\n## Summary\n\n## Motivation:\n<!-- optional -->\n\n### Story 1 (Optional)\n\n## Test Plan\n<!-- required-from: implementable -->\n\n## Oops\n<!-- required-from: done -->\n";
        let (t, d) = parse(
            text,
            "eps/template/README.md".into(),
            MarkdownFlags::default(),
        );
        let got: Vec<_> = t
            .sections
            .iter()
            .map(|s| (s.title.as_str(), s.requirement, s.line))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Summary", Requirement::Always, 6),
                ("Motivation:", Requirement::Optional, 8),
                ("Story 1", Requirement::Optional, 11),
                ("Test Plan", Requirement::From(State::Implementable), 13),
                ("Oops", Requirement::Optional, 16),
            ]
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].rule.code(), "EP0102");
        assert_eq!(section_key("  Motivation:  "), "motivation");
        assert_eq!(section_key("User Stories (Optional)"), "user stories");
    }

    #[test]
    fn from_state_applies_along_the_main_line_only() {
        let r = Requirement::From(State::Implementable);
        assert!(!r.applies(Some(State::Provisional)));
        assert!(r.applies(Some(State::Implementable)));
        assert!(r.applies(Some(State::Completed)));
        assert!(!r.applies(Some(State::Withdrawn)));
        assert!(!r.applies(None));
        assert!(Requirement::Always.applies(None));
    }
}

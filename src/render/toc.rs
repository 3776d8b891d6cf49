//! Tables of contents whose links land: entries are the chapter's headings, hrefs are the ids
//! mdBook's renderer will give them (see [`crate::read::outline`]).

use std::ops::Range;

use crate::dialect::Dialect;
use crate::dialect::ids::Anchor;
use crate::read::config::{BesideSidebar, TocConfig};
use crate::read::outline::Outline;

/// A nested Markdown list of the headings between `min-level` and `max-level`. `skip` is the
/// title heading, which is not listed; with markers, only headings after the opening marker are
/// listed (so a "Contents" heading above the TOC does not list itself). A skipped level nests
/// one step, never more.
pub(crate) fn toc(
    outline: &Outline,
    ids: &[String],
    skip: Option<usize>,
    cfg: &TocConfig,
) -> String {
    let after = outline
        .toc
        .as_ref()
        .filter(|t| t.close.is_some())
        .map_or(0, |t| t.open.start);
    let mut out = String::new();
    let mut stack: Vec<u8> = Vec::new();
    for (i, h) in outline.headings.iter().enumerate() {
        if Some(i) == skip
            || h.level < cfg.min_level
            || h.level > cfg.max_level
            || h.range.start < after
        {
            continue;
        }
        let id = &ids[i];
        if id.is_empty() || h.label.is_empty() {
            continue; // Nothing to link to or nothing to show.
        }
        while stack.last().is_some_and(|l| *l >= h.level) {
            stack.pop();
        }
        let depth = stack.len();
        stack.push(h.level);
        for _ in 0..depth {
            out.push_str("  ");
        }
        out.push_str("- [");
        out.push_str(&h.label);
        out.push_str("](#");
        push_fragment(&mut out, id);
        out.push_str(")\n");
    }
    out
}

/// The TOC `list` as the rendered book shows it (see [`BesideSidebar`]); empty when left out.
pub(crate) fn in_book(list: &str, cfg: &TocConfig, dialect: Dialect) -> String {
    if list.is_empty() || !dialect.sidebar_headings {
        return list.to_string();
    }
    match cfg.beside_sidebar {
        BesideSidebar::Open => list.to_string(),
        BesideSidebar::Omit => String::new(),
        // Blank lines around the list so it parses as Markdown inside the HTML block.
        BesideSidebar::Fold => format!(
            "<details class=\"ep-toc\">\n<summary>Contents</summary>\n\n{list}\n</details>\n"
        ),
    }
}

/// Appends an id as a URL fragment, percent-encoding what cannot stand there.
fn push_fragment(out: &mut String, id: &str) {
    const SPECIAL: [char; 9] = [' ', '(', ')', '<', '>', '"', '`', '\\', '%'];
    if !id.contains(SPECIAL) {
        out.push_str(id);
        return;
    }
    for c in id.chars() {
        if SPECIAL.contains(&c) {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
}

/// A text edit: replace `range` of the original with `text`.
#[derive(Clone, Debug)]
pub(crate) struct Splice {
    pub range: Range<usize>,
    pub text: String,
}

/// Applies non-overlapping edits in order of position.
pub(crate) fn apply_splices(original: &str, splices: Vec<Splice>) -> String {
    let mut out =
        String::with_capacity(original.len() + splices.iter().map(|s| s.text.len()).sum::<usize>());
    let mut at = 0;
    for (range, text) in ordered(splices) {
        out.push_str(&original[at..range.start]);
        out.push_str(&text);
        at = range.end;
    }
    out.push_str(&original[at..]);
    out
}

/// [`apply_splices`] over `text[from..]`, written into `text`'s own buffer: what is before
/// `from` goes, and the bytes between edits move instead of being copied into a second string.
/// An EP's page is made this way from its text, so the memory the text held becomes the page's.
pub(crate) fn splice_in_place(mut text: String, from: usize, splices: Vec<Splice>) -> String {
    let edits: Vec<(Range<usize>, String)> = ordered(splices).collect();
    text.reserve_exact(edits.iter().map(|(_, t)| t.len()).sum());
    for (range, new) in edits.into_iter().rev() {
        text.replace_range(from + range.start..from + range.end, &new);
    }
    text.replace_range(..from, "");
    text
}

/// The ranges the edits replace, in order of position: each starts no earlier than the one
/// before it ended (an edit overlapping an earlier one loses the overlap).
fn ordered(mut splices: Vec<Splice>) -> impl Iterator<Item = (Range<usize>, String)> {
    splices.sort_by_key(|s| (s.range.start, s.range.end));
    let mut at = 0;
    splices.into_iter().map(move |s| {
        let start = s.range.start.max(at);
        let end = s.range.end.max(start);
        at = end;
        (start..end, s.text)
    })
}

/// The edit that fills the markers with `list`, when both markers are there. `text` is what
/// `outline` was parsed from.
pub(crate) fn marker_splice(text: &str, outline: &Outline, list: &str) -> Option<Splice> {
    let markers = outline.toc.as_ref()?;
    let close = markers.close.as_ref()?;
    let prefix = container_prefix(text, markers.open.start);
    let new = if prefix.is_empty() {
        format!("\n{list}")
    } else {
        let mut new = String::with_capacity(list.len() * 2);
        new.push('\n');
        for line in list.split_inclusive('\n') {
            new.push_str(prefix);
            new.push_str(line);
        }
        // The closing marker's line too: without the prefix it would stand outside the quote.
        new.push_str(prefix);
        new
    };
    Some(Splice {
        range: markers.open.end..close.start,
        text: new,
    })
}

/// What comes before the opening marker on its line when that is only block-quote markers and
/// indentation (`> `, `> > `, spaces): every line written between the markers needs it, or
/// the first line without `>` ends the quote and the list lands outside it. Anything else
/// before the marker (a list item's `- `) gives no prefix.
pub(crate) fn container_prefix(text: &str, marker_start: usize) -> &str {
    let before = text.get(..marker_start).unwrap_or_default();
    let line = before
        .rfind(['\n', '\r'])
        .map_or(before, |i| &before[i + 1..]);
    if line.chars().all(|c| matches!(c, '>' | ' ' | '\t')) {
        line
    } else {
        ""
    }
}

/// The TOC edits for a chapter that is not an EP (`chapters = "all"` or `"marked"`): fill the
/// markers, or (when `auto`) put the TOC under the chapter's title. `None` when nothing changes.
pub fn for_chapter(content: &str, dialect: Dialect, cfg: &TocConfig, auto: bool) -> Option<String> {
    let outline = Outline::parse_for_toc(content, dialect.markdown);
    let ids = outline.heading_ids(&[] as &[Anchor], dialect.empty_ids);
    let title = outline.leading_h1().map(|_| 0);
    let list = toc(&outline, &ids, title, cfg);
    if list.is_empty() {
        return None;
    }
    let list = in_book(&list, cfg, dialect);
    if let Some(splice) = marker_splice(content, &outline, &list) {
        return Some(apply_splices(content, vec![splice]));
    }
    if !auto || list.is_empty() {
        return None;
    }
    let at = outline
        .leading_h1()
        .map_or(0, |h| h.range.end.min(content.len()));
    let lead = if at == 0 || content[..at].ends_with('\n') {
        ""
    } else {
        "\n"
    };
    let text = format!("{lead}\n<!-- toc -->\n{list}<!-- /toc -->\n\n");
    Some(apply_splices(
        content,
        vec![Splice {
            range: at..at,
            text,
        }],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splicing_in_place_gives_what_splicing_into_a_copy_gives() {
        let sp = |r: std::ops::Range<usize>, t: &str| Splice {
            range: r,
            text: t.to_string(),
        };
        let front = "---\nstate: x\n---\n";
        let body = "# Title\n\n<!-- toc -->\nold\n<!-- /toc -->\n\nSee [it](README.md). é\n";
        let cases: Vec<Vec<Splice>> = vec![
            vec![],
            vec![sp(0..0, "lead\n")],
            vec![sp(body.len()..body.len(), "end")],
            vec![
                sp(22..26, "new list\n"),
                sp(7..7, "\nhead\n"),
                sp(49..58, "index.md"),
            ],
            // Overlapping and out of order: later edits start where earlier ones ended.
            vec![sp(5..12, "A"), sp(8..10, "B"), sp(0..3, "")],
        ];
        for splices in cases {
            let want = apply_splices(body, splices.clone());
            for lead in ["", front] {
                let text = format!("{lead}{body}");
                assert_eq!(splice_in_place(text, lead.len(), splices.clone()), want);
            }
        }
    }
    use crate::dialect::{EmptyIds, MarkdownFlags};

    fn toc_of(text: &str) -> String {
        let o = Outline::parse(text, MarkdownFlags::default());
        let ids = o.heading_ids(&[], EmptyIds::Blank);
        toc(&o, &ids, o.leading_h1().map(|_| 0), &TocConfig::default())
    }

    #[test]
    fn nests_by_level_and_skips_the_title() {
        assert_eq!(
            toc_of("# Title\n## A\n### A1\n#### A1a\n##### too deep\n## B\n## B\n"),
            "- [A](#a)\n  - [A1](#a1)\n    - [A1a](#a1a)\n- [B](#b)\n- [B](#b-1)\n"
        );
    }

    #[test]
    fn a_skipped_level_nests_one_step() {
        assert_eq!(
            toc_of("## A\n#### Deep\n### Mid\n## B\n"),
            "- [A](#a)\n  - [Deep](#deep)\n  - [Mid](#mid)\n- [B](#b)\n"
        );
    }

    /// A book whose sidebar does not list headings: the TOC is the plain list.
    const PLAIN: Dialect = Dialect {
        markdown: MarkdownFlags {
            smart_punctuation: true,
            definition_lists: true,
            admonitions: true,
        },
        empty_ids: EmptyIds::Blank,
        readme_is_index: true,
        sidebar_headings: false,
    };

    #[test]
    fn fills_markers_and_is_idempotent() {
        let text = "# T\n\n<!-- toc -->\n- stale\n<!-- /toc -->\n\n## One\n";
        let cfg = TocConfig::default();
        let once = for_chapter(text, PLAIN, &cfg, false).unwrap();
        assert_eq!(
            once,
            "# T\n\n<!-- toc -->\n- [One](#one)\n<!-- /toc -->\n\n## One\n"
        );
        let twice = for_chapter(&once, PLAIN, &cfg, false).unwrap();
        assert_eq!(twice, once);
    }

    /// The book renders the quote with the TOC inside it (the preprocessor splices as
    /// `toc --write` does).
    #[test]
    fn fills_markers_in_a_block_quote() {
        let text = "# T\n\n> Contents:\n>\n> <!-- toc -->\n> <!-- /toc -->\n\n## One\n";
        let cfg = TocConfig::default();
        assert_eq!(
            for_chapter(text, PLAIN, &cfg, false).as_deref(),
            Some(
                "# T\n\n> Contents:\n>\n> <!-- toc -->\n> - [One](#one)\n> <!-- /toc -->\n\n## One\n"
            )
        );
        assert_eq!(container_prefix("a\r> > <!-- toc -->", 6), "> > ");
        assert_eq!(container_prefix("text <!-- toc -->", 5), "");
        assert_eq!(container_prefix("x", 9), "");
    }

    #[test]
    fn auto_places_under_the_title() {
        let cfg = TocConfig::default();
        let out = for_chapter("# T\nIntro.\n\n## One\n", PLAIN, &cfg, true).unwrap();
        assert_eq!(
            out,
            "# T\n\n<!-- toc -->\n- [One](#one)\n<!-- /toc -->\n\nIntro.\n\n## One\n"
        );
        assert_eq!(for_chapter("# T\n## One\n", PLAIN, &cfg, false), None);
    }

    #[test]
    fn beside_the_sidebar_the_toc_folds_or_goes() {
        let text = "# T\n\n<!-- toc -->\n<!-- /toc -->\n\n## One\n";
        let mut cfg = TocConfig::default();
        let folded = for_chapter(text, Dialect::default(), &cfg, false).unwrap();
        assert_eq!(
            folded,
            "# T\n\n<!-- toc -->\n<details class=\"ep-toc\">\n<summary>Contents</summary>\n\n\
             - [One](#one)\n\n</details>\n<!-- /toc -->\n\n## One\n"
        );
        // The fold sits inside the markers, so the next pass replaces it whole.
        assert_eq!(
            for_chapter(&folded, Dialect::default(), &cfg, false).unwrap(),
            folded
        );
        let mut html = String::new();
        let parser = mdbook_markdown::pulldown_cmark::Parser::new(&folded);
        mdbook_markdown::pulldown_cmark::html::push_html(&mut html, parser);
        assert!(html.contains("<li><a href=\"#one\">One</a></li>"), "{html}");
        cfg.beside_sidebar = BesideSidebar::Omit;
        assert_eq!(
            for_chapter(text, Dialect::default(), &cfg, false).unwrap(),
            "# T\n\n<!-- toc -->\n<!-- /toc -->\n\n## One\n"
        );
        // Nothing to put under a title when the TOC is left out.
        assert_eq!(
            for_chapter("# T\n\n## One\n", Dialect::default(), &cfg, true),
            None
        );
        cfg.beside_sidebar = BesideSidebar::Open;
        assert_eq!(
            for_chapter(text, Dialect::default(), &cfg, false).unwrap(),
            for_chapter(text, PLAIN, &TocConfig::default(), false).unwrap()
        );
    }
}

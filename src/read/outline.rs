//! The headings of a chapter and the ids mdBook's HTML renderer gives them, from one parse with
//! exactly mdBook's parser options.
//!
//! Validation (template sections), rendering (where the header goes) and the TOC (labels and
//! anchors) all need the headings; parsing once here keeps "one Markdown parse per chapter".
//! The id rules mirror mdbook-html 0.5 (`add_header_links`, `text_in_node`, `id_from_content`,
//! `unique_id`): headings *and* definition-list terms take ids in document order; an explicit
//! `{#id}` is used verbatim and never reserved; the id text is every text node below the
//! element, including inline-code text, link text, text inside inline HTML and footnote
//! numbers, but not image alt text or HTML comments.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use mdbook_markdown::pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use crate::dialect::ids::{Anchor, assign_ids, github_slug, unique_id};
use crate::dialect::{EmptyIds, MarkdownFlags};

/// One heading as written in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// Plain text: text and inline code, without markup, HTML or footnote marks.
    pub text: String,
    /// The heading as a TOC label: Markdown with code and emphasis kept, links unwrapped.
    pub label: String,
    /// The heading's text content as a code host's HTML holds it, which is what GitHub slugs:
    /// text and code with entities decoded, nothing trimmed (a space written `&#32;` at either
    /// end stays), a line break as `\n`, a footnote reference as its number.
    pub raw_text: String,
    /// Byte range of the whole heading in the parsed text.
    pub range: Range<usize>,
    /// 1-based line in the parsed text.
    pub line: usize,
    /// The marker comments written right after the heading (or inside it): `optional` and
    /// `required-from: <state>`, as written; other comments are not kept.
    pub markers: Vec<String>,
}

/// Where `<!-- toc -->` and `<!-- /toc -->` are (byte ranges of the marker comments).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TocMarkers {
    pub open: Range<usize>,
    pub open_line: usize,
    /// `None` when the opening marker is never closed.
    pub close: Option<Range<usize>>,
}

/// The headings of one document, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outline {
    pub headings: Vec<Heading>,
    pub anchors: Vec<Anchor>,
    pub toc: Option<TocMarkers>,
    /// Links and images with a destination the author wrote (not autolinks), in order; only
    /// in a full parse.
    pub links: Vec<Link>,
    /// `id` and `name` attributes of raw HTML (`<a id="x">`): fragment targets too.
    pub html_ids: Vec<String>,
}

/// A link or image of the text, where the author wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The destination as written (after Markdown unescaping).
    pub dest: String,
    /// Byte offset, and 1-based line and column (in bytes), in the text parsed.
    pub offset: usize,
    pub line: usize,
    pub col: usize,
    /// An image (`![..](..)`), else a link.
    pub image: bool,
}

/// The element being read: a heading (with its index) or a definition term.
struct Open {
    heading: Option<usize>,
    id_text: String,
    explicit_id: Option<String>,
    last_was_footnote: bool,
    image_depth: usize,
    /// A heading's plain text, before its whitespace is collapsed: `raw_text` without the
    /// footnote numbers, which are no words of the title.
    plain: String,
}

/// How inline content reads in a TOC label, written straight into the label (no string per
/// event: this is the TOC's hot path).
#[derive(Clone, Copy)]
enum Label<'t> {
    /// Text, escaped so it reads back as the same text.
    Text(&'t str),
    /// Inline code, as a code span.
    Code(&'t str),
}

/// The state of one pass over a document's events.
struct Reader {
    out: Outline,
    /// The heading or term being read.
    open: Option<Open>,
    /// Footnote names in order of first reference: mdBook numbers them so.
    footnotes: HashMap<String, usize>,
    /// After a heading ends, HTML comments that follow it directly are its markers.
    marker_target: Option<usize>,
    /// Whether to keep line numbers and plain text (the TOC needs neither).
    full: bool,
}

impl Reader {
    fn start_heading(
        &mut self,
        level: HeadingLevel,
        explicit_id: Option<String>,
        line: usize,
        range: Range<usize>,
    ) {
        self.out.headings.push(Heading {
            level: level_num(level),
            text: String::new(),
            label: String::new(),
            raw_text: String::new(),
            line,
            range,
            markers: Vec::new(),
        });
        self.start(Some(self.out.headings.len() - 1), explicit_id);
    }

    fn start(&mut self, heading: Option<usize>, explicit_id: Option<String>) {
        self.marker_target = None;
        self.open = Some(Open {
            heading,
            id_text: String::new(),
            explicit_id,
            last_was_footnote: false,
            image_depth: 0,
            plain: String::new(),
        });
    }

    fn end(&mut self) {
        let Some(o) = self.open.take() else { return };
        if let Some(i) = o.heading {
            let h = &mut self.out.headings[i];
            if self.full {
                h.text = collapsed(o.plain);
            }
            let label = h.label.trim();
            if label.len() != h.label.len() {
                h.label = label.to_string();
            }
            self.marker_target = Some(i);
        }
        self.out.anchors.push(Anchor {
            heading: o.heading,
            id_text: o.id_text,
            explicit_id: o.explicit_id,
        });
    }

    fn image(&mut self, step: isize) {
        if let Some(o) = &mut self.open {
            o.image_depth = o.image_depth.saturating_add_signed(step);
            if step < 0 {
                o.last_was_footnote = false;
            }
        }
    }

    /// Inline content of the open element: `id` counts for its id, `raw` for its plain text,
    /// `label` for its TOC label. Outside an element, text ends a heading's marker run.
    fn inline(&mut self, id: &str, raw: &str, label: Label<'_>) {
        let Some(o) = &mut self.open else {
            self.marker_target = None;
            return;
        };
        o.id_text.push_str(id);
        o.last_was_footnote = false;
        if let Some(h) = o.heading.map(|i| &mut self.out.headings[i]) {
            if self.full {
                h.raw_text.push_str(raw);
                o.plain.push_str(raw);
            }
            match label {
                Label::Text(t) => push_escaped_label(&mut h.label, t),
                Label::Code(c) => push_code_span(&mut h.label, c),
            }
        }
    }

    /// Emphasis and the like: kept in the label only.
    fn markup(&mut self, mark: &str) {
        if let Some(i) = self.open.as_ref().and_then(|o| o.heading) {
            self.out.headings[i].label.push_str(mark);
        }
    }

    fn footnote(&mut self, name: &str) {
        let next = self.footnotes.len() + 1;
        let n = *self.footnotes.entry(name.to_string()).or_insert(next);
        if let Some(o) = &mut self.open {
            if o.last_was_footnote {
                o.id_text.push(' ');
            }
            o.id_text.push_str(&n.to_string());
            o.last_was_footnote = true;
            // The host renders the reference as its number, with no space between two.
            if let Some(i) = o.heading
                && self.full
            {
                self.out.headings[i].raw_text.push_str(&n.to_string());
            }
        }
    }

    /// HTML: TOC markers anywhere outside elements; text inside an element counts for its id;
    /// comments right after a heading (or inside it) are its markers.
    fn html(
        &mut self,
        html: &str,
        spans: &[Comment<'_>],
        range: Range<usize>,
        line_of: &dyn Fn(usize) -> usize,
    ) {
        // One HTML event can hold both markers (a lone CR does not end an HTML block): each
        // marker's range is its own comment's.
        for (c, span) in spans {
            let marker = range.start + span.start..range.start + span.end;
            if c.eq_ignore_ascii_case("toc") && self.out.toc.is_none() && self.open.is_none() {
                self.out.toc = Some(TocMarkers {
                    open_line: line_of(marker.start),
                    open: marker,
                    close: None,
                });
            } else if c.eq_ignore_ascii_case("/toc")
                && let Some(t) = self.out.toc.as_mut().filter(|t| t.close.is_none())
            {
                t.close = Some(marker);
            }
        }
        // Only a marker is kept: the instructions a template writes under its headings are
        // comments too, often long, and every EP that keeps them would carry them twice. Any
        // comment still continues a heading's run of markers.
        let any_comment = !spans.is_empty();
        let comments: Vec<String> = spans
            .iter()
            .filter(|(c, _)| marker(c).is_some())
            .map(|(c, _)| c.to_string())
            .collect();
        if let Some(o) = &mut self.open {
            o.id_text.push_str(&html_text(html));
            o.last_was_footnote = false;
            if let Some(i) = o.heading {
                self.out.headings[i].markers.extend(comments);
            }
        } else if let Some(i) = self.marker_target {
            if !any_comment {
                self.marker_target = None;
            }
            self.out.headings[i].markers.extend(comments);
        }
    }
}

impl Reader {
    /// Records a link or image the author wrote, and the ids raw HTML declares.
    fn links_and_ids(
        &mut self,
        event: &Event<'_>,
        range: &Range<usize>,
        spans: &[Comment<'_>],
        text: &str,
        index: &LineCursor<'_>,
    ) {
        use mdbook_markdown::pulldown_cmark::LinkType;
        let start = range.start.min(text.len());
        let place = |offset: usize| {
            let offset = offset.min(text.len());
            let (line, line_start) = index.locate(offset);
            // Columns count characters, as diagnostics show them.
            (line, text[line_start..offset].chars().count() + 1)
        };
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            })
            | Event::Start(Tag::Image {
                link_type,
                dest_url,
                ..
            }) if !matches!(link_type, LinkType::Autolink | LinkType::Email) => {
                let (line, col) = place(start);
                self.out.links.push(Link {
                    dest: dest_url.to_string(),
                    offset: start,
                    line,
                    col,
                    image: matches!(event, Event::Start(Tag::Image { .. })),
                });
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                for (attr, at, value) in attributes(html, spans) {
                    match attr {
                        "id" => self.out.html_ids.push(value),
                        // `<a name>` is an old way to place an anchor.
                        "name" if html[..at].to_ascii_lowercase().contains("<a") => {
                            self.out.html_ids.push(value)
                        }
                        // Raw HTML links and images (`<img src=".." width="300">`) count too.
                        "src" | "href" => {
                            let (line, col) = place(start + at);
                            self.out.links.push(Link {
                                dest: value,
                                offset: start + at,
                                line,
                                col,
                                image: attr == "src",
                            });
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

/// The `id`, `name`, `src` and `href` attributes of a piece of raw HTML outside comments:
/// `(name, byte offset of the attribute, value)`.
fn attributes(html: &str, spans: &[Comment<'_>]) -> Vec<(&'static str, usize, String)> {
    let mut out = Vec::new();
    // No `=`, no attribute, and nothing more to look at: most raw HTML events are lines of a
    // template's comments.
    if memchr::memchr(b'=', html.as_bytes()).is_none() {
        return out;
    }
    // Comments hold no attributes; one never closed runs to the end.
    let mut comments: Vec<Range<usize>> = spans.iter().map(|(_, r)| r.clone()).collect();
    let closed = comments.last().map_or(0, |r| r.end);
    if let Some(open) = find_bytes(&html[closed..], "<!--") {
        comments.push(closed + open..html.len());
    }
    // An `=` only inside comments is no attribute either.
    let mut gap = 0;
    let mut has_equals = false;
    for c in &comments {
        has_equals |= html[gap..c.start].contains('=');
        gap = c.end;
    }
    has_equals |= html[gap..].contains('=');
    if !has_equals {
        return out;
    }
    let lower = html.to_ascii_lowercase();
    for attr in ["id", "name", "src", "href"] {
        let pattern = format!("{attr}=");
        let mut from = 0;
        while let Some(at) = lower[from..].find(&pattern) {
            let start = from + at;
            from = start + pattern.len();
            // An attribute name starts after a space or a line break: not `data-id=`.
            let after_space =
                start == 0 || lower[..start].ends_with(|c: char| c.is_ascii_whitespace());
            if !after_space || comments.iter().any(|c| c.contains(&start)) {
                continue;
            }
            let rest = &html[from..];
            let value = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].split(q).next(),
                _ => rest
                    .split(|c: char| c.is_ascii_whitespace() || c == '>')
                    .next(),
            };
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                out.push((attr, start, v.to_string()));
            }
        }
    }
    out
}

impl Outline {
    /// Parses as mdBook does.
    pub fn parse(text: &str, flags: MarkdownFlags) -> Outline {
        let parser = mdbook_markdown::new_cmark_parser(text, &flags.options()).into_offset_iter();
        Outline::from_events(text, parser, true)
    }

    /// [`Outline::parse`] with only what the TOC needs (labels and ids): no line numbers (left
    /// 0) and no plain text, which are a noticeable share of the work on long chapters.
    pub fn parse_for_toc(text: &str, flags: MarkdownFlags) -> Outline {
        let parser = mdbook_markdown::new_cmark_parser(text, &flags.options()).into_offset_iter();
        Outline::from_events(text, parser, false)
    }

    /// Parses as a code host does (GitHub-flavoured: no smart punctuation, definition lists or
    /// `{#id}` attributes).
    pub fn parse_gfm(text: &str) -> Outline {
        use mdbook_markdown::pulldown_cmark::{Options, Parser};
        let opts = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_GFM;
        Outline::from_events(text, Parser::new_ext(text, opts).into_offset_iter(), true)
    }

    fn from_events<'a>(
        text: &'a str,
        parser: impl Iterator<Item = (Event<'a>, Range<usize>)>,
        full: bool,
    ) -> Outline {
        // Line numbers only for a full parse: the TOC needs none.
        let index = full.then(|| LineCursor::new(text));
        let mut r = Reader {
            out: Outline::default(),
            open: None,
            footnotes: HashMap::new(),
            marker_target: None,
            full,
        };
        let line_of = |offset: usize| index.as_ref().map_or(0, |i| i.line_of(offset));
        for (event, range) in parser {
            let spans = match &event {
                Event::Html(html) | Event::InlineHtml(html)
                    if find_bytes(html, "<!--").is_some() =>
                {
                    comment_spans(html)
                }
                _ => Vec::new(),
            };
            if let Some(index) = &index {
                r.links_and_ids(&event, &range, &spans, text, index);
            }
            // Outside headings and terms most events matter only as "something else came
            // between a heading and its marker comment"; sort them out without moving them.
            if r.open.is_none() {
                match &event {
                    Event::Start(Tag::Heading { .. })
                    | Event::Start(Tag::DefinitionListTitle)
                    | Event::Html(_)
                    | Event::InlineHtml(_)
                    | Event::FootnoteReference(_) => {}
                    Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => continue,
                    _ => {
                        r.marker_target = None;
                        continue;
                    }
                }
            }
            let in_image = r.open.as_ref().is_some_and(|o| o.image_depth > 0);
            if in_image
                && !matches!(
                    event,
                    Event::Start(
                        Tag::Heading { .. } | Tag::DefinitionListTitle | Tag::Image { .. }
                    ) | Event::End(
                        TagEnd::Heading(_) | TagEnd::DefinitionListTitle | TagEnd::Image
                    )
                )
            {
                continue; // Image alt text counts for nothing.
            }
            match event {
                Event::Start(Tag::Heading { level, id, .. }) => r.start_heading(
                    level,
                    id.map(|i| i.to_string()),
                    line_of(range.start),
                    range,
                ),
                Event::Start(Tag::DefinitionListTitle) if r.open.is_none() => r.start(None, None),
                Event::End(TagEnd::Heading(_)) | Event::End(TagEnd::DefinitionListTitle) => r.end(),
                Event::Start(Tag::Image { .. }) => r.image(1),
                Event::End(TagEnd::Image) => r.image(-1),
                Event::Text(t) => r.inline(&t, &t, Label::Text(&t)),
                Event::Code(t) => r.inline(&t, &t, Label::Code(&t)),
                // The host's HTML ends the line there; GitHub's slug drops that `\n`, so the
                // words on either side join.
                Event::SoftBreak => r.inline("\n", "\n", Label::Text(" ")),
                Event::HardBreak => r.inline("", "\n", Label::Text(" ")),
                Event::FootnoteReference(name) => r.footnote(&name),
                Event::Start(Tag::Emphasis) | Event::End(TagEnd::Emphasis) => r.markup("*"),
                Event::Start(Tag::Strong) | Event::End(TagEnd::Strong) => r.markup("**"),
                Event::Start(Tag::Strikethrough) | Event::End(TagEnd::Strikethrough) => {
                    r.markup("~~")
                }
                Event::Html(ref html) | Event::InlineHtml(ref html) => {
                    r.html(html, &spans, range, &line_of)
                }
                Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
                _ => {
                    if r.open.is_none() {
                        r.marker_target = None;
                    }
                }
            }
        }
        r.out
    }

    /// What heading `i` holds in `text` (the text this outline was parsed from): everything
    /// up to the next heading of its level or above, its subsections included.
    pub fn section_text<'t>(&self, text: &'t str, i: usize) -> &'t str {
        let Some(h) = self.headings.get(i) else {
            return "";
        };
        let end = self.headings[i + 1..]
            .iter()
            .find(|n| n.level <= h.level)
            .map_or(text.len(), |n| n.range.start);
        text.get(h.range.end.min(end)..end).unwrap_or("")
    }

    /// The words heading `i` holds itself in `text`: up to the next heading of any level, so
    /// before its first subsection.
    pub fn own_text<'t>(&self, text: &'t str, i: usize) -> &'t str {
        let Some(h) = self.headings.get(i) else {
            return "";
        };
        let end = self
            .headings
            .get(i + 1)
            .map_or(text.len(), |n| n.range.start);
        text.get(h.range.end.min(end)..end).unwrap_or("")
    }

    /// The links the author wrote: not those of the TOC between its markers, which is generated
    /// (with the code host's anchors in the file; the build writes its own).
    pub fn authored_links(&self) -> impl Iterator<Item = &Link> {
        let generated = self
            .toc
            .as_ref()
            .and_then(|t| Some(t.open.start..t.close.as_ref()?.end));
        self.links
            .iter()
            .filter(move |l| !generated.as_ref().is_some_and(|g| g.contains(&l.offset)))
    }

    /// The title heading, when the document opens with an H1 (before any other heading).
    pub fn leading_h1(&self) -> Option<&Heading> {
        // A document whose H1s follow each other (an RFC: `# Summary`, `# Motivation`, ...)
        // uses them for sections; it has no title heading. A title H1 is followed by lower
        // headings (an `# Appendix` H1 further down does not change that).
        let first = self.headings.first().filter(|h| h.level == 1)?;
        match self.headings.get(1) {
            Some(next) if next.level == 1 => None,
            _ => Some(first),
        }
    }

    /// The id mdBook gives each heading (indexed like [`Outline::headings`]), with `before`
    /// anchors (such as a generated title) taking their ids first.
    /// Every id the page gets from its headings and definition terms (and the anchors
    /// `before` them), and from raw HTML: where a `#fragment` may land.
    pub fn all_ids(&self, before: &[Anchor], empty: EmptyIds) -> Vec<String> {
        let mut ids = assign_ids(before.iter().chain(&self.anchors), empty);
        ids.extend(self.html_ids.iter().cloned());
        ids
    }

    pub fn heading_ids(&self, before: &[Anchor], empty: EmptyIds) -> Vec<String> {
        let ids = assign_ids(before.iter().chain(&self.anchors), empty);
        let mut out = vec![String::new(); self.headings.len()];
        for (anchor, id) in self.anchors.iter().zip(ids.into_iter().skip(before.len())) {
            if let Some(i) = anchor.heading {
                out[i] = id;
            }
        }
        out
    }
}

/// The anchors GitHub gives the headings: [`github_slug`] of each heading's text content,
/// duplicates numbered `-1`, `-2` as mdBook numbers them (the two rules agree). No smart
/// punctuation, no definition terms, no custom ids. Indexed like [`Outline::headings`].
pub(crate) fn github_ids(outline: &Outline) -> Vec<String> {
    let mut used = HashSet::new();
    outline
        .headings
        .iter()
        .map(|h| unique_id(&github_slug(&h.raw_text), &mut used))
        .collect()
}

/// Appends text to a TOC label, escaped so it reads back as the same text.
fn push_escaped_label(out: &mut String, text: &str) {
    /// The characters Markdown could read as markup, all ASCII: a table, so the common case
    /// (nothing to escape) is one lookup per byte.
    const SPECIAL: [bool; 256] = {
        let mut table = [false; 256];
        let chars = b"\\`*_[]<>&#~!|";
        let mut i = 0;
        while i < chars.len() {
            table[chars[i] as usize] = true;
            i += 1;
        }
        table
    };
    if !text.bytes().any(|b| SPECIAL[usize::from(b)]) {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        if c.is_ascii() && SPECIAL[c as usize] {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Runs of whitespace to one space, trimmed.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// [`collapse_whitespace`], without a copy when `text` needs no change (most headings): only
/// ASCII is vetted, other text takes the long way.
fn collapsed(text: String) -> String {
    let mut after_space = true;
    for &b in text.as_bytes() {
        match b {
            b' ' if after_space => return collapse_whitespace(&text),
            b' ' => after_space = true,
            b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | 0x80.. => {
                return collapse_whitespace(&text);
            }
            _ => after_space = false,
        }
    }
    if after_space && !text.is_empty() {
        return collapse_whitespace(&text);
    }
    text
}

/// Appends a code span holding `code` exactly, whatever backticks it contains.
fn push_code_span(out: &mut String, code: &str) {
    let mut longest = 0;
    let mut run = 0;
    for b in code.bytes() {
        run = if b == b'`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let pad = if code.starts_with('`') || code.ends_with('`') {
        " "
    } else {
        ""
    };
    let fence = |out: &mut String| out.extend(std::iter::repeat_n('`', longest + 1));
    fence(out);
    out.push_str(pad);
    out.push_str(code);
    out.push_str(pad);
    fence(out);
}

/// The text of an inline HTML fragment: characters outside tags and comments.
fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt..];
        let end = if after.starts_with("<!--") {
            after.find("-->").map(|e| e + 3)
        } else {
            after.find('>').map(|e| e + 1)
        };
        match end {
            Some(e) => rest = &after[e..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
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

/// A comment under a template heading that says when the section is required.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Marker<'c> {
    /// `<!-- optional -->`.
    Optional,
    /// `<!-- required-from: implementable -->`, with the state as written.
    RequiredFrom(&'c str),
}

/// The marker a heading's comment is, in any case, if it is one. The outline keeps only these
/// comments and the template reads them, so a new marker is added here and nowhere else.
pub(crate) fn marker(comment: &str) -> Option<Marker<'_>> {
    const FROM: &str = "required-from:";
    if comment.eq_ignore_ascii_case("optional") {
        return Some(Marker::Optional);
    }
    comment
        .get(..FROM.len())
        .filter(|p| p.eq_ignore_ascii_case(FROM))
        .map(|_| Marker::RequiredFrom(comment[FROM.len()..].trim()))
}

/// An HTML comment: its trimmed text and its byte range in the HTML it is in.
type Comment<'h> = (&'h str, Range<usize>);

/// Where `needle` first is in `hay`. `str::find` sets up a two-way searcher per call, which
/// cost more than the search on the many short HTML events of a template's comments.
fn find_bytes(hay: &str, needle: &str) -> Option<usize> {
    memchr::memmem::find(hay.as_bytes(), needle.as_bytes())
}

/// Each complete comment in `html`, as browsers read them: `<!-->` and `<!--->` close at once.
/// One scan per HTML event serves markers, the TOC's comments and attributes.
fn comment_spans(html: &str) -> Vec<Comment<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(start) = find_bytes(&html[at..], "<!--").map(|i| at + i) {
        let Some(end) = find_bytes(&html[start + 2..], "-->").map(|i| start + 2 + i) else {
            break;
        };
        let text = html.get(start + 4..end).unwrap_or_default().trim();
        out.push((text, start..end + 3));
        at = end + 3;
    }
    out
}

/// Byte offset -> 1-based line and the line's start, counted from the offset asked about last
/// (or from the start of the text, when that is nearer). The outline asks in document order (a
/// TOC marker may step back within one HTML event), so each file is scanned about once, and no
/// table of every line start is built: a table cost more than all the questions asked of it.
struct LineCursor<'t> {
    text: &'t [u8],
    /// The last offset asked about and its line.
    at: std::cell::Cell<(usize, usize)>,
}

impl<'t> LineCursor<'t> {
    fn new(text: &'t str) -> LineCursor<'t> {
        LineCursor {
            text: text.as_bytes(),
            at: std::cell::Cell::new((0, 1)),
        }
    }

    /// The 1-based line holding byte `offset` (an offset past the end is on the last line).
    fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        let (from, line) = self.at.get();
        let line = if offset >= from {
            line + newlines(&self.text[from..offset])
        } else if offset < from - offset {
            1 + newlines(&self.text[..offset])
        } else {
            line - newlines(&self.text[offset..from])
        };
        self.at.set((offset, line));
        line
    }

    /// The 1-based line holding byte `offset`, and where that line starts.
    fn locate(&self, offset: usize) -> (usize, usize) {
        let line = self.line_of(offset);
        let offset = offset.min(self.text.len());
        let start = memchr::memrchr(b'\n', &self.text[..offset]).map_or(0, |i| i + 1);
        (line, start)
    }
}

/// How many line feeds `bytes` holds. Counted in bytes, 255 at a time, which the compiler
/// turns into wide vector adds: ten times a `filter().count()`, which widens every byte.
fn newlines(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|chunk| {
            let run: u8 = chunk.iter().map(|&b| u8::from(b == b'\n')).sum();
            usize::from(run)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapsed_is_collapse_whitespace() {
        for text in [
            "",
            " ",
            "a",
            "a b",
            " a",
            "a ",
            "a  b",
            "a\tb",
            "a\nb",
            "a\x0bb",
            "a\x0cb",
            "a\rb",
            "é b",
            "a\u{a0}b",
            "a\u{3000} b",
            "a\u{1c}b",
            "  ",
            "x y z",
        ] {
            assert_eq!(
                collapsed(text.to_string()),
                collapse_whitespace(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn line_cursor_agrees_with_counting_from_the_start_in_any_order() {
        let text = "a\nbb\n\nccc\r\nd\n\n\ne";
        let naive = |offset: usize| {
            let offset = offset.min(text.len());
            let line = text[..offset].matches('\n').count() + 1;
            let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            (line, start)
        };
        let cursor = LineCursor::new(text);
        // Forward, backward, repeated, at line feeds, and past the end.
        let mut seed = 7u64;
        let mut offsets: Vec<usize> = (0..=text.len() + 2).collect();
        offsets.extend((0..=text.len() + 2).rev());
        for _ in 0..200 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            offsets.push((seed >> 33) as usize % (text.len() + 3));
        }
        for offset in offsets {
            assert_eq!(cursor.locate(offset), naive(offset), "offset {offset}");
            assert_eq!(cursor.line_of(offset), naive(offset).0, "offset {offset}");
        }
    }

    fn ids(text: &str) -> Vec<String> {
        let o = Outline::parse(text, MarkdownFlags::default());
        assign_ids(o.anchors.iter(), EmptyIds::Blank)
    }

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
        assert_eq!(o.headings[0].label, "EP-1: `fast` *builds*");
    }

    #[test]
    fn only_markers_are_kept_and_instructions_do_not_end_their_run() {
        // A template's instructions come between a heading and its marker, or inside it.
        let o = Outline::parse(
            "## A\n<!-- Write what the section asks for. -->\n<!-- OPTIONAL -->\n\n## B <!-- note --> <!-- Required-From: implementable -->\n\n## C\n<!-- optional, later -->\n",
            MarkdownFlags::default(),
        );
        let markers: Vec<&[String]> = o.headings.iter().map(|h| h.markers.as_slice()).collect();
        assert_eq!(
            markers,
            [
                &["OPTIONAL".to_string()][..],
                &["Required-From: implementable".to_string()][..],
                &[][..]
            ]
        );
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

    /// The cases of mdbook-html 0.5.4 (checked against its renderer in tests/testsuite/toc.rs).
    #[test]
    fn ids_match_mdbook() {
        assert_eq!(
            ids("## Foo\n## Foo\n## Foo-1\n## Foo\n"),
            ["foo", "foo-1", "foo-1-1", "foo-2"]
        );
        assert_eq!(
            ids("## Foo\n## Foo {#foo-1}\n## Foo\n"),
            ["foo", "foo-1", "foo-1"]
        );
        assert_eq!(
            ids("## `--passes`: add *more* **rustdoc** passes\n"),
            ["--passes-add-more-rustdoc-passes"]
        );
        assert_eq!(ids("## Don't -- stop... \"now\"\n"), ["dont--stop-now"]);
        assert_eq!(ids("## A & B < C > D\n"), ["a--b--c--d"]);
        assert_eq!(
            ids("## See [the docs](http://x/y.html) now\n"),
            ["see-the-docs-now"]
        );
        assert_eq!(ids("## Über Straße ÄÖÜ\n"), ["über-straße-äöü"]);
        assert_eq!(ids("## Emoji 🐙 here\n"), ["emoji--here"]);
        assert_eq!(ids("## Note[^1]\n\n[^1]: x\n"), ["note1"]);
        assert_eq!(
            ids("Text[^b] and[^a].\n\n## Both[^a][^b]\n\n[^a]: x\n[^b]: y\n"),
            ["both2-1"]
        );
        assert_eq!(
            ids("## Inline <span>html</span> <!-- c --> text\n"),
            ["inline-html--text"]
        );
        assert_eq!(ids("## Image ![alt](x.png) end\n"), ["image--end"]);
        assert_eq!(ids("### &amp; entity &copy;\n"), ["-entity-"]);
        assert_eq!(
            ids("Setext line one\nline two\n---\n"),
            ["setext-line-one-line-two"]
        );
        assert_eq!(ids("##\n## 🐙\n"), ["", "-1"]);
        assert_eq!(ids("Widget\n: def\n\n## Widget\n"), ["widget", "widget-1"]);
        assert_eq!(ids("> ## Quoted\n\n- ## In list\n"), ["quoted", "in-list"]);
        assert_eq!(ids("<h2>Raw</h2>\n\n## Raw\n"), ["raw"]);
        let o = Outline::parse("##\n## 🐙\n", MarkdownFlags::default());
        assert_eq!(
            assign_ids(o.anchors.iter(), EmptyIds::Section),
            ["section", "section-1"]
        );
    }

    #[test]
    fn smart_punctuation_changes_ids() {
        let flags = MarkdownFlags {
            smart_punctuation: false,
            ..MarkdownFlags::default()
        };
        let o = Outline::parse("## Don't -- stop\n", flags);
        assert_eq!(
            assign_ids(o.anchors.iter(), EmptyIds::Blank),
            ["dont----stop"]
        );
    }

    #[test]
    fn labels_keep_code_and_emphasis_but_not_links() {
        let o = Outline::parse(
            "## See [the *docs*](x) ``a`b`` ![i](p.png) [^1]\n\n[^1]: n\n",
            MarkdownFlags::default(),
        );
        assert_eq!(o.headings[0].label, "See the *docs* ``a`b``");
    }

    #[test]
    fn toc_markers_case_insensitive_and_not_in_code() {
        let o = Outline::parse(
            "```\n<!-- toc -->\n```\n\n<!-- TOC -->\n- old\n<!-- /toc -->\n",
            MarkdownFlags::default(),
        );
        let t = o.toc.unwrap();
        assert_eq!(t.open_line, 5);
        assert!(t.close.is_some());
        let o = Outline::parse("<!-- toc -->\n\n## A\n", MarkdownFlags::default());
        assert!(o.toc.unwrap().close.is_none());
    }

    #[test]
    fn code_host_slugs() {
        let o = Outline::parse_gfm("## Don't -- stop\n## Foo\n## Foo\n## `a.b` & C\n## Foo {#x}\n");
        assert_eq!(
            github_ids(&o),
            ["dont----stop", "foo", "foo-1", "ab--c", "foo-x"]
        );
    }

    /// GitHub slugs the heading's text content: entities decoded and kept where they are, a
    /// line break as a `\n` it drops, a footnote reference as its number.
    #[test]
    fn code_host_slugs_the_text_content() {
        let gfm = |t: &str| github_ids(&Outline::parse_gfm(t));
        assert_eq!(gfm("# &#x20;a&#32;\n"), ["-a-"]);
        assert_eq!(gfm("# a&nbsp;b &amp; c\n"), ["ab--c"]);
        assert_eq!(gfm("> ## q &#32;\n"), ["q--"]);
        assert_eq!(gfm("Setext line\ntwo\n---\n"), ["setext-linetwo"]);
        assert_eq!(gfm("a\\\nb\n===\n"), ["ab"]);
        assert_eq!(gfm("## Note[^1] [^2]\n\n[^2]: y\n[^1]: x\n"), ["note1-2"]);
        assert_eq!(gfm("## x <span>y</span> ![alt](i.png)\n"), ["x-y-"]);
        // The plain text stays as it was: no footnote marks, whitespace collapsed.
        let o = Outline::parse_gfm("Setext line\ntwo[^1]\n---\n\n[^1]: x\n");
        assert_eq!(o.headings[0].text, "Setext line two");
    }
}

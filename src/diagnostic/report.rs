//! Printing diagnostics: rustc-style for people (with the source line quoted), JSON for tools,
//! and GitHub workflow commands for pull-request annotations.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::WriteColor};

use super::{Diagnostic, Location, Severity, count};

/// The texts of the files diagnostics point into, so the human report can quote the line.
///
/// Texts are shared, not copied: an EP's text is the one [`Ep`](crate::read::ep::Ep) holds.
/// The quoted form (unsafe characters replaced, line starts indexed) is made at printing time,
/// and only for the files a diagnostic names, which on a healthy book is none of them.
#[derive(Default)]
pub struct Sources {
    texts: BTreeMap<PathBuf, Arc<String>>,
}

impl Sources {
    /// Adds a file's text, once per path.
    pub fn add(&mut self, path: &Path, text: &str) {
        if !self.texts.contains_key(path) {
            self.texts
                .insert(path.to_path_buf(), Arc::new(text.to_string()));
        }
    }

    /// [`Sources::add`] for a text that is already shared, without copying it.
    pub(crate) fn add_shared(&mut self, path: &Path, text: &Arc<String>) {
        self.texts
            .entry(path.to_path_buf())
            .or_insert_with(|| Arc::clone(text));
    }

    /// Takes in other sets' texts (the ones each EP's reading collected), in order; a path
    /// already here, or in an earlier set, keeps its text. One sort of the lot and one bulk
    /// build: inserting a large book's files one by one into the map cost more, `Path`
    /// comparing component by component.
    pub(crate) fn absorb(&mut self, others: Vec<Sources>) {
        let mut all: Vec<(PathBuf, Arc<String>)> = std::mem::take(&mut self.texts)
            .into_iter()
            .chain(others.into_iter().flat_map(|o| o.texts))
            .collect();
        // Stable: of equal paths the first stays first, and `dedup` keeps it.
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all.dedup_by(|later, first| later.0 == first.0);
        self.texts = all.into_iter().collect();
    }

    /// The same texts under paths prefixed with `dir`.
    pub(crate) fn rebased(&self, dir: &Path) -> Sources {
        Sources {
            texts: self
                .texts
                .iter()
                .map(|(path, text)| (dir.join(path), Arc::clone(text)))
                .collect(),
        }
    }

    /// The files `diagnostics` point into, as the report quotes them: one character for one,
    /// so columns still point at the same place. A text with nothing to replace is shared,
    /// not copied.
    fn quoted(&self, diagnostics: &[Diagnostic]) -> Quoted {
        let mut quoted = Quoted::default();
        for loc in diagnostics.iter().filter_map(|d| d.location.as_ref()) {
            if quoted.ids.contains_key(&loc.file) {
                continue;
            }
            if let Some(text) = self.texts.get(&loc.file) {
                let shown = if text.chars().any(is_unsafe) {
                    Shown::Replaced(
                        text.chars()
                            .map(|c| if is_unsafe(c) { '\u{fffd}' } else { c })
                            .collect(),
                    )
                } else {
                    Shown::Shared(Arc::clone(text))
                };
                let name = inert(&loc.file.display().to_string()).into_owned();
                let id = quoted.files.add(name, shown);
                quoted.ids.insert(loc.file.clone(), id);
            }
        }
        quoted
    }
}

/// A file's text as a report quotes it.
enum Shown {
    /// The text itself: nothing in it needs replacing.
    Shared(Arc<String>),
    /// A copy with its unsafe characters replaced.
    Replaced(String),
}

impl AsRef<str> for Shown {
    fn as_ref(&self) -> &str {
        match self {
            Shown::Shared(text) => text,
            Shown::Replaced(text) => text,
        }
    }
}

/// The files a report quotes, in codespan's form (which indexes each file's line starts once).
struct Quoted {
    files: SimpleFiles<String, Shown>,
    ids: BTreeMap<PathBuf, usize>,
}

impl Default for Quoted {
    fn default() -> Quoted {
        Quoted {
            files: SimpleFiles::new(),
            ids: BTreeMap::new(),
        }
    }
}

impl Quoted {
    fn byte_range(&self, loc: &Location) -> Option<(usize, std::ops::Range<usize>)> {
        use codespan_reporting::files::Files;
        let id = *self.ids.get(&loc.file)?;
        let line = self.files.line_range(id, loc.line.checked_sub(1)?).ok()?;
        // Past the last line: nothing to quote.
        if line.is_empty() {
            return None;
        }
        let text = self.files.get(id).ok()?.source().as_ref();
        let content = text[line.clone()].trim_end_matches(['\n', '\r']);
        let col = content
            .char_indices()
            .nth(loc.column.saturating_sub(1))
            .map_or(content.len(), |(b, _)| b);
        let end = content.len().max(col);
        let end = if end == col {
            // Point at one character (or the line end) so the caret is visible.
            content[col..]
                .chars()
                .next()
                .map_or(col, |c| col + c.len_utf8())
        } else {
            end
        };
        Some((id, line.start + col..line.start + end))
    }
}

/// Control characters other than line breaks and tabs: printed raw, ESC and OSC sequences in an
/// EP's metadata could recolour, retitle or rewrite the reader's terminal.
fn is_unsafe(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t')
}

/// `text` with its unsafe control characters written as escapes (`\u{1b}`), visible and inert.
pub(crate) fn inert(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if is_unsafe(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// Writes diagnostics the way `rustc` does: header, arrow with location, quoted line, help.
pub(crate) fn emit_human(
    out: &mut dyn WriteColor,
    sources: &Sources,
    diagnostics: &[Diagnostic],
) -> std::io::Result<()> {
    let config = term::Config::default();
    let quoted = sources.quoted(diagnostics);
    for d in diagnostics {
        let cs = match d.severity {
            Severity::Error => CsDiagnostic::error(),
            _ => CsDiagnostic::warning(),
        }
        .with_code(d.rule.code())
        .with_message(inert(&d.message));
        let mut notes = Vec::new();
        let cs = match &d.location {
            Some(loc) => match quoted.byte_range(loc) {
                Some((id, range)) => cs.with_labels(vec![Label::primary(id, range)]),
                None => {
                    notes.push(format!(
                        "--> {}:{}:{}",
                        inert(&loc.file.display().to_string()),
                        loc.line,
                        loc.column
                    ));
                    cs
                }
            },
            None => cs,
        };
        if let Some(help) = &d.help {
            notes.push(format!("help: {}", inert(help)));
        }
        let cs = cs.with_notes(notes);
        term::emit_to_write_style(out, &config, &quoted.files, &cs)
            .map_err(std::io::Error::other)?;
    }
    Ok(())
}

/// Renders the human report into a string without colours, for tests and logs.
pub fn render_plain(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    let mut buf = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
    // Writing into a Vec cannot fail.
    let _ = emit_human(&mut buf, sources, diagnostics);
    String::from_utf8_lossy(&buf.into_inner()).into_owned()
}

/// The JSON report of `mdbook-ep check --format json`. Its shape is documented in the book
/// and versioned by `schema-version`; fields are only ever added.
pub(crate) fn to_json(
    diagnostics: &[Diagnostic],
    eps: usize,
    held_back: usize,
) -> serde_json::Value {
    let items: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            serde_json::json!({
                "code": d.rule.code(),
                "severity": d.severity.label(),
                "message": d.message,
                "file": d.location.as_ref().map(|l| l.file.to_string_lossy().replace('\\', "/")),
                "line": d.location.as_ref().map(|l| l.line),
                "column": d.location.as_ref().map(|l| l.column),
                "help": d.help,
                "ep": d.ep.as_ref().map(|p| p.to_string_lossy().replace('\\', "/")),
            })
        })
        .collect();
    serde_json::json!({
        "schema-version": 1,
        "tool": "mdbook-ep",
        "version": env!("CARGO_PKG_VERSION"),
        "eps": eps,
        "errors": count(diagnostics, Severity::Error),
        "warnings": count(diagnostics, Severity::Warn),
        "held-back": held_back,
        "diagnostics": items,
    })
}

/// GitHub Actions workflow commands: one `::error` / `::warning` line per problem, which the
/// code host shows on the pull request's diff.
pub(crate) fn to_github(diagnostics: &[Diagnostic]) -> String {
    fn data(s: &str) -> String {
        inert(s)
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }
    fn property(s: &str) -> String {
        data(s).replace(':', "%3A").replace(',', "%2C")
    }
    let mut out = String::new();
    for d in diagnostics {
        let level = if d.severity == Severity::Error {
            "error"
        } else {
            "warning"
        };
        let mut props = Vec::new();
        if let Some(loc) = &d.location {
            props.push(format!(
                "file={}",
                property(&loc.file.to_string_lossy().replace('\\', "/"))
            ));
            props.push(format!("line={}", loc.line));
            props.push(format!("col={}", loc.column));
        }
        props.push(format!(
            "title={}",
            property(&format!("{} {}", d.rule.code(), d.rule.title()))
        ));
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{level} {}::{}\n",
            props.join(","),
            data(&message)
        ));
    }
    out
}

/// Colours for diagnostics: see [`colors_on`].
pub(crate) fn color_choice() -> codespan_reporting::term::termcolor::ColorChoice {
    if colors_on() {
        codespan_reporting::term::termcolor::ColorChoice::AlwaysAnsi
    } else {
        codespan_reporting::term::termcolor::ColorChoice::Never
    }
}

/// Whether what goes to stderr (diagnostics and build logs alike) is coloured: never with
/// `NO_COLOR` (no-color.org), always with `CLICOLOR_FORCE` (for CI systems that render ANSI),
/// else only when stderr is a terminal, so a log file keeps no escape codes.
pub(crate) fn colors_on() -> bool {
    use std::io::IsTerminal;
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        false
    } else if set("CLICOLOR_FORCE") {
        true
    } else {
        std::io::stderr().is_terminal()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Rule;

    /// Gathering texts keeps the first one given for a path: one already held, else the
    /// earliest set's.
    #[test]
    fn absorb_keeps_the_first_text_of_a_path() {
        let set = |entries: &[(&str, &str)]| {
            let mut s = Sources::default();
            for (path, text) in entries {
                s.add(Path::new(path), text);
            }
            s
        };
        let mut held = set(&[("b.md", "held b")]);
        held.absorb(vec![
            set(&[("c.md", "first c"), ("b.md", "later b")]),
            set(&[("a.md", "only a"), ("c.md", "later c")]),
            Sources::default(),
        ]);
        let got: Vec<(String, String)> = held
            .texts
            .iter()
            .map(|(p, t)| (p.display().to_string(), t.to_string()))
            .collect();
        let want = [("a.md", "only a"), ("b.md", "held b"), ("c.md", "first c")];
        assert_eq!(
            got,
            want.map(|(p, t)| (p.to_string(), t.to_string())).to_vec()
        );
    }

    #[test]
    fn machine_formats() {
        let d = Diagnostic::new(Rule::UnknownState, "unknown state \"a,b: 100%\"")
            .at(Location::new("book/eps/x, y/README.md", 6, 8))
            .help("did you mean\n\"implemented\"?")
            .for_ep("book/eps/x, y/README.md");
        let gh = to_github(std::slice::from_ref(&d));
        assert_eq!(
            gh,
            "::error file=book/eps/x%2C y/README.md,line=6,col=8,title=EP0102 the state is not one of the lifecycle states::unknown state \"a,b: 100%25\"%0Ahelp: did you mean%0A\"implemented\"?\n"
        );
        let json = to_json(&[d], 3, 0);
        assert_eq!(json["schema-version"], 1);
        assert_eq!(json["errors"], 1);
        assert_eq!(json["diagnostics"][0]["code"], "EP0102");
        assert_eq!(json["diagnostics"][0]["line"], 6);
        assert_eq!(json["diagnostics"][0]["severity"], "error");
    }

    #[test]
    fn human_report_quotes_the_line_with_code_and_help() {
        let mut sources = Sources::default();
        let file = PathBuf::from("eps/devex/0043-x/README.md");
        sources.add(&file, "---\ntitle: X\nstate: implementd\n---\n");
        let d = Diagnostic::new(Rule::UnknownState, "unknown state \"implementd\"")
            .at(Location::new(&file, 3, 8))
            .help("did you mean \"implemented\"?");
        let text = render_plain(&sources, &[d]);
        assert!(
            text.contains("error[EP0102]: unknown state \"implementd\""),
            "{text}"
        );
        assert!(text.contains("eps/devex/0043-x/README.md:3:8"), "{text}");
        assert!(text.contains("state: implementd"), "{text}");
        assert!(
            text.contains("help: did you mean \"implemented\"?"),
            "{text}"
        );
    }
}

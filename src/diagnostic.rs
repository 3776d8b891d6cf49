//! Problems found in EPs, with stable codes, locations and fixes.
//!
//! Every rule the validator enforces is a [`Rule`] with a code that never changes meaning, so a
//! team can raise, lower or silence it in `book.toml` and exempt one EP from it; the book's
//! "Error index" chapter explains each code (a test keeps the two in step).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::WriteColor};
use serde::{Deserialize, Serialize};

/// How serious a problem is. `Allow` silences a rule entirely.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Allow,
    #[serde(alias = "warning")]
    Warn,
    #[serde(alias = "deny")]
    Error,
}

macro_rules! rules {
    ($( $variant:ident = $code:literal, $sev:ident, $title:literal; )*) => {
        /// A rule the validator enforces. The code is the public name; the variant is ours.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $( $variant, )* }

        impl Rule {
            /// Every rule, in code order, for the error index and for configuration checks.
            pub const ALL: &'static [Rule] = &[ $( Rule::$variant, )* ];

            /// The stable code, e.g. `EP0102`.
            pub fn code(self) -> &'static str {
                match self { $( Rule::$variant => $code, )* }
            }

            /// Severity when `book.toml` says nothing about the rule.
            pub fn default_severity(self) -> Severity {
                match self { $( Rule::$variant => Severity::$sev, )* }
            }

            /// One line saying what the rule checks.
            pub fn title(self) -> &'static str {
                match self { $( Rule::$variant => $title, )* }
            }
        }
    };
}

rules! {
    UnknownConfigKey = "EP0002", Warn, "unknown key in `[preprocessor.ep]`";
    EpsDirMissing = "EP0003", Warn, "the EP folder does not exist";
    Unreadable = "EP0005", Error, "an EP file cannot be read as UTF-8 text";
    TemplateMissing = "EP0006", Warn, "the EP template cannot be read";
    WalkFailed = "EP0011", Warn, "a folder under the EP folder cannot be listed";
    MetadataSyntax = "EP0101", Error, "metadata is missing or is not a YAML mapping";
    UnknownState = "EP0102", Error, "`state` is not one of the lifecycle states";
    MissingField = "EP0103", Error, "a required metadata field is missing";
    WrongType = "EP0104", Error, "a metadata field has the wrong type";
    UnknownKey = "EP0105", Warn, "unknown metadata key";
    ConflictingMetadata = "EP0106", Error, "metadata is given twice";
    InvalidDate = "EP0201", Error, "a date is not a real `YYYY-MM-DD` date";
    DateOrder = "EP0202", Error, "`last-updated` is before `creation-date`";
    FutureDate = "EP0203", Warn, "a date lies in the future";
    DuplicateNumber = "EP0301", Error, "two EPs share a number";
    NumberMismatch = "EP0302", Error, "`number` differs from the folder's number";
    DraftName = "EP0303", Error, "a draft's file name is not `draft-YYYY-MM-DD-slug.md`";
    SigMismatch = "EP0304", Error, "`owning-sig` differs from the SIG folder";
    UnknownSig = "EP0305", Error, "a SIG is not in the SIG registry";
    UnknownReference = "EP0401", Error, "a link names an EP that does not exist";
    ReplacedWithoutSuccessor = "EP0402", Error, "a replaced EP does not say what replaced it";
    OneWayReplacement = "EP0403", Error, "`replaces` and `replaced-by` disagree";
    MalformedReference = "EP0404", Error, "a link to another EP is not an EP number";
    SuccessorWithoutReplacement = "EP0405", Warn, "`replaced-by` is set but the state is not `replaced`";
    MissingApprovers = "EP0501", Error, "an EP from `implementable` on has no approvers";
    UnregisteredApprover = "EP0502", Error, "an approver is not an approver of the owning SIG";
    ForbiddenTransition = "EP0503", Error, "the state changed in a way the lifecycle forbids";
    MissingSection = "EP0601", Error, "a section of the template is missing";
    UnclosedToc = "EP0602", Warn, "a `<!-- toc -->` marker is never closed";
    BadExemption = "EP0701", Error, "an exemption names no rule or gives no reason";
    SummaryMarkers = "EP0801", Error, "SUMMARY.md's `ep:summary` markers are broken";
}

impl Rule {
    /// Looks a rule up by its code, case-insensitively (`ep0102` works).
    pub fn from_code(code: &str) -> Option<Rule> {
        Rule::ALL
            .iter()
            .copied()
            .find(|r| r.code().eq_ignore_ascii_case(code.trim()))
    }
}

/// A place in a file, 1-based, as editors and `rustc` show it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    /// Relative to the book root when the file is inside it.
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl Location {
    pub fn new(file: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Location {
            file: file.into(),
            line: line.max(1),
            column: column.max(1),
        }
    }
}

/// One problem, ready to print.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub rule: &'static str,
    #[serde(skip)]
    pub kind: Rule,
    pub severity: Severity,
    pub message: String,
    pub location: Option<Location>,
    pub help: Option<String>,
    /// The EP the problem belongs to (its main file), which exemptions are keyed by; the
    /// location may be a sidecar `ep.yaml` instead.
    pub ep: Option<PathBuf>,
}

impl Diagnostic {
    pub fn new(rule: Rule, message: impl Into<String>) -> Self {
        Diagnostic {
            rule: rule.code(),
            kind: rule,
            severity: rule.default_severity(),
            message: message.into(),
            location: None,
            help: None,
            ep: None,
        }
    }

    pub fn for_ep(mut self, ep: impl Into<PathBuf>) -> Self {
        self.ep = Some(ep.into());
        self
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The short form used in logs and tests: `error[EP0102]: msg --> file:line:col`.
    pub fn one_line(&self) -> String {
        let mut s = format!("{}[{}]: {}", self.severity.label(), self.rule, self.message);
        if let Some(loc) = &self.location {
            s.push_str(&format!(
                " --> {}:{}:{}",
                loc.file.display(),
                loc.line,
                loc.column
            ));
        }
        s
    }
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Allow => "allow",
            Severity::Warn => "warning",
            Severity::Error => "error",
        }
    }
}

/// Which rules a team has raised, lowered or silenced, and which EPs are exempt from what.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    pub severities: BTreeMap<Rule, Severity>,
    /// EP file (relative to the book root) -> rule -> reason.
    pub exemptions: BTreeMap<PathBuf, BTreeMap<Rule, String>>,
}

impl Policy {
    /// Applies severities and exemptions, drops silenced problems, and orders the rest by file
    /// and line so output is deterministic whatever order the rules ran in.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = diagnostics
            .into_iter()
            .filter_map(|mut d| {
                if let Some(sev) = self.severities.get(&d.kind) {
                    d.severity = *sev;
                }
                let exempt = d.ep.as_ref().is_some_and(|ep| {
                    self.exemptions
                        .get(ep)
                        .is_some_and(|rules| rules.contains_key(&d.kind))
                });
                (d.severity != Severity::Allow && !exempt).then_some(d)
            })
            .collect();
        out.sort_by(|a, b| {
            a.location
                .cmp(&b.location)
                .then(a.rule.cmp(b.rule))
                .then(a.message.cmp(&b.message))
        });
        out.dedup();
        out
    }
}

/// Counts problems per severity.
pub fn count(diagnostics: &[Diagnostic], severity: Severity) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count()
}

/// The texts of the files diagnostics point into, so the human report can quote the line.
#[derive(Default)]
pub struct Sources {
    files: SimpleFiles<String, String>,
    ids: BTreeMap<PathBuf, usize>,
}

impl Sources {
    pub fn add(&mut self, path: &Path, text: &str) {
        if !self.ids.contains_key(path) {
            let id = self.files.add(path.display().to_string(), text.to_string());
            self.ids.insert(path.to_path_buf(), id);
        }
    }

    /// The same texts under paths prefixed with `dir`.
    pub fn rebased(self, dir: &Path) -> Sources {
        let mut out = Sources::default();
        for (path, id) in &self.ids {
            if let Ok(file) = self.files.get(*id) {
                out.add(&dir.join(path), file.source());
            }
        }
        out
    }

    fn byte_range(&self, loc: &Location) -> Option<(usize, std::ops::Range<usize>)> {
        let id = *self.ids.get(&loc.file)?;
        let text = self.files.get(id).ok()?.source();
        let mut start = 0;
        for (i, line) in text.split_inclusive('\n').enumerate() {
            if i + 1 == loc.line {
                let content = line.trim_end_matches(['\n', '\r']);
                let col = content
                    .char_indices()
                    .nth(loc.column - 1)
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
                return Some((id, start + col..start + end));
            }
            start += line.len();
        }
        None
    }
}

/// Writes diagnostics the way `rustc` does: header, arrow with location, quoted line, help.
pub fn emit_human(
    out: &mut dyn WriteColor,
    sources: &Sources,
    diagnostics: &[Diagnostic],
) -> std::io::Result<()> {
    let config = term::Config::default();
    for d in diagnostics {
        let cs = match d.severity {
            Severity::Error => CsDiagnostic::error(),
            _ => CsDiagnostic::warning(),
        }
        .with_code(d.rule)
        .with_message(&d.message);
        let mut notes = Vec::new();
        let cs = match &d.location {
            Some(loc) => match sources.byte_range(loc) {
                Some((id, range)) => cs.with_labels(vec![Label::primary(id, range)]),
                None => {
                    notes.push(format!(
                        "--> {}:{}:{}",
                        loc.file.display(),
                        loc.line,
                        loc.column
                    ));
                    cs
                }
            },
            None => cs,
        };
        if let Some(help) = &d.help {
            notes.push(format!("help: {help}"));
        }
        let cs = cs.with_notes(notes);
        term::emit_to_write_style(out, &config, &sources.files, &cs)
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
pub fn to_json(diagnostics: &[Diagnostic], eps: usize) -> serde_json::Value {
    let items: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            serde_json::json!({
                "code": d.rule,
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
        "diagnostics": items,
    })
}

/// GitHub Actions workflow commands: one `::error` / `::warning` line per problem, which the
/// code host shows on the pull request's diff.
pub fn to_github(diagnostics: &[Diagnostic]) -> String {
    fn data(s: &str) -> String {
        s.replace('%', "%25")
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
            property(&format!("{} {}", d.rule, d.kind.title()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::BTreeSet::new();
        for r in Rule::ALL {
            assert!(seen.insert(r.code()), "duplicate code {}", r.code());
            assert!(r.code().starts_with("EP") && r.code().len() == 6);
            assert_eq!(Rule::from_code(&r.code().to_lowercase()), Some(*r));
        }
    }

    #[test]
    fn policy_overrides_silences_and_exempts() {
        let file = PathBuf::from("eps/a/0001-x/README.md");
        let d1 = Diagnostic::new(Rule::MissingSection, "m").at(Location::new(&file, 3, 1));
        let d2 = Diagnostic::new(Rule::UnknownKey, "k").at(Location::new(&file, 2, 1));
        let d3 = Diagnostic::new(Rule::DateOrder, "d")
            .at(Location::new("eps/a/0001-x/ep.yaml", 4, 1))
            .for_ep(&file);
        let mut policy = Policy::default();
        policy
            .severities
            .insert(Rule::MissingSection, Severity::Warn);
        policy.severities.insert(Rule::UnknownKey, Severity::Allow);
        policy
            .exemptions
            .entry(file.clone())
            .or_default()
            .insert(Rule::DateOrder, "grandfathered".into());
        let out = policy.apply(vec![d1, d2, d3]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].rule, "EP0601");
        assert_eq!(out[0].severity, Severity::Warn);
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
            "::error file=book/eps/x%2C y/README.md,line=6,col=8,title=EP0102 `state` is not one of the lifecycle states::unknown state \"a,b: 100%25\"%0Ahelp: did you mean%0A\"implemented\"?\n"
        );
        let json = to_json(&[d], 3);
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

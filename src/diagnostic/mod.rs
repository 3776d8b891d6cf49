//! Problems found in EPs, with stable codes, locations and fixes.
//!
//! Every rule the validator enforces is a [`Rule`] with a code that never changes meaning, so a
//! team can raise, lower or silence it in `book.toml` and exempt one EP from it; the book's
//! "Error index" chapter explains each code (a test keeps the two in step).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

mod report;

#[cfg(feature = "build")]
pub(crate) use report::colors_on;
pub use report::{Sources, render_plain};
pub(crate) use report::{color_choice, emit_human, inert, to_github, to_json};

/// How serious a problem is. `Allow` silences a rule entirely.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Severity {
    /// Silenced: the problem is not reported.
    Allow,
    #[serde(alias = "warning")]
    /// Reported; the build still passes.
    Warn,
    #[serde(alias = "deny")]
    /// Reported; the build fails.
    Error,
}

macro_rules! rules {
    ($( $variant:ident = $code:literal, $sev:ident, $title:literal; )*) => {
        /// A rule the validator enforces. The code is the public name; the variant is ours.
        /// Variants are ordered like their codes.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Rule { $( #[doc = $title] $variant, )* }

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
    NoEps = "EP0003", Warn, "the book has no EPs (no EP folder, or an empty one)";
    Unreadable = "EP0005", Error, "an EP file cannot be read as UTF-8 text";
    TemplateMissing = "EP0006", Warn, "the EP template cannot be read";
    WalkFailed = "EP0011", Warn, "a folder under the EP folder cannot be listed";
    EpsNotLinked = "EP0017", Warn, "the EP folder beside the sources is not linked into them";
    MetadataSyntax = "EP0101", Error, "metadata is missing or is not a YAML mapping";
    UnknownState = "EP0102", Error, "the state is not one of the lifecycle states";
    MissingField = "EP0103", Error, "a required metadata field is missing";
    WrongType = "EP0104", Error, "a metadata field has the wrong type";
    UnknownKey = "EP0105", Warn, "unknown metadata key";
    ConflictingMetadata = "EP0106", Error, "metadata is given twice";
    ControlCharacter = "EP0107", Error, "a one-line metadata value holds a line break or control character";
    InvalidDate = "EP0201", Error, "a date is not a real `YYYY-MM-DD` date";
    DateOrder = "EP0202", Error, "`last-updated` is before `creation-date`";
    FutureDate = "EP0203", Warn, "a date lies in the future";
    DuplicateNumber = "EP0301", Error, "two EPs share a number";
    NumberMismatch = "EP0302", Error, "`number` differs from the folder's number";
    DraftName = "EP0303", Error, "a draft's file name is not `draft-YYYY-MM-DD-slug.md`";
    SigMismatch = "EP0304", Error, "`owning-sig` differs from the SIG folder";
    UnknownSig = "EP0305", Error, "a SIG is not in the SIG registry";
    FolderWithoutReadme = "EP0306", Error, "a numbered EP folder has no `README.md`";
    NumberTooLarge = "EP0307", Error, "an EP number is larger than 4294967295";
    UnknownReference = "EP0401", Error, "a link names an EP that does not exist";
    ReplacedWithoutSuccessor = "EP0402", Error, "a replaced EP does not say what replaced it";
    OneWayReplacement = "EP0403", Error, "`replaces` and `replaced-by` disagree";
    MalformedReference = "EP0404", Error, "a link to another EP is not an EP number";
    SuccessorWithoutReplacement = "EP0405", Warn, "a successor is named but the state is not `replaced`";
    ReplacementCycle = "EP0406", Error, "EPs replace each other in a cycle";
    MissingApprovers = "EP0501", Error, "an EP from `implementable` on has no approvers";
    UnregisteredApprover = "EP0502", Error, "an approver is not an approver of the owning SIG";
    ForbiddenTransition = "EP0503", Error, "the state changed in a way the lifecycle forbids";
    StaleEp = "EP0504", Warn, "an open EP has not changed for longer than `stale-after-days`";
    UnreviewedSig = "EP0505", Warn, "a participating SIG has no reviewer or approver on an approved EP";
    MissingSection = "EP0601", Error, "a section of the template is missing";
    UnclosedToc = "EP0602", Warn, "a `<!-- toc -->` marker is never closed";
    RenamedSection = "EP0603", Warn, "a template section is there under another spelling";
    UnfinishedSection = "EP0604", Error, "a required section of an approved EP is empty or still the template's text";
    TitleMismatch = "EP0605", Warn, "the page's heading and the metadata title differ";
    BrokenLink = "EP0606", Error, "a link or image in an EP points to a file the book does not have";
    BrokenFragment = "EP0607", Error, "a `#fragment` link does not land on an id of its page";
    UnreferencedFile = "EP0608", Warn, "a supporting file in an EP's folder is not referenced";
    BadExemption = "EP0701", Error, "an exemption names no rule or gives no reason";
    SummaryMarkers = "EP0801", Error, "SUMMARY.md's `ep:summary` markers are broken";
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl std::fmt::Display for Rule {
    /// The code: rules are named by it everywhere users see them.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
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
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl Location {
    /// A location; line and column are at least 1.
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
    /// The rule broken; serialized as its stable code, e.g. `EP0102`.
    pub rule: Rule,
    /// After the policy is applied.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where, when the problem has a place in a file.
    pub location: Option<Location>,
    /// How to fix it.
    pub help: Option<String>,
    /// The EP the problem belongs to (its main file), which exemptions are keyed by; the
    /// location may be a sidecar `ep.yaml` instead.
    pub ep: Option<PathBuf>,
}

impl Diagnostic {
    /// A problem of `rule` at its default severity.
    pub fn new(rule: Rule, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: rule.default_severity(),
            message: message.into(),
            location: None,
            help: None,
            ep: None,
        }
    }

    /// Says which EP the problem belongs to, for exemptions.
    pub fn for_ep(mut self, ep: impl Into<PathBuf>) -> Self {
        self.ep = Some(ep.into());
        self
    }

    /// Says where the problem is.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Says how to fix it.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The short form used in logs and tests: `error[EP0102]: msg --> file:line:col`.
    pub fn one_line(&self) -> String {
        let mut s = format!(
            "{}[{}]: {}",
            self.severity.label(),
            self.rule.code(),
            self.message
        );
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
    /// The word used in reports: `error`, `warning` or `allow`.
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
    /// Whether every problem of `rule` is dropped (its severity is `allow`).
    pub fn silences(&self, rule: Rule) -> bool {
        self.severities
            .get(&rule)
            .copied()
            .unwrap_or(rule.default_severity())
            == Severity::Allow
    }

    /// Whether a check that reports only `rules` need run: not when the book silences them all,
    /// as every problem it found would be dropped.
    pub fn runs_any(&self, rules: &[Rule]) -> bool {
        rules.iter().any(|r| !self.silences(*r))
    }

    /// Applies severities and exemptions, drops silenced problems, and orders the rest by file
    /// and line so output is deterministic whatever order the rules ran in.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = diagnostics
            .into_iter()
            .filter_map(|mut d| {
                if let Some(sev) = self.severities.get(&d.rule) {
                    d.severity = *sev;
                }
                let exempt = d.ep.as_ref().is_some_and(|ep| {
                    self.exemptions
                        .get(ep)
                        .is_some_and(|rules| rules.contains_key(&d.rule))
                });
                (d.severity != Severity::Allow && !exempt).then_some(d)
            })
            .collect();
        order(&mut out);
        out
    }
}

/// The order problems are reported in, by file and line, whatever order the rules ran in;
/// a problem found twice is reported once.
pub(crate) fn order(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        a.location
            .cmp(&b.location)
            .then(a.rule.cmp(&b.rule))
            .then(a.message.cmp(&b.message))
    });
    diagnostics.dedup();
}

/// Counts problems per severity.
pub(crate) fn count(diagnostics: &[Diagnostic], severity: Severity) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count()
}

/// Diagnostics with every path (relative to the book root) prefixed with `dir`, the book's
/// folder as seen from where the command runs, so messages name files as the user's shell,
/// editor and code host find them; with the sources under the new paths, or `None` when `dir`
/// is the current folder and nothing changes.
pub(crate) fn rebase(
    diagnostics: &mut [Diagnostic],
    sources: &Sources,
    dir: &std::path::Path,
) -> Option<Sources> {
    if dir.as_os_str().is_empty() || dir == std::path::Path::new(".") {
        return None;
    }
    for d in diagnostics {
        for file in d
            .location
            .iter_mut()
            .map(|l| &mut l.file)
            .chain(d.ep.iter_mut())
        {
            *file = dir.join(&*file);
        }
    }
    Some(sources.rebased(dir))
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
        assert_eq!(out[0].rule.code(), "EP0601");
        assert_eq!(out[0].severity, Severity::Warn);
    }
}

//! `[preprocessor.ep]` and the parts of mdBook's configuration that change what we produce.
//!
//! mdBook ignores unknown keys in plugin tables, so a typo such as `eps_dir` would silently fall
//! back to a default. We list unknown keys as warnings with a suggestion instead.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mdbook_preprocessor::config::Config;
use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Location, Policy, Rule, Severity};
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::model::calendar::{Calendar, RawKpi};
use crate::model::is_safe_url;
use crate::suggest::did_you_mean;

/// Keys mdBook itself reads from every `[preprocessor.NAME]` table.
const MDBOOK_KEYS: &[&str] = &["command", "before", "after", "renderers", "optional"];

/// The keys of `[preprocessor.ep]`, written once: this declares both the struct they are read
/// into and the list unknown keys are checked against.
macro_rules! ep_table {
    ($( $(#[$doc:meta])* $field:ident: $ty:ty = $key:literal, )*) => {
        /// `[preprocessor.ep]` as written.
        #[derive(Debug, Default, Deserialize)]
        #[serde(default)]
        struct Raw {
            $( $(#[$doc])* #[serde(rename = $key)] $field: $ty, )*
        }

        /// Keys this plugin reads, as `book.toml` spells them.
        const OUR_KEYS: &[&str] = &[ $( $key, )* ];
    };
}

ep_table! {
    eps_dir: Option<PathBuf> = "eps-dir",
    template: Option<PathBuf> = "template",
    baseline: Option<PathBuf> = "baseline",
    people_url: Option<String> = "people-url",
    history: Option<bool> = "history",
    stale_after_days: Option<i64> = "stale-after-days",
    commit_url: Option<String> = "commit-url",
    group_by: Option<Vec<GroupBy>> = "group-by",
    toc: TocConfig = "toc",
    kpi: RawKpi = "kpi",
    sigs: BTreeMap<String, Sig> = "sigs",
    rules: BTreeMap<String, Severity> = "rules",
}

/// One SIG of the registry: who may approve and review its EPs.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct Sig {
    /// The name shown for the SIG; default: its folder name.
    pub name: Option<String>,
    /// One line on what the SIG owns, shown on its page.
    pub description: Option<String>,
    /// Who may approve the SIG's EPs (EP0502 checks `approvers` against it).
    pub approvers: Vec<String>,
    /// Who reviews the SIG's EPs.
    pub reviewers: Vec<String>,
}

/// Which chapters get a table of contents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TocChapters {
    /// EPs: between their markers, else under the header table.
    Eps,
    /// Every chapter: between markers, else under its title.
    All,
    /// Only chapters (EPs or not) that have `<!-- toc -->` markers.
    Marked,
}

/// `[preprocessor.ep.toc]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct TocConfig {
    /// The shallowest heading level listed.
    pub min_level: u8,
    /// The deepest heading level listed.
    pub max_level: u8,
    /// Which chapters get a TOC.
    pub chapters: TocChapters,
    /// Place a TOC in chapters without markers (EPs: under the header table).
    pub auto: bool,
    /// How the book shows a TOC while mdBook's sidebar lists the page's headings too.
    pub beside_sidebar: BesideSidebar,
}

/// What the rendered book does with a chapter's TOC when mdBook's sidebar already lists the
/// page's headings (`output.html.sidebar-header-nav`, on by default). The sidebar is hidden on
/// a phone and needs JavaScript, so folding keeps the TOC one click away without repeating the
/// sidebar on a wide screen. Source files (`toc --write`) always get the plain list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BesideSidebar {
    /// Under a "Contents" disclosure, closed.
    Fold,
    /// As a plain list, as without the sidebar.
    Open,
    /// Not at all: the sidebar is the TOC.
    Omit,
}

impl Default for TocConfig {
    fn default() -> Self {
        TocConfig {
            min_level: 2,
            max_level: 4,
            chapters: TocChapters::Eps,
            auto: true,
            beside_sidebar: BesideSidebar::Fold,
        }
    }
}

/// A dimension the book's EP part is grouped by, outermost first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    /// A part per SIG.
    Sig,
    /// A part per lifecycle state.
    State,
}

/// Everything mdbook-ep needs from `book.toml`, resolved and checked.
#[derive(Clone, Debug)]
pub struct EpConfig {
    /// The EP folder as the book shows it, relative to the book's source folder: where the EP
    /// pages and index pages go. Every EP path is under it.
    pub eps_dir: PathBuf,
    /// Where the EP folder is on disk, relative to the source folder, when it is outside it
    /// (`eps-dir = "../keps"`); `eps_dir` is then its name inside the book (`keps`).
    pub eps_outside: Option<PathBuf>,
    /// The template, relative to the book's source folder.
    pub template: PathBuf,
    /// The baseline file, relative to the book root (used when it exists).
    pub baseline: PathBuf,
    /// A URL with `{}` where a person's handle goes.
    pub people_url: Option<String>,
    /// Whether each EP's page shows its story from git (`history`, default on).
    pub history: bool,
    /// An open EP unchanged for longer than this many days is stale (EP0504); off when `None`.
    pub stale_after_days: Option<u32>,
    /// A URL with `{}` where a commit id goes: `commit-url`, else
    /// `output.html.git-repository-url` followed by `/commit/{}`.
    pub commit_url: Option<String>,
    /// How the generated EP part is nested: `[Sig, State]` gives a part per SIG with a chapter
    /// per state.
    pub group_by: Vec<GroupBy>,
    /// `[preprocessor.ep.toc]`.
    pub toc: TocConfig,
    /// The planning increments KPIs are counted in.
    pub calendar: Calendar,
    /// The SIG registry; empty means "no registry, any SIG folder is fine".
    pub sigs: BTreeMap<String, Sig>,
    /// Rule severities from `[preprocessor.ep.rules]` (exemptions are added per EP later).
    pub policy: Policy,
    /// How the book's Markdown is parsed and where its chapters render.
    pub dialect: Dialect,
}

impl Default for EpConfig {
    fn default() -> Self {
        EpConfig {
            eps_dir: PathBuf::from("eps"),
            eps_outside: None,
            template: PathBuf::from("eps/template/README.md"),
            baseline: crate::read::baseline::default_path(),
            people_url: None,
            history: true,
            stale_after_days: None,
            commit_url: None,
            group_by: vec![GroupBy::Sig, GroupBy::State],
            toc: TocConfig::default(),
            calendar: Calendar::None,
            sigs: BTreeMap::new(),
            policy: Policy::default(),
            dialect: Dialect::default(),
        }
    }
}

impl EpConfig {
    /// Reads the configuration for a build by mdBook `mdbook_version`. `book_toml` is the
    /// file's text when available, used only to point warnings at the right line.
    pub fn from_mdbook(
        config: &Config,
        mdbook_version: &str,
        book_toml: Option<&str>,
    ) -> Result<(EpConfig, Vec<Diagnostic>)> {
        let table: Option<toml::Value> = config
            .get("preprocessor.ep")
            .map_err(|e| config_error("preprocessor.ep", e))?;
        let (raw, diagnostics) = match table {
            None => (Raw::default(), Vec::new()),
            Some(value) => {
                let diagnostics = unknown_keys(&value, book_toml);
                let raw = serde_path_to_error::deserialize(value)
                    .map_err(|e| value_error(&e, book_toml))?;
                (raw, diagnostics)
            }
        };
        let mut cfg = resolve(raw)?;
        cfg.dialect = Dialect::from_mdbook(config, mdbook_version)?;
        cfg.commit_url = commit_url(config, cfg.commit_url.take());
        Ok((cfg, diagnostics))
    }

    /// Where a path of the book's sources (relative to the source folder, as the book shows
    /// it) is on disk, relative to the source folder: the same path, except under an EP folder
    /// outside the sources.
    pub fn on_disk(&self, rel: &Path) -> PathBuf {
        match (&self.eps_outside, rel.strip_prefix(&self.eps_dir)) {
            (Some(real), Ok(rest)) => real.join(rest),
            _ => rel.to_path_buf(),
        }
    }

    /// Whether the folder `sig` under the EP folder is where the template lives: a folder
    /// that holds the template is not a SIG (`new` and `install` refuse it).
    pub(crate) fn is_template_folder(&self, sig: &str) -> bool {
        self.template.starts_with(self.eps_dir.join(sig))
    }

    /// The display name of a SIG: the registry's name, else the folder name.
    pub fn sig_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.sigs
            .get(id)
            .and_then(|s| s.name.as_deref())
            .unwrap_or(id)
    }
}

/// EP0002 for every key of `[preprocessor.ep]` that neither mdBook nor mdbook-ep reads.
fn unknown_keys(table: &toml::Value, book_toml: Option<&str>) -> Vec<Diagnostic> {
    let toml::Value::Table(t) = table else {
        return Vec::new();
    };
    let known: Vec<&str> = OUR_KEYS.iter().chain(MDBOOK_KEYS).copied().collect();
    t.keys()
        .filter(|key| !known.contains(&key.as_str()))
        .map(|key| {
            let (line, col) = book_toml
                .and_then(|t| key_position(t, &["preprocessor", "ep", key]))
                .unwrap_or((1, 1));
            Diagnostic::new(
                Rule::UnknownConfigKey,
                format!("unknown key `{key}` in `[preprocessor.ep]`; it is ignored"),
            )
            .at(Location::new("book.toml", line, col))
            .help(match did_you_mean(key, &known) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("known keys: {}", OUR_KEYS.join(", ")),
            })
        })
        .collect()
}

/// Checks each value of the table and fills in the defaults.
fn resolve(raw: Raw) -> Result<EpConfig> {
    let mut cfg = EpConfig::default();
    if let Some(dir) = raw.eps_dir {
        let (mount, outside) = eps_location(&dir)?;
        cfg.template = mount.join("template").join("README.md");
        cfg.eps_dir = mount;
        cfg.eps_outside = outside;
    }
    if let Some(t) = raw.template {
        // `./eps/template/README.md` is `eps/template/README.md`: paths are compared by parts.
        let t = super::tidy(&t);
        // A template in an EP folder outside the sources is named as it is on disk.
        let t = match &cfg.eps_outside {
            Some(real) => match t.strip_prefix(real) {
                Ok(rest) => cfg.eps_dir.join(rest),
                Err(_) => t,
            },
            None => t,
        };
        check_relative("template", &t, "source folder (`book.src`) or EP folder")?;
        cfg.template = t;
    }
    if let Some(b) = raw.baseline {
        check_relative("baseline", &b, "root (where book.toml is)")?;
        cfg.baseline = b;
    }
    cfg.people_url = raw
        .people_url
        .map(|u| url_with_slot("people-url", u, "https://github.com/{}"))
        .transpose()?;
    cfg.history = raw.history.unwrap_or(true);
    cfg.stale_after_days = raw
        .stale_after_days
        .map(|days| {
            u32::try_from(days).ok().filter(|d| (1..=36_500).contains(d)).ok_or_else(|| Error::Config {
                table: "preprocessor.ep".into(),
                message: format!("`stale-after-days = {days}` is not a number of days from 1 to 36500"),
                help: "write it like `stale-after-days = 180`, or leave it out to turn the check off".into(),
            })
        })
        .transpose()?;
    cfg.commit_url = raw
        .commit_url
        .map(|u| url_with_slot("commit-url", u, "https://github.com/org/repo/commit/{}"))
        .transpose()?
        .map(|u| {
            // Commit links sit on EP pages at every depth: a path relative to the page would
            // land somewhere else on each.
            if u.starts_with("https://") || u.starts_with("http://") || u.starts_with('/') {
                Ok(u)
            } else {
                Err(Error::Config {
                    table: "preprocessor.ep".into(),
                    message: format!("`commit-url = \"{u}\"` is relative to each page"),
                    help: "write a full URL (`https://git.example.org/org/repo/commit/{}`) or one from the site's root (`/commits/{}`)".into(),
                })
            }
        })
        .transpose()?;
    if let Some(group_by) = raw.group_by {
        cfg.group_by = group_by_levels(group_by)?;
    }
    cfg.toc = toc_levels(raw.toc)?;
    cfg.calendar = Calendar::from_raw(raw.kpi)?;
    for (id, sig) in &raw.sigs {
        if let Some(name) = sig
            .name
            .as_ref()
            .filter(|n| n.chars().any(char::is_control))
        {
            return Err(Error::Config {
                table: format!("preprocessor.ep.sigs.{id}"),
                message: format!("`name = {name:?}` holds a line break or control character"),
                help: "a SIG's name is a part title and a sidebar entry: write it on one line"
                    .into(),
            });
        }
    }
    cfg.sigs = raw.sigs;
    cfg.policy.severities = severities(raw.rules)?;
    Ok(cfg)
}

/// A URL template (`people-url`, `commit-url`): http(s) or relative, with `{}` for the value.
fn url_with_slot(key: &str, url: String, example: &str) -> Result<String> {
    if url.contains("{}") && is_safe_url(&url.replace("{}", "x")) {
        return Ok(url);
    }
    Err(Error::Config {
        table: "preprocessor.ep".into(),
        message: format!("`{key} = \"{url}\"` is not an http(s) or relative URL with `{{}}`"),
        help: format!("write it like `{key} = \"{example}\"`"),
    })
}

/// Where a commit is shown: `commit-url`, else the repository mdBook's HTML renderer links to
/// (`output.html.git-repository-url`) as GitHub, GitLab and Gitea lay out commit pages. The
/// repository URL is often written as a clone URL (`.git`) or as a folder in it
/// (`/tree/main/docs`); both name the repository.
fn commit_url(config: &Config, ours: Option<String>) -> Option<String> {
    ours.or_else(|| {
        let repo: String = config.get("output.html.git-repository-url").ok()??;
        commit_url_of(&repo)
    })
}

/// The commit URL template of a repository's web address, when it is one.
fn commit_url_of(repo: &str) -> Option<String> {
    if !(repo.starts_with("https://") || repo.starts_with("http://")) {
        return None;
    }
    let mut repo = repo.trim_end_matches('/');
    for folder in ["/-/tree/", "/-/blob/", "/tree/", "/blob/", "/src/"] {
        if let Some(at) = repo.find(folder) {
            repo = &repo[..at];
        }
    }
    let repo = repo.strip_suffix(".git").unwrap_or(repo);
    let url = format!("{repo}/commit/{{}}");
    is_safe_url(&url.replace("{}", "x")).then_some(url)
}

fn group_by_levels(group_by: Vec<GroupBy>) -> Result<Vec<GroupBy>> {
    let distinct = group_by.len() < 2 || group_by[0] != group_by[1];
    if group_by.is_empty() || group_by.len() > 2 || !distinct {
        return Err(Error::Config {
            table: "preprocessor.ep".into(),
            message: "`group-by` must list \"sig\", \"state\" or both, each once".into(),
            help: "write `group-by = [\"sig\", \"state\"]` (the default) or `[\"state\", \"sig\"]`"
                .into(),
        });
    }
    Ok(group_by)
}

fn toc_levels(toc: TocConfig) -> Result<TocConfig> {
    let levels = 1..=6;
    if levels.contains(&toc.min_level)
        && levels.contains(&toc.max_level)
        && toc.min_level <= toc.max_level
    {
        return Ok(toc);
    }
    Err(Error::Config {
        table: "preprocessor.ep.toc".into(),
        message: format!(
            "levels {}..{} are not heading levels",
            toc.min_level, toc.max_level
        ),
        help: "use 1 <= min-level <= max-level <= 6, e.g. `min-level = 2`, `max-level = 4`".into(),
    })
}

fn severities(rules: BTreeMap<String, Severity>) -> Result<BTreeMap<Rule, Severity>> {
    let mut out = BTreeMap::new();
    for (code, sev) in rules {
        let rule = Rule::from_code(&code).ok_or_else(|| Error::Config {
            table: "preprocessor.ep.rules".into(),
            message: format!("unknown rule `{code}`"),
            help: format!(
                "rules are named by code, e.g. `EP0601 = \"warn\"`; the codes are: {}",
                Rule::ALL
                    .iter()
                    .map(|r| r.code())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })?;
        out.insert(rule, sev);
    }
    Ok(out)
}

/// A value of `[preprocessor.ep]` or a sub-table that has the wrong type: named by its table
/// and key, with its line in `book.toml` when the file's text is at hand.
fn value_error(e: &serde_path_to_error::Error<toml::de::Error>, book_toml: Option<&str>) -> Error {
    // `kpi.increments[1].start`: a list's index stays with its key.
    let mut path: Vec<String> = Vec::new();
    for segment in e.path().iter() {
        match segment {
            serde_path_to_error::Segment::Map { key } => path.push(key.clone()),
            serde_path_to_error::Segment::Seq { index } => {
                if let Some(last) = path.last_mut() {
                    last.push_str(&format!("[{index}]"));
                }
            }
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
        }
    }
    let message = e.inner().message().to_string();
    let Some((key, tables)) = path.split_last() else {
        return config_error("preprocessor.ep", message);
    };
    let table = std::iter::once("preprocessor.ep")
        .chain(tables.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(".");
    let mut full: Vec<&str> = vec!["preprocessor", "ep"];
    full.extend(path.iter().map(String::as_str));
    let line = book_toml
        .and_then(|text| key_position(text, &full))
        .map(|(line, _)| format!(" (book.toml line {line})"))
        .unwrap_or_default();
    config_error(&table, format!("`{key}`{line}: {message}"))
}

fn config_error(table: &str, e: impl std::fmt::Display) -> Error {
    Error::Config {
        table: table.into(),
        message: format!("{e:#}"),
        help: "see the configuration reference in the mdbook-ep book".into(),
    }
}

/// Where the EPs appear in the book and, when `eps-dir` leaves the source folder
/// (`"../keps"`), where they are on disk: they appear under the same path without its leading
/// `..` (`keps/`), so their pages land inside the site.
fn eps_location(dir: &Path) -> Result<(PathBuf, Option<PathBuf>)> {
    use std::path::Component;
    let ups = dir
        .components()
        .take_while(|c| matches!(c, Component::ParentDir))
        .count();
    let mount: PathBuf = dir.components().skip(ups).collect();
    let bad = dir.is_absolute()
        || mount.as_os_str().is_empty()
        || mount
            .components()
            .any(|c| !matches!(c, Component::Normal(_)));
    if bad {
        return Err(Error::Config {
            table: "preprocessor.ep".into(),
            message: format!(
                "`eps-dir = \"{}\"` is not a folder path mdbook-ep can use",
                dir.display()
            ),
            help: "give it relative to the book's source folder: `\"eps\"` inside it, or `\"../keps\"` for a folder beside it, ending in the folder's name".into(),
        });
    }
    Ok((mount, (ups > 0).then(|| dir.to_path_buf())))
}

fn check_relative(key: &str, p: &Path, within: &str) -> Result<()> {
    if p.is_absolute()
        || p.components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Err(Error::Config {
            table: "preprocessor.ep".into(),
            message: format!(
                "`{key} = \"{}\"` must be a path inside the book's {within}",
                p.display()
            ),
            help: format!("give `{key}` relative to the book's {within}, without `..`"),
        });
    }
    Ok(())
}

/// Finds the 1-based line and column of a key in a TOML document, following nested tables.
fn key_position(text: &str, path: &[&str]) -> Option<(usize, usize)> {
    use toml::de::{DeTable, DeValue};
    let doc = DeTable::parse(text).ok()?;
    let mut table = doc.get_ref();
    for (i, part) in path.iter().enumerate() {
        let (key, value) = table.iter().find(|(k, _)| k.get_ref().as_ref() == *part)?;
        if i + 1 == path.len() {
            return Some(line_col(text, key.span().start));
        }
        match value.get_ref() {
            DeValue::Table(t) => table = t,
            _ => return None,
        }
    }
    None
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repository_address_gives_its_commit_pages() {
        for (repo, want) in [
            (
                "https://github.com/acme/eps",
                Some("https://github.com/acme/eps/commit/{}"),
            ),
            (
                "https://github.com/acme/eps/",
                Some("https://github.com/acme/eps/commit/{}"),
            ),
            (
                "https://github.com/acme/eps.git",
                Some("https://github.com/acme/eps/commit/{}"),
            ),
            (
                "https://github.com/acme/eps/tree/main/docs",
                Some("https://github.com/acme/eps/commit/{}"),
            ),
            (
                "https://gitlab.com/g/sub/eps/-/tree/main",
                Some("https://gitlab.com/g/sub/eps/commit/{}"),
            ),
            ("git@github.com:acme/eps.git", None),
            ("javascript:alert(1)", None),
            ("https://exa mple.org/r", None),
        ] {
            assert_eq!(commit_url_of(repo).as_deref(), want, "{repo}");
        }
    }

    fn load(toml_text: &str) -> Result<(EpConfig, Vec<Diagnostic>)> {
        let config: Config = toml_text.parse().expect("valid book.toml");
        EpConfig::from_mdbook(&config, "0.5.4", Some(toml_text))
    }

    #[test]
    fn defaults_without_a_table() {
        let (cfg, diags) = load("[book]\ntitle = \"x\"\n").unwrap();
        assert_eq!(cfg.eps_dir, PathBuf::from("eps"));
        assert_eq!(cfg.template, PathBuf::from("eps/template/README.md"));
        assert!(cfg.dialect.markdown.smart_punctuation);
        assert!(diags.is_empty());
    }

    #[test]
    fn an_eps_dir_beside_the_sources_appears_under_its_name() {
        let (cfg, _) = load(
            "[preprocessor.ep]\neps-dir = \"../keps\"\ntemplate = \"../keps/NNNN-kep-template/README.md\"\n",
        )
        .unwrap();
        assert_eq!(cfg.eps_dir, PathBuf::from("keps"));
        assert_eq!(cfg.eps_outside, Some(PathBuf::from("../keps")));
        assert_eq!(
            cfg.template,
            PathBuf::from("keps/NNNN-kep-template/README.md")
        );
        assert_eq!(
            cfg.on_disk(Path::new("keps/sig-a/0001-x/README.md")),
            PathBuf::from("../keps/sig-a/0001-x/README.md")
        );
        assert_eq!(
            cfg.on_disk(Path::new("intro.md")),
            PathBuf::from("intro.md")
        );
        let (deep, _) = load("[preprocessor.ep]\neps-dir = \"../../text/rfcs\"\n").unwrap();
        assert_eq!(deep.eps_dir, PathBuf::from("text/rfcs"));
        for bad in ["..", "../", "a/../b", "/abs", "../x/../y"] {
            let err = load(&format!("[preprocessor.ep]\neps-dir = \"{bad}\"\n"));
            assert!(err.is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn keps_layout_and_rules() {
        let (cfg, _) = load(
            "[preprocessor.ep]\neps-dir = \"keps\"\ntemplate = \"keps/NNNN-kep-template/README.md\"\n\
             [preprocessor.ep.rules]\nEP0601 = \"warn\"\nep0401 = \"allow\"\n\
             [output.html]\nsmart-punctuation = false\n",
        )
        .unwrap();
        assert_eq!(cfg.eps_dir, PathBuf::from("keps"));
        assert_eq!(
            cfg.template,
            PathBuf::from("keps/NNNN-kep-template/README.md")
        );
        assert_eq!(cfg.policy.severities[&Rule::MissingSection], Severity::Warn);
        assert_eq!(
            cfg.policy.severities[&Rule::UnknownReference],
            Severity::Allow
        );
        assert!(!cfg.dialect.markdown.smart_punctuation);
        assert_eq!(cfg.group_by, vec![GroupBy::Sig, GroupBy::State]);
        let (cfg, _) = load("[preprocessor.ep]\ngroup-by = [\"state\", \"sig\"]\n").unwrap();
        assert_eq!(cfg.group_by, vec![GroupBy::State, GroupBy::Sig]);
    }

    #[test]
    fn unknown_keys_warn_with_line_and_suggestion() {
        let text =
            "[book]\ntitle = \"x\"\n\n[preprocessor.ep]\nafter = [\"links\"]\neps_dir = \"x\"\n";
        let (_, diags) = load(text).unwrap();
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].rule.code(), "EP0002");
        assert_eq!(diags[0].location.as_ref().unwrap().line, 6);
        assert_eq!(diags[0].help.as_deref(), Some("did you mean `eps-dir`?"));
    }

    #[test]
    fn bad_values_are_config_errors() {
        for bad in [
            "[preprocessor.ep]\nrules = { EP9999 = \"warn\" }\n",
            "[preprocessor.ep]\nrules = { EP0601 = \"loud\" }\n",
            "[preprocessor.ep]\npeople-url = \"javascript:alert({})\"\n",
            "[preprocessor.ep]\neps-dir = \"../\"\n",
            "[preprocessor.ep]\neps-dir = \"/abs/eps\"\n",
            "[preprocessor.ep]\neps-dir = 3\n",
            "[preprocessor.ep.sigs.devex]\napprover = [\"a\"]\n",
            "[preprocessor.ep]\ngroup-by = [\"sig\", \"sig\"]\n",
            "[preprocessor.ep]\ngroup-by = [\"owner\"]\n",
            "[preprocessor.ep.toc]\nmin-level = 4\nmax-level = 2\n",
            "[preprocessor.ep.toc]\nchapters = \"some\"\n",
            "[preprocessor.ep.toc]\ndepth = 3\n",
            "[preprocessor.ep.sigs.devex]\nname = \"Dev\\nEx\"\n",
        ] {
            let err = load(bad).unwrap_err();
            assert_eq!(err.code(), "EP0001", "{bad}: {err}");
        }
    }

    /// A template written with `./` is the same template (`new` compares it by parts).
    #[test]
    fn a_template_path_is_compared_by_its_parts() {
        let (cfg, _) =
            load("[preprocessor.ep]\ntemplate = \"./eps/template/README.md\"\n").unwrap();
        assert_eq!(cfg.template, Path::new("eps/template/README.md"));
        assert!(cfg.is_template_folder("template"));
    }

    /// Every key mdbook-ep reads is in the reference: the top-level keys from the one list
    /// that declares them, each sub-table's keys from serde's own "expected one of" list.
    #[test]
    fn the_reference_documents_every_key() {
        let docs = [
            include_str!("../../book/guide/configuration.md"),
            include_str!("../../book/guide/export.md"),
        ]
        .concat();
        fn fields<T: serde::de::DeserializeOwned + std::fmt::Debug>() -> Vec<String> {
            let unknown: toml::Value = toml::from_str("zzz-unknown = 1").unwrap();
            let message = unknown.try_into::<T>().unwrap_err().to_string();
            let list = message
                .split("expected one of ")
                .nth(1)
                .or_else(|| message.split("expected ").nth(1))
                .unwrap_or_else(|| panic!("{message}"));
            list.split(", ")
                .map(|k| k.trim().trim_matches(|c| c == '`' || c == '\n').to_string())
                .filter(|k| !k.is_empty())
                .collect()
        }
        let mut keys: Vec<String> = OUR_KEYS.iter().map(|k| k.to_string()).collect();
        keys.extend(fields::<TocConfig>());
        keys.extend(fields::<Sig>());
        keys.extend(fields::<RawKpi>());
        keys.extend(fields::<crate::model::calendar::RawIncrement>());
        assert!(keys.len() > 15, "{keys:?}");
        for key in keys {
            assert!(
                docs.contains(&format!("`{key}`"))
                    || docs.contains(&format!("[preprocessor.ep.{key}")),
                "the reference lacks `{key}`"
            );
        }
    }

    /// A wrong value is named by its table, its key and its line, wherever it is.
    #[test]
    fn a_wrong_value_names_its_table_key_and_line() {
        for (toml, table, key) in [
            (
                "[preprocessor.ep]\nrules = { EP0601 = \"off\" }\n",
                "preprocessor.ep.rules",
                "`EP0601` (book.toml line 2)",
            ),
            (
                "[preprocessor.ep.toc]\n\ndepth = 3\n",
                "preprocessor.ep.toc",
                "`depth` (book.toml line 3)",
            ),
            (
                "[preprocessor.ep.sigs.devex]\napprover = [\"a\"]\n",
                "preprocessor.ep.sigs.devex",
                "`approver` (book.toml line 2)",
            ),
            (
                "[preprocessor.ep]\neps-dir = 3\n",
                "preprocessor.ep",
                "`eps-dir` (book.toml line 2)",
            ),
            (
                "[[preprocessor.ep.kpi.increments]]\nname = \"a\"\nstart = \"2026-01-01\"\nend = \"2026-02-01\"\n\n[[preprocessor.ep.kpi.increments]]\nname = \"b\"\nstart = 3\nend = \"2026-03-01\"\n",
                "preprocessor.ep.kpi.increments[1]",
                "`start`: ",
            ),
        ] {
            match load(toml).unwrap_err() {
                Error::Config {
                    table: t, message, ..
                } => {
                    assert_eq!(t, table, "{toml}");
                    assert!(message.starts_with(key), "{toml}: {message}");
                }
                other => panic!("{toml}: {other}"),
            }
        }
    }
}

//! Checking a book: every rule over every EP, the team's policy (severities and exemptions)
//! applied, and the lifecycle of state changes. The one entry point the preprocessor, the
//! renderer and every command share, so they can never disagree.

mod after;
pub(crate) mod baseline;
mod exempt;
pub(crate) mod lifecycle;
mod links;
pub(crate) mod rules;
pub(crate) mod stale;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Rule, Sources};
use crate::model::Date;
use crate::read::config::EpConfig;
use crate::read::ep::Ep;
use crate::read::summary_region::locate_region;
use crate::read::template::Template;
use crate::read::{BookDirs, Eps, read_eps};

pub(crate) use after::{Change, refuse_new_errors, validate_after};
use baseline::Held;
pub(crate) use exempt::exemptions;
pub use rules::validate;

/// The EPs of a book and every problem found in them, with the texts to quote.
pub struct Analysis {
    /// Every EP, in discovery order.
    pub eps: Vec<Ep>,
    /// The template, when it could be read.
    pub template: Option<Template>,
    /// Every problem, policy applied, ordered by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// The texts diagnostics point into.
    pub sources: Sources,
    /// The EPs' git history, when a rule needed it (`stale-after-days`): read once, it serves
    /// the pages and the KPIs too.
    pub history: Option<crate::read::history::Histories>,
}

/// Reads every EP and runs every rule; `diagnostics` are problems found before (configuration,
/// an EP folder outside the sources), which get the same policy.
pub fn analyze(
    dirs: &BookDirs,
    cfg: &EpConfig,
    preloaded: &mut HashMap<PathBuf, String>,
    today: Date,
    diagnostics: Vec<Diagnostic>,
) -> Analysis {
    let Eps {
        eps,
        template,
        mut diagnostics,
        sources,
        files,
    } = read_eps(dirs, cfg, preloaded, diagnostics);
    diagnostics.extend(validate(&eps, template.as_ref(), cfg, today));
    // Outside the EP folder, whether a linked file exists is a question for the disk. Not run
    // when the book sets all its rules to `allow`.
    let src = dirs.root.join(&dirs.src);
    if cfg.policy.runs_any(&[
        Rule::BrokenLink,
        Rule::BrokenFragment,
        Rule::UnreferencedFile,
    ]) {
        diagnostics.extend(links::check(&eps, &files, cfg, &|p: &Path| {
            src.join(p).exists()
        }));
    }
    // With EP0504 silenced git is not read here; the pages and KPIs read it when they need it.
    let stale_after_days = cfg
        .stale_after_days
        .filter(|_| cfg.policy.runs_any(&[Rule::StaleEp]));
    let history = stale_after_days.map(|limit| {
        let history = crate::read::history::of_eps(&dirs.root, &eps);
        diagnostics.extend(stale::stale(&eps, &history, limit, today));
        history
    });
    let mut policy = cfg.policy.clone();
    diagnostics.extend(exemptions(&eps, &mut policy));
    let diagnostics = policy.apply(diagnostics);
    Analysis {
        eps,
        template,
        diagnostics,
        sources,
        history,
    }
}

/// What checking a whole book yields: the resolved configuration, the EPs with every problem
/// (configuration, SUMMARY.md markers and EP rules, policy applied), and where SUMMARY.md's
/// `ep:summary` region sits among the book's top-level items.
pub(crate) struct Checked {
    /// The book's mdbook-ep configuration.
    pub cfg: EpConfig,
    /// The EPs and their problems.
    pub analysis: Analysis,
    /// The top-level items SUMMARY.md's `ep:summary` region produced, when it has one.
    pub region: Option<std::ops::Range<usize>>,
    /// What the baseline held back, when the book has one; `analysis.diagnostics` are the
    /// problems left to report.
    pub held: Option<Held>,
}

/// Everything the preprocessor and `mdbook-ep check` verify, without building. Reads
/// `book.toml` (for line numbers), SUMMARY.md and the EP files.
pub(crate) fn check_book(
    root: &Path,
    config: &mdbook_preprocessor::config::Config,
    mdbook_version: &str,
    preloaded: &mut HashMap<PathBuf, String>,
    today: Date,
) -> crate::error::Result<Checked> {
    check_book_with(root, config, mdbook_version, preloaded, today, true)
}

fn check_book_with(
    root: &Path,
    config: &mdbook_preprocessor::config::Config,
    mdbook_version: &str,
    preloaded: &mut HashMap<PathBuf, String>,
    today: Date,
    apply_baseline: bool,
) -> crate::error::Result<Checked> {
    let book_toml = std::fs::read_to_string(root.join("book.toml")).ok();
    let (cfg, mut diagnostics) =
        EpConfig::from_mdbook(config, mdbook_version, book_toml.as_deref())?;
    let dirs = BookDirs {
        root: root.to_path_buf(),
        src: config.book.src.clone(),
    };
    diagnostics.extend(crate::read::discover::check_outside(
        root,
        &config.book.src,
        &cfg,
    )?);
    let summary_path = dirs.shown(Path::new("SUMMARY.md"));
    let summary_text = std::fs::read_to_string(root.join(&summary_path)).ok();
    // SUMMARY.md's region and the baseline (a file of thousands of entries in a book adopting
    // mdbook-ep) are worked out by the second worker while the first walks the EP folder;
    // then both read EPs. With one worker, after them.
    let (mut analysis, (region, region_problems, baseline)) = crate::io::workers::run(|| {
        rayon::join(
            || analyze(&dirs, &cfg, preloaded, today, diagnostics),
            || {
                let mut problems = Vec::new();
                let region = summary_text
                    .as_deref()
                    .and_then(|text| locate_region(text, &summary_path, &mut problems));
                let baseline =
                    apply_baseline.then(|| crate::read::baseline::read(root, &cfg.baseline));
                (region, problems, baseline)
            },
        )
    })?;
    if !region_problems.is_empty() {
        // The book's policy, as for every problem; they concern no EP, so no EP's exemptions
        // could apply. Then the report's order over the whole list.
        analysis
            .diagnostics
            .extend(cfg.policy.apply(region_problems));
        crate::diagnostic::order(&mut analysis.diagnostics);
    }
    if let Some(text) = &book_toml {
        analysis.sources.add(Path::new("book.toml"), text);
    }
    if let Some(text) = &summary_text {
        analysis.sources.add(&summary_path, text);
    }
    let mut checked = Checked {
        cfg,
        analysis,
        region,
        held: None,
    };
    if let Some(entries) = baseline.transpose()?.flatten() {
        checked.hold_back(&entries);
    }
    Ok(checked)
}

impl Checked {
    /// Holds back the problems `entries` record (see [`baseline::hold_back`]).
    pub(crate) fn hold_back(&mut self, entries: &crate::read::baseline::Entries) {
        let all = std::mem::take(&mut self.analysis.diagnostics);
        let paused = baseline::paused(&self.analysis.eps);
        let (report, held) = baseline::hold_back(entries, self.cfg.baseline.clone(), all, &paused);
        self.analysis.diagnostics = report;
        self.held = Some(held);
    }
}

/// Loads and checks the book in `dir` as the commands see it (`book.toml` with `MDBOOK_*`
/// overrides, this build's mdBook version), which is how every command that edits EPs starts.
pub(crate) fn check_dir(dir: &Path, today: Date) -> crate::error::Result<Checked> {
    let config = crate::read::book::book_config(dir)?;
    check_book(
        dir,
        &config,
        mdbook_preprocessor::MDBOOK_VERSION,
        &mut HashMap::new(),
        today,
    )
}

/// [`check_dir`] without the baseline: every problem the book has, for `mdbook-ep baseline`
/// (which must work when the baseline file itself is broken).
pub(crate) fn check_dir_in_full(dir: &Path, today: Date) -> crate::error::Result<Checked> {
    let config = crate::read::book::book_config(dir)?;
    check_book_with(
        dir,
        &config,
        mdbook_preprocessor::MDBOOK_VERSION,
        &mut HashMap::new(),
        today,
        false,
    )
}

/// What checking a book found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// How many EPs the book has.
    pub eps: usize,
    /// Every problem, with the book's severities and exemptions applied, ordered by file and
    /// line; paths are relative to the book folder. Problems the baseline records are not here.
    pub diagnostics: Vec<Diagnostic>,
    /// How many problems the baseline (`ep-baseline.toml`) held back.
    pub held_back: usize,
}

/// Checks the book in `book` (the folder holding `book.toml`) exactly as `mdbook-ep check` and
/// the build do, for programs that want the problems as data rather than as text. `today`
/// decides which dates lie in the future.
pub fn check(book: &Path, today: Date) -> crate::error::Result<Report> {
    let checked = check_dir(book, today)?;
    Ok(Report {
        eps: checked.analysis.eps.len(),
        diagnostics: checked.analysis.diagnostics,
        held_back: checked.held.map_or(0, |h| h.diagnostics.len()),
    })
}

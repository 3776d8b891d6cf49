//! `mdbook-ep check`: every rule the build enforces, without building, in a format CI reads.

use std::collections::HashMap;
use std::path::Path;

use crate::analysis::check_book;
use crate::diagnostic::{self, Severity};
use crate::error::{Error, Result};
use crate::model::Date;
use crate::preprocessor::color_choice;

/// How problems are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style, with the source line quoted (stderr).
    Human,
    /// One JSON document (stdout); see the book's error index for its fields.
    Json,
    /// GitHub Actions workflow commands (stdout), shown on the pull request's diff.
    Github,
}

/// What `--base` and `--changed-only` ask for.
#[derive(Clone, Debug, Default)]
pub struct Base {
    /// Compare each EP with its state at this git revision.
    pub rev: Option<String>,
    /// Hold only EPs changed since `rev` to error-level rules; others' errors become warnings.
    pub changed_only: bool,
}

/// Checks the book in `dir`. Exit status: 0 without errors (warnings allowed), 1 with errors.
pub fn run(dir: &Path, format: Format, base: &Base) -> Result<()> {
    let config = super::load::config(dir)?;
    let checked = check_book(
        dir,
        &config,
        mdbook_preprocessor::MDBOOK_VERSION,
        &HashMap::new(),
        Date::today(),
    )?;
    // Paths relative to where the command runs (usually the repository root), so editors and
    // the code host find the files.
    let mut diagnostics = checked.analysis.diagnostics.clone();
    if let Some(rev) = &base.rev {
        let found = compare_with(dir, rev, &checked, base.changed_only, &mut diagnostics)?;
        diagnostics.extend(found);
    } else if base.changed_only {
        return Err(Error::Refused {
            message: "`--changed-only` needs `--base REV`".into(),
            help: "say which revision the changes are counted from, e.g. `--base origin/main`"
                .into(),
        });
    }
    if dir != Path::new(".") {
        for d in &mut diagnostics {
            for file in d
                .location
                .iter_mut()
                .map(|l| &mut l.file)
                .chain(d.ep.iter_mut())
            {
                *file = dir.join(&*file);
            }
        }
    }
    let mut sources = checked.analysis.sources;
    if dir != Path::new(".") {
        sources = sources.rebased(dir);
    }
    let diagnostics = &diagnostics;
    let errors = diagnostic::count(diagnostics, Severity::Error);
    match format {
        Format::Human => {
            let mut stderr =
                codespan_reporting::term::termcolor::StandardStream::stderr(color_choice());
            diagnostic::emit_human(&mut stderr, &sources, diagnostics)
                .map_err(|e| Error::io("write diagnostics to", "stderr", e))?;
            eprintln!(
                "checked {} EP(s): {errors} error(s), {} warning(s)",
                checked.analysis.eps.len(),
                diagnostic::count(diagnostics, Severity::Warn)
            );
        }
        Format::Json => {
            let json = diagnostic::to_json(diagnostics, checked.analysis.eps.len());
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
        Format::Github => print!("{}", diagnostic::to_github(diagnostics)),
    }
    if errors > 0 {
        return Err(Error::Invalid { errors });
    }
    Ok(())
}

/// Checks state changes since `rev` against the lifecycle and, with `changed_only`, lowers the
/// errors of EPs that did not change since `rev` to warnings. Returns the new problems.
fn compare_with(
    dir: &Path,
    rev: &str,
    checked: &crate::analysis::Checked,
    changed_only: bool,
    diagnostics: &mut [crate::diagnostic::Diagnostic],
) -> Result<Vec<crate::diagnostic::Diagnostic>> {
    use crate::diagnostic::{Diagnostic, Location, Rule};
    use crate::discover::Found;
    if !crate::git::in_work_tree(dir)? {
        return Err(Error::Git(format!(
            "`--base` compares with git history, but `{}` is not in a git repository",
            dir.display()
        )));
    }
    if !crate::git::is_commit(dir, rev)? {
        return Err(Error::Git(format!(
            "`{rev}` is not a commit in this repository; fetch it first (CI checkouts are often shallow: fetch with depth 0)"
        )));
    }
    let eps = &checked.analysis.eps;
    let mut paths = Vec::new();
    for ep in eps {
        paths.push(ep.shown.clone());
        paths.push(ep.meta.file.clone());
    }
    let old = crate::git::read_at(dir, rev, &paths)?;
    let mut scratch = crate::diagnostic::Sources::default();
    let mut found_problems = Vec::new();
    let mut unchanged = Vec::new();
    for (i, ep) in eps.iter().enumerate() {
        let (old_main, old_meta) = (&old[2 * i], &old[2 * i + 1]);
        let sidecar = ep.meta.file != ep.shown;
        let meta_now = if sidecar {
            std::fs::read_to_string(dir.join(&ep.meta.file)).ok()
        } else {
            None
        };
        let same =
            old_main.as_deref() == Some(ep.text.as_str()) && (!sidecar || *old_meta == meta_now);
        if same {
            unchanged.push(ep.shown.clone());
        }
        let Some(old_text) = old_main else { continue };
        let found = Found {
            path: ep.path.clone(),
            sig: ep.sig.clone(),
            kind: ep.kind.clone(),
        };
        let old_side = if sidecar {
            old_meta.clone().map(|t| (ep.meta.file.clone(), t))
        } else {
            None
        };
        let (was, _) = crate::ep::parse(
            &found,
            ep.shown.clone(),
            old_text.clone(),
            old_side,
            checked.cfg.markdown,
            &mut scratch,
        );
        let (Some(from), Some(to)) = (was.state(), ep.state()) else {
            continue;
        };
        if from == to || from.next_states().contains(&to) {
            continue;
        }
        let moves: Vec<&str> = from.next_states().iter().map(|s| s.as_str()).collect();
        let pos = ep.meta.state.as_ref().map_or(ep.meta.start, |s| s.pos);
        found_problems.push(
            Diagnostic::new(
                Rule::ForbiddenTransition,
                format!("{} moved from `{from}` to `{to}` since {rev}, which the lifecycle does not allow", ep.label()),
            )
            .at(Location::new(&ep.meta.file, pos.line, pos.col))
            .help(if moves.is_empty() {
                format!("`{from}` is final; propose a new EP instead")
            } else {
                format!("from `{from}` an EP can move to: {}", moves.join(", "))
            })
            .for_ep(&ep.shown),
        );
    }
    let mut policy = checked.cfg.policy.clone();
    let _ = crate::validate::exemptions(eps, &mut policy);
    let mut found_problems = policy.apply(found_problems);
    if changed_only {
        for d in diagnostics.iter_mut().chain(found_problems.iter_mut()) {
            if d.severity == Severity::Error && d.ep.as_ref().is_some_and(|e| unchanged.contains(e))
            {
                d.severity = Severity::Warn;
            }
        }
    }
    Ok(found_problems)
}

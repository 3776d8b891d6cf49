//! EP0503: state changes since a base revision that the lifecycle forbids, and which EPs did
//! not change at all (so `--changed-only` can hold only the changed ones to errors).
//!
//! The lifecycle itself is the `MOVES` table of `model/state.rs`; this module only compares two
//! readings of each EP against it.

use std::path::{Path, PathBuf};

use super::{Checked, exemptions};
use crate::diagnostic::{Diagnostic, Rule, Severity, Sources};
use crate::error::{Error, Result};
use crate::read::ep::{self, Ep};

/// An EP's files as they were at the base revision (`None`: the file did not exist).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Before {
    /// Its main file.
    pub main: Option<String>,
    /// Its sidecar metadata file, when it has one now.
    pub meta: Option<String>,
}

/// What comparing a book with a base revision found.
#[derive(Clone, Debug, Default)]
pub(crate) struct SinceBase {
    /// EP0503 problems, with the book's policy applied.
    pub problems: Vec<Diagnostic>,
    /// EPs (their main files, as shown) whose files did not change.
    pub unchanged: Vec<PathBuf>,
}

impl SinceBase {
    /// `--changed-only`: errors of EPs that did not change become warnings, so a pull request
    /// is held only to the EPs it touches.
    pub(crate) fn hold_changed_only(&self, diagnostics: &mut [Diagnostic]) {
        for d in diagnostics {
            if d.severity == Severity::Error
                && d.ep.as_ref().is_some_and(|e| self.unchanged.contains(e))
            {
                d.severity = Severity::Warn;
            }
        }
    }
}

/// Reads every EP of `checked` at `rev` with git (in the book folder `dir`) and compares.
pub(crate) fn since_base(dir: &Path, rev: &str, checked: &Checked) -> Result<SinceBase> {
    use crate::io::git;
    if !git::in_work_tree(dir)? {
        return Err(Error::Git(format!(
            "`--base` compares with git history, but `{}` is not in a git repository",
            dir.display()
        )));
    }
    if !git::is_commit(dir, rev)? {
        return Err(Error::Git(format!(
            "`{rev}` is not a commit in this repository; fetch it first (CI checkouts are often shallow: `git fetch --unshallow`, or `fetch-depth: 0` in `actions/checkout`)"
        )));
    }
    let eps = &checked.analysis.eps;
    let paths: Vec<PathBuf> = eps
        .iter()
        .flat_map(|ep| [ep.shown.clone(), ep.meta.file.clone()])
        .collect();
    let mut old = git::read_at(dir, rev, &paths)?.into_iter();
    let before: Vec<Before> = eps
        .iter()
        .map(|_| Before {
            main: old.next().flatten(),
            meta: old.next().flatten(),
        })
        .collect();
    let meta_now = |ep: &Ep| std::fs::read_to_string(dir.join(&ep.meta.file)).ok();
    Ok(compare(checked, rev, &before, &meta_now))
}

/// Compares each EP with `before` (indexed like the EPs); `meta_now` reads an EP's sidecar as
/// it is now. Pure apart from `meta_now`.
pub(crate) fn compare(
    checked: &Checked,
    rev: &str,
    before: &[Before],
    meta_now: &dyn Fn(&Ep) -> Option<String>,
) -> SinceBase {
    let eps = &checked.analysis.eps;
    let mut scratch = Sources::default();
    let mut problems = Vec::new();
    let mut unchanged = Vec::new();
    // An EP as it was is parsed only to compare states: not for one that did not change, nor
    // when the book silences EP0503.
    let check_moves = checked.cfg.policy.runs_any(&[Rule::ForbiddenTransition]);
    for (ep, was) in eps.iter().zip(before) {
        let sidecar = ep.meta.file != ep.shown;
        let same = was.main.as_deref() == Some(&*ep.text) && (!sidecar || was.meta == meta_now(ep));
        if same {
            unchanged.push(ep.shown.clone());
            continue;
        }
        let Some(old_text) = was.main.as_ref().filter(|_| check_moves) else {
            continue;
        };
        let old_side = if sidecar {
            was.meta.clone().map(|t| (ep.meta.file.clone(), t))
        } else {
            None
        };
        let (old, _) = ep::parse(
            &ep.found(),
            ep.shown.clone(),
            old_text.clone(),
            old_side,
            checked.cfg.dialect.markdown,
            &mut scratch,
        );
        if let Some(d) = forbidden_move(&old, ep, rev) {
            problems.push(d);
        }
    }
    let mut policy = checked.cfg.policy.clone();
    let _ = exemptions(eps, &mut policy);
    SinceBase {
        problems: policy.apply(problems),
        unchanged,
    }
}

/// EP0503 when `now`'s state is not `was`'s state or a move the lifecycle allows from it.
fn forbidden_move(was: &Ep, now: &Ep, rev: &str) -> Option<Diagnostic> {
    let (from, to) = (was.state()?, now.state()?);
    if from == to || from.may_move_to(to) {
        return None;
    }
    let moves: Vec<&str> = from.next_states().iter().map(|s| s.as_str()).collect();
    let pos = now.meta.state.as_ref().map_or(now.meta.start, |s| s.pos);
    Some(
        Diagnostic::new(
            Rule::ForbiddenTransition,
            format!(
                "{} moved from `{from}` to `{to}` since {rev}, which the lifecycle does not allow",
                now.label()
            ),
        )
        .at(now.meta_at(pos))
        .help(if moves.is_empty() {
            format!("`{from}` is final; propose a new EP instead")
        } else {
            format!("from `{from}` an EP can move to: {}", moves.join(", "))
        })
        .for_ep(&now.shown),
    )
}

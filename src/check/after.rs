//! Checking a change before it is made: the book is validated as it would be after a command's
//! edits, and the command refuses when an EP it touches would break a rule it does not break
//! now. Nothing is written until this passes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{Checked, exemptions, validate};
use crate::diagnostic::{Diagnostic, Rule, Severity, Sources};
use crate::error::{Error, Result};
use crate::model::Date;
use crate::read::discover::Found;
use crate::read::ep::{self, Ep};

/// One EP as a command will leave it.
#[derive(Clone, Debug)]
pub(crate) struct Change {
    /// Its main file now, as shown (relative to the book root).
    pub was: PathBuf,
    /// What it will be found as: its path in the source folder, SIG and kind.
    pub found: Found,
    /// Its main file afterwards, as shown.
    pub shown: PathBuf,
    /// The main file's text afterwards.
    pub text: String,
    /// The sidecar `(path, text)` afterwards, when it has one.
    pub sidecar: Option<(PathBuf, String)>,
}

/// Refuses when the files in `writes` (`(path under dir, new text)`) would give an EP they
/// belong to an error it does not have now, such as an `implementable` EP without approvers.
pub(crate) fn refuse_new_errors(
    checked: &Checked,
    dir: &Path,
    writes: &[(PathBuf, String)],
    today: Date,
) -> Result<()> {
    let written: HashMap<&Path, &str> = writes
        .iter()
        .map(|(p, t)| (p.as_path(), t.as_str()))
        .collect();
    let mut changes = Vec::new();
    for ep in &checked.analysis.eps {
        let main = dir.join(&ep.shown);
        let side = dir.join(&ep.meta.file);
        if !written.contains_key(main.as_path()) && !written.contains_key(side.as_path()) {
            continue;
        }
        let text = written
            .get(main.as_path())
            .map_or_else(|| ep.text.to_string(), |t| t.to_string());
        let sidecar = (ep.meta.file != ep.shown).then(|| {
            let t = written
                .get(side.as_path())
                .map(|t| t.to_string())
                .unwrap_or_else(|| std::fs::read_to_string(&side).unwrap_or_default());
            (ep.meta.file.clone(), t)
        });
        changes.push(Change {
            was: ep.shown.clone(),
            found: ep.found(),
            shown: ep.shown.clone(),
            text,
            sidecar,
        });
    }
    validate_after(checked, changes, today)
}

/// Refuses when the EPs in `changes`, re-read as they will be, break a rule they do not break
/// now; every other EP stays as it is, so cross-EP rules (numbers, links) are checked too.
pub(crate) fn validate_after(checked: &Checked, changes: Vec<Change>, today: Date) -> Result<()> {
    let mut sources = Sources::default();
    let mut by_old: HashMap<PathBuf, Ep> = HashMap::new();
    let mut touched = Vec::new();
    for change in changes {
        let (ep, _) = ep::parse(
            &change.found,
            change.shown.clone(),
            change.text,
            change.sidecar,
            checked.cfg.dialect.markdown,
            &mut sources,
        );
        touched.push((change.shown, change.was.clone()));
        by_old.insert(change.was, ep);
    }
    let eps: Vec<Ep> = checked
        .analysis
        .eps
        .iter()
        .map(|ep| by_old.remove(&ep.shown).unwrap_or_else(|| ep.clone()))
        .collect();
    let mut diags = validate(
        &eps,
        checked.analysis.template.as_ref(),
        &checked.cfg,
        today,
    );
    let mut policy = checked.cfg.policy.clone();
    diags.extend(exemptions(&eps, &mut policy));
    // Problems the baseline holds back were there before too: a state change on a legacy EP
    // is not refused for them.
    // The same problem of the same EP; another EP's identical message does not excuse it.
    let before: Vec<(Rule, &String, Option<&PathBuf>)> = checked
        .analysis
        .diagnostics
        .iter()
        .chain(checked.held.iter().flat_map(|h| &h.diagnostics))
        .map(|d| (d.rule, &d.message, d.ep.as_ref()))
        .collect();
    let new: Vec<Diagnostic> = policy
        .apply(diags)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .filter_map(|d| {
            // A moved EP (a promoted draft) is compared with itself at its old path.
            let was = touched.iter().find(|(now, _)| d.ep.as_ref() == Some(now))?;
            (!before.contains(&(d.rule, &d.message, Some(&was.1)))).then_some(d)
        })
        .collect();
    let Some(first) = new.first() else {
        return Ok(());
    };
    // Every problem at once: an author who fixes one section should not find the next one
    // only on the next run.
    let line = |d: &Diagnostic| match &d.location {
        Some(at) => format!(
            "{} in `{}:{}`: {}",
            d.rule.code(),
            at.file.display(),
            at.line,
            d.message
        ),
        None => format!("{}: {}", d.rule.code(), d.message),
    };
    let message = if new.len() == 1 {
        format!("the change would break rule {}", line(first))
    } else {
        let mut m = format!("the change would cause {} problems:", new.len());
        for d in &new {
            m.push_str("\n  ");
            m.push_str(&line(d));
        }
        m
    };
    let help = first
        .help
        .clone()
        .unwrap_or_else(|| "fix the EP first".into());
    Err(Error::Refused {
        message,
        help: if new.len() == 1 {
            help
        } else {
            format!("{help} (for the first; fix each, then run the command again)")
        },
    })
}

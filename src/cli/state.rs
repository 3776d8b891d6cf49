//! `mdbook-ep state`: moves an EP along the lifecycle, and records replacements on both EPs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::analysis::{Checked, check_book};
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::Found;
use crate::edit::{set_key, with_front_matter};
use crate::ep::Ep;
use crate::error::{Error, Result};
use crate::model::{Date, Reference, State, ep_label};
use crate::suggest::did_you_mean;

/// Loads and checks the book in `dir`, as every command that edits EPs starts.
pub fn load(dir: &Path, today: Date) -> Result<Checked> {
    let config = super::load::config(dir)?;
    check_book(
        dir,
        &config,
        mdbook_preprocessor::MDBOOK_VERSION,
        &HashMap::new(),
        today,
    )
}

/// Finds an EP by number (`42`, `EP-42`) or by path.
pub fn find<'a>(eps: &'a [Ep], dir: &Path, which: &str) -> Result<&'a Ep> {
    if let Some(Reference::Ep(n)) = Reference::parse(which, false) {
        return eps
            .iter()
            .find(|e| e.number() == Some(n))
            .ok_or_else(|| Error::Refused {
                message: format!("there is no {}", ep_label(n)),
                help: "give an EP's number or the path of its file".into(),
            });
    }
    let wanted = PathBuf::from(which);
    eps.iter()
        .find(|e| {
            [&e.path, &e.shown]
                .iter()
                .any(|p| **p == wanted || dir.join(p) == wanted)
                || wanted
                    .parent()
                    .is_some_and(|d| d.join("README.md") == dir.join(&e.shown))
        })
        .ok_or_else(|| Error::Refused {
            message: format!("`{which}` is not an EP of this book"),
            help: "give an EP's number or the path of its file".into(),
        })
}

/// The key a file uses for a field: the EP name, or the KEP alias when only that is present.
pub fn key_in<'a>(yaml: &str, ep_key: &'a str, kep_key: &'a str) -> &'a str {
    let has = |k: &str| {
        yaml.lines()
            .any(|l| crate::metadata::top_level_key(l).is_some_and(|(key, _)| key == k))
    };
    if !has(ep_key) && has(kep_key) {
        kep_key
    } else {
        ep_key
    }
}

/// New metadata text for one EP: `edit` receives the YAML and returns it changed.
pub fn edited(ep: &Ep, dir: &Path, edit: &dyn Fn(&str) -> String) -> Result<(PathBuf, String)> {
    let file = dir.join(&ep.meta.file);
    let text = std::fs::read_to_string(&file).map_err(|e| Error::io("read", &file, e))?;
    let new = if ep.meta.file == ep.shown {
        with_front_matter(&text, edit).ok_or_else(|| Error::Refused {
            message: format!("`{}` has no front matter to change", file.display()),
            help: "add the metadata as YAML front matter first".into(),
        })?
    } else {
        edit(&text)
    };
    Ok((file, new))
}

/// Moves EP `which` to `target`; for `replaced`, `by` names the replacing EP. Returns what
/// changed, e.g. `EP-0007: provisional -> implementable`.
pub fn run(dir: &Path, which: &str, target: &str, by: Option<&str>, today: Date) -> Result<String> {
    let checked = load(dir, today)?;
    let eps = &checked.analysis.eps;
    let ep = find(eps, dir, which)?;
    let names: Vec<&str> = State::ALL.iter().map(|s| s.as_str()).collect();
    let target = State::parse(target).ok_or_else(|| Error::Refused {
        message: format!("unknown state \"{target}\""),
        help: match did_you_mean(target, &names) {
            Some(g) => format!("did you mean \"{g}\"?"),
            None => format!("use one of: {}", names.join(", ")),
        },
    })?;
    let Some(current) = ep.state() else {
        return Err(Error::Refused {
            message: format!("{} has no valid state to move from", ep.label()),
            help: "fix its `state` first; `mdbook-ep check` shows the problem".into(),
        });
    };
    let allowed = current.next_states();
    if !allowed.contains(&target) {
        let moves: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
        return Err(Error::Refused {
            message: format!("{} cannot move from `{current}` to `{target}`", ep.label()),
            help: if moves.is_empty() {
                format!("`{current}` is final")
            } else {
                format!("from `{current}` it can move to: {}", moves.join(", "))
            },
        });
    }
    let successor = match (target, by) {
        (State::Replaced, Some(by)) => {
            let other = find(eps, dir, by)?;
            if other.path == ep.path || other.number().is_none() {
                return Err(Error::Refused {
                    message: "an EP is replaced by another, numbered EP".into(),
                    help: "give the replacing EP's number with `--by`".into(),
                });
            }
            Some(other)
        }
        (State::Replaced, None) => {
            return Err(Error::Refused {
                message: "`replaced` needs the replacing EP".into(),
                help: "add `--by <number>`".into(),
            });
        }
        (_, Some(_)) => {
            return Err(Error::Refused {
                message: "`--by` only goes with `replaced`".into(),
                help: "drop `--by`".into(),
            });
        }
        (_, None) => None,
    };

    let today_s = today.to_string();
    let mut writes: Vec<(PathBuf, String)> = Vec::new();
    let by_number = successor.and_then(|s| s.number());
    writes.push(edited(ep, dir, &|yaml: &str| {
        let mut y = set_key(yaml, key_in(yaml, "state", "status"), target.as_str());
        y = set_key(&y, "last-updated", &today_s);
        if let Some(n) = by_number {
            let mut list: Vec<u32> = ep.meta.replaced_by.iter().map(|r| r.value).collect();
            if !list.contains(&n) {
                list.push(n);
            }
            y = set_key(
                &y,
                key_in(&y, "replaced-by", "superseded-by"),
                &numbers(&list),
            );
        }
        y
    })?);
    if let (Some(other), Some(me)) = (successor, ep.number()) {
        writes.push(edited(other, dir, &|yaml: &str| {
            let mut list: Vec<u32> = other.meta.replaces.iter().map(|r| r.value).collect();
            if !list.contains(&me) {
                list.push(me);
            }
            let y = set_key(yaml, "replaces", &numbers(&list));
            set_key(&y, "last-updated", &today_s)
        })?);
    }
    refuse_new_errors(&checked, dir, &writes, today)?;
    for (file, text) in &writes {
        crate::fsutil::write_atomic(file, text.as_bytes())?;
    }
    let mut said = format!("{}: {current} -> {target}", ep.label());
    if let Some(other) = successor {
        said.push_str(&format!(
            " (by {}, which now lists it in `replaces`)",
            other.label()
        ));
    }
    Ok(said)
}

fn numbers(list: &[u32]) -> String {
    format!(
        "[{}]",
        list.iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Validates the book as it would be after `writes`, and refuses when an EP they touch would
/// have an error it does not have now (an `implementable` EP without approvers, say).
fn refuse_new_errors(
    checked: &Checked,
    dir: &Path,
    writes: &[(PathBuf, String)],
    today: Date,
) -> Result<()> {
    let written: HashMap<&Path, &str> = writes
        .iter()
        .map(|(p, t)| (p.as_path(), t.as_str()))
        .collect();
    let mut changed = Vec::new();
    for ep in &checked.analysis.eps {
        let main = dir.join(&ep.shown);
        let side = dir.join(&ep.meta.file);
        if !written.contains_key(main.as_path()) && !written.contains_key(side.as_path()) {
            continue;
        }
        let text = written
            .get(main.as_path())
            .map_or(ep.text.clone(), |t| t.to_string());
        let sidecar = (ep.meta.file != ep.shown).then(|| {
            let t = written
                .get(side.as_path())
                .map(|t| t.to_string())
                .unwrap_or_else(|| std::fs::read_to_string(&side).unwrap_or_default());
            (ep.meta.file.clone(), t)
        });
        let found = Found {
            path: ep.path.clone(),
            sig: ep.sig.clone(),
            kind: ep.kind.clone(),
        };
        changed.push((ep.shown.clone(), found, ep.shown.clone(), text, sidecar));
    }
    validate_after(checked, changed, today)
}

/// One EP as it will be: (its file now, where it will be, the path shown for it, its text, its
/// sidecar).
pub type Change = (PathBuf, Found, PathBuf, String, Option<(PathBuf, String)>);

/// Refuses when the EPs in `changes`, re-read as they will be, break a rule they do not break
/// now; every other EP stays as it is, so cross-EP rules (numbers, links) are checked too.
pub fn validate_after(checked: &Checked, changes: Vec<Change>, today: Date) -> Result<()> {
    let mut sources = crate::diagnostic::Sources::default();
    let mut by_old: HashMap<PathBuf, Ep> = HashMap::new();
    let mut touched = Vec::new();
    for (old, found, shown, text, sidecar) in changes {
        let (ep, _) = crate::ep::parse(
            &found,
            shown.clone(),
            text,
            sidecar,
            checked.cfg.markdown,
            &mut sources,
        );
        touched.push(shown);
        by_old.insert(old, ep);
    }
    let eps: Vec<Ep> = checked
        .analysis
        .eps
        .iter()
        .map(|ep| by_old.remove(&ep.shown).unwrap_or_else(|| ep.clone()))
        .collect();
    let mut diags = crate::validate::validate(
        &eps,
        checked.analysis.template.as_ref(),
        &checked.cfg,
        today,
    );
    let mut policy = checked.cfg.policy.clone();
    diags.extend(crate::validate::exemptions(&eps, &mut policy));
    let before: Vec<(&str, &String)> = checked
        .analysis
        .diagnostics
        .iter()
        .map(|d| (d.rule, &d.message))
        .collect();
    let new: Vec<Diagnostic> = policy
        .apply(diags)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .filter(|d| d.ep.as_ref().is_some_and(|e| touched.contains(e)))
        .filter(|d| !before.contains(&(d.rule, &d.message)))
        .collect();
    if let Some(first) = new.first() {
        return Err(Error::Refused {
            message: format!("the change would break a rule: {}", first.one_line()),
            help: first
                .help
                .clone()
                .unwrap_or_else(|| "fix the EP first".into()),
        });
    }
    Ok(())
}

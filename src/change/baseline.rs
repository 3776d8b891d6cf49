//! `mdbook-ep baseline`: the baseline file that records the errors a repository has, so one
//! with years of history gets to green in one step and stays strict for new work. Once it
//! exists it only shrinks: rewriting it drops what was fixed, and records new problems only
//! when asked to (`--add-new`), so following a stale-baseline message never hides a new error.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::check::baseline::{paused, record};
use crate::check::check_dir_in_full;
use crate::error::Result;
use crate::model::Date;
use crate::read::baseline::{Entries, Entry, Key, parse, render};

/// The baseline as it is and as it would be written now.
#[derive(Clone, Debug)]
pub(crate) struct BaselineUpdate {
    /// The file.
    pub path: PathBuf,
    /// Its text now; `None` when there is no baseline yet.
    pub old: Option<String>,
    /// Why the current file cannot be read, when it cannot: it is then replaced as if new.
    pub broken: Option<String>,
    /// The file's new text.
    pub new: String,
    /// The problems `new` records.
    pub entries: Entries,
    /// Recorded problems the book no longer has (with how many occurrences are gone).
    pub fixed: Vec<(Key, Entry)>,
    /// Problems the book has that the current file does not record.
    pub added: Vec<(Key, Entry)>,
    /// Whether `new` records `added` (no baseline yet, or `--add-new`).
    pub records_added: bool,
}

/// Reads the book in `dir` with every rule, and its baseline; `add_new` records problems the
/// baseline does not have yet (always so when there is no readable baseline).
pub(crate) fn plan(dir: &Path, today: Date, add_new: bool) -> Result<BaselineUpdate> {
    let checked = check_dir_in_full(dir, today)?;
    let path = dir.join(&checked.cfg.baseline);
    let old = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(crate::error::Error::io("read", &path, e)),
    };
    let (before, broken) = match old.as_deref().map(|t| parse(t, &checked.cfg.baseline)) {
        None => (None, None),
        Some(Ok(entries)) => (Some(entries), None),
        // What is wrong with it, without the code and help the command gives its own.
        Some(Err(crate::error::Error::Config { message, .. })) => (None, Some(message)),
        Some(Err(e)) => (None, Some(e.to_string())),
    };
    let now = record(&checked.analysis.diagnostics);
    let paused = paused(&checked.analysis.eps);
    let empty = Entries::new();
    let old_entries = before.as_ref().unwrap_or(&empty);
    let fixed = difference(old_entries, &now, &paused);
    let added = difference(&now, old_entries, &BTreeSet::new());
    // Only a first baseline records everything unasked; a broken one (a merge conflict, say)
    // is replaced only with `--add-new`, so repairing it cannot slip in new problems.
    let records_added = old.is_none() || add_new;
    let mut entries = Entries::new();
    // What stays: every problem that is still there (all of them when new ones are recorded,
    // else no more than recorded), and, as they were, the entries of EPs whose metadata does
    // not parse now (their checks are paused, not passed).
    for (key, entry) in &now {
        let recorded = old_entries.get(key).map_or(0, |e| e.count);
        let count = if records_added {
            entry.count
        } else {
            entry.count.min(recorded)
        };
        if count > 0 {
            entries.insert(
                key.clone(),
                Entry {
                    count,
                    message: entry.message.clone(),
                },
            );
        }
    }
    for (key, entry) in old_entries {
        if paused.contains(&key.ep) {
            entries.insert(key.clone(), entry.clone());
        }
    }
    Ok(BaselineUpdate {
        path,
        new: render(&entries),
        old,
        broken,
        entries,
        fixed,
        added,
        records_added,
    })
}

/// The occurrences in `a` that `b` lacks, except for EPs in `skip`.
fn difference(a: &Entries, b: &Entries, skip: &BTreeSet<String>) -> Vec<(Key, Entry)> {
    a.iter()
        .filter(|(k, _)| !skip.contains(&k.ep))
        .filter_map(|(k, e)| {
            let gone = e.count.saturating_sub(b.get(k).map_or(0, |x| x.count));
            (gone > 0).then(|| {
                (
                    k.clone(),
                    Entry {
                        count: gone,
                        message: e.message.clone(),
                    },
                )
            })
        })
        .collect()
}

impl BaselineUpdate {
    /// How many problems the new file records, and in how many EPs.
    pub(crate) fn size(&self) -> (usize, usize) {
        let problems = self.entries.values().map(|e| e.count).sum();
        let eps = self
            .entries
            .keys()
            .map(|k| k.ep.as_str())
            .collect::<BTreeSet<_>>()
            .len();
        (problems, eps)
    }
}

/// How many occurrences a list of entries counts.
pub(crate) fn occurrences(entries: &[(Key, Entry)]) -> usize {
    entries.iter().map(|(_, e)| e.count).sum()
}

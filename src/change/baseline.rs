//! `mdbook-ep baseline`: the baseline file that records every error the book has now, so a
//! repository with years of history gets to green in one step and stays strict for new work.

use std::path::{Path, PathBuf};

use crate::check::baseline::record;
use crate::check::check_dir;
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
    /// Its text recording every error the book has now.
    pub new: String,
    /// The problems `new` records.
    pub entries: Entries,
    /// Recorded problems the book no longer has (with how many occurrences are gone).
    pub fixed: Vec<(Key, Entry)>,
    /// Problems the book has that the current file does not record.
    pub added: usize,
}

/// Reads the book in `dir` with every rule and its current baseline.
pub(crate) fn plan(dir: &Path, today: Date) -> Result<BaselineUpdate> {
    let checked = check_dir(dir, today)?;
    let path = dir.join(&checked.cfg.baseline);
    let old = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(crate::error::Error::io("read", &path, e)),
    };
    let held = checked.held.as_ref();
    let entries = record(
        checked
            .analysis
            .diagnostics
            .iter()
            .chain(held.iter().flat_map(|h| &h.diagnostics)),
    );
    let fixed = held.map(|h| h.stale.clone()).unwrap_or_default();
    let before = match &old {
        Some(text) => parse(text, &checked.cfg.baseline)?,
        None => Entries::new(),
    };
    let added = entries
        .iter()
        .map(|(k, e)| e.count.saturating_sub(before.get(k).map_or(0, |b| b.count)))
        .sum();
    Ok(BaselineUpdate {
        path,
        new: render(&entries),
        old,
        entries,
        fixed,
        added,
    })
}

impl BaselineUpdate {
    /// How many problems the new file records, and in how many EPs.
    pub(crate) fn size(&self) -> (usize, usize) {
        let problems = self.entries.values().map(|e| e.count).sum();
        let eps = self
            .entries
            .keys()
            .map(|k| k.ep.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        (problems, eps)
    }
}

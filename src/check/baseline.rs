//! Holding back the problems a baseline records: the first `count` occurrences of each recorded
//! problem are held back, any more (and every problem not recorded) are reported as usual.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, Severity};
use crate::read::baseline::{Entries, Entry, Key, ep_key};
use crate::read::ep::Ep;
use crate::text::count;

/// A stable fingerprint of a problem: FNV-1a (64 bits) of its rule and message. Messages name
/// fields, sections and EPs but no line numbers, so moving text around keeps the fingerprint;
/// the same problem on another EP is another key, as the EP is part of it. FNV is fixed by its
/// definition, unlike std's hasher, so every build and platform computes the same value.
pub(crate) fn fingerprint(d: &Diagnostic) -> String {
    let input = format!("{}\0{}", d.rule.code(), d.message.trim());
    format!("{:016x}", fnv1a(input.as_bytes()))
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The key of a problem a baseline can hold: an error that belongs to an EP.
fn key(d: &Diagnostic) -> Option<Key> {
    if d.severity != Severity::Error {
        return None;
    }
    Some(Key {
        ep: ep_key(d.ep.as_ref()?),
        rule: d.rule.code().to_string(),
        fingerprint: fingerprint(d),
    })
}

/// The baseline that records `diagnostics`' errors.
pub(crate) fn record<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Entries {
    let mut entries = Entries::new();
    for d in diagnostics {
        if let Some(k) = key(d) {
            entries
                .entry(k)
                .or_insert_with(|| Entry {
                    count: 0,
                    message: d.message.clone(),
                })
                .count += 1;
        }
    }
    entries
}

/// The EPs whose checks are paused: their metadata does not parse, so only that error is
/// reported for them, and what the baseline records for them is neither held back nor fixed.
pub(crate) fn paused(eps: &[Ep]) -> BTreeSet<String> {
    eps.iter()
        .filter(|ep| ep.meta.unreadable)
        .map(|ep| ep_key(&ep.shown))
        .collect()
}

/// What a baseline did to a check.
#[derive(Clone, Debug, Default)]
pub(crate) struct Held {
    /// The baseline file, relative to the book root.
    pub path: PathBuf,
    /// The problems it held back.
    pub diagnostics: Vec<Diagnostic>,
    /// Entries recorded more often than they occur now: fixed since the baseline was written
    /// (with how many occurrences are gone).
    pub stale: Vec<(Key, Entry)>,
}

impl Held {
    /// What a build or a check says about the baseline: how much it held back, and whether
    /// some of it is fixed (so the file should shrink); nothing when it held nothing back and
    /// nothing it records is fixed (an empty baseline of a clean book).
    pub(crate) fn note(&self) -> Option<String> {
        if self.diagnostics.is_empty() && self.stale.is_empty() {
            return None;
        }
        let eps: std::collections::BTreeSet<_> = self
            .diagnostics
            .iter()
            .filter_map(|d| d.ep.as_ref())
            .collect();
        let mut out = format!(
            "note: {} in {} held back by `{}`",
            count(self.diagnostics.len(), "known problem", "known problems"),
            count(eps.len(), "EP", "EPs"),
            self.path.display()
        );
        if !self.stale.is_empty() {
            let fixed: usize = self.stale.iter().map(|(_, e)| e.count).sum();
            out.push_str(&format!(
                "\nnote: {} it records {} fixed; `mdbook-ep baseline --write` drops {}",
                count(fixed, "problem", "problems"),
                if fixed == 1 { "is" } else { "are" },
                if fixed == 1 { "it" } else { "them" },
            ));
        }
        Some(out)
    }
}

/// From this many errors on, a book without a baseline is told about it: that many is a
/// repository with history, not a typo.
const MANY: usize = 20;

/// The lever for a repository with many old problems, when it has no baseline yet.
pub(crate) fn hint(errors: usize, held: Option<&Held>) -> Option<String> {
    (held.is_none() && errors >= MANY).then(|| {
        format!(
            "note: to adopt mdbook-ep on a repository with history, `mdbook-ep baseline --write` records these {errors} errors so that only new problems fail"
        )
    })
}

/// Splits `diagnostics` into those to report and those `entries` hold back.
pub(crate) fn hold_back(
    entries: &Entries,
    path: PathBuf,
    diagnostics: Vec<Diagnostic>,
    paused: &BTreeSet<String>,
) -> (Vec<Diagnostic>, Held) {
    let mut left: BTreeMap<&Key, usize> = entries.iter().map(|(k, e)| (k, e.count)).collect();
    let mut report = Vec::new();
    let mut held = Vec::new();
    for d in diagnostics {
        let allowance = key(&d).and_then(|k| left.get_mut(&k).filter(|n| **n > 0));
        match allowance {
            Some(n) => {
                *n -= 1;
                held.push(d);
            }
            None => report.push(d),
        }
    }
    let stale = left
        .into_iter()
        .filter(|(k, n)| *n > 0 && !paused.contains(&k.ep))
        .map(|(k, n)| {
            let message = entries
                .get(k)
                .map(|e| e.message.clone())
                .unwrap_or_default();
            (k.clone(), Entry { count: n, message })
        })
        .collect();
    (
        report,
        Held {
            path,
            diagnostics: held,
            stale,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Location, Rule};

    fn missing(ep: &str, section: &str, line: usize) -> Diagnostic {
        let mut d = Diagnostic::new(
            Rule::MissingSection,
            format!("missing section \"{section}\""),
        )
        .at(Location::new(ep, line, 1))
        .for_ep(ep);
        d.severity = Severity::Error;
        d
    }

    #[test]
    fn holds_back_what_was_recorded_however_lines_moved() {
        let before = [
            missing("a.md", "Motivation", 3),
            missing("a.md", "Motivation", 9),
            missing("b.md", "Summary", 1),
        ];
        let entries = record(&before);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries.values().map(|e| e.count).sum::<usize>(), 3);
        // Lines moved, one occurrence more, one problem fixed, one new.
        let now = vec![
            missing("a.md", "Motivation", 30),
            missing("a.md", "Motivation", 40),
            missing("a.md", "Motivation", 50),
            missing("c.md", "Summary", 1),
        ];
        let (report, held) = hold_back(
            &entries,
            "ep-baseline.toml".into(),
            now.clone(),
            &BTreeSet::new(),
        );
        assert_eq!(held.diagnostics.len(), 2);
        assert_eq!(report.len(), 2, "the third occurrence and the new EP's");
        assert_eq!(held.stale.len(), 1);
        assert_eq!(held.stale[0].0.ep, "b.md");
        // While b.md's metadata does not parse, its entries are not fixed, only paused.
        let paused = BTreeSet::from(["b.md".to_string()]);
        let (_, held) = hold_back(&entries, "ep-baseline.toml".into(), now, &paused);
        assert!(held.stale.is_empty());
    }

    #[test]
    fn fingerprints_are_fixed_and_ignore_lines() {
        assert_eq!(
            fingerprint(&missing("a.md", "Motivation", 3)),
            fingerprint(&missing("z.md", "Motivation", 99))
        );
        assert_ne!(
            fingerprint(&missing("a.md", "Motivation", 3)),
            fingerprint(&missing("a.md", "Summary", 3))
        );
        // FNV-1a's published test vectors.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}

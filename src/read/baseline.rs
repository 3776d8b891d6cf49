//! The baseline file (`ep-baseline.toml` at the book root): the problems a repository had when
//! it adopted mdbook-ep, which builds and `check` hold back so that only new problems fail.
//! One entry per problem, grouped by EP and sorted, so the file is the same however the EPs
//! were found, and a diff of it shows exactly which problems came or went.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// What identifies a recorded problem: the EP's file (relative to the book root), the rule, and
/// a fingerprint of the message (no line numbers, so it survives edits that move lines).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Key {
    /// The EP's file, `/`-separated, relative to the book root.
    pub ep: String,
    /// The rule's code, e.g. `EP0601`.
    pub rule: String,
    /// See [`crate::check::baseline::fingerprint`].
    pub fingerprint: String,
}

/// How often a problem occurs in its EP, and its message for the reader of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    /// Occurrences (an EP can break a rule the same way more than once).
    pub count: usize,
    /// The message when the entry was recorded.
    pub message: String,
}

/// The problems recorded, by key.
pub(crate) type Entries = BTreeMap<Key, Entry>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    #[serde(default)]
    ep: Vec<EpProblems>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EpProblems {
    path: String,
    problems: Vec<Problem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Problem {
    rule: String,
    fingerprint: String,
    #[serde(default = "one")]
    count: usize,
    #[serde(default)]
    message: String,
}

fn one() -> usize {
    1
}

/// The baseline at `path` (relative to `root`); `None` when there is no such file.
pub(crate) fn read(root: &Path, path: &Path) -> Result<Option<Entries>> {
    let full = root.join(path);
    let text = match std::fs::read_to_string(&full) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("read", &full, e)),
    };
    parse(&text, path).map(Some)
}

/// Reads a baseline file's text; `shown` names it in errors.
pub(crate) fn parse(text: &str, shown: &Path) -> Result<Entries> {
    let invalid = |message: String| {
        Error::Config {
        table: shown.display().to_string(),
        message,
        help: "fix the file (a merge conflict?), or replace it with every problem the book has now: `mdbook-ep baseline --write --add-new`, and review the diff".into(),
    }
    };
    let file: File = toml::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        invalid(match line {
            Some(l) => format!("line {l}: {}", e.message()),
            None => e.message().to_string(),
        })
    })?;
    if file.version != 1 {
        return Err(invalid(format!(
            "version {} is not one this mdbook-ep reads (1)",
            file.version
        )));
    }
    let mut entries = Entries::new();
    for ep in file.ep {
        for p in ep.problems {
            if crate::diagnostic::Rule::from_code(&p.rule).is_none() {
                return Err(invalid(format!(
                    "the entry for `{}` names unknown rule `{}`",
                    ep.path, p.rule
                )));
            }
            if p.fingerprint.len() != 16 || !p.fingerprint.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(invalid(format!(
                    "the entry for `{}` has fingerprint `{}`, not 16 hexadecimal digits",
                    ep.path, p.fingerprint
                )));
            }
            let key = Key {
                ep: ep.path.clone(),
                rule: p.rule,
                fingerprint: p.fingerprint,
            };
            let entry = entries.entry(key).or_insert(Entry {
                count: 0,
                message: p.message,
            });
            entry.count += p.count;
        }
    }
    Ok(entries)
}

/// The file's text for `entries`: sorted by EP, rule and message; a `count` only where a
/// problem occurs more than once.
pub(crate) fn render(entries: &Entries) -> String {
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut out = String::from(
        "# Problems this book had when it adopted mdbook-ep. Builds and `mdbook-ep check` hold\n\
         # them back and fail only on new ones. `mdbook-ep baseline --write` writes this file;\n\
         # `mdbook-ep baseline --check` fails once one of them is fixed, so it only shrinks.\n\
         version = 1\n",
    );
    // Within an EP, by rule and then by message, which reads better than by fingerprint and
    // is just as independent of the order problems were found in.
    let mut sorted: Vec<(&Key, &Entry)> = entries.iter().collect();
    sorted.sort_by(|(a, x), (b, y)| {
        (&a.ep, &a.rule, &x.message, &a.fingerprint).cmp(&(
            &b.ep,
            &b.rule,
            &y.message,
            &b.fingerprint,
        ))
    });
    let mut current: Option<&str> = None;
    for (key, entry) in sorted {
        if current != Some(key.ep.as_str()) {
            if current.is_some() {
                out.push_str("]\n");
            }
            out.push_str(&format!(
                "\n[[ep]]\npath = {}\nproblems = [\n",
                quote(&key.ep)
            ));
            current = Some(&key.ep);
        }
        let count = if entry.count > 1 {
            format!(", count = {}", entry.count)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "  {{ rule = {}, fingerprint = {}{count}, message = {} }},\n",
            quote(&key.rule),
            quote(&key.fingerprint),
            quote(&entry.message)
        ));
    }
    if current.is_some() {
        out.push_str("]\n");
    }
    out
}

/// How a path is written in the file: `/`-separated on every system.
pub(crate) fn ep_key(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Where the baseline is by default, relative to the book root.
pub(crate) fn default_path() -> PathBuf {
    PathBuf::from("ep-baseline.toml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_sorted_with_counts() {
        let mut entries = Entries::new();
        for (ep, rule, fp, count, message) in [
            (
                "src/eps/b/README.md",
                "EP0601",
                "00000000000000ff",
                1,
                "missing \"x\"",
            ),
            (
                "src/eps/a/README.md",
                "EP0601",
                "0000000000000a0a",
                2,
                "twice",
            ),
            (
                "src/eps/a/README.md",
                "EP0401",
                "0000000000000b0b",
                1,
                "ref",
            ),
        ] {
            entries.insert(
                Key {
                    ep: ep.into(),
                    rule: rule.into(),
                    fingerprint: fp.into(),
                },
                Entry {
                    count,
                    message: message.into(),
                },
            );
        }
        let text = render(&entries);
        assert!(
            text.contains("path = \"src/eps/a/README.md\"\nproblems = [\n  { rule = \"EP0401\", fingerprint = \"0000000000000b0b\", message = \"ref\" },\n  { rule = \"EP0601\", fingerprint = \"0000000000000a0a\", count = 2, message = \"twice\" },\n]\n"),
            "{text}"
        );
        assert_eq!(parse(&text, Path::new("b.toml")).unwrap(), entries);
        assert_eq!(
            parse("version = 1\n", Path::new("b.toml")).unwrap(),
            Entries::new()
        );
    }

    #[test]
    fn a_broken_file_names_its_line() {
        let err = parse(
            "version = 1\n[[ep]]\npath = 3\n",
            Path::new("ep-baseline.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("ep-baseline.toml") && err.contains("line 3"),
            "{err}"
        );
    }
}

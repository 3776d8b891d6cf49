//! Changing metadata in place: only the lines of the keys a command owns change; comments, key
//! order and formatting of everything else stay byte for byte.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::read::ep::Ep;
use crate::read::keys::Key;
use crate::read::metadata::{FrontMatter, split_front_matter, top_level_key};
use crate::text::line_ending;

/// A YAML scalar for `value`, quoted only when YAML needs it (`@ana` must be quoted), and then
/// in double quotes, as EP files (and the template) write handles.
pub(crate) fn scalar(value: &str) -> String {
    match serde_yaml::to_string(value) {
        Ok(s) if !s.starts_with('\'') => s.trim_end().to_string(),
        // A JSON string is a YAML double-quoted scalar.
        _ => serde_json::to_string(value).unwrap_or_else(|_| format!("{value:?}")),
    }
}

/// A flow list of scalars: `["@ana", bo]`.
pub(crate) fn list(values: &[String]) -> String {
    format!(
        "[{}]",
        values
            .iter()
            .map(|v| scalar(v))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Sets `key: value` in YAML text: the key's whole entry (its line and any indented lines under
/// it) becomes one line, keeping a trailing comment of the key line; a missing key is added at
/// the end. `value` is already YAML.
pub(crate) fn set_key(yaml: &str, key: &str, value: &str) -> String {
    let lines: Vec<&str> = yaml.split_inclusive('\n').collect();
    let eol = line_ending(yaml);
    let start = lines
        .iter()
        .position(|l| top_level_key(l.trim_end()).is_some_and(|(k, _)| k == key));
    let Some(start) = start else {
        let sep = if yaml.is_empty() || yaml.ends_with('\n') {
            ""
        } else {
            eol
        };
        return format!("{yaml}{sep}{key}: {value}{eol}");
    };
    let end = lines[start + 1..]
        .iter()
        .position(|l| {
            let t = l.trim_end();
            !t.is_empty() && !t.starts_with([' ', '\t', '-']) && !t.starts_with('#')
        })
        .map_or(lines.len(), |i| start + 1 + i);
    // Keep comment-only and blank lines that trail the entry: they belong to what follows.
    let end = start
        + 1
        + lines[start + 1..end]
            .iter()
            .rposition(|l| {
                let t = l.trim();
                !t.is_empty() && !t.starts_with('#')
            })
            .map_or(0, |i| i + 1);
    let comment = comment_of(lines[start]);
    // The line keeps its own ending (the file's, when it is the last line without one).
    let eol = if lines[start].ends_with("\r\n") {
        "\r\n"
    } else if lines[start].ends_with('\n') {
        "\n"
    } else {
        eol
    };
    let mut out: String = lines[..start].concat();
    out.push_str(&format!("{key}: {value}{comment}{eol}"));
    out.push_str(&lines[end..].concat());
    out
}

/// ` # comment` at the end of a line, outside quotes.
fn comment_of(line: &str) -> String {
    let line = line.trim_end_matches(['\n', '\r']);
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && prev.is_whitespace() => return format!(" {}", &line[i..]),
            None => {}
        }
        prev = c;
    }
    String::new()
}

/// Applies `edit` to the front matter of an EP file; `None` when the file has none.
pub(crate) fn with_front_matter(text: &str, edit: impl FnOnce(&str) -> String) -> Option<String> {
    match split_front_matter(text) {
        FrontMatter::Present { yaml, .. } => {
            // `yaml` borrows from `text`: its position is where the metadata goes back.
            let start = yaml.as_ptr() as usize - text.as_ptr() as usize;
            let end = start + yaml.len();
            Some(format!("{}{}{}", &text[..start], edit(yaml), &text[end..]))
        }
        _ => None,
    }
}

/// The spelling of `key` a file's metadata already uses (`status` in a KEP), else the EP
/// spelling, so an edit changes the author's key instead of adding a second one.
pub(crate) fn spelling_in(yaml: &str, key: Key) -> &'static str {
    let has = |k: &str| {
        yaml.lines()
            .any(|l| top_level_key(l).is_some_and(|(found, _)| found == k))
    };
    key.spellings()
        .find(|k| has(k))
        .unwrap_or_else(|| key.name())
}

/// An EP's metadata file (its front matter, or its sidecar) with `edit` applied to the YAML:
/// `(the file under dir, its new text)`. Only the metadata's bytes can change.
pub(crate) fn metadata_of(
    ep: &Ep,
    dir: &Path,
    edit: &dyn Fn(&str) -> String,
) -> Result<(PathBuf, String)> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_values_keeping_everything_else() {
        let yaml = "# The EP's metadata\ntitle: Old # keep me\nauthors:\n  - a\n  - b\n\n# dates\nstate: provisional\n";
        assert_eq!(
            set_key(yaml, "state", "implementable"),
            "# The EP's metadata\ntitle: Old # keep me\nauthors:\n  - a\n  - b\n\n# dates\nstate: implementable\n"
        );
        assert_eq!(
            set_key(yaml, "authors", "[x]"),
            "# The EP's metadata\ntitle: Old # keep me\nauthors: [x]\n\n# dates\nstate: provisional\n"
        );
        assert_eq!(
            set_key(yaml, "title", "New"),
            yaml.replace("title: Old # keep me", "title: New # keep me")
        );
        assert_eq!(set_key("a: 1", "b", "2"), "a: 1\nb: 2\n");
    }

    /// The line editor over the shapes YAML allows a value to take: each row is
    /// (file, key, new value, expected file).
    #[test]
    fn set_key_table() {
        let rows: &[(&str, &str, &str, &str)] = &[
            // An unindented block list belongs to its key.
            (
                "authors:\n- a\n- b\nstate: x\n",
                "authors",
                "[c]",
                "authors: [c]\nstate: x\n",
            ),
            // An indented one too, with a comment inside it.
            (
                "authors:\n  # lead\n  - a\nstate: x\n",
                "authors",
                "[c]",
                "authors: [c]\nstate: x\n",
            ),
            // `#` inside quotes is not a comment; after a space outside them it is.
            (
                "title: \"C# and F#\" # lang\n",
                "title",
                "New",
                "title: New # lang\n",
            ),
            ("title: 'a #1'\n", "title", "B", "title: B\n"),
            ("title: a#1\n", "title", "B", "title: B\n"),
            // A folded scalar's lines go with it.
            (
                "summary: >\n  one\n  two\nstate: x\n",
                "summary",
                "short",
                "summary: short\nstate: x\n",
            ),
            // CRLF stays CRLF, on the changed line and the added one.
            (
                "state: a\r\ntitle: t\r\n",
                "state",
                "b",
                "state: b\r\ntitle: t\r\n",
            ),
            ("title: t\r\n", "state", "b", "title: t\r\nstate: b\r\n"),
            // A key that is only a prefix of another is not that key.
            (
                "state-note: a\nstate: b\n",
                "state",
                "c",
                "state-note: a\nstate: c\n",
            ),
            // Comments and blank lines after the entry stay where they are.
            (
                "authors:\n  - a\n\n# next\nstate: x\n",
                "authors",
                "[b]",
                "authors: [b]\n\n# next\nstate: x\n",
            ),
            // The last line without a line ending gets the file's.
            ("a: 1\nstate: x", "state", "y", "a: 1\nstate: y\n"),
            ("", "state", "y", "state: y\n"),
        ];
        for (yaml, key, value, expected) in rows {
            assert_eq!(set_key(yaml, key, value), *expected, "{yaml:?}");
        }
    }

    #[test]
    fn edits_use_the_spelling_the_file_has() {
        assert_eq!(
            spelling_in("title: X\nstatus: implementable\n", Key::State),
            "status"
        );
        assert_eq!(
            spelling_in("title: X\nstate: implementable\n", Key::State),
            "state"
        );
        assert_eq!(spelling_in("title: X\n", Key::State), "state");
        assert_eq!(
            spelling_in("superseded-by: [3]\n", Key::ReplacedBy),
            "superseded-by"
        );
        // A key inside a value or a nested map is not the file's spelling.
        assert_eq!(spelling_in("notes:\n  status: x\n", Key::State), "state");
    }

    #[test]
    fn scalars_are_quoted_when_needed() {
        assert_eq!(scalar("plain title"), "plain title");
        assert_eq!(scalar("@ana"), "\"@ana\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(list(&["@a".into(), "b".into()]), "[\"@a\", b]");
        // Each reads back as the value.
        for v in ["@ana", "a: b", "it's \"x\"", "tab\there", "ü"] {
            let back: String = serde_yaml::from_str(&scalar(v)).unwrap();
            assert_eq!(back, v);
        }
    }

    #[test]
    fn front_matter_only() {
        let text = "---\nstate: provisional\n---\n# Body\nstate: not yaml\n";
        let out = with_front_matter(text, |y| set_key(y, "state", "deferred")).unwrap();
        assert_eq!(out, "---\nstate: deferred\n---\n# Body\nstate: not yaml\n");
        assert_eq!(with_front_matter("# none\n", |y| y.to_string()), None);
    }
}

//! mdBook's heading-id rules, reproduced exactly (mdbook-html 0.5: `id_from_content`,
//! `unique_id`, `add_header_links`), and the anchors code hosts give the same headings.
//!
//! Headings *and* definition-list terms take ids in document order; an explicit `{#id}` is used
//! verbatim and never reserved; duplicates get the first free `-N` suffix.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::EmptyIds;

/// An element that takes an id: a heading or a definition-list term, in document order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    /// Index into the outline's headings; `None` for a definition-list term.
    pub heading: Option<usize>,
    /// The text mdBook derives the id from.
    pub id_text: String,
    /// A `{#custom-id}` attribute.
    pub explicit_id: Option<String>,
}

/// Ids for anchors in document order, as mdBook assigns them.
pub(crate) fn assign_ids<'a>(
    anchors: impl Iterator<Item = &'a Anchor>,
    empty: EmptyIds,
) -> Vec<String> {
    let mut used = HashSet::new();
    anchors
        .map(|a| match &a.explicit_id {
            Some(id) => id.clone(),
            None => {
                let mut id = id_from_content(&a.id_text);
                if id.is_empty() && empty == EmptyIds::Section {
                    id = "section".into();
                }
                unique_id(&id, &mut used)
            }
        })
        .collect()
}

/// mdBook's `id_from_content`: trim, Unicode-lowercase, keep alphanumerics, `_` and `-`, turn
/// each whitespace character into `-`, drop the rest.
pub(crate) fn id_from_content(content: &str) -> String {
    let content = content.trim();
    if content.is_ascii() {
        // The common case in one pass; identical to the general one for ASCII.
        return content
            .bytes()
            .filter_map(|b| match b {
                b'A'..=b'Z' => Some((b + 32) as char),
                b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' => Some(b as char),
                b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' => Some('-'),
                _ => None,
            })
            .collect();
    }
    id_from_content_general(content)
}

/// The rule exactly as mdBook writes it, for any text.
fn id_from_content_general(content: &str) -> String {
    content
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c)
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// mdBook's `unique_id`: the id if unused, else the first free `id-N`; what is returned is
/// reserved, so `Foo, Foo, Foo-1, Foo` gives `foo, foo-1, foo-1-1, foo-2`.
pub(crate) fn unique_id(id: &str, used: &mut HashSet<String>) -> String {
    if !used.contains(id) {
        used.insert(id.to_string());
        return id.to_string();
    }
    (1..)
        .map(|n| format!("{id}-{n}"))
        .find(|candidate| !used.contains(candidate))
        .inspect(|candidate| {
            used.insert(candidate.clone());
        })
        .unwrap_or_default()
}

/// GitHub's slug of a heading's text content, as github-slugger 2.0 reproduces it (its
/// fixtures are GitHub's own anchors): lowercased, then every character dropped that is not a
/// letter or otherwise alphabetic, a mark, a decimal digit, connector punctuation, a space or
/// `-`; each space becomes `-`. Nothing is trimmed: a space written `&#32;` at either end still
/// counts. Characters Unicode assigned after version 13.0 are dropped too, as GitHub's tables
/// had them unassigned. Not unique yet: pass it through [`unique_id`].
pub(crate) fn github_slug(text: &str) -> String {
    if text.is_ascii() {
        // The common case in one pass; identical to the general one for ASCII.
        return text
            .bytes()
            .filter_map(|b| match b {
                b'A'..=b'Z' => Some((b + 32) as char),
                b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' => Some(b as char),
                b' ' => Some('-'),
                _ => None,
            })
            .collect();
    }
    github_slug_general(text)
}

/// The rule for any text, in github-slugger's order: lowercase, drop, then spaces to `-`.
fn github_slug_general(text: &str) -> String {
    static DROPPED: LazyLock<Regex> = LazyLock::new(|| {
        // General categories and the Alphabetic property as the `regex` crate's Unicode
        // tables have them; `\P{age:13.0}` takes out what GitHub's Unicode 13 did not know.
        Regex::new(r"[^\p{Alphabetic}\p{M}\p{Nd}\p{Pc} \-]|\P{age:13.0}")
            .expect("the pattern is a constant and valid")
    });
    DROPPED
        .replace_all(&text.to_lowercase(), "")
        .replace(' ', "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_fast_path_matches_the_general_rule() {
        for s in [
            "  Hello, World!  ",
            "a\tb\x0bc\x0cd\re",
            "Foo_Bar-9 (x) [y] {z}",
            "",
            "---",
        ] {
            assert_eq!(id_from_content(s), id_from_content_general(s), "{s:?}");
        }
    }

    #[test]
    fn github_ascii_fast_path_matches_the_general_rule() {
        let all: String = (0u8..0x80).map(char::from).collect();
        for s in [all.as_str(), " Foo_Bar-9 (x) [y] {z}\t\n ", ""] {
            assert_eq!(github_slug(s), github_slug_general(s), "{s:?}");
        }
    }

    /// The classes named in the issue that reported the differences, one character each.
    #[test]
    fn github_keeps_marks_and_connectors_and_drops_other_numbers() {
        assert_eq!(
            github_slug("e\u{301} a\u{20dd} ‿ ⁀"),
            "e\u{301}-a\u{20dd}-‿-⁀"
        );
        assert_eq!(github_slug("x² ¼ ① 9"), "x---9");
        assert_eq!(github_slug(" a "), "-a-");
        assert_eq!(github_slug("İ Ⓐ Ⅻ"), "i\u{307}-ⓐ-ⅻ");
        assert_eq!(github_slug("a\u{a0}b\u{200b}c"), "abc");
    }
}

#[cfg(test)]
mod github_slugger_fixtures {
    use std::collections::HashSet;

    use super::{github_slug, unique_id};

    /// github-slugger's fixtures: GitHub's own anchors for headings that sample every Unicode
    /// general category, run through one slugger as its test suite does (so repeats count).
    #[test]
    fn every_fixture_matches() {
        let fixtures: Vec<serde_json::Value> = serde_json::from_str(include_str!(
            "../../tests/fixtures/github-slugger/fixtures.json"
        ))
        .expect("the vendored fixtures are JSON");
        let mut used = HashSet::new();
        let mut wrong = Vec::new();
        for f in &fixtures {
            let input = f["input"].as_str().unwrap_or_default();
            let expected = f["expected"].as_str().unwrap_or_default();
            let got = unique_id(&github_slug(input), &mut used);
            if got != expected {
                wrong.push(format!("{}: {got:?} != {expected:?}", f["name"]));
            }
        }
        assert!(
            wrong.is_empty(),
            "{} of {} fixtures differ:\n{}",
            wrong.len(),
            fixtures.len(),
            wrong.join("\n")
        );
    }
}

//! mdBook's heading-id rules, reproduced exactly (mdbook-html 0.5: `id_from_content`,
//! `unique_id`, `add_header_links`), and the anchors code hosts give the same headings.
//!
//! Headings *and* definition-list terms take ids in document order; an explicit `{#id}` is used
//! verbatim and never reserved; duplicates get the first free `-N` suffix.

use std::collections::HashSet;

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

/// A code host's (GitHub's, GitLab's) slug of a heading's text: lowercased, spaces to `-`,
/// punctuation dropped. Not unique yet: pass it through [`unique_id`].
pub(crate) fn github_slug(raw_text: &str) -> String {
    raw_text
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
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
}

//! Making metadata safe to put into a page: every value is escaped, every link checked.

use std::path::{Component, Path};

/// Escapes text for HTML element content and attribute values.
pub fn html(text: &str) -> String {
    const SPECIAL: &[char] = &['&', '<', '>', '"', '\'', '*', '_', '[', ']', '`', '\\'];
    if !text.contains(SPECIAL) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Markdown would still read these inside an HTML block's inline content in some
            // positions; as entities they are inert.
            '*' => out.push_str("&#42;"),
            '_' => out.push_str("&#95;"),
            '[' => out.push_str("&#91;"),
            ']' => out.push_str("&#93;"),
            '`' => out.push_str("&#96;"),
            '\\' => out.push_str("&#92;"),
            _ => out.push(c),
        }
    }
    out
}

/// Only http(s) URLs and relative references may become links; `javascript:`, `data:` and
/// friends never do.
pub fn is_safe_url(url: &str) -> bool {
    let url = url.trim();
    if url.is_empty() || url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return false;
    }
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return true;
    }
    // A scheme is letters/digits/+/-/. before the first ':' that comes before any '/', '?' or '#'.
    match url.find([':', '/', '?', '#']) {
        Some(i) if url.as_bytes()[i] == b':' => false,
        _ => !url.starts_with("//"),
    }
}

/// Percent-encodes one URL path segment: a person's handle in `people-url`, a folder name.
pub fn url_segment(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The page a chapter file becomes: `x.md` -> `x.html`, `README.md` -> `index.html` when
/// mdBook's `index` preprocessor is on.
pub fn page_path(source: &Path, readme_is_index: bool) -> String {
    let mut parts: Vec<String> = source
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if let Some(last) = parts.last_mut() {
        let stem = last.strip_suffix(".md").unwrap_or(last).to_string();
        *last = if readme_is_index && stem.eq_ignore_ascii_case("readme") {
            "index.html".to_string()
        } else {
            format!("{stem}.html")
        };
    }
    parts.join("/")
}

/// A relative link from the page of `from` to the page of `to`, both given as page paths.
pub fn relative_href(from_page: &str, to_page: &str) -> String {
    let from: Vec<&str> = from_page.split('/').collect();
    let to: Vec<&str> = to_page.split('/').collect();
    let from_dirs = &from[..from.len().saturating_sub(1)];
    let common = from_dirs
        .iter()
        .zip(&to)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; from_dirs.len() - common];
    parts.extend(&to[common..]);
    parts
        .iter()
        .map(|p| url_segment(p))
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            html("<b>\"A&B\"</b>"),
            "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;"
        );
        assert_eq!(html("*x* [y](z)"), "&#42;x&#42; &#91;y&#93;(z)");
    }

    #[test]
    fn safe_urls() {
        assert!(is_safe_url("https://github.com/x"));
        assert!(is_safe_url("../people/x.html"));
        assert!(is_safe_url("people#x"));
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url("JaVaScRiPt:alert(1)"));
        assert!(!is_safe_url("data:text/html,x"));
        assert!(!is_safe_url("//evil.example/x"));
        assert!(!is_safe_url("https://x y"));
    }

    #[test]
    fn pages_and_relative_links() {
        assert_eq!(
            page_path(Path::new("eps/a/0001-x/README.md"), true),
            "eps/a/0001-x/index.html"
        );
        assert_eq!(
            page_path(Path::new("eps/a/0001-x/README.md"), false),
            "eps/a/0001-x/README.html"
        );
        assert_eq!(
            page_path(Path::new("eps/a/draft-2026-01-01-y.md"), true),
            "eps/a/draft-2026-01-01-y.html"
        );
        assert_eq!(
            relative_href("eps/a/0001-x/index.html", "eps/b/0002-y/index.html"),
            "../../b/0002-y/index.html"
        );
        assert_eq!(
            relative_href("eps/a/draft-1.html", "eps/a/0001-x/index.html"),
            "0001-x/index.html"
        );
        assert_eq!(
            relative_href("intro.html", "eps/a b/x.html"),
            "eps/a%20b/x.html"
        );
        assert_eq!(url_segment("@ana b"), "%40ana%20b");
    }
}

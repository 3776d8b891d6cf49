//! Making metadata safe to put into a page: every value is escaped, every link checked.

/// Escapes text for HTML element content and attribute values.
pub(crate) fn html(text: &str) -> String {
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

/// Percent-encodes one URL path segment: a person's handle in `people-url`, a folder name.
pub(crate) fn url_segment(text: &str) -> String {
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

/// A path of the site as a URL path: each segment percent-encoded (`a b/c.svg` is
/// `a%20b/c.svg`).
pub(crate) fn url_path(path: &str) -> String {
    path.split('/')
        .map(url_segment)
        .collect::<Vec<_>>()
        .join("/")
}

/// A relative link from the page of `from` to the page of `to`, both given as page paths.
pub(crate) fn relative_href(from_page: &str, to_page: &str) -> String {
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

    /// Each special character alone (the fast path must not skip any), and plain text as is.
    #[test]
    fn escapes_each_special_character_alone() {
        let rows = [
            ("&", "&amp;"),
            ("<", "&lt;"),
            (">", "&gt;"),
            ("\"", "&quot;"),
            ("'", "&#39;"),
            ("*", "&#42;"),
            ("_", "&#95;"),
            ("[", "&#91;"),
            ("]", "&#93;"),
            ("`", "&#96;"),
            ("\\", "&#92;"),
            ("plain über text (1-2)", "plain über text (1-2)"),
            ("", ""),
        ];
        for (text, escaped) in rows {
            assert_eq!(html(text), escaped, "{text:?}");
        }
    }

    #[test]
    fn url_segments_keep_only_unreserved_bytes() {
        let rows = [
            ("aZ09-_.~", "aZ09-_.~"),
            (" ", "%20"),
            ("/", "%2F"),
            ("?", "%3F"),
            ("#", "%23"),
            ("%", "%25"),
            ("ü", "%C3%BC"),
        ];
        for (text, encoded) in rows {
            assert_eq!(url_segment(text), encoded, "{text:?}");
        }
    }

    #[test]
    fn relative_links() {
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

//! Which URLs may become links in a page: http(s) and relative references, never a scheme
//! that runs code. Configuration checks `people-url` with it and the header checks `see-also`.

/// Only http(s) URLs and relative references may become links; `javascript:`, `data:` and
/// friends never do.
pub(crate) fn is_safe_url(url: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}

//! How EPs name each other: `EP-0042` labels, numbered folders and references in metadata.

use serde::Serialize;

/// How an EP is written as text everywhere: `EP-0042`.
pub(crate) fn ep_label(number: u32) -> String {
    format!("EP-{number:04}")
}

/// A link from one EP to another EP, or (as KEPs allow in `see-also`) to a web page.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Reference {
    Ep(u32),
    Url(String),
}

impl Reference {
    /// Accepts `42`, `"0042"`, `EP-42`, `KEP-42`, a KEP-style path `/keps/sig-x/42-slug`, or an
    /// http(s) URL (only when `allow_urls`, as in `see-also`).
    pub fn parse(s: &str, allow_urls: bool) -> Option<Reference> {
        let s = s.trim();
        if s.starts_with("http://") || s.starts_with("https://") {
            return allow_urls.then(|| Reference::Url(s.to_string()));
        }
        let bare = s
            .strip_prefix("EP-")
            .or_else(|| s.strip_prefix("ep-"))
            .or_else(|| s.strip_prefix("KEP-"))
            .or_else(|| s.strip_prefix("kep-"))
            .unwrap_or(s);
        if !bare.is_empty() && bare.bytes().all(|b| b.is_ascii_digit()) {
            return bare.parse().ok().map(Reference::Ep);
        }
        if s.starts_with('/') || s.contains('/') {
            let last = s.trim_end_matches('/').rsplit('/').next()?;
            return folder_number(last).map(Reference::Ep);
        }
        None
    }
}

/// The number of a numbered EP folder: `0042-slug` -> 42, as KEPs also allow `19-slug`.
pub(crate) fn folder_number(name: &str) -> Option<u32> {
    let (digits, slug) = name.split_once('-')?;
    if digits.is_empty() || slug.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert_eq!(Reference::parse("EP-42", false), Some(Reference::Ep(42)));
        assert_eq!(Reference::parse("0042", false), Some(Reference::Ep(42)));
        assert_eq!(
            Reference::parse("/keps/sig-apps/3939-allow-replacement/", false),
            Some(Reference::Ep(3939))
        );
        assert_eq!(Reference::parse("https://x.org/a", false), None);
        assert!(matches!(
            Reference::parse("https://x.org/a", true),
            Some(Reference::Url(_))
        ));
        assert_eq!(Reference::parse("n/a", true), None);
        assert_eq!(Reference::parse("kinflate", true), None);
    }
}

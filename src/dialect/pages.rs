//! Where mdBook writes a chapter: `x.md` becomes `x.html`, and `README.md` becomes
//! `index.html` when mdBook's `index` preprocessor runs (it does by default, after `ep`).

use std::path::{Component, Path, PathBuf};

/// The page a chapter file becomes: `x.md` -> `x.html`, `README.md` -> `index.html` when
/// mdBook's `index` preprocessor is on.
pub(crate) fn page_path(source: &Path, readme_is_index: bool) -> String {
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

/// Where mdBook writes a chapter: `README.md` becomes `index.md` when the `index` preprocessor
/// runs, which it does after `ep` by default.
pub(crate) fn output_path(path: &Path, readme_is_index: bool) -> PathBuf {
    if readme_is_index
        && path
            .file_name()
            .is_some_and(|n| n.eq_ignore_ascii_case("README.md"))
    {
        path.with_file_name("index.md")
    } else {
        path.to_path_buf()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages() {
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
            output_path(Path::new("eps/a/0001-x/README.md"), true),
            Path::new("eps/a/0001-x/index.md")
        );
        assert_eq!(
            output_path(Path::new("eps/a/0001-x/README.md"), false),
            Path::new("eps/a/0001-x/README.md")
        );
    }
}

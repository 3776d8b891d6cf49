//! Where `mdbook-ep build` may write. mdBook empties its build folder before writing the site,
//! so a build folder that is, holds or sits inside the book's sources would delete them.

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// Refuses a build folder `dest` that would swallow the book: one that is or contains the book
/// root `root`, or that is, contains or lies inside the source folder `src` or the EP folder
/// `eps` (all three given as they are on disk, relative to the current folder or absolute).
pub(crate) fn check_destination(dest: &Path, root: &Path, src: &Path, eps: &Path) -> Result<()> {
    let dest_abs = resolved(dest);
    let contains = |outer: &Path, inner: &Path| inner.starts_with(outer);
    let root_abs = resolved(root);
    let mut clash = None;
    if contains(&dest_abs, &root_abs) {
        clash = Some(("the book's folder", root));
    }
    for (what, dir) in [("the source folder", src), ("the EP folder", eps)] {
        let dir_abs = resolved(dir);
        if clash.is_none() && (contains(&dest_abs, &dir_abs) || contains(&dir_abs, &dest_abs)) {
            clash = Some((what, dir));
        }
    }
    match clash {
        None => Ok(()),
        Some((what, dir)) => Err(Error::Refused {
            message: format!(
                "the build folder `{}` overlaps {what} `{}`; mdBook empties the build folder, so building there would delete it",
                dest.display(),
                dir.display()
            ),
            help: "build somewhere else, e.g. `-d book` (the default) or a folder outside the book's sources".into(),
        }),
    }
}

/// `path` absolute, with symbolic links and `..` resolved as far as it exists on disk, and the
/// rest (which does not exist yet) appended.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::env::current_dir()
        .map(|cwd| cwd.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return normal(&out);
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return normal(&absolute),
        }
    }
}

/// Drops `.` and folds `..` lexically (for the part of a path that does not exist yet).
fn normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_would_delete_the_book_and_allows_the_rest() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("book");
        let src = root.join("src");
        let eps = src.join("eps");
        std::fs::create_dir_all(&eps).unwrap();
        let check = |dest: PathBuf| check_destination(&dest, &root, &src, &eps);
        for bad in [
            root.clone(),
            src.clone(),
            eps.clone(),
            tmp.path().to_path_buf(),
            src.join("site"),
            eps.join("devex/site"),
            root.join("src/../src"),
        ] {
            let err = check(bad.clone()).unwrap_err();
            assert_eq!(err.code(), "EP0014", "{}", bad.display());
        }
        for good in [
            root.join("book"),
            root.join("target/site"),
            tmp.path().join("out"),
        ] {
            check(good.clone()).unwrap_or_else(|e| panic!("{}: {e}", good.display()));
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_the_sources_is_the_sources() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("book");
        let src = root.join("src");
        std::fs::create_dir_all(&src).unwrap();
        std::os::unix::fs::symlink(&src, tmp.path().join("link")).unwrap();
        let err = check_destination(&tmp.path().join("link"), &root, &src, &src.join("eps"));
        assert!(err.is_err());
    }
}

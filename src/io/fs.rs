//! Writing files the way every command must: all or nothing, keeping each file's mode.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// crash or a full disk never leaves a half-written file.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_all_or_nothing(&[(path.to_path_buf(), bytes.to_vec())])
}

/// Writes several files so that either all of them change or none does. Every new content is
/// first written and flushed to a temporary file beside its target (a failure there changes
/// nothing); then each is renamed into place, and if a rename fails the files already replaced
/// get their old bytes back.
pub(crate) fn write_all_or_nothing(files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    write_with_faults(files, &injected)
}

/// A way to make a step fail on purpose: `(step, path) -> the error`.
type Faults<'a> = &'a dyn Fn(&str, &Path) -> Option<std::io::Error>;

fn write_with_faults(files: &[(PathBuf, Vec<u8>)], fault: Faults<'_>) -> Result<()> {
    let mut staged = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        staged.push(stage(path, bytes, fault)?);
    }
    let mut done: Vec<(&Path, Option<Vec<u8>>)> = Vec::new();
    for ((path, _), (tmp, old)) in files.iter().zip(staged) {
        let result = fault("commit", path)
            .map_or_else(|| tmp.persist(path).map(drop).map_err(|e| e.error), Err);
        if let Err(e) = result {
            let undone = roll_back(&done);
            return Err(Error::io(
                if undone {
                    "replace (every file already changed was restored)"
                } else {
                    "replace (restoring the files already changed failed too)"
                },
                path,
                e,
            ));
        }
        done.push((path, old));
    }
    Ok(())
}

/// The new content in a temporary file beside `path`, with `path`'s mode, and `path`'s current
/// bytes (`None` when it does not exist yet).
fn stage(
    path: &Path,
    bytes: &[u8],
    fault: Faults<'_>,
) -> Result<(tempfile::NamedTempFile, Option<Vec<u8>>)> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let old = match std::fs::read(path) {
        Ok(b) => Some(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io("read", path, e)),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".mdbook-ep-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io("create a temporary file in", dir, e))?;
    if let Some(e) = fault("prepare", path) {
        return Err(Error::io("write", tmp.path(), e));
    }
    tmp.write_all(bytes)
        .map_err(|e| Error::io("write", tmp.path(), e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| Error::io("write", tmp.path(), e))?;
    if let Ok(meta) = std::fs::metadata(path) {
        std::fs::set_permissions(tmp.path(), meta.permissions())
            .map_err(|e| Error::io("set permissions of", tmp.path(), e))?;
    }
    Ok((tmp, old))
}

/// Removes a file (with the tests' injected failure at step `remove`).
pub(crate) fn remove_file(path: &Path) -> Result<()> {
    match injected("remove", path) {
        Some(e) => Err(Error::io("remove", path, e)),
        None => std::fs::remove_file(path).map_err(|e| Error::io("remove", path, e)),
    }
}

/// Puts back the old bytes of files already replaced (removes those that were new); whether
/// every one was restored.
fn roll_back(done: &[(&Path, Option<Vec<u8>>)]) -> bool {
    let mut all = true;
    for (path, old) in done.iter().rev() {
        let restored = match old {
            Some(bytes) => stage(path, bytes, &|_, _| None)
                .ok()
                .and_then(|(tmp, _)| tmp.persist(path).ok())
                .is_some(),
            None => std::fs::remove_file(path).is_ok(),
        };
        all &= restored;
    }
    all
}

/// A failure injected by the tests of a debug build: `MDBOOK_EP_FAULT=STEP:SUFFIX` fails step
/// `prepare` (writing the temporary file), `commit` (renaming it into place) or `remove` for
/// files whose path ends with `SUFFIX`. Release builds have no such hook.
fn injected(step: &str, path: &Path) -> Option<std::io::Error> {
    if !cfg!(debug_assertions) {
        return None;
    }
    let spec = std::env::var("MDBOOK_EP_FAULT").ok()?;
    let (at, suffix) = spec.split_once(':')?;
    (at == step && path.ends_with(suffix))
        .then(|| std::io::Error::other(format!("injected failure ({spec})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_keeps_the_mode() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("SUMMARY.md");
        std::fs::write(&file, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomic(&file, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
                0o640
            );
        }
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn a_failed_rename_restores_the_files_already_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b, c) = (
            dir.path().join("a.md"),
            dir.path().join("b.md"),
            dir.path().join("new.md"),
        );
        std::fs::write(&a, "old a").unwrap();
        std::fs::write(&b, "old b").unwrap();
        let files = [
            (a.clone(), b"new a".to_vec()),
            (c.clone(), b"created".to_vec()),
            (b.clone(), b"new b".to_vec()),
        ];
        let fail_b = |step: &str, p: &Path| {
            (step == "commit" && p.ends_with("b.md")).then(|| std::io::Error::other("disk full"))
        };
        let err = write_with_faults(&files, &fail_b).unwrap_err();
        assert!(
            err.to_string()
                .contains("every file already changed was restored"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old a");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "old b");
        assert!(!c.exists(), "a file the change created is removed again");
        // A failure while preparing changes nothing at all.
        let fail_new = |step: &str, p: &Path| {
            (step == "prepare" && p.ends_with("new.md")).then(|| std::io::Error::other("full"))
        };
        write_with_faults(&files, &fail_new).unwrap_err();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old a");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 2, "no temporary file left: {left:?}");
    }
}

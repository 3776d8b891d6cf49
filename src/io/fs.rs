//! Writing files the way every command must: all or nothing, and as the file was: its mode,
//! its owner, and a symbolic link stays a link (the file it points to is written). New files
//! get the mode the umask gives, as any editor's would.
//!
//! Temporary files are named `.mdbook-ep-XXXXXX.tmp.md`: hidden, and with the extension mdBook's
//! HTML renderer never copies into a site, so even one left by a killed process is not
//! published; the next editing command removes it ([`remove_stale_temps`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::io::interrupt;

/// How temporary files start and end (see the module's documentation).
const TEMP_PREFIX: &str = ".mdbook-ep-";
const TEMP_SUFFIX: &str = ".tmp.md";

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// crash or a full disk never leaves a half-written file.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_all_or_nothing(&[(path.to_path_buf(), bytes)])
}

/// Writes several files so that either all of them change or none does. Every new content is
/// first written and flushed to a temporary file beside its target (a failure there changes
/// nothing); then each is renamed into place, and if a rename fails the files already replaced
/// get their old bytes back.
pub(crate) fn write_all_or_nothing(files: &[(PathBuf, impl AsRef<[u8]>)]) -> Result<()> {
    write_with_faults(files, &injected)
}

/// A way to make a step fail on purpose: `(step, path) -> the error`.
type Faults<'a> = &'a dyn Fn(&str, &Path) -> Option<std::io::Error>;

fn write_with_faults(files: &[(PathBuf, impl AsRef<[u8]>)], fault: Faults<'_>) -> Result<()> {
    // Declared first, dropped last: a signal ends the process only after the temporary files
    // below are gone, and never between two renames.
    let _critical = interrupt::critical();
    // A link stays a link: what changes is the file it points to.
    let files: Vec<(PathBuf, &[u8])> = files
        .iter()
        .map(|(path, bytes)| (real_path(path), bytes.as_ref()))
        .collect();
    let mut staged = Vec::with_capacity(files.len());
    for (path, bytes) in &files {
        if interrupt::pending() {
            return Err(Error::Interrupted);
        }
        staged.push(stage(path, bytes, fault)?);
    }
    // The last moment to give up with nothing changed; from here the change completes.
    if interrupt::pending() {
        return Err(Error::Interrupted);
    }
    let mut done: Vec<(&Path, Option<Vec<u8>>)> = Vec::new();
    for ((path, _), (tmp, old)) in files.iter().zip(staged) {
        let path = path.as_path();
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
    interrupt::committed();
    Ok(())
}

/// `path` as seen from the current folder, for messages: relative when the two share more
/// than the root (`.github/CODEOWNERS`, `../.github/CODEOWNERS`), else absolute. Both are
/// resolved first (a file that does not exist yet through its nearest folder that does), so a folder reached
/// through a symbolic link gives the path the system follows, never a `..` that leaves it.
pub(crate) fn from_cwd(path: &Path) -> PathBuf {
    // The deepest folder that exists, resolved, then the rest as written.
    let resolved = path.ancestors().find_map(|existing| {
        let base = std::fs::canonicalize(existing).ok()?;
        Some(base.join(path.strip_prefix(existing).ok()?))
    });
    let cwd = std::env::current_dir().and_then(std::fs::canonicalize);
    match (resolved, cwd) {
        (Some(abs), Ok(cwd)) => relative(&abs, &cwd).unwrap_or(abs),
        (Some(abs), Err(_)) => abs,
        (None, _) => path.to_path_buf(),
    }
}

/// `path` from `base` (both absolute and resolved), when they share more than the root.
fn relative(path: &Path, base: &Path) -> Option<PathBuf> {
    let (p, b): (Vec<_>, Vec<_>) = (path.components().collect(), base.components().collect());
    let shared = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if shared < 2 {
        return None;
    }
    let mut out = PathBuf::new();
    for _ in shared..b.len() {
        out.push("..");
    }
    out.extend(&p[shared..]);
    Some(out)
}

/// The file `path` names: the target of a symbolic link (followed to the end), else `path`.
pub(crate) fn real_path(path: &Path) -> PathBuf {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::read_link(&current) {
            Ok(target) => {
                current = match current.parent() {
                    Some(parent) => parent.join(target),
                    None => target,
                };
            }
            Err(_) => return current,
        }
    }
    current
}

/// A temporary file in `dir` for content that will replace a file: private while it is being
/// written when it replaces an existing file (it gets that file's mode and owner before the
/// rename), else with the mode the umask gives a new file.
fn temp_in(dir: &Path, replaces: Option<&std::fs::Metadata>) -> Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    if replaces.is_none() {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let tmp = builder
        .tempfile_in(dir)
        .map_err(|e| Error::io("create a temporary file in", dir, e))?;
    if let Some(meta) = replaces {
        std::fs::set_permissions(tmp.path(), meta.permissions())
            .map_err(|e| Error::io("set permissions of", tmp.path(), e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            // Only root can give a file away; for anyone else the owner is already theirs and a
            // group they are not in is kept by nobody, so failing here changes nothing.
            let _ = std::os::unix::fs::chown(tmp.path(), Some(meta.uid()), Some(meta.gid()));
        }
    }
    Ok(tmp)
}

/// The new content in a temporary file beside the file `path` names, as that file was (mode,
/// owner), and its current bytes (`None` when it does not exist yet).
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
    let meta = std::fs::metadata(path).ok();
    let mut tmp = temp_in(dir, meta.as_ref())?;
    if let Some(e) = fault("prepare", path) {
        return Err(Error::io("write", tmp.path(), e));
    }
    tmp.write_all(bytes)
        .map_err(|e| Error::io("write", tmp.path(), e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| Error::io("write", tmp.path(), e))?;
    Ok((tmp, old))
}

/// Creates `path` with `bytes`, refusing to replace a file that exists (a draft never
/// overwrites another). New files get the umask's mode.
pub(crate) fn create_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let _critical = interrupt::critical();
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(folder).map_err(|e| Error::io("create", folder, e))?;
    let mut tmp = temp_in(folder, None)?;
    tmp.write_all(bytes)
        .map_err(|e| Error::io("write", tmp.path(), e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| Error::io("write", tmp.path(), e))?;
    if let Some(e) = injected("prepare", path) {
        return Err(Error::io("write", tmp.path(), e));
    }
    if interrupt::pending() {
        return Err(Error::Interrupted);
    }
    tmp.persist_noclobber(path)
        .map_err(|e| Error::io("create", path, e.error))?;
    interrupt::committed();
    Ok(())
}

/// Removes the temporary files a killed command left under `dir` (a signal or a failure never
/// leaves one; `kill -9` or a power cut can): those older than a minute, which no running
/// command is still writing. Called under the book's lock; returns the files removed.
pub(crate) fn remove_stale_temps(dir: &Path) -> Vec<PathBuf> {
    let is_temp = |name: &str| name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX);
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| {
            // Generated and third-party trees hold no book file of ours.
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !matches!(name.as_ref(), ".git" | "target" | "node_modules")
        })
        .flatten()
        .filter(|e| e.file_type().is_file() && is_temp(&e.file_name().to_string_lossy()))
        // The renderer writes the site's data files without the book's lock, and a nested
        // book has a lock of its own: a temporary file a minute old belongs to nobody.
        .filter(|e| {
            e.metadata()
                .ok()
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > std::time::Duration::from_secs(60))
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .map(walkdir::DirEntry::into_path)
        .collect()
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
/// files whose path ends with `SUFFIX`; `signal-STEP:SUFFIX` instead sends the process SIGINT
/// at that step, as Ctrl-C would, and goes on once the handler has seen it. Release builds
/// have no such hook.
pub(crate) fn injected(step: &str, path: &Path) -> Option<std::io::Error> {
    if !cfg!(debug_assertions) {
        return None;
    }
    let spec = std::env::var("MDBOOK_EP_FAULT").ok()?;
    let (at, suffix) = spec.split_once(':')?;
    if !path.to_string_lossy().ends_with(suffix) {
        return None;
    }
    if at.strip_prefix("signal-") == Some(step) {
        signal_self();
        return None;
    }
    (at == step).then(|| std::io::Error::other(format!("injected failure ({spec})")))
}

/// SIGINT to this process through `kill`, then a wait until the handler has run.
fn signal_self() {
    let pid = std::process::id().to_string();
    let _ = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status();
    for _ in 0..200 {
        if interrupt::pending() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_relative_to_a_folder() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(
            relative(&p("/r/.github/CODEOWNERS"), &p("/r")),
            Some(p(".github/CODEOWNERS"))
        );
        assert_eq!(
            relative(&p("/r/.github/CODEOWNERS"), &p("/r/sub/book")),
            Some(p("../../.github/CODEOWNERS"))
        );
        assert_eq!(relative(&p("/r/book"), &p("/r/book")), Some(p("")));
        // Nothing shared but the root: absolute is clearer than `../../..`.
        assert_eq!(relative(&p("/a/x"), &p("/b/y")), None);
    }

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

    #[cfg(unix)]
    #[test]
    fn new_files_get_the_umasks_mode_and_links_stay_links() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        // What the umask gives a new file, as any program creating one would get.
        let probe = dir.path().join("probe");
        std::fs::File::create(&probe).unwrap();
        let created = dir.path().join("eps.json");
        write_atomic(&created, b"{}").unwrap();
        assert_eq!(mode(&created), mode(&probe));
        assert_ne!(mode(&created), 0o600, "not tempfile's private mode");

        let target = dir.path().join("real.md");
        std::fs::write(&target, "old").unwrap();
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink("real.md", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn the_owner_stays_when_root_writes() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("README.md");
        std::fs::write(&file, "old").unwrap();
        if std::os::unix::fs::chown(&file, Some(4321), Some(4321)).is_err() {
            return; // Not root: nobody else's files can be written anyway.
        }
        write_atomic(&file, b"new").unwrap();
        let meta = std::fs::metadata(&file).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (4321, 4321));
    }
}

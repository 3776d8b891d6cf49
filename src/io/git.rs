//! The few git facts commands need, from the `git` program run without a shell.

use std::path::Path;
use std::process::Command;

use crate::error::{Error, Result};

/// Runs `git ARGS` in `dir`; `Ok(None)` when git ran but failed (not a repository, no such
/// setting), an error when git cannot be run at all.
pub(crate) fn output(dir: &Path, args: &[&str]) -> Result<Option<String>> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| {
            Error::Git(format!(
                "cannot run `git` ({e}); install git or pass the value explicitly"
            ))
        })?;
    if !out.status.success() {
        return Ok(None);
    }
    Ok(Some(
        String::from_utf8_lossy(&out.stdout).trim().to_string(),
    ))
}

/// The configured `user.name`, the default author of a new EP.
pub(crate) fn user_name(dir: &Path) -> Result<Option<String>> {
    Ok(output(dir, &["config", "--get", "user.name"])?.filter(|s| !s.is_empty()))
}

/// Whether `dir` is inside a git work tree.
pub(crate) fn in_work_tree(dir: &Path) -> Result<bool> {
    Ok(output(dir, &["rev-parse", "--is-inside-work-tree"])?.as_deref() == Some("true"))
}

/// `git mv -- FROM TO`, so history follows the file. A failure carries git's own message.
pub(crate) fn mv(dir: &Path, from: &Path, to: &Path) -> Result<()> {
    let (from, to) = (from.to_string_lossy(), to.to_string_lossy());
    let mut git = Command::new("git");
    git.args(["mv", "--", &from, &to]).current_dir(dir);
    // Ctrl-C at the terminal goes to the whole foreground group; in a group of its own, git
    // finishes the move, and mdbook-ep decides what the signal means (see `interrupt`).
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut git, 0);
    let out = git
        .output()
        .map_err(|e| Error::Git(format!("cannot run `git` ({e})")))?;
    if out.status.success() {
        return Ok(());
    }
    Err(Error::Git(format!(
        "`git mv -- {from} {to}` failed: {}",
        String::from_utf8_lossy(&out.stderr).trim()
    )))
}

/// Whether `rev` names a commit.
pub(crate) fn is_commit(dir: &Path, rev: &str) -> Result<bool> {
    Ok(output(
        dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &format!("{rev}^{{commit}}"),
        ],
    )?
    .is_some())
}

/// The contents of `paths` (relative to `dir`) at revision `rev`, `None` for a path that did not
/// exist then. One `git cat-file --batch` process for all of them.
pub(crate) fn read_at(
    dir: &Path,
    rev: &str,
    paths: &[std::path::PathBuf],
) -> Result<Vec<Option<String>>> {
    let objects: Vec<String> = paths
        .iter()
        .map(|p| format!("{rev}:./{}", p.to_string_lossy().replace('\\', "/")))
        .collect();
    read_objects(dir, &objects)
}

/// The contents of git objects (`rev:path` or a blob's id), `None` for one that does not exist
/// or is not a blob. One `git cat-file --batch` process for all of them.
pub(crate) fn read_objects(dir: &Path, objects: &[String]) -> Result<Vec<Option<String>>> {
    map_objects(dir, objects, |_, text| text.to_string())
}

/// [`read_objects`], keeping only `keep` of each blob's text (given with the object's index): a history's thousands of blobs
/// are read one at a time, and none is held after it is looked at.
pub(crate) fn map_objects<T>(
    dir: &Path,
    objects: &[String],
    mut keep: impl FnMut(usize, &str) -> T,
) -> Result<Vec<Option<T>>> {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::Stdio;
    let mut child = Command::new("git")
        .args(["cat-file", "--batch"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| Error::Git(format!("cannot run `git` ({e}); install git")))?;
    let mut input = String::new();
    for object in objects {
        input.push_str(object);
        input.push('\n');
    }
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| Error::Git("git cat-file has no stdin".into()))?;
    // Write from another thread so a large answer cannot deadlock against a full pipe.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| Error::Git("git cat-file has no stdout".into()))?;
    let mut reader = BufReader::new(stdout);
    let mut out = Vec::with_capacity(objects.len());
    let mut buf = Vec::new();
    for (i, _) in objects.iter().enumerate() {
        let mut header = String::new();
        reader
            .read_line(&mut header)
            .map_err(|e| Error::Git(format!("reading git cat-file: {e}")))?;
        // `<id> <kind> <size>` for an object; `<name> missing` (or `ambiguous`) otherwise, where
        // the name is what was asked and may hold spaces: read from the right.
        let header_line = header.trim_end();
        if header_line.ends_with(" missing") || header_line.ends_with(" ambiguous") {
            out.push(None);
            continue;
        }
        let fields: Vec<&str> = header_line.rsplitn(3, ' ').collect();
        match fields.as_slice() {
            [size, kind, _] => {
                let size: usize = size
                    .parse()
                    .map_err(|_| Error::Git(format!("unexpected git answer `{header}`")))?;
                buf.clear();
                buf.resize(size + 1, 0);
                reader
                    .read_exact(&mut buf)
                    .map_err(|e| Error::Git(format!("reading git cat-file: {e}")))?;
                buf.pop();
                out.push((*kind == "blob").then(|| keep(i, &String::from_utf8_lossy(&buf))));
            }
            _ => out.push(None),
        }
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(out)
}

//! The few git facts commands need, from the `git` program run without a shell.

use std::path::Path;
use std::process::Command;

use crate::error::{Error, Result};

/// Runs `git ARGS` in `dir`; `Ok(None)` when git ran but failed (not a repository, no such
/// setting), an error when git cannot be run at all.
pub fn output(dir: &Path, args: &[&str]) -> Result<Option<String>> {
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
pub fn user_name(dir: &Path) -> Result<Option<String>> {
    Ok(output(dir, &["config", "--get", "user.name"])?.filter(|s| !s.is_empty()))
}

/// Whether `dir` is inside a git work tree.
pub fn in_work_tree(dir: &Path) -> Result<bool> {
    Ok(output(dir, &["rev-parse", "--is-inside-work-tree"])?.as_deref() == Some("true"))
}

/// `git mv -- FROM TO`, so history follows the file.
pub fn mv(dir: &Path, from: &Path, to: &Path) -> Result<()> {
    let from = from.to_string_lossy();
    let to = to.to_string_lossy();
    match output(dir, &["mv", "--", &from, &to])? {
        Some(_) => Ok(()),
        None => Err(Error::Git(format!("`git mv -- {from} {to}` failed"))),
    }
}

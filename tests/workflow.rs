//! The author's commands against temporary books (and git repositories): happy paths,
//! refusals that leave files untouched, and results the validator accepts.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

fn in_dir(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn book() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("three-sigs"), tmp.path());
    tmp
}

#[test]
fn new_writes_a_valid_draft_from_the_template() {
    let tmp = book();
    let out = in_dir(
        tmp.path(),
        &[
            "new",
            "--sig",
            "beta",
            "--title",
            "Warm: caches & <more>",
            "--author",
            "@bea",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let path = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(
        path.contains("src/eps/beta/draft-") && path.ends_with("-warm-caches-more.md"),
        "{path}"
    );
    let text = std::fs::read_to_string(tmp.path().join(&path)).unwrap();
    assert!(text.contains("state: provisional\n"));
    assert!(text.contains("authors: ['@bea']\n"));
    assert!(text.contains("# Warm: caches & <more>\n"));
    let check = in_dir(tmp.path(), &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(stderr(&check).contains("checked 10 EP(s)"));
}

#[test]
fn new_refuses_unknown_sigs_and_never_overwrites() {
    let tmp = book();
    let out = in_dir(
        tmp.path(),
        &["new", "--sig", "delta", "--title", "X", "--author", "a"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("unknown SIG `delta`") && stderr(&out).contains("alpha, beta, gamma"),
        "{}",
        stderr(&out)
    );
    assert!(!tmp.path().join("src/eps/delta").exists());

    let first = in_dir(
        tmp.path(),
        &["new", "--sig", "alpha", "--title", "Same", "--author", "a"],
    );
    let path = tmp
        .path()
        .join(String::from_utf8(first.stdout).unwrap().trim());
    std::fs::write(&path, "edited by the author\n").unwrap();
    let again = in_dir(
        tmp.path(),
        &["new", "--sig", "alpha", "--title", "Same", "--author", "a"],
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "edited by the author\n"
    );
}

#[test]
fn new_takes_the_author_from_git() {
    let tmp = book();
    git(tmp.path(), &["init", "-q"]);
    git(tmp.path(), &["config", "user.name", "Grace Hopper"]);
    let out = in_dir(
        tmp.path(),
        &["new", "--sig", "gamma", "--title", "Compilers"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let path = tmp
        .path()
        .join(String::from_utf8(out.stdout).unwrap().trim());
    assert!(
        std::fs::read_to_string(path)
            .unwrap()
            .contains("authors: [Grace Hopper]\n")
    );
}

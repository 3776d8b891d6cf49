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

#[test]
fn state_follows_the_lifecycle_and_refuses_with_the_allowed_moves() {
    let tmp = book();
    let ep = tmp.path().join("src/eps/alpha/0001-first/README.md");
    let before = std::fs::read_to_string(&ep).unwrap();
    // Skipping steps is refused, with the moves that are allowed.
    let out = in_dir(tmp.path(), &["state", "1", "completed"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(
        "from `provisional` it can move to: implementable, deferred, rejected, withdrawn, replaced"
    ));
    // implementable needs approvers: the validator's rule refuses it, and nothing is written.
    let out = in_dir(tmp.path(), &["state", "1", "implementable"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("EP0501"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&ep).unwrap(), before);
    // A move that is allowed changes only the owned lines.
    let out = in_dir(tmp.path(), &["state", "EP-1", "deferred"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "EP-0001: provisional -> deferred"
    );
    let after = std::fs::read_to_string(&ep).unwrap();
    let diff = similar::TextDiff::from_lines(&before, &after);
    let mut removed = Vec::new();
    let mut added = Vec::new();
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Delete => removed.push(change.value().to_string()),
            similar::ChangeTag::Insert => added.push(change.value().to_string()),
            similar::ChangeTag::Equal => {}
        }
    }
    assert_eq!(removed, ["state: provisional\n"]);
    assert_eq!(added.len(), 2, "{added:?}");
    assert_eq!(added[0], "state: deferred\n");
    assert!(added[1].starts_with("last-updated: "), "{added:?}");
    // Final states stay final.
    let out = in_dir(tmp.path(), &["state", "5", "provisional"]);
    assert!(stderr(&out).contains("`completed` is final"));
}

#[test]
fn replaced_needs_by_and_records_the_link_on_both_eps() {
    let tmp = book();
    let out = in_dir(tmp.path(), &["state", "4", "replaced"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--by"));
    let out = in_dir(tmp.path(), &["state", "4", "replaced", "--by", "99"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("there is no EP-0099"));
    let out = in_dir(tmp.path(), &["state", "4", "replaced", "--by", "7"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let old =
        std::fs::read_to_string(tmp.path().join("src/eps/alpha/0004-fourth/README.md")).unwrap();
    let new = std::fs::read_to_string(tmp.path().join("src/eps/alpha/nested/0007-deep/README.md"))
        .unwrap();
    assert!(
        old.contains("state: replaced\n") && old.contains("replaced-by: [7]\n"),
        "{old}"
    );
    assert!(new.contains("replaces: [4]\n"), "{new}");
    assert_eq!(in_dir(tmp.path(), &["check"]).status.code(), Some(0));
}

#[test]
fn promote_numbers_a_draft_and_moves_it_with_git() {
    let tmp = book();
    git(tmp.path(), &["init", "-q"]);
    git(tmp.path(), &["add", "-A"]);
    git(
        tmp.path(),
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "commit",
            "-qm",
            "init",
        ],
    );
    let draft = "src/eps/beta/draft-2026-02-01-sooner.md";
    let out = in_dir(tmp.path(), &["promote", draft, "--number", "3"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("EP-0003 is already in use") && stderr(&out).contains("(8)"));
    let out = in_dir(tmp.path(), &["promote", draft]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let new = tmp.path().join("src/eps/beta/0008-sooner/README.md");
    assert!(
        std::fs::read_to_string(&new)
            .unwrap()
            .contains("number: 8\n")
    );
    assert!(!tmp.path().join(draft).exists());
    let status = Command::new("git")
        .args(["status", "--short"])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&status.stdout).contains(
            "R  src/eps/beta/draft-2026-02-01-sooner.md -> src/eps/beta/0008-sooner/README.md"
        ) || String::from_utf8_lossy(&status.stdout).contains(
            "RM src/eps/beta/draft-2026-02-01-sooner.md -> src/eps/beta/0008-sooner/README.md"
        ),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
    assert_eq!(in_dir(tmp.path(), &["check"]).status.code(), Some(0));
    // A numbered EP is not promoted again.
    let out = in_dir(
        tmp.path(),
        &["promote", "src/eps/beta/0008-sooner/README.md"],
    );
    assert!(stderr(&out).contains("already numbered"));
}

#[test]
fn codeowners_block_is_written_checked_and_leaves_other_lines_alone() {
    let tmp = book();
    git(tmp.path(), &["init", "-q"]);
    let file = tmp.path().join(".github/CODEOWNERS");
    write(&file, "# Team rules\n* @platform-team\n/docs/ @writers\n");
    let out = in_dir(tmp.path(), &["codeowners", "--check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let out = in_dir(tmp.path(), &["codeowners", "--write"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with(
            "# Team rules\n* @platform-team\n/docs/ @writers\n\n# mdbook-ep:codeowners"
        ),
        "{text}"
    );
    assert!(text.contains("\n/src/eps/alpha/ @ann @rob\n/src/eps/beta/ @bea\n/src/eps/gamma/ @gil\n# /mdbook-ep:codeowners\n"), "{text}");
    assert_eq!(
        in_dir(tmp.path(), &["codeowners", "--check"]).status.code(),
        Some(0)
    );
    in_dir(tmp.path(), &["codeowners", "--write"]);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        text,
        "a second run changes nothing"
    );
}

#[test]
fn install_edits_book_toml_keeping_comments_and_is_idempotent() {
    let tmp = tempfile::tempdir().unwrap();
    let toml = "# Our handbook\n[book]\ntitle = \"Handbook\" # keep\n\n[output.html]\n# dark by default\ndefault-theme = \"navy\"\n";
    write(&tmp.path().join("book.toml"), toml);
    write(
        &tmp.path().join("src/SUMMARY.md"),
        "# Summary\n\n- [Intro](intro.md)\n",
    );
    write(&tmp.path().join("src/intro.md"), "# Intro\n");
    assert_eq!(
        in_dir(tmp.path(), &["install", "--check"]).status.code(),
        Some(1)
    );
    let out = in_dir(tmp.path(), &["install"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let after = std::fs::read_to_string(tmp.path().join("book.toml")).unwrap();
    assert!(
        after.starts_with("# Our handbook\n[book]\ntitle = \"Handbook\" # keep\n"),
        "{after}"
    );
    assert!(
        after
            .contains("# dark by default\ndefault-theme = \"navy\"\nadditional-css = [\"ep.css\"]"),
        "{after}"
    );
    assert!(after.contains("[preprocessor.ep]"));
    let css = std::fs::read_to_string(tmp.path().join("ep.css")).unwrap();
    assert!(css.starts_with("/* mdbook-ep stylesheet") && css.contains(".ep-badge"));
    assert_eq!(
        in_dir(tmp.path(), &["install", "--check"]).status.code(),
        Some(0)
    );
    in_dir(tmp.path(), &["install"]);
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("book.toml")).unwrap(),
        after
    );
    // The book builds with the stylesheet.
    let (out, dest) = build(tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = std::fs::read_to_string(dest.path().join("intro.html")).unwrap();
    assert!(
        page.contains("ep-") && page.contains(".css"),
        "stylesheet not linked"
    );
    // A user's own ep.css is never overwritten.
    std::fs::write(tmp.path().join("ep.css"), "/* mine */\n").unwrap();
    let out = in_dir(tmp.path(), &["install"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("ep.css")).unwrap(),
        "/* mine */\n"
    );
}

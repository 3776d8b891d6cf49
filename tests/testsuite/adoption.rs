//! The adoption guide (`book/guide/adoption.md`) as a test: every command on the page runs, in
//! order, on a repository of the shape its section starts from, with the real `mdbook` CLI.
//!
//! The page marks what the test needs in HTML comments the book does not show:
//! `<!-- test: start from DIR -->` (a fixture folder, or `the KEP sample`) starts a section in
//! a fresh git repository; `<!-- test: write book.toml -->` and `<!-- test: append to
//! book.toml -->` apply the next `toml` block. Each `sh` block runs with `bash -euo pipefail`;
//! a command whose comment says `# fails` must exit non-zero, every other one must succeed.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::book_test::*;

/// One step of a section.
#[derive(Debug)]
enum Step {
    Shell(String),
    WriteToml { text: String, append: bool },
}

#[derive(Debug)]
struct Section {
    start: String,
    steps: Vec<Step>,
}

/// The sections of the guide with their steps, in order.
fn sections(guide: &str) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    let mut pending_toml: Option<bool> = None;
    let mut lines = guide.lines();
    while let Some(line) = lines.next() {
        let t = line.trim();
        if let Some(start) = t
            .strip_prefix("<!-- test: start from ")
            .and_then(|r| r.strip_suffix("-->"))
        {
            out.push(Section {
                start: start.trim().to_string(),
                steps: Vec::new(),
            });
        } else if t == "<!-- test: write book.toml -->" {
            pending_toml = Some(false);
        } else if t == "<!-- test: append to book.toml -->" {
            pending_toml = Some(true);
        } else if let Some(lang) = t.strip_prefix("```").filter(|l| !l.is_empty()) {
            let mut body = String::new();
            for l in lines.by_ref() {
                if l.trim() == "```" {
                    break;
                }
                body.push_str(l);
                body.push('\n');
            }
            let Some(section) = out.last_mut() else {
                continue;
            };
            match lang {
                "sh" => section.steps.push(Step::Shell(body)),
                "toml" => {
                    if let Some(append) = pending_toml.take() {
                        section.steps.push(Step::WriteToml { text: body, append });
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// A shell block with each `# fails` command turned into a check that it fails.
fn script(block: &str) -> String {
    let mut out = String::from("set -euo pipefail\n");
    for line in block.lines() {
        match line.split_once("# fails") {
            Some((cmd, _)) if !cmd.trim().is_empty() => {
                let cmd = cmd.trim();
                out.push_str(&format!(
                    "if {cmd}; then echo \"expected to fail: {}\" >&2; exit 1; fi\n",
                    cmd.replace('"', "\\\"")
                ));
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// A fresh git repository holding the section's starting point.
fn start(from: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    if from == "the KEP sample" {
        copy_dir(&kep_sample_dir(), &dir.path().join("keps"));
    } else {
        copy_dir(&repo().join(from), dir.path());
    }
    git_at(dir.path(), None, &["init", "-q"]);
    git_at(dir.path(), None, &["add", "-A"]);
    git_at(
        dir.path(),
        Some("2024-05-01"),
        &["commit", "-q", "-m", "before mdbook-ep"],
    );
    dir
}

#[test]
fn every_command_of_the_adoption_guide_does_what_it_says() {
    // The guide builds with the real mdbook; without it there is nothing to show.
    if mdbook_cli().is_none() {
        return;
    }
    let guide = read(&repo().join("book/guide/adoption.md"));
    let sections = sections(&guide);
    assert_eq!(sections.len(), 3, "{sections:#?}");
    let path = path_with_bin();
    for section in &sections {
        assert!(!section.steps.is_empty(), "{} has no steps", section.start);
        let dir = start(&section.start);
        for step in &section.steps {
            match step {
                Step::WriteToml { text, append } => {
                    let file = dir.path().join("book.toml");
                    let mut old = if *append { read(&file) } else { String::new() };
                    old.push_str(text);
                    std::fs::write(&file, old).unwrap();
                }
                Step::Shell(block) => {
                    let out = Command::new("bash")
                        .arg("-c")
                        .arg(script(block))
                        .current_dir(dir.path())
                        .env("PATH", &path)
                        .env("NO_COLOR", "1")
                        .env_remove("MDBOOK_LOG")
                        .output()
                        .unwrap();
                    assert!(
                        out.status.success(),
                        "{}: this block failed:\n{block}\n--- stdout\n{}\n--- stderr\n{}",
                        section.start,
                        stdout(&out),
                        stderr(&out)
                    );
                }
            }
        }
        check_outcome(&section.start, dir.path());
    }
}

/// What each section promises beyond "every command did as the comment says".
fn check_outcome(start: &str, dir: &Path) {
    let site = dir.join("book");
    let exists = |rel: &str| {
        let p: PathBuf = site.join(rel);
        assert!(p.is_file(), "{start}: {} was not built", p.display());
    };
    match start {
        s if s.ends_with("handbook") => {
            exists("guides/on-call.html");
            exists("eps/platform/0001-cache-build-artefacts/index.html");
        }
        "the KEP sample" => {
            exists("keps/sig-apps/1591-daemonset-surge/index.html");
            assert!(dir.join("ep-baseline.toml").is_file());
            assert!(dir.join("docs/keps").is_symlink());
        }
        s if s.ends_with("rfcs") => {
            exists("text/core/0003-closure-syntax/index.html");
            let rfc = read(&dir.join("text/core/0003-closure-syntax/README.md"));
            assert!(
                rfc.starts_with("---\ntitle: \"closure_syntax\"\nnumber: 3\nauthors: [\"t\"]\n"),
                "{rfc}"
            );
            assert!(!rfc.contains("- Start Date:"), "{rfc}");
            // Staged as renames: the RFCs' history follows them.
            let status = Command::new("git")
                .args(["status", "--porcelain"])
                .current_dir(dir)
                .output()
                .unwrap();
            assert!(
                stdout(&status).contains(
                    "text/0001-private-fields.md -> text/core/0001-private-fields/README.md"
                ),
                "{}",
                stdout(&status)
            );
        }
        other => panic!("no outcome for {other}"),
    }
}

/// The README's five-minute path, as written, on a book `mdbook init` could have made (the
/// `cargo install` line is the one step left out: the binary under test is on PATH).
#[test]
fn the_readme_quickstart_gets_a_first_ep_into_the_book() {
    if mdbook_cli().is_none() {
        return;
    }
    let readme = read(&repo().join("README.md"));
    let section = &readme[readme
        .find("## Five minutes")
        .expect("the README has its quickstart")..];
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a sh block");
    let steps: String = block
        .lines()
        .filter(|l| !l.starts_with("cargo install"))
        .map(|l| format!("{l}\n"))
        .collect();
    let dir = start("tests/fixtures/adoption/handbook");
    let path = path_with_bin();
    let out = Command::new("bash")
        .arg("-c")
        .arg(script(&steps))
        .current_dir(dir.path())
        .env("PATH", &path)
        .env("NO_COLOR", "1")
        .env("MDBOOK_EP_TODAY", TODAY)
        .output()
        .unwrap();
    assert!(out.status.success(), "{steps}\n{}", stderr(&out));
    let drafts: Vec<_> = std::fs::read_dir(dir.path().join("book/eps/platform"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with("-cache-build-artefacts.html"))
        .collect();
    assert_eq!(drafts.len(), 1, "the draft's page was not built");
}

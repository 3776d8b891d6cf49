//! The CI page's workflow files (`book/guide/ci/*.yml`) work as pasted: they parse, and every
//! command they run passes on a pull request that adds a draft to a book set up as the README's
//! quickstart does, after the page's one-time step. A pull request that forgot a step fails.

use std::path::Path;
use std::process::Command;

use serde_yaml::Value;

use crate::book_test::*;

/// The one-time step of the CI page: the `sh` block after `<!-- test: one-time -->`.
fn one_time_step() -> Vec<String> {
    let page = read(&repo().join("book/guide/ci.md"));
    let (_, after) = page
        .split_once("<!-- test: one-time -->")
        .expect("ci.md marks its one-time step");
    let block = after
        .split_once("```sh\n")
        .and_then(|(_, b)| b.split_once("```"))
        .expect("an sh block after the marker")
        .0;
    shell_lines(block)
}

/// The commands of a script, without comment lines; a multi-line `if` stays one command.
fn shell_lines(script: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for line in script.lines().filter(|l| !l.trim().is_empty()) {
        if line.trim_start().starts_with('#') {
            continue;
        }
        if open {
            let last = out.last_mut().unwrap();
            last.push('\n');
            last.push_str(line);
        } else {
            out.push(line.to_string());
        }
        if line.trim_start().starts_with("if ") {
            open = true;
        } else if line.trim() == "fi" {
            open = false;
        }
    }
    out
}

/// Runs one command as the CI runner would (bash, in the checkout), with the binary under test
/// installed. `cargo install` lines are read, not run: they must install mdBook 0.5 and
/// mdbook-ep.
fn run_step(dir: &Path, command: &str, env: &[(&str, &str)]) -> std::process::Output {
    if let Some(rest) = command.trim().strip_prefix("cargo install ") {
        assert!(
            rest == "mdbook --version '^0.5' --locked" || rest == "mdbook-ep --locked",
            "an unexpected install: {command}"
        );
        return Command::new("true").output().unwrap();
    }
    let mut cmd = shell(dir, command);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("bash")
}

/// A repository whose `main` holds a quickstart book after the one-time step, and a clone of
/// it on a branch that adds one draft, as a pull request would.
fn pull_request(
    summary_written: bool,
    also_once: &[&str],
) -> (tempfile::TempDir, tempfile::TempDir) {
    let origin = tempfile::tempdir().unwrap();
    let o = origin.path();
    write(&o.join("book.toml"), "[book]\ntitle = \"Handbook\"\n");
    write(
        &o.join("src/SUMMARY.md"),
        "# Summary\n\n- [Intro](intro.md)\n",
    );
    write(&o.join("src/intro.md"), "# Intro\n");
    git_at(o, None, &["init", "-q", "-b", "main"]);
    for args in [
        &["install", "--sig", "platform"][..],
        &[
            "new",
            "--sig",
            "platform",
            "--title",
            "Cache builds",
            "--author",
            "@ana",
        ],
    ] {
        let out = run_in(o, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    // The page's workflow deploys `book/html`: the book has a second renderer, and a SIG
    // registry with owners for CODEOWNERS.
    let mut toml = read(&o.join("book.toml"));
    toml.push_str("\n[preprocessor.ep.sigs.platform]\napprovers = [\"@ana\"]\n\n[output.ep]\n");
    write(&o.join("book.toml"), toml);
    // `also_once` first: the step's last line commits.
    for command in also_once
        .iter()
        .copied()
        .chain(one_time_step().iter().map(String::as_str))
    {
        let out = run_step(o, command, &[]);
        assert!(out.status.success(), "{command}: {}", stderr(&out));
    }
    let work = tempfile::tempdir().unwrap();
    let w = work.path();
    let clone = Command::new("git")
        .args(["clone", "-q"])
        .arg(o)
        .arg(w)
        .output()
        .unwrap();
    assert!(clone.status.success(), "{}", stderr(&clone));
    git_at(w, None, &["checkout", "-q", "-b", "second-ep"]);
    let out = run_in(
        w,
        &[
            "new",
            "--sig",
            "platform",
            "--title",
            "Warm caches",
            "--author",
            "@bo",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    if summary_written {
        let out = run_in(w, &["summary", "--write"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    git_at(w, None, &["add", "-A"]);
    git_at(w, None, &["commit", "-q", "-m", "A second EP"]);
    (origin, work)
}

fn parse(file: &str) -> Value {
    let text = read(&repo().join("book/guide/ci").join(file));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The commands of the GitHub workflow's `check` job on a pull request, in order, with the
/// expressions a pull request into `main` gives.
fn github_commands() -> (Vec<String>, String) {
    let workflow = parse("github-actions.yml");
    let steps = workflow["jobs"]["check"]["steps"]
        .as_sequence()
        .expect("jobs.check.steps");
    let mut commands = Vec::new();
    let mut artifact = None;
    for step in steps {
        let condition = step["if"].as_str().unwrap_or("");
        if let Some(path) = step["with"]["path"].as_str() {
            artifact = Some(path.to_string());
        }
        if condition.contains("refs/heads/main") {
            continue;
        }
        if let Some(run) = step["run"].as_str() {
            let run = run.replace("${{ github.base_ref }}", "main");
            assert!(
                !run.contains("${{"),
                "an expression the test does not know: {run}"
            );
            commands.extend(shell_lines(&run));
        }
    }
    (commands, artifact.expect("an artifact path"))
}

#[test]
fn the_github_workflow_passes_on_a_pull_request_and_deploys_the_html() {
    let workflow = parse("github-actions.yml");
    assert_eq!(workflow["jobs"]["deploy"]["needs"].as_str(), Some("check"));
    assert_eq!(
        workflow["jobs"]["check"]["steps"][0]["with"]["fetch-depth"].as_i64(),
        Some(0)
    );
    let (commands, artifact) = github_commands();
    assert!(
        commands
            .iter()
            .any(|c| c.starts_with("mdbook-ep check --base"))
    );
    if mdbook_cli().is_none() {
        return;
    }
    let (_origin, work) = pull_request(true, &[]);
    for command in &commands {
        let out = run_step(work.path(), command, &[]);
        assert!(
            out.status.success(),
            "{command}: {}{}",
            stdout(&out),
            stderr(&out)
        );
    }
    assert!(work.path().join(&artifact).join("index.html").is_file());
    assert!(work.path().join("book/ep/eps.json").is_file());
}

#[test]
fn the_github_workflow_fails_a_pull_request_that_skipped_summary_write() {
    let (commands, _) = github_commands();
    let (_origin, work) = pull_request(false, &[]);
    let failed = commands
        .iter()
        .find(|c| !run_step(work.path(), c, &[]).status.success());
    assert_eq!(
        failed.map(String::as_str),
        Some("mdbook-ep summary --check")
    );
}

#[test]
fn the_gitlab_pipeline_passes_on_a_merge_request_and_publishes_public() {
    let pipeline = parse("gitlab-ci.yml");
    assert_eq!(pipeline["variables"]["GIT_DEPTH"].as_i64(), Some(0));
    let script = |job: &str| -> Vec<String> {
        let mut lines = Vec::new();
        for part in ["before_script", "script"] {
            let from = if part == "before_script" {
                &pipeline["default"][part]
            } else {
                &pipeline[job][part]
            };
            for line in from.as_sequence().unwrap_or(&Vec::new()) {
                lines.extend(shell_lines(line.as_str().expect("a script line")));
            }
        }
        lines
    };
    let (eps, pages) = (script("eps"), script("pages"));
    assert!(eps.iter().any(|c| c.contains("mdbook-ep check --base")));
    if mdbook_cli().is_none() {
        return;
    }
    // GitLab reads CODEOWNERS from `.gitlab/`, as the one-time step says.
    let (_origin, work) = pull_request(true, &["mdbook-ep codeowners --write .gitlab/CODEOWNERS"]);
    let merge_request = [("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main")];
    for command in eps.iter().chain(&pages) {
        let out = run_step(work.path(), command, &merge_request);
        assert!(
            out.status.success(),
            "{command}: {}{}",
            stdout(&out),
            stderr(&out)
        );
    }
    assert!(work.path().join("public/index.html").is_file());
}

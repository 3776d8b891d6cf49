//! `mdbook-ep check`: the same rules as the build, exit codes for CI, JSON and GitHub formats.

mod common;

use common::*;

fn check(dir: &std::path::Path, format: &str) -> std::process::Output {
    run(&["check", dir.to_str().unwrap(), "--format", format], None)
}

#[test]
fn a_clean_book_exits_0_and_the_demo_book_is_clean() {
    let out = run(&["check", repo().to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("checked 10 EP(s): 0 error(s), 0 warning(s)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_agrees_with_the_build_on_every_rule_fixture() {
    for entry in std::fs::read_dir(fixtures().join("rules")).unwrap() {
        let dir = entry.unwrap().path();
        let expect = std::fs::read_to_string(dir.join("expect.txt")).unwrap();
        let out = check(&dir, "human");
        let err = stderr(&out);
        let has_error = expect.lines().any(|l| l.starts_with("error"));
        assert_eq!(
            out.status.code(),
            Some(if has_error { 1 } else { 0 }),
            "{}: {err}",
            dir.display()
        );
        for line in expect.lines().filter(|l| !l.is_empty()) {
            let mut parts = line.split_whitespace();
            let (sev, code) = (parts.next().unwrap(), parts.next().unwrap());
            assert!(
                err.contains(&format!("{sev}[{code}]")),
                "{}: {err}",
                dir.display()
            );
            if let Some(loc) = parts.next() {
                // Paths are shown relative to where the command runs.
                assert!(
                    err.contains(&format!("{}/{loc}", dir.display())),
                    "{}: {err}",
                    dir.display()
                );
            }
        }
    }
}

#[test]
fn json_follows_the_documented_schema() {
    let dir = fixtures().join("rules/EP0102-unknown-state");
    let out = check(&dir, "json");
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("stdout is one JSON document");
    assert_eq!(json["schema-version"], 1);
    assert_eq!(json["tool"], "mdbook-ep");
    assert_eq!(json["eps"], 1);
    assert_eq!(json["errors"], 1);
    let d = &json["diagnostics"][0];
    for key in [
        "code", "severity", "message", "file", "line", "column", "help", "ep",
    ] {
        assert!(d.get(key).is_some(), "missing {key}");
    }
    assert_eq!(d["code"], "EP0102");
    assert_eq!(d["line"], 6);
    assert_eq!(d["column"], 8);
    assert!(
        d["file"]
            .as_str()
            .unwrap()
            .ends_with("src/eps/devex/0001-good/README.md")
    );
    // The documentation lists the same fields.
    let doc = std::fs::read_to_string(repo().join("book/guide/ci.md")).unwrap();
    for key in [
        "schema-version",
        "tool",
        "version",
        "eps",
        "errors",
        "warnings",
        "code",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "help",
        "ep",
    ] {
        assert!(
            doc.contains(&format!("`{key}`")),
            "book/guide/ci.md does not document `{key}`"
        );
    }
}

#[test]
fn github_format_prints_workflow_commands() {
    let dir = fixtures().join("rules/EP0102-unknown-state");
    let out = check(&dir, "github");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(&format!(
            "::error file={}/src/eps/devex/0001-good/README.md,line=6,col=8,title=EP0102",
            dir.display()
        )),
        "{text}"
    );
    assert!(
        text.contains("::unknown state \"implementd\"%0Ahelp: did you mean \"implemented\"?"),
        "{text}"
    );
}

#[test]
fn configuration_errors_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("rules/EP0102-unknown-state"), tmp.path());
    let toml = std::fs::read_to_string(tmp.path().join("book.toml")).unwrap();
    write(
        &tmp.path().join("book.toml"),
        format!("{toml}\n[preprocessor.ep.toc]\nmax-level = 9\n"),
    );
    let out = check(tmp.path(), "human");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("error[EP0001]"));
}

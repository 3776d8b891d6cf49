//! One fixture book per rule under tests/fixtures/rules/: each must make `mdbook-ep build` report
//! exactly the documented code at the documented place, and fail when the rule is an error.

mod common;

use common::*;

#[test]
fn every_rule_fixture_reports_its_code_file_and_line() {
    let mut dirs: Vec<_> = std::fs::read_dir(fixtures().join("rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= 25,
        "expected a fixture per rule, found {}",
        dirs.len()
    );
    let mut failures = Vec::new();
    for dir in &dirs {
        let expect = std::fs::read_to_string(dir.join("expect.txt")).unwrap();
        let (out, _dest) = build(dir);
        let err = stderr(&out);
        let mut any_error = false;
        for line in expect.lines().filter(|l| !l.trim().is_empty()) {
            let mut parts = line.split_whitespace();
            let (sev, code, loc) = (parts.next().unwrap(), parts.next().unwrap(), parts.next());
            any_error |= sev == "error";
            let header = format!("{sev}[{code}]");
            if !err.contains(&header) {
                failures.push(format!("{}: missing `{header}` in:\n{err}", dir.display()));
            }
            if let Some(loc) = loc
                && !err.contains(loc)
            {
                failures.push(format!(
                    "{}: missing location `{loc}` in:\n{err}",
                    dir.display()
                ));
            }
            if !err.contains("help:") && loc.is_some() {
                failures.push(format!("{}: no help line in:\n{err}", dir.display()));
            }
        }
        let expected_code = if any_error { Some(1) } else { Some(0) };
        if out.status.code() != expected_code {
            failures.push(format!(
                "{}: exit {:?}, expected {expected_code:?}\n{err}",
                dir.display(),
                out.status.code()
            ));
        }
        if any_error && !err.contains("error[EP0009]") {
            failures.push(format!("{}: no summary line\n{err}", dir.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_problem_is_reported_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path();
    copy_dir(&fixtures().join("rules/EP0102-unknown-state"), book);
    let ep = book.join("src/eps/devex/0001-good/README.md");
    let text = std::fs::read_to_string(&ep)
        .unwrap()
        .replace(
            "creation-date: 2026-01-05",
            "creation-date: 2026-13-01\ncolour: red",
        )
        .replace("## Motivation", "## Motive");
    write(&ep, text);
    let (out, _dest) = build(book);
    let err = stderr(&out);
    for code in [
        "error[EP0102]",
        "error[EP0201]",
        "warning[EP0105]",
        "error[EP0601]",
    ] {
        assert!(err.contains(code), "missing {code} in\n{err}");
    }
    assert!(err.contains("3 error(s)"), "{err}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn the_error_index_documents_every_code() {
    let index = std::fs::read_to_string(repo().join("book/guide/error-index.md")).unwrap();
    for rule in mdbook_ep::diagnostic::Rule::ALL {
        let heading = format!("### {}: ", rule.code());
        assert!(index.contains(&heading), "error index lacks `{heading}`");
        let fixture_prefix = format!("{}-", rule.code());
        let has_fixture = std::fs::read_dir(fixtures().join("rules"))
            .unwrap()
            .any(|e| {
                e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with(&fixture_prefix)
            });
        // Made at run time instead: a symbolic link loop (bad_input.rs) and git history
        // (check.rs).
        assert!(
            has_fixture || ["EP0011", "EP0503"].contains(&rule.code()),
            "no fixture for {}",
            rule.code()
        );
    }
    for code in [
        "EP0001", "EP0004", "EP0007", "EP0008", "EP0009", "EP0010", "EP0012", "EP0013",
    ] {
        assert!(
            index.contains(&format!("### {code}: ")),
            "error index lacks {code}"
        );
    }
}

#[test]
fn an_exemption_with_a_reason_silences_one_rule_for_one_ep() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path();
    copy_dir(&fixtures().join("rules/EP0601-missing-section"), book);
    let ep = book.join("src/eps/devex/0001-good/README.md");
    let text = std::fs::read_to_string(&ep).unwrap().replace(
        "creation-date: 2026-01-05\n",
        "creation-date: 2026-01-05\nexempt:\n  EP0601: \"written before the template had a Motivation section\"\n",
    );
    write(&ep, text);
    let (out, _dest) = build(book);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("EP0601"), "{}", stderr(&out));
}

#[test]
fn a_rule_lowered_in_book_toml_warns_instead_of_failing() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path();
    copy_dir(&fixtures().join("rules/EP0601-missing-section"), book);
    let toml = std::fs::read_to_string(book.join("book.toml")).unwrap();
    write(
        &book.join("book.toml"),
        format!("{toml}\n[preprocessor.ep.rules]\nEP0601 = \"warn\"\n"),
    );
    let (out, _dest) = build(book);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("warning[EP0601]"), "{}", stderr(&out));
}

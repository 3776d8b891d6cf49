//! One fixture book per rule under tests/fixtures/rules/: each must make `mdbook-ep build` report
//! the documented code at the documented place, and fail when the rule is an error; and
//! `check` must report exactly the problems `expect.txt` lists (one `severity CODE file:line`
//! line each, the column optional), nothing more, each with its own help.

use mdbook_ep::Rule;

use crate::book_test::*;

#[test]
fn every_rule_fixture_reports_its_code_file_and_line() {
    let mut dirs: Vec<_> = std::fs::read_dir(fixture("rules"))
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
    for fixture_dir in &dirs {
        // A copy outside this repository: git's history of the fixture files (EP0504 reads
        // it) is this project's, not the fixture's.
        let copy = BookTest::empty();
        copy_dir(fixture_dir, copy.path());
        let dir = &copy.path().to_path_buf();
        let expect = read(&dir.join("expect.txt"));
        let built = build(dir);
        let err = built.stderr();
        let mut any_error = false;
        for line in expect.lines().filter(|l| !l.trim().is_empty()) {
            let mut parts = line.split_whitespace();
            let (sev, code, loc) = (parts.next().unwrap(), parts.next().unwrap(), parts.next());
            any_error |= sev == "error";
            let header = format!("{sev}[{code}]");
            if !err.contains(&header) {
                failures.push(format!(
                    "{}: missing `{header}` in:\n{err}",
                    fixture_dir.display()
                ));
            }
            if let Some(loc) = loc
                && !err.contains(loc)
            {
                failures.push(format!(
                    "{}: missing location `{loc}` in:\n{err}",
                    fixture_dir.display()
                ));
            }
            if !err.contains("help:") && loc.is_some() {
                failures.push(format!(
                    "{}: no help line in:\n{err}",
                    fixture_dir.display()
                ));
            }
        }
        // Exactly these: every problem `check` reports is listed, with its place, and carries
        // its own help.
        let out = run_in(dir, &["check", "--format", "json"]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{}: {e}: {}", fixture_dir.display(), stderr(&out)));
        let mut actual: Vec<String> = Vec::new();
        for d in json["diagnostics"].as_array().unwrap() {
            let mut entry = format!(
                "{} {}",
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap()
            );
            if let (Some(file), Some(line), Some(col)) =
                (d["file"].as_str(), d["line"].as_u64(), d["column"].as_u64())
            {
                entry.push_str(&format!(" {file}:{line}:{col}"));
                if d["help"].as_str().is_none_or(str::is_empty) {
                    failures.push(format!("{}: {entry} has no help", fixture_dir.display()));
                }
            }
            actual.push(entry);
        }
        let mut expected: Vec<&str> = expect.lines().filter(|l| !l.trim().is_empty()).collect();
        expected.sort();
        actual.sort();
        let matches = |exp: &str, act: &str| act == exp || act.starts_with(&format!("{exp}:"));
        let exact = expected.len() == actual.len()
            && expected.iter().zip(&actual).all(|(e, a)| matches(e, a));
        if !exact {
            failures.push(format!(
                "{}: expected exactly\n  {}\nfound\n  {}",
                fixture_dir.display(),
                expected.join("\n  "),
                actual.join("\n  ")
            ));
        }
        let expected_code = if any_error { Some(1) } else { Some(0) };
        if built.code() != expected_code {
            failures.push(format!(
                "{}: exit {:?}, expected {expected_code:?}\n{err}",
                fixture_dir.display(),
                built.code()
            ));
        }
        if any_error && !err.contains("error[EP0009]") {
            failures.push(format!("{}: no summary line\n{err}", fixture_dir.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_problem_is_reported_at_once() {
    let book = BookTest::from_fixture("rules/EP0102-unknown-state");
    book.edit("src/eps/devex/0001-good/README.md", |text| {
        text.replace(
            "creation-date: 2026-01-05",
            "creation-date: 2026-13-01\ncolour: red",
        )
        .replace("## Motivation", "## Motive")
    });
    let built = book.build();
    let err = built.stderr();
    for code in [
        "error[EP0102]",
        "error[EP0201]",
        "warning[EP0105]",
        "error[EP0601]",
    ] {
        assert!(err.contains(code), "missing {code} in\n{err}");
    }
    assert!(err.contains("3 errors"), "{err}");
    assert_eq!(built.code(), Some(1));
}

#[test]
fn the_error_index_documents_every_code() {
    let index = read(&repo().join("book/guide/error-index.md"));
    for rule in Rule::ALL {
        let heading = format!("### {}: ", rule.code());
        assert!(index.contains(&heading), "error index lacks `{heading}`");
        let fixture_prefix = format!("{}-", rule.code());
        let has_fixture = std::fs::read_dir(fixture("rules")).unwrap().any(|e| {
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
    let book = BookTest::from_fixture("rules/EP0601-missing-section");
    book.edit("src/eps/devex/0001-good/README.md", |text| {
        text.replace(
            "creation-date: 2026-01-05\n",
            "creation-date: 2026-01-05\nexempt:\n  EP0601: \"written before the template had a Motivation section\"\n",
        )
    });
    let built = book.build();
    built.assert_exit(0);
    assert!(!built.stderr().contains("EP0601"), "{}", built.stderr());
}

/// SUMMARY.md's markers are checked beside the EPs, not before them: the book's severities
/// still apply to what they find, in `check` and in the build, and `allow` silences it.
#[test]
fn summary_marker_problems_take_the_books_severity() {
    for (level, shown, exit) in [("warn", "warning[EP0801]", 0), ("allow", "", 0)] {
        let book = BookTest::from_fixture("rules/EP0801-broken-summary-markers");
        book.append_to_book_toml(&format!("[preprocessor.ep.rules]\nEP0801 = \"{level}\"\n"));
        let checked = book.run(&["check"]);
        let err = stderr(&checked);
        assert_eq!(checked.status.code(), Some(exit), "{level}: {err}");
        assert_eq!(err.contains("EP0801"), !shown.is_empty(), "{level}: {err}");
        assert!(err.contains(shown), "{level}: {err}");
        let built = book.build();
        assert_eq!(built.code(), Some(exit), "{level}: {}", built.stderr());
        assert_eq!(
            built.stderr().contains("EP0801"),
            !shown.is_empty(),
            "{}",
            built.stderr()
        );
    }
}

#[test]
fn a_rule_lowered_in_book_toml_warns_instead_of_failing() {
    let book = BookTest::from_fixture("rules/EP0601-missing-section");
    book.append_to_book_toml("[preprocessor.ep.rules]\nEP0601 = \"warn\"\n");
    let built = book.build();
    built.assert_exit(0);
    assert!(
        built.stderr().contains("warning[EP0601]"),
        "{}",
        built.stderr()
    );
}

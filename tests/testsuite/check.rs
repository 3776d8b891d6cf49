//! `mdbook-ep check`: the same rules as the build, exit codes for CI, JSON and GitHub formats.

use std::path::Path;
use std::process::Output;

use crate::book_test::*;

fn check(dir: &Path, format: &str) -> Output {
    run(
        &["check", "--book", dir.to_str().unwrap(), "--format", format],
        None,
    )
}

#[test]
fn a_clean_book_exits_0_and_the_demo_book_is_clean() {
    let out = run(&["check", "--book", repo().to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("checked 10 EPs: 0 errors, 0 warnings"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_agrees_with_the_build_on_every_rule_fixture() {
    for entry in std::fs::read_dir(fixture("rules")).unwrap() {
        // A copy outside this repository, whose history is not the fixture's (EP0504).
        let copy = BookTest::empty();
        copy_dir(&entry.unwrap().path(), copy.path());
        let dir = copy.path().to_path_buf();
        let expect = read(&dir.join("expect.txt"));
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
    let dir = fixture("rules/EP0102-unknown-state");
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
    let doc = read(&repo().join("book/guide/ci.md"));
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
    let dir = fixture("rules/EP0102-unknown-state");
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
    let book = BookTest::from_fixture("rules/EP0102-unknown-state");
    book.append_to_book_toml("[preprocessor.ep.toc]\nmax-level = 9\n");
    let out = check(book.path(), "human");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("error[EP0001]"));
}

/// A three-SIG book in a fresh repository with one commit, and EP-0001 moved from
/// `provisional` straight to `implemented` (with approvers, so only the jump is wrong).
fn repo_with_a_jump() -> BookTest {
    let book = BookTest::from_fixture("three-sigs");
    book.git(&["init", "-q"])
        .git(&["add", "-A"])
        .git(&["commit", "-qm", "start"])
        .edit("src/eps/alpha/0001-first/README.md", |text| {
            text.replace(
                "state: provisional",
                "state: implemented\napprovers: [\"@ann\"]",
            )
        });
    book
}

/// Out of every state, one move the lifecycle forbids is EP0503 under `--base`, whatever else
/// the new state asks of the EP.
#[test]
fn base_reports_a_forbidden_move_out_of_every_state() {
    use mdbook_ep::State;
    let ep = "src/eps/alpha/0001-first/README.md";
    for from in State::ALL {
        let to = State::ALL
            .into_iter()
            .find(|t| *t != from && !from.may_move_to(*t))
            .expect("every state forbids some move");
        let book = BookTest::from_fixture("three-sigs");
        let set = |state: State| {
            move |text: String| {
                text.replace(
                    "state: provisional",
                    &format!("state: {state}\napprovers: [\"@ann\"]"),
                )
            }
        };
        book.edit(ep, set(from))
            .git(&["init", "-q"])
            .git(&["add", "-A"])
            .git(&["commit", "-qm", "start"]);
        let original = read(&fixture("three-sigs").join(ep));
        book.write(ep, set(to)(original));
        let out = run(&["check", "--book", book.arg(), "--base", "HEAD"], None);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{from} -> {to}: {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains(&format!(
                "error[EP0503]: EP-0001 moved from `{from}` to `{to}` since HEAD"
            )),
            "{from} -> {to}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn base_reports_transitions_the_lifecycle_forbids() {
    let book = repo_with_a_jump();
    let out = run(&["check", "--book", book.arg(), "--base", "HEAD"], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("error[EP0503]: EP-0001 moved from `provisional` to `implemented` since HEAD"),
        "{err}"
    );
    assert!(
        err.contains("from `provisional` an EP can move to: implementable"),
        "{err}"
    );
    // Without --base the same book is valid.
    assert_eq!(
        run(&["check", "--book", book.arg()], None).status.code(),
        Some(0)
    );
    // An unknown revision is a usage error that says what to do.
    let out = run(
        &["check", "--book", book.arg(), "--base", "no-such-rev"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("git fetch --unshallow"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn changed_only_grandfathers_untouched_eps() {
    let book = repo_with_a_jump();
    // An old EP that breaks a rule, committed before: grandfathered by --changed-only.
    book.edit("src/eps/gamma/0005-done/README.md", |text| {
        text.replace("## Design\n", "## Plan\n")
    })
    .git(&[
        "commit",
        "-qm",
        "old problem",
        "--",
        "src/eps/gamma/0005-done/README.md",
    ]);
    let strict = run(&["check", "--book", book.arg(), "--base", "HEAD"], None);
    assert!(
        stderr(&strict).contains("error[EP0601]"),
        "{}",
        stderr(&strict)
    );
    let lenient = run(
        &[
            "check",
            "--book",
            book.arg(),
            "--base",
            "HEAD",
            "--changed-only",
            "--format",
            "json",
        ],
        None,
    );
    let json: serde_json::Value = serde_json::from_slice(&lenient.stdout).unwrap();
    let sev = |code: &str| -> Vec<String> {
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == code)
            .map(|d| d["severity"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        sev("EP0601"),
        ["warning"],
        "the untouched EP is only warned about"
    );
    assert_eq!(
        sev("EP0503"),
        ["error"],
        "the changed EP is still held to the rules"
    );
    assert_eq!(lenient.status.code(), Some(1));
}

#[test]
fn base_outside_a_repository_says_so() {
    let book = BookTest::from_fixture("three-sigs");
    let out = run(&["check", "--book", book.arg(), "--base", "HEAD"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not in a git repository"),
        "{}",
        stderr(&out)
    );
}

/// The exact bytes CI tools parse, for one error and one warning, run in the book's folder.
#[test]
fn golden_github_and_json_output() {
    for (fixture_name, format, snapshot) in [
        ("EP0102-unknown-state", "json", "EP0102_json"),
        ("EP0102-unknown-state", "github", "EP0102_github"),
        ("EP0105-unknown-key", "github", "EP0105_github"),
    ] {
        let out = run_in(
            &fixture("rules").join(fixture_name),
            &["check", "--format", format],
        );
        // The JSON names the running version; the snapshot holds the one it was taken with.
        let text = String::from_utf8(out.stdout).unwrap().replace(
            &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
            "\"version\": \"0.1.0\"",
        );
        insta::assert_snapshot!(snapshot, byte_exact(text));
    }
}

/// The library's `check` gives programs what `mdbook-ep check` prints, as data.
#[test]
fn the_library_checks_a_book_as_data() {
    let today = mdbook_ep::Date::parse("2026-11-25").unwrap();
    let report = mdbook_ep::check(&repo(), today).unwrap();
    assert_eq!(report.eps, 10);
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    let report = mdbook_ep::check(&fixture("rules/EP0102-unknown-state"), today).unwrap();
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.rule.code()).collect();
    assert!(codes.contains(&"EP0102"), "{codes:?}");
    let located = report
        .diagnostics
        .iter()
        .find(|d| d.rule == mdbook_ep::Rule::UnknownState)
        .and_then(|d| d.location.as_ref())
        .unwrap();
    assert!(
        located.file.ends_with("README.md") && located.line > 1,
        "{located:?}"
    );
}

/// EP0501's help offers only the levers the lifecycle allows: no "move it back to
/// `provisional`" from a state that cannot go back, the `exempt:` line for a closed EP.
#[test]
fn missing_approvers_help_fits_the_state() {
    let book = BookTest::from_fixture("rules/EP0501-missing-approvers");
    let ep = "src/eps/devex/0001-good/README.md";
    let help_for = |state: &str| {
        book.edit(ep, |t| {
            let line = t
                .lines()
                .find(|l| l.starts_with("state: "))
                .unwrap()
                .to_string();
            t.replace(&line, &format!("state: {state}"))
        });
        let out = book.run(&["check", "--format", "json"]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "EP0501")
            .map(|d| d["help"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no EP0501 for {state}: {json:#}"))
    };
    let implemented = help_for("implemented");
    assert!(!implemented.contains("provisional"), "{implemented}");
    let completed = help_for("completed");
    assert!(
        completed.contains("exempt: {EP0501: \"<why this EP is exempt>\"}")
            && !completed.contains("provisional"),
        "{completed}"
    );
}

/// Messages name keys as the file spells them: a KEP's `status` and `superseded-by`.
#[test]
fn messages_use_the_kep_spelling_of_keys() {
    let book = BookTest::kep_sample("# Summary\n", &[]);
    // KEP 2377 is `implemented` with a `superseded-by` (a real case in the sample).
    let out = book.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "EP0405" && d["ep"] == "src/keps/sig-cli/2377-Kustomize/README.md")
        .unwrap_or_else(|| panic!("no EP0405: {json:#}"));
    assert_eq!(
        d["message"], "`superseded-by` is set but `status` is `implemented`",
        "{d}"
    );
    assert_eq!(
        d["help"],
        "set `status: replaced`, or remove `superseded-by`"
    );
}

/// EPs are read and parsed on several cores; the result is the same as one pass, to the byte.
#[test]
fn parallel_reading_gives_what_one_pass_gives() {
    let book = BookTest::kep_sample("# Summary\n", &[]);
    let run = |jobs: &str| {
        mdbook_ep_command()
            .args(["check", "--format", "json"])
            .current_dir(book.path())
            .env("MDBOOK_EP_JOBS", jobs)
            .output()
            .unwrap()
            .stdout
    };
    let one = run("1");
    assert!(
        one.len() > 10_000,
        "the sample has many problems to compare"
    );
    for jobs in ["2", "3", "8"] {
        assert!(run(jobs) == one, "{jobs} workers differ from one");
    }
}

/// What the error index says EP0604 finds in the KEP sample is what it finds.
#[test]
fn unfinished_sections_in_the_kep_sample_are_as_documented() {
    let book = BookTest::kep_sample("# Summary\n", &[]);
    let out = book.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "EP0604")
        .collect();
    let keps: std::collections::BTreeSet<&str> =
        found.iter().map(|d| d["ep"].as_str().unwrap()).collect();
    let claim = format!("{} sections in {} KEPs", found.len(), keps.len());
    let index = read(&repo().join("book/guide/error-index.md"));
    assert!(
        index.contains(&claim),
        "the error index does not say: {claim}"
    );
}

/// Every command names files from where it runs: with `--book book` from the book's parent,
/// `check`, `summary`, `mdbook-ep build` and `codeowners` all say `book/...`; in the book's
/// folder they say `src/...`.
#[test]
fn paths_are_relative_to_where_the_command_runs() {
    let parent = tempfile::tempdir().unwrap();
    let book = parent.path().join("book");
    copy_dir(&fixture("three-sigs"), &book);
    let ep = book.join("src/eps/alpha/0001-first/README.md");
    write(
        &ep,
        read(&ep).replace("state: provisional", "state: provisionl"),
    );
    git_at(parent.path(), None, &["init", "-q"]);
    let dest = parent.path().join("site");
    let from_parent = |args: &[&str]| {
        let out = mdbook_ep_command()
            .args(args)
            .args(["--book", "book"])
            .env("NO_COLOR", "1")
            .current_dir(parent.path())
            .output()
            .unwrap();
        stderr(&out)
    };
    for args in [
        &["check"][..],
        &["summary", "--check"],
        &["build", "-d", dest.to_str().unwrap()],
    ] {
        let err = from_parent(args);
        assert!(
            err.contains("┌─ book/src/eps/alpha/0001-first/README.md:6:8"),
            "{args:?}: {err}"
        );
    }
    assert!(
        from_parent(&["codeowners", "--check"]).contains("`.github/CODEOWNERS` is out of date"),
        "{}",
        from_parent(&["codeowners", "--check"])
    );
    let in_book = run_in(&book, &["check"]);
    assert!(
        stderr(&in_book).contains("┌─ src/eps/alpha/0001-first/README.md:6:8"),
        "{}",
        stderr(&in_book)
    );
    let codeowners = run_in(&book, &["codeowners", "--check"]);
    assert!(
        stderr(&codeowners).contains("`../.github/CODEOWNERS` is out of date"),
        "{}",
        stderr(&codeowners)
    );
}

/// `--book` through a symbolic link: CODEOWNERS is the repository's, named from where the
/// command runs, never a `..` path that leaves the repository.
#[test]
fn codeowners_through_a_linked_book_is_the_repositorys() {
    let outer = tempfile::tempdir().unwrap();
    let repo = outer.path().join("repo");
    copy_dir(&fixture("three-sigs"), &repo.join("sub/book"));
    git_at(&repo, None, &["init", "-q"]);
    std::os::unix::fs::symlink("repo/sub/book", outer.path().join("bk")).unwrap();
    let out = mdbook_ep_command()
        .args(["codeowners", "--write", "--book", "bk"])
        .current_dir(outer.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("updated repo/.github/CODEOWNERS"),
        "{}",
        stderr(&out)
    );
    assert!(repo.join(".github/CODEOWNERS").is_file());
    assert!(!outer.path().join(".github").exists());
}

/// `--base` on a pull request that adds an EP whose folder name has a space: the EP did not
/// exist at the base, which is no error (git's answer for it holds the space).
#[test]
fn base_accepts_a_new_ep_with_a_space_in_its_path() {
    let book = BookTest::from_fixture("three-sigs");
    book.git(&["init", "-q"])
        .git(&["add", "-A"])
        .git(&["commit", "-qm", "start"]);
    let ep = read(&book.join("src/eps/alpha/0001-first/README.md"))
        .replace("number: 1", "number: 8")
        .replace("title: First alpha", "title: Two words");
    book.write("src/eps/alpha/0008-two words/README.md", ep);
    let out = run(&["check", "--book", book.arg(), "--base", "HEAD"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// What the error index says EP0606 and EP0607 find in the KEP sample is what they find, and
/// the sample (KEPs without supporting files) has no EP0608.
#[test]
fn broken_links_in_the_kep_sample_are_as_documented() {
    let book = BookTest::kep_sample("# Summary\n", &[]);
    let out = book.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let of = |code: &str| -> Vec<serde_json::Value> {
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == code)
            .cloned()
            .collect()
    };
    let keps = |found: &[serde_json::Value]| -> usize {
        found
            .iter()
            .map(|d| d["ep"].as_str().unwrap().to_string())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    };
    let (links, fragments) = (of("EP0606"), of("EP0607"));
    let index = read(&repo().join("book/guide/error-index.md"));
    let claim = format!(
        "On the KEP sample it finds {} in {} KEPs",
        links.len(),
        keps(&links)
    );
    assert!(
        index.contains(&claim),
        "the error index does not say: {claim}"
    );
    let claim = format!(
        "sample it finds {} in {} KEPs",
        fragments.len(),
        keps(&fragments)
    );
    assert!(
        index.contains(&claim),
        "the error index does not say: {claim}"
    );
    assert!(of("EP0608").is_empty());
    // Each is a real break: a fragment names no heading of the page, a path no file.
    assert!(fragments.iter().any(|d| {
        d["message"]
            .as_str()
            .unwrap()
            .contains("#interim-failuretarget-condition")
    }));
}

/// A template kept at the top of the sources (`template = "template.md"`) hides no EP: the
/// KEP sample checks the same with its template there as in a folder of its own.
#[test]
fn a_template_at_the_top_of_the_sources_hides_no_kep() {
    let checked = |book: &BookTest| -> Vec<(String, String)> {
        let out = book.run(&["check", "--format", "json"]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(json["eps"].as_u64().unwrap() > 10, "{json}");
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] != "EP0006")
            .map(|d| (d["code"].to_string(), d["file"].to_string()))
            .collect()
    };
    let own_folder = BookTest::kep_sample("# Summary\n", &[]);
    let at_top = BookTest::kep_sample("# Summary\n", &[]);
    let template = at_top.read("src/keps/NNNN-kep-template/README.md");
    std::fs::remove_dir_all(at_top.join("src/keps/NNNN-kep-template")).unwrap();
    at_top.write("src/template.md", template);
    at_top.edit("book.toml", |t| {
        t.replace(
            "template = \"keps/NNNN-kep-template/README.md\"",
            "template = \"template.md\"",
        )
    });
    let (a, b) = (checked(&own_folder), checked(&at_top));
    assert_eq!(a.len(), b.len());
    assert_eq!(a, b);
}

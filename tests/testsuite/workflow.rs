//! The author's commands against temporary books (and git repositories): happy paths,
//! refusals that leave files untouched, and results the validator accepts.

use std::process::Command;

use crate::book_test::*;

fn three_sigs() -> BookTest {
    BookTest::from_fixture("three-sigs")
}

#[test]
fn new_writes_a_valid_draft_from_the_template() {
    let book = three_sigs();
    let out = book.run(&[
        "new",
        "--sig",
        "beta",
        "--title",
        "Warm: caches & <more>",
        "--author",
        "@bea",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let path = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(
        path.contains("src/eps/beta/draft-") && path.ends_with("-warm-caches-more.md"),
        "{path}"
    );
    let text = book.read(&path);
    assert!(text.contains("state: provisional\n"));
    assert!(text.contains("authors: [\"@bea\"]\n"));
    assert!(text.contains("# Warm: caches & <more>\n"));
    let check = book.run(&["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(stderr(&check).contains("checked 10 EPs"));
}

#[test]
fn new_refuses_unknown_sigs_and_never_overwrites() {
    let book = three_sigs();
    let out = book.run(&["new", "--sig", "delta", "--title", "X", "--author", "a"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("unknown SIG `delta`") && stderr(&out).contains("alpha, beta, gamma"),
        "{}",
        stderr(&out)
    );
    assert!(!book.join("src/eps/delta").exists());

    let first = book.run(&["new", "--sig", "alpha", "--title", "Same", "--author", "a"]);
    let path = book.join(String::from_utf8(first.stdout).unwrap().trim());
    std::fs::write(&path, "edited by the author\n").unwrap();
    let again = book.run(&["new", "--sig", "alpha", "--title", "Same", "--author", "a"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already exists"));
    assert_eq!(read(&path), "edited by the author\n");
}

#[test]
fn new_takes_the_author_from_git() {
    let book = three_sigs();
    book.git(&["init", "-q"]);
    book.git(&["config", "user.name", "Grace Hopper"]);
    let out = book.run(&["new", "--sig", "gamma", "--title", "Compilers"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let path = book.join(String::from_utf8(out.stdout).unwrap().trim());
    assert!(read(&path).contains("authors: [Grace Hopper]\n"));
}

#[test]
fn state_follows_the_lifecycle_and_refuses_with_the_allowed_moves() {
    let book = three_sigs();
    let ep = "src/eps/alpha/0001-first/README.md";
    let before = book.read(ep);
    // Skipping steps is refused, with the moves that are allowed.
    let out = book.run(&["state", "1", "completed"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(
        "from `provisional` it can move to: implementable, deferred, rejected, withdrawn, replaced"
    ));
    // implementable needs approvers: the validator's rule refuses it, and nothing is written.
    let out = book.run(&["state", "1", "implementable"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("EP0501"), "{}", stderr(&out));
    assert_eq!(book.read(ep), before);
    // A move that is allowed changes only the owned lines.
    let out = book.run(&["state", "EP-1", "deferred"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "EP-0001: provisional -> deferred");
    let after = book.read(ep);
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
    let done = "src/eps/gamma/0005-done/README.md";
    let before_done = book.read(done);
    let out = book.run(&["state", "5", "provisional"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("`completed` is final"));
    assert_eq!(book.read(done), before_done);
}

#[test]
fn replaced_needs_by_and_records_the_link_on_both_eps() {
    let book = three_sigs();
    let out = book.run(&["state", "4", "replaced"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--by"));
    let out = book.run(&["state", "4", "replaced", "--by", "99"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("there is no EP-0099"));
    let out = book.run(&["state", "4", "replaced", "--by", "7"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let old = book.read("src/eps/alpha/0004-fourth/README.md");
    let new = book.read("src/eps/alpha/nested/0007-deep/README.md");
    assert!(
        old.contains("state: replaced\n") && old.contains("replaced-by: [7]\n"),
        "{old}"
    );
    assert!(new.contains("replaces: [4]\n"), "{new}");
    assert_eq!(book.run(&["check"]).status.code(), Some(0));
}

/// An EP already `replaced` whose successor was never recorded (EP0402) gets it from the
/// command the error suggests: the link lands on both EPs and the book is valid again.
#[test]
fn replaced_without_a_successor_is_repaired_by_state_replaced_by() {
    let book = three_sigs();
    book.edit("src/eps/alpha/0004-fourth/README.md", |t| {
        t.replace("state: implementable", "state: replaced")
    });
    let check = book.run(&["check"]);
    assert!(
        stderr(&check).contains("error[EP0402]"),
        "{}",
        stderr(&check)
    );
    let out = book.run(&["state", "4", "replaced", "--by", "7"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("now names EP-0007 in `replaced-by`"),
        "{}",
        stdout(&out)
    );
    let old = book.read("src/eps/alpha/0004-fourth/README.md");
    assert!(old.contains("replaced-by: [7]\n"), "{old}");
    assert!(
        book.read("src/eps/alpha/nested/0007-deep/README.md")
            .contains("replaces: [4]\n")
    );
    assert_eq!(
        book.run(&["check"]).status.code(),
        Some(0),
        "{}",
        stderr(&book.run(&["check"]))
    );
    // Run again: nothing to do.
    let again = book.run(&["state", "4", "replaced", "--by", "7"]);
    assert!(
        stdout(&again).contains("nothing changed"),
        "{}",
        stdout(&again)
    );
}

#[test]
fn promote_numbers_a_draft_and_moves_it_with_git() {
    let book = three_sigs();
    book.git(&["init", "-q"]);
    book.git(&["add", "-A"]);
    book.git(&["commit", "-qm", "init"]);
    let draft = "src/eps/beta/draft-2026-02-01-sooner.md";
    let out = book.run(&["promote", draft, "--number", "3"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("EP-0003 is already in use") && stderr(&out).contains("(8)"));
    let out = book.run(&["promote", draft]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        book.read("src/eps/beta/0008-sooner/README.md")
            .contains("number: 8\n")
    );
    assert!(!book.join(draft).exists());
    let status = Command::new("git")
        .args(["status", "--short"])
        .current_dir(book.path())
        .output()
        .unwrap();
    assert!(
        stdout(&status).contains(
            "R  src/eps/beta/draft-2026-02-01-sooner.md -> src/eps/beta/0008-sooner/README.md"
        ) || stdout(&status).contains(
            "RM src/eps/beta/draft-2026-02-01-sooner.md -> src/eps/beta/0008-sooner/README.md"
        ),
        "{}",
        stdout(&status)
    );
    assert_eq!(book.run(&["check"]).status.code(), Some(0));
    // A numbered EP is not promoted again.
    let numbered = "src/eps/beta/0008-sooner/README.md";
    let before = book.read(numbered);
    let out = book.run(&["promote", numbered]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("already numbered"));
    assert_eq!(book.read(numbered), before);
}

#[test]
fn codeowners_block_is_written_checked_and_leaves_other_lines_alone() {
    let book = three_sigs();
    book.git(&["init", "-q"]);
    book.write(
        ".github/CODEOWNERS",
        "# Team rules\n* @platform-team\n/docs/ @writers\n",
    );
    let out = book.run(&["codeowners", "--check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let out = book.run(&["codeowners", "--write"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = book.read(".github/CODEOWNERS");
    assert!(
        text.starts_with(
            "# Team rules\n* @platform-team\n/docs/ @writers\n\n# mdbook-ep:codeowners"
        ),
        "{text}"
    );
    assert!(text.contains("\n/src/eps/alpha/ @ann @rob\n/src/eps/beta/ @bea\n/src/eps/gamma/ @gil\n# /mdbook-ep:codeowners\n"), "{text}");
    assert_eq!(book.run(&["codeowners", "--check"]).status.code(), Some(0));
    book.run(&["codeowners", "--write"]);
    assert_eq!(
        book.read(".github/CODEOWNERS"),
        text,
        "a second run changes nothing"
    );
}

#[test]
fn install_edits_book_toml_keeping_comments_and_is_idempotent() {
    let book = BookTest::empty();
    let toml = "# Our handbook\n[book]\ntitle = \"Handbook\" # keep\n\n[output.html]\n# dark by default\ndefault-theme = \"navy\"\n";
    book.write("book.toml", toml);
    book.write("src/SUMMARY.md", "# Summary\n\n- [Intro](intro.md)\n");
    book.write("src/intro.md", "# Intro\n");
    assert_eq!(book.run(&["install", "--check"]).status.code(), Some(1));
    let out = book.run(&["install"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let after = book.read("book.toml");
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
    let css = book.read("ep.css");
    assert!(css.starts_with("/* mdbook-ep stylesheet") && css.contains(".ep-badge"));
    assert_eq!(book.run(&["install", "--check"]).status.code(), Some(0));
    book.run(&["install"]);
    assert_eq!(book.read("book.toml"), after);
    // The book builds with the stylesheet.
    let built = book.build();
    built.assert_exit(0);
    let page = built.read("intro.html");
    assert!(
        page.contains("ep-") && page.contains(".css"),
        "stylesheet not linked"
    );
    // A user's own ep.css is never overwritten.
    std::fs::write(book.join("ep.css"), "/* mine */\n").unwrap();
    let out = book.run(&["install"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(book.read("ep.css"), "/* mine */\n");
}

/// `install` on a book.toml written on Windows with an inline `html` table: only insertions,
/// in the file's own line endings, after its BOM; each change is named; a second run says
/// it is already installed; without `mdbook-ep` on PATH it warns with the fix.
#[test]
fn install_keeps_crlf_bom_and_inline_tables_and_says_what_it_did() {
    let book = BookTest::empty();
    let toml = "\u{feff}[book]\r\ntitle = \"Handbook\"\r\n\r\n[output]\r\nhtml = { default-theme = \"navy\" } # dark\r\n";
    book.write("book.toml", toml);
    book.write("src/SUMMARY.md", "# Summary\r\n\r\n- [Intro](intro.md)\r\n");
    book.write("src/intro.md", "# Intro\r\n");
    let out = mdbook_ep_command()
        .args(["install"])
        .current_dir(book.path())
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        book.read("book.toml"),
        "\u{feff}[book]\r\ntitle = \"Handbook\"\r\n\r\n[output]\r\nhtml = { default-theme = \"navy\", additional-css = [\"ep.css\"] } # dark\r\n\r\n[preprocessor.ep]\r\n"
    );
    let err = stderr(&out);
    assert!(
        err.contains(
            "book.toml: added [preprocessor.ep]; added \"ep.css\" to output.html.additional-css"
        ) && err.contains("ep.css: created it"),
        "{err}"
    );
    assert!(
        err.contains("warning: `mdbook-ep` is not on PATH") && err.contains("command = \""),
        "{err}"
    );
    let again = book.run(&["install"]);
    assert_eq!(again.status.code(), Some(0));
    assert!(
        stderr(&again).contains("mdbook-ep is already installed"),
        "{}",
        stderr(&again)
    );
    // With the PATH mdbook would use holding mdbook-ep, no warning.
    let dir = bin().parent().unwrap().to_path_buf();
    let on_path = mdbook_ep_command()
        .args(["install"])
        .current_dir(book.path())
        .env(
            "PATH",
            std::env::join_paths([dir, "/usr/bin".into()]).unwrap(),
        )
        .output()
        .unwrap();
    assert!(
        !stderr(&on_path).contains("not on PATH"),
        "{}",
        stderr(&on_path)
    );
    book.build().assert_exit(0);
}

/// An EP named by the path of its file works from anywhere: relative to the current folder
/// (here a SIG folder, with a relative `--book`), absolute, or by its folder.
#[test]
fn eps_are_found_by_any_path_to_their_file() {
    let book = three_sigs();
    let sig = book.join("src/eps/beta");
    let out = run_in(
        &sig,
        &[
            "state",
            "--book",
            "../../..",
            "draft-2026-02-01-sooner.md",
            "deferred",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let absolute = book.join("src/eps/alpha/0001-first/README.md");
    let out = run_in(
        &sig,
        &[
            "state",
            "--book",
            "../../..",
            absolute.to_str().unwrap(),
            "withdrawn",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = book.run(&["state", "src/eps/alpha/0004-fourth", "deferred"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run_in(
        &sig,
        &["promote", "--book", "../../..", "draft-2026-03-02-later.md"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(book.run(&["check"]).status.code(), Some(0));
}

/// The fix `codeowners --check FILE` suggests writes that same FILE.
#[test]
fn the_codeowners_fix_names_the_file_that_was_checked() {
    let book = three_sigs();
    let out = book.run(&["codeowners", "--check", "OWNERS"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("run `mdbook-ep codeowners --write OWNERS`"),
        "{}",
        stderr(&out)
    );
    let out = book.run(&["codeowners", "--write", "OWNERS"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        book.run(&["codeowners", "--check", "OWNERS"]).status.code(),
        Some(0)
    );
}

/// `install` scaffolds what a first EP needs and nothing the book has: an existing template
/// stays as it is, a SIG folder is created once, and a name that is no folder name is refused.
#[test]
fn install_scaffolds_only_what_is_missing() {
    let book = BookTest::empty();
    book.write("book.toml", "[book]\ntitle = \"x\"\n")
        .write("src/SUMMARY.md", "# Summary\n\n- [A](a.md)\n")
        .write("src/a.md", "# A\n")
        .write("src/eps/template/README.md", "# Mine\n\n## Why\n");
    let out = book.run(&["install", "--sig", "data"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        book.read("src/eps/template/README.md"),
        "# Mine\n\n## Why\n"
    );
    assert!(book.read("src/eps/data/README.md").starts_with("# data\n"));
    assert!(
        stderr(&out).contains("src/eps/data/README.md: created it"),
        "{}",
        stderr(&out)
    );
    book.write("src/eps/data/README.md", "# Data, edited\n");
    let again = book.run(&["install", "--sig", "data"]);
    assert!(
        stderr(&again).contains("already installed"),
        "{}",
        stderr(&again)
    );
    assert_eq!(book.read("src/eps/data/README.md"), "# Data, edited\n");
    let bad = book.run(&["install", "--sig", "../x"]);
    assert_eq!(bad.status.code(), Some(1), "{}", stderr(&bad));
    assert!(!book.path().join("src/x").exists());
    let template = book.run(&["install", "--sig", "template"]);
    assert_eq!(template.status.code(), Some(1), "{}", stderr(&template));
    assert_eq!(
        book.read("src/eps/template/README.md"),
        "# Mine\n\n## Why\n"
    );
    // With a SIG registry, only its SIGs: `new --sig` would refuse any other.
    book.append_to_book_toml("\n[preprocessor.ep.sigs.data]\napprovers = [\"@a\"]\n");
    let unknown = book.run(&["install", "--sig", "infra"]);
    assert_eq!(unknown.status.code(), Some(1), "{}", stderr(&unknown));
    assert!(
        stderr(&unknown).contains("not in the SIG registry"),
        "{}",
        stderr(&unknown)
    );
    assert!(!book.path().join("src/eps/infra").exists());
}

/// A new draft from a template with a TOC region has that TOC filled in, so the CI step
/// `toc --check` passes on a pull request that only adds a draft.
#[test]
fn a_new_draft_has_a_current_toc() {
    let book = BookTest::empty();
    book.write("book.toml", "[book]\ntitle = \"x\"\n")
        .write("src/SUMMARY.md", "# Summary\n\n- [A](a.md)\n")
        .write("src/a.md", "# A\n");
    let install = book.run(&["install", "--sig", "data"]);
    assert_eq!(install.status.code(), Some(0), "{}", stderr(&install));
    let template = book.read("src/eps/template/README.md");
    assert!(
        template.contains("<!-- toc -->\n<!-- /toc -->"),
        "{template}"
    );
    let new = book.run(&[
        "new",
        "--sig",
        "data",
        "--title",
        "Löschen & more",
        "--author",
        "@a",
    ]);
    assert_eq!(new.status.code(), Some(0), "{}", stderr(&new));
    let draft = book.read(String::from_utf8(new.stdout).unwrap().trim());
    assert!(
        draft.contains("<!-- toc -->\n- [Summary](#summary)\n"),
        "{draft}"
    );
    let check = book.run(&["toc", "--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    // A template whose TOC is current under mdBook's anchors keeps them in the draft.
    let template = book.read("src/eps/template/README.md") + "\n## Extra {#more}\n";
    book.write("src/eps/template/README.md", &template);
    let toc = book.run(&[
        "toc",
        "--write",
        "--anchors",
        "mdbook",
        "src/eps/template/README.md",
    ]);
    assert_eq!(toc.status.code(), Some(0), "{}", stderr(&toc));
    let new = book.run(&[
        "new", "--sig", "data", "--title", "Second", "--author", "@a",
    ]);
    assert_eq!(new.status.code(), Some(0), "{}", stderr(&new));
    let path = String::from_utf8(new.stdout).unwrap().trim().to_string();
    let check = book.run(&["toc", "--check", "--anchors", "mdbook", &path]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let github = book.run(&["toc", "--check", &path]);
    assert_eq!(github.status.code(), Some(1), "{}", stderr(&github));
}

/// "Today" comes from `MDBOOK_EP_TODAY` (then `SOURCE_DATE_EPOCH`) when set, for every command;
/// a value that is not a date is an error, not the clock in disguise.
#[test]
fn today_is_pinned_by_the_environment() {
    let book = three_sigs();
    let out = mdbook_ep_command()
        .args([
            "new", "--sig", "alpha", "--title", "Pinned", "--author", "@a",
        ])
        .current_dir(book.path())
        .env("MDBOOK_EP_TODAY", "2030-01-02")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).trim(),
        "src/eps/alpha/draft-2030-01-02-pinned.md"
    );
    // SOURCE_DATE_EPOCH (exported by packaging shells) dates builds and checks, never an edit.
    let out = mdbook_ep_command()
        .args([
            "new", "--sig", "alpha", "--title", "Epoch", "--author", "@a",
        ])
        .current_dir(book.path())
        .env_remove("MDBOOK_EP_TODAY")
        .env("SOURCE_DATE_EPOCH", "315532800")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stdout(&out).contains("1980"), "{}", stdout(&out));
    std::fs::remove_file(book.join(stdout(&out).trim())).unwrap();
    let check = mdbook_ep_command()
        .args(["check", "--format", "json"])
        .current_dir(book.path())
        .env_remove("MDBOOK_EP_TODAY")
        .env("SOURCE_DATE_EPOCH", "1735689600") // 2025-01-01: every EP date is in its future
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert!(
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "EP0203"),
        "{json:#}"
    );
    let out = mdbook_ep_command()
        .args(["check"])
        .current_dir(book.path())
        .env("MDBOOK_EP_TODAY", "next tuesday")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("MDBOOK_EP_TODAY"), "{}", stderr(&out));
}

/// The lifecycle table in `book/guide/workflow.md` says exactly what the code allows: all 81
/// (from, to) pairs, and `state` through the binary refuses every move the table does not list.
#[test]
fn the_documented_lifecycle_is_the_one_the_code_enforces() {
    use mdbook_ep::State;
    let guide = read(&repo().join("book/guide/workflow.md"));
    let mut documented = std::collections::BTreeSet::new();
    let names = |cell: &str| -> Vec<State> {
        cell.split(',')
            .filter_map(|s| State::parse(s.trim().trim_matches('`')))
            .collect()
    };
    let table = guide
        .split("| from | to |")
        .nth(1)
        .expect("the lifecycle table");
    for row in table.lines().skip(2).take_while(|l| l.starts_with('|')) {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        let from: Vec<State> = match cells[0] {
            "any other state that is not an exit state" => {
                State::ALL.into_iter().filter(|s| !s.is_exit()).collect()
            }
            cell => names(cell),
        };
        assert!(!from.is_empty(), "cannot read the row {row}");
        for f in from {
            for t in names(cells[1]) {
                if f != t {
                    documented.insert((f, t));
                }
            }
        }
    }
    for from in State::ALL {
        for to in State::ALL {
            assert_eq!(
                from.may_move_to(to),
                documented.contains(&(from, to)),
                "{from} -> {to}: the code and the guide disagree"
            );
        }
    }
    // The process page draws the lifecycle: every state is in its diagram, and the states it
    // calls final are the exit states.
    let process = read(&repo().join("book/eps/README.md"));
    let diagram = process
        .split("```text\n")
        .nth(1)
        .and_then(|d| d.split("```").next())
        .expect("the lifecycle diagram");
    for state in State::ALL {
        assert!(diagram.contains(state.as_str()), "{state} is not drawn");
    }
    let finals = process
        .split(" are final")
        .next()
        .and_then(|p| p.rsplit("\n\n").next())
        .expect("the sentence naming the final states")
        .replace(" and ", ",");
    let exits: Vec<State> = State::ALL.into_iter().filter(|s| s.is_exit()).collect();
    assert_eq!(names(&finals), exits);
}

/// `list` filters by SIG, state and person (a reviewer's queue, with or without `@`), in the
/// book's order, and its JSON objects are exactly those of `eps.json`.
#[test]
fn list_finds_a_sigs_eps_and_a_persons_queue() {
    let book = three_sigs();
    let out = book.run(&["list", "--sig", "beta"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("EP") && lines[0].contains("STATE"),
        "{text}"
    );
    assert!(
        lines[1].starts_with("EP-0002") && lines[2].starts_with("EP-0003"),
        "{text}"
    );
    assert!(text.lines().skip(1).all(|l| l.contains(" beta ")), "{text}");
    let queue = stdout(&book.run(&["list", "--approver", "BEA", "--state", "implementable"]));
    assert_eq!(queue.lines().count(), 2, "{queue}");
    assert!(queue.contains("EP-0003"), "{queue}");
    let none = stdout(&book.run(&["list", "--author", "@nobody"]));
    assert_eq!(none.lines().count(), 1, "only the header: {none}");
    let bad = book.run(&["list", "--state", "implementd"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("did you mean \"implemented\""),
        "{}",
        stderr(&bad)
    );
    // The JSON objects are those of the export.
    book.append_to_book_toml("[output.html]\n\n[output.ep]\n");
    let built = book.build();
    built.assert_exit(0);
    let export = built.json("ep/eps.json");
    let listed: serde_json::Value = serde_json::from_slice(
        &book
            .run(&["list", "--sig", "beta", "--format", "json"])
            .stdout,
    )
    .unwrap();
    let from_export: Vec<&serde_json::Value> = export["eps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["sig"] == "beta")
        .collect();
    let mine: Vec<serde_json::Value> = listed["eps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let mut e = e.clone();
            e.as_object_mut().unwrap().remove("changes");
            e
        })
        .collect();
    let theirs: Vec<serde_json::Value> = from_export
        .into_iter()
        .map(|e| {
            let mut e = e.clone();
            e.as_object_mut().unwrap().remove("changes");
            e
        })
        .collect();
    assert_eq!(mine, theirs);
}

/// The README's walk from `new` to `completed`, command by command through the binary, on a
/// copy of the demo book in a git repository: each `# -> path` it shows is what the command
/// prints, `implementable` is refused as it says until approvers and the sections are there,
/// and every later move succeeds.
#[test]
fn the_readme_walk_takes_an_ep_from_new_to_completed() {
    let readme = read(&repo().join("README.md"));
    let walk = readme
        .split("## An EP from draft to completed")
        .nth(1)
        .and_then(|s| s.split("```sh\n").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("the README's walk");
    let book = BookTest::empty();
    copy_dir(&repo().join("book"), &book.join("book"));
    book.write("book.toml", read(&repo().join("book.toml")));
    book.git(&["init", "-q"])
        .git(&["config", "user.name", "Ana"])
        .git(&["add", "-A"])
        .git(&["commit", "-q", "-m", "the demo book"]);
    let mut steps: Vec<(String, Option<String>)> = Vec::new();
    for line in walk.lines() {
        if line.starts_with("mdbook-ep ") {
            steps.push((line.to_string(), None));
        } else if let Some(shown) = line.strip_prefix("# -> ") {
            let path = shown.split(' ').next().unwrap().to_string();
            steps.last_mut().expect("a command before its output").1 = Some(path);
        }
    }
    assert_eq!(steps.len(), 6, "{walk}");
    let mut draft = None;
    for (command, shown) in &steps {
        let run = || shell(book.path(), command).output().unwrap();
        let mut out = run();
        if command.starts_with("mdbook-ep state 10 implementable") {
            assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
            assert!(stderr(&out).contains("needs approvers"), "{}", stderr(&out));
            // What the README says the author does first: name the approvers and write the
            // sections (here, the words of an approved EP of the demo book).
            let path = "book/eps/devex/0010-preview-builds-for-every-pull-request/README.md";
            let donor = book.read("book/eps/platform/0007-managed-cache/README.md");
            let body = donor.split("\n---\n").nth(1).unwrap();
            let body = body.split_once('\n').unwrap().1;
            // Not its diagram: that file stays in EP-0007's folder.
            let body: String = body
                .lines()
                .filter(|l| !l.contains("](architecture.svg)"))
                .map(|l| format!("{l}\n"))
                .collect();
            let body = body.as_str();
            book.edit(path, |t| {
                let head = t.split("\n---\n").next().unwrap().to_string();
                head.replace("approvers: []", "approvers: ['@mira-k']")
                    + "\n---\n# Preview builds for every pull request\n"
                    + body
            });
            out = run();
        }
        assert_eq!(out.status.code(), Some(0), "{command}: {}", stderr(&out));
        if let Some(path) = shown {
            assert_eq!(stdout(&out).trim(), path, "{command}");
            assert!(book.path().join(path).is_file(), "{path}");
            draft.get_or_insert(path.clone());
        }
    }
    let done = book.read("book/eps/devex/0010-preview-builds-for-every-pull-request/README.md");
    assert!(done.contains("state: completed"), "{done}");
    assert!(
        !book.path().join(draft.unwrap()).exists(),
        "promote moved the draft"
    );
    let check = book.run(&["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let again = book.run(&["state", "10", "implemented"]);
    assert_eq!(again.status.code(), Some(1), "completed is final");
    assert!(
        stderr(&again).contains("`completed` is final"),
        "{}",
        stderr(&again)
    );
}

/// The template's folder is not a SIG: `new` refuses it and never lists it as a known SIG,
/// whatever the source folder is called.
#[test]
fn new_refuses_the_template_folder_as_a_sig() {
    let book = BookTest::empty();
    book.write("book.toml", "[book]\ntitle = \"x\"\nsrc = \"book\"\n")
        .write("book/SUMMARY.md", "# Summary\n\n- [A](a.md)\n")
        .write("book/a.md", "# A\n")
        .write("book/eps/devex/README.md", "# DevEx\n")
        .write("book/eps/template/README.md", "# Title\n\n## Summary\n");
    let out = book.run(&["new", "--sig", "template", "--title", "X", "--author", "@a"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("`template` is the template's folder, not a SIG"),
        "{}",
        stderr(&out)
    );
    for not_a_folder in ["", ".", "..", "devex/x"] {
        let out = book.run(&[
            "new",
            "--sig",
            not_a_folder,
            "--title",
            "X",
            "--author",
            "@a",
        ]);
        assert!(
            stderr(&out).contains("is not a SIG folder name"),
            "{not_a_folder}: {}",
            stderr(&out)
        );
    }
    let unknown = book.run(&["new", "--sig", "nope", "--title", "X", "--author", "@a"]);
    assert!(
        stderr(&unknown).contains("known SIGs: devex;"),
        "{}",
        stderr(&unknown)
    );
    assert!(
        !book
            .path()
            .join("book/eps/template/draft-2026-11-25-x.md")
            .exists()
    );
}

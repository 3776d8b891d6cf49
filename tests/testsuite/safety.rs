//! Data safety: commands never delete, half-change or race away what the user wrote.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::book_test::*;

/// Every file under `dir` with its bytes, to prove a refused command changed nothing.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, root, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn build_refuses_a_destination_that_would_delete_the_book() {
    let book = BookTest::from_fixture("three-sigs");
    let before = files(book.path());
    for dest in ["src", ".", "src/eps", "src/site", ".."] {
        let dest = book.path().join(dest);
        let out = run(
            &["build", "--book", book.arg(), "-d", dest.to_str().unwrap()],
            None,
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{}: {err}", dest.display());
        assert!(
            err.contains("error[EP0014]") && err.contains("mdBook empties the build folder"),
            "{err}"
        );
        assert_eq!(
            files(book.path()),
            before,
            "{} changed the book",
            dest.display()
        );
    }
    // The same for a build folder set in book.toml, with the command run inside the book.
    book.edit("book.toml", |t| {
        t.replace(
            "create-missing = false",
            "create-missing = false\nbuild-dir = \"src\"",
        )
    });
    let before = files(book.path());
    let out = book.run(&["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(files(book.path()), before);
    // A folder beside the sources is fine.
    let out = book.run(&["build", "-d", "site"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(book.join("site/index.html").is_file());
}

/// Starts `mdbook-ep` with each of `commands` at once in `book`, and waits for all of them.
fn at_once(book: &BookTest, commands: &[Vec<&str>]) -> Vec<std::process::Output> {
    let children: Vec<_> = commands
        .iter()
        .map(|args| {
            mdbook_ep_command()
                .args(args)
                .current_dir(book.path())
                .env("NO_COLOR", "1")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect()
}

/// Two `promote`s at once each read the highest number in use; unserialised, both drafts got
/// the same number. Under the book's lock the second one sees the first one's result.
#[test]
fn concurrent_promotions_never_share_a_number() {
    for round in 0..4 {
        let book = BookTest::from_fixture("three-sigs");
        let mut drafts = Vec::new();
        for title in ["First of two", "Second of two"] {
            let out = book.run(&["new", "--sig", "beta", "--title", title, "--author", "@b"]);
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            drafts.push(String::from_utf8(out.stdout).unwrap().trim().to_string());
        }
        let outs = at_once(
            &book,
            &[
                vec!["promote", drafts[0].as_str()],
                vec!["promote", drafts[1].as_str()],
            ],
        );
        let mut moved = Vec::new();
        for out in &outs {
            assert_eq!(out.status.code(), Some(0), "round {round}: {}", stderr(out));
            moved.push(String::from_utf8_lossy(&out.stdout).trim().to_string());
        }
        let folder = |p: &str| {
            Path::new(p)
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_owned()
        };
        let numbers: Vec<_> = moved.iter().map(|p| folder(p)).collect();
        assert!(
            numbers[0].to_string_lossy()[..4] != numbers[1].to_string_lossy()[..4],
            "round {round}: both got one number: {moved:?}"
        );
        let check = book.run(&["check"]);
        assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    }
}

/// `state 1 deferred` and `state 1 withdrawn` at once: run one after the other, both succeed
/// only when `deferred` came first, and then the EP ends `withdrawn`. Unserialised, both read
/// `provisional`, both reported success, and one change was lost.
#[test]
fn concurrent_state_changes_never_lose_an_update() {
    for round in 0..10 {
        let book = BookTest::from_fixture("three-sigs");
        let ep = "src/eps/alpha/0001-first/README.md";
        assert!(
            book.read(ep).contains("state: provisional"),
            "fixture changed"
        );
        let outs = at_once(
            &book,
            &[
                vec!["state", "1", "deferred"],
                vec!["state", "1", "withdrawn"],
            ],
        );
        let ok: Vec<bool> = outs.iter().map(|o| o.status.success()).collect();
        let text = book.read(ep);
        let state = text
            .lines()
            .find_map(|l| l.strip_prefix("state: "))
            .unwrap()
            .to_string();
        if ok == [true, true] {
            assert_eq!(state, "withdrawn", "round {round}: an update was lost");
        } else {
            // One was refused because the other went first and made its move impossible.
            assert_eq!(ok.iter().filter(|s| **s).count(), 1, "round {round}");
            let refused = outs.iter().find(|o| !o.status.success()).unwrap();
            assert!(
                stderr(refused).contains("cannot move from"),
                "{}",
                stderr(refused)
            );
        }
        let check = book.run(&["check"]);
        assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    }
}

/// `state 1 replaced --by 4` changes two files. When the second cannot be written, neither
/// changes: the first is restored (before, EP 1 stayed `replaced`, EP 4 lacked `replaces`, and
/// the command could not be run again because `replaced` is final).
#[test]
fn a_two_file_state_change_is_all_or_nothing() {
    let book = BookTest::from_fixture("three-sigs");
    let (one, four) = (
        "src/eps/alpha/0001-first/README.md",
        "src/eps/alpha/0004-fourth/README.md",
    );
    let before = files(book.path());
    for fault in ["prepare", "commit"] {
        let out = mdbook_ep_command()
            .args(["state", "1", "replaced", "--by", "4"])
            .current_dir(book.path())
            .env("MDBOOK_EP_FAULT", format!("{fault}:{four}"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("injected failure"),
            "{}",
            stderr(&out)
        );
        assert_eq!(files(book.path()), before, "{fault}: a file changed");
    }
    let out = book.run(&["state", "1", "replaced", "--by", "4"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(book.read(one).contains("state: replaced"));
    assert!(book.read(four).contains("replaces: [1]"));
    let check = book.run(&["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
}

/// Ctrl-C during `state 1 replaced --by 4`, as a real SIGINT to the process. While the new
/// contents are being prepared it abandons the change: nothing changed, no temporary file left.
/// Once the first file has been renamed into place, the signal waits until the second is too.
/// Either way the command exits 130 and says which of the two happened.
#[test]
fn an_interrupt_never_leaves_a_two_file_change_half_done() {
    let book = BookTest::from_fixture("three-sigs");
    let (one, four) = (
        "src/eps/alpha/0001-first/README.md",
        "src/eps/alpha/0004-fourth/README.md",
    );
    let before = files(book.path());
    let args = ["state", "1", "replaced", "--by", "4"];
    let out = run_with_fault(&book, &format!("signal-prepare:{four}"), &args);
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("interrupted; nothing was changed"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        files(book.path()),
        before,
        "a file changed or a temp file is left"
    );

    let out = run_with_fault(&book, &format!("signal-commit:{four}"), &args);
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("interrupted after the change was complete"),
        "{}",
        stderr(&out)
    );
    assert!(book.read(one).contains("state: replaced"));
    assert!(book.read(four).contains("replaces: [1]"));
    let check = book.run(&["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));

    // `new` abandons its draft the same way.
    let before = files(book.path());
    let out = run_with_fault(
        &book,
        "signal-prepare:.md",
        &[
            "new",
            "--sig",
            "alpha",
            "--title",
            "Cut short",
            "--author",
            "@a",
        ],
    );
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert_eq!(files(book.path()), before);
}

/// What `kill -9` between the two renames of `state 1 replaced --by 4` leaves (EP 1 replaced,
/// EP 4 without `replaces`) is finished by running the same command again; a third run has
/// nothing left to do.
#[test]
fn a_killed_state_change_finishes_when_run_again() {
    let book = BookTest::from_fixture("three-sigs");
    let (one, four) = (
        "src/eps/alpha/0001-first/README.md",
        "src/eps/alpha/0004-fourth/README.md",
    );
    book.edit(one, |t| {
        t.replace("state: provisional", "state: replaced\nreplaced-by: [4]")
    });
    let check = book.run(&["check"]);
    assert_eq!(
        check.status.code(),
        Some(1),
        "the half-done state is an error"
    );
    assert!(stderr(&check).contains("EP0403"), "{}", stderr(&check));

    let out = book.run(&["state", "1", "replaced", "--by", "4"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("EP-0004 now lists it in `replaces`"),
        "{}",
        stdout(&out)
    );
    assert!(book.read(four).contains("replaces: [1]"));
    let check = book.run(&["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));

    let before = files(book.path());
    let out = book.run(&["state", "1", "replaced", "--by", "4"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("nothing changed"), "{}", stdout(&out));
    assert_eq!(files(book.path()), before);
    // Another replacement of a replaced EP is still refused: `replaced` is final.
    let out = book.run(&["state", "1", "replaced", "--by", "2"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("already `replaced`, not by EP-0002"),
        "{}",
        stderr(&out)
    );
}

/// A temporary file a killed command left is never published (mdBook does not copy `*.md`
/// files into a site) and the next editing command removes it, saying so.
#[test]
fn a_temporary_file_left_by_a_killed_command_is_not_published_and_is_removed() {
    let book = BookTest::from_fixture("three-sigs");
    let left = "src/eps/alpha/.mdbook-ep-a1b2c3.tmp.md";
    book.write(left, "half a file");
    // Left by a command killed a while ago (a fresh one may still be in use).
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(book.join(left))
        .unwrap()
        .set_modified(old)
        .unwrap();
    let built = book.build();
    assert!(
        !built.join("eps/alpha/.mdbook-ep-a1b2c3.tmp.md").exists()
            && !built.join("eps/alpha/.mdbook-ep-a1b2c3.tmp.html").exists(),
        "the temporary file was published"
    );
    let out = book.run(&["state", "1", "deferred"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("a temporary file left by an mdbook-ep command that was killed"),
        "{}",
        stderr(&out)
    );
    assert!(!book.path().join(left).exists());
}

/// `mdbook-ep` in `book` with a failure injected at `fault` (`STEP:PATH-SUFFIX`).
fn run_with_fault(book: &BookTest, fault: &str, args: &[&str]) -> std::process::Output {
    book.command(args)
        .env("MDBOOK_EP_FAULT", fault)
        .output()
        .unwrap()
}

/// A promotion that fails part way leaves the draft where it was: outside git, when the draft
/// cannot be removed (it used to exist twice, unnoticed by `check`); in git, when the numbered
/// text cannot be written after `git mv` (the EP used to stay moved but unnumbered).
#[test]
fn a_failed_promotion_leaves_the_draft_as_it_was() {
    let draft = "src/eps/beta/draft-2026-02-01-sooner.md";
    let numbered = "src/eps/beta/0008-sooner/README.md";

    let plain = BookTest::from_fixture("three-sigs");
    let before = files(plain.path());
    let out = run_with_fault(&plain, &format!("remove:{draft}"), &["promote", draft]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(files(plain.path()), before, "outside git");
    assert!(!plain.join("src/eps/beta/0008-sooner").exists());

    let repo = BookTest::from_fixture("three-sigs");
    repo.git(&["init", "-q"])
        .git(&["add", "-A"])
        .git(&["commit", "-qm", "init"]);
    let out = run_with_fault(&repo, &format!("prepare:{numbered}"), &["promote", draft]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("injected failure"),
        "{}",
        stderr(&out)
    );
    let status = std::process::Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert_eq!(
        stdout(&status),
        "",
        "git sees a change after a failed promote"
    );
    assert!(!repo.join("src/eps/beta/0008-sooner").exists());
    // Run again without the failure: it finishes the job.
    let out = repo.run(&["promote", draft]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(repo.read(numbered).contains("number: 8\n"));
}

/// A title or handle that a spreadsheet would run as a formula is plain text in eps.csv.
#[test]
fn csv_cells_never_run_as_formulas() {
    let book = BookTest::from_fixture("three-sigs");
    book.append_to_book_toml("[output.html]\n\n[output.ep]\n")
        .edit("src/eps/alpha/0001-first/README.md", |t| {
            t.replace(
                "title: First alpha",
                "title: '=HYPERLINK(\"https://evil.example\", \"x\")'",
            )
        });
    let built = book.build();
    built.assert_exit(0);
    let csv = built.read("ep/eps.csv");
    let row = csv.lines().find(|l| l.starts_with("1,")).unwrap();
    assert!(row.starts_with("1,\"'=HYPERLINK("), "{row}");
    for cell in csv.lines().skip(1).flat_map(|l| l.split(',')) {
        let cell = cell.trim_start_matches('"');
        assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell} in {csv}");
    }
}

/// `check` on a folder that is not a book fails (exit 2) instead of "checked 0 EPs", so a
/// path typo in CI does not pass.
#[test]
fn check_and_build_refuse_a_folder_that_is_not_a_book() {
    let empty = BookTest::empty();
    for dir in [
        empty.path().join("no-such-folder"),
        empty.path().to_path_buf(),
    ] {
        for command in ["check", "build", "summary"] {
            let out = run(&[command, "--book", dir.to_str().unwrap()], None);
            let err = stderr(&out);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{command} {}: {err}",
                dir.display()
            );
            assert!(
                err.contains("error[EP0004]: cannot find a book in"),
                "{err}"
            );
        }
    }
}

/// Escape sequences in metadata (here OSC to retitle the terminal, and a colour) never reach
/// the terminal raw: messages show them escaped, quoted lines show a replacement character.
#[test]
fn control_characters_in_metadata_are_inert_in_diagnostics() {
    let book = BookTest::from_fixture("three-sigs");
    book.edit("src/eps/alpha/0001-first/README.md", |t| {
        t.replace("state: provisional", "state: \"\\e]0;pwned\\a\\e[31mred\"")
    });
    for format in ["human", "github"] {
        let out = book.run(&["check", "--format", format]);
        assert_eq!(out.status.code(), Some(1));
        let all = format!("{}{}", stderr(&out), stdout(&out));
        assert!(all.contains("EP0102"), "{all}");
        assert!(!all.contains('\u{1b}') && !all.contains('\u{7}'), "{all:?}");
        assert!(all.contains("\\u{1b}"), "{all}");
    }
}

/// A title with a line break used to pass `check`, split the page's H1 and make
/// `summary --write` write a SUMMARY.md mdBook cannot parse. Now `new` refuses it, `check`
/// reports EP0107, and even with the rule allowed the book and SUMMARY.md stay whole.
#[test]
fn a_title_with_a_line_break_cannot_break_the_book() {
    let book = BookTest::from_fixture("three-sigs");
    let before = files(book.path());
    let out = book.run(&[
        "new",
        "--sig",
        "beta",
        "--title",
        "a\n- [x](y.md)",
        "--author",
        "@b",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("line break"), "{}", stderr(&out));
    assert_eq!(files(book.path()), before, "new wrote something");

    book.edit("src/eps/alpha/0001-first/README.md", |t| {
        t.replace("title: First alpha", "title: \"First\\n- [x](y.md)\"")
    });
    let out = book.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error[EP0107]"), "{}", stderr(&out));

    book.edit("book.toml", |t| {
        t.replace(
            "[preprocessor.ep]\n",
            "[preprocessor.ep]\nrules = { EP0107 = \"allow\" }\n",
        )
    });
    let out = book.run(&["summary", "--write"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary = book.read("src/SUMMARY.md");
    assert!(
        summary.contains("[EP-0001: First - \\[x\\](y.md)]"),
        "{summary}"
    );
    let built = book.build();
    built.assert_exit(0);
    let page = built.read("eps/alpha/0001-first/index.html");
    assert!(page.contains("First - [x](y.md)"), "the title is one line");
}

/// Files keep what they were: a symlinked SUMMARY.md stays a link (its target is written), and
/// every new file, a draft or the exports, gets the mode the umask gives (it was 0600).
#[cfg(unix)]
#[test]
fn links_stay_links_and_new_files_get_the_umasks_mode() {
    use std::os::unix::fs::PermissionsExt;
    let book = BookTest::from_fixture("three-sigs");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let probe = book.join("probe");
    std::fs::File::create(&probe).unwrap();
    let umask_mode = mode(&probe);
    std::fs::remove_file(&probe).unwrap();

    std::fs::rename(book.join("src/SUMMARY.md"), book.join("SUMMARY.real.md")).unwrap();
    std::os::unix::fs::symlink("../SUMMARY.real.md", book.join("src/SUMMARY.md")).unwrap();
    let out = book.run(&["summary", "--write"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let link = std::fs::symlink_metadata(book.join("src/SUMMARY.md")).unwrap();
    assert!(
        link.file_type().is_symlink(),
        "SUMMARY.md became a regular file"
    );
    assert!(book.read("SUMMARY.real.md").contains("<!-- ep:summary -->"));

    let out = book.run(&["new", "--sig", "beta", "--title", "Modes", "--author", "@b"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let draft = book.join(String::from_utf8(out.stdout).unwrap().trim());
    assert_eq!(mode(&draft), umask_mode, "draft");

    book.append_to_book_toml("[output.html]\n\n[output.ep]\n");
    let built = book.build();
    built.assert_exit(0);
    assert_eq!(mode(&built.join("ep/eps.json")), umask_mode, "eps.json");
}

/// A key given twice is reported at its second line, and a YAML error is the one error of its
/// EP: no "required field is missing" for every field the parser never got to read, no missing
/// section whose requirement depends on the unknown state.
#[test]
fn a_broken_metadata_block_is_one_error_at_the_right_line() {
    let book = BookTest::from_fixture("rules/EP0104-wrong-type");
    book.write(
        "src/eps/devex/0001-good/README.md",
        "---\ntitle: A\nnumber: 1\nauthors: [\"@a\"]\nowning-sig: devex\nstate: provisional\ncreation-date: 2026-01-05\ntitle: B\n---\n## Summary\n\nS.\n",
    );
    // Without metadata the state is unknown, so which sections are required is too: the
    // missing "Motivation" is not reported until the metadata parses.
    let out = book.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = json["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0]["code"], "EP0101");
    assert_eq!(diags[0]["line"], 8, "the second `title:`");
    let help = diags[0]["help"].as_str().unwrap();
    assert!(
        help.starts_with("keep one \"title\" line.") && help.contains("other checks wait"),
        "{help}"
    );
}

/// After EP 4294967295 there is no next number: promote refuses instead of wrapping to EP-0000.
#[test]
fn promote_after_the_highest_number_is_refused() {
    let book = BookTest::from_fixture("three-sigs");
    std::fs::rename(
        book.join("src/eps/gamma/0005-done"),
        book.join("src/eps/gamma/4294967295-done"),
    )
    .unwrap();
    book.edit("src/eps/gamma/4294967295-done/README.md", |t| {
        t.replace("number: 5", "number: 4294967295")
    });
    let before = files(book.path());
    let out = book.run(&["promote", "src/eps/beta/draft-2026-02-01-sooner.md"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("EP-4294967295 is the highest EP number there can be"),
        "{}",
        stderr(&out)
    );
    assert_eq!(files(book.path()), before);
}

/// A reader that stops early (`mdbook-ep toc | head`) closes the pipe: the command ends
/// quietly instead of panicking.
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let dir = BookTest::empty();
    let mut text = String::from("# T\n\n<!-- toc -->\n<!-- /toc -->\n\n");
    for i in 0..5000 {
        text.push_str(&format!("## Heading {i}\n"));
    }
    dir.write("big.md", &text);
    let mut child = mdbook_ep_command()
        .args(["toc", dir.join("big.md").to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// A CRLF file stays CRLF: the lines `state`, `toc --write` and `summary --write` write end
/// the way the file's do (they used to mix LF lines in).
#[test]
fn crlf_files_stay_crlf() {
    let book = BookTest::from_fixture("three-sigs");
    let crlf = |rel: &str| {
        book.edit(rel, |t| t.replace('\n', "\r\n"));
    };
    let ep = "src/eps/alpha/0001-first/README.md";
    crlf(ep);
    crlf("src/SUMMARY.md");
    book.edit(ep, |t| {
        t.replacen(
            "## Summary",
            "<!-- toc -->\r\n<!-- /toc -->\r\n\r\n## Summary",
            1,
        )
    });
    for args in [
        vec!["state", "1", "deferred"],
        vec!["toc", "--write", ep],
        vec!["summary", "--write"],
    ] {
        let out = book.run(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    }
    for rel in [ep, "src/SUMMARY.md"] {
        let text = book.read(rel);
        assert!(
            !text.replace("\r\n", "").contains('\n'),
            "{rel} has LF lines: {text:?}"
        );
    }
    assert!(book.read(ep).contains("state: deferred\r\n"));
    assert!(book.read(ep).contains("<!-- toc -->\r\n- ["));
    assert!(
        book.read("src/SUMMARY.md")
            .contains("<!-- ep:summary -->\r\n")
    );
}

/// On the real KEP sample: `state` edits a KEP's CRLF `kep.yaml` in place, under its own
/// `status:` spelling, with CRLF lines, and changes nothing else in the repository.
#[test]
fn a_kep_state_change_keeps_the_keps_own_bytes() {
    let relaxed = [
        "EP0103", "EP0201", "EP0202", "EP0401", "EP0403", "EP0404", "EP0601", "EP0501", "EP0604",
    ]
    .map(|c| (c, "warn"));
    let book = BookTest::kep_sample("# Summary\n", &relaxed);
    let sidecar = "src/keps/sig-apps/2255-pod-cost/kep.yaml";
    book.edit(sidecar, |t| t.replace('\n', "\r\n"));
    let old = book.read(sidecar);
    assert!(old.contains("status: implementable\r\n"), "sample changed");
    let before = files(book.path());
    let out = book.run(&["state", "2255", "withdrawn"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let new = book.read(sidecar);
    assert!(!new.replace("\r\n", "").contains('\n'), "LF lines: {new:?}");
    assert!(
        new.contains("status: withdrawn\r\n") && !new.contains("\nstate:"),
        "{new}"
    );
    let unchanged = |t: &str| -> Vec<String> {
        t.split_inclusive("\r\n")
            .filter(|l| !l.starts_with("status:") && !l.starts_with("last-updated:"))
            .map(String::from)
            .collect()
    };
    assert_eq!(unchanged(&new), unchanged(&old));
    let mut after = files(book.path());
    after.remove(Path::new(sidecar));
    let mut expected = before;
    expected.remove(Path::new(sidecar));
    assert_eq!(after, expected, "another file changed");
}

/// An `eps-dir` that leaves the repository is refused by every command, `install` included,
/// before anything is written: the link it would create would publish whatever it points at.
#[test]
fn an_eps_dir_outside_the_repository_is_refused_before_any_write() {
    let book = BookTest::empty();
    book.write(
        "book.toml",
        "[book]\ntitle = \"x\"\n\n[preprocessor.ep]\neps-dir = \"../../../../etc\"\n",
    )
    .write("src/SUMMARY.md", "# Summary\n");
    let before = files(book.path());
    for args in [vec!["install"], vec!["check"], vec!["build"]] {
        let out = book.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("leaves the repository"),
            "{}",
            stderr(&out)
        );
        assert_eq!(files(book.path()), before, "{args:?} wrote something");
        assert!(std::fs::symlink_metadata(book.join("src/etc")).is_err());
    }
    // Also when the folder does not exist (yet).
    book.edit("book.toml", |t| t.replace("etc", "nowhere-at-all"));
    let out = book.run(&["install"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(std::fs::symlink_metadata(book.join("src/nowhere-at-all")).is_err());
}

/// A YAML error in one EP is that EP's one error: the EPs that link to it are not blamed for a
/// back-link nobody can read.
#[test]
fn broken_metadata_does_not_make_its_neighbours_fail() {
    let book = BookTest::from_fixture("three-sigs");
    let out = book.run(&["state", "1", "replaced", "--by", "4"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    book.edit("src/eps/alpha/0004-fourth/README.md", |t| {
        t.replacen("title: ", "title: \"unclosed ", 1)
    });
    let out = book.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["EP0101"], "{json:#}");
}

/// Every `--check` only reads: on a book where each of them fails (stale SUMMARY region,
/// stale TOC, stale CODEOWNERS, no install, a stale baseline), no file is written, created
/// or removed, and each exits 1.
#[test]
fn every_check_flag_only_reads() {
    let book = BookTest::from_fixture("three-sigs");
    let ep = "src/eps/alpha/0001-first/README.md";
    // A baseline that records a problem fixed since.
    book.edit(ep, |t| t.replace("state: provisional", "state: provisionl"));
    let write = book.run(&["baseline", "--write"]);
    assert_eq!(write.status.code(), Some(0), "{}", stderr(&write));
    book.edit(ep, |t| t.replace("state: provisionl", "state: provisional"));
    book.git(&["init", "-q"])
        .write(".github/CODEOWNERS", "* @team\n")
        .edit(ep, |t| {
            t.replace("## Summary", "<!-- toc -->\n<!-- /toc -->\n\n## Summary")
        });
    let before = files(book.path());
    for command in [
        &["summary", "--check"][..],
        &["toc", "--check"],
        &["codeowners", "--check"],
        &["install", "--check"],
        &["baseline", "--check"],
    ] {
        let out = book.run(command);
        assert_eq!(out.status.code(), Some(1), "{command:?}: {}", stderr(&out));
        assert!(files(book.path()) == before, "{command:?} wrote a file");
    }
}

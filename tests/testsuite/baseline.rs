//! `mdbook-ep baseline` on the KEP sample: one command from red to green, new problems still
//! fail, fixed ones make the file shrink.

use crate::book_test::*;

const KEP: &str = "src/keps/sig-apps/1591-daemonset-surge";

#[test]
fn a_baseline_takes_the_kep_sample_to_green_and_only_shrinks() {
    let book = BookTest::kep_sample(
        "# Summary\n\n- [KEP template](keps/NNNN-kep-template/README.md)\n",
        &[],
    );
    let red = book.run(&["check"]);
    assert_eq!(red.status.code(), Some(1), "the sample has problems");
    assert!(
        stderr(&red).contains("`mdbook-ep baseline --write` records these"),
        "the red check points at the baseline: {}",
        stderr(&red)
    );
    let write = book.run(&["baseline", "--write"]);
    assert_eq!(write.status.code(), Some(0), "{}", stderr(&write));
    assert!(
        stderr(&write).contains("wrote ep-baseline.toml"),
        "{}",
        stderr(&write)
    );

    // Green: check, the build, and the baseline's own check.
    let green = book.run(&["check"]);
    assert_eq!(green.status.code(), Some(0), "{}", stderr(&green));
    assert!(!stderr(&green).contains("error["), "{}", stderr(&green));
    assert!(
        stderr(&green).contains("known problems in"),
        "{}",
        stderr(&green)
    );
    // The output the CI page shows for this sample, line for line.
    let page = read(&repo().join("book/guide/ci.md"));
    let shown = page
        .split("```text\n")
        .find(|b| b.contains("known problems in"))
        .and_then(|b| b.split("```").next())
        .expect("ci.md shows the baseline's output");
    for line in shown.lines() {
        assert!(
            stderr(&green).contains(line),
            "{line}\nnot in\n{}",
            stderr(&green)
        );
    }
    let built = book.build();
    built.assert_exit(0);
    assert!(built.stderr().contains("held back by `ep-baseline.toml`"));
    assert_eq!(book.run(&["baseline", "--check"]).status.code(), Some(0));
    let json = book.run(&["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["errors"], 0);
    assert!(report["held-back"].as_u64().unwrap() > 1000, "{report}");

    // The file is what `baseline` prints, and rewriting it changes nothing.
    let file = book.read("ep-baseline.toml");
    assert_eq!(stdout(&book.run(&["baseline"])), file);
    let again = book.run(&["baseline", "--write"]);
    assert!(
        stderr(&again).contains("is up to date"),
        "{}",
        stderr(&again)
    );

    // Moving lines around (a paragraph added at the top) keeps every entry.
    book.edit(&format!("{KEP}/README.md"), |t| {
        format!("Intro paragraph.\n\n{t}")
    });
    assert_eq!(book.run(&["check"]).status.code(), Some(0));

    // A new typo in any KEP fails the build again, with only that problem shown.
    book.edit(&format!("{KEP}/kep.yaml"), |t| {
        t.replace("creation-date: ", "creation-date: 20x")
    });
    let new = book.run(&["check"]);
    assert_eq!(new.status.code(), Some(1), "{}", stderr(&new));
    let err = stderr(&new);
    assert_eq!(err.matches("error[EP").count(), 2, "{err}"); // the problem and EP0009
    assert!(err.contains("error[EP0201]"), "{err}");
    assert_eq!(book.build().code(), Some(1));
    // Rewriting the baseline does not hide it: it is recorded only on purpose.
    let rewrite = book.run(&["baseline", "--write"]);
    assert_eq!(rewrite.status.code(), Some(0), "{}", stderr(&rewrite));
    assert!(
        stderr(&rewrite).contains("1 new problem is not recorded"),
        "{}",
        stderr(&rewrite)
    );
    assert_eq!(book.run(&["check"]).status.code(), Some(1));
    book.edit(&format!("{KEP}/kep.yaml"), |t| {
        t.replace("creation-date: 20x", "creation-date: ")
    });

    // Metadata that stops parsing pauses the EP's checks: its entries are not "fixed".
    let yaml = book.read(&format!("{KEP}/kep.yaml"));
    book.write(
        &format!("{KEP}/kep.yaml"),
        format!("title: \"unclosed\n{yaml}"),
    );
    let paused = book.run(&["baseline", "--check"]);
    assert_eq!(paused.status.code(), Some(0), "{}", stdout(&paused));
    book.run(&["baseline", "--write"]);
    assert_eq!(
        book.read("ep-baseline.toml"),
        file,
        "the paused EP's entries stay"
    );
    book.write(&format!("{KEP}/kep.yaml"), &yaml);
    assert_eq!(book.run(&["check"]).status.code(), Some(0));

    // Fixing a recorded problem: the baseline is stale until it is rewritten, smaller.
    book.edit(&format!("{KEP}/README.md"), |t| {
        format!("{t}\n## Alternatives\n\nNone considered.\n")
    });
    assert_eq!(book.run(&["check"]).status.code(), Some(0));
    let stale = book.run(&["baseline", "--check"]);
    assert_eq!(stale.status.code(), Some(1), "{}", stderr(&stale));
    assert!(
        stdout(&stale).contains(&format!(
            "fixed: {KEP}/README.md EP0601 missing section \"Alternatives\""
        )),
        "{}",
        stdout(&stale)
    );
    assert!(
        stderr(&stale).contains("baseline --write"),
        "{}",
        stderr(&stale)
    );
    book.run(&["baseline", "--write"]);
    let shrunk = book.read("ep-baseline.toml");
    assert_eq!(
        shrunk.lines().count() + 1,
        file.lines().count(),
        "one entry fewer"
    );
    assert!(!shrunk.contains("missing section \\\"Alternatives\\\"") || shrunk.len() < file.len());
    assert_eq!(book.run(&["baseline", "--check"]).status.code(), Some(0));
}

/// A state change on a legacy EP is not refused for the problems the baseline holds back.
#[test]
fn commands_on_a_baselined_ep_are_not_refused_for_its_old_problems() {
    let book = BookTest::kep_sample("# Summary\n", &[]);
    book.run(&["baseline", "--write"]);
    let out = book.run(&["state", "1591", "implemented"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// A problem recorded on purpose with `--add-new` no longer fails the build.
#[test]
fn new_problems_are_recorded_only_on_purpose() {
    let book = BookTest::from_fixture("three-sigs");
    assert_eq!(book.run(&["baseline", "--write"]).status.code(), Some(0));
    book.edit("src/eps/alpha/0001-first/README.md", |t| {
        t.replace("creation-date: 2026-01-05", "creation-date: 2026-13-05")
    });
    assert_eq!(book.run(&["check"]).status.code(), Some(1));
    book.run(&["baseline", "--write"]);
    assert_eq!(book.run(&["check"]).status.code(), Some(1), "not recorded");
    let add = book.run(&["baseline", "--write", "--add-new"]);
    assert!(stderr(&add).contains("1 recorded now"), "{}", stderr(&add));
    assert_eq!(book.run(&["check"]).status.code(), Some(0));
}

/// Without a baseline, `--check` says how to make one; a broken file names its line.
#[test]
fn a_missing_or_broken_baseline_says_what_to_do() {
    let book = BookTest::from_fixture("three-sigs");
    let out = book.run(&["baseline", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("mdbook-ep baseline --write"),
        "{}",
        stderr(&out)
    );
    book.write("ep-baseline.toml", "version = 1\n[[ep]]\npath = 3\n");
    let out = book.run(&["check"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("ep-baseline.toml") && stderr(&out).contains("line 3"),
        "{}",
        stderr(&out)
    );
    // The fix `check` names is one that works.
    assert!(
        stderr(&out).contains("`mdbook-ep baseline --write --add-new`"),
        "{}",
        stderr(&out)
    );
    // A plain --write does not paper over it; the command the message suggests does. The
    // problem is said once, with one help.
    let plain = book.run(&["baseline", "--write"]);
    assert_eq!(plain.status.code(), Some(2), "{}", stderr(&plain));
    assert!(
        stderr(&plain).contains("baseline --write --add-new"),
        "{}",
        stderr(&plain)
    );
    assert_eq!(
        stderr(&plain).matches("error[EP0001]").count(),
        1,
        "{}",
        stderr(&plain)
    );
    assert_eq!(
        stderr(&plain).matches("help:").count(),
        1,
        "{}",
        stderr(&plain)
    );
    let repair = book.run(&["baseline", "--write", "--add-new"]);
    assert_eq!(repair.status.code(), Some(0), "{}", stderr(&repair));
    assert!(
        stderr(&repair).contains("cannot be read"),
        "{}",
        stderr(&repair)
    );
    assert_eq!(book.run(&["check"]).status.code(), Some(0));
}

/// A clean book's empty baseline holds nothing back and says nothing about it.
#[test]
fn an_empty_baseline_says_nothing() {
    let book = BookTest::from_fixture("three-sigs");
    assert_eq!(book.run(&["baseline", "--write"]).status.code(), Some(0));
    let check = book.run(&["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(!stderr(&check).contains("held back"), "{}", stderr(&check));
}

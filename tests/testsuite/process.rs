//! The process questions the commands answer: which EPs wait for a decision (`stale-after-days`,
//! `list --stale`).

use crate::book_test::*;
use crate::kpi::book_with_history;

#[test]
fn open_eps_unchanged_for_too_long_are_stale_by_their_last_commit() {
    let book = book_with_history();
    book.edit("book.toml", |t| {
        t.replace(
            "[preprocessor.ep]\n",
            "[preprocessor.ep]\nstale-after-days = 200\n",
        )
    });
    let out = book.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let stale: Vec<String> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "EP0504")
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect();
    // Committed on 2026-01-10 and open: 319 days on 2026-11-25. EP-0003 was completed and the
    // draft promoted on 2026-04-02 (237 days): a commit restarts the clock, whatever
    // `last-updated` says.
    assert!(
        stale.iter().any(|m| m.starts_with("EP-0001 has been `provisional` without a change for 319 days, since 2026-01-10 (its last commit)")),
        "{stale:#?}"
    );
    assert!(
        stale.iter().all(|m| !m.starts_with("EP-0003")),
        "{stale:#?}"
    );
    assert!(
        stale.iter().any(|m| m.starts_with(
            "EP-0008 has been `provisional` without a change for 237 days, since 2026-04-02"
        )),
        "{stale:#?}"
    );
    // A warning: the build still passes, and says it.
    let built = book.build();
    built.assert_exit(0);
    assert!(
        built.stderr().contains("warning[EP0504]"),
        "{}",
        built.stderr()
    );

    // `list --stale` takes the book's limit, or one given; it shows the wait.
    let listed = stdout(&book.run(&["list", "--stale", "250"]));
    assert!(listed.starts_with("EP       STATE"), "{listed}");
    assert!(listed.contains("319 days"), "{listed}");
    assert!(!listed.contains("237 days"), "{listed}");
    let by_config = stdout(&book.run(&["list", "--stale"]));
    assert!(by_config.contains("237 days"), "{by_config}");
    assert!(!by_config.contains("EP-0003"), "{by_config}");
}

#[test]
fn an_exemption_or_no_limit_silences_the_stale_warning() {
    let book = BookTest::from_fixture("rules/EP0504-stale-ep");
    book.edit("src/eps/devex/0001-good/README.md", |t| {
        t.replace(
            "last-updated: 2025-03-01\n",
            "last-updated: 2025-03-01\nexempt:\n  EP0504: \"waits for the new data centre\"\n",
        )
    });
    let built = book.build();
    built.assert_exit(0);
    assert!(!built.stderr().contains("EP0504"), "{}", built.stderr());

    let book = BookTest::from_fixture("rules/EP0504-stale-ep");
    book.edit("book.toml", |t| t.replace("stale-after-days = 180\n", ""));
    assert!(!book.build().stderr().contains("EP0504"));
    let out = book.run(&["list", "--stale"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("`--stale` needs a number of days"));

    for bad in ["0", "-3", "\"soon\""] {
        let book = BookTest::from_fixture("rules/EP0504-stale-ep");
        book.edit("book.toml", |t| {
            t.replace(
                "stale-after-days = 180",
                &format!("stale-after-days = {bad}"),
            )
        });
        let out = book.run(&["check"]);
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("stale-after-days"),
            "{bad}: {}",
            stderr(&out)
        );
    }
}

/// A state change that would break several rules names them all, not one per run.
#[test]
fn a_refused_state_change_lists_every_problem_it_would_cause() {
    let book = BookTest::from_fixture("three-sigs");
    book.edit("src/eps/alpha/0001-first/README.md", |t| {
        t.replace("\nS.\n", "\n").replace("\nD.\n", "\n")
    });
    let ep = "src/eps/alpha/0001-first/README.md";
    let before = book.read(ep);
    let out = book.run(&["state", "1", "implementable"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("the change would cause 3 problems:"), "{err}");
    assert!(err.contains("EP0501 in `"), "{err}");
    assert!(
        err.contains(
            "EP0604 in `src/eps/alpha/0001-first/README.md:10`: section \"Summary\" is empty"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "EP0604 in `src/eps/alpha/0001-first/README.md:13`: section \"Design\" is empty"
        ),
        "{err}"
    );
    assert_eq!(book.read(ep), before, "nothing written");
}

/// `assign` on a real book: the least loaded non-author per SIG, recorded by `--write` in the
/// two keys only, after which EP0505 is gone; a second run has nothing to propose.
#[test]
fn assign_proposes_records_and_quiets_the_participating_sig_warning() {
    let book = BookTest::from_fixture("rules/EP0505-unreviewed-sig");
    let ep = "src/eps/devex/0001-good/README.md";
    let before = book.read(ep);
    let built = book.build();
    assert!(
        built.stderr().contains("warning[EP0505]"),
        "{}",
        built.stderr()
    );

    let out = book.run(&["assign", "1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "EP-0001: Good\n  reviewer for Platform: @pat (reviews 0 open EPs)\nrecord them with `mdbook-ep assign 1 --write`\n"
    );
    assert_eq!(book.read(ep), before, "a proposal writes nothing");

    let out = book.run(&["assign", "1", "--write"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = book.read(ep);
    assert_eq!(
        after,
        before.replace("reviewers: [\"@rob\"]", "reviewers: [\"@rob\", \"@pat\"]")
    );
    assert!(!book.build().stderr().contains("EP0505"));
    let again = stdout(&book.run(&["assign", "1"]));
    assert!(again.contains("nothing to propose"), "{again}");
}

#[test]
fn new_with_assign_names_reviewers_in_the_draft_and_assign_refuses_without_a_registry() {
    let book = BookTest::from_fixture("rules/EP0505-unreviewed-sig");
    let out = book.run(&[
        "new",
        "--sig",
        "platform",
        "--title",
        "Faster CI",
        "--author",
        "@pia",
        "--assign",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    // @pia wrote it: @pat reviews. Platform names no approvers, so none is proposed.
    assert!(
        stdout(&out).contains("  reviewer for platform: @pat\n"),
        "{}",
        stdout(&out)
    );
    let draft = book.read("src/eps/platform/draft-2026-11-25-faster-ci.md");
    assert!(draft.contains("reviewers: [\"@pat\"]"), "{draft}");

    let plain = BookTest::from_fixture("three-sigs");
    plain.edit("book.toml", |t| {
        t[..t.find("[preprocessor.ep.sigs.alpha]").unwrap()].to_string()
    });
    let out = plain.run(&["assign", "1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no SIG registry"), "{}", stderr(&out));
}

#[test]
fn list_sorts_by_update_state_or_sig_keeping_the_books_order_on_ties() {
    let book = BookTest::from_fixture("three-sigs");
    let first_column = |args: &[&str]| -> Vec<String> {
        stdout(&book.run(args))
            .lines()
            .skip(1)
            .map(|l| l.split_whitespace().next().unwrap_or_default().to_string())
            .collect()
    };
    let by_book = first_column(&["list"]);
    let by_state = first_column(&["list", "--sort", "state"]);
    assert_eq!(by_book.len(), by_state.len());
    let states: Vec<String> = stdout(&book.run(&["list", "--sort", "state"]))
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().nth(1).unwrap_or_default().to_string())
        .collect();
    let order = |s: &str| mdbook_ep::State::ALL.iter().position(|x| x.as_str() == s);
    assert!(
        states.windows(2).all(|w| order(&w[0]) <= order(&w[1])),
        "{states:?}"
    );
    let sigs: Vec<String> = stdout(&book.run(&["list", "--sort", "sig"]))
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().nth(2).unwrap_or_default().to_string())
        .collect();
    assert!(sigs.windows(2).all(|w| w[0] <= w[1]), "{sigs:?}");
    // In a narrow terminal (`COLUMNS`) titles are cut to fit.
    let narrow = mdbook_ep_command()
        .args(["list"])
        .current_dir(book.path())
        .env("COLUMNS", "55")
        .output()
        .unwrap();
    let narrow = stdout(&narrow);
    assert!(narrow.lines().all(|l| l.chars().count() <= 55), "{narrow}");
    assert!(narrow.contains('…'), "{narrow}");
    let out = book.run(&["list", "--sort", "size"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown order is a usage error"
    );
}

/// `assign` on a real KEP: its `kep.yaml` gets the names in place of `TBD`, and no other line
/// of the file changes.
#[test]
fn assign_works_on_a_kep_and_edits_only_its_two_keys() {
    let book = BookTest::kep_sample("# Summary\n", &[]);
    book.edit("book.toml", |t| {
        format!(
            "{t}\n[preprocessor.ep.sigs.sig-apps]\nreviewers = [\"@kow3ns\", \"@janetkuo\", \"@soltysh\"]\napprovers = [\"@janetkuo\", \"@soltysh\"]\n"
        )
        .replace("[preprocessor.ep.rules]\n", "[preprocessor.ep.rules]\nEP0305 = \"allow\"\n")
    });
    let kep = "src/keps/sig-apps/2360-optional-service-environment-variables/kep.yaml";
    let before = book.read(kep);
    let out = book.run(&["assign", "2360"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The least loaded across the sample's open sig-apps KEPs.
    assert_eq!(
        stdout(&out).lines().skip(1).take(2).collect::<Vec<_>>(),
        [
            "  reviewer for sig-apps: @janetkuo (reviews 10 open EPs)",
            "  approver for sig-apps: @soltysh (approves 40 open EPs)"
        ]
    );
    let out = book.run(&["assign", "2360", "--write"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = book.read(kep);
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert!(after.contains("reviewers: [\"@janetkuo\"]\n"), "{after}");
    assert!(after.contains("approvers: [\"@soltysh\"]\n"), "{after}");
    let kept: Vec<&str> = before
        .lines()
        .filter(|l| !l.starts_with("reviewers") && !l.starts_with("approvers") && *l != "  - TBD")
        .collect();
    let now: Vec<&str> = after
        .lines()
        .filter(|l| !l.starts_with("reviewers") && !l.starts_with("approvers"))
        .collect();
    assert_eq!(kept, now, "only the two keys changed: {changed:?}");
}

//! KPIs from a real git history with commits at fixed dates: created and completed per PI,
//! changes per EP across a draft's promotion, and the shallow-clone warning.

use std::process::Command;

use crate::book_test::*;

/// Replaces the first `from` in a file of the book, which must hold it.
fn edit(book: &BookTest, rel: &str, from: &str, to: &str) {
    book.edit(rel, |text| {
        assert!(text.contains(from), "{from} not in {rel}");
        text.replacen(from, to, 1)
    });
}

/// The three-SIG book with KPIs and the export on, committed on 2026-01-10 (PI 1).
fn three_sigs_in_git() -> BookTest {
    let book = BookTest::from_fixture("three-sigs");
    book.append_to_book_toml(
        "[preprocessor.ep.kpi]\npi-start = \"2026-01-05\"\npi-weeks = 10\n\n[output.html]\n\n[output.ep]\n",
    )
    .git_at("2026-01-10", &["init", "-q"])
    .git_at("2026-01-10", &["add", "-A"])
    .git_at("2026-01-10", &["commit", "-qm", "start"]);
    book
}

/// The three-SIG book with a history: everything on 2026-01-10 (PI 1), EP-0003 completed on
/// 2026-04-10 (PI 2) through every state, and the 2026-02-01 draft promoted on 2026-04-02.
pub(crate) fn book_with_history() -> BookTest {
    let book = three_sigs_in_git();
    for (date, from, to) in [
        ("2026-03-20", "state: implementable", "state: implemented"),
        ("2026-03-27", "state: implemented", "state: staged"),
        ("2026-04-10", "state: staged", "state: completed"),
    ] {
        edit(&book, "src/eps/beta/0003-new/README.md", from, to);
        book.git_at(date, &["commit", "-qam", "move EP-0003"]);
    }
    let out = book.run(&["promote", "src/eps/beta/draft-2026-02-01-sooner.md"]);
    assert!(out.status.success(), "{}", stderr(&out));
    book.git_at("2026-04-02", &["commit", "-qam", "promote"]);
    book
}

#[test]
fn created_completed_and_changes_per_pi_from_git() {
    let built = book_with_history().build();
    built.assert_exit(0);
    let kpi = built.json("ep/kpi.json");
    let k = &kpi["kpi"];
    assert_eq!(k["git"], "full");
    let pi1 = &k["increments"][0];
    assert_eq!(
        (
            pi1["name"].as_str(),
            pi1["start"].as_str(),
            pi1["end"].as_str()
        ),
        (Some("PI 1"), Some("2026-01-05"), Some("2026-03-15"))
    );
    // Every EP's creation-date (2026-01-05, 2026-02-01, 2026-03-02) lies in PI 1.
    assert_eq!(pi1["created"], 9);
    // EP-0003 was completed on 2026-04-10, in PI 2. EP-0005 arrived already completed and has
    // no last-updated: nothing says when, so it counts nowhere, and the sources say so.
    assert_eq!(pi1["completed"], 0);
    assert_eq!(k["increments"][1]["completed"], 1);
    assert_eq!(k["sources"]["completed-from-git"], 1);
    assert_eq!(k["sources"]["completed-unknown"], 1);
    // Changes: EP-0003 four commits; the promoted draft two (its draft commit and the move).
    let changes = |n: u64| built.ep_record(n)["changes"].clone();
    assert_eq!(changes(3), 4);
    assert_eq!(changes(8), 2);
    assert_eq!(changes(5), 1);
    assert_eq!(k["changes"]["count"], 9);
    assert_eq!(k["changes"]["median"], 1.0);
    // EP-0003 stayed 69 days implementable (2026-01-10 to 03-20), 7 implemented, 14 staged.
    let days = k["days-in-state"].as_array().unwrap();
    let median = |state: &str| {
        days.iter().find(|d| d["state"] == state).unwrap()["median-days"]
            .as_f64()
            .unwrap()
    };
    assert_eq!(
        (
            median("implementable"),
            median("implemented"),
            median("staged")
        ),
        (69.0, 7.0, 14.0)
    );
    // Open EPs, oldest first, with their age in days (from 2026-01-05 to today).
    assert!(k["open-by-age"][0]["age-days"].as_i64().unwrap() > 300);
}

#[test]
fn a_shallow_clone_is_reported() {
    let book = book_with_history();
    let shallow = BookTest::empty();
    let url = format!("file://{}", book.path().display());
    let out = Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(shallow.join("book"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let built = build(&shallow.join("book"));
    built.assert_exit(0);
    assert!(
        built
            .stderr()
            .contains("KPIs need full history (this is a shallow clone"),
        "{}",
        built.stderr()
    );
    assert_eq!(built.json("ep/kpi.json")["kpi"]["git"], "shallow");
}

#[test]
fn without_git_changes_are_unavailable_not_zero() {
    let book = BookTest::from_fixture("three-sigs");
    book.append_to_book_toml("[output.html]\n\n[output.ep]\n");
    let built = book.build();
    built.assert_exit(0);
    let kpi = built.json("ep/kpi.json");
    let k = &kpi["kpi"];
    assert_eq!(k["git"], "unavailable");
    assert!(k["changes"].is_null());
    let eps = built.json("ep/eps.json");
    assert!(eps["eps"][0]["changes"].is_null());
    // The one completed EP falls back to its last-updated (none here): the source says so.
    assert_eq!(k["sources"]["completed-from-git"], 0);
}

#[test]
fn dashboard_chapter_and_feed() {
    let built = book_with_history().build();
    built.assert_exit(0);
    let page = built.read("html/eps/dashboard.html");
    assert!(
        page.contains("<svg class=\"ep-chart\" role=\"img\""),
        "no chart"
    );
    assert!(page.contains(
        "<title id=\"ep-chart-title\">EPs created and completed per planning increment</title>"
    ));
    assert!(
        page.contains("PI 1: 9 created"),
        "bar titles for screen readers"
    );
    assert!(page.contains("<td>PI 2</td>"));
    // The days-in-state column says what an empty cell means.
    assert!(
        page.contains("for stays that have ended; “–” means no EP has left that state yet."),
        "{page}"
    );
    assert!(page.contains("Oldest open EPs"));
    // The dashboard is an ordinary chapter: in the sidebar and on the print page.
    assert!(built.read("html/toc.html").contains("Dashboard</a>"));

    let feed = built.read("ep/feed.xml");
    let mut reader = quick_xml::Reader::from_str(&feed);
    let mut titles = Vec::new();
    let mut in_title = false;
    loop {
        match reader.read_event().expect("feed.xml is well-formed XML") {
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"title" => in_title = true,
            quick_xml::events::Event::Text(t) if in_title => {
                titles.push(String::from_utf8_lossy(t.as_ref()).into_owned());
                in_title = false;
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    // Newest first: EP-0003 completed on 2026-04-10 heads the entries.
    assert_eq!(
        titles[1], "EP-0003: New beta is now completed (was staged)",
        "{titles:?}"
    );
    assert!(
        titles
            .iter()
            .any(|t| t == "EP-0003: New beta is now implemented (was implementable)")
    );
    assert!(titles.iter().any(|t| t == "New: EP-0001: First alpha"));
}

/// A git repository holding a book in `book` (`""` for the root) with the given `src` and
/// `eps-dir`, and one EP at `ep` (from the repository's root) with its template beside it:
/// committed on 2026-01-10, then edited once on each of `edits`.
fn repository_with_one_ep(
    book: &str,
    src: &str,
    eps_dir: &str,
    ep: &str,
    edits: &[&str],
) -> BookTest {
    let repo = BookTest::empty();
    let at = |rel: &str| {
        if book.is_empty() {
            rel.to_string()
        } else {
            format!("{book}/{rel}")
        }
    };
    let docs = |rel: &str| {
        at(&if src == "." {
            rel.to_string()
        } else {
            format!("{src}/{rel}")
        })
    };
    repo.write(
        &at("book.toml"),
        format!("[book]\ntitle = \"x\"\nsrc = \"{src}\"\n\n[build]\ncreate-missing = false\n\n[preprocessor.ep]\neps-dir = \"{eps_dir}\"\n\n[preprocessor.ep.kpi]\npi-start = \"2026-01-05\"\npi-weeks = 10\n\n[output.html]\n\n[output.ep]\n"),
    )
    .write(&docs("SUMMARY.md"), "# Summary\n\n- [Intro](intro.md)\n")
    .write(&docs("intro.md"), "# Intro\n");
    let folder = std::path::Path::new(ep)
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .parent()
        .unwrap();
    repo.write(&format!("{}/template/README.md", folder.display()), "# T\n\n## Summary\n")
        .write(
            ep,
            "---\ntitle: X\nnumber: 1\nauthors: [\"@a\"]\nowning-sig: sig-a\nstate: provisional\ncreation-date: 2026-01-05\n---\n## Summary\n\nS.\n",
        )
        .git_at("2026-01-10", &["init", "-q"])
        .git_at("2026-01-10", &["add", "-A"])
        .git_at("2026-01-10", &["commit", "-qm", "start"]);
    for (n, date) in edits.iter().enumerate() {
        repo.edit(ep, |t| format!("{t}\nEdit {n}.\n"));
        repo.git_at(date, &["commit", "-qam", "edit"]);
    }
    repo
}

/// Changes per EP are counted whatever the layout: the book's sources at its root (`src = "."`,
/// where paths once came out as `./keps/...` and matched nothing), and a folder name git would
/// quote (`0001-über`).
#[test]
fn changes_are_counted_with_src_at_the_root_and_non_ascii_folders() {
    let book = repository_with_one_ep(
        "",
        ".",
        "keps",
        "keps/sig-a/0001-über/README.md",
        &["2026-01-20", "2026-02-03"],
    );
    let built = book.build();
    built.assert_exit(0);
    assert_eq!(built.json("ep/eps.json")["eps"][0]["changes"], 3);
}

/// Eight years of 13-week increments: the chart draws all 36 inside a box that scrolls on its
/// own (the page does not), and the table below lists every one.
#[test]
fn a_long_history_keeps_every_increment_in_the_chart_and_the_table() {
    let book = BookTest::from_fixture("three-sigs");
    book.append_to_book_toml("[preprocessor.ep.kpi]\npi-start = \"2018-01-01\"\npi-weeks = 13\n");
    let built = book.build();
    built.assert_exit(0);
    let page = built.read("eps/dashboard.html");
    let chart = &page[page
        .find("<div class=\"ep-chart-box\" style=\"overflow-x: auto\"")
        .expect("scroll box")..];
    let chart = &chart[..chart.find("</svg>").unwrap()];
    for n in [1, 18, 36] {
        assert!(
            chart.contains(&format!(">PI {n}</text>")),
            "PI {n} not drawn"
        );
    }
    assert!(!chart.contains(">PI 37<"));
    let table = &page[page.find("<th scope=\"col\">Increment</th>").unwrap()..];
    assert_eq!(
        table[..table.find("</table>").unwrap()]
            .matches("<tr><td>PI ")
            .count(),
        36
    );
}

/// An EP keeps its history when its folder moves: commits from before the EP folder was
/// renamed count, and the pure move itself is not a change.
#[test]
fn history_survives_a_moved_ep_folder() {
    let book = three_sigs_in_git();
    edit(
        &book,
        "src/eps/beta/0003-new/README.md",
        "## Summary",
        "## Summary\n\nEdited.\n",
    );
    book.git_at("2026-02-01", &["commit", "-qam", "edit"]);
    book.git_at("2026-03-01", &["mv", "src/eps", "src/proposals"]);
    book.edit("src/SUMMARY.md", |t| t.replace("eps/", "proposals/"));
    book.edit("book.toml", |t| {
        t.replace(
            "[preprocessor.ep]\n",
            "[preprocessor.ep]\neps-dir = \"proposals\"\n",
        )
    });
    book.git_at("2026-03-01", &["commit", "-qam", "move the EP folder"]);
    edit(
        &book,
        "src/proposals/beta/0003-new/README.md",
        "Edited.",
        "Edited twice.",
    );
    book.git_at("2026-03-10", &["commit", "-qam", "edit again"]);
    let built = book.build();
    built.assert_exit(0);
    let three = built.ep_record(3);
    assert_eq!(three["changes"], 3, "{three:#}");
}

/// Each SIG's lead sees the SIG's own KPIs: on its page and in `kpi.json`.
#[test]
fn each_sig_has_its_own_kpis() {
    let built = book_with_history().build();
    built.assert_exit(0);
    let kpi = built.json("ep/kpi.json");
    let beta = &kpi["kpi"]["sigs"]["beta"];
    // EP-0003 (beta) was completed in PI 2; nothing of alpha's was.
    assert_eq!(beta["increments"][1]["completed"], 1, "{beta:#}");
    assert_eq!(kpi["kpi"]["sigs"]["alpha"]["increments"][1]["completed"], 0);
    let created: u64 = kpi["kpi"]["sigs"]
        .as_object()
        .unwrap()
        .values()
        .map(|s| s["increments"][0]["created"].as_u64().unwrap())
        .sum();
    assert_eq!(
        created,
        kpi["kpi"]["increments"][0]["created"].as_u64().unwrap()
    );
    let page = built.read("html/eps/beta/index.html");
    assert!(page.contains("KPIs of Beta Team"), "no KPI section");
    assert!(
        page.contains("<tr><td>PI 2</td>"),
        "PI 2 missing from the SIG's table"
    );
}

/// A book in a subfolder of its repository whose EPs sit at the repository's root
/// (`site/book.toml`, `keps/` beside `site/`): their changes are counted.
#[test]
fn changes_are_counted_for_eps_beside_a_book_in_a_subfolder() {
    let repo = repository_with_one_ep(
        "site",
        "docs",
        "../../keps",
        "keps/sig-a/0001-x/README.md",
        &["2026-01-20"],
    );
    let built = build(&repo.join("site"));
    built.assert_exit(0);
    assert_eq!(built.json("ep/eps.json")["eps"][0]["changes"], 2);
}

/// The whole book moved (`docs/` to `handbook/`, as a repository reorganises): the EPs keep
/// the commits and the state changes from before the move, and the move itself is no change.
#[test]
fn history_survives_a_moved_book() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    copy_dir(&fixture("three-sigs"), &r.join("docs"));
    let toml = read(&r.join("docs/book.toml"))
        + "[preprocessor.ep.kpi]\npi-start = \"2026-01-05\"\npi-weeks = 10\n\n[output.html]\n\n[output.ep]\n";
    write(&r.join("docs/book.toml"), toml);
    git_at(r, Some("2026-01-10"), &["init", "-q"]);
    git_at(r, Some("2026-01-10"), &["add", "-A"]);
    git_at(r, Some("2026-01-10"), &["commit", "-qm", "start"]);
    let ep = "src/eps/beta/0003-new/README.md";
    let path = r.join("docs").join(ep);
    write(
        &path,
        read(&path).replace("state: implementable", "state: implemented"),
    );
    git_at(r, Some("2026-02-01"), &["commit", "-qam", "implemented"]);
    git_at(r, Some("2026-03-01"), &["mv", "docs", "handbook"]);
    git_at(r, Some("2026-03-01"), &["commit", "-qm", "the book moves"]);
    let path = r.join("handbook").join(ep);
    write(
        &path,
        read(&path).replace("state: implemented", "state: staged"),
    );
    git_at(r, Some("2026-03-20"), &["commit", "-qam", "staged"]);
    let built = build(&r.join("handbook"));
    built.assert_exit(0);
    let three = built.ep_record(3);
    // start, implemented, staged; not the move.
    assert_eq!(three["changes"], 3, "{three:#}");
    let kpi = built.json("ep/kpi.json");
    let days: Vec<(String, f64)> = kpi["kpi"]["days-in-state"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["state"].as_str().unwrap().to_string(),
                d["median-days"].as_f64().unwrap(),
            )
        })
        .collect();
    // implementable 2026-01-10 -> implemented 2026-02-01 (22 days), implemented -> staged
    // 2026-03-20 (47 days, across the move).
    assert!(days.contains(&("implementable".into(), 22.0)), "{days:?}");
    assert!(days.contains(&("implemented".into(), 47.0)), "{days:?}");
}

/// An EP folder that is a symbolic link (`src/eps -> ../proposals`) and folder names with
/// spaces: git tracks the files under their real names, and the changes are counted there.
#[test]
fn changes_are_counted_through_a_linked_ep_folder_and_names_with_spaces() {
    let repo = BookTest::empty();
    let ep = "proposals/sig a/0001-first try/README.md";
    repo.write(
        "book.toml",
        "[book]\ntitle = \"x\"\n\n[build]\ncreate-missing = false\n\n[preprocessor.ep]\n\n[preprocessor.ep.kpi]\npi-start = \"2026-01-05\"\npi-weeks = 10\n\n[output.html]\n\n[output.ep]\n",
    )
    .write("src/SUMMARY.md", "# Summary\n\n- [Intro](intro.md)\n")
    .write("src/intro.md", "# Intro\n")
    .write(
        ep,
        "---\ntitle: X\nnumber: 1\nauthors: [\"@a\"]\nowning-sig: sig a\nstate: provisional\ncreation-date: 2026-01-05\napprovers: [\"@b\"]\n---\n## Summary\n\nS.\n",
    );
    std::os::unix::fs::symlink("../proposals", repo.join("src/eps")).unwrap();
    repo.git_at("2026-01-10", &["init", "-q"])
        .git_at("2026-01-10", &["add", "-A"])
        .git_at("2026-01-10", &["commit", "-qm", "start"]);
    repo.edit(ep, |t| {
        t.replace("state: provisional", "state: implementable")
    });
    repo.git_at("2026-01-20", &["commit", "-qam", "approved"]);
    let built = build(repo.path());
    built.assert_exit(0);
    let eps = built.json("ep/eps.json");
    assert_eq!(eps["eps"][0]["changes"], 2, "{eps:#}");
    // The state changes are read from the same files: ten days in `provisional`.
    let kpi = built.json("ep/kpi.json");
    let days = &kpi["kpi"]["days-in-state"][0];
    assert_eq!(
        (days["state"].as_str(), days["median-days"].as_f64()),
        (Some("provisional"), Some(10.0)),
        "{kpi:#}"
    );
}

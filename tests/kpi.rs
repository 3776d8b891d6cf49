//! KPIs from a real git history with commits at fixed dates: created and completed per PI,
//! changes per EP across a draft's promotion, and the shallow-clone warning.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    write(path, text.replacen(from, to, 1));
}

/// The three-SIG book with a history: everything on 2026-01-10 (PI 1), EP-0003 completed on
/// 2026-04-10 (PI 2) through every state, and the 2026-02-01 draft promoted on 2026-04-02.
fn book_with_history() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("three-sigs"), tmp.path());
    let toml = std::fs::read_to_string(tmp.path().join("book.toml")).unwrap();
    write(
        &tmp.path().join("book.toml"),
        format!(
            "{toml}\n[preprocessor.ep.kpi]\npi-start = \"2026-01-05\"\npi-weeks = 10\n\n[output.html]\n\n[output.ep]\n"
        ),
    );
    let dir = tmp.path();
    git_at(dir, Some("2026-01-10"), &["init", "-q"]);
    git_at(dir, Some("2026-01-10"), &["add", "-A"]);
    git_at(dir, Some("2026-01-10"), &["commit", "-qm", "start"]);
    let ep3 = dir.join("src/eps/beta/0003-new/README.md");
    for (date, from, to) in [
        ("2026-03-20", "state: implementable", "state: implemented"),
        ("2026-03-27", "state: implemented", "state: staged"),
        ("2026-04-10", "state: staged", "state: completed"),
    ] {
        edit(&ep3, from, to);
        git_at(dir, Some(date), &["commit", "-qam", "move EP-0003"]);
    }
    let out = Command::new(bin())
        .args(["promote", "src/eps/beta/draft-2026-02-01-sooner.md"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    git_at(dir, Some("2026-04-02"), &["commit", "-qam", "promote"]);
    tmp
}

fn kpi(site: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(site.join("ep/kpi.json")).unwrap()).unwrap()
}

#[test]
fn created_completed_and_changes_per_pi_from_git() {
    let tmp = book_with_history();
    let (out, dest) = build(tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let k = &kpi(dest.path())["kpi"];
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
    let eps: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dest.path().join("ep/eps.json")).unwrap())
            .unwrap();
    let changes = |n: u64| {
        eps["eps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["number"] == n)
            .unwrap()["changes"]
            .clone()
    };
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
    let tmp = book_with_history();
    let shallow = tempfile::tempdir().unwrap();
    let url = format!("file://{}", tmp.path().display());
    let out = Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(shallow.path().join("book"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (out, dest) = build(&shallow.path().join("book"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("KPIs need full history; fetch with depth 0"),
        "{}",
        stderr(&out)
    );
    assert_eq!(kpi(dest.path())["kpi"]["git"], "shallow");
}

#[test]
fn without_git_changes_are_unavailable_not_zero() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("three-sigs"), tmp.path());
    let toml = std::fs::read_to_string(tmp.path().join("book.toml")).unwrap();
    write(
        &tmp.path().join("book.toml"),
        format!("{toml}\n[output.html]\n\n[output.ep]\n"),
    );
    let (out, dest) = build(tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let k = &kpi(dest.path())["kpi"];
    assert_eq!(k["git"], "unavailable");
    assert!(k["changes"].is_null());
    let eps: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dest.path().join("ep/eps.json")).unwrap())
            .unwrap();
    assert!(eps["eps"][0]["changes"].is_null());
    // The one completed EP falls back to its last-updated (none here): the source says so.
    assert_eq!(k["sources"]["completed-from-git"], 0);
}

#[test]
fn dashboard_chapter_and_feed() {
    let tmp = book_with_history();
    let (out, dest) = build(tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = std::fs::read_to_string(dest.path().join("html/eps/dashboard.html")).unwrap();
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
    assert!(page.contains("Oldest open EPs"));
    // The dashboard is an ordinary chapter: in the sidebar and on the print page.
    assert!(
        std::fs::read_to_string(dest.path().join("html/toc.html"))
            .unwrap()
            .contains("Dashboard</a>")
    );

    let feed = std::fs::read_to_string(dest.path().join("ep/feed.xml")).unwrap();
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

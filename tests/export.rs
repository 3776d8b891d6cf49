//! The `[output.ep]` renderer: eps.json (documented schema) and eps.csv, in-process, over the
//! renderer protocol, and with the real mdbook CLI.

mod common;

use common::*;

fn book_with_exports() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("three-sigs"), tmp.path());
    let toml = std::fs::read_to_string(tmp.path().join("book.toml")).unwrap();
    write(
        &tmp.path().join("book.toml"),
        format!(
            "{toml}\n[output.html]\nsite-url = \"https://eps.example.org/book/\"\n\n[output.ep]\n"
        ),
    );
    tmp
}

fn assert_exports(out_dir: &std::path::Path) {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("ep/eps.json")).unwrap())
            .unwrap();
    assert_eq!(json["schema-version"], 1);
    assert_eq!(json["tool"], "mdbook-ep");
    let eps = json["eps"].as_array().unwrap();
    assert_eq!(eps.len(), 9);
    let doc = std::fs::read_to_string(repo().join("book/guide/export.md")).unwrap();
    for ep in eps {
        for (key, _) in ep.as_object().unwrap() {
            assert!(
                doc.contains(&format!("`{key}`")),
                "book/guide/export.md does not document `{key}`"
            );
        }
    }
    let three = eps.iter().find(|e| e["number"] == 3).unwrap();
    assert_eq!(three["state"], "implementable");
    assert_eq!(three["replaces"], serde_json::json!([2]));
    assert_eq!(
        three["url"],
        "https://eps.example.org/book/eps/beta/0003-new/index.html"
    );
    assert_eq!(three["source"], "src/eps/beta/0003-new/README.md");
    assert_eq!(eps.last().unwrap()["draft"], true, "drafts come last");
    let csv = std::fs::read_to_string(out_dir.join("ep/eps.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "number,title,sig,state,authors,reviewers,approvers,creation-date,last-updated,replaces,replaced-by,source,url"
        )
    );
    assert_eq!(lines.count(), 9);
    // With two renderers mdBook moves the site into html/.
    assert!(out_dir.join("html/index.html").is_file());
}

#[test]
fn mdbook_ep_build_runs_the_renderer() {
    let tmp = book_with_exports();
    let (out, dest) = build(tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_exports(dest.path());
}

#[test]
fn the_real_mdbook_cli_runs_the_renderer_over_its_protocol() {
    let tmp = book_with_exports();
    let dest = tempfile::tempdir().unwrap();
    let Some(out) = mdbook_cli_build(tmp.path(), dest.path()) else {
        return;
    };
    assert!(out.status.success(), "{}", stderr(&out));
    assert_exports(dest.path());
}

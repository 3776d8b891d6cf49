//! The `[output.ep]` renderer: eps.json (documented schema) and eps.csv, in-process, over the
//! renderer protocol, and with the real mdbook CLI.

use crate::book_test::*;

fn book_with_exports() -> BookTest {
    let book = BookTest::from_fixture("three-sigs");
    book.append_to_book_toml(
        "[output.html]\nsite-url = \"https://eps.example.org/book/\"\n\n[output.ep]\n",
    );
    book
}

fn assert_exports(built: &Built) {
    let json = built.json("ep/eps.json");
    assert_eq!(json["schema-version"], 1);
    assert_eq!(json["tool"], "mdbook-ep");
    let eps = json["eps"].as_array().unwrap();
    assert_eq!(eps.len(), 9);
    let doc = read(&repo().join("book/guide/export.md"));
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
    let csv = built.read("ep/eps.csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "number,title,sig,state,authors,reviewers,approvers,creation-date,last-updated,replaces,replaced-by,source,url"
        )
    );
    assert_eq!(lines.count(), 9);
    // With two renderers mdBook moves the site into html/.
    assert!(built.join("html/index.html").is_file());
}

#[test]
fn mdbook_ep_build_runs_the_renderer() {
    let built = book_with_exports().build();
    built.assert_exit(0);
    assert_exports(&built);
}

#[test]
fn the_real_mdbook_cli_runs_the_renderer_over_its_protocol() {
    let book = book_with_exports();
    let Some(built) = mdbook_cli_build(book.path()) else {
        return;
    };
    assert!(built.out.status.success(), "{}", built.stderr());
    assert_exports(&built);
}

/// eps.csv value by value, against a golden copy: a title with a comma, quotes, an ampersand
/// and non-ASCII letters, several authors, lists joined with `;`, empty cells for missing
/// values, drafts last.
#[test]
fn eps_csv_is_exact() {
    let book = book_with_exports();
    book.edit("src/eps/beta/0003-new/README.md", |t| {
        t.replace(
            "title: New beta",
            "title: 'Caches, \"warm\" & cold: über-fast'",
        )
        .replace("authors: [\"@ann\"]", "authors: [\"@ann\", \"@zoë\"]")
    });
    let built = book.build();
    built.assert_exit(0);
    insta::assert_snapshot!("eps_csv", byte_exact(built.read("ep/eps.csv")));
}

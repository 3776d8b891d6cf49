//! The binary over mdBook's preprocessor protocol, exactly as `mdbook build` drives it.

use std::path::Path;

use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::config::Config;

use crate::book_test::*;

const EP: &str = "---\ntitle: Fast & <safe> builds\nnumber: 1\nauthors: [\"@ana\"]\nowning-sig: devex\nstate: provisional\ncreation-date: 2026-01-05\n---\n## Summary\n\nS.\n\n## Motivation\n\nM.\n";

/// A book folder with one EP listed in SUMMARY.md and one that is not.
fn book_dir() -> BookTest {
    let book = BookTest::empty();
    book.write(
        "src/SUMMARY.md",
        "# Summary\n\n- [One](eps/devex/0001-one/README.md)\n",
    )
    .write(
        "src/eps/template/README.md",
        "# EP-NNNN: Title\n\n## Summary\n\n## Motivation\n",
    )
    .write("src/eps/devex/0001-one/README.md", EP)
    .write(
        "src/eps/devex/0002-two/README.md",
        EP.replace("number: 1", "number: 2")
            .replace("Fast & <safe> builds", "Two"),
    );
    book
}

/// The `[context, book]` JSON mdBook writes to a preprocessor's stdin, from mdBook `version`.
fn input(root: &Path, version: &str) -> Vec<u8> {
    let config: Config = "[book]\ntitle = \"t\"\n[preprocessor.ep]\n"
        .parse()
        .unwrap();
    let mut ctx = PreprocessorContext::new(root.to_path_buf(), config, "html".into());
    ctx.mdbook_version = version.into();
    let mut book = Book::new();
    book.push_item(Chapter::new(
        "One",
        EP.to_string(),
        "eps/devex/0001-one/README.md",
        vec![],
    ));
    serde_json::to_vec(&(ctx, book)).unwrap()
}

#[test]
fn supports_always_answers_yes_before_parsing_anything() {
    for args in [
        &["supports", "html"][..],
        &["supports", "ep"],
        &["supports", "--bogus", "x", "y"],
        &["supports"],
    ] {
        let out = run(args, None);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn renders_the_book_on_stdout_and_adds_unlisted_eps() {
    let dir = book_dir();
    let out = run(&[], Some(&input(dir.path(), "0.5.4")));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let book: Book = serde_json::from_slice(&out.stdout).expect("stdout is only the book JSON");
    let chapters: Vec<&Chapter> = book
        .iter()
        .filter_map(|i| match i {
            BookItem::Chapter(c) => Some(c),
            _ => None,
        })
        .collect();
    let one = chapters[0];
    assert_eq!(
        one.name, "One",
        "the hand-listed EP keeps its place and name"
    );
    assert!(
        !one.content.contains("creation-date:"),
        "front matter leaked:\n{}",
        one.content
    );
    assert!(
        one.content
            .starts_with("# EP-0001: Fast &amp; &lt;safe&gt; builds\n"),
        "{}",
        one.content
    );
    assert!(one.content.contains("<table class=\"ep-header\">"));
    assert!(one.content.contains("ep-state-provisional"));
    let named = |name: &str| chapters.iter().filter(|c| c.name == name).count();
    assert_eq!(
        named("EP-0001: Fast & <safe> builds"),
        0,
        "a hand-listed EP is not duplicated"
    );
    let two: Vec<&&Chapter> = chapters
        .iter()
        .filter(|c| c.name == "EP-0002: Two")
        .collect();
    assert_eq!(two.len(), 1);
    let two = two[0];
    assert_eq!(
        two.path.as_deref(),
        Some(Path::new("eps/devex/0002-two/index.md"))
    );
    assert_eq!(
        two.source_path.as_deref(),
        Some(Path::new("eps/devex/0002-two/README.md"))
    );
    assert_eq!(two.parent_names, ["devex", "Provisional"]);
    assert_eq!(
        two.number.as_ref().map(|n| n.to_string()).as_deref(),
        Some("2.1.1.")
    );
    let parts: Vec<&str> = book
        .items
        .iter()
        .filter_map(|i| match i {
            BookItem::PartTitle(t) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    // One part for the SIGs: each SIG is one sidebar entry, not a part title and a chapter.
    assert_eq!(parts, ["Enhancement Proposals", "EPs by SIG"]);
}

#[test]
fn any_0_5_release_is_accepted_silently() {
    let dir = book_dir();
    let out = run(&[], Some(&input(dir.path(), "0.5.99")));
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn other_mdbook_versions_get_one_clear_line() {
    let dir = book_dir();
    let out = run(&[], Some(&input(dir.path(), "0.4.40")));
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!(
            "error[EP0007]: mdbook-ep {} supports mdBook 0.5.x, found 0.4.40",
            env!("CARGO_PKG_VERSION")
        )),
        "{err}"
    );
}

#[test]
fn a_0_4_shaped_book_is_refused_by_version_not_by_serde() {
    let input = br#"[{"root":"/x","config":{},"renderer":"html","mdbook_version":"0.4.40"},{"sections":[],"__non_exhaustive":null}]"#;
    let out = run(&[], Some(input));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("found 0.4.40"), "{}", stderr(&out));
}

#[test]
fn garbage_on_stdin_is_a_protocol_error() {
    let out = run(&[], Some(b"not json"));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("error[EP0008]"), "{}", stderr(&out));
}

#[test]
fn invalid_eps_fail_with_diagnostics_on_stderr_and_nothing_on_stdout() {
    let dir = book_dir();
    dir.write(
        "src/eps/devex/0002-two/README.md",
        EP.replace("number: 1", "number: 2")
            .replace("provisional", "implementd"),
    );
    let out = run(&[], Some(&input(dir.path(), "0.5.4")));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(
        err.contains("error[EP0102]: unknown state \"implementd\""),
        "{err}"
    );
    assert!(
        err.contains("src/eps/devex/0002-two/README.md:6:8"),
        "{err}"
    );
}

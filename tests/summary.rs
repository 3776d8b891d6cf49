//! `mdbook-ep summary`: the printed SUMMARY.md parses, with mdBook's own parser, into the tree
//! the preprocessor builds; `--write` touches only the region and is idempotent; `--check`
//! fails when stale; the real mdbook CLI builds a book whose SUMMARY.md it wrote.

mod common;

use std::path::Path;

use common::*;
use mdbook_driver::MDBook;
use mdbook_driver::book::{Book, BookItem};
use mdbook_driver::builtin_renderers::MarkdownRenderer;
use mdbook_ep::preprocessor::EpPreprocessor;
use mdbook_summary::{SummaryItem, parse_summary};

fn three_sigs() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("three-sigs"), tmp.path());
    tmp
}

fn summary(dir: &Path, flag: Option<&str>) -> std::process::Output {
    let mut args = vec!["summary"];
    args.extend(flag);
    args.push(dir.to_str().unwrap());
    run(&args, None)
}

/// `(depth, name, file)` per chapter and `(depth, "# title", None)` per part, in order; files
/// only for real files, since generated pages are drafts in SUMMARY.md.
type Shape = Vec<(usize, String, Option<String>)>;

fn shape_of_summary(text: &str) -> Shape {
    fn walk(items: &[SummaryItem], depth: usize, out: &mut Shape) {
        for item in items {
            match item {
                SummaryItem::PartTitle(t) => out.push((depth, format!("# {t}"), None)),
                SummaryItem::Separator => out.push((depth, "---".into(), None)),
                SummaryItem::Link(l) => {
                    out.push((
                        depth,
                        l.name.clone(),
                        l.location.as_ref().map(|p| p.display().to_string()),
                    ));
                    walk(&l.nested_items, depth + 1, out);
                }
                other => panic!("unexpected SUMMARY.md item {other:?}"),
            }
        }
    }
    let s = parse_summary(text).expect("mdBook parses what summary printed");
    let mut out = Vec::new();
    walk(&s.prefix_chapters, 0, &mut out);
    walk(&s.numbered_chapters, 0, &mut out);
    walk(&s.suffix_chapters, 0, &mut out);
    out
}

fn shape_of_book(book: &Book) -> Shape {
    fn walk(items: &[BookItem], depth: usize, out: &mut Shape) {
        for item in items {
            match item {
                BookItem::PartTitle(t) => out.push((depth, format!("# {t}"), None)),
                BookItem::Separator => out.push((depth, "---".into(), None)),
                BookItem::Chapter(ch) => {
                    out.push((
                        depth,
                        ch.name.clone(),
                        ch.source_path.as_ref().map(|p| p.display().to_string()),
                    ));
                    walk(&ch.sub_items, depth + 1, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&book.items, 0, &mut out);
    out
}

fn preprocess(dir: &Path) -> Book {
    let mut md = MDBook::load(dir).expect("load");
    md.with_preprocessor(EpPreprocessor);
    md.preprocess_book(&MarkdownRenderer::new())
        .expect("preprocess")
        .0
}

#[test]
fn printed_summary_parses_into_the_tree_the_preprocessor_builds() {
    for group_by in [None, Some("[\"state\", \"sig\"]")] {
        let dir = three_sigs();
        if let Some(g) = group_by {
            let toml = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
            write(
                &dir.path().join("book.toml"),
                toml.replace(
                    "[preprocessor.ep]\n",
                    &format!("[preprocessor.ep]\ngroup-by = {g}\n"),
                ),
            );
        }
        let out = summary(dir.path(), None);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let printed = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            shape_of_summary(&printed),
            shape_of_book(&preprocess(dir.path()))
        );
        // Printing changes nothing on disk.
        assert_eq!(
            std::fs::read(dir.path().join("src/SUMMARY.md")).unwrap(),
            std::fs::read(fixtures().join("three-sigs/src/SUMMARY.md")).unwrap()
        );
    }
}

#[test]
fn write_is_idempotent_and_preserves_every_byte_outside_the_markers() {
    let dir = three_sigs();
    let path = dir.path().join("src/SUMMARY.md");
    let before = std::fs::read_to_string(&path).unwrap();
    let out = summary(dir.path(), Some("--write"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let after = std::fs::read_to_string(&path).unwrap();
    let open = after.find("<!-- ep:summary -->").unwrap();
    let close_line = after.find("<!-- /ep:summary -->\n").unwrap() + "<!-- /ep:summary -->\n".len();
    // Outside the region (and the marker lines it adds), the file is as it was.
    assert_eq!(
        format!("{}{}", &after[..open], &after[close_line..]),
        before
    );
    // The book built from it has the same structure as without it.
    assert_eq!(shape_of_book(&preprocess(dir.path())), {
        let plain = three_sigs();
        shape_of_book(&preprocess(plain.path()))
    });
    // A second run changes nothing, and --check agrees.
    let out = summary(dir.path(), Some("--write"));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), after);
    assert_eq!(summary(dir.path(), Some("--check")).status.code(), Some(0));
    // Hand edits outside the region survive a rewrite.
    let edited = after.replace(
        "[Introduction](intro.md)",
        "[Introduction](intro.md)\n\n<!-- a comment the author wrote -->",
    );
    write(&path, &edited);
    let extra = dir.path().join("src/eps/gamma/0009-more/README.md");
    let text =
        std::fs::read_to_string(dir.path().join("src/eps/gamma/0005-done/README.md")).unwrap();
    write(&extra, text.replace("number: 5", "number: 9"));
    summary(dir.path(), Some("--write"));
    let rewritten = std::fs::read_to_string(&path).unwrap();
    assert!(rewritten.contains("<!-- a comment the author wrote -->"));
    assert!(rewritten.contains("[EP-0009: Done gamma](eps/gamma/0009-more/README.md)"));
}

#[test]
fn check_fails_with_a_diff_when_stale() {
    let dir = three_sigs();
    let out = summary(dir.path(), Some("--check"));
    assert_eq!(out.status.code(), Some(1), "no markers yet: stale");
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(diff.contains("+<!-- ep:summary -->"), "{diff}");
    assert!(stderr(&out).contains("error[EP0012]"), "{}", stderr(&out));
    summary(dir.path(), Some("--write"));
    assert_eq!(summary(dir.path(), Some("--check")).status.code(), Some(0));
    std::fs::remove_dir_all(dir.path().join("src/eps/alpha/0001-first")).unwrap();
    let out = summary(dir.path(), Some("--check"));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("-    - [EP-0001: First alpha](eps/alpha/0001-first/README.md)")
    );
}

#[test]
fn an_unclosed_marker_is_refused_and_the_file_left_alone() {
    let dir = three_sigs();
    let path = dir.path().join("src/SUMMARY.md");
    let broken = format!(
        "{}<!-- ep:summary -->\n",
        std::fs::read_to_string(&path).unwrap()
    );
    write(&path, &broken);
    let out = summary(dir.path(), Some("--write"));
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("line 8"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
}

#[test]
fn the_real_mdbook_cli_builds_a_book_whose_summary_was_written() {
    let dir = three_sigs();
    assert_eq!(summary(dir.path(), Some("--write")).status.code(), Some(0));
    let dest = tempfile::tempdir().unwrap();
    let Some(out) = mdbook_cli_build(dir.path(), dest.path()) else {
        return;
    };
    assert!(out.status.success(), "{}", stderr(&out));
    let toc = std::fs::read_to_string(dest.path().join("toc.html")).unwrap();
    assert_eq!(
        toc.matches("EP-0003: New beta").count(),
        1,
        "duplicated by the region:\n{toc}"
    );
    assert_eq!(toc.matches(" All EPs</a>").count(), 1, "{toc}");
    assert!(dest.path().join("eps/all.html").is_file());
    assert!(dest.path().join("eps/beta/0003-new/index.html").is_file());
}

#[test]
fn three_sigs_print_exactly_the_expected_summary() {
    let dir = three_sigs();
    let out = summary(dir.path(), None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let expected =
        std::fs::read_to_string(fixtures().join("three-sigs/expected-SUMMARY.md")).unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
}

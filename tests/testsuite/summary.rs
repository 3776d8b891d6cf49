//! `mdbook-ep summary`: the printed SUMMARY.md parses, with mdBook's own parser, into the tree
//! the preprocessor builds; `--write` touches only the region and is idempotent; `--check`
//! fails when stale; the real mdbook CLI builds a book whose SUMMARY.md it wrote.

use std::path::Path;
use std::process::Output;

use mdbook_driver::MDBook;
use mdbook_driver::book::{Book, BookItem};
use mdbook_driver::builtin_renderers::MarkdownRenderer;
use mdbook_ep::EpPreprocessor;
use mdbook_summary::{SummaryItem, parse_summary};

use crate::book_test::*;

/// `mdbook-ep summary [FLAG] --book <book>`.
fn summary(book: &BookTest, flag: Option<&str>) -> Output {
    let mut args = vec!["summary"];
    args.extend(flag);
    args.extend(["--book", book.arg()]);
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
        let book = BookTest::from_fixture("three-sigs");
        if let Some(g) = group_by {
            book.edit("book.toml", |toml| {
                toml.replace(
                    "[preprocessor.ep]\n",
                    &format!("[preprocessor.ep]\ngroup-by = {g}\n"),
                )
            });
        }
        let out = summary(&book, None);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let printed = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            shape_of_summary(&printed),
            shape_of_book(&preprocess(book.path()))
        );
        // Printing changes nothing on disk.
        assert_eq!(
            std::fs::read(book.join("src/SUMMARY.md")).unwrap(),
            std::fs::read(fixture("three-sigs/src/SUMMARY.md")).unwrap()
        );
    }
}

#[test]
fn write_is_idempotent_and_preserves_every_byte_outside_the_markers() {
    let book = BookTest::from_fixture("three-sigs");
    let before = book.read("src/SUMMARY.md");
    let out = summary(&book, Some("--write"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let after = book.read("src/SUMMARY.md");
    let open = after.find("<!-- ep:summary -->").unwrap();
    let close_line = after.find("<!-- /ep:summary -->\n").unwrap() + "<!-- /ep:summary -->\n".len();
    // Outside the region (and the marker lines it adds), the file is as it was.
    assert_eq!(
        format!("{}{}", &after[..open], &after[close_line..]),
        before
    );
    // The book built from it has the same structure as without it.
    assert_eq!(shape_of_book(&preprocess(book.path())), {
        let plain = BookTest::from_fixture("three-sigs");
        shape_of_book(&preprocess(plain.path()))
    });
    // A second run changes nothing, and --check agrees.
    let out = summary(&book, Some("--write"));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(book.read("src/SUMMARY.md"), after);
    assert_eq!(summary(&book, Some("--check")).status.code(), Some(0));
    // Hand edits outside the region survive a rewrite.
    let edited = after.replace(
        "[Introduction](intro.md)",
        "[Introduction](intro.md)\n\n<!-- a comment the author wrote -->",
    );
    book.write("src/SUMMARY.md", &edited);
    let text = book.read("src/eps/gamma/0005-done/README.md");
    book.write(
        "src/eps/gamma/0009-more/README.md",
        text.replace("number: 5", "number: 9"),
    );
    summary(&book, Some("--write"));
    let rewritten = book.read("src/SUMMARY.md");
    assert!(rewritten.contains("<!-- a comment the author wrote -->"));
    assert!(rewritten.contains("[EP-0009: Done gamma](eps/gamma/0009-more/README.md)"));
}

#[test]
fn check_fails_with_a_diff_when_stale() {
    let book = BookTest::from_fixture("three-sigs");
    let out = summary(&book, Some("--check"));
    assert_eq!(out.status.code(), Some(1), "no markers yet: stale");
    let diff = stdout(&out);
    assert!(diff.contains("+<!-- ep:summary -->"), "{diff}");
    assert!(stderr(&out).contains("error[EP0012]"), "{}", stderr(&out));
    summary(&book, Some("--write"));
    assert_eq!(summary(&book, Some("--check")).status.code(), Some(0));
    std::fs::remove_dir_all(book.join("src/eps/alpha/0001-first")).unwrap();
    let out = summary(&book, Some("--check"));
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("-    - [EP-0001: First alpha](eps/alpha/0001-first/README.md)"));
}

#[test]
fn an_unclosed_marker_is_refused_and_the_file_left_alone() {
    let book = BookTest::from_fixture("three-sigs");
    let broken = format!("{}<!-- ep:summary -->\n", book.read("src/SUMMARY.md"));
    book.write("src/SUMMARY.md", &broken);
    let out = summary(&book, Some("--write"));
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("line 8"), "{}", stderr(&out));
    assert_eq!(book.read("src/SUMMARY.md"), broken);
}

#[test]
fn the_real_mdbook_cli_builds_a_book_whose_summary_was_written() {
    let book = BookTest::from_fixture("three-sigs");
    assert_eq!(summary(&book, Some("--write")).status.code(), Some(0));
    let Some(built) = mdbook_cli_build(book.path()) else {
        return;
    };
    assert!(built.out.status.success(), "{}", built.stderr());
    let toc = built.read("toc.html");
    assert_eq!(
        toc.matches("EP-0003: New beta").count(),
        1,
        "duplicated by the region:\n{toc}"
    );
    assert_eq!(toc.matches(" All EPs</a>").count(), 1, "{toc}");
    assert!(built.join("eps/all.html").is_file());
    assert!(built.join("eps/beta/0003-new/index.html").is_file());
}

#[test]
fn three_sigs_print_exactly_the_expected_summary() {
    let book = BookTest::from_fixture("three-sigs");
    let out = summary(&book, None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!(
        "three_sigs",
        byte_exact(String::from_utf8(out.stdout).unwrap())
    );
}

/// A SUMMARY.md link to a chapter file that does not exist: with `create-missing` the build
/// creates it, and `summary` must place the generated pages exactly as that build does (here,
/// "All EPs" cannot take `eps/all.md`), without writing the file itself. Without
/// `create-missing` both fail on the missing file.
#[test]
fn a_missing_chapter_is_read_as_mdbook_would_create_it_and_never_written() {
    let book = BookTest::from_fixture("three-sigs");
    book.edit("book.toml", |t| {
        t.replace("create-missing = false", "create-missing = true")
    })
    .edit("src/SUMMARY.md", |t| {
        t.replace(
            "- [Appendix](appendix.md)",
            "- [Old list](eps/all.md)\n- [Appendix](appendix.md)",
        )
    });
    let printed = summary(&book, None);
    assert_eq!(printed.status.code(), Some(0), "{}", stderr(&printed));
    assert!(
        !book.join("src/eps/all.md").exists(),
        "summary must not create chapter files"
    );
    let before = stdout(&printed);
    assert!(before.contains("- [Old list](eps/all.md)"), "{before}");

    // The build creates the file; the summary of the book as built is the same text.
    book.build().assert_exit(0);
    assert!(book.join("src/eps/all.md").exists());
    let after = summary(&book, None);
    assert_eq!(stdout(&after), before);
    assert_eq!(
        shape_of_summary(&before),
        shape_of_book(&preprocess(book.path()))
    );

    // Without create-missing, summary fails on the missing file, as mdBook does.
    let strict = BookTest::from_fixture("three-sigs");
    strict.edit("src/SUMMARY.md", |t| {
        t.replace(
            "- [Appendix](appendix.md)",
            "- [Gone](gone.md)\n- [Appendix](appendix.md)",
        )
    });
    let out = summary(&strict, None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("failed to read chapter `gone.md`"),
        "{}",
        stderr(&out)
    );
}

/// A SUMMARY.md whose suffix chapters follow the author's own `---`: the region goes before
/// it, a second `summary --write` changes nothing, and no second separator appears.
#[test]
fn the_authors_separator_before_suffix_chapters_is_kept_once() {
    let book = BookTest::from_fixture("three-sigs");
    book.write(
        "src/SUMMARY.md",
        "# Summary\n\n[Introduction](intro.md)\n\n- [Appendix](appendix.md)\n\n---\n\n[Colophon](colophon.md)\n",
    )
    .write("src/colophon.md", "# Colophon\n");
    let out = book.run(&["summary", "--write"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let once = book.read("src/SUMMARY.md");
    let check = book.run(&["summary", "--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    book.run(&["summary", "--write"]);
    assert_eq!(book.read("src/SUMMARY.md"), once);
    assert_eq!(once.matches("\n---\n").count(), 1, "{once}");
    assert!(
        once.find("<!-- /ep:summary -->").unwrap() < once.find("\n---\n").unwrap(),
        "{once}"
    );
}

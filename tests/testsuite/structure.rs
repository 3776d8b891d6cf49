//! The generated structure: parts per SIG, state chapters, index pages, numbering and paths,
//! checked on the book mdBook's own loader produces.

use std::path::Path;

use mdbook_driver::MDBook;
use mdbook_driver::book::{Book, BookItem};
use mdbook_driver::builtin_renderers::MarkdownRenderer;
use mdbook_ep::EpPreprocessor;

use crate::book_test::*;

/// The preprocessed book of the folder, as the markdown renderer would receive it.
fn preprocess(dir: &Path, group_by: Option<&[&str]>) -> Book {
    let mut md = MDBook::load(dir).expect("load");
    if let Some(g) = group_by {
        md.config.set("preprocessor.ep.group-by", g).unwrap();
    }
    md.with_preprocessor(EpPreprocessor);
    md.preprocess_book(&MarkdownRenderer::new())
        .expect("preprocess")
        .0
}

/// One line per item: parts as `# Title`, chapters as `<indent><number> <name> -> <path>`.
fn outline(book: &Book) -> String {
    fn walk(items: &[BookItem], depth: usize, out: &mut String) {
        for item in items {
            match item {
                BookItem::PartTitle(t) => out.push_str(&format!("# {t}\n")),
                BookItem::Separator => out.push_str("---\n"),
                BookItem::Chapter(ch) => {
                    let number = ch
                        .number
                        .as_ref()
                        .map_or(String::new(), |n| format!("{n} "));
                    let path = ch
                        .path
                        .as_ref()
                        .map_or("(draft)".into(), |p| p.display().to_string());
                    out.push_str(&format!(
                        "{}{number}{} -> {path}\n",
                        "  ".repeat(depth),
                        ch.name
                    ));
                    walk(&ch.sub_items, depth + 1, out);
                }
            }
        }
    }
    let mut out = String::new();
    walk(&book.items, 0, &mut out);
    out
}

/// Every chapter path is unique, non-empty and `.md`; numbers nest one level at a time; part
/// titles only at the top level: the rules whose breach makes mdBook panic or misrender.
fn assert_mdbook_invariants(book: &Book) {
    fn walk(
        items: &[BookItem],
        parent: Option<usize>,
        seen: &mut std::collections::HashSet<std::path::PathBuf>,
    ) {
        for item in items {
            match item {
                BookItem::PartTitle(_) | BookItem::Separator => {
                    assert!(parent.is_none(), "part title nested")
                }
                BookItem::Chapter(ch) => {
                    if let Some(p) = &ch.path {
                        assert!(
                            p.extension().is_some_and(|e| e == "md") && !p.as_os_str().is_empty()
                        );
                        assert!(seen.insert(p.clone()), "duplicate path {}", p.display());
                    }
                    let depth = ch.number.as_ref().map(|n| n.len());
                    if let (Some(d), Some(p)) = (depth, parent) {
                        assert_eq!(d, p + 1, "number depth jump at {}", ch.name);
                    }
                    walk(&ch.sub_items, depth, seen);
                }
            }
        }
    }
    walk(&book.items, None, &mut Default::default());
}

#[test]
fn three_sigs_match_the_expected_structure() {
    let book = preprocess(&fixture("three-sigs"), None);
    assert_mdbook_invariants(&book);
    insta::assert_snapshot!("three_sigs", byte_exact(outline(&book)));
}

#[test]
fn state_then_sig_gives_the_transposed_book() {
    let book = preprocess(&fixture("three-sigs"), Some(&["state", "sig"]));
    assert_mdbook_invariants(&book);
    insta::assert_snapshot!("three_sigs_by_state", byte_exact(outline(&book)));
}

#[test]
fn adding_and_deleting_ep_files_changes_the_book_without_touching_summary() {
    let book = BookTest::from_fixture("three-sigs");
    let summary = std::fs::read(book.join("src/SUMMARY.md")).unwrap();
    let text = book
        .read("src/eps/gamma/0005-done/README.md")
        .replace("number: 5", "number: 8")
        .replace("Done gamma", "Fresh gamma");
    book.write("src/eps/gamma/0008-fresh/README.md", text);
    std::fs::remove_dir_all(book.join("src/eps/alpha/0001-first")).unwrap();
    let preprocessed = preprocess(book.path(), None);
    assert_mdbook_invariants(&preprocessed);
    let out = outline(&preprocessed);
    assert!(
        out.contains("EP-0008: Fresh gamma -> eps/gamma/0008-fresh/index.md"),
        "{out}"
    );
    assert!(!out.contains("First alpha"), "{out}");
    assert_eq!(std::fs::read(book.join("src/SUMMARY.md")).unwrap(), summary);
    // And the HTML site follows.
    let built = book.build();
    built.assert_exit(0);
    assert!(built.join("eps/gamma/0008-fresh/index.html").is_file());
    assert!(!built.join("eps/alpha/0001-first/index.html").exists());
}

#[test]
fn index_pages_list_eps_with_states_sigs_and_replacements_both_ways() {
    let built = build(&fixture("three-sigs"));
    built.assert_exit(0);
    let all = built.read("eps/all.html");
    let order: Vec<usize> = [
        "EP-0001",
        "EP-0002",
        "EP-0003",
        "EP-0004",
        "EP-0005",
        "EP-0006",
        "EP-0007",
        "Sooner beta draft",
        "Later beta draft",
    ]
    .iter()
    .map(|s| {
        all.find(s)
            .unwrap_or_else(|| panic!("{s} missing from All EPs"))
    })
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "All EPs is not sorted: {order:?}"
    );
    assert!(
        all.contains("Replaced by <a href=\"beta/0003-new/index.html\">EP-0003</a>"),
        "{all}"
    );
    assert!(
        all.contains("Replaces <a href=\"beta/0002-old/index.html\">EP-0002</a>"),
        "{all}"
    );
    let alpha = built.read("eps/alpha/index.html");
    assert!(alpha.contains("Looks after alpha things."));
    assert!(
        alpha.contains("@ann") && alpha.contains("@rob"),
        "approvers and reviewers from the registry"
    );
    assert!(alpha.contains(">3 EPs: "), "{alpha}");
    // The page gathering the state pages links each one with its count and its meaning.
    let states = built.read("eps/states.html");
    assert!(
        states.contains(
            "<li><a href=\"states/provisional.html\">Provisional EPs</a>: 4 EPs. Being written and discussed."
        ),
        "{states}"
    );
    assert!(
        states.contains(
            "<li><a href=\"states/completed.html\">Completed EPs</a>: 1 EP. Rolled out to production. An exit state.</li>"
        ),
        "{states}"
    );
    let beta = built.read("eps/beta/index.html");
    assert!(
        beta.contains("The beta SIG&#39;s own introduction.")
            || beta.contains("The beta SIG’s own introduction."),
        "SIG README used as intro"
    );
    let implementable = built.read("eps/states/implementable.html");
    assert!(implementable.contains("Approved for implementation"));
    assert!(implementable.contains("Fourth alpha") && implementable.contains("New beta"));
    assert!(!implementable.contains("First alpha"));
    // Generated pages are ordinary chapters: searchable and on the print page.
    assert!(
        built
            .read("print.html")
            .contains("Approved for implementation")
    );
    let search = std::fs::read_dir(built.site())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("searchindex")
                && p.extension().is_some_and(|e| e == "js")
        })
        .unwrap();
    assert!(
        std::fs::read_to_string(search)
            .unwrap()
            .contains("Approved for implementation")
    );
}

/// A SIG page links its approvers and reviewers as EP pages do, through `people-url`.
#[test]
fn sig_pages_link_their_people() {
    let book = BookTest::from_fixture("three-sigs");
    book.edit("book.toml", |t| {
        t.replacen(
            "[preprocessor.ep]\n",
            "[preprocessor.ep]\npeople-url = \"https://people.example.org/{}\"\n",
            1,
        )
    });
    let built = book.build();
    built.assert_exit(0);
    let alpha = built.read("eps/alpha/index.html");
    assert!(
        alpha.contains("<a class=\"ep-person\" href=\"https://people.example.org/ann\">@ann</a>"),
        "{alpha}"
    );
}

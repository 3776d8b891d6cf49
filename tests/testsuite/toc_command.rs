//! `mdbook-ep toc --write / --check` on source files: only the bytes between the markers
//! change, writes are atomic and idempotent, a broken marker leaves the file untouched.

use crate::book_test::*;

const EP: &str = "---\ntitle: Keep   me\nnumber: 1\n---\n# Title\n\nSome *prose*   with  odd spacing.\n\n## Table of Contents\n\n<!-- toc -->\n- [stale](#stale)\n<!-- /toc -->\n\n## Don't stop\n\n### `code` here\n\n## Foo\n\n## Foo\n";

fn between_markers_changed_only(before: &str, after: &str) {
    let open = "<!-- toc -->\n";
    let close = "<!-- /toc -->";
    let (b0, a0) = (
        before.find(open).unwrap() + open.len(),
        after.find(open).unwrap() + open.len(),
    );
    assert_eq!(&before[..b0], &after[..a0], "bytes before the TOC changed");
    let (b1, a1) = (before.find(close).unwrap(), after.find(close).unwrap());
    assert_eq!(&before[b1..], &after[a1..], "bytes after the TOC changed");
}

#[test]
fn write_updates_check_passes_and_second_write_is_a_no_op() {
    let dir = BookTest::empty();
    dir.write("ep.md", EP);
    let file = dir.join("ep.md");
    let f = file.to_str().unwrap();
    let out = run(&["toc", "--check", f], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("stale"));
    assert_eq!(dir.read("ep.md"), EP, "--check must not write");

    let out = run(&["toc", "--write", f], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let after = dir.read("ep.md");
    between_markers_changed_only(EP, &after);
    assert!(after.contains("<!-- toc -->\n- [Don't stop](#dont-stop)\n  - [`code` here](#code-here)\n- [Foo](#foo)\n- [Foo](#foo-1)\n<!-- /toc -->"), "{after}");
    assert!(
        !after.contains("[Table of Contents]"),
        "the heading above the markers is not listed"
    );

    assert_eq!(run(&["toc", "--check", f], None).status.code(), Some(0));
    run(&["toc", "--write", f], None);
    assert_eq!(dir.read("ep.md"), after);
}

#[test]
fn mdbook_anchors_follow_mdbooks_rules() {
    let dir = BookTest::empty();
    dir.write("ep.md", EP);
    run(
        &[
            "toc",
            "--write",
            "--anchors",
            "mdbook",
            dir.join("ep.md").to_str().unwrap(),
        ],
        None,
    );
    let after = dir.read("ep.md");
    assert!(after.contains("- [Don’t stop](#dont-stop)"), "{after}");
}

#[test]
fn an_unclosed_marker_is_an_error_naming_the_line_and_the_file_is_untouched() {
    let dir = BookTest::empty();
    let broken = EP.replace("<!-- /toc -->\n", "");
    dir.write("ep.md", &broken).write("other.md", EP);
    let out = run(&["toc", "--write", dir.arg()], None);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("ep.md:11"), "{err}");
    assert!(err.contains("error[EP0013]"), "{err}");
    assert_eq!(dir.read("ep.md"), broken);
    // Other files are still updated.
    assert_ne!(dir.read("other.md"), EP);
}

#[test]
fn without_paths_it_updates_the_books_eps() {
    let book = BookTest::from_fixture("toc-torture");
    let out = book.run(&["toc", "--check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("0001-torture/README.md"));
    // Chapters that are not EPs are not touched without paths.
    assert!(!stdout(&out).contains("marked.md"));
}

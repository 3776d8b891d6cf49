//! `mdbook-ep toc --write / --check` on source files: only the bytes between the markers
//! change, writes are atomic and idempotent, a broken marker leaves the file untouched.

mod common;

use common::*;

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
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("ep.md");
    write(&file, EP);
    let f = file.to_str().unwrap();
    let out = run(&["toc", "--check", f], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("stale"));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        EP,
        "--check must not write"
    );

    let out = run(&["toc", "--write", f], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let after = std::fs::read_to_string(&file).unwrap();
    between_markers_changed_only(EP, &after);
    assert!(after.contains("<!-- toc -->\n- [Don't stop](#dont-stop)\n  - [`code` here](#code-here)\n- [Foo](#foo)\n- [Foo](#foo-1)\n<!-- /toc -->"), "{after}");
    assert!(
        !after.contains("[Table of Contents]"),
        "the heading above the markers is not listed"
    );

    assert_eq!(run(&["toc", "--check", f], None).status.code(), Some(0));
    run(&["toc", "--write", f], None);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), after);
}

#[test]
fn mdbook_anchors_follow_mdbooks_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("ep.md");
    write(&file, EP);
    run(
        &[
            "toc",
            "--write",
            "--anchors",
            "mdbook",
            file.to_str().unwrap(),
        ],
        None,
    );
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(after.contains("- [Don’t stop](#dont-stop)"), "{after}");
}

#[test]
fn an_unclosed_marker_is_an_error_naming_the_line_and_the_file_is_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("ep.md");
    let broken = EP.replace("<!-- /toc -->\n", "");
    write(&file, &broken);
    let other = tmp.path().join("other.md");
    write(&other, EP);
    let out = run(&["toc", "--write", tmp.path().to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("ep.md:11"), "{err}");
    assert!(err.contains("error[EP0013]"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), broken);
    // Other files are still updated.
    assert_ne!(std::fs::read_to_string(&other).unwrap(), EP);
}

#[test]
fn without_paths_it_updates_the_books_eps() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("toc-torture"), tmp.path());
    let out = std::process::Command::new(bin())
        .args(["toc", "--check"])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("0001-torture/README.md"));
    // Chapters that are not EPs are not touched without paths.
    assert!(!String::from_utf8_lossy(&out.stdout).contains("marked.md"));
}

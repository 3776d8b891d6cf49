//! Hostile and broken input: nothing may crash; each gets its documented diagnostic.

use crate::book_test::*;

const GOOD: &str = "---\ntitle: Good\nnumber: 1\nauthors: [\"@a\"]\nowning-sig: devex\nstate: provisional\ncreation-date: 2026-01-05\n---\n## Summary\n\nS.\n\n## Motivation\n\nM.\n";

/// A one-EP book whose EP file holds `ep`.
fn book_with(ep: &[u8]) -> BookTest {
    let book = BookTest::from_fixture("rules/EP0102-unknown-state");
    book.write("src/eps/devex/0001-good/README.md", ep);
    book
}

fn assert_reports(ep: &[u8], code: &str, exit: i32) -> String {
    let built = book_with(ep).build();
    let err = built.stderr();
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains(code), "expected {code}:\n{err}");
    assert_eq!(built.code(), Some(exit), "{err}");
    err
}

#[test]
fn empty_file() {
    assert_reports(b"", "error[EP0101]: this EP has no metadata", 1);
}

#[test]
fn front_matter_only_dashes() {
    assert_reports(b"---", "error[EP0101]", 1);
    assert_reports(b"---\n---\n", "error[EP0101]: metadata is empty", 1);
}

#[test]
fn scalar_front_matter() {
    assert_reports(
        b"---\njust text\n---\n",
        "metadata must be a mapping of keys to values, found a string",
        1,
    );
}

#[test]
fn yaml_alias_bomb_is_refused_quickly() {
    let mut yaml =
        String::from("---\na: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    let mut prev = 'a';
    for name in 'b'..='m' {
        yaml.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        prev = name;
    }
    yaml.push_str("---\n");
    let start = std::time::Instant::now();
    assert_reports(yaml.as_bytes(), "error[EP0101]", 1);
    assert!(
        start.elapsed().as_secs() < 20,
        "alias bomb took {:?}",
        start.elapsed()
    );
}

#[test]
fn ten_megabyte_ep_builds() {
    let mut ep = GOOD.to_string();
    let para =
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n\n";
    while ep.len() < 10 * 1024 * 1024 {
        ep.push_str(para);
    }
    assert_reports(ep.as_bytes(), "Book building has started", 0);
}

#[test]
fn binary_garbage_is_not_utf8() {
    assert_reports(&[0xff, 0xfe, 0x00, 0x41], "error[EP0005]", 1);
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_skipped_with_a_warning() {
    let book = book_with(GOOD.as_bytes());
    std::os::unix::fs::symlink("..", book.join("src/eps/devex/loop")).unwrap();
    let built = book.build();
    let err = built.stderr();
    assert!(err.contains("warning[EP0011]"), "{err}");
    assert!(err.contains("loops back"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // The EP pass completes; mdBook's HTML renderer then refuses to copy static files through
    // the loop itself, which is mdBook's own error (EP0010), not a crash.
    assert!(err.contains("Running the html backend"), "{err}");
    assert!(
        built.code() == Some(0) || err.contains("error[EP0010]"),
        "{err}"
    );
}

/// A numbered EP whose `README.md` is a link (its text kept elsewhere in the repository) is
/// an EP like any other: its folder is not reported as lacking a `README.md`.
#[cfg(unix)]
#[test]
fn a_linked_readme_is_an_ep_not_a_missing_one() {
    let book = book_with(GOOD.as_bytes());
    let linked = GOOD.replace("title: Good\nnumber: 1", "title: Linked\nnumber: 2");
    book.write("texts/linked.md", linked);
    book.write("src/eps/devex/0002-linked/notes.md", "# Notes\n");
    std::os::unix::fs::symlink(
        "../../../../texts/linked.md",
        book.join("src/eps/devex/0002-linked/README.md"),
    )
    .unwrap();
    let out = book.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["eps"], 2, "{json}");
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(!codes.contains(&"EP0306"), "{json}");
    assert!(!codes.contains(&"EP0011"), "{json}");
}

#[test]
fn invalid_configuration_is_exit_2_with_ep0001() {
    let book = book_with(GOOD.as_bytes());
    book.append_to_book_toml("[preprocessor.ep.rules]\nEP0601 = \"loud\"\n");
    let built = book.build();
    assert!(built.stderr().contains("EP0001"), "{}", built.stderr());
    assert_eq!(built.code(), Some(2));
}

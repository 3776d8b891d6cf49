//! Data safety: commands never delete, half-change or race away what the user wrote.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::book_test::*;

/// Every file under `dir` with its bytes, to prove a refused command changed nothing.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, root, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn build_refuses_a_destination_that_would_delete_the_book() {
    let book = BookTest::from_fixture("three-sigs");
    let before = files(book.path());
    for dest in ["src", ".", "src/eps", "src/site", ".."] {
        let dest = book.path().join(dest);
        let out = run(
            &["build", "--book", book.arg(), "-d", dest.to_str().unwrap()],
            None,
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{}: {err}", dest.display());
        assert!(
            err.contains("error[EP0014]") && err.contains("mdBook empties the build folder"),
            "{err}"
        );
        assert_eq!(files(book.path()), before, "{} changed the book", dest.display());
    }
    // The same for a build folder set in book.toml, with the command run inside the book.
    book.edit("book.toml", |t| {
        t.replace("create-missing = false", "create-missing = false\nbuild-dir = \"src\"")
    });
    let before = files(book.path());
    let out = book.run(&["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(files(book.path()), before);
    // A folder beside the sources is fine.
    let out = book.run(&["build", "-d", "site"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(book.join("site/index.html").is_file());
}

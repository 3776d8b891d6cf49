//! The KEP sample (`tests/fixtures/kep-sample`) as a book of its READMEs, for the TOC comparison in the
//! benchmark and in `examples/toc_compare.rs`.

use mdbook_preprocessor::book::{Book, Chapter};

/// The sample's folder and its READMEs as chapters, or `None` when the sample is not there.
pub(crate) fn load() -> Option<(std::path::PathBuf, Book)> {
    let sample =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kep-sample/keps");
    let sigs = std::fs::read_dir(&sample).ok()?;
    let mut book = Book::new();
    for sig in sigs.flatten().map(|e| e.path()).filter(|p| p.is_dir()) {
        for kep in std::fs::read_dir(&sig).into_iter().flatten().flatten() {
            let readme = kep.path().join("README.md");
            if let Ok(text) = std::fs::read_to_string(&readme) {
                let rel = readme
                    .strip_prefix(&sample)
                    .unwrap_or(&readme)
                    .to_path_buf();
                book.push_item(Chapter::new("kep", text, rel, Vec::new()));
            }
        }
    }
    Some((sample, book))
}

/// mdbook-ep's TOC step over every chapter, as the comparison runs it.
pub(crate) fn toc_all(book: &mut Book) {
    let cfg = mdbook_ep::internals::TocConfig::default();
    let dialect = mdbook_ep::internals::Dialect::default();
    book.for_each_chapter_mut(|ch| {
        if let Some(text) = mdbook_ep::internals::toc_for_chapter(&ch.content, dialect, &cfg, false)
        {
            ch.content = text;
        }
    });
}

//! The KEP sample of `../shared` as a book of its READMEs, for the TOC comparison in the
//! benchmark and in `examples/toc_compare.rs`.

use mdbook_preprocessor::book::{Book, Chapter};

/// The sample's folder and its READMEs as chapters, or `None` when the sample is not there.
pub fn load() -> Option<(std::path::PathBuf, Book)> {
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/kep-sample/keps");
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

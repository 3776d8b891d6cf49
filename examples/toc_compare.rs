//! Runs one TOC implementation over the KEP sample N times, for instruction counts that do not
//! depend on the machine's load: `valgrind --tool=callgrind target/release/examples/toc_compare
//! mdbook-ep 20` against `... mdbook-toc 20`.

use mdbook_preprocessor::book::{Book, Chapter};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_else(|| "mdbook-ep".into());
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/kep-sample/keps");
    let mut book = Book::new();
    for sig in std::fs::read_dir(&sample).expect("the KEP sample in ../shared") {
        let sig = sig.unwrap().path();
        if !sig.is_dir() {
            continue;
        }
        for kep in std::fs::read_dir(&sig).unwrap() {
            let readme = kep.unwrap().path().join("README.md");
            if let Ok(text) = std::fs::read_to_string(&readme) {
                let rel = readme.strip_prefix(&sample).unwrap().to_path_buf();
                book.push_item(Chapter::new("kep", text, rel, Vec::new()));
            }
        }
    }
    let ctx = PreprocessorContext::new(sample.clone(), Default::default(), "html".into());
    let cfg = mdbook_ep::config::TocConfig::default();
    let flags = mdbook_ep::config::MarkdownFlags::default();
    let mut total = 0;
    for _ in 0..rounds {
        let mut copy = book.clone();
        match which.as_str() {
            "mdbook-toc" => copy = mdbook_toc::Toc.run(&ctx, copy).unwrap(),
            "floor" => {
                let opts = flags.options();
                for ch in copy.chapters() {
                    total += mdbook_markdown::new_cmark_parser(&ch.content, &opts)
                        .into_offset_iter()
                        .count();
                }
            }
            _ => copy.for_each_chapter_mut(|ch| {
                if let Some(text) = mdbook_ep::render::toc::for_chapter(
                    &ch.content,
                    flags,
                    &cfg,
                    mdbook_ep::outline::EmptyIds::Blank,
                    false,
                ) {
                    ch.content = text;
                }
            }),
        }
        total += copy.iter().count();
    }
    println!("{which}: {total}");
}

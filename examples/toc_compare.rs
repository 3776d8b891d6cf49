//! Runs one TOC implementation over the KEP sample N times, for instruction counts that do not
//! depend on the machine's load: `valgrind --tool=callgrind target/release/examples/toc_compare
//! mdbook-ep 20` against `... mdbook-toc 20`.

#[path = "../benches/kep_sample.rs"]
mod kep_sample;

use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_else(|| "mdbook-ep".into());
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let (sample, book) = kep_sample::load().expect("the KEP sample in tests/fixtures/kep-sample");
    let ctx = PreprocessorContext::new(sample.clone(), Default::default(), "html".into());
    let flags = mdbook_ep::internals::MarkdownFlags::default();
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
            _ => kep_sample::toc_all(&mut copy),
        }
        total += copy.iter().count();
    }
    println!("{which}: {total}");
}

//! libFuzzer over `mdbook_ep::internals::toc` (`src/fuzzing.rs` says what it checks). From the
//! repository root: `cargo +nightly fuzz run toc fuzz/corpus/toc fuzz/seeds/toc`. A plain
//! `cargo test` runs the same function over the seeds in `fuzz/seeds/toc/`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| mdbook_ep::internals::toc(data));

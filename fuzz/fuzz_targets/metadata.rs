//! libFuzzer over `mdbook_ep::internals::metadata` (`src/fuzzing.rs` says what it checks). From the
//! repository root: `cargo +nightly fuzz run metadata fuzz/corpus/metadata fuzz/seeds/metadata`. A plain
//! `cargo test` runs the same function over the seeds in `fuzz/seeds/metadata/`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| mdbook_ep::internals::metadata(data));

//! libFuzzer over `mdbook_ep::internals::summary` (`src/fuzzing.rs` says what it checks). From the
//! repository root: `cargo +nightly fuzz run summary fuzz/corpus/summary fuzz/seeds/summary`. A plain
//! `cargo test` runs the same function over the seeds in `fuzz/seeds/summary/`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| mdbook_ep::internals::summary(data));

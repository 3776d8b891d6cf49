//! libFuzzer over `mdbook_ep::internals::line_editor` (`src/fuzzing.rs` says what it checks). From the
//! repository root: `cargo +nightly fuzz run line_editor fuzz/corpus/line_editor fuzz/seeds/line_editor`. A plain
//! `cargo test` runs the same function over the seeds in `fuzz/seeds/line_editor/`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| mdbook_ep::internals::line_editor(data));

//! Every fuzz target over its checked-in seeds, without nightly or libFuzzer: the same
//! functions `cargo fuzz run NAME` drives (`src/fuzzing.rs`), so a crash libFuzzer found and
//! saved into `fuzz/seeds/NAME/` stays a failing test until it is fixed.

use crate::book_test::repo;

#[test]
fn every_fuzz_target_passes_its_seed_corpus() {
    for (name, target) in mdbook_ep::internals::FUZZ_TARGETS {
        let dir = repo().join("fuzz/seeds").join(name);
        let mut seeds: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .collect();
        seeds.sort();
        assert!(
            seeds.len() >= 4,
            "{name}: too few seeds in {}",
            dir.display()
        );
        for seed in seeds {
            let data = std::fs::read(&seed).unwrap();
            if let Err(panic) = std::panic::catch_unwind(|| target(&data)) {
                let why = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                panic!("fuzz target {name} fails on {}: {why}", seed.display());
            }
        }
    }
}

//! The integration tests of mdbook-ep, in one test binary (as mdBook 0.5's own
//! `tests/testsuite/`): one module per area, the shared book-fixture builder in [`book_test`],
//! and insta snapshots under `snapshots/`.
//!
//! Run them with `cargo test --test testsuite`. When a snapshot changes on purpose, accept the
//! new output with `INSTA_UPDATE=always cargo test --test testsuite` (or `cargo insta review`)
//! and review the diff of `tests/testsuite/snapshots/`. Under CI (`CI=true`) insta writes
//! nothing and a mismatch fails.

mod book_test;

mod adoption;
mod bad_input;
mod baseline;
mod browser;
mod check;
mod ci_workflows;
mod doc_sessions;
mod end_to_end;
mod export;
mod fuzz_corpus;
mod hosting;
mod kpi;
mod kpi_history;
mod layers;
mod parallel;
mod process;
mod protocol;
mod readers;
mod rule_fixtures;
mod safety;
mod structure;
mod summary;
mod toc;
mod toc_command;
mod workflow;

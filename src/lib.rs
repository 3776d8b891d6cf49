//! mdbook-ep: an mdBook preprocessor for Enhancement Proposals.
//!
//! Data flows one way: configuration and files are read at the edges ([`analysis`],
//! [`preprocessor`], [`cli`]); everything between is pure ([`metadata`], [`validate`],
//! [`render`]), so `mdbook build`, `mdbook-ep build` and the tests see the same results.

pub mod analysis;
pub mod calendar;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod edit;
pub mod ep;
pub mod error;
pub mod export;
pub mod feed;
pub mod fsutil;
pub mod git;
pub mod history;
pub mod kpi;
pub mod metadata;
pub mod model;
pub mod outline;
pub mod preprocessor;
pub mod render;
pub mod renderer;
pub mod structure;
pub mod suggest;
pub mod summary;
pub mod template;
pub mod validate;

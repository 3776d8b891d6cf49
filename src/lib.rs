//! mdbook-ep: an mdBook preprocessor for Enhancement Proposals.
//!
//! The crate is a library with a command line on top. Its modules are layers, each importing
//! only the ones below it (`ARCHITECTURE.md` draws them; a test enforces the order):
//! the vocabulary (`model`, `diagnostic`, `error`, `suggest`, `io`), the Markdown dialect mdBook renders
//! (`dialect`), reading a book (`read`), checking and measuring it (`check`, `kpi`), its
//! structure (`shape`), rendering pages and data (`render`), mdBook's plugin interfaces
//! (`preprocessor`, `renderer`), the commands' decisions (`change`) and the CLI (`cli`).
//!
//! This surface is what other programs need to run mdbook-ep in-process: the preprocessor and
//! renderer to register with `mdbook-driver`, and the whole check of a book as data
//! ([`check`]).

mod change;
mod check;
mod cli;
mod diagnostic;
mod dialect;
mod error;
mod fuzzing;
mod io;
mod kpi;
mod model;
mod preprocessor;
mod read;
mod render;
mod renderer;
mod shape;
mod suggest;
mod text;

pub use check::{Report, check};
pub use cli::main;
pub use diagnostic::{Diagnostic, Location, Rule, Severity};
pub use error::{Error, Result};
pub use model::{Date, State};
pub use preprocessor::EpPreprocessor;
pub use renderer::EpRenderer;

/// What the benchmarks, the fuzz targets and the integration tests reach below the surface.
/// Not part of the API: it changes whenever the layers below do.
#[doc(hidden)]
pub mod internals {
    pub use crate::check::{analyze, validate};
    pub use crate::diagnostic::{Sources, render_plain};
    pub use crate::dialect::{Dialect, EmptyIds, MarkdownFlags};
    pub use crate::fuzzing::{
        TARGETS as FUZZ_TARGETS, Target as FuzzTarget, line_editor, metadata, summary, toc,
    };
    pub use crate::kpi::{Kpis, from_repository as kpis_from_repository};
    pub use crate::model::calendar::Calendar;
    pub use crate::preprocessor::apply;
    pub use crate::read::BookDirs;
    pub use crate::read::config::{EpConfig, TocConfig};
    pub use crate::read::discover::{Found, Kind};
    pub use crate::read::ep::{Ep, parse as parse_ep};
    pub use crate::read::history::{EpHistory, GitStatus};
    pub use crate::read::template::{Template, parse as parse_template};
    pub use crate::render::chapter::ep_chapter;
    pub use crate::render::toc::for_chapter as toc_for_chapter;
    pub use crate::render::{Directory, page as render_page};
    pub use crate::shape::structure::{Intros, Page, Plan, Show, plan as plan_structure};
}

//! `mdbook-ep build`: mdBook's own loader and HTML renderer, in-process, with `ep` registered.

use std::path::Path;

use crate::error::{Error, Result};
use crate::preprocessor::EpPreprocessor;

/// Builds the book in `dir`. EP problems were already printed by the preprocessor.
pub fn run(dir: &Path, dest_dir: Option<&Path>) -> Result<()> {
    init_logging();
    let mut book = super::load::load(dir)?;
    if let Some(dest) = dest_dir {
        book.config.build.build_dir = std::env::current_dir()
            .map_err(|e| Error::io("read", ".", e))?
            .join(dest);
    }
    book.with_preprocessor(EpPreprocessor);
    if book.config.contains_key("output.ep") {
        book.with_renderer(crate::renderer::EpRenderer);
    }
    book.build().map_err(|e| {
        // Our own failure keeps its code and count; anything else is mdBook's.
        match e.downcast_ref::<Error>() {
            Some(Error::Invalid { errors }) => Error::Invalid { errors: *errors },
            _ => Error::mdbook(e),
        }
    })
}

/// mdBook logs through `tracing`; without a subscriber its errors would vanish. Same filter
/// variable and default as the mdbook CLI.
fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("MDBOOK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .without_time()
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_env_filter(filter)
        .try_init();
}

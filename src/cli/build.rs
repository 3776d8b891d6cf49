//! `mdbook-ep build`: mdBook's own loader and HTML renderer, in-process, with `ep` registered.
//! Behind the default `build` feature: it compiles mdBook's renderer and search index in.

use std::path::{Path, PathBuf};

use mdbook_driver::MDBook;

use crate::change::build::check_destination;
use crate::error::{Error, Result};
use crate::preprocessor::EpPreprocessor;
use crate::read::book::{book_config, summary_with_region};
use crate::renderer::EpRenderer;

#[derive(clap::Args, Debug)]
pub(super) struct BuildArgs {
    /// Write the book here instead of the configured build folder.
    #[arg(short = 'd', long)]
    dest_dir: Option<PathBuf>,
}

impl BuildArgs {
    /// Builds the book in `dir`. EP problems were already printed by the preprocessor.
    pub(super) fn run(self, dir: &Path) -> Result<()> {
        init_logging();
        let config = book_config(dir)?;
        let mut book = match summary_with_region(dir, &config) {
            Some(summary) => MDBook::load_with_config_and_summary(dir, config, summary),
            None => MDBook::load_with_config(dir, config),
        }
        .map_err(Error::mdbook)?;
        if let Some(dest) = self.dest_dir {
            book.config.build.build_dir = std::env::current_dir()
                .map_err(|e| Error::io("read", ".", e))?
                .join(dest);
        }
        let cfg = crate::read::book::ep_settings(dir, &book.config)?;
        let src = dir.join(&book.config.book.src);
        let dest = dir.join(&book.config.build.build_dir);
        check_destination(&dest, dir, &src, &src.join(cfg.on_disk(&cfg.eps_dir)))?;
        book.with_preprocessor(EpPreprocessor);
        if book.config.contains_key("output.ep") {
            book.with_renderer(EpRenderer);
        }
        book.build().map_err(|e| {
            // Our own failure keeps its code and count; anything else is mdBook's.
            match e.downcast_ref::<Error>() {
                Some(Error::Invalid { errors }) => Error::Invalid { errors: *errors },
                _ => Error::mdbook(e),
            }
        })
    }
}

/// mdBook logs through `tracing`; without a subscriber its errors would vanish. Same filter
/// variable and default as the mdbook CLI.
fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("MDBOOK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_ansi(crate::diagnostic::colors_on())
        .without_time()
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_env_filter(filter)
        .try_init();
}

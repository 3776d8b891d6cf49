//! `mdbook-ep state`.

use std::path::Path;

use crate::change::state::plan;
use crate::error::Result;
use crate::io::lock::BookLock;
use crate::model::Date;

#[derive(clap::Args, Debug)]
pub(super) struct StateArgs {
    /// The EP: its number (`42`, `EP-42`) or the path of its file.
    ep: String,
    /// The new state.
    state: String,
    /// With `replaced`: the EP that replaces it.
    #[arg(long)]
    by: Option<String>,
}

impl StateArgs {
    pub(super) fn run(self, dir: &Path) -> Result<()> {
        let _lock = BookLock::acquire(dir)?;
        let transition = plan(
            dir,
            &self.ep,
            &self.state,
            self.by.as_deref(),
            Date::today()?,
        )?;
        transition.writes.apply()?;
        super::out(format_args!("{}\n", transition.said))
    }
}

//! `mdbook-ep promote`.

use std::path::Path;

use crate::change::promote::plan;
use crate::error::Result;
use crate::io::lock::BookLock;
use crate::model::Date;

#[derive(clap::Args, Debug)]
pub(super) struct PromoteArgs {
    /// The draft: the path of its file.
    draft: String,
    /// The number to give; default: the highest in use plus one.
    #[arg(long)]
    number: Option<String>,
}

impl PromoteArgs {
    pub(super) fn run(self, dir: &Path) -> Result<()> {
        let _lock = BookLock::acquire(dir)?;
        let promotion = plan(dir, &self.draft, self.number.as_deref(), Date::today()?)?;
        promotion.apply(dir)?;
        super::out(format_args!("{}\n", super::shown(&promotion.to).display()))
    }
}

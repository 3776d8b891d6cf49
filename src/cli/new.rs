//! `mdbook-ep new`.

use std::path::Path;

use crate::change::draft::{Request, plan};
use crate::error::Result;
use crate::io::lock::BookLock;
use crate::model::Date;

#[derive(clap::Args, Debug)]
pub(super) struct NewArgs {
    /// The owning SIG (its folder under the EP folder).
    #[arg(long)]
    sig: String,
    /// The EP's title.
    #[arg(long)]
    title: String,
    /// An author (repeatable); default: git's user.name.
    #[arg(long = "author")]
    authors: Vec<String>,
}

impl NewArgs {
    pub(super) fn run(self, dir: &Path) -> Result<()> {
        let request = Request {
            sig: self.sig,
            title: self.title,
            authors: self.authors,
        };
        let _lock = BookLock::acquire(dir)?;
        let draft = plan(dir, request, Date::today()?)?;
        draft.create()?;
        super::out(format_args!("{}\n", draft.path.display()))
    }
}

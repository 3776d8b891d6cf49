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
    /// Also name reviewers and an approver from the SIG registry, as `assign` proposes them.
    #[arg(long)]
    assign: bool,
}

impl NewArgs {
    pub(super) fn run(self, dir: &Path) -> Result<()> {
        let sig = self.sig.clone();
        let request = Request {
            sig: self.sig,
            title: self.title,
            authors: self.authors,
        };
        let _lock = BookLock::acquire(dir)?;
        let today = Date::today()?;
        let draft = plan(dir, request, today)?;
        let (draft, picks) = if self.assign {
            crate::change::assign::for_draft(dir, draft, &sig, today)?
        } else {
            (draft, Vec::new())
        };
        draft.create()?;
        let mut said = format!("{}\n", draft.path.display());
        for p in &picks {
            let role = match p.role {
                crate::change::assign::Role::Reviewer => "reviewer",
                crate::change::assign::Role::Approver => "approver",
            };
            said.push_str(&format!("  {role} for {}: {}\n", p.sig, p.person));
        }
        super::out(said)
    }
}

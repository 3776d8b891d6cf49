//! `mdbook-ep assign`.

use std::path::Path;

use crate::change::assign::{describe, plan};
use crate::error::Result;
use crate::io::lock::BookLock;
use crate::model::Date;
use crate::read::book::settings;

#[derive(clap::Args, Debug)]
pub(super) struct AssignArgs {
    /// The EP: its number (`42`, `EP-42`) or the path of its file.
    ep: String,
    /// Record the proposal in the EP's `reviewers` and `approvers`.
    #[arg(long)]
    write: bool,
}

impl AssignArgs {
    pub(super) fn run(self, dir: &Path) -> Result<()> {
        let _lock = self.write.then(|| BookLock::acquire(dir)).transpose()?;
        let assignment = plan(dir, &self.ep, Date::today()?)?;
        let (_, cfg) = settings(dir)?;
        let mut said = describe(&assignment, &|sig| cfg.sig_name(sig).to_string());
        if self.write {
            assignment.writes.apply()?;
            if let Some((file, _)) = assignment.writes.0.first() {
                said.push_str(&format!(
                    "recorded in {}\n",
                    crate::error::shown(file).display()
                ));
            }
        } else if !assignment.picks.is_empty() {
            said.push_str(&format!(
                "record them with `{}`\n",
                super::command_for(dir, &format!("assign {} --write", self.ep))
            ));
        }
        super::out(said)
    }
}

//! `mdbook-ep list`.

use std::path::Path;

use crate::change::list::{Filter, select, table};
use crate::change::state::parse_state;
use crate::check::check_dir;
use crate::error::Result;
use crate::model::Date;
use crate::read::ep::Ep;

/// How the list is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum Format {
    /// Aligned columns for a terminal.
    Table,
    /// The `eps.json` objects of the EPs listed.
    Json,
    /// The `eps.csv` rows of the EPs listed.
    Csv,
}

#[derive(clap::Args, Debug)]
pub(super) struct ListArgs {
    /// Only this SIG's EPs (its folder name).
    #[arg(long)]
    sig: Option<String>,
    /// Only EPs in this state.
    #[arg(long)]
    state: Option<String>,
    /// Only EPs this person wrote (`@handle` or `handle`).
    #[arg(long)]
    author: Option<String>,
    /// Only EPs this person reviews: their review queue.
    #[arg(long)]
    reviewer: Option<String>,
    /// Only EPs this person approves.
    #[arg(long)]
    approver: Option<String>,
    /// How to print the list.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

impl ListArgs {
    pub(super) fn run(self, dir: &Path) -> Result<()> {
        let state = self.state.as_deref().map(parse_state).transpose()?;
        let filter = Filter {
            sig: self.sig,
            state,
            author: self.author,
            reviewer: self.reviewer,
            approver: self.approver,
        };
        let checked = check_dir(dir, Date::today_for_build()?)?;
        let chosen = select(&checked.analysis.eps, &filter);
        match self.format {
            Format::Table => super::out(table(&chosen)),
            Format::Json => {
                let owned: Vec<Ep> = chosen.into_iter().cloned().collect();
                // Without git history (`changes` is null): a query should not cost a log pass.
                let json = crate::render::export::eps_json(
                    &owned,
                    &[],
                    &checked.analysis.diagnostics,
                    &checked.cfg,
                    None,
                );
                let text = serde_json::to_string_pretty(&json).unwrap_or_default();
                super::out(format_args!("{text}\n"))
            }
            Format::Csv => {
                let owned: Vec<Ep> = chosen.into_iter().cloned().collect();
                super::out(crate::render::export::eps_csv(&owned, &checked.cfg, None))
            }
        }
    }
}

//! `mdbook-ep list`.

use std::path::Path;

use crate::change::list::{Filter, select, table};
use crate::change::state::parse_state;
use crate::check::check_dir;
use crate::check::stale::{Idle, history_of, idle};
use crate::error::{Error, Result};
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
    /// Only open EPs unchanged for more than DAYS days (default: `stale-after-days`), with
    /// how long each has waited. The last change is the newest commit, else `last-updated`.
    #[arg(long, value_name = "DAYS", num_args = 0..=1)]
    stale: Option<Option<u32>>,
    /// The order: the book's (`ep`: numbers, then drafts by date), or by last update (newest
    /// first), state (lifecycle order), SIG, or time waited (longest first, with `--stale`).
    #[arg(long, value_enum, default_value = "ep")]
    sort: SortBy,
    /// How to print the list.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// `list --sort`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum SortBy {
    /// The book's order.
    Ep,
    /// Last update, newest first.
    Updated,
    /// Lifecycle order.
    State,
    /// SIG folder name.
    Sig,
    /// Time waited, longest first.
    Waiting,
}

impl ListArgs {
    pub(super) fn run(self, dir: &Path) -> Result<()> {
        let state = self.state.as_deref().map(parse_state).transpose()?;
        let today = Date::today_for_build()?;
        let checked = check_dir(dir, today)?;
        // `--stale` alone takes the book's limit; one is needed either way.
        let stale = match self.stale {
            Some(None) => Some(checked.cfg.stale_after_days.ok_or_else(|| Error::Refused {
                message: "`--stale` needs a number of days: the book sets no `stale-after-days`"
                    .into(),
                help: "give one (`--stale 180`), or set `stale-after-days = 180` under `[preprocessor.ep]`"
                    .into(),
            })?),
            Some(Some(days)) => Some(days),
            None => None,
        };
        let filter = Filter {
            sig: self.sig,
            state,
            author: self.author,
            reviewer: self.reviewer,
            approver: self.approver,
            stale,
        };
        let eps = &checked.analysis.eps;
        let idle: Vec<Option<Idle>> = if stale.is_some() {
            let read;
            let history = match &checked.analysis.history {
                Some(h) => h,
                None => {
                    read = crate::read::history::of_eps(dir, eps);
                    &read
                }
            };
            let of = history_of(history, eps);
            eps.iter()
                .enumerate()
                .map(|(i, ep)| idle(ep, of(i), today))
                .collect()
        } else {
            Vec::new()
        };
        if self.sort == SortBy::Waiting && stale.is_none() {
            return Err(Error::Refused {
                message: "`--sort waiting` needs `--stale`, which works out how long EPs waited"
                    .into(),
                help: "add `--stale` (or `--stale DAYS`)".into(),
            });
        }
        let mut chosen = select(eps, &idle, &filter);
        // A stable sort: ties keep the book's order.
        match self.sort {
            SortBy::Ep => {}
            SortBy::Updated => chosen.sort_by_key(|(ep, _)| {
                std::cmp::Reverse(
                    ep.meta
                        .last_updated
                        .as_ref()
                        .or(ep.meta.creation_date.as_ref())
                        .map(|d| d.value),
                )
            }),
            SortBy::State => chosen.sort_by_key(|(ep, _)| ep.state()),
            SortBy::Sig => chosen.sort_by(|a, b| a.0.sig.cmp(&b.0.sig)),
            SortBy::Waiting => {
                chosen.sort_by_key(|(_, idle)| std::cmp::Reverse(idle.map(|i| i.days)))
            }
        }
        match self.format {
            Format::Table => super::out(table(&chosen, stale.is_some(), terminal_width())),
            Format::Json => {
                let owned: Vec<Ep> = chosen.into_iter().map(|(ep, _)| ep.clone()).collect();
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
                let owned: Vec<Ep> = chosen.into_iter().map(|(ep, _)| ep.clone()).collect();
                super::out(crate::render::export::eps_csv(&owned, &checked.cfg, None))
            }
        }
    }
}

/// The width the table must fit: `COLUMNS` when set (as `ls` reads it), else the terminal's
/// when the output is one; a pipe or a file gets whole titles.
fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
    {
        return Some(columns);
    }
    if !std::io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size().map(|(terminal_size::Width(w), _)| usize::from(w))
}

//! The process KPIs: EPs created and completed per planning increment, changes per EP, and how
//! long open EPs have been open. Pure: EPs, their git history and the calendar in; figures out.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::calendar::{Increment, find};
use crate::model::{Date, State};
use crate::read::ep::Ep;
use crate::read::history::{EpHistory, GitStatus};

/// Average and median of a list of counts; `None` when there is nothing to count.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Spread {
    pub count: usize,
    pub average: Option<f64>,
    pub median: Option<f64>,
}

impl Spread {
    fn of(mut values: Vec<u32>) -> Spread {
        values.sort_unstable();
        let n = values.len();
        let average = (n > 0).then(|| f64::from(values.iter().sum::<u32>()) / n as f64);
        let median = (n > 0).then(|| {
            if n % 2 == 1 {
                f64::from(values[n / 2])
            } else {
                (f64::from(values[n / 2 - 1]) + f64::from(values[n / 2])) / 2.0
            }
        });
        Spread {
            count: n,
            average,
            median,
        }
    }
}

/// One increment's figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct IncrementFigures {
    pub name: String,
    pub start: Date,
    pub end: Date,
    pub created: usize,
    pub completed: usize,
    /// Changes per EP created in this increment; `None` without git history.
    pub changes: Option<Spread>,
}

/// An EP that is not in an exit state, with its age.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct OpenEp {
    pub label: String,
    pub title: String,
    pub state: State,
    pub age_days: i64,
}

/// How long EPs stayed in one state.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct StateDays {
    pub state: State,
    /// How many stays were measured (an EP can pass through a state more than once).
    pub stays: usize,
    pub median_days: f64,
}

/// Days spent in each state, from each EP's sequence of state changes: a stay ends when the
/// next change begins. The current stay of an EP is not counted (it has not ended).
fn days_in_state(history: &[EpHistory]) -> Vec<StateDays> {
    let mut stays: std::collections::BTreeMap<State, Vec<u32>> = std::collections::BTreeMap::new();
    for h in history {
        // A stay starts where the state changed: an entry that repeats the state before it (a
        // comment added, a file moved) does not start a new one.
        let mut stay: Option<&(Date, String)> = None;
        for entry in &h.states {
            if let Some((from, state)) = stay {
                if *state == entry.1 {
                    continue;
                }
                if let Some(s) = State::parse(state) {
                    let days = (entry.0.to_unix_days() - from.to_unix_days()).max(0);
                    stays
                        .entry(s)
                        .or_default()
                        .push(u32::try_from(days).unwrap_or(u32::MAX));
                }
            }
            stay = Some(entry);
        }
    }
    stays
        .into_iter()
        .filter_map(|(state, days)| {
            let spread = Spread::of(days);
            Some(StateDays {
                state,
                stays: spread.count,
                median_days: spread.median?,
            })
        })
        .collect()
}

/// Where a figure came from, counted per source so readers can judge it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Sources {
    pub created_from_metadata: usize,
    pub created_from_first_commit: usize,
    pub completed_from_git: usize,
    pub completed_from_last_updated: usize,
    /// Completed EPs whose completion date nothing tells (they arrived completed and have no
    /// `last-updated`); they are not counted in any increment.
    pub completed_unknown: usize,
}

/// Every figure of the dashboard.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Kpis {
    /// How complete the git history was.
    pub git: GitStatus,
    /// The figures of each increment, oldest first.
    pub increments: Vec<IncrementFigures>,
    /// Changes per EP over all EPs; `None` without git history.
    pub changes: Option<Spread>,
    /// Median days an EP stayed in each state (from git history), lifecycle order; states no
    /// EP has left yet are absent. Empty without git.
    pub days_in_state: Vec<StateDays>,
    /// Oldest first.
    pub open_by_age: Vec<OpenEp>,
    /// Where dates came from.
    pub sources: Sources,
    /// The same figures per SIG (by folder name).
    pub sigs: BTreeMap<String, SigKpis>,
}

/// Computes the KPIs. `history` is indexed like `eps`; empty when git is unavailable.
pub(crate) fn compute(
    eps: &[Ep],
    history: &[EpHistory],
    git: GitStatus,
    increments: &[Increment],
    today: Date,
) -> Kpis {
    let has_git = git != GitStatus::Unavailable && history.len() == eps.len();
    let history = if has_git { history } else { &[] };
    let mut sources = Sources::default();
    let (created, completed): (Vec<Option<Date>>, Vec<Option<Date>>) = eps
        .iter()
        .enumerate()
        .map(|(i, ep)| {
            let h = history.get(i);
            (
                created_on(ep, h, &mut sources),
                completed_on(ep, h, &mut sources),
            )
        })
        .unzip();
    // Each EP's increments, found once (a binary search each), so the figures below are one
    // pass over the EPs whatever the number of increments.
    let created_in: Vec<Option<usize>> = created
        .iter()
        .map(|d| d.and_then(|d| find(increments, d)))
        .collect();
    let completed_in: Vec<Option<usize>> = completed
        .iter()
        .map(|d| d.and_then(|d| find(increments, d)))
        .collect();
    // The figures per increment and the changes per EP of a set of EPs (by index): the whole
    // book's, and each SIG's.
    let figures_of = |members: &[usize]| -> SigKpis {
        let mut created_n = vec![0; increments.len()];
        let mut completed_n = vec![0; increments.len()];
        let mut changes: Vec<Vec<u32>> = vec![Vec::new(); increments.len()];
        for &i in members {
            if let Some(n) = created_in[i] {
                created_n[n] += 1;
                if has_git {
                    changes[n].push(history[i].changes);
                }
            }
            if let Some(n) = completed_in[i] {
                completed_n[n] += 1;
            }
        }
        let increments = increments
            .iter()
            .zip(changes)
            .enumerate()
            .map(|(n, (inc, changes))| IncrementFigures {
                name: inc.name.clone(),
                start: inc.start,
                end: inc.end,
                created: created_n[n],
                completed: completed_n[n],
                changes: has_git.then(|| Spread::of(changes)),
            })
            .collect();
        SigKpis {
            increments,
            changes: has_git
                .then(|| Spread::of(members.iter().map(|&i| history[i].changes).collect())),
        }
    };
    let all: Vec<usize> = (0..eps.len()).collect();
    let book = figures_of(&all);
    let mut members: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, ep) in eps.iter().enumerate() {
        members.entry(ep.sig.as_str()).or_default().push(i);
    }
    let sigs = members
        .into_iter()
        .map(|(sig, m)| (sig.to_string(), figures_of(&m)))
        .collect();
    Kpis {
        git,
        increments: book.increments,
        changes: book.changes,
        days_in_state: days_in_state(history),
        open_by_age: open_by_age(eps, &created, today),
        sources,
        sigs,
    }
}

/// A SIG's own figures: what its lead tracks.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct SigKpis {
    /// Its EPs created and completed, and their changes, per increment, oldest first.
    pub increments: Vec<IncrementFigures>,
    /// Changes per EP over its EPs; `None` without git history.
    pub changes: Option<Spread>,
}

/// When an EP was created: `creation-date`, else its first commit.
fn created_on(ep: &Ep, history: Option<&EpHistory>, sources: &mut Sources) -> Option<Date> {
    if let Some(d) = &ep.meta.creation_date {
        sources.created_from_metadata += 1;
        return Some(d.value);
    }
    let first = history.and_then(|h| h.first_commit);
    if first.is_some() {
        sources.created_from_first_commit += 1;
    }
    first
}

/// When a completed EP was completed: the commit that changed its state to `completed` (a
/// file that arrived already completed says nothing about when that happened), else its
/// `last-updated`, else unknown. `None` for EPs that are not completed.
fn completed_on(ep: &Ep, history: Option<&EpHistory>, sources: &mut Sources) -> Option<Date> {
    if ep.state() != Some(State::Completed) {
        return None;
    }
    let from_git = history.and_then(|h| {
        h.states
            .windows(2)
            .rev()
            .find(|w| w[1].1 == "completed" && w[0].1 != "completed")
            .map(|w| w[1].0)
    });
    match (from_git, &ep.meta.last_updated) {
        (Some(d), _) => {
            sources.completed_from_git += 1;
            Some(d)
        }
        (None, Some(d)) => {
            sources.completed_from_last_updated += 1;
            Some(d.value)
        }
        (None, None) => {
            sources.completed_unknown += 1;
            None
        }
    }
}

/// EPs not in an exit state, oldest first (by creation date; undated EPs are left out).
fn open_by_age(eps: &[Ep], created: &[Option<Date>], today: Date) -> Vec<OpenEp> {
    let mut open: Vec<OpenEp> = eps
        .iter()
        .zip(created)
        .filter_map(|(ep, c)| {
            let state = ep.state().filter(|s| !s.is_exit())?;
            Some(OpenEp {
                label: ep.label(),
                title: ep.title(),
                state,
                age_days: today.to_unix_days() - (*c)?.to_unix_days(),
            })
        })
        .collect();
    open.sort_by(|a, b| b.age_days.cmp(&a.age_days).then(a.label.cmp(&b.label)));
    open
}

/// Reads the EPs' git history (the I/O edge) and computes the KPIs; also returns each EP's
/// history (empty without git) for `eps.json`. `root` is the book root.
pub fn from_repository(
    root: &std::path::Path,
    eps: &[Ep],
    increments: &[Increment],
    today: Date,
) -> (Kpis, Vec<EpHistory>) {
    let h = crate::read::history::of_eps(root, eps);
    (compute(eps, &h.eps, h.status, increments, today), h.eps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_end_at_the_next_change() {
        let d = |s: &str| Date::parse(s).unwrap();
        let h = |states: &[(&str, &str)]| EpHistory {
            changes: 0,
            first_commit: None,
            last_change: None,
            states: states
                .iter()
                .map(|(date, s)| (d(date), s.to_string()))
                .collect(),
            events: Vec::new(),
        };
        let out = days_in_state(&[
            h(&[
                ("2026-01-01", "provisional"),
                ("2026-01-11", "implementable"),
                ("2026-01-31", "implemented"),
            ]),
            h(&[
                ("2026-01-01", "provisional"),
                ("2026-01-31", "implementable"),
            ]),
        ]);
        assert_eq!(out.len(), 2);
        assert_eq!(
            (out[0].state, out[0].stays, out[0].median_days),
            (State::Provisional, 2, 20.0)
        );
        assert_eq!(
            (out[1].state, out[1].median_days),
            (State::Implementable, 20.0)
        );
    }

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// An EP of SIG `sig` with the given metadata lines (number 1).
    fn ep(sig: &str, meta: &str) -> Ep {
        crate::read::ep::testing::ep(
            &format!("{sig}/0001-x/README.md"),
            &format!("---\ntitle: X\nowning-sig: {sig}\n{meta}---\n# X\n"),
        )
    }

    fn history(changes: u32, first: Option<&str>, states: &[(&str, &str)]) -> EpHistory {
        EpHistory {
            changes,
            first_commit: first.map(d),
            last_change: None,
            states: states.iter().map(|(t, s)| (d(t), s.to_string())).collect(),
            events: Vec::new(),
        }
    }

    /// Two increments of ten days: PI 1 is 2026-01-01..=2026-01-10, PI 2 the next ten days.
    fn increments() -> Vec<Increment> {
        vec![
            Increment {
                name: "PI 1".into(),
                start: d("2026-01-01"),
                end: d("2026-01-10"),
            },
            Increment {
                name: "PI 2".into(),
                start: d("2026-01-11"),
                end: d("2026-01-20"),
            },
        ]
    }

    #[test]
    fn created_comes_from_creation_date_before_the_first_commit() {
        let eps = [
            ep("a", "state: provisional\ncreation-date: 2026-01-10\n"),
            ep("a", "state: provisional\n"),
            ep("b", "state: provisional\n"),
        ];
        let hist = [
            history(3, Some("2026-01-15"), &[]),
            history(5, Some("2026-01-11"), &[]),
            history(1, None, &[]),
        ];
        let k = compute(&eps, &hist, GitStatus::Full, &increments(), d("2026-01-20"));
        // The first EP's creation-date (PI 1's last day) wins over its commit in PI 2.
        assert_eq!(k.increments[0].created, 1);
        assert_eq!(k.increments[1].created, 1);
        assert_eq!(k.sources.created_from_metadata, 1);
        assert_eq!(k.sources.created_from_first_commit, 1);
        // Changes per EP created in each increment, and over all EPs.
        assert_eq!(k.increments[0].changes.as_ref().unwrap().average, Some(3.0));
        assert_eq!(k.increments[1].changes.as_ref().unwrap().average, Some(5.0));
        assert_eq!(k.changes.as_ref().unwrap().average, Some(3.0));
        // Per SIG: `a` has both dated EPs, `b` the undated one.
        assert_eq!(k.sigs["a"].increments[0].created, 1);
        assert_eq!(k.sigs["a"].increments[1].created, 1);
        assert_eq!(
            k.sigs["b"]
                .increments
                .iter()
                .map(|i| i.created)
                .sum::<usize>(),
            0
        );
        assert_eq!(k.sigs["b"].changes.as_ref().unwrap().average, Some(1.0));
        // Open EPs by age, oldest first; the undated one is left out.
        let ages: Vec<i64> = k.open_by_age.iter().map(|o| o.age_days).collect();
        assert_eq!(ages, [10, 9]);
    }

    #[test]
    fn completed_comes_from_the_commit_that_completed_it() {
        let done = "state: completed\ncreation-date: 2026-01-01\nlast-updated: 2026-01-05\n";
        let eps = [
            ep("a", done),
            ep("a", &done.replace("2026-01-05", "2026-01-15")),
            ep("a", "state: completed\ncreation-date: 2026-01-01\n"),
            ep(
                "a",
                "state: staged\ncreation-date: 2026-01-01\nlast-updated: 2026-01-12\n",
            ),
        ];
        let hist = [
            // Completed in PI 1; a later commit (in PI 2) that keeps `completed` changes
            // nothing.
            history(
                4,
                Some("2026-01-01"),
                &[
                    ("2026-01-01", "provisional"),
                    ("2026-01-08", "completed"),
                    ("2026-01-19", "completed"),
                ],
            ),
            // Arrived completed: git says nothing, so `last-updated` (PI 2) counts.
            history(1, Some("2026-01-01"), &[("2026-01-01", "completed")]),
            // Arrived completed without `last-updated`: unknown.
            history(1, Some("2026-01-01"), &[("2026-01-01", "completed")]),
            history(1, Some("2026-01-01"), &[("2026-01-01", "staged")]),
        ];
        let k = compute(&eps, &hist, GitStatus::Full, &increments(), d("2026-01-20"));
        assert_eq!(k.increments[0].completed, 1);
        assert_eq!(k.increments[1].completed, 1);
        assert_eq!(k.sources.completed_from_git, 1);
        assert_eq!(k.sources.completed_from_last_updated, 1);
        assert_eq!(k.sources.completed_unknown, 1);
        assert_eq!(k.open_by_age.len(), 1);
        assert_eq!(k.open_by_age[0].state, State::Staged);
        assert_eq!(k.open_by_age[0].age_days, 19);
    }

    #[test]
    fn without_a_full_history_there_are_no_change_counts() {
        let eps = [ep("a", "state: provisional\ncreation-date: 2026-01-02\n")];
        let hist = [history(7, Some("2026-01-15"), &[])];
        let none = compute(
            &eps,
            &hist,
            GitStatus::Unavailable,
            &increments(),
            d("2026-01-20"),
        );
        assert_eq!(none.changes, None);
        assert_eq!(none.increments[0].changes, None);
        assert!(none.days_in_state.is_empty());
        // A history that does not cover every EP is not used either.
        let short = compute(&eps, &[], GitStatus::Full, &increments(), d("2026-01-20"));
        assert_eq!(short.changes, None);
        let full = compute(
            &eps,
            &hist,
            GitStatus::Shallow,
            &increments(),
            d("2026-01-20"),
        );
        assert_eq!(full.changes.unwrap().average, Some(7.0));
        assert_eq!(full.increments[0].created, 1);
    }

    #[test]
    fn writing_the_same_state_again_does_not_start_a_new_stay() {
        let out = days_in_state(&[history(
            0,
            None,
            &[
                ("2026-01-01", "provisional"),
                ("2026-01-05", "provisional"),
                ("2026-01-11", "implementable"),
            ],
        )]);
        assert_eq!(
            out.iter()
                .map(|s| (s.state, s.stays, s.median_days))
                .collect::<Vec<_>>(),
            [(State::Provisional, 1, 10.0)]
        );
    }

    #[test]
    fn spreads() {
        assert_eq!(Spread::of(vec![3, 1, 2]).median, Some(2.0));
        assert_eq!(Spread::of(vec![4, 1, 2, 3]).median, Some(2.5));
        assert_eq!(Spread::of(vec![4, 1, 2, 3]).average, Some(2.5));
        assert_eq!(Spread::of(vec![]).average, None);
    }
}

//! Planning increments (PIs): the periods KPIs are counted in.

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::model::Date;

/// One planning increment, both ends included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Increment {
    pub name: String,
    pub start: Date,
    pub end: Date,
}

/// `[preprocessor.ep.kpi]` as written.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawKpi {
    pub pi_start: Option<String>,
    pub pi_weeks: Option<u32>,
    pub increments: Vec<RawIncrement>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawIncrement {
    pub name: String,
    pub start: String,
    pub end: String,
}

/// The calendar: equal PIs from `pi-start`, or an explicit, ordered, non-overlapping list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Calendar {
    /// No `[preprocessor.ep.kpi]`: KPIs are not computed.
    #[default]
    None,
    /// Equal increments of `weeks` weeks from `start`, named `PI 1`, `PI 2`, ...
    Regular {
        /// The first day of the first increment.
        start: Date,
        /// The length of each increment.
        weeks: u32,
    },
    /// Increments as listed in `book.toml`.
    Listed(Vec<Increment>),
}

fn bad(message: String, help: &str) -> Error {
    Error::Config {
        table: "preprocessor.ep.kpi".into(),
        message,
        help: help.into(),
    }
}

fn date(key: &str, text: &str) -> Result<Date> {
    Date::parse(text).ok_or_else(|| {
        bad(
            format!("`{key} = \"{text}\"` is not a date"),
            "write dates as \"YYYY-MM-DD\"",
        )
    })
}

impl Calendar {
    /// Checks `[preprocessor.ep.kpi]`: a start and a length, or an ordered list that does not overlap.
    pub fn from_raw(raw: RawKpi) -> Result<Calendar> {
        match (raw.pi_start, raw.increments.is_empty()) {
            (Some(_), false) => Err(bad(
                "both `pi-start` and `increments` are set".into(),
                "use `pi-start` with `pi-weeks` for equal increments, or list them all under `increments`",
            )),
            (Some(start), true) => {
                let weeks = raw.pi_weeks.unwrap_or(10);
                if weeks == 0 {
                    return Err(bad(
                        "`pi-weeks` is 0".into(),
                        "give the length of one increment in weeks, e.g. 10",
                    ));
                }
                Ok(Calendar::Regular {
                    start: date("pi-start", &start)?,
                    weeks,
                })
            }
            (None, false) => {
                let mut list = Vec::new();
                for inc in raw.increments {
                    let start = date("start", &inc.start)?;
                    let end = date("end", &inc.end)?;
                    if end < start {
                        return Err(bad(
                            format!("increment \"{}\" ends before it starts", inc.name),
                            "swap `start` and `end`",
                        ));
                    }
                    if let Some(prev) = list.last().map(|p: &Increment| p.end)
                        && start <= prev
                    {
                        return Err(bad(
                            format!(
                                "increment \"{}\" starts on or before the end of the one before it",
                                inc.name
                            ),
                            "list increments in order, each starting after the previous one ends",
                        ));
                    }
                    list.push(Increment {
                        name: inc.name,
                        start,
                        end,
                    });
                }
                Ok(Calendar::Listed(list))
            }
            (None, true) => Ok(Calendar::None),
        }
    }

    /// The increments from the first up to the one holding `today`.
    pub fn increments(&self, today: Date) -> Vec<Increment> {
        match self {
            Calendar::None => Vec::new(),
            Calendar::Listed(list) => list.iter().filter(|i| i.start <= today).cloned().collect(),
            Calendar::Regular { start, weeks } => {
                let len = i64::from(*weeks) * 7;
                let mut out = Vec::new();
                let mut from = *start;
                let mut n = 1;
                while from <= today {
                    out.push(Increment {
                        name: format!("PI {n}"),
                        start: from,
                        end: from.plus_days(len - 1),
                    });
                    from = from.plus_days(len);
                    n += 1;
                }
                out
            }
        }
    }
}

/// The increment holding `date`, if any.
pub(crate) fn find(increments: &[Increment], date: Date) -> Option<usize> {
    increments
        .iter()
        .position(|i| i.start <= date && date <= i.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn regular_increments_up_to_today() {
        let cal = Calendar::from_raw(RawKpi {
            pi_start: Some("2026-01-05".into()),
            pi_weeks: Some(10),
            ..RawKpi::default()
        })
        .unwrap();
        let incs = cal.increments(d("2026-05-01"));
        assert_eq!(incs.len(), 2);
        assert_eq!(
            (incs[0].start, incs[0].end),
            (d("2026-01-05"), d("2026-03-15"))
        );
        assert_eq!(incs[1].name, "PI 2");
        assert_eq!(find(&incs, d("2026-03-16")), Some(1));
        assert_eq!(find(&incs, d("2025-12-31")), None);
    }

    #[test]
    fn listed_increments_are_ordered_and_disjoint() {
        let inc = |n: &str, s: &str, e: &str| RawIncrement {
            name: n.into(),
            start: s.into(),
            end: e.into(),
        };
        let ok = RawKpi {
            increments: vec![
                inc("A", "2026-01-01", "2026-03-31"),
                inc("B", "2026-04-01", "2026-06-30"),
            ],
            ..RawKpi::default()
        };
        assert!(matches!(Calendar::from_raw(ok), Ok(Calendar::Listed(l)) if l.len() == 2));
        let overlap = RawKpi {
            increments: vec![
                inc("A", "2026-01-01", "2026-03-31"),
                inc("B", "2026-03-31", "2026-06-30"),
            ],
            ..RawKpi::default()
        };
        assert_eq!(Calendar::from_raw(overlap).unwrap_err().code(), "EP0001");
        let backwards = RawKpi {
            increments: vec![inc("A", "2026-03-01", "2026-01-01")],
            ..RawKpi::default()
        };
        assert!(Calendar::from_raw(backwards).is_err());
        let both = RawKpi {
            pi_start: Some("2026-01-01".into()),
            increments: vec![inc("A", "2026-01-01", "2026-02-01")],
            ..RawKpi::default()
        };
        assert!(Calendar::from_raw(both).is_err());
    }
}

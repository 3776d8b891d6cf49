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

/// The longest increment `pi-weeks` accepts: two years.
const MAX_WEEKS: u32 = 104;

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
                if !(1..=MAX_WEEKS).contains(&weeks) {
                    return Err(bad(
                        format!("`pi-weeks = {weeks}` is not between 1 and {MAX_WEEKS}"),
                        "give the length of one increment in weeks, e.g. 10",
                    ));
                }
                let start = date("pi-start", &start)?;
                if start.year < 1970 {
                    return Err(bad(
                        format!("`pi-start = \"{start}\"` is before 1970"),
                        "give the first day of the first planning increment the process had",
                    ));
                }
                Ok(Calendar::Regular { start, weeks })
            }
            (None, _) if raw.pi_weeks.is_some() => Err(bad(
                "`pi-weeks` is set without `pi-start`".into(),
                "add `pi-start = \"YYYY-MM-DD\"`, the first day of the first increment",
            )),
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

/// The increment holding `date`, if any. Increments are in order and do not overlap (as
/// [`Calendar::from_raw`] checks), so a binary search finds it.
pub(crate) fn find(increments: &[Increment], date: Date) -> Option<usize> {
    let n = increments.partition_point(|i| i.end < date);
    increments.get(n).filter(|i| i.start <= date).map(|_| n)
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
    fn regular_calendars_are_bounded() {
        let raw = |start: Option<&str>, weeks: Option<u32>| RawKpi {
            pi_start: start.map(str::to_string),
            pi_weeks: weeks,
            ..RawKpi::default()
        };
        for (start, weeks) in [
            (Some("2026-01-05"), Some(0)),
            (Some("2026-01-05"), Some(105)),
            (Some("2026-01-05"), Some(3_419_430)),
            (Some("1969-12-31"), Some(1)),
            (None, Some(2)),
        ] {
            assert!(
                Calendar::from_raw(raw(start, weeks)).is_err(),
                "{start:?} {weeks:?}"
            );
        }
        for (start, weeks) in [
            (Some("2026-01-05"), Some(1)),
            (Some("2026-01-05"), Some(104)),
            (Some("1970-01-01"), None),
            (None, None),
        ] {
            assert!(
                Calendar::from_raw(raw(start, weeks)).is_ok(),
                "{start:?} {weeks:?}"
            );
        }
        // The longest calendar allowed: weekly increments since 1970, each found in order.
        let weekly = Calendar::from_raw(raw(Some("1970-01-01"), Some(1))).unwrap();
        let incs = weekly.increments(d("2026-11-25"));
        assert_eq!(incs.len(), 2969);
        assert_eq!(incs.last().unwrap().start, d("2026-11-19"));
        assert_eq!(incs.last().unwrap().end, d("2026-11-25"));
        for (n, inc) in incs.iter().enumerate().step_by(97) {
            assert_eq!(find(&incs, inc.start), Some(n));
            assert_eq!(find(&incs, inc.end), Some(n));
        }
    }

    #[test]
    fn listed_increments_may_last_one_day_and_stop_at_today() {
        let inc = |n: &str, s: &str, e: &str| RawIncrement {
            name: n.into(),
            start: s.into(),
            end: e.into(),
        };
        let cal = Calendar::from_raw(RawKpi {
            increments: vec![
                inc("A", "2026-01-01", "2026-01-01"),
                inc("B", "2026-01-02", "2026-01-31"),
                inc("C", "2026-02-01", "2026-02-28"),
            ],
            ..RawKpi::default()
        })
        .expect("a one-day increment is an increment");
        let names = |today: &str| -> Vec<String> {
            cal.increments(d(today))
                .into_iter()
                .map(|i| i.name)
                .collect()
        };
        assert_eq!(names("2026-01-15"), ["A", "B"]);
        assert_eq!(names("2026-02-01"), ["A", "B", "C"]);
        assert!(names("2025-12-31").is_empty());
    }

    #[test]
    fn find_skips_the_gaps_between_listed_increments() {
        let incs = [
            Increment {
                name: "A".into(),
                start: d("2026-01-01"),
                end: d("2026-01-31"),
            },
            Increment {
                name: "B".into(),
                start: d("2026-03-01"),
                end: d("2026-03-31"),
            },
        ];
        for (date, want) in [
            ("2025-12-31", None),
            ("2026-01-01", Some(0)),
            ("2026-01-31", Some(0)),
            ("2026-02-01", None),
            ("2026-02-28", None),
            ("2026-03-01", Some(1)),
            ("2026-03-31", Some(1)),
            ("2026-04-01", None),
        ] {
            assert_eq!(find(&incs, d(date)), want, "{date}");
        }
        assert_eq!(find(&[], d("2026-01-01")), None);
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

//! Calendar dates as EPs write them (`YYYY-MM-DD`), checked to exist, with the day arithmetic
//! planning increments and "days in state" need.

use std::fmt;

use serde::Serialize;

/// A calendar date, checked to exist (no 2023-02-30).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year, 1 or later.
    pub year: u16,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month.
    pub day: u8,
}

impl Date {
    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u16> {
            let part = &s[r];
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())
                .flatten()
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let date = Date {
            year,
            month: u8::try_from(month).ok()?,
            day: u8::try_from(day).ok()?,
        };
        (year >= 1
            && (1..=12).contains(&date.month)
            && date.day >= 1
            && date.day <= date.days_in_month())
        .then_some(date)
    }

    fn days_in_month(self) -> u8 {
        match self.month {
            4 | 6 | 9 | 11 => 30,
            2 if (self.year.is_multiple_of(4) && !self.year.is_multiple_of(100))
                || self.year.is_multiple_of(400) =>
            {
                29
            }
            2 => 28,
            _ => 31,
        }
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's civil-from-days).
    pub fn from_unix_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }

    /// Days since 1970-01-01 (the inverse of [`Date::from_unix_days`]).
    pub fn to_unix_days(self) -> i64 {
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days later (or earlier, when negative).
    pub fn plus_days(self, days: i64) -> Date {
        Date::from_unix_days(self.to_unix_days() + days)
    }

    /// Today in UTC, for commands that write dates into EP files (`new`, `state`, `promote`):
    /// the date in `MDBOOK_EP_TODAY` when set (tests, a scripted run), else the clock's. Read at
    /// the edge of the program and passed down to the pure code.
    pub fn today() -> crate::error::Result<Date> {
        Date::today_from(env("MDBOOK_EP_TODAY").as_deref(), None)
    }

    /// Today in UTC for what builds and checks the book (the preprocessor, the renderer,
    /// `check`): as [`Date::today`], but `SOURCE_DATE_EPOCH` (the reproducible-builds
    /// convention) comes before the clock, so a rebuild on another day gives the same site.
    /// It never dates an edit: a shell that exports it for packaging must not write 1980 into
    /// an EP.
    pub fn today_for_build() -> crate::error::Result<Date> {
        Date::today_from(
            env("MDBOOK_EP_TODAY").as_deref(),
            env("SOURCE_DATE_EPOCH").as_deref(),
        )
    }

    /// [`Date::today`] from the two variables' values: a date pinned for reproducible builds
    /// and tests wins over the clock; a value that is not one is an error, never ignored.
    fn today_from(pinned: Option<&str>, epoch: Option<&str>) -> crate::error::Result<Date> {
        let invalid = |name: &str, value: &str, form: &str| crate::error::Error::Config {
            table: name.to_string(),
            message: format!("`{value}` is not {form}"),
            help: format!("set {name} to {form}, or unset it to use the clock"),
        };
        if let Some(value) = pinned {
            return Date::parse(value.trim())
                .ok_or_else(|| invalid("MDBOOK_EP_TODAY", value, "a date such as 2026-11-25"));
        }
        let secs = match epoch {
            Some(value) => value.trim().parse::<u64>().map_err(|_| {
                invalid("SOURCE_DATE_EPOCH", value, "a number of seconds since 1970")
            })?,
            None => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        };
        Ok(Date::from_unix_days((secs / 86_400) as i64))
    }
}

/// An environment variable's value; empty counts as unset, as shells write `VAR=` to clear.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_edges() {
        for good in [
            "2000-02-29",
            "2024-02-29",
            "2026-04-30",
            "2026-12-31",
            "0001-01-01",
            "9999-12-31",
        ] {
            assert!(Date::parse(good).is_some(), "{good} refused");
        }
        for bad in [
            "2026-04-31",
            "2026-06-31",
            "2026-09-31",
            "2026-11-31",
            "1900-02-29",
            "2100-02-29",
            "2023-02-29",
            "2026-02-30",
            "0000-01-01",
            "2026-00-10",
            "2026-13-01",
            "2026-12-32",
            "2026-12-00",
            "2026-1-05",
            "2026-01-5 ",
            "+026-01-05",
            "2026/01/05",
            "２０２６-01-05",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad} accepted");
        }
        // Days since 1970 and back, across leap days and centuries.
        for s in [
            "1970-01-01",
            "2000-02-29",
            "2000-03-01",
            "2100-03-01",
            "2026-11-25",
        ] {
            let d = Date::parse(s).unwrap();
            assert_eq!(Date::from_unix_days(d.to_unix_days()), d, "{s}");
        }
        assert_eq!(
            Date::parse("2026-02-28").unwrap().plus_days(1).to_string(),
            "2026-03-01"
        );
        assert_eq!(
            Date::parse("2024-02-28").unwrap().plus_days(1).to_string(),
            "2024-02-29"
        );
    }

    #[test]
    fn today_can_be_pinned() {
        let d = |s| Date::parse(s).unwrap();
        assert_eq!(
            Date::today_from(Some("2026-11-25"), Some("0")).unwrap(),
            d("2026-11-25")
        );
        // 2026-11-25T23:59:59Z.
        assert_eq!(
            Date::today_from(None, Some("1795651199")).unwrap(),
            d("2026-11-25")
        );
        for (pinned, epoch) in [
            (Some("2026-13-01"), None),
            (Some("tomorrow"), None),
            (None, Some("-5")),
        ] {
            let err = Date::today_from(pinned, epoch).unwrap_err();
            assert_eq!(err.code(), "EP0001", "{err}");
        }
        assert!(Date::today_from(None, None).is_ok());
    }

    #[test]
    fn dates_are_real() {
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2023-13-01").is_none());
        assert!(Date::parse("2023-1-01").is_none());
        assert!(Date::parse("2023-01-01T00").is_none());
        assert!(Date::parse("+202-01-01").is_none());
        // Both separators must be dashes, each on its own.
        assert!(Date::parse("2026x01-05").is_none());
        assert!(Date::parse("2026-01x05").is_none());
        assert!(Date::parse("2026/01/05").is_none());
        assert_eq!(Date::parse("2026-11-25").unwrap().to_string(), "2026-11-25");
        assert!(Date::parse("2026-01-02") > Date::parse("2025-12-31"));
    }

    #[test]
    fn civil_from_days() {
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(20_417).to_string(), "2025-11-25");
        assert_eq!(Date::from_unix_days(11_016).to_string(), "2000-02-29");
    }

    /// Every day from 1600 to 2400 (400-year cycles either side of 2000, century years that
    /// are and are not leap years) goes to a date and back, one day after the other.
    #[test]
    fn every_day_of_eight_centuries_round_trips() {
        let first = Date::parse("1600-01-01").unwrap().to_unix_days();
        let last = Date::parse("2400-12-31").unwrap().to_unix_days();
        let mut previous = Date::from_unix_days(first - 1);
        for day in first..=last {
            let date = Date::from_unix_days(day);
            assert_eq!(date.to_unix_days(), day, "{date}");
            assert!(date > previous, "{previous} then {date}");
            assert_eq!(Date::parse(&date.to_string()), Some(date));
            previous = date;
        }
        assert_eq!(last - first + 1, 292_560, "days in 1600..=2400");
    }

    #[test]
    fn day_arithmetic_round_trips() {
        for s in ["1970-01-01", "2000-02-29", "2024-12-31", "2026-03-01"] {
            let d = Date::parse(s).unwrap();
            assert_eq!(Date::from_unix_days(d.to_unix_days()), d);
        }
        assert_eq!(
            Date::parse("2026-02-27").unwrap().plus_days(2).to_string(),
            "2026-03-01"
        );
        assert_eq!(
            Date::parse("2026-01-05").unwrap().plus_days(69).to_string(),
            "2026-03-15"
        );
    }
}

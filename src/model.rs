//! The vocabulary of the EP process: states, dates, EP numbers and references.

use std::fmt;

use serde::Serialize;

/// The lifecycle states, in the order a reader expects to see them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Provisional,
    Implementable,
    Implemented,
    Staged,
    Completed,
    Deferred,
    Rejected,
    Withdrawn,
    Replaced,
}

impl State {
    pub const ALL: [State; 9] = [
        State::Provisional,
        State::Implementable,
        State::Implemented,
        State::Staged,
        State::Completed,
        State::Deferred,
        State::Rejected,
        State::Withdrawn,
        State::Replaced,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Provisional => "provisional",
            State::Implementable => "implementable",
            State::Implemented => "implemented",
            State::Staged => "staged",
            State::Completed => "completed",
            State::Deferred => "deferred",
            State::Rejected => "rejected",
            State::Withdrawn => "withdrawn",
            State::Replaced => "replaced",
        }
    }

    /// The state's name as a heading: `Implementable`.
    pub fn title(self) -> &'static str {
        match self {
            State::Provisional => "Provisional",
            State::Implementable => "Implementable",
            State::Implemented => "Implemented",
            State::Staged => "Staged",
            State::Completed => "Completed",
            State::Deferred => "Deferred",
            State::Rejected => "Rejected",
            State::Withdrawn => "Withdrawn",
            State::Replaced => "Replaced",
        }
    }

    /// What the state means, for index pages.
    pub fn definition(self) -> &'static str {
        match self {
            State::Provisional => {
                "Being written and discussed. The owning SIG agrees the problem is worth solving; the design is still open."
            }
            State::Implementable => {
                "Approved for implementation: the approvers accepted the design and work may start."
            }
            State::Implemented => "Built. The change exists and the EP is no longer being edited.",
            State::Staged => "Running in a staging environment and passing its test plan.",
            State::Completed => "Rolled out to production. An exit state.",
            State::Deferred => {
                "Accepted as a problem, but nobody is working on it now. It may return to provisional."
            }
            State::Rejected => "The approvers and authors decided not to go ahead. An exit state.",
            State::Withdrawn => "The authors stopped pursuing it. An exit state.",
            State::Replaced => "A newer EP took its place. An exit state.",
        }
    }

    /// Exact match only: a near miss is a typo to report, never a state to guess.
    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Exit states end an EP's life; nothing follows them.
    pub fn is_exit(self) -> bool {
        matches!(
            self,
            State::Rejected | State::Withdrawn | State::Replaced | State::Completed
        )
    }

    /// Whether the EP has been approved for work, i.e. `implementable` or a later working state.
    pub fn is_approved(self) -> bool {
        matches!(
            self,
            State::Implementable | State::Implemented | State::Staged | State::Completed
        )
    }

    /// The states an EP may move to from this one: one step along
    /// `provisional -> implementable -> implemented -> staged -> completed`, from any state that
    /// is not an exit state to `deferred`, `rejected`, `withdrawn` or `replaced`, and from
    /// `deferred` back to `provisional`. Exit states are final.
    pub fn next_states(self) -> Vec<State> {
        let forward = match self {
            State::Provisional => Some(State::Implementable),
            State::Implementable => Some(State::Implemented),
            State::Implemented => Some(State::Staged),
            State::Staged => Some(State::Completed),
            State::Deferred => Some(State::Provisional),
            _ => None,
        };
        if self.is_exit() {
            return Vec::new();
        }
        let side = [
            State::Deferred,
            State::Rejected,
            State::Withdrawn,
            State::Replaced,
        ];
        forward
            .into_iter()
            .chain(side.into_iter().filter(|s| *s != self))
            .collect()
    }

    /// Rank along the main line `provisional -> ... -> completed`, used by "required from" rules.
    pub fn progress(self) -> Option<u8> {
        match self {
            State::Provisional => Some(0),
            State::Implementable => Some(1),
            State::Implemented => Some(2),
            State::Staged => Some(3),
            State::Completed => Some(4),
            _ => None,
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A calendar date, checked to exist (no 2023-02-30).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
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

    /// Today in UTC, read at the edge of the program and passed down to the pure code.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_unix_days((secs / 86_400) as i64)
    }
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

/// How an EP is written as text everywhere: `EP-0042`.
pub fn ep_label(number: u32) -> String {
    format!("EP-{number:04}")
}

/// A link from one EP to another EP, or (as KEPs allow in `see-also`) to a web page.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Reference {
    Ep(u32),
    Url(String),
}

impl Reference {
    /// Accepts `42`, `"0042"`, `EP-42`, `KEP-42`, a KEP-style path `/keps/sig-x/42-slug`, or an
    /// http(s) URL (only when `allow_urls`, as in `see-also`).
    pub fn parse(s: &str, allow_urls: bool) -> Option<Reference> {
        let s = s.trim();
        if s.starts_with("http://") || s.starts_with("https://") {
            return allow_urls.then(|| Reference::Url(s.to_string()));
        }
        let bare = s
            .strip_prefix("EP-")
            .or_else(|| s.strip_prefix("ep-"))
            .or_else(|| s.strip_prefix("KEP-"))
            .or_else(|| s.strip_prefix("kep-"))
            .unwrap_or(s);
        if !bare.is_empty() && bare.bytes().all(|b| b.is_ascii_digit()) {
            return bare.parse().ok().map(Reference::Ep);
        }
        if s.starts_with('/') || s.contains('/') {
            let last = s.trim_end_matches('/').rsplit('/').next()?;
            return folder_number(last).map(Reference::Ep);
        }
        None
    }
}

/// The number of a numbered EP folder: `0042-slug` -> 42, as KEPs also allow `19-slug`.
pub fn folder_number(name: &str) -> Option<u32> {
    let (digits, slug) = name.split_once('-')?;
    if digits.is_empty() || slug.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_real() {
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2023-13-01").is_none());
        assert!(Date::parse("2023-1-01").is_none());
        assert!(Date::parse("2023-01-01T00").is_none());
        assert!(Date::parse("+202-01-01").is_none());
        assert_eq!(Date::parse("2026-11-25").unwrap().to_string(), "2026-11-25");
        assert!(Date::parse("2026-01-02") > Date::parse("2025-12-31"));
    }

    #[test]
    fn civil_from_days() {
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(20_417).to_string(), "2025-11-25");
        assert_eq!(Date::from_unix_days(11_016).to_string(), "2000-02-29");
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

    #[test]
    fn references() {
        assert_eq!(Reference::parse("EP-42", false), Some(Reference::Ep(42)));
        assert_eq!(Reference::parse("0042", false), Some(Reference::Ep(42)));
        assert_eq!(
            Reference::parse("/keps/sig-apps/3939-allow-replacement/", false),
            Some(Reference::Ep(3939))
        );
        assert_eq!(Reference::parse("https://x.org/a", false), None);
        assert!(matches!(
            Reference::parse("https://x.org/a", true),
            Some(Reference::Url(_))
        ));
        assert_eq!(Reference::parse("n/a", true), None);
        assert_eq!(Reference::parse("kinflate", true), None);
    }

    #[test]
    fn lifecycle_moves() {
        use State::*;
        assert_eq!(
            Provisional.next_states(),
            [Implementable, Deferred, Rejected, Withdrawn, Replaced]
        );
        assert_eq!(
            Staged.next_states(),
            [Completed, Deferred, Rejected, Withdrawn, Replaced]
        );
        assert_eq!(
            Deferred.next_states(),
            [Provisional, Rejected, Withdrawn, Replaced]
        );
        for exit in [Completed, Rejected, Withdrawn, Replaced] {
            assert!(exit.next_states().is_empty());
        }
    }

    #[test]
    fn states_match_exactly() {
        assert_eq!(State::parse("implemented"), Some(State::Implemented));
        assert_eq!(State::parse("Implemented"), None);
        assert!(State::Completed.is_exit() && !State::Deferred.is_exit());
    }
}

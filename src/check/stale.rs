//! EPs nobody has moved for a long time (EP0504, with `stale-after-days`): an open EP whose
//! last change is older than the limit. KEP repositories lean on a bot that closes stale pull
//! requests; here the book itself says which EPs wait for a decision, and `list --stale` lists
//! them with their age.

use crate::diagnostic::{Diagnostic, Rule};
use crate::model::Date;
use crate::read::ep::Ep;
use crate::read::history::{EpHistory, Histories};

/// Where an EP's last change comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Since {
    /// The newest commit that changed its files.
    Commit,
    /// Its `last-updated` (no git, or not committed).
    LastUpdated,
    /// Its `creation-date`, when it has nothing newer.
    Created,
}

impl Since {
    fn words(self) -> &'static str {
        match self {
            Since::Commit => "its last commit",
            Since::LastUpdated => "its `last-updated`",
            Since::Created => "its `creation-date`",
        }
    }
}

/// How long an open EP has waited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Idle {
    /// The day of its last change.
    pub since: Date,
    /// Days from then to today.
    pub days: i64,
    /// Where that day comes from.
    pub from: Since,
}

/// How long `ep` has waited, when it is open (not in an exit state) and has a date at all.
/// Git knows best: an author who forgets `last-updated` still commits.
pub(crate) fn idle(ep: &Ep, history: Option<&EpHistory>, today: Date) -> Option<Idle> {
    if ep.state().is_none_or(|s| s.is_exit()) {
        return None;
    }
    let m = &ep.meta;
    let (since, from) = history
        .and_then(|h| h.last_change)
        .map(|d| (d, Since::Commit))
        .or_else(|| {
            m.last_updated
                .as_ref()
                .map(|d| (d.value, Since::LastUpdated))
        })
        .or_else(|| m.creation_date.as_ref().map(|d| (d.value, Since::Created)))?;
    Some(Idle {
        since,
        days: today.to_unix_days() - since.to_unix_days(),
        from,
    })
}

/// Each EP's history from `histories` when git answered for all of them.
pub(crate) fn history_of<'a>(
    histories: &'a Histories,
    eps: &[Ep],
) -> impl Fn(usize) -> Option<&'a EpHistory> {
    // A shallow clone's oldest commit looks like a change to every EP: only a full history
    // says when an EP last changed.
    let complete = histories.status == crate::read::history::GitStatus::Full
        && histories.eps.len() == eps.len();
    move |i| complete.then(|| histories.eps.get(i)).flatten()
}

/// EP0504 for every open EP unchanged for more than `limit` days.
pub(crate) fn stale(eps: &[Ep], histories: &Histories, limit: u32, today: Date) -> Vec<Diagnostic> {
    let history = history_of(histories, eps);
    let mut out = Vec::new();
    for (i, ep) in eps.iter().enumerate() {
        let Some(idle) = idle(ep, history(i), today) else {
            continue;
        };
        let (Some(state), true) = (&ep.meta.state, idle.days > i64::from(limit)) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                Rule::StaleEp,
                format!(
                    "{} has been `{}` without a change for {} days, since {} ({}); \
                     `stale-after-days` is {limit}",
                    ep.label(),
                    state.value,
                    idle.days,
                    idle.since,
                    idle.from.words()
                ),
            )
            .at(ep.meta_at(state.pos))
            .help(format!(
                "decide its next step: move it on or close it with `mdbook-ep state {} <state>`; \
                 if it is right that it waits, {}",
                ep.number()
                    .map_or_else(|| ep.shown.display().to_string(), |n| n.to_string()),
                super::rules::exempt_hint(ep, Rule::StaleEp)
            ))
            .for_ep(&ep.shown),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::ep::testing::ep;

    fn open_ep(extra: &str) -> Ep {
        ep(
            "a/0001-x/README.md",
            &format!(
                "---\ntitle: X\nnumber: 1\nauthors: [ann]\nowning-sig: a\nstate: provisional\ncreation-date: 2026-01-10\n{extra}---\n# X\n"
            ),
        )
    }

    fn history(last: &str) -> EpHistory {
        EpHistory {
            last_change: Date::parse(last),
            ..EpHistory::default()
        }
    }

    #[test]
    fn the_last_commit_wins_then_last_updated_then_creation() {
        let today = Date::parse("2026-11-25").unwrap();
        let with_update = open_ep("last-updated: 2026-03-01\n");
        let idle_git = idle(&with_update, Some(&history("2026-11-20")), today).unwrap();
        assert_eq!((idle_git.days, idle_git.from), (5, Since::Commit));
        let idle_meta = idle(&with_update, None, today).unwrap();
        assert_eq!((idle_meta.days, idle_meta.from), (269, Since::LastUpdated));
        // A history without a commit for this EP (not committed yet) falls back too.
        let idle_meta = idle(&with_update, Some(&EpHistory::default()), today).unwrap();
        assert_eq!(idle_meta.from, Since::LastUpdated);
        let idle_created = idle(&open_ep(""), None, today).unwrap();
        assert_eq!(
            (idle_created.days, idle_created.from),
            (319, Since::Created)
        );
    }

    #[test]
    fn only_open_eps_past_the_limit_are_stale() {
        let today = Date::parse("2026-11-25").unwrap();
        let closed = ep(
            "a/0002-y/README.md",
            "---\ntitle: Y\nnumber: 2\nauthors: [ann]\nowning-sig: a\nstate: completed\ncreation-date: 2020-01-10\n---\n# Y\n",
        );
        assert_eq!(idle(&closed, None, today), None);
        let eps = vec![open_ep(""), closed];
        let none = Histories::default();
        // 319 days: stale at 318, not at 319 ("more than").
        assert_eq!(stale(&eps, &none, 318, today).len(), 1);
        assert!(stale(&eps, &none, 319, today).is_empty());
        // Git's answer counts only when it covers every EP.
        let partial = Histories {
            status: crate::read::history::GitStatus::Full,
            eps: vec![history("2026-11-24")],
        };
        assert_eq!(stale(&eps, &partial, 318, today).len(), 1);
        let full = Histories {
            status: crate::read::history::GitStatus::Full,
            eps: vec![history("2026-11-24"), EpHistory::default()],
        };
        assert!(stale(&eps, &full, 318, today).is_empty());
    }
}

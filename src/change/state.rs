//! `mdbook-ep state`: moves an EP along the lifecycle, and records a replacement on both EPs.

use std::path::{Path, PathBuf};

use super::edit::{metadata_of, set_key, spelling_in};
use super::{Writes, find_ep};
use crate::check::{check_dir, refuse_new_errors};
use crate::error::{Error, Result};
use crate::model::{Date, State};
use crate::read::ep::Ep;
use crate::read::keys::Key;
use crate::read::metadata::Sp;
use crate::suggest::did_you_mean;

/// A state change, validated and ready to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Transition {
    /// The metadata files that change (the EP's, and the replacing EP's for `replaced`).
    pub writes: Writes,
    /// What changed, e.g. `EP-0007: provisional -> implementable`.
    pub said: String,
}

/// Plans moving EP `which` (a number or a path) to `target` in the book in `dir`; for
/// `replaced`, `by` names the replacing EP. Refuses a move the lifecycle does not allow, and
/// one that would leave a touched EP breaking a rule it does not break now.
pub(crate) fn plan(
    dir: &Path,
    which: &str,
    target: &str,
    by: Option<&str>,
    today: Date,
) -> Result<Transition> {
    let checked = check_dir(dir, today)?;
    let eps = &checked.analysis.eps;
    let ep = find_ep(eps, dir, which)?;
    let target = parse_state(target)?;
    if ep.state() == Some(target) {
        let transition = already(eps, dir, ep, target, by, today)?;
        refuse_new_errors(&checked, dir, &transition.writes.0, today)?;
        return Ok(transition);
    }
    let current = allowed_move(ep, target)?;
    let successor = successor(eps, dir, ep, target, by)?;
    let writes = edits(dir, ep, target, successor, today)?;
    refuse_new_errors(&checked, dir, &writes.0, today)?;
    let mut said = format!("{}: {current} -> {target}", ep.label());
    if let Some(other) = successor {
        said.push_str(&format!(
            " (by {}, which now lists it in `replaces`)",
            other.label()
        ));
    }
    Ok(Transition { writes, said })
}

/// The same command again once the EP is in `target`: nothing to do, or, for `replaced`, the
/// half a killed run may have left undone (the successor's `replaces`). So a command cut short
/// by `kill -9` or a power cut finishes when it is run again.
fn already(
    eps: &[Ep],
    dir: &Path,
    ep: &Ep,
    target: State,
    by: Option<&str>,
    today: Date,
) -> Result<Transition> {
    let nothing = |said: String| Transition {
        writes: Writes::default(),
        said,
    };
    let Some(other) = successor(eps, dir, ep, target, by)? else {
        return Ok(nothing(format!(
            "{} is already `{target}`; nothing changed",
            ep.label()
        )));
    };
    let (Some(theirs), Some(mine)) = (other.number(), ep.number()) else {
        return Err(Error::Refused {
            message: "an EP is replaced by another, numbered EP".into(),
            help: "give the replacing EP's number with `--by`".into(),
        });
    };
    // `replaced` with no successor recorded (EP0402): the command records it on both EPs.
    if ep.meta.replaced_by.is_empty() {
        return Ok(Transition {
            writes: edits(dir, ep, target, Some(other), today)?,
            said: format!(
                "{} was already `replaced`; it now names {} in `replaced-by`, which lists it in `replaces`",
                ep.label(),
                other.label()
            ),
        });
    }
    if !ep.meta.replaced_by.iter().any(|r| r.value == theirs) {
        let recorded: Vec<String> = ep
            .meta
            .replaced_by
            .iter()
            .map(|r| r.value.to_string())
            .collect();
        return Err(Error::Refused {
            message: format!(
                "{} is already `replaced`, not by {}",
                ep.label(),
                other.label()
            ),
            help: format!(
                "it is replaced by {}; `replaced` is final",
                recorded.join(", ")
            ),
        });
    }
    if other.meta.replaces.iter().any(|r| r.value == mine) {
        return Ok(nothing(format!(
            "{} is already `replaced` by {}; nothing changed",
            ep.label(),
            other.label()
        )));
    }
    Ok(Transition {
        writes: Writes(vec![record_replaces(dir, other, mine, today)?]),
        said: format!(
            "{} was already `replaced`; {} now lists it in `replaces`",
            ep.label(),
            other.label()
        ),
    })
}

/// A state as a command-line argument; an unknown one is refused with the closest state.
pub(crate) fn parse_state(target: &str) -> Result<State> {
    let names: Vec<&str> = State::ALL.iter().map(|s| s.as_str()).collect();
    State::parse(target).ok_or_else(|| Error::Refused {
        message: format!("unknown state \"{target}\""),
        help: match did_you_mean(target, &names) {
            Some(g) => format!("did you mean \"{g}\"?"),
            None => format!("use one of: {}", names.join(", ")),
        },
    })
}

/// The EP's current state, when the lifecycle allows moving from it to `target`.
fn allowed_move(ep: &Ep, target: State) -> Result<State> {
    let Some(current) = ep.state() else {
        return Err(Error::Refused {
            message: format!("{} has no valid state to move from", ep.label()),
            help: "fix its `state` first; `mdbook-ep check` shows the problem".into(),
        });
    };
    if current.may_move_to(target) {
        return Ok(current);
    }
    let moves: Vec<&str> = current.next_states().iter().map(|s| s.as_str()).collect();
    Err(Error::Refused {
        message: format!("{} cannot move from `{current}` to `{target}`", ep.label()),
        help: if moves.is_empty() {
            format!("`{current}` is final")
        } else {
            format!("from `{current}` it can move to: {}", moves.join(", "))
        },
    })
}

/// The replacing EP: required with `replaced`, refused otherwise.
fn successor<'a>(
    eps: &'a [Ep],
    dir: &Path,
    ep: &Ep,
    target: State,
    by: Option<&str>,
) -> Result<Option<&'a Ep>> {
    match (target, by) {
        (State::Replaced, Some(by)) => {
            let other = find_ep(eps, dir, by)?;
            if other.path == ep.path || other.number().is_none() {
                return Err(Error::Refused {
                    message: "an EP is replaced by another, numbered EP".into(),
                    help: "give the replacing EP's number with `--by`".into(),
                });
            }
            Ok(Some(other))
        }
        (State::Replaced, None) => Err(Error::Refused {
            message: "`replaced` needs the replacing EP".into(),
            help: "add `--by <number>`".into(),
        }),
        (_, Some(_)) => Err(Error::Refused {
            message: "`--by` only goes with `replaced`".into(),
            help: "drop `--by`".into(),
        }),
        (_, None) => Ok(None),
    }
}

/// The metadata edits: the EP's state and `last-updated` (and `replaced-by`), and the
/// successor's `replaces` and `last-updated`.
fn edits(
    dir: &Path,
    ep: &Ep,
    target: State,
    successor: Option<&Ep>,
    today: Date,
) -> Result<Writes> {
    let stamp = today.to_string();
    let by_number = successor.and_then(|s| s.number());
    let mut writes = vec![metadata_of(ep, dir, &|yaml: &str| {
        let mut y = set_key(yaml, spelling_in(yaml, Key::State), target.as_str());
        y = set_key(&y, spelling_in(&y, Key::LastUpdated), &stamp);
        if let Some(n) = by_number {
            let list = with(&ep.meta.replaced_by, n);
            y = set_key(&y, spelling_in(&y, Key::ReplacedBy), &numbers(&list));
        }
        y
    })?];
    if let (Some(other), Some(me)) = (successor, ep.number()) {
        writes.push(record_replaces(dir, other, me, today)?);
    }
    Ok(Writes(writes))
}

/// The successor's metadata with `me` in its `replaces` and today's `last-updated`.
fn record_replaces(dir: &Path, other: &Ep, me: u32, today: Date) -> Result<(PathBuf, String)> {
    let today = today.to_string();
    metadata_of(other, dir, &|yaml: &str| {
        let list = with(&other.meta.replaces, me);
        let y = set_key(yaml, spelling_in(yaml, Key::Replaces), &numbers(&list));
        set_key(&y, spelling_in(&y, Key::LastUpdated), &today)
    })
}

/// The numbers of `links`, with `n` added at the end when missing.
fn with(links: &[Sp<u32>], n: u32) -> Vec<u32> {
    let mut list: Vec<u32> = links.iter().map(|r| r.value).collect();
    if !list.contains(&n) {
        list.push(n);
    }
    list
}

fn numbers(list: &[u32]) -> String {
    format!(
        "[{}]",
        list.iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    )
}

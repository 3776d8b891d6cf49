//! The lifecycle: the states an EP passes through and the moves allowed between them.
//!
//! [`MOVES`] is the only place the lifecycle is written down: `mdbook-ep state` refuses what it
//! does not list, `check --base` reports it as EP0503, and whether a state is an exit state
//! follows from it (an exit state has no moves).

use std::fmt;

use serde::Serialize;

/// The lifecycle states, in the order a reader expects to see them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Being written and discussed.
    Provisional,
    /// Approved: work may start.
    Implementable,
    /// Built.
    Implemented,
    /// Running in staging.
    Staged,
    /// In production (exit state).
    Completed,
    /// Paused; may return to `provisional`.
    Deferred,
    /// Turned down (exit state).
    Rejected,
    /// Abandoned by its authors (exit state).
    Withdrawn,
    /// Superseded by another EP (exit state).
    Replaced,
}

impl State {
    /// Every state, in lifecycle order.
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

    /// The name as written in metadata: `implementable`.
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

    /// Exit states end an EP's life: the lifecycle allows no move out of them.
    pub fn is_exit(self) -> bool {
        self.next_states().is_empty()
    }

    /// Whether the EP has been approved for work, i.e. `implementable` or a later working state.
    pub fn is_approved(self) -> bool {
        matches!(
            self,
            State::Implementable | State::Implemented | State::Staged | State::Completed
        )
    }

    /// The states an EP may move to from this one, in the order messages list them.
    pub fn next_states(self) -> &'static [State] {
        MOVES
            .iter()
            .find(|(from, _)| *from == self)
            .map_or(&[], |(_, to)| to)
    }

    /// Whether the lifecycle allows moving from this state to `to` in one step.
    pub fn may_move_to(self, to: State) -> bool {
        self.next_states().contains(&to)
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

/// The lifecycle: one step along `provisional -> implementable -> implemented -> staged ->
/// completed`; from any state that is not an exit state to `deferred`, `rejected`, `withdrawn`
/// or `replaced`; from `deferred` back to `provisional`. Exit states are final.
pub(crate) const MOVES: [(State, &[State]); 9] = {
    use State::*;
    [
        (
            Provisional,
            &[Implementable, Deferred, Rejected, Withdrawn, Replaced],
        ),
        (
            Implementable,
            &[Implemented, Deferred, Rejected, Withdrawn, Replaced],
        ),
        (
            Implemented,
            &[Staged, Deferred, Rejected, Withdrawn, Replaced],
        ),
        (
            Staged,
            &[Completed, Deferred, Rejected, Withdrawn, Replaced],
        ),
        (Deferred, &[Provisional, Rejected, Withdrawn, Replaced]),
        (Completed, &[]),
        (Rejected, &[]),
        (Withdrawn, &[]),
        (Replaced, &[]),
    ]
};

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn every_state_has_one_row_and_exit_states_are_the_four_final_ones() {
        for s in State::ALL {
            assert_eq!(
                MOVES.iter().filter(|(from, _)| *from == s).count(),
                1,
                "{s}"
            );
        }
        let exits: Vec<State> = State::ALL.into_iter().filter(|s| s.is_exit()).collect();
        use State::*;
        assert_eq!(exits, [Completed, Rejected, Withdrawn, Replaced]);
        assert!(Provisional.may_move_to(Implementable) && !Implementable.may_move_to(Staged));
    }
}

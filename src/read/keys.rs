//! The metadata keys, written down once. The reader matches on [`Key`] (so a key the table lists
//! but the reader forgets does not compile), the unknown-key warning and its suggestions come
//! from [`SPELLINGS`], and commands that edit metadata find the spelling a file already uses.

/// What a metadata key means to mdbook-ep.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Title,
    Number,
    Authors,
    OwningSig,
    ParticipatingSigs,
    State,
    CreationDate,
    LastUpdated,
    Reviewers,
    Approvers,
    SeeAlso,
    Replaces,
    ReplacedBy,
    Exempt,
    /// KEP's `stage`, shown in the header when present.
    Stage,
    /// KEP's `latest-milestone`, shown in the header when present.
    LatestMilestone,
    /// A KEP key accepted so KEP repositories render unchanged, but not used.
    Kep(&'static str),
}

/// Every spelling the metadata may use, the EP spelling of each key first; later spellings of
/// the same key are the KEP aliases.
pub(crate) const SPELLINGS: &[(&str, Key)] = &[
    ("title", Key::Title),
    ("number", Key::Number),
    ("authors", Key::Authors),
    ("owning-sig", Key::OwningSig),
    ("participating-sigs", Key::ParticipatingSigs),
    ("state", Key::State),
    ("creation-date", Key::CreationDate),
    ("last-updated", Key::LastUpdated),
    ("reviewers", Key::Reviewers),
    ("approvers", Key::Approvers),
    ("see-also", Key::SeeAlso),
    ("replaces", Key::Replaces),
    ("replaced-by", Key::ReplacedBy),
    ("exempt", Key::Exempt),
    ("kep-number", Key::Number),
    ("status", Key::State),
    ("superseded-by", Key::ReplacedBy),
    ("stage", Key::Stage),
    ("latest-milestone", Key::LatestMilestone),
    ("milestone", Key::Kep("milestone")),
    ("feature-gates", Key::Kep("feature-gates")),
    ("editor", Key::Kep("editor")),
    ("disable-supported", Key::Kep("disable-supported")),
    ("metrics", Key::Kep("metrics")),
    ("prr-approvers", Key::Kep("prr-approvers")),
];

impl Key {
    /// The key a spelling means, exactly as written (keys are case-sensitive in YAML).
    pub fn lookup(spelling: &str) -> Option<Key> {
        SPELLINGS
            .iter()
            .find(|(s, _)| *s == spelling)
            .map(|(_, k)| *k)
    }

    /// The EP spelling, used in messages and when a command adds the key.
    pub fn name(self) -> &'static str {
        SPELLINGS
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("", |(s, _)| s)
    }

    /// Every spelling of this key, the EP one first.
    pub fn spellings(self) -> impl Iterator<Item = &'static str> {
        SPELLINGS
            .iter()
            .filter(move |(_, k)| *k == self)
            .map(|(s, _)| *s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_share_a_key_and_the_ep_spelling_comes_first() {
        assert_eq!(Key::lookup("status"), Some(Key::State));
        assert_eq!(Key::State.name(), "state");
        assert_eq!(
            Key::ReplacedBy.spellings().collect::<Vec<_>>(),
            ["replaced-by", "superseded-by"]
        );
        assert_eq!(Key::Kep("metrics").name(), "metrics");
        assert_eq!(Key::lookup("Title"), None);
        let mut seen = std::collections::HashSet::new();
        for (s, _) in SPELLINGS {
            assert!(seen.insert(s), "{s} listed twice");
        }
    }
}

//! "Did you mean" suggestions for misspelt keys, states and SIGs.

/// The closest candidate to `input`, if it is close enough to be a plausible typo.
pub(crate) fn did_you_mean<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let input_lc = input.to_lowercase().replace('_', "-");
    let input_len = input_lc.chars().count();
    candidates
        .iter()
        .filter_map(|c| {
            let limit = (c.chars().count().max(input_len) / 3).max(1);
            let c_lc = c.to_lowercase();
            // The distance is at least the difference in length: on a page of hundreds of ids
            // most stop here, before the quadratic distance.
            if c_lc.chars().count().abs_diff(input_len) > limit {
                return None;
            }
            let dist = strsim::damerau_levenshtein(&input_lc, &c_lc);
            (dist <= limit).then_some((dist, *c))
        })
        .min_by_key(|(dist, _)| *dist)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    /// The length shortcut gives the answers the distance alone gave, ties included.
    #[test]
    fn the_length_shortcut_changes_no_answer() {
        let before = |input: &str, candidates: &[&'static str]| {
            let input_lc = input.to_lowercase().replace('_', "-");
            candidates
                .iter()
                .map(|c| {
                    (
                        strsim::damerau_levenshtein(&input_lc, &c.to_lowercase()),
                        *c,
                    )
                })
                .filter(|(dist, c)| {
                    *dist <= (c.chars().count().max(input_lc.chars().count()) / 3).max(1)
                })
                .min_by_key(|(dist, _)| *dist)
                .map(|(_, c)| c)
        };
        let candidates = [
            "",
            "a",
            "ab",
            "abc",
            "abd",
            "abcdef",
            "İstanbul",
            "istanbul",
            "STRASSE",
            "straße",
            "ẞ",
            "owning-sig",
            "owning_sig",
            "implementable",
            "implemented",
            "x-y",
            "y-x",
        ];
        for input in [
            "",
            "a",
            "b",
            "abcd",
            "abce",
            "istanbul",
            "İSTANBUL",
            "strasse",
            "ß",
            "owning_sig",
            "implementd",
            "xy",
            "yx",
            "zzzzzzzz",
        ] {
            assert_eq!(
                did_you_mean(input, &candidates),
                before(input, &candidates),
                "{input:?}"
            );
        }
    }

    #[test]
    fn suggests_close_words_only() {
        let states = ["provisional", "implementable", "implemented"];
        assert_eq!(did_you_mean("implementd", &states), Some("implemented"));
        assert_eq!(did_you_mean("Provisional", &states), Some("provisional"));
        assert_eq!(
            did_you_mean("owning_sig", &["owning-sig", "title"]),
            Some("owning-sig")
        );
        assert_eq!(did_you_mean("banana", &states), None);
    }
}

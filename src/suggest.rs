//! "Did you mean" suggestions for misspelt keys, states and SIGs.

/// The closest candidate to `input`, if it is close enough to be a plausible typo.
pub(crate) fn did_you_mean<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
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
            let limit = (c.chars().count().max(input_lc.chars().count()) / 3).max(1);
            *dist <= limit
        })
        .min_by_key(|(dist, _)| *dist)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

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

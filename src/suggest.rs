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

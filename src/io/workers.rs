//! How many cores the work spreads over: every core, unless `MDBOOK_EP_JOBS` caps it (as
//! `make -j` does) for a CI runner shared with other jobs.

use crate::error::{Error, Result};

/// Sizes the pool every parallel step runs on, from `MDBOOK_EP_JOBS` (unset or empty: every
/// core). Called once, before any parallel work; a value that is not a positive number is an
/// error, not ignored.
pub(crate) fn configure() -> Result<()> {
    let value = std::env::var("MDBOOK_EP_JOBS").ok();
    let Some(jobs) = parse(value.as_deref())? else {
        return Ok(());
    };
    // Only fails when a pool already exists (a second call in one process): the first size
    // stands.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build_global();
    Ok(())
}

fn parse(value: Option<&str>) -> Result<Option<usize>> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    match value.parse::<usize>() {
        Ok(n) if n > 0 => Ok(Some(n)),
        _ => Err(Error::Config {
            table: "MDBOOK_EP_JOBS".to_string(),
            message: format!("`{value}` is not a number of workers"),
            help: "set MDBOOK_EP_JOBS to a whole number from 1 up (1 for one core), or unset it to use every core".to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_or_empty_means_every_core_and_a_bad_value_is_an_error() {
        assert_eq!(parse(None).unwrap(), None);
        assert_eq!(parse(Some(" ")).unwrap(), None);
        assert_eq!(parse(Some("1")).unwrap(), Some(1));
        assert_eq!(parse(Some(" 8 ")).unwrap(), Some(8));
        for bad in ["0", "-2", "two", "1.5"] {
            let err = parse(Some(bad)).unwrap_err();
            assert_eq!(err.code(), "EP0001", "{bad}");
            assert!(err.to_string().contains(bad), "{err}");
        }
    }
}

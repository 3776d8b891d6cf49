//! How many cores the work spreads over: every core, unless `MDBOOK_EP_JOBS` caps it (as
//! `make -j` does) for a CI runner shared with other jobs.

use std::sync::OnceLock;

use crate::error::{Error, Result};

/// Runs `work` on the pool every parallel step inside it uses: `MDBOOK_EP_JOBS` workers, or
/// one per core when it is unset or empty (rayon's own `RAYON_NUM_THREADS` is not consulted).
/// The pool is made once per process, at the first call; a value that is not a positive number
/// is an error, not ignored. The entry points (checking a book, rendering one) call this, so
/// the variable holds for the commands and for a program using the library alike.
pub(crate) fn run<T: Send>(work: impl FnOnce() -> T + Send) -> Result<T> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    let jobs = parse(std::env::var("MDBOOK_EP_JOBS").ok().as_deref())?;
    let pool = POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.unwrap_or(cores))
            .build()
            .ok()
    });
    // A machine that cannot start threads runs the work on rayon's global pool.
    Ok(match pool {
        Some(pool) => pool.install(work),
        None => work(),
    })
}

/// Frees `value` on a thread of its own. A large book's analysis is hundreds of thousands of
/// allocations (texts, outlines, diagnostics), and freeing them one by one was a tenth of a
/// `check` of 759 KEPs: a command that ends next does not wait for it (the OS takes the memory
/// back at exit), and a program using the library has it freed all the same.
pub(crate) fn drop_in_background<T: Send + 'static>(value: T) {
    // Should no thread start, the closure is dropped here, and the value with it.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
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

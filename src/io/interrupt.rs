//! Ctrl-C (and SIGTERM, SIGHUP) while a command writes. Outside a change nothing is half done,
//! so the process ends at once. While files are being prepared, the change is abandoned and its
//! temporary files removed; once files are being renamed into place, the signal waits until
//! the change is complete (or rolled back), so an interrupt never leaves a book half-changed.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The exit code of a command ended by a signal, as shells report it for SIGINT.
pub(crate) const EXIT_CODE: i32 = 130;

static PENDING: AtomicBool = AtomicBool::new(false);
/// Held while a change is being committed; the handler ends the process only when it is free.
static CRITICAL: Mutex<()> = Mutex::new(());

thread_local! {
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Routes the signals through [`handle`]. Called once by commands that edit files; a second
/// call (or a host program with its own handler) leaves the existing handler in place.
pub(crate) fn install() {
    let _ = ctrlc::set_handler(handle);
}

/// Runs on the signal thread: remembers the signal, and ends the process unless a change is
/// being committed (then the command sees [`pending`] when it is done).
fn handle() {
    use std::io::Write;
    PENDING.store(true, Ordering::SeqCst);
    // A section that panicked left the lock poisoned, but no change is under way any more.
    let free = match CRITICAL.try_lock() {
        Ok(guard) => Some(guard),
        Err(std::sync::TryLockError::Poisoned(p)) => Some(p.into_inner()),
        Err(std::sync::TryLockError::WouldBlock) => None,
    };
    if let Some(_free) = free {
        // After a hang-up stderr may be gone; the exit must not depend on it.
        let said = if COMMITTED.load(Ordering::SeqCst) {
            "interrupted after the change was complete"
        } else {
            "interrupted; nothing was changed"
        };
        let _ = writeln!(std::io::stderr(), "{said}");
        std::process::exit(EXIT_CODE);
    }
}

/// Set once a change has been committed, so an interrupt afterwards says so.
static COMMITTED: AtomicBool = AtomicBool::new(false);

/// Records that a change is complete: a later interrupt must not claim nothing changed.
pub(crate) fn committed() {
    COMMITTED.store(true, Ordering::SeqCst);
}

/// Whether a signal arrived that the command has not acted on yet.
pub(crate) fn pending() -> bool {
    PENDING.load(Ordering::SeqCst)
}

/// While alive, a signal does not end the process; nested sections share the outer one.
#[must_use = "the section ends when this is dropped"]
pub(crate) struct Critical {
    _guard: Option<MutexGuard<'static, ()>>,
}

/// Starts a section that a signal must not cut in two: the renames of a change and the steps
/// that undo it.
pub(crate) fn critical() -> Critical {
    let outer = DEPTH.with(|d| {
        d.set(d.get() + 1);
        d.get() == 1
    });
    Critical {
        _guard: outer.then(|| CRITICAL.lock().unwrap_or_else(PoisonError::into_inner)),
    }
}

impl Drop for Critical {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_nest_on_one_thread() {
        let outer = critical();
        let inner = critical();
        assert!(outer._guard.is_some(), "the outer section holds the lock");
        assert!(inner._guard.is_none(), "a nested one shares it");
        drop(inner);
        drop(outer);
        assert_eq!(DEPTH.with(Cell::get), 0);
        let again = critical();
        assert!(again._guard.is_some(), "a new section takes it again");
    }
}

//! One editing command at a time per book. Commands that change files hold this lock from the
//! moment they read the book until their last write, so a second command waits and then decides
//! on the book as the first one left it: no lost update, no number given twice. Taking the lock
//! also arms the interrupt handler and clears what a killed command left behind.

use std::fs::File;
use std::path::Path;

use crate::error::{Error, Result};

/// An advisory lock on a book, released when dropped (or when the process ends, however it
/// ends: the operating system drops it with the file).
#[derive(Debug)]
pub(crate) struct BookLock {
    _file: File,
}

impl BookLock {
    /// Waits for, then takes, the lock of the book in `dir`. The lock is on the book's folder
    /// itself, so taking it creates no file that mdBook could copy into a site, and a command
    /// that replaces `book.toml` (`install`) does not move the lock to a new file. (Where a
    /// folder cannot be opened as a file, Windows, it is on `book.toml`.)
    pub(crate) fn acquire(dir: &Path) -> Result<BookLock> {
        let target = if cfg!(unix) {
            dir.to_path_buf()
        } else {
            dir.join("book.toml")
        };
        let file = File::open(&target).map_err(|e| Error::io("open", &target, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                eprintln!(
                    "waiting for another mdbook-ep command to finish with `{}`",
                    dir.display()
                );
                file.lock().map_err(|e| Error::io("lock", &target, e))?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io("lock", &target, e)),
        }
        // From here on, Ctrl-C cannot cut a change in two (see `interrupt`).
        super::interrupt::install();
        for left in super::fs::remove_stale_temps(dir) {
            eprintln!(
                "removed `{}`, a temporary file left by an mdbook-ep command that was killed",
                left.display()
            );
        }
        Ok(BookLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("book.toml"), "[book]\n").unwrap();
        let first = BookLock::acquire(dir.path()).unwrap();
        let path = dir.path().to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = std::thread::spawn(move || {
            let _second = BookLock::acquire(&path).unwrap();
            tx.send(()).unwrap();
        });
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert!(rx.try_recv().is_err(), "the second lock did not wait");
        drop(first);
        rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap();
        waiter.join().unwrap();
        // Replacing book.toml, as `install` does, keeps the book locked.
        let again = BookLock::acquire(dir.path()).unwrap();
        std::fs::write(dir.path().join("book.toml.new"), "[book]\n").unwrap();
        std::fs::rename(
            dir.path().join("book.toml.new"),
            dir.path().join("book.toml"),
        )
        .unwrap();
        #[cfg(unix)]
        {
            let f = File::open(dir.path()).unwrap();
            assert!(matches!(
                f.try_lock(),
                Err(std::fs::TryLockError::WouldBlock)
            ));
        }
        drop(again);
    }
}

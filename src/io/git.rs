//! The few git facts commands need, from the `git` program run without a shell.

use std::path::Path;
use std::process::Command;

use crate::error::{Error, Result};

/// Runs `git ARGS` in `dir`; `Ok(None)` when git ran but failed (not a repository, no such
/// setting), an error when git cannot be run at all.
pub(crate) fn output(dir: &Path, args: &[&str]) -> Result<Option<String>> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| {
            Error::Git(format!(
                "cannot run `git` ({e}); install git or pass the value explicitly"
            ))
        })?;
    if !out.status.success() {
        return Ok(None);
    }
    Ok(Some(
        String::from_utf8_lossy(&out.stdout).trim().to_string(),
    ))
}

/// The configured `user.name`, the default author of a new EP.
pub(crate) fn user_name(dir: &Path) -> Result<Option<String>> {
    Ok(output(dir, &["config", "--get", "user.name"])?.filter(|s| !s.is_empty()))
}

/// Whether `dir` is inside a git work tree.
pub(crate) fn in_work_tree(dir: &Path) -> Result<bool> {
    Ok(output(dir, &["rev-parse", "--is-inside-work-tree"])?.as_deref() == Some("true"))
}

/// `git mv -- FROM TO`, so history follows the file. A failure carries git's own message.
pub(crate) fn mv(dir: &Path, from: &Path, to: &Path) -> Result<()> {
    let (from, to) = (from.to_string_lossy(), to.to_string_lossy());
    let mut git = Command::new("git");
    git.args(["mv", "--", &from, &to]).current_dir(dir);
    // Ctrl-C at the terminal goes to the whole foreground group; in a group of its own, git
    // finishes the move, and mdbook-ep decides what the signal means (see `interrupt`).
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut git, 0);
    let out = git
        .output()
        .map_err(|e| Error::Git(format!("cannot run `git` ({e})")))?;
    if out.status.success() {
        return Ok(());
    }
    Err(Error::Git(format!(
        "`git mv -- {from} {to}` failed: {}",
        String::from_utf8_lossy(&out.stderr).trim()
    )))
}

/// The id git gives a blob holding `bytes` in a repository of SHA-1 object ids (git's
/// default): the hash of `blob <length>\0` and the bytes. Equal ids are equal bytes, so a blob
/// whose id matches a text already in memory need not be read.
pub(crate) fn blob_id(bytes: &[u8]) -> String {
    use sha1::Digest;
    let mut hash = sha1::Sha1::new();
    hash.update(format!("blob {}\0", bytes.len()).as_bytes());
    hash.update(bytes);
    use std::fmt::Write as _;
    let mut id = String::with_capacity(40);
    for byte in hash.finalize() {
        let _ = write!(id, "{byte:02x}");
    }
    id
}

/// Whether `rev` names a commit.
pub(crate) fn is_commit(dir: &Path, rev: &str) -> Result<bool> {
    Ok(output(
        dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &format!("{rev}^{{commit}}"),
        ],
    )?
    .is_some())
}

/// The contents of `paths` (relative to `dir`) at revision `rev`, `None` for a path that did not
/// exist then. One `git cat-file --batch` process for all of them.
pub(crate) fn read_at(
    dir: &Path,
    rev: &str,
    paths: &[std::path::PathBuf],
) -> Result<Vec<Option<String>>> {
    let objects: Vec<String> = paths
        .iter()
        .map(|p| format!("{rev}:./{}", p.to_string_lossy().replace('\\', "/")))
        .collect();
    read_objects(dir, &objects)
}

/// The contents of git objects (`rev:path` or a blob's id), `None` for one that does not exist
/// or is not a blob. One `git cat-file --batch` process for all of them.
pub(crate) fn read_objects(dir: &Path, objects: &[String]) -> Result<Vec<Option<String>>> {
    let mut reader = Objects::start(dir, |(), text: &str| text.to_string())?;
    for object in objects {
        reader.request(object, ())?;
    }
    reader.finish()
}

/// A git process that is waited for however its reader ends: an error or a panic half-way
/// kills it first, so no process is left behind (under `mdbook serve`, one per rebuild).
struct Reaped(std::process::Child);

impl Reaped {
    /// Waits for git to end and says whether it succeeded.
    fn wait(mut self) -> Result<bool> {
        let status = self
            .0
            .wait()
            .map_err(|e| Error::Git(format!("waiting for git: {e}")))?;
        Ok(status.success())
    }
}

impl Drop for Reaped {
    fn drop(&mut self) {
        // Both fail harmlessly once `wait` has reaped it.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One `git cat-file --batch` process answering requests as they are made: the history asks
/// for blobs while `git log` is still printing, so both run at once. Each answer is given to
/// `keep` with what was passed along with its request, on a thread of its own, and only what
/// `keep` returns is held: a history's thousands of blobs are read one at a time.
pub(crate) struct Objects<M, T> {
    child: Reaped,
    stdin: std::io::BufWriter<std::process::ChildStdin>,
    requests: std::sync::mpsc::Sender<M>,
    answers: std::thread::JoinHandle<Result<Vec<Option<T>>>>,
}

impl<M: Send + 'static, T: Send + 'static> Objects<M, T> {
    pub(crate) fn start(
        dir: &Path,
        mut keep: impl FnMut(M, &str) -> T + Send + 'static,
    ) -> Result<Objects<M, T>> {
        use std::io::{BufRead, BufReader, Read};
        use std::process::Stdio;
        let mut child = Command::new("git")
            .args(["cat-file", "--batch"])
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| Error::Git(format!("cannot run `git` ({e}); install git")))?;
        let (stdin, stdout) = match (child.stdin.take(), child.stdout.take()) {
            (Some(i), Some(o)) => (i, o),
            _ => return Err(Error::Git("git cat-file has no stdin or stdout".into())),
        };
        let (requests, asked) = std::sync::mpsc::channel::<M>();
        // Answers are read on their own thread, so a long answer can never block the requests
        // against a full pipe; one answer is read per request, in order.
        let answers = std::thread::spawn(move || {
            let failed = |e: std::io::Error| Error::Git(format!("reading git cat-file: {e}"));
            let mut reader = BufReader::new(stdout);
            let (mut out, mut buf, mut header) = (Vec::new(), Vec::new(), String::new());
            for meta in asked {
                header.clear();
                // Every request has its answer: the end of the output is git gone early.
                if reader.read_line(&mut header).map_err(failed)? == 0 {
                    return Err(Error::Git("git cat-file ended before answering".into()));
                }
                // `<id> <kind> <size>` for an object; `<name> missing` (or `ambiguous`)
                // otherwise, where the name is what was asked and may hold spaces: read from
                // the right.
                let line = header.trim_end();
                if line.ends_with(" missing") || line.ends_with(" ambiguous") {
                    out.push(None);
                    continue;
                }
                let fields: Vec<&str> = line.rsplitn(3, ' ').collect();
                let [size, kind, _] = fields.as_slice() else {
                    out.push(None);
                    continue;
                };
                let size: usize = size
                    .parse()
                    .map_err(|_| Error::Git(format!("unexpected git answer `{line}`")))?;
                buf.clear();
                buf.resize(size + 1, 0);
                reader.read_exact(&mut buf).map_err(failed)?;
                buf.pop();
                let blob = *kind == "blob";
                out.push(blob.then(|| keep(meta, &String::from_utf8_lossy(&buf))));
            }
            Ok(out)
        });
        Ok(Objects {
            child: Reaped(child),
            stdin: std::io::BufWriter::new(stdin),
            requests,
            answers,
        })
    }

    /// Asks for `object` (a blob's id, or `rev:path`); its answer comes with `meta`.
    pub(crate) fn request(&mut self, object: &str, meta: M) -> Result<()> {
        use std::io::Write;
        // The answers' reader learns of it before git does: it never misses an answer, and
        // git never waits on a full pipe nobody reads. (It may wait for a request still in
        // the buffer, which `finish` flushes.)
        let _ = self.requests.send(meta);
        writeln!(self.stdin, "{object}")
            .map_err(|e| Error::Git(format!("writing to git cat-file: {e}")))
    }

    /// Every answer, in the order of the requests; an error when git failed, whatever it
    /// answered before.
    pub(crate) fn finish(self) -> Result<Vec<Option<T>>> {
        let Objects {
            child,
            stdin,
            requests,
            answers,
        } = self;
        drop(requests);
        // Flushed and closed: git answers the last requests and ends.
        let flushed = stdin.into_inner().map(drop).map_err(|e| e.into_error());
        let answered = answers
            .join()
            .unwrap_or_else(|_| Err(Error::Git("reading git cat-file failed".into())));
        let succeeded = child.wait()?;
        flushed.map_err(|e| Error::Git(format!("writing to git cat-file: {e}")))?;
        let answers = answered?;
        if !succeeded {
            return Err(Error::Git("git cat-file failed".into()));
        }
        Ok(answers)
    }
}

/// Runs `git ARGS` in `dir` and gives `each` its output in pieces, each the text before the
/// next `separator` byte, as git prints them: a long log is read while git still writes it.
/// `Ok(false)` when git ran but failed, whatever it printed before.
pub(crate) fn each_piece(
    dir: &Path,
    args: &[&str],
    separator: u8,
    mut each: impl FnMut(&str),
) -> Result<bool> {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let mut child = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| Error::Git(format!("cannot run `git` ({e}); install git")))?;
    let stdout = child.stdout.take();
    let child = Reaped(child);
    let stdout = stdout.ok_or_else(|| Error::Git("git has no stdout".into()))?;
    let mut reader = BufReader::with_capacity(1 << 16, stdout);
    let mut piece = Vec::new();
    loop {
        piece.clear();
        let read = reader
            .read_until(separator, &mut piece)
            .map_err(|e| Error::Git(format!("reading git's output: {e}")))?;
        if read == 0 {
            break;
        }
        if piece.last() == Some(&separator) {
            piece.pop();
        }
        each(&String::from_utf8_lossy(&piece));
    }
    child.wait()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str], input: &[u8]) -> String {
        use std::io::Write;
        let mut child = Command::new("git")
            .args(args)
            .current_dir(dir)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("git runs");
        child.stdin.take().unwrap().write_all(input).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "git {args:?}");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    /// Many answers larger than a pipe holds, asked for while earlier ones are unread: every
    /// answer comes back, in order, with what its request carried; a missing object is `None`.
    #[test]
    fn objects_are_answered_in_order_however_large() {
        let dir = tempfile::tempdir().unwrap();
        git(dir.path(), &["init", "-q"], b"");
        let texts: Vec<String> = (0..3)
            .map(|i| format!("state: s{i}\n{}", "x".repeat(200_000 + i)))
            .collect();
        let ids: Vec<String> = texts
            .iter()
            .map(|t| git(dir.path(), &["hash-object", "-w", "--stdin"], t.as_bytes()))
            .collect();
        assert_eq!(ids[0], blob_id(texts[0].as_bytes()));
        let missing = "0123456789012345678901234567890123456789";
        let mut objects =
            Objects::start(dir.path(), |i: usize, text: &str| (i, text.len())).unwrap();
        let asked: Vec<&str> = (0..60)
            .map(|i| {
                if i % 7 == 3 {
                    missing
                } else {
                    ids[i % 3].as_str()
                }
            })
            .collect();
        for (i, id) in asked.iter().enumerate() {
            objects.request(id, i).unwrap();
        }
        let answers = objects.finish().unwrap();
        assert_eq!(answers.len(), asked.len());
        for (i, (id, answer)) in asked.iter().zip(answers).enumerate() {
            match answer {
                None => assert_eq!(*id, missing, "request {i}"),
                Some((n, len)) => {
                    assert_eq!(n, i);
                    assert_eq!(len, 200_000 + 10 + i % 3, "request {i}");
                }
            }
        }
    }

    #[test]
    fn a_failing_git_is_told_not_mistaken_for_an_empty_answer() {
        let dir = tempfile::tempdir().unwrap();
        // Not a repository: `git log` fails after printing nothing.
        let mut pieces = 0;
        let ran = each_piece(dir.path(), &["log", "--format=%x01%H"], b'\x01', |_| {
            pieces += 1
        });
        assert!(!ran.unwrap());
        assert!(pieces <= 1);
        let mut objects = Objects::start(dir.path(), |(), text: &str| text.len()).unwrap();
        objects.request("HEAD:x", ()).unwrap();
        assert!(objects.finish().is_err());
    }

    #[test]
    fn blob_ids_are_gits() {
        // `git hash-object` of an empty file and of "hello\n".
        assert_eq!(blob_id(b""), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
        assert_eq!(
            blob_id(b"hello\n"),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
    }
}

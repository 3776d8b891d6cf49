//! The one book-fixture builder of the test suite, after mdBook's own `tests/testsuite`.
//!
//! [`BookTest`] is a writable book in a temporary folder: a copy of a fixture book under
//! `tests/fixtures/`, the KEP sample (`tests/fixtures/kep-sample`), or an empty folder to write a book into.
//! It edits files, makes git histories (with fixed dates when the figures matter) and runs the
//! real `mdbook-ep` binary in the book. [`Built`] is what `mdbook-ep build` left: its output and
//! the site folder. Fixture books that a test only reads are used in place through [`fixture`].
//!
//! Every command runs with `NO_COLOR=1` and without `MDBOOK_LOG`, so its output is the same
//! wherever the tests run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The `mdbook-ep` binary cargo built for this test run.
pub(crate) fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_mdbook-ep"))
}

/// The repository root, which is also the demo book.
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<rel>`, used in place: read it, never write it (a checkout may be read-only;
/// [`BookTest::from_fixture`] makes a writable copy).
pub(crate) fn fixture(rel: &str) -> PathBuf {
    repo().join("tests/fixtures").join(rel)
}

/// The `keps/` folder of the KEP sample: real Kubernetes proposals, kept in the repository
/// (`tests/fixtures/kep-sample/SOURCE.md`) so the tests over them always run.
pub(crate) fn kep_sample_dir() -> PathBuf {
    fixture("kep-sample/keps")
}

/// Runs `mdbook-ep` with `args`, feeding `stdin`, from the test's own folder (the crate root):
/// paths in its output are shown as the arguments gave them.
pub(crate) fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    let mut child = mdbook_ep(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn mdbook-ep");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    child.wait_with_output().expect("wait for mdbook-ep")
}

/// Runs `mdbook-ep` with `args` in `dir`, as an author would in their book.
pub(crate) fn run_in(dir: &Path, args: &[&str]) -> Output {
    mdbook_ep(args)
        .current_dir(dir)
        .output()
        .expect("run mdbook-ep")
}

/// The day every test runs on (`MDBOOK_EP_TODAY`), so no result depends on the calendar.
pub(crate) const TODAY: &str = "2026-11-25";

/// The binary under test, on the pinned day.
pub(crate) fn mdbook_ep_command() -> Command {
    let mut cmd = Command::new(bin());
    // `list` fits `COLUMNS` when set; tests read whole lines.
    cmd.env("MDBOOK_EP_TODAY", TODAY).env_remove("COLUMNS");
    cmd
}

fn mdbook_ep(args: &[&str]) -> Command {
    let mut cmd = mdbook_ep_command();
    cmd.args(args).env_remove("MDBOOK_LOG").env("NO_COLOR", "1");
    cmd
}

/// `mdbook-ep build --book <book> -d <a temporary folder>`.
pub(crate) fn build(book: &Path) -> Built {
    let dest = tempfile::tempdir().unwrap();
    let out = run(
        &[
            "build",
            "--book",
            book.to_str().unwrap(),
            "-d",
            dest.path().to_str().unwrap(),
        ],
        None,
    );
    Built { out, dest }
}

/// `PATH` with the binary under test first, as after `cargo install`.
pub(crate) fn path_with_bin() -> std::ffi::OsString {
    std::env::join_paths(
        std::iter::once(bin().parent().unwrap().to_path_buf()).chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )),
    )
    .unwrap()
}

/// `command` as a shell runs it in `dir` (bash, `-e -o pipefail`), with the binary under test
/// on `PATH`, the pinned day, no colour and a git identity: how the docs' examples run.
pub(crate) fn shell(dir: &Path, command: &str) -> Command {
    let mut cmd = Command::new("bash");
    cmd.args(["-eo", "pipefail", "-c", command])
        .current_dir(dir)
        .env("PATH", path_with_bin())
        .env("NO_COLOR", "1")
        .env_remove("MDBOOK_LOG")
        .env("MDBOOK_EP_TODAY", TODAY)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org");
    cmd
}

/// The real mdbook 0.5 CLI with this crate's binary first on PATH; `None` when mdbook 0.5 is
/// not installed, after [`skip`] has said so.
pub(crate) fn mdbook_cli() -> Option<Command> {
    let installed = Command::new("mdbook")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains("v0.5."));
    if !installed {
        skip("mdbook 0.5 is not on PATH (.ci/run installs it)");
        return None;
    }
    let mut cmd = Command::new("mdbook");
    cmd.env("PATH", path_with_bin())
        .env("NO_COLOR", "1")
        .env("MDBOOK_EP_TODAY", TODAY);
    Some(cmd)
}

/// A test that cannot run here says so where the reader sees it, or fails where it must run.
///
/// The note goes to the terminal's stderr directly: the test runner captures `eprintln!` of a
/// passing test, which is how a skipped test used to look like a passing one. In CI
/// (`CI=true`, as GitHub Actions and GitLab CI set it) or under `.ci/run`
/// (`MDBOOK_EP_REQUIRE_MDBOOK`), a missing prerequisite fails the test instead.
pub(crate) fn skip(why: &str) {
    let required = std::env::var_os("MDBOOK_EP_REQUIRE_MDBOOK").is_some()
        || std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    assert!(!required, "cannot skip in CI: {why}");
    use std::io::Write;
    let name = std::thread::current().name().unwrap_or("a test").to_owned();
    let _ = writeln!(std::io::stderr().lock(), "SKIPPED {name}: {why}");
}

/// `mdbook build -d <a temporary folder> <book>` with [`mdbook_cli`].
pub(crate) fn mdbook_cli_build(book: &Path) -> Option<Built> {
    let mut cmd = mdbook_cli()?;
    let dest = tempfile::tempdir().unwrap();
    let out = cmd
        .args(["build", "-d"])
        .arg(dest.path())
        .arg(book)
        .output()
        .unwrap();
    Some(Built { out, dest })
}

/// A command's standard error, as text.
pub(crate) fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A command's standard output, as text.
pub(crate) fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Reads a text file; a missing one fails the test with its path.
pub(crate) fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Writes a file, creating its folders.
pub(crate) fn write(path: &Path, content: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// Copies a folder tree, making the copies writable (a checkout may be read-only).
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            let mut perms = std::fs::metadata(&target).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&target, perms).unwrap();
        }
    }
}

/// Runs git in `dir` with a fixed identity and, given a `date` (`YYYY-MM-DD`), that date as the
/// author and committer date, for histories whose figures tests can predict. A failing git
/// fails the test.
pub(crate) fn git_at(dir: &Path, date: Option<&str>, args: &[&str]) {
    let mut cmd = Command::new("git");
    cmd.args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
        .args(args)
        .current_dir(dir);
    if let Some(date) = date {
        let stamp = format!("{date}T12:00:00Z");
        cmd.env("GIT_AUTHOR_DATE", &stamp)
            .env("GIT_COMMITTER_DATE", &stamp);
    }
    let out = cmd.output().expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Holds snapshot text to the byte. insta compares text snapshots with trailing whitespace
/// trimmed, `\r\n` read as `\n` and leading newlines dropped; the golden files these snapshots
/// replaced were compared byte for byte. Every snapshot here is text ending in one newline, so
/// this checks what insta lets through: no `\r`, no newline at the start, and exactly one
/// newline at the end. Returns the text, for `insta::assert_snapshot!`.
pub(crate) fn byte_exact(text: String) -> String {
    assert!(!text.contains('\r'), "carriage return in {text:?}");
    assert!(!text.starts_with('\n'), "leading newline in {text:?}");
    assert!(
        text.ends_with('\n') && !text[..text.len() - 1].ends_with(char::is_whitespace),
        "the text must end in exactly one newline: {text:?}"
    );
    text
}

/// A writable book (or any folder) in a temporary directory, removed when dropped.
pub(crate) struct BookTest {
    dir: tempfile::TempDir,
}

impl BookTest {
    /// An empty folder, to write a book into.
    pub(crate) fn empty() -> BookTest {
        BookTest {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A writable copy of the fixture book `tests/fixtures/<name>`.
    pub(crate) fn from_fixture(name: &str) -> BookTest {
        let book = BookTest::empty();
        copy_dir(&fixture(name), book.path());
        book
    }

    /// A KEP-style book made from the KEP sample (`tests/fixtures/kep-sample`), with the given
    /// rules lowered (the sample's historic problems).
    pub(crate) fn kep_sample(summary: &str, rules: &[(&str, &str)]) -> BookTest {
        let book = BookTest::empty();
        copy_dir(&kep_sample_dir(), &book.join("src/keps"));
        book.write("src/SUMMARY.md", summary);
        let rules: String = rules
            .iter()
            .map(|(code, sev)| format!("{code} = \"{sev}\"\n"))
            .collect();
        book.write(
            "book.toml",
            format!(
                "[book]\ntitle = \"KEPs\"\n\n[build]\ncreate-missing = false\n\n[preprocessor.ep]\neps-dir = \"keps\"\n\
                 template = \"keps/NNNN-kep-template/README.md\"\n\n[preprocessor.ep.rules]\n{rules}"
            ),
        );
        book
    }

    /// The book's folder.
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The book's folder as a command-line argument.
    pub(crate) fn arg(&self) -> &str {
        self.path().to_str().unwrap()
    }

    /// A path inside the book.
    pub(crate) fn join(&self, rel: &str) -> PathBuf {
        self.path().join(rel)
    }

    /// Reads a file of the book.
    pub(crate) fn read(&self, rel: &str) -> String {
        read(&self.join(rel))
    }

    /// Writes a file of the book, creating its folders.
    pub(crate) fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> &BookTest {
        write(&self.join(rel), content);
        self
    }

    /// Rewrites a file of the book with `f` of its text.
    pub(crate) fn edit(&self, rel: &str, f: impl FnOnce(String) -> String) -> &BookTest {
        let text = f(self.read(rel));
        self.write(rel, text)
    }

    /// Appends `text` to book.toml, after a blank line.
    pub(crate) fn append_to_book_toml(&self, text: &str) -> &BookTest {
        self.edit("book.toml", |toml| format!("{toml}\n{text}"))
    }

    /// Runs git in the book with a fixed identity; a failing git fails the test.
    pub(crate) fn git(&self, args: &[&str]) -> &BookTest {
        git_at(self.path(), None, args);
        self
    }

    /// [`BookTest::git`] with the author and committer dates set to `date` (`YYYY-MM-DD`).
    pub(crate) fn git_at(&self, date: &str, args: &[&str]) -> &BookTest {
        git_at(self.path(), Some(date), args);
        self
    }

    /// Runs `mdbook-ep` with `args` in the book's folder.
    pub(crate) fn run(&self, args: &[&str]) -> Output {
        run_in(self.path(), args)
    }

    /// `mdbook-ep ARGS` in the book's folder, to be given more of its environment first.
    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut cmd = mdbook_ep(args);
        cmd.current_dir(self.path());
        cmd
    }

    /// `mdbook-ep build` of the book into a temporary folder.
    pub(crate) fn build(&self) -> Built {
        build(self.path())
    }
}

/// What a build left: the command's output and the site folder (removed when dropped).
pub(crate) struct Built {
    pub out: Output,
    dest: tempfile::TempDir,
}

impl Built {
    /// The exit code.
    pub(crate) fn code(&self) -> Option<i32> {
        self.out.status.code()
    }

    /// Standard error, where the diagnostics are.
    pub(crate) fn stderr(&self) -> String {
        stderr(&self.out)
    }

    /// Fails the test, showing standard error, unless the build exited with `code`.
    pub(crate) fn assert_exit(&self, code: i32) -> &Built {
        assert_eq!(self.code(), Some(code), "{}", self.stderr());
        self
    }

    /// The site folder.
    pub(crate) fn site(&self) -> &Path {
        self.dest.path()
    }

    /// A path inside the site folder.
    pub(crate) fn join(&self, rel: &str) -> PathBuf {
        self.site().join(rel)
    }

    /// Reads a file of the site.
    pub(crate) fn read(&self, rel: &str) -> String {
        read(&self.join(rel))
    }

    /// EP `number`'s record in the site's `ep/eps.json`.
    pub(crate) fn ep_record(&self, number: u64) -> serde_json::Value {
        let eps = self.json("ep/eps.json");
        eps["eps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["number"] == number)
            .unwrap_or_else(|| panic!("EP {number} is not in eps.json"))
            .clone()
    }

    /// Parses a JSON file of the site, such as `ep/eps.json` or `ep/kpi.json`.
    pub(crate) fn json(&self, rel: &str) -> serde_json::Value {
        serde_json::from_str(&self.read(rel)).unwrap_or_else(|e| panic!("{rel} is not JSON: {e}"))
    }
}

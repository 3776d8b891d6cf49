//! Helpers shared by the integration tests: run the real binary, copy fixture books.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_mdbook-ep"))
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// Runs `mdbook-ep` with `args`, feeding `stdin`.
pub fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    let mut child = Command::new(bin())
        .args(args)
        .env_remove("MDBOOK_LOG")
        .env("NO_COLOR", "1")
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

/// `mdbook-ep build <book> -d <tmp>`; returns the output and the build folder.
pub fn build(book: &Path) -> (Output, tempfile::TempDir) {
    let dest = tempfile::tempdir().unwrap();
    let out = run(
        &[
            "build",
            book.to_str().unwrap(),
            "-d",
            dest.path().to_str().unwrap(),
        ],
        None,
    );
    (out, dest)
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Copies a folder tree (fixture books are read-only in CI's copy of shared/).
pub fn copy_dir(from: &Path, to: &Path) {
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

/// Writes a file, creating its folders.
pub fn write(path: &Path, content: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// A KEP-style book made from the KEP sample in `../shared`, with the given rules lowered (the
/// sample's historic problems), or `None` (with a note) when the sample is not there.
pub fn kep_book(summary: &str, rules: &[(&str, &str)]) -> Option<tempfile::TempDir> {
    let sample = repo().join("../shared/kep-sample/keps");
    if !sample.is_dir() {
        eprintln!("skipped: {} is not present", sample.display());
        return None;
    }
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&sample, &tmp.path().join("src/keps"));
    write(&tmp.path().join("src/SUMMARY.md"), summary);
    let rules: String = rules
        .iter()
        .map(|(code, sev)| format!("{code} = \"{sev}\"\n"))
        .collect();
    write(
        &tmp.path().join("book.toml"),
        format!(
            "[book]\ntitle = \"KEPs\"\n\n[build]\ncreate-missing = false\n\n[preprocessor.ep]\neps-dir = \"keps\"\n\
             template = \"keps/NNNN-kep-template/README.md\"\n\n[preprocessor.ep.rules]\n{rules}"
        ),
    );
    Some(tmp)
}

/// `mdbook build -d DEST BOOK` with the real mdbook 0.5 CLI and this crate's binary first on
/// PATH; `None` (with a note) when mdbook 0.5 is not installed. Under `.ci/run`
/// (`MDBOOK_EP_REQUIRE_MDBOOK`), a missing mdbook fails instead.
pub fn mdbook_cli_build(book: &Path, dest: &Path) -> Option<Output> {
    let installed = Command::new("mdbook")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains("v0.5."));
    if !installed {
        assert!(
            std::env::var_os("MDBOOK_EP_REQUIRE_MDBOOK").is_none(),
            "MDBOOK_EP_REQUIRE_MDBOOK is set but mdbook 0.5 is not on PATH"
        );
        eprintln!("skipped: mdbook 0.5 is not installed (.ci/run installs it)");
        return None;
    }
    let path = std::env::join_paths(
        std::iter::once(bin().parent().unwrap().to_path_buf()).chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )),
    )
    .unwrap();
    Some(
        Command::new("mdbook")
            .args(["build", "-d"])
            .arg(dest)
            .arg(book)
            .env("PATH", path)
            .env("NO_COLOR", "1")
            .output()
            .unwrap(),
    )
}

/// Runs git in `dir` with a fixed identity, failing the test when git fails.
pub fn git(dir: &Path, args: &[&str]) {
    git_at(dir, None, args);
}

/// [`git`] with the author and committer dates set to `date` (`YYYY-MM-DD`), for histories
/// whose figures tests can predict.
pub fn git_at(dir: &Path, date: Option<&str>, args: &[&str]) {
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

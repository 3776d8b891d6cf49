//! EP history from git, read in two `git log` passes (never one process per EP): which commits
//! touched which files, over the whole repository and following renames (so a draft's history
//! continues in its numbered folder, and an EP keeps its history when its folder moves), and
//! every change of a `state:` line in the EP folder. A change is a commit that modified an
//! EP's file or sidecar; a pure move is not one, and a merge adds nothing of its own.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::keys::Key;
use crate::model::Date;

/// Files one commit changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Commit {
    pub date: Date,
    /// Paths as they were after the commit.
    pub paths: Vec<PathBuf>,
    /// `(old, new)` for renames.
    pub renames: Vec<(PathBuf, PathBuf)>,
}

/// A `state:` (or KEP `status:`) line set by a commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StateLine {
    pub date: Date,
    pub path: PathBuf,
    pub state: String,
}

const MARK: char = '\u{1}';

/// The commits of `git log --format=%x01%cs ...` output, newest first: each commit's date and
/// the lines git printed under it. Both log passes read their output through this.
fn commit_blocks(out: &str) -> impl Iterator<Item = (Date, std::str::Lines<'_>)> {
    out.split(MARK).skip(1).filter_map(|block| {
        let mut lines = block.lines();
        let date = lines.next().and_then(|l| Date::parse(l.trim()))?;
        Some((date, lines))
    })
}

/// Parses `git log --format=%x01%cs --name-status -M`, newest first.
pub(crate) fn parse_name_status(out: &str) -> Vec<Commit> {
    let mut commits = Vec::new();
    for (date, lines) in commit_blocks(out) {
        let mut commit = Commit {
            date,
            paths: Vec::new(),
            renames: Vec::new(),
        };
        for line in lines {
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                [status, old, new] if status.starts_with('R') => {
                    commit
                        .renames
                        .push((PathBuf::from(old), PathBuf::from(new)));
                    // A pure move (100 % similar) carries the history along but changes
                    // nothing in the EP; a move with edits (a promotion) is a change.
                    if *status != "R100" {
                        commit.paths.push(PathBuf::from(new));
                    }
                }
                [status, path] if !status.is_empty() => commit.paths.push(PathBuf::from(path)),
                _ => {}
            }
        }
        commits.push(commit);
    }
    commits
}

/// Parses `git log --format=%x01%cs -p --unified=0 -G'^(state|status):'`, newest first: the
/// `state:` lines each commit added.
pub(crate) fn parse_state_lines(out: &str) -> Vec<StateLine> {
    let state_keys: Vec<&str> = Key::State.spellings().collect();
    let mut found = Vec::new();
    for (date, lines) in commit_blocks(out) {
        let mut path: Option<PathBuf> = None;
        for line in lines {
            if let Some(p) = line.strip_prefix("+++ b/") {
                path = Some(PathBuf::from(p));
            } else if line.starts_with("+++ ") {
                path = None;
            } else if let Some(added) = line.strip_prefix('+') {
                let Some(p) = &path else { continue };
                let value = state_keys
                    .iter()
                    .find_map(|k| added.strip_prefix(k)?.strip_prefix(':'))
                    .map(|v| {
                        v.split(" #")
                            .next()
                            .unwrap_or(v)
                            .trim()
                            .trim_matches(['"', '\''])
                    });
                if let Some(v) = value.filter(|v| !v.is_empty()) {
                    found.push(StateLine {
                        date,
                        path: p.clone(),
                        state: v.to_string(),
                    });
                }
            }
        }
    }
    found
}

/// What git says about one EP.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EpHistory {
    /// Commits that touched the EP's files.
    pub changes: u32,
    /// The date of its oldest commit.
    pub first_commit: Option<Date>,
    /// `(date, state)` each time a commit set its state, oldest first.
    pub states: Vec<(Date, String)>,
}

/// The history of each EP, given the paths it has now (its file and its sidecar). Renames are
/// followed backwards, so a promoted draft keeps its earlier commits.
pub(crate) fn per_ep(
    current: &[Vec<PathBuf>],
    commits: &[Commit],
    state_lines: &[StateLine],
) -> Vec<EpHistory> {
    let mut owner: HashMap<PathBuf, usize> = HashMap::new();
    for (i, paths) in current.iter().enumerate() {
        for p in paths {
            owner.insert(p.clone(), i);
        }
    }
    let mut out = vec![EpHistory::default(); current.len()];
    for commit in commits {
        let mut touched: Vec<usize> = commit
            .paths
            .iter()
            .filter_map(|p| owner.get(p).copied())
            .collect();
        touched.sort_unstable();
        touched.dedup();
        for i in touched {
            out[i].changes += 1;
            out[i].first_commit = Some(commit.date);
        }
        for (old, new) in &commit.renames {
            if let Some(&i) = owner.get(new) {
                owner.insert(old.clone(), i);
            }
        }
    }
    for line in state_lines.iter().rev() {
        if let Some(&i) = owner.get(&line.path) {
            out[i].states.push((line.date, line.state.clone()));
        }
    }
    out
}

/// How complete the history is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GitStatus {
    /// Complete history.
    Full,
    /// A shallow clone: counts would be too low.
    Shallow,
    /// No git, or not a repository.
    Unavailable,
}

/// Reads the history of the EPs whose files are now at `current` (one list per EP, relative to
/// `dir`, the book root), in two `git log` passes:
///
/// 1. which files every commit of the repository touched, following renames: the whole
///    history, not the book's or the EP folder's, so commits from before a SIG folder, the EP
///    folder or the book itself moved still belong to their EPs;
/// 2. the `state:` lines added, only in the paths those EPs ever had (found by following the
///    renames of pass 1 backwards), since this pass reads patches.
///
/// Every path is compared as git names it: relative to the repository's top, read unquoted
/// (`core.quotePath=false`: a folder named `0001-über` stays as it is). The EPs' paths are
/// resolved on disk first, so a book in a subfolder, EPs beside the sources and an EP folder
/// that is a symbolic link all name the files git tracks.
pub(crate) fn read(dir: &Path, current: &[Vec<PathBuf>]) -> (GitStatus, Vec<EpHistory>) {
    use crate::io::git::output;
    let none = || (GitStatus::Unavailable, Vec::new());
    if !crate::io::git::in_work_tree(dir).unwrap_or(false) {
        return none();
    }
    let status = match output(dir, &["rev-parse", "--is-shallow-repository"]) {
        Ok(Some(s)) if s == "true" => GitStatus::Shallow,
        Ok(Some(_)) => GitStatus::Full,
        _ => return none(),
    };
    let top = output(dir, &["rev-parse", "--show-toplevel"])
        .ok()
        .flatten()
        .and_then(|t| std::fs::canonicalize(t).ok());
    let prefix = output(dir, &["rev-parse", "--show-prefix"])
        .ok()
        .flatten()
        .unwrap_or_default();
    let current: Vec<Vec<PathBuf>> = current
        .iter()
        .map(|paths| {
            paths
                .iter()
                .map(|p| in_repository(dir, p, top.as_deref(), &prefix))
                .collect()
        })
        .collect();
    let current = &current;
    let names = output(
        dir,
        &[
            "-c",
            "core.quotePath=false",
            "log",
            "--format=%x01%cs",
            "--name-status",
            "-M",
        ],
    )
    .ok()
    .flatten()
    .unwrap_or_default();
    let commits = parse_name_status(&names);
    let owner = owners(current, &commits);
    let state_keys = format!(
        "-G^({}):",
        Key::State.spellings().collect::<Vec<_>>().join("|")
    );
    let mut args: Vec<String> = [
        "-c",
        "core.quotePath=false",
        "log",
        "--format=%x01%cs",
        "-p",
        "--unified=0",
        "-M",
        &state_keys,
        "--",
    ]
    .iter()
    .map(|a| a.to_string())
    .collect();
    args.extend(
        folders_of(owner.keys())
            .iter()
            .map(|p| format!(":(top,literal){}", p.to_string_lossy())),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let states = output(dir, &args).ok().flatten().unwrap_or_default();
    let state_lines = parse_state_lines(&states);
    (status, per_ep(current, &commits, &state_lines))
}

/// The folders that hold every path the EPs have had, as few as cover them: the SIG folders
/// (a numbered EP's `README.md` or sidecar is two levels below its SIG folder, a draft one).
/// git matches a pathspec against every file of every commit, so a thousand EP files as a
/// thousand pathspecs cost ten times the whole pass; a handful of folders cost nothing. Other
/// files in them are read too, and dropped: only the EPs' paths have owners.
fn folders_of<'a>(paths: impl Iterator<Item = &'a PathBuf>) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = paths
        .filter_map(|p| {
            let numbered = p
                .file_name()
                .is_some_and(|n| n == "README.md" || n == "ep.yaml" || n == "kep.yaml");
            let folder = if numbered {
                p.parent()?.parent()
            } else {
                p.parent()
            }?;
            Some(folder.to_path_buf())
        })
        .collect();
    folders.sort();
    folders.dedup();
    // A folder inside another one listed adds nothing.
    let mut out: Vec<PathBuf> = Vec::new();
    for f in folders {
        if !out.last().is_some_and(|last| f.starts_with(last)) {
            out.push(f);
        }
    }
    out
}

/// Every path each EP has had, newest first in `commits`: its current paths, then the old
/// side of each rename into a path it had by then.
fn owners(current: &[Vec<PathBuf>], commits: &[Commit]) -> HashMap<PathBuf, usize> {
    let mut owner: HashMap<PathBuf, usize> = HashMap::new();
    for (i, paths) in current.iter().enumerate() {
        for p in paths {
            owner.insert(p.clone(), i);
        }
    }
    for commit in commits {
        for (old, new) in &commit.renames {
            if let Some(&i) = owner.get(new) {
                owner.insert(old.clone(), i);
            }
        }
    }
    owner
}

/// An EP's file (relative to the book's folder `dir`) as git names it: relative to the
/// repository's top (`top`, resolved), through any symbolic link on the way. A file that
/// cannot be resolved is named from the book's place in the repository (`prefix`).
fn in_repository(dir: &Path, path: &Path, top: Option<&Path>, prefix: &str) -> PathBuf {
    top.and_then(|top| {
        let real = std::fs::canonicalize(dir.join(path)).ok()?;
        real.strip_prefix(top).ok().map(Path::to_path_buf)
    })
    .unwrap_or_else(|| super::tidy(&Path::new(prefix).join(path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_lines_are_read_in_the_sig_folders() {
        let paths: Vec<PathBuf> = [
            "docs/src/eps/a/0001-x/README.md",
            "docs/src/eps/a/0002-y/ep.yaml",
            "docs/src/eps/a/draft-2026-01-01-z.md",
            "docs/src/eps/ab/0003-w/README.md",
            "handbook/src/eps/a/0001-x/README.md",
            "keps/sig-cli/0004-v/kep.yaml",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        assert_eq!(
            folders_of(paths.iter()),
            [
                "docs/src/eps/a",
                "docs/src/eps/ab",
                "handbook/src/eps/a",
                "keps/sig-cli"
            ]
            .map(PathBuf::from)
        );
        // A folder inside one already listed is covered by it.
        let nested = [
            PathBuf::from("eps/a/draft-x.md"),
            PathBuf::from("eps/a/b/0001-x/README.md"),
        ];
        assert_eq!(folders_of(nested.iter()), [PathBuf::from("eps/a")]);
    }

    #[test]
    fn follows_a_draft_into_its_numbered_folder() {
        // Newest first: a pure move of the SIG folder (not a change), the promotion (a move
        // with edits), an edit, the first commit.
        let names = "\u{1}2026-04-01\n\nR100\teps/old/0001-x/README.md\teps/a/0001-x/README.md\n\u{1}2026-03-01\n\nR087\teps/old/draft-x.md\teps/old/0001-x/README.md\n\u{1}2026-02-01\n\nM\teps/old/draft-x.md\nM\teps/old/other.md\n\u{1}2026-01-01\n\nA\teps/old/draft-x.md\n";
        let states = "\u{1}2026-03-01\n\ndiff --git a/eps/old/0001-x/README.md b/eps/old/0001-x/README.md\n--- a/eps/old/0001-x/README.md\n+++ b/eps/old/0001-x/README.md\n@@ -5 +5 @@\n-state: provisional\n+state: implementable # approved\n\u{1}2026-01-01\n\ndiff --git a/eps/old/draft-x.md b/eps/old/draft-x.md\n--- /dev/null\n+++ b/eps/old/draft-x.md\n@@ -0,0 +1,2 @@\n+title: X\n+state: provisional\n";
        let commits = parse_name_status(names);
        assert_eq!(commits.len(), 4);
        let lines = parse_state_lines(states);
        assert_eq!(lines.len(), 2);
        let h = per_ep(
            &[vec![PathBuf::from("eps/a/0001-x/README.md")]],
            &commits,
            &lines,
        );
        assert_eq!(h[0].changes, 3);
        assert_eq!(h[0].first_commit, Date::parse("2026-01-01"));
        assert_eq!(
            h[0].states,
            [
                (Date::parse("2026-01-01").unwrap(), "provisional".into()),
                (Date::parse("2026-03-01").unwrap(), "implementable".into())
            ]
        );
    }
}

//! EP history from git in one `git log` pass and one `git cat-file` process (never one process
//! per EP): which files every commit touched, over the whole repository and following renames
//! (so a draft's history continues in its numbered folder, and an EP keeps its history when its
//! folder, its SIG folder or the book moves), with the blob each commit left; the blobs of the
//! EPs' files then give the state each commit left. A change is a commit that modified an EP's
//! file or sidecar; a pure move is not one, and a merge adds nothing of its own.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::keys::Key;
use super::metadata::{FrontMatter, split_front_matter, top_level_key};
use crate::model::Date;

/// What one commit did to the files it touched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Commit {
    pub date: Date,
    /// Its id, and its first parent's (`None` for a root commit).
    pub id: String,
    pub first_parent: Option<String>,
    /// A merge: its entries are its difference from its first parent, what the merge brought.
    pub merge: bool,
    /// Paths it changed, as they were after the commit (a pure move is no change).
    pub paths: Vec<PathBuf>,
    /// `(old, new)` for renames.
    pub renames: Vec<(PathBuf, PathBuf)>,
    /// `(path, blob id)` of every file it left (added, modified or moved).
    pub blobs: Vec<(PathBuf, String)>,
}

/// The `git log` that [`parse_commit`] reads: every commit newest first, and never a parent
/// before its children (`--date-order`, so the walk knows the main line as it goes), its date,
/// id and parents, and its files with `-z` (every path as it is, whatever it holds: spaces,
/// tabs, quotes, non-ASCII), each with the blob it left; a merge's against its first parent.
/// Each commit starts with a `\u{1}`.
pub(crate) const LOG: &[&str] = &[
    "log",
    "--date-order",
    "-z",
    "--format=%x01%cs%x00%H%x00%P",
    "--raw",
    "--no-abbrev",
    "-M",
    "--diff-merges=first-parent",
];

/// Parses one commit of [`LOG`]'s output (the text after its `\u{1}`).
pub(crate) fn parse_commit(block: &str) -> Option<Commit> {
    let mut fields = block.split('\0');
    let date = fields.next().and_then(|d| Date::parse(d.trim()))?;
    let id = fields.next().unwrap_or_default().trim().to_string();
    let parents: Vec<&str> = fields
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let mut commit = Commit {
        date,
        id,
        first_parent: parents.first().map(|p| p.to_string()),
        merge: parents.len() > 1,
        paths: Vec::new(),
        renames: Vec::new(),
        blobs: Vec::new(),
    };
    while let Some(meta) = fields.next() {
        let meta: Vec<&str> = meta.trim_start_matches('\n').split(' ').collect();
        let [_, _, _, blob, status] = meta.as_slice() else {
            continue;
        };
        let deleted = status.starts_with('D');
        let path = if status.starts_with('R') || status.starts_with('C') {
            let (Some(old), Some(new)) = (fields.next(), fields.next()) else {
                break;
            };
            if status.starts_with('R') {
                commit
                    .renames
                    .push((PathBuf::from(old), PathBuf::from(new)));
            }
            // A pure move (100 % similar) carries the history along but changes nothing
            // in the EP; a move with edits (a promotion) is a change.
            if *status != "R100" {
                commit.paths.push(PathBuf::from(new));
            }
            PathBuf::from(new)
        } else {
            let Some(path) = fields.next() else { break };
            commit.paths.push(PathBuf::from(path));
            PathBuf::from(path)
        };
        if !deleted {
            commit.blobs.push((path, blob.to_string()));
        }
    }
    Some(commit)
}

/// The state a file's text gives: its top-level `state:` (or KEP `status:`) value, in the
/// front matter of a Markdown file, or at the top level of a YAML sidecar (`sidecar`).
pub(crate) fn state_in(text: &str, sidecar: bool) -> Option<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let yaml = match split_front_matter(text) {
        _ if sidecar => text,
        FrontMatter::Present { yaml, .. } => yaml,
        _ => return None,
    };
    yaml.lines()
        .find_map(|line| {
            let (key, _) = top_level_key(line.trim_end())?;
            (Key::lookup(key) == Some(Key::State)).then(|| {
                let value = line.split_once(':').map_or("", |(_, v)| v);
                let value = value.split(" #").next().unwrap_or(value);
                value.trim().trim_matches(['"', '\'']).to_string()
            })
        })
        .filter(|v| !v.is_empty())
}

/// What git says about one EP.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EpHistory {
    /// Commits that touched the EP's files.
    pub changes: u32,
    /// The date of its oldest commit.
    pub first_commit: Option<Date>,
    /// The date of its newest change: how long it has waited.
    pub last_change: Option<Date>,
    /// `(date, state)` each time a commit changed its state, oldest first.
    pub states: Vec<(Date, String)>,
    /// Its story for its page (the audit trail the process asks for), oldest first.
    pub events: Vec<Event>,
}

/// One thing a commit did to an EP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The commit's date.
    pub date: Date,
    /// The commit's full id.
    pub commit: String,
    /// What happened.
    pub what: What,
    /// The commit's place in the log, newest first: orders events of one day.
    pub(crate) seq: usize,
}

/// What happened to an EP in a commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum What {
    /// Its oldest commit.
    Created,
    /// It entered this state.
    State(String),
    /// Its file moved from `from` to `to` (a draft's promotion, a SIG folder renamed).
    Moved {
        /// Where the file was before, as git names it.
        from: PathBuf,
        /// Where the commit left it.
        to: PathBuf,
    },
}

impl What {
    /// Within one commit: created, then moved, then the state it left.
    fn rank(&self) -> u8 {
        match self {
            What::Created => 0,
            What::Moved { .. } => 1,
            What::State(_) => 2,
        }
    }
}

/// A blob an EP's file had after a commit: when, which, and whether the file is a YAML
/// sidecar (else Markdown with front matter).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Blob {
    pub date: Date,
    pub id: String,
    pub sidecar: bool,
    /// The commit that left it, and its place in the log.
    pub commit: String,
    pub seq: usize,
}

/// The walk down [`LOG`], one commit at a time as git prints it, newest first: each EP's
/// changes, first commit and moves, and the blobs its files had along the main line.
pub(crate) struct Walk {
    /// Which EP a path is (its paths now, then the older names renames reveal).
    owner: HashMap<PathBuf, usize>,
    out: Vec<EpHistory>,
    blobs: Vec<Vec<Blob>>,
    created: Vec<Option<(Date, String, usize)>>,
    /// The main line the book is on: from the newest commit (HEAD) through first parents. A
    /// state set on a branch lands when the branch is merged, so states are read along it.
    /// Children come before parents, so the line's next commit is known before it comes.
    next_on_main_line: Option<String>,
    seq: usize,
}

impl Walk {
    pub(crate) fn new(current: &[Vec<PathBuf>]) -> Walk {
        let mut owner = HashMap::new();
        for (i, paths) in current.iter().enumerate() {
            for p in paths {
                owner.insert(p.clone(), i);
            }
        }
        Walk {
            owner,
            out: vec![EpHistory::default(); current.len()],
            blobs: vec![Vec::new(); current.len()],
            created: vec![None; current.len()],
            next_on_main_line: None,
            seq: 0,
        }
    }

    /// Takes in the next (older) commit; returns the blobs it left for EPs along the main line,
    /// with whether each is a YAML sidecar: the states are read from them. Commits must come
    /// as [`LOG`] prints them, never a parent before its children, or the main line ends early.
    pub(crate) fn step(&mut self, commit: &Commit) -> Vec<(String, bool)> {
        let seq = self.seq;
        self.seq += 1;
        // A merge's entries repeat what its branch's commits changed, which count already.
        let mut touched: Vec<usize> = if commit.merge {
            Vec::new()
        } else {
            commit
                .paths
                .iter()
                .filter_map(|p| self.owner.get(p).copied())
                .collect()
        };
        touched.sort_unstable();
        touched.dedup();
        for i in touched {
            let h = &mut self.out[i];
            h.changes += 1;
            h.first_commit = Some(commit.date);
            h.last_change.get_or_insert(commit.date);
            self.created[i] = Some((commit.date, commit.id.clone(), seq));
        }
        let on_main_line = seq == 0 || self.next_on_main_line.as_ref() == Some(&commit.id);
        let mut left = Vec::new();
        if on_main_line {
            self.next_on_main_line = commit.first_parent.clone();
            for (path, blob) in &commit.blobs {
                if let Some(&i) = self.owner.get(path) {
                    let sidecar = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
                    self.blobs[i].push(Blob {
                        date: commit.date,
                        id: blob.clone(),
                        sidecar,
                        commit: commit.id.clone(),
                        seq,
                    });
                    left.push((blob.clone(), sidecar));
                }
            }
        }
        for (old, new) in &commit.renames {
            if let Some(&i) = self.owner.get(new) {
                self.owner.insert(old.clone(), i);
                // A merge's move is its branch's, told once there.
                if !commit.merge {
                    moved(&mut self.out[i].events, commit, seq, old, new);
                }
            }
        }
        left
    }

    /// Each EP's history (states not yet read) and the blobs its files had, newest first.
    pub(crate) fn finish(self) -> (Vec<EpHistory>, Vec<Vec<Blob>>) {
        let mut out = self.out;
        for (h, first) in out.iter_mut().zip(self.created) {
            if let Some((date, commit, seq)) = first {
                h.events.push(Event {
                    date,
                    commit,
                    what: What::Created,
                    seq,
                });
            }
        }
        (out, self.blobs)
    }
}

/// Records that `commit` moved an EP's file from `old` to `new`, once per commit: an EP with a
/// sidecar (`README.md` and `kep.yaml`) moves both files, and its page tells one move, the
/// Markdown file's.
fn moved(events: &mut Vec<Event>, commit: &Commit, seq: usize, old: &Path, new: &Path) {
    let is_sidecar = |p: &Path| p.extension().is_some_and(|e| e == "yaml" || e == "yml");
    let event = Event {
        date: commit.date,
        commit: commit.id.clone(),
        what: What::Moved {
            from: old.to_path_buf(),
            to: new.to_path_buf(),
        },
        seq,
    };
    let same = events
        .iter_mut()
        .find(|e| e.seq == seq && matches!(e.what, What::Moved { .. }));
    match same {
        None => events.push(event),
        Some(told) => {
            if let What::Moved { from, .. } = &told.what
                && is_sidecar(from)
                && !is_sidecar(old)
            {
                *told = event;
            }
        }
    }
}

/// Each EP's states from the blobs its files had (newest first) and the state each blob
/// gives: oldest first, a commit that leaves the state as it was (an edit, a move) adding
/// nothing.
pub(crate) fn states<K: std::borrow::Borrow<str> + std::hash::Hash + Eq>(
    history: &mut [EpHistory],
    blobs: &[Vec<Blob>],
    state_of: &HashMap<K, Option<String>>,
) {
    for (h, blobs) in history.iter_mut().zip(blobs) {
        for blob in blobs.iter().rev() {
            let Some(Some(state)) = state_of.get(blob.id.as_str()) else {
                continue;
            };
            if h.states.last().is_none_or(|(_, last)| last != state) {
                h.states.push((blob.date, state.clone()));
                h.events.push(Event {
                    date: blob.date,
                    commit: blob.commit.clone(),
                    what: What::State(state.clone()),
                    seq: blob.seq,
                });
            }
        }
        // Oldest commit first (the log is newest first); within a commit, in story order.
        h.events
            .sort_by(|a, b| b.seq.cmp(&a.seq).then(a.what.rank().cmp(&b.what.rank())));
    }
}

/// Every EP's history (in the order of the EPs it was read for) and how complete it is.
#[derive(Clone, Debug, Default)]
pub struct Histories {
    /// Whether git answered, and with all of history.
    pub status: GitStatus,
    /// One per EP; empty without git.
    pub eps: Vec<EpHistory>,
}

/// How complete the history is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GitStatus {
    /// Complete history.
    Full,
    /// A shallow clone: counts would be too low.
    Shallow,
    /// No git, or not a repository.
    #[default]
    Unavailable,
}

/// Reads the history of the EPs whose files are now at `current` (one list per EP, relative to
/// `dir`, the book root): one `git log` of the whole repository, so commits from before a SIG
/// folder, the EP folder or the book itself moved still belong to their EPs, walked as git
/// prints it, and one `git cat-file --batch` beside it for the blobs of the EPs' files, which
/// give their states (except those whose text is in `texts`, the EPs' files as read now).
///
/// Every path is compared as git names it: relative to the repository's top. The EPs' paths are
/// resolved on disk first, so a book in a subfolder, EPs beside the sources and an EP folder
/// that is a symbolic link all name the files git tracks.
pub(crate) fn read(
    dir: &Path,
    current: &[Vec<PathBuf>],
    texts: &[&str],
) -> (GitStatus, Vec<EpHistory>) {
    use crate::io::git::{Objects, each_piece, output};
    let none = || (GitStatus::Unavailable, Vec::new());
    if current.is_empty() || !crate::io::git::in_work_tree(dir).unwrap_or(false) {
        return none();
    }
    // A repository without a commit has no history to read.
    let Ok(Some(head)) = output(dir, &["rev-parse", "--verify", "--quiet", "HEAD"]) else {
        return none();
    };
    // Texts are matched to blobs by git's SHA-1 ids; a repository of SHA-256 ids has none.
    let sha1 = head.len() == 40;
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
    // git prints the log while this walks it; the blobs whose states are wanted are asked of
    // a second git as the log names them, and the texts' ids are computed meanwhile.
    let (walk, state_of) = std::thread::scope(|scope| {
        let hashing = scope.spawn(|| {
            if sha1 {
                blob_ids(texts)
            } else {
                HashMap::new()
            }
        });
        let mut hashing = Some(hashing);
        let mut known: Option<HashMap<String, &str>> = None;
        let mut walk = Walk::new(&current);
        let mut seen: HashSet<String> = HashSet::new();
        let mut state_of: HashMap<String, Option<String>> = HashMap::new();
        // Started at the first blob not in memory: none at all when every EP's file is as
        // committed in a history of one commit.
        let mut objects = None;
        let logged = each_piece(dir, LOG, b'\x01', |piece| {
            let Some(commit) = parse_commit(piece) else {
                return;
            };
            for (id, sidecar) in walk.step(&commit) {
                // Each blob once (a pure move keeps it).
                if !seen.insert(id.clone()) {
                    continue;
                }
                let known = known.get_or_insert_with(|| {
                    hashing
                        .take()
                        .and_then(|h| h.join().ok())
                        .unwrap_or_default()
                });
                if let Some(text) = known.get(&id) {
                    state_of.insert(id, state_in(text, sidecar));
                } else if let Ok(o) = objects.get_or_insert_with(|| {
                    Objects::start(dir, |(id, sidecar): (String, bool), text: &str| {
                        (id, state_in(text, sidecar))
                    })
                }) {
                    // A failed request fails `finish` below.
                    let _ = o.request(&id, (id.clone(), sidecar));
                }
            }
        });
        match objects.map(|o| o.and_then(Objects::finish)) {
            None => {}
            Some(Ok(answers)) => state_of.extend(answers.into_iter().flatten()),
            // Without git's answers the states read from memory alone would date each state
            // at the last commit: no states at all, as without git, rather than wrong ones.
            Some(Err(_)) => state_of.clear(),
        }
        match logged {
            Ok(true) => (walk, state_of),
            _ => (Walk::new(&current), HashMap::new()),
        }
    });
    let (mut history, blobs) = walk.finish();
    states(&mut history, &blobs, &state_of);
    (status, history)
}

/// git's id of each text ([`crate::io::git::blob_id`]): a blob the history wants whose id is
/// among them is that text, and its state is read from it instead of from git. At HEAD that
/// is every unedited EP's Markdown file, the bulk of the bytes (a sidecar's blob is still
/// read). An edited file and a text mdBook changed match nothing, and git is read as before.
fn blob_ids<'t>(texts: &[&'t str]) -> HashMap<String, &'t str> {
    texts
        .iter()
        .map(|text| (crate::io::git::blob_id(text.as_bytes()), *text))
        .collect()
}

/// Every EP's history from git (its file and its sidecar), in the order of `eps`; `root` is
/// the book's folder.
pub(crate) fn of_eps(root: &Path, eps: &[super::ep::Ep]) -> Histories {
    let current: Vec<Vec<PathBuf>> = eps
        .iter()
        .map(|e| vec![e.shown.clone(), e.meta.file.clone()])
        .collect();
    let texts: Vec<&str> = eps.iter().map(|e| e.text.as_str()).collect();
    let (status, eps) = read(root, &current, &texts);
    Histories { status, eps }
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

    /// Parses the output of [`LOG`], newest first.
    fn parse_log(out: &str) -> Vec<Commit> {
        out.split('\u{1}')
            .skip(1)
            .filter_map(parse_commit)
            .collect()
    }

    /// The history of each EP, given the paths it has now (its file and its sidecar): changes and
    /// first commit, and the blobs its files had, newest first (for the states). Renames are
    /// followed backwards, so a promoted draft keeps its earlier commits.
    fn per_ep(current: &[Vec<PathBuf>], commits: &[Commit]) -> (Vec<EpHistory>, Vec<Vec<Blob>>) {
        let mut walk = Walk::new(current);
        for commit in commits {
            walk.step(commit);
        }
        walk.finish()
    }

    /// One file of a commit: its status, the blob it left, its path(s).
    type Entry<'a> = (&'a str, &'a str, &'a [&'a str]);

    /// [`LOG`]'s output for a line of commits, newest first: each one's date and entries.
    fn log(commits: &[(&str, &[Entry<'_>])]) -> String {
        let ids: Vec<String> = (0..commits.len()).map(|i| format!("c{i}")).collect();
        let with: Vec<(&str, &str, String, &[Entry<'_>])> = commits
            .iter()
            .enumerate()
            .map(|(i, (date, entries))| {
                let parent = ids.get(i + 1).cloned().unwrap_or_default();
                (*date, ids[i].as_str(), parent, *entries)
            })
            .collect();
        log_with(&with)
    }

    /// [`LOG`]'s output: each commit's date, id, parents (space-separated) and entries.
    fn log_with(commits: &[(&str, &str, String, &[Entry<'_>])]) -> String {
        let mut out = String::new();
        for (date, id, parents, entries) in commits {
            out.push_str(&format!("\u{1}{date}\0{id}\0{parents}\0\n"));
            for (status, blob, paths) in *entries {
                out.push_str(&format!(
                    ":100644 100644 {} {blob} {status}\0",
                    "0".repeat(40)
                ));
                for p in *paths {
                    out.push_str(p);
                    out.push('\0');
                }
            }
        }
        out
    }

    #[test]
    fn follows_a_draft_into_its_numbered_folder() {
        // Newest first: a pure move of the SIG folder (not a change), the promotion (a move
        // with edits), an edit that keeps the state, the first commit.
        let out = log(&[
            (
                "2026-04-01",
                &[(
                    "R100",
                    "b4",
                    &["eps/old/0001-x/README.md", "eps/a/0001-x/README.md"],
                )],
            ),
            (
                "2026-03-01",
                &[(
                    "R087",
                    "b3",
                    &["eps/old/draft-x.md", "eps/old/0001-x/README.md"],
                )],
            ),
            (
                "2026-02-01",
                &[
                    ("M", "b2", &["eps/old/draft-x.md"]),
                    ("M", "zz", &["eps/old/other.md"]),
                ],
            ),
            ("2026-01-01", &[("A", "b1", &["eps/old/draft-x.md"])]),
        ]);
        let commits = parse_log(&out);
        assert_eq!(commits.len(), 4);
        let (mut h, blobs) = per_ep(&[vec![PathBuf::from("eps/a/0001-x/README.md")]], &commits);
        assert_eq!(h[0].changes, 3);
        assert_eq!(h[0].first_commit, Date::parse("2026-01-01"));
        // The newest change, not the pure move after it.
        assert_eq!(h[0].last_change, Date::parse("2026-03-01"));
        let blob_ids: Vec<&str> = blobs[0].iter().map(|b| b.id.as_str()).collect();
        assert_eq!(blob_ids, ["b4", "b3", "b2", "b1"]);
        let state_of: HashMap<&str, Option<String>> = [
            ("b1", Some("provisional".to_string())),
            ("b2", Some("provisional".to_string())),
            ("b3", Some("implementable".to_string())),
            ("b4", Some("implementable".to_string())),
        ]
        .into_iter()
        .collect();
        states(&mut h, &blobs, &state_of);
        assert_eq!(
            h[0].states,
            [
                (Date::parse("2026-01-01").unwrap(), "provisional".into()),
                (Date::parse("2026-03-01").unwrap(), "implementable".into())
            ]
        );
        // The page's story: oldest first, each with its commit.
        let story: Vec<(&str, String)> = h[0]
            .events
            .iter()
            .map(|e| {
                let what = match &e.what {
                    What::Created => "created".to_string(),
                    What::State(s) => s.clone(),
                    What::Moved { from, .. } => format!("from {}", from.display()),
                };
                (e.commit.as_str(), format!("{} {what}", e.date))
            })
            .collect();
        assert_eq!(
            story,
            [
                ("c3", "2026-01-01 created".to_string()),
                ("c3", "2026-01-01 provisional".to_string()),
                ("c1", "2026-03-01 from eps/old/draft-x.md".to_string()),
                ("c1", "2026-03-01 implementable".to_string()),
                ("c0", "2026-04-01 from eps/old/0001-x/README.md".to_string()),
            ]
        );
    }

    /// A state set on a branch lands when the branch is merged; the branch's edit counts as a
    /// change, the merge that brings it does not.
    #[test]
    fn states_are_read_along_the_first_parents() {
        let ep = "eps/a/0001-x/README.md";
        let out = log_with(&[
            ("2026-03-01", "m", "c2 b1".into(), &[("M", "merged", &[ep])]),
            (
                "2026-02-20",
                "c2",
                "c1".into(),
                &[("M", "other", &["eps/a/0002-y/README.md"])],
            ),
            ("2026-02-10", "b1", "c1".into(), &[("M", "branch", &[ep])]),
            ("2026-01-01", "c1", String::new(), &[("A", "first", &[ep])]),
        ]);
        let commits = parse_log(&out);
        assert!(commits[0].merge && !commits[1].merge);
        assert_eq!(commits[0].first_parent.as_deref(), Some("c2"));
        let (mut h, blobs) = per_ep(&[vec![PathBuf::from(ep)]], &commits);
        assert_eq!(h[0].changes, 2, "the first commit and the branch's edit");
        let ids: Vec<&str> = blobs[0].iter().map(|b| b.id.as_str()).collect();
        assert_eq!(
            ids,
            ["merged", "first"],
            "the branch's blob is not on the main line"
        );
        let state_of: HashMap<&str, Option<String>> = [
            ("first", Some("implementable".to_string())),
            ("branch", Some("implemented".to_string())),
            ("merged", Some("implemented".to_string())),
        ]
        .into_iter()
        .collect();
        states(&mut h, &blobs, &state_of);
        assert_eq!(
            h[0].states,
            [
                (Date::parse("2026-01-01").unwrap(), "implementable".into()),
                (Date::parse("2026-03-01").unwrap(), "implemented".into())
            ]
        );
    }

    /// A KEP moves its `README.md` and its `kep.yaml` together: one move on its page, told at
    /// the branch's commit, not again at the merge that brings it.
    #[test]
    fn a_move_is_told_once() {
        let (old_md, old_yaml) = ("keps/a/1-x/README.md", "keps/a/1-x/kep.yaml");
        let (new_md, new_yaml) = ("keps/b/1-x/README.md", "keps/b/1-x/kep.yaml");
        let out = log_with(&[
            (
                "2026-03-01",
                "m",
                "c1 b1".into(),
                &[
                    ("R100", "y", &[old_yaml, new_yaml]),
                    ("R100", "r", &[old_md, new_md]),
                ],
            ),
            (
                "2026-02-10",
                "b1",
                "c1".into(),
                &[
                    ("R100", "y", &[old_yaml, new_yaml]),
                    ("R100", "r", &[old_md, new_md]),
                ],
            ),
            (
                "2026-01-01",
                "c1",
                String::new(),
                &[("A", "y", &[old_yaml]), ("A", "r", &[old_md])],
            ),
        ]);
        let current = [vec![PathBuf::from(new_md), PathBuf::from(new_yaml)]];
        let (mut h, blobs) = per_ep(&current, &parse_log(&out));
        states(&mut h, &blobs, &HashMap::<&str, _>::new());
        let moves: Vec<(&str, &What)> = h[0]
            .events
            .iter()
            .filter(|e| matches!(e.what, What::Moved { .. }))
            .map(|e| (e.commit.as_str(), &e.what))
            .collect();
        assert_eq!(
            moves,
            [(
                "b1",
                &What::Moved {
                    from: PathBuf::from(old_md),
                    to: PathBuf::from(new_md)
                }
            )]
        );
    }

    #[test]
    fn paths_are_read_as_they_are() {
        let out = log(&[(
            "2026-01-01",
            &[
                ("A", "b1", &["eps/sig a/0001-first try/README.md"]),
                ("A", "b2", &["eps/a/0002-\"quoted\"\tand\\tab/README.md"]),
                ("D", "0000", &["eps/a/gone.md"]),
            ],
        )]);
        let c = &parse_log(&out)[0];
        assert_eq!(
            c.paths,
            [
                "eps/sig a/0001-first try/README.md",
                "eps/a/0002-\"quoted\"\tand\\tab/README.md",
                "eps/a/gone.md"
            ]
            .map(PathBuf::from)
        );
        // A deleted file leaves no blob.
        assert_eq!(c.blobs.len(), 2);
    }

    #[test]
    fn the_state_is_read_from_the_metadata_only() {
        for (text, sidecar, state) in [
            (
                "---\ntitle: X\nstate: implementable # approved\n---\n# X\n",
                false,
                Some("implementable"),
            ),
            (
                "---\nstatus: \"implemented\"\n---\n",
                false,
                Some("implemented"),
            ),
            ("title: X\nstatus: provisional\n", true, Some("provisional")),
            (
                "\u{feff}status: provisional\r\ntitle: X\r\n",
                true,
                Some("provisional"),
            ),
            (
                "\u{feff}---\r\nstate: staged\r\n---\r\n",
                false,
                Some("staged"),
            ),
            // Not in the metadata, nested, or empty: no state.
            ("---\ntitle: X\n---\nstate: in the body\n", false, None),
            ("# A KEP's README\n\nstatus: prose\n", false, None),
            ("---\nnotes:\n  state: nested\n---\n", false, None),
            ("---\nstate:\n---\n", false, None),
        ] {
            assert_eq!(state_in(text, sidecar).as_deref(), state, "{text:?}");
        }
    }
}

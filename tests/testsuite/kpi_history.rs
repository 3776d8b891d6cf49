//! The KPIs against a long, messy history built with `git fast-import`: thousands of commits
//! over two years with edits, state changes, merges, a promoted draft, an EP moved between
//! SIGs, a SIG folder renamed and the whole book moved. The generator knows what each commit
//! did, so the expected figures come from it, not from the code under test; `git log --follow`
//! per EP checks the generator's count against git's own view.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::{Command, Stdio};

use crate::book_test::*;

/// A small deterministic generator (an LCG): the same history on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

const STATES: [&str; 5] = [
    "provisional",
    "implementable",
    "implemented",
    "staged",
    "completed",
];

/// One EP as the generator tracks it.
struct Ep {
    number: u32,
    sig: String,
    /// Its file, relative to the book's source folder.
    path: String,
    state: usize,
    edits: u32,
    created: String,
    /// Commits that changed its file (what `changes` must say).
    changes: u32,
    /// When it became `completed`.
    completed: Option<String>,
}

impl Ep {
    fn text(&self) -> String {
        // Every EP's text is its own, so git pairs each move with the right file.
        let mut body = String::new();
        for i in 0..=self.edits {
            let _ = writeln!(
                body,
                "Paragraph {i} of EP {} says something only EP {} says.",
                self.number, self.number
            );
        }
        format!(
            "---\ntitle: EP number {n}\nnumber: {n}\nauthors: [\"@a\"]\nowning-sig: {sig}\nstate: {state}\ncreation-date: {created}\napprovers: [\"@b\"]\n---\n# EP number {n}\n\n## Summary\n\n{body}",
            n = self.number,
            sig = self.sig,
            state = STATES[self.state],
            created = self.created,
        )
    }
}

/// Writes a fast-import stream into a fresh repository.
struct Repo {
    stream: String,
    mark: u32,
    /// Seconds since 1970 of the next commit.
    time: i64,
    /// The book's folder in the repository.
    book: String,
}

impl Repo {
    fn date(&self) -> String {
        let days = self.time.div_euclid(86_400);
        mdbook_ep::Date::from_unix_days(days).to_string()
    }

    /// One commit on `branch` with `ops` (fast-import file commands), after `from`/`merge`.
    fn commit(&mut self, branch: &str, from: Option<u32>, merge: Option<u32>, ops: &str) -> u32 {
        self.mark += 1;
        let _ = write!(
            self.stream,
            "commit refs/heads/{branch}\nmark :{}\ncommitter T <t@example.org> {} +0000\ndata 1\nx\n",
            self.mark, self.time
        );
        if let Some(f) = from {
            let _ = writeln!(self.stream, "from :{f}");
        }
        if let Some(m) = merge {
            let _ = writeln!(self.stream, "merge :{m}");
        }
        self.stream.push_str(ops);
        self.stream.push('\n');
        self.time += 5 * 3600;
        self.mark
    }

    fn file(&self, rel: &str, text: &str) -> String {
        format!(
            "M 100644 inline {}/{rel}\ndata {}\n{text}\n",
            self.book,
            text.len()
        )
    }
}

#[test]
fn kpis_match_the_generators_count_on_a_long_history() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git_at(root, None, &["init", "-q", "-b", "main"]);
    let mut rng = Lcg(7);
    let mut repo = Repo {
        stream: String::new(),
        mark: 0,
        // 2024-11-25: two years before the pinned day.
        time: 20_052 * 86_400,
        book: "docs".into(),
    };
    let book_toml = "[book]\ntitle = \"History\"\n\n[build]\ncreate-missing = false\n\n[preprocessor.ep]\n\n[preprocessor.ep.rules]\n# A SIG folder renamed leaves `owning-sig` behind: not what this test is about.\nEP0304 = \"allow\"\n\n[preprocessor.ep.kpi]\npi-start = \"2024-11-25\"\npi-weeks = 13\n\n[output.html]\n\n[output.ep]\n";
    let setup = repo.file("book.toml", book_toml)
        + &repo.file("src/SUMMARY.md", "# Summary\n\n- [Intro](intro.md)\n")
        + &repo.file("src/intro.md", "# Intro\n");
    let mut head = repo.commit("main", None, None, &setup);
    let sigs = ["alpha", "beta", "gamma"];
    let mut eps: Vec<Ep> = Vec::new();
    let mut draft: Option<usize> = None;
    for step in 0..2000u32 {
        let ops;
        let roll = rng.below(100);
        if eps.len() < 60 && (eps.is_empty() || roll < 6) {
            // A new EP (one of them a draft, promoted later).
            let number = eps.len() as u32 + 1;
            let sig = sigs[rng.below(3) as usize].to_string();
            let created = repo.date();
            let is_draft = number == 5;
            let path = if is_draft {
                format!("eps/{sig}/draft-{created}-five.md")
            } else {
                format!("eps/{sig}/{number:04}-ep/README.md")
            };
            eps.push(Ep {
                number,
                sig,
                path,
                state: 0,
                edits: 0,
                created,
                changes: 1,
                completed: None,
            });
            if is_draft {
                draft = Some(eps.len() - 1);
            }
            let ep = eps.last().unwrap();
            ops = repo.file(&format!("src/{}", ep.path), &ep.text());
        } else if step == 600 {
            // The draft is promoted: a move with an edit, which is a change.
            let i = draft.take().unwrap();
            let from = eps[i].path.clone();
            eps[i].path = format!("eps/{}/0005-five/README.md", eps[i].sig);
            eps[i].edits += 1;
            eps[i].changes += 1;
            ops = format!("D {}/src/{from}\n", repo.book)
                + &repo.file(&format!("src/{}", eps[i].path), &eps[i].text());
        } else if step == 900 {
            // EP 2 moves to another SIG as it is: no change.
            let i = 1;
            let to_sig = if eps[i].sig == "alpha" {
                "beta"
            } else {
                "alpha"
            };
            let from = eps[i].path.clone();
            eps[i].path = from.replacen(
                &format!("eps/{}/", eps[i].sig),
                &format!("eps/{to_sig}/"),
                1,
            );
            eps[i].sig = to_sig.to_string();
            ops = format!("R {b}/src/{from} {b}/src/{}\n", eps[i].path, b = repo.book);
        } else if step == 1200 {
            // The SIG folder `gamma` is renamed `delta`: no change for its EPs.
            for ep in eps.iter_mut().filter(|e| e.sig == "gamma") {
                ep.path = ep.path.replacen("eps/gamma/", "eps/delta/", 1);
                ep.sig = "delta".into();
            }
            ops = format!("R {b}/src/eps/gamma {b}/src/eps/delta\n", b = repo.book);
        } else if step == 1500 {
            // The whole book moves: no change.
            ops = format!("R {} handbook\n", repo.book);
            repo.book = "handbook".into();
        } else if roll < 10 && eps.len() > 3 {
            // A side branch edits one EP, main edits another, and a merge joins them: the
            // two edits count, the merge does not.
            let (a, b) = (
                rng.below(eps.len() as u64) as usize,
                rng.below(eps.len() as u64) as usize,
            );
            if a == b || draft == Some(a) || draft == Some(b) {
                continue;
            }
            eps[a].edits += 1;
            eps[a].changes += 1;
            let side_ops = repo.file(&format!("src/{}", eps[a].path), &eps[a].text());
            let side = repo.commit("side", Some(head), None, &side_ops);
            eps[b].edits += 1;
            eps[b].changes += 1;
            let main_ops = repo.file(&format!("src/{}", eps[b].path), &eps[b].text());
            let main = repo.commit("main", Some(head), None, &main_ops);
            let merged = repo.file(&format!("src/{}", eps[a].path), &eps[a].text());
            head = repo.commit("main", Some(main), Some(side), &merged);
            continue;
        } else {
            // An edit, sometimes with the next state.
            let i = rng.below(eps.len() as u64) as usize;
            let ep = &mut eps[i];
            ep.edits += 1;
            ep.changes += 1;
            if ep.state < 4 && rng.below(4) == 0 && draft != Some(i) {
                ep.state += 1;
                if ep.state == 4 {
                    ep.completed = Some(repo.date());
                }
            }
            let (path, text) = (eps[i].path.clone(), eps[i].text());
            ops = repo.file(&format!("src/{path}"), &text);
        }
        head = repo.commit("main", Some(head), None, &ops);
    }
    repo.stream.push_str("done\n");
    let mut import = Command::new("git")
        .args(["fast-import", "--quiet", "--done"])
        .current_dir(root)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    import
        .stdin
        .take()
        .unwrap()
        .write_all(repo.stream.as_bytes())
        .unwrap();
    assert!(import.wait().unwrap().success());
    git_at(root, None, &["checkout", "-q", "main"]);
    let commits = Command::new("git")
        .args(["rev-list", "--count", "HEAD"])
        .current_dir(root)
        .output()
        .unwrap();
    let commits: u32 = stdout(&commits).trim().parse().unwrap();
    assert!(commits > 2000, "{commits} commits");

    // git's own view of each EP, one `--follow` per file: the generator's count is right.
    let book = root.join("handbook");
    for ep in &eps {
        let log = Command::new("git")
            .args([
                "log",
                "--follow",
                "-M",
                "--format=%x01",
                "--name-status",
                "--",
            ])
            .arg(format!("src/{}", ep.path))
            .current_dir(&book)
            .output()
            .unwrap();
        let log = stdout(&log);
        let changed = log
            .split('\u{1}')
            .skip(1)
            .filter(|block| !block.lines().any(|l| l.starts_with("R100")))
            .count() as u32;
        assert_eq!(
            changed, ep.changes,
            "git log --follow disagrees for EP {}",
            ep.number
        );
    }

    let built = build(&book);
    built.assert_exit(0);
    let json = built.json("ep/eps.json");
    let by_number: BTreeMap<u64, &serde_json::Value> = json["eps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["number"].as_u64().unwrap(), e))
        .collect();
    assert_eq!(by_number.len(), eps.len());
    for ep in &eps {
        assert_eq!(
            by_number[&u64::from(ep.number)]["changes"],
            ep.changes,
            "EP {}",
            ep.number
        );
    }
    // Created and completed per PI, and the average changes per EP, from the generator.
    let kpi = built.json("ep/kpi.json");
    let increments = kpi["kpi"]["increments"].as_array().unwrap();
    let pi_of = |date: &str| {
        increments.iter().position(|i| {
            i["start"].as_str().unwrap() <= date && date <= i["end"].as_str().unwrap()
        })
    };
    let mut created = vec![0u64; increments.len()];
    let mut completed = vec![0u64; increments.len()];
    for ep in &eps {
        created[pi_of(&ep.created).unwrap()] += 1;
        if let Some(d) = &ep.completed {
            completed[pi_of(d).unwrap()] += 1;
        }
    }
    let got = |key: &str| -> Vec<u64> {
        increments
            .iter()
            .map(|i| i[key].as_u64().unwrap())
            .collect()
    };
    assert_eq!(got("created"), created);
    assert_eq!(got("completed"), completed);
    assert!(
        completed.iter().sum::<u64>() > 0,
        "the history completes some EPs"
    );
    let average = f64::from(eps.iter().map(|e| e.changes).sum::<u32>()) / eps.len() as f64;
    let reported = kpi["kpi"]["changes"]["average"].as_f64().unwrap();
    assert!((reported - average).abs() < 1e-9, "{reported} != {average}");
}

//! Every core, the same result: a book large enough to spread over several workers, built with
//! one worker and with several, gives the same pages, the same diagnostics and the same book
//! JSON, to the byte.

use std::collections::BTreeMap;
use std::path::Path;

use crate::book_test::{BookTest, copy_dir, kep_sample_dir, mdbook_ep_command};

/// The KEP sample twice over (the copy in its own SIG folders, with its own numbers), listed in
/// SUMMARY.md as `summary --write` lists it, its many historic problems recorded in a baseline
/// so that the build runs to the end with every rule on, and committed twice so that History and
/// the KPIs have something to read.
fn large_book() -> BookTest {
    let book = BookTest::kep_sample(
        "# Summary\n\n<!-- ep:summary -->\n<!-- /ep:summary -->\n",
        &[],
    );
    let copy = tempfile::tempdir().unwrap();
    copy_dir(&kep_sample_dir(), copy.path());
    for sig in ["sig-apps", "sig-cli"] {
        for kep in std::fs::read_dir(copy.path().join(sig)).unwrap().flatten() {
            let name = kep.file_name().to_string_lossy().into_owned();
            let Some((number, slug)) = name.split_once('-') else {
                continue;
            };
            let Ok(number) = number.parse::<u32>() else {
                continue;
            };
            let to = book.join(&format!("src/keps/{sig}-copy/{}-{slug}", number + 10_000));
            copy_dir(&kep.path(), &to);
            let yaml = to.join("kep.yaml");
            if let Ok(text) = std::fs::read_to_string(&yaml) {
                let text = text
                    .replacen(
                        &format!("kep-number: {number}"),
                        &format!("kep-number: {}", number + 10_000),
                        1,
                    )
                    .replacen(
                        &format!("owning-sig: {sig}"),
                        &format!("owning-sig: {sig}-copy"),
                        1,
                    );
                std::fs::write(&yaml, text).unwrap();
            }
        }
    }
    book.append_to_book_toml("[preprocessor.ep.kpi]\npi-start = \"2026-01-05\"\npi-weeks = 10\n");
    let ok = |out: std::process::Output| {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    ok(book.run(&["baseline", "--write"]));
    ok(book.run(&["summary", "--write"]));
    book.git(&["init", "-q"])
        .git_at("2026-02-01", &["add", "-A"])
        .git_at("2026-02-01", &["commit", "-q", "-m", "the KEPs"]);
    book.edit("src/keps/sig-cli-copy/11441-kubectl-debug/README.md", |t| {
        format!("{t}\nA later edit.\n")
    });
    book.git_at("2026-03-01", &["commit", "-q", "-am", "an edit"]);
    book
}

/// Every file of a site, by path.
fn files(site: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(site).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// `mdbook-ep ARGS` in the book with `jobs` workers.
fn run(book: &BookTest, jobs: &str, args: &[&str]) -> std::process::Output {
    book.command(args)
        .env("MDBOOK_EP_JOBS", jobs)
        .output()
        .unwrap()
}

/// The book built with `jobs` workers: every file of its site, and what the build printed.
fn site(book: &BookTest, jobs: &str) -> (BTreeMap<String, Vec<u8>>, String) {
    let dest = tempfile::tempdir().unwrap();
    let out = run(book, jobs, &["build", "-d", dest.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // The site's folder is named in the last line; the rest must match.
    let stderr = stderr.replace(dest.path().to_str().unwrap(), "<site>");
    (files(dest.path()), stderr)
}

#[test]
fn one_worker_and_many_build_the_same_book() {
    let book = large_book();
    let site = |jobs: &str| site(&book, jobs);
    let run = |jobs: &str, args: &[&str]| run(&book, jobs, args);
    let (one, one_stderr) = site("1");
    assert!(one.len() > 150, "{} files", one.len());
    let page = one
        .keys()
        .find(|p| p.ends_with("11441-kubectl-debug/index.html"))
        .expect("the edited KEP's page");
    let text = String::from_utf8_lossy(&one[page]);
    assert!(text.contains("History"), "the page shows its history");
    let (many, many_stderr) = site("4");
    assert_eq!(one_stderr, many_stderr);
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        many.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(
            many[path] == *bytes,
            "{path} differs between one worker and four"
        );
    }
    let check = |jobs: &str| String::from_utf8(run(jobs, &["check", "--format", "json"]).stdout);
    let report = check("1").unwrap();
    assert!(report.contains("\"held-back\": 2"), "{report}");
    assert_eq!(report, check("3").unwrap());
}

#[test]
fn a_bad_worker_count_is_refused_by_name() {
    let book = BookTest::kep_sample("# Summary\n", &[]);
    let out = mdbook_ep_command()
        .args(["check"])
        .current_dir(book.path())
        .env("MDBOOK_EP_JOBS", "zero")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("EP0001") && err.contains("MDBOOK_EP_JOBS"),
        "{err}"
    );
}

/// Each EP's History and the dashboard's KPIs come out the same whether a state is read from
/// the text in memory (a file as committed) or from git (the same commits, every file since
/// edited on disk): on the KEP sample, with its sidecars, two commits and an edited KEP.
#[test]
fn history_from_memory_is_history_from_git() {
    let book = large_book();
    // Every EP page's History, and the dashboard.
    let stories = |site: &BTreeMap<String, Vec<u8>>| -> BTreeMap<String, String> {
        site.iter()
            .filter(|(p, _)| p.ends_with("/index.html") || p.ends_with("dashboard.html"))
            .filter_map(|(p, bytes)| {
                let page = String::from_utf8_lossy(bytes);
                let part = match page.find("<details class=\"ep-history\">") {
                    Some(start) => {
                        let end = start + page[start..].find("</details>")?;
                        page[start..end].to_string()
                    }
                    None if p.ends_with("dashboard.html") => page.into_owned(),
                    None => return None,
                };
                Some((p.clone(), part))
            })
            .collect()
    };
    let (committed, _) = site(&book, "2");
    let from_memory = stories(&committed);
    assert!(from_memory.len() > 100, "{} pages", from_memory.len());
    // An edit git has not seen: no file's text is any blob's, so every state comes from git.
    for readme in walkdir::WalkDir::new(book.path().join("src/keps"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "README.md")
    {
        let text = std::fs::read_to_string(readme.path()).unwrap();
        std::fs::write(readme.path(), format!("{text}\n")).unwrap();
    }
    let (edited, _) = site(&book, "2");
    assert_eq!(stories(&edited), from_memory);
}

//! Every `console` block in the README and the book is a shell session that
//! [trycmd](https://docs.rs/trycmd) runs, command by command, comparing what each prints (and its
//! exit status, `? N`) with the page. A `<!-- trycmd: START -->` line before the block names the
//! book it runs in, each block in a fresh copy; a block without one fails the test. Sessions
//! elsewhere (the adoption guide, the README's quick start and walk, the CI files) have their
//! own tests, since they edit files between commands.

use std::path::{Path, PathBuf};

use crate::book_test::*;

/// The pages with sessions: the README and every Markdown file of the book.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![repo().join("README.md")];
    let mut stack = vec![repo().join("book")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                pages.push(path);
            }
        }
    }
    pages.sort();
    pages
}

/// The console blocks of a page, each with the starting point its marker names.
fn sessions(page: &str) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    let mut marker = None;
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        if let Some(start) = line
            .strip_prefix("<!-- trycmd: ")
            .and_then(|l| l.strip_suffix(" -->"))
        {
            marker = Some(start.to_string());
        } else if line == "```console" {
            let mut block = String::new();
            for l in lines.by_ref().take_while(|l| *l != "```") {
                block.push_str(l);
                block.push('\n');
            }
            out.push((marker.take(), block));
        } else if !line.trim().is_empty() {
            marker = None;
        }
    }
    out
}

/// Makes the starting point a session names in `dir`.
fn start(name: &str, dir: &Path) {
    match name {
        // The project's own book, committed in a fresh repository.
        "the demo book" => {
            copy_dir(&repo().join("book"), &dir.join("book"));
            write(&dir.join("book.toml"), read(&repo().join("book.toml")));
            git_at(dir, None, &["init", "-q"]);
            git_at(dir, None, &["add", "-A"]);
            git_at(
                dir,
                Some("2026-11-01"),
                &["commit", "-q", "-m", "the demo book"],
            );
        }
        other => panic!("unknown trycmd starting point `{other}`"),
    }
}

#[test]
fn console_sessions_in_the_docs_run_as_shown() {
    let scratch = tempfile::tempdir().unwrap();
    let cases = trycmd::TestCases::new();
    cases
        .env("MDBOOK_EP_TODAY", TODAY)
        .env("NO_COLOR", "1")
        // `list` fits a terminal's width; the sessions show whole titles.
        .env("COLUMNS", "")
        .register_bin("mdbook-ep", bin())
        .register_bin("git", PathBuf::from("git"));
    let mut count = 0;
    for page in pages() {
        let rel = page.strip_prefix(repo()).unwrap().display().to_string();
        for (n, (marker, block)) in sessions(&read(&page)).into_iter().enumerate() {
            let marker = marker.unwrap_or_else(|| {
                panic!("{rel}: console block {n} has no `<!-- trycmd: ... -->` line before it")
            });
            let name = format!("{}-{n}", rel.replace(['/', '.'], "_"));
            let case = scratch.path().join(format!("{name}.md"));
            write(&case, format!("```console\n{block}```\n"));
            start(&marker, &scratch.path().join(format!("{name}.in")));
            cases.case(&case);
            count += 1;
        }
    }
    assert!(count >= 3, "only {count} sessions found");
    cases.run();
}

/// Every `sh` block of the README and the book is run by a test, or is a synopsis whose
/// commands and flags the binary has. Blocks run elsewhere: the adoption guide (its own test,
/// section by section), the README's five-minute path and its walk from draft to completed,
/// and any block after a `<!-- test: ... -->` line. In the others, each `mdbook-ep` line names
/// a subcommand and flags that `mdbook-ep SUB --help` lists, so a renamed flag fails here.
/// Lines that build or test this project with `cargo` are what `.ci/run` itself runs.
#[test]
fn every_shell_block_is_run_or_its_flags_exist() {
    let run_elsewhere = [
        "## Five minutes: a first EP in your book",
        "## An EP from draft to completed",
    ];
    let mut checked = 0;
    for page in pages() {
        let rel = page.strip_prefix(repo()).unwrap().display().to_string();
        if rel == "book/guide/adoption.md" {
            continue;
        }
        let text = read(&page);
        let mut heading = "";
        let mut previous = "";
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if line.starts_with('#') && !line.starts_with("#!") {
                heading = line;
            }
            if line != "```sh" {
                if !line.trim().is_empty() {
                    previous = line;
                }
                continue;
            }
            let block: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            if previous.starts_with("<!-- test: ") || run_elsewhere.contains(&heading) {
                continue;
            }
            for command in block.iter().map(|l| l.split(" #").next().unwrap().trim()) {
                let Some(args) = command.strip_prefix("mdbook-ep ") else {
                    assert!(
                        command.is_empty()
                            || command.starts_with('#')
                            || command.starts_with("cargo "),
                        "{rel}: `{command}` is neither run by a test nor an mdbook-ep synopsis"
                    );
                    continue;
                };
                let words: Vec<&str> = args.split_whitespace().collect();
                let sub = words[0];
                let help = mdbook_ep_command().args([sub, "--help"]).output().unwrap();
                assert!(
                    help.status.success(),
                    "{rel}: `mdbook-ep {sub}` is not a command"
                );
                let help = stdout(&help);
                for flag in words.iter().filter_map(|w| {
                    let w = w.trim_matches(|c| c == '[' || c == ']');
                    w.starts_with("--")
                        .then(|| w.split(['=', '|', ']']).next().unwrap())
                }) {
                    // The whole flag: `--add` is not `--add-new`.
                    let listed = help.match_indices(flag).any(|(i, _)| {
                        !help[i + flag.len()..]
                            .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-')
                    });
                    assert!(
                        listed,
                        "{rel}: `mdbook-ep {sub}` has no `{flag}` (in `{command}`)"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 15, "only {checked} synopsis lines checked");
}

/// The fenced blocks of a language in a page, each with the line before it.
fn blocks<'a>(page: &'a str, lang: &str) -> Vec<(&'a str, String)> {
    let fence = format!("```{lang}");
    let mut out = Vec::new();
    let mut previous = "";
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        if line == fence {
            let block: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            out.push((previous, block.join("\n") + "\n"));
        } else if !line.trim().is_empty() {
            previous = line;
        }
    }
    out
}

/// Every TOML and YAML snippet of the README and the book parses; every TOML snippet that
/// configures mdbook-ep is accepted by `check` as the `book.toml` of a book, except the ones
/// marked `<!-- test: invalid -->`, which show a wrong value and must be refused (exit 2).
#[test]
fn every_toml_and_yaml_snippet_parses_and_configures_a_book() {
    let mut configured = 0;
    for page in pages() {
        let rel = page.strip_prefix(repo()).unwrap().display().to_string();
        let text = read(&page);
        for (_, yaml) in blocks(&text, "yaml") {
            if yaml.starts_with("{{#include") {
                continue;
            }
            let body = yaml.trim_start_matches("---\n").replace("\n---\n", "\n");
            serde_yaml::from_str::<serde_yaml::Value>(&body)
                .unwrap_or_else(|e| panic!("{rel}: a YAML snippet does not parse: {e}\n{yaml}"));
        }
        for (before, snippet) in blocks(&text, "toml") {
            let parsed: toml::Table = toml::from_str(&snippet)
                .unwrap_or_else(|e| panic!("{rel}: a TOML snippet does not parse: {e}\n{snippet}"));
            let configures = parsed
                .get("preprocessor")
                .and_then(|p| p.get("ep"))
                .is_some();
            if !configures {
                continue;
            }
            let book = BookTest::empty();
            let toml = if parsed.contains_key("book") {
                snippet.clone()
            } else {
                format!("[book]\ntitle = \"x\"\n\n{snippet}")
            };
            let src = parsed
                .get("book")
                .and_then(|b| b.get("src"))
                .and_then(|s| s.as_str())
                .unwrap_or("src");
            book.write("book.toml", &toml)
                .write(&format!("{src}/SUMMARY.md"), "# Summary\n\n- [A](a.md)\n")
                .write(&format!("{src}/a.md"), "# A\n")
                .git(&["init", "-q"]);
            let out = book.run(&["check"]);
            if before == "<!-- test: invalid -->" {
                assert_eq!(out.status.code(), Some(2), "{rel}: accepted:\n{snippet}");
                assert!(
                    stderr(&out).contains("error[EP0001]"),
                    "{rel}: {}",
                    stderr(&out)
                );
            } else {
                assert_ne!(
                    out.status.code(),
                    Some(2),
                    "{rel}: refused:\n{snippet}\n{}",
                    stderr(&out)
                );
            }
            configured += 1;
        }
    }
    assert!(configured >= 10, "only {configured} configuration snippets");
}

//! A generator of large synthetic EP books for benchmarks: many SIGs, every state, links
//! between EPs, drafts, and bodies shaped like real EPs (sections, lists, code, tables).

use std::path::Path;

const STATES: [&str; 9] = [
    "provisional",
    "implementable",
    "implemented",
    "staged",
    "completed",
    "deferred",
    "rejected",
    "withdrawn",
    "provisional",
];

pub(crate) const TEMPLATE: &str = "# EP-NNNN: Title\n\n## Summary\n\n## Motivation\n\n### Goals\n\n## Proposal\n\n## Design Details\n<!-- required-from: implementable -->\n\n## Test Plan\n<!-- required-from: implementable -->\n\n## Drawbacks\n\n## Alternatives\n";

/// The text of EP number `n` of a book with `total` EPs.
pub(crate) fn ep_text(n: usize, total: usize, sig: &str) -> String {
    let state = STATES[n % STATES.len()];
    let see_also = if n > 1 {
        format!("see-also: [{}]\n", (n * 7) % (n - 1) + 1)
    } else {
        String::new()
    };
    let mut body = String::new();
    for section in [
        "Summary",
        "Motivation",
        "Proposal",
        "Design Details",
        "Test Plan",
        "Drawbacks",
        "Alternatives",
    ] {
        body.push_str(&format!("## {section}\n\n"));
        for p in 0..4 {
            body.push_str(&format!(
                "Paragraph {p} of EP {n} of {total}: *emphasis*, `code`, a [link](https://example.org/{n}) \
                 and enough words to resemble a real proposal that someone had to read and review.\n\n"
            ));
        }
        if section == "Motivation" {
            body.push_str(
                "### Goals\n\n- first goal\n- second goal\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n",
            );
        }
        if section == "Design Details" {
            body.push_str("```rust\nfn main() {\n    println!(\"## not a heading\");\n}\n```\n\n");
        }
    }
    format!(
        "---\ntitle: Synthetic proposal {n}\nnumber: {n}\nauthors: [\"@author{a}\"]\nowning-sig: {sig}\nstate: {state}\n\
         creation-date: 2025-0{m}-1{d}\nlast-updated: 2026-0{m}-1{d}\nreviewers: [\"@r{a}\"]\napprovers: [\"@lead{a}\"]\n{see_also}---\n{body}",
        a = n % 50,
        m = n % 9 + 1,
        d = n % 9,
    )
}

/// Writes a book of `total` numbered EPs over 12 SIGs into `root`.
pub(crate) fn write_book(root: &Path, total: usize) {
    let src = root.join("src");
    std::fs::create_dir_all(src.join("eps/template")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"synthetic\"\n\n[build]\ncreate-missing = false\n\n[preprocessor.ep]\n",
    )
    .unwrap();
    std::fs::write(src.join("SUMMARY.md"), "# Summary\n").unwrap();
    std::fs::write(src.join("eps/template/README.md"), TEMPLATE).unwrap();
    for n in 1..=total {
        let sig = format!("sig-{:02}", n % 12);
        let dir = src.join(format!("eps/{sig}/{n:04}-synthetic-{n}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("README.md"), ep_text(n, total, &sig)).unwrap();
    }
}

/// Turns the book in `root` into a git repository whose history gives each of its `total` EPs
/// `commits` commits (one EP per commit, state lines moving along the lifecycle), written with
/// `git fast-import` so ten thousand commits take seconds.
pub(crate) fn write_history(root: &Path, total: usize, commits: usize) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let run = |args: &[&str]| {
        let ok = Command::new("git")
            .args(args)
            .current_dir(root)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "git {args:?}");
    };
    run(&["init", "-q"]);
    let mut stream = Vec::new();
    let states = [
        "provisional",
        "implementable",
        "implemented",
        "staged",
        "completed",
    ];
    let mut time = 1_767_225_600u64; // 2026-01-01
    for round in 0..commits {
        for n in 1..=total {
            let sig = format!("sig-{:02}", n % 12);
            let path = format!("src/eps/{sig}/{n:04}-synthetic-{n}/README.md");
            let state = states[(round * states.len() / commits.max(1)).min(states.len() - 1)];
            let text = ep_text(n, total, &sig).replacen(
                &format!("state: {}", STATES[n % STATES.len()]),
                &format!("state: {state}"),
                1,
            ) + &format!("\nRevision {round}.\n");
            time += 60;
            let msg = format!("EP {n} round {round}");
            write!(stream, "commit refs/heads/main\ncommitter t <t@example.org> {time} +0000\ndata {}\n{msg}\nM 100644 inline {path}\ndata {}\n{text}\n", msg.len(), text.len()).unwrap();
        }
    }
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(root)
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import");
    child.stdin.take().unwrap().write_all(&stream).unwrap();
    assert!(child.wait().unwrap().success());
    run(&["reset", "-q", "--hard", "main"]);
    run(&["checkout", "-q", "main"]);
}

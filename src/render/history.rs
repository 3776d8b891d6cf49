//! An EP's story on its page: when it was created, each state it entered, its promotion from
//! draft and other moves, each with its commit — the audit trail the process asks for, from the
//! same git read the KPIs use. Folded under the header so it never pushes the text down. Only
//! for a full history: a shallow clone's oldest commit would read as every EP's creation.

use std::fmt::Write as _;
use std::path::Path;

use super::escape::{html, url_segment};
use super::header::badge;
use crate::model::State;
use crate::read::history::{EpHistory, Event, What};
use crate::text::count;

/// How many hex digits of a commit id a reader sees, as `git log --oneline` shows them.
const SHORT: usize = 7;

/// The "History" disclosure, or `None` when git knows nothing of the EP (not committed yet).
pub(crate) fn section(h: &EpHistory, commit_url: Option<&str>) -> Option<String> {
    let first = h.events.first()?;
    let mut out = format!(
        "<details class=\"ep-history\">\n<summary>History: {} since {}</summary>\n<ol>\n",
        count(h.changes as usize, "change", "changes"),
        first.date
    );
    // One line per commit, its events in story order.
    let mut events = h.events.iter().peekable();
    let mut told = 0;
    while let Some(e) = events.next() {
        let mut what = vec![describe(e)];
        while let Some(next) = events.next_if(|n| n.commit == e.commit) {
            what.push(describe(next));
        }
        told += 1;
        let _ = writeln!(
            out,
            "<li><time datetime=\"{d}\">{d}</time> {} {}</li>",
            what.join(", "),
            commit(&e.commit, commit_url),
            d = e.date,
        );
    }
    out.push_str("</ol>\n");
    // The count is of every change; the list only of the ones that made the story.
    if h.changes as usize > told {
        out.push_str("<p><small>The other changes edited its text.</small></p>\n");
    }
    out.push_str("</details>");
    Some(out)
}

fn describe(e: &Event) -> String {
    match &e.what {
        What::Created => "created".to_string(),
        What::State(s) => match State::parse(s) {
            Some(state) => format!("became {}", badge(state)),
            None => format!("state set to <code>{}</code>", html(s)),
        },
        What::Moved { from, to } => {
            // Numbered: a draft's file became a numbered EP's; a draft moved to another SIG is
            // still a draft.
            let verb = if is_draft(from) && !is_draft(to) {
                "numbered from draft"
            } else {
                "moved from"
            };
            format!("{verb} <code>{}</code>", html(&from.to_string_lossy()))
        }
    }
}

fn is_draft(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("draft-"))
}

/// The commit's short id, linked when the book says where commits are shown.
fn commit(id: &str, url: Option<&str>) -> String {
    let short = html(id.get(..SHORT).unwrap_or(id));
    match url {
        Some(url) => format!(
            "<a href=\"{}\" title=\"Commit {}\"><code>{short}</code></a>",
            html(&url.replace("{}", &url_segment(id))),
            html(id)
        ),
        None => format!("<code title=\"Commit {}\">{short}</code>", html(id)),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::model::Date;

    fn event(date: &str, commit: &str, what: What) -> Event {
        Event {
            date: Date::parse(date).unwrap(),
            commit: commit.to_string(),
            what,
            seq: 0,
        }
    }

    fn moved(from: &str, to: &str) -> What {
        What::Moved {
            from: PathBuf::from(from),
            to: PathBuf::from(to),
        }
    }

    #[test]
    fn one_line_per_commit_with_its_events_in_order() {
        let id = "0123456789abcdef0123456789abcdef01234567";
        let h = EpHistory {
            changes: 3,
            events: vec![
                event("2026-01-10", id, What::Created),
                event("2026-01-10", id, What::State("provisional".into())),
                event(
                    "2026-04-02",
                    "fedcba9876543210",
                    moved("eps/a/draft-2026-01-10-x.md", "eps/a/0008-x/README.md"),
                ),
                event(
                    "2026-05-01",
                    "aaaaaaaaaaaa",
                    What::State("implementd".into()),
                ),
            ],
            ..EpHistory::default()
        };
        let out = section(&h, Some("https://git.example.org/r/commit/{}")).unwrap();
        assert!(out.starts_with(
            "<details class=\"ep-history\">\n<summary>History: 3 changes since 2026-01-10</summary>"
        ));
        let lines: Vec<&str> = out.lines().filter(|l| l.starts_with("<li>")).collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert!(lines[0].contains("created, became <span class=\"ep-badge ep-state-provisional\""));
        assert!(lines[0].contains(&format!(
            "<a href=\"https://git.example.org/r/commit/{id}\" title=\"Commit {id}\"><code>0123456</code></a>"
        )));
        assert!(lines[1].contains("numbered from draft <code>eps/a/draft-2026-01-10-x.md</code>"));
        // A state the lifecycle does not know is shown as written, escaped.
        assert!(lines[2].contains("state set to <code>implementd</code>"));
        assert!(!out.contains("other changes"), "three changes, three lines");
    }

    #[test]
    fn moves_drafts_escaping_and_untold_edits() {
        let h = EpHistory {
            changes: 4,
            events: vec![
                event("2026-01-10", "c1", What::Created),
                event(
                    "2026-02-01",
                    "c2",
                    moved("eps/a/draft-2026-01-10-x.md", "eps/b/draft-2026-01-10-x.md"),
                ),
                event(
                    "2026-03-01",
                    "c3",
                    moved("eps/a/0001-<x>/README.md", "eps/b/0001-x/README.md"),
                ),
            ],
            ..EpHistory::default()
        };
        let out = section(&h, None).unwrap();
        // A draft moved to another SIG is still a draft.
        assert!(
            out.contains("moved from <code>eps/a/draft-2026-01-10-x.md</code>"),
            "{out}"
        );
        assert!(
            out.contains("moved from <code>eps/a/0001-&lt;x&gt;/README.md</code>"),
            "{out}"
        );
        assert!(out.contains("<code title=\"Commit c1\">c1</code>"), "{out}");
        assert!(out.contains("The other changes edited its text."), "{out}");
        assert_eq!(section(&EpHistory::default(), None), None);
    }
}

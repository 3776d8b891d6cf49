//! An EP's story on its page: when it was created, each state it entered, its promotion from
//! draft and other moves, each with its commit — the audit trail the process asks for, from the
//! same git read the KPIs use. Folded under the header so it never pushes the text down.

use std::fmt::Write as _;

use super::escape::{html, url_segment};
use super::header::badge;
use super::index::count;
use crate::model::State;
use crate::read::history::{EpHistory, Event, GitStatus, What};

/// How many hex digits of a commit id a reader sees, as `git log --oneline` shows them.
const SHORT: usize = 7;

/// The "History" disclosure, or `None` when git knows nothing of the EP (not committed yet).
pub(crate) fn section(h: &EpHistory, git: GitStatus, commit_url: Option<&str>) -> Option<String> {
    let first = h.events.first()?;
    let mut out = format!(
        "<details class=\"ep-history\">\n<summary>History: {} since {}</summary>\n<ol>\n",
        count(h.changes as usize, "change", "changes"),
        first.date
    );
    // One line per commit, its events in story order.
    let mut events = h.events.iter().peekable();
    while let Some(e) = events.next() {
        let mut what = vec![describe(e)];
        while let Some(next) = events.next_if(|n| n.commit == e.commit) {
            what.push(describe(next));
        }
        let _ = writeln!(
            out,
            "<li><time datetime=\"{d}\">{d}</time> {} {}</li>",
            what.join(", "),
            commit(&e.commit, commit_url),
            d = e.date,
        );
    }
    out.push_str("</ol>\n");
    if git == GitStatus::Shallow {
        out.push_str(
            "<p><small>This book was built from a shallow clone: older commits are missing.</small></p>\n",
        );
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
        What::Moved { from } => {
            let from = from.to_string_lossy();
            let draft = from
                .rsplit('/')
                .next()
                .is_some_and(|name| name.starts_with("draft-"));
            let verb = if draft {
                "numbered from draft"
            } else {
                "moved from"
            };
            format!("{verb} <code>{}</code>", html(&from))
        }
    }
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

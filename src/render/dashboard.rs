//! The "Dashboard" chapter: the process KPIs as tables and an inline SVG chart. No JavaScript;
//! the chart uses the theme's own colours (CSS variables, `currentColor`), so it reads in all
//! five mdBook themes, and carries a title and text labels for screen readers.

use std::fmt::Write as _;

use super::Directory;
use super::escape::{html, relative_href};
use super::header::badge;
use crate::kpi::{IncrementFigures, Kpis, SigKpis, Spread};
use crate::model::State;
use crate::read::config::EpConfig;
use crate::read::ep::Ep;
use crate::read::history::GitStatus;

/// What the change counts mean, said where they are shown.
const CHANGE: &str = "A change is a commit that modified the EP's file or its metadata file, \
    across renames; a pure move and a merge are not changes.";

fn number(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_string(), |x| format!("{x:.1}"))
}

fn spread_cells(s: &Option<Spread>) -> String {
    match s {
        Some(s) => format!(
            "<td>{}</td><td>{}</td>",
            number(s.average),
            number(s.median)
        ),
        None => "<td>n/a</td><td>n/a</td>".to_string(),
    }
}

/// The table of `increments`: dates, EPs created and completed, changes per EP created then.
pub(crate) fn increments_table<'a>(
    out: &mut String,
    increments: impl Iterator<Item = &'a IncrementFigures>,
) {
    out.push_str("<div class=\"table-wrapper\"><table class=\"ep-index\">\n<thead>\n<tr><th scope=\"col\">Increment</th><th scope=\"col\">From</th><th scope=\"col\">To</th><th scope=\"col\">Created</th><th scope=\"col\">Completed</th><th scope=\"col\">Average changes</th><th scope=\"col\">Median changes</th></tr>\n</thead>\n<tbody>\n");
    for inc in increments {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{}</tr>",
            html(&inc.name),
            inc.start,
            inc.end,
            inc.created,
            inc.completed,
            spread_cells(&inc.changes)
        );
    }
    out.push_str("</tbody>\n</table></div>\n\n");
}

/// A SIG's own KPIs on its page: the increments in which it created or completed an EP, and
/// changes per EP.
pub(crate) fn sig_section(out: &mut String, name: &str, kpis: &SigKpis) {
    let _ = writeln!(out, "## KPIs of {}\n", html(name));
    let active: Vec<&IncrementFigures> = kpis
        .increments
        .iter()
        .filter(|i| i.created > 0 || i.completed > 0)
        .collect();
    if active.is_empty() {
        out.push_str("No EP of this SIG was created or completed in a planning increment yet.\n\n");
    } else {
        out.push_str("The planning increments in which this SIG created or completed EPs (the Dashboard has every increment and the whole book):\n\n");
        increments_table(out, active.into_iter());
    }
    if let Some(all) = &kpis.changes {
        let _ = writeln!(
            out,
            "Changes per EP over its {} EPs: average {}, median {}.\n",
            all.count,
            number(all.average),
            number(all.median)
        );
    }
}

/// A grouped bar chart of EPs created and completed per increment.
pub(crate) fn chart(kpis: &Kpis) -> String {
    let incs = &kpis.increments;
    let max = incs
        .iter()
        .map(|i| i.created.max(i.completed))
        .max()
        .unwrap_or(0)
        .max(1);
    let (bar, gap, height, top, bottom) = (18usize, 22usize, 160usize, 20usize, 40usize);
    let group = 2 * bar + gap;
    let width = 40 + incs.len().max(1) * group;
    let plot = height - top - bottom;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"ep-chart\" role=\"img\" aria-labelledby=\"ep-chart-title\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">\
<title id=\"ep-chart-title\">EPs created and completed per planning increment</title>"
    );
    for (n, inc) in incs.iter().enumerate() {
        let x = 30 + n * group;
        for (k, (value, style, what)) in [
            (inc.created, "fill: var(--links)", "created"),
            (
                inc.completed,
                "fill: currentColor; fill-opacity: 0.55",
                "completed",
            ),
        ]
        .into_iter()
        .enumerate()
        {
            let h = value * plot / max;
            let bx = x + k * bar;
            let by = top + plot - h;
            let _ = write!(
                out,
                "<rect x=\"{bx}\" y=\"{by}\" width=\"{}\" height=\"{h}\" style=\"{style}\"><title>{}: {value} {what}</title></rect>\
<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"currentColor\">{value}</text>",
                bar - 2,
                html(&inc.name),
                bx + bar / 2 - 1,
                by.saturating_sub(3).max(10)
            );
        }
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"currentColor\">{}</text>",
            x + bar,
            top + plot + 16,
            html(&inc.name)
        );
    }
    let _ = write!(
        out,
        "<rect x=\"30\" y=\"{y}\" width=\"10\" height=\"10\" style=\"fill: var(--links)\"/><text x=\"44\" y=\"{ty}\" font-size=\"11\" fill=\"currentColor\">created</text>\
<rect x=\"110\" y=\"{y}\" width=\"10\" height=\"10\" style=\"fill: currentColor; fill-opacity: 0.55\"/><text x=\"124\" y=\"{ty}\" font-size=\"11\" fill=\"currentColor\">completed</text></svg>",
        y = height - 14,
        ty = height - 5
    );
    out
}

/// The dashboard page, linked relative to `here`: one section per view of the KPIs.
pub(crate) fn page(
    kpis: &Kpis,
    eps: &[&Ep],
    here: &str,
    dir: &Directory<'_>,
    cfg: &EpConfig,
) -> String {
    let mut out = String::from("# Dashboard\n\n");
    out.push_str(history_note(kpis.git));
    per_increment(&mut out, kpis);
    by_state(&mut out, kpis, eps);
    by_sig(&mut out, eps, cfg);
    oldest_open(&mut out, kpis, eps, here, dir);
    out
}

/// Says when the history behind the figures is incomplete.
fn history_note(git: GitStatus) -> &'static str {
    match git {
        GitStatus::Full => "",
        GitStatus::Shallow => {
            "> [!WARNING]\n> This book was built from a shallow clone: change counts and completion dates are too low. Fetch the full history (`git fetch --unshallow`, or `fetch-depth: 0` in `actions/checkout`).\n\n"
        }
        GitStatus::Unavailable => {
            "> [!NOTE]\n> No git history was available: changes per EP are not shown, and completion dates come from `last-updated`.\n\n"
        }
    }
}

/// The chart and table of EPs created and completed per increment, and changes per EP.
fn per_increment(out: &mut String, kpis: &Kpis) {
    out.push_str("## Per planning increment\n\n");
    if kpis.increments.is_empty() {
        out.push_str("No planning increment has started yet.\n\n");
    } else {
        // A long history is wider than the page: the chart scrolls in its own box (focusable,
        // so a keyboard can scroll it too) and the table below stays complete.
        out.push_str(
            "<div class=\"ep-chart-box\" style=\"overflow-x: auto\" tabindex=\"0\" role=\"group\" aria-label=\"EPs per planning increment, scrollable\">",
        );
        out.push_str(&chart(kpis));
        out.push_str("</div>");
        out.push_str("\n\n");
        increments_table(out, kpis.increments.iter());
    }
    if let Some(all) = &kpis.changes {
        let _ = writeln!(
            out,
            "Changes per EP over all {} EPs: average {}, median {}. {CHANGE}\n",
            all.count,
            number(all.average),
            number(all.median)
        );
    }
}

/// How many EPs are in each state, and how long EPs stay there.
fn by_state(out: &mut String, kpis: &Kpis, eps: &[&Ep]) {
    out.push_str("## By state\n\n");
    // "–" alone would read as zero days or as a fault; say what it means.
    out.push_str(if kpis.git == GitStatus::Unavailable {
        "Days in a state come from git history, which this build did not have: the column shows \"–\".\n\n"
    } else {
        "Days in a state are measured from git history, for stays that have ended; \"–\" means no EP has left that state yet.\n\n"
    });
    out.push_str("<div class=\"table-wrapper\"><table class=\"ep-index\">\n<thead>\n<tr><th scope=\"col\">State</th><th scope=\"col\">EPs</th><th scope=\"col\">Median days in state</th></tr>\n</thead>\n<tbody>\n");
    for s in State::ALL {
        let n = eps.iter().filter(|e| e.state() == Some(s)).count();
        let days = kpis
            .days_in_state
            .iter()
            .find(|d| d.state == s)
            .map_or_else(
                || "–".to_string(),
                |d| format!("{:.0} ({} stays)", d.median_days, d.stays),
            );
        if n > 0 || days != "–" {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{n}</td><td>{days}</td></tr>",
                badge(s)
            );
        }
    }
    out.push_str("</tbody>\n</table></div>\n\n");
}

/// How many EPs each SIG has, and how many are open.
fn by_sig(out: &mut String, eps: &[&Ep], cfg: &EpConfig) {
    out.push_str("## By SIG\n\n<div class=\"table-wrapper\"><table class=\"ep-index\">\n<thead>\n<tr><th scope=\"col\">SIG</th><th scope=\"col\">EPs</th><th scope=\"col\">Open</th></tr>\n</thead>\n<tbody>\n");
    let mut sigs: Vec<&str> = eps.iter().map(|e| e.sig.as_str()).collect();
    sigs.sort_unstable();
    sigs.dedup();
    for sig in sigs {
        let mine: Vec<&&Ep> = eps.iter().filter(|e| e.sig == sig).collect();
        let open = mine
            .iter()
            .filter(|e| e.state().is_some_and(|s| !s.is_exit()))
            .count();
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{open}</td></tr>",
            html(cfg.sig_name(sig)),
            mine.len()
        );
    }
    out.push_str("</tbody>\n</table></div>\n\n");
}

/// The ten EPs open the longest, linked.
fn oldest_open(out: &mut String, kpis: &Kpis, eps: &[&Ep], here: &str, dir: &Directory<'_>) {
    out.push_str("## Oldest open EPs\n\n");
    if kpis.open_by_age.is_empty() {
        out.push_str("No open EPs.\n");
        return;
    }
    out.push_str("<div class=\"table-wrapper\"><table class=\"ep-index\">\n<thead>\n<tr><th scope=\"col\">EP</th><th scope=\"col\">Title</th><th scope=\"col\">State</th><th scope=\"col\">Open for</th></tr>\n</thead>\n<tbody>\n");
    for open in kpis.open_by_age.iter().take(10) {
        let link = eps
            .iter()
            .find(|e| e.label() == open.label && e.title() == open.title)
            .map(|e| {
                format!(
                    "<a href=\"{}\">{}</a>",
                    html(&relative_href(here, &dir.page(e))),
                    html(&open.title)
                )
            })
            .unwrap_or_else(|| html(&open.title));
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{link}</td><td>{}</td><td>{} days</td></tr>",
            html(&open.label),
            badge(open.state),
            open.age_days
        );
    }
    out.push_str("</tbody>\n</table></div>\n");
}

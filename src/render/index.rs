//! Index pages: every EP, one SIG's EPs, one state's EPs. Generated from metadata on every
//! build, never kept by hand.

use std::fmt::Write as _;

use super::Directory;
use super::escape::{html, relative_href};
use super::header::badge;
use crate::model::{State, ep_label};
use crate::read::config::EpConfig;
use crate::read::ep::Ep;
use crate::read::metadata::Sp;

/// Which columns a table of EPs shows; a SIG's page need not repeat the SIG on every row.
#[derive(Clone, Copy)]
pub(crate) struct Columns {
    pub sig: bool,
    pub state: bool,
    /// The table the explorer drives: rows carry their data, headers their sort keys.
    pub explorer: bool,
}

/// An HTML table of EPs, linked relative to the page at `here`.
pub(crate) fn ep_table(
    eps: &[&Ep],
    here: &str,
    dir: &Directory<'_>,
    cfg: &EpConfig,
    cols: Columns,
) -> String {
    if eps.is_empty() {
        return "<p><em>No EPs.</em></p>".to_string();
    }
    let id = if cols.explorer {
        " id=\"ep-explorer-table\""
    } else {
        ""
    };
    let mut out =
        format!("<div class=\"table-wrapper\"><table class=\"ep-index\"{id}>\n<thead>\n<tr>");
    let mut head = |key: &str, name: &str| {
        let key = if cols.explorer {
            format!(" data-ep-key=\"{key}\"")
        } else {
            String::new()
        };
        let _ = write!(out, "<th scope=\"col\"{key}>{name}</th>");
    };
    head("ep", "EP");
    head("title", "Title");
    if cols.state {
        head("state", "State");
    }
    if cols.sig {
        head("sig", "SIG");
    }
    head("authors", "Authors");
    head("updated", "Updated");
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for ep in eps {
        let href = html(&relative_href(here, &dir.page(ep)));
        let mut title = format!("<a href=\"{href}\">{}</a>", html(&ep.title()));
        let links = |label: &str, numbers: &[Sp<u32>]| -> String {
            let items: Vec<String> = numbers
                .iter()
                .map(|n| match dir.get(n.value) {
                    Some(other) => format!(
                        "<a href=\"{}\">{}</a>",
                        html(&relative_href(here, &dir.page(other))),
                        html(&other.label())
                    ),
                    None => html(&ep_label(n.value)),
                })
                .collect();
            if items.is_empty() {
                String::new()
            } else {
                format!("<br><small>{label} {}</small>", items.join(", "))
            }
        };
        title.push_str(&links("Replaced by", &ep.meta.replaced_by));
        title.push_str(&links("Replaces", &ep.meta.replaces));
        if cols.explorer {
            // A draft has no number: it sorts last either way, in reading order (by date).
            let number = ep.number().map(|n| n.to_string()).unwrap_or_default();
            let _ = write!(
                out,
                "<tr{}><td data-sort=\"{number}\">{}</td><td>{title}</td>",
                super::explorer::row_data(ep),
                html(&ep.label())
            );
        } else {
            let _ = write!(out, "<tr><td>{}</td><td>{title}</td>", html(&ep.label()));
        }
        if cols.state {
            let state = ep.state().map(badge).unwrap_or_default();
            // Lifecycle order, not the alphabet.
            let order = ep
                .state()
                .and_then(|s| State::ALL.iter().position(|x| *x == s))
                .map(|i| format!(" data-sort=\"{i}\""))
                .unwrap_or_default();
            let _ = write!(out, "<td{order}>{state}</td>");
        }
        if cols.sig {
            let _ = write!(out, "<td>{}</td>", html(cfg.sig_name(&ep.sig)));
        }
        let authors: Vec<String> = ep
            .meta
            .authors
            .iter()
            .map(|a| super::header::person_link(&a.value, cfg))
            .collect();
        let updated = ep
            .meta
            .last_updated
            .as_ref()
            .or(ep.meta.creation_date.as_ref())
            .map(|d| d.value.to_string())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<td>{}</td><td>{updated}</td></tr>",
            authors.join(", ")
        );
    }
    out.push_str("</tbody>\n</table></div>");
    out
}

/// The page listing every EP by number.
pub(crate) fn all_page(eps: &[&Ep], here: &str, dir: &Directory<'_>, cfg: &EpConfig) -> String {
    let numbered = eps.iter().filter(|e| !e.is_draft()).count();
    format!(
        "# All EPs\n\nEvery Enhancement Proposal in this book: {numbered} numbered, {}. Drafts come last.\n\n{}\n{}\n\n{}",
        count(eps.len() - numbered, "draft", "drafts"),
        super::explorer::controls(eps, cfg),
        ep_table(
            eps,
            here,
            dir,
            cfg,
            Columns {
                sig: true,
                state: true,
                explorer: true,
            }
        ),
        super::explorer::script(),
    )
}

/// A SIG's page: who they are, who approves, how many EPs in each state, and the EPs.
pub(crate) fn sig_page(
    sig: &str,
    intro: Option<&str>,
    eps: &[&Ep],
    here: &str,
    dir: &Directory<'_>,
    cfg: &EpConfig,
) -> String {
    let name = cfg.sig_name(sig);
    let mut out = match intro {
        Some(text) => format!("{}\n\n", text.trim_end()),
        None => format!("# {}\n\n", html(name)),
    };
    let info = cfg.sigs.get(sig);
    if intro.is_none()
        && let Some(desc) = info.and_then(|i| i.description.as_deref())
    {
        let _ = writeln!(out, "{}\n", html(desc));
    }
    if let Some(info) = info {
        let people = |v: &[String]| {
            v.iter()
                .map(|p| super::header::person_link(p, cfg))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !info.approvers.is_empty() || !info.reviewers.is_empty() {
            out.push_str("<div class=\"table-wrapper\"><table class=\"ep-header\">\n<tbody>\n");
            if !info.approvers.is_empty() {
                let _ = writeln!(
                    out,
                    "<tr><th scope=\"row\" class=\"ep-header-key\">Approvers</th><td>{}</td></tr>",
                    people(&info.approvers)
                );
            }
            if !info.reviewers.is_empty() {
                let _ = writeln!(
                    out,
                    "<tr><th scope=\"row\" class=\"ep-header-key\">Reviewers</th><td>{}</td></tr>",
                    people(&info.reviewers)
                );
            }
            out.push_str("</tbody>\n</table></div>\n\n");
        }
    }
    let counts: Vec<String> = State::ALL
        .iter()
        .filter_map(|s| {
            let n = eps.iter().filter(|e| e.state() == Some(*s)).count();
            (n > 0).then(|| format!("{} {n}", badge(*s)))
        })
        .collect();
    let _ = writeln!(
        out,
        "## EPs of {}\n\n<p class=\"ep-counts\">{}: {}</p>\n\n{}\n",
        html(name),
        count(eps.len(), "EP", "EPs"),
        counts.join(" · "),
        ep_table(
            eps,
            here,
            dir,
            cfg,
            Columns {
                sig: false,
                state: true,
                explorer: false,
            }
        )
    );
    out
}

/// A state's page across SIGs: what the state means and the EPs in it.
pub(crate) fn state_page(
    state: State,
    eps: &[&Ep],
    here: &str,
    dir: &Directory<'_>,
    cfg: &EpConfig,
) -> String {
    let cols = Columns {
        sig: true,
        state: false,
        explorer: false,
    };
    state_section(
        &format!("{} EPs", state.title()),
        state,
        &ep_table(eps, here, dir, cfg, cols),
    )
}

/// One SIG's EPs in one state (the chapter between a SIG and its EPs, or the reverse).
pub(crate) fn group_page(
    sig: &str,
    state: State,
    eps: &[&Ep],
    here: &str,
    dir: &Directory<'_>,
    cfg: &EpConfig,
) -> String {
    let cols = Columns {
        sig: false,
        state: false,
        explorer: false,
    };
    let title = format!("{}: {}", html(cfg.sig_name(sig)), state.title());
    state_section(&title, state, &ep_table(eps, here, dir, cfg, cols))
}

fn state_section(title: &str, state: State, table: &str) -> String {
    format!(
        "# {title}\n\n{} {}\n\n{table}\n",
        badge(state),
        html(state.definition())
    )
}

/// The EP part's landing page when the author wrote none.
pub(crate) fn landing_page(eps: &[&Ep], sigs: usize) -> String {
    format!(
        "# Enhancement Proposals\n\n{} from {}. Each SIG's EPs follow, grouped by state; \
         the pages below list them all, and by state or SIG.\n",
        count(eps.len(), "EP", "EPs"),
        count(sigs, "SIG", "SIGs"),
    )
}

pub(crate) use crate::text::count;

//! `mdbook-ep list`: the EPs of a book a person or a SIG is looking for (a SIG lead's EPs, a
//! reviewer's queue, everything still `provisional`), in the book's order.

use crate::check::stale::Idle;
use crate::model::{State, same_person};
use crate::read::ep::Ep;
use crate::shape::structure::sort_key;

/// Which EPs to list; every given condition must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Filter {
    /// The owning SIG (folder name).
    pub sig: Option<String>,
    /// The state.
    pub state: Option<State>,
    /// A person among the authors.
    pub author: Option<String>,
    /// A person among the reviewers.
    pub reviewer: Option<String>,
    /// A person among the approvers.
    pub approver: Option<String>,
    /// Only open EPs unchanged for more than this many days.
    pub stale: Option<u32>,
}

impl Filter {
    fn keeps(&self, ep: &Ep) -> bool {
        let has = |people: &[crate::read::metadata::Sp<String>], who: &Option<String>| {
            who.as_deref()
                .is_none_or(|w| people.iter().any(|p| same_person(&p.value, w)))
        };
        self.sig.as_deref().is_none_or(|s| ep.sig == s)
            && self.state.is_none_or(|s| ep.state() == Some(s))
            && has(&ep.meta.authors, &self.author)
            && has(&ep.meta.reviewers, &self.reviewer)
            && has(&ep.meta.approvers, &self.approver)
    }
}

/// The EPs `filter` keeps, with how long each has waited (`idle`, by the EP's index in
/// `eps`; only needed with `filter.stale`), in the book's order (numbered by number, then
/// drafts by date).
pub(crate) fn select<'a>(
    eps: &'a [Ep],
    idle: &[Option<Idle>],
    filter: &Filter,
) -> Vec<(&'a Ep, Option<Idle>)> {
    let mut out: Vec<(&Ep, Option<Idle>)> = eps
        .iter()
        .enumerate()
        .map(|(i, ep)| (ep, idle.get(i).copied().flatten()))
        .filter(|(ep, idle)| {
            filter.keeps(ep)
                && filter
                    .stale
                    .is_none_or(|limit| idle.is_some_and(|i| i.days > i64::from(limit)))
        })
        .collect();
    out.sort_by(|a, b| sort_key(a.0).cmp(&sort_key(b.0)));
    out
}

/// An aligned text table: EP, state, SIG, last update, how long it waited (with `idle`) and
/// title, one EP per line; with `width`, titles are cut (with `…`) so lines fit it. Pure.
pub(crate) fn table(eps: &[(&Ep, Option<Idle>)], with_idle: bool, width: Option<usize>) -> String {
    let rows: Vec<Vec<String>> = eps
        .iter()
        .map(|(ep, idle)| {
            let mut row = vec![
                ep.label(),
                ep.state()
                    .map_or_else(|| "?".to_string(), |s| s.to_string()),
                ep.sig.clone(),
                ep.meta
                    .last_updated
                    .as_ref()
                    .or(ep.meta.creation_date.as_ref())
                    .map_or_else(String::new, |d| d.value.to_string()),
            ];
            if with_idle {
                row.push(idle.map_or_else(String::new, |i| format!("{} days", i.days)));
            }
            row.push(crate::diagnostic::inert(&ep.title()).into_owned());
            row
        })
        .collect();
    let mut header: Vec<String> = ["EP", "STATE", "SIG", "UPDATED"].map(String::from).into();
    if with_idle {
        header.push("WAITING".into());
    }
    header.push("TITLE".into());
    let mut widths = vec![0usize; header.len()];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    // The title is last: what the other columns leave of the width is its, at least 10.
    let before: usize = widths[..widths.len() - 1].iter().map(|w| w + 2).sum();
    let room = width.map(|w| w.saturating_sub(before).max(10));
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|mut row| {
            if let (Some(room), Some(title)) = (room, row.last_mut())
                && title.chars().count() > room
            {
                let cut: String = title.chars().take(room - 1).collect();
                *title = format!("{}…", cut.trim_end());
            }
            row
        })
        .collect();
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(&widths).enumerate() {
            let w = *w;
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<w$}  "));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_cut_to_the_width() {
        let ep = crate::read::ep::testing::ep(
            "a/0001-x/README.md",
            "---\ntitle: A rather long title for a narrow terminal\nnumber: 1\nauthors: [ann]\nowning-sig: a\nstate: provisional\ncreation-date: 2026-01-10\n---\n# X\n",
        );
        let rows = [(&ep, None)];
        let wide = table(&rows, false, None);
        assert!(
            wide.contains("A rather long title for a narrow terminal\n"),
            "{wide}"
        );
        let narrow = table(&rows, false, Some(60));
        assert!(narrow.lines().all(|l| l.chars().count() <= 60), "{narrow}");
        assert!(narrow.contains("A rather long title…\n"), "{narrow}");
    }

    #[test]
    fn handles_match_with_or_without_at_and_case() {
        assert!(same_person("@Ana", "ana"));
        assert!(same_person("ana", "@ANA "));
        assert!(!same_person("@ana", "@anna"));
    }
}

//! Turning EPs into page content and data: pure functions returning Markdown, HTML, JSON,
//! CSV or XML strings. Nothing here reads a file.

pub(crate) mod chapter;
pub(crate) mod dashboard;
pub(crate) mod escape;
pub(crate) mod explorer;
pub(crate) mod export;
pub(crate) mod feed;
pub(crate) mod header;
pub(crate) mod history;
pub(crate) mod index;
pub(crate) mod toc;

use std::collections::HashMap;

use crate::dialect::pages::page_path;
use crate::read::config::EpConfig;
use crate::read::ep::Ep;
use crate::read::history::{EpHistory, GitStatus, Histories};
use crate::shape::structure::{Page, Show, page_url};

/// What one EP's page needs to know about the others: their titles and where they render.
pub struct Directory<'a> {
    by_number: HashMap<u32, &'a Ep>,
    readme_is_index: bool,
    /// Each EP's history by its path, when the book reads git.
    history: HashMap<&'a std::path::Path, &'a EpHistory>,
}

impl<'a> Directory<'a> {
    /// Indexes the EPs by number.
    pub fn new(eps: &'a [Ep], cfg: &EpConfig) -> Self {
        let mut by_number = HashMap::new();
        for ep in eps {
            if let Some(n) = ep.number() {
                // With duplicate numbers (an error already) the first EP keeps the number.
                by_number.entry(n).or_insert(ep);
            }
        }
        Directory {
            by_number,
            readme_is_index: cfg.dialect.readme_is_index,
            history: HashMap::new(),
        }
    }

    /// Adds each EP's history, when git gave all of it; `histories` is in the order of `eps`
    /// (as it was read).
    pub fn with_history(mut self, eps: &'a [Ep], histories: &'a Histories) -> Self {
        if histories.status == GitStatus::Full && histories.eps.len() == eps.len() {
            self.history = eps
                .iter()
                .zip(&histories.eps)
                .map(|(ep, h)| (ep.path.as_path(), h))
                .collect();
        }
        self
    }

    /// An EP's history.
    pub(crate) fn history(&self, ep: &Ep) -> Option<&'a EpHistory> {
        self.history.get(ep.path.as_path()).copied()
    }

    /// The EP with this number.
    pub fn get(&self, number: u32) -> Option<&'a Ep> {
        self.by_number.get(&number).copied()
    }

    /// The page an EP renders to, relative to the site root.
    pub fn page(&self, ep: &Ep) -> String {
        page_path(&ep.path, self.readme_is_index)
    }
}

/// The text of a generated page of the book's structure.
pub fn page(page: &Page<'_>, dir: &Directory<'_>, cfg: &EpConfig) -> String {
    let here = page_url(page, cfg);
    match &page.show {
        Show::Ep(ep) => chapter::ep_chapter(ep, ep.text.to_string(), dir, cfg),
        Show::Sig {
            sig,
            intro,
            eps,
            kpis,
        } => {
            let mut out = index::sig_page(sig, *intro, eps, &here, dir, cfg);
            if let Some(kpis) = kpis {
                dashboard::sig_section(&mut out, cfg.sig_name(sig), kpis);
            }
            out
        }
        Show::State { state, eps } => index::state_page(*state, eps, &here, dir, cfg),
        Show::Group { sig, state, eps } => index::group_page(sig, *state, eps, &here, dir, cfg),
        Show::All(eps) => index::all_page(eps, &here, dir, cfg),
        Show::Dashboard { kpis, eps } => dashboard::page(kpis, eps, &here, dir, cfg),
        Show::Gathering { title, body } => {
            // Each page it gathers, linked, with how many EPs it lists and, for a state, what
            // the state means.
            let mut out = format!("# {title}\n\n{body}\n\n<ul class=\"ep-gathered\">\n");
            for child in &page.children {
                let (n, meaning) = match &child.show {
                    Show::State { eps, state } => {
                        (eps.len(), format!(" {}", escape::html(state.definition())))
                    }
                    Show::Sig { eps, .. } => (eps.len(), String::new()),
                    _ => (0, String::new()),
                };
                out.push_str(&format!(
                    "<li><a href=\"{}\">{}</a>: {}.{meaning}</li>\n",
                    escape::html(&escape::relative_href(&here, &page_url(child, cfg))),
                    escape::html(&child.name),
                    index::count(n, "EP", "EPs")
                ));
            }
            out.push_str("</ul>\n");
            out
        }
        Show::Landing {
            intro: Some(text), ..
        } => text.to_string(),
        Show::Landing {
            intro: None,
            eps,
            sigs,
        } => index::landing_page(eps, *sigs),
    }
}

//! Turning EPs into page content. Pure functions returning Markdown/HTML strings.

pub mod dashboard;
pub mod escape;
pub mod header;
pub mod index;
pub mod toc;

use std::collections::HashMap;

use crate::config::EpConfig;
use crate::ep::Ep;

/// What one EP's page needs to know about the others: their titles and where they render.
pub struct Directory<'a> {
    by_number: HashMap<u32, &'a Ep>,
    readme_is_index: bool,
}

impl<'a> Directory<'a> {
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
            readme_is_index: cfg.readme_is_index,
        }
    }

    pub fn get(&self, number: u32) -> Option<&'a Ep> {
        self.by_number.get(&number).copied()
    }

    /// The page an EP renders to, relative to the site root.
    pub fn page(&self, ep: &Ep) -> String {
        escape::page_path(&ep.path, self.readme_is_index)
    }
}

/// The chapter text of an EP: front matter removed, an H1 ensured, the header under the H1,
/// and the TOC between its markers or (with `toc.auto`) under the header.
pub fn chapter_content(ep: &Ep, dir: &Directory<'_>, cfg: &EpConfig) -> String {
    use toc::{Splice, apply_splices, marker_splice};
    let body = ep.body();
    let mut head = header::header(ep, dir, cfg);
    let title = ep.outline.leading_h1().map(|_| 0);
    let generated_title = title.is_none().then(|| ep.display_name());
    let before: Vec<crate::outline::Anchor> = generated_title
        .iter()
        .map(|name| crate::outline::Anchor {
            heading: None,
            id_text: name.clone(),
            explicit_id: None,
        })
        .collect();
    let mut splices = Vec::new();
    let wants_toc =
        cfg.toc.chapters != crate::config::TocChapters::Marked || ep.outline.toc.is_some();
    if wants_toc {
        let ids = ep.outline.heading_ids(&before, cfg.empty_ids);
        let list = toc::toc(&ep.outline, &ids, title, &cfg.toc);
        match marker_splice(&ep.outline, &list) {
            Some(s) => splices.push(s),
            None if cfg.toc.auto
                && !list.is_empty()
                && cfg.toc.chapters != crate::config::TocChapters::Marked =>
            {
                head.push_str("\n\n<!-- toc -->\n");
                head.push_str(&list);
                head.push_str("<!-- /toc -->");
            }
            None => {}
        }
    }
    let at = ep
        .outline
        .leading_h1()
        .map_or(0, |h| h.range.end.min(body.len()));
    let text = match &generated_title {
        Some(name) => format!("# {}\n\n{head}\n\n", escape::html(name)),
        None => {
            let lead = if body[..at].ends_with('\n') { "" } else { "\n" };
            format!("{lead}\n{head}\n\n")
        }
    };
    splices.push(Splice {
        range: at..at,
        text,
    });
    apply_splices(body, splices)
}

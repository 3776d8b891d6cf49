//! Turning EPs into page content. Pure functions returning Markdown/HTML strings.

pub mod escape;
pub mod header;
pub mod index;

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

/// The chapter text of an EP: front matter removed, an H1 ensured, the header under the H1.
pub fn chapter_content(ep: &Ep, dir: &Directory<'_>, cfg: &EpConfig) -> String {
    let body = ep.body();
    let header = header::header(ep, dir, cfg);
    let mut out = String::with_capacity(body.len() + header.len() + 128);
    match ep.outline.leading_h1() {
        Some(h1) => {
            let end = h1.range.end.min(body.len());
            out.push_str(body[..end].trim_end_matches(['\n', '\r']));
            out.push_str("\n\n");
            out.push_str(&header);
            out.push_str("\n\n");
            out.push_str(body[end..].trim_start_matches(['\n', '\r']));
        }
        None => {
            out.push_str("# ");
            out.push_str(&escape::html(&ep.display_name()));
            out.push_str("\n\n");
            out.push_str(&header);
            out.push_str("\n\n");
            out.push_str(body);
        }
    }
    out
}

//! The EP explorer on the "All EPs" page: filter by state, SIG, person and text, sort by any
//! column, the view kept in the URL (`all.html?state=provisional&sig=data`).
//!
//! The page stays a plain HTML table that works without JavaScript; the controls are rendered
//! `hidden` and the inline script (no external asset, no framework) shows and wires them. The
//! script reads only what the table rows carry (`data-ep-*`), so the table is the one source of
//! what is shown.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::escape::html;
use crate::model::State;
use crate::read::config::EpConfig;
use crate::read::ep::Ep;

/// The script, kept as a file of its own so it can be read and linted as JavaScript.
const SCRIPT: &str = include_str!("explorer.js");

/// The `data-ep-*` attributes of a table row the explorer filters on.
pub(crate) fn row_data(ep: &Ep) -> String {
    // One person per line, the line break written as a reference: a raw one inside a Markdown
    // HTML block is safe only until a blank line ends the block.
    let people: Vec<String> = people_of(ep).map(html).collect();
    format!(
        " data-ep-state=\"{}\" data-ep-sig=\"{}\" data-ep-number=\"{}\" data-ep-people=\"{}\"",
        ep.state().map_or("", State::as_str),
        html(&ep.sig),
        ep.number().map(|n| n.to_string()).unwrap_or_default(),
        people.join("&#10;"),
    )
}

/// Everyone named on an EP, in any role: a reader looking for a person's EPs wants them all.
fn people_of(ep: &Ep) -> impl Iterator<Item = &str> {
    let m = &ep.meta;
    m.authors
        .iter()
        .chain(&m.reviewers)
        .chain(&m.approvers)
        .map(|p| p.value.as_str())
}

/// The controls (hidden until [`script`] runs) for the table with id `ep-explorer-table`.
/// Each list offers only values some EP has. Options carry their words in `label`, not as
/// text: mdBook's search indexes every text of the page, and the page's teaser would read
/// "any provisional (4) implementable (2) ...".
pub(crate) fn controls(eps: &[&Ep], cfg: &EpConfig) -> String {
    // Counted in one pass: a book of thousands of EPs has dozens of SIGs.
    let mut states: BTreeMap<State, usize> = BTreeMap::new();
    let mut sigs: BTreeMap<&str, usize> = BTreeMap::new();
    let mut people: BTreeSet<&str> = BTreeSet::new();
    for ep in eps {
        if let Some(state) = ep.state() {
            *states.entry(state).or_default() += 1;
        }
        *sigs.entry(ep.sig.as_str()).or_default() += 1;
        people.extend(people_of(ep));
    }
    let mut out = String::from(
        "<div id=\"ep-explorer\" class=\"ep-explorer\" hidden>\n\
         <form role=\"search\" aria-label=\"Filter the EPs\" autocomplete=\"off\">\n\
         <label>Find <input type=\"search\" name=\"q\" placeholder=\"title or number\"></label>\n\
         <label>State <select name=\"state\"><option value=\"\" label=\"any\"></option>",
    );
    // `State`'s order is the lifecycle's.
    for (state, n) in &states {
        let _ = write!(
            out,
            "<option value=\"{s}\" label=\"{s} ({n})\"></option>",
            s = state.as_str()
        );
    }
    out.push_str(
        "</select></label>\n<label>SIG <select name=\"sig\"><option value=\"\" label=\"any\"></option>",
    );
    for (sig, n) in &sigs {
        let _ = write!(
            out,
            "<option value=\"{}\" label=\"{} ({n})\"></option>",
            html(sig),
            html(cfg.sig_name(sig))
        );
    }
    out.push_str(
        "</select></label>\n<label>Person <input name=\"person\" list=\"ep-explorer-people\" \
         placeholder=\"@handle\"></label>\n\
         <button type=\"reset\">Clear</button>\n</form>\n<datalist id=\"ep-explorer-people\">",
    );
    for person in people {
        let _ = write!(out, "<option value=\"{}\"></option>", html(person));
    }
    out.push_str(
        "</datalist>\n<p class=\"ep-explorer-count\" role=\"status\" aria-live=\"polite\"></p>\n</div>\n",
    );
    out
}

/// The script, after the table: it runs as soon as it is parsed, and the table must exist.
pub(crate) fn script() -> String {
    format!("<script>\n{SCRIPT}</script>\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_in_attributes_and_labels() {
        let ep = crate::read::ep::testing::ep(
            "r&d/0001-x/README.md",
            "---\ntitle: X\nnumber: 1\nauthors: [\"@a\\\"b\", \"<c>\"]\nowning-sig: r&d\nstate: provisional\ncreation-date: 2026-01-10\n---\n# X\n",
        );
        assert_eq!(
            row_data(&ep),
            " data-ep-state=\"provisional\" data-ep-sig=\"r&amp;d\" data-ep-number=\"1\" data-ep-people=\"@a&quot;b&#10;&lt;c&gt;\""
        );
        let mut cfg = EpConfig::default();
        cfg.sigs.insert(
            "r&d".into(),
            crate::read::config::Sig {
                name: Some("R \"&\" D".into()),
                ..Default::default()
            },
        );
        let controls = controls(&[&ep], &cfg);
        assert!(
            controls.contains(
                "<option value=\"r&amp;d\" label=\"R &quot;&amp;&quot; D (1)\"></option>"
            ),
            "{controls}"
        );
        assert!(
            controls.contains("<option value=\"&lt;c&gt;\"></option>"),
            "{controls}"
        );
        // No blank line: the controls stay one HTML block.
        assert!(!controls.contains("\n\n"));
    }

    #[test]
    fn the_script_stays_one_html_block() {
        // Markdown ends a <script> block only at its closing tag; one inside would cut it short.
        assert!(!SCRIPT.contains("</script"));
        assert!(
            !SCRIPT.contains("{{#"),
            "mdBook's links preprocessor would expand it"
        );
    }
}

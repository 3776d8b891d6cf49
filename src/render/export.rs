//! EPs as data for other tools: `eps.json` (documented, versioned) and `eps.csv`.

use serde_json::{Value, json};

use super::Directory;
use crate::diagnostic::Diagnostic;
use crate::model::{Date, Reference};
use crate::read::config::EpConfig;
use crate::read::ep::Ep;
use crate::read::history::EpHistory;
use crate::read::metadata::Sp;
use crate::shape::structure::{sort_eps, sort_key};

/// The version of the `eps.json` shape; fields are only ever added within a version.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// The page URL of an EP: absolute under `site_url` when the book has one, else relative to
/// the site's root.
fn url(page: &str, site_url: Option<&str>) -> String {
    match site_url {
        Some(base) => format!("{}/{page}", base.trim_end_matches('/')),
        None => page.to_string(),
    }
}

/// One EP as JSON.
fn ep_json(
    ep: &Ep,
    changes: Option<u32>,
    dir: &Directory<'_>,
    cfg: &EpConfig,
    site_url: Option<&str>,
    diagnostics: &[&Diagnostic],
) -> Value {
    let m = &ep.meta;
    let names = |v: &[Sp<String>]| v.iter().map(|s| s.value.clone()).collect::<Vec<_>>();
    let numbers = |v: &[Sp<u32>]| v.iter().map(|s| s.value).collect::<Vec<_>>();
    let see_also: Vec<Value> = m
        .see_also
        .iter()
        .map(|r| match &r.value {
            Reference::Ep(n) => json!(n),
            Reference::Url(u) => json!(u),
        })
        .collect();
    json!({
        "number": ep.number(),
        "label": ep.label(),
        "title": ep.title(),
        "sig": ep.sig,
        "sig-name": cfg.sig_name(&ep.sig),
        "participating-sigs": names(&m.participating_sigs),
        "state": ep.state(),
        "draft": ep.is_draft(),
        "authors": names(&m.authors),
        "reviewers": names(&m.reviewers),
        "approvers": names(&m.approvers),
        "creation-date": m.creation_date.as_ref().map(|d| d.value),
        "last-updated": m.last_updated.as_ref().map(|d| d.value),
        "source": ep.shown.to_string_lossy().replace('\\', "/"),
        "url": url(&dir.page(ep), site_url),
        "see-also": see_also,
        "replaces": numbers(&m.replaces),
        "replaced-by": numbers(&m.replaced_by),
        "changes": changes,
        "diagnostics": diagnostics.iter().map(|d| json!({
            "code": d.rule.code(),
            "severity": d.severity.label(),
            "message": d.message,
            "line": d.location.as_ref().map(|l| l.line),
        })).collect::<Vec<_>>(),
    })
}

/// `eps.json`: every EP, by number, drafts last. `history` is indexed like `eps` (empty
/// without git, and then `changes` is `null`, never 0).
pub(crate) fn eps_json(
    eps: &[Ep],
    history: &[EpHistory],
    diagnostics: &[Diagnostic],
    cfg: &EpConfig,
    site_url: Option<&str>,
) -> Value {
    let dir = Directory::new(eps, cfg);
    let mut order: Vec<usize> = (0..eps.len()).collect();
    order.sort_by(|a, b| sort_key(&eps[*a]).cmp(&sort_key(&eps[*b])));
    let items: Vec<Value> = order
        .iter()
        .map(|&i| {
            let ep = &eps[i];
            let mine: Vec<&Diagnostic> = diagnostics
                .iter()
                .filter(|d| d.ep.as_ref() == Some(&ep.shown))
                .collect();
            ep_json(
                ep,
                history.get(i).map(|h| h.changes),
                &dir,
                cfg,
                site_url,
                &mine,
            )
        })
        .collect();
    json!({
        "schema-version": SCHEMA_VERSION,
        "tool": "mdbook-ep",
        "version": env!("CARGO_PKG_VERSION"),
        "eps": items,
    })
}

/// A CSV cell a spreadsheet will not run: one that starts like a formula (`=`, `+`, `-`, `@`,
/// a tab or a carriage return) gets a leading `'`, which spreadsheets show as text.
fn inert_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// `eps.csv`: one row per EP for spreadsheets, in reading order; lists are joined with `; `.
pub(crate) fn eps_csv(eps: &[Ep], cfg: &EpConfig, site_url: Option<&str>) -> String {
    let dir = Directory::new(eps, cfg);
    let mut sorted: Vec<&Ep> = eps.iter().collect();
    sort_eps(&mut sorted);
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "number",
        "title",
        "sig",
        "state",
        "authors",
        "reviewers",
        "approvers",
        "creation-date",
        "last-updated",
        "replaces",
        "replaced-by",
        "source",
        "url",
    ];
    let _ = w.write_record(header);
    for ep in sorted {
        let m = &ep.meta;
        let join = |v: &[Sp<String>]| {
            v.iter()
                .map(|s| s.value.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        };
        let nums = |v: &[Sp<u32>]| {
            v.iter()
                .map(|s| s.value.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        };
        let date =
            |d: &Option<Sp<Date>>| d.as_ref().map(|d| d.value.to_string()).unwrap_or_default();
        let record = [
            ep.number().map(|n| n.to_string()).unwrap_or_default(),
            ep.title(),
            ep.sig.clone(),
            ep.state().map(|s| s.to_string()).unwrap_or_default(),
            join(&m.authors),
            join(&m.reviewers),
            join(&m.approvers),
            date(&m.creation_date),
            date(&m.last_updated),
            nums(&m.replaces),
            nums(&m.replaced_by),
            ep.shown.to_string_lossy().replace('\\', "/"),
            url(&dir.page(ep), site_url),
        ];
        let _ = w.write_record(record.iter().map(|cell| inert_cell(cell).into_owned()));
    }
    // Writing into a Vec cannot fail.
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

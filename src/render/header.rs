//! The header table and state banner at the top of every EP.
//!
//! Emitted as one raw HTML block (no blank lines inside, so CommonMark keeps it whole) using
//! only elements mdBook's stylesheet already styles; `ep.css` adds the badge colours but the
//! table reads fine without it.

use std::fmt::Write as _;

use super::Directory;
use super::escape::{html, relative_href, url_segment};
use crate::model::is_safe_url;
use crate::model::{Date, Reference, State, ep_label};
use crate::read::config::EpConfig;
use crate::read::ep::Ep;
use crate::read::metadata::Sp;

/// The banner (for paused and exit states) followed by the metadata table.
pub(crate) fn header(ep: &Ep, dir: &Directory<'_>, cfg: &EpConfig) -> String {
    let mut out = String::new();
    if let Some(banner) = banner(ep, dir, cfg) {
        out.push_str(&banner);
        out.push_str("\n\n");
    }
    out.push_str(&table(ep, dir, cfg));
    out
}

/// A state badge: readable text, coloured by `ep.css` when installed.
pub(crate) fn badge(state: State) -> String {
    format!(
        "<span class=\"ep-badge ep-state-{s}\" title=\"State: {s}\">{s}</span>",
        s = state.as_str()
    )
}

fn table(ep: &Ep, dir: &Directory<'_>, cfg: &EpConfig) -> String {
    let m = &ep.meta;
    let here = dir.page(ep);
    let mut rows: Vec<(&str, String)> = Vec::new();
    rows.push(("Number", html(&ep.label())));
    if let Some(s) = &m.state {
        rows.push(("State", badge(s.value)));
    }
    if let Some(sig) = &m.owning_sig {
        rows.push(("Owning SIG", html(cfg.sig_name(&sig.value))));
    }
    let list = |items: &[Sp<String>], f: &dyn Fn(&str) -> String| -> String {
        items
            .iter()
            .map(|i| f(&i.value))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sig = |s: &str| html(cfg.sig_name(s));
    let person = |p: &str| person_link(p, cfg);
    for (label, value) in [
        ("Participating SIGs", list(&m.participating_sigs, &sig)),
        ("Authors", list(&m.authors, &person)),
        ("Reviewers", list(&m.reviewers, &person)),
        ("Approvers", list(&m.approvers, &person)),
    ] {
        if !value.is_empty() {
            rows.push((label, value));
        }
    }
    // What the EP carries in its folder (diagrams, images, data), so readers find it.
    let files: Vec<String> = ep
        .supporting
        .iter()
        .map(|f| {
            let to = f.to_string_lossy().replace('\\', "/");
            // Its path in the EP's folder: `a/diagram.svg` and `b/diagram.svg` differ.
            let name = ep
                .path
                .parent()
                .and_then(|folder| f.strip_prefix(folder).ok())
                .unwrap_or(f)
                .to_string_lossy()
                .replace('\\', "/");
            format!(
                "<a href=\"{}\">{}</a>",
                html(&relative_href(&here, &super::escape::url_path(&to))),
                html(&name)
            )
        })
        .collect();
    if !files.is_empty() {
        rows.push(("Supporting files", files.join(", ")));
    }
    let date = |d: &Option<Sp<Date>>| {
        d.as_ref()
            .map(|d| format!("<time datetime=\"{0}\">{0}</time>", d.value))
    };
    if let Some(d) = date(&m.creation_date) {
        rows.push(("Created", d));
    }
    if let Some(d) = date(&m.last_updated) {
        rows.push(("Last updated", d));
    }
    if let Some(stage) = &m.stage {
        rows.push(("Stage", html(stage)));
    }
    if let Some(ms) = &m.latest_milestone {
        rows.push(("Latest milestone", html(ms)));
    }
    let see_also: Vec<String> = m
        .see_also
        .iter()
        .map(|r| match &r.value {
            Reference::Ep(n) => ep_link(*n, &here, dir),
            Reference::Url(u) if is_safe_url(u) => format!("<a href=\"{0}\">{0}</a>", html(u)),
            Reference::Url(u) => html(u),
        })
        .collect();
    let eps = |v: &[Sp<u32>]| {
        v.iter()
            .map(|r| ep_link(r.value, &here, dir))
            .collect::<Vec<_>>()
    };
    for (label, links) in [
        ("See also", see_also),
        ("Replaces", eps(&m.replaces)),
        ("Replaced by", eps(&m.replaced_by)),
    ] {
        if !links.is_empty() {
            rows.push((label, links.join("<br>")));
        }
    }
    let mut out =
        String::from("<div class=\"table-wrapper\"><table class=\"ep-header\">\n<tbody>\n");
    for (label, value) in rows {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\" class=\"ep-header-key\">{label}</th><td>{value}</td></tr>"
        );
    }
    out.push_str("</tbody>\n</table></div>");
    out
}

fn ep_link(number: u32, here: &str, dir: &Directory<'_>) -> String {
    match dir.get(number) {
        Some(other) => format!(
            "<a href=\"{}\">{}</a>",
            html(&relative_href(here, &dir.page(other))),
            html(&other.display_name())
        ),
        None => html(&ep_label(number)),
    }
}

/// A person's handle, linked through `people-url` when the book sets one; on EP headers and
/// SIG pages alike.
pub(crate) fn person_link(person: &str, cfg: &EpConfig) -> String {
    let handle = person.trim_start_matches('@');
    match &cfg.people_url {
        Some(url) if !handle.is_empty() && !handle.contains(char::is_whitespace) => {
            let href = url.replace("{}", &url_segment(handle));
            format!(
                "<a class=\"ep-person\" href=\"{}\">{}</a>",
                html(&href),
                html(person)
            )
        }
        // `ep.css` keeps a handle on one line: "@tomas-" / "r" reads as two people.
        _ => format!("<span class=\"ep-person\">{}</span>", html(person)),
    }
}

/// Paused and exit states get a banner derived from the state, never written by hand.
fn banner(ep: &Ep, dir: &Directory<'_>, cfg: &EpConfig) -> Option<String> {
    let state = ep.state()?;
    let here = dir.page(ep);
    let (kind, text) = match state {
        State::Replaced => {
            let by: Vec<String> = ep.meta.replaced_by.iter().map(|r| ep_link(r.value, &here, dir)).collect();
            let text = if by.is_empty() {
                "<strong>Replaced.</strong> This EP has been replaced by a newer one.".to_string()
            } else {
                format!("<strong>Replaced</strong> by {}. This EP is kept for the record.", by.join(", "))
            };
            ("CAUTION", text)
        }
        State::Withdrawn => (
            "WARNING",
            "<strong>Withdrawn.</strong> The authors withdrew this EP; it is kept for the record.".to_string(),
        ),
        State::Rejected => (
            "CAUTION",
            "<strong>Rejected.</strong> The approvers decided this EP will not go ahead; it is kept for the record."
                .to_string(),
        ),
        State::Deferred => (
            "NOTE",
            "<strong>Deferred.</strong> Nobody is working on this EP at the moment; it may return to <code>provisional</code>."
                .to_string(),
        ),
        _ => return None,
    };
    let class = format!("ep-banner ep-banner-{}", state.as_str());
    Some(if cfg.dialect.markdown.admonitions {
        format!("> [!{kind}]\n> <span class=\"{class}\">{text}</span>")
    } else {
        format!("<div class=\"{class}\" role=\"note\"><p>{text}</p></div>")
    })
}

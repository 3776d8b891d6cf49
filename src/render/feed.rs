//! `feed.xml`: an Atom feed of EPs created and of state changes, newest first, so readers
//! can follow the process without watching the repository.

use std::fmt::Write as _;

use crate::model::Date;
use crate::read::ep::Ep;
use crate::read::history::EpHistory;
use crate::render::Directory;

/// One feed entry.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    date: Date,
    id: String,
    title: String,
    link: String,
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The feed. Links are absolute under `site_url` (an http(s) URL), else relative to the site.
/// `history` is indexed like `eps` and empty without git (then only creations are listed).
pub(crate) fn atom(
    eps: &[Ep],
    history: &[EpHistory],
    dir: &Directory<'_>,
    book_title: &str,
    site_url: Option<&str>,
) -> String {
    let base = site_url.map(|u| u.trim_end_matches('/').to_string());
    let link = |ep: &Ep| match &base {
        Some(b) => format!("{b}/{}", dir.page(ep)),
        None => dir.page(ep),
    };
    let mut entries = Vec::new();
    for (i, ep) in eps.iter().enumerate() {
        let name = ep.display_name();
        let key = ep.number().map_or_else(
            || ep.shown.to_string_lossy().replace('\\', "/"),
            |n| n.to_string(),
        );
        let states = history
            .get(i)
            .map(|h| h.states.as_slice())
            .unwrap_or_default();
        let created = ep
            .meta
            .creation_date
            .as_ref()
            .map(|d| d.value)
            .or(states.first().map(|(d, _)| *d));
        if let Some(date) = created {
            entries.push(Entry {
                date,
                id: format!("ep-{key}-created"),
                title: format!("New: {name}"),
                link: link(ep),
            });
        }
        let mut previous: Option<&str> = None;
        for (date, state) in states {
            if let Some(prev) = previous
                && prev != state
            {
                entries.push(Entry {
                    date: *date,
                    id: format!("ep-{key}-{state}-{date}"),
                    title: format!("{name} is now {state} (was {prev})"),
                    link: link(ep),
                });
            }
            previous = Some(state);
        }
    }
    entries.sort_by(|a, b| b.date.cmp(&a.date).then(a.id.cmp(&b.id)));
    let feed_id = match &base {
        Some(b) => format!("{b}/"),
        None => format!(
            "urn:mdbook-ep:{}",
            xml(&book_title.replace(' ', "-").to_lowercase())
        ),
    };
    let updated = entries
        .first()
        .map_or_else(|| "1970-01-01".to_string(), |e| e.date.to_string());
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    let _ = writeln!(
        out,
        "  <title>{}: Enhancement Proposals</title>",
        xml(book_title)
    );
    let _ = writeln!(out, "  <id>{}</id>", xml(&feed_id));
    let _ = writeln!(out, "  <updated>{updated}T00:00:00Z</updated>");
    let _ = writeln!(out, "  <author><name>mdbook-ep</name></author>");
    for e in entries {
        let id = match &base {
            Some(b) => format!("{b}/#{}", e.id),
            None => format!("urn:mdbook-ep:{}", e.id),
        };
        let _ = writeln!(
            out,
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <updated>{}T00:00:00Z</updated>\n    <link href=\"{}\"/>\n  </entry>",
            xml(&e.title),
            xml(&id),
            e.date,
            xml(&e.link)
        );
    }
    out.push_str("</feed>\n");
    out
}

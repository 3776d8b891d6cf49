//! Every TOC link must land: build books with mdBook's own HTML renderer, read the HTML, and
//! check each TOC href against the ids of its page, and that every heading is listed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::book_test::*;

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Values of `attr="..."` in `html`.
fn attrs(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    html.match_indices(needle.as_str())
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| unescape(&rest[..end]))
        })
        .collect()
}

/// The ids of the page's content, and of its headings between min and max level.
fn page_ids(main: &str, min: u8, max: u8) -> (BTreeSet<String>, BTreeSet<String>) {
    let all: BTreeSet<String> = attrs(main, "id").into_iter().collect();
    let mut headings = BTreeSet::new();
    for level in min..=max {
        let open = format!("<h{level} id=\"");
        for (i, _) in main.match_indices(&open) {
            let rest = &main[i + open.len()..];
            if let Some(end) = rest.find('"') {
                headings.insert(unescape(&rest[..end]));
            }
        }
    }
    (all, headings)
}

/// Checks every page of a built site; returns how many TOC links were checked.
fn check_site(site: &Path, min: u8, max: u8) -> usize {
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut pages = Vec::new();
    collect_html(site, &mut pages);
    for page in pages {
        if page.ends_with("print.html") || page.ends_with("toc.html") || page.ends_with("404.html")
        {
            continue;
        }
        let html = read(&page);
        let Some(start) = html.find("<main>") else {
            continue;
        };
        let main = &html[start..html.find("</main>").unwrap_or(html.len())];
        let Some(toc_start) = main.to_lowercase().find("<!-- toc -->") else {
            continue;
        };
        let toc_end = main[toc_start..]
            .find("<!-- /toc -->")
            .map_or(main.len(), |e| toc_start + e);
        let toc = &main[toc_start..toc_end];
        let (ids, mut headings) = page_ids(main, min, max);
        // Headings above the TOC (its own "Contents" title, the page title) are not listed.
        let (_, before) = page_ids(&main[..toc_start], min, max);
        headings.retain(|h| !before.contains(h) && !h.is_empty());
        let hrefs: Vec<String> = attrs(toc, "href")
            .into_iter()
            .filter_map(|h| h.strip_prefix('#').map(percent_decode))
            .collect();
        for href in &hrefs {
            checked += 1;
            if !ids.contains(href) {
                failures.push(format!(
                    "{}: TOC link #{href} lands nowhere",
                    page.display()
                ));
            }
        }
        let listed: BTreeSet<String> = hrefs.into_iter().collect();
        for h in headings.difference(&listed) {
            failures.push(format!(
                "{}: heading #{h} is missing from the TOC",
                page.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    checked
}

fn collect_html(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_html(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

#[test]
fn torture_headings_all_land_in_mdbooks_html() {
    let built = build(&fixture("toc-torture"));
    built.assert_exit(0);
    let checked = check_site(built.site(), 2, 6);
    // Three chapters (EP with markers, plain with auto TOC, marked), 37 entries each.
    assert!(checked >= 3 * 35, "only {checked} TOC links checked");
    let ep = built.read("eps/devex/0001-torture/index.html");
    assert!(!ep.contains("#nowhere"), "the stale TOC was not replaced");
    for id in [
        "foo-1-1",
        "foo-2",
        "custom-id",
        "dont--stop-now",
        "a--b--c--d",
        "note1",
        "twice2-1",
        "widget-1",
        "-1",
        "inline-html--text",
        "image--end",
        "-entity-",
    ] {
        assert!(
            ep.contains(&format!("<li><a href=\"#{id}\">")),
            "no TOC entry for #{id}"
        );
    }
    // Labels keep code and emphasis, never nested links; the raw <h2> and the code block are not headings.
    assert!(ep.contains("<a href=\"#--passes-add-more-rustdoc-passes\"><code>--passes</code>: add <em>more</em> <strong>rustdoc</strong> passes</a>"));
    assert!(ep.contains("<a href=\"#see-the-docs-now\">See the docs now</a>"));
    assert!(!ep.contains("href=\"#not-a-heading\""));
}

#[test]
fn every_toc_link_lands_in_the_demo_book() {
    let built = build(&repo());
    built.assert_exit(0);
    assert!(check_site(built.site(), 2, 4) > 50);
}

#[test]
fn every_toc_link_lands_in_the_kep_sample() {
    let relaxed = [
        "EP0103", "EP0201", "EP0202", "EP0401", "EP0403", "EP0404", "EP0501", "EP0601", "EP0604",
        "EP0606", "EP0607",
    ]
    .map(|c| (c, "allow"));
    let book = BookTest::kep_sample("# Summary\n", &relaxed);
    let built = book.build();
    built.assert_exit(0);
    assert!(check_site(built.site(), 2, 4) > 1000);
}

//! The demo book in a real browser: the system's Chromium, headless, driven over the DevTools
//! protocol (`headless_chrome`).
//!
//! Every page of the built demo book is loaded in each of mdBook's five themes at a desktop
//! width, and in one theme at 400 and 360 px, and checked as a reader's browser computes it:
//!
//! - no console error: no uncaught exception, no `console.error`, no resource that failed to
//!   load;
//! - the theme took: `<html>` carries the theme's class;
//! - no horizontal overflow at the narrow widths (a table may scroll inside its wrapper);
//! - contrast of mdbook-ep's own elements (everything under an `ep-` class), measured from the
//!   computed styles: text 4.5:1 (3:1 when large, as WCAG 1.4.3 has it), state dots and chart
//!   marks 3:1 (WCAG 1.4.11);
//! - every link into the book lands: its page exists and, with a fragment, so does that id.
//!
//! All failures are gathered and reported at once; for each page, theme and width that failed,
//! a screenshot (the offending elements outlined in magenta) is kept in
//! `target/browser-artefacts/`. Defects of mdBook's own that the test sees are in [`KNOWN`].
//! Without a browser the test says `SKIPPED` (and fails in CI).
//!
//! A new check is one more entry of [`CHECKS`]: a JavaScript function run in the loaded page
//! (it may be async, so it may click and wait) that returns the list of what is wrong.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Emulation, Log, Page, Runtime};
use headless_chrome::{Browser, LaunchOptions, Tab};

use crate::book_test::*;

/// mdBook 0.5's themes, as its theme menu names them.
const THEMES: [&str; 5] = ["light", "rust", "coal", "navy", "ayu"];
/// A desktop window: the sidebar shows beside the page.
const WIDE: u32 = 1400;
/// How many browsers share the visits, side by side. Not one: headless_chrome polls its socket,
/// so each call to a browser waits a good part of a tenth of a second, and one browser alone
/// takes minutes. Not one per theme either: each browser costs processor time of its own.
const BROWSERS: usize = 3;
/// How long the browser may say nothing before headless_chrome drops it.
const IDLE: Duration = Duration::from_secs(300);
/// How long a page may take to load.
const LOAD_TIMEOUT: Duration = Duration::from_secs(30);
/// The window's height at every width.
const HEIGHT: u32 = 900;

/// Every page is visited in each of these themes at these widths: every theme at the desktop
/// width, where colours and the console are read, and the narrow widths once (the layout is
/// the same in every theme).
const PLAN: [(&str, u32); 7] = [
    ("light", WIDE),
    ("rust", WIDE),
    ("coal", WIDE),
    ("navy", WIDE),
    ("ayu", WIDE),
    ("light", 400),
    ("light", 360),
];

/// A defect the test finds that is not mdbook-ep's to fix (mdBook's own theme or page): it is
/// reported but does not fail the test. One that is no longer seen fails it, so that the list
/// keeps only what is still true.
struct Known {
    check: &'static str,
    theme: &'static str,
    /// A part of the failure's message.
    contains: &'static str,
    why: &'static str,
}

const KNOWN: &[Known] = &[Known {
    check: "link",
    theme: "light",
    contains: "#document-not-found-404: no id",
    why: "mdBook's 404 page has <base href> at the site's root, so its heading's anchor \
              leads to the first page",
}];

/// One page of the book as loaded in one theme at one width.
#[derive(Clone, Copy)]
struct Visit<'a> {
    page: &'a str,
    theme: &'a str,
    width: u32,
}

/// A check run in the loaded page: `script` is a JavaScript function (it may be async) that
/// takes `{page, theme, width}` and returns a list of strings, one per thing that is wrong.
/// It may call `describe(element)` (a short CSS path) and `mark(element)` (outline it for the
/// screenshot, scroll it into view), defined in [`HELPERS_JS`].
struct Check {
    name: &'static str,
    applies: fn(&Visit) -> bool,
    script: &'static str,
}

/// The checks, in the order they run on each visit (the console is read after them).
const CHECKS: &[Check] = &[
    Check {
        name: "theme",
        applies: |_| true,
        script: THEME_JS,
    },
    Check {
        name: "overflow",
        applies: |v| v.width < WIDE,
        script: OVERFLOW_JS,
    },
    Check {
        name: "contrast",
        applies: |v| v.width == WIDE,
        script: CONTRAST_JS,
    },
    Check {
        name: "explorer",
        applies: |v| v.page == "eps/all.html" && v.theme == "light" && v.width == WIDE,
        script: EXPLORER_JS,
    },
];

/// The All EPs explorer as a reader uses it: each state, SIG and a person filter exactly the
/// rows that carry them, the count and the address follow, sorting by title both ways orders
/// the rows, a number finds its EP, and "Clear" brings every row back in reading order.
const EXPLORER_JS: &str = r#"async (v) => {
  const out = [];
  const root = document.getElementById('ep-explorer');
  if (!root || root.hidden) return ['the explorer is hidden with JavaScript on'];
  const form = root.querySelector('form');
  const all = () => [...document.querySelectorAll('#ep-explorer-table tbody tr')];
  const shown = () => all().filter((r) => !r.hidden);
  const total = all().length;
  const order = all().map((r) => r.cells[0].textContent);
  const settle = () => new Promise((r) => setTimeout(r, 30));
  const set = async (name, value) => {
    form.elements[name].value = value;
    form.elements[name].dispatchEvent(new Event(name === 'q' || name === 'person' ? 'input' : 'change', {bubbles: true}));
    await settle();
  };
  const expect = (what, keep) => {
    const want = all().filter(keep);
    const got = shown();
    if (got.length !== want.length || got.some((r) => !keep(r)))
      out.push(`${what}: ${got.length} rows shown, ${want.length} expected`);
    const line = root.querySelector('.ep-explorer-count').textContent;
    if (!line.includes(`Showing ${want.length} of ${total}`)) out.push(`${what}: count says "${line}"`);
    // Visible rows come first, so mdBook's stripes alternate on what is shown.
    const firstHidden = all().findIndex((r) => r.hidden);
    if (firstHidden >= 0 && all().slice(firstHidden).some((r) => !r.hidden))
      out.push(`${what}: a hidden row sits among the shown ones`);
  };
  for (const name of ['state', 'sig']) {
    const values = [...form.elements[name].options].map((o) => o.value).filter(Boolean);
    if (!values.length) out.push(`no ${name} to filter by`);
    for (const value of values) {
      await set(name, value);
      const attr = name === 'state' ? 'epState' : 'epSig';
      expect(`${name}=${value}`, (r) => r.dataset[attr] === value);
      if (new URLSearchParams(location.search).get(name) !== value)
        out.push(`${name}=${value} is not in the address: ${location.search}`);
    }
    await set(name, '');
  }
  const person = (all()[0].dataset.epPeople || '').split('\n')[0];
  if (!person) out.push('the first row names nobody');
  await set('person', person.replace(/^@/, '').toUpperCase());
  const bare = person.replace(/^@/, '').toLowerCase();
  expect(`person=${person}`, (r) => (r.dataset.epPeople || '').toLowerCase().split('\n').some((p) => p.replace(/^@/, '') .includes(bare)));
  await set('person', '');
  const numbered = all().find((r) => r.dataset.epNumber);
  await set('q', 'EP-' + numbered.dataset.epNumber);
  expect(`q=EP-${numbered.dataset.epNumber}`, (r) => r === numbered || r.cells[1].textContent.toLowerCase().includes('ep-' + numbered.dataset.epNumber));
  await set('q', '');
  const button = document.querySelector('#ep-explorer-table th[data-ep-key="title"] button');
  if (!button) return out.concat(['the Title header is no button']);
  const titles = () => shown().map((r) => r.cells[1].querySelector('a').textContent.trim());
  const collator = new Intl.Collator(undefined, {numeric: true, sensitivity: 'base'});
  for (const [clicks, dir, sign] of [[1, 'ascending', 1], [1, 'descending', -1]]) {
    for (let i = 0; i < clicks; i++) button.click();
    await settle();
    const t = titles();
    if (t.some((x, i) => i > 0 && sign * collator.compare(t[i - 1], x) > 0)) out.push(`titles are not ${dir}: ${t.join(' | ')}`);
    if (button.parentElement.getAttribute('aria-sort') !== dir) out.push(`aria-sort is not ${dir}`);
    if (new URLSearchParams(location.search).get('sort') !== 'title') out.push('the sort is not in the address');
  }
  form.querySelector('button[type=reset]').click();
  await new Promise((r) => setTimeout(r, 80));
  expect('after Clear', () => true);
  if (all().map((r) => r.cells[0].textContent).join() !== order.join()) out.push('Clear does not restore the reading order');
  if (location.search) out.push(`Clear leaves ${location.search} in the address`);
  return out;
}"#;

/// Defined before every check's script runs.
const HELPERS_JS: &str = r#"
const describe = (e) => {
  const parts = [];
  for (let n = e; n && n !== document.body && parts.length < 4; n = n.parentElement) {
    let s = n.tagName.toLowerCase();
    if (n.id) s += '#' + n.id;
    const cls = [...n.classList].filter((c) => !c.startsWith('hljs')).slice(0, 2);
    if (cls.length) s += '.' + cls.join('.');
    parts.unshift(s);
    if (n.id) break;
  }
  return parts.join(' > ');
};
const mark = (e) => {
  if (!document.querySelector('[data-ep-culprit]')) e.scrollIntoView({block: 'center'});
  e.setAttribute('data-ep-culprit', '');
  e.style.outline = '2px dashed magenta';
};
"#;

/// The theme asked for is the one shown.
const THEME_JS: &str = r#"(v) => {
  const cls = document.documentElement.classList;
  return cls.contains(v.theme) ? [] : [`<html class="${cls}">, not ${v.theme}`];
}"#;

/// The page is no wider than the window, and nothing sticks out of it: an element past the
/// window's right edge makes the reader scroll sideways (mdBook's `#mdbook-content` scrolls)
/// or is cut off (its `#mdbook-body-container` clips). Only an element inside a box of the
/// page's own that scrolls (`.table-wrapper`, `pre`, `.ep-chart-box`) may be wider.
const OVERFLOW_JS: &str = r#"(v) => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const content = document.getElementById('mdbook-content') || root;
  const main = document.querySelector('main') || content;
  const scrolls = (e) => {
    for (let p = e.parentElement; p && p !== main && p !== content; p = p.parentElement)
      if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true;
    return false;
  };
  const out = [];
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 0.5) continue;
    if (getComputedStyle(e).visibility !== 'visible' || scrolls(e)) continue;
    if (out.some((o) => o.contains(e))) continue;
    out.push(e);
  }
  const wide = root.scrollWidth > width || content.scrollWidth > content.clientWidth;
  if (!wide && out.length === 0) return [];
  const culprits = out.slice(0, 5).map((e) => {
    mark(e);
    const r = e.getBoundingClientRect();
    return `${describe(e)} (${Math.round(r.left)} to ${Math.round(r.right)} px)`;
  });
  return [`in a ${innerWidth} px window (${width} px beside the scroll bar) the page is ` +
    `${root.scrollWidth} px wide and its content ${content.scrollWidth} px in ` +
    `${content.clientWidth}; past the edge: ` +
    (culprits.join(', ') || 'nothing found') +
    (out.length > 5 ? ` and ${out.length - 5} more` : '')];
}"#;

/// WCAG contrast of mdbook-ep's own elements from computed styles. Text: `color` (SVG text:
/// `fill`) against the background it is drawn on, found by walking up the ancestors and
/// blending translucent backgrounds until an opaque one; 4.5:1, or 3:1 for large text (24 px,
/// or 18.66 px bold). State dots (`.ep-badge::before`) and chart marks: 3:1.
const CONTRAST_JS: &str = r#"(v) => {
  const parse = (s) => {
    let m = /^rgba?\(([^)]*)\)$/.exec(s);
    if (m) {
      const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(parseFloat);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    }
    m = /^color\(srgb ([^)]*)\)$/.exec(s);
    if (m) {
      const p = m[1].split(/[\s\/]+/).filter(Boolean).map(parseFloat);
      return [p[0] * 255, p[1] * 255, p[2] * 255, p.length > 3 ? p[3] : 1];
    }
    return null;
  };
  const over = (f, b) => [0, 1, 2].map((i) => f[i] * f[3] + b[i] * (1 - f[3])).concat([1]);
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map((x) => {
      x /= 255;
      return x <= 0.04045 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const hex = (c) =>
    '#' + c.slice(0, 3).map((x) => Math.round(x).toString(16).padStart(2, '0')).join('');
  const found = new Map();
  const measure = (what, e, colour, bg, need) => {
    if (!colour) {
      found.set(`${what} ${describe(e)}: colour not understood`, {n: 1, text: ''});
      return;
    }
    const fg = over(colour, bg);
    const r = ratio(fg, bg);
    if (r + 1e-9 >= need) return;
    mark(e);
    const key = `${what} ${describe(e)}: ${hex(fg)} on ${hex(bg)} = ${r.toFixed(2)}:1, ` +
      `needs ${need}:1`;
    const seen = found.get(key);
    if (seen) seen.n += 1;
    else found.set(key, {n: 1, text: (e.textContent || '').trim().slice(0, 40)});
  };
  const visible = (e) =>
    e.getClientRects().length > 0 && getComputedStyle(e).visibility === 'visible';
  const marks = ['rect', 'circle', 'path', 'line', 'polyline', 'polygon', 'ellipse'];
  const seen = new Set();
  for (const root of document.querySelectorAll('[class^="ep-"], [class*=" ep-"]')) {
    for (const e of [root, ...root.querySelectorAll('*')]) {
      if (seen.has(e) || !visible(e)) continue;
      seen.add(e);
      const cs = getComputedStyle(e);
      const tag = e.tagName.toLowerCase();
      const inSvg = e instanceof SVGElement;
      const hasText = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (hasText && (!inSvg || tag === 'text')) {
        const size = parseFloat(cs.fontSize);
        const large = size >= 24 || (size >= 18.66 && parseInt(cs.fontWeight, 10) >= 700);
        let colour = parse(inSvg ? cs.fill : cs.color);
        if (colour && inSvg) colour[3] *= parseFloat(cs.fillOpacity);
        measure('text', e, colour, background(e), large ? 3 : 4.5);
      }
      if (inSvg && marks.includes(tag)) {
        const colour = parse(cs.fill);
        if (colour) colour[3] *= parseFloat(cs.fillOpacity);
        measure('mark', e, colour, background(e), 3);
      }
      if (e.classList.contains('ep-badge')) {
        measure('dot', e, parse(getComputedStyle(e, '::before').backgroundColor), background(e), 3);
      }
    }
  }
  return [...found].map(([key, {n, text}]) =>
    `${key}${n > 1 ? ` (${n} elements)` : ''}${text ? ` e.g. "${text}"` : ''}`);
}"#;

/// Every id on the page, and every link with where it goes, to check once all pages are seen.
const ANCHORS_JS: &str = r#"() => ({
  ids: [...document.querySelectorAll('[id]')].map((e) => e.id)
    .concat([...document.querySelectorAll('a[name]')].map((a) => a.name)),
  links: [...document.querySelectorAll('a[href]')].filter((a) => a.protocol.startsWith('http'))
    .map((a) => ({
      origin: a.origin,
      path: decodeURIComponent(a.pathname),
      fragment: a.hash ? decodeURIComponent(a.hash.slice(1)) : null,
      href: a.getAttribute('href'),
    })),
})"#;

/// One thing wrong, where it was seen.
struct Failure {
    page: String,
    theme: String,
    width: u32,
    check: &'static str,
    what: String,
}

/// What one browser saw of the book.
#[derive(Default)]
struct Seen {
    visits: usize,
    failures: Vec<Failure>,
    shots: BTreeSet<PathBuf>,
    /// Each page's ids (light theme, wide window only: ids do not depend on either).
    ids: BTreeMap<String, BTreeSet<String>>,
    /// Each page's links, as [`ANCHORS_JS`] gives them.
    links: Vec<(String, serde_json::Value)>,
}

#[test]
fn demo_book_in_a_real_browser() {
    let Some(chrome) = find_browser() else {
        skip(
            "no Chromium or Chrome found (CHROME, or chromium, chromium-browser or google-chrome \
             on PATH); `apt-get install chromium` (.ci/run does) to run it",
        );
        return;
    };
    let started = Instant::now();
    let built = build(&repo());
    built.assert_exit(0);
    let site = built.site().to_path_buf();
    let pages = pages(&site);
    assert!(
        pages.len() > 10,
        "too few pages in the demo book: {pages:?}"
    );
    let origin = serve(site.clone());
    let artefacts = artefacts();

    // The visits in the plan's order, cut into one run of visits per browser. One browser per
    // run, not a tab per run in one browser: a second connection to a browser attaches to all
    // of its tabs, and one browser's tabs would share the theme kept in its storage.
    let visits: Vec<Visit> = PLAN
        .iter()
        .flat_map(|&(theme, width)| pages.iter().map(move |page| Visit { page, theme, width }))
        .collect();
    let mut seen: Vec<Seen> = std::thread::scope(|scope| {
        let runs: Vec<_> = visits
            .chunks(visits.len().div_ceil(BROWSERS))
            .map(|run| {
                let (chrome, origin, artefacts) = (&chrome, &origin, &artefacts);
                scope.spawn(move || {
                    let browser = launch(chrome);
                    let session = Session::open(&browser, origin);
                    let mut seen = Seen::default();
                    let mut shown = ("", 0);
                    for &visit in run {
                        if visit.theme != shown.0 {
                            session.set_theme(visit.theme);
                        }
                        if visit.width != shown.1 {
                            session.set_width(visit.width);
                        }
                        shown = (visit.theme, visit.width);
                        session.visit(visit, artefacts, &mut seen);
                    }
                    seen
                })
            })
            .collect();
        runs.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let mut all = Seen::default();
    for tab in &mut seen {
        all.visits += tab.visits;
        all.failures.append(&mut tab.failures);
        all.shots.append(&mut tab.shots);
        all.ids.append(&mut tab.ids);
        all.links.append(&mut tab.links);
    }

    // Links, now that every page's ids are known.
    let mut broken: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (page, link) in &all.links {
        if link["origin"].as_str() != Some(origin.as_str()) {
            continue; // another site: this test has no network
        }
        let mut target = link["path"]
            .as_str()
            .unwrap_or("/")
            .trim_start_matches('/')
            .to_owned();
        if target.is_empty() || target.ends_with('/') {
            target.push_str("index.html");
        }
        let href = link["href"].as_str().unwrap_or("?");
        let fragment = link["fragment"]
            .as_str()
            .filter(|f| !f.is_empty() && *f != "top");
        let wrong = match (all.ids.get(&target), fragment) {
            (Some(_), None) => None,
            (Some(ids), Some(f)) if ids.contains(f) => None,
            (Some(_), Some(f)) => Some(format!("{href}: no id \"{f}\" on {target}")),
            (None, _) if site.join(&target).is_file() => None,
            (None, _) => Some(format!("{href}: {target} does not exist")),
        };
        if let Some(wrong) = wrong {
            let wrongs = broken.entry(page.clone()).or_default();
            if !wrongs.contains(&wrong) {
                wrongs.push(wrong);
            }
        }
    }
    // A screenshot of each page with a broken link (that is not a known one).
    let unknown = |w: &String| !KNOWN.iter().any(|k| is_known("link", THEMES[0], w, k));
    let mut shots = broken
        .iter()
        .filter(|(_, wrongs)| wrongs.iter().any(unknown));
    if let Some(first) = shots.next() {
        let browser = launch(&chrome);
        let session = Session::open(&browser, &origin);
        session.set_theme(THEMES[0]);
        session.set_width(WIDE);
        for (page, _) in std::iter::once(first).chain(shots) {
            let visit = Visit {
                page,
                theme: THEMES[0],
                width: WIDE,
            };
            let _ = session.load(page);
            all.shots.insert(session.screenshot(&artefacts, &visit));
        }
    }
    for (page, wrongs) in broken {
        let visit = Visit {
            page: &page,
            theme: THEMES[0],
            width: WIDE,
        };
        all.failures
            .extend(wrongs.into_iter().map(|what| visit.failure("link", what)));
    }

    let summary = format!(
        "{} visits of {} pages, in {} themes at {WIDE} px and in one at 400 and 360 px, took \
         {:.1} s",
        all.visits,
        pages.len(),
        THEMES.len(),
        started.elapsed().as_secs_f64()
    );
    let mut report = String::new();
    for known in KNOWN {
        let seen = all.failures.iter().filter(|f| f.known(known)).count();
        if seen == 0 {
            report.push_str(&format!(
                "known defect no longer seen, remove it from KNOWN: {} [{}] {}\n",
                known.check, known.theme, known.contains
            ));
        } else {
            eprintln!(
                "browser: known, not failed ({seen} times): {} [{}] {}: {}",
                known.check, known.theme, known.contains, known.why
            );
        }
    }
    let failures: Vec<&Failure> = all
        .failures
        .iter()
        .filter(|f| !KNOWN.iter().any(|k| f.known(k)))
        .collect();
    for f in &failures {
        report.push_str(&format!(
            "{} [{}, {} px] {}: {}\n",
            f.page, f.theme, f.width, f.check, f.what
        ));
    }
    if report.is_empty() {
        eprintln!("browser: {summary}: all well");
        return;
    }
    report.push_str("screenshots:\n");
    for shot in &all.shots {
        report.push_str(&format!("  {}\n", shot.display()));
    }
    panic!("in the browser ({summary}):\n{report}");
}

/// Whether `KNOWN` entry `k` is the failure `check` `what` seen in `theme`.
fn is_known(check: &str, theme: &str, what: &str, k: &Known) -> bool {
    check == k.check && theme == k.theme && what.contains(k.contains)
}

impl Failure {
    fn known(&self, k: &Known) -> bool {
        is_known(self.check, &self.theme, &self.what, k)
    }
}

impl Visit<'_> {
    fn failure(&self, check: &'static str, what: String) -> Failure {
        Failure {
            page: self.page.to_owned(),
            theme: self.theme.to_owned(),
            width: self.width,
            check,
            what,
        }
    }
}

/// Starts a headless Chromium of its own (with a profile of its own, removed when it stops).
fn launch(chrome: &Path) -> Browser {
    // No sandbox: CI runs as root, where Chromium refuses its sandbox, and the browser only
    // ever loads the book's own pages from this machine.
    let options = LaunchOptions::default_builder()
        .path(Some(chrome.to_path_buf()))
        .headless(true)
        .sandbox(false)
        .window_size(Some((WIDE, HEIGHT)))
        .idle_browser_timeout(IDLE)
        .args(vec![OsStr::new("--lang=en-US")])
        .build()
        .unwrap();
    Browser::new(options).unwrap_or_else(|e| panic!("cannot start {}: {e:#}", chrome.display()))
}

/// The browser to drive: `CHROME` when set, else the first of the usual names on `PATH`.
fn find_browser() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROME") {
        return Some(PathBuf::from(path));
    }
    let dirs: Vec<PathBuf> =
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).collect();
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .flat_map(|name| dirs.iter().map(move |dir| dir.join(name)))
    .chain([PathBuf::from("/usr/bin/chromium")])
    .find(|path| path.is_file())
}

/// The site's pages, as paths from its root with `/`: every HTML file but `toc.html`, the
/// sidebar's copy for readers without JavaScript (every page shows the sidebar itself).
fn pages(site: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(site)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(site).unwrap();
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        })
        .filter(|p| p != "toc.html")
        .collect();
    pages.sort();
    pages
}

/// `target/browser-artefacts/`, emptied: the screenshots of this run's failures.
fn artefacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("browser-artefacts");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Serves `root` over HTTP on a loopback port, for the rest of the test run; returns the origin.
///
/// Not `file://`: a book is read from a web server, mdBook's `404.html` loads its styles from
/// the site's root, and a page that fetches JSON (as an explorer of `ep/eps.json` would) cannot
/// from `file://`.
fn serve(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || {
                let _ = answer(stream, &root);
            });
        }
    });
    origin
}

/// Answers one GET with the file asked for (`index.html` for a folder), or `404.html` as a 404.
fn answer(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let rel = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
    let rel = rel.trim_start_matches('/');
    let mut file = root.join(rel);
    if file.is_dir() {
        file = file.join("index.html");
    }
    let found = !rel.split('/').any(|s| s == "..") && file.is_file();
    let (status, file) = if found {
        ("200 OK", file)
    } else {
        ("404 Not Found", root.join("404.html"))
    };
    let body = std::fs::read(&file)?;
    let kind = match file.extension().and_then(OsStr::to_str).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "xml" => "application/xml",
        "txt" | "csv" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)
}

/// `%XX` escapes of a URL path, as UTF-8.
fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One tab in one theme, and what its console said since the last load.
struct Session {
    tab: Arc<Tab>,
    origin: String,
    console: Arc<Mutex<Vec<String>>>,
    /// What the tab has signalled: `load <loader>` when the document of a navigation has
    /// loaded, `barrier <n>` when the console has said so.
    signals: Arc<(Mutex<BTreeSet<String>>, Condvar)>,
    /// The number of the last barrier.
    barriers: std::cell::Cell<u64>,
}

impl Session {
    /// A tab of `browser` for the book at `origin`.
    fn open(browser: &Browser, origin: &str) -> Session {
        let tab = browser.new_tab().expect("open a tab");
        tab.enable_runtime().expect("Runtime.enable");
        tab.enable_log().expect("Log.enable");
        let console = Arc::new(Mutex::new(Vec::new()));
        let signals = Arc::new((Mutex::new(BTreeSet::new()), Condvar::new()));
        let (sink, signal) = (Arc::clone(&console), Arc::clone(&signals));
        tab.add_event_listener(Arc::new(move |event: &Event| {
            if let Some(said) = signalled(event) {
                signal.0.lock().unwrap().insert(said);
                signal.1.notify_all();
            } else if let Some(line) = console_error(event) {
                sink.lock().unwrap().push(line);
            }
        }))
        .unwrap();
        Session {
            tab,
            origin: origin.to_owned(),
            console,
            signals,
            barriers: std::cell::Cell::new(0),
        }
    }

    /// Shows the pages loaded from now on in `theme`, as a reader chooses it: mdBook keeps it
    /// in `localStorage` and reads it as a page loads.
    fn set_theme(&self, theme: &str) {
        self.load("index.html").expect("load index.html");
        let set = format!("localStorage.setItem('mdbook-theme', {theme:?})");
        self.tab.evaluate(&set, false).expect("set the theme");
    }

    /// Sets the window's width (and [`HEIGHT`]); pages loaded from now on lay out for it.
    fn set_width(&self, width: u32) {
        self.tab
            .call_method(Emulation::SetDeviceMetricsOverride {
                width,
                height: HEIGHT,
                device_scale_factor: 1.0,
                mobile: false,
                scale: None,
                screen_width: None,
                screen_height: None,
                position_x: None,
                position_y: None,
                dont_set_visible_size: None,
                screen_orientation: None,
                viewport: None,
                display_feature: None,
                device_posture: None,
            })
            .expect("Emulation.setDeviceMetricsOverride");
    }

    /// Loads `page` and waits for its `load` event. The console's errors from now on are the
    /// page's, for [`Session::console`].
    fn load(&self, page: &str) -> Result<(), String> {
        self.console.lock().unwrap().clear();
        let url = format!("{}/{page}", self.origin);
        // Page.navigate and the load event of the document it started, not headless_chrome's
        // `navigate_to` and `wait_until_navigated`: those wait for the network to be idle for
        // half a second, on every page.
        let navigation = self
            .tab
            .call_method(Page::Navigate {
                url: url.clone(),
                referrer: None,
                transition_Type: None,
                frame_id: None,
                referrer_policy: None,
            })
            .map_err(|e| format!("loading {url}: {e:#}"))?;
        if let Some(error) = navigation.error_text {
            return Err(format!("loading {url}: {error}"));
        }
        let loader = navigation.loader_id.unwrap_or_default();
        self.wait_for(&format!("load {loader}"))
            .map_err(|()| format!("{url} did not load in {LOAD_TIMEOUT:?}"))
    }

    /// Waits until the tab has signalled `signal` (see [`signalled`]).
    fn wait_for(&self, signal: &str) -> Result<(), ()> {
        let (signals, changed) = &*self.signals;
        let (mut signals, _) = changed
            .wait_timeout_while(signals.lock().unwrap(), LOAD_TIMEOUT, |s| {
                !s.contains(signal)
            })
            .unwrap();
        if signals.remove(signal) {
            Ok(())
        } else {
            Err(())
        }
    }

    /// The console's errors since the page began to load, up to the barrier that
    /// [`Session::run`] logged last: the console's events come on a thread of their own, and
    /// once the barrier has come, all that the page logged before it has too.
    /// Without `ran` (the checks failed to run) it takes what has come.
    fn console(&self, ran: bool) -> Vec<String> {
        let barrier = format!("barrier {}", self.barriers.get());
        let mut errors = Vec::new();
        if ran && self.wait_for(&barrier).is_err() {
            errors.push(format!(
                "no {BARRIER} in the console after {LOAD_TIMEOUT:?}"
            ));
        }
        errors.append(&mut self.console.lock().unwrap());
        errors
    }

    /// Loads the visit's page, runs the checks that apply in one go, and files what is wrong
    /// (with a screenshot) and, in the light theme at the wide width, the page's ids and links.
    fn visit(&self, visit: Visit, artefacts: &Path, seen: &mut Seen) {
        seen.visits += 1;
        let mut wrong: Vec<(&'static str, String)> = Vec::new();
        if let Err(e) = self.load(visit.page) {
            wrong.push(("load", e));
        }
        let mut scripts: Vec<(&'static str, &'static str)> = CHECKS
            .iter()
            .filter(|c| (c.applies)(&visit))
            .map(|c| (c.name, c.script))
            .collect();
        let anchors = visit.width == WIDE && visit.theme == THEMES[0];
        if anchors {
            scripts.push(("anchors", ANCHORS_JS));
        }
        let ran = self.run(&scripts, &visit);
        let console = self.console(ran.is_ok());
        match ran {
            Ok(mut results) => {
                for (name, _) in &scripts {
                    let result = results[*name].take();
                    if *name == "anchors" {
                        let ids = result["ids"].as_array().into_iter().flatten();
                        let ids = ids.filter_map(|i| i.as_str().map(str::to_owned));
                        seen.ids.insert(visit.page.to_owned(), ids.collect());
                        let links = result["links"].as_array().cloned().unwrap_or_default();
                        let links = links.into_iter().map(|l| (visit.page.to_owned(), l));
                        seen.links.extend(links);
                    } else if let serde_json::Value::Array(found) = result {
                        let found = found.iter().map(|w| w.as_str().unwrap_or("?").to_owned());
                        wrong.extend(found.map(|w| (*name, w)));
                    } else {
                        wrong.push((name, format!("returned {result}")));
                    }
                }
            }
            Err(e) => wrong.push(("checks", e)),
        }
        // Read after the checks, which wait for the page to settle: late errors count too.
        wrong.splice(0..0, console.into_iter().map(|e| ("console", e)));
        let unknown = |(check, what): &(&str, String)| {
            !KNOWN.iter().any(|k| is_known(check, visit.theme, what, k))
        };
        if wrong.iter().any(unknown) {
            seen.shots.insert(self.screenshot(artefacts, &visit));
        }
        let failures = wrong
            .into_iter()
            .map(|(check, what)| visit.failure(check, what));
        seen.failures.extend(failures);
    }

    /// Runs each `(name, script)` in the page once it has settled (fonts loaded, queued tasks
    /// run), in one call to the browser, then logs the next barrier (see [`Session::console`]);
    /// returns `{name: what the script returned}`. A script that throws returns the one
    /// failure saying so.
    fn run(&self, scripts: &[(&str, &str)], visit: &Visit) -> Result<serde_json::Value, String> {
        let argument = serde_json::json!({
            "page": visit.page, "theme": visit.theme, "width": visit.width,
        });
        let mut expression = String::from("(async (visit) => {\n");
        expression.push_str(HELPERS_JS);
        expression.push_str(
            "await document.fonts.ready;\n\
             await new Promise((r) => setTimeout(r, 0));\n\
             const out = {};\n",
        );
        for (name, script) in scripts {
            expression.push_str(&format!(
                "try {{ out[{name:?}] = await ({script})(visit); }} \
                 catch (e) {{ out[{name:?}] = ['the check threw: ' + (e && e.stack || e)]; }}\n"
            ));
        }
        let barrier = self.barriers.get() + 1;
        self.barriers.set(barrier);
        expression.push_str(&format!(
            "console.debug('{BARRIER} {barrier}');\nreturn JSON.stringify(out); }})({argument})"
        ));
        let result = self
            .tab
            .evaluate(&expression, true)
            .map_err(|e| format!("{e:#}"))?;
        let text = result
            .value
            .as_ref()
            .and_then(|v| v.as_str())
            .ok_or_else(|| format!("the checks returned {:?}", result.description))?;
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    /// A PNG of the window as it is now, in `dir`, named after the visit; returns its path.
    fn screenshot(&self, dir: &Path, visit: &Visit) -> PathBuf {
        let name = format!(
            "{}-{}-{}.png",
            visit.page.trim_end_matches(".html").replace('/', "_"),
            visit.theme,
            visit.width
        );
        let path = dir.join(name);
        match self.tab.capture_screenshot(
            Page::CaptureScreenshotFormatOption::Png,
            None,
            None,
            true,
        ) {
            Ok(png) => std::fs::write(&path, png).unwrap(),
            Err(e) => eprintln!("no screenshot {}: {e:#}", path.display()),
        }
        path
    }
}

/// What [`Session::console`] logs to know that the console's events so far have come.
const BARRIER: &str = "mdbook-ep barrier";

/// A signal for [`Session::wait_for`]: `load <loader>` when a document has loaded, `barrier
/// <n>` when the page has logged [`BARRIER`] `<n>`.
fn signalled(event: &Event) -> Option<String> {
    match event {
        Event::PageLifecycleEvent(e) if e.params.name == "load" => {
            Some(format!("load {}", e.params.loader_id))
        }
        Event::RuntimeConsoleAPICalled(e)
            if matches!(
                e.params.Type,
                Runtime::ConsoleAPICalledEventTypeOption::Debug
            ) =>
        {
            let said = e.params.args.first()?.value.as_ref()?.as_str()?;
            let n = said.strip_prefix(BARRIER)?.trim();
            Some(format!("barrier {n}"))
        }
        _ => None,
    }
}

/// A console line that counts as an error: an uncaught exception, `console.error` or
/// `console.assert`, or a browser message of level error (a resource that failed to load).
fn console_error(event: &Event) -> Option<String> {
    match event {
        Event::RuntimeExceptionThrown(e) => {
            let d = &e.params.exception_details;
            let what = d
                .exception
                .as_ref()
                .and_then(|x| x.description.clone())
                .unwrap_or_else(|| d.text.clone());
            let at = d.url.clone().unwrap_or_default();
            Some(format!("uncaught {what} at {at}:{}", d.line_number + 1))
        }
        Event::RuntimeConsoleAPICalled(e)
            if matches!(
                e.params.Type,
                Runtime::ConsoleAPICalledEventTypeOption::Error
                    | Runtime::ConsoleAPICalledEventTypeOption::Assert
            ) =>
        {
            let args: Vec<String> = e
                .params
                .args
                .iter()
                .map(|a| match &a.value {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(v) => v.to_string(),
                    None => a.description.clone().unwrap_or_default(),
                })
                .collect();
            Some(format!("console.error: {}", args.join(" ")))
        }
        Event::LogEntryAdded(e) if matches!(e.params.entry.level, Log::LogEntryLevel::Error) => {
            let entry = &e.params.entry;
            let url = entry.url.clone().unwrap_or_default();
            Some(format!("{:?}: {} {url}", entry.source, entry.text))
        }
        _ => None,
    }
}

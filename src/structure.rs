//! The book's EP part, generated from the EPs on every build: a part per SIG (or per state),
//! state (or SIG) chapters inside, the EPs inside those, and index pages under the EP landing
//! chapter. SUMMARY.md keeps only the author's own chapters.
//!
//! mdBook's HTML renderer nests the sidebar by section-number depth and panics on a depth jump,
//! so every generated chapter is numbered and the whole book is renumbered afterwards; part
//! titles stay at the top level; every path is unique and non-empty.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use mdbook_preprocessor::book::{Book, BookItem, Chapter, SectionNumber};

use crate::config::{EpConfig, GroupBy};
use crate::ep::Ep;
use crate::model::State;
use crate::render::escape::page_path;
use crate::render::{self, Directory, index};

/// Files of the source folder the structure may use as page introductions (source path ->
/// text): the EP folder's `README.md` and each SIG folder's `README.md`, when SUMMARY.md does not
/// list them.
pub type Intros = BTreeMap<PathBuf, String>;

/// A chapter to be generated, before numbering.
struct Page {
    name: String,
    path: PathBuf,
    source_path: Option<PathBuf>,
    content: String,
    children: Vec<Page>,
}

/// Orders EPs the way readers expect: by number, drafts last by date.
pub fn sort_eps(eps: &mut [&Ep]) {
    eps.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
}

/// The reading order: numbered EPs by number, then drafts by date, then by path.
pub fn sort_key(e: &Ep) -> (bool, Option<u32>, Option<crate::model::Date>, &Path) {
    let date = match &e.kind {
        crate::discover::Kind::Draft { date, .. } => *date,
        crate::discover::Kind::Numbered { .. } => None,
    };
    (e.is_draft(), e.number(), date, e.path.as_path())
}

fn of_sig<'a>(pool: &[&'a Ep], sig: &str) -> Vec<&'a Ep> {
    pool.iter().copied().filter(|e| e.sig == sig).collect()
}

fn in_state<'a>(pool: &[&'a Ep], state: State) -> Vec<&'a Ep> {
    pool.iter()
        .copied()
        .filter(|e| e.state() == Some(state))
        .collect()
}

/// Makes the generated pages; owns the set of taken paths so every page gets a unique one.
struct Builder<'a> {
    cfg: &'a EpConfig,
    dir: Directory<'a>,
    intros: &'a Intros,
    /// Every EP, sorted, bucketed once by SIG and by state: index pages list them all,
    /// wherever their chapters are.
    by_sig: BTreeMap<&'a str, Vec<&'a Ep>>,
    by_state: BTreeMap<State, Vec<&'a Ep>>,
    used: HashSet<PathBuf>,
    /// Renders an EP chapter; a parameter so the structure can be measured on its own.
    render_ep: &'a dyn Fn(&Ep, &Directory<'_>) -> String,
}

impl<'a> Builder<'a> {
    fn unique(&mut self, wanted: PathBuf) -> PathBuf {
        let mut candidate = wanted.clone();
        let mut n = 1;
        while self.used.contains(&candidate)
            || self.used.contains(&output_path(&candidate, self.cfg))
        {
            let stem = wanted.file_stem().unwrap_or_default().to_string_lossy();
            candidate = wanted.with_file_name(format!("{stem}-{n}.md"));
            n += 1;
        }
        self.used.insert(candidate.clone());
        candidate
    }

    fn here(&self, path: &Path) -> String {
        page_path(path, self.cfg.readme_is_index)
    }

    /// A SIG's page. Its path does not depend on the grouping, so links survive a change of it.
    fn sig_page(&mut self, sig: &str, children: Vec<Page>) -> Page {
        let readme = self.cfg.eps_dir.join(sig).join("README.md");
        let intro = self.intros.get(&readme);
        let path = self.unique(self.cfg.eps_dir.join(sig).join("index.md"));
        let here = self.here(&path);
        Page {
            name: self.cfg.sig_name(sig).to_string(),
            content: index::sig_page(
                sig,
                intro.map(String::as_str),
                self.by_sig.get(sig).map_or(&[][..], Vec::as_slice),
                &here,
                &self.dir,
                self.cfg,
            ),
            source_path: intro.map(|_| readme),
            path,
            children,
        }
    }

    fn state_page(&mut self, state: State, children: Vec<Page>) -> Page {
        let path = self.unique(
            self.cfg
                .eps_dir
                .join("states")
                .join(format!("{}.md", state.as_str())),
        );
        let here = self.here(&path);
        Page {
            name: format!("{} EPs", state.title()),
            content: index::state_page(
                state,
                self.by_state.get(&state).map_or(&[][..], Vec::as_slice),
                &here,
                &self.dir,
                self.cfg,
            ),
            path,
            source_path: None,
            children,
        }
    }

    /// One SIG's EPs in one state, with those EPs as its chapters.
    fn group_page(&mut self, sig: &str, state: State, name: String, placed: &[&Ep]) -> Page {
        let path = self.unique(
            self.cfg
                .eps_dir
                .join(sig)
                .join(format!("{}.md", state.as_str())),
        );
        let here = self.here(&path);
        Page {
            name,
            content: index::group_page(
                sig,
                state,
                &in_state(self.by_sig.get(sig).map_or(&[][..], Vec::as_slice), state),
                &here,
                &self.dir,
                self.cfg,
            ),
            source_path: None,
            path,
            children: self.ep_pages(placed),
        }
    }

    fn ep_pages(&self, list: &[&Ep]) -> Vec<Page> {
        list.iter()
            .map(|ep| Page {
                name: ep.display_name(),
                path: output_path(&ep.path, self.cfg),
                source_path: Some(ep.path.clone()),
                content: (self.render_ep)(ep, &self.dir),
                children: Vec::new(),
            })
            .collect()
    }
}

/// Adds the generated EP part to `book` and returns the range of top-level items it inserted.
/// It goes at `at` when given (where SUMMARY.md's `ep:summary` region was), else after the
/// chapter that links the EP folder's `README.md`, else at the end. EP chapters that SUMMARY.md
/// lists by hand keep their place (their content is rendered by the caller) and are not
/// duplicated.
pub fn restructure(
    book: &mut Book,
    eps: &[Ep],
    cfg: &EpConfig,
    intros: &Intros,
    at: Option<usize>,
    kpis: Option<&crate::kpi::Kpis>,
) -> std::ops::Range<usize> {
    let render_ep = |ep: &Ep, dir: &Directory<'_>| render::chapter_content(ep, dir, cfg);
    restructure_with(book, eps, cfg, intros, at, &render_ep, kpis)
}

/// [`restructure`] with the EP chapter renderer given, so benchmarks can time the structure
/// alone. With `kpis`, a "Dashboard" page joins the index pages.
pub fn restructure_with(
    book: &mut Book,
    eps: &[Ep],
    cfg: &EpConfig,
    intros: &Intros,
    at: Option<usize>,
    render_ep: &dyn Fn(&Ep, &Directory<'_>) -> String,
    kpis: Option<&crate::kpi::Kpis>,
) -> std::ops::Range<usize> {
    let mut listed: HashSet<PathBuf> = HashSet::new();
    let mut used: HashSet<PathBuf> = HashSet::new();
    for item in book.iter() {
        if let BookItem::Chapter(ch) = item {
            if let Some(s) = &ch.source_path {
                listed.insert(s.clone());
            }
            if let Some(p) = &ch.path {
                used.insert(p.clone());
                used.insert(output_path(p, cfg));
            }
        }
    }
    let mut all: Vec<&Ep> = eps.iter().collect();
    sort_eps(&mut all);
    // EP chapters take their own file's path; reserve them before any generated page.
    used.extend(
        all.iter()
            .filter(|e| !listed.contains(&e.path))
            .map(|e| output_path(&e.path, cfg)),
    );
    let placed: Vec<&Ep> = all
        .iter()
        .copied()
        .filter(|e| !listed.contains(&e.path))
        .collect();
    let mut sigs: Vec<&str> = all.iter().map(|e| e.sig.as_str()).collect();
    sigs.sort_unstable();
    sigs.dedup();
    let states: Vec<State> = State::ALL
        .into_iter()
        .filter(|s| all.iter().any(|e| e.state() == Some(*s)))
        .collect();
    let mut b = Builder {
        cfg,
        dir: Directory::new(eps, cfg),
        intros,
        by_sig: BTreeMap::new(),
        by_state: BTreeMap::new(),
        used,
        render_ep,
    };
    for ep in &all {
        b.by_sig.entry(ep.sig.as_str()).or_default().push(ep);
        if let Some(st) = ep.state() {
            b.by_state.entry(st).or_default().push(ep);
        }
    }

    let mut parts: Vec<(String, Page)> = Vec::new();
    let mut by_other: Vec<Page> = Vec::new();
    let nested = cfg.group_by.len() > 1;
    match cfg.group_by.first() {
        Some(GroupBy::Sig) => {
            for sig in &sigs {
                let mine = of_sig(&placed, sig);
                let children = if nested {
                    let mut groups = Vec::new();
                    for st in &states {
                        let list = in_state(&mine, *st);
                        if !list.is_empty() {
                            groups.push(b.group_page(sig, *st, st.title().to_string(), &list));
                        }
                    }
                    groups
                } else {
                    b.ep_pages(&mine)
                };
                let page = b.sig_page(sig, children);
                parts.push((page.name.clone(), page));
            }
            for st in &states {
                let page = b.state_page(*st, Vec::new());
                by_other.push(page);
            }
        }
        Some(GroupBy::State) => {
            for st in &states {
                let mine = in_state(&placed, *st);
                let children = if nested {
                    let mut groups = Vec::new();
                    for sig in &sigs {
                        let list = of_sig(&mine, sig);
                        if !list.is_empty() {
                            groups.push(b.group_page(
                                sig,
                                *st,
                                cfg.sig_name(sig).to_string(),
                                &list,
                            ));
                        }
                    }
                    groups
                } else {
                    b.ep_pages(&mine)
                };
                let page = b.state_page(*st, children);
                parts.push((st.title().to_string(), page));
            }
            for sig in &sigs {
                let page = b.sig_page(sig, Vec::new());
                by_other.push(page);
            }
        }
        None => {}
    }

    // Index pages under the EP landing chapter.
    let all_path = b.unique(cfg.eps_dir.join("all.md"));
    let all_here = b.here(&all_path);
    let mut index_pages = vec![Page {
        name: "All EPs".into(),
        content: index::all_page(&all, &all_here, &b.dir, cfg),
        path: all_path,
        source_path: None,
        children: Vec::new(),
    }];
    if let Some(kpis) = kpis {
        let path = b.unique(cfg.eps_dir.join("dashboard.md"));
        let here = b.here(&path);
        index_pages.push(Page {
            name: "Dashboard".into(),
            content: render::dashboard::page(kpis, &all, &here, &b.dir, cfg),
            path,
            source_path: None,
            children: Vec::new(),
        });
    }
    if !by_other.is_empty() {
        let (name, file, body) = match cfg.group_by.first() {
            Some(GroupBy::State) => (
                "EPs by SIG",
                "sigs.md",
                "Each SIG's page lists its EPs in every state.",
            ),
            _ => (
                "EPs by state",
                "states.md",
                "Each state's page lists its EPs across SIGs.",
            ),
        };
        let path = b.unique(cfg.eps_dir.join(file));
        index_pages.push(Page {
            name: name.into(),
            content: format!("# {name}\n\n{body}\n"),
            path,
            source_path: None,
            children: by_other,
        });
    }

    // The generated run: after the author's EP landing chapter when SUMMARY.md links one (the
    // index pages follow it as siblings), else a part of its own with a landing chapter.
    let anchor_sources = [cfg.eps_dir.join("README.md"), cfg.eps_dir.join("index.md")];
    let anchor = find_anchor(&book.items, &anchor_sources);
    let mut run: Vec<BookItem> = Vec::new();
    match anchor {
        Some(_) => run.extend(index_pages.into_iter().map(|p| to_item(p, &[], true))),
        None => {
            let readme = cfg.eps_dir.join("README.md");
            let (content, source_path) = match intros.get(&readme) {
                Some(text) => (text.clone(), Some(readme)),
                None => (index::landing_page(&all, sigs.len()), None),
            };
            let landing = Page {
                name: "Enhancement Proposals".into(),
                path: b.unique(cfg.eps_dir.join("index.md")),
                source_path,
                content,
                children: index_pages,
            };
            run.push(BookItem::PartTitle("Enhancement Proposals".into()));
            run.push(to_item(landing, &[], true));
        }
    }
    for (title, page) in parts {
        run.push(BookItem::PartTitle(title));
        run.push(to_item(page, &[], true));
    }
    let at = at
        .or(anchor.map(|top| top + 1))
        .unwrap_or(book.items.len())
        .min(book.items.len());
    if at < book.items.len() {
        // The author's chapters that follow would otherwise read as part of the last SIG.
        run.push(BookItem::Separator);
    }
    let inserted = at..at + run.len();
    book.items.splice(at..at, run);
    renumber(&mut book.items, &[], &mut 0);
    inserted
}

/// Where mdBook writes a chapter: `README.md` becomes `index.md` when the `index` preprocessor
/// runs, which it does after `ep` by default.
fn output_path(path: &Path, cfg: &EpConfig) -> PathBuf {
    if cfg.readme_is_index
        && path
            .file_name()
            .is_some_and(|n| n.eq_ignore_ascii_case("README.md"))
    {
        path.with_file_name("index.md")
    } else {
        path.to_path_buf()
    }
}

fn with_parent(parents: &[String], name: &str) -> Vec<String> {
    let mut v = parents.to_vec();
    v.push(name.to_string());
    v
}

fn to_item(page: Page, parents: &[String], numbered: bool) -> BookItem {
    let mine = with_parent(parents, &page.name);
    let children = page
        .children
        .into_iter()
        .map(|c| to_item(c, &mine, numbered))
        .collect();
    BookItem::Chapter(Chapter {
        name: page.name,
        content: page.content,
        // A placeholder: `renumber` assigns the real numbers once the book is assembled.
        number: numbered.then(|| SectionNumber::new(vec![0])),
        sub_items: children,
        path: Some(page.path),
        source_path: page.source_path,
        parent_names: parents.to_vec(),
    })
}

/// The top-level index of the item that contains the EP landing chapter.
fn find_anchor(items: &[BookItem], sources: &[PathBuf]) -> Option<usize> {
    fn contains(item: &BookItem, sources: &[PathBuf]) -> bool {
        match item {
            BookItem::Chapter(ch) => {
                ch.source_path.as_ref().is_some_and(|s| sources.contains(s))
                    || ch.sub_items.iter().any(|c| contains(c, sources))
            }
            _ => false,
        }
    }
    items.iter().position(|i| contains(i, sources))
}

/// Numbers every numbered chapter by its position, one level deeper per nesting, as mdBook does
/// for SUMMARY.md; numbering runs on across parts and separators.
fn renumber(items: &mut [BookItem], prefix: &[u32], counter: &mut u32) {
    for item in items {
        if let BookItem::Chapter(ch) = item {
            if ch.number.is_some() {
                *counter += 1;
                let mut number = prefix.to_vec();
                number.push(*counter);
                let mut child_counter = 0;
                renumber(&mut ch.sub_items, &number, &mut child_counter);
                ch.number = Some(SectionNumber::new(number));
            } else {
                // Unnumbered chapters (prefix/suffix) cannot nest in mdBook; number any children
                // as if they followed at this level so depths never jump.
                renumber(&mut ch.sub_items, prefix, counter);
            }
        }
    }
}

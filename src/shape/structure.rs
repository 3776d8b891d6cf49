//! The book's EP part, generated from the EPs on every build: one part ("EPs by SIG" or "EPs by
//! state") with a chapter per SIG (or per state), state (or SIG) chapters inside, the EPs inside
//! those, and index pages under the EP landing chapter. SUMMARY.md keeps only the author's own
//! chapters. Each SIG is one sidebar entry: a part title per SIG above its own chapter of the
//! same name said everything twice.
//!
//! The structure is a [`Plan`]: which pages exist, where, and what each shows ([`Show`]).
//! Rendering the pages is the caller's (the preprocessor passes `render::page`), so the shape
//! of a book can be built, tested and measured without rendering a line.
//!
//! mdBook's HTML renderer nests the sidebar by section-number depth and panics on a depth jump,
//! so every generated chapter is numbered and the whole book is renumbered afterwards; part
//! titles stay at the top level; every path is unique and non-empty.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use mdbook_preprocessor::book::{Book, BookItem, Chapter, SectionNumber};

use crate::dialect::pages::{output_path, page_path};
use crate::kpi::{Kpis, SigKpis};
use crate::model::{Date, State};
use crate::read::config::{EpConfig, GroupBy};
use crate::read::discover::Kind;
use crate::read::ep::Ep;

/// Files of the source folder the structure may use as page introductions (source path ->
/// text): the EP folder's `README.md` and each SIG folder's `README.md`, when SUMMARY.md does not
/// list them.
pub type Intros = BTreeMap<PathBuf, String>;

/// What a generated page shows. The EP lists are in reading order.
#[derive(Clone, Debug)]
pub enum Show<'a> {
    /// An EP's own chapter.
    Ep(&'a Ep),
    /// A SIG's overview of all its EPs, after its `README.md` when it has one.
    Sig {
        /// The SIG's folder name.
        sig: &'a str,
        /// The SIG folder's `README.md`.
        intro: Option<&'a str>,
        /// Every EP of the SIG.
        eps: Vec<&'a Ep>,
        /// Its own KPIs, when the book has a calendar.
        kpis: Option<&'a SigKpis>,
    },
    /// Every EP in one state, across SIGs.
    State {
        /// The state.
        state: State,
        /// Every EP in it.
        eps: Vec<&'a Ep>,
    },
    /// One SIG's EPs in one state.
    Group {
        /// The SIG's folder name.
        sig: &'a str,
        /// The state.
        state: State,
        /// Every EP of the SIG in the state.
        eps: Vec<&'a Ep>,
    },
    /// Every EP.
    All(Vec<&'a Ep>),
    /// The KPIs, and every EP they are about.
    Dashboard {
        /// The figures.
        kpis: &'a Kpis,
        /// Every EP.
        eps: Vec<&'a Ep>,
    },
    /// The page that gathers the pages of the other grouping ("EPs by state").
    Gathering {
        /// Its title.
        title: &'static str,
        /// One sentence on what its chapters are.
        body: &'static str,
    },
    /// The EP part's landing page: the EP folder's `README.md` as written, else a summary.
    Landing {
        /// The EP folder's `README.md`.
        intro: Option<&'a str>,
        /// Every EP.
        eps: Vec<&'a Ep>,
        /// How many SIGs there are.
        sigs: usize,
    },
}

/// A chapter to be generated, before numbering.
#[derive(Clone, Debug)]
pub struct Page<'a> {
    /// The chapter's name in the sidebar.
    pub name: String,
    /// Where the page renders, relative to the source folder (unique in the book).
    pub path: PathBuf,
    /// The file the page comes from, when there is one.
    pub source_path: Option<PathBuf>,
    /// What the page shows.
    pub show: Show<'a>,
    /// Its sub-chapters.
    pub children: Vec<Page<'a>>,
}

/// One top-level item of the generated run.
#[derive(Clone, Debug)]
enum Top<'a> {
    Part(String),
    Page(Page<'a>),
    Separator,
}

/// The generated EP part and where it goes among the book's top-level items.
#[derive(Clone, Debug)]
pub struct Plan<'a> {
    run: Vec<Top<'a>>,
    at: usize,
}

/// Orders EPs the way readers expect: by number, drafts last by date.
pub(crate) fn sort_eps(eps: &mut [&Ep]) {
    eps.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
}

/// The reading order: numbered EPs by number, then drafts by date, then by path.
pub(crate) fn sort_key(e: &Ep) -> (bool, Option<u32>, Option<Date>, &Path) {
    let date = match &e.kind {
        Kind::Draft { date, .. } => *date,
        Kind::Numbered { .. } => None,
    };
    (e.is_draft(), e.number(), date, e.path.as_path())
}

/// One value of a grouping dimension: the parts of the book and the chapters inside them are
/// both made of these, so grouping by SIG then state and by state then SIG share one code path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Group<'a> {
    Sig(&'a str),
    State(State),
}

impl<'a> Group<'a> {
    fn holds(self, ep: &Ep) -> bool {
        match self {
            Group::Sig(sig) => ep.sig == sig,
            Group::State(state) => ep.state() == Some(state),
        }
    }

    fn of(self, pool: &[&'a Ep]) -> Vec<&'a Ep> {
        pool.iter().copied().filter(|e| self.holds(e)).collect()
    }

    /// The name as a chapter under a value of the other dimension.
    fn name(self, cfg: &EpConfig) -> String {
        match self {
            Group::Sig(sig) => cfg.sig_name(sig).to_string(),
            Group::State(state) => state.title().to_string(),
        }
    }
}

/// Makes the generated pages; owns the set of taken paths so every page gets a unique one.
struct Builder<'a> {
    cfg: &'a EpConfig,
    intros: &'a Intros,
    /// Every EP, sorted, bucketed once by SIG and by state: index pages list them all,
    /// wherever their chapters are.
    by_sig: BTreeMap<&'a str, Vec<&'a Ep>>,
    by_state: BTreeMap<State, Vec<&'a Ep>>,
    used: HashSet<PathBuf>,
    /// The KPIs, when the book has a calendar: each SIG's page shows its own.
    kpis: Option<&'a Kpis>,
}

impl<'a> Builder<'a> {
    /// Buckets every EP (sorted) by SIG and by state, once.
    fn new(
        cfg: &'a EpConfig,
        intros: &'a Intros,
        all: &[&'a Ep],
        used: HashSet<PathBuf>,
        kpis: Option<&'a Kpis>,
    ) -> Builder<'a> {
        let mut b = Builder {
            cfg,
            intros,
            by_sig: BTreeMap::new(),
            by_state: BTreeMap::new(),
            used,
            kpis,
        };
        for ep in all {
            b.by_sig.entry(ep.sig.as_str()).or_default().push(ep);
            if let Some(st) = ep.state() {
                b.by_state.entry(st).or_default().push(ep);
            }
        }
        b
    }

    /// The values of the dimension the parts are made of, and of the other one, in reading
    /// order: SIGs by folder name, states in lifecycle order, each only when it has EPs.
    fn dimensions(&self) -> (Vec<Group<'a>>, Vec<Group<'a>>) {
        let sigs: Vec<Group<'a>> = self.by_sig.keys().map(|s| Group::Sig(s)).collect();
        let states: Vec<Group<'a>> = self.by_state.keys().map(|s| Group::State(*s)).collect();
        match self.cfg.group_by.first() {
            Some(GroupBy::State) => (states, sigs),
            _ => (sigs, states),
        }
    }

    /// A chapter per value of `outer`: its index page, with a chapter per value of `inner`
    /// holding the `placed` EPs (or the EPs directly, without a second dimension).
    fn outer_pages(
        &mut self,
        outer: &[Group<'a>],
        inner: &[Group<'a>],
        placed: &[&'a Ep],
    ) -> Vec<Page<'a>> {
        let nested = self.cfg.group_by.len() > 1;
        let mut parts = Vec::new();
        for &group in outer {
            let mine = group.of(placed);
            let children = if nested {
                let mut groups = Vec::new();
                for &other in inner {
                    let list = other.of(&mine);
                    if !list.is_empty() {
                        groups.push(self.group_page(group, other, &list));
                    }
                }
                groups
            } else {
                self.ep_pages(&mine)
            };
            parts.push(self.index_page(group, children));
        }
        parts
    }

    /// The pages under the EP landing chapter: all EPs, the dashboard, and a page gathering
    /// the index pages of the other dimension.
    fn index_pages(
        &mut self,
        inner: &[Group<'a>],
        all: &[&'a Ep],
        kpis: Option<&'a Kpis>,
    ) -> Vec<Page<'a>> {
        let by_other: Vec<Page<'a>> = inner
            .iter()
            .map(|&other| self.index_page(other, Vec::new()))
            .collect();
        let mut pages = vec![self.leaf("All EPs", "all.md", Show::All(all.to_vec()))];
        if let Some(kpis) = kpis {
            let show = Show::Dashboard {
                kpis,
                eps: all.to_vec(),
            };
            pages.push(self.leaf("Dashboard", "dashboard.md", show));
        }
        if !by_other.is_empty() {
            let (title, file, body) = match self.cfg.group_by.first() {
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
            let mut gathering = self.leaf(title, file, Show::Gathering { title, body });
            gathering.children = by_other;
            pages.push(gathering);
        }
        pages
    }

    /// The generated run and where it goes: after the author's EP landing chapter when
    /// SUMMARY.md links one (the index pages follow it as siblings), else a part of its own with
    /// a landing chapter; then one part titled by the outer dimension with its chapters; a
    /// separator when the author's chapters follow.
    fn assemble(
        mut self,
        book: &Book,
        index_pages: Vec<Page<'a>>,
        outer_pages: Vec<Page<'a>>,
        all: &[&'a Ep],
        at: Option<usize>,
    ) -> Plan<'a> {
        let eps_dir = &self.cfg.eps_dir;
        let anchor_sources = [eps_dir.join("README.md"), eps_dir.join("index.md")];
        let anchor = find_anchor(&book.items, &anchor_sources);
        let mut run: Vec<Top> = Vec::new();
        match anchor {
            Some(_) => run.extend(index_pages.into_iter().map(Top::Page)),
            None => {
                let readme = eps_dir.join("README.md");
                let intro = self.intros.get(&readme).map(String::as_str);
                let landing = Page {
                    // The part above is titled "Enhancement Proposals": its first chapter would
                    // say it twice.
                    name: "Overview".into(),
                    path: self.unique(eps_dir.join("index.md")),
                    source_path: intro.map(|_| readme),
                    show: Show::Landing {
                        intro,
                        eps: all.to_vec(),
                        sigs: self.by_sig.len(),
                    },
                    children: index_pages,
                };
                run.push(Top::Part("Enhancement Proposals".into()));
                run.push(Top::Page(landing));
            }
        }
        if !outer_pages.is_empty() {
            let title = match self.cfg.group_by.first() {
                Some(GroupBy::State) => "EPs by state",
                _ => "EPs by SIG",
            };
            run.push(Top::Part(title.into()));
            run.extend(outer_pages.into_iter().map(Top::Page));
        }
        // Without a region or an anchor, after the numbered chapters (before suffix chapters),
        // where `summary --write` puts the region in SUMMARY.md too.
        let after_numbered = book
            .items
            .iter()
            .rposition(|i| match i {
                BookItem::Chapter(ch) => ch.number.is_some(),
                BookItem::PartTitle(_) => true,
                BookItem::Separator => false,
            })
            .map_or(book.items.len(), |i| i + 1);
        let at = at
            .or(anchor.map(|top| top + 1))
            .unwrap_or(after_numbered)
            .min(book.items.len());
        if at < book.items.len() && !matches!(book.items[at], BookItem::Separator) {
            // The author's chapters that follow would otherwise read as part of the last SIG
            // (unless the author's own separator already comes next).
            run.push(Top::Separator);
        }
        Plan { run, at }
    }

    fn unique(&mut self, wanted: PathBuf) -> PathBuf {
        let readme_is_index = self.cfg.dialect.readme_is_index;
        let mut candidate = wanted.clone();
        let mut n = 1;
        while self.used.contains(&candidate)
            || self
                .used
                .contains(&output_path(&candidate, readme_is_index))
        {
            let stem = wanted.file_stem().unwrap_or_default().to_string_lossy();
            candidate = wanted.with_file_name(format!("{stem}-{n}.md"));
            n += 1;
        }
        self.used.insert(candidate.clone());
        candidate
    }

    /// The page listing every EP of `group` across the other dimension: a SIG's page or a
    /// state's page. A SIG page's path does not depend on the grouping, so links survive a
    /// change of it.
    fn index_page(&mut self, group: Group<'a>, children: Vec<Page<'a>>) -> Page<'a> {
        match group {
            Group::Sig(sig) => {
                let readme = self.cfg.eps_dir.join(sig).join("README.md");
                let intro = self.intros.get(&readme).map(String::as_str);
                Page {
                    name: self.cfg.sig_name(sig).to_string(),
                    path: self.unique(self.cfg.eps_dir.join(sig).join("index.md")),
                    source_path: intro.map(|_| readme),
                    show: Show::Sig {
                        sig,
                        intro,
                        eps: self.by_sig.get(sig).cloned().unwrap_or_default(),
                        kpis: self.kpis.and_then(|k| k.sigs.get(sig)),
                    },
                    children,
                }
            }
            Group::State(state) => Page {
                name: format!("{} EPs", state.title()),
                path: self.unique(
                    self.cfg
                        .eps_dir
                        .join("states")
                        .join(format!("{}.md", state.as_str())),
                ),
                source_path: None,
                show: Show::State {
                    state,
                    eps: self.by_state.get(&state).cloned().unwrap_or_default(),
                },
                children,
            },
        }
    }

    /// The EPs in both `outer` and `inner` (one a SIG, the other a state), as a chapter with
    /// the `placed` ones as its sub-chapters.
    fn group_page(&mut self, outer: Group<'a>, inner: Group<'a>, placed: &[&'a Ep]) -> Page<'a> {
        let (sig, state) = match (outer, inner) {
            (Group::Sig(sig), Group::State(state)) | (Group::State(state), Group::Sig(sig)) => {
                (sig, state)
            }
            // Configuration never groups a dimension by itself.
            _ => unreachable!("a group pairs a SIG with a state"),
        };
        let path = self.unique(
            self.cfg
                .eps_dir
                .join(sig)
                .join(format!("{}.md", state.as_str())),
        );
        let all_of_sig = self.by_sig.get(sig).map_or(&[][..], Vec::as_slice);
        Page {
            name: inner.name(self.cfg),
            path,
            source_path: None,
            show: Show::Group {
                sig,
                state,
                eps: Group::State(state).of(all_of_sig),
            },
            children: self.ep_pages(placed),
        }
    }

    fn ep_pages(&self, list: &[&'a Ep]) -> Vec<Page<'a>> {
        list.iter()
            .map(|ep| Page {
                name: ep.display_name(),
                path: output_path(&ep.path, self.cfg.dialect.readme_is_index),
                source_path: Some(ep.path.clone()),
                show: Show::Ep(ep),
                children: Vec::new(),
            })
            .collect()
    }

    /// A generated page without a file or sub-chapters.
    fn leaf(&mut self, name: &str, file: &str, show: Show<'a>) -> Page<'a> {
        Page {
            name: name.into(),
            path: self.unique(self.cfg.eps_dir.join(file)),
            source_path: None,
            show,
            children: Vec::new(),
        }
    }
}

/// Plans the generated EP part of `book`. It goes at `at` when given (where SUMMARY.md's
/// `ep:summary` region was), else after the chapter that links the EP folder's `README.md`,
/// else at the end. EP chapters that SUMMARY.md lists by hand keep their place and are not
/// duplicated. With `kpis`, a "Dashboard" page joins the index pages.
pub fn plan<'a>(
    book: &Book,
    eps: &'a [Ep],
    cfg: &'a EpConfig,
    intros: &'a Intros,
    at: Option<usize>,
    kpis: Option<&'a Kpis>,
) -> Plan<'a> {
    let mut all: Vec<&Ep> = eps.iter().collect();
    sort_eps(&mut all);
    let (listed, used) = taken(book, cfg.dialect.readme_is_index);
    let placed: Vec<&Ep> = all
        .iter()
        .copied()
        .filter(|e| !listed.contains(e.path.as_path()))
        .collect();
    let mut b = Builder::new(cfg, intros, &all, used, kpis);
    // EP chapters take their own file's path; reserve them before any generated page.
    for ep in &placed {
        b.used
            .insert(output_path(&ep.path, cfg.dialect.readme_is_index));
    }
    let (outer, inner) = b.dimensions();
    let outer_pages = b.outer_pages(&outer, &inner, &placed);
    let index_pages = b.index_pages(&inner, &all, kpis);
    b.assemble(book, index_pages, outer_pages, &all, at)
}

/// What the book already has: the source files SUMMARY.md lists, and the paths its chapters
/// render to (both as written and as mdBook's `index` preprocessor renames them).
fn taken(book: &Book, readme_is_index: bool) -> (HashSet<&Path>, HashSet<PathBuf>) {
    let mut listed = HashSet::new();
    let mut used = HashSet::new();
    for item in book.iter() {
        if let BookItem::Chapter(ch) = item {
            if let Some(s) = &ch.source_path {
                listed.insert(s.as_path());
            }
            if let Some(p) = &ch.path {
                used.insert(p.clone());
                used.insert(output_path(p, readme_is_index));
            }
        }
    }
    (listed, used)
}

impl<'a> Plan<'a> {
    /// The EPs the plan's pages show, once per page showing one.
    pub fn eps_shown(&self) -> Vec<&'a Ep> {
        fn walk<'a>(page: &Page<'a>, out: &mut Vec<&'a Ep>) {
            if let Show::Ep(ep) = page.show {
                out.push(ep);
            }
            for child in &page.children {
                walk(child, out);
            }
        }
        let mut out = Vec::new();
        for top in &self.run {
            if let Top::Page(page) = top {
                walk(page, &mut out);
            }
        }
        out
    }

    /// Inserts the planned part into `book`, each page's text made by `render`, renumbers the
    /// whole book, and returns the range of top-level items inserted.
    pub fn insert(
        self,
        book: &mut Book,
        render: &(dyn Fn(&Page<'_>) -> String + Sync),
    ) -> Range<usize> {
        // Pages render on every core (the EP pages a SUMMARY.md does not list, and the index
        // pages of a large book, are much of the work), assembled in order.
        let run: Vec<BookItem> = self
            .run
            .into_par_iter()
            .map(|top| match top {
                Top::Part(title) => BookItem::PartTitle(title),
                Top::Separator => BookItem::Separator,
                Top::Page(page) => to_item(page, &[], render),
            })
            .collect();
        let at = self.at.min(book.items.len());
        let inserted = at..at + run.len();
        book.items.splice(at..at, run);
        renumber(&mut book.items, &[], &mut 0);
        inserted
    }
}

/// Where a page renders, as a path from the site root (what its links are relative to).
pub(crate) fn page_url(page: &Page<'_>, cfg: &EpConfig) -> String {
    page_path(&page.path, cfg.dialect.readme_is_index)
}

fn to_item(
    page: Page<'_>,
    parents: &[String],
    render: &(dyn Fn(&Page<'_>) -> String + Sync),
) -> BookItem {
    let content = render(&page);
    let mut mine = parents.to_vec();
    mine.push(page.name.clone());
    let sub_items = page
        .children
        .into_par_iter()
        .map(|c| to_item(c, &mine, render))
        .collect();
    BookItem::Chapter(Chapter {
        name: page.name,
        content,
        // A placeholder: `renumber` assigns the real numbers once the book is assembled.
        number: Some(SectionNumber::new(vec![0])),
        sub_items,
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

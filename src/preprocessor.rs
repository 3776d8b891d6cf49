//! The mdBook preprocessor: checks the EPs and rewrites their chapters.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use rayon::prelude::*;

use crate::check::{Analysis, Checked, check_book};
use crate::diagnostic::{self, Severity, color_choice};
use crate::error::{Error, Result};
use crate::kpi::{self, Kpis};
use crate::model::Date;
use crate::model::calendar::Calendar;
use crate::read::config::{EpConfig, TocChapters};
use crate::read::ep::Ep;
use crate::read::history::{GitStatus, Histories};
use crate::render::{self, Directory, chapter};
use crate::shape::structure::{self, Intros, Show};

/// The `ep` preprocessor, registered in-process by `mdbook-ep build` and run over the protocol
/// by `mdbook build`.
#[derive(Default)]
pub struct EpPreprocessor;

impl EpPreprocessor {
    /// The name in `[preprocessor.ep]`.
    pub const NAME: &'static str = "ep";
}

impl Preprocessor for EpPreprocessor {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn run(
        &self,
        ctx: &PreprocessorContext,
        book: Book,
    ) -> mdbook_preprocessor::errors::Result<Book> {
        let mut stderr =
            codespan_reporting::term::termcolor::StandardStream::stderr(color_choice());
        Ok(process(ctx, book, Date::today_for_build()?, &mut stderr)?)
    }

    fn supports_renderer(&self, _renderer: &str) -> mdbook_preprocessor::errors::Result<bool> {
        // Every renderer, including `[output.ep]` and link checkers, should see the same book.
        Ok(true)
    }
}

/// Validates and renders. Diagnostics go to `report`; an error-level problem fails the run.
pub(crate) fn process(
    ctx: &PreprocessorContext,
    book: Book,
    today: Date,
    report: &mut dyn codespan_reporting::term::termcolor::WriteColor,
) -> Result<Book> {
    Ok(build_book(ctx, book, today, report)?.0)
}

/// [`process`], also returning the range of top-level items the generated EP part occupies
/// (what `mdbook-ep summary` writes into SUMMARY.md); `None` when the book has no EPs and is
/// left as it is, so adding the plugin to a book before its first EP changes nothing.
pub(crate) fn build_book(
    ctx: &PreprocessorContext,
    mut book: Book,
    today: Date,
    report: &mut dyn codespan_reporting::term::termcolor::WriteColor,
) -> Result<(Book, Option<Range<usize>>)> {
    // The chapters' texts move into the reading (an EP's text is held once, by its `Ep`) and
    // those no EP took move back; an EP's chapter is rendered anew from its `Ep`.
    let mut preloaded = HashMap::new();
    book.for_each_chapter_mut(|ch| {
        if let Some(p) = &ch.source_path {
            preloaded
                .entry(p.clone())
                .or_insert_with(|| std::mem::take(&mut ch.content));
        }
    });
    let Checked {
        cfg,
        mut analysis,
        region,
        held,
    } = check_book(
        &ctx.root,
        &ctx.config,
        &ctx.mdbook_version,
        &mut preloaded,
        today,
    )?;
    book.for_each_chapter_mut(|ch| {
        if let Some(text) = ch.source_path.as_ref().and_then(|p| preloaded.remove(p)) {
            ch.content = text;
        }
    });
    let src = ctx.root.join(&ctx.config.book.src);
    let errors = diagnostic::count(&analysis.diagnostics, Severity::Error);
    // mdBook runs preprocessors once per renderer. Errors stop the first run, so they are
    // printed once anyway; warnings are printed only in the first run.
    if errors > 0 || is_first_renderer(&ctx.config, &ctx.renderer) {
        // Named from where the process runs: the book's folder under the mdbook CLI (which
        // starts preprocessors there), the user's folder under `mdbook-ep build` and `summary`.
        let mut shown = analysis.diagnostics.clone();
        let rebased = diagnostic::rebase(
            &mut shown,
            &analysis.sources,
            &crate::io::fs::from_cwd(&ctx.root),
        );
        let sources = rebased.as_ref().unwrap_or(&analysis.sources);
        diagnostic::emit_human(report, sources, &shown)
            .map_err(|e| Error::io("write diagnostics to", "stderr", e))?;
        let notes = held
            .as_ref()
            .and_then(|h| h.note())
            .into_iter()
            .chain(crate::check::baseline::hint(errors, held.as_ref()));
        for note in notes {
            writeln!(report, "{note}")
                .map_err(|e| Error::io("write diagnostics to", "stderr", e))?;
        }
    }
    if errors > 0 {
        return Err(Error::Invalid { errors });
    }
    if analysis.eps.is_empty() {
        // Only TOCs the user asked for in other chapters; no EP part, no index pages.
        if cfg.toc.chapters != TocChapters::Eps {
            let dir = Directory::new(&analysis.eps, &cfg);
            crate::io::workers::run(|| rewrite_listed(&mut book, &analysis.eps, None, &cfg, &dir))?;
        }
        return Ok((book, None));
    }
    // The region's items are mdBook's reading of a previous `summary --write`; the structure
    // built now replaces them.
    if let Some(range) = &region {
        let end = range.end.min(book.items.len());
        book.items.drain(range.start.min(end)..end);
    }
    let intros = read_intros(&book, &src, &analysis.eps, &cfg);
    // One read of git serves both the EPs' pages and the dashboard; with `history = false`
    // and no `[preprocessor.ep.kpi]` git is not read at all.
    let kpi_wanted = cfg.calendar != Calendar::None;
    let history = match analysis.history.take() {
        Some(read) => read,
        None if cfg.history || kpi_wanted => crate::read::history::of_eps(&ctx.root, &analysis.eps),
        None => Histories::default(),
    };
    let kpis = kpi_wanted.then(|| {
        let increments = cfg.calendar.increments(today);
        kpi::compute(
            &analysis.eps,
            &history.eps,
            history.status,
            &increments,
            today,
        )
    });
    // A shallow clone's oldest commit would read as every EP's creation: no story beats a
    // false one.
    let shown = if cfg.history && history.status == GitStatus::Full {
        history
    } else {
        if cfg.history
            && history.status == GitStatus::Shallow
            && is_first_renderer(&ctx.config, &ctx.renderer)
        {
            writeln!(
                report,
                "warning: this is a shallow clone, so EP pages show no History; fetch the full history with `git fetch --unshallow`, or `fetch-depth: 0` in `actions/checkout` (or set `history = false`)"
            )
            .map_err(|e| Error::io("write diagnostics to", "stderr", e))?;
        }
        Histories::default()
    };
    // The diagnostics are printed: their copies of the texts go, so that each EP's text is
    // freed as soon as its page is written.
    analysis.sources = Default::default();
    let inserted = crate::io::workers::run(|| {
        apply(
            &mut book,
            &mut analysis,
            &cfg,
            &intros,
            region.map(|r| r.start),
            kpis.as_ref(),
            &shown,
        )
    })?;
    crate::io::workers::drop_in_background(analysis);
    Ok((book, Some(inserted)))
}

/// Whether `renderer` is the first renderer mdBook runs this preprocessor for. Renderers run
/// in name order; without any `[output.*]` table only `html` runs.
fn is_first_renderer(config: &mdbook_preprocessor::config::Config, renderer: &str) -> bool {
    let outputs: Vec<String> = config
        .outputs::<toml::Value>()
        .map(|o| o.into_keys().collect())
        .unwrap_or_default();
    let only: Option<Vec<String>> = config.get("preprocessor.ep.renderers").ok().flatten();
    let first = outputs
        .iter()
        .find(|name| only.as_ref().is_none_or(|list| list.contains(name)))
        .map_or("html", String::as_str);
    first == renderer
}

/// Rewrites the chapters mdBook loaded (EPs, the template, and others' TOCs) and adds the
/// generated EP part. Returns the range of top-level items the generated part occupies.
///
/// Each EP's text moves out of `analysis` to the pages that show it and is dropped with the
/// last of them (and freed, when `analysis.sources` no longer shares it): the book never holds
/// every EP's text and every page at once. The texts of EPs with a page are empty afterwards;
/// metadata and outlines stay.
pub fn apply(
    book: &mut Book,
    analysis: &mut Analysis,
    cfg: &EpConfig,
    intros: &Intros,
    at: Option<usize>,
    kpis: Option<&Kpis>,
    history: &Histories,
) -> Range<usize> {
    let moved: HashMap<PathBuf, Arc<String>> = analysis
        .eps
        .iter_mut()
        .map(|ep| (ep.path.clone(), std::mem::take(&mut ep.text)))
        .collect();
    let eps = &analysis.eps;
    let plan = structure::plan(book, eps, cfg, intros, at, kpis);
    // Each text goes to the pages that show its EP: the chapters SUMMARY.md lists, and the
    // generated ones.
    let listed = chapter_sources(book);
    let shown = plan.eps_shown().into_iter().map(|ep| ep.path.as_path());
    let texts = Texts::new(moved, listed.chain(shown));
    let dir = Directory::new(eps, cfg).with_history(eps, history);
    rewrite_listed(book, eps, Some(&texts), cfg, &dir);
    plan.insert(book, &|page| match page.show {
        Show::Ep(ep) => chapter::ep_chapter(ep, texts.for_page(ep), &dir, cfg),
        _ => render::page(page, &dir, cfg),
    })
}

/// EPs' texts on their way to their pages: each with the number of pages still to be written
/// from it, handed over (and let go by the last) as they are.
struct Texts(Mutex<HashMap<PathBuf, (usize, Arc<String>)>>);

impl Texts {
    /// The texts, each for as many pages as `pages` names its EP (a text no page needs is
    /// dropped now).
    fn new<'p>(
        mut texts: HashMap<PathBuf, Arc<String>>,
        pages: impl Iterator<Item = &'p Path>,
    ) -> Texts {
        let mut uses: HashMap<PathBuf, (usize, Arc<String>)> = HashMap::new();
        for path in pages {
            if let Some((n, _)) = uses.get_mut(path) {
                *n += 1;
            } else if let Some(text) = texts.remove(path) {
                uses.insert(path.to_path_buf(), (1, text));
            }
        }
        Texts(Mutex::new(uses))
    }

    /// The text of `ep` for one of its pages: a copy, or the text itself for the last page,
    /// whose buffer becomes that page.
    fn for_page(&self, ep: &Ep) -> String {
        let mut texts = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let shared = match texts.get_mut(&ep.path) {
            Some((left, text)) if *left > 1 => {
                *left -= 1;
                return text.to_string();
            }
            Some(_) => texts.remove(&ep.path).map(|(_, text)| text),
            // A page the count missed would get the emptied text: the tests build every
            // layout of pages in debug, where this stops them.
            None => {
                debug_assert!(false, "a page of {} was not counted", ep.shown.display());
                None
            }
        };
        drop(texts);
        match shared {
            Some(text) => Arc::try_unwrap(text).unwrap_or_else(|text| text.to_string()),
            None => ep.text.to_string(),
        }
    }
}

/// The source paths of the chapters SUMMARY.md lists.
fn chapter_sources(book: &Book) -> impl Iterator<Item = &Path> {
    book.iter().filter_map(|i| match i {
        BookItem::Chapter(ch) => ch.source_path.as_deref(),
        _ => None,
    })
}

/// Renders the chapters SUMMARY.md lists: EPs get their header and TOC, the template shows
/// its metadata, and (with `toc.chapters` other than `eps`) other chapters get their TOC. An
/// EP's text comes from `texts` when it was moved there, else from its `Ep`.
fn rewrite_listed(
    book: &mut Book,
    eps: &[Ep],
    texts: Option<&Texts>,
    cfg: &EpConfig,
    dir: &Directory<'_>,
) {
    let by_path: HashMap<&Path, &Ep> = eps.iter().map(|ep| (ep.path.as_path(), ep)).collect();
    let (dialect, toc) = (cfg.dialect, &cfg.toc);
    // Each chapter is rendered on its own: spread over the cores, in place.
    let mut chapters = Vec::new();
    collect_chapters(&mut book.items, &mut chapters);
    chapters.into_par_iter().for_each(|(source, content)| {
        let Some(source) = source else {
            return;
        };
        if let Some(ep) = by_path.get(source) {
            let text = texts.map_or_else(|| ep.text.to_string(), |t| t.for_page(ep));
            *content = chapter::ep_chapter(ep, text, dir, cfg);
        } else if source == cfg.template {
            // The template's own markers show what authors get.
            let page = chapter::template_page(content, dialect.markdown);
            *content = render::toc::for_chapter(&page, dialect, toc, false).unwrap_or(page);
        } else if toc.chapters != TocChapters::Eps {
            let auto = toc.chapters == TocChapters::All && toc.auto;
            if let Some(text) = render::toc::for_chapter(content, dialect, toc, auto) {
                *content = text;
            }
        }
    });
}

/// Every chapter of `items` (nested ones included) as its source path and its text, for work
/// on each in parallel.
fn collect_chapters<'b>(
    items: &'b mut [BookItem],
    out: &mut Vec<(Option<&'b Path>, &'b mut String)>,
) {
    for item in items {
        if let BookItem::Chapter(Chapter {
            content,
            source_path,
            sub_items,
            ..
        }) = item
        {
            out.push((source_path.as_deref(), content));
            collect_chapters(sub_items, out);
        }
    }
}

/// Reads the introductions the structure may use: the EP folder's and each SIG folder's
/// `README.md`, unless SUMMARY.md lists them (then they are the author's chapters).
fn read_intros(book: &Book, src: &Path, eps: &[Ep], cfg: &EpConfig) -> Intros {
    let listed: HashSet<&Path> = chapter_sources(book).collect();
    let mut wanted = vec![cfg.eps_dir.join("README.md")];
    let sigs: BTreeSet<&str> = eps.iter().map(|e| e.sig.as_str()).collect();
    wanted.extend(sigs.iter().map(|s| cfg.eps_dir.join(s).join("README.md")));
    wanted
        .into_iter()
        .filter(|p| !listed.contains(p.as_path()))
        .filter_map(|p| {
            let text = std::fs::read_to_string(src.join(cfg.on_disk(&p))).ok()?;
            Some((p, text))
        })
        .collect()
}

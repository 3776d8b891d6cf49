//! The mdBook preprocessor: checks the EPs and rewrites their chapters.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

use crate::analysis::{Analysis, Checked, check_book};
use crate::config::EpConfig;
use crate::diagnostic::{self, Severity};
use crate::error::{Error, Result};
use crate::metadata::{FrontMatter, split_front_matter};
use crate::model::Date;
use crate::render::{self, Directory};
use crate::structure::Intros;

/// The `ep` preprocessor, registered in-process by `mdbook-ep build` and run over the protocol
/// by `mdbook build`.
#[derive(Default)]
pub struct EpPreprocessor;

impl EpPreprocessor {
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
        Ok(process(ctx, book, Date::today(), &mut stderr)?)
    }

    fn supports_renderer(&self, _renderer: &str) -> mdbook_preprocessor::errors::Result<bool> {
        // Every renderer, including `[output.ep]` and link checkers, should see the same book.
        Ok(true)
    }
}

/// Colours only for a terminal, never in CI logs that do not render them.
pub fn color_choice() -> codespan_reporting::term::termcolor::ColorChoice {
    use std::io::IsTerminal;
    if std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal() {
        codespan_reporting::term::termcolor::ColorChoice::Auto
    } else {
        codespan_reporting::term::termcolor::ColorChoice::Never
    }
}

/// Validates and renders. Diagnostics go to `report`; an error-level problem fails the run.
pub fn process(
    ctx: &PreprocessorContext,
    book: Book,
    today: Date,
    report: &mut dyn codespan_reporting::term::termcolor::WriteColor,
) -> Result<Book> {
    Ok(build_book(ctx, book, today, report)?.0)
}

/// [`process`], also returning the range of top-level items the generated EP part occupies
/// (what `mdbook-ep summary` writes into SUMMARY.md).
pub fn build_book(
    ctx: &PreprocessorContext,
    mut book: Book,
    today: Date,
    report: &mut dyn codespan_reporting::term::termcolor::WriteColor,
) -> Result<(Book, Range<usize>)> {
    let mut preloaded = HashMap::new();
    for item in book.iter() {
        if let BookItem::Chapter(ch) = item
            && let Some(p) = &ch.source_path
        {
            preloaded.insert(p.clone(), ch.content.clone());
        }
    }
    let Checked {
        cfg,
        analysis,
        region,
    } = check_book(
        &ctx.root,
        &ctx.config,
        &ctx.mdbook_version,
        &preloaded,
        today,
    )?;
    let src = ctx.root.join(&ctx.config.book.src);
    let sources = &analysis.sources;
    let errors = diagnostic::count(&analysis.diagnostics, Severity::Error);
    // mdBook runs preprocessors once per renderer. Errors stop the first run, so they are
    // printed once anyway; warnings are printed only in the first run.
    if errors > 0 || is_first_renderer(&ctx.config, &ctx.renderer) {
        diagnostic::emit_human(report, sources, &analysis.diagnostics)
            .map_err(|e| Error::io("write diagnostics to", "stderr", e))?;
    }
    if errors > 0 {
        return Err(Error::Invalid { errors });
    }
    // The region's items are mdBook's reading of a previous `summary --write`; the structure
    // built now replaces them.
    if let Some(range) = &region {
        let end = range.end.min(book.items.len());
        book.items.drain(range.start.min(end)..end);
    }
    let intros = read_intros(&book, &src, &analysis.eps, &cfg);
    // The dashboard needs the calendar; without `[preprocessor.ep.kpi]` git is not read at all.
    let kpis = (cfg.calendar != crate::calendar::Calendar::None).then(|| {
        let eps_dir = ctx.config.book.src.join(&cfg.eps_dir);
        crate::kpi::from_repository(
            &ctx.root,
            &eps_dir,
            &analysis.eps,
            &cfg.calendar.increments(today),
            today,
        )
        .0
    });
    let inserted = apply(
        &mut book,
        &analysis,
        &cfg,
        &intros,
        region.map(|r| r.start),
        kpis.as_ref(),
    );
    Ok((book, inserted))
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

/// Rewrites EP chapters and adds the EPs that SUMMARY.md does not list.
/// Returns the range of top-level items the generated EP part occupies.
pub fn apply(
    book: &mut Book,
    analysis: &Analysis,
    cfg: &EpConfig,
    intros: &Intros,
    at: Option<usize>,
    kpis: Option<&crate::kpi::Kpis>,
) -> Range<usize> {
    let dir = Directory::new(&analysis.eps, cfg);
    let by_path: HashMap<&Path, usize> = analysis
        .eps
        .iter()
        .enumerate()
        .map(|(i, ep)| (ep.path.as_path(), i))
        .collect();
    let mut listed = HashSet::new();
    book.for_each_chapter_mut(|ch| {
        let Some(source) = ch.source_path.clone() else {
            return;
        };
        if let Some(&i) = by_path.get(source.as_path()) {
            listed.insert(i);
            ch.content = render::chapter_content(&analysis.eps[i], &dir, cfg);
        } else if source == cfg.template {
            // The template's own markers show what authors get.
            let page = template_page(&ch.content);
            ch.content =
                render::toc::for_chapter(&page, cfg.markdown, &cfg.toc, cfg.empty_ids, false)
                    .unwrap_or(page);
        } else if cfg.toc.chapters != crate::config::TocChapters::Eps {
            let auto = cfg.toc.chapters == crate::config::TocChapters::All && cfg.toc.auto;
            if let Some(text) =
                render::toc::for_chapter(&ch.content, cfg.markdown, &cfg.toc, cfg.empty_ids, auto)
            {
                ch.content = text;
            }
        }
    });
    crate::structure::restructure(book, &analysis.eps, cfg, intros, at, kpis)
}

/// Reads the introductions the structure may use: the EP folder's and each SIG folder's
/// `README.md`, unless SUMMARY.md lists them (then they are the author's chapters).
pub fn read_intros(book: &Book, src: &Path, eps: &[crate::ep::Ep], cfg: &EpConfig) -> Intros {
    let listed: HashSet<&Path> = book
        .iter()
        .filter_map(|i| match i {
            BookItem::Chapter(ch) => ch.source_path.as_deref(),
            _ => None,
        })
        .collect();
    let mut wanted = vec![cfg.eps_dir.join("README.md")];
    let sigs: std::collections::BTreeSet<&str> = eps.iter().map(|e| e.sig.as_str()).collect();
    wanted.extend(sigs.iter().map(|s| cfg.eps_dir.join(s).join("README.md")));
    wanted
        .into_iter()
        .filter(|p| !listed.contains(p.as_path()))
        .filter_map(|p| {
            let text = std::fs::read_to_string(src.join(&p)).ok()?;
            Some((p, text))
        })
        .collect()
}

/// The template's own page shows its metadata as a YAML block instead of a stray rule and
/// heading.
fn template_page(content: &str) -> String {
    match split_front_matter(content) {
        FrontMatter::Present {
            yaml, body_start, ..
        } => {
            let body = &content[body_start..];
            let fence = if yaml.contains("```") { "~~~~" } else { "```" };
            let block = format!("{fence}yaml\n{yaml}{fence}\n\n");
            let outline =
                crate::outline::Outline::parse(body, crate::config::MarkdownFlags::default());
            match outline.leading_h1() {
                Some(h1) => {
                    let end = h1.range.end.min(body.len());
                    format!(
                        "{}\n\n{block}{}",
                        body[..end].trim_end(),
                        body[end..].trim_start_matches('\n')
                    )
                }
                None => format!("{block}{body}"),
            }
        }
        _ => content.to_string(),
    }
}

//! The mdBook preprocessor: checks the EPs and rewrites their chapters.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

use crate::analysis::{Analysis, BookDirs, analyze};
use crate::config::EpConfig;
use crate::diagnostic::{self, Severity};
use crate::error::{Error, Result};
use crate::metadata::{FrontMatter, split_front_matter};
use crate::model::Date;
use crate::render::{self, Directory};

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
    mut book: Book,
    today: Date,
    report: &mut dyn codespan_reporting::term::termcolor::WriteColor,
) -> Result<Book> {
    let book_toml = std::fs::read_to_string(ctx.root.join("book.toml")).ok();
    let (cfg, config_diags) = EpConfig::from_mdbook(&ctx.config, book_toml.as_deref())?;
    let dirs = BookDirs {
        root: ctx.root.clone(),
        src: ctx.config.book.src.clone(),
    };
    let mut preloaded = HashMap::new();
    for item in book.iter() {
        if let BookItem::Chapter(ch) = item
            && let Some(p) = &ch.source_path
        {
            preloaded.insert(p.clone(), ch.content.clone());
        }
    }
    let analysis = analyze(&dirs, &cfg, &preloaded, today, config_diags);
    let mut sources = analysis.sources;
    if let Some(text) = &book_toml {
        sources.add(Path::new("book.toml"), text);
    }
    let errors = diagnostic::count(&analysis.diagnostics, Severity::Error);
    // mdBook runs preprocessors once per renderer. Errors stop the first run, so they are
    // printed once anyway; warnings are printed only in the first run.
    if errors > 0 || is_first_renderer(&ctx.config, &ctx.renderer) {
        diagnostic::emit_human(report, &sources, &analysis.diagnostics)
            .map_err(|e| Error::io("write diagnostics to", "stderr", e))?;
    }
    if errors > 0 {
        return Err(Error::Invalid { errors });
    }
    let analysis = Analysis {
        sources: Default::default(),
        ..analysis
    };
    apply(&mut book, &analysis, &cfg);
    Ok(book)
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
pub fn apply(book: &mut Book, analysis: &Analysis, cfg: &EpConfig) {
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
            ch.content = template_page(&ch.content);
        }
    });
    let mut unlisted: Vec<usize> = (0..analysis.eps.len())
        .filter(|i| !listed.contains(i))
        .collect();
    if unlisted.is_empty() {
        return;
    }
    unlisted.sort_by_key(|&i| {
        let ep = &analysis.eps[i];
        (ep.is_draft(), ep.number(), ep.path.clone())
    });
    book.push_item(BookItem::PartTitle("Enhancement Proposals".into()));
    for i in unlisted {
        let ep = &analysis.eps[i];
        let mut path: PathBuf = ep.path.clone();
        if cfg.readme_is_index && path.file_name().is_some_and(|n| n == "README.md") {
            path.set_file_name("index.md");
        }
        let chapter = Chapter {
            name: ep.display_name(),
            content: render::chapter_content(ep, &dir, cfg),
            number: None,
            sub_items: Vec::new(),
            path: Some(path),
            source_path: Some(ep.path.clone()),
            parent_names: Vec::new(),
        };
        book.push_item(chapter);
    }
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

//! Reading a book's EPs and checking them: the one entry point the preprocessor, `build` and
//! (later) `check` share, so they can never disagree.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::EpConfig;
use crate::diagnostic::{Diagnostic, Location, Rule, Sources};
use crate::discover::{Kind, discover};
use crate::ep::{self, Ep};
use crate::model::Date;
use crate::template::{self, Template};
use crate::validate;

/// The EPs of a book and every problem found in them, with the texts to quote.
pub struct Analysis {
    pub eps: Vec<Ep>,
    pub template: Option<Template>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

/// Where the book is: `root` holds `book.toml`; `src` is relative to it.
#[derive(Clone, Debug)]
pub struct BookDirs {
    pub root: PathBuf,
    pub src: PathBuf,
}

impl BookDirs {
    /// The path users see for a file of the source folder (relative to the book root).
    pub fn shown(&self, rel: &Path) -> PathBuf {
        self.src.join(rel)
    }
}

/// Finds, reads, parses and validates every EP. `preloaded` holds chapter texts mdBook has
/// already read (source path -> content), so no EP file is read twice.
pub fn analyze(
    dirs: &BookDirs,
    cfg: &EpConfig,
    preloaded: &HashMap<PathBuf, String>,
    today: Date,
    mut diagnostics: Vec<Diagnostic>,
) -> Analysis {
    let src = dirs.root.join(&dirs.src);
    let shown = |p: &Path| dirs.shown(p);
    let (found, d) = discover(&src, &cfg.eps_dir, &cfg.template, &shown);
    diagnostics.extend(d);
    let mut sources = Sources::default();
    let mut eps = Vec::with_capacity(found.len());
    for f in &found {
        let shown_path = dirs.shown(&f.path);
        let text = match preloaded.get(&f.path) {
            Some(t) => t.clone(),
            None => match ep::read_text(&src.join(&f.path), &shown_path) {
                Ok(t) => t,
                Err(d) => {
                    diagnostics.push((*d).for_ep(&shown_path));
                    continue;
                }
            },
        };
        let mut sidecar = None;
        if matches!(f.kind, Kind::Numbered { .. }) {
            let mut present = ep::sidecar_paths(&f.path)
                .into_iter()
                .filter(|p| src.join(p).is_file());
            if let Some(first) = present.next() {
                let first_shown = dirs.shown(&first);
                if let Some(second) = present.next() {
                    diagnostics.push(
                        Diagnostic::new(
                            Rule::ConflictingMetadata,
                            format!(
                                "both `{}` and `{}` exist",
                                first_shown.display(),
                                dirs.shown(&second).display()
                            ),
                        )
                        .at(Location::new(dirs.shown(&second), 1, 1))
                        .help(format!(
                            "keep one metadata file; `{}` is used",
                            first_shown.display()
                        ))
                        .for_ep(&shown_path),
                    );
                }
                match ep::read_text(&src.join(&first), &first_shown) {
                    Ok(t) => sidecar = Some((first_shown, t)),
                    Err(d) => diagnostics.push((*d).for_ep(&shown_path)),
                }
            }
        }
        let (ep, d) = ep::parse(f, shown_path, text, sidecar, cfg.markdown, &mut sources);
        diagnostics.extend(d);
        eps.push(ep);
    }
    let template = load_template(
        dirs,
        cfg,
        &src,
        &mut sources,
        &mut diagnostics,
        !eps.is_empty(),
    );
    diagnostics.extend(validate::validate(&eps, template.as_ref(), cfg, today));
    let mut policy = cfg.policy.clone();
    diagnostics.extend(validate::exemptions(&eps, &mut policy));
    let diagnostics = policy.apply(diagnostics);
    Analysis {
        eps,
        template,
        diagnostics,
        sources,
    }
}

fn load_template(
    dirs: &BookDirs,
    cfg: &EpConfig,
    src: &Path,
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
    needed: bool,
) -> Option<Template> {
    let shown = dirs.shown(&cfg.template);
    match ep::read_text(&src.join(&cfg.template), &shown) {
        Ok(text) => {
            sources.add(&shown, &text);
            let (t, d) = template::parse(&text, shown, cfg.markdown);
            diagnostics.extend(d);
            Some(t)
        }
        Err(_) if needed => {
            diagnostics.push(
                Diagnostic::new(
                    Rule::TemplateMissing,
                    format!(
                        "cannot read the EP template `{}`; template sections are not checked",
                        shown.display()
                    ),
                )
                .help("create the template, or set `template` in `[preprocessor.ep]` to its path"),
            );
            None
        }
        Err(_) => None,
    }
}

/// What checking a whole book yields: the resolved configuration, the EPs with every problem
/// (configuration, SUMMARY.md markers and EP rules, policy applied), and where SUMMARY.md's
/// `ep:summary` region sits among the book's top-level items.
pub struct Checked {
    pub cfg: EpConfig,
    pub analysis: Analysis,
    pub region: Option<std::ops::Range<usize>>,
}

/// Everything the preprocessor and `mdbook-ep check` verify, without building. Reads
/// `book.toml` (for line numbers), SUMMARY.md and the EP files.
pub fn check_book(
    root: &Path,
    config: &mdbook_preprocessor::config::Config,
    mdbook_version: &str,
    preloaded: &HashMap<PathBuf, String>,
    today: Date,
) -> crate::error::Result<Checked> {
    let book_toml = std::fs::read_to_string(root.join("book.toml")).ok();
    let (mut cfg, mut diagnostics) = EpConfig::from_mdbook(config, book_toml.as_deref())?;
    cfg.empty_ids = crate::outline::EmptyIds::for_version(mdbook_version);
    let dirs = BookDirs {
        root: root.to_path_buf(),
        src: config.book.src.clone(),
    };
    let summary_path = dirs.shown(Path::new("SUMMARY.md"));
    let summary_text = std::fs::read_to_string(root.join(&summary_path)).ok();
    let region = summary_text
        .as_deref()
        .and_then(|text| crate::summary::locate_region(text, &summary_path, &mut diagnostics));
    let mut analysis = analyze(&dirs, &cfg, preloaded, today, diagnostics);
    if let Some(text) = &book_toml {
        analysis.sources.add(Path::new("book.toml"), text);
    }
    if let Some(text) = &summary_text {
        analysis.sources.add(&summary_path, text);
    }
    Ok(Checked {
        cfg,
        analysis,
        region,
    })
}

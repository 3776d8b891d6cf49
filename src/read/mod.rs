//! Reading a book's EPs: configuration, the files under the EP folder, their metadata and
//! outlines, the template and SUMMARY.md's region. Problems found while reading are diagnostics
//! like any other; only what stops reading altogether is an [`Error`](crate::error::Error).

pub(crate) mod baseline;
pub(crate) mod book;
pub(crate) mod config;
pub(crate) mod discover;
pub(crate) mod ep;
pub(crate) mod history;
pub(crate) mod keys;
pub(crate) mod metadata;
pub(crate) mod outline;
pub(crate) mod summary_region;
pub(crate) mod template;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location, Rule, Sources};
use config::EpConfig;
use discover::{Found, Kind, discover_all};
use ep::Ep;
use template::Template;

/// A book's EPs as read, with the problems reading found and the texts to quote.
pub(crate) struct Eps {
    /// Every EP, in discovery order.
    pub eps: Vec<Ep>,
    /// The template, when it could be read.
    pub template: Option<Template>,
    /// Problems found so far, unsorted and before the policy is applied.
    pub diagnostics: Vec<Diagnostic>,
    /// The texts diagnostics point into.
    pub sources: Sources,
    /// Every file in the EP folder that is not an EP, as the book shows it.
    pub files: Vec<PathBuf>,
}

/// Where the book is: `root` holds `book.toml`; `src` is relative to it.
#[derive(Clone, Debug)]
pub struct BookDirs {
    /// The folder holding `book.toml`.
    pub root: PathBuf,
    /// The source folder, relative to `root`.
    pub src: PathBuf,
}

impl BookDirs {
    /// The path users see for a file of the source folder (relative to the book root).
    pub fn shown(&self, rel: &Path) -> PathBuf {
        self.src.join(rel)
    }

    /// The path users see for a file the book shows at `rel` (relative to the source folder),
    /// where it is on disk: `keps/...` for an EP folder beside the sources, not `docs/../keps`.
    pub fn shown_on_disk(&self, cfg: &EpConfig, rel: &Path) -> PathBuf {
        tidy(&self.src.join(cfg.on_disk(rel)))
    }
}

/// `path` with each `folder/..` pair removed, without asking the file system: the paths users
/// see and git's pathspecs name files as a person would.
pub(crate) fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.into_iter().collect()
    }
}

/// Finds, reads and parses every EP, and the template. `preloaded` holds chapter texts mdBook
/// has already read (source path -> content): an EP's text is taken from there, not read again
/// nor copied, and what is left in the map is what no EP took.
pub(crate) fn read_eps(
    dirs: &BookDirs,
    cfg: &EpConfig,
    preloaded: &mut HashMap<PathBuf, String>,
    mut diagnostics: Vec<Diagnostic>,
) -> Eps {
    use rayon::prelude::*;
    let src = dirs.root.join(&dirs.src);
    let shown = |p: &Path| dirs.shown_on_disk(cfg, p);
    let file = |p: &Path| src.join(cfg.on_disk(p));
    let (found, files, d) = discover_all(&src, cfg, &shown);
    diagnostics.extend(d);
    let texts: Vec<Option<String>> = found.iter().map(|f| preloaded.remove(&f.path)).collect();
    // The walk listed every file: whether an EP has a sidecar is a lookup, not a question for
    // the disk.
    let folders = ep::Folders::of(&files);
    // Reading and parsing each EP is independent of the others: spread over the cores and
    // collected in discovery order, so the result is the same as one pass.
    let read_one = |f: &Found, text: Option<String>| {
        let (mut sources, mut diagnostics) = (Sources::default(), Vec::new());
        let shown_path = shown(&f.path);
        let text = match text {
            Some(t) => t,
            None => match ep::read_text(&file(&f.path), &shown_path) {
                Ok(t) => t,
                Err(d) => {
                    diagnostics.push((*d).for_ep(&shown_path));
                    return (None, diagnostics, sources);
                }
            },
        };
        let mut sidecar = None;
        if matches!(f.kind, Kind::Numbered { .. }) {
            let mut present = ep::sidecar_paths(&f.path)
                .into_iter()
                .filter(|p| folders.contains(p));
            if let Some(first) = present.next() {
                let first_shown = shown(&first);
                if let Some(second) = present.next() {
                    diagnostics.push(
                        Diagnostic::new(
                            Rule::ConflictingMetadata,
                            format!(
                                "both `{}` and `{}` exist",
                                first_shown.display(),
                                shown(&second).display()
                            ),
                        )
                        .at(Location::new(shown(&second), 1, 1))
                        .help(format!(
                            "keep one metadata file; `{}` is used",
                            first_shown.display()
                        ))
                        .for_ep(&shown_path),
                    );
                }
                match ep::read_text(&file(&first), &first_shown) {
                    Ok(t) => sidecar = Some((first_shown, t)),
                    Err(d) => diagnostics.push((*d).for_ep(&shown_path)),
                }
            }
        }
        let (mut ep, d) = ep::parse(
            f,
            shown_path,
            text,
            sidecar,
            cfg.dialect.markdown,
            &mut sources,
        );
        ep.supporting = folders.supporting_files(&ep);
        diagnostics.extend(d);
        (Some(ep), diagnostics, sources)
    };
    let read: Vec<(Option<Ep>, Vec<Diagnostic>, Sources)> = found
        .par_iter()
        .zip(texts)
        .map(|(f, text)| read_one(f, text))
        .collect();
    let mut eps = Vec::with_capacity(found.len());
    let mut per_ep = Vec::with_capacity(found.len());
    for (ep, ep_diagnostics, ep_sources) in read {
        eps.extend(ep);
        diagnostics.extend(ep_diagnostics);
        per_ep.push(ep_sources);
    }
    let mut sources = Sources::default();
    sources.absorb(per_ep);
    let template = load_template(
        dirs,
        cfg,
        &src,
        preloaded,
        &mut sources,
        &mut diagnostics,
        !eps.is_empty(),
    );
    Eps {
        eps,
        template,
        diagnostics,
        sources,
        files,
    }
}

/// Reads the template: mdBook's copy when SUMMARY.md lists it (left in `preloaded`, the chapter
/// keeps it), else the file.
fn load_template(
    dirs: &BookDirs,
    cfg: &EpConfig,
    src: &Path,
    preloaded: &HashMap<PathBuf, String>,
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
    needed: bool,
) -> Option<Template> {
    let shown = dirs.shown_on_disk(cfg, &cfg.template);
    let text = match preloaded.get(&cfg.template) {
        Some(text) => Ok(text.clone()),
        None => ep::read_text(&src.join(cfg.on_disk(&cfg.template)), &shown),
    };
    match text {
        Ok(text) => {
            let text = std::sync::Arc::new(text);
            sources.add_shared(&shown, &text);
            let (t, d) = template::parse(&text, shown, cfg.dialect.markdown);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_removes_folder_and_parent_pairs() {
        assert_eq!(
            tidy(Path::new("docs/../keps/a.md")),
            PathBuf::from("keps/a.md")
        );
        assert_eq!(tidy(Path::new("./docs/./x")), PathBuf::from("docs/x"));
        assert_eq!(tidy(Path::new("../up/x")), PathBuf::from("../up/x"));
        assert_eq!(tidy(Path::new("a/b/../../..")), PathBuf::from(".."));
        assert_eq!(tidy(Path::new("a/..")), PathBuf::from("."));
    }
}

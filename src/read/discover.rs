//! Finding EP files under the EP folder.
//!
//! An EP is `<sig>/.../NNNN-slug/README.md` once numbered, `<sig>/.../draft-YYYY-MM-DD-slug.md`
//! while a draft. Everything else under the folder (SIG overviews, images, supporting notes) is
//! left to mdBook.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Location, Rule};
use crate::error::{Error, Result};
use crate::model::{Date, folder_number};
use crate::read::config::EpConfig;

/// What the file name says about an EP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `NNNN-slug/README.md`.
    Numbered {
        /// The number from the folder name.
        number: u32,
        /// The folder name after the number.
        slug: String,
    },
    /// `date` is `None` when the file name does not follow `draft-YYYY-MM-DD-slug.md`.
    Draft {
        /// The date from the file name.
        date: Option<Date>,
        /// The file name after the date.
        slug: String,
    },
}

/// An EP file found on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Relative to the book's source folder, like a chapter's `source_path`.
    pub path: PathBuf,
    /// The SIG folder: the first folder under the EP folder.
    pub sig: String,
    /// What the file name says.
    pub kind: Kind,
}

/// For an EP folder outside the source folder (`eps-dir = "../keps"`): the link inside the
/// sources through which mdBook publishes the files beside the EPs (images, attachments) and
/// `{{#include}}` finds them, as `(link, target)`: the link relative to the book root, its
/// target relative to the link's folder. `None` when the EP folder is inside the sources.
pub(crate) fn eps_link(src: &Path, cfg: &EpConfig) -> Option<(PathBuf, PathBuf)> {
    let outside = cfg.eps_outside.as_ref()?;
    let depth = cfg.eps_dir.components().count().saturating_sub(1);
    let mut target = PathBuf::new();
    for _ in 0..depth {
        target.push("..");
    }
    Some((src.join(&cfg.eps_dir), target.join(outside)))
}

/// Checks an EP folder outside the source folder: it may not leave the repository (the book's
/// folder, or the git work tree holding it), and it should be linked into the sources
/// ([`eps_link`]); a folder of that name that is not the link would hide it.
pub(crate) fn check_outside(root: &Path, src: &Path, cfg: &EpConfig) -> Result<Vec<Diagnostic>> {
    let (Some(outside), Some((link, target))) = (&cfg.eps_outside, eps_link(src, cfg)) else {
        return Ok(Vec::new());
    };
    let shown = crate::read::tidy(&src.join(outside));
    // Through the file system, not lexically: a source folder that is a link resolves to where
    // it points.
    let real = root.join(src).join(outside);
    let leaves = |why: String| Error::Config {
        table: "preprocessor.ep".into(),
        message: format!("`eps-dir = \"{}\"` {why}", outside.display()),
        help: "keep the EPs inside the repository that holds the book".into(),
    };
    let book = root
        .canonicalize()
        .map_err(|e| Error::io("read", root, e))?;
    let top = book
        .ancestors()
        .find(|a| a.join(".git").exists())
        .unwrap_or(&book)
        .to_path_buf();
    // As written (the folder may not exist yet) and, when it exists, through its links.
    let written = crate::read::tidy(&book.join(&shown));
    let resolved = real.canonicalize().unwrap_or_else(|_| written.clone());
    if !written.starts_with(&top) || !resolved.starts_with(&top) {
        return Err(leaves(format!(
            "leaves the repository (`{}`)",
            top.display()
        )));
    }
    let at = root.join(&link);
    let mut out = Vec::new();
    match std::fs::symlink_metadata(&at) {
        Err(_) => out.push(
            Diagnostic::new(
                Rule::EpsNotLinked,
                format!(
                    "the EP folder `{}` is outside the sources and not linked into them: its EPs render, but images and other files beside them are not published",
                    shown.display()
                ),
            )
            .help(format!(
                "run `mdbook-ep install`, which links `{}` to `{}`",
                link.display(),
                target.display()
            )),
        ),
        Ok(_) if at.canonicalize().ok() != real.canonicalize().ok() => {
            return Err(Error::Config {
                table: "preprocessor.ep".into(),
                message: format!(
                    "`{}` exists but is not a link to the EP folder `{}`",
                    link.display(),
                    shown.display()
                ),
                help: format!(
                    "the EPs appear at `{}` in the book: rename that folder, or remove it and run `mdbook-ep install` to link it",
                    cfg.eps_dir.display()
                ),
            });
        }
        Ok(_) => {}
    }
    Ok(out)
}

/// Lists the EPs of the EP folder in a stable order, with their paths as the book shows them
/// (under `cfg.eps_dir`, wherever the folder is on disk). `display` maps such a path to the
/// path shown to users.
pub(crate) fn discover(
    src: &Path,
    cfg: &EpConfig,
    display: &dyn Fn(&Path) -> PathBuf,
) -> (Vec<Found>, Vec<Diagnostic>) {
    let (found, _, diags) = discover_all(src, cfg, display);
    (found, diags)
}

/// [`discover`], also listing every other file in the EP folder (diagrams, images, data, a
/// numbered EP's metadata sidecar), as the book shows them: what links in EPs may point to,
/// and the supporting files nothing may leave unreferenced.
pub(crate) fn discover_all(
    src: &Path,
    cfg: &EpConfig,
    display: &dyn Fn(&Path) -> PathBuf,
) -> (Vec<Found>, Vec<PathBuf>, Vec<Diagnostic>) {
    let (eps_dir, template) = (cfg.eps_dir.as_path(), cfg.template.as_path());
    let root = src.join(cfg.on_disk(eps_dir));
    // A path under `root` as the book shows it.
    let in_book = |p: &Path| p.strip_prefix(&root).ok().map(|rest| eps_dir.join(rest));
    let mut found = Vec::new();
    let mut others = Vec::new();
    let mut diags = Vec::new();
    if !root.is_dir() {
        diags.push(
            Diagnostic::new(
                Rule::NoEps,
                format!(
                    "there is no EP folder `{}`; mdbook-ep leaves the book as it is",
                    display(eps_dir).display()
                ),
            )
            .help(
                "create the folder (`mdbook-ep new` starts a first EP), or set `eps-dir` in `[preprocessor.ep]` to where the EPs are",
            ),
        );
        return (found, others, diags);
    }
    // The template's own folder is skipped only when it is a folder of its own inside the EP
    // folder: a template at the top of the sources (`template.md`, whose folder is the source
    // folder itself) or beside the EP folder must not hide every EP.
    let template_dir = template
        .parent()
        .filter(|p| *p != eps_dir && p.starts_with(eps_dir));
    let is_template =
        |rel: &Path| rel == template || template_dir.is_some_and(|t| rel.starts_with(t));
    let walker = WalkDir::new(&root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    // Numbered-looking folders whose walk is not over, innermost last, each with the files
    // found directly in it: whether such a folder is an EP that would be skipped is known from
    // the walk, without listing the folder a second time.
    let mut open: Vec<EpFolder> = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err.path().and_then(in_book);
                let shown = path
                    .as_deref()
                    .map(display)
                    .unwrap_or_else(|| display(eps_dir));
                let reason = if err.loop_ancestor().is_some() {
                    "a symbolic link loops back to a folder above it".to_string()
                } else {
                    err.io_error()
                        .map_or_else(|| err.to_string(), |e| e.to_string())
                };
                diags.push(
                    Diagnostic::new(
                        Rule::WalkFailed,
                        format!("skipped `{}`: {reason}", shown.display()),
                    )
                    .at(Location::new(shown, 1, 1))
                    .help("remove the link or fix the folder's permissions"),
                );
                continue;
            }
        };
        while let Some(folder) = open.pop_if(|f| f.depth >= entry.depth()) {
            diags.extend(folder.problem());
        }
        if entry.file_type().is_dir() && entry.depth() >= 2 {
            if let Some(rel) = in_book(entry.path())
                && !is_template(&rel)
                && let Some(name) = entry.file_name().to_str().filter(|n| named_like_ep(n))
            {
                open.push(EpFolder {
                    depth: entry.depth(),
                    name: name.to_string(),
                    shown: display(&rel),
                    files: Vec::new(),
                });
            }
            continue;
        }
        if !entry.file_type().is_file() || entry.depth() < 2 {
            continue;
        }
        if let Some(folder) = open.last_mut().filter(|f| f.depth + 1 == entry.depth()) {
            folder
                .files
                .push(entry.file_name().to_string_lossy().into_owned());
        }
        let Some(rel) = in_book(entry.path()) else {
            continue;
        };
        let rel = rel.as_path();
        if is_template(rel) {
            continue;
        }
        let Some(kind) = classify(entry.path()) else {
            others.push(rel.to_path_buf());
            continue;
        };
        let sig = rel
            .strip_prefix(eps_dir)
            .ok()
            .and_then(|p| p.components().next())
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        if matches!(kind, Kind::Numbered { .. }) && entry.depth() < 3 {
            // `eps/NNNN-x/README.md`: a numbered folder directly in the EP folder has no SIG.
            continue;
        }
        found.push(Found {
            path: rel.to_path_buf(),
            sig,
            kind,
        });
    }
    while let Some(folder) = open.pop() {
        diags.extend(folder.problem());
    }
    if found.is_empty() && diags.is_empty() {
        diags.push(
            Diagnostic::new(
                Rule::NoEps,
                format!(
                    "the EP folder `{}` holds no EP yet; mdbook-ep leaves the book as it is",
                    display(eps_dir).display()
                ),
            )
            .help("start one with `mdbook-ep new --sig SIG --title TITLE`"),
        );
    }
    (found, others, diags)
}

/// Whether a folder's name reads like a numbered EP's (`0042-slug`), whatever the number.
fn named_like_ep(name: &str) -> bool {
    name.split_once('-').is_some_and(|(digits, slug)| {
        !digits.is_empty() && !slug.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

/// A folder named like a numbered EP, with the names of the files the walk found directly in
/// it (links followed, hidden files left out, as for every file of the EP folder).
struct EpFolder {
    depth: usize,
    name: String,
    shown: PathBuf,
    files: Vec<String>,
}

impl EpFolder {
    /// The problem when the folder holds an EP's files (Markdown or a metadata sidecar) but
    /// its EP would be skipped: no `README.md` (`readme.md` does not count, as on a
    /// case-sensitive file system), or a number too large to be an EP number. Folders that
    /// only group others (`2024-archive/`) are not EPs.
    fn problem(&self) -> Option<Diagnostic> {
        let (name, shown, files) = (&self.name, &self.shown, &self.files);
        let looks_like_ep = files
            .iter()
            .any(|f| f.ends_with(".md") || f == "ep.yaml" || f == "kep.yaml");
        if !looks_like_ep {
            return None;
        }
        if folder_number(name).is_none() {
            return Some(
                Diagnostic::new(
                    Rule::NumberTooLarge,
                    format!("EP folder `{name}` has a number larger than 4294967295; it is skipped"),
                )
                .at(Location::new(shown, 1, 1))
                .help("rename the folder to a free number of at most 4 digits (`mdbook-ep list` shows the numbers in use) and set `number:` to match"),
            );
        }
        if files.iter().any(|f| f == "README.md") {
            return None;
        }
        let readme = files.iter().find(|f| f.eq_ignore_ascii_case("README.md"));
        Some(
            Diagnostic::new(
                Rule::FolderWithoutReadme,
                format!("EP folder `{name}` has no `README.md`, so its EP is skipped"),
            )
            .at(Location::new(shown, 1, 1))
            .help(match readme {
                Some(f) => format!("rename `{f}` to `README.md`"),
                None => "put the EP's text in `README.md` in this folder".into(),
            }),
        )
    }
}

pub(crate) fn classify(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_str()?;
    if name == "README.md" {
        let folder = path.parent()?.file_name()?.to_str()?;
        let number = folder_number(folder)?;
        let slug = folder.split_once('-').map(|(_, s)| s.to_string())?;
        return Some(Kind::Numbered { number, slug });
    }
    let stem = name.strip_prefix("draft-")?.strip_suffix(".md")?;
    Some(parse_draft_stem(stem))
}

/// `YYYY-MM-DD-slug` -> date and slug; a malformed name keeps the whole stem as its slug.
fn parse_draft_stem(stem: &str) -> Kind {
    let date = stem.get(..10).and_then(Date::parse);
    let slug = stem
        .get(11..)
        .filter(|s| !s.is_empty() && stem.as_bytes()[10] == b'-');
    match (date, slug) {
        (Some(d), Some(s)) => Kind::Draft {
            date: Some(d),
            slug: s.to_string(),
        },
        _ => Kind::Draft {
            date: None,
            slug: stem.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Discovers the EP folder of a source folder holding `files` (one line each), with `cfg`:
    /// the EPs' paths, and each problem as `(code, shown path)`.
    fn discovered(cfg: &EpConfig, files: &[&str]) -> (Vec<String>, Vec<(String, String)>) {
        let src = tempfile::tempdir().unwrap();
        for f in files {
            let path = src.path().join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "text\n").unwrap();
        }
        discovered_in(src.path(), cfg)
    }

    /// [`discovered`] for a source folder a test has laid out itself.
    fn discovered_in(src: &Path, cfg: &EpConfig) -> (Vec<String>, Vec<(String, String)>) {
        let (found, _, diags) = discover_all(src, cfg, &|p| p.to_path_buf());
        let found = found.iter().map(|f| f.path.display().to_string()).collect();
        let diags = diags
            .iter()
            .map(|d| {
                let at = d.location.as_ref().map(|l| l.file.display().to_string());
                (d.rule.code().to_string(), at.unwrap_or_default())
            })
            .collect();
        (found, diags)
    }

    /// Whether a numbered folder lacks its README is known once its walk is over, whatever
    /// comes after it: nothing (the end of the walk), a sibling, or the folder's parent's
    /// next entry; nested numbered folders are told apart.
    #[test]
    fn folders_without_readme_are_found_wherever_the_walk_ends_them() {
        let cfg = EpConfig::default();
        let (found, diags) = discovered(
            &cfg,
            &[
                "eps/devex/0001-ok/README.md",
                "eps/devex/0002-none/notes.md",
                "eps/devex/0003-outer/README.md",
                "eps/devex/0003-outer/0004-inner/diagram.md",
                "eps/devex/0003-outer/0004-inner/deeper/x.md",
                "eps/devex/0005-only-data/data.csv",
                "eps/devex/99999999999-huge/README.md",
                "eps/zeta/0006-last/kep.yaml",
            ],
        );
        assert_eq!(
            found,
            [
                "eps/devex/0001-ok/README.md",
                "eps/devex/0003-outer/README.md"
            ]
        );
        let mut diags = diags;
        diags.sort();
        assert_eq!(
            diags,
            [
                ("EP0306".into(), "eps/devex/0002-none".into()),
                ("EP0306".into(), "eps/devex/0003-outer/0004-inner".into()),
                ("EP0306".into(), "eps/zeta/0006-last".into()),
                ("EP0307".into(), "eps/devex/99999999999-huge".into()),
            ]
        );
    }

    /// A hidden file does not make a folder an EP's, as the walk skips hidden files
    /// everywhere; a linked one does, as the walk follows links.
    #[cfg(unix)]
    #[test]
    fn hidden_files_do_not_count_and_linked_ones_do() {
        let src = tempfile::tempdir().unwrap();
        let dir = src.path().join("eps/devex");
        for d in ["0001-hidden", "0002-linked", "0003-linked-readme"] {
            std::fs::create_dir_all(dir.join(d)).unwrap();
        }
        std::fs::write(dir.join("0001-hidden/.draft.md"), "x\n").unwrap();
        std::fs::write(src.path().join("kept.md"), "x\n").unwrap();
        std::os::unix::fs::symlink("../../../kept.md", dir.join("0002-linked/notes.md")).unwrap();
        std::os::unix::fs::symlink("../../../kept.md", dir.join("0003-linked-readme/README.md"))
            .unwrap();
        let (found, diags) = discovered_in(src.path(), &EpConfig::default());
        assert_eq!(found, ["eps/devex/0003-linked-readme/README.md"]);
        assert_eq!(diags, [("EP0306".into(), "eps/devex/0002-linked".into())]);
    }

    /// A template whose folder is not one of its own inside the EP folder (at the top of the
    /// sources, or beside the EP folder) hides no EP.
    #[test]
    fn a_template_outside_a_folder_of_its_own_hides_no_ep() {
        for template in ["template.md", "docs/template.md", "eps/template.md"] {
            let cfg = EpConfig {
                eps_dir: PathBuf::from("docs/eps"),
                template: PathBuf::from(template),
                ..EpConfig::default()
            };
            let (found, diags) = discovered(
                &cfg,
                &[
                    "docs/eps/devex/0001-a/README.md",
                    "docs/eps/devex/draft-2026-01-02-b.md",
                ],
            );
            assert_eq!(found.len(), 2, "{template}: {found:?} {diags:?}");
        }
        // A template in a folder of its own inside the EP folder is still skipped.
        let cfg = EpConfig {
            template: PathBuf::from("eps/NNNN-template/README.md"),
            ..EpConfig::default()
        };
        let (found, diags) = discovered(
            &cfg,
            &["eps/NNNN-template/README.md", "eps/devex/0001-a/README.md"],
        );
        assert_eq!(found, ["eps/devex/0001-a/README.md"], "{diags:?}");
    }

    #[test]
    fn classifies_file_names() {
        assert_eq!(
            classify(Path::new("eps/devex/0042-fast-builds/README.md")),
            Some(Kind::Numbered {
                number: 42,
                slug: "fast-builds".into()
            })
        );
        assert_eq!(
            classify(Path::new("eps/devex/draft-2026-03-01-cache.md")),
            Some(Kind::Draft {
                date: Date::parse("2026-03-01"),
                slug: "cache".into()
            })
        );
        assert_eq!(
            classify(Path::new("eps/devex/draft-2026-02-30-cache.md")),
            Some(Kind::Draft {
                date: None,
                slug: "2026-02-30-cache".into()
            })
        );
        assert_eq!(
            classify(Path::new("eps/devex/draft-.md")),
            Some(Kind::Draft {
                date: None,
                slug: "".into()
            })
        );
        assert_eq!(classify(Path::new("eps/devex/notes.md")), None);
        assert_eq!(classify(Path::new("eps/devex/README.md")), None);
        assert_eq!(classify(Path::new("eps/devex/0042-x/design.md")), None);
    }
}

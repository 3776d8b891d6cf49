//! `mdbook-ep promote`: a draft gets its number and moves to `NNNN-slug/README.md`, with
//! `git mv` inside a work tree so its history follows.

use std::path::{Path, PathBuf};

use super::state::{Change, edited, find, key_in, load, validate_after};
use crate::discover::{Found, Kind};
use crate::edit::set_key;
use crate::error::{Error, Result};
use crate::model::{Date, Reference, ep_label};

/// Promotes `draft` (a path or the draft's file name); returns the new file's path.
pub fn run(dir: &Path, draft: &str, number: Option<&str>, today: Date) -> Result<PathBuf> {
    let checked = load(dir, today)?;
    let eps = &checked.analysis.eps;
    let ep = find(eps, dir, draft)?;
    let Kind::Draft { slug, .. } = &ep.kind else {
        return Err(Error::Refused {
            message: format!("{} is already numbered", ep.label()),
            help: "only drafts (`draft-YYYY-MM-DD-slug.md`) are promoted".into(),
        });
    };
    if ep.meta.file != ep.shown {
        return Err(Error::Refused {
            message: "the draft keeps its metadata outside its file".into(),
            help: "drafts carry their metadata as front matter".into(),
        });
    }
    let used: Vec<u32> = eps.iter().filter_map(|e| e.number()).collect();
    let number = match number {
        Some(text) => match Reference::parse(text, false) {
            Some(Reference::Ep(n)) if n > 0 && !used.contains(&n) => n,
            Some(Reference::Ep(n)) if used.contains(&n) => {
                return Err(Error::Refused {
                    message: format!("{} is already in use", ep_label(n)),
                    help: format!(
                        "leave out `--number` to get the next free one ({})",
                        next(&used)
                    ),
                });
            }
            _ => {
                return Err(Error::Refused {
                    message: format!("`{text}` is not an EP number"),
                    help: "give a positive number such as `42`".into(),
                });
            }
        },
        None => next(&used),
    };
    let slug = if slug.is_empty() {
        "ep".to_string()
    } else {
        slug.clone()
    };
    let folder_rel = ep
        .path
        .parent()
        .unwrap_or(Path::new(""))
        .join(format!("{number:04}-{slug}"));
    let new_rel = folder_rel.join("README.md");
    let shown_old = ep.shown.clone();
    let shown_new = ep
        .shown
        .parent()
        .unwrap_or(Path::new(""))
        .join(format!("{number:04}-{slug}"))
        .join("README.md");
    let target = dir.join(&shown_new);
    if target.exists() || target.parent().is_some_and(Path::exists) {
        return Err(Error::Refused {
            message: format!(
                "`{}` already exists",
                target.parent().unwrap_or(&target).display()
            ),
            help: "choose another number with `--number`".into(),
        });
    }
    let today_s = today.to_string();
    let (old_file, text) = edited(ep, dir, &|yaml: &str| {
        let y = set_key(
            yaml,
            key_in(yaml, "number", "kep-number"),
            &number.to_string(),
        );
        set_key(&y, "last-updated", &today_s)
    })?;
    let found = Found {
        path: new_rel,
        sig: ep.sig.clone(),
        kind: Kind::Numbered { number, slug },
    };
    let change: Change = (shown_old, found, shown_new.clone(), text.clone(), None);
    validate_after(&checked, vec![change], today)?;

    let folder = target.parent().unwrap_or(dir).to_path_buf();
    std::fs::create_dir_all(&folder).map_err(|e| Error::io("create", &folder, e))?;
    let git = crate::git::in_work_tree(dir).unwrap_or(false)
        && crate::git::output(
            dir,
            &[
                "ls-files",
                "--error-unmatch",
                "--",
                &old_file.to_string_lossy(),
            ],
        )?
        .is_some();
    if git {
        crate::git::mv(dir, &old_file, &target)?;
        crate::fsutil::write_atomic(&target, text.as_bytes())?;
    } else {
        crate::fsutil::write_atomic(&target, text.as_bytes())?;
        std::fs::remove_file(&old_file).map_err(|e| Error::io("remove", &old_file, e))?;
    }
    Ok(target)
}

/// The next free number: one more than the highest in use.
fn next(used: &[u32]) -> u32 {
    used.iter().max().map_or(1, |m| m + 1)
}

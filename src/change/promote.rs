//! `mdbook-ep promote`: a draft gets its number and moves to `NNNN-slug/README.md`, with
//! `git mv` inside a work tree so its history follows.

use std::path::{Path, PathBuf};

use super::edit::{metadata_of, set_key, spelling_in};
use super::find_ep;
use crate::check::{Change, check_dir, validate_after};
use crate::error::{Error, Result};
use crate::io::fs::{remove_file, write_atomic};
use crate::io::{git, interrupt};
use crate::model::{Date, Reference, ep_label};
use crate::read::discover::{Found, Kind};
use crate::read::ep::Ep;
use crate::read::keys::Key;

/// A promotion, validated and ready to carry out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Promotion {
    /// The draft's file.
    pub from: PathBuf,
    /// The numbered EP's file, `NNNN-slug/README.md` beside the draft.
    pub to: PathBuf,
    /// The EP's text with its number set.
    pub text: String,
}

impl Promotion {
    /// Moves the draft (`git mv` when git tracks it, so its history follows) and writes its
    /// numbered text. All or nothing: when a step fails, the steps before it are undone and the
    /// draft is where it was.
    pub(crate) fn apply(&self, dir: &Path) -> Result<()> {
        // The move and the write are one change: a signal waits until both are done (or
        // undone), and one that came before the first step abandons it.
        let _critical = interrupt::critical();
        if interrupt::pending() {
            return Err(Error::Interrupted);
        }
        let folder = self.to.parent().unwrap_or(dir);
        let created = !folder.exists();
        std::fs::create_dir_all(folder).map_err(|e| Error::io("create", folder, e))?;
        let undo_folder = || {
            if created {
                let _ = std::fs::remove_dir(folder);
            }
        };
        let tracked = git::in_work_tree(dir).unwrap_or(false)
            && git::output(
                dir,
                &[
                    "ls-files",
                    "--error-unmatch",
                    "--",
                    &self.from.to_string_lossy(),
                ],
            )?
            .is_some();
        let result = if tracked {
            git::mv(dir, &self.from, &self.to).and_then(|()| {
                write_atomic(&self.to, self.text.as_bytes()).map_err(|e| {
                    // Put the draft back, in the index too.
                    match git::mv(dir, &self.to, &self.from) {
                        Ok(()) => e,
                        Err(back) => {
                            Error::Git(format!("{e}; moving the draft back failed too: {back}"))
                        }
                    }
                })
            })
        } else {
            write_atomic(&self.to, self.text.as_bytes()).and_then(|()| {
                remove_file(&self.from).inspect_err(|_| {
                    // The EP must not exist twice.
                    let _ = std::fs::remove_file(&self.to);
                })
            })
        };
        if result.is_err() {
            undo_folder();
        }
        result
    }
}

/// Plans promoting `draft` (a path or the draft's file name) in the book in `dir`, to `number`
/// or the next free one. Refuses a numbered EP, a taken number, or a change that would break a
/// rule.
pub(crate) fn plan(
    dir: &Path,
    draft: &str,
    number: Option<&str>,
    today: Date,
) -> Result<Promotion> {
    let checked = check_dir(dir, today)?;
    let eps = &checked.analysis.eps;
    let ep = find_ep(eps, dir, draft)?;
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
    let number = choose_number(eps, number)?;
    let slug = if slug.is_empty() { "ep" } else { slug };
    let folder = format!("{number:04}-{slug}");
    let beside = |p: &Path| p.parent().unwrap_or(Path::new("")).join(&folder);
    let shown_new = beside(&ep.shown).join("README.md");
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
    let (from, text) = metadata_of(ep, dir, &|yaml: &str| {
        let y = set_key(yaml, spelling_in(yaml, Key::Number), &number.to_string());
        set_key(&y, spelling_in(&y, Key::LastUpdated), &today_s)
    })?;
    let change = Change {
        was: ep.shown.clone(),
        found: Found {
            path: beside(&ep.path).join("README.md"),
            sig: ep.sig.clone(),
            kind: Kind::Numbered {
                number,
                slug: slug.to_string(),
            },
        },
        shown: shown_new,
        text: text.clone(),
        sidecar: None,
    };
    validate_after(&checked, vec![change], today)?;
    Ok(Promotion {
        from,
        to: target,
        text,
    })
}

/// The number asked for, when it is free, else the next one: one more than the highest in use.
fn choose_number(eps: &[Ep], asked: Option<&str>) -> Result<u32> {
    let used: Vec<u32> = eps.iter().filter_map(|e| e.number()).collect();
    let next = match used.iter().max() {
        None => Some(1),
        Some(m) => m.checked_add(1),
    };
    let Some(text) = asked else {
        return next.ok_or_else(|| Error::Refused {
            message: format!(
                "{} is the highest EP number there can be",
                ep_label(u32::MAX)
            ),
            help: "give a free number with `--number`".into(),
        });
    };
    let next = next.map_or_else(|| "none".to_string(), |n| n.to_string());
    match Reference::parse(text, false) {
        Some(Reference::Ep(n)) if n > 0 && !used.contains(&n) => Ok(n),
        Some(Reference::Ep(n)) if used.contains(&n) => Err(Error::Refused {
            message: format!("{} is already in use", ep_label(n)),
            help: format!("leave out `--number` to get the next free one ({next})"),
        }),
        _ => Err(Error::Refused {
            message: format!("`{text}` is not an EP number"),
            help: "give a positive number such as `42`".into(),
        }),
    }
}

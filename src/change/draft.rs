//! `mdbook-ep new`: a draft from the template, metadata filled in, never over an existing file.

use std::path::{Path, PathBuf};

use super::edit::{list, scalar, set_key, spelling_in, with_front_matter};
use super::toc::{self, Anchors};
use crate::diagnostic::Severity;
use crate::dialect::MarkdownFlags;
use crate::error::{Error, Result};
use crate::io::fs::create_new;
use crate::io::git;
use crate::model::{Date, State};
use crate::read::book::settings;
use crate::read::config::EpConfig;
use crate::read::keys::Key;
use crate::read::metadata::{self, FrontMatter, split_front_matter, top_level_key};
use crate::read::outline::Outline;
use crate::suggest::did_you_mean;

/// What the author asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Request {
    /// The owning SIG (its folder under the EP folder).
    pub sig: String,
    /// The EP's title.
    pub title: String,
    /// Its authors; empty means git's `user.name`.
    pub authors: Vec<String>,
}

/// A draft ready to be created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Draft {
    /// Where it goes: `eps/<sig>/draft-YYYY-MM-DD-slug.md`.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// Its authors, as written into it (git's `user.name` when none were given).
    pub authors: Vec<String>,
}

impl Draft {
    /// Creates the file, never replacing one that appeared since the draft was planned.
    pub(crate) fn create(&self) -> Result<()> {
        create_new(&self.path, self.text.as_bytes())
    }
}

/// A file name from a title: lowercase ASCII words joined by `-`, at most 50 characters.
pub(crate) fn slug(title: &str) -> String {
    let mut out = String::new();
    for word in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if out.len() + word.len() + 1 > 50 && !out.is_empty() {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    if out.is_empty() { "ep".into() } else { out }
}

/// The draft's text: the template with its metadata set (or front matter added when the template
/// has none) and its title heading replaced. Pure.
pub(crate) fn draft_text(
    template: &str,
    req: &Request,
    today: Date,
    flags: MarkdownFlags,
) -> String {
    let today = today.to_string();
    let fill = |yaml: &str| {
        let mut y = yaml.to_string();
        for (key, value) in [
            (Key::Title, scalar(&req.title)),
            (Key::Authors, list(&req.authors)),
            (Key::OwningSig, scalar(&req.sig)),
            (Key::State, State::Provisional.as_str().to_string()),
            (Key::CreationDate, today.clone()),
            (Key::LastUpdated, today.clone()),
        ] {
            y = set_key(&y, spelling_in(&y, key), &value);
        }
        // A draft has no number yet; `mdbook-ep promote` gives it one.
        y.split_inclusive('\n')
            .filter(|l| {
                top_level_key(l.trim_end()).is_none_or(|(k, _)| Key::lookup(k) != Some(Key::Number))
            })
            .collect()
    };
    let text = with_front_matter(template, fill)
        .unwrap_or_else(|| format!("---\n{}---\n{template}", fill("")));
    // The template's title heading names the placeholder; use the real title.
    let body_start = match split_front_matter(&text) {
        FrontMatter::Present { body_start, .. } => body_start,
        _ => 0,
    };
    let body = &text[body_start..];
    let outline = Outline::parse(body, flags);
    match outline.leading_h1() {
        Some(h1) => {
            let rest = body[h1.range.end..].trim_start_matches(['\r', '\n']);
            let sep = if rest.is_empty() { "" } else { "\n" };
            format!(
                "{}{}# {}\n{sep}{rest}",
                &text[..body_start],
                &body[..h1.range.start],
                req.title
            )
        }
        None => text,
    }
}

/// Plans the draft for the book in `dir`: refuses an unknown SIG, an empty title, metadata the
/// build would reject, or a file that already exists.
pub(crate) fn plan(dir: &Path, mut req: Request, today: Date) -> Result<Draft> {
    let (config, cfg) = settings(dir)?;
    let src = dir.join(&config.book.src);
    let eps = crate::read::tidy(&src.join(cfg.on_disk(&cfg.eps_dir)));
    let template_path = src.join(cfg.on_disk(&cfg.template));
    let known: Vec<String> = if cfg.sigs.is_empty() {
        std::fs::read_dir(&eps)
            .map(|entries| {
                let mut v: Vec<String> = entries
                    .flatten()
                    .filter(|e| e.path().is_dir())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| !cfg.is_template_folder(n) && !n.starts_with('.'))
                    .collect();
                v.sort();
                v
            })
            .unwrap_or_default()
    } else {
        cfg.sigs.keys().cloned().collect()
    };
    if req.sig.is_empty() || req.sig == "." || req.sig == ".." || req.sig.contains(['/', '\\']) {
        return Err(Error::Refused {
            message: format!("`{}` is not a SIG folder name", req.sig),
            help: format!(
                "name one SIG folder under the EP folder{}",
                if known.is_empty() {
                    String::new()
                } else {
                    format!(": {}", known.join(", "))
                }
            ),
        });
    }
    if cfg.is_template_folder(&req.sig) {
        return Err(Error::Refused {
            message: format!("`{}` is the template's folder, not a SIG", req.sig),
            help: "name the SIG, e.g. `--sig platform`".into(),
        });
    }
    if !known.contains(&req.sig) {
        let names: Vec<&str> = known.iter().map(String::as_str).collect();
        let help = match did_you_mean(&req.sig, &names) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "known SIGs: {}; add a new one under `[preprocessor.ep.sigs]` (or create its folder)",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ),
        };
        return Err(Error::Refused {
            message: format!("unknown SIG `{}`", req.sig),
            help,
        });
    }
    if req.title.trim().is_empty() {
        return Err(Error::Refused {
            message: "the title is empty".into(),
            help: "pass `--title \"A short, descriptive title\"`".into(),
        });
    }
    if req.authors.is_empty() {
        match git::user_name(dir)? {
            Some(name) => req.authors.push(name),
            None => {
                return Err(Error::Refused {
                    message: "no author given and git has no `user.name`".into(),
                    help: "pass `--author <handle>` or set `git config user.name`".into(),
                });
            }
        }
    }
    let template = std::fs::read_to_string(&template_path)
        .unwrap_or_else(|_| "# Title\n\n## Summary\n".to_string());
    let body = draft_text(&template, &req, today, cfg.dialect.markdown);
    // Refuse anything the build would reject in the new file's metadata.
    let (_, problems) = metadata::parse(
        match split_front_matter(&body) {
            FrontMatter::Present { yaml, .. } => yaml,
            _ => "",
        },
        2,
        Path::new("new"),
        Path::new("new"),
    );
    if let Some(p) = problems.iter().find(|d| d.severity == Severity::Error) {
        return Err(Error::Refused {
            message: format!("the new EP's metadata would be invalid: {}", p.message),
            help: "check the template's front matter".into(),
        });
    }
    let folder = eps.join(&req.sig);
    let path = folder.join(format!("draft-{today}-{}.md", slug(&req.title)));
    let body = with_current_toc(&path, &template, body, &cfg);
    if path.exists() {
        return Err(Error::Refused {
            message: format!("`{}` already exists", path.display()),
            help: "choose another title, or edit the existing draft".into(),
        });
    }
    Ok(Draft {
        path,
        text: body,
        authors: req.authors,
    })
}

/// The draft with its TOC region (if the template has one) filled in, so that `toc --check` in
/// CI passes on a new draft. The links follow the anchors the template's own TOC is current
/// under (the code host's when it is current under neither, as `toc --write` does). A broken
/// marker stays as the template has it, for the build to report.
fn with_current_toc(path: &Path, template: &str, draft: String, cfg: &EpConfig) -> String {
    let current_under = |anchors| {
        matches!(
            toc::update(path, template, anchors, cfg),
            Ok(toc::Outcome::Current)
        )
    };
    let anchors = if !current_under(Anchors::Github) && current_under(Anchors::Mdbook) {
        Anchors::Mdbook
    } else {
        Anchors::Github
    };
    match toc::update(path, &draft, anchors, cfg) {
        Ok(toc::Outcome::Stale(text)) => text,
        _ => draft,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slug("Preview builds: for *every* PR!"),
            "preview-builds-for-every-pr"
        );
        assert_eq!(slug("Ünïcode only ü"), "n-code-only");
        assert_eq!(slug("???"), "ep");
        assert!(slug(&"word ".repeat(30)).len() <= 50);
    }

    #[test]
    fn fills_the_templates_metadata_and_title() {
        let template = "---\n# keep this comment\ntitle: A short title\nnumber: 0\nauthors:\n  - \"@you\"\nowning-sig: your-sig\nstate: provisional\ncreation-date: YYYY-MM-DD\n---\n# EP-NNNN: A short title\n\n## Summary\n";
        let req = Request {
            sig: "devex".into(),
            title: "Faster: builds".into(),
            authors: vec!["@ana".into()],
        };
        let out = draft_text(
            template,
            &req,
            Date::parse("2026-11-25").unwrap(),
            MarkdownFlags::default(),
        );
        assert_eq!(
            out,
            "---\n# keep this comment\ntitle: \"Faster: builds\"\nauthors: [\"@ana\"]\nowning-sig: devex\nstate: provisional\ncreation-date: 2026-11-25\nlast-updated: 2026-11-25\n---\n# Faster: builds\n\n## Summary\n"
        );
    }
}

//! Links and supporting files (EP0606, EP0607, EP0608): every relative link and image in an
//! EP points to a file the book publishes, every `#fragment` to this page or to another EP's
//! page lands on an id mdBook gives it (the TOC's id rules), and every file in a numbered EP's
//! folder is referenced by some EP. A diagram nobody links is a diagram nobody reads.
//!
//! Pure: what exists outside the EP folder is asked through `exists` (the caller looks on
//! disk); the EP folder's files are known from discovery.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location, Rule};
use crate::dialect::EmptyIds;
use crate::read::config::EpConfig;
use crate::read::ep::Ep;
use crate::suggest::did_you_mean;

/// Where a link's destination leads, inside the book's source folder.
enum Target {
    /// A web address, `mailto:` or another scheme: not ours to check.
    Elsewhere,
    /// This page (`#fragment` only).
    Here(String),
    /// A file of the source folder, with its fragment.
    File(PathBuf, Option<String>),
    /// Above the source folder: the book does not publish it.
    Outside(String),
}

fn target(from: &Path, dest: &str) -> Target {
    let dest = dest.trim();
    let has_scheme = dest.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty() && !scheme.contains(['/', '#', '?', '.']) || scheme.contains("://")
    });
    if dest.is_empty() || has_scheme || dest.starts_with("//") {
        return Target::Elsewhere;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() {
        return fragment.map_or(Target::Elsewhere, Target::Here);
    }
    let decoded = percent_decode(path);
    // From the site root (`/eps/x.md`), else from the EP file's folder.
    let joined = match decoded.strip_prefix('/') {
        Some(rooted) => PathBuf::from(rooted),
        None => from.parent().unwrap_or(Path::new("")).join(&decoded),
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir if !out.pop() => return Target::Outside(dest.to_string()),
            Component::Normal(n) => out.push(n),
            _ => {}
        }
    }
    Target::File(out, fragment.filter(|f| !f.is_empty()))
}

/// `%20` and friends, as a browser reads them in a link.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The checks over every EP. `files` are the EP folder's other files; `exists` answers for a
/// path of the source folder outside the EP folder.
pub(crate) fn check(
    eps: &[Ep],
    files: &[PathBuf],
    cfg: &EpConfig,
    exists: &dyn Fn(&Path) -> bool,
) -> Vec<Diagnostic> {
    let empty: EmptyIds = cfg.dialect.empty_ids;
    let by_path: HashMap<&Path, &Ep> = eps.iter().map(|e| (e.path.as_path(), e)).collect();
    let known: HashSet<&Path> = files.iter().map(PathBuf::as_path).collect();
    // Each page's ids, worked out once, and only for pages a fragment names.
    let wanted: HashSet<&Path> = eps
        .iter()
        .flat_map(|ep| {
            ep.outline
                .links
                .iter()
                .filter_map(move |l| match target(&ep.path, &l.dest) {
                    Target::Here(_) => Some(ep.path.clone()),
                    Target::File(p, Some(_)) => Some(p),
                    _ => None,
                })
        })
        .filter_map(|p| by_path.get_key_value(p.as_path()).map(|(k, _)| *k))
        .collect();
    let ids: HashMap<&Path, HashSet<String>> = eps
        .iter()
        .filter(|e| wanted.contains(e.path.as_path()))
        .map(|e| {
            let all = e.outline.all_ids(&e.generated_title(), empty);
            (e.path.as_path(), all.into_iter().collect())
        })
        .collect();
    let none = HashSet::new();
    let ids_of = |ep: &Ep| ids.get(ep.path.as_path()).unwrap_or(&none);
    let in_eps = |p: &Path| p.starts_with(&cfg.eps_dir);
    let mut referenced: HashSet<PathBuf> = HashSet::new();
    let mut out = Vec::new();
    for ep in eps.iter().filter(|e| !e.meta.unreadable) {
        // The TOC between markers is generated (with the code host's anchors in the file; the
        // build writes its own): its links are not the author's.
        let generated = ep
            .outline
            .toc
            .as_ref()
            .and_then(|t| Some(t.open.end..t.close.as_ref()?.start));
        let authored = ep
            .outline
            .links
            .iter()
            .filter(|l| !generated.as_ref().is_some_and(|g| g.contains(&l.offset)));
        for link in authored {
            let at = Location::new(&ep.shown, ep.file_line(link.line), link.col);
            let what = if link.image { "image" } else { "link" };
            match target(&ep.path, &link.dest) {
                Target::Elsewhere => {}
                Target::Here(fragment) => {
                    let mine = ids_of(ep);
                    if !mine.contains(&fragment) && !mine.contains(&percent_decode(&fragment)) {
                        out.push(fragment_problem(ep, at, &link.dest, &fragment, mine, "this page"));
                    }
                }
                Target::Outside(dest) => out.push(
                    Diagnostic::new(
                        Rule::BrokenLink,
                        format!("{what} `{dest}` leads out of the book's source folder; the book does not publish it"),
                    )
                    .at(at)
                    .help("copy the file into the EP's folder and link it there, or link its web address")
                    .for_ep(&ep.shown),
                ),
                Target::File(path, fragment) => {
                    let found = by_path.contains_key(path.as_path())
                        || known.contains(path.as_path())
                        || (in_eps(&path) && is_folder_of_known(&path, &known, &by_path))
                        || (!in_eps(&path) && exists(&path));
                    referenced.insert(path.clone());
                    if !found {
                        out.push(missing(ep, at, what, &link.dest, &path, &known, &by_path));
                        continue;
                    }
                    if let (Some(fragment), Some(other)) = (fragment, by_path.get(path.as_path())) {
                        let theirs = ids_of(other);
                        if !theirs.contains(&fragment) && !theirs.contains(&percent_decode(&fragment)) {
                            out.push(fragment_problem(
                                ep,
                                at,
                                &link.dest,
                                &fragment,
                                theirs,
                                &format!("{}'s page", other.label()),
                            ));
                        }
                    }
                }
            }
        }
    }
    for ep in eps {
        for file in ep.supporting.iter().filter(|f| !referenced.contains(*f)) {
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push(
                Diagnostic::new(
                    Rule::UnreferencedFile,
                    format!(
                        "`{name}` in the folder of {} is not linked from any EP",
                        ep.label()
                    ),
                )
                .at(Location::new(&ep.shown, 1, 1))
                .help(format!(
                    "link it where the text needs it (`![what it shows]({})`), or remove it",
                    file.strip_prefix(ep.path.parent().unwrap_or(Path::new("")))
                        .unwrap_or(file)
                        .display()
                ))
                .for_ep(&ep.shown),
            );
        }
    }
    out
}

/// A folder in the EP folder that holds known files (a link to `diagrams/`).
fn is_folder_of_known(path: &Path, known: &HashSet<&Path>, eps: &HashMap<&Path, &Ep>) -> bool {
    known.iter().any(|k| k.starts_with(path) && *k != path)
        || eps.keys().any(|k| k.starts_with(path) && *k != path)
}

fn missing(
    ep: &Ep,
    at: Location,
    what: &str,
    dest: &str,
    path: &Path,
    known: &HashSet<&Path>,
    eps: &HashMap<&Path, &Ep>,
) -> Diagnostic {
    // The nearest name in the same folder: a typo, or a draft since numbered.
    let folder = path.parent().unwrap_or(Path::new(""));
    let near: Vec<String> = known
        .iter()
        .copied()
        .chain(eps.keys().copied())
        .filter(|k| k.parent() == Some(folder))
        .filter_map(|k| k.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    let names: Vec<&str> = near.iter().map(String::as_str).collect();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let help = match did_you_mean(&name, &names) {
        Some(s) => format!("did you mean `{s}`? Paths are relative to this EP's file"),
        None => "fix the path (relative to this EP's file), or add the file to the EP's folder"
            .to_string(),
    };
    Diagnostic::new(
        Rule::BrokenLink,
        format!(
            "{what} `{dest}` points to `{}`, which does not exist",
            path.display()
        ),
    )
    .at(at)
    .help(help)
    .for_ep(&ep.shown)
}

fn fragment_problem(
    ep: &Ep,
    at: Location,
    dest: &str,
    fragment: &str,
    ids: &HashSet<String>,
    page: &str,
) -> Diagnostic {
    let mut sorted: Vec<&str> = ids
        .iter()
        .map(String::as_str)
        .filter(|i| !i.is_empty())
        .collect();
    sorted.sort_unstable();
    let help = match did_you_mean(fragment, &sorted) {
        Some(s) => format!("did you mean `#{s}`? Ids follow mdBook's rules, as the TOC's links do"),
        None => "link a heading of that page by its id (the TOC's links show them)".to_string(),
    };
    let message = if dest.trim_start().starts_with('#') {
        format!("link `{dest}` lands on no id of {page}")
    } else {
        format!("link `{dest}` names `#{fragment}`, which is no id of {page}")
    };
    Diagnostic::new(Rule::BrokenFragment, message)
        .at(at)
        .help(help)
        .for_ep(&ep.shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(t: Target) -> Option<(String, Option<String>)> {
        match t {
            Target::File(p, f) => Some((p.display().to_string(), f)),
            _ => None,
        }
    }

    #[test]
    fn destinations_resolve_from_the_eps_folder() {
        let from = Path::new("eps/a/0001-x/README.md");
        assert!(matches!(target(from, "https://x.org/a"), Target::Elsewhere));
        assert!(matches!(target(from, "mailto:a@b.org"), Target::Elsewhere));
        assert!(matches!(target(from, "//cdn.org/x.png"), Target::Elsewhere));
        assert!(matches!(target(from, "#goals"), Target::Here(f) if f == "goals"));
        assert_eq!(
            file(target(from, "diagram%20one.svg")),
            Some(("eps/a/0001-x/diagram one.svg".into(), None))
        );
        assert_eq!(
            file(target(from, "../0002-y/README.md#design")),
            Some(("eps/a/0002-y/README.md".into(), Some("design".into())))
        );
        assert_eq!(
            file(target(from, "/guide/ci.md")),
            Some(("guide/ci.md".into(), None))
        );
        assert!(matches!(
            target(from, "../../../../pkg/x.go"),
            Target::Outside(_)
        ));
        // A Windows-looking drive letter is no scheme we follow: `c:` has no `//`.
        assert!(matches!(target(from, "c:x.png"), Target::Elsewhere));
    }
}

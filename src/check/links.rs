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
use crate::read::outline::Link;
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
    /// From the web server's root (`/eps/x.md`): right only when the book is served at the root.
    Rooted(String),
}

fn target(from: &Path, dest: &str) -> Target {
    // Browsers read `\` as `/`; so does this, on every platform.
    let dest = dest.trim().replace('\\', "/");
    // A scheme (RFC 3986): a letter, then letters, digits, `+`, `-` or `.`; one letter before
    // the colon would be a drive, which is no scheme.
    let has_scheme = dest.split_once(':').is_some_and(|(scheme, _)| {
        scheme.len() > 1
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if dest.is_empty() || has_scheme || dest.starts_with("//") {
        return Target::Elsewhere;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (dest.as_str(), None),
    };
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() {
        // `#` and `#top` take a browser to the top of any page.
        return match fragment {
            Some(f) if !f.is_empty() && !f.eq_ignore_ascii_case("top") => Target::Here(f),
            _ => Target::Elsewhere,
        };
    }
    if path.starts_with('/') {
        return Target::Rooted(dest.to_string());
    }
    let joined = from
        .parent()
        .unwrap_or(Path::new(""))
        .join(percent_decode(path));
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
    exists: &(dyn Fn(&Path) -> bool + Sync),
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let empty: EmptyIds = cfg.dialect.empty_ids;
    let by_path: HashMap<&Path, &Ep> = eps.iter().map(|e| (e.path.as_path(), e)).collect();
    let known: HashSet<&Path> = files.iter().map(PathBuf::as_path).collect();
    // Every folder that holds a known file or an EP (a link to `diagrams/`), collected once
    // rather than searched for at each link.
    let folders: HashSet<&Path> = known
        .iter()
        .chain(by_path.keys())
        .flat_map(|p| p.ancestors().skip(1))
        .collect();
    // Each EP's own links, each resolved once.
    let checked: Vec<&Ep> = eps.iter().filter(|e| !e.meta.unreadable).collect();
    let resolved: Vec<Vec<(&Link, Target)>> = checked
        .par_iter()
        .map(|ep| {
            ep.outline
                .authored_links()
                .map(|l| (l, target(&ep.path, &l.dest)))
                .collect()
        })
        .collect();
    // Each page's ids, worked out once, and only for pages a fragment names.
    let wanted: HashSet<&Path> = checked
        .iter()
        .zip(&resolved)
        .flat_map(|(ep, links)| {
            links.iter().filter_map(move |(_, t)| match t {
                Target::Here(_) => Some(ep.path.as_path()),
                Target::File(p, Some(_)) => Some(p.as_path()),
                _ => None,
            })
        })
        .filter_map(|p| by_path.get_key_value(p).map(|(k, _)| *k))
        .collect();
    let ids: HashMap<&Path, HashSet<String>> = eps
        .par_iter()
        .filter(|e| wanted.contains(e.path.as_path()))
        .map(|e| {
            let all = e.outline.all_ids(&e.generated_title(), empty);
            (e.path.as_path(), all.into_iter().collect())
        })
        .collect();
    let book = Linked {
        by_path,
        known,
        folders,
        ids,
        none: HashSet::new(),
        names: Default::default(),
        cfg,
        exists,
    };
    let per_ep: Vec<(Vec<Diagnostic>, Vec<PathBuf>)> = checked
        .par_iter()
        .zip(resolved)
        .map(|(ep, links)| book.check_ep(ep, links))
        .collect();
    let mut out = Vec::new();
    let mut referenced: HashSet<PathBuf> = HashSet::new();
    for (diagnostics, paths) in per_ep {
        out.extend(diagnostics);
        referenced.extend(paths);
    }
    // A file counts as linked when it or a folder above it is.
    let linked = |f: &Path| f.ancestors().any(|a| referenced.contains(a));
    for ep in eps.iter().filter(|e| !e.meta.unreadable) {
        for file in ep.supporting.iter().filter(|f| !linked(f)) {
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

/// What every EP's links are checked against, gathered once for the whole book.
struct Linked<'a> {
    by_path: HashMap<&'a Path, &'a Ep>,
    /// The EP folder's other files.
    known: HashSet<&'a Path>,
    /// Every folder holding a known file or an EP.
    folders: HashSet<&'a Path>,
    /// The ids of each page a fragment names.
    ids: HashMap<&'a Path, HashSet<String>>,
    none: HashSet<String>,
    /// The names of the known files and EPs in each folder, for "did you mean" on a broken
    /// link: gathered at the first one (not a scan of every file per broken link), sorted so
    /// that a tie suggests the same name on every run.
    names: std::sync::OnceLock<HashMap<&'a Path, Vec<String>>>,
    cfg: &'a EpConfig,
    exists: &'a (dyn Fn(&Path) -> bool + Sync),
}

impl Linked<'_> {
    fn ids_of(&self, ep: &Ep) -> &HashSet<String> {
        self.ids.get(ep.path.as_path()).unwrap_or(&self.none)
    }

    fn names(&self) -> &HashMap<&Path, Vec<String>> {
        self.names.get_or_init(|| {
            let mut names: HashMap<&Path, Vec<String>> = HashMap::new();
            for path in self.known.iter().chain(self.by_path.keys()) {
                if let (Some(folder), Some(name)) = (path.parent(), path.file_name()) {
                    names
                        .entry(folder)
                        .or_default()
                        .push(name.to_string_lossy().into_owned());
                }
            }
            for list in names.values_mut() {
                list.sort_unstable();
                list.dedup();
            }
            names
        })
    }

    /// One EP's problems, and the files its links name.
    fn check_ep(&self, ep: &Ep, links: Vec<(&Link, Target)>) -> (Vec<Diagnostic>, Vec<PathBuf>) {
        let mut referenced = Vec::new();
        let mut out = Vec::new();
        for (link, target) in links {
            let at = Location::new(&ep.shown, ep.file_line(link.line), link.col);
            let what = if link.image { "image" } else { "link" };
            match target {
                Target::Elsewhere => {}
                Target::Here(fragment) => {
                    let mine = self.ids_of(ep);
                    if !mine.contains(&fragment) && !mine.contains(&percent_decode(&fragment)) {
                        out.push(fragment_problem(ep, at, &link.dest, &fragment, mine, "this page"));
                    }
                }
                Target::Rooted(dest) => out.push(
                    Diagnostic::new(
                        Rule::BrokenLink,
                        format!("{what} `{dest}` starts at the web server's root; it breaks when the book is served under a path (`https://org.github.io/eps/`) and on the code host"),
                    )
                    .at(at)
                    .help("write the path relative to this EP's file")
                    .for_ep(&ep.shown),
                ),
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
                    // A page may be linked by its source (`x.md`) or by what it renders to
                    // (`x.html`, `index.html` for a `README.md`).
                    let page = as_source(&path, &self.by_path);
                    let path = page.unwrap_or(path);
                    let is = |p: &Path| {
                        self.by_path.contains_key(p)
                            || self.known.contains(p)
                            || generated(p, self.cfg)
                            || self.folders.contains(p)
                            || (self.exists)(&self.cfg.on_disk(p))
                    };
                    referenced.push(path.clone());
                    if !is(&path) {
                        out.push(missing(ep, at, what, &link.dest, &path, self.names()));
                        continue;
                    }
                    // A Markdown file beside an EP is no chapter: mdBook does not render it.
                    if self.known.contains(path.as_path())
                        && path.extension().is_some_and(|e| e == "md")
                    {
                        out.push(
                            Diagnostic::new(
                                Rule::BrokenLink,
                                format!("{what} `{}` points to `{}`, which is not a chapter of the book, so its page does not exist", link.dest, path.display()),
                            )
                            .at(at)
                            .help("put its text into the EP, or link it by its web address on the code host")
                            .for_ep(&ep.shown),
                        );
                        continue;
                    }
                    if let (Some(fragment), Some(other)) = (fragment, self.by_path.get(path.as_path())) {
                        let theirs = self.ids_of(other);
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
        (out, referenced)
    }
}

/// The EP source a link to a rendered page names: `x.html` is `x.md`, a folder's
/// `index.html` (or the folder itself) is its `README.md`, when such an EP exists.
fn as_source(path: &Path, eps: &HashMap<&Path, &Ep>) -> Option<PathBuf> {
    let readme = |dir: &Path| dir.join("README.md");
    let candidates = [
        (path.extension().is_some_and(|e| e == "html")).then(|| path.with_extension("md")),
        (path.file_name().is_some_and(|n| n == "index.html"))
            .then(|| readme(path.parent().unwrap_or(Path::new("")))),
        Some(readme(path)),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|c| eps.contains_key(c.as_path()))
}

/// A page mdbook-ep generates: the EP part's landing and index pages, each SIG's page and its
/// state chapters, each state's page (`.md` or the `.html` it renders to).
fn generated(path: &Path, cfg: &EpConfig) -> bool {
    let Ok(rest) = path.strip_prefix(&cfg.eps_dir) else {
        return false;
    };
    let md = rest.with_extension("md");
    let parts: Vec<&str> = md.iter().filter_map(|c| c.to_str()).collect();
    let state = |f: &str| crate::model::State::parse(f.trim_end_matches(".md")).is_some();
    match parts.as_slice() {
        [f] => ["index.md", "all.md", "dashboard.md", "states.md", "sigs.md"].contains(f),
        ["states", f] => state(f),
        [_sig, f] => *f == "index.md" || state(f),
        _ => false,
    }
}

fn missing(
    ep: &Ep,
    at: Location,
    what: &str,
    dest: &str,
    path: &Path,
    names_in: &HashMap<&Path, Vec<String>>,
) -> Diagnostic {
    // The nearest name in the same folder: a typo, or a draft since numbered.
    let folder = path.parent().unwrap_or(Path::new(""));
    let names: Vec<&str> = names_in
        .get(folder)
        .map_or_else(Vec::new, |n| n.iter().map(String::as_str).collect());
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
        assert!(matches!(target(from, "/guide/ci.md"), Target::Rooted(_)));
        assert!(matches!(target(from, "#"), Target::Elsewhere));
        assert!(matches!(target(from, "#Top"), Target::Elsewhere));
        assert_eq!(
            file(target(from, "diagrams\\a.svg")),
            Some(("eps/a/0001-x/diagrams/a.svg".into(), None))
        );
        assert!(matches!(
            target(from, "../../../../pkg/x.go"),
            Target::Outside(_)
        ));
        // One letter before the colon is a drive, not a scheme.
        assert!(matches!(target(from, "c:x.png"), Target::File(..)));
        assert!(matches!(target(from, "git+ssh:host/x"), Target::Elsewhere));
    }
}

//! One EP as read from disk: its file, its metadata and its outline.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::discover::{Found, Kind};
use super::metadata::{self, FrontMatter, Metadata};
use super::outline::Outline;
use crate::diagnostic::{Diagnostic, Location, Rule, Sources};
use crate::dialect::MarkdownFlags;
use crate::model::{State, ep_label};

/// An EP, parsed once and shared by validation and rendering.
#[derive(Clone, Debug)]
pub struct Ep {
    /// Relative to the book's source folder (a chapter's `source_path`).
    pub path: PathBuf,
    /// Relative to the book root, as shown in diagnostics.
    pub shown: PathBuf,
    /// The SIG folder it is in.
    pub sig: String,
    /// What its file name says.
    pub kind: Kind,
    /// Its metadata.
    pub meta: Metadata,
    /// The whole file, shared with the diagnostics' [`Sources`] rather than copied.
    pub text: Arc<String>,
    /// Where the Markdown body starts (after any front matter).
    pub body_start: usize,
    /// 1-based line of the body's first line in the file.
    pub body_line: usize,
    /// Headings of the body; their lines are relative to the body.
    pub outline: Outline,
    /// The other files in a numbered EP's folder (diagrams, images, data), as the book shows
    /// them; a draft has none.
    pub supporting: Vec<PathBuf>,
}

impl Ep {
    /// The heading the rendered page gets before the body's own: the EP's name, when the body
    /// has no title heading of its own (the preprocessor then writes one).
    pub(crate) fn generated_title(&self) -> Vec<crate::dialect::ids::Anchor> {
        if self.outline.leading_h1().is_some() {
            return Vec::new();
        }
        vec![crate::dialect::ids::Anchor {
            heading: None,
            id_text: self.display_name(),
            explicit_id: None,
        }]
    }

    /// The Markdown after the front matter (empty once the preprocessor has moved the text
    /// into the EP's page).
    pub fn body(&self) -> &str {
        self.text.get(self.body_start..).unwrap_or_default()
    }

    /// The folder's number; `None` for a draft.
    pub fn number(&self) -> Option<u32> {
        match &self.kind {
            Kind::Numbered { number, .. } => Some(*number),
            Kind::Draft { .. } => None,
        }
    }

    /// The state, when valid.
    pub fn state(&self) -> Option<State> {
        self.meta.state.as_ref().map(|s| s.value)
    }

    /// Whether it is a draft (not numbered yet).
    pub fn is_draft(&self) -> bool {
        matches!(self.kind, Kind::Draft { .. })
    }

    /// The title from metadata, else the body's H1, else the file's slug.
    pub fn title(&self) -> String {
        if let Some(t) = &self.meta.title {
            return t.value.clone();
        }
        if let Some(h) = self.outline.leading_h1() {
            return h.text.clone();
        }
        match &self.kind {
            Kind::Numbered { slug, .. } | Kind::Draft { slug, .. } => slug.replace('-', " "),
        }
    }

    /// `EP-0042` for numbered EPs, `Draft` otherwise.
    pub fn label(&self) -> String {
        self.number().map_or_else(|| "Draft".to_string(), ep_label)
    }

    /// The name shown in the sidebar and in links: `EP-0042: Title`.
    pub fn display_name(&self) -> String {
        format!("{}: {}", self.label(), self.title())
    }

    /// How discovery found it: its path, SIG and kind (what re-reading it needs).
    pub fn found(&self) -> Found {
        Found {
            path: self.path.clone(),
            sig: self.sig.clone(),
            kind: self.kind.clone(),
        }
    }

    /// Where a position in the metadata is, in the file the metadata was read from.
    pub fn meta_at(&self, pos: metadata::Pos) -> Location {
        Location::new(&self.meta.file, pos.line, pos.col)
    }

    /// Where a location in the body is in the file.
    pub fn file_line(&self, body_line: usize) -> usize {
        body_line + self.body_line - 1
    }
}

/// The text of a file, or the problem that stops it being read.
pub(crate) fn read_text(path: &Path, shown: &Path) -> Result<String, Box<Diagnostic>> {
    let bytes = std::fs::read(path).map_err(|e| {
        let d = Diagnostic::new(
            Rule::Unreadable,
            format!("cannot read `{}`: {e}", shown.display()),
        )
        .at(Location::new(shown, 1, 1))
        .help("check that the file exists and is readable");
        Box::new(d)
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let col = valid.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        let d = Diagnostic::new(
            Rule::Unreadable,
            format!("`{}` is not valid UTF-8", shown.display()),
        )
        .at(Location::new(shown, line, col))
        .help("save the file as UTF-8");
        Box::new(d)
    })
}

/// Parses an EP from its text and, for numbered EPs, an optional sidecar `(path, text)`.
/// Pure: the caller reads the files.
pub fn parse(
    found: &Found,
    shown: PathBuf,
    text: String,
    sidecar: Option<(PathBuf, String)>,
    flags: MarkdownFlags,
    sources: &mut Sources,
) -> (Ep, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let text = Arc::new(text);
    sources.add_shared(&shown, &text);
    let (front, body_start, body_line) = match metadata::split_front_matter(&text) {
        FrontMatter::Present {
            yaml,
            yaml_line,
            body_start,
            body_line,
        } => (Some((yaml, yaml_line)), body_start, body_line),
        FrontMatter::Absent => (None, 0, 1),
        FrontMatter::Unterminated => {
            diags.push(
                Diagnostic::new(
                    Rule::MetadataSyntax,
                    "the front matter opened on line 1 is never closed",
                )
                .at(Location::new(&shown, 1, 1))
                .help("end the metadata with a line containing only `---`")
                .for_ep(&shown),
            );
            (None, text.len(), text.lines().count() + 1)
        }
    };
    let meta = match (front, &sidecar) {
        (Some((yaml, line)), side) => {
            let (meta, d) = metadata::parse(yaml, line, &shown, &shown);
            diags.extend(d);
            if let Some((side_path, side_text)) = side {
                sources.add(side_path, side_text);
                diags.push(
                    Diagnostic::new(
                        Rule::ConflictingMetadata,
                        format!(
                            "metadata is in both the front matter and `{}`",
                            side_path.display()
                        ),
                    )
                    .at(Location::new(side_path, 1, 1))
                    .help(
                        "keep one: move the keys into the front matter, or delete the front matter",
                    )
                    .for_ep(&shown),
                );
            }
            meta
        }
        (None, Some((side_path, side_text))) => {
            sources.add(side_path, side_text);
            let (meta, d) = metadata::parse(side_text, 1, side_path, &shown);
            diags.extend(d);
            meta
        }
        (None, None) => {
            if !diags.iter().any(|d| d.rule == Rule::MetadataSyntax) {
                let help = if is_create_missing_stub(&text) {
                    "if mdBook wrote this file (SUMMARY.md lists a chapter that was missing, and \
                     `create-missing` is on), delete it and run `mdbook-ep summary --write`; \
                     `create-missing = false` under `[build]` stops mdBook recreating deleted EPs. \
                     Otherwise, start the file with YAML front matter between `---` lines"
                } else if matches!(found.kind, Kind::Numbered { .. }) {
                    "start the file with YAML front matter between `---` lines, or put an `ep.yaml` beside it"
                } else {
                    "start the file with YAML front matter between `---` lines"
                };
                diags.push(
                    Diagnostic::new(Rule::MetadataSyntax, "this EP has no metadata")
                        .at(Location::new(&shown, 1, 1))
                        .help(help)
                        .for_ep(&shown),
                );
            }
            Metadata {
                file: shown.clone(),
                start: metadata::Pos { line: 1, col: 1 },
                unreadable: true,
                ..Metadata::default()
            }
        }
    };
    let outline = Outline::parse(&text[body_start..], flags);
    let ep = Ep {
        path: found.path.clone(),
        shown,
        sig: found.sig.clone(),
        kind: found.kind.clone(),
        meta,
        text,
        body_start,
        body_line,
        outline,
        supporting: Vec::new(),
    };
    (ep, diags)
}

/// The files of the EP folder that are not EPs, ordered by path, so that the files of one
/// EP's folder are found by a binary search instead of a scan of every file for every EP.
/// Discovery walks folders in name order, so this is discovery's order too.
pub(crate) struct Folders<'f> {
    sorted: Vec<&'f Path>,
}

impl<'f> Folders<'f> {
    pub(crate) fn of(files: &'f [PathBuf]) -> Folders<'f> {
        let mut sorted: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
        sorted.sort_unstable();
        Folders { sorted }
    }

    /// Whether the walk found a file at `path` (as the book shows it).
    pub(crate) fn contains(&self, path: &Path) -> bool {
        self.sorted.binary_search(&path).is_ok()
    }

    /// The files in a numbered EP's folder (and below), other than its metadata sidecar: what
    /// the EP carries with it.
    pub(crate) fn supporting_files(&self, ep: &Ep) -> Vec<PathBuf> {
        let (Kind::Numbered { .. }, Some(folder)) = (&ep.kind, ep.path.parent()) else {
            return Vec::new();
        };
        let sidecars = sidecar_paths(&ep.path);
        // `Path` orders by component, so a folder's files follow it without a gap.
        let first = self.sorted.partition_point(|f| *f < folder);
        self.sorted[first..]
            .iter()
            .take_while(|f| f.starts_with(folder))
            .filter(|f| !sidecars.iter().any(|s| s == *f))
            .map(|f| f.to_path_buf())
            .collect()
    }
}

/// Whether a file holds only what mdBook's `create-missing` writes for a chapter SUMMARY.md
/// lists but that is not on disk: one `# name` line. That is how a deleted EP comes back
/// under the mdbook CLI, and it needs a different fix from an EP that lacks metadata.
fn is_create_missing_stub(text: &str) -> bool {
    let text = text.trim_end_matches(['\r', '\n']);
    text.starts_with("# ") && !text.contains('\n')
}

/// The sidecar metadata file of a numbered EP, if there is one: `ep.yaml`, else `kep.yaml`.
pub(crate) fn sidecar_paths(readme: &Path) -> [PathBuf; 2] {
    let dir = readme.parent().unwrap_or(Path::new(""));
    [dir.join("ep.yaml"), dir.join("kep.yaml")]
}

/// EPs from text, for the unit tests of the rules and the KPIs.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// The EP at `path` under the EP folder (`sig/NNNN-slug/README.md` or
    /// `sig/draft-YYYY-MM-DD-slug.md`), shown as `src/eps/<path>`.
    pub(crate) fn ep(path: &str, text: &str) -> Ep {
        let found = Found {
            path: Path::new("eps").join(path),
            sig: path.split('/').next().unwrap_or_default().to_string(),
            kind: super::super::discover::classify(Path::new(path)).expect("an EP file name"),
        };
        let shown = Path::new("src/eps").join(path);
        let (ep, _) = parse(
            &found,
            shown,
            text.to_string(),
            None,
            MarkdownFlags::default(),
            &mut Sources::default(),
        );
        ep
    }
}

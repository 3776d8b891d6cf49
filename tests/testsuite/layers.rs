//! The layers of `src/`, as `ARCHITECTURE.md` lists them, hold: no module imports a module of
//! a higher layer, the top-level modules form no import cycle, and neither do the files inside
//! each of them. Imports are every `crate::`, `super::` and `self::` path in the code (uses and
//! expressions alike), read with `syn`, resolved to the module they name and followed through
//! re-exports; so a new `use` that breaks a layer fails here before anyone reads the diff.
//! (Paths inside a macro's arguments are tokens to `syn` and are not seen.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use syn::visit::{self, Visit};

use crate::book_test::repo;

/// A module path from the crate root, e.g. `["read", "ep"]`.
type ModPath = Vec<String>;

/// `| N | layer | `mod`, `mod` | ...` rows of ARCHITECTURE.md's layer table: module -> layer.
fn layers() -> BTreeMap<String, usize> {
    let text = std::fs::read_to_string(repo().join("ARCHITECTURE.md")).unwrap();
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let Some(n) = cells.get(1).and_then(|c| c.parse::<usize>().ok()) else {
            continue;
        };
        for module in cells.get(3).unwrap_or(&"").split(',') {
            let module = module.trim().trim_matches('`');
            if !module.is_empty() {
                out.insert(module.to_string(), n);
            }
        }
    }
    out
}

/// Every `.rs` file under `src/` as (module path, text); `lib.rs` and `main.rs` are the root.
fn sources() -> Vec<(ModPath, String)> {
    fn walk(dir: &Path, prefix: &[String], out: &mut Vec<(ModPath, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            let mut path = prefix.to_vec();
            if e.path().is_dir() {
                path.push(name);
                walk(&e.path(), &path, out);
            } else if let Some(stem) = name.strip_suffix(".rs") {
                if stem != "mod" {
                    path.push(stem.to_string());
                }
                out.push((path, std::fs::read_to_string(e.path()).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(&repo().join("src"), &[], &mut out);
    out.retain(|(p, _)| p != &["lib"] && p != &["main"]);
    out
}

/// The paths one file names, made absolute, and the names its own `use` items bring in (for
/// following re-exports).
#[derive(Default)]
struct FileImports {
    paths: Vec<ModPath>,
    uses: BTreeMap<String, ModPath>,
}

struct Reader<'a> {
    /// The file's module, then any inline `mod` it is inside.
    here: ModPath,
    /// How deep in inline modules: only top-level `use`s are the file's own names.
    depth: usize,
    out: &'a mut FileImports,
}

impl Reader<'_> {
    /// Makes `segments` absolute; `None` for paths that do not start from this crate.
    fn absolute(&self, segments: &[String]) -> Option<ModPath> {
        let first = segments.first()?;
        let mut base = match first.as_str() {
            "crate" => Vec::new(),
            "self" | "super" => self.here.clone(),
            _ => return None,
        };
        let mut rest = &segments[1..];
        if first == "super" {
            base.pop();
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
        }
        base.extend(rest.iter().filter(|s| *s != "self" && *s != "*").cloned());
        Some(base)
    }

    fn tree(&mut self, tree: &syn::UseTree, prefix: &mut Vec<String>) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.tree(&p.tree, prefix);
                prefix.pop();
            }
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.tree(t, prefix);
                }
            }
            syn::UseTree::Name(n) => self.leaf(prefix, &n.ident.to_string(), None),
            syn::UseTree::Rename(r) => {
                self.leaf(prefix, &r.ident.to_string(), Some(r.rename.to_string()))
            }
            syn::UseTree::Glob(_) => self.leaf(prefix, "*", None),
        }
    }

    fn leaf(&mut self, prefix: &[String], name: &str, rename: Option<String>) {
        let mut segments = prefix.to_vec();
        segments.push(name.to_string());
        // `use child::item;` in a file names its own child module.
        let absolute = self.absolute(&segments).or_else(|| {
            let mut local = self.here.clone();
            local.extend(
                segments
                    .iter()
                    .filter(|s| *s != "self" && *s != "*")
                    .cloned(),
            );
            (self.depth == 0).then_some(local)
        });
        let Some(path) = absolute else { return };
        if self.depth == 0 && name != "*" {
            let key = rename.unwrap_or_else(|| {
                if name == "self" {
                    prefix.last().cloned().unwrap_or_default()
                } else {
                    name.to_string()
                }
            });
            self.out.uses.insert(key, path.clone());
        }
        self.out.paths.push(path);
    }
}

impl<'ast> Visit<'ast> for Reader<'_> {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if m.content.is_some() {
            self.here.push(m.ident.to_string());
            self.depth += 1;
            visit::visit_item_mod(self, m);
            self.depth -= 1;
            self.here.pop();
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        self.tree(&u.tree, &mut Vec::new());
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segments: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        if let Some(path) = self.absolute(&segments) {
            self.out.paths.push(path);
        }
        visit::visit_path(self, p);
    }
}

/// The modules each file imports: `(file, the file module it names)` pairs, re-exports followed.
fn imports(files: &[(ModPath, String)]) -> Vec<(ModPath, ModPath)> {
    let read: BTreeMap<ModPath, FileImports> = files
        .iter()
        .map(|(path, text)| {
            let syntax =
                syn::parse_file(text).unwrap_or_else(|e| panic!("src/{}: {e}", path.join("/")));
            let mut out = FileImports::default();
            Reader {
                here: path.clone(),
                depth: 0,
                out: &mut out,
            }
            .visit_file(&syntax);
            (path.clone(), out)
        })
        .collect();
    // The deepest file module a path lies in, following the `use` that brought in the name it
    // goes on with (a re-export, or a name the module imported itself).
    let resolve = |path: &ModPath| -> Option<ModPath> {
        let mut path = path.clone();
        for _ in 0..8 {
            let file = (0..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|p| read.contains_key(p))?;
            let Some(target) = path.get(file.len()).and_then(|n| read[&file].uses.get(n)) else {
                return Some(file);
            };
            let mut followed = target.clone();
            followed.extend(path[file.len() + 1..].iter().cloned());
            if followed == path {
                return Some(file);
            }
            path = followed;
        }
        None
    };
    let mut out = Vec::new();
    for (file, found) in &read {
        for path in &found.paths {
            if let Some(target) = resolve(path).filter(|t| t != file) {
                out.push((file.clone(), target));
            }
        }
    }
    out
}

/// A cycle in `edges`, if there is one.
fn cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, bool>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(n) {
            Some(false) => {
                let from = stack.iter().position(|s| s == n).unwrap();
                let mut c = stack[from..].to_vec();
                c.push(n.to_string());
                return Some(c);
            }
            Some(true) => return None,
            None => {}
        }
        state.insert(n.to_string(), false);
        stack.push(n.to_string());
        for m in edges.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, edges, state, stack) {
                return Some(c);
            }
        }
        stack.pop();
        state.insert(n.to_string(), true);
        None
    }
    let mut state = BTreeMap::new();
    edges
        .keys()
        .find_map(|n| visit(n, edges, &mut state, &mut Vec::new()))
}

/// Everything wrong with `files` against `layers`: imports of a higher layer or of a module in
/// no layer, and cycles among top-level modules or among the sibling files of one module.
fn problems(files: &[(ModPath, String)], layers: &BTreeMap<String, usize>) -> Vec<String> {
    let mut out = Vec::new();
    for (file, _) in files {
        if !layers.contains_key(&file[0]) {
            out.push(format!("src/{} is in no layer of ARCHITECTURE.md", file[0]));
        }
    }
    let mut top: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut siblings: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to) in imports(files) {
        let (me, them) = (&from[0], &to[0]);
        if me != them {
            match (layers.get(me), layers.get(them)) {
                (Some(a), Some(b)) if b > a => out.push(format!(
                    "{} (layer {a}) imports {} (layer {b})",
                    from.join("::"),
                    to.join("::")
                )),
                (Some(_), None) => out.push(format!(
                    "{} imports {}, which is in no layer",
                    from.join("::"),
                    to.join("::")
                )),
                _ => {}
            }
            top.entry(me.clone()).or_default().insert(them.clone());
        } else if from.len() == to.len() && from[..from.len() - 1] == to[..to.len() - 1] {
            siblings
                .entry(from.join("::"))
                .or_default()
                .insert(to.join("::"));
        }
    }
    if let Some(c) = cycle(&top) {
        out.push(format!(
            "top-level modules import each other: {}",
            c.join(" -> ")
        ));
    }
    if let Some(c) = cycle(&siblings) {
        out.push(format!(
            "files of one module import each other: {}",
            c.join(" -> ")
        ));
    }
    out
}

#[test]
fn no_module_imports_a_higher_layer_and_there_is_no_cycle() {
    let layers = layers();
    assert!(
        layers.len() >= 10,
        "ARCHITECTURE.md's layer table lists {} modules",
        layers.len()
    );
    let problems = problems(&sources(), &layers);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn file(path: &str, text: &str) -> (ModPath, String) {
    (
        path.split('/').map(String::from).collect(),
        text.to_string(),
    )
}

#[test]
fn the_reader_finds_every_kind_of_import() {
    let layers: BTreeMap<String, usize> = [("low", 0), ("high", 1)]
        .map(|(m, n)| (m.to_string(), n))
        .into_iter()
        .collect();
    let high = file("high", "pub fn f() {}");
    let cases = [
        // A `use` group, after a char literal that once fooled a text scanner.
        file(
            "low",
            "fn f() -> char { '\"' }\nuse crate::{a::b, high::f};",
        ),
        // An expression path, not a `use`.
        file("low", "fn g() { crate::high::f(); }"),
        // `super::super` from a nested file reaches the crate root.
        file("low/deep", "use super::super::high::f;"),
        // A path inside an inline module.
        file("low", "mod inner { fn g() { super::super::high::f(); } }"),
    ];
    for case in cases {
        let found = problems(&[case.clone(), high.clone()], &layers);
        assert_eq!(found.len(), 1, "{}: {found:?}", case.1);
        assert!(found[0].contains("(layer 0) imports high"), "{found:?}");
    }
    // Comments, strings and other crates' paths are not imports.
    let clean = file(
        "low",
        "// crate::high::f\n/// crate::high::f\nfn g() -> &'static str { std::hint::black_box(\"crate::high::f\") }",
    );
    assert_eq!(
        problems(&[clean, high.clone()], &layers),
        Vec::<String>::new()
    );
}

#[test]
fn cycles_are_found_through_re_exports() {
    let layers: BTreeMap<String, usize> = [("m".to_string(), 0)].into_iter().collect();
    // `a` uses `super::b_item`, which `m` re-exports from `b`; `b` uses `a`.
    let files = [
        file("m", "mod a;\nmod b;\npub(crate) use b::b_item;"),
        file("m/a", "use super::b_item;\npub fn a_item() {}"),
        file("m/b", "pub fn b_item() { crate::m::a::a_item(); }"),
    ];
    let found = problems(&files, &layers);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("files of one module import each other: m::a -> m::b -> m::a"),
        "{found:?}"
    );
    // Top-level cycles, too.
    let files = [
        file("m", "use crate::n::x;"),
        file("n", "pub fn x() { crate::m::y(); }"),
    ];
    let layers: BTreeMap<String, usize> = [("m".to_string(), 0), ("n".to_string(), 0)]
        .into_iter()
        .collect();
    let found = problems(&files, &layers);
    assert!(
        found
            .iter()
            .any(|p| p.contains("top-level modules import each other")),
        "{found:?}"
    );
}

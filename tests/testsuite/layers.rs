//! The layers of `src/`, as `ARCHITECTURE.md` lists them, hold: no module imports a module of
//! a higher layer, the top-level modules form no import cycle, and neither do the files inside
//! each of them. Imports are read from the source text (`crate::` and `super::` paths outside
//! comments), so a new `use` that breaks a layer fails here before anyone reads the diff.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::book_test::repo;

/// `| N | layer | `mod`, `mod` |` rows of ARCHITECTURE.md's layer table: module -> layer.
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

/// The code of a file without its comments (doc comments included).
fn code(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.find('\n').map_or("", |i| &after[i..]);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |i| &after[i + 2..]);
        } else if rest.starts_with('"') {
            // Skip string literals so a message that mentions `crate::` is not an import.
            let bytes = rest.as_bytes();
            let mut i = 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            rest = rest.get(i + 1..).unwrap_or("");
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Every path that starts with `root::` in `code`, with `{a, b::c}` groups expanded.
fn paths(code: &str, root: &str) -> Vec<Vec<String>> {
    fn group(s: &str, prefix: &[String], out: &mut Vec<Vec<String>>) -> usize {
        // Reads a path or a `{...}` group from the start of `s`; returns the bytes consumed.
        let mut path = prefix.to_vec();
        let mut i = 0;
        let bytes = s.as_bytes();
        loop {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < bytes.len() && bytes[i] == b'{' {
                i += 1;
                loop {
                    i += group(&s[i..], &path, out);
                    while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b',') {
                        i += 1;
                    }
                    if i >= bytes.len() || bytes[i] == b'}' {
                        return (i + 1).min(bytes.len());
                    }
                }
            }
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            if i > start {
                path.push(s[start..i].to_string());
            }
            if s[i..].starts_with("::") {
                i += 2;
            } else {
                if path.len() > prefix.len() {
                    out.push(path);
                }
                return i;
            }
        }
    }
    let mut out = Vec::new();
    let needle = format!("{root}::");
    let mut at = 0;
    while let Some(found) = code[at..].find(&needle) {
        let start = at + found;
        let before = code[..start].chars().next_back();
        at = start + needle.len();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let consumed = group(&code[at..], &[], &mut out);
        at += consumed.max(1).min(code.len() - at);
    }
    out
}

/// src/ files as (module path, code): `read/ep.rs` -> ["read", "ep"].
fn modules() -> Vec<(Vec<String>, String)> {
    fn walk(dir: &Path, prefix: &[String], out: &mut Vec<(Vec<String>, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = e.path();
            if path.is_dir() {
                let mut p = prefix.to_vec();
                p.push(name);
                walk(&path, &p, out);
            } else if let Some(stem) = name.strip_suffix(".rs") {
                let mut p = prefix.to_vec();
                if stem != "mod" {
                    p.push(stem.to_string());
                }
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((p, code(&text)));
            }
        }
    }
    let mut out = Vec::new();
    walk(&repo().join("src"), &[], &mut out);
    out.retain(|(p, _)| !p.is_empty() && p != &["lib"] && p != &["main"]);
    out
}

/// A cycle in `edges`, if there is one.
fn cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(n) {
            Some(1) => {
                let from = stack.iter().position(|s| s == n).unwrap();
                let mut c = stack[from..].to_vec();
                c.push(n.to_string());
                return Some(c);
            }
            Some(2) => return None,
            _ => {}
        }
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for m in edges.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, edges, state, stack) {
                return Some(c);
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in edges.keys() {
        if let Some(c) = visit(n, edges, &mut state, &mut Vec::new()) {
            return Some(c);
        }
    }
    None
}

#[test]
fn no_module_imports_a_higher_layer_and_there_is_no_cycle() {
    let layers = layers();
    assert!(
        layers.len() >= 10,
        "ARCHITECTURE.md's layer table lists {} modules",
        layers.len()
    );
    let modules = modules();
    let mut top: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    for (path, code) in &modules {
        let me = &path[0];
        let Some(&my_layer) = layers.get(me) else {
            problems.push(format!("src/{me} is in no layer of ARCHITECTURE.md"));
            continue;
        };
        for used in paths(code, "crate") {
            let them = &used[0];
            if them == me {
                continue;
            }
            match layers.get(them) {
                Some(&layer) if layer > my_layer => problems.push(format!(
                    "{} (layer {my_layer}) imports crate::{} (layer {layer})",
                    path.join("::"),
                    used.join("::")
                )),
                Some(_) => {
                    top.entry(me.clone()).or_default().insert(them.clone());
                }
                None => problems.push(format!(
                    "{} imports crate::{}, which is in no layer",
                    path.join("::"),
                    used.join("::")
                )),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(
        cycle(&top),
        None,
        "top-level modules import each other in a cycle"
    );

    // Inside each top-level module: files (siblings under one parent) form no cycle either.
    // `super::x` names sibling `x`, or an item the parent re-exports from a sibling.
    let files: BTreeSet<Vec<String>> = modules.iter().map(|(p, _)| p.clone()).collect();
    let mut inner: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, code) in &modules {
        let parent = &path[..path.len().saturating_sub(1)];
        let reexports: BTreeMap<String, String> = modules
            .iter()
            .find(|(p, _)| p == parent)
            .map(|(_, parent_code)| {
                paths(parent_code, "use")
                    .into_iter()
                    .filter(|p| p.len() >= 2)
                    .map(|p| (p.last().unwrap().clone(), p[0].clone()))
                    .collect()
            })
            .unwrap_or_default();
        let mut targets = Vec::new();
        for used in paths(code, "super") {
            let sibling = if files.contains(&[parent, &used[..1]].concat()) {
                Some(used[0].clone())
            } else {
                reexports.get(&used[0]).cloned()
            };
            if let Some(s) = sibling {
                targets.push([parent, &[s]].concat());
            }
        }
        for used in paths(code, "crate") {
            if used.len() >= 2 && path.len() >= 2 && used[0] == path[0] {
                targets.push(used[..2].to_vec());
            }
        }
        for t in targets {
            if t != *path && files.contains(&t) && t.len() == path.len() {
                inner
                    .entry(path.join("::"))
                    .or_default()
                    .insert(t.join("::"));
            }
        }
    }
    assert_eq!(
        cycle(&inner),
        None,
        "files of one module import each other in a cycle"
    );
}

#[test]
fn the_import_reader_finds_grouped_and_nested_paths() {
    let code = code(
        "use crate::{a::b, c::{d, e::f}};\n// crate::comment::x\nlet s = \"crate::string\";\nfoo::crate::not; crate::g::h(1);\n",
    );
    let found: Vec<String> = paths(&code, "crate").iter().map(|p| p.join("::")).collect();
    assert_eq!(found, ["a::b", "c::d", "c::e::f", "g::h"]);
    let mut edges = BTreeMap::new();
    edges.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    edges.insert("b".to_string(), BTreeSet::from(["a".to_string()]));
    assert!(cycle(&edges).is_some());
}

//! EP metadata: YAML front matter or a sidecar `ep.yaml` / `kep.yaml`, read into typed fields.
//!
//! `serde_yaml` gives positions only for syntax errors, yet every problem must point at the line
//! of the offending key. So the YAML is parsed once for values and its lines are indexed once for
//! where each top-level key and each item of a top-level list starts; the two are matched by key
//! and item index, never by searching the text for a value that may occur twice.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

use super::keys::{Key, SPELLINGS};
use crate::diagnostic::{Diagnostic, Location, Rule};
use crate::model::{Date, Reference, State};
use crate::suggest::did_you_mean;

/// A 1-based position in the metadata's file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// A value and where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sp<T> {
    pub value: T,
    pub pos: Pos,
}

/// The typed metadata of one EP. Fields that were missing or invalid are `None`/empty; the
/// problem is reported once, where it was found.
#[derive(Clone, Debug, Default)]
pub struct Metadata {
    /// File the metadata was read from, relative to the book root.
    pub file: PathBuf,
    /// The spelling the file uses for each key it has (`status` in a `kep.yaml`), so messages
    /// name keys as the author wrote them.
    pub spelled: BTreeMap<Key, String>,
    /// Where the metadata starts, for problems about keys that are absent.
    pub start: Pos,
    pub title: Option<Sp<String>>,
    pub number: Option<Sp<u32>>,
    pub authors: Vec<Sp<String>>,
    pub owning_sig: Option<Sp<String>>,
    pub participating_sigs: Vec<Sp<String>>,
    pub state: Option<Sp<State>>,
    /// Set when `state` was present (valid or not), so "missing" is not reported twice.
    pub state_given: bool,
    pub creation_date: Option<Sp<Date>>,
    pub last_updated: Option<Sp<Date>>,
    pub reviewers: Vec<Sp<String>>,
    pub approvers: Vec<Sp<String>>,
    pub see_also: Vec<Sp<Reference>>,
    pub replaces: Vec<Sp<u32>>,
    pub replaced_by: Vec<Sp<u32>>,
    /// Rule code -> reason, for grandfathered EPs.
    pub exempt: Vec<(Sp<String>, String)>,
    /// KEP fields shown in the header when present (`stage`, `latest-milestone`).
    pub stage: Option<String>,
    pub latest_milestone: Option<String>,
    /// Which keys were present with a value, for the "required" rule.
    pub present: Vec<Key>,
    /// Which of those say nothing (`""` or `[]`), and where: the "required" rule treats them as
    /// missing.
    pub blank: Vec<(Key, Pos)>,
    /// The YAML could not be read at all: its syntax error is the one problem to report, not
    /// every field it would have had.
    pub unreadable: bool,
}

/// Where the front matter is in an EP file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FrontMatter<'a> {
    /// No front matter: the whole text is the body.
    Absent,
    /// `yaml` starts on line `yaml_line`; the body starts at byte `body_start`, line `body_line`.
    Present {
        yaml: &'a str,
        yaml_line: usize,
        body_start: usize,
        body_line: usize,
    },
    /// An opening `---` with no closing line.
    Unterminated,
}

/// Finds YAML front matter: a first line `---`, closed by a line `---` or `...`.
pub(crate) fn split_front_matter(text: &str) -> FrontMatter<'_> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[bom..];
    let Some(first_end) = rest.find('\n') else {
        return if rest.trim_end() == "---" {
            FrontMatter::Unterminated
        } else {
            FrontMatter::Absent
        };
    };
    if rest[..first_end].trim_end() != "---" {
        return FrontMatter::Absent;
    }
    let yaml_start = bom + first_end + 1;
    let mut offset = yaml_start;
    for (line_no, line) in (2..).zip(text[yaml_start..].split_inclusive('\n')) {
        let content = line.trim_end();
        if content == "---" || content == "..." {
            return FrontMatter::Present {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body_start: offset + line.len(),
                body_line: line_no + 1,
            };
        }
        offset += line.len();
    }
    FrontMatter::Unterminated
}

/// Where each top-level key, and each item of a top-level block list, starts.
#[derive(Debug, Default)]
struct KeyIndex<'y> {
    keys: BTreeMap<&'y str, Pos>,
    items: BTreeMap<&'y str, Vec<Pos>>,
    /// Keys written a second time, where that happens (the YAML parser reports the mapping).
    again: BTreeMap<&'y str, Pos>,
}

impl<'y> KeyIndex<'y> {
    fn build(yaml: &'y str, first_line: usize) -> KeyIndex<'y> {
        let mut index = KeyIndex::default();
        let mut current: Option<(&str, Option<usize>)> = None;
        for (i, line) in yaml.lines().enumerate() {
            let line_no = first_line + i;
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            if indent == 0 && !trimmed.starts_with('-') {
                if let Some((key, value_col)) = top_level_key(line) {
                    let pos = Pos {
                        line: line_no,
                        col: 1,
                    };
                    if index.keys.contains_key(key) {
                        index.again.entry(key).or_insert(pos);
                    }
                    index.keys.entry(key).or_insert(Pos {
                        col: value_col,
                        ..pos
                    });
                    current = Some((key, None));
                    continue;
                }
                current = None;
            } else if let Some((key, item_indent)) = &mut current {
                let dash = trimmed.starts_with("- ") || trimmed == "-";
                let at_item_level = item_indent.is_none_or(|n| n == indent);
                if dash && at_item_level {
                    *item_indent = Some(indent);
                    let after = trimmed[1..].len() - trimmed[1..].trim_start().len();
                    index.items.entry(*key).or_default().push(Pos {
                        line: line_no,
                        col: line[..indent].chars().count() + 2 + after,
                    });
                }
            }
        }
        index
    }

    fn key(&self, key: &str, fallback: Pos) -> Pos {
        self.keys.get(key).copied().unwrap_or(fallback)
    }

    fn item(&self, key: &str, i: usize, fallback: Pos) -> Pos {
        self.items
            .get(key)
            .and_then(|v| v.get(i))
            .copied()
            .unwrap_or_else(|| self.key(key, fallback))
    }
}

/// `key: value` at column 1 -> (key, column of the value or of the key when the value is a block).
pub(crate) fn top_level_key(line: &str) -> Option<(&str, usize)> {
    let (key, rest) = if let Some(q) = line.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let close = line[1..].find(q)? + 1;
        (&line[1..close], &line[close + 1..])
    } else {
        let colon = line
            .match_indices(':')
            .find(|(i, _)| line[i + 1..].is_empty() || line[i + 1..].starts_with([' ', '\t']))?;
        (line[..colon.0].trim_end(), &line[colon.0..])
    };
    let rest = rest.strip_prefix(':')?;
    let value = rest.trim_start();
    let col = if value.is_empty() || value.starts_with('#') {
        1
    } else {
        line[..line.len() - value.len()].chars().count() + 1
    };
    Some((key, col))
}

/// Reads metadata YAML. `first_line` is the line of the YAML's first line in `file`; `ep` is
/// the EP's main file, to which diagnostics belong.
pub(crate) fn parse(
    yaml: &str,
    first_line: usize,
    file: &Path,
    ep: &Path,
) -> (Metadata, Vec<Diagnostic>) {
    let start = Pos {
        line: first_line.max(1),
        col: 1,
    };
    let mut reader = Reader {
        meta: Metadata {
            file: file.to_path_buf(),
            start,
            ..Metadata::default()
        },
        diags: Vec::new(),
        index: KeyIndex::default(),
        ep,
    };
    let value: Value = match serde_yaml::from_str(yaml) {
        Ok(v) => v,
        Err(e) => {
            let pos = e.location().map_or(start, |l| Pos {
                line: first_line + l.line() - 1,
                col: l.column(),
            });
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg);
            // A key given twice: point at the second one, not at the mapping it is in.
            let pos = msg
                .strip_prefix("duplicate entry with key \"")
                .and_then(|k| k.strip_suffix('"'))
                .and_then(|k| KeyIndex::build(yaml, first_line).again.get(k).copied())
                .unwrap_or(pos);
            reader.meta.unreadable = true;
            let help = match msg.strip_prefix("duplicate entry with key ") {
                Some(key) => format!("keep one {key} line"),
                None => "fix the YAML syntax; values containing `: ` or starting with `@`, `*` or `&` need quotes".into(),
            };
            let help = format!(
                "{help}. Until it parses, this EP's other checks wait and its `exempt:` entries are not applied"
            );
            reader.report(
                Rule::MetadataSyntax,
                format!("invalid YAML in metadata: {msg}"),
                pos,
                &help,
            );
            return (reader.meta, reader.diags);
        }
    };
    let map = match value {
        Value::Mapping(m) => m,
        Value::Null => {
            reader.meta.unreadable = true;
            reader.report(
                Rule::MetadataSyntax,
                "metadata is empty".into(),
                start,
                "write the EP's metadata as `key: value` lines (see the template)",
            );
            return (reader.meta, reader.diags);
        }
        other => {
            reader.meta.unreadable = true;
            reader.report(
                Rule::MetadataSyntax,
                format!(
                    "metadata must be a mapping of keys to values, found {}",
                    kind(&other)
                ),
                start,
                "write the EP's metadata as `key: value` lines, not a list or a single value",
            );
            return (reader.meta, reader.diags);
        }
    };
    reader.index = KeyIndex::build(yaml, first_line);
    let mut seen: BTreeMap<Key, String> = BTreeMap::new();
    for (k, v) in &map {
        let key = match k {
            Value::String(s) => s.clone(),
            other => serde_yaml::to_string(other)
                .unwrap_or_default()
                .trim()
                .to_string(),
        };
        let Some(canonical) = Key::lookup(&key) else {
            let all: Vec<&str> = SPELLINGS.iter().map(|(s, _)| *s).collect();
            let pos = reader.index.key(&key, start);
            let help = match did_you_mean(&key, &all) {
                Some(s) => format!("did you mean `{s}`?"),
                None => {
                    "remove it, or check the metadata reference for the keys mdbook-ep reads".into()
                }
            };
            reader.report(
                Rule::UnknownKey,
                format!("unknown metadata key `{key}`"),
                Pos { col: 1, ..pos },
                &help,
            );
            continue;
        };
        if let Some(first) = seen.insert(canonical, key.clone()) {
            let pos = reader.index.key(&key, start);
            reader.report(
                Rule::ConflictingMetadata,
                format!("`{key}` and `{first}` both set `{}`", canonical.name()),
                Pos { col: 1, ..pos },
                "keep one of the two keys",
            );
            continue;
        }
        if !v.is_null() {
            reader.meta.present.push(canonical);
        }
        let blank = match v {
            Value::String(s) => s.trim().is_empty(),
            Value::Sequence(items) => items.is_empty(),
            _ => false,
        };
        if blank {
            let pos = reader.index.key(&key, start);
            reader.meta.blank.push((canonical, Pos { col: 1, ..pos }));
        }
        reader.field(canonical, &key, v);
    }
    reader.meta.spelled = seen;
    (reader.meta, reader.diags)
}

impl Metadata {
    /// `key` as this file spells it, else as an EP would (`state`).
    pub fn name(&self, key: Key) -> &str {
        self.spelled
            .get(&key)
            .map_or_else(|| key.name(), String::as_str)
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

struct Reader<'a> {
    meta: Metadata,
    diags: Vec<Diagnostic>,
    index: KeyIndex<'a>,
    ep: &'a Path,
}

impl Reader<'_> {
    fn report(&mut self, rule: Rule, message: String, pos: Pos, help: &str) {
        self.diags.push(
            Diagnostic::new(rule, message)
                .at(Location::new(&self.meta.file, pos.line, pos.col))
                .help(help)
                .for_ep(self.ep),
        );
    }

    fn wrong_type(&mut self, key: &str, expected: &str, v: &Value, pos: Pos) {
        self.report(
            Rule::WrongType,
            format!("`{key}` must be {expected}, found {}", kind(v)),
            pos,
            &format!("write `{key}` as {expected}"),
        );
    }

    fn field(&mut self, canonical: Key, key: &str, v: &Value) {
        let pos = self.index.key(key, self.meta.start);
        if v.is_null() {
            return;
        }
        match canonical {
            Key::Title => self.meta.title = self.string(key, v, pos),
            Key::OwningSig => self.meta.owning_sig = self.string(key, v, pos),
            Key::Number => self.meta.number = self.number(key, v, pos),
            Key::Authors => self.meta.authors = self.strings(key, v),
            Key::ParticipatingSigs => self.meta.participating_sigs = self.strings(key, v),
            Key::Reviewers => self.meta.reviewers = self.strings(key, v),
            Key::Approvers => self.meta.approvers = self.strings(key, v),
            Key::State => self.state(key, v, pos),
            Key::CreationDate => self.meta.creation_date = self.date(key, v, pos),
            Key::LastUpdated => self.meta.last_updated = self.date(key, v, pos),
            Key::SeeAlso => self.meta.see_also = self.refs(key, v, true),
            Key::Replaces => self.meta.replaces = self.ep_refs(key, v),
            Key::ReplacedBy => self.meta.replaced_by = self.ep_refs(key, v),
            Key::Exempt => self.exempt(key, v, pos),
            Key::Stage => self.meta.stage = scalar_text(v),
            Key::LatestMilestone => self.meta.latest_milestone = scalar_text(v),
            Key::Kep(_) => {}
        }
    }

    fn state(&mut self, key: &str, v: &Value, pos: Pos) {
        self.meta.state_given = true;
        // Matched exactly against the lifecycle: anything odd in it is one "unknown state",
        // not also a line-break problem, so it is read without `one_line`.
        let Some(s) = self.text(key, v, pos) else {
            return;
        };
        match State::parse(&s.value) {
            Some(st) => self.meta.state = Some(Sp { value: st, pos }),
            None => {
                let names: Vec<&str> = State::ALL.iter().map(|s| s.as_str()).collect();
                let help = match did_you_mean(&s.value, &names) {
                    Some(g) => format!("did you mean \"{g}\"?"),
                    None => format!("use one of: {}", names.join(", ")),
                };
                self.report(
                    Rule::UnknownState,
                    format!("unknown state \"{}\"", s.value),
                    pos,
                    &help,
                );
            }
        }
    }

    /// A single text value, trimmed; `None` (reported when it is not text) when absent.
    fn text(&mut self, key: &str, v: &Value, pos: Pos) -> Option<Sp<String>> {
        match scalar_text(v) {
            Some(s) if s.trim().is_empty() => None,
            Some(s) => Some(Sp {
                value: s.trim().to_string(),
                pos,
            }),
            None => {
                self.wrong_type(key, "a single text value", v, pos);
                None
            }
        }
    }

    /// A single text value that is shown on one line.
    fn string(&mut self, key: &str, v: &Value, pos: Pos) -> Option<Sp<String>> {
        let s = self.text(key, v, pos)?;
        let value = self.one_line(key, &s.value, pos);
        Some(Sp { value, pos })
    }

    /// A name, title or handle as one line: it becomes a heading, a sidebar entry, a
    /// SUMMARY.md line and a table cell, where a line break or a control character would split
    /// or corrupt them. Such characters are an error (EP0107), and the value is kept with each
    /// run of them turned into one space, so nothing downstream breaks even when the rule is
    /// allowed.
    fn one_line(&mut self, key: &str, text: &str, pos: Pos) -> String {
        let text = text.trim();
        if !text.chars().any(char::is_control) {
            return text.to_string();
        }
        let bad = text.chars().find(|c| c.is_control()).unwrap_or(' ');
        self.report(
            Rule::ControlCharacter,
            format!(
                "`{key}` contains {}, which a one-line value cannot hold",
                match bad {
                    '\n' | '\r' => "a line break".to_string(),
                    c => format!("the control character {}", c.escape_unicode()),
                }
            ),
            pos,
            &format!("write `{key}` on one line, without control characters"),
        );
        let mut out = String::with_capacity(text.len());
        for word in text
            .split(char::is_control)
            .filter(|w| !w.trim().is_empty())
        {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word.trim());
        }
        out
    }

    /// Items of a list with their positions; a single scalar counts as a one-item list.
    fn items<'v>(&self, key: &str, v: &'v Value) -> Vec<(&'v Value, Pos)> {
        let key_pos = self.index.key(key, self.meta.start);
        match v {
            Value::Sequence(seq) => seq
                .iter()
                .enumerate()
                .map(|(i, item)| (item, self.index.item(key, i, key_pos)))
                .collect(),
            other => vec![(other, key_pos)],
        }
    }

    fn strings(&mut self, key: &str, v: &Value) -> Vec<Sp<String>> {
        let mut out = Vec::new();
        for (item, pos) in self.items(key, v) {
            match scalar_text(item) {
                Some(s) if !s.trim().is_empty() => {
                    let value = self.one_line(key, &s, pos);
                    out.push(Sp { value, pos });
                }
                Some(_) => {}
                None if item.is_null() => {}
                None => self.wrong_type(key, "a list of names", item, pos),
            }
        }
        out
    }

    fn number(&mut self, key: &str, v: &Value, pos: Pos) -> Option<Sp<u32>> {
        let parsed = match v {
            Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
            Value::String(s) => match Reference::parse(s, false) {
                Some(Reference::Ep(n)) => Some(n),
                _ => None,
            },
            _ => None,
        };
        if parsed.is_none() {
            self.wrong_type(key, "an EP number such as `42`", v, pos);
        }
        parsed.map(|value| Sp { value, pos })
    }

    fn date(&mut self, key: &str, v: &Value, pos: Pos) -> Option<Sp<Date>> {
        let Some(text) = scalar_text(v) else {
            self.wrong_type(key, "a date `YYYY-MM-DD`", v, pos);
            return None;
        };
        match Date::parse(text.trim()) {
            Some(d) => Some(Sp { value: d, pos }),
            None => {
                self.report(
                    Rule::InvalidDate,
                    format!("`{key}` is \"{text}\", which is not a real date"),
                    pos,
                    "write dates as `YYYY-MM-DD`, e.g. `2026-03-14`",
                );
                None
            }
        }
    }

    fn refs(&mut self, key: &str, v: &Value, allow_urls: bool) -> Vec<Sp<Reference>> {
        let mut out = Vec::new();
        for (item, pos) in self.items(key, v) {
            let parsed = scalar_text(item).and_then(|t| Reference::parse(&t, allow_urls));
            match parsed {
                Some(r) => out.push(Sp { value: r, pos }),
                None => {
                    let shown = scalar_text(item).unwrap_or_else(|| kind(item).to_string());
                    let help = if allow_urls {
                        "name EPs by number (`42` or `EP-42`), or link a web page with an http(s) URL"
                    } else {
                        "name EPs by number: `42` or `EP-42`"
                    };
                    self.report(
                        Rule::MalformedReference,
                        format!("`{key}` entry \"{shown}\" is not an EP number"),
                        pos,
                        help,
                    );
                }
            }
        }
        out
    }

    fn ep_refs(&mut self, key: &str, v: &Value) -> Vec<Sp<u32>> {
        self.refs(key, v, false)
            .into_iter()
            .filter_map(|r| match r.value {
                Reference::Ep(n) => Some(Sp {
                    value: n,
                    pos: r.pos,
                }),
                Reference::Url(_) => None,
            })
            .collect()
    }

    fn exempt(&mut self, key: &str, v: &Value, pos: Pos) {
        let Value::Mapping(m) = v else {
            self.wrong_type(
                key,
                "a mapping of rule codes to reasons, e.g. `EP0601: \"predates the template\"`",
                v,
                pos,
            );
            return;
        };
        for (k, reason) in m {
            let code = scalar_text(k).unwrap_or_default();
            let reason = scalar_text(reason).unwrap_or_default();
            self.meta
                .exempt
                .push((Sp { value: code, pos }, reason.trim().to_string()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(yaml: &str) -> (Metadata, Vec<Diagnostic>) {
        parse(
            yaml,
            2,
            Path::new("eps/a/0001-x/README.md"),
            Path::new("eps/a/0001-x/README.md"),
        )
    }

    #[test]
    fn splits_front_matter() {
        let text = "---\ntitle: A\n---\n# Body\n";
        match split_front_matter(text) {
            FrontMatter::Present {
                yaml,
                yaml_line,
                body_start,
                body_line,
            } => {
                assert_eq!(yaml, "title: A\n");
                assert_eq!(yaml_line, 2);
                assert_eq!(&text[body_start..], "# Body\n");
                assert_eq!(body_line, 4);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(split_front_matter("# No\n---\n"), FrontMatter::Absent);
        assert_eq!(
            split_front_matter("---\ntitle: A\n"),
            FrontMatter::Unterminated
        );
        assert_eq!(split_front_matter("---"), FrontMatter::Unterminated);
        assert_eq!(split_front_matter(""), FrontMatter::Absent);
        assert!(matches!(
            split_front_matter("\u{feff}---\na: 1\n...\n"),
            FrontMatter::Present { .. }
        ));
    }

    #[test]
    fn reads_fields_with_positions() {
        let yaml = "title: Faster builds\nnumber: 42\nauthors:\n  - \"@ana\"\n  - bo\nowning-sig: devex\nstate: implementd\ncreation-date: 2026-02-30\nsee-also: [EP-7, \"https://x.org\"]\n";
        let (m, d) = parse_str(yaml);
        assert_eq!(m.title.unwrap().value, "Faster builds");
        assert_eq!(m.number.unwrap().value, 42);
        assert_eq!(m.authors[1].value, "bo");
        assert_eq!(m.authors[1].pos, Pos { line: 6, col: 5 });
        assert_eq!(m.see_also.len(), 2);
        let codes: Vec<_> = d
            .iter()
            .map(|d| {
                (
                    d.rule.code(),
                    d.location.as_ref().unwrap().line,
                    d.location.as_ref().unwrap().column,
                )
            })
            .collect();
        assert_eq!(codes, vec![("EP0102", 8, 8), ("EP0201", 9, 16)]);
        assert_eq!(d[0].help.as_deref(), Some("did you mean \"implemented\"?"));
    }

    #[test]
    fn kep_aliases_unknown_keys_and_conflicts() {
        let yaml = "kep-number: 3973\nstatus: implementable\nsuperseded-by:\n  - /keps/sig-apps/5000-x\nstage: beta\nowning_sig: x\nnumber: 3\n";
        let (m, d) = parse_str(yaml);
        assert_eq!(m.number.unwrap().value, 3973);
        assert_eq!(m.state.unwrap().value, State::Implementable);
        assert_eq!(m.replaced_by[0].value, 5000);
        assert_eq!(m.stage.as_deref(), Some("beta"));
        let rules: Vec<_> = d.iter().map(|d| d.rule.code()).collect();
        assert_eq!(rules, vec!["EP0105", "EP0106"]);
        assert_eq!(d[0].help.as_deref(), Some("did you mean `owning-sig`?"));
    }

    #[test]
    fn syntax_errors_point_into_the_file() {
        let (_, d) = parse_str("title: A\nauthors: [a\nstate: x\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].rule.code(), "EP0101");
        assert!(d[0].location.as_ref().unwrap().line >= 3);
    }

    #[test]
    fn non_mapping_and_wrong_types() {
        let (_, d) = parse_str("- a\n- b\n");
        assert_eq!(d[0].rule.code(), "EP0101");
        let (_, d) = parse_str("title: [a]\nnumber: abc\nauthors:\n  - {x: 1}\n");
        let rules: Vec<_> = d.iter().map(|d| d.rule.code()).collect();
        assert_eq!(rules, vec!["EP0104", "EP0104", "EP0104"]);
    }

    #[test]
    fn alias_bombs_are_refused_not_expanded() {
        let mut yaml = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let mut prev = 'a';
        for name in 'b'..='j' {
            yaml.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
            prev = name;
        }
        let (_, d) = parse_str(&yaml);
        assert!(d.iter().any(|d| d.rule.code() == "EP0101"), "{d:?}");
    }
}

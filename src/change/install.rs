//! `mdbook-ep install`: adds the preprocessor and the stylesheet to an existing book. Only
//! insertions are made into `book.toml`, so nothing the author wrote changes.

use std::path::{Path, PathBuf};

use toml_edit::{Item, Value};

use mdbook_preprocessor::config::Config;

use crate::error::{Error, Result};
use crate::read::config::EpConfig;
use crate::text::line_ending;

/// The stylesheet's file name, relative to the book root (where `additional-css` paths start).
pub(crate) const CSS_FILE: &str = "ep.css";
const CSS_MARKER: &str =
    "/* mdbook-ep stylesheet, managed by `mdbook-ep install`; edits are overwritten. */";
const CSS_BODY: &str = include_str!("../../book/ep.css");

/// The stylesheet as installed: a marker line that lets later installs replace it safely.
pub(crate) fn stylesheet() -> String {
    format!("{CSS_MARKER}\n{CSS_BODY}")
}

/// What an install does to `book.toml`: its new text and what changed, one phrase per change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TomlEdit {
    /// The file's new text.
    pub text: String,
    /// E.g. `added [preprocessor.ep]`.
    pub changes: Vec<String>,
}

/// `book.toml` with `[preprocessor.ep]` and the stylesheet registered; `None` when nothing needs
/// to change. Pure.
///
/// The file is parsed with `toml_edit` only to find where things are; the edit is a few
/// insertions into the author's bytes, so everything else stays exactly as it was: the BOM,
/// CRLF or mixed line endings, comments, key order, inline tables (edited in place) and
/// multi-line lists (the new entry gets a line of its own).
pub(crate) fn edit_book_toml(text: &str) -> Result<Option<TomlEdit>> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = &text[..text.len() - body.len()];
    let doc = toml_edit::Document::parse(body).map_err(|e| Error::Config {
        table: "book.toml".into(),
        message: e.to_string(),
        help: "fix book.toml's syntax first".into(),
    })?;
    let root = doc.as_table();
    let mut edit = Splice::new(body);
    let mut changes = Vec::new();

    let had = edit.len();
    match root.get("preprocessor") {
        Some(p) if p.get("ep").is_some() => {}
        None | Some(Item::Table(_)) => edit.append_table("preprocessor.ep", &[]),
        Some(Item::Value(Value::InlineTable(t))) => edit.add_to_inline_table(t, "ep = {}")?,
        Some(_) => return Err(not_a_table("preprocessor")),
    }
    if edit.len() > had {
        changes.push("added [preprocessor.ep]".to_string());
    }

    let output = root.get("output");
    let html = output.and_then(|o| o.get("html"));
    let has_outputs = output
        .and_then(Item::as_table_like)
        .is_some_and(|t| !t.is_empty());
    let css_line = format!("additional-css = [\"{CSS_FILE}\"]");
    let had = edit.len();
    match (output, html) {
        (Some(_), None) if has_outputs => {
            return Err(Error::Refused {
                message: "book.toml declares renderers but not `[output.html]`".into(),
                help: format!(
                    "add `[output.html]` with `{css_line}` yourself if the book should have HTML"
                ),
            });
        }
        (None | Some(Item::Table(_)), None) => edit.append_table("output.html", &[&css_line]),
        (Some(Item::Value(Value::InlineTable(t))), None) => {
            edit.add_to_inline_table(t, &format!("html = {{ {css_line} }}"))?;
        }
        (Some(_), None) => return Err(not_a_table("output")),
        (_, Some(html)) => {
            edit.ensure_listed(Some(html), "output.html", "additional-css", CSS_FILE)?;
        }
    }
    if edit.len() > had {
        changes.push(format!(
            "added \"{CSS_FILE}\" to output.html.additional-css"
        ));
    }
    // EPs beside the sources (`eps-dir = "../keps"`): `mdbook serve` rebuilds when they change.
    let watch = watched_eps_dir(root);
    if let Some(dir) = &watch {
        let had = edit.len();
        edit.ensure_listed(root.get("build"), "build", "extra-watch-dirs", dir)?;
        if edit.len() > had {
            changes.push(format!("added \"{dir}\" to build.extra-watch-dirs"));
        }
    }
    if changes.is_empty() {
        return Ok(None);
    }
    let new = format!("{bom}{}", edit.apply());
    // The edit must say what it meant: parse it back and look.
    let parsed = toml_edit::Document::parse(&new[bom.len()..]).ok();
    let landed = parsed.as_ref().is_some_and(|d| {
        let t = d.as_table();
        let css = t
            .get("output")
            .and_then(|o| o.get("html"))
            .and_then(|h| h.get("additional-css"))
            .and_then(Item::as_array);
        let listed = |list: Option<&toml_edit::Array>, value: &str| {
            list.is_some_and(|l| l.iter().any(|v| v.as_str() == Some(value)))
        };
        let watched = t
            .get("build")
            .and_then(|b| b.get("extra-watch-dirs"))
            .and_then(Item::as_array);
        t.get("preprocessor").and_then(|p| p.get("ep")).is_some()
            && listed(css, CSS_FILE)
            && watch.as_deref().is_none_or(|w| listed(watched, w))
    });
    if !landed {
        return Err(Error::Refused {
            message: "book.toml is laid out in a way `install` cannot edit safely".into(),
            help: format!("add `[preprocessor.ep]` and `{css_line}` under `[output.html]` by hand"),
        });
    }
    Ok(Some(TomlEdit { text: new, changes }))
}

/// The EP folder, relative to the book root, when `eps-dir` puts it beside the sources.
fn watched_eps_dir(root: &toml_edit::Table) -> Option<String> {
    let eps_dir = root
        .get("preprocessor")?
        .get("ep")?
        .get("eps-dir")?
        .as_str()?;
    let leaves = Path::new(eps_dir)
        .components()
        .next()
        .is_some_and(|c| c == std::path::Component::ParentDir);
    if !leaves {
        return None;
    }
    let src = root
        .get("book")
        .and_then(|b| b.get("src"))
        .and_then(Item::as_str)
        .unwrap_or("src");
    let dir = crate::read::tidy(&Path::new(src).join(eps_dir));
    Some(dir.to_string_lossy().replace('\\', "/"))
}

/// Insertions into a text, applied together; positions are in the original text.
struct Splice<'a> {
    text: &'a str,
    eol: &'static str,
    inserts: Vec<(usize, String)>,
    /// Whole tables added at the end.
    tables: Vec<String>,
}

impl<'a> Splice<'a> {
    fn new(text: &'a str) -> Self {
        Splice {
            text,
            eol: line_ending(text),
            inserts: Vec::new(),
            tables: Vec::new(),
        }
    }

    /// A new `[name]` table with `lines`, at the end of the file, after everything else
    /// (its last comment stays where it is), a blank line before each new table.
    fn append_table(&mut self, name: &str, lines: &[&str]) {
        let eol = self.eol;
        let mut table = format!("[{name}]{eol}");
        for line in lines {
            table.push_str(&format!("{line}{eol}"));
        }
        self.tables.push(table);
    }

    /// `value` in the list `key` of `table` (`name` in messages): added to the list, or the
    /// list added to the table, or the table added, whichever is missing.
    fn ensure_listed(
        &mut self,
        table: Option<&Item>,
        name: &str,
        key: &str,
        value: &str,
    ) -> Result<()> {
        let quoted = toml::Value::String(value.to_string()).to_string();
        let line = format!("{key} = [{quoted}]");
        let not_a_list = || Error::Config {
            table: name.to_string(),
            message: format!("`{key}` is not a list"),
            help: format!("write it as `{key} = [\"...\"]`"),
        };
        match table {
            None => self.append_table(name, &[&line]),
            Some(item) => match (item.get(key), item) {
                (Some(existing), _) => {
                    let existing = existing.as_array().ok_or_else(not_a_list)?;
                    if !existing.iter().any(|v| v.as_str() == Some(value)) {
                        self.add_to_array(existing, &quoted)?;
                    }
                }
                (None, Item::Table(t)) => self.add_to_table(t, &line)?,
                (None, Item::Value(Value::InlineTable(t))) => self.add_to_inline_table(t, &line)?,
                (None, _) => return Err(not_a_table(name)),
            },
        }
        Ok(())
    }

    /// `line` as the last key of a `[table]`: after its last key on a line of its own.
    fn add_to_table(&mut self, table: &toml_edit::Table, line: &str) -> Result<()> {
        let Some(header) = table.span().filter(|s| !s.is_empty()) else {
            return Err(cannot_edit("a table defined by dotted keys"));
        };
        let last = table
            .iter()
            .filter_map(|(_, item)| item.as_value()?.span())
            .map(|s| s.end)
            .chain([header.end])
            .max()
            .unwrap_or(header.end);
        let eol = self.eol;
        match self.text[last..].find('\n') {
            Some(i) => self.inserts.push((last + i + 1, format!("{line}{eol}"))),
            None => self
                .inserts
                .push((self.text.len(), format!("{eol}{line}{eol}"))),
        }
        Ok(())
    }

    /// `entry` (`key = value`) as the last entry of an inline table.
    fn add_to_inline_table(&mut self, table: &toml_edit::InlineTable, entry: &str) -> Result<()> {
        let span = table.span().ok_or_else(|| cannot_edit("an inline table"))?;
        let inner = &self.text[span.start + 1..span.end - 1];
        self.inserts.push(if inner.trim().is_empty() {
            (span.end - 1, format!(" {entry} "))
        } else {
            // After the last entry, before the whitespace that leads to `}`.
            (
                span.start + 1 + inner.trim_end().len(),
                format!(", {entry}"),
            )
        });
        Ok(())
    }

    /// `value` as the last element of a list: on its own line (indented like the one before)
    /// when the list has one element per line, else after the last one.
    fn add_to_array(&mut self, list: &toml_edit::Array, value: &str) -> Result<()> {
        let span = list.span().ok_or_else(|| cannot_edit("a list"))?;
        let Some(last) = list.iter().filter_map(toml_edit::Value::span).last() else {
            self.inserts.push((span.start + 1, value.to_string()));
            return Ok(());
        };
        let after = &self.text[last.end..span.end - 1];
        let line_start = self.text[..last.start].rfind('\n').map_or(0, |i| i + 1);
        let indent = &self.text[line_start..last.start];
        let own_lines = after.contains('\n') && indent.trim().is_empty();
        if !own_lines {
            self.inserts.push((last.end, format!(", {value}")));
        } else {
            let eol = self.eol;
            let comma = list.trailing_comma();
            if !comma {
                self.inserts.push((last.end, ",".into()));
            }
            let next_line = last.end + after.find('\n').unwrap_or(0) + 1;
            let tail = if comma { "," } else { "" };
            self.inserts
                .push((next_line, format!("{indent}{value}{tail}{eol}")));
        }
        Ok(())
    }

    /// The text with every insertion made (at one position, in the order they were asked),
    /// then the new tables.
    fn apply(self) -> String {
        let mut inserts = self.inserts;
        inserts.sort_by_key(|(at, _)| *at);
        let mut out = String::with_capacity(self.text.len() + 128);
        let mut from = 0;
        for (at, add) in inserts {
            out.push_str(&self.text[from..at]);
            out.push_str(&add);
            from = at;
        }
        out.push_str(&self.text[from..]);
        for table in self.tables {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push_str(self.eol);
            }
            if !out.trim().is_empty() {
                out.push_str(self.eol);
            }
            out.push_str(&table);
        }
        out
    }

    fn len(&self) -> usize {
        self.inserts.len() + self.tables.len()
    }
}

fn cannot_edit(what: &str) -> Error {
    Error::Refused {
        message: format!("book.toml has {what} `install` cannot edit safely"),
        help: format!(
            "add `[preprocessor.ep]` and `additional-css = [\"{CSS_FILE}\"]` under `[output.html]` by hand"
        ),
    }
}

fn not_a_table(key: &str) -> Error {
    Error::Config {
        table: "book.toml".into(),
        message: format!("`{key}` is not a table"),
        help: format!("write it as `[{key}]`"),
    }
}

/// One file an install may change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FileChange {
    /// The file.
    pub path: PathBuf,
    /// Its new text; `None` when it is already as it should be.
    pub new: Option<String>,
    /// What changes in it, one phrase each (e.g. `added [preprocessor.ep]`).
    pub said: Vec<String>,
}

/// What installing into a book changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Install {
    /// `book.toml`, with the preprocessor and the stylesheet registered.
    pub book_toml: FileChange,
    /// The stylesheet.
    pub stylesheet: FileChange,
    /// For an EP folder beside the sources: the link to create inside them (`(link, target)`,
    /// see [`crate::read::discover::eps_link`]) when it is missing.
    pub link: Option<(PathBuf, PathBuf)>,
    /// Whether `[preprocessor.ep]` names the program mdBook runs (`command`), so PATH does
    /// not matter.
    pub command_set: bool,
    /// Files a first EP needs that the book lacks (the template, a SIG's folder with its
    /// introduction): created, never replacing anything.
    pub scaffold: Vec<(PathBuf, String)>,
}

impl Install {
    /// The files that would change, `book.toml` first.
    pub(crate) fn changed(&self) -> impl Iterator<Item = &FileChange> {
        [&self.book_toml, &self.stylesheet]
            .into_iter()
            .filter(|f| f.new.is_some())
    }
}

/// The template a book gets when it has none: this project's own, whose sections and markers
/// the guide documents.
const TEMPLATE: &str = include_str!("../../book/eps/template/README.md");

/// What a first EP needs and the book in `dir` lacks: the template, and with `sig` that SIG's
/// folder (with a short introduction, so `new --sig` finds it and its page has a text).
fn scaffold(
    dir: &Path,
    config: &Config,
    cfg: &EpConfig,
    sig: Option<&str>,
) -> Result<Vec<(PathBuf, String)>> {
    let src = dir.join(&config.book.src);
    let mut out = Vec::new();
    let template = src.join(cfg.on_disk(&cfg.template));
    if !template.exists() {
        out.push((template, TEMPLATE.to_string()));
    }
    if let Some(sig) = sig {
        let valid = !sig.is_empty()
            && sig
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            return Err(Error::Refused {
                message: format!("`{sig}` is not a SIG folder name"),
                help: "use letters, digits, `-` and `_`, e.g. `platform`".into(),
            });
        }
        if cfg.is_template_folder(sig) {
            return Err(Error::Refused {
                message: format!("`{sig}` is the template's folder, not a SIG"),
                help: "name the SIG, e.g. `--sig platform`".into(),
            });
        }
        if !cfg.sigs.is_empty() && !cfg.sigs.contains_key(sig) {
            return Err(Error::Refused {
                message: format!("`{sig}` is not in the SIG registry of book.toml"),
                help: format!(
                    "add `[preprocessor.ep.sigs.{sig}]` (with its approvers) first, or use one of: {}",
                    cfg.sigs.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            });
        }
        let readme = src
            .join(cfg.on_disk(&cfg.eps_dir.join(sig)))
            .join("README.md");
        if !readme.exists() {
            let intro = format!("# {}\n\nThe EPs the {sig} SIG owns.\n", cfg.sig_name(sig));
            out.push((readme, intro));
        }
    }
    Ok(out)
}

/// Works out what installing into the book in `dir` changes; refuses to replace a stylesheet
/// that is not ours. With `sig`, the book also gets that SIG's folder.
pub(crate) fn plan(dir: &Path, sig: Option<&str>) -> Result<Install> {
    let toml_path = dir.join("book.toml");
    let text = std::fs::read_to_string(&toml_path).map_err(|e| Error::io("read", &toml_path, e))?;
    let (new_toml, toml_said) = match edit_book_toml(&text)? {
        Some(edit) => (Some(edit.text), edit.changes),
        None => (None, Vec::new()),
    };
    let css_path = dir.join(CSS_FILE);
    let css = stylesheet();
    let existing = std::fs::read_to_string(&css_path).ok();
    let css_said = vec![if existing.is_some() {
        "replaced it with this version's stylesheet".to_string()
    } else {
        "created it".to_string()
    }];
    let new_css = match existing {
        Some(existing) if existing == css => None,
        Some(existing) if !existing.starts_with(CSS_MARKER) => {
            return Err(Error::Refused {
                message: format!(
                    "`{}` exists and is not mdbook-ep's stylesheet",
                    css_path.display()
                ),
                help: "rename your file, or delete it to let mdbook-ep install its own".into(),
            });
        }
        _ => Some(css),
    };
    // One reading of the book's settings for the link and the scaffold. A book.toml mdBook
    // cannot read yet needs neither, unless a SIG was asked for, which then cannot be
    // honoured silently.
    let (link, scaffold) = match crate::read::book::settings(dir) {
        Ok((config, cfg)) => {
            // An EP folder outside the repository is refused before anything is written: the
            // link would publish whatever it points at.
            crate::read::discover::check_outside(dir, &config.book.src, &cfg)?;
            let link = crate::read::discover::eps_link(&config.book.src, &cfg)
                .map(|(link, target)| (dir.join(link), target))
                .filter(|(link, _)| std::fs::symlink_metadata(link).is_err());
            (link, scaffold(dir, &config, &cfg, sig)?)
        }
        Err(e) if sig.is_some() => return Err(e),
        Err(_) => (None, Vec::new()),
    };
    // mdBook runs the preprocessor as `mdbook-ep` from PATH unless `command` says otherwise.
    let command_set = text
        .trim_start_matches('\u{feff}')
        .parse::<toml::Table>()
        .ok()
        .and_then(|t| t.get("preprocessor")?.get("ep")?.get("command").cloned())
        .is_some();
    Ok(Install {
        scaffold,
        command_set,
        link,
        book_toml: FileChange {
            path: toml_path,
            new: new_toml,
            said: toml_said,
        },
        stylesheet: FileChange {
            said: if new_css.is_some() {
                css_said
            } else {
                Vec::new()
            },
            path: css_path,
            new: new_css,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edited(text: &str) -> String {
        edit_book_toml(text).unwrap().unwrap().text
    }

    #[test]
    fn adds_what_is_missing_and_keeps_comments() {
        let text = "# My book\n[book]\ntitle = \"x\" # the title\n\n[output.html]\n# theme tweaks\nadditional-css = [\"custom.css\"]\n";
        let edit = edit_book_toml(text).unwrap().unwrap();
        assert_eq!(
            edit.text,
            "# My book\n[book]\ntitle = \"x\" # the title\n\n[output.html]\n# theme tweaks\nadditional-css = [\"custom.css\", \"ep.css\"]\n\n[preprocessor.ep]\n"
        );
        assert_eq!(
            edit.changes,
            [
                "added [preprocessor.ep]",
                "added \"ep.css\" to output.html.additional-css"
            ]
        );
        assert_eq!(edit_book_toml(&edit.text).unwrap(), None, "idempotent");
    }

    #[test]
    fn a_bare_book_gets_both_tables() {
        assert_eq!(
            edited("[book]\ntitle = \"x\""),
            "[book]\ntitle = \"x\"\n\n[preprocessor.ep]\n\n[output.html]\nadditional-css = [\"ep.css\"]\n"
        );
        assert_eq!(
            edited(""),
            "[preprocessor.ep]\n\n[output.html]\nadditional-css = [\"ep.css\"]\n"
        );
    }

    #[test]
    fn crlf_bom_and_a_last_comment_stay() {
        let text = "\u{feff}[book]\r\ntitle = \"x\"\r\n\r\n[output.html]\r\ndefault-theme = \"navy\"\r\n# the end\r\n";
        assert_eq!(
            edited(text),
            "\u{feff}[book]\r\ntitle = \"x\"\r\n\r\n[output.html]\r\ndefault-theme = \"navy\"\r\nadditional-css = [\"ep.css\"]\r\n# the end\r\n\r\n[preprocessor.ep]\r\n"
        );
    }

    #[test]
    fn a_multi_line_list_gets_a_line_of_its_own() {
        let with_comma = "[output.html]\nadditional-css = [\n    \"a.css\",\n    \"b.css\", # mine\n]\n[preprocessor.ep]\n";
        assert_eq!(
            edited(with_comma),
            "[output.html]\nadditional-css = [\n    \"a.css\",\n    \"b.css\", # mine\n    \"ep.css\",\n]\n[preprocessor.ep]\n"
        );
        let without = "[output.html]\nadditional-css = [\n  \"a.css\"\n]\n[preprocessor.ep]\n";
        assert_eq!(
            edited(without),
            "[output.html]\nadditional-css = [\n  \"a.css\",\n  \"ep.css\"\n]\n[preprocessor.ep]\n"
        );
        assert_eq!(
            edited("[output.html]\nadditional-css = []\n[preprocessor.ep]\n"),
            "[output.html]\nadditional-css = [\"ep.css\"]\n[preprocessor.ep]\n"
        );
    }

    #[test]
    fn inline_tables_are_edited_in_place() {
        assert_eq!(
            edited("[output]\nhtml = { default-theme = \"navy\" }\n[preprocessor.ep]\n"),
            "[output]\nhtml = { default-theme = \"navy\", additional-css = [\"ep.css\"] }\n[preprocessor.ep]\n"
        );
        assert_eq!(
            edited("preprocessor = { links = {} }\noutput = { html = {} }\n"),
            "preprocessor = { links = {}, ep = {} }\noutput = { html = { additional-css = [\"ep.css\"] } }\n"
        );
        assert_eq!(
            edited("[output]\nhtml = { additional-css = [\"a.css\"] }\n[preprocessor]\nep = {}\n"),
            "[output]\nhtml = { additional-css = [\"a.css\", \"ep.css\"] }\n[preprocessor]\nep = {}\n"
        );
    }

    #[test]
    fn refuses_what_it_cannot_edit_safely() {
        assert!(edit_book_toml("[output.markdown]\n").is_err());
        // Dotted keys define `output.html` without a header of its own.
        let err = edit_book_toml("output.html.default-theme = \"navy\"\n").unwrap_err();
        assert!(err.to_string().contains("by hand"), "{err}");
        assert!(edit_book_toml("output = 3\n").is_err());
    }
}

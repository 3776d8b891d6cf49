//! `mdbook-ep install`: adds the preprocessor and the stylesheet to an existing book, editing
//! `book.toml` with `toml_edit` so its comments and formatting stay.

use std::path::{Path, PathBuf};

use toml_edit::{Array, DocumentMut, Item, Table, value};

use crate::error::{Error, Result};

/// The stylesheet's file name, relative to the book root (where `additional-css` paths start).
pub(crate) const CSS_FILE: &str = "ep.css";
const CSS_MARKER: &str =
    "/* mdbook-ep stylesheet, managed by `mdbook-ep install`; edits are overwritten. */";
const CSS_BODY: &str = include_str!("../../book/ep.css");

/// The stylesheet as installed: a marker line that lets later installs replace it safely.
pub(crate) fn stylesheet() -> String {
    format!("{CSS_MARKER}\n{CSS_BODY}")
}

/// `book.toml` with `[preprocessor.ep]` and the stylesheet registered; `None` when nothing needs
/// to change. Pure.
pub(crate) fn edit_book_toml(text: &str) -> Result<Option<String>> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| Error::Config {
            table: "book.toml".into(),
            message: e.to_string(),
            help: "fix book.toml's syntax first".into(),
        })?;
    let before = doc.to_string();
    let preprocessor = doc
        .entry("preprocessor")
        .or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        })
        .as_table_mut()
        .ok_or_else(|| not_a_table("preprocessor"))?;
    preprocessor
        .entry("ep")
        .or_insert_with(|| Item::Table(Table::new()));

    let has_outputs = doc
        .get("output")
        .and_then(Item::as_table)
        .is_some_and(|t| !t.is_empty());
    let has_html = doc.get("output").and_then(|o| o.get("html")).is_some();
    if has_outputs && !has_html {
        return Err(Error::Refused {
            message: "book.toml declares renderers but not `[output.html]`".into(),
            help: "add `additional-css = [\"ep.css\"]` to the HTML renderer's table yourself, or add `[output.html]`".into(),
        });
    }
    let output = doc
        .entry("output")
        .or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        })
        .as_table_mut()
        .ok_or_else(|| not_a_table("output"))?;
    let html = output
        .entry("html")
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_mut()
        .ok_or_else(|| not_a_table("output.html"))?;
    let css = html
        .entry("additional-css")
        .or_insert_with(|| value(Array::new()));
    let list = css.as_array_mut().ok_or_else(|| Error::Config {
        table: "output.html".into(),
        message: "`additional-css` is not a list".into(),
        help: "write it as `additional-css = [\"a.css\"]`".into(),
    })?;
    if !list.iter().any(|v| v.as_str() == Some(CSS_FILE)) {
        list.push(CSS_FILE);
    }
    let after = doc.to_string();
    Ok((after != before).then_some(after))
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
}

/// What installing into a book changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Install {
    /// `book.toml`, with the preprocessor and the stylesheet registered.
    pub book_toml: FileChange,
    /// The stylesheet.
    pub stylesheet: FileChange,
}

impl Install {
    /// The files that would change, `book.toml` first.
    pub(crate) fn changed(&self) -> impl Iterator<Item = (&PathBuf, &String)> {
        [&self.book_toml, &self.stylesheet]
            .into_iter()
            .filter_map(|f| Some((&f.path, f.new.as_ref()?)))
    }
}

/// Works out what installing into the book in `dir` changes; refuses to replace a stylesheet
/// that is not ours.
pub(crate) fn plan(dir: &Path) -> Result<Install> {
    let toml_path = dir.join("book.toml");
    let text = std::fs::read_to_string(&toml_path).map_err(|e| Error::io("read", &toml_path, e))?;
    let new_toml = edit_book_toml(&text)?;
    let css_path = dir.join(CSS_FILE);
    let css = stylesheet();
    let new_css = match std::fs::read_to_string(&css_path).ok() {
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
    Ok(Install {
        book_toml: FileChange {
            path: toml_path,
            new: new_toml,
        },
        stylesheet: FileChange {
            path: css_path,
            new: new_css,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_what_is_missing_and_keeps_comments() {
        let text = "# My book\n[book]\ntitle = \"x\" # the title\n\n[output.html]\n# theme tweaks\nadditional-css = [\"custom.css\"]\n";
        let out = edit_book_toml(text).unwrap().unwrap();
        assert!(
            out.starts_with("# My book\n[book]\ntitle = \"x\" # the title\n"),
            "{out}"
        );
        assert!(
            out.contains("# theme tweaks\nadditional-css = [\"custom.css\", \"ep.css\"]"),
            "{out}"
        );
        assert!(out.contains("[preprocessor.ep]"), "{out}");
        assert_eq!(edit_book_toml(&out).unwrap(), None, "idempotent");
    }

    #[test]
    fn a_bare_book_gets_both_tables() {
        let out = edit_book_toml("[book]\ntitle = \"x\"\n").unwrap().unwrap();
        let parsed: toml::Table = out.parse().unwrap();
        assert!(parsed["preprocessor"]["ep"].is_table());
        assert_eq!(
            parsed["output"]["html"]["additional-css"][0].as_str(),
            Some("ep.css")
        );
    }

    #[test]
    fn refuses_to_enable_html_behind_other_renderers() {
        assert!(edit_book_toml("[output.markdown]\n").is_err());
    }
}

//! `mdbook-ep install`: adds the preprocessor and the stylesheet to an existing book, editing
//! `book.toml` with `toml_edit` so its comments and formatting stay.

use std::path::Path;

use toml_edit::{Array, DocumentMut, Item, Table, value};

use crate::error::{Error, Result};

/// The stylesheet's file name, relative to the book root (where `additional-css` paths start).
pub const CSS_FILE: &str = "ep.css";
const CSS_MARKER: &str =
    "/* mdbook-ep stylesheet, managed by `mdbook-ep install`; edits are overwritten. */";
const CSS_BODY: &str = include_str!("../../book/ep.css");

/// The stylesheet as installed: a marker line that lets later installs replace it safely.
pub fn stylesheet() -> String {
    format!("{CSS_MARKER}\n{CSS_BODY}")
}

/// `book.toml` with `[preprocessor.ep]` and the stylesheet registered; `None` when nothing needs
/// to change. Pure.
pub fn edit_book_toml(text: &str) -> Result<Option<String>> {
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

/// Installs into the book in `dir`; with `check`, only reports (exit 1) what would change.
pub fn run(dir: &Path, check: bool) -> Result<()> {
    let toml_path = dir.join("book.toml");
    let text = std::fs::read_to_string(&toml_path).map_err(|e| Error::io("read", &toml_path, e))?;
    let new_toml = edit_book_toml(&text)?;
    let css_path = dir.join(CSS_FILE);
    let css = stylesheet();
    let css_now = std::fs::read_to_string(&css_path).ok();
    let css_changes = match &css_now {
        Some(existing) if *existing == css => false,
        Some(existing) if !existing.starts_with(CSS_MARKER) => {
            return Err(Error::Refused {
                message: format!(
                    "`{}` exists and is not mdbook-ep's stylesheet",
                    css_path.display()
                ),
                help: "rename your file, or delete it to let mdbook-ep install its own".into(),
            });
        }
        _ => true,
    };
    if check {
        if new_toml.is_some() || css_changes {
            let what = if new_toml.is_some() {
                toml_path.clone()
            } else {
                css_path.clone()
            };
            return Err(Error::Stale {
                path: what,
                fix: "mdbook-ep install".into(),
            });
        }
        eprintln!("mdbook-ep is installed in {}", dir.display());
        return Ok(());
    }
    if let Some(new) = new_toml {
        crate::fsutil::write_atomic(&toml_path, new.as_bytes())?;
        eprintln!("updated {}", toml_path.display());
    }
    if css_changes {
        crate::fsutil::write_atomic(&css_path, css.as_bytes())?;
        eprintln!("wrote {}", css_path.display());
    }
    Ok(())
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

//! Property tests: every editor changes only the region it owns. Files are generated with LF,
//! CRLF or mixed line endings, a BOM or not, comments, blank lines and non-ASCII text; the
//! bytes outside the region must come back unchanged, and the lines an editor writes must end
//! the way the file's do.

use proptest::prelude::*;

use super::codeowners;
use super::edit::{set_key, with_front_matter};
use super::toc::{Anchors, Outcome, update};
use crate::read::config::EpConfig;
use crate::read::summary_region::find_region;
use crate::shape::summary::splice;

/// One line of some file, without its ending.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,8}: [a-zA-Z0-9 äöü@\"'#-]{0,20}",
        "# [a-z äöü]{0,20}",
        "  - [a-z@]{1,8}",
        "- [a-z]{1,8}",
        Just(String::new()),
        "[A-Za-z äöü*_`]{1,30}",
    ]
}

/// Lines joined with a chosen ending each: LF, CRLF, or mixed.
fn text(lines: impl Strategy<Value = Vec<String>>) -> impl Strategy<Value = String> {
    (lines, prop::collection::vec(any::<bool>(), 40), 0..3u8).prop_map(|(lines, crlf, mode)| {
        let mut out = String::new();
        for (i, l) in lines.iter().enumerate() {
            out.push_str(l);
            let crlf = match mode {
                0 => false,
                1 => true,
                _ => crlf[i % crlf.len()],
            };
            out.push_str(if crlf { "\r\n" } else { "\n" });
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// `set_key` replaces the key's entry and nothing else; the new line ends like the old one.
    #[test]
    fn set_key_changes_only_its_entry(
        yaml in text(prop::collection::vec(line(), 0..12)),
        value in "[a-z0-9]{1,10}",
    ) {
        let out = set_key(&yaml, "state", &value);
        let lines: Vec<&str> = yaml.split_inclusive('\n').collect();
        let at = lines.iter().position(|l| l.starts_with("state:"));
        match at {
            None => {
                prop_assert!(out.starts_with(&yaml));
                prop_assert!(out[yaml.len()..].trim_start_matches(['\r', '\n']).starts_with("state: "));
            }
            Some(i) => {
                let head: String = lines[..i].concat();
                prop_assert!(out.starts_with(&head));
                let new_line = out[head.len()..].split_inclusive('\n').next().unwrap();
                let expected = format!("state: {value}");
                prop_assert!(new_line.starts_with(&expected));
                let old_end = if lines[i].ends_with("\r\n") { "\r\n" } else { "\n" };
                prop_assert!(new_line.ends_with(old_end), "{new_line:?} vs {:?}", lines[i]);
                // Everything after the entry is as it was.
                let rest = &out[head.len() + new_line.len()..];
                prop_assert!(yaml.ends_with(rest));
            }
        }
    }

    /// A front-matter edit touches only the YAML between the markers: BOM, markers and body stay.
    #[test]
    fn front_matter_edits_keep_bom_markers_and_body(
        bom in any::<bool>(),
        yaml in text(prop::collection::vec(line(), 1..8)),
        body in text(prop::collection::vec(line(), 0..8)),
        crlf in any::<bool>(),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let yaml = yaml.replace("---", "- - -");
        let file = format!("{}---{eol}{yaml}---{eol}{body}", if bom { "\u{feff}" } else { "" });
        let out = with_front_matter(&file, |y| set_key(y, "state", "implemented")).unwrap();
        let prefix = format!("{}---{eol}", if bom { "\u{feff}" } else { "" });
        let suffix = format!("---{eol}{body}");
        prop_assert!(out.starts_with(&prefix));
        prop_assert!(out.ends_with(&suffix));
    }

    /// SUMMARY.md: only the bytes between the markers change, in the file's line endings.
    #[test]
    fn summary_splice_changes_only_the_region(
        before in text(prop::collection::vec(line(), 0..6)),
        inside in text(prop::collection::vec(line(), 0..6)),
        after in text(prop::collection::vec(line(), 0..6)),
        crlf in any::<bool>(),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let file = format!("# Summary{eol}{before}<!-- ep:summary -->{eol}{inside}<!-- /ep:summary -->{eol}{after}");
        let region = find_region(&file).unwrap().unwrap();
        let out = splice(&file, Some(&region), "# Part\n\n- [EP](eps/a.md)\n", 0);
        prop_assert!(out.starts_with(&file[..region.content.start]));
        prop_assert!(out.ends_with(&file[region.content.end..]));
        let new = &out[region.content.start..out.len() - (file.len() - region.content.end)];
        if crlf {
            prop_assert!(!new.replace("\r\n", "").contains('\n'), "{new:?}");
        } else {
            prop_assert!(!new.contains('\r'));
        }
    }

    /// CODEOWNERS: lines outside the block stay; the block ends its lines as the file does.
    #[test]
    fn codeowners_splice_keeps_other_lines(
        before in text(prop::collection::vec(line(), 0..6)),
        after in text(prop::collection::vec(line(), 0..6)),
        crlf in any::<bool>(),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let before = before.replace("mdbook-ep", "tool");
        let after = after.replace("mdbook-ep", "tool");
        let file = format!("* @all{eol}{before}{}{eol}/old/ @x{eol}{}{eol}{after}", codeowners::OPEN, codeowners::CLOSE);
        let block = format!("{}\n/eps/a/ @ann\n{}\n", codeowners::OPEN, codeowners::CLOSE);
        let out = codeowners::splice(&file, &block).unwrap();
        let head = format!("* @all{eol}{before}");
        prop_assert!(out.starts_with(&head));
        prop_assert!(out.ends_with(&after));
        let line = format!("/eps/a/ @ann{eol}");
        prop_assert!(out.contains(&line));
    }

    /// `toc --write`: only the bytes between the markers change, in the file's line endings.
    #[test]
    fn toc_changes_only_between_its_markers(
        intro in text(prop::collection::vec(line(), 0..5)),
        old in text(prop::collection::vec(line(), 0..4)),
        headings in prop::collection::vec("[A-Za-z äöü]{1,12}", 1..6),
        crlf in any::<bool>(),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let intro = intro.replace('#', "").replace("<!--", "");
        let old = old.replace('#', "").replace("<!--", "").replace("-->", "");
        let mut file = format!("# Title{eol}{eol}{intro}{eol}<!-- toc -->{eol}{old}<!-- /toc -->{eol}");
        for h in &headings {
            file.push_str(&format!("{eol}## {h}{eol}{eol}Text.{eol}"));
        }
        let open = file.find("<!-- toc -->").unwrap() + "<!-- toc -->".len();
        let close = file.find("<!-- /toc -->").unwrap();
        let cfg = EpConfig::default();
        if let Outcome::Stale(out) = update(std::path::Path::new("x.md"), &file, Anchors::Github, &cfg).unwrap() {
            prop_assert!(out.starts_with(&file[..open]));
            prop_assert!(out.ends_with(&file[close..]));
            let new = &out[open..out.len() - (file.len() - close)];
            if crlf {
                prop_assert!(!new.replace("\r\n", "").contains('\n'), "{new:?}");
            }
        }
    }

    /// `install` only inserts: the old `book.toml` is a subsequence of the new one, which parses,
    /// registers the preprocessor and the stylesheet, and needs no second install.
    #[test]
    fn install_only_inserts(
        bom in any::<bool>(),
        parts in prop::collection::vec(prop_oneof![
            Just("[book]\ntitle = \"Ä book\" # c\n".to_string()),
            Just("# a comment\n".to_string()),
            Just("\n".to_string()),
            Just("[output.html]\ndefault-theme = \"navy\"\n".to_string()),
            Just("[output.html]\nadditional-css = [\n  \"a.css\", # mine\n]\n".to_string()),
            Just("[output.html]\nadditional-css = [\"a.css\"]\n".to_string()),
            Just("[output]\nhtml = { default-theme = \"navy\" }\n".to_string()),
            Just("[preprocessor.links]\n".to_string()),
            Just("[preprocessor.ep]\neps-dir = \"eps\"\n".to_string()),
            Just("[build]\ncreate-missing = false\n".to_string()),
        ], 0..6),
        crlf in 0..3u8,
    ) {
        // One table each: TOML forbids defining a table twice.
        let mut seen = std::collections::BTreeSet::new();
        let mut body = String::new();
        for part in parts {
            let head = part.lines().next().unwrap_or("").to_string();
            let key = if head.starts_with("[output") { "[output]".to_string() } else { head };
            if key.starts_with('[') && !seen.insert(key) {
                continue;
            }
            body.push_str(&part);
        }
        let body = match crlf {
            0 => body,
            1 => body.replace('\n', "\r\n"),
            _ => body.replacen('\n', "\r\n", 2),
        };
        let file = if bom { format!("\u{feff}{body}") } else { body };
        if let Some(edit) = super::install::edit_book_toml(&file).unwrap() {
            let mut rest = file.as_str();
            for c in edit.text.chars() {
                if rest.starts_with(c) {
                    rest = &rest[c.len_utf8()..];
                }
            }
            prop_assert!(rest.is_empty(), "not only insertions: {:?} -> {:?}", file, edit.text);
            if crlf == 1 && file.contains('\n') {
                prop_assert!(!edit.text.replace("\r\n", "").contains('\n'), "LF in a CRLF file: {:?}", edit.text);
            }
            prop_assert_eq!(super::install::edit_book_toml(&edit.text).unwrap(), None);
        }
    }
}

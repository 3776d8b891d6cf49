//! The bodies of the fuzz targets. They live in the library so that the same code runs under
//! libFuzzer (`cargo fuzz run NAME`, nightly) and over the checked-in seed corpus in a plain
//! `cargo test` (`tests/testsuite/fuzz_corpus.rs`). Each one takes arbitrary bytes and panics
//! when the code under test panics or breaks a promise the README makes about the files it
//! edits.

use std::path::{Path, PathBuf};

use crate::change::edit::{set_key, with_front_matter};
use crate::change::toc::{Anchors, Outcome, update};
use crate::check::validate;
use crate::diagnostic::{Sources, render_plain};
use crate::model::Date;
use crate::read::config::EpConfig;
use crate::read::discover::{Found, Kind};
use crate::read::ep::parse as parse_ep;
use crate::read::metadata::{FrontMatter, split_front_matter};
use crate::read::outline::Outline;
use crate::read::summary_region::find_region;
use crate::read::template::parse as parse_template;
use crate::render::Directory;
use crate::render::chapter::ep_chapter;
use crate::render::toc::container_prefix;
use crate::shape::summary::{placement, splice};

/// A fuzz target: arbitrary bytes in, a panic on a broken promise.
pub type Target = fn(&[u8]);

/// The fuzz targets by name, as `fuzz/fuzz_targets/NAME.rs` and `fuzz/seeds/NAME/` call them.
pub const TARGETS: [(&str, Target); 4] = [
    ("metadata", metadata),
    ("toc", toc),
    ("summary", summary),
    ("line_editor", line_editor),
];

/// An EP file: front matter, YAML metadata, the outline, every rule and the rendered chapter
/// must not panic.
pub fn metadata(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let found = Found {
        path: PathBuf::from("eps/devex/0001-x/README.md"),
        sig: "devex".into(),
        kind: Kind::Numbered {
            number: 1,
            slug: "x".into(),
        },
    };
    let cfg = EpConfig::default();
    let mut sources = Sources::default();
    let (ep, _) = parse_ep(
        &found,
        found.path.clone(),
        text.to_string(),
        None,
        cfg.dialect.markdown,
        &mut sources,
    );
    let today = Date::parse("2026-11-25").expect("a valid date");
    let template = parse_template(text, "t.md".into(), cfg.dialect.markdown).0;
    let eps = [ep];
    let diags = validate(&eps, Some(&template), &cfg, today);
    let _ = render_plain(&sources, &diags);
    let dir = Directory::new(&eps, &cfg);
    let _ = ep_chapter(&eps[0], eps[0].text.to_string(), &dir, &cfg);
}

/// `toc --write` on a Markdown file, with both anchor rules: a second run has nothing to do,
/// a file whose lines all end in CRLF gets no LF-only line, and a TOC in a block quote has the
/// quote's `>` markers on every line written.
pub fn toc(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let cfg = EpConfig::default();
    let file = Path::new("x.md");
    for anchors in [Anchors::Github, Anchors::Mdbook] {
        let Ok(Outcome::Stale(new)) = update(file, text, anchors, &cfg) else {
            continue;
        };
        match update(file, &new, anchors, &cfg) {
            Ok(Outcome::Current) => {}
            other => panic!("a second TOC update is not a no-op: {other:?}\n{new:?}"),
        }
        assert!(
            !all_crlf(text) || all_crlf(&new),
            "LF lines in a CRLF file: {new:?}"
        );
        let body = match split_front_matter(&new) {
            FrontMatter::Present { body_start, .. } => &new[body_start..],
            _ => &new,
        };
        let outline = match anchors {
            Anchors::Github => Outline::parse_gfm(body),
            Anchors::Mdbook => Outline::parse(body, cfg.dialect.markdown),
        };
        if let Some(markers) = &outline.toc
            && let Some(close) = &markers.close
        {
            let prefix = container_prefix(body, markers.open.start);
            let written = &body[markers.open.end..close.start];
            assert!(
                written.split('\n').skip(1).all(|l| l.starts_with(prefix)),
                "a line without the quote's {prefix:?}: {new:?}"
            );
        }
    }
}

/// `summary --write`'s splice into SUMMARY.md: only the region changes, the result has exactly
/// that region, and splicing again gives the same file.
pub fn summary(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(region) = find_region(text) else {
        return;
    };
    let generated =
        "# Enhancement Proposals\n\n- [EPs](eps/index.md)\n    - [Devex](eps/devex/index.md)";
    let place = placement(text, Path::new("eps/README.md"));
    let new = splice(text, region.as_ref(), generated, place);
    if let Some(r) = &region {
        assert!(
            new.starts_with(&text[..r.content.start]),
            "bytes before the region changed"
        );
        assert!(
            new.ends_with(&text[r.content.end..]),
            "bytes after the region changed"
        );
    } else {
        assert!(new.starts_with(&text[..place]) && new.ends_with(&text[place..]));
    }
    let again = match find_region(&new) {
        Ok(Some(r)) => r,
        other => panic!("the written region is not found again: {other:?}\n{new:?}"),
    };
    assert_eq!(
        splice(&new, Some(&again), generated, 0),
        new,
        "a second splice changes the file"
    );
    assert!(
        !all_crlf(text) || all_crlf(&new),
        "LF lines in a CRLF file: {new:?}"
    );
}

/// The metadata line editor (`state`, `promote`, `new`): the first byte picks a key, the rest is
/// a file with front matter or bare YAML. Setting a key twice is the same as once, the lines
/// before the key stay, and the value is on the key's line (with the comment it had, if any).
pub fn line_editor(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let key = ["state", "number", "last-updated", "replaces", "title"][usize::from(pick) % 5];
    let value = "implementable";
    let yaml_edit = |yaml: &str| set_key(yaml, key, value);
    let once = set_key(text, key, value);
    assert_eq!(
        set_key(&once, key, value),
        once,
        "setting a key twice differs"
    );
    // The key's line: the value, then at most the comment the line had.
    let entry = format!("{key}: {value}");
    assert!(
        once.split_inclusive('\n').any(|l| l
            .trim_end()
            .strip_prefix(&entry)
            .is_some_and(|rest| rest.is_empty() || rest.trim_start().starts_with('#'))),
        "the key's line is missing: {once:?}"
    );
    let line_start = |t: &str| {
        t.split_inclusive('\n')
            .scan(0, |at, l| {
                let start = *at;
                *at += l.len();
                Some((start, l))
            })
            .find(|(_, l)| l.starts_with(&format!("{key}:")))
            .map(|(s, _)| s)
    };
    if let Some(at) = line_start(text) {
        assert!(
            once.starts_with(&text[..at]),
            "lines before the key changed"
        );
    }
    if let Some(new) = with_front_matter(text, yaml_edit) {
        assert_eq!(
            with_front_matter(&new, yaml_edit).as_deref(),
            Some(new.as_str()),
            "a second front-matter edit differs"
        );
        let bom = text.starts_with('\u{feff}');
        assert_eq!(new.starts_with('\u{feff}'), bom, "the BOM changed");
    }
}

/// Whether `text` has line breaks and every one of them is CRLF.
fn all_crlf(text: &str) -> bool {
    text.contains('\n') && !text.replace("\r\n", "").contains('\n')
}

//! Arbitrary bytes as an EP file: front matter splitting, YAML metadata, the outline, and every
//! validation rule must never panic. Run with `cargo fuzz run metadata` from the repository root.
#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use mdbook_ep::config::EpConfig;
use mdbook_ep::diagnostic::Sources;
use mdbook_ep::discover::{Found, Kind};
use mdbook_ep::model::Date;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let found = Found {
        path: PathBuf::from("eps/devex/0001-x/README.md"),
        sig: "devex".into(),
        kind: Kind::Numbered { number: 1, slug: "x".into() },
    };
    let cfg = EpConfig::default();
    let mut sources = Sources::default();
    let (ep, _) = mdbook_ep::ep::parse(&found, found.path.clone(), text.to_string(), None, cfg.markdown, &mut sources);
    let today = Date::parse("2026-11-25").unwrap();
    let template = mdbook_ep::template::parse(text, "t.md".into(), cfg.markdown).0;
    let eps = [ep];
    let diags = mdbook_ep::validate::validate(&eps, Some(&template), &cfg, today);
    let _ = mdbook_ep::diagnostic::render_plain(&sources, &diags);
    let dir = mdbook_ep::render::Directory::new(&eps, &cfg);
    let _ = mdbook_ep::render::chapter_content(&eps[0], &dir, &cfg);
});

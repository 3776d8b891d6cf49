//! Arbitrary bytes as an EP file: front matter splitting, YAML metadata, the outline, and every
//! validation rule must never panic. Run with `cargo fuzz run metadata` from the repository root.
#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use mdbook_ep::Date;
use mdbook_ep::internals::{
    Directory, EpConfig, Found, Kind, Sources, ep_chapter, parse_ep, parse_template,
    render_plain, validate,
};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let found = Found {
        path: PathBuf::from("eps/devex/0001-x/README.md"),
        sig: "devex".into(),
        kind: Kind::Numbered { number: 1, slug: "x".into() },
    };
    let cfg = EpConfig::default();
    let mut sources = Sources::default();
    let (ep, _) = parse_ep(&found, found.path.clone(), text.to_string(), None, cfg.dialect.markdown, &mut sources);
    let today = Date::parse("2026-11-25").unwrap();
    let template = parse_template(text, "t.md".into(), cfg.dialect.markdown).0;
    let eps = [ep];
    let diags = validate(&eps, Some(&template), &cfg, today);
    let _ = render_plain(&sources, &diags);
    let dir = Directory::new(&eps, &cfg);
    let _ = ep_chapter(&eps[0], &dir, &cfg);
});

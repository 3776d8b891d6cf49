//! Whole books built with mdBook's own HTML renderer: the demo book, the KEP sample, and the
//! real `mdbook` CLI when it is installed.

use std::path::Path;

use crate::book_test::*;

/// Checks the rendered demo book: every EP page, header, badge, banner, no front matter.
fn assert_demo_site(site: &Path) {
    let eps = [
        ("eps/devex/0001-ep-process/index.html", "completed"),
        ("eps/devex/0002-book-tooling/index.html", "implemented"),
        ("eps/platform/0003-redis-cluster/index.html", "replaced"),
        ("eps/platform/0004-github-scm/index.html", "staged"),
        ("eps/data/0005-graphql-gateway/index.html", "rejected"),
        ("eps/data/0006-event-bus/index.html", "deferred"),
        (
            "eps/platform/0007-managed-cache/index.html",
            "implementable",
        ),
        ("eps/data/0008-schema-registry/index.html", "withdrawn"),
        ("eps/platform/0009-cost-reports/index.html", "provisional"),
        (
            "eps/devex/draft-2026-11-02-preview-builds.html",
            "provisional",
        ),
    ];
    for (page, state) in eps {
        let html = read(&site.join(page));
        assert!(
            html.contains("<table class=\"ep-header\">"),
            "{page}: no header table"
        );
        assert!(
            html.contains(&format!("ep-badge ep-state-{state}")),
            "{page}: no {state} badge"
        );
        assert!(
            !html.contains("creation-date"),
            "{page}: front matter leaked"
        );
        assert_eq!(
            html.matches("<h1 id=").count(),
            1,
            "{page}: expected exactly one title heading"
        );
    }
    let replaced = read(&site.join("eps/platform/0003-redis-cluster/index.html"));
    assert!(
        replaced.contains("blockquote-tag-caution"),
        "replaced EP has no admonition banner"
    );
    assert!(
        replaced.contains(
            "<a href=\"../0007-managed-cache/index.html\">EP-0007: Managed cache service"
        )
    );
    let replacing = read(&site.join("eps/platform/0007-managed-cache/index.html"));
    assert!(
        replacing
            .contains("<a href=\"../0003-redis-cluster/index.html\">EP-0003: Self-hosted Redis")
    );
    assert!(
        replacing
            .contains("<a class=\"ep-person\" href=\"https://github.com/sofia-l\">@sofia-l</a>")
    );
    let sidebar = read(&site.join("toc.html"));
    assert!(
        sidebar.contains("EP-0009: Weekly cost reports per SIG"),
        "sidebar lacks an unlisted EP"
    );
    assert!(
        sidebar.contains("Draft: Preview builds for every pull request"),
        "sidebar lacks the draft"
    );
    let template = read(&site.join("eps/template/index.html"));
    assert!(
        template.contains("language-yaml"),
        "template metadata is not shown as YAML"
    );
    assert!(
        std::fs::read_dir(site).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("searchindex")),
        "no search index"
    );
}

#[test]
fn the_demo_book_builds_with_the_embedded_renderer() {
    let built = build(&repo());
    built.assert_exit(0);
    assert!(
        !built.stderr().contains("warning[") && !built.stderr().contains("WARN"),
        "demo book has warnings (ours or mdBook's):\n{}",
        built.stderr()
    );
    assert_demo_site(built.site());
}

/// A book without EPs is left exactly as it is: the real `mdbook` CLI builds it with and without
/// `[preprocessor.ep]` into byte-identical sites (every file compared), and the plugin says so in
/// one warning. The book has parts, nested chapters, a draft chapter, a separator and an
/// `{{#include}}`; the EP folder is missing, then empty.
#[test]
fn a_book_without_eps_builds_byte_identical_with_and_without_the_plugin() {
    let book = BookTest::empty();
    let plain = "[book]\ntitle = \"Handbook\"\n\n[output.html]\ndefault-theme = \"navy\"\n";
    book.write("book.toml", plain)
        .write(
            "src/SUMMARY.md",
            "# Summary\n\n[Preface](preface.md)\n\n# Guide\n\n- [Start](guide/start.md)\n    - [Install](guide/install.md)\n        - [Deep](guide/deep.md)\n- [Later]()\n\n---\n\n# Reference\n\n- [API](reference/README.md)\n",
        )
        .write("src/preface.md", "# Preface\n\nWhy.\n")
        .write("src/guide/start.md", "# Start\n\n## Step one\n\n{{#include ../snippets/step.md}}\n")
        .write("src/guide/install.md", "# Install\n\n```sh\ncargo install x\n```\n")
        .write("src/guide/deep.md", "# Deep\n\n### Deeper\n")
        .write("src/reference/README.md", "# API\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
        .write("src/snippets/step.md", "Included text.\n");
    let Some(without) = mdbook_cli_build(book.path()) else {
        return;
    };
    without.assert_exit(0);
    let site = |built: &Built| {
        let mut files = std::collections::BTreeMap::new();
        for entry in walkdir::WalkDir::new(built.site()).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let rel = entry
                    .path()
                    .strip_prefix(built.site())
                    .unwrap()
                    .to_path_buf();
                files.insert(rel, std::fs::read(entry.path()).unwrap());
            }
        }
        files
    };
    let reference = site(&without);
    book.append_to_book_toml("\n[preprocessor.ep]\n");
    for empty_folder in [false, true] {
        if empty_folder {
            std::fs::create_dir_all(book.join("src/eps")).unwrap();
        }
        let with = mdbook_cli_build(book.path()).unwrap();
        with.assert_exit(0);
        let err = with.stderr();
        let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning[")).collect();
        assert_eq!(warnings.len(), 1, "{err}");
        assert!(
            warnings[0].contains("warning[EP0003]")
                && err.contains("mdbook-ep leaves the book as it is"),
            "{err}"
        );
        let got = site(&with);
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            reference.keys().collect::<Vec<_>>(),
            "other files (empty folder: {empty_folder})"
        );
        for (path, bytes) in &reference {
            assert!(
                got[path] == *bytes,
                "{} differs (empty folder: {empty_folder})",
                path.display()
            );
        }
    }
    // `summary --write` has nothing to describe and leaves SUMMARY.md as it is.
    let before = book.read("src/SUMMARY.md");
    let out = book.run(&["summary", "--write"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(book.read("src/SUMMARY.md"), before);
}

/// The KEP sample renders as a KEP-style book once its historic problems are
/// lowered to warnings: the grandfathering story of a migration.
#[test]
fn a_kep_repository_renders_with_eps_dir_keps() {
    let relaxed = [
        "EP0103", "EP0201", "EP0202", "EP0401", "EP0403", "EP0404", "EP0601", "EP0501", "EP0604",
        "EP0606", "EP0607",
    ]
    .map(|c| (c, "warn"));
    let book = BookTest::kep_sample(
        "# Summary\n\n- [KEP template](keps/NNNN-kep-template/README.md)\n",
        &relaxed,
    );
    let built = book.build();
    let err = built.stderr();
    assert_eq!(built.code(), Some(0), "{err}");
    assert!(!err.contains("error["), "{err}");
    // Real problems on the KEP repository's main branch are still reported, as warnings.
    assert!(
        err.contains(
            "warning[EP0202]: `last-updated` (2020-01-15) is before `creation-date` (2020-12-21)"
        ),
        "{err}"
    );
    assert!(
        err.contains("sig-cli/2206-openapi-features-in-kustomize/kep.yaml:15:15"),
        "{err}"
    );
    assert!(
        err.contains("warning[EP0201]: `last-updated` is \"v1.29\""),
        "{err}"
    );
    // KEP keys are known; only the two stray keys of one real kep.yaml are not.
    let unknown: Vec<&str> = err.lines().filter(|l| l.contains("[EP0105]")).collect();
    assert_eq!(
        unknown,
        [
            "warning[EP0105]: unknown metadata key `id`",
            "warning[EP0105]: unknown metadata key `name`"
        ]
    );
    let page = built.read("keps/sig-apps/3973-consider-terminating-pods-deployment/index.html");
    assert!(page.contains("EP-3973"), "KEP number missing");
    assert!(page.contains("ep-state-implementable"));
    assert!(page.contains("<th scope=\"row\" class=\"ep-header-key\">Stage</th><td>beta"));
    assert!(
        page.contains("3939-allow-replacement-when-fully-terminated/index.html"),
        "path-style see-also not linked"
    );
    assert!(
        !page.contains("kep-number"),
        "kep.yaml leaked into the page"
    );
}

/// The real `mdbook` CLI (0.5) with this binary on PATH: the same book, the same result.
#[test]
fn the_real_mdbook_cli_builds_the_demo_book_and_fails_on_bad_eps() {
    let Some(built) = mdbook_cli_build(&repo()) else {
        return;
    };
    assert!(built.out.status.success(), "{}", built.stderr());
    assert_demo_site(built.site());

    let built = mdbook_cli_build(&fixture("rules/EP0102-unknown-state")).unwrap();
    assert_eq!(
        built.code(),
        Some(101),
        "mdbook must fail:\n{}",
        built.stderr()
    );
    let err = built.stderr();
    assert!(
        err.contains("error[EP0102]: unknown state \"implementd\""),
        "{err}"
    );
    assert!(
        err.contains("src/eps/devex/0001-good/README.md:6:8"),
        "{err}"
    );
}

/// mdBook runs the preprocessor once per renderer; warnings must not be printed twice.
#[test]
fn warnings_are_printed_once_with_two_renderers() {
    let book = BookTest::from_fixture("rules/EP0105-unknown-key");
    book.append_to_book_toml("[output.html]\n\n[output.markdown]\n");
    let built = book.build();
    let err = built.stderr();
    assert_eq!(built.code(), Some(0), "{err}");
    assert_eq!(err.matches("warning[EP0105]").count(), 1, "{err}");
}

/// `{{#include}}` inside an EP is expanded by mdBook's `links`, which runs after `ep`, relative
/// to the EP's own folder, whether or not SUMMARY.md lists the EP.
#[test]
fn include_inside_an_ep_works() {
    let book = BookTest::from_fixture("rules/EP0102-unknown-state");
    book.edit("src/eps/devex/0001-good/README.md", |text| {
        text.replace("implementd", "provisional")
            .replace("M.\n", "M.\n\n{{#include snippet.md}}\n")
    })
    .write(
        "src/eps/devex/0001-good/snippet.md",
        "Included text from a snippet.\n",
    );
    let built = book.build();
    built.assert_exit(0);
    let page = built.read("eps/devex/0001-good/index.html");
    assert!(
        page.contains("Included text from a snippet."),
        "include not expanded"
    );
    assert!(!page.contains("{{#include"));
}

/// `mdbook-ep build 2>log`: mdBook's log lines and the diagnostics carry no escape codes when
/// stderr is not a terminal; `CLICOLOR_FORCE` asks for colour anyway and `NO_COLOR` beats it.
#[test]
fn build_logs_have_colour_only_where_it_is_wanted() {
    let book = BookTest::empty();
    book.write("book.toml", "[book]\ntitle = \"t\"\n\n[preprocessor.ep]\n")
        .write("src/SUMMARY.md", "# Summary\n\n- [A](a.md)\n")
        .write("src/a.md", "# A\n");
    let build = |env: &[(&str, &str)]| {
        let dest = tempfile::tempdir().unwrap();
        let mut cmd = mdbook_ep_command();
        cmd.args(["build", "--book", book.arg(), "-d"])
            .arg(dest.path())
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("MDBOOK_LOG");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stderr(&out)
    };
    let log = build(&[]);
    assert!(log.contains("EP0003") && log.contains("INFO"), "{log}");
    assert!(!log.contains('\u{1b}'), "escape codes in a log: {log:?}");
    let forced = build(&[("CLICOLOR_FORCE", "1")]);
    assert!(
        forced.contains("\u{1b}["),
        "CLICOLOR_FORCE gave no colour: {forced:?}"
    );
    let both = build(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(!both.contains('\u{1b}'), "NO_COLOR did not win: {both:?}");
}

/// A KEP-style repository: `book.toml` and `docs/` at the root, the proposals in
/// `keps/<sig>/NNNN-name/` beside them, each with an image. `eps-dir = "../keps"` finds them;
/// before `install` they render and EP0017 names the fix; `install` links `docs/keps` and
/// watches `keps/`, after which the real mdbook CLI publishes the images and `mdbook watch`
/// (the watcher `mdbook serve` uses) rebuilds when a proposal changes.
#[test]
fn proposals_beside_the_book_render_with_their_images_and_serve_rebuilds() {
    let book = BookTest::empty();
    book.write(
        "book.toml",
        "[book]\ntitle = \"KEPs\"\nsrc = \"docs\"\n\n[preprocessor.ep]\neps-dir = \"../keps\"\n",
    )
    .write("docs/SUMMARY.md", "# Summary\n\n- [Intro](intro.md)\n")
    .write("docs/intro.md", "# Intro\n")
    .write(
        "keps/template/README.md",
        "# KEP-NNNN: Title\n\n## Summary\n\n## Motivation\n",
    );
    for (n, sig) in [(1, "sig-apps"), (2, "sig-node")] {
        book.write(
            &format!("keps/{sig}/000{n}-kep-{n}/README.md"),
            format!("---\ntitle: KEP {n}\nnumber: {n}\nauthors: [\"@a\"]\nowning-sig: {sig}\nstate: provisional\ncreation-date: 2026-01-05\n---\n# KEP {n}\n\n## Summary\n\n![diagram](diagram.png)\n\n## Motivation\n\nM.\n"),
        )
        .write(&format!("keps/{sig}/000{n}-kep-{n}/diagram.png"), [0x89, b'P', b'N', b'G', n]);
    }
    let before = book.build();
    before.assert_exit(0);
    let err = before.stderr();
    assert!(
        err.contains("warning[EP0017]") && err.contains("mdbook-ep install"),
        "{err}"
    );
    assert!(
        before
            .read("keps/sig-apps/0001-kep-1/index.html")
            .contains("KEP 1")
    );
    let check = book.run(&["check"]);
    assert!(
        stderr(&check).contains("keps/sig-apps/0001-kep-1/README.md")
            || stderr(&check).contains("EP0017"),
        "{}",
        stderr(&check)
    );

    // Without the link, SUMMARY.md must not list them: the mdbook CLI would write stubs.
    let summary = book.read("docs/SUMMARY.md");
    let refused = book.run(&["summary", "--write"]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("run `mdbook-ep install` first"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(book.read("docs/SUMMARY.md"), summary);

    let install = book.run(&["install"]);
    assert_eq!(install.status.code(), Some(0), "{}", stderr(&install));
    assert!(
        book.read("book.toml")
            .contains("extra-watch-dirs = [\"keps\"]")
    );
    let written = book.run(&["summary", "--write"]);
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    assert!(
        book.read("docs/SUMMARY.md")
            .contains("(keps/sig-apps/0001-kep-1/README.md)")
    );
    let check = book.run(&["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(!stderr(&check).contains("warning["), "{}", stderr(&check));
    // Problems point at the files where they are, for editors and the code host.
    book.edit("keps/sig-node/0002-kep-2/README.md", |t| {
        t.replace("state: provisional", "state: provisonal")
    });
    let check = book.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(
        json["diagnostics"][0]["file"], "keps/sig-node/0002-kep-2/README.md",
        "{json}"
    );
    book.edit("keps/sig-node/0002-kep-2/README.md", |t| {
        t.replace("state: provisonal", "state: provisional")
    });

    let Some(built) = mdbook_cli_build(book.path()) else {
        return;
    };
    built.assert_exit(0);
    for (n, sig) in [(1u8, "sig-apps"), (2, "sig-node")] {
        let dir = format!("keps/{sig}/000{n}-kep-{n}");
        assert_eq!(
            std::fs::read(built.join(&format!("{dir}/diagram.png"))).unwrap(),
            [0x89, b'P', b'N', b'G', n]
        );
        assert!(
            built
                .read(&format!("{dir}/index.html"))
                .contains("src=\"diagram.png\"")
        );
    }

    // `mdbook serve` and `mdbook watch` share one watcher; `watch` (no web server) shows that
    // it rebuilds when a proposal outside the sources changes.
    let has_watch = mdbook_cli()
        .unwrap()
        .args(["watch", "--help"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_watch {
        skip("this mdbook was built without `watch` (.ci/run installs one with it)");
        return;
    }
    let dest = tempfile::tempdir().unwrap();
    // `watch` rebuilds on changes only; the first build is a plain one.
    let first_build = mdbook_cli()
        .unwrap()
        .args(["build", "-d"])
        .arg(dest.path())
        .arg(book.path())
        .output()
        .unwrap();
    assert!(first_build.status.success(), "{}", stderr(&first_build));
    let mut serve = mdbook_cli()
        .unwrap()
        .args(["watch", "-d"])
        .arg(dest.path())
        .arg(book.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let page = dest.path().join("keps/sig-apps/0001-kep-1/index.html");
    let wait_for = |what: &str| {
        for _ in 0..100 {
            if std::fs::read_to_string(&page).is_ok_and(|t| t.contains(what)) {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        false
    };
    let first = wait_for("KEP 1");
    // The watcher starts a moment after the process; an edit before that is not seen, so
    // edit again until it is (each edit is a real change to the proposal).
    let mut rebuilt = false;
    for round in 0..5 {
        std::thread::sleep(std::time::Duration::from_millis(1000));
        book.edit("keps/sig-apps/0001-kep-1/README.md", |t| {
            format!("{t}\nRebuilt by serve, round {round}.\n")
        });
        if wait_for(&format!("Rebuilt by serve, round {round}.")) {
            rebuilt = true;
            break;
        }
    }
    let _ = serve.kill();
    let _ = serve.wait();
    assert!(first, "mdbook watch did not build the book");
    assert!(rebuilt, "mdbook watch did not rebuild after a KEP changed");
}

/// A deleted EP that SUMMARY.md still lists comes back under the mdbook CLI as a one-line stub
/// (`create-missing`); the build fails and says what happened and how to fix it, as the
/// troubleshooting page promises.
#[test]
fn a_deleted_ep_recreated_by_the_mdbook_cli_gets_the_right_fix() {
    let book = BookTest::empty();
    book.write("book.toml", "[book]\ntitle = \"x\"\n")
        .write("src/SUMMARY.md", "# Summary\n\n- [A](a.md)\n")
        .write("src/a.md", "# A\n");
    for args in [
        &["install", "--sig", "data"][..],
        &["new", "--sig", "data", "--title", "Gone", "--author", "@a"],
        &["summary", "--write"],
    ] {
        let out = book.run(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    }
    let draft = book.join(&format!("src/eps/data/draft-{TODAY}-gone.md"));
    std::fs::remove_file(&draft).unwrap();
    let Some(built) = mdbook_cli_build(book.path()) else {
        return;
    };
    assert_ne!(built.code(), Some(0));
    let err = built.stderr();
    assert!(
        read(&draft).starts_with("# Draft: Gone"),
        "mdBook wrote the stub"
    );
    assert!(
        err.contains("error[EP0101]: this EP has no metadata"),
        "{err}"
    );
    assert!(
        err.contains("delete it and run `mdbook-ep summary --write`"),
        "{err}"
    );
    // The fix the message gives works.
    std::fs::remove_file(&draft).unwrap();
    let out = book.run(&["summary", "--write"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    mdbook_cli_build(book.path()).unwrap().assert_exit(0);
}

/// WCAG contrast ratio of two sRGB colours.
fn contrast(a: [f64; 3], b: [f64; 3]) -> f64 {
    let lum = |c: [f64; 3]| {
        let f = |x: f64| {
            if x <= 0.039_28 {
                x / 12.92
            } else {
                ((x + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2])
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// `hsl(h, s%, l%)` as sRGB.
fn hsl(h: f64, s: f64, l: f64) -> [f64; 3] {
    let (s, l) = (s / 100.0, l / 100.0);
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let x = c * (1.0 - ((h / 60.0) % 2.0 - 1.0).abs());
    let (r, g, b) = match (h / 60.0) as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    [r + m, g + m, b + m]
}

/// Every state's dot in `ep.css` keeps 3:1 against the badge (`--table-alternate-bg`) in all
/// five mdBook 0.5.4 themes (values from mdBook's `variables.css`), as WCAG 1.4.11 asks of a
/// graphical object; links in the generated tables take the text's colour.
#[test]
fn the_stylesheet_keeps_its_contrast_in_every_theme() {
    let css = read(&repo().join("book/ep.css"));
    let badges = [
        ("light", hsl(0.0, 0.0, 97.0)),
        ("rust", hsl(60.0, 9.0, 84.0)),
        ("coal", hsl(200.0, 7.0, 11.0)),
        ("navy", hsl(226.0, 23.0, 14.0)),
        ("ayu", hsl(210.0, 25.0, 11.0)),
    ];
    let mut states = 0;
    for line in css.lines().filter(|l| l.starts_with(".ep-state-")) {
        let hex = line.split('#').nth(1).unwrap().get(..6).unwrap();
        let channel = |i: usize| f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        let dot = [channel(0), channel(2), channel(4)];
        for (theme, badge) in badges {
            let ratio = contrast(dot, badge);
            assert!(ratio >= 3.0, "{line}: {ratio:.2} in {theme}");
        }
        states += 1;
    }
    assert_eq!(states, 9);
    // As specific as mdBook's own `.content a:link`, and after it.
    assert!(css.contains(".content .ep-header a:link, .content .ep-header a:visited,"));
    assert!(css.contains(
        ".content .ep-index a:link, .content .ep-index a:visited { color: var(--fg); text-decoration: underline; }"
    ));
}

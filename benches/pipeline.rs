//! Validating and rendering synthetic books, against a baseline of the floor cost: parsing the
//! same EP files once with mdBook's Markdown options, which mdBook's renderer pays anyway.

// criterion_group! generates an undocumented `pub fn`; a benchmark has no API to document.
#![allow(missing_docs)]

mod kep_sample;
mod synthetic;

use std::collections::HashMap;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use mdbook_ep::Date;
use mdbook_ep::internals::{
    BookDirs, Calendar, Directory, EpConfig, GitStatus, MarkdownFlags, Show, analyze, apply,
    kpis_from_repository, plan_structure, render_page,
};
use mdbook_preprocessor::book::Book;

fn bench(c: &mut Criterion) {
    for total in [1_000usize, 5_000] {
        let tmp = tempfile::tempdir().unwrap();
        synthetic::write_book(tmp.path(), total);
        let dirs = BookDirs {
            root: tmp.path().to_path_buf(),
            src: PathBuf::from("src"),
        };
        let cfg = EpConfig::default();
        let today = Date::parse("2026-11-25").unwrap();
        let mut empty = HashMap::new();
        // Sanity: the synthetic book is valid, so the benchmark measures the success path.
        let check = analyze(&dirs, &cfg, &mut empty, today, Vec::new());
        assert_eq!(check.eps.len(), total);
        assert!(
            check.diagnostics.is_empty(),
            "{:?}",
            check.diagnostics.first().map(|d| d.one_line())
        );
        let texts: Vec<String> = check.eps.iter().map(|e| e.text.to_string()).collect();

        let mut group = c.benchmark_group(format!("{total} EPs"));
        group.sample_size(10);
        group.bench_function("baseline: one pulldown-cmark pass per EP", |b| {
            let opts = MarkdownFlags::default().options();
            b.iter(|| {
                let mut events = 0usize;
                for t in &texts {
                    events += mdbook_markdown::new_cmark_parser(t, &opts).count();
                }
                events
            })
        });
        group.bench_function("read + validate + render (from disk)", |b| {
            b.iter(|| {
                let mut analysis = analyze(&dirs, &cfg, &mut empty, today, Vec::new());
                let mut book = Book::new();
                apply(
                    &mut book,
                    &mut analysis,
                    &cfg,
                    &Default::default(),
                    None,
                    None,
                    &Default::default(),
                );
                book.items.len()
            })
        });
        group.bench_function("structure + index pages (EP chapters not rendered)", |b| {
            let analysis = analyze(&dirs, &cfg, &mut empty, today, Vec::new());
            let intros = Default::default();
            b.iter(|| {
                let mut book = Book::new();
                let dir = Directory::new(&analysis.eps, &cfg);
                plan_structure(&book, &analysis.eps, &cfg, &intros, None, None)
                    .insert(&mut book, &|page| match page.show {
                        Show::Ep(_) => String::new(),
                        _ => render_page(page, &dir, &cfg),
                    })
                    .len()
            })
        });
        group.finish();
    }
}

/// The TOC step on the real KEPs of `tests/fixtures/kep-sample`, against mdbook-toc 0.15.4 on the
/// same chapters in the same process.
fn toc_vs_mdbook_toc(c: &mut Criterion) {
    use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
    let Some((sample, book)) = kep_sample::load() else {
        eprintln!("skipped: tests/fixtures/kep-sample is not present");
        return;
    };
    let chapters = book.iter().count();
    let ctx = PreprocessorContext::new(sample.clone(), Default::default(), "html".into());
    let flags = MarkdownFlags::default();
    let mut group = c.benchmark_group(format!("TOC step, KEP sample ({chapters} chapters)"));
    group.sample_size(60);
    group.bench_function("mdbook-toc 0.15.4", |b| {
        b.iter(|| mdbook_toc::Toc.run(&ctx, book.clone()).unwrap().items.len())
    });
    group.bench_function("floor: book clone + one parse with mdBook's options", |b| {
        let opts = flags.options();
        b.iter(|| {
            let book = book.clone();
            book.iter()
                .map(|i| match i {
                    mdbook_preprocessor::book::BookItem::Chapter(ch) => {
                        mdbook_markdown::new_cmark_parser(&ch.content, &opts)
                            .into_offset_iter()
                            .count()
                    }
                    _ => 0,
                })
                .sum::<usize>()
        })
    });
    group.bench_function("mdbook-ep", |b| {
        b.iter(|| {
            let mut book = book.clone();
            kep_sample::toc_all(&mut book);
            book.items.len()
        })
    });
    group.finish();
}

/// The KPIs of 1,000 EPs with ten commits each (10,000 commits): two git passes, the
/// per-EP history and the figures, against `git log` printing that history once. Budget: twice
/// the `git log`.
fn kpis(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    synthetic::write_book(tmp.path(), 1_000);
    synthetic::write_history(tmp.path(), 1_000, 10);
    let dirs = BookDirs {
        root: tmp.path().to_path_buf(),
        src: PathBuf::from("src"),
    };
    let cfg = EpConfig::default();
    let today = Date::parse("2026-11-25").unwrap();
    let analysis = analyze(&dirs, &cfg, &mut HashMap::new(), today, Vec::new());
    let calendar = Calendar::Regular {
        start: Date::parse("2026-01-05").unwrap(),
        weeks: 10,
    };
    let increments = calendar.increments(today);
    let (check, history) = kpis_from_repository(tmp.path(), &analysis.eps, &increments, today);
    assert_eq!(check.git, GitStatus::Full);
    assert!(
        history.iter().all(|h| h.changes == 10),
        "every EP has ten commits"
    );
    let mut group = c.benchmark_group("KPIs, 1000 EPs x 10 commits");
    group.sample_size(10);
    // The baseline: git printing the same history once, as plainly as it can (`--name-status
    // -M` over the whole repository). The KPIs' budget is twice this.
    group.bench_function("git log --name-status -M", |b| {
        b.iter(|| {
            std::process::Command::new("git")
                .args(["log", "--format=%x01%cs", "--name-status", "-M"])
                .current_dir(tmp.path())
                .output()
                .unwrap()
                .stdout
                .len()
        })
    });
    group.bench_function("git history + figures", |b| {
        b.iter(|| {
            kpis_from_repository(tmp.path(), &analysis.eps, &increments, today)
                .0
                .increments
                .len()
        })
    });
    group.finish();
}

/// A legacy book of 5,000 EPs whose template gained three required sections no EP has: 15,000
/// errors. `check` with those recorded in a baseline, against the same `check` without one, in
/// the same process: the cost of fingerprinting and holding back every problem.
fn baseline(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    synthetic::write_book(tmp.path(), 5_000);
    let template = tmp.path().join("src/eps/template/README.md");
    let legacy = format!(
        "{}\n## Rollout\n\n## Monitoring\n\n## Support\n",
        synthetic::TEMPLATE
    );
    std::fs::write(&template, legacy).unwrap();
    let today = Date::parse("2026-11-25").unwrap();
    let red = mdbook_ep::check(tmp.path(), today).unwrap();
    assert!(red.diagnostics.len() >= 15_000, "{}", red.diagnostics.len());
    let write = std::process::Command::new(env!("CARGO_BIN_EXE_mdbook-ep"))
        .args(["baseline", "--write", "--book"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(write.status.success());
    let file = tmp.path().join("ep-baseline.toml");
    let recorded = std::fs::read(&file).unwrap();
    let green = mdbook_ep::check(tmp.path(), today).unwrap();
    assert_eq!(green.diagnostics.len(), 0);
    assert_eq!(green.held_back, red.diagnostics.len());

    let mut group = c.benchmark_group("baseline, 5000 EPs, 15000 errors");
    group.sample_size(10);
    group.bench_function("check without a baseline (the floor)", |b| {
        std::fs::remove_file(&file).ok();
        b.iter(|| {
            mdbook_ep::check(tmp.path(), today)
                .unwrap()
                .diagnostics
                .len()
        })
    });
    group.bench_function("check holding back every error", |b| {
        std::fs::write(&file, &recorded).unwrap();
        b.iter(|| mdbook_ep::check(tmp.path(), today).unwrap().held_back)
    });
    group.finish();
}

criterion_group!(benches, bench, toc_vs_mdbook_toc, kpis, baseline);
criterion_main!(benches);

//! The whole-process benchmark: real processes on real-sized books, timed from outside.
//!
//! `cargo bench --bench whole` builds KEP books from the sample in `tests/fixtures/kep-sample`
//! (its KEPs copied to about 700 and about 7,000, each copy with its own number and spread over
//! 26 SIGs), captures what mdBook sends the `ep` preprocessor with a real mdBook build, and then
//! runs, alternately, on that same input:
//!
//! - `mdbook-ep` as the preprocessor;
//! - mdbook-toc 0.15.4, its `main` compiled here from the published crate;
//! - a no-op preprocessor that parses the book JSON and writes it back, as every preprocessor
//!   must, in the way mdbook-toc does;
//! - `mdbook-ep check` on the book;
//! - the floor under `check`: a process that only finds, reads and parses the KEPs (mdBook's
//!   Markdown parser, serde_yaml), on every core, keeping and checking nothing.
//!
//! Each figure is the median of several runs, with peak memory as the OS reports it (`wait4`'s
//! `ru_maxrss`: the process's, or a child's it waited for if larger, such as git's). On the
//! smaller book it also measures the CPU a full `mdbook build` spends because of the
//! preprocessor, against a build whose preprocessor replays the same output, a book with every
//! rule on and its problems in a baseline (with every rule `allow`, checks are skipped), and the
//! KPIs' git read on 1,000 EPs with ten commits each against `git log` alone.
//!
//! Options (after `--`): `--sizes 700,7000`, `--runs 7`, `--keep DIR` (keep the books there),
//! `--quick` (700 EPs, 3 runs), `--preprocessors-only` (no full build, no baseline book, no
//! KPIs: the preprocessor and `check` figures alone), `--kpis-only` (the KPIs' figure alone).

// A benchmark has no API to document.
#![allow(missing_docs)]

#[allow(dead_code)]
mod synthetic;

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The binary under test, built with the same profile as this benchmark.
const MDBOOK_EP: &str = env!("CARGO_BIN_EXE_mdbook-ep");

fn main() {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    if args.first().is_some_and(|a| a == "--role") {
        role(&args[1..]);
        return;
    }
    let opts = Options::parse(&args);
    let keep = opts.keep.clone();
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let base = keep.unwrap_or_else(|| tmp.path().to_path_buf());
    println!(
        "whole-process benchmark: {} cores, {} runs per figure, books under {}",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        opts.runs,
        base.display()
    );
    if opts.kpis_only {
        kpis(&base.join("kpi"), opts.runs);
        return;
    }
    for (i, &size) in opts.sizes.iter().enumerate() {
        let book = base.join(format!("book-{size}"));
        let made = make_book(&book, size, Rules::Allowed);
        let input = capture(&book);
        println!(
            "\n## {made} EPs, every rule `allow`: preprocessor input {:.1} MB",
            mb(std::fs::metadata(&input).map_or(0, |m| m.len()))
        );
        preprocessors(&book, &input, opts.runs);
        if i == 0 && !opts.preprocessors_only {
            full_build(&book, &input, opts.runs.min(3));
            // The same book as a team with a long history keeps it: every rule on, its known
            // problems in a baseline, so every rule runs and every problem is fingerprinted.
            let book = base.join(format!("book-{size}-baseline"));
            make_book(&book, size, Rules::Baseline);
            let input = capture(&book);
            println!("\n## {made} EPs, every rule on, known problems in `ep-baseline.toml`");
            preprocessors(&book, &input, opts.runs);
        }
    }
    if !opts.preprocessors_only {
        kpis(&base.join("kpi"), opts.runs);
    }
}

struct Options {
    sizes: Vec<usize>,
    runs: usize,
    keep: Option<PathBuf>,
    preprocessors_only: bool,
    kpis_only: bool,
}

impl Options {
    fn parse(args: &[OsString]) -> Options {
        let mut opts = Options {
            sizes: vec![700, 7_000],
            runs: 7,
            keep: None,
            preprocessors_only: false,
            kpis_only: false,
        };
        let mut it = args.iter().map(|a| a.to_string_lossy().into_owned());
        while let Some(a) = it.next() {
            match a.as_str() {
                "--sizes" => {
                    opts.sizes = it
                        .next()
                        .expect("--sizes 700,7000")
                        .split(',')
                        .map(|s| s.trim().parse().expect("--sizes takes numbers"))
                        .collect();
                }
                "--runs" => {
                    opts.runs = it
                        .next()
                        .and_then(|r| r.parse().ok())
                        .expect("--runs takes a number")
                }
                "--keep" => opts.keep = Some(PathBuf::from(it.next().expect("--keep DIR"))),
                "--preprocessors-only" => opts.preprocessors_only = true,
                "--kpis-only" => opts.kpis_only = true,
                "--quick" => {
                    opts.sizes = vec![700];
                    opts.runs = 3;
                }
                // `cargo bench` passes `--bench`; a filter means nothing here.
                _ => {}
            }
        }
        opts
    }
}

/// The processes this benchmark runs besides `mdbook-ep`, chosen by `--role` (mdBook starts
/// preprocessors by command line, so a role is an argument, not an environment variable).
fn role(args: &[OsString]) {
    let name = args.first().map(|a| a.to_string_lossy().into_owned());
    // mdBook asks `<command> supports <renderer>` first: every role supports every renderer.
    if args.iter().any(|a| a == "supports") {
        return;
    }
    match name.as_deref() {
        // mdbook-toc 0.15.4's `main` (src/bin/mdbook-toc.rs), its preprocessing path as published.
        Some("toc") => {
            use mdbook_preprocessor::Preprocessor;
            let (ctx, book) = mdbook_preprocessor::parse_input(std::io::stdin()).expect("input");
            let book = mdbook_toc::Toc.run(&ctx, book).expect("mdbook-toc");
            serde_json::to_writer(std::io::stdout(), &book).expect("output");
        }
        // The floor every preprocessor pays: the same reading and writing, nothing between.
        Some("noop") => {
            let (_ctx, book) = mdbook_preprocessor::parse_input(std::io::stdin()).expect("input");
            serde_json::to_writer(std::io::stdout(), &book).expect("output");
        }
        // The least `check` could do on the book in the folder named: find the KEPs, read them,
        // parse each README with mdBook's Markdown parser and each `kep.yaml` with serde_yaml,
        // on every core. Nothing is kept, nothing checked: the floor `check` is measured against.
        // The generated book has no links or hidden files, so a plain walk finds what `check`
        // finds; the template (`keps/NNNN-kep-template/README.md`, two levels down) is not read.
        Some("floor") => {
            use rayon::prelude::*;
            let keps = Path::new(&args[1]).join("src/keps");
            let files: Vec<PathBuf> = walkdir::WalkDir::new(&keps)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file() && e.depth() == 3)
                .map(walkdir::DirEntry::into_path)
                .filter(|p| p.ends_with("README.md") || p.ends_with("kep.yaml"))
                .collect();
            let mut opts = mdbook_markdown::MarkdownOptions::default();
            (
                opts.smart_punctuation,
                opts.definition_lists,
                opts.admonitions,
            ) = (true, true, true);
            let parsed: usize = files
                .par_iter()
                .map(|p| {
                    let text = std::fs::read_to_string(p).expect("a KEP file");
                    if p.ends_with("kep.yaml") {
                        serde_yaml::from_str::<serde_yaml::Value>(&text).map_or(0, |_| 1)
                    } else {
                        mdbook_markdown::new_cmark_parser(&text, &opts)
                            .into_offset_iter()
                            .count()
                    }
                })
                .sum();
            assert!(
                parsed > files.len(),
                "nothing parsed under {}",
                keps.display()
            );
        }
        // Saves mdBook's input to the file named, then stops the build: nothing is rendered.
        Some("capture") => {
            let mut input = Vec::new();
            std::io::stdin().read_to_end(&mut input).expect("input");
            std::fs::write(&args[1], input).expect("capture file");
            std::process::exit(3);
        }
        // Writes a saved output whatever the input: a build with every page mdbook-ep adds,
        // without mdbook-ep's work.
        Some("replay") => {
            std::io::copy(&mut std::io::stdin(), &mut std::io::sink()).expect("input");
            let saved = std::fs::read(&args[1]).expect("replay file");
            std::io::stdout().write_all(&saved).expect("output");
        }
        // A real `mdbook build` of the book in the folder named: mdBook's loader, preprocessors
        // as processes, its HTML renderer and search index.
        Some("mdbook") => {
            let book = mdbook_driver::MDBook::load(&args[1]).expect("load the book");
            if let Err(e) = book.build() {
                eprintln!("{e:#}");
                std::process::exit(1);
            }
        }
        other => panic!("unknown role {other:?}"),
    }
}

/// How the benchmark book lets its KEPs' historic problems through.
#[derive(Clone, Copy, PartialEq)]
enum Rules {
    /// Every rule set to `allow` in `book.toml` (the setting).
    Allowed,
    /// Every rule on, the problems recorded by `mdbook-ep baseline --write`.
    Baseline,
}

/// Writes a KEP book of about `size` KEPs into `dir`: the sample's KEPs copied with new numbers
/// (`n + 10000 * copy`) into 13 SIG folders per sample SIG, the template, `book.toml` (with
/// `rules` deciding how the sample's historic problems pass) and SUMMARY.md listing every KEP as
/// `mdbook-ep summary --write` writes it. The book is a git repository with one commit, as a
/// team's book is. Returns how many KEPs it has.
fn make_book(dir: &Path, size: usize, rules: Rules) -> usize {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kep-sample/keps");
    let mut keps: Vec<(String, u32, String, PathBuf)> = Vec::new();
    for sig in sorted_dirs(&sample) {
        let sig_name = file_name(&sig);
        for kep in sorted_dirs(&sig) {
            let name = file_name(&kep);
            let Some((num, slug)) = name.split_once('-') else {
                continue;
            };
            if let Ok(n) = num.parse::<u32>() {
                keps.push((sig_name.clone(), n, slug.to_string(), kep));
            }
        }
    }
    let copies = size.div_ceil(keps.len()).max(1);
    let _ = std::fs::remove_dir_all(dir);
    let src = dir.join("src");
    copy_dir(
        &sample.join("NNNN-kep-template"),
        &src.join("keps/NNNN-kep-template"),
    );
    let mut made = 0;
    for copy in 0..copies {
        for (sig, n, slug, from) in &keps {
            let new_sig = match copy % 13 {
                0 => sig.clone(),
                k => format!("{sig}-{k}"),
            };
            let new_n = *n as usize + 10_000 * copy;
            let to = src.join(format!("keps/{new_sig}/{new_n}-{slug}"));
            std::fs::create_dir_all(&to).expect("a KEP folder");
            let readme = std::fs::read_to_string(from.join("README.md")).expect("README.md");
            let readme = readme.replacen(&format!("KEP-{n}:"), &format!("KEP-{new_n}:"), 1);
            std::fs::write(to.join("README.md"), readme).expect("README.md");
            if let Ok(yaml) = std::fs::read_to_string(from.join("kep.yaml")) {
                let yaml = yaml
                    .replacen(
                        &format!("kep-number: {n}"),
                        &format!("kep-number: {new_n}"),
                        1,
                    )
                    .replacen(
                        &format!("owning-sig: {sig}"),
                        &format!("owning-sig: {new_sig}"),
                        1,
                    );
                std::fs::write(to.join("kep.yaml"), yaml).expect("kep.yaml");
            }
            made += 1;
        }
    }
    let allow: String = match rules {
        Rules::Allowed => mdbook_ep::Rule::ALL
            .iter()
            .map(|r| format!("{} = \"allow\"\n", r.code()))
            .collect(),
        Rules::Baseline => String::new(),
    };
    std::fs::write(
        dir.join("book.toml"),
        format!(
            "[book]\ntitle = \"KEPs\"\n\n[build]\ncreate-missing = false\n\n[preprocessor.ep]\n\
             eps-dir = \"keps\"\ntemplate = \"keps/NNNN-kep-template/README.md\"\n\n\
             [preprocessor.ep.rules]\n{allow}"
        ),
    )
    .expect("book.toml");
    std::fs::write(
        src.join("SUMMARY.md"),
        "# Summary\n\n<!-- ep:summary -->\n<!-- /ep:summary -->\n",
    )
    .expect("SUMMARY.md");
    if rules == Rules::Baseline {
        run_ok(
            Command::new(MDBOOK_EP)
                .args(["baseline", "--write"])
                .current_dir(dir),
        );
    }
    run_ok(
        Command::new(MDBOOK_EP)
            .args(["summary", "--write"])
            .current_dir(dir),
    );
    for args in [
        &["init", "-q"][..],
        &["add", "-A"],
        &[
            "-c",
            "user.name=bench",
            "-c",
            "user.email=bench@example.org",
            "commit",
            "-q",
            "-m",
            "the book",
        ],
    ] {
        run_ok(Command::new("git").args(args).current_dir(dir));
    }
    made
}

/// The JSON mdBook sends the `ep` preprocessor for an HTML build of `book`, captured once by a
/// real build whose `ep` command saves it.
fn capture(book: &Path) -> PathBuf {
    let input = book.join("preprocessor-input.json");
    let toml = std::fs::read_to_string(book.join("book.toml")).expect("book.toml");
    let command = format!(
        "[preprocessor.ep]\ncommand = \"{} --role capture {}\"\n",
        self_exe().display(),
        input.display()
    );
    std::fs::write(
        book.join("book.toml"),
        toml.replacen("[preprocessor.ep]\n", &command, 1),
    )
    .expect("book.toml");
    // The capture stops the build on purpose.
    let _ = Command::new(self_exe())
        .args(["--role", "mdbook"])
        .arg(book)
        .stderr(Stdio::null())
        .status();
    std::fs::write(book.join("book.toml"), toml).expect("book.toml");
    assert!(input.is_file(), "mdBook did not run the capture");
    input
}

/// One run of a process: wall time, peak resident memory and CPU time (user + system, its
/// children included).
#[derive(Clone, Copy)]
struct Run {
    wall: Duration,
    peak_kib: u64,
    cpu: Duration,
}

/// Runs `cmd` with `stdin` as its standard input and its output thrown away, and measures it
/// with `wait4`: its CPU time with its children's, and the largest peak memory among it and
/// the children it waited for (std's `wait` reports neither).
fn measure(cmd: &mut Command, stdin: Option<&Path>) -> Run {
    let input = match stdin {
        Some(p) => Stdio::from(std::fs::File::open(p).expect("input file")),
        None => Stdio::null(),
    };
    let start = Instant::now();
    // Reaped below by `wait4`, which std's `wait` cannot replace: only it reports the rusage.
    #[allow(clippy::zombie_processes)]
    let child = cmd
        .stdin(input)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut stderr = child.stderr.expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let mut status = 0;
    // SAFETY: plain FFI call; `usage` is a valid, writable rusage and the pid is our child's,
    // which std has not waited for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    let err = reader.join().unwrap_or_default();
    assert!(
        r == pid && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{cmd:?} failed: {err}"
    );
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1_000);
    Run {
        wall,
        peak_kib: usage.ru_maxrss as u64,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
    }
}

/// The median of each measure.
fn median(runs: &[Run]) -> Run {
    let mid = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let mut peaks: Vec<u64> = runs.iter().map(|r| r.peak_kib).collect();
    peaks.sort_unstable();
    Run {
        wall: mid(runs.iter().map(|r| r.wall).collect()),
        cpu: mid(runs.iter().map(|r| r.cpu).collect()),
        peak_kib: peaks[peaks.len() / 2],
    }
}

/// mdbook-ep against mdbook-toc and the no-op on the captured input, and `check`, alternately.
fn preprocessors(book: &Path, input: &Path, runs: usize) {
    let input_mb = mb(std::fs::metadata(input).map_or(0, |m| m.len()));
    // Name, how to start it, and whether it reads the captured input.
    type Contender<'a> = (&'a str, Box<dyn Fn() -> Command + 'a>, bool);
    let commands: [Contender<'_>; 6] = [
        (
            "mdbook-ep (preprocessor)",
            Box::new(|| ep_command(book, &[])),
            true,
        ),
        (
            "mdbook-ep, one worker",
            Box::new(|| {
                let mut c = ep_command(book, &[]);
                c.env("MDBOOK_EP_JOBS", "1");
                c
            }),
            true,
        ),
        ("mdbook-toc 0.15.4", Box::new(|| role_command("toc")), true),
        (
            "no-op preprocessor",
            Box::new(|| role_command("noop")),
            true,
        ),
        (
            "mdbook-ep check",
            Box::new(|| ep_command(book, &["check"])),
            false,
        ),
        (
            "reading and parsing alone (floor)",
            Box::new(|| {
                let mut c = role_command("floor");
                c.arg(book);
                c
            }),
            false,
        ),
    ];
    let mut results: Vec<Vec<Run>> = vec![Vec::new(); commands.len()];
    for _ in 0..runs {
        for (i, (_, make, piped)) in commands.iter().enumerate() {
            results[i].push(measure(&mut make(), piped.then_some(input)));
        }
    }
    let medians: Vec<Run> = results.iter().map(|r| median(r)).collect();
    let (ep, toc, noop) = (medians[0], medians[2], medians[3]);
    println!(
        "| process | wall (median of {runs}) | CPU | peak memory | peak / input JSON |\n| --- | --- | --- | --- | --- |"
    );
    for ((name, _, _), m) in commands.iter().zip(&medians) {
        println!(
            "| {name} | {:.3} s | {:.3} s | {:.1} MiB | {:.2}× |",
            m.wall.as_secs_f64(),
            m.cpu.as_secs_f64(),
            m.peak_kib as f64 / 1024.0,
            m.peak_kib as f64 / 1024.0 * 1.048_576 / input_mb
        );
    }
    let ratio = |a: Run, b: Run| a.wall.as_secs_f64() / b.wall.as_secs_f64();
    println!(
        "\nmdbook-ep / mdbook-toc: {:.2}× (goal ≤ 1.0×); mdbook-ep / no-op: {:.2}× (goal ≤ 1.3×); \
         one worker / all: {:.2}×; check / floor: {:.2}×",
        ratio(ep, toc),
        ratio(ep, noop),
        ratio(medians[1], ep),
        ratio(medians[4], medians[5])
    );
}

/// The CPU a full `mdbook build` spends because of mdbook-ep: a build with it against a build
/// whose preprocessor replays mdbook-ep's output for the same input, so both render the same
/// pages.
fn full_build(book: &Path, input: &Path, runs: usize) {
    let output = book.join("preprocessor-output.json");
    // Written straight to the file, not through this process: every process it starts later
    // takes this one's peak memory as its own starting peak (Linux carries the high-water mark
    // across `exec`), so 24 MB held here showed in every small process's figure after it.
    let status = ep_command(book, &[])
        .stdin(std::fs::File::open(input).expect("input"))
        .stdout(std::fs::File::create(&output).expect("output file"))
        .stderr(Stdio::null())
        .status()
        .expect("mdbook-ep");
    assert!(status.success());
    let toml = std::fs::read_to_string(book.join("book.toml")).expect("book.toml");
    let with = |command: String| {
        let text = toml.replacen(
            "[preprocessor.ep]\n",
            &format!("[preprocessor.ep]\ncommand = \"{command}\"\n"),
            1,
        );
        std::fs::write(book.join("book.toml"), text).expect("book.toml");
    };
    let build = || {
        let mut c = Command::new(self_exe());
        c.args(["--role", "mdbook"]).arg(book);
        measure(&mut c, None)
    };
    let (mut ep, mut replay) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        with(MDBOOK_EP.to_string());
        ep.push(build());
        with(format!(
            "{} --role replay {}",
            self_exe().display(),
            output.display()
        ));
        replay.push(build());
    }
    std::fs::write(book.join("book.toml"), toml).expect("book.toml");
    let (ep, replay) = (median(&ep), median(&replay));
    let added = ep.cpu.as_secs_f64() / replay.cpu.as_secs_f64() - 1.0;
    println!(
        "\nfull `mdbook build` (median of {runs}): with mdbook-ep {:.2} s CPU, {:.2} s wall; \
         replaying its output {:.2} s CPU, {:.2} s wall; CPU added by mdbook-ep: {:.1} % (goal ≤ 3 %)",
        ep.cpu.as_secs_f64(),
        ep.wall.as_secs_f64(),
        replay.cpu.as_secs_f64(),
        replay.wall.as_secs_f64(),
        added * 100.0
    );
}

/// The KPIs of 1,000 EPs with ten commits each (git read, per-EP history and figures, as the
/// preprocessor and the `[output.ep]` renderer compute them), against `git log` printing that
/// history once, alternately.
fn kpis(dir: &Path, runs: usize) {
    use mdbook_ep::internals::{BookDirs, Calendar, EpConfig, analyze, kpis_from_repository};
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("kpi folder");
    synthetic::write_book(dir, 1_000);
    synthetic::write_history(dir, 1_000, 10);
    let today = mdbook_ep::Date::parse("2026-11-25").expect("a date");
    let dirs = BookDirs {
        root: dir.to_path_buf(),
        src: PathBuf::from("src"),
    };
    let analysis = analyze(
        &dirs,
        &EpConfig::default(),
        &mut Default::default(),
        today,
        Vec::new(),
    );
    let increments = Calendar::Regular {
        start: mdbook_ep::Date::parse("2026-01-05").expect("a date"),
        weeks: 10,
    }
    .increments(today);
    let (mut log, mut ep) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let mut git = Command::new("git");
        git.args(["log", "--format=%x01%cs", "--name-status", "-M"])
            .current_dir(dir);
        log.push(measure(&mut git, None).wall);
        let start = Instant::now();
        let (figures, history) = kpis_from_repository(dir, &analysis.eps, &increments, today);
        ep.push(start.elapsed());
        assert!(history.iter().all(|h| h.changes == 10) && !figures.increments.is_empty());
    }
    log.sort();
    ep.sort();
    let (log, ep) = (log[runs / 2], ep[runs / 2]);
    println!(
        "\n## KPIs, 1,000 EPs × 10 commits (median of {runs})\n\n`git log --name-status -M` alone: \
         {:.3} s; mdbook-ep's history and KPIs: {:.3} s; ratio {:.2}× (goal ≤ 2×)",
        log.as_secs_f64(),
        ep.as_secs_f64(),
        ep.as_secs_f64() / log.as_secs_f64()
    );
}

fn ep_command(book: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(MDBOOK_EP);
    c.args(args)
        .current_dir(book)
        .env("NO_COLOR", "1")
        .env("MDBOOK_EP_TODAY", "2026-11-25");
    c
}

fn role_command(role: &str) -> Command {
    let mut c = Command::new(self_exe());
    c.args(["--role", role]);
    c
}

fn self_exe() -> PathBuf {
    std::env::current_exe().expect("the benchmark's own path")
}

fn run_ok(cmd: &mut Command) {
    let out = cmd.output().expect("spawn");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a folder of the sample")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for e in std::fs::read_dir(from).expect("folder").flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).expect("copy");
        }
    }
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

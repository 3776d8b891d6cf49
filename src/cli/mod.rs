//! The command line: a shell over the library. Each subcommand owns its arguments and turns
//! them into one library call, then prints the result; what a command decides lives in
//! [`crate::change`], [`crate::check`] and the preprocessor. The book folder is given the same
//! way to every command: `--book DIR`, default the current folder.

mod assign;
mod baseline;
#[cfg(feature = "build")]
mod build;
mod check;
mod codeowners;
mod install;
mod list;
mod new;
mod promote;
mod protocol;
mod state;
mod summary;
mod toc;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::error::{Error, Result, shown};

#[derive(Parser, Debug)]
#[command(
    name = "mdbook-ep",
    version,
    about = "Turns a folder of Enhancement Proposals into a checked, navigable mdBook",
    long_about = "Without a command, mdbook-ep runs as an mdBook preprocessor: it reads \
                  [context, book] as JSON on stdin and writes the book to stdout."
)]
struct Cli {
    /// The book's folder (the one holding book.toml).
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    book: PathBuf,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Tells mdBook whether a renderer is supported (always yes).
    Supports(SupportsArgs),
    /// Builds a book with mdBook's HTML renderer and the ep preprocessor, no mdbook install needed.
    #[cfg(feature = "build")]
    Build(build::BuildArgs),
    /// Not in this build (installed with `--no-default-features`).
    #[cfg(not(feature = "build"))]
    #[command(hide = true, disable_help_flag = true)]
    Build {
        /// Whatever was given.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Starts a new EP: a draft from the template with its metadata filled in.
    New(new::NewArgs),
    /// Gives a draft its number and moves it to `NNNN-slug/README.md` (with `git mv` in a repository).
    Promote(promote::PromoteArgs),
    /// Moves an EP along the lifecycle (and records a replacement on both EPs).
    State(state::StateArgs),
    /// Proposes reviewers and an approver for an EP from the SIG registry, least loaded first.
    Assign(assign::AssignArgs),
    /// Prints, writes or checks a CODEOWNERS block mapping SIG folders to their approvers and reviewers.
    Codeowners(codeowners::CodeownersArgs),
    /// Adds `[preprocessor.ep]` and the stylesheet to an existing book.toml, keeping its comments.
    Install(install::InstallArgs),
    /// Runs every check of the build without building (for CI).
    Check(check::CheckArgs),
    /// Records the problems the book has now, so builds and checks fail only on new ones.
    Baseline(baseline::BaselineArgs),
    /// Lists EPs by SIG, state or person (a reviewer's queue), as a table, JSON or CSV.
    List(list::ListArgs),
    /// Updates the TOC between `<!-- toc -->` and `<!-- /toc -->` in Markdown files.
    Toc(toc::TocArgs),
    /// Prints the SUMMARY.md that describes the book's EP structure, or keeps it up to date.
    Summary(summary::SummaryArgs),
}

#[derive(clap::Args, Debug)]
struct SupportsArgs {
    /// The renderer mdBook asks about.
    renderer: String,
}

/// Runs the program and returns its exit code: 0 success, 1 EPs have errors (or a check found
/// a stale file, or a command refused), 2 configuration, I/O or protocol errors, 130
/// interrupted.
pub fn main() -> i32 {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // mdBook skips a plugin silently when `supports` fails, so this is answered before any
    // parsing that could fail.
    if args.get(1).is_some_and(|a| a == "supports") {
        return 0;
    }
    let cli = Cli::parse_from(args);
    let book = cli.book.as_path();
    let result = match cli.command {
        None => protocol::run_stdio(),
        Some(Command::Supports(_)) => Ok(()),
        #[cfg(feature = "build")]
        Some(Command::Build(args)) => args.run(book),
        #[cfg(not(feature = "build"))]
        Some(Command::Build { .. }) => Err(Error::Refused {
            message: "this mdbook-ep was built without the `build` feature".into(),
            help: "run `mdbook build` (with mdbook 0.5 installed), or reinstall mdbook-ep with its default features".into(),
        }),
        Some(Command::New(args)) => args.run(book),
        Some(Command::Promote(args)) => args.run(book),
        Some(Command::State(args)) => args.run(book),
        Some(Command::Assign(args)) => args.run(book),
        Some(Command::Codeowners(args)) => args.run(book),
        Some(Command::Install(args)) => args.run(book),
        Some(Command::Check(args)) => args.run(book),
        Some(Command::Baseline(args)) => args.run(book),
        Some(Command::List(args)) => args.run(book),
        Some(Command::Toc(args)) => args.run(book),
        Some(Command::Summary(args)) => args.run(book),
    };
    exit_code(result)
}

/// Writes `text` to stdout. A reader that stops early (`mdbook-ep toc | head`) closes the
/// pipe; that ends the output, not the command, and is no error.
fn out(text: impl std::fmt::Display) -> Result<()> {
    use std::io::Write;
    match write!(std::io::stdout().lock(), "{text}") {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::io("write", "stdout", e))
        }
        _ => Ok(()),
    }
}

/// How to run `args` on the book in `dir` again, for help texts: `mdbook-ep ARGS`, with
/// `--book DIR` unless the book is the current folder.
fn command_for(dir: &std::path::Path, args: &str) -> String {
    if dir == std::path::Path::new(".") {
        format!("mdbook-ep {args}")
    } else {
        format!("mdbook-ep {args} --book {}", dir.display())
    }
}

fn exit_code(result: Result<()>) -> i32 {
    use crate::io::interrupt;
    match result {
        // A signal that arrived while the change was being made waited for it to complete.
        Ok(()) if interrupt::pending() => {
            eprintln!("interrupted after the change was complete");
            interrupt::EXIT_CODE
        }
        Ok(()) => 0,
        Err(e @ Error::Interrupted) => {
            eprintln!("{e}");
            interrupt::EXIT_CODE
        }
        Err(
            e @ (Error::Invalid { .. }
            | Error::Stale { .. }
            | Error::Untouched { .. }
            | Error::Refused { .. }),
        ) => {
            eprintln!("{e}");
            1
        }
        Err(e) => {
            eprintln!("{e}");
            2
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_command_takes_the_book_the_same_way() {
        for args in [
            vec!["mdbook-ep", "check", "--book", "b"],
            vec!["mdbook-ep", "--book", "b", "summary", "--check"],
            vec!["mdbook-ep", "state", "3", "implemented", "--book", "b"],
            vec!["mdbook-ep", "codeowners", "--book", "b"],
        ] {
            let cli = Cli::try_parse_from(&args).unwrap();
            assert_eq!(cli.book, PathBuf::from("b"), "{args:?}");
        }
    }
}

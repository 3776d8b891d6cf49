//! The command line: the preprocessor protocol and the commands around it.

pub mod build;
pub mod check;
pub mod codeowners;
pub mod install;
pub mod load;
pub mod new;
pub mod promote;
pub mod protocol;
pub mod state;
pub mod summary;
pub mod toc;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "mdbook-ep",
    version,
    about = "Turns a folder of Enhancement Proposals into a checked, navigable mdBook",
    long_about = "Without a command, mdbook-ep runs as an mdBook preprocessor: it reads \
                  [context, book] as JSON on stdin and writes the book to stdout."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Tells mdBook whether a renderer is supported (always yes).
    Supports {
        /// The renderer mdBook asks about.
        renderer: String,
    },
    /// Builds a book with mdBook's HTML renderer and the ep preprocessor, no mdbook install needed.
    Build {
        /// The book's folder (the one holding book.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Write the book here instead of the configured build folder.
        #[arg(short = 'd', long)]
        dest_dir: Option<PathBuf>,
    },
    /// Starts a new EP: a draft from the template with its metadata filled in.
    New {
        /// The owning SIG (its folder under the EP folder).
        #[arg(long)]
        sig: String,
        /// The EP's title.
        #[arg(long)]
        title: String,
        /// An author (repeatable); default: git's user.name.
        #[arg(long = "author")]
        authors: Vec<String>,
        /// The book's folder (the one holding book.toml).
        #[arg(long, default_value = ".")]
        book: PathBuf,
    },
    /// Gives a draft its number and moves it to `NNNN-slug/README.md` (with `git mv` in a repository).
    Promote {
        /// The draft: the path of its file.
        draft: String,
        /// The number to give; default: the highest in use plus one.
        #[arg(long)]
        number: Option<String>,
        /// The book's folder (the one holding book.toml).
        #[arg(long, default_value = ".")]
        book: PathBuf,
    },
    /// Moves an EP along the lifecycle (and records a replacement on both EPs).
    State {
        /// The EP: its number (`42`, `EP-42`) or the path of its file.
        ep: String,
        /// The new state.
        state: String,
        /// With `replaced`: the EP that replaces it.
        #[arg(long)]
        by: Option<String>,
        /// The book's folder (the one holding book.toml).
        #[arg(long, default_value = ".")]
        book: PathBuf,
    },
    /// Prints, writes or checks a CODEOWNERS block mapping SIG folders to their approvers and reviewers.
    Codeowners {
        /// The book's folder (the one holding book.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Update the block in this file (default: the repository's .github/CODEOWNERS).
        #[arg(long, num_args = 0..=1, conflicts_with = "check")]
        write: Option<Option<PathBuf>>,
        /// Exit 1 when the block in this file is out of date (for CI).
        #[arg(long, num_args = 0..=1)]
        check: Option<Option<PathBuf>>,
    },
    /// Adds `[preprocessor.ep]` and the stylesheet to an existing book.toml, keeping its comments.
    Install {
        /// The book's folder (the one holding book.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Exit 1 when something would change, without changing it (for CI).
        #[arg(long)]
        check: bool,
    },
    /// Runs every check of the build without building (for CI).
    Check {
        /// The book's folder (the one holding book.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// How to print problems.
        #[arg(long, value_enum, default_value = "human")]
        format: check::Format,
        /// Also compare each EP's state with its state at this git revision.
        #[arg(long, value_name = "REV")]
        base: Option<String>,
        /// Hold only EPs changed since `--base` to errors; others' errors become warnings.
        #[arg(long, requires = "base")]
        changed_only: bool,
    },
    /// Updates the TOC between `<!-- toc -->` and `<!-- /toc -->` in Markdown files.
    Toc {
        /// Files or folders; default: every EP of the book in the current folder.
        paths: Vec<PathBuf>,
        /// Rewrite stale files in place (only the bytes between the markers).
        #[arg(long, conflicts_with = "check")]
        write: bool,
        /// List stale files and exit 1 (for CI).
        #[arg(long)]
        check: bool,
        /// Anchor rules: the code host's (default) or mdBook's.
        #[arg(long, value_enum, default_value = "github")]
        anchors: toc::Anchors,
    },
    /// Prints the SUMMARY.md that describes the book's EP structure, or keeps it up to date.
    Summary {
        /// The book's folder (the one holding book.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Update SUMMARY.md between `<!-- ep:summary -->` and `<!-- /ep:summary -->`.
        #[arg(long, conflicts_with = "check")]
        write: bool,
        /// Exit 1 and show a diff when SUMMARY.md is out of date (for CI).
        #[arg(long)]
        check: bool,
    },
}

/// Runs the program and returns its exit code.
pub fn main() -> i32 {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // mdBook skips a plugin silently when `supports` fails, so this is answered before any
    // parsing that could fail.
    if args.get(1).is_some_and(|a| a == "supports") {
        return 0;
    }
    let cli = Cli::parse_from(args);
    let result = match cli.command {
        None => protocol::run_stdio(),
        Some(Command::Supports { .. }) => Ok(()),
        Some(Command::Build { dir, dest_dir }) => build::run(&dir, dest_dir.as_deref()),
        Some(Command::Check {
            dir,
            format,
            base,
            changed_only,
        }) => check::run(
            &dir,
            format,
            &check::Base {
                rev: base,
                changed_only,
            },
        ),
        Some(Command::Install { dir, check }) => install::run(&dir, check),
        Some(Command::Codeowners { dir, write, check }) => codeowners::run(&dir, write, check),
        Some(Command::Promote {
            draft,
            number,
            book,
        }) => promote::run(
            &book,
            &draft,
            number.as_deref(),
            crate::model::Date::today(),
        )
        .map(|p| println!("{}", p.display())),
        Some(Command::State {
            ep,
            state,
            by,
            book,
        }) => state::run(
            &book,
            &ep,
            &state,
            by.as_deref(),
            crate::model::Date::today(),
        )
        .map(|said| println!("{said}")),
        Some(Command::New {
            sig,
            title,
            authors,
            book,
        }) => new::run(
            &book,
            new::Request {
                sig,
                title,
                authors,
            },
            crate::model::Date::today(),
        )
        .map(|path| {
            println!("{}", path.display());
        }),
        Some(Command::Toc {
            paths,
            write,
            check,
            anchors,
        }) => toc::run(&paths, write, check, anchors, std::path::Path::new(".")),
        Some(Command::Summary { dir, write, check }) => {
            let mode = match (write, check) {
                (true, _) => summary::Mode::Write,
                (_, true) => summary::Mode::Check,
                _ => summary::Mode::Print,
            };
            summary::run(&dir, mode)
        }
    };
    match result {
        Ok(()) => 0,
        Err(
            e @ (crate::error::Error::Invalid { .. }
            | crate::error::Error::Stale { .. }
            | crate::error::Error::Untouched { .. }
            | crate::error::Error::Refused { .. }),
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

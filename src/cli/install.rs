//! `mdbook-ep install`.

use std::path::{Path, PathBuf};

use crate::change::install::{Install, plan};
use crate::error::{Error, Result};
use crate::io::fs::write_all_or_nothing;
use crate::io::lock::BookLock;

#[derive(clap::Args, Debug)]
pub(super) struct InstallArgs {
    /// Exit 1 when something would change, without changing it (for CI).
    #[arg(long)]
    check: bool,
}

impl InstallArgs {
    pub(super) fn run(self, dir: &Path) -> Result<()> {
        let _lock = (!self.check).then(|| BookLock::acquire(dir)).transpose()?;
        let install = plan(dir)?;
        if self.check {
            if let Some(file) = install.changed().next() {
                return Err(Error::Stale {
                    path: file.path.clone(),
                    fix: super::command_for(dir, "install"),
                });
            }
            eprintln!("mdbook-ep is installed in {}", dir.display());
            return Ok(());
        }
        let files: Vec<(PathBuf, &String)> = install
            .changed()
            .filter_map(|f| Some((f.path.clone(), f.new.as_ref()?)))
            .collect();
        write_all_or_nothing(&files)?;
        if files.is_empty() {
            eprintln!("mdbook-ep is already installed in {}", dir.display());
        }
        for file in install.changed() {
            eprintln!("{}: {}", file.path.display(), file.said.join("; "));
        }
        if let Some(warning) = path_warning(&install) {
            eprintln!("{warning}");
        }
        Ok(())
    }
}

/// mdBook runs a preprocessor as `mdbook-<name>` from `PATH` unless `command` says otherwise;
/// when neither finds this program, `mdbook build` fails (exit 101) and the user should know
/// now, with the fix.
fn path_warning(install: &Install) -> Option<String> {
    let text = std::fs::read_to_string(&install.book_toml.path).ok()?;
    let config: toml::Table = text.trim_start_matches('\u{feff}').parse().ok()?;
    let ep = config.get("preprocessor")?.get("ep")?;
    if ep.get("command").is_some() || on_path("mdbook-ep") {
        return None;
    }
    let here = std::env::current_exe().ok();
    let set_command = here.as_ref().map_or_else(String::new, |exe| {
        format!(
            ", or set `command = \"{}\"` under [preprocessor.ep]",
            exe.display()
        )
    });
    Some(format!(
        "warning: `mdbook-ep` is not on PATH, so `mdbook build` and `mdbook serve` will fail \
         when they run the preprocessor\nhelp: add the folder holding mdbook-ep to PATH{set_command}; \
         `mdbook-ep build` works either way"
    ))
}

/// Whether an executable `name` is in one of `PATH`'s folders.
fn on_path(name: &str) -> bool {
    let Some(path) = std::env::var_os("PATH") else {
        return false;
    };
    let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
    std::env::split_paths(&path).any(|dir| {
        let candidate = dir.join(&file);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::metadata(&candidate)
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        }
        #[cfg(not(unix))]
        {
            candidate.is_file()
        }
    })
}

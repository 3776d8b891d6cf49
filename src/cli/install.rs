//! `mdbook-ep install`.

use std::path::{Path, PathBuf};

use crate::change::install::{Install, plan};
use crate::error::{Error, Result};
use crate::io::fs::write_all_or_nothing;
use crate::io::interrupt;
use crate::io::lock::BookLock;

#[derive(clap::Args, Debug)]
pub(super) struct InstallArgs {
    /// Exit 1 when something would change, without changing it (for CI).
    #[arg(long)]
    check: bool,
    /// Also create this SIG's folder under the EP folder, ready for `new --sig`.
    #[arg(long, value_name = "SIG", conflicts_with = "check")]
    sig: Option<String>,
}

impl InstallArgs {
    pub(super) fn run(self, dir: &Path) -> Result<()> {
        let _lock = (!self.check).then(|| BookLock::acquire(dir)).transpose()?;
        let install = plan(dir, self.sig.as_deref())?;
        if self.check {
            if let Some((link, _)) = &install.link {
                return Err(Error::stale(
                    link.clone(),
                    super::command_for(dir, "install"),
                ));
            }
            if let Some(file) = install.changed().next() {
                return Err(Error::stale(
                    file.path.clone(),
                    super::command_for(dir, "install"),
                ));
            }
            eprintln!("mdbook-ep is installed in {}", dir.display());
            return Ok(());
        }
        let files: Vec<(PathBuf, &String)> = install
            .changed()
            .filter_map(|f| Some((f.path.clone(), f.new.as_ref()?)))
            .collect();
        {
            // The link and the files are one change (see `io::interrupt`).
            let _critical = interrupt::critical();
            if interrupt::pending() {
                return Err(Error::Interrupted);
            }
            // Folders first, then the link, then the files; a failure undoes what came before.
            let mut created = Vec::new();
            let undo = |created: &[std::path::PathBuf], link: bool| {
                if link && let Some((l, _)) = &install.link {
                    remove_link(l);
                }
                for folder in created.iter().rev() {
                    let _ = std::fs::remove_dir(folder);
                }
            };
            for (path, _) in &install.scaffold {
                if let Some(parent) = path.parent()
                    && let Err(e) = create_folders(parent, &mut created)
                {
                    undo(&created, false);
                    return Err(e);
                }
            }
            if let Some((link, target)) = &install.link
                && let Err(e) = make_link(link, target)
            {
                undo(&created, false);
                return Err(e);
            }
            let mut all = files.clone();
            all.extend(install.scaffold.iter().map(|(p, t)| (p.clone(), t)));
            if let Err(e) = write_all_or_nothing(&all) {
                undo(&created, true);
                return Err(e);
            }
        }
        for (path, _) in &install.scaffold {
            eprintln!("{}: created it", super::shown(path).display());
        }
        if let Some((link, target)) = &install.link {
            eprintln!(
                "{}: linked to {} (mdBook publishes the files beside the EPs through it)",
                super::shown(link).display(),
                target.display()
            );
        }
        if files.is_empty() && install.link.is_none() && install.scaffold.is_empty() {
            eprintln!("mdbook-ep is already installed in {}", dir.display());
        }
        for file in install.changed() {
            eprintln!(
                "{}: {}",
                super::shown(&file.path).display(),
                file.said.join("; ")
            );
        }
        if let Some(warning) = path_warning(&install) {
            eprintln!("{warning}");
        }
        Ok(())
    }
}

/// A symbolic link at `link` to the folder `target` (relative to the link's folder).
fn make_link(link: &Path, target: &Path) -> Result<()> {
    if let Some(parent) = link.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    }
    #[cfg(unix)]
    let made = std::os::unix::fs::symlink(target, link);
    #[cfg(windows)]
    let made = std::os::windows::fs::symlink_dir(target, link);
    made.map_err(|e| Error::io("link", link, e))
}

/// Creates `folder` and its missing parents, recording each one it created (outermost first).
fn create_folders(folder: &Path, created: &mut Vec<PathBuf>) -> Result<()> {
    let missing: Vec<&Path> = folder.ancestors().take_while(|a| !a.exists()).collect();
    for f in missing.into_iter().rev() {
        std::fs::create_dir(f).map_err(|e| Error::io("create", f, e))?;
        created.push(f.to_path_buf());
    }
    Ok(())
}

/// Removes a link [`make_link`] made (on Windows a folder link is removed as a folder).
fn remove_link(link: &Path) {
    if std::fs::remove_file(link).is_err() {
        let _ = std::fs::remove_dir(link);
    }
}

/// mdBook runs a preprocessor as `mdbook-<name>` from `PATH` unless `command` says otherwise;
/// when neither finds this program, `mdbook build` fails (exit 101) and the user should know
/// now, with the fix.
fn path_warning(install: &Install) -> Option<String> {
    if install.command_set || on_path("mdbook-ep") {
        return None;
    }
    let here = std::env::current_exe().ok();
    let set_command = here.as_ref().map_or_else(String::new, |exe| {
        format!(
            ", or set `command = {}` under [preprocessor.ep]",
            toml::Value::String(exe.display().to_string())
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

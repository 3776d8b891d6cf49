//! `mdbook-ep assign`: who should review an EP. For the owning SIG and each participating SIG,
//! the least loaded reviewer from the SIG registry who is not an author, and an approver of the
//! owning SIG (only the owning SIG's approvers may approve, EP0502); a SIG already covered by
//! someone the EP names is left as it is. Load is the number of open EPs a person already
//! reviews (or approves); ties go by handle, so the same book always gets the same proposal.

use std::collections::BTreeMap;
use std::path::Path;

use super::edit::{list, metadata_of, set_key, spelling_in};
use super::{Writes, find_ep};
use crate::check::{check_dir, refuse_new_errors};
use crate::error::{Error, Result};
use crate::model::{Date, person_key, same_person};
use crate::read::config::EpConfig;
use crate::read::ep::Ep;
use crate::read::keys::Key;

/// A person's role on an EP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// Reviews it for a SIG.
    Reviewer,
    /// Approves it for the owning SIG.
    Approver,
}

/// One proposed person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pick {
    /// The SIG they stand for (folder name).
    pub sig: String,
    /// Their handle, as the registry writes it.
    pub person: String,
    /// As reviewer or approver.
    pub role: Role,
    /// Open EPs they already have in that role.
    pub load: usize,
}

/// What the proposal is about: an EP as written, or a draft about to be created.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Subject<'a> {
    /// The owning SIG.
    pub sig: &'a str,
    /// Participating SIGs.
    pub participating: &'a [&'a str],
    /// Its authors, never proposed.
    pub authors: &'a [&'a str],
    /// Reviewers it names already.
    pub reviewers: &'a [&'a str],
    /// Approvers it names already.
    pub approvers: &'a [&'a str],
}

/// How many open EPs (not in an exit state, other than `skip`) name each person in `role`.
fn loads(eps: &[Ep], role: Role, skip: Option<&Path>) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for ep in eps {
        if ep.state().is_none_or(|s| s.is_exit()) || Some(ep.path.as_path()) == skip {
            continue;
        }
        let people = match role {
            Role::Reviewer => &ep.meta.reviewers,
            Role::Approver => &ep.meta.approvers,
        };
        for p in people {
            *out.entry(person_key(&p.value)).or_default() += 1;
        }
    }
    out
}

/// The proposal for `subject`, from the SIG registry in `cfg` and the loads in `eps` (`skip` is
/// the subject's own file, whose current names are not load). Pure.
pub(crate) fn propose(
    subject: &Subject<'_>,
    eps: &[Ep],
    skip: Option<&Path>,
    cfg: &EpConfig,
) -> Result<Vec<Pick>> {
    if cfg.sigs.is_empty() {
        return Err(Error::Refused {
            message: "the book has no SIG registry to choose reviewers from".into(),
            help: "list each SIG's reviewers and approvers under `[preprocessor.ep.sigs.<id>]` in book.toml".into(),
        });
    }
    let review_load = loads(eps, Role::Reviewer, skip);
    let approve_load = loads(eps, Role::Approver, skip);
    let named = |people: &[&str], who: &str| people.iter().any(|p| same_person(p, who));
    let mut sigs: Vec<&str> = vec![subject.sig];
    for s in subject.participating {
        if !sigs.contains(s) {
            sigs.push(s);
        }
    }
    let mut picks: Vec<Pick> = Vec::new();
    let taken = |picks: &[Pick], who: &str| picks.iter().any(|p| same_person(&p.person, who));
    // Least loaded, then by handle; never an author, never someone already picked or named
    // on the EP in another role.
    let choose = |pool: &[String], load: &BTreeMap<String, usize>, picks: &[Pick]| {
        pool.iter()
            .filter(|p| {
                !named(subject.authors, p)
                    && !taken(picks, p)
                    && !named(subject.reviewers, p)
                    && !named(subject.approvers, p)
            })
            .map(|p| {
                (
                    load.get(&person_key(p)).copied().unwrap_or(0),
                    person_key(p),
                    p,
                )
            })
            .min()
            .map(|(load, _, p)| (p.clone(), load))
    };
    for sig in &sigs {
        let Some(entry) = cfg.sigs.get(*sig) else {
            return Err(Error::Refused {
                message: format!("SIG `{sig}` is not in the SIG registry"),
                help: format!("add `[preprocessor.ep.sigs.{sig}]` with its reviewers to book.toml"),
            });
        };
        // Covered when the EP already names one of the SIG's people in either role.
        let theirs: Vec<&String> = entry.reviewers.iter().chain(&entry.approvers).collect();
        let covered = theirs.iter().any(|p| {
            named(subject.reviewers, p) || named(subject.approvers, p) || taken(&picks, p)
        });
        // A SIG that names only approvers reviews through them.
        let pool = if entry.reviewers.is_empty() {
            &entry.approvers
        } else {
            &entry.reviewers
        };
        if !covered && let Some((person, load)) = choose(pool, &review_load, &picks) {
            picks.push(Pick {
                sig: sig.to_string(),
                person,
                role: Role::Reviewer,
                load,
            });
        }
    }
    let owning = cfg.sigs.get(subject.sig);
    let approved = owning.is_some_and(|o| o.approvers.iter().any(|a| named(subject.approvers, a)));
    if !approved
        && let Some(o) = owning
        && let Some((person, load)) = choose(&o.approvers, &approve_load, &picks)
    {
        picks.push(Pick {
            sig: subject.sig.to_string(),
            person,
            role: Role::Approver,
            load,
        });
    }
    Ok(picks)
}

/// The YAML of an EP's metadata with `picks` added to its reviewers and approvers (the names
/// it has stay first, as written). Only those two keys' lines change.
pub(crate) fn record(yaml: &str, reviewers: &[&str], approvers: &[&str], picks: &[Pick]) -> String {
    let mut y = yaml.to_string();
    for (k, role, have) in [
        (Key::Reviewers, Role::Reviewer, reviewers),
        (Key::Approvers, Role::Approver, approvers),
    ] {
        let added: Vec<String> = picks
            .iter()
            .filter(|p| p.role == role)
            .map(|p| p.person.clone())
            .collect();
        if added.is_empty() {
            continue;
        }
        // Placeholders such as `TBD` give way to real names.
        let mut all: Vec<String> = have
            .iter()
            .filter(|h| !h.trim_start_matches('@').eq_ignore_ascii_case("tbd"))
            .map(|h| h.to_string())
            .collect();
        all.extend(added);
        y = set_key(&y, spelling_in(&y, k), &list(&all));
    }
    y
}

/// What `assign` found and, with `--write`, the file it changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Assignment {
    /// The EP's label and title.
    pub ep: String,
    /// Whom it proposes.
    pub picks: Vec<Pick>,
    /// The metadata file with the picks recorded (empty without picks).
    pub writes: Writes,
}

/// Plans `assign` for EP `which` in the book in `dir`. The write is checked like every edit:
/// it is refused when it would break a rule the EP does not break now.
pub(crate) fn plan(dir: &Path, which: &str, today: Date) -> Result<Assignment> {
    let checked = check_dir(dir, today)?;
    let eps = &checked.analysis.eps;
    let ep = find_ep(eps, dir, which)?;
    if ep.state().is_some_and(|s| s.is_exit()) {
        return Err(Error::Refused {
            message: format!(
                "{} is `{}`: it is closed and needs no reviewers",
                ep.label(),
                ep.state().map(|s| s.as_str()).unwrap_or_default()
            ),
            help: "assign reviewers to an open EP".into(),
        });
    }
    let m = &ep.meta;
    fn strs(v: &[crate::read::metadata::Sp<String>]) -> Vec<&str> {
        v.iter().map(|s| s.value.as_str()).collect()
    }
    let (participating, authors) = (strs(&m.participating_sigs), strs(&m.authors));
    let (reviewers, approvers) = (strs(&m.reviewers), strs(&m.approvers));
    let subject = Subject {
        sig: &ep.sig,
        participating: &participating,
        authors: &authors,
        reviewers: &reviewers,
        approvers: &approvers,
    };
    let picks = propose(&subject, eps, Some(&ep.path), &checked.cfg)?;
    let writes = if picks.is_empty() {
        Writes::default()
    } else {
        let edit = |yaml: &str| record(yaml, &reviewers, &approvers, &picks);
        let write = metadata_of(ep, dir, &edit)?;
        refuse_new_errors(&checked, dir, std::slice::from_ref(&write), today)?;
        Writes(vec![write])
    };
    Ok(Assignment {
        ep: ep.display_name(),
        picks,
        writes,
    })
}

/// `new --assign`: the draft about to be created, with reviewers and an approver for its SIG
/// proposed and written into its metadata, in the same single write as the draft itself.
pub(crate) fn for_draft(
    dir: &Path,
    draft: super::draft::Draft,
    sig: &str,
    today: Date,
) -> Result<(super::draft::Draft, Vec<Pick>)> {
    let checked = check_dir(dir, today)?;
    let authors: Vec<&str> = draft.authors.iter().map(String::as_str).collect();
    let subject = Subject {
        sig,
        participating: &[],
        authors: &authors,
        reviewers: &[],
        approvers: &[],
    };
    let picks = propose(&subject, &checked.analysis.eps, None, &checked.cfg)?;
    let text = super::edit::with_front_matter(&draft.text, |y| record(y, &[], &[], &picks))
        .unwrap_or_else(|| draft.text.clone());
    Ok((super::draft::Draft { text, ..draft }, picks))
}

/// The proposal as lines for the terminal.
pub(crate) fn describe(a: &Assignment, cfg_sig_name: &dyn Fn(&str) -> String) -> String {
    if a.picks.is_empty() {
        return format!(
            "{}: every SIG already has a reviewer and the owning SIG an approver; nothing to propose\n",
            a.ep
        );
    }
    let mut out = format!("{}\n", a.ep);
    for p in &a.picks {
        let (role, verb) = match p.role {
            Role::Reviewer => ("reviewer", "reviews"),
            Role::Approver => ("approver", "approves"),
        };
        out.push_str(&format!(
            "  {role} for {}: {} ({verb} {})\n",
            cfg_sig_name(&p.sig),
            p.person,
            crate::text::count(p.load, "open EP", "open EPs")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::config::Sig;
    use crate::read::ep::testing::ep;

    fn cfg() -> EpConfig {
        let mut cfg = EpConfig::default();
        let sig = |reviewers: &[&str], approvers: &[&str]| Sig {
            reviewers: reviewers.iter().map(|s| s.to_string()).collect(),
            approvers: approvers.iter().map(|s| s.to_string()).collect(),
            ..Sig::default()
        };
        cfg.sigs
            .insert("a".into(), sig(&["@rae", "@ana", "@bo"], &["@ann", "@al"]));
        cfg.sigs
            .insert("b".into(), sig(&["@bea", "@ben"], &["@bex"]));
        cfg
    }

    fn open(path: &str, reviewers: &str, approvers: &str) -> Ep {
        ep(
            path,
            &format!(
                "---\ntitle: X\nauthors: [\"@ana\"]\nowning-sig: a\nstate: provisional\ncreation-date: 2026-01-10\nreviewers: {reviewers}\napprovers: {approvers}\n---\n# X\n"
            ),
        )
    }

    #[test]
    fn least_loaded_non_authors_with_ties_by_handle() {
        // @rae reviews two open EPs and @bo one; @ana is the author. @al approves one.
        let eps = vec![
            open("a/0001-x/README.md", "[\"@rae\", \"@bo\"]", "[\"@al\"]"),
            open("a/0002-y/README.md", "[\"@RAE\"]", "[]"),
        ];
        let subject = Subject {
            sig: "a",
            participating: &["b"],
            authors: &["@ana"],
            reviewers: &[],
            approvers: &[],
        };
        let picks = propose(&subject, &eps, None, &cfg()).unwrap();
        let got: Vec<(&str, &str, Role, usize)> = picks
            .iter()
            .map(|p| (p.sig.as_str(), p.person.as_str(), p.role, p.load))
            .collect();
        assert_eq!(
            got,
            [
                ("a", "@bo", Role::Reviewer, 1),
                // Tied at 0: by handle.
                ("b", "@bea", Role::Reviewer, 0),
                ("a", "@ann", Role::Approver, 0),
            ]
        );
    }

    #[test]
    fn one_person_of_two_sigs_covers_both() {
        let mut cfg = cfg();
        cfg.sigs.get_mut("b").unwrap().approvers = vec!["@bo".into()];
        let subject = Subject {
            sig: "a",
            participating: &["b"],
            authors: &["@ana"],
            reviewers: &[],
            approvers: &[],
        };
        let picks = propose(&subject, &[], None, &cfg).unwrap();
        // @bo reviews for a and is one of b's people: b has its say through him.
        let got: Vec<(&str, &str)> = picks
            .iter()
            .map(|p| (p.sig.as_str(), p.person.as_str()))
            .collect();
        assert_eq!(got, [("a", "@bo"), ("a", "@al")]);
    }

    #[test]
    fn covered_sigs_are_left_and_names_are_added_after_the_authors_own() {
        let subject = Subject {
            sig: "a",
            participating: &["b"],
            authors: &["@ana"],
            reviewers: &["@Ben"],
            approvers: &["TBD"],
        };
        let picks = propose(&subject, &[], None, &cfg()).unwrap();
        // b is covered by @ben; a gets a reviewer and an approver.
        assert_eq!(picks.len(), 2, "{picks:?}");
        assert!(picks.iter().all(|p| p.sig == "a"));
        let yaml =
            "title: X\nreviewers: [\"@Ben\"] # keep\napprovers:\n  - TBD\nstate: provisional\n";
        assert_eq!(
            record(yaml, &["@Ben"], &["TBD"], &picks),
            "title: X\nreviewers: [\"@Ben\", \"@bo\"] # keep\napprovers: [\"@al\"]\nstate: provisional\n"
        );
        // Without a registry there is nobody to choose from.
        assert!(propose(&subject, &[], None, &EpConfig::default()).is_err());
    }
}

//! The rules every EP must follow. Pure: EPs and configuration in, diagnostics out.
//!
//! Each rule is one small function; none stops at the first problem. Cross-EP rules (unique
//! numbers, links, replacement pairs) use one index built once, so checking stays linear.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Location, Rule};
use crate::model::{Date, Reference, State, ep_label};
use crate::read::config::EpConfig;
use crate::read::discover::Kind;
use crate::read::ep::Ep;
use crate::read::keys::Key;
use crate::read::metadata::{Pos, Sp};
use crate::read::template::{Section, Template, section_key, section_words};
use crate::suggest::did_you_mean;

/// Facts about the whole book that single-EP rules need.
struct Index<'a> {
    by_number: HashMap<u32, Vec<&'a Ep>>,
}

/// Runs every rule over every EP.
pub fn validate(
    eps: &[Ep],
    template: Option<&Template>,
    cfg: &EpConfig,
    today: Date,
) -> Vec<Diagnostic> {
    let mut by_number: HashMap<u32, Vec<&Ep>> = HashMap::new();
    for ep in eps {
        if let Some(n) = ep.number() {
            by_number.entry(n).or_default().push(ep);
        }
    }
    let index = Index { by_number };
    let mut out = Vec::new();
    for ep in eps {
        let mut d = Vec::new();
        draft_name(ep, &mut d);
        toc_markers(ep, &mut d);
        // Metadata that does not parse has one error, its syntax (reported while reading).
        // Every other rule needs the metadata: which fields are there, the state that decides
        // the required sections, the exemptions. Checking without it would bury the one real
        // problem under false ones.
        if ep.meta.unreadable {
            out.extend(d.into_iter().map(|d| d.for_ep(&ep.shown)));
            continue;
        }
        required_fields(ep, &mut d);
        dates(ep, today, &mut d);
        numbering(ep, &index, &mut d);
        sigs(ep, cfg, &mut d);
        references(ep, &index, &mut d);
        replacement(ep, &index, &mut d);
        replacement_cycle(ep, &index, &mut d);
        approvers(ep, &mut d);
        registered_approvers(ep, cfg, &mut d);
        if let Some(t) = template {
            sections(ep, t, &mut d);
        }
        out.extend(d.into_iter().map(|d| d.for_ep(&ep.shown)));
    }
    out
}

fn meta_loc(ep: &Ep, pos: Pos) -> Location {
    ep.meta_at(pos)
}

fn file_loc(ep: &Ep, line: usize) -> Location {
    Location::new(&ep.shown, line, 1)
}

fn required_fields(ep: &Ep, out: &mut Vec<Diagnostic>) {
    let mut required: Vec<(Key, String)> = vec![
        (Key::Title, "title: A short, descriptive title".into()),
        (Key::Authors, "authors: [your-handle]".into()),
        (Key::OwningSig, format!("owning-sig: {}", ep.sig)),
        (Key::State, "state: provisional".into()),
        (Key::CreationDate, "creation-date: YYYY-MM-DD".into()),
    ];
    if let Kind::Numbered { number, .. } = ep.kind {
        required.push((Key::Number, format!("number: {number}")));
    }
    for (key, example) in required {
        let given = if key == Key::State {
            ep.meta.state_given
        } else {
            ep.meta.present.contains(&key)
        };
        if !given {
            out.push(
                Diagnostic::new(
                    Rule::MissingField,
                    format!("required field `{}` is missing", key.name()),
                )
                .at(meta_loc(ep, ep.meta.start))
                .help(format!("add `{example}` to the metadata")),
            );
        }
    }
}

fn dates(ep: &Ep, today: Date, out: &mut Vec<Diagnostic>) {
    let m = &ep.meta;
    if let (Some(created), Some(updated)) = (&m.creation_date, &m.last_updated)
        && updated.value < created.value
    {
        out.push(
            Diagnostic::new(
                Rule::DateOrder,
                format!(
                    "`last-updated` ({}) is before `creation-date` ({})",
                    updated.value, created.value
                ),
            )
            .at(meta_loc(ep, updated.pos))
            .help("an EP cannot be updated before it was created; correct one of the two dates"),
        );
    }
    for (key, date) in [
        ("creation-date", &m.creation_date),
        ("last-updated", &m.last_updated),
    ] {
        if let Some(d) = date.as_ref().filter(|d| d.value > today) {
            out.push(
                Diagnostic::new(
                    Rule::FutureDate,
                    format!("`{key}` ({}) is in the future", d.value),
                )
                .at(meta_loc(ep, d.pos))
                .help(format!("use a date on or before today ({today})")),
            );
        }
    }
}

fn numbering(ep: &Ep, index: &Index<'_>, out: &mut Vec<Diagnostic>) {
    let Kind::Numbered { number, .. } = ep.kind else {
        return;
    };
    if let Some(others) = index.by_number.get(&number).filter(|v| v.len() > 1) {
        let names: Vec<String> = others
            .iter()
            .filter(|o| o.path != ep.path)
            .map(|o| format!("`{}`", o.shown.display()))
            .collect();
        let free = (1..)
            .map(|i| number + i)
            .find(|n| !index.by_number.contains_key(n));
        out.push(
            Diagnostic::new(
                Rule::DuplicateNumber,
                format!("{} is also used by {}", ep_label(number), names.join(", ")),
            )
            .at(file_loc(ep, 1))
            .help(match free {
                Some(n) => format!("give one of them a free number, e.g. {}", ep_label(n)),
                None => "give one of them a free number".into(),
            }),
        );
    }
    if let Some(meta_number) = &ep.meta.number
        && meta_number.value != number
    {
        out.push(
            Diagnostic::new(
                Rule::NumberMismatch,
                format!(
                    "`{}` is {} but the folder says {}",
                    ep.meta.name(Key::Number),
                    meta_number.value,
                    number
                ),
            )
            .at(meta_loc(ep, meta_number.pos))
            .help("make the metadata and the folder name `NNNN-slug` agree"),
        );
    }
}

fn draft_name(ep: &Ep, out: &mut Vec<Diagnostic>) {
    if let Kind::Draft { date: None, slug } = &ep.kind {
        let date = ep
            .meta
            .creation_date
            .as_ref()
            .map_or_else(|| "YYYY-MM-DD".to_string(), |d| d.value.to_string());
        let slug = slug.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-');
        let slug = if slug.is_empty() { "short-name" } else { slug };
        out.push(
            Diagnostic::new(
                Rule::DraftName,
                format!(
                    "draft file name `{}` is not `draft-YYYY-MM-DD-slug.md` with a real date",
                    ep.path.file_name().unwrap_or_default().to_string_lossy()
                ),
            )
            .at(file_loc(ep, 1))
            .help(format!("rename it to `draft-{date}-{slug}.md`")),
        );
    }
}

fn sigs(ep: &Ep, cfg: &EpConfig, out: &mut Vec<Diagnostic>) {
    if let Some(owner) = &ep.meta.owning_sig
        && owner.value != ep.sig
    {
        out.push(
            Diagnostic::new(
                Rule::SigMismatch,
                format!(
                    "`owning-sig` is \"{}\" but the EP is in the `{}` folder",
                    owner.value, ep.sig
                ),
            )
            .at(meta_loc(ep, owner.pos))
            .help(format!(
                "set `owning-sig: {}`, or move the EP into the `{}` folder",
                ep.sig, owner.value
            )),
        );
    }
    if cfg.sigs.is_empty() {
        return;
    }
    let known: Vec<&str> = cfg.sigs.keys().map(String::as_str).collect();
    let named = ep.meta.owning_sig.iter().chain(&ep.meta.participating_sigs);
    for sig in named {
        if !cfg.sigs.contains_key(&sig.value) {
            let help = match did_you_mean(&sig.value, &known) {
                Some(s) => format!("did you mean \"{s}\"?"),
                None => format!(
                    "known SIGs: {}; add new ones under `[preprocessor.ep.sigs]`",
                    known.join(", ")
                ),
            };
            out.push(
                Diagnostic::new(
                    Rule::UnknownSig,
                    format!("SIG \"{}\" is not in the SIG registry", sig.value),
                )
                .at(meta_loc(ep, sig.pos))
                .help(help),
            );
        }
    }
}

fn references(ep: &Ep, index: &Index<'_>, out: &mut Vec<Diagnostic>) {
    let see_also = ep.meta.see_also.iter().filter_map(|r| match r.value {
        Reference::Ep(n) => Some(("see-also", n, r.pos)),
        Reference::Url(_) => None,
    });
    let replaces = ep
        .meta
        .replaces
        .iter()
        .map(|r| ("replaces", r.value, r.pos));
    let replaced_by = ep
        .meta
        .replaced_by
        .iter()
        .map(|r| ("replaced-by", r.value, r.pos));
    for (key, n, pos) in see_also.chain(replaces).chain(replaced_by) {
        if !index.by_number.contains_key(&n) {
            out.push(
                Diagnostic::new(Rule::UnknownReference, format!("`{key}` names {}, which does not exist", ep_label(n)))
                    .at(meta_loc(ep, pos))
                    .help("check the number; the EP may not be numbered yet, or may live in another repository"),
            );
        } else if ep.number() == Some(n) {
            out.push(
                Diagnostic::new(
                    Rule::UnknownReference,
                    format!("`{key}` names this EP itself"),
                )
                .at(meta_loc(ep, pos))
                .help("an EP cannot link to itself; remove the entry"),
            );
        }
    }
}

fn replacement(ep: &Ep, index: &Index<'_>, out: &mut Vec<Diagnostic>) {
    let m = &ep.meta;
    if let Some(state) = &m.state {
        if state.value == State::Replaced && m.replaced_by.is_empty() {
            out.push(
                Diagnostic::new(
                    Rule::ReplacedWithoutSuccessor,
                    format!(
                        "`{}` is `replaced` but `{}` is empty",
                        m.name(Key::State),
                        m.name(Key::ReplacedBy)
                    ),
                )
                .at(meta_loc(ep, state.pos))
                .help(format!(
                    "add `{}: [NNNN]` naming the EP that replaced this one",
                    m.name(Key::ReplacedBy)
                )),
            );
        }
        if state.value != State::Replaced && !m.replaced_by.is_empty() {
            out.push(
                Diagnostic::new(
                    Rule::SuccessorWithoutReplacement,
                    format!(
                        "`{}` is set but `{}` is `{}`",
                        m.name(Key::ReplacedBy),
                        m.name(Key::State),
                        state.value
                    ),
                )
                .at(meta_loc(ep, state.pos))
                .help(format!(
                    "set `{}: replaced`, or remove `{}`",
                    m.name(Key::State),
                    m.name(Key::ReplacedBy)
                )),
            );
        }
    }
    let Some(me) = ep.number() else { return };
    let check = |links: &[Sp<u32>],
                 key: &str,
                 back_key: &str,
                 back: fn(&Ep) -> &[Sp<u32>],
                 out: &mut Vec<Diagnostic>| {
        for link in links {
            let Some(others) = index.by_number.get(&link.value) else {
                continue;
            };
            for other in others {
                // An EP whose metadata does not parse lists nothing we can see; its one error
                // is that syntax error, not a missing back-link reported on its neighbours.
                if other.path == ep.path
                    || other.meta.unreadable
                    || back(other).iter().any(|b| b.value == me)
                {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        Rule::OneWayReplacement,
                        format!(
                            "`{key}` names {} but {} does not list {} in `{back_key}`",
                            ep_label(link.value),
                            ep_label(link.value),
                            ep_label(me)
                        ),
                    )
                    .at(meta_loc(ep, link.pos))
                    .help(format!(
                        "add `{back_key}: [{me}]` to `{}`",
                        other.meta.file.display()
                    )),
                );
            }
        }
    };
    check(
        &m.replaced_by,
        "replaced-by",
        "replaces",
        |e| &e.meta.replaces,
        out,
    );
    check(
        &m.replaces,
        "replaces",
        "replaced-by",
        |e| &e.meta.replaced_by,
        out,
    );
}

/// Following `replaced-by` from an EP must end at an EP that is still in force; coming back to
/// the EP itself means no EP of the chain is.
fn replacement_cycle(ep: &Ep, index: &Index<'_>, out: &mut Vec<Diagnostic>) {
    let (Some(me), Some(first)) = (ep.number(), ep.meta.replaced_by.first()) else {
        return;
    };
    let mut chain = vec![me];
    let mut next = first.value;
    while next != me {
        if chain.contains(&next) {
            return; // A cycle that does not pass through this EP; its members report it.
        }
        chain.push(next);
        let Some(n) = index
            .by_number
            .get(&next)
            .and_then(|v| v.first())
            .and_then(|e| e.meta.replaced_by.first())
        else {
            return;
        };
        next = n.value;
    }
    chain.push(me);
    let path: Vec<String> = chain.iter().map(|n| ep_label(*n)).collect();
    out.push(
        Diagnostic::new(
            Rule::ReplacementCycle,
            format!(
                "`replaced-by` leads back to {}: {}",
                ep_label(me),
                path.join(" -> ")
            ),
        )
        .at(meta_loc(ep, first.pos))
        .help("an EP cannot be replaced by one it replaces; fix `replaced-by` on one of them"),
    );
}

fn approvers(ep: &Ep, out: &mut Vec<Diagnostic>) {
    let Some(state) = &ep.meta.state else { return };
    if !state.value.is_approved() {
        return;
    }
    let real = ep
        .meta
        .approvers
        .iter()
        .filter(|a| !a.value.trim_start_matches('@').eq_ignore_ascii_case("tbd"))
        .count();
    if real == 0 {
        out.push(
            Diagnostic::new(
                Rule::MissingApprovers,
                format!("an EP in state `{}` needs approvers, but none are named", state.value),
            )
            .at(meta_loc(ep, state.pos))
            .help(if state.value.is_exit() {
                // A closed EP cannot go back; its record is what it is.
                format!(
                    "list who approved it under `approvers:`; if that was never recorded, {}",
                    exempt_hint(ep, Rule::MissingApprovers)
                )
            } else if state.value.may_move_to(State::Provisional) {
                "list who approved it under `approvers:` (not `TBD`), or move it back to `provisional` until it is approved".to_string()
            } else {
                "list who approved it under `approvers:` (not `TBD`)".to_string()
            }),
        );
    }
}

/// How to exempt this EP from `rule`, as YAML to paste into its metadata (with the reason left
/// for the author to give).
fn exempt_hint(ep: &Ep, rule: Rule) -> String {
    let entry = format!("{}: \"<why this EP is exempt>\"", rule.code());
    if ep.meta.exempt.is_empty() {
        format!("exempt it: add `exempt: {{{entry}}}` to its metadata")
    } else {
        format!("exempt it: add `{entry}` to its `exempt:` entries")
    }
}

fn sections(ep: &Ep, template: &Template, out: &mut Vec<Diagnostic>) {
    // Each heading's comparison key, indexed like `ep.outline.headings`.
    let keys: Vec<String> = ep
        .outline
        .headings
        .iter()
        .map(|h| section_key(&h.text))
        .collect();
    let line_of = |i: usize| ep.file_line(ep.outline.headings[i].line);
    // Reduced once per heading, not once per heading and section.
    let mut loose_headings: Option<Vec<String>> = None;
    let have: HashMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    // Headings that are a template section as written cannot stand in for another one.
    let exact: HashSet<&str> = template
        .sections
        .iter()
        .map(|s| s.key.as_str())
        .filter(|k| have.contains_key(k))
        .collect();
    let state = ep.state();
    let fallback = ep
        .outline
        .leading_h1()
        .map_or(ep.body_line, |h| ep.file_line(h.line));
    let mut last_found: Option<(&str, usize)> = None;
    let mut seen = HashSet::new();
    let mut renamed_used = HashSet::new();
    for section in &template.sections {
        if !seen.insert(section.key.as_str()) {
            continue;
        }
        if let Some(&i) = have.get(section.key.as_str()) {
            last_found = Some((&section.title, line_of(i)));
            unfinished(ep, section, i, template, out);
            continue;
        }
        let loose_headings =
            loose_headings.get_or_insert_with(|| keys.iter().map(|k| loose(k)).collect());
        let wanted = loose(&section.key);
        let renamed = (0..keys.len()).find(|&i| {
            !exact.contains(keys[i].as_str())
                && !renamed_used.contains(&i)
                && same_words(&loose_headings[i], &wanted)
        });
        if let Some(i) = renamed {
            renamed_used.insert(i);
            let (text, line) = (&ep.outline.headings[i].text, line_of(i));
            last_found = Some((&section.title, line));
            unfinished(ep, section, i, template, out);
            out.push(
                Diagnostic::new(
                    Rule::RenamedSection,
                    format!(
                        "section \"{text}\" is the template's \"{}\" under another spelling",
                        section.title
                    ),
                )
                .at(file_loc(ep, line))
                .help(format!(
                    "it counts as present; rename it to `{} {}` so readers and tools find it by the template's name",
                    "#".repeat(usize::from(section.level)),
                    section.title
                )),
            );
            continue;
        }
        if !section.requirement.applies(state) {
            continue;
        }
        let hashes = "#".repeat(usize::from(section.level));
        let (line, place) = match last_found {
            Some((title, line)) => (line, format!(" after \"{title}\"")),
            None => (fallback, String::new()),
        };
        let why = match section.requirement {
            crate::read::template::Requirement::From(s) => format!(" from state `{s}` on"),
            _ => String::new(),
        };
        let lever = if state.is_some_and(State::is_exit) {
            format!(
                "; for an EP written before the template had it, {}",
                exempt_hint(ep, Rule::MissingSection)
            )
        } else {
            format!(
                "; if not every EP needs it, mark it in the template ({}:{}) with `<!-- optional -->` or `<!-- required-from: implementable -->`",
                template.shown.display(),
                section.line
            )
        };
        out.push(
            Diagnostic::new(
                Rule::MissingSection,
                format!(
                    "missing section \"{}\", which the template requires{why}",
                    section.title
                ),
            )
            .at(file_loc(ep, line))
            .help(format!(
                "add a `{hashes} {}` section{place}{lever}",
                section.title
            )),
        );
    }
}

/// A required section of an approved EP that says nothing yet: empty, or still the template's
/// own words. Drafts and provisional EPs are being written, so they are left alone.
fn unfinished(
    ep: &Ep,
    section: &Section,
    i: usize,
    template: &Template,
    out: &mut Vec<Diagnostic>,
) {
    let Some(state) = ep.state().filter(|s| s.is_approved()) else {
        return;
    };
    if !section.requirement.applies(Some(state)) {
        return;
    }
    let line = ep.file_line(ep.outline.headings[i].line);
    // The section's own words (before its first subsection), compared like the template's;
    // words in a subsection mean the section is being written.
    let own = ep.outline.own_text(ep.body(), i);
    let whole = ep.outline.section_text(ep.body(), i);
    let rest: String = whole[own.len().min(whole.len())..]
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    if !section_words(&rest).is_empty() {
        return;
    }
    let words = section_words(own);
    let what = if words.is_empty() {
        "is empty"
    } else if words == section.text {
        "still holds the template's text"
    } else {
        return;
    };
    out.push(
        Diagnostic::new(
            Rule::UnfinishedSection,
            format!(
                "section \"{}\" {what}, in an EP that is `{state}`",
                section.title
            ),
        )
        .at(file_loc(ep, line))
        .help(if state.is_exit() {
            format!(
                "write it; for an EP closed before the section was expected, {}",
                exempt_hint(ep, Rule::UnfinishedSection)
            )
        } else {
            format!(
                "write what the section asks for; if not every EP needs it, mark it in the template ({}:{}) with `<!-- optional -->`",
                template.shown.display(),
                section.line
            )
        }),
    );
}

#[cfg(test)]
fn same_section(heading: &str, section: &str) -> bool {
    same_words(&loose(heading), &loose(section))
}

/// Whether a heading is a template section under another spelling (both reduced by
/// [`loose`]): the same words ignoring case, punctuation, `&` for `and` and a plural `s`, or a
/// small typo in a longer title.
fn same_words(a: &str, b: &str) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    // A similarity of 0.85 needs lengths within 15% of each other: most pairs stop here,
    // before the quadratic edit distance.
    let (la, lb) = (a.chars().count(), b.chars().count());
    lb >= 6
        && la.abs_diff(lb) * 100 <= la.max(lb) * 15
        && strsim::normalized_damerau_levenshtein(a, b) >= 0.85
}

/// A section title reduced to its words: lowercase, `&` read as `and`, punctuation dropped,
/// a word's plural `s` dropped.
fn loose(key: &str) -> String {
    key.replace('&', " and ")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| match w.strip_suffix('s') {
            Some(stem) if stem.chars().count() >= 3 && !stem.ends_with('s') => stem,
            _ => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn toc_markers(ep: &Ep, out: &mut Vec<Diagnostic>) {
    if let Some(m) = ep.outline.toc.as_ref().filter(|m| m.close.is_none()) {
        out.push(
            Diagnostic::new(Rule::UnclosedToc, "`<!-- toc -->` is never closed with `<!-- /toc -->`")
                .at(file_loc(ep, ep.file_line(m.open_line)))
                .help("add a line `<!-- /toc -->` where the table of contents ends; until then the TOC goes under the header"),
        );
    }
}

/// Handles compare without `@` and without regard to case: `@Ana` and `ana` are one person.
fn same_person(a: &str, b: &str) -> bool {
    a.trim()
        .trim_start_matches('@')
        .eq_ignore_ascii_case(b.trim().trim_start_matches('@'))
}

fn registered_approvers(ep: &Ep, cfg: &EpConfig, out: &mut Vec<Diagnostic>) {
    let Some(owner) = &ep.meta.owning_sig else {
        return;
    };
    let Some(sig) = cfg
        .sigs
        .get(&owner.value)
        .filter(|s| !s.approvers.is_empty())
    else {
        return;
    };
    for approver in &ep.meta.approvers {
        let tbd = approver
            .value
            .trim_start_matches('@')
            .eq_ignore_ascii_case("tbd");
        if tbd
            || sig
                .approvers
                .iter()
                .any(|a| same_person(a, &approver.value))
        {
            continue;
        }
        out.push(
            Diagnostic::new(
                Rule::UnregisteredApprover,
                format!("\"{}\" is not an approver of SIG `{}`", approver.value, owner.value),
            )
            .at(meta_loc(ep, approver.pos))
            .help(format!(
                "the SIG's approvers are {}; add the person under `[preprocessor.ep.sigs.{}] approvers`, or ask one of them",
                sig.approvers.join(", "),
                owner.value
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_spelling_of_a_section_is_the_same_section() {
        let same = |a: &str, b: &str| same_section(&section_key(a), &section_key(b));
        for (heading, section) in [
            (
                "Reference-level explanations",
                "Reference-level explanation",
            ),
            ("Risks & Mitigations", "Risks and Mitigations"),
            ("DESIGN DETAILS:", "Design Details"),
            ("Test Plans", "Test Plan"),
            ("Summery", "Summary"),
            ("Non Goals", "Non-Goals"),
            ("Graduation criteria", "Graduation Criteria"),
        ] {
            assert!(same(heading, section), "{heading} / {section}");
        }
        for (heading, section) in [
            ("Goals", "Non-Goals"),
            ("Alternatives considered", "Alternatives"),
            ("Motivation", "Summary"),
            ("Test", "Text"),
            ("", "Summary"),
            ("Proposal", "Proposals and Risks"),
        ] {
            assert!(!same(heading, section), "{heading} / {section}");
        }
    }
}

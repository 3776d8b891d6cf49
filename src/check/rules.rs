//! The rules every EP must follow. Pure: EPs and configuration in, diagnostics out.
//!
//! Each rule is one small function; none stops at the first problem. Cross-EP rules (unique
//! numbers, links, replacement pairs) use one index built once, so checking stays linear.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Location, Rule};
use crate::model::{Date, Reference, State, ep_label, same_person};
use crate::read::config::EpConfig;
use crate::read::discover::Kind;
use crate::read::ep::Ep;
use crate::read::keys::Key;
use crate::read::metadata::{Pos, Sp};
use crate::read::template::{Section, Template, has_words, section_key, words_are};
use crate::suggest::did_you_mean;

/// Facts about the whole book that single-EP rules need.
struct Index<'a> {
    by_number: HashMap<u32, Vec<&'a Ep>>,
    /// The template's section titles as [`same_words`] compares them (indexed like its
    /// sections): reduced once for the book, not once per EP.
    sections: Vec<Loose>,
    /// The template's section keys.
    section_keys: HashSet<&'a str>,
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
    let template_sections = template.map_or(&[][..], |t| &t.sections[..]);
    let index = Index {
        by_number,
        sections: template_sections
            .iter()
            .map(|s| Loose::new(&s.key))
            .collect(),
        section_keys: template_sections.iter().map(|s| s.key.as_str()).collect(),
    };
    // Each EP is checked against the shared index alone: spread over the cores, gathered back
    // in the EPs' order.
    let per_ep: Vec<Vec<Diagnostic>> = eps
        .par_iter()
        .map(|ep| one_ep(ep, &index, template, cfg, today))
        .collect();
    per_ep.into_iter().flatten().collect()
}

/// Every rule over one EP.
fn one_ep(
    ep: &Ep,
    index: &Index<'_>,
    template: Option<&Template>,
    cfg: &EpConfig,
    today: Date,
) -> Vec<Diagnostic> {
    // A rule the book sets to `allow` is not run: its problems would all be dropped.
    let on = |rules: &[Rule]| cfg.policy.runs_any(rules);
    let mut d = Vec::new();
    if on(&[Rule::DraftName]) {
        draft_name(ep, &mut d);
    }
    if on(&[Rule::UnclosedToc]) {
        toc_markers(ep, &mut d);
    }
    // Metadata that does not parse has one error, its syntax (reported while reading). Every
    // other rule needs the metadata: which fields are there, the state that decides the
    // required sections, the exemptions. Checking without it would bury the one real problem
    // under false ones.
    if !ep.meta.unreadable {
        if on(&[Rule::MissingField]) {
            required_fields(ep, &mut d);
        }
        if on(&[Rule::DateOrder, Rule::FutureDate]) {
            dates(ep, today, &mut d);
        }
        if on(&[Rule::DuplicateNumber, Rule::NumberMismatch]) {
            numbering(ep, index, &mut d);
        }
        if on(&[Rule::SigMismatch, Rule::UnknownSig]) {
            sigs(ep, cfg, &mut d);
        }
        if on(&[Rule::UnknownReference]) {
            references(ep, index, &mut d);
        }
        if on(&[
            Rule::OneWayReplacement,
            Rule::ReplacedWithoutSuccessor,
            Rule::SuccessorWithoutReplacement,
        ]) {
            replacement(ep, index, &mut d);
        }
        if on(&[Rule::ReplacementCycle]) {
            replacement_cycle(ep, index, &mut d);
        }
        if on(&[Rule::TitleMismatch]) {
            title_heading(ep, &mut d);
        }
        if on(&[Rule::MissingApprovers]) {
            approvers(ep, &mut d);
        }
        if on(&[Rule::UnregisteredApprover]) {
            registered_approvers(ep, cfg, &mut d);
        }
        if on(&[Rule::UnreviewedSig]) {
            participating_reviewers(ep, cfg, &mut d);
        }
        if let Some(t) = template
            && on(&[
                Rule::MissingSection,
                Rule::RenamedSection,
                Rule::UnfinishedSection,
            ])
        {
            sections(ep, t, index, on(&[Rule::UnfinishedSection]), &mut d);
        }
    }
    d.into_iter().map(|d| d.for_ep(&ep.shown)).collect()
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
        // Written but saying nothing (`title: ""`, `authors: []`) is as good as missing; the
        // fix is a value on that line, not a second key.
        let empty = ep.meta.blank.iter().find(|(k, _)| *k == key);
        if let Some((_, pos)) = empty {
            let name = ep.meta.name(key);
            let value = example.split_once(": ").map_or("", |(_, v)| v);
            out.push(
                Diagnostic::new(
                    Rule::MissingField,
                    format!("required field `{name}` is empty"),
                )
                .at(meta_loc(ep, *pos))
                .help(format!("give it a value: `{name}: {value}`")),
            );
        } else if !given {
            out.push(
                Diagnostic::new(
                    Rule::MissingField,
                    format!("required field `{}` is missing", ep.meta.name(key)),
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
                .help(match ep.number() {
                    // The command records the link on both EPs at once.
                    Some(n) => format!(
                        "run `mdbook-ep state {n} replaced --by NNNN` with the EP that replaced this one (it records the link on both)"
                    ),
                    None => format!(
                        "add `{}: [NNNN]` naming the EP that replaced this one",
                        m.name(Key::ReplacedBy)
                    ),
                }),
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

/// An EP's title is its metadata's: the sidebar, the indexes, `<title>` and links from other
/// EPs use it. A heading written over the page that says something else gives the reader two
/// names for one EP. A label before the title (`EP-0042:`, `KEP-1234:`), case, spacing and
/// punctuation are not differences.
fn title_heading(ep: &Ep, out: &mut Vec<Diagnostic>) {
    let (Some(title), Some(h1)) = (&ep.meta.title, ep.outline.leading_h1()) else {
        return;
    };
    // The heading as written, or without this EP's own label (`EP-0042:` on EP 42, `KEP-42:`).
    let heading = words(&h1.text);
    if heading == words(&title.value)
        || words(without_label(&h1.text, ep.number())) == words(&title.value)
    {
        return;
    }
    let heading = match ep.number() {
        Some(_) => format!("# {}: {}", ep.label(), title.value),
        None => format!("# {}", title.value),
    };
    out.push(
        Diagnostic::new(
            Rule::TitleMismatch,
            format!(
                "the page's heading \"{}\" is not the EP's title \"{}\"",
                h1.text, title.value
            ),
        )
        .at(file_loc(ep, ep.file_line(h1.line)))
        .help(format!(
            "the title names the EP in the sidebar, the indexes and links; make the heading `{heading}`, change `{}:`, or remove the heading (one is written from the metadata)",
            ep.meta.name(Key::Title)
        )),
    );
}

/// A heading without a leading label naming this EP's number (`EP-0042:`, `KEP-42:`,
/// `RFC 42:` on EP 42); any other heading as it is, so a title such as `IPv6: everywhere`
/// keeps its first word.
fn without_label(heading: &str, number: Option<u32>) -> &str {
    let (Some((label, rest)), Some(number)) = (heading.split_once(':'), number) else {
        return heading;
    };
    let label = label.trim();
    let digits = label.trim_start_matches(|c: char| !c.is_ascii_digit());
    let letters = label[..label.len() - digits.len()].trim_end_matches(['-', ' ']);
    let is_label = !letters.is_empty()
        && letters.len() <= 6
        && letters.chars().all(|c| c.is_ascii_alphabetic())
        && digits.parse::<u32>().is_ok_and(|n| n == number);
    if is_label { rest } else { heading }
}

/// Text reduced to its lowercase words, for comparing two spellings of one title.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
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
pub(crate) fn exempt_hint(ep: &Ep, rule: Rule) -> String {
    let entry = format!("{}: \"<why this EP is exempt>\"", rule.code());
    if ep.meta.exempt.is_empty() {
        format!("exempt it: add `exempt: {{{entry}}}` to its metadata")
    } else {
        format!("exempt it: add `{entry}` to its `exempt:` entries")
    }
}

/// `index` holds `template`'s titles reduced for comparing. `unfinished_on`: whether to look
/// for required sections left unfinished (EP0604).
fn sections(
    ep: &Ep,
    template: &Template,
    index: &Index<'_>,
    unfinished_on: bool,
    out: &mut Vec<Diagnostic>,
) {
    debug_assert_eq!(index.sections.len(), template.sections.len());
    // Each heading's comparison key, indexed like `ep.outline.headings`.
    let keys: Vec<String> = ep
        .outline
        .headings
        .iter()
        .map(|h| section_key(&h.text))
        .collect();
    let line_of = |i: usize| ep.file_line(ep.outline.headings[i].line);
    // Reduced once per heading, not once per heading and section.
    let mut loose_headings: Option<Vec<Loose>> = None;
    let have: HashMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    // Headings that are a template section as written cannot stand in for another one.
    let exact: Vec<bool> = keys
        .iter()
        .map(|k| index.section_keys.contains(k.as_str()))
        .collect();
    let state = ep.state();
    let fallback = ep
        .outline
        .leading_h1()
        .map_or(ep.body_line, |h| ep.file_line(h.line));
    let mut last_found: Option<(&str, usize)> = None;
    let mut seen = HashSet::new();
    let mut renamed_used = vec![false; keys.len()];
    for (section, wanted) in template.sections.iter().zip(&index.sections) {
        if !seen.insert(section.key.as_str()) {
            continue;
        }
        if let Some(&i) = have.get(section.key.as_str()) {
            last_found = Some((&section.title, line_of(i)));
            if unfinished_on {
                unfinished(ep, section, i, template, out);
            }
            continue;
        }
        let loose_headings =
            loose_headings.get_or_insert_with(|| keys.iter().map(|k| Loose::new(k)).collect());
        let renamed = (0..keys.len())
            .find(|&i| !exact[i] && !renamed_used[i] && same_words(&loose_headings[i], wanted));
        if let Some(i) = renamed {
            renamed_used[i] = true;
            let (text, line) = (&ep.outline.headings[i].text, line_of(i));
            last_found = Some((&section.title, line));
            if unfinished_on {
                unfinished(ep, section, i, template, out);
            }
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
            // A section required only from a later state already has its marker.
            let markers = match section.requirement {
                crate::read::template::Requirement::From(_) => "`<!-- optional -->`",
                _ => "`<!-- optional -->` or `<!-- required-from: implementable -->`",
            };
            format!(
                "; if not every EP needs it, mark it in the template ({}:{}) with {markers}",
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
    let subsections = whole[own.len().min(whole.len())..]
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'));
    if has_words(subsections) {
        return;
    }
    let what = if !has_words(own.lines()) {
        "is empty"
    } else if words_are(own, &section.text) {
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
    same_words(&Loose::new(heading), &Loose::new(section))
}

/// A title reduced by [`loose`], with its length in characters and its characters counted in
/// 64 buckets: what the shortcuts of [`same_words`] need, counted once per title. A KEP that
/// lacks most of a long template compares every missing section with every heading.
struct Loose {
    words: String,
    chars: usize,
    letters: [u32; 64],
}

impl Loose {
    fn new(key: &str) -> Loose {
        Loose::of_words(loose(key))
    }

    fn of_words(words: String) -> Loose {
        let mut letters = [0u32; 64];
        let mut chars = 0;
        for c in words.chars() {
            letters[c as usize % 64] += 1;
            chars += 1;
        }
        Loose {
            words,
            chars,
            letters,
        }
    }
}

/// Whether a heading is a template section under another spelling (both reduced by
/// [`loose`]): the same words ignoring case, punctuation, `&` for `and` and a plural `s`, or a
/// small typo in a longer title.
fn same_words(a: &Loose, b: &Loose) -> bool {
    // An empty title is no section; one empty and one not differ in length anyway.
    if a.words == b.words {
        return !a.words.is_empty();
    }
    lengths_allow_a_match(a.chars, b.chars)
        && letters_allow_a_match(a, b)
        && strsim::normalized_damerau_levenshtein(&a.words, &b.words) >= 0.85
}

/// A second shortcut, for titles of about the same length: an insertion or deletion changes
/// the count of one character by one, a substitution two counts by one each, a transposition
/// none; so the distance is at least half the difference of the two titles' character counts
/// (here counted in 64 buckets, which can only make that difference smaller). Two headings of
/// one template that share a length differ in their letters, and stop here.
fn letters_allow_a_match(a: &Loose, b: &Loose) -> bool {
    let differ: usize = a
        .letters
        .iter()
        .zip(&b.letters)
        .map(|(x, y)| x.abs_diff(*y) as usize)
        .sum();
    differ.div_ceil(2) * 100 <= a.chars.max(b.chars) * 15
}

/// A similarity of 0.85 needs lengths within 15% of each other: most pairs stop here, before
/// the quadratic edit distance. Only a shortcut (the distance gives the same answer without
/// it), so `.cargo/mutants.toml` leaves it out: its mutants change speed, not results.
fn lengths_allow_a_match(la: usize, lb: usize) -> bool {
    la.abs_diff(lb) * 100 <= la.max(lb) * 15
}

/// A section title reduced to its words: lowercase, `&` read as `and`, punctuation dropped,
/// a word's plural `s` dropped.
fn loose(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    let mut push = |w: &str| {
        let w = match w.strip_suffix('s') {
            Some(stem) if stem.chars().count() >= 3 && !stem.ends_with('s') => stem,
            _ => w,
        };
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    };
    for (i, part) in key.split('&').enumerate() {
        if i > 0 {
            push("and");
        }
        part.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .for_each(&mut push);
    }
    out
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

/// From `implementable` on, each participating SIG has had its say: someone from its registry
/// entry reviews or approves the EP. A SIG the registry lists without people is not asked.
fn participating_reviewers(ep: &Ep, cfg: &EpConfig, out: &mut Vec<Diagnostic>) {
    let Some(state) = &ep.meta.state else { return };
    if !state.value.is_approved() || state.value.is_exit() {
        return;
    }
    let m = &ep.meta;
    for sig in &m.participating_sigs {
        let Some(entry) = cfg.sigs.get(&sig.value) else {
            continue; // EP0305 reports a SIG the registry does not know.
        };
        let theirs: Vec<&String> = entry.reviewers.iter().chain(&entry.approvers).collect();
        if theirs.is_empty()
            || m.reviewers
                .iter()
                .chain(&m.approvers)
                .any(|p| theirs.iter().any(|t| same_person(t, &p.value)))
        {
            continue;
        }
        let who = ep
            .number()
            .map_or_else(|| ep.shown.display().to_string(), |n| n.to_string());
        out.push(
            Diagnostic::new(
                Rule::UnreviewedSig,
                format!(
                    "participating SIG `{}` has nobody among the reviewers or approvers of an EP that is `{}`",
                    sig.value, state.value
                ),
            )
            .at(meta_loc(ep, sig.pos))
            .help(format!(
                "ask one of {} and list them under `reviewers:`; `mdbook-ep assign {who} --write` picks the least loaded",
                theirs.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
            )),
        );
    }
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
    use crate::dialect::MarkdownFlags;
    use crate::read::ep::testing::ep;

    /// An EP's text: the required metadata (lines 2-5 of the file) then `extra` lines, then the
    /// body.
    fn text(extra: &str, body: &str) -> String {
        format!(
            "---\ntitle: X\nauthors: [ann]\nowning-sig: a\ncreation-date: 2026-01-10\n{extra}---\n# X\n{body}"
        )
    }

    /// Every diagnostic of the book `files` as `CODE file:line message`, sorted; the day is
    /// 2026-02-01.
    fn check(files: &[(&str, String)], template: Option<&str>, cfg: &EpConfig) -> Vec<String> {
        let eps: Vec<Ep> = files.iter().map(|(p, t)| ep(p, t)).collect();
        let template = template.map(|t| {
            crate::read::template::parse(
                t,
                "src/eps/template/README.md".into(),
                MarkdownFlags::default(),
            )
            .0
        });
        let today = Date::parse("2026-02-01").unwrap();
        let mut out: Vec<String> = validate(&eps, template.as_ref(), cfg, today)
            .iter()
            .map(|d| {
                let at = d.location.as_ref().map_or(String::new(), |l| {
                    format!("{}:{}", l.file.display(), l.line)
                });
                format!("{} {at} {}", d.rule.code(), d.message)
            })
            .collect();
        out.sort();
        out
    }

    fn one(path: &str, extra: &str) -> Vec<String> {
        check(&[(path, text(extra, ""))], None, &EpConfig::default())
    }

    #[test]
    fn a_complete_ep_has_no_problems() {
        assert_eq!(
            one("a/0001-x/README.md", "number: 1\nstate: provisional\n"),
            Vec::<String>::new()
        );
        assert_eq!(
            one("a/draft-2026-01-10-x.md", "state: provisional\n"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn required_fields() {
        let out = check(
            &[(
                "a/0001-x/README.md",
                "---\ntitle: X\n---\n# X\n".to_string(),
            )],
            None,
            &EpConfig::default(),
        );
        let file = "src/eps/a/0001-x/README.md:2";
        assert_eq!(
            out,
            [
                format!("EP0103 {file} required field `authors` is missing"),
                format!("EP0103 {file} required field `creation-date` is missing"),
                format!("EP0103 {file} required field `number` is missing"),
                format!("EP0103 {file} required field `owning-sig` is missing"),
                format!("EP0103 {file} required field `state` is missing"),
            ]
        );
        // Written but empty is reported too.
        let out = check(
            &[(
                "a/draft-2026-01-10-x.md",
                "---\ntitle: \"\"\nauthors: []\nowning-sig: a\ncreation-date: 2026-01-10\nstate: provisional\n---\n# X\n".to_string(),
            )],
            None,
            &EpConfig::default(),
        );
        let file = "src/eps/a/draft-2026-01-10-x.md";
        assert_eq!(
            out,
            [
                format!("EP0103 {file}:2 required field `title` is empty"),
                format!("EP0103 {file}:3 required field `authors` is empty"),
            ]
        );
        // A draft has no number yet.
        let out = check(
            &[("a/draft-2026-01-10-x.md", text("state: provisional\n", ""))],
            None,
            &EpConfig::default(),
        );
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn dates_in_order_and_not_in_the_future() {
        let file = "src/eps/a/0001-x/README.md";
        let base = "number: 1\nstate: provisional\n";
        // The same day, and today, are fine.
        assert!(
            one(
                "a/0001-x/README.md",
                &format!("{base}last-updated: 2026-01-10\n")
            )
            .is_empty()
        );
        assert!(
            one(
                "a/0001-x/README.md",
                &format!("{base}last-updated: 2026-02-01\n")
            )
            .is_empty()
        );
        assert_eq!(
            one(
                "a/0001-x/README.md",
                &format!("{base}last-updated: 2026-01-09\n")
            ),
            [format!(
                "EP0202 {file}:8 `last-updated` (2026-01-09) is before `creation-date` (2026-01-10)"
            )]
        );
        assert_eq!(
            one(
                "a/0001-x/README.md",
                &format!("{base}last-updated: 2026-02-02\n")
            ),
            [format!(
                "EP0203 {file}:8 `last-updated` (2026-02-02) is in the future"
            )]
        );
    }

    #[test]
    fn a_duplicate_number_suggests_the_next_free_one() {
        // 2 is taken twice, 3 and 4 once: the next free number after 2 is 5.
        let files = [
            ("a/0002-x/README.md", 2),
            ("b/0002-y/README.md", 2),
            ("a/0003-z/README.md", 3),
            ("a/0004-w/README.md", 4),
        ];
        let eps: Vec<Ep> = files
            .iter()
            .map(|(path, n)| {
                let sig = &path[..1];
                let text = text(&format!("number: {n}\nstate: provisional\n"), "")
                    .replace("owning-sig: a", &format!("owning-sig: {sig}"));
                ep(path, &text)
            })
            .collect();
        let today = Date::parse("2026-02-01").unwrap();
        let helps: Vec<String> = validate(&eps, None, &EpConfig::default(), today)
            .into_iter()
            .filter(|d| d.rule == Rule::DuplicateNumber)
            .filter_map(|d| d.help)
            .collect();
        assert_eq!(helps, ["give one of them a free number, e.g. EP-0005"; 2]);
    }

    #[test]
    fn numbers_are_unique_and_match_their_folder() {
        let ok = text("number: 1\nstate: provisional\n", "");
        let out = check(
            &[
                ("a/0001-x/README.md", ok.clone()),
                (
                    "b/0001-y/README.md",
                    ok.replace("owning-sig: a", "owning-sig: b"),
                ),
            ],
            None,
            &EpConfig::default(),
        );
        assert_eq!(
            out,
            [
                "EP0301 src/eps/a/0001-x/README.md:1 EP-0001 is also used by `src/eps/b/0001-y/README.md`",
                "EP0301 src/eps/b/0001-y/README.md:1 EP-0001 is also used by `src/eps/a/0001-x/README.md`",
            ]
        );
        assert_eq!(
            one("a/0001-x/README.md", "number: 2\nstate: provisional\n"),
            ["EP0302 src/eps/a/0001-x/README.md:6 `number` is 2 but the folder says 1"]
        );
    }

    #[test]
    fn drafts_are_named_by_their_date() {
        assert_eq!(
            one("a/draft-x.md", "state: provisional\n"),
            [
                "EP0303 src/eps/a/draft-x.md:1 draft file name `draft-x.md` is not `draft-YYYY-MM-DD-slug.md` with a real date"
            ]
        );
    }

    #[test]
    fn sigs_match_the_folder_and_the_registry() {
        let mut cfg = EpConfig::default();
        cfg.sigs.insert("a".into(), Default::default());
        cfg.sigs.insert("data".into(), Default::default());
        let out = check(
            &[(
                "a/0001-x/README.md",
                text(
                    "number: 1\nstate: provisional\nparticipating-sigs: [dta]\n",
                    "",
                )
                .replace("owning-sig: a", "owning-sig: b"),
            )],
            None,
            &cfg,
        );
        assert_eq!(
            out,
            [
                "EP0304 src/eps/a/0001-x/README.md:4 `owning-sig` is \"b\" but the EP is in the `a` folder",
                "EP0305 src/eps/a/0001-x/README.md:4 SIG \"b\" is not in the SIG registry",
                "EP0305 src/eps/a/0001-x/README.md:8 SIG \"dta\" is not in the SIG registry",
            ]
        );
    }

    #[test]
    fn links_name_existing_other_eps() {
        assert_eq!(
            one(
                "a/0001-x/README.md",
                "number: 1\nstate: provisional\nsee-also: [9, 1, \"https://x.org\"]\n"
            ),
            [
                "EP0401 src/eps/a/0001-x/README.md:8 `see-also` names EP-0009, which does not exist",
                "EP0401 src/eps/a/0001-x/README.md:8 `see-also` names this EP itself",
            ]
        );
    }

    #[test]
    fn replacements_are_recorded_on_both_sides_without_cycles() {
        let ep = |n: u32, extra: &str| {
            (
                [
                    "",
                    "a/0001-x/README.md",
                    "a/0002-y/README.md",
                    "a/0003-z/README.md",
                ][n as usize],
                text(&format!("number: {n}\n{extra}"), ""),
            )
        };
        let cfg = EpConfig::default();
        // Replaced without a successor; a successor without the state.
        assert_eq!(
            check(&[ep(1, "state: replaced\n")], None, &cfg),
            [
                "EP0402 src/eps/a/0001-x/README.md:7 `state` is `replaced` but `replaced-by` is empty"
            ]
        );
        assert_eq!(
            check(
                &[
                    ep(1, "state: provisional\nreplaced-by: [2]\n"),
                    ep(2, "state: provisional\nreplaces: [1]\n")
                ],
                None,
                &cfg
            ),
            [
                "EP0405 src/eps/a/0001-x/README.md:7 `replaced-by` is set but `state` is `provisional`"
            ]
        );
        // One way only, from either side.
        assert_eq!(
            check(
                &[
                    ep(1, "state: replaced\nreplaced-by: [2]\n"),
                    ep(2, "state: provisional\n")
                ],
                None,
                &cfg
            ),
            [
                "EP0403 src/eps/a/0001-x/README.md:8 `replaced-by` names EP-0002 but EP-0002 does not list EP-0001 in `replaces`"
            ]
        );
        assert_eq!(
            check(
                &[
                    ep(1, "state: provisional\n"),
                    ep(2, "state: provisional\nreplaces: [1]\n")
                ],
                None,
                &cfg
            ),
            [
                "EP0403 src/eps/a/0002-y/README.md:8 `replaces` names EP-0001 but EP-0001 does not list EP-0002 in `replaced-by`"
            ]
        );
        // Both sides agree: nothing.
        assert!(
            check(
                &[
                    ep(1, "state: replaced\nreplaced-by: [2]\n"),
                    ep(2, "state: provisional\nreplaces: [1]\n")
                ],
                None,
                &cfg
            )
            .is_empty()
        );
        // A cycle through three EPs is reported on each.
        let cycle = check(
            &[
                ep(1, "state: replaced\nreplaced-by: [2]\nreplaces: [3]\n"),
                ep(2, "state: replaced\nreplaced-by: [3]\nreplaces: [1]\n"),
                ep(3, "state: replaced\nreplaced-by: [1]\nreplaces: [2]\n"),
            ],
            None,
            &cfg,
        );
        assert_eq!(
            cycle,
            [
                "EP0406 src/eps/a/0001-x/README.md:8 `replaced-by` leads back to EP-0001: EP-0001 -> EP-0002 -> EP-0003 -> EP-0001",
                "EP0406 src/eps/a/0002-y/README.md:8 `replaced-by` leads back to EP-0002: EP-0002 -> EP-0003 -> EP-0001 -> EP-0002",
                "EP0406 src/eps/a/0003-z/README.md:8 `replaced-by` leads back to EP-0003: EP-0003 -> EP-0001 -> EP-0002 -> EP-0003",
            ]
        );
        // A chain that ends at an EP in force is no cycle.
        assert!(
            check(
                &[
                    ep(1, "state: replaced\nreplaced-by: [2]\n"),
                    ep(2, "state: replaced\nreplaced-by: [3]\nreplaces: [1]\n"),
                    ep(3, "state: provisional\nreplaces: [2]\n")
                ],
                None,
                &cfg
            )
            .is_empty()
        );
    }

    #[test]
    fn approved_eps_name_registered_approvers() {
        let mut cfg = EpConfig::default();
        cfg.sigs.insert(
            "a".into(),
            crate::read::config::Sig {
                approvers: vec!["@Bo".into()],
                ..Default::default()
            },
        );
        let file = "src/eps/a/0001-x/README.md";
        let run = |extra: &str| {
            check(
                &[(
                    "a/0001-x/README.md",
                    text(&format!("number: 1\n{extra}"), ""),
                )],
                None,
                &cfg,
            )
        };
        assert_eq!(
            run("state: implementable\napprovers: [TBD]\n"),
            [format!(
                "EP0501 {file}:7 an EP in state `implementable` needs approvers, but none are named"
            )]
        );
        assert_eq!(
            run("state: provisional\napprovers: [cy]\n"),
            [format!(
                "EP0502 {file}:8 \"cy\" is not an approver of SIG `a`"
            )]
        );
        // Handles match without `@` and case; TBD is never reported as unregistered.
        assert!(run("state: implementable\napprovers: [bo, \"@TBD\"]\n").is_empty());
        assert!(run("state: provisional\n").is_empty());
    }

    #[test]
    fn template_sections_are_present_and_written() {
        let template = "# Title\n\n## Summary\n\nWhat it is.\n\n## Design Details\n<!-- required-from: implementable -->\n\nHow.\n\n## Notes (Optional)\n";
        let cfg = EpConfig::default();
        let run = |state: &str, body: &str| {
            check(
                &[(
                    "a/0001-x/README.md",
                    text(
                        &format!("number: 1\nstate: {state}\napprovers: [ann]\n"),
                        body,
                    ),
                )],
                Some(template),
                &cfg,
            )
        };
        let file = "src/eps/a/0001-x/README.md";
        // Provisional: only Summary is required.
        assert_eq!(
            run("provisional", "\nText.\n"),
            [format!(
                "EP0601 {file}:10 missing section \"Summary\", which the template requires"
            )]
        );
        assert!(run("provisional", "\n## Summary\n\nOurs.\n").is_empty());
        // From implementable: Design Details too, and both must say something of their own.
        assert_eq!(
            run("implementable", "\n## Summary\n\nOurs.\n"),
            [format!(
                "EP0601 {file}:12 missing section \"Design Details\", which the template requires from state `implementable` on"
            )]
        );
        assert_eq!(
            run(
                "implementable",
                "\n## Summary\n\nWhat it is.\n\n## Design Details\n"
            ),
            [
                format!(
                    "EP0604 {file}:12 section \"Summary\" still holds the template's text, in an EP that is `implementable`"
                ),
                format!(
                    "EP0604 {file}:16 section \"Design Details\" is empty, in an EP that is `implementable`"
                ),
            ]
        );
        // A subsection heading without words is no writing: the section's own words are
        // still the template's.
        assert_eq!(
            run(
                "implementable",
                "\n## Summary\n\nWhat it is.\n\n### Notes\n\n## Design Details\n\nOurs.\n"
            ),
            [format!(
                "EP0604 {file}:12 section \"Summary\" still holds the template's text, in an EP that is `implementable`"
            )]
        );
        // The help for a section already marked `required-from` offers only `optional`.
        let eps = [ep(
            "a/0001-x/README.md",
            &text(
                "number: 1\nstate: implementable\napprovers: [ann]\n",
                "\n## Summary\n\nOurs.\n",
            ),
        )];
        let template = crate::read::template::parse(
            template,
            "src/eps/template/README.md".into(),
            MarkdownFlags::default(),
        )
        .0;
        let today = Date::parse("2026-02-01").unwrap();
        let helps: Vec<String> = validate(&eps, Some(&template), &cfg, today)
            .into_iter()
            .filter_map(|d| d.help)
            .collect();
        assert_eq!(
            helps,
            [
                "add a `## Design Details` section after \"Summary\"; if not every EP needs it, mark it in the template (src/eps/template/README.md:7) with `<!-- optional -->`"
            ]
        );
        // Words in a subsection count as written.
        assert!(
            run(
                "implementable",
                "\n## Summary\n\n### Scope\n\nOurs.\n\n## Design Details\n\nOurs.\n"
            )
            .is_empty()
        );
        // Another spelling counts as present, and says so.
        assert_eq!(
            run("provisional", "\n## Summery\n\nOurs.\n"),
            [format!(
                "EP0603 {file}:12 section \"Summery\" is the template's \"Summary\" under another spelling"
            )]
        );
    }

    #[test]
    fn the_heading_says_the_title() {
        let run = |body: &str| {
            check(
                &[(
                    "a/0001-x/README.md",
                    text("number: 1\nstate: provisional\n", body),
                )],
                None,
                &EpConfig::default(),
            )
        };
        // `text` writes `# X` over the body; the title is `X`.
        assert!(run("").is_empty());
        for same in ["# EP-0001: X\n", "# KEP-1: x\n", "# x.\n"] {
            let out = check(
                &[(
                    "a/0001-x/README.md",
                    text("number: 1\nstate: provisional\n", "").replace("# X\n", same),
                )],
                None,
                &EpConfig::default(),
            );
            assert!(out.is_empty(), "{same}: {out:?}");
        }
        let other = check(
            &[(
                "a/0001-x/README.md",
                text("number: 1\nstate: provisional\n", "").replace("# X\n", "# EP-0001: Y\n"),
            )],
            None,
            &EpConfig::default(),
        );
        assert_eq!(
            other,
            [
                "EP0605 src/eps/a/0001-x/README.md:9 the page's heading \"EP-0001: Y\" is not the EP's title \"X\""
            ]
        );
        // A colon that is part of the title is no label.
        assert_eq!(
            without_label("Caches: warm and cold", Some(7)),
            "Caches: warm and cold"
        );
        assert_eq!(without_label("RFC 7: Caches", Some(7)), " Caches");
        assert_eq!(without_label("EP-0007: Caches", Some(7)), " Caches");
        // Another EP's label, a draft, a placeholder: not this EP's label.
        assert_eq!(without_label("EP-0042: Caches", Some(7)), "EP-0042: Caches");
        assert_eq!(without_label("EP-0007: Caches", None), "EP-0007: Caches");
        assert_eq!(without_label("EP-NNNN: Title", Some(7)), "EP-NNNN: Title");
        // A title that starts like a label is compared as written.
        for title in ["IPv6: everywhere", "Phase 2: rollout", "OAuth2: tokens"] {
            let out = check(
                &[(
                    "a/0001-x/README.md",
                    text("number: 1\nstate: provisional\n", "")
                        .replace("title: X", &format!("title: '{title}'"))
                        .replace("# X\n", &format!("# {title}\n")),
                )],
                None,
                &EpConfig::default(),
            );
            assert!(out.is_empty(), "{title}: {out:?}");
        }
    }

    #[test]
    fn an_unclosed_toc_marker_is_reported() {
        let out = check(
            &[(
                "a/0001-x/README.md",
                text(
                    "number: 1\nstate: provisional\n",
                    "\n<!-- toc -->\n\n## A\n",
                ),
            )],
            None,
            &EpConfig::default(),
        );
        assert_eq!(
            out,
            [
                "EP0602 src/eps/a/0001-x/README.md:11 `<!-- toc -->` is never closed with `<!-- /toc -->`"
            ]
        );
    }

    #[test]
    fn loose_titles_drop_plurals_but_not_short_or_double_s_words() {
        for (title, loosened) in [
            ("Risks & Mitigations", "risk and mitigation"),
            ("Test Plans", "test plan"),
            ("Bus", "bus"),
            ("Yes", "yes"),
            ("Class", "class"),
            ("Process", "process"),
            ("Goals", "goal"),
            ("Non-Goals", "non goal"),
        ] {
            assert_eq!(loose(&section_key(title)), loosened, "{title}");
        }
    }

    #[test]
    fn help_texts_that_lead_to_the_fix() {
        let cfg = EpConfig::default();
        let helps = |files: &[(&str, String)]| -> Vec<String> {
            let eps: Vec<Ep> = files.iter().map(|(p, t)| ep(p, t)).collect();
            let today = Date::parse("2026-02-01").unwrap();
            let mut out: Vec<String> = validate(&eps, None, &cfg, today)
                .into_iter()
                .map(|d| format!("{} {}", d.rule.code(), d.help.unwrap_or_default()))
                .collect();
            out.sort();
            out
        };
        // A draft name without a real date: the help keeps the slug, dropping a broken date.
        assert_eq!(
            helps(&[("a/draft-2026-1-x.md", text("state: provisional\n", ""))]),
            ["EP0303 rename it to `draft-2026-01-10-x.md`"]
        );
        // A closed EP without approvers can only be exempted; the help gives the exact entry.
        assert_eq!(
            helps(&[(
                "a/0001-x/README.md",
                text("number: 1\nstate: completed\n", "")
            )]),
            [
                "EP0501 list who approved it under `approvers:`; if that was never recorded, exempt it: add `exempt: {EP0501: \"<why this EP is exempt>\"}` to its metadata"
            ]
        );
        // An EP replaced by itself is one EP0401, not also a one-way replacement.
        assert_eq!(
            helps(&[(
                "a/0001-x/README.md",
                text("number: 1\nstate: replaced\nreplaced-by: [1]\n", "")
            )]),
            [
                "EP0401 an EP cannot link to itself; remove the entry",
                "EP0406 an EP cannot be replaced by one it replaces; fix `replaced-by` on one of them"
            ]
        );
    }

    #[test]
    fn the_letter_shortcut_never_refuses_what_the_edit_distance_accepts() {
        let titles = [
            "production readiness review questionnaire",
            "graduation criteria",
            "design detail",
            "risk and mitigation",
            "upgrade downgrade strategy",
            "version skew strategy",
            "implementation history",
            "test plan",
            "alternative",
            "summary",
        ];
        // Every title, and each of its one-edit variants (deleted, swapped, replaced and
        // inserted characters), against every title.
        let mut variants: Vec<String> = Vec::new();
        for t in titles {
            let chars: Vec<char> = t.chars().collect();
            for i in 0..chars.len() {
                let mut v = chars.clone();
                v.remove(i);
                variants.push(v.iter().collect());
                let mut v = chars.clone();
                v[i] = 'q';
                variants.push(v.iter().collect());
                let mut v = chars.clone();
                v.insert(i, 'z');
                variants.push(v.iter().collect());
                if i + 1 < chars.len() {
                    let mut v = chars.clone();
                    v.swap(i, i + 1);
                    variants.push(v.iter().collect());
                }
            }
        }
        let mut accepted = 0;
        let words = |w: &str| Loose::of_words(w.to_string());
        for a in &variants {
            for b in titles {
                if strsim::normalized_damerau_levenshtein(a, b) >= 0.85 {
                    accepted += 1;
                    assert!(letters_allow_a_match(&words(a), &words(b)), "{a} / {b}");
                }
            }
        }
        assert!(accepted > 300, "{accepted}");
        assert!(!letters_allow_a_match(
            &words("test plan"),
            &words("tset xyzq")
        ));
    }

    /// `loose` builds its words in one pass; it reads as replacing `&` with ` and ` and joining
    /// the words, which is what it did before.
    #[test]
    fn loose_is_the_words_with_and_for_ampersands() {
        let joined = |key: &str| {
            key.replace('&', " and ")
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(|w| match w.strip_suffix('s') {
                    Some(stem) if stem.chars().count() >= 3 && !stem.ends_with('s') => stem,
                    _ => w,
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        for key in [
            "",
            "&",
            "&&",
            "a&b",
            "risks & mitigations",
            "tests&",
            "&plans",
            "q&a: notes",
            "Über-Tests  & Pläne",
            "class  glass's",
            "  ",
            "x&&y",
            "alternatives",
        ] {
            assert_eq!(loose(key), joined(key), "{key:?}");
        }
    }

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

//! Per-EP exemptions (`exempt:` in the metadata): each one, with its reason, joins the policy;
//! a malformed one is itself a problem (EP0701).

use crate::diagnostic::{Diagnostic, Policy, Rule};
use crate::read::ep::Ep;

/// Adds each EP's exemptions to the policy; a malformed exemption is itself a problem.
pub(crate) fn exemptions(eps: &[Ep], policy: &mut Policy) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for ep in eps {
        for (code, reason) in &ep.meta.exempt {
            let at = ep.meta_at(code.pos);
            match Rule::from_code(&code.value) {
                None => out.push(
                    Diagnostic::new(
                        Rule::BadExemption,
                        format!("exemption names unknown rule `{}`", code.value),
                    )
                    .at(at)
                    .help("name a rule by its code, e.g. `EP0601`; the error index lists them")
                    .for_ep(&ep.shown),
                ),
                // An exemption from the rule that checks exemptions would hide its own typos.
                Some(Rule::BadExemption) => out.push(
                    Diagnostic::new(
                        Rule::BadExemption,
                        format!("`{}` cannot be exempted", code.value),
                    )
                    .at(at)
                    .help("fix the exemption it reports instead, or lower `EP0701` in `[preprocessor.ep.rules]`")
                    .for_ep(&ep.shown),
                ),
                Some(_) if reason.is_empty() => out.push(
                    Diagnostic::new(
                        Rule::BadExemption,
                        format!("exemption from `{}` gives no reason", code.value),
                    )
                    .at(at)
                    .help(format!(
                        "say why, e.g. `{}: \"predates the rule\"`",
                        code.value
                    ))
                    .for_ep(&ep.shown),
                ),
                Some(rule) => {
                    policy
                        .exemptions
                        .entry(ep.shown.clone())
                        .or_default()
                        .insert(rule, reason.clone());
                }
            }
        }
    }
    out
}

//! mdBook's preprocessor protocol: `[context, book]` on stdin, the book on stdout.

use std::io::{Read, Write};

use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::Book;

use semver::{Version, VersionReq};

use crate::diagnostic::color_choice;
use crate::error::{Error, Result};
use crate::model::Date;
use crate::preprocessor::process;
use crate::renderer::render;

/// The mdBook versions whose JSON this build understands.
pub(super) const SUPPORTED: &str = ">=0.5.0, <0.6.0";

/// Checks the host's version when its JSON did not parse as this build's types, so an mdBook
/// 0.4 or 0.6 gets one clear line instead of a serde error about a field it renamed.
pub(super) fn check_version(input: &serde_json::Value) -> Result<()> {
    let found = input
        .get(0)
        .and_then(|ctx| ctx.get("mdbook_version"))
        .and_then(|v| v.as_str())
        .ok_or_else(|| {
            Error::Protocol("expected a JSON array `[context, book]` with `mdbook_version`".into())
        })?;
    supported(found)
}

/// Whether `found`, the calling mdBook's version, is one this build understands.
fn supported(found: &str) -> Result<()> {
    let req = VersionReq::parse(SUPPORTED).map_err(|e| Error::Protocol(e.to_string()))?;
    if Version::parse(found).is_ok_and(|v| req.matches(&v)) {
        Ok(())
    } else {
        Err(Error::UnsupportedMdbook {
            ours: env!("CARGO_PKG_VERSION").to_string(),
            found: found.to_string(),
        })
    }
}

/// Runs one pass over stdin/stdout: as a preprocessor when mdBook sends `[context, book]`, as
/// the `[output.ep]` renderer when it sends a render context (an object with `destination`).
///
/// The input is read whole and parsed once, straight into mdBook's types: on a large book it is
/// tens of megabytes, and a second parse (or a generic JSON tree) would cost more than the
/// checks. It is dropped before the work starts, and the book is written back through one
/// large buffer rather than stdout's line buffer.
pub(super) fn run_stdio() -> Result<()> {
    let mut input = Vec::new();
    std::io::stdin()
        .read_to_end(&mut input)
        .map_err(|e| Error::io("read", "stdin", e))?;
    if input.trim_ascii_start().starts_with(b"{") {
        return render_stdio(&input);
    }
    let parsed = serde_json::from_slice::<(PreprocessorContext, Book)>(&input);
    let (ctx, book) = match parsed {
        Ok(parsed) => parsed,
        // What mdBook sent is not what this build understands: name the version when there is
        // one, so an mdBook 0.4 or 0.6 gets one clear line instead of a serde error about a
        // field it renamed.
        Err(e) => {
            let value: serde_json::Value =
                serde_json::from_slice(&input).map_err(|e| Error::Protocol(e.to_string()))?;
            check_version(&value)?;
            return Err(Error::Protocol(format!("Unable to parse the input: {e}")));
        }
    };
    drop(input);
    supported(&ctx.mdbook_version)?;
    let mut stderr = codespan_reporting::term::termcolor::StandardStream::stderr(color_choice());
    let book = process(&ctx, book, Date::today_for_build()?, &mut stderr)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    serde_json::to_writer(&mut out, &book).map_err(|e| Error::io("write", "stdout", e.into()))?;
    out.flush().map_err(|e| Error::io("write", "stdout", e))?;
    crate::io::workers::drop_in_background(book);
    Ok(())
}

/// The `[output.ep]` renderer's side of [`run_stdio`]: one parse, as for the preprocessor.
fn render_stdio(input: &[u8]) -> Result<()> {
    let ctx = match serde_json::from_slice::<mdbook_renderer::RenderContext>(input) {
        Ok(ctx) => ctx,
        Err(e) => {
            let value: serde_json::Value =
                serde_json::from_slice(input).map_err(|e| Error::Protocol(e.to_string()))?;
            let Some(found) = value.get("destination").and(value.get("version")) else {
                return Err(Error::Protocol(
                    "expected a JSON array `[context, book]` with `mdbook_version`".into(),
                ));
            };
            let found = found.as_str().unwrap_or("unknown");
            supported(found)?;
            return Err(Error::Protocol(format!(
                "Unable to deserialize the `RenderContext`: {e}"
            )));
        }
    };
    supported(&ctx.version)?;
    render(&ctx, Date::today_for_build()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_any_0_5_and_refuses_others_in_one_line() {
        let v = |ver: &str| serde_json::json!([{ "mdbook_version": ver }, {}]);
        assert!(check_version(&v("0.5.0")).is_ok());
        assert!(check_version(&v("0.5.17")).is_ok());
        let err = check_version(&v("0.4.40")).unwrap_err().to_string();
        assert!(err.contains("supports mdBook 0.5.x, found 0.4.40"), "{err}");
        assert!(check_version(&v("0.6.0")).is_err());
        assert!(check_version(&v("banana")).is_err());
        assert_eq!(
            check_version(&serde_json::json!({})).unwrap_err().code(),
            "EP0008"
        );
    }
}

//! Text as the user's files hold it. A command that writes into a file writes lines the way the
//! file already ends them, so a CRLF file never gets LF lines mixed in.

use std::borrow::Cow;

/// `1 draft`, `2 drafts`: a count said as a sentence says it, on pages and in messages alike.
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The line ending `text` uses: `"\r\n"` when its first line break is one, else `"\n"` (also
/// for text without any line break).
pub(crate) fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// `generated`, written with `\n`, with `eol` as its line ending instead.
pub(crate) fn with_line_ending<'a>(generated: &'a str, eol: &str) -> Cow<'a, str> {
    if eol == "\n" || !generated.contains('\n') {
        return generated.into();
    }
    let mut out = String::with_capacity(generated.len() + generated.len() / 20);
    for line in generated.split_inclusive('\n') {
        match line.strip_suffix('\n') {
            Some(content) => {
                out.push_str(content.strip_suffix('\r').unwrap_or(content));
                out.push_str(eol);
            }
            None => out.push_str(line),
        }
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endings_follow_the_file() {
        assert_eq!(line_ending("a\r\nb\n"), "\r\n");
        assert_eq!(line_ending("a\nb\r\n"), "\n");
        assert_eq!(line_ending("\n"), "\n");
        assert_eq!(line_ending("no break"), "\n");
        assert_eq!(with_line_ending("a\nb\n", "\r\n"), "a\r\nb\r\n");
        assert_eq!(with_line_ending("a\r\nb", "\r\n"), "a\r\nb");
        assert_eq!(with_line_ending("a\nb\n", "\n"), "a\nb\n");
    }
}

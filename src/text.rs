//! Text for the screen: data never reaches a terminal with control characters in it, and
//! long text is cut to a display width (wide CJK characters count twice); report figures
//! are worded the same in the CLI and the TUI.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Whether a character must never reach a terminal as it is: C0 and C1 controls (which
/// start escape sequences: a title change, a clipboard write) and the bidirectional
/// embeddings, overrides and isolates, which make text read differently from what it is
/// (a name that shows as another). Marks that only nudge direction (U+200E, U+200F) are
/// harmless and stay.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{2028}' | '\u{2029}'
        )
}

/// Replaces what must not reach a terminal ([`is_unsafe`]: controls, escape sequences,
/// newlines, tabs, bidi overrides) with spaces. Every string the CLI or the TUI shows from
/// data, and every error message, passes through here.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if is_unsafe(c) { ' ' } else { c })
        .collect()
}

/// Writes one line to stderr, made safe ([`clean`]). A stderr that cannot be written (a
/// full disk, a closed pipe) is ignored: the exit status still tells what happened, and
/// `eprintln!` would panic instead.
pub fn say(line: &str) {
    say_raw(&clean(line));
}

/// A line on stderr that is already terminal-safe (escaped JSON), written without
/// panicking when stderr cannot take it, as [`say`] is.
pub fn say_raw(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// JSON text made safe for a terminal: serde_json escapes C0 controls but writes C1
/// controls and bidi overrides as they are; those are escaped as `\uXXXX` here. They can
/// only stand inside JSON strings, where the escape means the same character, so the
/// JSON is unchanged for a program that reads it.
pub fn escape_json(json: &str) -> Cow<'_, str> {
    if !json.bytes().any(may_start_unsafe) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        // A raw newline is the pretty printer's layout; inside strings serde writes `\n`.
        if is_unsafe(c) && c != '\n' {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether `byte` may start, in UTF-8, a character [`escape_json`] escapes: an ASCII
/// control but the newline, or the first byte of U+0080–U+009F (C2), U+061C (D8) or the
/// line separators and bidi marks of U+2028–U+2069 (E2). Text without these (nearly all
/// of a JSON list, Chinese included) is passed on as it is, unscanned by character.
fn may_start_unsafe(byte: u8) -> bool {
    (byte < 0x20 && byte != b'\n') || matches!(byte, 0x7F | 0xC2 | 0xD8 | 0xE2)
}

/// Whether `text` contains every whitespace-separated term of `typed`, case ignored
/// (Unicode): how a field's suggestions and the store's name lookups match what is
/// typed, so `glob exp` finds "Globex Corporation expansion". Nothing typed matches
/// nothing.
pub fn contains_terms(text: &str, typed: &str) -> bool {
    let text = text.to_lowercase();
    let mut terms = typed.split_whitespace().peekable();
    terms.peek().is_some() && terms.all(|t| text.contains(&t.to_lowercase()))
}

/// Cuts `text` to at most `width` display columns, ending in `…` when cut.
pub fn truncate(text: &str, width: usize) -> String {
    let text = clean(text);
    if text.width() <= width {
        return text;
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = ch.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(ch);
        used += w;
    }
    out.push('…');
    out
}

/// Cuts `text` to `width` display columns like [`truncate`] and pads it with spaces to
/// exactly `width`: a column of names lines up whether they are Latin or CJK (`{:<w$}`
/// pads by characters, and a CJK character takes two columns).
pub fn pad(text: &str, width: usize) -> String {
    let mut out = truncate(text, width);
    let fill = width.saturating_sub(out.width());
    out.extend(std::iter::repeat_n(' ', fill));
    out
}

/// Cuts `text` to `width` display columns like [`truncate`] and pads it on the left to
/// exactly `width`: a right-aligned column (`{:>w$}` pads by characters).
pub fn pad_left(text: &str, width: usize) -> String {
    let cut = truncate(text, width);
    let fill = width.saturating_sub(cut.width());
    let mut out: String = std::iter::repeat_n(' ', fill).collect();
    out.push_str(&cut);
    out
}

/// Breaks `text` into lines of at most `width` display columns, at spaces where it can.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in clean(text).split(' ') {
        let sep = usize::from(!line.is_empty());
        if line.width() + sep + word.width() <= width {
            if sep == 1 {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // A word longer than the line is cut.
        let mut rest = word.to_string();
        while rest.width() > width {
            let mut head = String::new();
            for ch in rest.chars() {
                // A character wider than the whole line still goes on one, so the loop
                // always moves on.
                if head.width() + ch.width().unwrap_or(0) > width && !head.is_empty() {
                    break;
                }
                head.push(ch);
            }
            rest = rest[head.len()..].to_string();
            lines.push(head);
        }
        line = rest;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

// How report figures read: a ratio, a number of days or a score, or "—" when there is
// none (no denominator, or not a finite number). Presentation, so not in `domain`.

/// `42.9 %`, or `—` when there is no ratio.
pub fn percent(r: Option<f64>) -> String {
    r.filter(|r| r.is_finite())
        .map_or_else(|| "—".to_string(), |r| format!("{:.1} %", r * 100.0))
}

/// `12.5 days` (`12.5 天`), or `—`.
pub fn days(days: Option<f64>) -> String {
    days.filter(|d| d.is_finite()).map_or_else(
        || "—".to_string(),
        |d| crate::t!("figure-days", days = format!("{d:.1}")),
    )
}

/// `3.8 / 5`, or `—`.
pub fn satisfaction(value: Option<f64>) -> String {
    value
        .filter(|v| v.is_finite())
        .map_or_else(|| "—".to_string(), |v| format!("{v:.1} / 5"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_character_wider_than_the_line_still_wraps() {
        assert_eq!(wrap("华为", 1), ["华", "为"]);
    }

    #[test]
    fn the_quick_scan_of_json_misses_no_unsafe_character() {
        let mut buf = [0; 4];
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if is_unsafe(c) && c != '\n' {
                let first = c.encode_utf8(&mut buf).as_bytes()[0];
                assert!(may_start_unsafe(first), "{c:?} would pass unescaped");
            }
        }
        assert!(matches!(
            escape_json("{\"name\": \"华为 €\"}"),
            Cow::Owned(_)
        ));
        assert!(matches!(
            escape_json("{\"name\": \"华为\"}\n"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn nothing_that_steers_a_terminal_gets_through() {
        let hostile = "ACME\u{1b}]52;c;ZXZpbA==\u{7}\u{9b}31m \u{202e}txt.exe\u{2066}x\u{2069}";
        let shown = clean(hostile);
        assert!(!shown.chars().any(is_unsafe), "{shown:?}");
        assert!(shown.starts_with("ACME ]52;c;ZXZpbA=="));
        assert_eq!(
            clean("שלום\u{200f} 华为"),
            "שלום\u{200f} 华为",
            "direction marks stay"
        );
        let json = serde_json::to_string_pretty(&serde_json::json!({ "name": hostile })).unwrap();
        let safe = escape_json(&json);
        assert!(!safe.chars().any(|c| is_unsafe(c) && c != '\n'), "{safe}");
        assert!(
            safe.starts_with("{\n  \"name\""),
            "the layout stays: {safe}"
        );
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["name"], hostile, "the same data for a program");
    }

    #[test]
    fn cuts_by_display_width() {
        assert_eq!(truncate("上海华为技术", 7), "上海华…");
        assert_eq!(truncate("ACME", 10), "ACME");
        assert_eq!(clean("a\x1b[31mb\n"), "a [31mb ");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn pads_on_the_left_to_display_width() {
        assert_eq!(pad_left("赢单", 6), "  赢单");
        assert_eq!(pad_left("won", 6), "   won");
        assert_eq!(pad_left("上海华为技术", 5).width(), 5);
    }

    #[test]
    fn pads_to_display_width() {
        assert_eq!(pad("上海华为", 10), "上海华为  ");
        assert_eq!(pad("ACME", 6), "ACME  ");
        // Cut, a wide character that would overrun is left out and a space fills in.
        assert_eq!(pad("上海华为技术", 8), "上海华… ");
        assert_eq!(pad("上海华为技术", 8).width(), 8);
    }

    #[test]
    fn wraps_at_spaces_and_cuts_long_words() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), [""]);
    }
}

//! Text for the screen: data never reaches a terminal with control characters in it, and
//! long text is cut to a display width (wide CJK characters count twice); report figures
//! are worded the same in the CLI and the TUI.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Replaces control characters (escape sequences, newlines, tabs) with spaces.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
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
                if head.width() + ch.width().unwrap_or(0) > width {
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

/// `12.5 days`, or `—`.
pub fn days(days: Option<f64>) -> String {
    days.filter(|d| d.is_finite())
        .map_or_else(|| "—".to_string(), |d| format!("{d:.1} days"))
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
    fn cuts_by_display_width() {
        assert_eq!(truncate("上海华为技术", 7), "上海华…");
        assert_eq!(truncate("ACME", 10), "ACME");
        assert_eq!(clean("a\x1b[31mb\n"), "a [31mb ");
        assert_eq!(truncate("abc", 0), "");
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

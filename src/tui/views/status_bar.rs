//! The status bar: the last message or error on the left, reminders on the right.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::t;
use crate::text::{clean, truncate};
use crate::tui::app::App;
use crate::tui::theme;

/// The reminder part, as spans: "2 overdue · 3 today · next 14:30 Call back Li Wei — ACME".
pub fn reminder_spans(app: &App) -> Vec<Span<'static>> {
    let r = &app.reminders;
    let mut spans = Vec::new();
    if app.reminders_pending {
        spans.push(Span::styled(t!("status-counting"), theme::dim()));
        return spans;
    }
    if r.overdue == 0 && r.today == 0 && r.next.is_none() {
        spans.push(Span::styled(t!("status-no-reminders"), theme::dim()));
        return spans;
    }
    if r.overdue > 0 {
        spans.push(Span::styled(
            t!("status-overdue", count = r.overdue),
            theme::overdue(),
        ));
        spans.push(Span::raw(" · "));
    }
    spans.push(Span::styled(
        t!("status-today", count = r.today),
        theme::today(),
    ));
    if let Some(next) = &r.next {
        let a = &next.activity;
        let when = a
            .due_at
            .map(|t| app.zone.short_time(t, app.now()))
            .unwrap_or_default();
        let who = next
            .contact_name
            .as_deref()
            .map(|c| format!(" {c}"))
            .unwrap_or_default();
        spans.push(Span::raw(t!("status-next")));
        spans.push(Span::styled(
            // The subject says what to do; the kind would crowd out the key hints.
            clean(&t!(
                "status-next-reminder",
                when = when,
                subject = a.subject.as_str(),
                who = who,
                about = next.about()
            )),
            theme::label_focused(),
        ));
    }
    spans
}

/// Unresolved sync conflicts, then "synced 12 s ago", "syncing…" or the error; each
/// followed by a separator, as they come before the reminders.
fn sync_spans(app: &App) -> Vec<Span<'static>> {
    use crate::tui::sync_worker::SyncState;
    let mut spans = Vec::new();
    if app.conflicts > 0 {
        spans.push(Span::styled(
            t!(
                "status-conflicts",
                count = app.conflicts,
                key = app.keymap.key(
                    crate::tui::keymap::Context::Global,
                    crate::tui::action::Command::ReviewConflicts
                )
            ),
            theme::no_next_step(),
        ));
        spans.push(Span::raw(" · "));
    }
    let Some(state) = &app.sync_state else {
        return spans;
    };
    let (text, style) = match state {
        SyncState::Syncing => (t!("status-syncing"), theme::dim()),
        SyncState::Synced(at) => {
            let secs = ((app.now() - at) / 1000).max(0);
            let ago = if secs < 60 {
                t!("duration-seconds", count = secs)
            } else {
                t!("duration-minutes", count = secs / 60)
            };
            match app.sync_kept_out {
                0 => (t!("status-synced", ago = ago), theme::dim()),
                n => (
                    t!("status-synced-kept-out", ago = ago, count = n),
                    theme::error(),
                ),
            }
        }
        SyncState::Failed(e) => (t!("status-sync-failed", error = e.as_str()), theme::error()),
        SyncState::Offline(since) => (
            t!(
                "status-offline",
                since = app.zone.short_time(*since, app.now())
            ),
            theme::error(),
        ),
    };
    spans.push(Span::styled(text, style));
    spans.push(Span::raw(" · "));
    spans
}

/// A message cut to `room` columns. A message quoting a record ("'Big rollout' is …")
/// loses the end of the quote, not of the sentence: what went wrong stays readable.
pub fn fit_message(text: &str, room: usize) -> String {
    let text = clean(text);
    if text.width() <= room {
        return text;
    }
    // A quote opens after a space (not the apostrophe of "Li Wei's") and closes before
    // a space or punctuation.
    let open = text
        .char_indices()
        .find(|&(i, c)| c == '\'' && (i == 0 || text[..i].ends_with(' ')))
        .map(|(i, _)| i);
    let close = |open: usize| {
        text[open + 1..]
            .char_indices()
            .find(|&(i, c)| {
                c == '\''
                    && text[open + 1 + i + 1..]
                        .chars()
                        .next()
                        .is_none_or(|n| !n.is_alphanumeric())
            })
            .map(|(i, _)| i)
    };
    if let Some(open) = open
        && let Some(len) = close(open)
    {
        let quoted = &text[open + 1..open + 1 + len];
        let rest = text.width() - quoted.width();
        // Keep at least a few characters of the name so it can still be recognised.
        let keep = room.saturating_sub(rest).max(6);
        if keep < quoted.width() {
            let shortened = format!(
                "{}'{}'{}",
                &text[..open],
                truncate(quoted, keep),
                &text[open + 1 + len + 1..]
            );
            return truncate(&shortened, room);
        }
    }
    truncate(&text, room)
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    // Conflicts and sync state first: the reminder's subject is what may be cut.
    let mut right = sync_spans(app);
    right.extend(reminder_spans(app));
    let right_width: usize = right.iter().map(|s| s.content.width()).sum();
    let width = area.width as usize;
    let (text, style) = match &app.message {
        Some(m) if m.error => (format!(" ✗ {}", m.text), theme::error()),
        Some(m) => (format!(" {}", m.text), theme::ok()),
        None => (format!(" {}", app.hints()), theme::dim()),
    };
    // The left side (a message, else the key hints) comes first: the reminder ticker
    // gets what is left, and at least a fifth of the bar for its counts.
    let right_width = right_width.min(width.saturating_sub(text.width() + 2).max(width / 5));
    let left_room = width.saturating_sub(right_width + 2);
    let left = fit_message(&text, left_room);
    let mut spans = vec![Span::styled(left.clone(), style)];
    spans.push(Span::raw(
        " ".repeat(width.saturating_sub(left.width() + right_width + 1)),
    ));
    let mut used = 0;
    for s in right {
        let w = s.content.width();
        if used + w > right_width {
            let room = right_width.saturating_sub(used);
            if room >= 6 {
                spans.push(Span::styled(truncate(&s.content, room), s.style));
            } else if spans.last().is_some_and(|l| l.content.contains(" · ")) {
                // No room for what a separator ("· next ") introduces: drop it too.
                spans.pop();
            }
            break;
        }
        used += w;
        spans.push(s);
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme::bar()), area);
}

#[cfg(test)]
mod tests {
    use super::fit_message;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn a_long_quoted_title_is_cut_before_the_message_is() {
        let title = "Big rollout ".repeat(10);
        let m = format!(" ✗ '{title}' cannot move: it is won; R reopens it.");
        let fitted = fit_message(&m, 60);
        assert!(
            fitted.ends_with("cannot move: it is won; R reopens it."),
            "{fitted}"
        );
        assert!(fitted.starts_with(" ✗ 'Big rollout"), "{fitted}");
        assert!(fitted.width() <= 60);
        assert_eq!(fit_message(" ✗ short", 60), " ✗ short");
        let m = format!(" Kept Li Wei's amount of '{title}'; u undoes.");
        let fitted = fit_message(&m, 50);
        assert!(
            fitted.starts_with(" Kept Li Wei's amount of 'Big"),
            "{fitted}"
        );
        assert!(fitted.ends_with("'; u undoes."), "{fitted}");
    }
}

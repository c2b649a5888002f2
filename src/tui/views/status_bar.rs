//! The status bar: the last message or error on the left, reminders on the right.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::text::{clean, truncate};
use crate::tui::app::App;
use crate::tui::theme;

/// The reminder part, as spans: "2 overdue · 3 today · next 14:30 Call Li Wei — ACME".
pub fn reminder_spans(app: &App) -> Vec<Span<'static>> {
    let r = &app.reminders;
    let mut spans = Vec::new();
    if r.overdue == 0 && r.today == 0 && r.next.is_none() {
        spans.push(Span::styled("no reminders", theme::dim()));
        return spans;
    }
    if r.overdue > 0 {
        spans.push(Span::styled(
            format!("⚠ {} overdue", r.overdue),
            theme::overdue(),
        ));
        spans.push(Span::raw(" · "));
    }
    spans.push(Span::styled(format!("{} today", r.today), theme::today()));
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
        spans.push(Span::raw(" · next "));
        spans.push(Span::styled(
            clean(&format!(
                "{when} {} {}{who} — {}",
                a.kind.label(),
                a.subject,
                next.about()
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
            format!(
                "{} {} (C review)",
                app.conflicts,
                if app.conflicts == 1 {
                    "conflict"
                } else {
                    "conflicts"
                }
            ),
            theme::no_next_step(),
        ));
        spans.push(Span::raw(" · "));
    }
    let Some(state) = &app.sync_state else {
        return spans;
    };
    let (text, style) = match state {
        SyncState::Syncing => ("syncing…".to_string(), theme::dim()),
        SyncState::Synced(at) => {
            let secs = ((app.now() - at) / 1000).max(0);
            let ago = if secs < 60 {
                format!("{secs} s")
            } else {
                format!("{} min", secs / 60)
            };
            (format!("synced {ago} ago"), theme::dim())
        }
        SyncState::Failed(e) => (format!("sync: {e}"), theme::error()),
    };
    spans.push(Span::styled(text, style));
    spans.push(Span::raw(" · "));
    spans
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    // Conflicts and sync state first: the reminder's subject is what may be cut.
    let mut right = sync_spans(app);
    right.extend(reminder_spans(app));
    let right_width: usize = right.iter().map(|s| s.content.width()).sum();
    let width = area.width as usize;
    // A message shares the bar half and half; idle hints give way to reminders.
    let cap = if app.message.is_some() {
        width / 2
    } else {
        width.saturating_sub(20)
    };
    let right_width = right_width.min(cap);
    let left_room = width.saturating_sub(right_width + 2);
    let (text, style) = match &app.message {
        Some(m) if m.error => (format!(" ✗ {}", m.text), theme::error()),
        Some(m) => (format!(" {}", m.text), theme::ok()),
        None => (format!(" {}", app.hints()), theme::dim()),
    };
    let left = truncate(&text, left_room);
    let mut spans = vec![Span::styled(left.clone(), style)];
    spans.push(Span::raw(
        " ".repeat(width.saturating_sub(left.width() + right_width + 1)),
    ));
    let mut used = 0;
    for s in right {
        let w = s.content.width();
        if used + w > right_width {
            let room = right_width.saturating_sub(used);
            spans.push(Span::styled(truncate(&s.content, room), s.style));
            break;
        }
        used += w;
        spans.push(s);
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme::bar()), area);
}

//! The Agenda view: sections of reminders, revisits due and deals with no next step.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::activity::Urgency;
use crate::domain::time::days_between;
use crate::text::{pad, truncate};
use crate::tui::agenda::AgendaItem;
use crate::tui::app::App;
use crate::tui::theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let now = app.now();
    let width = area.width as usize;
    let agenda = &app.agenda;
    let lines: Vec<Line> = agenda
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let selected = i == agenda.selected;
            let marker = if selected { "›" } else { " " };
            let line = match item {
                AgendaItem::Header { title, count } => {
                    return Line::from(Span::styled(format!("{title} ({count})"), theme::title()));
                }
                AgendaItem::Reminder { row, urgency } => {
                    let a = &row.activity;
                    let style = match urgency {
                        Urgency::Overdue => theme::overdue(),
                        Urgency::Today => theme::today(),
                        Urgency::Later => theme::later(),
                    };
                    let when = a.due_at.map(|t| app.zone.date_time(t)).unwrap_or_default();
                    let contact = row
                        .contact_name
                        .as_deref()
                        .map(|c| format!(" {c}"))
                        .unwrap_or_default();
                    vec![
                        Span::raw(format!("{marker} ")),
                        Span::styled(format!("{when}  "), style),
                        Span::styled(format!("{:<9}", a.kind.label()), theme::label()),
                        Span::raw(truncate(
                            &format!("{}{contact} — {}", a.subject, row.about()),
                            width.saturating_sub(30),
                        )),
                    ]
                }
                AgendaItem::Revisit(r) => {
                    let since = r.last_contact.map_or("never contacted".to_string(), |t| {
                        format!("{} days since contact", days_between(t, now))
                    });
                    vec![
                        Span::raw(format!("{marker} ")),
                        Span::styled(
                            format!("{:<18}", format!("{} tier", r.tier.label())),
                            theme::label(),
                        ),
                        Span::raw(truncate(&r.name, width.saturating_sub(45))),
                        Span::styled(format!("  {since}"), theme::overdue()),
                    ]
                }
                AgendaItem::NoNextStep(d) => vec![
                    Span::raw(format!("{marker} ")),
                    Span::styled(format!("{} ", pad(&d.stage_name, 17)), theme::label()),
                    Span::raw(truncate(
                        &format!("{} — {}", d.deal.title, d.customer_name),
                        width.saturating_sub(36),
                    )),
                    Span::styled(
                        format!("  {}", d.deal.amount.format_short()),
                        theme::amount(),
                    ),
                    Span::styled("  ● no next step", theme::no_next_step()),
                ],
            };
            let style = if selected {
                theme::selected_card()
            } else {
                Style::new()
            };
            Line::from(line).style(style)
        })
        .collect();
    // Keep the selection on screen.
    let height = area.height as usize;
    let scroll = agenda.selected.saturating_sub(height.saturating_sub(3));
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), area);
}

//! Views render from state and nothing else: no queries, no writes, no errors for stderr.

pub mod agenda;
pub mod customers;
pub mod detail;
pub mod help;
pub mod pipeline;
pub mod reports;
pub mod status_bar;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::action::Tab;
use super::app::App;
use super::theme;

/// The smallest terminal the layout is made for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Draws the whole screen.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!(
            "Terminal too small ({}×{}); SalesDesk needs {MIN_WIDTH}×{MIN_HEIGHT}. q quits.",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(msg).style(theme::error()), area);
        return;
    }
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    render_tabs(app, frame, tabs);
    match app.tab {
        Tab::Pipeline => match &app.detail {
            Some(d) => detail::render(app, d, frame, body),
            None => pipeline::render(app, frame, body),
        },
        Tab::Agenda => agenda::render(app, frame, body),
        Tab::Reports => match &app.report {
            Some(report) => reports::render(report, &app.period_label(), frame, body),
            None => frame.render_widget(Paragraph::new("Reading the figures…"), body),
        },
        Tab::Customers => match &app.profile {
            Some(p) => customers::render_profile(app, p, frame, body),
            None => customers::render_board(app, frame, body),
        },
    }
    status_bar::render(app, frame, status);
    if let Some(modal) = &app.modal {
        modal.render(frame, body, &app.help_lines());
    }
}

fn render_tabs(app: &App, frame: &mut Frame, area: Rect) {
    let mut spans = vec![Span::styled(" SalesDesk ", theme::title())];
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, tab.title());
        let style = if *tab == app.tab {
            theme::tab_active()
        } else {
            theme::dim()
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    let scope = if app.mine_only { "mine" } else { "everyone's" };
    let right = format!("{scope} · ? help ");
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let pad = (area.width as usize).saturating_sub(used + right.chars().count());
    spans.push(Span::raw(" ".repeat(pad)));
    spans.push(Span::styled(right, theme::dim()));
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme::bar()), area);
}

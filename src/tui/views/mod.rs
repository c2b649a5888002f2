//! The frame around the components: the tab line, the status bar, the help overlay, and
//! the Reports drawing (a pure function of a report, also used by `salesdesk report`'s
//! tests). Like the components' `render`, these draw from state and nothing else: no
//! queries, no writes, no errors for stderr.

pub mod help;
pub mod reports;
pub mod status_bar;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::action::Tab;
use super::app::App;
use super::theme;
use crate::t;
use unicode_width::UnicodeWidthStr;

/// The smallest terminal the layout is made for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Draws the whole screen.
pub fn render(app: &App, frame: &mut Frame) {
    // The app's colours for everything this frame draws.
    theme::install(&app.theme);
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        // The size needed comes first and the text wraps: a narrow terminal must still
        // show what to do.
        let msg = t!(
            "tui-too-small",
            min_width = MIN_WIDTH,
            min_height = MIN_HEIGHT,
            width = area.width,
            height = area.height,
            quit = app
                .keymap
                .key(super::keymap::Context::Global, super::action::Command::Quit)
        );
        frame.render_widget(
            Paragraph::new(msg)
                .style(theme::error())
                .wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    render_tabs(app, frame, tabs);
    let look = app.look();
    // The view in front: a component on top of its board, else the tab's component.
    match app.tab {
        Tab::Pipeline => match &app.detail {
            Some(detail) => detail.render(&look, frame, body),
            None => app.pipeline.render(&look, frame, body),
        },
        Tab::Customers => match &app.profile {
            Some(profile) => profile.render(&look, frame, body),
            None => app.customers.render(&look, frame, body),
        },
        Tab::Agenda => app.agenda.render(&look, frame, body),
        Tab::Reports => app.reports.render(&look, frame, body),
    }
    status_bar::render(app, frame, status);
    if let Some(modal) = &app.modal {
        modal.render(frame, body, &app.help_lines(), &app.keymap);
    }
}

/// The view whose tab label is at column `x` of the tab line (as [`render_tabs`] lays
/// them out).
pub fn tab_at(x: u16) -> Option<Tab> {
    let mut left = " SalesDesk ".width();
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let width = format!(" {} {} ", i + 1, tab.title()).width();
        if (left..left + width).contains(&usize::from(x)) {
            return Some(*tab);
        }
        left += width + 1;
    }
    None
}

/// Where the view in front is drawn on a terminal of `size`: between the tab line and
/// the status bar.
pub fn body_area(size: (u16, u16)) -> Rect {
    Rect::new(0, 1, size.0, size.1.saturating_sub(2))
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
    let mut scope = if app.mine_only {
        t!("scope-mine")
    } else {
        t!("scope-everyone")
    };
    // The board shows one pipeline: which, when the book has more than one.
    if app.tab == Tab::Pipeline
        && app.pipeline.pipelines.len() > 1
        && let Some(p) = &app.pipeline.current
    {
        let key = app
            .keymap
            .key_for(
                super::keymap::Context::Board,
                super::action::Command::PickPipeline,
            )
            .unwrap_or_default();
        scope = t!(
            "tabs-pipeline-scope",
            pipeline = crate::text::truncate(&crate::text::clean(&p.name), 24),
            key = key,
            scope = scope
        );
    }
    let help = app
        .keymap
        .key_for(super::keymap::Context::Global, super::action::Command::Help)
        .unwrap_or_default();
    let right = t!("tabs-right", scope = scope, help = help);
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let pad = (area.width as usize).saturating_sub(used + right.width());
    spans.push(Span::raw(" ".repeat(pad)));
    spans.push(Span::styled(right, theme::dim()));
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme::bar()), area);
}

//! The pipeline board: one column per stage, cards of open deals, the selected one
//! highlighted. Only the loaded window of each column is drawn.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::domain::activity::{Urgency, urgency};
use crate::domain::money::{Currency, Money};
use crate::store::deals::DealRow;
use crate::text::truncate;
use crate::tui::app::{App, CARD_HEIGHT, Column, HEADER_HEIGHT};
use crate::tui::theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let board = &app.board;
    if board.columns.is_empty() {
        frame.render_widget(Paragraph::new("The pipeline has no stages."), area);
        return;
    }
    let shown = board.first_col..(board.first_col + board.cols_visible).min(board.columns.len());
    let n = shown.len().max(1) as u32;
    let areas = Layout::horizontal((0..n).map(|_| Constraint::Ratio(1, n))).split(area);
    for (slot, idx) in shown.clone().enumerate() {
        let column = &board.columns[idx];
        let focused = idx == board.col;
        let block = if slot == 0 {
            Block::default()
        } else {
            Block::default()
                .borders(Borders::LEFT)
                .border_style(theme::dim())
        };
        let inner = block.inner(areas[slot]);
        frame.render_widget(block, areas[slot]);
        render_column(app, column, focused, frame, inner);
    }
    // Sideways scroll markers.
    if board.first_col > 0 {
        frame.render_widget(
            Paragraph::new("‹").style(theme::amount()),
            Rect {
                width: 1,
                height: 1,
                ..area
            },
        );
    }
    if shown.end < board.columns.len() {
        let x = area.x + area.width.saturating_sub(1);
        frame.render_widget(
            Paragraph::new("›").style(theme::amount()),
            Rect {
                x,
                width: 1,
                height: 1,
                ..area
            },
        );
    }
}

fn money_short(minor: i64, currency: &str) -> String {
    match currency.parse::<Currency>() {
        Ok(c) => Money::new(minor, c).format_short(),
        Err(_) => format!("{minor} {currency}"),
    }
}

fn render_column(app: &App, column: &Column, focused: bool, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(1) as usize;
    let [header, cards] =
        Layout::vertical([Constraint::Length(HEADER_HEIGHT), Constraint::Min(0)]).areas(area);
    let title_style = if focused {
        theme::tab_active()
    } else {
        theme::title()
    };
    let count = column.totals.count;
    let title = truncate(&format!(" {} ({count}) ", column.stage.name), width);
    // The largest currency's totals; other currencies are never added to them.
    let (total, weighted) = match column.totals.by_currency.first() {
        Some(first) => {
            let others = column.totals.by_currency.len() - 1;
            let more = if others > 0 {
                format!(" +{others} cur")
            } else {
                String::new()
            };
            (
                format!("{}{more}", money_short(first.total, &first.currency)),
                money_short(first.weighted, &first.currency),
            )
        }
        None => ("—".to_string(), "—".to_string()),
    };
    let above = column.offset;
    let below = count.saturating_sub(column.offset + column.cards.len());
    let mut rule = String::new();
    if above > 0 {
        rule.push_str(&format!("↑{above} "));
    }
    if below > 0 {
        rule.push_str(&format!("↓{below}"));
    }
    let header_lines = vec![
        Line::from(Span::styled(title, title_style)),
        Line::from(vec![
            Span::styled(format!(" {total}"), theme::amount()),
            Span::styled(
                truncate(
                    &format!(" · wtd {weighted}"),
                    width.saturating_sub(total.len() + 1),
                ),
                theme::dim(),
            ),
        ]),
        Line::from(Span::styled(
            format!(
                " {}{}",
                rule,
                "─".repeat(width.saturating_sub(rule.chars().count() + 1))
            ),
            theme::dim(),
        )),
    ];
    frame.render_widget(Paragraph::new(header_lines), header);
    if column.cards.is_empty() {
        frame.render_widget(Paragraph::new(" no deals").style(theme::dim()), cards);
        return;
    }
    for (i, row) in column.cards.iter().enumerate() {
        let y = cards.y + (i as u16) * CARD_HEIGHT;
        if y + CARD_HEIGHT - 1 > cards.y + cards.height {
            break;
        }
        let rect = Rect {
            x: cards.x,
            y,
            width: cards.width,
            height: (CARD_HEIGHT - 1).min(cards.y + cards.height - y),
        };
        let selected = focused && column.offset + i == column.selected;
        render_card(app, row, selected, frame, rect);
    }
}

fn render_card(app: &App, row: &DealRow, selected: bool, frame: &mut Frame, area: Rect) {
    let now = app.now();
    let width = area.width.saturating_sub(2) as usize;
    let d = &row.deal;
    let rotting = row.is_rotting(now);
    let flag = if rotting { " ⚑" } else { "" };
    let title_width = width.saturating_sub(flag.chars().count() + 1);
    let bar = if selected { "▌" } else { " " };
    let close = d
        .expected_close
        .map(|c| format!(" · close {}", c.format("%b %d")))
        .unwrap_or_else(|| " · no close date".into());
    let follow = match row.next_follow_up {
        Some(due) => {
            let (_, today_end) = app.zone.today_window(now);
            let style = match urgency(due, now, today_end) {
                Urgency::Overdue => theme::overdue(),
                Urgency::Today => theme::today(),
                Urgency::Later => theme::later(),
            };
            let when = app.zone.short_time(due, now);
            let text = if due < now {
                format!("⏰ overdue since {when}")
            } else {
                format!("⏰ {when}")
            };
            Span::styled(truncate(&text, width), style)
        }
        None => Span::styled(truncate("● no next step", width), theme::no_next_step()),
    };
    let lines = vec![
        Line::from(vec![
            Span::styled(bar, theme::amount()),
            Span::styled(truncate(&d.title, title_width), theme::title()),
            Span::styled(flag, theme::rotting()),
        ]),
        Line::from(vec![
            Span::raw(" "),
            Span::styled(truncate(&row.customer_name, width), theme::label()),
        ]),
        Line::from(vec![
            Span::raw(" "),
            Span::styled(d.amount.format_short(), theme::amount()),
            Span::styled(
                truncate(&close, width.saturating_sub(d.amount.format_short().len())),
                theme::dim(),
            ),
        ]),
        Line::from(vec![Span::raw(" "), follow]),
    ];
    let style = if selected {
        theme::selected_card()
    } else {
        Style::new()
    };
    frame.render_widget(Paragraph::new(lines).style(style), area);
}

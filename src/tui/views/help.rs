//! The help overlay, generated from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::tui::modals::centered;
use crate::tui::theme;

/// `lines` are (section, keys, what they do), grouped by section in order.
pub fn render(frame: &mut Frame, area: Rect, lines: &[(String, String, &str)], scroll: usize) {
    let mut text: Vec<Line> = Vec::new();
    let mut section = "";
    for (sec, keys, help) in lines {
        if sec != section {
            if !text.is_empty() {
                text.push(Line::from(""));
            }
            text.push(Line::from(Span::styled(sec.clone(), theme::title())));
            section = sec;
        }
        text.push(Line::from(vec![
            Span::styled(format!("  {keys:<20}"), theme::amount()),
            Span::raw(*help),
        ]));
    }
    let height = (text.len() as u16 + 2).min(area.height);
    let rect = centered(area, 64, height);
    frame.render_widget(Clear, rect);
    let p = Paragraph::new(text)
        .scroll((scroll.min(u16::MAX as usize) as u16, 0))
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Keys — any other key closes ")
                .border_style(theme::modal_border()),
        );
    frame.render_widget(p, rect);
}

//! The help overlay, generated from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::t;
use crate::text::wrap;
use crate::tui::action::Command;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::modals::centered;
use crate::tui::theme;

/// The keys column, wide enough for "Shift-Tab Shift-Tab" and "H Shift-←".
const KEYS_WIDTH: usize = 20;
/// Wider than this reads badly; narrower terminals get what they have.
const MAX_WIDTH: u16 = 100;

/// The overlay's lines for a box `width` columns wide inside its borders: sections,
/// each key with what it does, wrapped at words under the description.
pub fn lines(help: &[(String, String, String)], width: usize) -> Vec<Line<'static>> {
    let mut text: Vec<Line> = Vec::new();
    let mut section = "";
    let room = width.saturating_sub(KEYS_WIDTH + 2).max(10);
    for (sec, keys, what) in help {
        if sec != section {
            if !text.is_empty() {
                text.push(Line::from(""));
            }
            text.push(Line::from(Span::styled(sec.clone(), theme::title())));
            section = sec;
        }
        for (i, part) in wrap(what, room).into_iter().enumerate() {
            let keys = if i == 0 { keys.as_str() } else { "" };
            text.push(Line::from(vec![
                Span::styled(format!("  {keys:<KEYS_WIDTH$}"), theme::amount()),
                Span::raw(part),
            ]));
        }
    }
    text
}

/// The box's width on a terminal `area_width` wide.
fn box_width(area_width: u16) -> u16 {
    area_width.saturating_sub(4).min(MAX_WIDTH)
}

/// How far help can scroll on a terminal of `size` (the body is all but two rows).
pub fn scroll_limit(help: &[(String, String, String)], size: (u16, u16)) -> usize {
    let text = lines(help, box_width(size.0).saturating_sub(2) as usize);
    let visible = usize::from(size.1.saturating_sub(2).saturating_sub(2));
    text.len().saturating_sub(visible)
}

/// `lines` are (section, keys, what they do), grouped by section in order. `scroll` is
/// kept within the text, and the border says when there is more above or below, with
/// the scroll keys in force (`keymap`).
pub fn render(
    frame: &mut Frame,
    area: Rect,
    help: &[(String, String, String)],
    scroll: usize,
    keymap: &Keymap,
) {
    let width = box_width(area.width);
    let text = lines(help, width.saturating_sub(2) as usize);
    let height = (text.len() as u16 + 2).min(area.height);
    let rect = centered(area, width, height);
    let visible = rect.height.saturating_sub(2) as usize;
    let scroll = scroll.min(text.len().saturating_sub(visible));
    let below = text.len().saturating_sub(scroll + visible);
    let down = keymap
        .key_for(Context::Help, Command::ScrollDown)
        .unwrap_or_default();
    let up = keymap
        .key_for(Context::Help, Command::ScrollUp)
        .unwrap_or_default();
    let mut block = Block::default()
        .borders(Borders::ALL)
        .title(t!("help-title", down = down.as_str(), up = up.as_str()))
        .border_style(theme::modal_border());
    if below > 0 {
        block = block.title_bottom(
            Line::from(t!("help-more-below", count = below, key = down.as_str())).right_aligned(),
        );
    }
    if scroll > 0 {
        block = block.title_bottom(
            Line::from(t!("help-more-above", count = scroll, key = up.as_str())).left_aligned(),
        );
    }
    crate::tui::modals::clear(frame, rect);
    let p = Paragraph::new(text)
        .scroll((scroll.min(u16::MAX as usize) as u16, 0))
        .block(block);
    frame.render_widget(p, rect);
}

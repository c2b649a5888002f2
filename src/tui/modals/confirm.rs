//! A yes/no question: `y` or Enter does it, `n` or Esc does not (keys: the keymap's
//! `Confirm` context).

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{Outcome, centered};
use crate::tui::action::{Action, Command};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::theme;

#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub title: String,
    pub question: String,
    pub on_yes: Action,
}

impl Confirm {
    pub fn new(title: impl AsRef<str>, question: String, on_yes: Action) -> Confirm {
        Confirm {
            title: crate::text::clean(title.as_ref()),
            question,
            on_yes,
        }
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap) -> Outcome {
        match keymap.lookup(Context::Confirm, key) {
            Some(Command::Yes) => Outcome::Act(self.on_yes.clone()),
            Some(Command::No) => Outcome::Close,
            // Only yes or no closes a question.
            _ => Outcome::Consumed,
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, keymap: &Keymap) {
        let rect = centered(area, 56, 7);
        super::clear(frame, rect);
        let text = vec![
            Line::from(crate::text::clean(&self.question)),
            Line::from(""),
            Line::from(keymap.hints(Context::Confirm)).style(theme::hint()),
        ];
        let p = Paragraph::new(text).wrap(Wrap { trim: true }).block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!(" {} ", self.title))
                .border_style(theme::modal_border()),
        );
        frame.render_widget(p, rect);
    }
}

//! Global search (`/`): results as you type, grouped by kind; Enter opens the record in
//! its view. The modal only edits its text; the app runs the query and fills `results`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use tui_input::InputRequest;

use super::form::{edit_text, input_request, shown_with_cursor};
use super::{Outcome, centered};
use crate::store::search::Hit;
use crate::t;
use crate::text::truncate;
use crate::tui::action::{Action, Command};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::theme;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Search {
    pub input: String,
    /// Where the cursor is in `input` (`None`: at the end).
    pub cursor: Option<usize>,
    /// Grouped by kind, best first within each kind.
    pub results: Vec<Hit>,
    pub selected: usize,
}

impl Search {
    /// Sets results, grouping them by kind while keeping their rank within a kind.
    pub fn set_results(&mut self, mut hits: Vec<Hit>) {
        hits.sort_by_key(|h| h.kind);
        self.results = hits;
        self.selected = 0;
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap) -> Outcome {
        match keymap.lookup(Context::Search, key) {
            Some(Command::Cancel) => Outcome::Close,
            Some(Command::Help) => Outcome::Act(Action::Command(Command::Help)),
            Some(Command::Submit) => match self.results.get(self.selected) {
                Some(hit) => Outcome::Act(Action::OpenHit(hit.kind, hit.id.clone())),
                None => Outcome::Consumed,
            },
            Some(c @ (Command::Down | Command::Up)) => {
                super::step_selection(&mut self.selected, self.results.len(), c == Command::Down);
                Outcome::Consumed
            }
            Some(
                c @ (Command::DeleteChar
                | Command::ClearField
                | Command::Left
                | Command::Right
                | Command::FieldStart
                | Command::FieldEnd
                | Command::WordLeft
                | Command::WordRight
                | Command::DeleteForward
                | Command::DeleteWord
                | Command::DeleteToEnd),
            ) => {
                let Some(request) = input_request(c) else {
                    return Outcome::Consumed;
                };
                if edit_text(&mut self.input, &mut self.cursor, request) {
                    Outcome::Act(Action::SearchChanged)
                } else {
                    Outcome::Consumed
                }
            }
            // What is not a binding here is text.
            _ => match key.code {
                KeyCode::Char(c)
                    if !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    edit_text(
                        &mut self.input,
                        &mut self.cursor,
                        InputRequest::InsertChar(c),
                    );
                    Outcome::Act(Action::SearchChanged)
                }
                _ => Outcome::Consumed,
            },
        }
    }

    /// Pasted text is searched for, never run as keys.
    pub fn paste(&mut self, text: &str) -> Outcome {
        for c in super::form::one_line(text).chars() {
            edit_text(
                &mut self.input,
                &mut self.cursor,
                InputRequest::InsertChar(c),
            );
        }
        Outcome::Act(Action::SearchChanged)
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, keymap: &Keymap) {
        let rect = centered(area, 90, area.height.saturating_sub(2));
        super::clear(frame, rect);
        let width = rect.width.saturating_sub(4) as usize;
        let mut lines = vec![
            Line::from(vec![
                Span::styled("/ ", theme::amount()),
                Span::raw(shown_with_cursor(
                    &self.input,
                    self.cursor,
                    usize::from(rect.width.saturating_sub(6)),
                )),
            ]),
            Line::from(""),
        ];
        if self.input.trim().is_empty() {
            lines.push(Line::from(Span::styled(
                t!("search-type-to-search"),
                theme::hint(),
            )));
        } else if self.results.is_empty() {
            lines.push(Line::from(Span::styled(
                t!("search-nothing-matches"),
                theme::hint(),
            )));
        }
        let mut kind = None;
        let body_rows = rect.height.saturating_sub(5) as usize;
        let first = self.selected.saturating_sub(body_rows.saturating_sub(6));
        for (i, hit) in self.results.iter().enumerate() {
            if kind != Some(hit.kind) {
                kind = Some(hit.kind);
                let count = self.results.iter().filter(|h| h.kind == hit.kind).count();
                if i >= first {
                    lines.push(Line::from(Span::styled(
                        t!("search-kind-count", kind = hit.kind.label(), count = count),
                        theme::title(),
                    )));
                }
            }
            if i < first {
                continue;
            }
            let selected = i == self.selected;
            let title = truncate(&hit.title, width / 2);
            let detail = truncate(
                &hit.detail,
                width.saturating_sub(unicode_width::UnicodeWidthStr::width(title.as_str()) + 6),
            );
            lines.push(Line::from(vec![
                Span::raw(if selected { "› " } else { "  " }),
                Span::styled(
                    title,
                    if selected {
                        theme::selected()
                    } else {
                        theme::label_focused()
                    },
                ),
                Span::styled(format!("  {detail}"), theme::dim()),
            ]));
        }
        let p = Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(t!("search-title", keys = keymap.hints(Context::Search)))
                .border_style(theme::modal_border()),
        );
        frame.render_widget(p, rect);
    }
}

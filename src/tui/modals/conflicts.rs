//! Reviewing sync conflicts (`C`): values of mine that a teammate's edit replaced. For
//! each, keep theirs (it is already in place) or restore mine (written back as a new
//! edit, so it wins the next sync). The app fills the list and applies the choice.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, ListItem, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::{Outcome, centered, render_choices, step_selection};
use crate::store::conflicts::Keep;
use crate::sync::review::Shown;
use crate::t;
use crate::text::truncate;
use crate::tui::action::{Action, Command};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::theme;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Conflicts {
    /// The pending conflicts, oldest first.
    pub items: Vec<Shown>,
    pub selected: usize,
}

impl Conflicts {
    pub fn new(items: Vec<Shown>) -> Conflicts {
        Conflicts { items, selected: 0 }
    }

    /// Replaces the list after a resolution, keeping the selection at the same place.
    pub fn set_items(&mut self, items: Vec<Shown>) {
        self.items = items;
        self.selected = self.selected.min(self.items.len().saturating_sub(1));
    }

    fn resolve(&self, keep: Keep) -> Outcome {
        match self.items.get(self.selected) {
            Some(c) => Outcome::Act(Action::ResolveConflict { id: c.id, keep }),
            None => Outcome::Consumed,
        }
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap) -> Outcome {
        match keymap.lookup(Context::Conflicts, key) {
            Some(c @ (Command::Down | Command::Up)) => {
                step_selection(&mut self.selected, self.items.len(), c == Command::Down);
                Outcome::Consumed
            }
            Some(Command::Cancel) => Outcome::Close,
            Some(Command::KeepTheirs) => self.resolve(Keep::Theirs),
            Some(Command::RestoreMine) => self.resolve(Keep::Mine),
            _ => Outcome::Consumed,
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, keymap: &Keymap) {
        // Intro, the list, the selected one's values and the key line, in borders.
        let wanted = u16::try_from(self.items.len()).unwrap_or(u16::MAX).max(3) + 13;
        let rect = centered(area, 100, wanted.min(area.height.saturating_sub(2)));
        super::clear(frame, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(t!("conflicts-title", count = self.items.len()))
            .border_style(theme::modal_border());
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let [intro, list, detail, foot] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Min(3),
            Constraint::Length(6),
            Constraint::Length(1),
        ])
        .areas(inner);
        frame.render_widget(
            Paragraph::new(t!("conflicts-intro"))
                .style(theme::dim())
                .wrap(Wrap { trim: true }),
            intro,
        );
        let width = list.width.saturating_sub(2) as usize;
        let items: Vec<ListItem> = self
            .items
            .iter()
            .map(|c| {
                let head = t!(
                    "conflicts-field-of-record",
                    field = c.field.as_str(),
                    record = c.record.as_str()
                );
                let by = t!("conflicts-by", who = c.who.as_str());
                let head = truncate(&head, width.saturating_sub(by.width()));
                ListItem::new(Line::from(vec![
                    Span::styled(head, theme::label_focused()),
                    Span::styled(by, theme::dim()),
                ]))
            })
            .collect();
        render_choices(frame, list, items, self.selected);
        if let Some(c) = self.items.get(self.selected) {
            frame.render_widget(Paragraph::new(detail_lines(c, detail.width)), detail);
        } else {
            frame.render_widget(
                Paragraph::new(t!("conflicts-nothing-left")).style(theme::hint()),
                detail,
            );
        }
        frame.render_widget(
            Paragraph::new(keymap.hints(Context::Conflicts)).style(theme::hint()),
            foot,
        );
    }
}

/// Both values of the selected conflict, side by side with whose and when.
fn detail_lines(c: &Shown, width: u16) -> Vec<Line<'static>> {
    let theirs_label = t!("conflicts-theirs", who = c.who.as_str());
    let yours = t!("conflicts-yours");
    let label_width = theirs_label.width().max(yours.width()) + 2;
    let value_width = (width as usize)
        .saturating_sub(label_width + 20)
        .clamp(10, 48);
    let row = |label: &str, value: &str, at: &Option<String>, note: &str| {
        let label = truncate(label, label_width - 2);
        let value = truncate(value, value_width);
        Line::from(vec![
            Span::styled(
                format!("  {label}{}", " ".repeat(label_width - label.width())),
                theme::label(),
            ),
            Span::styled(value.clone(), theme::label_focused()),
            Span::raw(" ".repeat(value_width.saturating_sub(value.width()) + 2)),
            Span::styled(
                format!("{}{note}", at.as_deref().unwrap_or("")),
                theme::dim(),
            ),
        ])
    };
    let head = Line::from(Span::styled(
        t!(
            "conflicts-field-of-record",
            field = c.field.as_str(),
            record = c.record.as_str()
        ),
        theme::title(),
    ));
    if let Some(why) = &c.why {
        // The team's server refused my edit: it is in place here, not shared.
        return vec![
            head,
            Line::from(""),
            row(&yours, &c.mine, &c.mine_at, ""),
            Line::from(Span::styled(
                format!("  {}", truncate(why, (width as usize).saturating_sub(2))),
                theme::label(),
            )),
            Line::from(Span::styled(
                format!(
                    "  {}",
                    truncate(
                        &t!("conflicts-refused-hint"),
                        (width as usize).saturating_sub(2)
                    )
                ),
                theme::dim(),
            )),
        ];
    }
    vec![
        head,
        Line::from(""),
        row(&yours, &c.mine, &c.mine_at, ""),
        row(
            &theirs_label,
            &c.theirs,
            &c.theirs_at,
            &t!("conflicts-in-place"),
        ),
    ]
}

//! Pipelines, stages and custom fields (`S`): the book's sales processes, each pipeline
//! with its stages in board order, their win probability, rotting limit and open deals;
//! then the custom fields of deals, customers and contacts. Keys add, edit, reorder and
//! delete (asking where a deleted stage's deals go); the app applies each choice through
//! the use cases and opens this list again, the same row selected. For a team in
//! PostgreSQL the list ends with the team's members (`tui::members`): the same keys add
//! one, change a role and remove one, on the team's server.

use crate::t;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, ListItem, Paragraph, Wrap};

use super::{Outcome, centered, render_choices, step_selection};
use crate::domain::field::{Entity, FieldDef};
use crate::domain::stage::{Pipeline, Stage};
use crate::text::{clean, truncate};
use crate::tui::action::{Action, Command};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::theme;

/// One line of the list: a pipeline, or one of its stages.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Pipeline {
        pipeline: Pipeline,
        open: usize,
    },
    Stage {
        stage: Stage,
        index: usize,
        open: usize,
    },
    /// The heading of an entity's custom fields (`a` on it adds one).
    Fields {
        entity: Entity,
        id: String,
    },
    Field(FieldDef),
    /// The heading of the team's members (a team in PostgreSQL): `a` on it, or on any
    /// line under it, adds one.
    Members,
    /// A login of the team, with its role and the people it syncs as.
    Member {
        /// `members:` and the login.
        id: String,
        login: String,
        /// The role as the hub names it (`rep`, `manager`, `admin`).
        kind: String,
        syncs_as: Vec<String>,
        me: bool,
    },
    /// A line about the members: waiting for the server, offline, read-only, or a new
    /// member's password (shown once).
    Note {
        id: String,
        text: String,
        alert: bool,
    },
}

impl Row {
    /// The id of the pipeline, stage or field (`fields:<entity>` for a heading).
    pub fn id(&self) -> &str {
        match self {
            Row::Pipeline { pipeline, .. } => &pipeline.id,
            Row::Stage { stage, .. } => &stage.id,
            Row::Fields { id, .. } => id,
            Row::Field(def) => &def.id,
            Row::Members => MEMBERS,
            Row::Member { id, .. } => id,
            Row::Note { id, .. } => id,
        }
    }

    /// Whether the row is in the Members section: its keys manage the team's logins.
    pub fn is_member(&self) -> bool {
        matches!(self, Row::Members | Row::Member { .. } | Row::Note { .. })
    }

    /// The heading of `entity`'s fields.
    pub fn fields(entity: Entity) -> Row {
        Row::Fields {
            entity,
            id: format!("fields:{}", entity.as_str()),
        }
    }
}

/// The id of the Members heading, and how the ids of every line of that section start
/// (a member's is this and the login), which a pipeline, stage or field id (a UUID, or
/// `fields:…`) never does.
pub const MEMBERS: &str = "members:";

/// Whether `id` is a line of the Members section.
pub fn is_member_id(id: &str) -> bool {
    id.starts_with(MEMBERS)
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    pub rows: Vec<Row>,
    pub selected: usize,
}

impl Settings {
    /// The list, with the row of `keep` (an id) selected when it is there.
    pub fn new(rows: Vec<Row>, keep: Option<&str>) -> Settings {
        let selected = keep
            .and_then(|id| rows.iter().position(|r| r.id() == id))
            .unwrap_or(0);
        Settings { rows, selected }
    }

    fn on_selected(&self, make: impl FnOnce(&Row) -> Action) -> Outcome {
        match self.rows.get(self.selected) {
            Some(row) => Outcome::Act(make(row)),
            None => Outcome::Consumed,
        }
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap) -> Outcome {
        match keymap.lookup(Context::Settings, key) {
            Some(c @ (Command::Down | Command::Up)) => {
                step_selection(&mut self.selected, self.rows.len(), c == Command::Down);
                Outcome::Consumed
            }
            Some(Command::Cancel) => Outcome::Close,
            Some(Command::Add) => self.on_selected(|row| Action::SettingsAdd(row.id().to_string())),
            Some(Command::AddPipeline) => Outcome::Act(Action::SettingsAddPipeline),
            Some(Command::Edit) => {
                self.on_selected(|row| Action::SettingsEdit(row.id().to_string()))
            }
            Some(c @ (Command::MovePrev | Command::MoveNext)) => {
                self.on_selected(|row| Action::SettingsMove {
                    id: row.id().to_string(),
                    up: c == Command::MovePrev,
                })
            }
            Some(Command::Delete) => {
                self.on_selected(|row| Action::SettingsDelete(row.id().to_string()))
            }
            Some(Command::Undo) => {
                let keep = self.rows.get(self.selected).map(|r| r.id().to_string());
                Outcome::Act(Action::SettingsUndo(keep.unwrap_or_default()))
            }
            _ => Outcome::Consumed,
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, keymap: &Keymap) {
        // A note takes the lines it needs: a join URL is never cut.
        let lines: usize = self
            .rows
            .iter()
            .map(|r| match r {
                Row::Note { text, .. } => wrapped(&clean(text), 70).len(),
                _ => 1,
            })
            .sum();
        let wanted = u16::try_from(lines).unwrap_or(u16::MAX).saturating_add(5);
        let rect = centered(area, 76, wanted.min(area.height.saturating_sub(2)));
        super::clear(frame, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(t!("settings-title"))
            .border_style(theme::modal_border());
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let [intro, list, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(2),
        ])
        .areas(inner);
        frame.render_widget(
            Paragraph::new(t!("settings-intro-fields")).style(theme::dim()),
            intro,
        );
        let width = list.width.saturating_sub(2) as usize;
        let items: Vec<ListItem> = self
            .rows
            .iter()
            .map(|row| match row {
                Row::Pipeline { pipeline, open } => ListItem::new(Line::from(vec![
                    Span::styled(
                        truncate(&clean(&pipeline.name), width.saturating_sub(16)),
                        theme::title(),
                    ),
                    Span::styled(t!("settings-open", count = *open), theme::dim()),
                ])),
                Row::Stage { stage, index, open } => {
                    let name = truncate(&clean(&stage.name), 24);
                    let pad = 24usize
                        .saturating_sub(unicode_width::UnicodeWidthStr::width(name.as_str()));
                    ListItem::new(Line::from(vec![
                        Span::raw(format!("  {}. ", index + 1)),
                        Span::styled(format!("{name}{}", " ".repeat(pad)), theme::label_focused()),
                        Span::styled(
                            t!(
                                "settings-stage-figures",
                                probability = format!("{:>3}", stage.probability),
                                days = format!("{:>3}", stage.rot_days),
                                open = *open
                            ),
                            theme::dim(),
                        ),
                    ]))
                }
                Row::Fields { entity, .. } => ListItem::new(Line::from(Span::styled(
                    match entity {
                        Entity::Deal => t!("settings-deal-fields"),
                        Entity::Customer => t!("settings-customer-fields"),
                        Entity::Contact => t!("settings-contact-fields"),
                    },
                    theme::title(),
                ))),
                Row::Field(def) => {
                    let name = truncate(&clean(&def.name), 24);
                    let pad = 24usize
                        .saturating_sub(unicode_width::UnicodeWidthStr::width(name.as_str()));
                    let mut about = if def.required {
                        t!("field-kind-required", kind = def.kind.shown())
                    } else {
                        def.kind.shown()
                    };
                    if !def.choices.is_empty() {
                        about.push_str(": ");
                        about.push_str(&def.choices.join(", "));
                    }
                    ListItem::new(Line::from(vec![
                        Span::raw("  "),
                        Span::styled(format!("{name}{}", " ".repeat(pad)), theme::label_focused()),
                        Span::styled(
                            format!(" {}", truncate(&clean(&about), width.saturating_sub(28))),
                            theme::dim(),
                        ),
                    ]))
                }
                Row::Members => ListItem::new(Line::from(Span::styled(
                    t!("settings-members"),
                    theme::title(),
                ))),
                Row::Member {
                    login,
                    kind,
                    syncs_as,
                    me,
                    ..
                } => {
                    let name = truncate(&clean(login), 24);
                    let pad = 24usize
                        .saturating_sub(unicode_width::UnicodeWidthStr::width(name.as_str()));
                    let role = crate::i18n::noun(kind);
                    let role_pad = 10usize
                        .saturating_sub(unicode_width::UnicodeWidthStr::width(role.as_str()));
                    let mut about = if syncs_as.is_empty() {
                        t!("settings-member-not-joined")
                    } else {
                        t!("settings-member-syncs-as", names = syncs_as.join(", "))
                    };
                    if *me {
                        about.push_str(&t!("team-you"));
                    }
                    ListItem::new(Line::from(vec![
                        Span::raw("  "),
                        Span::styled(format!("{name}{}", " ".repeat(pad)), theme::label_focused()),
                        Span::raw(format!(" {role}{}", " ".repeat(role_pad))),
                        Span::styled(
                            format!(" {}", truncate(&clean(&about), width.saturating_sub(38))),
                            theme::dim(),
                        ),
                    ]))
                }
                Row::Note { text, alert, .. } => ListItem::new(
                    wrapped(&clean(text), width.saturating_sub(2))
                        .into_iter()
                        .map(|line| {
                            Line::from(Span::styled(
                                format!("  {line}"),
                                if *alert { theme::error() } else { theme::dim() },
                            ))
                        })
                        .collect::<Vec<_>>(),
                ),
            })
            .collect();
        render_choices(frame, list, items, self.selected);
        frame.render_widget(
            Paragraph::new(keymap.hints(Context::Settings))
                .style(theme::hint())
                .wrap(Wrap { trim: true }),
            foot,
        );
    }
}

/// `text` in lines of at most `width` columns, broken between words (a word longer than
/// a line, such as a URL, across lines).
fn wrapped(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let width = width.max(8);
    let mut lines = vec![String::new()];
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let current = lines.last().map_or(0, |l| l.width());
        if current > 0 && current + 1 + word.width() <= width {
            if let Some(line) = lines.last_mut() {
                line.push(' ');
                line.push_str(word);
            }
            continue;
        }
        if current > 0 {
            lines.push(String::new());
        }
        for c in word.chars() {
            let full = lines.last().map_or(0, |l| l.width());
            if full + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) > width {
                lines.push(String::new());
            }
            if let Some(line) = lines.last_mut() {
                line.push(c);
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrapped;

    #[test]
    fn a_note_wraps_between_words_and_a_long_url_across_lines() {
        assert_eq!(wrapped("one two three", 8), vec!["one two", "three"]);
        let url = format!("postgres://wei@{}.example.com/sales", "db".repeat(20));
        let lines = wrapped(&format!("Join: {url}"), 30);
        assert_eq!(lines.concat(), format!("Join:{url}"));
        assert!(lines.iter().all(|l| l.chars().count() <= 30), "{lines:?}");
        assert_eq!(wrapped("", 10), vec![""]);
    }
}

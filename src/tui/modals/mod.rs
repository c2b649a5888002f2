//! Modal popups. A modal gets every key first and answers with an [`Outcome`]: it kept
//! the key, it closed, or it chose an [`Action`] for the app to apply. No modal touches
//! the store or another view. Each modal's keys are the keymap's bindings in its
//! context ([`Modal::context`]), and its key line is generated from them.

pub mod confirm;
pub mod conflicts;
pub mod form;
pub mod picker;
pub mod search;
pub mod settings;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};

use super::action::{Action, Command};
use super::keymap::{Context, Keymap};

/// What a modal made of a key.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The key was used; stay open.
    Consumed,
    /// Close without doing anything.
    Close,
    /// Apply this action (the modal closes unless the action reopens it).
    Act(Action),
}

/// The open modal.
#[derive(Debug, Clone, PartialEq)]
pub enum Modal {
    Help(usize),
    Form(form::Form),
    Confirm(confirm::Confirm),
    Picker(picker::Picker),
    Search(search::Search),
    Conflicts(conflicts::Conflicts),
    Settings(settings::Settings),
}

impl Modal {
    /// The keymap context of this modal: its keys are the table's bindings there.
    pub fn context(&self) -> Context {
        match self {
            Modal::Help(_) => Context::Help,
            Modal::Form(_) => Context::Form,
            Modal::Confirm(_) => Context::Confirm,
            Modal::Picker(_) => Context::Picker,
            Modal::Search(_) => Context::Search,
            Modal::Conflicts(_) => Context::Conflicts,
            Modal::Settings(_) => Context::Settings,
        }
    }

    /// A key, read with the keymap in force.
    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap) -> Outcome {
        match self {
            Modal::Help(scroll) => match keymap.lookup(Context::Help, key) {
                Some(Command::ScrollDown) => {
                    *scroll += 1;
                    Outcome::Consumed
                }
                Some(Command::ScrollUp) => {
                    *scroll = scroll.saturating_sub(1);
                    Outcome::Consumed
                }
                // Any other key closes help, as its title says.
                _ => Outcome::Close,
            },
            Modal::Form(f) => f.handle_key(key, keymap),
            Modal::Confirm(c) => c.handle_key(key, keymap),
            Modal::Picker(p) => p.handle_key(key, keymap),
            Modal::Search(s) => s.handle_key(key, keymap),
            Modal::Conflicts(c) => c.handle_key(key, keymap),
            Modal::Settings(s) => s.handle_key(key, keymap),
        }
    }

    /// A paste (bracketed, so it arrives whole): text for a form field or the search,
    /// nothing for the other modals; never keys.
    pub fn paste(&mut self, text: &str) -> Outcome {
        match self {
            Modal::Form(f) => {
                f.paste(text);
                Outcome::Consumed
            }
            Modal::Search(s) => s.paste(text),
            Modal::Help(_)
            | Modal::Confirm(_)
            | Modal::Picker(_)
            | Modal::Conflicts(_)
            | Modal::Settings(_) => Outcome::Consumed,
        }
    }

    /// Draws the modal; its key line comes from `keymap`.
    pub fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        help: &[(String, String, String)],
        keymap: &Keymap,
    ) {
        match self {
            Modal::Help(scroll) => super::views::help::render(frame, area, help, *scroll, keymap),
            Modal::Form(f) => f.render(frame, area, keymap),
            Modal::Confirm(c) => c.render(frame, area, keymap),
            Modal::Picker(p) => p.render(frame, area, keymap),
            Modal::Search(s) => s.render(frame, area, keymap),
            Modal::Conflicts(c) => c.render(frame, area, keymap),
            Modal::Settings(s) => s.render(frame, area, keymap),
        }
    }
}

/// Moves a list selection one step, within `len` items.
pub fn step_selection(selected: &mut usize, len: usize, forward: bool) {
    *selected = if forward {
        (*selected + 1).min(len.saturating_sub(1))
    } else {
        selected.saturating_sub(1)
    };
}

/// A list of choices with `selected` marked, the one look every modal list has.
pub fn render_choices(
    frame: &mut Frame,
    area: Rect,
    items: Vec<ratatui::widgets::ListItem<'_>>,
    selected: usize,
) {
    use ratatui::widgets::{List, ListState};
    let mut state = ListState::default().with_selected(Some(selected));
    frame.render_stateful_widget(
        List::new(items)
            .highlight_style(super::theme::selected())
            .highlight_symbol("› "),
        area,
        &mut state,
    );
}

/// Clears the screen under a popup at `rect`, and the column left of it: a wide
/// character (CJK, an emoji) that starts there would otherwise spill over the popup's
/// left border.
pub fn clear(frame: &mut Frame, rect: Rect) {
    let x = rect.x.saturating_sub(1);
    let widened = Rect {
        x,
        width: rect.width + (rect.x - x),
        ..rect
    };
    frame.render_widget(ratatui::widgets::Clear, widened);
}

/// A centred box of at most `width` × `height` inside `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

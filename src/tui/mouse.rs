//! The mouse, when `mouse = true` (the default): a click on a tab shows its view, a click
//! on a card selects it and a second click on it opens it, the wheel scrolls the list or
//! column under it, and dragging a card to another column moves the deal (or the
//! customer) there: one undoable change, like `H`/`L`. Everything goes through the same commands and actions
//! as the keys; a modal ignores the mouse (its keys say what it wants).

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::action::{Action, Command, Handled};
use super::app::App;
use super::components::board;
use super::keymap::Context;
use super::views;

/// A press on a card, remembered until the button is released (a drag or a click).
#[derive(Debug, Clone, PartialEq)]
pub struct Press {
    pub context: Context,
    pub col: usize,
    pub card: Option<usize>,
    /// The record the press selected, so that a drop moves that one even if the board
    /// was read again (a sync, another process) between press and release.
    pub record: Option<String>,
    /// When, for telling a double click from two clicks.
    pub at: i64,
}

/// Two clicks on one card within this many milliseconds open it.
const DOUBLE_CLICK_MS: i64 = 500;

impl App {
    /// Handles a mouse event; what became of it.
    pub fn handle_mouse(&mut self, event: &MouseEvent) -> Handled {
        if !self.settings.mouse || self.modal.is_some() {
            return Handled::NotHandled;
        }
        let (x, y) = (event.column, event.row);
        let context = self.view_context();
        match event.kind {
            MouseEventKind::Down(MouseButton::Left) if y == 0 => match views::tab_at(x) {
                Some(tab) => {
                    let i = super::action::Tab::ALL
                        .iter()
                        .position(|t| *t == tab)
                        .unwrap_or(0);
                    self.command(Context::Global, Command::GoTab(i))
                }
                None => Handled::NotHandled,
            },
            MouseEventKind::Down(MouseButton::Left) => {
                let Some((col, card)) = self.board_hit(context, x, y) else {
                    return Handled::NotHandled;
                };
                let now = self.now();
                let double = self.last_click.as_ref().is_some_and(|p| {
                    p.context == context
                        && p.col == col
                        && p.card == card
                        && card.is_some()
                        && now - p.at <= DOUBLE_CLICK_MS
                });
                self.click_board(context, col, card);
                let press = Press {
                    context,
                    col,
                    card,
                    record: self.selected_record(context),
                    at: now,
                };
                self.pressed = Some(press.clone());
                if double {
                    self.last_click = None;
                    return self.command(context, Command::Open);
                }
                self.last_click = Some(press);
                Handled::Consumed
            }
            MouseEventKind::Up(MouseButton::Left) => {
                let Some(press) = self.pressed.take() else {
                    return Handled::NotHandled;
                };
                match self.board_hit(context, x, y) {
                    Some((col, _)) if col != press.col && press.card.is_some() => {
                        self.last_click = None;
                        if self.selected_record(context) != press.record {
                            self.fail(crate::t!("mouse-board-changed"));
                            return Handled::Consumed;
                        }
                        self.drop_card(context, col)
                    }
                    _ => Handled::Consumed,
                }
            }
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let down = event.kind == MouseEventKind::ScrollDown;
                if let Some((col, _)) = self.board_hit(context, x, y) {
                    self.click_board(context, col, None);
                }
                let command = match (context, down) {
                    (Context::Detail, true) => Command::ScrollDown,
                    (Context::Detail, false) => Command::ScrollUp,
                    (_, true) => Command::Down,
                    (_, false) => Command::Up,
                };
                self.command(context, command)
            }
            MouseEventKind::Down(_)
            | MouseEventKind::Up(_)
            | MouseEventKind::Drag(_)
            | MouseEventKind::Moved
            | MouseEventKind::ScrollLeft
            | MouseEventKind::ScrollRight => Handled::NotHandled,
        }
    }

    /// Runs a command as its key would.
    fn command(&mut self, context: Context, command: Command) -> Handled {
        self.message = None;
        let handled = self.route(context, command);
        self.settle(handled)
    }

    /// The board column and card at a point, on the board in front.
    fn board_hit(&self, context: Context, x: u16, y: u16) -> Option<(usize, Option<usize>)> {
        let area = views::body_area(self.size);
        match context {
            Context::Board => board::hit(&self.pipeline.board, area, x, y),
            Context::Customers => board::hit(&self.customers.board, area, x, y),
            Context::Global
            | Context::Detail
            | Context::Profile
            | Context::Agenda
            | Context::Reports
            | Context::Form
            | Context::Confirm
            | Context::Picker
            | Context::Search
            | Context::Conflicts
            | Context::Settings
            | Context::Help => None,
        }
    }

    fn click_board(&mut self, context: Context, col: usize, card: Option<usize>) {
        match context {
            Context::Board => self.pipeline.board.click(col, card),
            Context::Customers => self.customers.board.click(col, card),
            // Only the boards are hit (see `board_hit`).
            Context::Global
            | Context::Detail
            | Context::Profile
            | Context::Agenda
            | Context::Reports
            | Context::Form
            | Context::Confirm
            | Context::Picker
            | Context::Search
            | Context::Conflicts
            | Context::Settings
            | Context::Help => {}
        }
    }

    /// A card dropped on column `col`: a deal moves to that stage, a customer to that
    /// status or tier (churning asks why, as `L` does).
    /// The id of the card selected on the board of `context`.
    fn selected_record(&self, context: Context) -> Option<String> {
        match context {
            Context::Board => self.pipeline.selected().map(|r| r.deal.id.clone()),
            Context::Customers => self.customers.selected().map(|s| s.customer.id.clone()),
            _ => None,
        }
    }

    fn drop_card(&mut self, context: Context, col: usize) -> Handled {
        if context == Context::Customers {
            let Some(key) = self.customers.board.columns.get(col).map(|c| c.key.clone()) else {
                return Handled::Consumed;
            };
            let handled = self.customers.move_to(&key);
            return self.settle(handled);
        }
        if context != Context::Board {
            return Handled::Consumed;
        }
        let Some(row) = self.pipeline.selected() else {
            return Handled::Consumed;
        };
        let key = self.pipeline.board.columns.get(col).map(|c| c.key.clone());
        let target = self
            .pipeline
            .stages
            .iter()
            .find(|s| Some(&s.id) == key.as_ref())
            .cloned();
        let action = match target {
            Some(_) if row.deal.status != crate::domain::deal::DealStatus::Open => {
                Action::Fail(crate::t!(
                    "mouse-deal-closed",
                    title = row.deal.title.as_str(),
                    key = self
                        .keymap
                        .key(Context::Board, crate::tui::action::Command::Reopen)
                ))
            }
            Some(stage) => Action::MoveDeal {
                deal: Box::new(row.deal.clone()),
                target: Box::new(stage),
            },
            None => Action::Fail(crate::t!("mouse-drop-on-stage")),
        };
        self.dispatch(action.clone());
        Handled::Act(action)
    }
}

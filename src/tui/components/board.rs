//! The one kanban board, for the Pipeline (a column per stage) and the Customers board (a
//! column per status or tier). It owns the columns, the selection and both scrolls
//! (columns sideways, cards down); a column holds only the window of cards on screen,
//! which its component reads with [`Board::step`]'s answer. [`render`] draws the columns
//! and leaves the header's figures line and each card to the component.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::text::truncate;
use crate::tui::theme;

/// Rows a card takes on the board, including the gap below it.
pub const CARD_HEIGHT: u16 = 5;
/// Rows of a column's header.
pub const HEADER_HEIGHT: u16 = 3;
/// The narrowest a board column may be before the board scrolls sideways.
pub const MIN_COLUMN_WIDTH: u16 = 26;

/// A column's header figures; the board needs only the card count from them.
pub trait Totals {
    fn count(&self) -> usize;
}

impl Totals for crate::store::deals::ColumnTotals {
    fn count(&self) -> usize {
        self.count
    }
}

impl Totals for crate::store::customers::GroupTotals {
    fn count(&self) -> usize {
        self.count
    }
}

/// One column: what it stands for, its header figures, and the window of cards on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Column<T, C> {
    /// The stored value the column stands for (a stage id, `prospect`, `key` …).
    pub key: String,
    pub title: String,
    pub totals: T,
    /// Index of the selected card within the whole column.
    pub selected: usize,
    /// Index of the first card loaded (and shown).
    pub offset: usize,
    pub cards: Vec<C>,
}

impl<T, C> Column<T, C> {
    pub fn selected_card(&self) -> Option<&C> {
        self.cards.get(self.selected.checked_sub(self.offset)?)
    }
}

/// A move of the selection within a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Prev,
    Next,
    First,
    Last,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Board<T, C> {
    pub columns: Vec<Column<T, C>>,
    /// The selected column.
    pub col: usize,
    /// The first column on screen.
    pub first_col: usize,
    pub cols_visible: usize,
    /// Cards a column shows (and loads) at once.
    pub rows_visible: usize,
}

impl<T, C> Default for Board<T, C> {
    fn default() -> Self {
        Board {
            columns: Vec::new(),
            col: 0,
            first_col: 0,
            cols_visible: 1,
            rows_visible: 1,
        }
    }
}

impl<T: Totals, C> Board<T, C> {
    /// Sizes the board for a terminal of `size` (the tab line and status bar take two
    /// rows) showing `columns` columns.
    pub fn fit_to(&mut self, size: (u16, u16), columns: usize) {
        let (w, h) = size;
        // The last card needs no gap below it.
        self.rows_visible =
            ((h.saturating_sub(2 + HEADER_HEIGHT) + 1) / CARD_HEIGHT).max(1) as usize;
        self.cols_visible = ((w / MIN_COLUMN_WIDTH).max(1) as usize).min(columns.max(1));
    }

    /// Replaces the columns by `heads` (key, title, totals), each keeping the selection and
    /// window it had under the same key. Cards are loaded afterwards, column by column.
    pub fn set_columns(&mut self, heads: Vec<(String, String, T)>) {
        let previous = std::mem::take(&mut self.columns);
        for (key, title, totals) in heads {
            let (selected, offset) = previous
                .iter()
                .find(|c| c.key == key)
                .map_or((0, 0), |c| (c.selected, c.offset));
            self.columns.push(Column {
                key,
                title,
                totals,
                selected,
                offset,
                cards: Vec::new(),
            });
        }
    }

    pub fn column(&self, key: &str) -> Option<&Column<T, C>> {
        self.columns.iter().find(|c| c.key == key)
    }

    /// Selects card `index` of the column keyed `key` (a record kept selected across a
    /// reload, which may have moved column).
    pub fn select(&mut self, key: &str, index: usize) {
        if let Some(col) = self.columns.iter().position(|c| c.key == key) {
            self.col = col;
            self.columns[col].selected = index;
        }
    }

    /// Brings every selection within its column and into its window, and the selected
    /// column on screen; after new totals, before the windows are read.
    pub fn settle(&mut self) {
        self.col = self.col.min(self.columns.len().saturating_sub(1));
        let rows = self.rows_visible;
        for column in &mut self.columns {
            let count = column.totals.count();
            column.selected = column.selected.min(count.saturating_sub(1));
            column.offset = scrolled_offset(column.offset, column.selected, rows, count);
        }
        self.fit_columns();
    }

    /// Selects the previous or next column; whether there was one.
    pub fn sideways(&mut self, forward: bool) -> bool {
        let n = self.columns.len();
        let before = self.col;
        self.col = if forward {
            (self.col + 1).min(n.saturating_sub(1))
        } else {
            self.col.saturating_sub(1)
        };
        self.fit_columns();
        self.col != before
    }

    /// Selects card `index` of column `col` (a click); it is on screen, so no window
    /// needs reading.
    pub fn click(&mut self, col: usize, index: Option<usize>) {
        if col >= self.columns.len() {
            return;
        }
        self.col = col;
        if let Some(i) = index {
            self.columns[col].selected = i;
        }
        self.fit_columns();
    }

    /// Moves the selection in the selected column. Answers the column whose window must
    /// be read again, when the window moved.
    pub fn step(&mut self, step: Step) -> Option<usize> {
        let rows = self.rows_visible.max(1);
        let col = self.col;
        let column = self.columns.get_mut(col)?;
        let count = column.totals.count();
        if count == 0 {
            return None;
        }
        column.selected = match step {
            Step::Prev => column.selected.saturating_sub(1),
            Step::Next => (column.selected + 1).min(count - 1),
            Step::First => 0,
            Step::Last => count - 1,
        };
        let offset = scrolled_offset(column.offset, column.selected, rows, count);
        if offset == column.offset {
            return None;
        }
        column.offset = offset;
        Some(col)
    }

    pub fn selected_column(&self) -> Option<&Column<T, C>> {
        self.columns.get(self.col)
    }

    pub fn selected_card(&self) -> Option<&C> {
        self.selected_column()?.selected_card()
    }

    /// The column before or after the selected one, if there is one.
    pub fn neighbour(&self, forward: bool) -> Option<&Column<T, C>> {
        let target = if forward {
            self.col.checked_add(1)?
        } else {
            self.col.checked_sub(1)?
        };
        self.columns.get(target)
    }

    /// Keeps the selected column within the columns on screen.
    fn fit_columns(&mut self) {
        let visible = self.cols_visible.max(1);
        if self.col < self.first_col {
            self.first_col = self.col;
        } else if self.col >= self.first_col + visible {
            self.first_col = self.col + 1 - visible;
        }
        self.first_col = self
            .first_col
            .min(self.columns.len().saturating_sub(visible));
    }
}

/// The first card to show so that `selected` is visible, moving as little as possible.
pub fn scrolled_offset(offset: usize, selected: usize, visible: usize, count: usize) -> usize {
    let visible = visible.max(1);
    let mut offset = offset.min(count.saturating_sub(visible));
    if selected < offset {
        offset = selected;
    } else if selected >= offset + visible {
        offset = selected + 1 - visible;
    }
    offset
}

/// Where a point of the board's `area` falls: a column (by index into `columns`) and,
/// when on a card, the card's index within the whole column. Mirrors [`render`]'s
/// layout, so a click lands on what is drawn there.
pub fn hit<T, C>(
    board: &Board<T, C>,
    area: Rect,
    x: u16,
    y: u16,
) -> Option<(usize, Option<usize>)> {
    if !area.contains(ratatui::layout::Position { x, y }) {
        return None;
    }
    let shown = board.first_col..(board.first_col + board.cols_visible).min(board.columns.len());
    let n = shown.len().max(1) as u32;
    let areas = Layout::horizontal((0..n).map(|_| Constraint::Ratio(1, n))).split(area);
    let (slot, rect) = areas
        .iter()
        .enumerate()
        .find(|(_, r)| x >= r.x && x < r.x + r.width)?;
    let col = board.first_col + slot;
    let column = board.columns.get(col)?;
    let cards_top = rect.y + HEADER_HEIGHT;
    if y < cards_top {
        return Some((col, None));
    }
    let i = usize::from((y - cards_top) / CARD_HEIGHT);
    let on_gap = (y - cards_top) % CARD_HEIGHT == CARD_HEIGHT - 1;
    let card = (!on_gap && i < column.cards.len()).then_some(column.offset + i);
    Some((col, card))
}

/// How a component's columns look on the generic board.
pub struct Look<'a, T, C> {
    /// Shown in a column with no cards (" no deals").
    pub empty_column: &'a str,
    /// The header's second line, given the column and the room there is.
    pub figures: &'a dyn Fn(&Column<T, C>, usize) -> Line<'static>,
    /// Draws one card (selected or not) into its rectangle.
    pub card: &'a dyn Fn(&C, bool, &mut Frame, Rect),
}

/// Draws the columns on screen side by side, with sideways scroll markers.
pub fn render<T: Totals, C>(board: &Board<T, C>, look: &Look<T, C>, frame: &mut Frame, area: Rect) {
    let shown = board.first_col..(board.first_col + board.cols_visible).min(board.columns.len());
    let n = shown.len().max(1) as u32;
    let areas = Layout::horizontal((0..n).map(|_| Constraint::Ratio(1, n))).split(area);
    for (slot, idx) in shown.clone().enumerate() {
        let block = if slot == 0 {
            Block::default()
        } else {
            Block::default()
                .borders(Borders::LEFT)
                .border_style(theme::dim())
        };
        let inner = block.inner(areas[slot]);
        frame.render_widget(block, areas[slot]);
        render_column(&board.columns[idx], idx == board.col, look, frame, inner);
    }
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

fn render_column<T: Totals, C>(
    column: &Column<T, C>,
    focused: bool,
    look: &Look<T, C>,
    frame: &mut Frame,
    area: Rect,
) {
    let width = area.width.saturating_sub(1) as usize;
    let [header, cards] =
        Layout::vertical([Constraint::Length(HEADER_HEIGHT), Constraint::Min(0)]).areas(area);
    let title_style = if focused {
        theme::tab_active()
    } else {
        theme::title()
    };
    let count = column.totals.count();
    let title = truncate(&format!(" {} ({count}) ", column.title), width);
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
        (look.figures)(column, width),
        Line::from(Span::styled(
            format!(
                " {}{}",
                rule,
                "─".repeat(
                    width.saturating_sub(unicode_width::UnicodeWidthStr::width(rule.as_str()) + 1)
                )
            ),
            theme::dim(),
        )),
    ];
    frame.render_widget(Paragraph::new(header_lines), header);
    if column.cards.is_empty() {
        // The focused column shows it has the focus even with no card to select.
        let (text, style) = if focused {
            (
                format!("▌{}", look.empty_column.trim_start()),
                theme::selected_card(),
            )
        } else {
            (look.empty_column.to_string(), theme::dim())
        };
        let line = Rect {
            height: cards.height.min(1),
            ..cards
        };
        frame.render_widget(Paragraph::new(text).style(style), line);
        return;
    }
    for (i, card) in column.cards.iter().enumerate() {
        let y = cards.y + (i as u16) * CARD_HEIGHT;
        if y + CARD_HEIGHT - 1 > cards.y + cards.height {
            break;
        }
        let rect = Rect {
            x: cards.x,
            y,
            width: cards.width,
            height: CARD_HEIGHT - 1,
        };
        let selected = focused && column.offset + i == column.selected;
        (look.card)(card, selected, frame, rect);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Totals for usize {
        fn count(&self) -> usize {
            *self
        }
    }

    fn board(counts: &[usize]) -> Board<usize, ()> {
        let mut b = Board {
            rows_visible: 3,
            cols_visible: 2,
            ..Board::default()
        };
        b.set_columns(
            counts
                .iter()
                .enumerate()
                .map(|(i, n)| (i.to_string(), format!("C{i}"), *n))
                .collect(),
        );
        b.settle();
        b
    }

    #[test]
    fn the_window_follows_the_selection() {
        assert_eq!(scrolled_offset(0, 2, 3, 10), 0);
        assert_eq!(scrolled_offset(0, 3, 3, 10), 1);
        assert_eq!(scrolled_offset(5, 2, 3, 10), 2);
        assert_eq!(scrolled_offset(9, 9, 3, 10), 7);
        assert_eq!(scrolled_offset(4, 0, 3, 0), 0);
    }

    #[test]
    fn stepping_past_the_window_asks_for_the_next_one() {
        let mut b = board(&[10, 0, 4]);
        assert_eq!(b.step(Step::Next), None);
        assert_eq!(b.step(Step::Next), None);
        assert_eq!(b.step(Step::Next), Some(0), "the fourth card scrolls");
        assert_eq!(b.columns[0].offset, 1);
        assert_eq!(b.step(Step::Last), Some(0));
        assert_eq!(b.columns[0].selected, 9);
        b.col = 1;
        assert_eq!(
            b.step(Step::Next),
            None,
            "an empty column has nothing to select"
        );
    }

    #[test]
    fn moving_sideways_scrolls_the_columns() {
        let mut b = board(&[1, 1, 1]);
        assert!(b.sideways(true));
        assert!(b.sideways(true));
        assert!(!b.sideways(true), "no column further right");
        assert_eq!((b.col, b.first_col), (2, 1));
        assert!(b.sideways(false) && b.sideways(false));
        assert_eq!((b.col, b.first_col), (0, 0));
    }

    #[test]
    fn a_reload_keeps_each_columns_place_by_key() {
        let mut b = board(&[10, 5]);
        b.step(Step::Last);
        b.set_columns(vec![
            ("1".into(), "C1".into(), 5),
            ("0".into(), "C0".into(), 4),
        ]);
        b.settle();
        assert_eq!(
            b.columns[1].selected, 3,
            "kept, then clamped to the new count"
        );
    }
}

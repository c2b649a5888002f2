//! The pipeline board: one column per stage, cards of open deals, the selected one
//! highlighted. Only the window of cards on screen is read ([`deals::column_window`]), so
//! a book of 100k deals costs a screenful per column.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::board::{self, Board, Step};
use super::{Action, Command, Env, Handled, Look, act, fail};
use crate::domain::activity::{ActivityKind, Urgency, urgency};
use crate::domain::deal::{Deal, DealStatus};
use crate::domain::money::{Currency, Total};
use crate::domain::stage::{Pipeline as SalesPipeline, Stage};
use crate::store::activities::Subject;
use crate::store::deals::{self, ColumnTotals, DealRow};
use crate::store::{StoreError, pipelines, stages};
use crate::t;
use crate::text::truncate;
use crate::tui::forms;
use crate::tui::keymap::Context;
use crate::tui::modals::Modal;
use crate::tui::modals::confirm::Confirm;
use crate::tui::modals::picker::Picker;
use crate::tui::theme;
use unicode_width::UnicodeWidthStr;

/// The Won and Lost columns' keys (stage ids are UUIDs, so they cannot clash).
const WON: &str = "won";
const LOST: &str = "lost";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pipeline {
    /// The book's pipelines, and the one shown (`P` picks another). A deleted or unknown
    /// one falls back to the first.
    pub pipelines: Vec<SalesPipeline>,
    pub current: Option<SalesPipeline>,
    /// The shown pipeline's stages, in board order: a column each.
    pub stages: Vec<Stage>,
    pub board: Board<ColumnTotals, DealRow>,
    /// Whether the Won and Lost columns are shown (`z`); their cards are read a window at
    /// a time, newest close first, like the stages'.
    pub show_closed: bool,
    /// The Won and Lost columns' header figures, kept while the closed deals are
    /// unchanged.
    closed_heads: ClosedHeads,
}

/// The Won and Lost heads, kept between reads of the board: counting them sums every
/// closed deal (at 100k deals, 43k of them: most of `z`), and what changes the board
/// most, a deal moved between stages, leaves them as they were.
#[derive(Debug, Clone, Default, PartialEq)]
struct ClosedHeads {
    /// What they were counted for: other connections' commits (`data_version`), this
    /// connection's writes that may have changed a closed deal
    /// (`Store::changes_but_moves`), the owner shown and the pipeline.
    read_at: Option<(i64, u64, Option<String>, Option<String>)>,
    won: ColumnTotals,
    lost: ColumnTotals,
}

impl ClosedHeads {
    /// The Won and Lost heads as the book holds them now, counted again only if they may
    /// have changed.
    fn now(
        &mut self,
        env: &Env,
        pipeline_id: Option<&str>,
    ) -> Result<(ColumnTotals, ColumnTotals), StoreError> {
        let mark = (
            crate::store::data_version(env.conn)?,
            env.changes_but_moves,
            env.owner.map(str::to_string),
            pipeline_id.map(str::to_string),
        );
        if self.read_at.as_ref() != Some(&mark) {
            self.won = deals::closed_totals(env.conn, DealStatus::Won, env.owner, pipeline_id)?;
            self.lost = deals::closed_totals(env.conn, DealStatus::Lost, env.owner, pipeline_id)?;
            self.read_at = Some(mark);
        }
        Ok((self.won.clone(), self.lost.clone()))
    }
}

impl Pipeline {
    pub fn selected(&self) -> Option<&DealRow> {
        self.board.selected_card()
    }

    /// The pipeline shown, by id, for the deal form's stages.
    pub fn pipeline_id(&self) -> String {
        self.current
            .as_ref()
            .map(|p| p.id.clone())
            .unwrap_or_default()
    }

    /// Shows another pipeline: its stages become the columns.
    pub fn show_pipeline(&mut self, env: &Env, id: &str) -> Result<(), StoreError> {
        self.current = Some(pipelines::get(env.conn, id)?);
        self.board = Board::default();
        self.read(env, None, true)
    }

    /// Reads the board again, keeping `keep` (a deal id) selected when given.
    pub fn reload(&mut self, env: &Env, keep: Option<&str>) -> Result<(), StoreError> {
        self.read(env, keep, true)
    }

    /// Selects the deal `id` where it is on the board, which is otherwise as it was read:
    /// a deal opened from elsewhere (the Agenda, search) while nothing changed since, so
    /// the column heads are not counted again.
    pub fn select_deal(&mut self, env: &Env, id: &str) -> Result<(), StoreError> {
        self.read(env, Some(id), false)
    }

    /// After `deal` moved to `target`: one card's amount goes from one column header to
    /// another, and nothing else changes but the two columns' cards, so the headers are
    /// adjusted instead of counted again. (Another process's writes are caught by the
    /// app's tick, which reloads everything.)
    pub fn after_move(&mut self, env: &Env, deal: &Deal, target: &Stage) -> Result<(), StoreError> {
        let amount = &deal.amount;
        for column in &mut self.board.columns {
            let leaving = column.key == deal.stage_id;
            if leaving || column.key == target.id {
                let Some(stage) = self.stages.iter().find(|s| s.id == column.key) else {
                    continue;
                };
                column.totals.shift(
                    amount.currency.code(),
                    amount.minor,
                    stage.probability,
                    leaving,
                );
            }
        }
        self.read(env, Some(&deal.id), false)
    }

    /// After the open deal `deal` (as it was before) was won, lost or deleted: its card
    /// leaves its column and its amount that column's header, and nothing else on the
    /// board changes but the Won and Lost columns (whose heads are kept by their own
    /// mark), so the headers are adjusted instead of every stage counted again. False,
    /// with nothing changed, when its card was not on the board (another pipeline, or
    /// not the owner's shown): the board must then be read again.
    pub fn after_leave(&mut self, env: &Env, deal: &Deal) -> Result<bool, StoreError> {
        let Some(stage) = self.stages.iter().find(|s| s.id == deal.stage_id) else {
            return Ok(false);
        };
        let Some(column) = self
            .board
            .columns
            .iter_mut()
            .find(|c| c.key == deal.stage_id && c.cards.iter().any(|r| r.deal.id == deal.id))
        else {
            return Ok(false);
        };
        column.totals.shift(
            deal.amount.currency.code(),
            deal.amount.minor,
            stage.probability,
            true,
        );
        // Kept selected where it went: on the Won or Lost column when they are shown.
        self.read(env, Some(&deal.id), false)?;
        Ok(true)
    }

    /// Reads the board, keeping `keep` selected; the column header figures are counted
    /// again when `recount`, else kept as they are.
    fn read(&mut self, env: &Env, keep: Option<&str>, recount: bool) -> Result<(), StoreError> {
        let conn = env.conn;
        self.pipelines = pipelines::list(conn)?;
        let wanted = self.current.as_ref().map(|p| p.id.clone());
        self.current = self
            .pipelines
            .iter()
            .find(|p| Some(&p.id) == wanted.as_ref())
            .or_else(|| self.pipelines.first())
            .cloned();
        self.stages = match &self.current {
            Some(p) => stages::list_in(conn, &p.id)?,
            None => Vec::new(),
        };
        let columns = self.stages.len() + if self.show_closed { 2 } else { 0 };
        self.board.fit_to(env.size, columns);
        let mut heads = Vec::with_capacity(self.stages.len());
        for stage in &self.stages {
            let kept = self
                .board
                .column(&stage.id)
                .filter(|_| !recount)
                .map(|c| c.totals.clone());
            let totals = match kept {
                Some(totals) => totals,
                None => deals::column_totals(conn, stage, env.owner)?,
            };
            heads.push((stage.id.clone(), stage.name.clone(), totals));
        }
        if self.show_closed {
            let shown = self.current.as_ref().map(|p| p.id.clone());
            let (won, lost) = self.closed_heads.now(env, shown.as_deref())?;
            heads.push((WON.into(), DealStatus::Won.label(), won));
            heads.push((LOST.into(), DealStatus::Lost.label(), lost));
        }
        self.board.set_columns(heads);
        // The kept deal may have moved column (or closed, and left the board unless the
        // closed columns are shown, or moved to another pipeline).
        match keep.and_then(|id| deals::get(conn, id).ok()) {
            Some(deal)
                if deal.status == DealStatus::Open
                    && !self.stages.iter().any(|s| s.id == deal.stage_id) => {}
            Some(deal) if deal.status == DealStatus::Open => {
                let index = deals::index_in_column(conn, &deal, env.owner)?;
                self.board.select(&deal.stage_id, index);
            }
            Some(deal) if self.show_closed => {
                let key = if deal.status == DealStatus::Won {
                    WON
                } else {
                    LOST
                };
                let shown = self.current.as_ref().map(|p| p.id.as_str());
                let index = deals::index_in_closed(conn, &deal, env.owner, shown)?;
                self.board.select(key, index);
            }
            Some(_) => {}
            None => {}
        }
        self.board.settle();
        for col in 0..self.board.columns.len() {
            self.load_window(env, col)?;
        }
        Ok(())
    }

    fn load_window(&mut self, env: &Env, col: usize) -> Result<(), StoreError> {
        let rows = self.board.rows_visible.max(1);
        let Some(column) = self.board.columns.get_mut(col) else {
            return Ok(());
        };
        column.cards = match column.key.as_str() {
            key @ (WON | LOST) => {
                let status = if key == WON {
                    DealStatus::Won
                } else {
                    DealStatus::Lost
                };
                let shown = self.current.as_ref().map(|p| p.id.as_str());
                deals::closed_window(env.conn, status, env.owner, shown, column.offset, rows)?
            }
            stage => deals::column_window(env.conn, stage, env.owner, column.offset, rows)?,
        };
        Ok(())
    }

    fn step(&mut self, env: &Env, step: Step) -> Result<Handled, StoreError> {
        if let Some(col) = self.board.step(step) {
            self.load_window(env, col)?;
        }
        Ok(Handled::Consumed)
    }

    fn on_selected(&self, key: DealKey, env: &Env) -> Result<Handled, StoreError> {
        let verb = match key {
            DealKey::Edit => t!("verb-edit"),
            DealKey::Win => t!("verb-mark-won"),
            DealKey::Lose => t!("verb-mark-lost"),
            DealKey::FollowUp => t!("verb-follow-up"),
            DealKey::LogActivity => t!("verb-log-activity"),
            DealKey::Delete => t!("verb-delete"),
        };
        match self.selected() {
            Some(row) => on_deal(key, row, env),
            None => self.nothing_selected(&verb),
        }
    }

    /// Why a deal key did nothing: the column in front is empty (and what would help).
    fn nothing_selected(&self, verb: &str) -> Result<Handled, StoreError> {
        match self.board.selected_column() {
            Some(column) => fail(t!(
                "board-column-empty",
                column = column.title.as_str(),
                verb = verb
            )),
            None => fail(t!("board-no-stages")),
        }
    }

    pub fn handle(&mut self, c: Command, env: &Env) -> Result<Handled, StoreError> {
        match c {
            Command::Left | Command::Right => {
                self.board.sideways(c == Command::Right);
                Ok(Handled::Consumed)
            }
            Command::Up => self.step(env, Step::Prev),
            Command::Down => self.step(env, Step::Next),
            Command::First => self.step(env, Step::First),
            Command::Last => self.step(env, Step::Last),
            Command::MovePrev | Command::MoveNext => {
                let Some(row) = self.selected() else {
                    return self.nothing_selected(&t!("verb-move"));
                };
                if row.deal.status != DealStatus::Open {
                    return fail(t!(
                        "board-closed-cannot-move",
                        title = row.deal.title.as_str(),
                        status = row.deal.status.label(),
                        key = env.key(Context::Board, Command::Reopen)
                    ));
                }
                let target = row
                    .deal
                    .neighbour_stage(&self.stages, c == Command::MoveNext)?
                    .clone();
                act(Action::MoveDeal {
                    deal: Box::new(row.deal.clone()),
                    target: Box::new(target),
                })
            }
            Command::Open => match self.selected() {
                Some(row) => act(Action::OpenDeal(row.deal.id.clone())),
                None => self.nothing_selected(&t!("verb-open")),
            },
            Command::Add => {
                let stage = self
                    .board
                    .selected_column()
                    .map(|c| c.title.clone())
                    .unwrap_or_default();
                act(Action::show(Modal::Form(forms::deal_form(
                    env,
                    None,
                    &stage,
                    &self.pipeline_id(),
                )?)))
            }
            Command::ToggleMine => act(Action::ToggleMine),
            Command::PickPipeline => act(Action::show(Modal::Picker(Picker::pipeline(
                &self.pipelines,
                self.current.as_ref(),
            )))),
            Command::ToggleClosed => {
                self.show_closed = !self.show_closed;
                let keep = self.selected().map(|r| r.deal.id.clone());
                // Only the Won and Lost columns come or go: the stages' heads stay as
                // they are (every read and move keeps them current), not counted again.
                self.read(env, keep.as_deref(), false)?;
                if self.show_closed {
                    // Show the new columns: the board scrolls to the Won one.
                    if let Some(won) = self.board.columns.iter().position(|c| c.key == WON) {
                        while self.board.col < won && self.board.sideways(true) {}
                    }
                }
                act(Action::Say(if self.show_closed {
                    t!(
                        "board-closed-shown",
                        key = env.key(Context::Board, Command::ToggleClosed)
                    )
                } else {
                    t!("board-closed-hidden")
                }))
            }
            Command::Reopen => match self.selected() {
                Some(row) => reopen(row, &self.stages),
                None => self.nothing_selected(&t!("verb-reopen")),
            },
            Command::Edit => self.on_selected(DealKey::Edit, env),
            Command::Win => self.on_selected(DealKey::Win, env),
            Command::Lose => self.on_selected(DealKey::Lose, env),
            Command::FollowUp => self.on_selected(DealKey::FollowUp, env),
            Command::LogActivity => self.on_selected(DealKey::LogActivity, env),
            Command::Delete => self.on_selected(DealKey::Delete, env),
            Command::Quit
            | Command::Help
            | Command::Search
            | Command::Undo
            | Command::NextTab
            | Command::PrevTab
            | Command::GoTab(_)
            | Command::Back
            | Command::ScrollUp
            | Command::ScrollDown
            | Command::Regroup
            | Command::Filter
            | Command::Satisfaction
            | Command::AddTag
            | Command::RemoveTag
            | Command::MarkPrimary
            | Command::JumpToCustomer
            | Command::PrevPeriod
            | Command::NextPeriod
            | Command::CyclePeriod
            | Command::Done
            | Command::Snooze
            | Command::ReviewConflicts
            | Command::Settings
            | Command::AddPipeline
            | Command::Submit
            | Command::Cancel
            | Command::NextField
            | Command::PrevField
            | Command::DeleteChar
            | Command::ClearField
            | Command::Yes
            | Command::No
            | Command::PickNumber
            | Command::KeepTheirs
            | Command::RestoreMine
            | Command::FieldStart
            | Command::FieldEnd
            | Command::WordLeft
            | Command::WordRight
            | Command::DeleteForward
            | Command::DeleteWord
            | Command::DeleteToEnd
            | Command::NewLine => Ok(Handled::NotHandled),
        }
    }

    pub fn render(&self, look: &Look, frame: &mut Frame, area: Rect) {
        if self.board.columns.is_empty() {
            frame.render_widget(Paragraph::new(t!("board-no-stages")), area);
            return;
        }
        let figures = |column: &board::Column<ColumnTotals, DealRow>, width: usize| {
            figures_line(&column.totals, width)
        };
        let card = |row: &DealRow, selected: bool, frame: &mut Frame, rect: Rect| {
            render_card(look, row, selected, frame, rect)
        };
        let empty = t!("board-no-deals");
        board::render(
            &self.board,
            &board::Look {
                empty_column: &empty,
                figures: &figures,
                card: &card,
            },
            frame,
            area,
        );
    }
}

/// `R`: asks which stage a closed deal reopens into.
pub fn reopen(row: &DealRow, stages: &[Stage]) -> Result<Handled, StoreError> {
    if row.deal.status == DealStatus::Open {
        return fail(t!("board-reopen-open", title = row.deal.title.as_str()));
    }
    act(Action::show(Modal::Picker(Picker::reopen(
        &row.deal, stages,
    ))))
}

/// The keys the board and the detail share: they act on one deal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DealKey {
    Edit,
    Win,
    Lose,
    FollowUp,
    LogActivity,
    Delete,
}

/// What a deal key does with `row`.
pub fn on_deal(key: DealKey, row: &DealRow, env: &Env) -> Result<Handled, StoreError> {
    let deal = &row.deal;
    let modal = match key {
        DealKey::Edit => Modal::Form(forms::deal_form(
            env,
            Some(row),
            &row.stage_name,
            &row.pipeline_id,
        )?),
        DealKey::Win => return act(Action::WinDeal(deal.id.clone())),
        DealKey::Lose if deal.status == DealStatus::Lost => {
            return fail(t!("deal-already-lost", title = deal.title.as_str()));
        }
        DealKey::Lose => Modal::Picker(Picker::lost_reason(
            deal.id.clone(),
            &deal.title,
            &lost_reasons(env)?,
        )),
        DealKey::FollowUp => Modal::Form(forms::follow_up_form(Subject::Deal(deal.id.clone()), "")),
        DealKey::LogActivity => Modal::Form(forms::log_form(
            Subject::Deal(deal.id.clone()),
            &deal.title,
            ActivityKind::Call,
        )),
        DealKey::Delete => Modal::Confirm(Confirm::new(
            t!("confirm-delete-deal-title"),
            t!(
                "confirm-delete-deal",
                title = deal.title.as_str(),
                customer = row.customer_name.as_str(),
                key = env.key(Context::Global, Command::Undo)
            ),
            Action::DeleteDeal(deal.id.clone()),
        )),
    };
    act(Action::show(modal))
}

/// The reasons the lost picker offers: the book's list first (the team's), then the
/// config's that it does not already hold.
fn lost_reasons(env: &Env) -> Result<Vec<String>, StoreError> {
    let mut reasons =
        crate::store::lists::names(env.conn, crate::domain::book_list::BookList::LostReason)?;
    for own in &env.settings.lost_reasons {
        if !reasons
            .iter()
            .any(|r| r.to_lowercase() == own.to_lowercase())
        {
            reasons.push(own.clone());
        }
    }
    Ok(reasons)
}

fn money_short(minor: i128, currency: &str) -> String {
    match Currency::stored(currency) {
        Ok(c) => Total::new(minor, c).format_short(),
        Err(_) => format!("{minor} {currency}"),
    }
}

/// The header's figures: the total and weighted amount of the largest currency; other
/// currencies are never added to them, only counted.
fn figures_line(totals: &ColumnTotals, width: usize) -> Line<'static> {
    let (total, weighted) = match totals.by_currency.first() {
        Some(first) => {
            let others = totals.by_currency.len() - 1;
            let more = if others > 0 {
                t!("board-other-currencies", count = others)
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
    Line::from(vec![
        Span::styled(format!(" {total}"), theme::amount()),
        Span::styled(
            truncate(
                &t!("board-weighted", amount = weighted),
                width.saturating_sub(total.width() + 1),
            ),
            theme::dim(),
        ),
    ])
}

/// `Dec 15`, `12月15日`: a day of this year or near it, short.
pub fn short_date(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    t!("date-month-day", month = date.month(), day = date.day())
}

/// A card's customer, and its owner when that is not me (on a team's board, whose deal
/// it is): the owner's name keeps up to half the room, the customer's the rest.
fn customer_line(look: &Look, row: &DealRow, width: usize) -> Line<'static> {
    let owner = match (&row.deal.owner_id, &row.owner_name) {
        (Some(id), Some(name)) if id != look.me => Some(name),
        _ => None,
    };
    let Some(owner) = owner else {
        return Line::from(vec![
            Span::raw(" "),
            Span::styled(truncate(&row.customer_name, width), theme::label()),
        ]);
    };
    let owner = truncate(&format!(" · {owner}"), width / 2);
    Line::from(vec![
        Span::raw(" "),
        Span::styled(
            truncate(&row.customer_name, width.saturating_sub(owner.width())),
            theme::label(),
        ),
        Span::styled(owner, theme::dim()),
    ])
}

fn render_card(look: &Look, row: &DealRow, selected: bool, frame: &mut Frame, area: Rect) {
    let now = look.now;
    let width = area.width.saturating_sub(2) as usize;
    let d = &row.deal;
    let rotting = row.is_rotting(now);
    let flag = if rotting { " ⚑" } else { "" };
    let title_width = width.saturating_sub(flag.width() + 1);
    let bar = if selected { "▌" } else { " " };
    let close = d
        .expected_close
        .map(|c| t!("card-close", date = short_date(c)))
        .unwrap_or_else(|| t!("card-no-close-date"));
    let follow = match row.next_follow_up {
        Some(due) => {
            let (_, today_end) = look.zone.today_window(now);
            let style = match urgency(due, now, today_end) {
                Urgency::Overdue => theme::overdue(),
                Urgency::Today => theme::today(),
                Urgency::Later => theme::later(),
            };
            let when = look.zone.short_time(due, now);
            let text = if due < now {
                t!("card-overdue-since", when = when)
            } else {
                t!("card-due", when = when)
            };
            Span::styled(truncate(&text, width), style)
        }
        None => Span::styled(
            truncate(&t!("card-no-next-step"), width),
            theme::no_next_step(),
        ),
    };
    let lines = vec![
        Line::from(vec![
            Span::styled(bar, theme::amount()),
            Span::styled(truncate(&d.title, title_width), theme::title()),
            Span::styled(flag, theme::rotting()),
        ]),
        customer_line(look, row, width),
        Line::from(vec![
            Span::raw(" "),
            Span::styled(d.amount.format_short(), theme::amount()),
            Span::styled(
                truncate(
                    &close,
                    width.saturating_sub(d.amount.format_short().width()),
                ),
                theme::dim(),
            ),
        ]),
        Line::from(vec![Span::raw(" "), follow]),
    ];
    let style = if selected {
        theme::selected_card()
    } else {
        theme::card()
    };
    frame.render_widget(Paragraph::new(lines).style(style), area);
}

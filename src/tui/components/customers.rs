//! The customers board: a kanban by lifecycle status (or, with `v`, by tier) on the
//! generic board. Kept apart from the pipeline as the product keeps customers apart from
//! deals; the two meet only through a customer id.

use std::collections::HashMap;
use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::board::{self, Board, Step};
use super::{Action, Command, Env, Handled, Look, act, fail};
use crate::domain::activity::ActivityKind;
use crate::domain::customer::{Customer, CustomerStatus, Tier, days_since_contact, is_revisit_due};
use crate::domain::money::Total;
use crate::store::StoreError;
use crate::store::activities::Subject;
use crate::store::customers::{self, Counted, CustomerSummary, Filter, GroupTotals, Grouping};
use crate::t;
use crate::text::truncate;
use crate::tui::forms;
use crate::tui::keymap::Context;
use crate::tui::modals::Modal;
use crate::tui::modals::confirm::Confirm;
use crate::tui::theme;

#[derive(Debug, Clone, PartialEq)]
pub struct CustomersBoard {
    pub grouping: Grouping,
    /// Text the board is filtered by (`F`); Esc clears it.
    pub filter: Option<String>,
    pub board: Board<GroupTotals, CustomerSummary>,
    won: WonTotals,
    heads: Heads,
}

/// The column heads as last counted, and for what: the book (other connections' commits,
/// and this one's writes but for stage moves, `Store::changes_but_moves`), the grouping,
/// the owner and text filtered by, and the currency. Counting them reads every customer
/// (most of a reload at 100k deals); a switch back to the board after deals were moved
/// finds them unchanged.
#[derive(Debug, Clone, Default, PartialEq)]
struct Heads {
    read_at: Option<HeadsMark>,
    counted: Counted,
}

/// How many customers a text filter may keep for the board to take each column's window
/// from them ([`customers::group_totals_with`]) rather than from the column's index.
const KEEP_MATCHES: usize = 2000;

type HeadsMark = (i64, u64, Grouping, Option<String>, Option<String>, String);

impl Default for CustomersBoard {
    fn default() -> Self {
        CustomersBoard {
            grouping: Grouping::Status,
            filter: None,
            board: Board::default(),
            won: WonTotals::default(),
            heads: Heads::default(),
        }
    }
}

/// Each customer's won amounts in the board's currency, kept between reloads while the
/// closed deals are unchanged: the column heads need them whatever the grouping or filter
/// (which is all `v`, `o` and `F` change), reading them was half of a reload at 100k
/// deals, and the change the board sees most, a deal moved on the pipeline, leaves them
/// as they were.
#[derive(Debug, Clone, Default, PartialEq)]
struct WonTotals {
    /// When they were read: other connections' commits (`data_version`), this
    /// connection's writes that may have changed a closed deal
    /// (`Store::changes_but_moves`), and the currency.
    read_at: Option<(i64, u64, String)>,
    by_customer: Arc<HashMap<String, i128>>,
}

impl WonTotals {
    /// The won amounts as the book holds them now, read again only if it changed.
    fn now(&mut self, env: &Env, currency: &str) -> Result<&HashMap<String, i128>, StoreError> {
        let mark = (
            crate::store::data_version(env.conn)?,
            env.changes_but_moves,
            currency.to_string(),
        );
        if self.read_at.as_ref() != Some(&mark) {
            self.by_customer = Arc::new(customers::won_by_customer(env.conn, currency)?);
            self.read_at = Some(mark);
        }
        Ok(&self.by_customer)
    }
}

/// The columns of a grouping, in board order: (stored value, title).
fn column_keys(grouping: Grouping) -> Vec<(&'static str, String)> {
    match grouping {
        Grouping::Status => CustomerStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect(),
        Grouping::Tier => Tier::ALL
            .iter()
            .map(|t| (t.as_str(), t!("customers-tier-column", tier = t.label())))
            .collect(),
    }
}

impl CustomersBoard {
    pub fn selected(&self) -> Option<&CustomerSummary> {
        self.board.selected_card()
    }

    fn filter(&self, env: &Env) -> Filter {
        Filter {
            owner_id: env.owner.map(str::to_string),
            text: self.filter.clone(),
            ..Filter::default()
        }
    }

    /// Reads the board again, keeping `keep` (a customer id) selected when given.
    pub fn reload(&mut self, env: &Env, keep: Option<&str>) -> Result<(), StoreError> {
        let keys = column_keys(self.grouping);
        self.board.fit_to(env.size, keys.len());
        let filter = self.filter(env);
        let currency = env.settings.default_currency.code().to_string();
        let mark = (
            crate::store::data_version(env.conn)?,
            env.changes_but_moves,
            self.grouping,
            filter.owner_id.clone(),
            filter.text.clone(),
            currency.clone(),
        );
        if self.heads.read_at.as_ref() != Some(&mark) {
            let won = self.won.now(env, &currency)?;
            let keep = if filter.text.is_some() {
                KEEP_MATCHES
            } else {
                0
            };
            self.heads.counted =
                customers::group_totals_with(env.conn, self.grouping, &filter, won, keep)?;
            self.heads.read_at = Some(mark);
        }
        let totals = &self.heads.counted.totals;
        let heads = keys
            .into_iter()
            .map(|(key, title)| {
                let totals = totals
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, t)| t.clone())
                    .unwrap_or_default();
                (key.to_string(), title, totals)
            })
            .collect();
        self.board.set_columns(heads);
        if let Some(c) = keep.and_then(|id| customers::get(env.conn, id).ok()) {
            let key = match self.grouping {
                Grouping::Status => c.status.as_str(),
                Grouping::Tier => c.tier.as_str(),
            };
            if self.board.column(key).is_some() {
                let index = self.index_in_column(env, &filter, key, &c)?;
                self.board.select(key, index);
            }
        }
        self.board.settle();
        for col in 0..self.board.columns.len() {
            self.load_window(env, col)?;
        }
        Ok(())
    }

    /// After the customer `id`, a card of this board, moved to the column keyed `to`
    /// (`H`/`L` or a drag: a status or tier change and nothing else): one card and its
    /// lifetime value go from one column header to another, so the headers are adjusted
    /// instead of counted again (at 100k deals counting them is most of a reload), and
    /// the card is found again in its new column. False when the card is not on the
    /// board, which must then be read again.
    pub fn after_move(&mut self, env: &Env, id: &str, to: &str) -> Result<bool, StoreError> {
        let currency = env.settings.default_currency.code();
        let Some((from, lifetime)) = self.board.columns.iter().find_map(|column| {
            column
                .cards
                .iter()
                .find(|s| s.customer.id == id)
                .map(|s| (column.key.clone(), s.lifetime_value(currency)))
        }) else {
            return Ok(false);
        };
        if self.board.column(to).is_none() {
            return Ok(false);
        }
        if from != to {
            for column in &mut self.board.columns {
                if column.key == from {
                    column.totals.count = column.totals.count.saturating_sub(1);
                    column.totals.lifetime_minor -= lifetime;
                } else if column.key == to {
                    column.totals.count += 1;
                    column.totals.lifetime_minor += lifetime;
                }
            }
        }
        if let Some(moved) = self
            .heads
            .counted
            .matched
            .as_mut()
            .and_then(|matched| matched.iter_mut().find(|m| m.id == id))
        {
            moved.group = to.to_string();
        }
        let filter = self.filter(env);
        let customer = customers::get(env.conn, id)?;
        let index = self.index_in_column(env, &filter, to, &customer)?;
        self.board.select(to, index);
        self.board.settle();
        // The other columns hold the same cards as before.
        for col in 0..self.board.columns.len() {
            if self.board.columns[col].key == from || self.board.columns[col].key == to {
                self.load_window(env, col)?;
            }
        }
        Ok(true)
    }

    fn load_window(&mut self, env: &Env, col: usize) -> Result<(), StoreError> {
        let mut filter = self.filter(env);
        let rows = self.board.rows_visible;
        let Some(column) = self.board.columns.get_mut(col) else {
            return Ok(());
        };
        match self.grouping {
            Grouping::Status => filter.status = column.key.parse().ok(),
            Grouping::Tier => filter.tier = column.key.parse().ok(),
        }
        column.cards = match &self.heads.counted.matched {
            Some(matched) => {
                let ids: Vec<&str> = matched
                    .iter()
                    .filter(|m| m.group == column.key)
                    .skip(column.offset)
                    .take(rows)
                    .map(|m| m.id.as_str())
                    .collect();
                customers::summaries(env.conn, &ids)?
            }
            None => {
                filter.offset = Some(column.offset as i64);
                filter.limit = Some(rows as i64);
                customers::list(env.conn, &filter)?
            }
        };
        Ok(())
    }

    /// Where `customer` sits in the column keyed `key`: found among the filter's kept
    /// matches when it is one, else counted in the column's index.
    fn index_in_column(
        &self,
        env: &Env,
        filter: &Filter,
        key: &str,
        customer: &Customer,
    ) -> Result<usize, StoreError> {
        let found = self.heads.counted.matched.as_ref().and_then(|matched| {
            matched
                .iter()
                .filter(|m| m.group == key)
                .position(|m| m.id == customer.id)
        });
        match found {
            Some(index) => Ok(index),
            None => customers::index_in_group(env.conn, self.grouping, filter, customer),
        }
    }

    /// The filter in force, if any.
    pub fn filter_text(&self) -> Option<&str> {
        self.filter.as_deref()
    }

    /// Filters the board by `text` (none shows everyone), from the top of each column.
    pub fn set_filter(&mut self, env: &Env, text: Option<String>) -> Result<(), StoreError> {
        self.filter = text;
        for c in &mut self.board.columns {
            c.selected = 0;
            c.offset = 0;
        }
        self.reload(env, None)
    }

    fn step(&mut self, env: &Env, step: Step) -> Result<Handled, StoreError> {
        if let Some(col) = self.board.step(step) {
            self.load_window(env, col)?;
        }
        Ok(Handled::Consumed)
    }

    /// `H`/`L`: the card goes to the neighbouring column; churning asks why first.
    fn move_card(&self, forward: bool) -> Result<Handled, StoreError> {
        let Some(target) = self.board.neighbour(forward) else {
            return fail(t!("customers-no-column-further"));
        };
        self.move_to(&target.key)
    }

    /// Moves the selected card to the column keyed `key` (a status or a tier): `H`/`L`
    /// to a neighbour, or a drag with the mouse to any column.
    pub fn move_to(&self, key: &str) -> Result<Handled, StoreError> {
        let Some(s) = self.selected() else {
            return fail(t!("customers-none-selected"));
        };
        let (id, name) = (s.customer.id.clone(), s.customer.name.clone());
        match self.grouping {
            Grouping::Status => {
                let status: CustomerStatus = key.parse().map_err(StoreError::Invalid)?;
                if status == CustomerStatus::Churned {
                    act(Action::show(Modal::Form(forms::churn_form(id, &name))))
                } else {
                    act(Action::SetCustomerStatus {
                        customer_id: id,
                        name,
                        status,
                    })
                }
            }
            Grouping::Tier => act(Action::SetCustomerTier {
                customer_id: id,
                name,
                tier: key.parse().map_err(StoreError::Invalid)?,
            }),
        }
    }

    pub fn handle(&mut self, c: Command, env: &Env) -> Result<Handled, StoreError> {
        let selected = self.selected().cloned();
        match c {
            Command::Left | Command::Right => {
                self.board.sideways(c == Command::Right);
                Ok(Handled::Consumed)
            }
            Command::Up => self.step(env, Step::Prev),
            Command::Down => self.step(env, Step::Next),
            Command::First => self.step(env, Step::First),
            Command::Last => self.step(env, Step::Last),
            Command::MovePrev | Command::MoveNext => self.move_card(c == Command::MoveNext),
            Command::Open => match selected {
                Some(s) => act(Action::OpenCustomer(s.customer.id)),
                None => fail(t!("customers-none-selected")),
            },
            Command::Regroup => {
                self.grouping = match self.grouping {
                    Grouping::Status => Grouping::Tier,
                    Grouping::Tier => Grouping::Status,
                };
                let keep = selected.map(|s| s.customer.id);
                self.reload(env, keep.as_deref())?;
                act(Action::Say(match self.grouping {
                    Grouping::Status => t!("customers-grouped-by-status"),
                    Grouping::Tier => t!("customers-grouped-by-tier"),
                }))
            }
            Command::Add => act(Action::show(Modal::Form(forms::customer_form(env, None)?))),
            Command::Edit => match selected {
                Some(s) => act(Action::show(Modal::Form(forms::customer_form(
                    env,
                    Some(&s),
                )?))),
                None => fail(t!("customers-none-selected")),
            },
            Command::Delete => match selected {
                Some(s) => act(Action::show(Modal::Confirm(Confirm::new(
                    t!("confirm-delete-customer-title"),
                    t!(
                        "confirm-delete-customer",
                        name = s.customer.name.as_str(),
                        key = env.key(Context::Global, Command::Undo)
                    ),
                    Action::DeleteCustomer(s.customer.id),
                )))),
                None => fail(t!("customers-none-selected")),
            },
            Command::Filter => {
                let current = self.filter.clone().unwrap_or_default();
                act(Action::show(Modal::Form(forms::filter_form(&current))))
            }
            Command::Back => {
                if self.filter.is_none() {
                    return act(Action::Say(t!("customers-no-filter")));
                }
                let keep = selected.map(|s| s.customer.id);
                self.filter = None;
                self.reload(env, keep.as_deref())?;
                act(Action::Say(t!("customers-filter-cleared")))
            }
            Command::ToggleMine => act(Action::ToggleMine),
            Command::LogActivity | Command::FollowUp => {
                let Some(s) = selected else {
                    return fail(t!("customers-none-selected"));
                };
                let about = Subject::Customer(s.customer.id.clone());
                let form = if c == Command::FollowUp {
                    forms::follow_up_form(about, &t!("customers-revisit-subject"))
                } else {
                    forms::log_form(about, &s.customer.name, ActivityKind::Visit)
                };
                act(Action::show(Modal::Form(form)))
            }
            Command::Quit
            | Command::Help
            | Command::Search
            | Command::Undo
            | Command::NextTab
            | Command::PrevTab
            | Command::GoTab(_)
            | Command::Win
            | Command::Lose
            | Command::ScrollUp
            | Command::ScrollDown
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
            | Command::ToggleClosed
            | Command::PickPipeline
            | Command::Settings
            | Command::AddPipeline
            | Command::Reopen
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
        let filter = self
            .filter
            .as_deref()
            .map(|f| format!(" · “{f}”"))
            .unwrap_or_default();
        let figures = |column: &board::Column<GroupTotals, CustomerSummary>, width: usize| {
            Line::from(vec![
                Span::styled(
                    t!(
                        "customers-column-ltv",
                        amount = ltv(look, column.totals.lifetime_minor)
                    ),
                    theme::amount(),
                ),
                Span::styled(truncate(&filter, width.saturating_sub(14)), theme::dim()),
            ])
        };
        let card = |s: &CustomerSummary, selected: bool, frame: &mut Frame, rect: Rect| {
            render_card(look, s, selected, frame, rect)
        };
        let empty = t!("customers-no-customers");
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

fn ltv(look: &Look, minor: i128) -> String {
    Total::new(minor, look.settings.default_currency.clone()).format_short()
}

fn render_card(look: &Look, s: &CustomerSummary, selected: bool, frame: &mut Frame, area: Rect) {
    let now = look.now;
    let c = &s.customer;
    let width = area.width.saturating_sub(2) as usize;
    let due = is_revisit_due(
        c.status,
        s.last_contact,
        c.created_at,
        c.tier,
        &look.settings.cadence,
        now,
    );
    let contact = match days_since_contact(s.last_contact, now) {
        Some(d) => t!("customers-days-since-contact", days = d),
        None => t!("customers-never-contacted"),
    };
    let contact_style = if due {
        theme::overdue()
    } else {
        theme::label()
    };
    let next = match s.next_reminder {
        Some(t) if t < now => t!("customers-overdue", when = look.zone.short_time(t, now)),
        Some(t) => t!("customers-next", when = look.zone.short_time(t, now)),
        None => t!("customers-no-revisit"),
    };
    let owner = s.owner_name.as_deref().unwrap_or("—");
    let lines = vec![
        Line::from(vec![
            Span::styled(if selected { "▌" } else { " " }, theme::amount()),
            Span::styled(truncate(&c.name, width), theme::title()),
        ]),
        Line::from(Span::styled(
            truncate(&format!(" {} · {owner}", c.tier.label()), width + 1),
            theme::dim(),
        )),
        Line::from(vec![
            Span::raw(" "),
            Span::styled(contact.clone(), contact_style),
            Span::styled(
                truncate(
                    &format!(" · {next}"),
                    width.saturating_sub(unicode_width::UnicodeWidthStr::width(contact.as_str())),
                ),
                theme::dim(),
            ),
        ]),
        Line::from(vec![
            Span::raw(" "),
            Span::styled(
                t!(
                    "customers-card-ltv",
                    amount = ltv(
                        look,
                        s.lifetime_value(look.settings.default_currency.code())
                    )
                ),
                theme::amount(),
            ),
            Span::styled(
                t!("customers-open-deals", count = s.open_deals),
                theme::dim(),
            ),
        ]),
    ];
    let style = if selected {
        theme::selected_card()
    } else {
        theme::card()
    };
    frame.render_widget(Paragraph::new(lines).style(style), area);
}

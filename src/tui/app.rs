//! The TUI's state and its one `update` function. Keys become actions (through the
//! keymap, or through the open modal), `update` applies an action — through the store
//! for anything that changes data — and reloads what the views show. Views read this
//! state and nothing else.

use crossterm::event::KeyEvent;

use super::action::{Action, Command, Tab};
use super::agenda::Agenda;
use super::customers::{CustomerBoard, Profile};
use super::keymap::{self, Context};
use super::modals::confirm::Confirm;
use super::modals::conflicts::Conflicts;
use super::modals::form::{Field, Form, Purpose};
use super::modals::picker::Picker;
use super::modals::{Modal, Outcome};
use crate::config::Settings;
use crate::demo;
use crate::domain::activity::ActivityKind;
use crate::domain::deal::{Deal, DealStatus, validate_title};
use crate::domain::metrics::{Period, Report};
use crate::domain::money::{Currency, Money};
use crate::domain::stage::Stage;
use crate::domain::time::{Zone, parse_date};
use crate::store::activities::{self, ActivityRow, NewActivity, Subject};
use crate::store::conflicts::{self, Keep};
use crate::store::deals::{self, ColumnTotals, CustomerRef, DealRow, HistoryRow, NewDeal};
use crate::store::{Store, StoreError, Undo, customers, reminders, reports, stages};
use crate::sync::review::Shown;
use crate::usecase;

/// Rows a card takes on the board, including the gap below it.
pub const CARD_HEIGHT: u16 = 5;
/// Rows of a column's header.
pub const HEADER_HEIGHT: u16 = 3;
/// The narrowest a board column may be before the board scrolls sideways.
pub const MIN_COLUMN_WIDTH: u16 = 26;
/// How long after the last local change a sync starts, so a burst of edits syncs once.
const SYNC_SETTLE_MS: i64 = 3_000;
/// How many changes `u` can undo.
pub const UNDO_DEPTH: usize = 100;

/// One board column: a stage, its header figures, and the window of cards on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub stage: Stage,
    pub totals: ColumnTotals,
    /// Index of the selected card within the whole column.
    pub selected: usize,
    /// Index of the first card loaded (and shown).
    pub offset: usize,
    pub cards: Vec<DealRow>,
}

impl Column {
    pub fn selected_card(&self) -> Option<&DealRow> {
        self.cards.get(self.selected.checked_sub(self.offset)?)
    }
}

/// The pipeline board's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Board {
    pub columns: Vec<Column>,
    pub col: usize,
    pub first_col: usize,
    pub cols_visible: usize,
    pub rows_visible: usize,
}

/// An open deal detail.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub row: DealRow,
    pub history: Vec<HistoryRow>,
    pub activities: Vec<ActivityRow>,
    pub scroll: u16,
}

/// The status bar's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

pub struct App {
    pub store: Store,
    pub settings: Settings,
    pub zone: Zone,
    pub tab: Tab,
    pub board: Board,
    pub detail: Option<Detail>,
    pub customers: CustomerBoard,
    pub profile: Option<Profile>,
    pub agenda: Agenda,
    /// The Reports view's period and figures (read when the view is shown).
    pub period: Period,
    pub report: Option<Report>,
    pub modal: Option<Modal>,
    pub message: Option<Message>,
    pub reminders: reminders::Summary,
    pub mine_only: bool,
    pub size: (u16, u16),
    pub quit: bool,
    undo: Vec<Undo>,
    /// Team sync, when this database is linked to a team file.
    pub sync: Option<super::sync_worker::SyncWorker>,
    pub sync_state: Option<super::sync_worker::SyncState>,
    /// Unresolved sync conflicts (values of mine a teammate's edit replaced).
    pub conflicts: i64,
    /// When the last local change not yet synced was made.
    unsynced_since: Option<i64>,
    /// Views changed since they were last read; read again when next shown.
    stale: Vec<Tab>,
    data_version: i64,
    /// When the reminder figures next change on their own (a reminder falls due, or
    /// the day ends).
    pub(super) reminders_valid_until: i64,
}

impl App {
    pub fn new(
        store: Store,
        settings: Settings,
        zone: Zone,
        size: (u16, u16),
    ) -> Result<App, StoreError> {
        let data_version = store.data_version()?;
        // Checkpoints happen in `tick`, when no key is waiting.
        store.defer_checkpoints()?;
        let mut app = App {
            store,
            settings,
            zone,
            tab: Tab::Pipeline,
            board: Board::default(),
            detail: None,
            customers: CustomerBoard::default(),
            profile: None,
            agenda: Agenda::default(),
            period: Period::default(),
            report: None,
            modal: None,
            message: None,
            reminders: reminders::Summary::default(),
            mine_only: false,
            size,
            quit: false,
            undo: Vec::new(),
            stale: Vec::new(),
            sync: None,
            sync_state: None,
            conflicts: 0,
            unsynced_since: None,
            data_version,
            reminders_valid_until: 0,
        };
        app.reload_all(None)?;
        if app.store.is_empty()? {
            app.modal = Some(Modal::Confirm(Confirm::new(
                "Welcome to SalesDesk",
                "This database is empty. Load demo data to look around? (You can also press n and add your first deal with a.)".into(),
                Action::LoadDemo,
            )));
        }
        Ok(app)
    }

    pub fn now(&self) -> i64 {
        self.store.now_millis()
    }

    fn owner_filter(&self) -> Option<String> {
        self.mine_only.then(|| self.store.member_id().to_string())
    }

    /// "This month (November 2026)" for the Reports header.
    pub fn period_label(&self) -> String {
        format!(
            "{} ({})",
            self.period.label(),
            self.period.describe(self.now(), self.zone)
        )
    }

    /// The context keys are looked up in.
    pub fn context(&self) -> Context {
        match (self.tab, &self.detail, &self.profile) {
            (Tab::Pipeline, Some(_), _) => Context::Detail,
            (Tab::Pipeline, None, _) => Context::Board,
            (Tab::Customers, _, Some(_)) => Context::Profile,
            (Tab::Customers, _, None) => Context::Customers,
            (Tab::Agenda, _, _) => Context::Agenda,
            (Tab::Reports, _, _) => Context::Reports,
        }
    }

    pub fn help_lines(&self) -> Vec<(String, String, &'static str)> {
        keymap::help_for(self.context())
            .into_iter()
            .map(|(ctx, keys, help)| (ctx.title().to_string(), keys, help))
            .collect()
    }

    /// The status bar's idle hints, from the keymap.
    pub fn hints(&self) -> String {
        let ctx = self.context();
        let commands: &[(Command, &str)] = match ctx {
            Context::Detail => &[
                (Command::Back, "back"),
                (Command::Edit, "edit"),
                (Command::FollowUp, "follow-up"),
                (Command::LogActivity, "log"),
            ],
            Context::Reports => &[
                (Command::PrevPeriod, "previous period"),
                (Command::NextPeriod, "next period"),
            ],
            Context::Agenda => &[
                (Command::Done, "done"),
                (Command::Snooze, "snooze"),
                (Command::Add, "add"),
                (Command::Open, "open"),
            ],
            Context::Customers => &[
                (Command::Open, "profile"),
                (Command::MoveNext, "move"),
                (Command::Regroup, "by tier/status"),
                (Command::Filter, "filter"),
            ],
            Context::Profile => &[
                (Command::Back, "back"),
                (Command::Add, "contact"),
                (Command::LogActivity, "log"),
                (Command::FollowUp, "revisit"),
                (Command::Satisfaction, "satisfaction"),
            ],
            _ => &[
                (Command::Add, "add"),
                (Command::MoveNext, "move"),
                (Command::Win, "won"),
                (Command::Lose, "lost"),
                (Command::FollowUp, "follow-up"),
            ],
        };
        let mut parts: Vec<String> = commands
            .iter()
            .filter_map(|(c, label)| keymap::first_key(ctx, *c).map(|k| format!("{k} {label}")))
            .collect();
        parts.push("? help".into());
        parts.join(" · ")
    }

    pub(super) fn say(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    pub(super) fn fail(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
    }

    pub(super) fn remember(&mut self, undo: Undo) {
        self.unsynced_since = Some(self.now());
        self.undo.push(undo);
        if self.undo.len() > UNDO_DEPTH {
            self.undo.remove(0);
        }
    }

    /// Handles a key: the modal gets it first, then the keymap.
    pub fn handle_key(&mut self, key: &KeyEvent) {
        if let Some(modal) = &mut self.modal {
            match modal.handle_key(key) {
                Outcome::Consumed => {}
                Outcome::Close => self.modal = None,
                Outcome::Act(action) => self.dispatch(action),
            }
            return;
        }
        if let Some(command) = keymap::lookup(self.context(), key) {
            self.message = None;
            self.dispatch(Action::Command(command));
        }
    }

    /// Applies an action and any follow-up it returns; a store error lands in the
    /// status bar instead of ending the program.
    pub fn dispatch(&mut self, action: Action) {
        let mut next = Some(action);
        while let Some(action) = next.take() {
            match self.update(action) {
                Ok(follow) => next = follow,
                Err(e) => self.fail(e.to_string()),
            }
        }
    }

    /// The one place state changes.
    pub fn update(&mut self, action: Action) -> Result<Option<Action>, StoreError> {
        match action {
            Action::Command(c) => return self.command(c),
            Action::SubmitForm => return self.submit_form(),
            Action::CloseModal => self.modal = None,
            Action::DeleteDeal(id) => {
                self.modal = None;
                let undo = usecase::deals::delete(&mut self.store, &id)?;
                self.say(format!("Deleted — {}. u undoes.", strip_verb(&undo.label)));
                self.remember(undo);
                self.detail = None;
                self.reload_all(None)?;
            }
            Action::LoseDeal { deal_id, reason } => {
                self.modal = None;
                let moved = usecase::deals::lose(&mut self.store, &deal_id, &reason)?;
                self.say(format!(
                    "Lost ({reason}) — {}.",
                    strip_verb(&moved.undo.label)
                ));
                self.remember(moved.undo);
                self.reload_all(None)?;
            }
            Action::AskLostReason(deal_id) => {
                self.modal = Some(Modal::Form(Form::new(
                    "Why was it lost?",
                    Purpose::LostReason(deal_id),
                    vec![Field::text("reason", "Reason", "")],
                )));
            }
            Action::OfferFollowUp { about, subject } => {
                self.modal = Some(Modal::Form(follow_up_form(about, &subject)));
            }
            Action::LoadDemo => {
                self.modal = None;
                let made = demo::generate(&mut self.store, None)?;
                self.say(format!(
                    "Demo data loaded: {} customers, {} deals.",
                    made.customers, made.deals
                ));
                self.reload_all(None)?;
            }
            Action::Resize(w, h) => {
                self.size = (w, h);
                self.reload_all(None)?;
            }
            Action::Tick => self.tick()?,
            Action::SearchChanged => {
                if let Some(Modal::Search(search)) = &mut self.modal {
                    let hits = crate::store::search::search(self.store.conn(), &search.input, 50)?;
                    search.set_results(hits);
                }
            }
            Action::ResolveConflict { id, keep } => self.resolve_conflict(id, keep)?,
            Action::OpenHit(kind, id) => {
                self.modal = None;
                self.open_hit(kind, &id)?;
            }
            customer @ (Action::DeleteCustomer(_)
            | Action::DeleteContact(_)
            | Action::ChurnCustomer { .. }
            | Action::SetSatisfaction { .. }
            | Action::RemoveTag { .. }) => self.customers_action(customer)?,
            agenda @ (Action::CompleteReminder { .. }
            | Action::Snooze { .. }
            | Action::AskSnoozeTime(_)
            | Action::DeleteReminder(_)) => return self.agenda_action(agenda),
        }
        Ok(None)
    }

    fn selected_id(&self) -> Option<String> {
        if let Some(d) = &self.detail {
            return Some(d.row.deal.id.clone());
        }
        self.selected_deal().map(|r| r.deal.id.clone())
    }

    pub fn selected_deal(&self) -> Option<&DealRow> {
        if let Some(d) = &self.detail {
            return Some(&d.row);
        }
        self.board.columns.get(self.board.col)?.selected_card()
    }

    fn command(&mut self, c: Command) -> Result<Option<Action>, StoreError> {
        match c {
            Command::Quit => self.quit = true,
            Command::Help => self.modal = Some(Modal::Help(0)),
            Command::Search => self.modal = Some(Modal::Search(Default::default())),
            Command::ReviewConflicts => {
                let items = self.pending_conflicts()?;
                if items.is_empty() {
                    self.say("No sync conflicts to review.");
                } else {
                    self.modal = Some(Modal::Conflicts(Conflicts::new(items)));
                }
            }
            Command::Undo => match self.undo.pop() {
                Some(undo) => {
                    self.store.undo(&undo)?;
                    self.unsynced_since = Some(self.now());
                    self.say(format!("Undone: {}", undo.label));
                    self.reload_all(None)?;
                }
                None => self.fail("Nothing to undo in this session."),
            },
            Command::NextTab | Command::PrevTab | Command::GoTab(_) => {
                let n = Tab::ALL.len();
                let i = Tab::ALL.iter().position(|t| *t == self.tab).unwrap_or(0);
                let next = match c {
                    Command::NextTab => (i + 1) % n,
                    Command::PrevTab => (i + n - 1) % n,
                    Command::GoTab(t) => t.min(n - 1),
                    _ => i,
                };
                self.show_tab(Tab::ALL[next])?;
            }
            other if self.tab == Tab::Customers => return self.customers_command(other),
            other if self.tab == Tab::Agenda => return self.agenda_command(other),
            Command::PrevPeriod | Command::NextPeriod => {
                self.period = if c == Command::NextPeriod {
                    self.period.next()
                } else {
                    self.period.prev()
                };
                self.refresh_tab(Tab::Reports, None)?;
            }
            Command::JumpToCustomer => {
                if let Some(row) = self.selected_deal() {
                    let id = row.deal.customer_id.clone();
                    self.open_customer(&id)?;
                }
            }
            Command::Left | Command::Right => {
                let n = self.board.columns.len();
                if n > 0 {
                    self.board.col = if c == Command::Right {
                        (self.board.col + 1).min(n - 1)
                    } else {
                        self.board.col.saturating_sub(1)
                    };
                    self.fit_columns();
                }
            }
            Command::Up | Command::Down | Command::First | Command::Last => {
                self.move_selection(c)?
            }
            Command::MovePrev | Command::MoveNext => {
                let Some(row) = self.selected_deal().cloned() else {
                    self.fail("No deal selected.");
                    return Ok(None);
                };
                let all = stages::list(self.store.conn())?;
                let target = row
                    .deal
                    .neighbour_stage(&all, c == Command::MoveNext)?
                    .clone();
                let moved = usecase::deals::move_to_stage(&mut self.store, &row.deal.id, &target)?;
                self.say(format!("Moved {} to {}.", row.deal.title, target.name));
                self.remember(moved.undo);
                self.after_move(&row.deal, &target)?;
            }
            Command::Open => {
                if let Some(row) = self.selected_deal().cloned() {
                    self.detail = Some(self.load_detail(&row.deal.id)?);
                }
            }
            Command::Back => self.detail = None,
            Command::ScrollUp | Command::ScrollDown => {
                if let Some(d) = &mut self.detail {
                    d.scroll = if c == Command::ScrollDown {
                        d.scroll.saturating_add(1)
                    } else {
                        d.scroll.saturating_sub(1)
                    };
                }
            }
            Command::Add => self.modal = Some(Modal::Form(self.deal_form(None)?)),
            Command::Edit => {
                if let Some(row) = self.selected_deal().cloned() {
                    self.modal = Some(Modal::Form(self.deal_form(Some(&row))?));
                }
            }
            Command::Win => {
                let Some(row) = self.selected_deal().cloned() else {
                    return Ok(None);
                };
                let moved = usecase::deals::win(&mut self.store, &row.deal.id)?;
                let promoted = if moved.customer_promoted {
                    format!(" {} is now an active customer.", row.customer_name)
                } else {
                    String::new()
                };
                self.say(format!(
                    "Won {} — {}.{promoted}",
                    row.deal.title, row.deal.amount
                ));
                self.remember(moved.undo);
                self.detail = None;
                self.reload_all(None)?;
                self.modal = Some(Modal::Confirm(Confirm::new(
                    "Won!",
                    format!(
                        "Schedule the first after-sale follow-up with {}?",
                        row.customer_name
                    ),
                    Action::OfferFollowUp {
                        about: Subject::Customer(row.deal.customer_id.clone()),
                        subject: format!("After-sale check-in: {}", row.deal.title),
                    },
                )));
            }
            Command::Lose => {
                let Some(row) = self.selected_deal().cloned() else {
                    return Ok(None);
                };
                if row.deal.status == DealStatus::Lost {
                    self.fail(format!("{} is already lost.", row.deal.title));
                } else {
                    self.modal = Some(Modal::Picker(Picker::lost_reason(
                        row.deal.id.clone(),
                        &row.deal.title,
                        &self.settings.lost_reasons,
                    )));
                }
            }
            Command::FollowUp => {
                if let Some(row) = self.selected_deal() {
                    let form = follow_up_form(Subject::Deal(row.deal.id.clone()), "");
                    self.modal = Some(Modal::Form(form));
                }
            }
            Command::LogActivity => {
                if let Some(row) = self.selected_deal() {
                    let about = Subject::Deal(row.deal.id.clone());
                    self.modal = Some(Modal::Form(log_form(
                        about,
                        &row.deal.title,
                        ActivityKind::Call,
                    )));
                }
            }
            Command::Delete => {
                if let Some(row) = self.selected_deal() {
                    self.modal = Some(Modal::Confirm(Confirm::new(
                        "Delete deal",
                        format!(
                            "Delete '{}' ({})? u undoes it.",
                            row.deal.title, row.customer_name
                        ),
                        Action::DeleteDeal(row.deal.id.clone()),
                    )));
                }
            }
            Command::ToggleMine => {
                self.mine_only = !self.mine_only;
                self.say(if self.mine_only {
                    "Showing my deals and customers."
                } else {
                    "Showing all deals and customers."
                });
                self.reload_all(None)?;
            }
            // Customers-board commands have no meaning on the pipeline.
            Command::Regroup
            | Command::Filter
            | Command::Satisfaction
            | Command::AddTag
            | Command::RemoveTag
            | Command::MarkPrimary
            | Command::Done
            | Command::Snooze => {}
        }
        Ok(None)
    }

    /// Reloads both boards (and any open detail or profile), keeping what is selected.
    ///
    /// Only the view on screen is read now; the others are marked stale and read when
    /// they are next shown, so a change costs one view's queries, not every view's.
    pub(super) fn reload_all(&mut self, keep: Option<String>) -> Result<(), StoreError> {
        self.stale = Tab::ALL.to_vec();
        // Conflicts change with the data: a sync (through its own connection, which
        // changes `data_version`), a decision or its undo.
        self.conflicts = conflicts::pending_conflicts(self.store.conn())?;
        // Reminders first: the Agenda's headers use their counts.
        self.refresh_reminders()?;
        self.refresh_tab(self.tab, keep)?;
        self.data_version = self.store.data_version()?;
        Ok(())
    }

    /// Reads one view from the store, keeping `keep` (or its current selection) selected.
    pub(super) fn refresh_tab(&mut self, tab: Tab, keep: Option<String>) -> Result<(), StoreError> {
        self.stale.retain(|t| *t != tab);
        match tab {
            Tab::Pipeline => {
                let deal = keep.or_else(|| self.selected_id());
                self.reload(deal)
            }
            Tab::Customers => {
                let customer =
                    keep.or_else(|| self.selected_customer().map(|s| s.customer.id.clone()));
                self.reload_customers(customer)
            }
            Tab::Agenda => self.reload_agenda(),
            Tab::Reports => {
                let now = self.now();
                self.report = Some(reports::report(
                    self.store.conn(),
                    self.period,
                    &self.settings.default_currency,
                    &self.settings.cadence,
                    now,
                    self.zone,
                )?);
                Ok(())
            }
        }
    }

    /// Shows a view, reading it first if something changed since it was last shown.
    pub(super) fn show_tab(&mut self, tab: Tab) -> Result<(), StoreError> {
        self.tab = tab;
        if self.stale.contains(&tab) {
            self.refresh_tab(tab, None)?;
        }
        Ok(())
    }

    /// Opens a search result where it lives: a deal in the pipeline, a customer (or a
    /// contact's customer) in Customers, an activity with its deal or customer.
    fn open_hit(
        &mut self,
        kind: crate::store::search::HitKind,
        id: &str,
    ) -> Result<(), StoreError> {
        use crate::store::search::HitKind;
        let conn = self.store.conn();
        match kind {
            HitKind::Deal => self.open_deal(id),
            HitKind::Customer => self.open_customer(id),
            HitKind::Contact => {
                let customer = crate::store::contacts::get(conn, id)?.customer_id;
                self.open_customer(&customer)
            }
            HitKind::Activity => {
                let a = activities::get(conn, id)?.activity;
                match (a.deal_id, a.customer_id) {
                    (Some(d), _) => self.open_deal(&d),
                    (None, Some(c)) => self.open_customer(&c),
                    (None, None) => Ok(()),
                }
            }
        }
    }

    /// Opens a deal's detail on the Pipeline tab (from anywhere).
    pub(super) fn open_deal(&mut self, id: &str) -> Result<(), StoreError> {
        self.tab = Tab::Pipeline;
        self.detail = Some(self.load_detail(id)?);
        self.refresh_tab(Tab::Pipeline, Some(id.to_string()))
    }

    fn move_selection(&mut self, c: Command) -> Result<(), StoreError> {
        let rows_visible = self.board.rows_visible.max(1);
        let Some(column) = self.board.columns.get_mut(self.board.col) else {
            return Ok(());
        };
        let count = column.totals.count;
        if count == 0 {
            return Ok(());
        }
        column.selected = match c {
            Command::Up => column.selected.saturating_sub(1),
            Command::Down => (column.selected + 1).min(count - 1),
            Command::First => 0,
            _ => count - 1,
        };
        let old_offset = column.offset;
        column.offset = scrolled_offset(column.offset, column.selected, rows_visible, count);
        if column.offset != old_offset {
            let owner = self.owner_filter();
            let col = self.board.col;
            self.load_window(col, owner.as_deref())?;
        }
        Ok(())
    }

    fn load_window(&mut self, col: usize, owner: Option<&str>) -> Result<(), StoreError> {
        let rows = self.board.rows_visible.max(1);
        let column = &mut self.board.columns[col];
        column.cards = deals::column_window(
            self.store.conn(),
            &column.stage.id,
            owner,
            column.offset,
            rows,
        )?;
        Ok(())
    }

    /// Keeps the selected column on screen.
    fn fit_columns(&mut self) {
        let b = &mut self.board;
        let visible = b.cols_visible.max(1);
        if b.col < b.first_col {
            b.first_col = b.col;
        } else if b.col >= b.first_col + visible {
            b.first_col = b.col + 1 - visible;
        }
        b.first_col = b.first_col.min(b.columns.len().saturating_sub(visible));
    }

    /// After this view moved `deal` to `target`: one card's amount goes from one column
    /// header to another, and nothing else changes but the two columns' cards. A move
    /// changes neither a deal's status nor any reminder, so those are not read again.
    /// (Another process's writes are caught by `tick`, which reads everything.)
    fn after_move(&mut self, deal: &Deal, target: &Stage) -> Result<(), StoreError> {
        let amount = &deal.amount;
        for column in &mut self.board.columns {
            let leaving = column.stage.id == deal.stage_id;
            if leaving || column.stage.id == target.id {
                let code = amount.currency.code();
                let probability = column.stage.probability;
                column
                    .totals
                    .shift(code, amount.minor, probability, leaving);
            }
        }
        self.stale = Tab::ALL
            .into_iter()
            .filter(|t| *t != Tab::Pipeline)
            .collect();
        self.reload_board(Some(deal.id.clone()), false)?;
        self.data_version = self.store.data_version()?;
        Ok(())
    }

    /// Reloads the board from the store; `keep` is a deal to select (it may have moved
    /// to another column).
    fn reload(&mut self, keep: Option<String>) -> Result<(), StoreError> {
        self.reload_board(keep, true)
    }

    /// Reads the board, keeping `keep` selected; the column header figures are counted
    /// again when `recount`, else kept as they are.
    fn reload_board(&mut self, keep: Option<String>, recount: bool) -> Result<(), StoreError> {
        let (w, h) = self.size;
        let board_height = h.saturating_sub(2);
        // The last card needs no gap below it.
        self.board.rows_visible =
            ((board_height.saturating_sub(HEADER_HEIGHT) + 1) / CARD_HEIGHT).max(1) as usize;
        let owner = self.owner_filter();
        let conn = self.store.conn();
        let all = stages::list(conn)?;
        self.board.cols_visible = ((w / MIN_COLUMN_WIDTH).max(1) as usize).min(all.len().max(1));
        let previous = std::mem::take(&mut self.board.columns);
        for stage in all {
            let kept = previous
                .iter()
                .find(|c| c.stage.id == stage.id)
                .filter(|_| !recount)
                .map(|c| c.totals.clone());
            let totals = match kept {
                Some(totals) => totals,
                None => deals::column_totals(conn, &stage, owner.as_deref())?,
            };
            let (selected, offset) = previous
                .iter()
                .find(|c| c.stage.id == stage.id)
                .map_or((0, 0), |c| (c.selected, c.offset));
            self.board.columns.push(Column {
                stage,
                totals,
                selected,
                offset,
                cards: Vec::new(),
            });
        }
        // The kept deal may have moved column (or closed, and left the board).
        let kept = keep
            .and_then(|id| deals::get(conn, &id).ok())
            .filter(|d| d.status == DealStatus::Open);
        if let Some(deal) = kept
            && let Some(col) = self
                .board
                .columns
                .iter()
                .position(|c| c.stage.id == deal.stage_id)
        {
            self.board.col = col;
            self.board.columns[col].selected =
                deals::index_in_column(conn, &deal, owner.as_deref())?;
        }
        self.board.col = self
            .board
            .col
            .min(self.board.columns.len().saturating_sub(1));
        let rows = self.board.rows_visible;
        for column in &mut self.board.columns {
            let count = column.totals.count;
            column.selected = column.selected.min(count.saturating_sub(1));
            column.offset = scrolled_offset(column.offset, column.selected, rows, count);
        }
        for col in 0..self.board.columns.len() {
            self.load_window(col, owner.as_deref())?;
        }
        self.fit_columns();
        if let Some(d) = &self.detail {
            let id = d.row.deal.id.clone();
            let scroll = d.scroll;
            self.detail = match self.load_detail(&id) {
                Ok(mut fresh) => {
                    fresh.scroll = scroll;
                    Some(fresh)
                }
                Err(_) => None,
            };
        }
        Ok(())
    }

    fn load_detail(&self, id: &str) -> Result<Detail, StoreError> {
        let conn = self.store.conn();
        let row = deals::row(conn, id)?;
        if deals::get(conn, id).is_err() {
            return Err(StoreError::NotFound {
                what: "deal".into(),
                reference: id.into(),
            });
        }
        Ok(Detail {
            history: deals::history(conn, id)?,
            activities: activities::for_deal(conn, id)?,
            row,
            scroll: 0,
        })
    }

    pub(super) fn refresh_reminders(&mut self) -> Result<(), StoreError> {
        let now = self.now();
        let (_, today_end) = self.zone.today_window(now);
        let owner = self.owner_filter();
        self.reminders = reminders::summary(self.store.conn(), now, today_end, owner.as_deref())?;
        let next_due = self
            .reminders
            .next
            .as_ref()
            .and_then(|n| n.activity.due_at)
            .unwrap_or(i64::MAX);
        // Also redraw at least once a minute so relative times stay right.
        self.reminders_valid_until = next_due.min(today_end).min(now + 60_000);
        Ok(())
    }

    /// The conflicts waiting for review, in words.
    fn pending_conflicts(&self) -> Result<Vec<Shown>, StoreError> {
        let conn = self.store.conn();
        Ok(conflicts::conflicts(conn, false)?
            .iter()
            .map(|c| Shown::of(conn, c, self.zone))
            .collect())
    }

    /// Settles one conflict and shows the rest; restoring mine is a local edit like any
    /// other, so it syncs once edits settle.
    fn resolve_conflict(&mut self, id: i64, keep: Keep) -> Result<(), StoreError> {
        let (c, undo) = usecase::conflicts::resolve(&mut self.store, id, keep)?;
        let shown = Shown::of(self.store.conn(), &c, self.zone);
        match keep {
            Keep::Theirs => self.say(format!(
                "Kept {}'s {} of {}. u undoes.",
                shown.who, shown.field, shown.record
            )),
            Keep::Mine => {
                self.say(format!(
                    "Restored your {} of {}; teammates get it on the next sync. u undoes.",
                    shown.field, shown.record
                ));
            }
        }
        self.remember(undo);
        let rest = self.pending_conflicts()?;
        match &mut self.modal {
            Some(Modal::Conflicts(list)) if !rest.is_empty() => list.set_items(rest),
            _ => self.modal = None,
        }
        self.reload_all(None)
    }

    /// Starts team sync in the background.
    pub fn attach_sync(&mut self, worker: super::sync_worker::SyncWorker) {
        self.sync = Some(worker);
        self.sync_state = Some(super::sync_worker::SyncState::Syncing);
    }

    /// Takes sync results, and asks for a sync once local changes have settled.
    fn tick_sync(&mut self) -> Result<(), StoreError> {
        use super::sync_worker::SyncState;
        let Some(worker) = &self.sync else {
            return Ok(());
        };
        for result in worker.poll() {
            self.sync_state = Some(match result {
                Ok(report) => SyncState::Synced(report.at),
                Err(e) => SyncState::Failed(e),
            });
        }
        let settled = self
            .unsynced_since
            .is_some_and(|t| self.now() - t >= SYNC_SETTLE_MS);
        if settled {
            worker.request();
            self.unsynced_since = None;
            self.sync_state = Some(SyncState::Syncing);
        }
        Ok(())
    }

    /// Time passed: take sync results, reload if another process wrote the database, and
    /// recount reminders when one has fallen due.
    fn tick(&mut self) -> Result<(), StoreError> {
        self.store.checkpoint()?;
        self.tick_sync()?;
        let version = self.store.data_version()?;
        if version != self.data_version {
            self.reload_all(None)?;
        } else if self.now() >= self.reminders_valid_until {
            self.refresh_reminders()?;
        }
        Ok(())
    }

    fn deal_form(&self, row: Option<&DealRow>) -> Result<Form, StoreError> {
        let conn = self.store.conn();
        let names: Vec<String> = customers::list(conn, &customers::Filter::default())?
            .into_iter()
            .map(|c| c.customer.name)
            .collect();
        let stage_names: Vec<String> = stages::list(conn)?.into_iter().map(|s| s.name).collect();
        let current_stage = self
            .board
            .columns
            .get(self.board.col)
            .map(|c| c.stage.name.clone())
            .unwrap_or_default();
        let (title, purpose, values) = match row {
            Some(r) => (
                format!("Edit deal — {}", r.deal.title),
                Purpose::EditDeal(r.deal.id.clone()),
                [
                    r.deal.title.clone(),
                    r.customer_name.clone(),
                    if r.deal.amount.minor == 0 {
                        String::new()
                    } else {
                        r.deal.amount.decimal_string()
                    },
                    r.deal.amount.currency.to_string(),
                    r.deal
                        .expected_close
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    r.stage_name.clone(),
                    r.deal.source.clone().unwrap_or_default(),
                ],
            ),
            None => (
                "Add deal".to_string(),
                Purpose::AddDeal,
                [
                    String::new(),
                    String::new(),
                    String::new(),
                    self.settings.default_currency.to_string(),
                    String::new(),
                    current_stage,
                    String::new(),
                ],
            ),
        };
        let [t, c, a, cur, close, stage, source] = values;
        Ok(Form::new(
            title,
            purpose,
            vec![
                Field::text("title", "Title", t),
                Field::suggest("customer", "Customer", names, &c)
                    .with_hint("type to search; a new name adds a prospect"),
                Field::text("amount", "Amount", a).with_hint("e.g. 12,500.50"),
                Field::text("currency", "Currency", cur),
                Field::text("close", "Close", close)
                    .with_hint("YYYY-MM-DD, +2w, tomorrow, next friday"),
                Field::choice("stage", "Stage", stage_names, &stage),
                Field::text("source", "Source", source),
            ],
        ))
    }

    fn submit_form(&mut self) -> Result<Option<Action>, StoreError> {
        let Some(Modal::Form(mut form)) = self.modal.take() else {
            return Ok(None);
        };
        form.clear_errors();
        let result = match form.purpose.clone() {
            Purpose::AddDeal => self.save_deal(&mut form, None),
            Purpose::EditDeal(id) => self.save_deal(&mut form, Some(id)),
            Purpose::FollowUp(about) => self.save_activity(&mut form, about, true),
            Purpose::LogActivity(about) => self.save_activity(&mut form, about, false),
            Purpose::AddCustomer
            | Purpose::EditCustomer(_)
            | Purpose::AddContact(_)
            | Purpose::EditContact(_)
            | Purpose::ChurnReason(_)
            | Purpose::Filter
            | Purpose::AddTag(_) => self.save_customer_form(&mut form),
            Purpose::Outcome(_)
            | Purpose::SnoozeTime(_)
            | Purpose::AddReminder
            | Purpose::EditReminder(_) => self.save_agenda_form(&mut form),
            Purpose::LostReason(deal_id) => {
                let reason = form.value("reason").trim().to_string();
                if reason.is_empty() {
                    form.set_error("reason", "a lost deal needs a reason");
                    Ok(None)
                } else {
                    Ok(Some(Action::LoseDeal { deal_id, reason }))
                }
            }
        };
        match result {
            Ok(next) if !form.has_errors() => Ok(next),
            Ok(_) => {
                self.modal = Some(Modal::Form(form));
                Ok(None)
            }
            Err(e) => {
                // Keep what was typed; show why it could not be saved.
                form.error = Some(e.to_string());
                self.modal = Some(Modal::Form(form));
                Ok(None)
            }
        }
    }

    /// Validates the deal form, putting each error at its field; saves only when every
    /// field is valid.
    fn save_deal(
        &mut self,
        form: &mut Form,
        id: Option<String>,
    ) -> Result<Option<Action>, StoreError> {
        let today = self.zone.today(self.now());
        let title = validate_title(form.value("title")).map_err(|e| e.to_string());
        let customer_text = form.value("customer").trim().to_string();
        let currency = form
            .value("currency")
            .parse::<Currency>()
            .map_err(|e| e.to_string());
        let amount = match (form.value("amount").trim(), &currency) {
            ("", Ok(c)) => Ok(Money::zero(c.clone())),
            (text, Ok(c)) => Money::parse(text, c).map_err(|e| e.to_string()),
            (text, Err(_)) => {
                Money::parse(text, &self.settings.default_currency).map_err(|e| e.to_string())
            }
        };
        let close = match form.value("close").trim() {
            "" => Ok(None),
            text => parse_date(text, today).map(Some).map_err(|e| e.to_string()),
        };
        let all = stages::list(self.store.conn())?;
        let stage = Stage::find(&all, form.value("stage")).cloned();
        if let Err(e) = &title {
            form.set_error("title", e.clone());
        }
        if customer_text.is_empty() {
            form.set_error("customer", "choose a customer or type a new name");
        }
        if let Err(e) = &amount {
            form.set_error("amount", e.clone());
        }
        if let Err(e) = &currency {
            form.set_error("currency", e.clone());
        }
        if let Err(e) = &close {
            form.set_error("close", e.clone());
        }
        if let Err(e) = &stage {
            form.set_error("stage", e.clone());
        }
        let (Ok(title), Ok(amount), Ok(close), Ok(stage)) = (title, amount, close, stage) else {
            return Ok(None);
        };
        if form.has_errors() {
            return Ok(None);
        }
        let customer = match customers::find_by_name(self.store.conn(), &customer_text) {
            Ok(Some(cid)) => CustomerRef::Id(cid),
            Ok(None) => CustomerRef::Name(customer_text.clone()),
            Err(e) => {
                form.set_error("customer", e.to_string());
                return Ok(None);
            }
        };
        let source = form.value("source").trim().to_string();
        match id {
            None => {
                let added = usecase::deals::add(
                    &mut self.store,
                    &NewDeal {
                        title: title.clone(),
                        customer,
                        stage_id: stage.id.clone(),
                        amount,
                        expected_close: close,
                        source: Some(source),
                        notes: None,
                        owner_id: None,
                    },
                )?;
                let new = if added.new_customer {
                    format!(" New prospect {customer_text} added.")
                } else {
                    String::new()
                };
                self.say(format!("Added {title} to {}.{new}", stage.name));
                self.remember(added.undo);
                self.reload_all(Some(added.deal_id))?;
            }
            Some(id) => {
                // One use case saves the customer, the fields and the stage move as one
                // change; a closed deal keeps its stage (the form shows it, read-only).
                let deal = deals::get(self.store.conn(), &id)?;
                let patch = usecase::deals::Patch {
                    title: Some(title.clone()),
                    customer: Some(customer),
                    amount: Some(amount),
                    expected_close: Some(close),
                    source: Some((!source.is_empty()).then_some(source)),
                    stage_id: (deal.status == DealStatus::Open).then(|| stage.id.clone()),
                    ..usecase::deals::Patch::default()
                };
                let edited = usecase::deals::edit(&mut self.store, &id, &patch)?;
                self.remember(edited.undo);
                self.say(format!("Saved {title}."));
                self.reload_all(Some(id))?;
            }
        }
        Ok(None)
    }

    fn save_activity(
        &mut self,
        form: &mut Form,
        about: Subject,
        scheduled: bool,
    ) -> Result<Option<Action>, StoreError> {
        let kind = form.value("kind").parse::<ActivityKind>();
        let subject = form.value("subject").trim().to_string();
        if subject.is_empty() {
            form.set_error(
                "subject",
                "say what it is about, e.g. 'Call about the quote'",
            );
        }
        if let Err(e) = &kind {
            form.set_error("kind", e.clone());
        }
        let due = if scheduled {
            match self.zone.parse_when(form.value("when"), self.now()) {
                Ok(t) => Some(t),
                Err(e) => {
                    form.set_error("when", e.to_string());
                    None
                }
            }
        } else {
            None
        };
        let Ok(kind) = kind else { return Ok(None) };
        if form.has_errors() {
            return Ok(None);
        }
        let body = form.value("body").trim().to_string();
        let (_, undo) = usecase::activities::add(
            &mut self.store,
            &NewActivity {
                kind,
                subject: subject.clone(),
                body: (!body.is_empty()).then_some(body),
                about,
                contact_id: None,
                due_at: due,
                outcome: None,
            },
        )?;
        self.remember(undo);
        match due {
            Some(t) => self.say(format!(
                "Scheduled {subject} for {}.",
                self.zone.date_time(t)
            )),
            None => self.say(format!("Logged {subject}.")),
        }
        let keep = self.selected_id();
        self.reload_all(keep)?;
        Ok(None)
    }
}

/// The activity log form for a deal or customer.
pub(super) fn log_form(about: Subject, name: &str, kind: ActivityKind) -> Form {
    let kinds = ActivityKind::ALL
        .iter()
        .map(|k| k.as_str().to_string())
        .collect();
    Form::new(
        format!("Log an activity — {name}"),
        Purpose::LogActivity(about),
        vec![
            Field::choice("kind", "Kind", kinds, kind.as_str()),
            Field::text("subject", "Subject", ""),
            Field::text("body", "Notes", ""),
        ],
    )
}

/// The follow-up form: kind, subject and when.
pub(super) fn follow_up_form(about: Subject, subject: &str) -> Form {
    let kinds = ActivityKind::ALL
        .iter()
        .map(|k| k.as_str().to_string())
        .collect();
    Form::new(
        "Schedule a follow-up",
        Purpose::FollowUp(about),
        vec![
            Field::choice("kind", "Kind", kinds, "call"),
            Field::text("subject", "Subject", subject),
            Field::text("when", "When", "tomorrow 09:00")
                .with_hint("14:30, tomorrow 10:00, mon 9:00, +2h, +3d, 2026-12-01 14:30"),
        ],
    )
}

/// "move ACME renewal to Proposal" → "ACME renewal to Proposal" for messages.
fn strip_verb(label: &str) -> &str {
    label.split_once(' ').map_or(label, |(_, rest)| rest)
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

#[cfg(test)]
mod tests {
    use super::scrolled_offset;

    #[test]
    fn the_window_follows_the_selection() {
        assert_eq!(scrolled_offset(0, 2, 3, 10), 0);
        assert_eq!(scrolled_offset(0, 3, 3, 10), 1);
        assert_eq!(scrolled_offset(5, 2, 3, 10), 2);
        assert_eq!(scrolled_offset(9, 9, 3, 10), 7);
        assert_eq!(scrolled_offset(4, 0, 3, 0), 0);
    }
}

//! The TUI's `App`: which view is in front, the modal, the status-bar message, the undo
//! stack, team sync and staleness. It owns one component per view (`components/`) and
//! routes each key to the thing in front, in one place ([`App::route`]): the open modal
//! first, then the view's component, then the global keys. What a component answers
//! ([`Handled::Act`]) is carried out by [`App::update`]; writes go through
//! `crate::usecase` (`apply.rs`, `submit.rs`), never through `Write`s built here.
//!
//! About 770 lines: routing, the global keys and going back (the navigation stack) all
//! read and set the same fields of `App`; the next split is the navigation stack into a
//! module of its own.

use crate::t;
use crossterm::event::KeyEvent;

use super::action::{Action, Command, Handled, Tab};
use super::components::Look;
use super::components::agenda::Agenda;
use super::components::customers::CustomersBoard;
use super::components::detail::DealDetail;
use super::components::pipeline::Pipeline;
use super::components::profile::Profile;
use super::components::reports::Reports;
use super::keymap::{self, Context, Keymap};
use super::modals::confirm::Confirm;
use super::modals::conflicts::Conflicts;
use super::modals::{Modal, Outcome};
use super::theme::Theme;
use super::{forms, sync_worker};
use crate::config::Settings;
use crate::domain::time::Zone;
use crate::store::customers::CustomerSummary;
use crate::store::deals::DealRow;
use crate::store::{Store, StoreError, Undo, activities, conflicts, reminders};
use crate::sync::review::Shown;

/// How many changes `u` can undo.
pub const UNDO_DEPTH: usize = 100;

/// How many places Esc can go back through.
const BACK_DEPTH: usize = 20;

/// A place the user was before opening a record somewhere else, for Esc to return to:
/// the view in front, the deal detail and customer profile that were open on their
/// tabs, and the search that was open (with its text).
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub tab: Tab,
    pub deal: Option<String>,
    pub customer: Option<String>,
    pub search: Option<String>,
}

/// The status bar's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// How long the status bar mentions rows a sync kept out.
const KEPT_OUT_SHOWN_MS: i64 = 24 * 60 * 60 * 1000;

pub struct App {
    pub store: Store,
    pub settings: Settings,
    pub zone: Zone,
    pub tab: Tab,
    pub pipeline: Pipeline,
    /// A deal's detail, on top of the pipeline board.
    pub detail: Option<DealDetail>,
    pub customers: CustomersBoard,
    /// A customer's profile, on top of the customers board.
    pub profile: Option<Profile>,
    pub agenda: Agenda,
    pub reports: Reports,
    /// The keys in force: the table with the config's `[keys]` (see [`App::with_keymap`]).
    pub keymap: Keymap,
    /// The colours in force, for the terminal it runs in (see [`App::with_theme`]).
    pub theme: Theme,
    pub modal: Option<Modal>,
    /// The search the help overlay was opened over (F1 in search): back when help closes.
    pub(super) under_help: Option<Box<Modal>>,
    /// A form, question or choice opened from the settings (`S`): the settings line it
    /// was opened on, to go back to when it is cancelled.
    pub(super) under_settings: Option<Option<String>>,
    pub message: Option<Message>,
    pub reminders: reminders::Summary,
    /// The reminder figures are still to be counted: a start draws the board first and
    /// counts them right after ([`App::starting`], [`App::finish_start`]).
    pub reminders_pending: bool,
    /// The Customers board is still to be read once after the start
    /// ([`App::finish_pending`]).
    customers_unread: bool,
    pub mine_only: bool,
    pub size: (u16, u16),
    pub quit: bool,
    undo: Vec<Undo>,
    /// Where Esc goes back to from a record opened elsewhere, latest last.
    pub back: Vec<Place>,
    /// The mouse button held on a card (for a drag), and the last click (for a double
    /// click).
    pub(super) pressed: Option<super::mouse::Press>,
    pub(super) last_click: Option<super::mouse::Press>,
    /// Team sync, when this database is linked to a team file.
    pub sync: Option<sync_worker::SyncWorker>,
    /// The team's members, when it syncs through PostgreSQL (the settings' Members).
    pub members: Option<super::members::TeamMembers>,
    /// The Reports view's figures, read off the key path (in the terminal; tests and
    /// benchmarks read them at once).
    pub(super) report_worker: Option<super::report_worker::ReportWorker>,
    pub sync_state: Option<sync_worker::SyncState>,
    /// Rows of teammates' files that syncs kept out for breaking the rules in the last
    /// day (listed by `salesdesk team status`).
    pub sync_kept_out: usize,
    /// Unresolved sync conflicts (values of mine a teammate's edit replaced).
    pub conflicts: i64,
    /// When the last local change not yet synced was made.
    pub(super) unsynced_since: Option<i64>,
    /// Views changed since they were last read; read again when next shown.
    pub(super) stale: Vec<Tab>,
    pub(super) data_version: i64,
    /// When the reminder figures next change on their own (a reminder falls due, or
    /// the day ends).
    pub(super) reminders_valid_until: i64,
    /// The changes (this connection's count, and the data version for other processes')
    /// the calendar file was last written for; see `tick_calendar`.
    pub(super) calendar_stamp: Option<(u64, i64)>,
}

impl App {
    pub fn new(
        store: Store,
        settings: Settings,
        zone: Zone,
        size: (u16, u16),
    ) -> Result<App, StoreError> {
        let mut app = App::starting(store, settings, zone, size)?;
        while app.has_pending() {
            app.finish_pending()?;
        }
        Ok(app)
    }

    /// The app as it starts in a terminal: what the first frame shows (the pipeline
    /// board) is read, the reminder figures of the status bar are not yet (at 100k deals
    /// counting them is most of the start). `tui::run` draws, then calls
    /// [`App::finish_start`] unless a key is already waiting; meanwhile the status bar
    /// says it is counting. Any key that needs the figures (the Agenda) counts them.
    pub fn starting(
        store: Store,
        settings: Settings,
        zone: Zone,
        size: (u16, u16),
    ) -> Result<App, StoreError> {
        // The app speaks the settings' language (the config's, else the locale's) on the
        // thread that draws it; `main` has set the same for the whole program.
        crate::i18n::use_in_thread(settings.language());
        let data_version = store.data_version()?;
        // Checkpoints happen in `tick`, when no key is waiting.
        store.defer_checkpoints()?;
        let mut app = App {
            store,
            settings,
            zone,
            tab: Tab::Pipeline,
            pipeline: Pipeline::default(),
            detail: None,
            customers: CustomersBoard::default(),
            profile: None,
            agenda: Agenda::default(),
            reports: Reports::default(),
            keymap: Keymap::default(),
            theme: Theme::default(),
            modal: None,
            under_help: None,
            under_settings: None,
            message: None,
            reminders: reminders::Summary::default(),
            reminders_pending: true,
            customers_unread: true,
            mine_only: false,
            size,
            quit: false,
            undo: Vec::new(),
            back: Vec::new(),
            pressed: None,
            last_click: None,
            stale: Vec::new(),
            sync: None,
            members: None,
            report_worker: None,
            sync_state: None,
            sync_kept_out: 0,
            conflicts: 0,
            unsynced_since: None,
            data_version,
            reminders_valid_until: 0,
            calendar_stamp: None,
        };
        app.reload_all(None)?;
        if app.store.is_empty()? {
            app.modal = Some(Modal::Confirm(Confirm::new(
                t!("confirm-welcome-title"),
                t!(
                    "confirm-welcome",
                    no = app.keymap.key(Context::Confirm, Command::No),
                    add = app.keymap.key(Context::Board, Command::Add)
                ),
                Action::LoadDemo,
            )));
        }
        Ok(app)
    }

    /// Counts what [`App::starting`] left for after the first frame, if it is still
    /// to be counted.
    pub fn finish_start(&mut self) -> Result<(), StoreError> {
        if self.reminders_pending {
            // Once, even if it fails (the error is said; a tick counts them again).
            self.reminders_pending = false;
            self.refresh_reminders()?;
        }
        Ok(())
    }

    /// Whether something shown is still to be read: what [`App::starting`] left for
    /// after the first frame, or the Agenda below the screen (see
    /// [`super::components::agenda::Agenda::reload_first`]). `tui::run` calls
    /// [`App::finish_pending`] after a frame when no key is waiting.
    pub fn has_pending(&self) -> bool {
        self.reminders_pending || self.agenda.partial || self.customers_unread
    }

    /// Reads the first of what [`App::has_pending`] says is still to be read: the
    /// reminder counts, else the rest of the Agenda, else the Customers board, one at a
    /// time so that the frame after each shows it before the next is read.
    pub fn finish_pending(&mut self) -> Result<(), StoreError> {
        if self.reminders_pending {
            self.finish_start()
        } else if self.agenda.partial {
            self.finish_agenda()
        } else {
            self.finish_customers()
        }
    }

    /// Reads the Customers board once after the start, while nothing waits, and leaves
    /// it marked stale: the first switch to it reads it again, but finds each customer's
    /// won total and the column heads kept (they are kept while the book is unchanged
    /// but for moves of open deals, and read again otherwise), and reads only its
    /// cards. Read cold on that key, the board took 20 ms at 100k deals.
    fn finish_customers(&mut self) -> Result<(), StoreError> {
        if self.customers_unread {
            self.customers_unread = false;
            if self.stale.contains(&Tab::Customers) {
                let env = env!(self);
                self.customers.reload(&env, None)?;
            }
        }
        Ok(())
    }

    /// Reads the rest of the Agenda, if only its first screen was read.
    fn finish_agenda(&mut self) -> Result<(), StoreError> {
        if self.agenda.partial {
            let env = env!(self);
            self.agenda.reload(&env, &self.reminders)?;
        }
        Ok(())
    }

    /// The app with these keys instead of the table's own (`tui::run` passes the
    /// config's).
    pub fn with_keymap(mut self, keymap: Keymap) -> App {
        self.keymap = keymap;
        self
    }

    /// The app drawn in these colours instead of the default dark ones.
    pub fn with_theme(mut self, theme: Theme) -> App {
        self.theme = theme;
        self
    }

    pub fn now(&self) -> i64 {
        self.store.now_millis()
    }

    /// What drawing needs (no database).
    pub fn look(&self) -> Look<'_> {
        Look {
            settings: &self.settings,
            keymap: &self.keymap,
            zone: self.zone,
            now: self.now(),
            me: self.store.member_id(),
        }
    }

    /// The context keys are looked up in: the open modal's, else the view in front.
    pub fn context(&self) -> Context {
        if let Some(modal) = &self.modal {
            return modal.context();
        }
        self.view_context()
    }

    /// The view in front, under any modal.
    pub fn view_context(&self) -> Context {
        match (self.tab, &self.detail, &self.profile) {
            (Tab::Pipeline, Some(_), _) => Context::Detail,
            (Tab::Pipeline, None, _) => Context::Board,
            (Tab::Customers, _, Some(_)) => Context::Profile,
            (Tab::Customers, _, None) => Context::Customers,
            (Tab::Agenda, _, _) => Context::Agenda,
            (Tab::Reports, _, _) => Context::Reports,
        }
    }

    /// The help overlay's lines: the view's keys, then the global ones; over search,
    /// the search's keys.
    pub fn help_lines(&self) -> Vec<(String, String, String)> {
        let context = match &self.under_help {
            Some(modal) => modal.context(),
            None => self.view_context(),
        };
        self.keymap
            .help_for(context)
            .into_iter()
            .map(|(ctx, keys, help)| (ctx.shown_title(), keys, help))
            .collect()
    }

    /// The status bar's idle hints, from the keymap.
    pub fn hints(&self) -> String {
        self.keymap.hints(self.view_context())
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
        // A save that changed nothing has nothing to undo.
        if undo.writes.is_empty() && undo.reopens.is_none() {
            return;
        }
        self.undo.push(undo);
        if self.undo.len() > UNDO_DEPTH {
            self.undo.remove(0);
        }
    }

    /// Handles a key: the open modal gets it first, then the view in front, then the
    /// global keys. Says what became of it (`NotHandled` when nothing is bound to it).
    pub fn handle_key(&mut self, key: &KeyEvent) -> Handled {
        // Ctrl-C quits from anywhere, an open form included, as in any terminal program;
        // unsaved form input is dropped as Esc would.
        if key
            .modifiers
            .contains(crossterm::event::KeyModifiers::CONTROL)
            && self.keymap.lookup(Context::Global, key) == Some(Command::Quit)
        {
            self.quit = true;
            return Handled::Consumed;
        }
        if let Some(modal) = &mut self.modal {
            let outcome = modal.handle_key(key, &self.keymap);
            return self.after_modal(outcome);
        }
        let Some((context, command)) = self
            .keymap
            .lookup_binding(self.view_context(), key)
            .map(|b| (b.context, b.command))
        else {
            return Handled::NotHandled;
        };
        self.message = None;
        let handled = self.route(context, command);
        self.settle(handled)
    }

    /// Carries out what a component answered: an action is dispatched, an error goes to
    /// the status bar (never ends the program). Keys, clicks and drops all end here.
    pub(super) fn settle(&mut self, handled: Result<Handled, StoreError>) -> Handled {
        match handled {
            Ok(Handled::Act(action)) => {
                self.dispatch(action.clone());
                Handled::Act(action)
            }
            Ok(handled) => handled,
            Err(e) => {
                self.fail(e.to_string());
                Handled::Consumed
            }
        }
    }

    /// Handles a paste. It goes to the text field in front as text; where no text is
    /// typed, it is not taken as keys either (a pasted "Dx" must not delete a deal).
    pub fn handle_paste(&mut self, text: &str) -> Handled {
        let Some(modal) = &mut self.modal else {
            self.fail(t!("app-nothing-to-paste-into"));
            return Handled::Consumed;
        };
        let outcome = modal.paste(text);
        self.after_modal(outcome)
    }

    /// Carries out what the modal made of a key or a paste.
    fn after_modal(&mut self, outcome: Outcome) -> Handled {
        // The customers filter is live: the board follows the text as it is typed, and
        // Esc puts back the filter the form opened with.
        let filter = match &self.modal {
            Some(Modal::Form(f)) if f.purpose == super::modals::form::Purpose::Filter => f
                .fields
                .first()
                .map(|t| (t.value.clone(), t.initial.clone())),
            _ => None,
        };
        let handled = match outcome {
            Outcome::Consumed => Handled::Consumed,
            Outcome::Close => {
                // Help opened over search closes back to it, and what the settings
                // opened back to them.
                self.modal = match &self.modal {
                    Some(Modal::Help(_)) => self.under_help.take().map(|m| *m),
                    _ => None,
                };
                self.back_to_settings();
                Handled::Consumed
            }
            Outcome::Act(action) => {
                self.dispatch(action.clone());
                self.back_to_settings();
                Handled::Act(action)
            }
        };
        // Help scrolls no further than its last line, so k comes back at once.
        if let Some(Modal::Help(scroll)) = &self.modal {
            let limit = super::views::help::scroll_limit(&self.help_lines(), self.size);
            if *scroll > limit {
                self.modal = Some(Modal::Help(limit));
            }
        }
        if let Err(e) = self.look_up_suggestions() {
            self.fail(e.to_string());
        }
        if let Some((typed, opened)) = filter {
            let text = if self.modal.is_some() { typed } else { opened };
            if handled == Handled::Consumed {
                let env = env!(self);
                let text = Some(text.trim().to_string()).filter(|t| !t.is_empty());
                if self.customers.filter_text() != text.as_deref()
                    && let Err(e) = self.customers.set_filter(&env, text)
                {
                    self.fail(e.to_string());
                }
            }
        }
        handled
    }

    /// When what the settings opened (a form, question or choice) is gone and nothing
    /// took its place, the settings again, on the line it was opened from: after a
    /// cancel, and after its action too when that did not reopen them itself (it failed,
    /// say), so that it is never left to reopen them under some later modal.
    fn back_to_settings(&mut self) {
        if self.modal.is_none()
            && let Some(keep) = self.under_settings.take()
            && let Err(e) = self.open_settings(keep.as_deref())
        {
            self.fail(e.to_string());
        }
    }

    /// Looks up the suggestions of the open form's field whose text changed (a customer
    /// field completes from the book's index as it is typed, rather than from every name
    /// loaded when the form opens).
    fn look_up_suggestions(&mut self) -> Result<(), StoreError> {
        use super::modals::form::{Field, LookupSource};
        use crate::domain::ids::short_id;
        use crate::store::search::HitKind;
        let Some(Modal::Form(form)) = &mut self.modal else {
            return Ok(());
        };
        if let Some((i, source, typed)) = form.pending_lookup() {
            let found = if typed.is_empty() {
                Vec::new()
            } else {
                match source {
                    LookupSource::Customers => crate::store::customers::names_containing(
                        self.store.conn(),
                        &typed,
                        Field::SUGGESTIONS,
                    )?,
                    LookupSource::Subjects => crate::store::search::subjects(
                        self.store.conn(),
                        &typed,
                        Field::SUGGESTIONS,
                    )?
                    .into_iter()
                    .filter_map(|s| match s.kind {
                        // Deals often share a title ("Renewal"): the short id tells them
                        // apart, and the save resolves it.
                        HitKind::Deal => Some(t!(
                            "reminder-for-deal",
                            name = format!("{} · {}", s.name, short_id(&s.id))
                        )),
                        HitKind::Customer => Some(t!("reminder-for-customer", name = s.name)),
                        HitKind::Contact | HitKind::Activity => None,
                    })
                    .collect(),
                }
            };
            form.set_looked_up(i, found);
        }
        Ok(())
    }

    /// Undoes the last change (`u`, in a view or in the settings), says so, and reloads.
    pub(super) fn undo_last(&mut self) -> Result<(), StoreError> {
        match self.undo.pop() {
            Some(undo) => {
                self.store.undo(&undo)?;
                self.unsynced_since = Some(self.now());
                self.say(t!("app-undone", what = undo.label.as_str()));
                self.reload_all(None)?;
            }
            None => self.fail(t!("app-nothing-to-undo")),
        }
        Ok(())
    }

    /// The one routing table: a command goes to the component of the context its
    /// binding was found in.
    pub fn route(&mut self, context: Context, c: Command) -> Result<Handled, StoreError> {
        // A key in the Agenda acts on all of it (`G` goes to its last line).
        if context == Context::Agenda {
            self.finish_agenda()?;
        }
        let env = env!(self);
        match context {
            Context::Global => self.global(c),
            Context::Board => self.pipeline.handle(c, &env),
            Context::Detail => match &mut self.detail {
                Some(detail) => detail.handle(c, &env),
                None => Ok(Handled::NotHandled),
            },
            Context::Customers => self.customers.handle(c, &env),
            Context::Profile => match &mut self.profile {
                Some(profile) => profile.handle(c, &env),
                None => Ok(Handled::NotHandled),
            },
            Context::Agenda => self.agenda.handle(c, &env),
            Context::Reports => self.reports.handle(c, &env),
            // Modals get their keys in `handle_key`, before any routing.
            Context::Form
            | Context::Confirm
            | Context::Picker
            | Context::Search
            | Context::Conflicts
            | Context::Settings
            | Context::Help => Ok(Handled::NotHandled),
        }
    }

    /// The global keys: anything that is not one view's.
    fn global(&mut self, c: Command) -> Result<Handled, StoreError> {
        match c {
            Command::Quit => self.quit = true,
            Command::Help => {
                if let Some(search @ Modal::Search(_)) = self.modal.take() {
                    self.under_help = Some(Box::new(search));
                }
                self.modal = Some(Modal::Help(0));
            }
            Command::Search => self.modal = Some(Modal::Search(Default::default())),
            Command::Settings => self.open_settings_fresh()?,
            Command::ReviewConflicts => {
                let items = self.pending_conflicts()?;
                if items.is_empty() {
                    self.say(t!("app-no-conflicts"));
                } else {
                    self.modal = Some(Modal::Conflicts(Conflicts::new(items)));
                }
            }
            Command::Undo => self.undo_last()?,
            // Choosing a view is a fresh start: Esc no longer goes back across views.
            Command::NextTab => {
                self.back.clear();
                self.show_tab(self.tab_after(1))?
            }
            Command::PrevTab => {
                self.back.clear();
                self.show_tab(self.tab_after(Tab::ALL.len() - 1))?
            }
            Command::GoTab(i) => {
                self.back.clear();
                self.show_tab(Tab::ALL[i.min(Tab::ALL.len() - 1)])?
            }
            Command::Left
            | Command::Right
            | Command::Up
            | Command::Down
            | Command::First
            | Command::Last
            | Command::MovePrev
            | Command::MoveNext
            | Command::Open
            | Command::Back
            | Command::Add
            | Command::Edit
            | Command::Win
            | Command::Lose
            | Command::FollowUp
            | Command::LogActivity
            | Command::Delete
            | Command::ToggleMine
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
            | Command::AddPipeline
            | Command::Reopen
            | Command::FieldStart
            | Command::FieldEnd
            | Command::WordLeft
            | Command::WordRight
            | Command::DeleteForward
            | Command::DeleteWord
            | Command::DeleteToEnd
            | Command::NewLine => return Ok(Handled::NotHandled),
        }
        Ok(Handled::Consumed)
    }

    /// The view `steps` places after the current one, round the tab line.
    fn tab_after(&self, steps: usize) -> Tab {
        let i = Tab::ALL.iter().position(|t| *t == self.tab).unwrap_or(0);
        Tab::ALL[(i + steps) % Tab::ALL.len()]
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
            Action::Command(c) => {
                // A command not from a key: the view's if the view binds it.
                let view = self.view_context();
                let context = if keymap::BINDINGS
                    .iter()
                    .any(|b| b.context == view && b.command == c)
                {
                    view
                } else {
                    Context::Global
                };
                if let Handled::Act(next) = self.route(context, c)? {
                    return Ok(Some(next));
                }
            }
            Action::Show(modal) => self.modal = Some(*modal),
            Action::Say(text) => self.say(text),
            Action::Fail(text) => self.fail(text),
            Action::Back => match self.back.pop() {
                Some(place) => self.go_back_to(place)?,
                None => match self.tab {
                    Tab::Pipeline => self.detail = None,
                    Tab::Customers => self.profile = None,
                    Tab::Agenda | Tab::Reports => {}
                },
            },
            Action::OpenDeal(id) => {
                self.leave();
                // Leaving a profile for one of its deals closes the profile (Esc
                // brings it back).
                if self.view_context() == Context::Profile {
                    self.profile = None;
                }
                self.open_deal(&id)?;
            }
            Action::OpenCustomer(id) => {
                self.leave();
                self.open_customer(&id)?;
            }
            Action::ToggleMine => {
                self.mine_only = !self.mine_only;
                self.say(if self.mine_only {
                    t!("app-showing-mine")
                } else {
                    t!("app-showing-all")
                });
                self.reload_all(None)?;
            }
            Action::ShowPipeline(id) => {
                self.modal = None;
                self.tab = Tab::Pipeline;
                self.detail = None;
                let env = env!(self);
                self.pipeline.show_pipeline(&env, &id)?;
                let name = self
                    .pipeline
                    .current
                    .as_ref()
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                self.say(t!("app-showing-pipeline", name = name));
            }
            Action::ReportPipeline(id) => {
                self.modal = None;
                self.tab = Tab::Reports;
                let env = env!(self);
                let shown = self.reports.show_pipeline(&env, id.as_deref())?;
                self.say(match shown {
                    Some(name) => t!(
                        "app-reports-for-pipeline",
                        name = name,
                        key = self.keymap.key(Context::Reports, Command::PickPipeline)
                    ),
                    None => t!("app-reports-for-all"),
                });
            }
            Action::SubmitForm => return self.submit_form(),
            setup @ (Action::OpenSettings(_)
            | Action::SettingsAdd(_)
            | Action::SettingsAddPipeline
            | Action::SettingsEdit(_)
            | Action::SettingsMove { .. }
            | Action::SettingsDelete(_)
            | Action::SettingsUndo(_)
            | Action::DeleteStage { .. }
            | Action::DeletePipeline { .. }
            | Action::DeleteField(_)) => return self.settings_action(setup),
            member @ (Action::SetMemberRole { .. } | Action::RemoveMember(_)) => {
                return self.member_action(member);
            }
            Action::CloseModal => self.modal = None,
            Action::AskLostReason(deal_id) => {
                self.modal = Some(Modal::Form(forms::lost_reason_form(deal_id)));
            }
            Action::OfferFollowUp { about, subject } => {
                self.modal = Some(Modal::Form(forms::follow_up_form(about, &subject)));
            }
            Action::AskSnoozeTime(id) => {
                self.modal = Some(Modal::Form(forms::snooze_form(id)));
            }
            Action::Resize(w, h) => {
                self.size = (w, h);
                self.reload_all(None)?;
            }
            Action::Tick => self.tick()?,
            Action::SearchChanged => {
                if let Some(Modal::Search(search)) = &mut self.modal {
                    let conn = self.store.conn();
                    let mut hits = crate::store::search::search(conn, &search.input, 50)?;
                    // A deal's status or stage, so a won or lost deal is told from an
                    // open one before it is opened.
                    let deals: Vec<&str> = hits
                        .iter()
                        .filter(|h| h.kind == crate::store::search::HitKind::Deal)
                        .map(|h| h.id.as_str())
                        .collect();
                    let mut states = crate::store::deals::states(conn, &deals)?;
                    for hit in &mut hits {
                        if hit.kind == crate::store::search::HitKind::Deal
                            && let Some((status, stage)) = states.remove(&hit.id)
                        {
                            let state = match status {
                                crate::domain::deal::DealStatus::Open => stage,
                                status => status.label(),
                            };
                            hit.detail = format!("{state} · {}", hit.detail);
                        }
                    }
                    search.set_results(hits);
                }
            }
            Action::OpenHit(kind, id) => {
                self.leave();
                self.modal = None;
                self.open_hit(kind, &id)?;
            }
            write @ (Action::MoveDeal { .. }
            | Action::ReopenDeal { .. }
            | Action::WinDeal(_)
            | Action::DeleteDeal(_)
            | Action::LoseDeal { .. }
            | Action::SetCustomerStatus { .. }
            | Action::SetCustomerTier { .. }
            | Action::DeleteCustomer(_)
            | Action::DeleteContact(_)
            | Action::MarkPrimary { .. }
            | Action::ChurnCustomer { .. }
            | Action::SetSatisfaction { .. }
            | Action::RemoveTag { .. }
            | Action::CompleteReminder { .. }
            | Action::Snooze { .. }
            | Action::DeleteReminder(_)
            | Action::ResolveConflict { .. }
            | Action::LoadDemo) => return self.apply(write),
        }
        Ok(None)
    }

    pub fn selected_deal(&self) -> Option<&DealRow> {
        match &self.detail {
            Some(d) => Some(&d.row),
            None => self.pipeline.selected(),
        }
    }

    pub fn selected_customer(&self) -> Option<&CustomerSummary> {
        match &self.profile {
            Some(p) => Some(&p.summary),
            None => self.customers.selected(),
        }
    }

    /// Reloads every view (the one on screen now, the others when next shown), keeping
    /// `keep` or what is selected.
    ///
    /// Only the view on screen is read now; the others are marked stale and read when
    /// they are next shown, so a change costs one view's queries, not every view's.
    pub(super) fn reload_all(&mut self, keep: Option<String>) -> Result<(), StoreError> {
        self.stale = Tab::ALL.to_vec();
        // Conflicts change with the data: a sync (through its own connection, which
        // changes `data_version`), a decision or its undo.
        self.conflicts = conflicts::pending_conflicts(self.store.conn())?;
        // Rows a sync kept out of the team file lately, whether or not the last sync read
        // the file (an unchanged file is not read again).
        self.sync_kept_out = crate::store::quarantine::kept_out_since(
            self.store.conn(),
            self.now() - KEPT_OUT_SHOWN_MS,
        )?;
        // Reminders first: the Agenda's headers use their counts. At start they are
        // counted after the first frame (see `starting`).
        if !self.reminders_pending {
            self.refresh_reminders()?;
        }
        self.refresh_tab(self.tab, keep)?;
        self.data_version = self.store.data_version()?;
        Ok(())
    }

    /// Reads one view (and the view on top of it) from the store, keeping `keep` (or its
    /// current selection) selected.
    pub(super) fn refresh_tab(&mut self, tab: Tab, keep: Option<String>) -> Result<(), StoreError> {
        self.stale.retain(|t| *t != tab);
        match tab {
            Tab::Pipeline => {
                let keep = keep.or_else(|| self.selected_deal().map(|r| r.deal.id.clone()));
                let env = env!(self);
                self.pipeline.reload(&env, keep.as_deref())?;
                // A deal deleted meanwhile closes its detail.
                self.detail = match &self.detail {
                    Some(d) => d.reload(&env).ok(),
                    None => None,
                };
            }
            Tab::Customers => {
                let keep = keep.or_else(|| self.selected_customer().map(|s| s.customer.id.clone()));
                let env = env!(self);
                self.customers.reload(&env, keep.as_deref())?;
                self.profile = match &self.profile {
                    Some(p) => p.reload(&env).ok(),
                    None => None,
                };
            }
            Tab::Agenda => {
                // The Overdue and Today headers show the status bar's counts: make sure
                // they are current, and they cannot disagree.
                if self.now() >= self.reminders_valid_until {
                    self.refresh_reminders()?;
                }
                // The screenful first; the rest a frame later (`finish_pending`).
                let env = env!(self);
                self.agenda.reload_first(&env, &self.reminders)?;
            }
            Tab::Reports => {
                let env = env!(self);
                self.reports.reload(&env)?;
            }
        }
        Ok(())
    }

    /// Shows a view, reading it first if something changed since it was last shown.
    pub(super) fn show_tab(&mut self, tab: Tab) -> Result<(), StoreError> {
        self.tab = tab;
        if self.stale.contains(&tab) {
            self.refresh_tab(tab, None)?;
        }
        Ok(())
    }

    /// Where the user is now, as a place to come back to.
    pub fn here(&self) -> Place {
        Place {
            tab: self.tab,
            deal: self.detail.as_ref().map(|d| d.row.deal.id.clone()),
            customer: self.profile.as_ref().map(|p| p.summary.customer.id.clone()),
            search: match &self.modal {
                Some(Modal::Search(s)) => Some(s.input.clone()),
                _ => None,
            },
        }
    }

    /// Remembers where the user is before a record opens somewhere else.
    fn leave(&mut self) {
        let here = self.here();
        if self.back.last() != Some(&here) {
            self.back.push(here);
        }
        if self.back.len() > BACK_DEPTH {
            self.back.remove(0);
        }
    }

    /// Returns to a place: its view, the detail and profile that were open (a record
    /// deleted meanwhile is simply not reopened), and its search with the same text.
    fn go_back_to(&mut self, place: Place) -> Result<(), StoreError> {
        let env = env!(self);
        self.detail = place
            .deal
            .as_deref()
            .and_then(|id| DealDetail::load(&env, id).ok());
        self.profile = place
            .customer
            .as_deref()
            .and_then(|id| Profile::load(&env, id).ok());
        let keep = match place.tab {
            Tab::Pipeline => place.deal.clone(),
            Tab::Customers => place.customer.clone(),
            Tab::Agenda | Tab::Reports => None,
        };
        self.tab = place.tab;
        if keep.is_some() || self.stale.contains(&place.tab) {
            self.refresh_tab(place.tab, keep)?;
        }
        if let Some(text) = place.search {
            self.modal = Some(Modal::Search(super::modals::search::Search {
                input: text,
                ..Default::default()
            }));
            self.dispatch(Action::SearchChanged);
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

    /// Opens a deal's detail on the Pipeline tab, from anywhere; the board under it
    /// selects the deal (read again unless it is the board's selected card already).
    pub(super) fn open_deal(&mut self, id: &str) -> Result<(), StoreError> {
        let env = env!(self);
        let detail = DealDetail::load(&env, id)?;
        let in_place = self.tab == Tab::Pipeline
            && !self.stale.contains(&Tab::Pipeline)
            && self.pipeline.selected().is_some_and(|r| r.deal.id == id);
        let stale = self.stale.contains(&Tab::Pipeline);
        self.tab = Tab::Pipeline;
        self.detail = Some(detail);
        if stale {
            self.refresh_tab(Tab::Pipeline, Some(id.to_string()))?;
        } else if !in_place {
            // The board is as it was read: only the selection moves to the deal.
            let env = env!(self);
            self.pipeline.select_deal(&env, id)?;
        }
        Ok(())
    }

    /// Opens a customer's profile on the Customers tab, from anywhere; the board under it
    /// selects the customer.
    pub(super) fn open_customer(&mut self, id: &str) -> Result<(), StoreError> {
        let env = env!(self);
        let profile = Profile::load(&env, id)?;
        let in_place = self.tab == Tab::Customers
            && !self.stale.contains(&Tab::Customers)
            && self
                .customers
                .selected()
                .is_some_and(|s| s.customer.id == id);
        self.tab = Tab::Customers;
        self.profile = Some(profile);
        if !in_place {
            self.refresh_tab(Tab::Customers, Some(id.to_string()))?;
        }
        Ok(())
    }

    /// The conflicts waiting for review, in words.
    pub(super) fn pending_conflicts(&self) -> Result<Vec<Shown>, StoreError> {
        let conn = self.store.conn();
        Ok(conflicts::conflicts(conn, false)?
            .iter()
            .map(|c| Shown::of(conn, c, self.zone))
            .collect())
    }
}

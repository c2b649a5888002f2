//! The terminal interface. The Elm shape of DESIGN §5: a key becomes a command through
//! the [`keymap`]; the open modal, else the view in front (a [`components`] struct), makes
//! it an [`action::Action`]; [`app::App::update`] applies it, writing only through
//! `crate::usecase`; everything is then drawn from state. Nothing that draws queries or
//! writes.
//!
//! - `action` — commands, actions and what a component made of a command;
//!   `keymap` — the one table of bindings: views, modals, help and hints.
//! - `app` — routing, modals, message, undo, sync, staleness and navigation between
//!   views; `apply` — the actions that change data; `submit` — saving forms (only the
//!   fields the user changed); `forms` — building them; `tick` — what happens as time
//!   passes (sync, other processes' writes, reminders falling due); `members` — the
//!   team's logins in the settings, asked of and changed on its PostgreSQL server by
//!   `members_worker`, a thread like `sync_worker`, so that no key waits for the server.
//! - `components` — one per view, each owning its state (`board` is the generic kanban);
//!   `modals` — popups (form, confirm, picker, search, conflicts) that answer with
//!   actions; `views` — the frame around them: tab line, status bar, help, and the
//!   Reports drawing; `theme` — colours by role, the built-in themes and `[theme]`.

/// What a component may read, built from the app's fields one by one so that the borrow
/// of the store and settings stays apart from the component being handed it.
macro_rules! env {
    ($app:expr) => {
        $crate::tui::components::Env {
            conn: $app.store.conn(),
            settings: &$app.settings,
            keymap: &$app.keymap,
            zone: $app.zone,
            now: $app.store.now_millis(),
            me: $app.store.member_id(),
            owner: if $app.mine_only {
                Some($app.store.member_id())
            } else {
                None
            },
            size: $app.size,
            changes_but_moves: $app.store.changes_but_moves(),
        }
    };
}

pub mod action;
pub mod app;
mod apply;
pub mod components;
pub mod forms;
pub mod keymap;
mod members;
pub mod members_worker;
pub mod modals;
mod mouse;
pub mod report_worker;
mod setup;
mod submit;
pub mod sync_worker;
pub mod theme;
mod tick;
pub mod views;

use std::time::Duration;

use anyhow::{Result, anyhow};
use crossterm::event::{self, Event, KeyEventKind};

use crate::config::Settings;
use crate::domain::time::Zone;
use crate::store::Store;
use action::Action;
use app::App;

/// How often the loop wakes with no input: to notice other processes' writes (within a
/// second, as promised) and reminders falling due.
const TICK: Duration = Duration::from_millis(500);

/// How often the loop looks for the Reports view's figures while they are being read.
const REPORT_POLL: Duration = Duration::from_millis(8);

/// How often the loop looks for the team server's answer about members.
const MEMBERS_POLL: Duration = Duration::from_millis(40);

/// Runs the TUI until the user quits. The terminal is restored on quit, on error and
/// (through ratatui's hook) on panic.
///
/// The keys and colours are the config's (`[keys]`, `[theme]`), the colours for
/// `terminal`: what the environment says about colour, read once by `main`.
pub fn run(
    store: Store,
    settings: Settings,
    db_path: &std::path::Path,
    terminal: theme::Terminal,
) -> Result<()> {
    // Settings::parse has checked both already; settings made otherwise are checked here.
    let keymap = keymap::Keymap::from_config(&settings.keys).map_err(|e| anyhow!("keys: {e}"))?;
    keymap.validate().map_err(|e| anyhow!("keymap: {e}"))?;
    let theme =
        theme::Theme::from_setting(&settings.theme, terminal).map_err(|e| anyhow!("theme: {e}"))?;
    let mut terminal = init_terminal(settings.mouse);
    let result = (|| -> Result<()> {
        let size = terminal.size()?;
        let link = crate::sync::team_link(&store)?;
        let clock = store.clock().clone();
        let mut app = App::starting(store, settings, Zone::Local, (size.width, size.height))?
            .with_keymap(keymap)
            .with_theme(theme);
        app.attach_report_worker(report_worker::ReportWorker::start(
            db_path.to_path_buf(),
            clock.clone(),
        ));
        if let Some(link) = link {
            if link.hub().is_some() {
                app.attach_members(members_worker::MembersWorker::start(
                    link.clone(),
                    crate::sync::postgres::conninfo::Env::from_process(),
                ));
            }
            app.attach_sync(sync_worker::SyncWorker::start(
                db_path.to_path_buf(),
                link,
                clock,
            ));
        }
        let mut last_tick = std::time::Instant::now();
        while !app.quit {
            let reading = app.exchange_reports();
            // The team's server answering about members: looked for every few ms, and
            // time still passes as usual meanwhile (a server that hangs blocks nothing).
            let asking = app.exchange_members();
            terminal.draw(|frame| views::render(&app, frame))?;
            // The frame is drawn; what it left out (the reminder counts at start, the
            // Agenda below the screen) is read now, unless a key is waiting (the key
            // goes first, and reads it if it needs it).
            if app.has_pending() && !event::poll(Duration::ZERO)? {
                if let Err(e) = app.finish_pending() {
                    app.dispatch(Action::Fail(e.to_string()));
                }
                continue;
            }
            // While figures are being read, look for them every few milliseconds.
            let wait = match (reading, asking) {
                (true, _) => REPORT_POLL,
                (false, true) => MEMBERS_POLL,
                (false, false) => TICK,
            };
            if event::poll(wait)? {
                match event::read()? {
                    Event::Key(key) if key.kind != KeyEventKind::Release => {
                        app.handle_key(&key);
                    }
                    Event::Paste(text) => {
                        app.handle_paste(&text);
                    }
                    Event::Resize(w, h) => app.dispatch(Action::Resize(w, h)),
                    Event::Mouse(mouse) => {
                        app.handle_mouse(&mouse);
                    }
                    // Key releases and focus changes mean nothing here.
                    Event::Key(_) | Event::FocusGained | Event::FocusLost => {}
                }
            } else if !reading && (!asking || last_tick.elapsed() >= TICK) {
                last_tick = std::time::Instant::now();
                app.dispatch(Action::Tick);
            }
        }
        // Sync once more on quit, so the last edits reach the team.
        if let Some(worker) = app.sync.take() {
            app.sync_state = Some(sync_worker::SyncState::Syncing);
            terminal.draw(|frame| views::render(&app, frame))?;
            if let Some(Err(e)) = worker.finish() {
                restore_terminal();
                return Err(anyhow!(crate::t!(
                    "tui-last-sync-failed",
                    error = e.to_string()
                )));
            }
        }
        Ok(())
    })();
    restore_terminal();
    result
}

/// Opens the terminal (raw mode, alternate screen) with bracketed paste on, so that a
/// paste arrives as one `Event::Paste` and never as keys. A panic turns it off again
/// before ratatui's own hook restores the rest.
fn init_terminal(mouse: bool) -> ratatui::DefaultTerminal {
    let terminal = ratatui::init();
    // A terminal without bracketed paste still works; pastes then arrive as keys.
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::EnableBracketedPaste);
    if mouse {
        let _ = crossterm::execute!(std::io::stdout(), crossterm::event::EnableMouseCapture);
    }
    let ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        release_terminal();
        ratatui_hook(info);
    }));
    terminal
}

/// Turns off what `init_terminal` turned on beyond ratatui's own setup.
fn release_terminal() {
    let _ = crossterm::execute!(
        std::io::stdout(),
        crossterm::event::DisableBracketedPaste,
        crossterm::event::DisableMouseCapture
    );
}

fn restore_terminal() {
    release_terminal();
    ratatui::restore();
}

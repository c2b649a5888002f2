//! The terminal interface. The Elm shape of DESIGN §5: a key becomes an [`action::Action`]
//! (through the open modal, else the [`keymap`]), [`app::App::update`] applies it through
//! the store, and [`views`] draw the new state. Views never query or write.
//!
//! - `action` — what the user can ask for; `keymap` — the one table of bindings.
//! - `app` — state and update; `modals` — popups (form, confirm, picker) that answer with
//!   actions; `views` — board, detail, help, status bar; `theme` — colours.

pub mod action;
pub mod agenda;
pub mod app;
pub mod customers;
pub mod keymap;
pub mod modals;
pub mod sync_worker;
pub mod theme;
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

/// Runs the TUI until the user quits. The terminal is restored on quit, on error and
/// (through ratatui's hook) on panic.
pub fn run(store: Store, settings: Settings, db_path: &std::path::Path) -> Result<()> {
    keymap::validate().map_err(|e| anyhow!("keymap: {e}"))?;
    let mut terminal = ratatui::init();
    let result = (|| -> Result<()> {
        let size = terminal.size()?;
        let link = crate::sync::team_link(&store)?;
        let clock = store.clock().clone();
        let mut app = App::new(store, settings, Zone::Local, (size.width, size.height))?;
        if let Some(link) = link {
            app.attach_sync(sync_worker::SyncWorker::start(
                db_path.to_path_buf(),
                link,
                clock,
            ));
        }
        while !app.quit {
            terminal.draw(|frame| views::render(&app, frame))?;
            if event::poll(TICK)? {
                match event::read()? {
                    Event::Key(key) if key.kind != KeyEventKind::Release => app.handle_key(&key),
                    Event::Resize(w, h) => app.dispatch(Action::Resize(w, h)),
                    _ => {}
                }
            } else {
                app.dispatch(Action::Tick);
            }
        }
        // Sync once more on quit, so the last edits reach the team.
        if let Some(worker) = app.sync.take() {
            app.sync_state = Some(sync_worker::SyncState::Syncing);
            terminal.draw(|frame| views::render(&app, frame))?;
            if let Some(Err(e)) = worker.finish() {
                ratatui::restore();
                return Err(anyhow!("the last sync failed: {e}"));
            }
        }
        Ok(())
    })();
    ratatui::restore();
    result
}

//! The views, one component each (gitui's model, STYLE 14). A component owns its state
//! (selection, scroll, the window of records on screen) and has:
//!
//! - `reload(…, &Env)`: reads what it shows from the store (reads only);
//! - `handle(&mut self, Command, &Env) -> Result<Handled, StoreError>`: what a key means
//!   here. Every component matches every [`Command`] (no catch-all arm), so a binding a
//!   component forgets fails to compile or shows up in the keymap test, never as a key
//!   that silently does nothing. A component never writes: a change of data, a modal or a
//!   move to another view is a [`Handled::Act`] that `App` carries out;
//! - `render(&self, &Look, …)`: draws from its state, no queries, no mutation.
//!
//! No component holds a reference to another; `App` owns them all and routes keys to the
//! one in front (`app.rs`). Adding a view is a file here and a routing line there.
//!
//! - `board` — the generic kanban (columns, scrolling, selection, widget) under
//!   `pipeline` and `customers`;
//! - `pipeline`, `detail` — the deals board and a deal's detail;
//! - `customers`, `profile` — the customers board and a customer's profile;
//! - `agenda`, `reports`.

pub mod agenda;
pub mod board;
pub mod customers;
pub mod detail;
pub mod pipeline;
pub mod profile;
pub mod reports;

use rusqlite::Connection;

use crate::config::Settings;
use crate::domain::time::Zone;
use crate::tui::keymap::{Context, Keymap};

pub use super::action::{Action, Command, Handled};

/// What a component may read while it handles a command or reloads: the database (to
/// read), the settings and the moment, whose records are shown, the terminal's size.
pub struct Env<'a> {
    pub conn: &'a Connection,
    pub settings: &'a Settings,
    /// The keys in force, for messages that name one ("u undoes it").
    pub keymap: &'a Keymap,
    pub zone: Zone,
    pub now: i64,
    /// The team member this database acts as (see [`crate::store::Store::member_id`]).
    pub me: &'a str,
    /// `Some(me)` when only my records are shown (`o`), else `None`.
    pub owner: Option<&'a str>,
    pub size: (u16, u16),
    /// The store's [`crate::store::Store::changes_but_moves`]: figures over the
    /// closed deals and the customers are kept while it and the data version stay the
    /// same.
    pub changes_but_moves: u64,
}

impl Env<'_> {
    /// What rendering needs of the environment (no database).
    pub fn look(&self) -> Look<'_> {
        Look {
            settings: self.settings,
            keymap: self.keymap,
            zone: self.zone,
            now: self.now,
            me: self.me,
        }
    }

    /// The key of `command` in `context`, as a message names it.
    pub fn key(&self, context: Context, command: Command) -> String {
        self.keymap.key(context, command)
    }
}

/// What a component may read while it draws: never the database.
#[derive(Clone, Copy)]
pub struct Look<'a> {
    pub settings: &'a Settings,
    /// The keys in force, for headings that name one.
    pub keymap: &'a Keymap,
    pub zone: Zone,
    pub now: i64,
    /// The team member this database acts as: what is theirs goes without saying.
    pub me: &'a str,
}

/// Shorthand for a handler's answer that asks the app to do something.
pub fn act(action: Action) -> Result<Handled, crate::store::StoreError> {
    Ok(Handled::Act(action))
}

/// Shorthand for an error message in the status bar.
pub fn fail(text: impl Into<String>) -> Result<Handled, crate::store::StoreError> {
    act(Action::Fail(text.into()))
}

/// A labelled line of a detail or profile: the label right-aligned in a fixed column,
/// the value made safe for the terminal.
/// A record's custom field values that are set, in the fields' order, as the detail and
/// the profile show them: the name and the value for people.
pub(super) fn custom_values(
    conn: &rusqlite::Connection,
    entity: crate::domain::field::Entity,
    record_id: &str,
) -> Result<Vec<(String, String)>, crate::store::StoreError> {
    let defs = crate::store::fields::list(conn, Some(entity))?;
    Ok(crate::store::fields::values_of(conn, &defs, record_id)?
        .into_iter()
        .filter_map(|(def, value)| {
            let name = crate::text::truncate(&crate::text::clean(&def.name), 13);
            Some((name, value?.display()))
        })
        .collect())
}

pub(super) fn field(label: &str, value: String) -> ratatui::text::Line<'static> {
    use ratatui::text::{Line, Span};
    Line::from(vec![
        Span::styled(
            format!("{}  ", crate::text::pad_left(label, 13)),
            crate::tui::theme::label(),
        ),
        Span::raw(crate::text::clean(&value)),
    ])
}

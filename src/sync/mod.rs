//! Team sync (DESIGN §6): the team file in a synced folder ([`team`]) and the words a
//! conflict is shown in ([`review`]). The hybrid logical clock every field write carries
//! is pure and lives below the store, in [`crate::domain::hlc`]. The SQL halves live in
//! the store: [`crate::store::merge`] (the per-field merge), [`crate::store::conflicts`]
//! (the log of replaced values) and [`crate::store::teamfile`] (checking and writing a
//! team file, the link in `meta`).
//! This module handles files: private copies, conflict copies, temporary files, renames.
//! A team may instead sync through a PostgreSQL database ([`postgres`]): a link whose
//! [`TeamLink::hub`] is a URL syncs there, through the same merge.
//!
//! # For the TUI
//!
//! - [`team_link`]`(&store)` says whether the database is linked to a team file, and where.
//!   `None`: show nothing about sync.
//! - [`sync_now`]`(db_path, &link, clock)` runs one whole sync on a connection of its own,
//!   so call it from a background thread (one sync at a time); a [`Syncer`] does the same
//!   again and again, keeping its connections (to a PostgreSQL hub, too) between syncs. It returns a
//!   [`SyncReport`] (what was merged; `merged.conflicts` new conflicts) or a [`SyncError`]
//!   whose `Display` is one sentence for the status bar. A refused team file leaves the
//!   database unchanged. Whenever the sync changed data, the TUI's own connection sees
//!   `PRAGMA data_version` move ([`crate::store::Store::data_version`]) and reloads.
//! - When to sync: on start, a few seconds after local edits settle, on quit, and when
//!   [`folder_state`]`(&link)` differs from its value after the last sync (a teammate's
//!   sync or a conflict copy arrived); polling it every few seconds is cheap.
//! - Conflicts: [`crate::store::conflicts::pending_conflicts`] for the count in the
//!   status bar, [`crate::store::conflicts::conflicts`] for the list, and
//!   [`crate::usecase::conflicts::resolve`] with [`crate::store::conflicts::Keep::Theirs`]
//!   (dismiss) or [`crate::store::conflicts::Keep::Mine`] (write my value back as a new
//!   edit); its undo puts the conflict back to review.
//! - Last sync time for "synced 12 s ago": [`SyncReport::at`], or
//!   [`crate::store::teamfile::last_sync`] on start.

pub mod postgres;
pub mod review;
pub mod team;

pub use team::{
    FolderState, SyncError, SyncReport, Syncer, TeamLink, TeamStatus, folder_state, sync_now,
    team_link,
};

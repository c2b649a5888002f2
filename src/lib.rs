//! SalesDesk: a keyboard-driven terminal CRM that keeps deals (the pipeline) and
//! customers (the relationships) apart, linked only by a customer id.
//!
//! The layers, each using only those before it: `domain` ← `store` ← (`sync`,
//! `usecase`, `demo`) ← (`cli`/`commands`, `tui`). No arrow points back.
//!
//! - [`domain`] — pure types and rules (money, dates, deals, customers, reminders, the
//!   hybrid logical clock, what a member signs). No SQLite, no terminal; everything else calls into it rather
//!   than re-implementing a rule.
//! - [`store`] — the SQLite database: migrations, one module per table (row mapping and
//!   reads), the single mutation path that stamps every field with a clock and skips
//!   values that do not change, bulk loading, the conflicts log and the SQL of a merge,
//!   which checks a teammate's file and every row in it by our own rules first
//!   ([`store::validate`]), verifies who wrote it ([`store::signing`]) and keeps what
//!   fails out ([`store::quarantine`]).
//!   The only place that knows SQL; it imports nothing above [`domain`].
//! - [`usecase`] — one function per user action (save a deal form, win, churn, resolve a
//!   conflict …): each validates, plans its writes and applies them once — one
//!   transaction, one undo. The CLI and the TUI write only through these.
//! - [`sync`] — team sync through a shared team file: link, merge in, write back (the SQL
//!   halves are [`store::merge`] and [`store::teamfile`]), and the words a conflict is
//!   shown in.
//! - [`demo`] — the demo book, written in one bulk load.
//! - [`interop`] — files from and for other programs (CSV, Excel, vCard, iCalendar): read
//!   into typed records at the edge, every problem named by line and column; the book
//!   written out again.
//! - [`config`] — settings from `config.toml` and where files live. Its `[keys]` and
//!   `[theme]` are checked by [`tui::keymap`] and [`tui::theme`], which alone know the
//!   commands and colour roles, so a bad entry is refused by every command.
//! - [`cli`] and [`commands`] — the command line: clap definitions, one module per noun;
//!   [`cli_help`] puts clap's help in the interface's language.
//! - [`tui`] — the terminal interface: state, keys → actions → update, pure views.
//! - [`text`] — cleaning and cutting text for the screen.
//! - [`i18n`] — the message catalogues (English, Chinese): every word a user reads, by
//!   key, in the language resolved at start. Imports nothing, so every layer may use it.

#![forbid(unsafe_code)]

pub mod cli;
pub mod cli_help;
pub mod commands;
pub mod config;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod interop;
pub mod store;
pub mod sync;
pub mod text;
pub mod tui;
pub mod usecase;

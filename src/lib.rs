//! SalesDesk: a keyboard-driven terminal CRM that keeps deals (the pipeline) and
//! customers (the relationships) apart, linked only by a customer id.
//!
//! - [`domain`] — pure types and rules (money, dates, deals, customers, reminders). No
//!   SQLite, no terminal; everything else calls into it rather than re-implementing a rule.
//! - [`store`] — the SQLite database: migrations, one module per table, and the single
//!   mutation path that stamps every field with a clock. The only place that knows SQL.
//! - [`sync`] — the hybrid logical clock, and team sync through a shared team file: link,
//!   merge in, write back (the SQL halves are [`store::merge`] and [`store::teamfile`]).
//! - [`usecase`] — one function per user action (save a deal form, win, churn, resolve a
//!   conflict …), each one transaction and one undo. The CLI and the TUI write only
//!   through these.
//! - [`interop`] — files from and for other programs (CSV, Excel): read into typed
//!   records at the edge, every problem named by line and column.
//! - [`config`] — settings from `config.toml` and where files live.
//! - [`cli`] and [`commands`] — the command line: clap definitions, one module per noun.
//! - [`tui`] — the terminal interface: state, keys → actions → update, pure views.
//! - [`text`] — cleaning and cutting text for the screen.

#![forbid(unsafe_code)]

pub mod cli;
pub mod commands;
pub mod config;
pub mod domain;
pub mod interop;
pub mod store;
pub mod sync;
pub mod text;
pub mod tui;
pub mod usecase;

//! Pure types and rules: no SQLite, no terminal, no files. Everything here is unit-tested
//! on plain values; the store and the TUI call into it and never re-implement a rule.

pub mod activity;
pub mod book_list;
pub mod customer;
pub mod deal;
pub mod field;
pub mod hlc;
pub mod ids;
pub mod limits;
pub mod metrics;
pub mod money;
pub mod sign;
pub mod stage;
pub mod time;

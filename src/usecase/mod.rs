//! Use cases: one function per user action. Each validates its input, plans every row it
//! changes and hands them to [`Store::apply`](crate::store::Store::apply) once: one
//! transaction, one [`Undo`](crate::store::Undo). The CLI and the TUI call these and
//! nothing below them for writes; neither assembles `Write`s of its own.
//!
//! A patch carries only the fields the user changed (`None` leaves a field alone), so an
//! edit never overwrites a value the user did not touch, such as a teammate's newer one;
//! and `apply` skips a field written with the value it already holds, so even a form
//! that resends an unchanged value does not.
//!
//! The `plan_add` / `plan_edit` functions return the writes of an action without
//! applying them, for an action made of several (a deal with a new customer) and for
//! loaders that write many rows in one [`Store::bulk_load`](crate::store::Store::bulk_load).
//!
//! This layer reads through [`crate::store`] and writes through `Store::apply`; it knows
//! no SQL, and nothing in the store knows it.

pub mod activities;
pub mod conflicts;
pub mod contacts;
pub mod customers;
pub mod deals;
pub mod fields;
pub mod import;
pub mod lists;
pub mod pipelines;
pub mod stages;
pub mod team;

#[cfg(test)]
mod tests;

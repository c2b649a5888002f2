//! Use cases: one function per user action. Each validates its input, plans every row it
//! changes and hands them to [`Store::apply`](crate::store::Store::apply) once: one
//! transaction, one [`Undo`](crate::store::Undo). The CLI and the TUI call these and
//! nothing below them for writes; neither assembles `Write`s of its own.
//!
//! A patch carries only the fields the user changed (`None` leaves a field alone), so an
//! edit never overwrites a value the user did not touch, such as a teammate's newer one.

pub mod activities;
pub mod conflicts;
pub mod contacts;
pub mod customers;
pub mod deals;

#[cfg(test)]
mod tests;

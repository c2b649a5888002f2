//! Demo data: a believable small B2B business, all relative to now, written through the
//! ordinary mutation path (in one [`Store::bulk_load`]) so that it has clocks, history
//! and a search index like hand-entered data. It is not a table, so it lives above the
//! store: `pools` holds what it draws from, `book` makes the rows.
//!
//! `generate(store, None)` makes the hand-sized book: about 40 customers and 80 deals.
//! `generate(store, Some(n))` makes `n` deals, `n / 5` customers and `2n` activities for
//! benchmarks. Both are deterministic for a given "now" (and local time zone, which
//! decides what "later today" means); only the ids differ from run to run.
//!
//! The book is coherent the way a real one is: each customer's status is drawn first and
//! its deals follow from it (a prospect has never won a deal; an active, at-risk or
//! churned customer has; a churned one won long ago and has nothing open), and every
//! date follows from the ones before it (a customer exists before its deals, a deal moves
//! through the stages in order before it closes, nothing is done in the future).
//!
//! Some things a user should meet on the first run are placed on purpose rather than left
//! to chance: every stage has open deals, some are rotting, some have no follow-up, and
//! some reminders are overdue and some due later today.

mod book;
mod pools;
#[cfg(test)]
mod tests;

use crate::domain::time::Zone;
use crate::store::{Result, Store, StoreError, Write, stages};
use book::Book;

/// Rows written, for the rate a caller reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Generated {
    pub customers: usize,
    pub contacts: usize,
    pub tags: usize,
    pub deals: usize,
    /// A deal's stage history: where it was created, and each move, win or loss since.
    pub stage_changes: usize,
    pub activities: usize,
}

impl Generated {
    /// Every row written to the data tables (not counting their sync clocks and the
    /// search index).
    pub fn rows(&self) -> usize {
        self.customers
            + self.contacts
            + self.tags
            + self.deals
            + self.stage_changes
            + self.activities
    }
}

/// Fills an empty database with demo data. Refuses a database that already has data, so
/// a demo never mixes with a real book.
pub fn generate(store: &mut Store, scale: Option<usize>) -> Result<Generated> {
    if scale == Some(0) {
        return Err(StoreError::Invalid(crate::t!("demo-scale-zero")));
    }
    if !store.is_empty()? {
        return Err(StoreError::Invalid(crate::t!("demo-not-empty")));
    }
    let stages = stages::list(store.conn())?;
    if stages.is_empty() {
        return Err(StoreError::Invalid(crate::t!("demo-no-stages")));
    }
    let now = store.now_millis();
    // "Today" is the local day, as reminders and the agenda count it.
    let (_, today_end) = Zone::Local.today_window(now);
    let book = Book {
        now,
        today_end,
        me: store.member_id().to_string(),
        stages,
        scale,
        words: book::Words::of_language(),
    };
    store.bulk_load(|store| book.write(store))
}

/// Writes are collected per table and applied about a thousand customers at a time,
/// parents before children, so that `Store::apply` writes each run of rows of one table
/// with few statements.
const CUSTOMERS_PER_BATCH: usize = 1000;

/// The writes of one batch, per table, applied parents first.
#[derive(Default)]
struct Batch {
    customers: Vec<Write>,
    tags: Vec<Write>,
    contacts: Vec<Write>,
    deals: Vec<Write>,
    changes: Vec<Write>,
    activities: Vec<Write>,
}

impl Batch {
    /// Adds the batch's rows to `out`.
    fn count(&self, out: &mut Generated) {
        out.customers += self.customers.len();
        out.tags += self.tags.len();
        out.contacts += self.contacts.len();
        out.deals += self.deals.len();
        out.stage_changes += self.changes.len();
        out.activities += self.activities.len();
    }

    fn apply(self, store: &mut Store) -> Result<()> {
        let all: Vec<Write> = [
            self.customers,
            self.tags,
            self.contacts,
            self.deals,
            self.changes,
            self.activities,
        ]
        .into_iter()
        .flatten()
        .collect();
        if !all.is_empty() {
            store.apply(&crate::t!("undo-demo-data"), all)?;
        }
        Ok(())
    }
}

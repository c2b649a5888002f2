//! Settling a sync conflict: keep the teammate's value, or restore mine.

use crate::store::conflicts::{self, Resolution};
use crate::store::mutation::Settle;
use crate::store::{Store, StoreError, Table, Undo, Write};

pub use crate::store::conflicts::{Conflict, Keep};

/// Settles a pending conflict in one transaction: keep the teammate's value (it is
/// already in place; only the log changes), or write mine back as a new local edit,
/// which carries a fresh clock and so wins the next merges. Returns the conflict as it
/// now stands, and the undo that puts it back to review and, when mine was restored, the
/// teammate's value back in place (again as a new edit).
pub fn resolve(store: &mut Store, id: i64, keep: Keep) -> Result<(Conflict, Undo), StoreError> {
    let c = conflicts::conflict(store.conn(), id)?;
    match c.resolution {
        None => {}
        Some(Resolution::Seen) => {
            return Err(StoreError::Invalid(format!(
                "conflict {id} needs no decision: the teammate changed the value after seeing yours"
            )));
        }
        Some(done) => {
            return Err(StoreError::Invalid(format!(
                "conflict {id} was already resolved (kept {})",
                done.as_str()
            )));
        }
    }
    let settle = Settle { conflict: id, keep };
    let (label, writes) = match keep {
        Keep::Mine => {
            let table = Table::from_name(&c.table).ok_or_else(|| {
                StoreError::Internal(format!("conflict {id} names an unknown table {}", c.table))
            })?;
            let field = table
                .fields()
                .iter()
                .copied()
                .find(|f| *f == c.field)
                .ok_or_else(|| {
                    StoreError::Internal(format!(
                        "conflict {id} names an unknown field {}",
                        c.field
                    ))
                })?;
            let what = c.label.as_deref().unwrap_or(table.singular());
            (
                format!("restore my {field} of {what}"),
                vec![Write::update(table, c.row_id.clone()).set(field, c.mine.clone())],
            )
        }
        Keep::Theirs => (
            format!(
                "keep the teammate's {} of {}",
                c.field,
                c.label.as_deref().unwrap_or(&c.table)
            ),
            Vec::new(),
        ),
    };
    let undo = store.apply_and_settle(&label, writes, settle)?;
    Ok((conflicts::conflict(store.conn(), id)?, undo))
}

//! Settling a sync conflict: keep the teammate's value, or restore mine.

use crate::store::{Store, StoreError, Undo, merge};

pub use crate::store::merge::{Conflict, Keep};

// TODO(usecase): one transaction; undo reopens.
pub fn resolve(store: &mut Store, id: i64, keep: Keep) -> Result<(Conflict, Undo), StoreError> {
    merge::resolve(store, id, keep)
}

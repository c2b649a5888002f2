//! Activity actions: log, schedule, complete, reschedule (snooze), edit, delete.

use crate::domain::activity::ActivityKind;
use crate::store::{Store, StoreError, Undo, activities};

pub use crate::store::activities::{NewActivity, Subject};

type Result<T> = std::result::Result<T, StoreError>;

/// The fields an activity form changed; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Patch {
    pub kind: Option<ActivityKind>,
    pub subject: Option<String>,
    pub due_at: Option<Option<i64>>,
}

pub fn add(store: &mut Store, new: &NewActivity) -> Result<(String, Undo)> {
    activities::add(store, new)
}

pub fn complete(store: &mut Store, id: &str, outcome: Option<&str>) -> Result<Undo> {
    activities::complete(store, id, outcome)
}

pub fn reschedule(store: &mut Store, id: &str, due_at: i64) -> Result<Undo> {
    activities::reschedule(store, id, due_at)
}

// TODO(usecase): write only the patched fields.
pub fn edit(store: &mut Store, id: &str, patch: &Patch) -> Result<Undo> {
    let a = activities::get(store.conn(), id)?.activity;
    activities::edit(
        store,
        id,
        patch.kind.unwrap_or(a.kind),
        patch.subject.as_deref().unwrap_or(&a.subject),
        patch.due_at.unwrap_or(a.due_at),
    )
}

pub fn delete(store: &mut Store, id: &str) -> Result<Undo> {
    activities::delete(store, id)
}

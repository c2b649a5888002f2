//! Customer actions: add, edit (profile, status, tier, satisfaction, tags), churn, delete.

use crate::domain::activity::ActivityKind;
use crate::domain::customer::CustomerStatus;
use crate::store::activities::{NewActivity, Subject};
use crate::store::{Store, StoreError, Undo, activities, customers};

pub use crate::store::customers::{NewCustomer, Patch};

type Result<T> = std::result::Result<T, StoreError>;

pub fn add(store: &mut Store, new: &NewCustomer) -> Result<(String, Undo)> {
    customers::add(store, new)
}

pub fn edit(store: &mut Store, id: &str, patch: &Patch) -> Result<Undo> {
    customers::edit(store, id, patch)
}

/// Moves a customer to Churned and records why, in one transaction.
pub fn churn(store: &mut Store, id: &str, reason: &str) -> Result<Undo> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(StoreError::Invalid(
            "say why, e.g. 'moved to a competitor'".into(),
        ));
    }
    let c = customers::get(store.conn(), id)?;
    let mut writes = customers::edit_writes(
        store,
        id,
        &Patch {
            status: Some(CustomerStatus::Churned),
            ..Patch::default()
        },
    )?;
    let (_, note) = activities::insert_write(
        store,
        &NewActivity {
            kind: ActivityKind::Note,
            subject: format!("Churned: {reason}"),
            body: None,
            about: Subject::Customer(id.to_string()),
            contact_id: None,
            due_at: None,
            outcome: None,
        },
    )?;
    writes.push(note);
    store.apply(&format!("churn {}", c.name), writes)
}

pub fn delete(store: &mut Store, id: &str) -> Result<Undo> {
    customers::delete(store, id)
}

pub fn restore(store: &mut Store, id: &str) -> Result<Undo> {
    customers::restore(store, id)
}

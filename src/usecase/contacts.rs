//! Contact actions: add, edit the fields a form changed, make primary, remove.

use crate::store::contacts::{self, ContactFields};
use crate::store::{Store, StoreError, Undo};

type Result<T> = std::result::Result<T, StoreError>;

/// The fields a contact form changed; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Patch {
    pub name: Option<String>,
    pub title: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub notes: Option<Option<String>>,
}

pub fn add(store: &mut Store, customer_id: &str, fields: &ContactFields) -> Result<(String, Undo)> {
    contacts::add(store, customer_id, fields)
}

// TODO(usecase): write only the patched fields.
pub fn edit(store: &mut Store, id: &str, patch: &Patch) -> Result<Undo> {
    let c = contacts::get(store.conn(), id)?;
    let fields = ContactFields {
        name: patch.name.clone().unwrap_or(c.name),
        title: patch.title.clone().unwrap_or(c.title),
        phone: patch.phone.clone().unwrap_or(c.phone),
        email: patch.email.clone().unwrap_or(c.email),
        is_primary: c.is_primary,
        notes: patch.notes.clone().unwrap_or(c.notes),
    };
    contacts::edit(store, id, &fields)
}

// TODO(usecase): write only the primary flags.
pub fn make_primary(store: &mut Store, id: &str) -> Result<Undo> {
    let c = contacts::get(store.conn(), id)?;
    let fields = ContactFields {
        name: c.name,
        title: c.title,
        phone: c.phone,
        email: c.email,
        is_primary: true,
        notes: c.notes,
    };
    contacts::edit(store, id, &fields)
}

pub fn delete(store: &mut Store, id: &str) -> Result<Undo> {
    contacts::delete(store, id)
}

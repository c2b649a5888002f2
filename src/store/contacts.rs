//! A customer's contacts: the people we talk to there.

use rusqlite::{Connection, OptionalExtension, Row};

use super::reference::{self, Scope};
use super::{Result, Store, StoreError, Table, Undo, Write};
use crate::domain::customer::{validate_email, validate_phone};
use crate::domain::ids::new_id;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Contact {
    pub id: String,
    pub customer_id: String,
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub is_primary: bool,
    pub notes: Option<String>,
}

const COLUMNS: &str = "id, customer_id, name, title, phone, email, is_primary, notes";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Contact> {
    Ok(Contact {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        name: r.get(2)?,
        title: r.get(3)?,
        phone: r.get(4)?,
        email: r.get(5)?,
        is_primary: r.get(6)?,
        notes: r.get(7)?,
    })
}

/// A customer's live contacts, the primary one first.
pub fn list(conn: &Connection, customer_id: &str) -> Result<Vec<Contact>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM contacts WHERE customer_id = ?1 AND deleted_at IS NULL
         ORDER BY is_primary DESC, name COLLATE NOCASE"
    ))?;
    let rows = stmt.query_map([customer_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, id: &str) -> Result<Contact> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM contacts WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound {
        what: "contact".into(),
        reference: id.to_string(),
    })
}

pub fn resolve(conn: &Connection, reference: &str) -> Result<String> {
    reference::resolve(conn, reference::CONTACT, reference, Scope::Live)
}

/// A contact's editable fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactFields {
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub is_primary: bool,
    pub notes: Option<String>,
}

impl ContactFields {
    /// Checks the name, email and phone; the error names the field.
    pub fn validate(&self) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(StoreError::Invalid("a contact needs a name".into()));
        }
        if let Some(e) = self.email.as_deref().filter(|e| !e.trim().is_empty()) {
            validate_email(e).map_err(StoreError::Invalid)?;
        }
        if let Some(p) = self.phone.as_deref().filter(|p| !p.trim().is_empty()) {
            validate_phone(p).map_err(StoreError::Invalid)?;
        }
        Ok(())
    }

    fn write(&self, w: Write) -> Write {
        w.set("name", self.name.trim().to_string())
            .set_text("title", self.title.as_deref())
            .set_text("phone", self.phone.as_deref())
            .set_text("email", self.email.as_deref())
            .set("is_primary", self.is_primary)
            .set_text("notes", self.notes.as_deref())
    }
}

/// Writes that clear the primary flag on the customer's other contacts.
fn demote_others(conn: &Connection, customer_id: &str, keep: &str) -> Result<Vec<Write>> {
    Ok(list(conn, customer_id)?
        .into_iter()
        .filter(|c| c.is_primary && c.id != keep)
        .map(|c| Write::update(Table::Contacts, c.id).set("is_primary", false))
        .collect())
}

pub fn add(store: &mut Store, customer_id: &str, fields: &ContactFields) -> Result<(String, Undo)> {
    fields.validate()?;
    let customer = super::customers::get(store.conn(), customer_id)?;
    let id = new_id();
    let first = list(store.conn(), customer_id)?.is_empty();
    let mut fields = fields.clone();
    fields.is_primary |= first;
    let mut writes =
        vec![fields.write(
            Write::insert(Table::Contacts, id.clone()).set("customer_id", customer.id.clone()),
        )];
    if fields.is_primary {
        writes.extend(demote_others(store.conn(), &customer.id, &id)?);
    }
    let undo = store.apply(&format!("add contact {}", fields.name.trim()), writes)?;
    Ok((id, undo))
}

pub fn edit(store: &mut Store, id: &str, fields: &ContactFields) -> Result<Undo> {
    fields.validate()?;
    let contact = get(store.conn(), id)?;
    let mut writes = vec![fields.write(Write::update(Table::Contacts, id))];
    if fields.is_primary {
        writes.extend(demote_others(store.conn(), &contact.customer_id, id)?);
    }
    store.apply(&format!("edit contact {}", fields.name.trim()), writes)
}

pub fn delete(store: &mut Store, id: &str) -> Result<Undo> {
    let contact = get(store.conn(), id)?;
    let now = store.now_millis();
    store.apply(
        &format!("remove contact {}", contact.name),
        vec![Write::update(Table::Contacts, id).set("deleted_at", now)],
    )
}

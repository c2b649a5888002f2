//! A customer's contacts: the people we talk to there. Row mapping, reads, and a
//! contact's fields with their checks; the writes are use cases
//! ([`crate::usecase::contacts`]).

use rusqlite::{Connection, OptionalExtension, Row};

use super::reference::{self, Scope};
use super::{Result, StoreError};
use crate::domain::customer::{validate_email, validate_phone};

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

/// A customer's live contacts whose custom fields hold these values, as [`list`] orders them.
pub fn list_matching(
    conn: &Connection,
    customer_id: &str,
    matches: &[super::fields::FieldMatch],
) -> Result<Vec<Contact>> {
    let mut params = vec![rusqlite::types::Value::Text(customer_id.to_string())];
    let fields = super::fields::match_sql("id", matches, &mut params);
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM contacts WHERE customer_id = ?1 AND deleted_at IS NULL{fields}
         ORDER BY is_primary DESC, name COLLATE NOCASE"
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(params), from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every live contact, customer by customer (in customer id order), each customer's as
/// [`list`] orders them: commands that show many customers read the table once instead of
/// asking per customer.
pub fn list_all(conn: &Connection) -> Result<Vec<Contact>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM contacts WHERE deleted_at IS NULL
         ORDER BY customer_id, is_primary DESC, name COLLATE NOCASE"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A live contact.
pub fn get(conn: &Connection, id: &str) -> Result<Contact> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM contacts WHERE id = ?1 AND deleted_at IS NULL"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound {
        what: "contact".into(),
        reference: id.to_string(),
    })
}

/// The customer a contact works for, deleted or not; `None` for no such contact.
pub fn customer_of(conn: &Connection, id: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT customer_id FROM contacts WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?)
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
            return Err(StoreError::Invalid(crate::t!("contact-needs-name")));
        }
        if let Some(e) = self.email.as_deref().filter(|e| !e.trim().is_empty()) {
            validate_email(e).map_err(StoreError::Invalid)?;
        }
        if let Some(p) = self.phone.as_deref().filter(|p| !p.trim().is_empty()) {
            validate_phone(p).map_err(StoreError::Invalid)?;
        }
        Ok(())
    }
}

//! What an import matches its rows against: the names of customers, contacts and members
//! read once (customers by name, contacts by email), deals looked up one by one through
//! indexes. Keys are lower-cased (Unicode), as names are matched without
//! case.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

use super::Result;

/// What an import matches its rows against, held in memory because nearly every row
/// asks: customers, contacts and team members by name. Deals are not held (a book has
/// many more of them than customers): an import asks for each by id ([`deal_row`],
/// [`deal_state`], [`row_state`]) or by customer and title ([`deal_by_title`]), through
/// indexes.
#[derive(Debug, Default, Clone)]
pub struct Book {
    /// Live customers: lower-cased name → id.
    pub customers: HashMap<String, String>,
    /// Live customers' statuses: id → status as stored (`prospect` …).
    pub customer_status: HashMap<String, String>,
    /// Live contacts: lower-cased email → id.
    pub contact_emails: HashMap<String, String>,
    /// Live contacts: (customer id, lower-cased name) → id.
    pub contacts: HashMap<(String, String), String>,
    /// Live contacts' keys in [`Book::contacts`]: contact id → (customer id, lower-cased
    /// name).
    pub contact_keys: HashMap<String, (String, String)>,
    /// Live customers' primary contacts: customer id → contact id.
    pub primary: HashMap<String, String>,
    /// Members: lower-cased name and lower-cased email → id.
    pub members: HashMap<String, String>,
}

/// Reads the book's names and ids.
pub fn book(conn: &Connection) -> Result<Book> {
    let mut b = Book::default();
    let mut stmt =
        conn.prepare("SELECT id, name, status FROM customers WHERE deleted_at IS NULL")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let name: String = r.get(1)?;
        b.customers.insert(name.to_lowercase(), id.clone());
        b.customer_status.insert(id, r.get(2)?);
    }
    let mut stmt = conn.prepare(
        "SELECT id, customer_id, name, email, is_primary FROM contacts WHERE deleted_at IS NULL",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let customer: String = r.get(1)?;
        let name: String = r.get(2)?;
        if let Some(email) = r.get::<_, Option<String>>(3)? {
            b.contact_emails
                .insert(email.trim().to_lowercase(), id.clone());
        }
        if r.get::<_, bool>(4)? {
            b.primary.insert(customer.clone(), id.clone());
        }
        let key = (customer, name.to_lowercase());
        b.contact_keys.insert(id.clone(), key.clone());
        b.contacts.insert(key, id);
    }
    let mut stmt = conn.prepare("SELECT id, name, email FROM members WHERE deleted_at IS NULL")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let name: String = r.get(1)?;
        if let Some(email) = r.get::<_, Option<String>>(2)? {
            b.members.insert(email.trim().to_lowercase(), id.clone());
        }
        b.members.insert(name.trim().to_lowercase(), id);
    }
    Ok(b)
}

/// Live deals by lower-cased title alone, for activities that name only a deal; `None`
/// when two deals share the title.
pub fn deal_titles(conn: &Connection) -> Result<HashMap<String, Option<String>>> {
    let mut titles = HashMap::new();
    let mut stmt = conn.prepare("SELECT id, title FROM deals WHERE deleted_at IS NULL")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let title: String = r.get(1)?;
        titles
            .entry(title.to_lowercase())
            .and_modify(|slot: &mut Option<String>| *slot = None)
            .or_insert_with(|| Some(id));
    }
    Ok(titles)
}

/// A row found by id: where it is in its table (rows inserted later have a higher
/// `rowid`, so an import tells the rows it added from those of the book) and whether it
/// is deleted (an imported row's id may name a row deleted since the last import).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowState {
    pub rowid: i64,
    pub deleted: bool,
}

/// The row of `table` with this id, if any.
pub fn row_state(conn: &Connection, table: super::Table, id: &str) -> Result<Option<RowState>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT rowid, deleted_at IS NOT NULL FROM {} WHERE id = ?1",
        table.name()
    ))?;
    Ok(stmt
        .query_row([id], |r| {
            Ok(RowState {
                rowid: r.get(0)?,
                deleted: r.get(1)?,
            })
        })
        .optional()?)
}

/// The highest `rowid` of `table` (0 when empty): rows inserted after this call have a
/// higher one.
pub fn last_rowid(conn: &Connection, table: super::Table) -> Result<i64> {
    Ok(conn.query_row(
        &format!("SELECT coalesce(max(rowid), 0) FROM {}", table.name()),
        [],
        |r| r.get(0),
    )?)
}

/// A live deal's stage id, status (as stored) and customer id.
pub type DealState = (String, String, String);

/// A live deal's stage, status (as stored) and customer.
pub fn deal_state(conn: &Connection, id: &str) -> Result<Option<DealState>> {
    let mut stmt = conn.prepare_cached(
        "SELECT stage_id, status, customer_id FROM deals WHERE id = ?1 AND deleted_at IS NULL",
    )?;
    Ok(stmt
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

/// A deal found by id: where it is and whether it is deleted ([`RowState`]), and, when it
/// is live, its stage, status and customer (as [`deal_state`] gives them). One probe
/// where an import of a deal would otherwise make two.
pub fn deal_row(conn: &Connection, id: &str) -> Result<Option<(RowState, Option<DealState>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT rowid, deleted_at IS NOT NULL, stage_id, status, customer_id
           FROM deals WHERE id = ?1",
    )?;
    Ok(stmt
        .query_row([id], |r| {
            let row = RowState {
                rowid: r.get(0)?,
                deleted: r.get(1)?,
            };
            let state = if row.deleted {
                None
            } else {
                Some((r.get(2)?, r.get(3)?, r.get(4)?))
            };
            Ok((row, state))
        })
        .optional()?)
}

/// The live deal of `customer_id` titled `title` (lower-cased; titles are compared
/// without case, Unicode-aware, which SQLite's own `lower` is not), the latest added when
/// there are several. Uses the `deals_customer` index: a customer has few deals.
pub fn deal_by_title(conn: &Connection, customer_id: &str, title: &str) -> Result<Option<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, title FROM deals WHERE customer_id = ?1 AND deleted_at IS NULL
          ORDER BY rowid DESC",
    )?;
    let mut rows = stmt.query([customer_id])?;
    while let Some(r) = rows.next()? {
        let found: String = r.get(1)?;
        if found.to_lowercase() == title {
            return Ok(Some(r.get(0)?));
        }
    }
    Ok(None)
}

//! Names and ids of the whole book, read once so that an import can match thousands of
//! rows against it (customers by name, deals by customer and title, contacts by email)
//! without a query per row. Keys are lower-cased (Unicode), as names are matched without
//! case.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

use super::Result;

/// What an import matches its rows against.
#[derive(Debug, Default, Clone)]
pub struct Book {
    /// Live customers: lower-cased name → id.
    pub customers: HashMap<String, String>,
    /// Live customers' statuses: id → status as stored (`prospect` …).
    pub customer_status: HashMap<String, String>,
    /// Live deals: (customer id, lower-cased title) → id.
    pub deals: HashMap<(String, String), String>,
    /// Live deals' customers: id → customer id.
    pub deal_customer: HashMap<String, String>,
    /// Live deals' stage and status (as stored): id → (stage id, status).
    pub deal_state: HashMap<String, (String, String)>,
    /// Live deals by lower-cased title alone, for activities that name only a deal; `None`
    /// when two deals share the title.
    pub deal_titles: HashMap<String, Option<String>>,
    /// Live contacts: lower-cased email → id.
    pub contact_emails: HashMap<String, String>,
    /// Live contacts: (customer id, lower-cased name) → id.
    pub contacts: HashMap<(String, String), String>,
    /// Customers that have a primary contact.
    pub with_primary: std::collections::HashSet<String>,
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
        "SELECT id, customer_id, title, stage_id, status FROM deals WHERE deleted_at IS NULL",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let title: String = r.get(2)?;
        let title = title.to_lowercase();
        b.deal_titles
            .entry(title.clone())
            .and_modify(|slot| *slot = None)
            .or_insert_with(|| Some(id.clone()));
        b.deal_state.insert(id.clone(), (r.get(3)?, r.get(4)?));
        b.deal_customer.insert(id.clone(), r.get(1)?);
        b.deals.insert((r.get(1)?, title), id);
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
            b.with_primary.insert(customer.clone());
        }
        b.contacts.insert((customer, name.to_lowercase()), id);
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

/// Whether a row of `table` has this id, and if so whether it is deleted: an imported
/// row's id may name a row deleted since the last import.
pub fn row_state(conn: &Connection, table: super::Table, id: &str) -> Result<Option<bool>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT deleted_at IS NOT NULL FROM {} WHERE id = ?1",
        table.name()
    ))?;
    Ok(stmt.query_row([id], |r| r.get(0)).optional()?)
}

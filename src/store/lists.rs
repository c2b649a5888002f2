//! The book's lists (lost reasons, sources), in the order they were added.

use rusqlite::{Connection, OptionalExtension};

use super::Result;
use crate::domain::book_list::BookList;

/// The live entries of a list, in order.
pub fn names(conn: &Connection, list: BookList) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT name FROM list_items WHERE list = ?1 AND deleted_at IS NULL
          ORDER BY position, name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([list.as_str()], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An entry by id, live or not: whether it is deleted.
pub fn state(conn: &Connection, id: &str) -> Result<Option<bool>> {
    Ok(conn
        .query_row(
            "SELECT deleted_at IS NOT NULL FROM list_items WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?)
}

/// The position after the last entry of a list.
pub fn next_position(conn: &Connection, list: BookList) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(max(position), -1) + 1 FROM list_items WHERE list = ?1",
        [list.as_str()],
        |r| r.get(0),
    )?)
}

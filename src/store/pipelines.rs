//! Pipelines, in the order the board offers them.

use rusqlite::{Connection, OptionalExtension, Row};

use super::{Result, StoreError};
use crate::domain::stage::Pipeline;

const COLUMNS: &str = "id, name, position";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Pipeline> {
    Ok(Pipeline {
        id: r.get(0)?,
        name: r.get(1)?,
        position: r.get(2)?,
    })
}

/// The live pipelines in order.
pub fn list(conn: &Connection) -> Result<Vec<Pipeline>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM pipelines WHERE deleted_at IS NULL ORDER BY position, name, id"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A live pipeline by id.
pub fn get(conn: &Connection, id: &str) -> Result<Pipeline> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM pipelines WHERE id = ?1 AND deleted_at IS NULL"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound {
        what: "pipeline".into(),
        reference: id.to_string(),
    })
}

/// A live pipeline named by its name (any case) or id; an unknown one names the
/// pipelines there are.
pub fn resolve(conn: &Connection, reference: &str) -> Result<Pipeline> {
    let wanted = reference.trim();
    let all = list(conn)?;
    let found = all
        .iter()
        .find(|p| p.id == wanted)
        .or_else(|| {
            all.iter()
                .find(|p| p.name.to_lowercase() == wanted.to_lowercase())
        })
        .cloned();
    found.ok_or_else(|| StoreError::NotFound {
        what: "pipeline".into(),
        reference: wanted.to_string(),
    })
}

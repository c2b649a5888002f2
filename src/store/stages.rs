//! The pipeline's stages, in board order.

use rusqlite::{Connection, Row};

use super::{Result, Store, Table, Write};
use crate::domain::stage::{DEFAULT_STAGES, Stage};

const COLUMNS: &str = "id, name, position, probability, rot_days";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Stage> {
    Ok(Stage {
        id: r.get(0)?,
        name: r.get(1)?,
        position: r.get(2)?,
        probability: r.get(3)?,
        rot_days: r.get(4)?,
    })
}

/// The live stages in board order.
pub fn list(conn: &Connection) -> Result<Vec<Stage>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM stages WHERE deleted_at IS NULL ORDER BY position, name"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Creates the default stages in a database that has none.
pub(super) fn ensure_defaults(store: &mut Store) -> Result<()> {
    let any: bool = store
        .conn
        .query_row("SELECT EXISTS (SELECT 1 FROM stages)", [], |r| r.get(0))?;
    if any {
        return Ok(());
    }
    let writes = DEFAULT_STAGES
        .iter()
        .enumerate()
        .map(|(i, (id, name, probability, rot_days))| {
            Write::insert(Table::Stages, *id)
                .set("name", name.to_string())
                .set("position", i as i64)
                .set("probability", *probability)
                .set("rot_days", *rot_days)
        })
        .collect();
    store.apply("add default stages", writes)?;
    Ok(())
}

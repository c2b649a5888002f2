//! The people in a team. Each database acts as one member, whose id is kept in `meta`.

use rusqlite::{Connection, OptionalExtension};

use super::{Result, Store, Table, Write, ensure_meta};
use crate::domain::ids::new_id;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
}

/// Makes sure this database has its own member row; returns its id.
pub(super) fn ensure_self(store: &mut Store) -> Result<String> {
    let id = ensure_meta(&store.conn, "member_id", new_id)?;
    if get(&store.conn, &id)?.is_none() {
        let name = std::env::var("USER")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "Me".to_string());
        store.apply(
            "add member",
            vec![Write::insert(Table::Members, id.clone()).set("name", name)],
        )?;
    }
    Ok(id)
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<Member>> {
    Ok(conn
        .query_row(
            "SELECT id, name, email FROM members WHERE id = ?1",
            [id],
            |r| {
                Ok(Member {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    email: r.get(2)?,
                })
            },
        )
        .optional()?)
}

pub fn list(conn: &Connection) -> Result<Vec<Member>> {
    let mut stmt =
        conn.prepare("SELECT id, name, email FROM members WHERE deleted_at IS NULL ORDER BY name")?;
    let rows = stmt.query_map([], |r| {
        Ok(Member {
            id: r.get(0)?,
            name: r.get(1)?,
            email: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Brings this database's member name and email in line with the configuration.
pub fn set_identity(store: &mut Store, name: &str, email: Option<&str>) -> Result<()> {
    let id = store.member_id().to_string();
    let current = get(&store.conn, &id)?;
    let unchanged = current
        .as_ref()
        .is_some_and(|m| m.name == name && m.email.as_deref() == email);
    if !unchanged && !name.trim().is_empty() {
        store.apply(
            "update member",
            vec![
                Write::update(Table::Members, id)
                    .set("name", name.trim().to_string())
                    .set_text("email", email),
            ],
        )?;
    }
    Ok(())
}

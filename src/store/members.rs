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

/// Notes that `site` (this database's own) writes as `member`, for the next sync to
/// bring to the team: a copy of a linked database (restored, or copied to another
/// machine) takes a site id of its own, and until the team knows that site is this
/// member's, neither the hub nor a teammate's screen takes the copy's writes as theirs.
pub fn note_own_site(conn: &Connection, site: &str, member: &str) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO sites (site_id, member_id) VALUES (?1, ?2)",
        [site, member],
    )?;
    Ok(())
}

/// The live team member `reference` names: a full id, a unique short id, or a unique
/// name, case ignored (an ambiguous name lists the candidates).
pub fn resolve(conn: &Connection, reference: &str) -> Result<String> {
    super::reference::resolve(
        conn,
        super::reference::MEMBER,
        reference,
        super::reference::Scope::Live,
    )
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
///
/// The values are compared as they would be stored (trimmed, an empty email as none), so
/// a configuration that is already in force writes nothing: every CLI call runs this, and
/// a write here would stamp a new clock and make every sync rewrite the team file.
pub fn set_identity(store: &mut Store, name: &str, email: Option<&str>) -> Result<()> {
    let name = name.trim();
    let email = email.map(str::trim).filter(|e| !e.is_empty());
    if name.is_empty() {
        return Ok(());
    }
    let id = store.member_id().to_string();
    let unchanged =
        get(&store.conn, &id)?.is_some_and(|m| m.name == name && m.email.as_deref() == email);
    if !unchanged {
        store.apply(
            "update member",
            vec![
                Write::update(Table::Members, id)
                    .set("name", name.to_string())
                    .set("email", email.map(str::to_string)),
            ],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::memory_store;

    fn clocks(store: &Store) -> i64 {
        store
            .conn()
            .query_row("SELECT count(*) FROM field_clock", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn an_identity_already_in_force_writes_nothing() {
        let mut store = memory_store();
        set_identity(&mut store, "  Li Wei ", Some("")).unwrap();
        let me = get(store.conn(), store.member_id()).unwrap().unwrap();
        assert_eq!((me.name.as_str(), me.email), ("Li Wei", None));
        let hlc = store.meta("hlc").unwrap();
        let before = clocks(&store);
        for _ in 0..3 {
            set_identity(&mut store, "  Li Wei ", Some("")).unwrap();
            set_identity(&mut store, "Li Wei", None).unwrap();
        }
        assert_eq!(clocks(&store), before);
        assert_eq!(store.meta("hlc").unwrap(), hlc, "no new clock was taken");

        set_identity(&mut store, "Li Wei", Some(" li@example.com ")).unwrap();
        let me = get(store.conn(), store.member_id()).unwrap().unwrap();
        assert_eq!(me.email.as_deref(), Some("li@example.com"));
    }
}

//! The SQL side of a team file (DESIGN §6): checking a private copy of one before it is
//! merged, writing this database out as one, and the link to it that this database keeps
//! in `meta`. Handling the files themselves (private copies, temporary files, renames,
//! conflict copies) is [`crate::sync::team`]'s job.
//!
//! A team file is a SalesDesk database like any other, with one `meta` key, `team_id`.
//! It carries no site-specific meta (`site_id`, `member_id`, `hlc`): a team file copied
//! and opened as someone's database then gets a site id of its own instead of sharing one,
//! which would make two sites' clocks collide.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::{Result, SCHEMA_VERSION, StoreError, migrate};
use crate::domain::hlc::SITE_WIDTH;

/// The meta key naming the team, in a team file and in a linked database.
const TEAM_ID: &str = "team_id";
/// The meta key, in a linked database, with the team file's path.
const TEAM_FILE: &str = "team_file";
/// The meta key, in a linked database, with when the last sync completed (unix ms).
const TEAM_SYNCED_AT: &str = "team_synced_at";
/// The meta key, in a linked database, with what the team file looked like when it last
/// held the same data as this database (this database wrote it, or found nothing to add
/// to it), and this database's clock then: "<fingerprint> <hlc>".
const TEAM_PUSHED: &str = "team_pushed";

/// Why a file cannot be merged as the team file. The text completes "… the file: it …".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("it is damaged or only partly copied ({0})")]
    Damaged(String),
    #[error(
        "it was written by a newer SalesDesk (schema version {found}; this one knows up to {supported})"
    )]
    Newer { found: i64, supported: i64 },
    #[error("it is not a SalesDesk team file")]
    NotATeamFile,
    #[error("it belongs to another team ({found})")]
    OtherTeam { found: String },
}

fn damaged(why: impl std::fmt::Display) -> Refusal {
    Refusal::Damaged(why.to_string())
}

/// Checks a private copy of a team file and brings its schema up to this build's, so that
/// it can be merged: a whole SQLite file that passes `integrity_check`, not from a newer
/// SalesDesk, with a team id (equal to `expected`, when given), well-formed clocks and
/// no dangling references. Returns its team id. The copy is opened read-write (to
/// migrate it), so never pass the shared file itself.
pub fn check(path: &Path, expected: Option<&str>) -> std::result::Result<String, Refusal> {
    check_header(path)?;
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(damaged)?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(damaged)?;
    if integrity != "ok" {
        return Err(damaged(integrity));
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(damaged)?;
    if version > SCHEMA_VERSION {
        return Err(Refusal::Newer {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    // Every team file is written from a migrated database: one without a schema version
    // is another program's file, and migrating it would fail on its tables.
    if version < 1 {
        return Err(Refusal::NotATeamFile);
    }
    let team_id: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [TEAM_ID], |r| {
            r.get(0)
        })
        .optional()
        .map_err(|_| Refusal::NotATeamFile)?;
    let team_id = team_id.ok_or(Refusal::NotATeamFile)?;
    if expected.is_some_and(|e| e != team_id) {
        return Err(Refusal::OtherTeam { found: team_id });
    }
    conn.pragma_update(None, "journal_mode", "DELETE")
        .map_err(damaged)?;
    migrate(&mut conn).map_err(damaged)?;
    let bad_clocks: i64 = conn
        .query_row(
            "SELECT count(*) FROM field_clock WHERE hlc NOT GLOB ?1",
            [hlc_pattern()],
            |r| r.get(0),
        )
        .map_err(damaged)?;
    if bad_clocks > 0 {
        return Err(damaged(format!("{bad_clocks} field clocks are malformed")));
    }
    let dangling: Option<String> = conn
        .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
        .optional()
        .map_err(damaged)?;
    if let Some(table) = dangling {
        return Err(damaged(format!(
            "a row of {table} refers to a record that is missing"
        )));
    }
    Ok(team_id)
}

/// A GLOB that matches exactly the clocks [`crate::domain::hlc::Hlc`] writes.
fn hlc_pattern() -> String {
    format!(
        "{}-{}-{}",
        "[0-9]".repeat(16),
        "[0-9]".repeat(5),
        "[0-9a-f]".repeat(SITE_WIDTH)
    )
}

/// Refuses a file that is not a whole SQLite database: empty, too short, not SQLite at
/// all, or shorter than its own header says (a half-downloaded or truncated copy).
fn check_header(path: &Path) -> std::result::Result<(), Refusal> {
    match super::file::check_header(path) {
        Ok(true) => Ok(()),
        Ok(false) => Err(damaged("the file is empty")),
        Err(why) => Err(damaged(why)),
    }
}

/// Writes this database to `dest` (which must not exist) as a team file of `team_id`:
/// a compact copy without site-specific meta or this person's conflicts log, in rollback
/// journal mode so that it is one self-contained file.
pub fn export(conn: &Connection, dest: &Path, team_id: &str) -> Result<()> {
    let dest_text = dest.to_str().ok_or_else(|| {
        StoreError::Invalid(format!(
            "the path {} is not valid UTF-8; use a plainer folder name",
            dest.display()
        ))
    })?;
    conn.execute("VACUUM INTO ?1", [dest_text])?;
    let mut out = Connection::open(dest)?;
    out.pragma_update(None, "journal_mode", "DELETE")?;
    let tx = out.transaction()?;
    tx.execute("DELETE FROM meta WHERE key <> ?1", [TEAM_ID])?;
    tx.execute("DELETE FROM conflicts", [])?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [TEAM_ID, team_id],
    )?;
    tx.commit()?;
    out.close().map_err(|(_, e)| StoreError::from(e))?;
    Ok(())
}

/// The team file this database is linked to: its path (as stored) and team id.
pub fn read_link(conn: &Connection) -> Result<Option<(String, String)>> {
    let get = |key: &str| -> Result<Option<String>> {
        Ok(conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    };
    Ok(match (get(TEAM_FILE)?, get(TEAM_ID)?) {
        (Some(file), Some(team)) => Some((file, team)),
        _ => None,
    })
}

/// Links this database to a team file, and records which member this site writes as.
pub fn write_link(
    conn: &Connection,
    file: &str,
    team_id: &str,
    site_id: &str,
    member_id: &str,
) -> Result<()> {
    let tx = conn.unchecked_transaction()?;
    for (key, value) in [(TEAM_FILE, file), (TEAM_ID, team_id)] {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
    }
    tx.execute(
        "DELETE FROM meta WHERE key IN (?1, ?2)",
        [TEAM_SYNCED_AT, TEAM_PUSHED],
    )?;
    tx.execute(
        "INSERT OR IGNORE INTO sites (site_id, member_id) VALUES (?1, ?2)",
        [site_id, member_id],
    )?;
    tx.commit()?;
    Ok(())
}

/// Forgets the team file. The data merged from it stays.
pub fn remove_link(conn: &Connection) -> Result<()> {
    conn.execute(
        "DELETE FROM meta WHERE key IN (?1, ?2, ?3, ?4)",
        [TEAM_FILE, TEAM_ID, TEAM_SYNCED_AT, TEAM_PUSHED],
    )?;
    Ok(())
}

/// Notes that a sync completed at `at` (unix ms).
pub fn record_sync(conn: &Connection, at: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [TEAM_SYNCED_AT, &at.to_string()],
    )?;
    Ok(())
}

/// Notes that the team file, which now has `fingerprint`, holds the same data as this
/// database at its clock `hlc`.
pub fn record_push(conn: &Connection, fingerprint: &str, hlc: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [TEAM_PUSHED, &format!("{fingerprint} {hlc}")],
    )?;
    Ok(())
}

/// What [`record_push`] noted last: the team file's fingerprint and the clock.
pub fn last_push(conn: &Connection) -> Result<Option<(String, String)>> {
    let text: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [TEAM_PUSHED],
            |r| r.get(0),
        )
        .optional()?;
    Ok(text.and_then(|t| {
        let (fingerprint, hlc) = t.split_once(' ')?;
        Some((fingerprint.to_string(), hlc.to_string()))
    }))
}

/// When the last sync completed (unix ms).
pub fn last_sync(conn: &Connection) -> Result<Option<i64>> {
    let text: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [TEAM_SYNCED_AT],
            |r| r.get(0),
        )
        .optional()?;
    Ok(text.and_then(|t| t.parse().ok()))
}

/// Merges the database at `from` into the one at `into` (both private copies of team
/// files, already [`check`]ed): see [`super::merge::combine`].
pub fn combine_files(into: &Path, from: &Path) -> Result<super::merge::MergeReport> {
    let conn = Connection::open(into)?;
    let report = super::merge::combine(&conn, from)?;
    conn.close().map_err(|(_, e)| StoreError::from(e))?;
    Ok(report)
}

/// The sites this database has heard of, with the member each writes as.
pub fn sites(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT site_id, member_id FROM sites ORDER BY site_id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::store::test_support::fixed_clock;

    #[test]
    fn an_exported_team_file_passes_its_own_check_and_has_no_site_meta() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("a.db"), fixed_clock()).unwrap();
        let team = dir.path().join("t.salesdesk");
        export(store.conn(), &team, "team-1").unwrap();
        assert_eq!(check(&team, Some("team-1")).unwrap(), "team-1");
        assert_eq!(
            check(&team, Some("team-2")),
            Err(Refusal::OtherTeam {
                found: "team-1".into()
            })
        );
        let conn = Connection::open(&team).unwrap();
        let keys: Vec<String> = conn
            .prepare("SELECT key FROM meta")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(keys, ["team_id"]);
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete");
    }

    #[test]
    fn a_database_from_before_team_sync_is_upgraded_and_records_what_edits_replace() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(include_str!("migrations/001_init.sql"))
                .unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
        }
        let mut store = Store::open(&path, fixed_clock()).unwrap();
        let version: i64 = store
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        let id = crate::store::test_support::add_customer(&mut store, "ACME");
        let created: String = store
            .conn()
            .query_row(
                "SELECT hlc FROM field_clock WHERE row_id = ?1 AND field = '*'",
                [&id],
                |r| r.get(0),
            )
            .unwrap();
        crate::store::test_support::set(
            &mut store,
            crate::store::Table::Customers,
            &id,
            "name",
            "ACME Corp".to_string(),
        );
        // The rename replaced the name written at creation.
        let (hlc, base): (String, String) = store
            .conn()
            .query_row(
                "SELECT hlc, base FROM field_base WHERE row_id = ?1 AND field = 'name'",
                [&id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(base, created);
        assert!(hlc > created);
    }

    #[test]
    fn truncated_foreign_and_plain_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("a.db"), fixed_clock()).unwrap();
        let team = dir.path().join("t.salesdesk");
        export(store.conn(), &team, "team-1").unwrap();
        let bytes = std::fs::read(&team).unwrap();
        let cut = dir.path().join("cut.salesdesk");
        std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
        assert!(matches!(check(&cut, None), Err(Refusal::Damaged(_))));
        let text = dir.path().join("text.salesdesk");
        std::fs::write(&text, "hello").unwrap();
        assert!(matches!(check(&text, None), Err(Refusal::Damaged(_))));
        // A SalesDesk database that is not a team file.
        let plain = dir.path().join("plain.db");
        store.backup_to(&plain).unwrap();
        assert_eq!(check(&plain, None), Err(Refusal::NotATeamFile));
        let newer = dir.path().join("newer.salesdesk");
        std::fs::write(&newer, &bytes).unwrap();
        Connection::open(&newer)
            .unwrap()
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        assert!(matches!(check(&newer, None), Err(Refusal::Newer { .. })));
    }
}

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

use super::{MIGRATIONS, Result, SCHEMA_VERSION, StoreError, migrate};
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
    #[error("{}", crate::t!("teamfile-refusal-damaged", why = .0.as_str()))]
    Damaged(String),
    #[error("{}", crate::t!("teamfile-refusal-newer", found = *.found, supported = *.supported))]
    Newer { found: i64, supported: i64 },
    #[error("{}", crate::t!("teamfile-refusal-not-a-team-file"))]
    NotATeamFile,
    #[error("{}", crate::t!("teamfile-refusal-unversioned"))]
    Unversioned,
    #[error("{}", crate::t!("teamfile-refusal-schema", why = .0.as_str()))]
    Schema(String),
    #[error("{}", crate::t!("teamfile-refusal-too-large", why = .0.as_str()))]
    TooLarge(String),
    #[error("{}", crate::t!("teamfile-refusal-other-team", found = .found.as_str()))]
    OtherTeam { found: String },
}

fn damaged(why: impl std::fmt::Display) -> Refusal {
    Refusal::Damaged(why.to_string())
}

/// The largest team file merged: ten times a 100k-deal book (DESIGN §7), which is about
/// 400 MB with its search index.
pub const MAX_TEAM_FILE_BYTES: u64 = 4 << 30;

/// The most rows a team file's table may hold: fifty times the 100k-deal book of
/// DESIGN §7 (20k customers, 200k activities), and room for any team's members, sites
/// and stages. A file beyond them is junk, refused before it is read.
const MAX_ROWS: [(&str, i64); 16] = [
    ("members", 10_000),
    ("sites", 10_000),
    ("pipelines", 1_000),
    ("stages", 1_000),
    ("customers", 1_000_000),
    ("contacts", 5_000_000),
    ("customer_tags", 5_000_000),
    ("deals", 5_000_000),
    ("stage_changes", 25_000_000),
    ("activities", 10_000_000),
    ("list_items", 100_000),
    ("field_clock", 100_000_000),
    ("field_base", 100_000_000),
    ("member_keys", 10_000),
    ("site_claims", 10_000),
    ("signatures", 100_000_000),
];

/// Checks a private copy of a team file and brings its schema up to this build's, so that
/// it can be merged: a whole SQLite file of at most [`MAX_TEAM_FILE_BYTES`], of a schema
/// version this build knows, whose tables, indexes and triggers are exactly the ones
/// SalesDesk makes ([`check_schema`], before anything else is read: a view or a virtual
/// table in a table's place would run its own code on every read), that passes
/// `integrity_check`, has a team id (equal to `expected`, when given) and at most
/// `MAX_ROWS` rows per table. Returns its team id. Its rows are checked one by one by
/// the merge, which quarantines what breaks the rules ([`crate::store::validate`]).
/// The copy is opened read-write (to migrate it, and to drop what the file cannot be
/// trusted with: planner statistics, a quarantine log), so never pass the shared file.
pub fn check(path: &Path, expected: Option<&str>) -> std::result::Result<String, Refusal> {
    check_header(path)?;
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(damaged)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(damaged)?;
    if version > SCHEMA_VERSION {
        return Err(Refusal::Newer {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if version <= 0 {
        return Err(Refusal::Unversioned);
    }
    check_schema(&conn, version)?;
    check_integrity(&conn)?;
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
    for (table, most) in MAX_ROWS {
        // A file of an older version lacks the tables added since (its schema was
        // checked against that version's just above).
        let exists: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM main.sqlite_schema WHERE type = 'table' AND name = ?1)",
                [table],
                |r| r.get(0),
            )
            .map_err(damaged)?;
        if !exists {
            continue;
        }
        let n: i64 = conn
            .query_row(&format!("SELECT count(*) FROM main.{table}"), [], |r| {
                r.get(0)
            })
            .map_err(damaged)?;
        if n > most {
            return Err(Refusal::TooLarge(crate::t!(
                "teamfile-too-many-rows",
                count = n,
                table = table,
                most = most
            )));
        }
    }
    conn.pragma_update(None, "journal_mode", "DELETE")
        .map_err(damaged)?;
    // Statistics steer SQLite's choice of plan: forged ones could make the merge's reads
    // take hours. Without them it plans by its defaults, as for a new database.
    let stats: Vec<String> = schema(&conn)?
        .into_iter()
        .filter(|o| o.kind == "table" && o.name.starts_with("sqlite_stat"))
        .map(|o| o.name)
        .collect();
    for table in stats {
        conn.execute(&format!("DELETE FROM main.{table}"), [])
            .map_err(damaged)?;
    }
    if version >= QUARANTINE_VERSION {
        conn.execute("DELETE FROM main.quarantine", [])
            .map_err(damaged)?;
    }
    migrate(&mut conn).map_err(damaged)?;
    Ok(team_id)
}

/// Refuses a file whose pages or indexes are damaged. A row that breaks a CHECK or NOT
/// NULL constraint is not damage but content (a teammate's SQLite can be told to ignore
/// constraints): the merge screens such rows and quarantines them, so that one bad row
/// never blocks the team.
fn check_integrity(conn: &Connection) -> std::result::Result<(), Refusal> {
    let mut stmt = conn
        .prepare("PRAGMA integrity_check(100)")
        .map_err(damaged)?;
    let found = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(damaged)?
        .collect::<rusqlite::Result<Vec<String>>>()
        .map_err(damaged)?;
    let damage: Vec<String> = found
        .into_iter()
        .filter(|p| {
            p != "ok"
                && !p.starts_with("CHECK constraint failed in ")
                && !p.starts_with("NULL value in ")
        })
        .collect();
    match damage.first() {
        None => Ok(()),
        Some(first) => Err(damaged(first)),
    }
}

/// The schema version that added the quarantine log (migration 006).
const QUARANTINE_VERSION: i64 = 6;

/// One entry of `sqlite_schema`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Object {
    kind: String,
    name: String,
    table: String,
    sql: Option<String>,
}

fn schema(conn: &Connection) -> std::result::Result<Vec<Object>, Refusal> {
    let mut stmt = conn
        .prepare("SELECT type, name, tbl_name, sql FROM main.sqlite_schema")
        .map_err(damaged)?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Object {
                kind: r.get(0)?,
                name: r.get(1)?,
                table: r.get(2)?,
                sql: r.get(3)?,
            })
        })
        .map_err(damaged)?;
    rows.collect::<rusqlite::Result<_>>().map_err(damaged)
}

/// SQL with its runs of white space made one space, to compare statements.
fn normalized(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The columns of a table: names and primary-key positions.
fn columns(conn: &Connection, table: &str) -> std::result::Result<Vec<(String, i64)>, Refusal> {
    let mut stmt = conn
        .prepare(&format!("PRAGMA main.table_info(\"{table}\")"))
        .map_err(damaged)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(1)?, r.get(5)?)))
        .map_err(damaged)?;
    rows.collect::<rusqlite::Result<_>>().map_err(damaged)
}

/// Checks that the file's schema is the one SalesDesk makes at `version`, from
/// `sqlite_schema` alone (reading it runs nothing of the file's): the same tables with the
/// same columns and keys, and the same indexes, triggers and full-text index, statement
/// for statement; no views, and nothing else but SQLite's own statistics. A table's
/// constraints may differ (the merge checks every row with our own rules), but a view,
/// a virtual table or a trigger of the file's is never run.
pub fn check_schema(conn: &Connection, version: i64) -> std::result::Result<(), Refusal> {
    let wrong = |what: String| Err(Refusal::Schema(what));
    let reference = Connection::open_in_memory().map_err(damaged)?;
    let steps = usize::try_from(version).unwrap_or(0);
    for sql in MIGRATIONS.iter().take(steps) {
        reference.execute_batch(sql).map_err(damaged)?;
    }
    let ours = schema(&reference)?;
    let theirs = schema(conn)?;
    for object in &theirs {
        let name = object.name.as_str();
        if object.kind == "table" && matches!(name, "sqlite_stat1" | "sqlite_stat4") {
            continue;
        }
        if name.starts_with("sqlite_autoindex_") {
            if object.kind == "index"
                && object.sql.is_none()
                && ours
                    .iter()
                    .any(|o| o.kind == "table" && o.name == object.table)
            {
                continue;
            }
            return wrong(crate::t!("teamfile-schema-unexpected-index", name = name));
        }
        let Some(expected) = ours.iter().find(|o| o.name == name) else {
            return wrong(crate::t!(
                "teamfile-schema-unknown-object",
                kind = object.kind.as_str(),
                name = name.chars().take(40).collect::<String>()
            ));
        };
        if expected.kind != object.kind || expected.table != object.table {
            return wrong(crate::t!(
                "teamfile-schema-other-kind",
                name = name,
                kind = object.kind.as_str(),
                expected = expected.kind.as_str()
            ));
        }
        let sql = normalized(object.sql.as_deref().unwrap_or(""));
        let expected_sql = normalized(expected.sql.as_deref().unwrap_or(""));
        let virtual_table = |s: &str| s.to_ascii_uppercase().starts_with("CREATE VIRTUAL");
        if object.kind == "table" && !virtual_table(&expected_sql) {
            if virtual_table(&sql) {
                return wrong(crate::t!("teamfile-schema-virtual", name = name));
            }
            if columns(conn, name)? != columns(&reference, name)? {
                return wrong(crate::t!("teamfile-schema-columns", name = name));
            }
        } else if sql != expected_sql {
            return wrong(crate::t!(
                "teamfile-schema-differs",
                kind = object.kind.as_str(),
                name = name
            ));
        }
    }
    for expected in &ours {
        if !expected.name.starts_with("sqlite_autoindex_")
            && !theirs.iter().any(|o| o.name == expected.name)
        {
            return wrong(crate::t!(
                "teamfile-schema-missing",
                kind = expected.kind.as_str(),
                name = expected.name.as_str()
            ));
        }
    }
    Ok(())
}

/// A GLOB that matches exactly the clocks [`crate::domain::hlc::Hlc`] writes.
pub(crate) fn hlc_pattern() -> String {
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
    let len = std::fs::metadata(path).map_err(damaged)?.len();
    if len > MAX_TEAM_FILE_BYTES {
        return Err(Refusal::TooLarge(crate::t!(
            "teamfile-too-many-bytes",
            mb = len >> 20,
            most = MAX_TEAM_FILE_BYTES >> 20
        )));
    }
    match super::file::check_header(path) {
        Ok(true) => Ok(()),
        Ok(false) => Err(damaged(crate::t!("teamfile-empty"))),
        Err(why) => Err(damaged(why)),
    }
}

/// Writes this database to `dest` (which must not exist) as a team file of `team_id`:
/// a compact copy without site-specific meta (the private key included) or this person's
/// conflicts log, in rollback journal mode so that it is one self-contained file. With a
/// `signer`, what this member wrote since its last [`super::signing::sign_own`] is
/// signed in the copy too.
pub fn export(
    conn: &Connection,
    dest: &Path,
    team_id: &str,
    signer: Option<&super::signing::Signer>,
) -> Result<()> {
    // The copy is made and stripped in a private folder beside this database, and only
    // then copied to `dest`: `dest` is in the synced folder, and a sync service may carry
    // off whatever is there, even a file being written. Stripping overwrites what it
    // deletes (`secure_delete`), so that no freed page of the copy still holds the
    // private key or this person's conflicts log.
    let parent = match conn.path().filter(|p| !p.is_empty()) {
        Some(db) => Path::new(db)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map_or_else(|| Path::new(".").to_path_buf(), Path::to_path_buf),
        None => std::env::temp_dir(),
    };
    let private = tempfile::Builder::new()
        .prefix(".salesdesk-sync-export-")
        .tempdir_in(&parent)
        .map_err(|e| {
            StoreError::File(crate::t!(
                "teamfile-working-folder",
                dir = parent.display().to_string(),
                error = e.to_string()
            ))
        })?;
    let staged = private.path().join("team.db");
    let staged_text = staged.to_str().ok_or_else(|| {
        StoreError::Invalid(crate::t!(
            "path-not-utf8",
            path = staged.display().to_string()
        ))
    })?;
    conn.execute("VACUUM INTO ?1", [staged_text])?;
    let mut out = Connection::open(&staged)?;
    out.pragma_update(None, "journal_mode", "DELETE")?;
    out.pragma_update(None, "secure_delete", "ON")?;
    let tx = out.transaction()?;
    tx.execute("DELETE FROM meta WHERE key <> ?1", [TEAM_ID])?;
    tx.execute("DELETE FROM conflicts", [])?;
    tx.execute("DELETE FROM quarantine", [])?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [TEAM_ID, team_id],
    )?;
    tx.commit()?;
    if let Some(signer) = signer {
        super::signing::sign_exported(&out, signer, team_id)?;
    }
    out.close().map_err(|(_, e)| StoreError::from(e))?;
    std::fs::copy(&staged, dest)
        .map_err(|e| StoreError::File(format!("writing {}: {e}", dest.display())))?;
    Ok(())
}

/// The team this database is linked to: its file's path or its hub's URL (as stored),
/// and team id.
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
        "DELETE FROM meta WHERE key IN (?1, ?2, ?3, ?4)",
        [
            TEAM_SYNCED_AT,
            TEAM_PUSHED,
            super::hub::HUB_CURSOR,
            super::hub::HUB_PUSHED,
        ],
    )?;
    super::members::note_own_site(&tx, site_id, member_id)?;
    tx.commit()?;
    Ok(())
}

/// Forgets the team file. The data merged from it stays.
pub fn remove_link(conn: &Connection) -> Result<()> {
    conn.execute(
        "DELETE FROM meta WHERE key IN (?1, ?2, ?3, ?4, ?5, ?6)",
        [
            TEAM_FILE,
            TEAM_ID,
            TEAM_SYNCED_AT,
            TEAM_PUSHED,
            super::hub::HUB_CURSOR,
            super::hub::HUB_PUSHED,
        ],
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
        export(store.conn(), &team, "team-1", None).unwrap();
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
        drop(crate::store::test_support::database_at_version(&path, 1));
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

    /// A teammate still on an older build writes a team file of an older schema: each one
    /// is taken and brought up to this build's. (A version-5 file was refused as damaged:
    /// the check emptied its quarantine log, which version 6 added.)
    #[test]
    fn a_team_file_of_every_older_version_is_taken_and_upgraded() {
        let dir = tempfile::tempdir().unwrap();
        for version in 1..SCHEMA_VERSION {
            let path = dir.path().join(format!("v{version}.salesdesk"));
            let conn = crate::store::test_support::database_at_version(&path, version);
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?1, 'team-1')",
                [TEAM_ID],
            )
            .unwrap();
            drop(conn);
            assert_eq!(
                check(&path, Some("team-1")),
                Ok("team-1".to_string()),
                "version {version}"
            );
            let upgraded: i64 = Connection::open(&path)
                .unwrap()
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap();
            assert_eq!(upgraded, SCHEMA_VERSION, "version {version}");
        }
    }

    #[test]
    fn truncated_foreign_and_plain_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("a.db"), fixed_clock()).unwrap();
        let team = dir.path().join("t.salesdesk");
        export(store.conn(), &team, "team-1", None).unwrap();
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

    /// A fresh team file, and a function that copies it and changes the copy with `sql`
    /// (constraints off, schema writable: as a hostile teammate would).
    fn team_file(
        dir: &Path,
    ) -> (
        std::path::PathBuf,
        impl Fn(&str, &str) -> std::path::PathBuf,
    ) {
        let store = Store::open(&dir.join("a.db"), fixed_clock()).unwrap();
        let team = dir.join("t.salesdesk");
        export(store.conn(), &team, "team-1", None).unwrap();
        let original = team.clone();
        let dir = dir.to_path_buf();
        let damaged = move |name: &str, sql: &str| {
            let copy = dir.join(name);
            std::fs::copy(&original, &copy).unwrap();
            let conn = Connection::open(&copy).unwrap();
            conn.execute_batch(&format!(
                "PRAGMA foreign_keys = OFF; PRAGMA writable_schema = ON; {sql}"
            ))
            .unwrap();
            copy
        };
        (team, damaged)
    }

    #[test]
    fn a_recursive_view_in_a_tables_place_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let (_, damaged) = team_file(dir.path());
        let view = damaged(
            "view.salesdesk",
            "DROP TABLE field_clock;
             CREATE VIEW field_clock AS
               WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
               SELECT 'customers' AS tbl, 'x' || i AS row_id, 'name' AS field,
                      '0001795600800000-00000-0000000000000001' AS hlc FROM n;",
        );
        let started = std::time::Instant::now();
        let refused = check(&view, Some("team-1")).unwrap_err();
        assert!(matches!(refused, Refusal::Schema(_)), "{refused}");
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn virtual_tables_triggers_and_tables_of_its_own_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (team, damaged) = team_file(dir.path());
        for (name, sql) in [
            (
                "virtual.salesdesk",
                "DROP TABLE sites; CREATE VIRTUAL TABLE sites USING fts5 (site_id, member_id);",
            ),
            (
                "trigger.salesdesk",
                "CREATE TRIGGER boom AFTER INSERT ON deals BEGIN DELETE FROM customers; END;",
            ),
            (
                "changed-trigger.salesdesk",
                "DROP TRIGGER deals_ai;
                 CREATE TRIGGER deals_ai AFTER INSERT ON deals BEGIN DELETE FROM customers; END;",
            ),
            ("extra.salesdesk", "CREATE TABLE extra (x);"),
            (
                "columns.salesdesk",
                "ALTER TABLE deals ADD COLUMN extra TEXT;",
            ),
            (
                "index.salesdesk",
                "CREATE INDEX slow ON deals (length(printf('%.1000000c', title)));",
            ),
        ] {
            let copy = damaged(name, sql);
            let refused = check(&copy, Some("team-1")).unwrap_err();
            assert!(matches!(refused, Refusal::Schema(_)), "{name}: {refused}");
        }
        // Constraints are the merge's to check, row by row: a file without them passes.
        let lenient = damaged(
            "lenient.salesdesk",
            "UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (amount_minor >= 0)', '')
              WHERE name = 'deals';",
        );
        assert_eq!(check(&lenient, Some("team-1")).unwrap(), "team-1");
        assert_eq!(check(&team, Some("team-1")).unwrap(), "team-1");
    }

    #[test]
    fn a_row_breaking_a_constraint_is_content_for_the_merge_not_damage() {
        let dir = tempfile::tempdir().unwrap();
        let (_, damaged) = team_file(dir.path());
        // A teammate's SQLite told to ignore CHECKs: integrity_check reports the row, but
        // refusing the whole file for it would block the team; the merge quarantines it.
        let file = damaged(
            "ignored.salesdesk",
            "PRAGMA ignore_check_constraints = ON;
             UPDATE stages SET probability = 500;",
        );
        assert_eq!(check(&file, Some("team-1")).unwrap(), "team-1");
        // Damage to the file itself is still refused.
        let bytes = std::fs::read(&file).unwrap();
        let mut broken = bytes.clone();
        let page = 4096;
        for b in &mut broken[2 * page..3 * page] {
            *b = 0xff;
        }
        let broken_path = dir.path().join("broken.salesdesk");
        std::fs::write(&broken_path, &broken).unwrap();
        assert!(matches!(
            check(&broken_path, Some("team-1")),
            Err(Refusal::Damaged(_) | Refusal::Schema(_))
        ));
    }

    #[test]
    fn a_file_without_a_schema_version_is_refused_in_words() {
        let dir = tempfile::tempdir().unwrap();
        let (_, damaged) = team_file(dir.path());
        let zero = damaged("zero.salesdesk", "PRAGMA user_version = 0;");
        let refused = check(&zero, None).unwrap_err();
        assert_eq!(refused, Refusal::Unversioned);
        let text = refused.to_string();
        assert!(!text.contains("CREATE"), "{text}");
    }

    #[test]
    fn a_file_with_more_rows_than_any_team_has_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (_, damaged) = team_file(dir.path());
        let junk = damaged(
            "junk.salesdesk",
            "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 10001)
             INSERT INTO sites SELECT printf('%016x', i), 'm' FROM k;",
        );
        let refused = check(&junk, None).unwrap_err();
        assert!(matches!(refused, Refusal::TooLarge(_)), "{refused}");
        assert!(
            refused.to_string().contains("10001 rows in sites"),
            "{refused}"
        );
    }
}

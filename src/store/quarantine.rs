//! The quarantine: what a merge refused from a teammate's team file, and why (written by
//! [`crate::store::merge`], read by `team status` and the TUI's status bar).
//!
//! A row that breaks the rules of [`crate::store::validate`], names a record that did not
//! arrive, carries a malformed clock, or makes a claim about a member that the file
//! cannot make, is skipped and noted here: who (the site at the end of the row's newest
//! clock, and the member that site writes as), what (table, row, field) and why. It never
//! blocks the rows around it. The same refusal met again at the next sync counts up
//! instead of adding an entry.
//!
//! Local to this database, like the conflicts log: a team file carries it empty.

use rusqlite::{Connection, params};

use super::Result;

/// One refused thing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Quarantined {
    /// The site whose clock it carried ('' when it had none).
    pub site: String,
    /// The member that site writes as, when known.
    pub member: Option<String>,
    /// That member's name, when known.
    pub member_name: Option<String>,
    pub table: String,
    pub row_id: String,
    /// The field at fault ('' for the row as a whole).
    pub field: String,
    pub reason: String,
    /// Whether it was kept out (false: merged, but noted).
    pub skipped: bool,
    pub first_at: i64,
    pub last_at: i64,
    /// How many merges met it.
    pub times: i64,
}

/// What a merge refuses, before it is written down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub site: String,
    pub table: String,
    pub row_id: String,
    pub field: String,
    pub reason: String,
    pub skipped: bool,
}

/// Writes `refused` into `main.quarantine` of `conn` (inside the caller's transaction),
/// naming the member of each site from `main.sites`.
pub(crate) fn record(conn: &Connection, refused: &[Refused], now: i64) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO main.quarantine (site, member, tbl, row_id, field, reason, skipped,
                                      first_at, last_at)
         VALUES (?1, (SELECT member_id FROM main.sites WHERE site_id = ?1), ?2, ?3, ?4, ?5,
                 ?6, ?7, ?7)
         ON CONFLICT (tbl, row_id, field, reason) DO UPDATE
            SET last_at = excluded.last_at, times = times + 1, site = excluded.site,
                member = excluded.member",
    )?;
    for r in refused {
        stmt.execute(params![
            r.site, r.table, r.row_id, r.field, r.reason, r.skipped, now
        ])?;
    }
    Ok(())
}

/// Copies the entries of the attached `remote` database's quarantine, dated `now`: those
/// a combination of team-file copies noted (see [`crate::store::merge::combine`]; a team
/// file's own log is emptied when it is checked). Returns how many rows they left out.
pub(crate) fn carry_over(conn: &Connection, now: i64) -> Result<usize> {
    let skipped: i64 = conn.query_row(
        "SELECT count(*) FROM remote.quarantine WHERE skipped AND row_id <> '*'",
        [],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO main.quarantine (site, member, tbl, row_id, field, reason, skipped,
                                      first_at, last_at)
         SELECT site, member, tbl, row_id, field, reason, skipped, ?1, ?1
           FROM remote.quarantine WHERE true
         ON CONFLICT (tbl, row_id, field, reason) DO UPDATE
            SET last_at = excluded.last_at, times = times + 1",
        [now],
    )?;
    Ok(usize::try_from(skipped).unwrap_or(0))
}

/// How many things are in quarantine (skipped ones; noted ones are not counted).
pub fn count(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT count(*) FROM quarantine WHERE skipped", [], |r| {
            r.get(0)
        })?,
    )
}

/// How many rows merges kept out at or after `since` (unix ms).
pub fn kept_out_since(conn: &Connection, since: i64) -> Result<usize> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM quarantine WHERE skipped AND last_at >= ?1",
        [since],
        |r| r.get(0),
    )?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// The latest `limit` entries, newest first.
pub fn recent(conn: &Connection, limit: usize) -> Result<Vec<Quarantined>> {
    let mut stmt = conn.prepare(
        "SELECT q.site, q.member, m.name, q.tbl, q.row_id, q.field, q.reason, q.skipped,
                q.first_at, q.last_at, q.times
           FROM quarantine q LEFT JOIN members m ON m.id = q.member
          ORDER BY q.last_at DESC, q.id DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
        Ok(Quarantined {
            site: r.get(0)?,
            member: r.get(1)?,
            member_name: r.get(2)?,
            table: r.get(3)?,
            row_id: r.get(4)?,
            field: r.get(5)?,
            reason: r.get(6)?,
            skipped: r.get(7)?,
            first_at: r.get(8)?,
            last_at: r.get(9)?,
            times: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

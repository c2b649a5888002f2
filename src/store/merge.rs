//! Merging another SalesDesk database into this one, field by field, and the log of the
//! values that a merge replaced (DESIGN §6).
//!
//! For every `(table, row, field)` the higher hybrid logical clock wins: its value is
//! written. A field's clock is the later of its own `field_clock` entry and its row's
//! ([`ROW_CLOCK`], stamped by the insert; see [`crate::store::mutation`]). Every entry,
//! the row's too, keeps the higher of the two sides' clocks, so a field's clock after a
//! merge is the higher of the two sides' as well. A row this database lacks is copied
//! whole, with its entries. Rows are never removed (deletes are `deleted_at` tombstones, a
//! field like any other), so the result is the join of both sides: merging is
//! commutative, associative and idempotent, and the order in which teammates sync does
//! not matter.
//!
//! The other database is untrusted: [`crate::store::teamfile::check`] has checked its
//! structure, and before anything is written every row that would arrive or change is
//! screened by our own rules (`merge/screen.rs`, [`crate::store::validate`]); what breaks
//! them stays out, with its clocks (which the local clock does not adopt either), and is
//! noted in [`crate::store::quarantine`].
//!
//! A merge writes SQL itself rather than going through [`Store::apply`]: it must keep the
//! teammate's clocks, where `apply` stamps a fresh one. It reads the other database
//! through `ATTACH … mode=ro` and writes in one `BEGIN IMMEDIATE` transaction with
//! foreign keys deferred, so a merge is all or nothing and a reader never sees half of it.
//!
//! Nothing is lost: when a merge replaces a value this database's own site wrote with a
//! different one, the replaced value goes to `conflicts`. If the teammate's write replaced
//! exactly my value (`field_base`, kept by a trigger on local writes, says which clock each
//! write replaced), they had seen it: the entry is history, resolved `seen`. Otherwise it
//! waits for review ([`crate::store::conflicts`]): keep theirs or write mine back as a new
//! edit ([`crate::usecase::conflicts::resolve`]).

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use super::bulk::{BulkIndexes, LargeWrite};
use super::mutation::ROW_CLOCK;
use super::teamfile::hlc_pattern;
use super::{Result, Store, StoreError, Table, quarantine};
use crate::domain::hlc::{Hlc, SITE_WIDTH};

/// Fields that change with every edit or move and mean nothing on their own; a merge
/// replacing them is not worth a conflict entry.
const BOOKKEEPING: [&str; 3] = ["created_at", "updated_at", "position"];

/// What one merge changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct MergeReport {
    /// Rows this database did not have.
    pub rows_added: usize,
    /// Fields of existing rows that took a different value from the other side.
    pub fields_updated: usize,
    /// Values this database had set that a teammate replaced without having seen them:
    /// new pending entries in `conflicts`.
    pub conflicts: usize,
    /// Values whose clock is further ahead of this machine's time than [`MAX_CLOCK_DRIFT_MS`]
    /// (a machine with a wrong date, or a forged clock): not merged, and not adopted by
    /// the local clock, so that they cannot freeze a field against every later edit.
    pub future_clocks: usize,
    /// Rows of the teammate's file that broke the rules and were left out, into the
    /// quarantine ([`crate::store::quarantine`]).
    pub quarantined: usize,
    /// Values this database had set that a teammate replaced saying they had seen them
    /// (resolved `seen` in the conflicts log, not pending): never silent, as it is the
    /// teammate's own word for it (signed, once they have a key).
    pub seen: usize,
}

/// How far ahead of the local time a teammate's clock may be. Clocks of machines that
/// keep time agree within seconds; a day leaves room for a badly set one without letting
/// a clock from the far future win every merge to come.
pub const MAX_CLOCK_DRIFT_MS: i64 = 24 * 60 * 60 * 1000;

impl MergeReport {
    pub fn is_empty(&self) -> bool {
        self.rows_added == 0 && self.fields_updated == 0
    }

    /// Adds another merge's counts to these.
    pub fn add(&mut self, other: &MergeReport) {
        self.rows_added += other.rows_added;
        self.fields_updated += other.fields_updated;
        self.conflicts += other.conflicts;
        self.future_clocks += other.future_clocks;
        self.quarantined += other.quarantined;
        self.seen += other.seen;
    }
}

/// Whose database is merged into: the site whose replaced values are logged, and the
/// clock to advance.
struct Mine<'a> {
    site: &'a str,
    member: &'a str,
    now: i64,
}

/// Merges the database at `remote` into `store`'s, logging the values of this site that
/// the remote replaces, and advances this database's clock past every clock received.
/// `remote` is opened read-only and must have this build's schema version (see
/// [`crate::store::teamfile::check`]).
pub fn merge_from(store: &Store, remote: &Path) -> Result<MergeReport> {
    merge_vouched(store, remote, Authorship::Signatures)
}

/// Who vouches that each incoming clock was written by the member its site names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authorship {
    /// Nobody but the author: every clock of a member with a key must carry that member's
    /// valid signature. A team file, which anyone with the folder can rewrite.
    Signatures,
    /// The team's PostgreSQL hub, which authenticates every login and refuses a write
    /// whose new clocks or values are not the writing login's own (server migration 004):
    /// the signatures are not verified again, nor kept.
    Hub,
}

/// Like [`merge_from`], for rows pulled from a team's hub ([`Authorship::Hub`]).
pub fn merge_from_hub(store: &Store, remote: &Path) -> Result<MergeReport> {
    merge_vouched(store, remote, Authorship::Hub)
}

fn merge_vouched(store: &Store, remote: &Path, authorship: Authorship) -> Result<MergeReport> {
    let mine = Mine {
        site: store.site_id(),
        member: store.member_id(),
        now: store.now_millis(),
    };
    merge(store.conn(), remote, Some(&mine), authorship, None)
}

/// Merges the database at `remote` into the database open on `conn` without logging
/// conflicts or touching its clock: for combining copies of the team file with each other.
pub fn combine(conn: &Connection, remote: &Path) -> Result<MergeReport> {
    merge(
        conn,
        remote,
        None,
        Authorship::Signatures,
        Some(Indexing::RowByRow),
    )
}

/// How a merge keeps the book's secondary indexes, search index and other derived tables
/// up to date as rows arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Indexing {
    /// Row by row, by SQLite and the triggers, as every local write does: for a merge
    /// that brings a few rows into a book that holds many.
    RowByRow,
    /// Dropped inside the merge's transaction and built once from the merged tables at
    /// its end ([`BulkIndexes`], as a bulk load does): for a merge that brings many rows,
    /// above all a first join into an empty book, where keeping every index row by row
    /// cost several times more than building it.
    Rebuilt,
}

/// From how many new rows a merge may be worth rebuilding the indexes for.
const MANY_ROWS: i64 = 10_000;

/// How to keep the indexes for what `temp.merge_incoming` brings: rebuilt when it brings
/// at least [`MANY_ROWS`] rows and those are at least a fifth of the merged book (a
/// rebuild indexes every row of the book, new or not; keeping them indexes only the new).
fn indexing_for(tx: &Transaction<'_>) -> Result<Indexing> {
    // Each row of the remote carries its row clock (stamped by its insert), and a row
    // both sides hold has the same one, so row clocks that beat ours are about the new
    // rows.
    let new_rows: i64 = tx.query_row(
        &format!("SELECT count(*) FROM temp.merge_incoming WHERE field = '{ROW_CLOCK}'"),
        [],
        |r| r.get(0),
    )?;
    if new_rows < MANY_ROWS {
        return Ok(Indexing::RowByRow);
    }
    let counts = Table::ALL
        .iter()
        .map(|t| format!("(SELECT count(*) FROM main.{})", t.name()))
        .collect::<Vec<_>>()
        .join(" + ");
    let book_rows: i64 = tx.query_row(&format!("SELECT {counts}"), [], |r| r.get(0))?;
    Ok(if new_rows.saturating_mul(4) >= book_rows {
        Indexing::Rebuilt
    } else {
        Indexing::RowByRow
    })
}

/// The lowest clock refused as too far ahead of `now` (clocks compare as strings).
fn clock_ceiling(now: i64) -> String {
    Hlc {
        millis: now.saturating_add(MAX_CLOCK_DRIFT_MS),
        counter: 0,
        site: "0".repeat(SITE_WIDTH),
    }
    .to_string()
}

/// Merges `remote` into the database on `conn`; `indexing` forces how its indexes are
/// kept (`None`: as suits the number of rows that arrive, see [`indexing_for`]).
fn merge(
    conn: &Connection,
    remote: &Path,
    mine: Option<&Mine<'_>>,
    authorship: Authorship,
    indexing: Option<Indexing>,
) -> Result<MergeReport> {
    let attached = Attached::new(conn, remote)?;
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS merge_incoming (
             tbl TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL, hlc TEXT NOT NULL,
             PRIMARY KEY (tbl, row_id, field)) WITHOUT ROWID;
         CREATE TEMP TABLE IF NOT EXISTS merge_new (row_id TEXT PRIMARY KEY) WITHOUT ROWID;
         CREATE TEMP TABLE IF NOT EXISTS merge_win (
             row_id TEXT NOT NULL, field TEXT NOT NULL, theirs_hlc TEXT NOT NULL,
             mine_hlc TEXT NOT NULL, PRIMARY KEY (field, row_id)) WITHOUT ROWID;
         DELETE FROM temp.merge_incoming;",
    )?;
    // First, without the write lock, the remote's clocks that beat ours: on a large team
    // file this is the slow part, and local edits go on meanwhile. Merging into this
    // database refuses clocks from too far in the future; combining team-file copies with
    // each other (no `mine`) keeps them, as that copy is only ever merged from.
    let ceiling = mine.map(|m| clock_ceiling(m.now));
    let (future_clocks, screened, indexing) = {
        let read = Transaction::new_unchecked(attached.conn, TransactionBehavior::Deferred)?;
        for table in Table::ALL {
            collect_incoming(&read, table, ceiling.as_deref())?;
        }
        // Then every row that would arrive or change is checked by our rules; what
        // breaks them stays out (and leaves `merge_incoming`), to the quarantine.
        let screened = screen::screen(&read, mine.is_none(), mine.map(|m| m.member), authorship)?;
        let future: i64 = match &ceiling {
            Some(c) => read.query_row(
                "SELECT count(*) FROM remote.field_clock WHERE hlc >= ?1",
                [c],
                |r| r.get(0),
            )?,
            None => 0,
        };
        // Decided before the write lock is taken, as a large merge's settings are set
        // outside any transaction. (Local edits made meanwhile can only overtake a few
        // of these clocks, not add any.)
        let indexing = match indexing {
            Some(forced) => forced,
            None => indexing_for(&read)?,
        };
        read.commit()?;
        (
            usize::try_from(future).unwrap_or(usize::MAX),
            screened,
            indexing,
        )
    };
    // A merge that brings many rows writes with a rollback journal, durably
    // (`synchronous = FULL`, which a rollback journal needs to survive a power cut), as a
    // large import does. (Not `temp_store`: changing it would drop the temp tables.)
    let settings = match indexing {
        Indexing::Rebuilt => Some(LargeWrite::begin(conn, &[("synchronous", 2)])?),
        Indexing::RowByRow => None,
    };
    let written = write_merge(conn, mine, indexing, screened, future_clocks);
    let restored = settings.map_or(Ok(()), |s| s.end(conn));
    let report = written?;
    restored?;
    drop(attached);
    if indexing == Indexing::Rebuilt {
        // The tables grew by orders of magnitude: let the planner's statistics follow,
        // as after a bulk load.
        super::optimize(conn)?;
    }
    Ok(report)
}

/// The merge's writes, in one transaction: what `temp.merge_incoming` holds, screened,
/// with the indexes kept as `indexing` says.
fn write_merge(
    conn: &Connection,
    mine: Option<&Mine<'_>>,
    indexing: Indexing,
    screened: screen::Screened,
    future_clocks: usize,
) -> Result<MergeReport> {
    let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    // A local edit made meanwhile may have overtaken some of them. (Local clocks only
    // grow, so nothing can have started to win.)
    tx.execute(
        "DELETE FROM temp.merge_incoming
          WHERE hlc <= coalesce((SELECT l.hlc FROM main.field_clock l
                                  WHERE l.tbl = merge_incoming.tbl
                                    AND l.row_id = merge_incoming.row_id
                                    AND l.field = merge_incoming.field), '')",
        [],
    )?;
    // Dropped indexes and triggers come back with a rollback, should the merge fail.
    let deferred = match indexing {
        Indexing::Rebuilt => Some(BulkIndexes::drop(&tx, &[])?),
        Indexing::RowByRow => None,
    };
    let mut report = merge_attached(&tx, mine)?;
    // Built again before anything else reads or writes the merged tables.
    if let Some(indexes) = deferred {
        indexes.rebuild(&tx)?;
    }
    if let Some(m) = mine {
        report.conflicts += log_values_of_deleted_fields(&tx, m)?;
    }
    if let Some(m) = mine {
        // A deal a teammate moved into a stage this side deleted (or the reverse) goes
        // on to where the stage's deals went, as a local write after the merged clocks.
        let (_, writes) = super::stages::plan_send_on(&tx)?;
        if !writes.is_empty() {
            super::mutation::write_all(&tx, m.site, m.now, "send on deals", writes)?;
        }
    }
    report.future_clocks = future_clocks;
    report.quarantined = screened.rows;
    // Combining team-file copies has no clock of its own: what it notes is dated when it
    // reaches a database (`carry_over`).
    let now = mine.map_or(0, |m| m.now);
    quarantine::record(&tx, &screened.into_entries(), now)?;
    report.quarantined += quarantine::carry_over(&tx, now)?;
    tx.execute_batch(
        "DROP TABLE temp.merge_incoming; DROP TABLE temp.merge_new; DROP TABLE temp.merge_win;
         DROP TABLE temp.merge_bad; DROP TABLE temp.merge_sites; DROP TABLE temp.merge_claims;
         DROP TABLE temp.merge_keys; DROP TABLE temp.merge_signed;",
    )?;
    tx.commit()?;
    Ok(report)
}

/// A teammate deleted a custom field that I had filled in: my value stays in the book,
/// hidden with its field, and goes to the conflicts log so that it is not lost from sight.
/// Whether they had seen my value when they deleted the field, the clocks cannot tell: my
/// value may have reached the team file before their sync and still after their delete.
/// So every value of mine the delete hides is logged, once, when the delete arrives.
/// Returns how many values were logged.
fn log_values_of_deleted_fields(tx: &Transaction<'_>, mine: &Mine<'_>) -> Result<usize> {
    let logged = tx.execute(
        &format!(
            "INSERT OR IGNORE INTO main.conflicts (tbl, row_id, field, mine_value, mine_hlc,
                     theirs_value, theirs_hlc, their_site, their_member, at)
             SELECT 'field_values', id, 'value', value, mine_hlc, NULL, theirs_hlc,
                    substr(theirs_hlc, -{SITE_WIDTH}),
                    (SELECT s.member_id FROM main.sites s
                      WHERE s.site_id = substr(theirs_hlc, -{SITE_WIDTH})),
                    ?2
               FROM (SELECT v.id, v.value,
                            (SELECT max(c.hlc) FROM main.field_clock c
                              WHERE c.tbl = 'field_values' AND c.row_id = v.id
                                AND c.field IN ('value', '{ROW_CLOCK}')) AS mine_hlc,
                            (SELECT max(i.hlc) FROM temp.merge_incoming i
                              WHERE i.tbl = 'field_defs' AND i.row_id = f.id
                                AND i.field IN ('deleted_at', '{ROW_CLOCK}')) AS theirs_hlc
                       FROM main.field_defs f
                       JOIN main.field_values v ON v.field_id = f.id
                      WHERE f.deleted_at IS NOT NULL
                        AND f.id IN (SELECT row_id FROM temp.merge_incoming
                                      WHERE tbl = 'field_defs')
                        AND v.value IS NOT NULL AND v.deleted_at IS NULL)
              WHERE theirs_hlc IS NOT NULL
                AND substr(mine_hlc, -{SITE_WIDTH}) = ?1
                AND substr(theirs_hlc, -{SITE_WIDTH}) <> ?1"
        ),
        params![mine.site, mine.now],
    )?;
    Ok(logged)
}

/// Whether `store`'s database holds anything the database at `remote` lacks (a row, a
/// newer value, a site), and this database's clock at that moment, read together: when
/// it holds nothing more, writing it over `remote` would change nothing.
pub fn holds_more_than(store: &Store, remote: &Path) -> Result<(bool, Option<String>)> {
    let attached = Attached::new(store.conn(), remote)?;
    let read = Transaction::new_unchecked(attached.conn, TransactionBehavior::Deferred)?;
    let clock: Option<String> = read
        .query_row("SELECT value FROM main.meta WHERE key = 'hlc'", [], |r| {
            r.get(0)
        })
        .optional()?;
    let more: bool = read.query_row(
        "SELECT EXISTS (SELECT 1 FROM main.field_clock l
                         WHERE NOT EXISTS (SELECT 1 FROM remote.field_clock r
                                            WHERE r.tbl = l.tbl AND r.row_id = l.row_id
                                              AND r.field = l.field AND r.hlc >= l.hlc))
             OR EXISTS (SELECT 1 FROM main.sites s
                         WHERE NOT EXISTS (SELECT 1 FROM remote.sites r
                                            WHERE r.site_id = s.site_id))
             OR EXISTS (SELECT 1 FROM main.member_keys k
                         WHERE NOT EXISTS (SELECT 1 FROM remote.member_keys r
                                            WHERE r.member_id = k.member_id
                                              AND r.public_key = k.public_key))
             OR EXISTS (SELECT 1 FROM main.site_claims c
                         WHERE NOT EXISTS (SELECT 1 FROM remote.site_claims r
                                            WHERE r.site_id = c.site_id AND r.sig = c.sig))
             OR EXISTS (SELECT 1 FROM main.signatures l
                         WHERE NOT EXISTS (SELECT 1 FROM remote.signatures r
                                            WHERE r.tbl = l.tbl AND r.row_id = l.row_id
                                              AND r.field = l.field AND r.hlc = l.hlc))",
        [],
        |r| r.get(0),
    )?;
    read.commit()?;
    Ok((more, clock))
}

/// The other database attached as `remote` for as long as this lives.
struct Attached<'c> {
    conn: &'c Connection,
}

impl<'c> Attached<'c> {
    fn new(conn: &'c Connection, path: &Path) -> Result<Attached<'c>> {
        conn.execute("ATTACH DATABASE ?1 AS remote", [read_only_uri(path)?])?;
        Ok(Attached { conn })
    }
}

impl Drop for Attached<'_> {
    fn drop(&mut self) {
        // Nothing useful can be done if this fails: the connection is closed soon after.
        let _ = self.conn.execute("DETACH DATABASE remote", []);
    }
}

/// `file:…?mode=ro` for a path, with the characters a URI gives meaning escaped.
fn read_only_uri(path: &Path) -> Result<String> {
    let text = path.to_str().ok_or_else(|| {
        StoreError::Invalid(crate::t!(
            "path-not-utf8",
            path = path.display().to_string()
        ))
    })?;
    let mut uri = String::from("file:");
    if cfg!(windows) {
        uri.push('/');
    }
    for byte in text.bytes() {
        match byte {
            b'\\' if cfg!(windows) => uri.push('/'),
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(char::from(byte));
            }
            b':' if cfg!(windows) => uri.push(':'),
            other => uri.push_str(&format!("%{other:02X}")),
        }
    }
    uri.push_str("?mode=ro");
    Ok(uri)
}

/// A column name in SQL; names come from [`Table::fields`], never from input.
fn col(field: &str) -> String {
    format!("\"{field}\"")
}

fn merge_attached(tx: &Transaction<'_>, mine: Option<&Mine<'_>>) -> Result<MergeReport> {
    tx.pragma_update(None, "defer_foreign_keys", "ON")?;
    // Sites first, so that a conflict can name the member behind the winning clock.
    tx.execute(
        "INSERT OR IGNORE INTO main.sites (site_id, member_id)
         SELECT site_id, member_id FROM temp.merge_sites",
        [],
    )?;
    if let Some(mine) = mine {
        tx.execute(
            "INSERT OR IGNORE INTO main.sites (site_id, member_id) VALUES (?1, ?2)",
            [mine.site, mine.member],
        )?;
    }
    // Members' first keys, and the sites' signed claims the screen let in.
    tx.execute_batch(
        "INSERT OR IGNORE INTO main.member_keys (member_id, public_key)
         SELECT member_id, public_key FROM temp.merge_keys;
         INSERT OR IGNORE INTO main.site_claims (site_id, sig)
         SELECT site_id, sig FROM temp.merge_claims
          WHERE site_id IN (SELECT site_id FROM main.sites);",
    )?;
    let mut report = MergeReport::default();
    for table in Table::ALL {
        merge_table(tx, table, mine, &mut report)?;
    }
    // Each clock that arrived takes its signature with it (if it had one that the screen
    // verified); so does a clock held here unsigned that the file brought signed.
    tx.execute_batch(
        "DELETE FROM main.signatures
          WHERE (tbl, row_id, field) IN (SELECT tbl, row_id, field FROM temp.merge_incoming);
         INSERT INTO main.signatures (tbl, row_id, field, hlc, vals, sig)
         SELECT s.tbl, s.row_id, s.field, s.hlc, s.vals, s.sig
           FROM temp.merge_signed v
           JOIN remote.signatures s
             ON s.tbl = v.tbl AND s.row_id = v.row_id AND s.field = v.field AND s.hlc = v.hlc
          WHERE v.hlc = (SELECT l.hlc FROM main.field_clock l
                          WHERE l.tbl = v.tbl AND l.row_id = v.row_id AND l.field = v.field)
         ON CONFLICT (tbl, row_id, field) DO UPDATE
            SET hlc = excluded.hlc, vals = excluded.vals, sig = excluded.sig;",
    )?;
    if let Some(mine) = mine {
        observe_remote_clocks(tx, mine)?;
    }
    Ok(report)
}

/// Notes in `temp.merge_incoming` the remote's `field_clock` entries for `table` that
/// beat ours (or that we lack), for rows the remote has: its row clocks too.
fn collect_incoming(read: &Transaction<'_>, table: Table, ceiling: Option<&str>) -> Result<()> {
    let name = table.name();
    let field_names = std::iter::once(&ROW_CLOCK)
        .chain(table.fields())
        .map(|f| format!("'{f}'"))
        .collect::<Vec<_>>()
        .join(", ");
    read.execute(
        &format!(
            "INSERT INTO temp.merge_incoming (tbl, row_id, field, hlc)
             SELECT r.tbl, r.row_id, r.field, r.hlc
               FROM remote.field_clock r
               LEFT JOIN main.field_clock l
                 ON l.tbl = r.tbl AND l.row_id = r.row_id AND l.field = r.field
              WHERE r.tbl = ?1 AND r.field IN ({field_names})
                AND r.hlc GLOB ?3
                AND (l.hlc IS NULL OR r.hlc > l.hlc)
                AND (?2 IS NULL OR r.hlc < ?2)
                AND EXISTS (SELECT 1 FROM remote.{name} x WHERE x.id = r.row_id)"
        ),
        rusqlite::params![name, ceiling, hlc_pattern()],
    )?;
    Ok(())
}

fn merge_table(
    tx: &Transaction<'_>,
    table: Table,
    mine: Option<&Mine<'_>>,
    report: &mut MergeReport,
) -> Result<()> {
    let name = table.name();
    let fields = table.fields();
    let columns = fields.iter().map(|f| col(f)).collect::<Vec<_>>().join(", ");
    tx.execute("DELETE FROM temp.merge_new", [])?;

    // Rows we lack arrive whole, every field as the remote has it. Merging into this
    // database, a row comes only with a clock that was let in: one whose every clock is
    // from too far in the future (or that has none) stays out.
    tx.execute(
        &format!(
            "INSERT INTO temp.merge_new (row_id)
             SELECT r.id FROM remote.{name} r
              WHERE NOT EXISTS (SELECT 1 FROM main.{name} l WHERE l.id = r.id)
                AND NOT EXISTS (SELECT 1 FROM temp.merge_bad b
                                 WHERE b.tbl = '{name}' AND b.row_id = r.id)
                AND (?1 OR EXISTS (SELECT 1 FROM temp.merge_incoming i
                                    WHERE i.tbl = '{name}' AND i.row_id = r.id))"
        ),
        [mine.is_none()],
    )?;
    report.rows_added += tx.execute(
        &format!(
            "INSERT INTO main.{name} (id, {columns})
             SELECT id, {columns} FROM remote.{name}
              WHERE id IN (SELECT row_id FROM temp.merge_new)"
        ),
        [],
    )?;

    collect_winners(tx, table)?;
    for field in fields {
        let c = col(field);
        let bookkeeping = BOOKKEEPING.contains(field);
        if let Some(mine) = mine.filter(|_| !bookkeeping) {
            // My value, replaced by a different one from a teammate. When their write
            // replaced exactly my value (its base is my clock) they had seen mine: kept
            // as history, resolved 'seen'. Otherwise it is a conflict to review.
            let mut stmt = tx.prepare(&format!(
                "INSERT OR IGNORE INTO main.conflicts (tbl, row_id, field, mine_value,
                         mine_hlc, theirs_value, theirs_hlc, their_site, their_member, at,
                         resolved_at, resolution)
                     SELECT ?1, w.row_id, ?2, l.{c}, w.mine_hlc, r.{c}, w.theirs_hlc,
                            substr(w.theirs_hlc, -{SITE_WIDTH}),
                            (SELECT s.member_id FROM main.sites s
                              WHERE s.site_id = substr(w.theirs_hlc, -{SITE_WIDTH})),
                            ?3, CASE WHEN b.base IS NULL THEN NULL ELSE ?3 END,
                            CASE WHEN b.base IS NULL THEN NULL ELSE 'seen' END
                       FROM temp.merge_win w
                       JOIN main.{name} l ON l.id = w.row_id
                       JOIN remote.{name} r ON r.id = w.row_id
                       LEFT JOIN remote.field_base b
                         ON b.tbl = ?1 AND b.row_id = w.row_id AND b.field = w.field
                        AND b.hlc = w.theirs_hlc AND b.base = w.mine_hlc
                        AND EXISTS (SELECT 1 FROM main.sites s
                                     WHERE s.site_id = substr(w.theirs_hlc, -{SITE_WIDTH}))
                      WHERE w.field = ?2
                        AND substr(w.mine_hlc, -{SITE_WIDTH}) = ?4
                        AND substr(w.theirs_hlc, -{SITE_WIDTH}) <> ?4
                        AND l.{c} IS NOT r.{c}
                     RETURNING resolution"
            ))?;
            let mut logged = stmt.query(params![name, field, mine.now, mine.site])?;
            while let Some(row) = logged.next()? {
                if row.get::<_, Option<String>>(0)?.is_none() {
                    report.conflicts += 1;
                } else {
                    report.seen += 1;
                }
            }
        }
        let changed = tx.execute(
            &format!(
                "UPDATE main.{name}
                    SET {c} = (SELECT r.{c} FROM remote.{name} r WHERE r.id = main.{name}.id)
                  WHERE id IN (SELECT row_id FROM temp.merge_win WHERE field = ?1)
                    AND {c} IS NOT (SELECT r.{c} FROM remote.{name} r WHERE r.id = main.{name}.id)"
            ),
            [field],
        )?;
        if !bookkeeping {
            report.fields_updated += changed;
        }
    }

    tx.execute(
        "INSERT INTO main.field_clock (tbl, row_id, field, hlc)
         SELECT tbl, row_id, field, hlc FROM temp.merge_incoming WHERE tbl = ?1
         ON CONFLICT (tbl, row_id, field) DO UPDATE SET hlc = excluded.hlc",
        [name],
    )?;
    // What each winning write replaced travels with it.
    tx.execute(
        "DELETE FROM main.field_base
          WHERE tbl = ?1 AND (row_id, field) IN
                (SELECT row_id, field FROM temp.merge_incoming WHERE tbl = ?1)",
        [name],
    )?;
    tx.execute(
        "INSERT INTO main.field_base (tbl, row_id, field, hlc, base)
         SELECT b.tbl, b.row_id, b.field, b.hlc, b.base
           FROM temp.merge_incoming i
           JOIN remote.field_base b
             ON b.tbl = i.tbl AND b.row_id = i.row_id AND b.field = i.field AND b.hlc = i.hlc
          WHERE i.tbl = ?1 AND b.base GLOB ?2 AND b.base < b.hlc",
        [name, &hlc_pattern()],
    )?;
    Ok(())
}

/// Notes in `temp.merge_win` the fields of rows both sides have whose clock is higher on
/// the remote, with both clocks: only incoming entries can make it so, a field's own for
/// that field, a row clock for any of the row's fields. Run before the remote's entries
/// are written, so `main.field_clock` still holds this side's clocks. The rows that
/// arrived whole (`temp.merge_new`) are left out before a row clock is spread over the
/// row's fields: on a first join that is every row, times every field.
fn collect_winners(tx: &Transaction<'_>, table: Table) -> Result<()> {
    let fields = table
        .fields()
        .iter()
        .map(|f| format!("('{f}')"))
        .collect::<Vec<_>>()
        .join(", ");
    let clock = |side: &str| {
        format!(
            "max(coalesce((SELECT c.hlc FROM {side}.field_clock c
                            WHERE c.tbl = ?1 AND c.row_id = x.row_id AND c.field = x.field), ''),
                 coalesce((SELECT c.hlc FROM {side}.field_clock c
                            WHERE c.tbl = ?1 AND c.row_id = x.row_id AND c.field = '{ROW_CLOCK}'), ''))"
        )
    };
    tx.execute("DELETE FROM temp.merge_win", [])?;
    tx.execute(
        &format!(
            "INSERT INTO temp.merge_win (row_id, field, theirs_hlc, mine_hlc)
             SELECT row_id, field, theirs, mine
               FROM (SELECT x.row_id, x.field, {theirs} AS theirs, {mine} AS mine
                       FROM (SELECT i.row_id, i.field FROM temp.merge_incoming i
                              WHERE i.tbl = ?1 AND i.field <> '{ROW_CLOCK}'
                                AND i.row_id NOT IN (SELECT row_id FROM temp.merge_new)
                             UNION
                             SELECT i.row_id, f.column1 FROM temp.merge_incoming i
                              CROSS JOIN (VALUES {fields}) f
                              WHERE i.tbl = ?1 AND i.field = '{ROW_CLOCK}'
                                AND i.row_id NOT IN (SELECT row_id FROM temp.merge_new)) x)
              WHERE theirs > mine",
            theirs = clock("remote"),
            mine = clock("main"),
        ),
        [table.name()],
    )?;
    Ok(())
}

/// Moves this database's clock past the newest clock the remote holds, so that the next
/// local edit wins over everything merged so far.
fn observe_remote_clocks(tx: &Transaction<'_>, mine: &Mine<'_>) -> Result<()> {
    // Clocks beyond the ceiling were not merged, and are not adopted either.
    // Only clocks that were let in (well formed, not refused with their row) count:
    // the others beat nothing here. (Those not in `merge_incoming` are not ahead of ours.)
    let newest: Option<String> = tx.query_row(
        "SELECT max(hlc) FROM temp.merge_incoming WHERE hlc < ?1",
        [clock_ceiling(mine.now)],
        |r| r.get(0),
    )?;
    let Some(remote) = newest.and_then(|n| n.parse::<Hlc>().ok()) else {
        return Ok(());
    };
    let local: Hlc = tx
        .query_row("SELECT value FROM main.meta WHERE key = 'hlc'", [], |r| {
            r.get::<_, String>(0)
        })
        .optional()?
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| Hlc::zero(mine.site));
    if remote > local {
        let next = Hlc::observe(&local, &remote, mine.now, mine.site);
        tx.execute(
            "INSERT INTO main.meta (key, value) VALUES ('hlc', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [next.to_string()],
        )?;
    }
    Ok(())
}

mod screen;

#[cfg(test)]
mod tests;

//! The SQLite store: opening a database, its pragmas and numbered migrations, one module
//! per table (row mapping and reads as free functions over `&Connection`), the single
//! mutation path ([`mutation`]: [`Store::apply`] takes a list of [`Write`]s and makes
//! them one transaction and one [`Undo`]), bulk loading ([`bulk`]), search, the queries
//! behind reminders and reports, the conflicts log ([`conflicts`]), the team-file
//! merge ([`merge`], [`teamfile`]) and the read-only name lookups of shell completion
//! ([`completion`]).
//!
//! What to write for a user action is decided above, in [`crate::usecase`]; this module
//! knows nothing of use cases, sync or screens (it imports only [`crate::domain`]).
//! Only this module and its children know SQL. Only [`mutation`] writes domain rows for a
//! local edit; [`merge`] writes a teammate's rows, with their own clocks, during a sync.

pub mod activities;
pub mod backup;
pub mod bulk;
pub mod completion;
pub mod conflicts;
pub mod contacts;
pub mod customers;
pub mod deals;
pub mod lookup;
pub mod members;
pub mod merge;
pub mod mutation;
pub mod reference;
pub mod reminders;
pub mod reports;
pub mod search;
pub mod stages;
pub mod table;
pub mod teamfile;

use std::path::Path;
use std::sync::Arc;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::domain::deal::RuleError;
use crate::domain::hlc::new_site_id;
use crate::domain::time::Clock;
pub use mutation::{Settle, Table, Undo, Write};

/// The schema migrations, in order. Migration `n` (1-based) brings `user_version` to `n`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_init.sql"),
    include_str!("migrations/002_sync.sql"),
    include_str!("migrations/003_budgets.sql"),
    include_str!("migrations/004_row_clocks.sql"),
    include_str!("migrations/005_title_index.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The page cache of a database file, in KiB: the hot indexes of a 100k-deal book fit,
/// and the whole process stays well inside the 100 MB memory budget (DESIGN §7).
const PAGE_CACHE_KIB: i64 = 32 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no {what} matches '{reference}'")]
    NotFound { what: String, reference: String },
    #[error(
        "'{reference}' matches more than one {what}: {}; use the id shown",
        Candidate::list(candidates)
    )]
    Ambiguous {
        what: String,
        reference: String,
        candidates: Vec<Candidate>,
    },
    #[error(
        "this database was made by a newer SalesDesk (schema version {found}; this one knows up to {supported}); upgrade SalesDesk to open it — the file was not changed"
    )]
    NewerSchema { found: i64, supported: i64 },
    #[error("{0} is not a SalesDesk database (SQLite could not read it)")]
    NotADatabase(String),
    #[error(transparent)]
    Rule(#[from] RuleError),
    #[error("{0}")]
    Invalid(String),
    #[error("internal error: {0}")]
    Internal(String),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// One of the records an ambiguous reference could mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: String,
    /// Its title or name.
    pub name: String,
}

impl Candidate {
    /// `ACME renewal (1a2b3c4d), ACME renewal (5e6f7a8b)`: each with the short id to use.
    fn list(candidates: &[Candidate]) -> String {
        let shown: Vec<String> = candidates.iter().map(ToString::to_string).collect();
        shown.join(", ")
    }
}

impl std::fmt::Display for Candidate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({})",
            self.name,
            crate::domain::ids::short_id(&self.id)
        )
    }
}

impl StoreError {
    /// Whether the error is about naming a record (unknown or ambiguous reference).
    pub fn is_reference_error(&self) -> bool {
        matches!(
            self,
            StoreError::NotFound { .. } | StoreError::Ambiguous { .. }
        )
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open SalesDesk database.
pub struct Store {
    conn: Connection,
    clock: Arc<dyn Clock>,
    site_id: String,
    member_id: String,
    /// Inside [`Store::bulk_load`], whose one transaction holds every write.
    bulk: bool,
}

impl Store {
    /// Opens (creating if needed) the database file at `path`, in WAL mode, and brings its
    /// schema up to date. A database from a newer SalesDesk is refused untouched.
    pub fn open(path: &Path, clock: Arc<dyn Clock>) -> Result<Store> {
        let display = path.display().to_string();
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let version = read_version(&conn, &display)?;
        refuse_newer(version)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // SQLite's default 2 MB page cache holds too little of a large book: the Agenda
        // and Reports then read the same index pages from the file again on every pass.
        conn.pragma_update(None, "cache_size", -PAGE_CACHE_KIB)?;
        Store::finish_open(conn, clock)
    }

    /// Opens a private in-memory database (tests, benchmarks).
    pub fn open_in_memory(clock: Arc<dyn Clock>) -> Result<Store> {
        Store::finish_open(Connection::open_in_memory()?, clock)
    }

    fn finish_open(mut conn: Connection, clock: Arc<dyn Clock>) -> Result<Store> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate(&mut conn)?;
        let site_id = ensure_meta(&conn, "site_id", new_site_id)?;
        let mut store = Store {
            conn,
            clock,
            site_id,
            member_id: String::new(),
            bulk: false,
        };
        store.member_id = members::ensure_self(&mut store)?;
        stages::ensure_defaults(&mut store)?;
        Ok(store)
    }

    /// Read access for queries.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    pub fn now_millis(&self) -> i64 {
        self.clock.now_millis()
    }

    /// This database's site id (part of every clock it writes).
    pub fn site_id(&self) -> &str {
        &self.site_id
    }

    /// The member this database acts as: the owner of what it creates.
    pub fn member_id(&self) -> &str {
        &self.member_id
    }

    /// SQLite's change counter for other connections' commits: it moves when another
    /// process (a CLI call, a sync) writes the file, so the TUI knows to reload.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Reads a value from `meta`.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Whether the database holds no customers or deals yet (live or deleted).
    /// Stops SQLite from copying the write-ahead log into the database at the end of
    /// whichever write crosses its size mark (a pause of tens of milliseconds at 100k
    /// deals), for a caller that runs [`Store::checkpoint`] when it is idle instead: the
    /// TUI, between key presses.
    pub fn defer_checkpoints(&self) -> Result<()> {
        self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        Ok(())
    }

    /// Copies what it can of the write-ahead log into the database without waiting for
    /// readers or writers; cheap when there is nothing to copy.
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM customers) AND NOT EXISTS (SELECT 1 FROM deals)",
            [],
            |r| r.get(0),
        )?)
    }
}

fn read_version(conn: &Connection, display: &str) -> Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
                StoreError::NotADatabase(display.to_string())
            }
            other => other.into(),
        })
}

fn refuse_newer(version: i64) -> Result<()> {
    if version > SCHEMA_VERSION {
        Err(StoreError::NewerSchema {
            found: version,
            supported: SCHEMA_VERSION,
        })
    } else {
        Ok(())
    }
}

/// Applies the migrations the database has not seen, each in its own transaction that
/// also sets `user_version`, so a failure leaves the database at the last good version.
pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    // Reading `user_version` needs no lock: an up-to-date database (every run but the first
    // after an upgrade) is not made to wait for, or take, the write lock.
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version >= SCHEMA_VERSION {
        return refuse_newer(version);
    }
    let mut migrated = false;
    loop {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        refuse_newer(version)?;
        let Some(sql) = MIGRATIONS.get(version as usize) else {
            drop(tx);
            if migrated {
                optimize(conn)?;
            }
            return Ok(());
        };
        migrated = true;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
}

/// Lets SQLite refresh the statistics its planner picks indexes by (`sqlite_stat1`), after
/// migrations and bulk loads: without them it cannot tell a selective index from a poor
/// one. `0x10002` makes it look at every table, not only those queried on this connection;
/// the analysis limit keeps it to milliseconds on a large book.
pub(crate) fn optimize(conn: &Connection) -> Result<()> {
    conn.execute_batch("PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;")?;
    Ok(())
}

/// Reads a meta key, creating it with `make` the first time.
fn ensure_meta(conn: &Connection, key: &str, make: impl FnOnce() -> String) -> Result<String> {
    if let Some(v) = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?
    {
        return Ok(v);
    }
    let value = make();
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
        [key, &value],
    )?;
    Ok(conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))?)
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::domain::time::FixedClock;
    use chrono::TimeZone;

    /// 2026-11-25 10:00 UTC, a Wednesday.
    pub fn fixed_clock() -> Arc<dyn Clock> {
        Arc::new(FixedClock(
            chrono::Utc
                .with_ymd_and_hms(2026, 11, 25, 10, 0, 0)
                .single()
                .unwrap_or_default(),
        ))
    }

    pub fn memory_store() -> Store {
        Store::open_in_memory(fixed_clock()).unwrap()
    }

    /// Adds a customer with one write, as the use case would; returns its id. (The store
    /// is tested below the use cases, so its tests write rows themselves.)
    pub fn add_customer(store: &mut Store, name: &str) -> String {
        let id = crate::domain::ids::new_id();
        store
            .apply(
                "add",
                vec![
                    Write::insert(Table::Customers, id.clone())
                        .set("name", name.to_string())
                        .set("owner_id", store.member_id().to_string()),
                ],
            )
            .unwrap();
        id
    }

    /// Sets one field of one row as a local edit.
    pub fn set(
        store: &mut Store,
        table: Table,
        id: &str,
        field: &'static str,
        value: impl Into<rusqlite::types::Value>,
    ) -> Undo {
        store
            .apply("edit", vec![Write::update(table, id).set(field, value)])
            .unwrap()
    }
}

#[cfg(test)]
mod tests;

//! The SQLite store: opening a database ([`Store::open`] to change it, [`Store::open_read`]
//! to only read it; the file checks, copy identity and lock waits in `file`), its pragmas
//! and numbered migrations, one module
//! per table (row mapping and reads as free functions over `&Connection`), the single
//! mutation path ([`mutation`]: [`Store::apply`] takes a list of [`Write`]s and makes
//! them one transaction and one [`Undo`]), bulk loading ([`bulk`]), search, the queries
//! behind reminders and reports, the conflicts log ([`conflicts`]), the team-file
//! merge ([`merge`], [`teamfile`]), with the rules every stored row keeps ([`validate`])
//! and the log of what a merge refused ([`quarantine`]), the member's key and the
//! signing of their writes ([`signing`]), and the read-only name lookups
//! of shell completion ([`completion`]).
//!
//! What to write for a user action is decided above, in [`crate::usecase`]; this module
//! knows nothing of use cases, sync or screens (it imports only [`crate::domain`], and
//! [`crate::text`] to say on stderr that it upgrades or waits).
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
pub mod fields;
pub(crate) mod file;
pub mod hub;
pub mod lists;
pub mod lookup;
pub mod members;
pub mod merge;
pub mod mutation;
pub mod pipelines;
pub mod quarantine;
pub mod reference;
pub mod reminders;
pub mod reports;
pub mod search;
pub mod signing;
pub mod stages;
pub mod table;
pub mod teamfile;
pub mod validate;

use std::path::{Path, PathBuf};
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
    include_str!("migrations/005_last_contact.sql"),
    include_str!("migrations/006_quarantine.sql"),
    include_str!("migrations/007_title_index.sql"),
    include_str!("migrations/008_hidden_reminders.sql"),
    include_str!("migrations/009_report_indexes.sql"),
    include_str!("migrations/010_signed_changes.sql"),
    include_str!("migrations/011_pipelines.sql"),
    include_str!("migrations/012_customer_board_order.sql"),
    include_str!("migrations/013_custom_fields.sql"),
    include_str!("migrations/014_closed_columns.sql"),
    include_str!("migrations/015_hub_refused.sql"),
    include_str!("migrations/016_activities_newest.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How a database file's connection reads its pages. SQLite's default 2 MB page cache
/// holds too little of a large book: the Agenda and Reports then read the same index
/// pages from the file again on every pass. And the file is mapped into memory (up to
/// [`MMAP_BYTES`]): a page is then read where the kernel already holds it, instead of
/// copied into the page cache, which the kernel must first zero. A report over the 100k
/// demo book went from 146 to 108 ms of CPU time. SQLite still writes through the file,
/// never the mapping.
fn read_pages_fast(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "cache_size", -PAGE_CACHE_KIB)?;
    conn.pragma_update(None, "mmap_size", MMAP_BYTES)?;
    Ok(())
}

/// The most of a database file mapped into memory: more than any book holds (a 100k-deal
/// book is about 200 MB). Address space, not memory: only the pages read are resident,
/// and they are the kernel's file cache, shared and reclaimable. (They still count in the
/// process's resident size until it closes the book, so a large write, which reads every
/// page, goes without the map: `bulk::LargeWrite`.)
const MMAP_BYTES: i64 = 1 << 30;

/// The page cache of a database file, in KiB: the hot indexes of a 100k-deal book fit,
/// and the whole process stays well inside the 100 MB memory budget (DESIGN §7).
const PAGE_CACHE_KIB: i64 = 32 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}", crate::t!("err-StoreError-NotFound", what = crate::i18n::noun(.what), reference = .reference.to_string()))]
    NotFound { what: String, reference: String },
    #[error("{}", crate::t!(
        "err-StoreError-Ambiguous",
        reference = .reference.as_str(),
        what = crate::i18n::noun(.what),
        candidates = Candidate::list(.candidates)
    ))]
    Ambiguous {
        what: String,
        reference: String,
        candidates: Vec<Candidate>,
    },
    #[error("{}", crate::t!("err-StoreError-NewerSchema", found = .found.to_string(), supported = .supported.to_string()))]
    NewerSchema { found: i64, supported: i64 },
    #[error("{}", crate::t!("err-StoreError-NotADatabase", path = .path.to_string(), why = .why.to_string()))]
    NotADatabase { path: String, why: String },
    /// What SQLite said about the file system around the database, in words to act on.
    #[error("{}", crate::t!("err-StoreError-File", arg0 = .0.to_string()))]
    File(String),
    #[error(transparent)]
    Rule(#[from] RuleError),
    #[error("{}", crate::t!("err-StoreError-Invalid", arg0 = .0.to_string()))]
    Invalid(String),
    #[error("{}", crate::t!("err-StoreError-Internal", arg0 = .0.to_string()))]
    Internal(String),
    #[error("{}", crate::t!("err-StoreError-Sqlite", arg0 = .0.to_string()))]
    Sqlite(#[from] rusqlite::Error),
}

/// A refused change to pipelines or stages is input that was refused, said as it is.
impl From<crate::domain::stage::SetupError> for StoreError {
    fn from(e: crate::domain::stage::SetupError) -> StoreError {
        StoreError::Invalid(e.to_string())
    }
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
    /// Opened by [`Store::open_read`]: every write is refused.
    read_only: bool,
    /// The indexes a bulk load dropped, to be built again at its end
    /// ([`Store::defer_indexes`]).
    deferred: Option<bulk::BulkIndexes>,
    /// Rows this connection wrote in changes that only moved open deals between stages
    /// (and their undo): see [`Store::changes_but_moves`].
    only_moves: u64,
}

impl Store {
    /// Opens the database file at `path` for a command that changes it, creating it if
    /// needed, in WAL mode, and brings its schema up to date (saying so on stderr). A file
    /// that is not a SalesDesk database, or a database from a newer SalesDesk, is refused
    /// untouched. A file copied from another database gets a site id of its own here.
    pub fn open(path: &Path, clock: Arc<dyn Clock>) -> Result<Store> {
        let display = path.display().to_string();
        file::check_header(path).map_err(|why| StoreError::NotADatabase {
            path: display.clone(),
            why,
        })?;
        let on_file = |e: rusqlite::Error| file_error(path, e);
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(on_file)?;
        conn.busy_handler(Some(file::busy)).map_err(on_file)?;
        let version = read_version(&conn, &display)?;
        refuse_newer(version)?;
        refuse_foreign(&conn, version, &display)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(on_file)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        read_pages_fast(&conn)?;
        if (1..SCHEMA_VERSION).contains(&version) {
            crate::text::say(&crate::t!(
                "db-upgrading",
                path = display,
                from = version,
                to = SCHEMA_VERSION
            ));
        }
        Store::finish_open(conn, clock, Some(path)).map_err(|e| match e {
            StoreError::Sqlite(e) => file_error(path, e),
            other => other,
        })
    }

    /// Opens the database file at `path` for a command that only reads it: read-only, so
    /// it never takes the write lock nor waits for a writer (a long sync, an import). Only
    /// a database that must first be made, upgraded or set up is opened as by
    /// [`Store::open`]. Writes through the returned store are refused.
    pub fn open_read(path: &Path, clock: Arc<dyn Clock>) -> Result<Store> {
        let display = path.display().to_string();
        let exists = file::check_header(path).map_err(|why| StoreError::NotADatabase {
            path: display.clone(),
            why,
        })?;
        if !exists {
            return Store::open(path, clock);
        }
        let (conn, immutable) = open_read_only(path)?;
        let version = read_version(&conn, &display)?;
        refuse_newer(version)?;
        refuse_foreign(&conn, version, &display)?;
        // A database in rollback-journal mode (a copy made by other tools) makes readers
        // wait for writers: the writer's open turns it to WAL first.
        let wal = immutable
            || conn
                .query_row("PRAGMA journal_mode", [], |r| r.get::<_, String>(0))
                .map_err(|e| file_error(path, e))?
                .eq_ignore_ascii_case("wal");
        let ready = wal
            && version == SCHEMA_VERSION
            && conn
                .query_row(
                    "SELECT (SELECT count(*) FROM meta WHERE key IN ('site_id', 'member_id')) = 2
                        AND EXISTS (SELECT 1 FROM stages)",
                    [],
                    |r| r.get::<_, bool>(0),
                )
                .map_err(|e| file_error(path, e))?;
        if !ready {
            drop(conn);
            return Store::open(path, clock);
        }
        read_pages_fast(&conn)?;
        let meta = |key: &str| -> Result<String> {
            Ok(conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))?)
        };
        let (site_id, member_id) = (meta("site_id")?, meta("member_id")?);
        Ok(Store {
            conn,
            clock,
            site_id,
            member_id,
            bulk: false,
            only_moves: 0,
            read_only: true,
            deferred: None,
        })
    }

    /// Opens a private in-memory database (tests, benchmarks).
    pub fn open_in_memory(clock: Arc<dyn Clock>) -> Result<Store> {
        Store::finish_open(Connection::open_in_memory()?, clock, None)
    }

    fn finish_open(
        mut conn: Connection,
        clock: Arc<dyn Clock>,
        path: Option<&Path>,
    ) -> Result<Store> {
        conn.busy_handler(Some(file::busy))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.set_prepared_statement_cache_capacity(mutation::STATEMENT_CACHE);
        migrate(&mut conn)?;
        let site_id = own_site_id(&mut conn, path)?;
        let mut store = Store {
            conn,
            clock,
            site_id,
            member_id: String::new(),
            bulk: false,
            only_moves: 0,
            read_only: false,
            deferred: None,
        };
        store.member_id = members::ensure_self(&mut store)?;
        stages::ensure_defaults(&mut store)?;
        Ok(store)
    }

    /// Whether this store was opened by [`Store::open_read`].
    pub fn is_read_only(&self) -> bool {
        self.read_only
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
        data_version(&self.conn)
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

/// Makes this thread's waits for the lock of the database at `path` last up to two
/// minutes, and says on stderr who is writing (for a CLI command; never in the TUI, whose
/// screen a message would break).
pub fn announce_lock_waits(path: &Path) {
    file::announce_waits(path, file::CLI_WAIT);
}

fn read_version(conn: &Connection, display: &str) -> Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
                StoreError::NotADatabase {
                    path: display.to_string(),
                    why: crate::t!("db-sqlite-cannot-read"),
                }
            }
            other => file_error(Path::new(display), other),
        })
}

/// SQLite's error about the file system around `path` in words to act on, else as it is.
fn file_error(path: &Path, e: rusqlite::Error) -> StoreError {
    match file::explain(path, &e) {
        Some(text) => StoreError::File(text),
        None => StoreError::Sqlite(e),
    }
}

/// Refuses another program's SQLite database: one with tables but no schema version
/// would otherwise get SalesDesk's tables added to it.
fn refuse_foreign(conn: &Connection, version: i64, display: &str) -> Result<()> {
    if version > 0 {
        return Ok(());
    }
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    if tables > 0 {
        return Err(StoreError::NotADatabase {
            path: display.to_string(),
            why: crate::t!("db-other-program"),
        });
    }
    Ok(())
}

/// A read-only connection. In a folder we cannot write to, where SQLite cannot make the
/// shared-memory file that readers of a WAL database use, and no write is under way (no
/// `-wal` file), the file is read as it is (`immutable`), which needs no other file; the
/// flag says so.
fn open_read_only(path: &Path) -> Result<(Connection, bool)> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags).map_err(|e| file_error(path, e))?;
    conn.busy_handler(Some(file::busy))?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => Ok((conn, false)),
        Err(e) => {
            let wal = PathBuf::from(format!("{}-wal", path.display()));
            if wal.exists() || file::folder_is_writable(path) {
                return Err(file_error(path, e));
            }
            let uri = format!("file:{}?immutable=1", file::uri_path(path));
            let mut conn =
                Connection::open_with_flags(uri, flags).map_err(|e| file_error(path, e))?;
            conn.busy_handler(Some(file::busy))?;
            Ok((conn, true))
        }
    }
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
        tx.execute_batch(sql)
            .map_err(|e| migration_failed(version, &e))?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
}

/// A failed migration in a sentence: SQLite's message without the migration's SQL, which
/// rusqlite's own text of some errors quotes in full.
fn migration_failed(version: i64, e: &rusqlite::Error) -> StoreError {
    let why = match e {
        rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        other => other.to_string(),
    };
    StoreError::Invalid(crate::t!(
        "db-upgrade-failed",
        from = version,
        to = version + 1,
        why = why
    ))
}

/// Lets SQLite refresh the statistics its planner picks indexes by (`sqlite_stat1`), after
/// migrations and bulk loads: without them it cannot tell a selective index from a poor
/// one. `0x10002` makes it look at every table, not only those queried on this connection;
/// the analysis limit keeps it to milliseconds on a large book.
pub(crate) fn optimize(conn: &Connection) -> Result<()> {
    conn.execute_batch("PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;")?;
    Ok(())
}

/// The meta key with the identity ([`file::identity`]) of the file that took the site id.
const SITE_FILE: &str = "site_file";

/// This database's site id. A database file copied from another (a restored backup, a
/// copy on a second machine) would otherwise write with the same site id as the original,
/// so that the two could never tell their edits apart: when the file is not the one that
/// took the site id, it takes a new one, and the original and the copy then merge like
/// two teammates. A database from before file identities were kept is taken as the
/// original.
fn own_site_id(conn: &mut Connection, path: Option<&Path>) -> Result<String> {
    let identity = path.and_then(file::identity);
    let read = |conn: &Connection, key: &str| -> Result<Option<String>> {
        Ok(conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    };
    let settled = |site: &Option<String>, seen: &Option<String>| {
        site.is_some() && (identity.is_none() || *seen == identity)
    };
    let (site, seen) = (read(conn, "site_id")?, read(conn, SITE_FILE)?);
    if settled(&site, &seen) {
        return Ok(site.unwrap_or_default());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let (site, seen) = (read(&tx, "site_id")?, read(&tx, SITE_FILE)?);
    let site = match (site, seen) {
        (Some(site), seen) if seen.is_none() || seen == identity => site,
        // A copy: what it holds of the original's writes is still its member's, so the
        // original's site stays theirs (and is signed as theirs, `signing`).
        (Some(original), _) => {
            tx.execute(
                "INSERT OR IGNORE INTO sites (site_id, member_id)
                 SELECT ?1, value FROM meta WHERE key = 'member_id'",
                [&original],
            )?;
            new_site_id()
        }
        _ => new_site_id(),
    };
    let mut set = tx.prepare(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?;
    set.execute(["site_id", &site])?;
    if let Some(identity) = &identity {
        set.execute([SITE_FILE, identity])?;
    }
    drop(set);
    tx.commit()?;
    Ok(site)
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

    /// A database at `path` with the schema of `version` (the first `version`
    /// migrations), as an older build left it.
    pub fn database_at_version(path: &Path, version: i64) -> Connection {
        let conn = Connection::open(path).unwrap();
        for sql in MIGRATIONS.iter().take(usize::try_from(version).unwrap()) {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", version).unwrap();
        conn
    }

    /// The lines of SQLite's plan for `sql` with `params` bound (`EXPLAIN QUERY PLAN`),
    /// for a test that a query reads through the index it is written for.
    pub fn query_plan(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Vec<String> {
        conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map(params, |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

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

    /// Sets one field of a customer as a local edit, or says why it cannot.
    pub fn try_set(store: &mut Store, id: &str, field: &'static str, value: &str) -> Result<Undo> {
        store.apply(
            "edit",
            vec![Write::update(Table::Customers, id).set(field, value.to_string())],
        )
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

/// An exact SQL sum of an integer column, as two columns: SQLite's `sum()` fails with
/// "integer overflow" past 64 bits and `total()` is a float that drops cents. The high
/// and low 32 bits of each value are summed apart (each part fits for billions of rows)
/// and put together by [`wide_sum`] in 128 bits.
pub(crate) fn split_sum(column: &str) -> String {
    format!("coalesce(sum({column} >> 32), 0), coalesce(sum({column} & 4294967295), 0)")
}

/// The sum of the two parts [`split_sum`] gives.
pub(crate) fn wide_sum(high: i64, low: i64) -> i128 {
    (i128::from(high) << 32) + i128::from(low)
}

#[cfg(test)]
mod sum_tests {
    use super::*;

    #[test]
    fn split_sums_are_exact_past_64_bits_and_for_negatives() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t(v INTEGER)").unwrap();
        let values = [i64::MAX, i64::MAX, -5, 0, 1, i64::MIN + 1, 4_294_967_296];
        for v in values {
            conn.execute("INSERT INTO t VALUES (?1)", [v]).unwrap();
        }
        let sum = |sql: &str| {
            conn.query_row(sql, [], |r| Ok(wide_sum(r.get(0)?, r.get(1)?)))
                .unwrap()
        };
        let expected: i128 = values.iter().map(|v| i128::from(*v)).sum();
        assert_eq!(sum(&format!("SELECT {} FROM t", split_sum("v"))), expected);
        assert_eq!(
            sum(&format!("SELECT {} FROM t WHERE v > 1", split_sum("v"))),
            2 * i128::from(i64::MAX) + 4_294_967_296
        );
        assert_eq!(sum(&format!("SELECT {} FROM t WHERE 0", split_sum("v"))), 0);
        // What plain SQL does with the same rows.
        assert!(
            conn.query_row("SELECT sum(v) FROM t WHERE v > 1", [], |r| r
                .get::<_, i64>(0))
                .is_err()
        );
    }
}

/// SQLite's change counter for other connections' commits on `conn` (see
/// [`Store::data_version`]); with `conn.total_changes()`, which counts this connection's
/// own writes, it tells whether anything in the book changed since it was last read.
pub fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

//! The SQLite store: opening a database, its pragmas and numbered migrations, one module
//! per table (reads as free functions over `&Connection`, writes as [`Write`] lists), the
//! single mutation path ([`mutation`]), search and the queries behind reminders.
//!
//! Only this module and its children know SQL. Only [`mutation`] writes domain rows for a
//! local edit; [`merge`] writes a teammate's rows, with their own clocks, during a sync.

pub mod activities;
pub mod backup;
pub mod contacts;
pub mod customers;
pub mod deals;
pub mod demo;
pub mod lookup;
pub mod members;
pub mod merge;
pub mod mutation;
pub mod reference;
pub mod reminders;
pub mod reports;
pub mod search;
pub mod stages;
pub mod teamfile;

use std::path::Path;
use std::sync::Arc;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::domain::deal::RuleError;
use crate::domain::time::Clock;
use crate::sync::hlc::new_site_id;
pub use mutation::{Table, Undo, Write};

/// The schema migrations, in order. Migration `n` (1-based) brings `user_version` to `n`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_init.sql"),
    include_str!("migrations/002_sync.sql"),
    include_str!("migrations/003_budgets.sql"),
    include_str!("migrations/004_row_clocks.sql"),
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
    #[error("'{reference}' matches more than one {what}: {}; use the id shown", candidates.join(", "))]
    Ambiguous {
        what: String,
        reference: String,
        candidates: Vec<String>,
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
    loop {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        refuse_newer(version)?;
        let Some(sql) = MIGRATIONS.get(version as usize) else {
            return Ok(());
        };
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
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
}

#[cfg(test)]
mod tests {
    use super::test_support::{fixed_clock, memory_store};
    use super::*;
    use crate::domain::money::Money;
    use crate::store::deals::{CustomerRef, NewDeal};

    fn add_deal(store: &mut Store, title: &str, customer: &str) -> deals::Added {
        deals::add(
            store,
            &NewDeal {
                title: title.into(),
                customer: CustomerRef::Name(customer.into()),
                stage_id: "stage-lead".into(),
                amount: Money::new(1_200_000, "EUR".parse().unwrap()),
                expected_close: None,
                source: None,
                notes: None,
                owner_id: None,
            },
        )
        .unwrap()
    }

    fn count(store: &Store, sql: &str) -> i64 {
        store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn a_deal_given_to_another_customer_takes_its_activities_along_and_undo_brings_them_back() {
        use crate::domain::activity::ActivityKind;
        use crate::store::activities::{self, NewActivity, Subject};
        let mut store = memory_store();
        let added = add_deal(&mut store, "ACME renewal", "ACME");
        let acme = deals::get(store.conn(), &added.deal_id)
            .unwrap()
            .customer_id;
        let other = add_deal(&mut store, "Globex pilot", "Globex");
        let globex = deals::get(store.conn(), &other.deal_id)
            .unwrap()
            .customer_id;
        for due_at in [None, Some(store.now_millis() - 60_000)] {
            let new = NewActivity {
                kind: ActivityKind::Call,
                subject: "Call about the renewal".into(),
                body: None,
                about: Subject::Deal(added.deal_id.clone()),
                contact_id: None,
                due_at,
                outcome: None,
            };
            activities::add(&mut store, &new).unwrap();
        }
        let on = |store: &Store, customer: &str| {
            activities::for_customer(store.conn(), customer, 10)
                .unwrap()
                .len()
        };
        assert_eq!((on(&store, &acme), on(&store, &globex)), (2, 0));
        // The deal's contact works for ACME: it does not go along.
        let bob = contacts::ContactFields {
            name: "Bob".into(),
            ..Default::default()
        };
        let (bob, _) = contacts::add(&mut store, &acme, &bob).unwrap();
        store
            .apply(
                "contact",
                vec![
                    Write::update(Table::Deals, added.deal_id.clone())
                        .set("contact_id", bob.clone()),
                ],
            )
            .unwrap();
        let contact = |store: &Store| deals::get(store.conn(), &added.deal_id).unwrap().contact_id;
        let patch = deals::Patch {
            customer_id: Some(globex.clone()),
            ..Default::default()
        };
        let undo = deals::edit(&mut store, &added.deal_id, &patch).unwrap();
        assert_eq!((on(&store, &acme), on(&store, &globex)), (0, 2));
        assert_eq!(contact(&store), None);
        // The overdue reminder is Globex's now, in the status bar's rule and the list's.
        let listed = activities::open_reminders(store.conn(), None, None, None, None).unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(
            listed[0].activity.customer_id.as_deref(),
            Some(globex.as_str())
        );
        store.undo(&undo).unwrap();
        assert_eq!((on(&store, &acme), on(&store, &globex)), (2, 0));
        assert_eq!(contact(&store), Some(bob));
    }

    #[test]
    fn demo_customers_who_bought_are_not_prospects() {
        let mut store = memory_store();
        let made = demo::generate(&mut store, None).unwrap();
        assert_eq!((made.customers, made.deals), (40, 80));
        let bad = count(
            &store,
            "SELECT count(*) FROM customers c WHERE c.status = 'prospect'
               AND EXISTS (SELECT 1 FROM deals d WHERE d.customer_id = c.id AND d.status = 'won')",
        );
        assert_eq!(bad, 0);
        for status in ["open", "won", "lost"] {
            let n = count(
                &store,
                &format!("SELECT count(*) FROM deals WHERE status = '{status}'"),
            );
            assert!(n > 0, "no {status} deals");
        }
        assert_eq!(
            count(
                &store,
                "SELECT count(*) FROM deals WHERE status = 'lost' AND lost_reason IS NULL"
            ),
            0
        );
    }

    #[test]
    fn a_new_database_is_migrated_and_seeded() {
        let store = memory_store();
        let version: i64 = count(&store, "PRAGMA user_version");
        assert_eq!(version, SCHEMA_VERSION);
        let names: Vec<String> = stages::list(store.conn())
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names, ["Lead", "Qualified", "Proposal", "Negotiation"]);
        assert_eq!(store.site_id().len(), 16);
        assert_eq!(count(&store, "PRAGMA foreign_keys"), 1);
    }

    #[test]
    fn a_new_row_gets_one_clock_each_later_field_its_own_and_moves_write_history() {
        let mut store = memory_store();
        let added = add_deal(&mut store, "ACME renewal", "ACME");
        let clocks = |store: &Store| -> Vec<(String, String)> {
            let mut stmt = store
                .conn()
                .prepare(
                    "SELECT field, hlc FROM field_clock WHERE tbl = 'deals' AND row_id = ?1
                      ORDER BY hlc, field",
                )
                .unwrap();
            stmt.query_map([&added.deal_id], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        // The insert stands for every field it wrote.
        let inserted = clocks(&store);
        assert_eq!(inserted.len(), 1, "{inserted:?}");
        assert_eq!(inserted[0].0, mutation::ROW_CLOCK);
        let proposal = stages::list(store.conn()).unwrap().remove(2);
        deals::move_to_stage(&mut store, &added.deal_id, &proposal).unwrap();
        let history = deals::history(store.conn(), &added.deal_id).unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[1].from_stage.as_deref(), Some("Lead"));
        assert_eq!(history[1].to_stage, "Proposal");
        // The move stamps the fields it wrote, each later than the insert, with clocks of
        // one fixed width.
        let moved = clocks(&store);
        let fields: Vec<&str> = moved[1..].iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "closed_at",
                "lost_reason",
                "position",
                "stage_id",
                "status",
                "updated_at"
            ]
        );
        assert!(moved.iter().all(|(_, h)| h.len() == inserted[0].1.len()));
        assert!(moved[1..].iter().all(|(_, h)| *h > inserted[0].1));
        assert!(store.meta("hlc").unwrap().unwrap() >= moved.last().unwrap().1);
    }

    #[test]
    fn winning_promotes_the_prospect_in_the_same_change_and_undo_reverts_it() {
        let mut store = memory_store();
        let added = add_deal(&mut store, "ACME renewal", "ACME");
        let moved = deals::win(&mut store, &added.deal_id).unwrap();
        assert!(moved.customer_promoted);
        let customer = customers::get(store.conn(), &added.customer_id).unwrap();
        assert_eq!(customer.status.as_str(), "active");
        store.undo(&moved.undo).unwrap();
        let deal = deals::get(store.conn(), &added.deal_id).unwrap();
        assert_eq!(deal.status.as_str(), "open");
        assert_eq!(deal.closed_at, None);
        let customer = customers::get(store.conn(), &added.customer_id).unwrap();
        assert_eq!(customer.status.as_str(), "prospect");
        assert_eq!(
            deals::history(store.conn(), &added.deal_id).unwrap().len(),
            1
        );
    }

    #[test]
    fn deletes_are_tombstones_and_can_be_undone() {
        let mut store = memory_store();
        let added = add_deal(&mut store, "ACME renewal", "ACME");
        let undo = deals::delete(&mut store, &added.deal_id).unwrap();
        assert!(deals::resolve(store.conn(), "ACME renewal").is_err());
        assert_eq!(count(&store, "SELECT count(*) FROM deals"), 1, "row kept");
        assert!(
            search::search(store.conn(), "renewal", 10)
                .unwrap()
                .is_empty()
        );
        store.undo(&undo).unwrap();
        assert_eq!(
            deals::resolve(store.conn(), "acme RENEWAL").unwrap(),
            added.deal_id
        );
        assert_eq!(
            search::search(store.conn(), "renewal", 10).unwrap().len(),
            1
        );
    }

    #[test]
    fn undoing_an_add_tombstones_what_it_made() {
        let mut store = memory_store();
        let added = add_deal(&mut store, "ACME renewal", "ACME");
        store.undo(&added.undo).unwrap();
        assert!(deals::resolve(store.conn(), "ACME renewal").is_err());
        assert!(customers::resolve(store.conn(), "ACME").is_err());
    }

    #[test]
    fn a_failed_write_changes_nothing() {
        let mut store = memory_store();
        let before = count(&store, "SELECT count(*) FROM field_clock");
        let err = store
            .apply(
                "bad",
                vec![
                    Write::insert(Table::Customers, "c1").set("name", "ok".to_string()),
                    Write::update(Table::Deals, "missing").set("title", "x".to_string()),
                ],
            )
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }));
        assert_eq!(count(&store, "SELECT count(*) FROM customers"), 0);
        assert_eq!(count(&store, "SELECT count(*) FROM field_clock"), before);
    }

    #[test]
    fn references_by_id_short_id_and_name() {
        let mut store = memory_store();
        let a = add_deal(&mut store, "Renewal", "ACME");
        let b = add_deal(&mut store, "Renewal", "Globex");
        let conn = store.conn();
        assert_eq!(deals::resolve(conn, &a.deal_id).unwrap(), a.deal_id);
        assert_eq!(
            deals::resolve(conn, crate::domain::ids::short_id(&b.deal_id)).unwrap(),
            b.deal_id
        );
        match deals::resolve(conn, "renewal") {
            Err(StoreError::Ambiguous { candidates, .. }) => assert_eq!(candidates.len(), 2),
            other => panic!("expected ambiguous, got {other:?}"),
        }
        assert!(matches!(
            deals::resolve(conn, "nothing"),
            Err(StoreError::NotFound { .. })
        ));
    }

    #[test]
    fn terms_under_three_characters_match_titles_newest_first() {
        let mut store = memory_store();
        add_deal(&mut store, "Gearbox order", "Initech");
        let newer = add_deal(&mut store, "Big renewal", "ACME");
        // "g" is in Gearbox and Big; in no title of the customers.
        let titles = |store: &Store, q: &str| -> Vec<String> {
            search::search(store.conn(), q, 50)
                .unwrap()
                .into_iter()
                .map(|h| h.title)
                .collect()
        };
        assert_eq!(titles(&store, "g"), ["Big renewal", "Gearbox order"]);
        assert_eq!(titles(&store, "G o"), ["Gearbox order"], "every term");
        // A match in the body (the deal's notes) does not count for short terms alone.
        let patch = deals::Patch {
            notes: Some(Some("go big".into())),
            ..Default::default()
        };
        deals::edit(&mut store, &newer.deal_id, &patch).unwrap();
        assert_eq!(titles(&store, "go"), Vec::<String>::new());
        assert_eq!(
            titles(&store, "go big"),
            ["Big renewal"],
            "with a long term, bodies count"
        );
        assert_eq!(search::search(store.conn(), "g", 1).unwrap().len(), 1);
    }

    #[test]
    fn a_customer_is_reindexed_only_when_what_search_shows_changes() {
        let mut store = memory_store();
        let added = add_deal(&mut store, "Gearbox order", "Initech");
        // Every reindex writes index segments; a status change must write none.
        let segments = |store: &Store| count(store, "SELECT count(*) FROM search_index_data");
        let before = segments(&store);
        deals::win(&mut store, &added.deal_id).unwrap(); // the customer becomes active
        assert_eq!(
            customers::get(store.conn(), &added.customer_id)
                .unwrap()
                .status
                .as_str(),
            "active"
        );
        assert_eq!(segments(&store), before);
        let patch = customers::Patch {
            industry: Some(Some("Gears".into())),
            ..Default::default()
        };
        customers::edit(&mut store, &added.customer_id, &patch).unwrap();
        assert_eq!(search::search(store.conn(), "gears", 5).unwrap().len(), 1);
    }

    #[test]
    fn revisits_due_can_be_only_one_owners() {
        let mut store = memory_store();
        let mine = add_deal(&mut store, "Gearbox order", "Initech");
        let theirs = add_deal(&mut store, "Big renewal", "ACME");
        store
            .apply(
                "add member",
                vec![Write::insert(Table::Members, "m-other").set("name", "Li Wei".to_string())],
            )
            .unwrap();
        let patch = customers::Patch {
            owner_id: Some("m-other".into()),
            ..Default::default()
        };
        customers::edit(&mut store, &theirs.customer_id, &patch).unwrap();
        let cadence = crate::domain::customer::Cadence::default();
        let later = store.now_millis() + 365 * 86_400_000;
        let due = |owner: Option<&str>| -> Vec<String> {
            customers::revisits_due(store.conn(), &cadence, later, owner, None)
                .unwrap()
                .into_iter()
                .map(|r| r.id)
                .collect()
        };
        assert_eq!(due(None).len(), 2);
        assert_eq!(due(Some(store.member_id())), [mine.customer_id]);
        assert_eq!(due(Some("m-other")), [theirs.customer_id]);
    }

    #[test]
    fn deals_without_a_next_step_come_longest_untouched_first_in_one_query() {
        use crate::domain::activity::ActivityKind;
        use crate::store::activities::{self, NewActivity, Subject};
        let mut store = memory_store();
        let a = add_deal(&mut store, "Gearbox order", "Initech").deal_id;
        let b = add_deal(&mut store, "Big renewal", "ACME").deal_id;
        let planned = add_deal(&mut store, "Planned", "Globex").deal_id;
        let next = NewActivity {
            kind: ActivityKind::Call,
            subject: "Call back".into(),
            body: None,
            about: Subject::Deal(planned),
            contact_id: None,
            due_at: Some(store.now_millis() + 3_600_000),
            outcome: None,
        };
        activities::add(&mut store, &next).unwrap();
        // B touched last: it comes after A; the planned deal not at all.
        store
            .apply(
                "touch",
                vec![
                    Write::update(Table::Deals, b.clone())
                        .set("updated_at", store.now_millis() + 1),
                ],
            )
            .unwrap();
        let rows = deals::without_next_step(store.conn(), None, 10).unwrap();
        let ids: Vec<&str> = rows.iter().map(|r| r.deal.id.as_str()).collect();
        assert_eq!(ids, [a.as_str(), b.as_str()]);
        assert_eq!(rows[1].customer_name, "ACME");
        assert_eq!(
            deals::without_next_step(store.conn(), None, 1)
                .unwrap()
                .len(),
            1
        );
        assert!(
            deals::without_next_step(store.conn(), Some("m-other"), 10)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_newer_database_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = Store::open(&path, fixed_clock()).err().unwrap();
        assert!(matches!(err, StoreError::NewerSchema { .. }));
        assert!(err.to_string().contains("newer SalesDesk"));
        assert_eq!(std::fs::read(&path).unwrap(), before);
        assert!(!dir.path().join("new.db-wal").exists());
    }

    #[test]
    fn search_is_literal_and_finds_cjk_substrings() {
        let mut store = memory_store();
        add_deal(&mut store, "Router upgrade", "上海华为技术有限公司");
        add_deal(&mut store, "ACME renewal", "ACME Industrial");
        let conn = store.conn();
        let kinds = |q: &str| -> Vec<String> {
            search::search(conn, q, 50)
                .unwrap()
                .into_iter()
                .map(|h| h.title)
                .collect()
        };
        assert!(kinds("华为").contains(&"上海华为技术有限公司".to_string()));
        assert!(kinds("华为技术").contains(&"上海华为技术有限公司".to_string()));
        assert_eq!(kinds("acm")[0], "ACME Industrial");
        for q in ["\"", "*", "-", "NEAR", "(", "a\"b OR (", "100%", "_"] {
            search::search(conn, q, 50).unwrap();
        }
    }
}

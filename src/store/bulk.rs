//! Bulk loading: many writes in one transaction, with the indexes and search triggers
//! dropped for the load and built once at the end — into a new database with durability
//! relaxed ([`Store::bulk_load`], the demo generator), or into the user's book with its
//! durability kept ([`Store::bulk_load_in_place`], a large import). The writes themselves still go through [`Store::apply`] and its
//! planners, so a bulk-loaded row is stamped with clocks exactly like an edited one.

use rusqlite::{Connection, OptionalExtension};

use super::mutation::Table;
use super::{Store, StoreError, customers, reminders, search};

impl Store {
    /// Runs `load`, a bulk load into a new database (the demo generator), in one
    /// transaction: all of it is written or none. Its writes still go through
    /// [`Store::apply`]; what differs is how the indexes are kept. Updating every index
    /// row by row costs several times more than building it once from the finished
    /// tables, so the secondary indexes and the search triggers of the domain tables are
    /// dropped first and built again at the end (`BulkIndexes`). A database file leaves
    /// WAL mode meanwhile, when no other connection has it open: with a rollback journal
    /// the new pages go straight to the file, instead of once to the WAL and again to the
    /// file. Durability is relaxed (`synchronous = OFF`, temporary files in memory): a
    /// power cut during the load may damage the half-made file, which the user can simply
    /// make again. The settings are restored afterwards, also when `load` fails.
    pub fn bulk_load<T>(
        &mut self,
        load: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.load_with(&[("synchronous", 0), ("temp_store", 2)], |s| {
            s.defer_indexes(&[])?;
            load(s)
        })
    }

    /// Inside a bulk load: from here on, the secondary indexes and search triggers of the
    /// domain tables (but those named in `keep`, which a load may need for its lookups)
    /// are not kept row by row but built once at the end of the load. A load that turns
    /// out to write little (a re-import of a file already in the book) never calls this,
    /// and so does not rebuild every index of a large book for nothing. Calling it again
    /// does nothing.
    pub fn defer_indexes(&mut self, keep: &[&str]) -> Result<(), StoreError> {
        if !self.bulk {
            return Err(StoreError::Internal(
                "indexes are deferred only inside a bulk load".into(),
            ));
        }
        if self.deferred.is_none() {
            self.deferred = Some(BulkIndexes::drop(&self.conn, keep)?);
        }
        Ok(())
    }

    /// Like [`Store::bulk_load`], for a book that holds the user's data (a large import):
    /// the indexes are built once at the end and the file leaves WAL mode for the load
    /// (when no other connection has it open), but durability is kept — `synchronous =
    /// FULL`, which a rollback journal needs to survive a power cut — so a power cut
    /// during the load leaves the book as it was before it. Temporary files (the
    /// statement journal of each many-row INSERT, the sorts that build the indexes) are
    /// kept in memory: on disk they were an eighth of a 100k-row import's time.
    pub fn bulk_load_in_place<T>(
        &mut self,
        load: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.load_with(&[("synchronous", 2), ("temp_store", 2)], load)
    }

    /// Runs `load` in one transaction with `pragmas` set and the file out of WAL mode,
    /// restoring both afterwards, also when `load` fails.
    fn load_with<T>(
        &mut self,
        pragmas: &[(&'static str, i64)],
        load: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let settings = LargeWrite::begin(&self.conn, pragmas)?;
        // The load changed the tables' sizes by orders of magnitude: let SQLite gather the
        // statistics its planner chooses indexes by (see `store::optimize`), still
        // without the memory map (see `LargeWrite`).
        let result = self
            .load_in_one_transaction(load)
            .and_then(|value| super::optimize(&self.conn).map(|()| value));
        let restored = settings.end(&self.conn);
        let value = result?;
        restored?;
        Ok(value)
    }

    fn load_in_one_transaction<T>(
        &mut self,
        load: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        // Not `Connection::transaction`: its guard would borrow the connection that
        // `load` writes through. The transaction is ended below on every path.
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        self.bulk = true;
        let value = load(self);
        self.bulk = false;
        let deferred = self.deferred.take();
        let loaded = value.and_then(|value| {
            if let Some(indexes) = deferred {
                indexes.rebuild(&self.conn)?;
            }
            Ok(value)
        });
        // A failed COMMIT (busy, disk full) leaves the transaction open: it is rolled back
        // too, and the first error is the one reported.
        match loaded.and_then(|value| Ok(self.conn.execute_batch("COMMIT").map(|()| value)?)) {
            Ok(value) => Ok(value),
            Err(e) => {
                // Dropped indexes and triggers come back with the rollback.
                if !self.conn.is_autocommit() {
                    let _ = self.conn.execute_batch("ROLLBACK");
                }
                Err(e)
            }
        }
    }
}

/// The settings of a connection for one large write (a bulk load, a merge that brings
/// many rows), and what they were before it. The main database leaves WAL mode for it,
/// when no other connection has it open: with a rollback journal the new pages go
/// straight to the file, instead of once to the WAL and again to the file when it is
/// checkpointed. And it is read without its memory map ([`super::MMAP_BYTES`]): building
/// the indexes and the statistics afterwards read every page of the tables, and each page
/// read through the map stays in the process's resident memory until the connection
/// closes (a 100k-deal import peaked at 247 MB, 165 of them the mapped book), where the
/// page cache holds a bounded number.
pub(super) struct LargeWrite {
    before: Vec<(&'static str, i64)>,
    wal: bool,
}

impl LargeWrite {
    /// Sets `pragmas`, leaves WAL mode and unmaps the file; outside any transaction.
    pub(super) fn begin(
        conn: &Connection,
        pragmas: &[(&'static str, i64)],
    ) -> Result<LargeWrite, StoreError> {
        let mut before = Vec::new();
        let mut set = Vec::new();
        for &(pragma, value) in pragmas.iter().chain(&[("mmap_size", 0)]) {
            // (An in-memory database has no memory map, and says nothing of it.)
            let old: Option<i64> = conn
                .query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))
                .optional()?;
            if let Some(old) = old {
                before.push((pragma, old));
                set.push((pragma, value));
            }
        }
        let mut settings = LargeWrite { before, wal: false };
        for (pragma, value) in set {
            if let Err(e) = conn.pragma_update(None, pragma, value) {
                let _ = settings.end(conn);
                return Err(e.into());
            }
        }
        let wal = journal_mode(conn)
            .and_then(|mode| Ok(mode == "wal" && set_journal_mode(conn, "delete")?));
        match wal {
            Ok(wal) => settings.wal = wal,
            Err(e) => {
                let _ = settings.end(conn);
                return Err(e);
            }
        }
        Ok(settings)
    }

    /// Restores the settings, WAL mode first; outside any transaction.
    pub(super) fn end(self, conn: &Connection) -> Result<(), StoreError> {
        let back = if self.wal {
            set_journal_mode(conn, "wal").map(drop)
        } else {
            Ok(())
        };
        let restored = self
            .before
            .iter()
            .try_for_each(|(pragma, old)| conn.pragma_update(None, pragma, old));
        restored?;
        back
    }
}

/// The main database's journal mode. (Named, as a journal mode set without a database
/// name would apply to every attached one too.)
fn journal_mode(conn: &Connection) -> Result<String, StoreError> {
    Ok(conn.query_row("PRAGMA main.journal_mode", [], |r| r.get(0))?)
}

/// Sets the main database's journal mode; whether SQLite took it (a file stays in WAL
/// mode while another connection has it open).
fn set_journal_mode(conn: &Connection, mode: &str) -> Result<bool, StoreError> {
    let set = conn.pragma_update_and_check(Some("main"), "journal_mode", mode, |r| {
        r.get::<_, String>(0)
    });
    match set {
        Ok(now) => Ok(now == mode),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ) =>
        {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

/// The indexes and triggers of the domain tables, dropped for a bulk load (or for a merge
/// that brings many rows, [`super::merge`]) and made again after it. The only triggers there keep derived data, the search index and the
/// customers' last contacts: the load fills each in one pass instead
/// ([`search::fill_index`], [`customers::fill_last_contact`]). Any other trigger is
/// refused, since dropping it would skip what it does.
pub(super) struct BulkIndexes {
    /// `CREATE INDEX` and `CREATE TRIGGER` statements, as the schema holds them.
    sql: Vec<String>,
}

impl BulkIndexes {
    pub(super) fn drop(conn: &Connection, keep: &[&str]) -> Result<BulkIndexes, StoreError> {
        let tables: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
        let mut stmt = conn.prepare(&format!(
            "SELECT type, name, sql FROM sqlite_schema
              WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN ({})",
            vec!["?"; tables.len()].join(", ")
        ))?;
        let found = stmt
            .query_map(rusqlite::params_from_iter(&tables), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<Vec<(String, String, String)>>>()?;
        let mut sql = Vec::with_capacity(found.len());
        for (kind, name, create) in found {
            if kind == "index" && keep.contains(&name.as_str()) {
                continue;
            }
            if kind == "trigger"
                && !search::TRIGGERS.contains(&name.as_str())
                && !customers::LAST_CONTACT_TRIGGERS.contains(&name.as_str())
                && !reminders::HIDDEN_TRIGGERS.contains(&name.as_str())
            {
                return Err(StoreError::Internal(format!(
                    "a bulk load does not know what trigger {name} does"
                )));
            }
            // The name comes from the schema, not from input.
            conn.execute_batch(&format!("DROP {kind} \"{name}\""))?;
            sql.push(create);
        }
        search::clear_index(conn)?;
        customers::clear_last_contact(conn)?;
        Ok(BulkIndexes { sql })
    }

    pub(super) fn rebuild(self, conn: &Connection) -> Result<(), StoreError> {
        search::fill_index(conn)?;
        customers::fill_last_contact(conn)?;
        reminders::fill_hidden(conn)?;
        for create in &self.sql {
            conn.execute_batch(create)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Write;
    use crate::store::test_support::memory_store;

    fn count(store: &Store, sql: &str) -> i64 {
        store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    fn customer(i: usize) -> Write {
        Write::insert(Table::Customers, format!("c{i:04}"))
            .set("name", format!("Customer {i}"))
            .set("tier", "normal".to_string())
    }

    fn schema(store: &Store) -> Vec<String> {
        let mut stmt = store
            .conn()
            .prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn a_bulk_load_builds_the_indexes_again_and_a_failed_one_leaves_nothing() {
        let mut store = memory_store();
        let before = schema(&store);
        let clocks = count(&store, "SELECT count(*) FROM field_clock");
        let failed: Result<(), StoreError> = store.bulk_load(|s| {
            s.apply("some", (0..300).map(customer).collect())?;
            Err(StoreError::Invalid("stop".into()))
        });
        assert!(failed.is_err());
        assert_eq!(count(&store, "SELECT count(*) FROM customers"), 0);
        assert_eq!(count(&store, "SELECT count(*) FROM field_clock"), clocks);
        assert_eq!(schema(&store), before);

        store
            .bulk_load(|s| s.apply("many", (0..300).map(customer).collect()))
            .unwrap();
        assert_eq!(schema(&store), before);
        assert_eq!(count(&store, "SELECT count(*) FROM customers"), 300);
        assert_eq!(
            count(
                &store,
                "SELECT count(*) FROM search_index WHERE title MATCH 'Customer 123'"
            ),
            1
        );
        // The triggers are back: a later write is indexed as it happens.
        store.apply("one", vec![customer(1000)]).unwrap();
        assert_eq!(
            count(
                &store,
                "SELECT count(*) FROM search_index WHERE title MATCH 'Customer 1000'"
            ),
            1
        );
    }

    #[test]
    fn indexes_are_dropped_only_when_a_load_asks_and_kept_ones_stay() {
        let mut store = memory_store();
        assert!(store.defer_indexes(&[]).is_err(), "outside a bulk load");
        let has_index = |s: &Store, name: &str| {
            count(
                s,
                &format!("SELECT count(*) FROM sqlite_schema WHERE name = '{name}'"),
            ) == 1
        };
        let before = schema(&store);
        store
            .bulk_load_in_place(|s| {
                assert!(has_index(s, "deals_board"), "nothing dropped yet");
                s.defer_indexes(&["deals_customer"])?;
                assert!(!has_index(s, "deals_board"));
                assert!(has_index(s, "deals_customer"));
                s.defer_indexes(&[])?;
                assert!(has_index(s, "deals_customer"), "a second call does nothing");
                s.apply("many", (0..300).map(customer).collect())
            })
            .unwrap();
        assert_eq!(schema(&store), before);
        assert_eq!(
            count(
                &store,
                "SELECT count(*) FROM search_index WHERE title MATCH 'Customer 123'"
            ),
            1
        );
    }

    #[test]
    fn a_large_write_reads_a_book_file_without_its_memory_map_and_maps_it_again_after() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.db");
        let mut store = Store::open(&path, crate::store::test_support::fixed_clock()).unwrap();
        let mapped = count(&store, "PRAGMA mmap_size");
        assert!(mapped > 0, "a book file is read through its memory map");
        let inside = store
            .bulk_load_in_place(|s| {
                s.defer_indexes(&[])?;
                s.apply("many", (0..300).map(customer).collect())?;
                Ok(s.conn()
                    .query_row("PRAGMA mmap_size", [], |r| r.get::<_, i64>(0))?)
            })
            .unwrap();
        assert_eq!(inside, 0);
        assert_eq!(count(&store, "PRAGMA mmap_size"), mapped);
        let failed: Result<(), StoreError> =
            store.bulk_load_in_place(|_| Err(StoreError::Invalid("stop".into())));
        assert!(failed.is_err());
        assert_eq!(count(&store, "PRAGMA mmap_size"), mapped);
    }

    #[test]
    fn bulk_load_restores_the_settings() {
        let mut store = memory_store();
        let before = count(&store, "PRAGMA synchronous");
        assert_ne!(before, 0);
        let inside = store
            .bulk_load(|s| {
                Ok(s.conn()
                    .query_row("PRAGMA synchronous", [], |r| r.get::<_, i64>(0))?)
            })
            .unwrap();
        assert_eq!(inside, 0);
        assert_eq!(count(&store, "PRAGMA synchronous"), before);
        let failed: Result<(), StoreError> =
            store.bulk_load(|_| Err(StoreError::Invalid("stop".into())));
        assert!(failed.is_err());
        assert_eq!(count(&store, "PRAGMA synchronous"), before);
    }
}

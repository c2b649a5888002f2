//! Bulk loading: many writes in one transaction, with the indexes and search triggers
//! dropped for the load and built once at the end — into a new database with durability
//! relaxed ([`Store::bulk_load`], the demo generator), or into the user's book with its
//! durability kept ([`Store::bulk_load_in_place`], a large import). The writes themselves still go through [`Store::apply`] and its
//! planners, so a bulk-loaded row is stamped with clocks exactly like an edited one.

use rusqlite::Connection;

use super::mutation::Table;
use super::{Store, StoreError, customers, search};

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
        let read = |pragma: &str| -> Result<i64, StoreError> {
            Ok(self
                .conn
                .query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))?)
        };
        let before = [
            ("synchronous", read("synchronous")?, 0),
            ("temp_store", read("temp_store")?, 2),
        ];
        for (pragma, _, bulk) in before {
            self.conn.pragma_update(None, pragma, bulk)?;
        }
        let wal = self.journal_mode()? == "wal" && self.set_journal_mode("delete")?;
        let result = self.load_in_one_transaction(load);
        let back = if wal {
            self.set_journal_mode("wal").map(drop)
        } else {
            Ok(())
        };
        let restored = before
            .iter()
            .try_for_each(|(pragma, old, _)| self.conn.pragma_update(None, pragma, old));
        let value = result?;
        restored?;
        back?;
        // The load changed the tables' sizes by orders of magnitude: let SQLite gather the
        // statistics its planner chooses indexes by (see `store::optimize`).
        super::optimize(&self.conn)?;
        Ok(value)
    }

    /// Like [`Store::bulk_load`], for a book that holds the user's data (a large import):
    /// the indexes are built once at the end, but the journal and `synchronous` stay as
    /// they are, so a power cut during the load leaves the book as it was before it.
    pub fn bulk_load_in_place<T>(
        &mut self,
        load: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.load_in_one_transaction(load)
    }

    fn journal_mode(&self) -> Result<String, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))?)
    }

    /// Sets the journal mode; whether SQLite took it (a file stays in WAL mode while
    /// another connection has it open).
    fn set_journal_mode(&self, mode: &str) -> Result<bool, StoreError> {
        let set = self
            .conn
            .pragma_update_and_check(None, "journal_mode", mode, |r| r.get::<_, String>(0));
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

    fn load_in_one_transaction<T>(
        &mut self,
        load: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        // Not `Connection::transaction`: its guard would borrow the connection that
        // `load` writes through. The transaction is ended below on every path.
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let loaded = BulkIndexes::drop(&self.conn).and_then(|indexes| {
            self.bulk = true;
            let value = load(self);
            self.bulk = false;
            let value = value?;
            indexes.rebuild(&self.conn)?;
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

/// The indexes and triggers of the domain tables, dropped for a bulk load and made again
/// after it. The only triggers there keep derived data, the search index and the
/// customers' last contacts: the load fills each in one pass instead
/// ([`search::fill_index`], [`customers::fill_last_contact`]). Any other trigger is
/// refused, since dropping it would skip what it does.
struct BulkIndexes {
    /// `CREATE INDEX` and `CREATE TRIGGER` statements, as the schema holds them.
    sql: Vec<String>,
}

impl BulkIndexes {
    fn drop(conn: &Connection) -> Result<BulkIndexes, StoreError> {
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
            if kind == "trigger"
                && !search::TRIGGERS.contains(&name.as_str())
                && !customers::LAST_CONTACT_TRIGGERS.contains(&name.as_str())
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

    fn rebuild(self, conn: &Connection) -> Result<(), StoreError> {
        search::fill_index(conn)?;
        customers::fill_last_contact(conn)?;
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

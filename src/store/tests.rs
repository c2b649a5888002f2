//! The store itself: opening, migrating, refusing, and all-or-nothing writes.

use super::test_support::{fixed_clock, memory_store};
use super::*;

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
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

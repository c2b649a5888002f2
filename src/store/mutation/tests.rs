//! The mutation path: batching, clocks, undo, and what is refused.

use super::*;
use crate::store::test_support::memory_store;

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn customer(i: usize) -> Write {
    Write::insert(Table::Customers, format!("c{i:04}"))
        .set("name", format!("Customer {i}"))
        .set("tier", "normal".to_string())
}

#[test]
fn a_large_change_is_written_in_batches_with_every_clock_and_undone_whole() {
    let mut store = memory_store();
    // More rows than one statement takes, then an update of one of them.
    let mut writes: Vec<Write> = (0..MAX_BATCH + 37).map(customer).collect();
    writes.push(Write::update(Table::Customers, "c0003").set("tier", "key".to_string()));
    let undo = store.apply("many", writes).unwrap();
    assert_eq!(
        count(&store, "SELECT count(*) FROM customers"),
        MAX_BATCH as i64 + 37
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM customers WHERE tier = 'key'"),
        1,
        "the update ran after the insert"
    );
    // One for each new row.
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM field_clock WHERE tbl = 'customers' AND field = '*'"
        ),
        MAX_BATCH as i64 + 37
    );
    let updated: String = store
        .conn()
        .query_row(
            "SELECT group_concat(field) FROM (SELECT field FROM field_clock
              WHERE tbl = 'customers' AND field <> '*' ORDER BY row_id, field)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    // Under the fixed clock the update's updated_at equals the insert's: no clock for it.
    assert_eq!(updated, "tier");
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM search_index WHERE kind = 'customer'"
        ),
        MAX_BATCH as i64 + 37
    );
    // Clocks follow the order of the writes.
    let clocks: Vec<String> = {
        let mut stmt = store
            .conn()
            .prepare("SELECT hlc FROM field_clock WHERE tbl = 'customers' AND field = '*' ORDER BY row_id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert!(clocks.windows(2).all(|w| w[0] < w[1]));
    assert!(store.meta("hlc").unwrap().unwrap() > *clocks.last().unwrap());

    store.undo(&undo).unwrap();
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM customers WHERE deleted_at IS NULL"
        ),
        0
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM customers WHERE tier = 'key'"),
        0,
        "the update was reverted too"
    );
    assert_eq!(count(&store, "SELECT count(*) FROM search_index"), 0);
}

#[test]
fn an_existing_id_is_named_and_nothing_is_written() {
    let mut store = memory_store();
    store.apply("one", vec![customer(7)]).unwrap();
    let before = count(&store, "SELECT count(*) FROM field_clock");
    let writes: Vec<Write> = (0..20).map(customer).collect();
    let err = store.apply("again", writes).unwrap_err();
    assert!(
        err.to_string().contains("customers c0007 already exists"),
        "{err}"
    );
    assert_eq!(count(&store, "SELECT count(*) FROM customers"), 1);
    assert_eq!(count(&store, "SELECT count(*) FROM field_clock"), before);
}

#[test]
fn unknown_and_repeated_fields_are_refused() {
    let mut store = memory_store();
    let err = store
        .apply("bad", vec![customer(1).set("colour", "red".to_string())])
        .unwrap_err();
    assert!(
        err.to_string().contains("customers has no field colour"),
        "{err}"
    );
    let mut twice = customer(2);
    twice.fields.push(("name", Value::Text("again".into())));
    let err = store.apply("bad", vec![twice]).unwrap_err();
    assert!(err.to_string().contains("set twice"), "{err}");
    assert_eq!(count(&store, "SELECT count(*) FROM customers"), 0);
}

#[test]
fn a_missing_row_is_named_in_words() {
    let mut store = memory_store();
    let err = store
        .apply(
            "edit",
            vec![Write::update(Table::Activities, "nope").set("subject", "x".to_string())],
        )
        .unwrap_err();
    assert_eq!(err.to_string(), "no activity matches 'nope'");
}

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

/// The field clocks of one row other than its row clock, as `field` names.
fn clocked_fields(store: &Store, table: &str, id: &str) -> Vec<String> {
    let mut stmt = store
        .conn()
        .prepare(
            "SELECT field FROM field_clock WHERE tbl = ?1 AND row_id = ?2 AND field <> '*'
              ORDER BY field",
        )
        .unwrap();
    stmt.query_map([table, id], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_field_written_with_its_stored_value_gets_no_clock_and_no_undo() {
    let mut store = memory_store();
    store.apply("add", vec![customer(1)]).unwrap();
    let undo = store
        .apply(
            "edit",
            vec![
                Write::update(Table::Customers, "c0001")
                    .set("name", "Customer 1".to_string())
                    .set("tier", "key".to_string()),
            ],
        )
        .unwrap();
    assert_eq!(clocked_fields(&store, "customers", "c0001"), ["tier"]);
    assert_eq!(
        undo.writes,
        [Write::update(Table::Customers, "c0001").set("tier", "normal".to_string())]
    );
}

#[test]
fn an_update_that_changes_nothing_but_updated_at_is_dropped() {
    let mut store = memory_store();
    // Inserted "an hour ago", so that a write now would move updated_at.
    let hour_ago = store.now_millis() - 3_600_000;
    store
        .apply(
            "add",
            vec![
                customer(1)
                    .set("created_at", hour_ago)
                    .set("updated_at", hour_ago),
            ],
        )
        .unwrap();
    let clocks = count(&store, "SELECT count(*) FROM field_clock");
    let hlc = store.meta("hlc").unwrap();
    let undo = store
        .apply(
            "same",
            vec![
                Write::update(Table::Customers, "c0001")
                    .set("name", "Customer 1".to_string())
                    .set("satisfaction", None::<i64>),
            ],
        )
        .unwrap();
    assert!(undo.writes.is_empty());
    assert_eq!(count(&store, "SELECT count(*) FROM field_clock"), clocks);
    assert_eq!(
        count(
            &store,
            "SELECT updated_at FROM customers WHERE id = 'c0001'"
        ),
        hour_ago,
        "updated_at did not move"
    );
    // The clock in meta may have ticked (it is only ever ahead), but nothing carries it.
    assert!(store.meta("hlc").unwrap() >= hlc);

    // A real change writes the field and moves updated_at, each with a clock.
    store
        .apply(
            "tier",
            vec![Write::update(Table::Customers, "c0001").set("tier", "key".to_string())],
        )
        .unwrap();
    assert_eq!(
        clocked_fields(&store, "customers", "c0001"),
        ["tier", "updated_at"]
    );
    assert_eq!(
        count(
            &store,
            "SELECT updated_at FROM customers WHERE id = 'c0001'"
        ),
        store.now_millis()
    );
}

#[test]
fn values_compare_as_sqlite_stores_them() {
    let mut store = memory_store();
    store.apply("add", vec![customer(1)]).unwrap();
    store
        .apply(
            "deal",
            vec![
                Write::insert(Table::Deals, "d1")
                    .set("title", "Gearbox".to_string())
                    .set("customer_id", "c0001".to_string())
                    .set("stage_id", "stage-lead".to_string())
                    .set("amount_minor", 1_200_000_i64)
                    .set("currency", "EUR".to_string())
                    .set("position", -5.0_f64),
            ],
        )
        .unwrap();
    // 1200000.0 in an INTEGER column and -5 in a REAL one are the values stored; NULL is
    // NULL. None of them is a change.
    let undo = store
        .apply(
            "same",
            vec![
                Write::update(Table::Deals, "d1")
                    .set("amount_minor", 1_200_000.0_f64)
                    .set("position", -5_i64)
                    .set("expected_close", None::<String>)
                    .set("closed_at", None::<i64>),
            ],
        )
        .unwrap();
    assert!(undo.writes.is_empty(), "{undo:?}");
    assert!(clocked_fields(&store, "deals", "d1").is_empty());
    // NULL to a value and a value to NULL are changes.
    let undo = store
        .apply(
            "close",
            vec![
                Write::update(Table::Deals, "d1")
                    .set("expected_close", "2027-01-31".to_string())
                    .set("position", -6.0_f64),
            ],
        )
        .unwrap();
    assert_eq!(
        clocked_fields(&store, "deals", "d1"),
        ["expected_close", "position"]
    );
    store.undo(&undo).unwrap();
    let back: Option<String> = store
        .conn()
        .query_row(
            "SELECT expected_close FROM deals WHERE id = 'd1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(back, None);
}

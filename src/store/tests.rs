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

/// What `customer_last_contact` must always hold: each customer's latest done, live
/// activity, as the activities say.
fn last_contacts_from_activities(store: &Store) -> Vec<(String, i64)> {
    let mut stmt = store
        .conn()
        .prepare(
            "SELECT customer_id, max(done_at) FROM activities
              WHERE customer_id IS NOT NULL AND done_at IS NOT NULL AND deleted_at IS NULL
              GROUP BY customer_id ORDER BY customer_id",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn last_contacts_kept(store: &Store) -> Vec<(String, i64)> {
    let mut stmt = store
        .conn()
        .prepare("SELECT customer_id, at FROM customer_last_contact ORDER BY customer_id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// One write to the activities, of the kinds that can move a last contact.
#[derive(Debug, Clone)]
enum ActivityOp {
    Log {
        customer: Option<usize>,
        done_at: Option<i64>,
    },
    MoveTo {
        activity: usize,
        customer: Option<usize>,
    },
    SetDone {
        activity: usize,
        done_at: Option<i64>,
    },
    Delete {
        activity: usize,
        deleted: bool,
    },
    Undo,
}

fn activity_op() -> impl proptest::strategy::Strategy<Value = ActivityOp> {
    use proptest::prelude::*;
    let customer = proptest::option::of(0usize..3);
    let done = proptest::option::of(1i64..6);
    prop_oneof![
        (customer.clone(), done.clone())
            .prop_map(|(customer, done_at)| ActivityOp::Log { customer, done_at }),
        (0usize..8, customer)
            .prop_map(|(activity, customer)| ActivityOp::MoveTo { activity, customer }),
        (0usize..8, done).prop_map(|(activity, done_at)| ActivityOp::SetDone { activity, done_at }),
        (0usize..8, any::<bool>())
            .prop_map(|(activity, deleted)| ActivityOp::Delete { activity, deleted }),
        Just(ActivityOp::Undo),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// The last contacts the triggers keep equal a recomputation after any run of logs,
    /// moves between customers, done-time changes, deletions and undos.
    #[test]
    fn last_contact_is_what_the_activities_say(ops in proptest::collection::vec(activity_op(), 1..40)) {
        let mut store = memory_store();
        let customers = ["c0", "c1", "c2"];
        let writes: Vec<Write> = customers
            .iter()
            .map(|id| Write::insert(Table::Customers, *id).set("name", id.to_string()).set("tier", "normal".to_string()))
            .collect();
        store.apply("setup", writes).unwrap();
        let mut activities: Vec<String> = Vec::new();
        let mut undos = Vec::new();
        for op in ops {
            let at = |day: i64| day * 86_400_000;
            let write = match op {
                ActivityOp::Log { customer, done_at } => {
                    let id = format!("a{}", activities.len());
                    activities.push(id.clone());
                    Write::insert(Table::Activities, id)
                        .set("kind", "call".to_string())
                        .set("subject", "Call".to_string())
                        .set("customer_id", customer.map(|c| customers[c].to_string()))
                        .set("done_at", done_at.map(at))
                }
                ActivityOp::MoveTo { activity, customer } if activity < activities.len() => {
                    Write::update(Table::Activities, activities[activity].clone())
                        .set("customer_id", customer.map(|c| customers[c].to_string()))
                }
                ActivityOp::SetDone { activity, done_at } if activity < activities.len() => {
                    Write::update(Table::Activities, activities[activity].clone())
                        .set("done_at", done_at.map(at))
                }
                ActivityOp::Delete { activity, deleted } if activity < activities.len() => {
                    Write::update(Table::Activities, activities[activity].clone())
                        .set("deleted_at", deleted.then_some(at(9)))
                }
                ActivityOp::Undo => {
                    if let Some(undo) = undos.pop() {
                        store.undo(&undo).unwrap();
                    }
                    continue;
                }
                _ => continue,
            };
            undos.push(store.apply("write", vec![write]).unwrap());
            proptest::prop_assert_eq!(last_contacts_kept(&store), last_contacts_from_activities(&store));
        }
    }
}

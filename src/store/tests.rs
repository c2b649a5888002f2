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
fn a_new_book_is_named_in_its_language_with_the_same_ids() {
    use crate::i18n::{Lang, use_in_thread};
    use_in_thread(Lang::ZhCn);
    let zh = memory_store();
    let settings = crate::config::Settings::default();
    use_in_thread(Lang::En);
    let stages = stages::list(zh.conn()).unwrap();
    let names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["线索", "需求确认", "方案报价", "商务谈判"]);
    let ids: Vec<&str> = stages.iter().map(|s| s.id.as_str()).collect();
    let fixed: Vec<&str> = crate::domain::stage::DEFAULT_STAGES
        .iter()
        .map(|(id, ..)| *id)
        .collect();
    assert_eq!(
        ids, fixed,
        "ids stay fixed, so teammates' fresh books agree"
    );
    let pipeline = pipelines::get(zh.conn(), crate::domain::stage::DEFAULT_PIPELINE.0).unwrap();
    assert_eq!(pipeline.name, "销售");
    assert_eq!(settings.lost_reasons[0], "价格");
    // English names are the table's own.
    let en = memory_store();
    let pipeline = pipelines::get(en.conn(), crate::domain::stage::DEFAULT_PIPELINE.0).unwrap();
    assert_eq!(pipeline.name, "Sales");
    assert_eq!(crate::config::Settings::default().lost_reasons[0], "price");
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

#[test]
fn a_copied_file_takes_a_site_id_of_its_own_and_the_original_keeps_its() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let original = Store::open(&path, fixed_clock()).unwrap();
    let site = original.site_id().to_string();
    let copy_path = dir.path().join("restored.db");
    original.backup_to(&copy_path).unwrap();
    drop(original);
    let copy = Store::open(&copy_path, fixed_clock()).unwrap();
    assert_ne!(copy.site_id(), site);
    assert_eq!(copy.site_id().len(), 16);
    let copy_site = copy.site_id().to_string();
    // The original's site is the copy's member's still: what it wrote is signed as theirs.
    let sites = crate::store::teamfile::sites(copy.conn()).unwrap();
    assert!(
        sites.contains(&(site.clone(), copy.member_id().to_string())),
        "{sites:?}"
    );
    drop(copy);
    // Each keeps its site id from then on, renamed or not.
    assert_eq!(Store::open(&path, fixed_clock()).unwrap().site_id(), site);
    let moved = dir.path().join("moved.db");
    std::fs::rename(&copy_path, &moved).unwrap();
    assert_eq!(
        Store::open(&moved, fixed_clock()).unwrap().site_id(),
        copy_site
    );
}

#[test]
fn a_database_from_before_file_identities_keeps_its_site_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let site = Store::open(&path, fixed_clock())
        .unwrap()
        .site_id()
        .to_string();
    Connection::open(&path)
        .unwrap()
        .execute("DELETE FROM meta WHERE key = ?1", [SITE_FILE])
        .unwrap();
    assert_eq!(Store::open(&path, fixed_clock()).unwrap().site_id(), site);
}

#[test]
fn a_store_opened_for_reading_refuses_writes_and_leaves_the_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let mut writer = Store::open(&path, fixed_clock()).unwrap();
    let id = test_support::add_customer(&mut writer, "ACME");
    let site = writer.site_id().to_string();
    // Another connection's write under way does not keep the reader waiting.
    writer
        .conn()
        .execute_batch("BEGIN IMMEDIATE; UPDATE customers SET name = 'held' WHERE 1;")
        .unwrap();
    let mut reader = Store::open_read(&path, fixed_clock()).unwrap();
    assert!(reader.is_read_only());
    assert_eq!(reader.site_id(), site);
    let name: String = reader
        .conn()
        .query_row("SELECT name FROM customers WHERE id = ?1", [&id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(name, "ACME");
    let err = test_support::try_set(&mut reader, &id, "name", "Globex").unwrap_err();
    assert!(err.to_string().contains("only reads"), "{err}");
    writer.conn().execute_batch("ROLLBACK").unwrap();
}

#[test]
fn a_database_still_to_be_set_up_is_opened_for_reading_as_a_writer_would() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    drop(test_support::database_at_version(&path, 1));
    let store = Store::open_read(&path, fixed_clock()).unwrap();
    assert_eq!(count(&store, "PRAGMA user_version"), SCHEMA_VERSION);
    assert_eq!(count(&store, "SELECT count(*) FROM stages"), 4);
}

#[test]
fn sqlites_file_system_errors_are_said_in_words_to_act_on() {
    let err = |code: i32| {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), Some("x".into()))
    };
    let path = Path::new("/data/book.db");
    // SQLITE_IOERR_SHMSIZE: no room for the -shm file of a full disk.
    let shm = file::explain(path, &err(4874)).unwrap();
    assert!(
        shm.contains("/data/book.db-shm") && shm.contains("disk full"),
        "{shm}"
    );
    // SQLITE_READONLY_DIRECTORY.
    let ro = file::explain(path, &err(1544)).unwrap();
    assert!(ro.contains("read-only") && ro.contains("/data"), "{ro}");
    assert!(file::explain(path, &err(13)).unwrap().contains("is full"));
    assert!(
        file::explain(path, &err(5))
            .unwrap()
            .contains("another program")
    );
    assert_eq!(file::explain(path, &err(19)), None);
}

#[test]
fn a_failed_migration_says_why_without_its_sql() {
    let e = rusqlite::Error::SqlInputError {
        error: rusqlite::ffi::Error::new(1),
        msg: "table meta already exists".into(),
        sql: "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);".into(),
        offset: 0,
    };
    let text = migration_failed(0, &e).to_string();
    assert!(text.contains("table meta already exists"), "{text}");
    assert!(!text.contains("CREATE"), "{text}");
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

#[test]
fn a_schema_4_book_keeps_its_stages_and_deals_as_the_sales_pipeline() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let conn = test_support::database_at_version(&path, 4);
        conn.execute_batch(
            "INSERT INTO stages (id, name, position, probability, rot_days, created_at, updated_at)
             VALUES ('stage-lead', 'Lead', 0, 10, 14, 1, 1),
                    ('s-demo', 'Demo', 1, 30, 9, 1, 1),
                    ('s-gone', 'Gone', 2, 50, 9, 1, 1);
             UPDATE stages SET deleted_at = 2 WHERE id = 's-gone';
             INSERT INTO customers (id, name, created_at, updated_at) VALUES ('c1', 'ACME', 1, 1);
             INSERT INTO deals (id, title, customer_id, stage_id, currency, created_at, updated_at)
             VALUES ('d1', 'ACME renewal', 'c1', 's-demo', 'EUR', 1, 1);",
        )
        .unwrap();
    }
    let store = Store::open(&path, fixed_clock()).unwrap();
    assert_eq!(count(&store, "PRAGMA user_version"), SCHEMA_VERSION);
    let all = pipelines::list(store.conn()).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(
        (all[0].id.as_str(), all[0].name.as_str()),
        crate::domain::stage::DEFAULT_PIPELINE
    );
    let stages = stages::list(store.conn()).unwrap();
    let shown: Vec<(&str, i64, i64, &str)> = stages
        .iter()
        .map(|s| {
            (
                s.name.as_str(),
                s.probability,
                s.rot_days,
                s.pipeline_id.as_str(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            ("Lead", 10, 14, "pipeline-sales"),
            ("Demo", 30, 9, "pipeline-sales")
        ]
    );
    // Nothing moved, and nothing was added to a book that had stages.
    assert_eq!(
        deals::get(store.conn(), "d1").unwrap().stage_id,
        "s-demo".to_string()
    );
    assert_eq!(count(&store, "SELECT count(*) FROM stages"), 3);
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM stages WHERE moved_to IS NOT NULL"
        ),
        0
    );
}

/// The customers board's column heads (count and lifetime value of won deals in the
/// default currency) are what a customer-by-customer sum gives, for both groupings, with
/// a filter, a deleted won deal and won deals in another currency.
#[test]
fn group_totals_are_the_sum_of_each_customers_won_deals() {
    use customers::{Filter, Grouping, group_totals};
    let mut store = memory_store();
    crate::demo::generate(&mut store, None).unwrap();
    let conn = store.conn();
    // A won deal deleted, and one in another currency: neither counts in EUR.
    conn.execute_batch(
        "UPDATE deals SET deleted_at = 1 WHERE id = (SELECT min(id) FROM deals WHERE status = 'won');
         UPDATE deals SET currency = 'USD' WHERE id = (SELECT max(id) FROM deals WHERE status = 'won');",
    )
    .unwrap();
    let one_by_one =
        |key: &str, text: Option<&str>, currency: &str| -> Vec<(String, usize, i128)> {
            let sql = format!(
                "SELECT {key}, count(*),
                    total((SELECT total(d.amount_minor) FROM deals d
                            WHERE d.customer_id = c.id AND d.status = 'won'
                              AND d.deleted_at IS NULL AND d.currency = ?2))
               FROM customers c
              WHERE c.deleted_at IS NULL AND (?1 IS NULL OR instr(lower(c.name), ?1))
              GROUP BY {key} ORDER BY {key}"
            );
            let mut stmt = conn.prepare(&sql).unwrap();
            stmt.query_map(rusqlite::params![text, currency], |r| {
                Ok((
                    r.get(0)?,
                    r.get::<_, i64>(1)? as usize,
                    r.get::<_, f64>(2)? as i128,
                ))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
        };
    let mut checked = 0;
    for (grouping, key) in [(Grouping::Status, "c.status"), (Grouping::Tier, "c.tier")] {
        for text in [None, Some("acme")] {
            for currency in ["EUR", "USD"] {
                let filter = Filter {
                    text: text.map(str::to_string),
                    ..Filter::default()
                };
                let mut got: Vec<(String, usize, i128)> =
                    group_totals(conn, grouping, &filter, currency)
                        .unwrap()
                        .into_iter()
                        .map(|(k, t)| (k, t.count, t.lifetime_minor))
                        .collect();
                got.sort();
                let want = one_by_one(key, text, currency);
                assert!(want.iter().any(|(_, n, _)| *n > 0));
                assert_eq!(got, want, "{key} {text:?} {currency}");
                checked += want.iter().filter(|(_, _, won)| *won > 0).count();
            }
        }
    }
    assert!(checked > 0, "some group has won deals");
}

/// What `reminder_hidden` must always hold: the open reminders that do not count,
/// worked out from the rows by its rule.
fn hidden_from_rows(store: &Store) -> Vec<(String, i64, Option<String>)> {
    let sql = format!("{} ORDER BY 1", reminders::HIDDEN);
    let mut stmt = store.conn().prepare(&sql).unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn hidden_kept(store: &Store) -> Vec<(String, i64, Option<String>)> {
    let mut stmt = store
        .conn()
        .prepare("SELECT activity_id, due_at, owner_id FROM reminder_hidden ORDER BY 1")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// One write that can hide or show a reminder.
#[derive(Debug, Clone)]
enum HiddenOp {
    Schedule {
        deal: Option<usize>,
        customer: Option<usize>,
        due: i64,
    },
    SetDone {
        activity: usize,
        done: bool,
    },
    MoveReminder {
        activity: usize,
        deal: Option<usize>,
        customer: Option<usize>,
        due: i64,
    },
    DeleteReminder {
        activity: usize,
        deleted: bool,
    },
    DealStatus {
        deal: usize,
        status: &'static str,
    },
    DeleteDeal {
        deal: usize,
        deleted: bool,
    },
    DeleteCustomer {
        customer: usize,
        deleted: bool,
    },
    Undo,
}

fn hidden_op() -> impl proptest::strategy::Strategy<Value = HiddenOp> {
    use proptest::prelude::*;
    let deal = proptest::option::of(0usize..3);
    let customer = proptest::option::of(0usize..2);
    prop_oneof![
        (deal.clone(), customer.clone(), 1i64..6).prop_map(|(deal, customer, due)| {
            HiddenOp::Schedule {
                deal,
                customer,
                due,
            }
        }),
        (0usize..8, any::<bool>())
            .prop_map(|(activity, done)| HiddenOp::SetDone { activity, done }),
        (0usize..8, deal, customer, 1i64..6).prop_map(|(activity, deal, customer, due)| {
            HiddenOp::MoveReminder {
                activity,
                deal,
                customer,
                due,
            }
        }),
        (0usize..8, any::<bool>())
            .prop_map(|(activity, deleted)| HiddenOp::DeleteReminder { activity, deleted }),
        (
            0usize..3,
            prop_oneof![Just("open"), Just("won"), Just("lost")]
        )
            .prop_map(|(deal, status)| HiddenOp::DealStatus { deal, status }),
        (0usize..3, any::<bool>())
            .prop_map(|(deal, deleted)| HiddenOp::DeleteDeal { deal, deleted }),
        (0usize..2, any::<bool>())
            .prop_map(|(customer, deleted)| HiddenOp::DeleteCustomer { customer, deleted }),
        Just(HiddenOp::Undo),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// The hidden reminders the triggers keep equal a recomputation after any run of
    /// schedules, completions, moves, deletions of reminders, deals and customers, deal
    /// wins and losses, and undos; and the counts agree with probing each reminder.
    #[test]
    fn hidden_reminders_are_what_the_rows_say(ops in proptest::collection::vec(hidden_op(), 1..40)) {
        let mut store = memory_store();
        let stage = stages::list(store.conn()).unwrap()[0].id.clone();
        let customers = ["c0", "c1"];
        let deals = ["d0", "d1", "d2"];
        let mut writes: Vec<Write> = customers
            .iter()
            .map(|id| Write::insert(Table::Customers, *id).set("name", id.to_string()).set("tier", "normal".to_string()))
            .collect();
        for (i, id) in deals.iter().enumerate() {
            writes.push(
                Write::insert(Table::Deals, *id)
                    .set("title", id.to_string())
                    .set("customer_id", customers[i % 2].to_string())
                    .set("stage_id", stage.clone())
                    .set("currency", "EUR".to_string()),
            );
        }
        store.apply("setup", writes).unwrap();
        let day = |d: i64| d * 86_400_000;
        let mut activities: Vec<String> = Vec::new();
        let mut undos = Vec::new();
        for op in ops {
            let write = match op {
                HiddenOp::Schedule { deal, customer, due } => {
                    let id = format!("a{}", activities.len());
                    activities.push(id.clone());
                    Write::insert(Table::Activities, id)
                        .set("kind", "call".to_string())
                        .set("subject", "Call".to_string())
                        .set("deal_id", deal.map(|d| deals[d].to_string()))
                        .set("customer_id", customer.map(|c| customers[c].to_string()))
                        .set("due_at", Some(day(due)))
                }
                HiddenOp::SetDone { activity, done } if activity < activities.len() => {
                    Write::update(Table::Activities, activities[activity].clone())
                        .set("done_at", done.then_some(day(2)))
                }
                HiddenOp::MoveReminder { activity, deal, customer, due } if activity < activities.len() => {
                    Write::update(Table::Activities, activities[activity].clone())
                        .set("deal_id", deal.map(|d| deals[d].to_string()))
                        .set("customer_id", customer.map(|c| customers[c].to_string()))
                        .set("due_at", Some(day(due)))
                }
                HiddenOp::DeleteReminder { activity, deleted } if activity < activities.len() => {
                    Write::update(Table::Activities, activities[activity].clone())
                        .set("deleted_at", deleted.then_some(day(9)))
                }
                HiddenOp::DealStatus { deal, status } => {
                    Write::update(Table::Deals, deals[deal]).set("status", status.to_string())
                }
                HiddenOp::DeleteDeal { deal, deleted } => {
                    Write::update(Table::Deals, deals[deal]).set("deleted_at", deleted.then_some(day(9)))
                }
                HiddenOp::DeleteCustomer { customer, deleted } => {
                    Write::update(Table::Customers, customers[customer])
                        .set("deleted_at", deleted.then_some(day(9)))
                }
                HiddenOp::Undo => {
                    if let Some(undo) = undos.pop() {
                        store.undo(&undo).unwrap();
                    }
                    proptest::prop_assert_eq!(hidden_kept(&store), hidden_from_rows(&store));
                    continue;
                }
                _ => continue,
            };
            undos.push(store.apply("write", vec![write]).unwrap());
            proptest::prop_assert_eq!(hidden_kept(&store), hidden_from_rows(&store));
            // The counts (open reminders less the hidden ones) are those of probing each.
            let probed: i64 = store.conn().query_row(
                "SELECT count(*) FROM activities a
                  WHERE a.done_at IS NULL AND a.due_at IS NOT NULL AND a.deleted_at IS NULL
                    AND a.due_at < ?1
                    AND (a.deal_id IS NULL OR EXISTS (SELECT 1 FROM deals d
                         WHERE d.id = a.deal_id AND d.deleted_at IS NULL AND d.status != 'lost'))
                    AND NOT EXISTS (SELECT 1 FROM customers c
                         WHERE c.id = a.customer_id AND c.deleted_at IS NOT NULL)",
                [day(3)],
                |r| r.get(0),
            ).unwrap();
            let summary = reminders::summary(store.conn(), day(3), day(4), None).unwrap();
            proptest::prop_assert_eq!(summary.overdue as i64, probed);
        }
    }
}

/// A bulk load writes without the triggers; the hidden reminders are worked out at its
/// end, and the triggers keep them from there.
#[test]
fn a_bulk_load_fills_the_hidden_reminders() {
    let mut store = memory_store();
    let stage = stages::list(store.conn()).unwrap()[0].id.clone();
    let reminder = |id: &str, deal: Option<&str>, customer: &str| {
        Write::insert(Table::Activities, id)
            .set("kind", "call".to_string())
            .set("subject", "Call".to_string())
            .set("deal_id", deal.map(str::to_string))
            .set("customer_id", Some(customer.to_string()))
            .set("due_at", Some(86_400_000i64))
    };
    store
        .bulk_load(|s| {
            s.apply(
                "load",
                vec![
                    Write::insert(Table::Customers, "gone")
                        .set("name", "Gone".to_string())
                        .set("tier", "normal".to_string())
                        .set("deleted_at", Some(5i64)),
                    Write::insert(Table::Customers, "here")
                        .set("name", "Here".to_string())
                        .set("tier", "normal".to_string()),
                    Write::insert(Table::Deals, "lost")
                        .set("title", "Lost".to_string())
                        .set("customer_id", "here".to_string())
                        .set("stage_id", stage.clone())
                        .set("currency", "EUR".to_string())
                        .set("status", "lost".to_string()),
                    reminder("on-gone", None, "gone"),
                    reminder("on-lost", Some("lost"), "here"),
                    reminder("live", None, "here"),
                ],
            )?;
            Ok(())
        })
        .unwrap();
    let kept = |store: &Store| -> Vec<String> {
        hidden_kept(store)
            .into_iter()
            .map(|(id, _, _)| id)
            .collect()
    };
    assert_eq!(kept(&store), ["on-gone", "on-lost"]);
    store
        .apply(
            "reopen",
            vec![Write::update(Table::Deals, "lost").set("status", "open".to_string())],
        )
        .unwrap();
    assert_eq!(kept(&store), ["on-gone"]);
    assert_eq!(hidden_kept(&store), hidden_from_rows(&store));
}

#[test]
fn a_customers_activities_are_its_own_and_its_deals_read_through_indexes() {
    let mut store = memory_store();
    crate::demo::generate(&mut store, None).unwrap();
    let conn = store.conn();
    // One of a customer's deals deleted: its activities stay in the history, as before.
    // And activities about a deal that name no customer of their own (the demo's all do),
    // found only through their deal.
    conn.execute_batch(
        "UPDATE deals SET deleted_at = 1 WHERE id = (SELECT min(deal_id) FROM activities);
         UPDATE activities SET customer_id = NULL WHERE deal_id IS NOT NULL AND rowid % 3 = 0;",
    )
    .unwrap();
    // What the history was before it was written for the indexes: through the joined deal.
    let joined = |customer: &str| -> Vec<String> {
        let mut stmt = conn
            .prepare(
                "SELECT a.id FROM activities a LEFT JOIN deals d ON d.id = a.deal_id
                  WHERE (a.customer_id = ?1 OR d.customer_id = ?1) AND a.deleted_at IS NULL
                  ORDER BY coalesce(a.done_at, a.due_at, a.created_at) DESC, a.id DESC",
            )
            .unwrap();
        stmt.query_map([customer], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let customers: Vec<String> = conn
        .prepare("SELECT id FROM customers ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut with_deal_activities = 0;
    for customer in &customers {
        let want = joined(customer);
        let got: Vec<String> = activities::for_customer(conn, customer, i64::MAX)
            .unwrap()
            .into_iter()
            .map(|a| a.activity.id)
            .collect();
        assert_eq!(got, want, "{customer}");
        let listed = activities::list(
            conn,
            &activities::Filter {
                customer_id: Some(customer.clone()),
                ..activities::Filter::default()
            },
        )
        .unwrap();
        assert!(listed.iter().all(|a| want.contains(&a.activity.id)));
        with_deal_activities += got
            .iter()
            .filter(|id| {
                conn.query_row(
                    "SELECT customer_id IS NULL FROM activities WHERE id = ?1",
                    [id],
                    |r| r.get::<_, bool>(0),
                )
                .unwrap()
            })
            .count();
    }
    assert!(with_deal_activities > 0);

    let plan = super::test_support::query_plan(
        conn,
        &format!(
            "SELECT a.id FROM activities a WHERE {}",
            activities::of_customer("?1")
        ),
        ["x"],
    );
    assert!(!plan.iter().any(|p| p.starts_with("SCAN")), "{plan:?}");
}

/// The add-a-reminder form's lookup: every open deal of a live customer and every live
/// customer whose title holds each term, and nothing else (closed or deleted deals,
/// deleted customers, contacts, activities), for short and long terms.
#[test]
fn reminder_subjects_are_the_open_deals_and_live_customers_named() {
    let mut store = memory_store();
    crate::demo::generate(&mut store, None).unwrap();
    let conn = store.conn();
    conn.execute_batch(
        "UPDATE deals SET deleted_at = 1 WHERE id = (SELECT min(id) FROM deals WHERE status = 'open');
         UPDATE customers SET deleted_at = 1 WHERE id = (SELECT customer_id FROM deals
                                                          WHERE status = 'open' LIMIT 1 OFFSET 7);",
    )
    .unwrap();
    let named = |term: &str| -> Vec<(search::HitKind, String)> {
        let pattern = format!("%{term}%");
        let mut stmt = conn
            .prepare(
                "SELECT 'deal', d.title FROM deals d JOIN customers c ON c.id = d.customer_id
                  WHERE d.status = 'open' AND d.deleted_at IS NULL AND c.deleted_at IS NULL
                    AND d.title LIKE ?1
                 UNION ALL
                 SELECT 'customer', name FROM customers WHERE deleted_at IS NULL AND name LIKE ?1",
            )
            .unwrap();
        let mut rows: Vec<(search::HitKind, String)> = stmt
            .query_map([pattern], |r| {
                let kind: String = r.get(0)?;
                let kind = if kind == "deal" {
                    search::HitKind::Deal
                } else {
                    search::HitKind::Customer
                };
                Ok((kind, r.get(1)?))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        rows.sort();
        rows
    };
    let mut checked = 0;
    for term in ["a", "Co", "ren", "RENEWAL", "acme", "zzz"] {
        let mut got: Vec<(search::HitKind, String)> = search::subjects(conn, term, 100_000)
            .unwrap()
            .into_iter()
            .map(|s| (s.kind, s.name))
            .collect();
        got.sort();
        let want = named(term);
        assert_eq!(got, want, "{term}");
        checked += want.len();
        let first = search::subjects(conn, term, 5).unwrap();
        assert_eq!(first.len(), want.len().min(5), "{term}: a page of five");
    }
    assert!(checked > 0, "some term names something");
    // Two terms must both be in the title; quotes are searched for, not parsed.
    let both = search::subjects(conn, "agree fr", 100_000).unwrap();
    assert!(!both.is_empty());
    assert!(both.iter().all(|s| {
        let t = s.name.to_lowercase();
        t.contains("agree") && t.contains("fr")
    }));
    assert!(search::subjects(conn, "\"ren", 5).unwrap().is_empty());
}

/// A change to a deal, for [`closed_figures_are_kept_only_while_no_closed_deal_changed`].
#[derive(Debug, Clone)]
enum DealOp {
    Move { deal: usize, stage: usize },
    Win(usize),
    Lose(usize),
    Reopen(usize),
    Delete(usize),
    Restore(usize),
    Amount { deal: usize, amount: i64 },
    Undo,
}

fn deal_op() -> impl proptest::strategy::Strategy<Value = DealOp> {
    use proptest::prelude::*;
    let deal = 0usize..8;
    prop_oneof![
        3 => (deal.clone(), 0usize..4).prop_map(|(deal, stage)| DealOp::Move { deal, stage }),
        1 => deal.clone().prop_map(DealOp::Win),
        1 => deal.clone().prop_map(DealOp::Lose),
        1 => deal.clone().prop_map(DealOp::Reopen),
        1 => deal.clone().prop_map(DealOp::Delete),
        1 => deal.clone().prop_map(DealOp::Restore),
        1 => (deal, 1i64..1_000_000).prop_map(|(deal, amount)| DealOp::Amount { deal, amount }),
        2 => Just(DealOp::Undo),
    ]
}

/// Everything the boards keep while `Store::changes_but_moves` stands still: the Won and
/// Lost heads (all, and one owner's), each customer's won amounts, and the customers
/// board's heads by status and by tier.
type KeptFigures = (
    Vec<deals::ColumnTotals>,
    Vec<(String, i128)>,
    Vec<Vec<(String, customers::GroupTotals)>>,
);

fn closed_figures(store: &Store) -> KeptFigures {
    use crate::domain::deal::DealStatus;
    let conn = store.conn();
    let owner: Option<String> = conn
        .query_row("SELECT min(owner_id) FROM deals", [], |r| r.get(0))
        .unwrap();
    let mut won: Vec<(String, i128)> = customers::won_by_customer(conn, "EUR")
        .unwrap()
        .into_iter()
        .collect();
    won.sort();
    let mut heads = Vec::new();
    for owner in [None, owner.as_deref()] {
        for status in [DealStatus::Won, DealStatus::Lost] {
            heads.push(deals::closed_totals(conn, status, owner, None).unwrap());
        }
    }
    let filter = customers::Filter::default();
    let groups = [customers::Grouping::Status, customers::Grouping::Tier]
        .into_iter()
        .map(|grouping| {
            let mut totals = customers::group_totals(conn, grouping, &filter, "EUR").unwrap();
            totals.sort_by(|a, b| a.0.cmp(&b.0));
            totals
        })
        .collect();
    (heads, won, groups)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
    /// The figures over the closed deals that the boards keep between reads are kept only
    /// while they are right: after any run of stage moves, wins, losses, reopenings,
    /// deletions, amount edits and undos, whenever `changes_but_moves` has not moved
    /// since they were counted, counting them again gives the same figures.
    #[test]
    fn closed_figures_are_kept_only_while_no_closed_deal_changed(
        ops in proptest::collection::vec(deal_op(), 1..30)
    ) {
        let mut store = memory_store();
        crate::demo::generate(&mut store, None).unwrap();
        let stages = stages::list(store.conn()).unwrap();
        // Open and closed deals alike.
        let ids: Vec<String> = {
            let mut stmt = store
                .conn()
                .prepare("SELECT id FROM deals ORDER BY status, id LIMIT 4")
                .unwrap();
            let mut ids: Vec<String> =
                stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
            let mut stmt = store
                .conn()
                .prepare("SELECT id FROM deals ORDER BY status DESC, id LIMIT 4")
                .unwrap();
            ids.extend(stmt.query_map([], |r| r.get::<_, String>(0)).unwrap().map(Result::unwrap));
            ids
        };
        let mut undos: Vec<Undo> = Vec::new();
        let mut kept = (store.changes_but_moves(), closed_figures(&store));
        for op in ops {
            let done = match op {
                DealOp::Move { deal, stage } => {
                    crate::usecase::deals::move_to_stage(&mut store, &ids[deal], &stages[stage])
                        .map(|m| m.undo)
                }
                DealOp::Win(deal) => crate::usecase::deals::win(&mut store, &ids[deal]).map(|m| m.undo),
                DealOp::Lose(deal) => {
                    crate::usecase::deals::lose(&mut store, &ids[deal], "price").map(|m| m.undo)
                }
                DealOp::Reopen(deal) => {
                    crate::usecase::deals::reopen(&mut store, &ids[deal], None).map(|m| m.undo)
                }
                DealOp::Delete(deal) => crate::usecase::deals::delete(&mut store, &ids[deal]),
                DealOp::Restore(deal) => crate::usecase::deals::restore(&mut store, &ids[deal]),
                DealOp::Amount { deal, amount } => store.apply(
                    "amount",
                    vec![Write::update(Table::Deals, ids[deal].clone()).set("amount_minor", amount)],
                ),
                DealOp::Undo => match undos.pop() {
                    Some(undo) => store.undo(&undo).map(|_| Undo {
                        label: String::new(),
                        writes: Vec::new(),
                        reopens: None,
                    }),
                    None => continue,
                },
            };
            if let Ok(undo) = done
                && !undo.writes.is_empty()
            {
                undos.push(undo);
            }
            if store.changes_but_moves() == kept.0 {
                proptest::prop_assert_eq!(&closed_figures(&store), &kept.1);
            } else {
                kept = (store.changes_but_moves(), closed_figures(&store));
            }
        }
    }
}

/// Moving an open deal, and undoing the move, leave `changes_but_moves` where it was;
/// winning one moves it.
#[test]
fn only_changes_to_closed_deals_count_as_changes_to_closed_deals() {
    let mut store = memory_store();
    crate::demo::generate(&mut store, None).unwrap();
    let stages = stages::list(store.conn()).unwrap();
    let open: String = store
        .conn()
        .query_row(
            "SELECT id FROM deals WHERE status = 'open' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let before = store.changes_but_moves();
    let deal = deals::get(store.conn(), &open).unwrap();
    let other = stages.iter().find(|s| s.id != deal.stage_id).unwrap();
    let moved = crate::usecase::deals::move_to_stage(&mut store, &open, other).unwrap();
    assert_eq!(store.changes_but_moves(), before, "a move");
    store.undo(&moved.undo).unwrap();
    assert_eq!(store.changes_but_moves(), before, "its undo");
    crate::usecase::deals::win(&mut store, &open).unwrap();
    assert_ne!(store.changes_but_moves(), before, "a win");
}

/// `deals::by_customer` sorts each customer's deals in Rust as `deals::list` does in SQL:
/// open first, then pipeline, stage, card position and id (ties made here on purpose).
#[test]
fn deals_by_customer_are_in_each_customers_list_order() {
    let mut store = memory_store();
    crate::demo::generate(&mut store, None).unwrap();
    store
        .conn()
        .execute_batch(
            "UPDATE deals SET position = 1.5 WHERE rowid % 5 <> 0;
             UPDATE deals SET position = -0.0 WHERE rowid % 5 = 0;
             UPDATE pipelines SET position = 10 - position;",
        )
        .unwrap();
    let grouped = deals::by_customer(store.conn()).unwrap();
    let customers = customers::list(store.conn(), &customers::Filter::default()).unwrap();
    let mut several = 0;
    for c in &customers {
        let id = &c.customer.id;
        let listed = deals::list(
            store.conn(),
            &deals::Filter {
                customer_id: Some(id.clone()),
                ..deals::Filter::default()
            },
        )
        .unwrap();
        several += usize::from(listed.len() > 2);
        assert_eq!(grouped.get(id).cloned().unwrap_or_default(), listed, "{id}");
    }
    assert!(
        several > 3,
        "too few customers with several deals to test the order"
    );
    let total: usize = grouped.values().map(Vec::len).sum();
    assert_eq!(
        total,
        deals::list(store.conn(), &deals::Filter::default())
            .unwrap()
            .len()
    );
}

/// The customers `group_totals_with` keeps for the board's filter are those `list` gives,
/// in its order, with their columns; past `keep` it keeps none, and the heads are the same
/// either way.
#[test]
fn the_customers_counted_for_the_heads_are_kept_in_board_order() {
    use customers::{Filter, Grouping, Match};
    let mut store = memory_store();
    crate::demo::generate(&mut store, None).unwrap();
    // Names that differ only in case, and in a letter NOCASE does not fold.
    store
        .conn()
        .execute_batch(
            "UPDATE customers SET name = 'globex' WHERE rowid % 4 = 0;
             UPDATE customers SET name = 'GLOBEX' WHERE rowid % 4 = 1;
             UPDATE customers SET name = 'Émile' WHERE rowid % 4 = 2;",
        )
        .unwrap();
    let won = customers::won_by_customer(store.conn(), "EUR").unwrap();
    for (text, grouping) in [("e", Grouping::Status), ("l", Grouping::Tier)] {
        let filter = Filter {
            text: Some(text.into()),
            ..Filter::default()
        };
        let listed = customers::list(store.conn(), &filter).unwrap();
        assert!(listed.len() > 4, "{text}: too few matches to test");
        let kept =
            customers::group_totals_with(store.conn(), grouping, &filter, &won, 10_000).unwrap();
        let expected: Vec<Match> = listed
            .iter()
            .map(|s| Match {
                id: s.customer.id.clone(),
                group: match grouping {
                    Grouping::Status => s.customer.status.as_str(),
                    Grouping::Tier => s.customer.tier.as_str(),
                }
                .to_string(),
            })
            .collect();
        assert_eq!(kept.matched.as_ref(), Some(&expected), "{text}");
        let few = customers::group_totals_with(store.conn(), grouping, &filter, &won, 4).unwrap();
        assert_eq!(few.matched, None, "{text}: more than 4");
        assert_eq!(few.totals, kept.totals, "{text}");
    }
}

/// `activity list` reads the newest activities in order from `activities_newest`
/// (migration 016) and stops at its limit, instead of sorting every activity of the book
/// to show 200 (0.27 s at 100k deals); the open reminders only (`--open`) likewise.
#[test]
fn the_newest_activities_are_read_in_order_not_sorted() {
    let mut store = memory_store();
    crate::demo::generate(&mut store, None).unwrap();
    store.conn().execute_batch("ANALYZE").unwrap();
    for open_only in [false, true] {
        let filter = activities::Filter {
            open_only,
            limit: Some(200),
            ..activities::Filter::default()
        };
        let plan = super::test_support::query_plan(
            store.conn(),
            &activities::list_sql(&filter),
            rusqlite::params![None::<String>, None::<String>, open_only, 200],
        );
        assert!(
            plan.iter().any(|p| p.contains("activities_newest"))
                && !plan.iter().any(|p| p.contains("TEMP B-TREE")),
            "open only {open_only}: {plan:?}"
        );
    }
}

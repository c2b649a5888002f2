//! The demo book: its size, its mix, and that it is coherent the way a real book is.

use std::collections::{HashMap, HashSet};

use super::pools::{COMPANIES, DAY};
use super::*;
use crate::domain::deal::DealStatus;
use crate::store::deals::{self, DealRow};
use crate::store::test_support::{fixed_clock, memory_store};
use crate::store::{Table, search};

fn demo_store(scale: Option<usize>) -> (Store, Generated) {
    let mut store = memory_store();
    let made = generate(&mut store, scale).unwrap();
    (store, made)
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn strings(store: &Store, sql: &str) -> Vec<String> {
    let mut stmt = store.conn().prepare(sql).unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn all_deals(store: &Store) -> Vec<DealRow> {
    deals::list(store.conn(), &deals::Filter::default()).unwrap()
}

/// The next local midnight after the fixed clock, as `generate` computes it.
fn today_end() -> i64 {
    Zone::Local.today_window(fixed_clock().now_millis()).1
}

#[test]
fn the_small_book_has_the_size_and_mix_promised() {
    let (store, made) = demo_store(None);
    assert_eq!(made.customers, COMPANIES.len());
    assert_eq!(made.deals, 80);
    assert!(made.contacts >= made.customers);
    assert_eq!(count(&store, "SELECT count(*) FROM customers"), 40);
    assert_eq!(count(&store, "SELECT count(*) FROM deals"), 80);
    let statuses = strings(&store, "SELECT DISTINCT status FROM customers ORDER BY 1");
    assert_eq!(statuses, ["active", "at_risk", "churned", "prospect"]);
    let tiers = strings(&store, "SELECT DISTINCT tier FROM customers ORDER BY 1");
    assert_eq!(tiers, ["key", "low", "normal"]);
    let names = strings(&store, "SELECT name FROM customers");
    assert!(names.iter().any(|n| n == "上海华为技术有限公司"));
    assert!(count(&store, "SELECT count(*) FROM customer_tags") > 0);
    let deal_statuses = strings(&store, "SELECT DISTINCT status FROM deals ORDER BY 1");
    assert_eq!(deal_statuses, ["lost", "open", "won"]);
    // Search finds the Chinese name, as a user would type part of it.
    let hits = crate::store::search::search(store.conn(), "华为", 10).unwrap();
    assert!(hits.iter().any(|h| h.title == "上海华为技术有限公司"));
}

#[test]
fn every_stage_has_open_deals() {
    let (store, _) = demo_store(None);
    let open: HashSet<String> = all_deals(&store)
        .into_iter()
        .filter(|d| d.deal.status == DealStatus::Open)
        .map(|d| d.deal.stage_id)
        .collect();
    for stage in stages::list(store.conn()).unwrap() {
        assert!(open.contains(&stage.id), "no open deal in {}", stage.name);
    }
}

#[test]
fn customer_statuses_agree_with_their_deals() {
    for scale in [None, Some(500)] {
        let (store, _) = demo_store(scale);
        let mut by_customer: HashMap<String, Vec<DealStatus>> = HashMap::new();
        for d in all_deals(&store) {
            by_customer
                .entry(d.deal.customer_id)
                .or_default()
                .push(d.deal.status);
        }
        let customers = {
            let mut stmt = store
                .conn()
                .prepare("SELECT id, name, status FROM customers")
                .unwrap();
            stmt.query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect::<Vec<(String, String, String)>>()
        };
        for (id, name, status) in customers {
            let deals = by_customer.remove(&id).unwrap_or_default();
            let won = deals.contains(&DealStatus::Won);
            match status.as_str() {
                "prospect" => assert!(!won, "prospect {name} has a won deal"),
                _ => assert!(won, "{status} customer {name} has never won a deal"),
            }
            if status == "churned" {
                assert!(
                    !deals.contains(&DealStatus::Open),
                    "churned {name} has open deals"
                );
            }
        }
    }
}

#[test]
fn customers_who_bought_have_a_lifetime_value() {
    let (store, _) = demo_store(None);
    let without = count(
        &store,
        "SELECT count(*) FROM customers c WHERE c.status != 'prospect'
           AND NOT EXISTS (SELECT 1 FROM deals d WHERE d.customer_id = c.id
                            AND d.status = 'won' AND d.currency = 'EUR'
                            AND d.amount_minor > 0)",
    );
    assert_eq!(without, 0);
}

#[test]
fn closed_deals_are_closed_properly_and_lost_ones_say_why() {
    let (store, _) = demo_store(None);
    let now = fixed_clock().now_millis();
    let rows = all_deals(&store);
    let lost: Vec<_> = rows
        .iter()
        .filter(|d| d.deal.status == DealStatus::Lost)
        .collect();
    assert!(!lost.is_empty());
    for d in &lost {
        let reason = d.deal.lost_reason.as_deref().unwrap_or("");
        assert!(
            !reason.trim().is_empty(),
            "{} lost without a reason",
            d.deal.title
        );
    }
    assert!(rows.iter().any(|d| d.deal.status == DealStatus::Won));
    for d in &rows {
        let closed = d.deal.status != DealStatus::Open;
        assert_eq!(d.deal.closed_at.is_some(), closed, "{}", d.deal.title);
        assert!(d.deal.closed_at.is_none_or(|t| t <= now));
        assert!(d.deal.created_at <= d.deal.updated_at);
        assert!(d.deal.updated_at <= now);
    }
    // Every deal's history starts in the first stage and ends where the deal is.
    let history = deals::history(store.conn(), &rows[0].deal.id).unwrap();
    assert_eq!(history.first().and_then(|h| h.from_stage.as_ref()), None);
    assert_eq!(
        history.last().map(|h| h.to_stage.as_str()),
        Some(rows[0].stage_name.as_str())
    );
}

#[test]
fn some_deals_closed_in_the_last_two_weeks() {
    let (store, _) = demo_store(None);
    let since = fixed_clock().now_millis() - 14 * DAY;
    let recent = |status: DealStatus| {
        all_deals(&store)
            .iter()
            .filter(|d| d.deal.status == status && d.deal.closed_at.unwrap_or(0) >= since)
            .count()
    };
    assert!(recent(DealStatus::Won) > 0 && recent(DealStatus::Lost) > 0);
}

#[test]
fn some_open_deals_rot_and_some_have_no_follow_up() {
    let (store, _) = demo_store(None);
    let now = fixed_clock().now_millis();
    let open: Vec<DealRow> = all_deals(&store)
        .into_iter()
        .filter(|d| d.deal.status == DealStatus::Open)
        .collect();
    let rotting = open.iter().filter(|d| d.is_rotting(now)).count();
    let unplanned = open.iter().filter(|d| d.next_follow_up.is_none()).count();
    assert!(
        rotting > 0 && rotting < open.len() / 2,
        "{rotting} of {}",
        open.len()
    );
    assert!(
        unplanned > 0 && unplanned < open.len() / 2,
        "{unplanned} of {}",
        open.len()
    );
}

#[test]
fn reminders_are_overdue_due_today_and_later() {
    let (store, _) = demo_store(None);
    let now = fixed_clock().now_millis();
    let end = today_end();
    let due: Vec<i64> =
        crate::store::activities::open_reminders(store.conn(), None, None, None, None)
            .unwrap()
            .into_iter()
            .filter_map(|r| r.activity.due_at)
            .collect();
    assert!(due.iter().any(|&t| t < now), "nothing overdue");
    assert!(
        due.iter().any(|&t| now <= t && t < end),
        "nothing due later today"
    );
    assert!(due.iter().any(|&t| t >= end), "nothing due after today");
    // Done activities are in the past.
    let future = count(
        &store,
        &format!("SELECT count(*) FROM activities WHERE done_at > {now}"),
    );
    assert_eq!(future, 0);
}

#[test]
fn nothing_happens_before_the_customer_existed() {
    let (store, _) = demo_store(None);
    let early = count(
        &store,
        "SELECT count(*) FROM deals d JOIN customers c ON c.id = d.customer_id
          WHERE d.created_at < c.created_at",
    ) + count(
        &store,
        "SELECT count(*) FROM activities a JOIN customers c ON c.id = a.customer_id
          WHERE coalesce(a.done_at, a.due_at) < c.created_at",
    ) + count(
        &store,
        "SELECT count(*) FROM stage_changes s JOIN deals d ON d.id = s.deal_id
          WHERE s.at < d.created_at OR s.at > coalesce(d.closed_at, d.updated_at)",
    );
    assert_eq!(early, 0);
}

#[test]
fn every_row_has_clocks_and_is_searchable() {
    let (store, _) = demo_store(None);
    let unclocked = count(
        &store,
        "SELECT count(*) FROM deals d WHERE NOT EXISTS
           (SELECT 1 FROM field_clock f WHERE f.tbl = 'deals' AND f.row_id = d.id
               AND f.field = '*')",
    );
    assert_eq!(unclocked, 0);
    let indexed = count(
        &store,
        "SELECT count(*) FROM search_index WHERE kind = 'deal'",
    );
    assert_eq!(indexed, 80);
}

#[test]
fn the_same_now_gives_the_same_book() {
    let fingerprint = |store: &Store| {
        strings(
            store,
            "SELECT c.name || '|' || c.status || '|' || c.tier || '|' || d.title || '|'
                    || d.status || '|' || d.stage_id || '|' || d.amount_minor || '|'
                    || d.created_at || '|' || coalesce(d.lost_reason, '')
               FROM deals d JOIN customers c ON c.id = d.customer_id
              ORDER BY 1",
        )
    };
    let (a, _) = demo_store(None);
    let (b, _) = demo_store(None);
    assert_eq!(fingerprint(&a), fingerprint(&b));
}

#[test]
fn the_scaled_book_has_the_requested_volume() {
    let (store, made) = demo_store(Some(500));
    assert_eq!(made.deals, 500);
    assert_eq!(made.customers, 100);
    assert_eq!(made.contacts, 100);
    assert!(
        (1000..1100).contains(&made.activities),
        "{}",
        made.activities
    );
    assert_eq!(count(&store, "SELECT count(*) FROM deals"), 500);
    assert_eq!(
        count(&store, "SELECT count(*) FROM activities"),
        made.activities as i64
    );
}

#[test]
fn a_file_is_back_in_wal_mode_after_the_load_whether_or_not_it_could_leave_it() {
    let dir = tempfile::tempdir().unwrap();
    let mode = |store: &Store| -> String {
        store
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap()
    };
    let alone = dir.path().join("alone.db");
    let mut store = Store::open(&alone, fixed_clock()).unwrap();
    let made = generate(&mut store, None).unwrap();
    assert_eq!(mode(&store), "wal");
    assert_eq!(
        count(&store, "SELECT count(*) FROM deals"),
        made.deals as i64
    );

    // Another connection keeps the file in WAL mode; the load goes on in it.
    let shared = dir.path().join("shared.db");
    let mut store = Store::open(&shared, fixed_clock()).unwrap();
    let other = Store::open(&shared, fixed_clock()).unwrap();
    let made = generate(&mut store, None).unwrap();
    assert_eq!(mode(&store), "wal");
    assert_eq!(
        count(&other, "SELECT count(*) FROM deals"),
        made.deals as i64
    );
}

#[test]
fn a_scale_of_nothing_is_refused_and_writes_nothing() {
    let mut store = memory_store();
    let err = generate(&mut store, Some(0)).unwrap_err();
    assert!(err.to_string().contains("give 1 or more"), "{err}");
    assert!(store.is_empty().unwrap());
}

#[test]
fn a_database_with_data_is_refused() {
    let (mut store, _) = demo_store(None);
    let err = generate(&mut store, None).unwrap_err();
    assert!(err.to_string().contains("already has"));
}

#[test]
fn demo_customers_who_bought_are_not_prospects() {
    let mut store = memory_store();
    let made = generate(&mut store, None).unwrap();
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

/// The search index filled in one pass after a bulk load holds what the triggers write
/// row by row.
fn index(conn: &rusqlite::Connection) -> Vec<(i64, String, String, String, Option<String>)> {
    let mut stmt = conn
        .prepare("SELECT rowid, kind, row_id, title, body FROM search_index ORDER BY rowid")
        .unwrap();
    stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[test]
fn a_filled_index_is_what_the_triggers_make() {
    let mut store = memory_store();
    generate(&mut store, None).unwrap();
    let some = |table: &str| -> String {
        store
            .conn()
            .query_row(&format!("SELECT id FROM {table} LIMIT 1"), [], |r| r.get(0))
            .unwrap()
    };
    let deleted = [
        (Table::Customers, some("customers")),
        (Table::Deals, some("deals")),
    ];
    let writes = deleted
        .into_iter()
        .map(|(t, id)| Write::update(t, id).set("deleted_at", 1_i64))
        .collect();
    store.apply("delete two", writes).unwrap();
    search::clear_index(store.conn()).unwrap();
    search::fill_index(store.conn()).unwrap();
    let filled = index(store.conn());
    assert!(filled.iter().any(|d| d.1 == "activity" && d.4.is_some()));

    // Every row again through its update trigger, which indexes it afresh.
    search::clear_index(store.conn()).unwrap();
    for table in ["customers", "contacts", "deals", "activities"] {
        store
            .conn()
            .execute(&format!("UPDATE {table} SET deleted_at = deleted_at"), [])
            .unwrap();
    }
    assert_eq!(filled, index(store.conn()));
}

#[test]
fn a_generated_book_leaves_the_planner_statistics_of_its_indexes() {
    let (store, _) = demo_store(Some(200));
    // `PRAGMA optimize` after the bulk load: the planner knows, e.g., that a customer has
    // a handful of deals, so it reaches them through `deals_customer`.
    let indexes = count(
        &store,
        "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'deals' AND idx = 'deals_customer'",
    );
    assert_eq!(indexes, 1);
}

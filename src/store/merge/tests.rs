use super::*;
use crate::store::Write;
use crate::store::test_support::{add_customer, fixed_clock, set};

#[test]
fn uris_escape_what_sqlite_would_read_as_query() {
    let uri = read_only_uri(Path::new("/tmp/a b?c#d%e/team.salesdesk")).unwrap();
    if !cfg!(windows) {
        assert_eq!(uri, "file:/tmp/a%20b%3Fc%23d%25e/team.salesdesk?mode=ro");
    }
}

/// Two databases of the same team, one started ten seconds after the other.
fn two_sites(dir: &Path) -> (Store, Store, std::path::PathBuf, std::path::PathBuf) {
    use crate::domain::time::FixedClock;
    let later = fixed_clock().now() + chrono::Duration::seconds(10);
    let (a_path, b_path) = (dir.join("a.db"), dir.join("b.db"));
    let a = Store::open(&a_path, fixed_clock()).unwrap();
    let b = Store::open(&b_path, std::sync::Arc::new(FixedClock(later))).unwrap();
    (a, b, a_path, b_path)
}

fn pending(store: &Store) -> Vec<(String, String)> {
    crate::store::conflicts::conflicts(store.conn(), false)
        .unwrap()
        .into_iter()
        .map(|c| (c.table, c.field))
        .collect()
}

/// Tags a customer, as the use case does: the tag row's id is made of customer and
/// tag, so two sites tagging alike insert the same row.
fn tag(store: &mut Store, customer: &str, tag: &str) {
    store
        .apply(
            "tag",
            vec![
                Write::insert(Table::CustomerTags, format!("{customer}:{tag}"))
                    .set("customer_id", customer.to_string())
                    .set("tag", tag.to_string()),
            ],
        )
        .unwrap();
}

#[test]
fn a_row_clock_counts_for_every_field_the_insert_wrote() {
    use crate::store::customers;
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b, a_path, b_path) = two_sites(dir.path());
    let acme = add_customer(&mut a, "ACME");
    merge_from(&b, &a_path).unwrap();

    // Both tag ACME "vip" without having seen the other's tag: the same row (its id is
    // made of customer and tag) inserted twice. A then removes its tag. B's insert came
    // later than A's removal, so B's whole row wins, removal included: the tag is back,
    // and A is asked about the removal it lost.
    tag(&mut a, &acme, "vip");
    let now = a.now_millis();
    set(
        &mut a,
        Table::CustomerTags,
        &format!("{acme}:vip"),
        "deleted_at",
        now,
    );
    tag(&mut b, &acme, "vip");
    assert!(customers::tags(a.conn(), &acme).unwrap().is_empty());
    let report = merge_from(&a, &b_path).unwrap();
    assert_eq!(customers::tags(a.conn(), &acme).unwrap(), ["vip"]);
    assert_eq!(report.conflicts, 1, "{report:?}");
    assert_eq!(
        pending(&a),
        [("customer_tags".to_string(), "deleted_at".to_string())]
    );
    // The other way round nothing changes on B: its row clock is the later one.
    let back = merge_from(&b, &a_path).unwrap();
    assert_eq!(back.fields_updated, 0, "{back:?}");
    assert_eq!(customers::tags(b.conn(), &acme).unwrap(), ["vip"]);
    assert!(pending(&b).is_empty());

    // B changes the tier A wrote when it made the customer: B's own clock for the field
    // beats A's row clock, and B had seen A's value, so it is history, not a conflict.
    set(&mut b, Table::Customers, &acme, "tier", "key".to_string());
    let report = merge_from(&a, &b_path).unwrap();
    assert_eq!(report.conflicts, 0, "{report:?}");
    assert_eq!(
        customers::get(a.conn(), &acme).unwrap().tier,
        crate::domain::customer::Tier::Key
    );
    let seen: String = a
        .conn()
        .query_row(
            "SELECT resolution FROM conflicts WHERE field = 'tier'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(seen, "seen");
}

#[test]
fn editing_a_field_twice_before_a_sync_still_counts_as_having_seen_theirs() {
    use crate::store::customers;
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b, a_path, b_path) = two_sites(dir.path());
    let acme = add_customer(&mut a, "ACME");
    merge_from(&b, &a_path).unwrap();
    let rename = |s: &mut Store, to: &str| {
        set(s, Table::Customers, &acme, "name", to.to_string());
    };
    rename(&mut b, "ACME Corp");
    merge_from(&a, &b_path).unwrap();
    // A saw B's name, then renamed twice (a typo fixed) before the next sync.
    rename(&mut a, "ACME Gmbh");
    rename(&mut a, "ACME GmbH");
    let report = merge_from(&b, &a_path).unwrap();
    assert_eq!(customers::get(b.conn(), &acme).unwrap().name, "ACME GmbH");
    assert_eq!(report.conflicts, 0, "{report:?}");
    assert!(pending(&b).is_empty());
}

#[test]
fn a_clock_from_the_far_future_is_not_merged_and_cannot_freeze_a_field() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, b, a_path, _) = two_sites(dir.path());
    let acme = add_customer(&mut a, "ACME");
    merge_from(&b, &a_path).unwrap();
    set(
        &mut a,
        Table::Customers,
        &acme,
        "name",
        "ACME (forged)".to_string(),
    );
    drop(a);
    // A hostile copy: A's rename stamped with the largest clock there is.
    let forged = "9999999999999999-99999-ffffffffffffffff";
    let conn = Connection::open(&a_path).unwrap();
    conn.execute(
        "UPDATE field_clock SET hlc = ?1 WHERE tbl = 'customers' AND field = 'name'",
        [forged],
    )
    .unwrap();
    drop(conn);
    let mut b = b;
    let report = merge_from(&b, &a_path).unwrap();
    assert_eq!(report.future_clocks, 1, "{report:?}");
    let name = |s: &Store| -> String {
        s.conn()
            .query_row("SELECT name FROM customers WHERE id = ?1", [&acme], |r| {
                r.get(0)
            })
            .unwrap()
    };
    assert_eq!(name(&b), "ACME", "the forged value is not taken");
    assert!(
        b.meta("hlc").unwrap().unwrap().as_str() < "0002",
        "the clock is not adopted"
    );
    // B's own later edit stands.
    set(
        &mut b,
        Table::Customers,
        &acme,
        "name",
        "ACME Ltd".to_string(),
    );
    merge_from(&b, &a_path).unwrap();
    assert_eq!(name(&b), "ACME Ltd");
}

#[test]
fn a_new_row_stamped_in_the_far_future_stays_out() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, b, a_path, _) = two_sites(dir.path());
    let acme = add_customer(&mut a, "ACME");
    drop(a);
    let conn = Connection::open(&a_path).unwrap();
    conn.execute(
        "UPDATE field_clock SET hlc = '9999999999999999-99999-ffffffffffffffff'
          WHERE tbl = 'customers' AND row_id = ?1",
        [&acme],
    )
    .unwrap();
    drop(conn);
    let report = merge_from(&b, &a_path).unwrap();
    assert!(report.future_clocks >= 1, "{report:?}");
    let n: i64 = b
        .conn()
        .query_row(
            "SELECT count(*) FROM customers WHERE id = ?1",
            [&acme],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn merging_an_empty_database_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let a = Store::open(&dir.path().join("a.db"), fixed_clock()).unwrap();
    let b_path = dir.path().join("b.db");
    drop(Store::open(&b_path, fixed_clock()).unwrap());
    let first = merge_from(&a, &b_path).unwrap();
    // B's own member row arrives; the default stages agree already.
    assert_eq!(first.rows_added, 1);
    assert_eq!(first.conflicts, 0);
    let again = merge_from(&a, &b_path).unwrap();
    assert!(again.is_empty(), "{again:?}");
}

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

// A teammate's file is untrusted input: what breaks the rules is quarantined, never
// written, never blocks the rest; what the file cannot claim is refused.

fn quarantined(store: &Store) -> Vec<(String, String, String)> {
    crate::store::quarantine::recent(store.conn(), 100)
        .unwrap()
        .into_iter()
        .filter(|q| q.skipped)
        .map(|q| (q.table, q.row_id, q.field))
        .collect()
}

/// Runs `sql` on the database at `path` as a hostile teammate would: constraints off,
/// the schema writable.
fn tamper(path: &Path, sql: &str) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON;
         PRAGMA writable_schema = ON; {sql}"
    ))
    .unwrap();
}

fn add_deal(store: &mut Store, customer: &str, title: &str) -> String {
    let id = crate::domain::ids::new_id();
    store
        .apply(
            "add",
            vec![
                Write::insert(Table::Deals, id.clone())
                    .set("title", title.to_string())
                    .set("customer_id", customer.to_string())
                    .set("stage_id", "stage-lead".to_string())
                    .set("amount_minor", 100)
                    .set("currency", "EUR".to_string()),
            ],
        )
        .unwrap();
    id
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_value_breaking_a_check_the_file_dropped_is_quarantined_and_the_rest_merges() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b, a_path, _) = two_sites(dir.path());
    let acme = add_customer(&mut a, "ACME");
    let deal = add_deal(&mut a, &acme, "ACME renewal");
    merge_from(&b, &a_path).unwrap();
    // A reprices (a clock that wins) and adds a customer; then the file loses its CHECK
    // and the price becomes negative.
    set(&mut a, Table::Deals, &deal, "amount_minor", 200);
    let globex = add_customer(&mut a, "Globex");
    drop(a);
    tamper(
        &a_path,
        "UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (amount_minor >= 0)', '')
          WHERE name = 'deals';
         UPDATE deals SET amount_minor = -5;",
    );
    let report = merge_from(&b, &a_path).unwrap();
    assert_eq!(report.quarantined, 1, "{report:?}");
    assert_eq!(
        quarantined(&b),
        [(
            "deals".to_string(),
            deal.clone(),
            "amount_minor".to_string()
        )]
    );
    let amount = count(
        &b,
        &format!("SELECT amount_minor FROM deals WHERE id = '{deal}'"),
    );
    assert_eq!(amount, 100, "the broken value is not taken");
    let n = count(
        &b,
        &format!("SELECT count(*) FROM customers WHERE id = '{globex}'"),
    );
    assert_eq!(n, 1, "the good row arrives");
    // The clock of the refused row is not adopted; B's next edit still wins everywhere.
    let who = crate::store::quarantine::recent(b.conn(), 1).unwrap();
    assert_eq!(who[0].site, a_site(&a_path));
    assert!(who[0].reason.contains("amount"), "{}", who[0].reason);
    // Met again, it counts up rather than piling up.
    merge_from(&b, &a_path).unwrap();
    assert_eq!(quarantined(&b).len(), 1);
    set(&mut b, Table::Deals, &deal, "title", "kept".to_string());
}

fn a_site(path: &Path) -> String {
    Connection::open(path)
        .unwrap()
        .query_row("SELECT value FROM meta WHERE key = 'site_id'", [], |r| {
            r.get(0)
        })
        .unwrap()
}

#[test]
fn an_oversized_title_is_quarantined_without_being_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, b, a_path, _) = two_sites(dir.path());
    let acme = add_customer(&mut a, "ACME");
    let deal = add_deal(&mut a, &acme, "small");
    drop(a);
    let huge = 3 * crate::domain::limits::MAX_LONG_TEXT_BYTES;
    tamper(
        &a_path,
        &format!("UPDATE deals SET title = printf('%.{huge}c', 'x') WHERE id = '{deal}';"),
    );
    let report = merge_from(&b, &a_path).unwrap();
    assert_eq!(report.quarantined, 1, "{report:?}");
    assert_eq!(
        quarantined(&b),
        [("deals".to_string(), deal.clone(), "title".to_string())]
    );
    assert_eq!(count(&b, "SELECT count(*) FROM deals"), 0);
    assert_eq!(count(&b, "SELECT count(*) FROM customers"), 1);
}

#[test]
fn a_row_naming_a_missing_record_is_quarantined_with_what_depends_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, b, a_path, _) = two_sites(dir.path());
    let acme = add_customer(&mut a, "ACME");
    let deal = add_deal(&mut a, &acme, "renewal");
    let activity = crate::domain::ids::new_id();
    a.apply(
        "log",
        vec![
            Write::insert(Table::Activities, activity.clone())
                .set("kind", "call".to_string())
                .set("subject", "called".to_string())
                .set("deal_id", deal.clone()),
        ],
    )
    .unwrap();
    let other = add_customer(&mut a, "Globex");
    drop(a);
    // The deal now names a stage nobody has.
    tamper(
        &a_path,
        &format!("UPDATE deals SET stage_id = 'stage-nowhere' WHERE id = '{deal}';"),
    );
    let report = merge_from(&b, &a_path).unwrap();
    let mut got = quarantined(&b);
    got.sort();
    let mut want = vec![
        ("activities".to_string(), activity, "deal_id".to_string()),
        ("deals".to_string(), deal, "stage_id".to_string()),
    ];
    want.sort();
    assert_eq!(got, want, "{report:?}");
    assert_eq!(
        count(
            &b,
            &format!("SELECT count(*) FROM customers WHERE id IN ('{acme}', '{other}')")
        ),
        2
    );
}

#[test]
fn malformed_clocks_and_wrong_words_keep_their_rows_out() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, b, a_path, _) = two_sites(dir.path());
    let one = add_customer(&mut a, "One");
    let two = add_customer(&mut a, "Two");
    let three = add_customer(&mut a, "Three");
    drop(a);
    tamper(
        &a_path,
        &format!(
            "UPDATE field_clock SET hlc = 'soon' WHERE row_id = '{one}';
             UPDATE customers SET tier = 'platinum' WHERE id = '{two}';"
        ),
    );
    merge_from(&b, &a_path).unwrap();
    let mut got = quarantined(&b);
    got.sort();
    assert_eq!(
        got,
        [
            ("customers".to_string(), one, String::new()),
            ("customers".to_string(), two, "tier".to_string()),
        ]
    );
    let names = count(
        &b,
        &format!("SELECT count(*) FROM customers WHERE id = '{three}'"),
    );
    assert_eq!(names, 1);
}

#[test]
fn a_member_is_renamed_only_from_their_own_site() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, b, a_path, b_path) = two_sites(dir.path());
    merge_from(&a, &b_path).unwrap();
    merge_from(&b, &a_path).unwrap();
    let b_member = b.member_id().to_string();
    // A renames B, with a clock of A's own.
    set(
        &mut a,
        Table::Members,
        &b_member,
        "name",
        "B the thief".to_string(),
    );
    let report = merge_from(&b, &a_path).unwrap();
    assert_eq!(report.quarantined, 1, "{report:?}");
    assert_eq!(
        quarantined(&b),
        [("members".to_string(), b_member.clone(), "name".to_string())]
    );
    let name: String = b
        .conn()
        .query_row("SELECT name FROM members WHERE id = ?1", [&b_member], |r| {
            r.get(0)
        })
        .unwrap();
    assert_ne!(name, "B the thief");
}

#[test]
fn a_site_cannot_change_member_and_a_second_site_of_a_member_is_noted() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, a_path, b_path) = two_sites(dir.path());
    // Each now knows both sites (a merge notes the merging database's own).
    merge_from(&a, &b_path).unwrap();
    merge_from(&b, &a_path).unwrap();
    let a_site = a.site_id().to_string();
    let a_member = a.member_id().to_string();
    let b_member = b.member_id().to_string();
    drop(a);
    tamper(
        &a_path,
        &format!(
            "UPDATE sites SET member_id = '{b_member}' WHERE site_id = '{a_site}';
             INSERT INTO sites VALUES ('00000000000000ee', '{a_member}');"
        ),
    );
    merge_from(&b, &a_path).unwrap();
    let sites: Vec<(String, String)> = crate::store::teamfile::sites(b.conn()).unwrap();
    assert!(
        sites.contains(&(a_site.clone(), a_member.clone())),
        "{sites:?}"
    );
    let log = crate::store::quarantine::recent(b.conn(), 10).unwrap();
    let remap = log.iter().find(|q| q.row_id == a_site).unwrap();
    assert!(
        remap.skipped && remap.reason.contains("never changes"),
        "{remap:?}"
    );
    let second = log.iter().find(|q| q.row_id == "00000000000000ee").unwrap();
    assert!(
        !second.skipped,
        "a second device is noted, not refused: {second:?}"
    );
}

#[test]
fn a_seen_mark_is_never_silent_and_only_from_a_known_site() {
    use crate::store::conflicts;
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b, a_path, b_path) = two_sites(dir.path());
    let acme = add_customer(&mut a, "ACME");
    merge_from(&b, &a_path).unwrap();
    // A renames; B renames without having seen it, and then forges a field_base row saying
    // it had.
    set(
        &mut a,
        Table::Customers,
        &acme,
        "name",
        "ACME A".to_string(),
    );
    set(
        &mut b,
        Table::Customers,
        &acme,
        "name",
        "ACME B".to_string(),
    );
    let a_clock: String = a
        .conn()
        .query_row(
            "SELECT hlc FROM field_clock WHERE row_id = ?1 AND field = 'name'",
            [&acme],
            |r| r.get(0),
        )
        .unwrap();
    drop(b);
    tamper(
        &b_path,
        &format!(
            "UPDATE field_base SET base = '{a_clock}' WHERE row_id = '{acme}' AND field = 'name';"
        ),
    );
    let report = merge_from(&a, &b_path).unwrap();
    // B's site is known (it came with B's file), so its word stands; but it is said.
    assert_eq!((report.conflicts, report.seen), (0, 1), "{report:?}");
    assert_eq!(conflicts::conflicts(a.conn(), true).unwrap().len(), 1);

    // The same claim from a site nobody maps to a member is not taken.
    let (mut c, mut d, c_path, d_path) = {
        let dir2 = dir.path().join("2");
        std::fs::create_dir(&dir2).unwrap();
        two_sites(&dir2)
    };
    let acme = add_customer(&mut c, "ACME");
    merge_from(&d, &c_path).unwrap();
    set(
        &mut c,
        Table::Customers,
        &acme,
        "name",
        "ACME C".to_string(),
    );
    set(
        &mut d,
        Table::Customers,
        &acme,
        "name",
        "ACME D".to_string(),
    );
    let c_clock: String = c
        .conn()
        .query_row(
            "SELECT hlc FROM field_clock WHERE row_id = ?1 AND field = 'name'",
            [&acme],
            |r| r.get(0),
        )
        .unwrap();
    let d_site = d.site_id().to_string();
    drop(d);
    tamper(
        &d_path,
        &format!(
            "UPDATE field_base SET base = '{c_clock}' WHERE row_id = '{acme}' AND field = 'name';
             DELETE FROM sites WHERE site_id = '{d_site}';"
        ),
    );
    let report = merge_from(&c, &d_path).unwrap();
    assert_eq!((report.conflicts, report.seen), (1, 0), "{report:?}");
}

#[test]
fn junk_beyond_what_can_be_listed_is_counted_not_stored_row_by_row() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, a_path, _) = two_sites(dir.path());
    let site = a.site_id().to_string();
    drop(a);
    let n = super::screen::MAX_LISTED + 200;
    tamper(
        &a_path,
        &format!(
            "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < {n})
             INSERT INTO customers (id, name, kind, tier, status, created_at, updated_at)
             SELECT 'junk-' || i, 'x', 'robot', 'normal', 'prospect', 1, 1 FROM k;
             INSERT INTO field_clock (tbl, row_id, field, hlc)
             SELECT 'customers', id, '*', '0001795600800000-00000-{site}' FROM customers;"
        ),
    );
    let report = merge_from(&b, &a_path).unwrap();
    assert_eq!(report.quarantined, n, "{report:?}");
    let entries = count(&b, "SELECT count(*) FROM quarantine");
    assert_eq!(entries, super::screen::MAX_LISTED as i64 + 1);
    assert_eq!(
        count(&b, "SELECT count(*) FROM customers WHERE id LIKE 'junk-%'"),
        0
    );
}

/// Everything in the database on `conn` that a merge writes, table by table, each row
/// as text, in a fixed order: the domain tables, clocks, bases, signatures, conflicts,
/// quarantine, meta, the derived tables, and the search index's documents (not its
/// shadow tables, whose segments differ with how the index was built). Leaves out the
/// planner's statistics and the key saying which file took the site id.
fn everything(conn: &Connection) -> Vec<(String, Vec<String>)> {
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table'
               AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_index%'
             ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let rows = |sql: &str| -> Vec<String> {
        let mut stmt = conn.prepare(sql).unwrap();
        let width = stmt.column_count();
        let mut out: Vec<String> = stmt
            .query_map([], |r| {
                (0..width)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .map(|v| v.join(" | "))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        out.sort();
        out
    };
    let mut all: Vec<(String, Vec<String>)> = tables
        .into_iter()
        .map(|t| {
            let sql = if t == "meta" {
                "SELECT * FROM meta WHERE key <> 'site_file'".to_string()
            } else {
                format!("SELECT * FROM \"{t}\"")
            };
            let found = rows(&sql);
            (t, found)
        })
        .collect();
    all.push((
        "search_index".into(),
        rows("SELECT rowid, kind, row_id, title, body FROM search_index"),
    ));
    all
}

/// What a search finds, word by word: the index itself, not only its documents.
fn found(conn: &Connection, words: &[&str]) -> Vec<Vec<String>> {
    words
        .iter()
        .map(|w| {
            crate::store::search::search(conn, w, 50)
                .unwrap()
                .into_iter()
                .map(|hit| format!("{hit:?}"))
                .collect()
        })
        .collect()
}

#[test]
fn a_merge_that_rebuilds_the_indexes_writes_what_one_keeping_them_does() {
    let dir = tempfile::tempdir().unwrap();
    let (mut mine, mut theirs, mine_path, theirs_path) = two_sites(dir.path());
    let acme = add_customer(&mut mine, "ACME Trading");
    add_deal(&mut mine, &acme, "ACME renewal");
    // Theirs: a whole demo book (customers, contacts, deals, activities done and due,
    // tags, stage changes), and my ACME, which they then edit twice: its name, having
    // seen mine (history, resolved 'seen'), and its industry, which I change meanwhile
    // without having seen theirs (a pending conflict).
    crate::demo::generate(&mut theirs, Some(60)).unwrap();
    merge_from(&theirs, &mine_path).unwrap();
    set(
        &mut mine,
        Table::Customers,
        &acme,
        "industry",
        "Retail".to_string(),
    );
    set(
        &mut theirs,
        Table::Customers,
        &acme,
        "name",
        "ACME Trading Group".to_string(),
    );
    set(
        &mut theirs,
        Table::Customers,
        &acme,
        "industry",
        "Logistics".to_string(),
    );
    // Two copies of my book, with my site: the one that took it no longer says which
    // file it was, so each copy keeps it.
    mine.conn()
        .execute("DELETE FROM meta WHERE key = 'site_file'", [])
        .unwrap();
    drop(mine);
    drop(theirs);
    let words = ["ACME", "Logistics", "renewal", "Globex", "Call"];
    for authorship in [Authorship::Signatures, Authorship::Hub] {
        let mut results = Vec::new();
        for (n, indexing) in [Indexing::RowByRow, Indexing::Rebuilt]
            .into_iter()
            .enumerate()
        {
            let copy = dir.path().join(format!("copy-{n}-{authorship:?}.db"));
            std::fs::copy(&mine_path, &copy).unwrap();
            let store = Store::open(&copy, fixed_clock()).unwrap();
            let me = Mine {
                site: store.site_id(),
                member: store.member_id(),
                now: store.now_millis(),
            };
            let report = merge(
                store.conn(),
                &theirs_path,
                Some(&me),
                authorship,
                Some(indexing),
            )
            .unwrap();
            assert!(report.rows_added > 300, "{report:?}");
            assert_eq!((report.conflicts, report.seen), (1, 1), "{report:?}");
            let indexes: i64 = store
                .conn()
                .query_row(
                    "SELECT count(*) FROM sqlite_schema WHERE type IN ('index', 'trigger')",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            let journal: String = store
                .conn()
                .query_row("PRAGMA journal_mode", [], |r| r.get(0))
                .unwrap();
            assert_eq!(journal, "wal", "the book is back in WAL mode");
            results.push((
                store.site_id().to_string(),
                report,
                everything(store.conn()),
                found(store.conn(), &words),
                indexes,
            ));
        }
        let (kept, rebuilt) = (&results[0], &results[1]);
        assert_eq!(kept.0, rebuilt.0, "both copies merge as my site");
        assert_eq!(kept.1, rebuilt.1, "the same report");
        for ((table, a), (_, b)) in kept.2.iter().zip(&rebuilt.2) {
            assert!(!a.is_empty() || table != "search_index");
            assert!(
                a == b,
                "{table} differs after a merge that rebuilt the indexes"
            );
        }
        assert!(kept.3.iter().all(|hits| !hits.is_empty()), "{:?}", kept.3);
        assert_eq!(kept.3, rebuilt.3, "a search finds the same");
        assert_eq!(kept.4, rebuilt.4, "every index and trigger is back");
    }
}

#[test]
fn indexes_are_rebuilt_for_many_new_rows_that_are_a_good_part_of_the_book() {
    let store = crate::store::test_support::memory_store();
    let conn = store.conn();
    conn.execute_batch(
        "CREATE TEMP TABLE merge_incoming (
             tbl TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL, hlc TEXT NOT NULL,
             PRIMARY KEY (tbl, row_id, field)) WITHOUT ROWID;",
    )
    .unwrap();
    let arrive = |n: i64| {
        conn.execute(
            "INSERT INTO temp.merge_incoming (tbl, row_id, field, hlc)
             WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?1)
             SELECT 'deals', printf('d%06d', i), '*', 'x' FROM k
              WHERE printf('d%06d', i) NOT IN (SELECT row_id FROM temp.merge_incoming)",
            [n],
        )
        .unwrap();
    };
    let decide = || {
        let tx = Transaction::new_unchecked(conn, TransactionBehavior::Deferred).unwrap();
        indexing_for(&tx).unwrap()
    };
    arrive(MANY_ROWS - 1);
    assert_eq!(
        decide(),
        Indexing::RowByRow,
        "a few rows into an empty book"
    );
    arrive(MANY_ROWS);
    assert_eq!(decide(), Indexing::Rebuilt, "many rows into an empty book");
    // A book of three times what arrives rebuilds them; one of six times keeps them (a
    // rebuild would index all of it).
    conn.execute(
        "INSERT INTO members (id, name, created_at, updated_at)
         WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?1)
         SELECT printf('m%06d', i), 'Member', 0, 0 FROM k",
        [3 * MANY_ROWS],
    )
    .unwrap();
    assert_eq!(decide(), Indexing::Rebuilt);
    conn.execute(
        "INSERT INTO members (id, name, created_at, updated_at)
         SELECT 'n' || substr(id, 2), name, 0, 0 FROM members",
        [],
    )
    .unwrap();
    assert_eq!(decide(), Indexing::RowByRow);
}

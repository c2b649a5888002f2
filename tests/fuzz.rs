#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Fuzzing what comes from outside: a teammate's team file, damaged at random (rows with
//! arbitrary values, clocks well formed, malformed or from the far future, junk sites and
//! bases, a schema with its constraints dropped or a view, trigger or other version in
//! it), and the parsers behind the command line's amounts, dates and references.
//!
//! Whatever the file holds, checking and merging it never panics and never fails but by
//! refusing the file in words; what is merged keeps every rule of `store::validate`, the
//! database stays whole, its clock is not dragged into the future, and the honest rows
//! beside the damage all arrive.
//!
//! A few seconds of cases by default; `PROPTEST_CASES=2000 cargo test --test fuzz` runs
//! longer (see the README).

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use proptest::prelude::*;
use rusqlite::Connection;
use rusqlite::types::Value;

use salesdesk::domain::hlc::Hlc;
use salesdesk::domain::limits::MAX_AMOUNT_MINOR;
use salesdesk::domain::money::Money;
use salesdesk::domain::time::{self, FixedClock, from_millis};
use salesdesk::store::merge::{self, MAX_CLOCK_DRIFT_MS};
use salesdesk::store::reference::{self, Scope};
use salesdesk::store::{Store, StoreError, Table, deals, teamfile, validate};

/// 2026-11-25 10:00 UTC.
const T0: i64 = 1_795_600_800_000;
/// A site no database has: the hostile teammate's.
const EVE: &str = "00000000000000ee";

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn clock(ms: i64) -> Arc<FixedClock> {
    Arc::new(FixedClock(from_millis(ms)))
}

/// A team file made once from a small demo book, with A's site id.
fn template() -> &'static (PathBuf, String) {
    static TEMPLATE: OnceLock<(PathBuf, String)> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let mut a = Store::open(&dir.join("a.db"), clock(T0)).unwrap();
        salesdesk::demo::generate(&mut a, Some(6)).unwrap();
        let team = dir.join("team.salesdesk");
        teamfile::export(a.conn(), &team, "team-1", None).unwrap();
        (team, a.site_id().to_string())
    })
}

#[derive(Debug, Clone)]
enum Val {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Long(usize),
    Blob(Vec<u8>),
    /// An id of a row of the file, of some table.
    Id(usize),
}

fn val() -> impl Strategy<Value = Val> {
    prop_oneof![
        1 => Just(Val::Null),
        2 => prop_oneof![
            any::<i64>(),
            Just(-5i64),
            Just(i64::MAX),
            Just(i64::MIN),
            Just(MAX_AMOUNT_MINOR + 1),
            0i64..6,
            (T0 - 1_000_000)..(T0 + 1_000_000),
        ]
        .prop_map(Val::Int),
        1 => any::<f64>().prop_map(Val::Real),
        3 => prop_oneof![
            "\\PC{0,12}",
            Just("platinum".to_string()),
            Just("won".to_string()),
            Just("2026-02-30".to_string()),
            Just("2026-12-01".to_string()),
            Just("EUR".to_string()),
            Just("a\u{1b}]52;c;aGk=\u{7}\u{202e}b".to_string()),
            Just(String::new()),
        ]
        .prop_map(Val::Text),
        1 => prop_oneof![Just(65_537usize), Just(1_100_000usize), 0usize..100].prop_map(Val::Long),
        1 => prop::collection::vec(any::<u8>(), 0..8).prop_map(Val::Blob),
        3 => (0usize..64).prop_map(Val::Id),
    ]
}

#[derive(Debug, Clone)]
enum Clk {
    /// Within an hour of T0, from A's site or Eve's.
    Near {
        ms: i64,
        counter: u32,
        eve: bool,
    },
    Future,
    Malformed(String),
}

fn clk() -> impl Strategy<Value = Clk> {
    prop_oneof![
        6 => (-3_600_000i64..3_600_000, 0u32..3, any::<bool>())
            .prop_map(|(ms, counter, eve)| Clk::Near { ms: T0 + ms, counter, eve }),
        1 => Just(Clk::Future),
        1 => prop_oneof![
            "\\PC{0,40}",
            Just("9999999999999999-99999-ffffffffffffffff0".to_string()),
            Just("0001795600800000-00000-ZZZZZZZZZZZZZZZZ".to_string()),
        ]
        .prop_map(Clk::Malformed),
    ]
}

fn clock_text(c: &Clk, a_site: &str) -> String {
    match c {
        Clk::Near { ms, counter, eve } => Hlc {
            millis: *ms,
            counter: *counter,
            site: if *eve { EVE } else { a_site }.to_string(),
        }
        .to_string(),
        Clk::Future => "9999999999999999-99999-ffffffffffffffff".to_string(),
        Clk::Malformed(s) => s.clone(),
    }
}

#[derive(Debug, Clone)]
enum Damage {
    /// Changes one field of an existing row (or of a copy of one, new), with a clock.
    Row {
        table: usize,
        row: usize,
        new: bool,
        field: usize,
        value: Val,
        clock: Clk,
    },
    DropChecks,
    /// A view in the place of a table.
    View(usize),
    Trigger,
    Version(i64),
    JunkSite {
        site: String,
        member: Val,
    },
    JunkBase {
        base: String,
    },
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        12 => (0usize..8, 0usize..64, any::<bool>(), 0usize..20, val(), clk()).prop_map(
            |(table, row, new, field, value, clock)| Damage::Row { table, row, new, field, value, clock }
        ),
        2 => Just(Damage::DropChecks),
        1 => (0usize..8).prop_map(Damage::View),
        1 => Just(Damage::Trigger),
        1 => prop_oneof![Just(0i64), Just(99), Just(-1), Just(1)].prop_map(Damage::Version),
        1 => ("[0-9a-f]{16}|\\PC{0,20}", val()).prop_map(|(site, member)| Damage::JunkSite { site, member }),
        1 => "[0-9]{16}-[0-9]{5}-[0-9a-f]{16}|\\PC{0,20}".prop_map(|base| Damage::JunkBase { base }),
    ]
}

fn ids(conn: &Connection, table: &str) -> Vec<String> {
    let mut stmt = conn
        .prepare(&format!("SELECT id FROM {table} ORDER BY id"))
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn all_ids(conn: &Connection) -> Vec<String> {
    Table::ALL
        .iter()
        .flat_map(|t| ids(conn, t.name()))
        .collect()
}

fn to_sql(v: &Val, pool: &[String]) -> Value {
    match v {
        Val::Null => Value::Null,
        Val::Int(n) => Value::Integer(*n),
        Val::Real(x) => Value::Real(*x),
        Val::Text(t) => Value::Text(t.clone()),
        Val::Long(n) => Value::Text("x".repeat(*n)),
        Val::Blob(b) => Value::Blob(b.clone()),
        Val::Id(i) if pool.is_empty() => Value::Text(format!("nowhere-{i}")),
        Val::Id(i) => Value::Text(pool[i % pool.len()].clone()),
    }
}

/// Applies the damage to the team file at `path`, as a teammate with write access and
/// the sqlite3 shell could. Returns the ids of existing rows it touched.
fn apply(path: &Path, damages: &[Damage], a_site: &str) -> Vec<String> {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON;
         PRAGMA writable_schema = ON;",
    )
    .unwrap();
    let pool = all_ids(&conn);
    let mut touched = Vec::new();
    // Rows first, then the schema: a view in a table's place cannot be read either.
    let mut order: Vec<(usize, &Damage)> = damages.iter().enumerate().collect();
    order.sort_by_key(|(_, d)| {
        matches!(
            d,
            Damage::DropChecks | Damage::View(_) | Damage::Trigger | Damage::Version(_)
        )
    });
    for (n, d) in order {
        match d {
            Damage::Row {
                table,
                row,
                new,
                field,
                value,
                clock,
            } => {
                let table = Table::ALL[table % Table::ALL.len()];
                let name = table.name();
                let rows = ids(&conn, name);
                if rows.is_empty() {
                    continue;
                }
                let source = rows[row % rows.len()].clone();
                let fields = table.fields();
                let field = fields[field % fields.len()];
                let hlc = clock_text(clock, a_site);
                let id = if *new {
                    let id = format!("fz-{n}-{source}");
                    let cols = fields
                        .iter()
                        .map(|f| format!("\"{f}\""))
                        .collect::<Vec<_>>()
                        .join(", ");
                    conn.execute(
                        &format!(
                            "INSERT OR IGNORE INTO {name} (id, {cols})
                             SELECT ?1, {cols} FROM {name} WHERE id = ?2"
                        ),
                        [&id, &source],
                    )
                    .unwrap();
                    conn.execute(
                        "INSERT OR REPLACE INTO field_clock (tbl, row_id, field, hlc)
                         VALUES (?1, ?2, '*', ?3)",
                        [name, &id, &hlc],
                    )
                    .unwrap();
                    id
                } else {
                    touched.push(source.clone());
                    source
                };
                // A value a column of another type cannot take (the schema kept its
                // CHECKs) is simply not written, as SQLite would refuse it.
                let _ = conn.execute(
                    &format!("UPDATE {name} SET \"{field}\" = ?1 WHERE id = ?2"),
                    rusqlite::params![to_sql(value, &pool), id],
                );
                conn.execute(
                    "INSERT OR REPLACE INTO field_clock (tbl, row_id, field, hlc)
                     VALUES (?1, ?2, ?3, ?4)",
                    [name, &id, field, &hlc],
                )
                .unwrap();
            }
            Damage::DropChecks => {
                conn.execute(
                    "UPDATE sqlite_schema
                        SET sql = replace(replace(replace(replace(replace(sql,
                                  'CHECK (amount_minor >= 0)', ''),
                                  'CHECK (status IN (''open'', ''won'', ''lost''))', ''),
                                  'CHECK (tier IN (''key'', ''normal'', ''low''))', ''),
                                  'CHECK (probability BETWEEN 0 AND 100)', ''),
                                  'NOT NULL', '')
                      WHERE type = 'table' AND name IN ('deals', 'customers', 'stages')",
                    [],
                )
                .unwrap();
            }
            Damage::View(t) => {
                let name = Table::ALL[t % Table::ALL.len()].name();
                let _ = conn.execute_batch(&format!(
                    "DROP TABLE IF EXISTS {name};
                     CREATE VIEW {name} AS WITH RECURSIVE n(i) AS
                       (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i AS id FROM n;"
                ));
            }
            Damage::Trigger => {
                let _ = conn.execute_batch(
                    "CREATE TRIGGER fz AFTER INSERT ON deals BEGIN DELETE FROM customers; END;",
                );
            }
            Damage::Version(v) => {
                conn.pragma_update(None, "user_version", v).unwrap();
            }
            Damage::JunkSite { site, member } => {
                let _ = conn.execute(
                    "INSERT OR REPLACE INTO sites (site_id, member_id) VALUES (?1, ?2)",
                    rusqlite::params![site, to_sql(member, &pool)],
                );
            }
            Damage::JunkBase { base } => {
                let _ = conn.execute(
                    "UPDATE field_base SET base = ?1 WHERE rowid IN
                       (SELECT rowid FROM field_base LIMIT 1)",
                    [base],
                );
                let _ = conn.execute(
                    "INSERT OR REPLACE INTO field_base (tbl, row_id, field, hlc, base)
                     SELECT tbl, row_id, field, hlc, ?1 FROM field_clock LIMIT 3",
                    [base],
                );
            }
        }
    }
    touched
}

/// Every row of every domain table keeps the rules; the database is whole.
fn assert_sound(store: &Store) {
    let conn = store.conn();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let dangling: Option<String> = conn
        .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
        .ok();
    assert_eq!(dangling, None, "a row refers to a missing record");
    for table in Table::ALL {
        let fields = table.fields();
        let cols = fields
            .iter()
            .map(|f| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let mut stmt = conn
            .prepare(&format!("SELECT id, {cols} FROM {}", table.name()))
            .unwrap();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let id: Value = r.get(0).unwrap();
            let values: Vec<Value> = (0..fields.len()).map(|i| r.get(i + 1).unwrap()).collect();
            if let Err(broken) = validate::check_row(table, &id, &values) {
                panic!("{} {id:?} was merged broken: {broken:?}", table.name());
            }
        }
    }
    let hlc: Hlc = store.meta("hlc").unwrap().unwrap().parse().unwrap();
    assert!(
        hlc.millis <= store.now_millis() + MAX_CLOCK_DRIFT_MS,
        "the clock was dragged ahead: {hlc}"
    );
    // What the screens and commands read still reads.
    deals::list(conn, &deals::Filter::default()).unwrap();
    salesdesk::store::customers::list(conn, &Default::default()).unwrap();
    salesdesk::store::reports::report(
        conn,
        salesdesk::domain::metrics::Period::All,
        &"EUR".parse().unwrap(),
        &Default::default(),
        store.now_millis(),
        salesdesk::domain::time::Zone::Named(chrono_tz::UTC),
    )
    .unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(24),
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_damaged_team_file_is_refused_or_merged_sound(
        damages in prop::collection::vec(damage(), 1..6),
        merged_before in any::<bool>(),
    ) {
        let (team, a_site) = template();
        let dir = tempfile::tempdir().unwrap();
        let honest = {
            let conn = Connection::open(team).unwrap();
            all_ids(&conn)
        };
        let mut b = Store::open(&dir.path().join("b.db"), clock(T0 + 60_000)).unwrap();
        if merged_before {
            let copy = dir.path().join("clean.db");
            std::fs::copy(team, &copy).unwrap();
            teamfile::check(&copy, Some("team-1")).unwrap();
            merge::merge_from(&b, &copy).unwrap();
        }
        let copy = dir.path().join("team.db");
        std::fs::copy(team, &copy).unwrap();
        let touched = apply(&copy, &damages, a_site);
        let before = salesdesk_snapshot(&b);
        match teamfile::check(&copy, Some("team-1")) {
            Err(_) => prop_assert_eq!(salesdesk_snapshot(&b), before, "a refused file changed nothing"),
            Ok(_) => {
                let report = merge::merge_from(&b, &copy)
                    .unwrap_or_else(|e| panic!("the merge failed instead of quarantining: {e}"));
                assert_sound(&b);
                // Honest rows that nothing touched arrive (or were there already), unless
                // they depend on a touched one.
                if touched.is_empty() && report.quarantined == 0 {
                    let here = all_ids(b.conn());
                    for id in &honest {
                        prop_assert!(here.contains(id), "honest row {id} was lost");
                    }
                }
                // B can still write, and that write wins over anything merged.
                salesdesk::store::members::set_identity(&mut b, "Ben", None).unwrap();
            }
        }
    }
}

fn salesdesk_snapshot(store: &Store) -> Vec<String> {
    let conn = store.conn();
    let mut out = Vec::new();
    for table in Table::ALL
        .iter()
        .map(|t| t.name())
        .chain(["field_clock", "quarantine", "sites"])
    {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get::<_, Value>(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .map(Result::unwrap);
        out.extend(rows.map(|r| format!("{table}: {r}")));
    }
    out.sort();
    out
}

// ---------------------------------------------------------------------------------------
// The parsers behind the command line's arguments.

thread_local! {
    static BOOK: (tempfile::TempDir, Store) = {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("book.db"), clock(T0)).unwrap();
        salesdesk::demo::generate(&mut store, Some(4)).unwrap();
        (dir, store)
    };
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,30}",
        "[0-9 .,'+-]{0,24}( ?[A-Za-z]{0,4})?",
        "[0-9]{1,5}-[0-9]{1,3}-[0-9]{1,3}",
        "(next |in |-|\\+)?[0-9]{0,12} ?(d|h|m|w|days|weeks|mon|tomorrow|today)?",
        "[0-9a-f]{8}|[0-9a-f-]{36}",
        ".{0,200}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(512), ..ProptestConfig::default() })]

    #[test]
    fn amounts_parse_within_bounds_or_are_refused(input in text()) {
        if let Ok(money) = Money::parse(&input, &"EUR".parse().unwrap()) {
            prop_assert!((0..=MAX_AMOUNT_MINOR).contains(&money.minor), "{input:?} gave {money:?}");
        }
    }

    #[test]
    fn dates_and_times_parse_or_are_refused(input in text(), offset in -10_000_000_000i64..10_000_000_000) {
        let now = from_millis(T0 + offset);
        let today = now.date_naive();
        let _ = time::parse_date(&input, today);
        let _ = time::parse_when(&input, now);
        let _ = time::parse_past(&input, now);
        let _ = input.parse::<Hlc>();
        let _ = salesdesk::domain::limits::check_date(&input);
    }

    #[test]
    fn references_resolve_or_are_refused_in_words(input in text()) {
        BOOK.with(|(_, store)| {
            for kind in [reference::DEAL, reference::CUSTOMER, reference::CONTACT, reference::ACTIVITY] {
                for scope in [Scope::Live, Scope::Deleted] {
                    match reference::resolve(store.conn(), kind, &input, scope) {
                        Ok(_)
                        | Err(StoreError::NotFound { .. } | StoreError::Ambiguous { .. } | StoreError::Invalid(_)) => {}
                        Err(e) => panic!("{input:?}: {e}"),
                    }
                }
            }
        });
    }
}

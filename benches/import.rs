//! The import budget of issue 14: a 100k-deal CSV (`SALESDESK_BENCH_SCALE=N` for another
//! size) read, parsed, matched and written into a new database, in rows per second; the
//! target is ≥ 100k rows/s. Each sample imports into a fresh database file; the CSV is
//! generated once per run into a temporary file. A second case imports the same file again
//! into the book it made: every row updates (matches) instead of inserting.
//!
//! A third case is not SalesDesk's code but the floor under it: the rows the first case
//! wrote, copied by SQL alone from that book into a new one (the same tables, indexes
//! dropped and built again at the end, the search index filled, one transaction kept
//! durable), with nothing read, parsed, matched, validated or bound. No import into this
//! schema can be faster than that on the machine it runs on.
//!
//! Run with `cargo bench --bench import`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use chrono::TimeZone;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use salesdesk::domain::money::Currency;
use salesdesk::domain::time::{Clock, FixedClock, Zone};
use salesdesk::interop::map::{Entity, Format, Mapping};
use salesdesk::interop::records::Context;
use salesdesk::interop::{self, source};
use salesdesk::store::{Store, stages};
use salesdesk::usecase::import::{self, Options};

/// The allocator the binary uses, so the figure is that of what ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn scale() -> usize {
    std::env::var("SALESDESK_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000)
}

fn clock() -> Arc<dyn Clock> {
    Arc::new(FixedClock(
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 25, 10, 0, 0)
            .unwrap(),
    ))
}

/// A CSV as a spreadsheet export gives it: ids, a customer per five deals, stages,
/// statuses with close times, owners.
fn write_csv(path: &Path, rows: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(
        f,
        "Ref,Title,Customer,Amount,Stage,Status,Created,Closed,Lost reason,Owner"
    )
    .unwrap();
    let stages = ["Lead", "Qualified", "Proposal", "Negotiation"];
    for i in 0..rows {
        let (status, closed, reason) = match i % 5 {
            0 => ("won", "2026-11-20 12:00:00", ""),
            1 => ("lost", "2026-11-21 12:00:00", "price"),
            _ => ("open", "", ""),
        };
        writeln!(
            f,
            "D{i},Deal number {i},Customer {},{}.50,{},{status},2026-{:02}-{:02} 10:00:00,{closed},{reason},Rep {}",
            i / 5,
            100 + i % 100_000,
            stages[i % 4],
            1 + i % 10,
            1 + i % 28,
            i % 12
        )
        .unwrap();
    }
}

fn import_file(csv: &Path, db: &Path) -> usize {
    let _ = std::fs::remove_file(db);
    import_into(csv, db)
}

/// Imports `csv` into the book at `db` as it is (a re-import updates what it matches).
fn import_into(csv: &Path, db: &Path) -> usize {
    let mut store = Store::open(db, clock()).unwrap();
    let table = source::open(csv, None).unwrap();
    let mapping = Mapping::new(Entity::Deals, Format::Auto, None, &table.headers).unwrap();
    let all = stages::list(store.conn()).unwrap();
    let pipelines = salesdesk::store::pipelines::list(store.conn()).unwrap();
    let eur = Currency::eur();
    let cx = Context {
        stages: &all,
        pipelines: &pipelines,
        zone: Zone::Named(chrono_tz::Europe::Berlin),
        currency: &eur,
        now: store.now_millis(),
        fields: &[],
    };
    let options = Options {
        large: true,
        source: "bench",
        ..Options::default()
    };
    let summary =
        import::import(&mut store, interop::records(table, &mapping, &cx), options).unwrap();
    assert!(summary.written && summary.errors.is_empty(), "{summary:?}");
    summary.rows
}

fn import_csv(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("deals.csv");
    let db = dir.path().join("book.db");
    let rows = scale();
    write_csv(&csv, rows);
    let started = Instant::now();
    import_file(&csv, &db);
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "import of {rows} deals: {secs:.2} s, {:.0} rows/s",
        rows as f64 / secs
    );

    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.throughput(Throughput::Elements(rows as u64));
    group.bench_function("deals csv into a new book", |b| {
        b.iter(|| import_file(&csv, &db))
    });
    // The same file again: every row matches a deal by its id and changes nothing.
    import_file(&csv, &db);
    group.bench_function("the same deals csv again", |b| {
        b.iter(|| import_into(&csv, &db))
    });
    // SQLite's floor for the same book (see the module's comment).
    let made = dir.path().join("made.db");
    import_file(&csv, &made);
    let floor = dir.path().join("floor.db");
    group.bench_function("sqlite alone: the same rows copied into a new book", |b| {
        b.iter(|| copy_rows(&made, &floor))
    });
    group.finish();
}

/// The tables a 100k-deal import fills; the rest (stages, settings) a new book has.
const FILLED: [&str; 5] = [
    "members",
    "customers",
    "deals",
    "stage_changes",
    "field_clock",
];

/// Makes a new book at `db` and copies into it the rows of the book at `made` that an
/// import wrote, as the import's bulk path writes them: secondary indexes and triggers
/// dropped, one transaction, a rollback journal with `synchronous = FULL`, temporary
/// files in memory, no memory map; the search index filled and the indexes built at the
/// end.
fn copy_rows(made: &Path, db: &Path) {
    let _ = std::fs::remove_file(db);
    let store = Store::open(db, clock()).unwrap();
    let conn = store.conn();
    let mut dropped = Vec::new();
    {
        let mut stmt = conn
            .prepare(
                "SELECT type, name, sql FROM sqlite_schema
                  WHERE type IN ('index', 'trigger') AND sql IS NOT NULL
                    AND tbl_name IN ('members', 'customers', 'deals', 'stage_changes',
                                     'field_clock', 'contacts', 'activities')",
            )
            .unwrap();
        let found = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
            })
            .unwrap()
            .collect::<rusqlite::Result<Vec<(String, String, String)>>>()
            .unwrap();
        for (kind, name, sql) in found {
            conn.execute_batch(&format!("DROP {kind} \"{name}\""))
                .unwrap();
            dropped.push(sql);
        }
    }
    conn.execute_batch(
        "PRAGMA main.journal_mode = DELETE; PRAGMA synchronous = FULL;
         PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 0; DELETE FROM search_index;",
    )
    .unwrap();
    conn.execute("ATTACH ?1 AS made", [made.to_str().unwrap()])
        .unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    for table in FILLED {
        conn.execute_batch(&format!(
            "INSERT OR IGNORE INTO main.{table} SELECT * FROM made.{table}"
        ))
        .unwrap();
    }
    conn.execute_batch(
        "INSERT INTO search_index (rowid, kind, row_id, title, body)
         SELECT rowid, kind, row_id, title, body FROM made.search_index",
    )
    .unwrap();
    for sql in &dropped {
        conn.execute_batch(sql).unwrap();
    }
    conn.execute_batch("COMMIT; DETACH made").unwrap();
}

criterion_group!(benches, import_csv);
criterion_main!(benches);

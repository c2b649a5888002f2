//! The import budget of issue 14: a 100k-deal CSV (`SALESDESK_BENCH_SCALE=N` for another
//! size) read, parsed, matched and written into a new database, in rows per second; the
//! target is ≥ 100k rows/s. Each sample imports into a fresh database file; the CSV is
//! generated once per run into a temporary file. A second case imports the same file again
//! into the book it made: every row updates (matches) instead of inserting.
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
    let eur = Currency::eur();
    let cx = Context {
        stages: &all,
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
    group.finish();
}

criterion_group!(benches, import_csv);
criterion_main!(benches);

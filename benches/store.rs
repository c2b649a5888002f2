//! Store budgets of DESIGN §7 on generated data (100k deals, 20k customers, 200k
//! activities by default; `SALESDESK_BENCH_SCALE=N` for a smaller run):
//! - one stage move saved and one edit saved (≤ 20 ms p99), each a full `Store::apply`
//!   with its clocks, history and search index;
//! - search as you type (≤ 30 ms p95): each prefix of a six-letter word that occurs in the
//!   demo data, and a CJK query;
//! - the Reports view's aggregates for all time, this month and past periods (≤ 100 ms);
//! - the demo generator's rate (≥ 50k rows/s), on a fresh database per sample;
//! - the list commands (`deal|customer|contact|activity list`, table and `--json`), the
//!   whole `salesdesk` process with its output sent nowhere, with their rate per row listed:
//!   a command must not grow faster than its output (`cargo bench --bench store -- list`).
//! - `remind`, `remind --count` and `report` as whole processes (`-- command`).
//!
//! Besides criterion's figures, each budget stated as a percentile gets its median, p95
//! and p99 over single runs, printed to stderr.
//!
//! Run with `cargo bench --bench store`. The database is generated once per run into a
//! temporary file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

use common::{clock, generate, scale, tail_latency};
use salesdesk::config::Settings;
use salesdesk::demo;
use salesdesk::domain::metrics::{Period, Span};
use salesdesk::domain::money::Money;
use salesdesk::domain::time::Zone;
use salesdesk::store::{Store, deals, reports, search, stages};
use salesdesk::usecase;

/// A word of six letters in every demo book (customer names and deal titles).
const WORD: &str = "Globex";

fn saves(c: &mut Criterion, path: &Path) {
    let mut store = Store::open(path, clock()).unwrap();
    let stages = stages::list(store.conn()).unwrap();
    // An open deal in the first stage.
    let lead = deals::list(
        store.conn(),
        &deals::Filter {
            stage_id: Some(stages[0].id.clone()),
            status: Some(salesdesk::domain::deal::DealStatus::Open),
            limit: Some(1),
            ..deals::Filter::default()
        },
    )
    .unwrap()
    .remove(0)
    .deal;

    let mut group = c.benchmark_group("save");
    // Back and forth between the first two stages: each move writes the deal, its
    // clocks and a history row.
    let mut k = 0usize;
    group.bench_function("one stage move", |b| {
        b.iter(|| {
            k += 1;
            let to = &stages[k % 2];
            black_box(usecase::deals::move_to_stage(&mut store, &lead.id, to).unwrap());
        })
    });
    let currency = lead.amount.currency.clone();
    let mut amount = lead.amount.minor;
    group.bench_function("one edit (amount)", |b| {
        b.iter(|| {
            amount += 100;
            let patch = usecase::deals::Patch {
                amount: Some(Money::new(amount, currency.clone())),
                ..usecase::deals::Patch::default()
            };
            black_box(usecase::deals::edit(&mut store, &lead.id, &patch).unwrap());
        })
    });
    group.finish();
    // `k` goes on from where the criterion run left the deal.
    tail_latency("one stage move saved", 500, || {
        k += 1;
        black_box(usecase::deals::move_to_stage(&mut store, &lead.id, &stages[k % 2]).unwrap());
    });
    tail_latency("one edit saved", 500, || {
        amount += 100;
        let patch = usecase::deals::Patch {
            amount: Some(Money::new(amount, currency.clone())),
            ..usecase::deals::Patch::default()
        };
        black_box(usecase::deals::edit(&mut store, &lead.id, &patch).unwrap());
    });
}

fn search_as_you_type(c: &mut Criterion, path: &Path) {
    let store = Store::open(path, clock()).unwrap();
    let mut group = c.benchmark_group("search top 50");
    let prefixes = (1..=WORD.len()).map(|n| &WORD[..n]);
    for query in prefixes.chain(["华为"]) {
        group.bench_with_input(BenchmarkId::from_parameter(query), query, |b, q| {
            b.iter(|| black_box(search::search(store.conn(), q, 50).unwrap()))
        });
    }
    group.finish();
    let prefixes = (1..=WORD.len()).map(|n| &WORD[..n]);
    for query in prefixes.chain(["华为"]) {
        tail_latency(&format!("search top 50 \"{query}\""), 100, || {
            black_box(search::search(store.conn(), query, 50).unwrap());
        });
    }
}

/// Every aggregate of the Reports view, for all time, this month and a past month and
/// quarter (the view's `[`, `report --period 2026-10`).
fn report_aggregates(c: &mut Criterion, path: &Path) {
    let store = Store::open(path, clock()).unwrap();
    let settings = Settings::default();
    let now = store.now_millis();
    let zone = Zone::Named(chrono_tz::UTC);
    let today = zone.today(now);
    let mut group = c.benchmark_group("reports");
    group.sample_size(20);
    for (name, span) in [
        ("all time", Span::containing(Period::All, today)),
        ("this month", Span::containing(Period::Month, today)),
        ("a past month", Span::parse("2026-10", today).unwrap()),
        ("a past quarter", Span::parse("2026-Q3", today).unwrap()),
    ] {
        let run = || {
            reports::report_for(
                store.conn(),
                span,
                &settings.default_currency,
                &settings.cadence,
                now,
                zone,
            )
            .unwrap()
        };
        group.bench_function(name, |b| b.iter(|| black_box(run())));
        tail_latency(&format!("reports, {name}"), 30, || {
            black_box(run());
        });
    }
    group.finish();
}

/// The generator on a fresh database per sample, at a scale that keeps a sample short.
fn demo_rate(c: &mut Criterion) {
    let n = scale().min(10_000);
    let rows = {
        let mut store = Store::open_in_memory(clock()).unwrap();
        demo::generate(&mut store, Some(n)).unwrap().rows()
    };
    let mut group = c.benchmark_group("demo");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .throughput(Throughput::Elements(rows as u64));
    group.bench_function(BenchmarkId::new("generate", n), |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                let dir = tempfile::tempdir().unwrap();
                let mut store = Store::open(&dir.path().join("demo.db"), clock()).unwrap();
                let started = Instant::now();
                black_box(demo::generate(&mut store, Some(n)).unwrap());
                spent += started.elapsed();
            }
            spent
        })
    });
    group.finish();
}

/// The list commands, run as a user runs them (the real binary, a fixed `SALESDESK_NOW`, no
/// config file), each sample one whole process; throughput is in listed rows.
fn list_commands(c: &mut Criterion, path: &Path) {
    let (customer, rows) = {
        let store = Store::open(path, clock()).unwrap();
        let count = |sql: &str| -> u64 {
            store
                .conn()
                .query_row(sql, [], |r| r.get::<_, i64>(0))
                .unwrap() as u64
        };
        let customer: String = store
            .conn()
            .query_row("SELECT id FROM customers ORDER BY id LIMIT 1", [], |r| {
                r.get(0)
            })
            .unwrap();
        let contacts = count(&format!(
            "SELECT count(*) FROM contacts WHERE customer_id = '{customer}'"
        ));
        (
            customer,
            [
                (
                    "deal",
                    count("SELECT count(*) FROM deals WHERE deleted_at IS NULL"),
                ),
                (
                    "customer",
                    count("SELECT count(*) FROM customers WHERE deleted_at IS NULL"),
                ),
                ("contact", contacts.max(1)),
                // `activity list` shows the newest 200.
                ("activity", 200),
            ],
        )
    };
    let mut group = c.benchmark_group("list");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    for (noun, n) in rows {
        for json in [false, true] {
            let mut args: Vec<&str> = vec!["--db", path.to_str().unwrap()];
            if json {
                args.push("--json");
            }
            args.extend([noun, "list"]);
            if noun == "contact" {
                args.push(&customer);
            }
            let name = format!("{noun} list{}", if json { " --json" } else { "" });
            group.throughput(Throughput::Elements(n));
            group.bench_function(BenchmarkId::new(name, n), |b| {
                b.iter(|| {
                    let status = std::process::Command::new(env!("CARGO_BIN_EXE_salesdesk"))
                        .args(&args)
                        .env("SALESDESK_NOW", "2026-11-25T10:00:00Z")
                        .env("SALESDESK_CONFIG", path.with_extension("none.toml"))
                        .stdout(std::process::Stdio::null())
                        .status()
                        .unwrap();
                    assert!(status.success());
                })
            });
        }
    }
    group.finish();
}

/// `remind` (a shell prompt runs it on every line: ≤ 20 ms, issue 17) and `report` (≤ 100
/// ms), each sample one whole `salesdesk` process as a user runs it, output sent nowhere.
fn prompt_and_report_commands(c: &mut Criterion, path: &Path) {
    let mut group = c.benchmark_group("command");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(10));
    for args in [
        &["remind", "--count"][..],
        &["remind"],
        &["report", "--period", "all"],
        &["report"],
    ] {
        let run = || {
            let status = std::process::Command::new(env!("CARGO_BIN_EXE_salesdesk"))
                .arg("--db")
                .arg(path)
                .args(args)
                .env("SALESDESK_NOW", "2026-11-25T10:00:00Z")
                .env("SALESDESK_CONFIG", path.with_extension("none.toml"))
                .stdout(std::process::Stdio::null())
                .status()
                .unwrap();
            // `remind` exits 1 while something is overdue.
            assert!(matches!(status.code(), Some(0 | 1)), "{args:?}: {status}");
        };
        let name = args.join(" ");
        group.bench_function(&name, |b| b.iter(run));
        tail_latency(&format!("salesdesk {name}"), 30, run);
    }
    group.finish();
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    generate(&path);
    list_commands(c, &path);
    prompt_and_report_commands(c, &path);
    search_as_you_type(c, &path);
    report_aggregates(c, &path);
    saves(c, &path);
    demo_rate(c);
}

criterion_group!(store, benches);
criterion_main!(store);

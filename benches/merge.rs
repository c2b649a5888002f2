//! A first join's merge, the SQLite side (issue #20: a 100k-deal join ≤ 10 s): the demo
//! book of `SALESDESK_BENCH_SCALE` deals (100k by default) merged, as a team file or a
//! hub's pull file would be, into an empty book. It merges with
//! [`merge::merge_from_hub`], which neither verifies nor keeps signatures, so that what is
//! measured is the merge itself; the hub benchmark (`benches/hub.rs`) measures the whole
//! join against PostgreSQL.
//!
//! Before it, the writing of a hub's pull file with every row of that team (what a first
//! join does with the rows it pulls) is timed once.
//!
//! One merge is timed on its own first, with its CPU time (steadier than the wall time on
//! a machine shared with other work), then criterion takes its samples. Run with
//! `cargo bench --bench merge`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};

use common::{clock, cpu_seconds, generate, scale};
use salesdesk::store::merge::{self, MergeReport};
use salesdesk::store::{Store, hub};

/// Merges `team` into a new empty book at `path`; the merge's wall time and report. The
/// book is opened (made, migrated) before the clock starts and removed afterwards.
fn first_merge(team: &Path, path: &Path) -> (Duration, MergeReport) {
    let book = Store::open(path, clock()).unwrap();
    let started = Instant::now();
    let report = merge::merge_from_hub(&book, team).unwrap();
    let took = started.elapsed();
    drop(book);
    let _ = std::fs::remove_file(path);
    (took, report)
}

/// Writes every row of `team` into a hub's pull file at `path`, as a first join pulls
/// them, and says how long writing took: the rows are read from `team` a chunk at a time
/// (as a push reads them, into the form a pull receives), untimed.
fn pull_file(team: &Path, path: &Path) {
    let store = Store::open(team, clock()).unwrap();
    let (mut reader, _) = hub::PushReader::start(store.conn(), None, store.site_id(), &[]).unwrap();
    let mut file = hub::PullFile::create(path, "bench-team").unwrap();
    let (mut took, mut cpu, mut rows) = (Duration::ZERO, 0.0, 0);
    loop {
        let chunk = reader.next_chunk(10_000).unwrap();
        if chunk.is_empty() {
            break;
        }
        let (started, cpu_before) = (Instant::now(), cpu_seconds());
        for row in &chunk {
            file.add_row(row).unwrap();
        }
        took += started.elapsed();
        cpu += cpu_seconds() - cpu_before;
        rows += chunk.len();
    }
    reader.finish().unwrap();
    let (started, cpu_before) = (Instant::now(), cpu_seconds());
    file.finish().unwrap();
    took += started.elapsed();
    cpu += cpu_seconds() - cpu_before;
    eprintln!(
        "pull file of the {}-deal team: {rows} rows written in {:.1} s ({cpu:.1} s of CPU)",
        scale(),
        took.as_secs_f64(),
    );
    let _ = std::fs::remove_file(path);
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let team = dir.path().join("team.db");
    generate(&team);
    {
        let cpu = cpu_seconds();
        let (took, report) = first_merge(&team, &dir.path().join("book0.db"));
        eprintln!(
            "merge of the {}-deal team into an empty book: {:.1} s ({:.1} s of CPU), {} records added",
            scale(),
            took.as_secs_f64(),
            cpu_seconds() - cpu,
            report.rows_added,
        );
    }
    pull_file(&team, &dir.path().join("pull.db"));
    let mut group = c.benchmark_group("merge");
    group.sampling_mode(SamplingMode::Flat).sample_size(10);
    let mut n = 0;
    group.bench_function(format!("a {}-deal team into an empty book", scale()), |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    n += 1;
                    first_merge(&team, &dir.path().join(format!("book{n}.db"))).0
                })
                .sum()
        })
    });
    group.finish();
}

criterion_group!(merge_benches, benches);
criterion_main!(merge_benches);

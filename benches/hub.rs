//! Team sync through PostgreSQL (issue #20), against a throwaway local server on loopback
//! (tests/common/pg.rs): one change's round trip (on a new connection, as `salesdesk
//! sync` makes one, and on a kept one, as the TUI's background sync), 20 clients syncing a change each at
//! once, a pull of 1,000 changes, and the first join of a team of `SALESDESK_BENCH_SCALE`
//! deals (100k by default), and a team made from a book signed for a team file (what a
//! `team move-to` sends). Goals: one change ≤ 50 ms, a 100k join ≤ 10 s.
//! Without PostgreSQL it says how to install it and measures nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "../tests/common/pg.rs"]
mod pg;

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};

use common::{clock, cpu_seconds, scale, tail_latency};
use salesdesk::store::Store;
use salesdesk::sync::postgres::{self as hub, conninfo::Env};
use salesdesk::sync::team::TeamLink;
use salesdesk::usecase::customers::{NewCustomer, Patch, add, edit};

const CLIENTS: usize = 20;

fn env(password: &str) -> Env {
    Env {
        password: Some(password.to_string()),
        ..Env::default()
    }
}

fn rename(store: &mut Store, id: &str, n: usize) {
    edit(
        store,
        id,
        &Patch {
            name: Some(format!("Customer renamed {n}")),
            ..Patch::default()
        },
    )
    .unwrap();
}

fn customers(store: &Store) -> Vec<String> {
    let mut stmt = store
        .conn()
        .prepare("SELECT id FROM customers ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn small_team(c: &mut Criterion, server: &pg::PgServer, dir: &Path) {
    let url = server.database("bench", "bench", "pw-bench");
    let env = env("pw-bench");
    let mut first = Store::open(&dir.join("c0.db"), clock()).unwrap();
    for i in 0..2_000 {
        add(&mut first, &NewCustomer::named(&format!("Customer {i}"))).unwrap();
    }
    let link: TeamLink = hub::init_in(&first, &url, &env).unwrap();
    let mut clients = vec![first];
    for i in 1..CLIENTS {
        let store = Store::open(&dir.join(format!("c{i}.db")), clock()).unwrap();
        hub::join_in(&store, &url, &env).unwrap();
        clients.push(store);
    }
    for store in &clients {
        hub::sync_in(store, &link, &env).unwrap();
    }
    let ids = customers(&clients[0]);

    let mut group = c.benchmark_group("hub");
    // The same number of runs per sample: the runs are long, and the pull's untimed
    // setup (1,000 edits) longer.
    group.sampling_mode(SamplingMode::Flat).sample_size(10);
    let mut n = 0;
    group.bench_function("one change: edit and sync", |b| {
        b.iter(|| {
            n += 1;
            rename(&mut clients[0], &ids[n % ids.len()], n);
            hub::sync_in(&clients[0], &link, &env).unwrap();
        })
    });
    tail_latency("one change: edit and sync", 50, || {
        n += 1;
        rename(&mut clients[0], &ids[n % ids.len()], n);
        hub::sync_in(&clients[0], &link, &env).unwrap();
    });
    // As the TUI's background sync does it: one connection, kept between syncs.
    let mut session = hub::Session::open(&link, &env).unwrap();
    group.bench_function("one change over a kept connection", |b| {
        b.iter(|| {
            n += 1;
            rename(&mut clients[0], &ids[n % ids.len()], n);
            session.sync(&clients[0], &link).unwrap();
        })
    });
    tail_latency("one change over a kept connection", 50, || {
        n += 1;
        rename(&mut clients[0], &ids[n % ids.len()], n);
        session.sync(&clients[0], &link).unwrap();
    });
    drop(session);
    // Bring everyone up to date before the concurrent rounds.
    for store in &clients {
        hub::sync_in(store, &link, &env).unwrap();
    }
    group.bench_function("20 clients: one change each, syncing at once", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                n += 1;
                let started = Instant::now();
                std::thread::scope(|s| {
                    for (i, store) in clients.iter_mut().enumerate() {
                        let id = &ids[(n * CLIENTS + i) % ids.len()];
                        let (link, env) = (&link, &env);
                        s.spawn(move || {
                            rename(store, id, n);
                            hub::sync_in(store, link, env).unwrap();
                        });
                    }
                });
                total += started.elapsed();
            }
            total
        })
    });
    group.bench_function("pull of 1,000 changes", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                hub::sync_in(&clients[1], &link, &env).unwrap();
                for k in 0..1_000 {
                    n += 1;
                    rename(&mut clients[0], &ids[k % ids.len()], n);
                }
                hub::sync_in(&clients[0], &link, &env).unwrap();
                let started = Instant::now();
                hub::sync_in(&clients[1], &link, &env).unwrap();
                total += started.elapsed();
            }
            total
        })
    });
    group.finish();
}

fn big_join(c: &mut Criterion, server: &pg::PgServer, dir: &Path) {
    let url = server.database("big", "big", "pw-big");
    let env = env("pw-big");
    let book = dir.join("book.db");
    common::generate(&book);
    let store = Store::open(&book, clock()).unwrap();
    let started = Instant::now();
    hub::init_in(&store, &url, &env).unwrap();
    eprintln!(
        "made the team from {} deals in {:.1} s",
        scale(),
        started.elapsed().as_secs_f64()
    );
    // One join timed on its own first, with the memory it took: at 100k deals the
    // criterion run below takes many minutes.
    {
        let path = dir.join("joiner0.db");
        let joiner = Store::open(&path, clock()).unwrap();
        let rss = resident_kb();
        let cpu = cpu_seconds();
        let started = Instant::now();
        let (_, report) = hub::join_in(&joiner, &url, &env).unwrap();
        eprintln!(
            "first join of the {}-deal team: {:.1} s ({:.1} s of CPU in this process, the server's not counted), {} records added; resident memory {} MB before, {} MB after (peak of the process so far {} MB)",
            scale(),
            started.elapsed().as_secs_f64(),
            cpu_seconds() - cpu,
            report.merged.rows_added,
            rss.0 / 1024,
            resident_kb().0 / 1024,
            resident_kb().1 / 1024,
        );
        drop(joiner);
        let _ = std::fs::remove_file(&path);
    }
    let mut group = c.benchmark_group("hub");
    group.sampling_mode(SamplingMode::Flat).sample_size(10);
    let mut n = 0;
    group.bench_function(format!("first join of a {}-deal team", scale()), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                n += 1;
                let path = dir.join(format!("joiner{n}.db"));
                let joiner = Store::open(&path, clock()).unwrap();
                let started = Instant::now();
                hub::join_in(&joiner, &url, &env).unwrap();
                total += started.elapsed();
                drop(joiner);
                let _ = std::fs::remove_file(&path);
            }
            total
        })
    });
    group.finish();
}

/// A team made on the hub from a book whose member signed it for a team file, as `team
/// move-to` makes one from a team-file book: how long it takes, how many bytes cross
/// loopback meanwhile (nearly all of them the push), and what the hub then holds.
/// Timed once, not by criterion: at 100k deals it takes a minute.
fn signed_book(server: &pg::PgServer, dir: &Path) {
    let url = server.database("signed", "signed", "pw-signed");
    let env = env("pw-signed");
    let book = dir.join("signed.db");
    common::generate(&book);
    let store = Store::open(&book, clock()).unwrap();
    let started = Instant::now();
    let signed = salesdesk::store::signing::sign_own(&store, "a team file's").unwrap();
    eprintln!(
        "signed {signed} clock entries of the {}-deal book in {:.1} s",
        scale(),
        started.elapsed().as_secs_f64()
    );
    let before = loopback_bytes();
    let cpu = cpu_seconds();
    let started = Instant::now();
    hub::init_in(&store, &url, &env).unwrap();
    let secs = started.elapsed().as_secs_f64();
    let sent = loopback_bytes() - before;
    let mut su = server.connect_as("signed", "signed", "pw-signed").unwrap();
    let hub = su
        .query_one(
            "SELECT count(*), pg_total_relation_size('salesdesk.rows') FROM salesdesk.rows",
            &[],
        )
        .unwrap();
    let (rows, size): (i64, i64) = (hub.get(0), hub.get(1));
    eprintln!(
        "made the team from the signed {}-deal book in {secs:.1} s ({:.1} s of CPU in this process): {} MB over loopback, {rows} rows on the hub taking {} MB",
        scale(),
        cpu_seconds() - cpu,
        sent / 1_000_000,
        size / 1_000_000,
    );
}

/// How many bytes have crossed the loopback interface so far (Linux; zero elsewhere):
/// the hub is on loopback, so during a push this is nearly all the push, both ways
/// (anything else on the machine using loopback meanwhile is counted too).
fn loopback_bytes() -> u64 {
    std::fs::read_to_string("/proc/net/dev")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("lo:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// This process's resident memory and its peak so far, in kB (Linux; zeros elsewhere).
fn resident_kb() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Whether the filter given on the command line (`cargo bench --bench hub -- FILTER`)
/// may match a benchmark whose name contains `word`: the setups are long (the big join's
/// makes a 100k-deal team), so a group no benchmark of which is wanted is not set up.
fn wanted(words: &[&str]) -> bool {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    // A filter is a regular expression; its alternatives are enough to tell.
    filters.is_empty()
        || filters
            .iter()
            .flat_map(|f| f.split('|'))
            .map(|f| f.trim_start_matches("hub/"))
            .any(|f| words.iter().any(|w| w.contains(f)))
}

fn benches(c: &mut Criterion) {
    let Some(server) = pg::PgServer::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    if wanted(&[
        "one change",
        "one change over a kept connection",
        "20 clients",
        "pull of 1,000 changes",
    ]) {
        small_team(c, &server, dir.path());
    }
    if wanted(&["first join of a"]) {
        big_join(c, &server, dir.path());
    }
    if wanted(&["team made from a signed book"]) {
        signed_book(&server, dir.path());
    }
}

criterion_group!(hub_benches, benches);
criterion_main!(hub_benches);

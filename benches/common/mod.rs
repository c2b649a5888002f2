//! What both benchmarks share: the fixed clock, the scale, the 100k demo book written
//! once per run, and tail latencies (the budgets are p95/p99; criterion reports means).

#![allow(dead_code)] // each bench uses its own part

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::TimeZone;

use salesdesk::demo;
use salesdesk::domain::time::{Clock, FixedClock};
use salesdesk::store::Store;

/// The allocator the `salesdesk` binary uses (see `src/main.rs`), so that the figures are
/// those of what ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// 2026-11-25 10:00 UTC: the demo book is generated relative to this.
pub fn clock() -> Arc<dyn Clock> {
    Arc::new(FixedClock(
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 25, 10, 0, 0)
            .unwrap(),
    ))
}

/// Deals in the book: 100k as DESIGN §7 says, or `SALESDESK_BENCH_SCALE` for a quick run.
pub fn scale() -> usize {
    std::env::var("SALESDESK_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000)
}

/// Writes the demo book at the benchmark scale to `path`, and says how fast it went.
pub fn generate(path: &Path) {
    let mut store = Store::open(path, clock()).unwrap();
    let started = Instant::now();
    let made = demo::generate(&mut store, Some(scale())).unwrap();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "generated {} deals ({} rows) in {secs:.1} s: {:.0} rows/s",
        made.deals,
        made.rows(),
        made.rows() as f64 / secs
    );
}

/// Runs `f` `runs` times, timing each run alone, and prints the median, p95, p99 and
/// worst: the figures the budgets are stated in.
pub fn tail_latency(label: &str, runs: usize, mut f: impl FnMut()) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed()
        })
        .collect();
    times.sort_unstable();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    eprintln!(
        "{label}: median {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({runs} runs)",
        ms(at(0.5)),
        ms(at(0.95)),
        ms(at(0.99)),
        ms(at(1.0)),
    );
}

/// The CPU time this process has used so far, user and system, in seconds (Linux; zero
/// elsewhere). On a machine shared with other work the wall time of a join varies by a
/// third from run to run; its CPU time much less, so a change is measured by both.
pub fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses and may hold spaces:
    // utime and stime are the 14th and 15th fields, in clock ticks (100 a second).
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 = after_name
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|t| t.parse::<u64>().ok())
        .sum();
    ticks as f64 / 100.0
}

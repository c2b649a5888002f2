//! TUI budgets of DESIGN §7 on generated data (100k deals, 20k customers, 200k
//! activities by default; `SALESDESK_BENCH_SCALE=N` for a smaller run):
//! - start to first full frame of the pipeline board (200×50);
//! - a key press → update (with its queries) → redrawn frame, for `j`, `l` and switching
//!   views.
//!
//! Run with `cargo bench --bench tui`. The database is generated once per run into a
//! temporary file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use common::{clock, generate, tail_latency};
use salesdesk::config::Settings;
use salesdesk::domain::time::Zone;
use salesdesk::store::Store;
use salesdesk::tui::action::Action;
use salesdesk::tui::app::App;
use salesdesk::tui::views;

fn open_app(path: &Path) -> App {
    let store = Store::open(path, clock()).unwrap();
    App::new(
        store,
        Settings::default(),
        Zone::Named(chrono_tz::UTC),
        (200, 50),
    )
    .unwrap()
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal.draw(|f| views::render(app, f)).unwrap();
}

fn key(app: &mut App, c: char) {
    app.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    generate(&path);
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();

    c.bench_function("start: open + first frame of the pipeline (200x50)", |b| {
        b.iter(|| {
            let app = open_app(&path);
            draw(&mut terminal, &app);
            black_box(app.pipeline.board.columns.len())
        })
    });

    let mut app = open_app(&path);
    c.bench_function("key j: next card + redraw", |b| {
        b.iter(|| {
            key(&mut app, 'j');
            draw(&mut terminal, &app);
        })
    });
    c.bench_function("key l/h: next column + redraw", |b| {
        let mut right = true;
        b.iter(|| {
            key(&mut app, if right { 'l' } else { 'h' });
            right = !right;
            draw(&mut terminal, &app);
        })
    });
    c.bench_function("keys 1/2/3: switch view + redraw", |b| {
        let mut i = 0;
        b.iter(|| {
            key(&mut app, ['1', '2', '3'][i % 3]);
            i += 1;
            draw(&mut terminal, &app);
        })
    });
    c.bench_function("key L then H: move a deal and back (saved) + redraw", |b| {
        key(&mut app, '1');
        key(&mut app, 'g');
        // Timed: the keys and frames. Between them, untimed, the idle tick in which the
        // app checkpoints its write-ahead log, as it does when the user pauses.
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                let started = Instant::now();
                key(&mut app, 'L');
                draw(&mut terminal, &app);
                key(&mut app, 'H');
                draw(&mut terminal, &app);
                spent += started.elapsed();
                app.dispatch(Action::Tick);
            }
            spent
        })
    });

    // The budgets' percentiles, over single key presses.
    tail_latency("start: open + first frame", 30, || {
        let app = open_app(&path);
        draw(&mut terminal, &app);
    });
    let mut app = open_app(&path);
    let mut run_keys = |label: &str, keys: &[char]| {
        let mut i = 0;
        tail_latency(label, 300, || {
            key(&mut app, keys[i % keys.len()]);
            i += 1;
            draw(&mut terminal, &app);
        });
    };
    run_keys("key j/k + redraw", &['j', 'j', 'k']);
    run_keys("key l/h + redraw", &['l', 'h']);
    run_keys("keys L/H (saved move) + redraw", &['L', 'H']);
    run_keys("keys 1/2/3 + redraw", &['1', '2', '3']);
}

criterion_group! {
    name = tui;
    config = Criterion::default().sample_size(30);
    targets = benches
}
criterion_main!(tui);

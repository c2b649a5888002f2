//! Every key of the keymap, pressed on the 100k-deal book (DESIGN §7: key press →
//! redrawn frame ≤ 16 ms p99; issue 17).
//!
//! The list of keys is not written here: it is the keymap's table (`keymap::BINDINGS`),
//! every key of every binding in its context, so a binding added later is measured
//! without anyone remembering to. A context is reached by [`reach`], whose `match` has an
//! arm per context: a new context does not compile until it says how it is reached.
//! Then every key of a view that opens a form or the search is followed into it, and
//! text is typed into each of its fields (the search gets Latin and CJK terms a
//! character at a time).
//!
//! Each sample starts from the pipeline board; every other one right after a saved
//! change (a deal moved on and back), so that the first key after a change, which
//! finds the other views stale, is among the samples. What a key changed is undone,
//! untimed, and what it opened closed. Timed: the key through `App::handle_key` and
//! the frame drawn on a 200×50 `TestBackend`.
//!
//! Printed: one table, a row per key, with the median, p95, p99 and worst time and
//! how many samples (up to `SALESDESK_BENCH_SAMPLES`, 40 by default, and as many as
//! fit in about two seconds a key). Also the first frame of a tiny book and of this
//! one. `cargo bench --bench keys`; `cargo bench --bench keys -- search` measures the
//! rows whose label contains "search"; `SALESDESK_BENCH_SCALE=10000` a smaller book;
//! `SALESDESK_BENCH_BOOK=/tmp/book.db` keeps the book for the next run.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use common::{clock, generate};
use salesdesk::config::Settings;
use salesdesk::domain::time::Zone;
use salesdesk::store::Store;
use salesdesk::store::customers::Grouping;
use salesdesk::tui::action::{Action, Command};
use salesdesk::tui::app::App;
use salesdesk::tui::keymap::{BINDINGS, Context, Key, command_name};
use salesdesk::tui::modals::Modal;
use salesdesk::tui::report_worker::ReportWorker;
use salesdesk::tui::views;

/// The budget of one key press, DESIGN §7.
const BUDGET_MS: f64 = 16.0;
/// Search as you type, DESIGN §7 (p95).
const SEARCH_BUDGET_MS: f64 = 30.0;
/// How long one row may take to gather its samples (setup included).
const TIME_PER_ROW: Duration = Duration::from_secs(2);
const SIZE: (u16, u16) = (200, 50);

fn samples() -> usize {
    std::env::var("SALESDESK_BENCH_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40)
}

/// The app as `tui::run` makes it: the Reports view's figures read by a worker.
fn open_app(path: &Path) -> App {
    let store = Store::open(path, clock()).unwrap();
    let mut app = App::new(
        store,
        Settings::default(),
        Zone::Named(chrono_tz::UTC),
        SIZE,
    )
    .unwrap();
    app.attach_report_worker(ReportWorker::start(path.to_path_buf(), clock()));
    app
}

/// A frame, as `tui::run` draws it: the Reports view's question handed over first.
fn draw(terminal: &mut Terminal<TestBackend>, app: &mut App) {
    app.exchange_reports();
    terminal.draw(|f| views::render(app, f)).unwrap();
}

/// Waits (untimed) for figures being read, and reads what the frame left for later
/// (`App::finish_pending`, as `tui::run` does when no key is waiting), so that a sample
/// never shares the machine with the one before it and finds nothing left to read.
fn settle(app: &mut App) {
    while app.exchange_reports() {
        std::thread::sleep(Duration::from_millis(2));
    }
    while app.has_pending() {
        app.finish_pending().unwrap();
    }
}

fn event(key: Key) -> KeyEvent {
    KeyEvent::new(key.code, key.mods)
}

fn press(app: &mut App, key: Key) {
    app.handle_key(&event(key));
}

fn char_key(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
    }
}

fn command(app: &mut App, c: Command) {
    app.dispatch(Action::Command(c));
}

/// Presses the first key the keymap's table binds to `command` in a form, as the user
/// would: a command dispatched as an action is routed as a global one, which a form's
/// `next_field` is not.
fn press_in_form(app: &mut App, command: Command) {
    let binding = BINDINGS
        .iter()
        .find(|b| b.context == Context::Form && b.command == command)
        .expect("the form binds the command");
    press(app, binding.keys[0]);
}

/// Back to the pipeline board with nothing open: modals closed as the user would (Esc,
/// which also puts back a filter being typed), detail and profile closed.
fn reset(app: &mut App) {
    for _ in 0..5 {
        if app.modal.is_none() {
            break;
        }
        press(
            app,
            Key {
                code: KeyCode::Esc,
                mods: KeyModifiers::NONE,
            },
        );
    }
    app.modal = None;
    app.quit = false;
    app.detail = None;
    app.profile = None;
    // The views as a session starts them: a toggle a measured key left on (closed
    // columns, mine only, customers by tier) would have every later row measure another
    // board than the one its label names.
    if app.customers.grouping != Grouping::Status {
        command(app, Command::GoTab(1));
        command(app, Command::Regroup);
    }
    command(app, Command::GoTab(0));
    if app.pipeline.show_closed {
        command(app, Command::ToggleClosed);
    }
    if app.mine_only {
        command(app, Command::ToggleMine);
    }
    command(app, Command::First);
    assert!(
        !app.pipeline.show_closed && !app.mine_only && app.customers.grouping == Grouping::Status,
        "the views are back as a session starts them"
    );
}

/// A saved change, as the user makes one, and its undo (itself a change): the selected
/// deal moved to the next stage and back. Every view but the board is stale after it,
/// and the undo stack is as it was.
fn change(app: &mut App) {
    command(app, Command::MoveNext);
    command(app, Command::Undo);
}

/// Gets from the board to where `context`'s keys apply. False when it cannot be
/// reached in this book.
fn reach(app: &mut App, context: Context) -> bool {
    match context {
        Context::Global | Context::Board => {}
        Context::Detail => command(app, Command::Open),
        Context::Customers => command(app, Command::GoTab(1)),
        Context::Profile => {
            command(app, Command::GoTab(1));
            command(app, Command::Open);
        }
        Context::Agenda => command(app, Command::GoTab(2)),
        Context::Reports => command(app, Command::GoTab(3)),
        // The deal form: the one with a customer field that completes from the book.
        Context::Form => command(app, Command::Add),
        Context::Confirm => command(app, Command::Delete),
        Context::Picker => command(app, Command::Lose),
        Context::Search => {
            command(app, Command::Search);
            for c in "Glo".chars() {
                press(app, char_key(c));
            }
        }
        Context::Conflicts => command(app, Command::ReviewConflicts),
        Context::Settings => command(app, Command::Settings),
        Context::Help => command(app, Command::Help),
    }
    let now = app.context();
    now == context || (context == Context::Global && now == Context::Board)
}

/// The `q` quantile of `times`, in ms.
fn quantile(times: &[Duration], q: f64) -> f64 {
    let mut t = times.to_vec();
    t.sort_unstable();
    t.get(((t.len().saturating_sub(1)) as f64 * q).round() as usize)
        .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
}

/// One row of the table: what was pressed and how long each press took.
struct Row {
    label: String,
    times: Vec<Duration>,
    budget_ms: f64,
    /// "p99" or "p95": the percentile the budget is stated for.
    budget_at: &'static str,
    note: Option<String>,
    /// When a key's frame left something to read a frame later (`App::has_pending`):
    /// how long reading it and drawing the next frame took.
    later: Vec<Duration>,
}

impl Row {
    fn at(&self, q: f64) -> f64 {
        quantile(&self.times, q)
    }

    fn over(&self) -> bool {
        let q = if self.budget_at == "p95" { 0.95 } else { 0.99 };
        !self.times.is_empty() && self.at(q) > self.budget_ms
    }

    fn print(&self) {
        if self.times.is_empty() {
            println!(
                "| {} | – | – | – | – | 0 | {} |",
                self.label,
                self.note.as_deref().unwrap_or("not reached")
            );
            return;
        }
        let mut verdict = if self.over() {
            format!("**over {} {} ms**", self.budget_at, self.budget_ms)
        } else {
            "ok".to_string()
        };
        if !self.later.is_empty() {
            verdict.push_str(&format!(
                "; the rest a frame later: {:.2} median, {:.2} p99 ({} samples)",
                quantile(&self.later, 0.5),
                quantile(&self.later, 0.99),
                self.later.len()
            ));
        }
        println!(
            "| {} | {:.2} | {:.2} | {:.2} | {:.2} | {} | {} |",
            self.label,
            self.at(0.5),
            self.at(0.95),
            self.at(0.99),
            self.at(1.0),
            self.times.len(),
            verdict
        );
    }
}

/// The bench: its app, terminal, counters and the rows gathered.
struct Bench {
    app: App,
    terminal: Terminal<TestBackend>,
    filter: Option<String>,
    rows: Vec<Row>,
}

impl Bench {
    fn wanted(&self, label: &str) -> bool {
        self.filter.as_deref().is_none_or(|f| label.contains(f))
    }

    fn changes(&self) -> u64 {
        self.app.store.conn().total_changes()
    }

    /// Puts the book back as it was before a sample: what it opened is closed and what
    /// it saved undone (a sample starts with nothing to undo, so `u` undoes only that).
    fn restore(&mut self, changes_before: u64) {
        reset(&mut self.app);
        if self.changes() != changes_before {
            command(&mut self.app, Command::Undo);
        }
        reset(&mut self.app);
    }

    /// Samples one row: `setup` gets to the state (untimed), `timed` presses the keys
    /// whose each press, with its frame, is one sample.
    fn measure(
        &mut self,
        label: String,
        budget: (f64, &'static str),
        mut setup: impl FnMut(&mut App) -> bool,
        keys: &[Key],
    ) {
        if !self.wanted(&label) {
            return;
        }
        let mut row = Row {
            label,
            times: Vec::new(),
            budget_ms: budget.0,
            budget_at: budget.1,
            note: None,
            later: Vec::new(),
        };
        let started = Instant::now();
        let mut round = 0usize;
        while row.times.len() < samples()
            && (row.times.len() < 5 || started.elapsed() < TIME_PER_ROW)
        {
            reset(&mut self.app);
            // The change is part of the state a key finds, not of what it changes.
            if round.is_multiple_of(2) {
                change(&mut self.app);
            }
            round += 1;
            let baseline = self.changes();
            if !setup(&mut self.app) {
                row.note = Some(format!("not reached: {:?} in front", self.app.context()));
                self.restore(baseline);
                break;
            }
            draw(&mut self.terminal, &mut self.app);
            settle(&mut self.app);
            // What the app does when idle between keys (its tick): the write-ahead log
            // copied into the file. Without it a long run's reads waded through a log of
            // every change the bench had made, and the last rows measured that.
            self.app.store.checkpoint().unwrap();
            for key in keys {
                let t = Instant::now();
                press(&mut self.app, *key);
                draw(&mut self.terminal, &mut self.app);
                row.times.push(t.elapsed());
                // What the frame left for later, read as `tui::run` reads it when no key
                // is waiting: not the key's time, but measured.
                if self.app.has_pending() {
                    let t = Instant::now();
                    self.app.finish_pending().unwrap();
                    draw(&mut self.terminal, &mut self.app);
                    row.later.push(t.elapsed());
                }
                settle(&mut self.app);
            }
            self.restore(baseline);
            if round > samples() * 2 {
                break;
            }
        }
        eprintln!(
            "{}: p99 {:.2} ms ({} samples)",
            row.label,
            row.at(0.99),
            row.times.len()
        );
        self.rows.push(row);
    }
}

/// What a view key opened, if it is something text is typed into: its fields' labels
/// (a form) or nothing (the search).
enum Opened {
    Form(String, Vec<String>),
    Search,
}

fn opened(app: &App) -> Option<Opened> {
    match &app.modal {
        Some(Modal::Form(f)) => Some(Opened::Form(
            f.title.clone(),
            f.fields.iter().map(|f| f.label.to_string()).collect(),
        )),
        Some(Modal::Search(_)) => Some(Opened::Search),
        _ => None,
    }
}

/// A few unresolved sync conflicts on a deal, so that the conflicts review opens.
fn add_conflicts(path: &Path) {
    let store = Store::open(path, clock()).unwrap();
    let conn = store.conn();
    let (deal, hlc): (String, String) = conn
        .query_row(
            "SELECT d.id, f.hlc FROM deals d JOIN field_clock f ON f.row_id = d.id
              WHERE d.deleted_at IS NULL LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    for (field, mine, theirs) in [
        ("title", "Renewal 2027", "Multi-year renewal"),
        ("notes", "call first", "wants a three-year term"),
    ] {
        conn.execute(
            "INSERT INTO conflicts (tbl, row_id, field, mine_value, mine_hlc, theirs_value,
                                    theirs_hlc, their_site, at)
             VALUES ('deals', ?1, ?2, ?3, ?4, ?5, ?4, '00000000000000ee', 0)",
            rusqlite::params![deal, field, mine, hlc, theirs],
        )
        .unwrap();
    }
}

/// Open to first frame as `tui::run` does it (`App::starting`, the reminder counts
/// after the frame), or to the frame with everything counted when `complete`.
fn first_frame(
    label: &str,
    path: &Path,
    terminal: &mut Terminal<TestBackend>,
    complete: bool,
) -> Row {
    let mut times = Vec::new();
    let started = Instant::now();
    while times.len() < 30 && (times.len() < 5 || started.elapsed() < Duration::from_secs(10)) {
        let t = Instant::now();
        let store = Store::open(path, clock()).unwrap();
        let mut app = App::starting(
            store,
            Settings::default(),
            Zone::Named(chrono_tz::UTC),
            SIZE,
        )
        .unwrap();
        draw(terminal, &mut app);
        if complete {
            app.finish_start().unwrap();
            draw(terminal, &mut app);
        }
        times.push(t.elapsed());
    }
    Row {
        label: label.to_string(),
        times,
        budget_ms: f64::INFINITY,
        budget_at: "p99",
        note: None,
        later: Vec::new(),
    }
}

fn main() {
    let filter = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .filter(|a| !a.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    // `SALESDESK_BENCH_BOOK=/tmp/book.db` keeps the generated book there and starts the
    // next run from a copy of it (for runs one after the other while working).
    match std::env::var_os("SALESDESK_BENCH_BOOK").map(std::path::PathBuf::from) {
        Some(kept) if kept.exists() => {
            std::fs::copy(&kept, &path).unwrap();
        }
        kept => {
            generate(&path);
            add_conflicts(&path);
            // Both closed their store: the write-ahead log is in the file.
            if let Some(kept) = kept {
                std::fs::copy(&path, kept).unwrap();
            }
        }
    }
    let tiny = dir.path().join("tiny.db");
    {
        let mut store = Store::open(&tiny, clock()).unwrap();
        salesdesk::demo::generate(&mut store, None).unwrap();
    }
    let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
    let mut starts = Vec::new();
    if filter.as_deref().is_none_or(|f| "start".contains(f)) {
        for (book, path) in [("tiny demo book", &tiny), ("this book", &path)] {
            starts.push(first_frame(
                &format!("start: open + first frame, {book}"),
                path,
                &mut terminal,
                false,
            ));
            starts.push(first_frame(
                &format!("start: open + first frame + reminder counts drawn, {book}"),
                path,
                &mut terminal,
                true,
            ));
        }
    }

    let mut bench = Bench {
        app: open_app(&path),
        terminal,
        filter,
        rows: Vec::new(),
    };

    // Every key of every binding, in its context.
    let mut openers: Vec<(Context, Key, String)> = Vec::new();
    for binding in BINDINGS {
        // Keys as the keymap holds them: normalised, each once (Shift-Tab is written
        // two ways).
        let mut keys: Vec<Key> = Vec::new();
        for key in binding.keys.iter().map(Key::normal) {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        for key in keys {
            let label = format!(
                "{} `{}` {}",
                binding.context.name(),
                key.label(),
                command_name(binding.command)
            );
            let context = binding.context;
            bench.measure(
                label.clone(),
                (BUDGET_MS, "p99"),
                |app| reach(app, context),
                &[key],
            );
            // Does it open a form or the search? Then typing into it is measured below.
            if !context.is_modal() {
                reset(&mut bench.app);
                let before = bench.changes();
                if reach(&mut bench.app, context) {
                    press(&mut bench.app, key);
                    if opened(&bench.app).is_some() {
                        openers.push((context, key, label));
                    }
                }
                bench.restore(before);
            }
        }
    }

    // Typing into what they open: two characters into each field of each form, and
    // search terms a character at a time.
    for (context, key, label) in openers {
        let open = |app: &mut App| {
            reach(app, context) && {
                press(app, key);
                opened(app).is_some()
            }
        };
        reset(&mut bench.app);
        let before = bench.changes();
        let what = if open(&mut bench.app) {
            opened(&bench.app)
        } else {
            None
        };
        bench.restore(before);
        match what {
            Some(Opened::Form(title, fields)) => {
                for (i, field) in fields.iter().enumerate() {
                    let typed = format!("{label} → {title} · {field}: typing 'Gl'");
                    let keys = [char_key('G'), char_key('l')];
                    bench.measure(
                        typed,
                        (BUDGET_MS, "p99"),
                        |app| {
                            open(app) && {
                                for _ in 0..i {
                                    press_in_form(app, Command::NextField);
                                }
                                // The keys go where the row says they go.
                                matches!(&app.modal, Some(Modal::Form(f)) if f.focus == i)
                            }
                        },
                        &keys,
                    );
                }
            }
            Some(Opened::Search) => {
                for term in ["Globex", "华为技术"] {
                    let chars: Vec<char> = term.chars().collect();
                    for n in 1..=chars.len() {
                        let typed: String = chars[..n].iter().collect();
                        let shown = format!("{label} → search: typing '{typed}'");
                        let before: Vec<char> = chars[..n - 1].to_vec();
                        bench.measure(
                            shown,
                            (SEARCH_BUDGET_MS, "p95"),
                            |app| {
                                open(app) && {
                                    for c in &before {
                                        press(app, char_key(*c));
                                    }
                                    true
                                }
                            },
                            &[char_key(chars[n - 1])],
                        );
                    }
                }
            }
            None => {}
        }
    }

    println!(
        "\nkey → redrawn frame at {} deals ({}×{}), ms; budget {BUDGET_MS} ms p99 (search {SEARCH_BUDGET_MS} ms p95)\n",
        common::scale(),
        SIZE.0,
        SIZE.1
    );
    println!("| key (context `key` command) | median | p95 | p99 | max | n | |");
    println!("|---|---|---|---|---|---|---|");
    for row in starts.iter().chain(&bench.rows) {
        row.print();
    }
    let over: Vec<&Row> = bench.rows.iter().filter(|r| r.over()).collect();
    println!(
        "\n{} rows, {} over budget{}",
        bench.rows.len(),
        over.len(),
        if over.is_empty() { "" } else { ":" }
    );
    for row in over {
        println!("- {}", row.label);
    }
}

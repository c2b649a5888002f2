//! The real binary in a real terminal (tmux): the TUI opens, keys work, the data lands in
//! the database, and quitting restores the terminal and exits 0. Skipped (with a note)
//! where tmux is not installed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

fn tmux(socket: &Path, args: &[&str]) -> String {
    let out = Command::new("tmux")
        .arg("-S")
        .arg(socket)
        .args(args)
        .output()
        .expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn screen(socket: &Path) -> String {
    tmux(socket, &["capture-pane", "-p", "-t", "sd"])
}

/// Waits until the screen contains `text` (the TUI draws asynchronously).
fn wait_for(socket: &Path, text: &str) -> String {
    let start = Instant::now();
    loop {
        let s = screen(socket);
        if s.contains(text) || start.elapsed() > Duration::from_secs(10) {
            return s;
        }
        sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_tui_runs_in_a_real_terminal() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("tmux is not installed; skipping the real-terminal test");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("tmux.sock");
    let db = dir.path().join("t.db");
    let exit = dir.path().join("exit");
    let bin = env!("CARGO_BIN_EXE_salesdesk");
    let cli = |args: &[&str]| {
        let out = Command::new(bin)
            .args(["--db", db.to_str().unwrap()])
            .args(args)
            .env("SALESDESK_CONFIG", dir.path().join("config.toml"))
            .env("SALESDESK_NOW", "2026-11-25T10:00:00Z")
            .env("TZ", "UTC")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    cli(&[
        "deal",
        "add",
        "ACME renewal",
        "--customer",
        "ACME",
        "--amount",
        "12000",
        "--stage",
        "Lead",
    ]);
    let script = format!(
        "SALESDESK_CONFIG={cfg} SALESDESK_NOW=2026-11-25T10:00:00Z TZ=UTC {bin} --db {db}; echo $? > {exit}",
        cfg = dir.path().join("config.toml").display(),
        db = db.display(),
        exit = exit.display(),
    );
    tmux(
        &socket,
        &[
            "new-session",
            "-d",
            "-s",
            "sd",
            "-x",
            "100",
            "-y",
            "30",
            &script,
        ],
    );
    // A capture can catch a frame half drawn. A frame is written top to bottom, and only
    // the cells that changed, so each wait is for the lowest thing the frame changes (the
    // key hints, the status message), and what lies above it is then checked.
    let s = wait_for(&socket, "L move");
    assert!(s.contains("Lead (1)") && s.contains("ACME renewal"), "{s}");
    // L moves the deal to Qualified; the CLI sees it at once.
    tmux(&socket, &["send-keys", "-t", "sd", "L"]);
    let s = wait_for(&socket, "Moved ACME renewal to Qualified");
    assert!(s.contains("Qualified (1)"), "{s}");
    let json = cli(&["deal", "show", "ACME renewal", "--json"]);
    assert!(json.contains("\"stage\": \"Qualified\""), "{json}");
    // A change made by another process shows up without a key press.
    cli(&[
        "deal",
        "add",
        "Globex pilot",
        "--customer",
        "Globex",
        "--stage",
        "Proposal",
    ]);
    let s = wait_for(&socket, "Globex pilot");
    assert!(s.contains("Proposal (1)"), "{s}");
    tmux(&socket, &["send-keys", "-t", "sd", "q"]);
    let start = Instant::now();
    while !exit.exists() && start.elapsed() < Duration::from_secs(10) {
        sleep(Duration::from_millis(100));
    }
    assert_eq!(std::fs::read_to_string(&exit).unwrap().trim(), "0");
    tmux(&socket, &["kill-server"]);
}

#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Nothing from data reaches a terminal raw: escape sequences, C1 controls and bidi
//! overrides in names are made harmless in tables, details, errors and `--json`.

use assert_cmd::Command;
use tempfile::TempDir;

mod common;

const HOSTILE: &str = "Evil\u{1b}]0;pwned\u{7} \u{9b}2J \u{202e}gpj.exe";

fn salesdesk(dir: &TempDir) -> Command {
    common::salesdesk(&dir.path().join("t.db"), &dir.path().join("config.toml"))
}

fn unsafe_chars(bytes: &[u8]) -> Vec<char> {
    String::from_utf8_lossy(bytes)
        .chars()
        .filter(|c| {
            (c.is_control() && *c != '\n')
                || ('\u{202a}'..='\u{202e}').contains(c)
                || ('\u{2066}'..='\u{2069}').contains(c)
        })
        .collect()
}

#[test]
fn hostile_names_never_reach_the_terminal() {
    let dir = TempDir::new().unwrap();
    salesdesk(&dir)
        .args(["deal", "add", HOSTILE, "--customer", HOSTILE])
        .assert()
        .success();
    salesdesk(&dir)
        .args([
            "deal",
            "add",
            &format!("{HOSTILE} 2"),
            "--customer",
            HOSTILE,
        ])
        .assert()
        .success();
    for args in [
        vec!["deal", "list"],
        vec!["--json", "deal", "list"],
        vec!["customer", "list"],
        vec!["--json", "customer", "show", "Evil"],
        vec!["search", "Evil"],
        vec!["--json", "search", "Evil"],
        vec!["export", "deals"],
    ] {
        let out = salesdesk(&dir).args(&args).output().unwrap();
        let shown = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
        let bad: Vec<char> = unsafe_chars(&shown)
            .into_iter()
            .filter(|c| !(args.contains(&"export") && *c == '\r'))
            .collect();
        if args.contains(&"export") {
            // An export is data for a file: piped, it keeps the names exactly.
            assert!(String::from_utf8_lossy(&out.stdout).contains(HOSTILE));
            continue;
        }
        assert!(bad.is_empty(), "{args:?} let through {bad:?}");
    }
    // An ambiguous reference lists the names in its error: made safe too.
    let out = salesdesk(&dir)
        .args(["deal", "show", "Evil"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        unsafe_chars(&out.stderr).is_empty(),
        "{:?}",
        String::from_utf8_lossy(&out.stderr)
    );
    // And --json still says exactly what is stored, for a program.
    let out = salesdesk(&dir)
        .args(["--json", "deal", "list"])
        .output()
        .unwrap();
    let deals: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        deals
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["customer"] == HOSTILE)
    );
}

/// A pasted page as a search term is searched by its start, not refused by SQLite.
#[test]
fn a_huge_search_term_is_cut_not_refused() {
    let dir = TempDir::new().unwrap();
    salesdesk(&dir)
        .args([
            "deal",
            "add",
            "Harbour cranes",
            "--customer",
            "Port of Hamburg",
        ])
        .assert()
        .success();
    let term = format!("Harbour {}", "x%_".repeat(40_000));
    let out = salesdesk(&dir).args(["search", &term]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

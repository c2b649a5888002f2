//! What the command-line tests share: the binary run the one way every test runs it, and
//! every row of a database as text, to show that a refused command changed nothing.
//! Each test crate uses a part of it.
#![allow(dead_code)]

use std::path::Path;

/// The moment every command-line test runs at: a Wednesday morning, UTC.
pub const NOW: &str = "2026-11-25T10:00:00Z";

/// `salesdesk --db <db>` with the config file `config`, isolated from the machine it
/// runs on: English, UTC, the fixed clock, the user `tess`, no `SALESDESK_DB`. A test
/// adds what it needs on top (another clock, another language, another user).
pub fn salesdesk(db: &Path, config: &Path) -> assert_cmd::Command {
    assert_cmd::Command::from_std(process(db, config))
}

/// The same as [`salesdesk`], as a process to spawn and wait for, or kill.
pub fn process(db: &Path, config: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("salesdesk"));
    cmd.env("SALESDESK_CONFIG", config)
        .env("LC_ALL", "C.UTF-8")
        .env("SALESDESK_NOW", NOW)
        .env("TZ", "UTC")
        .env("USER", "tess")
        .env_remove("SALESDESK_DB")
        .arg("--db")
        .arg(db);
    cmd
}

/// Everything the database holds, table by table and row by row, as text.
pub fn snapshot(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut out = Vec::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..n)
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect();
                Ok(format!("{table}: {}", cells.join(" | ")))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        rows.sort();
        out.extend(rows);
    }
    out
}

/// What someone with the team folder can do to a team file (or a copy of it): drop the
/// deals' amount CHECK from its schema, make the amount of `deal` (every deal, when
/// `None`) negative, and stamp those rows with a clock one step later, so that it wins.
pub fn forge_negative_amounts(team_file: &Path, deal: Option<&str>) {
    let conn = rusqlite::Connection::open(team_file).unwrap();
    conn.execute_batch(
        "PRAGMA writable_schema = ON;
         UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (amount_minor >= 0)', '')
          WHERE name = 'deals';",
    )
    .unwrap();
    drop(conn);
    // Opened again, so that SQLite reads the schema without the CHECK.
    let conn = rusqlite::Connection::open(team_file).unwrap();
    conn.execute(
        "UPDATE deals SET amount_minor = -5 WHERE ?1 IS NULL OR id = ?1",
        [deal],
    )
    .unwrap();
    conn.execute(
        "UPDATE field_clock
            SET hlc = substr(hlc, 1, 17) || printf('%05d', substr(hlc, 18, 5) + 1)
                      || substr(hlc, 23)
          WHERE tbl = 'deals' AND field = '*' AND (?1 IS NULL OR row_id = ?1)",
        [deal],
    )
    .unwrap();
}

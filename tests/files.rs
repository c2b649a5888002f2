#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The database and team files as the file system hands them over: a file that is not a
//! database, a copy, a FIFO, a read-only folder, a full stderr, a lock another program
//! holds, the leftovers of a killed sync. Through the real binary on temporary folders,
//! with a fixed clock and a config of their own.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::snapshot;

/// `salesdesk --db <db>`, isolated from the machine it runs on.
fn salesdesk_on(dir: &Path, db: &Path) -> Command {
    common::salesdesk(db, &dir.join("config.toml"))
}

fn db(dir: &TempDir) -> PathBuf {
    dir.path().join("t.db")
}

fn salesdesk(dir: &TempDir) -> Command {
    salesdesk_on(dir.path(), &db(dir))
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A book with one deal.
fn book() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    salesdesk(&dir)
        .args([
            "deal",
            "add",
            "ACME renewal",
            "--customer",
            "ACME",
            "--amount",
            "100",
        ])
        .assert()
        .success();
    dir
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_half_written_or_foreign_file_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let mut random = vec![0u8; 8192];
    for (i, b) in random.iter_mut().enumerate() {
        *b = (i * 7919 % 251) as u8;
    }
    let foreign = dir.path().join("other.sqlite");
    {
        let conn = rusqlite::Connection::open(&foreign).unwrap();
        conn.execute_batch("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT);")
            .unwrap();
    }
    let foreign_bytes = std::fs::read(&foreign).unwrap();
    // What a killed `backup` of earlier versions left: the full size, the header zeroed.
    let cases: [(&str, Vec<u8>, &str); 3] = [
        ("zeroed.db", vec![0u8; 64 * 1024], "header is all zeros"),
        ("random.db", random, "does not start with an SQLite header"),
        ("other.sqlite", foreign_bytes, "another program"),
    ];
    for (name, bytes, why) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        for args in [
            &["deal", "list"][..],
            &["deal", "add", "x", "--customer", "y"],
        ] {
            let out = salesdesk_on(dir.path(), &path)
                .args(args)
                .assert()
                .failure()
                .code(1)
                .get_output()
                .clone();
            let err = stderr_of(&out);
            assert!(err.contains("is not a SalesDesk database"), "{name}: {err}");
            assert!(err.contains(why), "{name}: {err}");
            assert!(out.stdout.is_empty(), "{name}: no 'No deals.'");
            assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name} was changed");
        }
    }
    assert_eq!(
        names_in(dir.path()),
        ["other.sqlite", "random.db", "zeroed.db"]
    );
}

#[test]
fn remind_exits_0_when_nothing_is_overdue_1_when_something_is_and_2_on_an_error() {
    let dir = book();
    for args in [&["remind"][..], &["remind", "--count"]] {
        salesdesk(&dir).args(args).assert().code(0);
    }
    // Scheduled the day before, for a time that has passed by now.
    salesdesk(&dir)
        .env("SALESDESK_NOW", "2026-11-23T10:00:00Z")
        .args([
            "activity",
            "schedule",
            "--deal",
            "ACME renewal",
            "--due",
            "2026-11-24 09:00",
        ])
        .arg("Call Li Wei")
        .assert()
        .success();
    for args in [&["remind"][..], &["remind", "--count"]] {
        salesdesk(&dir).args(args).assert().code(1);
    }
    let missing = dir.path().join("missing.db");
    salesdesk_on(dir.path(), &missing)
        .arg("remind")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("there is no SalesDesk database"));
    let zeroed = dir.path().join("zeroed.db");
    std::fs::write(&zeroed, vec![0u8; 8192]).unwrap();
    salesdesk_on(dir.path(), &zeroed)
        .args(["remind", "--count"])
        .assert()
        .code(2);
    // Other commands keep 1 for an error.
    salesdesk_on(dir.path(), &missing)
        .args(["deal", "list"])
        .assert()
        .code(1);
}

/// Holds the write lock of the database at `path` with a write under way, as a long sync
/// or import does, until dropped.
fn hold_write_lock(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE; INSERT INTO meta (key, value) VALUES ('held', 'yes');")
        .unwrap();
    conn
}

#[test]
fn read_commands_neither_take_nor_wait_for_the_write_lock() {
    let dir = book();
    // An identity in the config: before, every command (a read too) wrote it when it
    // differed from the database's, and so waited for the lock.
    std::fs::write(dir.path().join("config.toml"), "[me]\nname = \"Tess Ng\"\n").unwrap();
    let _writer = hold_write_lock(&db(&dir));
    let before = snapshot(&db(&dir));
    let backup = dir.path().join("copy.db");
    for args in [
        &["deal", "list"][..],
        &["deal", "show", "ACME renewal"],
        &["customer", "list"],
        &["customer", "show", "ACME"],
        &["search", "ACME"],
        &["report"],
        &["remind"],
        &["remind", "--count"],
        &["team", "status"],
        &["export", "deals"],
        &["backup", backup.to_str().unwrap()],
    ] {
        salesdesk(&dir)
            .args(args)
            .timeout(Duration::from_secs(60))
            .assert()
            .success()
            .stderr("");
    }
    assert_eq!(snapshot(&db(&dir)), before, "a read command wrote");
    assert!(backup.is_file());
}

#[test]
fn a_writer_says_that_it_waits_and_for_whom() {
    use std::io::BufRead as _;
    let dir = book();
    let writer = hold_write_lock(&db(&dir));
    let mut child = common::process(&db(&dir), &dir.path().join("config.toml"))
        .args(["deal", "add", "Second", "--customer", "ACME"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The lock is held until the command says it waits (or gives up, failing below).
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut said = String::new();
    stderr.read_line(&mut said).unwrap();
    writer.execute_batch("COMMIT").unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{said}");
    assert!(said.contains("waiting for"), "{said}");
    assert!(said.contains("is writing to it"), "{said}");
    #[cfg(target_os = "linux")]
    assert!(
        said.contains(&format!("pid {}", std::process::id())),
        "names the process holding the lock: {said}"
    );
}

#[test]
fn a_fixed_now_far_in_the_future_is_refused_before_it_stamps_the_clock() {
    let dir = book();
    let before = snapshot(&db(&dir));
    salesdesk(&dir)
        .env("SALESDESK_NOW", "9999-12-31T00:00:00Z")
        .args(["deal", "edit", "ACME renewal", "--title", "Later"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("more than a day ahead"));
    assert_eq!(snapshot(&db(&dir)), before);
}

#[test]
fn errors_on_a_stderr_that_cannot_be_written_do_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full");
    let Ok(full) = full else {
        return; // no /dev/full on this system
    };
    let status = common::process(
        &dir.path().join("missing.db"),
        &dir.path().join("config.toml"),
    )
    .args(["deal", "list"])
    .stderr(full)
    .status()
    .unwrap();
    assert_eq!(status.code(), Some(1), "an error, not a panic (101)");
}

/// Makes a FIFO at `path` (Unix).
fn mkfifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn a_fifo_in_place_of_a_file_is_refused_without_waiting() {
    let dir = book();
    let fifo = dir.path().join("team.salesdesk");
    if !mkfifo(&fifo) {
        return; // no mkfifo on this system
    }
    salesdesk(&dir)
        .args(["team", "join"])
        .arg(&fifo)
        .timeout(Duration::from_secs(30))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a SalesDesk team file"));
    let db_fifo = dir.path().join("fifo.db");
    assert!(mkfifo(&db_fifo));
    salesdesk_on(dir.path(), &db_fifo)
        .args(["deal", "list"])
        .timeout(Duration::from_secs(30))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a regular file"));
    // A linked database whose team file became a FIFO.
    let team = dir.path().join("shared.salesdesk");
    salesdesk(&dir)
        .args(["team", "init"])
        .arg(&team)
        .assert()
        .success();
    std::fs::remove_file(&team).unwrap();
    assert!(mkfifo(&team));
    salesdesk(&dir)
        .arg("sync")
        .timeout(Duration::from_secs(30))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a SalesDesk team file"));
}

#[test]
fn a_team_file_without_a_schema_version_is_refused_in_a_sentence() {
    let dir = book();
    let team = dir.path().join("team.salesdesk");
    salesdesk(&dir)
        .args(["team", "init"])
        .arg(&team)
        .assert()
        .success();
    rusqlite::Connection::open(&team)
        .unwrap()
        .pragma_update(None, "user_version", 0)
        .unwrap();
    let other = tempfile::tempdir().unwrap();
    let out = salesdesk(&other)
        .args(["team", "join"])
        .arg(&team)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let err = stderr_of(&out);
    assert!(err.contains("not a SalesDesk team file"), "{err}");
    assert!(!err.contains("CREATE"), "no schema SQL: {err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

fn set_age(path: &Path, age: Duration) {
    let when = SystemTime::now() - age;
    std::fs::File::open(path)
        .unwrap()
        .set_modified(when)
        .unwrap();
}

#[test]
fn a_sync_removes_what_killed_syncs_left_and_leaves_nothing_of_its_own() {
    let dir = book();
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    let team = shared.join("team.salesdesk");
    salesdesk(&dir)
        .args(["team", "init"])
        .arg(&team)
        .assert()
        .success();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let two_hours = Duration::from_secs(2 * 60 * 60);

    // Beside the database: a killed sync's working folder (its lock free) and a running
    // one's (its lock held).
    let killed = dir.path().join(".salesdesk-sync-killed");
    std::fs::create_dir(&killed).unwrap();
    std::fs::write(killed.join("lock"), "").unwrap();
    std::fs::write(killed.join("team.db"), vec![1u8; 4096]).unwrap();
    set_age(&killed, two_hours);
    let running = dir.path().join(".salesdesk-sync-running");
    std::fs::create_dir(&running).unwrap();
    let lock = std::fs::File::create(running.join("lock")).unwrap();
    lock.lock().unwrap();
    set_age(&running, two_hours);
    // In the system's temporary folder, where earlier versions worked.
    let old = tmp.join("salesdesk-sync-OLD123");
    std::fs::create_dir(&old).unwrap();
    std::fs::write(old.join("team.db"), "x").unwrap();
    set_age(&old, two_hours);
    let fresh = tmp.join("salesdesk-join-NEW123");
    std::fs::create_dir(&fresh).unwrap();
    // In the synced folder: a killed export's temporary file and journals, and others'.
    let ours_old = [
        ".team.salesdesk.AbC123.tmp",
        ".team.salesdesk.AbC123.tmp-journal",
        ".team.salesdesk.XyZ789.tmp-wal",
    ];
    for name in ours_old {
        std::fs::write(shared.join(name), "x").unwrap();
        set_age(&shared.join(name), two_hours);
    }
    let kept = [".other.salesdesk.AbC123.tmp-journal", "notes.tmp-journal"];
    for name in kept {
        std::fs::write(shared.join(name), "x").unwrap();
        set_age(&shared.join(name), two_hours);
    }
    // A teammate's edit, so that the sync merges (and works in a folder of its own).
    let mate = tempfile::tempdir().unwrap();
    salesdesk(&mate)
        .args(["team", "join"])
        .arg(&team)
        .env("TMPDIR", &tmp)
        .assert()
        .success();
    salesdesk(&mate)
        .args(["deal", "add", "Their deal", "--customer", "Globex"])
        .assert()
        .success();
    salesdesk(&mate)
        .arg("sync")
        .env("TMPDIR", &tmp)
        .assert()
        .success();

    salesdesk(&dir)
        .arg("sync")
        .env("TMPDIR", &tmp)
        .assert()
        .success();

    assert!(
        !killed.exists(),
        "a killed sync's working folder is removed"
    );
    assert!(running.exists(), "a running sync's working folder stays");
    assert!(!old.exists(), "an old leftover in TMPDIR is removed");
    assert!(
        fresh.exists(),
        "a recent folder in TMPDIR may be a running sync's"
    );
    let mut expected: Vec<String> = kept.iter().map(|s| s.to_string()).collect();
    expected.push("team.salesdesk".to_string());
    expected.sort();
    assert_eq!(names_in(&shared), expected);
    // The sync itself left nothing: no working folder beside either database, nothing
    // new in TMPDIR.
    assert_eq!(
        names_in(dir.path())
            .into_iter()
            .filter(|n| n.starts_with(".salesdesk-sync-"))
            .collect::<Vec<_>>(),
        [".salesdesk-sync-running"]
    );
    assert!(
        names_in(mate.path())
            .iter()
            .all(|n| !n.starts_with(".salesdesk-sync-"))
    );
    assert_eq!(names_in(&tmp), ["salesdesk-join-NEW123"]);
    drop(lock);
    let deals = json_of(&dir, &["deal", "list"]);
    assert_eq!(deals.as_array().map(Vec::len), Some(2));
}

fn json_of(dir: &TempDir, args: &[&str]) -> Value {
    let out = salesdesk(dir).arg("--json").args(args).assert().success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

#[test]
fn a_restored_backup_and_its_original_merge_like_two_teammates() {
    let dir = book();
    let original = db(&dir);
    let team = dir.path().join("team.salesdesk");
    salesdesk(&dir)
        .args(["team", "init"])
        .arg(&team)
        .assert()
        .success();
    let id = json_of(&dir, &["deal", "list"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let restored = dir.path().join("restored.db");
    salesdesk(&dir)
        .arg("backup")
        .arg(&restored)
        .assert()
        .success();
    // The same edit moment on both: only their site ids can tell the two clocks apart.
    for (path, title) in [(&original, "Original's title"), (&restored, "Copy's title")] {
        salesdesk_on(dir.path(), path)
            .args(["deal", "edit", &id, "--title", title])
            .assert()
            .success();
    }
    let site = |path: &Path| -> String {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row("SELECT value FROM meta WHERE key = 'site_id'", [], |r| {
                r.get(0)
            })
            .unwrap()
    };
    assert_ne!(
        site(&original),
        site(&restored),
        "the copy took a site id of its own"
    );
    for path in [&original, &restored, &original] {
        salesdesk_on(dir.path(), path)
            .arg("sync")
            .assert()
            .success();
    }
    let title = |path: &Path| -> String {
        let out = salesdesk_on(dir.path(), path)
            .args(["--json", "deal", "show", &id])
            .assert()
            .success();
        let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        v["title"].as_str().unwrap_or_default().to_string()
    };
    assert_eq!(title(&original), title(&restored), "the two converge");
    let pending = |path: &Path| -> usize {
        let out = salesdesk_on(dir.path(), path)
            .args(["--json", "team", "conflicts"])
            .assert()
            .success();
        let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        v.as_array().map_or(0, Vec::len)
    };
    assert_eq!(
        pending(&original) + pending(&restored),
        1,
        "the title that lost is logged as a conflict on its side"
    );
}

/// Runs `cmd` as an unprivileged user when this test runs as root, for whom no folder
/// is read-only; `None` when that cannot be done here.
fn unprivileged(cmd: &Command, probe_dir: &Path) -> Option<std::process::Command> {
    let root_can_write = tempfile::tempfile_in(probe_dir).is_ok();
    let program = cmd.get_program().to_owned();
    let mut out = if root_can_write {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(program);
        c
    } else {
        std::process::Command::new(program)
    };
    out.args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => out.env(k, v),
            None => out.env_remove(k),
        };
    }
    if root_can_write
        && !std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
            .status()
            .is_ok_and(|s| s.success())
    {
        return None;
    }
    Some(out)
}

#[cfg(unix)]
#[test]
fn a_database_in_a_read_only_folder_can_be_read_and_backed_up_and_says_why_it_cannot_change() {
    use std::os::unix::fs::PermissionsExt;
    let dir = book();
    // Everyone may enter the folders, as the unprivileged user must.
    let set_mode = |p: &Path, mode: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    set_mode(dir.path(), 0o755);
    set_mode(&db(&dir), 0o644);
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    set_mode(&out_dir, 0o777);
    std::fs::write(dir.path().join("config.toml"), "").unwrap();
    set_mode(&dir.path().join("config.toml"), 0o644);
    // A clean close leaves no -wal or -shm; the folder then turns read-only.
    assert_eq!(names_in(dir.path()), ["config.toml", "out", "t.db"]);
    set_mode(dir.path(), 0o555);
    let run = |args: &[&str]| {
        let mut cmd = salesdesk(&dir);
        cmd.args(args);
        Some(unprivileged(&cmd, dir.path())?.output().unwrap())
    };
    let Some(list) = run(&["deal", "list"]) else {
        set_mode(dir.path(), 0o755);
        return; // cannot drop root here
    };
    assert!(list.status.success(), "{}", stderr_of(&list));
    assert!(String::from_utf8_lossy(&list.stdout).contains("ACME renewal"));
    let target = out_dir.join("copy.db");
    let backup = run(&["backup", target.to_str().unwrap()]).unwrap();
    assert!(backup.status.success(), "{}", stderr_of(&backup));
    assert!(target.is_file());
    let add = run(&["deal", "add", "x", "--customer", "y"]).unwrap();
    let err = stderr_of(&add);
    assert_eq!(add.status.code(), Some(1), "{err}");
    assert!(err.contains("is read-only"), "{err}");
    assert!(!err.contains("Error code"), "{err}");
    set_mode(dir.path(), 0o755);
    salesdesk_on(dir.path(), &target)
        .args(["deal", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("ACME renewal"));
}

#[test]
fn an_old_database_is_upgraded_once_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    {
        let conn = rusqlite::Connection::open(db(&dir)).unwrap();
        conn.execute_batch(include_str!("../src/store/migrations/001_init.sql"))
            .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
    }
    // A read command upgrades it: nothing can be read from the old schema.
    salesdesk(&dir)
        .args(["deal", "list"])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("upgrading the database")
                .and(predicate::str::contains("schema version 1 to")),
        );
    salesdesk(&dir)
        .args(["deal", "list"])
        .assert()
        .success()
        .stderr("");
}

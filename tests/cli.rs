#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The command line as a user meets it: the real `salesdesk` binary on a temporary
//! database, with a fixed clock (`SALESDESK_NOW`), a UTC time zone and a config file of
//! its own, so that nothing depends on the machine, the wall clock or the user's home.
//!
//! Every refused input is checked three ways: the exit status, the one-line message on
//! stderr, and that the database holds exactly what it held before.

use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{Value, json};
use tempfile::TempDir;
use unicode_width::UnicodeWidthStr;

mod common;
use common::{NOW, snapshot};

fn db_path(dir: &TempDir) -> PathBuf {
    dir.path().join("t.db")
}

fn config_path(dir: &TempDir) -> PathBuf {
    dir.path().join("config.toml")
}

/// `salesdesk --db <dir>/t.db`, isolated from the machine it runs on.
fn salesdesk(dir: &TempDir) -> Command {
    common::salesdesk(&db_path(dir), &config_path(dir))
}

/// Runs a command that must succeed; returns its stdout.
fn ok(dir: &TempDir, args: &[&str]) -> String {
    let out = salesdesk(dir).args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// Runs a command with `--json` that must succeed; returns the parsed output.
fn json_of(dir: &TempDir, args: &[&str]) -> Value {
    let out = salesdesk(dir).arg("--json").args(args).assert().success();
    serde_json::from_slice(&out.get_output().stdout)
        .unwrap_or_else(|e| panic!("{args:?} printed no JSON: {e}"))
}

/// Runs a command that must be refused with `code` and a one-line message containing
/// `message`, and must leave the database as it was. Returns stderr.
fn refused(dir: &TempDir, args: &[&str], code: i32, message: &str) -> String {
    let before = snapshot(&db_path(dir));
    let out = salesdesk(dir)
        .args(args)
        .assert()
        .code(code)
        .stderr(predicate::str::contains(message));
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "{args:?}: the error is not one line:\n{stderr}"
    );
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        out.get_output().stdout.is_empty(),
        "{args:?} printed output"
    );
    assert_eq!(
        snapshot(&db_path(dir)),
        before,
        "{args:?} changed the database"
    );
    stderr
}

/// A temp dir with the issue's first deal in it.
fn with_acme() -> TempDir {
    let dir = TempDir::new().unwrap();
    ok(
        &dir,
        &[
            "deal",
            "add",
            "ACME renewal",
            "--customer",
            "ACME",
            "--amount",
            "12000",
            "--stage",
            "Lead",
        ],
    );
    dir
}

/// A temp dir filled with the demo data.
fn with_demo() -> TempDir {
    let dir = TempDir::new().unwrap();
    ok(&dir, &["demo"]);
    dir
}

fn find<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|v| v[key] == value)
        .unwrap_or_else(|| panic!("no {key} = {value} in {list:#}"))
}

// ---------------------------------------------------------------------------------------
// The issue's "Done when"

#[test]
fn winning_a_deal_makes_its_customer_active_with_the_deal_in_its_history() {
    let dir = TempDir::new().unwrap();
    ok(
        &dir,
        &[
            "deal",
            "add",
            "ACME renewal",
            "--customer",
            "ACME",
            "--amount",
            "12000",
            "--stage",
            "Lead",
        ],
    );
    let prospect = json_of(&dir, &["customer", "show", "ACME"]);
    assert_eq!(prospect["status"], "prospect");
    ok(&dir, &["deal", "move", "ACME renewal", "Proposal"]);
    salesdesk(&dir)
        .args(["deal", "win", "ACME renewal"])
        .assert()
        .success()
        .stdout(predicate::str::contains("ACME is now an active customer"));

    let acme = json_of(&dir, &["customer", "show", "ACME"]);
    assert_eq!(acme["status"], "active");
    assert_eq!(acme["lifetime_value"], json!(12000));
    let won = acme["won_deals"].as_array().unwrap();
    assert_eq!(won.len(), 1);
    assert_eq!(won[0]["title"], "ACME renewal");
    assert_eq!(won[0]["status"], "won");
    assert_eq!(won[0]["amount"], "12000.00");
    assert_eq!(won[0]["customer_id"], acme["id"]);
    assert_eq!(acme["open_deals"], json!([]));

    let deal = json_of(&dir, &["deal", "show", "ACME renewal"]);
    assert_eq!(deal["closed_at"], "2026-11-25T10:00:00Z");
    let history: Vec<(Value, Value, Value)> = deal["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["from_stage"].clone(),
                h["to_stage"].clone(),
                h["to_status"].clone(),
            )
        })
        .collect();
    assert_eq!(
        history,
        [
            (Value::Null, json!("Lead"), json!("open")),
            (json!("Lead"), json!("Proposal"), json!("open")),
            (json!("Proposal"), json!("Proposal"), json!("won")),
        ]
    );
}

#[test]
fn remind_exits_1_while_a_reminder_is_overdue_and_0_once_it_is_done() {
    let dir = with_acme();
    salesdesk(&dir)
        .arg("remind")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Nothing due"));
    // Scheduled two days ago for yesterday morning: overdue now.
    salesdesk(&dir)
        .env("SALESDESK_NOW", "2026-11-23T10:00:00Z")
        .args([
            "activity",
            "schedule",
            "--deal",
            "ACME renewal",
            "--due",
            "2026-11-24 09:00",
            "Call Li Wei",
        ])
        .assert()
        .success();
    ok(
        &dir,
        &[
            "activity",
            "schedule",
            "--customer",
            "ACME",
            "--due",
            "+2h",
            "--kind",
            "meeting",
            "Site visit",
        ],
    );
    salesdesk(&dir)
        .arg("remind")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Overdue (1)"))
        .stdout(predicate::str::contains("Call Li Wei"))
        .stdout(predicate::str::contains("Today (1)"))
        .stdout(predicate::str::contains("2026-11-25 12:00"));
    let out = salesdesk(&dir).args(["--json", "remind"]).assert().code(1);
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["overdue"][0]["subject"], "Call Li Wei");
    assert_eq!(v["overdue"][0]["due_at"], "2026-11-24T09:00:00Z");
    assert_eq!(v["today"][0]["subject"], "Site visit");

    ok(
        &dir,
        &["activity", "done", "Call Li Wei", "--outcome", "agreed"],
    );
    salesdesk(&dir)
        .arg("remind")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Overdue").not())
        .stdout(predicate::str::contains("Site visit"));
}

/// Issue #18: a follow-up in the past is refused, scheduled or moved there; logged as
/// done it is a past activity and fine.
#[test]
fn a_follow_up_in_the_past_is_refused_unless_logged_as_done() {
    let dir = with_acme();
    let message = "a follow-up cannot be due in the past; give a time to come, or log what \
                   happened as done";
    refused(
        &dir,
        &[
            "activity",
            "schedule",
            "--deal",
            "ACME renewal",
            "--due",
            "2026-11-24 09:00",
            "Call Li Wei",
        ],
        1,
        message,
    );
    refused(
        &dir,
        &[
            "activity",
            "schedule",
            "--customer",
            "ACME",
            "--due",
            "2026-11-25 09:59",
            "Visit",
        ],
        1,
        message,
    );
    ok(
        &dir,
        &[
            "activity",
            "schedule",
            "--customer",
            "ACME",
            "--due",
            "tomorrow 10:00",
            "Visit",
        ],
    );
    refused(
        &dir,
        &["activity", "edit", "Visit", "--due", "2026-11-20 10:00"],
        1,
        message,
    );
    ok(
        &dir,
        &[
            "activity",
            "log",
            "--deal",
            "ACME renewal",
            "--kind",
            "call",
            "--at",
            "yesterday 15:00",
            "Called Li Wei",
        ],
    );
}

/// Issue #19 item 7: amounts and times as people write them where they are — a decimal
/// comma where the locale uses one, 万 and 元, and days and times in Chinese.
#[test]
fn amounts_and_times_are_read_as_the_locale_writes_them() {
    let dir = with_acme();
    // "yesterday 10:00" is read, then refused by the rule rather than called "not a time".
    refused(
        &dir,
        &[
            "activity",
            "schedule",
            "--customer",
            "ACME",
            "--due",
            "yesterday 10:00",
            "Visit",
        ],
        1,
        "a follow-up cannot be due in the past",
    );
    refused(
        &dir,
        &[
            "activity",
            "schedule",
            "--customer",
            "ACME",
            "--due",
            "昨天 10:00",
            "Visit",
        ],
        1,
        "a follow-up cannot be due in the past",
    );
    ok(
        &dir,
        &[
            "activity",
            "schedule",
            "--customer",
            "ACME",
            "--due",
            "下周一 10:00",
            "拜访",
        ],
    );
    ok(
        &dir,
        &[
            "activity",
            "schedule",
            "--customer",
            "ACME",
            "--due",
            "明天下午3点",
            "回电",
        ],
    );
    ok(
        &dir,
        &[
            "activity",
            "log",
            "--kind",
            "call",
            "--customer",
            "ACME",
            "--at",
            "昨天 15:00",
            "已电话沟通",
        ],
    );
    let acts = json_of(&dir, &["activity", "list", "--customer", "ACME"]);
    let due = |subject: &str| {
        acts.as_array()
            .unwrap()
            .iter()
            .find(|a| a["subject"] == subject)
            .unwrap_or_else(|| panic!("{subject} in {acts}"))
            .clone()
    };
    // Now is Wednesday 2026-11-25 10:00 UTC: next week's Monday is the 30th.
    assert_eq!(due("拜访")["due_at"], "2026-11-30T10:00:00Z");
    assert_eq!(due("回电")["due_at"], "2026-11-26T15:00:00Z");
    assert_eq!(due("已电话沟通")["done_at"], "2026-11-24T15:00:00Z");
    refused(
        &dir,
        &[
            "activity",
            "schedule",
            "--customer",
            "ACME",
            "--due",
            "下周八",
            "Visit",
        ],
        1,
        "明天 10:00",
    );

    // 万 and 元 in any locale.
    ok(
        &dir,
        &[
            "deal",
            "add",
            "Huawei pilot",
            "--customer",
            "华为",
            "--amount",
            "1.2万",
        ],
    );
    ok(
        &dir,
        &[
            "deal",
            "add",
            "ZTE pilot",
            "--customer",
            "中兴",
            "--amount",
            "12万元",
        ],
    );
    let deal = |title: &str| json_of(&dir, &["deal", "show", title]);
    assert_eq!(deal("Huawei pilot")["amount"], "12000.00");
    assert_eq!(deal("Huawei pilot")["currency"], "EUR");
    assert_eq!(deal("ZTE pilot")["amount"], "120000.00");
    assert_eq!(deal("ZTE pilot")["currency"], "CNY");

    // A decimal comma where the locale writes one; the config can say otherwise.
    let german = |args: &[&str]| {
        salesdesk(&dir)
            .env("LC_ALL", "de_DE.UTF-8")
            .args(args)
            .assert()
    };
    german(&["deal", "edit", "Huawei pilot", "--amount", "12.500,50"]).success();
    assert_eq!(deal("Huawei pilot")["amount"], "12500.50");
    let out = german(&["deal", "edit", "Huawei pilot", "--amount", "12,500.50"]).code(1);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("e.g. 12.500,50"), "{err}");
    assert_eq!(deal("Huawei pilot")["amount"], "12500.50");
    std::fs::write(config_path(&dir), "decimal = \".\"\n").unwrap();
    german(&["deal", "edit", "Huawei pilot", "--amount", "12,500.75"]).success();
    assert_eq!(deal("Huawei pilot")["amount"], "12500.75");
    std::fs::write(config_path(&dir), "decimal = \";\"\n").unwrap();
    refused(&dir, &["deal", "list"], 1, "line 1, column 11");
}

#[test]
fn remind_lists_the_first_ten_of_a_section_and_counts_the_rest() {
    let dir = with_acme();
    for i in 1..=12 {
        salesdesk(&dir)
            .env("SALESDESK_NOW", "2026-11-19T10:00:00Z")
            .args(["activity", "schedule", "--customer", "ACME", "--due"])
            .arg(format!("2026-11-20 {:02}:00", 6 + i))
            .arg(format!("Call number {i}"))
            .assert()
            .success();
    }
    let out = salesdesk(&dir).arg("remind").assert().code(1);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("Overdue (12)"), "{text}");
    // The most overdue first, ten of them, and the way to the rest.
    assert!(text.contains("Call number 10 "), "{text}");
    assert!(!text.contains("Call number 11 "), "{text}");
    assert!(
        text.contains("… and 2 more (salesdesk remind --all, or the Agenda: key 3)"),
        "{text}"
    );
    let out = salesdesk(&dir).args(["remind", "--all"]).assert().code(1);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("Call number 12 "), "{text}");
    assert!(!text.contains("more (salesdesk remind --all"), "{text}");
    // A script reading JSON gets every reminder.
    let out = salesdesk(&dir).args(["--json", "remind"]).assert().code(1);
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["overdue"].as_array().map(Vec::len), Some(12));
}

#[test]
fn remind_count_and_format_print_one_line_for_a_prompt() {
    let dir = with_acme();
    let line = |args: &[&str], code: i32| -> String {
        let out = salesdesk(&dir).args(args).assert().code(code);
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    assert_eq!(line(&["remind", "--count"], 0), "0\n");
    // The first scheduled two days ago for yesterday morning: overdue now.
    for (now, due, subject) in [
        ("2026-11-23T10:00:00Z", "2026-11-24 09:00", "Call Li Wei"),
        (NOW, "+2h", "Site visit"),
    ] {
        salesdesk(&dir)
            .env("SALESDESK_NOW", now)
            .args([
                "activity",
                "schedule",
                "--customer",
                "ACME",
                "--due",
                due,
                subject,
            ])
            .assert()
            .success();
    }
    assert_eq!(line(&["remind", "--count"], 1), "2\n");
    assert_eq!(
        line(&["remind", "--format", "!{overdue} today {today}"], 1),
        "!1 today 1\n"
    );
    let v: Value = serde_json::from_str(&line(&["--json", "remind", "--count"], 1)).unwrap();
    assert_eq!(
        (v["overdue"].as_i64(), v["today"].as_i64()),
        (Some(1), Some(1))
    );
    ok(&dir, &["activity", "done", "Call Li Wei"]);
    assert_eq!(
        line(&["remind", "--format", "{overdue} {today}"], 0),
        "0 1\n"
    );
}

#[test]
fn remind_lists_customers_due_a_revisit() {
    let dir = TempDir::new().unwrap();
    // Added six weeks ago and never contacted: a key customer is due a visit every 14
    // days, a low-tier one every 90.
    for (name, tier) in [("Stark Components", "key"), ("Quiet Corner", "low")] {
        salesdesk(&dir)
            .env("SALESDESK_NOW", "2026-10-14T10:00:00Z")
            .args(["customer", "add", name, "--tier", tier])
            .assert()
            .success();
    }
    salesdesk(&dir)
        .arg("remind")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Revisits due (1)"))
        .stdout(predicate::str::contains("Stark Components (Key tier)"))
        .stdout(predicate::str::contains("Quiet Corner").not());
    let v = json_of(&dir, &["remind"]);
    let due = v["revisits_due"].as_array().unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0]["name"], "Stark Components");
    assert_eq!(due[0]["tier"], "key");
    assert_eq!(
        json_of(&dir, &["customer", "show", "Stark Components"])["revisit_due"],
        true
    );

    // A visit today resets the cadence.
    ok(
        &dir,
        &[
            "activity",
            "log",
            "--customer",
            "Stark Components",
            "--kind",
            "visit",
            "Quarterly review",
        ],
    );
    let v = json_of(&dir, &["remind"]);
    assert_eq!(v["revisits_due"], json!([]));
}

// ---------------------------------------------------------------------------------------
// Deals

#[test]
fn a_deal_as_json_has_the_documented_fields() {
    let dir = TempDir::new().unwrap();
    let deal = json_of(
        &dir,
        &[
            "deal",
            "add",
            "Router upgrade",
            "--customer",
            "Globex",
            "--amount",
            "12,500.50",
            "--currency",
            "usd",
            "--stage",
            "qualified",
            "--close",
            "2026-12-31",
            "--source",
            "referral",
        ],
    );
    for key in [
        "id",
        "title",
        "customer",
        "customer_id",
        "stage",
        "status",
        "amount",
        "currency",
        "expected_close",
        "next_follow_up",
        "owner",
    ] {
        assert!(deal.get(key).is_some(), "deal JSON lacks {key}: {deal:#}");
    }
    assert_eq!(deal["title"], "Router upgrade");
    assert_eq!(deal["customer"], "Globex");
    assert_eq!(deal["stage"], "Qualified");
    assert_eq!(deal["status"], "open");
    assert_eq!(deal["amount"], "12500.50");
    assert_eq!(deal["currency"], "USD");
    assert_eq!(deal["expected_close"], "2026-12-31");
    assert_eq!(deal["source"], "referral");
    assert_eq!(deal["next_follow_up"], Value::Null);
    assert_eq!(deal["owner"], "tess");
    let id = deal["id"].as_str().unwrap();
    assert_eq!(id.len(), 36, "a full UUID: {id}");

    let globex = json_of(&dir, &["customer", "show", "Globex"]);
    assert_eq!(deal["customer_id"], globex["id"]);
    assert_eq!(globex["status"], "prospect", "a new name makes a prospect");

    // The next follow-up is the earliest open reminder on the deal.
    for due in ["2026-12-02 09:00", "2026-11-30 15:00"] {
        ok(
            &dir,
            &[
                "activity",
                "schedule",
                "--deal",
                "Router upgrade",
                "--due",
                due,
                "Follow up",
            ],
        );
    }
    let deal = json_of(&dir, &["deal", "show", id]);
    assert_eq!(deal["next_follow_up"], "2026-11-30T15:00:00Z");
    assert_eq!(deal["activities"].as_array().unwrap().len(), 2);
}

#[test]
fn deals_are_named_by_full_id_short_id_or_any_case_of_their_title() {
    let dir = with_acme();
    let deal = json_of(&dir, &["deal", "show", "ACME renewal"]);
    let id = deal["id"].as_str().unwrap();
    let short = deal["short_id"].as_str().unwrap();
    assert!(id.ends_with(short));
    for reference in [id, short, "acme RENEWAL", "  ACME renewal  "] {
        assert_eq!(json_of(&dir, &["deal", "show", reference])["id"], id);
    }
    // The short id is what the list shows.
    assert!(ok(&dir, &["deal", "list"]).contains(short));
    let text = ok(&dir, &["deal", "show", short]);
    assert!(text.contains("ACME renewal"));
    assert!(text.contains("12,000.00 EUR"));
    assert!(text.contains("Stage history"));
    // Bug 12: the history says what happened in words, as the TUI's detail does.
    assert!(text.contains("created in Lead"), "{text}");
    ok(&dir, &["deal", "move", "ACME renewal", "Proposal"]);
    ok(&dir, &["deal", "win", "ACME renewal"]);
    ok(&dir, &["deal", "reopen", "ACME renewal", "--stage", "Lead"]);
    let text = ok(&dir, &["deal", "show", "ACME renewal"]);
    assert!(text.contains("Lead → Proposal"), "{text}");
    assert!(text.contains("won in Proposal"), "{text}");
    assert!(
        text.contains("reopened in Lead (was in Proposal)"),
        "{text}"
    );
    assert!(!text.contains("→ won"), "{text}");
}

#[test]
fn changing_a_deals_currency_keeps_its_amount() {
    let dir = with_acme();
    let yen = json_of(&dir, &["deal", "edit", "ACME renewal", "--currency", "jpy"]);
    assert_eq!(
        (&yen["amount"], &yen["currency"]),
        (&json!("12000"), &json!("JPY"))
    );
    let back = json_of(&dir, &["deal", "edit", "ACME renewal", "--currency", "EUR"]);
    assert_eq!(back["amount"], "12000.00");
    ok(
        &dir,
        &["deal", "edit", "ACME renewal", "--amount", "12000.50"],
    );
    refused(
        &dir,
        &["deal", "edit", "ACME renewal", "--currency", "JPY"],
        1,
        "more than 0 decimal places for JPY",
    );
    refused(
        &dir,
        &[
            "deal",
            "edit",
            "ACME renewal",
            "--amount",
            "5 USD",
            "--currency",
            "GBP",
        ],
        1,
        "--amount says USD but --currency says GBP",
    );
}

#[test]
fn deal_lifecycle_move_lose_reopen_win_edit_delete_restore() {
    let dir = with_acme();
    ok(
        &dir,
        &[
            "deal",
            "add",
            "Globex pilot",
            "--customer",
            "Globex",
            "--amount",
            "3000 USD",
        ],
    );

    let lost = json_of(
        &dir,
        &["deal", "lose", "Globex pilot", "--reason", "competitor"],
    );
    assert_eq!(lost["status"], "lost");
    assert_eq!(lost["lost_reason"], "competitor");
    assert_eq!(lost["closed_at"], "2026-11-25T10:00:00Z");

    let reopened = json_of(
        &dir,
        &["deal", "reopen", "Globex pilot", "--stage", "Negotiation"],
    );
    assert_eq!(reopened["status"], "open");
    assert_eq!(reopened["stage"], "Negotiation");
    assert_eq!(reopened["lost_reason"], Value::Null);
    assert_eq!(reopened["closed_at"], Value::Null);

    ok(&dir, &["deal", "win", "Globex pilot"]);
    ok(&dir, &["deal", "move", "ACME renewal", "Qualified"]);

    let titles = |args: &[&str]| -> Vec<String> {
        json_of(&dir, args)
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(titles(&["deal", "list"]).len(), 2);
    assert_eq!(
        titles(&["deal", "list", "--status", "won"]),
        ["Globex pilot"]
    );
    assert_eq!(
        titles(&["deal", "list", "--status", "open"]),
        ["ACME renewal"]
    );
    assert!(titles(&["deal", "list", "--status", "lost"]).is_empty());
    assert_eq!(
        titles(&["deal", "list", "--stage", "qualified"]),
        ["ACME renewal"]
    );
    assert!(titles(&["deal", "list", "--stage", "Lead"]).is_empty());
    let text = ok(&dir, &["deal", "list", "--status", "won"]);
    assert!(
        text.contains("Globex pilot") && text.contains("Won"),
        "{text}"
    );
    assert!(!text.contains("ACME renewal"), "{text}");

    let edited = json_of(
        &dir,
        &[
            "deal",
            "edit",
            "ACME renewal",
            "--amount",
            "15,000",
            "--close",
            "2027-01-15",
            "--title",
            "ACME renewal 2027",
        ],
    );
    assert_eq!(edited["amount"], "15000.00");
    assert_eq!(edited["currency"], "EUR");
    assert_eq!(edited["expected_close"], "2027-01-15");
    assert_eq!(edited["title"], "ACME renewal 2027");
    let cleared = json_of(
        &dir,
        &["deal", "edit", "ACME renewal 2027", "--close", "none"],
    );
    assert_eq!(cleared["expected_close"], Value::Null);
    assert_eq!(cleared["amount"], "15000.00", "other fields are kept");

    let short = edited["short_id"].as_str().unwrap().to_string();
    salesdesk(&dir)
        .args(["deal", "delete", "ACME renewal 2027"])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "salesdesk deal restore {short}"
        )));
    assert_eq!(titles(&["deal", "list"]), ["Globex pilot"]);
    salesdesk(&dir)
        .args(["deal", "show", &short])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no deal matches"));
    let restored = json_of(&dir, &["deal", "restore", &short]);
    assert_eq!(restored["title"], "ACME renewal 2027");
    assert_eq!(restored["stage"], "Qualified");
    assert_eq!(titles(&["deal", "list"]).len(), 2);
}

// ---------------------------------------------------------------------------------------
// Customers and contacts

#[test]
fn customer_add_show_list_edit_delete() {
    let dir = TempDir::new().unwrap();
    let added = json_of(
        &dir,
        &[
            "customer",
            "add",
            "上海华为技术有限公司",
            "--tier",
            "key",
            "--industry",
            "Telecom",
            "--region",
            "Shanghai",
            "--tag",
            "VIP",
            "--tag",
            "at risk",
        ],
    );
    for key in [
        "id",
        "name",
        "status",
        "tier",
        "lifetime_value",
        "won_deals",
        "open_deals",
        "contacts",
        "tags",
        "last_contact",
    ] {
        assert!(
            added.get(key).is_some(),
            "customer JSON lacks {key}: {added:#}"
        );
    }
    assert_eq!(added["name"], "上海华为技术有限公司");
    assert_eq!(added["status"], "prospect");
    assert_eq!(added["tier"], "key");
    assert_eq!(added["industry"], "Telecom");
    assert_eq!(added["region"], "Shanghai");
    assert_eq!(added["tags"], json!(["at risk", "VIP"]));
    assert_eq!(added["lifetime_value"], json!(0));
    assert_eq!(added["won_deals"], json!([]));
    assert_eq!(added["last_contact"], Value::Null);

    ok(
        &dir,
        &[
            "customer", "add", "Initech", "--status", "active", "--tier", "low",
        ],
    );
    ok(&dir, &["deal", "add", "Printers", "--customer", "initech"]);

    let text = ok(&dir, &["customer", "show", "上海华为技术有限公司"]);
    for want in ["Key", "Telecom", "Shanghai", "at risk, VIP", "Prospect"] {
        assert!(text.contains(want), "{want} missing in:\n{text}");
    }
    let initech = json_of(&dir, &["customer", "show", "INITECH"]);
    assert_eq!(initech["open_deals"][0]["title"], "Printers");

    let names = |args: &[&str]| -> Vec<String> {
        json_of(&dir, args)
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&["customer", "list"]).len(), 2);
    assert_eq!(
        names(&["customer", "list", "--tier", "key"]),
        ["上海华为技术有限公司"]
    );
    assert_eq!(
        names(&["customer", "list", "--status", "active"]),
        ["Initech"]
    );
    assert_eq!(
        names(&["customer", "list", "--status", "prospect", "--tier", "low"]),
        Vec::<String>::new()
    );
    let text = ok(&dir, &["customer", "list", "--status", "active"]);
    assert!(text.contains("Initech") && !text.contains("华为"), "{text}");

    let edited = json_of(
        &dir,
        &[
            "customer",
            "edit",
            "上海华为技术有限公司",
            "--tier",
            "normal",
            "--status",
            "at_risk",
            "--untag",
            "vip",
            "--tag",
            "strategic",
            "--satisfaction",
            "4",
        ],
    );
    assert_eq!(edited["tier"], "normal");
    assert_eq!(edited["status"], "at_risk");
    assert_eq!(edited["tags"], json!(["at risk", "strategic"]));
    assert_eq!(edited["satisfaction"], json!(4));

    // A customer with an open deal is not deleted from under it.
    refused(
        &dir,
        &["customer", "delete", "Initech"],
        1,
        "Initech has 1 open deal(s)",
    );
    let short = edited["short_id"].as_str().unwrap().to_string();
    ok(&dir, &["customer", "delete", &short]);
    assert_eq!(names(&["customer", "list"]), ["Initech"]);
    salesdesk(&dir)
        .args(["customer", "show", "上海华为技术有限公司"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no customer matches"));
    ok(&dir, &["customer", "restore", &short]);
    assert_eq!(names(&["customer", "list"]).len(), 2);
}

#[test]
fn a_deleted_customer_takes_its_deals_and_activities_out_of_the_lists() {
    let dir = with_acme();
    ok(&dir, &["deal", "win", "ACME renewal"]);
    ok(
        &dir,
        &[
            "activity",
            "log",
            "--deal",
            "ACME renewal",
            "--kind",
            "call",
            "Thanks",
        ],
    );
    ok(
        &dir,
        &["deal", "add", "Globex pilot", "--customer", "Globex"],
    );
    let acme = json_of(&dir, &["customer", "delete", "ACME"]);
    assert_eq!(acme["deleted"], true);
    let deals = json_of(&dir, &["deal", "list"]);
    assert_eq!(deals.as_array().unwrap().len(), 1, "{deals:#}");
    assert_eq!(deals[0]["title"], "Globex pilot");
    assert_eq!(json_of(&dir, &["activity", "list"]), json!([]));

    ok(&dir, &["customer", "restore", "ACME"]);
    assert_eq!(
        json_of(&dir, &["deal", "list"]).as_array().unwrap().len(),
        2
    );
    assert_eq!(json_of(&dir, &["activity", "list"])[0]["subject"], "Thanks");

    // A deleted deal's reminders leave the lists and stop reminding.
    // Scheduled a week ago for five days ago: overdue now.
    salesdesk(&dir)
        .env("SALESDESK_NOW", "2026-11-18T10:00:00Z")
        .args([
            "activity",
            "schedule",
            "--deal",
            "Globex pilot",
            "--due",
            "2026-11-20 09:00",
            "Chase Globex",
        ])
        .assert()
        .success();
    salesdesk(&dir).arg("remind").assert().code(1);
    ok(&dir, &["deal", "delete", "Globex pilot"]);
    salesdesk(&dir)
        .arg("remind")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Chase Globex").not());
    let subjects: Vec<Value> = json_of(&dir, &["activity", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["subject"].clone())
        .collect();
    assert_eq!(subjects, [json!("Thanks")]);
}

#[test]
fn contacts_add_list_edit() {
    let dir = with_acme();
    let bob = json_of(
        &dir,
        &[
            "contact",
            "add",
            "ACME",
            "Bob Smith",
            "--title",
            "CTO",
            "--email",
            "bob@acme.com",
            "--phone",
            "+49 30 1234567",
        ],
    );
    assert_eq!(bob["name"], "Bob Smith");
    assert_eq!(
        bob["is_primary"], true,
        "the first contact is the primary one"
    );
    ok(&dir, &["contact", "add", "acme", "Li Wei"]);

    let text = ok(&dir, &["contact", "list", "ACME"]);
    assert!(text.contains("Bob Smith *"), "{text}");
    assert!(text.contains("bob@acme.com") && text.contains("+49 30 1234567"));
    assert!(text.contains("Li Wei"));

    let li = json_of(
        &dir,
        &[
            "contact",
            "edit",
            "Li Wei",
            "--email",
            "li.wei@acme.cn",
            "--title",
            "Buyer",
            "--primary",
        ],
    );
    assert_eq!(li["email"], "li.wei@acme.cn");
    assert_eq!(li["title"], "Buyer");
    let list = json_of(&dir, &["contact", "list", "ACME"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["name"], "Li Wei", "the primary contact comes first");
    assert_eq!(find(&list, "name", "Bob Smith")["is_primary"], false);
    assert_eq!(find(&list, "name", "Bob Smith")["email"], "bob@acme.com");

    let acme = json_of(&dir, &["customer", "show", "ACME"]);
    assert_eq!(acme["contacts"].as_array().unwrap().len(), 2);
}

// ---------------------------------------------------------------------------------------
// Activities

#[test]
fn activities_log_schedule_done_list() {
    let dir = with_acme();
    let logged = json_of(
        &dir,
        &[
            "activity",
            "log",
            "--deal",
            "ACME renewal",
            "--kind",
            "call",
            "Discussed pricing",
            "--body",
            "wants 3 years",
        ],
    );
    assert_eq!(logged["kind"], "call");
    assert_eq!(logged["deal"], "ACME renewal");
    assert_eq!(logged["customer"], "ACME");
    assert_eq!(logged["done_at"], NOW);
    ok(
        &dir,
        &[
            "activity",
            "log",
            "--customer",
            "ACME",
            "--kind",
            "complaint",
            "Late delivery",
        ],
    );
    let scheduled = json_of(
        &dir,
        &[
            "activity",
            "schedule",
            "--deal",
            "ACME renewal",
            "--due",
            "tomorrow 09:00",
            "--kind",
            "email",
            "Send the quote",
        ],
    );
    assert_eq!(scheduled["due_at"], "2026-11-26T09:00:00Z");
    assert_eq!(scheduled["done_at"], Value::Null);

    let all = json_of(&dir, &["activity", "list"]);
    assert_eq!(all.as_array().unwrap().len(), 3);
    assert_eq!(all[0]["subject"], "Send the quote", "newest first");
    let open = json_of(&dir, &["activity", "list", "--open"]);
    assert_eq!(open.as_array().unwrap().len(), 1);
    let on_deal = json_of(&dir, &["activity", "list", "--deal", "ACME renewal"]);
    assert_eq!(on_deal.as_array().unwrap().len(), 2);
    let text = ok(&dir, &["activity", "list"]);
    for want in [
        "Send the quote",
        "due",
        "Late delivery",
        "complaint",
        "done",
    ] {
        assert!(text.contains(want), "{want} missing in:\n{text}");
    }

    let done = json_of(
        &dir,
        &["activity", "done", "Send the quote", "--outcome", "sent"],
    );
    assert_eq!(done["done_at"], NOW);
    assert_eq!(done["outcome"], "sent");
    assert_eq!(
        json_of(&dir, &["activity", "list", "--open"]),
        json!([]),
        "nothing open any more"
    );
    refused(
        &dir,
        &["activity", "done", "Send the quote"],
        1,
        "already done",
    );
    let acme = json_of(&dir, &["customer", "show", "ACME"]);
    assert_eq!(acme["last_contact"], NOW);
}

// ---------------------------------------------------------------------------------------
// Search, backup, config, demo

#[test]
fn search_finds_every_kind_of_record_and_takes_text_literally() {
    let dir = with_acme();
    ok(
        &dir,
        &["contact", "add", "ACME", "Li Wei", "--email", "li@acme.com"],
    );
    ok(&dir, &["customer", "add", "上海华为技术有限公司"]);
    ok(
        &dir,
        &[
            "activity",
            "log",
            "--customer",
            "ACME",
            "--kind",
            "note",
            "Budget approved",
        ],
    );
    let hits = json_of(&dir, &["search", "acme"]);
    let kinds: Vec<&str> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_str().unwrap())
        .collect();
    for kind in ["deal", "customer", "contact"] {
        assert!(kinds.contains(&kind), "no {kind} in {hits:#}");
    }
    assert_eq!(find(&hits, "kind", "deal")["title"], "ACME renewal");
    assert_eq!(
        json_of(&dir, &["search", "华为"])[0]["title"],
        "上海华为技术有限公司"
    );
    assert_eq!(json_of(&dir, &["search", "budget"])[0]["kind"], "activity");
    assert_eq!(
        json_of(&dir, &["search", "nothing", "like", "it"]),
        json!([])
    );
    for literal in ["\"", "a\"b OR (", "NEAR", "100%", "-x", "*"] {
        ok(&dir, &["search", "--", literal]);
    }
    assert!(ok(&dir, &["search", "renewal"]).contains("ACME renewal"));
}

#[test]
fn backup_writes_a_copy_that_opens_with_the_data() {
    let dir = with_acme();
    ok(&dir, &["deal", "win", "ACME renewal"]);
    let copy = dir.path().join("copy.db");
    ok(&dir, &["backup", copy.to_str().unwrap()]);
    let out = common::salesdesk(&copy, &config_path(&dir))
        .args(["--json", "customer", "show", "ACME"])
        .assert()
        .success();
    let acme: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(acme["status"], "active");
    assert_eq!(acme["lifetime_value"], json!(12000));
    assert_eq!(acme["won_deals"][0]["title"], "ACME renewal");

    // An existing file is never overwritten.
    let before = std::fs::read(&copy).unwrap();
    refused(
        &dir,
        &["backup", copy.to_str().unwrap()],
        1,
        "already exists",
    );
    assert_eq!(std::fs::read(&copy).unwrap(), before);
}

#[test]
fn config_path_and_show() {
    let dir = TempDir::new().unwrap();
    let path = config_path(&dir);
    salesdesk(&dir)
        .args(["config", "path"])
        .assert()
        .success()
        .stdout(format!("{}\n", path.display()));
    salesdesk(&dir)
        .args(["config", "show"])
        .assert()
        .success()
        .stdout(predicate::str::contains("defaults"))
        .stdout(predicate::str::contains("default_currency = \"EUR\""));

    std::fs::write(
        &path,
        "default_currency = \"usd\"\n[cadence]\nkey = 7\n[me]\nname = \"Tess Tester\"\n",
    )
    .unwrap();
    let shown = json_of(&dir, &["config", "show"]);
    assert_eq!(shown["default_currency"], "USD");
    assert_eq!(shown["cadence"]["key"], json!(7));
    assert_eq!(shown["cadence"]["normal"], json!(30));
    // The settings are in force: amounts default to USD, edits are signed by "me".
    let deal = json_of(
        &dir,
        &[
            "deal",
            "add",
            "Pilot",
            "--customer",
            "ACME",
            "--amount",
            "500",
        ],
    );
    assert_eq!(deal["currency"], "USD");
    assert_eq!(deal["owner"], "Tess Tester");
}

#[test]
fn a_bad_config_is_reported_with_its_line() {
    let dir = with_acme();
    std::fs::write(
        config_path(&dir),
        "default_currency = \"EUR\"\ncadense = 3\n",
    )
    .unwrap();
    let err = refused(&dir, &["config", "show"], 1, "line 2");
    assert!(err.contains("cadense"), "{err}");
    assert!(err.contains("config.toml"), "{err}");
    // Every command that needs the settings refuses to run on a bad config…
    let err = refused(&dir, &["deal", "list"], 1, "line 2");
    assert!(err.contains("cadense"), "{err}");
    // …but the path is still shown, so the user can find the file.
    ok(&dir, &["config", "path"]);

    std::fs::write(config_path(&dir), "[cadence]\nkey = 0\n").unwrap();
    refused(
        &dir,
        &["config", "show"],
        1,
        "cadence.key = 0 is out of range",
    );
}

#[test]
fn demo_fills_a_new_database_and_refuses_a_used_one() {
    let dir = with_demo();
    let customers = json_of(&dir, &["customer", "list"]);
    let deals = json_of(&dir, &["deal", "list"]);
    let n_customers = customers.as_array().unwrap().len();
    let n_deals = deals.as_array().unwrap().len();
    assert!((30..=50).contains(&n_customers), "{n_customers} customers");
    assert!((60..=100).contains(&n_deals), "{n_deals} deals");
    for status in ["open", "won", "lost"] {
        assert!(
            deals
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["status"] == status),
            "no {status} deal"
        );
    }
    for tier in ["key", "normal", "low"] {
        assert!(
            customers
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["tier"] == tier),
            "no {tier} customer"
        );
    }
    assert!(
        customers
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"].as_str().unwrap().contains("华为")),
        "no Chinese customer name"
    );

    refused(&dir, &["demo"], 1, "already has customers or deals");
    let used = with_acme();
    refused(&used, &["demo"], 1, "already has customers or deals");
}

/// `customer list --json` reads deals, contacts and tags once for every customer and
/// groups them (issue 17: asking per customer grew with the square of the book); each
/// customer must still show exactly what `customer show` shows for it alone.
#[test]
fn customer_list_json_shows_each_customer_as_customer_show_does() {
    let dir = with_demo();
    let list = json_of(&dir, &["customer", "list"]);
    let list = list.as_array().unwrap();
    let with = |field: &str| {
        list.iter()
            .filter(|c| !c[field].as_array().unwrap().is_empty())
            .count()
    };
    assert!(with("contacts") > 1 && with("tags") > 1 && with("won_deals") > 1);
    assert!(with("open_deals") > 1);
    for c in list {
        let id = c["id"].as_str().unwrap();
        assert_eq!(c, &json_of(&dir, &["customer", "show", id]), "{id}");
    }
}

/// The long lists print typed objects straight to the terminal, not `Value` maps (issue 17:
/// `customer list --json` at 20k customers); what they print must read exactly as the
/// same JSON printed from a map, keys in the same order, layout and escapes alike.
#[test]
fn json_lists_print_as_their_values_would() {
    let dir = with_demo();
    let hostile = "Evil\u{9b}31m \u{202e}gpj.exe 华为";
    ok(&dir, &["deal", "add", hostile, "--customer", hostile]);
    for args in [
        &["customer", "list"][..],
        &["deal", "list"],
        &["activity", "list"],
    ] {
        let out = salesdesk(&dir).arg("--json").args(args).assert().success();
        let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        let expected = format!(
            "{}\n",
            pretty
                .replace('\u{9b}', "\\u009b")
                .replace('\u{202e}', "\\u202e")
        );
        assert!(
            text == expected,
            "{args:?} printed differently from its value"
        );
        assert!(value.to_string().contains(hostile) || args[0] == "activity");
    }
}

#[test]
fn tables_fit_an_80_column_terminal_on_the_demo_data() {
    let dir = with_demo();
    for args in [
        &["deal", "list"][..],
        &["customer", "list"],
        &["activity", "list"],
        &["remind"],
    ] {
        let out = salesdesk(&dir).args(args).assert();
        let out = out.get_output();
        assert!(out.status.code().is_some_and(|c| c <= 1), "{args:?} failed");
        let text = String::from_utf8(out.stdout.clone()).unwrap();
        assert!(text.lines().count() > 3, "{args:?} printed little:\n{text}");
        for line in text.lines() {
            assert!(
                line.width() <= 80,
                "{args:?}: a line of {} columns:\n{line}",
                line.width()
            );
        }
    }
}

#[test]
fn control_characters_in_data_never_reach_the_terminal() {
    let dir = TempDir::new().unwrap();
    let title = "Evil\x1b[31m deal\x07";
    let customer = "Bad\x1b]0;pwned\x07Co";
    let mut printed = String::new();
    for args in [
        &[
            "deal",
            "add",
            title,
            "--customer",
            customer,
            "--amount",
            "5",
        ][..],
        &["deal", "move", title, "Proposal"],
        &["deal", "win", title],
        &["deal", "show", title],
        &["deal", "list"],
        &["customer", "show", customer],
        &["customer", "list"],
        &["contact", "add", customer, "Eve\x1b[2J"],
        &["contact", "list", customer],
        &[
            "activity",
            "schedule",
            "--deal",
            title,
            "--due",
            "+1h",
            "Ring\x1b[5m",
        ],
        &["activity", "list"],
        &["remind"],
        &["search", "evil"],
        &["deal", "delete", title],
    ] {
        printed.push_str(&ok(&dir, args));
    }
    assert!(printed.contains("Evil"), "{printed}");
    assert!(
        !printed.chars().any(|c| c.is_control() && c != '\n'),
        "a control character was printed:\n{printed:?}"
    );
}

#[test]
fn search_tables_name_each_hit_in_the_singular() {
    let dir = with_acme();
    ok(
        &dir,
        &[
            "activity",
            "log",
            "--customer",
            "ACME",
            "--kind",
            "note",
            "ACME budget",
        ],
    );
    let text = ok(&dir, &["search", "acme"]);
    let kinds: Vec<&str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(kinds, ["Deal", "Customer", "Activity"], "{text}");
}

// ---------------------------------------------------------------------------------------
// Bad input: refused with a message, and the database is left as it was

#[test]
fn bad_amounts_are_refused_and_change_nothing() {
    let dir = with_acme();
    for (amount, message) in [
        ("12,5x", "amount '12,5x' is not a number"),
        ("-3", "amount '-3' is negative"),
        ("1e9999", "amount '1e9999' is not a number"),
    ] {
        refused(
            &dir,
            &[
                "deal",
                "add",
                "New deal",
                "--customer",
                "Newco",
                "--amount",
                amount,
            ],
            1,
            message,
        );
        refused(
            &dir,
            &["deal", "edit", "ACME renewal", "--amount", amount],
            1,
            message,
        );
    }
    refused(
        &dir,
        &[
            "deal",
            "add",
            "New deal",
            "--customer",
            "Newco",
            "--currency",
            "euro",
        ],
        1,
        "currency 'euro' is not a three-letter ISO 4217 code",
    );
    // Nothing was half-made: no deal, and no customer for the new name either.
    assert_eq!(
        json_of(&dir, &["deal", "list"]).as_array().unwrap().len(),
        1
    );
    salesdesk(&dir)
        .args(["customer", "show", "Newco"])
        .assert()
        .code(2);
}

#[test]
fn bad_dates_and_times_are_refused_and_change_nothing() {
    let dir = with_acme();
    refused(
        &dir,
        &[
            "deal",
            "add",
            "New deal",
            "--customer",
            "ACME",
            "--close",
            "2026-13-01",
        ],
        1,
        "--close: '2026-13-01' is not a date",
    );
    refused(
        &dir,
        &["deal", "edit", "ACME renewal", "--close", "2026-13-01"],
        1,
        "'2026-13-01' is not a date",
    );
    for due in ["half past", "2026-13-01 09:00", "+3x"] {
        refused(
            &dir,
            &[
                "activity",
                "schedule",
                "--deal",
                "ACME renewal",
                "--due",
                due,
                "Call back",
            ],
            1,
            &format!("--due: '{due}' is not a time"),
        );
    }
}

/// A mistyped `--db` must not answer "nothing here" from a new, empty file made on the
/// spot: only a command that adds something starts a database.
#[test]
fn a_database_path_that_does_not_exist_is_refused_unless_the_command_adds_something() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["deal", "list"][..],
        &["customer", "show", "ACME"],
        &["remind"],
        &["search", "ACME"],
        &["report"],
        &["team", "status"],
    ] {
        // Not `refused`: its snapshot of the database would make the file. `remind` keeps
        // 1 for "something is overdue": its errors exit 2.
        let code = if args[0] == "remind" { 2 } else { 1 };
        let out = salesdesk(&dir).args(args).assert().code(code);
        let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(
            err.starts_with("error: there is no SalesDesk database at")
                && err.contains("t.db; check the path")
                && err.trim_end().lines().count() == 1,
            "{args:?}: {err}"
        );
        assert!(!db_path(&dir).exists(), "{args:?} made the file");
    }
    // A demo of no deals is refused before a file is made.
    let out = salesdesk(&dir)
        .args(["demo", "--scale", "0"])
        .assert()
        .code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("invalid value '0' for '--scale <N>'"), "{err}");
    assert!(!db_path(&dir).exists());
    ok(&dir, &["deal", "add", "ACME renewal", "--customer", "ACME"]);
    assert!(ok(&dir, &["deal", "list"]).contains("ACME renewal"));
}

#[test]
fn an_unknown_reference_exits_2_and_changes_nothing() {
    let dir = with_acme();
    let cases: &[&[&str]] = &[
        &["deal", "show", "Nonexistent"],
        &["deal", "move", "Nonexistent", "Proposal"],
        &["deal", "win", "nonexistent"],
        &["deal", "lose", "Nonexistent", "--reason", "price"],
        &["deal", "edit", "Nonexistent", "--amount", "5"],
        &["deal", "delete", "deadbeef"],
        &["deal", "restore", "ACME renewal"],
        &["customer", "show", "Nobody"],
        &["customer", "edit", "Nobody", "--tier", "key"],
        &["customer", "delete", "Nobody"],
        &["contact", "add", "Nobody", "Bob"],
        &["contact", "list", "Nobody"],
        &["contact", "edit", "Bob", "--title", "CEO"],
        &["activity", "log", "--deal", "Nope", "--kind", "call", "Hi"],
        &["activity", "done", "Nope"],
        &["activity", "list", "--customer", "Nobody"],
    ];
    for args in cases {
        let err = refused(&dir, args, 2, "matches");
        assert!(err.contains("no "), "{args:?}: {err}");
    }
    refused(
        &dir,
        &["deal", "show", "Nonexistent"],
        2,
        "no deal matches 'Nonexistent'",
    );
    refused(
        &dir,
        &["deal", "move", "ACME renewal", "Closing"],
        1,
        "no stage named 'Closing'; the stages are Lead, Qualified, Proposal, Negotiation",
    );
}

#[test]
fn an_ambiguous_name_lists_the_candidates_and_exits_2() {
    let dir = with_acme();
    let other = json_of(
        &dir,
        &["deal", "add", "acme Renewal", "--customer", "ACME Europe"],
    );
    let ids: Vec<String> = json_of(&dir, &["deal", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["short_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 2);
    for args in [
        &["deal", "show", "ACME renewal"][..],
        &["deal", "win", "acme renewal"],
        &["deal", "delete", "ACME RENEWAL"],
        &[
            "activity",
            "log",
            "--deal",
            "ACME renewal",
            "--kind",
            "call",
            "Hi",
        ],
    ] {
        let err = refused(&dir, args, 2, "matches more than one deal");
        for id in &ids {
            assert!(err.contains(id.as_str()), "{id} not listed: {err}");
        }
    }
    // Naming one by its short id works.
    let short = other["short_id"].as_str().unwrap();
    assert_eq!(
        json_of(&dir, &["deal", "show", short])["customer"],
        "ACME Europe"
    );

    ok(&dir, &["customer", "add", "Globex", "--region", "EU"]);
    ok(&dir, &["customer", "add", "globex", "--region", "US"]);
    let err = refused(
        &dir,
        &["deal", "add", "Pilot", "--customer", "GLOBEX"],
        2,
        "matches more than one customer",
    );
    assert_eq!(
        err.matches("Globex (").count() + err.matches("globex (").count(),
        2
    );
}

#[test]
fn losing_without_a_reason_is_refused() {
    let dir = with_acme();
    refused(
        &dir,
        &["deal", "lose", "ACME renewal"],
        1,
        "losing a deal needs a reason",
    );
    refused(
        &dir,
        &["deal", "lose", "ACME renewal", "--reason", "  "],
        1,
        "--reason",
    );
    assert_eq!(
        json_of(&dir, &["deal", "show", "ACME renewal"])["status"],
        "open"
    );
    ok(&dir, &["deal", "lose", "ACME renewal", "--reason", "price"]);
    let err = refused(
        &dir,
        &["deal", "lose", "ACME renewal", "--reason", "timing"],
        1,
        "'ACME renewal' is already lost",
    );
    assert!(!err.contains("--reason"), "the reason was given: {err}");
    refused(
        &dir,
        &["deal", "move", "ACME renewal", "Proposal"],
        1,
        "'ACME renewal' is lost; reopen it before moving it",
    );
}

#[test]
fn bad_choices_and_contact_details_are_refused() {
    let dir = with_acme();
    refused(
        &dir,
        &["customer", "add", "Newco", "--tier", "gold"],
        1,
        "--tier: 'gold' is not a tier; use one of key, normal, low",
    );
    refused(
        &dir,
        &["customer", "add", "Newco", "--status", "happy"],
        1,
        "--status: 'happy' is not a customer status",
    );
    refused(
        &dir,
        &["customer", "edit", "ACME", "--tier", "gold"],
        1,
        "'gold' is not a tier",
    );
    refused(
        &dir,
        &["customer", "list", "--status", "happy"],
        1,
        "is not a customer status",
    );
    refused(
        &dir,
        &["customer", "list", "--tier", "gold"],
        1,
        "is not a tier",
    );
    refused(
        &dir,
        &["deal", "list", "--status", "pending"],
        1,
        "--status: 'pending' is not a deal status; use one of open, won, lost",
    );
    refused(
        &dir,
        &["customer", "edit", "ACME", "--satisfaction", "9"],
        1,
        "satisfaction 9 is out of range",
    );
    refused(
        &dir,
        &[
            "activity",
            "log",
            "--customer",
            "ACME",
            "--kind",
            "lunch",
            "Lunch",
        ],
        1,
        "--kind: 'lunch' is not an activity kind",
    );
    refused(
        &dir,
        &[
            "activity",
            "schedule",
            "--customer",
            "ACME",
            "--due",
            "+1d",
            "--kind",
            "lunch",
            "Lunch",
        ],
        1,
        "'lunch' is not an activity kind",
    );
    refused(
        &dir,
        &["contact", "add", "ACME", "Bob", "--email", "bob@"],
        1,
        "'bob@' is not an email address",
    );
    refused(
        &dir,
        &["contact", "add", "ACME", "Bob", "--phone", "call me"],
        1,
        "'call me' is not a phone number",
    );
    ok(&dir, &["contact", "add", "ACME", "Bob"]);
    refused(
        &dir,
        &["contact", "edit", "Bob", "--email", "bob@"],
        1,
        "'bob@' is not an email address",
    );
}

#[test]
fn a_database_from_a_newer_salesdesk_is_refused_untouched() {
    let dir = TempDir::new().unwrap();
    let path = db_path(&dir);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    for args in [
        &["deal", "list"][..],
        &["customer", "add", "ACME"],
        &["demo"],
    ] {
        salesdesk(&dir)
            .args(args)
            .assert()
            .code(1)
            .stdout("")
            .stderr(predicate::str::contains("newer"))
            .stderr(predicate::str::contains("schema version 99"));
        assert_eq!(std::fs::read(&path).unwrap(), before, "{args:?}");
    }
    let files: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(files, ["t.db"], "no journal or WAL file was made");
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let dir = TempDir::new().unwrap();
    let path = db_path(&dir);
    let text = "Customer,Amount\nACME,12000\n".repeat(200);
    std::fs::write(&path, &text).unwrap();
    salesdesk(&dir)
        .args(["deal", "list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not a SalesDesk database"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

/// `salesdesk deal list | head -1`: the reader goes away before the list is written. The
/// command ends quietly with success, as a Unix filter's writer should, not with a panic.
#[test]
fn a_reader_closing_the_pipe_ends_output_quietly() {
    let dir = with_demo();
    for args in [
        &["deal", "list"][..],
        &["deal", "list", "--json"],
        &["remind"],
    ] {
        let mut child = common::process(&db_path(&dir), &config_path(&dir))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Close the read end at once, as `head` does once it has its line.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
        // 0 when the pipe closed first; `remind` may have written first and said 1 (overdue).
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {:?}",
            out.status
        );
    }
}

#[test]
fn activities_are_edited_and_deleted_and_contacts_removed() {
    let dir = TempDir::new().unwrap();
    ok(
        &dir,
        &[
            "deal",
            "add",
            "Harbour cranes",
            "--customer",
            "Port of Hamburg",
        ],
    );
    let scheduled = json_of(
        &dir,
        &[
            "activity",
            "schedule",
            "--deal",
            "Harbour cranes",
            "--due",
            "2026-11-27 10:00",
            "Call Jo",
        ],
    );
    let id = scheduled["id"].as_str().unwrap().to_string();
    let edited = json_of(
        &dir,
        &[
            "activity",
            "edit",
            &id,
            "--subject",
            "Call Jo about the cranes",
            "--kind",
            "meeting",
        ],
    );
    assert_eq!(edited["subject"], "Call Jo about the cranes");
    assert_eq!(edited["kind"], "meeting");
    assert_eq!(
        edited["due_at"], scheduled["due_at"],
        "the due time is left as it was"
    );
    refused(&dir, &["activity", "edit", &id], 1, "nothing to change");
    refused(
        &dir,
        &["activity", "edit", &id, "--kind", "fax"],
        1,
        "--kind",
    );
    // Logged after the fact: when it happened, not now; the future is refused.
    let call = json_of(
        &dir,
        &[
            "activity",
            "log",
            "--deal",
            "Harbour cranes",
            "--kind",
            "call",
            "--at",
            "yesterday 15:00",
            "Called Jo",
        ],
    );
    assert_eq!(call["done_at"], "2026-11-24T15:00:00Z");
    refused(
        &dir,
        &[
            "activity",
            "log",
            "--deal",
            "Harbour cranes",
            "--kind",
            "call",
            "--at",
            "tomorrow 10:00",
            "Not yet",
        ],
        1,
        "still to come",
    );
    ok(&dir, &["activity", "delete", call["id"].as_str().unwrap()]);
    let out = ok(&dir, &["activity", "delete", &id]);
    assert!(out.contains("Deleted"), "{out}");
    assert_eq!(
        json_of(&dir, &["activity", "list"])
            .as_array()
            .unwrap()
            .len(),
        0
    );

    ok(
        &dir,
        &[
            "contact",
            "add",
            "Port of Hamburg",
            "Jo Berg",
            "--email",
            "jo@hafen.example",
        ],
    );
    let out = ok(&dir, &["contact", "delete", "Jo Berg"]);
    assert!(out.contains("Removed contact"), "{out}");
    assert_eq!(
        json_of(&dir, &["contact", "list", "Port of Hamburg"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

// ---------------------------------------------------------------------------------------
// Issue 19: JSON errors, ISO 4217 currencies, completions, man pages, help

/// Runs a command with `--json` that must be refused with `code`; checks that stderr is
/// exactly one JSON error object, stdout empty and the database unchanged, and returns
/// the object's `error`.
fn json_refused(dir: &TempDir, args: &[&str], code: i32) -> Value {
    let before = snapshot(&db_path(dir));
    let out = salesdesk(dir).arg("--json").args(args).assert().code(code);
    let output = out.get_output();
    assert!(output.stdout.is_empty(), "{args:?} printed output");
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    let value: Value = serde_json::from_str(&stderr)
        .unwrap_or_else(|e| panic!("{args:?}: stderr is not JSON ({e}): {stderr}"));
    assert_eq!(
        snapshot(&db_path(dir)),
        before,
        "{args:?} changed the database"
    );
    let error = value["error"].clone();
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{value}"
    );
    assert!(error["candidates"].is_array(), "{value}");
    error
}

#[test]
fn json_errors_tell_a_missing_record_from_an_ambiguous_one_and_from_bad_input() {
    let dir = with_acme();
    ok(
        &dir,
        &["deal", "add", "acme Renewal", "--customer", "ACME Europe"],
    );

    let missing = json_refused(&dir, &["deal", "show", "Nonexistent"], 2);
    assert_eq!(missing["kind"], "not_found");
    assert_eq!(missing["message"], "no deal matches 'Nonexistent'");
    assert_eq!(missing["candidates"], json!([]));

    let ambiguous = json_refused(&dir, &["deal", "win", "ACME RENEWAL"], 2);
    assert_eq!(ambiguous["kind"], "ambiguous");
    let mut listed: Vec<(String, String)> = ambiguous["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let id = c["id"].as_str().unwrap();
            assert!(id.ends_with(c["short_id"].as_str().unwrap()), "{c}");
            (c["name"].as_str().unwrap().to_string(), id.to_string())
        })
        .collect();
    listed.sort();
    let mut deals: Vec<(String, String)> = json_of(&dir, &["deal", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["title"].as_str().unwrap().to_string(),
                d["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    deals.sort();
    assert_eq!(
        listed, deals,
        "each candidate is one of the two deals, by full id"
    );

    let first = deals[0].1.clone();
    let bad = json_refused(&dir, &["deal", "edit", &first, "--amount", "12,5x"], 1);
    assert_eq!(bad["kind"], "invalid");
    assert!(
        bad["message"]
            .as_str()
            .unwrap()
            .contains("'12,5x' is not a number"),
        "{bad}"
    );

    // A rule refusing the change: winning a won deal.
    ok(&dir, &["deal", "win", &first]);
    let rule = json_refused(&dir, &["deal", "win", &first], 1);
    assert_eq!(rule["kind"], "not_allowed");

    // A command line clap cannot read: its exit status, as JSON.
    let usage = json_refused(&dir, &["deal", "add", "No customer"], 2);
    assert_eq!(usage["kind"], "usage");
    assert!(
        usage["message"].as_str().unwrap().contains("--customer"),
        "{usage}"
    );

    // Without --json the same errors stay one sentence.
    refused(
        &dir,
        &["deal", "show", "Nonexistent"],
        2,
        "error: no deal matches",
    );
}

#[test]
fn a_json_error_quoting_hostile_text_is_safe_for_the_terminal() {
    let dir = with_acme();
    let hostile = "evil\u{1b}]52;c;ZXZpbA==\u{7}\u{9b}31m\u{202e}";
    let out = salesdesk(&dir)
        .args(["--json", "deal", "show", hostile])
        .assert()
        .code(2);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        !stderr.trim_end().chars().any(salesdesk::text::is_unsafe),
        "{stderr:?}"
    );
    let value: Value = serde_json::from_str(&stderr).unwrap();
    assert_eq!(
        value["error"]["message"],
        format!("no deal matches '{hostile}'"),
        "the same text for a program"
    );
}

#[test]
fn currencies_outside_iso_4217_are_refused_with_the_close_ones() {
    let dir = with_acme();
    for (args, message) in [
        (
            &[
                "deal",
                "add",
                "New deal",
                "--customer",
                "Newco",
                "--amount",
                "12000 XYZ",
            ][..],
            "currency 'XYZ' is not an ISO 4217 code; use one such as EUR, USD or CNY",
        ),
        (
            &[
                "deal",
                "add",
                "New deal",
                "--customer",
                "Newco",
                "--currency",
                "rmb",
            ],
            "currency 'RMB' is not an ISO 4217 code; did you mean CNY, RUB?",
        ),
        (
            &["deal", "edit", "ACME renewal", "--currency", "EUE"],
            "did you mean EUR?",
        ),
    ] {
        refused(&dir, args, 1, message);
    }
    let bad = json_refused(
        &dir,
        &["deal", "edit", "ACME renewal", "--amount", "5 XYZ"],
        1,
    );
    assert_eq!(bad["kind"], "invalid");
    // Real codes of any case pass, superseded ones too.
    ok(
        &dir,
        &[
            "deal",
            "add",
            "Yuan deal",
            "--customer",
            "华为",
            "--amount",
            "80000 cny",
        ],
    );
    ok(&dir, &["deal", "edit", "Yuan deal", "--currency", "HRK"]);
    assert_eq!(
        json_of(&dir, &["deal", "show", "Yuan deal"])["currency"],
        "HRK"
    );

    // An imported file's bad currency is a row error with its line; nothing is written.
    let csv = dir.path().join("deals.csv");
    std::fs::write(
        &csv,
        "title,customer,amount,currency\nA,B,5,EUR\nC,D,6,XYZ\n",
    )
    .unwrap();
    let before = snapshot(&db_path(&dir));
    salesdesk(&dir)
        .args(["import", "deals"])
        .arg(&csv)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "line 3, column 'currency': currency 'XYZ' is not an ISO 4217 code",
        ));
    assert_eq!(snapshot(&db_path(&dir)), before);
}

#[test]
fn a_deal_stored_in_a_code_iso_does_not_know_still_reads() {
    let dir = with_acme();
    // As an earlier version, or a teammate's, may have written it.
    let conn = rusqlite::Connection::open(db_path(&dir)).unwrap();
    conn.execute("UPDATE deals SET currency = 'XYZ'", [])
        .unwrap();
    drop(conn);
    let deal = json_of(&dir, &["deal", "show", "ACME renewal"]);
    assert_eq!(deal["currency"], "XYZ");
    assert!(ok(&dir, &["deal", "list"]).contains("XYZ"));
    ok(&dir, &["report", "--period", "all"]);
    // Fixing it takes a real code.
    ok(&dir, &["deal", "edit", "ACME renewal", "--currency", "USD"]);
}

#[test]
fn completion_scripts_are_printed_for_each_shell() {
    let dir = TempDir::new().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let fixed = ok(&dir, &["completions", shell, "--static"]);
        for word in ["deal", "customer", "activity", "remind"] {
            assert!(
                fixed.contains(word),
                "{shell} --static lacks {word}:\n{fixed}"
            );
        }
        let dynamic = ok(&dir, &["completions", shell]);
        assert!(dynamic.contains("COMPLETE"), "{shell}:\n{dynamic}");
        assert!(dynamic.contains("salesdesk"), "{shell}:\n{dynamic}");
    }
    assert!(ok(&dir, &["completions", "bash"]).contains("complete -o nospace"));
    assert!(ok(&dir, &["completions", "zsh"]).starts_with("#compdef salesdesk"));
    salesdesk(&dir)
        .args(["completions", "tcsh"])
        .assert()
        .code(2);
    // No database was needed, and none was made.
    assert!(!db_path(&dir).exists());
}

/// The binary answering a shell's Tab as the loaded script asks it: `COMPLETE=SHELL
/// salesdesk -- WORDS…`, the last word being completed.
fn tab(dir: &TempDir, shell: &str, words: &[&str]) -> Vec<String> {
    let mut cmd = Command::cargo_bin("salesdesk").unwrap();
    let db = db_path(dir);
    let mut line = vec!["salesdesk", "--db", db.to_str().unwrap()];
    line.extend_from_slice(words);
    let out = cmd
        .env("COMPLETE", shell)
        .env("SALESDESK_CONFIG", config_path(dir))
        .env("LC_ALL", "C.UTF-8")
        .env_remove("SALESDESK_DB")
        .env("_CLAP_COMPLETE_INDEX", (line.len() - 1).to_string())
        .env("_CLAP_IFS", "\n")
        .arg("--")
        .args(&line)
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    stdout
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn tab_completes_deal_titles_customer_names_and_stages_from_the_database() {
    let dir = with_acme();
    ok(
        &dir,
        &["deal", "add", "Globex pilot", "--customer", "Globex"],
    );
    ok(&dir, &["deal", "add", "acme audit", "--customer", "ACME"]);
    let before = snapshot(&db_path(&dir));

    let fish = tab(&dir, "fish", &["deal", "show", "acme"]);
    assert_eq!(fish, ["acme audit\tACME", "ACME renewal\tACME"]);
    assert_eq!(
        tab(&dir, "bash", &["deal", "win", "ACME\\ r"]),
        ["ACME\\ renewal"]
    );
    assert_eq!(
        tab(&dir, "bash", &["deal", "win", "\"ACME r"]),
        ["\"ACME renewal\""]
    );
    assert_eq!(
        tab(&dir, "zsh", &["activity", "log", "--customer", "gl"]),
        ["Globex:prospect"]
    );
    assert_eq!(
        tab(&dir, "fish", &["deal", "move", "ACME renewal", "P"]),
        ["Proposal\t50 %"]
    );
    let stages = tab(&dir, "fish", &["deal", "add", "X", "--stage", ""]);
    assert_eq!(stages.len(), 4, "{stages:?}");
    assert!(tab(&dir, "fish", &["deal", "show", "zz"]).is_empty());
    // Subcommands and the domain's words come from the definitions.
    assert!(
        tab(&dir, "fish", &["de"])
            .iter()
            .any(|c| c.starts_with("deal\t"))
    );
    assert_eq!(
        tab(&dir, "fish", &["activity", "schedule", "--kind", "me"]),
        ["meeting"]
    );
    assert_eq!(
        snapshot(&db_path(&dir)),
        before,
        "completion wrote to the database"
    );
    // A deleted deal is offered to restore only.
    ok(&dir, &["deal", "delete", "Globex pilot"]);
    let before = snapshot(&db_path(&dir));
    assert!(tab(&dir, "fish", &["deal", "show", "Glo"]).is_empty());
    assert_eq!(
        tab(&dir, "fish", &["deal", "restore", "Glo"]),
        ["Globex pilot\tGlobex"]
    );
    assert_eq!(
        snapshot(&db_path(&dir)),
        before,
        "completion wrote to the database"
    );

    // No database there: nothing offered, nothing said, nothing made.
    let empty = TempDir::new().unwrap();
    assert!(tab(&empty, "bash", &["deal", "show", "A"]).is_empty());
    assert!(!db_path(&empty).exists());
}

#[test]
fn the_completer_reads_names_read_only() {
    use salesdesk::commands::completion::candidates;
    use salesdesk::store::{completion, reference::Scope};
    let dir = with_acme();
    ok(&dir, &["deal", "add", "ACME rollout", "--customer", "ACME"]);
    let db = db_path(&dir);
    let before = snapshot(&db);
    let deals = |typed: &str, shell: &str| -> Vec<String> {
        candidates(&db, typed, shell, |conn, prefix| {
            completion::deal_titles(conn, prefix, Scope::Live, 50)
        })
        .iter()
        .map(|c| c.get_value().to_string_lossy().into_owned())
        .collect()
    };
    assert_eq!(deals("acme r", "zsh"), ["ACME renewal", "ACME rollout"]);
    assert_eq!(deals("ACME\\ ro", "bash"), ["ACME\\ rollout"]);
    assert!(deals("Globex", "zsh").is_empty());
    let customers = candidates(&db, "A", "zsh", |conn, prefix| {
        completion::customer_names(conn, prefix, Scope::Live, 50)
    });
    assert_eq!(customers.len(), 1);
    assert_eq!(customers[0].get_value(), "ACME");
    assert_eq!(snapshot(&db), before);
    // A file that is not a database offers nothing and stays as it was.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "not sqlite").unwrap();
    assert!(
        candidates(&junk, "A", "zsh", |conn, prefix| {
            completion::stage_names(conn, prefix, 50)
        })
        .is_empty()
    );
    assert_eq!(std::fs::read(&junk).unwrap(), b"not sqlite");
}

#[test]
fn man_prints_roff_pages_for_the_program_and_each_subcommand() {
    let dir = TempDir::new().unwrap();
    let page = ok(&dir, &["man"]);
    assert!(
        page.starts_with(".ie") || page.contains(".TH salesdesk 1"),
        "{page}"
    );
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH SUBCOMMANDS"] {
        assert!(page.contains(section), "{section} missing:\n{page}");
    }
    assert!(page.contains("salesdesk\\-deal(1)"), "{page}");
    let add = ok(&dir, &["man", "deal", "add"]);
    assert!(add.contains(".TH salesdesk-deal-add 1"), "{add}");
    assert!(add.contains("\\-\\-customer"), "{add}");
    assert!(add.contains("Negotiation"), "the stages are in it:\n{add}");
    assert_eq!(ok(&dir, &["man", "deal-add"]), add);
    salesdesk(&dir)
        .args(["man", "deal", "ad"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "there is no man page for 'deal ad'",
        ));

    let out = dir.path().join("man1");
    ok(&dir, &["man", "--dir", out.to_str().unwrap()]);
    for name in [
        "salesdesk.1",
        "salesdesk-deal.1",
        "salesdesk-deal-add.1",
        "salesdesk-man.1",
    ] {
        let text = std::fs::read_to_string(out.join(name)).unwrap();
        assert!(text.contains(".SH NAME"), "{name}");
    }
    assert_eq!(
        std::fs::read_to_string(out.join("salesdesk-deal-add.1")).unwrap(),
        add
    );
    assert!(!db_path(&dir).exists());
}

#[test]
fn help_describes_every_option_and_shows_examples() {
    let dir = TempDir::new().unwrap();
    let add = ok(&dir, &["deal", "add", "--help"]);
    assert!(
        add.contains("Lead, Qualified, Proposal, Negotiation"),
        "{add}"
    );
    assert!(add.contains("Examples:"), "{add}");
    assert!(add.contains("ISO 4217"), "{add}");
    for cmd in [
        &["deal", "list", "--help"][..],
        &["deal", "edit", "--help"],
        &["customer", "add", "--help"],
        &["activity", "log", "--help"],
        &["activity", "schedule", "--help"],
        &["remind", "--help"],
        &["report", "--help"],
        &["export", "--help"],
        &["import", "--help"],
        &["--help"],
    ] {
        let help = ok(&dir, cmd);
        assert!(help.contains("Example"), "{cmd:?} has no examples:\n{help}");
    }
    let show = ok(&dir, &["deal", "show", "--help"]);
    assert!(show.contains("its short id as lists show it"), "{show}");
}

// ---------------------------------------------------------------------------------------
// Pipelines and stages (issue 15)

#[test]
fn a_second_pipeline_with_its_own_stages_takes_deals_across() {
    let dir = with_acme();
    let p = json_of(&dir, &["pipeline", "add", "Renewals"]);
    assert_eq!(p["name"], "Renewals");
    assert_eq!(p["stages"].as_array().unwrap().len(), 4);
    // Shape it: rename, add, reorder, delete.
    ok(
        &dir,
        &[
            "stage",
            "edit",
            "Lead",
            "--pipeline",
            "renewals",
            "--name",
            "Due",
        ],
    );
    let check = json_of(
        &dir,
        &[
            "stage",
            "add",
            "Health check",
            "--pipeline",
            "Renewals",
            "--probability",
            "60",
            "--rot-days",
            "5",
            "--after",
            "Due",
        ],
    );
    assert_eq!(check["position"], 2);
    assert_eq!(check["probability"], 60);
    assert_eq!(check["rot_days"], 5);
    ok(
        &dir,
        &["stage", "delete", "Qualified", "--pipeline", "Renewals"],
    );
    ok(
        &dir,
        &[
            "stage",
            "edit",
            "Negotiation",
            "--pipeline",
            "Renewals",
            "--position",
            "1",
        ],
    );
    let stages = json_of(&dir, &["stage", "list", "--pipeline", "Renewals"]);
    let names: Vec<&str> = stages
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Negotiation", "Due", "Health check", "Proposal"]);
    // The Sales pipeline is untouched.
    let sales = json_of(&dir, &["stage", "list", "--pipeline", "Sales"]);
    assert_eq!(sales.as_array().unwrap().len(), 4);
    assert_eq!(sales[0]["name"], "Lead");
    assert_eq!(sales[0]["open_deals"], 1);
    // A deal goes into the new pipeline, and one moves across.
    let added = json_of(
        &dir,
        &[
            "deal",
            "add",
            "Globex renewal",
            "--customer",
            "Globex",
            "--pipeline",
            "Renewals",
        ],
    );
    assert_eq!(added["pipeline"], "Renewals");
    assert_eq!(added["stage"], "Negotiation");
    let moved = json_of(&dir, &["deal", "move", "ACME renewal", "Health check"]);
    assert_eq!(moved["pipeline"], "Renewals");
    assert_eq!(moved["stage"], "Health check");
    let shown = json_of(&dir, &["deal", "show", "ACME renewal"]);
    let history = shown["history"].as_array().unwrap();
    assert_eq!(history.last().unwrap()["to_stage"], "Health check");
    let listed = json_of(&dir, &["deal", "list", "--pipeline", "renewals"]);
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert_eq!(
        json_of(&dir, &["deal", "list", "--pipeline", "Sales"]),
        json!([])
    );
    let text = ok(&dir, &["deal", "show", "ACME renewal"]);
    assert!(text.contains("Pipeline     Renewals"), "{text}");
    let pipelines = ok(&dir, &["pipeline", "list"]);
    assert!(
        pipelines.contains("Renewals  2     Negotiation → Due → Health check → Proposal"),
        "{pipelines}"
    );
}

#[test]
fn report_for_one_pipeline_and_each_pipelines_own_funnel() {
    // ACME renewal stays in Sales Lead; Renewals gets one open deal and one lost.
    let dir = with_acme();
    ok(&dir, &["pipeline", "add", "Renewals"]);
    let renewals_deal = |title: &str, stage: &str, amount: &str| {
        ok(
            &dir,
            &[
                "deal",
                "add",
                title,
                "--customer",
                "Bolt",
                "--pipeline",
                "Renewals",
                "--stage",
                stage,
                "--amount",
                amount,
            ],
        );
    };
    renewals_deal("Bolt renewal", "Lead", "3000");
    renewals_deal("Bolt extras", "Proposal", "4000");
    ok(&dir, &["deal", "lose", "Bolt extras", "--reason", "price"]);

    let stages = |r: &Value| -> Vec<(String, String, i64)> {
        r["pipeline"]["funnel"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["pipeline"].as_str().unwrap().to_string(),
                    s["stage"].as_str().unwrap().to_string(),
                    s["entered"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    let row = |p: &str, s: &str, n: i64| (p.to_string(), s.to_string(), n);

    let one = json_of(&dir, &["report", "--pipeline", "renewals"]);
    assert_eq!(one["pipeline_name"], "Renewals");
    assert_eq!(
        stages(&one),
        [
            row("Renewals", "Lead", 1),
            row("Renewals", "Qualified", 0),
            row("Renewals", "Proposal", 1),
            row("Renewals", "Negotiation", 0),
        ]
    );
    assert_eq!(one["pipeline"]["open_deals"], 1);
    assert_eq!(one["pipeline"]["open"][0]["total"], "3000.00");
    assert_eq!(one["pipeline"]["lost"], 1);
    assert_eq!(
        one["pipeline"]["lost_reasons"],
        json!([{"reason": "price", "deals": 1}])
    );

    let all = json_of(&dir, &["report"]);
    assert_eq!(all["pipeline_name"], Value::Null);
    assert_eq!(all["pipeline"]["open_deals"], 2);
    let funnel = stages(&all);
    assert_eq!(funnel.len(), 8, "{funnel:?}");
    assert_eq!(funnel[0], row("Sales", "Lead", 1));
    assert_eq!(funnel[4], row("Renewals", "Lead", 1));
    // Customers belong to no pipeline: the same figures either way.
    assert_eq!(one["customers"], all["customers"]);

    let text = ok(&dir, &["report", "--pipeline", "Renewals"]);
    assert!(
        text.contains("PIPELINE RENEWALS (its open deals now"),
        "{text}"
    );
    let text = ok(&dir, &["report"]);
    assert!(
        text.contains("\nSales:") && text.contains("\nRenewals:"),
        "{text}"
    );
    assert!(text.contains("\n  Lead "), "{text}");

    refused(
        &dir,
        &["report", "--pipeline", "Partners"],
        2,
        "error: no pipeline matches 'Partners'",
    );
    salesdesk(&dir)
        .args(["--json", "report", "--pipeline", "Partners"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(r#""kind":"not_found""#));
}

#[test]
fn deal_list_names_the_pipeline_once_the_book_has_two() {
    let dir = with_acme();
    let one = ok(&dir, &["deal", "list"]);
    assert!(!one.contains("PIPELINE"), "{one}");
    ok(&dir, &["pipeline", "add", "Renewals"]);
    ok(
        &dir,
        &[
            "deal",
            "add",
            "Bolt renewal",
            "--customer",
            "Bolt",
            "--pipeline",
            "Renewals",
        ],
    );
    let two = ok(&dir, &["deal", "list"]);
    let lines: Vec<&str> = two.lines().collect();
    assert!(
        lines[0].starts_with("ID") && lines[0].contains("  PIPELINE  STAGE "),
        "{two}"
    );
    // Title, customer, pipeline: the second to fourth columns (two spaces apart).
    let mut rows: Vec<Vec<String>> = lines[1..]
        .iter()
        .map(|l| {
            l.split("  ")
                .filter(|c| !c.trim().is_empty())
                .skip(1)
                .take(3)
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    rows.sort();
    assert_eq!(
        rows,
        [
            ["ACME renewal", "ACME", "Sales"],
            ["Bolt renewal", "Bolt", "Renewals"]
        ],
        "{two}"
    );
}

#[test]
fn stage_and_pipeline_input_is_refused_clearly_and_changes_nothing() {
    let dir = with_acme();
    ok(&dir, &["pipeline", "add", "Renewals"]);
    refused(
        &dir,
        &[
            "stage",
            "add",
            "Demo",
            "--pipeline",
            "Sales",
            "--probability",
            "150",
        ],
        1,
        "error: a win probability is a percentage from 0 to 100, not 150",
    );
    refused(
        &dir,
        &[
            "stage",
            "add",
            "Demo",
            "--pipeline",
            "Sales",
            "--rot-days",
            "-2",
        ],
        1,
        "rotting days are a number of days from 0 to 36500, not -2",
    );
    refused(
        &dir,
        &["stage", "add", "proposal", "--pipeline", "Sales"],
        1,
        "error: the Sales pipeline already has a stage named 'proposal'",
    );
    refused(
        &dir,
        &["stage", "add", "Demo"],
        1,
        "error: the book has several pipelines (Sales, Renewals); say which with --pipeline",
    );
    refused(
        &dir,
        &["stage", "add", "Demo", "--pipeline", "Partners"],
        2,
        "error: no pipeline matches 'Partners'",
    );
    refused(
        &dir,
        &["stage", "list", "--pipeline", "Partners"],
        2,
        "no pipeline matches 'Partners'",
    );
    refused(
        &dir,
        &[
            "deal",
            "add",
            "X",
            "--customer",
            "Y",
            "--pipeline",
            "Partners",
        ],
        2,
        "no pipeline matches 'Partners'",
    );
    refused(
        &dir,
        &[
            "stage",
            "edit",
            "Lead",
            "--pipeline",
            "Sales",
            "--probability",
            "101",
        ],
        1,
        "not 101",
    );
    refused(
        &dir,
        &[
            "stage",
            "edit",
            "Lead",
            "--pipeline",
            "Sales",
            "--position",
            "7",
        ],
        1,
        "error: a stage's position is from 1 to 4, not 7",
    );
    refused(
        &dir,
        &["stage", "edit", "Lead", "--pipeline", "Sales"],
        1,
        "error: nothing to change",
    );
    // Two pipelines have a Lead: the name alone is ambiguous.
    refused(
        &dir,
        &["deal", "move", "ACME renewal", "Proposal"],
        2,
        "'Proposal' matches more than one stage",
    );
    refused(
        &dir,
        &["stage", "delete", "Lead", "--pipeline", "Sales"],
        1,
        "error: 'Lead' holds 1 deal(s); say where they go with --move-to (another stage of Sales)",
    );
    refused(
        &dir,
        &[
            "stage",
            "delete",
            "Lead",
            "--pipeline",
            "Sales",
            "--move-to",
            "Lead",
        ],
        1,
        "error: the deals of 'Lead' cannot be moved to itself",
    );
    refused(
        &dir,
        &[
            "stage",
            "delete",
            "Lead",
            "--pipeline",
            "Sales",
            "--move-to",
            "Nowhere",
        ],
        1,
        "error: no stage named 'Nowhere' in Sales; the stages are Lead, Qualified, Proposal, Negotiation",
    );
    refused(
        &dir,
        &["pipeline", "add", "renewals"],
        1,
        "error: there is already a pipeline named 'renewals'",
    );
    refused(
        &dir,
        &["pipeline", "rename", "Renewals", "  "],
        1,
        "error: a pipeline needs a name",
    );
    refused(
        &dir,
        &["pipeline", "delete", "Sales"],
        1,
        "error: 'Sales' holds 1 deal(s); say where they go with --move-to (another pipeline)",
    );
    refused(
        &dir,
        &["pipeline", "delete", "Sales", "--move-to", "sales"],
        1,
        "error: the deals of 'Sales' cannot be moved to itself",
    );
    let out = salesdesk(&dir)
        .args(["--json", "stage", "add", "X", "--pipeline", "Sales"])
        .args(["--probability", "150"])
        .assert()
        .code(1);
    let v: Value = serde_json::from_slice(&out.get_output().stderr).unwrap();
    assert_eq!(v["error"]["kind"], "invalid");
}

#[test]
fn deleting_moves_deals_with_history_and_the_last_ones_stay() {
    let dir = with_acme();
    let done = ok(&dir, &["stage", "delete", "Lead", "--move-to", "Qualified"]);
    assert_eq!(
        done,
        "Deleted the stage Lead of Sales; its 1 open deal(s) went to Qualified.\n"
    );
    let shown = json_of(&dir, &["deal", "show", "ACME renewal"]);
    assert_eq!(shown["stage"], "Qualified");
    let history = shown["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1]["from_stage"], "Lead");
    assert_eq!(history[1]["to_stage"], "Qualified");
    // An empty stage goes without --move-to.
    ok(&dir, &["stage", "delete", "Negotiation"]);
    ok(&dir, &["pipeline", "add", "Renewals"]);
    let gone = json_of(
        &dir,
        &["pipeline", "delete", "Sales", "--move-to", "Renewals"],
    );
    assert_eq!(gone["moved_deals"], 1);
    let deal = json_of(&dir, &["deal", "show", "ACME renewal"]);
    assert_eq!(deal["pipeline"], "Renewals");
    assert_eq!(deal["stage"], "Qualified", "the stage of the same name");
    refused(
        &dir,
        &["pipeline", "delete", "Renewals", "--move-to", "Sales"],
        2,
        "no pipeline matches 'Sales'",
    );
    refused(
        &dir,
        &["pipeline", "delete", "Renewals"],
        1,
        "error: 'Renewals' is the only pipeline; a book needs at least one",
    );
    for name in ["Lead", "Qualified", "Proposal"] {
        let _ = salesdesk(&dir)
            .args(["stage", "delete", name, "--move-to", "Negotiation"])
            .assert();
    }
    refused(
        &dir,
        &["stage", "delete", "Negotiation"],
        1,
        "error: 'Negotiation' is the only stage of its pipeline; a pipeline needs at least one stage",
    );
}

#[test]
fn lost_reasons_and_sources_are_lists_the_book_keeps() {
    let dir = with_acme();
    assert_eq!(json_of(&dir, &["reason", "list"]), json!([]));
    assert_eq!(
        ok(&dir, &["reason", "list"]),
        "No lost reasons in the book yet.\n"
    );
    ok(&dir, &["reason", "add", "Price"]);
    assert_eq!(
        json_of(&dir, &["reason", "add", "Timing"]),
        json!(["Price", "Timing"])
    );
    refused(
        &dir,
        &["reason", "add", "price"],
        1,
        "error: 'price' is already a lost reason",
    );
    refused(
        &dir,
        &["reason", "add", " "],
        1,
        "error: a lost reason needs a name",
    );
    refused(
        &dir,
        &["reason", "delete", "budget"],
        2,
        "error: no lost reason matches 'budget'",
    );
    assert_eq!(
        json_of(&dir, &["reason", "delete", "PRICE"]),
        json!(["Timing"])
    );
    ok(&dir, &["source", "add", "trade fair"]);
    assert_eq!(ok(&dir, &["source", "list"]), "trade fair\n");
    // Free text stays allowed: a deal's source or lost reason need not be on a list.
    ok(
        &dir,
        &["deal", "edit", "ACME renewal", "--source", "cold call"],
    );
    ok(
        &dir,
        &["deal", "lose", "ACME renewal", "--reason", "budget cut"],
    );
}

// Issue 15 item 3: custom fields.

#[test]
fn custom_fields_are_defined_set_listed_and_filtered() {
    let dir = with_acme();
    assert_eq!(json_of(&dir, &["field", "list"]), json!([]));
    ok(&dir, &["field", "add", "deal", "Budget", "--type", "money"]);
    ok(&dir, &["field", "add", "deal", "Seats", "--type", "number"]);
    ok(&dir, &["field", "add", "deal", "Go live", "--type", "date"]);
    ok(
        &dir,
        &["field", "add", "deal", "Signed", "--type", "yes/no"],
    );
    ok(
        &dir,
        &[
            "field",
            "add",
            "deal",
            "Size",
            "--type",
            "choice",
            "--choices",
            "S,M,L",
        ],
    );
    ok(
        &dir,
        &[
            "field",
            "add",
            "deal",
            "Modules",
            "--type",
            "multi-choice",
            "--choices",
            "crm,erp,hr",
        ],
    );
    let listed = json_of(&dir, &["field", "list", "deal"]);
    assert_eq!(listed.as_array().unwrap().len(), 6);
    assert_eq!(listed[5]["type"], "multi-choice");
    assert_eq!(listed[5]["choices"], json!(["crm", "erp", "hr"]));

    let edited = json_of(
        &dir,
        &[
            "deal",
            "edit",
            "ACME renewal",
            "--set",
            "budget=20,000.50 USD",
            "--set",
            "Seats=12.5",
            "--set",
            "Go live=+1w",
            "--set",
            "Signed=yes",
            "--set",
            "size=m",
            "--set",
            "Modules=hr,CRM",
        ],
    );
    assert_eq!(
        edited["fields"],
        json!({
            "Budget": {"amount": "20000.50", "amount_minor": 2000050, "currency": "USD"},
            "Seats": 12.5,
            "Go live": "2026-12-02",
            "Signed": true,
            "Size": "M",
            "Modules": ["crm", "hr"],
        })
    );
    let shown = ok(&dir, &["deal", "show", "ACME renewal"]);
    assert!(shown.contains("  Budget       20,000.50 USD\n"), "{shown}");
    assert!(shown.contains("  Modules      crm, hr\n"), "{shown}");

    ok(
        &dir,
        &[
            "deal",
            "add",
            "Globex pilot",
            "--customer",
            "Globex",
            "--set",
            "Size=L",
        ],
    );
    let titles = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["deal", "list"];
        all.extend_from_slice(args);
        json_of(&dir, &all)
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(titles(&["--where", "size=l"]), ["Globex pilot"]);
    assert_eq!(titles(&["--where", "Modules=crm"]), ["ACME renewal"]);
    assert_eq!(
        titles(&["--where", "Seats=12.50", "--where", "Signed=true"]),
        ["ACME renewal"]
    );
    assert!(titles(&["--where", "Size=S"]).is_empty());
    let all = json_of(&dir, &["deal", "list"]);
    assert_eq!(all[1]["fields"]["Size"], "L");
    assert_eq!(all[1]["fields"]["Budget"], Value::Null);

    // An empty value clears a field.
    let cleared = json_of(&dir, &["deal", "edit", "Globex pilot", "--set", "Size="]);
    assert_eq!(cleared["fields"]["Size"], Value::Null);

    // Customers and contacts carry their own fields; a required one must be given.
    let added = json_of(
        &dir,
        &[
            "field",
            "add",
            "customer",
            "Region code",
            "--type",
            "text",
            "--required",
        ],
    );
    assert_eq!(
        added,
        json!({"entity": "customer", "name": "Region code", "type": "text",
               "choices": [], "required": true, "position": 0})
    );
    refused(
        &dir,
        &["customer", "add", "Initech"],
        1,
        "error: customer field 'Region code': it is required; give it a value",
    );
    let initech = json_of(
        &dir,
        &["customer", "add", "Initech", "--set", "Region code=DE-BY"],
    );
    assert_eq!(initech["fields"], json!({"Region code": "DE-BY"}));
    let found = json_of(&dir, &["customer", "list", "--where", "region code=de-by"]);
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["name"], "Initech");
    ok(
        &dir,
        &["field", "add", "contact", "Birthday", "--type", "date"],
    );
    let bob = json_of(
        &dir,
        &[
            "contact",
            "add",
            "Initech",
            "Bob",
            "--set",
            "Birthday=1980-02-29",
        ],
    );
    assert_eq!(bob["fields"], json!({"Birthday": "1980-02-29"}));
    let edited = json_of(
        &dir,
        &["contact", "edit", "Bob", "--set", "birthday=1981-03-01"],
    );
    assert_eq!(edited["fields"]["Birthday"], "1981-03-01");
    let contacts = json_of(
        &dir,
        &[
            "contact",
            "list",
            "Initech",
            "--where",
            "Birthday=1981-03-01",
        ],
    );
    assert_eq!(contacts[0]["name"], "Bob");
    let none = json_of(
        &dir,
        &[
            "contact",
            "list",
            "Initech",
            "--where",
            "Birthday=1980-01-01",
        ],
    );
    assert_eq!(none, json!([]));

    // Deleted, a field leaves the lists and the records; its values stay for its return.
    ok(&dir, &["field", "delete", "deal", "size"]);
    assert_eq!(
        json_of(&dir, &["field", "list", "deal"])
            .as_array()
            .unwrap()
            .len(),
        5
    );
    let acme = json_of(&dir, &["deal", "show", "ACME renewal"]);
    assert!(acme["fields"].get("Size").is_none(), "{acme}");
    ok(
        &dir,
        &[
            "field",
            "add",
            "deal",
            "Size",
            "--type",
            "choice",
            "--choices",
            "S,M,L",
        ],
    );
    let acme = json_of(&dir, &["deal", "show", "ACME renewal"]);
    assert_eq!(acme["fields"]["Size"], "M");
}

#[test]
fn bad_custom_field_input_names_the_field_and_changes_nothing() {
    let dir = with_acme();
    ok(&dir, &["field", "add", "deal", "Seats", "--type", "number"]);
    ok(&dir, &["field", "add", "deal", "Go live", "--type", "date"]);
    ok(
        &dir,
        &[
            "field",
            "add",
            "deal",
            "Size",
            "--type",
            "choice",
            "--choices",
            "S,M",
        ],
    );
    let edit = |set: &str| {
        vec!["deal", "edit", "ACME renewal", "--set", set]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    for (set, code, says) in [
        (
            "Seats=abc",
            1,
            "error: --set: deal field 'Seats': 'abc' is not a number",
        ),
        (
            "Go live=soon",
            1,
            "error: --set: deal field 'Go live': 'soon' is not a date",
        ),
        (
            "Size=XL",
            1,
            "error: --set: deal field 'Size': 'XL' is not one of S, M",
        ),
        ("Colour=red", 2, "no deal field matches 'Colour'"),
        ("Seats", 1, "error: --set: 'Seats' is not NAME=VALUE"),
    ] {
        let args = edit(set);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(&dir, &args, code, says);
    }
    // One good value with a bad one: nothing is saved.
    refused(
        &dir,
        &[
            "deal",
            "edit",
            "ACME renewal",
            "--set",
            "Seats=3",
            "--set",
            "Size=XL",
        ],
        1,
        "'XL' is not one of S, M",
    );
    refused(
        &dir,
        &[
            "deal",
            "add",
            "Globex",
            "--customer",
            "Globex",
            "--set",
            "Seats=many",
        ],
        1,
        "deal field 'Seats': 'many' is not a number",
    );
    refused(
        &dir,
        &["deal", "list", "--where", "Go live=soon"],
        1,
        "error: --where: deal field 'Go live': 'soon' is not a date",
    );
    refused(
        &dir,
        &["field", "add", "deal", "seats", "--type", "text"],
        1,
        "error: the deal field 'Seats' already exists (a number field)",
    );
    refused(
        &dir,
        &["field", "add", "deal", "Colour", "--type", "colour"],
        1,
        "error: --type: 'colour' is not a field type",
    );
    refused(
        &dir,
        &["field", "add", "deal", "Tier", "--type", "choice"],
        1,
        "a choice field needs its choices",
    );
    refused(
        &dir,
        &[
            "field",
            "add",
            "deal",
            "Count",
            "--type",
            "number",
            "--choices",
            "a,b",
        ],
        1,
        "a number field has no choices",
    );
    refused(
        &dir,
        &["field", "add", "deals2", "X", "--type", "text"],
        1,
        "error: 'deals2' is not deal, customer or contact",
    );
    refused(
        &dir,
        &["field", "delete", "deal", "Colour"],
        2,
        "error: no deal field matches 'Colour'",
    );
}

/// `salesdesk` as a Chinese user runs it: `LANG=zh_CN.UTF-8`, nothing in `LC_ALL`.
fn salesdesk_zh(dir: &TempDir) -> Command {
    let mut cmd = salesdesk(dir);
    cmd.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "zh_CN.UTF-8");
    cmd
}

fn ok_zh(dir: &TempDir, args: &[&str]) -> String {
    let out = salesdesk_zh(dir).args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// The display column where `cell` last starts in `line`.
fn column_of(line: &str, cell: &str) -> usize {
    let at = line
        .rfind(cell)
        .unwrap_or_else(|| panic!("{cell} not in {line}"));
    line[..at].width()
}

#[test]
fn with_lang_zh_cn_the_cli_speaks_chinese_with_tables_aligned() {
    let dir = TempDir::new().unwrap();
    let added = ok_zh(
        &dir,
        &[
            "deal",
            "add",
            "华为路由器采购",
            "--customer",
            "上海华为技术有限公司",
            "--amount",
            "12万",
            "--currency",
            "CNY",
            "--stage",
            "线索",
        ],
    );
    assert!(added.starts_with("已添加"), "{added}");
    assert!(added.contains("¥120,000.00"), "{added}");
    assert!(added.contains("（新潜在客户）"), "{added}");
    ok_zh(
        &dir,
        &[
            "deal",
            "add",
            "ACME renewal",
            "--customer",
            "ACME",
            "--amount",
            "12000",
            "--stage",
            "需求确认",
        ],
    );
    // The table: Chinese headers, and every column starts where its header does, though
    // half the names are two columns a character.
    let list = ok_zh(&dir, &["deal", "list"]);
    let lines: Vec<&str> = list.lines().collect();
    let header = lines[0];
    for h in ["标题", "客户", "阶段", "金额"] {
        assert!(header.contains(h), "{header}");
    }
    let huawei = lines.iter().find(|l| l.contains("华为路由器")).unwrap();
    let acme = lines.iter().find(|l| l.contains("ACME renewal")).unwrap();
    assert_eq!(
        column_of(header, "客户"),
        column_of(huawei, "上海华为"),
        "{list}"
    );
    assert_eq!(column_of(header, "客户"), column_of(acme, "ACME"), "{list}");
    assert_eq!(
        column_of(header, "阶段"),
        column_of(huawei, "线索"),
        "{list}"
    );
    assert_eq!(
        column_of(header, "阶段"),
        column_of(acme, "需求确认"),
        "{list}"
    );
    // Report labels.
    let report = ok_zh(&dir, &["report"]);
    for label in ["销售漏斗", "赢率", "阶段转化", "客户"] {
        assert!(report.contains(label), "{label}:\n{report}");
    }
    // Errors are worded in Chinese; `--json` keeps its kind for scripts.
    let out = salesdesk_zh(&dir)
        .args(["deal", "show", "nosuch"])
        .assert()
        .code(2);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.starts_with("错误：没有与'nosuch'匹配的商机"),
        "{stderr}"
    );
    let out = salesdesk_zh(&dir)
        .args(["--json", "deal", "show", "nosuch"])
        .assert()
        .code(2);
    let err: Value = serde_json::from_slice(&out.get_output().stderr).unwrap();
    assert_eq!(err["error"]["kind"], "not_found");
    // clap's help too, from the catalogue.
    let help = ok_zh(&dir, &["deal", "add", "--help"]);
    for words in ["新增商机", "选项", "卖给谁", "显示帮助", "示例"] {
        assert!(help.contains(words), "{words}:\n{help}");
    }
    assert!(!help.contains("Who it sells to"), "{help}");
    // The same book in English, where the locale says so.
    let english = ok(&dir, &["deal", "list"]);
    assert!(english.starts_with("ID"), "{english}");
}

#[test]
fn the_language_in_the_config_wins_over_the_locale() {
    let dir = TempDir::new().unwrap();
    std::fs::write(config_path(&dir), "language = \"en\"\n").unwrap();
    let added = ok_zh(
        &dir,
        &[
            "deal",
            "add",
            "Pilot",
            "--customer",
            "Globex",
            "--amount",
            "100",
        ],
    );
    assert!(added.starts_with("Added"), "{added}");
    std::fs::write(config_path(&dir), "language = \"zh-CN\"\n").unwrap();
    let list = ok(&dir, &["deal", "list"]);
    assert!(
        list.starts_with("ID") && list.lines().next().unwrap().contains("标题"),
        "{list}"
    );
    std::fs::write(config_path(&dir), "\nlanguage = \"klingon\"\n").unwrap();
    let out = salesdesk(&dir).args(["deal", "list"]).assert().failure();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("line 2"), "{stderr}");
    assert!(
        stderr.contains("\"klingon\" is not one SalesDesk speaks"),
        "{stderr}"
    );
}

/// A customer or a deal is given to another team member by name, any case (in a team in
/// PostgreSQL, that moves who sees it); a member nobody is called is refused in words,
/// and nothing changes.
#[test]
fn customer_and_deal_edit_give_the_record_to_another_member() {
    let dir = with_acme();
    let csv = dir.path().join("li.csv");
    std::fs::write(&csv, "Title,Customer,Owner\nLi's deal,Li Co,Li Wei\n").unwrap();
    ok(&dir, &["import", "deals", csv.to_str().unwrap()]);
    ok(&dir, &["customer", "edit", "ACME", "--owner", "li wei"]);
    assert_eq!(
        json_of(&dir, &["customer", "show", "ACME"])["owner"],
        "Li Wei"
    );
    ok(&dir, &["deal", "edit", "ACME renewal", "--owner", "LI WEI"]);
    assert_eq!(
        json_of(&dir, &["deal", "show", "ACME renewal"])["owner"],
        "Li Wei"
    );
    refused(
        &dir,
        &["customer", "edit", "ACME", "--owner", "Nobody"],
        2,
        "no member matches 'Nobody'",
    );
    refused(
        &dir,
        &["deal", "edit", "ACME renewal", "--owner", "Nobody"],
        2,
        "no member matches 'Nobody'",
    );
}

/// `deal add --owner` and `customer add --owner` make a record another member's; a new
/// customer a deal names is the deal owner's too; a member nobody is called is refused
/// and nothing is added.
#[test]
fn deal_and_customer_add_take_an_owner() {
    let dir = with_acme();
    let csv = dir.path().join("li.csv");
    std::fs::write(&csv, "Title,Customer,Owner\nLi's deal,Li Co,Li Wei\n").unwrap();
    ok(&dir, &["import", "deals", csv.to_str().unwrap()]);
    ok(
        &dir,
        &[
            "deal",
            "add",
            "Pilot",
            "--customer",
            "Globex",
            "--owner",
            "li wei",
        ],
    );
    assert_eq!(json_of(&dir, &["deal", "show", "Pilot"])["owner"], "Li Wei");
    assert_eq!(
        json_of(&dir, &["customer", "show", "Globex"])["owner"],
        "Li Wei"
    );
    ok(&dir, &["customer", "add", "Initech", "--owner", "LI WEI"]);
    assert_eq!(
        json_of(&dir, &["customer", "show", "Initech"])["owner"],
        "Li Wei"
    );
    let before = json_of(&dir, &["deal", "list"]).as_array().unwrap().len();
    refused(
        &dir,
        &[
            "deal",
            "add",
            "Other",
            "--customer",
            "Hooli",
            "--owner",
            "Nobody",
        ],
        2,
        "no member matches 'Nobody'",
    );
    refused(
        &dir,
        &["customer", "add", "Hooli", "--owner", "Nobody"],
        2,
        "no member matches 'Nobody'",
    );
    assert_eq!(
        json_of(&dir, &["deal", "list"]).as_array().unwrap().len(),
        before
    );
    let customers = json_of(&dir, &["customer", "list"]);
    assert!(
        !customers
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "Hooli"),
        "{customers}"
    );
}

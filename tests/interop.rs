#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Moving a book in and out through the real binary: vendor exports and spreadsheets in
//! every encoding and delimiter the fixtures hold, a map file as the README shows it, bad
//! files that must change nothing, and an export that imports back to the same book.
//!
//! Like tests/cli.rs: a temporary database, a fixed clock, UTC, a config of its own.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::snapshot;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

fn salesdesk(dir: &TempDir, db: &str) -> Command {
    common::salesdesk(&dir.path().join(db), &dir.path().join("config.toml"))
}

fn ok(dir: &TempDir, args: &[&str]) -> String {
    let out = salesdesk(dir, "t.db").args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn json_of(dir: &TempDir, db: &str, args: &[&str]) -> Value {
    let out = salesdesk(dir, db)
        .arg("--json")
        .args(args)
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout)
        .unwrap_or_else(|e| panic!("{args:?} printed no JSON: {e}"))
}

fn deals(dir: &TempDir, db: &str) -> Vec<Value> {
    json_of(dir, db, &["deal", "list"])
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn vendor_exports_come_in_with_their_history() {
    let dir = TempDir::new().unwrap();
    let out = ok(&dir, &["import", "deals", &fixture("pipedrive-deals.csv")]);
    assert!(out.contains("a Pipedrive export"), "{out}");
    assert!(out.contains("5 created, 0 updated."), "{out}");
    let out = ok(&dir, &["import", "deals", &fixture("hubspot-deals.csv")]);
    assert!(out.contains("a HubSpot export"), "{out}");
    let out = ok(
        &dir,
        &["import", "deals", &fixture("salesforce-opportunities.csv")],
    );
    assert!(out.contains("a Salesforce export"), "{out}");

    let all = deals(&dir, "t.db");
    assert_eq!(all.len(), 11);
    let status = |title: &str| {
        all.iter()
            .find(|d| d["title"] == title)
            .map(|d| d["status"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(status("ACME renewal 2027"), "won");
    assert_eq!(status("Globex pilot"), "lost");
    assert_eq!(status("Stark upgrade"), "won");
    assert_eq!(status("Oscorp trial"), "lost");
    assert_eq!(status("Cyberdyne robots"), "won");
    assert_eq!(status("Tyrell replicants"), "open");

    // "acme gmbh" is the same customer as "ACME GmbH", and winning made it active.
    let customers = json_of(&dir, "t.db", &["customer", "list"]);
    let acme: Vec<&Value> = customers
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["name"]
                .as_str()
                .unwrap()
                .eq_ignore_ascii_case("acme gmbh")
        })
        .collect();
    assert_eq!(acme.len(), 1);
    assert_eq!(acme[0]["status"], "active");

    // The source's own times: 3 won deals, 41, 90 and 119 days from creation to win.
    let report = json_of(&dir, "t.db", &["report", "--period", "all"]);
    let p = &report["pipeline"];
    assert_eq!(
        (p["won"].as_i64(), p["lost"].as_i64()),
        (Some(3), Some(3)),
        "{p}"
    );
    let cycle = p["average_cycle_days"].as_f64().unwrap();
    assert!(
        (cycle - (41.28 + 90.125 + 119.0) / 3.0).abs() < 0.1,
        "{cycle}"
    );

    // Importing the same file again updates; nothing is doubled.
    let out = ok(&dir, &["import", "deals", &fixture("pipedrive-deals.csv")]);
    assert!(out.contains("0 created, 5 updated."), "{out}");
    assert_eq!(deals(&dir, "t.db").len(), 11);
}

#[test]
fn a_map_file_as_the_readme_shows_it() {
    let dir = TempDir::new().unwrap();
    let out = ok(
        &dir,
        &[
            "import",
            "deals",
            &fixture("book.csv"),
            "--map",
            &fixture("book-map.toml"),
        ],
    );
    assert!(out.contains("4 created"), "{out}");
    let all = deals(&dir, "t.db");
    let find = |title: &str| all.iter().find(|d| d["title"] == title).unwrap().clone();
    assert_eq!(find("Harbour cranes")["status"], "won");
    assert_eq!(find("Harbour cranes")["amount"], "250000.00");
    assert_eq!(find("Harbour cranes")["currency"], "USD");
    assert_eq!(find("Fleet telematics")["customer"], "Unknown");
    assert_eq!(find("Fleet telematics")["stage"], "Qualified");
    assert_eq!(find("Cold storage")["status"], "lost");
    assert_eq!(find("Dock sensors")["stage"], "Lead");
}

#[test]
fn encodings_delimiters_and_vcards() {
    let dir = TempDir::new().unwrap();
    let out = ok(
        &dir,
        &["import", "customers", &fixture("customers-gbk.csv")],
    );
    assert!(out.contains("gb18030"), "{out}");
    let out = ok(
        &dir,
        &[
            "import",
            "customers",
            &fixture("customers-windows-1252.csv"),
        ],
    );
    assert!(out.contains("windows-1252, ';'"), "{out}");
    ok(
        &dir,
        &["import", "contacts", &fixture("contacts-bom-semicolon.csv")],
    );
    ok(&dir, &["import", "contacts", &fixture("contacts-v3.vcf")]);
    ok(&dir, &["import", "contacts", &fixture("contacts-v4.vcf")]);
    let names: Vec<String> = json_of(&dir, "t.db", &["customer", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    for name in [
        "华为技术有限公司",
        "北京字节跳动科技有限公司",
        "Société Générale Équipement",
        "Café Größe AG",
        "ACME GmbH",
        "华为",
        "Initech",
    ] {
        assert!(
            names.iter().any(|n| n == name),
            "{name} missing from {names:?}"
        );
    }
    let vcf = ok(&dir, &["export", "vcard"]);
    assert!(
        vcf.contains("FN:王芳\r\n") && vcf.contains("ORG:华为\r\n"),
        "{vcf}"
    );
    assert!(
        vcf.contains("EMAIL;TYPE=work:anna.schmidt@acme.example"),
        "{vcf}"
    );
}

/// Each bad file or map: a clear error that names where, exit 1, and nothing written.
#[test]
fn bad_files_change_nothing_and_say_where() {
    let dir = TempDir::new().unwrap();
    ok(&dir, &["import", "deals", &fixture("pipedrive-deals.csv")]);
    let write = |name: &str, bytes: &[u8]| -> String {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.display().to_string()
    };
    let mut huge = b"Title,Customer,Notes\nBig,ACME,".to_vec();
    huge.extend(std::iter::repeat_n(b'x', 10 << 20));
    huge.push(b'\n');
    // A quote never closed: the rest of the file would be one cell.
    let mut open_quote = b"Title,Customer,Notes\nSmall,ACME,fine\nBig,ACME,\"open".to_vec();
    open_quote.extend(std::iter::repeat_n(b"x,y\n".as_slice(), 1 << 20).flatten());
    let bad_map = write(
        "bad-map.toml",
        b"[columns]\ntitle = \"Opportunity\"\nstage = \"Phase!\"\n",
    );
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![fixture("book.csv"), "--map".into(), bad_map],
            "the map's column 'Phase!' (for stage) is not in the file",
        ),
        (
            vec![write(
                "stage.csv",
                b"Title,Customer,Stage\nA,B,Verhandlung\n",
            )],
            "line 2, column 'Stage': stage 'Verhandlung' has no mapping",
        ),
        (
            vec![write(
                "date.csv",
                b"Title,Customer,Created\nA,B,31.12.2026\n",
            )],
            "line 2, column 'Created': '31.12.2026' is not an ISO date",
        ),
        (
            vec![write("amount.csv", b"Title,Customer,Amount\nA,B,1.2.3\n")],
            "line 2, column 'Amount': amount '1.2.3'",
        ),
        (
            vec![write("notitle.csv", b"Name,Customer\nA,B\n")],
            "the file has no column for title",
        ),
        (vec![write("empty.csv", b"")], "is empty"),
        (
            vec![write("binary.csv", b"Title\x00\x01\x02\x03\xff\xfe")],
            "holds binary data",
        ),
        (
            vec![write("huge.csv", &huge)],
            "line 2, column 'Notes': a cell of more than 1024 KB",
        ),
        (
            vec![write("open-quote.csv", &open_quote)],
            "line 3, column 'Notes': a cell of more than 1024 KB",
        ),
    ];
    let before = snapshot(&dir.path().join("t.db"));
    for (args, expected) in cases {
        let out = salesdesk(&dir, "t.db")
            .args(["import", "deals"])
            .args(&args)
            .assert()
            .failure()
            .code(1);
        let output = out.get_output();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(text.contains(expected), "{args:?}: {text}");
        assert_eq!(
            snapshot(&dir.path().join("t.db")),
            before,
            "{args:?} changed the book"
        );
    }
}

#[test]
fn a_dry_run_reports_and_writes_nothing_and_skip_imports_the_good_rows() {
    let dir = TempDir::new().unwrap();
    ok(&dir, &["import", "deals", &fixture("hubspot-deals.csv")]);
    let path = dir.path().join("mixed.csv");
    std::fs::write(
        &path,
        "Title,Customer,Amount\nGood,ACME,1\nBad,ACME,x\nAlso good,ACME,2\n",
    )
    .unwrap();
    let file = path.display().to_string();
    let before = snapshot(&dir.path().join("t.db"));
    let summary = json_of(&dir, "t.db", &["import", "deals", &file, "--dry-run"]);
    assert_eq!(summary["created"], 2);
    assert_eq!(summary["dry_run"], true);
    assert_eq!(summary["written"], false);
    assert!(
        summary["errors"][0]
            .as_str()
            .unwrap()
            .starts_with("line 3, column 'Amount'")
    );
    assert_eq!(snapshot(&dir.path().join("t.db")), before);

    let out = ok(&dir, &["import", "deals", &file, "--on-error", "skip"]);
    assert!(out.contains("2 created, 0 updated, 1 skipped."), "{out}");
    assert_eq!(deals(&dir, "t.db").len(), 5);
}

/// Export → import into an empty book → the same deals, customers, contacts and every
/// figure of the report.
#[test]
fn an_export_imports_back_to_the_same_book() {
    let dir = TempDir::new().unwrap();
    ok(&dir, &["demo"]);
    let export = |what: &str, ext: &str| -> PathBuf {
        let path = dir.path().join(format!("{what}.{ext}"));
        salesdesk(&dir, "t.db")
            .args(["export", what, "-o"])
            .arg(&path)
            .assert()
            .success();
        path
    };
    // Customers first, so their tier and status come with them; then the rest.
    let files = [
        ("customers", export("customers", "csv")),
        ("contacts", export("contacts", "csv")),
        ("deals", export("deals", "xlsx")),
        ("activities", export("activities", "csv")),
    ];
    for (what, path) in &files {
        let out = salesdesk(&dir, "copy.db")
            .args(["import", what])
            .arg(path)
            .assert()
            .success();
        let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        assert!(!text.contains('✗'), "{what}: {text}");
    }
    // What a user sees of each record, keyed by id (the ids come back with the export);
    // not when it was last written, nor the team's member ids.
    let project = |v: Value, keys: &[&str]| -> Vec<String> {
        let mut rows: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                keys.iter()
                    .map(|k| format!("{k}={}", r[*k]))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        rows.sort();
        rows
    };
    let deal_keys = [
        "id",
        "title",
        "customer",
        "stage",
        "status",
        "amount",
        "currency",
        "expected_close",
        "created_at",
        "closed_at",
        "lost_reason",
        "source",
        "notes",
        "next_follow_up",
        "last_activity",
        "weighted_amount",
    ];
    let original = project(json_of(&dir, "t.db", &["deal", "list"]), &deal_keys);
    assert_eq!(original.len(), 80, "the demo's deals");
    let copy = project(json_of(&dir, "copy.db", &["deal", "list"]), &deal_keys);
    for (a, b) in original.iter().zip(&copy) {
        assert_eq!(a, b);
    }
    assert_eq!(original.len(), copy.len());
    let customer_keys = [
        "id",
        "name",
        "status",
        "tier",
        "industry",
        "region",
        "satisfaction",
        "last_contact",
        "next_reminder",
        "tags",
        "contacts",
    ];
    let original = project(json_of(&dir, "t.db", &["customer", "list"]), &customer_keys);
    let copy = project(
        json_of(&dir, "copy.db", &["customer", "list"]),
        &customer_keys,
    );
    for (a, b) in original.iter().zip(&copy) {
        assert_eq!(a, b);
    }
    assert_eq!(original.len(), copy.len());
    // The newest 200 activities, each with its deal, customer and contact.
    let activity_keys = [
        "id",
        "kind",
        "subject",
        "body",
        "deal",
        "customer",
        "contact",
        "due_at",
        "done_at",
        "outcome",
        "created_at",
    ];
    let original = project(json_of(&dir, "t.db", &["activity", "list"]), &activity_keys);
    assert_eq!(
        original.len(),
        200,
        "the newest 200 of the demo's activities"
    );
    assert!(
        original
            .iter()
            .filter(|a| !a.contains("contact=null"))
            .count()
            > 10,
        "activities with a contact"
    );
    let copy = project(
        json_of(&dir, "copy.db", &["activity", "list"]),
        &activity_keys,
    );
    for (a, b) in original.iter().zip(&copy) {
        assert_eq!(a, b);
    }
    assert_eq!(original.len(), copy.len());
    // Every figure of the report, the stage conversion and time in stage too: the
    // deals' stage history came along in the deals export.
    let report = |db: &str| json_of(&dir, db, &["report", "--period", "all"]);
    let funnel = &report("t.db")["pipeline"]["funnel"];
    assert!(
        funnel.as_array().is_some_and(|s| s.len() == 4),
        "the demo's funnel: {funnel}"
    );
    assert_eq!(report("copy.db"), report("t.db"));
}

/// `[calendar] path` keeps a calendar file of open follow-ups up to date after changes.
#[test]
fn the_calendar_file_follows_every_change() {
    let dir = TempDir::new().unwrap();
    let calendar = dir.path().join("follow-ups.ics");
    std::fs::write(
        dir.path().join("config.toml"),
        format!("[calendar]\npath = {:?}\n", calendar.display().to_string()),
    )
    .unwrap();
    ok(&dir, &["import", "deals", &fixture("hubspot-deals.csv")]);
    ok(
        &dir,
        &[
            "activity",
            "schedule",
            "--deal",
            "Wayne renewal",
            "--due",
            "2026-11-27 10:00",
            "Call Bruce",
        ],
    );
    let text = std::fs::read_to_string(&calendar).unwrap();
    assert!(
        text.contains("SUMMARY:Call Bruce — Wayne renewal"),
        "{text}"
    );
    assert!(text.contains("DTSTART:20261127T100000Z"), "{text}");
    let id = text
        .lines()
        .find_map(|l| {
            l.strip_prefix("UID:")
                .and_then(|u| u.strip_suffix("@salesdesk"))
        })
        .unwrap()
        .to_string();
    ok(&dir, &["activity", "done", &id]);
    let text = std::fs::read_to_string(&calendar).unwrap();
    assert!(
        !text.contains("Call Bruce"),
        "a done follow-up leaves the calendar: {text}"
    );
    assert_eq!(
        ok(&dir, &["export", "ics"]),
        text,
        "export ics writes the same file"
    );
}

/// A workbook as Excel (openpyxl) writes it: dates as date cells, numbers as numbers,
/// the sheet not named "Sheet1".
#[test]
fn an_excel_workbook_comes_in_with_its_dates_and_numbers() {
    let dir = TempDir::new().unwrap();
    let out = ok(&dir, &["import", "deals", &fixture("deals.xlsx")]);
    assert!(
        out.contains("Read 3 rows of deals (a spreadsheet, Excel)"),
        "{out}"
    );
    assert!(
        out.contains("1 won or lost deal(s) gave no close time"),
        "{out}"
    );
    let all = deals(&dir, "t.db");
    let find = |title: &str| all.iter().find(|d| d["title"] == title).unwrap().clone();
    let huawei = find("华为 5G rollout");
    assert_eq!(huawei["amount"], "1250000.50");
    assert_eq!(huawei["expected_close"], "2027-01-31");
    assert_eq!(huawei["created_at"], "2026-09-01T09:30:00Z");
    assert_eq!(huawei["stage"], "Proposal");
    assert_eq!(find("Harbour cranes")["status"], "won");
}

#[test]
fn custom_fields_go_out_as_columns_and_come_back_by_name() {
    let dir = TempDir::new().unwrap();
    ok(&dir, &["demo", "--scale", "20"]);
    ok(&dir, &["field", "add", "deal", "Budget", "--type", "money"]);
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
            "crm,erp",
        ],
    );
    ok(
        &dir,
        &["field", "add", "deal", "Signed", "--type", "yes/no"],
    );
    let first = deals(&dir, "t.db")[0]["title"]
        .as_str()
        .unwrap()
        .to_string();
    ok(
        &dir,
        &[
            "deal",
            "edit",
            &first,
            "--set",
            "Budget=12,500.50 USD",
            "--set",
            "Modules=erp,crm",
            "--set",
            "Signed=yes",
        ],
    );
    let path = dir.path().join("deals.csv");
    salesdesk(&dir, "t.db")
        .args(["export", "deals", "-o"])
        .arg(&path)
        .assert()
        .success();
    let text = std::fs::read_to_string(&path).unwrap();
    let header = text.lines().next().unwrap();
    assert!(header.ends_with(",Budget,Modules,Signed"), "{header}");
    assert!(text.contains(",12500.50 USD,\"crm, erp\",yes"), "{text}");

    // Another book with the same fields takes them back by name.
    for args in [
        &["field", "add", "deal", "budget", "--type", "money"][..],
        &[
            "field",
            "add",
            "deal",
            "Modules",
            "--type",
            "multi",
            "--choices",
            "crm,erp",
        ],
        &["field", "add", "deal", "Signed", "--type", "yes/no"],
    ] {
        salesdesk(&dir, "copy.db").args(args).assert().success();
    }
    salesdesk(&dir, "copy.db")
        .args(["import", "deals"])
        .arg(&path)
        .assert()
        .success();
    let copied = deals(&dir, "copy.db");
    let deal = copied
        .iter()
        .find(|d| d["title"] == first.as_str())
        .unwrap();
    // The copy named its field in lower case.
    assert_eq!(deal["fields"]["budget"]["amount_minor"], 1_250_050);
    assert_eq!(deal["fields"]["budget"]["currency"], "USD");
    assert_eq!(deal["fields"]["Modules"], serde_json::json!(["crm", "erp"]));
    assert_eq!(deal["fields"]["Signed"], true);

    // A bad value is reported at its line and column, and nothing is imported.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "Title,Customer,Modules,Signed\nFine,ACME,crm,no\nBroken,ACME,crm,maybe\n",
    )
    .unwrap();
    let before = snapshot(&dir.path().join("copy.db"));
    let out = salesdesk(&dir, "copy.db")
        .args(["import", "deals", "--on-error", "stop"])
        .arg(&bad)
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string()
        + &String::from_utf8_lossy(&out.get_output().stdout);
    assert!(
        err.contains("line 3, column 'Signed': deal field 'Signed': 'maybe' is not yes or no"),
        "{err}"
    );
    assert_eq!(snapshot(&dir.path().join("copy.db")), before);

    // A required field: a new deal must give it; one the book has need not.
    salesdesk(&dir, "copy.db")
        .args([
            "field",
            "add",
            "deal",
            "Region",
            "--type",
            "text",
            "--required",
        ])
        .assert()
        .success();
    std::fs::write(
        &bad,
        format!("Title,Customer,Signed\n{first},ACME Industrial GmbH,no\nNew one,ACME,yes\n"),
    )
    .unwrap();
    let before = snapshot(&dir.path().join("copy.db"));
    let out = salesdesk(&dir, "copy.db")
        .args(["import", "deals", "--on-error", "stop"])
        .arg(&bad)
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string()
        + &String::from_utf8_lossy(&out.get_output().stdout);
    assert!(
        err.contains("line 3: deal field 'Region' is required"),
        "{err}"
    );
    assert!(!err.contains("line 2"), "{err}");
    assert_eq!(snapshot(&dir.path().join("copy.db")), before);
}

/// A column no field reads is named after the import, not dropped unseen; a custom
/// field's column and the columns an export works out (probability …) are not.
#[test]
fn an_import_names_the_columns_it_did_not_read() {
    let dir = TempDir::new().unwrap();
    ok(&dir, &["field", "add", "deal", "Budget", "--type", "money"]);
    let file = dir.path().join("deals.csv");
    std::fs::write(
        &file,
        "Title,Customer,Budget,Probability,Region,Weighted amount,Colour\n\
         Pilot,ACME,5000 EUR,10,EMEA,500,red\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let out = ok(&dir, &["import", "deals", file, "--dry-run"]);
    assert!(
        out.contains(
            "Not imported: 'Region', 'Colour' (no field reads them; \
             an import fills a custom field named as a column: `salesdesk field add deal NAME`)."
        ),
        "{out}"
    );
    let summary = json_of(&dir, "t.db", &["import", "deals", file]);
    assert_eq!(
        summary["unread_columns"],
        serde_json::json!(["Region", "Colour"])
    );
    let budget = json_of(&dir, "t.db", &["deal", "list"])[0]["fields"]["Budget"].clone();
    assert_eq!(
        budget["amount"], "5000.00",
        "the custom field's column was read"
    );
    // A file whose every column is read says nothing of it.
    let known = dir.path().join("known.csv");
    std::fs::write(&known, "Title,Customer,Budget\nRenewal,ACME,10 EUR\n").unwrap();
    let out = ok(
        &dir,
        &["import", "deals", known.to_str().unwrap(), "--dry-run"],
    );
    assert!(!out.contains("Not imported"), "{out}");
}

/// A deal moved from one pipeline to another comes back with each step in its own
/// pipeline: the export names the pipeline of a step outside the deal's
/// (`Sales › Qualified`).
#[test]
fn a_deals_history_across_pipelines_comes_back_in_its_pipelines() {
    let dir = TempDir::new().unwrap();
    for db in ["t.db", "copy.db"] {
        for args in [
            &["customer", "add", "ACME"][..],
            &["pipeline", "add", "Renewals"],
        ] {
            salesdesk(&dir, db).args(args).assert().success();
        }
    }
    ok(
        &dir,
        &[
            "deal",
            "add",
            "Pilot",
            "--customer",
            "ACME",
            "--stage",
            "Qualified",
            "--pipeline",
            "Sales",
        ],
    );
    ok(
        &dir,
        &[
            "deal",
            "move",
            "Pilot",
            "Proposal",
            "--pipeline",
            "Renewals",
        ],
    );
    let file = dir.path().join("deals.csv");
    ok(&dir, &["export", "deals", "-o", file.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(" open Sales › Qualified\n"), "{text}");
    salesdesk(&dir, "copy.db")
        .args(["import", "deals", file.to_str().unwrap()])
        .assert()
        .success();
    let history = |db: &str| {
        let show = json_of(&dir, db, &["deal", "show", "Pilot"]);
        let steps: Vec<String> = show["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| format!("{} {} {}", h["from_stage"], h["to_stage"], h["to_status"]))
            .collect();
        (show["pipeline"].clone(), steps)
    };
    assert_eq!(history("copy.db"), history("t.db"));
    // The same report (the new pipeline's stage ids are each book's own).
    let report = |db: &str| {
        let mut r = json_of(&dir, db, &["report", "--period", "all"]);
        for flow in r["pipeline"]["funnel"].as_array_mut().unwrap() {
            flow["stage_id"] = Value::Null;
        }
        r
    };
    assert_eq!(report("copy.db"), report("t.db"));
}

/// A tag with a comma in it is one tag after an export and an import.
#[test]
fn a_tag_with_a_comma_survives_a_round_trip() {
    let dir = TempDir::new().unwrap();
    ok(
        &dir,
        &[
            "customer",
            "add",
            "Foo",
            "--tag",
            "Shanghai, Pudong",
            "--tag",
            r"a\b",
        ],
    );
    let file = dir.path().join("customers.csv");
    ok(&dir, &["export", "customers", "-o", file.to_str().unwrap()]);
    for db in ["copy.db", "t.db"] {
        salesdesk(&dir, db)
            .args(["import", "customers", file.to_str().unwrap()])
            .assert()
            .success();
        let tags = json_of(&dir, db, &["customer", "show", "Foo"])["tags"].clone();
        assert_eq!(
            tags,
            serde_json::json!([r"a\b", "Shanghai, Pudong"]),
            "{db}"
        );
    }
}

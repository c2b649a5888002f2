//! Team sync through PostgreSQL (issue #20), against a throwaway server of this test
//! binary's own (tests/common/pg.rs): each test makes its own database and roles in it.
//! Without PostgreSQL on the machine every test here is reported as skipped (ignored), with
//! one line saying how to install it: this file has its own harness (`main`, below), as
//! the built-in one cannot skip a test once it runs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use assert_cmd::Command;
use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use rusqlite::Connection;
use tempfile::TempDir;

mod common;
#[path = "common/pg.rs"]
mod pg;
use common::snapshot;
use pg::PgServer;

use salesdesk::domain::money::Money;
use salesdesk::domain::time::Clock;
use salesdesk::i18n::Lang;
use salesdesk::store::Store;
use salesdesk::sync::postgres::{self as hub, conninfo::Env};
use salesdesk::sync::team;

/// One server for the whole test binary, stopped when the process ends.
fn server() -> Option<&'static PgServer> {
    static SERVER: OnceLock<Option<PgServer>> = OnceLock::new();
    SERVER.get_or_init(PgServer::start).as_ref()
}

/// A new database owned by a new login role, both named `name`; the URL and password.
fn team_database(name: &str) -> Option<(String, String)> {
    let server = server()?;
    let password = format!("pw-{name}");
    let url = server.database(name, name, &password);
    Some((url, password))
}

/// The binary as every test runs it (tests/common), with libpq's environment reduced to
/// this password: nothing of the machine's PostgreSQL settings reaches it.
fn salesdesk(db: &Path, password: &str) -> Command {
    let mut cmd = common::salesdesk(db, &db.with_extension("toml"));
    cmd.env("PGPASSWORD", password)
        .env("PGPASSFILE", db.with_extension("pgpass"))
        .env("HOME", db.parent().unwrap())
        .env_remove("PGHOST")
        .env_remove("PGPORT")
        .env_remove("PGUSER")
        .env_remove("PGDATABASE")
        .env_remove("PGSSLMODE");
    cmd
}

fn ok(db: &Path, password: &str, args: &[&str]) -> String {
    let out = salesdesk(db, password).args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn refused(db: &Path, password: &str, args: &[&str]) -> String {
    let out = salesdesk(db, password).args(args).assert().failure();
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

fn a_team_shares_its_book_through_postgres() {
    let Some((url, pw)) = team_database("share") else {
        return;
    };
    let dir = TempDir::new().unwrap();
    let ann = dir.path().join("ann.db");
    let bob = dir.path().join("bob.db");
    ok(&ann, &pw, &["customer", "add", "ACME"]);
    let out = ok(&ann, &pw, &["team", "init", &url]);
    assert!(out.contains("team add-member"), "{out}");
    let out = ok(&bob, &pw, &["team", "join", &url]);
    assert!(out.contains("Joined"), "{out}");
    let out = ok(&bob, &pw, &["customer", "list"]);
    assert!(out.contains("ACME"), "{out}");

    ok(
        &bob,
        &pw,
        &[
            "deal",
            "add",
            "ACME renewal",
            "--customer",
            "ACME",
            "--amount",
            "1200",
        ],
    );
    let out = ok(&bob, &pw, &["sync"]);
    assert!(out.contains("Synced with postgres://"), "{out}");
    // Bob's member record, the deal and its stage history.
    let out = salesdesk(&ann, &pw)
        .arg("sync")
        .assert()
        .success()
        .stderr("");
    let out = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(out.contains("3 new records"), "{out}");
    let out = ok(&ann, &pw, &["deal", "list"]);
    assert!(out.contains("ACME renewal"), "{out}");

    let status = ok(&ann, &pw, &["team", "status"]);
    assert!(status.contains("postgres://share@127.0.0.1"), "{status}");
    assert!(!status.contains(&pw), "{status}");
    assert!(!status.contains("not there now"), "{status}");
    // The password is nowhere in the local database.
    assert!(!snapshot(&ann).iter().any(|row| row.contains(&pw)));

    let out = ok(&bob, &pw, &["team", "leave"]);
    assert!(out.contains("Left"), "{out}");
    let err = refused(&bob, &pw, &["sync"]);
    assert!(err.contains("not linked"), "{err}");
}

fn bad_urls_and_credentials_are_refused_and_change_nothing() {
    let Some((url, pw)) = team_database("bad") else {
        return;
    };
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("me.db");
    ok(&db, &pw, &["customer", "add", "ACME"]);
    let before = snapshot(&db);

    let with_password = url.replace("bad@", &format!("bad:{pw}@"));
    let err = refused(&db, &pw, &["team", "init", &with_password]);
    assert!(
        err.contains("PGPASSWORD") && err.contains(".pgpass"),
        "{err}"
    );
    assert!(!err.contains(&pw), "{err}");

    let err = refused(&db, "wrong", &["team", "init", &url]);
    assert!(err.contains("password authentication failed"), "{err}");
    let mut no_password = salesdesk(&db, &pw);
    no_password
        .env_remove("PGPASSWORD")
        .args(["team", "init", &url]);
    let out = no_password.assert().failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("none was found in PGPASSWORD or ~/.pgpass"),
        "{err}"
    );

    let closed = url.replace(&format!(":{}/", server().unwrap().port), ":1/");
    let err = refused(&db, &pw, &["team", "join", &closed]);
    assert!(err.contains("could not reach the team database"), "{err}");

    let err = refused(&db, &pw, &["team", "join", &url]);
    assert!(err.contains("holds no SalesDesk team"), "{err}");

    let err = refused(&db, &pw, &["team", "join", "postgres://bad@h:0/x"]);
    assert!(err.contains("port '0'"), "{err}");

    // A password file others may read is refused, as libpq does.
    let pgpass = db.with_extension("pgpass");
    std::fs::write(&pgpass, format!("*:*:*:bad:{pw}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o644)).unwrap();
        let mut cmd = salesdesk(&db, &pw);
        cmd.env_remove("PGPASSWORD").args(["team", "init", &url]);
        let out = cmd.assert().failure();
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(err.contains("chmod 600"), "{err}");
    }
    assert_eq!(snapshot(&db), before);

    // From ~/.pgpass (here PGPASSFILE) with the right permissions, init works.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
        let mut cmd = salesdesk(&db, &pw);
        cmd.env_remove("PGPASSWORD").args(["team", "init", &url]);
        cmd.assert().success();
        // A second init on the same database is refused.
        let other = dir.path().join("other.db");
        let err = refused(&other, &pw, &["team", "init", &url]);
        assert!(err.contains("already holds a SalesDesk team"), "{err}");
    }
}

// ---------------------------------------------------------------------------------------
// Library-level: several replicas syncing through one hub.

const T0: i64 = 1_795_000_000_000;

#[derive(Debug)]
struct TestClock(Mutex<i64>);

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        Utc.timestamp_millis_opt(*self.0.lock().unwrap()).unwrap()
    }
}

impl TestClock {
    fn advance(&self, ms: i64) {
        *self.0.lock().unwrap() += ms;
    }
}

struct Replica {
    store: Store,
    clock: Arc<TestClock>,
}

impl Replica {
    /// A second later, adds the customer `name`; its id.
    fn add_customer(&mut self, name: &str) -> String {
        self.clock.advance(1000);
        salesdesk::usecase::customers::add(
            &mut self.store,
            &salesdesk::usecase::customers::NewCustomer::named(name),
        )
        .unwrap()
        .0
    }

    /// A second later, edits the customer `id`.
    fn edit_customer(&mut self, id: &str, patch: salesdesk::usecase::customers::Patch) {
        self.clock.advance(1000);
        salesdesk::usecase::customers::edit(&mut self.store, id, &patch).unwrap();
    }
}

fn replica(dir: &Path, i: usize) -> Replica {
    let clock = Arc::new(TestClock(Mutex::new(T0 + i as i64 * 7)));
    let store = Store::open(&dir.join(format!("r{i}.db")), clock.clone()).unwrap();
    Replica { store, clock }
}

/// The team database `name` (at `url`) made a team by `admin`'s book, and the login
/// `{name}_wei` added as a rep (password `wei-pw`) and joined from `rep`'s: both links,
/// and the rep's environment.
fn team_with_rep(
    url: &str,
    name: &str,
    admin: &Replica,
    rep: &Replica,
    admin_env: &Env,
) -> (team::TeamLink, team::TeamLink, Env) {
    let link = hub::init_in(&admin.store, url, admin_env).unwrap();
    let login = format!("{name}_wei");
    hub::members::HubAdmin::linked(&admin.store, admin_env)
        .unwrap()
        .add_member(&login, hub::Kind::Rep, "wei-pw", None)
        .unwrap();
    let rep_env = env("wei-pw");
    let rep_url = url.replace(&format!("{name}@"), &format!("{login}@"));
    let (rep_link, _) = hub::join_in(&rep.store, &rep_url, &rep_env).unwrap();
    (link, rep_link, rep_env)
}

/// What the tests of a rep's edits start from: the team database `name` made a team by
/// an admin's book, the rep Wei joined (see [`team_with_rep`]), and Wei's customer
/// "Wei Co" added in Wei's book, not yet synced.
struct WeiTeam {
    server: &'static PgServer,
    url: String,
    password: String,
    admin_env: Env,
    dir: TempDir,
    admin: Replica,
    wei: Replica,
    link: team::TeamLink,
    wei_link: team::TeamLink,
    wei_env: Env,
    /// Wei's customer.
    id: String,
}

fn wei_team(name: &str) -> Option<WeiTeam> {
    let (url, password) = team_database(name)?;
    let server = server()?;
    let admin_env = env(&password);
    let dir = TempDir::new().unwrap();
    let admin = replica(dir.path(), 0);
    let mut wei = replica(dir.path(), 1);
    let (link, wei_link, wei_env) = team_with_rep(&url, name, &admin, &wei, &admin_env);
    let id = wei.add_customer("Wei Co");
    Some(WeiTeam {
        server,
        url,
        password,
        admin_env,
        dir,
        admin,
        wei,
        link,
        wei_link,
        wei_env,
        id,
    })
}

/// libpq's environment with just this password: tests never read the process's.
fn env(password: &str) -> Env {
    Env {
        password: Some(password.to_string()),
        ..Env::default()
    }
}

fn rows_of(store: &Store) -> Vec<String> {
    let conn: &Connection = store.conn();
    let mut out = Vec::new();
    for (table, cols) in [
        ("customers", "id, name, tier, status, deleted_at"),
        (
            "deals",
            "id, title, amount_minor, stage_id, status, deleted_at",
        ),
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT {cols} FROM {table} ORDER BY id"))
            .unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .map(Result::unwrap);
        out.extend(rows.map(|r| format!("{table}: {r}")));
    }
    out
}

#[derive(Debug, Clone)]
enum Op {
    AddCustomer(usize),
    Rename { who: usize, n: usize },
    AddDeal { who: usize, n: usize, minor: i64 },
    Reprice { who: usize, n: usize, minor: i64 },
    Sync(usize),
}

fn op(replicas: usize) -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..replicas).prop_map(Op::AddCustomer),
        (0..replicas, 0..8usize).prop_map(|(who, n)| Op::Rename { who, n }),
        (0..replicas, 0..8usize, 1..100_000i64).prop_map(|(who, n, minor)| Op::AddDeal {
            who,
            n,
            minor
        }),
        (0..replicas, 0..8usize, 1..100_000i64).prop_map(|(who, n, minor)| Op::Reprice {
            who,
            n,
            minor
        }),
        (0..replicas).prop_map(Op::Sync),
    ]
}

fn pick(store: &Store, table: &str, n: usize) -> Option<String> {
    let mut stmt = store
        .conn()
        .prepare(&format!("SELECT id FROM {table} ORDER BY id"))
        .unwrap();
    let ids: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    (!ids.is_empty()).then(|| ids[n % ids.len()].clone())
}

fn apply(rs: &mut [Replica], link: &team::TeamLink, env: &Env, op: &Op, mark: usize) {
    use salesdesk::usecase;
    match *op {
        Op::AddCustomer(who) => {
            let r = &mut rs[who];
            r.clock.advance(100);
            let _ = usecase::customers::add(
                &mut r.store,
                &usecase::customers::NewCustomer {
                    ..usecase::customers::NewCustomer::named(&format!("Customer {mark}"))
                },
            );
        }
        Op::Rename { who, n } => {
            let r = &mut rs[who];
            r.clock.advance(100);
            if let Some(id) = pick(&r.store, "customers", n) {
                let patch = usecase::customers::Patch {
                    name: Some(format!("Renamed {mark}")),
                    ..Default::default()
                };
                let _ = usecase::customers::edit(&mut r.store, &id, &patch);
            }
        }
        Op::AddDeal { who, n, minor } => {
            let r = &mut rs[who];
            r.clock.advance(100);
            if let Some(id) = pick(&r.store, "customers", n) {
                let stage = salesdesk::store::stages::list(r.store.conn()).unwrap()[0]
                    .id
                    .clone();
                let _ = usecase::deals::add(
                    &mut r.store,
                    &salesdesk::store::deals::NewDeal {
                        title: format!("Deal {mark}"),
                        customer: salesdesk::store::deals::CustomerRef::Id(id),
                        stage_id: stage,
                        amount: Money::new(minor, "EUR".parse().unwrap()),
                        expected_close: None,
                        source: None,
                        notes: None,
                        owner_id: None,
                    },
                );
            }
        }
        Op::Reprice { who, n, minor } => {
            let r = &mut rs[who];
            r.clock.advance(100);
            if let Some(id) = pick(&r.store, "deals", n) {
                let patch = usecase::deals::Patch {
                    amount: Some(Money::new(minor, "EUR".parse().unwrap())),
                    ..Default::default()
                };
                let _ = usecase::deals::edit(&mut r.store, &id, &patch);
            }
        }
        Op::Sync(who) => {
            hub::sync_in(&rs[who].store, link, env).unwrap();
        }
    }
}

static CASE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(6), max_shrink_iters: 16, ..ProptestConfig::default() })]

    /// Three replicas edit and sync in any order through one hub; after everyone syncs
    /// twice, all hold the same book, and every replica's last write of a field that
    /// nobody overwrote later is there.
    fn replicas_converge_through_the_hub(ops in prop::collection::vec(op(3), 1..24)) {
        let Some(server) = server() else { return Ok(()) };
        let n = CASE.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let name = format!("conv{n}");
        let password = format!("pw-{name}");
        let url = server.database(&name, &name, &password);
        let dir = TempDir::new().unwrap();
        let env = env(&password);
        let mut rs: Vec<Replica> = (0..3).map(|i| replica(dir.path(), i)).collect();
        let link = hub::init_in(&rs[0].store, &url, &env).unwrap();
        for r in &rs[1..] {
            hub::join_in(&r.store, &url, &env).unwrap();
        }
        for (mark, op) in ops.iter().enumerate() {
            apply(&mut rs, &link, &env, op, mark);
        }
        for _ in 0..2 {
            for r in &rs {
                hub::sync_in(&r.store, &link, &env).unwrap();
            }
        }
        let first = rows_of(&rs[0].store);
        for r in &rs[1..] {
            prop_assert_eq!(rows_of(&r.store), first.clone());
        }
    }
}

fn one_change_pushes_one_row_and_pulls_only_what_changed() {
    let Some((url, pw)) = team_database("incremental") else {
        return;
    };
    let dir = TempDir::new().unwrap();
    let env = env(&pw);
    {
        let mut a = replica(dir.path(), 0);
        let b = replica(dir.path(), 1);
        for i in 0..50 {
            salesdesk::usecase::customers::add(
                &mut a.store,
                &salesdesk::usecase::customers::NewCustomer {
                    ..salesdesk::usecase::customers::NewCustomer::named(&format!("Customer {i}"))
                },
            )
            .unwrap();
        }
        let link = hub::init_in(&a.store, &url, &env).unwrap();
        hub::join_in(&b.store, &url, &env).unwrap();
        // Bob's member record reaches Ann.
        hub::sync_in(&a.store, &link, &env).unwrap();
        let server = server().unwrap();
        let mut su = server
            .connect_as("incremental", "incremental", &pw)
            .unwrap();
        let max_seq = |c: &mut postgres::Client| -> i64 {
            c.query_one("SELECT max(seq) FROM salesdesk.rows", &[])
                .unwrap()
                .get(0)
        };
        let before = max_seq(&mut su);
        a.clock.advance(1000);
        let id = pick(&a.store, "customers", 3).unwrap();
        salesdesk::usecase::customers::edit(
            &mut a.store,
            &id,
            &salesdesk::usecase::customers::Patch {
                name: Some("Renamed".into()),
                ..Default::default()
            },
        )
        .unwrap();
        let report = hub::sync_in(&a.store, &link, &env).unwrap();
        assert!(report.merged.is_empty());
        let changed: i64 = su
            .query_one(
                "SELECT count(*) FROM salesdesk.rows WHERE seq > $1",
                &[&before],
            )
            .unwrap()
            .get(0);
        assert_eq!(changed, 1, "one edit pushes one row");
        let report = hub::sync_in(&b.store, &link, &env).unwrap();
        assert_eq!(report.merged.fields_updated, 1, "{report:?}");
        assert_eq!(report.merged.rows_added, 0, "{report:?}");
        let name: String = b
            .store
            .conn()
            .query_row("SELECT name FROM customers WHERE id = ?1", [&id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(name, "Renamed");
        // Nothing new: a sync pushes and pulls nothing.
        let again = max_seq(&mut su);
        hub::sync_in(&b.store, &link, &env).unwrap();
        hub::sync_in(&a.store, &link, &env).unwrap();
        assert_eq!(max_seq(&mut su), again);
    }
}

/// The member id of the database at `db`.
fn member_of(db: &Path, pw: &str) -> String {
    let out = salesdesk(db, pw)
        .args(["--json", "team", "status"])
        .assert()
        .success();
    let status: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    status["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["me"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn postgres_lets_a_rep_read_only_their_own_book_and_a_manager_all() {
    let Some((url, admin_pw)) = team_database("roles") else {
        return;
    };
    let server = server().unwrap();
    let dir = TempDir::new().unwrap();
    let admin = dir.path().join("admin.db");
    let wei = dir.path().join("wei.db");
    let li = dir.path().join("li.db");
    let boss = dir.path().join("boss.db");
    ok(&admin, &admin_pw, &["team", "init", &url]);
    let pw_file = dir.path().join("wei.pw");
    std::fs::write(&pw_file, "wei-secret\n").unwrap();
    let out = ok(
        &admin,
        &admin_pw,
        &[
            "team",
            "add-member",
            "wei",
            "--role",
            "rep",
            "--password-file",
            pw_file.to_str().unwrap(),
        ],
    );
    assert!(out.contains("team join postgres://wei@"), "{out}");
    assert!(!out.contains("wei-secret"), "{out}");
    let json = salesdesk(&admin, &admin_pw)
        .args(["--json", "team", "add-member", "li", "--role", "rep"])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    let li_pw = json["password"].as_str().unwrap().to_string();
    let li_url = json["join_url"].as_str().unwrap().to_string();
    ok(
        &admin,
        &admin_pw,
        &["team", "add-member", "boss", "--role", "rep"],
    );
    let boss_pw = "boss-secret";
    server
        .superuser()
        .unwrap()
        .batch_execute(&format!("ALTER ROLE boss PASSWORD '{boss_pw}'"))
        .unwrap();
    ok(&admin, &admin_pw, &["team", "role", "boss", "manager"]);

    // A custom field every member shares.
    ok(
        &admin,
        &admin_pw,
        &["field", "add", "customer", "Account no", "--type", "text"],
    );
    ok(&admin, &admin_pw, &["sync"]);
    let wei_url = url.replace("roles@", "wei@");
    ok(&wei, "wei-secret", &["team", "join", &wei_url]);
    ok(
        &wei,
        "wei-secret",
        &["customer", "add", "Wei Co", "--set", "Account no=W-1"],
    );
    ok(
        &wei,
        "wei-secret",
        &[
            "deal",
            "add",
            "Wei deal",
            "--customer",
            "Wei Co",
            "--amount",
            "100",
        ],
    );
    ok(
        &wei,
        "wei-secret",
        &["contact", "add", "Wei Co", "Wei's buyer"],
    );
    ok(
        &wei,
        "wei-secret",
        &[
            "activity",
            "log",
            "--deal",
            "Wei deal",
            "--kind",
            "call",
            "Wei called",
        ],
    );
    // Nothing of Wei's own is refused, the custom value included.
    salesdesk(&wei, "wei-secret")
        .arg("sync")
        .assert()
        .success()
        .stderr("");
    ok(&li, &li_pw, &["team", "join", &li_url]);
    ok(&li, &li_pw, &["customer", "add", "Li Co"]);
    ok(
        &li,
        &li_pw,
        &[
            "deal",
            "add",
            "Li deal",
            "--customer",
            "Li Co",
            "--amount",
            "200",
        ],
    );
    ok(&li, &li_pw, &["contact", "add", "Li Co", "Li's buyer"]);
    ok(
        &li,
        &li_pw,
        &[
            "activity",
            "log",
            "--customer",
            "Li Co",
            "--kind",
            "visit",
            "Li visited",
        ],
    );
    ok(&li, &li_pw, &["sync"]);
    ok(&wei, "wei-secret", &["sync"]);
    ok(
        &boss,
        boss_pw,
        &["team", "join", &url.replace("roles@", "boss@")],
    );
    // Wei's cursor moves past Li's rows (Boss's member record is newer than them).
    ok(&wei, "wei-secret", &["sync"]);

    // Each rep's book holds their own customers only; the manager's holds both.
    let wei_book = ok(&wei, "wei-secret", &["customer", "list"]);
    assert!(
        wei_book.contains("Wei Co") && !wei_book.contains("Li Co"),
        "{wei_book}"
    );
    let li_book = ok(&li, &li_pw, &["deal", "list"]);
    assert!(
        li_book.contains("Li deal") && !li_book.contains("Wei deal"),
        "{li_book}"
    );
    let boss_book = ok(&boss, boss_pw, &["deal", "list"]);
    assert!(
        boss_book.contains("Li deal") && boss_book.contains("Wei deal"),
        "{boss_book}"
    );

    // A raw connection as a rep, as psql would make one, sees no more.
    let mut raw = server.connect_as("roles", "wei", "wei-secret").unwrap();
    let names = |c: &mut postgres::Client| -> Vec<String> {
        c.query(
            "SELECT data ->> 'name' FROM salesdesk.rows WHERE tbl = 'customers' ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
    };
    assert_eq!(names(&mut raw), ["Wei Co"]);
    let values = |c: &mut postgres::Client| -> i64 {
        c.query_one(
            "SELECT count(*) FROM salesdesk.rows WHERE tbl = 'field_values'",
            &[],
        )
        .unwrap()
        .get(0)
    };
    assert_eq!(values(&mut raw), 1, "Wei's own custom value");
    let mut li_raw = server.connect_as("roles", "li", &li_pw).unwrap();
    assert_eq!(values(&mut li_raw), 0, "not Wei's custom value");
    let shown = ok(&boss, boss_pw, &["customer", "show", "Wei Co"]);
    assert!(shown.contains("W-1"), "{shown}");
    let deals: i64 = raw
        .query_one(
            "SELECT count(*) FROM salesdesk.rows WHERE tbl = 'deals' AND data ->> 'title' = 'Li deal'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(deals, 0);
    // Nor can it change Li's rows, or write one in Li's name.
    let changed = raw
        .execute(
            "UPDATE salesdesk.rows SET data = jsonb_set(data, '{name}', '\"Mine now\"')
              WHERE tbl = 'customers' AND data ->> 'name' = 'Li Co'",
            &[],
        )
        .unwrap();
    assert_eq!(changed, 0);
    let li_member = member_of(&li, &li_pw);
    let forged = raw.execute(
        "INSERT INTO salesdesk.rows (tbl, row_id, data, clocks)
         VALUES ('customers', 'forged', jsonb_build_object('name', 'X', 'owner_id', $1::text), '{}')",
        &[&li_member],
    );
    assert!(forged.is_err());

    // Nor write in Li's name on a record of its own: the hub vouches for who wrote what
    // (clients do not verify the signatures of what they pull from it), so a new row
    // with a clock of Li's site is refused, a value of an existing row under such a
    // clock is not taken, nor is a value changed without a new clock; `pushed_by` is the
    // hub's to set; sites and keys are added only for the login's own member.
    let site_of = |db: &Path| -> String {
        Connection::open(db)
            .unwrap()
            .query_row("SELECT value FROM meta WHERE key = 'site_id'", [], |r| {
                r.get(0)
            })
            .unwrap()
    };
    let (wei_site, li_site) = (site_of(&wei), site_of(&li));
    let write = |c: &mut postgres::Client, name: &str, site: &str, later: i64| {
        c.execute(
            "UPDATE salesdesk.rows
                SET data = jsonb_set(data, '{name}', to_jsonb($1::text)),
                    clocks = clocks || jsonb_build_object('name',
                        lpad((left(clocks ->> '*', 16)::bigint + $3)::text, 16, '0')
                        || '-00000-' || $2::text)
              WHERE tbl = 'customers' AND data ->> 'owner_id' = $4",
            &[&name, &site, &later, &member_of(&wei, "wei-secret")],
        )
    };
    let why = |e: postgres::Error| e.as_db_error().map(|d| d.message().to_string());
    let wei_member = member_of(&wei, "wei-secret");
    let refusal = why(raw
        .execute(
            "INSERT INTO salesdesk.rows (tbl, row_id, data, clocks)
             VALUES ('customers', 'in-lis-name',
                     jsonb_build_object('name', 'X', 'owner_id', $1::text),
                     jsonb_build_object('*', '0001795000009000-00000-' || $2::text))",
            &[&wei_member, &li_site],
        )
        .unwrap_err())
    .unwrap();
    assert!(refusal.contains("not this login's"), "{refusal}");
    let name_and_clock = |c: &mut postgres::Client| -> (String, Option<String>) {
        let row = c
            .query_one(
                "SELECT data ->> 'name', clocks ->> 'name' FROM salesdesk.rows
                  WHERE tbl = 'customers' AND data ->> 'owner_id' = $1",
                &[&wei_member],
            )
            .unwrap();
        (row.get(0), row.get(1))
    };
    let before = name_and_clock(&mut raw);
    assert_eq!(write(&mut raw, "Wei Co (by Li)", &li_site, 1).unwrap(), 1);
    assert_eq!(name_and_clock(&mut raw), before, "Li's name is not taken");
    let unclocked = why(raw
        .execute(
            "UPDATE salesdesk.rows SET data = jsonb_set(data, '{tier}', '\"X\"')
              WHERE tbl = 'customers' AND data ->> 'name' = 'Wei Co'",
            &[],
        )
        .unwrap_err())
    .unwrap();
    assert!(unclocked.contains("without a new clock"), "{unclocked}");
    // Wei's own clock is taken (and a second one puts the name back).
    assert_eq!(write(&mut raw, "Wei Co, renamed", &wei_site, 1).unwrap(), 1);
    assert_eq!(write(&mut raw, "Wei Co", &wei_site, 2).unwrap(), 1);
    // Nor is a clock put back to an older one in Li's name, the value left as it is.
    let now = name_and_clock(&mut raw);
    raw.execute(
        "UPDATE salesdesk.rows
            SET clocks = clocks || jsonb_build_object('name', '0001795000000001-00000-' || $1::text)
          WHERE tbl = 'customers' AND data ->> 'owner_id' = $2",
        &[&li_site, &wei_member],
    )
    .unwrap();
    assert_eq!(name_and_clock(&mut raw), now);
    let pushed_by = |c: &mut postgres::Client| -> String {
        c.query_one(
            "SELECT pushed_by FROM salesdesk.rows
              WHERE tbl = 'customers' AND data ->> 'name' = 'Wei Co'",
            &[],
        )
        .unwrap()
        .get(0)
    };
    raw.execute(
        "UPDATE salesdesk.rows SET pushed_by = 'li'
          WHERE tbl = 'customers' AND data ->> 'name' = 'Wei Co'",
        &[],
    )
    .unwrap();
    assert_eq!(pushed_by(&mut raw), "wei");
    assert!(
        raw.execute(
            "INSERT INTO salesdesk.sites (site_id, member_id) VALUES ('00000000000000aa', $1)",
            &[&li_member],
        )
        .is_err()
    );
    assert!(
        raw.execute(
            "INSERT INTO salesdesk.member_keys (member_id, public_key)
             VALUES ('someone-else', '\\x00')",
            &[],
        )
        .is_err()
    );
    // Nor manage members, nor read past the grants.
    assert!(
        raw.execute("SELECT salesdesk.add_member('eve', 'admin', 'x')", &[])
            .is_err()
    );
    let err = salesdesk(&wei, "wei-secret")
        .args(["team", "add-member", "eve", "--role", "admin"])
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&err.get_output().stderr).into_owned();
    assert!(err.contains("only an admin"), "{err}");
    let mut manager = server.connect_as("roles", "boss", boss_pw).unwrap();
    assert_eq!(names(&mut manager), ["Li Co", "Wei Co"]);

    // The manager gives Li Co to Wei: Wei's next sync brings it and its deal.
    let wei_member = member_of(&wei, "wei-secret");
    ok(
        &boss,
        boss_pw,
        &["customer", "edit", "Li Co", "--owner", &wei_member],
    );
    ok(&boss, boss_pw, &["sync"]);
    ok(&wei, "wei-secret", &["sync"]);
    let wei_book = ok(&wei, "wei-secret", &["deal", "list"]);
    assert!(wei_book.contains("Li deal"), "{wei_book}");
    // With its history, which Wei's cursor had passed when Li wrote it.
    let history: i64 = Connection::open(&wei)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM stage_changes
              WHERE deal_id = (SELECT id FROM deals WHERE title = 'Li deal')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(history >= 1, "{history}");

    // The policies decide by sets, once per statement (server migration 004); what each
    // rep sees is exactly what the row-by-row rule of version 2 (`rep_may_see`) says,
    // worked out here over every row by a function that runs as the hub's owner.
    server
        .connect_as("roles", "roles", &admin_pw)
        .unwrap()
        .batch_execute(
            "CREATE FUNCTION salesdesk.by_the_old_rule() RETURNS SETOF text
             LANGUAGE sql STABLE SECURITY DEFINER AS $$
                 SELECT tbl || ':' || row_id FROM salesdesk.rows
                  WHERE salesdesk.rep_may_see(tbl, owner_id, customer_id, deal_id, record_id)
                  ORDER BY 1
             $$",
        )
        .unwrap();
    for (login, pw) in [("wei", "wei-secret"), ("li", li_pw.as_str())] {
        let mut c = server.connect_as("roles", login, pw).unwrap();
        let seen: Vec<String> = c
            .query(
                "SELECT tbl || ':' || row_id FROM salesdesk.rows ORDER BY 1",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        let old: Vec<String> = c
            .query("SELECT salesdesk.by_the_old_rule()", &[])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(seen, old, "{login}");
        // Wei now has both customers: every kind of row is among what is compared.
        let tables = if login == "wei" {
            &[
                "contacts",
                "activities",
                "stage_changes",
                "field_values",
                "deals",
            ][..]
        } else {
            &["activities", "deals"][..]
        };
        for table in tables {
            assert!(
                seen.iter().any(|r| r.starts_with(&format!("{table}:"))),
                "{login} sees some {table}: {seen:?}"
            );
        }
    }

    // Li still owns "Li deal", but its customer is Wei's now: she neither reads it nor
    // can take it back (an UPDATE finds no row she may see).
    let mut li_raw = server.connect_as("roles", "li", &li_pw).unwrap();
    assert!(names(&mut li_raw).is_empty());
    let taken = li_raw
        .execute(
            "UPDATE salesdesk.rows SET data = jsonb_set(data, '{owner_id}', to_jsonb($1::text))
              WHERE tbl = 'customers'",
            &[&li_member],
        )
        .unwrap();
    assert_eq!(taken, 0);
    drop(li_raw);
    // Nor does a rep give a row a sequence number of their own: one far ahead would send
    // every client back to the start, as after a restore from a backup.
    let mut raw = server.connect_as("roles", "wei", "wei-secret").unwrap();
    raw.execute(
        "UPDATE salesdesk.rows SET seq = 9000000000000000000
          WHERE tbl = 'customers' AND data ->> 'name' = 'Wei Co'",
        &[],
    )
    .unwrap();
    let (seq, high): (i64, i64) = {
        let row = raw
            .query_one(
                "SELECT max(seq), salesdesk.high_water() FROM salesdesk.rows",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1))
    };
    assert!(seq <= high, "{seq} > {high}");
    drop(raw);

    // A removed member can no longer log in.
    ok(&admin, &admin_pw, &["team", "remove-member", "li"]);
    let err = refused(&li, &li_pw, &["sync"]);
    assert!(err.contains("could not reach the team database"), "{err}");
}

fn a_team_moves_from_its_team_file_to_postgres_with_nothing_lost() {
    let Some((url, pw)) = team_database("moving") else {
        return;
    };
    let env = env(&pw);
    let dir = TempDir::new().unwrap();
    let mut a = replica(dir.path(), 0);
    let mut b = replica(dir.path(), 1);
    let file = dir.path().join("team.salesdesk");
    a.add_customer("Synced before the move");
    let file_link = team::init(&a.store, &file).unwrap();
    team::join(&b.store, &file).unwrap();
    b.add_customer("In the file");
    team::sync(&b.store, &file_link).unwrap();
    // Bob's pending change: not yet in the team file when Ann moves the team.
    b.add_customer("Pending at Bob's");

    let (link, _) = hub::move_to_in(&a.store, &url, &env).unwrap();
    assert!(link.hub().is_some());
    assert_eq!(link.team_id, file_link.team_id);
    // Bob, still on the team file, joins the hub with a login of his own: his member
    // record came through Ann, so the admin binds the login to it.
    let bob_url = url.replace("moving@", "bob@");
    let bob_env = Env {
        password: Some("bob-pw".into()),
        ..Env::default()
    };
    let refused = {
        hub::members::HubAdmin::linked(&a.store, &env)
            .unwrap()
            .add_member("bob", hub::Kind::Rep, "bob-pw", None)
            .unwrap();
        hub::join_in(&b.store, &bob_url, &bob_env).unwrap_err()
    };
    assert!(refused.to_string().contains("another login"), "{refused}");
    hub::members::HubAdmin::linked(&a.store, &env)
        .unwrap()
        .remove_member("bob")
        .unwrap();
    hub::members::HubAdmin::linked(&a.store, &env)
        .unwrap()
        .add_member("bob", hub::Kind::Rep, "bob-pw", Some(b.store.member_id()))
        .unwrap();
    // His pending change goes up.
    let (b_link, report) = hub::join_in(&b.store, &bob_url, &bob_env).unwrap();
    assert_eq!(b_link.team_id, link.team_id);
    // Ann's customer from the file era stays in Bob's database, which the hub does not
    // show his login: the join says so.
    assert_eq!(report.unseen_from_file, 1, "{report:?}");
    hub::sync_in(&a.store, &link, &env).unwrap();
    let names = |r: &Replica| -> Vec<String> {
        let mut stmt = r
            .store
            .conn()
            .prepare("SELECT name FROM customers ORDER BY name")
            .unwrap();
        stmt.query_map([], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(
        names(&a),
        ["In the file", "Pending at Bob's", "Synced before the move"]
    );
    assert_eq!(rows_of(&a.store), rows_of(&b.store));
    // Moving again, or from a hub, is refused.
    assert!(matches!(
        hub::move_to_in(&a.store, &url, &env),
        Err(team::SyncError::AlreadyLinked(_))
    ));
}

fn a_server_killed_mid_sync_leaves_both_sides_consistent_and_the_next_sync_resumes() {
    // A server of its own: this test kills it. With commits durable before they are
    // acknowledged, as a server's are by default: the test servers' `synchronous_commit
    // = off` lets a killed server lose a push it had acknowledged, which the client,
    // told it was stored, does not send again: the server held none of the 3000 rows
    // after the resync, one run in many.
    let Some(mut own) = PgServer::start_with(&["synchronous_commit=on"]) else {
        return;
    };
    let url = own.database("killed", "killed", "pw-killed");
    let env = env("pw-killed");
    let dir = TempDir::new().unwrap();
    let mut a = replica(dir.path(), 0);
    let b = replica(dir.path(), 1);
    let link = hub::init_in(&a.store, &url, &env).unwrap();
    hub::join_in(&b.store, &url, &env).unwrap();
    for i in 0..3000 {
        salesdesk::usecase::customers::add(
            &mut a.store,
            &salesdesk::usecase::customers::NewCustomer::named(&format!("Customer {i}")),
        )
        .unwrap();
    }
    let db = dir.path().join("r0.db");
    let clock = a.clock.clone();
    let sync = std::thread::spawn({
        let link = link.clone();
        let env = env.clone();
        move || {
            let store = Store::open(&db, clock).unwrap();
            hub::sync_in(&store, &link, &env).map(|_| ())
        }
    });
    std::thread::sleep(std::time::Duration::from_millis(150));
    own.kill();
    let first = sync.join().unwrap();
    // Killed while it ran ("lost the connection"), or, on a slow machine, before it
    // connected: either way an offline failure, never half a push.
    if let Err(e) = &first {
        assert!(
            matches!(e, team::SyncError::Hub(h) if h.is_offline()),
            "{e}"
        );
    }
    // Whether the kill came before or after the push committed, the server holds all of
    // it or none of it.
    let count = |s: &PgServer| -> i64 {
        s.connect_as("killed", "killed", "pw-killed")
            .unwrap()
            .query_one(
                "SELECT count(*) FROM salesdesk.rows WHERE tbl = 'customers'",
                &[],
            )
            .unwrap()
            .get(0)
    };
    // Offline: the local copy keeps working, and a sync says the server is unreachable.
    let err = hub::sync_in(&a.store, &link, &env).unwrap_err();
    assert!(
        matches!(&err, team::SyncError::Hub(h) if h.is_offline()),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("could not reach the team database"),
        "{err}"
    );
    own.restart();
    let pushed = count(&own);
    assert!(
        pushed == 0 || pushed == 3000,
        "{pushed} of 3000 ({first:?})"
    );
    hub::sync_in(&a.store, &link, &env).unwrap();
    assert_eq!(count(&own), 3000);
    hub::sync_in(&b.store, &link, &env).unwrap();
    assert_eq!(rows_of(&a.store), rows_of(&b.store));
}

/// Makes a certificate authority and a server certificate for `localhost` in `dir` with
/// the openssl tool; false when it is missing.
fn make_certificates(dir: &Path) -> bool {
    let run = |args: &[&str]| {
        std::process::Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    std::fs::write(
        dir.join("san.cnf"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    let made = run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=Test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ]) && run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    ]) && run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "san.cnf",
        "-out",
        "server.crt",
    ]);
    #[cfg(unix)]
    if made {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.join("server.key"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
    }
    made
}

fn sslmode_verify_full_checks_the_certificate_and_the_host_name() {
    let certs = TempDir::new().unwrap();
    if !make_certificates(certs.path()) {
        eprintln!("skipped: the openssl tool is not installed");
        return;
    }
    let copy = |dir: &Path| {
        for f in ["server.crt", "server.key"] {
            std::fs::copy(certs.path().join(f), dir.join(f)).unwrap();
        }
    };
    let Some(own) = PgServer::start_prepared(
        &[
            "ssl=on",
            "ssl_cert_file=../server.crt",
            "ssl_key_file=../server.key",
        ],
        copy,
    ) else {
        return;
    };
    own.database("tls", "tls", "pw-tls");
    let env = env("pw-tls");
    let ca = certs.path().join("ca.pem");
    let url = |host: &str, mode: &str, root: Option<&Path>| {
        let mut u = format!("postgres://tls@{host}:{}/tls?sslmode={mode}", own.port);
        if let Some(r) = root {
            u.push_str(&format!("&sslrootcert={}", r.display()));
        }
        hub::conninfo::HubUrl::parse(&u, &Env::default()).unwrap()
    };
    // The right authority and the name on the certificate: connected, over TLS.
    let mut client = hub::connect(&url("localhost", "verify-full", Some(&ca)), &env).unwrap();
    let tls: bool = client
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(tls);
    // Another name than the certificate's: refused by verify-full, taken by verify-ca.
    let err = hub::connect(&url("127.0.0.1", "verify-full", Some(&ca)), &env)
        .err()
        .unwrap();
    assert!(err.to_string().contains("could not reach"), "{err}");
    hub::connect(&url("127.0.0.1", "verify-ca", Some(&ca)), &env).unwrap();
    // An authority nobody trusts: refused.
    let err = hub::connect(&url("localhost", "verify-full", None), &env)
        .err()
        .unwrap();
    assert!(err.to_string().contains("could not reach"), "{err}");
    // require encrypts without checking, as libpq does.
    hub::connect(&url("localhost", "require", None), &env).unwrap();
}

fn name_of(store: &Store, id: &str) -> String {
    store
        .conn()
        .query_row("SELECT name FROM customers WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap()
}

fn give(r: &mut Replica, id: &str, owner: &str) {
    r.edit_customer(
        id,
        salesdesk::usecase::customers::Patch {
            owner_id: Some(owner.to_string()),
            ..Default::default()
        },
    );
}

fn rename_customer(r: &mut Replica, id: &str, name: &str) {
    r.edit_customer(
        id,
        salesdesk::usecase::customers::Patch {
            name: Some(name.into()),
            ..Default::default()
        },
    );
}

fn a_reps_edit_the_hub_refuses_is_kept_shown_with_why_and_sent_again_when_the_record_returns() {
    let Some(WeiTeam {
        server,
        password: pw,
        admin_env,
        dir,
        mut admin,
        mut wei,
        link,
        wei_link,
        wei_env,
        id,
        ..
    }) = wei_team("refusals")
    else {
        return;
    };
    hub::sync_in(&wei.store, &wei_link, &wei_env).unwrap();
    hub::sync_in(&admin.store, &link, &admin_env).unwrap();
    // The admin gives Wei Co to someone else; Wei, not yet synced, renames it.
    let admin_member = admin.store.member_id().to_string();
    give(&mut admin, &id, &admin_member);
    hub::sync_in(&admin.store, &link, &admin_env).unwrap();
    rename_customer(&mut wei, &id, "Wei's new name");
    let report = hub::sync_in(&wei.store, &wei_link, &wei_env).unwrap();
    assert_eq!(report.refused_by_hub, 1, "{report:?}");

    // Kept here, on the server untouched, and in the conflicts log with why.
    assert_eq!(name_of(&wei.store, &id), "Wei's new name");
    let mut su = server.connect_as("refusals", "refusals", &pw).unwrap();
    let on_server = |su: &mut postgres::Client| -> (String, i64) {
        let row = su
            .query_one(
                "SELECT data ->> 'name', seq FROM salesdesk.rows
                  WHERE tbl = 'customers' AND row_id = $1",
                &[&id],
            )
            .unwrap();
        (row.get(0), row.get(1))
    };
    let (name, seq) = on_server(&mut su);
    assert_eq!(name, "Wei Co");
    let pending = salesdesk::store::conflicts::conflicts(wei.store.conn(), false).unwrap();
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert_eq!(pending[0].field, "name");
    assert!(pending[0].refused.is_some());
    let wei_db = dir.path().join("r1.db");
    let listed = ok(&wei_db, "wei-pw", &["team", "conflicts"]);
    assert!(
        listed.contains("did not accept") && listed.contains("why:"),
        "{listed}"
    );
    assert!(listed.contains("Wei's new name"), "{listed}");
    let status = ok(&wei_db, "wei-pw", &["team", "status"]);
    assert!(status.contains("Refused"), "{status}");
    // Keeping mine is refused (it is mine already); it is not sent again at every sync.
    let err = salesdesk::usecase::conflicts::resolve(
        &mut wei.store,
        pending[0].id,
        salesdesk::store::conflicts::Keep::Mine,
    )
    .unwrap_err();
    assert!(err.to_string().contains("kept here"), "{err}");
    let report = hub::sync_in(&wei.store, &wei_link, &wei_env).unwrap();
    assert_eq!(report.refused_by_hub, 0, "{report:?}");
    assert_eq!(on_server(&mut su).1, seq);

    // The record comes back to Wei: the edit goes up then, and the entry is settled.
    let wei_member = wei.store.member_id().to_string();
    give(&mut admin, &id, &wei_member);
    hub::sync_in(&admin.store, &link, &admin_env).unwrap();
    let report = hub::sync_in(&wei.store, &wei_link, &wei_env).unwrap();
    assert_eq!(report.refused_by_hub, 0, "{report:?}");
    assert_eq!(on_server(&mut su).0, "Wei's new name");
    assert_eq!(
        salesdesk::store::conflicts::pending_conflicts(wei.store.conn()).unwrap(),
        0
    );
    hub::sync_in(&admin.store, &link, &admin_env).unwrap();
    assert_eq!(name_of(&admin.store, &id), "Wei's new name");
}

fn a_hub_behind_the_client_or_newer_than_it_gives_a_clear_message_and_does_no_damage() {
    let Some((url, pw)) = team_database("skew") else {
        return;
    };
    let server = server().unwrap();
    let env = env(&pw);
    let dir = TempDir::new().unwrap();
    let mut a = replica(dir.path(), 0);
    let b = replica(dir.path(), 1);
    let link = hub::init_in(&a.store, &url, &env).unwrap();
    hub::join_in(&b.store, &url, &env).unwrap();
    a.add_customer("After the backup");
    hub::sync_in(&a.store, &link, &env).unwrap();
    // The hub is restored from a backup made before that customer went up: the row is
    // gone and the sequence is back where it was.
    let mut su = server.connect_as("skew", "skew", &pw).unwrap();
    su.batch_execute(
        "DELETE FROM salesdesk.rows WHERE data ->> 'name' = 'After the backup';
         SELECT setval('salesdesk.change_seq', 1);",
    )
    .unwrap();
    let report = hub::sync_in(&a.store, &link, &env).unwrap();
    assert!(report.hub_rewound, "{report:?}");
    let back: i64 = su
        .query_one(
            "SELECT count(*) FROM salesdesk.rows WHERE data ->> 'name' = 'After the backup'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(back, 1, "the client pushed what the hub lost");
    hub::sync_in(&b.store, &link, &env).unwrap();
    assert_eq!(rows_of(&a.store), rows_of(&b.store));
    // The CLI says what happened.
    su.batch_execute("SELECT setval('salesdesk.change_seq', 1)")
        .unwrap();
    let out = salesdesk(&dir.path().join("r1.db"), &pw)
        .arg("sync")
        .assert()
        .success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("restored from an older backup"), "{err}");

    // A hub made by a newer SalesDesk: refused, nothing changed here.
    su.batch_execute("UPDATE salesdesk.meta SET value = '99' WHERE key = 'schema_version'")
        .unwrap();
    let before = rows_of(&b.store);
    let err = hub::sync_in(&b.store, &link, &env).unwrap_err();
    assert!(err.to_string().contains("newer SalesDesk"), "{err}");
    assert_eq!(rows_of(&b.store), before);
}

fn team_status_lists_logins_and_roles_and_leave_releases_the_login() {
    let Some((url, pw)) = team_database("leaving") else {
        return;
    };
    let server = server().unwrap();
    let dir = TempDir::new().unwrap();
    let admin = dir.path().join("admin.db");
    let wei = dir.path().join("wei.db");
    ok(&admin, &pw, &["team", "init", &url]);
    let pw_file = dir.path().join("wei.pw");
    std::fs::write(&pw_file, "wei-secret\n").unwrap();
    ok(
        &admin,
        &pw,
        &[
            "team",
            "add-member",
            "leaving_wei",
            "--role",
            "rep",
            "--password-file",
            pw_file.to_str().unwrap(),
        ],
    );
    ok(
        &wei,
        "wei-secret",
        &["team", "join", &url.replace("leaving@", "leaving_wei@")],
    );
    ok(&admin, &pw, &["sync"]);
    let status = ok(&admin, &pw, &["team", "status"]);
    assert!(
        status.contains("Logins") && status.contains("leaving_wei (rep: tess)"),
        "{status}"
    );
    assert!(status.contains("leaving (admin"), "{status}");
    let json = salesdesk(&admin, &pw)
        .args(["--json", "team", "status"])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    assert_eq!(json["logins"].as_array().unwrap().len(), 2, "{json}");

    let out = ok(&wei, "wei-secret", &["team", "leave"]);
    assert!(out.contains("no longer counts"), "{out}");
    let status = ok(&admin, &pw, &["team", "status"]);
    assert!(!status.contains("leaving_wei"), "{status}");
    // Nothing holds the login any more: an admin can drop it.
    server
        .superuser()
        .unwrap()
        .batch_execute("DROP ROLE leaving_wei")
        .unwrap();
    // Offline, status still shows what this database knows, and says why it has no logins.
    let closed = salesdesk(&admin, "wrong")
        .args(["team", "status"])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&closed.get_output().stdout).into_owned();
    assert!(out.contains("could not ask the team database"), "{out}");
}

fn a_kept_session_syncs_again_and_again_on_one_connection() {
    let Some((url, pw)) = team_database("kept") else {
        return;
    };
    let server = server().unwrap();
    let env = env(&pw);
    let dir = TempDir::new().unwrap();
    let mut a = replica(dir.path(), 0);
    let b = replica(dir.path(), 1);
    let link = hub::init_in(&a.store, &url, &env).unwrap();
    hub::join_in(&b.store, &url, &env).unwrap();
    // The server's count of connections to the team's database, once it has settled: a
    // backend whose client has gone stays listed for the moment it takes to exit.
    let connections = |expected: i64| -> i64 {
        let mut su = server.superuser().unwrap();
        let mut count = || -> i64 {
            su.query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = 'kept'",
                &[],
            )
            .unwrap()
            .get(0)
        };
        for _ in 0..100 {
            let now = count();
            if now == expected {
                return now;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        count()
    };
    assert_eq!(connections(0), 0, "init's and join's connections closed");
    let mut session = hub::Session::open(&link, &env).unwrap();
    for i in 0..3 {
        a.add_customer(&format!("Kept {i}"));
        session.sync(&a.store, &link).unwrap();
        assert_eq!(connections(1), 1, "one connection, kept");
    }
    let report = hub::sync_in(&b.store, &link, &env).unwrap();
    assert_eq!(report.merged.rows_added, 3, "{report:?}");
    drop(session);
}

/// The hub's migrations as this build has them, for making a hub as an earlier
/// SalesDesk's `team init` left it.
const SERVER_MIGRATIONS: [&str; 5] = [
    include_str!("../src/sync/postgres/migrations/001_team.sql"),
    include_str!("../src/sync/postgres/migrations/002_roles.sql"),
    include_str!("../src/sync/postgres/migrations/003_sync.sql"),
    include_str!("../src/sync/postgres/migrations/004_authorship.sql"),
    include_str!("../src/sync/postgres/migrations/005_one_number_per_write.sql"),
];

/// Makes the database `name` (owned by the login `name`) a team's hub at server schema
/// `version`: its first `version` migrations, run by the owner as `team init` runs them.
/// Returns the owner's connection.
fn hub_at_version(name: &str, password: &str, version: usize) -> postgres::Client {
    let mut su = server().unwrap().connect_as(name, name, password).unwrap();
    let mut tx = su.transaction().unwrap();
    tx.batch_execute("CREATE SCHEMA salesdesk").unwrap();
    for sql in &SERVER_MIGRATIONS[..version] {
        tx.batch_execute(sql).unwrap();
    }
    tx.execute(
        "INSERT INTO salesdesk.meta (key, value)
         VALUES ('team_id', 'team-of-' || $1), ('schema_version', $2)",
        &[&name, &version.to_string()],
    )
    .unwrap();
    tx.commit().unwrap();
    su
}

/// A hub made by the SalesDesk of server schema 3 (its `push` adds the sets after the
/// rows, nothing vouches for authorship, its policies decide row by row): a rep cannot
/// bring it up to date, nor can an admin other than the schema's owner (only the owner
/// may alter its tables and make functions in it), and each is told who can; the
/// owner's SalesDesk does, and the team syncs.
fn a_hub_of_the_previous_server_schema_is_upgraded_by_its_owner_and_others_are_told_so() {
    let Some((url, pw)) = team_database("upgrade") else {
        return;
    };
    let admin_env = env(&pw);
    let dir = TempDir::new().unwrap();
    let admin = replica(dir.path(), 0);
    let mut wei = replica(dir.path(), 1);
    let mut su = hub_at_version("upgrade", &pw, 3);
    su.execute(
        "SELECT salesdesk.add_member('upgrade_wei', 'rep', 'wei-pw', NULL)",
        &[],
    )
    .unwrap();
    let wei_env = env("wei-pw");
    let wei_url = url.replace("upgrade@", "upgrade_wei@");
    wei.add_customer("Waiting");
    let before = rows_of(&wei.store);
    let err = hub::join_in(&wei.store, &wei_url, &wei_env).unwrap_err();
    assert!(err.to_string().contains("owner of its schema"), "{err}");
    assert_eq!(rows_of(&wei.store), before);
    assert!(team::team_link(&wei.store).unwrap().is_none());
    su.execute(
        "SELECT salesdesk.add_member('upgrade_boss', 'admin', 'boss-pw', NULL)",
        &[],
    )
    .unwrap();
    let boss = replica(dir.path(), 2);
    let boss_url = url.replace("upgrade@", "upgrade_boss@");
    let err = hub::join_in(&boss.store, &boss_url, &env("boss-pw")).unwrap_err();
    assert!(err.to_string().contains("owner of its schema"), "{err}");
    let still: String = su
        .query_one(
            "SELECT value FROM salesdesk.meta WHERE key = 'schema_version'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(still, "3");
    let (link, _) = hub::join_in(&admin.store, &url, &admin_env).unwrap();
    let version: String = su
        .query_one(
            "SELECT value FROM salesdesk.meta WHERE key = 'schema_version'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(version, hub::SERVER_SCHEMA_VERSION.to_string());
    hub::join_in(&wei.store, &wei_url, &wei_env).unwrap();
    hub::sync_in(&admin.store, &link, &admin_env).unwrap();
    let names: i64 = admin
        .store
        .conn()
        .query_row(
            "SELECT count(*) FROM customers WHERE name = 'Waiting'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(names, 1);
}

/// A hub of server schema 4, holding rows as its clients pushed them (with signatures,
/// numbered by the column's default and the trigger), is upgraded to 5 by its admin's
/// next connection: the rows keep their numbers (no member pulls everything again), the
/// signatures go, and from then on a row written by hand is numbered anew and pulled.
fn a_hub_of_server_schema_4_keeps_its_rows_and_numbers_and_drops_the_signatures() {
    let Some((url, pw)) = team_database("schema4") else {
        return;
    };
    let admin_env = env(&pw);
    let dir = TempDir::new().unwrap();
    let mut admin = replica(dir.path(), 0);
    let acme = admin.add_customer("ACME");
    admin.add_customer("Globex");
    let mut su = hub_at_version("schema4", &pw, 4);
    // The admin's book, pushed as a SalesDesk of schema 4 pushed it: every row with its
    // signatures (made up here: nobody reads them).
    let (rows, _) =
        salesdesk::store::hub::rows_to_push(admin.store.conn(), None, admin.store.site_id(), &[])
            .unwrap();
    let sets = salesdesk::store::hub::sets(admin.store.conn()).unwrap();
    let tables: Vec<&str> = rows.iter().map(|r| r.table).collect();
    let ids: Vec<&str> = rows.iter().map(|r| r.row_id.as_str()).collect();
    let json =
        |m: &serde_json::Map<String, serde_json::Value>| serde_json::Value::Object(m.clone());
    let data: Vec<serde_json::Value> = rows.iter().map(|r| json(&r.data)).collect();
    let clocks: Vec<serde_json::Value> = rows.iter().map(|r| json(&r.clocks)).collect();
    let bases: Vec<serde_json::Value> = rows.iter().map(|r| json(&r.bases)).collect();
    let sigs: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| serde_json::json!({ "*": [r.clocks.get("*"), "ab".repeat(32), "cd".repeat(64)] }))
        .collect();
    let (sites, members): (Vec<&str>, Vec<&str>) = sets
        .sites
        .iter()
        .map(|(s, m)| (s.as_str(), m.as_str()))
        .unzip();
    let none: Vec<&str> = Vec::new();
    let no_blobs: Vec<&[u8]> = Vec::new();
    let pushed = su
        .query_one(
            "SELECT refused FROM salesdesk.push(0, true, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
                                                 $9, $10)",
            &[
                &tables, &ids, &data, &clocks, &bases, &sigs, &sites, &members, &none, &no_blobs,
            ],
        )
        .unwrap();
    assert!(pushed.get::<_, Vec<i32>>(0).is_empty());
    let numbers = |su: &mut postgres::Client| -> Vec<(String, String, i64)> {
        su.query(
            "SELECT tbl, row_id, seq FROM salesdesk.rows ORDER BY tbl, row_id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
    };
    let before = numbers(&mut su);
    assert_eq!(before.len(), rows.len());

    // A member joins through the admin's login: the hub is brought up to date first.
    let joiner = replica(dir.path(), 1);
    let (link, report) = hub::join_in(&joiner.store, &url, &admin_env).unwrap();
    assert_eq!(report.merged.quarantined, 0, "{report:?}");
    assert_eq!(name_of(&joiner.store, &acme), "ACME");
    let schema = su
        .query_one(
            "SELECT (SELECT value FROM salesdesk.meta WHERE key = 'schema_version'),
                    (SELECT count(*) FROM information_schema.columns
                      WHERE table_schema = 'salesdesk' AND table_name = 'rows'
                        AND column_name = 'sigs'),
                    (SELECT column_default FROM information_schema.columns
                      WHERE table_schema = 'salesdesk' AND table_name = 'rows'
                        AND column_name = 'seq')",
            &[],
        )
        .unwrap();
    assert_eq!(schema.get::<_, String>(0), "5");
    assert_eq!(schema.get::<_, i64>(1), 0, "the signatures are gone");
    assert_eq!(
        schema.get::<_, Option<String>>(2),
        None,
        "seq has no default"
    );
    // The functions made by versions 2 to 4 look in the temporary schema last too.
    let unsafe_path: i64 = su
        .query_one(
            "SELECT count(*) FROM pg_catalog.pg_proc p
              WHERE p.prosecdef AND p.pronamespace = 'salesdesk'::regnamespace
                AND NOT coalesce(p.proconfig, '{}')
                        @> ARRAY['search_path=pg_catalog, pg_temp']",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(unsafe_path, 0);
    // A member record made before version 5 takes its last pusher as its maker, which
    // `claim_member` asks for.
    let maker: Option<String> = su
        .query_one(
            "SELECT made_by FROM salesdesk.rows WHERE tbl = 'members' AND row_id = $1",
            &[&admin.store.member_id()],
        )
        .unwrap()
        .get(0);
    assert_eq!(maker.as_deref(), Some("schema4"));
    // What was there keeps its number, so no member pulls it all again: the customers
    // (the default pipeline's rows, which every new database writes under fixed ids, the
    // joiner wrote again, and those are numbered anew).
    let after = numbers(&mut su);
    let customers: Vec<_> = before.iter().filter(|r| r.0 == "customers").collect();
    assert_eq!(customers.len(), 2);
    for row in customers {
        assert!(after.contains(row), "{row:?} kept its number");
    }
    // So does the admin's member record, its maker filled in.
    let record = before
        .iter()
        .find(|r| r.0 == "members" && r.1 == admin.store.member_id())
        .unwrap();
    assert!(after.contains(record), "{record:?} kept its number");

    // The admin mends a name by hand, with a later clock for it and no number.
    mend_by_hand(&mut su, &acme, "ACME (mended)");
    hub::sync_in(&joiner.store, &link, &admin_env).unwrap();
    assert_eq!(name_of(&joiner.store, &acme), "ACME (mended)");
}

/// As an admin mends a customer's name in psql: a new value with a later clock for the
/// field (the row's own clock with the highest counter, so the same author), and no
/// sequence number.
fn mend_by_hand(su: &mut impl postgres::GenericClient, id: &str, name: &str) {
    let changed = su
        .execute(
            "UPDATE salesdesk.rows
                SET data = jsonb_set(data, '{name}', to_jsonb($2::text)),
                    clocks = jsonb_set(clocks, '{name}',
                                       to_jsonb(overlay(clocks ->> '*' placing '99999'
                                                        from 18 for 5)))
              WHERE tbl = 'customers' AND row_id = $1",
            &[&id, &name],
        )
        .unwrap();
    assert_eq!(changed, 1);
}

/// A value mended by hand in psql (an admin's UPDATE that leaves `seq` alone) takes a
/// new sequence number from the hub, under the hub's write lock like a push, so every
/// member's next sync pulls it, though their cursors are past the row's old number.
fn a_row_mended_by_hand_reaches_every_member_at_their_next_sync() {
    let Some((url, pw)) = team_database("mended") else {
        return;
    };
    let env = env(&pw);
    let dir = TempDir::new().unwrap();
    let mut a = replica(dir.path(), 0);
    let id = a.add_customer("Initech");
    let b = replica(dir.path(), 1);
    let link = hub::init_in(&a.store, &url, &env).unwrap();
    hub::join_in(&b.store, &url, &env).unwrap();
    hub::sync_in(&a.store, &link, &env).unwrap();
    assert_eq!(name_of(&b.store, &id), "Initech");
    let cursor = salesdesk::store::hub::cursor(b.store.conn()).unwrap();

    let mut su = server()
        .unwrap()
        .connect_as("mended", "mended", &pw)
        .unwrap();
    let mut tx = su.transaction().unwrap();
    mend_by_hand(&mut tx, &id, "Initech (mended)");
    let row = tx
        .query_one(
            "SELECT seq,
                    EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
                              AND pid = pg_backend_pid())
               FROM salesdesk.rows WHERE tbl = 'customers' AND row_id = $1",
            &[&id],
        )
        .unwrap();
    let (seq, locked): (i64, bool) = (row.get(0), row.get(1));
    assert!(
        seq > cursor,
        "the mended row is numbered past the members' cursors"
    );
    assert!(
        locked,
        "a hand-made write holds the hub's write lock until it ends"
    );
    tx.commit().unwrap();

    hub::sync_in(&b.store, &link, &env).unwrap();
    assert_eq!(name_of(&b.store, &id), "Initech (mended)");
    hub::sync_in(&a.store, &link, &env).unwrap();
    assert_eq!(name_of(&a.store, &id), "Initech (mended)");
}

/// Each row a push writes, new or updated, is written with a new sequence number of its
/// own, the newest written the newest number. Numbers are drawn only for what is
/// written: at most one more for each row (the proposed insert of an upsert of a row the
/// hub has, which PostgreSQL throws away), none by `push` itself nor for the set
/// entries the hub already has.
fn every_row_a_push_writes_takes_a_new_sequence_number_of_its_own() {
    let Some((url, pw)) = team_database("numbered") else {
        return;
    };
    let env = env(&pw);
    let dir = TempDir::new().unwrap();
    let mut a = replica(dir.path(), 0);
    let old: Vec<String> = (0..4)
        .map(|i| a.add_customer(&format!("Old {i}")))
        .collect();
    let b = replica(dir.path(), 1);
    let link = hub::init_in(&a.store, &url, &env).unwrap();
    hub::join_in(&b.store, &url, &env).unwrap();
    hub::sync_in(&a.store, &link, &env).unwrap();
    let mut su = server()
        .unwrap()
        .connect_as("numbered", "numbered", &pw)
        .unwrap();
    let last_value = |su: &mut postgres::Client| -> i64 {
        su.query_one("SELECT last_value FROM salesdesk.change_seq", &[])
            .unwrap()
            .get(0)
    };
    let before = last_value(&mut su);
    for (i, id) in old.iter().take(2).enumerate() {
        rename_customer(&mut a, id, &format!("Renamed {i}"));
    }
    for i in 0..3 {
        a.add_customer(&format!("New {i}"));
    }
    hub::sync_in(&a.store, &link, &env).unwrap();
    let moved = last_value(&mut su) - before;
    let written = su
        .query_one(
            "SELECT count(*), count(DISTINCT seq), min(seq), max(seq)
               FROM salesdesk.rows WHERE seq > $1",
            &[&before],
        )
        .unwrap();
    let (rows, numbers): (i64, i64) = (written.get(0), written.get(1));
    assert!(
        rows >= 5,
        "two updated customers and three new: {rows} rows written"
    );
    assert_eq!(numbers, rows, "each row written has a number of its own");
    assert!(
        moved >= rows && moved <= 2 * rows,
        "{moved} numbers drawn for {rows} rows written"
    );
    assert_eq!(
        written.get::<_, i64>(3),
        before + moved,
        "the last drawn is written"
    );
    assert!(written.get::<_, i64>(2) > before);
}

/// A refused login is not "offline": the TUI says so instead of waiting for the server to
/// come back. Told apart by the server's SQLSTATE, not the wording, which is translated.
fn a_refused_login_is_not_offline_but_an_unreachable_server_is() {
    let Some((url, pw)) = team_database("login") else {
        return;
    };
    let parsed =
        |url: &str, password: &str| hub::conninfo::HubUrl::parse(url, &env(password)).unwrap();
    for lang in [Lang::En, Lang::ZhCn] {
        salesdesk::i18n::use_in_thread(lang);
        let Err(wrong) = hub::connect(&parsed(&url, "wrong"), &env("wrong")) else {
            panic!("a wrong password logs in");
        };
        assert!(!wrong.is_offline(), "{wrong}");
    }
    salesdesk::i18n::use_in_thread(Lang::En);
    assert!(hub::connect(&parsed(&url, &pw), &env(&pw)).is_ok());
    let closed = url.replace(&format!(":{}/", server().unwrap().port), ":1/");
    let Err(unreachable) = hub::connect(&parsed(&closed, &pw), &env(&pw)) else {
        panic!("port 1 answers");
    };
    assert!(unreachable.is_offline(), "{unreachable}");
}

/// The TUI's Members section (`S`) against a real hub: the admin adds a rep (a password
/// made and shown once), makes them a manager, and removes them, each through the same
/// use case as the CLI on the members worker's connection; a raw connection to the
/// server confirms each step.
fn an_admin_adds_changes_and_removes_a_member_in_the_tui() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use salesdesk::tui::app::App;
    use salesdesk::tui::members_worker::MembersWorker;
    use salesdesk::tui::modals::Modal;

    let Some((url, pw)) = team_database("tuiteam") else {
        return;
    };
    let server = server().unwrap();
    let dir = TempDir::new().unwrap();
    let mut admin = replica(dir.path(), 0);
    salesdesk::usecase::customers::add(
        &mut admin.store,
        &salesdesk::usecase::customers::NewCustomer::named("Acme"),
    )
    .unwrap();
    let link = hub::init_in(&admin.store, &url, &env(&pw)).unwrap();
    let settings = salesdesk::config::Settings {
        language: Some(Lang::En),
        ..Default::default()
    };
    let zone = salesdesk::domain::time::Zone::Named(chrono_tz::UTC);
    let mut app = App::new(admin.store, settings, zone, (120, 35)).unwrap();
    app.attach_members(MembersWorker::start(link, env(&pw)));

    let press = |app: &mut App, code: KeyCode| {
        let mods = match code {
            KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
            _ => KeyModifiers::NONE,
        };
        app.handle_key(&KeyEvent::new(code, mods));
    };
    let wait = |app: &mut App| {
        for _ in 0..2_000 {
            if !app.exchange_members() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("the team's server did not answer in 20 s");
    };
    let select = |app: &mut App, id: &str| {
        let Some(Modal::Settings(s)) = &mut app.modal else {
            panic!("the settings are not open: {:?}", app.modal);
        };
        s.selected = s
            .rows
            .iter()
            .position(|r| r.id() == id)
            .unwrap_or_else(|| panic!("no line {id}: {:?}", s.rows));
    };
    // A raw connection as the server's superuser, to the team's database.
    let superuser = || {
        server
            .connect_as("tuiteam", pg::SUPERUSER, pg::SUPERPASS)
            .unwrap()
    };
    let role_on_server = || -> Option<String> {
        superuser()
            .query_opt(
                "SELECT kind FROM salesdesk.team_members WHERE login = 'tui_wei'",
                &[],
            )
            .unwrap()
            .map(|r| r.get(0))
    };

    press(&mut app, KeyCode::Char('S'));
    wait(&mut app);
    let Some(m) = &app.members else {
        panic!("members attached")
    };
    let roster = m.roster.clone().expect("the list arrived");
    assert_eq!(roster.me(), Some("tuiteam"));
    assert_eq!(roster.my_role(), Some(hub::Kind::Admin));

    // Add: a login and no password file, so a password is made and shown once.
    select(&mut app, "members:");
    press(&mut app, KeyCode::Char('a'));
    assert!(matches!(app.modal, Some(Modal::Form(_))), "{:?}", app.modal);
    for c in "tui_wei".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    assert!(
        matches!(app.modal, Some(Modal::Settings(_))),
        "{:?}",
        app.modal
    );
    wait(&mut app);
    let added = app.members.as_ref().unwrap().added.clone().expect("added");
    let password = added.password.clone().expect("a made password");
    assert!(added.join_url.contains("tui_wei@"), "{}", added.join_url);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 35)).unwrap();
    terminal
        .draw(|f| salesdesk::tui::views::render(&app, f))
        .unwrap();
    let shown = terminal.backend().to_string();
    assert!(shown.contains(&password), "the password is shown: {shown}");
    assert_eq!(role_on_server().as_deref(), Some("rep"));
    let mut wei = server.connect_as("tuiteam", "tui_wei", &password).unwrap();
    let kind: Option<String> = wei
        .query_one("SELECT salesdesk.my_kind()", &[])
        .unwrap()
        .get(0);
    assert_eq!(kind.as_deref(), Some("rep"));
    drop(wei);
    // The password is nowhere in the book or beside it.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(
            !bytes
                .windows(password.len())
                .any(|w| w == password.as_bytes()),
            "the password was written to disk"
        );
    }

    // Change the role: e on the member, 2 (manager) in the list.
    select(&mut app, "members:tui_wei");
    press(&mut app, KeyCode::Char('e'));
    assert!(
        matches!(app.modal, Some(Modal::Picker(_))),
        "{:?}",
        app.modal
    );
    press(&mut app, KeyCode::Char('2'));
    wait(&mut app);
    assert_eq!(role_on_server().as_deref(), Some("manager"));
    let message = app.message.clone().unwrap();
    assert!(
        !message.error && message.text.contains("tui_wei is now a manager"),
        "{message:?}"
    );
    let mut wei = server.connect_as("tuiteam", "tui_wei", &password).unwrap();
    let kind: Option<String> = wei
        .query_one("SELECT salesdesk.my_kind()", &[])
        .unwrap()
        .get(0);
    assert_eq!(kind.as_deref(), Some("manager"));
    drop(wei);

    // Remove: D asks first; n keeps them, y removes them.
    select(&mut app, "members:tui_wei");
    press(&mut app, KeyCode::Char('D'));
    assert!(
        matches!(app.modal, Some(Modal::Confirm(_))),
        "{:?}",
        app.modal
    );
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(role_on_server().as_deref(), Some("manager"));
    // Back in the settings, on the same member.
    match &app.modal {
        Some(Modal::Settings(s)) => assert_eq!(
            s.rows
                .get(s.selected)
                .map(|r| r.id().to_string())
                .as_deref(),
            Some("members:tui_wei")
        ),
        other => panic!("the settings again, not {other:?}"),
    }
    press(&mut app, KeyCode::Char('D'));
    press(&mut app, KeyCode::Char('y'));
    wait(&mut app);
    assert_eq!(role_on_server(), None);
    let can_login: bool = superuser()
        .query_one(
            "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'tui_wei'",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(!can_login, "a removed member can no longer log in");
    assert!(server.connect_as("tuiteam", "tui_wei", &password).is_err());
    let roster = app.members.as_ref().unwrap().roster.clone().unwrap();
    assert!(roster.logins.iter().all(|l| l.login != "tui_wei"));

    // A second add of a bad name is refused at the field, and the server is not asked.
    select(&mut app, "members:");
    press(&mut app, KeyCode::Char('a'));
    for c in "two words".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    let Some(Modal::Form(form)) = &app.modal else {
        panic!("the form stays open: {:?}", app.modal);
    };
    assert!(form.fields[0].error.is_some(), "{form:?}");
    assert!(!app.exchange_members(), "nothing was sent");
}

/// Removing a member leaves their login on the server; adding them again keeps its
/// password, so none is shown as theirs that would not let them in.
fn a_member_added_again_keeps_the_login_and_its_password() {
    let Some((url, pw)) = team_database("again") else {
        return;
    };
    let dir = TempDir::new().unwrap();
    let admin = dir.path().join("admin.db");
    ok(&admin, &pw, &["team", "init", &url]);
    let first = ok(
        &admin,
        &pw,
        &["team", "add-member", "again_ana", "--role", "rep"],
    );
    assert!(first.contains("Their password:"), "{first}");
    assert!(!first.contains("keeps its password"), "{first}");
    ok(&admin, &pw, &["team", "remove-member", "again_ana"]);
    let again = ok(
        &admin,
        &pw,
        &["team", "add-member", "again_ana", "--role", "rep"],
    );
    assert!(!again.contains("Their password:"), "{again}");
    assert!(again.contains("keeps its password"), "{again}");
}

/// A hub database that now holds another team (made again, or restored from another
/// team's backup) is not managed: no member is added, re-roled or removed there.
fn members_are_not_managed_on_a_hub_that_holds_another_team() {
    let Some((url, pw)) = team_database("swapped") else {
        return;
    };
    let dir = TempDir::new().unwrap();
    let admin = dir.path().join("admin.db");
    ok(&admin, &pw, &["team", "init", &url]);
    let parsed = hub::conninfo::HubUrl::parse(&url, &env(&pw)).unwrap();
    let Ok(mut raw) = hub::connect(&parsed, &env(&pw)) else {
        panic!("the owner logs in");
    };
    raw.batch_execute(
        "UPDATE salesdesk.meta SET value = 'someone-elses-team' WHERE key = 'team_id'",
    )
    .unwrap();
    for args in [
        &["team", "add-member", "swapped_x", "--role", "rep"][..],
        &["team", "role", "swapped_x", "manager"],
        &["team", "remove-member", "swapped_x"],
    ] {
        let err = refused(&admin, &pw, args);
        assert!(err.contains("belongs to another team"), "{args:?}: {err}");
    }
    let made: bool = raw
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'swapped_x')",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(!made, "no login was made");
}

/// What a member pulls from the hub is taken on the hub's word for who wrote it (it
/// refuses a false author when the write arrives, tested above): nothing is signed for a
/// hub, and a member whose database holds signatures from the team-file era does not
/// send them (server migration 005: the hub keeps none). A joiner takes the row whole,
/// nothing quarantined, and keeps no signature for it. A team file's reader still
/// verifies them (tests/sync.rs).
fn a_member_takes_the_hubs_word_for_who_wrote_what() {
    let Some(WeiTeam {
        server,
        url,
        password: pw,
        admin_env,
        dir,
        wei,
        wei_link,
        wei_env,
        id,
        ..
    }) = wei_team("vouched")
    else {
        return;
    };
    salesdesk::store::signing::sign_own(&wei.store, &wei_link.team_id).unwrap();
    let signed: i64 = wei
        .store
        .conn()
        .query_row(
            "SELECT count(*) FROM signatures WHERE row_id = ?1",
            [&id],
            |r| r.get(0),
        )
        .unwrap();
    assert!(signed > 0, "Wei's database holds signatures of the row");
    hub::sync_in(&wei.store, &wei_link, &wei_env).unwrap();
    let mut su = server.connect_as("vouched", "vouched", &pw).unwrap();
    let on_hub = su
        .query_one(
            "SELECT r::text FROM salesdesk.rows r WHERE tbl = 'customers' AND row_id = $1",
            &[&id],
        )
        .unwrap()
        .get::<_, String>(0);
    assert!(on_hub.contains("Wei Co"), "{on_hub}");
    let sig_columns: i64 = su
        .query_one(
            "SELECT count(*) FROM information_schema.columns
              WHERE table_schema = 'salesdesk' AND table_name = 'rows' AND column_name = 'sigs'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(sig_columns, 0, "the hub keeps no signatures: {on_hub}");
    let joiner = replica(dir.path(), 2);
    let (_, report) = hub::join_in(&joiner.store, &url, &admin_env).unwrap();
    assert_eq!(report.merged.quarantined, 0, "{report:?}");
    assert_eq!(name_of(&joiner.store, &id), "Wei Co");
    // No signature is kept for what was not verified.
    let kept: i64 = joiner
        .store
        .conn()
        .query_row(
            "SELECT count(*) FROM signatures WHERE row_id = ?1",
            [&id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 0);
}

/// A hub restored from a backup made before two members each edited a field of one
/// record, and merged each other's edit: each pushes its own edits again, and the row
/// each brings carries the other's later value, which the hub does not take from them
/// (it is the other's to bring). Both edits still reach the hub, neither is refused,
/// and a teammate gets both.
fn two_members_edits_of_one_record_both_return_to_a_hub_restored_from_a_backup() {
    let Some(WeiTeam {
        server,
        password: pw,
        admin_env,
        dir,
        admin,
        mut wei,
        link,
        wei_link,
        wei_env,
        id,
        url,
    }) = wei_team("restored")
    else {
        return;
    };
    let mut boss = replica(dir.path(), 2);
    hub::members::HubAdmin::linked(&admin.store, &admin_env)
        .unwrap()
        .add_member("restored_boss", hub::Kind::Manager, "boss-pw", None)
        .unwrap();
    let boss_env = env("boss-pw");
    let boss_url = url.replace("restored@", "restored_boss@");
    let (boss_link, _) = hub::join_in(&boss.store, &boss_url, &boss_env).unwrap();
    hub::sync_in(&wei.store, &wei_link, &wei_env).unwrap();
    hub::sync_in(&boss.store, &boss_link, &boss_env).unwrap();
    let mut su = server.connect_as("restored", "restored", &pw).unwrap();
    let backup = su
        .query_one(
            "SELECT data, clocks, bases, seq, (SELECT last_value FROM salesdesk.change_seq)
               FROM salesdesk.rows WHERE tbl = 'customers' AND row_id = $1",
            &[&id],
        )
        .unwrap();
    let (data, clocks, bases): (serde_json::Value, serde_json::Value, serde_json::Value) =
        (backup.get(0), backup.get(1), backup.get(2));
    let (row_seq, seq): (i64, i64) = (backup.get(3), backup.get(4));
    // The backup is older than the members' edits: the admin added customers since,
    // which the restore loses too. (A member notices a restore when its cursor is past
    // the hub's newest number as it syncs; the more the backup lacks, the longer that
    // stays so while teammates push their lost edits again. The admin, who syncs last
    // here, no longer notices, and the customers it added stay lost: a limit of how
    // restores are noticed, not of what this test is about.)
    let mut admin = admin;
    let lost = [admin.add_customer("Lost 1"), admin.add_customer("Lost 2")];
    hub::sync_in(&admin.store, &link, &admin_env).unwrap();
    hub::sync_in(&wei.store, &wei_link, &wei_env).unwrap();
    hub::sync_in(&boss.store, &boss_link, &boss_env).unwrap();

    // Wei renames it; the manager, having seen that, sets its industry; Wei sees that.
    rename_customer(&mut wei, &id, "Wei Co renamed");
    hub::sync_in(&wei.store, &wei_link, &wei_env).unwrap();
    hub::sync_in(&boss.store, &boss_link, &boss_env).unwrap();
    boss.clock.advance(4000);
    boss.edit_customer(
        &id,
        salesdesk::usecase::customers::Patch {
            industry: Some(Some("Shipping".into())),
            ..Default::default()
        },
    );
    hub::sync_in(&boss.store, &boss_link, &boss_env).unwrap();
    hub::sync_in(&wei.store, &wei_link, &wei_env).unwrap();

    // The hub goes back to the backup: the row as it was, its number included, written
    // as a restore writes it, without the hub's triggers (which would number it anew).
    let mut restore = su.transaction().unwrap();
    restore
        .batch_execute("ALTER TABLE salesdesk.rows DISABLE TRIGGER vouch")
        .unwrap();
    restore
        .execute(
            "UPDATE salesdesk.rows SET data = $2, clocks = $3, bases = $4, seq = $5
              WHERE tbl = 'customers' AND row_id = $1",
            &[&id, &data, &clocks, &bases, &row_seq],
        )
        .unwrap();
    restore
        .batch_execute("ALTER TABLE salesdesk.rows ENABLE TRIGGER vouch")
        .unwrap();
    restore
        .execute(
            "DELETE FROM salesdesk.rows WHERE tbl = 'customers' AND row_id = ANY($1)",
            &[&lost.to_vec()],
        )
        .unwrap();
    restore
        .execute("SELECT setval('salesdesk.change_seq', $1)", &[&seq])
        .unwrap();
    restore.commit().unwrap();

    for (store, link, env) in [
        (&wei.store, &wei_link, &wei_env),
        (&boss.store, &boss_link, &boss_env),
    ] {
        let report = hub::sync_in(store, link, env).unwrap();
        assert!(report.hub_rewound, "{report:?}");
        assert_eq!(report.refused_by_hub, 0, "{report:?}");
    }
    let on_hub = su
        .query_one(
            "SELECT data ->> 'name', data ->> 'industry' FROM salesdesk.rows
              WHERE tbl = 'customers' AND row_id = $1",
            &[&id],
        )
        .unwrap();
    assert_eq!(
        (on_hub.get::<_, String>(0), on_hub.get::<_, String>(1)),
        ("Wei Co renamed".to_string(), "Shipping".to_string())
    );
    hub::sync_in(&admin.store, &link, &admin_env).unwrap();
    assert_eq!(name_of(&admin.store, &id), "Wei Co renamed");
    // The manager still holds the customers the hub lost, which Wei, a rep, never saw.
    let boss_rows: Vec<String> = rows_of(&boss.store)
        .into_iter()
        .filter(|r| !r.contains("Lost "))
        .collect();
    assert_eq!(rows_of(&wei.store), boss_rows);
}

/// A copy of a member's database (restored from a backup, or copied to another machine)
/// takes a site id of its own; its first sync tells the hub that site is the member's,
/// so the copy's edits are taken as theirs, not left out as someone else's.
fn a_copy_of_a_members_database_syncs_its_edits_as_theirs() {
    let Some(WeiTeam {
        server,
        password: pw,
        dir,
        wei,
        wei_link,
        wei_env,
        id,
        ..
    }) = wei_team("copied")
    else {
        return;
    };
    hub::sync_in(&wei.store, &wei_link, &wei_env).unwrap();
    let original_site = wei.store.site_id().to_string();
    drop(wei);
    let copy_path = dir.path().join("copy.db");
    std::fs::copy(dir.path().join("r1.db"), &copy_path).unwrap();
    let clock = Arc::new(TestClock(Mutex::new(T0 + 60_000)));
    let mut copy = Replica {
        store: Store::open(&copy_path, clock.clone()).unwrap(),
        clock,
    };
    assert_ne!(
        copy.store.site_id(),
        original_site,
        "the copy is a site of its own"
    );
    rename_customer(&mut copy, &id, "Wei Co, from the copy");
    let report = hub::sync_in(&copy.store, &wei_link, &wei_env).unwrap();
    assert_eq!(report.refused_by_hub, 0, "{report:?}");
    let name: String = server
        .connect_as("copied", "copied", &pw)
        .unwrap()
        .query_one(
            "SELECT data ->> 'name' FROM salesdesk.rows WHERE tbl = 'customers' AND row_id = $1",
            &[&id],
        )
        .unwrap()
        .get(0);
    assert_eq!(name, "Wei Co, from the copy");
}

/// A rep in psql makes temporary tables named as the catalogs that the hub's SECURITY
/// DEFINER functions read (PostgreSQL looks in the session's temporary schema first for
/// a table named without its schema) and claims the schema's owner is them: they stay a
/// rep. They still cannot read the admin's customer, nor add a member, nor are listed
/// as an admin.
fn a_rep_cannot_pass_for_an_admin_by_shadowing_the_catalogs() {
    let Some(WeiTeam {
        server,
        mut admin,
        admin_env,
        link,
        wei_link,
        wei_env,
        wei,
        dir: _dir,
        ..
    }) = wei_team("shadow")
    else {
        return;
    };
    let theirs = admin.add_customer("Admin Co");
    hub::sync_in(&admin.store, &link, &admin_env).unwrap();
    hub::sync_in(&wei.store, &wei_link, &wei_env).unwrap();
    let mut rep = server.connect_as("shadow", "shadow_wei", "wei-pw").unwrap();
    rep.batch_execute(
        "CREATE TEMP TABLE pg_namespace (nspname name, nspowner oid);
         INSERT INTO pg_namespace
              SELECT 'salesdesk', oid FROM pg_catalog.pg_roles WHERE rolname = session_user;
         CREATE TEMP TABLE pg_roles (rolname name);
         GRANT SELECT ON pg_temp.pg_namespace, pg_temp.pg_roles TO PUBLIC;",
    )
    .unwrap();
    let kind: Option<String> = rep
        .query_one("SELECT salesdesk.my_kind()", &[])
        .unwrap()
        .get(0);
    assert_eq!(kind.as_deref(), Some("rep"));
    let seen: i64 = rep
        .query_one(
            "SELECT count(*) FROM salesdesk.rows WHERE tbl = 'customers' AND row_id = $1",
            &[&theirs],
        )
        .unwrap()
        .get(0);
    assert_eq!(seen, 0, "a rep reads another member's customer");
    let err = rep
        .execute(
            "SELECT salesdesk.add_member('shadow_boss', 'admin', 'boss-pw', NULL)",
            &[],
        )
        .unwrap_err();
    assert!(
        format!("{err:?}").contains("only an admin"),
        "a rep adds a member: {err:?}"
    );
    let admins: Vec<String> = rep
        .query(
            "SELECT login FROM salesdesk.members() WHERE kind = 'admin'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(admins, ["shadow"]);
    let made: i64 = server
        .superuser()
        .unwrap()
        .query_one(
            "SELECT count(*) FROM pg_roles WHERE rolname = 'shadow_boss'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(made, 0);
    // Not only those: every function of the schema that runs as its owner.
    let unsafe_path: Vec<String> = rep
        .query(
            "SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p
              WHERE p.prosecdef AND p.pronamespace = 'salesdesk'::regnamespace
                AND NOT coalesce(p.proconfig, '{}')
                        @> ARRAY['search_path=pg_catalog, pg_temp']",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(unsafe_path.is_empty(), "{unsafe_path:?}");
}

/// A clock of `site` at `millis`, written as clients write clocks.
fn clock_at(millis: i64, site: &str) -> String {
    format!("{millis:016}-00000-{site}")
}

/// Whether `err` is the hub refusing a row as not the login's to write.
fn is_refusal(err: &postgres::Error) -> bool {
    err.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)
}

/// How many `tbl` rows with the id `id` the connection `c` sees.
fn seen_by(c: &mut postgres::Client, tbl: &str, id: &str) -> i64 {
    c.query_one(
        "SELECT count(*) FROM salesdesk.rows WHERE tbl = $1 AND row_id = $2",
        &[&tbl, &id],
    )
    .unwrap()
    .get(0)
}

/// A rep cannot take over a teammate who left (or was removed, or has not claimed their
/// id yet) by editing the teammate's shared member record with a later clock of their
/// own, which made the rep its last pusher: only the login that made a member's record
/// may claim that member, and the rep still cannot read the teammate's customer.
fn a_rep_cannot_claim_a_teammate_by_editing_their_member_record() {
    let Some(WeiTeam {
        server,
        url,
        admin,
        admin_env,
        wei_link,
        wei_env,
        wei,
        dir,
        ..
    }) = wei_team("takeover")
    else {
        return;
    };
    hub::members::HubAdmin::linked(&admin.store, &admin_env)
        .unwrap()
        .add_member("takeover_bob", hub::Kind::Rep, "bob-pw", None)
        .unwrap();
    let mut bob = replica(dir.path(), 2);
    let bob_env = env("bob-pw");
    let (bob_link, _) = hub::join_in(
        &bob.store,
        &url.replace("takeover@", "takeover_bob@"),
        &bob_env,
    )
    .unwrap();
    let theirs = bob.add_customer("Bob Co");
    hub::sync_in(&bob.store, &bob_link, &bob_env).unwrap();
    hub::sync_in(&wei.store, &wei_link, &wei_env).unwrap();
    let bob_member = bob.store.member_id().to_string();
    server
        .connect_as("takeover", "takeover_bob", "bob-pw")
        .unwrap()
        .execute("SELECT salesdesk.leave($1)", &[&bob_member])
        .unwrap();

    let mut rep = server
        .connect_as("takeover", "takeover_wei", "wei-pw")
        .unwrap();
    let edited = rep
        .execute(
            "UPDATE salesdesk.rows
                SET data = data || jsonb_build_object('note', 'mine now'),
                    clocks = clocks || jsonb_build_object('note', $2::text)
              WHERE tbl = 'members' AND row_id = $1",
            &[&bob_member, &clock_at(T0 + 3_600_000, wei.store.site_id())],
        )
        .unwrap();
    assert_eq!(
        edited, 1,
        "a member record is shared, and this edit is Wei's own"
    );
    let claim = |c: &mut postgres::Client| {
        let err = c
            .execute("SELECT salesdesk.claim_member($1)", &[&bob_member])
            .unwrap_err();
        assert!(format!("{err:?}").contains("another login"), "{err:?}");
    };
    claim(&mut rep);
    // Nor is the record's maker anyone's to change.
    rep.execute(
        "UPDATE salesdesk.rows SET made_by = session_user
          WHERE tbl = 'members' AND row_id = $1",
        &[&bob_member],
    )
    .unwrap();
    claim(&mut rep);
    assert_eq!(seen_by(&mut rep, "customers", &theirs), 0);
}

/// A field value names its record by id alone: a rep's deal that takes the id of a
/// teammate's customer is refused (by a push, alone), and the rep does not see that
/// customer's field values through it.
fn a_rep_cannot_read_a_teammates_field_values_through_a_record_of_the_same_id() {
    let Some(WeiTeam {
        server,
        password,
        mut admin,
        admin_env,
        link,
        wei_link,
        wei_env,
        wei,
        dir: _dir,
        ..
    }) = wei_team("reuse")
    else {
        return;
    };
    let theirs = admin.add_customer("Admin Co");
    hub::sync_in(&admin.store, &link, &admin_env).unwrap();
    hub::sync_in(&wei.store, &wei_link, &wei_env).unwrap();
    server
        .connect_as("reuse", "reuse", &password)
        .unwrap()
        .execute(
            "INSERT INTO salesdesk.rows (tbl, row_id, data, clocks, bases)
             VALUES ('field_values', 'value-of-admin-co',
                     jsonb_build_object('record_id', $1::text, 'field_id', 'f',
                                        'value', 'secret'),
                     jsonb_build_object('*', $2::text), '{}')",
            &[&theirs, &clock_at(T0 + 5_000, admin.store.site_id())],
        )
        .unwrap();
    let mut rep = server.connect_as("reuse", "reuse_wei", "wei-pw").unwrap();
    let mine = clock_at(T0 + 3_600_000, wei.store.site_id());
    let insert = |c: &mut postgres::Client, id: &str| {
        c.execute(
            "INSERT INTO salesdesk.rows (tbl, row_id, data, clocks, bases)
             VALUES ('deals', $1, jsonb_build_object('title', 'Mine', 'owner_id', $2::text),
                     jsonb_build_object('*', $3::text), '{}')",
            &[&id, &wei.store.member_id(), &mine],
        )
    };
    let err = insert(&mut rep, &theirs).unwrap_err();
    assert_eq!(
        err.code(),
        Some(&postgres::error::SqlState::UNIQUE_VIOLATION),
        "{err:?}"
    );
    let values: i64 = rep
        .query_one(
            "SELECT count(*) FROM salesdesk.rows
              WHERE tbl = 'field_values' AND record_id = $1",
            &[&theirs],
        )
        .unwrap()
        .get(0);
    assert_eq!(values, 0, "a rep reads a teammate's field value");
    // A deal of an id of its own is taken.
    assert_eq!(insert(&mut rep, "a-deal-of-weis").unwrap(), 1);
    // Pushed with another deal, the one that takes the customer's id is refused alone.
    let tables = vec!["deals", "deals"];
    let ids = vec![theirs.as_str(), "another-deal-of-weis"];
    let data: Vec<serde_json::Value> = ids
        .iter()
        .map(|_| serde_json::json!({ "title": "Mine", "owner_id": wei.store.member_id() }))
        .collect();
    let clocks = vec![serde_json::json!({ "*": mine }); 2];
    let bases = vec![serde_json::json!({}); 2];
    let none: Vec<&str> = Vec::new();
    let no_blobs: Vec<&[u8]> = Vec::new();
    let refused: Vec<i32> = rep
        .query_one(
            "SELECT refused FROM salesdesk.push(0, false, $1, $2, $3, $4, $5,
                                                 $6, $6, $6, $7, $6, $7)",
            &[&tables, &ids, &data, &clocks, &bases, &none, &no_blobs],
        )
        .unwrap()
        .get(0);
    assert_eq!(refused, [1]);
    assert_eq!(seen_by(&mut rep, "deals", "another-deal-of-weis"), 1);
}

/// A row's key is not a rep's to change (only the schema's owner's): renamed, a row
/// would pass for another.
fn a_rep_cannot_rename_a_rows_key() {
    let Some(WeiTeam {
        server,
        wei_link,
        wei_env,
        wei,
        id,
        dir: _dir,
        ..
    }) = wei_team("rekey")
    else {
        return;
    };
    hub::sync_in(&wei.store, &wei_link, &wei_env).unwrap();
    let mut rep = server.connect_as("rekey", "rekey_wei", "wei-pw").unwrap();
    for sql in [
        "UPDATE salesdesk.rows SET row_id = 'renamed' WHERE tbl = 'customers' AND row_id = $1",
        "UPDATE salesdesk.rows SET tbl = 'deals' WHERE tbl = 'customers' AND row_id = $1",
    ] {
        let err = rep.execute(sql, &[&id]).unwrap_err();
        assert!(is_refusal(&err), "{sql}: {err:?}");
    }
    assert_eq!(seen_by(&mut rep, "customers", &id), 1);
    assert_eq!(seen_by(&mut rep, "customers", "renamed"), 0);
    assert_eq!(seen_by(&mut rep, "deals", &id), 0);
}

/// A rep cannot freeze a field with a clock from the far future (which would win every
/// later write of it), nor with one not written as clients write clocks: each is
/// refused, new row or edit. A clock of now is taken.
fn a_rep_cannot_freeze_a_field_with_a_clock_from_the_far_future() {
    let Some(WeiTeam {
        server,
        wei_link,
        wei_env,
        wei,
        id,
        dir: _dir,
        ..
    }) = wei_team("future")
    else {
        return;
    };
    hub::sync_in(&wei.store, &wei_link, &wei_env).unwrap();
    let site = wei.store.site_id();
    let mut rep = server.connect_as("future", "future_wei", "wei-pw").unwrap();
    let rename = |c: &mut postgres::Client, name: &str, clock: &str| {
        c.execute(
            "UPDATE salesdesk.rows
                SET data = jsonb_set(data, '{name}', to_jsonb($2::text)),
                    clocks = clocks || jsonb_build_object('name', $3::text)
              WHERE tbl = 'customers' AND row_id = $1",
            &[&id, &name, &clock],
        )
    };
    let name = |c: &mut postgres::Client| -> String {
        c.query_one(
            "SELECT data ->> 'name' FROM salesdesk.rows WHERE tbl = 'customers' AND row_id = $1",
            &[&id],
        )
        .unwrap()
        .get(0)
    };
    let far = [
        format!("9999999999999999-99999-{site}"),
        // The year 5138, written as clients write clocks.
        clock_at(100_000_000_000_000, site),
        format!("99999999999999999999999-{site}"),
        format!("zzzz{site}"),
    ];
    for clock in &far {
        let err = rename(&mut rep, "Frozen", clock).unwrap_err();
        assert!(is_refusal(&err), "{clock}: {err:?}");
        assert_eq!(name(&mut rep), "Wei Co", "{clock}");
        let err = rep
            .execute(
                "INSERT INTO salesdesk.rows (tbl, row_id, data, clocks, bases)
                 VALUES ('customers', 'from-the-future',
                         jsonb_build_object('name', 'X', 'owner_id', $1::text),
                         jsonb_build_object('*', $2::text), '{}')",
                &[&wei.store.member_id(), clock],
            )
            .unwrap_err();
        assert!(is_refusal(&err), "{clock}: {err:?}");
    }
    assert_eq!(seen_by(&mut rep, "customers", "from-the-future"), 0);
    assert_eq!(
        rename(&mut rep, "Wei Co, renamed", &clock_at(T0 + 3_600_000, site)).unwrap(),
        1
    );
    assert_eq!(name(&mut rep), "Wei Co, renamed");
}

/// A set entry's sequence number is the hub's to give, as a row's is: a rep's site sent
/// with a number of their own a little ahead of the hub's (which would make teammates'
/// cursors pass the next rows written, unseen) takes the next one instead, and so does
/// an owner's entry numbered far ahead (which would send every member back to the start
/// at every sync). A teammate's later rows reach everyone.
fn a_set_entry_takes_the_hubs_number_whatever_its_writer_gives() {
    let Some(WeiTeam {
        server,
        password,
        admin,
        admin_env,
        link,
        wei_link,
        wei_env,
        mut wei,
        dir: _dir,
        ..
    }) = wei_team("setseq")
    else {
        return;
    };
    hub::sync_in(&wei.store, &wei_link, &wei_env).unwrap();
    hub::sync_in(&admin.store, &link, &admin_env).unwrap();
    let mut rep = server.connect_as("setseq", "setseq_wei", "wei-pw").unwrap();
    let member = wei.store.member_id().to_string();
    let row = rep
        .query_one(
            "WITH a AS (INSERT INTO salesdesk.sites (site_id, member_id, seq)
                        VALUES ('ZZZZZZZZZZZZZZZZ', $1, salesdesk.high_water() + 3)
                        RETURNING seq)
             SELECT a.seq, salesdesk.high_water() FROM a",
            &[&member],
        )
        .unwrap();
    let (seq, high): (i64, i64) = (row.get(0), row.get(1));
    assert_eq!(seq, high, "the rep's site took the hub's next number");
    // The owner's entries numbered far ahead, in each set (and rolled back: what they
    // would say is not the point).
    let mut owner = server.connect_as("setseq", "setseq", &password).unwrap();
    let mut tx = owner.transaction().unwrap();
    let far = 9_000_000_000_000_000_000_i64;
    for (table, insert) in [
        (
            "sites",
            "INSERT INTO salesdesk.sites (site_id, member_id, seq)
                   VALUES ('YYYYYYYYYYYYYYYY', 'nobody', $1) RETURNING seq",
        ),
        (
            "member_keys",
            "INSERT INTO salesdesk.member_keys (member_id, public_key, seq)
                         VALUES ('nobody', '\\x00', $1) RETURNING seq",
        ),
        (
            "site_claims",
            "INSERT INTO salesdesk.site_claims (site_id, sig, seq)
                         VALUES ('YYYYYYYYYYYYYYYY', '\\x00', $1) RETURNING seq",
        ),
        ("sites", "UPDATE salesdesk.sites SET seq = $1 RETURNING seq"),
    ] {
        let numbers: Vec<i64> = tx
            .query(insert, &[&far])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        let high: i64 = tx
            .query_one("SELECT salesdesk.high_water()", &[])
            .unwrap()
            .get(0);
        assert!(!numbers.is_empty(), "{insert}");
        assert!(
            numbers.iter().all(|&n| n <= high),
            "{table} kept its writer's number: {numbers:?}"
        );
    }
    tx.rollback().unwrap();
    let first = hub::sync_in(&admin.store, &link, &admin_env).unwrap();
    let ids: Vec<String> = (0..3)
        .map(|i| wei.add_customer(&format!("Later {i}")))
        .collect();
    hub::sync_in(&wei.store, &wei_link, &wei_env).unwrap();
    let second = hub::sync_in(&admin.store, &link, &admin_env).unwrap();
    assert!(!first.hub_rewound && !second.hub_rewound);
    for id in &ids {
        assert!(name_of(&admin.store, id).starts_with("Later"), "{id}");
    }
}

/// The owner deletes a rep's customer in psql while the rep's push of an edit of it
/// waits (the delete holds the hub's write lock until it commits): the push then adds
/// the row as new, checked as a new row and with a number of its own, never the
/// placeholder 0 that no pull asks for, and the next sync brings it to the admin.
fn a_push_racing_a_hand_made_delete_writes_a_numbered_row() {
    let Some(WeiTeam {
        server,
        password,
        admin,
        admin_env,
        link,
        wei_link,
        wei_env,
        mut wei,
        id,
        dir: _dir,
        ..
    }) = wei_team("raced")
    else {
        return;
    };
    hub::sync_in(&wei.store, &wei_link, &wei_env).unwrap();
    hub::sync_in(&admin.store, &link, &admin_env).unwrap();
    rename_customer(&mut wei, &id, "Wei Co renamed");
    let mut owner = server.connect_as("raced", "raced", &password).unwrap();
    let mut tx = owner.transaction().unwrap();
    let deleted = tx
        .execute(
            "DELETE FROM salesdesk.rows WHERE tbl = 'customers' AND row_id = $1",
            &[&id],
        )
        .unwrap();
    assert_eq!(deleted, 1);
    let synced = std::thread::scope(|scope| {
        let deleter = scope.spawn(move || {
            // Commits once the push waits for it (on the hub's lock, or on the row).
            for _ in 0..3000 {
                let waiting: i64 = tx
                    .query_one(
                        "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
                          WHERE NOT l.granted AND a.usename = 'raced_wei'",
                        &[],
                    )
                    .unwrap()
                    .get(0);
                if waiting > 0 {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            tx.commit().unwrap();
        });
        let synced = hub::sync_in(&wei.store, &wei_link, &wei_env);
        deleter.join().unwrap();
        synced
    });
    synced.unwrap();
    let row = owner
        .query_one(
            "SELECT seq, data ->> 'name', salesdesk.high_water() FROM salesdesk.rows
              WHERE tbl = 'customers' AND row_id = $1",
            &[&id],
        )
        .unwrap();
    let (seq, name, high): (i64, String, i64) = (row.get(0), row.get(1), row.get(2));
    assert_eq!(name, "Wei Co renamed");
    assert!(seq > 0 && seq <= high, "stored with the number {seq}");
    hub::sync_in(&admin.store, &link, &admin_env).unwrap();
    assert_eq!(name_of(&admin.store, &id), "Wei Co renamed");
}

/// A SalesDesk of server schema 4, connected before its hub was upgraded, pushes with
/// the signatures' argument: it is told to upgrade, not that the function is missing.
fn a_push_of_the_previous_schema_is_told_to_upgrade() {
    let Some((_, pw)) = team_database("oldpush") else {
        return;
    };
    let mut owner = hub_at_version("oldpush", &pw, SERVER_MIGRATIONS.len());
    let err = owner
        .query_one(
            "SELECT * FROM salesdesk.push(0::bigint, true, '{}'::text[], '{}'::text[], '{}'::jsonb[],
                                          '{}'::jsonb[], '{}'::jsonb[], '{}'::jsonb[],
                                          '{}'::text[], '{}'::text[], '{}'::text[],
                                          '{}'::bytea[], '{}'::text[], '{}'::bytea[])",
            &[],
        )
        .unwrap_err();
    let why = err.as_db_error().map(|e| e.message().to_string());
    assert!(
        why.as_deref()
            .is_some_and(|w| w.contains("newer SalesDesk") && w.contains("upgrade SalesDesk")),
        "{err:?}"
    );
}

/// Every test of this file, by name: the harness runs them as `cargo test` and
/// `cargo nextest` run any (filters, `--ignored`, `--list`, threads), and marks them
/// ignored when PostgreSQL is not installed.
const TESTS: &[(&str, fn())] = &[
    (
        "a_rep_cannot_claim_a_teammate_by_editing_their_member_record",
        a_rep_cannot_claim_a_teammate_by_editing_their_member_record,
    ),
    (
        "a_rep_cannot_read_a_teammates_field_values_through_a_record_of_the_same_id",
        a_rep_cannot_read_a_teammates_field_values_through_a_record_of_the_same_id,
    ),
    (
        "a_rep_cannot_rename_a_rows_key",
        a_rep_cannot_rename_a_rows_key,
    ),
    (
        "a_rep_cannot_freeze_a_field_with_a_clock_from_the_far_future",
        a_rep_cannot_freeze_a_field_with_a_clock_from_the_far_future,
    ),
    (
        "a_team_shares_its_book_through_postgres",
        a_team_shares_its_book_through_postgres,
    ),
    (
        "bad_urls_and_credentials_are_refused_and_change_nothing",
        bad_urls_and_credentials_are_refused_and_change_nothing,
    ),
    (
        "replicas_converge_through_the_hub",
        replicas_converge_through_the_hub,
    ),
    (
        "one_change_pushes_one_row_and_pulls_only_what_changed",
        one_change_pushes_one_row_and_pulls_only_what_changed,
    ),
    (
        "postgres_lets_a_rep_read_only_their_own_book_and_a_manager_all",
        postgres_lets_a_rep_read_only_their_own_book_and_a_manager_all,
    ),
    (
        "a_team_moves_from_its_team_file_to_postgres_with_nothing_lost",
        a_team_moves_from_its_team_file_to_postgres_with_nothing_lost,
    ),
    (
        "a_server_killed_mid_sync_leaves_both_sides_consistent_and_the_next_sync_resumes",
        a_server_killed_mid_sync_leaves_both_sides_consistent_and_the_next_sync_resumes,
    ),
    (
        "sslmode_verify_full_checks_the_certificate_and_the_host_name",
        sslmode_verify_full_checks_the_certificate_and_the_host_name,
    ),
    (
        "a_reps_edit_the_hub_refuses_is_kept_shown_with_why_and_sent_again_when_the_record_returns",
        a_reps_edit_the_hub_refuses_is_kept_shown_with_why_and_sent_again_when_the_record_returns,
    ),
    (
        "a_hub_behind_the_client_or_newer_than_it_gives_a_clear_message_and_does_no_damage",
        a_hub_behind_the_client_or_newer_than_it_gives_a_clear_message_and_does_no_damage,
    ),
    (
        "team_status_lists_logins_and_roles_and_leave_releases_the_login",
        team_status_lists_logins_and_roles_and_leave_releases_the_login,
    ),
    (
        "a_kept_session_syncs_again_and_again_on_one_connection",
        a_kept_session_syncs_again_and_again_on_one_connection,
    ),
    (
        "a_hub_of_the_previous_server_schema_is_upgraded_by_its_owner_and_others_are_told_so",
        a_hub_of_the_previous_server_schema_is_upgraded_by_its_owner_and_others_are_told_so,
    ),
    (
        "a_hub_of_server_schema_4_keeps_its_rows_and_numbers_and_drops_the_signatures",
        a_hub_of_server_schema_4_keeps_its_rows_and_numbers_and_drops_the_signatures,
    ),
    (
        "a_row_mended_by_hand_reaches_every_member_at_their_next_sync",
        a_row_mended_by_hand_reaches_every_member_at_their_next_sync,
    ),
    (
        "every_row_a_push_writes_takes_a_new_sequence_number_of_its_own",
        every_row_a_push_writes_takes_a_new_sequence_number_of_its_own,
    ),
    (
        "a_refused_login_is_not_offline_but_an_unreachable_server_is",
        a_refused_login_is_not_offline_but_an_unreachable_server_is,
    ),
    (
        "an_admin_adds_changes_and_removes_a_member_in_the_tui",
        an_admin_adds_changes_and_removes_a_member_in_the_tui,
    ),
    (
        "a_member_added_again_keeps_the_login_and_its_password",
        a_member_added_again_keeps_the_login_and_its_password,
    ),
    (
        "members_are_not_managed_on_a_hub_that_holds_another_team",
        members_are_not_managed_on_a_hub_that_holds_another_team,
    ),
    (
        "a_member_takes_the_hubs_word_for_who_wrote_what",
        a_member_takes_the_hubs_word_for_who_wrote_what,
    ),
    (
        "two_members_edits_of_one_record_both_return_to_a_hub_restored_from_a_backup",
        two_members_edits_of_one_record_both_return_to_a_hub_restored_from_a_backup,
    ),
    (
        "a_copy_of_a_members_database_syncs_its_edits_as_theirs",
        a_copy_of_a_members_database_syncs_its_edits_as_theirs,
    ),
    (
        "a_rep_cannot_pass_for_an_admin_by_shadowing_the_catalogs",
        a_rep_cannot_pass_for_an_admin_by_shadowing_the_catalogs,
    ),
    (
        "a_set_entry_takes_the_hubs_number_whatever_its_writer_gives",
        a_set_entry_takes_the_hubs_number_whatever_its_writer_gives,
    ),
    (
        "a_push_racing_a_hand_made_delete_writes_a_numbered_row",
        a_push_racing_a_hand_made_delete_writes_a_numbered_row,
    ),
    (
        "a_push_of_the_previous_schema_is_told_to_upgrade",
        a_push_of_the_previous_schema_is_told_to_upgrade,
    ),
];

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let installed = pg::installed();
    if !installed && !args.list {
        eprintln!(
            "the team-hub tests are skipped: PostgreSQL is not installed \
             (apt-get install postgresql puts initdb and postgres in /usr/lib/postgresql/*/bin)"
        );
    }
    let trials = TESTS
        .iter()
        .map(|&(name, test)| {
            libtest_mimic::Trial::test(name, move || {
                test();
                Ok(())
            })
            .with_ignored_flag(!installed)
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Team sync as a team meets it: several databases, each with its own (wrong) wall clock,
//! sharing one team file in a folder that a sync service keeps in step — and that
//! service duplicating the file, bringing back stale versions and leaving conflict
//! copies. After everyone has synced twice, everyone holds the same data, and no value
//! anyone set is lost: it is the final value or it is in a conflicts log.
//!
//! Then the ways a sync can be interrupted or handed a bad file, and the whole story with
//! two real `salesdesk` processes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use assert_cmd::Command;
use chrono::{DateTime, Utc};
use proptest::prelude::*;
use rusqlite::Connection;
use rusqlite::types::Value;
use serde_json::Value as Json;
use tempfile::TempDir;

use salesdesk::domain::customer::Tier;
use salesdesk::domain::money::Money;
use salesdesk::domain::time::{Clock, from_millis};
use salesdesk::store::conflicts::{self, Keep, Resolution};
use salesdesk::store::deals::{self, CustomerRef, NewDeal};
use salesdesk::store::merge;
use salesdesk::store::{Store, StoreError, customers, pipelines, stages, teamfile};
use salesdesk::sync::team::{self, SyncError, TeamLink};
use salesdesk::usecase;

mod common;

/// 2026-11-25 10:00 UTC.
const T0: i64 = 1_795_600_800_000;

/// A wall clock the test sets: each replica's runs fast or slow, and moves when told.
struct TestClock(AtomicI64);

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        from_millis(self.0.load(Ordering::SeqCst))
    }
}

impl TestClock {
    fn at(ms: i64) -> Arc<TestClock> {
        Arc::new(TestClock(AtomicI64::new(ms)))
    }

    fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

/// Tables whose rows every replica must agree on after syncing.
const DOMAIN: [&str; 13] = [
    "members",
    "pipelines",
    "stages",
    "customers",
    "contacts",
    "customer_tags",
    "deals",
    "stage_changes",
    "activities",
    "list_items",
    "field_defs",
    "field_values",
    "sites",
];

/// Fields a merge may replace without a conflict entry (see `store::merge`).
const BOOKKEEPING: [&str; 3] = ["created_at", "updated_at", "position"];

type Rows = Vec<Vec<Value>>;

fn rows(conn: &Connection, sql: &str) -> Rows {
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Every domain row and every field clock, in a fixed order.
fn domain(conn: &Connection) -> Vec<(String, Rows)> {
    let mut out: Vec<(String, Rows)> = DOMAIN
        .iter()
        .map(|t| {
            (
                t.to_string(),
                rows(conn, &format!("SELECT * FROM {t} ORDER BY 1")),
            )
        })
        .collect();
    for t in ["field_clock", "field_base"] {
        out.push((
            t.into(),
            rows(conn, &format!("SELECT * FROM {t} ORDER BY 1, 2, 3")),
        ));
    }
    out
}

/// Everything in a database, meta and conflicts included, to show it did not change.
fn everything(conn: &Connection) -> Vec<(String, Rows)> {
    let mut out = domain(conn);
    out.push(("meta".into(), rows(conn, "SELECT * FROM meta ORDER BY 1")));
    out.push((
        "conflicts".into(),
        rows(conn, "SELECT * FROM conflicts ORDER BY 1"),
    ));
    out
}

fn eur(minor: i64) -> Money {
    Money::new(minor, "EUR".parse().unwrap())
}

fn new_deal(title: &str, customer: CustomerRef, minor: i64) -> NewDeal {
    NewDeal {
        title: title.into(),
        customer,
        stage_id: "stage-lead".into(),
        amount: eur(minor),
        expected_close: None,
        source: None,
        notes: None,
        owner_id: None,
    }
}

/// Errors a random operation may meet by the rules (moving a won deal, removing a tag
/// that is not there, a customer name two teammates both created, editing a deal that is
/// deleted or restoring one that is not …); anything else fails the test.
fn allowed(result: Result<impl Sized, StoreError>) {
    match result {
        Ok(_)
        | Err(
            StoreError::Rule(_)
            | StoreError::Invalid(_)
            | StoreError::Ambiguous { .. }
            | StoreError::NotFound { .. },
        ) => {}
        Err(e) => panic!("unexpected error: {e}"),
    }
}

/// One teammate's database.
struct Replica {
    path: PathBuf,
    store: Store,
    clock: Arc<TestClock>,
    /// The last value this site wrote to each field, with its clock: (tbl, row, field).
    own: HashMap<(String, String, String), (Value, String)>,
    /// The newest own clock already in `own`.
    seen: String,
}

impl Replica {
    fn open(dir: &Path, i: usize, skew_ms: i64) -> Replica {
        let path = dir.join(format!("r{i}.db"));
        let clock = TestClock::at(T0 + skew_ms);
        let store = Store::open(&path, clock.clone()).unwrap();
        let mut r = Replica {
            path,
            store,
            clock,
            own: HashMap::new(),
            seen: String::new(),
        };
        salesdesk::store::members::set_identity(
            &mut r.store,
            &format!("Rep {i}"),
            Some(&format!("rep{i}@example.com")),
        )
        .unwrap();
        r.note_own_writes();
        r
    }

    fn ids(&self, table: &str) -> Vec<String> {
        let mut stmt = self
            .store
            .conn()
            .prepare(&format!("SELECT id FROM {table} ORDER BY id"))
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    fn pick(&self, table: &str, n: usize) -> Option<String> {
        let ids = self.ids(table);
        (!ids.is_empty()).then(|| ids[n % ids.len()].clone())
    }

    /// Remembers the fields this site just wrote (after a local change).
    fn note_own_writes(&mut self) {
        let conn = self.store.conn();
        let site = self.store.site_id().to_string();
        let written = rows(
            conn,
            &format!(
                "SELECT tbl, row_id, field, hlc FROM field_clock
                  WHERE substr(hlc, -16) = '{site}' AND hlc > '{}'",
                self.seen
            ),
        );
        for row in written {
            let [
                Value::Text(tbl),
                Value::Text(id),
                Value::Text(field),
                Value::Text(hlc),
            ] = &row[..]
            else {
                panic!("odd field_clock row {row:?}");
            };
            if hlc > &self.seen {
                self.seen = hlc.clone();
            }
            if BOOKKEEPING.contains(&field.as_str()) {
                continue;
            }
            let value: Value = conn
                .query_row(
                    &format!("SELECT \"{field}\" FROM {tbl} WHERE id = ?1"),
                    [id],
                    |r| r.get(0),
                )
                .unwrap();
            self.own.insert(
                (tbl.clone(), id.clone(), field.clone()),
                (value, hlc.clone()),
            );
        }
    }

    /// After a sync: each own value a merge replaced is in the conflicts log, or was
    /// replaced by the very same value (then nothing was lost).
    fn check_nothing_lost(&mut self) {
        let conn = self.store.conn();
        let mut replaced = Vec::new();
        for ((tbl, id, field), (mine, hlc)) in &self.own {
            let now: String = conn
                .query_row(
                    "SELECT hlc FROM field_clock WHERE tbl = ?1 AND row_id = ?2 AND field = ?3",
                    [tbl, id, field],
                    |r| r.get(0),
                )
                .unwrap();
            if now == *hlc {
                continue;
            }
            let logged: bool = conn
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM conflicts WHERE tbl = ?1 AND row_id = ?2
                       AND field = ?3 AND mine_hlc = ?4 AND mine_value IS ?5)",
                    rusqlite::params![tbl, id, field, hlc, mine],
                    |r| r.get(0),
                )
                .unwrap();
            let current: Value = conn
                .query_row(
                    &format!("SELECT \"{field}\" FROM {tbl} WHERE id = ?1"),
                    [id],
                    |r| r.get(0),
                )
                .unwrap();
            // A move into a stage a teammate deleted (or whose pipeline they deleted) is
            // sent on to where that stage's deals went (with a history row): superseded
            // by the delete, not lost.
            let forwarded = tbl == "deals"
                && field == "stage_id"
                && conn
                    .query_row(
                        "SELECT NOT EXISTS (SELECT 1 FROM stages s
                                  JOIN pipelines p ON p.id = s.pipeline_id
                                 WHERE s.id = ?1 AND s.deleted_at IS NULL
                                   AND p.deleted_at IS NULL)",
                        [mine],
                        |r| r.get::<_, bool>(0),
                    )
                    .unwrap_or(false);
            // A pipeline left without stages by teammates' deletes gets back the stage
            // deleted last: that delete is undone on purpose.
            let revived = tbl == "stages"
                && (field == "deleted_at" || field == "moved_to")
                && conn
                    .query_row(
                        "SELECT deleted_at IS NULL FROM stages WHERE id = ?1",
                        [id],
                        |r| r.get::<_, bool>(0),
                    )
                    .unwrap_or(false);
            let revived = revived
                || (tbl == "pipelines"
                    && field == "deleted_at"
                    && conn
                        .query_row(
                            "SELECT deleted_at IS NULL FROM pipelines WHERE id = ?1",
                            [id],
                            |r| r.get::<_, bool>(0),
                        )
                        .unwrap_or(false));
            assert!(
                logged || current == *mine || forwarded || revived,
                "{tbl}.{field} of {id}: my {mine:?} ({hlc}) was replaced by {current:?} ({now}) and is not in the conflicts log"
            );
            replaced.push((tbl.clone(), id.clone(), field.clone()));
        }
        for key in replaced {
            self.own.remove(&key);
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Service {
    /// The team file as the last sync left it.
    Plain,
    /// Through `sync_now`, on a connection of its own (as the TUI's background thread).
    Background,
    /// The service brought back an older version of the team file first.
    Stale(usize),
    /// The service left an identical copy of the team file beside it.
    Duplicate,
    /// Another machine wrote at the same moment: the service kept the old file and saved
    /// this sync's result as a conflict copy (Dropbox or Syncthing naming).
    LostRace { syncthing: bool },
}

#[derive(Debug, Clone)]
enum Op {
    AddDeal {
        who: usize,
        customer: usize,
        minor: i64,
    },
    Retitle {
        who: usize,
        deal: usize,
    },
    Reprice {
        who: usize,
        deal: usize,
        minor: i64,
    },
    Move {
        who: usize,
        deal: usize,
        stage: usize,
    },
    Win {
        who: usize,
        deal: usize,
    },
    Reopen {
        who: usize,
        deal: usize,
    },
    Delete {
        who: usize,
        deal: usize,
    },
    Restore {
        who: usize,
        deal: usize,
    },
    AddCustomer {
        who: usize,
        name: usize,
    },
    EditCustomer {
        who: usize,
        customer: usize,
        tier: usize,
        tag: usize,
        untag: bool,
    },
    /// Stage edits: add (after a stage), rename, reorder, delete (its deals to another).
    AddStage {
        who: usize,
        after: usize,
    },
    RenameStage {
        who: usize,
        stage: usize,
    },
    ReorderStage {
        who: usize,
        stage: usize,
        position: i64,
    },
    DeleteStage {
        who: usize,
        stage: usize,
        to: usize,
    },
    AddPipeline {
        who: usize,
    },
    DeletePipeline {
        who: usize,
        pipeline: usize,
        to: usize,
    },
    /// Add or remove a lost reason of the book's list (the same few names on every
    /// replica, so teammates add and remove the same entry).
    Reason {
        who: usize,
        name: usize,
        remove: bool,
    },
    /// Add or delete a custom field of deals from a few names; teammates may give one
    /// name two types.
    Field {
        who: usize,
        name: usize,
        money: bool,
        remove: bool,
    },
    /// Fill in (or clear) a deal's custom field.
    SetField {
        who: usize,
        deal: usize,
        field: usize,
        value: usize,
    },
    Tick {
        who: usize,
        ms: i64,
    },
    Sync {
        who: usize,
        service: Service,
    },
    /// Someone with write access to the folder puts a row that breaks the rules into the
    /// team file (or into a conflict copy beside it), with a clock that would win.
    Hostile {
        kind: usize,
        in_copy: bool,
    },
}

fn service() -> impl Strategy<Value = Service> {
    prop_oneof![
        4 => Just(Service::Plain),
        1 => Just(Service::Background),
        1 => (0usize..8).prop_map(Service::Stale),
        1 => Just(Service::Duplicate),
        1 => any::<bool>().prop_map(|syncthing| Service::LostRace { syncthing }),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let who = 0usize..5;
    prop_oneof![
        2 => (who.clone(), 0usize..4, 1i64..1_000_000)
            .prop_map(|(who, customer, minor)| Op::AddDeal { who, customer, minor }),
        2 => (who.clone(), 0usize..16).prop_map(|(who, deal)| Op::Retitle { who, deal }),
        2 => (who.clone(), 0usize..16, 1i64..1_000_000)
            .prop_map(|(who, deal, minor)| Op::Reprice { who, deal, minor }),
        2 => (who.clone(), 0usize..16, 0usize..4)
            .prop_map(|(who, deal, stage)| Op::Move { who, deal, stage }),
        1 => (who.clone(), 0usize..16).prop_map(|(who, deal)| Op::Win { who, deal }),
        1 => (who.clone(), 0usize..16).prop_map(|(who, deal)| Op::Reopen { who, deal }),
        1 => (who.clone(), 0usize..16).prop_map(|(who, deal)| Op::Delete { who, deal }),
        1 => (who.clone(), 0usize..16).prop_map(|(who, deal)| Op::Restore { who, deal }),
        1 => (who.clone(), 0usize..4).prop_map(|(who, name)| Op::AddCustomer { who, name }),
        2 => (who.clone(), 0usize..16, 0usize..3, 0usize..3, any::<bool>())
            .prop_map(|(who, customer, tier, tag, untag)| Op::EditCustomer { who, customer, tier, tag, untag }),
        1 => (who.clone(), 0usize..16).prop_map(|(who, after)| Op::AddStage { who, after }),
        1 => (who.clone(), 0usize..16).prop_map(|(who, stage)| Op::RenameStage { who, stage }),
        1 => (who.clone(), 0usize..16, 1i64..6)
            .prop_map(|(who, stage, position)| Op::ReorderStage { who, stage, position }),
        2 => (who.clone(), 0usize..16, 0usize..16)
            .prop_map(|(who, stage, to)| Op::DeleteStage { who, stage, to }),
        1 => who.clone().prop_map(|who| Op::AddPipeline { who }),
        1 => (who.clone(), 0usize..4, 0usize..4)
            .prop_map(|(who, pipeline, to)| Op::DeletePipeline { who, pipeline, to }),
        1 => (who.clone(), 0usize..3, any::<bool>())
            .prop_map(|(who, name, remove)| Op::Reason { who, name, remove }),
        1 => (who.clone(), 0usize..3, any::<bool>(), any::<bool>())
            .prop_map(|(who, name, money, remove)| Op::Field { who, name, money, remove }),
        2 => (who.clone(), 0usize..16, 0usize..4, 0usize..40)
            .prop_map(|(who, deal, field, value)| Op::SetField { who, deal, field, value }),
        1 => (who.clone(), 1i64..120_000).prop_map(|(who, ms)| Op::Tick { who, ms }),
        5 => (who, service()).prop_map(|(who, service)| Op::Sync { who, service }),
        1 => (0usize..HOSTILE_KINDS, any::<bool>())
            .prop_map(|(kind, in_copy)| Op::Hostile { kind, in_copy }),
    ]
}

/// How many kinds of hostile row [`hostile_row`] makes.
const HOSTILE_KINDS: usize = 8;

/// Writes a hostile row (id `hostile-…`) into the team file at `path`, stamped with a
/// well-formed clock of a site nobody has, as of the first honest deal's time: a
/// negative amount, a word no SalesDesk writes, a customer nobody has, a 100 kB subject,
/// a malformed clock, a date that does not exist; or a well-formed deal stamped with a
/// teammate's site, unsigned (someone posing as them).
fn hostile_row(path: &Path, kind: usize, n: usize) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON;")
        .unwrap();
    let id = format!("hostile-{n}");
    let deal: Option<(String, String)> = conn
        .query_row("SELECT id, customer_id FROM deals LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .ok();
    let Some((deal, customer)) = deal else { return };
    let copy_deal = |set: &str| {
        conn.execute(
            "INSERT INTO deals (id, title, customer_id, contact_id, stage_id, status,
                        amount_minor, currency, expected_close, source, owner_id, lost_reason,
                        closed_at, position, notes, created_at, updated_at, deleted_at)
                 SELECT ?1, title, customer_id, contact_id, stage_id, status, amount_minor,
                        currency, expected_close, source, owner_id, lost_reason, closed_at,
                        position, notes, created_at, updated_at, deleted_at
                   FROM deals WHERE id = ?2",
            [&id, &deal],
        )
        .unwrap();
        conn.execute(&format!("UPDATE deals SET {set} WHERE id = ?1"), [&id])
            .unwrap();
        "deals"
    };
    let table = match kind {
        0 => copy_deal("amount_minor = -5"),
        1 => copy_deal("status = 'platinum'"),
        2 => copy_deal("customer_id = 'nobody'"),
        3 => copy_deal("title = printf('%.100000c', 'x')"),
        4 => copy_deal("expected_close = '2026-02-30'"),
        7 => {
            // A custom field value of the wrong type, for a field that may not exist.
            conn.execute(
                "INSERT INTO field_values (id, field_id, record_id, value, created_at, updated_at)
                 VALUES (?1, 'deal:number:budget', ?2, 'lots', 1, 1)",
                [&id, &deal],
            )
            .unwrap();
            "field_values"
        }
        6 => {
            copy_deal("title = 'posed as a teammate'");
            let site: String = conn
                .query_row(
                    "SELECT site_id FROM sites ORDER BY site_id LIMIT 1",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            conn.execute(
                "INSERT INTO field_clock (tbl, row_id, field, hlc)
                 VALUES ('deals', ?1, '*', printf('%016d-00000-%s', ?2, ?3))",
                rusqlite::params![id, T0, site],
            )
            .unwrap();
            return;
        }
        _ => {
            conn.execute(
                "INSERT INTO customer_tags (id, customer_id, tag, created_at, updated_at)
                 VALUES (?1, ?2, 'vip', 1, 1)",
                [&id, &customer],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO field_clock (tbl, row_id, field, hlc) VALUES ('customer_tags', ?1, '*', 'soon')",
                [&id],
            )
            .unwrap();
            return;
        }
    };
    conn.execute(
        "INSERT INTO field_clock (tbl, row_id, field, hlc)
         VALUES (?1, ?2, '*', printf('%016d-00000-00000000000000ee', ?3))",
        rusqlite::params![table, id, T0],
    )
    .unwrap();
}

/// Whether a row of `domain`'s output is a hostile one (its id, or a clock's row id).
fn is_hostile(table: &str, row: &[Value]) -> bool {
    let at = usize::from(matches!(table, "field_clock" | "field_base"));
    matches!(row.get(at), Some(Value::Text(id)) if id.starts_with("hostile-"))
}

const CUSTOMERS: [&str; 4] = ["ACME", "Globex", "Initech", "Umbrella"];
const TAGS: [&str; 3] = ["VIP", "at risk", "renewal"];

/// A team of replicas around one team file, and the versions that file has had.
struct Team {
    dir: TempDir,
    link: TeamLink,
    replicas: Vec<Replica>,
    history: Vec<Vec<u8>>,
    copies: usize,
    counter: usize,
}

impl Team {
    fn new(skews: &[i64]) -> Team {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("shared")).unwrap();
        let mut replicas: Vec<Replica> = skews
            .iter()
            .enumerate()
            .map(|(i, skew)| Replica::open(dir.path(), i, *skew))
            .collect();
        // Everyone has something before joining: joining merges both ways.
        for (i, r) in replicas.iter_mut().enumerate() {
            usecase::deals::add(
                &mut r.store,
                &new_deal(
                    &format!("first {i}"),
                    CustomerRef::Name(CUSTOMERS[i % 4].into()),
                    100,
                ),
            )
            .unwrap();
            r.note_own_writes();
        }
        let path = dir.path().join("shared").join("team.salesdesk");
        let link = team::init(&replicas[0].store, &path).unwrap();
        for r in &mut replicas[1..] {
            let (joined, _) = team::join(&r.store, &path).unwrap();
            assert_eq!(joined, link);
            r.check_nothing_lost();
        }
        let history = vec![std::fs::read(&path).unwrap()];
        Team {
            dir,
            link,
            replicas,
            history,
            copies: 0,
            counter: 0,
        }
    }

    fn team_path(&self) -> &Path {
        &self.link.path
    }

    fn copy_path(&mut self, syncthing: bool) -> PathBuf {
        self.copies += 1;
        let name = if syncthing {
            format!(
                "team.sync-conflict-20261125-1010{:02}-ABCDEFG.salesdesk",
                self.copies
            )
        } else {
            format!(
                "team (Rep's conflicted copy 2026-11-25 ({})).salesdesk",
                self.copies
            )
        };
        self.dir.path().join("shared").join(name)
    }

    fn sync(&mut self, who: usize, service: Service) {
        let team_path = self.team_path().to_path_buf();
        let before = std::fs::read(&team_path).ok();
        match service {
            Service::Stale(n) => {
                let old = self.history[n % self.history.len()].clone();
                std::fs::write(&team_path, old).unwrap();
            }
            Service::Duplicate => {
                let copy = self.copy_path(false);
                std::fs::copy(&team_path, copy).unwrap();
            }
            _ => {}
        }
        let r = &mut self.replicas[who];
        let result = match service {
            Service::Background => team::sync_now(&r.path, &self.link, r.clock.clone()),
            _ => team::sync(&r.store, &self.link),
        };
        result.unwrap_or_else(|e| panic!("sync of replica {who} failed: {e}"));
        r.check_nothing_lost();
        if let (Service::LostRace { syncthing }, Some(before)) = (service, before) {
            let copy = self.copy_path(syncthing);
            std::fs::rename(&team_path, copy).unwrap();
            std::fs::write(&team_path, before).unwrap();
        }
        self.history.push(std::fs::read(&team_path).unwrap());
    }

    fn apply(&mut self, op: &Op) {
        self.counter += 1;
        let n = self.counter;
        let count = self.replicas.len();
        match *op {
            Op::Sync { who, service } => return self.sync(who % count, service),
            Op::Hostile { kind, in_copy } => {
                let target = if in_copy {
                    let copy = self.copy_path(self.counter.is_multiple_of(2));
                    std::fs::copy(self.team_path(), &copy).unwrap();
                    copy
                } else {
                    self.team_path().to_path_buf()
                };
                hostile_row(&target, kind, n);
                return;
            }
            Op::Tick { who, ms } => {
                self.replicas[who % count].clock.advance(ms);
                return;
            }
            _ => {}
        }
        let who = match *op {
            Op::AddDeal { who, .. }
            | Op::Retitle { who, .. }
            | Op::Reprice { who, .. }
            | Op::Move { who, .. }
            | Op::Win { who, .. }
            | Op::Reopen { who, .. }
            | Op::Delete { who, .. }
            | Op::Restore { who, .. }
            | Op::AddCustomer { who, .. }
            | Op::EditCustomer { who, .. }
            | Op::AddStage { who, .. }
            | Op::RenameStage { who, .. }
            | Op::ReorderStage { who, .. }
            | Op::DeleteStage { who, .. }
            | Op::AddPipeline { who, .. }
            | Op::DeletePipeline { who, .. }
            | Op::Reason { who, .. }
            | Op::Field { who, .. }
            | Op::SetField { who, .. }
            | Op::Tick { who, .. }
            | Op::Sync { who, .. } => who % count,
            Op::Hostile { .. } => unreachable!("handled above"),
        };
        let r = &mut self.replicas[who];
        local_op(r, op, &format!("{who}-{n}"));
        r.note_own_writes();
    }

    /// Everyone syncs twice, in turn; then all hold the same data as the team file.
    fn settle(&mut self) {
        for _ in 0..2 {
            for who in 0..self.replicas.len() {
                self.sync(who, Service::Plain);
            }
        }
        let first = domain(self.replicas[0].store.conn());
        for (i, r) in self.replicas.iter().enumerate().skip(1) {
            let other = domain(r.store.conn());
            for ((table, a), (_, b)) in first.iter().zip(&other) {
                assert_eq!(a, b, "replica {i} differs from replica 0 in {table}");
            }
        }
        // The team file may still hold hostile rows (no one had anything newer to write
        // over them); apart from those it holds what everyone holds.
        let team_conn = Connection::open(self.team_path()).unwrap();
        let team_domain: Vec<(String, Rows)> = domain(&team_conn)
            .into_iter()
            .map(|(t, rows)| {
                let rows = rows.into_iter().filter(|r| !is_hostile(&t, r)).collect();
                (t, rows)
            })
            .collect();
        assert_eq!(team_domain, first, "the team file differs");
        // Signing is on: every clock of a member with a key is signed in the team file.
        let unsigned: i64 = team_conn
            .query_row(
                "SELECT count(*) FROM field_clock f
                   JOIN sites s ON s.site_id = substr(f.hlc, -16)
                   JOIN member_keys k ON k.member_id = s.member_id
                  WHERE f.row_id NOT LIKE 'hostile-%'
                    AND NOT EXISTS (SELECT 1 FROM signatures g
                                     WHERE g.tbl = f.tbl AND g.row_id = f.row_id
                                       AND g.field = f.field AND g.hlc = f.hlc)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(unsigned, 0, "clocks of members with keys left unsigned");
        let keys: i64 = team_conn
            .query_row("SELECT count(*) FROM member_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(keys, self.replicas.len() as i64);
        // No hostile row reached anyone, and nothing honest was quarantined.
        for (i, r) in self.replicas.iter().enumerate() {
            for (t, rows) in domain(r.store.conn()) {
                assert!(
                    !rows.iter().any(|row| is_hostile(&t, row)),
                    "replica {i} took a hostile row into {t}"
                );
            }
            let refused: Vec<String> = r
                .store
                .conn()
                .prepare("SELECT row_id FROM quarantine WHERE skipped")
                .unwrap()
                .query_map([], |row| row.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            for row in refused {
                assert!(
                    row.starts_with("hostile-"),
                    "replica {i} quarantined the honest row {row}"
                );
            }
        }
        assert!(team::conflict_copies(self.team_path()).is_empty());
        // No open deal is left in a stage that no longer exists, and every live pipeline
        // keeps a stage.
        for (i, r) in self.replicas.iter().enumerate() {
            let conn = r.store.conn();
            let stranded = stages::stranded_deals(conn).unwrap();
            assert!(
                stranded.is_empty(),
                "replica {i}: deals in deleted stages: {stranded:?}"
            );
            for p in pipelines::list(conn).unwrap() {
                assert!(
                    !stages::list_in(conn, &p.id).unwrap().is_empty(),
                    "replica {i}: pipeline {} has no stage",
                    p.name
                );
            }
        }
        // Every member is known everywhere.
        let members: i64 = self.replicas[0]
            .store
            .conn()
            .query_row("SELECT count(*) FROM members", [], |r| r.get(0))
            .unwrap();
        assert_eq!(members, self.replicas.len() as i64);
        // What an own write still holds is now everyone's value.
        for r in &mut self.replicas {
            r.check_nothing_lost();
        }
    }
}

/// Cases per property: a few seconds' worth, or `PROPTEST_CASES` for a longer run.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(12),
        max_shrink_iters: 64,
        ..ProptestConfig::default()
    })]

    #[test]
    fn replicas_converge_and_lose_nothing(
        skews in prop::collection::vec(-3_600_000i64..3_600_000, 2..=5),
        ops in prop::collection::vec(op(), 4..40),
    ) {
        let mut team = Team::new(&skews);
        for op in &ops {
            team.apply(op);
        }
        team.settle();
    }
}

/// Copies a closed-or-open database to `dest` as a plain rollback-journal file.
fn copy_db(conn: &Connection, dest: &Path) {
    conn.execute("VACUUM INTO ?1", [dest.to_str().unwrap()])
        .unwrap();
    Connection::open(dest)
        .unwrap()
        .pragma_update(None, "journal_mode", "DELETE")
        .unwrap();
}

/// `into ⊕ from`, in a new file.
fn merged(dir: &Path, name: &str, into: &Path, from: &Path) -> PathBuf {
    let out = dir.join(name);
    copy_db(&Connection::open(into).unwrap(), &out);
    teamfile::combine_files(&out, from).unwrap();
    out
}

fn domain_of(path: &Path) -> Vec<(String, Rows)> {
    domain(&Connection::open(path).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(16), max_shrink_iters: 64, ..ProptestConfig::default() })]

    /// Three devices start from one database and change it apart; merging them is
    /// commutative, associative and idempotent.
    #[test]
    fn merge_is_commutative_associative_and_idempotent(
        ops in prop::collection::vec(op(), 3..30),
        skews in prop::collection::vec(-60_000i64..60_000, 3),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("base.db");
        {
            let mut s = Store::open(&base, TestClock::at(T0)).unwrap();
            usecase::deals::add(&mut s, &new_deal("shared", CustomerRef::Name("ACME".into()), 500)).unwrap();
        }
        let mut paths = Vec::new();
        for (i, skew) in skews.iter().enumerate() {
            let p = dir.path().join(format!("d{i}.db"));
            copy_db(&Connection::open(&base).unwrap(), &p);
            // A copy is another device: a site id of its own.
            Connection::open(&p)
                .unwrap()
                .execute(
                    "UPDATE meta SET value = ?1 WHERE key = 'site_id'",
                    [format!("{:016x}", 0xd0 + i)],
                )
                .unwrap();
            let clock = TestClock::at(T0 + 1_000 + skew);
            let mut r = Replica {
                store: Store::open(&p, clock.clone()).unwrap(),
                path: p.clone(),
                clock,
                own: HashMap::new(),
                seen: String::new(),
            };
            for (n, op) in ops.iter().enumerate() {
                local_op(&mut r, op, &format!("{i}-{n}"));
            }
            r.store.conn().pragma_update(None, "journal_mode", "DELETE").unwrap();
            drop(r);
            paths.push(p);
        }
        let d = dir.path();
        let (a, b, c) = (&paths[0], &paths[1], &paths[2]);
        let ab = merged(d, "ab.db", a, b);
        let ba = merged(d, "ba.db", b, a);
        prop_assert_eq!(domain_of(&ab), domain_of(&ba));
        let ab_c = merged(d, "ab_c.db", &ab, c);
        let bc = merged(d, "bc.db", b, c);
        let a_bc = merged(d, "a_bc.db", a, &bc);
        prop_assert_eq!(domain_of(&ab_c), domain_of(&a_bc));
        let aa = merged(d, "aa.db", a, a);
        prop_assert_eq!(domain_of(&aa), domain_of(a));
        let ab_b = merged(d, "ab_b.db", &ab, b);
        prop_assert_eq!(domain_of(&ab_b), domain_of(&ab));
    }
}

/// One local edit on a replica; `mark` makes the values it writes unique.
fn local_op(r: &mut Replica, op: &Op, mark: &str) {
    // A little time passes between edits.
    r.clock.advance(250);
    let stage_list = stages::list(r.store.conn()).unwrap();
    let deal = |r: &Replica, n: usize| r.pick("deals", n);
    match *op {
        Op::AddDeal {
            customer, minor, ..
        } => allowed(usecase::deals::add(
            &mut r.store,
            &NewDeal {
                stage_id: stage_list[0].id.clone(),
                ..new_deal(
                    &format!("deal {mark}"),
                    CustomerRef::Name(CUSTOMERS[customer].into()),
                    minor,
                )
            },
        )),
        Op::Retitle { deal: n, .. } => {
            if let Some(id) = deal(r, n) {
                let patch = usecase::deals::Patch {
                    title: Some(format!("title {mark}")),
                    ..Default::default()
                };
                allowed(usecase::deals::edit(&mut r.store, &id, &patch));
            }
        }
        Op::Reprice { deal: n, minor, .. } => {
            if let Some(id) = deal(r, n) {
                let patch = usecase::deals::Patch {
                    amount: Some(eur(minor)),
                    ..Default::default()
                };
                allowed(usecase::deals::edit(&mut r.store, &id, &patch));
            }
        }
        Op::Move { deal: n, stage, .. } => {
            if let Some(id) = deal(r, n) {
                allowed(usecase::deals::move_to_stage(
                    &mut r.store,
                    &id,
                    &stage_list[stage % stage_list.len()],
                ));
            }
        }
        Op::Win { deal: n, .. } => {
            if let Some(id) = deal(r, n) {
                allowed(usecase::deals::win(&mut r.store, &id));
            }
        }
        Op::Reopen { deal: n, .. } => {
            if let Some(id) = deal(r, n) {
                allowed(usecase::deals::reopen(&mut r.store, &id, None));
            }
        }
        Op::Delete { deal: n, .. } => {
            if let Some(id) = deal(r, n) {
                allowed(usecase::deals::delete(&mut r.store, &id));
            }
        }
        Op::Restore { deal: n, .. } => {
            if let Some(id) = deal(r, n) {
                allowed(usecase::deals::restore(&mut r.store, &id));
            }
        }
        Op::AddCustomer { name, .. } => {
            let new = customers::NewCustomer::named(&format!("{} {mark}", CUSTOMERS[name]));
            allowed(usecase::customers::add(&mut r.store, &new));
        }
        Op::EditCustomer {
            customer,
            tier,
            tag,
            untag,
            ..
        } => {
            if let Some(id) = r.pick("customers", customer) {
                let mut patch = customers::Patch {
                    tier: Some([Tier::Key, Tier::Normal, Tier::Low][tier]),
                    name: Some(format!("customer {mark}")),
                    ..Default::default()
                };
                if untag {
                    patch.remove_tags.push(TAGS[tag].into());
                } else {
                    patch.add_tags.push(TAGS[tag].into());
                }
                allowed(usecase::customers::edit(&mut r.store, &id, &patch));
            }
        }
        Op::AddStage { after, .. } => {
            let at = &stage_list[after % stage_list.len()];
            let pipeline = pipelines::get(r.store.conn(), &at.pipeline_id).unwrap();
            let new = usecase::stages::NewStage {
                name: format!("stage {mark}"),
                probability: Some(40),
                rot_days: None,
                after: Some(at.id.clone()),
            };
            allowed(usecase::stages::add(&mut r.store, &pipeline, &new));
        }
        Op::RenameStage { stage, .. } => {
            let patch = usecase::stages::StagePatch {
                name: Some(format!("renamed {mark}")),
                ..Default::default()
            };
            let s = &stage_list[stage % stage_list.len()];
            allowed(usecase::stages::edit(&mut r.store, s, &patch));
        }
        Op::ReorderStage {
            stage, position, ..
        } => {
            let patch = usecase::stages::StagePatch {
                position: Some(position),
                ..Default::default()
            };
            let s = &stage_list[stage % stage_list.len()];
            allowed(usecase::stages::edit(&mut r.store, s, &patch));
        }
        Op::DeleteStage { stage, to, .. } => {
            let s = &stage_list[stage % stage_list.len()];
            let siblings: Vec<_> = stage_list
                .iter()
                .filter(|t| t.pipeline_id == s.pipeline_id && t.id != s.id)
                .collect();
            let target = (!siblings.is_empty()).then(|| siblings[to % siblings.len()]);
            allowed(usecase::stages::delete(&mut r.store, s, target));
        }
        Op::AddPipeline { .. } => {
            allowed(usecase::pipelines::add(
                &mut r.store,
                &format!("pipeline {mark}"),
            ));
        }
        Op::DeletePipeline { pipeline, to, .. } => {
            let all = pipelines::list(r.store.conn()).unwrap();
            let p = &all[pipeline % all.len()];
            let others: Vec<_> = all.iter().filter(|o| o.id != p.id).collect();
            let target = (!others.is_empty()).then(|| others[to % others.len()]);
            allowed(usecase::pipelines::delete(&mut r.store, p, target));
        }
        Op::Reason { name, remove, .. } => {
            use salesdesk::domain::book_list::BookList;
            let name = ["price", "Timing", "competitor"][name];
            if remove {
                allowed(usecase::lists::delete(
                    &mut r.store,
                    BookList::LostReason,
                    name,
                ));
            } else {
                allowed(usecase::lists::add(
                    &mut r.store,
                    BookList::LostReason,
                    name,
                ));
            }
        }
        Op::Field {
            name,
            money,
            remove,
            ..
        } => {
            use salesdesk::domain::field::{Entity, FieldType};
            let (name, kind, choices) = match name {
                0 if money => ("Budget", FieldType::Money, vec![]),
                0 => ("Budget", FieldType::Number, vec![]),
                1 => ("Size", FieldType::Choice, vec!["S".into(), "M".into()]),
                _ => ("Region", FieldType::Text, vec![]),
            };
            if remove {
                allowed(usecase::fields::delete(&mut r.store, Entity::Deal, name));
            } else {
                allowed(usecase::fields::add(
                    &mut r.store,
                    &usecase::fields::NewField {
                        entity: Entity::Deal,
                        name: name.into(),
                        kind,
                        choices,
                        required: false,
                    },
                ));
            }
        }
        Op::SetField {
            deal: n,
            field,
            value,
            ..
        } => {
            use salesdesk::domain::field::{Entity, FieldType, Typing};
            let defs = usecase::fields::defs(&r.store, Entity::Deal).unwrap();
            let (Some(id), false) = (r.pick("deals", n), defs.is_empty()) else {
                return;
            };
            let def = &defs[field % defs.len()];
            let text = match def.kind {
                _ if value % 5 == 0 => String::new(),
                FieldType::Number => format!("{value}.5"),
                FieldType::Money => format!("{value} USD"),
                FieldType::Choice => def.choices[value % def.choices.len()].clone(),
                _ => format!("text {mark}"),
            };
            let typing = Typing {
                today: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
                currency: "EUR".parse().unwrap(),
                decimal: Default::default(),
            };
            let sets = vec![(def.name.clone(), text)];
            match usecase::fields::parse_sets(&r.store, Entity::Deal, &sets, &typing) {
                Ok(fields) => allowed(usecase::deals::edit(
                    &mut r.store,
                    &id,
                    &usecase::deals::Patch {
                        fields,
                        ..Default::default()
                    },
                )),
                Err(e) => allowed(Err::<(), _>(e)),
            }
        }
        Op::Tick { ms, .. } => r.clock.advance(ms),
        Op::Sync { .. } | Op::Hostile { .. } => {}
    }
}

// ---------------------------------------------------------------------------------------
// Interrupted syncs and bad team files.

/// Two linked teammates, each with a deal of their own, synced.
fn pair() -> (Team, String, String) {
    let mut team = Team::new(&[0, 5_000]);
    team.sync(0, Service::Plain);
    let a = team.replicas[0].ids("deals");
    (team, a[0].clone(), a[1].clone())
}

fn title_of(store: &Store, id: &str) -> String {
    deals::get(store.conn(), id).unwrap().title
}

fn retitle(r: &mut Replica, id: &str, title: &str) {
    r.clock.advance(1_000);
    usecase::deals::edit(
        &mut r.store,
        id,
        &usecase::deals::Patch {
            title: Some(title.into()),
            ..Default::default()
        },
    )
    .unwrap();
    r.note_own_writes();
}

#[test]
fn a_sync_that_crashed_before_its_rename_leaves_everything_usable() {
    let (mut team, deal, _) = pair();
    let team_path = team.team_path().to_path_buf();
    retitle(&mut team.replicas[1], &deal, "from B");
    team.sync(1, Service::Plain);
    let a = &mut team.replicas[0];
    a.clock.advance(1_000);
    let patch = usecase::deals::Patch {
        amount: Some(eur(77_700)),
        ..Default::default()
    };
    usecase::deals::edit(&mut a.store, &deal, &patch).unwrap();
    a.note_own_writes();
    // Replica 0's sync merged the team file in, wrote half its temporary file, and died.
    let private = team.dir.path().join("private.db");
    copy_db(&Connection::open(&team_path).unwrap(), &private);
    merge::merge_from(&team.replicas[0].store, &private).unwrap();
    let full = team.dir.path().join("full.db");
    copy_db(team.replicas[0].store.conn(), &full);
    let bytes = std::fs::read(&full).unwrap();
    let temp = team_path.with_file_name(".team.salesdesk.crashed123.tmp");
    std::fs::write(&temp, &bytes[..bytes.len() / 2]).unwrap();
    let fresh_temp = team_path.with_file_name(".team.salesdesk.running456.tmp");
    std::fs::write(&fresh_temp, &bytes[..100]).unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 3600);
    std::fs::File::options()
        .write(true)
        .open(&temp)
        .unwrap()
        .set_modified(old)
        .unwrap();

    // Both files are still whole databases.
    assert!(teamfile::check(&private, Some(&team.link.team_id)).is_ok());
    let integrity: String = team.replicas[0]
        .store
        .conn()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");

    // The next sync completes, shares A's edit, and tidies the crashed sync's leftover
    // (but not a temporary file another sync may be writing right now).
    let report = team::sync(&team.replicas[0].store, &team.link).unwrap();
    assert!(report.copies_merged.is_empty(), "{report:?}");
    assert!(!temp.exists());
    assert!(fresh_temp.exists());
    team.sync(1, Service::Plain);
    let shared = deals::get(team.replicas[1].store.conn(), &deal).unwrap();
    assert_eq!(
        (shared.title.as_str(), shared.amount.minor),
        ("from B", 77_700)
    );
    team.settle();
}

#[test]
fn a_truncated_team_file_is_refused_and_the_next_sync_completes() {
    let (mut team, deal, _) = pair();
    let team_path = team.team_path().to_path_buf();
    retitle(&mut team.replicas[1], &deal, "from B");
    team.sync(1, Service::Plain);
    let whole = std::fs::read(&team_path).unwrap();
    // The sync service has delivered only part of B's file so far.
    std::fs::write(&team_path, &whole[..whole.len() * 2 / 3]).unwrap();
    let before = everything(team.replicas[0].store.conn());
    let err = team::sync(&team.replicas[0].store, &team.link).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, SyncError::Refused { .. }), "{message}");
    assert!(
        message.contains("damaged or only partly copied"),
        "{message}"
    );
    assert!(
        message.contains("your database was not changed"),
        "{message}"
    );
    assert!(!message.contains('\n'));
    assert_eq!(everything(team.replicas[0].store.conn()), before);
    assert_eq!(
        std::fs::read(&team_path).unwrap().len(),
        whole.len() * 2 / 3
    );

    // The rest arrives; the next sync completes.
    std::fs::write(&team_path, &whole).unwrap();
    team.sync(0, Service::Plain);
    assert_eq!(title_of(&team.replicas[0].store, &deal), "from B");

    // A file that never heals: moved away, the next sync writes it afresh.
    std::fs::write(&team_path, b"garbage").unwrap();
    assert!(team::sync(&team.replicas[0].store, &team.link).is_err());
    std::fs::rename(&team_path, team_path.with_extension("broken")).unwrap();
    let report = team::sync(&team.replicas[0].store, &team.link).unwrap();
    assert!(report.created);
    team.sync(1, Service::Plain);
    team.settle();
}

#[test]
fn another_teams_or_a_newer_file_is_refused_untouched() {
    let (team, _, _) = pair();
    let team_path = team.team_path().to_path_buf();
    let r = &team.replicas[0];
    let before = everything(r.store.conn());

    // Someone else's team file at the same path.
    let stranger_dir = tempfile::tempdir().unwrap();
    let stranger = Store::open(&stranger_dir.path().join("s.db"), TestClock::at(T0)).unwrap();
    let theirs = stranger_dir.path().join("theirs.salesdesk");
    team::init(&stranger, &theirs).unwrap();
    let ours = std::fs::read(&team_path).unwrap();
    std::fs::copy(&theirs, &team_path).unwrap();
    let err = team::sync(&r.store, &team.link).unwrap_err().to_string();
    assert!(err.contains("belongs to another team"), "{err}");
    assert_eq!(everything(r.store.conn()), before);

    // Our file, from a newer SalesDesk.
    std::fs::write(&team_path, &ours).unwrap();
    Connection::open(&team_path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let newer = std::fs::read(&team_path).unwrap();
    let err = team::sync(&r.store, &team.link).unwrap_err().to_string();
    assert!(err.contains("newer SalesDesk"), "{err}");
    assert_eq!(everything(r.store.conn()), before);
    assert_eq!(std::fs::read(&team_path).unwrap(), newer, "left as it was");

    // A conflict copy from another team is left alone; the sync goes on.
    std::fs::write(&team_path, &ours).unwrap();
    let copy = team_path.with_file_name("team (Eve's conflicted copy 2026-11-25).salesdesk");
    std::fs::copy(&theirs, &copy).unwrap();
    let report = team::sync(&r.store, &team.link).unwrap();
    assert_eq!(report.copies_skipped.len(), 1);
    assert!(copy.exists());
}

/// A form saved on a replica that has not pulled a teammate's change yet sends the value
/// it shows, unchanged by the user. Written with a fresh clock, that stale value would beat
/// the teammate's newer one at the next merge and log a false conflict; the mutation path
/// writes nothing for a value equal to the stored one, so the teammate's edit survives.
#[test]
fn a_form_that_resends_an_unchanged_value_does_not_overwrite_a_teammates_edit() {
    let (mut team, _, _) = pair();
    team.sync(1, Service::Plain);
    let deal = deals::resolve(team.replicas[0].store.conn(), "first 0").unwrap();
    let a = &mut team.replicas[0];
    a.clock.advance(1_000);
    let repriced = usecase::deals::Patch {
        amount: Some(eur(77_700)),
        ..Default::default()
    };
    usecase::deals::edit(&mut a.store, &deal, &repriced).unwrap();
    a.note_own_writes();
    team.sync(0, Service::Plain);

    // B has not synced: its form shows the old amount and sends it with a new title. B's
    // clock runs 5 s ahead, so its writes carry the later clocks.
    let b = &mut team.replicas[1];
    b.clock.advance(1_000);
    let shown = deals::get(b.store.conn(), &deal).unwrap().amount;
    assert_eq!(shown, eur(100));
    let form = usecase::deals::Patch {
        title: Some("B's title".into()),
        amount: Some(shown),
        ..Default::default()
    };
    usecase::deals::edit(&mut b.store, &deal, &form).unwrap();
    b.note_own_writes();
    team.sync(1, Service::Plain);
    team.sync(0, Service::Plain);

    for r in &team.replicas {
        let d = deals::get(r.store.conn(), &deal).unwrap();
        assert_eq!(
            (d.title.as_str(), d.amount.clone()),
            ("B's title", eur(77_700))
        );
        let conn = r.store.conn();
        assert_eq!(conflicts::pending_conflicts(conn).unwrap(), 0);
        let about_amount: Vec<_> = conflicts::conflicts(conn, true)
            .unwrap()
            .into_iter()
            .filter(|c| c.field == "amount_minor" || c.field == "currency")
            .collect();
        assert!(about_amount.is_empty(), "{about_amount:?}");
    }
}

#[test]
fn conflicts_can_be_kept_or_restored() {
    let (mut team, deal, other) = pair();
    retitle(&mut team.replicas[0], &deal, "A's title");
    retitle(&mut team.replicas[0], &other, "A's other title");
    retitle(&mut team.replicas[1], &deal, "B's title");
    retitle(&mut team.replicas[1], &other, "B's other title");
    team.sync(0, Service::Plain);
    team.sync(1, Service::Plain);
    team.sync(0, Service::Plain);
    // B's edits came later (B's clock runs 5 s ahead), so A's titles are the replaced ones.
    let a = &mut team.replicas[0];
    assert_eq!(title_of(&a.store, &deal), "B's title");
    let pending = conflicts::conflicts(a.store.conn(), false).unwrap();
    assert_eq!(pending.len(), 2, "{pending:?}");
    assert!(
        pending
            .iter()
            .all(|c| c.field == "title" && c.their_name.as_deref() == Some("Rep 1"))
    );
    assert_eq!(conflicts::pending_conflicts(a.store.conn()).unwrap(), 2);
    let first = pending.iter().find(|c| c.row_id == deal).unwrap();
    assert_eq!(first.mine, Value::Text("A's title".into()));
    assert_eq!(first.theirs, Value::Text("B's title".into()));
    assert_eq!(first.label.as_deref(), Some("B's title"));

    let (kept, _) = usecase::conflicts::resolve(&mut a.store, first.id, Keep::Theirs).unwrap();
    assert_eq!(kept.resolution, Some(Resolution::Theirs));
    let second = pending.iter().find(|c| c.row_id == other).unwrap();
    // Restoring mine can be undone: their value is back, and so is the question.
    let (_, undo) = usecase::conflicts::resolve(&mut a.store, second.id, Keep::Mine).unwrap();
    assert_eq!(title_of(&a.store, &other), "A's other title");
    a.store.undo(&undo).unwrap();
    assert_eq!(title_of(&a.store, &other), "B's other title");
    assert_eq!(conflicts::pending_conflicts(a.store.conn()).unwrap(), 1);
    usecase::conflicts::resolve(&mut a.store, second.id, Keep::Mine).unwrap();
    assert!(usecase::conflicts::resolve(&mut a.store, second.id, Keep::Mine).is_err());
    assert_eq!(conflicts::pending_conflicts(a.store.conn()).unwrap(), 0);
    assert_eq!(conflicts::conflicts(a.store.conn(), true).unwrap().len(), 2);
    assert_eq!(title_of(&a.store, &other), "A's other title");
    a.note_own_writes();
    team.sync(0, Service::Plain);
    team.sync(1, Service::Plain);
    assert_eq!(title_of(&team.replicas[1].store, &other), "A's other title");
    assert_eq!(title_of(&team.replicas[1].store, &deal), "B's title");
    // B's value was replaced in turn, by A who had seen it: history, not a conflict.
    let b = team.replicas[1].store.conn();
    assert_eq!(conflicts::pending_conflicts(b).unwrap(), 0);
    let b_log = conflicts::conflicts(b, true).unwrap();
    assert_eq!(b_log.len(), 1);
    assert_eq!(b_log[0].mine, Value::Text("B's other title".into()));
    assert_eq!(b_log[0].resolution, Some(Resolution::Seen));
}

/// B fills in a custom field of a deal and syncs; A, who has not synced since, deletes
/// the field; then both sync. A never saw B's value, so B's conflicts log keeps it (the
/// value itself stays in the book, hidden with its field), whichever syncs first.
#[test]
fn a_field_deleted_by_a_teammate_who_never_saw_my_value_keeps_it_in_my_log() {
    use salesdesk::domain::field::{Entity, FieldType, Typing};
    for b_syncs_first in [true, false] {
        let (mut team, deal, _) = pair();
        let a = &mut team.replicas[0];
        usecase::fields::add(
            &mut a.store,
            &usecase::fields::NewField {
                entity: Entity::Deal,
                name: "Budget".into(),
                kind: FieldType::Number,
                choices: vec![],
                required: false,
            },
        )
        .unwrap();
        a.note_own_writes();
        team.sync(0, Service::Plain);
        team.sync(1, Service::Plain);

        let b = &mut team.replicas[1];
        b.clock.advance(1_000);
        let typing = Typing {
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            currency: "EUR".parse().unwrap(),
            decimal: Default::default(),
        };
        let sets = vec![("Budget".to_string(), "7000".to_string())];
        let fields = usecase::fields::parse_sets(&b.store, Entity::Deal, &sets, &typing).unwrap();
        usecase::deals::edit(
            &mut b.store,
            &deal,
            &usecase::deals::Patch {
                fields,
                ..Default::default()
            },
        )
        .unwrap();
        b.note_own_writes();
        if b_syncs_first {
            team.sync(1, Service::Plain);
        }
        let a = &mut team.replicas[0];
        a.clock.advance(1_000);
        usecase::fields::delete(&mut a.store, Entity::Deal, "Budget").unwrap();
        a.note_own_writes();
        team.sync(0, Service::Plain);
        team.sync(1, Service::Plain);

        let b = team.replicas[1].store.conn();
        let log = conflicts::conflicts(b, false).unwrap();
        assert!(
            log.iter()
                .any(|c| c.table == "field_values" && c.mine == Value::Text("7000".into())),
            "B synced first: {b_syncs_first}; {log:?}"
        );
    }
}

#[test]
fn joining_merges_both_ways_and_linking_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let a = Store::open(&dir.path().join("a.db"), TestClock::at(T0)).unwrap();
    let mut b = Store::open(&dir.path().join("b.db"), TestClock::at(T0 + 10)).unwrap();
    let path = dir.path().join("team.salesdesk");
    assert!(matches!(
        team::init(&a, &dir.path().join("team.db")),
        Err(SyncError::BadName(_))
    ));
    assert!(matches!(
        team::init(&a, &dir.path().join("missing").join("t.salesdesk")),
        Err(SyncError::NoFolder(_))
    ));
    assert!(matches!(
        team::join(&b, &path),
        Err(SyncError::NoSuchFile(_))
    ));
    team::init(&a, &path).unwrap();
    assert!(matches!(team::init(&b, &path), Err(SyncError::Exists(_))));
    assert!(matches!(
        team::init(&a, &dir.path().join("second.salesdesk")),
        Err(SyncError::AlreadyLinked(_))
    ));
    let (link, report) = team::join(&b, &path).unwrap();
    assert_eq!(report.merged.rows_added, 1, "A's member row");
    assert_eq!(team::team_link(&b).unwrap(), Some(link.clone()));
    team::sync(&a, &link).unwrap();
    let status = team::status(&a).unwrap();
    assert_eq!(status.members.len(), 2);
    assert!(status.last_sync.is_some());
    assert_eq!(status.pending_conflicts, 0);
    // A sync with nothing new on either side leaves the team file alone; a teammate's
    // sync shows in the folder state a watcher polls.
    let written = std::fs::metadata(&path).unwrap().modified().unwrap();
    let seen = team::folder_state(&link);
    team::sync(&a, &link).unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        written
    );
    assert_eq!(team::folder_state(&link), seen);
    team::sync(&b, &link).unwrap();
    assert_eq!(team::folder_state(&link), seen, "B had nothing new either");
    usecase::deals::add(
        &mut b,
        &new_deal("from B", CustomerRef::Name("ACME".into()), 1),
    )
    .unwrap();
    team::sync(&b, &link).unwrap();
    assert_ne!(team::folder_state(&link), seen);
    team::leave(&b).unwrap();
    assert_eq!(team::team_link(&b).unwrap(), None);
    assert!(matches!(team::leave(&b), Err(SyncError::NotLinked)));
    assert!(path.exists(), "leaving keeps the team file");
    // The team file names no site: opened as a database it becomes a new site.
    let keys = rows(
        &Connection::open(&path).unwrap(),
        "SELECT key FROM meta ORDER BY key",
    );
    assert_eq!(keys, vec![vec![Value::Text("team_id".into())]]);
}

#[test]
fn a_background_sync_shows_in_the_tuis_data_version() {
    let (mut team, deal, _) = pair();
    retitle(&mut team.replicas[1], &deal, "from B");
    team.sync(1, Service::Plain);
    let a = &team.replicas[0];
    let before = a.store.data_version().unwrap();
    let link = team::team_link(&a.store).unwrap().unwrap();
    let report = team::sync_now(&a.path, &link, a.clock.clone()).unwrap();
    assert_eq!(report.merged.fields_updated, 1, "{report:?}");
    assert_ne!(a.store.data_version().unwrap(), before);
    assert_eq!(title_of(&a.store, &deal), "from B");
}

// ---------------------------------------------------------------------------------------
// Two real processes sharing one folder.

struct User {
    db: PathBuf,
    config: PathBuf,
}

impl User {
    fn new(dir: &Path, name: &str) -> User {
        let config = dir.join(format!("{name}.toml"));
        std::fs::write(
            &config,
            format!(
                "[me]\nname = \"{name}\"\nemail = \"{}@example.com\"\n",
                name.to_lowercase()
            ),
        )
        .unwrap();
        User {
            db: dir.join(format!("{}.db", name.to_lowercase())),
            config,
        }
    }

    /// This member's `salesdesk`, on the running clock: two members' edits are ordered
    /// by when they were made, as on two real machines.
    fn cmd(&self) -> Command {
        let mut cmd = common::salesdesk(&self.db, &self.config);
        cmd.env_remove("SALESDESK_NOW");
        cmd
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }

    fn json(&self, args: &[&str]) -> Json {
        let out = self.cmd().arg("--json").args(args).assert().success();
        serde_json::from_slice(&out.get_output().stdout).unwrap()
    }
}

#[test]
fn two_people_edit_one_deal_and_both_end_up_with_everything() {
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("Dropbox");
    std::fs::create_dir(&shared).unwrap();
    let team_file = shared.join("team.salesdesk");
    let team_arg = team_file.to_str().unwrap();
    let ann = User::new(dir.path(), "Ann");
    let ben = User::new(dir.path(), "Ben");

    ann.ok(&[
        "deal",
        "add",
        "ACME renewal",
        "--customer",
        "ACME",
        "--amount",
        "1000",
    ]);
    let out = ann.ok(&["team", "init", team_arg]);
    assert!(out.contains("Made the team file"), "{out}");
    let out = ben.ok(&["team", "join", team_arg]);
    assert!(out.contains("Joined the team file"), "{out}");
    assert!(out.contains("4 new records from teammates"), "{out}");
    let deals = ben.json(&["deal", "list"]);
    let id = deals[0]["id"].as_str().unwrap().to_string();
    assert_eq!(deals[0]["title"], "ACME renewal");

    // At the same time: Ann changes the amount, Ben moves the deal; then both retitle it.
    ann.ok(&["deal", "edit", &id, "--amount", "5000"]);
    ben.ok(&["deal", "move", &id, "Proposal"]);
    ann.ok(&["deal", "edit", &id, "--title", "ACME renewal (Ann)"]);
    ben.ok(&["deal", "edit", &id, "--title", "ACME renewal (Ben)"]);

    for _ in 0..2 {
        ann.ok(&["sync"]);
        ben.ok(&["sync"]);
    }
    let a = ann.json(&["deal", "show", &id]);
    let b = ben.json(&["deal", "show", &id]);
    for d in [&a, &b] {
        assert_eq!(d["amount"], "5000.00", "{d}");
        assert_eq!(d["stage"], "Proposal", "{d}");
    }
    let title_a = a["title"].clone();
    let title_b = b["title"].clone();
    assert_eq!(title_a, title_b);
    let (loser, lost) = if title_a == "ACME renewal (Ben)" {
        (&ann, "ACME renewal (Ann)")
    } else {
        (&ben, "ACME renewal (Ben)")
    };
    let log = loser.json(&["team", "conflicts"]);
    let log = log.as_array().unwrap();
    // Ben moved the deal after seeing Ann's stage: that is not a conflict. Only the
    // title, changed by both without seeing the other's, waits for review.
    let retitled: Vec<&Json> = log.iter().filter(|c| c["field"] == "title").collect();
    assert_eq!((log.len(), retitled.len()), (1, 1), "{log:?}");
    assert_eq!(retitled[0]["mine"], lost);
    assert_eq!(retitled[0]["theirs"], title_a);
    assert_eq!(retitled[0]["table"], "deals");
    // Nobody else touched the amount: Ann's is not a conflict anywhere.
    for user in [&ann, &ben] {
        let log = user.json(&["team", "conflicts"]);
        assert!(
            log.as_array()
                .unwrap()
                .iter()
                .all(|c| c["field"] != "amount_minor"),
            "{log}"
        );
    }
    let table = loser.ok(&["team", "conflicts"]);
    assert!(table.contains(lost), "{table}");

    let status = ann.json(&["team", "status"]);
    let names: Vec<&str> = status["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ann", "Ben"]);
    assert!(status["last_sync"].is_string());
    let text = loser.ok(&["team", "status"]);
    assert!(text.contains(&format!("{} pending", log.len())), "{text}");

    // A third teammate's sync ends up as a Syncthing conflict copy beside the team file.
    let cy = User::new(dir.path(), "Cy");
    cy.ok(&["team", "join", team_arg]);
    let before = std::fs::read(&team_file).unwrap();
    cy.ok(&["deal", "add", "Globex pilot", "--customer", "Globex"]);
    cy.ok(&["sync"]);
    let copy = shared.join("team.sync-conflict-20261125-101010-ABCDEFG.salesdesk");
    std::fs::rename(&team_file, &copy).unwrap();
    std::fs::write(&team_file, before).unwrap();
    let out = ann.ok(&["sync"]);
    assert!(out.contains("Merged and removed 1 conflict copy"), "{out}");
    assert!(!copy.exists());
    let titles: Vec<String> = ann
        .json(&["deal", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["title"].as_str().unwrap().to_string())
        .collect();
    assert!(titles.contains(&"Globex pilot".to_string()), "{titles:?}");
    ben.ok(&["sync"]);
    let titles = ben.ok(&["deal", "list"]);
    assert!(titles.contains("Globex pilot"), "{titles}");

    // Resolving from the command line.
    let conflict_id = retitled[0]["id"].as_i64().unwrap().to_string();
    let out = loser.ok(&["team", "resolve", &conflict_id, "--keep", "mine"]);
    assert!(out.contains("Restored your title"), "{out}");
    loser.ok(&["sync"]);
    let winner = if std::ptr::eq(loser, &ann) {
        &ben
    } else {
        &ann
    };
    winner.ok(&["sync"]);
    let shown = winner.json(&["deal", "show", &id]);
    assert_eq!(shown["title"], lost);
}

#[test]
fn the_command_line_refuses_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let ann = User::new(dir.path(), "Ann");
    let out = ann.cmd().arg("sync").assert().failure();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("there is no SalesDesk database at"), "{err}");
    ann.ok(&["customer", "add", "ACME"]);
    let out = ann.cmd().arg("sync").assert().failure();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("not linked to a team file"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");

    let bad = dir.path().join("team.txt");
    let out = ann
        .cmd()
        .args(["team", "init"])
        .arg(&bad)
        .assert()
        .failure();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("does not end in .salesdesk"), "{err}");

    let team_file = dir.path().join("team.salesdesk");
    ann.cmd()
        .args(["team", "init"])
        .arg(&team_file)
        .assert()
        .success();
    let whole = std::fs::read(&team_file).unwrap();
    std::fs::write(&team_file, &whole[..whole.len() / 2]).unwrap();
    let before = everything(&Connection::open(&ann.db).unwrap());
    let out = ann.cmd().arg("sync").assert().failure();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("was not merged"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(everything(&Connection::open(&ann.db).unwrap()), before);
    let text = ann.ok(&["team", "status"]);
    assert!(text.contains("Conflicts  none pending"), "{text}");
    let out = ann
        .cmd()
        .args(["team", "resolve", "7", "--keep", "mine"])
        .assert()
        .failure();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("no conflict matches '7'"), "{err}");
}

#[test]
fn a_broken_row_in_the_team_file_is_quarantined_and_the_team_keeps_syncing() {
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("Dropbox");
    std::fs::create_dir(&shared).unwrap();
    let team_file = shared.join("team.salesdesk");
    let team_arg = team_file.to_str().unwrap();
    let ann = User::new(dir.path(), "Ann");
    let ben = User::new(dir.path(), "Ben");
    ann.ok(&[
        "deal",
        "add",
        "ACME renewal",
        "--customer",
        "ACME",
        "--amount",
        "1200",
    ]);
    ann.ok(&["team", "init", team_arg]);
    ben.ok(&["team", "join", team_arg]);
    // Someone with the folder drops the amount's CHECK from the file, makes the amount
    // negative and stamps it with a clock that wins.
    common::forge_negative_amounts(&team_file, None);
    let out = ben.cmd().arg("sync").assert().success();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("1 row from the team file broke"), "{err}");
    let status = ben.ok(&["team", "status"]);
    assert!(status.contains("Quarantine 1 row"), "{status}");
    assert!(status.contains("amount_minor"), "{status}");
    assert!(status.contains("[from Ann]"), "{status}");
    let json = ben.json(&["team", "status"]);
    assert_eq!(json["quarantined"], 1);
    assert_eq!(json["quarantine"][0]["field"], "amount_minor");
    let deals = ben.json(&["deal", "list"]);
    assert_eq!(deals[0]["amount_minor"], 120_000, "{deals}");
    // Ann, whose value it forged, keeps hers too; and both go on syncing (the row is met
    // again, and counted, not listed twice).
    ann.ok(&["sync"]);
    ben.ok(&["sync"]);
    assert_eq!(ben.json(&["team", "status"])["quarantined"], 1);
    assert_eq!(ann.json(&["deal", "list"])[0]["amount_minor"], 120_000);
}

#[test]
fn a_conflict_copy_with_a_broken_row_is_combined_and_the_row_quarantined() {
    let (mut team, deal, _) = pair();
    // A conflict copy whose schema lost the amount's CHECK, holding a negative amount
    // with a clock that wins, and a well-formed new customer.
    let copy = team.copy_path(true);
    std::fs::copy(team.team_path(), &copy).unwrap();
    common::forge_negative_amounts(&copy, Some(&deal));
    let r = &team.replicas[1];
    let report = team::sync(&r.store, &team.link).unwrap();
    assert_eq!(report.copies_merged, [copy], "{report:?}");
    assert_eq!(report.merged.quarantined, 1, "{report:?}");
    let amount = deals::get(r.store.conn(), &deal).unwrap().amount.minor;
    assert!(amount >= 0, "{amount}");
    let entries = salesdesk::store::quarantine::recent(r.store.conn(), 10).unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(
        (entries[0].table.as_str(), entries[0].field.as_str()),
        ("deals", "amount_minor")
    );
    // The copy was folded in and removed; the team goes on syncing.
    team.sync(0, Service::Plain);
    team.sync(1, Service::Plain);
    for r in &team.replicas {
        assert!(deals::get(r.store.conn(), &deal).unwrap().amount.minor >= 0);
    }
}

// ---------------------------------------------------------------------------------------
// Signed changes: a teammate with the folder cannot pose as another.

/// Three linked teammates (each with a key, made at `team init`/`join`), synced.
fn trio() -> Team {
    let mut team = Team::new(&[0, 5_000, 10_000]);
    for who in 0..3 {
        team.sync(who, Service::Plain);
    }
    team
}

/// Changes the team file at `path` with `sql` as someone with the folder would.
fn tamper(path: &Path, sql: &str) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(&format!("PRAGMA foreign_keys = OFF; {sql}"))
        .unwrap();
}

/// A clock of `site` that beats every clock in the file (the far end of the allowed
/// drift is not needed: a minute ahead of everyone will do).
fn later_clock(site: &str) -> String {
    format!("{:016}-00000-{site}", T0 + 60_000)
}

fn the_deal_of(r: &Replica, title: &str) -> String {
    r.store
        .conn()
        .query_row("SELECT id FROM deals WHERE title = ?1", [title], |x| {
            x.get(0)
        })
        .unwrap()
}

fn quarantine_of(r: &Replica) -> Vec<salesdesk::store::quarantine::Quarantined> {
    salesdesk::store::quarantine::recent(r.store.conn(), 50).unwrap()
}

#[test]
fn a_change_forged_under_a_teammates_site_is_quarantined_and_their_value_stays() {
    let mut team = trio();
    let deal = the_deal_of(&team.replicas[0], "first 0");
    retitle(&mut team.replicas[0], &deal, "Ann's title");
    team.sync(0, Service::Plain);
    team.sync(2, Service::Plain);
    let ann_site = team.replicas[0].store.site_id().to_string();
    let forged = later_clock(&ann_site);
    // Replica 1 rewrites Ann's title in the file, stamped with Ann's site: unsigned.
    tamper(
        team.team_path(),
        &format!(
            "UPDATE deals SET title = 'forged' WHERE id = '{deal}';
             UPDATE field_clock SET hlc = '{forged}'
              WHERE tbl = 'deals' AND row_id = '{deal}' AND field = 'title';"
        ),
    );
    // And Ann's customer's name, carrying the signature Ann made for the old name.
    let customer: String = team.replicas[0]
        .store
        .conn()
        .query_row(
            "SELECT customer_id FROM deals WHERE id = ?1",
            [&deal],
            |r| r.get(0),
        )
        .unwrap();
    tamper(
        team.team_path(),
        &format!(
            "UPDATE customers SET name = 'Forged Inc' WHERE id = '{customer}';
             INSERT OR REPLACE INTO field_clock VALUES ('customers', '{customer}', 'name', '{forged}');
             INSERT OR REPLACE INTO signatures
             SELECT tbl, row_id, 'name', '{forged}', vals, sig FROM signatures
              WHERE tbl = 'customers' AND row_id = '{customer}' AND field = '*';"
        ),
    );
    let r = &team.replicas[2];
    let report = team::sync(&r.store, &team.link).unwrap();
    assert_eq!(report.merged.quarantined, 2, "{report:?}");
    assert_eq!(title_of(&r.store, &deal), "Ann's title");
    let name = customers::get(r.store.conn(), &customer).unwrap().name;
    assert_eq!(name, "ACME");
    let log = quarantine_of(r);
    let title = log.iter().find(|q| q.row_id == deal).unwrap();
    assert_eq!(title.reason, "not signed by Rep 0", "{title:?}");
    assert_eq!(title.member_name.as_deref(), Some("Rep 0"));
    let name = log.iter().find(|q| q.row_id == customer).unwrap();
    assert_eq!(name.reason, "signature does not match", "{name:?}");
    // The sync wrote the file over, forgeries gone, so that no one else meets them.
    let conn = Connection::open(team.team_path()).unwrap();
    let in_file: String = conn
        .query_row("SELECT title FROM deals WHERE id = ?1", [&deal], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(in_file, "Ann's title");
    drop(conn);
    for who in 0..3 {
        team.sync(who, Service::Plain);
        let r = &team.replicas[who];
        assert_eq!(title_of(&r.store, &deal), "Ann's title", "replica {who}");
        let name = customers::get(r.store.conn(), &customer).unwrap().name;
        assert_eq!(name, "ACME", "replica {who}");
    }
}

#[test]
fn one_bad_signature_among_many_quarantines_exactly_its_row() {
    // Many signed clocks arrive in one merge, so their signatures are verified together
    // (across cores); the one that does not match must still be found and named.
    let mut team = trio();
    let titles: Vec<String> = (0..300).map(|i| format!("batch {i:03}")).collect();
    let ann = &mut team.replicas[0];
    for title in &titles {
        usecase::deals::add(
            &mut ann.store,
            &new_deal(title, CustomerRef::Name(CUSTOMERS[0].into()), 100),
        )
        .unwrap();
    }
    ann.note_own_writes();
    let ids: Vec<String> = titles.iter().map(|t| the_deal_of(ann, t)).collect();
    team.sync(0, Service::Plain);
    team.sync(2, Service::Plain);
    // Ann retitles every one of them: 300 signed title clocks in the next file.
    for (id, title) in ids.iter().zip(&titles) {
        retitle(&mut team.replicas[0], id, &format!("{title} renamed"));
    }
    team.sync(0, Service::Plain);
    // Someone with the folder gives the 200th title another title's (valid) signature.
    let victim = &ids[200];
    tamper(
        team.team_path(),
        &format!(
            "UPDATE signatures SET sig = (SELECT sig FROM signatures
                                           WHERE row_id = '{}' AND field = 'title')
              WHERE row_id = '{victim}' AND field = 'title';",
            ids[13]
        ),
    );
    let r = &team.replicas[2];
    let report = team::sync(&r.store, &team.link).unwrap();
    assert_eq!(report.merged.quarantined, 1, "{report:?}");
    let log = quarantine_of(r);
    let refused: Vec<_> = log.iter().filter(|q| q.table == "deals").collect();
    assert_eq!(refused.len(), 1, "{log:?}");
    assert_eq!(refused[0].row_id, *victim);
    assert_eq!(refused[0].field, "title");
    assert_eq!(refused[0].reason, "signature does not match");
    for (i, (id, title)) in ids.iter().zip(&titles).enumerate() {
        let expected = if i == 200 {
            title.clone()
        } else {
            format!("{title} renamed")
        };
        assert_eq!(title_of(&r.store, id), expected, "deal {i}");
    }
}

/// A new deal whose signature does not match is kept out, and so is everything that
/// names it (its stage history, its activities): one forged row must not fail the sync
/// of the whole team with a foreign-key error.
#[test]
fn a_new_deal_with_a_bad_signature_is_kept_out_with_what_names_it() {
    let mut team = trio();
    let ann = &mut team.replicas[0];
    for title in ["new and honest", "new and forged"] {
        usecase::deals::add(
            &mut ann.store,
            &new_deal(title, CustomerRef::Name(CUSTOMERS[0].into()), 100),
        )
        .unwrap();
    }
    ann.note_own_writes();
    let honest = the_deal_of(ann, "new and honest");
    let forged = the_deal_of(ann, "new and forged");
    team.sync(0, Service::Plain);
    // The forged deal's row signature is swapped for the honest one's.
    tamper(
        team.team_path(),
        &format!(
            "UPDATE signatures SET sig = (SELECT sig FROM signatures
                                           WHERE row_id = '{honest}' AND field = '*')
              WHERE row_id = '{forged}' AND field = '*';"
        ),
    );
    let r = &team.replicas[2];
    let report = team::sync(&r.store, &team.link).unwrap();
    assert!(report.merged.quarantined >= 1, "{report:?}");
    assert!(deals::get(r.store.conn(), &forged).is_err());
    assert_eq!(title_of(&r.store, &honest), "new and honest");
    let history: i64 = r
        .store
        .conn()
        .query_row(
            "SELECT count(*) FROM stage_changes WHERE deal_id = ?1",
            [&forged],
            |x| x.get(0),
        )
        .unwrap();
    assert_eq!(history, 0);
    let log = quarantine_of(r);
    assert!(
        log.iter()
            .any(|q| q.row_id == forged && q.reason == "signature does not match"),
        "{log:?}"
    );
}

#[test]
fn a_forged_seen_mark_is_not_trusted() {
    let mut team = trio();
    let deal = the_deal_of(&team.replicas[0], "first 0");
    retitle(&mut team.replicas[0], &deal, "from A");
    team.sync(0, Service::Plain);
    // B renames without having seen A's name: a conflict for A to review.
    team.replicas[1].clock.advance(30_000);
    retitle(&mut team.replicas[1], &deal, "from B");
    team.sync(1, Service::Plain);
    let (a_clock, b_clock): (String, String) = {
        let conn = Connection::open(team.team_path()).unwrap();
        let b: String = conn
            .query_row(
                "SELECT hlc FROM field_clock WHERE row_id = ?1 AND field = 'title'",
                [&deal],
                |r| r.get(0),
            )
            .unwrap();
        let a: String = team.replicas[0]
            .store
            .conn()
            .query_row(
                "SELECT hlc FROM field_clock WHERE row_id = ?1 AND field = 'title'",
                [&deal],
                |r| r.get(0),
            )
            .unwrap();
        (a, b)
    };
    assert!(b_clock > a_clock);
    // Someone with the folder says B had seen A's name.
    tamper(
        team.team_path(),
        &format!(
            "INSERT OR REPLACE INTO field_base VALUES ('deals', '{deal}', 'title', '{b_clock}', '{a_clock}');"
        ),
    );
    let a = &team.replicas[0];
    let report = team::sync(&a.store, &team.link).unwrap();
    // The mark is not B's signed word: B's write is refused from this file, and A's
    // title stays, rather than being replaced and filed as seen.
    assert_eq!(report.merged.seen, 0, "{report:?}");
    assert_eq!(report.merged.quarantined, 1, "{report:?}");
    assert_eq!(title_of(&a.store, &deal), "from A");
    let log = quarantine_of(a);
    assert_eq!(log[0].reason, "signature does not match", "{log:?}");
    // From a file that B writes honestly, B's name arrives as a pending conflict.
    team.replicas[1].clock.advance(1_000);
    retitle(&mut team.replicas[1], &deal, "from B again");
    team.sync(1, Service::Plain);
    let a = &team.replicas[0];
    let report = team::sync(&a.store, &team.link).unwrap();
    assert_eq!(title_of(&a.store, &deal), "from B again");
    assert_eq!(report.merged.conflicts, 1, "{report:?}");
}

#[test]
fn a_new_site_posing_as_a_member_is_quarantined_but_a_restored_copy_is_not() {
    let team = trio();
    let deal = the_deal_of(&team.replicas[0], "first 0");
    let ann = team.replicas[0].store.member_id().to_string();
    let site = "00000000000000ee";
    let forged = later_clock(site);
    // A site nobody has, mapped to Ann, bringing a deal of "hers".
    tamper(
        team.team_path(),
        &format!(
            "INSERT INTO sites (site_id, member_id) VALUES ('{site}', '{ann}');
             INSERT INTO deals SELECT 'posed', 'posed deal', customer_id, contact_id, stage_id,
                    status, amount_minor, currency, expected_close, source, owner_id,
                    lost_reason, closed_at, position, notes, created_at, updated_at, deleted_at
               FROM deals WHERE id = '{deal}';
             INSERT INTO field_clock VALUES ('deals', 'posed', '*', '{forged}');"
        ),
    );
    let r = &team.replicas[2];
    team::sync(&r.store, &team.link).unwrap();
    assert!(deals::get(r.store.conn(), "posed").is_err());
    let sites = teamfile::sites(r.store.conn()).unwrap();
    assert!(!sites.iter().any(|(s, _)| s == site), "{sites:?}");
    let log = quarantine_of(r);
    let claim = log.iter().find(|q| q.row_id == site).unwrap();
    assert!(
        claim.skipped && claim.reason.contains("as Rep 0 without their signature"),
        "{claim:?}"
    );
    let posed = log.iter().find(|q| q.row_id == "posed").unwrap();
    assert_eq!(
        posed.reason,
        "its site claims to write as Rep 0 without their signature"
    );

    // Ann's restored backup holds her key: its new site signs its own claim, and what it
    // writes is taken as hers.
    let copy_path = team.dir.path().join("r0-restored.db");
    team.replicas[0].store.backup_to(&copy_path).unwrap();
    let clock = TestClock::at(T0 + 120_000);
    let copy = Store::open(&copy_path, clock).unwrap();
    assert_ne!(copy.site_id(), team.replicas[0].store.site_id());
    let mut copy_store = copy;
    usecase::deals::edit(
        &mut copy_store,
        &deal,
        &usecase::deals::Patch {
            title: Some("from Ann's restored copy".into()),
            ..Default::default()
        },
    )
    .unwrap();
    std::fs::remove_file(team.team_path()).unwrap();
    team::sync(&team.replicas[1].store, &team.link).unwrap();
    team::sync(&copy_store, &team.link).unwrap();
    let r = &team.replicas[2];
    let before = quarantine_of(r).len();
    let report = team::sync(&r.store, &team.link).unwrap();
    assert_eq!(report.merged.quarantined, 0, "{report:?}");
    assert_eq!(title_of(&r.store, &deal), "from Ann's restored copy");
    assert_eq!(quarantine_of(r).len(), before, "{:?}", quarantine_of(r));
}

#[test]
fn a_changed_public_key_is_quarantined_and_reported() {
    let mut team = trio();
    let ann = team.replicas[0].store.member_id().to_string();
    let ben = team.replicas[1].store.member_id().to_string();
    // Ben gives Ann his own key in the file, so that he could sign as her.
    tamper(
        team.team_path(),
        &format!(
            "UPDATE member_keys SET public_key =
                    (SELECT public_key FROM member_keys WHERE member_id = '{ben}')
              WHERE member_id = '{ann}';"
        ),
    );
    let r = &team.replicas[2];
    team::sync(&r.store, &team.link).unwrap();
    let status = team::status(&r.store).unwrap();
    let entry = status
        .quarantine
        .iter()
        .find(|q| q.table == "member_keys")
        .unwrap();
    assert_eq!(entry.row_id, ann);
    assert!(
        entry.skipped && entry.reason.contains("than the one held for this member"),
        "{entry:?}"
    );
    let held: Vec<u8> = r
        .store
        .conn()
        .query_row(
            "SELECT public_key FROM member_keys WHERE member_id = ?1",
            [&ann],
            |x| x.get(0),
        )
        .unwrap();
    let ben_key: Vec<u8> = r
        .store
        .conn()
        .query_row(
            "SELECT public_key FROM member_keys WHERE member_id = ?1",
            [&ben],
            |x| x.get(0),
        )
        .unwrap();
    assert_ne!(held, ben_key, "the key held for Ann was kept");
    // Ann's own signed edits still arrive.
    let deal = the_deal_of(&team.replicas[0], "first 0");
    retitle(&mut team.replicas[0], &deal, "still Ann");
    team.sync(0, Service::Plain);
    let r = &team.replicas[2];
    team::sync(&r.store, &team.link).unwrap();
    assert_eq!(title_of(&r.store, &deal), "still Ann");
}

#[test]
fn history_from_before_keys_is_accepted_and_later_unsigned_changes_are_not() {
    let mut team = trio();
    let deal = the_deal_of(&team.replicas[0], "first 0");
    // A team file as SalesDesk wrote it before changes were signed.
    tamper(
        team.team_path(),
        "DELETE FROM member_keys; DELETE FROM site_claims; DELETE FROM signatures;",
    );
    let mut late = Replica::open(team.dir.path(), 9, 20_000);
    team::join(&late.store, team.team_path()).unwrap();
    late.check_nothing_lost();
    assert_eq!(title_of(&late.store, &deal), "first 0");
    assert!(
        quarantine_of(&late).is_empty(),
        "{:?}",
        quarantine_of(&late)
    );
    // Ann's next sync brings her key and her signatures for what she wrote before; the
    // late joiner takes them for the clocks it already holds, and passes them on.
    retitle(&mut team.replicas[0], &deal, "signed now");
    team.sync(0, Service::Plain);
    team::sync(&late.store, &team.link).unwrap();
    assert_eq!(title_of(&late.store, &deal), "signed now");
    let unsigned: i64 = late
        .store
        .conn()
        .query_row(
            &format!(
                "SELECT count(*) FROM field_clock f
                  WHERE substr(f.hlc, -16) = '{}'
                    AND NOT EXISTS (SELECT 1 FROM signatures s
                                     WHERE s.tbl = f.tbl AND s.row_id = f.row_id
                                       AND s.field = f.field AND s.hlc = f.hlc)",
                team.replicas[0].store.site_id()
            ),
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        unsigned, 0,
        "every clock of Ann's is signed at the late joiner"
    );
    // Now that Ann has a key, an unsigned change under her site is refused.
    let forged = later_clock(team.replicas[0].store.site_id());
    tamper(
        team.team_path(),
        &format!(
            "UPDATE deals SET title = 'forged' WHERE id = '{deal}';
             UPDATE field_clock SET hlc = '{forged}'
              WHERE tbl = 'deals' AND row_id = '{deal}' AND field = 'title';
             DELETE FROM signatures WHERE row_id = '{deal}';"
        ),
    );
    team::sync(&late.store, &team.link).unwrap();
    assert_eq!(title_of(&late.store, &deal), "signed now");
    let log = quarantine_of(&late);
    assert_eq!(log[0].reason, "not signed by Rep 0", "{log:?}");
}

#[test]
fn the_private_key_never_leaves_its_database() {
    let team = trio();
    let file = std::fs::read(team.team_path()).unwrap();
    for r in &team.replicas {
        let seed_hex = r.store.meta("member_key").unwrap().unwrap();
        assert_eq!(seed_hex.len(), 64);
        let seed: Vec<u8> = (0..32)
            .map(|i| u8::from_str_radix(&seed_hex[2 * i..2 * i + 2], 16).unwrap())
            .collect();
        assert!(
            !file.windows(64).any(|w| w == seed_hex.as_bytes()),
            "the key's hex is in the team file"
        );
        assert!(
            !file.windows(32).any(|w| w == seed.as_slice()),
            "the key is in the team file"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Pipelines and stages edited by teammates at once.

fn stage_named(store: &Store, name: &str) -> salesdesk::domain::stage::Stage {
    stages::resolve(store.conn(), name, None).unwrap()
}

fn stage_of(store: &Store, deal: &str) -> String {
    deals::get(store.conn(), deal).unwrap().stage_id
}

#[test]
fn a_deal_moved_into_a_stage_a_teammate_deleted_lands_where_its_deals_went() {
    let (mut team, deal, _) = pair();
    team.sync(1, Service::Plain);
    // A deletes Qualified, its deals to Proposal; B, not yet seeing it, moves the deal
    // into Qualified and renames Negotiation.
    let (qualified, proposal) = {
        let a = &team.replicas[0].store;
        (stage_named(a, "Qualified"), stage_named(a, "Proposal"))
    };
    {
        let a = &mut team.replicas[0];
        a.clock.advance(1_000);
        usecase::stages::delete(&mut a.store, &qualified, Some(&proposal)).unwrap();
        a.note_own_writes();
    }
    {
        let b = &mut team.replicas[1];
        b.clock.advance(2_000);
        usecase::deals::move_to_stage(&mut b.store, &deal, &qualified).unwrap();
        let negotiation = stage_named(&b.store, "Negotiation");
        let patch = usecase::stages::StagePatch {
            name: Some("Contract".into()),
            ..Default::default()
        };
        usecase::stages::edit(&mut b.store, &negotiation, &patch).unwrap();
        b.note_own_writes();
    }
    team.sync(0, Service::Plain);
    team.sync(1, Service::Plain);
    team.settle();
    for r in &team.replicas {
        assert_eq!(stage_of(&r.store, &deal), proposal.id);
        // The rename and the delete both hold.
        let names: Vec<String> = stages::list(r.store.conn())
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names, ["Lead", "Proposal", "Contract"]);
        // The deal's history: added, moved into Qualified, sent on to Proposal (once).
        let history = deals::history(r.store.conn(), &deal).unwrap();
        let steps: Vec<&str> = history.iter().map(|h| h.to_stage.as_str()).collect();
        assert_eq!(steps, ["Lead", "Qualified", "Proposal"]);
    }
}

#[test]
fn two_teammates_deleting_each_others_target_keep_a_stage_and_every_deal() {
    let (mut team, deal, other) = pair();
    team.sync(1, Service::Plain);
    // Down to two stages, Lead and Proposal, on both sides.
    {
        let a = &mut team.replicas[0];
        for name in ["Qualified", "Negotiation"] {
            let s = stage_named(&a.store, name);
            usecase::stages::delete(&mut a.store, &s, None).unwrap();
        }
        a.note_own_writes();
    }
    team.sync(0, Service::Plain);
    team.sync(1, Service::Plain);
    let (lead, proposal) = {
        let a = &team.replicas[0].store;
        (stage_named(a, "Lead"), stage_named(a, "Proposal"))
    };
    // A deletes Lead (deals to Proposal), B deletes Proposal (deals to Lead).
    {
        let a = &mut team.replicas[0];
        a.clock.advance(1_000);
        usecase::stages::delete(&mut a.store, &lead, Some(&proposal)).unwrap();
        a.note_own_writes();
    }
    {
        let b = &mut team.replicas[1];
        b.clock.advance(3_000);
        usecase::deals::move_to_stage(&mut b.store, &other, &proposal).unwrap();
        usecase::stages::delete(&mut b.store, &proposal, Some(&lead)).unwrap();
        b.note_own_writes();
    }
    team.settle();
    for r in &team.replicas {
        let live = stages::list(r.store.conn()).unwrap();
        assert_eq!(live.len(), 1, "the stage deleted last is back");
        for d in [&deal, &other] {
            assert_eq!(stage_of(&r.store, d), live[0].id);
        }
    }
}

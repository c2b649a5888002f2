use super::*;
use crate::domain::customer::Cadence;
use crate::domain::metrics::Period;
use crate::domain::money::Currency;
use crate::domain::time::Zone;
use crate::interop::map::{Entity, Format, Mapping};
use crate::interop::records::Context;
use crate::interop::source;
use crate::store::test_support::memory_store;
use crate::store::{reports, stages};
use rusqlite::types::Value;

fn run(store: &mut Store, entity: Entity, csv: &str, options: Options) -> Summary {
    try_run(store, entity, csv, options).unwrap()
}

fn try_run(store: &mut Store, entity: Entity, csv: &str, options: Options) -> Result<Summary> {
    let table = source::from_bytes(csv.as_bytes().to_vec(), None).unwrap();
    let mapping = Mapping::new(entity, Format::Auto, None, &table.headers).unwrap();
    let all = stages::list(store.conn()).unwrap();
    let pipelines = crate::store::pipelines::list(store.conn()).unwrap();
    let eur = Currency::eur();
    let defs = crate::store::fields::list(store.conn(), None).unwrap();
    let cx = Context {
        stages: &all,
        pipelines: &pipelines,
        zone: Zone::Named(chrono_tz::Europe::Berlin),
        currency: &eur,
        now: store.now_millis(),
        fields: &defs,
    };
    let records: Vec<_> = crate::interop::records(table, &mapping, &cx).collect();
    import(
        store,
        records,
        Options {
            source: "test",
            ..options
        },
    )
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The first column of each row `sql` reads, as text.
fn texts(store: &Store, sql: &str) -> Vec<String> {
    let mut stmt = store.conn().prepare(sql).unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

const PIPEDRIVE: &str = "Deal - ID,Deal - Title,Deal - Value,Deal - Currency of value,Organization,Deal - Stage,Deal - Status,Deal - Deal created,Deal - Won time,Deal - Lost time,Deal - Lost reason,Deal - Owner\n\
    1,ACME renewal,1000,EUR,ACME,Proposal,won,2026-10-01 09:00:00,2026-10-11 09:00:00,,,Ann Seller\n\
    2,Globex pilot,500,EUR,Globex,Lead,lost,2026-10-02 09:00:00,,2026-10-05 09:00:00,price,Ann Seller\n\
    3,Initech,250,EUR,acme,Qualified,open,2026-10-03 09:00:00,,,,\n";

#[test]
fn a_pipedrive_export_comes_in_with_its_history() {
    let mut store = memory_store();
    let s = run(&mut store, Entity::Deals, PIPEDRIVE, Options::default());
    assert_eq!(
        (s.rows, s.created, s.updated, s.errors.len()),
        (3, 3, 0, 0),
        "{s:?}"
    );
    assert_eq!((s.customers_created, s.members_created), (2, 1));
    assert!(s.written);
    // ACME is matched without case; winning its deal made it active.
    assert_eq!(count(&store, "SELECT count(*) FROM customers"), 2);
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM customers WHERE name = 'ACME' AND status = 'active'"
        ),
        1
    );
    // Created + closed for the two closed deals, created for the open one.
    assert_eq!(count(&store, "SELECT count(*) FROM stage_changes"), 5);
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM deals WHERE status = 'lost' AND lost_reason = 'price'"
        ),
        1
    );
    let report = reports::report(
        store.conn(),
        Period::All,
        &Currency::eur(),
        &Cadence::default(),
        store.now_millis(),
        Zone::Named(chrono_tz::Europe::Berlin),
    )
    .unwrap();
    assert_eq!((report.pipeline.won, report.pipeline.lost), (1, 1));
    assert_eq!(
        report.pipeline.average_cycle_days,
        Some(10.0),
        "the source's own times"
    );
}

#[test]
fn importing_again_updates_instead_of_doubling() {
    let mut store = memory_store();
    run(&mut store, Entity::Deals, PIPEDRIVE, Options::default());
    let changed = PIPEDRIVE.replace("Initech,250", "Initech,300");
    let s = run(&mut store, Entity::Deals, &changed, Options::default());
    assert_eq!((s.created, s.updated, s.customers_created), (0, 3, 0));
    assert_eq!(count(&store, "SELECT count(*) FROM deals"), 3);
    assert_eq!(
        count(
            &store,
            "SELECT amount_minor FROM deals WHERE title = 'Initech'"
        ),
        30_000
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM stage_changes"),
        5,
        "no history for no move"
    );

    // Without ids, a deal is matched by customer and title; a row repeated in the
    // file updates the first.
    let plain = "Title,Customer,Amount\nInitech,ACME,400\nNew one,ACME,1\nNew one,ACME,2\n";
    let s = run(&mut store, Entity::Deals, plain, Options::default());
    assert_eq!((s.created, s.updated), (1, 1), "{s:?}");
    assert_eq!(
        count(
            &store,
            "SELECT amount_minor FROM deals WHERE title = 'New one'"
        ),
        200
    );
}

#[test]
fn bad_rows_stop_the_import_or_are_skipped_and_a_dry_run_writes_nothing() {
    let csv = "Title,Customer,Amount\nGood,ACME,1\nBad,ACME,12.5x\n,ACME,3\n";
    let mut store = memory_store();
    let before = count(&store, "SELECT count(*) FROM field_clock");
    let s = run(&mut store, Entity::Deals, csv, Options::default());
    assert_eq!(s.errors.len(), 2);
    assert!(
        s.errors[0]
            .to_string()
            .starts_with("line 3, column 'Amount'"),
        "{}",
        s.errors[0]
    );
    assert!(!s.written);
    assert_eq!(count(&store, "SELECT count(*) FROM deals"), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM field_clock"), before);

    let dry = Options {
        dry_run: true,
        on_error: OnError::Skip,
        ..Options::default()
    };
    let s = run(&mut store, Entity::Deals, csv, dry);
    assert_eq!((s.created, s.errors.len(), s.written), (1, 2, false));
    assert_eq!(count(&store, "SELECT count(*) FROM customers"), 0);

    let skip = Options {
        on_error: OnError::Skip,
        ..Options::default()
    };
    let s = run(&mut store, Entity::Deals, csv, skip);
    assert_eq!((s.created, s.errors.len(), s.written), (1, 2, true));
    assert_eq!(count(&store, "SELECT count(*) FROM deals"), 1);
}

#[test]
fn a_large_file_streams_in_one_transaction_and_a_bad_row_rolls_it_all_back() {
    let large = Options {
        large: true,
        ..Options::default()
    };
    let mut csv = String::from("Ref,Title,Customer,Amount\n");
    for i in 0..5_000 {
        csv.push_str(&format!("{i},Deal {i},Customer {},{i}\n", i % 700));
    }
    let mut store = memory_store();
    let before = count(&store, "SELECT count(*) FROM field_clock");
    let bad = format!("{csv}5000,Bad,ACME,12x\n");
    let s = run(&mut store, Entity::Deals, &bad, large);
    assert!(s.rows > 5_000 && !s.written, "{s:?}");
    assert_eq!(
        count(&store, "SELECT count(*) FROM deals"),
        0,
        "the chunks written were rolled back"
    );
    assert_eq!(count(&store, "SELECT count(*) FROM field_clock"), before);

    let s = run(&mut store, Entity::Deals, &csv, large);
    assert_eq!(
        (s.created, s.customers_created, s.written),
        (5_000, 700, true)
    );
    assert_eq!(count(&store, "SELECT count(*) FROM deals"), 5_000);
    assert_eq!(count(&store, "SELECT count(*) FROM stage_changes"), 5_000);
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM search_index WHERE kind = 'deal'"
        ),
        5_000,
        "the search index is built at the end"
    );
    let s = run(&mut store, Entity::Deals, &csv, large);
    assert_eq!((s.created, s.updated), (0, 5_000));
}

#[test]
fn a_large_file_whose_writing_fails_midway_says_why_and_leaves_the_book_as_it_was() {
    let large = Options {
        large: true,
        ..Options::default()
    };
    let mut store = memory_store();
    let mut csv = String::from("Ref,Title,Customer,Amount\n");
    for i in 0..6_000 {
        csv.push_str(&format!("{i},Deal {i},Customer {},{i}\n", i % 700));
    }
    // SQLite refuses the clock of a deal chunks into the file, as a full disk would.
    let doomed = crate::domain::ids::imported_id("deals", "test", "5000");
    store
        .conn()
        .execute_batch(&format!(
            "CREATE TRIGGER test_full BEFORE INSERT ON field_clock WHEN new.row_id = '{doomed}'
             BEGIN SELECT RAISE(ABORT, 'the disk is full'); END"
        ))
        .unwrap();
    let clocks = count(&store, "SELECT count(*) FROM field_clock");
    let failed = try_run(&mut store, Entity::Deals, &csv, large);
    let why = failed.expect_err("the write failed").to_string();
    assert!(why.contains("the disk is full"), "{why}");
    assert_eq!(count(&store, "SELECT count(*) FROM deals"), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM customers"), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM field_clock"), clocks);

    // The store is whole again: the same file goes in once the cause is gone.
    store
        .conn()
        .execute_batch("DROP TRIGGER test_full")
        .unwrap();
    let s = run(&mut store, Entity::Deals, &csv, large);
    assert_eq!((s.created, s.written), (6_000, true));
    assert_eq!(count(&store, "SELECT count(*) FROM deals"), 6_000);
}

#[test]
fn a_large_file_matches_rows_of_earlier_chunks_through_the_database() {
    let large = Options {
        large: true,
        ..Options::default()
    };
    let mut store = memory_store();
    // Deals without an id, matched by customer and title: the repeats at the end come
    // chunks after the rows they repeat, which are by then only in the database.
    let mut csv = String::from("Title,Customer,Amount,Stage\n");
    for i in 0..6_000 {
        csv.push_str(&format!("Deal {i},Customer {},{i},Lead\n", i % 900));
    }
    for i in 0..100 {
        csv.push_str(&format!(
            "DEAL {i},customer {},{},Proposal\n",
            i % 900,
            i + 1
        ));
    }
    let s = run(&mut store, Entity::Deals, &csv, large);
    assert_eq!(
        (s.rows, s.created, s.updated, s.errors.len()),
        (6_100, 6_000, 0, 0),
        "a row repeating one this import created updates it and is no update of the book"
    );
    assert_eq!(count(&store, "SELECT count(*) FROM deals"), 6_000);
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM deals WHERE amount_minor = (CAST(substr(title, 6) AS INTEGER) + 1) * 100"
        ),
        100
    );
    // The move to Proposal was recorded for the repeated deals.
    assert_eq!(count(&store, "SELECT count(*) FROM stage_changes"), 6_100);

    // Again, with titles changed by id: only updates, so the indexes and search triggers
    // stay in place and keep up row by row.
    let mut csv = String::from("Ref,Title,Customer\n");
    for i in 0..6_000 {
        csv.push_str(&format!("{i},Deal {i},Customer {}\n", i % 900));
    }
    run(&mut store, Entity::Deals, &csv, large);
    let renamed = csv.replace("Deal 17,", "Zanzibar 17,");
    let s = run(&mut store, Entity::Deals, &renamed, large);
    assert_eq!((s.created, s.updated), (0, 6_000), "{s:?}");
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM search_index WHERE search_index MATCH 'Zanzibar'"
        ),
        1
    );
}

/// The owner of each customer called `name`.
fn customer_owner(store: &Store, name: &str) -> String {
    store
        .conn()
        .query_row(
            "SELECT coalesce(m.name, c.owner_id) FROM customers c
               LEFT JOIN members m ON m.id = c.owner_id WHERE c.name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_customer_a_row_adds_is_owned_by_that_rows_owner_and_an_old_one_keeps_its_own() {
    let mut store = memory_store();
    let me = crate::store::members::list(store.conn())
        .unwrap()
        .into_iter()
        .find(|m| m.id == store.member_id())
        .unwrap()
        .name;
    let contacts = "Name,Company\nLi Wei,Hooli\n";
    run(&mut store, Entity::Contacts, contacts, Options::default());
    // ACME's first deal is Ann's; Initech's has no owner, so it is the importer's.
    let deals = "Title,Customer,Stage,Owner\nRenewal,ACME,Lead,Ann Seller\nPilot,ACME,Lead,Bo Rep\n\
                 Upsell,Hooli,Lead,Bo Rep\nSetup,Initech,Lead,\n";
    let s = run(&mut store, Entity::Deals, deals, Options::default());
    assert_eq!((s.customers_created, s.members_created), (2, 2), "{s:?}");
    assert_eq!(customer_owner(&store, "ACME"), "Ann Seller");
    assert_eq!(customer_owner(&store, "Initech"), me);
    // Hooli was in the book (a contact's row added it, as the importer's): it stays so.
    assert_eq!(customer_owner(&store, "Hooli"), me);
    let activities = "Subject,Customer,Kind,Owner\nIntro call,Umbrella,call,Bo Rep\n";
    run(
        &mut store,
        Entity::Activities,
        activities,
        Options::default(),
    );
    assert_eq!(customer_owner(&store, "Umbrella"), "Bo Rep");
}

#[test]
fn contacts_find_their_customer_and_are_matched_by_email() {
    let mut store = memory_store();
    let csv = "Name,Company,Email,Phone\nLi Wei,ACME,li@acme.example,+86 10 1234 5678\nJane Doe,ACME,jane@acme.example,\n";
    let s = run(&mut store, Entity::Contacts, csv, Options::default());
    assert_eq!((s.created, s.customers_created), (2, 1));
    assert_eq!(
        count(&store, "SELECT count(*) FROM contacts WHERE is_primary"),
        1
    );
    let again = "Name,Company,Email,Job title\nWei Li,ACME,LI@acme.example,CTO\n";
    let s = run(&mut store, Entity::Contacts, again, Options::default());
    assert_eq!((s.created, s.updated), (0, 1));
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM contacts WHERE name = 'Wei Li' AND title = 'CTO'"
        ),
        1
    );
}

#[test]
fn activities_attach_to_their_deal() {
    let mut store = memory_store();
    run(&mut store, Entity::Deals, PIPEDRIVE, Options::default());
    let csv = "Subject,Deal,Customer,Kind,Due\nCall about renewal,ACME renewal,ACME,call,2026-12-01 10:00\nVisit,,Globex,visit,\nLost cause,No such deal,,note,\n";
    let s = run(
        &mut store,
        Entity::Activities,
        csv,
        Options {
            on_error: OnError::Skip,
            ..Options::default()
        },
    );
    assert_eq!((s.created, s.errors.len()), (2, 1), "{s:?}");
    assert!(
        s.errors[0]
            .to_string()
            .contains("no deal titled 'No such deal'")
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM activities WHERE deal_id IS NOT NULL AND due_at IS NOT NULL AND done_at IS NULL"
        ),
        1
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM activities WHERE kind = 'visit' AND done_at IS NOT NULL"
        ),
        1
    );
}

#[test]
fn writes_go_in_table_order_inserts_by_id_then_updates_as_planned() {
    let mut writes = vec![
        Write::insert(Table::Deals, "d-9"),
        Write::insert(Table::StageChanges, "s-1"),
        Write::update(Table::Customers, "c-5").set("status", "active".to_string()),
        Write::insert(Table::Deals, "d-1"),
        Write::update(Table::Deals, "d-9").set("title", "first".to_string()),
        Write::insert(Table::Customers, "c-7"),
        Write::update(Table::Deals, "d-1").set("title", "second".to_string()),
        Write::update(Table::Deals, "d-9").set("title", "third".to_string()),
        Write::insert(Table::Deals, "d-5"),
    ];
    order_for_writing(&mut writes);
    let order: Vec<(Table, bool, &str)> = writes
        .iter()
        .map(|w| (w.table, w.insert, w.id.as_str()))
        .collect();
    assert_eq!(
        order,
        [
            (Table::Customers, true, "c-7"),
            (Table::Customers, false, "c-5"),
            (Table::Deals, true, "d-1"),
            (Table::Deals, true, "d-5"),
            (Table::Deals, true, "d-9"),
            (Table::Deals, false, "d-9"),
            (Table::Deals, false, "d-1"),
            (Table::Deals, false, "d-9"),
            (Table::StageChanges, true, "s-1"),
        ]
    );
    // The two updates of d-9 kept their order.
    assert_eq!(
        writes[5].fields,
        [("title", Value::Text("first".into()))].to_vec()
    );
    assert_eq!(
        writes[7].fields,
        [("title", Value::Text("third".into()))].to_vec()
    );
}

#[test]
fn a_large_file_brings_back_a_deal_deleted_since_it_was_imported() {
    let large = Options {
        large: true,
        ..Options::default()
    };
    let mut csv = String::from("Ref,Title,Customer,Amount,Stage\n");
    for i in 0..3_000 {
        csv.push_str(&format!("{i},Deal {i},Customer {},{i},Lead\n", i % 300));
    }
    let mut store = memory_store();
    run(&mut store, Entity::Deals, &csv, large);
    let id: String = store
        .conn()
        .query_row("SELECT id FROM deals WHERE title = 'Deal 42'", [], |r| {
            r.get(0)
        })
        .unwrap();
    store
        .apply(
            "delete",
            vec![Write::update(Table::Deals, id.clone()).set("deleted_at", 1_i64)],
        )
        .unwrap();
    let history = count(&store, "SELECT count(*) FROM stage_changes");
    let moved = csv.replace(
        "42,Deal 42,Customer 42,42,Lead",
        "42,Deal 42,Customer 42,42,Proposal",
    );
    let s = run(&mut store, Entity::Deals, &moved, large);
    assert_eq!(
        (s.created, s.updated, s.errors.len()),
        (0, 3_000, 0),
        "{s:?}"
    );
    assert_eq!(
        count(
            &store,
            &format!("SELECT count(*) FROM deals WHERE id = '{id}' AND deleted_at IS NULL")
        ),
        1,
        "undeleted"
    );
    // A deleted deal has no stage to move from: no history row for it.
    assert_eq!(count(&store, "SELECT count(*) FROM stage_changes"), history);
}

#[test]
fn a_stage_history_comes_in_as_the_deals_history() {
    let mut store = memory_store();
    // Ann's deal went Lead → Qualified → Proposal and was won; Bo's history stops at
    // Qualified while the row says Proposal (the sheet was edited): it ends there at
    // its close. A row without history gets the made-up one, as before.
    let csv = "Ref,Title,Customer,Stage,Status,Created,Closed,Stage history\n\
               1,Renewal,ACME,Proposal,won,2026-01-05 09:00,2026-03-01 17:30,\"2026-01-05 09:00:00 open Lead\n\
               2026-02-01 10:00:00 open Qualified\n2026-02-15 08:00:00 open Proposal\n2026-03-01 17:30:00 won Proposal\"\n\
               2,Pilot,Globex,Proposal,lost,2026-01-10 09:00,2026-04-01 12:00,\"2026-01-10 09:00 open Lead\n2026-01-20 09:00 open Qualified\"\n\
               3,Setup,Initech,Lead,open,2026-02-01 09:00,,\n";
    let s = run(&mut store, Entity::Deals, csv, Options::default());
    assert_eq!((s.created, s.errors.len()), (3, 0), "{s:?}");
    let steps = |title: &str| -> Vec<String> {
        let mut stmt = store
            .conn()
            .prepare(
                "SELECT coalesce(h.from_stage_id, '-'), coalesce(h.from_status, '-'),
                        h.to_stage_id, h.to_status, h.at
                   FROM stage_changes h JOIN deals d ON d.id = h.deal_id
                  WHERE d.title = ?1 ORDER BY h.at, h.rowid",
            )
            .unwrap();
        stmt.query_map([title], |r| {
            let at: i64 = r.get(4)?;
            let at = Zone::Named(chrono_tz::Europe::Berlin).local(at);
            Ok(format!(
                "{} {}: {}/{} → {}/{}",
                at.format("%m-%d"),
                at.format("%H:%M"),
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
    };
    assert_eq!(
        steps("Renewal"),
        [
            "01-05 09:00: -/- → stage-lead/open",
            "02-01 10:00: stage-lead/open → stage-qualified/open",
            "02-15 08:00: stage-qualified/open → stage-proposal/open",
            "03-01 17:30: stage-proposal/open → stage-proposal/won",
        ]
    );
    assert_eq!(
        steps("Pilot"),
        [
            "01-10 09:00: -/- → stage-lead/open",
            "01-20 09:00: stage-lead/open → stage-qualified/open",
            "04-01 12:00: stage-qualified/open → stage-proposal/lost",
        ]
    );
    assert_eq!(steps("Setup"), ["02-01 09:00: -/- → stage-lead/open"]);
    // The funnel counts what the history says: both deals entered Qualified.
    let bounds = crate::domain::metrics::Bounds {
        start: None,
        end: None,
    };
    let counts = reports::counts(
        store.conn(),
        bounds,
        &Cadence::default(),
        store.now_millis(),
    )
    .unwrap();
    let qualified = counts
        .stages
        .iter()
        .find(|f| f.stage_id == "stage-qualified")
        .unwrap();
    assert_eq!(qualified.entered, 2);
    // The same file again changes no history.
    let before = count(&store, "SELECT count(*) FROM stage_changes");
    let s = run(&mut store, Entity::Deals, csv, Options::default());
    assert_eq!((s.created, s.errors.len()), (0, 0), "{s:?}");
    assert_eq!(count(&store, "SELECT count(*) FROM stage_changes"), before);
}

#[test]
fn tags_are_added_to_a_customer_and_none_taken_away() {
    let mut store = memory_store();
    let live_tags = |store: &Store| {
        texts(
            store,
            "SELECT tag FROM customer_tags WHERE deleted_at IS NULL ORDER BY tag",
        )
    };
    let csv = "Name,Tags\nACME,\"vip, Retail,vip , \"\n";
    run(&mut store, Entity::Customers, csv, Options::default());
    assert_eq!(live_tags(&store), ["Retail", "vip"]);
    // A tag removed in SalesDesk comes back when a file gives it again; one the file
    // does not give stays.
    let id: String = store
        .conn()
        .query_row("SELECT id FROM customers", [], |r| r.get(0))
        .unwrap();
    crate::usecase::customers::edit(
        &mut store,
        &id,
        &crate::usecase::customers::Patch {
            remove_tags: vec!["vip".into()],
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(live_tags(&store), ["Retail"]);
    let s = run(
        &mut store,
        Entity::Customers,
        "Name,Tags\nacme,VIP\n",
        Options::default(),
    );
    assert_eq!((s.created, s.updated), (0, 1), "{s:?}");
    assert_eq!(live_tags(&store), ["Retail", "vip"]);
    let long = "x".repeat(41);
    let err = try_run(
        &mut store,
        Entity::Customers,
        &format!("Name,Tags\nGlobex,\"ok,{long}\"\n"),
        Options::default(),
    )
    .unwrap();
    assert!(
        err.errors[0]
            .to_string()
            .starts_with("line 2, column 'Tags': "),
        "{err:?}"
    );
    assert_eq!(count(&store, "SELECT count(*) FROM customers"), 1);
}

#[test]
fn an_activity_finds_its_contact_at_its_customer() {
    let mut store = memory_store();
    let contacts =
        "Name,Company,Email\nLi Wei,ACME,li@acme.example\nJane Doe,Globex,jane@globex.example\n";
    run(&mut store, Entity::Contacts, contacts, Options::default());
    let csv = "Subject,Customer,Contact\nIntro,ACME,li wei\nBy mail,ACME,LI@acme.example\nNobody,ACME,\nWrong,ACME,Bo Rep\n";
    let s = run(
        &mut store,
        Entity::Activities,
        csv,
        Options {
            on_error: OnError::Skip,
            ..Options::default()
        },
    );
    assert_eq!((s.created, s.errors.len()), (3, 1), "{s:?}");
    assert!(
        s.errors[0]
            .to_string()
            .starts_with("line 5: its customer has no contact named 'Bo Rep'"),
        "{s:?}"
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM activities a JOIN contacts c ON c.id = a.contact_id
              WHERE c.name = 'Li Wei'"
        ),
        2
    );
    // A later file without contacts leaves them as they are.
    let again = "Id,Subject,Customer\nA1,Call,ACME\n";
    let first = "Id,Subject,Customer,Contact\nA1,Call,ACME,Li Wei\n";
    run(&mut store, Entity::Activities, first, Options::default());
    run(&mut store, Entity::Activities, again, Options::default());
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM activities WHERE subject = 'Call' AND contact_id IS NOT NULL"
        ),
        1
    );
}

#[test]
fn a_primary_column_says_which_contact_is_the_customers_primary() {
    let mut store = memory_store();
    let primaries = |store: &Store| {
        texts(
            store,
            "SELECT name FROM contacts WHERE is_primary ORDER BY name",
        )
    };
    // Without the column, each customer's first contact.
    let csv = "Name,Company\nLi Wei,ACME\nJane Doe,ACME\nBo Rep,Globex\n";
    run(&mut store, Entity::Contacts, csv, Options::default());
    assert_eq!(primaries(&store), ["Bo Rep", "Li Wei"]);
    // A row that makes another primary takes it from the one before, in the book or
    // earlier in the file; "no" leaves a customer without one.
    let csv = "Name,Company,Primary\nJane Doe,ACME,yes\nAl New,Globex,Y\nBo Rep,Globex,no\n";
    let s = run(&mut store, Entity::Contacts, csv, Options::default());
    assert_eq!((s.created, s.updated, s.errors.len()), (1, 2, 0), "{s:?}");
    assert_eq!(primaries(&store), ["Al New", "Jane Doe"]);
    let csv = "Name,Company,Primary\nCy New,Initech,no\nDi New,Initech,x\nEd New,Initech,\n";
    run(&mut store, Entity::Contacts, csv, Options::default());
    assert_eq!(primaries(&store), ["Al New", "Di New", "Jane Doe"]);
    let s = try_run(
        &mut store,
        Entity::Contacts,
        "Name,Company,Primary\nFay,ACME,maybe\n",
        Options::default(),
    )
    .unwrap();
    assert_eq!(
        s.errors[0].to_string(),
        "line 2, column 'Primary': 'maybe' is not yes or no"
    );
}

#[test]
fn a_refused_row_adds_nothing_it_names_even_when_the_good_rows_go_in() {
    use crate::domain::field::{Entity as Of, FieldType};
    let mut store = memory_store();
    let skip = Options {
        on_error: OnError::Skip,
        ..Options::default()
    };
    let sizes = |store: &Store| {
        (
            count(store, "SELECT count(*) FROM customers"),
            count(store, "SELECT count(*) FROM members"),
        )
    };
    let before = sizes(&store);
    // An activity whose contact its new customer cannot have.
    let csv = "Subject,Customer,Contact,Owner\nHello,Brand New Co,Nobody Here,Zed Zedson\n";
    let s = run(&mut store, Entity::Activities, csv, skip);
    assert_eq!((s.created, s.errors.len()), (0, 1), "{s:?}");
    assert_eq!((s.customers_created, s.members_created), (0, 0), "{s:?}");
    assert_eq!(sizes(&store), before);
    // A new deal or contact without a required field's value.
    for entity in [Of::Deal, Of::Contact] {
        crate::usecase::fields::add(
            &mut store,
            &crate::usecase::fields::NewField {
                entity,
                name: format!("Code {}", entity.as_str()),
                kind: FieldType::Text,
                choices: Vec::new(),
                required: true,
            },
        )
        .unwrap();
    }
    let s = run(
        &mut store,
        Entity::Deals,
        "Title,Customer,Owner\nPilot,Other New Co,Yu Yang\n",
        skip,
    );
    assert_eq!((s.created, s.errors.len()), (0, 1), "{s:?}");
    let s = run(
        &mut store,
        Entity::Contacts,
        "Name,Company\nAl,Third New Co\n",
        skip,
    );
    assert_eq!((s.created, s.errors.len()), (0, 1), "{s:?}");
    assert_eq!(sizes(&store), before);
}

#[test]
fn an_activitys_contact_by_email_must_be_at_its_customer() {
    let mut store = memory_store();
    let contacts = "Name,Company,Email\nTom,Kiwi,tom@kiwi.example\nLi Wei,ACME,li@acme.example\n";
    run(&mut store, Entity::Contacts, contacts, Options::default());
    let csv = "Subject,Customer,Contact\nCall,ACME,tom@kiwi.example\nCall,Kiwi,TOM@kiwi.example\n";
    let s = run(
        &mut store,
        Entity::Activities,
        csv,
        Options {
            on_error: OnError::Skip,
            ..Options::default()
        },
    );
    assert_eq!((s.created, s.errors.len()), (1, 1), "{s:?}");
    assert!(s.errors[0].to_string().starts_with("line 2: "), "{s:?}");
}

#[test]
fn a_contact_moved_to_another_customer_leaves_one_primary_at_each() {
    let mut store = memory_store();
    let contacts = "Name,Company,Email\nTom,Kiwi,tom@kiwi.example\nLi Wei,ACME,li@acme.example\n";
    run(&mut store, Entity::Contacts, contacts, Options::default());
    // Tom, Kiwi's primary, moves to ACME, which has one: he is not ACME's, and Kiwi
    // has none left; then a row makes Kiwi's new contact its primary.
    let moved = "Name,Company,Email\nTom,ACME,tom@kiwi.example\nAnn,Kiwi,ann@kiwi.example\n";
    run(&mut store, Entity::Contacts, moved, Options::default());
    let primaries = |store: &Store| {
        texts(
            store,
            "SELECT c.name || ': ' || k.name FROM contacts k
               JOIN customers c ON c.id = k.customer_id
              WHERE k.is_primary ORDER BY c.name",
        )
    };
    assert_eq!(primaries(&store), ["ACME: Li Wei", "Kiwi: Ann"]);
    let again = "Name,Company,Email,Primary\nTom,ACME,tom@kiwi.example,yes\n";
    run(&mut store, Entity::Contacts, again, Options::default());
    assert_eq!(primaries(&store), ["ACME: Tom", "Kiwi: Ann"]);
    // Moved, Tom is no longer found under Kiwi: a row naming him there, later in the
    // same file, adds a contact there rather than moving him back.
    let both = "Name,Company,Email\nTom,Globex,tom@kiwi.example\nTom,ACME,\n";
    let s = run(&mut store, Entity::Contacts, both, Options::default());
    assert_eq!((s.created, s.updated), (1, 1), "{s:?}");
    assert_eq!(
        texts(
            &store,
            "SELECT c.name || ': ' || k.name FROM contacts k
               JOIN customers c ON c.id = k.customer_id WHERE k.name = 'Tom' ORDER BY c.name"
        ),
        ["ACME: Tom", "Globex: Tom"]
    );
}

//! Custom fields end to end: defining them, values with their records' adds and edits,
//! `--where` matching, and team-file merges of definitions and values.

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::*;
use crate::domain::field::FieldType;
use crate::domain::money::{Currency, Decimal};
use crate::domain::time::FixedClock;
use crate::store::deals::{self, Filter};
use crate::store::merge::merge_from;
use crate::store::test_support::{fixed_clock, memory_store};
use crate::usecase::deals as deal_actions;
use crate::usecase::tests::add_deal;

fn typing() -> Typing {
    Typing {
        today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        currency: Currency::eur(),
        decimal: Decimal::Point,
    }
}

fn field(store: &mut Store, entity: Entity, name: &str, kind: FieldType, choices: &[&str]) {
    add(
        store,
        &NewField {
            entity,
            name: name.into(),
            kind,
            choices: choices.iter().map(|c| c.to_string()).collect(),
            required: false,
        },
    )
    .unwrap();
}

fn set(store: &mut Store, deal: &str, name: &str, value: &str) -> Result<Undo> {
    let sets = vec![(name.to_string(), value.to_string())];
    let changes = parse_sets(store, Entity::Deal, &sets, &typing())?;
    let patch = deal_actions::Patch {
        fields: changes,
        ..Default::default()
    };
    deal_actions::edit(store, deal, &patch).map(|e| e.undo)
}

fn shown(store: &Store, deal: &str) -> Vec<(String, Option<String>)> {
    values(store, Entity::Deal, deal)
        .unwrap()
        .into_iter()
        .map(|(d, v)| (d.name, v.map(|v| v.display())))
        .collect()
}

#[test]
fn a_field_is_added_once_per_name_deleted_and_brought_back_with_its_values() {
    let mut store = memory_store();
    let deal = add_deal(&mut store, "ACME renewal", "ACME").deal_id;
    field(&mut store, Entity::Deal, "Budget", FieldType::Money, &[]);
    let again = add(
        &mut store,
        &NewField {
            entity: Entity::Deal,
            name: "budget".into(),
            kind: FieldType::Text,
            choices: vec![],
            required: false,
        },
    );
    assert_eq!(
        again.unwrap_err().to_string(),
        "the deal field 'Budget' already exists (a money field)"
    );
    // The same name on customers is another field.
    field(
        &mut store,
        Entity::Customer,
        "Budget",
        FieldType::Number,
        &[],
    );
    set(&mut store, &deal, "BUDGET", "12,000 USD").unwrap();
    assert_eq!(
        shown(&store, &deal),
        [("Budget".to_string(), Some("12,000.00 USD".to_string()))]
    );
    let undo = delete(&mut store, Entity::Deal, "budget").unwrap();
    assert!(shown(&store, &deal).is_empty());
    assert!(matches!(
        set(&mut store, &deal, "Budget", "5"),
        Err(StoreError::NotFound { .. })
    ));
    store.undo(&undo).unwrap();
    assert_eq!(shown(&store, &deal)[0].1.as_deref(), Some("12,000.00 USD"));
    // Deleted and added again with the same type, its values come back too.
    delete(&mut store, Entity::Deal, "Budget").unwrap();
    field(&mut store, Entity::Deal, "Budget", FieldType::Money, &[]);
    assert_eq!(shown(&store, &deal)[0].1.as_deref(), Some("12,000.00 USD"));
    // With another type it is another field, empty.
    delete(&mut store, Entity::Deal, "Budget").unwrap();
    field(&mut store, Entity::Deal, "Budget", FieldType::Text, &[]);
    assert_eq!(shown(&store, &deal)[0].1, None);
}

#[test]
fn a_bad_value_names_its_field_and_changes_nothing() {
    let mut store = memory_store();
    let deal = add_deal(&mut store, "ACME renewal", "ACME").deal_id;
    field(&mut store, Entity::Deal, "Seats", FieldType::Number, &[]);
    field(&mut store, Entity::Deal, "Go live", FieldType::Date, &[]);
    field(
        &mut store,
        Entity::Deal,
        "Size",
        FieldType::Choice,
        &["S", "M"],
    );
    let before = crate::usecase::tests::count(&store, "SELECT count(*) FROM field_values");
    for (name, value, says) in [
        ("Seats", "abc", "deal field 'Seats': 'abc' is not a number"),
        (
            "Go live",
            "soon",
            "deal field 'Go live': 'soon' is not a date",
        ),
        ("Size", "XL", "deal field 'Size': 'XL' is not one of S, M"),
    ] {
        let e = set(&mut store, &deal, name, value).unwrap_err().to_string();
        assert!(e.starts_with(says), "{e}");
    }
    assert!(matches!(
        set(&mut store, &deal, "Colour", "red"),
        Err(StoreError::NotFound { .. })
    ));
    let after = crate::usecase::tests::count(&store, "SELECT count(*) FROM field_values");
    assert_eq!(before, after);
}

#[test]
fn a_required_field_must_be_given_on_add_and_cannot_be_cleared() {
    let mut store = memory_store();
    add(
        &mut store,
        &NewField {
            entity: Entity::Deal,
            name: "Region".into(),
            kind: FieldType::Text,
            choices: vec![],
            required: true,
        },
    )
    .unwrap();
    let new = crate::store::deals::NewDeal {
        title: "ACME renewal".into(),
        customer: crate::store::deals::CustomerRef::Name("ACME".into()),
        stage_id: "stage-lead".into(),
        amount: crate::domain::money::Money::new(100, Currency::eur()),
        expected_close: None,
        source: None,
        notes: None,
        owner_id: None,
    };
    let e = deal_actions::add(&mut store, &new).unwrap_err().to_string();
    assert_eq!(e, "deal field 'Region': it is required; give it a value");
    assert_eq!(
        crate::usecase::tests::count(&store, "SELECT count(*) FROM deals"),
        0,
        "nothing half-saved: no deal, no customer"
    );
    let changes = parse_sets(
        &store,
        Entity::Deal,
        &[("region".into(), "EMEA".into())],
        &typing(),
    )
    .unwrap();
    let added = deal_actions::add_with(&mut store, &new, &changes).unwrap();
    let e = set(&mut store, &added.deal_id, "Region", "").unwrap_err();
    assert_eq!(
        e.to_string(),
        "deal field 'Region': it is required and cannot be cleared"
    );
    // Undoing the add takes the value with the deal.
    store.undo(&added.undo).unwrap();
    assert_eq!(
        crate::usecase::tests::count(
            &store,
            "SELECT count(*) FROM field_values WHERE deleted_at IS NULL"
        ),
        0
    );
}

#[test]
fn where_finds_records_by_value_in_any_case_and_by_each_choice() {
    let mut store = memory_store();
    let a = add_deal(&mut store, "A", "ACME").deal_id;
    let b = add_deal(&mut store, "B", "ACME").deal_id;
    field(
        &mut store,
        Entity::Deal,
        "Tags",
        FieldType::MultiChoice,
        &["red", "blue"],
    );
    field(&mut store, Entity::Deal, "Code", FieldType::Text, &[]);
    set(&mut store, &a, "Tags", "red,blue").unwrap();
    set(&mut store, &b, "Tags", "blue").unwrap();
    set(&mut store, &a, "Code", "X-1").unwrap();
    let titles = |store: &Store, wheres: &[(&str, &str)]| -> Vec<String> {
        let wheres: Vec<(String, String)> = wheres
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        let fields = parse_wheres(store, Entity::Deal, &wheres, &typing()).unwrap();
        let mut t: Vec<String> = deals::list(
            store.conn(),
            &Filter {
                fields,
                ..Filter::default()
            },
        )
        .unwrap()
        .into_iter()
        .map(|r| r.deal.title)
        .collect();
        t.sort();
        t
    };
    assert_eq!(titles(&store, &[("tags", "BLUE")]), ["A", "B"]);
    assert_eq!(titles(&store, &[("tags", "red")]), ["A"]);
    assert_eq!(titles(&store, &[("tags", "red,blue")]), ["A"]);
    assert_eq!(titles(&store, &[("code", "x-1"), ("tags", "blue")]), ["A"]);
    assert!(titles(&store, &[("code", "x-2")]).is_empty());
    assert!(
        parse_wheres(
            &store,
            Entity::Deal,
            &[("Tags".into(), "green".into())],
            &typing()
        )
        .is_err()
    );
}

/// Two databases of one team; B's clock runs ten seconds after A's.
fn two_sites(dir: &Path) -> (Store, Store, std::path::PathBuf, std::path::PathBuf) {
    let later = fixed_clock().now() + chrono::Duration::seconds(10);
    let (a_path, b_path) = (dir.join("a.db"), dir.join("b.db"));
    let a = Store::open(&a_path, fixed_clock()).unwrap();
    let b = Store::open(&b_path, Arc::new(FixedClock(later))).unwrap();
    (a, b, a_path, b_path)
}

#[test]
fn a_field_deleted_while_a_teammate_fills_it_in_keeps_the_value_in_the_conflicts_log() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b, a_path, b_path) = two_sites(dir.path());
    let deal = add_deal(&mut a, "ACME renewal", "ACME").deal_id;
    field(&mut a, Entity::Deal, "Budget", FieldType::Number, &[]);
    merge_from(&b, &a_path).unwrap();
    // A deletes the field; B, not having seen that, fills it in.
    delete(&mut a, Entity::Deal, "Budget").unwrap();
    set(&mut b, &deal, "Budget", "5000").unwrap();
    let report = merge_from(&b, &a_path).unwrap();
    assert_eq!(report.conflicts, 1, "{report:?}");
    assert!(shown(&b, &deal).is_empty(), "the field is gone on B too");
    let logged = crate::store::conflicts::conflicts(b.conn(), false).unwrap();
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].table, "field_values");
    assert_eq!(logged[0].mine, rusqlite::types::Value::Text("5000".into()));
    assert_eq!(logged[0].label.as_deref(), Some("ACME renewal: Budget"));
    // Merged again, nothing more is logged; A gets the value too, hidden with its field,
    // and adding the field again brings it back on both sides.
    assert_eq!(merge_from(&b, &a_path).unwrap().conflicts, 0);
    merge_from(&a, &b_path).unwrap();
    field(&mut a, Entity::Deal, "Budget", FieldType::Number, &[]);
    assert_eq!(shown(&a, &deal)[0].1.as_deref(), Some("5000"));
}

/// Even when the teammate had my value before deleting the field, it is logged: the
/// clocks cannot tell that case from a value that reached them only after their delete
/// (see `store::merge`), and a needless entry is better than a silent one. Once only.
#[test]
fn a_field_deleted_after_the_value_was_shared_is_logged_once() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b, a_path, b_path) = two_sites(dir.path());
    let deal = add_deal(&mut a, "ACME renewal", "ACME").deal_id;
    field(&mut a, Entity::Deal, "Budget", FieldType::Number, &[]);
    merge_from(&b, &a_path).unwrap();
    set(&mut b, &deal, "Budget", "5000").unwrap();
    merge_from(&a, &b_path).unwrap();
    delete(&mut a, Entity::Deal, "Budget").unwrap();
    let report = merge_from(&b, &a_path).unwrap();
    assert_eq!(report.conflicts, 1, "{report:?}");
    let again = merge_from(&b, &a_path).unwrap();
    assert_eq!(again.conflicts, 0, "{again:?}");
}

fn tamper(path: &Path, sql: &str) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON; {sql}"
    ))
    .unwrap();
}

#[test]
fn values_of_the_wrong_type_of_unknown_fields_or_too_large_are_quarantined() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, b, a_path, _) = two_sites(dir.path());
    let deal = add_deal(&mut a, "ACME renewal", "ACME").deal_id;
    field(&mut a, Entity::Deal, "Seats", FieldType::Number, &[]);
    field(&mut a, Entity::Deal, "Size", FieldType::Choice, &["S", "M"]);
    field(&mut a, Entity::Deal, "Code", FieldType::Text, &[]);
    field(&mut a, Entity::Deal, "Good", FieldType::Text, &[]);
    for (name, value) in [
        ("Seats", "12"),
        ("Size", "S"),
        ("Code", "x"),
        ("Good", "ok"),
    ] {
        set(&mut a, &deal, name, value).unwrap();
    }
    // A made-up field, with a value of its own.
    let ghost = crate::domain::field::value_id(&deal, "deal:text:ghost");
    let clock: String = a
        .conn()
        .query_row("SELECT value FROM meta WHERE key = 'hlc'", [], |r| r.get(0))
        .unwrap();
    drop(a);
    let huge = crate::domain::field::MAX_VALUE_BYTES + 1;
    tamper(
        &a_path,
        &format!(
            "UPDATE field_values SET value = 'abc' WHERE field_id = 'deal:number:seats';
             UPDATE field_values SET value = 'XL' WHERE field_id = 'deal:choice:size';
             UPDATE field_values SET value = printf('%.{huge}c', 'x')
              WHERE field_id = 'deal:text:code';
             INSERT INTO field_values (id, field_id, record_id, value, created_at, updated_at)
             VALUES ('{ghost}', 'deal:text:ghost', '{deal}', 'boo', 0, 0);
             INSERT INTO field_clock (tbl, row_id, field, hlc)
             VALUES ('field_values', '{ghost}', '*', '{clock}');"
        ),
    );
    let report = merge_from(&b, &a_path).unwrap();
    assert_eq!(report.quarantined, 4, "{report:?}");
    let kept: Vec<String> = b
        .conn()
        .prepare("SELECT field_id FROM field_values ORDER BY field_id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(kept, ["deal:text:good"]);
    assert_eq!(shown(&b, &deal).len(), 4, "the definitions arrive");
}

#[test]
fn a_definition_whose_type_is_not_its_ids_is_quarantined_with_its_values() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, b, a_path, _) = two_sites(dir.path());
    let deal = add_deal(&mut a, "ACME renewal", "ACME").deal_id;
    field(&mut a, Entity::Deal, "Seats", FieldType::Number, &[]);
    set(&mut a, &deal, "Seats", "3").unwrap();
    drop(a);
    tamper(&a_path, "UPDATE field_defs SET type = 'text';");
    let report = merge_from(&b, &a_path).unwrap();
    assert_eq!(report.quarantined, 2, "{report:?}");
    assert!(defs(&b, Entity::Deal).unwrap().is_empty());
}

/// The search index as text, document by document.
fn index(store: &Store) -> Vec<(i64, String, Option<String>)> {
    store
        .conn()
        .prepare("SELECT rowid, title, body FROM search_index ORDER BY rowid")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn custom_values_are_searched_with_their_record_while_their_field_lives() {
    use crate::store::search;
    let mut store = memory_store();
    let deal = add_deal(&mut store, "ACME renewal", "ACME").deal_id;
    field(&mut store, Entity::Deal, "Code", FieldType::Text, &[]);
    field(
        &mut store,
        Entity::Customer,
        "Segment",
        FieldType::Choice,
        &["Zebrafish"],
    );
    set(&mut store, &deal, "Code", "QX-778").unwrap();
    let acme = deals::get(store.conn(), &deal).unwrap().customer_id;
    let changes = parse_sets(
        &store,
        Entity::Customer,
        &[("Segment".into(), "zebrafish".into())],
        &typing(),
    )
    .unwrap();
    crate::usecase::customers::edit(
        &mut store,
        &acme,
        &crate::store::customers::Patch {
            fields: changes,
            ..Default::default()
        },
    )
    .unwrap();
    let found = |store: &Store, text: &str| -> Vec<String> {
        search::search(store.conn(), text, 10)
            .unwrap()
            .into_iter()
            .map(|h| h.title)
            .collect()
    };
    assert_eq!(found(&store, "qx-778"), ["ACME renewal"]);
    assert_eq!(found(&store, "zebra"), ["ACME"]);
    // What the triggers made is what a bulk load's one pass makes.
    let by_triggers = index(&store);
    search::clear_index(store.conn()).unwrap();
    search::fill_index(store.conn()).unwrap();
    assert_eq!(index(&store), by_triggers);
    let undo = delete(&mut store, Entity::Deal, "Code").unwrap();
    assert!(found(&store, "qx-778").is_empty());
    store.undo(&undo).unwrap();
    assert_eq!(found(&store, "qx-778"), ["ACME renewal"]);
    set(&mut store, &deal, "Code", "").unwrap();
    assert!(found(&store, "qx-778").is_empty());
}

//! Use cases end to end on an in-memory store: what each action writes, as one change,
//! and what its undo brings back.

use super::{activities, contacts, customers, deals};
use crate::domain::money::Money;
use crate::store::deals::{CustomerRef, NewDeal};
use crate::store::test_support::memory_store;
use crate::store::{self, Store, StoreError, Table, Write, mutation};

pub(super) fn add_deal(store: &mut Store, title: &str, customer: &str) -> deals::Added {
    deals::add(
        store,
        &NewDeal {
            title: title.into(),
            customer: CustomerRef::Name(customer.into()),
            stage_id: "stage-lead".into(),
            amount: Money::new(1_200_000, "EUR".parse().unwrap()),
            expected_close: None,
            source: None,
            notes: None,
            owner_id: None,
        },
    )
    .unwrap()
}

pub(super) fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_deal_given_to_another_customer_takes_its_activities_along_and_undo_brings_them_back() {
    use crate::domain::activity::ActivityKind;
    use crate::store::activities::{NewActivity, Subject};
    let mut store = memory_store();
    let added = add_deal(&mut store, "ACME renewal", "ACME");
    let acme = store::deals::get(store.conn(), &added.deal_id)
        .unwrap()
        .customer_id;
    let other = add_deal(&mut store, "Globex pilot", "Globex");
    let globex = store::deals::get(store.conn(), &other.deal_id)
        .unwrap()
        .customer_id;
    for due_at in [None, Some(store.now_millis() + 60_000)] {
        let new = NewActivity {
            kind: ActivityKind::Call,
            subject: "Call about the renewal".into(),
            body: None,
            about: Subject::Deal(added.deal_id.clone()),
            contact_id: None,
            due_at,
            done_at: None,
            outcome: None,
        };
        activities::add(&mut store, &new).unwrap();
    }
    let on = |store: &Store, customer: &str| {
        store::activities::for_customer(store.conn(), customer, 10)
            .unwrap()
            .len()
    };
    assert_eq!((on(&store, &acme), on(&store, &globex)), (2, 0));
    // The deal's contact works for ACME: it does not go along.
    let bob = store::contacts::ContactFields {
        name: "Bob".into(),
        ..Default::default()
    };
    let (bob, _) = contacts::add(&mut store, &acme, &bob).unwrap();
    store
        .apply(
            "contact",
            vec![Write::update(Table::Deals, added.deal_id.clone()).set("contact_id", bob.clone())],
        )
        .unwrap();
    let contact = |store: &Store| {
        store::deals::get(store.conn(), &added.deal_id)
            .unwrap()
            .contact_id
    };
    let patch = deals::Patch {
        customer: Some(CustomerRef::Id(globex.clone())),
        ..Default::default()
    };
    let undo = deals::edit(&mut store, &added.deal_id, &patch)
        .unwrap()
        .undo;
    assert_eq!((on(&store, &acme), on(&store, &globex)), (0, 2));
    assert_eq!(contact(&store), None);
    // The overdue reminder is Globex's now, in the status bar's rule and the list's.
    let listed = store::activities::open_reminders(store.conn(), None, None, None, None).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed[0].activity.customer_id.as_deref(),
        Some(globex.as_str())
    );
    store.undo(&undo).unwrap();
    assert_eq!((on(&store, &acme), on(&store, &globex)), (2, 0));
    assert_eq!(contact(&store), Some(bob));
}

#[test]
fn a_new_row_gets_one_clock_each_later_field_its_own_and_moves_write_history() {
    let mut store = memory_store();
    let added = add_deal(&mut store, "ACME renewal", "ACME");
    let clocks = |store: &Store| -> Vec<(String, String)> {
        let mut stmt = store
            .conn()
            .prepare(
                "SELECT field, hlc FROM field_clock WHERE tbl = 'deals' AND row_id = ?1
                  ORDER BY hlc, field",
            )
            .unwrap();
        stmt.query_map([&added.deal_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    // The insert stands for every field it wrote.
    let inserted = clocks(&store);
    assert_eq!(inserted.len(), 1, "{inserted:?}");
    assert_eq!(inserted[0].0, mutation::ROW_CLOCK);
    let proposal = store::stages::list(store.conn()).unwrap().remove(2);
    deals::move_to_stage(&mut store, &added.deal_id, &proposal).unwrap();
    let history = store::deals::history(store.conn(), &added.deal_id).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].from_stage.as_deref(), Some("Lead"));
    assert_eq!(history[1].to_stage, "Proposal");
    // The move stamps the fields it changed, each later than the insert, with clocks of
    // one fixed width. Only the stage changed: the status stays open, closed_at and
    // lost_reason stay empty, and under the fixed clock the card's position and
    // updated_at equal the insert's, so they get no clock.
    let moved = clocks(&store);
    let fields: Vec<&str> = moved[1..].iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(fields, ["stage_id"]);
    assert!(moved.iter().all(|(_, h)| h.len() == inserted[0].1.len()));
    assert!(moved[1..].iter().all(|(_, h)| *h > inserted[0].1));
    assert!(store.meta("hlc").unwrap().unwrap() >= moved.last().unwrap().1);
}

#[test]
fn winning_promotes_the_prospect_in_the_same_change_and_undo_reverts_it() {
    let mut store = memory_store();
    let added = add_deal(&mut store, "ACME renewal", "ACME");
    let moved = deals::win(&mut store, &added.deal_id).unwrap();
    assert!(moved.customer_promoted);
    let customer = store::customers::get(store.conn(), &added.customer_id).unwrap();
    assert_eq!(customer.status.as_str(), "active");
    store.undo(&moved.undo).unwrap();
    let deal = store::deals::get(store.conn(), &added.deal_id).unwrap();
    assert_eq!(deal.status.as_str(), "open");
    assert_eq!(deal.closed_at, None);
    let customer = store::customers::get(store.conn(), &added.customer_id).unwrap();
    assert_eq!(customer.status.as_str(), "prospect");
    assert_eq!(
        store::deals::history(store.conn(), &added.deal_id)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn deletes_are_tombstones_and_can_be_undone() {
    let mut store = memory_store();
    let added = add_deal(&mut store, "ACME renewal", "ACME");
    let undo = deals::delete(&mut store, &added.deal_id).unwrap();
    assert!(store::deals::resolve(store.conn(), "ACME renewal").is_err());
    assert_eq!(count(&store, "SELECT count(*) FROM deals"), 1, "row kept");
    assert!(
        store::search::search(store.conn(), "renewal", 10)
            .unwrap()
            .is_empty()
    );
    store.undo(&undo).unwrap();
    assert_eq!(
        store::deals::resolve(store.conn(), "acme RENEWAL").unwrap(),
        added.deal_id
    );
    assert_eq!(
        store::search::search(store.conn(), "renewal", 10)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn undoing_an_add_tombstones_what_it_made() {
    let mut store = memory_store();
    let added = add_deal(&mut store, "ACME renewal", "ACME");
    store.undo(&added.undo).unwrap();
    assert!(store::deals::resolve(store.conn(), "ACME renewal").is_err());
    assert!(store::customers::resolve(store.conn(), "ACME").is_err());
}

#[test]
fn references_by_id_short_id_and_name() {
    let mut store = memory_store();
    let a = add_deal(&mut store, "Renewal", "ACME");
    let b = add_deal(&mut store, "Renewal", "Globex");
    let conn = store.conn();
    assert_eq!(store::deals::resolve(conn, &a.deal_id).unwrap(), a.deal_id);
    assert_eq!(
        store::deals::resolve(conn, crate::domain::ids::short_id(&b.deal_id)).unwrap(),
        b.deal_id
    );
    match store::deals::resolve(conn, "renewal") {
        Err(StoreError::Ambiguous { candidates, .. }) => assert_eq!(candidates.len(), 2),
        other => panic!("expected ambiguous, got {other:?}"),
    }
    assert!(matches!(
        store::deals::resolve(conn, "nothing"),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn terms_under_three_characters_match_titles_newest_first() {
    let mut store = memory_store();
    add_deal(&mut store, "Gearbox order", "Initech");
    let newer = add_deal(&mut store, "Big renewal", "ACME");
    // "g" is in Gearbox and Big; in no title of the customers.
    let titles = |store: &Store, q: &str| -> Vec<String> {
        store::search::search(store.conn(), q, 50)
            .unwrap()
            .into_iter()
            .map(|h| h.title)
            .collect()
    };
    assert_eq!(titles(&store, "g"), ["Big renewal", "Gearbox order"]);
    assert_eq!(titles(&store, "G o"), ["Gearbox order"], "every term");
    // A match in the body (the deal's notes) does not count for short terms alone.
    let patch = deals::Patch {
        notes: Some(Some("go big".into())),
        ..Default::default()
    };
    deals::edit(&mut store, &newer.deal_id, &patch).unwrap();
    assert_eq!(titles(&store, "go"), Vec::<String>::new());
    assert_eq!(
        titles(&store, "go big"),
        ["Big renewal"],
        "with a long term, bodies count"
    );
    assert_eq!(
        store::search::search(store.conn(), "g", 1).unwrap().len(),
        1
    );
}

#[test]
fn a_customer_is_reindexed_only_when_what_search_shows_changes() {
    let mut store = memory_store();
    let added = add_deal(&mut store, "Gearbox order", "Initech");
    // Every reindex writes index segments; a status change must write none.
    let segments = |store: &Store| count(store, "SELECT count(*) FROM search_index_data");
    let before = segments(&store);
    deals::win(&mut store, &added.deal_id).unwrap(); // the customer becomes active
    assert_eq!(
        store::customers::get(store.conn(), &added.customer_id)
            .unwrap()
            .status
            .as_str(),
        "active"
    );
    assert_eq!(segments(&store), before);
    let patch = customers::Patch {
        industry: Some(Some("Gears".into())),
        ..Default::default()
    };
    customers::edit(&mut store, &added.customer_id, &patch).unwrap();
    assert_eq!(
        store::search::search(store.conn(), "gears", 5)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn revisits_due_can_be_only_one_owners() {
    let mut store = memory_store();
    let mine = add_deal(&mut store, "Gearbox order", "Initech");
    let theirs = add_deal(&mut store, "Big renewal", "ACME");
    store
        .apply(
            "add member",
            vec![Write::insert(Table::Members, "m-other").set("name", "Li Wei".to_string())],
        )
        .unwrap();
    let patch = customers::Patch {
        owner_id: Some("m-other".into()),
        ..Default::default()
    };
    customers::edit(&mut store, &theirs.customer_id, &patch).unwrap();
    let cadence = crate::domain::customer::Cadence::default();
    let later = store.now_millis() + 365 * 86_400_000;
    let due = |owner: Option<&str>| -> Vec<String> {
        store::customers::revisits_due(store.conn(), &cadence, later, owner, None)
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect()
    };
    assert_eq!(due(None).len(), 2);
    assert_eq!(due(Some(store.member_id())), [mine.customer_id]);
    assert_eq!(due(Some("m-other")), [theirs.customer_id]);
}

#[test]
fn deals_without_a_next_step_come_longest_untouched_first_in_one_query() {
    use crate::domain::activity::ActivityKind;
    use crate::store::activities::{NewActivity, Subject};
    let mut store = memory_store();
    let a = add_deal(&mut store, "Gearbox order", "Initech").deal_id;
    let b = add_deal(&mut store, "Big renewal", "ACME").deal_id;
    let planned = add_deal(&mut store, "Planned", "Globex").deal_id;
    let next = NewActivity {
        kind: ActivityKind::Call,
        subject: "Call back".into(),
        body: None,
        about: Subject::Deal(planned),
        contact_id: None,
        due_at: Some(store.now_millis() + 3_600_000),
        done_at: None,
        outcome: None,
    };
    activities::add(&mut store, &next).unwrap();
    // B touched last: it comes after A; the planned deal not at all.
    store
        .apply(
            "touch",
            vec![Write::update(Table::Deals, b.clone()).set("updated_at", store.now_millis() + 1)],
        )
        .unwrap();
    let rows = store::deals::without_next_step(store.conn(), None, 10).unwrap();
    let ids: Vec<&str> = rows.iter().map(|r| r.deal.id.as_str()).collect();
    assert_eq!(ids, [a.as_str(), b.as_str()]);
    assert_eq!(rows[1].customer_name, "ACME");
    assert_eq!(
        store::deals::without_next_step(store.conn(), None, 1)
            .unwrap()
            .len(),
        1
    );
    assert!(
        store::deals::without_next_step(store.conn(), Some("m-other"), 10)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn search_is_literal_and_finds_cjk_substrings() {
    let mut store = memory_store();
    add_deal(&mut store, "Router upgrade", "上海华为技术有限公司");
    add_deal(&mut store, "ACME renewal", "ACME Industrial");
    let conn = store.conn();
    let kinds = |q: &str| -> Vec<String> {
        store::search::search(conn, q, 50)
            .unwrap()
            .into_iter()
            .map(|h| h.title)
            .collect()
    };
    assert!(kinds("华为").contains(&"上海华为技术有限公司".to_string()));
    assert!(kinds("华为技术").contains(&"上海华为技术有限公司".to_string()));
    assert_eq!(kinds("acm")[0], "ACME Industrial");
    for q in ["\"", "*", "-", "NEAR", "(", "a\"b OR (", "100%", "_"] {
        store::search::search(conn, q, 50).unwrap();
    }
}

#[test]
fn tags_are_one_per_name_whatever_their_case() {
    let mut store = memory_store();
    let (id, _) = customers::add(
        &mut store,
        &customers::NewCustomer {
            tags: vec!["vip".into(), "VIP".into()],
            ..customers::NewCustomer::named("ACME")
        },
    )
    .unwrap();
    assert_eq!(count(&store, "SELECT count(*) FROM customer_tags"), 1);
    let tag = |store: &mut Store, tags: &[&str]| {
        customers::edit(
            store,
            &id,
            &customers::Patch {
                add_tags: tags.iter().map(|t| t.to_string()).collect(),
                ..customers::Patch::default()
            },
        )
    };
    tag(&mut store, &["Été", "été"]).unwrap();
    // Already there, in another case: nothing to add, and no clash on the row id.
    assert!(tag(&mut store, &["ÉTÉ"]).is_err_and(|e| e.to_string().contains("nothing to change")));
    assert_eq!(count(&store, "SELECT count(*) FROM customer_tags"), 2);
}

/// A customer field's suggestions: names containing every typed term without case,
/// alphabetically, the page only; wildcards are literal, and a letter whose case
/// SQLite does not fold is still matched either way.
#[test]
fn customer_names_containing_what_is_typed() {
    let mut store = memory_store();
    for name in [
        "Zeta Globex",
        "globe trotters",
        "ÉCOLE Normale",
        "école du Sud",
        "100% Cotton",
        "A_B Trading",
        "上海华为技术",
        "Acme",
    ] {
        customers::add(&mut store, &customers::NewCustomer::named(name)).unwrap();
    }
    let (gone, _) =
        customers::add(&mut store, &customers::NewCustomer::named("Globe Deleted")).unwrap();
    customers::delete(&mut store, &gone).unwrap();
    let names = |typed: &str, limit: usize| {
        store::customers::names_containing(store.conn(), typed, limit).unwrap()
    };
    assert_eq!(names("GLOB", 10), ["globe trotters", "Zeta Globex"]);
    assert_eq!(names("glob", 1), ["globe trotters"]);
    assert_eq!(names("école", 10), ["ÉCOLE Normale", "école du Sud"]);
    assert_eq!(names("ÉCOLE", 10), ["ÉCOLE Normale", "école du Sud"]);
    assert_eq!(names("%", 10), ["100% Cotton"]);
    assert_eq!(names("a_b", 10), ["A_B Trading"]);
    assert_eq!(names("华为", 10), ["上海华为技术"]);
    // Every term, in any order, each anywhere in the name.
    assert_eq!(names("globex zeta", 10), ["Zeta Globex"]);
    assert_eq!(names("  É  normale ", 10), ["ÉCOLE Normale"]);
    assert!(names("globe zeta trotters", 10).is_empty());
    assert!(names("deleted", 10).is_empty());
    assert!(names("zq", 10).is_empty());
}

#[test]
fn a_customer_added_for_a_deal_is_the_deals_owners() {
    let mut store = memory_store();
    store
        .apply(
            "member",
            vec![Write::insert(Table::Members, "m-bo").set("name", "Bo Rep".to_string())],
        )
        .unwrap();
    let owner_of = |store: &Store, name: &str| -> Option<String> {
        store
            .conn()
            .query_row(
                "SELECT owner_id FROM customers WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .unwrap()
    };
    let added = deals::add(
        &mut store,
        &NewDeal {
            title: "Pilot".into(),
            customer: CustomerRef::Name("ACME".into()),
            stage_id: "stage-lead".into(),
            amount: Money::new(100, "EUR".parse().unwrap()),
            expected_close: None,
            source: None,
            notes: None,
            owner_id: Some("m-bo".into()),
        },
    )
    .unwrap();
    assert_eq!(owner_of(&store, "ACME").as_deref(), Some("m-bo"));
    // Moved to a new customer, Bo's deal makes it Bo's too; given to me meanwhile, mine.
    let moved = deals::Patch {
        customer: Some(CustomerRef::Name("Globex".into())),
        ..Default::default()
    };
    deals::edit(&mut store, &added.deal_id, &moved).unwrap();
    assert_eq!(owner_of(&store, "Globex").as_deref(), Some("m-bo"));
    let me = store.member_id().to_string();
    let given = deals::Patch {
        customer: Some(CustomerRef::Name("Initech".into())),
        owner_id: Some(me.clone()),
        ..Default::default()
    };
    deals::edit(&mut store, &added.deal_id, &given).unwrap();
    assert_eq!(owner_of(&store, "Initech"), Some(me.clone()));
    // A customer that was there keeps its owner.
    add_deal(&mut store, "Renewal", "ACME");
    assert_eq!(owner_of(&store, "ACME").as_deref(), Some("m-bo"));
    // Without an owner, a deal and its new customer are mine.
    add_deal(&mut store, "First", "Hooli");
    assert_eq!(owner_of(&store, "Hooli"), Some(me));
}

#[test]
fn an_export_reads_each_deals_history_in_order_without_deleted_stages() {
    let mut store = memory_store();
    let added = add_deal(&mut store, "Pilot", "ACME");
    let other = add_deal(&mut store, "Renewal", "Globex");
    let stages = store::stages::list(store.conn()).unwrap();
    let stage = |name: &str| stages.iter().find(|s| s.name == name).unwrap().clone();
    // Two moves in the same millisecond (the fixed clock) keep the order they were made.
    deals::move_to_stage(&mut store, &added.deal_id, &stage("Qualified")).unwrap();
    deals::move_to_stage(&mut store, &added.deal_id, &stage("Proposal")).unwrap();
    deals::win(&mut store, &added.deal_id).unwrap();
    let now = store.now_millis();
    store
        .apply(
            "gone",
            vec![Write::update(Table::Stages, stage("Qualified").id).set("deleted_at", now)],
        )
        .unwrap();
    let mut steps: Vec<String> = Vec::new();
    store::deals::each_history_step(store.conn(), |step| {
        let deal = match step.deal_id {
            id if id == added.deal_id => "Pilot",
            id if id == other.deal_id => "Renewal",
            id => id,
        };
        steps.push(format!("{deal}: {} {}", step.status, step.stage));
        Ok(())
    })
    .unwrap();
    steps.sort_by_key(|s| s.starts_with("Renewal"));
    assert_eq!(
        steps,
        [
            "Pilot: open Lead",
            "Pilot: open Proposal",
            "Pilot: won Proposal",
            "Renewal: open Lead"
        ]
    );
}

#[test]
fn a_record_is_given_only_to_a_live_member_of_the_team() {
    let mut store = memory_store();
    let added = add_deal(&mut store, "Gearbox order", "Initech");
    store
        .apply(
            "add member",
            vec![Write::insert(Table::Members, "m-gone").set("name", "Li Wei".to_string())],
        )
        .unwrap();
    let now = store.now_millis();
    store
        .apply(
            "remove member",
            vec![Write::update(Table::Members, "m-gone").set("deleted_at", now)],
        )
        .unwrap();
    let clocks = |store: &Store| count(store, "SELECT count(*) FROM field_clock");
    let before = clocks(&store);
    for owner in ["m-gone", "m-never"] {
        let deal = deals::Patch {
            owner_id: Some(owner.into()),
            ..Default::default()
        };
        let err = deals::edit(&mut store, &added.deal_id, &deal).unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid(why) if why.contains(owner)),
            "{err}"
        );
        let customer = customers::Patch {
            owner_id: Some(owner.into()),
            ..Default::default()
        };
        assert!(customers::edit(&mut store, &added.customer_id, &customer).is_err());
        let new = customers::NewCustomer {
            owner_id: Some(owner.into()),
            ..customers::NewCustomer::named("Globex")
        };
        assert!(customers::add(&mut store, &new).is_err());
        let new = NewDeal {
            title: "Pilot".into(),
            customer: CustomerRef::Id(added.customer_id.clone()),
            stage_id: "stage-lead".into(),
            amount: Money::new(0, "EUR".parse().unwrap()),
            expected_close: None,
            source: None,
            notes: None,
            owner_id: Some(owner.into()),
        };
        assert!(deals::add(&mut store, &new).is_err());
    }
    assert_eq!(clocks(&store), before, "nothing written");
    // A live member takes it.
    let me = store.member_id().to_string();
    let deal = deals::Patch {
        owner_id: Some(me.clone()),
        ..Default::default()
    };
    deals::edit(&mut store, &added.deal_id, &deal).unwrap();
    let owner = store::deals::get(store.conn(), &added.deal_id)
        .unwrap()
        .owner_id;
    assert_eq!(owner, Some(me));
}

#[test]
fn a_deal_whose_owner_left_the_team_brings_a_new_customer_to_me() {
    let mut store = memory_store();
    store
        .apply(
            "add member",
            vec![Write::insert(Table::Members, "m-gone").set("name", "Li Wei".to_string())],
        )
        .unwrap();
    let added = deals::add(
        &mut store,
        &NewDeal {
            title: "Pilot".into(),
            customer: CustomerRef::Name("ACME".into()),
            stage_id: "stage-lead".into(),
            amount: Money::new(0, "EUR".parse().unwrap()),
            expected_close: None,
            source: None,
            notes: None,
            owner_id: Some("m-gone".into()),
        },
    )
    .unwrap();
    let now = store.now_millis();
    store
        .apply(
            "remove member",
            vec![Write::update(Table::Members, "m-gone").set("deleted_at", now)],
        )
        .unwrap();
    // Moved to a new name, the deal stays Li Wei's; the prospect it adds is mine.
    let moved = deals::Patch {
        customer: Some(CustomerRef::Name("Globex".into())),
        ..Default::default()
    };
    deals::edit(&mut store, &added.deal_id, &moved).unwrap();
    let deal = store::deals::get(store.conn(), &added.deal_id).unwrap();
    assert_eq!(deal.owner_id.as_deref(), Some("m-gone"));
    let globex = store::customers::get(store.conn(), &deal.customer_id).unwrap();
    assert_eq!(globex.name, "Globex");
    assert_eq!(globex.owner_id.as_deref(), Some(store.member_id()));
}

#[test]
fn a_record_given_to_another_member_takes_its_former_owners_open_reminders_along() {
    use crate::domain::activity::ActivityKind;
    use crate::store::activities::{NewActivity, Subject};
    let mut store = memory_store();
    store
        .apply(
            "members",
            vec![
                Write::insert(Table::Members, "m-bo").set("name", "Bo".to_string()),
                Write::insert(Table::Members, "m-cy").set("name", "Cy".to_string()),
            ],
        )
        .unwrap();
    let added = add_deal(&mut store, "Pilot", "ACME");
    let later = store.now_millis() + 86_400_000;
    let mut remind = |about: Subject, subject: &str, due: bool| {
        let new = NewActivity {
            kind: ActivityKind::Call,
            subject: subject.into(),
            body: None,
            about,
            contact_id: None,
            due_at: due.then_some(later),
            done_at: None,
            outcome: None,
        };
        activities::add(&mut store, &new).unwrap();
    };
    remind(Subject::Deal(added.deal_id.clone()), "deal follow-up", true);
    remind(
        Subject::Deal(added.deal_id.clone()),
        "deal call made",
        false,
    );
    remind(
        Subject::Customer(added.customer_id.clone()),
        "account review",
        true,
    );
    // Cy's own reminder on the deal stays Cy's.
    remind(Subject::Deal(added.deal_id.clone()), "Cy's follow-up", true);
    store
        .conn()
        .execute(
            "UPDATE activities SET owner_id = 'm-cy' WHERE subject = 'Cy''s follow-up'",
            [],
        )
        .unwrap();
    let owners = |store: &Store| -> Vec<(String, String)> {
        let mut stmt = store
            .conn()
            .prepare("SELECT subject, coalesce(owner_id, '-') FROM activities ORDER BY subject")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    let me = store.member_id().to_string();
    let before = owners(&store);
    let give = deals::Patch {
        owner_id: Some("m-bo".into()),
        ..Default::default()
    };
    let edited = deals::edit(&mut store, &added.deal_id, &give).unwrap();
    let owner_of = |store: &Store, subject: &str| {
        owners(store)
            .into_iter()
            .find(|(s, _)| s == subject)
            .unwrap()
            .1
    };
    assert_eq!(owner_of(&store, "deal follow-up"), "m-bo");
    assert_eq!(
        owner_of(&store, "deal call made"),
        me,
        "done: a record of who did it"
    );
    assert_eq!(owner_of(&store, "Cy's follow-up"), "m-cy");
    assert_eq!(
        owner_of(&store, "account review"),
        me,
        "the customer's stays"
    );
    store.undo(&edited.undo).unwrap();
    assert_eq!(owners(&store), before);
    let give = customers::Patch {
        owner_id: Some("m-bo".into()),
        ..Default::default()
    };
    customers::edit(&mut store, &added.customer_id, &give).unwrap();
    assert_eq!(owner_of(&store, "account review"), "m-bo");
    assert_eq!(
        owner_of(&store, "deal follow-up"),
        me,
        "the deal's go with the deal"
    );
}
